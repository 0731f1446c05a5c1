// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event log: lifecycle changes (registrations, failures, unmaps, pools created and gone, anomalies)
 * found by comparing the model with what the log saw at its last update. Reading the model, not the
 * records, keeps one path for live and replay and costs nothing per record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/render.h"
#include "tui.h"

void tui_eventlog_init(struct tui_eventlog *log, uint64_t start_ns)
{
	memset(log, 0, sizeof(*log));
	log->start_ns = start_ns;
}

void tui_eventlog_free(struct tui_eventlog *log)
{
	free(log->pgmap_state);
	free(log->pool_state);
	memset(log, 0, sizeof(*log));
}

/* what one update found, put in time order before it enters the log (pgmaps are visited by id, and a
 * pgmap's unmap can come after a later pgmap's registration) */
struct pending {
	struct tui_log_entry *entries;
	size_t count, cap;
	int failed;
};

static void add(struct pending *pending, uint64_t at_ns, int warn, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct pending *pending, uint64_t at_ns, int warn, const char *format, ...)
{
	struct tui_log_entry *entry;
	va_list args;

	if (pending->count == pending->cap) {
		size_t cap = pending->cap ? 2 * pending->cap : 16;
		struct tui_log_entry *grown = realloc(pending->entries, cap * sizeof(*grown));

		if (!grown) {
			pending->failed = 1;
			return;
		}
		pending->entries = grown;
		pending->cap = cap;
	}
	entry = &pending->entries[pending->count++];
	entry->at_ns = at_ns;
	entry->warn = warn;
	va_start(args, format);
	vsnprintf(entry->text, sizeof(entry->text), format, args);
	va_end(args);
}

static int by_time(const void *left, const void *right)
{
	const struct tui_log_entry *a = left, *b = right;

	return a->at_ns < b->at_ns ? -1 : a->at_ns > b->at_ns;
}

static void commit(struct tui_eventlog *log, struct pending *pending)
{
	/* qsort is not stable: entries of equal time keep their order by a stable insertion instead */
	for (size_t i = 1; i < pending->count; i++) {
		struct tui_log_entry entry = pending->entries[i];
		size_t j = i;

		while (j > 0 && by_time(&pending->entries[j - 1], &entry) > 0) {
			pending->entries[j] = pending->entries[j - 1];
			j--;
		}
		pending->entries[j] = entry;
	}
	for (size_t i = 0; i < pending->count; i++) {
		log->entries[log->next] = pending->entries[i];
		log->next = (log->next + 1) % TUI_LOG_ENTRIES;
		if (log->count < TUI_LOG_ENTRIES)
			log->count++;
		log->total++;
	}
	free(pending->entries);
}

static int grow_states(uint8_t **states, size_t *known, size_t need)
{
	uint8_t *grown;

	if (need <= *known)
		return 0;
	grown = realloc(*states, need);
	if (!grown)
		return -ENOMEM;
	memset(grown + *known, 0, need - *known);
	*states = grown;
	*known = need;
	return 0;
}

static const char *device_of(const struct zdev_pgmap *pgmap, char *buf, size_t len)
{
	if (pgmap->device[0])
		return pgmap->device;
	if (pgmap->owner_id) {
		snprintf(buf, len, "owner %u", pgmap->owner_id);
		return buf;
	}
	return "no device";
}

static void log_pgmap(struct pending *log, uint64_t start_ns, const struct zdev_pgmap *pgmap, uint8_t seen)
{
	char size[24], dram[24], device_buf[24], error[48];
	const char *device = device_of(pgmap, device_buf, sizeof(device_buf));
	const char *type = zdev_pgmap_type_name(pgmap->type);

	zdev_format_bytes(size, sizeof(size), pgmap->size_bytes);
	zdev_format_bytes(dram, sizeof(dram), pgmap->vmemmap_dram_bytes);
	if (!seen) {
		if (pgmap->present_at_start)
			add(log, start_ns, 0, "pgmap %u %s %s present at start (%s)", pgmap->id, type, device, size);
		else if (pgmap->state == ZDEV_PGMAP_FAILED) {
			zdev_format_errno(error, sizeof(error), pgmap->result);
			add(log, pgmap->mapped_at_ns, 1, "pgmap %u %s %s registration FAILED: %s", pgmap->id, type,
			    device, error);
		} else if (pgmap->seen_mapped) {
			add(log, pgmap->mapped_at_ns, 0, "pgmap %u %s %s registered: %s, vmemmap %s in DRAM%s", pgmap->id,
			    type, device, size, dram, pgmap->altmap_valid ? " (memmap on the device)" : "");
		}
	}
	if (pgmap->state == ZDEV_PGMAP_UNMAPPED && seen != ZDEV_PGMAP_UNMAPPED + 1)
		add(log, pgmap->unmapped_at_ns, 0, "pgmap %u %s %s unmapped", pgmap->id, type, device);
}

int tui_eventlog_update(struct tui_eventlog *log, const struct zdev_model *model)
{
	struct pending pending = { 0 };

	if (grow_states(&log->pgmap_state, &log->pgmap_known, model->nr_pgmaps) ||
	    grow_states(&log->pool_state, &log->pool_known, model->nr_pools))
		return -ENOMEM;
	for (size_t i = 0; i < model->nr_pgmaps; i++) {
		const struct zdev_pgmap *pgmap = &model->pgmaps[i];
		uint8_t now = (uint8_t)(pgmap->state + 1);

		if (log->pgmap_state[i] != now)
			log_pgmap(&pending, log->start_ns, pgmap, log->pgmap_state[i]);
		log->pgmap_state[i] = now;
	}
	for (size_t i = 0; i < model->nr_pools; i++) {
		const struct zdev_pool *pool = &model->pools[i];
		uint8_t now = pool->gone ? 2 : 1;
		char size[24];

		if (log->pool_state[i] == now)
			continue;
		zdev_format_bytes(size, sizeof(size), pool->size_bytes);
		if (!log->pool_state[i])
			add(&pending, 0, pool->create_result != 0, "%s pool %u %s %s%s", pool->p2pdma ? "p2pdma" : "genalloc",
			    pool->id, pool->device[0] ? pool->device : "(unknown device)", size,
			    pool->create_result ? ": creation FAILED" : " created");
		if (now == 2)
			add(&pending, 0, pool->outstanding_at_gone != 0, "pool %u %s gone (%llu allocations outstanding)",
			    pool->id, pool->device[0] ? pool->device : "", (unsigned long long)pool->outstanding_at_gone);
		log->pool_state[i] = now;
	}
	for (; log->anomalies_known < model->nr_anomalies; log->anomalies_known++) {
		const struct zdev_anomaly *anomaly = &model->anomalies[log->anomalies_known];

		if (anomaly->kind == ZDEV_ANOMALY_UNMAP_UNSEEN)
			add(&pending, anomaly->at_ns, 1, "anomaly: pgmap %u unmapped, its registration never seen",
			    anomaly->pgmap_id);
	}
	commit(log, &pending);
	return pending.failed ? -ENOMEM : 0;
}

const struct tui_log_entry *tui_eventlog_get(const struct tui_eventlog *log, size_t i)
{
	if (i >= log->count)
		return NULL;
	return &log->entries[(log->next + TUI_LOG_ENTRIES - 1 - i) % TUI_LOG_ENTRIES];
}
