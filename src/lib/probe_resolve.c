// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the running kernel offers each hook, read from the files of a root folder ("" = this machine, a
 * fixture tree in the unit tests): /proc/kallsyms (text symbols: what a kprobe can take, and the drivers'
 * slots' symbols) and available_filter_functions (what ftrace can patch: fentry needs it, and so does a
 * kprobe on a kernel without CONFIG_KPROBE_EVENTS_ON_NOTRACE).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "driver_slots.h"
#include "probe.h"

/* which of NAMES (lengths in LENS; 0 = not looked for) is the NAME_LEN bytes at NAME, not yet found; -1 when
 * none. A length compare first: the lists are long (~10^5 lines, read under TCG in the lab) and few names
 * share a length */
static int match_name(const char *const names[], const size_t lens[], const int found[], const char *name,
		      size_t name_len)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		if (lens[hook] && lens[hook] == name_len && !found[hook] && !memcmp(name, names[hook], name_len))
			return hook;
	}
	return -1;
}

/* ROOT/PATH with a big buffer: /proc/kallsyms and available_filter_functions are seq_files, one read(2) per
 * buffer */
static FILE *open_list(const char *root, const char *path, char *buffer, size_t buffer_len)
{
	char full[4096];
	FILE *file;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >= sizeof(full)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	file = fopen(full, "r");
	if (file)
		setvbuf(file, buffer, _IOFBF, buffer_len);
	return file;
}

/* One pass over kallsyms (long, and slow to read under TCG with amdgpu loaded): which core hooks the kernel
 * has as text symbols (kprobe-able by name), and which symbol each driver slot gets. */
int probe_scan_kallsyms(const char *root, struct probe_plan *plan)
{
	char buffer[1 << 16]; /* the FILE is closed before it goes */
	const char *names[ZDEV_HOOK_COUNT];
	size_t lens[ZDEV_HOOK_COUNT];
	int found[ZDEV_HOOK_COUNT] = { 0 };
	char line[512];
	FILE *file = open_list(root, "/proc/kallsyms", buffer, sizeof(buffer));

	if (!file)
		return -errno;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		names[hook] = zdev_hook_function(hook);
		/* the drivers' slots are module symbols, found apart; a tracepoint is no symbol */
		lens[hook] = zdev_hook_flags(hook) & (ZDEV_HOOK_F_DRIVER | ZDEV_HOOK_F_TRACEPOINT) ? 0 : strlen(names[hook]);
	}
	/* "ADDRESS KIND NAME" or "ADDRESS KIND NAME\t[MODULE]" */
	while (fgets(line, sizeof(line), file)) {
		char *kind = strchr(line, ' '), *symbol, *module;
		size_t symbol_len;
		int hook;

		if (!kind || (kind[1] != 't' && kind[1] != 'T') || kind[2] != ' ')
			continue;
		symbol = kind + 3;
		symbol_len = strcspn(symbol, " \t\n");
		module = symbol + symbol_len;
		while (*module == ' ' || *module == '\t')
			module++;
		if (*module == '[') {
			symbol[symbol_len] = '\0';
			driver_slots_note_symbol(plan, module, strcspn(module, " \t\n"), symbol);
			continue;
		}
		hook = match_name(names, lens, found, symbol, symbol_len);
		if (hook >= 0)
			found[hook] = 1;
	}
	fclose(file);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		plan->hooks[hook].in_syms |= found[hook];
	return 0;
}

int probe_scan_ftrace(const char *root, struct probe_plan *plan)
{
	static const char *const paths[] = { "/sys/kernel/tracing/available_filter_functions",
					     "/sys/kernel/debug/tracing/available_filter_functions" };
	char buffer[1 << 16]; /* the FILE is closed before it goes */
	const char *names[ZDEV_HOOK_COUNT];
	size_t lens[ZDEV_HOOK_COUNT];
	int found[ZDEV_HOOK_COUNT] = { 0 };
	char line[512];
	FILE *file = NULL;

	/* the drivers' functions by the symbol resolved (6.1's svm_migrate_init, a split copy), not the hook's name */
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		names[hook] = plan->probes->rows[hook].function;
		lens[hook] = names[hook] ? strlen(names[hook]) : 0;
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !file; i++)
		file = open_list(root, paths[i], buffer, sizeof(buffer));
	if (!file)
		return -errno;
	while (fgets(line, sizeof(line), file)) {
		int hook = match_name(names, lens, found, line, strcspn(line, " \n")); /* "name [module]" */

		if (hook >= 0)
			found[hook] = 1;
	}
	fclose(file);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		plan->hooks[hook].traceable |= found[hook];
	return 0;
}
