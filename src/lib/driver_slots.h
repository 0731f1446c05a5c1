/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The drivers' hooks (amdgpu's KFD SVM, drm_pagemap's GPU SVM): functions in a module, under names that move
 * between kernels, some only as compiler-split copies. The BPF side has a slot per function without a fixed
 * target; this resolves each slot to the symbol it gets in the running kernel (from /proc/kallsyms) and finds
 * the arguments its program reads by name in the module's BTF. Internal to the library (session.c).
 */
#ifndef ZDEV_DRIVER_SLOTS_H
#define ZDEV_DRIVER_SLOTS_H

#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>
#include "zdev/abi.h"
#include "probe.h"

struct driver_slots {
	/* the argument positions each slot's program reads: see struct zdev_settings */
	uint8_t amdgpu_trigger_arg[ZDEV_AMDGPU_SLOTS];
	uint8_t amdgpu_start_arg[ZDEV_AMDGPU_SLOTS];
	uint8_t amdgpu_last_arg[ZDEV_AMDGPU_SLOTS];
	uint8_t drm_pagemap_devmem_arg[ZDEV_DRM_PAGEMAP_SLOTS];
	uint8_t drm_pagemap_page_arg[ZDEV_DRM_PAGEMAP_SLOTS];
	uint8_t drm_pagemap_start_arg[ZDEV_DRM_PAGEMAP_SLOTS];
	uint8_t drm_pagemap_end_arg[ZDEV_DRM_PAGEMAP_SLOTS];
	uint8_t drm_pagemap_size_arg[ZDEV_DRM_PAGEMAP_SLOTS];
};

/* FUNCTION's prototype in BTF, NULL when BTF has no such function */
const struct btf_type *driver_slots_function_proto(const struct btf *btf, const char *function);
/* one text symbol of /proc/kallsyms in MODULE ("[amdgpu]" as kallsyms writes it, MODULE_LEN bytes): the slot
 * it serves, if any, gets it as its target, and in_syms */
void driver_slots_note_symbol(struct probe_plan *plan, const char *module, size_t module_len, const char *symbol);
/* once kallsyms is read: per driver, is its module loaded (ROOT/sys/module), can each slot take fentry
 * (in_btf: its exact name in the module's BTF, ROOT/sys/kernel/btf), which arguments its program reads. The
 * probe rows say what was resolved, or why not. */
void driver_slots_resolve(struct driver_slots *slots, const char *root, struct btf *vmlinux_btf,
			  struct probe_plan *plan);
/* the argument positions, into the BPF side's settings (before load) */
void driver_slots_settings(const struct driver_slots *slots, struct zdev_settings *settings);

#endif /* ZDEV_DRIVER_SLOTS_H */
