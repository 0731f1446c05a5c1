/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The aggregation model: decoded events in, tables and totals out. Pure: no I/O, no BPF, no clock;
 * the unit tests drive it with records. Everything zdev shows is read from here.
 */
#ifndef ZDEV_MODEL_H
#define ZDEV_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/abi.h"
#include "zdev/decode.h"
#include "zdev/snapshot.h"

/* the running kernel's geometry: taken from BTF and the system at run time, never assumed */
struct zdev_geometry {
	uint64_t page_bytes;        /* PAGE_SIZE */
	uint64_t struct_page_bytes; /* sizeof(struct page), from the kernel's BTF */
	uint64_t section_bytes;     /* memory section (x86_64: 128 MiB) */
	uint64_t subsection_bytes;  /* sub-section (x86_64: 2 MiB): the memmap is populated in these */
};

/* where a pgmap's vmemmap figure comes from, best first */
enum zdev_vmemmap_source {
	ZDEV_VMEMMAP_FROM_PGMAP = 0,    /* computed from the pgmap's ranges (always possible) */
	ZDEV_VMEMMAP_FROM_ADD_PAGES = 1, /* pages hot-added, seen at __add_pages (the traceable caller) */
	ZDEV_VMEMMAP_FROM_POPULATE = 2,  /* pages given a memmap, seen at __populate_section_memmap */
};

enum zdev_pgmap_state {
	ZDEV_PGMAP_LIVE = 0,
	ZDEV_PGMAP_UNMAPPED = 1,
	ZDEV_PGMAP_FAILED = 2,
};

/* the vmemmap a set of ranges costs (see zdev_vmemmap_cost) */
struct zdev_vmemmap_cost {
	uint64_t memmap_bytes;      /* struct pages, rounded up to whole pages per populated piece */
	uint64_t subsections;       /* 2 MiB sub-sections touched */
	uint64_t alignment_waste_bytes; /* memmap for the parts of those sub-sections outside the ranges */
};

struct zdev_pgmap {
	uint32_t id;              /* small, stable for the run: 1, 2, ... in order of appearance */
	uint64_t key;             /* hidden pointer from the records; never shown */
	enum zdev_pgmap_state state;
	uint32_t type;            /* enum zdev_pgmap_type */
	char device[ZDEV_DEVICE_LEN];
	uint32_t owner_id;        /* 0: no owner */
	int32_t nid;
	int32_t result;           /* 0 or -errno */
	uint32_t nr_range;
	struct zdev_range ranges[ZDEV_MAX_RANGES];
	uint64_t size_bytes;
	uint32_t vmemmap_shift;
	int altmap_valid;
	struct zdev_vmemmap_cost vmemmap;
	enum zdev_vmemmap_source vmemmap_source;
	uint64_t vmemmap_dram_bytes;
	uint64_t vmemmap_device_bytes;
	uint64_t dram_allocated_bytes; /* measured: pages the registering task allocated (kmem:mm_page_alloc) */
	uint64_t register_ns;
	uint64_t memmap_init_ns;
	/* device pages (HMM): initialised and freed since zdev started; evictions of the whole range */
	uint64_t pages_initialised;
	uint64_t pages_freed;
	/* FS_DAX and devdax (GENERIC) pgmaps: pages of file or device-dax mappings given back through
	 * free_zone_device_folio (6.15+, when their count drops to 0). Not device pages: never counted in
	 * pages_freed, where they would show as pages in use below zero. */
	uint64_t dax_pages_released;
	uint64_t evictions;
	uint64_t evicted_pages_collected;
	uint64_t unregister_ns;
	uint64_t mapped_at_ns;    /* monotonic; 0 when the registration was not seen */
	uint64_t unmapped_at_ns;
	int seen_mapped;          /* 0: only its unmap was seen, or present at start */
	int present_at_start;     /* listed by the snapshot when zdev started: not observed registering */
	int cleaned_up;           /* failed: memremap_pages unmapped what it had mapped (one memunmap_pages) */
	uint8_t via;              /* enum zdev_attach_mode of the map record */
};

struct zdev_type_totals {
	uint32_t registered;
	uint32_t live;
	uint32_t failed;
	uint64_t live_bytes;
	uint64_t vmemmap_dram_bytes;   /* of live pgmaps */
	uint64_t vmemmap_device_bytes;
};

enum zdev_anomaly_kind {
	ZDEV_ANOMALY_FAILED_REGISTRATION = 1,
	ZDEV_ANOMALY_UNMAP_UNSEEN = 2,
};

struct zdev_anomaly {
	enum zdev_anomaly_kind kind;
	uint32_t pgmap_id;
	int32_t result;
	uint64_t at_ns;
};

#define ZDEV_TYPE_COUNT 6 /* enum zdev_pgmap_type values 0..5 */
#define ZDEV_LATENCY_BUCKETS ZDEV_LATENCY_BUCKET_COUNT /* abi.h: the BPF side buckets CPU faults alike */

#define ZDEV_SIZE_BUCKETS 48       /* allocation sizes: bucket b holds [2^(b-1), 2^b) bytes */
#define ZDEV_OUTSTANDING_MAX 4096  /* allocations tracked per pool; beyond, counted as overflow */

struct zdev_allocation {
	uint64_t offset;   /* in the pool */
	uint64_t span;     /* bytes allocated */
	uint64_t bytes;    /* still allocated (frees may come a page at a time) */
	int direct;        /* a genalloc allocation outside pci_alloc_p2pmem (p2pmem/allocate's mmap) */
};

/* a p2pdma pool (pci_p2pdma_add_resource) or another genalloc pool seen by the genalloc probes */
struct zdev_pool {
	uint32_t id;
	uint64_t key;
	char device[ZDEV_DEVICE_LEN];  /* the PCI function; "" for a genalloc pool of unknown owner */
	int p2pdma;
	int gone;                       /* its p2pdma pgmap was unmapped */
	int32_t create_result;
	uint32_t bar;
	uint64_t offset;
	uint64_t size_bytes;
	uint64_t avail_bytes;           /* at the last event */
	uint64_t high_water_bytes;      /* most in use at any event */
	uint64_t allocs;                /* successful, through pci_alloc_p2pmem */
	uint64_t frees;
	uint64_t failures;              /* pci_alloc_p2pmem returned NULL: pool exhausted */
	uint64_t handed_back;           /* allocated, then handed back: percpu_ref_tryget_live failed */
	uint64_t direct_allocs;         /* genalloc allocations outside pci_alloc_p2pmem (p2pmem/allocate) */
	uint64_t direct_frees;          /* their frees one by one (the genalloc free kprobe, off by default) */
	uint64_t page_frees;            /* pages given back through the pool's pgmap (mapped p2pmem), counted in BPF */
	uint64_t page_frees_unmatched;  /* bytes of those with no direct allocation left to take them from */
	uint64_t state_ns;              /* when size_bytes/avail_bytes were read (kernel monotonic ns) */
	uint64_t size_histogram[ZDEV_SIZE_BUCKETS];
	struct zdev_allocation *outstanding;
	size_t nr_outstanding;
	uint64_t outstanding_overflow;  /* allocations not tracked: the table was full */
	uint64_t outstanding_at_gone;   /* allocations still there when the pool went */
	uint64_t outstanding_bytes_at_gone;
};

/* a free physical region claimed for device-private memory ((devm_)request_free_mem_region) */
struct zdev_region {
	uint32_t id;
	uint64_t start;
	uint64_t size;
	char device[ZDEV_DEVICE_LEN];   /* the devm_ request's device, "" otherwise */
	int32_t result;                 /* the request's: 0 or -errno (then no range) */
	int released;                   /* __release_region gave it back */
	uint64_t requested_at_ns;
	uint64_t released_at_ns;
	uint32_t pgmap_id;              /* the last pgmap registered in it (successfully or not), 0: none */
	uint32_t failed_pgmap_id;       /* a pgmap in it whose registration failed, 0: none */
};

/* migrations of one owner (the device side) in one direction */
struct zdev_migration_stats {
	uint32_t owner_id;
	uint32_t direction;         /* enum zdev_migration_direction */
	uint64_t migrations;
	uint64_t failed;            /* migrate_vma_setup refused */
	uint64_t cpu_faults;        /* of which triggered by a CPU fault */
	uint64_t pages_asked;
	uint64_t pages_collected;
	uint64_t pages_migrated;
	uint64_t latency_total_ns;
	uint64_t latency_max_ns;
	uint64_t latency_histogram[ZDEV_LATENCY_BUCKETS];
	/* the last cumulative CPU-fault sums seen (ZDEV_REC_FAULT_MIGRATIONS): the next adds what grew */
	struct zdev_fault_migrations_record faults_seen;
};

/* drm_pagemap calls (drm_gpusvm_helper: Xe's SVM) of one function for one owner of device memory */
struct zdev_drm_pagemap_stats {
	uint32_t slot;              /* enum zdev_drm_pagemap_slot */
	uint32_t owner_id;          /* the pgmap owner, the id its migrations have; 0: not known */
	uint64_t calls;
	uint64_t failed;            /* returned a negative errno */
	uint64_t pages;             /* asked to move */
	uint64_t latency_total_ns;
	uint64_t latency_max_ns;
};

struct zdev_model {
	struct zdev_geometry geometry;
	struct zdev_pgmap *pgmaps;
	size_t nr_pgmaps, cap_pgmaps;
	struct zdev_anomaly *anomalies;
	size_t nr_anomalies, cap_anomalies;
	uint64_t *owner_keys; /* index + 1 = owner id */
	size_t nr_owners, cap_owners;
	struct zdev_migration_stats *migrations;
	size_t nr_migrations, cap_migrations;
	struct zdev_pool *pools;
	size_t nr_pools, cap_pools;
	/* amdgpu KFD SVM functions, per slot (enum zdev_amdgpu_slot) */
	struct {
		uint64_t calls;
		uint64_t failed;        /* returned a negative errno (seen by kprobe only) */
		uint64_t latency_total_ns;
		uint64_t latency_max_ns;
		uint64_t by_trigger[4];  /* enum zdev_amdgpu_trigger, where the function has one */
		uint64_t pages;          /* where the function is given its range (6.12+) */
	} amdgpu[ZDEV_AMDGPU_SLOTS];
	struct zdev_region *regions;
	size_t nr_regions, cap_regions;
	/* drm_pagemap functions per owner, in function then owner order */
	struct zdev_drm_pagemap_stats *drm_pagemap;
	size_t nr_drm_pagemap, cap_drm_pagemap;
	uint64_t evictions_unattributed;      /* evictions of ranges no known pgmap covers */
	uint64_t page_use_unattributed_init;  /* device pages of pgmaps zdev has no record of */
	uint64_t page_use_unattributed_freed;
	uint64_t events;
	uint64_t dropped_records;     /* all records missing: the BPF side's drops and the others; never hidden */
	uint64_t dropped_other;       /* not the ring buffer's: records the model could not take, drops of unknown type */
	/* per record type: put in the ring buffer and dropped (the BPF side's counters), received here */
	uint64_t ring_emitted[ZDEV_REC_TYPES];
	uint64_t ring_dropped[ZDEV_REC_TYPES];
	uint64_t received[ZDEV_REC_TYPES];
	uint64_t undecodable_records; /* rejected by the decoder */
	/* run-wide sums: DRAM vmemmap added by registrations minus that returned by unmaps */
	int64_t vmemmap_dram_delta_bytes;
	int64_t vmemmap_device_delta_bytes;
};

int zdev_model_init(struct zdev_model *model, const struct zdev_geometry *geometry);
void zdev_model_free(struct zdev_model *model);
/* returns 0, or -ENOMEM (the event is then lost and counted as dropped) */
int zdev_model_apply(struct zdev_model *model, const struct zdev_event *event);
/* decodes one record as the ring buffer or a record file gives it and applies it; a record the decoder
 * rejects is counted in undecodable_records. Returns 0 or -ENOMEM. */
int zdev_model_apply_bytes(struct zdev_model *model, const void *data, size_t size);
/* a pgmap that existed when zdev started (see snapshot.h); -ENOMEM on failure */
int zdev_model_add_present(struct zdev_model *model, const struct zdev_present_pgmap *present);
/* drops whose type is unknown (a record file without per-type counts) */
void zdev_model_add_dropped(struct zdev_model *model, uint64_t dropped);
/* the BPF side's counters, as they stand (they only grow): replaces the previous ones */
void zdev_model_set_ring_counts(struct zdev_model *model, const uint64_t emitted[ZDEV_REC_TYPES],
				const uint64_t dropped[ZDEV_REC_TYPES]);
/* the figures that miss records because records of their types were dropped: up to `max` names
 * ("pgmaps", "migrations", ...); returns how many */
size_t zdev_model_incomplete(const struct zdev_model *model, const char *names[], size_t max);
const char *zdev_record_type_name(uint32_t type);
/* a region claimed for a pgmap whose registration failed, and never given back: the amdgpu 6.1 leak */
int zdev_region_leaked(const struct zdev_region *region);
size_t zdev_model_leaked_regions(const struct zdev_model *model);
void zdev_model_totals(const struct zdev_model *model, struct zdev_type_totals totals[ZDEV_TYPE_COUNT]);

/* the memmap cost of ranges: per memory section piece, nr_pages * struct page rounded up to a page, or
 * the deduplicated size for compound pages (vmemmap_shift) without an altmap */
struct zdev_vmemmap_cost zdev_vmemmap_cost(const struct zdev_geometry *geometry, const struct zdev_range *ranges,
					   uint32_t nr_range, uint32_t vmemmap_shift, int altmap);

/* the upper bound (ns) of the bucket holding the p-th percentile (0 < p <= 100), 0 when empty */
uint64_t zdev_latency_percentile(const uint64_t histogram[ZDEV_LATENCY_BUCKETS], double p);
unsigned zdev_latency_bucket(uint64_t ns);
/* the same for a migration's latencies, never above the largest one seen */
uint64_t zdev_migration_percentile(const struct zdev_migration_stats *stats, double p);

/* the memmap of nr_pages pages populated in sub-section pieces (compound dedup as above) */
uint64_t zdev_vmemmap_of_pages(const struct zdev_geometry *geometry, uint64_t nr_pages, uint32_t vmemmap_shift,
			       int altmap);

const char *zdev_pgmap_type_name(uint32_t type);
const char *zdev_vmemmap_source_name(enum zdev_vmemmap_source source);
const char *zdev_direction_name(uint32_t direction);
const char *zdev_amdgpu_slot_name(uint32_t slot);
const char *zdev_drm_pagemap_slot_name(uint32_t slot);
/* drm_pagemap calls were seen, or records of them counted (sent, dropped or received): a report shows them
 * then, or when its probes were attached (zdev_probes_attached), and not otherwise (a record file of a build
 * without them reads as it did) */
int zdev_drm_pagemap_seen(const struct zdev_model *model);
/* bytes still allocated in a pool's tracked allocations */
uint64_t zdev_pool_outstanding_bytes(const struct zdev_pool *pool);
const char *zdev_pgmap_state_name(enum zdev_pgmap_state state);
const char *zdev_attach_mode_name(uint8_t via);

#endif /* ZDEV_MODEL_H */
