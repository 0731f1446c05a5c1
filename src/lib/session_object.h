/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A session inside the library: the skeleton, the ring buffer, the probe plan (probe.h) and, per hook, the
 * BPF programs of the skeleton loaded now and the links attached. Shared by session.c (open, poll, close),
 * probe_load.c, probe_attach.c and session_maps.c; internal to src/lib.
 */
#ifndef ZDEV_SESSION_OBJECT_H
#define ZDEV_SESSION_OBJECT_H

#include <time.h>
#include <bpf/libbpf.h>
#include "zdev/abi.h" /* before the skeleton: it names struct zdev_settings */
#include "zdev.skel.h"
#include "driver_slots.h"
#include "probe.h"

/* a hook's programs, found by name (<kind>_<stem>: see zdev/hooks.h); NULL where the hook has none */
struct hook_programs {
	struct bpf_program *fentry, *fexit, *kprobe, *kretprobe, *tracepoint;
};

struct zdev_session {
	struct zdev_bpf *skel;
	struct ring_buffer *ring;
	struct probe_plan plan;
	struct hook_programs programs[ZDEV_HOOK_COUNT]; /* of the skeleton loaded now */
	struct bpf_link *links[ZDEV_HOOK_COUNT][2];     /* entry, return */
	struct zdev_probe_table probes;
	struct zdev_geometry geometry;
	zdev_record_fn on_record;
	void *ctx;
	int attached;
	int pool_reader;             /* read_pool_states loaded (a kernel may refuse it: states from events) */
	uint32_t ring_buffer_bytes;  /* 0: the object's default */
	uint64_t pointer_key;        /* kernel pointers leave the kernel XORed with it */
	/* the drivers' hooks: the arguments each slot's program reads */
	struct driver_slots drivers;
	uint32_t page_init_args;     /* see struct zdev_settings */
	uint32_t pmd_pages;
	/* one verifier log buffer per program of the last load (see probe_load.c) */
	char *load_logs;
	size_t load_log_count;
};

/* probe_load.c: a fresh skeleton with the chosen twins loaded; a program the kernel refuses is named from
 * its log and left off (its hook falls back to the other twin, or is off with the reason), then the load
 * is tried again. 0, or -errno with the user's line in ERROR. */
int probe_load(struct zdev_session *session, const struct zdev_session_options *options, char *error,
	       size_t error_len);
/* probe_load.c: the skeleton again, as the plan wants it now (after an fentry attach failed) */
int probe_reload(struct zdev_session *session);
/* probe_attach.c: every hook by its chosen twin, the rows settled; returns the hooks attached (the
 * tracepoint, a measurement on top, is not counted) or -errno when a reload failed */
int probe_attach(struct zdev_session *session, const struct zdev_session_options *options);
/* probe_attach.c: every link destroyed */
void probe_detach(struct zdev_session *session);

/* session_maps.c: the counts kept in maps handed to the record callback (see zdev_session_flush_page_use);
 * WITH_PGMAPS = 0: only the p2pdma pools' pages (before a pgmap's unmap reaches the model) */
int session_flush_page_use(struct zdev_session *session, int with_pgmaps, const struct timespec *now);
int session_flush_fault_migrations(struct zdev_session *session, const struct timespec *now);

#endif /* ZDEV_SESSION_OBJECT_H */
