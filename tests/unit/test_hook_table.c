// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The hook table (zdev/hooks.h) against the BPF object the tools embed, opened as they open it but not
 * loaded (no privileges needed): every row has the programs its flags promise, named <kind>_<stem>, with
 * sections that attach to its function; every program of the object is some row's (or the pool state
 * reader). A hook added to one side only fails here, not in the lab.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include "zdev/abi.h" /* before the skeleton: it names struct zdev_settings */
#include "zdev.skel.h"
#include "zdev/hooks.h"

static const char *const kinds[] = { "fentry", "fexit", "kprobe", "kretprobe", "tracepoint" };
#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* the programs a row's flags promise, by kind */
static int expected(unsigned flags, size_t kind)
{
	int entry = !(flags & ZDEV_HOOK_F_RETURN_ONLY), exit = !(flags & ZDEV_HOOK_F_ENTRY_ONLY);
	int fentry_twin = !(flags & (ZDEV_HOOK_F_KPROBE_ONLY | ZDEV_HOOK_F_TRACEPOINT));

	if (flags & ZDEV_HOOK_F_TRACEPOINT)
		return kind == 4;
	switch (kind) {
	case 0: return fentry_twin && entry;
	case 1: return fentry_twin && exit;
	case 2: return entry;
	case 3: return exit;
	default: return 0;
	}
}

static void test_rows(void **state)
{
	(void)state;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		unsigned flags = zdev_hook_flags(hook);

		assert_non_null(zdev_hook_function(hook));
		assert_non_null(zdev_hook_stem(hook));
		assert_non_null(zdev_hook_feeds(hook));
		assert_false((flags & ZDEV_HOOK_F_ENTRY_ONLY) && (flags & ZDEV_HOOK_F_RETURN_ONLY));
		assert_int_equal(zdev_hook_by_function(zdev_hook_function(hook), strlen(zdev_hook_function(hook))), hook);
		/* the drivers' slots are the ranges the renderers and the driver table use */
		assert_int_equal(!!(flags & ZDEV_HOOK_F_DRIVER),
				 (hook >= ZDEV_HOOK_AMDGPU_FIRST && hook <= ZDEV_HOOK_AMDGPU_LAST) ||
					 (hook >= ZDEV_HOOK_DRM_PAGEMAP_FIRST && hook <= ZDEV_HOOK_DRM_PAGEMAP_LAST));
	}
	assert_int_equal(zdev_hook_by_function("memremap_page", 13), -1);
	assert_null(zdev_hook_function(ZDEV_HOOK_COUNT));
	assert_null(zdev_hook_function(-1));
	assert_int_equal(zdev_hook_flags(ZDEV_HOOK_COUNT), 0);
	assert_true(zdev_hook_opt_in(ZDEV_HOOK_GEN_POOL_FREE));
	assert_false(zdev_hook_opt_in(ZDEV_HOOK_GEN_POOL_ALLOC));
	assert_string_equal(zdev_hook_function(ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_PAGE_FREE), "svm_migrate_page_free");
	assert_string_equal(zdev_hook_function(ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM),
			    "__drm_pagemap_migrate_to_ram");
}

/* HOOK's program of KIND: there when the flags promise it, absent otherwise; a fixed target in its section */
static void check_program(struct bpf_object *obj, int hook, size_t kind)
{
	const char *function = zdev_hook_function(hook), *section;
	unsigned flags = zdev_hook_flags(hook);
	struct bpf_program *prog;
	char name[128], wanted[160];

	snprintf(name, sizeof(name), "%s_%s", kinds[kind], zdev_hook_stem(hook));
	prog = bpf_object__find_program_by_name(obj, name);
	if (!expected(flags, kind)) {
		if (prog)
			fail_msg("%s: hook %s's flags promise no such program", name, function);
		return;
	}
	if (!prog)
		fail_msg("%s: missing for hook %s", name, function);
	/* SEC("?..."): not loaded unless the session switches it on (libbpf drops the '?' from the name) */
	assert_false(bpf_program__autoload(prog));
	section = bpf_program__section_name(prog);
	if (flags & ZDEV_HOOK_F_TRACEPOINT) {
		/* "kmem:mm_page_alloc" is tracepoint/kmem/mm_page_alloc */
		snprintf(wanted, sizeof(wanted), "tracepoint/%s", function);
		*strchr(wanted + strlen("tracepoint/"), ':') = '/';
	} else if (flags & ZDEV_HOOK_F_DRIVER) {
		snprintf(wanted, sizeof(wanted), "%s", kinds[kind]); /* the target comes at run time */
	} else {
		snprintf(wanted, sizeof(wanted), "%s/%s", kinds[kind], function);
	}
	if (strcmp(section, wanted))
		fail_msg("%s: section %s, the table says %s", name, section, wanted);
}

static void test_object_matches_table(void **state)
{
	struct zdev_bpf *skel = zdev_bpf__open();
	struct bpf_program *prog;
	int programs_of_hooks = 0, programs = 0;

	(void)state;
	assert_non_null(skel);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		for (size_t kind = 0; kind < NR_KINDS; kind++) {
			check_program(skel->obj, hook, kind);
			programs_of_hooks += expected(zdev_hook_flags(hook), kind);
		}
	}
	/* and nothing else but the pool state reader, which the session runs itself */
	bpf_object__for_each_program(prog, skel->obj)
		programs++;
	assert_non_null(bpf_object__find_program_by_name(skel->obj, "read_pool_states"));
	assert_int_equal(programs, programs_of_hooks + 1);
	zdev_bpf__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_object_matches_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
