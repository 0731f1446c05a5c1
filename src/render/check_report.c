// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The check's diff: a table for people (what grew, by how much, against which limit), JUnit XML for
 * Jenkins/GitLab (one test case per pgmap and measure, a failure per regression) and JSON for scripts (the
 * same rows, unknown as null). Reads the result only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <json-c/json.h>
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
			zdev_check_verdict(row));
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
		if (row->regression && !row->in_current) {
			fprintf(out, "<failure message=\"");
			xml_text(out, row->pgmap);
			fprintf(out, ": %s gone (%s in the baseline; not registered in this run)\" type=\"gone\"/>",
				zdev_check_measure_name(row->measure), text.before);
		} else if (row->regression) {
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

/* JSON's verdicts: the text's as identifiers; whether the row fails is "regression" (a gone entry fails
 * unless --allow-gone, a new one when it grew past the limit) */
static const char *json_verdict(const struct zdev_check_row *row)
{
	if (!row->in_current)
		return "gone";
	if (row->regression)
		return "regression";
	if (!row->in_baseline)
		return "new";
	if (row->limit_pct < 0 && !row->cap_set)
		return "not_checked";
	return "ok";
}

static json_object *string_or_null(const char *text)
{
	return text[0] ? json_object_new_string(text) : NULL;
}

static json_object *check_row_json(const struct zdev_check_row *row)
{
	json_object *item = json_object_new_object();

	json_object_object_add(item, "pgmap", json_object_new_string(row->pgmap));
	json_object_object_add(item, "measure", json_object_new_string(zdev_check_measure_name(row->measure)));
	json_object_object_add(item, "unit", json_object_new_string(row->measure == ZDEV_CHECK_REGISTER_TIME ? "ns"
													: "bytes"));
	/* a side without this pgmap has no figure: null, not 0 */
	json_object_object_add(item, "baseline", row->in_baseline ? json_object_new_uint64(row->baseline) : NULL);
	json_object_object_add(item, "current", row->in_current ? json_object_new_uint64(row->current) : NULL);
	json_object_object_add(item, "limit_pct", row->limit_pct >= 0 ? json_object_new_double(row->limit_pct) : NULL);
	json_object_object_add(item, "cap_bytes", row->cap_set ? json_object_new_uint64(row->cap) : NULL);
	json_object_object_add(item, "regression", json_object_new_boolean(row->regression));
	json_object_object_add(item, "verdict", json_object_new_string(json_verdict(row)));
	return item;
}

int zdev_render_check_json(FILE *out, const struct zdev_check_result *result, const char *baseline_name)
{
	json_object *root = json_object_new_object(), *rows = json_object_new_array();
	int err;

	json_object_object_add(root, "schema", json_object_new_string(ZDEV_CHECK_SCHEMA));
	json_object_object_add(root, "version", json_object_new_int(ZDEV_CHECK_SCHEMA_VERSION));
	json_object_object_add(root, "baseline", json_object_new_string(baseline_name));
	json_object_object_add(root, "baseline_kernel", string_or_null(result->baseline_kernel));
	json_object_object_add(root, "kernel", string_or_null(result->kernel));
	json_object_object_add(root, "kernel_differs", json_object_new_boolean(result->kernel_differs));
	json_object_object_add(root, "regressions", json_object_new_uint64(result->regressions));
	for (size_t i = 0; i < result->count; i++)
		json_object_array_add(rows, check_row_json(&result->rows[i]));
	json_object_object_add(root, "rows", rows);
	err = fprintf(out, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								   JSON_C_TO_STRING_SPACED)) < 0 ? -1 : 0;
	json_object_put(root);
	return err;
}
