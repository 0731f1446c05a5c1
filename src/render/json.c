// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON report, schema "zdev.report" version 1 (documented in man/zdevtrace.8). Sizes in bytes, times in
 * nanoseconds, no humanising; pgmaps are identified by small ids, never by kernel pointers.
 */
#include <json-c/json.h>
#include "zdev/render.h"

static json_object *probes_json(const struct zdev_probe_table *probes)
{
	json_object *array = json_object_new_array();

	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		const struct zdev_probe_row *row = &probes->rows[i];
		json_object *item;

		if (!zdev_probe_row_present(row))
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "function", json_object_new_string(row->function));
		json_object_object_add(item, "mode", json_object_new_string(zdev_attach_mode_name(row->mode)));
		json_object_object_add(item, "feeds", json_object_new_string(row->feeds));
		json_object_object_add(item, "why", row->why[0] ? json_object_new_string(row->why) : NULL);
		json_object_array_add(array, item);
	}
	return array;
}

static json_object *regions_json(const struct zdev_model *model)
{
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < model->nr_regions; i++) {
		const struct zdev_region *region = &model->regions[i];
		json_object *item = json_object_new_object();

		json_object_object_add(item, "id", json_object_new_int64(region->id));
		json_object_object_add(item, "start", json_object_new_uint64(region->start));
		json_object_object_add(item, "size_bytes", json_object_new_uint64(region->size));
		json_object_object_add(item, "device", region->device[0] ? json_object_new_string(region->device) : NULL);
		json_object_object_add(item, "result", json_object_new_int(region->result));
		json_object_object_add(item, "state", json_object_new_string(region->result ? "refused"
									      : region->released ? "released" : "held"));
		json_object_object_add(item, "pgmap", region->pgmap_id ? json_object_new_int64(region->pgmap_id) : NULL);
		json_object_object_add(item, "failed_pgmap",
				       region->failed_pgmap_id ? json_object_new_int64(region->failed_pgmap_id) : NULL);
		json_object_object_add(item, "leaked", json_object_new_boolean(zdev_region_leaked(region)));
		json_object_array_add(array, item);
	}
	return array;
}

/* drm_pagemap's rows, and its record type, are in a report when its probes were attached or calls came: a
 * record file of a build without them reads as it did */
static int drm_pagemap_shown(const struct zdev_model *model, const struct zdev_run_info *run)
{
	return zdev_drm_pagemap_seen(model) ||
	       zdev_probes_attached(run->probes, ZDEV_HOOK_DRM_PAGEMAP_FIRST, ZDEV_HOOK_DRM_PAGEMAP_LAST);
}

/* per record type: put in the ring buffer and dropped by the BPF side, received here */
static json_object *records_by_type_json(const struct zdev_model *model, const struct zdev_run_info *run)
{
	json_object *by_type = json_object_new_object();

	for (uint32_t type = 1; type <= ZDEV_REC_LAST; type++) {
		json_object *item;

		if (type == ZDEV_REC_DRM_PAGEMAP && !drm_pagemap_shown(model, run))
			continue;
		item = json_object_new_object();

		json_object_object_add(item, "emitted", json_object_new_uint64(model->ring_emitted[type]));
		json_object_object_add(item, "dropped", json_object_new_uint64(model->ring_dropped[type]));
		json_object_object_add(item, "received", json_object_new_uint64(model->received[type]));
		json_object_object_add(by_type, zdev_record_type_name(type), item);
	}
	return by_type;
}

static json_object *incomplete_json(const struct zdev_model *model)
{
	const char *names[ZDEV_REC_TYPES + 1];
	size_t count = zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1);
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < count; i++)
		json_object_array_add(array, json_object_new_string(names[i]));
	return array;
}

static json_object *pgmap_json(const struct zdev_pgmap *pgmap)
{
	json_object *item = json_object_new_object(), *ranges = json_object_new_array();

	json_object_object_add(item, "id", json_object_new_int64(pgmap->id));
	json_object_object_add(item, "type", json_object_new_string(zdev_pgmap_type_name(pgmap->type)));
	json_object_object_add(item, "device", pgmap->device[0] ? json_object_new_string(pgmap->device) : NULL);
	json_object_object_add(item, "owner", pgmap->owner_id ? json_object_new_int64(pgmap->owner_id) : NULL);
	json_object_object_add(item, "state", json_object_new_string(zdev_pgmap_state_name(pgmap->state)));
	json_object_object_add(item, "seen_registered", json_object_new_boolean(pgmap->seen_mapped));
	json_object_object_add(item, "present_at_start", json_object_new_boolean(pgmap->present_at_start));
	json_object_object_add(item, "cleaned_up_after_failure", json_object_new_boolean(pgmap->cleaned_up));
	json_object_object_add(item, "result", json_object_new_int(pgmap->result));
	json_object_object_add(item, "nid", json_object_new_int(pgmap->nid));
	json_object_object_add(item, "nr_range", json_object_new_int64(pgmap->nr_range));
	for (uint32_t i = 0; i < pgmap->nr_range && i < ZDEV_MAX_RANGES; i++) {
		json_object *range = json_object_new_object();

		json_object_object_add(range, "start", json_object_new_uint64(pgmap->ranges[i].start));
		json_object_object_add(range, "end", json_object_new_uint64(pgmap->ranges[i].end));
		json_object_array_add(ranges, range);
	}
	json_object_object_add(item, "ranges", ranges);
	json_object_object_add(item, "size_bytes", json_object_new_uint64(pgmap->size_bytes));
	json_object_object_add(item, "vmemmap_shift", json_object_new_int64(pgmap->vmemmap_shift));
	json_object_object_add(item, "altmap", json_object_new_boolean(pgmap->altmap_valid));
	json_object_object_add(item, "vmemmap_bytes", json_object_new_uint64(pgmap->vmemmap.memmap_bytes));
	json_object_object_add(item, "vmemmap_source",
			       json_object_new_string(zdev_vmemmap_source_name(pgmap->vmemmap_source)));
	json_object_object_add(item, "vmemmap_dram_bytes", json_object_new_uint64(pgmap->vmemmap_dram_bytes));
	json_object_object_add(item, "vmemmap_device_bytes", json_object_new_uint64(pgmap->vmemmap_device_bytes));
	json_object_object_add(item, "dram_allocated_bytes", json_object_new_uint64(pgmap->dram_allocated_bytes));
	json_object_object_add(item, "subsections", json_object_new_uint64(pgmap->vmemmap.subsections));
	json_object_object_add(item, "alignment_waste_bytes",
			       json_object_new_uint64(pgmap->vmemmap.alignment_waste_bytes));
	json_object_object_add(item, "register_ns", json_object_new_uint64(pgmap->register_ns));
	json_object_object_add(item, "memmap_init_ns", json_object_new_uint64(pgmap->memmap_init_ns));
	json_object_object_add(item, "unregister_ns", json_object_new_uint64(pgmap->unregister_ns));
	json_object_object_add(item, "probe_mode", json_object_new_string(zdev_attach_mode_name(pgmap->via)));
	json_object_object_add(item, "pages_initialised", json_object_new_uint64(pgmap->pages_initialised));
	json_object_object_add(item, "pages_freed", json_object_new_uint64(pgmap->pages_freed));
	json_object_object_add(item, "dax_pages_released", json_object_new_uint64(pgmap->dax_pages_released));
	json_object_object_add(item, "pages_in_use",
			       json_object_new_int64((int64_t)pgmap->pages_initialised - (int64_t)pgmap->pages_freed));
	json_object_object_add(item, "evictions", json_object_new_uint64(pgmap->evictions));
	json_object_object_add(item, "evicted_pages_collected", json_object_new_uint64(pgmap->evicted_pages_collected));
	return item;
}

static json_object *migrations_json(const struct zdev_model *model)
{
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < model->nr_migrations; i++) {
		const struct zdev_migration_stats *stats = &model->migrations[i];
		json_object *item = json_object_new_object(), *histogram = json_object_new_array();
		unsigned last = 0;

		for (unsigned b = 0; b < ZDEV_LATENCY_BUCKETS; b++)
			if (stats->latency_histogram[b])
				last = b;
		for (unsigned b = 0; b <= last; b++)
			json_object_array_add(histogram, json_object_new_uint64(stats->latency_histogram[b]));
		json_object_object_add(item, "owner", stats->owner_id ? json_object_new_int64(stats->owner_id) : NULL);
		json_object_object_add(item, "direction", json_object_new_string(zdev_direction_name(stats->direction)));
		json_object_object_add(item, "migrations", json_object_new_uint64(stats->migrations));
		json_object_object_add(item, "failed", json_object_new_uint64(stats->failed));
		json_object_object_add(item, "cpu_faults", json_object_new_uint64(stats->cpu_faults));
		json_object_object_add(item, "pages_asked", json_object_new_uint64(stats->pages_asked));
		json_object_object_add(item, "pages_collected", json_object_new_uint64(stats->pages_collected));
		json_object_object_add(item, "pages_migrated", json_object_new_uint64(stats->pages_migrated));
		json_object_object_add(item, "bytes_migrated",
				       json_object_new_uint64(stats->pages_migrated * model->geometry.page_bytes));
		json_object_object_add(item, "latency_total_ns", json_object_new_uint64(stats->latency_total_ns));
		json_object_object_add(item, "latency_max_ns", json_object_new_uint64(stats->latency_max_ns));
		json_object_object_add(item, "latency_p50_ns",
				       json_object_new_uint64(zdev_migration_percentile(stats, 50)));
		json_object_object_add(item, "latency_p99_ns",
				       json_object_new_uint64(zdev_migration_percentile(stats, 99)));
		json_object_object_add(item, "latency_log2_histogram", histogram);
		json_object_array_add(array, item);
	}
	return array;
}

static json_object *pools_json(const struct zdev_model *model)
{
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < model->nr_pools; i++) {
		const struct zdev_pool *pool = &model->pools[i];
		json_object *item = json_object_new_object(), *histogram = json_object_new_array();
		unsigned last = 0;

		for (unsigned b = 0; b < ZDEV_SIZE_BUCKETS; b++)
			if (pool->size_histogram[b])
				last = b;
		for (unsigned b = 0; b <= last; b++)
			json_object_array_add(histogram, json_object_new_uint64(pool->size_histogram[b]));
		json_object_object_add(item, "id", json_object_new_int64(pool->id));
		json_object_object_add(item, "device", pool->device[0] ? json_object_new_string(pool->device) : NULL);
		json_object_object_add(item, "p2pdma", json_object_new_boolean(pool->p2pdma));
		json_object_object_add(item, "state", json_object_new_string(pool->gone ? "gone" : "live"));
		json_object_object_add(item, "bar", json_object_new_int64(pool->bar));
		json_object_object_add(item, "bar_offset", json_object_new_uint64(pool->offset));
		json_object_object_add(item, "size_bytes", json_object_new_uint64(pool->size_bytes));
		json_object_object_add(item, "available_bytes", json_object_new_uint64(pool->avail_bytes));
		json_object_object_add(item, "in_use_bytes", json_object_new_uint64(
			pool->size_bytes > pool->avail_bytes ? pool->size_bytes - pool->avail_bytes : 0));
		json_object_object_add(item, "high_water_bytes", json_object_new_uint64(pool->high_water_bytes));
		json_object_object_add(item, "allocs", json_object_new_uint64(pool->allocs));
		json_object_object_add(item, "frees", json_object_new_uint64(pool->frees));
		json_object_object_add(item, "failures", json_object_new_uint64(pool->failures));
		json_object_object_add(item, "handed_back", json_object_new_uint64(pool->handed_back));
		json_object_object_add(item, "direct_allocs", json_object_new_uint64(pool->direct_allocs));
		json_object_object_add(item, "direct_frees", json_object_new_uint64(pool->direct_frees));
		json_object_object_add(item, "page_frees", json_object_new_uint64(pool->page_frees));
		json_object_object_add(item, "page_frees_unmatched_bytes", json_object_new_uint64(pool->page_frees_unmatched));
		json_object_object_add(item, "alloc_size_log2_histogram", histogram);
		json_object_object_add(item, "outstanding", json_object_new_uint64(pool->nr_outstanding));
		json_object_object_add(item, "outstanding_bytes", json_object_new_uint64(zdev_pool_outstanding_bytes(pool)));
		json_object_object_add(item, "outstanding_overflow", json_object_new_uint64(pool->outstanding_overflow));
		json_object_object_add(item, "outstanding_at_gone", json_object_new_uint64(pool->outstanding_at_gone));
		json_object_array_add(array, item);
	}
	return array;
}

static json_object *amdgpu_json(const struct zdev_model *model)
{
	json_object *array = json_object_new_array();

	for (uint32_t slot = 0; slot < ZDEV_AMDGPU_SLOTS; slot++) {
		json_object *item = json_object_new_object(), *triggers = json_object_new_object();

		json_object_object_add(item, "function", json_object_new_string(zdev_amdgpu_slot_name(slot)));
		json_object_object_add(item, "calls", json_object_new_uint64(model->amdgpu[slot].calls));
		json_object_object_add(item, "failed", json_object_new_uint64(model->amdgpu[slot].failed));
		json_object_object_add(item, "latency_total_ns", json_object_new_uint64(model->amdgpu[slot].latency_total_ns));
		json_object_object_add(item, "latency_max_ns", json_object_new_uint64(model->amdgpu[slot].latency_max_ns));
		json_object_object_add(item, "pages", json_object_new_uint64(model->amdgpu[slot].pages));
		json_object_object_add(item, "by_trigger", triggers);
		json_object_object_add(triggers, "prefetch", json_object_new_uint64(model->amdgpu[slot].by_trigger[0]));
		json_object_object_add(triggers, "gpu_page_fault", json_object_new_uint64(model->amdgpu[slot].by_trigger[1]));
		json_object_object_add(triggers, "cpu_page_fault", json_object_new_uint64(model->amdgpu[slot].by_trigger[2]));
		json_object_object_add(triggers, "ttm_eviction", json_object_new_uint64(model->amdgpu[slot].by_trigger[3]));
		json_object_array_add(array, item);
	}
	return array;
}

/* per function and owner (the owner id its migrations have), in function order */
static json_object *drm_pagemap_json(const struct zdev_model *model)
{
	json_object *array = json_object_new_array();

	for (size_t i = 0; i < model->nr_drm_pagemap; i++) {
		const struct zdev_drm_pagemap_stats *stats = &model->drm_pagemap[i];
		json_object *item = json_object_new_object();

		json_object_object_add(item, "function", json_object_new_string(zdev_drm_pagemap_slot_name(stats->slot)));
		json_object_object_add(item, "owner", stats->owner_id ? json_object_new_int64(stats->owner_id) : NULL);
		json_object_object_add(item, "calls", json_object_new_uint64(stats->calls));
		json_object_object_add(item, "failed", json_object_new_uint64(stats->failed));
		json_object_object_add(item, "pages", json_object_new_uint64(stats->pages));
		json_object_object_add(item, "latency_total_ns", json_object_new_uint64(stats->latency_total_ns));
		json_object_object_add(item, "latency_max_ns", json_object_new_uint64(stats->latency_max_ns));
		json_object_array_add(array, item);
	}
	return array;
}

static int write_json(FILE *out, json_object *root)
{
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	int err = fprintf(out, "%s\n", text) < 0 ? -1 : 0;

	json_object_put(root);
	return err;
}

int zdev_render_probes_json(FILE *out, const struct zdev_probe_table *probes)
{
	return write_json(out, probes_json(probes));
}

int zdev_render_json(FILE *out, const struct zdev_model *model, const struct zdev_run_info *run)
{
	struct zdev_type_totals totals[ZDEV_TYPE_COUNT];
	json_object *root = json_object_new_object(), *pgmaps = json_object_new_array();
	json_object *by_type = json_object_new_object(), *anomalies = json_object_new_array();

	json_object_object_add(root, "schema", json_object_new_string(ZDEV_REPORT_SCHEMA));
	json_object_object_add(root, "schema_version", json_object_new_int(ZDEV_REPORT_SCHEMA_VERSION));
	json_object_object_add(root, "kernel", run->kernel_release ? json_object_new_string(run->kernel_release) : NULL);
	json_object_object_add(root, "traced_seconds", json_object_new_double(run->traced_seconds));
	json_object_object_add(root, "page_bytes", json_object_new_uint64(model->geometry.page_bytes));
	json_object_object_add(root, "struct_page_bytes", json_object_new_uint64(model->geometry.struct_page_bytes));
	json_object_object_add(root, "records", json_object_new_uint64(model->events));
	json_object_object_add(root, "dropped_records", json_object_new_uint64(model->dropped_records));
	json_object_object_add(root, "undecodable_records", json_object_new_uint64(model->undecodable_records));
	json_object_object_add(root, "records_by_type", records_by_type_json(model, run));
	json_object_object_add(root, "incomplete", incomplete_json(model));
	json_object_object_add(root, "ring_buffer_bytes",
			       run->ring_buffer_bytes ? json_object_new_uint64(run->ring_buffer_bytes) : NULL);
	json_object_object_add(root, "probes", run->probes ? probes_json(run->probes) : NULL);
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		json_object_array_add(pgmaps, pgmap_json(&model->pgmaps[i]));
	json_object_object_add(root, "pgmaps", pgmaps);
	zdev_model_totals(model, totals);
	for (int t = 0; t < ZDEV_TYPE_COUNT; t++) {
		json_object *item;

		if (!totals[t].registered && !totals[t].failed && !totals[t].live)
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "registered", json_object_new_int64(totals[t].registered));
		json_object_object_add(item, "live", json_object_new_int64(totals[t].live));
		json_object_object_add(item, "failed", json_object_new_int64(totals[t].failed));
		json_object_object_add(item, "live_bytes", json_object_new_uint64(totals[t].live_bytes));
		json_object_object_add(item, "vmemmap_dram_bytes", json_object_new_uint64(totals[t].vmemmap_dram_bytes));
		json_object_object_add(item, "vmemmap_device_bytes",
				       json_object_new_uint64(totals[t].vmemmap_device_bytes));
		json_object_object_add(by_type, zdev_pgmap_type_name((uint32_t)t), item);
	}
	json_object_object_add(root, "totals_by_type", by_type);
	json_object_object_add(root, "vmemmap_dram_delta_bytes", json_object_new_int64(model->vmemmap_dram_delta_bytes));
	json_object_object_add(root, "vmemmap_device_delta_bytes",
			       json_object_new_int64(model->vmemmap_device_delta_bytes));
	for (size_t i = 0; i < model->nr_anomalies; i++) {
		const struct zdev_anomaly *anomaly = &model->anomalies[i];
		json_object *item = json_object_new_object();

		json_object_object_add(item, "kind", json_object_new_string(
			anomaly->kind == ZDEV_ANOMALY_FAILED_REGISTRATION ? "failed_registration" : "unmap_unseen"));
		json_object_object_add(item, "pgmap", json_object_new_int64(anomaly->pgmap_id));
		json_object_object_add(item, "result", json_object_new_int(anomaly->result));
		json_object_array_add(anomalies, item);
	}
	/* leaks are known only at the end of the run: found here, after the anomalies seen as they came */
	for (size_t i = 0; i < model->nr_regions; i++) {
		const struct zdev_region *region = &model->regions[i];
		json_object *item;

		if (!zdev_region_leaked(region))
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "kind", json_object_new_string("leaked_region"));
		json_object_object_add(item, "pgmap", json_object_new_int64(region->failed_pgmap_id));
		json_object_object_add(item, "result",
				       json_object_new_int(model->pgmaps[region->failed_pgmap_id - 1].result));
		json_object_object_add(item, "region", json_object_new_int64(region->id));
		json_object_array_add(anomalies, item);
	}
	json_object_object_add(root, "anomalies", anomalies);
	json_object_object_add(root, "regions", regions_json(model));
	json_object_object_add(root, "migrations", migrations_json(model));
	json_object_object_add(root, "pools", pools_json(model));
	json_object_object_add(root, "amdgpu", amdgpu_json(model));
	if (drm_pagemap_shown(model, run))
		json_object_object_add(root, "drm_pagemap", drm_pagemap_json(model));
	json_object_object_add(root, "evictions_unattributed", json_object_new_uint64(model->evictions_unattributed));
	json_object_object_add(root, "page_use_unattributed_initialised",
			       json_object_new_uint64(model->page_use_unattributed_init));
	json_object_object_add(root, "page_use_unattributed_freed", json_object_new_uint64(model->page_use_unattributed_freed));
	return write_json(out, root);
}
