// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "zdev/decode.h"

static size_t record_size(enum zdev_record_type type)
{
	switch (type) {
	case ZDEV_REC_PGMAP_MAP:
		return sizeof(struct zdev_pgmap_map_record);
	case ZDEV_REC_PGMAP_UNMAP:
		return sizeof(struct zdev_pgmap_unmap_record);
	case ZDEV_REC_MIGRATION:
		return sizeof(struct zdev_migration_record);
	case ZDEV_REC_EVICTION:
		return sizeof(struct zdev_eviction_record);
	case ZDEV_REC_PAGE_USE:
		return sizeof(struct zdev_page_use_record);
	case ZDEV_REC_POOL:
		return sizeof(struct zdev_pool_record);
	case ZDEV_REC_AMDGPU:
		return sizeof(struct zdev_amdgpu_record);
	case ZDEV_REC_REGION:
		return sizeof(struct zdev_region_record);
	case ZDEV_REC_POOL_PAGES:
		return sizeof(struct zdev_pool_pages_record);
	case ZDEV_REC_FAULT_MIGRATIONS:
		return sizeof(struct zdev_fault_migrations_record);
	case ZDEV_REC_DRM_PAGEMAP:
		return sizeof(struct zdev_drm_pagemap_record);
	}
	return 0;
}

enum zdev_decode_status zdev_decode(const void *data, size_t size, struct zdev_event *event)
{
	struct zdev_record_header header;
	size_t want;

	if (size < sizeof(header))
		return ZDEV_DECODE_SHORT;
	memcpy(&header, data, sizeof(header));
	if (header.size > size)
		return ZDEV_DECODE_SHORT;
	if (header.version != ZDEV_ABI_VERSION)
		return ZDEV_DECODE_BAD_VERSION;
	want = record_size(header.type);
	if (!want)
		return ZDEV_DECODE_UNKNOWN_TYPE;
	if (header.size != want)
		return ZDEV_DECODE_BAD_SIZE;
	memset(event, 0, sizeof(*event));
	event->type = header.type;
	memcpy(&event->header, data, want);
	event->header.comm[ZDEV_COMM_LEN - 1] = '\0';
	if (event->type == ZDEV_REC_POOL)
		event->pool.device[ZDEV_DEVICE_LEN - 1] = '\0';
	if (event->type == ZDEV_REC_REGION)
		event->region.device[ZDEV_DEVICE_LEN - 1] = '\0';
	if (event->type == ZDEV_REC_PGMAP_MAP) {
		event->map.device[ZDEV_DEVICE_LEN - 1] = '\0';
		if (event->map.nr_range > ZDEV_MAX_RANGES && event->map.nr_range_mapped > event->map.nr_range)
			event->map.nr_range_mapped = event->map.nr_range;
	}
	return ZDEV_DECODE_OK;
}

const char *zdev_decode_status_text(enum zdev_decode_status status)
{
	switch (status) {
	case ZDEV_DECODE_OK:
		return "ok";
	case ZDEV_DECODE_SHORT:
		return "truncated record";
	case ZDEV_DECODE_BAD_VERSION:
		return "unknown record version";
	case ZDEV_DECODE_UNKNOWN_TYPE:
		return "unknown record type";
	case ZDEV_DECODE_BAD_SIZE:
		return "record size does not match its type";
	}
	return "?";
}
