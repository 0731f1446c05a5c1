// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop's view over time: migration rates per flow and direction and over a minute (the sparkline), the
 * percentiles beside them, and the event log in time order across updates.
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
#include "tui_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(history_rates_per_flow_and_direction),
		cmocka_unit_test(history_rates_over_a_minute),
		cmocka_unit_test_setup_teardown(sparkline_and_rates_are_drawn, setup, teardown),
		cmocka_unit_test_setup_teardown(percentiles_are_the_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(eventlog_in_time_order, setup, teardown),
		cmocka_unit_test(eventlog_across_updates),
	};

	need_utf8_locale("test_tui_history");
	return cmocka_run_group_tests_name("tui_history", tests, NULL, NULL);
}
