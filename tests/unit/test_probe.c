// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The probe layer's resolution and choices on the host, from fixture trees laid out like procfs, tracefs
 * and sysfs (excerpts of what the lab's kernels show): which hooks are text symbols and which ftrace can
 * patch, the drivers' slots resolved to this kernel's symbols (other names, compiler-split copies, inlined
 * functions), the arguments their programs read found by name in a module's BTF, the twin each hook loads,
 * and what each probe row says.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "../../src/lib/driver_slots.h"
#include "../../src/lib/probe.h"
#include "fixture_tree.h"

/* Debian 6.1 with the lab's amdgpu: __populate_section_memmap and genalloc are notrace (not in
 * available_filter_functions); amdgpu calls its zone-device init svm_migrate_init and has
 * svm_migrate_ram_to_vram only as a split copy; no drm_gpusvm_helper, no migrate_device_pfns */
static const char kallsyms_61[] =
	"ffffffff81001000 T _stext\n"
	"ffffffff81234560 T memremap_pages\n"
	"ffffffff81234890 T devm_memremap_pages\n"
	"ffffffff81234a00 T memunmap_pages\n"
	"ffffffff81234b00 D memunmap_pages_data\n" /* not text: ignored */
	"ffffffff81345000 T memmap_init_zone_device\n"
	"ffffffff81345100 t __populate_section_memmap\n"
	"ffffffff81345200 T __add_pages\n"
	"ffffffff81456000 T migrate_vma_setup\n"
	"ffffffff81456100 T migrate_vma_pages\n"
	"ffffffff81456200 T migrate_vma_finalize\n"
	"ffffffff81456300 T migrate_device_range\n"
	"ffffffff81456400 T zone_device_page_init\n"
	"ffffffff81456500 T free_zone_device_page\n"
	"ffffffff81567000 T pci_p2pdma_add_resource\n"
	"ffffffff81567100 T pci_alloc_p2pmem\n"
	"ffffffff81567200 T pci_free_p2pmem\n"
	"ffffffff81678000 T gen_pool_alloc_algo_owner\n"
	"ffffffff81678100 T gen_pool_free_owner\n"
	"ffffffff81678200 T gen_pool_add_owner\n"
	"ffffffff81789000 T devm_request_free_mem_region\n"
	"ffffffff81789100 T request_free_mem_region\n"
	"ffffffff81789200 T __release_region\n"
	"ffffffffc0a00000 t svm_migrate_init\t[amdgpu]\n"
	"ffffffffc0a00100 t svm_migrate_to_vram\t[amdgpu]\n"
	"ffffffffc0a00200 t svm_migrate_ram_to_vram.part.0\t[amdgpu]\n"
	"ffffffffc0a00280 t svm_migrate_ram_to_vram.cold\t[amdgpu]\n"
	"ffffffffc0a00300 t svm_migrate_vram_to_ram\t[amdgpu]\n"
	"ffffffffc0a00400 t svm_migrate_to_ram\t[amdgpu]\n"
	"ffffffffc0a00500 t svm_migrate_page_free\t[amdgpu]\n"
	"ffffffffc0a00600 t svm_migrate_copy_to_vram\t[amdgpu]\n"
	"ffffffffc0a00700 t svm_migrate_copy_to_ram\t[amdgpu]\n"
	"ffffffffc0b00000 t svm_migrate_to_vram\t[other_module]\n"; /* another module's: not a slot */

static const char ftrace_61[] =
	"memremap_pages\n"
	"devm_memremap_pages\n"
	"memunmap_pages\n"
	"memmap_init_zone_device\n"
	"__add_pages\n"
	"migrate_vma_setup\n"
	"migrate_vma_pages\n"
	"migrate_vma_finalize\n"
	"migrate_device_range\n"
	"zone_device_page_init\n"
	"free_zone_device_page\n"
	"pci_p2pdma_add_resource\n"
	"pci_alloc_p2pmem\n"
	"pci_free_p2pmem\n"
	"devm_request_free_mem_region\n"
	"request_free_mem_region\n"
	"__release_region\n"
	"svm_migrate_init [amdgpu]\n"
	"svm_migrate_to_vram [amdgpu]\n"
	"svm_migrate_ram_to_vram.part.0 [amdgpu]\n"
	"svm_migrate_vram_to_ram [amdgpu]\n"
	"svm_migrate_to_ram [amdgpu]\n"
	"svm_migrate_page_free [amdgpu]\n"
	"svm_migrate_copy_to_vram [amdgpu]\n"
	"svm_migrate_copy_to_ram [amdgpu]\n";

static const struct zdev_session_options default_options = {
	.allow_fentry = 1,
	.allow_kprobe = 1,
	.allow_kprobe_notrace = 1,
};

struct fixture {
	char root[64];
	struct probe_plan plan;
	struct zdev_probe_table probes;
	struct driver_slots drivers;
};

static int setup(void **state)
{
	struct fixture *fixture = calloc(1, sizeof(*fixture));

	assert_non_null(fixture);
	snprintf(fixture->root, sizeof(fixture->root), "/tmp/zdev-probe-XXXXXX");
	assert_non_null(mkdtemp(fixture->root));
	fixture->plan.probes = &fixture->probes;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		fixture->probes.rows[hook].function = zdev_hook_function(hook);
		fixture->probes.rows[hook].feeds = zdev_hook_feeds(hook);
	}
	*state = fixture;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fixture = *state;
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", fixture->root);
	assert_int_equal(system(command), 0);
	free(fixture);
	return 0;
}

/* module BTF for amdgpu as 6.12 has it: svm_migrate_to_vram(adev, prange, best_loc, start_mgr, last_mgr, mm,
 * trigger), svm_migrate_vram_to_ram(prange, mm, start_mgr, last_mgr, trigger, fault_page); written under
 * ROOT/sys/kernel/btf/amdgpu on a base of vmlinux's types (BASE) */
static void put_amdgpu_btf(const char *root, struct btf *base)
{
	static const char *const to_vram[] = { "adev", "prange", "best_loc", "start_mgr", "last_mgr", "mm", "trigger" };
	static const char *const to_ram[] = { "prange", "mm", "start_mgr", "last_mgr", "trigger", "fault_page" };
	struct btf *module = btf__new_empty_split(base);
	const void *raw;
	uint32_t raw_len;
	int u64, proto;

	assert_non_null(module);
	u64 = btf__find_by_name_kind(base, "u64", BTF_KIND_INT);
	proto = btf__add_func_proto(module, u64);
	for (size_t i = 0; i < sizeof(to_vram) / sizeof(to_vram[0]); i++)
		assert_int_equal(btf__add_func_param(module, to_vram[i], u64), 0);
	assert_true(btf__add_func(module, "svm_migrate_to_vram", BTF_FUNC_STATIC, proto) > 0);
	proto = btf__add_func_proto(module, u64);
	for (size_t i = 0; i < sizeof(to_ram) / sizeof(to_ram[0]); i++)
		assert_int_equal(btf__add_func_param(module, to_ram[i], u64), 0);
	assert_true(btf__add_func(module, "svm_migrate_vram_to_ram", BTF_FUNC_STATIC, proto) > 0);
	raw = btf__raw_data(module, &raw_len);
	assert_non_null(raw);
	fixture_put_bytes(root, "sys/kernel/btf/amdgpu", raw, raw_len);
	btf__free(module);
}

static struct btf *vmlinux_base(void)
{
	struct btf *base = btf__new_empty();

	assert_non_null(base);
	assert_true(btf__add_int(base, "u64", 8, 0) > 0);
	return base;
}

static void resolve_61(struct fixture *fixture, const struct zdev_session_options *options, int with_btf)
{
	struct btf *base = vmlinux_base();

	fixture_put(fixture->root, "proc/kallsyms", kallsyms_61);
	fixture_put(fixture->root, "sys/kernel/tracing/available_filter_functions", ftrace_61);
	fixture_put(fixture->root, "sys/module/amdgpu/initstate", "live\n");
	if (with_btf)
		put_amdgpu_btf(fixture->root, base);
	assert_int_equal(probe_scan_kallsyms(fixture->root, &fixture->plan), 0);
	/* the core hooks' BTF functions: what btf__find_by_name_kind finds in vmlinux, every function here */
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		fixture->plan.hooks[hook].in_btf =
			!(zdev_hook_flags(hook) & (ZDEV_HOOK_F_KPROBE_ONLY | ZDEV_HOOK_F_TRACEPOINT | ZDEV_HOOK_F_DRIVER)) &&
			fixture->plan.hooks[hook].in_syms;
	driver_slots_resolve(&fixture->drivers, fixture->root, base, &fixture->plan);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		fixture->plan.hooks[hook].exists = fixture->plan.hooks[hook].in_syms;
	fixture->plan.ftrace_known = probe_scan_ftrace(fixture->root, &fixture->plan) == 0;
	probe_apply_notrace(&fixture->plan, options);
	btf__free(base);
}

static void test_kallsyms_and_ftrace(void **state)
{
	struct fixture *fixture = *state;
	const struct hook_state *hooks = fixture->plan.hooks;

	resolve_61(fixture, &default_options, 0);
	assert_true(fixture->plan.ftrace_known);
	assert_true(hooks[ZDEV_HOOK_MEMREMAP_PAGES].in_syms && hooks[ZDEV_HOOK_MEMREMAP_PAGES].traceable);
	assert_true(hooks[ZDEV_HOOK_MEMREMAP_PAGES].in_btf);
	/* 6.12+ only: not a symbol here */
	assert_false(hooks[ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO].in_syms);
	assert_false(hooks[ZDEV_HOOK_MIGRATE_DEVICE_PFNS].in_syms);
	assert_true(hooks[ZDEV_HOOK_FREE_ZONE_DEVICE_PAGE].in_syms);
	/* notrace (__meminit in 6.1): a symbol, not patchable: no fentry, a kprobe where allowed */
	assert_true(hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].exists);
	assert_false(hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].traceable);
	assert_false(hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].in_btf);
	assert_true(hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].in_syms);
	assert_string_equal(fixture->probes.rows[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].why,
			    "notrace: not in available_filter_functions");
	assert_true(hooks[ZDEV_HOOK_GEN_POOL_ALLOC].in_syms);
	assert_false(hooks[ZDEV_HOOK_GEN_POOL_ALLOC].traceable);
	/* a data symbol of a similar name is no hook */
	assert_string_equal(fixture->probes.rows[ZDEV_HOOK_MEMUNMAP_PAGES].why, "");
}

static void test_notrace_kprobes_forbidden(void **state)
{
	struct fixture *fixture = *state;
	struct zdev_session_options options = default_options;

	options.allow_kprobe_notrace = 0;
	resolve_61(fixture, &options, 0);
	assert_false(fixture->plan.hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].in_syms);
	assert_false(fixture->plan.hooks[ZDEV_HOOK_GEN_POOL_ADD].in_syms);
	assert_true(fixture->plan.hooks[ZDEV_HOOK_ADD_PAGES].in_syms);
}

static void test_missing_lists(void **state)
{
	struct fixture *fixture = *state;

	assert_int_equal(probe_scan_kallsyms(fixture->root, &fixture->plan), -ENOENT);
	assert_int_equal(probe_scan_ftrace(fixture->root, &fixture->plan), -ENOENT);
	/* debugfs's copy when tracefs has none */
	fixture_put(fixture->root, "sys/kernel/debug/tracing/available_filter_functions", "memremap_pages\n");
	assert_int_equal(probe_scan_ftrace(fixture->root, &fixture->plan), 0);
	assert_true(fixture->plan.hooks[ZDEV_HOOK_MEMREMAP_PAGES].traceable);
	assert_false(fixture->plan.hooks[ZDEV_HOOK_MEMUNMAP_PAGES].traceable);
}

static void test_amdgpu_slots(void **state)
{
	struct fixture *fixture = *state;
	const struct hook_state *hooks = fixture->plan.hooks;
	const struct zdev_probe_row *rows = fixture->probes.rows;
	int init = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_ZONE_DEVICE_INIT;
	int ram_to_vram = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_RAM_TO_VRAM;
	int to_vram = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_VRAM;
	int to_ram = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_VRAM_TO_RAM;

	resolve_61(fixture, &default_options, 1);
	/* 6.1's name for kgd2kfd_init_zone_device, by the slot's other name */
	assert_string_equal(hooks[init].target, "svm_migrate_init");
	assert_string_equal(rows[init].function, "svm_migrate_init");
	assert_true(hooks[init].in_syms && hooks[init].traceable);
	/* no BTF function of that name in the fixture's module BTF: kprobe only */
	assert_false(hooks[init].in_btf);
	/* the split copy, not its .cold part; kprobe only, arguments not read */
	assert_string_equal(hooks[ram_to_vram].target, "svm_migrate_ram_to_vram.part.0");
	assert_false(hooks[ram_to_vram].in_btf);
	assert_string_equal(rows[ram_to_vram].why, "only a compiler-split copy exists: kprobe on it");
	/* arguments by name in the module's BTF (1-based) */
	assert_true(hooks[to_vram].in_btf);
	assert_string_equal(rows[to_vram].why, "trigger: argument 7, range: arguments 4-5 (module BTF)");
	assert_int_equal(fixture->drivers.amdgpu_trigger_arg[ZDEV_AMDGPU_TO_VRAM], 7);
	assert_int_equal(fixture->drivers.amdgpu_start_arg[ZDEV_AMDGPU_TO_VRAM], 4);
	assert_int_equal(fixture->drivers.amdgpu_last_arg[ZDEV_AMDGPU_TO_VRAM], 5);
	assert_string_equal(rows[to_ram].why, "trigger: argument 5, range: arguments 3-4 (module BTF)");
	/* drm_gpusvm_helper is not loaded */
	assert_string_equal(rows[ZDEV_HOOK_DRM_PAGEMAP_FIRST].why, "module drm_gpusvm_helper not loaded");
	assert_false(hooks[ZDEV_HOOK_DRM_PAGEMAP_FIRST].in_syms);
}

static void test_amdgpu_without_btf_or_feature(void **state)
{
	struct fixture *fixture = *state;
	const struct zdev_probe_row *rows = fixture->probes.rows;
	int to_vram = ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_VRAM;

	resolve_61(fixture, &default_options, 0);
	assert_false(fixture->plan.hooks[to_vram].in_btf);
	assert_string_equal(rows[to_vram].why, "no BTF for module amdgpu here: kprobe, arguments not read");

	/* an amdgpu without HSA_AMD_SVM: the anchor missing too */
	memset(&fixture->plan.hooks, 0, sizeof(fixture->plan.hooks));
	fixture_put(fixture->root, "proc/kallsyms", "ffffffffc0a00000 t amdgpu_device_init\t[amdgpu]\n");
	assert_int_equal(probe_scan_kallsyms(fixture->root, &fixture->plan), 0);
	driver_slots_resolve(&fixture->drivers, fixture->root, NULL, &fixture->plan);
	assert_string_equal(rows[to_vram].why, "not in this kernel's amdgpu (no HSA_AMD_SVM?)");
	/* the anchor there, a slot missing beside it: inlined */
	memset(&fixture->plan.hooks, 0, sizeof(fixture->plan.hooks));
	fixture_put(fixture->root, "proc/kallsyms", "ffffffffc0a00100 t svm_migrate_to_vram\t[amdgpu]\n");
	assert_int_equal(probe_scan_kallsyms(fixture->root, &fixture->plan), 0);
	driver_slots_resolve(&fixture->drivers, fixture->root, NULL, &fixture->plan);
	assert_string_equal(rows[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_RAM].why,
			    "no symbol in this amdgpu: inlined by the compiler (or renamed)");
}

static void test_twins_chosen(void **state)
{
	struct fixture *fixture = *state;
	const struct hook_state *hooks = fixture->plan.hooks;
	struct zdev_session_options options = default_options;
	int fentry_hooks;

	resolve_61(fixture, &default_options, 1);
	fixture->plan.hooks[ZDEV_HOOK_PAGE_ALLOC].in_syms = 1;
	fentry_hooks = probe_choose_twins(&fixture->plan, &options);
	assert_true(fentry_hooks > 0);
	/* one twin per hook, never both */
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		assert_false(hooks[hook].want_fentry && hooks[hook].want_kprobe);
	assert_true(hooks[ZDEV_HOOK_MEMREMAP_PAGES].want_fentry);
	assert_true(hooks[ZDEV_HOOK_POPULATE_SECTION_MEMMAP].want_kprobe); /* notrace */
	assert_true(hooks[ZDEV_HOOK_GEN_POOL_ALLOC].want_kprobe);          /* kprobe only */
	assert_false(hooks[ZDEV_HOOK_GEN_POOL_FREE].want_kprobe);          /* opt-in */
	assert_true(hooks[ZDEV_HOOK_PAGE_ALLOC].want_kprobe);              /* the tracepoint */
	assert_false(hooks[ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO].want_kprobe);  /* not in this kernel */
	assert_true(hooks[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_RAM_TO_VRAM].want_kprobe);

	options.enabled = "gen_pool_free_owner";
	options.disabled = "memremap_pages,__add_pages";
	probe_choose_twins(&fixture->plan, &options);
	assert_true(hooks[ZDEV_HOOK_GEN_POOL_FREE].want_kprobe);
	assert_false(hooks[ZDEV_HOOK_MEMREMAP_PAGES].want_fentry || hooks[ZDEV_HOOK_MEMREMAP_PAGES].want_kprobe);
	assert_false(hooks[ZDEV_HOOK_ADD_PAGES].want_fentry || hooks[ZDEV_HOOK_ADD_PAGES].want_kprobe);

	/* no fentry: kprobes for all (the tracepoint too); neither: the tracepoint alone */
	options = default_options;
	options.allow_fentry = 0;
	assert_int_equal(probe_choose_twins(&fixture->plan, &options), 0);
	assert_true(hooks[ZDEV_HOOK_MEMREMAP_PAGES].want_kprobe);
	options.allow_kprobe = 0;
	probe_choose_twins(&fixture->plan, &options);
	assert_false(hooks[ZDEV_HOOK_MEMREMAP_PAGES].want_kprobe);
	assert_true(hooks[ZDEV_HOOK_PAGE_ALLOC].want_kprobe);

	/* an fentry that would not attach: the kprobe twin next time */
	fixture->plan.hooks[ZDEV_HOOK_MIGRATE_VMA_SETUP].fentry_attach_err = -EBUSY;
	probe_choose_twins(&fixture->plan, &default_options);
	assert_false(hooks[ZDEV_HOOK_MIGRATE_VMA_SETUP].want_fentry);
	assert_true(hooks[ZDEV_HOOK_MIGRATE_VMA_SETUP].want_kprobe);
}

/* the row's text after settling HOOK with MODE */
static const char *settled(struct fixture *fixture, const struct zdev_session_options *options, int hook, int mode,
			   int kprobe_err)
{
	probe_settle_row(&fixture->plan, options, hook, mode, kprobe_err, &fixture->probes.rows[hook]);
	assert_int_equal(fixture->probes.rows[hook].mode, mode);
	return fixture->probes.rows[hook].why;
}

static void test_rows_say_why(void **state)
{
	struct fixture *fixture = *state;
	struct zdev_session_options options = default_options;

	resolve_61(fixture, &default_options, 1);
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MEMREMAP_PAGES, ZDEV_VIA_FENTRY, 0), "");
	/* the notrace reason stays */
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_POPULATE_SECTION_MEMMAP, ZDEV_VIA_KPROBE, 0),
			    "notrace: not in available_filter_functions");
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_GEN_POOL_ADD, ZDEV_VIA_KPROBE, 0),
			    "notrace: not in available_filter_functions");
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_GEN_POOL_FREE, ZDEV_VIA_NONE, 0),
			    "off unless --enable gen_pool_free_owner: a trap and a record per page; p2pmem page frees "
			    "are counted at the page free");
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO, ZDEV_VIA_NONE, 0),
			    "no such function in this kernel");
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_PAGE_ALLOC, ZDEV_VIA_NONE, -EPERM),
			    "tracepoint refused: Operation not permitted");
	fixture->plan.hooks[ZDEV_HOOK_MIGRATE_VMA_SETUP].fentry_attach_err = -EBUSY;
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MIGRATE_VMA_SETUP, ZDEV_VIA_KPROBE, 0),
			    "fentry attach failed: Device or resource busy");
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MIGRATE_VMA_SETUP, ZDEV_VIA_NONE, -ENOENT),
			    "fentry: Device or resource busy; kprobe: the kernel has no kprobe support here (ENOENT)");

	options.disabled = "memunmap_pages";
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MEMUNMAP_PAGES, ZDEV_VIA_NONE, 0),
			    "disabled by --disable");
	options = default_options;
	options.allow_fentry = 0;
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MEMUNMAP_PAGES, ZDEV_VIA_KPROBE, 0),
			    "fentry forbidden by option");
	options.allow_kprobe = 0;
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_MIGRATE_VMA_PAGES, ZDEV_VIA_NONE, 0),
			    "fentry and kprobe forbidden by options");
	options = default_options;
	options.allow_kprobe_notrace = 0;
	fixture->probes.rows[ZDEV_HOOK_GEN_POOL_ALLOC].why[0] = '\0';
	assert_string_equal(settled(fixture, &options, ZDEV_HOOK_GEN_POOL_ALLOC, ZDEV_VIA_NONE, 0),
			    "notrace, and kprobes on notrace functions forbidden (--no-kprobe-notrace)");
	assert_string_equal(settled(fixture, &default_options, ZDEV_HOOK_GEN_POOL_ALLOC, ZDEV_VIA_NONE, -EINVAL),
			    "notrace: no fentry; kprobe refused (Invalid argument): a kernel without "
			    "KPROBE_EVENTS_ON_NOTRACE");
	snprintf(fixture->plan.fentry_refused, sizeof(fixture->plan.fentry_refused), "fentry programs refused at load: x");
	assert_string_equal(settled(fixture, &default_options, ZDEV_HOOK_MEMUNMAP_PAGES, ZDEV_VIA_KPROBE, 0),
			    "fentry programs refused at load: x");
}

static void test_option_lists(void **state)
{
	(void)state;
	assert_true(probe_listed("a,memremap_pages,b", "memremap_pages"));
	assert_false(probe_listed("memremap_pages_x", "memremap_pages"));
	assert_false(probe_listed("memremap_page", "memremap_pages"));
	assert_false(probe_listed(NULL, "memremap_pages"));
	assert_true(probe_listed("memremap_pages", "memremap_pages"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kallsyms_and_ftrace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notrace_kprobes_forbidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amdgpu_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amdgpu_without_btf_or_feature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_twins_chosen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_say_why, setup, teardown),
		cmocka_unit_test(test_option_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
