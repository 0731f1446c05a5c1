// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The drivers' hooks resolved in the running kernel (see driver_slots.h): one table row per driver, the
 * same steps for each (symbol from kallsyms, module loaded, fentry where the module's BTF has the exact
 * function, arguments by name), and what differs (other names, the arguments read) in the row.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "driver_slots.h"

_Static_assert(sizeof(((struct zdev_settings *)0)->amdgpu_trigger_arg) >= ZDEV_AMDGPU_SLOTS,
	       "zdev_settings holds an argument position per amdgpu slot");
_Static_assert(sizeof(((struct zdev_settings *)0)->drm_pagemap_devmem_arg) >= ZDEV_DRM_PAGEMAP_SLOTS,
	       "zdev_settings holds an argument position per drm_pagemap slot");

struct driver {
	const char *module;             /* as /sys/module and kallsyms ("[amdgpu]") name it */
	int first_hook, nr_slots;
	const char *const *other_names; /* per slot: the name its function has in other kernels, or NULL */
	/* a slot every kernel with the driver's feature has: a slot missing beside it was inlined away or
	 * renamed; missing itself, the feature is not built */
	int anchor_slot;
	const char *inlined_why, *not_built_why, *split_why;
	/* finds the arguments SLOT's program reads in FUNCTION's BTF and says in WHY what it found */
	void (*find_arguments)(struct driver_slots *slots, const struct btf *btf, int slot, const char *function,
			       char *why, size_t why_len);
};

const struct btf_type *driver_slots_function_proto(const struct btf *btf, const char *function)
{
	int id = btf__find_by_name_kind(btf, function, BTF_KIND_FUNC);
	const struct btf_type *proto = id > 0 ? btf__type_by_id(btf, btf__type_by_id(btf, id)->type) : NULL;

	return proto && btf_is_func_proto(proto) ? proto : NULL;
}

/* the 1-based position of FUNCTION's parameter named NAME (or ALSO) in BTF, 0 when it has none */
static uint8_t named_argument(const struct btf *btf, const char *function, const char *name, const char *also)
{
	const struct btf_type *proto = driver_slots_function_proto(btf, function);
	const struct btf_param *params;

	if (!proto)
		return 0;
	params = btf_params(proto);
	for (int i = 0; i < btf_vlen(proto) && i < 12; i++) {
		const char *param = btf__name_by_offset(btf, params[i].name_off);

		if (param && (!strcmp(param, name) || (also && !strcmp(param, also))))
			return (uint8_t)(i + 1);
	}
	return 0;
}

/* amdgpu's trigger moved (4th in 6.1's svm_migrate_to_vram, 6th in 6.12's); its range is "start"/"last", or
 * "start_mgr"/"last_mgr" (6.12+) */
static void amdgpu_arguments(struct driver_slots *slots, const struct btf *btf, int slot, const char *function,
			     char *why, size_t why_len)
{
	uint8_t trigger = named_argument(btf, function, "trigger", NULL);
	uint8_t start = named_argument(btf, function, "start", "start_mgr");
	uint8_t last = named_argument(btf, function, "last", "last_mgr");

	slots->amdgpu_trigger_arg[slot] = trigger;
	slots->amdgpu_start_arg[slot] = start;
	slots->amdgpu_last_arg[slot] = last;
	if (trigger && start && last)
		snprintf(why, why_len, "trigger: argument %u, range: arguments %u-%u (module BTF)", trigger, start, last);
	else if (trigger)
		snprintf(why, why_len, "trigger: argument %u (module BTF)", trigger);
}

/* drm_pagemap (7.2): migrate_to_devmem(devmem_allocation, mm, start, end, mdetails),
 * evict_to_ram(devmem_allocation), __drm_pagemap_migrate_to_ram(vas, page, fault_addr, size). The pages
 * come from the size, else the range, else the allocation; the owner from the allocation's pgmap, else the
 * faulting page's. */
static void drm_pagemap_arguments(struct driver_slots *slots, const struct btf *btf, int slot,
				  const char *function, char *why, size_t why_len)
{
	uint8_t devmem = named_argument(btf, function, "devmem_allocation", NULL);
	uint8_t page = named_argument(btf, function, "page", NULL);
	uint8_t start = named_argument(btf, function, "start", NULL);
	uint8_t end = named_argument(btf, function, "end", NULL);
	uint8_t size = named_argument(btf, function, "size", NULL);
	char pages_from[48] = "not known", owner_from[40] = "not known";

	slots->drm_pagemap_devmem_arg[slot] = devmem;
	slots->drm_pagemap_page_arg[slot] = page;
	slots->drm_pagemap_start_arg[slot] = start;
	slots->drm_pagemap_end_arg[slot] = end;
	slots->drm_pagemap_size_arg[slot] = size;
	if (size)
		snprintf(pages_from, sizeof(pages_from), "argument %u (size)", size);
	else if (start && end)
		snprintf(pages_from, sizeof(pages_from), "arguments %u-%u (end - start)", start, end);
	else if (devmem)
		snprintf(pages_from, sizeof(pages_from), "argument %u's size", devmem);
	if (devmem)
		snprintf(owner_from, sizeof(owner_from), "argument %u's pgmap", devmem);
	else if (page)
		snprintf(owner_from, sizeof(owner_from), "argument %u's pgmap (the page)", page);
	snprintf(why, why_len, "pages: %s, owner: %s (module BTF)", pages_from, owner_from);
}

/* the names a slot had in other kernels: 6.1's svm_migrate_init; svm_migrate_folio_free (6.19+, the pgmap's
 * folio_free) for svm_migrate_page_free */
static const char *const amdgpu_other_names[ZDEV_AMDGPU_SLOTS] = {
	[ZDEV_AMDGPU_ZONE_DEVICE_INIT] = "svm_migrate_init",
	[ZDEV_AMDGPU_PAGE_FREE] = "svm_migrate_folio_free",
};

static const struct driver drivers[] = {
	{
		.module = "amdgpu",
		.first_hook = ZDEV_HOOK_AMDGPU_FIRST,
		.nr_slots = ZDEV_AMDGPU_SLOTS,
		.other_names = amdgpu_other_names,
		.anchor_slot = ZDEV_AMDGPU_TO_VRAM,
		/* 7.2's svm_migrate_copy_to_ram is inlined */
		.inlined_why = "no symbol in this amdgpu: inlined by the compiler (or renamed)",
		.not_built_why = "not in this kernel's amdgpu (no HSA_AMD_SVM?)",
		.split_why = "only a compiler-split copy exists: kprobe on it",
		.find_arguments = amdgpu_arguments,
	},
	{
		.module = "drm_gpusvm_helper",
		.first_hook = ZDEV_HOOK_DRM_PAGEMAP_FIRST,
		.nr_slots = ZDEV_DRM_PAGEMAP_SLOTS,
		.other_names = NULL,
		/* exported: in every drm_gpusvm_helper with drm_pagemap.o (CONFIG_ZONE_DEVICE) */
		.anchor_slot = ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM,
		/* __drm_pagemap_migrate_to_ram is static: a compiler may fold it into its one caller, the pgmap's
		 * migrate_to_ram (7.2's Debian build keeps it) */
		.inlined_why = "no symbol in this drm_gpusvm_helper: inlined by the compiler (or renamed)",
		.not_built_why = "not in this kernel's drm_gpusvm_helper (no drm_pagemap: ZONE_DEVICE off, or older)",
		.split_why = "only a compiler-split copy exists: kprobe on it, its arguments not read (no pages, no owner)",
		.find_arguments = drm_pagemap_arguments,
	},
};

#define NR_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))

/* SYMBOL of DRIVER's module: the slot it serves, if any (a slot's own name or its other name; a .part.N /
 * .isra.N / .constprop.N copy where only that exists, the function itself when both do) */
static void note_driver_symbol(struct probe_plan *plan, const struct driver *driver, const char *symbol)
{
	size_t symbol_len = strlen(symbol);

	for (int slot = 0; slot < driver->nr_slots; slot++) {
		int hook = driver->first_hook + slot;
		struct hook_state *state = &plan->hooks[hook];
		const char *wanted[2] = { zdev_hook_function(hook), driver->other_names ? driver->other_names[slot] : NULL };

		for (int w = 0; w < 2 && wanted[w]; w++) {
			size_t len = strlen(wanted[w]);
			int exact = !strcmp(symbol, wanted[w]);
			/* a compiler-split copy (not the .cold part of one) */
			int split = !strncmp(symbol, wanted[w], len) && symbol[len] == '.' &&
				    strncmp(symbol + len, ".cold", 5);

			if ((exact || split) && (!state->target[0] || exact) && symbol_len < sizeof(state->target)) {
				memcpy(state->target, symbol, symbol_len + 1);
				state->in_syms = 1;
			}
		}
	}
}

void driver_slots_note_symbol(struct probe_plan *plan, const char *module, size_t module_len, const char *symbol)
{
	for (size_t d = 0; d < NR_DRIVERS; d++) {
		size_t len = strlen(drivers[d].module);

		if (module_len == len + 2 && module[0] == '[' && !strncmp(module + 1, drivers[d].module, len) &&
		    module[len + 1] == ']')
			note_driver_symbol(plan, &drivers[d], symbol);
	}
}

static void resolve_driver(struct driver_slots *slots, const struct driver *driver, const char *root,
			   struct btf *vmlinux_btf, struct probe_plan *plan)
{
	struct zdev_probe_row *rows = plan->probes->rows;
	struct btf *module_btf = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/sys/module/%s", root, driver->module);
	if (access(path, F_OK)) {
		for (int hook = driver->first_hook; hook < driver->first_hook + driver->nr_slots; hook++)
			snprintf(rows[hook].why, sizeof(rows[hook].why), "module %s not loaded", driver->module);
		return;
	}
	/* what libbpf's btf__load_module_btf reads, under ROOT */
	snprintf(path, sizeof(path), "%s/sys/kernel/btf/%s", root, driver->module);
	module_btf = btf__parse_split(path, vmlinux_btf);
	if (libbpf_get_error(module_btf))
		module_btf = NULL;
	for (int slot = 0; slot < driver->nr_slots; slot++) {
		int hook = driver->first_hook + slot;
		struct hook_state *state = &plan->hooks[hook];
		struct zdev_probe_row *row = &rows[hook];
		const char *target = state->target;
		int split = strchr(target, '.') != NULL;

		if (!state->in_syms) {
			snprintf(row->why, sizeof(row->why), "%s", plan->hooks[driver->first_hook + driver->anchor_slot].in_syms ?
				 driver->inlined_why : driver->not_built_why);
			continue;
		}
		row->function = target;
		/* fentry only on the function itself, as its BTF describes it; a split copy takes a kprobe, and
		 * its arguments, which the compiler may have dropped or reordered, are not read */
		state->in_btf = module_btf && !split && btf__find_by_name_kind(module_btf, target, BTF_KIND_FUNC) > 0;
		if (split)
			snprintf(row->why, sizeof(row->why), "%s", driver->split_why);
		else if (!module_btf)
			snprintf(row->why, sizeof(row->why), "no BTF for module %s here: kprobe, arguments not read",
				 driver->module);
		else
			driver->find_arguments(slots, module_btf, slot, target, row->why, sizeof(row->why));
	}
	btf__free(module_btf);
}

void driver_slots_resolve(struct driver_slots *slots, const char *root, struct btf *vmlinux_btf,
			  struct probe_plan *plan)
{
	for (size_t d = 0; d < NR_DRIVERS; d++)
		resolve_driver(slots, &drivers[d], root, vmlinux_btf, plan);
}

void driver_slots_settings(const struct driver_slots *slots, struct zdev_settings *settings)
{
	memcpy(settings->amdgpu_trigger_arg, slots->amdgpu_trigger_arg, sizeof(slots->amdgpu_trigger_arg));
	memcpy(settings->amdgpu_start_arg, slots->amdgpu_start_arg, sizeof(slots->amdgpu_start_arg));
	memcpy(settings->amdgpu_last_arg, slots->amdgpu_last_arg, sizeof(slots->amdgpu_last_arg));
	memcpy(settings->drm_pagemap_devmem_arg, slots->drm_pagemap_devmem_arg, sizeof(slots->drm_pagemap_devmem_arg));
	memcpy(settings->drm_pagemap_page_arg, slots->drm_pagemap_page_arg, sizeof(slots->drm_pagemap_page_arg));
	memcpy(settings->drm_pagemap_start_arg, slots->drm_pagemap_start_arg, sizeof(slots->drm_pagemap_start_arg));
	memcpy(settings->drm_pagemap_end_arg, slots->drm_pagemap_end_arg, sizeof(slots->drm_pagemap_end_arg));
	memcpy(settings->drm_pagemap_size_arg, slots->drm_pagemap_size_arg, sizeof(slots->drm_pagemap_size_arg));
}
