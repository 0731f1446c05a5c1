// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtop: the live ZONE_DEVICE dashboard. One fixed pipeline per refresh, as htop: poll the source → the
 * model → sample the rates, update the event log → lay the canvas out → draw it (ncurses) or print it
 * (batch). Keys act on the view only. Wiring here; the work is in source.c, screen.c and src/tui/.
 */
#include <argp.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <time.h>
#include "zdev/render.h"
#include "zdev/signals.h"
#include "zdev/source.h"
#include "zdev/version.h"
#include "../frontend/session_argp.h"
#include "../frontend/source_live.h"
#include "../tui/tui.h"
#include "screen.h"

#define EXIT_USAGE 2
#define POLL_MS 100 /* the ring buffer is drained this often, whatever the refresh */

enum {
	OPT_NO_COLOR = 1000, OPT_SPEED, OPT_NO_SNAPSHOT, OPT_WIDTH,
};

struct options {
	double refresh_s;
	int batch;
	long frames;               /* 0: until q, a signal, or the end of a replay (batch) */
	const char *replay_path;
	double speed;
	int speed_set;
	int color;
	int width;                 /* batch: columns */
	int no_snapshot;
	struct zdev_session_options session;
};

static const struct argp_option argp_options[] = {
	{ "delay", 'd', "SECONDS", 0, "Refresh every SECONDS (default 1)", 0 },
	{ "batch", 'b', NULL, 0, "Batch mode: print text frames to stdout (for scripts), no terminal", 0 },
	{ "iterations", 'n', "FRAMES", 0, "Stop after FRAMES refreshes", 0 },
	{ "read", 'r', "FILE", 0, "Play back the record FILE (zdevtrace record -w) instead of tracing", 0 },
	{ "speed", OPT_SPEED, "X", 0, "Play a record back X times as fast (default 1; 0: all at once)", 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0, "No colours (also with NO_COLOR set in the environment)", 0 },
	{ "width", OPT_WIDTH, "COLUMNS", 0, "Batch mode: frame width (default $COLUMNS, else 120)", 0 },
	{ "no-snapshot", OPT_NO_SNAPSHOT, NULL, 0, "Do not list the pgmaps present at start", 0 },
	{ 0 },
};

static const char argp_doc[] =
	"zdevtop -- a live dashboard of Linux ZONE_DEVICE memory: pgmaps and their vmemmap, p2p pools,\n"
	"migrations, lifecycle events.\n"
	"\n"
	"  zdevtop [-d SECONDS] [--no-color]          live (root, or CAP_BPF+CAP_PERFMON)\n"
	"  zdevtop -r FILE [--speed X]                 play back a record\n"
	"  zdevtop -b [-n FRAMES] [-d SECONDS]         text frames on stdout, like top -b\n"
	"\n"
	"Keys: q quit, h/? help, s < > sort, I invert, / filter, p pause, Tab panel, arrows/PgUp/PgDn scroll,\n"
	"+/- refresh rate.\v"
	"Exit status: 0, or 2 when zdevtop could not run (one line says why).";

static error_t parse_option(int key, char *arg, struct argp_state *state)
{
	struct options *opts = state->input;
	char *end;

	errno = 0;
	switch (key) {
	case 'd':
		opts->refresh_s = strtod(arg, &end);
		if (errno || *end || end == arg || !(opts->refresh_s >= 0.1 && opts->refresh_s <= 3600))
			argp_error(state, "-d wants seconds between 0.1 and 3600, not '%s'", arg);
		break;
	case 'b':
		opts->batch = 1;
		break;
	case 'n':
		opts->frames = strtol(arg, &end, 10);
		if (errno || *end || end == arg || opts->frames < 1)
			argp_error(state, "-n wants a positive number of frames, not '%s'", arg);
		break;
	case 'r':
		opts->replay_path = arg;
		break;
	case OPT_SPEED:
		opts->speed = strtod(arg, &end);
		if (errno || *end || end == arg || !(opts->speed >= 0 && opts->speed <= 1e6))
			argp_error(state, "--speed wants a factor up to 1000000 (0 for all at once), not '%s'", arg);
		opts->speed_set = 1;
		break;
	case OPT_NO_COLOR:
		opts->color = 0;
		break;
	case OPT_WIDTH:
		opts->width = (int)strtol(arg, &end, 10);
		if (errno || *end || end == arg || opts->width < 40 || opts->width > 1000)
			argp_error(state, "--width wants 40 to 1000 columns, not '%s'", arg);
		break;
	case OPT_NO_SNAPSHOT:
		opts->no_snapshot = 1;
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &opts->session;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* an option that would be ignored is refused, with the reason: one line and exit 2 */
static const char *check_usage(const struct options *opts)
{
	static char reason[128];

	if (opts->speed_set && !opts->replay_path)
		return "--speed is the speed of a playback: it goes with -r FILE";
	if (opts->width && !opts->batch)
		return "--width is the width of -b's frames: a terminal has its own";
	if (opts->replay_path && (opts->session.option_given || opts->no_snapshot)) {
		snprintf(reason, sizeof(reason), "-r plays a record back, it traces nothing: --%s is for tracing",
			 opts->session.option_given ? opts->session.option_given : "no-snapshot");
		return reason;
	}
	return NULL;
}

struct dashboard {
	struct zdev_source *source;
	char source_name[128];      /* "live" or "replay of FILE" */
	struct tui_history history;
	struct tui_eventlog log;
	struct tui_view view;
	struct tui_canvas canvas;
	uint64_t frame;
};

/* one refresh: the slower source work, a rate sample, the event log */
static void refresh_model(struct dashboard *board)
{
	zdev_source_tick(board->source);
	tui_history_sample(&board->history, zdev_source_model(board->source), zdev_source_now_ns(board->source));
	tui_eventlog_update(&board->log, zdev_source_model(board->source));
	board->frame++;
}

static int layout(struct dashboard *board, int batch, const char *status)
{
	struct tui_context context = {
		.source = board->source_name,
		.kernel_release = zdev_source_kernel_release(board->source),
		.mem_total_bytes = zdev_source_mem_total_bytes(board->source),
		.now_ns = zdev_source_now_ns(board->source),
		.start_ns = zdev_source_start_ns(board->source),
		.dropped_records = zdev_source_model(board->source)->dropped_records,
		.frame = board->frame,
		.ended = zdev_source_state(board->source) != ZDEV_SOURCE_RUNNING,
		.status = status,
	};

	return tui_layout(&board->canvas, zdev_source_model(board->source), &board->history, &board->log, &board->view,
			  &context, batch);
}

static int print_frame(struct dashboard *board)
{
	char line[4096];

	if (layout(board, 1, NULL))
		return -ENOMEM;
	for (int row = 0; row < board->canvas.used_rows; row++) {
		tui_row_text(&board->canvas, row, line, sizeof(line));
		puts(line);
	}
	putchar('\n');
	return fflush(stdout) ? -errno : 0;
}

/* a pending SIGINT/SIGTERM/SIGHUP ends the loop */
static int signalled(int signal_fd)
{
	struct pollfd pfd = { .fd = signal_fd, .events = POLLIN };
	struct signalfd_siginfo info;

	return poll(&pfd, 1, 0) > 0 && read(signal_fd, &info, sizeof(info)) == sizeof(info);
}

/* Sleeps until records wait, a signal, a key (key_fd >= 0) or `timeout_ms`, then drains the source. Waiting
 * on the ring buffer's descriptor rather than sleeping matters: a hot path fills 256 KiB in milliseconds,
 * and a reader that naps 100 ms between polls drops most of it. */
static void wait_and_drain(struct dashboard *board, int signal_fd, int key_fd, int timeout_ms)
{
	struct pollfd fds[3] = {
		{ .fd = signal_fd, .events = POLLIN },
		{ .fd = zdev_source_fd(board->source), .events = POLLIN },
		{ .fd = key_fd, .events = POLLIN },
	};

	poll(fds, 3, timeout_ms < 0 ? 0 : timeout_ms);
	zdev_source_poll(board->source, 0);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int ms_until(uint64_t deadline_ns)
{
	uint64_t now = monotonic_ns();

	return now >= deadline_ns ? 0 : (int)((deadline_ns - now + 999999) / 1000000);
}

static int run_batch(struct dashboard *board, const struct options *opts, int signal_fd)
{
	uint64_t next_ns = monotonic_ns();

	for (;;) {
		int stop = 0;

		/* like top -b: the first frame at once, then one per refresh */
		while (monotonic_ns() < next_ns) {
			/* replay has no descriptor: it advances on its clock, every POLL_MS */
			wait_and_drain(board, signal_fd, -1, zdev_source_is_live(board->source) ? ms_until(next_ns) : POLL_MS);
			if (signalled(signal_fd)) {
				stop = 1; /* a last frame with what was collected, then out */
				break;
			}
		}
		zdev_source_poll(board->source, 0);
		refresh_model(board);
		if (print_frame(board))
			return EXIT_USAGE;
		if (stop || (opts->frames && (long)board->frame >= opts->frames) ||
		    (zdev_source_state(board->source) != ZDEV_SOURCE_RUNNING && !opts->frames))
			return 0;
		next_ns += (uint64_t)(board->view.refresh_s * 1e9);
	}
}

static int run_screen(struct dashboard *board, int signal_fd)
{
	int rows, cols, color = screen_open(board->view.color), dirty = 1;
	uint64_t next_ns = monotonic_ns();

	if (color < 0) {
		fprintf(stderr, "zdevtop: cannot open the terminal (TERM=%s); -b prints text frames\n",
			getenv("TERM") ? getenv("TERM") : "");
		return EXIT_USAGE;
	}
	for (;;) {
		enum tui_action action = TUI_NONE;
		int key, quit = 0;

		if (monotonic_ns() >= next_ns) {
			refresh_model(board); /* paused or not: the rates and the log keep their history */
			next_ns = monotonic_ns() + (uint64_t)(board->view.refresh_s * 1e9);
			dirty |= !board->view.paused;
		}
		screen_size(&rows, &cols);
		if (rows != board->canvas.rows || cols != board->canvas.cols) {
			tui_canvas_free(&board->canvas);
			if (tui_canvas_init(&board->canvas, rows > 1 ? rows : 1, cols > 1 ? cols : 1))
				break;
			dirty = 1;
		}
		if (dirty) {
			if (layout(board, 0, rows < 24 || cols < 80 ? "the terminal is smaller than 80x24: some of it is cut"
							       : NULL))
				break;
			screen_draw(&board->canvas, color);
			dirty = 0;
		}
		/* records, a key, a signal or the next refresh, whichever first (a resize comes as a key) */
		wait_and_drain(board, signal_fd, STDIN_FILENO,
			       zdev_source_is_live(board->source) ? ms_until(next_ns)
								   : (ms_until(next_ns) < POLL_MS ? ms_until(next_ns) : POLL_MS));
		if (signalled(signal_fd))
			break;
		while ((key = screen_key(0)) >= 0) {
			action = tui_key(&board->view, key);
			if (action == TUI_QUIT) {
				quit = 1;
				break;
			}
			if (action == TUI_REFRESH_CHANGED)
				next_ns = monotonic_ns() + (uint64_t)(board->view.refresh_s * 1e9);
			dirty |= action != TUI_NONE;
		}
		if (quit)
			break;
	}
	screen_close();
	return 0;
}

/* a record file that did not end well is still played, with a word on what is missing */
static void warn_incomplete(const char *path, const struct zdev_replay *replay)
{
	if (replay->result.truncated_bytes)
		fprintf(stderr, "zdevtop: %s: %llu bytes at the end could not be read; the blocks before them are used\n",
			path, (unsigned long long)replay->result.truncated_bytes);
	if (!replay->result.has_end)
		fprintf(stderr, "zdevtop: %s has no END block (the recording did not finish): its drop count is unknown "
			"and shown as 0\n", path);
}

/* the probes (live) or the record file (-r, at --speed): 0, or -1 after one line on stderr */
static int open_source(struct dashboard *board, const struct options *opts)
{
	struct zdev_source_live_options live = { .snapshot = !opts->no_snapshot };
	struct zdev_source_playback playback = { .speed = opts->speed };
	const char *path = opts->replay_path;
	char error[512];

	if (!path) {
		snprintf(board->source_name, sizeof(board->source_name), "live");
		board->source = zdev_source_open_live(&opts->session, &live, error, sizeof(error));
	} else {
		snprintf(board->source_name, sizeof(board->source_name), "replay of %s",
			 strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
		board->source = zdev_source_open_file(path, &playback, error, sizeof(error));
	}
	if (!board->source) {
		fprintf(stderr, "zdevtop: %s\n", error);
		return -1;
	}
	if (path)
		warn_incomplete(path, zdev_source_replay(board->source));
	return 0;
}

int main(int argc, char **argv)
{
	struct options opts = {
		.refresh_s = 1, .speed = 1, .color = 1,
		.session = { .allow_fentry = 1, .allow_kprobe = 1, .allow_kprobe_notrace = 1 },
	};
	static const struct argp_child children[] = { { &zdev_session_argp, 0, "Probes:", 1 }, { 0 } };
	struct argp argp = { argp_options, parse_option, NULL, argp_doc, children, NULL, NULL };
	struct dashboard *board = NULL;
	const char *columns = getenv("COLUMNS"), *no_color = getenv("NO_COLOR");
	int exit_code = EXIT_USAGE, signal_fd = -1, width;
	const char *usage_error;
	sigset_t blocked;

	setlocale(LC_ALL, "");
	argp_program_version = "zdevtop " ZDEV_VERSION;
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &opts))
		return EXIT_USAGE;
	usage_error = check_usage(&opts);
	if (usage_error) {
		fprintf(stderr, "zdevtop: %s\n", usage_error);
		return EXIT_USAGE;
	}
	if (no_color && no_color[0]) /* https://no-color.org */
		opts.color = 0;
	width = opts.width ? opts.width : columns && atoi(columns) >= 40 ? atoi(columns) : 120;
	if (!opts.batch && !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "zdevtop: stdout is not a terminal; -b prints text frames\n");
		return EXIT_USAGE;
	}
	board = calloc(1, sizeof(*board));
	if (!board) {
		fprintf(stderr, "zdevtop: out of memory\n");
		return EXIT_USAGE;
	}
	/* SIGWINCH stays with ncurses */
	signal_fd = zdev_signal_fd(0, &blocked);
	if (signal_fd < 0) {
		fprintf(stderr, "zdevtop: signalfd: %s\n", strerror(errno));
		goto cleanup;
	}
	if (open_source(board, &opts))
		goto cleanup;
	tui_view_init(&board->view, opts.refresh_s, opts.color);
	tui_eventlog_init(&board->log, zdev_source_start_ns(board->source));
	if (tui_canvas_init(&board->canvas, 24, opts.batch ? width : 80)) {
		fprintf(stderr, "zdevtop: out of memory\n");
		goto cleanup;
	}
	exit_code = opts.batch ? run_batch(board, &opts, signal_fd) : run_screen(board, signal_fd);
cleanup:
	if (board) {
		zdev_source_close(board->source);
		tui_eventlog_free(&board->log);
		tui_canvas_free(&board->canvas);
		free(board);
	}
	if (signal_fd >= 0)
		close(signal_fd);
	return exit_code;
}
