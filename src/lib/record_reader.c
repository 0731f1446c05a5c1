// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a record file (format in zdev/record_file.h): pure, over a buffer, so that the fuzzer and the unit
 * tests drive it without files. Every length in the file is checked against what is left before use.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include "zdev/record_reader.h"

uint32_t zdev_record_block_crc(const struct zdev_block_header *header, const void *payload)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, (const Bytef *)header, offsetof(struct zdev_block_header, crc32));
	if (header->payload_bytes)
		crc = crc32(crc, payload, header->payload_bytes);
	return (uint32_t)crc;
}

static enum zdev_record_read_status fail(struct zdev_record_read_result *result, enum zdev_record_read_status status,
				     uint64_t offset, const char *what)
{
	result->status = status;
	result->error_offset = offset;
	snprintf(result->message, sizeof(result->message), "%s", what);
	return status;
}

/* u32 count, u32 entry bytes, entries: each entry copied into `entry` (zero-filled beyond what the file
 * has, so that an older, shorter entry reads as a newer one with its new fields zero) */
static int walk_list(const unsigned char *payload, uint32_t payload_bytes, void *entry, size_t entry_size,
		     int (*each)(void *ctx, uint32_t index, const void *entry), void *ctx, int *consumer_error)
{
	struct zdev_file_list_header list;

	if (payload_bytes < sizeof(list))
		return -1;
	memcpy(&list, payload, sizeof(list));
	if (!list.entry_bytes || (uint64_t)list.count * list.entry_bytes != payload_bytes - sizeof(list))
		return -1;
	for (uint32_t i = 0; i < list.count; i++) {
		size_t take = list.entry_bytes < entry_size ? list.entry_bytes : entry_size;

		memset(entry, 0, entry_size);
		memcpy(entry, payload + sizeof(list) + (size_t)i * list.entry_bytes, take);
		if (each(ctx, i, entry)) {
			*consumer_error = 1;
			return -1;
		}
	}
	return 0;
}

struct list_ctx {
	const struct zdev_record_visitor *visitor;
	void *ctx;
};

static int each_probe(void *ctx, uint32_t index, const void *entry)
{
	struct list_ctx *list = ctx;
	struct zdev_file_probe probe;

	memcpy(&probe, entry, sizeof(probe));
	probe.function[sizeof(probe.function) - 1] = '\0';
	probe.feeds[sizeof(probe.feeds) - 1] = '\0';
	probe.why[sizeof(probe.why) - 1] = '\0';
	return list->visitor->probe ? list->visitor->probe(list->ctx, index, &probe) : 0;
}

static int each_present(void *ctx, uint32_t index, const void *entry)
{
	struct list_ctx *list = ctx;
	struct zdev_file_present present;

	(void)index;
	memcpy(&present, entry, sizeof(present));
	present.device[sizeof(present.device) - 1] = '\0';
	present.source[sizeof(present.source) - 1] = '\0';
	return list->visitor->present ? list->visitor->present(list->ctx, &present) : 0;
}

/* a RECORDS payload: {u32 bytes, record} ... exactly filling it */
static int walk_records(const unsigned char *payload, uint32_t payload_bytes, const struct zdev_record_visitor *visitor,
			void *ctx, struct zdev_record_read_result *result, int *consumer_error)
{
	uint32_t at = 0;

	while (at < payload_bytes) {
		uint32_t record_bytes;

		if (payload_bytes - at < sizeof(record_bytes))
			return -1;
		memcpy(&record_bytes, payload + at, sizeof(record_bytes));
		at += sizeof(record_bytes);
		if (record_bytes > payload_bytes - at)
			return -1;
		if (visitor->record && visitor->record(ctx, payload + at, record_bytes)) {
			*consumer_error = 1;
			return -1;
		}
		result->records++;
		at += record_bytes;
	}
	return 0;
}

enum zdev_record_read_status zdev_record_read(const void *data, size_t len, const struct zdev_record_visitor *visitor,
					    void *ctx, struct zdev_record_read_result *result)
{
	const unsigned char *bytes = data;
	struct zdev_file_header file_header;
	struct list_ctx list = { visitor, ctx };
	size_t at;
	int seen_meta = 0, consumer_error = 0;
	char what[200];

	memset(result, 0, sizeof(*result));
	if (len == 0)
		return fail(result, ZDEV_RECORD_READ_EMPTY, 0, "the file is empty: not a zdev record");
	if (memcmp(bytes, ZDEV_RECORD_FILE_MAGIC, len < 8 ? len : 8))
		return fail(result, ZDEV_RECORD_READ_BAD_MAGIC, 0, "not a zdev record (bad magic)");
	if (len < sizeof(file_header)) {
		snprintf(what, sizeof(what), "the file ends inside its header (%zu bytes): nothing to read", len);
		return fail(result, ZDEV_RECORD_READ_SHORT_HEADER, len, what);
	}
	memcpy(&file_header, bytes, sizeof(file_header));
	result->format_version = file_header.format_version;
	if (file_header.format_version > ZDEV_RECORD_FILE_VERSION) {
		snprintf(what, sizeof(what), "format version %u is newer than this zdevtrace reads (%u): update zdev",
			 file_header.format_version, ZDEV_RECORD_FILE_VERSION);
		return fail(result, ZDEV_RECORD_READ_FUTURE_VERSION, 8, what);
	}
	if (file_header.format_version == 0 || file_header.header_bytes != sizeof(file_header)) {
		snprintf(what, sizeof(what), "bad file header (version %u, %u header bytes)",
			 file_header.format_version, file_header.header_bytes);
		return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, 8, what);
	}

	for (at = sizeof(file_header); at < len;) {
		struct zdev_block_header block;
		const unsigned char *payload;
		int bad = 0;

		if (len - at < sizeof(block)) {
			result->truncated_bytes = len - at;
			break;
		}
		memcpy(&block, bytes + at, sizeof(block));
		if (block.payload_bytes > ZDEV_RECORD_FILE_MAX_BLOCK) {
			snprintf(what, sizeof(what), "block %" PRIu64 " claims %u bytes, more than any writer makes: corrupt",
				 result->blocks, block.payload_bytes);
			return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, at, what);
		}
		if (len - at - sizeof(block) < block.payload_bytes) {
			result->truncated_bytes = len - at;
			break;
		}
		payload = bytes + at + sizeof(block);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
		if (zdev_record_block_crc(&block, payload) != block.crc32) {
			snprintf(what, sizeof(what), "block %" PRIu64 " at byte %zu is corrupt (checksum mismatch)",
				 result->blocks, at);
			return fail(result, ZDEV_RECORD_READ_BAD_CHECKSUM, at, what);
		}
#endif
		if (block.sequence != result->blocks) {
			snprintf(what, sizeof(what), "block at byte %zu is number %u where %" PRIu64 " was due: blocks "
				 "are missing or repeated", at, block.sequence, result->blocks);
			return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, at, what);
		}
		if (result->has_end) {
			snprintf(what, sizeof(what), "a block follows the END block (at byte %zu)", at);
			return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, at, what);
		}
		if (!seen_meta && block.type != ZDEV_BLOCK_META) {
			snprintf(what, sizeof(what), "the first block is type %u, not META", block.type);
			return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, at, what);
		}
		switch (block.type) {
		case ZDEV_BLOCK_META: {
			struct zdev_file_meta meta;

			if (seen_meta || block.payload_bytes < ZDEV_FILE_META_MIN_BYTES) {
				bad = 1;
				break;
			}
			memset(&meta, 0, sizeof(meta));
			memcpy(&meta, payload, block.payload_bytes < sizeof(meta) ? block.payload_bytes : sizeof(meta));
			meta.kernel_release[sizeof(meta.kernel_release) - 1] = '\0';
			meta.hostname[sizeof(meta.hostname) - 1] = '\0';
			meta.zdev_version[sizeof(meta.zdev_version) - 1] = '\0';
			seen_meta = 1;
			if (visitor->meta && visitor->meta(ctx, &meta))
				consumer_error = 1;
			break;
		}
		case ZDEV_BLOCK_PROBES: {
			struct zdev_file_probe probe;

			bad = walk_list(payload, block.payload_bytes, &probe, sizeof(probe),
					each_probe, &list, &consumer_error);
			break;
		}
		case ZDEV_BLOCK_SNAPSHOT: {
			struct zdev_file_present present;

			bad = walk_list(payload, block.payload_bytes, &present, sizeof(present),
					each_present, &list, &consumer_error);
			break;
		}
		case ZDEV_BLOCK_RECORDS:
			bad = walk_records(payload, block.payload_bytes, visitor, ctx, result, &consumer_error);
			break;
		case ZDEV_BLOCK_END: {
			struct zdev_file_end end;

			if (block.payload_bytes < ZDEV_FILE_END_MIN_BYTES) {
				bad = 1;
				break;
			}
			memset(&end, 0, sizeof(end));
			memcpy(&end, payload, block.payload_bytes < sizeof(end) ? block.payload_bytes : sizeof(end));
			result->has_end = 1;
			if (visitor->end && visitor->end(ctx, &end))
				consumer_error = 1;
			break;
		}
		default:
			break; /* a block a later writer added: skipped */
		}
		if (consumer_error) {
			snprintf(what, sizeof(what), "block %" PRIu64 " could not be used (out of memory or an "
				 "unusable value)", result->blocks);
			return fail(result, ZDEV_RECORD_READ_CONSUMER, at, what);
		}
		if (bad) {
			snprintf(what, sizeof(what), "block %" PRIu64 " (type %u, %u bytes at byte %zu) is malformed",
				 result->blocks, block.type, block.payload_bytes, at);
			return fail(result, ZDEV_RECORD_READ_BAD_BLOCK, at, what);
		}
		result->blocks++;
		at += sizeof(block) + block.payload_bytes;
	}
	if (!seen_meta) {
		snprintf(what, sizeof(what), "the file ends before its first block is complete (%zu bytes): nothing "
			 "to read", len);
		return fail(result, ZDEV_RECORD_READ_SHORT_HEADER, len, what);
	}
	result->status = ZDEV_RECORD_READ_OK;
	return ZDEV_RECORD_READ_OK;
}
