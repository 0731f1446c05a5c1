/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a record file (format in zdev/record_file.h): pure, over a buffer, block by block to a visitor. */
#ifndef ZDEV_RECORD_READER_H
#define ZDEV_RECORD_READER_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/record_file.h"

enum zdev_record_read_status {
	ZDEV_RECORD_READ_OK = 0,
	ZDEV_RECORD_READ_EMPTY = 1,          /* no bytes at all */
	ZDEV_RECORD_READ_BAD_MAGIC = 2,      /* not a zdev record */
	ZDEV_RECORD_READ_FUTURE_VERSION = 3, /* a newer format than this build reads */
	ZDEV_RECORD_READ_SHORT_HEADER = 4,   /* ends inside its file header or its META block */
	ZDEV_RECORD_READ_BAD_CHECKSUM = 5,
	ZDEV_RECORD_READ_BAD_BLOCK = 6,      /* a block that cannot be what it says (size, order, content) */
	ZDEV_RECORD_READ_CONSUMER = 7,       /* a visitor refused (out of memory, unusable geometry) */
};

/* what the parser hands on, block by block; a non-zero return stops the parse (ZDEV_RECORD_READ_CONSUMER) */
struct zdev_record_visitor {
	int (*meta)(void *ctx, const struct zdev_file_meta *meta);
	int (*probe)(void *ctx, uint32_t index, const struct zdev_file_probe *probe);
	int (*present)(void *ctx, const struct zdev_file_present *present);
	int (*record)(void *ctx, const void *data, size_t size);
	int (*end)(void *ctx, const struct zdev_file_end *end);
};

struct zdev_record_read_result {
	enum zdev_record_read_status status;
	uint32_t format_version;
	uint64_t blocks;            /* complete blocks read */
	uint64_t records;
	uint64_t truncated_bytes;   /* bytes at the end that were not a complete block (a crash, a copy cut short) */
	uint64_t error_offset;      /* where the error is, in bytes from the start */
	int has_end;
	char message[200];          /* one line for the user when status != OK */
};

/* Pure: walks `len` bytes of a record file, calling the visitor. Never reads outside the buffer. */
enum zdev_record_read_status zdev_record_read(const void *data, size_t len, const struct zdev_record_visitor *visitor,
					    void *ctx, struct zdev_record_read_result *result);

#endif /* ZDEV_RECORD_READER_H */
