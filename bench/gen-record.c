// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gen-record: writes a large synthetic record file for the benchmark of the user side (zdevtrace report -r),
 * with the library's own writer (src/lib/record_writer.c), so that its blocks, checksums and framing are what a
 * live recording has. The records are valid and consistent, as the BPF side writes them (include/zdev/abi.h):
 *
 *   - 16 pgmaps registered at the start (map records: device-private, coherent, fsdax, p2pdma) and
 *     unregistered at the end; every RECYCLE records one of them is unmapped and mapped again;
 *   - HMM migrations (most records): 4 owners, to the device in batches of 64 pages by the driver, back to
 *     RAM one page per CPU fault, latencies spread over the histogram's buckets;
 *   - p2p memory through p2pmem/allocate: one genalloc allocation of 256 pages, then 256 one-page frees,
 *     with the pool's size and free bytes as the kernel would show them;
 *   - the cumulative device page counts (page use) once per 4096 records.
 *
 *   gen-record [-n RECORDS] [-p POOL_PERCENT] [-c RECYCLE] FILE
 *
 * Prints the records written and the file's size. Deterministic: the same options give the same file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "zdev/abi.h"
#include "zdev/record_writer.h"
#include "zdev/session.h"
#include "zdev/version.h"

#define PGMAPS 16
#define OWNERS 4
#define P2P_PAGES 256
#define PAGE 4096ull
#define MIB (1ull << 20)

struct generator {
	struct zdev_record_writer *writer;
	uint64_t now_ns;
	uint64_t rng;
	uint64_t written;
	uint64_t pgmap_keys[PGMAPS];
	uint64_t next_key;
	/* p2p: the allocation in progress and how many of its pages are back */
	uint64_t pool_avail;
	uint64_t p2p_offset;
	uint32_t p2p_freed;
	int p2p_allocated;
	uint64_t page_use_init, page_use_freed;
};

/* the lab kernel's probe table (zdevtrace probes on 6.12): function and how it was attached; a hook this
 * table does not name (one added later) is written as "hook N", off */
static const struct {
	const char *function;
	uint8_t mode;
} probe_rows[ZDEV_HOOK_COUNT] = {
	[ZDEV_HOOK_MEMREMAP_PAGES] = { "memremap_pages", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_DEVM_MEMREMAP_PAGES] = { "devm_memremap_pages", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_MEMMAP_INIT_ZONE_DEVICE] = { "memmap_init_zone_device", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_MEMUNMAP_PAGES] = { "memunmap_pages", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_POPULATE_SECTION_MEMMAP] = { "__populate_section_memmap", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_ADD_PAGES] = { "__add_pages", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_PAGE_ALLOC] = { "kmem:mm_page_alloc", ZDEV_VIA_TRACEPOINT },
	[ZDEV_HOOK_MIGRATE_VMA_SETUP] = { "migrate_vma_setup", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_MIGRATE_VMA_PAGES] = { "migrate_vma_pages", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_MIGRATE_VMA_FINALIZE] = { "migrate_vma_finalize", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_MIGRATE_DEVICE_RANGE] = { "migrate_device_range", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_ZONE_DEVICE_PAGE_INIT] = { "zone_device_page_init", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO] = { "free_zone_device_folio", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_FREE_ZONE_DEVICE_PAGE] = { "free_zone_device_page", ZDEV_VIA_NONE },
	[ZDEV_HOOK_P2PDMA_ADD_RESOURCE] = { "pci_p2pdma_add_resource", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_ALLOC_P2PMEM] = { "pci_alloc_p2pmem", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_FREE_P2PMEM] = { "pci_free_p2pmem", ZDEV_VIA_FENTRY },
	[ZDEV_HOOK_GEN_POOL_ALLOC] = { "gen_pool_alloc_algo_owner", ZDEV_VIA_KPROBE },
	[ZDEV_HOOK_GEN_POOL_FREE] = { "gen_pool_free_owner", ZDEV_VIA_KPROBE },
	[ZDEV_HOOK_GEN_POOL_ADD] = { "gen_pool_add_owner", ZDEV_VIA_KPROBE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_ZONE_DEVICE_INIT] = { "kgd2kfd_init_zone_device", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_VRAM] = { "svm_migrate_to_vram", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_RAM_TO_VRAM] = { "svm_migrate_ram_to_vram", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_VRAM_TO_RAM] = { "svm_migrate_vram_to_ram", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_RAM] = { "svm_migrate_to_ram", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_PAGE_FREE] = { "svm_migrate_page_free", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_VRAM] = { "svm_migrate_copy_to_vram", ZDEV_VIA_NONE },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_RAM] = { "svm_migrate_copy_to_ram", ZDEV_VIA_NONE },
};

static const uint64_t pool_key = 0x5eed00000000f00dull;
static const uint64_t pool_bytes = 64 * MIB;

static uint64_t next_random(struct generator *gen)
{
	/* xorshift64*: deterministic, fast */
	gen->rng ^= gen->rng >> 12;
	gen->rng ^= gen->rng << 25;
	gen->rng ^= gen->rng >> 27;
	return gen->rng * 0x2545f4914f6cdd1dull;
}

static void header(struct generator *gen, struct zdev_record_header *h, uint16_t type, uint16_t size)
{
	gen->now_ns += 1000 + next_random(gen) % 20000;
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->size = size;
	h->version = ZDEV_ABI_VERSION;
	h->via = ZDEV_VIA_FENTRY;
	h->tgid = 4242;
	h->tid = 4242;
	h->timestamp_ns = gen->now_ns;
	snprintf(h->comm, sizeof(h->comm), "hmm-migrate");
}

static int add(struct generator *gen, const void *record, size_t size)
{
	int err = zdev_record_writer_add(gen->writer, record, size);

	if (err) {
		fprintf(stderr, "gen-record: writing a record: %s\n", strerror(-err));
		return err;
	}
	gen->written++;
	return 0;
}

/* pgmap i: 256 MiB at 4 GiB + i * 256 MiB; its type by i */
static uint32_t pgmap_type(int i)
{
	static const uint32_t types[] = { ZDEV_PGMAP_PRIVATE, ZDEV_PGMAP_COHERENT, ZDEV_PGMAP_FS_DAX,
					  ZDEV_PGMAP_P2PDMA };

	return types[i % 4];
}

static int map_pgmap(struct generator *gen, int i)
{
	struct zdev_pgmap_map_record record;
	uint64_t start = (4ull << 30) + (uint64_t)i * 256 * MIB, pages = 256 * MIB / PAGE;

	memset(&record, 0, sizeof(record));
	header(gen, &record.header, ZDEV_REC_PGMAP_MAP, sizeof(record));
	snprintf(record.header.comm, sizeof(record.header.comm), "modprobe");
	gen->pgmap_keys[i] = 0xffff888000000000ull + (gen->next_key++ << 12);
	record.pgmap_key = gen->pgmap_keys[i];
	record.owner_key = pgmap_type(i) <= ZDEV_PGMAP_COHERENT ? 0xc0de0000ull + (uint64_t)(i % OWNERS) : 0;
	record.duration_ns = 5000000 + next_random(gen) % 5000000;
	record.memmap_init_ns = record.duration_ns / 3;
	record.nid = -1;
	record.pgmap_type = pgmap_type(i);
	record.nr_range = record.nr_range_mapped = 1;
	record.ranges[0].start = start;
	record.ranges[0].end = start + 256 * MIB - 1;
	record.populate_calls = 2;
	record.populate_pages = pages;
	if (record.pgmap_type == ZDEV_PGMAP_FS_DAX) {
		/* memmap on the device: the altmap gave it */
		record.pgmap_flags = ZDEV_PGMAP_ALTMAP_VALID;
		record.altmap_valid = 1;
		record.altmap_base_pfn = start / PAGE;
		record.altmap_reserve = 2;
		record.altmap_free = pages * 64 / PAGE;
		record.altmap_alloc = pages * 64 / PAGE;
		record.populate_altmap_pfns = record.altmap_alloc;
	} else {
		record.dram_pages_allocated = pages * 64 / PAGE + 8;
	}
	snprintf(record.device, sizeof(record.device), "bench%d", i);
	return add(gen, &record, sizeof(record));
}

static int unmap_pgmap(struct generator *gen, int i)
{
	struct zdev_pgmap_unmap_record record;
	uint64_t start = (4ull << 30) + (uint64_t)i * 256 * MIB;

	memset(&record, 0, sizeof(record));
	header(gen, &record.header, ZDEV_REC_PGMAP_UNMAP, sizeof(record));
	snprintf(record.header.comm, sizeof(record.header.comm), "rmmod");
	record.pgmap_key = gen->pgmap_keys[i];
	record.duration_ns = 1000000 + next_random(gen) % 1000000;
	record.pgmap_type = pgmap_type(i);
	record.nr_range = 1;
	record.ranges[0].start = start;
	record.ranges[0].end = start + 256 * MIB - 1;
	if (record.pgmap_type == ZDEV_PGMAP_FS_DAX) {
		record.pgmap_flags = ZDEV_PGMAP_ALTMAP_VALID;
		record.altmap_alloc = 256 * MIB / PAGE * 64 / PAGE;
	}
	return add(gen, &record, sizeof(record));
}

/* one migration: to the device (64 pages, the driver) or back (1 page, a CPU fault), as test_hmm does */
static int migration(struct generator *gen)
{
	struct zdev_migration_record record;
	uint64_t r = next_random(gen);
	int to_device = r % 65 == 0; /* one batch of 64 to the device per 64 single-page faults back */
	uint64_t pages = to_device ? 64 : 1;

	memset(&record, 0, sizeof(record));
	header(gen, &record.header, ZDEV_REC_MIGRATION, sizeof(record));
	record.owner_key = 0xc0de0000ull + (r >> 8) % OWNERS;
	record.vaddr_start = 0x7f0000000000ull + ((r >> 16) % 4096) * PAGE;
	record.vaddr_end = record.vaddr_start + pages * PAGE;
	record.pages_asked = record.pages_collected = pages;
	record.pages_migrated = (r >> 40) % 1000 ? pages : pages - 1; /* now and then a page stays behind */
	record.latency_ns = (to_device ? 500000 : 20000) << ((r >> 24) % 6);
	record.setup_ns = record.latency_ns / 4;
	record.pages_ns = record.latency_ns / 2;
	record.direction = to_device ? ZDEV_MIGRATE_TO_DEVICE : ZDEV_MIGRATE_TO_RAM;
	record.trigger = to_device ? ZDEV_TRIGGER_DRIVER : ZDEV_TRIGGER_CPU_FAULT;
	record.select_flags = to_device ? 1 : 2;
	if (to_device)
		gen->page_use_init += pages;
	else
		gen->page_use_freed += pages;
	return add(gen, &record, sizeof(record));
}

/* p2pmem/allocate: one genalloc allocation of P2P_PAGES pages, then one free per page (munmap) */
static int pool_event(struct generator *gen)
{
	struct zdev_pool_record record;

	memset(&record, 0, sizeof(record));
	header(gen, &record.header, ZDEV_REC_POOL, sizeof(record));
	snprintf(record.header.comm, sizeof(record.header.comm), "p2p-loop");
	record.header.via = ZDEV_VIA_KPROBE;
	record.pool_key = pool_key;
	record.pool_size = pool_bytes;
	snprintf(record.device, sizeof(record.device), "0000:00:05.0");
	if (!gen->p2p_allocated) {
		gen->p2p_offset = (gen->p2p_offset + P2P_PAGES * PAGE) % (pool_bytes / 2);
		gen->pool_avail -= P2P_PAGES * PAGE;
		record.event = ZDEV_POOL_GENALLOC_ALLOC;
		record.bytes = P2P_PAGES * PAGE;
		record.address_key = gen->p2p_offset;
		record.latency_ns = 30000;
		gen->p2p_allocated = 1;
		gen->p2p_freed = 0;
	} else {
		/* at entry, before the page is back: as the BPF side reports it */
		record.event = ZDEV_POOL_GENALLOC_FREE;
		record.bytes = PAGE;
		record.address_key = gen->p2p_offset + (uint64_t)gen->p2p_freed * PAGE;
		gen->pool_avail += PAGE;
		if (++gen->p2p_freed == P2P_PAGES)
			gen->p2p_allocated = 0;
	}
	record.pool_avail = gen->pool_avail;
	return add(gen, &record, sizeof(record));
}

static int page_use(struct generator *gen)
{
	struct zdev_page_use_record record;

	memset(&record, 0, sizeof(record));
	header(gen, &record.header, ZDEV_REC_PAGE_USE, sizeof(record));
	memset(record.header.comm, 0, sizeof(record.header.comm));
	record.header.via = ZDEV_VIA_NONE;
	record.pgmap_key = gen->pgmap_keys[0];
	/* device pages come back after they went: never more freed than initialised */
	record.pages_initialised = gen->page_use_init;
	record.pages_freed = gen->page_use_freed < gen->page_use_init ? gen->page_use_freed : gen->page_use_init;
	return add(gen, &record, sizeof(record));
}

static void usage(FILE *out)
{
	fprintf(out, "usage: gen-record [-n RECORDS] [-p POOL_PERCENT] [-c RECYCLE] FILE\n"
		     "  -n RECORDS      records to write (default 1000000)\n"
		     "  -p PERCENT      share of p2p pool records (default 10; the rest are mostly migrations)\n"
		     "  -c RECYCLE      unmap and map again one pgmap every RECYCLE records (default 10000)\n");
}

static int parse_number(const char *arg, unsigned long long *value)
{
	char *end;

	errno = 0;
	*value = strtoull(arg, &end, 10);
	return errno || end == arg || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long records = 1000000, pool_percent = 10, recycle = 10000;
	struct generator gen = { .rng = 0x9e3779b97f4a7c15ull, .pool_avail = pool_bytes };
	struct zdev_file_meta meta = {
		.abi_version = ZDEV_ABI_VERSION, .page_bytes = PAGE, .struct_page_bytes = 64,
		.section_bytes = 128 * MIB, .subsection_bytes = 2 * MIB,
		.monotonic_start_ns = 1000000000ull, .realtime_start_ns = 1700000000ull * 1000000000ull,
	};
	struct zdev_file_probe probes[ZDEV_HOOK_COUNT];
	struct zdev_file_present present;
	struct zdev_file_end end;
	char error[256];
	int c, err = 0;

	while ((c = getopt(argc, argv, "n:p:c:h")) != -1) {
		switch (c) {
		case 'n':
			if (parse_number(optarg, &records) || records < 2 * PGMAPS) {
				fprintf(stderr, "gen-record: -n wants a number of records (at least %d)\n", 2 * PGMAPS);
				return 2;
			}
			break;
		case 'p':
			if (parse_number(optarg, &pool_percent) || pool_percent > 100) {
				fprintf(stderr, "gen-record: -p wants a percentage\n");
				return 2;
			}
			break;
		case 'c':
			if (parse_number(optarg, &recycle) || !recycle) {
				fprintf(stderr, "gen-record: -c wants a positive number of records\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	gen.now_ns = meta.monotonic_start_ns;
	gen.writer = zdev_record_writer_create(argv[optind], 1, error, sizeof(error));
	if (!gen.writer) {
		fprintf(stderr, "gen-record: %s\n", error);
		return 1;
	}
	snprintf(meta.kernel_release, sizeof(meta.kernel_release), "6.12.0-bench");
	snprintf(meta.hostname, sizeof(meta.hostname), "gen-record");
	snprintf(meta.zdev_version, sizeof(meta.zdev_version), "%s", ZDEV_VERSION);
	memset(probes, 0, sizeof(probes));
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		if (probe_rows[i].function)
			snprintf(probes[i].function, sizeof(probes[i].function), "%s", probe_rows[i].function);
		else
			snprintf(probes[i].function, sizeof(probes[i].function), "hook %d", i);
		probes[i].mode = probe_rows[i].mode;
		if (probe_rows[i].mode == ZDEV_VIA_NONE)
			snprintf(probes[i].why, sizeof(probes[i].why), "off in gen-record's synthetic run");
	}
	memset(&present, 0, sizeof(present));
	err = zdev_record_writer_meta(gen.writer, &meta);
	if (!err)
		err = zdev_record_writer_list(gen.writer, ZDEV_BLOCK_PROBES, probes, ZDEV_HOOK_COUNT, sizeof(probes[0]));
	if (!err)
		err = zdev_record_writer_list(gen.writer, ZDEV_BLOCK_SNAPSHOT, &present, 0, sizeof(present));
	for (int i = 0; i < PGMAPS && !err; i++)
		err = map_pgmap(&gen, i);
	while (!err && gen.written < records - PGMAPS) {
		uint64_t i = gen.written;

		if (i % recycle == 0) {
			int slot = 1 + (int)((i / recycle) % (PGMAPS - 1)); /* pgmap 0 keeps the page use */

			err = unmap_pgmap(&gen, slot);
			if (!err)
				err = map_pgmap(&gen, slot);
		} else if (i % 4096 == 0) {
			err = page_use(&gen);
		} else if (next_random(&gen) % 100 < pool_percent) {
			err = pool_event(&gen);
		} else {
			err = migration(&gen);
		}
	}
	for (int i = 0; i < PGMAPS && !err; i++)
		err = unmap_pgmap(&gen, i);
	if (err) {
		zdev_record_writer_abandon(gen.writer);
		return 1;
	}
	end = (struct zdev_file_end){ .records = zdev_record_writer_records(gen.writer),
				      .traced_ns = gen.now_ns - meta.monotonic_start_ns, .monotonic_end_ns = gen.now_ns };
	uint64_t bytes = zdev_record_writer_bytes(gen.writer);
	err = zdev_record_writer_finish(gen.writer, &end);
	if (err) {
		fprintf(stderr, "gen-record: finishing %s: %s\n", argv[optind], strerror(-err));
		return 1;
	}
	printf("gen-record: %llu records, %llu bytes\n", (unsigned long long)end.records, (unsigned long long)bytes);
	return 0;
}
