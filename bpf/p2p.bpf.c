// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * p2pdma pools and genalloc. Part of zdev.bpf.c (one object): not built on its own.
 *
 * pci_p2pdma_add_resource makes a pool (a gen_pool) out of part of a BAR; pci_alloc_p2pmem /
 * pci_free_p2pmem take from it and give back. The pool's size and free bytes are read with CO-RE from the
 * gen_pool the device carries, at every event, so the numbers are right even where gen_pool_* cannot be
 * hooked (lib/ is notrace: a kprobe only with KPROBE_EVENTS_ON_NOTRACE). Where they can, the genalloc
 * kprobes also see what bypasses pci_alloc_p2pmem (the sysfs p2pmem/allocate mmap, 6.2+), other genalloc
 * pools, and the allocation pci_alloc_p2pmem hands straight back when percpu_ref_tryget_live fails.
 */

#define MAX_POOL_CHUNKS 8

struct p2p_call {
	__u64 start_ns;
	__u64 pdev;
	__u64 size;
	__u64 offset;
	__u32 bar;
	__u32 genalloc_allocated; /* a gen_pool allocation succeeded inside this pci_alloc_p2pmem */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct p2p_call);
} p2p_calls SEC(".maps");

struct genalloc_call {
	__u64 pool;
	__u64 size;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct genalloc_call);
} genalloc_calls SEC(".maps");

/* size and free bytes of a gen_pool: the sum over its chunks (p2pdma pools have one) */
static __always_inline void pool_state(struct gen_pool *pool, __u64 *size, __u64 *avail)
{
	struct list_head *head, *node;

	*size = *avail = 0;
	if (!pool)
		return;
	head = (struct list_head *)((char *)pool + bpf_core_field_offset(struct gen_pool, chunks));
	node = BPF_CORE_READ(pool, chunks.next);
#pragma unroll
	for (int i = 0; i < MAX_POOL_CHUNKS; i++) {
		struct gen_pool_chunk *chunk;

		if (!node || node == head)
			break;
		chunk = (struct gen_pool_chunk *)((char *)node - bpf_core_field_offset(struct gen_pool_chunk, next_chunk));
		*size += BPF_CORE_READ(chunk, end_addr) - BPF_CORE_READ(chunk, start_addr) + 1;
		*avail += BPF_CORE_READ(chunk, avail.counter);
		node = BPF_CORE_READ(node, next);
	}
}

static __always_inline struct zdev_pool_record *new_pool_record(__u16 kind, __u8 via)
{
	struct zdev_pool_record *record = new_record(ZDEV_REC_POOL, sizeof(*record), via);

	if (!record)
		return NULL;
	/* the fields after the header: each event fills only those it knows */
	__builtin_memset(&record->pool_key, 0, sizeof(*record) - offsetof(struct zdev_pool_record, pool_key));
	record->event = kind;
	return record;
}

static __always_inline void fill_pool(struct zdev_pool_record *record, struct gen_pool *pool)
{
	record->pool_key = hide_pointer(pool);
	pool_state(pool, &record->pool_size, &record->pool_avail);
}

/* an allocation's place: its offset from the start of the pool's first chunk (never the address) */
static __always_inline __u64 pool_offset(struct gen_pool *pool, unsigned long addr)
{
	struct list_head *node;
	struct gen_pool_chunk *chunk;

	if (!pool || !addr)
		return 0;
	node = BPF_CORE_READ(pool, chunks.next);
	chunk = (struct gen_pool_chunk *)((char *)node - bpf_core_field_offset(struct gen_pool_chunk, next_chunk));
	return addr - BPF_CORE_READ(chunk, start_addr);
}

/* --- pages of mapped p2p memory given back through their pgmap -------------------------------------------- */
/* Pages of a p2pmem/allocate mmap come back one at a time through free_zone_device_folio (hooked for page
 * use anyway: count_page_use counts them per pgmap). Their pool is found once per pgmap, and its state is
 * read when user space reads the counts (read_pool_states) and at the pgmap's unmap, never per page: one
 * map update per page on a hook that runs anyway, where the genalloc free kprobe costs a trap and a record. */

/* the hidden pointer of a p2pdma pgmap's pool; 0 for any other pgmap */
static __always_inline __u64 p2p_pool_of_pgmap(struct dev_pagemap *pgmap)
{
	return hide_pointer(zdev_core_p2p_pool(zdev_core_p2p_pgmap_device(pgmap)));
}

static __always_inline void read_pool_state(struct zdev_page_use_value *use)
{
	struct gen_pool *pool = reveal_pointer(use->pool_key);

	pool_state(pool, &use->pool_size, &use->pool_avail);
	use->state_ns = bpf_ktime_get_ns();
}

static long read_one_pool_state(struct bpf_map *map, __u64 *key, struct zdev_page_use_value *use, void *ctx)
{
	if (use->pool_key && !use->pool_gone)
		read_pool_state(use);
	return 0;
}

/* Run by user space (BPF_PROG_TEST_RUN) before it reads page_use: the state of every live pool that has
 * pages given back through its pgmap, read now. */
SEC("?raw_tp")
int read_pool_states(void *ctx)
{
	bpf_for_each_map_elem(&page_use, read_one_pool_state, NULL, 0);
	return 0;
}

/* memunmap_pages returned: the pool is still there (pci_p2pdma_release destroys it later, registered
 * before the pgmap): its last state; never read again (pool_gone) */
static __always_inline void p2p_pgmap_gone(__u64 pgmap)
{
	__u64 key = hide_address(pgmap);
	struct zdev_page_use_value *use = bpf_map_lookup_elem(&page_use, &key);

	if (!use || !use->pool_key || use->pool_gone)
		return;
	read_pool_state(use);
	use->pool_gone = 1;
}

/* --- pci_p2pdma_add_resource(pdev, bar, size, offset), pci_alloc_p2pmem(pdev, size) ---------------------- */

static __always_inline int begin_p2p_call(struct pci_dev *pdev, __u64 size, __u64 offset, __u32 bar)
{
	struct p2p_call call = { .start_ns = bpf_ktime_get_ns(), .pdev = (__u64)(unsigned long)pdev,
				 .size = size, .offset = offset, .bar = bar };
	__u32 tid = current_tid();

	if (zdev_ready)
		bpf_map_update_elem(&p2p_calls, &tid, &call, BPF_ANY);
	return 0;
}

/* the record of the call in flight on this task, with what every p2p call reports filled in: the pool's
 * state, the device, the bytes, the latency; *pool is the device's pool */
static __always_inline struct zdev_pool_record *p2p_call_record(struct p2p_call *call, __u16 kind, __u8 via,
								 struct gen_pool **pool)
{
	struct pci_dev *pdev = (struct pci_dev *)(unsigned long)call->pdev;
	struct zdev_pool_record *record = new_pool_record(kind, via);

	if (!record)
		return NULL;
	*pool = zdev_core_p2p_pool(pdev);
	fill_pool(record, *pool);
	read_device_name(&pdev->dev, record->device, sizeof(record->device));
	record->bytes = call->size;
	record->latency_ns = record->header.timestamp_ns - call->start_ns;
	return record;
}

/* pci_p2pdma_add_resource(pdev, bar, size, offset) */
static __always_inline int on_add_resource_entry(struct zdev_hook hook)
{
	return begin_p2p_call(zdev_arg_ptr(hook, 0), zdev_arg(hook, 2), zdev_arg(hook, 3), (int)zdev_arg(hook, 1));
}

/* pci_alloc_p2pmem(pdev, size) */
static __always_inline int on_p2p_alloc_entry(struct zdev_hook hook)
{
	return begin_p2p_call(zdev_arg_ptr(hook, 0), zdev_arg(hook, 1), 0, 0);
}

static __always_inline int on_add_resource_exit(struct zdev_hook hook)
{
	int ret = (int)zdev_ret(hook);
	__u32 tid = current_tid();
	struct p2p_call *call = bpf_map_lookup_elem(&p2p_calls, &tid);
	struct zdev_pool_record *record;
	struct gen_pool *pool;

	if (!call)
		return 0;
	record = p2p_call_record(call, ZDEV_POOL_CREATED, hook.via, &pool);
	if (record) {
		record->offset = call->offset;
		record->bar = call->bar;
		record->result = ret;
		submit_record(record, ZDEV_REC_POOL);
	}
	bpf_map_delete_elem(&p2p_calls, &tid);
	return 0;
}

static __always_inline int on_p2p_alloc_exit(struct zdev_hook hook)
{
	void *ret = (void *)zdev_ret(hook);
	__u32 tid = current_tid();
	struct p2p_call *call = bpf_map_lookup_elem(&p2p_calls, &tid);
	struct zdev_pool_record *record;
	struct gen_pool *pool;

	if (!call)
		return 0;
	record = p2p_call_record(call, ZDEV_POOL_ALLOC, hook.via, &pool);
	if (record) {
		record->address_key = pool_offset(pool, (unsigned long)ret);
		/* NULL after a successful gen_pool allocation: the percpu_ref_tryget_live path handed it back */
		record->result = ret ? 0 : (call->genalloc_allocated ? ZDEV_POOL_HANDED_BACK : -ENOMEM);
		record->from_p2p_api = 1;
		submit_record(record, ZDEV_REC_POOL);
	}
	bpf_map_delete_elem(&p2p_calls, &tid);
	return 0;
}

static __always_inline int on_p2p_free(struct zdev_hook hook)
{
	struct pci_dev *pdev = zdev_arg_ptr(hook, 0);
	void *addr = zdev_arg_ptr(hook, 1);
	__u64 size = zdev_arg(hook, 2);
	struct p2p_call call = { .pdev = (__u64)(unsigned long)pdev, .size = size };
	struct zdev_pool_record *record;
	__u32 tid = current_tid();

	if (!zdev_ready)
		return 0;
	/* marks the task as inside pci_free_p2pmem: its gen_pool_free is not a direct one */
	bpf_map_update_elem(&p2p_calls, &tid, &call, BPF_ANY);
	record = new_pool_record(ZDEV_POOL_FREE, hook.via);
	if (record) {
		struct gen_pool *pool = zdev_core_p2p_pool(pdev);

		/* read at entry: the free has not happened yet, so the pool has size bytes fewer free */
		fill_pool(record, pool);
		record->pool_avail += size;
		read_device_name(&pdev->dev, record->device, sizeof(record->device));
		record->bytes = size;
		record->address_key = pool_offset(pool, (unsigned long)addr);
		record->from_p2p_api = 1;
		submit_record(record, ZDEV_REC_POOL);
	}
	return 0;
}

static __always_inline int on_p2p_free_exit(struct zdev_hook hook)
{
	return forget_task_call(&p2p_calls);
}

/* --- genalloc (kprobes only: lib/ is notrace) ------------------------------------------------------------ */

/* gen_pool_alloc_algo_owner(pool, size, algo, data, owner) */
static __always_inline int on_genalloc_alloc_entry(struct zdev_hook hook)
{
	struct genalloc_call call = { .pool = zdev_arg(hook, 0), .size = zdev_arg(hook, 1) };
	__u32 tid = current_tid();

	if (zdev_ready)
		bpf_map_update_elem(&genalloc_calls, &tid, &call, BPF_ANY);
	return 0;
}

static __always_inline int on_genalloc_alloc_exit(struct zdev_hook hook)
{
	unsigned long ret = zdev_ret(hook);
	__u32 tid = current_tid();
	struct genalloc_call *call = bpf_map_lookup_elem(&genalloc_calls, &tid);
	struct zdev_pool_record *record;
	struct p2p_call *p2p;

	if (!call)
		return 0;
	p2p = bpf_map_lookup_elem(&p2p_calls, &tid);
	if (p2p && ret)
		p2p->genalloc_allocated = 1;
	record = new_pool_record(ZDEV_POOL_GENALLOC_ALLOC, hook.via);
	if (record) {
		fill_pool(record, (struct gen_pool *)(unsigned long)call->pool);
		record->bytes = call->size;
		record->address_key = pool_offset((struct gen_pool *)(unsigned long)call->pool, ret);
		record->result = ret ? 0 : -ENOMEM;
		record->from_p2p_api = p2p != NULL;
		submit_record(record, ZDEV_REC_POOL);
	}
	bpf_map_delete_elem(&genalloc_calls, &tid);
	return 0;
}

/* gen_pool_free_owner(pool, addr, size, owner) */
static __always_inline int on_genalloc_free(struct zdev_hook hook)
{
	struct gen_pool *pool = zdev_arg_ptr(hook, 0);
	unsigned long addr = zdev_arg(hook, 1);
	__u64 size = zdev_arg(hook, 2);
	struct zdev_pool_record *record;
	__u32 tid = current_tid();

	if (!zdev_ready)
		return 0;
	record = new_pool_record(ZDEV_POOL_GENALLOC_FREE, hook.via);
	if (record) {
		fill_pool(record, pool);
		record->pool_avail += size; /* at entry: not freed yet */
		record->bytes = size;
		record->address_key = pool_offset(pool, addr);
		record->from_p2p_api = bpf_map_lookup_elem(&p2p_calls, &tid) != NULL;
		submit_record(record, ZDEV_REC_POOL);
	}
	return 0;
}

/* gen_pool_add_owner(pool, virt, phys, size, nid, owner) */
static __always_inline int on_genalloc_add(struct zdev_hook hook)
{
	struct gen_pool *pool = zdev_arg_ptr(hook, 0);
	__u64 size = zdev_arg(hook, 3);
	struct zdev_pool_record *record;

	if (!zdev_ready)
		return 0;
	record = new_pool_record(ZDEV_POOL_GENALLOC_ADD, hook.via);
	if (record) {
		fill_pool(record, pool);
		record->bytes = size;
		submit_record(record, ZDEV_REC_POOL);
	}
	return 0;
}

/* --- the twins ----------------------------------------------------------------------------------------- */

ZDEV_ENTRY(pci_p2pdma_add_resource, pci_p2pdma_add_resource, on_add_resource_entry)
ZDEV_EXIT(pci_p2pdma_add_resource, pci_p2pdma_add_resource, 4, on_add_resource_exit)
ZDEV_ENTRY(pci_alloc_p2pmem, pci_alloc_p2pmem, on_p2p_alloc_entry)
ZDEV_EXIT(pci_alloc_p2pmem, pci_alloc_p2pmem, 2, on_p2p_alloc_exit)
/* pci_free_p2pmem(pdev, addr, size) */
ZDEV_ENTRY(pci_free_p2pmem, pci_free_p2pmem, on_p2p_free)
ZDEV_EXIT(pci_free_p2pmem, pci_free_p2pmem, 3, on_p2p_free_exit)

/* genalloc: no fentry twins (never ftrace-able) */
ZDEV_KPROBE_ONLY(gen_pool_alloc_algo_owner, gen_pool_alloc_algo_owner, on_genalloc_alloc_entry)
ZDEV_KRETPROBE_ONLY(gen_pool_alloc_algo_owner, gen_pool_alloc_algo_owner, on_genalloc_alloc_exit)
ZDEV_KPROBE_ONLY(gen_pool_free_owner, gen_pool_free_owner, on_genalloc_free)
ZDEV_KPROBE_ONLY(gen_pool_add_owner, gen_pool_add_owner, on_genalloc_add)
