// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtrace: trace ZONE_DEVICE activity and print one report.
 * Wiring only: options → session (probes) → decode → model → renderer.
 */
#include <argp.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "zdev/decode.h"
#include "zdev/model.h"
#include "zdev/render.h"
#include "zdev/session.h"
#include "zdev/snapshot.h"

#define EXIT_USAGE 2

enum output_format { FORMAT_TEXT, FORMAT_JSON };

struct options {
	double duration_s;       /* 0: until Ctrl-C or CMD's exit */
	enum output_format format;
	const char *output_path; /* NULL: stdout */
	int list_probes;         /* "zdevtrace probes" */
	int no_snapshot;
	struct zdev_session_options session;
	char **command;          /* after "--" */
};

enum { OPT_NO_FENTRY = 1000, OPT_NO_KPROBE, OPT_NO_SNAPSHOT, OPT_NO_KPROBE_NOTRACE, OPT_DISABLE };

static const struct argp_option argp_options[] = {
	{ "duration", 'd', "SECONDS", 0, "Trace for SECONDS, then report (default: until Ctrl-C or CMD exits)", 0 },
	{ "format", 'f', "text|json", 0, "Report format (default text)", 0 },
	{ "output", 'o', "FILE", 0, "Write the report to FILE instead of stdout", 0 },
	{ "no-fentry", OPT_NO_FENTRY, NULL, 0, "Never attach by fentry/fexit (kprobes only)", 0 },
	{ "no-kprobe", OPT_NO_KPROBE, NULL, 0, "Never attach by kprobe/kretprobe (fentry only)", 0 },
	{ "no-kprobe-notrace", OPT_NO_KPROBE_NOTRACE, NULL, 0,
	  "No kprobes on notrace functions (as on kernels without KPROBE_EVENTS_ON_NOTRACE): their fallbacks", 0 },
	{ "disable", OPT_DISABLE, "FUNCTION[,...]", 0, "Leave these probes off (their fallbacks take over)", 0 },
	{ "no-snapshot", OPT_NO_SNAPSHOT, NULL, 0, "Do not list the pgmaps present at start (sysfs, /proc/iomem)", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{ 0 },
};

static const char argp_doc[] =
	"zdevtrace -- trace Linux ZONE_DEVICE memory (pgmaps, their vmemmap cost) and print a report.\n"
	"\n"
	"  zdevtrace [-d SECONDS] [-f text|json] [-- CMD ARGS...]\n"
	"  zdevtrace probes [-f text|json]     which probes attach here, how, and why not\n"
	"\n"
	"Traces until Ctrl-C, the duration, or CMD's exit (then exits with CMD's status).\n"
	"Examples:\n"
	"  zdevtrace -d 10                       # 10 s of activity\n"
	"  zdevtrace -f json -- modprobe nvme    # what loading nvme registers\n"
	"Exit status: 0, CMD's status, or 2 when zdevtrace could not run (a one-line reason).\v"
	"Needs root or CAP_BPF+CAP_PERFMON, and a kernel with BTF.";

static error_t parse_option(int key, char *arg, struct argp_state *state)
{
	struct options *opts = state->input;
	char *end;

	switch (key) {
	case 'd':
		errno = 0;
		opts->duration_s = strtod(arg, &end);
		if (errno || *end || opts->duration_s <= 0)
			argp_error(state, "-d wants a positive number of seconds, not '%s'", arg);
		break;
	case 'f':
		if (!strcmp(arg, "text"))
			opts->format = FORMAT_TEXT;
		else if (!strcmp(arg, "json"))
			opts->format = FORMAT_JSON;
		else
			argp_error(state, "-f wants text or json, not '%s'", arg);
		break;
	case 'o':
		opts->output_path = arg;
		break;
	case OPT_NO_FENTRY:
		opts->session.allow_fentry = 0;
		break;
	case OPT_NO_KPROBE:
		opts->session.allow_kprobe = 0;
		break;
	case 'v':
		opts->session.verbose = 1;
		break;
	case OPT_NO_KPROBE_NOTRACE:
		opts->session.allow_kprobe_notrace = 0;
		break;
	case OPT_DISABLE:
		opts->session.disabled = arg;
		break;
	case OPT_NO_SNAPSHOT:
		opts->no_snapshot = 1;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0 && !strcmp(arg, "probes") && !opts->command) {
			opts->list_probes = 1;
			break;
		}
		argp_error(state, "unexpected argument '%s' (a command to trace goes after --)", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct tracer {
	struct zdev_model model;
};

static int on_record(void *ctx, const void *data, size_t size)
{
	struct tracer *tracer = ctx;
	struct zdev_event event;

	if (zdev_decode(data, size, &event) != ZDEV_DECODE_OK) {
		tracer->model.undecodable_records++;
		return 0;
	}
	zdev_model_apply(&tracer->model, &event);
	return 0;
}

static int add_snapshot(struct zdev_model *model)
{
	struct zdev_snapshot *snapshot = malloc(sizeof(*snapshot));

	if (!snapshot) {
		fprintf(stderr, "zdevtrace: out of memory\n");
		return -1;
	}
	zdev_snapshot_read("/", snapshot);
	for (size_t i = 0; i < snapshot->count; i++) {
		if (zdev_model_add_present(model, &snapshot->pgmaps[i])) {
			fprintf(stderr, "zdevtrace: out of memory\n");
			free(snapshot);
			return -1;
		}
	}
	if (snapshot->truncated)
		fprintf(stderr, "zdevtrace: more than %d pgmaps present at start: the rest are not listed\n",
			ZDEV_SNAPSHOT_MAX);
	free(snapshot);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t start_command(char **command, const sigset_t *blocked)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, blocked, NULL);
		execvp(command[0], command);
		fprintf(stderr, "zdevtrace: cannot run %s: %s\n", command[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* trace until the duration, a signal, or the command's exit; returns the command's exit status or -1 */
static int trace(struct zdev_session *session, const struct options *opts, int signal_fd, pid_t child)
{
	double deadline = opts->duration_s > 0 ? now_s() + opts->duration_s : 0;
	int status = -1;

	for (;;) {
		struct pollfd pfd = { .fd = signal_fd, .events = POLLIN };
		struct signalfd_siginfo info;
		int err = zdev_session_poll(session, 100);

		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "zdevtrace: reading the ring buffer: %s\n", strerror(-err));
			break;
		}
		if (poll(&pfd, 1, 0) > 0 && read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
			if (info.ssi_signo == SIGCHLD && child > 0) {
				int wstatus;

				if (waitpid(child, &wstatus, WNOHANG) == child) {
					status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
					break;
				}
			} else if (info.ssi_signo != SIGCHLD) {
				break; /* SIGINT / SIGTERM: report what we have */
			}
		}
		if (deadline && now_s() >= deadline)
			break;
	}
	zdev_session_poll(session, 0); /* what is still in the ring buffer */
	return status;
}

int main(int argc, char **argv)
{
	struct options opts = { .session = { .allow_fentry = 1, .allow_kprobe = 1, .allow_kprobe_notrace = 1 } };
	struct argp argp = { argp_options, parse_option, NULL, argp_doc, NULL, NULL, NULL };
	struct zdev_session *session = NULL;
	struct tracer tracer = { 0 };
	struct zdev_geometry geometry;
	struct utsname uts;
	struct zdev_run_info run = { 0 };
	char error[512];
	FILE *out = stdout;
	sigset_t blocked;
	int signal_fd = -1, exit_code = EXIT_USAGE, command_status = -1, arg_index = argc;
	double started;
	pid_t child = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			arg_index = i;
			break;
		}
	}
	if (arg_index < argc) {
		if (arg_index + 1 >= argc) {
			fprintf(stderr, "zdevtrace: nothing after --\n");
			return EXIT_USAGE;
		}
		opts.command = &argv[arg_index + 1];
	}
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, arg_index, argv, 0, NULL, &opts))
		return EXIT_USAGE;
	if (opts.list_probes && opts.command) {
		fprintf(stderr, "zdevtrace: probes takes no command\n");
		return EXIT_USAGE;
	}
	if (opts.output_path) {
		out = fopen(opts.output_path, "w");
		if (!out) {
			fprintf(stderr, "zdevtrace: cannot write %s: %s\n", opts.output_path, strerror(errno));
			return EXIT_USAGE;
		}
	}

	/* signals arrive through a descriptor: no handler, no global flag */
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGCHLD);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
	signal_fd = signalfd(-1, &blocked, SFD_CLOEXEC);
	if (signal_fd < 0) {
		fprintf(stderr, "zdevtrace: signalfd: %s\n", strerror(errno));
		goto cleanup;
	}

	session = zdev_session_open(&opts.session, on_record, &tracer, error, sizeof(error));
	if (!session) {
		fprintf(stderr, "zdevtrace: %s\n", error);
		goto cleanup;
	}
	if (opts.list_probes) {
		exit_code = (opts.format == FORMAT_JSON ? zdev_render_probes_json(out, zdev_session_probes(session))
							: zdev_render_probes_text(out, zdev_session_probes(session)))
				    ? EXIT_USAGE : 0;
		if (!zdev_session_attached(session)) {
			fprintf(stderr, "zdevtrace: %s\n", error);
			exit_code = EXIT_USAGE;
		}
		goto cleanup;
	}
	if (!zdev_session_attached(session)) {
		fprintf(stderr, "zdevtrace: %s; 'zdevtrace probes' shows each probe\n", error);
		goto cleanup;
	}
	zdev_session_geometry(session, &geometry);
	if (zdev_model_init(&tracer.model, &geometry)) {
		fprintf(stderr, "zdevtrace: the kernel's page geometry is unusable\n");
		goto cleanup;
	}
	/* after attaching: a pgmap registered in between shows in both and the model keeps one */
	if (!opts.no_snapshot && add_snapshot(&tracer.model))
		goto cleanup;
	started = now_s();
	if (opts.command) {
		child = start_command(opts.command, &blocked);
		if (child < 0) {
			fprintf(stderr, "zdevtrace: fork: %s\n", strerror(errno));
			goto cleanup;
		}
	} else if (!opts.duration_s) {
		fprintf(stderr, "zdevtrace: tracing; Ctrl-C for the report\n");
	}
	command_status = trace(session, &opts, signal_fd, child);
	zdev_session_flush_page_use(session);
	zdev_model_add_dropped(&tracer.model, zdev_session_dropped(session));

	uname(&uts);
	run.kernel_release = uts.release;
	run.traced_seconds = now_s() - started;
	run.probes = zdev_session_probes(session);
	if ((opts.format == FORMAT_JSON ? zdev_render_json : zdev_render_text)(out, &tracer.model, &run)) {
		fprintf(stderr, "zdevtrace: writing the report: %s\n", strerror(errno));
		goto cleanup;
	}
	exit_code = opts.command ? (command_status >= 0 ? command_status : EXIT_USAGE) : 0;
cleanup:
	if (child > 0 && command_status < 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	zdev_session_close(session);
	zdev_model_free(&tracer.model);
	if (signal_fd >= 0)
		close(signal_fd);
	if (out && out != stdout && fclose(out) && exit_code == 0)
		exit_code = EXIT_USAGE;
	return exit_code;
}
