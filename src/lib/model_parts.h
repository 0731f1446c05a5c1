/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model's parts, one job per file, as the dispatcher (model.c) and each other call them. Internal to
 * the library: the public API is include/zdev/model.h. Each model_apply_* takes one decoded record and
 * returns 0 or -ENOMEM (the dispatcher then counts the record as dropped).
 */
#ifndef ZDEV_MODEL_PARTS_H
#define ZDEV_MODEL_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/model.h"

/* model.c: the model-wide tables. An array grown by doubling to hold `need` elements, 0 or -ENOMEM. */
int model_grow(void **array, size_t *cap, size_t need, size_t elem_size);
/* a new element, zeroed, at the end of an array grown as needed (*nr counts it); NULL when it cannot grow */
void *model_append(void **array, size_t *nr, size_t *cap, size_t elem_size);
/* the small id (1, 2, ...) of an owner key, 0 for none (or when the table cannot grow) */
uint32_t model_owner_id(struct zdev_model *model, uint64_t owner_key);

/* model_vmemmap.c: the geometry the memmap arithmetic accepts (1) or not (0) */
int model_geometry_valid(const struct zdev_geometry *geometry);

/* model_pgmap.c: pgmaps, their device pages and evictions, and the regions they are placed in */
int model_apply_map(struct zdev_model *model, const struct zdev_pgmap_map_record *record);
int model_apply_unmap(struct zdev_model *model, const struct zdev_pgmap_unmap_record *record);
int model_apply_eviction(struct zdev_model *model, const struct zdev_eviction_record *record);
int model_apply_page_use(struct zdev_model *model, const struct zdev_page_use_record *record);
int model_apply_region(struct zdev_model *model, const struct zdev_region_record *record);

/* model_pool.c: p2pdma and genalloc pools */
int model_apply_pool(struct zdev_model *model, const struct zdev_pool_record *record);
int model_apply_pool_pages(struct zdev_model *model, const struct zdev_pool_pages_record *record);
/* an unmapped p2pdma pgmap takes its device's pools with it */
void model_pools_gone_with(struct zdev_model *model, const struct zdev_pgmap *pgmap);

/* model_migration.c: HMM migrations per owner and direction */
int model_apply_migration(struct zdev_model *model, const struct zdev_migration_record *record);
int model_apply_fault_migrations(struct zdev_model *model, const struct zdev_fault_migrations_record *record);

/* model_driver.c: the driver rows (amdgpu per function, drm_pagemap per function and owner) */
int model_apply_amdgpu(struct zdev_model *model, const struct zdev_amdgpu_record *record);
int model_apply_drm_pagemap(struct zdev_model *model, const struct zdev_drm_pagemap_record *record);

#endif /* ZDEV_MODEL_PARTS_H */
