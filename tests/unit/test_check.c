// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The check: the comparison of two baselines against the limits, and the check's two renderings for people
 * and CI (a table that fits 100 columns, JUnit XML that stays XML). Baselines themselves are
 * test_baseline.c's, the JSON rendering test_check_json.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "check_fixtures.h"
#include "zdev/render.h"

/* --- the comparison ---------------------------------------------------------------------------------------- */

static const struct zdev_check_row *find_row(const struct zdev_check_result *result, const char *pgmap,
					     enum zdev_check_measure measure)
{
	for (size_t i = 0; i < result->count; i++)
		if (!strcmp(result->rows[i].pgmap, pgmap) && result->rows[i].measure == measure)
			return &result->rows[i];
	fail_msg("no row for %s, %s", pgmap, zdev_check_measure_name(measure));
	return NULL;
}

static void assert_row(const struct zdev_check_row *row, uint64_t baseline, uint64_t current, int regression)
{
	assert_int_equal(row->baseline, baseline);
	assert_int_equal(row->current, current);
	assert_int_equal(row->regression, regression);
}

static int count_regressions(const struct zdev_check_result *result)
{
	int regressions = 0;

	for (size_t i = 0; i < result->count; i++)
		regressions += result->rows[i].regression;
	return regressions;
}

static void compare(const struct zdev_baseline_entry *before, size_t before_count,
		    const struct zdev_baseline_entry *now, size_t now_count, const struct zdev_check_limits *limits,
		    struct zdev_check_result *result)
{
	struct zdev_baseline baseline = baseline_with(KERNEL_RELEASE, before, before_count);
	struct zdev_baseline current = baseline_with(KERNEL_RELEASE, now, now_count);

	assert_int_equal(zdev_check_compare(&baseline, &current, limits, result), 0);
	assert_int_equal(result->regressions, count_regressions(result));
	zdev_baseline_free(&baseline);
	zdev_baseline_free(&current);
}

static const struct zdev_check_limits default_limits = { 0 };

static void identical_runs_pass(void **state)
{
	struct zdev_model model;
	struct zdev_baseline baseline;
	struct zdev_check_result result;

	(void)state;
	build_check_model(&model);
	assert_int_equal(zdev_baseline_from_model(&model, KERNEL_RELEASE, &baseline), 0);
	assert_int_equal(zdev_check_compare(&baseline, &baseline, &default_limits, &result), 0);
	assert_int_equal(result.regressions, 0);
	assert_int_equal(result.count, 3 * 3 + 3); /* three measures for each pgmap and for the total */
	for (size_t i = 0; i < result.count; i++) {
		const struct zdev_check_row *row = &result.rows[i];

		assert_int_equal(row->regression, 0);
		assert_true(row->in_baseline && row->in_current);
		assert_int_equal(row->baseline, row->current);
		/* vmemmap at +0% by default; registration time only when asked */
		assert_true(row->limit_pct == (row->measure == ZDEV_CHECK_REGISTER_TIME ? -1 : 0));
	}
	assert_string_equal(result.rows[0].pgmap, "fsdax namespace1.0");
	assert_int_equal(result.rows[0].measure, ZDEV_CHECK_VMEMMAP_DRAM);
	assert_row(find_row(&result, "private owner 2", ZDEV_CHECK_VMEMMAP_DRAM), 4 * MiB, 4 * MiB, 0);
	assert_row(find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DRAM), 10 * MiB, 10 * MiB, 0);
	assert_row(find_row(&result, "total", ZDEV_CHECK_REGISTER_TIME), 25 * MS, 25 * MS, 0);
	zdev_check_free(&result);
	assert_null(result.rows);
	zdev_baseline_free(&baseline);
	zdev_model_free(&model);
}

/* fsdax on pfn1.0 set to memmap in RAM: the 2 MiB the device held come out of DRAM */
static void memmap_moving_to_dram_is_a_regression(void **state)
{
	const struct zdev_baseline_entry before[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 11 * MS),
	};
	const struct zdev_baseline_entry now[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("fsdax", "pfn1.0", 2 * MiB, 0, 11 * MS),
	};
	struct zdev_check_result result;
	const struct zdev_check_row *row;

	(void)state;
	compare(before, 2, now, 2, &default_limits, &result);
	assert_int_equal(result.regressions, 2);
	assert_int_equal(result.count, 9);
	row = find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_VMEMMAP_DRAM);
	assert_row(row, 0, 2097152, 1);
	assert_true(row->in_baseline && row->in_current);
	assert_true(row->limit_pct == 0);
	assert_row(find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DRAM), 2 * MiB, 4 * MiB, 1);
	/* the device's share shrank: not a regression */
	assert_row(find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_VMEMMAP_DEVICE), 2 * MiB, 0, 0);
	assert_row(find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DEVICE), 2 * MiB, 0, 0);
	assert_row(find_row(&result, "fsdax namespace1.0", ZDEV_CHECK_VMEMMAP_DRAM), 2 * MiB, 2 * MiB, 0);
	zdev_check_free(&result);
}

static void growth_within_max_increase_passes(void **state)
{
	const struct zdev_baseline_entry before[] = { entry_of("fsdax", "namespace1.0", 1000000, 0, 0) };
	const struct zdev_baseline_entry by_5_pct[] = { entry_of("fsdax", "namespace1.0", 1050000, 0, 0) };
	const struct zdev_baseline_entry by_10_pct[] = { entry_of("fsdax", "namespace1.0", 1100000, 0, 0) };
	const struct zdev_baseline_entry by_20_pct[] = { entry_of("fsdax", "namespace1.0", 1200000, 0, 0) };
	const struct zdev_check_limits limits = { .max_increase_pct = 10 };
	struct zdev_check_result result;

	(void)state;
	compare(before, 1, by_5_pct, 1, &limits, &result);
	assert_int_equal(result.regressions, 0);
	assert_row(find_row(&result, "fsdax namespace1.0", ZDEV_CHECK_VMEMMAP_DRAM), 1000000, 1050000, 0);
	assert_true(find_row(&result, "fsdax namespace1.0", ZDEV_CHECK_VMEMMAP_DRAM)->limit_pct == 10);
	zdev_check_free(&result);

	/* the limit itself is allowed: more than it is not */
	compare(before, 1, by_10_pct, 1, &limits, &result);
	assert_int_equal(result.regressions, 0);
	zdev_check_free(&result);

	compare(before, 1, by_20_pct, 1, &limits, &result);
	assert_int_equal(result.regressions, 2);
	assert_row(find_row(&result, "fsdax namespace1.0", ZDEV_CHECK_VMEMMAP_DRAM), 1000000, 1200000, 1);
	assert_row(find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DRAM), 1000000, 1200000, 1);
	zdev_check_free(&result);
}

static void new_pgmap_with_vmemmap_is_a_regression(void **state)
{
	const struct zdev_baseline_entry before[] = { entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS) };
	const struct zdev_baseline_entry now[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("devdax", "dax0.0", 512 * 1024, 0, 1 * MS),
		entry_of("p2pdma", "0000:00:05.0", 0, 0, 2 * MS), /* no vmemmap at all: nothing grew */
	};
	const struct zdev_check_limits limits = { .max_increase_pct = 1000 };
	struct zdev_check_result result;
	const struct zdev_check_row *row;

	(void)state;
	/* from zero any growth is over any percentage */
	compare(before, 1, now, 3, &limits, &result);
	assert_int_equal(result.count, 3 * 3 + 3);
	row = find_row(&result, "devdax dax0.0", ZDEV_CHECK_VMEMMAP_DRAM);
	assert_row(row, 0, 512 * 1024, 1);
	assert_int_equal(row->in_baseline, 0);
	assert_int_equal(row->in_current, 1);
	assert_row(find_row(&result, "devdax dax0.0", ZDEV_CHECK_VMEMMAP_DEVICE), 0, 0, 0);
	assert_row(find_row(&result, "p2pdma 0000:00:05.0", ZDEV_CHECK_VMEMMAP_DRAM), 0, 0, 0);
	/* the total grew by 25%, within +1000% */
	assert_row(find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DRAM), 2 * MiB, 2 * MiB + 512 * 1024, 0);
	assert_int_equal(result.regressions, 1);
	zdev_check_free(&result);
}

/* a driver that stopped registering is no saving: its vmemmap rows fail, unless the run may lose pgmaps */
static void gone_pgmap_fails_unless_allowed(void **state)
{
	const struct zdev_baseline_entry before[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 11 * MS),
	};
	const struct zdev_baseline_entry now[] = { entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS) };
	struct zdev_check_limits limits = { .time_checked = 1, .max_time_increase_pct = 0 };
	struct zdev_check_result result;
	const struct zdev_check_row *row;

	(void)state;
	compare(before, 2, now, 1, &limits, &result);
	assert_int_equal(result.regressions, 2);
	row = find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_VMEMMAP_DEVICE);
	assert_row(row, 2 * MiB, 0, 1);
	assert_int_equal(row->in_baseline, 1);
	assert_int_equal(row->in_current, 0);
	assert_string_equal(zdev_check_verdict(row), "GONE");
	assert_row(find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_VMEMMAP_DRAM), 0, 0, 1);
	/* once per entry: its registration time would say the same again */
	assert_row(find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_REGISTER_TIME), 11 * MS, 0, 0);
	assert_row(find_row(&result, "total", ZDEV_CHECK_REGISTER_TIME), 14 * MS, 3 * MS, 0);
	zdev_check_free(&result);

	limits.allow_gone = 1;
	compare(before, 2, now, 1, &limits, &result);
	assert_int_equal(result.regressions, 0);
	row = find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_VMEMMAP_DEVICE);
	assert_row(row, 2 * MiB, 0, 0);
	assert_string_equal(zdev_check_verdict(row), "gone");
	zdev_check_free(&result);

	/* a run in which nothing registered: every entry gone, the check fails */
	limits.allow_gone = 0;
	compare(before, 2, now, 0, &limits, &result);
	assert_int_equal(result.regressions, 4);
	zdev_check_free(&result);
}

static void registration_time_is_checked_only_when_asked(void **state)
{
	const struct zdev_baseline_entry before[] = { entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 10 * MS) };
	const struct zdev_baseline_entry now[] = { entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 20 * MS) };
	const struct zdev_check_limits time_at_50 = { .time_checked = 1, .max_time_increase_pct = 50 };
	const struct zdev_check_limits time_at_150 = { .time_checked = 1, .max_time_increase_pct = 150 };
	struct zdev_check_result result;
	const struct zdev_check_row *row;

	(void)state;
	compare(before, 1, now, 1, &default_limits, &result);
	assert_int_equal(result.regressions, 0);
	row = find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_REGISTER_TIME);
	assert_row(row, 10 * MS, 20 * MS, 0);
	assert_true(row->limit_pct < 0);
	zdev_check_free(&result);

	compare(before, 1, now, 1, &time_at_50, &result);
	assert_int_equal(result.regressions, 2);
	row = find_row(&result, "fsdax pfn1.0", ZDEV_CHECK_REGISTER_TIME);
	assert_row(row, 10 * MS, 20 * MS, 1);
	assert_true(row->limit_pct == 50);
	assert_row(find_row(&result, "total", ZDEV_CHECK_REGISTER_TIME), 10 * MS, 20 * MS, 1);
	zdev_check_free(&result);

	compare(before, 1, now, 1, &time_at_150, &result);
	assert_int_equal(result.regressions, 0);
	zdev_check_free(&result);
}

static void vmemmap_cap_applies_whatever_the_baseline(void **state)
{
	const struct zdev_baseline_entry run[] = {
		entry_of("fsdax", "namespace1.0", 6 * MiB, 0, 0),
		entry_of("private", "owner 2", 4 * MiB, 0, 0),
	};
	const struct zdev_check_limits cap_8 = { .vmemmap_cap_set = 1, .max_vmemmap_bytes = 8 * MiB };
	const struct zdev_check_limits cap_10 = { .vmemmap_cap_set = 1, .max_vmemmap_bytes = 10 * MiB };
	struct zdev_check_result result;
	const struct zdev_check_row *row;

	(void)state;
	compare(run, 2, run, 2, &cap_8, &result);
	assert_int_equal(result.regressions, 1);
	row = find_row(&result, "total", ZDEV_CHECK_VMEMMAP_DRAM);
	assert_row(row, 10 * MiB, 10 * MiB, 1);
	assert_int_equal(row->cap_set, 1);
	assert_int_equal(row->cap, 8 * MiB);
	/* the cap is on the total only */
	assert_int_equal(find_row(&result, "fsdax namespace1.0", ZDEV_CHECK_VMEMMAP_DRAM)->cap_set, 0);
	zdev_check_free(&result);

	/* reaching the cap is allowed */
	compare(run, 2, run, 2, &cap_10, &result);
	assert_int_equal(result.regressions, 0);
	zdev_check_free(&result);
}

static void measure_names(void **state)
{
	(void)state;
	assert_string_equal(zdev_check_measure_name(ZDEV_CHECK_VMEMMAP_DRAM), "vmemmap DRAM");
	assert_string_equal(zdev_check_measure_name(ZDEV_CHECK_VMEMMAP_DEVICE), "vmemmap device");
	assert_string_equal(zdev_check_measure_name(ZDEV_CHECK_REGISTER_TIME), "registration time");
}

/* --- the renderers ------------------------------------------------------------------------------------------ */

static char *render_check(int (*renderer)(FILE *, const struct zdev_check_result *, const char *),
			  const struct zdev_check_result *result, const char *baseline_name)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(renderer(out, result, baseline_name), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* display columns: µ is two bytes and one column */
static size_t columns(const char *line, size_t bytes)
{
	size_t cols = 0;

	for (size_t i = 0; i < bytes; i++)
		cols += ((unsigned char)line[i] & 0xc0) != 0x80;
	return cols;
}

static void assert_fits_100_columns(const char *text)
{
	const char *line = text, *end;

	while ((end = strchr(line, '\n'))) {
		if (columns(line, (size_t)(end - line)) > 100)
			fail_msg("line of %zu columns: %.*s", columns(line, (size_t)(end - line)), (int)(end - line), line);
		line = end + 1;
	}
	assert_int_equal(*line, '\0'); /* every line ends */
}

/* the result of the pfn1.0 regression, with time checked and a new pgmap under a cap: every verdict */
static void regression_result(struct zdev_check_result *result, const char *odd_device)
{
	const struct zdev_baseline_entry before[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 11 * MS),
		entry_of("devdax", "dax9.0", 1 * MiB, 0, 1 * MS),
	};
	const struct zdev_baseline_entry now[] = {
		entry_of("fsdax", "namespace1.0", 2 * MiB, 0, 3 * MS),
		entry_of("fsdax", "pfn1.0", 2 * MiB, 0, 11 * MS + 1500),
		entry_of("fsdax", odd_device, 64 * 1024, 0, 999),
	};
	const struct zdev_check_limits limits = {
		.max_increase_pct = 12.5, .time_checked = 1, .max_time_increase_pct = 50, .vmemmap_cap_set = 1,
		.max_vmemmap_bytes = 64 * MiB,
	};

	compare(before, 3, now, 3, &limits, result);
}

static void text_says_what_regressed(void **state)
{
	struct zdev_check_result result;
	char *text;

	(void)state;
	regression_result(&result, "pfn2.0");
	/* pfn1.0's DRAM; pfn2.0's DRAM and registration time, both from nothing; dax9.0's vmemmap, gone; the
	 * total DRAM */
	assert_int_equal(result.regressions, 6);
	text = render_check(zdev_render_check_text, &result, "baselines/lab.json");
	assert_fits_100_columns(text);
	assert_memory_equal(text, "zdevtrace check against baselines/lab.json: 6 regressions\n",
			    strlen("zdevtrace check against baselines/lab.json: 6 regressions\n"));
	assert_non_null(strstr(text, "REGRESSION"));
	assert_non_null(strstr(text, "fsdax pfn1.0"));
	assert_non_null(strstr(text, "+2097152 B"));
	/* whole lines: every verdict, the cap beside the percentage, "-" where a side has no such pgmap */
	assert_non_null(strstr(text, "\nPGMAP               MEASURE            BASELINE       NOW       CHANGE"
				     "      LIMIT  VERDICT\n"));
	assert_non_null(strstr(text, "\nfsdax pfn1.0        vmemmap DRAM            0 B     2 MiB   +2097152 B"
				     "     +12.5%  REGRESSION\n"));
	assert_non_null(strstr(text, "\nfsdax pfn1.0        registration time   11.0 ms   11.0 ms     +1.5 µs"
				     "       +50%  ok\n"));
	assert_non_null(strstr(text, "\ndevdax dax9.0       vmemmap DRAM          1 MiB         -   -1048576 B"
				     "     +12.5%  GONE\n"));
	assert_non_null(strstr(text, "\nfsdax pfn2.0        vmemmap DRAM              -    64 KiB     +65536 B"
				     "     +12.5%  REGRESSION (new)\n"));
	assert_non_null(strstr(text, "\nfsdax pfn2.0        vmemmap device            -       0 B            0"
				     "     +12.5%  new\n"));
	assert_non_null(strstr(text, "\ntotal               vmemmap DRAM          3 MiB   4.1 MiB   +1114112 B"
				     " +12.5%, <=64 MiB  REGRESSION\n"));
	free(text);
	zdev_check_free(&result);
}

static void text_of_a_pass(void **state)
{
	const struct zdev_baseline_entry run[] = { entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 11 * MS) };
	struct zdev_check_result result;
	char *text;

	(void)state;
	compare(run, 1, run, 1, &default_limits, &result);
	text = render_check(zdev_render_check_text, &result, "lab.json");
	assert_fits_100_columns(text);
	assert_memory_equal(text, "zdevtrace check against lab.json: 0 regressions\n",
			    strlen("zdevtrace check against lab.json: 0 regressions\n"));
	assert_null(strstr(text, "REGRESSION"));
	assert_non_null(strstr(text, "\nfsdax pfn1.0        registration time   11.0 ms   11.0 ms            0"
				     "          -  not checked\n"));
	free(text);

	/* JUnit: what was not checked is skipped, not passed */
	text = render_check(zdev_render_check_junit, &result, "lab.json");
	assert_non_null(strstr(text, "tests=\"6\" failures=\"0\""));
	assert_null(strstr(text, "<failure"));
	assert_non_null(strstr(text, "<testcase classname=\"zdev.vmemmap.total\" name=\"registration time\">"
				     "<skipped message=\"not checked (no limit given)\"/></testcase>"));
	assert_non_null(strstr(text, "<testcase classname=\"zdev.vmemmap.total\" name=\"vmemmap DRAM\"></testcase>"));
	free(text);
	zdev_check_free(&result);
}

static void junit_counts_and_fails_the_regressions(void **state)
{
	struct zdev_check_result result;
	char *xml;

	(void)state;
	regression_result(&result, "pfn2.0");
	xml = render_check(zdev_render_check_junit, &result, "lab.json");
	assert_memory_equal(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39);
	assert_non_null(strstr(xml, "<testsuites name=\"zdevtrace check\" tests=\"15\" failures=\"6\">"));
	assert_non_null(strstr(xml, "<testsuite name=\"zdev.vmemmap\" tests=\"15\" failures=\"6\">"));
	assert_non_null(strstr(xml, "<testcase classname=\"zdev.vmemmap.devdax dax9.0\" name=\"vmemmap DRAM\">"
				    "<failure message=\"devdax dax9.0: vmemmap DRAM gone (1 MiB in the baseline; not "
				    "registered in this run)\" type=\"gone\"/></testcase>"));
	assert_non_null(strstr(xml, "<testcase classname=\"zdev.vmemmap.fsdax pfn1.0\" name=\"vmemmap DRAM\">"
				    "<failure message=\"fsdax pfn1.0: vmemmap DRAM grew by +2097152 B (0 B -> 2 MiB, "
				    "limit +12.5%)\" type=\"regression\"/></testcase>"));
	assert_non_null(strstr(xml, "<failure message=\"fsdax pfn2.0: vmemmap DRAM grew by +65536 B "
				    "(not in the baseline -> 64 KiB, limit +12.5%)\" type=\"regression\"/>"));
	assert_non_null(strstr(xml, "<property name=\"baseline\" value=\"lab.json\"/>"));
	assert_true(strlen(xml) > 0 && !strcmp(xml + strlen(xml) - strlen("</testsuites>\n"), "</testsuites>\n"));
	free(xml);
	zdev_check_free(&result);
}

static void junit_escapes_what_it_is_given(void **state)
{
	struct zdev_check_result result;
	char *xml;

	(void)state;
	regression_result(&result, "a<b&\"c");
	xml = render_check(zdev_render_check_junit, &result, "it's <mine> & \"yours\"");
	assert_non_null(strstr(xml, "classname=\"zdev.vmemmap.fsdax a&lt;b&amp;&quot;c\""));
	assert_non_null(strstr(xml, "<failure message=\"fsdax a&lt;b&amp;&quot;c: vmemmap DRAM grew"));
	assert_non_null(strstr(xml, "value=\"it&apos;s &lt;mine&gt; &amp; &quot;yours&quot;\""));
	assert_null(strstr(xml, "a<b"));
	free(xml);
	zdev_check_free(&result);

	/* control characters (a device name from an edited baseline) never reach the XML */
	regression_result(&result, "bad\001dev\n\x1f");
	xml = render_check(zdev_render_check_junit, &result, "lab\r.json");
	assert_non_null(strstr(xml, "classname=\"zdev.vmemmap.fsdax bad?dev??\""));
	assert_non_null(strstr(xml, "value=\"lab?.json\""));
	for (const char *c = xml; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\n')
			fail_msg("control character 0x%02x at byte %zu", (unsigned char)*c, (size_t)(c - xml));
	/* newlines only between elements, never inside an attribute */
	for (const char *c = strchr(xml, '\n'); c; c = strchr(c + 1, '\n'))
		assert_true(c[-1] == '>');
	free(xml);
	zdev_check_free(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_runs_pass),
		cmocka_unit_test(memmap_moving_to_dram_is_a_regression),
		cmocka_unit_test(growth_within_max_increase_passes),
		cmocka_unit_test(new_pgmap_with_vmemmap_is_a_regression),
		cmocka_unit_test(gone_pgmap_fails_unless_allowed),
		cmocka_unit_test(registration_time_is_checked_only_when_asked),
		cmocka_unit_test(vmemmap_cap_applies_whatever_the_baseline),
		cmocka_unit_test(measure_names),
		cmocka_unit_test(text_says_what_regressed),
		cmocka_unit_test(text_of_a_pass),
		cmocka_unit_test(junit_counts_and_fails_the_regressions),
		cmocka_unit_test(junit_escapes_what_it_is_given),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
