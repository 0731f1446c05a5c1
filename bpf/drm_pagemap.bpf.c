// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * drm_pagemap migrations: the GPU SVM helpers of drivers/gpu/drm/drm_pagemap.c, built into the
 * drm_gpusvm_helper module and used by Intel Xe. Part of zdev.bpf.c (one object): not built on its own.
 *
 * Slots without a fixed target, like amdgpu.bpf.c's: the functions live in a module (one of them static,
 * which the compiler may inline or split), so user space resolves each slot's symbol at run time and finds
 * its arguments by name in the module's BTF (settings.drm_pagemap_*_arg). Each call gives one record: which
 * function, how long, what it returned, the pages it was asked to move, and the owner of the device memory.
 */

struct drm_pagemap_call {
	__u64 start_ns;
	__u64 pages;
	__u64 owner_key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* slot_call_key: a CPU fault inside a migration to device memory nests */
	__type(value, struct drm_pagemap_call);
} drm_pagemap_calls SEC(".maps");

/* the settings' arrays have room for a power of two of slots: the index is masked so that the verifier sees
 * it bounded */
_Static_assert(ZDEV_DRM_PAGEMAP_SLOTS <= ZDEV_DRM_PAGEMAP_SLOT_ROOM &&
	       (ZDEV_DRM_PAGEMAP_SLOT_ROOM & (ZDEV_DRM_PAGEMAP_SLOT_ROOM - 1)) == 0, "ZDEV_DRM_PAGEMAP_SLOT_ROOM");
#define DRM_PAGEMAP_ARG(which, slot) (settings.drm_pagemap_##which##_arg[(slot) & (ZDEV_DRM_PAGEMAP_SLOT_ROOM - 1)])

/* The arguments a slot's function has (0 where it has none, or its positions are not known):
 * drm_pagemap_migrate_to_devmem(devmem_allocation, mm, start, end, mdetails): the range, the allocation;
 * drm_pagemap_evict_to_ram(devmem_allocation): all of the allocation;
 * __drm_pagemap_migrate_to_ram(vas, page, fault_addr, size): the size around the fault, the faulting page.
 * The pages are those asked for: the kernel may move fewer (pages already in place, a race). */
static __always_inline int on_drm_pagemap_entry(struct zdev_hook hook, __u32 slot)
{
	void *devmem = (void *)zdev_arg_at(hook, DRM_PAGEMAP_ARG(devmem, slot), 0);
	void *page = (void *)zdev_arg_at(hook, DRM_PAGEMAP_ARG(page, slot), 0);
	__u64 start = zdev_arg_at(hook, DRM_PAGEMAP_ARG(start, slot), 0);
	__u64 end = zdev_arg_at(hook, DRM_PAGEMAP_ARG(end, slot), 0);
	__u64 size = zdev_arg_at(hook, DRM_PAGEMAP_ARG(size, slot), 0);
	__u64 key = slot_call_key(slot);
	struct drm_pagemap_call call = { .start_ns = bpf_ktime_get_ns() };
	struct dev_pagemap *pgmap;
	__u64 bytes = 0;
	void *owner = NULL;

	if (!zdev_ready)
		return 0;
	if (DRM_PAGEMAP_ARG(size, slot))
		bytes = size;
	else if (DRM_PAGEMAP_ARG(start, slot) && DRM_PAGEMAP_ARG(end, slot))
		bytes = end > start ? end - start : 0;
	else if (devmem)
		bytes = zdev_core_devmem_bytes(devmem);
	if (devmem) {
		owner = zdev_core_devmem_owner(devmem);
	} else if (page) {
		pgmap = zdev_core_page_pgmap(page);
		owner = pgmap ? BPF_CORE_READ(pgmap, owner) : NULL;
	}
	call.pages = bytes >> (settings.page_shift & 63);
	call.owner_key = hide_pointer(owner);
	bpf_map_update_elem(&drm_pagemap_calls, &key, &call, BPF_ANY);
	return 0;
}

/* Every slot's function returns int: the return register's upper half is not part of it (x86-64 leaves it
 * as the last 32-bit move did: zero), so it is sign-extended from the lower. fexit reads it with
 * bpf_get_func_ret (5.17+, and drm_pagemap is newer), whatever the number of arguments the resolved
 * function has. */
static __always_inline int on_drm_pagemap_exit(struct zdev_hook hook, __u32 slot)
{
	int result = (int)zdev_ret(hook);
	__u64 key = slot_call_key(slot);
	struct drm_pagemap_call *call = bpf_map_lookup_elem(&drm_pagemap_calls, &key);
	struct zdev_drm_pagemap_record *record;

	if (!call)
		return 0;
	record = new_record(ZDEV_REC_DRM_PAGEMAP, sizeof(*record), hook.via);
	if (!record)
		goto cleanup;
	record->result = result;
	record->latency_ns = record->header.timestamp_ns - call->start_ns;
	record->pages = call->pages;
	record->owner_key = call->owner_key;
	record->slot = slot;
	record->pad = 0;
	submit_record(record, ZDEV_REC_DRM_PAGEMAP);
cleanup:
	bpf_map_delete_elem(&drm_pagemap_calls, &key);
	return 0;
}

_Static_assert(ZDEV_DRM_PAGEMAP_SLOTS == 3, "one ZDEV_SLOT line per drm_pagemap slot");
ZDEV_SLOT(drm_pagemap, 0, on_drm_pagemap_entry, on_drm_pagemap_exit)
ZDEV_SLOT(drm_pagemap, 1, on_drm_pagemap_entry, on_drm_pagemap_exit)
ZDEV_SLOT(drm_pagemap, 2, on_drm_pagemap_entry, on_drm_pagemap_exit)
