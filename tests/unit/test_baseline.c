// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Baselines: a run's cost per pgmap type and device taken from the model, its JSON, and the reader of that
 * JSON (every refusal with its reason). The comparison and its renderings are test_check.c's.
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

/* --- the baseline of a model --------------------------------------------------------------------------- */

static void assert_entry(const struct zdev_baseline_entry *entry, const char *type, const char *device,
			 uint64_t pgmaps, uint64_t dram, uint64_t on_device, uint64_t register_ns)
{
	assert_string_equal(entry->type, type);
	assert_string_equal(entry->device, device);
	assert_int_equal(entry->pgmaps, pgmaps);
	assert_int_equal(entry->vmemmap_dram_bytes, dram);
	assert_int_equal(entry->vmemmap_device_bytes, on_device);
	assert_int_equal(entry->register_ns, register_ns);
}

/* the baseline build_check_model's model gives */
static void assert_check_baseline(const struct zdev_baseline *baseline)
{
	assert_string_equal(baseline->kernel, KERNEL_RELEASE);
	assert_int_equal(baseline->count, 3);
	assert_entry(&baseline->entries[0], "fsdax", "namespace1.0", 2, 6 * MiB, 0, 10 * MS);
	assert_entry(&baseline->entries[1], "fsdax", "pfn1.0", 1, 0, 2 * MiB, 11 * MS);
	assert_entry(&baseline->entries[2], "private", "owner 2", 1, 4 * MiB, 0, 4 * MS);
	assert_int_equal(baseline->vmemmap_dram_bytes, 10 * MiB);
	assert_int_equal(baseline->vmemmap_device_bytes, 2 * MiB);
	assert_int_equal(baseline->register_ns, 25 * MS);
}

static void baseline_sums_the_runs_registrations(void **state)
{
	struct zdev_model model;
	struct zdev_baseline baseline;

	(void)state;
	build_check_model(&model);
	assert_int_equal(zdev_baseline_from_model(&model, KERNEL_RELEASE, &baseline), 0);
	assert_check_baseline(&baseline);
	zdev_baseline_free(&baseline);
	assert_null(baseline.entries);
	assert_int_equal(baseline.count, 0);
	zdev_model_free(&model);
}

static void baseline_of_a_pgmap_without_device_or_owner(void **state)
{
	struct zdev_model model;
	struct zdev_baseline baseline;
	struct zdev_event coherent = timed_map(0x1, ZDEV_PGMAP_COHERENT, 0x40000000, 128 * MiB, NULL, 2 * MS);

	(void)state;
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	assert_int_equal(zdev_model_apply(&model, &coherent), 0);
	assert_int_equal(zdev_baseline_from_model(&model, NULL, &baseline), 0);
	assert_string_equal(baseline.kernel, "");
	assert_int_equal(baseline.count, 1);
	assert_entry(&baseline.entries[0], "coherent", "(none)", 1, 2 * MiB, 0, 2 * MS);
	zdev_baseline_free(&baseline);
	zdev_model_free(&model);
}

static void baseline_of_an_empty_run(void **state)
{
	struct zdev_model model;
	struct zdev_baseline baseline, parsed;
	char error[200] = "";
	char *text;

	(void)state;
	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	assert_int_equal(zdev_baseline_from_model(&model, KERNEL_RELEASE, &baseline), 0);
	assert_int_equal(baseline.count, 0);
	assert_int_equal(baseline.vmemmap_dram_bytes, 0);
	text = zdev_baseline_to_json(&baseline);
	assert_non_null(text);
	assert_int_equal(zdev_baseline_parse(text, strlen(text), &parsed, error, sizeof(error)), 0);
	assert_int_equal(parsed.count, 0);
	assert_non_null(parsed.entries); /* an empty run is a baseline, not an error */
	free(text);
	zdev_baseline_free(&parsed);
	zdev_baseline_free(&baseline);
	zdev_model_free(&model);
}

/* --- JSON -------------------------------------------------------------------------------------------------- */

static void json_round_trip(void **state)
{
	struct zdev_model model;
	struct zdev_baseline baseline, parsed;
	json_object *root, *value;
	char error[200] = "";
	char *text;

	(void)state;
	build_check_model(&model);
	assert_int_equal(zdev_baseline_from_model(&model, KERNEL_RELEASE, &baseline), 0);
	text = zdev_baseline_to_json(&baseline);
	assert_non_null(text);

	/* the document says what it is */
	root = json_tokener_parse(text);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "schema", &value));
	assert_string_equal(json_object_get_string(value), ZDEV_BASELINE_SCHEMA);
	assert_true(json_object_object_get_ex(root, "version", &value));
	assert_int_equal(json_object_get_int(value), ZDEV_BASELINE_VERSION);
	assert_true(json_object_object_get_ex(root, "totals", &value));
	assert_true(json_object_object_get_ex(value, "vmemmap_dram_bytes", &value));
	assert_int_equal(json_object_get_int64(value), 10 * MiB);
	json_object_put(root);

	assert_int_equal(zdev_baseline_parse(text, strlen(text), &parsed, error, sizeof(error)), 0);
	assert_string_equal(error, "");
	assert_check_baseline(&parsed);
	free(text);
	zdev_baseline_free(&parsed);
	zdev_baseline_free(&baseline);
	zdev_model_free(&model);
}

/* fields up to 2^64 - 1 survive: json-c holds what does not fit an int64 as a uint64 */
static void json_round_trip_of_the_largest_values(void **state)
{
	struct zdev_baseline_entry entry = { "fsdax", "pfn1.0", UINT64_MAX, UINT64_MAX - 1, 0, UINT64_MAX };
	struct zdev_baseline baseline = { .kernel = KERNEL_RELEASE, .entries = &entry, .count = 1 }, parsed;
	char error[200] = "";
	char *text = zdev_baseline_to_json(&baseline);

	(void)state;
	assert_non_null(text);
	assert_int_equal(zdev_baseline_parse(text, strlen(text), &parsed, error, sizeof(error)), 0);
	assert_entry(&parsed.entries[0], "fsdax", "pfn1.0", UINT64_MAX, UINT64_MAX - 1, 0, UINT64_MAX);
	free(text);
	zdev_baseline_free(&parsed);
}

#define ENTRY(type, device) "{ \"type\": \"" type "\", \"device\": \"" device "\", \"pgmaps\": 1, " \
	"\"vmemmap_dram_bytes\": 2097152, \"vmemmap_device_bytes\": 0, \"register_ns\": 5000000 }"
#define BASELINE(entries) "{ \"schema\": \"zdev.baseline\", \"version\": 1, \"kernel\": \"" KERNEL_RELEASE "\", " \
	"\"entries\": [ " entries " ] }"

/* refused, with this message, and nothing left allocated in the baseline */
static void assert_refused(const char *text, size_t len, const char *message)
{
	struct zdev_baseline baseline;
	char error[200] = "";

	if (zdev_baseline_parse(text, len, &baseline, error, sizeof(error)) != -1)
		fail_msg("accepted: %.*s", (int)(len < 200 ? len : 200), text);
	assert_string_equal(error, message);
	assert_null(baseline.entries);
	assert_int_equal(baseline.count, 0);
}

#define REFUSED(text, message) assert_refused(text, strlen(text), message)

static void assert_accepted(const char *text, struct zdev_baseline *baseline)
{
	char error[200] = "";

	if (zdev_baseline_parse(text, strlen(text), baseline, error, sizeof(error)))
		fail_msg("refused (%s): %s", error, text);
}

static void parse_refuses_what_is_not_json(void **state)
{
	static const char not_json[] = "zdev baseline, trust me";
	static const char whole[] = BASELINE(ENTRY("fsdax", "pfn1.0"));
	static const char trailing[] = BASELINE(ENTRY("fsdax", "pfn1.0")) "\n{}";
	struct zdev_baseline baseline;
	char error[200], message[200];

	(void)state;
	/* json-c's own words for what is wrong come between; where it stopped comes last */
	assert_int_equal(zdev_baseline_parse(not_json, strlen(not_json), &baseline, error, sizeof(error)), -1);
	assert_memory_equal(error, "not JSON: ", strlen("not JSON: "));
	assert_string_equal(error + strlen(error) - strlen(" at byte 0"), " at byte 0");
	assert_null(baseline.entries);

	/* a copy cut short, and an empty file: the text ends inside the document */
	snprintf(message, sizeof(message), "not JSON: unexpected end of data at byte %zu", strlen(whole) - 3);
	assert_refused(whole, strlen(whole) - 3, message);
	assert_refused("", 0, "not JSON: unexpected end of data at byte 0");

	snprintf(message, sizeof(message), "not JSON: trailing data at byte %zu", strlen(trailing) - 2);
	assert_refused(trailing, strlen(trailing), message);
	assert_refused("{}x", 3, "not JSON: trailing data at byte 2");
	/* the length is the caller's: a NUL inside it is not the end of the text */
	snprintf(message, sizeof(message), "not JSON: trailing data at byte %zu", strlen(whole));
	assert_refused(whole, sizeof(whole), message);
}

static void parse_refuses_what_is_not_a_baseline(void **state)
{
	(void)state;
	REFUSED("[]", "not a zdev baseline (schema is not \"zdev.baseline\")");
	REFUSED("{ \"version\": 1, \"entries\": [] }", "not a zdev baseline (schema is not \"zdev.baseline\")");
	REFUSED("{ \"schema\": \"zdev.report\", \"version\": 1, \"entries\": [] }",
		"not a zdev baseline (schema is not \"zdev.baseline\")");
	REFUSED("{ \"schema\": 1, \"version\": 1, \"entries\": [] }",
		"not a zdev baseline (schema is not \"zdev.baseline\")");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"version\": 2, \"entries\": [] }",
		"baseline version 2 is newer than this zdevtrace reads (1): update zdev");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"version\": 0, \"entries\": [] }",
		"the baseline has no valid \"version\"");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"version\": \"1\", \"entries\": [] }",
		"the baseline has no valid \"version\"");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"entries\": [] }", "the baseline has no valid \"version\"");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"version\": 1 }", "the baseline has no \"entries\" array");
	REFUSED("{ \"schema\": \"zdev.baseline\", \"version\": 1, \"entries\": {} }",
		"the baseline has no \"entries\" array");
}

static void parse_refuses_a_bad_entry(void **state)
{
	(void)state;
	REFUSED(BASELINE("{ \"type\": \"fsdax\", \"device\": \"pfn1.0\", \"pgmaps\": -1, \"vmemmap_dram_bytes\": 0, "
			 "\"vmemmap_device_bytes\": 0, \"register_ns\": 0 }"),
		"entry 0: field \"pgmaps\" is negative");
	REFUSED(BASELINE(ENTRY("fsdax", "pfn0.0") ", { \"type\": \"fsdax\", \"device\": \"pfn1.0\", \"pgmaps\": 1, "
			 "\"vmemmap_dram_bytes\": \"2097152\", \"vmemmap_device_bytes\": 0, \"register_ns\": 0 }"),
		"entry 1: field \"vmemmap_dram_bytes\" is missing or not an integer");
	REFUSED(BASELINE("{ \"type\": \"fsdax\", \"device\": \"pfn1.0\", \"pgmaps\": 1, \"vmemmap_dram_bytes\": 0, "
			 "\"vmemmap_device_bytes\": 0 }"),
		"entry 0: field \"register_ns\" is missing or not an integer");
	REFUSED(BASELINE("{ \"type\": \"fsdax\", \"device\": \"pfn1.0\", \"pgmaps\": 1, \"vmemmap_dram_bytes\": 0, "
			 "\"vmemmap_device_bytes\": 1.5, \"register_ns\": 0 }"),
		"entry 0: field \"vmemmap_device_bytes\" is missing or not an integer");
	REFUSED(BASELINE("{ \"type\": \"fsdax\", \"device\": 7, \"pgmaps\": 1, \"vmemmap_dram_bytes\": 0, "
			 "\"vmemmap_device_bytes\": 0, \"register_ns\": 0 }"),
		"entry 0: field \"device\" is missing or not a string");
	REFUSED(BASELINE("{ \"device\": \"pfn1.0\", \"pgmaps\": 1, \"vmemmap_dram_bytes\": 0, "
			 "\"vmemmap_device_bytes\": 0, \"register_ns\": 0 }"),
		"entry 0: field \"type\" is missing or not a string");
	REFUSED(BASELINE("[]"), "entry 0: not an object");
	REFUSED(BASELINE("null"), "entry 0: not an object");
	/* 48 characters: one more than the field holds with its NUL */
	REFUSED(BASELINE(ENTRY("fsdax", "0123456789abcdef0123456789abcdef0123456789abcdef")),
		"entry 0: field \"device\" is longer than 47 characters");
	REFUSED(BASELINE(ENTRY("fsdax-but-longer", "pfn1.0")), "entry 0: field \"type\" is longer than 15 characters");
	REFUSED(BASELINE(ENTRY("fsdax", "pfn0.0") ", " ENTRY("fsdax", "pfn1.0") ", " ENTRY("fsdax", "pfn1.0")),
		"entry 2: fsdax pfn1.0 appears twice");
}

static void parse_accepts_the_longest_device(void **state)
{
	struct zdev_baseline baseline;

	(void)state;
	assert_accepted(BASELINE(ENTRY("fsdax", "0123456789abcdef0123456789abcdef0123456789abcde")), &baseline);
	assert_string_equal(baseline.entries[0].device, "0123456789abcdef0123456789abcdef0123456789abcde");
	zdev_baseline_free(&baseline);
}

/* a document of `count` entries, the devices "d0", "d1", ... */
static char *baseline_of(size_t count)
{
	size_t size = 200 + count * 200, used;
	char *text = malloc(size);

	assert_non_null(text);
	used = (size_t)snprintf(text, size, "{ \"schema\": \"zdev.baseline\", \"version\": 1, \"entries\": [");
	for (size_t i = 0; i < count; i++)
		used += (size_t)snprintf(text + used, size - used, "%s{ \"type\": \"fsdax\", \"device\": \"d%zu\", "
					 "\"pgmaps\": 1, \"vmemmap_dram_bytes\": 1, \"vmemmap_device_bytes\": 0, "
					 "\"register_ns\": 0 }", i ? ", " : "", i);
	snprintf(text + used, size - used, "] }");
	return text;
}

static void parse_bounds_the_entries(void **state)
{
	struct zdev_baseline baseline;
	char message[200];
	char *text;

	(void)state;
	text = baseline_of(ZDEV_BASELINE_MAX_ENTRIES + 1);
	snprintf(message, sizeof(message), "the baseline has %d entries, more than %d", ZDEV_BASELINE_MAX_ENTRIES + 1,
		 ZDEV_BASELINE_MAX_ENTRIES);
	assert_refused(text, strlen(text), message);
	free(text);

	text = baseline_of(ZDEV_BASELINE_MAX_ENTRIES);
	assert_accepted(text, &baseline);
	assert_int_equal(baseline.count, ZDEV_BASELINE_MAX_ENTRIES);
	assert_int_equal(baseline.vmemmap_dram_bytes, ZDEV_BASELINE_MAX_ENTRIES);
	assert_string_equal(baseline.entries[ZDEV_BASELINE_MAX_ENTRIES - 1].device, "d4095");
	zdev_baseline_free(&baseline);
	free(text);
}

static void parse_accepts_what_a_person_may_add(void **state)
{
	struct zdev_baseline baseline;

	(void)state;
	/* a trailing newline (an editor's), whitespace, and fields this version does not know */
	assert_accepted(BASELINE(ENTRY("fsdax", "pfn1.0")) "\n", &baseline);
	assert_int_equal(baseline.count, 1);
	zdev_baseline_free(&baseline);
	assert_accepted(BASELINE(ENTRY("fsdax", "pfn1.0")) " \r\n\t\n", &baseline);
	zdev_baseline_free(&baseline);
	assert_accepted("{ \"schema\": \"zdev.baseline\", \"version\": 1, \"comment\": \"taken on the lab kernel\", "
			"\"entries\": [ { \"type\": \"fsdax\", \"device\": \"pfn1.0\", \"pgmaps\": 2, \"note\": [ 1, 2 ], "
			"\"vmemmap_dram_bytes\": 3, \"vmemmap_device_bytes\": 4, \"register_ns\": 5 } ], "
			"\"totals\": { \"vmemmap_dram_bytes\": 999 } }", &baseline);
	assert_string_equal(baseline.kernel, ""); /* optional */
	assert_int_equal(baseline.count, 1);
	assert_entry(&baseline.entries[0], "fsdax", "pfn1.0", 2, 3, 4, 5);
	/* the totals are the entries' sums, whatever the file says */
	assert_int_equal(baseline.vmemmap_dram_bytes, 3);
	assert_int_equal(baseline.vmemmap_device_bytes, 4);
	assert_int_equal(baseline.register_ns, 5);
	zdev_baseline_free(&baseline);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(baseline_sums_the_runs_registrations),
		cmocka_unit_test(baseline_of_a_pgmap_without_device_or_owner),
		cmocka_unit_test(baseline_of_an_empty_run),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(json_round_trip_of_the_largest_values),
		cmocka_unit_test(parse_refuses_what_is_not_json),
		cmocka_unit_test(parse_refuses_what_is_not_a_baseline),
		cmocka_unit_test(parse_refuses_a_bad_entry),
		cmocka_unit_test(parse_accepts_the_longest_device),
		cmocka_unit_test(parse_bounds_the_entries),
		cmocka_unit_test(parse_accepts_what_a_person_may_add),
	};

	return cmocka_run_group_tests_name("baseline", tests, NULL, NULL);
}
