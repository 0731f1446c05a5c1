// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The counts the BPF side keeps in maps rather than the ring buffer (device pages per pgmap, p2pdma pages
 * per pool, CPU-fault migrations, records emitted and dropped per type), read and handed on as records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "session_object.h"

/* the state of the pools with pages given back through their pgmaps, read now into page_use by the reader
 * program; when it cannot run, the states stay those of the pgmaps' unmaps and of the pool records */
static void read_pool_states(struct zdev_session *session)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (session->pool_reader)
		bpf_prog_test_run_opts(bpf_program__fd(session->skel->progs.read_pool_states), &opts);
}

static void stamp_record(struct zdev_record_header *header, uint16_t type, uint16_t size, const struct timespec *now)
{
	memset(header, 0, sizeof(*header));
	header->type = type;
	header->size = size;
	header->version = ZDEV_ABI_VERSION;
	header->timestamp_ns = (uint64_t)now->tv_sec * 1000000000ull + (uint64_t)now->tv_nsec;
}

/* Reads page_use: with_pgmaps, each pgmap's counts as a ZDEV_REC_PAGE_USE record; always, the p2pdma pages
 * given back through their pgmaps summed per pool, one ZDEV_REC_POOL_PAGES record each. Returns the records
 * handed over. */
int session_flush_page_use(struct zdev_session *session, int with_pgmaps, const struct timespec *now)
{
	int fd = bpf_map__fd(session->skel->maps.page_use), count = 0;
	struct zdev_pool_pages_record *pools = NULL, *grown;
	uint64_t key, next_key, *previous = NULL;
	struct zdev_page_use_value value;
	size_t nr_pools = 0;

	read_pool_states(session);
	while (bpf_map_get_next_key(fd, previous, &next_key) == 0) {
		struct zdev_pool_pages_record *pool = NULL;

		key = next_key;
		previous = &key;
		if (bpf_map_lookup_elem(fd, &key, &value))
			continue;
		if (with_pgmaps) {
			/* the map holds the counts; the header makes them a record like the others */
			stamp_record(&value.use.header, ZDEV_REC_PAGE_USE, sizeof(value.use), now);
			value.use.pgmap_key = key;
			session->on_record(session->ctx, &value.use, sizeof(value.use));
			count++;
		}
		if (!value.pool_key)
			continue;
		/* a pool can serve several pgmaps (one per pci_p2pdma_add_resource) */
		for (size_t i = 0; i < nr_pools && !pool; i++)
			pool = pools[i].pool_key == value.pool_key ? &pools[i] : NULL;
		if (!pool) {
			grown = realloc(pools, (nr_pools + 1) * sizeof(*pools));
			if (!grown)
				continue; /* out of memory: this pool waits for the next read, its counts are kept */
			pools = grown;
			pool = &pools[nr_pools++];
			memset(pool, 0, sizeof(*pool));
			pool->pool_key = value.pool_key;
		}
		pool->pages_freed += value.use.pages_freed;
		if (value.state_ns >= pool->state_ns) {
			pool->pool_size = value.pool_size;
			pool->pool_avail = value.pool_avail;
			pool->state_ns = value.state_ns;
		}
	}
	for (size_t i = 0; i < nr_pools; i++) {
		stamp_record(&pools[i].header, ZDEV_REC_POOL_PAGES, sizeof(pools[i]), now);
		pools[i].page_bytes = (uint32_t)session->geometry.page_bytes;
		/* with the genalloc free kprobe on, its records say which allocation each page came from */
		pools[i].frees_recorded = session->probes.rows[ZDEV_HOOK_GEN_POOL_FREE].mode != ZDEV_VIA_NONE;
		session->on_record(session->ctx, &pools[i], sizeof(pools[i]));
		count++;
	}
	free(pools);
	return count;
}

/* the CPU-fault migrations summed over the CPUs: one ZDEV_REC_FAULT_MIGRATIONS record per owner and
 * direction; returns the records handed over */
int session_flush_fault_migrations(struct zdev_session *session, const struct timespec *now)
{
	int fd = bpf_map__fd(session->skel->maps.fault_migrations), ncpus = libbpf_num_possible_cpus(), count = 0;
	struct zdev_fault_migrations_key key, next_key, *previous = NULL;
	struct zdev_fault_migrations_record *per_cpu = NULL, sums;

	if (ncpus <= 0)
		return 0;
	/* a per-CPU value: one copy per possible CPU, each 8-byte aligned (the struct is) */
	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return 0;
	while (bpf_map_get_next_key(fd, previous, &next_key) == 0) {
		key = next_key;
		previous = &key;
		if (bpf_map_lookup_elem(fd, &key, per_cpu))
			continue;
		memset(&sums, 0, sizeof(sums));
		for (int cpu = 0; cpu < ncpus; cpu++) {
			const struct zdev_fault_migrations_record *one = &per_cpu[cpu];

			sums.migrations += one->migrations;
			sums.pages_asked += one->pages_asked;
			sums.pages_collected += one->pages_collected;
			sums.pages_migrated += one->pages_migrated;
			sums.latency_total_ns += one->latency_total_ns;
			if (one->latency_max_ns > sums.latency_max_ns)
				sums.latency_max_ns = one->latency_max_ns;
			for (int b = 0; b < ZDEV_LATENCY_BUCKET_COUNT; b++)
				sums.latency_histogram[b] += one->latency_histogram[b];
		}
		stamp_record(&sums.header, ZDEV_REC_FAULT_MIGRATIONS, sizeof(sums), now);
		sums.key = key;
		session->on_record(session->ctx, &sums, sizeof(sums));
		count++;
	}
	free(per_cpu);
	return count;
}

/* the per-CPU record_counts summed over the CPUs: [type] emitted, [ZDEV_REC_TYPES + type] dropped */
int zdev_session_ring_counts(struct zdev_session *session, struct zdev_ring_counts *counts)
{
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(session->skel->maps.record_counts), err = 0;
	uint64_t *per_cpu;

	memset(counts, 0, sizeof(*counts));
	if (ncpus <= 0)
		return -EINVAL;
	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	for (uint32_t index = 0; index < 2 * ZDEV_REC_TYPES; index++) {
		uint64_t *total = index < ZDEV_REC_TYPES ? &counts->emitted[index] : &counts->dropped[index - ZDEV_REC_TYPES];

		if (bpf_map_lookup_elem(fd, &index, per_cpu)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < ncpus; cpu++)
			*total += per_cpu[cpu];
	}
	free(per_cpu);
	return err;
}

uint64_t zdev_session_dropped(struct zdev_session *session)
{
	struct zdev_ring_counts counts;
	uint64_t total = 0;

	zdev_session_ring_counts(session, &counts);
	for (int type = 0; type < ZDEV_REC_TYPES; type++)
		total += counts.dropped[type];
	return total;
}
