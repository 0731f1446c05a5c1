// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * amdgpu KFD SVM migrations. Part of zdev.bpf.c (one object): not built on its own.
 *
 * The functions live in the amdgpu module, under names that move between kernels (svm_migrate_init in 6.1,
 * kgd2kfd_init_zone_device later; some exist only as compiler-split .part.N / .isra.N copies). So the
 * programs here are slots without a fixed target: user space resolves each slot's function at run time and
 * attaches the slot's fentry (bpf_program__set_attach_target) or kprobe (by the resolved name) to it.
 * Each call gives one record: which slot, how long, what it returned.
 */

struct amdgpu_call {
	__u64 start_ns;
	__u64 pages;
	__u32 trigger; /* + 1; 0 unknown */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* slot_call_key: the slots can nest (to_vram calls copy_to_vram) */
	__type(value, struct amdgpu_call);
} amdgpu_calls SEC(".maps");

/* the settings' arrays have room for every slot: the index is masked so that the verifier sees it bounded */
_Static_assert((ZDEV_AMDGPU_SLOTS & (ZDEV_AMDGPU_SLOTS - 1)) == 0, "ZDEV_AMDGPU_SLOTS: a power of two");
#define AMDGPU_ARG(which, slot) (settings.amdgpu_##which##_arg[(slot) & (ZDEV_AMDGPU_SLOTS - 1)])

/* each slot's function has the range of pages to move (its first and last page) and the migration's
 * trigger at positions found in the module's BTF; a slot without them records 0 pages, trigger unknown */
static __always_inline int on_amdgpu_entry(struct zdev_hook hook, __u32 slot)
{
	__u64 trigger = zdev_arg_at(hook, AMDGPU_ARG(trigger, slot), ~0ull);
	__u64 first = zdev_arg_at(hook, AMDGPU_ARG(start, slot), ~0ull);
	__u64 last = zdev_arg_at(hook, AMDGPU_ARG(last, slot), 0);
	__u64 key = slot_call_key(slot);
	struct amdgpu_call call = { .start_ns = bpf_ktime_get_ns(),
				    .trigger = trigger == ~0ull ? 0 : (__u32)trigger + 1,
				    .pages = last >= first && first != ~0ull ? last - first + 1 : 0 };

	if (zdev_ready)
		bpf_map_update_elem(&amdgpu_calls, &key, &call, BPF_ANY);
	return 0;
}

/* The slots' functions return int (or vm_fault_t, an unsigned int, or nothing): a 32-bit result, which x86-64
 * leaves in eax with the upper half of rax zero, so a kretprobe's -ENOMEM reads 4294967284 unless it is
 * sign-extended from the int. fexit does not read it (abi.h: the record's result is the kprobe's only). */
static __always_inline int on_amdgpu_exit(struct zdev_hook hook, __u32 slot)
{
	long ret = hook.via == ZDEV_VIA_KPROBE ? (int)zdev_ret(hook) : 0;
	__u64 key = slot_call_key(slot);
	struct amdgpu_call *call = bpf_map_lookup_elem(&amdgpu_calls, &key);
	struct zdev_amdgpu_record *record;

	if (!call)
		return 0;
	record = new_record(ZDEV_REC_AMDGPU, sizeof(*record), hook.via);
	if (!record)
		goto cleanup;
	record->slot = slot;
	record->result = ret;
	record->latency_ns = record->header.timestamp_ns - call->start_ns;
	record->trigger = call->trigger;
	record->pages = call->pages;
	submit_record(record, ZDEV_REC_AMDGPU);
cleanup:
	bpf_map_delete_elem(&amdgpu_calls, &key);
	return 0;
}

_Static_assert(ZDEV_AMDGPU_SLOTS == 8, "one ZDEV_SLOT line per amdgpu slot");
ZDEV_SLOT(amdgpu, 0, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 1, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 2, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 3, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 4, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 5, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 6, on_amdgpu_entry, on_amdgpu_exit)
ZDEV_SLOT(amdgpu, 7, on_amdgpu_entry, on_amdgpu_exit)
