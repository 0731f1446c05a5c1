// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's pools: p2pdma pools (pci_p2pdma_add_resource) and the genalloc pools under them, their
 * allocations outstanding, page frees through the pool's pgmap, and their end with that pgmap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/model.h"
#include "model_parts.h"

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

static struct zdev_pool *pool_of(struct zdev_model *model, uint64_t key, int create)
{
	struct zdev_pool *pool;

	for (size_t i = model->nr_pools; i-- > 0;) {
		if (model->pools[i].key == key && !model->pools[i].gone)
			return &model->pools[i];
	}
	if (!create)
		return NULL;
	pool = model_append((void **)&model->pools, &model->nr_pools, &model->cap_pools, sizeof(*pool));
	if (!pool)
		return NULL;
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
int model_apply_pool_pages(struct zdev_model *model, const struct zdev_pool_pages_record *record)
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

int model_apply_pool(struct zdev_model *model, const struct zdev_pool_record *record)
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
void model_pools_gone_with(struct zdev_model *model, const struct zdev_pgmap *pgmap)
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
