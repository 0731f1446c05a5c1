// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's dispatcher: owners, records received and dropped, what drops leave incomplete; names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "model_fixture.h"

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

/* every number is shown under a name, and a value of a later build (or a damaged file) under a placeholder */
static void names_of_what_the_model_counts(void **state)
{
	(void)state;
	assert_string_equal(zdev_record_type_name(ZDEV_REC_AMDGPU), "amdgpu");
	assert_string_equal(zdev_record_type_name(ZDEV_REC_FAULT_MIGRATIONS), "fault_migrations");
	assert_string_equal(zdev_record_type_name(0), "unknown");
	assert_string_equal(zdev_record_type_name(ZDEV_REC_TYPES), "unknown");
	assert_string_equal(zdev_pgmap_type_name(ZDEV_PGMAP_P2PDMA), "p2pdma");
	assert_string_equal(zdev_pgmap_type_name(ZDEV_TYPE_COUNT), "unknown");
	assert_string_equal(zdev_amdgpu_slot_name(ZDEV_AMDGPU_TO_RAM), "to_ram (CPU fault)");
	assert_string_equal(zdev_amdgpu_slot_name(ZDEV_AMDGPU_SLOTS), "?");
	assert_string_equal(zdev_drm_pagemap_slot_name(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM), "migrate_to_devmem");
	assert_string_equal(zdev_direction_name(ZDEV_MIGRATE_TO_DEVICE), "to-device");
	assert_string_equal(zdev_direction_name(ZDEV_MIGRATE_TO_RAM), "to-ram");
	assert_string_equal(zdev_pgmap_state_name(ZDEV_PGMAP_FAILED), "failed");
	assert_string_equal(zdev_vmemmap_source_name(ZDEV_VMEMMAP_FROM_ADD_PAGES), "add_pages");
	assert_string_equal(zdev_attach_mode_name(ZDEV_VIA_TRACEPOINT), "tracepoint");
	assert_string_equal(zdev_attach_mode_name(ZDEV_VIA_NONE), "off");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(owners_get_small_ids, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(drops_are_counted, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(ring_counts_say_what_is_incomplete, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(received_records_are_counted_by_type, model_setup, model_teardown),
		cmocka_unit_test(names_of_what_the_model_counts),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
