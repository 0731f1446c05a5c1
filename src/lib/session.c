// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Open → check privileges and BTF → pick twins per hook → load (again without fentry if the kernel refuses
 * it) → attach each hook (fentry, else kprobe, else off with why) → ring buffer → ready gate.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "zdev/abi.h" /* before the skeleton: it names struct zdev_settings */
#include "zdev.skel.h"
#include "zdev/session.h"
#include "driver_slots.h"

#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39

struct twin {
	struct bpf_program *entry_fentry, *exit_fentry, *entry_kprobe, *exit_kprobe;
};

struct zdev_session {
	struct zdev_bpf *skel;
	struct ring_buffer *ring;
	struct bpf_link *links[ZDEV_HOOK_COUNT][2];
	struct zdev_probe_table probes;
	struct zdev_geometry geometry;
	zdev_record_fn on_record;
	void *ctx;
	int attached;
	int pool_reader;             /* read_pool_states loaded (a kernel may refuse it: states from events) */
	uint32_t ring_buffer_bytes;  /* 0: the object's default */
	/* the drivers' hooks: the symbol each slot was resolved to, the arguments its program reads */
	struct driver_slots drivers;
	uint32_t page_init_args;     /* see struct zdev_settings */
	uint32_t pmd_pages;
	/* one verifier log buffer per program of the last load (see refused_program) */
	char *load_logs;
	size_t load_log_count;
};

/* per program: the verifier's log of the one a load stopped at (big enough for its last lines: 6.4+ keeps
 * the end of a log that overflows, older kernels the beginning, which names the failing program too) */
#define LOAD_LOG_BYTES (16 * 1024)

static struct twin twin_of(struct zdev_bpf *skel, int hook)
{
	switch (hook) {
	case ZDEV_HOOK_MEMREMAP_PAGES:
		return (struct twin){ skel->progs.fentry_memremap_pages, skel->progs.fexit_memremap_pages,
				      skel->progs.kprobe_memremap_pages, skel->progs.kretprobe_memremap_pages };
	case ZDEV_HOOK_DEVM_MEMREMAP_PAGES:
		return (struct twin){ skel->progs.fentry_devm_memremap_pages, skel->progs.fexit_devm_memremap_pages,
				      skel->progs.kprobe_devm_memremap_pages,
				      skel->progs.kretprobe_devm_memremap_pages };
	case ZDEV_HOOK_MEMMAP_INIT_ZONE_DEVICE:
		return (struct twin){ skel->progs.fentry_memmap_init_zone_device,
				      skel->progs.fexit_memmap_init_zone_device,
				      skel->progs.kprobe_memmap_init_zone_device,
				      skel->progs.kretprobe_memmap_init_zone_device };
	case ZDEV_HOOK_POPULATE_SECTION_MEMMAP:
		return (struct twin){ skel->progs.fentry_populate_section_memmap,
				      skel->progs.fexit_populate_section_memmap,
				      skel->progs.kprobe_populate_section_memmap,
				      skel->progs.kretprobe_populate_section_memmap };
	case ZDEV_HOOK_ADD_PAGES:
		/* entry only: the page count is all it gives */
		return (struct twin){ skel->progs.fentry_add_pages, NULL, skel->progs.kprobe_add_pages, NULL };
	case ZDEV_HOOK_PAGE_ALLOC:
		/* a tracepoint: no fentry twin, attached through the kprobe slot */
		return (struct twin){ NULL, NULL, skel->progs.tracepoint_mm_page_alloc, NULL };
	case ZDEV_HOOK_MIGRATE_VMA_SETUP:
		return (struct twin){ skel->progs.fentry_migrate_vma_setup, skel->progs.fexit_migrate_vma_setup,
				      skel->progs.kprobe_migrate_vma_setup, skel->progs.kretprobe_migrate_vma_setup };
	case ZDEV_HOOK_MIGRATE_VMA_PAGES:
		/* the return only (pages migrated): the fexit / kretprobe sit in the first slot */
		return (struct twin){ skel->progs.fexit_migrate_vma_pages, NULL,
				      skel->progs.kretprobe_migrate_vma_pages, NULL };
	case ZDEV_HOOK_MIGRATE_VMA_FINALIZE:
		/* the return only: the fexit / kretprobe sit in the first slot */
		return (struct twin){ skel->progs.fexit_migrate_vma_finalize, NULL,
				      skel->progs.kretprobe_migrate_vma_finalize, NULL };
	case ZDEV_HOOK_MIGRATE_DEVICE_RANGE:
		return (struct twin){ skel->progs.fentry_migrate_device_range, skel->progs.fexit_migrate_device_range,
				      skel->progs.kprobe_migrate_device_range,
				      skel->progs.kretprobe_migrate_device_range };
	case ZDEV_HOOK_ZONE_DEVICE_PAGE_INIT:
		return (struct twin){ skel->progs.fentry_zone_device_page_init, NULL,
				      skel->progs.kprobe_zone_device_page_init, NULL };
	case ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO:
		return (struct twin){ skel->progs.fentry_free_zone_device_folio, NULL,
				      skel->progs.kprobe_free_zone_device_folio, NULL };
	case ZDEV_HOOK_FREE_ZONE_DEVICE_PAGE:
		return (struct twin){ skel->progs.fentry_free_zone_device_page, NULL,
				      skel->progs.kprobe_free_zone_device_page, NULL };
	case ZDEV_HOOK_P2PDMA_ADD_RESOURCE:
		return (struct twin){ skel->progs.fentry_pci_p2pdma_add_resource,
				      skel->progs.fexit_pci_p2pdma_add_resource,
				      skel->progs.kprobe_pci_p2pdma_add_resource,
				      skel->progs.kretprobe_pci_p2pdma_add_resource };
	case ZDEV_HOOK_ALLOC_P2PMEM:
		return (struct twin){ skel->progs.fentry_pci_alloc_p2pmem, skel->progs.fexit_pci_alloc_p2pmem,
				      skel->progs.kprobe_pci_alloc_p2pmem, skel->progs.kretprobe_pci_alloc_p2pmem };
	case ZDEV_HOOK_FREE_P2PMEM:
		return (struct twin){ skel->progs.fentry_pci_free_p2pmem, skel->progs.fexit_pci_free_p2pmem,
				      skel->progs.kprobe_pci_free_p2pmem, skel->progs.kretprobe_pci_free_p2pmem };
	case ZDEV_HOOK_GEN_POOL_ALLOC:
		return (struct twin){ NULL, NULL, skel->progs.kprobe_gen_pool_alloc_algo_owner,
				      skel->progs.kretprobe_gen_pool_alloc_algo_owner };
	case ZDEV_HOOK_GEN_POOL_FREE:
		return (struct twin){ NULL, NULL, skel->progs.kprobe_gen_pool_free_owner, NULL };
	case ZDEV_HOOK_GEN_POOL_ADD:
		return (struct twin){ NULL, NULL, skel->progs.kprobe_gen_pool_add_owner, NULL };
#define AMDGPU_TWIN(n)                                                                                        \
	case ZDEV_HOOK_AMDGPU_FIRST + n:                                                                       \
		return (struct twin){ skel->progs.fentry_amdgpu_##n, skel->progs.fexit_amdgpu_##n,               \
				      skel->progs.kprobe_amdgpu_##n, skel->progs.kretprobe_amdgpu_##n };
	AMDGPU_TWIN(0)
	AMDGPU_TWIN(1)
	AMDGPU_TWIN(2)
	AMDGPU_TWIN(3)
	AMDGPU_TWIN(4)
	AMDGPU_TWIN(5)
	AMDGPU_TWIN(6)
	AMDGPU_TWIN(7)
#undef AMDGPU_TWIN
#define DRM_PAGEMAP_TWIN(n)                                                                                   \
	case ZDEV_HOOK_DRM_PAGEMAP_FIRST + n:                                                                  \
		return (struct twin){ skel->progs.fentry_drm_pagemap_##n, skel->progs.fexit_drm_pagemap_##n,     \
				      skel->progs.kprobe_drm_pagemap_##n, skel->progs.kretprobe_drm_pagemap_##n };
	DRM_PAGEMAP_TWIN(0)
	DRM_PAGEMAP_TWIN(1)
	DRM_PAGEMAP_TWIN(2)
#undef DRM_PAGEMAP_TWIN
	case ZDEV_HOOK_DEVM_REQUEST_FREE_MEM_REGION:
		return (struct twin){ skel->progs.fentry_devm_request_free_mem_region,
				      skel->progs.fexit_devm_request_free_mem_region,
				      skel->progs.kprobe_devm_request_free_mem_region,
				      skel->progs.kretprobe_devm_request_free_mem_region };
	case ZDEV_HOOK_REQUEST_FREE_MEM_REGION:
		return (struct twin){ skel->progs.fentry_request_free_mem_region,
				      skel->progs.fexit_request_free_mem_region,
				      skel->progs.kprobe_request_free_mem_region,
				      skel->progs.kretprobe_request_free_mem_region };
	case ZDEV_HOOK_MIGRATE_DEVICE_PFNS:
		return (struct twin){ skel->progs.fentry_migrate_device_pfns, skel->progs.fexit_migrate_device_pfns,
				      skel->progs.kprobe_migrate_device_pfns,
				      skel->progs.kretprobe_migrate_device_pfns };
	case ZDEV_HOOK_RELEASE_REGION:
		return (struct twin){ skel->progs.fentry_release_region, NULL, skel->progs.kprobe_release_region, NULL };
	case ZDEV_HOOK_MEMUNMAP_PAGES:
	default:
		return (struct twin){ skel->progs.fentry_memunmap_pages, skel->progs.fexit_memunmap_pages,
				      skel->progs.kprobe_memunmap_pages, skel->progs.kretprobe_memunmap_pages };
	}
}

static void set_twin_autoload(const struct twin *twin, int fentry, int kprobe)
{
	if (twin->entry_fentry)
		bpf_program__set_autoload(twin->entry_fentry, fentry);
	if (twin->exit_fentry)
		bpf_program__set_autoload(twin->exit_fentry, fentry);
	bpf_program__set_autoload(twin->entry_kprobe, kprobe);
	if (twin->exit_kprobe)
		bpf_program__set_autoload(twin->exit_kprobe, kprobe);
}

/* hooks declared without fentry twins: a tracepoint, and lib/'s genalloc (never ftrace-able) */
static int kprobe_only(int hook)
{
	return hook == ZDEV_HOOK_PAGE_ALLOC || hook == ZDEV_HOOK_GEN_POOL_ALLOC || hook == ZDEV_HOOK_GEN_POOL_FREE ||
	       hook == ZDEV_HOOK_GEN_POOL_ADD;
}

/* Hooks off unless --enable names them: a record per call on a per-page path, for little more than what
 * other hooks give (gen_pool_free_owner: p2pmem mmap pages freed one by one, a kprobe trap and a record
 * each; their count and the pool's use come from free_zone_device_folio, which runs anyway). */
/* is FUNCTION in the comma-separated LIST? */
static int listed(const char *list, const char *function)
{
	size_t len = strlen(function);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t item = comma ? (size_t)(comma - p) : strlen(p);

		if (item == len && !strncmp(p, function, len))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int verbose_print(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, format, args);
}

static int quiet_print(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level, (void)format, (void)args;
	return 0;
}

/* root, or CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN also does) in the effective set */
static int has_privileges(void)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (geteuid() == 0)
		return 1;
	if (syscall(SYS_capget, &header, data))
		return 0;
	if (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32)))
		return 1;
	return (data[CAP_BPF_BIT / 32].effective & (1u << (CAP_BPF_BIT % 32))) &&
	       (data[CAP_PERFMON_BIT / 32].effective & (1u << (CAP_PERFMON_BIT % 32)));
}

/* which of NAMES (lengths in LENS) is the NAME_LEN bytes at NAME, not yet found; -1 when none. A length
 * compare first: the lists are long (~10^5 lines, read under TCG in the lab) and few names share a length */
static int match_name(const char *const names[], const size_t lens[], int nr, const int found[], const char *name,
		      size_t name_len)
{
	for (int i = 0; i < nr; i++) {
		if (lens[i] == name_len && !found[i] && !memcmp(name, names[i], name_len))
			return i;
	}
	return -1;
}

/* big reads: /proc/kallsyms and available_filter_functions are seq_files, one read(2) per buffer */
static FILE *open_list(const char *path, char *buffer, size_t buffer_len)
{
	FILE *file = fopen(path, "r");

	if (file)
		setvbuf(file, buffer, _IOFBF, buffer_len);
	return file;
}

/* One pass over /proc/kallsyms (long, and slow to read under TCG with amdgpu loaded): which core hooks the
 * kernel has as text symbols (kprobe-able by name), and which symbol each driver slot gets. */
static int scan_kallsyms(struct zdev_session *session, const char *const names[], int in_syms[])
{
	char buffer[1 << 16]; /* the FILE is closed before it goes */
	size_t lens[ZDEV_HOOK_COUNT];
	char line[512];
	FILE *file = open_list("/proc/kallsyms", buffer, sizeof(buffer));

	if (!file)
		return -errno;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		/* the drivers' slots are module symbols, found apart */
		lens[hook] = driver_slots_is_driver_hook(hook) || !names[hook] ? 0 : strlen(names[hook]);
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
			driver_slots_note_symbol(&session->drivers, names, module, strcspn(module, " \t\n"), symbol,
						 in_syms);
			continue;
		}
		hook = match_name(names, lens, ZDEV_HOOK_COUNT, in_syms, symbol, symbol_len);
		if (hook >= 0 && lens[hook])
			in_syms[hook] = 1;
	}
	fclose(file);
	return 0;
}

/* which hooks ftrace can patch (available_filter_functions): fentry needs that, and so does a kprobe on a
 * kernel without CONFIG_KPROBE_EVENTS_ON_NOTRACE. Returns -errno when the list cannot be read. */
static int in_ftrace(const char *const names[], int nr, int found[])
{
	static const char *const paths[] = { "/sys/kernel/tracing/available_filter_functions",
					     "/sys/kernel/debug/tracing/available_filter_functions" };
	char buffer[1 << 16]; /* the FILE is closed before it goes */
	size_t lens[ZDEV_HOOK_COUNT];
	char line[512];
	FILE *file = NULL;

	if (nr > ZDEV_HOOK_COUNT)
		return -EINVAL;
	for (int i = 0; i < nr; i++)
		lens[i] = names[i] ? strlen(names[i]) : 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !file; i++)
		file = open_list(paths[i], buffer, sizeof(buffer));
	if (!file)
		return -errno;
	while (fgets(line, sizeof(line), file)) {
		int i = match_name(names, lens, nr, found, line, strcspn(line, " \n")); /* "name [module]" */

		if (i >= 0 && lens[i])
			found[i] = 1;
	}
	fclose(file);
	return 0;
}

static void geometry_from_btf(struct btf *vmlinux_btf, struct zdev_geometry *geometry)
{
	int id = btf__find_by_name_kind(vmlinux_btf, "page", BTF_KIND_STRUCT);

	geometry->page_bytes = (uint64_t)sysconf(_SC_PAGESIZE);
	geometry->struct_page_bytes = id > 0 ? (uint64_t)btf__resolve_size(vmlinux_btf, id) : 0;
	/* x86_64's SECTION_SIZE_BITS 27 and SUBSECTION_SHIFT 21: not in BTF, fixed for the architecture */
	geometry->section_bytes = 1ull << 27;
	geometry->subsection_bytes = 1ull << 21;
}

/* how many arguments FUNCTION takes in BTF; 0 when it is not there */
static uint32_t function_arguments(const struct btf *btf, const char *function)
{
	const struct btf_type *proto = driver_slots_function_proto(btf, function);

	return proto ? btf_vlen(proto) : 0;
}

static int attach_twin(struct zdev_session *session, enum zdev_hook hook, int use_fentry)
{
	struct twin twin = twin_of(session->skel, hook);
	struct bpf_program *entry = use_fentry ? twin.entry_fentry : twin.entry_kprobe;
	struct bpf_program *exit = use_fentry ? twin.exit_fentry : twin.exit_kprobe;
	struct bpf_link *entry_link, *exit_link;

	const char *target = session->drivers.targets[hook][0] ? session->drivers.targets[hook] : NULL;

	/* slots without a fixed target (the drivers'): kprobes by the resolved name; fentry got it before load */
	entry_link = target && !use_fentry ? bpf_program__attach_kprobe(entry, false, target) : bpf_program__attach(entry);
	if (!entry_link)
		return -errno;
	if (!exit) {
		session->links[hook][0] = entry_link;
		return 0;
	}
	exit_link = target && !use_fentry ? bpf_program__attach_kprobe(exit, true, target) : bpf_program__attach(exit);
	if (!exit_link) {
		int err = -errno;

		bpf_link__destroy(entry_link);
		return err;
	}
	session->links[hook][0] = entry_link;
	session->links[hook][1] = exit_link;
	return 0;
}

/* A log buffer for every program, emptied: given a buffer and no log level, libbpf loads a program without
 * the verifier's log and, only when the kernel refuses it, loads it again with the log on, into that buffer.
 * A load stops at the first program refused, so after a failed load the one buffer with text in it names
 * the program at fault and says why. */
static void set_load_logs(struct zdev_session *session)
{
	struct bpf_program *prog;
	size_t count = 0, index = 0;

	bpf_object__for_each_program(prog, session->skel->obj)
		count++;
	if (count != session->load_log_count) {
		free(session->load_logs);
		session->load_logs = calloc(count, LOAD_LOG_BYTES);
		session->load_log_count = session->load_logs ? count : 0;
	}
	if (!session->load_logs)
		return; /* no names for refused programs: the searches of zdev_session_open find them */
	bpf_object__for_each_program(prog, session->skel->obj) {
		char *log = session->load_logs + index++ * LOAD_LOG_BYTES;

		log[0] = '\0';
		if (bpf_program__autoload(prog))
			bpf_program__set_log_buf(prog, log, LOAD_LOG_BYTES);
	}
}

/* the line of a verifier log that says why: a CO-RE relocation libbpf could not resolve (it names the
 * structure and field), else the last line that is not the verifier's statistics */
static void log_reason(const char *log, char *reason, size_t reason_len)
{
	const char *best = strstr(log, "failed to resolve CO-RE relocation");
	size_t best_len = best ? strcspn(best, "\n") : 0;

	for (const char *line = log; !best_len && *line;) {
		size_t len = strcspn(line, "\n");

		if (len && strncmp(line, "processed ", 10) && strncmp(line, "verification time", 17) &&
		    strncmp(line, "stack depth", 11) && strncmp(line, "-- END", 6))
			best = line; /* the last such line wins */
		line += len + (line[len] == '\n');
		if (!*line && best)
			best_len = strcspn(best, "\n");
	}
	if (best_len >= reason_len)
		best_len = reason_len - 1;
	snprintf(reason, reason_len, "%.*s", (int)best_len, best ? best : "");
}

/* the program the last failed load stopped at (its log is the only one with text), with the reason; NULL
 * when none says (a refusal before the verifier ran: the kernel refused the program type or a map) */
static struct bpf_program *refused_program(struct zdev_session *session, char *reason, size_t reason_len)
{
	struct bpf_program *prog;
	size_t index = 0;

	if (!session->load_logs)
		return NULL;
	bpf_object__for_each_program(prog, session->skel->obj) {
		const char *log = session->load_logs + index++ * LOAD_LOG_BYTES;

		if (index > session->load_log_count)
			break;
		if (bpf_program__autoload(prog) && log[0]) {
			log_reason(log, reason, reason_len);
			return prog;
		}
	}
	return NULL;
}

/* the hook PROG serves, and whether it is its fentry twin; -1 for a program that is no hook's */
static int hook_of_program(struct zdev_bpf *skel, const struct bpf_program *prog, int *fentry_twin)
{
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct twin twin = twin_of(skel, hook);

		if (prog == twin.entry_fentry || prog == twin.exit_fentry || prog == twin.entry_kprobe ||
		    prog == twin.exit_kprobe) {
			*fentry_twin = prog == twin.entry_fentry || prog == twin.exit_fentry;
			return hook;
		}
	}
	return -1;
}

/* a fresh skeleton with these twins switched on, loaded; 0 or -errno */
static int load_object(struct zdev_session *session, uint64_t pointer_key, const int fentry[], const int kprobe[])
{
	zdev_bpf__destroy(session->skel);
	session->skel = zdev_bpf__open();
	if (!session->skel)
		return errno ? -errno : -ENOMEM;
	session->skel->rodata->settings.pointer_key = pointer_key;
	driver_slots_settings(&session->drivers, &session->skel->rodata->settings);
	if (session->ring_buffer_bytes && bpf_map__set_max_entries(session->skel->maps.events, session->ring_buffer_bytes))
		return -EINVAL;
	session->skel->rodata->settings.wakeup_bytes = bpf_map__max_entries(session->skel->maps.events) / 4;
	session->skel->rodata->settings.page_init_args = session->page_init_args;
	session->skel->rodata->settings.pmd_pages = session->pmd_pages;
	session->skel->rodata->settings.page_shift = (uint32_t)__builtin_ctzll(session->geometry.page_bytes);
	bpf_program__set_autoload(session->skel->progs.read_pool_states, session->pool_reader);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct twin twin = twin_of(session->skel, hook);

		set_twin_autoload(&twin, fentry[hook], kprobe[hook]);
		if (fentry[hook] && session->drivers.targets[hook][0]) {
			bpf_program__set_attach_target(twin.entry_fentry, 0, session->drivers.targets[hook]);
			bpf_program__set_attach_target(twin.exit_fentry, 0, session->drivers.targets[hook]);
		}
	}
	set_load_logs(session);
	return zdev_bpf__load(session->skel);
}

static int flush_page_use(struct zdev_session *session, int with_pgmaps, const struct timespec *now);

static int handle_record(void *ctx, void *data, size_t size)
{
	struct zdev_session *session = ctx;
	struct zdev_record_header header;

	/* a pgmap going can take its p2pdma pool with it: the pages given back to the pool before (counted in
	 * a map, read on a timer) must reach the model first, or they look outstanding when the pool goes */
	if (size >= sizeof(header)) {
		memcpy(&header, data, sizeof(header));
		if (header.type == ZDEV_REC_PGMAP_UNMAP) {
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			flush_page_use(session, 0, &now);
		}
	}
	return session->on_record(session->ctx, data, size);
}

struct zdev_session *zdev_session_open(const struct zdev_session_options *options, zdev_record_fn on_record,
				       void *ctx, char *error, size_t error_len)
{
	const char *names[ZDEV_HOOK_COUNT], *ftrace_names[ZDEV_HOOK_COUNT];
	int in_btf[ZDEV_HOOK_COUNT] = { 0 }, in_syms[ZDEV_HOOK_COUNT] = { 0 }, traceable[ZDEV_HOOK_COUNT] = { 0 };
	int exists[ZDEV_HOOK_COUNT] = { 0 }, ftrace_known;
	int want_fentry[ZDEV_HOOK_COUNT] = { 0 }, want_kprobe[ZDEV_HOOK_COUNT] = { 0 }, refused[ZDEV_HOOK_COUNT] = { 0 };
	int fentry_enabled = 0, attached = 0, err;
	char fentry_refused[96] = "";
	struct zdev_session *session = NULL;
	struct btf *vmlinux_btf = NULL;
	uint64_t pointer_key = 0;

	libbpf_set_print(options->verbose ? verbose_print : quiet_print);
	if (!has_privileges()) {
		snprintf(error, error_len, "needs root, or CAP_BPF and CAP_PERFMON (run it with sudo)");
		goto fail;
	}
	vmlinux_btf = btf__load_vmlinux_btf();
	if (!vmlinux_btf) {
		snprintf(error, error_len, "this kernel has no BTF (/sys/kernel/btf/vmlinux: %s): zdev needs a "
			 "kernel built with CONFIG_DEBUG_INFO_BTF=y", strerror(errno));
		goto fail;
	}
	session = calloc(1, sizeof(*session));
	if (!session) {
		snprintf(error, error_len, "out of memory");
		goto fail;
	}
	session->on_record = on_record;
	session->ctx = ctx;
	session->ring_buffer_bytes = options->ring_buffer_bytes;
	session->pool_reader = 1;
	geometry_from_btf(vmlinux_btf, &session->geometry);
	if (!session->geometry.struct_page_bytes) {
		snprintf(error, error_len, "the kernel's BTF has no struct page: cannot size the memmap");
		goto fail;
	}
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		names[hook] = zdev_hook_function(hook);
		session->probes.rows[hook].function = zdev_hook_function(hook);
		session->probes.rows[hook].feeds = zdev_hook_feeds(hook);
		in_btf[hook] = !kprobe_only(hook) && btf__find_by_name_kind(vmlinux_btf, names[hook], BTF_KIND_FUNC) > 0;
	}
	if (scan_kallsyms(session, names, in_syms))
		memset(in_syms, 0, sizeof(in_syms));
	driver_slots_resolve(&session->drivers, vmlinux_btf, &session->probes, in_btf, in_syms);
	/* the tracepoint is no function: it is there when the kernel has tracepoints (it may refuse it at
	 * attach, then the probe is off with the reason) */
	in_syms[ZDEV_HOOK_PAGE_ALLOC] = 1;
	traceable[ZDEV_HOOK_PAGE_ALLOC] = 1;
	memcpy(exists, in_syms, sizeof(exists));
	/* the drivers' functions by the symbol resolved (6.1's svm_migrate_init, a split copy), not the hook's name */
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		ftrace_names[hook] = session->probes.rows[hook].function;
	ftrace_known = in_ftrace(ftrace_names, ZDEV_HOOK_COUNT, traceable) == 0;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct zdev_probe_row *row = &session->probes.rows[hook];

		if (!ftrace_known || traceable[hook] || !in_syms[hook])
			continue;
		/* notrace (6.1's __meminit, lib/): no fentry; a kprobe only where the kernel allows it */
		in_btf[hook] = 0;
		snprintf(row->why, sizeof(row->why), "notrace: not in available_filter_functions");
		if (!options->allow_kprobe_notrace)
			in_syms[hook] = 0;
	}

	if (getrandom(&pointer_key, sizeof(pointer_key), 0) != sizeof(pointer_key))
		pointer_key = 0x5deece66dull ^ (uint64_t)getpid();
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		int off = listed(options->disabled, names[hook]) || (zdev_hook_opt_in(hook) && !listed(options->enabled, names[hook]));

		want_fentry[hook] = !off && options->allow_fentry && in_btf[hook];
		want_kprobe[hook] = !off && (hook == ZDEV_HOOK_PAGE_ALLOC || (options->allow_kprobe && in_syms[hook]));
		fentry_enabled |= want_fentry[hook];
	}
	session->page_init_args = function_arguments(vmlinux_btf, "zone_device_page_init");
	/* x86-64: a PMD maps 2 MiB (HPAGE_PMD_NR pages of the running page size) */
	session->pmd_pages = (uint32_t)((2u << 20) / session->geometry.page_bytes);
	err = load_object(session, pointer_key, want_fentry, want_kprobe);
	/* a program the kernel refuses (a structure CO-RE cannot map, a verifier of another release) fails the
	 * whole load: name it from its log, leave that twin off (its hook falls back to the other twin, or is
	 * off with the reason) and load again; the other hooks are not touched */
	for (int tries = 0; err && tries < 2 * ZDEV_HOOK_COUNT + 1; tries++) {
		struct bpf_program *prog;
		char reason[112];
		int hook, fentry_twin = 0;

		prog = refused_program(session, reason, sizeof(reason));
		if (!prog)
			break;
		if (prog == session->skel->progs.read_pool_states) {
			session->pool_reader = 0;
		} else if ((hook = hook_of_program(session->skel, prog, &fentry_twin)) >= 0) {
			struct zdev_probe_row *row = &session->probes.rows[hook];

			if (fentry_twin) {
				want_fentry[hook] = in_btf[hook] = 0;
				snprintf(row->why, sizeof(row->why), "fentry program refused: %s", reason);
			} else {
				want_kprobe[hook] = in_syms[hook] = 0;
				snprintf(row->why, sizeof(row->why), "the kernel refused its BPF program: %s", reason);
			}
			refused[hook] = !want_fentry[hook] && !want_kprobe[hook];
		} else {
			break;
		}
		if (options->verbose)
			fprintf(stderr, "zdev: %s refused (%s); loading without it\n", bpf_program__name(prog), reason);
		err = load_object(session, pointer_key, want_fentry, want_kprobe);
	}
	fentry_enabled = 0;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
		fentry_enabled |= want_fentry[hook];
	if (err && fentry_enabled) {
		/* some kernels refuse fentry programs outright (no trampolines, lockdown): kprobes only */
		snprintf(fentry_refused, sizeof(fentry_refused), "fentry programs refused at load: %s",
			 strerror(-err));
		memset(want_fentry, 0, sizeof(want_fentry));
		memset(in_btf, 0, sizeof(in_btf));
		err = load_object(session, pointer_key, want_fentry, want_kprobe);
	}
	if (err) {
		/* the pool state reader is no hook: without it, pool states come from the events and the pgmaps'
		 * unmaps alone (it stays off for the search below too, which then looks at the hooks only) */
		session->pool_reader = 0;
		err = load_object(session, pointer_key, want_fentry, want_kprobe);
	}
	if (err) {
		/* one program the verifier refuses (a kernel whose structures CO-RE cannot map) fails the whole
		 * object: find the hooks at fault one by one, leave them off, keep the rest */
		for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
			int only_fentry[ZDEV_HOOK_COUNT] = { 0 }, only_kprobe[ZDEV_HOOK_COUNT] = { 0 }, hook_err;

			if (!want_fentry[hook] && !want_kprobe[hook])
				continue;
			only_fentry[hook] = want_fentry[hook];
			only_kprobe[hook] = want_kprobe[hook];
			hook_err = load_object(session, pointer_key, only_fentry, only_kprobe);
			if (!hook_err)
				continue;
			refused[hook] = 1;
			want_fentry[hook] = want_kprobe[hook] = 0;
			snprintf(session->probes.rows[hook].why, sizeof(session->probes.rows[hook].why),
				 "the kernel refused its BPF program (%s): a structure CO-RE could not map here? (-v)",
				 strerror(-hook_err));
		}
		err = load_object(session, pointer_key, want_fentry, want_kprobe);
	}
	if (err) {
		snprintf(error, error_len, "the kernel refused zdev's BPF programs (%s)%s%s; run with -v for "
			 "libbpf's log", strerror(-err), fentry_refused[0] ? "; " : "", fentry_refused);
		goto fail;
	}

	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct zdev_probe_row *row = &session->probes.rows[hook];
		int fentry_err = 0, kprobe_err = 0;

		if (listed(options->disabled, names[hook])) {
			row->mode = ZDEV_VIA_NONE;
			snprintf(row->why, sizeof(row->why), "disabled by --disable");
			continue;
		}
		if (zdev_hook_opt_in(hook) && !listed(options->enabled, names[hook])) {
			row->mode = ZDEV_VIA_NONE;
			snprintf(row->why, sizeof(row->why), "off unless --enable %s: a trap and a record per page; "
				 "p2pmem page frees are counted at the page free", names[hook]);
			continue;
		}
		if (refused[hook]) {
			row->mode = ZDEV_VIA_NONE;
			continue;
		}
		if (hook == ZDEV_HOOK_PAGE_ALLOC) {
			/* a measurement on top: not counted as a working probe (it sees no pgmap by itself) */
			kprobe_err = attach_twin(session, hook, 0);
			row->mode = kprobe_err ? ZDEV_VIA_NONE : ZDEV_VIA_TRACEPOINT;
			if (kprobe_err)
				snprintf(row->why, sizeof(row->why), "tracepoint refused: %s", strerror(-kprobe_err));
			continue;
		}

		if (options->allow_fentry && in_btf[hook]) {
			fentry_err = attach_twin(session, hook, 1);
			if (!fentry_err) {
				row->mode = ZDEV_VIA_FENTRY;
				attached++;
				continue;
			}
		}
		if (options->allow_kprobe && in_syms[hook]) {
			kprobe_err = attach_twin(session, hook, 0);
			if (!kprobe_err) {
				row->mode = ZDEV_VIA_KPROBE;
				if (!options->allow_fentry)
					snprintf(row->why, sizeof(row->why), "fentry forbidden by option");
				else if (fentry_refused[0])
					snprintf(row->why, sizeof(row->why), "%s", fentry_refused);
				else if (!in_btf[hook] && !row->why[0])
					snprintf(row->why, sizeof(row->why), "not fentry: not a BTF function");
				else if (!in_btf[hook])
					; /* keeps the notrace reason */
				else
					snprintf(row->why, sizeof(row->why), "fentry attach failed: %s",
						 strerror(-fentry_err));
				attached++;
				continue;
			}
		}
		row->mode = ZDEV_VIA_NONE;
		if (ftrace_known && !traceable[hook] && exists[hook] && !options->allow_kprobe_notrace)
			snprintf(row->why, sizeof(row->why), "notrace, and kprobes on notrace functions forbidden "
				 "(--no-kprobe-notrace)");
		else if (!in_syms[hook] && !in_btf[hook] && !row->why[0])
			snprintf(row->why, sizeof(row->why), "no such function in this kernel");
		else if (!in_syms[hook] && !in_btf[hook])
			; /* keeps the notrace reason */
		else if (!options->allow_kprobe && !options->allow_fentry)
			snprintf(row->why, sizeof(row->why), "fentry and kprobe forbidden by options");
		else if (ftrace_known && !traceable[hook] && exists[hook])
			snprintf(row->why, sizeof(row->why), "notrace: no fentry; kprobe refused (%s): a kernel "
				 "without KPROBE_EVENTS_ON_NOTRACE", kprobe_err ? strerror(-kprobe_err) : "not tried");
		else
			snprintf(row->why, sizeof(row->why), "fentry: %s; kprobe: %s",
				 fentry_err ? strerror(-fentry_err) : (fentry_refused[0] ? fentry_refused : "not tried"),
				 kprobe_err == -ENOENT ? "the kernel has no kprobe support here (ENOENT)"
				 : kprobe_err ? strerror(-kprobe_err) : "not tried");
	}
	session->attached = attached;
	if (!attached) {
		/* the session stays open so that the caller can show the probe table; it traces nothing */
		snprintf(error, error_len, "no probe could be attached: this kernel allows neither fentry nor "
			 "kprobes here (memremap_pages: %s)", session->probes.rows[0].why);
		btf__free(vmlinux_btf);
		return session;
	}
	session->ring = ring_buffer__new(bpf_map__fd(session->skel->maps.events), handle_record, session, NULL);
	if (!session->ring) {
		snprintf(error, error_len, "cannot set up the ring buffer: %s", strerror(errno));
		goto fail;
	}
	session->skel->bss->zdev_ready = 1;
	btf__free(vmlinux_btf);
	return session;
fail:
	btf__free(vmlinux_btf);
	zdev_session_close(session);
	return NULL;
}

int zdev_session_poll(struct zdev_session *session, int timeout_ms)
{
	int polled = ring_buffer__poll(session->ring, timeout_ms), consumed;

	/* records below the wakeup mark wake nobody: the timeout is when they are read */
	if (polled < 0 && polled != -EINTR)
		return polled;
	consumed = ring_buffer__consume(session->ring);
	if (consumed < 0)
		return consumed;
	return (polled > 0 ? polled : 0) + consumed;
}

int zdev_session_fd(const struct zdev_session *session)
{
	return ring_buffer__epoll_fd(session->ring);
}

/* the state of the pools with pages given back through their pgmaps, read now into page_use by the reader
 * program; when it cannot run, the states stay those of the pgmaps' unmaps and of the pool records */
static void read_pool_states(struct zdev_session *session)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (session->pool_reader)
		bpf_prog_test_run_opts(bpf_program__fd(session->skel->progs.read_pool_states), &opts);
}

static void stamp_record(struct zdev_record_header *header, uint16_t type, uint16_t size, const struct timespec *now)
{
	memset(header, 0, sizeof(*header));
	header->type = type;
	header->size = size;
	header->version = ZDEV_ABI_VERSION;
	header->timestamp_ns = (uint64_t)now->tv_sec * 1000000000ull + (uint64_t)now->tv_nsec;
}

/* Reads page_use: with_pgmaps, each pgmap's counts as a ZDEV_REC_PAGE_USE record; always, the p2pdma pages
 * given back through their pgmaps summed per pool, one ZDEV_REC_POOL_PAGES record each. Returns the records
 * handed over. */
static int flush_page_use(struct zdev_session *session, int with_pgmaps, const struct timespec *now)
{
	int fd = bpf_map__fd(session->skel->maps.page_use), count = 0;
	struct zdev_pool_pages_record *pools = NULL, *grown;
	uint64_t key, next_key, *previous = NULL;
	struct zdev_page_use_value value;
	size_t nr_pools = 0;

	read_pool_states(session);
	while (bpf_map_get_next_key(fd, previous, &next_key) == 0) {
		struct zdev_pool_pages_record *pool = NULL;

		key = next_key;
		previous = &key;
		if (bpf_map_lookup_elem(fd, &key, &value))
			continue;
		if (with_pgmaps) {
			/* the map holds the counts; the header makes them a record like the others */
			stamp_record(&value.use.header, ZDEV_REC_PAGE_USE, sizeof(value.use), now);
			value.use.pgmap_key = key;
			session->on_record(session->ctx, &value.use, sizeof(value.use));
			count++;
		}
		if (!value.pool_key)
			continue;
		/* a pool can serve several pgmaps (one per pci_p2pdma_add_resource) */
		for (size_t i = 0; i < nr_pools && !pool; i++)
			pool = pools[i].pool_key == value.pool_key ? &pools[i] : NULL;
		if (!pool) {
			grown = realloc(pools, (nr_pools + 1) * sizeof(*pools));
			if (!grown)
				continue; /* out of memory: this pool waits for the next read, its counts are kept */
			pools = grown;
			pool = &pools[nr_pools++];
			memset(pool, 0, sizeof(*pool));
			pool->pool_key = value.pool_key;
		}
		pool->pages_freed += value.use.pages_freed;
		if (value.state_ns >= pool->state_ns) {
			pool->pool_size = value.pool_size;
			pool->pool_avail = value.pool_avail;
			pool->state_ns = value.state_ns;
		}
	}
	for (size_t i = 0; i < nr_pools; i++) {
		stamp_record(&pools[i].header, ZDEV_REC_POOL_PAGES, sizeof(pools[i]), now);
		pools[i].page_bytes = (uint32_t)session->geometry.page_bytes;
		/* with the genalloc free kprobe on, its records say which allocation each page came from */
		pools[i].frees_recorded = session->probes.rows[ZDEV_HOOK_GEN_POOL_FREE].mode != ZDEV_VIA_NONE;
		session->on_record(session->ctx, &pools[i], sizeof(pools[i]));
		count++;
	}
	free(pools);
	return count;
}

/* the CPU-fault migrations summed over the CPUs: one ZDEV_REC_FAULT_MIGRATIONS record per owner and
 * direction; returns the records handed over */
static int flush_fault_migrations(struct zdev_session *session, const struct timespec *now)
{
	int fd = bpf_map__fd(session->skel->maps.fault_migrations), ncpus = libbpf_num_possible_cpus(), count = 0;
	struct zdev_fault_migrations_key key, next_key, *previous = NULL;
	struct zdev_fault_migrations_record *per_cpu = NULL, sums;

	if (ncpus <= 0)
		return 0;
	/* a per-CPU value: one copy per possible CPU, each 8-byte aligned (the struct is) */
	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return 0;
	while (bpf_map_get_next_key(fd, previous, &next_key) == 0) {
		key = next_key;
		previous = &key;
		if (bpf_map_lookup_elem(fd, &key, per_cpu))
			continue;
		memset(&sums, 0, sizeof(sums));
		for (int cpu = 0; cpu < ncpus; cpu++) {
			const struct zdev_fault_migrations_record *one = &per_cpu[cpu];

			sums.migrations += one->migrations;
			sums.pages_asked += one->pages_asked;
			sums.pages_collected += one->pages_collected;
			sums.pages_migrated += one->pages_migrated;
			sums.latency_total_ns += one->latency_total_ns;
			if (one->latency_max_ns > sums.latency_max_ns)
				sums.latency_max_ns = one->latency_max_ns;
			for (int b = 0; b < ZDEV_LATENCY_BUCKET_COUNT; b++)
				sums.latency_histogram[b] += one->latency_histogram[b];
		}
		stamp_record(&sums.header, ZDEV_REC_FAULT_MIGRATIONS, sizeof(sums), now);
		sums.key = key;
		session->on_record(session->ctx, &sums, sizeof(sums));
		count++;
	}
	free(per_cpu);
	return count;
}

int zdev_session_flush_page_use(struct zdev_session *session)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return flush_page_use(session, 1, &now) + flush_fault_migrations(session, &now);
}

/* the per-CPU record_counts summed over the CPUs: [type] emitted, [ZDEV_REC_TYPES + type] dropped */
int zdev_session_ring_counts(struct zdev_session *session, struct zdev_ring_counts *counts)
{
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(session->skel->maps.record_counts), err = 0;
	uint64_t *per_cpu;

	memset(counts, 0, sizeof(*counts));
	if (ncpus <= 0)
		return -EINVAL;
	per_cpu = calloc((size_t)ncpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	for (uint32_t index = 0; index < 2 * ZDEV_REC_TYPES; index++) {
		uint64_t *total = index < ZDEV_REC_TYPES ? &counts->emitted[index] : &counts->dropped[index - ZDEV_REC_TYPES];

		if (bpf_map_lookup_elem(fd, &index, per_cpu)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < ncpus; cpu++)
			*total += per_cpu[cpu];
	}
	free(per_cpu);
	return err;
}

uint64_t zdev_session_dropped(struct zdev_session *session)
{
	struct zdev_ring_counts counts;
	uint64_t total = 0;

	zdev_session_ring_counts(session, &counts);
	for (int type = 0; type < ZDEV_REC_TYPES; type++)
		total += counts.dropped[type];
	return total;
}

uint32_t zdev_session_ring_buffer_bytes(const struct zdev_session *session)
{
	return bpf_map__max_entries(session->skel->maps.events);
}

int zdev_session_attached(const struct zdev_session *session)
{
	return session->attached;
}

const struct zdev_probe_table *zdev_session_probes(const struct zdev_session *session)
{
	return &session->probes;
}

void zdev_session_geometry(const struct zdev_session *session, struct zdev_geometry *geometry)
{
	*geometry = session->geometry;
}

void zdev_session_close(struct zdev_session *session)
{
	if (!session)
		return;
	if (session->skel)
		session->skel->bss->zdev_ready = 0;
	ring_buffer__free(session->ring);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		bpf_link__destroy(session->links[hook][1]);
		bpf_link__destroy(session->links[hook][0]);
	}
	zdev_bpf__destroy(session->skel);
	free(session->load_logs);
	free(session);
}
