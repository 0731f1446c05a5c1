/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What every zdev BPF source shares: the ring buffer, the drop counter, the settings, the ready gate. */
#ifndef ZDEV_COMMON_BPF_H
#define ZDEV_COMMON_BPF_H

/* the kernel's errno values and ERR_PTR range (include/linux/err.h), which vmlinux.h has not: #defines */
#define MAX_ERRNO 4095
#define ENOMEM 12

/* a function's return value that is an ERR_PTR or a negative errno */
static __always_inline int is_err_value(long value)
{
	return value < 0 && value >= -MAX_ERRNO;
}

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

/* Every kernel address a record or a map key carries goes through hide_pointer: a key that tells one object
 * from another (the same pointer, the same key for the session) and gives no address away. NULL stays 0. */
/* a record of TYPE and SIZE bytes reserved in the ring buffer, its header filled; NULL when the ring buffer is
 * full, counted as dropped (in the reserve's own NULL branch: see submit_record). The caller fills the rest
 * and submits it with submit_record. */
static __always_inline void *new_record(__u16 type, __u16 size, __u8 via)
{
	struct zdev_record_header *header = bpf_ringbuf_reserve(&events, size, 0);

	if (!header) {
		count_record(type, 0);
		return NULL;
	}
	fill_header(header, type, size, via);
	return header;
}

/* dev_name() of DEV into NAME (LEN bytes, already zeroed); nothing for a device without a name */
static __always_inline void read_device_name(struct device *dev, char *name, __u32 len)
{
	const char *kname = dev ? BPF_CORE_READ(dev, kobj.name) : NULL;

	if (kname)
		bpf_probe_read_kernel_str(name, len, kname);
}

/* the device a call in flight on a task was made for (devm_memremap_pages, devm_request_free_mem_region),
 * for what the same task does inside it */
struct device_name {
	char name[ZDEV_DEVICE_LEN];
};

static __always_inline int remember_device_name(void *calls, struct device *dev)
{
	struct device_name name = {};
	__u32 tid = current_tid();

	read_device_name(dev, name.name, sizeof(name.name));
	bpf_map_update_elem(calls, &tid, &name, BPF_ANY);
	return 0;
}

/* the call in flight on this task, in a map keyed by tid, is over */
static __always_inline int forget_task_call(void *calls)
{
	__u32 tid = current_tid();

	bpf_map_delete_elem(calls, &tid);
	return 0;
}

static __always_inline __u64 hide_pointer(const void *pointer)
{
	return pointer ? ((__u64)(unsigned long)pointer ^ settings.pointer_key) : 0;
}

/* the same for an address kept as a number (in a map value) */
static __always_inline __u64 hide_address(__u64 address)
{
	return hide_pointer((const void *)(unsigned long)address);
}

/* the pointer behind a key hide_pointer made: only to read the object again, never to emit */
static __always_inline void *reveal_pointer(__u64 key)
{
	return (void *)(unsigned long)(key ^ settings.pointer_key);
}

#endif /* ZDEV_COMMON_BPF_H */
