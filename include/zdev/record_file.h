/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record file's format: what `zdevtrace record -w FILE` writes (zdev/record_writer.h) and
 * `zdevtrace report -r FILE` reads (zdev/record_reader.h).
 * Documented in man/zdevtrace.8 (RECORD FILE FORMAT). Little-endian, fixed-width, explicitly padded.
 *
 *   file header   16 B: magic "ZDEVREC\n", format version (u32), file header bytes (u32)
 *   blocks        each: struct zdev_block_header (16 B) then payload_bytes of payload, written with one
 *                 write(2) as it is complete, so that a crash loses at most the block being written.
 *                 crc32 (zlib's) covers the block header's other fields and the payload.
 *
 * Blocks, in the order a writer emits them: META (always first), PROBES, SNAPSHOT, any number of RECORDS
 * (each a run of {u32 bytes, the record as the ring buffer gave it}), END (last; absent when the writer
 * did not finish). A reader skips block types it does not know; the format version changes when a
 * known block changes incompatibly.
 */
#ifndef ZDEV_RECORD_FILE_H
#define ZDEV_RECORD_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/abi.h"

#define ZDEV_RECORD_FILE_MAGIC "ZDEVREC\n"
#define ZDEV_RECORD_FILE_VERSION 1
#define ZDEV_RECORD_FILE_MAX_BLOCK (16u << 20) /* no writer makes a bigger block: beyond, the file is corrupt */

enum zdev_block_type {
	ZDEV_BLOCK_META = 1,
	ZDEV_BLOCK_PROBES = 2,
	ZDEV_BLOCK_SNAPSHOT = 3,
	ZDEV_BLOCK_RECORDS = 4,
	ZDEV_BLOCK_END = 5,
};

struct zdev_file_header {
	char magic[8];
	uint32_t format_version;
	uint32_t header_bytes; /* sizeof(struct zdev_file_header) in this version; later versions may grow it */
};

struct zdev_block_header {
	uint32_t type;          /* enum zdev_block_type */
	uint32_t payload_bytes;
	uint32_t sequence;      /* 0, 1, 2, ...: a missing or repeated block is corruption */
	uint32_t crc32;         /* of the 12 bytes above and the payload */
};

/* META: the machine and the run the records come from */
struct zdev_file_meta {
	uint32_t abi_version;         /* ZDEV_ABI_VERSION of the records */
	uint32_t reserved;
	uint64_t page_bytes;          /* the kernel's geometry (struct zdev_geometry) */
	uint64_t struct_page_bytes;
	uint64_t section_bytes;
	uint64_t subsection_bytes;
	uint64_t monotonic_start_ns;  /* clock base: records carry CLOCK_MONOTONIC timestamps ... */
	uint64_t realtime_start_ns;   /* ... and this is CLOCK_REALTIME at the same instant */
	char kernel_release[128];
	char hostname[64];
	char zdev_version[32];
	/* since zdev 0.1.0's first files: a reader zero-fills what a shorter META lacks */
	uint64_t mem_total_bytes;     /* MemTotal of the recording machine */
	uint64_t ring_buffer_bytes;
};
#define ZDEV_FILE_META_MIN_BYTES offsetof(struct zdev_file_meta, mem_total_bytes)

/* PROBES: u32 rows, u32 row bytes, then the rows (the probe table as the session attached it) */
struct zdev_file_probe {
	char function[80];
	char feeds[96];
	char why[160];
	uint8_t mode;                 /* enum zdev_attach_mode */
	uint8_t padding[7];
};

/* SNAPSHOT: u32 count, u32 entry bytes, then the pgmaps present at start */
struct zdev_file_present {
	uint32_t type;
	uint32_t has_range;
	uint32_t altmap;
	uint32_t vmemmap_shift;
	char device[ZDEV_DEVICE_LEN];
	struct zdev_range range;
	uint64_t size_bytes;
	char source[16];
};

/* END: how the run ended */
struct zdev_file_end {
	uint64_t dropped_records;     /* the BPF side's count */
	uint64_t traced_ns;
	uint64_t records;             /* records written */
	uint64_t monotonic_end_ns;
	/* the BPF side's per-type counters (zero-filled from a shorter END) */
	uint64_t emitted_by_type[ZDEV_REC_TYPES];
	uint64_t dropped_by_type[ZDEV_REC_TYPES];
};
#define ZDEV_FILE_END_MIN_BYTES offsetof(struct zdev_file_end, emitted_by_type)

struct zdev_file_list_header {
	uint32_t count;
	uint32_t entry_bytes;
};

/* the crc32 of a block: its header (crc32 field excluded) and payload */
uint32_t zdev_record_block_crc(const struct zdev_block_header *header, const void *payload);

#endif /* ZDEV_RECORD_FILE_H */
