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

	/* a table from a build with more hooks than any yet: the rows a reader knows are the first ones */
	if (index >= ZDEV_REPLAY_MAX_PROBES)
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
 * resident memory stays ~2 blocks, not the file's size. The pages are clean: only dropped, never lost (a
 * paced replay reads them again as it plays the records it indexed). */
static void release_read_pages(struct zdev_replay *replay, const void *record)
{
	const size_t step = 8u << 20;
	size_t at, upto;

	if (!replay->mapped)
		return;
	at = (size_t)((const unsigned char *)record - replay->data);
	if (at < ZDEV_RECORD_FILE_MAX_BLOCK + step)
		return;
	upto = (at - ZDEV_RECORD_FILE_MAX_BLOCK) & ~(size_t)(sysconf(_SC_PAGESIZE) - 1);
	if (upto < replay->mapping_released + step)
		return;
	madvise((void *)replay->data, upto, MADV_DONTNEED);
	replay->mapping_released = upto;
}

static uint64_t record_timestamp_ns(const void *data, size_t size)
{
	struct zdev_record_header header = { 0 };

	if (size >= sizeof(header))
		memcpy(&header, data, sizeof(header));
	return header.timestamp_ns;
}

static int index_record(struct zdev_replay *replay, const void *data, size_t size)
{
	if (replay->nr_records == replay->cap_records) {
		size_t cap = replay->cap_records ? 2 * replay->cap_records : 1024;
		struct zdev_replay_record *grown = realloc(replay->records, cap * sizeof(*grown));

		if (!grown)
			return -1;
		replay->records = grown;
		replay->cap_records = cap;
	}
	replay->records[replay->nr_records++] = (struct zdev_replay_record){
		.offset = (size_t)((const unsigned char *)data - replay->data),
		.size = (uint32_t)size,
		.timestamp_ns = record_timestamp_ns(data, size),
	};
	return 0;
}

static int on_record(void *ctx, const void *data, size_t size)
{
	struct zdev_replay *replay = ctx;

	release_read_pages(replay, data);
	if (replay->paced)
		return index_record(replay, data, size);
	/* as live: a record the model cannot take is counted there, not fatal */
	zdev_model_apply_bytes(&replay->model, data, size);
	replay->last_timestamp_ns = record_timestamp_ns(data, size);
	return 0;
}

static int on_end(void *ctx, const struct zdev_file_end *end)
{
	struct zdev_replay *replay = ctx;

	replay->end = *end;
	/* paced: the drops are the run's last word, said after its last record */
	if (!replay->paced) {
		zdev_file_end_apply(end, &replay->model);
		replay->end_applied = 1;
	}
	return 0;
}

static int replay_parse(struct zdev_replay *replay)
{
	static const struct zdev_record_visitor visitor = {
		.meta = on_meta, .probe = on_probe, .present = on_present, .record = on_record, .end = on_end,
	};

	zdev_record_read(replay->data_bytes ? (const void *)replay->data : "", replay->data_bytes, &visitor, replay,
			 &replay->result);
	if (replay->result.status == ZDEV_RECORD_READ_CONSUMER && !replay->model_ready)
		snprintf(replay->result.message, sizeof(replay->result.message),
			 "the META block has an unusable page geometry (page %llu B, struct page %llu B)",
			 (unsigned long long)replay->meta.page_bytes, (unsigned long long)replay->meta.struct_page_bytes);
	/* the playback reads the file again from its start */
	replay->mapping_released = 0;
	return replay->result.status == ZDEV_RECORD_READ_OK ? 0 : -1;
}

static int replay_buffer(const void *data, size_t len, int paced, struct zdev_replay *replay)
{
	memset(replay, 0, sizeof(*replay));
	replay->data = data;
	replay->data_bytes = len;
	replay->paced = paced;
	return replay_parse(replay);
}

int zdev_replay_buffer(const void *data, size_t len, struct zdev_replay *replay)
{
	return replay_buffer(data, len, 0, replay);
}

int zdev_replay_buffer_paced(const void *data, size_t len, struct zdev_replay *replay)
{
	return replay_buffer(data, len, 1, replay);
}

static void unmap(struct zdev_replay *replay)
{
	if (replay->mapped)
		munmap((void *)replay->data, replay->data_bytes);
	replay->mapped = 0;
	replay->data = NULL;
	replay->data_bytes = 0;
}

int zdev_replay_file(const char *path, int paced, struct zdev_replay *replay, char *error, size_t error_len)
{
	void *data = MAP_FAILED;
	struct stat st;
	int fd, err = -1;

	memset(replay, 0, sizeof(*replay));
	replay->paced = paced;
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
		madvise(data, st.st_size, MADV_SEQUENTIAL); /* read ahead, drop behind */
		replay->data = data;
		replay->data_bytes = st.st_size;
		replay->mapped = 1;
	}
	err = replay_parse(replay);
	if (err)
		snprintf(error, error_len, "%s: %s", path, replay->result.message);
cleanup:
	/* every record is in the model: the file is done with (paced keeps it to play it) */
	if (err || !paced)
		unmap(replay);
	close(fd);
	return err;
}

int zdev_replay_apply_until(struct zdev_replay *replay, uint64_t until_ns)
{
	uint64_t start_ns = replay->meta.monotonic_start_ns;

	while (replay->next_record < replay->nr_records) {
		const struct zdev_replay_record *record = &replay->records[replay->next_record];
		const unsigned char *data = replay->data + record->offset;

		/* in file order; a record stamped before the start (or unstamped) goes at once */
		if (record->timestamp_ns > until_ns && record->timestamp_ns >= start_ns)
			break;
		release_read_pages(replay, data);
		zdev_model_apply_bytes(&replay->model, data, record->size);
		replay->last_timestamp_ns = record->timestamp_ns;
		replay->next_record++;
	}
	if (replay->next_record < replay->nr_records)
		return 0;
	if (!replay->end_applied && replay->result.has_end)
		zdev_file_end_apply(&replay->end, &replay->model);
	replay->end_applied = 1;
	return 1;
}

void zdev_replay_free(struct zdev_replay *replay)
{
	zdev_model_free(&replay->model);
	replay->model_ready = 0;
	free(replay->records);
	replay->records = NULL;
	replay->nr_records = replay->cap_records = replay->next_record = 0;
	unmap(replay);
}
