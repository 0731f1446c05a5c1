// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Outputs that never destroy anything. A regular file, or a path not there yet, is replaced whole or not at
 * all: a temporary file beside it, written, synced, then renamed over it, so that a run that fails (or a
 * full disk) leaves what was there. A FIFO, a character device (/dev/stdout, a terminal) or a socket is
 * written in place as a stream: renaming over one would turn it into a regular file. A block device or a
 * directory is refused. Paths are classified when the options are checked and opened only once the content
 * is ready: nothing is created for a run that fails before.
 */
#define _GNU_SOURCE /* asprintf, mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "output.h"

void output_guard_standard_fds(void)
{
	/* open() takes the lowest free descriptor: filled in order, each lands on the one that was closed.
	 * stdout gets /dev/null read-only, so that writing the report fails (EBADF) and is said, as it would
	 * be on the closed descriptor. */
	static const int flags[3] = { O_RDONLY, O_RDONLY, O_WRONLY };

	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", flags[fd]);
	}
}

static const char *shown_path(const struct output *output)
{
	return output->path ? output->path : "standard output";
}

/* the folder a new file at PATH would be created in, malloc'ed */
static char *folder_of(const char *path)
{
	char *copy = strdup(path), *folder;

	if (!copy)
		return NULL;
	folder = strdup(dirname(copy));
	free(copy);
	return folder;
}

int output_plan(struct output *output, const char *path, const char *what, int private_file)
{
	struct stat st;
	char *folder;
	mode_t umask_bits;

	memset(output, 0, sizeof(*output));
	output->what = what;
	if (!path || !strcmp(path, "-")) {
		output->kind = OUTPUT_STDOUT;
		return 0;
	}
	output->path = path;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "zdevtrace: cannot write %s to %s: it is a directory\n", what, path);
			return -1;
		}
		/* a disk: a report written over its first blocks would destroy it */
		if (S_ISBLK(st.st_mode)) {
			fprintf(stderr, "zdevtrace: cannot write %s to %s: it is a block device\n", what, path);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			output->kind = OUTPUT_STREAM;
			output->is_socket = S_ISSOCK(st.st_mode);
			return 0;
		}
		output->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		fprintf(stderr, "zdevtrace: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	} else {
		umask_bits = umask(0);
		umask(umask_bits);
		output->mode = private_file ? 0600 : 0666 & ~umask_bits;
	}
	output->kind = OUTPUT_REPLACE;
	/* the temporary file is made beside it: say now, before any tracing, when it cannot be */
	folder = folder_of(path);
	if (!folder) {
		fprintf(stderr, "zdevtrace: out of memory\n");
		return -1;
	}
	if (access(folder, W_OK | X_OK)) {
		fprintf(stderr, "zdevtrace: cannot write %s: %s\n", path, strerror(errno));
		free(folder);
		return -1;
	}
	free(folder);
	return 0;
}

/* "/real/folder/name" for a path whose folder exists; NULL when it cannot be resolved */
static char *canonical_path(const char *path)
{
	char *folder = folder_of(path), *copy = strdup(path), *real_folder = NULL, *result = NULL;

	if (!folder || !copy)
		goto cleanup;
	real_folder = realpath(folder, NULL);
	if (!real_folder)
		goto cleanup;
	if (asprintf(&result, "%s/%s", real_folder, basename(copy)) < 0)
		result = NULL;
cleanup:
	free(real_folder);
	free(copy);
	free(folder);
	return result;
}

int output_same_file(const char *path_a, const char *path_b)
{
	struct stat a, b;
	char *canonical_a, *canonical_b;
	int same;

	if (stat(path_a, &a) == 0 && stat(path_b, &b) == 0)
		return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	canonical_a = canonical_path(path_a);
	canonical_b = canonical_path(path_b);
	same = canonical_a && canonical_b ? !strcmp(canonical_a, canonical_b) : !strcmp(path_a, path_b);
	free(canonical_a);
	free(canonical_b);
	return same;
}

/* a socket is written through a connection, as `cat > socket` cannot */
static int connect_socket(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(address.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(address.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof(address))) {
		int err = errno;

		close(fd);
		errno = err;
		fd = -1;
	}
	return fd;
}

static FILE *open_stream(struct output *output)
{
	struct stat st;
	FILE *stream;
	int fd;

	/* no O_CREAT, no O_TRUNC: what is written goes to the reader; nothing is made or emptied */
	fd = output->is_socket ? connect_socket(output->path) : open(output->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "zdevtrace: cannot write %s to %s: %s\n", output->what, output->path, strerror(errno));
		return NULL;
	}
	/* replaced by a regular file since it was planned: writing in place would overwrite it */
	if (fstat(fd, &st) || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)) {
		fprintf(stderr, "zdevtrace: cannot write %s to %s: it changed since zdevtrace started\n", output->what,
			output->path);
		close(fd);
		return NULL;
	}
	stream = fdopen(fd, "w");
	if (!stream) {
		fprintf(stderr, "zdevtrace: cannot write %s to %s: %s\n", output->what, output->path, strerror(errno));
		close(fd);
	}
	return stream;
}

static FILE *open_replacement(struct output *output)
{
	FILE *stream = NULL;
	int fd;

	if (asprintf(&output->temp_path, "%s.XXXXXX", output->path) < 0) {
		output->temp_path = NULL;
		fprintf(stderr, "zdevtrace: out of memory\n");
		return NULL;
	}
	fd = mkostemp(output->temp_path, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "zdevtrace: cannot write %s: cannot create a temporary file beside it: %s\n",
			output->path, strerror(errno));
		goto fail;
	}
	/* mkostemp makes it 0600: the file it replaces keeps its permissions, a new one gets the umask's */
	if (fchmod(fd, output->mode) || !(stream = fdopen(fd, "w"))) {
		fprintf(stderr, "zdevtrace: cannot write %s: %s\n", output->temp_path, strerror(errno));
		close(fd);
		unlink(output->temp_path);
		goto fail;
	}
	return stream;
fail:
	free(output->temp_path);
	output->temp_path = NULL;
	return NULL;
}

FILE *output_open(struct output *output)
{
	switch (output->kind) {
	case OUTPUT_STDOUT:
		output->stream = stdout;
		break;
	case OUTPUT_STREAM:
		output->stream = open_stream(output);
		break;
	case OUTPUT_REPLACE:
		output->stream = open_replacement(output);
		break;
	case OUTPUT_NONE:
		fprintf(stderr, "zdevtrace: internal error: %s has no planned output\n", output->what);
		break;
	}
	return output->stream;
}

int output_finish(struct output *output, int write_failed)
{
	FILE *stream = output->stream;
	int err = 0;

	if (!stream)
		return -1;
	/* the first error is the one to say: a renderer's write, else the flush of what is buffered */
	if (write_failed || ferror(stream))
		err = errno ? errno : EIO;
	else if (fflush(stream))
		err = errno;
	else if (output->kind == OUTPUT_REPLACE && fsync(fileno(stream)))
		err = errno;
	if (stream != stdout) {
		if (fclose(stream) && !err)
			err = errno;
	}
	output->stream = NULL;
	if (!err && output->kind == OUTPUT_REPLACE && rename(output->temp_path, output->path))
		err = errno;
	if (err) {
		fprintf(stderr, "zdevtrace: writing %s to %s: %s\n", output->what, shown_path(output), strerror(err));
		if (output->temp_path)
			unlink(output->temp_path);
	}
	free(output->temp_path);
	output->temp_path = NULL;
	return err ? -1 : 0;
}

void output_discard(struct output *output)
{
	if (output->stream && output->stream != stdout)
		fclose(output->stream);
	else if (output->stream)
		fflush(stdout);
	output->stream = NULL;
	if (output->temp_path)
		unlink(output->temp_path);
	free(output->temp_path);
	output->temp_path = NULL;
}
