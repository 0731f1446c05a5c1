// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A session's life: privileges and BTF checked, then the probe layer's stages (probe.h): resolve what the
 * kernel offers each hook, choose a twin per hook, load only those, attach, and the ready gate opened once
 * every hook is attached, so that a half-attached state emits nothing. Then the ring buffer polled, and
 * everything undone at close.
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
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "session_object.h"

#define CAP_PERFMON_BIT 38
#define CAP_BPF_BIT 39

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
			session_flush_page_use(session, 0, &now);
		}
	}
	return session->on_record(session->ctx, data, size);
}

/* what the kernel offers each hook: BTF functions (fentry), text symbols (kprobe), the drivers' slots, what
 * ftrace can patch; then the hooks ftrace cannot patch lose their twins (probe_apply_notrace) */
static void resolve_hooks(struct zdev_session *session, struct btf *vmlinux_btf,
			  const struct zdev_session_options *options)
{
	struct probe_plan *plan = &session->plan;

	plan->probes = &session->probes;
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		unsigned flags = zdev_hook_flags(hook);

		session->probes.rows[hook].function = zdev_hook_function(hook);
		session->probes.rows[hook].feeds = zdev_hook_feeds(hook);
		plan->hooks[hook].in_btf = !(flags & (ZDEV_HOOK_F_KPROBE_ONLY | ZDEV_HOOK_F_TRACEPOINT)) &&
					   btf__find_by_name_kind(vmlinux_btf, zdev_hook_function(hook), BTF_KIND_FUNC) > 0;
	}
	if (probe_scan_kallsyms("", plan)) {
		for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++)
			plan->hooks[hook].in_syms = 0;
	}
	driver_slots_resolve(&session->drivers, "", vmlinux_btf, plan);
	for (int hook = 0; hook < ZDEV_HOOK_COUNT; hook++) {
		struct hook_state *state = &plan->hooks[hook];

		/* the tracepoint is no function: it is there when the kernel has tracepoints (it may refuse it at
		 * attach, then the probe is off with the reason) */
		if (zdev_hook_flags(hook) & ZDEV_HOOK_F_TRACEPOINT)
			state->in_syms = state->traceable = 1;
		state->exists = state->in_syms;
	}
	plan->ftrace_known = probe_scan_ftrace("", plan) == 0;
	probe_apply_notrace(plan, options);
}

struct zdev_session *zdev_session_open(const struct zdev_session_options *options, zdev_record_fn on_record,
				       void *ctx, char *error, size_t error_len)
{
	struct zdev_session *session = NULL;
	struct btf *vmlinux_btf = NULL;

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
	resolve_hooks(session, vmlinux_btf, options);
	if (getrandom(&session->pointer_key, sizeof(session->pointer_key), 0) != sizeof(session->pointer_key))
		session->pointer_key = 0x5deece66dull ^ (uint64_t)getpid();
	session->page_init_args = function_arguments(vmlinux_btf, "zone_device_page_init");
	/* x86-64: a PMD maps 2 MiB (HPAGE_PMD_NR pages of the running page size) */
	session->pmd_pages = (uint32_t)((2u << 20) / session->geometry.page_bytes);
	if (probe_load(session, options, error, error_len))
		goto fail;
	session->attached = probe_attach(session, options);
	if (session->attached < 0) {
		snprintf(error, error_len, "the kernel refused zdev's BPF programs at a second load (%s); run with -v "
			 "for libbpf's log", strerror(-session->attached));
		goto fail;
	}
	if (!session->attached) {
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

int zdev_session_flush_page_use(struct zdev_session *session)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return session_flush_page_use(session, 1, &now) + session_flush_fault_migrations(session, &now);
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
	probe_detach(session);
	zdev_bpf__destroy(session->skel);
	free(session->load_logs);
	free(session);
}
