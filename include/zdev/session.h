/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A live tracing session: the BPF object loaded, one twin per hook attached (fentry, else kprobe, else
 * off with the reason), the ring buffer polled. Records go to the caller's callback as raw bytes.
 */
#ifndef ZDEV_SESSION_H
#define ZDEV_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/model.h"

enum zdev_hook {
	ZDEV_HOOK_MEMREMAP_PAGES,
	ZDEV_HOOK_DEVM_MEMREMAP_PAGES,
	ZDEV_HOOK_MEMMAP_INIT_ZONE_DEVICE,
	ZDEV_HOOK_MEMUNMAP_PAGES,
	ZDEV_HOOK_POPULATE_SECTION_MEMMAP,
	ZDEV_HOOK_ADD_PAGES,
	ZDEV_HOOK_PAGE_ALLOC,      /* the kmem:mm_page_alloc tracepoint */
	ZDEV_HOOK_MIGRATE_VMA_SETUP,
	ZDEV_HOOK_MIGRATE_VMA_PAGES,
	ZDEV_HOOK_MIGRATE_VMA_FINALIZE,
	ZDEV_HOOK_MIGRATE_DEVICE_RANGE,
	ZDEV_HOOK_ZONE_DEVICE_PAGE_INIT,
	ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO,  /* 6.12+ */
	ZDEV_HOOK_FREE_ZONE_DEVICE_PAGE,   /* 6.1-6.6 */
	ZDEV_HOOK_P2PDMA_ADD_RESOURCE,
	ZDEV_HOOK_ALLOC_P2PMEM,
	ZDEV_HOOK_FREE_P2PMEM,
	ZDEV_HOOK_GEN_POOL_ALLOC,          /* kprobe only: lib/ is notrace */
	ZDEV_HOOK_GEN_POOL_FREE,
	ZDEV_HOOK_GEN_POOL_ADD,
	ZDEV_HOOK_AMDGPU_FIRST,            /* ZDEV_AMDGPU_SLOTS hooks in the amdgpu module, resolved at run time */
	ZDEV_HOOK_AMDGPU_LAST = ZDEV_HOOK_AMDGPU_FIRST + 7,
	ZDEV_HOOK_DEVM_REQUEST_FREE_MEM_REGION, /* free physical regions for device-private memory ... */
	ZDEV_HOOK_REQUEST_FREE_MEM_REGION,
	ZDEV_HOOK_RELEASE_REGION,               /* ... and their release (__release_region) */
	/* appended, not inserted: a record file's probe rows are indexed by hook */
	ZDEV_HOOK_MIGRATE_DEVICE_PFNS,          /* 6.19+: evictions of device pages by pfn (drm_pagemap) */
	/* ZDEV_DRM_PAGEMAP_SLOTS hooks in drm_gpusvm_helper (drm_pagemap, Xe's SVM), resolved at run time */
	ZDEV_HOOK_DRM_PAGEMAP_FIRST,
	ZDEV_HOOK_DRM_PAGEMAP_LAST = ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_SLOTS - 1,
	ZDEV_HOOK_COUNT,
};

/* the hook table (src/lib/hooks.c): HOOK's kernel function or tracepoint, what it feeds (NULL out of
 * range), and whether it is off unless --enable names it */
const char *zdev_hook_function(int hook);
const char *zdev_hook_feeds(int hook);
int zdev_hook_opt_in(int hook);

struct zdev_probe_row {
	const char *function;     /* the symbol attached to (amdgpu: as resolved in this kernel) */
	const char *feeds;        /* what it gives the report */
	uint8_t mode;             /* enum zdev_attach_mode; ZDEV_VIA_NONE = off */
	char why[160];            /* why off, or why not fentry */
};

struct zdev_probe_table {
	struct zdev_probe_row rows[ZDEV_HOOK_COUNT];
};

/* a row this run has: a record file from a build with fewer hooks leaves the last ones without a name */
static inline int zdev_probe_row_present(const struct zdev_probe_row *row)
{
	return row->function && row->function[0];
}

/* a row of FIRST..LAST attached: the renderers show a driver's section when its probes were on (or records
 * of it came), and leave it out of reports of runs that could not see it (record files of older builds) */
static inline int zdev_probes_attached(const struct zdev_probe_table *probes, int first, int last)
{
	for (int hook = first; probes && hook <= last && hook < ZDEV_HOOK_COUNT; hook++) {
		if (zdev_probe_row_present(&probes->rows[hook]) && probes->rows[hook].mode != ZDEV_VIA_NONE)
			return 1;
	}
	return 0;
}

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
