/* bench/ref_echo.c: the reference the desk's figures are read against
 * (issue 15): a bare ncurses program that echoes each key it reads, with
 * none of the app's libraries, data or work. bench_desk runs it in the same
 * pseudo-terminal of 80x24 as the app and measures its key-to-screen time
 * and its resident memory; whatever the app costs beyond it is the app's.
 * q quits. */
#include <curses.h>
#include <locale.h>

int main(void)
{
	int ch, n = 0;

	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	mvaddstr(0, 0, "Cari:");
	refresh();
	while ((ch = getch()) != 'q' && ch != ERR) {
		mvprintw(0, 0, "Cari: key %d (%c)", ++n, ch >= ' ' && ch < 127 ? ch : '?');
		clrtoeol();
		mvprintw(LINES - 1, 0, "%d ditemukan", n);
		clrtoeol();
		refresh();
	}
	endwin();
	return 0;
}
