// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The hooks by name: the kernel function (or tracepoint) each enum zdev_hook follows and what it feeds.
 * One table for the session (which attaches them and prints its probe rows) and for the probe options
 * (--disable and --enable take these names): pure, so the option parser links it without libbpf.
 */
#include "zdev/session.h"

static const struct {
	const char *function, *feeds;
} hook_info[ZDEV_HOOK_COUNT] = {
	[ZDEV_HOOK_MEMREMAP_PAGES] = { "memremap_pages", "pgmaps: type, ranges, vmemmap, registration time" },
	[ZDEV_HOOK_DEVM_MEMREMAP_PAGES] = { "devm_memremap_pages", "the device behind a pgmap" },
	[ZDEV_HOOK_MEMMAP_INIT_ZONE_DEVICE] = { "memmap_init_zone_device", "memmap init share of registration" },
	[ZDEV_HOOK_MEMUNMAP_PAGES] = { "memunmap_pages", "unmaps and their duration" },
	[ZDEV_HOOK_POPULATE_SECTION_MEMMAP] = { "__populate_section_memmap",
						"vmemmap populated, pfns taken from the altmap" },
	[ZDEV_HOOK_ADD_PAGES] = { "__add_pages", "vmemmap fallback: pages hot-added (the caller)" },
	[ZDEV_HOOK_PAGE_ALLOC] = { "kmem:mm_page_alloc", "DRAM allocated while registering (measured)" },
	[ZDEV_HOOK_MIGRATE_VMA_SETUP] = { "migrate_vma_setup", "migrations: direction, pages asked, owner" },
	[ZDEV_HOOK_MIGRATE_VMA_PAGES] = { "migrate_vma_pages", "migrations: pages migrated" },
	[ZDEV_HOOK_MIGRATE_VMA_FINALIZE] = { "migrate_vma_finalize", "migrations: end, latency" },
	[ZDEV_HOOK_MIGRATE_DEVICE_RANGE] = { "migrate_device_range", "evictions of device ranges" },
	[ZDEV_HOOK_ZONE_DEVICE_PAGE_INIT] = { "zone_device_page_init", "device pages taken, per pgmap" },
	[ZDEV_HOOK_FREE_ZONE_DEVICE_FOLIO] = { "free_zone_device_folio", "device pages freed (6.12+)" },
	[ZDEV_HOOK_FREE_ZONE_DEVICE_PAGE] = { "free_zone_device_page", "device pages freed (6.1-6.6)" },
	[ZDEV_HOOK_P2PDMA_ADD_RESOURCE] = { "pci_p2pdma_add_resource", "p2pdma pools: device, BAR, size" },
	[ZDEV_HOOK_ALLOC_P2PMEM] = { "pci_alloc_p2pmem", "p2p allocations, failures, pool use" },
	[ZDEV_HOOK_FREE_P2PMEM] = { "pci_free_p2pmem", "p2p frees, pool use" },
	[ZDEV_HOOK_GEN_POOL_ALLOC] = { "gen_pool_alloc_algo_owner", "genalloc allocations (p2pmem mmap too)" },
	[ZDEV_HOOK_GEN_POOL_FREE] = { "gen_pool_free_owner", "genalloc frees one by one, with their offsets" },
	[ZDEV_HOOK_GEN_POOL_ADD] = { "gen_pool_add_owner", "genalloc pools growing" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_ZONE_DEVICE_INIT] = { "kgd2kfd_init_zone_device",
								   "amdgpu: VRAM pgmap set up (SVM)" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_VRAM] = { "svm_migrate_to_vram", "amdgpu: ranges to VRAM" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_RAM_TO_VRAM] = { "svm_migrate_ram_to_vram", "amdgpu: RAM to VRAM" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_VRAM_TO_RAM] = { "svm_migrate_vram_to_ram", "amdgpu: VRAM to RAM" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_TO_RAM] = { "svm_migrate_to_ram", "amdgpu: CPU faults on VRAM" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_PAGE_FREE] = { "svm_migrate_page_free", "amdgpu: VRAM pages freed" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_VRAM] = { "svm_migrate_copy_to_vram", "amdgpu: copies to VRAM" },
	[ZDEV_HOOK_AMDGPU_FIRST + ZDEV_AMDGPU_COPY_TO_RAM] = { "svm_migrate_copy_to_ram", "amdgpu: copies to RAM" },
	[ZDEV_HOOK_DEVM_REQUEST_FREE_MEM_REGION] = { "devm_request_free_mem_region",
						     "device-private regions claimed (and by which device)" },
	[ZDEV_HOOK_REQUEST_FREE_MEM_REGION] = { "request_free_mem_region", "device-private regions claimed" },
	[ZDEV_HOOK_RELEASE_REGION] = { "__release_region", "claimed regions given back (else: leaks)" },
	[ZDEV_HOOK_MIGRATE_DEVICE_PFNS] = { "migrate_device_pfns", "evictions of device pages by pfn (6.19+)" },
	[ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_MIGRATE_TO_DEVMEM] = { "drm_pagemap_migrate_to_devmem",
									       "drm_pagemap: ranges to device memory" },
	[ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_EVICT_TO_RAM] = { "drm_pagemap_evict_to_ram",
									  "drm_pagemap: allocations evicted to RAM" },
	[ZDEV_HOOK_DRM_PAGEMAP_FIRST + ZDEV_DRM_PAGEMAP_MIGRATE_TO_RAM] = { "__drm_pagemap_migrate_to_ram",
									    "drm_pagemap: CPU faults on device memory" },
};

const char *zdev_hook_function(int hook)
{
	return hook >= 0 && hook < ZDEV_HOOK_COUNT ? hook_info[hook].function : NULL;
}

const char *zdev_hook_feeds(int hook)
{
	return hook >= 0 && hook < ZDEV_HOOK_COUNT ? hook_info[hook].feeds : NULL;
}

/* off unless --enable names it: gen_pool_free_owner is a trap and a record per p2p page freed */
int zdev_hook_opt_in(int hook)
{
	return hook == ZDEV_HOOK_GEN_POOL_FREE;
}
