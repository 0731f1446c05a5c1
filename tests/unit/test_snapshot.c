// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The snapshot of pgmaps present at start, read from a fixture tree laid out like sysfs and procfs, and
 * what the model makes of it (including their later unmaps). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "records.h"
#include "zdev/snapshot.h"
#include "fixture_tree.h"

/* region0: raw namespace bound; region1: fsdax with memmap on the device; region2: devdax, memmap in RAM;
 * region3: a namespace with nothing bound; one NVMe with a 64 MiB p2pmem pool; test_hmm's memory */
static int setup(void **state)
{
	static char root[] = "/tmp/zdev-snapshot-XXXXXX";
	const char *nd = "sys/bus/nd/devices";
	char relative[256];

	assert_non_null(mkdtemp(root));
#define ND(dev, file, text) do { snprintf(relative, sizeof(relative), "%s/%s/%s", nd, dev, file); \
	fixture_put(root, relative, text); } while (0)
	ND("namespace0.0", "uevent", "DRIVER=nd_pmem\n");
	ND("namespace0.0", "resource", "0x40000000\n");
	ND("namespace0.0", "size", "134217728\n");
	ND("namespace0.0", "force_raw", "0\n");
	ND("namespace1.0", "uevent", "DEVTYPE=nd_namespace_io\n");
	ND("namespace1.0", "resource", "0x48000000\n");
	ND("namespace1.0", "size", "134217728\n");
	ND("pfn1.0", "uevent", "DRIVER=nd_pmem\n");
	ND("pfn1.0", "namespace", "namespace1.0\n");
	ND("pfn1.0", "mode", "pmem\n");
	ND("namespace2.0", "uevent", "DEVTYPE=nd_namespace_io\n");
	ND("namespace2.0", "resource", "0x50000000\n");
	ND("namespace2.0", "size", "134217728\n");
	ND("dax2.0", "uevent", "DRIVER=dax_pmem\n");
	ND("dax2.0", "namespace", "namespace2.0\n");
	ND("dax2.0", "mode", "ram\n");
	ND("dax2.0", "align", "2097152\n");
	ND("namespace3.0", "uevent", "DEVTYPE=nd_namespace_io\n");
	ND("namespace3.0", "resource", "0x58000000\n");
	ND("namespace3.0", "size", "134217728\n");
	ND("pfn3.0", "uevent", "DEVTYPE=nd_pfn\n");
	ND("pfn3.0", "namespace", "\n");
	fixture_put(root, "sys/bus/pci/devices/0000:00:05.0/p2pmem/size", "67108864\n");
	fixture_put(root, "sys/bus/pci/devices/0000:00:04.0/class", "0x030000\n");
	fixture_put(root, "proc/iomem", "00000000-00000fff : Reserved\n"
				"40000000-47ffffff : Persistent Memory (legacy)\n"
				"  40000000-47ffffff : namespace0.0\n"
				"fcf0000000-fcffffffff : hmm_dmirror\n");
	*state = root;
	return 0;
}

static int teardown(void **state)
{
	char command[256];

	snprintf(command, sizeof(command), "rm -rf '%s'", (char *)*state);
	return system(command);
}

static const struct zdev_present_pgmap *find(const struct zdev_snapshot *snapshot, const char *device)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		if (!strcmp(snapshot->pgmaps[i].device, device))
			return &snapshot->pgmaps[i];
	}
	return NULL;
}

static void reads_every_source(void **state)
{
	struct zdev_snapshot *snapshot = malloc(sizeof(*snapshot));
	const struct zdev_present_pgmap *pgmap;

	assert_int_equal(zdev_snapshot_read(*state, snapshot), 0);
	assert_int_equal(snapshot->count, 5);
	pgmap = find(snapshot, "namespace0.0");
	assert_non_null(pgmap);
	assert_int_equal(pgmap->type, ZDEV_PGMAP_FS_DAX);
	assert_int_equal(pgmap->range.start, 0x40000000);
	assert_int_equal(pgmap->range.end, 0x47ffffff);
	assert_false(pgmap->altmap);
	pgmap = find(snapshot, "pfn1.0");
	assert_non_null(pgmap);
	assert_true(pgmap->altmap);
	assert_int_equal(pgmap->range.start, 0x48000000);
	pgmap = find(snapshot, "dax2.0");
	assert_non_null(pgmap);
	assert_int_equal(pgmap->type, ZDEV_PGMAP_GENERIC);
	assert_int_equal(pgmap->vmemmap_shift, 9);
	assert_false(pgmap->altmap);
	assert_null(find(snapshot, "pfn3.0"));       /* not bound */
	assert_null(find(snapshot, "namespace1.0")); /* claimed by pfn1.0, not bound itself */
	pgmap = find(snapshot, "0000:00:05.0");
	assert_non_null(pgmap);
	assert_int_equal(pgmap->type, ZDEV_PGMAP_P2PDMA);
	assert_int_equal(pgmap->size_bytes, 64 * MiB);
	assert_false(pgmap->has_range);
	pgmap = find(snapshot, "hmm_dmirror");
	assert_non_null(pgmap);
	assert_int_equal(pgmap->size_bytes, 256 * MiB);
	free(snapshot);
}

static void missing_sources_are_not_errors(void **state)
{
	struct zdev_snapshot *snapshot = malloc(sizeof(*snapshot));

	(void)state;
	assert_int_equal(zdev_snapshot_read("/nonexistent", snapshot), 0);
	assert_int_equal(snapshot->count, 0);
	free(snapshot);
}

static void present_pgmaps_enter_the_model_and_their_unmaps_match(void **state)
{
	struct zdev_snapshot *snapshot = malloc(sizeof(*snapshot));
	struct zdev_model model;
	struct zdev_event unmap = unmap_event(0x99, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB);
	struct zdev_event pool_gone = unmap_event(0x98, ZDEV_PGMAP_P2PDMA, 0xf8000000, 64 * MiB);
	const struct zdev_pgmap *pfn = NULL, *dax = NULL, *pool = NULL;

	assert_int_equal(zdev_snapshot_read(*state, snapshot), 0);
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	for (size_t i = 0; i < snapshot->count; i++)
		assert_int_equal(zdev_model_add_present(&model, &snapshot->pgmaps[i]), 0);
	for (size_t i = 0; i < model.nr_pgmaps; i++) {
		if (!strcmp(model.pgmaps[i].device, "pfn1.0"))
			pfn = &model.pgmaps[i];
		if (!strcmp(model.pgmaps[i].device, "dax2.0"))
			dax = &model.pgmaps[i];
		if (!strcmp(model.pgmaps[i].device, "0000:00:05.0"))
			pool = &model.pgmaps[i];
	}
	assert_non_null(pfn);
	assert_non_null(dax);
	assert_non_null(pool);
	assert_true(pfn->present_at_start);
	assert_false(pfn->seen_mapped);
	assert_int_equal(pfn->vmemmap_device_bytes, 2 * MiB);
	assert_int_equal(pfn->vmemmap_dram_bytes, 0);
	assert_int_equal(dax->vmemmap_dram_bytes, 64 * 2 * 4096); /* compound dedup */
	assert_int_equal(pool->vmemmap_dram_bytes, 1 * MiB);
	assert_int_equal(model.vmemmap_dram_delta_bytes, 0); /* present: not part of the run's change */

	assert_int_equal(zdev_model_apply(&model, &unmap), 0);
	assert_int_equal(pfn->state, ZDEV_PGMAP_UNMAPPED);
	assert_int_equal(zdev_model_apply(&model, &pool_gone), 0);
	assert_int_equal(pool->state, ZDEV_PGMAP_UNMAPPED);
	assert_int_equal(model.nr_anomalies, 0);
	assert_int_equal(model.vmemmap_device_delta_bytes, -(int64_t)(2 * MiB));
	assert_int_equal(model.vmemmap_dram_delta_bytes, -(int64_t)(1 * MiB));
	zdev_model_free(&model);
	free(snapshot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_every_source),
		cmocka_unit_test(missing_sources_are_not_errors),
		cmocka_unit_test(present_pgmaps_enter_the_model_and_their_unmaps_match),
	};

	return cmocka_run_group_tests_name("snapshot", tests, setup, teardown);
}
