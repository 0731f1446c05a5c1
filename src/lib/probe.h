/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The probe layer inside the library, in the stages of a session's start (retsnoop's attacher is the
 * model): resolve (what the running kernel offers, per hook: probe_resolve.c, driver_slots.c), choose
 * (which twin each hook will use, and why not the other: probe_choice.c, pure), load (only the chosen
 * twins; a program the kernel refuses is named and left off: probe_load.c), attach (probe_attach.c),
 * activate (the ready gate: session.c). Map reads are in session_maps.c. Internal to src/lib.
 */
#ifndef ZDEV_PROBE_H
#define ZDEV_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include "zdev/hooks.h"
#include "zdev/session.h"

/* what the running kernel offers for one hook, and what this run chose for it (one per hook: the probe
 * layer's stages read and write the same row) */
struct hook_state {
	unsigned in_btf : 1;      /* a BTF function fentry can take (cleared when ftrace cannot patch it) */
	unsigned in_syms : 1;     /* a text symbol a kprobe can take (cleared where the options forbid it) */
	unsigned exists : 1;      /* a text symbol at all, notrace or not */
	unsigned traceable : 1;   /* in available_filter_functions */
	unsigned want_fentry : 1; /* the twin loaded for it */
	unsigned want_kprobe : 1;
	unsigned refused : 1;     /* the kernel refused both its programs: off, with the reason */
	int fentry_attach_err;    /* -errno of a failed fentry attach: the next load takes the kprobe twin */
	char target[80];          /* a driver slot's symbol in this kernel ("" = not resolved, or a core hook) */
};

/* the hooks' rows, as the stages see them: states, the probe rows printed, and the option lists */
struct probe_plan {
	struct hook_state hooks[ZDEV_HOOK_COUNT];
	struct zdev_probe_table *probes;
	int ftrace_known;         /* available_filter_functions could be read */
	char fentry_refused[96];  /* the kernel refused fentry programs at load: why ("" = it did not) */
};

/* --- resolve (probe_resolve.c): pure parsers over the files of a root folder ("" = this machine) --- */
/* /proc/kallsyms: which core hooks are text symbols (in_syms), and the drivers' slots' symbols (targets);
 * 0 or -errno when the file cannot be read */
int probe_scan_kallsyms(const char *root, struct probe_plan *plan);
/* available_filter_functions (tracefs, else debugfs): which hooks ftrace can patch (traceable), by the
 * symbol each row names; 0 or -errno */
int probe_scan_ftrace(const char *root, struct probe_plan *plan);

/* --- choose (probe_choice.c): pure --- */
/* is FUNCTION in the comma-separated LIST? */
int probe_listed(const char *list, const char *function);
/* HOOK is off by the options: --disable, or opt-in and not --enable'd */
int probe_off_by_options(const struct zdev_session_options *options, int hook);
/* after resolution: hooks ftrace cannot patch lose fentry (and kprobe, unless the options allow kprobes on
 * notrace functions), with the reason in their rows */
void probe_apply_notrace(struct probe_plan *plan, const struct zdev_session_options *options);
/* which twin each hook loads: fentry where it can, else kprobe; none when off. Returns the hooks wanting
 * fentry. */
int probe_choose_twins(struct probe_plan *plan, const struct zdev_session_options *options);
/* HOOK's row once attached by MODE (enum zdev_attach_mode; ZDEV_VIA_NONE: not attached): the mode, and why
 * not fentry or why off. kprobe_err: the kprobe (or tracepoint) attach's error, -errno or 0 (attached or not
 * tried); the fentry attach's is the hook's fentry_attach_err */
void probe_settle_row(const struct probe_plan *plan, const struct zdev_session_options *options, int hook,
		      int mode, int kprobe_err, struct zdev_probe_row *row);

#endif /* ZDEV_PROBE_H */
