// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtrace: trace ZONE_DEVICE activity and print one report; record it to a file and replay it; check
 * its vmemmap cost against a baseline. Wiring only: options → source (live or file) → model → renderer.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../frontend/session_argp.h"
#include "zdev/version.h"
#include "zdevtrace.h"

#define MAX_DURATION_S (30 * 24 * 3600)

enum {
	OPT_NO_SNAPSHOT = 1000, OPT_FORCE, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_MAX_INCREASE, OPT_MAX_VMEMMAP,
	OPT_MAX_TIME_INCREASE, OPT_JUNIT, OPT_ALLOW_DROPS, OPT_ALLOW_GONE, OPT_SAME_KERNEL,
};

static const struct argp_option argp_options[] = {
	{ NULL, 0, NULL, 0, "Tracing:", 1 },
	{ "duration", 'd', "SECONDS", 0, "Trace for SECONDS, then report (default: until Ctrl-C or CMD exits)", 1 },
	{ "no-snapshot", OPT_NO_SNAPSHOT, NULL, 0, "Do not list the pgmaps present at start (sysfs, /proc/iomem)", 1 },
	{ NULL, 0, NULL, 0, "Reports, records and replays:", 2 },
	{ "format", 'f', "text|json", 0, "Report format (default text)", 2 },
	{ "output", 'o', "FILE", 0, "Write the report to FILE (replaced whole, or written through a FIFO or device; - is stdout)", 2 },
	{ "write", 'w', "FILE", 0, "Also record every record to FILE (created 0600, never overwritten)", 2 },
	{ "force", OPT_FORCE, NULL, 0, "With -w: replace FILE when it exists", 2 },
	{ "read", 'r', "FILE", 0, "report/check: replay the record FILE instead of tracing", 2 },
	{ NULL, 0, NULL, 0, "Checking vmemmap cost (zdevtrace check):", 3 },
	{ "baseline", OPT_BASELINE, "FILE", 0, "The baseline (JSON) to compare with, or to write", 3 },
	{ "write-baseline", OPT_WRITE_BASELINE, NULL, 0, "Write the run's figures as the baseline, compare nothing", 3 },
	{ "max-increase", OPT_MAX_INCREASE, "PCT", 0,
	  "Vmemmap (DRAM, device) may grow by PCT percent per pgmap and in total (default 0)", 3 },
	{ "max-vmemmap", OPT_MAX_VMEMMAP, "BYTES", 0, "The run's DRAM vmemmap may not exceed BYTES (K/M/G suffixes)", 3 },
	{ "max-time-increase", OPT_MAX_TIME_INCREASE, "PCT", 0,
	  "Check registration time too: it may grow by PCT percent (default: shown, not checked)", 3 },
	{ "junit", OPT_JUNIT, "FILE", 0, "Also write the check as JUnit XML to FILE", 3 },
	{ "allow-drops", OPT_ALLOW_DROPS, NULL, 0, "Check a run with dropped records anyway (default: exit 2)", 3 },
	{ "allow-gone", OPT_ALLOW_GONE, NULL, 0,
	  "A baseline entry missing from the run passes (default: it fails, exit 1)", 3 },
	{ "same-kernel", OPT_SAME_KERNEL, NULL, 0,
	  "A baseline from another kernel release is an error (exit 2), not a warning", 3 },
	{ 0 },
};

static const char argp_doc[] =
	"zdevtrace -- trace Linux ZONE_DEVICE memory (pgmaps, their vmemmap cost) and print a report.\n"
	"\n"
	"  zdevtrace [-d SECONDS] [-f text|json] [-w FILE] [-- CMD ARGS...]\n"
	"  zdevtrace probes [-f text|json]     which probes attach here, how, and why not\n"
	"  zdevtrace record -w FILE [--force] [-d SECONDS] [-- CMD ARGS...]\n"
	"  zdevtrace report -r FILE [-f text|json]\n"
	"  zdevtrace check --baseline FILE [--write-baseline] [--max-increase PCT] [--max-vmemmap BYTES]\n"
	"                  [--max-time-increase PCT] [--allow-drops] [--allow-gone] [--same-kernel]\n"
	"                  [-f text|json] [--junit FILE] (-r RECORD | [-d SECONDS] [-- CMD ARGS...])\n"
	"\n"
	"Traces until Ctrl-C, the duration, or CMD's exit (then exits with CMD's status).\n"
	"Examples:\n"
	"  zdevtrace -d 10                       # 10 s of activity\n"
	"  zdevtrace -f json -- modprobe nvme    # what loading nvme registers\n"
	"  zdevtrace record -w boot.zdev -- modprobe nd_pmem; zdevtrace report -r boot.zdev\n"
	"  zdevtrace check --baseline base.json --write-baseline -r good.zdev\n"
	"  zdevtrace check --baseline base.json --junit check.xml -- modprobe nd_pmem\n"
	"Exit status: 0, CMD's status, or 2 when zdevtrace could not run (a one-line reason);\n"
	"check: 0 within the limits, 1 on a regression (or a baseline entry gone), 2 when it could not check\n"
	"(a record cut short or unfinished, dropped records, a failed CMD).\v"
	"Tracing needs root or CAP_BPF+CAP_PERFMON, and a kernel with BTF; report -r needs neither.";

static int parse_percent(const char *arg, double *value)
{
	char *end;

	errno = 0;
	*value = strtod(arg, &end);
	return errno || end == arg || *end || *value < 0 || *value != *value ? -1 : 0;
}

static error_t parse_option(int key, char *arg, struct argp_state *state)
{
	struct options *opts = state->input;
	char *end;

	switch (key) {
	case 'd':
		errno = 0;
		opts->duration_s = strtod(arg, &end);
		/* bounded: the deadline is kept in nanoseconds (inf, 1e99 would overflow it to "now") */
		if (errno || *end || end == arg || !(opts->duration_s > 0 && opts->duration_s <= MAX_DURATION_S))
			argp_error(state, "-d wants a positive number of seconds, at most %d (30 days), not '%s'",
				   MAX_DURATION_S, arg);
		break;
	case 'f':
		if (!strcmp(arg, "text"))
			opts->format = FORMAT_TEXT;
		else if (!strcmp(arg, "json"))
			opts->format = FORMAT_JSON;
		else
			argp_error(state, "-f wants text or json, not '%s'", arg);
		opts->format_set = 1;
		break;
	case 'o':
		opts->output_path = arg;
		break;
	case 'w':
		opts->record_path = arg;
		break;
	case OPT_FORCE:
		opts->force = 1;
		break;
	case 'r':
		opts->replay_path = arg;
		break;
	case OPT_NO_SNAPSHOT:
		opts->no_snapshot = 1;
		break;
	case OPT_BASELINE:
		opts->baseline_path = arg;
		break;
	case OPT_WRITE_BASELINE:
		opts->write_baseline = 1;
		break;
	case OPT_MAX_INCREASE:
		opts->limits_given = 1;
		if (parse_percent(arg, &opts->limits.max_increase_pct))
			argp_error(state, "--max-increase wants a percentage (0 or more), not '%s'", arg);
		break;
	case OPT_MAX_TIME_INCREASE:
		opts->limits_given = 1;
		if (parse_percent(arg, &opts->limits.max_time_increase_pct))
			argp_error(state, "--max-time-increase wants a percentage (0 or more), not '%s'", arg);
		opts->limits.time_checked = 1;
		break;
	case OPT_MAX_VMEMMAP:
		opts->limits_given = 1;
		if (zdev_parse_bytes(arg, &opts->limits.max_vmemmap_bytes))
			argp_error(state, "--max-vmemmap wants a byte count (e.g. 4194304, 512K, 64M), not '%s'", arg);
		opts->limits.vmemmap_cap_set = 1;
		break;
	case OPT_JUNIT:
		opts->junit_path = arg;
		break;
	case OPT_ALLOW_DROPS:
		opts->allow_drops = 1;
		break;
	case OPT_ALLOW_GONE:
		opts->limits_given = 1;
		opts->limits.allow_gone = 1;
		break;
	case OPT_SAME_KERNEL:
		opts->same_kernel = 1;
		break;
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &opts->session;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0) {
			static const struct { const char *name; enum zdevtrace_command command; } commands[] = {
				{ "probes", CMD_PROBES }, { "record", CMD_RECORD },
				{ "report", CMD_REPORT }, { "check", CMD_CHECK },
			};

			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
				if (!strcmp(arg, commands[i].name)) {
					opts->command = commands[i].command;
					return 0;
				}
			}
		}
		argp_error(state, "unexpected argument '%s' (a command to trace goes after --)", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* what each command accepts; one line and exit 2 for what it does not */
static const char *check_usage(const struct options *opts)
{
	int tracing = opts->duration_s > 0 || opts->command_argv;

	switch (opts->command) {
	case CMD_PROBES:
		if (opts->command_argv || opts->record_path || opts->replay_path || opts->duration_s ||
		    opts->no_snapshot)
			return "probes lists the probes and traces nothing: no command, -d, -w, -r or --no-snapshot";
		break;
	case CMD_RECORD:
		if (!opts->record_path)
			return "record needs -w FILE";
		if (opts->replay_path)
			return "record traces: -r is for report and check";
		break;
	case CMD_REPORT:
		if (!opts->replay_path)
			return "report needs -r FILE (to trace and report, leave out 'report')";
		if (tracing || opts->record_path)
			return "report -r replays a file: no -d, -w or command";
		break;
	case CMD_CHECK:
		if (!opts->baseline_path)
			return "check needs --baseline FILE";
		if (opts->replay_path && (tracing || opts->record_path))
			return "check -r replays a file: no -d, -w or command";
		if (opts->write_baseline && (opts->output_path || opts->junit_path || opts->format_set))
			return "check --write-baseline writes the baseline only: no -o, -f or --junit";
		if (opts->write_baseline && (opts->limits_given || opts->allow_drops || opts->same_kernel))
			return "check --write-baseline compares nothing: the limits, --allow-drops, --allow-gone and "
			       "--same-kernel go with a check";
		break;
	case CMD_TRACE:
		if (opts->replay_path)
			return "-r replays a file: use 'zdevtrace report -r FILE'";
		break;
	}
	if (opts->command != CMD_CHECK && (opts->baseline_path || opts->write_baseline || opts->junit_path ||
					   opts->limits_given || opts->allow_drops || opts->same_kernel))
		return "--baseline, --write-baseline, --junit, the limits, --allow-* and --same-kernel belong to "
		       "'zdevtrace check'";
	if (opts->force && !opts->record_path)
		return "--force goes with -w FILE";
	return NULL;
}

/* a replay traces nothing: the probe options and --no-snapshot would be ignored, so they are refused */
static int check_replay_options(const struct options *opts)
{
	const char *option = opts->session.option_given;

	if (!opts->replay_path || (!option && !opts->no_snapshot))
		return 0;
	fprintf(stderr, "zdevtrace: %s -r replays a file, it traces nothing: --%s is for tracing\n",
		opts->command == CMD_CHECK ? "check" : "report", option ? option : "no-snapshot");
	return -1;
}

/* record prints a report only when asked where (-o) or how (-f); check --write-baseline writes the
 * baseline alone (and says so on stderr): it may go to standard output */
static int report_written(const struct options *opts)
{
	if (opts->command == CMD_CHECK)
		return !opts->write_baseline;
	return opts->command != CMD_RECORD || opts->output_path || opts->format_set;
}

struct file_role {
	const char *option; /* as the user gave it: "-o", "--junit" */
	const char *path;
	int is_output;
};

/* Outputs are classified now (a directory, a missing folder: said before anything is traced) and checked
 * against the inputs and each other: an output at an input's place would destroy it, two outputs at one
 * place would keep one. */
static int plan_outputs(const struct options *opts, struct outputs *outputs)
{
	struct file_role roles[6];
	size_t count = 0, on_stdout = 0;

	if (report_written(opts)) {
		if (output_plan(&outputs->report, opts->output_path, "the report", 0))
			return -1;
		on_stdout += outputs->report.kind == OUTPUT_STDOUT;
		if (outputs->report.path)
			roles[count++] = (struct file_role){ "-o", outputs->report.path, 1 };
	}
	if (opts->junit_path) {
		if (output_plan(&outputs->junit, opts->junit_path, "the JUnit XML", 1))
			return -1;
		on_stdout += outputs->junit.kind == OUTPUT_STDOUT;
		if (outputs->junit.path)
			roles[count++] = (struct file_role){ "--junit", outputs->junit.path, 1 };
	}
	if (opts->write_baseline) {
		if (output_plan(&outputs->baseline, opts->baseline_path, "the baseline", 1))
			return -1;
		on_stdout += outputs->baseline.kind == OUTPUT_STDOUT;
		if (outputs->baseline.path)
			roles[count++] = (struct file_role){ "--baseline", outputs->baseline.path, 1 };
	} else if (opts->baseline_path) {
		roles[count++] = (struct file_role){ "--baseline", opts->baseline_path, 0 };
	}
	if (opts->record_path)
		roles[count++] = (struct file_role){ "-w", opts->record_path, 1 };
	if (opts->replay_path)
		roles[count++] = (struct file_role){ "-r", opts->replay_path, 0 };
	if (on_stdout > 1) {
		fprintf(stderr, "zdevtrace: two outputs would go to standard output: give one of them a file\n");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		for (size_t j = i + 1; j < count; j++) {
			if (!roles[i].is_output && !roles[j].is_output)
				continue;
			if (output_same_file(roles[i].path, roles[j].path)) {
				fprintf(stderr, "zdevtrace: %s %s and %s %s are the same file: refused (writing one would "
					"destroy the other)\n", roles[i].option, roles[i].path, roles[j].option, roles[j].path);
				return -1;
			}
		}
	}
	return 0;
}

static int report(const struct options *opts, struct outputs *outputs)
{
	struct run_source source;
	FILE *out;
	int exit_code, write_failed;

	exit_code = opts->command == CMD_REPORT ? source_replay(opts, &source) : source_live(opts, &source);
	if (exit_code)
		goto cleanup;
	/* opened only now: a run that could not be made leaves the output as it was */
	if (report_written(opts)) {
		out = output_open(&outputs->report);
		if (!out) {
			exit_code = EXIT_USAGE;
			goto cleanup;
		}
		write_failed = (opts->format == FORMAT_JSON ? zdev_render_json : zdev_render_text)(out, &source.model,
												      &source.run);
		if (output_finish(&outputs->report, write_failed)) {
			exit_code = EXIT_USAGE;
			goto cleanup;
		}
	}
	if (opts->command_argv)
		exit_code = source.command_status >= 0 ? source.command_status : EXIT_USAGE;
cleanup:
	source_free(&source);
	return exit_code;
}

int main(int argc, char **argv)
{
	struct options opts = { .session = { .allow_fentry = 1, .allow_kprobe = 1, .allow_kprobe_notrace = 1 } };
	static const struct argp_child children[] = { { &zdev_session_argp, 0, "Probes:", 4 }, { 0 } };
	struct argp argp = { argp_options, parse_option, NULL, argp_doc, children, NULL, NULL };
	struct outputs outputs = { 0 };
	const char *usage_error;
	int exit_code, arg_index = argc;

	output_guard_standard_fds();
	/* a reader gone (| head) is a write error said in one line (exit 2), not a silent death by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
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
		opts.command_argv = &argv[arg_index + 1];
	}
	argp_program_version = "zdevtrace " ZDEV_VERSION;
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, arg_index, argv, 0, NULL, &opts))
		return EXIT_USAGE;
	usage_error = check_usage(&opts);
	if (usage_error) {
		fprintf(stderr, "zdevtrace: %s\n", usage_error);
		return EXIT_USAGE;
	}
	if (check_replay_options(&opts))
		return EXIT_USAGE;
	if (plan_outputs(&opts, &outputs))
		return EXIT_USAGE;
	switch (opts.command) {
	case CMD_PROBES:
		exit_code = list_probes(&opts, &outputs.report);
		break;
	case CMD_CHECK:
		exit_code = run_check(&opts, &outputs);
		break;
	default:
		exit_code = report(&opts, &outputs);
		break;
	}
	return exit_code;
}
