// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's driver rows: amdgpu KFD SVM per function, drm_pagemap per function and owner. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "model_fixture.h"

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

/* each trigger its own count (KFD_MIGRATE_TRIGGER_* + 1 in the record, by_trigger[KFD_MIGRATE_TRIGGER_*] in
 * the row); 0 (no trigger known) and one beyond the four are counted as calls only, and touch no other
 * figure of the row */
static void amdgpu_triggers_are_counted_apart(void **state)
{
	struct zdev_model *model = *state;
	const uint32_t triggers[] = {
		ZDEV_AMDGPU_TRIGGER_PREFETCH + 1,
		ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU + 1, ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU + 1,
		ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU + 1, ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU + 1,
		ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU + 1,
		ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1, ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1,
		ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1, ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1,
		0,                                    /* this kernel's function has no trigger argument */
		ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 2, /* a trigger of a later kernel */
	};

	for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
		struct zdev_event call = amdgpu_event(ZDEV_AMDGPU_RAM_TO_VRAM, 0, 16, triggers[i], 1000);

		assert_int_equal(zdev_model_apply(model, &call), 0);
	}
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PREFETCH], 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PAGEFAULT_GPU], 2);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU], 3);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].by_trigger[ZDEV_AMDGPU_TRIGGER_TTM_EVICTION], 4);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].calls, 12);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].failed, 0);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].pages, 12 * 16);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].latency_total_ns, 12 * 1000);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_RAM_TO_VRAM].latency_max_ns, 1000);
}

/* the kernel's errnos are -1..-4095 (MAX_ERRNO); whatever else an int or a record file holds is no failure */
static void amdgpu_failures_are_errnos_only(void **state)
{
	struct zdev_model *model = *state;
	const int64_t results[] = { 0, -1, -4095, -4096, 1, INT64_MIN, INT64_MAX, -12 };

	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		struct zdev_event call = amdgpu_event(ZDEV_AMDGPU_ZONE_DEVICE_INIT, results[i], 0, 0, 100);

		assert_int_equal(zdev_model_apply(model, &call), 0);
	}
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_ZONE_DEVICE_INIT].calls, 8);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_ZONE_DEVICE_INIT].failed, 3); /* -1, -4095, -12 */
}

/* every slot its own row: calls, pages and times of one function never land in another's; the largest
 * latency whenever it comes */
static void amdgpu_rows_per_slot(void **state)
{
	struct zdev_model *model = *state;

	for (uint32_t slot = 0; slot < ZDEV_AMDGPU_SLOTS; slot++) {
		for (uint32_t call = 0; call <= slot; call++) {
			/* latencies grow: the last call of a slot is its slowest */
			struct zdev_event event = amdgpu_event(slot, call ? 0 : -12, 100 + slot, 0, 1000 * (call + 1));

			assert_int_equal(zdev_model_apply(model, &event), 0);
		}
	}
	for (uint32_t slot = 0; slot < ZDEV_AMDGPU_SLOTS; slot++) {
		assert_int_equal(model->amdgpu[slot].calls, slot + 1);
		assert_int_equal(model->amdgpu[slot].failed, 1);
		assert_int_equal(model->amdgpu[slot].pages, (slot + 1) * (100 + slot));
		assert_int_equal(model->amdgpu[slot].latency_max_ns, 1000 * (slot + 1));
		assert_int_equal(model->amdgpu[slot].latency_total_ns, 1000 * (slot + 1) * (slot + 2) / 2);
	}
	assert_int_equal(model->events, ZDEV_AMDGPU_SLOTS * (ZDEV_AMDGPU_SLOTS + 1) / 2);
}

/* the driver records as the ring buffer and record files give them: decoded, counted as received, applied */
static void driver_records_from_bytes(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event amdgpu = amdgpu_event(ZDEV_AMDGPU_TO_RAM, -14, 1, ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU + 1, 7000);
	struct zdev_event drm = drm_pagemap_event(ZDEV_DRM_PAGEMAP_EVICT_TO_RAM, 0xc1, -4096, 64, 9000);

	assert_int_equal(zdev_model_apply_bytes(model, &amdgpu.header, amdgpu.header.size), 0);
	assert_int_equal(zdev_model_apply_bytes(model, &drm.header, drm.header.size), 0);
	assert_int_equal(model->received[ZDEV_REC_AMDGPU], 1);
	assert_int_equal(model->received[ZDEV_REC_DRM_PAGEMAP], 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].calls, 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].failed, 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].pages, 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].by_trigger[ZDEV_AMDGPU_TRIGGER_PAGEFAULT_CPU], 1);
	assert_int_equal(model->amdgpu[ZDEV_AMDGPU_TO_RAM].latency_max_ns, 7000);
	assert_int_equal(model->nr_drm_pagemap, 1);
	assert_int_equal(model->drm_pagemap[0].failed, 0); /* beyond MAX_ERRNO: not an errno */
	assert_int_equal(model->drm_pagemap[0].pages, 64);
	assert_int_equal(model->drm_pagemap[0].owner_id, 1);
	assert_int_equal(model->events, 2);
}

/* the kernel's errnos only, as amdgpu's; and the largest latency whenever it comes */
static void drm_pagemap_failures_are_errnos_only(void **state)
{
	struct zdev_model *model = *state;
	const int64_t results[] = { 0, -1, -4095, -4096, 1, INT64_MIN, -12 };

	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		struct zdev_event call = drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM, 0xa1, results[i], 8,
							   1000 * (i + 1));

		assert_int_equal(zdev_model_apply(model, &call), 0);
	}
	assert_int_equal(model->nr_drm_pagemap, 1);
	assert_int_equal(model->drm_pagemap[0].calls, 7);
	assert_int_equal(model->drm_pagemap[0].failed, 3); /* -1, -4095, -12 */
	assert_int_equal(model->drm_pagemap[0].pages, 7 * 8);
	assert_int_equal(model->drm_pagemap[0].latency_max_ns, 7000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(amdgpu_calls_per_function, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_calls_per_function_and_owner, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_drops_are_seen, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(amdgpu_triggers_are_counted_apart, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(amdgpu_failures_are_errnos_only, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(amdgpu_rows_per_slot, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(driver_records_from_bytes, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_failures_are_errnos_only, model_setup, model_teardown),
	};

	return cmocka_run_group_tests_name("model_driver", tests, NULL, NULL);
}
