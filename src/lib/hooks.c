// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The hook table's columns by hook (include/zdev/hooks.h), for the session (which attaches the hooks and
 * prints their probe rows), the probe options (--disable and --enable take these names) and the renderers:
 * pure, so the option parser links it without libbpf.
 */
#include <string.h>
#include "zdev/hooks.h"

static const struct {
	const char *function, *stem, *feeds;
	unsigned flags;
} hook_rows[ZDEV_HOOK_COUNT] = {
#define HOOK_ROW(name, function, stem, flags, feeds) [ZDEV_HOOK_##name] = { function, #stem, feeds, flags },
	ZDEV_HOOKS(HOOK_ROW)
#undef HOOK_ROW
};

static int in_range(int hook)
{
	return hook >= 0 && hook < ZDEV_HOOK_COUNT;
}

const char *zdev_hook_function(int hook)
{
	return in_range(hook) ? hook_rows[hook].function : NULL;
}

const char *zdev_hook_feeds(int hook)
{
	return in_range(hook) ? hook_rows[hook].feeds : NULL;
}

const char *zdev_hook_stem(int hook)
{
	return in_range(hook) ? hook_rows[hook].stem : NULL;
}

unsigned zdev_hook_flags(int hook)
{
	return in_range(hook) ? hook_rows[hook].flags : 0;
}

/* gen_pool_free_owner is a trap and a record per p2p page freed, for little more than what other hooks give
 * (the pages' count and the pool's use come from free_zone_device_folio, which runs anyway) */
int zdev_hook_opt_in(int hook)
{
	return (zdev_hook_flags(hook) & ZDEV_HOOK_F_OPT_IN) != 0;
}

int zdev_hook_by_function(const char *name, size_t len)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		if (strlen(hook_rows[hook].function) == len && !strncmp(hook_rows[hook].function, name, len))
			return hook;
	}
	return -1;
}
