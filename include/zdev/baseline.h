/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CI check on vmemmap overhead: a run's cost per pgmap type and device (the baseline, a JSON file of
 * schema "zdev.baseline" version 1, documented in man/zdevtrace.8), and the comparison of a run with it.
 * Pure: the model and the baseline's text in, rows of a diff out.
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

enum zdev_check_measure {
	ZDEV_CHECK_VMEMMAP_DRAM = 0,
	ZDEV_CHECK_VMEMMAP_DEVICE = 1,
	ZDEV_CHECK_REGISTER_TIME = 2,
};

struct zdev_check_limits {
	double max_increase_pct;       /* vmemmap (DRAM and device), per entry and in total; default 0 */
	int time_checked;              /* registration time is noisy: checked only when asked */
	double max_time_increase_pct;
	int vmemmap_cap_set;
	uint64_t max_vmemmap_bytes;    /* a cap on the run's DRAM vmemmap, whatever the baseline */
	int allow_gone;                /* a baseline entry missing from the run passes (else its vmemmap rows fail:
					* a driver that stopped registering is no saving) */
};

struct zdev_check_row {
	char pgmap[72];                /* "fsdax pfn1.0", or "total" */
	enum zdev_check_measure measure;
	uint64_t baseline;             /* bytes, or ns */
	uint64_t current;
	int in_baseline, in_current;   /* in neither: never */
	double limit_pct;              /* < 0: not checked */
	int cap_set;
	uint64_t cap;
	int regression;
};

struct zdev_check_result {
	struct zdev_check_row *rows;
	size_t count;
	size_t regressions;
	struct zdev_check_limits limits;
	char baseline_kernel[128];     /* the kernel releases compared ("" when unknown) */
	char kernel[128];
	int kernel_differs;            /* both known and not the same */
};

int zdev_check_compare(const struct zdev_baseline *baseline, const struct zdev_baseline *current,
		       const struct zdev_check_limits *limits, struct zdev_check_result *result);
void zdev_check_free(struct zdev_check_result *result);
const char *zdev_check_measure_name(enum zdev_check_measure measure);
/* the row's verdict for people: "ok", "REGRESSION", "REGRESSION (new)", "GONE", "gone", "new", "not checked" */
const char *zdev_check_verdict(const struct zdev_check_row *row);

#endif /* ZDEV_BASELINE_H */
