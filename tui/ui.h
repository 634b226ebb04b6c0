/* tui/ui.h: the full-screen app, and the only door into tui/ from cli/.
 * tui/ holds the ncurses screens and nothing else; what a screen shows is
 * computed in app/ and core/.
 *
 *   ui.c              the loop, the view driver (Back, Lock, Help, list
 *                     movement for every screen), idle lock, resize
 *   ui_int.h          what the screens share: screen ops, widgets
 *   keymap.{c,h}      the one key table: the keys, the bar, the help
 *   ui_form.c         forms: layout apart from checking and saving
 *   ui_screens.c      wizard, login, home, users
 *   ui_desk.c ui_card.c ui_visit.c   the desk: search, card, visit form
 *   ui_report.c       the reports screen (app/report_view.h)
 *   ui_quiz*.c        quiz runner, results, trainings (app/quiz_view.h)
 *   ui_sync.c         send and receive, review (app/transfer.h) */
#ifndef POSYANDU_TUI_UI_H
#define POSYANDU_TUI_UI_H

#include "app/app.h"

/* Open the TUI on C's data folder: the first-run wizard when there is no
 * store, otherwise the login screen. Returns the exit status. */
int ui_run(struct app *c);

#endif
