// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop's sources. Live: the session, drained every poll, the snapshot first. Replay: the record file is
 * mapped and indexed once (the pure parser), then its records are applied as the playback clock reaches
 * their timestamps, so rates and the event log unfold as they did on the recording machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "zdev/replay.h"
#include "zdev/snapshot.h"
#include "source.h"

uint64_t top_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int on_live_record(void *ctx, const void *data, size_t size)
{
	struct top_source *source = ctx;

	zdev_model_apply_bytes(&source->model, data, size);
	return 0;
}

int top_source_open_live(struct top_source *source, const struct zdev_session_options *options, int snapshot)
{
	struct zdev_snapshot *present = NULL;
	struct zdev_geometry geometry;
	struct utsname uts;
	char error[512];
	int err = -1;

	memset(source, 0, sizeof(*source));
	snprintf(source->name, sizeof(source->name), "live");
	source->session = zdev_session_open(options, on_live_record, source, error, sizeof(error));
	if (!source->session) {
		fprintf(stderr, "zdevtop: %s\n", error);
		return -1;
	}
	if (!zdev_session_attached(source->session)) {
		fprintf(stderr, "zdevtop: %s; 'zdevtrace probes' shows each probe\n", error);
		goto cleanup;
	}
	zdev_session_geometry(source->session, &geometry);
	if (zdev_model_init(&source->model, &geometry)) {
		fprintf(stderr, "zdevtop: the kernel's page geometry is unusable\n");
		goto cleanup;
	}
	uname(&uts);
	snprintf(source->kernel_release, sizeof(source->kernel_release), "%s", uts.release);
	source->mem_total_bytes = zdev_mem_total_bytes("/");
	source->start_ns = source->now_ns = top_monotonic_ns();
	if (snapshot) {
		present = calloc(1, sizeof(*present));
		if (!present) {
			fprintf(stderr, "zdevtop: out of memory\n");
			goto cleanup;
		}
		zdev_snapshot_read("/", present);
		for (size_t i = 0; i < present->count; i++) {
			if (zdev_model_add_present(&source->model, &present->pgmaps[i])) {
				fprintf(stderr, "zdevtop: out of memory\n");
				goto cleanup;
			}
		}
	}
	err = 0;
cleanup:
	free(present);
	if (err)
		top_source_close(source);
	return err;
}

/* --- replay ---------------------------------------------------------------------------------------- */
static int index_meta(void *ctx, const struct zdev_file_meta *meta)
{
	struct top_source *source = ctx;
	struct zdev_geometry geometry;

	zdev_file_geometry(meta, &geometry);
	source->meta = *meta;
	return zdev_model_init(&source->model, &geometry) ? -1 : 0;
}

static int index_present(void *ctx, const struct zdev_file_present *file_present)
{
	struct top_source *source = ctx;
	struct zdev_present_pgmap present;

	zdev_file_present_pgmap(file_present, &present);
	return zdev_model_add_present(&source->model, &present) ? -1 : 0;
}

static int index_record(void *ctx, const void *data, size_t size)
{
	struct top_source *source = ctx;
	struct zdev_record_header header = { 0 };

	if (source->nr_records == source->cap_records) {
		size_t cap = source->cap_records ? 2 * source->cap_records : 1024;
		struct record_ref *grown = realloc(source->records, cap * sizeof(*grown));

		if (!grown)
			return -1;
		source->records = grown;
		source->cap_records = cap;
	}
	if (size >= sizeof(header))
		memcpy(&header, data, sizeof(header));
	source->records[source->nr_records++] = (struct record_ref){
		.offset = (uint64_t)((const unsigned char *)data - source->map),
		.size = (uint32_t)size,
		.at_ns = header.timestamp_ns,
	};
	return 0;
}

static int index_end(void *ctx, const struct zdev_file_end *end)
{
	struct top_source *source = ctx;

	source->end = *end;
	return 0;
}

int top_source_open_replay(struct top_source *source, const char *path, double speed)
{
	static const struct zdev_record_visitor visitor = {
		.meta = index_meta, .present = index_present, .record = index_record, .end = index_end,
	};
	struct stat st;
	int fd, err = -1;

	memset(source, 0, sizeof(*source));
	source->speed = speed;
	snprintf(source->name, sizeof(source->name), "replay of %s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "zdevtop: cannot read %s: %s\n", path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		fprintf(stderr, "zdevtop: %s: %s\n", path, S_ISREG(st.st_mode) ? "the file is empty: not a zdev record"
										 : "not a regular file");
		goto cleanup;
	}
	source->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (source->map == MAP_FAILED) {
		source->map = NULL;
		fprintf(stderr, "zdevtop: cannot map %s: %s\n", path, strerror(errno));
		goto cleanup;
	}
	source->map_bytes = st.st_size;
	if (zdev_record_read(source->map, source->map_bytes, &visitor, source, &source->result) != ZDEV_RECORD_READ_OK) {
		fprintf(stderr, "zdevtop: %s: %s\n", path, source->result.message);
		goto cleanup;
	}
	if (source->result.truncated_bytes)
		fprintf(stderr, "zdevtop: %s: %llu bytes at the end could not be read; the blocks before them are used\n",
			path, (unsigned long long)source->result.truncated_bytes);
	snprintf(source->kernel_release, sizeof(source->kernel_release), "%s", source->meta.kernel_release);
	source->mem_total_bytes = source->meta.mem_total_bytes;
	source->start_ns = source->now_ns = source->meta.monotonic_start_ns;
	source->real_start_ns = top_monotonic_ns();
	err = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (err)
		top_source_close(source);
	return err;
}

static void replay_until(struct top_source *source, uint64_t until_ns)
{
	while (source->next_record < source->nr_records) {
		const struct record_ref *ref = &source->records[source->next_record];

		/* in file order; a record stamped before the start (or unstamped) goes at once */
		if (ref->at_ns > until_ns && ref->at_ns >= source->start_ns)
			break;
		zdev_model_apply_bytes(&source->model, source->map + ref->offset, ref->size);
		source->next_record++;
	}
	if (source->next_record == source->nr_records && !source->ended) {
		source->ended = 1;
		zdev_file_end_apply(&source->end, &source->model);
		source->dropped_records = source->model.dropped_records;
	}
}

int top_source_poll(struct top_source *source)
{
	if (source->session) {
		int err = zdev_session_poll(source->session, 0);

		source->now_ns = top_monotonic_ns();
		return err < 0 && err != -EINTR ? err : 0;
	}
	if (source->speed <= 0) {
		replay_until(source, UINT64_MAX);
		if (source->nr_records)
			source->now_ns = source->records[source->nr_records - 1].at_ns;
	} else {
		double elapsed_ns = (double)(top_monotonic_ns() - source->real_start_ns) * source->speed;

		source->now_ns = source->start_ns + (uint64_t)elapsed_ns;
		replay_until(source, source->now_ns);
		/* the clock stops where the recording stopped */
		if (source->ended && source->result.has_end && source->end.monotonic_end_ns > source->start_ns &&
		    source->now_ns > source->end.monotonic_end_ns)
			source->now_ns = source->end.monotonic_end_ns;
	}
	return 0;
}

int top_source_fd(const struct top_source *source)
{
	return source->session ? zdev_session_fd(source->session) : -1;
}

void top_source_tick(struct top_source *source)
{
	struct zdev_ring_counts ring;

	if (!source->session)
		return;
	zdev_session_flush_page_use(source->session);
	if (!zdev_session_ring_counts(source->session, &ring))
		zdev_model_set_ring_counts(&source->model, ring.emitted, ring.dropped);
	source->dropped_records = source->model.dropped_records;
}

void top_source_close(struct top_source *source)
{
	zdev_session_close(source->session);
	source->session = NULL;
	if (source->map)
		munmap((void *)source->map, source->map_bytes);
	source->map = NULL;
	free(source->records);
	source->records = NULL;
	zdev_model_free(&source->model);
}
