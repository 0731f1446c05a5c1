// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The text report: fits 100 columns, units humanised. */
#include <string.h>
#include "zdev/render.h"

int zdev_render_probes_text(FILE *out, const struct zdev_probe_table *probes)
{
	fprintf(out, "%-30s %-7s %s\n", "PROBE", "MODE", "FEEDS / WHY");
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		const struct zdev_probe_row *row = &probes->rows[i];

		if (!zdev_probe_row_present(row))
			continue;
		fprintf(out, "%-30s %-7s %s\n", row->function, zdev_attach_mode_name(row->mode), row->feeds);
		if (row->why[0])
			fprintf(out, "%-30s %-7s (%s)\n", "", "", row->why);
	}
	return ferror(out) ? -1 : 0;
}

/* one row of at most 100 columns, then the ranges on a line of their own */
static void print_pgmap(FILE *out, const struct zdev_pgmap *pgmap)
{
	char size[16], dram[16], device[16], waste[16], reg[16], init[16];

	zdev_format_bytes(size, sizeof(size), pgmap->size_bytes);
	zdev_format_bytes(dram, sizeof(dram), pgmap->vmemmap_dram_bytes);
	zdev_format_bytes(device, sizeof(device), pgmap->vmemmap_device_bytes);
	zdev_format_bytes(waste, sizeof(waste), pgmap->vmemmap.alignment_waste_bytes);
	if (pgmap->seen_mapped) {
		zdev_format_ns(reg, sizeof(reg), pgmap->register_ns);
		zdev_format_ns(init, sizeof(init), pgmap->memmap_init_ns);
	} else {
		snprintf(reg, sizeof(reg), "-");
		snprintf(init, sizeof(init), "-");
	}
	fprintf(out, "%3u %-8s %-12.12s %9s %3d %9s %9s %4llu %8s %8s %8s %s\n", pgmap->id,
		zdev_pgmap_type_name(pgmap->type), pgmap->device[0] ? pgmap->device : "-", size, pgmap->nid, dram,
		device, (unsigned long long)pgmap->vmemmap.subsections, waste, reg, init,
		pgmap->present_at_start && pgmap->state == ZDEV_PGMAP_LIVE ? "live*" : zdev_pgmap_state_name(pgmap->state));
	/* ranges, three to a line, then the details: every line within 100 columns */
	fprintf(out, "%3s ranges:", "");
	for (uint32_t i = 0; i < pgmap->nr_range && i < ZDEV_MAX_RANGES; i++) {
		if (i && i % 3 == 0)
			fprintf(out, "\n%3s        ", "");
		fprintf(out, " %#llx-%#llx", (unsigned long long)pgmap->ranges[i].start,
			(unsigned long long)pgmap->ranges[i].end);
	}
	if (pgmap->nr_range > ZDEV_MAX_RANGES)
		fprintf(out, " (%u ranges, %d listed)", pgmap->nr_range, ZDEV_MAX_RANGES);
	if (!pgmap->nr_range)
		fprintf(out, " %s", pgmap->present_at_start ? "not in sysfs" : "none");
	if (pgmap->owner_id)
		fprintf(out, " · owner %u", pgmap->owner_id);
	fprintf(out, "\n");
	if (pgmap->present_at_start) {
		fprintf(out, "%3s present at start, not observed registering\n", "");
	} else if (pgmap->seen_mapped && pgmap->state != ZDEV_PGMAP_FAILED) {
		char allocated[16];

		zdev_format_bytes(allocated, sizeof(allocated), pgmap->dram_allocated_bytes);
		fprintf(out, "%3s vmemmap from %s", "", zdev_vmemmap_source_name(pgmap->vmemmap_source));
		if (pgmap->vmemmap_shift)
			fprintf(out, " (compound pages of order %u)", pgmap->vmemmap_shift);
		fprintf(out, " · %s of DRAM allocated while registering\n", allocated);
	}
}

static void print_pools(FILE *out, const struct zdev_model *model)
{
	if (!model->nr_pools)
		return;
	fprintf(out, "\nPOOLS (p2pdma and genalloc; in use = size - available at the last event)\n");
	fprintf(out, "%3s %-12s %9s %9s %9s %7s %7s %6s %6s %7s %7s %9s %s\n", "ID", "DEVICE", "SIZE", "IN USE",
		"HIGHWATER", "ALLOCS", "FREES", "FAILED", "HANDBK", "DIRECT", "PGFREES", "OUTSTAND", "STATE");
	for (size_t i = 0; i < model->nr_pools; i++) {
		const struct zdev_pool *pool = &model->pools[i];
		char size[16], in_use[16], high[16];

		zdev_format_bytes(size, sizeof(size), pool->size_bytes);
		zdev_format_bytes(in_use, sizeof(in_use),
				  pool->size_bytes > pool->avail_bytes ? pool->size_bytes - pool->avail_bytes : 0);
		zdev_format_bytes(high, sizeof(high), pool->high_water_bytes);
		fprintf(out, "%3u %-12.12s %9s %9s %9s %7llu %7llu %6llu %6llu %7llu %7llu %9zu %s\n", pool->id,
			pool->device[0] ? pool->device : "(genalloc)", size, in_use, high,
			(unsigned long long)pool->allocs, (unsigned long long)pool->frees,
			(unsigned long long)pool->failures, (unsigned long long)pool->handed_back,
			(unsigned long long)pool->direct_allocs, (unsigned long long)pool->page_frees,
			pool->nr_outstanding, pool->gone ? "gone" : "live");
		if (pool->gone && pool->outstanding_at_gone)
			fprintf(out, "%3s WARNING: %llu allocation(s), %llu bytes, still outstanding when the pool went\n", "",
				(unsigned long long)pool->outstanding_at_gone,
				(unsigned long long)pool->outstanding_bytes_at_gone);
		if (pool->page_frees_unmatched)
			fprintf(out, "%3s %llu bytes of pages given back that no direct allocation seen accounts for "
				"(mapped before zdev started?)\n", "", (unsigned long long)pool->page_frees_unmatched);
		if (pool->outstanding_overflow)
			fprintf(out, "%3s %llu allocation(s) not tracked: more than %d outstanding\n", "",
				(unsigned long long)pool->outstanding_overflow, ZDEV_OUTSTANDING_MAX);
	}
	fprintf(out, "(HANDBK: allocated, then handed back by pci_alloc_p2pmem as its pool was going; DIRECT: "
		"genalloc\n allocations outside pci_alloc_p2pmem, e.g. p2pmem/allocate mmaps; PGFREES: their pages "
		"given back\n one by one through the pool's pgmap)\n");
}

static void print_device_pages(FILE *out, const struct zdev_model *model)
{
	int header = 0;

	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		const struct zdev_pgmap *pgmap = &model->pgmaps[i];
		int64_t in_use = (int64_t)pgmap->pages_initialised - (int64_t)pgmap->pages_freed;

		if (!pgmap->pages_initialised && !pgmap->pages_freed && !pgmap->evictions)
			continue;
		if (!header++)
			fprintf(out, "\nDEVICE PAGES (since zdev started)\n%3s %-8s %12s %12s %10s %9s %15s\n", "ID",
				"TYPE", "INITIALISED", "FREED", "IN USE", "EVICTIONS", "EVICTED IN USE");
		fprintf(out, "%3u %-8s %12llu %12llu %10lld %9llu %15llu\n", pgmap->id, zdev_pgmap_type_name(pgmap->type),
			(unsigned long long)pgmap->pages_initialised, (unsigned long long)pgmap->pages_freed,
			(long long)in_use, (unsigned long long)pgmap->evictions,
			(unsigned long long)pgmap->evicted_pages_collected);
	}
	if (model->page_use_unattributed_init || model->page_use_unattributed_freed)
		fprintf(out, "device pages of pgmaps zdev did not see register: %llu initialised, %llu freed\n",
			(unsigned long long)model->page_use_unattributed_init,
			(unsigned long long)model->page_use_unattributed_freed);
	header = 0;
	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		const struct zdev_pgmap *pgmap = &model->pgmaps[i];

		if (!pgmap->dax_pages_released)
			continue;
		if (!header++)
			fprintf(out, "\nDAX PAGES RELEASED (file and device-dax mappings given back; not device pages)\n"
				"%3s %-8s %12s\n", "ID", "TYPE", "PAGES");
		fprintf(out, "%3u %-8s %12llu\n", pgmap->id, zdev_pgmap_type_name(pgmap->type),
			(unsigned long long)pgmap->dax_pages_released);
	}
}

static void print_amdgpu(FILE *out, const struct zdev_model *model)
{
	int header = 0;

	for (uint32_t slot = 0; slot < ZDEV_AMDGPU_SLOTS; slot++) {
		char total[16], max[16];

		if (!model->amdgpu[slot].calls)
			continue;
		if (!header++)
			fprintf(out, "\nAMDGPU SVM (trigger: prefetch / GPU fault / CPU fault / TTM eviction)\n"
				"%-20s %10s %8s %10s %12s %12s  %s\n", "FUNCTION", "CALLS", "FAILED", "PAGES", "TOTAL TIME",
				"MAX", "TRIGGERS");
		zdev_format_ns(total, sizeof(total), model->amdgpu[slot].latency_total_ns);
		zdev_format_ns(max, sizeof(max), model->amdgpu[slot].latency_max_ns);
		fprintf(out, "%-20s %10llu %8llu %10llu %12s %12s  %llu/%llu/%llu/%llu\n", zdev_amdgpu_slot_name(slot),
			(unsigned long long)model->amdgpu[slot].calls, (unsigned long long)model->amdgpu[slot].failed,
			(unsigned long long)model->amdgpu[slot].pages, total, max, (unsigned long long)model->amdgpu[slot].by_trigger[0],
			(unsigned long long)model->amdgpu[slot].by_trigger[1],
			(unsigned long long)model->amdgpu[slot].by_trigger[2],
			(unsigned long long)model->amdgpu[slot].by_trigger[3]);
	}
}

/* shown when its probes were attached or calls came (not in reports of runs that could not see them) */
static void print_drm_pagemap(FILE *out, const struct zdev_model *model, const struct zdev_run_info *run)
{
	if (!zdev_drm_pagemap_seen(model) &&
	    !zdev_probes_attached(run->probes, ZDEV_HOOK_DRM_PAGEMAP_FIRST, ZDEV_HOOK_DRM_PAGEMAP_LAST))
		return;
	fprintf(out, "\nDRM PAGEMAP (drm_gpusvm_helper: GPU SVM, Xe; pages asked to move; OWNER as in MIGRATIONS)\n");
	if (!model->nr_drm_pagemap) {
		fprintf(out, "(no calls while tracing)\n");
		return;
	}
	fprintf(out, "%-26s %5s %10s %8s %10s %12s %12s\n", "FUNCTION", "OWNER", "CALLS", "FAILED", "PAGES",
		"TOTAL TIME", "MAX");
	for (size_t i = 0; i < model->nr_drm_pagemap; i++) {
		const struct zdev_drm_pagemap_stats *stats = &model->drm_pagemap[i];
		char owner[12], total[16], max[16];

		if (stats->owner_id)
			snprintf(owner, sizeof(owner), "%u", stats->owner_id);
		else
			snprintf(owner, sizeof(owner), "-");
		zdev_format_ns(total, sizeof(total), stats->latency_total_ns);
		zdev_format_ns(max, sizeof(max), stats->latency_max_ns);
		fprintf(out, "%-26s %5s %10llu %8llu %10llu %12s %12s\n", zdev_drm_pagemap_slot_name(stats->slot), owner,
			(unsigned long long)stats->calls, (unsigned long long)stats->failed,
			(unsigned long long)stats->pages, total, max);
	}
}

static void print_migrations(FILE *out, const struct zdev_model *model)
{
	if (!model->nr_migrations)
		return;
	fprintf(out, "\nMIGRATIONS (HMM, migrate_vma_*; latency: setup to finalize)\n");
	fprintf(out, "%5s %-9s %8s %6s %8s %10s %10s %9s %8s %8s %8s\n", "OWNER", "DIRECTION", "CALLS", "FAILED",
		"CPUFAULT", "ASKED", "MIGRATED", "BYTES", "P50", "P99", "MAX");
	for (size_t i = 0; i < model->nr_migrations; i++) {
		const struct zdev_migration_stats *stats = &model->migrations[i];
		char bytes[16], p50[16], p99[16], max[16];

		zdev_format_bytes(bytes, sizeof(bytes), stats->pages_migrated * model->geometry.page_bytes);
		zdev_format_ns(p50, sizeof(p50), zdev_migration_percentile(stats, 50));
		zdev_format_ns(p99, sizeof(p99), zdev_migration_percentile(stats, 99));
		zdev_format_ns(max, sizeof(max), stats->latency_max_ns);
		fprintf(out, "%5u %-9s %8llu %6llu %8llu %10llu %10llu %9s %8s %8s %8s\n", stats->owner_id,
			zdev_direction_name(stats->direction), (unsigned long long)stats->migrations,
			(unsigned long long)stats->failed, (unsigned long long)stats->cpu_faults,
			(unsigned long long)stats->pages_asked, (unsigned long long)stats->pages_migrated, bytes, p50,
			p99, max);
	}
	fprintf(out, "(P50/P99: upper bounds of power-of-two latency buckets)\n");
}

int zdev_render_text(FILE *out, const struct zdev_model *model, const struct zdev_run_info *run)
{
	struct zdev_type_totals totals[ZDEV_TYPE_COUNT];
	char a[16], b[16], c[16];
	uint32_t live = 0, unmapped = 0, failed = 0;

	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		switch (model->pgmaps[i].state) {
		case ZDEV_PGMAP_LIVE: live++; break;
		case ZDEV_PGMAP_UNMAPPED: unmapped++; break;
		case ZDEV_PGMAP_FAILED: failed++; break;
		}
	}
	fprintf(out, "zdev report · kernel %s · %.1f s traced · struct page %llu B, page %llu B\n",
		run->kernel_release ? run->kernel_release : "?", run->traced_seconds,
		(unsigned long long)model->geometry.struct_page_bytes,
		(unsigned long long)model->geometry.page_bytes);
	fprintf(out, "%zu pgmaps: %u live, %u unmapped, %u failed · %llu records, %llu dropped\n",
		model->nr_pgmaps, live, unmapped, failed, (unsigned long long)model->events,
		(unsigned long long)model->dropped_records);
	if (model->dropped_records) {
		const char *names[ZDEV_REC_TYPES + 1];
		size_t count = zdev_model_incomplete(model, names, ZDEV_REC_TYPES + 1);
		int typed = 0;

		fprintf(out, "WARNING: %llu records were lost", (unsigned long long)model->dropped_records);
		for (uint32_t type = 1; type <= ZDEV_REC_LAST; type++) {
			if (!model->ring_dropped[type])
				continue;
			fprintf(out, "%s%llu %s", typed ? ", " : " (", (unsigned long long)model->ring_dropped[type],
				zdev_record_type_name(type));
			typed = 1;
		}
		fprintf(out, "%s; INCOMPLETE:", typed ? ")" : "");
		for (size_t i = 0; i < count; i++)
			fprintf(out, " %s", names[i]);
		fputc('\n', out);
		if (run->ring_buffer_bytes)
			fprintf(out, "         (ring buffer %u KiB: a larger --ring-buffer keeps more)\n",
				run->ring_buffer_bytes / 1024);
	}
	if (model->undecodable_records)
		fprintf(out, "%llu records could not be decoded and were skipped\n",
			(unsigned long long)model->undecodable_records);
	if (run->probes) {
		int on = 0, known = 0;

		for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
			const struct zdev_probe_row *row = &run->probes->rows[i];

			known += zdev_probe_row_present(row);
			on += zdev_probe_row_present(row) && row->mode != ZDEV_VIA_NONE;
		}
		fprintf(out, "probes: %d of %d attached (zdevtrace probes: details)\n", on, known);
		for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
			const struct zdev_probe_row *row = &run->probes->rows[i];

			if (zdev_probe_row_present(row) && row->mode == ZDEV_VIA_NONE)
				fprintf(out, "  %s OFF (%.70s)\n", row->function, row->why);
		}
	}

	fprintf(out, "\nPGMAPS (vmemmap: struct pages for the range; DRAM = in RAM, DEVICE = in the device's altmap)\n");
	fprintf(out, "%3s %-8s %-12s %9s %3s %9s %9s %4s %8s %8s %8s %s\n", "ID", "TYPE", "DEVICE", "SIZE", "NID",
		"VMEM DRAM", "VMEM DEV", "SUBS", "ALIGNWST", "REGISTER", "MEMINIT", "STATE");
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		print_pgmap(out, &model->pgmaps[i]);
	if (!model->nr_pgmaps)
		fprintf(out, "(none registered or unmapped while tracing)\n");

	zdev_model_totals(model, totals);
	fprintf(out, "\nTOTALS BY TYPE (live at the end)\n%-9s %10s %6s %6s %11s %12s %12s\n", "TYPE", "REGISTERED",
		"LIVE", "FAILED", "LIVE SIZE", "VMEMMAP DRAM", "VMEMMAP DEV");
	for (int t = 0; t < ZDEV_TYPE_COUNT; t++) {
		if (!totals[t].registered && !totals[t].failed && !totals[t].live)
			continue;
		zdev_format_bytes(a, sizeof(a), totals[t].live_bytes);
		zdev_format_bytes(b, sizeof(b), totals[t].vmemmap_dram_bytes);
		zdev_format_bytes(c, sizeof(c), totals[t].vmemmap_device_bytes);
		fprintf(out, "%-9s %10u %6u %6u %11s %12s %12s\n", zdev_pgmap_type_name((uint32_t)t),
			totals[t].registered, totals[t].live, totals[t].failed, a, b, c);
	}
	fprintf(out, "vmemmap change over the run: DRAM %+lld B, device %+lld B\n",
		(long long)model->vmemmap_dram_delta_bytes, (long long)model->vmemmap_device_delta_bytes);

	print_pools(out, model);
	print_device_pages(out, model);
	print_migrations(out, model);
	print_amdgpu(out, model);
	print_drm_pagemap(out, model, run);

	if (model->nr_anomalies || zdev_model_leaked_regions(model)) {
		fprintf(out, "\nANOMALIES\n");
		for (size_t i = 0; i < model->nr_anomalies; i++) {
			const struct zdev_anomaly *anomaly = &model->anomalies[i];
			const struct zdev_pgmap *pgmap = &model->pgmaps[anomaly->pgmap_id - 1];

			char error[48];

			zdev_format_errno(error, sizeof(error), anomaly->result);
			if (anomaly->kind == ZDEV_ANOMALY_FAILED_REGISTRATION)
				fprintf(out, "pgmap %u (%s, %s): registration failed with %s\n", pgmap->id,
					zdev_pgmap_type_name(pgmap->type), pgmap->device[0] ? pgmap->device : "no device",
					error);
			else
				fprintf(out, "pgmap %u (%s): unmapped, but its registration was never seen (before "
					"zdev started, or a dropped record)\n", pgmap->id, zdev_pgmap_type_name(pgmap->type));
		}
		for (size_t i = 0; i < model->nr_regions; i++) {
			const struct zdev_region *region = &model->regions[i];
			char size[24];

			if (!zdev_region_leaked(region))
				continue;
			zdev_format_bytes(size, sizeof(size), region->size);
			fprintf(out, "LEAKED REGION %u: %s at 0x%llx claimed by %s for pgmap %u, whose registration "
				"failed; never released\n", region->id, size, (unsigned long long)region->start,
				region->device[0] ? region->device : "request_free_mem_region", region->failed_pgmap_id);
		}
	}
	return ferror(out) ? -1 : 0;
}
