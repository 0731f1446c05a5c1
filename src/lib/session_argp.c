// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The probe options of both front ends, in one argp child (see zdev/session_argp.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "zdev/render.h"
#include "zdev/session_argp.h"

enum { OPT_NO_FENTRY = 2000, OPT_NO_KPROBE, OPT_NO_KPROBE_NOTRACE, OPT_DISABLE, OPT_ENABLE, OPT_RING_BUFFER };

/*
 * The names --disable and --enable take: the hooks' functions as src/lib/session.c's hook_info names them
 * (its `listed()` matches these, not a driver's resolved symbol). A copy, because session.c does not export
 * its table: tests/host/options.sh fails when the two differ. Only gen_pool_free_owner is opt-in
 * (session.c's opt_in()).
 */
static const struct {
	const char *function;
	int opt_in;
} probe_names[] = {
	{ "memremap_pages", 0 }, { "devm_memremap_pages", 0 }, { "memmap_init_zone_device", 0 },
	{ "memunmap_pages", 0 }, { "__populate_section_memmap", 0 }, { "__add_pages", 0 },
	{ "kmem:mm_page_alloc", 0 }, { "migrate_vma_setup", 0 }, { "migrate_vma_pages", 0 },
	{ "migrate_vma_finalize", 0 }, { "migrate_device_range", 0 }, { "zone_device_page_init", 0 },
	{ "free_zone_device_folio", 0 }, { "free_zone_device_page", 0 }, { "pci_p2pdma_add_resource", 0 },
	{ "pci_alloc_p2pmem", 0 }, { "pci_free_p2pmem", 0 }, { "gen_pool_alloc_algo_owner", 0 },
	{ "gen_pool_free_owner", 1 }, { "gen_pool_add_owner", 0 }, { "kgd2kfd_init_zone_device", 0 },
	{ "svm_migrate_to_vram", 0 }, { "svm_migrate_ram_to_vram", 0 }, { "svm_migrate_vram_to_ram", 0 },
	{ "svm_migrate_to_ram", 0 }, { "svm_migrate_page_free", 0 }, { "svm_migrate_copy_to_vram", 0 },
	{ "svm_migrate_copy_to_ram", 0 }, { "devm_request_free_mem_region", 0 }, { "request_free_mem_region", 0 },
	{ "__release_region", 0 }, { "migrate_device_pfns", 0 }, { "drm_pagemap_migrate_to_devmem", 0 },
	{ "drm_pagemap_evict_to_ram", 0 }, { "__drm_pagemap_migrate_to_ram", 0 },
};
#define PROBE_NAMES (sizeof(probe_names) / sizeof(probe_names[0]))

/* what --disable and --enable accumulated: every use adds to the list (the session reads it as given) */
#define PROBE_LIST_BYTES 2048
static char disabled_list[PROBE_LIST_BYTES], enabled_list[PROBE_LIST_BYTES];

static int probe_index(const char *name, size_t len)
{
	for (size_t i = 0; i < PROBE_NAMES; i++)
		if (strlen(probe_names[i].function) == len && !strncmp(probe_names[i].function, name, len))
			return (int)i;
	return -1;
}

/* "a, b, c" of the probes --OPTION takes, for its error */
static void valid_names(char *buf, size_t len, int opt_in_only)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < PROBE_NAMES && used < len; i++) {
		if (opt_in_only && !probe_names[i].opt_in)
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? ", " : "", probe_names[i].function);
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
		index = probe_index(item, len);

		if (index < 0) {
			valid_names(names, sizeof(names), enabling);
			argp_error(state, "%s: no probe '%.*s'; the probes%s: %s", option, (int)len, item,
				   enabling ? " off by default" : "", names);
			return -1;
		}
		if (enabling && !probe_names[index].opt_in) {
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
