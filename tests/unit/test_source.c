// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The record source (zdev/source.h) over record files: at once it holds every record and says how the file
 * ended (complete, without its END block, cut short); paced, each poll applies the records the playback
 * clock (a test clock here) has reached, in file order, the END block's drops after the last, and the clock
 * stops where the recording did.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "record_files.h"
#include "zdev/source.h"

/* the run's records (record_files.c): four maps stamped 1000, two unmaps 2000, a migration unstamped */
#define RUN_START_NS 1000
#define MAPS_AT_NS 1000
#define UNMAPS_AT_NS 2000
#define MAPS 4

struct test_clock {
	uint64_t now_ns;
};

static uint64_t test_clock_ns(void *ctx)
{
	return ((struct test_clock *)ctx)->now_ns;
}

/* the run written whole to whole.zdev (the writer never replaces a file: the last test's goes first) */
static void write_whole_run(char *path, size_t path_len, struct layout *layout)
{
	path_in_temp(path, path_len, "whole.zdev");
	unlink(path);
	write_run(path, layout, 0);
}

/* NAME: the first `len` bytes of the whole run (a crash, a copy cut short) */
static void write_run_prefix(char *path, size_t path_len, const char *name, size_t len)
{
	char whole[512];
	struct file_bytes file;

	path_in_temp(whole, sizeof(whole), "whole.zdev");
	file = read_whole_file(whole);
	assert_true(len <= file.len);
	path_in_temp(path, path_len, name);
	write_whole_file(path, file.data, len);
	free(file.data);
}

static struct zdev_source *open_at_once(const char *path)
{
	struct zdev_source_playback at_once = { .speed = 0 };
	char error[512] = "";
	struct zdev_source *source = zdev_source_open_file(path, &at_once, error, sizeof(error));

	assert_non_null(source);
	assert_string_equal(error, "");
	return source;
}

static void at_once_a_complete_record(void **state)
{
	struct zdev_source *source;
	struct layout layout;
	char path[512];

	(void)state;
	write_whole_run(path, sizeof(path), &layout);
	source = open_at_once(path);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_COMPLETE);
	assert_false(zdev_source_is_live(source));
	assert_int_equal(zdev_source_fd(source), -1);
	assert_int_equal(zdev_source_model(source)->events, RUN_RECORDS);
	assert_int_equal(zdev_source_model(source)->dropped_records, DROPPED_RECORDS);
	assert_string_equal(zdev_source_kernel_release(source), KERNEL_RELEASE);
	assert_int_equal(zdev_source_start_ns(source), RUN_START_NS);
	/* the clock at the last record played (the migration, unstamped) */
	assert_int_equal(zdev_source_now_ns(source), 0);
	/* a poll has nothing left to do */
	assert_int_equal(zdev_source_poll(source, 0), 0);
	assert_int_equal(zdev_source_model(source)->events, RUN_RECORDS);
	zdev_source_close(source);
}

static void at_once_a_record_without_end(void **state)
{
	struct zdev_source *source;
	struct layout layout;
	char path[512];

	(void)state;
	write_whole_run(path, sizeof(path), &layout);
	write_run_prefix(path, sizeof(path), "no-end.zdev", layout.block_end[BLOCK_RECORDS_3]);
	source = open_at_once(path);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_NO_END);
	assert_int_equal(zdev_source_replay(source)->result.truncated_bytes, 0);
	assert_false(zdev_source_replay(source)->result.has_end);
	assert_int_equal(zdev_source_model(source)->events, RUN_RECORDS);
	/* the drops are the END block's: unknown without it */
	assert_int_equal(zdev_source_model(source)->dropped_records, 0);
	zdev_source_close(source);
}

static void at_once_a_record_cut_short(void **state)
{
	struct zdev_source *source;
	struct layout layout;
	char path[512];
	size_t cut;

	(void)state;
	write_whole_run(path, sizeof(path), &layout);
	cut = block_start(&layout, BLOCK_RECORDS_3) + 20;
	write_run_prefix(path, sizeof(path), "cut.zdev", cut);
	source = open_at_once(path);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_CUT_SHORT);
	assert_int_equal(zdev_source_replay(source)->result.truncated_bytes, cut - block_start(&layout, BLOCK_RECORDS_3));
	assert_int_equal(zdev_source_model(source)->events, layout.records_through[BLOCK_RECORDS_2]);
	zdev_source_close(source);
}

static void a_file_that_cannot_be_used_says_why(void **state)
{
	struct zdev_source_playback paced = { .speed = 1 };
	char path[512], error[512] = "", expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "none.zdev");
	assert_null(zdev_source_open_file(path, &paced, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "cannot read %s: No such file or directory", path);
	assert_string_equal(error, expected);
	assert_null(zdev_source_open_buffer("ZDEVREC\n", 8, NULL, error, sizeof(error)));
	assert_string_equal(error, "the file ends inside its header (8 bytes): nothing to read");
}

/* paced at `speed` over the whole run, mapped from its file or from memory */
static void play_the_run(int from_file, double speed)
{
	struct test_clock clock = { .now_ns = 5000000000ull };
	struct zdev_source_playback paced = { .speed = speed, .clock_ns = test_clock_ns, .clock_ctx = &clock };
	struct zdev_source *source;
	struct zdev_model *model;
	struct file_bytes file;
	struct layout layout;
	char path[512], error[512] = "";
	uint64_t real_start_ns = clock.now_ns;

	write_whole_run(path, sizeof(path), &layout);
	file = read_whole_file(path);
	source = from_file ? zdev_source_open_file(path, &paced, error, sizeof(error))
			   : zdev_source_open_buffer(file.data, file.len, &paced, error, sizeof(error));
	assert_non_null(source);
	model = zdev_source_model(source);
	/* the snapshot is there from the start, the records come with the clock */
	assert_int_equal(model->nr_pgmaps, 1);
	assert_int_equal(model->events, 0);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_RUNNING);

	assert_int_equal(zdev_source_poll(source, 0), 0);
	assert_int_equal(zdev_source_now_ns(source), RUN_START_NS);
	assert_int_equal(model->events, MAPS);

	clock.now_ns = real_start_ns + (uint64_t)((UNMAPS_AT_NS - RUN_START_NS - 1) / speed);
	zdev_source_poll(source, 0);
	assert_int_equal(model->events, MAPS);
	assert_int_equal(model->dropped_records, 0);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_RUNNING);

	/* the unmaps' time: they go, and the unstamped migration after them in file order, then the END's drops */
	clock.now_ns = real_start_ns + (uint64_t)((UNMAPS_AT_NS - RUN_START_NS) / speed);
	zdev_source_poll(source, 0);
	assert_int_equal(model->events, RUN_RECORDS);
	assert_int_equal(model->dropped_records, DROPPED_RECORDS);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_COMPLETE);
	assert_int_equal(zdev_source_now_ns(source), UNMAPS_AT_NS);

	/* the clock stops where the recording stopped */
	clock.now_ns = real_start_ns + (uint64_t)(2 * TRACED_NS / speed);
	zdev_source_poll(source, 0);
	assert_int_equal(zdev_source_now_ns(source), run_end().monotonic_end_ns);
	assert_int_equal(model->events, RUN_RECORDS);
	assert_int_equal(model->dropped_records, DROPPED_RECORDS);
	zdev_source_close(source);
	free(file.data);
}

static void paced_from_a_file(void **state)
{
	(void)state;
	play_the_run(1, 1);
}

static void paced_from_memory_at_twice_the_speed(void **state)
{
	(void)state;
	play_the_run(0, 2);
}

/* paced, a record without END: every record played, no drops known, and the clock does not stop */
static void paced_without_end(void **state)
{
	struct test_clock clock = { .now_ns = 1 };
	struct zdev_source_playback paced = { .speed = 1, .clock_ns = test_clock_ns, .clock_ctx = &clock };
	struct zdev_source *source;
	struct layout layout;
	char path[512], error[512] = "";

	(void)state;
	write_whole_run(path, sizeof(path), &layout);
	write_run_prefix(path, sizeof(path), "paced-no-end.zdev", layout.block_end[BLOCK_RECORDS_3]);
	source = zdev_source_open_file(path, &paced, error, sizeof(error));
	assert_non_null(source);
	clock.now_ns += 2 * TRACED_NS;
	zdev_source_poll(source, 0);
	assert_int_equal(zdev_source_state(source), ZDEV_SOURCE_NO_END);
	assert_int_equal(zdev_source_model(source)->events, RUN_RECORDS);
	assert_int_equal(zdev_source_model(source)->dropped_records, 0);
	assert_int_equal(zdev_source_now_ns(source), RUN_START_NS + 2 * TRACED_NS);
	zdev_source_close(source);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_once_a_complete_record),
		cmocka_unit_test(at_once_a_record_without_end),
		cmocka_unit_test(at_once_a_record_cut_short),
		cmocka_unit_test(a_file_that_cannot_be_used_says_why),
		cmocka_unit_test(paced_from_a_file),
		cmocka_unit_test(paced_from_memory_at_twice_the_speed),
		cmocka_unit_test(paced_without_end),
	};

	return cmocka_run_group_tests_name("source", tests, make_temp_dir, remove_temp_dir);
}
