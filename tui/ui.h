/* tui/ui.h: the full-screen app. */
#ifndef POSYANDU_TUI_UI_H
#define POSYANDU_TUI_UI_H

#include "app/app.h"

/* Open the TUI on C's data folder: the first-run wizard when there is no
 * store, otherwise the login screen. Returns the exit status. */
int ui_run(struct app *c);

#endif
