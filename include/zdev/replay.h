/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Replay: a record file → the same decode → model path a live run takes, plus the run's context (kernel,
 * probe table, duration, drops) so that a renderer gives the report the live run gave. Every record at once
 * (zdevtrace report -r), or indexed and applied as a playback clock reaches each one's timestamp (zdevtop -r):
 * zdev/source.h drives both. Pure but for zdev_replay_file's mapping of the file.
 */
#ifndef ZDEV_REPLAY_H
#define ZDEV_REPLAY_H

#include <stddef.h>
#include "zdev/model.h"
#include "zdev/record_reader.h"

/* the probe rows a replay keeps: more than any build has hooks (a file from a build with more keeps its
 * first ones, as a reader of this build knows them) */
#define ZDEV_REPLAY_MAX_PROBES 128

/* a record a paced replay has still to apply: where it is in the file and when it happened */
struct zdev_replay_record {
	size_t offset;
	uint32_t size;
	uint64_t timestamp_ns;  /* monotonic on the recording machine; 0 when the record is too short to say */
};

struct zdev_replay {
	struct zdev_model model;
	int model_ready;                 /* META seen with a usable geometry */
	struct zdev_file_meta meta;
	struct zdev_file_end end;        /* valid when result.has_end */
	struct zdev_file_probe probe_rows[ZDEV_REPLAY_MAX_PROBES];
	int has_probes;
	struct zdev_record_read_result result;
	uint64_t last_timestamp_ns;      /* of the last record applied (see struct zdev_replay_record) */
	/* the file's bytes (mapped by zdev_replay_file, or the caller's buffer) and how much of the mapping's
	 * start was given back already (the reader never looks further back than one block: what is behind
	 * leaves the resident set as it is read) */
	const unsigned char *data;
	size_t data_bytes;
	int mapped;
	size_t mapping_released;
	/* paced: the records indexed at open, applied by zdev_replay_apply_until; the END block with the last */
	int paced;
	struct zdev_replay_record *records;
	size_t nr_records, cap_records, next_record;
	int end_applied;
};

/* Pure: replays `len` bytes, every record at once (paced: indexed for zdev_replay_apply_until; the buffer
 * must outlive the replay). Returns 0 (result.truncated_bytes may be non-zero: what was whole is used) or
 * -1 with result.message saying why. Free with zdev_replay_free either way. */
int zdev_replay_buffer(const void *data, size_t len, struct zdev_replay *replay);
int zdev_replay_buffer_paced(const void *data, size_t len, struct zdev_replay *replay);
/* reads PATH (mmap) and replays it; -1 with one line in `error` when it cannot be used */
int zdev_replay_file(const char *path, int paced, struct zdev_replay *replay, char *error, size_t error_len);
/* paced: applies, in file order, the records stamped up to `until_ns` (and those stamped before the start or
 * not at all); the END block's counts after the last. Returns 1 when every record is applied. */
int zdev_replay_apply_until(struct zdev_replay *replay, uint64_t until_ns);
void zdev_replay_free(struct zdev_replay *replay);
/* a record file's blocks as the model takes them */
void zdev_file_geometry(const struct zdev_file_meta *meta, struct zdev_geometry *geometry);
/* the END block's drop counts into the model: per type where the file has them, else the total */
void zdev_file_end_apply(const struct zdev_file_end *end, struct zdev_model *model);
void zdev_file_present_pgmap(const struct zdev_file_present *file_present, struct zdev_present_pgmap *present);

#endif /* ZDEV_REPLAY_H */
