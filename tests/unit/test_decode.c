// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The decoder: good records, and every way bytes can be wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"

static void decodes_a_map_record(void **state)
{
	struct zdev_event in = map_event(0x77, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0"), out;

	(void)state;
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map), &out), ZDEV_DECODE_OK);
	assert_int_equal(out.type, ZDEV_REC_PGMAP_MAP);
	assert_int_equal(out.map.pgmap_key, 0x77);
	assert_string_equal(out.map.device, "0000:00:05.0");
}

static void decodes_an_unmap_record(void **state)
{
	struct zdev_event in = unmap_event(0x78, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB), out;

	(void)state;
	assert_int_equal(zdev_decode(&in.unmap, sizeof(in.unmap), &out), ZDEV_DECODE_OK);
	assert_int_equal(out.type, ZDEV_REC_PGMAP_UNMAP);
	assert_int_equal(out.unmap.ranges[0].end, 0x40000000 + 128 * MiB - 1);
}

static void rejects_short_input(void **state)
{
	struct zdev_event in = map_event(1, 1, 0, 4096, NULL), out;

	(void)state;
	assert_int_equal(zdev_decode(&in.map, 3, &out), ZDEV_DECODE_SHORT);
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map) - 1, &out), ZDEV_DECODE_SHORT);
	assert_int_equal(zdev_decode(&in.map, 0, &out), ZDEV_DECODE_SHORT);
}

static void rejects_unknown_version_and_type(void **state)
{
	struct zdev_event in = map_event(1, 1, 0, 4096, NULL), out;

	(void)state;
	in.map.header.version = ZDEV_ABI_VERSION + 1;
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map), &out), ZDEV_DECODE_BAD_VERSION);
	in.map.header.version = ZDEV_ABI_VERSION;
	in.map.header.type = 999;
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map), &out), ZDEV_DECODE_UNKNOWN_TYPE);
}

static void rejects_a_size_that_does_not_match_the_type(void **state)
{
	struct zdev_event in = map_event(1, 1, 0, 4096, NULL), out;

	(void)state;
	in.map.header.size = sizeof(struct zdev_pgmap_unmap_record);
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map), &out), ZDEV_DECODE_BAD_SIZE);
}

static void terminates_strings(void **state)
{
	struct zdev_event in = map_event(1, 1, 0, 4096, NULL), out;

	(void)state;
	memset(in.map.device, 'x', sizeof(in.map.device));
	memset(in.map.header.comm, 'y', sizeof(in.map.header.comm));
	assert_int_equal(zdev_decode(&in.map, sizeof(in.map), &out), ZDEV_DECODE_OK);
	assert_int_equal(strlen(out.map.device), ZDEV_DEVICE_LEN - 1);
	assert_int_equal(strlen(out.map.header.comm), ZDEV_COMM_LEN - 1);
}

static void abi_sizes_are_fixed(void **state)
{
	(void)state;
	/* a change here is a format change: bump ZDEV_ABI_VERSION */
	assert_int_equal(sizeof(struct zdev_record_header), 40);
	assert_int_equal(sizeof(struct zdev_pgmap_map_record), 360);
	assert_int_equal(sizeof(struct zdev_pgmap_unmap_record), 208);
	assert_int_equal(sizeof(struct zdev_migration_record), 128);
	assert_int_equal(sizeof(struct zdev_eviction_record), 72);
	assert_int_equal(sizeof(struct zdev_page_use_record), 64);
	assert_int_equal(sizeof(struct zdev_pool_record), 136);
	assert_int_equal(sizeof(struct zdev_amdgpu_record), 72);
	assert_int_equal(sizeof(struct zdev_region_record), 96);
	assert_int_equal(sizeof(struct zdev_drm_pagemap_record), 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_a_map_record),
		cmocka_unit_test(decodes_an_unmap_record),
		cmocka_unit_test(rejects_short_input),
		cmocka_unit_test(rejects_unknown_version_and_type),
		cmocka_unit_test(rejects_a_size_that_does_not_match_the_type),
		cmocka_unit_test(terminates_strings),
		cmocka_unit_test(abi_sizes_are_fixed),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
