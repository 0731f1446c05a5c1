// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attaching each hook by the twin loaded for it, and its probe row settled (probe_choice.c says why). An
 * fentry that loads but will not attach takes its kprobe twin, which was not loaded: the object is loaded
 * again with it, and every hook attached anew.
 */
#include <errno.h>
#include "session_object.h"

/* a driver's slot has no fixed target: a kprobe by the resolved name (fentry got it before load) */
static struct bpf_link *attach_program(struct bpf_program *prog, const char *target, int kprobe, int retprobe)
{
	if (kprobe && target[0])
		return bpf_program__attach_kprobe(prog, retprobe, target);
	return bpf_program__attach(prog);
}

/* HOOK's entry and return programs of one twin (KPROBE: the kprobe twin) attached, both or neither: 0 or
 * -errno */
static int attach_pair(struct zdev_session *session, int hook, struct bpf_program *entry, struct bpf_program *exit,
		       int kprobe)
{
	const char *target = session->plan.hooks[hook].target;
	struct bpf_link *entry_link = NULL, *exit_link = NULL;
	int err;

	if (entry && !(entry_link = attach_program(entry, target, kprobe, 0)))
		return -errno;
	if (exit && !(exit_link = attach_program(exit, target, kprobe, 1))) {
		err = -errno;
		bpf_link__destroy(entry_link);
		return err;
	}
	session->links[hook][0] = entry_link;
	session->links[hook][1] = exit_link;
	return 0;
}

void probe_detach(struct zdev_session *session)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		bpf_link__destroy(session->links[hook][1]);
		bpf_link__destroy(session->links[hook][0]);
		session->links[hook][0] = session->links[hook][1] = NULL;
	}
}

/* every hook by its chosen twin; the hooks whose fentry failed where a kprobe could take them (returned
 * count), for a second load */
static int attach_hooks(struct zdev_session *session, const struct zdev_session_options *options, int *attached)
{
	int kprobe_wanted = 0;

	*attached = 0;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct hook_state *state = &session->plan.hooks[hook];
		const struct hook_programs *programs = &session->programs[hook];
		int mode = ZDEV_VIA_NONE, kprobe_err = 0, err;

		if (state->want_fentry) {
			err = attach_pair(session, hook, programs->fentry, programs->fexit, 0);
			if (!err)
				mode = ZDEV_VIA_FENTRY;
			else
				state->fentry_attach_err = err;
			if (err && options->allow_kprobe && state->in_syms)
				kprobe_wanted++;
		} else if (state->want_kprobe && programs->tracepoint) {
			kprobe_err = attach_pair(session, hook, programs->tracepoint, NULL, 0);
			mode = kprobe_err ? ZDEV_VIA_NONE : ZDEV_VIA_TRACEPOINT;
		} else if (state->want_kprobe) {
			kprobe_err = attach_pair(session, hook, programs->kprobe, programs->kretprobe, 1);
			mode = kprobe_err ? ZDEV_VIA_NONE : ZDEV_VIA_KPROBE;
		}
		probe_settle_row(&session->plan, options, hook, mode, kprobe_err, &session->probes.rows[hook]);
		/* the tracepoint is a measurement on top: not a working probe (it sees no pgmap by itself) */
		*attached += mode == ZDEV_VIA_FENTRY || mode == ZDEV_VIA_KPROBE;
	}
	return kprobe_wanted;
}

int probe_attach(struct zdev_session *session, const struct zdev_session_options *options)
{
	int attached, err;

	if (!attach_hooks(session, options, &attached))
		return attached;
	probe_detach(session);
	probe_choose_twins(&session->plan, options);
	err = probe_reload(session);
	if (err)
		return err;
	attach_hooks(session, options, &attached);
	return attached;
}
