// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record files read back whole and cut: a whole file gives the model its records give directly, the parser
 * hands every block to its visitor, and a file cut anywhere (a crash, a short copy) gives what was whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>
#include "record_files.h"

/* --- whole files ------------------------------------------------------------------------------------ */

static void round_trip_gives_the_model_the_records_give(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct direct_run *direct = malloc(sizeof(*direct));
	struct layout layout;
	struct zdev_run_info run;
	static struct zdev_probe_table probes;
	char path[512], error[512] = "";
	char *replayed_json, *direct_json, *replayed_text, *direct_text;

	(void)state;
	assert_non_null(direct);
	path_in_temp(path, sizeof(path), "round-trip.zdev");
	write_run(path, &layout, 0);
	assert_int_equal(layout.blocks, RUN_BLOCKS);

	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), 0);
	assert_string_equal(error, "");
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_OK);
	assert_int_equal(replay->result.format_version, ZDEV_RECORD_FILE_VERSION);
	assert_int_equal(replay->result.blocks, RUN_BLOCKS);
	assert_int_equal(replay->result.records, RUN_RECORDS);
	assert_int_equal(replay->result.truncated_bytes, 0);
	assert_true(replay->result.has_end);
	assert_true(replay->model_ready);
	assert_true(replay->has_probes);
	assert_int_equal(replay->model.dropped_records, DROPPED_RECORDS);
	assert_int_equal(replay->model.events, RUN_RECORDS);
	assert_int_equal(replay->model.undecodable_records, 0);
	assert_int_equal(replay->end.traced_ns, TRACED_NS);
	assert_int_equal(replay->end.records, RUN_RECORDS);
	assert_string_equal(replay->meta.hostname, "testhost");
	zdev_replay_run_info(replay, &probes, &run);
	assert_string_equal(run.kernel_release, KERNEL_RELEASE);
	assert_true(run.traced_seconds == 1.5);
	assert_ptr_equal(run.probes, &probes);

	build_direct(direct, 1, 1, RUN_RECORDS, 1);
	replayed_json = render_json(&replay->model, &run);
	direct_json = render_json(&direct->model, &direct->run);
	assert_string_equal(replayed_json, direct_json);
	/* and the same for people: the text report goes through the same model */
	replayed_text = render_text(&replay->model, &run);
	direct_text = render_text(&direct->model, &direct->run);
	assert_string_equal(replayed_text, direct_text);
	/* the model holds what the records say (so that the equality is not of two empty reports) */
	assert_int_equal(replay->model.nr_pgmaps, 5);
	assert_int_equal(replay->model.pgmaps[0].state, ZDEV_PGMAP_UNMAPPED); /* dax2.0, present at start */
	assert_true(replay->model.pgmaps[0].present_at_start);
	assert_int_equal(replay->model.pgmaps[2].vmemmap_device_bytes, 2 * MiB); /* pfn1.0 */
	assert_int_equal(replay->model.nr_migrations, 1);

	free(replayed_json);
	free(direct_json);
	free(replayed_text);
	free(direct_text);
	zdev_model_free(&direct->model);
	free(direct);
	zdev_replay_free(replay);
	free(replay);
}

struct visits {
	int metas, probes, presents, records, ends;
	struct zdev_file_meta meta;
	struct zdev_file_probe last_probe;
	struct zdev_file_present present;
	struct zdev_file_end end;
	unsigned char record[RUN_RECORDS][sizeof(struct zdev_pgmap_map_record)];
	size_t record_size[RUN_RECORDS];
	int refuse_record; /* 1-based: the visitor refuses this record */
};

static int visit_meta(void *ctx, const struct zdev_file_meta *meta)
{
	struct visits *visits = ctx;

	visits->metas++;
	visits->meta = *meta;
	return 0;
}

static int visit_probe(void *ctx, uint32_t index, const struct zdev_file_probe *probe)
{
	struct visits *visits = ctx;

	assert_int_equal(index, (uint32_t)visits->probes);
	visits->probes++;
	visits->last_probe = *probe;
	return 0;
}

static int visit_present(void *ctx, const struct zdev_file_present *present)
{
	struct visits *visits = ctx;

	visits->presents++;
	visits->present = *present;
	return 0;
}

static int visit_record(void *ctx, const void *data, size_t size)
{
	struct visits *visits = ctx;

	if (visits->records + 1 == visits->refuse_record)
		return -1;
	assert_true(visits->records < RUN_RECORDS);
	assert_true(size <= sizeof(visits->record[0]));
	memcpy(visits->record[visits->records], data, size);
	visits->record_size[visits->records] = size;
	visits->records++;
	return 0;
}

static int visit_end(void *ctx, const struct zdev_file_end *end)
{
	struct visits *visits = ctx;

	visits->ends++;
	visits->end = *end;
	return 0;
}

static const struct zdev_record_visitor counting_visitor = {
	.meta = visit_meta, .probe = visit_probe, .present = visit_present, .record = visit_record, .end = visit_end,
};

static void parser_hands_every_block_to_the_visitor(void **state)
{
	struct zdev_event events[RUN_RECORDS];
	struct zdev_file_probe probes[ZDEV_HOOK_COUNT];
	struct zdev_file_present present = run_present();
	struct zdev_record_read_result result;
	struct visits *visits = calloc(1, sizeof(*visits));
	struct layout layout;
	struct file_bytes file;
	char path[512];

	(void)state;
	assert_non_null(visits);
	path_in_temp(path, sizeof(path), "visitor.zdev");
	write_run(path, &layout, 0);
	file = read_whole_file(path);
	assert_int_equal(file.len, layout.bytes);
	assert_memory_equal(file.data, ZDEV_RECORD_FILE_MAGIC, 8);

	assert_int_equal(zdev_record_read(file.data, file.len, &counting_visitor, visits, &result), ZDEV_RECORD_READ_OK);
	assert_int_equal(result.status, ZDEV_RECORD_READ_OK);
	assert_int_equal(result.blocks, RUN_BLOCKS);
	assert_int_equal(result.records, RUN_RECORDS);
	assert_true(result.has_end);
	assert_int_equal(visits->metas, 1);
	assert_string_equal(visits->meta.kernel_release, KERNEL_RELEASE);
	assert_int_equal(visits->meta.page_bytes, 4096);
	assert_int_equal(visits->meta.struct_page_bytes, 64);
	assert_int_equal(visits->meta.section_bytes, 128 * MiB);
	assert_int_equal(visits->meta.subsection_bytes, 2 * MiB);
	assert_int_equal(visits->probes, ZDEV_HOOK_COUNT);
	run_probes(probes);
	assert_memory_equal(&visits->last_probe, &probes[ZDEV_HOOK_COUNT - 1], sizeof(probes[0]));
	assert_int_equal(visits->presents, 1);
	assert_memory_equal(&visits->present, &present, sizeof(present));
	assert_int_equal(visits->ends, 1);
	assert_int_equal(visits->end.dropped_records, DROPPED_RECORDS);
	assert_int_equal(visits->end.traced_ns, TRACED_NS);
	assert_int_equal(visits->end.records, RUN_RECORDS);
	/* every record comes back byte for byte, in order */
	run_events(events);
	assert_int_equal(visits->records, RUN_RECORDS);
	for (int i = 0; i < RUN_RECORDS; i++) {
		assert_int_equal(visits->record_size[i], events[i].header.size);
		assert_memory_equal(visits->record[i], record_of(&events[i]), events[i].header.size);
	}
	free(file.data);
	free(visits);
}

static void a_visitor_refusal_stops_the_parse(void **state)
{
	struct zdev_record_read_result result;
	struct visits *visits = calloc(1, sizeof(*visits));
	struct layout layout;
	struct file_bytes file;
	char path[512];

	(void)state;
	assert_non_null(visits);
	path_in_temp(path, sizeof(path), "refused.zdev");
	write_run(path, &layout, 0);
	file = read_whole_file(path);
	visits->refuse_record = 3; /* the first record of the second RECORDS block */
	assert_int_equal(zdev_record_read(file.data, file.len, &counting_visitor, visits, &result),
			 ZDEV_RECORD_READ_CONSUMER);
	assert_int_equal(result.error_offset, block_start(&layout, BLOCK_RECORDS_2));
	assert_int_equal(result.blocks, BLOCK_RECORDS_2);
	assert_int_equal(visits->records, 2);
	assert_int_equal(visits->ends, 0);
	assert_string_equal(result.message, "block 4 could not be used (out of memory or an unusable value)");
	free(file.data);
	free(visits);
}

static void unknown_block_type_is_skipped(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct layout plain, with_unknown;
	struct file_bytes file;
	struct zdev_block_header unknown;
	char path[512], error[512] = "";
	char *replayed, *expected;

	(void)state;
	path_in_temp(path, sizeof(path), "plain.zdev");
	write_run(path, &plain, 0);
	path_in_temp(path, sizeof(path), "unknown-block.zdev");
	write_run(path, &with_unknown, 1);
	assert_int_equal(with_unknown.blocks, RUN_BLOCKS + 1);
	file = read_whole_file(path);
	/* the block is there, between the first and second RECORDS blocks, whole and in sequence */
	unknown = header_at(file.data, block_start(&with_unknown, BLOCK_RECORDS_1 + 1));
	assert_int_equal(unknown.type, UNKNOWN_BLOCK_TYPE);
	assert_int_equal(unknown.sequence, BLOCK_RECORDS_1 + 1);
	assert_int_equal(unknown.payload_bytes, sizeof(struct zdev_file_list_header) + 2 * sizeof(uint32_t));
	assert_int_equal(unknown.crc32, zdev_record_block_crc(&unknown, file.data + block_start(&with_unknown,
		BLOCK_RECORDS_1 + 1) + sizeof(unknown)));

	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), 0);
	assert_int_equal(replay->result.blocks, RUN_BLOCKS + 1);
	assert_int_equal(replay->result.records, RUN_RECORDS);
	assert_true(replay->result.has_end);
	replayed = replay_report(replay);
	expected = direct_report(&plain, RUN_BLOCKS);
	assert_string_equal(replayed, expected);
	free(replayed);
	free(expected);
	free(file.data);
	zdev_replay_free(replay);
	free(replay);
}

/* --- cut files ---------------------------------------------------------------------------------------- */

static void every_cut_gives_what_was_whole(void **state)
{
	struct zdev_replay *replay = new_replay();
	char *expected[RUN_BLOCKS + 1] = { NULL };
	struct layout layout;
	struct file_bytes file;
	char path[512], message[200];

	(void)state;
	path_in_temp(path, sizeof(path), "cut.zdev");
	write_run(path, &layout, 0);
	file = read_whole_file(path);
	for (size_t whole = 1; whole <= RUN_BLOCKS; whole++)
		expected[whole] = direct_report(&layout, whole);

	for (size_t cut = 0; cut <= file.len; cut++) {
		size_t whole = 0;
		int err = replay_exact(file.data, cut, replay);

		while (whole < layout.blocks && layout.block_end[whole] <= cut)
			whole++;
		if (cut == 0) {
			assert_int_equal(err, -1);
			assert_int_equal(replay->result.status, ZDEV_RECORD_READ_EMPTY);
			assert_string_equal(replay->result.message, "the file is empty: not a zdev record");
		} else if (cut < sizeof(struct zdev_file_header)) {
			/* a prefix of the magic is not a wrong magic: the file is cut inside its header */
			assert_int_equal(err, -1);
			assert_int_equal(replay->result.status, ZDEV_RECORD_READ_SHORT_HEADER);
			assert_int_equal(replay->result.error_offset, cut);
			snprintf(message, sizeof(message), "the file ends inside its header (%zu bytes): nothing to read",
				 cut);
			assert_string_equal(replay->result.message, message);
			assert_false(replay->model_ready);
		} else if (whole == 0) {
			assert_int_equal(err, -1);
			assert_int_equal(replay->result.status, ZDEV_RECORD_READ_SHORT_HEADER);
			assert_int_equal(replay->result.error_offset, cut);
			snprintf(message, sizeof(message), "the file ends before its first block is complete (%zu bytes): "
				 "nothing to read", cut);
			assert_string_equal(replay->result.message, message);
			assert_false(replay->model_ready);
		} else {
			char *replayed;

			if (err)
				fail_msg("cut at %zu of %zu: %s", cut, file.len, replay->result.message);
			assert_int_equal(replay->result.status, ZDEV_RECORD_READ_OK);
			assert_int_equal(replay->result.blocks, whole);
			assert_int_equal(replay->result.truncated_bytes, cut - layout.block_end[whole - 1]);
			assert_int_equal(replay->result.records, layout.records_through[whole - 1]);
			assert_int_equal(replay->result.has_end, whole == RUN_BLOCKS);
			assert_int_equal(replay->model.dropped_records, whole == RUN_BLOCKS ? DROPPED_RECORDS : 0);
			assert_string_equal(replay->result.message, "");
			replayed = replay_report(replay);
			if (strcmp(replayed, expected[whole]))
				fail_msg("cut at %zu (%zu whole blocks): the replayed report differs", cut, whole);
			free(replayed);
		}
		zdev_replay_free(replay);
	}
	for (size_t whole = 1; whole <= RUN_BLOCKS; whole++)
		free(expected[whole]);
	free(file.data);
	free(replay);
}

/* the same through zdev_replay_file, at the cuts a crash or a short copy makes, with the path in the error */
static void cut_files_on_disk(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct layout layout;
	struct file_bytes file;
	char path[512], cut_path[512], error[512], expected[1024];
	size_t mid_records;

	(void)state;
	path_in_temp(path, sizeof(path), "cut-source.zdev");
	write_run(path, &layout, 0);
	file = read_whole_file(path);
	path_in_temp(cut_path, sizeof(cut_path), "cut-on-disk.zdev");

	write_whole_file(cut_path, file.data, 10);
	assert_int_equal(zdev_replay_file(cut_path, 0, replay, error, sizeof(error)), -1);
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_SHORT_HEADER);
	snprintf(expected, sizeof(expected), "%s: the file ends inside its header (10 bytes): nothing to read",
		 cut_path);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);

	write_whole_file(cut_path, file.data, layout.block_end[BLOCK_META] - 1);
	assert_int_equal(zdev_replay_file(cut_path, 0, replay, error, sizeof(error)), -1);
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_SHORT_HEADER);
	snprintf(expected, sizeof(expected), "%s: the file ends before its first block is complete (%zu bytes): "
		 "nothing to read", cut_path, layout.block_end[BLOCK_META] - 1);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);

	/* a crash while the second RECORDS block was being written: the first one's records are there */
	mid_records = block_start(&layout, BLOCK_RECORDS_2) + 40;
	write_whole_file(cut_path, file.data, mid_records);
	error[0] = '\0';
	assert_int_equal(zdev_replay_file(cut_path, 0, replay, error, sizeof(error)), 0);
	assert_string_equal(error, "");
	assert_int_equal(replay->result.truncated_bytes, 40);
	assert_int_equal(replay->result.blocks, BLOCK_RECORDS_2);
	assert_int_equal(replay->result.records, records_per_block[0]);
	assert_false(replay->result.has_end);
	assert_int_equal(replay->model.events, records_per_block[0]);
	assert_int_equal(replay->model.nr_pgmaps, 3); /* dax2.0 from the snapshot, namespace0.0, pfn1.0 */
	zdev_replay_free(replay);
	free(file.data);
	free(replay);
}

static void empty_file_is_refused(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct zdev_record_read_result result;
	char path[512], error[512], expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "empty.zdev");
	write_whole_file(path, "", 0);
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), -1);
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_EMPTY);
	assert_non_null(strstr(replay->result.message, "empty"));
	snprintf(expected, sizeof(expected), "%s: the file is empty: not a zdev record", path);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);
	assert_int_equal(zdev_record_read("", 0, &counting_visitor, NULL, &result), ZDEV_RECORD_READ_EMPTY);
	free(replay);
}

static void missing_file_and_directory_are_refused(void **state)
{
	struct zdev_replay *replay = new_replay();
	char path[512], error[512], expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "no-such-file.zdev");
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), -1);
	snprintf(expected, sizeof(expected), "cannot read %s: No such file or directory", path);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);
	assert_int_equal(zdev_replay_file(temp_dir_path(), 0, replay, error, sizeof(error)), -1);
	snprintf(expected, sizeof(expected), "%s is not a regular file", temp_dir_path());
	assert_string_equal(error, expected);
	zdev_replay_free(replay);
	free(replay);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_gives_the_model_the_records_give),
		cmocka_unit_test(parser_hands_every_block_to_the_visitor),
		cmocka_unit_test(a_visitor_refusal_stops_the_parse),
		cmocka_unit_test(unknown_block_type_is_skipped),
		cmocka_unit_test(every_cut_gives_what_was_whole),
		cmocka_unit_test(cut_files_on_disk),
		cmocka_unit_test(empty_file_is_refused),
		cmocka_unit_test(missing_file_and_directory_are_refused),
	};

	return cmocka_run_group_tests_name("record_read", tests, make_temp_dir, remove_temp_dir);
}
