/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Bytes from the ring buffer (or a record file) → checked events. Pure. */
#ifndef ZDEV_DECODE_H
#define ZDEV_DECODE_H

#include <stddef.h>
#include "zdev/abi.h"

struct zdev_event {
	enum zdev_record_type type;
	union {
		struct zdev_record_header header;
		struct zdev_pgmap_map_record map;
		struct zdev_pgmap_unmap_record unmap;
		struct zdev_migration_record migration;
		struct zdev_eviction_record eviction;
		struct zdev_page_use_record page_use;
		struct zdev_pool_record pool;
		struct zdev_amdgpu_record amdgpu;
		struct zdev_region_record region;
		struct zdev_pool_pages_record pool_pages;
		struct zdev_fault_migrations_record fault_migrations;
		struct zdev_drm_pagemap_record drm_pagemap;
	};
};

enum zdev_decode_status {
	ZDEV_DECODE_OK = 0,
	ZDEV_DECODE_SHORT = -1,        /* fewer bytes than a header, or than the header's size */
	ZDEV_DECODE_BAD_VERSION = -2,  /* a record version this build does not know */
	ZDEV_DECODE_UNKNOWN_TYPE = -3, /* a record type this build does not know: skip it */
	ZDEV_DECODE_BAD_SIZE = -4,     /* the size does not match the type */
};

/* decodes one record of `size` bytes; strings in it are made NUL-terminated */
enum zdev_decode_status zdev_decode(const void *data, size_t size, struct zdev_event *event);
const char *zdev_decode_status_text(enum zdev_decode_status status);

#endif /* ZDEV_DECODE_H */
