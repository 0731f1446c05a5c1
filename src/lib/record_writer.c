// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writing a record file (format in zdev/record_file.h). Records are queued and go out as one RECORDS block
 * per flush (zdevtrace flushes after every ring-buffer poll), each block with a single write(2): a crash
 * loses at most what was queued since the last flush, and a reader sees whole blocks or a cut tail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "zdev/record_writer.h"

#define QUEUE_BYTES (1u << 20) /* a RECORDS block: at most 1 MiB, about 3000 pgmap records */

struct zdev_record_writer {
	int fd;
	uint32_t sequence;
	unsigned char *queue;
	size_t queued_bytes;
	uint64_t records;
	uint64_t bytes_written;
};

static int write_all(int fd, struct iovec *iov, int count)
{
	while (count > 0) {
		ssize_t written = writev(fd, iov, count);

		if (written < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (count > 0 && (size_t)written >= iov->iov_len) {
			written -= iov->iov_len;
			iov++;
			count--;
		}
		if (count > 0) {
			iov->iov_base = (char *)iov->iov_base + written;
			iov->iov_len -= written;
		}
	}
	return 0;
}

static int write_block(struct zdev_record_writer *writer, uint32_t type, const void *payload, uint32_t payload_bytes)
{
	struct zdev_block_header block = { .type = type, .payload_bytes = payload_bytes, .sequence = writer->sequence };
	struct iovec iov[2] = { { &block, sizeof(block) }, { (void *)payload, payload_bytes } };
	int err;

	block.crc32 = zdev_record_block_crc(&block, payload);
	err = write_all(writer->fd, iov, payload_bytes ? 2 : 1);
	if (err)
		return err;
	writer->sequence++;
	writer->bytes_written += sizeof(block) + payload_bytes;
	return 0;
}

struct zdev_record_writer *zdev_record_writer_create(const char *path, int force, char *error, size_t error_len)
{
	struct zdev_file_header header = { .format_version = ZDEV_RECORD_FILE_VERSION, .header_bytes = sizeof(header) };
	struct zdev_record_writer *writer = NULL;
	struct iovec iov = { &header, sizeof(header) };
	struct stat st;
	int err;

	memcpy(header.magic, ZDEV_RECORD_FILE_MAGIC, sizeof(header.magic));
	if (force && lstat(path, &st) == 0) {
		/* only what a record could be: never unlink a device node or a directory someone pointed us at */
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			snprintf(error, error_len, "%s exists and is not a regular file: not replaced", path);
			return NULL;
		}
		if (unlink(path)) {
			snprintf(error, error_len, "cannot replace %s: %s", path, strerror(errno));
			return NULL;
		}
	}
	writer = calloc(1, sizeof(*writer));
	if (writer)
		writer->queue = malloc(QUEUE_BYTES);
	if (!writer || !writer->queue) {
		snprintf(error, error_len, "out of memory");
		goto cleanup;
	}
	writer->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (writer->fd < 0) {
		if (errno == EEXIST)
			snprintf(error, error_len, "%s exists: not overwritten (--force replaces it)", path);
		else
			snprintf(error, error_len, "cannot create %s: %s", path, strerror(errno));
		goto cleanup;
	}
	err = write_all(writer->fd, &iov, 1);
	if (err) {
		snprintf(error, error_len, "cannot write %s: %s", path, strerror(-err));
		close(writer->fd);
		goto cleanup;
	}
	writer->bytes_written = sizeof(header);
	return writer;
cleanup:
	if (writer)
		free(writer->queue);
	free(writer);
	return NULL;
}

int zdev_record_writer_meta(struct zdev_record_writer *writer, const struct zdev_file_meta *meta)
{
	return write_block(writer, ZDEV_BLOCK_META, meta, sizeof(*meta));
}

int zdev_record_writer_list(struct zdev_record_writer *writer, enum zdev_block_type type, const void *entries,
			    uint32_t count, uint32_t entry_bytes)
{
	struct zdev_file_list_header list = { .count = count, .entry_bytes = entry_bytes };
	size_t payload_bytes = sizeof(list) + (size_t)count * entry_bytes;
	unsigned char *payload;
	int err;

	if (payload_bytes > ZDEV_RECORD_FILE_MAX_BLOCK)
		return -E2BIG;
	payload = malloc(payload_bytes);
	if (!payload)
		return -ENOMEM;
	memcpy(payload, &list, sizeof(list));
	if (count)
		memcpy(payload + sizeof(list), entries, (size_t)count * entry_bytes);
	err = write_block(writer, type, payload, payload_bytes);
	free(payload);
	return err;
}

int zdev_record_writer_flush(struct zdev_record_writer *writer)
{
	int err;

	if (!writer->queued_bytes)
		return 0;
	err = write_block(writer, ZDEV_BLOCK_RECORDS, writer->queue, writer->queued_bytes);
	writer->queued_bytes = 0; /* written or not: a failed write is reported, not retried forever */
	return err;
}

int zdev_record_writer_add(struct zdev_record_writer *writer, const void *data, size_t size)
{
	uint32_t record_bytes = size;
	int err;

	if (size > QUEUE_BYTES - sizeof(record_bytes))
		return -E2BIG;
	if (writer->queued_bytes + sizeof(record_bytes) + size > QUEUE_BYTES) {
		err = zdev_record_writer_flush(writer);
		if (err)
			return err;
	}
	memcpy(writer->queue + writer->queued_bytes, &record_bytes, sizeof(record_bytes));
	memcpy(writer->queue + writer->queued_bytes + sizeof(record_bytes), data, size);
	writer->queued_bytes += sizeof(record_bytes) + size;
	writer->records++;
	return 0;
}

int zdev_record_writer_finish(struct zdev_record_writer *writer, const struct zdev_file_end *end)
{
	int err = zdev_record_writer_flush(writer);

	if (!err)
		err = write_block(writer, ZDEV_BLOCK_END, end, sizeof(*end));
	if (!err && fsync(writer->fd))
		err = -errno;
	if (close(writer->fd) && !err)
		err = -errno;
	free(writer->queue);
	free(writer);
	return err;
}

void zdev_record_writer_abandon(struct zdev_record_writer *writer)
{
	if (!writer)
		return;
	zdev_record_writer_flush(writer);
	close(writer->fd);
	free(writer->queue);
	free(writer);
}

uint64_t zdev_record_writer_records(const struct zdev_record_writer *writer)
{
	return writer->records;
}

uint64_t zdev_record_writer_bytes(const struct zdev_record_writer *writer)
{
	return writer->bytes_written + writer->queued_bytes;
}
