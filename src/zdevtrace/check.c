// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * "zdevtrace check": a run (live, or replayed with -r) against a baseline of vmemmap cost; --write-baseline
 * makes one. Exit 0 within the limits, 1 on a regression, 2 when the check itself could not be made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "zdevtrace.h"

#define BASELINE_MAX_BYTES (16u << 20)

static char *read_text(const char *path, size_t *len)
{
	struct stat st;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "zdevtrace: cannot read baseline %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > BASELINE_MAX_BYTES) {
		fprintf(stderr, "zdevtrace: baseline %s is not a regular file of at most %u bytes\n", path,
			BASELINE_MAX_BYTES);
		goto cleanup;
	}
	text = malloc(st.st_size + 1);
	if (!text) {
		fprintf(stderr, "zdevtrace: out of memory\n");
		goto cleanup;
	}
	*len = 0;
	while (*len < (size_t)st.st_size) {
		ssize_t got = read(fd, text + *len, st.st_size - *len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		*len += got;
	}
	text[*len] = '\0';
cleanup:
	close(fd);
	return text;
}

int run_check(const struct options *opts, struct outputs *outputs)
{
	struct zdev_baseline current = { 0 }, baseline = { 0 };
	struct zdev_check_result result = { 0 };
	struct run_source source = { 0 };
	char error[256], *text = NULL;
	const char *what = opts->command_argv ? opts->command_argv[0] : "the command";
	int exit_code = EXIT_USAGE, write_failed;
	size_t len = 0;
	FILE *out;

	/* the baseline first: one that cannot be used is said before a trace is spent on it */
	if (!opts->write_baseline) {
		text = read_text(opts->baseline_path, &len);
		if (!text)
			goto cleanup;
		if (zdev_baseline_parse(text, len, &baseline, error, sizeof(error))) {
			fprintf(stderr, "zdevtrace: baseline %s: %s\n", opts->baseline_path, error);
			goto cleanup;
		}
		free(text);
		text = NULL;
	}
	if (opts->replay_path ? source_replay(opts, &source) : source_live(opts, &source))
		goto cleanup;
	if (source.command_status > 0) {
		fprintf(stderr, "zdevtrace: %s exited with status %d: its run is not a measurement to check\n", what,
			source.command_status);
		goto cleanup;
	}
	if (source.model.dropped_records) {
		fprintf(stderr, "zdevtrace: %llu records were dropped: the figures are incomplete, no check made\n",
			(unsigned long long)source.model.dropped_records);
		goto cleanup;
	}
	if (zdev_baseline_from_model(&source.model, source.run.kernel_release, &current)) {
		fprintf(stderr, "zdevtrace: out of memory\n");
		goto cleanup;
	}
	if (opts->write_baseline) {
		text = zdev_baseline_to_json(&current);
		if (!text) {
			fprintf(stderr, "zdevtrace: out of memory\n");
			goto cleanup;
		}
		out = output_open(&outputs->baseline);
		if (!out)
			goto cleanup;
		write_failed = fprintf(out, "%s\n", text) < 0;
		if (output_finish(&outputs->baseline, write_failed))
			goto cleanup;
		/* on stderr: the baseline itself may be going to standard output */
		fprintf(stderr, "zdevtrace: baseline written to %s: %zu pgmap entr%s, %llu bytes of DRAM vmemmap, "
			"%llu on devices\n", outputs->baseline.path ? outputs->baseline.path : "standard output",
			current.count, current.count == 1 ? "y" : "ies", (unsigned long long)current.vmemmap_dram_bytes,
			(unsigned long long)current.vmemmap_device_bytes);
		exit_code = 0;
		goto cleanup;
	}
	if (zdev_check_compare(&baseline, &current, &opts->limits, &result)) {
		fprintf(stderr, "zdevtrace: out of memory\n");
		goto cleanup;
	}
	out = output_open(&outputs->report);
	if (!out)
		goto cleanup;
	write_failed = zdev_render_check_text(out, &result, opts->baseline_path);
	if (output_finish(&outputs->report, write_failed))
		goto cleanup;
	if (opts->junit_path) {
		out = output_open(&outputs->junit);
		if (!out)
			goto cleanup;
		write_failed = zdev_render_check_junit(out, &result, opts->baseline_path);
		if (output_finish(&outputs->junit, write_failed))
			goto cleanup;
	}
	exit_code = result.regressions ? EXIT_REGRESSION : 0;
cleanup:
	zdev_check_free(&result);
	zdev_baseline_free(&baseline);
	zdev_baseline_free(&current);
	free(text);
	source_free(&source);
	return exit_code;
}
