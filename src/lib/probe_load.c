// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading the BPF object with only the twins the plan chose (probe_choice.c). One program the kernel
 * refuses (a structure CO-RE cannot map, a verifier of another release) fails the whole load: it is named
 * from its verifier log and left off, its hook falls back to the other twin or is off with the reason, and
 * the load is tried again; the other hooks are not touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session_object.h"

/* per program: the verifier's log of the one a load stopped at (big enough for its last lines: 6.4+ keeps
 * the end of a log that overflows, older kernels the beginning, which names the failing program too) */
#define LOAD_LOG_BYTES (16 * 1024)
#define ALL_HOOKS (-1)

/* PROGRAM_KIND_STEM in the skeleton's object, NULL when the hook has no such program */
static struct bpf_program *program_named(struct bpf_object *obj, const char *kind, const char *stem)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_%s", kind, stem);
	return bpf_object__find_program_by_name(obj, name);
}

static void find_programs(struct bpf_object *obj, int hook, struct hook_programs *programs)
{
	const char *stem = zdev_hook_stem(hook);

	programs->fentry = program_named(obj, "fentry", stem);
	programs->fexit = program_named(obj, "fexit", stem);
	programs->kprobe = program_named(obj, "kprobe", stem);
	programs->kretprobe = program_named(obj, "kretprobe", stem);
	programs->tracepoint = program_named(obj, "tracepoint", stem);
}

static void set_autoload(struct bpf_program *prog, int load)
{
	if (prog)
		bpf_program__set_autoload(prog, load);
}

/* A log buffer for every program, emptied: given a buffer and no log level, libbpf loads a program without
 * the verifier's log and, only when the kernel refuses it, loads it again with the log on, into that buffer.
 * A load stops at the first program refused, so after a failed load the one buffer with text in it names
 * the program at fault and says why. */
static void set_load_logs(struct zdev_session *session)
{
	struct bpf_program *prog;
	size_t count = 0, index = 0;

	bpf_object__for_each_program(prog, session->skel->obj)
		count++;
	if (count != session->load_log_count) {
		free(session->load_logs);
		session->load_logs = calloc(count, LOAD_LOG_BYTES);
		session->load_log_count = session->load_logs ? count : 0;
	}
	if (!session->load_logs)
		return; /* no names for refused programs: the searches of probe_load find them */
	bpf_object__for_each_program(prog, session->skel->obj) {
		char *log = session->load_logs + index++ * LOAD_LOG_BYTES;

		log[0] = '\0';
		if (bpf_program__autoload(prog))
			bpf_program__set_log_buf(prog, log, LOAD_LOG_BYTES);
	}
}

/* the line of a verifier log that says why: a CO-RE relocation libbpf could not resolve (it names the
 * structure and field), else the last line that is not the verifier's statistics */
static void log_reason(const char *log, char *reason, size_t reason_len)
{
	const char *best = strstr(log, "failed to resolve CO-RE relocation");
	size_t best_len = best ? strcspn(best, "\n") : 0;

	for (const char *line = log; !best_len && *line;) {
		size_t len = strcspn(line, "\n");

		if (len && strncmp(line, "processed ", 10) && strncmp(line, "verification time", 17) &&
		    strncmp(line, "stack depth", 11) && strncmp(line, "-- END", 6))
			best = line; /* the last such line wins */
		line += len + (line[len] == '\n');
		if (!*line && best)
			best_len = strcspn(best, "\n");
	}
	if (best_len >= reason_len)
		best_len = reason_len - 1;
	snprintf(reason, reason_len, "%.*s", (int)best_len, best ? best : "");
}

/* the program the last failed load stopped at (its log is the only one with text), with the reason; NULL
 * when none says (a refusal before the verifier ran: the kernel refused the program type or a map) */
static struct bpf_program *refused_program(struct zdev_session *session, char *reason, size_t reason_len)
{
	struct bpf_program *prog;
	size_t index = 0;

	if (!session->load_logs)
		return NULL;
	bpf_object__for_each_program(prog, session->skel->obj) {
		const char *log = session->load_logs + index++ * LOAD_LOG_BYTES;

		if (index > session->load_log_count)
			break;
		if (bpf_program__autoload(prog) && log[0]) {
			log_reason(log, reason, reason_len);
			return prog;
		}
	}
	return NULL;
}

/* the hook PROG serves, and whether it is its fentry twin; -1 for a program that is no hook's */
static int hook_of_program(const struct zdev_session *session, const struct bpf_program *prog, int *fentry_twin)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		const struct hook_programs *programs = &session->programs[hook];

		if (prog == programs->fentry || prog == programs->fexit || prog == programs->kprobe ||
		    prog == programs->kretprobe || prog == programs->tracepoint) {
			*fentry_twin = prog == programs->fentry || prog == programs->fexit;
			return hook;
		}
	}
	return -1;
}

/* a fresh skeleton with the twins the plan wants switched on (all hooks', or ONLY_HOOK's), loaded; 0 or
 * -errno */
static int load_object(struct zdev_session *session, int only_hook)
{
	struct zdev_settings *settings;

	zdev_bpf__destroy(session->skel);
	session->skel = zdev_bpf__open();
	if (!session->skel)
		return errno ? -errno : -ENOMEM;
	settings = &session->skel->rodata->settings;
	settings->pointer_key = session->pointer_key;
	driver_slots_settings(&session->drivers, settings);
	if (session->ring_buffer_bytes && bpf_map__set_max_entries(session->skel->maps.events, session->ring_buffer_bytes))
		return -EINVAL;
	settings->wakeup_bytes = bpf_map__max_entries(session->skel->maps.events) / 4;
	settings->page_init_args = session->page_init_args;
	settings->pmd_pages = session->pmd_pages;
	settings->page_shift = (uint32_t)__builtin_ctzll(session->geometry.page_bytes);
	bpf_program__set_autoload(session->skel->progs.read_pool_states, session->pool_reader);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		const struct hook_state *state = &session->plan.hooks[hook];
		struct hook_programs *programs = &session->programs[hook];
		int chosen = only_hook == ALL_HOOKS || only_hook == hook;

		find_programs(session->skel->obj, hook, programs);
		set_autoload(programs->fentry, chosen && state->want_fentry);
		set_autoload(programs->fexit, chosen && state->want_fentry);
		set_autoload(programs->kprobe, chosen && state->want_kprobe);
		set_autoload(programs->kretprobe, chosen && state->want_kprobe);
		set_autoload(programs->tracepoint, chosen && state->want_kprobe);
		/* a driver's slot: fentry needs its target before load (a kprobe gets it at attach) */
		if (chosen && state->want_fentry && state->target[0]) {
			if (programs->fentry)
				bpf_program__set_attach_target(programs->fentry, 0, state->target);
			if (programs->fexit)
				bpf_program__set_attach_target(programs->fexit, 0, state->target);
		}
	}
	set_load_logs(session);
	return zdev_bpf__load(session->skel);
}

/* the program the last load stopped at, left off; 1 when one was, 0 when none could be named */
static int leave_refused_program_off(struct zdev_session *session, const struct zdev_session_options *options)
{
	struct bpf_program *prog;
	char reason[112];
	int hook, fentry_twin = 0;

	prog = refused_program(session, reason, sizeof(reason));
	if (!prog)
		return 0;
	if (prog == session->skel->progs.read_pool_states) {
		session->pool_reader = 0;
	} else if ((hook = hook_of_program(session, prog, &fentry_twin)) >= 0) {
		struct hook_state *state = &session->plan.hooks[hook];
		struct zdev_probe_row *row = &session->probes.rows[hook];

		if (fentry_twin) {
			state->in_btf = 0;
			snprintf(row->why, sizeof(row->why), "fentry program refused: %s", reason);
		} else {
			state->in_syms = 0;
			snprintf(row->why, sizeof(row->why), "the kernel refused its BPF program: %s", reason);
		}
		probe_choose_twins(&session->plan, options);
		state->refused = !state->want_fentry && !state->want_kprobe;
	} else {
		return 0;
	}
	if (options->verbose)
		fprintf(stderr, "zdev: %s refused (%s); loading without it\n", bpf_program__name(prog), reason);
	return 1;
}

/* one program the verifier refuses (a kernel whose structures CO-RE cannot map) fails the whole object:
 * find the hooks at fault one by one, leave them off, keep the rest */
static void leave_refused_hooks_off(struct zdev_session *session)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct hook_state *state = &session->plan.hooks[hook];
		int err;

		if (!state->want_fentry && !state->want_kprobe)
			continue;
		err = load_object(session, hook);
		if (!err)
			continue;
		state->refused = 1;
		state->want_fentry = state->want_kprobe = 0;
		snprintf(session->probes.rows[hook].why, sizeof(session->probes.rows[hook].why),
			 "the kernel refused its BPF program (%s): a structure CO-RE could not map here? (-v)",
			 strerror(-err));
	}
}

int probe_load(struct zdev_session *session, const struct zdev_session_options *options, char *error,
	       size_t error_len)
{
	struct probe_plan *plan = &session->plan;
	int err;

	probe_choose_twins(plan, options);
	err = load_object(session, ALL_HOOKS);

	for (int tries = 0; err && tries < 2 * ZDEV_HOOK_COUNT + 1; tries++) {
		if (!leave_refused_program_off(session, options))
			break;
		err = load_object(session, ALL_HOOKS);
	}
	/* the choice again: the refusals above may have taken fentry from hooks that are now on kprobes */
	if (err && probe_choose_twins(plan, options)) {
		/* some kernels refuse fentry programs outright (no trampolines, lockdown): kprobes only */
		snprintf(plan->fentry_refused, sizeof(plan->fentry_refused), "fentry programs refused at load: %s",
			 strerror(-err));
		for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
			plan->hooks[hook].in_btf = 0;
		probe_choose_twins(plan, options);
		err = load_object(session, ALL_HOOKS);
	}
	if (err) {
		/* the pool state reader is no hook: without it, pool states come from the events and the pgmaps'
		 * unmaps alone (it stays off for the search below too, which then looks at the hooks only) */
		session->pool_reader = 0;
		err = load_object(session, ALL_HOOKS);
	}
	if (err) {
		leave_refused_hooks_off(session);
		err = load_object(session, ALL_HOOKS);
	}
	if (err)
		snprintf(error, error_len, "the kernel refused zdev's BPF programs (%s)%s%s; run with -v for "
			 "libbpf's log", strerror(-err), plan->fentry_refused[0] ? "; " : "", plan->fentry_refused);
	return err;
}

int probe_reload(struct zdev_session *session)
{
	return load_object(session, ALL_HOOKS);
}
