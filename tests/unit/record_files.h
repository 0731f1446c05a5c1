/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record-file tests' common ground (record_files.c): one run of records written by the real writer into
 * a temporary directory, where each of its blocks ends, the model the same records give directly, and the
 * reports of both, so that each test file compares a replay with what it should be.
 */
#ifndef ZDEV_TEST_RECORD_FILES_H
#define ZDEV_TEST_RECORD_FILES_H

#include <stddef.h>
#include <stdint.h>
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
extern const size_t records_per_block[3];

enum { BLOCK_META, BLOCK_PROBES, BLOCK_SNAPSHOT, BLOCK_RECORDS_1, BLOCK_RECORDS_2, BLOCK_RECORDS_3, BLOCK_END };

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

/* The model a live run would have built from the same records, straight from the events (no file, no
 * decoder): the first `records` of them, the snapshot and the END's drops only when asked. */
struct direct_run {
	struct zdev_model model;
	struct zdev_file_probe file_probes[ZDEV_HOOK_COUNT];
	struct zdev_probe_table probes;
	struct zdev_run_info run;
};

/* a file in the group's temporary directory (make_temp_dir, remove_temp_dir: the group's setup and teardown) */
const char *temp_dir_path(void);
void path_in_temp(char *path, size_t len, const char *name);
int make_temp_dir(void **state);
int remove_temp_dir(void **state);
struct file_bytes read_whole_file(const char *path);
void write_whole_file(const char *path, const void *data, size_t len);
void run_events(struct zdev_event events[RUN_RECORDS]);
const void *record_of(const struct zdev_event *event);
struct zdev_file_meta run_meta(void);
void run_probes(struct zdev_file_probe probes[ZDEV_HOOK_COUNT]);
struct zdev_file_present run_present(void);
struct zdev_file_end run_end(void);
/* the run, by the real writer; `layout` says where each block ends */
void write_run(const char *path, struct layout *layout, int with_unknown_block);
size_t block_start(const struct layout *layout, size_t block);
char *render_json(const struct zdev_model *model, const struct zdev_run_info *run);
char *render_text(const struct zdev_model *model, const struct zdev_run_info *run);
void build_direct(struct direct_run *direct, int with_probes, int with_present, size_t records, int with_end);
char *direct_report(const struct layout *layout, size_t whole);
char *replay_report(const struct zdev_replay *replay);
struct zdev_replay *new_replay(void);
int replay_exact(const void *data, size_t len, struct zdev_replay *replay);
void reseal_block(unsigned char *data, size_t offset);
struct zdev_block_header header_at(const unsigned char *data, size_t offset);

#endif /* ZDEV_TEST_RECORD_FILES_H */
