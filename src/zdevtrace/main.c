// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdevtrace: trace ZONE_DEVICE activity and print one report; record it to a file and replay it; check
 * its vmemmap cost against a baseline. Wiring only: options → source (live or file) → model → renderer.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/session_argp.h"
#include "zdev/version.h"
#include "zdevtrace.h"

enum {
	OPT_NO_SNAPSHOT = 1000, OPT_FORCE, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_MAX_INCREASE, OPT_MAX_VMEMMAP,
	OPT_MAX_TIME_INCREASE, OPT_JUNIT,
};

static const struct argp_option argp_options[] = {
	{ NULL, 0, NULL, 0, "Tracing:", 1 },
	{ "duration", 'd', "SECONDS", 0, "Trace for SECONDS, then report (default: until Ctrl-C or CMD exits)", 1 },
	{ "no-snapshot", OPT_NO_SNAPSHOT, NULL, 0, "Do not list the pgmaps present at start (sysfs, /proc/iomem)", 1 },
	{ NULL, 0, NULL, 0, "Reports, records and replays:", 2 },
	{ "format", 'f', "text|json", 0, "Report format (default text)", 2 },
	{ "output", 'o', "FILE", 0, "Write the report to FILE instead of stdout", 2 },
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
	"                  [--max-time-increase PCT] [--junit FILE] (-r RECORD | [-d SECONDS] [-- CMD ARGS...])\n"
	"\n"
	"Traces until Ctrl-C, the duration, or CMD's exit (then exits with CMD's status).\n"
	"Examples:\n"
	"  zdevtrace -d 10                       # 10 s of activity\n"
	"  zdevtrace -f json -- modprobe nvme    # what loading nvme registers\n"
	"  zdevtrace record -w boot.zdev -- modprobe nd_pmem; zdevtrace report -r boot.zdev\n"
	"  zdevtrace check --baseline base.json --write-baseline -r good.zdev\n"
	"  zdevtrace check --baseline base.json --junit check.xml -- modprobe nd_pmem\n"
	"Exit status: 0, CMD's status, or 2 when zdevtrace could not run (a one-line reason);\n"
	"check: 0 within the limits, 1 on a regression, 2 when it could not check.\v"
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
		if (errno || *end || end == arg || !(opts->duration_s > 0))
			argp_error(state, "-d wants a positive number of seconds, not '%s'", arg);
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
		if (opts->command_argv || opts->record_path || opts->replay_path)
			return "probes takes no command, -w or -r";
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
		break;
	case CMD_TRACE:
		if (opts->replay_path)
			return "-r replays a file: use 'zdevtrace report -r FILE'";
		break;
	}
	if (opts->command != CMD_CHECK && (opts->baseline_path || opts->write_baseline || opts->junit_path ||
					   opts->limits_given))
		return "--baseline, --write-baseline, --junit and the limits belong to 'zdevtrace check'";
	if (opts->force && !opts->record_path)
		return "--force goes with -w FILE";
	return NULL;
}

static int report(const struct options *opts, FILE *out)
{
	struct run_source source;
	int exit_code;

	exit_code = opts->command == CMD_REPORT ? source_replay(opts, &source) : source_live(opts, &source);
	if (exit_code)
		goto cleanup;
	/* record prints a report only when asked where (-o) or how (-f) */
	if (opts->command != CMD_RECORD || opts->output_path || opts->format_set) {
		if ((opts->format == FORMAT_JSON ? zdev_render_json : zdev_render_text)(out, &source.model, &source.run)) {
			fprintf(stderr, "zdevtrace: writing the report: %s\n", strerror(errno));
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
	const char *usage_error;
	FILE *out = stdout;
	int exit_code, arg_index = argc;

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
	if (opts.output_path) {
		out = fopen(opts.output_path, "w");
		if (!out) {
			fprintf(stderr, "zdevtrace: cannot write %s: %s\n", opts.output_path, strerror(errno));
			return EXIT_USAGE;
		}
	}
	switch (opts.command) {
	case CMD_PROBES:
		exit_code = list_probes(&opts, out);
		break;
	case CMD_CHECK:
		exit_code = run_check(&opts, out);
		break;
	default:
		exit_code = report(&opts, out);
		break;
	}
	if (out != stdout && fclose(out) && exit_code == 0)
		exit_code = EXIT_USAGE;
	return exit_code;
}
