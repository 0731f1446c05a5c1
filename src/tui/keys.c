// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Keys after top and htop, in one table: key → action on the view, returning what the loop must do next
 * (redraw, quit, change its refresh). The codes of special keys are ncurses' (KEY_UP...), passed through
 * as plain ints so that this file needs no curses header and tests can send them.
 */
#include <string.h>
#include <curses.h>
#include "tui.h"

#define KEY_TAB '\t'
#define KEY_ESCAPE 27
#define REFRESH_MIN_S 0.1
#define REFRESH_MAX_S 60.0

void tui_view_init(struct tui_view *view, double refresh_s, int color)
{
	memset(view, 0, sizeof(*view));
	view->sort_column = TUI_COL_VMEMMAP_DRAM;
	view->sort_descending = 1;
	view->refresh_s = refresh_s;
	view->color = color;
}

const char *tui_column_name(enum tui_pgmap_column column)
{
	static const char *const names[TUI_COL_COUNT] = {
		[TUI_COL_ID] = "ID", [TUI_COL_TYPE] = "TYPE", [TUI_COL_DEVICE] = "DEVICE", [TUI_COL_SIZE] = "SIZE",
		[TUI_COL_VMEMMAP_DRAM] = "VMEMMAP-DRAM", [TUI_COL_VMEMMAP_DEVICE] = "VMEMMAP-DEV",
		[TUI_COL_PAGES_IN_USE] = "DEV-PAGES", [TUI_COL_STATE] = "STATE",
	};
	return column < TUI_COL_COUNT ? names[column] : "?";
}

static enum tui_action quit(struct tui_view *view)
{
	(void)view;
	return TUI_QUIT;
}

static enum tui_action toggle_help(struct tui_view *view)
{
	view->help = !view->help;
	return TUI_REDRAW;
}

static enum tui_action toggle_pause(struct tui_view *view)
{
	view->paused = !view->paused;
	return TUI_REDRAW;
}

static enum tui_action sort_next(struct tui_view *view)
{
	view->sort_column = (view->sort_column + 1) % TUI_COL_COUNT;
	return TUI_REDRAW;
}

static enum tui_action sort_left(struct tui_view *view)
{
	if (view->sort_column > 0)
		view->sort_column--;
	return TUI_REDRAW;
}

static enum tui_action sort_right(struct tui_view *view)
{
	if (view->sort_column + 1 < TUI_COL_COUNT)
		view->sort_column++;
	return TUI_REDRAW;
}

static enum tui_action sort_invert(struct tui_view *view)
{
	view->sort_descending = !view->sort_descending;
	return TUI_REDRAW;
}

static enum tui_action start_filter(struct tui_view *view)
{
	view->editing_filter = 1;
	snprintf(view->filter_input, sizeof(view->filter_input), "%s", view->filter);
	return TUI_REDRAW;
}

static enum tui_action next_panel(struct tui_view *view)
{
	view->focus = (view->focus + 1) % TUI_PANEL_COUNT;
	return TUI_REDRAW;
}

static enum tui_action previous_panel(struct tui_view *view)
{
	view->focus = (view->focus + TUI_PANEL_COUNT - 1) % TUI_PANEL_COUNT;
	return TUI_REDRAW;
}

static enum tui_action scroll_by(struct tui_view *view, int rows)
{
	view->scroll[view->focus] += rows;
	if (view->scroll[view->focus] < 0)
		view->scroll[view->focus] = 0; /* the layout clamps the other end: it knows the rows */
	return TUI_REDRAW;
}

static enum tui_action scroll_up(struct tui_view *view) { return scroll_by(view, -1); }
static enum tui_action scroll_down(struct tui_view *view) { return scroll_by(view, 1); }
static enum tui_action page_up(struct tui_view *view) { return scroll_by(view, -10); }
static enum tui_action page_down(struct tui_view *view) { return scroll_by(view, 10); }

static enum tui_action scroll_home(struct tui_view *view)
{
	view->scroll[view->focus] = 0;
	return TUI_REDRAW;
}

static enum tui_action faster(struct tui_view *view)
{
	view->refresh_s = view->refresh_s / 2 < REFRESH_MIN_S ? REFRESH_MIN_S : view->refresh_s / 2;
	return TUI_REFRESH_CHANGED;
}

static enum tui_action slower(struct tui_view *view)
{
	view->refresh_s = view->refresh_s * 2 > REFRESH_MAX_S ? REFRESH_MAX_S : view->refresh_s * 2;
	return TUI_REFRESH_CHANGED;
}

static enum tui_action redraw(struct tui_view *view)
{
	(void)view;
	return TUI_REDRAW;
}

static const struct {
	int key;
	enum tui_action (*action)(struct tui_view *view);
} key_table[] = {
	{ 'q', quit }, { 'Q', quit },
	{ 'h', toggle_help }, { '?', toggle_help }, { KEY_F(1), toggle_help },
	{ 'p', toggle_pause }, { ' ', toggle_pause },
	{ 's', sort_next }, { '<', sort_left }, { '>', sort_right }, { 'I', sort_invert }, { 'r', sort_invert },
	{ '/', start_filter },
	{ KEY_TAB, next_panel }, { KEY_BTAB, previous_panel },
	{ KEY_UP, scroll_up }, { 'k', scroll_up }, { KEY_DOWN, scroll_down }, { 'j', scroll_down },
	{ KEY_PPAGE, page_up }, { KEY_NPAGE, page_down }, { KEY_HOME, scroll_home },
	{ '+', faster }, { '=', faster }, { '-', slower },
	{ KEY_RESIZE, redraw }, { 12 /* ^L */, redraw },
};

/* the filter line: printable characters, backspace, Enter applies, Escape cancels */
static enum tui_action filter_key(struct tui_view *view, int key)
{
	size_t len = strlen(view->filter_input);

	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		snprintf(view->filter, sizeof(view->filter), "%s", view->filter_input);
		view->editing_filter = 0;
		for (int i = 0; i < TUI_PANEL_COUNT; i++)
			view->scroll[i] = 0;
	} else if (key == KEY_ESCAPE) {
		view->editing_filter = 0;
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (len)
			view->filter_input[len - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(view->filter_input)) {
		view->filter_input[len] = (char)key;
		view->filter_input[len + 1] = '\0';
	} else if (key == KEY_RESIZE) {
		return TUI_REDRAW;
	} else {
		return TUI_NONE;
	}
	return TUI_REDRAW;
}

enum tui_action tui_key(struct tui_view *view, int key)
{
	if (view->editing_filter)
		return filter_key(view, key);
	if (view->help && key != KEY_RESIZE) {
		/* any key closes the help, as in htop; q still quits */
		view->help = 0;
		return key == 'q' || key == 'Q' ? TUI_QUIT : TUI_REDRAW;
	}
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (key_table[i].key == key)
			return key_table[i].action(view);
	return TUI_NONE;
}
