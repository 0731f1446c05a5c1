/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CI check's reference: a run's vmemmap cost per pgmap type and device (the baseline, a JSON file of
 * schema "zdev.baseline" version 1, documented in man/zdevtrace.8), taken from the model, written and read.
 * Pure. The comparison of a run with it is check_verdict.h's.
 */
#ifndef ZDEV_BASELINE_H
#define ZDEV_BASELINE_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/model.h"

#define ZDEV_BASELINE_SCHEMA "zdev.baseline"
#define ZDEV_BASELINE_VERSION 1
#define ZDEV_BASELINE_MAX_ENTRIES 4096 /* far above the pgmaps of a run; keeps the duplicate check cheap */

/* the pgmaps of one type and device (device-private memory without a device: its owner, "owner N", N in
 * order of appearance) registered during the run, summed */
struct zdev_baseline_entry {
	char type[16];
	char device[48];
	uint64_t pgmaps;
	uint64_t vmemmap_dram_bytes;
	uint64_t vmemmap_device_bytes;
	uint64_t register_ns;
};

struct zdev_baseline {
	char kernel[128];
	struct zdev_baseline_entry *entries;
	size_t count;
	uint64_t vmemmap_dram_bytes;   /* totals over the entries */
	uint64_t vmemmap_device_bytes;
	uint64_t register_ns;
};

/* the pgmaps registered (successfully) in the model; pgmaps present at start are not the run's cost */
int zdev_baseline_from_model(const struct zdev_model *model, const char *kernel, struct zdev_baseline *baseline);
/* NULL on out of memory; the caller frees */
char *zdev_baseline_to_json(const struct zdev_baseline *baseline);
/* 0, or -1 with one line in `error` (not JSON, wrong schema, a future version, a bad field) */
int zdev_baseline_parse(const char *text, size_t len, struct zdev_baseline *baseline, char *error, size_t error_len);
void zdev_baseline_free(struct zdev_baseline *baseline);

#endif /* ZDEV_BASELINE_H */
