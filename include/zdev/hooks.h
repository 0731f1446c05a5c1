/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The hook table: one row per kernel function (or tracepoint) zdev follows. The hook enum, the names
 * --disable and --enable take, the probe rows' descriptions, the flags the session tests and the BPF
 * programs it looks up by name all derive from it. A new hook is a row here and its BPF body.
 *
 * X(NAME, function, stem, flags, feeds):
 *   NAME      ZDEV_HOOK_NAME. The order is part of the record file format (a file's probe rows are indexed
 *             by hook): rows are appended, never inserted or moved.
 *   function  the kernel function it attaches to; a driver slot's is the name it has in recent kernels
 *             (the slot is resolved to this kernel's symbol at run time: src/lib/driver_slots.c)
 *   stem      its BPF programs are <kind>_<stem>: fentry_, fexit_, kprobe_, kretprobe_, tracepoint_
 *   flags     ZDEV_HOOK_F_*: which of those programs exist, and how the session treats the hook
 *   feeds     what it gives the report (the probe table's column)
 */
#ifndef ZDEV_HOOKS_H
#define ZDEV_HOOKS_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/abi.h"

enum zdev_hook_flags {
	ZDEV_HOOK_F_ENTRY_ONLY = 1 << 0,  /* fentry/kprobe only: the arguments are all it gives */
	ZDEV_HOOK_F_RETURN_ONLY = 1 << 1, /* fexit/kretprobe only: the result (and arguments) at the return */
	ZDEV_HOOK_F_KPROBE_ONLY = 1 << 2, /* no fentry twin: lib/ is built without ftrace (genalloc) */
	ZDEV_HOOK_F_TRACEPOINT = 1 << 3,  /* a tracepoint (tracepoint_<stem>), a measurement on top */
	ZDEV_HOOK_F_OPT_IN = 1 << 4,      /* off unless --enable names it */
	ZDEV_HOOK_F_DRIVER = 1 << 5,      /* a slot in a module, its target resolved at run time */
};

/* clang-format off */
#define ZDEV_HOOKS(X)                                                                                          \
	X(MEMREMAP_PAGES, "memremap_pages", memremap_pages, 0,                                                 \
	  "pgmaps: type, ranges, vmemmap, registration time")                                                   \
	X(DEVM_MEMREMAP_PAGES, "devm_memremap_pages", devm_memremap_pages, 0, "the device behind a pgmap")     \
	X(MEMMAP_INIT_ZONE_DEVICE, "memmap_init_zone_device", memmap_init_zone_device, 0,                      \
	  "memmap init share of registration")                                                                  \
	X(MEMUNMAP_PAGES, "memunmap_pages", memunmap_pages, 0, "unmaps and their duration")                     \
	X(POPULATE_SECTION_MEMMAP, "__populate_section_memmap", populate_section_memmap, 0,                    \
	  "vmemmap populated, pfns taken from the altmap")                                                      \
	X(ADD_PAGES, "__add_pages", add_pages, ZDEV_HOOK_F_ENTRY_ONLY, "vmemmap fallback: pages hot-added (the caller)") \
	X(PAGE_ALLOC, "kmem:mm_page_alloc", mm_page_alloc, ZDEV_HOOK_F_TRACEPOINT,                             \
	  "DRAM allocated while registering (measured)")                                                        \
	X(MIGRATE_VMA_SETUP, "migrate_vma_setup", migrate_vma_setup, 0, "migrations: direction, pages asked, owner") \
	X(MIGRATE_VMA_PAGES, "migrate_vma_pages", migrate_vma_pages, ZDEV_HOOK_F_RETURN_ONLY, "migrations: pages migrated") \
	X(MIGRATE_VMA_FINALIZE, "migrate_vma_finalize", migrate_vma_finalize, ZDEV_HOOK_F_RETURN_ONLY,                 \
	  "migrations: end, latency")                                                                           \
	X(MIGRATE_DEVICE_RANGE, "migrate_device_range", migrate_device_range, 0, "evictions of device ranges")  \
	X(ZONE_DEVICE_PAGE_INIT, "zone_device_page_init", zone_device_page_init, ZDEV_HOOK_F_ENTRY_ONLY,              \
	  "device pages taken, per pgmap")                                                                      \
	X(FREE_ZONE_DEVICE_FOLIO, "free_zone_device_folio", free_zone_device_folio, ZDEV_HOOK_F_ENTRY_ONLY,           \
	  "device pages freed (6.12+)")                                                                         \
	X(FREE_ZONE_DEVICE_PAGE, "free_zone_device_page", free_zone_device_page, ZDEV_HOOK_F_ENTRY_ONLY,              \
	  "device pages freed (6.1-6.6)")                                                                       \
	X(P2PDMA_ADD_RESOURCE, "pci_p2pdma_add_resource", pci_p2pdma_add_resource, 0,                         \
	  "p2pdma pools: device, BAR, size")                                                                    \
	X(ALLOC_P2PMEM, "pci_alloc_p2pmem", pci_alloc_p2pmem, 0, "p2p allocations, failures, pool use")         \
	X(FREE_P2PMEM, "pci_free_p2pmem", pci_free_p2pmem, 0, "p2p frees, pool use")                            \
	X(GEN_POOL_ALLOC, "gen_pool_alloc_algo_owner", gen_pool_alloc_algo_owner, ZDEV_HOOK_F_KPROBE_ONLY,     \
	  "genalloc allocations (p2pmem mmap too)")                                                             \
	X(GEN_POOL_FREE, "gen_pool_free_owner", gen_pool_free_owner,                                           \
	  ZDEV_HOOK_F_KPROBE_ONLY | ZDEV_HOOK_F_ENTRY_ONLY | ZDEV_HOOK_F_OPT_IN,                                      \
	  "genalloc frees one by one, with their offsets")                                                      \
	X(GEN_POOL_ADD, "gen_pool_add_owner", gen_pool_add_owner, ZDEV_HOOK_F_KPROBE_ONLY | ZDEV_HOOK_F_ENTRY_ONLY,   \
	  "genalloc pools growing")                                                                             \
	/* the amdgpu slots, in enum zdev_amdgpu_slot's order */                                                \
	X(AMDGPU_ZONE_DEVICE_INIT, "kgd2kfd_init_zone_device", amdgpu_0, ZDEV_HOOK_F_DRIVER,                \
	  "amdgpu: VRAM pgmap set up (SVM)")                                                                    \
	X(AMDGPU_TO_VRAM, "svm_migrate_to_vram", amdgpu_1, ZDEV_HOOK_F_DRIVER, "amdgpu: ranges to VRAM")     \
	X(AMDGPU_RAM_TO_VRAM, "svm_migrate_ram_to_vram", amdgpu_2, ZDEV_HOOK_F_DRIVER, "amdgpu: RAM to VRAM") \
	X(AMDGPU_VRAM_TO_RAM, "svm_migrate_vram_to_ram", amdgpu_3, ZDEV_HOOK_F_DRIVER, "amdgpu: VRAM to RAM") \
	X(AMDGPU_TO_RAM, "svm_migrate_to_ram", amdgpu_4, ZDEV_HOOK_F_DRIVER, "amdgpu: CPU faults on VRAM")  \
	X(AMDGPU_PAGE_FREE, "svm_migrate_page_free", amdgpu_5, ZDEV_HOOK_F_DRIVER, "amdgpu: VRAM pages freed") \
	X(AMDGPU_COPY_TO_VRAM, "svm_migrate_copy_to_vram", amdgpu_6, ZDEV_HOOK_F_DRIVER,                    \
	  "amdgpu: copies to VRAM")                                                                             \
	X(AMDGPU_COPY_TO_RAM, "svm_migrate_copy_to_ram", amdgpu_7, ZDEV_HOOK_F_DRIVER, "amdgpu: copies to RAM") \
	X(DEVM_REQUEST_FREE_MEM_REGION, "devm_request_free_mem_region", devm_request_free_mem_region, 0,       \
	  "device-private regions claimed (and by which device)")                                               \
	X(REQUEST_FREE_MEM_REGION, "request_free_mem_region", request_free_mem_region, 0,                      \
	  "device-private regions claimed")                                                                     \
	X(RELEASE_REGION, "__release_region", release_region, ZDEV_HOOK_F_ENTRY_ONLY,                                 \
	  "claimed regions given back (else: leaks)")                                                           \
	X(MIGRATE_DEVICE_PFNS, "migrate_device_pfns", migrate_device_pfns, 0,                                  \
	  "evictions of device pages by pfn (6.19+)")                                                           \
	/* the drm_pagemap slots (drm_gpusvm_helper: Xe's SVM), in enum zdev_drm_pagemap_slot's order */        \
	X(DRM_PAGEMAP_MIGRATE_TO_DEVMEM, "drm_pagemap_migrate_to_devmem", drm_pagemap_0, ZDEV_HOOK_F_DRIVER, \
	  "drm_pagemap: ranges to device memory")                                                               \
	X(DRM_PAGEMAP_EVICT_TO_RAM, "drm_pagemap_evict_to_ram", drm_pagemap_1, ZDEV_HOOK_F_DRIVER,          \
	  "drm_pagemap: allocations evicted to RAM")                                                            \
	X(DRM_PAGEMAP_MIGRATE_TO_RAM, "__drm_pagemap_migrate_to_ram", drm_pagemap_2, ZDEV_HOOK_F_DRIVER,    \
	  "drm_pagemap: CPU faults on device memory")
/* clang-format on */

enum zdev_hook {
#define ZDEV_HOOK_ENUM(name, function, stem, flags, feeds) ZDEV_HOOK_##name,
	ZDEV_HOOKS(ZDEV_HOOK_ENUM)
#undef ZDEV_HOOK_ENUM
	ZDEV_HOOK_COUNT,
	/* the drivers' slots as ranges: slot N of a driver is its FIRST + N */
	ZDEV_HOOK_AMDGPU_FIRST = ZDEV_HOOK_AMDGPU_ZONE_DEVICE_INIT,
	ZDEV_HOOK_AMDGPU_LAST = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_SLOTS - 1,
	ZDEV_HOOK_DRM_PAGEMAP_FIRST = ZDEV_HOOK_DRM_PAGEMAP_MIGRATE_TO_DEVMEM,
	ZDEV_HOOK_DRM_PAGEMAP_LAST = ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_SLOTS - 1,
};

/* record files written so far index their probe rows by these numbers: rows are only ever appended */
_Static_assert(ZDEV_HOOK_GEN_POOL_ADD == 19 && ZDEV_HOOK_DEVM_REQUEST_FREE_MEM_REGION == 28 &&
		       ZDEV_HOOK_MIGRATE_DEVICE_PFNS == 31 && ZDEV_HOOK_COUNT == 35,
	       "the hook table's order is part of the record file format");
_Static_assert(ZDEV_HOOK_AMDGPU_COPY_TO_RAM == ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_RAM &&
		       ZDEV_HOOK_AMDGPU_TO_RAM == ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_RAM,
	       "amdgpu's rows follow enum zdev_amdgpu_slot");
_Static_assert(ZDEV_HOOK_DRM_PAGEMAP_MIGRATE_TO_RAM == ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM &&
		       ZDEV_HOOK_DRM_PAGEMAP_LAST == ZDEV_HOOK_DRM_PAGEMAP_MIGRATE_TO_RAM,
	       "drm_pagemap's rows follow enum zdev_drm_pagemap_slot");

/* the table's columns by hook (src/lib/hooks.c): NULL / 0 out of range */
const char *zdev_hook_function(int hook);
const char *zdev_hook_feeds(int hook);
const char *zdev_hook_stem(int hook);
unsigned zdev_hook_flags(int hook);
/* off unless --enable names it */
int zdev_hook_opt_in(int hook);
/* the hook whose function is the LEN bytes at NAME, -1 for none */
int zdev_hook_by_function(const char *name, size_t len);

/* --- the probe table: per hook, how this run attached it (a record file stores it as it was) --- */
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

#endif /* ZDEV_HOOKS_H */
