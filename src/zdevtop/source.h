/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * zdevtop's source of records: the probes (live) or a record file played back at a speed. Either way the
 * records go through decode → model; the dashboard reads the model and the source's clock.
 */
#ifndef ZDEVTOP_SOURCE_H
#define ZDEVTOP_SOURCE_H

#include <stdint.h>
#include "zdev/model.h"
#include "zdev/record_reader.h"
#include "zdev/session.h"

struct record_ref {
	uint64_t offset;    /* in the mapped file */
	uint32_t size;
	uint64_t at_ns;     /* the record's timestamp (monotonic on the recording machine) */
};

struct top_source {
	struct zdev_model model;
	char name[128];             /* "live" or the file's name */
	char kernel_release[128];
	uint64_t mem_total_bytes;
	uint64_t start_ns;          /* source time at start */
	uint64_t now_ns;            /* source time now */
	uint64_t dropped_records;
	int ended;                  /* replay: every record applied */
	/* live */
	struct zdev_session *session;
	/* replay */
	const unsigned char *map;
	size_t map_bytes;
	struct record_ref *records;
	size_t nr_records, cap_records, next_record;
	struct zdev_file_meta meta;
	struct zdev_file_end end;
	struct zdev_record_read_result result;
	double speed;               /* record seconds per real second; 0: all at once */
	uint64_t real_start_ns;
};

/* 0, or -1 after one line on stderr */
int top_source_open_live(struct top_source *source, const struct zdev_session_options *options, int snapshot);
int top_source_open_replay(struct top_source *source, const char *path, double speed);
/* drains the ring buffer (live) or applies the records now due (replay); advances now_ns */
int top_source_poll(struct top_source *source);
/* readable when records wait (live), -1 on replay */
int top_source_fd(const struct top_source *source);
/* the slower work done once per refresh (live: device page counts, drops) */
void top_source_tick(struct top_source *source);
void top_source_close(struct top_source *source);
uint64_t top_monotonic_ns(void);

#endif /* ZDEVTOP_SOURCE_H */
