/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The records zdev's BPF programs write to the ring buffer: the ABI between bpf/ and src/, and (issue 5)
 * the payload of record files. Fixed-width types only, explicit padding, every record starts with
 * {type, size, version} so that a reader can skip what it does not know.
 *
 * Kernel pointers never leave the kernel as they are: pgmaps and owners are identified by the pointer
 * XOR a random key chosen per run (zdev_settings.pointer_key), which user space turns into small ids.
 */
#ifndef ZDEV_ABI_H
#define ZDEV_ABI_H

/* the BPF side gets the __u* types from vmlinux.h */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ZDEV_ABI_VERSION 1
#define ZDEV_MAX_RANGES 8   /* ranges kept per pgmap; more are counted in nr_range, not listed */
#define ZDEV_DEVICE_LEN 32  /* dev_name() of the device that asked, truncated */
#define ZDEV_COMM_LEN 16

enum zdev_record_type {
	ZDEV_REC_PGMAP_MAP = 1,   /* memremap_pages returned (success or failure) */
	ZDEV_REC_PGMAP_UNMAP = 2, /* memunmap_pages returned */
	ZDEV_REC_MIGRATION = 3,   /* migrate_vma_setup .. migrate_vma_finalize ended (or setup failed) */
	ZDEV_REC_EVICTION = 4,    /* migrate_device_range returned */
	ZDEV_REC_PAGE_USE = 5,    /* device pages initialised/freed per pgmap so far (read from a map) */
	ZDEV_REC_POOL = 6,        /* a p2pdma/genalloc pool event (enum zdev_pool_event) */
	ZDEV_REC_AMDGPU = 7,      /* an amdgpu KFD SVM migration function returned */
	ZDEV_REC_REGION = 8,      /* a free physical region for device memory was requested, or released */
	ZDEV_REC_POOL_PAGES = 9,  /* p2pdma pages given back through their pgmap so far, per pool (from a map) */
	ZDEV_REC_FAULT_MIGRATIONS = 10, /* CPU-fault migrations so far, per owner and direction (from a map) */
	ZDEV_REC_DRM_PAGEMAP = 11, /* a drm_pagemap migration function returned (drm_gpusvm_helper: Xe's SVM) */
};
#define ZDEV_REC_LAST ZDEV_REC_DRM_PAGEMAP
#define ZDEV_LATENCY_BUCKET_COUNT 40 /* bucket b holds latencies in [2^(b-1), 2^b) ns; bucket 0 holds 0 */
#define ZDEV_REC_TYPES 16 /* per-type counters (emitted, dropped) are indexed by enum zdev_record_type */

enum zdev_region_event {
	ZDEV_REGION_REQUESTED = 1, /* (devm_)request_free_mem_region returned */
	ZDEV_REGION_RELEASED = 2,  /* __release_region of a region so requested */
};

/* the amdgpu functions zdev follows, one BPF slot each (resolved to a symbol at run time) */
enum zdev_amdgpu_slot {
	ZDEV_AMDGPU_ZONE_DEVICE_INIT = 0, /* kgd2kfd_init_zone_device (svm_migrate_init in 6.1): VRAM pgmap */
	ZDEV_AMDGPU_TO_VRAM = 1,          /* svm_migrate_to_vram: a range to VRAM (prefetch, GPU fault) */
	ZDEV_AMDGPU_RAM_TO_VRAM = 2,      /* svm_migrate_ram_to_vram */
	ZDEV_AMDGPU_VRAM_TO_RAM = 3,      /* svm_migrate_vram_to_ram: eviction, prefetch to RAM */
	ZDEV_AMDGPU_TO_RAM = 4,           /* svm_migrate_to_ram: a CPU fault on VRAM (pgmap migrate_to_ram) */
	ZDEV_AMDGPU_PAGE_FREE = 5,        /* svm_migrate_page_free (pgmap page_free) */
	ZDEV_AMDGPU_COPY_TO_VRAM = 6,     /* svm_migrate_copy_to_vram */
	ZDEV_AMDGPU_COPY_TO_RAM = 7,      /* svm_migrate_copy_to_ram */
	ZDEV_AMDGPU_SLOTS = 8,
};

/* the drm_pagemap functions zdev follows (drivers/gpu/drm/drm_pagemap.c, built into the drm_gpusvm_helper
 * module: the GPU SVM helpers Intel Xe uses), one BPF slot each, resolved at run time like amdgpu's */
enum zdev_drm_pagemap_slot {
	ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM = 0, /* drm_pagemap_migrate_to_devmem: a range to device memory */
	ZDEV_DRM_PAGEMAP_EVICT_TO_RAM = 1,      /* drm_pagemap_evict_to_ram: an allocation evicted to RAM */
	ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM = 2,    /* __drm_pagemap_migrate_to_ram: a CPU fault (pgmap migrate_to_ram) */
	ZDEV_DRM_PAGEMAP_SLOTS = 3,
};
/* room in the settings' per-slot arrays: a power of two, which the BPF side masks a slot with */
#define ZDEV_DRM_PAGEMAP_SLOT_ROOM 4

enum zdev_pool_event {
	ZDEV_POOL_CREATED = 1,        /* pci_p2pdma_add_resource returned */
	ZDEV_POOL_ALLOC = 2,          /* pci_alloc_p2pmem returned */
	ZDEV_POOL_FREE = 3,           /* pci_free_p2pmem */
	ZDEV_POOL_GENALLOC_ALLOC = 4, /* gen_pool_alloc_algo_owner returned */
	ZDEV_POOL_GENALLOC_FREE = 5,  /* gen_pool_free_owner */
	ZDEV_POOL_GENALLOC_ADD = 6,   /* gen_pool_add_owner */
};

/* pci_alloc_p2pmem's result when gen_pool gave memory but percpu_ref_tryget_live failed and it was handed
 * back (the pool is going away): an outcome of its own, not ENOMEM */
#define ZDEV_POOL_HANDED_BACK 1

enum zdev_migration_direction {
	ZDEV_MIGRATE_TO_DEVICE = 1,
	ZDEV_MIGRATE_TO_RAM = 2,
};

enum zdev_migration_trigger {
	ZDEV_TRIGGER_DRIVER = 1,    /* the driver asked (prefetch, eviction, an ioctl) */
	ZDEV_TRIGGER_CPU_FAULT = 2, /* a CPU touched a device page: the pgmap's migrate_to_ram */
};

/* zdev's own numbering of enum memory_type: the kernel's values shift between releases (6.0 inserted
 * MEMORY_DEVICE_COHERENT), so the BPF side translates with CO-RE enum relocations. */
enum zdev_pgmap_type {
	ZDEV_PGMAP_UNKNOWN = 0,
	ZDEV_PGMAP_PRIVATE = 1,
	ZDEV_PGMAP_COHERENT = 2,
	ZDEV_PGMAP_FS_DAX = 3,
	ZDEV_PGMAP_GENERIC = 4,
	ZDEV_PGMAP_P2PDMA = 5,
};

/* map_flags: memremap_pages failed and called memunmap_pages on what it had mapped (that unmap is part of
 * the failure: no unmap record is written for it) */
#define ZDEV_MAP_CLEANED_UP 1

#define ZDEV_PGMAP_ALTMAP_VALID 1 /* pgmap_flags: PGMAP_ALTMAP_VALID, (1 << 0) from 5.10 to 7.1 */

/* how the probe that wrote a record was attached */
enum zdev_attach_mode {
	ZDEV_VIA_NONE = 0,
	ZDEV_VIA_FENTRY = 1,
	ZDEV_VIA_KPROBE = 2,
	ZDEV_VIA_TRACEPOINT = 3,
};

struct zdev_record_header {
	__u16 type;    /* enum zdev_record_type */
	__u16 size;    /* bytes of the whole record, header included */
	__u8 version;  /* ZDEV_ABI_VERSION */
	__u8 via;      /* enum zdev_attach_mode */
	__u16 cpu;
	__u32 tgid;
	__u32 tid;
	__u64 timestamp_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) at the event's end */
	char comm[ZDEV_COMM_LEN];
};

struct zdev_range {
	__u64 start; /* physical address, first byte */
	__u64 end;   /* physical address, last byte (inclusive, as struct range) */
};

struct zdev_pgmap_map_record {
	struct zdev_record_header header;
	__u64 pgmap_key;        /* pgmap pointer ^ pointer_key */
	__u64 owner_key;        /* pgmap->owner ^ pointer_key, 0 when there is no owner */
	__u64 duration_ns;      /* memremap_pages, entry to return */
	__u64 memmap_init_ns;   /* of which in memmap_init_zone_device */
	__s32 nid;              /* the nid argument (-1: any) */
	__s32 result;           /* 0, or the negative errno memremap_pages returned */
	__u32 pgmap_type;       /* enum zdev_pgmap_type */
	__u32 pgmap_flags;      /* pgmap->flags as the kernel has them (PGMAP_ALTMAP_VALID = 1) */
	__u32 nr_range;         /* ranges asked for */
	__u32 nr_range_mapped;  /* ranges mapped (pgmap->nr_range at return) */
	__u32 vmemmap_shift;    /* compound device pages (5.17+), 0 otherwise */
	__u32 altmap_valid;     /* memmap on the device */
	/* the altmap at return: pfns reserved, free for the memmap, used by it and lost to its alignment */
	__u64 altmap_base_pfn;
	__u64 altmap_reserve;
	__u64 altmap_free;
	__u64 altmap_alloc;
	__u64 altmap_align;
	/* vmemmap population seen during the registration, by the hooks that could be attached:
	 * __populate_section_memmap (pages given a memmap; pfns it took from the altmap) and, where that
	 * one cannot be hooked (notrace on 6.1), its traceable caller __add_pages */
	__u64 populate_calls;
	__u64 populate_pages;
	__u64 populate_altmap_pfns;
	__u64 add_pages_calls;
	__u64 add_pages_pages;
	/* pages the task allocated (kmem:mm_page_alloc) while registering: the vmemmap in DRAM, its page
	 * tables and the rest of the registration's allocations, measured */
	__u64 dram_pages_allocated;
	__u64 map_flags;        /* ZDEV_MAP_* */
	struct zdev_range ranges[ZDEV_MAX_RANGES];
	char device[ZDEV_DEVICE_LEN]; /* from devm_memremap_pages, "" when called directly */
};

/* carries the pgmap's shape too, so that an unmap of a pgmap never seen mapped (registered before zdev
 * started) still says what went and what vmemmap it gave back */
struct zdev_pgmap_unmap_record {
	struct zdev_record_header header;
	__u64 pgmap_key;
	__u64 duration_ns;
	__u32 pgmap_type;
	__u32 nr_range;
	__u32 pgmap_flags;
	__u32 vmemmap_shift;
	__u64 altmap_alloc;     /* pfns of the device the memmap took (altmap), 0 without one */
	struct zdev_range ranges[ZDEV_MAX_RANGES];
};

struct zdev_migration_record {
	struct zdev_record_header header;
	__u64 owner_key;        /* args->pgmap_owner ^ pointer_key: the device (driver) side */
	__u64 vaddr_start;      /* user virtual range asked for */
	__u64 vaddr_end;
	__u64 pages_asked;      /* npages */
	__u64 pages_collected;  /* cpages: could be isolated for migration */
	__u64 pages_migrated;   /* MIGRATE_PFN_MIGRATE still set after migrate_vma_pages */
	__u64 latency_ns;       /* setup entry to finalize return */
	__u64 setup_ns;         /* in migrate_vma_setup */
	__u64 pages_ns;         /* setup's return to migrate_vma_pages's: the driver's allocation and copy, the moves */
	__s32 result;           /* 0, or migrate_vma_setup's negative errno */
	__u32 direction;        /* enum zdev_migration_direction */
	__u32 trigger;          /* enum zdev_migration_trigger */
	__u32 select_flags;     /* args->flags as the kernel had them */
};

/* A CPU touching a device page migrates that one page back (the pgmap's migrate_to_ram): the hot path of
 * HMM, one migration per page. Those that succeed are summed in BPF, per CPU, per owner and direction (the
 * fault_migrations map, this struct its value without the header) instead of a ring-buffer record each;
 * user space sums the CPUs into one cumulative record per owner and direction. Failed ones, and the
 * migrations a driver asks for (batches), stay records. */
struct zdev_fault_migrations_key {
	__u64 owner_key;        /* as zdev_migration_record's */
	__u32 direction;        /* enum zdev_migration_direction */
	__u32 pad;
};

struct zdev_fault_migrations_record {
	struct zdev_record_header header;
	struct zdev_fault_migrations_key key;
	__u64 migrations;
	__u64 pages_asked;
	__u64 pages_collected;
	__u64 pages_migrated;
	__u64 latency_total_ns;
	__u64 latency_max_ns;
	__u64 latency_histogram[ZDEV_LATENCY_BUCKET_COUNT];
};

struct zdev_eviction_record {
	struct zdev_record_header header;
	__u64 start_pfn;        /* the device range: user space finds its pgmap */
	__u64 pages;
	__u64 pages_collected;  /* device pages that were in use and were collected */
	__u64 latency_ns;
};

/* cumulative per pgmap since zdev started; also the value of the BPF page_use map */
struct zdev_page_use_record {
	struct zdev_record_header header;
	__u64 pgmap_key;
	__u64 pages_initialised; /* zone_device_page_init */
	__u64 pages_freed;       /* free_zone_device_folio / free_zone_device_page */
};

/* Cumulative per p2pdma pool since zdev started, made by user space from the page_use map. Pages of user
 * mappings of p2p memory (the sysfs p2pmem/allocate mmap, 6.2+) come back one at a time through their
 * pgmap's page_free (free_zone_device_folio, already hooked for page use): counted there per pgmap, with
 * the pool's state read when user space reads the counts, instead of one record per page from the genalloc
 * free kprobe, which is off unless asked for. */
/* The value of the BPF page_use map (per pgmap): the counts user space turns into ZDEV_REC_PAGE_USE records,
 * and for a p2pdma pgmap its pool, found once when the map entry is made, whose state the reader program
 * (read_pool_states, run by user space before each read) and the pgmap's unmap fill in. */
struct zdev_page_use_value {
	struct zdev_page_use_record use;
	__u64 pool_key;         /* the pgmap's p2pdma pool (hidden pointer), 0: not a p2pdma pgmap */
	__u64 pool_size;
	__u64 pool_avail;
	__u64 state_ns;         /* when pool_size/pool_avail were read, 0: never */
	__u32 pool_gone;        /* the pgmap was unmapped: its pool may be freed, never read again */
	__u32 pad;
};

struct zdev_pool_pages_record {
	struct zdev_record_header header;
	__u64 pool_key;         /* gen_pool pointer ^ pointer_key, as in zdev_pool_record */
	__u64 pages_freed;      /* pages freed through the pool's p2pdma pgmap */
	__u64 pool_size;        /* the pool's state when user space read the counts (or at its pgmap's unmap) ... */
	__u64 pool_avail;
	__u64 state_ns;         /* ... and when it was read (bpf_ktime_get_ns; a later pool record wins) */
	__u32 page_bytes;       /* bytes per page freed (PAGE_SIZE) */
	__u8 frees_recorded;    /* set by the reader: the genalloc free kprobe also records each free */
	__u8 pad[3];
};

struct zdev_pool_record {
	struct zdev_record_header header;
	__u64 pool_key;         /* gen_pool pointer ^ pointer_key */
	__u64 pool_size;        /* the pool's bytes (sum of its chunks), read with CO-RE at the event */
	__u64 pool_avail;       /* its free bytes after the event */
	__u64 bytes;            /* allocated / freed / added; for CREATED the size asked for */
	__u64 address_key;      /* the allocation's offset in the pool: pairs allocations with frees */
	__u64 offset;           /* CREATED: offset in the BAR */
	__u64 latency_ns;
	__s32 result;           /* 0, -errno, or ZDEV_POOL_HANDED_BACK */
	__u16 event;            /* enum zdev_pool_event */
	__u8 bar;               /* CREATED: the BAR */
	__u8 from_p2p_api;      /* inside pci_alloc_p2pmem / pci_free_p2pmem (genalloc events) */
	char device[ZDEV_DEVICE_LEN];
};

struct zdev_amdgpu_record {
	struct zdev_record_header header;
	__s64 result;           /* the return value (kprobe only: fexit slots are generic and do not see it) */
	__u64 latency_ns;
	__u32 slot;             /* enum zdev_amdgpu_slot */
	__u32 trigger;          /* KFD_MIGRATE_TRIGGER_* + 1 (0: not known for this function/kernel) */
	__u64 pages;            /* last - start + 1 of the range migrated, where the kernel passes them (6.12+) */
};

struct zdev_drm_pagemap_record {
	struct zdev_record_header header;
	__s64 result;           /* the int the function returned: 0, or a negative errno */
	__u64 latency_ns;
	/* pages asked to move, >> PAGE_SHIFT of: the range (end - start), the allocation's size, the fault's
	 * size; 0 when not known (a compiler-split copy, whose arguments are not read) */
	__u64 pages;
	__u64 owner_key;        /* the device memory's dev_pagemap->owner ^ pointer_key (the owner_key of the
				 * migrations it makes), 0 when not known */
	__u32 slot;             /* enum zdev_drm_pagemap_slot */
	__u32 pad;
};

/* uapi kfd_ioctl.h: why KFD migrated */
enum zdev_amdgpu_trigger {
	ZDEV_AMDGPU_TRIGGER_PREFETCH = 0,
	ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU = 1,
	ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU = 2,
	ZDEV_AMDGPU_TRIGGER_TTM_EVICTION = 3,
};

/* the BPF side's settings, written before load (rodata) */
struct zdev_settings {
	__u64 pointer_key;
	/* amdgpu: which argument (1-based, 0 = none) of each slot's function is the migration trigger, found
	 * by name in the module's BTF (it moved: 4th in 6.1's svm_migrate_to_vram, 6th in 6.12's) */
	__u8 amdgpu_trigger_arg[ZDEV_AMDGPU_SLOTS];
	/* the same for the range's first and last page ("start"/"last" or "start_mgr"/"last_mgr", 6.12+) */
	__u8 amdgpu_start_arg[ZDEV_AMDGPU_SLOTS];
	__u8 amdgpu_last_arg[ZDEV_AMDGPU_SLOTS];
	/* a record wakes the reader only once this much waits in the ring buffer (a quarter of it): on a hot
	 * path one wakeup per record costs more than the record; the reader also drains on its own timer */
	__u64 wakeup_bytes;
	/* zone_device_page_init's arguments in the running kernel's BTF: 1 (page) to 6.18, 3 (page, pgmap,
	 * order) from 6.19, where the pgmap is taken from the argument and 1 << order pages counted */
	__u32 page_init_args;
	/* pages in a PMD-sized folio (HPAGE_PMD_NR): what one compound migration entry stands for (7.2) */
	__u32 pmd_pages;
	/* drm_pagemap: per slot, which argument (1-based, 0 = none) is the device memory allocation (struct
	 * drm_pagemap_devmem *), the faulting page, the range's start and end, the size: found by name in the
	 * module's BTF, so that a signature change leaves a figure out instead of reading the wrong register */
	__u8 drm_pagemap_devmem_arg[ZDEV_DRM_PAGEMAP_SLOT_ROOM];
	__u8 drm_pagemap_page_arg[ZDEV_DRM_PAGEMAP_SLOT_ROOM];
	__u8 drm_pagemap_start_arg[ZDEV_DRM_PAGEMAP_SLOT_ROOM];
	__u8 drm_pagemap_end_arg[ZDEV_DRM_PAGEMAP_SLOT_ROOM];
	__u8 drm_pagemap_size_arg[ZDEV_DRM_PAGEMAP_SLOT_ROOM];
	__u32 page_shift;       /* PAGE_SHIFT of the running kernel */
};

/* where device-private memory goes: a free physical range asked for before memremap_pages, given back
 * after it (a request whose pgmap failed and that is never released is a leak: amdgpu 6.1's error path) */
struct zdev_region_record {
	struct zdev_record_header header;
	__u64 start;            /* physical address, first byte */
	__u64 size;
	__s32 result;           /* 0, or the request's negative errno */
	__u32 event;            /* enum zdev_region_event */
	char device[ZDEV_DEVICE_LEN]; /* dev_name() for devm_request_free_mem_region, "" otherwise */
};

#endif /* ZDEV_ABI_H */
