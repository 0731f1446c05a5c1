// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pgmap lifecycle and its vmemmap. Part of zdev.bpf.c (one object): not built on its own. */

#define PGMAP_ALTMAP_VALID_FLAG 1 /* (1 << 0) in include/linux/memremap.h, 5.10 to 7.2 */

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
struct device_name {
	char name[ZDEV_DEVICE_LEN];
};

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

static __always_inline struct pgmap_call *new_call(void)
{
	__u32 zero = 0;
	struct pgmap_call *call = bpf_map_lookup_elem(&scratch, &zero);

	if (call)
		__builtin_memset(call, 0, sizeof(*call));
	return call;
}

/* --- devm_memremap_pages(dev, pgmap): remember who asked ------------------------------------------- */

static __always_inline int on_devm_entry(struct device *dev)
{
	struct device_name name = {};
	__u32 tid = current_tid();
	const char *kname = BPF_CORE_READ(dev, kobj.name);

	if (kname)
		bpf_probe_read_kernel_str(name.name, sizeof(name.name), kname);
	bpf_map_update_elem(&devm_calls, &tid, &name, BPF_ANY);
	return 0;
}

static __always_inline int on_devm_exit(void)
{
	__u32 tid = current_tid();

	bpf_map_delete_elem(&devm_calls, &tid);
	return 0;
}

/* --- memremap_pages(pgmap, nid) --------------------------------------------------------------------- */

static __always_inline int on_map_entry(struct dev_pagemap *pgmap, int nid)
{
	__u32 tid = current_tid();
	struct device_name *name;
	struct pgmap_call *call;

	if (!zdev_ready)
		return 0;
	call = new_call();
	if (!call)
		return 0;
	call->start_ns = bpf_ktime_get_ns();
	call->pgmap = (__u64)(unsigned long)pgmap;
	call->nid = nid;
	call->pgmap_type = zdev_core_pgmap_type(BPF_CORE_READ(pgmap, type));
	call->pgmap_flags = BPF_CORE_READ(pgmap, flags);
	call->vmemmap_shift = zdev_core_vmemmap_shift(pgmap);
	call->owner = (__u64)(unsigned long)BPF_CORE_READ(pgmap, owner);
	/* memremap_pages sets nr_range to 0 and counts it up per mapped range: read the ranges now */
	call->nr_range = zdev_core_read_ranges(pgmap, call->ranges);
	name = bpf_map_lookup_elem(&devm_calls, &tid);
	if (name)
		__builtin_memcpy(call->device, name->name, sizeof(call->device));
	if (bpf_map_update_elem(&map_calls, &tid, call, BPF_ANY) == 0)
		__sync_fetch_and_add(&registrations_in_flight, 1);
	return 0;
}

static __always_inline int on_map_exit(void *ret, __u8 via)
{
	__u32 tid = current_tid();
	struct zdev_pgmap_map_record *record;
	struct pgmap_call *call;
	struct dev_pagemap *pgmap;
	long ret_value = (long)ret;

	call = bpf_map_lookup_elem(&map_calls, &tid);
	if (!call)
		return 0;
	__sync_fetch_and_add(&registrations_in_flight, -1);
	record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);
	if (!record) {
		count_record(ZDEV_REC_PGMAP_MAP, 0);
		goto cleanup;
	}
	fill_header(&record->header, ZDEV_REC_PGMAP_MAP, sizeof(*record), via);
	pgmap = (struct dev_pagemap *)(unsigned long)call->pgmap;
	record->pgmap_key = hide_pointer(pgmap);
	record->owner_key = call->owner ? call->owner ^ settings.pointer_key : 0;
	record->duration_ns = record->header.timestamp_ns - call->start_ns;
	record->memmap_init_ns = call->memmap_init_ns;
	record->nid = call->nid;
	record->result = (ret_value < 0 && ret_value >= -MAX_ERRNO) ? (__s32)ret_value : 0;
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

static __always_inline int on_memmap_init_entry(void)
{
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (call)
		call->memmap_init_start_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_memmap_init_exit(void)
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

static __always_inline int on_populate_entry(unsigned long nr_pages, struct vmem_altmap *altmap)
{
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

static __always_inline int on_populate_exit(void)
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

static __always_inline int on_add_pages_entry(unsigned long nr_pages)
{
	__u32 tid = current_tid();
	struct pgmap_call *call = bpf_map_lookup_elem(&map_calls, &tid);

	if (call) {
		call->add_pages_calls += 1;
		call->add_pages_pages += nr_pages;
	}
	return 0;
}

SEC("?fentry/__populate_section_memmap")
int BPF_PROG(fentry_populate_section_memmap, unsigned long pfn, unsigned long nr_pages, int nid,
	     struct vmem_altmap *altmap)
{
	return on_populate_entry(nr_pages, altmap);
}

SEC("?fexit/__populate_section_memmap")
int BPF_PROG(fexit_populate_section_memmap)
{
	return on_populate_exit();
}

SEC("?kprobe/__populate_section_memmap")
int BPF_KPROBE(kprobe_populate_section_memmap, unsigned long pfn, unsigned long nr_pages, int nid,
	       struct vmem_altmap *altmap)
{
	return on_populate_entry(nr_pages, altmap);
}

SEC("?kretprobe/__populate_section_memmap")
int BPF_KRETPROBE(kretprobe_populate_section_memmap)
{
	return on_populate_exit();
}

SEC("?fentry/__add_pages")
int BPF_PROG(fentry_add_pages, int nid, unsigned long pfn, unsigned long nr_pages)
{
	return on_add_pages_entry(nr_pages);
}

SEC("?kprobe/__add_pages")
int BPF_KPROBE(kprobe_add_pages, int nid, unsigned long pfn, unsigned long nr_pages)
{
	return on_add_pages_entry(nr_pages);
}

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

static __always_inline int on_unmap_entry(struct dev_pagemap *pgmap)
{
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
	call = new_call();
	if (!call)
		return 0;
	call->start_ns = bpf_ktime_get_ns();
	call->pgmap = (__u64)(unsigned long)pgmap;
	call->pgmap_type = zdev_core_pgmap_type(BPF_CORE_READ(pgmap, type));
	call->pgmap_flags = BPF_CORE_READ(pgmap, flags);
	call->vmemmap_shift = zdev_core_vmemmap_shift(pgmap);
	/* the altmap still says what the memmap took; read it before memunmap_pages frees the memmap */
	if (call->pgmap_flags & PGMAP_ALTMAP_VALID_FLAG)
		call->altmap_alloc = BPF_CORE_READ(pgmap, altmap.alloc);
	call->nr_range = zdev_core_read_ranges(pgmap, call->ranges);
	bpf_map_update_elem(&unmap_calls, &tid, call, BPF_ANY);
	return 0;
}

static __always_inline void p2p_pgmap_gone(__u64 pgmap); /* p2p.bpf.c */

static __always_inline int on_unmap_exit(__u8 via)
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
	record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);
	if (!record) {
		count_record(ZDEV_REC_PGMAP_UNMAP, 0);
		goto cleanup;
	}
	fill_header(&record->header, ZDEV_REC_PGMAP_UNMAP, sizeof(*record), via);
	record->pgmap_key = call->pgmap ? call->pgmap ^ settings.pointer_key : 0;
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

SEC("?fentry/memremap_pages")
int BPF_PROG(fentry_memremap_pages, struct dev_pagemap *pgmap, int nid)
{
	return on_map_entry(pgmap, nid);
}

SEC("?fexit/memremap_pages")
int BPF_PROG(fexit_memremap_pages, struct dev_pagemap *pgmap, int nid, void *ret)
{
	return on_map_exit(ret, ZDEV_VIA_FENTRY);
}

SEC("?kprobe/memremap_pages")
int BPF_KPROBE(kprobe_memremap_pages, struct dev_pagemap *pgmap, int nid)
{
	return on_map_entry(pgmap, nid);
}

SEC("?kretprobe/memremap_pages")
int BPF_KRETPROBE(kretprobe_memremap_pages, void *ret)
{
	return on_map_exit(ret, ZDEV_VIA_KPROBE);
}

SEC("?fentry/devm_memremap_pages")
int BPF_PROG(fentry_devm_memremap_pages, struct device *dev, struct dev_pagemap *pgmap)
{
	return on_devm_entry(dev);
}

SEC("?fexit/devm_memremap_pages")
int BPF_PROG(fexit_devm_memremap_pages, struct device *dev, struct dev_pagemap *pgmap, void *ret)
{
	return on_devm_exit();
}

SEC("?kprobe/devm_memremap_pages")
int BPF_KPROBE(kprobe_devm_memremap_pages, struct device *dev, struct dev_pagemap *pgmap)
{
	return on_devm_entry(dev);
}

SEC("?kretprobe/devm_memremap_pages")
int BPF_KRETPROBE(kretprobe_devm_memremap_pages, void *ret)
{
	return on_devm_exit();
}

SEC("?fentry/memmap_init_zone_device")
int BPF_PROG(fentry_memmap_init_zone_device)
{
	return on_memmap_init_entry();
}

SEC("?fexit/memmap_init_zone_device")
int BPF_PROG(fexit_memmap_init_zone_device)
{
	return on_memmap_init_exit();
}

SEC("?kprobe/memmap_init_zone_device")
int BPF_KPROBE(kprobe_memmap_init_zone_device)
{
	return on_memmap_init_entry();
}

SEC("?kretprobe/memmap_init_zone_device")
int BPF_KRETPROBE(kretprobe_memmap_init_zone_device)
{
	return on_memmap_init_exit();
}

SEC("?fentry/memunmap_pages")
int BPF_PROG(fentry_memunmap_pages, struct dev_pagemap *pgmap)
{
	return on_unmap_entry(pgmap);
}

SEC("?fexit/memunmap_pages")
int BPF_PROG(fexit_memunmap_pages, struct dev_pagemap *pgmap)
{
	return on_unmap_exit(ZDEV_VIA_FENTRY);
}

SEC("?kprobe/memunmap_pages")
int BPF_KPROBE(kprobe_memunmap_pages, struct dev_pagemap *pgmap)
{
	return on_unmap_entry(pgmap);
}

SEC("?kretprobe/memunmap_pages")
int BPF_KRETPROBE(kretprobe_memunmap_pages)
{
	return on_unmap_exit(ZDEV_VIA_KPROBE);
}
