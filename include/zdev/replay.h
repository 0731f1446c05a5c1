/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Replay: a record file → the same decode → model path a live run takes, plus the run's context (kernel,
 * probe table, duration, drops) so that a renderer gives the report the live run gave.
 */
#ifndef ZDEV_REPLAY_H
#define ZDEV_REPLAY_H

#include <stddef.h>
#include "zdev/model.h"
#include "zdev/record_reader.h"
#include "zdev/render.h"
#include "zdev/session.h"

struct zdev_replay {
	struct zdev_model model;
	int model_ready;                 /* META seen with a usable geometry */
	struct zdev_file_meta meta;
	struct zdev_file_end end;        /* valid when result.has_end */
	struct zdev_probe_table probes;  /* rows point into probe_rows */
	struct zdev_file_probe probe_rows[ZDEV_HOOK_COUNT];
	int has_probes;
	struct zdev_record_read_result result;
	/* zdev_replay_file: the file's mapping and how much of its start was given back already (the parser
	 * never looks further back than one block: what is behind leaves the resident set as it is read) */
	const char *mapping;
	size_t mapping_released;
};

/* Pure: replays `len` bytes. Returns 0 (result.truncated_bytes may be non-zero: what was whole is used) or
 * -1 with result.message saying why. Free with zdev_replay_free either way. */
int zdev_replay_buffer(const void *data, size_t len, struct zdev_replay *replay);
/* reads PATH (mmap) and replays it; -1 with one line in `error` when it cannot be used */
int zdev_replay_file(const char *path, struct zdev_replay *replay, char *error, size_t error_len);
/* the run's context for the renderers; pointers into `replay` */
void zdev_replay_run_info(const struct zdev_replay *replay, struct zdev_run_info *run);
void zdev_replay_free(struct zdev_replay *replay);
/* a record file's blocks as the model takes them (for readers of their own, like zdevtop's playback) */
void zdev_file_geometry(const struct zdev_file_meta *meta, struct zdev_geometry *geometry);
/* the END block's drop counts into the model: per type where the file has them, else the total */
void zdev_file_end_apply(const struct zdev_file_end *end, struct zdev_model *model);
void zdev_file_present_pgmap(const struct zdev_file_present *file_present, struct zdev_present_pgmap *present);

#endif /* ZDEV_REPLAY_H */
