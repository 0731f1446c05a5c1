// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop's keys and what they change in the view, on tui_fixture.h's model: sorting by every column,
 * filtering the pgmaps, pause, help, quit, the refresh rate, the focus and scrolling.
 */
#define _GNU_SOURCE /* wcwidth */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h> /* KEY_* codes only (macros): tui_key takes ncurses' codes */
#include "tui_fixture.h"

#define ESCAPE 27

/* --- sorting ------------------------------------------------------------------------------------------ */
/* the column's order, computed here from the model: <0, 0, >0 */
static int column_order(enum tui_pgmap_column column, const struct zdev_pgmap *a, const struct zdev_pgmap *b)
{
	char a_label[32], b_label[32];
	int64_t a_use = (int64_t)a->pages_initialised - (int64_t)a->pages_freed;
	int64_t b_use = (int64_t)b->pages_initialised - (int64_t)b->pages_freed;

	switch (column) {
	case TUI_COL_ID:
		return a->id < b->id ? -1 : a->id > b->id;
	case TUI_COL_TYPE:
		return strcmp(zdev_pgmap_type_name(a->type), zdev_pgmap_type_name(b->type));
	case TUI_COL_DEVICE:
		return strcmp(device_label(a, a_label, sizeof(a_label)), device_label(b, b_label, sizeof(b_label)));
	case TUI_COL_SIZE:
		return a->size_bytes < b->size_bytes ? -1 : a->size_bytes > b->size_bytes;
	case TUI_COL_VMEMMAP_DRAM:
		return a->vmemmap_dram_bytes < b->vmemmap_dram_bytes ? -1 : a->vmemmap_dram_bytes > b->vmemmap_dram_bytes;
	case TUI_COL_VMEMMAP_DEVICE:
		return a->vmemmap_device_bytes < b->vmemmap_device_bytes ? -1
		       : a->vmemmap_device_bytes > b->vmemmap_device_bytes;
	case TUI_COL_PAGES_IN_USE:
		return a_use < b_use ? -1 : a_use > b_use;
	case TUI_COL_STATE:
		return (int)a->state - (int)b->state;
	default:
		fail();
	}
	return 0;
}

static void assert_sorted(struct fixture *f, enum tui_pgmap_column column, int descending)
{
	char want[64];
	unsigned ids[16];
	int n;

	relayout(f);
	snprintf(want, sizeof(want), "sort: %s %s", tui_column_name(column), descending ? "(descending)" : "(ascending)");
	assert_non_null(strstr(row_text(&f->canvas, 4), want));
	n = drawn_ids(&f->canvas, ids, 16);
	assert_int_equal(n, 7);
	for (int i = 1; i < n; i++) {
		const struct zdev_pgmap *a = pgmap_by_id(&f->model, ids[i - 1]), *b = pgmap_by_id(&f->model, ids[i]);
		int order = column_order(column, a, b);

		if (descending ? order < 0 : order > 0)
			fail_msg("sort by %s %s: pgmap %u before pgmap %u", tui_column_name(column),
				 descending ? "descending" : "ascending", a->id, b->id);
		if (!order && a->id > b->id)
			fail_msg("sort by %s: equal keys not by id (%u before %u)", tui_column_name(column), a->id, b->id);
	}
}

static void sort_by_every_column(void **state)
{
	struct fixture *f = *state;
	enum tui_pgmap_column column = TUI_COL_VMEMMAP_DRAM;

	layout_at(f, 60, 200);
	/* 's' walks every column from the default, VMEMMAP-DRAM descending, back to it */
	for (int i = 0; i <= TUI_COL_COUNT; i++) {
		assert_int_equal(f->view.sort_column, column);
		assert_sorted(f, column, 1);
		assert_int_equal(tui_key(&f->view, 'I'), TUI_REDRAW);
		assert_sorted(f, column, 0);
		assert_int_equal(tui_key(&f->view, 'r'), TUI_REDRAW);
		assert_int_equal(tui_key(&f->view, 's'), TUI_REDRAW);
		column = (column + 1) % TUI_COL_COUNT;
	}
	/* '<' and '>' stop at the ends */
	for (int i = 0; i < TUI_COL_COUNT + 2; i++)
		tui_key(&f->view, '<');
	assert_int_equal(f->view.sort_column, TUI_COL_ID);
	assert_sorted(f, TUI_COL_ID, 1);
	assert_int_equal(tui_key(&f->view, '>'), TUI_REDRAW);
	assert_int_equal(f->view.sort_column, TUI_COL_TYPE);
	for (int i = 0; i < TUI_COL_COUNT + 2; i++)
		tui_key(&f->view, '>');
	assert_int_equal(f->view.sort_column, TUI_COL_STATE);
}

static void sort_examples(void **state)
{
	struct fixture *f = *state;
	unsigned ids[16];
	/* DRAM vmemmap: 512 MiB -> 8 MiB, 256 MiB -> 4 MiB, 128 MiB -> 2 MiB, 64 MiB -> 1 MiB, 32 MiB -> 512 KiB;
	 * pfn1.0's is on the device, the failed one has none */
	const unsigned by_dram[] = { 4, 3, 2, 7, 1, 5, 6 }, by_id_descending[] = { 7, 6, 5, 4, 3, 2, 1 };

	layout_at(f, 60, 200);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_memory_equal(ids, by_dram, sizeof(by_dram));
	/* ID: descending by default, ascending after 'I' */
	f->view.sort_column = TUI_COL_ID;
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_memory_equal(ids, by_id_descending, sizeof(by_id_descending));
	tui_key(&f->view, 'I');
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(ids[i], i + 1);
	/* DEV-PAGES descending: 40 in use, then 7, then the rest by id */
	f->view.sort_column = TUI_COL_PAGES_IN_USE;
	f->view.sort_descending = 1;
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 4);
	assert_int_equal(ids[2], 1);
	assert_non_null(strstr(row_text(&f->canvas, find_row(&f->canvas, "owner 1 ")), " 40 "));
}

/* --- filter ------------------------------------------------------------------------------------------- */
static void type_keys(struct tui_view *view, const char *keys)
{
	for (; *keys; keys++)
		assert_int_equal(tui_key(view, (unsigned char)*keys), TUI_REDRAW);
}

static void filter_leaves_matching_rows(void **state)
{
	struct fixture *f = *state;
	unsigned ids[16];
	int n;

	layout_at(f, 60, 200);
	assert_int_equal(tui_key(&f->view, '/'), TUI_REDRAW);
	assert_true(f->view.editing_filter);
	type_keys(&f->view, "coherent");
	relayout(f);
	/* while typing: the status line edits, the rows are not filtered yet */
	assert_int_equal(find_row(&f->canvas, "Filter (type, device or state"), 59);
	assert_non_null(strstr(row_text(&f->canvas, 59), ": coherent_"));
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_int_equal(tui_key(&f->view, '\n'), TUI_REDRAW);
	assert_false(f->view.editing_filter);
	assert_string_equal(f->view.filter, "coherent");
	relayout(f);
	assert_non_null(strstr(row_text(&f->canvas, 4), "PGMAPS  2 shown of 7"));
	assert_non_null(strstr(row_text(&f->canvas, 4), "filter: coherent"));
	n = drawn_ids(&f->canvas, ids, 16);
	assert_int_equal(n, 2);
	for (int i = 0; i < n; i++)
		assert_int_equal(pgmap_by_id(&f->model, ids[i])->type, ZDEV_PGMAP_COHERENT);
	assert_int_equal(starts_row(&f->canvas, "q quit"), 59);

	/* by device, any case; 'q' in the filter line is a letter, not quit */
	tui_key(&f->view, '/');
	for (int i = 0; i < 8; i++)
		tui_key(&f->view, KEY_BACKSPACE);
	assert_string_equal(f->view.filter_input, "");
	type_keys(&f->view, "PFN");
	assert_int_equal(tui_key(&f->view, KEY_ENTER), TUI_REDRAW);
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 1);
	assert_int_equal(ids[0], 5);

	/* by state */
	tui_key(&f->view, '/');
	tui_key(&f->view, 127);
	tui_key(&f->view, 8);
	tui_key(&f->view, KEY_BACKSPACE);
	type_keys(&f->view, "failed");
	tui_key(&f->view, '\r');
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 1);
	assert_int_equal(ids[0], 6);

	/* Escape cancels the edit: the filter stays */
	tui_key(&f->view, '/');
	type_keys(&f->view, "xq");
	assert_int_equal(tui_key(&f->view, ESCAPE), TUI_REDRAW);
	assert_false(f->view.editing_filter);
	assert_string_equal(f->view.filter, "failed");
	/* nothing matches: an empty panel, no crash */
	tui_key(&f->view, '/');
	type_keys(&f->view, "zzz");
	tui_key(&f->view, '\n');
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 0);
	assert_non_null(strstr(row_text(&f->canvas, 4), "0 shown of 7"));
	/* an empty filter: every row again */
	tui_key(&f->view, '/');
	for (int i = 0; i < 20; i++)
		tui_key(&f->view, KEY_BACKSPACE);
	tui_key(&f->view, '\n');
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_null(strstr(row_text(&f->canvas, 4), "filter:"));
	/* a filter longer than its buffer is cut, not overflowed */
	tui_key(&f->view, '/');
	for (int i = 0; i < 200; i++)
		tui_key(&f->view, 'a');
	assert_int_equal(strlen(f->view.filter_input), sizeof(f->view.filter_input) - 1);
	tui_key(&f->view, '\n');
	relayout(f);
	assert_canvas_sane(&f->canvas);
}

/* --- keys --------------------------------------------------------------------------------------------- */
static void keys_pause_help_quit(void **state)
{
	struct fixture *f = *state;

	layout_at(f, 24, 80);
	assert_int_equal(tui_key(&f->view, 'p'), TUI_REDRAW);
	assert_true(f->view.paused);
	relayout(f);
	assert_non_null(strstr(row_text(&f->canvas, 0), "PAUSED"));
	assert_int_equal(tui_key(&f->view, ' '), TUI_REDRAW);
	assert_false(f->view.paused);

	assert_int_equal(tui_key(&f->view, 'h'), TUI_REDRAW);
	assert_true(f->view.help);
	relayout(f);
	assert_true(find_row(&f->canvas, "zdevtop keys") >= 0);
	/* a resize keeps it; any other key closes it, and does nothing else */
	assert_int_equal(tui_key(&f->view, KEY_RESIZE), TUI_REDRAW);
	assert_true(f->view.help);
	assert_int_equal(tui_key(&f->view, 's'), TUI_REDRAW);
	assert_false(f->view.help);
	assert_int_equal(f->view.sort_column, TUI_COL_VMEMMAP_DRAM);
	relayout(f);
	assert_int_equal(find_row(&f->canvas, "zdevtop keys"), -1);
	tui_key(&f->view, '?');
	assert_true(f->view.help);
	assert_int_equal(tui_key(&f->view, 'x'), TUI_REDRAW);
	assert_false(f->view.help);
	tui_key(&f->view, KEY_F(1));
	assert_true(f->view.help);
	/* q quits even from the help */
	assert_int_equal(tui_key(&f->view, 'q'), TUI_QUIT);

	assert_int_equal(tui_key(&f->view, 'q'), TUI_QUIT);
	assert_int_equal(tui_key(&f->view, 'Q'), TUI_QUIT);
	assert_int_equal(tui_key(&f->view, 'z'), TUI_NONE);
	assert_int_equal(tui_key(&f->view, 12), TUI_REDRAW); /* ^L */
}

static void keys_change_the_refresh_within_limits(void **state)
{
	struct fixture *f = *state;
	const double faster[] = { 0.5, 0.25, 0.125, 0.1, 0.1 };

	for (size_t i = 0; i < sizeof(faster) / sizeof(faster[0]); i++) {
		assert_int_equal(tui_key(&f->view, '+'), TUI_REFRESH_CHANGED);
		assert_float_equal(f->view.refresh_s, faster[i], 1e-9);
	}
	for (double want = 0.2; want < 60; want *= 2) {
		assert_int_equal(tui_key(&f->view, '-'), TUI_REFRESH_CHANGED);
		assert_float_equal(f->view.refresh_s, want, 1e-9);
	}
	assert_int_equal(tui_key(&f->view, '-'), TUI_REFRESH_CHANGED);
	assert_float_equal(f->view.refresh_s, 60, 1e-9);
	tui_key(&f->view, '-');
	assert_float_equal(f->view.refresh_s, 60, 1e-9);
	tui_key(&f->view, '=');
	assert_float_equal(f->view.refresh_s, 30, 1e-9);
	layout_at(f, 24, 80);
	assert_non_null(strstr(row_text(&f->canvas, 0), "refresh 30.0 s"));
}

static void tab_cycles_the_focus(void **state)
{
	struct fixture *f = *state;
	const char *const titles[TUI_PANEL_COUNT] = { "PGMAPS  7 shown", "P2P POOLS", "MIGRATIONS", "EVENTS" };

	for (int round = 0; round < 2 * TUI_PANEL_COUNT; round++) {
		enum tui_panel want = round % TUI_PANEL_COUNT;

		assert_int_equal(f->view.focus, want);
		layout_at(f, 24, 80);
		/* the focused panel's title, and only it, has the focus attribute */
		for (int panel = 0; panel < TUI_PANEL_COUNT; panel++) {
			int row = starts_row(&f->canvas, titles[panel]);

			assert_true(row > 0);
			assert_int_equal(f->canvas.cells[(size_t)row * f->canvas.cols].attr,
					 panel == (int)want ? TUI_FOCUS : TUI_TITLE);
		}
		assert_int_equal(tui_key(&f->view, '\t'), TUI_REDRAW);
	}
	assert_int_equal(tui_key(&f->view, KEY_BTAB), TUI_REDRAW);
	assert_int_equal(f->view.focus, TUI_PANEL_LOG);
	tui_key(&f->view, KEY_BTAB);
	assert_int_equal(f->view.focus, TUI_PANEL_MIGRATIONS);
}

static void scrolling_is_clamped(void **state)
{
	struct fixture *f = *state;
	unsigned ids[16];

	/* 16 rows: the pgmaps panel gets its minimum, 3 of the 7 rows */
	layout_at(f, 16, 80);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 3);
	assert_int_equal(tui_key(&f->view, KEY_UP), TUI_REDRAW);
	assert_int_equal(f->view.scroll[TUI_PANEL_PGMAPS], 0);
	assert_int_equal(tui_key(&f->view, 'j'), TUI_REDRAW);
	relayout(f);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 3);
	assert_int_equal(ids[0], 3); /* by DRAM vmemmap: 4 3 2 7 1 5 6 */
	for (int i = 0; i < 5; i++)
		tui_key(&f->view, KEY_NPAGE);
	relayout(f);
	/* scrolled to the end, no further: the last rows fill the panel */
	assert_int_equal(f->view.scroll[TUI_PANEL_PGMAPS], 4);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 3);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[2], 6);
	assert_int_equal(tui_key(&f->view, KEY_PPAGE), TUI_REDRAW);
	assert_int_equal(f->view.scroll[TUI_PANEL_PGMAPS], 0);
	tui_key(&f->view, 'j');
	tui_key(&f->view, KEY_HOME);
	assert_int_equal(f->view.scroll[TUI_PANEL_PGMAPS], 0);
	relayout(f);
	drawn_ids(&f->canvas, ids, 16);
	assert_int_equal(ids[0], 4);
	/* the other panels scroll on their own */
	tui_key(&f->view, '\t');
	tui_key(&f->view, KEY_DOWN);
	assert_int_equal(f->view.scroll[TUI_PANEL_PGMAPS], 0);
	relayout(f);
	assert_int_equal(f->view.scroll[TUI_PANEL_POOLS], 0); /* one pool, one row: nothing to scroll */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sort_by_every_column, setup, teardown),
		cmocka_unit_test_setup_teardown(sort_examples, setup, teardown),
		cmocka_unit_test_setup_teardown(filter_leaves_matching_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_pause_help_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_change_the_refresh_within_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(tab_cycles_the_focus, setup, teardown),
		cmocka_unit_test_setup_teardown(scrolling_is_clamped, setup, teardown),
	};

	need_utf8_locale("test_tui_keys");
	return cmocka_run_group_tests_name("tui_keys", tests, NULL, NULL);
}
