/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CI check's verdicts: a run's baseline against a stored one, under limits, as rows of a diff (one per
 * pgmap type and device and measure, plus the totals), each a regression or not. Pure; the renderings are
 * render.h's, the command is zdevtrace's cmd_check.c.
 */
#ifndef ZDEV_CHECK_VERDICT_H
#define ZDEV_CHECK_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/baseline.h"

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

#endif /* ZDEV_CHECK_VERDICT_H */
