// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's HMM migrations per owner and direction: one record per driver-asked migration, cumulative
 * sums for CPU-fault migrations (summed in BPF), and the latency histogram both fill alike (latency.h).
 */
#include <errno.h>
#include "zdev/latency.h"
#include "zdev/model.h"
#include "model_parts.h"

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
	stats = model_append((void **)&model->migrations, &model->nr_migrations, &model->cap_migrations, sizeof(*stats));
	if (!stats)
		return NULL;
	stats->owner_id = owner;
	stats->direction = direction;
	return stats;
}

int model_apply_migration(struct zdev_model *model, const struct zdev_migration_record *record)
{
	uint32_t direction = record->direction == ZDEV_MIGRATE_TO_DEVICE ? ZDEV_MIGRATE_TO_DEVICE : ZDEV_MIGRATE_TO_RAM;
	struct zdev_migration_stats *stats = migration_stats(model, model_owner_id(model, record->owner_key), direction);

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
int model_apply_fault_migrations(struct zdev_model *model, const struct zdev_fault_migrations_record *record)
{
	uint32_t direction = record->key.direction == ZDEV_MIGRATE_TO_DEVICE ? ZDEV_MIGRATE_TO_DEVICE : ZDEV_MIGRATE_TO_RAM;
	struct zdev_migration_stats *stats = migration_stats(model, model_owner_id(model, record->key.owner_key), direction);
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

