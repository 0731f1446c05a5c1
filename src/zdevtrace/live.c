// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where a report's model comes from: the probes (live, optionally recorded with -w) or a record file.
 * Live: session → (record taps here, raw bytes) → decode → model, the snapshot first; replay: file →
 * the same decode → model. Both leave the run's context (kernel, duration, probe table) for the renderers.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "zdev/signals.h"
#include "zdev/snapshot.h"
#include "zdev/version.h"
#include "../frontend/run_info.h"
#include "../frontend/source_live.h"
#include "zdevtrace.h"

struct tracer {
	struct zdev_model *model;
	struct zdev_record_writer *recorder;
	const char *record_path;
	int record_error;        /* -errno of the first failed write; the record stops, the trace goes on */
};

static void record_failed(struct tracer *tracer, int err)
{
	if (tracer->record_error)
		return;
	tracer->record_error = err;
	fprintf(stderr, "zdevtrace: writing %s: %s; the record stops here (the rest is still traced)\n",
		tracer->record_path, strerror(-err));
}

/* the source's tap: every record to the file (-w) before the model takes it */
static int on_record(void *ctx, const void *data, size_t size)
{
	struct tracer *tracer = ctx;

	if (tracer->recorder && !tracer->record_error) {
		int err = zdev_record_writer_add(tracer->recorder, data, size);

		if (err)
			record_failed(tracer, err);
	}
	return 0;
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void copy_string(char *to, size_t len, const char *from)
{
	snprintf(to, len, "%s", from ? from : "");
}

static int record_header(struct tracer *tracer, const struct zdev_session *session,
			 const struct zdev_geometry *geometry, const char *kernel_release, uint64_t monotonic_ns)
{
	const struct zdev_probe_table *probes = zdev_session_probes(session);
	struct zdev_file_probe rows[ZDEV_HOOK_COUNT];
	struct zdev_file_meta meta = {
		.abi_version = ZDEV_ABI_VERSION,
		.page_bytes = geometry->page_bytes,
		.struct_page_bytes = geometry->struct_page_bytes,
		.section_bytes = geometry->section_bytes,
		.subsection_bytes = geometry->subsection_bytes,
		.monotonic_start_ns = monotonic_ns,
		.realtime_start_ns = clock_ns(CLOCK_REALTIME),
	};
	int err;

	meta.mem_total_bytes = zdev_mem_total_bytes("/");
	meta.ring_buffer_bytes = zdev_session_ring_buffer_bytes(session);
	copy_string(meta.kernel_release, sizeof(meta.kernel_release), kernel_release);
	gethostname(meta.hostname, sizeof(meta.hostname) - 1);
	copy_string(meta.zdev_version, sizeof(meta.zdev_version), ZDEV_VERSION);
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		copy_string(rows[i].function, sizeof(rows[i].function), probes->rows[i].function);
		copy_string(rows[i].feeds, sizeof(rows[i].feeds), probes->rows[i].feeds);
		copy_string(rows[i].why, sizeof(rows[i].why), probes->rows[i].why);
		rows[i].mode = probes->rows[i].mode;
	}
	err = zdev_record_writer_meta(tracer->recorder, &meta);
	if (!err)
		err = zdev_record_writer_list(tracer->recorder, ZDEV_BLOCK_PROBES, rows, ZDEV_HOOK_COUNT, sizeof(rows[0]));
	return err;
}

/* the pgmaps present at start: into the model, and into the record as its SNAPSHOT block */
static int add_snapshot(struct tracer *tracer, int take)
{
	struct zdev_snapshot *snapshot = calloc(1, sizeof(*snapshot));
	struct zdev_file_present *entries = NULL;
	int err = -ENOMEM;

	if (!snapshot)
		goto cleanup;
	if (take)
		zdev_snapshot_read("/", snapshot);
	entries = calloc(snapshot->count ? snapshot->count : 1, sizeof(*entries));
	if (!entries)
		goto cleanup;
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct zdev_present_pgmap *present = &snapshot->pgmaps[i];

		if (zdev_model_add_present(tracer->model, present))
			goto cleanup;
		entries[i] = (struct zdev_file_present){
			.type = present->type,
			.has_range = present->has_range,
			.altmap = present->altmap,
			.vmemmap_shift = present->vmemmap_shift,
			.range = present->range,
			.size_bytes = present->size_bytes,
		};
		memcpy(entries[i].device, present->device, sizeof(entries[i].device));
		copy_string(entries[i].source, sizeof(entries[i].source), present->source);
	}
	if (snapshot->truncated)
		fprintf(stderr, "zdevtrace: more than %d pgmaps present at start: the rest are not listed\n",
			ZDEV_SNAPSHOT_MAX);
	if (tracer->recorder) {
		int write_err = zdev_record_writer_list(tracer->recorder, ZDEV_BLOCK_SNAPSHOT, entries, snapshot->count,
							sizeof(*entries));
		if (write_err)
			record_failed(tracer, write_err);
	}
	err = 0;
cleanup:
	if (err)
		fprintf(stderr, "zdevtrace: out of memory\n");
	free(entries);
	free(snapshot);
	return err;
}

static pid_t start_command(char **command, const sigset_t *blocked)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, blocked, NULL);
		/* zdevtrace ignores SIGPIPE (a write error is said, not died of); an ignored signal stays ignored
		 * across exec, and CMD should get the default */
		signal(SIGPIPE, SIG_DFL);
		execvp(command[0], command);
		fprintf(stderr, "zdevtrace: cannot run %s: %s\n", command[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* trace until the duration, a signal, or the command's exit; returns the command's exit status or -1 */
static int trace(struct zdev_source *records, struct tracer *tracer, double duration_s, int signal_fd, pid_t child)
{
	struct zdev_session *session = zdev_source_session(records);
	uint64_t deadline = duration_s > 0 ? clock_ns(CLOCK_MONOTONIC) + (uint64_t)(duration_s * 1e9) : 0;
	uint64_t counts_read_ns = clock_ns(CLOCK_MONOTONIC);
	int status = -1;

	for (;;) {
		struct pollfd pfd = { .fd = signal_fd, .events = POLLIN };
		struct signalfd_siginfo info;
		int err = zdev_source_poll(records, 100);

		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "zdevtrace: reading the ring buffer: %s\n", strerror(-err));
			break;
		}
		/* a record file gets the counts kept in maps (CPU faults, device pages) every second, so that its
		 * replay (zdevtop -r) sees them grow as they did */
		if (tracer->recorder && clock_ns(CLOCK_MONOTONIC) - counts_read_ns >= 1000000000ull) {
			zdev_session_flush_page_use(session);
			counts_read_ns = clock_ns(CLOCK_MONOTONIC);
		}
		/* one RECORDS block per poll: a crash loses at most the last 100 ms */
		if (tracer->recorder && !tracer->record_error && (err = zdev_record_writer_flush(tracer->recorder)))
			record_failed(tracer, err);
		if (poll(&pfd, 1, 0) > 0 && read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
			if (info.ssi_signo == SIGCHLD && child > 0) {
				int wstatus;

				if (waitpid(child, &wstatus, WNOHANG) == child) {
					status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
					break;
				}
			} else if (info.ssi_signo != SIGCHLD) {
				break; /* SIGINT / SIGTERM / SIGHUP: report what we have */
			}
		}
		if (deadline && clock_ns(CLOCK_MONOTONIC) >= deadline)
			break;
	}
	zdev_source_poll(records, 0); /* what is still in the ring buffer */
	return status;
}

int source_live(const struct options *opts, struct run_source *source)
{
	struct tracer tracer = { .record_path = opts->record_path };
	struct zdev_source_live_options live = { .snapshot = 0, .tap = on_record, .tap_ctx = &tracer };
	struct zdev_session *session;
	struct zdev_geometry geometry;
	char error[512];
	sigset_t blocked;
	int signal_fd = -1, exit_code = EXIT_USAGE, status = -1;
	uint64_t started_ns = 0, traced_ns;
	struct zdev_ring_counts ring = { 0 };
	pid_t child = -1;

	memset(source, 0, sizeof(*source));
	source->command_status = -1;
	signal_fd = zdev_signal_fd(1, &blocked);
	if (signal_fd < 0) {
		fprintf(stderr, "zdevtrace: signalfd: %s\n", strerror(errno));
		goto cleanup;
	}
	/* the record file first: a name that cannot be used is said before anything is attached */
	if (opts->record_path) {
		tracer.recorder = zdev_record_writer_create(opts->record_path, opts->force, error, sizeof(error));
		if (!tracer.recorder) {
			fprintf(stderr, "zdevtrace: %s\n", error);
			goto cleanup;
		}
	}
	/* the snapshot is taken here, not by the source: it goes into the record file too */
	source->records = zdev_source_open_live(&opts->session, &live, error, sizeof(error));
	if (!source->records) {
		fprintf(stderr, "zdevtrace: %s\n", error);
		goto cleanup;
	}
	session = zdev_source_session(source->records);
	tracer.model = zdev_source_model(source->records);
	zdev_session_geometry(session, &geometry);
	copy_string(source->kernel_release, sizeof(source->kernel_release), zdev_source_kernel_release(source->records));
	started_ns = clock_ns(CLOCK_MONOTONIC);
	if (tracer.recorder) {
		int err = record_header(&tracer, session, &geometry, source->kernel_release, started_ns);
		if (err) {
			fprintf(stderr, "zdevtrace: writing %s: %s\n", opts->record_path, strerror(-err));
			goto cleanup;
		}
	}
	/* after attaching: a pgmap registered in between shows in both and the model keeps one */
	if (add_snapshot(&tracer, !opts->no_snapshot))
		goto cleanup;
	if (opts->command_argv) {
		child = start_command(opts->command_argv, &blocked);
		if (child < 0) {
			fprintf(stderr, "zdevtrace: fork: %s\n", strerror(errno));
			goto cleanup;
		}
	} else if (!opts->duration_s) {
		fprintf(stderr, "zdevtrace: tracing; Ctrl-C for the %s\n", opts->command == CMD_RECORD ? "end" : "report");
	}
	status = trace(source->records, &tracer, opts->duration_s, signal_fd, child);
	zdev_session_flush_page_use(session);
	if (zdev_session_ring_counts(session, &ring))
		fprintf(stderr, "zdevtrace: cannot read the BPF side's record counters: the drop count may be low\n");
	zdev_model_set_ring_counts(tracer.model, ring.emitted, ring.dropped);
	/* the model moves to the run: nothing is polled any more (the session stays for its probe table) */
	source->model = *tracer.model;
	memset(tracer.model, 0, sizeof(*tracer.model));
	/* one figure for the live report and the record's END block, so that a replay prints the same */
	traced_ns = clock_ns(CLOCK_MONOTONIC) - started_ns;
	source->run.traced_seconds = traced_ns / 1e9;
	source->run.kernel_release = source->kernel_release;
	source->run.probes = zdev_session_probes(session);
	source->run.ring_buffer_bytes = zdev_session_ring_buffer_bytes(session);
	source->command_status = status;
	source->has_end = 1;
	exit_code = 0;
	if (tracer.recorder) {
		struct zdev_file_end end = {
			.dropped_records = source->model.dropped_records,
			.traced_ns = traced_ns,
			.records = zdev_record_writer_records(tracer.recorder),
			.monotonic_end_ns = clock_ns(CLOCK_MONOTONIC),
		};
		int err;

		memcpy(end.emitted_by_type, ring.emitted, sizeof(end.emitted_by_type));
		memcpy(end.dropped_by_type, ring.dropped, sizeof(end.dropped_by_type));
		if (tracer.record_error) {
			zdev_record_writer_abandon(tracer.recorder);
			exit_code = EXIT_USAGE;
		} else if ((err = zdev_record_writer_finish(tracer.recorder, &end))) {
			fprintf(stderr, "zdevtrace: writing %s: %s\n", opts->record_path, strerror(-err));
			exit_code = EXIT_USAGE;
		} else if (opts->command == CMD_RECORD) {
			fprintf(stderr, "zdevtrace: %llu records (%llu dropped) written to %s\n",
				(unsigned long long)end.records, (unsigned long long)end.dropped_records, opts->record_path);
		}
		tracer.recorder = NULL;
	}
cleanup:
	if (tracer.recorder) {
		zdev_record_writer_abandon(tracer.recorder);
		/* nothing was traced into it: no file is better than a header without a run */
		if (!started_ns)
			unlink(opts->record_path);
	}
	if (child > 0 && status < 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	if (signal_fd >= 0)
		close(signal_fd);
	return exit_code;
}

static void warn_incomplete(const char *path, const struct zdev_record_read_result *result)
{
	if (result->truncated_bytes)
		fprintf(stderr, "zdevtrace: %s: %llu bytes at the end could not be read (a cut-short block); the %llu "
			"blocks before them are used\n", path, (unsigned long long)result->truncated_bytes,
			(unsigned long long)result->blocks);
	if (!result->has_end)
		fprintf(stderr, "zdevtrace: %s has no END block (the recording did not finish): its duration and drop "
			"count are unknown and shown as 0\n", path);
}

int source_replay(const struct options *opts, struct run_source *source)
{
	struct zdev_model *model;
	const struct zdev_replay *replay;
	char error[512];

	memset(source, 0, sizeof(*source));
	source->command_status = -1;
	source->records = zdev_source_open_file(opts->replay_path, NULL, error, sizeof(error));
	if (!source->records) {
		fprintf(stderr, "zdevtrace: %s\n", error);
		return EXIT_USAGE;
	}
	replay = zdev_source_replay(source->records);
	source->unread_bytes = replay->result.truncated_bytes;
	source->has_end = replay->result.has_end;
	/* check says it once, in its own words: an incomplete record cannot be checked */
	if (opts->command != CMD_CHECK)
		warn_incomplete(opts->replay_path, &replay->result);
	/* the model moves to the run; the replay keeps the strings the run info points to */
	model = zdev_source_model(source->records);
	source->model = *model;
	memset(model, 0, sizeof(*model));
	zdev_replay_run_info(replay, &source->probes, &source->run);
	return 0;
}

void source_free(struct run_source *source)
{
	zdev_source_close(source->records);
	source->records = NULL;
	zdev_model_free(&source->model);
}

static int ignore_record(void *ctx, const void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	return 0;
}

int list_probes(const struct options *opts, struct output *output)
{
	struct zdev_session *session;
	char error[512];
	int exit_code = EXIT_USAGE, write_failed;
	FILE *out;

	session = zdev_session_open(&opts->session, ignore_record, NULL, error, sizeof(error));
	if (!session) {
		fprintf(stderr, "zdevtrace: %s\n", error);
		return EXIT_USAGE;
	}
	out = output_open(output);
	if (!out)
		goto cleanup;
	write_failed = opts->format == FORMAT_JSON ? zdev_render_probes_json(out, zdev_session_probes(session))
						   : zdev_render_probes_text(out, zdev_session_probes(session));
	if (output_finish(output, write_failed))
		goto cleanup;
	exit_code = 0;
	if (!zdev_session_attached(session)) {
		fprintf(stderr, "zdevtrace: %s\n", error);
		exit_code = EXIT_USAGE;
	}
cleanup:
	zdev_session_close(session);
	return exit_code;
}
