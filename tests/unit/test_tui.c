// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop's pure parts, driven with a model built from records: the layout at 80x24 and 200x60 (every panel,
 * nothing wider than the canvas), sorting and filtering the pgmaps, the keys, the rate history, the event
 * log, hostile device names and tiny terminals.
 */
#define _GNU_SOURCE /* wcwidth, strcasestr */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <cmocka.h>
#include <curses.h> /* KEY_* codes only (macros): tui_key takes ncurses' codes */
#include "records.h"
#include "zdev/render.h"
#include "../../src/tui/tui.h"

#define SEC 1000000000ull
#define START_NS (SEC / 2)
#define ESCAPE 27

/* --- the model: 7 pgmaps of every kind and state, a pool, migrations ----------------------------------- */
struct fixture {
	struct zdev_model model;
	struct tui_history history;
	struct tui_eventlog log;
	struct tui_view view;
	struct tui_canvas canvas;
	struct tui_context context;
};

static void apply(struct zdev_model *model, struct zdev_event event)
{
	assert_int_equal(zdev_model_apply(model, &event), 0);
}

static struct zdev_event map_at(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes, const char *device,
				uint64_t owner, uint64_t at_ns)
{
	struct zdev_event event = map_event(key, type, start, bytes, device);

	event.map.owner_key = owner;
	event.map.header.timestamp_ns = at_ns;
	return event;
}

static struct zdev_event page_use(uint64_t key, uint64_t initialised, uint64_t freed)
{
	struct zdev_event use;

	memset(&use, 0, sizeof(use));
	use.type = ZDEV_REC_PAGE_USE;
	use.page_use.pgmap_key = key;
	use.page_use.pages_initialised = initialised;
	use.page_use.pages_freed = freed;
	return use;
}

static struct zdev_event migration_at(uint64_t owner, uint32_t direction, uint64_t pages, uint64_t latency_ns,
				      uint64_t at_ns)
{
	struct zdev_event event = migration_event(owner, direction, ZDEV_TRIGGER_DRIVER, pages, latency_ns);

	event.migration.header.timestamp_ns = at_ns;
	return event;
}

/*
 *   id 1  generic   dax0.0        32 MiB  present at start
 *   id 2  fsdax     namespace0.0 128 MiB  registered at 1 s, unmapped at 5 s
 *   id 3  private   owner 1      256 MiB  40 device pages in use
 *   id 4  coherent  owner 2      512 MiB  7 device pages in use
 *   id 5  fsdax     pfn1.0       128 MiB  memmap on the device
 *   id 6  p2pdma    0000:00:05.0  64 MiB  registration failed: ENXIO
 *   id 7  coherent  owner 3       64 MiB
 */
static void build_model(struct zdev_model *model)
{
	struct zdev_present_pgmap present = {
		.type = ZDEV_PGMAP_GENERIC, .device = "dax0.0", .range = { 0x20000000, 0x20000000 + 32 * MiB - 1 },
		.has_range = 1, .size_bytes = 32 * MiB, .source = "nd",
	};
	struct zdev_event pfn = map_at(0x5, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0", 0, 3 * SEC + SEC / 2);
	struct zdev_event failed = map_at(0x6, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0", 0, 4 * SEC);
	struct zdev_event unmap = unmap_event(0x2, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);

	assert_int_equal(zdev_model_init(model, &x86_64_geometry), 0);
	assert_int_equal(zdev_model_add_present(model, &present), 0);
	apply(model, map_at(0x2, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0", 0, 1 * SEC));
	apply(model, map_at(0x3, ZDEV_PGMAP_PRIVATE, 0x100000000ull, 256 * MiB, NULL, 0xa1, 2 * SEC));
	apply(model, map_at(0x4, ZDEV_PGMAP_COHERENT, 0x200000000ull, 512 * MiB, NULL, 0xa2, 3 * SEC));
	pfn.map.altmap_valid = 1;
	pfn.map.pgmap_flags = ZDEV_PGMAP_ALTMAP_VALID;
	pfn.map.altmap_alloc = 512;
	apply(model, pfn);
	failed.map.result = -6; /* ENXIO */
	apply(model, failed);
	apply(model, map_at(0x7, ZDEV_PGMAP_COHERENT, 0x300000000ull, 64 * MiB, NULL, 0xa3, 4 * SEC + SEC / 2));
	unmap.unmap.header.timestamp_ns = 5 * SEC;
	apply(model, unmap);
	apply(model, page_use(0x3, 100, 60));
	apply(model, page_use(0x4, 7, 0));
	apply(model, pool_event(ZDEV_POOL_CREATED, 0x70, 64 * MiB, 64 * MiB, 64 * MiB, 0, 0, 0));
	/* owner 1: one fast and three slow migrations to the device; P50 is a slow one */
	apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_DEVICE, 64, 1000, 6 * SEC));
	for (int i = 0; i < 3; i++)
		apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_DEVICE, 64, 3000000, 6 * SEC));
	apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_RAM, 16, 50000, 7 * SEC));
	assert_int_equal(model->nr_pgmaps, 7);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	build_model(&f->model);
	tui_view_init(&f->view, 1.0, 1);
	tui_eventlog_init(&f->log, START_NS);
	assert_int_equal(tui_eventlog_update(&f->log, &f->model), 0);
	tui_history_sample(&f->history, &f->model, 8 * SEC);
	f->context = (struct tui_context){
		.source = "replay of test.zdev", .kernel_release = "6.12.117-zdev-lab", .mem_total_bytes = 4096 * MiB,
		.now_ns = 8 * SEC, .start_ns = START_NS, .frame = 1,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tui_canvas_free(&f->canvas);
	tui_eventlog_free(&f->log);
	zdev_model_free(&f->model);
	free(f);
	return 0;
}

/* --- canvas helpers ------------------------------------------------------------------------------------- */
static const char *row_text(const struct tui_canvas *canvas, int row)
{
	static char line[8192];

	tui_row_text(canvas, row, line, sizeof(line));
	return line;
}

static int find_row(const struct tui_canvas *canvas, const char *needle)
{
	for (int row = 0; row < canvas->rows; row++)
		if (strstr(row_text(canvas, row), needle))
			return row;
	return -1;
}

static int starts_row(const struct tui_canvas *canvas, const char *prefix)
{
	for (int row = 0; row < canvas->rows; row++)
		if (!strncmp(row_text(canvas, row), prefix, strlen(prefix)))
			return row;
	return -1;
}

static void layout_at(struct fixture *f, int rows, int cols)
{
	tui_canvas_free(&f->canvas);
	assert_int_equal(tui_canvas_init(&f->canvas, rows, cols), 0);
	assert_int_equal(tui_layout(&f->canvas, &f->model, &f->history, &f->log, &f->view, &f->context, 0), 0);
}

static void relayout(struct fixture *f)
{
	assert_int_equal(tui_layout(&f->canvas, &f->model, &f->history, &f->log, &f->view, &f->context, 0), 0);
}

/* every cell one printable column; every row, as text, no wider than the canvas */
static void assert_canvas_sane(const struct tui_canvas *canvas)
{
	assert_true(canvas->used_rows <= canvas->rows);
	for (int row = 0; row < canvas->rows; row++) {
		const char *text = row_text(canvas, row);
		size_t width = mbstowcs(NULL, text, 0);

		assert_true(width != (size_t)-1);
		assert_true(width <= (size_t)canvas->cols);
		for (int col = 0; col < canvas->cols; col++) {
			wchar_t ch = canvas->cells[(size_t)row * canvas->cols + col].ch;

			assert_true(ch >= L' ' && ch != 0x7f);
			assert_true(iswprint((wint_t)ch));
			assert_int_equal(wcwidth(ch), 1);
			assert_true(canvas->cells[(size_t)row * canvas->cols + col].attr < TUI_ATTR_COUNT);
		}
	}
}

/* the ids of the pgmap rows as drawn, top to bottom */
static int drawn_ids(const struct tui_canvas *canvas, unsigned ids[], int max)
{
	/* row 1 is the header's "PGMAPS  live: ..."; the panel's title says "shown of" */
	int title = find_row(canvas, " shown of "), n = 0;

	assert_true(title > 0);
	assert_non_null(strstr(row_text(canvas, title + 1), "ID TYPE"));
	for (int row = title + 2; row < canvas->rows && n < max; row++) {
		unsigned id;

		if (!strncmp(row_text(canvas, row), "P2P POOLS", 9) || sscanf(row_text(canvas, row), "%u", &id) != 1)
			break;
		ids[n++] = id;
	}
	return n;
}

static const struct zdev_pgmap *pgmap_by_id(const struct zdev_model *model, unsigned id)
{
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		if (model->pgmaps[i].id == id)
			return &model->pgmaps[i];
	fail_msg("no pgmap %u", id);
	return NULL;
}

/* what the DEVICE column shows: the device, else the owner, else "-" */
static const char *device_label(const struct zdev_pgmap *pgmap, char *buf, size_t len)
{
	if (pgmap->device[0])
		snprintf(buf, len, "%s", pgmap->device);
	else if (pgmap->owner_id)
		snprintf(buf, len, "owner %u", pgmap->owner_id);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* the row of pgmap ID in the PGMAPS panel, or -1 */
static int pgmap_row(const struct tui_canvas *canvas, unsigned id)
{
	int title = find_row(canvas, " shown of ");

	for (int row = title + 2; title > 0 && row < canvas->rows; row++) {
		unsigned drawn;

		if (sscanf(row_text(canvas, row), "%u", &drawn) != 1)
			return -1;
		if (drawn == id)
			return row;
	}
	return -1;
}

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

/* --- rates -------------------------------------------------------------------------------------------- */
static void history_rates_per_flow_and_direction(void **state)
{
	struct zdev_model model;
	struct tui_history *history = calloc(1, sizeof(*history));
	int to_device, to_ram;

	(void)state;
	assert_non_null(history);
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_DEVICE), 0, 0);
	tui_history_sample(history, &model, 10 * SEC);
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_DEVICE), 0, 0);
	/* in 1 s: 300 pages to the device by owner A (two migrations), 100 back to RAM, 200 to RAM by owner B */
	apply(&model, migration_at(0xa, ZDEV_MIGRATE_TO_DEVICE, 200, 1000, 10 * SEC + 1));
	apply(&model, migration_at(0xa, ZDEV_MIGRATE_TO_DEVICE, 100, 1000, 10 * SEC + 2));
	apply(&model, migration_at(0xa, ZDEV_MIGRATE_TO_RAM, 100, 1000, 10 * SEC + 3));
	apply(&model, migration_at(0xb, ZDEV_MIGRATE_TO_RAM, 200, 1000, 10 * SEC + 4));
	tui_history_sample(history, &model, 11 * SEC);
	to_device = tui_history_flow(history, 1, ZDEV_MIGRATE_TO_DEVICE);
	to_ram = tui_history_flow(history, 1, ZDEV_MIGRATE_TO_RAM);
	assert_true(to_device >= 0 && to_ram >= 0);
	assert_int_equal(tui_history_flow(history, 9, ZDEV_MIGRATE_TO_DEVICE), -1);
	assert_float_equal(tui_history_rate(history, to_device, 0), 300, 1e-9);
	assert_float_equal(tui_history_rate(history, to_ram, 0), 100, 1e-9);
	assert_float_equal(tui_history_rate(history, tui_history_flow(history, 2, ZDEV_MIGRATE_TO_RAM), 0), 200, 1e-9);
	assert_int_equal(tui_history_flow(history, 2, ZDEV_MIGRATE_TO_DEVICE), -1);
	/* per direction, whatever the owner */
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_DEVICE), 300, 1e-9);
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_RAM), 300, 1e-9);
	/* half a second later, 300 more: 600 pages/s (the source's clock, not the number of samples) */
	apply(&model, migration_at(0xa, ZDEV_MIGRATE_TO_DEVICE, 300, 1000, 11 * SEC + 1));
	tui_history_sample(history, &model, 11 * SEC + SEC / 2);
	assert_float_equal(tui_history_rate(history, to_device, 0), 600, 1e-9);
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_DEVICE), 600, 1e-9);
	assert_float_equal(tui_history_rate(history, -1, ZDEV_MIGRATE_TO_RAM), 0, 0);
	/* no time passed (a replay that ended): no rate, not a division by zero */
	tui_history_sample(history, &model, 11 * SEC + SEC / 2);
	assert_float_equal(tui_history_rate(history, to_device, 0), 0, 0);
	zdev_model_free(&model);
	free(history);
}

static void history_rates_over_a_minute(void **state)
{
	struct zdev_model model;
	struct tui_history *history = calloc(1, sizeof(*history));
	double rates[TUI_HISTORY];
	int flow, n;

	(void)state;
	assert_non_null(history);
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	/* 300 s, one sample a second (more than the ring holds): second s migrates s % 10 pages */
	tui_history_sample(history, &model, 0);
	for (uint64_t s = 1; s <= 300; s++) {
		if (s % 10)
			apply(&model, migration_at(0xa, ZDEV_MIGRATE_TO_DEVICE, s % 10, 1000, s * SEC - 1));
		tui_history_sample(history, &model, s * SEC);
	}
	assert_int_equal(history->count, TUI_HISTORY);
	flow = tui_history_flow(history, 1, ZDEV_MIGRATE_TO_DEVICE);
	assert_int_equal(flow, 0);
	n = tui_history_rates(history, flow, 0, rates, TUI_HISTORY);
	/* the last minute: 60 one-second intervals, oldest first, ending with second 300 (0 pages) */
	assert_int_equal(n, TUI_SPARK_SECONDS);
	for (int i = 0; i < n; i++)
		assert_float_equal(rates[i], (double)((241 + i) % 10), 1e-9);
	assert_float_equal(tui_history_rate(history, flow, 0), 0, 0);
	/* fewer wanted than there are: the newest */
	assert_int_equal(tui_history_rates(history, flow, 0, rates, 5), 5);
	assert_float_equal(rates[4], 0, 0);
	assert_float_equal(rates[3], 9, 1e-9);
	assert_float_equal(rates[0], 6, 1e-9);
	/* per direction */
	n = tui_history_rates(history, -1, ZDEV_MIGRATE_TO_DEVICE, rates, TUI_HISTORY);
	assert_int_equal(n, TUI_SPARK_SECONDS);
	assert_float_equal(rates[n - 2], 9, 1e-9);
	assert_int_equal(tui_history_rates(history, -1, ZDEV_MIGRATE_TO_RAM, rates, TUI_HISTORY), TUI_SPARK_SECONDS);
	assert_float_equal(rates[0], 0, 0);
	zdev_model_free(&model);
	free(history);
}

static void sparkline_and_rates_are_drawn(void **state)
{
	struct fixture *f = *state;
	int row;

	/* 10 more seconds at 50 pages/s, then a burst of 200 */
	for (int s = 1; s <= 10; s++) {
		apply(&f->model, migration_at(0xa1, ZDEV_MIGRATE_TO_DEVICE, s == 10 ? 200 : 50, 3000000, (8 + s) * SEC - 1));
		tui_history_sample(&f->history, &f->model, (8 + s) * SEC);
	}
	f->context.now_ns = 18 * SEC;
	layout_at(f, 60, 200);
	assert_canvas_sane(&f->canvas);
	row = find_row(&f->canvas, "owner 1  to-device");
	assert_true(row > 0);
	assert_non_null(strstr(row_text(&f->canvas, row), "      200 "));
	assert_non_null(strstr(row_text(&f->canvas, row), "▂▂▂▂▂▂▂▂▂█"));
	/* the header's rate per direction */
	assert_non_null(strstr(row_text(&f->canvas, 3), "to device 200 pages/s (0.78 MiB/s)"));
	assert_non_null(strstr(row_text(&f->canvas, 3), "to RAM 0 pages/s"));
}

static void percentiles_are_the_reports(void **state)
{
	struct fixture *f = *state;
	char p50[24], p99[24], want[64];

	layout_at(f, 60, 200);
	for (size_t i = 0; i < f->model.nr_migrations; i++) {
		const struct zdev_migration_stats *stats = &f->model.migrations[i];
		int row;

		snprintf(want, sizeof(want), "owner %u  %-9s", stats->owner_id, zdev_direction_name(stats->direction));
		row = find_row(&f->canvas, want);
		assert_true(row > 0);
		/* the same percentiles as zdevtrace's report (p in percent) */
		zdev_format_ns(p50, sizeof(p50), zdev_migration_percentile(stats, 50));
		zdev_format_ns(p99, sizeof(p99), zdev_migration_percentile(stats, 99));
		snprintf(want, sizeof(want), " %9s %9s ", p50, p99);
		assert_non_null(strstr(row_text(&f->canvas, row), want));
	}
	/* owner 1 to the device: one migration of 1 µs, three of 3 ms: the median is in the 3 ms bucket */
	assert_non_null(strstr(row_text(&f->canvas, find_row(&f->canvas, "owner 1  to-device")), "3.0 ms    3.0 ms"));
}

/* --- event log ---------------------------------------------------------------------------------------- */
static void eventlog_in_time_order(void **state)
{
	struct fixture *f = *state;
	const char *const want[] = {
		/* oldest first */
		"pool 1",
		"pgmap 1 generic dax0.0 present at start (32 MiB)",
		"pgmap 2 fsdax namespace0.0 registered: 128 MiB, vmemmap 2 MiB in DRAM",
		"pgmap 3 private owner 1 registered: 256 MiB, vmemmap 4 MiB in DRAM",
		"pgmap 4 coherent owner 2 registered: 512 MiB, vmemmap 8 MiB in DRAM",
		"pgmap 5 fsdax pfn1.0 registered: 128 MiB, vmemmap 0 B in DRAM (memmap on the device)",
		"pgmap 6 p2pdma 0000:00:05.0 registration FAILED: ENXIO",
		"pgmap 7 coherent owner 3 registered: 64 MiB, vmemmap 1 MiB in DRAM",
		"pgmap 2 fsdax namespace0.0 unmapped",
	};
	const size_t count = sizeof(want) / sizeof(want[0]);
	const struct tui_log_entry *entry;
	int row;

	assert_int_equal(f->log.count, count);
	assert_int_equal(f->log.total, count);
	for (size_t i = 0; i < count; i++) {
		entry = tui_eventlog_get(&f->log, count - 1 - i);
		assert_non_null(entry);
		if (!strstr(entry->text, want[i]))
			fail_msg("event %zu: '%s', want '%s'", i, entry->text, want[i]);
		assert_int_equal(entry->warn, strstr(want[i], "FAILED") != NULL);
		if (i)
			assert_true(entry->at_ns >= tui_eventlog_get(&f->log, count - i)->at_ns);
	}
	assert_null(tui_eventlog_get(&f->log, count));
	/* nothing new: nothing logged */
	assert_int_equal(tui_eventlog_update(&f->log, &f->model), 0);
	assert_int_equal(f->log.total, count);
	/* drawn newest first, with times from the start */
	layout_at(f, 60, 200);
	row = starts_row(&f->canvas, "EVENTS  9, newest first");
	assert_true(row > 0);
	assert_non_null(strstr(row_text(&f->canvas, row + 1), "+4.500s pgmap 2 fsdax namespace0.0 unmapped"));
	assert_non_null(strstr(row_text(&f->canvas, row + 3), "+3.500s pgmap 6 p2pdma 0000:00:05.0 registration FAILED: ENXIO"));
	assert_int_equal(f->canvas.cells[(size_t)(row + 3) * f->canvas.cols + 11].attr, TUI_WARN);
	assert_non_null(strstr(row_text(&f->canvas, row + 8), "+0.000s pgmap 1 generic dax0.0 present at start"));
}

static void eventlog_across_updates(void **state)
{
	struct zdev_model model;
	struct tui_eventlog log;
	struct zdev_event late_unmap = unmap_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);
	struct zdev_event unseen = unmap_event(0x99, ZDEV_PGMAP_FS_DAX, 0x50000000, 128 * MiB);

	(void)state;
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	tui_eventlog_init(&log, SEC);
	apply(&model, map_at(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0", 0, 2 * SEC));
	assert_int_equal(tui_eventlog_update(&log, &model), 0);
	assert_int_equal(log.total, 1);
	/* registered and gone between two updates: both, in order; pgmap 1's unmap after pgmap 2's registration */
	apply(&model, map_at(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "namespace1.0", 0, 3 * SEC));
	late_unmap.unmap.header.timestamp_ns = 5 * SEC;
	apply(&model, late_unmap);
	apply(&model, map_at(0x3, ZDEV_PGMAP_GENERIC, 0x58000000, 128 * MiB, "dax1.0", 0, 4 * SEC));
	unseen.unmap.header.timestamp_ns = 6 * SEC;
	apply(&model, unseen);
	assert_int_equal(tui_eventlog_update(&log, &model), 0);
	assert_int_equal(log.total, 6);
	assert_non_null(strstr(tui_eventlog_get(&log, 0)->text, "anomaly: pgmap 4 unmapped, its registration never seen"));
	assert_true(tui_eventlog_get(&log, 0)->warn);
	assert_non_null(strstr(tui_eventlog_get(&log, 1)->text, "pgmap 4 fsdax no device unmapped"));
	assert_non_null(strstr(tui_eventlog_get(&log, 2)->text, "pgmap 1 fsdax namespace0.0 unmapped"));
	assert_non_null(strstr(tui_eventlog_get(&log, 3)->text, "pgmap 3 generic dax1.0 registered"));
	assert_non_null(strstr(tui_eventlog_get(&log, 4)->text, "pgmap 2 fsdax namespace1.0 registered"));
	assert_non_null(strstr(tui_eventlog_get(&log, 5)->text, "pgmap 1 fsdax namespace0.0 registered"));
	/* the ring keeps the newest TUI_LOG_ENTRIES */
	for (int i = 0; i < TUI_LOG_ENTRIES; i++) {
		apply(&model, map_at(0x1000 + i, ZDEV_PGMAP_PRIVATE, 0x1000000000ull + (uint64_t)i * 256 * MiB, 256 * MiB,
				     NULL, 0xa, (10 + (uint64_t)i) * SEC));
		assert_int_equal(tui_eventlog_update(&log, &model), 0);
	}
	assert_int_equal(log.count, TUI_LOG_ENTRIES);
	assert_int_equal(log.total, 6 + TUI_LOG_ENTRIES);
	assert_non_null(strstr(tui_eventlog_get(&log, TUI_LOG_ENTRIES - 1)->text, "pgmap 5 private"));
	assert_null(tui_eventlog_get(&log, TUI_LOG_ENTRIES));
	tui_eventlog_free(&log);
	zdev_model_free(&model);
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
		cmocka_unit_test_setup_teardown(sort_by_every_column, setup, teardown),
		cmocka_unit_test_setup_teardown(sort_examples, setup, teardown),
		cmocka_unit_test_setup_teardown(filter_leaves_matching_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_pause_help_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_change_the_refresh_within_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(tab_cycles_the_focus, setup, teardown),
		cmocka_unit_test_setup_teardown(scrolling_is_clamped, setup, teardown),
		cmocka_unit_test(history_rates_per_flow_and_direction),
		cmocka_unit_test(history_rates_over_a_minute),
		cmocka_unit_test_setup_teardown(sparkline_and_rates_are_drawn, setup, teardown),
		cmocka_unit_test_setup_teardown(percentiles_are_the_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(eventlog_in_time_order, setup, teardown),
		cmocka_unit_test(eventlog_across_updates),
		cmocka_unit_test_setup_teardown(bad_device_names_are_question_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(tiny_canvases_do_not_crash, setup, teardown),
		cmocka_unit_test(an_empty_model_is_drawn),
	};

	/* the canvas is UTF-8 (a device name is bytes; the sparkline and µ are not ASCII) */
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_tui: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
