// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The probe layer's decisions, apart from the kernel so that unit tests drive them: which twin each hook
 * loads (fentry where it can, else kprobe; the unused twin is never loaded, so the verifier checks only
 * the programs that will run), and what its probe row says once attached or not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probe.h"

int probe_listed(const char *list, const char *function)
{
	size_t len = strlen(function);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t item = comma ? (size_t)(comma - p) : strlen(p);

		if (item == len && !strncmp(p, function, len))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int probe_off_by_options(const struct zdev_session_options *options, int hook)
{
	const char *function = zdev_hook_function(hook);

	return probe_listed(options->disabled, function) ||
	       (zdev_hook_opt_in(hook) && !probe_listed(options->enabled, function));
}

void probe_apply_notrace(struct probe_plan *plan, const struct zdev_session_options *options)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct hook_state *state = &plan->hooks[hook];
		struct zdev_probe_row *row = &plan->probes->rows[hook];

		if (!plan->ftrace_known || state->traceable || !state->in_syms)
			continue;
		/* notrace (6.1's __meminit, lib/): no fentry; a kprobe only where the kernel allows it */
		state->in_btf = 0;
		snprintf(row->why, sizeof(row->why), "notrace: not in available_filter_functions");
		if (!options->allow_kprobe_notrace)
			state->in_syms = 0;
	}
}

int probe_choose_twins(struct probe_plan *plan, const struct zdev_session_options *options)
{
	int fentry_hooks = 0;

	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct hook_state *state = &plan->hooks[hook];
		int off = probe_off_by_options(options, hook) || state->refused;
		unsigned flags = zdev_hook_flags(hook);
		int tracepoint = (flags & ZDEV_HOOK_F_TRACEPOINT) != 0;
		int fentry_twin = !(flags & (ZDEV_HOOK_F_TRACEPOINT | ZDEV_HOOK_F_KPROBE_ONLY));

		state->want_fentry = !off && fentry_twin && options->allow_fentry && state->in_btf &&
				     !state->fentry_attach_err && !plan->fentry_refused[0];
		/* a tracepoint is loaded in the kprobe twin's place, whatever the options say of kprobes */
		state->want_kprobe = !off && !state->want_fentry && state->in_syms && (tracepoint || options->allow_kprobe);
		fentry_hooks += state->want_fentry;
	}
	return fentry_hooks;
}

/* why a hook attached by kprobe is not by fentry */
static void why_kprobe(const struct probe_plan *plan, const struct zdev_session_options *options,
		       const struct hook_state *state, struct zdev_probe_row *row)
{
	if (!options->allow_fentry)
		snprintf(row->why, sizeof(row->why), "fentry forbidden by option");
	else if (plan->fentry_refused[0])
		snprintf(row->why, sizeof(row->why), "%s", plan->fentry_refused);
	else if (!state->in_btf && !row->why[0])
		snprintf(row->why, sizeof(row->why), "not fentry: not a BTF function");
	else if (!state->in_btf)
		; /* keeps the notrace reason, or the driver's */
	else
		snprintf(row->why, sizeof(row->why), "fentry attach failed: %s", strerror(-state->fentry_attach_err));
}

/* why a hook is off although not by the options */
static void why_off(const struct probe_plan *plan, const struct zdev_session_options *options,
		    const struct hook_state *state, int kprobe_err, struct zdev_probe_row *row)
{
	int fentry_err = state->fentry_attach_err;

	if (plan->ftrace_known && !state->traceable && state->exists && !options->allow_kprobe_notrace)
		snprintf(row->why, sizeof(row->why), "notrace, and kprobes on notrace functions forbidden "
			 "(--no-kprobe-notrace)");
	else if (!state->in_syms && !state->in_btf && !row->why[0])
		snprintf(row->why, sizeof(row->why), "no such function in this kernel");
	else if (!state->in_syms && !state->in_btf)
		; /* keeps the notrace reason, or the driver's */
	else if (!options->allow_kprobe && !options->allow_fentry)
		snprintf(row->why, sizeof(row->why), "fentry and kprobe forbidden by options");
	else if (plan->ftrace_known && !state->traceable && state->exists)
		snprintf(row->why, sizeof(row->why), "notrace: no fentry; kprobe refused (%s): a kernel "
			 "without KPROBE_EVENTS_ON_NOTRACE", kprobe_err ? strerror(-kprobe_err) : "not tried");
	else
		snprintf(row->why, sizeof(row->why), "fentry: %s; kprobe: %s",
			 fentry_err ? strerror(-fentry_err) : (plan->fentry_refused[0] ? plan->fentry_refused : "not tried"),
			 kprobe_err == -ENOENT ? "the kernel has no kprobe support here (ENOENT)"
			 : kprobe_err ? strerror(-kprobe_err) : "not tried");
}

void probe_settle_row(const struct probe_plan *plan, const struct zdev_session_options *options, int hook,
		      int mode, int kprobe_err, struct zdev_probe_row *row)
{
	const struct hook_state *state = &plan->hooks[hook];
	const char *function = zdev_hook_function(hook);

	row->mode = (uint8_t)mode;
	if (probe_listed(options->disabled, function)) {
		snprintf(row->why, sizeof(row->why), "disabled by --disable");
	} else if (zdev_hook_opt_in(hook) && !probe_listed(options->enabled, function)) {
		snprintf(row->why, sizeof(row->why), "off unless --enable %s: a trap and a record per page; "
			 "p2pmem page frees are counted at the page free", function);
	} else if (state->refused) {
		; /* the load said why */
	} else if (zdev_hook_flags(hook) & ZDEV_HOOK_F_TRACEPOINT) {
		if (mode == ZDEV_VIA_NONE)
			snprintf(row->why, sizeof(row->why), "tracepoint refused: %s", strerror(-kprobe_err));
	} else if (mode == ZDEV_VIA_KPROBE) {
		why_kprobe(plan, options, state, row);
	} else if (mode == ZDEV_VIA_NONE) {
		why_off(plan, options, state, kprobe_err, row);
	}
}
