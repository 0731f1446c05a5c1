// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's p2pdma and genalloc pools: allocations outstanding, page frees through the pgmap,
 * outcomes, the pool's end with its pgmap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "model_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pool_use_high_water_and_outstanding, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(direct_allocations_freed_page_by_page, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(mapped_pages_come_back_through_the_pgmap, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(pool_pages_state_and_leftovers, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(handed_back_is_its_own_outcome, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(outstanding_table_overflows_loudly, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(pool_goes_with_its_pgmap, model_setup, model_teardown),
	};

	return cmocka_run_group_tests_name("model_pool", tests, NULL, NULL);
}
