// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Baselines and the check: a run's cost per pgmap type and device taken from the model, its JSON and the
 * reader of that JSON (every refusal with its reason), the comparison of two baselines against the limits,
 * and the check's two renderings (a table that fits 100 columns, JUnit XML that stays XML).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "records.h"
#include "zdev/baseline.h"
#include "zdev/render.h"

#define KERNEL_RELEASE "6.12.0-test"
#define MS 1000000ull

/* --- the baseline of a model --------------------------------------------------------------------------- */

static struct zdev_event timed_map(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes, const char *device,
				   uint64_t register_ns)
{
	struct zdev_event event = map_event(key, type, start, bytes, device);

	event.map.duration_ns = register_ns;
	return event;
}

/*
 * namespace1.0: two fsdax pgmaps, memmap in RAM (2 MiB + 4 MiB), the second unmapped again (its cost was
 * still paid); pfn1.0: fsdax with the memmap on the device (altmap, 2 MiB); a device-private pgmap without
 * a device, known by its owner (the second owner seen: a migration's came first); and three that are not
 * the run's registrations: a failed one, one present at start, one only seen going away.
 */
static void build_check_model(struct zdev_model *model)
{
	struct zdev_event first = timed_map(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace1.0", 3 * MS);
	struct zdev_event second = timed_map(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 256 * MiB, "namespace1.0", 7 * MS);
	struct zdev_event second_gone = unmap_event(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 256 * MiB);
	struct zdev_event on_device = timed_map(0x3, ZDEV_PGMAP_FS_DAX, 0x58000000, 128 * MiB, "pfn1.0", 11 * MS);
	struct zdev_event migration = migration_event(0xaa, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 16, 1000);
	struct zdev_event private = timed_map(0x4, ZDEV_PGMAP_PRIVATE, 0x100000000ull, 256 * MiB, NULL, 4 * MS);
	struct zdev_event failed = timed_map(0x5, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0", 1 * MS);
	struct zdev_event unseen = unmap_event(0x6, ZDEV_PGMAP_FS_DAX, 0x80000000, 128 * MiB);
	struct zdev_present_pgmap present = {
		.type = ZDEV_PGMAP_GENERIC, .device = "dax2.0", .range = { 0x60000000, 0x60000000 + 128 * MiB - 1 },
		.has_range = 1, .size_bytes = 128 * MiB, .source = "nd",
	};

	on_device.map.altmap_valid = 1;
	on_device.map.altmap_alloc = 512;
	private.map.owner_key = 0xbb;
	failed.map.result = -ENXIO;
	assert_int_equal(zdev_model_init(model, &x86_64_geometry), 0);
	assert_int_equal(zdev_model_add_present(model, &present), 0);
	assert_int_equal(zdev_model_apply(model, &first), 0);
	assert_int_equal(zdev_model_apply(model, &second), 0);
	assert_int_equal(zdev_model_apply(model, &second_gone), 0);
	assert_int_equal(zdev_model_apply(model, &on_device), 0);
	assert_int_equal(zdev_model_apply(model, &migration), 0);
	assert_int_equal(zdev_model_apply(model, &private), 0);
	assert_int_equal(zdev_model_apply(model, &failed), 0);
	assert_int_equal(zdev_model_apply(model, &unseen), 0);
	/* what the excluded ones would have added, had they been counted */
	assert_int_equal(model->nr_pgmaps, 7);
	assert_int_equal(model->pgmaps[0].vmemmap_dram_bytes, 2 * MiB);   /* present at start */
	assert_int_equal(model->pgmaps[5].register_ns, 1 * MS);           /* failed */
	assert_int_equal(model->pgmaps[6].vmemmap_dram_bytes, 2 * MiB);   /* unseen */
	assert_int_equal(model->pgmaps[4].owner_id, 2);
}

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

/* --- the comparison ---------------------------------------------------------------------------------------- */

static struct zdev_baseline_entry entry_of(const char *type, const char *device, uint64_t dram, uint64_t on_device,
					   uint64_t register_ns)
{
	struct zdev_baseline_entry entry;

	memset(&entry, 0, sizeof(entry));
	snprintf(entry.type, sizeof(entry.type), "%s", type);
	snprintf(entry.device, sizeof(entry.device), "%s", device);
	entry.pgmaps = 1;
	entry.vmemmap_dram_bytes = dram;
	entry.vmemmap_device_bytes = on_device;
	entry.register_ns = register_ns;
	return entry;
}

/* a baseline holding copies of these entries, with their totals */
static struct zdev_baseline baseline_with(const struct zdev_baseline_entry *entries, size_t count)
{
	struct zdev_baseline baseline;

	memset(&baseline, 0, sizeof(baseline));
	snprintf(baseline.kernel, sizeof(baseline.kernel), "%s", KERNEL_RELEASE);
	baseline.entries = calloc(count ? count : 1, sizeof(*entries));
	assert_non_null(baseline.entries);
	memcpy(baseline.entries, entries, count * sizeof(*entries));
	baseline.count = count;
	for (size_t i = 0; i < count; i++) {
		baseline.vmemmap_dram_bytes += entries[i].vmemmap_dram_bytes;
		baseline.vmemmap_device_bytes += entries[i].vmemmap_device_bytes;
		baseline.register_ns += entries[i].register_ns;
	}
	return baseline;
}

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
	struct zdev_baseline baseline = baseline_with(before, before_count), current = baseline_with(now, now_count);

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
