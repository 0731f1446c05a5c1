// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Record files, written by the real writer into a temporary directory and read back by the pure parser and
 * by replay: a whole file gives the model its records give directly, a file cut anywhere gives what was
 * whole, a corrupt one is refused with its reason, and the writer neither overwrites nor follows what it
 * should not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
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
#include "records.h"
#include "zdev/record_reader.h"
#include "zdev/record_writer.h"
#include "zdev/render.h"
#include "zdev/replay.h"
#include "../../src/frontend/run_info.h"

#define KERNEL_RELEASE "6.12.0-test"
#define DROPPED_RECORDS 3
#define TRACED_NS 1500000000ull
#define UNKNOWN_BLOCK_TYPE 99

/* the run: META, PROBES, SNAPSHOT, three RECORDS blocks of these sizes, END */
#define RUN_RECORDS 7
#define RUN_BLOCKS 7
#define MAX_BLOCKS 16
static const size_t records_per_block[] = { 2, 3, 2 };

enum { BLOCK_META, BLOCK_PROBES, BLOCK_SNAPSHOT, BLOCK_RECORDS_1, BLOCK_RECORDS_2, BLOCK_RECORDS_3, BLOCK_END };

static char temp_dir[] = "/tmp/zdev-recfile-XXXXXX";

/* where each block of a written file ends, as the writer counted it, and the records up to there */
struct layout {
	size_t blocks;
	size_t block_end[MAX_BLOCKS];
	uint64_t records_through[MAX_BLOCKS];
	size_t bytes;
};

struct file_bytes {
	unsigned char *data;
	size_t len;
};

static void path_in_temp(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/%s", temp_dir, name);
}

static int make_temp_dir(void **state)
{
	(void)state;
	return mkdtemp(temp_dir) ? 0 : -1;
}

/* the tests leave files, symlinks, a fifo, maybe a device node and empty directories: one level only */
static int remove_temp_dir(void **state)
{
	DIR *dir = opendir(temp_dir);
	struct dirent *entry;
	char path[512];

	(void)state;
	if (!dir)
		return -1;
	while ((entry = readdir(dir))) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		struct stat st;

		path_in_temp(path, sizeof(path), entry->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rmdir(path);
		else
			unlink(path);
	}
	closedir(dir);
	return rmdir(temp_dir);
}

static struct file_bytes read_whole_file(const char *path)
{
	struct file_bytes file = { NULL, 0 };
	struct stat st;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	file.len = (size_t)st.st_size;
	file.data = malloc(file.len ? file.len : 1);
	assert_non_null(file.data);
	assert_int_equal(read(fd, file.data, file.len), (ssize_t)file.len);
	close(fd);
	return file;
}

static void write_whole_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void run_events(struct zdev_event events[RUN_RECORDS])
{
	events[0] = map_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0");
	events[1] = map_event(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0");
	events[1].map.altmap_valid = 1;
	events[1].map.altmap_alloc = 512;
	events[2] = map_event(0x3, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0");
	events[2].map.result = -12;
	events[3] = map_event(0x4, ZDEV_PGMAP_PRIVATE, 0x100000000ull, 256 * MiB, NULL);
	events[3].map.owner_key = 0xd1;
	events[4] = unmap_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);
	/* the unmap of the pgmap the snapshot listed: replay must have the snapshot in the model first */
	events[5] = unmap_event(0x5, ZDEV_PGMAP_GENERIC, 0x50000000, 128 * MiB);
	events[5].unmap.vmemmap_shift = 9;
	events[6] = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 300000);
}

/* the raw record as the ring buffer gives it: the ABI struct, header.size bytes */
static const void *record_of(const struct zdev_event *event)
{
	return &event->header;
}

static struct zdev_file_meta run_meta(void)
{
	struct zdev_file_meta meta;

	memset(&meta, 0, sizeof(meta));
	meta.abi_version = ZDEV_ABI_VERSION;
	meta.page_bytes = x86_64_geometry.page_bytes;
	meta.struct_page_bytes = x86_64_geometry.struct_page_bytes;
	meta.section_bytes = x86_64_geometry.section_bytes;
	meta.subsection_bytes = x86_64_geometry.subsection_bytes;
	meta.monotonic_start_ns = 1000;
	meta.realtime_start_ns = 1700000000000000000ull;
	strcpy(meta.kernel_release, KERNEL_RELEASE);
	strcpy(meta.hostname, "testhost");
	strcpy(meta.zdev_version, "0.test");
	return meta;
}

static void run_probes(struct zdev_file_probe probes[ZDEV_HOOK_COUNT])
{
	memset(probes, 0, sizeof(struct zdev_file_probe) * ZDEV_HOOK_COUNT);
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		snprintf(probes[i].function, sizeof(probes[i].function), "hook_%d", i);
		snprintf(probes[i].feeds, sizeof(probes[i].feeds), "feeds %d", i);
		probes[i].mode = i % 3 == 0 ? ZDEV_VIA_FENTRY : i % 3 == 1 ? ZDEV_VIA_KPROBE : ZDEV_VIA_NONE;
		if (probes[i].mode == ZDEV_VIA_NONE)
			snprintf(probes[i].why, sizeof(probes[i].why), "no such function in this kernel");
	}
}

static struct zdev_file_present run_present(void)
{
	struct zdev_file_present present;

	memset(&present, 0, sizeof(present));
	present.type = ZDEV_PGMAP_GENERIC;
	present.has_range = 1;
	present.vmemmap_shift = 9;
	strcpy(present.device, "dax2.0");
	present.range.start = 0x50000000;
	present.range.end = 0x50000000 + 128 * MiB - 1;
	present.size_bytes = 128 * MiB;
	strcpy(present.source, "nd");
	return present;
}

static struct zdev_file_end run_end(void)
{
	struct zdev_file_end end = {
		.dropped_records = DROPPED_RECORDS, .traced_ns = TRACED_NS, .records = RUN_RECORDS,
		.monotonic_end_ns = 1000 + TRACED_NS,
	};

	return end;
}

static void note_block(struct layout *layout, const struct zdev_record_writer *writer, uint64_t records)
{
	assert_true(layout->blocks < MAX_BLOCKS);
	layout->block_end[layout->blocks] = zdev_record_writer_bytes(writer);
	layout->records_through[layout->blocks] = records;
	layout->blocks++;
}

/* writes the run to PATH with the real writer; an unknown block type goes after the first RECORDS block
 * when asked (a later writer's addition, as write_list would write one) */
static void write_run(const char *path, struct layout *layout, int with_unknown_block)
{
	struct zdev_event events[RUN_RECORDS];
	struct zdev_file_probe probes[ZDEV_HOOK_COUNT];
	struct zdev_file_meta meta = run_meta();
	struct zdev_file_present present = run_present();
	struct zdev_file_end end = run_end();
	struct zdev_record_writer *writer;
	char error[256] = "";
	size_t next = 0;
	struct stat st;

	memset(layout, 0, sizeof(*layout));
	run_events(events);
	run_probes(probes);
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	assert_non_null(writer);
	assert_int_equal(zdev_record_writer_bytes(writer), sizeof(struct zdev_file_header));
	assert_int_equal(zdev_record_writer_meta(writer, &meta), 0);
	note_block(layout, writer, 0);
	assert_int_equal(zdev_record_writer_list(writer, ZDEV_BLOCK_PROBES, probes, ZDEV_HOOK_COUNT, sizeof(probes[0])),
			 0);
	note_block(layout, writer, 0);
	assert_int_equal(zdev_record_writer_list(writer, ZDEV_BLOCK_SNAPSHOT, &present, 1, sizeof(present)), 0);
	note_block(layout, writer, 0);
	for (size_t block = 0; block < sizeof(records_per_block) / sizeof(records_per_block[0]); block++) {
		for (size_t i = 0; i < records_per_block[block]; i++, next++)
			assert_int_equal(zdev_record_writer_add(writer, record_of(&events[next]),
								 events[next].header.size), 0);
		assert_int_equal(zdev_record_writer_flush(writer), 0);
		note_block(layout, writer, next);
		if (block == 0 && with_unknown_block) {
			uint32_t words[2] = { 0xdeadbeef, 42 };

			assert_int_equal(zdev_record_writer_list(writer, UNKNOWN_BLOCK_TYPE, words, 2, sizeof(words[0])),
					 0);
			note_block(layout, writer, next);
		}
	}
	assert_int_equal(zdev_record_writer_records(writer), RUN_RECORDS);
	assert_int_equal(zdev_record_writer_finish(writer, &end), 0);
	assert_int_equal(lstat(path, &st), 0);
	layout->bytes = (size_t)st.st_size;
	/* END is the last block: it ends where the file does */
	assert_true(layout->blocks < MAX_BLOCKS);
	layout->block_end[layout->blocks] = layout->bytes;
	layout->records_through[layout->blocks] = next;
	layout->blocks++;
}

static size_t block_start(const struct layout *layout, size_t block)
{
	return block ? layout->block_end[block - 1] : sizeof(struct zdev_file_header);
}

static char *render_json(const struct zdev_model *model, const struct zdev_run_info *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(zdev_render_json(out, model, run), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static char *render_text(const struct zdev_model *model, const struct zdev_run_info *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(zdev_render_text(out, model, run), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* The model a live run would have built from the same records, straight from the events (no file, no
 * decoder): the first `records` of them, the snapshot and the END's drops only when asked. */
struct direct_run {
	struct zdev_model model;
	struct zdev_file_probe file_probes[ZDEV_HOOK_COUNT];
	struct zdev_probe_table probes;
	struct zdev_run_info run;
};

static void build_direct(struct direct_run *direct, int with_probes, int with_present, size_t records, int with_end)
{
	struct zdev_event events[RUN_RECORDS];
	struct zdev_file_present file_present = run_present();
	struct zdev_present_pgmap present = {
		.type = file_present.type, .range = file_present.range, .has_range = 1,
		.size_bytes = file_present.size_bytes, .altmap = 0, .vmemmap_shift = file_present.vmemmap_shift,
		.source = "nd",
	};

	memset(direct, 0, sizeof(*direct));
	memcpy(present.device, file_present.device, sizeof(present.device));
	run_events(events);
	run_probes(direct->file_probes);
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		direct->probes.rows[i].function = direct->file_probes[i].function;
		direct->probes.rows[i].feeds = direct->file_probes[i].feeds;
		direct->probes.rows[i].mode = direct->file_probes[i].mode;
		memcpy(direct->probes.rows[i].why, direct->file_probes[i].why, sizeof(direct->probes.rows[i].why));
	}
	assert_int_equal(zdev_model_init(&direct->model, &x86_64_geometry), 0);
	if (with_present)
		assert_int_equal(zdev_model_add_present(&direct->model, &present), 0);
	for (size_t i = 0; i < records; i++)
		/* as the ring buffer gives them: the received counts are the replay's too */
		assert_int_equal(zdev_model_apply_bytes(&direct->model, &events[i].header, events[i].header.size), 0);
	if (with_end)
		zdev_model_add_dropped(&direct->model, DROPPED_RECORDS);
	direct->run.kernel_release = KERNEL_RELEASE;
	direct->run.traced_seconds = with_end ? 1.5 : 0;
	direct->run.probes = with_probes ? &direct->probes : NULL;
}

/* the JSON report of a direct run that saw what a file of `whole` complete blocks of the run holds */
static char *direct_report(const struct layout *layout, size_t whole)
{
	struct direct_run *direct = malloc(sizeof(*direct));
	char *text;

	assert_non_null(direct);
	assert_true(whole >= 1 && whole <= RUN_BLOCKS);
	build_direct(direct, whole > BLOCK_PROBES, whole > BLOCK_SNAPSHOT, layout->records_through[whole - 1],
		     whole == RUN_BLOCKS);
	text = render_json(&direct->model, &direct->run);
	zdev_model_free(&direct->model);
	free(direct);
	return text;
}

static char *replay_report(const struct zdev_replay *replay)
{
	static struct zdev_probe_table probes;
	struct zdev_run_info run;

	zdev_replay_run_info(replay, &probes, &run);
	return render_json(&replay->model, &run);
}

static struct zdev_replay *new_replay(void)
{
	struct zdev_replay *replay = calloc(1, sizeof(*replay));

	assert_non_null(replay);
	return replay;
}

/* replays exactly `len` bytes from a buffer of that size, so that a read past the end is ASan's to see */
static int replay_exact(const void *data, size_t len, struct zdev_replay *replay)
{
	unsigned char *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, data, len);
	err = zdev_replay_buffer(copy, len, replay);
	free(copy);
	return err;
}

/* the crc32 of the block at `offset`, recomputed over what is there now */
static void reseal_block(unsigned char *data, size_t offset)
{
	struct zdev_block_header header;

	memcpy(&header, data + offset, sizeof(header));
	header.crc32 = zdev_record_block_crc(&header, data + offset + sizeof(header));
	memcpy(data + offset, &header, sizeof(header));
}

static struct zdev_block_header header_at(const unsigned char *data, size_t offset)
{
	struct zdev_block_header header;

	memcpy(&header, data + offset, sizeof(header));
	return header;
}

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
	assert_int_equal(zdev_replay_file(temp_dir, 0, replay, error, sizeof(error)), -1);
	snprintf(expected, sizeof(expected), "%s is not a regular file", temp_dir);
	assert_string_equal(error, expected);
	zdev_replay_free(replay);
	free(replay);
}

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

/* --- the writer's file handling ----------------------------------------------------------------------- */

static void put_text(const char *path, const char *text)
{
	write_whole_file(path, text, strlen(text));
}

static void assert_file_holds(const char *path, const char *text)
{
	struct file_bytes file = read_whole_file(path);

	assert_int_equal(file.len, strlen(text));
	assert_memory_equal(file.data, text, file.len);
	free(file.data);
}

/* what zdev_record_writer_create made at PATH: a regular file holding the file header only */
static void assert_fresh_record(const char *path)
{
	struct file_bytes file = read_whole_file(path);
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(file.len, sizeof(struct zdev_file_header));
	assert_memory_equal(file.data, ZDEV_RECORD_FILE_MAGIC, 8);
	free(file.data);
}

static void writer_refuses_an_existing_file(void **state)
{
	char path[512], error[512] = "", expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "existing.zdev");
	put_text(path, "keep me");
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_non_null(strstr(error, "--force"));
	assert_file_holds(path, "keep me");
}

static void writer_force_replaces_a_regular_file(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], error[512] = "";

	(void)state;
	path_in_temp(path, sizeof(path), "replaced.zdev");
	put_text(path, "an older record, much longer than a file header");
	writer = zdev_record_writer_create(path, 1, error, sizeof(error));
	assert_non_null(writer);
	assert_string_equal(error, "");
	assert_int_equal(zdev_record_writer_bytes(writer), sizeof(struct zdev_file_header));
	zdev_record_writer_abandon(writer);
	assert_fresh_record(path);
}

static void writer_does_not_follow_a_symlink(void **state)
{
	char path[512], target[512], error[512] = "", expected[1024];
	struct stat st;

	(void)state;
	path_in_temp(target, sizeof(target), "symlink-target");
	path_in_temp(path, sizeof(path), "symlink.zdev");
	put_text(target, "keep me");
	assert_int_equal(symlink(target, path), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_file_holds(target, "keep me");
}

static void writer_does_not_create_through_a_dangling_symlink(void **state)
{
	char path[512], target[512], error[512] = "";
	struct stat st;

	(void)state;
	/* O_CREAT alone would create the target wherever the link points */
	path_in_temp(target, sizeof(target), "dangling-target");
	path_in_temp(path, sizeof(path), "dangling.zdev");
	assert_int_equal(symlink(target, path), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	assert_non_null(strstr(error, "--force"));
	assert_int_equal(lstat(target, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void writer_force_replaces_the_symlink_not_its_target(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], target[512], error[512] = "";

	(void)state;
	path_in_temp(target, sizeof(target), "forced-symlink-target");
	path_in_temp(path, sizeof(path), "forced-symlink.zdev");
	put_text(target, "keep me");
	assert_int_equal(symlink(target, path), 0);
	writer = zdev_record_writer_create(path, 1, error, sizeof(error));
	assert_non_null(writer);
	zdev_record_writer_abandon(writer);
	assert_fresh_record(path);
	assert_file_holds(target, "keep me");
}

static void writer_never_replaces_a_directory_or_a_special_file(void **state)
{
	char path[512], error[512], expected[1024];
	struct stat st;

	(void)state;
	path_in_temp(path, sizeof(path), "a-directory");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	path_in_temp(path, sizeof(path), "a-fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));

	/* a device node of our own (never /dev/null: a bug here would unlink it); needs CAP_MKNOD */
	path_in_temp(path, sizeof(path), "a-device");
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
		snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
		assert_string_equal(error, expected);
		assert_int_equal(lstat(path, &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	} else {
		print_message("no device node test: mknod: %s\n", strerror(errno));
	}
}

static void writer_creates_mode_0600(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], error[512];
	mode_t old_umask = umask(0);
	struct stat st;

	(void)state;
	/* with umask 0 the mode is the writer's own: records tell what a machine's devices are */
	path_in_temp(path, sizeof(path), "mode.zdev");
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	umask(old_umask);
	assert_non_null(writer);
	zdev_record_writer_abandon(writer);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void writer_reports_a_missing_directory(void **state)
{
	char path[512], error[512], expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "no-such-dir/x.zdev");
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "cannot create %s: No such file or directory", path);
	assert_string_equal(error, expected);
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
		cmocka_unit_test(writer_refuses_an_existing_file),
		cmocka_unit_test(writer_force_replaces_a_regular_file),
		cmocka_unit_test(writer_does_not_follow_a_symlink),
		cmocka_unit_test(writer_does_not_create_through_a_dangling_symlink),
		cmocka_unit_test(writer_force_replaces_the_symlink_not_its_target),
		cmocka_unit_test(writer_never_replaces_a_directory_or_a_special_file),
		cmocka_unit_test(writer_creates_mode_0600),
		cmocka_unit_test(writer_reports_a_missing_directory),
	};

	return cmocka_run_group_tests_name("recfile", tests, make_temp_dir, remove_temp_dir);
}
