// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The aggregation model, driven with records: vmemmap arithmetic, lifecycle, anomalies, drops. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "zdev/latency.h"

static int setup(void **state)
{
	static struct zdev_model model;

	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	*state = &model;
	return 0;
}

static int teardown(void **state)
{
	zdev_model_free(*state);
	return 0;
}

static void vmemmap_of_one_section(void **state)
{
	struct zdev_range range = { 0x40000000, 0x40000000 + 128 * MiB - 1 };
	struct zdev_vmemmap_cost cost = zdev_vmemmap_cost(&x86_64_geometry, &range, 1, 0, 0);

	(void)state;
	/* 32768 pages x 64 B = 2 MiB: the figure the lab measures as 512 nr_memmap_pages */
	assert_int_equal(cost.memmap_bytes, 2 * MiB);
	assert_int_equal(cost.subsections, 64);
	assert_int_equal(cost.alignment_waste_bytes, 0);
}

static void vmemmap_of_a_misaligned_range(void **state)
{
	/* 3 MiB starting 1 MiB into a sub-section: touches 2 sub-sections (4 MiB), 1 MiB of them unused */
	struct zdev_range range = { 0x40100000, 0x40100000 + 3 * MiB - 1 };
	struct zdev_vmemmap_cost cost = zdev_vmemmap_cost(&x86_64_geometry, &range, 1, 0, 0);

	(void)state;
	assert_int_equal(cost.subsections, 2);
	assert_int_equal(cost.alignment_waste_bytes, (1 * MiB / 4096) * 64);
	assert_int_equal(cost.memmap_bytes, 3 * MiB / 4096 * 64);
}

static void vmemmap_per_section_piece_is_rounded_to_pages(void **state)
{
	/* 4 KiB + 4 KiB across a section boundary: two pieces of one page each, 64 B -> one page each */
	struct zdev_range range = { 128 * MiB - 4096, 128 * MiB + 4096 - 1 };
	struct zdev_vmemmap_cost cost = zdev_vmemmap_cost(&x86_64_geometry, &range, 1, 0, 0);

	(void)state;
	assert_int_equal(cost.memmap_bytes, 2 * 4096);
}

static void vmemmap_of_compound_pages_is_deduplicated(void **state)
{
	struct zdev_range range = { 0x40000000, 0x40000000 + 128 * MiB - 1 };
	/* order 9 (2 MiB) compound pages without altmap: 2 vmemmap pages per compound page, 64 of them */
	struct zdev_vmemmap_cost dedup = zdev_vmemmap_cost(&x86_64_geometry, &range, 1, 9, 0);
	/* the same with the memmap on the device: no dedup */
	struct zdev_vmemmap_cost full = zdev_vmemmap_cost(&x86_64_geometry, &range, 1, 9, 1);

	(void)state;
	assert_int_equal(dedup.memmap_bytes, 64 * 2 * 4096);
	assert_int_equal(full.memmap_bytes, 2 * MiB);
}

static void map_then_unmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0xabc, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0");
	struct zdev_event unmap = unmap_event(0xabc, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);
	struct zdev_type_totals totals[ZDEV_TYPE_COUNT];

	assert_int_equal(zdev_model_apply(model, &map), 0);
	assert_int_equal(model->nr_pgmaps, 1);
	assert_int_equal(model->pgmaps[0].id, 1);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_LIVE);
	assert_string_equal(model->pgmaps[0].device, "namespace0.0");
	assert_int_equal(model->pgmaps[0].size_bytes, 128 * MiB);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 2 * MiB);
	assert_int_equal(model->vmemmap_dram_delta_bytes, 2 * MiB);
	zdev_model_totals(model, totals);
	assert_int_equal(totals[ZDEV_PGMAP_FS_DAX].live, 1);
	assert_int_equal(totals[ZDEV_PGMAP_FS_DAX].vmemmap_dram_bytes, 2 * MiB);

	assert_int_equal(zdev_model_apply(model, &unmap), 0);
	assert_int_equal(model->nr_pgmaps, 1);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_UNMAPPED);
	assert_int_equal(model->pgmaps[0].unregister_ns, 1000000);
	assert_int_equal(model->vmemmap_dram_delta_bytes, 0);
	assert_int_equal(model->nr_anomalies, 0);
	zdev_model_totals(model, totals);
	assert_int_equal(totals[ZDEV_PGMAP_FS_DAX].live, 0);
	assert_int_equal(totals[ZDEV_PGMAP_FS_DAX].registered, 1);
}

/* a record file can hold any 64-bit size: the running delta wraps instead of overflowing (a fuzzer's find),
 * and is exact again once the absurd pgmap is gone */
static void absurd_sizes_from_a_file_do_not_overflow_the_delta(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event absurd = map_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "absurd");
	struct zdev_event normal = map_event(0x2, ZDEV_PGMAP_FS_DAX, 0x80000000, 128 * MiB, "normal");
	struct zdev_event gone = unmap_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);

	absurd.map.populate_calls = 1;
	absurd.map.populate_pages = (uint64_t)INT64_MAX / 4096 * 64 - 16;
	assert_int_equal(zdev_model_apply(model, &absurd), 0);
	assert_true(model->vmemmap_dram_delta_bytes > INT64_MAX - (int64_t)(4 * MiB));
	assert_int_equal(zdev_model_apply(model, &normal), 0);
	assert_int_equal(zdev_model_apply(model, &gone), 0);
	assert_int_equal(model->vmemmap_dram_delta_bytes, 2 * MiB);
}

static void altmap_puts_the_memmap_on_the_device(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x1, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0");

	map.map.altmap_valid = 1;
	map.map.pgmap_flags = ZDEV_PGMAP_ALTMAP_VALID;
	map.map.altmap_alloc = 512; /* pfns: 2 MiB */
	assert_int_equal(zdev_model_apply(model, &map), 0);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 0);
	assert_int_equal(model->pgmaps[0].vmemmap_device_bytes, 2 * MiB);
	assert_int_equal(model->vmemmap_device_delta_bytes, 2 * MiB);
}

static void failed_registration_is_an_anomaly(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x2, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0");
	struct zdev_type_totals totals[ZDEV_TYPE_COUNT];

	map.map.result = -12;
	assert_int_equal(zdev_model_apply(model, &map), 0);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_FAILED);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 0);
	assert_int_equal(model->nr_anomalies, 1);
	assert_int_equal(model->anomalies[0].kind, ZDEV_ANOMALY_FAILED_REGISTRATION);
	assert_int_equal(model->anomalies[0].result, -12);
	zdev_model_totals(model, totals);
	assert_int_equal(totals[ZDEV_PGMAP_P2PDMA].failed, 1);
	assert_int_equal(totals[ZDEV_PGMAP_P2PDMA].registered, 0);
}

static void failed_registration_cleans_up_after_itself(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x5, ZDEV_PGMAP_COHERENT, 0x10000000, 256 * MiB, NULL);

	/* the BPF side folds memremap_pages' own memunmap_pages into the registration's record */
	map.map.result = -6;
	map.map.map_flags = ZDEV_MAP_CLEANED_UP;
	zdev_model_apply(model, &map);
	assert_int_equal(model->nr_pgmaps, 1);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_FAILED);
	assert_true(model->pgmaps[0].cleaned_up);
	assert_int_equal(model->nr_anomalies, 1); /* the failure only */
	assert_int_equal(model->vmemmap_dram_delta_bytes, 0);
}

static void unmap_never_seen_registered(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event unmap = unmap_event(0x3, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);

	assert_int_equal(zdev_model_apply(model, &unmap), 0);
	assert_int_equal(model->nr_pgmaps, 1);
	assert_false(model->pgmaps[0].seen_mapped);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_UNMAPPED);
	assert_int_equal(model->nr_anomalies, 1);
	assert_int_equal(model->anomalies[0].kind, ZDEV_ANOMALY_UNMAP_UNSEEN);
	/* the run gave back memmap it never saw taken */
	assert_int_equal(model->vmemmap_dram_delta_bytes, -(int64_t)(2 * MiB));
}

static void key_reused_after_unmap_is_a_new_pgmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event first = map_event(0x4, ZDEV_PGMAP_GENERIC, 0x40000000, 128 * MiB, "dax0.0");
	struct zdev_event gone = unmap_event(0x4, ZDEV_PGMAP_GENERIC, 0x40000000, 128 * MiB);
	struct zdev_event second = map_event(0x4, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "pfn0.0");

	zdev_model_apply(model, &first);
	zdev_model_apply(model, &gone);
	zdev_model_apply(model, &second);
	assert_int_equal(model->nr_pgmaps, 2);
	assert_int_equal(model->pgmaps[0].state, ZDEV_PGMAP_UNMAPPED);
	assert_int_equal(model->pgmaps[1].state, ZDEV_PGMAP_LIVE);
	assert_int_equal(model->pgmaps[1].id, 2);
	assert_int_equal(model->nr_anomalies, 0);
}

static void owners_get_small_ids(void **state)
{
	struct zdev_model *model = *state;
	uint64_t owners[] = { 0xffff888012345678ull, 0xffff888087654321ull, 0xffff888012345678ull };

	for (int i = 0; i < 3; i++) {
		struct zdev_event map = map_event(0x10 + i, ZDEV_PGMAP_PRIVATE, (uint64_t)i << 28, 256 * MiB, NULL);

		map.map.owner_key = owners[i];
		zdev_model_apply(model, &map);
	}
	assert_int_equal(model->pgmaps[0].owner_id, 1);
	assert_int_equal(model->pgmaps[1].owner_id, 2);
	assert_int_equal(model->pgmaps[2].owner_id, 1);
}

static void drops_are_counted(void **state)
{
	struct zdev_model *model = *state;

	zdev_model_add_dropped(model, 7);
	zdev_model_add_dropped(model, 3);
	assert_int_equal(model->dropped_records, 10);
}

static void ring_counts_say_what_is_incomplete(void **state)
{
	struct zdev_model *model = *state;
	uint64_t emitted[ZDEV_REC_TYPES] = { [ZDEV_REC_MIGRATION] = 90, [ZDEV_REC_PGMAP_MAP] = 4 };
	uint64_t dropped[ZDEV_REC_TYPES] = { [ZDEV_REC_MIGRATION] = 10 };
	const char *names[ZDEV_REC_TYPES + 1];

	assert_int_equal(zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1), 0);
	zdev_model_set_ring_counts(model, emitted, dropped);
	assert_int_equal(model->dropped_records, 10);
	assert_int_equal(zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1), 1);
	assert_string_equal(names[0], "migrations");
	/* the counters only grow: a later reading replaces the earlier one, it does not add to it */
	dropped[ZDEV_REC_MIGRATION] = 12;
	dropped[ZDEV_REC_PGMAP_UNMAP] = 1;
	dropped[ZDEV_REC_PGMAP_MAP] = 1;
	zdev_model_set_ring_counts(model, emitted, dropped);
	assert_int_equal(model->dropped_records, 14);
	assert_int_equal(model->ring_dropped[ZDEV_REC_MIGRATION], 12);
	assert_int_equal(zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1), 2); /* map+unmap: one figure */
	assert_string_equal(names[0], "pgmaps");
	assert_string_equal(names[1], "migrations");
	/* drops of unknown type: nothing can be vouched for */
	zdev_model_add_dropped(model, 2);
	assert_int_equal(model->dropped_records, 16);
	assert_int_equal(zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1), 3);
	assert_string_equal(names[2], "all");
	zdev_model_set_ring_counts(model, emitted, dropped);
	assert_int_equal(model->dropped_records, 16);
}

static void received_records_are_counted_by_type(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x1000, ZDEV_PGMAP_FS_DAX, 0x100000000ull, 128ull << 20, "pmem0");

	zdev_model_apply_bytes(model, &map.header, map.header.size);
	zdev_model_apply_bytes(model, &map.header, 8); /* cut short: undecodable, not received */
	assert_int_equal(model->received[ZDEV_REC_PGMAP_MAP], 1);
	assert_int_equal(model->undecodable_records, 1);
}

/* amdgpu KFD SVM: per function, calls, errnos (an int: not a positive result, nor one beyond MAX_ERRNO),
 * pages of the ranges given, triggers where the function has one; a slot of a later build is skipped */
static void amdgpu_calls_per_function(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event calls[] = {
		amdgpu_event(ZDEV_AMDGPU_TO_VRAM, 0, 512, ZDEV_AMDGPU_TRIGGER_PREFETCH + 1, 2000000),
		amdgpu_event(ZDEV_AMDGPU_TO_VRAM, -12, 0, ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU + 1, 500000),
		amdgpu_event(ZDEV_AMDGPU_TO_VRAM, 0, 256, ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU + 1, 1000000),
		amdgpu_event(ZDEV_AMDGPU_TO_RAM, 2, 0, 0, 30000),        /* VM_FAULT_SIGBUS: not an errno */
		amdgpu_event(ZDEV_AMDGPU_VRAM_TO_RAM, -5000, 64, ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1, 700000),
		amdgpu_event(ZDEV_AMDGPU_SLOTS, -12, 1, 1, 1),           /* a later build's slot */
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		assert_int_equal(zdev_model_apply(model, &calls[i]), 0);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].calls, 3);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].failed, 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].pages, 768);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].latency_total_ns, 3500000);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].latency_max_ns, 2000000);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PREFETCH], 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU], 2);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].calls, 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].failed, 0);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_VRAM_TO_RAM].failed, 0);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_VRAM_TO_RAM].by_trigger[ZDEV_AMDGPU_TRIGGER_TTM_EVICTION], 1);
	assert_int_equal(model->events, 6);
}

/* drm_pagemap: a row per function and owner, in function then owner order, the owner's id the one its
 * migrations have (both carry the pgmap owner); errnos counted, pages summed */
static void drm_pagemap_calls_per_function_and_owner(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event migration = migration_event(0xa1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 512, 100000);
	struct zdev_event calls[] = {
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM, 0xa1, 0, 512, 40000),
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM, 0xb2, 0, 256, 900000),
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM, 0xa1, 0, 512, 1200000),
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM, 0xa1, -12, 512, 300000),
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_EVICT_TO_RAM, 0xa1, -16, 512, 800000),
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_EVICT_TO_RAM, 0, 0, 0, 5000), /* a split copy: no owner, no pages */
		drm_pagemap_event(ZDEV_DRM_PAGEMAP_SLOTS, 0xa1, 0, 1, 1),       /* a later build's function */
	};

	assert_false(zdev_drm_pagemap_seen(model));
	zdev_model_apply(model, &migration);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		assert_int_equal(zdev_model_apply(model, &calls[i]), 0);
	assert_true(zdev_drm_pagemap_seen(model));
	assert_int_equal(model->nr_drm_pagemap, 5);
	/* to_devmem of owner 1 (0xa1, the migration's), then of owner 2 */
	assert_int_equal(model->drm_pagemap[0].slot, ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM);
	assert_int_equal(model->drm_pagemap[0].owner_id, model->migrations[0].owner_id);
	assert_int_equal(model->drm_pagemap[0].owner_id, 1);
	assert_int_equal(model->drm_pagemap[0].calls, 2);
	assert_int_equal(model->drm_pagemap[0].failed, 1);
	assert_int_equal(model->drm_pagemap[0].pages, 1024);
	assert_int_equal(model->drm_pagemap[0].latency_total_ns, 1500000);
	assert_int_equal(model->drm_pagemap[0].latency_max_ns, 1200000);
	assert_int_equal(model->drm_pagemap[1].slot, ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM);
	assert_int_equal(model->drm_pagemap[1].owner_id, 2);
	assert_int_equal(model->drm_pagemap[1].pages, 256);
	/* evictions: the one of unknown owner first (id 0) */
	assert_int_equal(model->drm_pagemap[2].slot, ZDEV_DRM_PAGEMAP_EVICT_TO_RAM);
	assert_int_equal(model->drm_pagemap[2].owner_id, 0);
	assert_int_equal(model->drm_pagemap[2].pages, 0);
	assert_int_equal(model->drm_pagemap[3].owner_id, 1);
	assert_int_equal(model->drm_pagemap[3].failed, 1);
	assert_int_equal(model->drm_pagemap[4].slot, ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM);
	assert_int_equal(model->drm_pagemap[4].calls, 1);
	assert_string_equal(zdev_drm_pagemap_slot_name(model->drm_pagemap[4].slot), "migrate_to_ram (CPU fault)");
	assert_string_equal(zdev_drm_pagemap_slot_name(ZDEV_DRM_PAGEMAP_SLOTS), "?");
}

/* drm_pagemap records dropped by the BPF side: the figure is incomplete, and the rows are shown (seen) */
static void drm_pagemap_drops_are_seen(void **state)
{
	struct zdev_model *model = *state;
	uint64_t emitted[ZDEV_REC_TYPES] = { [ZDEV_REC_DRM_PAGEMAP] = 3 };
	uint64_t dropped[ZDEV_REC_TYPES] = { [ZDEV_REC_DRM_PAGEMAP] = 1 };
	const char *names[ZDEV_REC_TYPES + 1];

	zdev_model_set_ring_counts(model, emitted, dropped);
	assert_true(zdev_drm_pagemap_seen(model));
	assert_int_equal(zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1), 1);
	assert_string_equal(names[0], "drm_pagemap");
	assert_string_equal(zdev_record_type_name(ZDEV_REC_DRM_PAGEMAP), "drm_pagemap");
}

/* the amdgpu 6.1 error path (lab: tests/vm/modules/zdev_leak.c): region claimed, pgmap in it fails, the
 * region is never released; and the same with the release (6.12): no leak */
static void a_region_of_a_failed_pgmap_never_released_is_leaked(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event requested = region_event(ZDEV_REGION_REQUESTED, 0x3f0000000ull, 64ull << 20, "zdev_leak");
	struct zdev_event failed = map_event(0x1000, ZDEV_PGMAP_PRIVATE, 0x3f0000000ull, 64ull << 20, "zdev_leak");
	struct zdev_event released = region_event(ZDEV_REGION_RELEASED, 0x3f0000000ull, 64ull << 20, "");

	failed.map.result = -22;
	zdev_model_apply(model, &requested);
	zdev_model_apply(model, &failed);
	assert_int_equal(model->nr_regions, 1);
	assert_int_equal(model->regions[0].failed_pgmap_id, 1);
	assert_string_equal(model->regions[0].device, "zdev_leak");
	assert_true(zdev_region_leaked(&model->regions[0]));
	assert_int_equal(zdev_model_leaked_regions(model), 1);
	zdev_model_apply(model, &released);
	assert_false(zdev_region_leaked(&model->regions[0]));
	assert_int_equal(zdev_model_leaked_regions(model), 0);
}

static void a_region_in_use_is_no_leak(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event requested = region_event(ZDEV_REGION_REQUESTED, 0x3f0000000ull, 64ull << 20, "");
	struct zdev_event mapped = map_event(0x1000, ZDEV_PGMAP_PRIVATE, 0x3f0000000ull, 64ull << 20, "");
	struct zdev_event elsewhere = map_event(0x2000, ZDEV_PGMAP_PRIVATE, 0x100000000ull, 64ull << 20, "");

	elsewhere.map.result = -22; /* a failure outside any claimed region: not this region's */
	zdev_model_apply(model, &requested);
	zdev_model_apply(model, &mapped);
	zdev_model_apply(model, &elsewhere);
	assert_int_equal(model->regions[0].pgmap_id, 1);
	assert_int_equal(model->regions[0].failed_pgmap_id, 0);
	assert_int_equal(zdev_model_leaked_regions(model), 0);
}

static void many_pgmaps_grow_the_table(void **state)
{
	struct zdev_model *model = *state;

	for (uint64_t i = 0; i < 1000; i++) {
		struct zdev_event map = map_event(i + 1, ZDEV_PGMAP_PRIVATE, i * 2 * MiB, 2 * MiB, NULL);

		assert_int_equal(zdev_model_apply(model, &map), 0);
	}
	assert_int_equal(model->nr_pgmaps, 1000);
	assert_int_equal(model->pgmaps[999].id, 1000);
	assert_int_equal(model->vmemmap_dram_delta_bytes, 1000 * 32 * 1024);
}

/* the three ways to the vmemmap figure agree on the cases the lab produces */
static void vmemmap_sources_agree(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event from_pgmap = map_event(0x21, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "pfn0.0");
	struct zdev_event from_add_pages = map_event(0x22, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0");
	struct zdev_event from_populate = map_event(0x23, ZDEV_PGMAP_FS_DAX, 0x50000000, 128 * MiB, "pfn2.0");

	from_add_pages.map.add_pages_calls = 1;
	from_add_pages.map.add_pages_pages = 32768;
	from_populate.map.add_pages_calls = 1;
	from_populate.map.add_pages_pages = 32768;
	from_populate.map.populate_calls = 1;
	from_populate.map.populate_pages = 32768;
	zdev_model_apply(model, &from_pgmap);
	zdev_model_apply(model, &from_add_pages);
	zdev_model_apply(model, &from_populate);
	assert_int_equal(model->pgmaps[0].vmemmap_source, ZDEV_VMEMMAP_FROM_PGMAP);
	assert_int_equal(model->pgmaps[1].vmemmap_source, ZDEV_VMEMMAP_FROM_ADD_PAGES);
	assert_int_equal(model->pgmaps[2].vmemmap_source, ZDEV_VMEMMAP_FROM_POPULATE);
	for (int i = 0; i < 3; i++)
		assert_int_equal(model->pgmaps[i].vmemmap_dram_bytes, 2 * MiB);
}

static void populate_sees_the_altmap_take_the_memmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x31, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0");

	map.map.altmap_valid = 1;
	map.map.altmap_alloc = 512;
	map.map.populate_calls = 1;
	map.map.populate_pages = 32768;
	map.map.populate_altmap_pfns = 500; /* say 12 pages came from DRAM when the altmap ran short */
	zdev_model_apply(model, &map);
	assert_int_equal(model->pgmaps[0].vmemmap_device_bytes, 500 * 4096);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 12 * 4096);
}

static void vmemmap_of_pages(void **state)
{
	(void)state;
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 65536, 0, 0), 4 * MiB);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 32768, 9, 0), 128 * 4096);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 32768, 9, 1), 2 * MiB);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 1, 0, 0), 4096);
}

static void migrations_aggregate_per_owner_and_direction(void **state)
{
	struct zdev_model *model = *state;

	/* 3 rounds of 100 pages: 2 batches to the device (64 + 36), then 100 single-page CPU faults back */
	for (int round = 0; round < 3; round++) {
		struct zdev_event to_device_a = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 300000);
		struct zdev_event to_device_b = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 36, 200000);

		zdev_model_apply(model, &to_device_a);
		zdev_model_apply(model, &to_device_b);
		for (int page = 0; page < 100; page++) {
			struct zdev_event back = migration_event(0xd1, ZDEV_MIGRATE_TO_RAM, ZDEV_TRIGGER_CPU_FAULT, 1, 20000);

			zdev_model_apply(model, &back);
		}
	}
	assert_int_equal(model->nr_migrations, 2);
	assert_int_equal(model->migrations[0].direction, ZDEV_MIGRATE_TO_DEVICE);
	assert_int_equal(model->migrations[0].migrations, 6);
	assert_int_equal(model->migrations[0].pages_migrated, 300);
	assert_int_equal(model->migrations[0].cpu_faults, 0);
	assert_int_equal(model->migrations[0].latency_max_ns, 300000);
	assert_int_equal(model->migrations[1].direction, ZDEV_MIGRATE_TO_RAM);
	assert_int_equal(model->migrations[1].migrations, 300);
	assert_int_equal(model->migrations[1].cpu_faults, 300);
	assert_int_equal(model->migrations[1].pages_migrated, 300);
	assert_int_equal(model->migrations[0].owner_id, model->migrations[1].owner_id);
}

/* the same rounds with the CPU faults summed in BPF: cumulative records, read now and then (twice the same
 * one too), make exactly the totals one record per fault made */
static void fault_migrations_summed_in_bpf_make_the_same_totals(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event sums = empty_event(ZDEV_REC_FAULT_MIGRATIONS, sizeof(sums.fault_migrations));
	struct zdev_migration_stats *back;

	sums.fault_migrations.key.owner_key = 0xd1;
	sums.fault_migrations.key.direction = ZDEV_MIGRATE_TO_RAM;
	for (int round = 0; round < 3; round++) {
		struct zdev_event to_device_a = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 300000);
		struct zdev_event to_device_b = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 36, 200000);

		zdev_model_apply(model, &to_device_a);
		zdev_model_apply(model, &to_device_b);
		/* 100 faults of 20 us each (bucket 15: [16384, 32768) ns) and one of 40 us in the last round */
		sums.fault_migrations.migrations += 100;
		sums.fault_migrations.pages_asked += 100;
		sums.fault_migrations.pages_collected += 100;
		sums.fault_migrations.pages_migrated += 100;
		sums.fault_migrations.latency_total_ns += 100 * 20000;
		sums.fault_migrations.latency_max_ns = 20000;
		sums.fault_migrations.latency_histogram[zdev_latency_bucket(20000)] += 100;
		if (round == 2) {
			sums.fault_migrations.migrations++;
			sums.fault_migrations.pages_asked++;
			sums.fault_migrations.pages_collected++;
			sums.fault_migrations.pages_migrated++;
			sums.fault_migrations.latency_total_ns += 40000;
			sums.fault_migrations.latency_max_ns = 40000;
			sums.fault_migrations.latency_histogram[zdev_latency_bucket(40000)]++;
		}
		assert_int_equal(zdev_model_apply(model, &sums), 0);
		assert_int_equal(zdev_model_apply(model, &sums), 0);
	}
	assert_int_equal(model->nr_migrations, 2);
	assert_int_equal(model->migrations[0].migrations, 6);
	back = &model->migrations[1];
	assert_int_equal(back->direction, ZDEV_MIGRATE_TO_RAM);
	assert_int_equal(back->migrations, 301);
	assert_int_equal(back->cpu_faults, 301);
	assert_int_equal(back->pages_migrated, 301);
	assert_int_equal(back->latency_total_ns, 300 * 20000 + 40000);
	assert_int_equal(back->latency_max_ns, 40000);
	assert_int_equal(back->latency_histogram[15], 300);
	assert_int_equal(back->latency_histogram[16], 1);
	assert_int_equal(zdev_migration_percentile(back, 50), 32767);
	assert_int_equal(model->migrations[0].owner_id, back->owner_id);
}

static void failed_migrations_count_no_pages(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event failed = migration_event(0xd2, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 1000);

	failed.migration.result = -22;
	zdev_model_apply(model, &failed);
	assert_int_equal(model->migrations[0].migrations, 1);
	assert_int_equal(model->migrations[0].failed, 1);
	assert_int_equal(model->migrations[0].pages_migrated, 0);
}

static void latency_histogram_and_percentiles(void **state)
{
	uint64_t histogram[ZDEV_LATENCY_BUCKETS] = { 0 };

	(void)state;
	assert_int_equal(zdev_latency_bucket(0), 0);
	assert_int_equal(zdev_latency_bucket(1), 1);
	assert_int_equal(zdev_latency_bucket(1023), 10);
	assert_int_equal(zdev_latency_bucket(1024), 11);
	assert_int_equal(zdev_latency_bucket(UINT64_MAX), ZDEV_LATENCY_BUCKETS - 1);
	assert_int_equal(zdev_latency_percentile(histogram, 50), 0);
	for (int i = 0; i < 99; i++)
		histogram[zdev_latency_bucket(1000)]++; /* bucket 10: [512, 1024) */
	histogram[zdev_latency_bucket(1000000)]++;      /* bucket 20 */
	assert_int_equal(zdev_latency_percentile(histogram, 50), 1023);
	assert_int_equal(zdev_latency_percentile(histogram, 99), 1023);
	assert_int_equal(zdev_latency_percentile(histogram, 100), (1u << 20) - 1);
}

/* latency.h's straight-line count against the plain loop, around every power of two */
static void latency_bucket_of_matches_a_count_of_bits(void **state)
{
	(void)state;
	for (unsigned bit = 0; bit < 64; bit++) {
		uint64_t power = 1ull << bit, around[] = { power - 1, power, power + 1, power | (power >> 1) };

		for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
			uint64_t rest = around[i];
			unsigned expected = 0;

			while (rest && expected < ZDEV_LATENCY_BUCKET_COUNT - 1) {
				rest >>= 1;
				expected++;
			}
			assert_int_equal(zdev_latency_bucket_of(around[i]), expected);
			assert_int_equal(zdev_latency_bucket(around[i]), expected);
		}
	}
	assert_int_equal(zdev_latency_bucket_of(UINT64_MAX), ZDEV_LATENCY_BUCKET_COUNT - 1);
}

static void device_pages_and_evictions_land_on_their_pgmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0xe1, ZDEV_PGMAP_PRIVATE, 0xfcf0000000ull, 256 * MiB, NULL);
	struct zdev_event use, evict;

	zdev_model_apply(model, &map);
	memset(&use, 0, sizeof(use));
	use.type = ZDEV_REC_PAGE_USE;
	use.page_use.pgmap_key = 0xe1;
	use.page_use.pages_initialised = 300;
	use.page_use.pages_freed = 200;
	zdev_model_apply(model, &use);
	use.page_use.pages_freed = 300; /* cumulative: replaces */
	zdev_model_apply(model, &use);
	assert_int_equal(model->pgmaps[0].pages_initialised, 300);
	assert_int_equal(model->pgmaps[0].pages_freed, 300);
	memset(&evict, 0, sizeof(evict));
	evict.type = ZDEV_REC_EVICTION;
	evict.eviction.start_pfn = 0xfcf0000000ull / 4096;
	evict.eviction.pages = 65536;
	zdev_model_apply(model, &evict);
	assert_int_equal(model->pgmaps[0].evictions, 1);
	evict.eviction.start_pfn = 0x1000;
	zdev_model_apply(model, &evict);
	assert_int_equal(model->evictions_unattributed, 1);
}

/* 7.2 frees FS_DAX folios through free_zone_device_folio too: released DAX pages, not device pages freed */
static void dax_folio_frees_are_counted_apart(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event fsdax = map_event(0xd1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0");
	struct zdev_event devdax = map_event(0xd2, ZDEV_PGMAP_GENERIC, 0x48000000, 128 * MiB, "dax0.0");
	struct zdev_event use;

	zdev_model_apply(model, &fsdax);
	zdev_model_apply(model, &devdax);
	memset(&use, 0, sizeof(use));
	use.type = ZDEV_REC_PAGE_USE;
	use.page_use.pgmap_key = 0xd1;
	use.page_use.pages_freed = 4096;
	zdev_model_apply(model, &use);
	use.page_use.pgmap_key = 0xd2;
	use.page_use.pages_freed = 512;
	zdev_model_apply(model, &use);
	assert_int_equal(model->pgmaps[0].dax_pages_released, 4096);
	assert_int_equal(model->pgmaps[1].dax_pages_released, 512);
	assert_int_equal(model->pgmaps[0].pages_freed, 0);
	assert_int_equal(model->pgmaps[1].pages_freed, 0);
}

#define KiB 1024ull

static void pool_use_high_water_and_outstanding(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event events[] = {
		pool_event(ZDEV_POOL_CREATED, 0x70, 64 * MiB, 64 * MiB, 64 * MiB, 0, 0, 0),
		pool_event(ZDEV_POOL_ALLOC, 0x70, 64 * MiB, 64 * MiB - 64 * KiB, 64 * KiB, 0, 0, 1),
		pool_event(ZDEV_POOL_ALLOC, 0x70, 64 * MiB, 64 * MiB - 128 * KiB, 64 * KiB, 64 * KiB, 0, 1),
		pool_event(ZDEV_POOL_ALLOC, 0x70, 64 * MiB, 64 * MiB - 128 * KiB, 128 * MiB, 0, -12, 1),
		pool_event(ZDEV_POOL_FREE, 0x70, 64 * MiB, 64 * MiB - 64 * KiB, 64 * KiB, 0, 0, 1),
	};
	const struct zdev_pool *pool;

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		assert_int_equal(zdev_model_apply(model, &events[i]), 0);
	assert_int_equal(model->nr_pools, 1);
	pool = &model->pools[0];
	assert_true(pool->p2pdma);
	assert_string_equal(pool->device, "0000:00:05.0");
	assert_int_equal(pool->allocs, 2);
	assert_int_equal(pool->failures, 1);
	assert_int_equal(pool->frees, 1);
	assert_int_equal(pool->high_water_bytes, 128 * KiB);
	assert_int_equal(pool->size_bytes - pool->avail_bytes, 64 * KiB);
	assert_int_equal(pool->nr_outstanding, 1);
	assert_int_equal(zdev_pool_outstanding_bytes(pool), 64 * KiB);
	assert_int_equal(pool->size_histogram[17], 2); /* 64 KiB = 2^16: bucket 17 */
}

static void direct_allocations_freed_page_by_page(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event alloc = pool_event(ZDEV_POOL_GENALLOC_ALLOC, 0x71, 64 * MiB, 63 * MiB, 1 * MiB, 4 * MiB, 0, 0);
	const struct zdev_pool *pool;

	zdev_model_apply(model, &alloc);
	for (uint64_t page = 0; page < 256; page++) {
		struct zdev_event free = pool_event(ZDEV_POOL_GENALLOC_FREE, 0x71, 64 * MiB, 63 * MiB + (page + 1) * 4096,
						    4096, 4 * MiB + page * 4096, 0, 0);

		zdev_model_apply(model, &free);
	}
	pool = &model->pools[0];
	assert_int_equal(pool->direct_allocs, 1);
	assert_int_equal(pool->direct_frees, 256);
	assert_int_equal(pool->nr_outstanding, 0);
	assert_int_equal(pool->avail_bytes, 64 * MiB);
	assert_int_equal(pool->high_water_bytes, 1 * MiB);
}

/* the genalloc free kprobe off (the default): a p2pmem mmap's pages come back as a count per pool, which
 * takes the bytes off the direct allocations (oldest first), never off pci_alloc_p2pmem's */
static void mapped_pages_come_back_through_the_pgmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event queue = pool_event(ZDEV_POOL_ALLOC, 0x74, 64 * MiB, 64 * MiB - 65536, 65536, 0, 0, 1);
	struct zdev_event mmap1 = pool_event(ZDEV_POOL_GENALLOC_ALLOC, 0x74, 64 * MiB, 63 * MiB - 65536, 1 * MiB, 65536, 0, 0);
	struct zdev_event mmap2 = pool_event(ZDEV_POOL_GENALLOC_ALLOC, 0x74, 64 * MiB, 62 * MiB - 65536, 1 * MiB,
					     65536 + 1 * MiB, 0, 0);
	struct zdev_event some = pool_pages_event(0x74, 300, 64 * MiB, 62 * MiB - 65536 + 300 * 4096, 5000, 0);
	struct zdev_event all = pool_pages_event(0x74, 512, 64 * MiB, 64 * MiB - 65536, 6000, 0);
	const struct zdev_pool *pool;

	queue.pool.header.timestamp_ns = 1000;
	mmap1.pool.header.timestamp_ns = 2000;
	mmap2.pool.header.timestamp_ns = 3000;
	assert_int_equal(zdev_model_apply(model, &queue), 0);
	assert_int_equal(zdev_model_apply(model, &mmap1), 0);
	assert_int_equal(zdev_model_apply(model, &mmap2), 0);
	pool = &model->pools[0];
	assert_int_equal(pool->high_water_bytes, 2 * MiB + 65536);

	/* 300 pages: the first mapping (256) and 44 of the second */
	assert_int_equal(zdev_model_apply(model, &some), 0);
	assert_int_equal(pool->page_frees, 300);
	assert_int_equal(pool->nr_outstanding, 2);
	assert_int_equal(zdev_pool_outstanding_bytes(pool), 65536 + 212 * 4096);
	assert_int_equal(pool->avail_bytes, 62 * MiB - 65536 + 300 * 4096);
	/* the same count again (the next flush) changes nothing */
	assert_int_equal(zdev_model_apply(model, &some), 0);
	assert_int_equal(zdev_pool_outstanding_bytes(pool), 65536 + 212 * 4096);

	assert_int_equal(zdev_model_apply(model, &all), 0);
	assert_int_equal(pool->nr_outstanding, 1);
	assert_int_equal(pool->outstanding[0].offset, 0); /* nvme's queue, from pci_alloc_p2pmem, stays */
	assert_int_equal(pool->avail_bytes, 64 * MiB - 65536);
	assert_int_equal(pool->page_frees_unmatched, 0);
	assert_int_equal(pool->direct_frees, 0);
	assert_int_equal(pool->high_water_bytes, 2 * MiB + 65536);
	/* read again after the pool went with its pgmap: still that pool, no new one */
	model->pools[0].gone = 1;
	assert_int_equal(zdev_model_apply(model, &all), 0);
	assert_int_equal(model->nr_pools, 1);
}

/* a pool record read after the latest page free is the newer state; more pages than any direct allocation
 * held are said, not hidden; with the genalloc free kprobe on, its records do the untracking */
static void pool_pages_state_and_leftovers(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event mmap = pool_event(ZDEV_POOL_GENALLOC_ALLOC, 0x75, 64 * MiB, 63 * MiB, 1 * MiB, 0, 0, 0);
	struct zdev_event later = pool_event(ZDEV_POOL_ALLOC, 0x75, 64 * MiB, 60 * MiB, 4096, 2 * MiB, 0, 1);
	struct zdev_event pages = pool_pages_event(0x75, 16, 64 * MiB, 63 * MiB + 16 * 4096, 4000, 1);
	struct zdev_event too_many = pool_pages_event(0x75, 16 + 300, 64 * MiB, 64 * MiB, 9000, 0);
	const struct zdev_pool *pool;

	mmap.pool.header.timestamp_ns = 1000;
	later.pool.header.timestamp_ns = 5000;
	zdev_model_apply(model, &mmap);
	zdev_model_apply(model, &later);
	assert_int_equal(zdev_model_apply(model, &pages), 0);
	pool = &model->pools[0];
	assert_int_equal(pool->avail_bytes, 60 * MiB);          /* the pool record at 5000 is newer */
	assert_int_equal(zdev_pool_outstanding_bytes(pool), 1 * MiB + 4096); /* frees_recorded: untouched */
	assert_int_equal(zdev_model_apply(model, &too_many), 0);
	assert_int_equal(pool->avail_bytes, 64 * MiB);
	assert_int_equal(zdev_pool_outstanding_bytes(pool), 4096);
	assert_int_equal(pool->page_frees_unmatched, 300 * 4096 - 1 * MiB);
}

static void handed_back_is_its_own_outcome(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event back = pool_event(ZDEV_POOL_ALLOC, 0x72, 64 * MiB, 64 * MiB, 4096, 0, ZDEV_POOL_HANDED_BACK, 1);
	struct zdev_event inner = pool_event(ZDEV_POOL_GENALLOC_ALLOC, 0x72, 64 * MiB, 64 * MiB - 4096, 4096, 0, 0, 1);

	zdev_model_apply(model, &inner); /* inside pci_alloc_p2pmem: not a direct allocation */
	zdev_model_apply(model, &back);
	assert_int_equal(model->pools[0].handed_back, 1);
	assert_int_equal(model->pools[0].failures, 0);
	assert_int_equal(model->pools[0].allocs, 0);
	assert_int_equal(model->pools[0].direct_allocs, 0);
}

static void outstanding_table_overflows_loudly(void **state)
{
	struct zdev_model *model = *state;

	for (uint64_t i = 0; i < ZDEV_OUTSTANDING_MAX + 10; i++) {
		struct zdev_event alloc = pool_event(ZDEV_POOL_ALLOC, 0x73, 1ull << 40, 1ull << 39, 4096, i * 4096, 0, 1);

		zdev_model_apply(model, &alloc);
	}
	assert_int_equal(model->pools[0].nr_outstanding, ZDEV_OUTSTANDING_MAX);
	assert_int_equal(model->pools[0].outstanding_overflow, 10);
	assert_int_equal(model->pools[0].allocs, ZDEV_OUTSTANDING_MAX + 10);
}

static void pool_goes_with_its_pgmap(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event map = map_event(0x80, ZDEV_PGMAP_P2PDMA, 0xf8000000, 64 * MiB, "0000:00:05.0");
	struct zdev_event alloc = pool_event(ZDEV_POOL_ALLOC, 0x74, 64 * MiB, 64 * MiB - 4096, 4096, 0, 0, 1);
	struct zdev_event unmap = unmap_event(0x80, ZDEV_PGMAP_P2PDMA, 0xf8000000, 64 * MiB);

	zdev_model_apply(model, &map);
	zdev_model_apply(model, &alloc);
	zdev_model_apply(model, &unmap);
	assert_true(model->pools[0].gone);
	assert_int_equal(model->pools[0].outstanding_at_gone, 1);
	assert_int_equal(model->pools[0].outstanding_bytes_at_gone, 4096);
}

static void geometry_must_be_known(void **state)
{
	struct zdev_model model;
	struct zdev_geometry unknown = x86_64_geometry;

	(void)state;
	unknown.struct_page_bytes = 0;
	assert_int_equal(zdev_model_init(&model, &unknown), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmemmap_of_one_section),
		cmocka_unit_test(vmemmap_of_a_misaligned_range),
		cmocka_unit_test(vmemmap_per_section_piece_is_rounded_to_pages),
		cmocka_unit_test(vmemmap_of_compound_pages_is_deduplicated),
		cmocka_unit_test_setup_teardown(map_then_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(absurd_sizes_from_a_file_do_not_overflow_the_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(ring_counts_say_what_is_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(a_region_of_a_failed_pgmap_never_released_is_leaked, setup, teardown),
		cmocka_unit_test_setup_teardown(a_region_in_use_is_no_leak, setup, teardown),
		cmocka_unit_test_setup_teardown(received_records_are_counted_by_type, setup, teardown),
		cmocka_unit_test_setup_teardown(altmap_puts_the_memmap_on_the_device, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_registration_is_an_anomaly, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_never_seen_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_registration_cleans_up_after_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(key_reused_after_unmap_is_a_new_pgmap, setup, teardown),
		cmocka_unit_test_setup_teardown(owners_get_small_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(drops_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(many_pgmaps_grow_the_table, setup, teardown),
		cmocka_unit_test(geometry_must_be_known),
		cmocka_unit_test_setup_teardown(vmemmap_sources_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(populate_sees_the_altmap_take_the_memmap, setup, teardown),
		cmocka_unit_test(vmemmap_of_pages),
		cmocka_unit_test_setup_teardown(migrations_aggregate_per_owner_and_direction, setup, teardown),
		cmocka_unit_test_setup_teardown(fault_migrations_summed_in_bpf_make_the_same_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_migrations_count_no_pages, setup, teardown),
		cmocka_unit_test(latency_histogram_and_percentiles),
		cmocka_unit_test(latency_bucket_of_matches_a_count_of_bits),
		cmocka_unit_test_setup_teardown(pool_use_high_water_and_outstanding, setup, teardown),
		cmocka_unit_test_setup_teardown(direct_allocations_freed_page_by_page, setup, teardown),
		cmocka_unit_test_setup_teardown(mapped_pages_come_back_through_the_pgmap, setup, teardown),
		cmocka_unit_test_setup_teardown(pool_pages_state_and_leftovers, setup, teardown),
		cmocka_unit_test_setup_teardown(handed_back_is_its_own_outcome, setup, teardown),
		cmocka_unit_test_setup_teardown(outstanding_table_overflows_loudly, setup, teardown),
		cmocka_unit_test_setup_teardown(pool_goes_with_its_pgmap, setup, teardown),
		cmocka_unit_test_setup_teardown(device_pages_and_evictions_land_on_their_pgmap, setup, teardown),
		cmocka_unit_test_setup_teardown(dax_folio_frees_are_counted_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(amdgpu_calls_per_function, setup, teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_calls_per_function_and_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_drops_are_seen, setup, teardown),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
