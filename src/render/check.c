// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The check's diff: a table for people (what grew, by how much, against which limit) and JUnit XML for
 * Jenkins/GitLab (one test case per pgmap and measure, a failure per regression). Reads the result only.
 */
#include <inttypes.h>
#include <stdio.h>
#include "zdev/render.h"

static void format_value(char *buf, size_t len, enum zdev_check_measure measure, uint64_t value)
{
	if (measure == ZDEV_CHECK_REGISTER_TIME)
		zdev_format_ns(buf, len, value);
	else
		zdev_format_bytes(buf, len, value);
}

/* "+2097152 B", "-1.2 ms", "0" */
static void format_change(char *buf, size_t len, const struct zdev_check_row *row)
{
	uint64_t magnitude = row->current > row->baseline ? row->current - row->baseline : row->baseline - row->current;
	char sign = row->current > row->baseline ? '+' : '-';
	char human[24];

	if (!magnitude) {
		snprintf(buf, len, "0");
	} else if (row->measure == ZDEV_CHECK_REGISTER_TIME) {
		zdev_format_ns(human, sizeof(human), magnitude);
		snprintf(buf, len, "%c%s", sign, human);
	} else {
		snprintf(buf, len, "%c%" PRIu64 " B", sign, magnitude);
	}
}

static void format_limit(char *buf, size_t len, const struct zdev_check_row *row)
{
	char cap[32];

	if (row->cap_set) {
		zdev_format_bytes(cap, sizeof(cap), row->cap);
		if (row->limit_pct >= 0)
			snprintf(buf, len, "+%g%%, <=%s", row->limit_pct, cap);
		else
			snprintf(buf, len, "<=%s", cap);
	} else if (row->limit_pct >= 0) {
		snprintf(buf, len, "+%g%%", row->limit_pct);
	} else {
		snprintf(buf, len, "-");
	}
}

/* a row's figures as both renderers show them */
struct row_text {
	char before[32], now[32], change[48], limit[64];
};

static void format_row(struct row_text *text, const struct zdev_check_row *row)
{
	format_value(text->before, sizeof(text->before), row->measure, row->baseline);
	format_value(text->now, sizeof(text->now), row->measure, row->current);
	format_change(text->change, sizeof(text->change), row);
	format_limit(text->limit, sizeof(text->limit), row);
}

static const char *verdict(const struct zdev_check_row *row)
{
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

int zdev_render_check_text(FILE *out, const struct zdev_check_result *result, const char *baseline_name)
{
	fprintf(out, "zdevtrace check against %s: %zu regression%s\n", baseline_name, result->regressions,
		result->regressions == 1 ? "" : "s");
	fprintf(out, "%-19s %-17s %9s %9s %12s %10s  %s\n", "PGMAP", "MEASURE", "BASELINE", "NOW", "CHANGE", "LIMIT",
		"VERDICT");
	for (size_t i = 0; i < result->count; i++) {
		const struct zdev_check_row *row = &result->rows[i];
		struct row_text text;

		format_row(&text, row);
		fprintf(out, "%-19.19s %-17s %9s %9s %12s %10s  %s\n", row->pgmap, zdev_check_measure_name(row->measure),
			row->in_baseline ? text.before : "-", row->in_current ? text.now : "-", text.change, text.limit,
			verdict(row));
	}
	return ferror(out) ? -1 : 0;
}

static void xml_text(FILE *out, const char *text)
{
	for (; *text; text++) {
		switch (*text) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* control characters are not allowed in XML 1.0 */
			fputc((unsigned char)*text < 0x20 && *text != '\t' ? '?' : *text, out);
		}
	}
}

int zdev_render_check_junit(FILE *out, const struct zdev_check_result *result, const char *baseline_name)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites name=\"zdevtrace check\" tests=\"%zu\" failures=\"%zu\">\n", result->count,
		result->regressions);
	fprintf(out, "  <testsuite name=\"zdev.vmemmap\" tests=\"%zu\" failures=\"%zu\">\n", result->count,
		result->regressions);
	fputs("    <properties><property name=\"baseline\" value=\"", out);
	xml_text(out, baseline_name);
	fputs("\"/></properties>\n", out);
	for (size_t i = 0; i < result->count; i++) {
		const struct zdev_check_row *row = &result->rows[i];
		struct row_text text;

		format_row(&text, row);
		fputs("    <testcase classname=\"zdev.vmemmap.", out);
		xml_text(out, row->pgmap);
		fputs("\" name=\"", out);
		xml_text(out, zdev_check_measure_name(row->measure));
		fputs("\">", out);
		if (row->regression) {
			fprintf(out, "<failure message=\"");
			xml_text(out, row->pgmap);
			fprintf(out, ": %s grew by %s (%s -> %s, limit ", zdev_check_measure_name(row->measure), text.change,
				row->in_baseline ? text.before : "not in the baseline", text.now);
			xml_text(out, text.limit);
			fprintf(out, ")\" type=\"regression\"/>");
		} else if (row->limit_pct < 0 && !row->cap_set) {
			fprintf(out, "<skipped message=\"not checked (no limit given)\"/>");
		}
		fputs("</testcase>\n", out);
	}
	fprintf(out, "  </testsuite>\n</testsuites>\n");
	return ferror(out) ? -1 : 0;
}
