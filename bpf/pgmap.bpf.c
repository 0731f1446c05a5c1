// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pgmap lifecycle and its vmemmap. Part of zdev.bpf.c (one object): not built on its own. */

/* registrations in flight on any task: the page-allocation tracepoint returns at once when there are none */
int registrations_in_flight = 0;

/* a registration in flight on a task (memremap_pages does not nest: one per task) */
struct pgmap_call {
	__u64 start_ns;
	__u64 pgmap;
	__u64 memmap_init_start_ns;
	__u64 memmap_init_ns;
	__s32 nid;
	__u32 nr_range;
	__u32 pgmap_type;
	__u32 pgmap_flags;
	__u32 vmemmap_shift;
	__u32 pad;
	__u64 owner;
	__u64 altmap_alloc; /* unmap: what the memmap took of the altmap */
	__u64 populate_calls;
	__u64 populate_pages;
	__u64 populate_altmap_pfns;
	__u64 populate_altmap;       /* the altmap of the __populate_section_memmap in progress */
	__u64 populate_alloc_start;  /* its alloc when that call began */
	__u64 add_pages_calls;
	__u64 add_pages_pages;
	__u64 dram_pages_allocated;
	__u64 map_flags;
	struct zdev_range ranges[ZDEV_MAX_RANGES];
	char device[ZDEV_DEVICE_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct pgmap_call);
} map_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct pgmap_call);
} unmap_calls SEC(".maps");

/* dev_name() of the device in devm_memremap_pages, for the memremap_pages it calls on the same task */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct device_name);
} devm_calls SEC(".maps");

/* scratch space: a pgmap_call is too big for the BPF stack */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pgmap_call);
} scratch SEC(".maps");

/* a call on PGMAP starting now, with what a registration and an unregistration both read of the pgmap (in
 * scratch space: the caller copies it into its map) */
static __always_inline struct pgmap_call *new_call(struct dev_pagemap *pgmap)
{
	__u32 zero = 0;
	struct pgmap_call *call = bpf_map_lookup_elem(&scratch, &zero);

	if (!call)
		return NULL;
	__builtin_memset(call, 0, sizeof(*call));
	call->start_ns = bpf_ktime_get_ns();
	call->pgmap = (__u64)(unsigned long)pgmap;
	call->pgmap_type = zdev_core_pgmap_type(BPF_CORE_READ(pgmap, type));
	call->pgmap_flags = BPF_CORE_READ(pgmap, flags);
	call->vmemmap_shift = zdev_core_vmemmap_shift(pgmap);
	/* memremap_pages sets nr_range to 0 and counts it up per mapped range: read the ranges at entry */
	call->nr_range = zdev_core_read_ranges(pgmap, call->ranges);
	return call;
}

/* --- devm_memremap_pages(dev, pgmap): remember who asked ------------------------------------------- */

static __always_inline int on_devm_entry(struct zdev_hook hook)
{
	return remember_device_name(&devm_calls, zdev_arg_ptr(hook, 0));
}

static __always_inline int on_devm_exit(struct zdev_hook hook)
{
	return forget_task_call(&devm_calls);
}

/* --- memremap_pages(pgmap, nid) --------------------------------------------------------------------- */

static __always_inline int on_map_entry(struct zdev_hook hook)
{
	struct dev_pagemap *pgmap = zdev_arg_ptr(hook, 0);
	int nid = (int)zdev_arg(hook, 1);
	__u32 tid = current_tid();
	struct device_name *name;
	struct pgmap_call *call;

	if (!zdev_ready)
		return 0;
	call = new_call(pgmap);
	if (!call)
		return 0;
	call->nid = nid;
	call->owner = (__u64)(unsigned long)BPF_CORE_READ(pgmap, owner);
	name = bpf_map_lookup_elem(&devm_calls, &tid);
	if (name)
		__builtin_memcpy(call->device, name->name, sizeof(call->device));
	if (bpf_map_update_elem(&map_calls, &tid, call, BPF_ANY) == 0)
		__sync_fetch_and_add(&registrations_in_flight, 1);
	return 0;
}

/* memremap_pages returns the mapping's address or an ERR_PTR */
static __always_inline int on_map_exit(struct zdev_hook hook)
{
	long ret_value = (long)zdev_ret(hook);
	__u32 tid = current_tid();
	struct zdev_pgmap_map_record *record;
	struct pgmap_call *call;
	struct dev_pagemap *pgmap;

	call = bpf_map_lookup_elem(&map_calls, &tid);
	if (!call)
		return 0;
	__sync_fetch_and_add(&registrations_in_flight, -1);
	record = new_record(ZDEV_REC_PGMAP_MAP, sizeof(*record), hook.via);
	if (!record)
		goto cleanup;
	pgmap = (struct dev_pagemap *)(unsigned long)call->pgmap;
	record->pgmap_key = hide_pointer(pgmap);
	record->owner_key = hide_address(call->owner);
	record->duration_ns = record->header.timestamp_ns - call->start_ns;
	record->memmap_init_ns = call->memmap_init_ns;
	record->nid = call->nid;
	record->result = is_err_value(ret_value) ? (__s32)ret_value : 0;
	record->pgmap_type = call->pgmap_type;
	record->pgmap_flags = call->pgmap_flags;
	record->nr_range = call->nr_range;
	record->nr_range_mapped = BPF_CORE_READ(pgmap, nr_range);
	record->vmemmap_shift = call->vmemmap_shift;
	record->altmap_valid = (call->pgmap_flags & PGMAP_ALTMAP_VALID_FLAG) ? 1 : 0;
	if (record->altmap_valid) {
		/* at return the altmap says how much of it the memmap took (alloc) and lost to alignment */
		record->altmap_base_pfn = BPF_CORE_READ(pgmap, altmap.base_pfn);
		record->altmap_reserve = BPF_CORE_READ(pgmap, altmap.reserve);
		record->altmap_free = BPF_CORE_READ(pgmap, altmap.free);
		record->altmap_alloc = BPF_CORE_READ(pgmap, altmap.alloc);
		record->altmap_align = BPF_CORE_READ(pgmap, altmap.align);
	} else {
		record->altmap_base_pfn = record->altmap_reserve = record->altmap_free = 0;
		record->altmap_alloc = record->altmap_align = 0;
	}
	record->populate_calls = call->populate_calls;
	record->populate_pages = call->populate_pages;
	record->populate_altmap_pfns = call->populate_altmap_pfns;
	record->add_pages_calls = call->add_pages_calls;
	record->add_pages_pages = call->add_pages_pages;
	record->dram_pages_allocated = call->dram_pages_allocated;
	record->map_flags = call->map_flags;
	__builtin_memcpy(record->ranges, call->ranges, sizeof(record->ranges));
	__builtin_memcpy(record->device, call->device, sizeof(record->device));
	submit_record(record, ZDEV_REC_PGMAP_MAP);
cleanup:
	bpf_map_delete_elem(&map_calls, &tid);
	return 0;
}

/* --- memmap_init_zone_device: its share of the registration time ------------------------------------ */

static __always_inline int on_memmap_init_entry(struct zdev_hook hook)
{
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (call)
		call->memmap_init_start_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_memmap_init_exit(struct zdev_hook hook)
{
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (call && call->memmap_init_start_ns) {
		call->memmap_init_ns += bpf_ktime_get_ns() - call->memmap_init_start_ns;
		call->memmap_init_start_ns = 0;
	}
	return 0;
}

/* --- vmemmap population inside a registration ----------------------------------------------------------
 * __populate_section_memmap(pfn, nr_pages, nid, altmap, pgmap) (pgmap from 5.19) gives nr_pages their
 * memmap, from the altmap when there is one; __add_pages(nid, pfn, nr_pages, params) is its traceable
 * caller, the way in where __populate_section_memmap is notrace (6.1). Both only count while a
 * memremap_pages is in flight on the task: the same functions run for ordinary memory hotplug. */

static __always_inline int on_populate_entry(struct zdev_hook hook)
{
	unsigned long nr_pages = zdev_arg(hook, 1);
	struct vmem_altmap *altmap = zdev_arg_ptr(hook, 3);
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (!call)
		return 0;
	call->populate_calls += 1;
	call->populate_pages += nr_pages;
	call->populate_altmap = (__u64)(unsigned long)altmap;
	call->populate_alloc_start = altmap ? BPF_CORE_READ(altmap, alloc) : 0;
	return 0;
}

static __always_inline int on_populate_exit(struct zdev_hook hook)
{
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);
	struct vmem_altmap *altmap;

	if (!call || !call->populate_altmap)
		return 0;
	altmap = (struct vmem_altmap *)(unsigned long)call->populate_altmap;
	call->populate_altmap_pfns += BPF_CORE_READ(altmap, alloc) - call->populate_alloc_start;
	call->populate_altmap = 0;
	return 0;
}

static __always_inline int on_add_pages_entry(struct zdev_hook hook)
{
	unsigned long nr_pages = zdev_arg(hook, 2);
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (call) {
		call->add_pages_calls += 1;
		call->add_pages_pages += nr_pages;
	}
	return 0;
}

/* __populate_section_memmap(pfn, nr_pages, nid, altmap, pgmap), __add_pages(nid, pfn, nr_pages, params) */
ZDEV_ENTRY(populate_section_memmap, __populate_section_memmap, on_populate_entry)
ZDEV_EXIT(populate_section_memmap, __populate_section_memmap, 5, on_populate_exit)
ZDEV_ENTRY(add_pages, __add_pages, on_add_pages_entry)

/* every page allocation in the system passes here: one load and out, unless a registration is in flight */
SEC("?tracepoint/kmem/mm_page_alloc")
int tracepoint_mm_page_alloc(struct trace_event_raw_mm_page_alloc *ctx)
{
	struct pgmap_call *call;
	__u32 tid;

	if (!registrations_in_flight)
		return 0;
	tid = current_tid();
	call = bpf_map_lookup_elem(&map_calls, &tid);
	if (call)
		call->dram_pages_allocated += 1ull << ctx->order;
	return 0;
}

/* --- memunmap_pages(pgmap) -------------------------------------------------------------------------- */

static __always_inline int on_unmap_entry(struct zdev_hook hook)
{
	struct dev_pagemap *pgmap = zdev_arg_ptr(hook, 0);
	__u32 tid = current_tid();
	struct pgmap_call *call;

	if (!zdev_ready)
		return 0;
	/* memremap_pages failing and undoing its own work: part of the registration's record */
	call = bpf_map_lookup_elem(&map_calls, &tid);
	if (call && call->pgmap == (__u64)(unsigned long)pgmap) {
		call->map_flags |= ZDEV_MAP_CLEANED_UP;
		return 0;
	}
	call = new_call(pgmap);
	if (!call)
		return 0;
	/* the altmap still says what the memmap took; read it before memunmap_pages frees the memmap */
	if (call->pgmap_flags & PGMAP_ALTMAP_VALID_FLAG)
		call->altmap_alloc = BPF_CORE_READ(pgmap, altmap.alloc);
	bpf_map_update_elem(&unmap_calls, &tid, call, BPF_ANY);
	return 0;
}

static __always_inline void p2p_pgmap_gone(__u64 pgmap); /* p2p.bpf.c */

static __always_inline int on_unmap_exit(struct zdev_hook hook)
{
	__u32 tid = current_tid();
	struct zdev_pgmap_unmap_record *record;
	struct pgmap_call *call;

	call = bpf_map_lookup_elem(&unmap_calls, &tid);
	if (!call)
		return 0;
	/* before the record: user space reads the pool's last state when the record reaches it */
	if (call->pgmap_type == ZDEV_PGMAP_P2PDMA)
		p2p_pgmap_gone(call->pgmap);
	record = new_record(ZDEV_REC_PGMAP_UNMAP, sizeof(*record), hook.via);
	if (!record)
		goto cleanup;
	record->pgmap_key = hide_address(call->pgmap);
	record->duration_ns = record->header.timestamp_ns - call->start_ns;
	record->pgmap_type = call->pgmap_type;
	record->nr_range = call->nr_range;
	record->pgmap_flags = call->pgmap_flags;
	record->vmemmap_shift = call->vmemmap_shift;
	record->altmap_alloc = call->altmap_alloc;
	__builtin_memcpy(record->ranges, call->ranges, sizeof(record->ranges));
	submit_record(record, ZDEV_REC_PGMAP_UNMAP);
cleanup:
	bpf_map_delete_elem(&unmap_calls, &tid);
	return 0;
}

/* --- the twins ----------------------------------------------------------------------------------------- */

/* memremap_pages(pgmap, nid), devm_memremap_pages(dev, pgmap), memmap_init_zone_device(zone, start_pfn,
 * nr_pages, pgmap), memunmap_pages(pgmap) */
ZDEV_ENTRY(memremap_pages, memremap_pages, on_map_entry)
ZDEV_EXIT(memremap_pages, memremap_pages, 2, on_map_exit)
ZDEV_ENTRY(devm_memremap_pages, devm_memremap_pages, on_devm_entry)
ZDEV_EXIT(devm_memremap_pages, devm_memremap_pages, 2, on_devm_exit)
ZDEV_ENTRY(memmap_init_zone_device, memmap_init_zone_device, on_memmap_init_entry)
ZDEV_EXIT(memmap_init_zone_device, memmap_init_zone_device, 4, on_memmap_init_exit)
ZDEV_ENTRY(memunmap_pages, memunmap_pages, on_unmap_entry)
ZDEV_EXIT(memunmap_pages, memunmap_pages, 1, on_unmap_exit)
