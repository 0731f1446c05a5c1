/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Writing a record file (format in zdev/record_file.h): blocks go to the file with one write(2) each, as
 * they are complete. */
#ifndef ZDEV_RECORD_WRITER_H
#define ZDEV_RECORD_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/record_file.h"

struct zdev_record_writer;

/* creates PATH with O_EXCL|O_NOFOLLOW, mode 0600; `force` first removes an existing regular file or
 * symlink (never follows it). NULL and one line in `error` on failure. */
struct zdev_record_writer *zdev_record_writer_create(const char *path, int force, char *error, size_t error_len);
int zdev_record_writer_meta(struct zdev_record_writer *writer, const struct zdev_file_meta *meta);
int zdev_record_writer_list(struct zdev_record_writer *writer, enum zdev_block_type type, const void *entries,
			    uint32_t count, uint32_t entry_bytes);
/* queues one record; a RECORDS block is written when the queue is full or at zdev_record_writer_flush */
int zdev_record_writer_add(struct zdev_record_writer *writer, const void *data, size_t size);
int zdev_record_writer_flush(struct zdev_record_writer *writer);
/* flushes, writes END, fsyncs and closes; frees the writer whatever happens */
int zdev_record_writer_finish(struct zdev_record_writer *writer, const struct zdev_file_end *end);
/* closes without END (an error path): the file stays readable up to its last block */
void zdev_record_writer_abandon(struct zdev_record_writer *writer);
uint64_t zdev_record_writer_records(const struct zdev_record_writer *writer);
uint64_t zdev_record_writer_bytes(const struct zdev_record_writer *writer);

#endif /* ZDEV_RECORD_WRITER_H */
