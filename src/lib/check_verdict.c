// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The check: a run's baseline figures against a stored baseline, one row per pgmap (type and device) and
 * measure, plus the totals. Pure. A pgmap that is new in the run grows from zero: any vmemmap it has is
 * over any percentage limit. One that is gone fails its vmemmap rows unless allowed: a driver that stopped
 * loading would otherwise pass as a saving.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/check_verdict.h"

const char *zdev_check_measure_name(enum zdev_check_measure measure)
{
	switch (measure) {
	case ZDEV_CHECK_VMEMMAP_DRAM:
		return "vmemmap DRAM";
	case ZDEV_CHECK_VMEMMAP_DEVICE:
		return "vmemmap device";
	case ZDEV_CHECK_REGISTER_TIME:
		return "registration time";
	}
	return "?";
}

/* over the limit: more than baseline * (1 + pct/100); from zero, any growth */
static int over_limit(uint64_t baseline, uint64_t current, double limit_pct)
{
	if (limit_pct < 0 || current <= baseline)
		return 0;
	if (baseline == 0)
		return 1;
	return (double)(current - baseline) * 100.0 > (double)baseline * limit_pct;
}

static void add_row(struct zdev_check_result *result, const char *pgmap, enum zdev_check_measure measure,
		    uint64_t baseline, uint64_t current, int in_baseline, int in_current, double limit_pct)
{
	struct zdev_check_row *row = &result->rows[result->count++];

	memset(row, 0, sizeof(*row));
	snprintf(row->pgmap, sizeof(row->pgmap), "%s", pgmap);
	row->measure = measure;
	row->baseline = baseline;
	row->current = current;
	row->in_baseline = in_baseline;
	row->in_current = in_current;
	row->limit_pct = limit_pct;
	row->regression = over_limit(baseline, current, limit_pct);
}

static void add_entry_rows(struct zdev_check_result *result, const struct zdev_check_limits *limits,
			   const struct zdev_baseline_entry *before, const struct zdev_baseline_entry *now)
{
	static const struct zdev_baseline_entry none;
	const struct zdev_baseline_entry *named = before ? before : now;
	char pgmap[sizeof(result->rows->pgmap)];

	snprintf(pgmap, sizeof(pgmap), "%s %s", named->type, named->device);
	if (!before)
		before = &none;
	if (!now)
		now = &none;
	add_row(result, pgmap, ZDEV_CHECK_VMEMMAP_DRAM, before->vmemmap_dram_bytes, now->vmemmap_dram_bytes,
		before != &none, now != &none, limits->max_increase_pct);
	add_row(result, pgmap, ZDEV_CHECK_VMEMMAP_DEVICE, before->vmemmap_device_bytes, now->vmemmap_device_bytes,
		before != &none, now != &none, limits->max_increase_pct);
	add_row(result, pgmap, ZDEV_CHECK_REGISTER_TIME, before->register_ns, now->register_ns,
		before != &none, now != &none, limits->time_checked ? limits->max_time_increase_pct : -1);
	if (now == &none && !limits->allow_gone) {
		/* the vmemmap rows, checked whatever the limit; the time would only say the same again */
		result->rows[result->count - 3].regression = 1;
		result->rows[result->count - 2].regression = 1;
	}
}

const char *zdev_check_verdict(const struct zdev_check_row *row)
{
	if (row->regression && !row->in_current)
		return "GONE";
	if (row->regression)
		return row->in_baseline ? "REGRESSION" : "REGRESSION (new)";
	if (!row->in_current)
		return "gone";
	if (!row->in_baseline)
		return "new";
	if (row->limit_pct < 0 && !row->cap_set)
		return "not checked";
	return "ok";
}

static const struct zdev_baseline_entry *find(const struct zdev_baseline *baseline,
					      const struct zdev_baseline_entry *like)
{
	for (size_t i = 0; i < baseline->count; i++)
		if (!strcmp(baseline->entries[i].type, like->type) && !strcmp(baseline->entries[i].device, like->device))
			return &baseline->entries[i];
	return NULL;
}

int zdev_check_compare(const struct zdev_baseline *baseline, const struct zdev_baseline *current,
		       const struct zdev_check_limits *limits, struct zdev_check_result *result)
{
	size_t most = 3 * (baseline->count + current->count + 1);
	struct zdev_check_row *total;

	memset(result, 0, sizeof(*result));
	result->limits = *limits;
	snprintf(result->baseline_kernel, sizeof(result->baseline_kernel), "%s", baseline->kernel);
	snprintf(result->kernel, sizeof(result->kernel), "%s", current->kernel);
	result->kernel_differs = baseline->kernel[0] && current->kernel[0] && strcmp(baseline->kernel, current->kernel);
	result->rows = calloc(most, sizeof(*result->rows));
	if (!result->rows)
		return -ENOMEM;
	/* the baseline's pgmaps in its order, then the new ones in the run's */
	for (size_t i = 0; i < baseline->count; i++)
		add_entry_rows(result, limits, &baseline->entries[i], find(current, &baseline->entries[i]));
	for (size_t i = 0; i < current->count; i++)
		if (!find(baseline, &current->entries[i]))
			add_entry_rows(result, limits, NULL, &current->entries[i]);
	add_row(result, "total", ZDEV_CHECK_VMEMMAP_DRAM, baseline->vmemmap_dram_bytes, current->vmemmap_dram_bytes,
		1, 1, limits->max_increase_pct);
	total = &result->rows[result->count - 1];
	if (limits->vmemmap_cap_set) {
		total->cap_set = 1;
		total->cap = limits->max_vmemmap_bytes;
		if (current->vmemmap_dram_bytes > limits->max_vmemmap_bytes)
			total->regression = 1;
	}
	add_row(result, "total", ZDEV_CHECK_VMEMMAP_DEVICE, baseline->vmemmap_device_bytes,
		current->vmemmap_device_bytes, 1, 1, limits->max_increase_pct);
	add_row(result, "total", ZDEV_CHECK_REGISTER_TIME, baseline->register_ns, current->register_ns, 1, 1,
		limits->time_checked ? limits->max_time_increase_pct : -1);
	for (size_t i = 0; i < result->count; i++)
		result->regressions += result->rows[i].regression;
	return 0;
}

void zdev_check_free(struct zdev_check_result *result)
{
	free(result->rows);
	result->rows = NULL;
	result->count = 0;
}
