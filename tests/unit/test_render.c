// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The renderers: text fits 100 columns and says what the model holds; JSON follows the schema. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "records.h"
#include "zdev/render.h"

struct fixture {
	struct zdev_model model;
	struct zdev_probe_table probes;
	struct zdev_run_info run;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct zdev_event raw = map_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB, "namespace0.0");
	struct zdev_event dev = map_event(0x2, ZDEV_PGMAP_FS_DAX, 0x48000000, 128 * MiB, "pfn1.0");
	struct zdev_event failed = map_event(0x3, ZDEV_PGMAP_P2PDMA, 0xfe000000, 64 * MiB, "0000:00:05.0");
	struct zdev_event gone = unmap_event(0x1, ZDEV_PGMAP_FS_DAX, 0x40000000, 128 * MiB);

	assert_non_null(f);
	assert_int_equal(zdev_model_init(&f->model, &x86_64_geometry), 0);
	dev.map.altmap_valid = 1;
	dev.map.altmap_alloc = 512;
	failed.map.result = -12;
	zdev_model_apply(&f->model, &raw);
	zdev_model_apply(&f->model, &dev);
	zdev_model_apply(&f->model, &failed);
	zdev_model_apply(&f->model, &gone);
	zdev_model_add_dropped(&f->model, 2);
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		f->probes.rows[i].function = "memremap_pages";
		f->probes.rows[i].feeds = "pgmaps";
		f->probes.rows[i].mode = i == 2 ? ZDEV_VIA_NONE : ZDEV_VIA_FENTRY;
	}
	snprintf(f->probes.rows[2].why, sizeof(f->probes.rows[2].why), "no such function in this kernel");
	f->run = (struct zdev_run_info){ .kernel_release = "6.12.117-zdev-lab", .traced_seconds = 2.5, .probes = &f->probes };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	zdev_model_free(&f->model);
	free(f);
	return 0;
}

static char *render(int (*renderer)(FILE *, const struct zdev_model *, const struct zdev_run_info *),
		    struct fixture *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(renderer(out, &f->model, &f->run), 0);
	fclose(out);
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

static void text_fits_100_columns(void **state)
{
	char *text = render(zdev_render_text, *state), *line = text, *end;

	while ((end = strchr(line, '\n'))) {
		if (columns(line, (size_t)(end - line)) > 100)
			fail_msg("line over 100 columns: %.*s", (int)(end - line), line);
		line = end + 1;
	}
	free(text);
}

static void text_says_what_the_model_holds(void **state)
{
	char *text = render(zdev_render_text, *state);

	assert_non_null(strstr(text, "3 pgmaps: 1 live, 1 unmapped, 1 failed"));
	assert_non_null(strstr(text, "2 dropped"));
	assert_non_null(strstr(text, "pfn1.0"));
	assert_non_null(strstr(text, "registration failed with ENOMEM"));
	assert_non_null(strstr(text, "OFF (no such function in this kernel)"));
	assert_non_null(strstr(text, "2 MiB"));
	assert_null(strstr(text, "0xffff")); /* never a kernel pointer */
	free(text);
}

static void json_follows_the_schema(void **state)
{
	char *text = render(zdev_render_json, *state);
	json_object *root = json_tokener_parse(text), *value, *pgmaps, *pgmap;

	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "schema", &value));
	assert_string_equal(json_object_get_string(value), "zdev.report");
	assert_true(json_object_object_get_ex(root, "schema_version", &value));
	assert_int_equal(json_object_get_int(value), 1);
	assert_true(json_object_object_get_ex(root, "dropped_records", &value));
	assert_int_equal(json_object_get_int64(value), 2);
	assert_true(json_object_object_get_ex(root, "pgmaps", &pgmaps));
	assert_int_equal(json_object_array_length(pgmaps), 3);
	pgmap = json_object_array_get_idx(pgmaps, 1);
	assert_true(json_object_object_get_ex(pgmap, "vmemmap_device_bytes", &value));
	assert_int_equal(json_object_get_int64(value), 2 * MiB);
	assert_true(json_object_object_get_ex(pgmap, "vmemmap_dram_bytes", &value));
	assert_int_equal(json_object_get_int64(value), 0);
	assert_true(json_object_object_get_ex(pgmap, "state", &value));
	assert_string_equal(json_object_get_string(value), "live");
	assert_true(json_object_object_get_ex(root, "anomalies", &value));
	assert_int_equal(json_object_array_length(value), 1);
	json_object_put(root);
	free(text);
}

/* the drm_pagemap probes off (module not loaded), and no calls: no section, no record type in JSON, as in
 * a report of a record file from a build without them */
static void drm_pagemap_is_left_out_when_it_could_not_be_seen(void **state)
{
	struct fixture *f = *state;
	char *text, *json;
	json_object *root, *value;

	for (int hook = ZDEV_HOOK_DRM_PAGEMAP_FIRST; hook <= ZDEV_HOOK_DRM_PAGEMAP_LAST; hook++)
		f->probes.rows[hook].mode = ZDEV_VIA_NONE;
	text = render(zdev_render_text, f);
	json = render(zdev_render_json, f);
	root = json_tokener_parse(json);
	assert_null(strstr(text, "DRM PAGEMAP"));
	assert_false(json_object_object_get_ex(root, "drm_pagemap", &value));
	assert_true(json_object_object_get_ex(root, "records_by_type", &value));
	assert_false(json_object_object_get_ex(value, "drm_pagemap", NULL));
	assert_true(json_object_object_get_ex(value, "fault_migrations", NULL));
	json_object_put(root);
	free(text);
	free(json);
	/* no probe table at all (a replay of a file without one) */
	f->run.probes = NULL;
	text = render(zdev_render_text, f);
	assert_null(strstr(text, "DRM PAGEMAP"));
	free(text);
}

/* attached: shown, empty; with calls: a row per function and owner */
static void drm_pagemap_rows_when_attached_or_seen(void **state)
{
	struct fixture *f = *state;
	struct zdev_event to_devmem = drm_pagemap_event(ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM, 0xa1, 0, 512, 2000000);
	struct zdev_event failed = drm_pagemap_event(ZDEV_DRM_PAGEMAP_EVICT_TO_RAM, 0, -16, 0, 1000);
	char *text = render(zdev_render_text, f), *json;
	json_object *root, *rows, *row, *value;

	assert_non_null(strstr(text, "DRM PAGEMAP"));
	assert_non_null(strstr(text, "(no calls while tracing)"));
	free(text);
	json = render(zdev_render_json, f);
	root = json_tokener_parse(json);
	assert_true(json_object_object_get_ex(root, "drm_pagemap", &rows));
	assert_int_equal(json_object_array_length(rows), 0);
	json_object_put(root);
	free(json);

	f->run.probes = NULL; /* calls seen are shown whatever the probe table */
	zdev_model_apply(&f->model, &to_devmem);
	zdev_model_apply(&f->model, &failed);
	text = render(zdev_render_text, f);
	assert_non_null(strstr(text, "migrate_to_devmem"));
	assert_non_null(strstr(text, "evict_to_ram"));
	free(text);
	json = render(zdev_render_json, f);
	root = json_tokener_parse(json);
	assert_true(json_object_object_get_ex(root, "drm_pagemap", &rows));
	assert_int_equal(json_object_array_length(rows), 2);
	row = json_object_array_get_idx(rows, 0);
	assert_true(json_object_object_get_ex(row, "function", &value));
	assert_string_equal(json_object_get_string(value), "migrate_to_devmem");
	assert_true(json_object_object_get_ex(row, "owner", &value));
	assert_int_equal(json_object_get_int(value), 1);
	assert_true(json_object_object_get_ex(row, "pages", &value));
	assert_int_equal(json_object_get_int64(value), 512);
	row = json_object_array_get_idx(rows, 1);
	assert_true(json_object_object_get_ex(row, "owner", &value));
	assert_null(value);
	assert_true(json_object_object_get_ex(row, "failed", &value));
	assert_int_equal(json_object_get_int64(value), 1);
	json_object_put(root);
	free(json);
}

static void units_are_humanised(void **state)
{
	char buf[32];

	(void)state;
	zdev_format_bytes(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0 B");
	zdev_format_bytes(buf, sizeof(buf), 2 * MiB);
	assert_string_equal(buf, "2 MiB");
	zdev_format_bytes(buf, sizeof(buf), 3 * (1ull << 30) / 2);
	assert_string_equal(buf, "1.5 GiB");
	zdev_format_ns(buf, sizeof(buf), 850);
	assert_string_equal(buf, "850 ns");
	zdev_format_ns(buf, sizeof(buf), 3200000);
	assert_string_equal(buf, "3.2 ms");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(text_fits_100_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(text_says_what_the_model_holds, setup, teardown),
		cmocka_unit_test_setup_teardown(json_follows_the_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_is_left_out_when_it_could_not_be_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(drm_pagemap_rows_when_attached_or_seen, setup, teardown),
		cmocka_unit_test(units_are_humanised),
	};

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
