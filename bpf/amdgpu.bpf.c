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
	__type(key, __u64); /* tid << 8 | slot: the slots can nest (to_vram calls copy_to_vram) */
	__type(value, struct amdgpu_call);
} amdgpu_calls SEC(".maps");

static __always_inline int on_amdgpu_entry(__u32 slot, __u64 trigger_plus_one, __u64 first, __u64 last)
{
	__u64 key = ((__u64)current_tid() << 8) | slot;
	struct amdgpu_call call = { .start_ns = bpf_ktime_get_ns(), .trigger = (__u32)trigger_plus_one,
				    .pages = last >= first && first != ~0ull ? last - first + 1 : 0 };

	if (zdev_ready)
		bpf_map_update_elem(&amdgpu_calls, &key, &call, BPF_ANY);
	return 0;
}

static __always_inline int on_amdgpu_exit(__u32 slot, long ret, __u8 via)
{
	__u64 key = ((__u64)current_tid() << 8) | slot;
	struct amdgpu_call *call = bpf_map_lookup_elem(&amdgpu_calls, &key);
	struct zdev_amdgpu_record *record;

	if (!call)
		return 0;
	record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);
	if (!record) {
		count_record(ZDEV_REC_AMDGPU, 0);
		goto cleanup;
	}
	fill_header(&record->header, ZDEV_REC_AMDGPU, sizeof(*record), via);
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

#define TRIGGER_ARG(slot) (settings.amdgpu_trigger_arg[(slot) & 7])
#define START_ARG(slot) (settings.amdgpu_start_arg[(slot) & 7])
#define LAST_ARG(slot) (settings.amdgpu_last_arg[(slot) & 7])

static __always_inline int fentry_amdgpu_entry(void *ctx, __u32 slot)
{
	__u64 trigger = fentry_arg(ctx, TRIGGER_ARG(slot), ~0ull);

	return on_amdgpu_entry(slot, trigger == ~0ull ? 0 : (__u32)trigger + 1, fentry_arg(ctx, START_ARG(slot), ~0ull),
			       fentry_arg(ctx, LAST_ARG(slot), 0));
}

static __always_inline int kprobe_amdgpu_entry(struct pt_regs *ctx, __u32 slot)
{
	__u64 trigger = kprobe_arg(ctx, TRIGGER_ARG(slot), ~0ull);

	return on_amdgpu_entry(slot, trigger == ~0ull ? 0 : (__u32)trigger + 1, kprobe_arg(ctx, START_ARG(slot), ~0ull),
			       kprobe_arg(ctx, LAST_ARG(slot), 0));
}

/* The slots' functions return int (or vm_fault_t, an unsigned int, or nothing): a 32-bit result, which x86-64
 * leaves in eax with the upper half of rax zero, so a kretprobe's -ENOMEM reads 4294967284 unless it is
 * sign-extended from the int */
#define AMDGPU_SLOT(n)                                                                                         \
	SEC("?fentry")                                                                                         \
	int BPF_PROG(fentry_amdgpu_##n) { return fentry_amdgpu_entry(ctx, n); }                                \
	SEC("?fexit")                                                                                          \
	int BPF_PROG(fexit_amdgpu_##n) { return on_amdgpu_exit(n, 0, ZDEV_VIA_FENTRY); }                      \
	SEC("?kprobe")                                                                                         \
	int BPF_KPROBE(kprobe_amdgpu_##n) { return kprobe_amdgpu_entry(ctx, n); }                              \
	SEC("?kretprobe")                                                                                      \
	int BPF_KRETPROBE(kretprobe_amdgpu_##n, long ret) { return on_amdgpu_exit(n, (int)ret, ZDEV_VIA_KPROBE); }

AMDGPU_SLOT(0)
AMDGPU_SLOT(1)
AMDGPU_SLOT(2)
AMDGPU_SLOT(3)
AMDGPU_SLOT(4)
AMDGPU_SLOT(5)
AMDGPU_SLOT(6)
AMDGPU_SLOT(7)
