/* Record builders for the unit tests: what the BPF side would have written. */
#ifndef ZDEV_TEST_RECORDS_H
#define ZDEV_TEST_RECORDS_H

#include <stdio.h>
#include <string.h>
#include "zdev/abi.h"
#include "zdev/decode.h"
#include "zdev/model.h"

#define MiB (1ull << 20)

static const struct zdev_geometry x86_64_geometry = {
	.page_bytes = 4096, .struct_page_bytes = 64, .section_bytes = 128 * MiB, .subsection_bytes = 2 * MiB,
};

/* an event of TYPE with its header filled in (every record type starts with the same header) */
static inline struct zdev_event empty_event(enum zdev_record_type type, uint16_t size)
{
	struct zdev_event event;

	memset(&event, 0, sizeof(event));
	event.type = type;
	event.header.type = type;
	event.header.size = size;
	event.header.version = ZDEV_ABI_VERSION;
	return event;
}

static inline struct zdev_event map_event(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes,
					  const char *device)
{
	struct zdev_event event = empty_event(ZDEV_REC_PGMAP_MAP, sizeof(event.map));

	event.map.header.via = ZDEV_VIA_FENTRY;
	event.map.header.timestamp_ns = 1000;
	event.map.pgmap_key = key;
	event.map.pgmap_type = type;
	event.map.nr_range = 1;
	event.map.nr_range_mapped = 1;
	event.map.ranges[0].start = start;
	event.map.ranges[0].end = start + bytes - 1;
	event.map.duration_ns = 5000000;
	event.map.memmap_init_ns = 2000000;
	if (device)
		strncpy(event.map.device, device, sizeof(event.map.device) - 1);
	return event;
}

static inline struct zdev_event unmap_event(uint64_t key, uint32_t type, uint64_t start, uint64_t bytes)
{
	struct zdev_event event = empty_event(ZDEV_REC_PGMAP_UNMAP, sizeof(event.unmap));

	event.unmap.header.timestamp_ns = 2000;
	event.unmap.pgmap_key = key;
	event.unmap.pgmap_type = type;
	event.unmap.nr_range = 1;
	event.unmap.ranges[0].start = start;
	event.unmap.ranges[0].end = start + bytes - 1;
	event.unmap.duration_ns = 1000000;
	return event;
}

static inline struct zdev_event migration_event(uint64_t owner, uint32_t direction, uint32_t trigger, uint64_t pages,
						uint64_t latency_ns)
{
	struct zdev_event event = empty_event(ZDEV_REC_MIGRATION, sizeof(event.migration));

	event.migration.owner_key = owner;
	event.migration.direction = direction;
	event.migration.trigger = trigger;
	event.migration.pages_asked = pages;
	event.migration.pages_collected = pages;
	event.migration.pages_migrated = pages;
	event.migration.latency_ns = latency_ns;
	return event;
}

static inline struct zdev_event pool_event(uint16_t kind, uint64_t pool, uint64_t size, uint64_t avail,
					   uint64_t bytes, uint64_t offset, int32_t result, int from_p2p_api)
{
	struct zdev_event event = empty_event(ZDEV_REC_POOL, sizeof(event.pool));

	event.pool.event = kind;
	event.pool.pool_key = pool;
	event.pool.pool_size = size;
	event.pool.pool_avail = avail;
	event.pool.bytes = bytes;
	event.pool.address_key = offset;
	event.pool.result = result;
	event.pool.from_p2p_api = (uint8_t)from_p2p_api;
	strcpy(event.pool.device, "0000:00:05.0");
	return event;
}

/* what zdev_session_flush_page_use says of a p2pdma pool: PAGES freed through its pgmap so far */
static inline struct zdev_event pool_pages_event(uint64_t pool, uint64_t pages, uint64_t size, uint64_t avail,
						 uint64_t state_ns, int frees_recorded)
{
	struct zdev_event event = empty_event(ZDEV_REC_POOL_PAGES, sizeof(event.pool_pages));

	event.pool_pages.pool_key = pool;
	event.pool_pages.pages_freed = pages;
	event.pool_pages.pool_size = size;
	event.pool_pages.pool_avail = avail;
	event.pool_pages.state_ns = state_ns;
	event.pool_pages.page_bytes = 4096;
	event.pool_pages.frees_recorded = (uint8_t)frees_recorded;
	return event;
}

/* an amdgpu KFD SVM function's return (TRIGGER: KFD_MIGRATE_TRIGGER_* + 1, 0 unknown) */
static inline struct zdev_event amdgpu_event(uint32_t slot, int64_t result, uint64_t pages, uint32_t trigger,
					     uint64_t latency_ns)
{
	struct zdev_event event = empty_event(ZDEV_REC_AMDGPU, sizeof(event.amdgpu));

	event.amdgpu.slot = slot;
	event.amdgpu.result = result;
	event.amdgpu.pages = pages;
	event.amdgpu.trigger = trigger;
	event.amdgpu.latency_ns = latency_ns;
	return event;
}

/* a drm_pagemap function's return: OWNER the hidden pgmap owner (0: not known) */
static inline struct zdev_event drm_pagemap_event(uint32_t slot, uint64_t owner, int64_t result, uint64_t pages,
						  uint64_t latency_ns)
{
	struct zdev_event event = empty_event(ZDEV_REC_DRM_PAGEMAP, sizeof(event.drm_pagemap));

	event.drm_pagemap.slot = slot;
	event.drm_pagemap.owner_key = owner;
	event.drm_pagemap.result = result;
	event.drm_pagemap.pages = pages;
	event.drm_pagemap.latency_ns = latency_ns;
	return event;
}

/* device pages of the pgmap KEY initialised and freed so far (cumulative, as the BPF page_use map has them) */
static inline struct zdev_event page_use_event(uint64_t key, uint64_t initialised, uint64_t freed)
{
	struct zdev_event event = empty_event(ZDEV_REC_PAGE_USE, sizeof(event.page_use));

	event.page_use.pgmap_key = key;
	event.page_use.pages_initialised = initialised;
	event.page_use.pages_freed = freed;
	return event;
}

static inline struct zdev_event region_event(uint32_t event, uint64_t start, uint64_t size, const char *device)
{
	struct zdev_event region = empty_event(ZDEV_REC_REGION, sizeof(struct zdev_region_record));

	region.region.event = event;
	region.region.start = start;
	region.region.size = size;
	snprintf(region.region.device, sizeof(region.region.device), "%s", device);
	return region;
}

#endif
