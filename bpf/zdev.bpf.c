// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zdev's kernel side, one object (one skeleton) built from one file per event source:
 *   pgmap.bpf.c    the pgmap lifecycle and its vmemmap (memremap_pages, memunmap_pages, population)
 *   migrate.bpf.c  HMM migrations (migrate_vma_*, migrate_device_range) and device page use
 *   p2p.bpf.c      p2pdma pools (pci_p2pdma_add_resource, pci_alloc/free_p2pmem) and genalloc
 *   amdgpu.bpf.c   amdgpu KFD SVM migrations (slots resolved to module functions at run time)
 *   drm_pagemap.bpf.c  drm_pagemap (Xe's SVM) migrations, slots like amdgpu's
 *   region.bpf.c   free physical regions for device memory, requested and released (leaks)
 * Every hook is one body with fentry/fexit and kprobe/kretprobe twins generated around it (twins.bpf.h:
 * ZDEV_ENTRY, ZDEV_EXIT, ZDEV_SLOT), declared with "?" so that none loads unless user space switches it on;
 * user space picks one twin per hook at run time (src/lib/session.c), finds it by name ("<kind>_<stem>") and
 * says which in its probe table. Kernel-version differences live in core_fixes.bpf.h (zdev_core_* helpers,
 * behind CO-RE checks), one place for all of them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "zdev/abi.h"
#include "zdev/latency.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#include "common.bpf.h"
#include "twins.bpf.h"
#include "core_fixes.bpf.h"
#include "pgmap.bpf.c"
#include "migrate.bpf.c"
#include "p2p.bpf.c"
#include "amdgpu.bpf.c"
#include "drm_pagemap.bpf.c"
#include "region.bpf.c"
