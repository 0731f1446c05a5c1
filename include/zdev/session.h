/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A live tracing session: the BPF object loaded, one twin per hook attached (fentry, else kprobe, else
 * off with the reason), the ring buffer polled. Records go to the caller's callback as raw bytes.
 */
#ifndef ZDEV_SESSION_H
#define ZDEV_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/hooks.h"
#include "zdev/model.h"

struct zdev_session_options {
	int allow_fentry;
	int allow_kprobe;
	int allow_kprobe_notrace; /* kprobes on functions ftrace cannot patch (the kernel may refuse them) */
	const char *disabled;     /* comma-separated hook functions to leave off (testing fallbacks) */
	const char *enabled;      /* comma-separated hooks that are off unless asked for (gen_pool_free_owner) */
	int verbose;              /* libbpf's own messages on stderr */
	uint32_t ring_buffer_bytes; /* 0: the default (256 KiB); else a power of two, at least a page */
	/* the long name of the first of these options given ("disable"), NULL if none: set by
	 * zdev_session_argp, so that a front end can refuse them where nothing is traced (a replay) */
	const char *option_given;
};

/* the BPF side's per-type counts: records put in the ring buffer, records that did not fit */
struct zdev_ring_counts {
	uint64_t emitted[ZDEV_REC_TYPES];
	uint64_t dropped[ZDEV_REC_TYPES];
};

typedef int (*zdev_record_fn)(void *ctx, const void *data, size_t size);

struct zdev_session;

/* On failure returns NULL with one line for the user in `error` (what is missing, what to do). When the
 * programs load but no probe attaches, returns the session (for its probe table) with attached = 0 and
 * the reason in `error`. */
struct zdev_session *zdev_session_open(const struct zdev_session_options *options, zdev_record_fn on_record,
				       void *ctx, char *error, size_t error_len);
/* polls up to timeout_ms; returns records handled or -errno (-EINTR on a signal) */
int zdev_session_poll(struct zdev_session *session, int timeout_ms);
/* a descriptor that polls readable when records wait: for a loop that also waits on other things */
int zdev_session_fd(const struct zdev_session *session);
int zdev_session_attached(const struct zdev_session *session);
/* hands the counts kept in maps (one ZDEV_REC_PAGE_USE record per pgmap, one ZDEV_REC_POOL_PAGES record
 * per p2pdma pool, one ZDEV_REC_FAULT_MIGRATIONS record per owner and direction, all cumulative) to the
 * record callback; call it before a report, and now and then while recording */
int zdev_session_flush_page_use(struct zdev_session *session);
uint64_t zdev_session_dropped(struct zdev_session *session);
int zdev_session_ring_counts(struct zdev_session *session, struct zdev_ring_counts *counts);
uint32_t zdev_session_ring_buffer_bytes(const struct zdev_session *session);
const struct zdev_probe_table *zdev_session_probes(const struct zdev_session *session);
void zdev_session_geometry(const struct zdev_session *session, struct zdev_geometry *geometry);
void zdev_session_close(struct zdev_session *session);

#endif /* ZDEV_SESSION_H */
