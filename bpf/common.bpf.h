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

/* records put in the ring buffer, and records that did not fit, per type and CPU: user space reports both,
 * so that a figure missing records says so, and the counts do not depend on the ring buffer */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ZDEV_REC_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} emitted SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ZDEV_REC_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* a record of `type` from the ring buffer, counted as emitted or dropped (NULL: full) */
#define reserve_record(size, type)                                                                          \
	({                                                                                                  \
		void *_record = bpf_ringbuf_reserve(&events, (size), 0);                                    \
		__u32 _type = (type);                                                                       \
		__u64 *_count = _record ? bpf_map_lookup_elem(&emitted, &_type)                             \
					: bpf_map_lookup_elem(&dropped, &_type);                            \
		if (_count)                                                                                 \
			*_count += 1;                                                                       \
		_record;                                                                                    \
	})

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

#endif /* ZDEV_COMMON_BPF_H */
