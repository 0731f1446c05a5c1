// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The aggregation model (see include/zdev/model.h): decoded events in, each handed to the part that keeps
 * its table (model_parts.h), and the model-wide counts (records received, dropped, owners). No I/O here:
 * unit tests drive it with records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/model.h"
#include "model_parts.h"

int zdev_model_init(struct zdev_model *model, const struct zdev_geometry *geometry)
{
	memset(model, 0, sizeof(*model));
	if (!model_geometry_valid(geometry))
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

int model_grow(void **array, size_t *cap, size_t need, size_t elem_size)
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

void *model_append(void **array, size_t *nr, size_t *cap, size_t elem_size)
{
	char *element;

	if (model_grow(array, cap, *nr + 1, elem_size))
		return NULL;
	element = (char *)*array + *nr * elem_size;
	(*nr)++;
	memset(element, 0, elem_size);
	return element;
}

uint32_t model_owner_id(struct zdev_model *model, uint64_t owner_key)
{
	if (!owner_key)
		return 0;
	for (size_t i = 0; i < model->nr_owners; i++) {
		if (model->owner_keys[i] == owner_key)
			return (uint32_t)i + 1;
	}
	if (model_grow((void **)&model->owner_keys, &model->cap_owners, model->nr_owners + 1, sizeof(uint64_t)))
		return 0;
	model->owner_keys[model->nr_owners++] = owner_key;
	return (uint32_t)model->nr_owners;
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

int zdev_model_apply(struct zdev_model *model, const struct zdev_event *event)
{
	int err = 0;

	switch (event->type) {
	case ZDEV_REC_PGMAP_MAP:
		err = model_apply_map(model, &event->map);
		break;
	case ZDEV_REC_PGMAP_UNMAP:
		err = model_apply_unmap(model, &event->unmap);
		break;
	case ZDEV_REC_MIGRATION:
		err = model_apply_migration(model, &event->migration);
		break;
	case ZDEV_REC_EVICTION:
		err = model_apply_eviction(model, &event->eviction);
		break;
	case ZDEV_REC_PAGE_USE:
		err = model_apply_page_use(model, &event->page_use);
		break;
	case ZDEV_REC_POOL:
		err = model_apply_pool(model, &event->pool);
		break;
	case ZDEV_REC_AMDGPU:
		err = model_apply_amdgpu(model, &event->amdgpu);
		break;
	case ZDEV_REC_REGION:
		err = model_apply_region(model, &event->region);
		break;
	case ZDEV_REC_POOL_PAGES:
		err = model_apply_pool_pages(model, &event->pool_pages);
		break;
	case ZDEV_REC_FAULT_MIGRATIONS:
		err = model_apply_fault_migrations(model, &event->fault_migrations);
		break;
	case ZDEV_REC_DRM_PAGEMAP:
		err = model_apply_drm_pagemap(model, &event->drm_pagemap);
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
