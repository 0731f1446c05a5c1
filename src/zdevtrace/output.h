/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * zdevtrace's outputs (the report, the check's JUnit XML, a baseline written): planned when the options are
 * checked, opened only when their content is ready, never destroying anything on the way (see output.c).
 */
#ifndef ZDEVTRACE_OUTPUT_H
#define ZDEVTRACE_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>

enum output_kind {
	OUTPUT_NONE,    /* not planned: the command writes nothing there */
	OUTPUT_STDOUT,  /* no path, or "-" */
	OUTPUT_STREAM,  /* a FIFO, a character device or a socket: written in place, never replaced */
	OUTPUT_REPLACE, /* a regular file, or a path not there yet: a temporary file renamed over it */
};

struct output {
	const char *path;     /* as given; NULL for standard output */
	const char *what;     /* what goes there, for messages: "the report", "the JUnit XML" */
	enum output_kind kind;
	mode_t mode;          /* OUTPUT_REPLACE: the replaced file's permissions, or a new file's */
	int is_socket;
	char *temp_path;      /* OUTPUT_REPLACE, while open */
	FILE *stream;         /* while open */
};

/* Fills fd 0-2 when they are closed (a closed stdout stays unwritable: writes fail with EBADF, said once)
 * so that no file zdevtrace opens becomes its standard output by accident. */
void output_guard_standard_fds(void);
/* How PATH (NULL or "-": standard output) will be written; 0, or -1 after one line on stderr (a directory,
 * a block device, a folder that is not there or not writable). Nothing is created yet. A new file gets
 * 0600 when `private_file` (baselines and JUnit files, as record files), else 0666 less the umask. */
int output_plan(struct output *output, const char *path, const char *what, int private_file);
/* 1 when PATH_A and PATH_B name the same file (same device and inode, or the same place when one is not
 * there yet) */
int output_same_file(const char *path_a, const char *path_b);
/* Opens the planned output; NULL after one line on stderr. */
FILE *output_open(struct output *output);
/* Ends the output: flushed, synced and renamed into place (OUTPUT_REPLACE). A write error, or
 * `write_failed` (what the renderer returned), gives one line on stderr naming the output, leaves what was
 * at the path untouched, and -1. */
int output_finish(struct output *output, int write_failed);
/* Gives up an open output (another step failed): the temporary file goes, the path keeps what it had. */
void output_discard(struct output *output);

#endif /* ZDEVTRACE_OUTPUT_H */
