// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record files that are not what they say: corrupt bytes, blocks out of order, and files a writer made
 * wrong are refused with their reason and where, never read past their end.
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
#include <zlib.h>
#include <cmocka.h>
#include "record_files.h"

/* --- corrupt files ------------------------------------------------------------------------------------ */

struct corrupt_fixture {
	struct layout layout;
	struct file_bytes file;
	struct zdev_replay *replay;
};

static int corrupt_setup(void **state)
{
	static int files;
	struct corrupt_fixture *f = calloc(1, sizeof(*f));
	char path[512], name[64];

	assert_non_null(f);
	snprintf(name, sizeof(name), "corrupt-%d.zdev", files++);
	path_in_temp(path, sizeof(path), name);
	write_run(path, &f->layout, 0);
	f->file = read_whole_file(path);
	f->replay = new_replay();
	*state = f;
	return 0;
}

static int corrupt_teardown(void **state)
{
	struct corrupt_fixture *f = *state;

	zdev_replay_free(f->replay);
	free(f->replay);
	free(f->file.data);
	free(f);
	return 0;
}

static void wrong_magic(void **state)
{
	struct corrupt_fixture *f = *state;

	f->file.data[0] = 'X';
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_MAGIC);
	assert_int_equal(f->replay->result.error_offset, 0);
	assert_string_equal(f->replay->result.message, "not a zdev record (bad magic)");
	zdev_replay_free(f->replay);
	/* even one byte that cannot begin the magic */
	assert_int_equal(replay_exact("Z\n", 2, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_MAGIC);
}

static void future_version(void **state)
{
	struct corrupt_fixture *f = *state;
	uint32_t version = ZDEV_RECORD_FILE_VERSION + 1;
	char message[200];

	memcpy(f->file.data + offsetof(struct zdev_file_header, format_version), &version, sizeof(version));
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_FUTURE_VERSION);
	assert_int_equal(f->replay->result.format_version, ZDEV_RECORD_FILE_VERSION + 1);
	snprintf(message, sizeof(message), "format version %u is newer than this zdevtrace reads (%u): update zdev",
		 ZDEV_RECORD_FILE_VERSION + 1, ZDEV_RECORD_FILE_VERSION);
	assert_string_equal(f->replay->result.message, message);
	assert_false(f->replay->model_ready);
}

static void flipped_payload_byte(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_RECORDS_2);
	char message[200];

	f->file.data[block + sizeof(struct zdev_block_header) + 100] ^= 0x01;
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_CHECKSUM);
	assert_int_equal(f->replay->result.error_offset, block);
	assert_int_equal(f->replay->result.blocks, BLOCK_RECORDS_2);
	snprintf(message, sizeof(message), "block %d at byte %zu is corrupt (checksum mismatch)", BLOCK_RECORDS_2,
		 block);
	assert_string_equal(f->replay->result.message, message);
}

static void flipped_header_byte(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_SNAPSHOT);

	/* the type is covered too: a SNAPSHOT that says PROBES would be read as the wrong thing */
	f->file.data[block + offsetof(struct zdev_block_header, type)] = ZDEV_BLOCK_PROBES;
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_CHECKSUM);
	assert_int_equal(f->replay->result.error_offset, block);
}

static void block_bigger_than_any_writer_makes(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_PROBES);
	struct zdev_block_header header = header_at(f->file.data, block);
	uLong crc = crc32(0L, Z_NULL, 0);
	char message[200];

	/* the crc of the header as it now says and of the payload that is there: only the size is wrong */
	header.payload_bytes = ZDEV_RECORD_FILE_MAX_BLOCK + 1;
	crc = crc32(crc, (const Bytef *)&header, offsetof(struct zdev_block_header, crc32));
	crc = crc32(crc, f->file.data + block + sizeof(header), f->layout.block_end[BLOCK_PROBES] - block -
		    sizeof(header));
	header.crc32 = (uint32_t)crc;
	memcpy(f->file.data + block, &header, sizeof(header));
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, block);
	snprintf(message, sizeof(message), "block 1 claims %u bytes, more than any writer makes: corrupt",
		 ZDEV_RECORD_FILE_MAX_BLOCK + 1);
	assert_string_equal(f->replay->result.message, message);
	assert_non_null(strstr(f->replay->result.message, "more than any writer"));
	zdev_replay_free(f->replay);

	/* exactly the limit is a size a writer may make: a file that ends before it is merely cut short */
	header.payload_bytes = ZDEV_RECORD_FILE_MAX_BLOCK;
	memcpy(f->file.data + block, &header, sizeof(header));
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), 0);
	assert_int_equal(f->replay->result.blocks, 1);
	assert_int_equal(f->replay->result.truncated_bytes, f->file.len - block);
}

static void record_longer_than_its_block(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_RECORDS_1);
	struct zdev_block_header header = header_at(f->file.data, block);
	char message[200];
	uint32_t record_bytes;

	/* the second record says it runs one byte past the end of the block */
	memcpy(&record_bytes, f->file.data + block + sizeof(header), sizeof(record_bytes));
	assert_int_equal(record_bytes, sizeof(struct zdev_pgmap_map_record));
	record_bytes = header.payload_bytes - 2 * sizeof(record_bytes) - record_bytes + 1;
	memcpy(f->file.data + block + sizeof(header) + sizeof(record_bytes) + sizeof(struct zdev_pgmap_map_record),
	       &record_bytes, sizeof(record_bytes));
	reseal_block(f->file.data, block);
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, block);
	assert_int_equal(f->replay->result.records, 1);
	snprintf(message, sizeof(message), "block %d (type %d, %u bytes at byte %zu) is malformed", BLOCK_RECORDS_1,
		 ZDEV_BLOCK_RECORDS, header.payload_bytes, block);
	assert_string_equal(f->replay->result.message, message);
	zdev_replay_free(f->replay);

	/* and one that would wrap a 32-bit sum */
	record_bytes = UINT32_MAX;
	memcpy(f->file.data + block + sizeof(header), &record_bytes, sizeof(record_bytes));
	reseal_block(f->file.data, block);
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.records, 0);
}

static void list_with_a_wrong_count(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_SNAPSHOT);
	struct zdev_file_list_header list;

	memcpy(&list, f->file.data + block + sizeof(struct zdev_block_header), sizeof(list));
	assert_int_equal(list.count, 1);
	assert_int_equal(list.entry_bytes, sizeof(struct zdev_file_present));
	list.count = 2;
	memcpy(f->file.data + block + sizeof(struct zdev_block_header), &list, sizeof(list));
	reseal_block(f->file.data, block);
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, block);
}

static void swapped_blocks(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t second = block_start(&f->layout, BLOCK_RECORDS_2), third = block_start(&f->layout, BLOCK_RECORDS_3);
	size_t second_bytes = third - second, third_bytes = f->layout.block_end[BLOCK_RECORDS_3] - third;
	unsigned char *swapped = malloc(f->file.len);
	char message[200];

	/* the third RECORDS block before the second: each whole, with its own crc and sequence */
	assert_non_null(swapped);
	memcpy(swapped, f->file.data, second);
	memcpy(swapped + second, f->file.data + third, third_bytes);
	memcpy(swapped + second + third_bytes, f->file.data + second, second_bytes);
	memcpy(swapped + second + third_bytes + second_bytes, f->file.data + third + third_bytes,
	       f->file.len - (third + third_bytes));
	assert_int_equal(replay_exact(swapped, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, second);
	snprintf(message, sizeof(message), "block at byte %zu is number %d where %d was due: blocks are missing or "
		 "repeated", second, BLOCK_RECORDS_3, BLOCK_RECORDS_2);
	assert_string_equal(f->replay->result.message, message);
	free(swapped);
}

static void wrong_sequence(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_SNAPSHOT);
	struct zdev_block_header header = header_at(f->file.data, block);
	char message[200];

	header.sequence = 7;
	memcpy(f->file.data + block, &header, sizeof(header));
	reseal_block(f->file.data, block);
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, block);
	snprintf(message, sizeof(message), "block at byte %zu is number 7 where 2 was due: blocks are missing or "
		 "repeated", block);
	assert_string_equal(f->replay->result.message, message);
}

static void repeated_block(void **state)
{
	struct corrupt_fixture *f = *state;
	size_t block = block_start(&f->layout, BLOCK_RECORDS_1), bytes = f->layout.block_end[BLOCK_RECORDS_1] - block;
	unsigned char *repeated = malloc(f->file.len + bytes);

	/* a RECORDS block written twice (a retried write): its records must not count twice */
	assert_non_null(repeated);
	memcpy(repeated, f->file.data, block + bytes);
	memcpy(repeated + block + bytes, f->file.data + block, f->file.len - block);
	assert_int_equal(replay_exact(repeated, f->file.len + bytes, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, block + bytes);
	free(repeated);
}

static void block_after_end(void **state)
{
	struct corrupt_fixture *f = *state;
	struct zdev_event map = map_event(0x9, ZDEV_PGMAP_FS_DAX, 0x60000000, 128 * MiB, "namespace9.0");
	uint32_t record_bytes = map.header.size;
	struct zdev_block_header header = {
		.type = ZDEV_BLOCK_RECORDS, .payload_bytes = sizeof(record_bytes) + record_bytes, .sequence = RUN_BLOCKS,
	};
	size_t len = f->file.len + sizeof(header) + header.payload_bytes;
	unsigned char *longer = malloc(len);
	char message[200];

	/* a well-formed RECORDS block, next in sequence, after END */
	assert_non_null(longer);
	memcpy(longer, f->file.data, f->file.len);
	memcpy(longer + f->file.len + sizeof(header), &record_bytes, sizeof(record_bytes));
	memcpy(longer + f->file.len + sizeof(header) + sizeof(record_bytes), record_of(&map), record_bytes);
	memcpy(longer + f->file.len, &header, sizeof(header));
	reseal_block(longer, f->file.len);
	assert_int_equal(replay_exact(longer, len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(f->replay->result.error_offset, f->file.len);
	assert_true(f->replay->result.has_end);
	snprintf(message, sizeof(message), "a block follows the END block (at byte %zu)", f->file.len);
	assert_string_equal(f->replay->result.message, message);
	free(longer);
}

static void bad_file_header(void **state)
{
	struct corrupt_fixture *f = *state;
	uint32_t header_bytes = 20, version = 0;

	memcpy(f->file.data + offsetof(struct zdev_file_header, header_bytes), &header_bytes, sizeof(header_bytes));
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_string_equal(f->replay->result.message, "bad file header (version 1, 20 header bytes)");
	zdev_replay_free(f->replay);
	memcpy(f->file.data + offsetof(struct zdev_file_header, format_version), &version, sizeof(version));
	assert_int_equal(replay_exact(f->file.data, f->file.len, f->replay), -1);
	assert_int_equal(f->replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
}

/* --- files a writer made wrong ------------------------------------------------------------------------ */

static void unusable_geometry_is_refused(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct zdev_file_meta meta = run_meta();
	struct zdev_record_writer *writer;
	struct zdev_record_read_result result;
	struct file_bytes file;
	char path[512], error[512], expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "page-3.zdev");
	meta.page_bytes = 3;
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	assert_non_null(writer);
	assert_int_equal(zdev_record_writer_meta(writer, &meta), 0);
	assert_int_equal(zdev_record_writer_finish(writer, &(struct zdev_file_end){ 0 }), 0);

	/* the file itself is well formed: the parser alone takes it, replay refuses its geometry */
	file = read_whole_file(path);
	assert_int_equal(zdev_record_read(file.data, file.len, &(struct zdev_record_visitor){ 0 }, NULL, &result),
			 ZDEV_RECORD_READ_OK);
	assert_int_equal(result.blocks, 2);
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), -1);
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_CONSUMER);
	assert_false(replay->model_ready);
	assert_string_equal(replay->result.message,
			    "the META block has an unusable page geometry (page 3 B, struct page 64 B)");
	snprintf(expected, sizeof(expected), "%s: %s", path, replay->result.message);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);
	free(file.data);
	free(replay);
}

static void first_block_must_be_meta(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct zdev_file_probe probes[ZDEV_HOOK_COUNT];
	struct zdev_record_writer *writer;
	char path[512], error[512];

	(void)state;
	path_in_temp(path, sizeof(path), "no-meta.zdev");
	run_probes(probes);
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	assert_non_null(writer);
	assert_int_equal(zdev_record_writer_list(writer, ZDEV_BLOCK_PROBES, probes, ZDEV_HOOK_COUNT, sizeof(probes[0])),
			 0);
	zdev_record_writer_abandon(writer);
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), -1);
	assert_int_equal(replay->result.status, ZDEV_RECORD_READ_BAD_BLOCK);
	assert_int_equal(replay->result.error_offset, sizeof(struct zdev_file_header));
	assert_string_equal(replay->result.message, "the first block is type 2, not META");
	zdev_replay_free(replay);
	free(replay);
}

/* abandon (an error path) flushes what was queued: the file reads up to there, without END */
static void abandoned_file_reads_up_to_its_last_block(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct zdev_file_meta meta = run_meta();
	struct zdev_event events[RUN_RECORDS];
	struct zdev_record_writer *writer;
	char path[512], error[512];

	(void)state;
	run_events(events);
	path_in_temp(path, sizeof(path), "abandoned.zdev");
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	assert_non_null(writer);
	assert_int_equal(zdev_record_writer_meta(writer, &meta), 0);
	assert_int_equal(zdev_record_writer_add(writer, record_of(&events[0]), events[0].header.size), 0);
	assert_int_equal(zdev_record_writer_add(writer, record_of(&events[1]), events[1].header.size), 0);
	zdev_record_writer_abandon(writer);
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), 0);
	assert_int_equal(replay->result.blocks, 2);
	assert_int_equal(replay->result.records, 2);
	assert_false(replay->result.has_end);
	assert_int_equal(replay->model.nr_pgmaps, 2);
	zdev_replay_free(replay);
	free(replay);
}

static void full_queue_goes_out_as_its_own_block(void **state)
{
	struct zdev_replay *replay = new_replay();
	struct zdev_file_meta meta = run_meta();
	struct zdev_record_writer *writer;
	struct zdev_record_read_result result;
	struct file_bytes file;
	const size_t records = 3000; /* 364 B each: more than one 1 MiB queue */
	const size_t queue_bytes = 1u << 20, framed = sizeof(uint32_t) + sizeof(struct zdev_pgmap_map_record);
	char path[512], error[512];
	static unsigned char too_big[1u << 20];
	size_t at;

	(void)state;
	path_in_temp(path, sizeof(path), "full-queue.zdev");
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	assert_non_null(writer);
	assert_int_equal(zdev_record_writer_meta(writer, &meta), 0);
	for (size_t i = 0; i < records; i++) {
		struct zdev_event map = map_event(i + 1, ZDEV_PGMAP_PRIVATE, i * 2 * MiB, 2 * MiB, NULL);

		assert_int_equal(zdev_record_writer_add(writer, record_of(&map), map.header.size), 0);
	}
	/* a record the queue could never hold is refused, not split */
	assert_int_equal(zdev_record_writer_add(writer, too_big, sizeof(too_big)), -E2BIG);
	assert_int_equal(zdev_record_writer_records(writer), records);
	assert_int_equal(zdev_record_writer_finish(writer, &(struct zdev_file_end){ .records = records }), 0);

	file = read_whole_file(path);
	assert_int_equal(zdev_record_read(file.data, file.len, &(struct zdev_record_visitor){ 0 }, NULL, &result),
			 ZDEV_RECORD_READ_OK);
	assert_int_equal(result.records, records);
	assert_int_equal(result.blocks, 4); /* META, a full RECORDS block, the rest, END */
	at = sizeof(struct zdev_file_header);
	at += sizeof(struct zdev_block_header) + header_at(file.data, at).payload_bytes;
	assert_int_equal(header_at(file.data, at).type, ZDEV_BLOCK_RECORDS);
	assert_int_equal(header_at(file.data, at).payload_bytes, queue_bytes / framed * framed);
	assert_int_equal(zdev_replay_file(path, 0, replay, error, sizeof(error)), 0);
	assert_int_equal(replay->model.nr_pgmaps, records);
	assert_int_equal(replay->model.vmemmap_dram_delta_bytes, records * 32 * 1024);
	zdev_replay_free(replay);
	free(file.data);
	free(replay);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(wrong_magic, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(future_version, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(flipped_payload_byte, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(flipped_header_byte, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(block_bigger_than_any_writer_makes, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(record_longer_than_its_block, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(list_with_a_wrong_count, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(swapped_blocks, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(wrong_sequence, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(repeated_block, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(block_after_end, corrupt_setup, corrupt_teardown),
		cmocka_unit_test_setup_teardown(bad_file_header, corrupt_setup, corrupt_teardown),
		cmocka_unit_test(unusable_geometry_is_refused),
		cmocka_unit_test(first_block_must_be_meta),
		cmocka_unit_test(abandoned_file_reads_up_to_its_last_block),
		cmocka_unit_test(full_queue_goes_out_as_its_own_block),
	};

	return cmocka_run_group_tests_name("record_corrupt", tests, make_temp_dir, remove_temp_dir);
}
