// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The probe options of both front ends, in one argp child (see zdev/session_argp.h). */
#include "zdev/render.h"
#include "zdev/session_argp.h"

enum { OPT_NO_FENTRY = 2000, OPT_NO_KPROBE, OPT_NO_KPROBE_NOTRACE, OPT_DISABLE, OPT_ENABLE, OPT_RING_BUFFER };

static const struct argp_option session_options[] = {
	{ "no-fentry", OPT_NO_FENTRY, NULL, 0, "Never attach by fentry/fexit (kprobes only)", 0 },
	{ "no-kprobe", OPT_NO_KPROBE, NULL, 0, "Never attach by kprobe/kretprobe (fentry only)", 0 },
	{ "no-kprobe-notrace", OPT_NO_KPROBE_NOTRACE, NULL, 0,
	  "No kprobes on notrace functions (as on kernels without KPROBE_EVENTS_ON_NOTRACE): their fallbacks", 0 },
	{ "disable", OPT_DISABLE, "FUNCTION[,...]", 0, "Leave these probes off (their fallbacks take over)", 0 },
	{ "enable", OPT_ENABLE, "FUNCTION[,...]", 0,
	  "Switch on probes that are off by default (gen_pool_free_owner: every genalloc free, one record each)", 0 },
	{ "ring-buffer", OPT_RING_BUFFER, "BYTES", 0,
	  "Ring buffer size, a power of two (default 256K); what does not fit is counted as dropped", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{ 0 },
};

static error_t parse_session_option(int key, char *arg, struct argp_state *state)
{
	struct zdev_session_options *session = state->input;
	uint64_t bytes;

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
		session->disabled = arg;
		break;
	case OPT_ENABLE:
		session->enabled = arg;
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
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp zdev_session_argp = { session_options, parse_session_option, NULL, NULL, NULL, NULL, NULL };
