// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ncurses side of zdevtop: open and restore the terminal, map the canvas's attributes to colours
 * (or to bold/reverse without them: NO_COLOR, --no-color, a terminal without colours), copy the canvas.
 * ncurses keeps its own screen state; these functions only wrap it.
 */
#define _XOPEN_SOURCE_EXTENDED 1 /* the wide-character API */
#include <ncursesw/curses.h>
#include <string.h>
#include "screen.h"

static attr_t attr_of(enum tui_attr attr, int color)
{
	static const attr_t plain[TUI_ATTR_COUNT] = {
		[TUI_NORMAL] = A_NORMAL, [TUI_TITLE] = A_BOLD | A_REVERSE, [TUI_FOCUS] = A_BOLD | A_REVERSE | A_UNDERLINE,
		[TUI_HEADING] = A_REVERSE, [TUI_SELECTED] = A_BOLD | A_UNDERLINE, [TUI_WARN] = A_BOLD,
		[TUI_GOOD] = A_NORMAL, [TUI_BAR] = A_BOLD, [TUI_DIM] = A_DIM,
	};
	static const attr_t extra[TUI_ATTR_COUNT] = {
		[TUI_TITLE] = A_BOLD, [TUI_FOCUS] = A_BOLD, [TUI_SELECTED] = A_BOLD, [TUI_WARN] = A_BOLD, [TUI_BAR] = A_BOLD,
	};

	if (attr >= TUI_ATTR_COUNT)
		attr = TUI_NORMAL;
	if (!color)
		return plain[attr];
	return COLOR_PAIR(attr) | extra[attr];
}

static SCREEN *screen;

int screen_open(int color)
{
	/* newterm, not initscr: initscr exits the program (status 1) when the terminal is unknown */
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return -1;
	color = color && has_colors();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25); /* Escape closes the filter line without a second's wait */
	if (color && has_colors()) {
		start_color();
		use_default_colors();
		init_pair(TUI_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(TUI_FOCUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(TUI_HEADING, COLOR_BLACK, COLOR_GREEN);
		init_pair(TUI_SELECTED, COLOR_BLACK, COLOR_CYAN);
		init_pair(TUI_WARN, COLOR_RED, -1);
		init_pair(TUI_GOOD, COLOR_GREEN, -1);
		init_pair(TUI_BAR, COLOR_GREEN, -1);
		init_pair(TUI_DIM, COLOR_BLUE, -1);
	}
	return color;
}

void screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void screen_draw(const struct tui_canvas *canvas, int color)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	for (int row = 0; row < canvas->rows && row < rows; row++) {
		int col = 0;

		while (col < canvas->cols && col < cols) {
			const struct tui_cell *cell = &canvas->cells[(size_t)row * canvas->cols + col];
			uint8_t attr = cell->attr;
			wchar_t run[512];
			int length = 0, start = col;

			/* a run of one attribute, stopping short of the bottom-right corner (writing it scrolls) */
			while (col < canvas->cols && col < cols && length < 511 &&
			       canvas->cells[(size_t)row * canvas->cols + col].attr == attr &&
			       !(row == rows - 1 && col == cols - 1)) {
				run[length++] = canvas->cells[(size_t)row * canvas->cols + col].ch;
				col++;
			}
			if (!length) {
				col++;
				continue;
			}
			run[length] = L'\0';
			attrset(attr_of(attr, color));
			mvaddnwstr(row, start, run, length);
		}
	}
	attrset(A_NORMAL);
	refresh();
}

int screen_key(int timeout_ms)
{
	timeout(timeout_ms);
	return getch();
}

void screen_close(void)
{
	if (!screen)
		return;
	if (!isendwin())
		endwin();
	delscreen(screen);
	screen = NULL;
}
