/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Fixtures the check's unit tests share: a model whose baseline has every kind of entry, and baselines made
 * from entries written out in a test. Include after cmocka.h.
 */
#ifndef ZDEV_TEST_CHECK_FIXTURES_H
#define ZDEV_TEST_CHECK_FIXTURES_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records.h"
#include "zdev/check_verdict.h"

#define KERNEL_RELEASE "6.12.0-test"
#define MS 1000000ull

static inline struct zdev_event timed_map(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes,
					  const char *device, uint64_t register_ns)
{
	struct zdev_event event = map_event(key, type, start, bytes, device);

	event.map.duration_ns = register_ns;
	return event;
}

/*
 * namespace1.0: two fsdax pgmaps, memmap in RAM (2 MiB + 4 MiB), the second unmapped again (its cost was
 * still paid); pfn1.0: fsdax with the memmap on the device (altmap, 2 MiB); a device-private pgmap without
 * a device, known by its owner (the second owner seen: a migration's came first); and three that are not
 * the run's registrations: a failed one, one present at start, one only seen going away.
 */
static inline void build_check_model(struct zdev_model *model)
{
	struct zdev_event first = timed_map(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace1.0", 3 * MS);
	struct zdev_event second = timed_map(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 256 * MiB, "namespace1.0", 7 * MS);
	struct zdev_event second_gone = unmap_event(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 256 * MiB);
	struct zdev_event on_device = timed_map(0x3, ZDEV_PGMAP_FS_DAX, 0x58000000, 128 * MiB, "pfn1.0", 11 * MS);
	struct zdev_event migration = migration_event(0xaa, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 16, 1000);
	struct zdev_event private = timed_map(0x4, ZDEV_PGMAP_PRIVATE, 0x100000000ull, 256 * MiB, NULL, 4 * MS);
	struct zdev_event failed = timed_map(0x5, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0", 1 * MS);
	struct zdev_event unseen = unmap_event(0x6, ZDEV_PGMAP_FS_DAX, 0x80000000, 128 * MiB);
	struct zdev_present_pgmap present = {
		.type = ZDEV_PGMAP_GENERIC, .device = "dax2.0", .range = { 0x60000000, 0x60000000 + 128 * MiB - 1 },
		.has_range = 1, .size_bytes = 128 * MiB, .source = "nd",
	};

	on_device.map.altmap_valid = 1;
	on_device.map.altmap_alloc = 512;
	private.map.owner_key = 0xbb;
	failed.map.result = -ENXIO;
	assert_int_equal(zdev_model_init(model, &x86_64_geometry), 0);
	assert_int_equal(zdev_model_add_present(model, &present), 0);
	assert_int_equal(zdev_model_apply(model, &first), 0);
	assert_int_equal(zdev_model_apply(model, &second), 0);
	assert_int_equal(zdev_model_apply(model, &second_gone), 0);
	assert_int_equal(zdev_model_apply(model, &on_device), 0);
	assert_int_equal(zdev_model_apply(model, &migration), 0);
	assert_int_equal(zdev_model_apply(model, &private), 0);
	assert_int_equal(zdev_model_apply(model, &failed), 0);
	assert_int_equal(zdev_model_apply(model, &unseen), 0);
	/* what the excluded ones would have added, had they been counted */
	assert_int_equal(model->nr_pgmaps, 7);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 2 * MiB);   /* present at start */
	assert_int_equal(model->pgmaps[5].register_ns, 1 * MS);           /* failed */
	assert_int_equal(model->pgmaps[6].vmemmap_dram_bytes, 2 * MiB);   /* unseen */
	assert_int_equal(model->pgmaps[4].owner_id, 2);
}

static inline struct zdev_baseline_entry entry_of(const char *type, const char *device, uint64_t dram,
						  uint64_t on_device, uint64_t register_ns)
{
	struct zdev_baseline_entry entry;

	memset(&entry, 0, sizeof(entry));
	snprintf(entry.type, sizeof(entry.type), "%s", type);
	snprintf(entry.device, sizeof(entry.device), "%s", device);
	entry.pgmaps = 1;
	entry.vmemmap_dram_bytes = dram;
	entry.vmemmap_device_bytes = on_device;
	entry.register_ns = register_ns;
	return entry;
}

/* a baseline of KERNEL holding copies of these entries, with their totals */
static inline struct zdev_baseline baseline_with(const char *kernel, const struct zdev_baseline_entry *entries,
						  size_t count)
{
	struct zdev_baseline baseline;

	memset(&baseline, 0, sizeof(baseline));
	snprintf(baseline.kernel, sizeof(baseline.kernel), "%s", kernel);
	baseline.entries = calloc(count ? count : 1, sizeof(*entries));
	assert_non_null(baseline.entries);
	memcpy(baseline.entries, entries, count * sizeof(*entries));
	baseline.count = count;
	for (size_t i = 0; i < count; i++) {
		baseline.vmemmap_dram_bytes += entries[i].vmemmap_dram_bytes;
		baseline.vmemmap_device_bytes += entries[i].vmemmap_device_bytes;
		baseline.register_ns += entries[i].register_ns;
	}
	return baseline;
}

#endif /* ZDEV_TEST_CHECK_FIXTURES_H */
