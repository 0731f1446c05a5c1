/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pgmaps that exist before zdev starts, read from sysfs and /proc/iomem under a root directory
 * ("/" live; a fixture tree in the unit tests). They enter the model as "present at start, not observed".
 */
#ifndef ZDEV_SNAPSHOT_H
#define ZDEV_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/abi.h"

#define ZDEV_SNAPSHOT_MAX 256

struct zdev_present_pgmap {
	uint32_t type;        /* enum zdev_pgmap_type; UNKNOWN when the source cannot tell */
	char device[ZDEV_DEVICE_LEN];
	struct zdev_range range;
	int has_range;        /* p2pdma pools give a size but not where in the BAR */
	uint64_t size_bytes;
	int altmap;           /* memmap on the device (pfn/dax mode "pmem") */
	uint32_t vmemmap_shift;
	const char *source;   /* "nd", "p2pmem", "iomem" */
};

struct zdev_snapshot {
	struct zdev_present_pgmap pgmaps[ZDEV_SNAPSHOT_MAX];
	size_t count;
	int truncated;        /* more than ZDEV_SNAPSHOT_MAX */
};

/* reads what it can; a missing source (no nd bus, no PCI) is not an error */
int zdev_snapshot_read(const char *root, struct zdev_snapshot *snapshot);
/* MemTotal from ROOT/proc/meminfo, in bytes; 0 when unreadable */
uint64_t zdev_mem_total_bytes(const char *root);

#endif /* ZDEV_SNAPSHOT_H */
