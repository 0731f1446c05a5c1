// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop's layout, driven with tui_fixture.h's model: every panel at 80x24 and 200x60 (nothing wider than
 * the canvas), batch frames, hostile device names and tiny terminals. Keys are test_tui_keys.c's, rates and
 * the event log test_tui_history.c's.
 */
#define _GNU_SOURCE /* wcwidth */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tui_fixture.h"

/* --- layout -------------------------------------------------------------------------------------------- */
static void check_every_panel(struct fixture *f, int rows, int cols)
{
	layout_at(f, rows, cols);
	assert_canvas_sane(&f->canvas);
	assert_int_equal(starts_row(&f->canvas, "zdevtop  replay of test.zdev"), 0);
	assert_int_equal(starts_row(&f->canvas, "PGMAPS  live:"), 1);
	assert_int_equal(starts_row(&f->canvas, "VMEMMAP "), 2);
	assert_int_equal(starts_row(&f->canvas, "DROPPED 0  MIGRATE "), 3);
	assert_int_equal(starts_row(&f->canvas, "PGMAPS  7 shown of 7"), 4);
	assert_true(starts_row(&f->canvas, "P2P POOLS  1") > 4);
	assert_true(starts_row(&f->canvas, "MIGRATIONS  2 flows") > starts_row(&f->canvas, "P2P POOLS"));
	assert_true(starts_row(&f->canvas, "EVENTS  ") > starts_row(&f->canvas, "MIGRATIONS"));
	assert_true(starts_row(&f->canvas, "EVENTS  ") < rows - 1);
	/* the status line is the last row, and only there */
	assert_int_equal(starts_row(&f->canvas, "q quit  h help"), rows - 1);
	assert_int_equal(f->canvas.used_rows, rows);
	/* the header's totals */
	assert_non_null(strstr(row_text(&f->canvas, 1), "live: 1 private, 2 coherent, 1 fsdax, 1 generic"));
	assert_non_null(strstr(row_text(&f->canvas, 1), "unmapped 1"));
	assert_non_null(strstr(row_text(&f->canvas, 1), "failed 1"));
	assert_non_null(strstr(row_text(&f->canvas, 2), "DRAM "));
	assert_non_null(strstr(row_text(&f->canvas, 3), "to device"));
	/* every pgmap (its device cut to the DEVICE column), the pool, both flows */
	for (unsigned id = 1; id <= 7; id++) {
		const struct zdev_pgmap *pgmap = pgmap_by_id(&f->model, id);
		char label[32], want[64];
		int width = cols - 73 < 8 ? 8 : cols - 73 > 32 ? 32 : cols - 73;

		assert_true(pgmap_row(&f->canvas, id) > 5);
		snprintf(want, sizeof(want), "%4u %-9s %-*.*s", id, zdev_pgmap_type_name(pgmap->type), width, width,
			 device_label(pgmap, label, sizeof(label)));
		assert_non_null(strstr(row_text(&f->canvas, pgmap_row(&f->canvas, id)), want));
	}
	assert_true(find_row(&f->canvas, "   1 0000:00:05.0   p2pdma") > starts_row(&f->canvas, "P2P POOLS"));
	assert_true(find_row(&f->canvas, "owner 1  to-device") > 0);
	assert_true(find_row(&f->canvas, "owner 1  to-ram") > 0);
}

static void layout_80x24(void **state)
{
	struct fixture *f = *state;

	check_every_panel(f, 24, 80);
	/* the STATE column is whole at 80 columns, not cut: the rows end with it */
	assert_non_null(strstr(row_text(&f->canvas, pgmap_row(&f->canvas, 2)), " 0 unmapped"));
	assert_string_equal(row_text(&f->canvas, pgmap_row(&f->canvas, 2)) + 71, "unmapped");
	assert_non_null(strstr(row_text(&f->canvas, pgmap_row(&f->canvas, 6)), " 0 failed"));
	assert_non_null(strstr(row_text(&f->canvas, pgmap_row(&f->canvas, 1)), " 0 live*"));
	assert_non_null(strstr(row_text(&f->canvas, pgmap_row(&f->canvas, 3)), " 40 live"));
	/* the help fits in 80 columns */
	f->view.help = 1;
	relayout(f);
	assert_canvas_sane(&f->canvas);
	assert_true(find_row(&f->canvas, "zdevtop keys") >= 0);
	assert_true(find_row(&f->canvas, "invert the sort order") >= 0);
}

static void layout_200x60(void **state)
{
	struct fixture *f = *state;

	check_every_panel(f, 60, 200);
	assert_int_equal(strlen(row_text(&f->canvas, 0)), 200); /* "h: help" at the right edge */
	assert_non_null(strstr(row_text(&f->canvas, 0), "h: help"));
	/* room for every row: 7 pgmaps, 8 events */
	assert_true(find_row(&f->canvas, "dax0.0") > 0);
	assert_true(find_row(&f->canvas, "present at start") > 0);
	assert_true(find_row(&f->canvas, "LAST MINUTE") > 0);
}

static void states_show_even_on_a_narrow_header(void **state)
{
	struct fixture *f = *state;

	f->view.paused = 1;
	f->context.ended = 1;
	for (int cols = 40; cols <= 200; cols += 40) {
		layout_at(f, 24, cols);
		assert_canvas_sane(&f->canvas);
		assert_non_null(strstr(row_text(&f->canvas, 0), "PAUSED"));
		assert_non_null(strstr(row_text(&f->canvas, 0), "END OF RECORD"));
	}
	f->view.paused = 0;
	layout_at(f, 24, 80);
	assert_null(strstr(row_text(&f->canvas, 0), "PAUSED"));
}

static void batch_grows_to_every_row(void **state)
{
	struct fixture *f = *state;
	unsigned ids[16];

	tui_canvas_free(&f->canvas);
	assert_int_equal(tui_canvas_init(&f->canvas, 24, 120), 0);
	f->view.help = 1;                    /* no help in batch, no status line */
	f->view.scroll[TUI_PANEL_PGMAPS] = 5; /* batch shows everything from the top */
	assert_int_equal(tui_layout(&f->canvas, &f->model, &f->history, &f->log, &f->view, &f->context, 1), 0);
	assert_canvas_sane(&f->canvas);
	/* 4 header + (2 + 7) + (2 + 1) + (2 + 2) + (1 + 9) */
	assert_int_equal(f->canvas.used_rows, 30);
	assert_true(f->canvas.rows >= 30);
	assert_int_equal(drawn_ids(&f->canvas, ids, 16), 7);
	assert_int_equal(find_row(&f->canvas, "zdevtop keys"), -1);
	assert_int_equal(find_row(&f->canvas, "q quit"), -1);
	assert_true(find_row(&f->canvas, "present at start") > 0);
}

/* --- hostile names and tiny screens ------------------------------------------------------------------- */
static void bad_device_names_are_question_marks(void **state)
{
	struct fixture *f = *state;
	struct tui_canvas canvas;
	/* invalid UTF-8, ESC, a C1 control (CSI), a wide character, ^A, DEL, a sequence cut short */
	const char *name = "bad\xff\x1b[2J\xc2\x9b\xe5\xad\x97\x01\x7f\xe2\x96";
	int row;

	assert_int_equal(tui_canvas_init(&canvas, 2, 40), 0);
	assert_int_equal(tui_put(&canvas, 0, 0, TUI_NORMAL, name), 14);
	assert_string_equal(row_text(&canvas, 0), "bad??[2J??????");
	/* what is valid stays */
	assert_int_equal(tui_put(&canvas, 1, 0, TUI_NORMAL, "µs ▁█ é"), 7);
	assert_string_equal(row_text(&canvas, 1), "µs ▁█ é");
	assert_canvas_sane(&canvas);
	/* clipped, never past the edge */
	assert_int_equal(tui_put(&canvas, 1, 38, TUI_NORMAL, "abcdef"), 2);
	assert_int_equal(tui_put(&canvas, 2, 0, TUI_NORMAL, "x"), 0);
	assert_int_equal(tui_put(&canvas, -1, 0, TUI_NORMAL, "x"), 0);
	assert_int_equal(tui_put(&canvas, 0, -1, TUI_NORMAL, "x"), 0);
	tui_fill_attr(&canvas, 0, -5, 100, TUI_WARN);
	tui_fill_attr(&canvas, 5, 0, 100, TUI_WARN);
	tui_canvas_free(&canvas);

	apply(&f->model, map_at(0x42, ZDEV_PGMAP_FS_DAX, 0x80000000, 128 * MiB, name, 0, 7 * SEC));
	assert_int_equal(tui_eventlog_update(&f->log, &f->model), 0);
	for (int cols = 80; cols <= 200; cols += 120) {
		layout_at(f, cols == 80 ? 24 : 60, cols);
		assert_canvas_sane(&f->canvas);
		row = find_row(&f->canvas, "pgmap 8 fsdax bad??[2J??????");
		assert_true(row > 0);
		assert_true(find_row(&f->canvas, "   8 fsdax     bad??[2J") > 0);
		/* the rows around it are where they belong */
		assert_int_equal(starts_row(&f->canvas, "q quit"), f->canvas.rows - 1);
		assert_int_equal(starts_row(&f->canvas, "PGMAPS  8 shown of 8"), 4);
	}
	/* the filter line takes printable ASCII only */
	tui_key(&f->view, '/');
	assert_int_equal(tui_key(&f->view, 0x1b5), TUI_NONE);
	assert_int_equal(tui_key(&f->view, 0x01), TUI_NONE);
	assert_string_equal(f->view.filter_input, "");
}

static void tiny_canvases_do_not_crash(void **state)
{
	struct fixture *f = *state;
	const int sizes[][2] = { { 10, 20 }, { 1, 1 }, { 1, 200 }, { 2, 80 }, { 5, 10 }, { 24, 10 }, { 100, 40 } };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int variant = 0; variant < 4; variant++) {
			tui_view_init(&f->view, 1.0, variant & 1);
			f->view.help = variant == 1;
			f->view.editing_filter = variant == 2;
			f->view.paused = variant == 3;
			f->view.focus = (enum tui_panel)variant;
			f->view.scroll[variant] = 1000;
			layout_at(f, sizes[i][0], sizes[i][1]);
			assert_canvas_sane(&f->canvas);
			assert_int_equal(f->canvas.rows, sizes[i][0]);
			assert_int_equal(f->canvas.cols, sizes[i][1]);
		}
	}
	/* 10x20: the header starts it, the status line ends it */
	tui_view_init(&f->view, 1.0, 1);
	layout_at(f, 10, 20);
	assert_string_equal(row_text(&f->canvas, 0), "zdevtop  replay of t");
	assert_string_equal(row_text(&f->canvas, 9), "q quit  h help  s <");
	assert_int_equal(starts_row(&f->canvas, "PGMAPS  7 shown of"), 4);
	{
		struct tui_canvas empty;

		assert_int_equal(tui_canvas_init(&empty, 0, 10), -EINVAL);
		assert_int_equal(tui_canvas_init(&empty, 10, 0), -EINVAL);
	}
}

static void an_empty_model_is_drawn(void **state)
{
	struct zdev_model model;
	struct tui_history history;
	struct tui_eventlog log;
	struct tui_view view;
	struct tui_canvas canvas;
	struct tui_context context = { .source = "live", .frame = 1 };

	(void)state;
	memset(&history, 0, sizeof(history));
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	tui_eventlog_init(&log, 0);
	tui_view_init(&view, 1.0, 0);
	assert_int_equal(tui_canvas_init(&canvas, 24, 80), 0);
	assert_int_equal(tui_layout(&canvas, &model, &history, &log, &view, &context, 0), 0);
	assert_canvas_sane(&canvas);
	assert_non_null(strstr(row_text(&canvas, 0), "kernel ?"));
	assert_non_null(strstr(row_text(&canvas, 1), "live: none"));
	assert_int_equal(starts_row(&canvas, "PGMAPS  0 shown of 0"), 4);
	assert_true(starts_row(&canvas, "EVENTS  0") > 4);
	assert_int_equal(starts_row(&canvas, "q quit"), 23);
	tui_canvas_free(&canvas);
	tui_eventlog_free(&log);
	zdev_model_free(&model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(layout_80x24, setup, teardown),
		cmocka_unit_test_setup_teardown(layout_200x60, setup, teardown),
		cmocka_unit_test_setup_teardown(states_show_even_on_a_narrow_header, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_grows_to_every_row, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_device_names_are_question_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(tiny_canvases_do_not_crash, setup, teardown),
		cmocka_unit_test(an_empty_model_is_drawn),
	};

	need_utf8_locale("test_tui_layout");
	return cmocka_run_group_tests_name("tui_layout", tests, NULL, NULL);
}
