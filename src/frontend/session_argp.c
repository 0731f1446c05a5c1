// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The probe options of both front ends, in one argp child (see session_argp.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "zdev/render.h"
#include "session_argp.h"

enum { OPT_NO_FENTRY = 2000, OPT_NO_KPROBE, OPT_NO_KPROBE_NOTRACE, OPT_DISABLE, OPT_ENABLE, OPT_RING_BUFFER };

/* the names --disable and --enable take are the hook table's functions (include/zdev/hooks.h) */

/* what --disable and --enable accumulated: every use adds to the list (the session reads it as given) */
#define PROBE_LIST_BYTES 2048
static char disabled_list[PROBE_LIST_BYTES], enabled_list[PROBE_LIST_BYTES];

/* "a, b, c" of the probes --OPTION takes, for its error */
static void valid_names(char *buf, size_t len, int opt_in_only)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int hook = 0; hook < ZDEV_HOOK_COUNT && used < len; hook++) {
		if (opt_in_only && !zdev_hook_opt_in(hook))
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", zdev_hook_function(hook));
	}
}

/* ARG (comma-separated probes) checked and added to LIST: 0, or argp_error (exit 2; -1 under ARGP_NO_EXIT)
 * for a name that is not a probe, and for --enable of one that is on anyway */
static int add_probes(struct argp_state *state, const char *option, const char *arg, char *list, int enabling)
{
	char names[1024];

	/* every name between commas, an empty one too ("a,", ",a": a probe left out by mistake) */
	for (const char *item = arg, *comma = arg; comma; item = comma + 1) {
		size_t len;
		int index;

		comma = strchr(item, ',');
		len = comma ? (size_t)(comma - item) : strlen(item);
		index = zdev_hook_by_function(item, len);

		if (index < 0) {
			valid_names(names, sizeof(names), enabling);
			argp_error(state, "%s: no probe '%.*s'; the probes%s: %s", option, (int)len, item,
				   enabling ? " off by default" : "", names);
			return -1;
		}
		if (enabling && !zdev_hook_opt_in(index)) {
			valid_names(names, sizeof(names), 1);
			argp_error(state, "--enable %.*s: that probe is on by default; --enable takes: %s", (int)len, item,
				   names);
			return -1;
		}
	}
	if (strlen(list) + strlen(arg) + 2 > PROBE_LIST_BYTES) {
		argp_error(state, "%s: too many probes named", option);
		return -1;
	}
	if (list[0] && arg[0])
		strcat(list, ",");
	strcat(list, arg);
	return 0;
}

static const struct argp_option session_options[] = {
	{ "no-fentry", OPT_NO_FENTRY, NULL, 0, "Never attach by fentry/fexit (kprobes only)", 0 },
	{ "no-kprobe", OPT_NO_KPROBE, NULL, 0, "Never attach by kprobe/kretprobe (fentry only)", 0 },
	{ "no-kprobe-notrace", OPT_NO_KPROBE_NOTRACE, NULL, 0,
	  "No kprobes on notrace functions (as on kernels without KPROBE_EVENTS_ON_NOTRACE): their fallbacks", 0 },
	{ "disable", OPT_DISABLE, "FUNCTION[,...]", 0,
	  "Leave these probes off (their fallbacks take over); repeats add up", 0 },
	{ "enable", OPT_ENABLE, "FUNCTION[,...]", 0,
	  "Switch on probes that are off by default (gen_pool_free_owner: every genalloc free, a record each)", 0 },
	{ "ring-buffer", OPT_RING_BUFFER, "BYTES", 0,
	  "Ring buffer size, a power of two (default 256K); what does not fit is counted as dropped", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{ 0 },
};

static error_t parse_session_option(int key, char *arg, struct argp_state *state)
{
	struct zdev_session_options *session = state->input;
	uint64_t bytes;
	int known = 1;

	switch (key) {
	case OPT_NO_FENTRY:
		session->allow_fentry = 0;
		break;
	case OPT_NO_KPROBE:
		session->allow_kprobe = 0;
		break;
	case OPT_NO_KPROBE_NOTRACE:
		session->allow_kprobe_notrace = 0;
		break;
	case OPT_DISABLE:
		if (add_probes(state, "--disable", arg, disabled_list, 0))
			return EINVAL;
		session->disabled = disabled_list;
		break;
	case OPT_ENABLE:
		if (add_probes(state, "--enable", arg, enabled_list, 1))
			return EINVAL;
		session->enabled = enabled_list;
		break;
	case OPT_RING_BUFFER:
		/* libbpf wants a power of two and at least a page */
		if (zdev_parse_bytes(arg, &bytes) || bytes < 4096 || bytes > (1u << 30) || (bytes & (bytes - 1)))
			argp_error(state, "--ring-buffer wants a power of two from 4K to 1G bytes, not '%s'", arg);
		session->ring_buffer_bytes = (uint32_t)bytes;
		break;
	case 'v':
		session->verbose = 1;
		break;
	default:
		known = 0;
		break;
	}
	if (!known)
		return ARGP_ERR_UNKNOWN;
	if (!session->option_given) {
		for (const struct argp_option *option = session_options; option->name; option++)
			if (option->key == key)
				session->option_given = option->name;
	}
	return 0;
}

const struct argp zdev_session_argp = { session_options, parse_session_option, NULL, NULL, NULL, NULL, NULL };
