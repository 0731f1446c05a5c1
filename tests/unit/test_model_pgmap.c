// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's pgmaps and regions, driven with records: lifecycle, vmemmap figures, anomalies,
 * device page use and evictions, regions leaked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "model_fixture.h"

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

/* page use of a pgmap zdev has no record of (registered before it started, its map record dropped): the
 * model keeps it apart, cumulative like the rest (each record replaces the last); pgmaps present at start
 * have no key (0), and a record of key 0 is none of theirs */
static void page_use_of_unknown_pgmaps_is_unattributed(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_present_pgmap present = {
		.type = ZDEV_PGMAP_PRIVATE, .range = { 0x100000000ull, 0x100000000ull + 64 * MiB - 1 },
		.has_range = 1, .size_bytes = 64 * MiB,
	};
	struct zdev_event map = map_event(0xe2, ZDEV_PGMAP_PRIVATE, 0xfcf0000000ull, 256 * MiB, NULL);
	struct zdev_event unknown = page_use_event(0xbad, 40, 10);
	struct zdev_event later = page_use_event(0xbad, 70, 25);
	struct zdev_event no_key = page_use_event(0, 90, 35);
	struct zdev_event known = page_use_event(0xe2, 500, 200);

	assert_int_equal(zdev_model_add_present(model, &present), 0);
	assert_int_equal(zdev_model_apply(model, &map), 0);
	assert_int_equal(zdev_model_apply(model, &unknown), 0);
	assert_int_equal(model->page_use_unattributed_init, 40);
	assert_int_equal(model->page_use_unattributed_freed, 10);
	assert_int_equal(zdev_model_apply(model, &later), 0);
	assert_int_equal(model->page_use_unattributed_init, 70);
	assert_int_equal(model->page_use_unattributed_freed, 25);
	assert_int_equal(zdev_model_apply(model, &no_key), 0);
	assert_int_equal(model->page_use_unattributed_init, 90);
	assert_int_equal(model->page_use_unattributed_freed, 35);
	assert_int_equal(model->pgmaps[0].pages_initialised, 0); /* the present pgmap */
	assert_int_equal(model->pgmaps[0].pages_freed, 0);
	/* a known pgmap's pages are its own, and leave the unattributed ones as they were */
	assert_int_equal(zdev_model_apply(model, &known), 0);
	assert_int_equal(model->pgmaps[1].pages_initialised, 500);
	assert_int_equal(model->pgmaps[1].pages_freed, 200);
	assert_int_equal(model->page_use_unattributed_init, 90);
	assert_int_equal(model->page_use_unattributed_freed, 35);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_then_unmap, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(absurd_sizes_from_a_file_do_not_overflow_the_delta, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(altmap_puts_the_memmap_on_the_device, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(failed_registration_is_an_anomaly, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(failed_registration_cleans_up_after_itself, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(unmap_never_seen_registered, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(key_reused_after_unmap_is_a_new_pgmap, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(many_pgmaps_grow_the_table, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(vmemmap_sources_agree, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(populate_sees_the_altmap_take_the_memmap, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(device_pages_and_evictions_land_on_their_pgmap, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(dax_folio_frees_are_counted_apart, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(page_use_of_unknown_pgmaps_is_unattributed, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(a_region_of_a_failed_pgmap_never_released_is_leaked, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(a_region_in_use_is_no_leak, model_setup, model_teardown),
	};

	return cmocka_run_group_tests_name("model_pgmap", tests, NULL, NULL);
}
