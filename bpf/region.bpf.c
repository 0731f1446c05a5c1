// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Free physical regions for device memory: (devm_)request_free_mem_region finds and claims a range of the
 * physical address space that device-private pgmaps are then mapped at; __release_region gives it back.
 * Only regions claimed through those two functions are followed (a hash keyed by start), so the release
 * hook costs one lookup for the other resources of the machine. Included by zdev.bpf.c.
 */

/* the device of a devm_ request in flight, per task */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct device_name);
} region_calls SEC(".maps");

/* regions requested and not released yet: start → size */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u64);
} regions SEC(".maps");

static __always_inline void emit_region(__u32 event, __u64 start, __u64 size, __s32 result,
					 const struct device_name *device, __u8 via)
{
	struct zdev_region_record *record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);

	if (!record) {
		count_record(ZDEV_REC_REGION, 0);
		return;
	}
	fill_header(&record->header, ZDEV_REC_REGION, sizeof(*record), via);
	record->start = start;
	record->size = size;
	record->result = result;
	record->event = event;
	if (device)
		__builtin_memcpy(record->device, device->name, sizeof(record->device));
	else
		__builtin_memset(record->device, 0, sizeof(record->device));
	submit_record(record, ZDEV_REC_REGION);
}

static __always_inline int on_region_request_entry(struct device *dev)
{
	struct device_name name = {};
	__u32 tid = current_tid();
	const char *kname = dev ? BPF_CORE_READ(dev, kobj.name) : NULL;

	if (kname)
		bpf_probe_read_kernel_str(name.name, sizeof(name.name), kname);
	bpf_map_update_elem(&region_calls, &tid, &name, BPF_ANY);
	return 0;
}

static __always_inline int on_region_request_exit(struct resource *res, __u8 via)
{
	long value = (long)res;
	__u32 tid = current_tid();
	struct device_name *device = bpf_map_lookup_elem(&region_calls, &tid);
	__u64 start = 0, size = 0;
	__s32 result = 0;

	if (!zdev_ready)
		goto cleanup;
	if (!res || (value < 0 && value >= -MAX_ERRNO)) {
		result = res ? (__s32)value : -12; /* -ENOMEM: no region */
	} else {
		start = BPF_CORE_READ(res, start);
		size = BPF_CORE_READ(res, end) - start + 1;
		bpf_map_update_elem(&regions, &start, &size, BPF_ANY);
	}
	emit_region(ZDEV_REGION_REQUESTED, start, size, result, device, via);
cleanup:
	bpf_map_delete_elem(&region_calls, &tid);
	return 0;
}

static __always_inline int on_region_release(__u64 start, __u64 size, __u8 via)
{
	if (!bpf_map_lookup_elem(&regions, &start))
		return 0;
	bpf_map_delete_elem(&regions, &start);
	if (zdev_ready)
		emit_region(ZDEV_REGION_RELEASED, start, size, 0, NULL, via);
	return 0;
}

/* --- the twins ----------------------------------------------------------------------------------------- */

SEC("?fentry/devm_request_free_mem_region")
int BPF_PROG(fentry_devm_request_free_mem_region, struct device *dev, struct resource *base, unsigned long size)
{
	return on_region_request_entry(dev);
}

SEC("?fexit/devm_request_free_mem_region")
int BPF_PROG(fexit_devm_request_free_mem_region, struct device *dev, struct resource *base, unsigned long size,
	     struct resource *ret)
{
	return on_region_request_exit(ret, ZDEV_VIA_FENTRY);
}

SEC("?kprobe/devm_request_free_mem_region")
int BPF_KPROBE(kprobe_devm_request_free_mem_region, struct device *dev)
{
	return on_region_request_entry(dev);
}

SEC("?kretprobe/devm_request_free_mem_region")
int BPF_KRETPROBE(kretprobe_devm_request_free_mem_region, struct resource *ret)
{
	return on_region_request_exit(ret, ZDEV_VIA_KPROBE);
}

SEC("?fentry/request_free_mem_region")
int BPF_PROG(fentry_request_free_mem_region)
{
	return on_region_request_entry(NULL);
}

SEC("?fexit/request_free_mem_region")
int BPF_PROG(fexit_request_free_mem_region, struct resource *base, unsigned long size, const char *name,
	     struct resource *ret)
{
	return on_region_request_exit(ret, ZDEV_VIA_FENTRY);
}

SEC("?kprobe/request_free_mem_region")
int BPF_KPROBE(kprobe_request_free_mem_region)
{
	return on_region_request_entry(NULL);
}

SEC("?kretprobe/request_free_mem_region")
int BPF_KRETPROBE(kretprobe_request_free_mem_region, struct resource *ret)
{
	return on_region_request_exit(ret, ZDEV_VIA_KPROBE);
}

SEC("?fentry/__release_region")
int BPF_PROG(fentry_release_region, struct resource *parent, resource_size_t start, resource_size_t n)
{
	return on_region_release(start, n, ZDEV_VIA_FENTRY);
}

SEC("?kprobe/__release_region")
int BPF_KPROBE(kprobe_release_region, struct resource *parent, resource_size_t start, resource_size_t n)
{
	return on_region_release(start, n, ZDEV_VIA_KPROBE);
}
