// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's vmemmap arithmetic: memmap cost of ranges and of pages, the geometry accepted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "model_fixture.h"

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

static void vmemmap_of_pages(void **state)
{
	(void)state;
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 65536, 0, 0), 4 * MiB);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 32768, 9, 0), 128 * 4096);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 32768, 9, 1), 2 * MiB);
	assert_int_equal(zdev_vmemmap_of_pages(&x86_64_geometry, 1, 0, 0), 4096);
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
		cmocka_unit_test(vmemmap_of_pages),
		cmocka_unit_test(geometry_must_be_known),
	};

	return cmocka_run_group_tests_name("model_vmemmap", tests, NULL, NULL);
}
