// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * "zdevtrace check": a run (live, or replayed with -r) against a baseline of vmemmap cost; --write-baseline
 * makes one. Exit 0 within the limits, 1 on a regression (a baseline entry gone too), 2 when the check
 * itself could not be made: a run whose figures are not whole never passes.
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

/* Whether the run's figures are whole: a record cut short or without its END block may miss pgmaps and
 * its drops are unknown, a run with drops misses records, a failed command measured something else. A
 * check of such a run could pass by what it did not see: it is not made (one line, exit 2). */
static int run_is_measurable(const struct options *opts, const struct run_source *source)
{
	const char *doing = opts->write_baseline ? "no baseline written" : "could not check";
	const char *what = opts->command_argv ? opts->command_argv[0] : "the command";
	uint64_t dropped = source->model.dropped_records;

	if (source->command_status > 0) {
		fprintf(stderr, "zdevtrace: %s exited with status %d: its run is not a measurement; %s\n", what,
			source->command_status, doing);
		return 0;
	}
	if (source->unread_bytes) {
		fprintf(stderr, "zdevtrace: %s is cut short (%llu bytes at the end could not be read): what it "
			"missed is unknown; %s\n", opts->replay_path, (unsigned long long)source->unread_bytes, doing);
		return 0;
	}
	if (!source->has_end) {
		fprintf(stderr, "zdevtrace: %s has no END block (the recording did not finish): its drops are "
			"unknown; %s\n", opts->replay_path, doing);
		return 0;
	}
	/* a baseline is what later runs are held to: never one with holes */
	if (dropped && (opts->write_baseline || !opts->allow_drops)) {
		fprintf(stderr, "zdevtrace: %llu records were dropped: the figures are incomplete; %s%s\n",
			(unsigned long long)dropped, doing, opts->write_baseline ? "" : " (--allow-drops checks anyway)");
		return 0;
	}
	if (dropped)
		fprintf(stderr, "zdevtrace: warning: %llu records were dropped: checked anyway (--allow-drops), the "
			"figures may be low\n", (unsigned long long)dropped);
	return 1;
}

/* a baseline from another kernel: its figures may differ for that reason alone */
static int kernel_matches(const struct options *opts, const struct zdev_check_result *result)
{
	if (!result->kernel_differs)
		return 1;
	if (opts->same_kernel) {
		fprintf(stderr, "zdevtrace: the baseline was taken on kernel %s, this run on %s: could not check "
			"(--same-kernel)\n", result->baseline_kernel, result->kernel);
		return 0;
	}
	fprintf(stderr, "zdevtrace: warning: the baseline was taken on kernel %s, this run on %s "
		"(--same-kernel makes this an error)\n", result->baseline_kernel, result->kernel);
	return 1;
}

int run_check(const struct options *opts, struct outputs *outputs)
{
	struct zdev_baseline current = { 0 }, baseline = { 0 };
	struct zdev_check_result result = { 0 };
	struct run_source source = { 0 };
	char error[256], *text = NULL;
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
	if (!run_is_measurable(opts, &source))
		goto cleanup;
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
	if (!kernel_matches(opts, &result))
		goto cleanup;
	out = output_open(&outputs->report);
	if (!out)
		goto cleanup;
	write_failed = (opts->format == FORMAT_JSON ? zdev_render_check_json : zdev_render_check_text)(
		out, &result, opts->baseline_path);
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
