// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's pgmaps and the regions claimed for them: registrations and unmaps (with what their memmap
 * costs), pgmaps present when zdev started, device pages used and evicted per pgmap, and the free physical
 * regions device-private memory is placed in (a region of a failed registration never given back leaks).
 */
#include <errno.h>
#include <string.h>
#include "zdev/model.h"
#include "model_parts.h"

/* The deltas sum sizes read from files too, where any 64-bit value can appear: they add modulo 2^64
 * (defined for unsigned types) and come back as the signed result, exact whenever that fits. */
static void delta_add(int64_t *delta, uint64_t bytes)
{
	*delta = (int64_t)((uint64_t)*delta + bytes);
}

static void delta_sub(int64_t *delta, uint64_t bytes)
{
	*delta = (int64_t)((uint64_t)*delta - bytes);
}

static struct zdev_pgmap *new_pgmap(struct zdev_model *model, uint64_t key)
{
	struct zdev_pgmap *pgmap;

	pgmap = model_append((void **)&model->pgmaps, &model->nr_pgmaps, &model->cap_pgmaps, sizeof(*pgmap));
	if (!pgmap)
		return NULL;
	pgmap->id = (uint32_t)model->nr_pgmaps;
	pgmap->key = key;
	return pgmap;
}

/* the live pgmap with this key (a key comes back once the kernel reuses the memory of an unmapped one) */
static struct zdev_pgmap *find_live(struct zdev_model *model, uint64_t key)
{
	for (size_t i = model->nr_pgmaps; i-- > 0;) {
		if (model->pgmaps[i].key == key && model->pgmaps[i].state == ZDEV_PGMAP_LIVE)
			return &model->pgmaps[i];
	}
	return NULL;
}

static int add_anomaly(struct zdev_model *model, enum zdev_anomaly_kind kind, const struct zdev_pgmap *pgmap,
		       uint64_t at_ns)
{
	if (model_grow((void **)&model->anomalies, &model->cap_anomalies, model->nr_anomalies + 1,
		       sizeof(struct zdev_anomaly)))
		return -ENOMEM;
	model->anomalies[model->nr_anomalies++] = (struct zdev_anomaly){
		.kind = kind, .pgmap_id = pgmap->id, .result = pgmap->result, .at_ns = at_ns,
	};
	return 0;
}

static void set_ranges(struct zdev_pgmap *pgmap, const struct zdev_range *ranges, uint32_t nr_range)
{
	pgmap->nr_range = nr_range;
	pgmap->size_bytes = 0;
	for (uint32_t i = 0; i < nr_range && i < ZDEV_MAX_RANGES; i++) {
		pgmap->ranges[i] = ranges[i];
		if (ranges[i].end >= ranges[i].start)
			pgmap->size_bytes += ranges[i].end - ranges[i].start + 1;
	}
}

/* with an altmap the memmap comes out of the device's own pages: the altmap says how many it took */
static void split_vmemmap(const struct zdev_geometry *geometry, struct zdev_pgmap *pgmap, uint64_t altmap_alloc)
{
	uint64_t on_device = pgmap->altmap_valid ? altmap_alloc * geometry->page_bytes : 0;

	if (on_device > pgmap->vmemmap.memmap_bytes)
		on_device = pgmap->vmemmap.memmap_bytes;
	pgmap->vmemmap_device_bytes = on_device;
	pgmap->vmemmap_dram_bytes = pgmap->vmemmap.memmap_bytes - on_device;
}

/* a pgmap present at start that this range (or, for p2pdma pools whose place in the BAR sysfs does not
 * give, this type and size) describes */
static struct zdev_pgmap *find_present(struct zdev_model *model, uint32_t type, const struct zdev_range *range,
				       uint64_t size_bytes)
{
	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		struct zdev_pgmap *pgmap = &model->pgmaps[i];

		if (!pgmap->present_at_start || pgmap->state != ZDEV_PGMAP_LIVE)
			continue;
		if (pgmap->nr_range && pgmap->ranges[0].start == range->start)
			return pgmap;
		if (!pgmap->nr_range && pgmap->type == type && pgmap->size_bytes == size_bytes)
			return pgmap;
	}
	return NULL;
}

int zdev_model_add_present(struct zdev_model *model, const struct zdev_present_pgmap *present)
{
	struct zdev_pgmap *pgmap = new_pgmap(model, 0);
	struct zdev_range whole = { 0, present->size_bytes ? present->size_bytes - 1 : 0 };

	if (!pgmap)
		return -ENOMEM;
	pgmap->type = present->type < ZDEV_TYPE_COUNT ? present->type : ZDEV_PGMAP_UNKNOWN;
	memcpy(pgmap->device, present->device, sizeof(pgmap->device));
	pgmap->device[ZDEV_DEVICE_LEN - 1] = '\0';
	pgmap->nid = -1;
	pgmap->present_at_start = 1;
	pgmap->state = ZDEV_PGMAP_LIVE;
	pgmap->altmap_valid = present->altmap;
	pgmap->vmemmap_shift = present->vmemmap_shift;
	if (present->has_range) {
		set_ranges(pgmap, &present->range, 1);
		pgmap->vmemmap = zdev_vmemmap_cost(&model->geometry, pgmap->ranges, 1, pgmap->vmemmap_shift,
						   pgmap->altmap_valid);
	} else {
		/* where the pool sits is unknown: its cost as if aligned */
		pgmap->size_bytes = present->size_bytes;
		pgmap->vmemmap = zdev_vmemmap_cost(&model->geometry, &whole, 1, pgmap->vmemmap_shift,
						   pgmap->altmap_valid);
	}
	/* the altmap of a present pgmap is not readable from sysfs; nd sizes it for the whole memmap */
	split_vmemmap(&model->geometry, pgmap,
		      pgmap->altmap_valid ? pgmap->vmemmap.memmap_bytes / model->geometry.page_bytes : 0);
	return 0;
}

/* --- regions claimed for device-private memory ---------------------------------------------------- */

/* the held region containing `address`, newest first (a start comes back once a region was released) */
static struct zdev_region *held_region(struct zdev_model *model, uint64_t address)
{
	for (size_t i = model->nr_regions; i-- > 0;) {
		struct zdev_region *region = &model->regions[i];

		if (!region->released && !region->result && address >= region->start &&
		    address - region->start < region->size)
			return region;
	}
	return NULL;
}

static void note_region_pgmap(struct zdev_model *model, const struct zdev_pgmap *pgmap)
{
	struct zdev_region *region;

	if (!pgmap->nr_range)
		return;
	region = held_region(model, pgmap->ranges[0].start);
	if (!region)
		return;
	region->pgmap_id = pgmap->id;
	if (pgmap->result)
		region->failed_pgmap_id = pgmap->id;
}

int model_apply_region(struct zdev_model *model, const struct zdev_region_record *record)
{
	struct zdev_region *region;

	if (record->event == ZDEV_REGION_RELEASED) {
		region = held_region(model, record->start);
		if (region && region->start == record->start) {
			region->released = 1;
			region->released_at_ns = record->header.timestamp_ns;
		}
		return 0;
	}
	if (record->event != ZDEV_REGION_REQUESTED)
		return 0;
	region = model_append((void **)&model->regions, &model->nr_regions, &model->cap_regions, sizeof(*region));
	if (!region)
		return -ENOMEM;
	region->id = (uint32_t)model->nr_regions;
	region->start = record->start;
	region->size = record->size;
	region->result = record->result;
	region->requested_at_ns = record->header.timestamp_ns;
	memcpy(region->device, record->device, sizeof(region->device));
	region->device[ZDEV_DEVICE_LEN - 1] = '\0';
	return 0;
}

int zdev_region_leaked(const struct zdev_region *region)
{
	return !region->released && !region->result && region->failed_pgmap_id &&
	       region->failed_pgmap_id == region->pgmap_id;
}

size_t zdev_model_leaked_regions(const struct zdev_model *model)
{
	size_t leaked = 0;

	for (size_t i = 0; i < model->nr_regions; i++)
		leaked += zdev_region_leaked(&model->regions[i]);
	return leaked;
}

/* --- pgmaps' own records ----------------------------------------------------------------------------- */

int model_apply_map(struct zdev_model *model, const struct zdev_pgmap_map_record *record)
{
	const struct zdev_geometry *geometry = &model->geometry;
	struct zdev_pgmap *pgmap = find_present(model, record->pgmap_type, &record->ranges[0], 0);
	uint32_t id;

	/* registered while the snapshot was being taken: the record describes it, in the snapshot's slot */
	if (pgmap && record->nr_range) {
		id = pgmap->id;
		memset(pgmap, 0, sizeof(*pgmap));
		pgmap->id = id;
		pgmap->key = record->pgmap_key;
	} else {
		pgmap = new_pgmap(model, record->pgmap_key);
	}

	if (!pgmap)
		return -ENOMEM;
	pgmap->type = record->pgmap_type < ZDEV_TYPE_COUNT ? record->pgmap_type : ZDEV_PGMAP_UNKNOWN;
	memcpy(pgmap->device, record->device, sizeof(pgmap->device));
	pgmap->device[ZDEV_DEVICE_LEN - 1] = '\0';
	pgmap->owner_id = model_owner_id(model, record->owner_key);
	pgmap->nid = record->nid;
	pgmap->result = record->result;
	pgmap->vmemmap_shift = record->vmemmap_shift;
	pgmap->altmap_valid = record->altmap_valid != 0;
	pgmap->register_ns = record->duration_ns;
	pgmap->dram_allocated_bytes = record->dram_pages_allocated * geometry->page_bytes;
	pgmap->cleaned_up = (record->map_flags & ZDEV_MAP_CLEANED_UP) != 0;
	pgmap->memmap_init_ns = record->memmap_init_ns;
	pgmap->mapped_at_ns = record->header.timestamp_ns;
	pgmap->seen_mapped = 1;
	pgmap->via = record->header.via;
	set_ranges(pgmap, record->ranges, record->nr_range);
	note_region_pgmap(model, pgmap);
	if (record->result) {
		pgmap->state = ZDEV_PGMAP_FAILED;
		return add_anomaly(model, ZDEV_ANOMALY_FAILED_REGISTRATION, pgmap, record->header.timestamp_ns);
	}
	pgmap->state = ZDEV_PGMAP_LIVE;
	pgmap->vmemmap = zdev_vmemmap_cost(geometry, pgmap->ranges, pgmap->nr_range, pgmap->vmemmap_shift,
					   pgmap->altmap_valid);
	split_vmemmap(geometry, pgmap, record->altmap_alloc);
	/* what the population hooks saw beats the computation from the ranges; sub-sections and alignment
	 * waste stay computed from the ranges */
	if (record->populate_calls) {
		pgmap->vmemmap_source = ZDEV_VMEMMAP_FROM_POPULATE;
		pgmap->vmemmap.memmap_bytes = zdev_vmemmap_of_pages(geometry, record->populate_pages,
								    pgmap->vmemmap_shift, pgmap->altmap_valid);
		split_vmemmap(geometry, pgmap, record->populate_altmap_pfns);
	} else if (record->add_pages_calls) {
		pgmap->vmemmap_source = ZDEV_VMEMMAP_FROM_ADD_PAGES;
		pgmap->vmemmap.memmap_bytes = zdev_vmemmap_of_pages(geometry, record->add_pages_pages,
								    pgmap->vmemmap_shift, pgmap->altmap_valid);
		split_vmemmap(geometry, pgmap, record->altmap_alloc);
	}
	delta_add(&model->vmemmap_dram_delta_bytes, pgmap->vmemmap_dram_bytes);
	delta_add(&model->vmemmap_device_delta_bytes, pgmap->vmemmap_device_bytes);
	return 0;
}

int model_apply_unmap(struct zdev_model *model, const struct zdev_pgmap_unmap_record *record)
{
	struct zdev_pgmap *pgmap = find_live(model, record->pgmap_key);
	uint64_t size_bytes = 0;

	for (uint32_t i = 0; i < record->nr_range && i < ZDEV_MAX_RANGES; i++)
		size_bytes += record->ranges[i].end - record->ranges[i].start + 1;
	if (!pgmap && record->nr_range) {
		pgmap = find_present(model, record->pgmap_type, &record->ranges[0], size_bytes);
		if (pgmap)
			pgmap->key = record->pgmap_key; /* now known: later page-use records find it */
	}
	if (!pgmap) {
		/* registered before zdev started (or its record was dropped): say so, keep what it says */
		pgmap = new_pgmap(model, record->pgmap_key);
		if (!pgmap)
			return -ENOMEM;
		pgmap->type = record->pgmap_type < ZDEV_TYPE_COUNT ? record->pgmap_type : ZDEV_PGMAP_UNKNOWN;
		set_ranges(pgmap, record->ranges, record->nr_range);
		pgmap->vmemmap_shift = record->vmemmap_shift;
		pgmap->altmap_valid = (record->pgmap_flags & ZDEV_PGMAP_ALTMAP_VALID) != 0;
		pgmap->vmemmap = zdev_vmemmap_cost(&model->geometry, pgmap->ranges, pgmap->nr_range,
						   pgmap->vmemmap_shift, pgmap->altmap_valid);
		split_vmemmap(&model->geometry, pgmap, record->altmap_alloc);
		/* the run gives this memmap back although it never saw it taken */
		delta_sub(&model->vmemmap_dram_delta_bytes, pgmap->vmemmap_dram_bytes);
		delta_sub(&model->vmemmap_device_delta_bytes, pgmap->vmemmap_device_bytes);
		pgmap->state = ZDEV_PGMAP_UNMAPPED;
		pgmap->unregister_ns = record->duration_ns;
		pgmap->unmapped_at_ns = record->header.timestamp_ns;
		return add_anomaly(model, ZDEV_ANOMALY_UNMAP_UNSEEN, pgmap, record->header.timestamp_ns);
	}
	pgmap->state = ZDEV_PGMAP_UNMAPPED;
	pgmap->unregister_ns = record->duration_ns;
	pgmap->unmapped_at_ns = record->header.timestamp_ns;
	delta_sub(&model->vmemmap_dram_delta_bytes, pgmap->vmemmap_dram_bytes);
	delta_sub(&model->vmemmap_device_delta_bytes, pgmap->vmemmap_device_bytes);
	model_pools_gone_with(model, pgmap);
	return 0;
}

/* the pgmap whose ranges hold this physical address (the most recent one: ranges are reused) */
static struct zdev_pgmap *pgmap_at(struct zdev_model *model, uint64_t address)
{
	for (size_t i = model->nr_pgmaps; i-- > 0;) {
		struct zdev_pgmap *pgmap = &model->pgmaps[i];

		if (pgmap->state == ZDEV_PGMAP_FAILED)
			continue;
		for (uint32_t r = 0; r < pgmap->nr_range && r < ZDEV_MAX_RANGES; r++) {
			if (address >= pgmap->ranges[r].start && address <= pgmap->ranges[r].end)
				return pgmap;
		}
	}
	return NULL;
}

int model_apply_eviction(struct zdev_model *model, const struct zdev_eviction_record *record)
{
	struct zdev_pgmap *pgmap = pgmap_at(model, record->start_pfn * model->geometry.page_bytes);

	if (!pgmap) {
		model->evictions_unattributed++;
		return 0;
	}
	pgmap->evictions++;
	pgmap->evicted_pages_collected += record->pages_collected;
	return 0;
}

/* page use records are cumulative: each replaces what the last one said */
int model_apply_page_use(struct zdev_model *model, const struct zdev_page_use_record *record)
{
	struct zdev_pgmap *pgmap = NULL;

	for (size_t i = model->nr_pgmaps; i-- > 0;) {
		if (model->pgmaps[i].key == record->pgmap_key && model->pgmaps[i].key) {
			pgmap = &model->pgmaps[i];
			break;
		}
	}
	if (!pgmap) {
		model->page_use_unattributed_init = record->pages_initialised;
		model->page_use_unattributed_freed = record->pages_freed;
		return 0;
	}
	pgmap->pages_initialised = record->pages_initialised;
	if (pgmap->type == ZDEV_PGMAP_FS_DAX || pgmap->type == ZDEV_PGMAP_GENERIC)
		pgmap->dax_pages_released = record->pages_freed;
	else
		pgmap->pages_freed = record->pages_freed;
	return 0;
}

void zdev_model_totals(const struct zdev_model *model, struct zdev_type_totals totals[ZDEV_TYPE_COUNT])
{
	memset(totals, 0, sizeof(struct zdev_type_totals) * ZDEV_TYPE_COUNT);
	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		const struct zdev_pgmap *pgmap = &model->pgmaps[i];
		struct zdev_type_totals *t = &totals[pgmap->type < ZDEV_TYPE_COUNT ? pgmap->type : 0];

		if (pgmap->seen_mapped && pgmap->state != ZDEV_PGMAP_FAILED)
			t->registered++;
		if (pgmap->state == ZDEV_PGMAP_FAILED)
			t->failed++;
		if (pgmap->state == ZDEV_PGMAP_LIVE) {
			t->live++;
			t->live_bytes += pgmap->size_bytes;
			t->vmemmap_dram_bytes += pgmap->vmemmap_dram_bytes;
			t->vmemmap_device_bytes += pgmap->vmemmap_device_bytes;
		}
	}
}
