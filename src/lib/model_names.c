// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The names the model's numbers are shown under: record types, pgmap types and states, functions. */
#include "zdev/model.h"

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
