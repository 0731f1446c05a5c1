/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fixture zdevtop's unit tests share: a model of 7 pgmaps of every kind and state, a pool and
 * migrations, laid out on a canvas, and helpers that read the canvas back as text. Include after cmocka.h,
 * with _GNU_SOURCE defined first (wcwidth).
 */
#ifndef ZDEV_TEST_TUI_FIXTURE_H
#define ZDEV_TEST_TUI_FIXTURE_H

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include "records.h"
#include "zdev/render.h"
#include "../../src/tui/tui.h"

#define SEC 1000000000ull
#define START_NS (SEC / 2)

/* --- the model: 7 pgmaps of every kind and state, a pool, migrations ----------------------------------- */
struct fixture {
	struct zdev_model model;
	struct tui_history history;
	struct tui_eventlog log;
	struct tui_view view;
	struct tui_canvas canvas;
	struct tui_context context;
};

static inline void apply(struct zdev_model *model, struct zdev_event event)
{
	assert_int_equal(zdev_model_apply(model, &event), 0);
}

static inline struct zdev_event map_at(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes,
				       const char *device, uint64_t owner, uint64_t at_ns)
{
	struct zdev_event event = map_event(key, type, start, bytes, device);

	event.map.owner_key = owner;
	event.map.header.timestamp_ns = at_ns;
	return event;
}

static inline struct zdev_event migration_at(uint64_t owner, uint32_t direction, uint64_t pages,
					     uint64_t latency_ns, uint64_t at_ns)
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
static inline void build_model(struct zdev_model *model)
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
	apply(model, page_use_event(0x3, 100, 60));
	apply(model, page_use_event(0x4, 7, 0));
	apply(model, pool_event(ZDEV_POOL_CREATED, 0x70, 64 * MiB, 64 * MiB, 64 * MiB, 0, 0, 0));
	/* owner 1: one fast and three slow migrations to the device; P50 is a slow one */
	apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_DEVICE, 64, 1000, 6 * SEC));
	for (int i = 0; i < 3; i++)
		apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_DEVICE, 64, 3000000, 6 * SEC));
	apply(model, migration_at(0xa1, ZDEV_MIGRATE_TO_RAM, 16, 50000, 7 * SEC));
	assert_int_equal(model->nr_pgmaps, 7);
}

static inline int setup(void **state)
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

static inline int teardown(void **state)
{
	struct fixture *f = *state;

	tui_canvas_free(&f->canvas);
	tui_eventlog_free(&f->log);
	zdev_model_free(&f->model);
	free(f);
	return 0;
}

/* --- canvas helpers ------------------------------------------------------------------------------------- */
static inline const char *row_text(const struct tui_canvas *canvas, int row)
{
	static char line[8192];

	tui_row_text(canvas, row, line, sizeof(line));
	return line;
}

static inline int find_row(const struct tui_canvas *canvas, const char *needle)
{
	for (int row = 0; row < canvas->rows; row++)
		if (strstr(row_text(canvas, row), needle))
			return row;
	return -1;
}

static inline int starts_row(const struct tui_canvas *canvas, const char *prefix)
{
	for (int row = 0; row < canvas->rows; row++)
		if (!strncmp(row_text(canvas, row), prefix, strlen(prefix)))
			return row;
	return -1;
}

static inline void layout_at(struct fixture *f, int rows, int cols)
{
	tui_canvas_free(&f->canvas);
	assert_int_equal(tui_canvas_init(&f->canvas, rows, cols), 0);
	assert_int_equal(tui_layout(&f->canvas, &f->model, &f->history, &f->log, &f->view, &f->context, 0), 0);
}

static inline void relayout(struct fixture *f)
{
	assert_int_equal(tui_layout(&f->canvas, &f->model, &f->history, &f->log, &f->view, &f->context, 0), 0);
}

/* every cell one printable column; every row, as text, no wider than the canvas */
static inline void assert_canvas_sane(const struct tui_canvas *canvas)
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
static inline int drawn_ids(const struct tui_canvas *canvas, unsigned ids[], int max)
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

static inline const struct zdev_pgmap *pgmap_by_id(const struct zdev_model *model, unsigned id)
{
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		if (model->pgmaps[i].id == id)
			return &model->pgmaps[i];
	fail_msg("no pgmap %u", id);
	return NULL;
}

/* what the DEVICE column shows: the device, else the owner, else "-" */
static inline const char *device_label(const struct zdev_pgmap *pgmap, char *buf, size_t len)
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
static inline int pgmap_row(const struct tui_canvas *canvas, unsigned id)
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

/* the canvas is UTF-8 (a device name is bytes; the sparkline and µ are not ASCII): without the locale a
 * test program cannot run */
static inline void need_utf8_locale(const char *program)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "%s: no C.UTF-8 locale\n", program);
		exit(1);
	}
}

#endif /* ZDEV_TEST_TUI_FIXTURE_H */
