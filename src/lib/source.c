// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The record source (zdev/source.h). A file is read once at open (the pure reader, through replay.c): at
 * once, every record goes into the model there; paced, the records are indexed and each poll applies those
 * the playback clock has reached, so that rates and the event log unfold as they did on the recording
 * machine. Either way the pages of the file behind the reader are given back as it goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "zdev/source.h"

struct zdev_source {
	struct zdev_model *model;        /* &replay.model, or &live_model */
	uint64_t start_ns, now_ns;
	/* a file */
	struct zdev_replay *replay;
	struct zdev_source_playback playback;
	uint64_t real_start_ns;
	int all_applied;
	/* live */
	const struct zdev_source_backend *ops;
	void *backend;
	struct zdev_model live_model;
	char kernel_release[128];
	uint64_t mem_total_bytes;
};

static uint64_t monotonic_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t real_now_ns(const struct zdev_source *source)
{
	return source->playback.clock_ns(source->playback.clock_ctx);
}

/* every record applied (at once, or the last one played): the clock shows the last record's time */
static void note_all_applied(struct zdev_source *source)
{
	source->all_applied = 1;
	if (source->replay->result.records)
		source->now_ns = source->replay->last_timestamp_ns;
}

static struct zdev_source *open_replay(const char *path, const void *data, size_t len,
				       const struct zdev_source_playback *playback, char *error, size_t error_len)
{
	struct zdev_source *source = calloc(1, sizeof(*source));
	int paced = playback && playback->speed > 0;
	int err;

	if (source)
		source->replay = calloc(1, sizeof(*source->replay));
	if (!source || !source->replay) {
		snprintf(error, error_len, "out of memory");
		goto cleanup;
	}
	if (playback)
		source->playback = *playback;
	if (!source->playback.clock_ns)
		source->playback.clock_ns = monotonic_ns;
	if (path) {
		err = zdev_replay_file(path, paced, source->replay, error, error_len);
	} else {
		err = paced ? zdev_replay_buffer_paced(data, len, source->replay) : zdev_replay_buffer(data, len, source->replay);
		if (err)
			snprintf(error, error_len, "%s", source->replay->result.message);
	}
	if (err)
		goto cleanup;
	source->model = &source->replay->model;
	source->start_ns = source->now_ns = source->replay->meta.monotonic_start_ns;
	source->real_start_ns = real_now_ns(source);
	if (!paced)
		note_all_applied(source);
	return source;
cleanup:
	zdev_source_close(source);
	return NULL;
}

struct zdev_source *zdev_source_open_file(const char *path, const struct zdev_source_playback *playback,
					  char *error, size_t error_len)
{
	return open_replay(path, NULL, 0, playback, error, error_len);
}

struct zdev_source *zdev_source_open_buffer(const void *data, size_t len, const struct zdev_source_playback *playback,
					    char *error, size_t error_len)
{
	return open_replay(NULL, data, len, playback, error, error_len);
}

struct zdev_source *zdev_source_open_backend(const struct zdev_source_backend *ops, void *backend,
					     const struct zdev_model *model, const char *kernel_release,
					     uint64_t mem_total_bytes)
{
	struct zdev_source *source = calloc(1, sizeof(*source));

	if (!source)
		return NULL;
	source->ops = ops;
	source->backend = backend;
	source->live_model = *model;
	source->model = &source->live_model;
	snprintf(source->kernel_release, sizeof(source->kernel_release), "%s", kernel_release);
	source->mem_total_bytes = mem_total_bytes;
	source->playback.clock_ns = monotonic_ns;
	source->start_ns = source->now_ns = monotonic_ns(NULL);
	return source;
}

static void play(struct zdev_source *source)
{
	const struct zdev_replay *replay = source->replay;
	double elapsed_ns = (double)(real_now_ns(source) - source->real_start_ns) * source->playback.speed;

	source->now_ns = source->start_ns + (uint64_t)elapsed_ns;
	if (zdev_replay_apply_until(source->replay, source->now_ns))
		source->all_applied = 1;
	/* the clock stops where the recording stopped */
	if (source->all_applied && replay->result.has_end && replay->end.monotonic_end_ns > source->start_ns &&
	    source->now_ns > replay->end.monotonic_end_ns)
		source->now_ns = replay->end.monotonic_end_ns;
}

int zdev_source_poll(struct zdev_source *source, int timeout_ms)
{
	int handled;

	if (source->ops) {
		handled = source->ops->poll(source->backend, timeout_ms);
		source->now_ns = monotonic_ns(NULL);
		return handled;
	}
	if (source->replay->paced)
		play(source);
	return 0;
}

void zdev_source_tick(struct zdev_source *source)
{
	if (source->ops)
		source->ops->tick(source->backend);
}

int zdev_source_fd(const struct zdev_source *source)
{
	return source->ops ? source->ops->fd(source->backend) : -1;
}

int zdev_source_is_live(const struct zdev_source *source)
{
	return source->ops != NULL;
}

enum zdev_source_state zdev_source_state(const struct zdev_source *source)
{
	if (source->ops || !source->all_applied)
		return ZDEV_SOURCE_RUNNING;
	if (source->replay->result.truncated_bytes)
		return ZDEV_SOURCE_CUT_SHORT;
	return source->replay->result.has_end ? ZDEV_SOURCE_COMPLETE : ZDEV_SOURCE_NO_END;
}

struct zdev_model *zdev_source_model(struct zdev_source *source)
{
	return source->model;
}

uint64_t zdev_source_start_ns(const struct zdev_source *source)
{
	return source->start_ns;
}

uint64_t zdev_source_now_ns(const struct zdev_source *source)
{
	return source->now_ns;
}

const char *zdev_source_kernel_release(const struct zdev_source *source)
{
	return source->replay ? source->replay->meta.kernel_release : source->kernel_release;
}

uint64_t zdev_source_mem_total_bytes(const struct zdev_source *source)
{
	return source->replay ? source->replay->meta.mem_total_bytes : source->mem_total_bytes;
}

const struct zdev_replay *zdev_source_replay(const struct zdev_source *source)
{
	return source->replay;
}

void *zdev_source_backend(struct zdev_source *source)
{
	return source->backend;
}

void zdev_source_close(struct zdev_source *source)
{
	if (!source)
		return;
	if (source->ops)
		source->ops->close(source->backend);
	zdev_model_free(&source->live_model);
	if (source->replay)
		zdev_replay_free(source->replay);
	free(source->replay);
	free(source);
}
