// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The check's verdicts for scripts (check -f json): the same rows as the table, a figure a side does not
 * have as null (never 0), every failing row marked, and the kernels compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "check_fixtures.h"
#include "zdev/render.h"

static json_object *check_json(const struct zdev_check_result *result)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	json_object *root;

	assert_non_null(out);
	assert_int_equal(zdev_render_check_json(out, result, "lab.json"), 0);
	assert_int_equal(fclose(out), 0);
	root = json_tokener_parse(text);
	assert_non_null(root);
	free(text);
	return root;
}

static json_object *row_of(json_object *root, const char *pgmap, const char *measure)
{
	json_object *rows = json_object_object_get(root, "rows");

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);

		if (!strcmp(json_object_get_string(json_object_object_get(row, "pgmap")), pgmap) &&
		    !strcmp(json_object_get_string(json_object_object_get(row, "measure")), measure))
			return row;
	}
	fail_msg("no row for %s, %s", pgmap, measure);
	return NULL;
}

static const char *string_of(json_object *object, const char *key)
{
	return json_object_get_string(json_object_object_get(object, key));
}

/* present with the value null: a key left out would read as "not written" */
static void assert_null_member(json_object *object, const char *key)
{
	json_object *value = (json_object *)1;

	assert_true(json_object_object_get_ex(object, key, &value));
	assert_null(value);
}

static void json_has_every_verdict(void **state)
{
	const struct zdev_baseline_entry before[] = { entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 3 * MS),
						      entry_of("devdax", "dax9.0", MiB, 0, 3 * MS) };
	const struct zdev_baseline_entry now[] = { entry_of("fsdax", "pfn1.0", 2 * MiB, 0, 3 * MS),
						   entry_of("fsdax", "pfn2.0", 0, 0, 3 * MS) };
	const struct zdev_check_limits limits = { .max_increase_pct = 10, .vmemmap_cap_set = 1,
						  .max_vmemmap_bytes = 64 * MiB };
	struct zdev_baseline baseline, current;
	struct zdev_check_result result;
	json_object *root, *row;

	(void)state;
	baseline = baseline_with("6.12.0-lab", before, 2);
	current = baseline_with("6.12.0-lab", now, 2);
	assert_int_equal(zdev_check_compare(&baseline, &current, &limits, &result), 0);
	root = check_json(&result);
	assert_string_equal(string_of(root, "schema"), "zdev.check");
	assert_int_equal(json_object_get_int(json_object_object_get(root, "version")), 1);
	assert_string_equal(string_of(root, "baseline"), "lab.json");
	assert_false(json_object_get_boolean(json_object_object_get(root, "kernel_differs")));
	/* pfn1.0's DRAM, dax9.0's two vmemmap rows (gone), the total DRAM */
	assert_int_equal(json_object_get_int(json_object_object_get(root, "regressions")), 4);
	assert_int_equal(json_object_array_length(json_object_object_get(root, "rows")), result.count);

	row = row_of(root, "fsdax pfn1.0", "vmemmap DRAM");
	assert_string_equal(string_of(row, "verdict"), "regression");
	assert_true(json_object_get_boolean(json_object_object_get(row, "regression")));
	assert_int_equal(json_object_get_uint64(json_object_object_get(row, "baseline")), 0);
	assert_int_equal(json_object_get_uint64(json_object_object_get(row, "current")), 2 * MiB);
	assert_string_equal(string_of(row, "unit"), "bytes");
	assert_null_member(row, "cap_bytes");

	row = row_of(root, "devdax dax9.0", "vmemmap DRAM");
	assert_string_equal(string_of(row, "verdict"), "gone");
	assert_true(json_object_get_boolean(json_object_object_get(row, "regression")));
	assert_null_member(row, "current");

	row = row_of(root, "fsdax pfn2.0", "vmemmap DRAM");
	assert_string_equal(string_of(row, "verdict"), "new");
	assert_null_member(row, "baseline");

	row = row_of(root, "fsdax pfn1.0", "registration time");
	assert_string_equal(string_of(row, "verdict"), "not_checked");
	assert_string_equal(string_of(row, "unit"), "ns");
	assert_null_member(row, "limit_pct");

	row = row_of(root, "total", "vmemmap DRAM");
	assert_int_equal(json_object_get_uint64(json_object_object_get(row, "cap_bytes")), 64 * MiB);
	json_object_put(root);
	zdev_check_free(&result);
	zdev_baseline_free(&baseline);
	zdev_baseline_free(&current);
}

static void kernels_are_compared(void **state)
{
	const struct zdev_baseline_entry run[] = { entry_of("fsdax", "pfn1.0", 0, 2 * MiB, 3 * MS) };
	const struct zdev_check_limits limits = { 0 };
	struct zdev_baseline baseline, current;
	struct zdev_check_result result;
	json_object *root;

	(void)state;
	baseline = baseline_with("6.1.0-28-amd64", run, 1);
	current = baseline_with("6.12.0-lab", run, 1);
	assert_int_equal(zdev_check_compare(&baseline, &current, &limits, &result), 0);
	assert_true(result.kernel_differs);
	assert_int_equal(result.regressions, 0);
	root = check_json(&result);
	assert_true(json_object_get_boolean(json_object_object_get(root, "kernel_differs")));
	assert_string_equal(string_of(root, "baseline_kernel"), "6.1.0-28-amd64");
	assert_string_equal(string_of(root, "kernel"), "6.12.0-lab");
	json_object_put(root);
	zdev_check_free(&result);

	/* a baseline that does not say its kernel is no difference, and its kernel is null */
	baseline.kernel[0] = '\0';
	assert_int_equal(zdev_check_compare(&baseline, &current, &limits, &result), 0);
	assert_false(result.kernel_differs);
	root = check_json(&result);
	assert_null_member(root, "baseline_kernel");
	json_object_put(root);
	zdev_check_free(&result);
	zdev_baseline_free(&baseline);
	zdev_baseline_free(&current);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_has_every_verdict),
		cmocka_unit_test(kernels_are_compared),
	};

	return cmocka_run_group_tests_name("check_json", tests, NULL, NULL);
}
