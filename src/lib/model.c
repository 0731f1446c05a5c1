// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The aggregation model (see include/zdev/model.h). No I/O here: unit tests drive it with records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/latency.h"
#include "zdev/model.h"

static uint64_t div_round_up(uint64_t value, uint64_t unit)
{
	return (value + unit - 1) / unit;
}

static uint64_t align_down(uint64_t value, uint64_t unit)
{
	return value / unit * unit;
}

static int is_power_of_2(uint64_t value)
{
	return value && !(value & (value - 1));
}

int zdev_model_init(struct zdev_model *model, const struct zdev_geometry *geometry)
{
	memset(model, 0, sizeof(*model));
	/* a geometry read from a record file is checked like one read from the kernel: powers of two, pages
	 * of 4 KiB..64 KiB, sub-sections within sections, a struct page of a plausible size */
	if (!is_power_of_2(geometry->page_bytes) || geometry->page_bytes < 4096 || geometry->page_bytes > 65536 ||
	    geometry->struct_page_bytes < 32 || geometry->struct_page_bytes > 256 ||
	    !is_power_of_2(geometry->subsection_bytes) || geometry->subsection_bytes < geometry->page_bytes ||
	    !is_power_of_2(geometry->section_bytes) || geometry->section_bytes < geometry->subsection_bytes ||
	    geometry->section_bytes > (1ull << 40))
		return -EINVAL;
	model->geometry = *geometry;
	return 0;
}

void zdev_model_free(struct zdev_model *model)
{
	free(model->pgmaps);
	free(model->anomalies);
	free(model->owner_keys);
	free(model->migrations);
	free(model->regions);
	free(model->drm_pagemap);
	for (size_t i = 0; i < model->nr_pools; i++)
		free(model->pools[i].outstanding);
	free(model->pools);
	memset(model, 0, sizeof(*model));
}

static int grow(void **array, size_t *cap, size_t need, size_t elem_size)
{
	size_t new_cap;
	void *bigger;

	if (need <= *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 16;
	while (new_cap < need)
		new_cap *= 2;
	bigger = realloc(*array, new_cap * elem_size);
	if (!bigger)
		return -ENOMEM;
	*array = bigger;
	*cap = new_cap;
	return 0;
}

/*
 * Compound device pages (vmemmap_shift > 0, devdax) without an altmap share their tail struct pages: the
 * kernel maps VMEMMAP_RESERVE_NR (2) vmemmap pages per compound page and reuses the rest
 * (vmemmap_can_optimize and section_nr_vmemmap_pages in mm/sparse-vmemmap.c, 6.12; x86_64 has
 * ARCH_WANT_OPTIMIZE_DAX_VMEMMAP). Returns the vmemmap pages of one piece, or 0 when not optimised.
 */
#define VMEMMAP_RESERVE_NR 2

static uint64_t compound_vmemmap_pages(const struct zdev_geometry *geometry, uint64_t piece_pages,
				       uint32_t vmemmap_shift, int altmap)
{
	uint64_t pages_per_compound, vmemmap_pages_per_compound;

	if (!vmemmap_shift || altmap || vmemmap_shift >= 63)
		return 0;
	if (geometry->struct_page_bytes & (geometry->struct_page_bytes - 1))
		return 0; /* not a power of two: no optimisation */
	pages_per_compound = 1ull << vmemmap_shift;
	vmemmap_pages_per_compound = pages_per_compound * geometry->struct_page_bytes / geometry->page_bytes;
	if (vmemmap_pages_per_compound <= VMEMMAP_RESERVE_NR)
		return 0;
	if (pages_per_compound * geometry->page_bytes >= geometry->section_bytes)
		return VMEMMAP_RESERVE_NR; /* one compound page spans the section */
	return VMEMMAP_RESERVE_NR * piece_pages / pages_per_compound;
}

struct zdev_vmemmap_cost zdev_vmemmap_cost(const struct zdev_geometry *geometry, const struct zdev_range *ranges,
					   uint32_t nr_range, uint32_t vmemmap_shift, int altmap)
{
	struct zdev_vmemmap_cost cost = { 0 };
	uint64_t page = geometry->page_bytes, sub = geometry->subsection_bytes;

	for (uint32_t i = 0; i < nr_range && i < ZDEV_MAX_RANGES; i++) {
		uint64_t start = ranges[i].start, end = ranges[i].end + 1, piece_start, piece_end;
		uint64_t sub_start, sub_end;

		if (end <= start)
			continue;
		/* the kernel populates the memmap one section piece at a time
		 * (__populate_section_memmap), each rounded up to whole pages: the first and last pieces may
		 * be partial, the ones between are whole sections and cost the same (counted, not walked:
		 * a range read from a file may span the whole address space) */
		piece_start = start;
		while (piece_start < end) {
			uint64_t section_start = align_down(piece_start, geometry->section_bytes), pieces = 1;

			if (section_start > UINT64_MAX - geometry->section_bytes ||
			    section_start + geometry->section_bytes >= end) {
				piece_end = end;
			} else if (section_start == piece_start && end - piece_start >= 2 * geometry->section_bytes) {
				pieces = (align_down(end, geometry->section_bytes) - piece_start) / geometry->section_bytes;
				piece_end = piece_start + geometry->section_bytes;
			} else {
				piece_end = section_start + geometry->section_bytes;
			}
			uint64_t piece_pages = (piece_end - piece_start) / page;
			uint64_t compound = compound_vmemmap_pages(geometry, piece_pages, vmemmap_shift, altmap);

			cost.memmap_bytes += pieces * (compound ? compound * page
						       : div_round_up(piece_pages * geometry->struct_page_bytes, page) * page);
			piece_start = pieces > 1 ? piece_start + pieces * geometry->section_bytes : piece_end;
		}
		/* sparse memory tracks presence per sub-section: a range that does not fill its first and
		 * last sub-sections still has them marked present, memmap and all */
		sub_start = align_down(start, sub);
		sub_end = div_round_up(end, sub) * sub;
		cost.subsections += (sub_end - sub_start) / sub;
		cost.alignment_waste_bytes += ((sub_end - sub_start) - (end - start)) / page * geometry->struct_page_bytes;
	}
	return cost;
}

uint64_t zdev_vmemmap_of_pages(const struct zdev_geometry *geometry, uint64_t nr_pages, uint32_t vmemmap_shift,
			       int altmap)
{
	uint64_t compound = compound_vmemmap_pages(geometry, nr_pages, vmemmap_shift, altmap);

	if (compound)
		return compound * geometry->page_bytes;
	return div_round_up(nr_pages * geometry->struct_page_bytes, geometry->page_bytes) * geometry->page_bytes;
}

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

static uint32_t owner_id(struct zdev_model *model, uint64_t owner_key)
{
	if (!owner_key)
		return 0;
	for (size_t i = 0; i < model->nr_owners; i++) {
		if (model->owner_keys[i] == owner_key)
			return (uint32_t)i + 1;
	}
	if (grow((void **)&model->owner_keys, &model->cap_owners, model->nr_owners + 1, sizeof(uint64_t)))
		return 0;
	model->owner_keys[model->nr_owners++] = owner_key;
	return (uint32_t)model->nr_owners;
}

static struct zdev_pgmap *new_pgmap(struct zdev_model *model, uint64_t key)
{
	struct zdev_pgmap *pgmap;

	if (grow((void **)&model->pgmaps, &model->cap_pgmaps, model->nr_pgmaps + 1, sizeof(*pgmap)))
		return NULL;
	pgmap = &model->pgmaps[model->nr_pgmaps++];
	memset(pgmap, 0, sizeof(*pgmap));
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
	if (grow((void **)&model->anomalies, &model->cap_anomalies, model->nr_anomalies + 1,
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

int zdev_model_apply_bytes(struct zdev_model *model, const void *data, size_t size)
{
	struct zdev_event event;

	if (zdev_decode(data, size, &event) != ZDEV_DECODE_OK) {
		model->undecodable_records++;
		return 0;
	}
	if (event.type < ZDEV_REC_TYPES)
		model->received[event.type]++;
	return zdev_model_apply(model, &event);
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

static void note_region_pgmap(struct zdev_model *model, const struct zdev_pgmap *pgmap);

static int apply_map(struct zdev_model *model, const struct zdev_pgmap_map_record *record)
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
	pgmap->owner_id = owner_id(model, record->owner_key);
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

static void pools_gone_with(struct zdev_model *model, const struct zdev_pgmap *pgmap);

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

static int apply_region(struct zdev_model *model, const struct zdev_region_record *record)
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
	if (grow((void **)&model->regions, &model->cap_regions, model->nr_regions + 1, sizeof(*region)))
		return -ENOMEM;
	region = &model->regions[model->nr_regions++];
	memset(region, 0, sizeof(*region));
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

static int apply_unmap(struct zdev_model *model, const struct zdev_pgmap_unmap_record *record)
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
	pools_gone_with(model, pgmap);
	return 0;
}

/* bucket b holds values in [2^(b-1), 2^b), bucket 0 holds 0; the last bucket takes everything above */
static unsigned log2_bucket(uint64_t value, unsigned buckets)
{
	unsigned bucket = 0;

	while (value && bucket < buckets - 1) {
		value >>= 1;
		bucket++;
	}
	return bucket;
}

/* the BPF side's computation (latency.h), so that CPU-fault sums and migration records share buckets */
unsigned zdev_latency_bucket(uint64_t ns)
{
	return zdev_latency_bucket_of(ns);
}

uint64_t zdev_migration_percentile(const struct zdev_migration_stats *stats, double p)
{
	uint64_t bound = zdev_latency_percentile(stats->latency_histogram, p);

	/* a bucket's upper bound can lie above the largest latency seen */
	return bound > stats->latency_max_ns ? stats->latency_max_ns : bound;
}

uint64_t zdev_latency_percentile(const uint64_t histogram[ZDEV_LATENCY_BUCKETS], double p)
{
	uint64_t total = 0, seen = 0, rank;

	for (unsigned b = 0; b < ZDEV_LATENCY_BUCKETS; b++)
		total += histogram[b];
	if (!total)
		return 0;
	rank = (uint64_t)(p / 100.0 * (double)total + 0.999999);
	if (rank < 1)
		rank = 1;
	for (unsigned b = 0; b < ZDEV_LATENCY_BUCKETS; b++) {
		seen += histogram[b];
		if (seen >= rank)
			return b ? (1ull << b) - 1 : 0;
	}
	return UINT64_MAX;
}

static struct zdev_migration_stats *migration_stats(struct zdev_model *model, uint32_t owner, uint32_t direction)
{
	struct zdev_migration_stats *stats;

	for (size_t i = 0; i < model->nr_migrations; i++) {
		if (model->migrations[i].owner_id == owner && model->migrations[i].direction == direction)
			return &model->migrations[i];
	}
	if (grow((void **)&model->migrations, &model->cap_migrations, model->nr_migrations + 1, sizeof(*stats)))
		return NULL;
	stats = &model->migrations[model->nr_migrations++];
	memset(stats, 0, sizeof(*stats));
	stats->owner_id = owner;
	stats->direction = direction;
	return stats;
}

static int apply_migration(struct zdev_model *model, const struct zdev_migration_record *record)
{
	uint32_t direction = record->direction == ZDEV_MIGRATE_TO_DEVICE ? ZDEV_MIGRATE_TO_DEVICE : ZDEV_MIGRATE_TO_RAM;
	struct zdev_migration_stats *stats = migration_stats(model, owner_id(model, record->owner_key), direction);

	if (!stats)
		return -ENOMEM;
	stats->migrations++;
	if (record->result) {
		stats->failed++;
		return 0;
	}
	if (record->trigger == ZDEV_TRIGGER_CPU_FAULT)
		stats->cpu_faults++;
	stats->pages_asked += record->pages_asked;
	stats->pages_collected += record->pages_collected;
	stats->pages_migrated += record->pages_migrated;
	stats->latency_total_ns += record->latency_ns;
	if (record->latency_ns > stats->latency_max_ns)
		stats->latency_max_ns = record->latency_ns;
	stats->latency_histogram[zdev_latency_bucket(record->latency_ns)]++;
	return 0;
}

/* cumulative: what grew since the last one is added, so that records of driver-asked migrations and the
 * sums of CPU faults make the same totals as one record per migration did */
static int apply_fault_migrations(struct zdev_model *model, const struct zdev_fault_migrations_record *record)
{
	uint32_t direction = record->key.direction == ZDEV_MIGRATE_TO_DEVICE ? ZDEV_MIGRATE_TO_DEVICE : ZDEV_MIGRATE_TO_RAM;
	struct zdev_migration_stats *stats = migration_stats(model, owner_id(model, record->key.owner_key), direction);
	struct zdev_fault_migrations_record *seen;
	uint64_t migrations;

	if (!stats)
		return -ENOMEM;
	seen = &stats->faults_seen;
#define GROWN(field) (record->field >= seen->field ? record->field - seen->field : record->field)
	migrations = GROWN(migrations);
	stats->migrations += migrations;
	stats->cpu_faults += migrations;
	stats->pages_asked += GROWN(pages_asked);
	stats->pages_collected += GROWN(pages_collected);
	stats->pages_migrated += GROWN(pages_migrated);
	stats->latency_total_ns += GROWN(latency_total_ns);
	for (unsigned b = 0; b < ZDEV_LATENCY_BUCKETS; b++)
		stats->latency_histogram[b] += GROWN(latency_histogram[b]);
#undef GROWN
	if (record->latency_max_ns > stats->latency_max_ns)
		stats->latency_max_ns = record->latency_max_ns;
	*seen = *record;
	return 0;
}

/* the row of SLOT and OWNER, made in its place (function, then owner) when it is new */
static struct zdev_drm_pagemap_stats *drm_pagemap_stats(struct zdev_model *model, uint32_t slot, uint32_t owner)
{
	struct zdev_drm_pagemap_stats *stats;
	size_t at = 0;

	for (; at < model->nr_drm_pagemap; at++) {
		stats = &model->drm_pagemap[at];
		if (stats->slot == slot && stats->owner_id == owner)
			return stats;
		if (stats->slot > slot || (stats->slot == slot && stats->owner_id > owner))
			break;
	}
	if (grow((void **)&model->drm_pagemap, &model->cap_drm_pagemap, model->nr_drm_pagemap + 1, sizeof(*stats)))
		return NULL;
	stats = &model->drm_pagemap[at];
	memmove(stats + 1, stats, (model->nr_drm_pagemap - at) * sizeof(*stats));
	model->nr_drm_pagemap++;
	memset(stats, 0, sizeof(*stats));
	stats->slot = slot;
	stats->owner_id = owner;
	return stats;
}

static int apply_drm_pagemap(struct zdev_model *model, const struct zdev_drm_pagemap_record *record)
{
	struct zdev_drm_pagemap_stats *stats;

	if (record->slot >= ZDEV_DRM_PAGEMAP_SLOTS)
		return 0; /* a function of a later build: not one of these rows */
	stats = drm_pagemap_stats(model, record->slot, owner_id(model, record->owner_key));
	if (!stats)
		return -ENOMEM;
	stats->calls++;
	/* every function returns int: negative is an errno */
	if (record->result < 0 && record->result >= -4095)
		stats->failed++;
	stats->pages += record->pages;
	stats->latency_total_ns += record->latency_ns;
	if (record->latency_ns > stats->latency_max_ns)
		stats->latency_max_ns = record->latency_ns;
	return 0;
}

int zdev_drm_pagemap_seen(const struct zdev_model *model)
{
	return model->nr_drm_pagemap || model->received[ZDEV_REC_DRM_PAGEMAP] ||
	       model->ring_emitted[ZDEV_REC_DRM_PAGEMAP] || model->ring_dropped[ZDEV_REC_DRM_PAGEMAP];
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

static int apply_eviction(struct zdev_model *model, const struct zdev_eviction_record *record)
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
static int apply_page_use(struct zdev_model *model, const struct zdev_page_use_record *record)
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

/* --- pools ------------------------------------------------------------------------------------------------ */

static struct zdev_pool *pool_of(struct zdev_model *model, uint64_t key, int create)
{
	struct zdev_pool *pool;

	for (size_t i = model->nr_pools; i-- > 0;) {
		if (model->pools[i].key == key && !model->pools[i].gone)
			return &model->pools[i];
	}
	if (!create || grow((void **)&model->pools, &model->cap_pools, model->nr_pools + 1, sizeof(*pool)))
		return NULL;
	pool = &model->pools[model->nr_pools++];
	memset(pool, 0, sizeof(*pool));
	pool->id = (uint32_t)model->nr_pools;
	pool->key = key;
	return pool;
}

uint64_t zdev_pool_outstanding_bytes(const struct zdev_pool *pool)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < pool->nr_outstanding; i++)
		bytes += pool->outstanding[i].bytes;
	return bytes;
}

static void track_allocation(struct zdev_pool *pool, uint64_t offset, uint64_t bytes, int direct)
{
	void *bigger;

	if (pool->nr_outstanding >= ZDEV_OUTSTANDING_MAX) {
		pool->outstanding_overflow++;
		return;
	}
	/* grows by doubling up to the cap; a failure is an overflow, not a lost event */
	if ((pool->nr_outstanding & (pool->nr_outstanding - 1)) == 0) {
		size_t cap = pool->nr_outstanding ? pool->nr_outstanding * 2 : 16;

		bigger = realloc(pool->outstanding, cap * sizeof(*pool->outstanding));
		if (!bigger) {
			pool->outstanding_overflow++;
			return;
		}
		pool->outstanding = bigger;
	}
	pool->outstanding[pool->nr_outstanding++] = (struct zdev_allocation){ offset, bytes, bytes, direct };
}

/* the allocation at index i is all given back: out of the table, which stays oldest first
 * (untrack_direct_bytes relies on it; the table is short and whole allocations go rarely) */
static void forget_allocation(struct zdev_pool *pool, size_t i)
{
	memmove(&pool->outstanding[i], &pool->outstanding[i + 1],
		(pool->nr_outstanding - i - 1) * sizeof(*pool->outstanding));
	pool->nr_outstanding--;
}

/* frees may cover part of an allocation (p2pmem/allocate pages come back one by one) */
static void untrack_allocation(struct zdev_pool *pool, uint64_t offset, uint64_t bytes)
{
	for (size_t i = 0; i < pool->nr_outstanding; i++) {
		struct zdev_allocation *allocation = &pool->outstanding[i];

		if (offset < allocation->offset || offset >= allocation->offset + allocation->span)
			continue;
		allocation->bytes = allocation->bytes > bytes ? allocation->bytes - bytes : 0;
		if (!allocation->bytes)
			forget_allocation(pool, i);
		return;
	}
}

static void note_pool_state(struct zdev_pool *pool, uint64_t size, uint64_t avail, uint64_t at_ns)
{
	uint64_t in_use;

	pool->size_bytes = size;
	pool->avail_bytes = avail;
	pool->state_ns = at_ns;
	in_use = size > avail ? size - avail : 0;
	if (in_use > pool->high_water_bytes)
		pool->high_water_bytes = in_use;
}

/* Direct allocations given back page by page through the pgmap, when only their count is known (the
 * genalloc free kprobe is off): the bytes come off the oldest direct allocations first. Outstanding bytes
 * stay exact; which of several mappings a page came from is not known without that kprobe. */
static void untrack_direct_bytes(struct zdev_pool *pool, uint64_t bytes)
{
	size_t i = 0;

	while (bytes && i < pool->nr_outstanding) {
		struct zdev_allocation *allocation = &pool->outstanding[i];
		uint64_t taken;

		if (!allocation->direct) {
			i++;
			continue;
		}
		taken = allocation->bytes < bytes ? allocation->bytes : bytes;
		allocation->bytes -= taken;
		bytes -= taken;
		if (allocation->bytes)
			i++;
		else
			forget_allocation(pool, i);
	}
	pool->page_frees_unmatched += bytes;
}

/* pool pages records are cumulative: each replaces what the last one said */
static int apply_pool_pages(struct zdev_model *model, const struct zdev_pool_pages_record *record)
{
	struct zdev_pool *pool = NULL;
	uint64_t new_pages;

	/* the counts outlive their pool (the last read comes after it went): the newest pool of that key */
	for (size_t i = model->nr_pools; i-- > 0 && !pool;) {
		if (model->pools[i].key == record->pool_key)
			pool = &model->pools[i];
	}
	if (!pool)
		pool = pool_of(model, record->pool_key, 1);
	if (!pool)
		return -ENOMEM;
	pool->p2pdma = 1;
	new_pages = record->pages_freed > pool->page_frees ? record->pages_freed - pool->page_frees : 0;
	pool->page_frees = record->pages_freed;
	if (!record->frees_recorded && new_pages)
		untrack_direct_bytes(pool, new_pages * record->page_bytes);
	/* the state read with the counts (or at the pgmap's unmap), unless a pool record read it since */
	if (record->state_ns && record->state_ns >= pool->state_ns)
		note_pool_state(pool, record->pool_size, record->pool_avail, record->state_ns);
	return 0;
}

static int apply_pool(struct zdev_model *model, const struct zdev_pool_record *record)
{
	struct zdev_pool *pool = pool_of(model, record->pool_key, 1);

	if (!pool)
		return -ENOMEM;
	if (record->device[0] && !pool->device[0])
		memcpy(pool->device, record->device, sizeof(pool->device));
	pool->device[ZDEV_DEVICE_LEN - 1] = '\0';
	note_pool_state(pool, record->pool_size, record->pool_avail, record->header.timestamp_ns);
	switch (record->event) {
	case ZDEV_POOL_CREATED:
		pool->p2pdma = 1;
		pool->create_result = record->result;
		pool->bar = record->bar;
		pool->offset = record->offset;
		break;
	case ZDEV_POOL_ALLOC:
		pool->p2pdma = 1;
		if (record->result == ZDEV_POOL_HANDED_BACK) {
			pool->handed_back++;
		} else if (record->result) {
			pool->failures++;
		} else {
			pool->allocs++;
			pool->size_histogram[log2_bucket(record->bytes, ZDEV_SIZE_BUCKETS)]++;
			track_allocation(pool, record->address_key, record->bytes, 0);
		}
		break;
	case ZDEV_POOL_FREE:
		pool->frees++;
		untrack_allocation(pool, record->address_key, record->bytes);
		break;
	case ZDEV_POOL_GENALLOC_ALLOC:
		/* inside pci_alloc_p2pmem: counted by its own record */
		if (record->from_p2p_api || record->result)
			break;
		pool->direct_allocs++;
		pool->size_histogram[log2_bucket(record->bytes, ZDEV_SIZE_BUCKETS)]++;
		track_allocation(pool, record->address_key, record->bytes, 1);
		break;
	case ZDEV_POOL_GENALLOC_FREE:
		if (record->from_p2p_api)
			break;
		pool->direct_frees++;
		untrack_allocation(pool, record->address_key, record->bytes);
		break;
	}
	return 0;
}

/* a p2pdma pool goes with its device's p2pdma pgmap */
static void pools_gone_with(struct zdev_model *model, const struct zdev_pgmap *pgmap)
{
	if (pgmap->type != ZDEV_PGMAP_P2PDMA || !pgmap->device[0])
		return;
	for (size_t i = 0; i < model->nr_pools; i++) {
		struct zdev_pool *pool = &model->pools[i];

		if (pool->gone || !pool->p2pdma || strcmp(pool->device, pgmap->device))
			continue;
		pool->gone = 1;
		pool->outstanding_at_gone = pool->nr_outstanding;
		pool->outstanding_bytes_at_gone = zdev_pool_outstanding_bytes(pool);
	}
}

int zdev_model_apply(struct zdev_model *model, const struct zdev_event *event)
{
	int err = 0;

	switch (event->type) {
	case ZDEV_REC_POOL:
		err = apply_pool(model, &event->pool);
		break;
	case ZDEV_REC_AMDGPU:
		if (event->amdgpu.slot < ZDEV_AMDGPU_SLOTS) {
			uint32_t slot = event->amdgpu.slot;

			model->amdgpu[slot].calls++;
			/* the init and migration functions return int: negative is an errno */
			if (event->amdgpu.result < 0 && event->amdgpu.result >= -4095)
				model->amdgpu[slot].failed++;
			model->amdgpu[slot].latency_total_ns += event->amdgpu.latency_ns;
			model->amdgpu[slot].pages += event->amdgpu.pages;
			if (event->amdgpu.trigger >= 1 && event->amdgpu.trigger <= 4)
				model->amdgpu[slot].by_trigger[event->amdgpu.trigger - 1]++;
			if (event->amdgpu.latency_ns > model->amdgpu[slot].latency_max_ns)
				model->amdgpu[slot].latency_max_ns = event->amdgpu.latency_ns;
		}
		break;
	case ZDEV_REC_MIGRATION:
		err = apply_migration(model, &event->migration);
		break;
	case ZDEV_REC_EVICTION:
		err = apply_eviction(model, &event->eviction);
		break;
	case ZDEV_REC_PAGE_USE:
		err = apply_page_use(model, &event->page_use);
		break;
	case ZDEV_REC_PGMAP_MAP:
		err = apply_map(model, &event->map);
		break;
	case ZDEV_REC_PGMAP_UNMAP:
		err = apply_unmap(model, &event->unmap);
		break;
	case ZDEV_REC_REGION:
		err = apply_region(model, &event->region);
		break;
	case ZDEV_REC_POOL_PAGES:
		err = apply_pool_pages(model, &event->pool_pages);
		break;
	case ZDEV_REC_FAULT_MIGRATIONS:
		err = apply_fault_migrations(model, &event->fault_migrations);
		break;
	case ZDEV_REC_DRM_PAGEMAP:
		err = apply_drm_pagemap(model, &event->drm_pagemap);
		break;
	}
	if (err) {
		model->dropped_other++;
		model->dropped_records++;
	} else {
		model->events++;
	}
	return err;
}

void zdev_model_set_ring_counts(struct zdev_model *model, const uint64_t emitted[ZDEV_REC_TYPES],
				const uint64_t dropped[ZDEV_REC_TYPES])
{
	model->dropped_records = model->dropped_other;
	for (int type = 0; type < ZDEV_REC_TYPES; type++) {
		model->ring_emitted[type] = emitted[type];
		model->ring_dropped[type] = dropped[type];
		model->dropped_records += dropped[type];
	}
}

const char *zdev_record_type_name(uint32_t type)
{
	static const char *const names[ZDEV_REC_TYPES] = {
		[ZDEV_REC_PGMAP_MAP] = "pgmap_map", [ZDEV_REC_PGMAP_UNMAP] = "pgmap_unmap",
		[ZDEV_REC_MIGRATION] = "migration", [ZDEV_REC_EVICTION] = "eviction", [ZDEV_REC_PAGE_USE] = "page_use",
		[ZDEV_REC_POOL] = "pool", [ZDEV_REC_AMDGPU] = "amdgpu", [ZDEV_REC_REGION] = "region",
		[ZDEV_REC_POOL_PAGES] = "pool_pages", [ZDEV_REC_FAULT_MIGRATIONS] = "fault_migrations",
		[ZDEV_REC_DRM_PAGEMAP] = "drm_pagemap",
	};
	return type < ZDEV_REC_TYPES && names[type] ? names[type] : "unknown";
}

size_t zdev_model_incomplete(const struct zdev_model *model, const char *names[], size_t max)
{
	/* which figures each record type feeds */
	static const char *const figures[ZDEV_REC_TYPES] = {
		[ZDEV_REC_PGMAP_MAP] = "pgmaps", [ZDEV_REC_PGMAP_UNMAP] = "pgmaps", [ZDEV_REC_MIGRATION] = "migrations",
		[ZDEV_REC_EVICTION] = "evictions", [ZDEV_REC_POOL] = "pools", [ZDEV_REC_AMDGPU] = "amdgpu",
		[ZDEV_REC_REGION] = "regions", [ZDEV_REC_DRM_PAGEMAP] = "drm_pagemap",
	};
	size_t count = 0;

	for (int type = 0; type < ZDEV_REC_TYPES; type++) {
		int known = 0;

		if (!model->ring_dropped[type] || !figures[type])
			continue;
		for (size_t i = 0; i < count; i++)
			known |= names[i] == figures[type];
		if (!known && count < max)
			names[count++] = figures[type];
	}
	/* drops of unknown type (or the model's own): nothing can be vouched for */
	if (model->dropped_other && count < max)
		names[count++] = "all";
	return count;
}

void zdev_model_add_dropped(struct zdev_model *model, uint64_t dropped)
{
	model->dropped_other += dropped;
	model->dropped_records += dropped;
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

const char *zdev_pgmap_type_name(uint32_t type)
{
	static const char *const names[ZDEV_TYPE_COUNT] = {
		[ZDEV_PGMAP_UNKNOWN] = "unknown", [ZDEV_PGMAP_PRIVATE] = "private",
		[ZDEV_PGMAP_COHERENT] = "coherent", [ZDEV_PGMAP_FS_DAX] = "fsdax",
		[ZDEV_PGMAP_GENERIC] = "generic", [ZDEV_PGMAP_P2PDMA] = "p2pdma",
	};
	return type < ZDEV_TYPE_COUNT ? names[type] : "unknown";
}

const char *zdev_vmemmap_source_name(enum zdev_vmemmap_source source)
{
	switch (source) {
	case ZDEV_VMEMMAP_FROM_POPULATE:
		return "populate";
	case ZDEV_VMEMMAP_FROM_ADD_PAGES:
		return "add_pages";
	case ZDEV_VMEMMAP_FROM_PGMAP:
		return "pgmap";
	}
	return "?";
}

const char *zdev_amdgpu_slot_name(uint32_t slot)
{
	static const char *const names[ZDEV_AMDGPU_SLOTS] = {
		"zone_device_init", "to_vram", "ram_to_vram", "vram_to_ram",
		"to_ram (CPU fault)", "page_free", "copy_to_vram", "copy_to_ram",
	};
	return slot < ZDEV_AMDGPU_SLOTS ? names[slot] : "?";
}

const char *zdev_drm_pagemap_slot_name(uint32_t slot)
{
	static const char *const names[ZDEV_DRM_PAGEMAP_SLOTS] = {
		[ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM] = "migrate_to_devmem",
		[ZDEV_DRM_PAGEMAP_EVICT_TO_RAM] = "evict_to_ram",
		[ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM] = "migrate_to_ram (CPU fault)",
	};
	return slot < ZDEV_DRM_PAGEMAP_SLOTS ? names[slot] : "?";
}

const char *zdev_direction_name(uint32_t direction)
{
	return direction == ZDEV_MIGRATE_TO_DEVICE ? "to-device" : "to-ram";
}

const char *zdev_pgmap_state_name(enum zdev_pgmap_state state)
{
	switch (state) {
	case ZDEV_PGMAP_LIVE:
		return "live";
	case ZDEV_PGMAP_UNMAPPED:
		return "unmapped";
	case ZDEV_PGMAP_FAILED:
		return "failed";
	}
	return "?";
}

const char *zdev_attach_mode_name(uint8_t via)
{
	switch (via) {
	case ZDEV_VIA_FENTRY:
		return "fentry";
	case ZDEV_VIA_KPROBE:
		return "kprobe";
	case ZDEV_VIA_TRACEPOINT:
		return "tracepoint";
	}
	return "off";
}
