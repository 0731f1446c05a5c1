// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The baseline (schema "zdev.baseline" v1): a run's vmemmap cost per pgmap type and device, as JSON, and
 * its reader. The reader takes any bytes (it is fuzzed): every field is type-checked, strings are bounded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "zdev/baseline.h"

static void entry_key(const struct zdev_pgmap *pgmap, char *device, size_t len)
{
	if (pgmap->device[0])
		snprintf(device, len, "%s", pgmap->device);
	else if (pgmap->owner_id)
		snprintf(device, len, "owner %u", pgmap->owner_id);
	else
		snprintf(device, len, "(none)");
}

static struct zdev_baseline_entry *find_entry(const struct zdev_baseline *baseline, const char *type,
					      const char *device)
{
	for (size_t i = 0; i < baseline->count; i++)
		if (!strcmp(baseline->entries[i].type, type) && !strcmp(baseline->entries[i].device, device))
			return &baseline->entries[i];
	return NULL;
}

int zdev_baseline_from_model(const struct zdev_model *model, const char *kernel, struct zdev_baseline *baseline)
{
	memset(baseline, 0, sizeof(*baseline));
	snprintf(baseline->kernel, sizeof(baseline->kernel), "%s", kernel ? kernel : "");
	/* at most one entry per pgmap */
	baseline->entries = calloc(model->nr_pgmaps ? model->nr_pgmaps : 1, sizeof(*baseline->entries));
	if (!baseline->entries)
		return -ENOMEM;
	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		const struct zdev_pgmap *pgmap = &model->pgmaps[i];
		struct zdev_baseline_entry *entry;
		char device[sizeof(entry->device)];

		if (!pgmap->seen_mapped || pgmap->result != 0)
			continue;
		entry_key(pgmap, device, sizeof(device));
		entry = find_entry(baseline, zdev_pgmap_type_name(pgmap->type), device);
		if (!entry) {
			entry = &baseline->entries[baseline->count++];
			snprintf(entry->type, sizeof(entry->type), "%s", zdev_pgmap_type_name(pgmap->type));
			memcpy(entry->device, device, sizeof(entry->device));
		}
		entry->pgmaps++;
		entry->vmemmap_dram_bytes += pgmap->vmemmap_dram_bytes;
		entry->vmemmap_device_bytes += pgmap->vmemmap_device_bytes;
		entry->register_ns += pgmap->register_ns;
		baseline->vmemmap_dram_bytes += pgmap->vmemmap_dram_bytes;
		baseline->vmemmap_device_bytes += pgmap->vmemmap_device_bytes;
		baseline->register_ns += pgmap->register_ns;
	}
	return 0;
}

char *zdev_baseline_to_json(const struct zdev_baseline *baseline)
{
	json_object *root = json_object_new_object(), *entries = json_object_new_array(), *totals;
	char *text = NULL;

	if (!root || !entries)
		goto cleanup;
	json_object_object_add(root, "schema", json_object_new_string(ZDEV_BASELINE_SCHEMA));
	json_object_object_add(root, "version", json_object_new_int(ZDEV_BASELINE_VERSION));
	json_object_object_add(root, "kernel", json_object_new_string(baseline->kernel));
	for (size_t i = 0; i < baseline->count; i++) {
		const struct zdev_baseline_entry *entry = &baseline->entries[i];
		json_object *item = json_object_new_object();

		json_object_object_add(item, "type", json_object_new_string(entry->type));
		json_object_object_add(item, "device", json_object_new_string(entry->device));
		json_object_object_add(item, "pgmaps", json_object_new_uint64(entry->pgmaps));
		json_object_object_add(item, "vmemmap_dram_bytes", json_object_new_uint64(entry->vmemmap_dram_bytes));
		json_object_object_add(item, "vmemmap_device_bytes", json_object_new_uint64(entry->vmemmap_device_bytes));
		json_object_object_add(item, "register_ns", json_object_new_uint64(entry->register_ns));
		json_object_array_add(entries, item);
	}
	json_object_object_add(root, "entries", entries);
	entries = NULL;
	totals = json_object_new_object();
	json_object_object_add(totals, "vmemmap_dram_bytes", json_object_new_uint64(baseline->vmemmap_dram_bytes));
	json_object_object_add(totals, "vmemmap_device_bytes", json_object_new_uint64(baseline->vmemmap_device_bytes));
	json_object_object_add(totals, "register_ns", json_object_new_uint64(baseline->register_ns));
	json_object_object_add(root, "totals", totals);
	text = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
cleanup:
	json_object_put(entries);
	json_object_put(root);
	return text;
}

/* a non-negative integer field; json-c parses big numbers as uint64 when they do not fit int64 */
static int get_count(json_object *object, const char *field, uint64_t *value, char *error, size_t error_len)
{
	json_object *item;

	if (!json_object_object_get_ex(object, field, &item) || !json_object_is_type(item, json_type_int)) {
		snprintf(error, error_len, "field \"%s\" is missing or not an integer", field);
		return -1;
	}
	errno = 0;
	if (json_object_get_int64(item) < 0) {
		snprintf(error, error_len, "field \"%s\" is negative", field);
		return -1;
	}
	*value = json_object_get_uint64(item);
	return 0;
}

static int get_string(json_object *object, const char *field, char *value, size_t len, char *error, size_t error_len)
{
	json_object *item;

	if (!json_object_object_get_ex(object, field, &item) || !json_object_is_type(item, json_type_string)) {
		snprintf(error, error_len, "field \"%s\" is missing or not a string", field);
		return -1;
	}
	if ((size_t)json_object_get_string_len(item) >= len) {
		snprintf(error, error_len, "field \"%s\" is longer than %zu characters", field, len - 1);
		return -1;
	}
	snprintf(value, len, "%s", json_object_get_string(item));
	return 0;
}

int zdev_baseline_parse(const char *text, size_t len, struct zdev_baseline *baseline, char *error, size_t error_len)
{
	struct json_tokener *tokener = json_tokener_new();
	json_object *root = NULL, *item, *entries;
	char field_error[120];
	size_t count;
	int err = -1;

	memset(baseline, 0, sizeof(*baseline));
	if (!tokener) {
		snprintf(error, error_len, "out of memory");
		return -1;
	}
	if (len > (size_t)INT32_MAX) {
		snprintf(error, error_len, "not a baseline: %zu bytes", len);
		goto cleanup;
	}
	root = json_tokener_parse_ex(tokener, text, (int)len);
	if (!root || json_tokener_get_error(tokener) != json_tokener_success ||
	    json_tokener_get_parse_end(tokener) < len) {
		/* trailing whitespace after the document is fine */
		size_t end = json_tokener_get_parse_end(tokener);

		while (root && end < len && (text[end] == ' ' || text[end] == '\n' || text[end] == '\t' || text[end] == '\r'))
			end++;
		if (!root || end < len) {
			enum json_tokener_error parse_error = json_tokener_get_error(tokener);

			/* "continue" is json-c waiting for more: the text ended inside the document (cut, empty) */
			if (parse_error == json_tokener_continue)
				parse_error = json_tokener_error_parse_eof;
			snprintf(error, error_len, "not JSON: %s at byte %zu",
				 root ? "trailing data" : json_tokener_error_desc(parse_error),
				 (size_t)json_tokener_get_parse_end(tokener));
			goto cleanup;
		}
	}
	if (!json_object_is_type(root, json_type_object) || !json_object_object_get_ex(root, "schema", &item) ||
	    !json_object_is_type(item, json_type_string) || strcmp(json_object_get_string(item), ZDEV_BASELINE_SCHEMA)) {
		snprintf(error, error_len, "not a zdev baseline (schema is not \"%s\")", ZDEV_BASELINE_SCHEMA);
		goto cleanup;
	}
	if (!json_object_object_get_ex(root, "version", &item) || !json_object_is_type(item, json_type_int) ||
	    json_object_get_int64(item) < 1) {
		snprintf(error, error_len, "the baseline has no valid \"version\"");
		goto cleanup;
	}
	if (json_object_get_int64(item) > ZDEV_BASELINE_VERSION) {
		snprintf(error, error_len, "baseline version %lld is newer than this zdevtrace reads (%d): update zdev",
			 (long long)json_object_get_int64(item), ZDEV_BASELINE_VERSION);
		goto cleanup;
	}
	if (json_object_object_get_ex(root, "kernel", &item) && json_object_is_type(item, json_type_string))
		snprintf(baseline->kernel, sizeof(baseline->kernel), "%s", json_object_get_string(item));
	if (!json_object_object_get_ex(root, "entries", &entries) || !json_object_is_type(entries, json_type_array)) {
		snprintf(error, error_len, "the baseline has no \"entries\" array");
		goto cleanup;
	}
	count = json_object_array_length(entries);
	if (count > ZDEV_BASELINE_MAX_ENTRIES) {
		snprintf(error, error_len, "the baseline has %zu entries, more than %d", count, ZDEV_BASELINE_MAX_ENTRIES);
		goto cleanup;
	}
	baseline->entries = calloc(count ? count : 1, sizeof(*baseline->entries));
	if (!baseline->entries) {
		snprintf(error, error_len, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < count; i++) {
		json_object *object = json_object_array_get_idx(entries, i);
		struct zdev_baseline_entry entry = { 0 };

		if (!json_object_is_type(object, json_type_object) ||
		    get_string(object, "type", entry.type, sizeof(entry.type), field_error, sizeof(field_error)) ||
		    get_string(object, "device", entry.device, sizeof(entry.device), field_error, sizeof(field_error)) ||
		    get_count(object, "pgmaps", &entry.pgmaps, field_error, sizeof(field_error)) ||
		    get_count(object, "vmemmap_dram_bytes", &entry.vmemmap_dram_bytes, field_error, sizeof(field_error)) ||
		    get_count(object, "vmemmap_device_bytes", &entry.vmemmap_device_bytes, field_error,
			      sizeof(field_error)) ||
		    get_count(object, "register_ns", &entry.register_ns, field_error, sizeof(field_error))) {
			if (!json_object_is_type(object, json_type_object))
				snprintf(field_error, sizeof(field_error), "not an object");
			snprintf(error, error_len, "entry %zu: %s", i, field_error);
			goto cleanup;
		}
		if (find_entry(baseline, entry.type, entry.device)) {
			snprintf(error, error_len, "entry %zu: %s %s appears twice", i, entry.type, entry.device);
			goto cleanup;
		}
		baseline->entries[baseline->count++] = entry;
		/* totals are the entries' sums: recomputed, so that an edited file cannot disagree with itself */
		baseline->vmemmap_dram_bytes += entry.vmemmap_dram_bytes;
		baseline->vmemmap_device_bytes += entry.vmemmap_device_bytes;
		baseline->register_ns += entry.register_ns;
	}
	err = 0;
cleanup:
	if (err)
		zdev_baseline_free(baseline);
	json_object_put(root);
	json_tokener_free(tokener);
	return err;
}

void zdev_baseline_free(struct zdev_baseline *baseline)
{
	free(baseline->entries);
	baseline->entries = NULL;
	baseline->count = 0;
}
