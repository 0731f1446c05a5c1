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
	struct zdev_region_record *record = new_record(ZDEV_REC_REGION, sizeof(*record), via);

	if (!record)
		return;
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

/* devm_request_free_mem_region(dev, base, size) */
static __always_inline int on_devm_region_request_entry(struct zdev_hook hook)
{
	return remember_device_name(&region_calls, zdev_arg_ptr(hook, 0));
}

/* request_free_mem_region(base, size, name): no device */
static __always_inline int on_region_request_entry(struct zdev_hook hook)
{
	return remember_device_name(&region_calls, NULL);
}

/* both return the claimed struct resource, or an ERR_PTR */
static __always_inline int on_region_request_exit(struct zdev_hook hook)
{
	struct resource *res = (struct resource *)(unsigned long)zdev_ret(hook);
	long value = (long)res;
	__u32 tid = current_tid();
	struct device_name *device = bpf_map_lookup_elem(&region_calls, &tid);
	__u64 start = 0, size = 0;
	__s32 result = 0;

	if (!zdev_ready)
		goto cleanup;
	if (!res || is_err_value(value)) {
		result = res ? (__s32)value : -ENOMEM; /* NULL: no region */
	} else {
		start = BPF_CORE_READ(res, start);
		size = BPF_CORE_READ(res, end) - start + 1;
		bpf_map_update_elem(&regions, &start, &size, BPF_ANY);
	}
	emit_region(ZDEV_REGION_REQUESTED, start, size, result, device, hook.via);
cleanup:
	bpf_map_delete_elem(&region_calls, &tid);
	return 0;
}

/* __release_region(parent, start, n) */
static __always_inline int on_region_release(struct zdev_hook hook)
{
	__u64 start = zdev_arg(hook, 1), size = zdev_arg(hook, 2);

	if (!bpf_map_lookup_elem(&regions, &start))
		return 0;
	bpf_map_delete_elem(&regions, &start);
	if (zdev_ready)
		emit_region(ZDEV_REGION_RELEASED, start, size, 0, NULL, hook.via);
	return 0;
}

/* --- the twins ----------------------------------------------------------------------------------------- */

ZDEV_ENTRY(devm_request_free_mem_region, devm_request_free_mem_region, on_devm_region_request_entry)
ZDEV_EXIT(devm_request_free_mem_region, devm_request_free_mem_region, 3, on_region_request_exit)
ZDEV_ENTRY(request_free_mem_region, request_free_mem_region, on_region_request_entry)
ZDEV_EXIT(request_free_mem_region, request_free_mem_region, 3, on_region_request_exit)
ZDEV_ENTRY(release_region, __release_region, on_region_release)
