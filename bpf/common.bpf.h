/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What every zdev BPF source shares: the ring buffer, the drop counter, the settings, the ready gate. */
#ifndef ZDEV_COMMON_BPF_H
#define ZDEV_COMMON_BPF_H

#define MAX_ERRNO 4095

const volatile struct zdev_settings settings = {};
/* set by user space once every chosen probe is attached: until then nothing is emitted, so a
 * half-attached state never produces half a picture */
int zdev_ready = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* records put in the ring buffer (index: type) and records that did not fit (index: ZDEV_REC_TYPES + type),
 * per CPU: user space reports both, so that a figure missing records says so. One map and a computed
 * index: two maps chosen by a condition would make the compiler pass the verifier a map pointer that is one
 * of two, which 6.1's refuses. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * ZDEV_REC_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} record_counts SEC(".maps");

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* one more record of `type` emitted (put in the ring buffer) or dropped (it was full) */
static __always_inline void count_record(__u32 type, int emitted)
{
	__u32 index = emitted ? type : ZDEV_REC_TYPES + type;
	__u64 *count = bpf_map_lookup_elem(&record_counts, &index);

	if (count)
		*count += 1;
}

/* The reader is woken only when a quarter of the ring buffer waits (settings.wakeup_bytes): batches instead
 * of a wakeup per record, which on a hot path cost more than the record (make bench).
 * The counting sits in the reserve's own NULL branch (dropped) and after the submit (emitted): a second
 * test of the reserved pointer would let 6.1's verifier walk a path where the record is neither submitted
 * nor NULL, and refuse the program for the reference it leaks. */
#define submit_record(record, type)                                                                         \
	do {                                                                                                \
		bpf_ringbuf_submit((record), bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >=               \
							 settings.wakeup_bytes ? BPF_RB_FORCE_WAKEUP       \
									       : BPF_RB_NO_WAKEUP);       \
		count_record((type), 1);                                                                    \
	} while (0)

static __always_inline void fill_header(struct zdev_record_header *header, __u16 type, __u16 size, __u8 via)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	header->type = type;
	header->size = size;
	header->version = ZDEV_ABI_VERSION;
	header->via = via;
	header->cpu = (__u16)bpf_get_smp_processor_id();
	header->tgid = pid_tgid >> 32;
	header->tid = (__u32)pid_tgid;
	header->timestamp_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(header->comm, sizeof(header->comm));
}

static __always_inline __u64 hide_pointer(const void *pointer)
{
	return pointer ? ((__u64)(unsigned long)pointer ^ settings.pointer_key) : 0;
}

/* argument ARG (1-based; 0 or unreadable: MISSING) of a slot whose target and argument positions are found
 * at run time (the drivers' slots): fentry reads it with bpf_get_func_arg, a kprobe from the argument
 * registers */
static __always_inline __u64 fentry_arg(void *ctx, __u32 arg, __u64 missing)
{
	__u64 value = 0;

	if (!arg || bpf_get_func_arg(ctx, arg - 1, &value))
		return missing;
	return value;
}

static __always_inline __u64 kprobe_arg(struct pt_regs *ctx, __u32 arg, __u64 missing)
{
	switch (arg) {
	case 1: return PT_REGS_PARM1(ctx);
	case 2: return PT_REGS_PARM2(ctx);
	case 3: return PT_REGS_PARM3(ctx);
	case 4: return PT_REGS_PARM4(ctx);
	case 5: return PT_REGS_PARM5(ctx);
	case 6: return BPF_CORE_READ(ctx, r9); /* x86-64's 6th argument register (no PARM6 in libbpf 1.1) */
	}
	return missing; /* none, or on the stack: not read */
}

#endif /* ZDEV_COMMON_BPF_H */
