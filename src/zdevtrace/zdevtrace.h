/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* zdevtrace's front end, shared by its files: the options, and where a model comes from (live or a file). */
#ifndef ZDEVTRACE_H
#define ZDEVTRACE_H

#include <stdint.h>
#include "zdev/check_verdict.h"
#include "zdev/model.h"
#include "zdev/record_reader.h"
#include "zdev/record_writer.h"
#include "zdev/render.h"
#include "zdev/session.h"
#include "zdev/source.h"
#include "output.h"

#define EXIT_REGRESSION 1
#define EXIT_USAGE 2

enum zdevtrace_command { CMD_TRACE, CMD_PROBES, CMD_RECORD, CMD_REPORT, CMD_CHECK };
enum output_format { FORMAT_TEXT, FORMAT_JSON };

struct options {
	enum zdevtrace_command command;
	double duration_s;       /* 0: until Ctrl-C or CMD's exit */
	enum output_format format;
	int format_set;
	const char *output_path; /* NULL: stdout */
	const char *record_path; /* -w */
	int force;               /* --force: replace an existing record file */
	const char *replay_path; /* -r */
	int no_snapshot;
	struct zdev_session_options session;
	/* check */
	const char *baseline_path;
	int write_baseline;
	const char *junit_path;
	struct zdev_check_limits limits; /* with --allow-gone */
	int limits_given;        /* any --max-* or --allow-gone: only check takes them */
	int allow_drops;         /* check: a run with dropped records is checked, with a warning */
	int same_kernel;         /* check: a baseline from another kernel release cannot be checked against */
	char **command_argv;     /* after "--" */
};

/* where the command writes; planned (and checked against the inputs) before anything runs */
struct outputs {
	struct output report;   /* -o, else standard output: the report, the check's table, the probe table */
	struct output junit;    /* check --junit */
	struct output baseline; /* check --write-baseline */
};

/* a run's model and context, from the probes or from a record file */
struct run_source {
	struct zdev_model model;
	struct zdev_run_info run;
	char kernel_release[128];
	struct zdev_source *records;  /* where the records came from: the probes or a file */
	struct zdev_probe_table probes; /* a file's probe table (the run info points to it) */
	int command_status;           /* CMD's exit status, -1 when there was none */
	/* a record that did not end well: its drops and duration are unknown (a live run is complete) */
	uint64_t unread_bytes;        /* at the end of the file, not a whole block */
	int has_end;                  /* the END block (the recording finished) */
};

/* trace live (and record with -w): 0, or EXIT_USAGE after saying why on stderr */
int source_live(const struct options *opts, struct run_source *source);
/* replay -r FILE: 0, or EXIT_USAGE after saying why on stderr */
int source_replay(const struct options *opts, struct run_source *source);
void source_free(struct run_source *source);
/* "zdevtrace probes" */
int list_probes(const struct options *opts, struct output *out);
/* "zdevtrace check": 0, EXIT_REGRESSION or EXIT_USAGE */
int run_check(const struct options *opts, struct outputs *outputs);

#endif /* ZDEVTRACE_H */
