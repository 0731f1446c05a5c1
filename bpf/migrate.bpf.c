// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * HMM migrations and device page use. Part of zdev.bpf.c (one object): not built on its own.
 *
 * A migration is migrate_vma_setup → migrate_vma_pages → migrate_vma_finalize on one task with one
 * struct migrate_vma: one record when it ends (or when setup fails); a successful CPU-fault migration (one
 * page, the hot path) is summed in the fault_migrations map instead. Direction from the selection flags
 * (SYSTEM: RAM → device; DEVICE_PRIVATE/COHERENT: device → RAM), trigger from args->fault_page (6.1+: a
 * CPU fault through the pgmap's migrate_to_ram). migrate_device_range (6.1+) is a driver evicting a whole
 * range of device pages (at unload or file release), migrate_device_pfns (6.19+) a list of them: one record
 * per call. Pages, not entries: a compound entry (7.2's device-private THP) counts as the folio's pages.
 * Device pages: zone_device_page_init and the device page free path are per page and hot, so they are
 * summed in a map per pgmap, which user space reads (never one ring buffer record per page).
 */

#define MAX_MIGRATE_PAGES (1 << 20)

struct migration_call {
	__u64 start_ns;
	__u64 setup_ns;
	__u64 pages_ns;
	__u64 args;
	__u64 owner;
	__u64 vaddr_start;
	__u64 vaddr_end;
	__u64 npages;
	__u64 cpages;
	__u64 migrated;
	__u32 select_flags;
	__u32 cpu_fault;
};

/* the migration in flight on a task (args != 0 while it is): task storage, not a hash by tid, because a
 * CPU fault is one migration per page and the hash's update and delete were a third of zdev's time there */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct migration_call);
} migrations SEC(".maps");

static __always_inline struct migration_call *task_migration(__u64 flags)
{
	return bpf_task_storage_get(&migrations, bpf_get_current_task_btf(), 0, flags);
}

/* the migration in flight on this task, or NULL */
static __always_inline struct migration_call *migration_in_flight(void)
{
	struct migration_call *call = task_migration(0);

	return call && call->args ? call : NULL;
}

struct evict_call {
	__u64 start_ns;
	__u64 src_pfns;
	__u64 start_pfn;
	__u64 npages;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct evict_call);
} evictions SEC(".maps");

/* pages initialised for and freed by the device, per pgmap (key: hidden pgmap pointer); for p2pdma pgmaps
 * also their pool and its state (p2p.bpf.c) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct zdev_page_use_value);
} page_use SEC(".maps");

/* what a walk over a src[] array found: entries still marked to migrate, and the pages they stand for */
struct count_ctx {
	const unsigned long *src;
	__u64 pmd_pages;
	__u64 entries;
	__u64 pages;
};

static long count_migrating(__u32 index, void *data)
{
	struct count_ctx *ctx = data;
	unsigned long entry = 0;

	bpf_probe_read_kernel(&entry, sizeof(entry), ctx->src + index);
	if (entry & MIGRATE_PFN_MIGRATE_FLAG) {
		ctx->entries += 1;
		ctx->pages += zdev_core_migrate_entry_pages(entry, ctx->pmd_pages);
	}
	return 0;
}

/* the pages of SRC's NPAGES entries marked to migrate: a compound entry (7.2's device-private THP) is a
 * whole PMD-sized folio, every other entry one page */
static __always_inline __u64 migrating_pages(const unsigned long *src, __u64 npages)
{
	struct count_ctx ctx = { .src = src, .pmd_pages = settings.pmd_pages };

	if (!src || !npages)
		return 0;
	bpf_loop(npages < MAX_MIGRATE_PAGES ? npages : MAX_MIGRATE_PAGES, count_migrating, &ctx, 0);
	return ctx.pages;
}

/* successful CPU-fault migrations, summed (see struct zdev_fault_migrations_record); per CPU: the program
 * runs with migration disabled, so plain adds are safe */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, struct zdev_fault_migrations_key);
	__type(value, struct zdev_fault_migrations_record);
} fault_migrations SEC(".maps");

static __always_inline void sum_fault_migration(struct migration_call *call)
{
	struct zdev_fault_migrations_key key = {
		.owner_key = hide_address(call->owner),
		.direction = zdev_core_migration_direction(call->select_flags),
	};
	struct zdev_fault_migrations_record *sums;
	__u64 latency = bpf_ktime_get_ns() - call->start_ns;
	__u32 bucket = zdev_latency_bucket_of(latency); /* the model's bucket too: zdev/latency.h */

	sums = bpf_map_lookup_elem(&fault_migrations, &key);
	if (!sums) {
		struct zdev_fault_migrations_record fresh = { .key = key };

		bpf_map_update_elem(&fault_migrations, &key, &fresh, BPF_NOEXIST);
		sums = bpf_map_lookup_elem(&fault_migrations, &key);
		if (!sums) {
			/* the map is full (256 owners x directions): counted as a dropped migration */
			count_record(ZDEV_REC_MIGRATION, 0);
			return;
		}
	}
	sums->migrations++;
	sums->pages_asked += call->npages;
	sums->pages_collected += call->cpages;
	sums->pages_migrated += call->migrated;
	sums->latency_total_ns += latency;
	if (latency > sums->latency_max_ns)
		sums->latency_max_ns = latency;
	/* the check and the index in one register: 6.1's verifier loses the bound of a copy (unbounded access) */
	asm volatile("" : "+r"(bucket));
	if (bucket < ZDEV_LATENCY_BUCKET_COUNT)
		sums->latency_histogram[bucket]++;
}

static __always_inline void emit_migration(struct migration_call *call, __s32 result, __u8 via)
{
	struct zdev_migration_record *record;

	if (call->cpu_fault && !result) {
		sum_fault_migration(call);
		return;
	}
	record = new_record(ZDEV_REC_MIGRATION, sizeof(*record), via);
	if (!record)
		return;
	record->owner_key = hide_address(call->owner);
	record->vaddr_start = call->vaddr_start;
	record->vaddr_end = call->vaddr_end;
	record->pages_asked = call->npages;
	record->pages_collected = call->cpages;
	record->pages_migrated = call->migrated;
	record->latency_ns = record->header.timestamp_ns - call->start_ns;
	record->setup_ns = call->setup_ns;
	record->pages_ns = call->pages_ns;
	record->result = result;
	record->direction = zdev_core_migration_direction(call->select_flags);
	record->trigger = call->cpu_fault ? ZDEV_TRIGGER_CPU_FAULT : ZDEV_TRIGGER_DRIVER;
	record->select_flags = call->select_flags;
	submit_record(record, ZDEV_REC_MIGRATION);
}

static __always_inline int on_setup_entry(struct zdev_hook hook)
{
	struct migrate_vma *args = zdev_arg_ptr(hook, 0);
	struct migration_call *call;

	if (!zdev_ready)
		return 0;
	call = task_migration(BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!call)
		return 0;
	__builtin_memset(call, 0, sizeof(*call));
	call->start_ns = bpf_ktime_get_ns();
	call->owner = (__u64)(unsigned long)BPF_CORE_READ(args, pgmap_owner);
	call->vaddr_start = BPF_CORE_READ(args, start);
	call->vaddr_end = BPF_CORE_READ(args, end);
	call->select_flags = (__u32)BPF_CORE_READ(args, flags);
	call->cpu_fault = zdev_core_cpu_fault(args);
	call->args = (__u64)(unsigned long)args;
	return 0;
}

static __always_inline int on_setup_exit(struct zdev_hook hook)
{
	int ret = (int)zdev_ret(hook);
	struct migration_call *call = migration_in_flight();
	struct migrate_vma *args;

	if (!call)
		return 0;
	call->setup_ns = bpf_ktime_get_ns() - call->start_ns;
	args = (struct migrate_vma *)(unsigned long)call->args;
	call->npages = BPF_CORE_READ(args, npages);
	call->cpages = BPF_CORE_READ(args, cpages);
	/* cpages counts entries: with MIGRATE_VMA_SELECT_COMPOUND (7.2) an entry may be a whole THP, so the
	 * pages collected are those of the entries setup left marked (what cpages counts, weighted) */
	if (call->select_flags & MIGRATE_VMA_SELECT_COMPOUND_FLAG)
		call->cpages = migrating_pages((const unsigned long *)BPF_CORE_READ(args, src), call->npages);
	if (ret) {
		/* nothing will follow: the failed setup is the whole migration */
		emit_migration(call, ret, hook.via);
		call->args = 0;
	}
	return 0;
}

static __always_inline int on_pages_exit(struct zdev_hook hook)
{
	struct migration_call *call = migration_in_flight();
	struct migrate_vma *args;

	if (!call)
		return 0;
	/* from setup's return: the driver's allocation and copy, then the moves (no entry hook: one
	 * trampoline less per migration, and a CPU fault is one migration per page) */
	call->pages_ns = bpf_ktime_get_ns() - call->start_ns - call->setup_ns;
	args = (struct migrate_vma *)(unsigned long)call->args;
	call->migrated = migrating_pages(BPF_CORE_READ(args, src), call->npages);
	return 0;
}

static __always_inline int on_finalize_exit(struct zdev_hook hook)
{
	struct migration_call *call = migration_in_flight();

	if (!call)
		return 0;
	emit_migration(call, 0, hook.via);
	call->args = 0;
	return 0;
}

static __always_inline int begin_eviction(unsigned long *src_pfns, unsigned long start_pfn, unsigned long npages)
{
	struct evict_call call = {};
	__u32 tid = current_tid();

	if (!zdev_ready)
		return 0;
	call.start_ns = bpf_ktime_get_ns();
	call.src_pfns = (__u64)(unsigned long)src_pfns;
	call.start_pfn = start_pfn;
	call.npages = npages;
	bpf_map_update_elem(&evictions, &tid, &call, BPF_ANY);
	return 0;
}

/* migrate_device_range(src_pfns, start_pfn, npages) */
static __always_inline int on_evict_entry(struct zdev_hook hook)
{
	return begin_eviction(zdev_arg_ptr(hook, 0), zdev_arg(hook, 1), zdev_arg(hook, 2));
}

/* migrate_device_pfns(src_pfns, npages), 6.19+ (drm_pagemap's evictions): device pages given by pfn, not a
 * range; the first says which pgmap (an eviction is of one device allocation) */
static __always_inline int on_evict_pfns_entry(struct zdev_hook hook)
{
	unsigned long *src_pfns = zdev_arg_ptr(hook, 0);
	unsigned long npages = zdev_arg(hook, 1);
	unsigned long first_pfn = 0;

	if (src_pfns && npages)
		bpf_probe_read_kernel(&first_pfn, sizeof(first_pfn), src_pfns);
	return begin_eviction(src_pfns, first_pfn, npages);
}

static __always_inline int on_evict_exit(struct zdev_hook hook)
{
	__u32 tid = current_tid();
	struct evict_call *call = bpf_map_lookup_elem(&evictions, &tid);
	struct zdev_eviction_record *record;

	if (!call)
		return 0;
	record = new_record(ZDEV_REC_EVICTION, sizeof(*record), hook.via);
	if (!record)
		goto cleanup;
	record->start_pfn = call->start_pfn;
	record->pages = call->npages;
	/* collected: the device pages that were in use and are now on their way back to RAM */
	record->pages_collected = migrating_pages((const unsigned long *)(unsigned long)call->src_pfns, call->npages);
	record->latency_ns = record->header.timestamp_ns - call->start_ns;
	submit_record(record, ZDEV_REC_EVICTION);
cleanup:
	bpf_map_delete_elem(&evictions, &tid);
	return 0;
}

static __always_inline __u64 p2p_pool_of_pgmap(struct dev_pagemap *pgmap); /* p2p.bpf.c */

/* PAGES device pages initialised (INIT) or freed through PGMAP */
static __always_inline void count_page_use(struct dev_pagemap *pgmap, int init, __u64 pages)
{
	__u64 key = hide_pointer(pgmap);
	struct zdev_page_use_value *use, fresh = {};

	if (!zdev_ready || !pgmap)
		return;
	use = bpf_map_lookup_elem(&page_use, &key);
	if (!use) {
		/* once per pgmap: a p2pdma pgmap's pages go back to its pool (p2pmem mmaps, page by page) */
		fresh.use.pgmap_key = key;
		fresh.pool_key = p2p_pool_of_pgmap(pgmap);
		bpf_map_update_elem(&page_use, &key, &fresh, BPF_NOEXIST);
		use = bpf_map_lookup_elem(&page_use, &key);
		if (!use)
			return;
	}
	if (init)
		__sync_fetch_and_add(&use->use.pages_initialised, pages);
	else
		__sync_fetch_and_add(&use->use.pages_freed, pages);
}

/* zone_device_page_init(page), (page, pgmap, order) from 6.19: see zdev_core_page_init_pgmap */
static __always_inline int on_page_init(struct zdev_hook hook)
{
	__u64 pages = 1;
	struct dev_pagemap *pgmap = zdev_core_page_init_pgmap(hook, &pages);

	count_page_use(pgmap, 1, pages);
	return 0;
}

/* 6.12+: free_zone_device_folio(folio), folio_nr_pages() pages (a large folio from 6.19); 6.1-6.6:
 * free_zone_device_page(page), one page */
static __always_inline int on_folio_free(struct zdev_hook hook)
{
	struct folio *folio = zdev_arg_ptr(hook, 0);

	count_page_use(zdev_core_page_pgmap(folio), 0, zdev_core_folio_nr_pages(folio));
	return 0;
}

static __always_inline int on_page_free(struct zdev_hook hook)
{
	count_page_use(zdev_core_page_pgmap(zdev_arg_ptr(hook, 0)), 0, 1);
	return 0;
}

/* --- the twins ----------------------------------------------------------------------------------------- */

/* migrate_vma_setup(args), migrate_vma_pages(args), migrate_vma_finalize(args) */
ZDEV_ENTRY(migrate_vma_setup, migrate_vma_setup, on_setup_entry)
ZDEV_EXIT(migrate_vma_setup, migrate_vma_setup, 1, on_setup_exit)
ZDEV_EXIT(migrate_vma_pages, migrate_vma_pages, 1, on_pages_exit)
ZDEV_EXIT(migrate_vma_finalize, migrate_vma_finalize, 1, on_finalize_exit)
ZDEV_ENTRY(migrate_device_range, migrate_device_range, on_evict_entry)
ZDEV_EXIT(migrate_device_range, migrate_device_range, 3, on_evict_exit)
ZDEV_ENTRY(migrate_device_pfns, migrate_device_pfns, on_evict_pfns_entry)
ZDEV_EXIT(migrate_device_pfns, migrate_device_pfns, 2, on_evict_exit)
ZDEV_ENTRY(zone_device_page_init, zone_device_page_init, on_page_init)
ZDEV_ENTRY(free_zone_device_folio, free_zone_device_folio, on_folio_free)
ZDEV_ENTRY(free_zone_device_page, free_zone_device_page, on_page_free)
