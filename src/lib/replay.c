// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Replay: the record file's blocks, through the parser, into the model (see zdev/replay.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "zdev/replay.h"

void zdev_file_geometry(const struct zdev_file_meta *meta, struct zdev_geometry *geometry)
{
	*geometry = (struct zdev_geometry){
		.page_bytes = meta->page_bytes,
		.struct_page_bytes = meta->struct_page_bytes,
		.section_bytes = meta->section_bytes,
		.subsection_bytes = meta->subsection_bytes,
	};
}

void zdev_file_end_apply(const struct zdev_file_end *end, struct zdev_model *model)
{
	uint64_t typed = 0;

	for (int type = 0; type < ZDEV_REC_TYPES; type++)
		typed += end->emitted_by_type[type] + end->dropped_by_type[type];
	/* per-type counts where the file has them (as live), else the total, type unknown */
	if (typed)
		zdev_model_set_ring_counts(model, end->emitted_by_type, end->dropped_by_type);
	else
		zdev_model_add_dropped(model, end->dropped_records);
}

static int on_meta(void *ctx, const struct zdev_file_meta *meta)
{
	struct zdev_replay *replay = ctx;
	struct zdev_geometry geometry;

	zdev_file_geometry(meta, &geometry);
	replay->meta = *meta;
	if (zdev_model_init(&replay->model, &geometry))
		return -1;
	replay->model_ready = 1;
	return 0;
}

static int on_probe(void *ctx, uint32_t index, const struct zdev_file_probe *probe)
{
	struct zdev_replay *replay = ctx;

	/* a table from a build with more hooks: the rows this build knows are the first ones */
	if (index >= ZDEV_HOOK_COUNT)
		return 0;
	replay->probe_rows[index] = *probe;
	replay->has_probes = 1;
	return 0;
}

/* the snapshot's source names are static strings in a live run: map the file's back to them */
static const char *present_source(const char *source)
{
	static const char *const known[] = { "nd", "p2pmem", "iomem" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(source, known[i]))
			return known[i];
	return "?";
}

void zdev_file_present_pgmap(const struct zdev_file_present *file_present, struct zdev_present_pgmap *present)
{
	*present = (struct zdev_present_pgmap){
		.type = file_present->type,
		.range = file_present->range,
		.has_range = !!file_present->has_range,
		.size_bytes = file_present->size_bytes,
		.altmap = !!file_present->altmap,
		.vmemmap_shift = file_present->vmemmap_shift,
		.source = present_source(file_present->source),
	};
	memcpy(present->device, file_present->device, sizeof(present->device));
}

static int on_present(void *ctx, const struct zdev_file_present *file_present)
{
	struct zdev_replay *replay = ctx;
	struct zdev_present_pgmap present;

	zdev_file_present_pgmap(file_present, &present);
	return zdev_model_add_present(&replay->model, &present) ? -1 : 0;
}

/* Gives back the pages of a mapped file more than a block behind the record being read: a replay's
 * resident memory stays ~2 blocks, not the file's size. The pages are clean: only dropped, never lost. */
static void release_read_pages(struct zdev_replay *replay, const void *record)
{
	const size_t step = 8u << 20;
	size_t at, upto;

	if (!replay->mapping)
		return;
	at = (size_t)((const char *)record - replay->mapping);
	if (at < ZDEV_RECORD_FILE_MAX_BLOCK + step)
		return;
	upto = (at - ZDEV_RECORD_FILE_MAX_BLOCK) & ~(size_t)(sysconf(_SC_PAGESIZE) - 1);
	if (upto < replay->mapping_released + step)
		return;
	madvise((void *)replay->mapping, upto, MADV_DONTNEED);
	replay->mapping_released = upto;
}

static int on_record(void *ctx, const void *data, size_t size)
{
	struct zdev_replay *replay = ctx;

	release_read_pages(replay, data);
	/* as live: a record the model cannot take is counted there, not fatal */
	zdev_model_apply_bytes(&replay->model, data, size);
	return 0;
}

static int on_end(void *ctx, const struct zdev_file_end *end)
{
	struct zdev_replay *replay = ctx;

	replay->end = *end;
	zdev_file_end_apply(end, &replay->model);
	return 0;
}

static int replay_parse(const void *data, size_t len, struct zdev_replay *replay)
{
	static const struct zdev_record_visitor visitor = {
		.meta = on_meta, .probe = on_probe, .present = on_present, .record = on_record, .end = on_end,
	};

	zdev_record_read(data, len, &visitor, replay, &replay->result);
	if (replay->result.status == ZDEV_RECORD_READ_CONSUMER && !replay->model_ready)
		snprintf(replay->result.message, sizeof(replay->result.message),
			 "the META block has an unusable page geometry (page %llu B, struct page %llu B)",
			 (unsigned long long)replay->meta.page_bytes, (unsigned long long)replay->meta.struct_page_bytes);
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		struct zdev_probe_row *row = &replay->probes.rows[i];

		row->function = replay->probe_rows[i].function;
		row->feeds = replay->probe_rows[i].feeds;
		row->mode = replay->probe_rows[i].mode;
		memcpy(row->why, replay->probe_rows[i].why, sizeof(row->why) - 1);
		row->why[sizeof(row->why) - 1] = '\0';
	}
	return replay->result.status == ZDEV_RECORD_READ_OK ? 0 : -1;
}

int zdev_replay_buffer(const void *data, size_t len, struct zdev_replay *replay)
{
	memset(replay, 0, sizeof(*replay));
	return replay_parse(data, len, replay);
}

int zdev_replay_file(const char *path, struct zdev_replay *replay, char *error, size_t error_len)
{
	void *data = MAP_FAILED;
	struct stat st;
	int fd, err = -1;

	memset(replay, 0, sizeof(*replay));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(error, error_len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		snprintf(error, error_len, "cannot read %s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(error, error_len, "%s is not a regular file", path);
		goto cleanup;
	}
	if (st.st_size > 0) {
		data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data == MAP_FAILED) {
			snprintf(error, error_len, "cannot map %s: %s", path, strerror(errno));
			goto cleanup;
		}
	}
	if (data != MAP_FAILED) {
		madvise(data, st.st_size, MADV_SEQUENTIAL); /* read ahead, drop behind */
		replay->mapping = data;
	}
	err = replay_parse(data == MAP_FAILED ? "" : data, st.st_size, replay);
	replay->mapping = NULL;
	if (err)
		snprintf(error, error_len, "%s: %s", path, replay->result.message);
cleanup:
	if (data != MAP_FAILED)
		munmap(data, st.st_size);
	close(fd);
	return err;
}

void zdev_replay_run_info(const struct zdev_replay *replay, struct zdev_run_info *run)
{
	memset(run, 0, sizeof(*run));
	run->kernel_release = replay->meta.kernel_release;
	run->traced_seconds = replay->end.traced_ns / 1e9;
	run->probes = replay->has_probes ? &replay->probes : NULL;
	run->ring_buffer_bytes = (uint32_t)replay->meta.ring_buffer_bytes;
}

void zdev_replay_free(struct zdev_replay *replay)
{
	zdev_model_free(&replay->model);
	replay->model_ready = 0;
}
