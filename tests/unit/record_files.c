// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The record-file tests' common ground: see record_files.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "record_files.h"

const size_t records_per_block[3] = { 2, 3, 2 };
static char temp_dir[] = "/tmp/zdev-record-XXXXXX";

const char *temp_dir_path(void)
{
	return temp_dir;
}

void path_in_temp(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/%s", temp_dir, name);
}

int make_temp_dir(void **state)
{
	(void)state;
	return mkdtemp(temp_dir) ? 0 : -1;
}

/* the tests leave files, symlinks, a fifo, maybe a device node and empty directories: one level only */
int remove_temp_dir(void **state)
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

struct file_bytes read_whole_file(const char *path)
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

void write_whole_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

void run_events(struct zdev_event events[RUN_RECORDS])
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
const void *record_of(const struct zdev_event *event)
{
	return &event->header;
}

struct zdev_file_meta run_meta(void)
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

void run_probes(struct zdev_file_probe probes[ZDEV_HOOK_COUNT])
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

struct zdev_file_present run_present(void)
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

struct zdev_file_end run_end(void)
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
void write_run(const char *path, struct layout *layout, int with_unknown_block)
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

size_t block_start(const struct layout *layout, size_t block)
{
	return block ? layout->block_end[block - 1] : sizeof(struct zdev_file_header);
}

static char *render(int (*renderer)(FILE *, const struct zdev_model *, const struct zdev_run_info *),
		    const struct zdev_model *model, const struct zdev_run_info *run)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(renderer(out, model, run), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

char *render_json(const struct zdev_model *model, const struct zdev_run_info *run)
{
	return render(zdev_render_json, model, run);
}

char *render_text(const struct zdev_model *model, const struct zdev_run_info *run)
{
	return render(zdev_render_text, model, run);
}

void build_direct(struct direct_run *direct, int with_probes, int with_present, size_t records, int with_end)
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
char *direct_report(const struct layout *layout, size_t whole)
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

char *replay_report(const struct zdev_replay *replay)
{
	static struct zdev_probe_table probes;
	struct zdev_run_info run;

	zdev_replay_run_info(replay, &probes, &run);
	return render_json(&replay->model, &run);
}

struct zdev_replay *new_replay(void)
{
	struct zdev_replay *replay = calloc(1, sizeof(*replay));

	assert_non_null(replay);
	return replay;
}

/* replays exactly `len` bytes from a buffer of that size, so that a read past the end is ASan's to see */
int replay_exact(const void *data, size_t len, struct zdev_replay *replay)
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
void reseal_block(unsigned char *data, size_t offset)
{
	struct zdev_block_header header;

	memcpy(&header, data + offset, sizeof(header));
	header.crc32 = zdev_record_block_crc(&header, data + offset + sizeof(header));
	memcpy(data + offset, &header, sizeof(header));
}

struct zdev_block_header header_at(const unsigned char *data, size_t offset)
{
	struct zdev_block_header header;

	memcpy(&header, data + offset, sizeof(header));
	return header;
}
