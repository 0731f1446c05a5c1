/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Renderers: the model (plus the run's context) → a report. They read the model only. */
#ifndef ZDEV_RENDER_H
#define ZDEV_RENDER_H

#include <stdio.h>
#include "zdev/check_verdict.h"
#include "zdev/model.h"
#include "zdev/hooks.h"

#define ZDEV_REPORT_SCHEMA "zdev.report"
#define ZDEV_REPORT_SCHEMA_VERSION 1

struct zdev_run_info {
	const char *kernel_release;
	double traced_seconds;
	const struct zdev_probe_table *probes; /* NULL on replay without a probe table */
	uint32_t ring_buffer_bytes;            /* 0: unknown */
};

int zdev_render_text(FILE *out, const struct zdev_model *model, const struct zdev_run_info *run);
int zdev_render_json(FILE *out, const struct zdev_model *model, const struct zdev_run_info *run);
int zdev_render_probes_text(FILE *out, const struct zdev_probe_table *probes);
int zdev_render_probes_json(FILE *out, const struct zdev_probe_table *probes);

#define ZDEV_CHECK_SCHEMA "zdev.check"
#define ZDEV_CHECK_SCHEMA_VERSION 1

/* the check's diff: a table (text), JUnit XML and JSON; baseline_name says what was compared with */
int zdev_render_check_text(FILE *out, const struct zdev_check_result *result, const char *baseline_name);
int zdev_render_check_junit(FILE *out, const struct zdev_check_result *result, const char *baseline_name);
int zdev_render_check_json(FILE *out, const struct zdev_check_result *result, const char *baseline_name);

/* "1.5 GiB", "512 KiB", "0 B"; "3.2 ms", "850 µs" */
void zdev_format_bytes(char *buf, size_t len, uint64_t bytes);
void zdev_format_ns(char *buf, size_t len, uint64_t ns);
/* "4096", "512K", "64M", "1GiB" (powers of 1024) → bytes; 0 or -1 */
int zdev_parse_bytes(const char *text, uint64_t *bytes);
/* "ENXIO" for -6; "result N" for what is not a kernel errno */
void zdev_format_errno(char *buf, size_t len, int32_t result);

#endif /* ZDEV_RENDER_H */
