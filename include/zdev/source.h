/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where a front end's records come from, one object for all of them: the probes (live), a record file at
 * once (zdevtrace report -r, zdevtop -r --speed 0), or a record file played back at a speed (zdevtop -r).
 * Each poll hands the records now due to the model; the source says how it ended (a file: complete, without
 * its END block, or cut short) and what was dropped. Front ends say it in their own words.
 *
 * The live source wraps the session and lives with the front ends (src/frontend/source_live.h); here it is
 * a backend behind four calls, so that this file stays pure and unit-tested.
 */
#ifndef ZDEV_SOURCE_H
#define ZDEV_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/model.h"
#include "zdev/replay.h"

struct zdev_source;

/* how a source stands; a file's ending is known once every record is applied */
enum zdev_source_state {
	ZDEV_SOURCE_RUNNING = 0,   /* live, or a playback with records still due */
	ZDEV_SOURCE_COMPLETE,      /* every record applied, and the END block with them */
	ZDEV_SOURCE_NO_END,        /* every record applied; no END block: the recording did not finish */
	ZDEV_SOURCE_CUT_SHORT,     /* every record applied; bytes at the end were not a whole block */
};

struct zdev_source_playback {
	double speed;                    /* record seconds per real second; 0: every record at once */
	/* the real clock, in ns (NULL: CLOCK_MONOTONIC); tests step their own */
	uint64_t (*clock_ns)(void *ctx);
	void *clock_ctx;
};

/* a live source's side (src/frontend/source_live.c): it puts records into zdev_source_model() as poll and
 * tick drain them */
struct zdev_source_backend {
	int (*poll)(void *backend, int timeout_ms); /* records handled or -errno */
	int (*fd)(const void *backend);
	void (*tick)(void *backend);
	void (*close)(void *backend);
};

/* a record file, mapped: NULL with one line in `error` (with the path) when it cannot be used */
struct zdev_source *zdev_source_open_file(const char *path, const struct zdev_source_playback *playback,
					  char *error, size_t error_len);
/* the same over bytes in memory, which must outlive the source (tests, fuzzing) */
struct zdev_source *zdev_source_open_buffer(const void *data, size_t len, const struct zdev_source_playback *playback,
					    char *error, size_t error_len);
/* a live source over `backend`, whose model the caller made (geometry, snapshot): the source owns both from
 * here (the model is moved in), or NULL (out of memory) and both stay the caller's */
struct zdev_source *zdev_source_open_backend(const struct zdev_source_backend *ops, void *backend,
					     const struct zdev_model *model, const char *kernel_release,
					     uint64_t mem_total_bytes);

/* The next batch: live, what the ring buffer holds (waiting up to timeout_ms); a file, the records whose
 * time has come on the playback clock. Returns records handled (live) or 0, or -errno. */
int zdev_source_poll(struct zdev_source *source, int timeout_ms);
/* the slower work of a refresh (live: device page counts and the BPF side's drops into the model) */
void zdev_source_tick(struct zdev_source *source);
/* readable when live records wait; -1 for a file (it advances on its clock) */
int zdev_source_fd(const struct zdev_source *source);
int zdev_source_is_live(const struct zdev_source *source);
enum zdev_source_state zdev_source_state(const struct zdev_source *source);

struct zdev_model *zdev_source_model(struct zdev_source *source);
/* the source's clock: live, CLOCK_MONOTONIC; a file, the recording machine's at the record played last */
uint64_t zdev_source_start_ns(const struct zdev_source *source);
uint64_t zdev_source_now_ns(const struct zdev_source *source);
const char *zdev_source_kernel_release(const struct zdev_source *source);
uint64_t zdev_source_mem_total_bytes(const struct zdev_source *source);
/* a file's replay (META, END, probe rows, what the reader found); NULL live */
const struct zdev_replay *zdev_source_replay(const struct zdev_source *source);
/* the live backend given at open; NULL for a file */
void *zdev_source_backend(struct zdev_source *source);
void zdev_source_close(struct zdev_source *source);

#endif /* ZDEV_SOURCE_H */
