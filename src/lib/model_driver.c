// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's driver rows: amdgpu's KFD SVM functions per slot, drm_pagemap's (drm_gpusvm_helper: Xe's
 * SVM) per function and owner. Each call of a followed function is one record; a row sums them.
 */
#include <errno.h>
#include <string.h>
#include "zdev/model.h"
#include "model_parts.h"

/* the kernel's errno range (include/linux/err.h): a record file can hold any other value, not a failure */
#define MAX_ERRNO 4095
/* amdgpu records carry KFD_MIGRATE_TRIGGER_* + 1: 1..AMDGPU_TRIGGERS, 0 where the function has no trigger */
#define AMDGPU_TRIGGERS (ZDEV_AMDGPU_TRIGGER_TTM_EVICTION + 1)

static int is_errno(int64_t result)
{
	return result < 0 && result >= -MAX_ERRNO;
}

int model_apply_amdgpu(struct zdev_model *model, const struct zdev_amdgpu_record *record)
{
	uint32_t slot = record->slot;

	if (slot >= ZDEV_AMDGPU_SLOTS)
		return 0; /* a function of a later build: not one of these rows */
	model->amdgpu[slot].calls++;
	/* the init and migration functions return int: negative is an errno */
	if (is_errno(record->result))
		model->amdgpu[slot].failed++;
	model->amdgpu[slot].latency_total_ns += record->latency_ns;
	model->amdgpu[slot].pages += record->pages;
	if (record->trigger >= 1 && record->trigger <= AMDGPU_TRIGGERS)
		model->amdgpu[slot].by_trigger[record->trigger - 1]++;
	if (record->latency_ns > model->amdgpu[slot].latency_max_ns)
		model->amdgpu[slot].latency_max_ns = record->latency_ns;
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
	if (model_grow((void **)&model->drm_pagemap, &model->cap_drm_pagemap, model->nr_drm_pagemap + 1, sizeof(*stats)))
		return NULL;
	stats = &model->drm_pagemap[at];
	memmove(stats + 1, stats, (model->nr_drm_pagemap - at) * sizeof(*stats));
	model->nr_drm_pagemap++;
	memset(stats, 0, sizeof(*stats));
	stats->slot = slot;
	stats->owner_id = owner;
	return stats;
}

int model_apply_drm_pagemap(struct zdev_model *model, const struct zdev_drm_pagemap_record *record)
{
	struct zdev_drm_pagemap_stats *stats;

	if (record->slot >= ZDEV_DRM_PAGEMAP_SLOTS)
		return 0; /* a function of a later build: not one of these rows */
	stats = drm_pagemap_stats(model, record->slot, model_owner_id(model, record->owner_key));
	if (!stats)
		return -ENOMEM;
	stats->calls++;
	/* every function returns int: negative is an errno */
	if (is_errno(record->result))
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

