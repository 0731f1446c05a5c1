/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every kernel-version difference zdev's programs meet, in one place: each helper reads one thing the way
 * the running kernel lays it out, behind CO-RE checks (field, type and enum existence) so that one object
 * loads on 6.1 to 7.2. vmlinux.h is generated from the lab kernel (6.12); the local "___flavour" structs
 * below describe the layouts it does not have, and CO-RE resolves whichever the running kernel has (the
 * branches for the others are dead code the verifier never walks). Each helper names the kernels and the
 * upstream change it serves.
 */
#ifndef ZDEV_CORE_FIXES_BPF_H
#define ZDEV_CORE_FIXES_BPF_H

/* --- enum memory_type ------------------------------------------------------------------------------------ */
/* zdev's numbering of the kernel's enum; the values moved in 6.0 (MEMORY_DEVICE_COHERENT inserted before
 * FS_DAX, commit f25cbb7a95a2): compared through enum relocations, never as literals */
static __always_inline __u32 zdev_core_pgmap_type(int type)
{
	if (bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_PRIVATE) &&
	    type == bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_PRIVATE))
		return ZDEV_PGMAP_PRIVATE;
	if (bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_COHERENT) &&
	    type == bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_COHERENT))
		return ZDEV_PGMAP_COHERENT;
	if (bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_FS_DAX) &&
	    type == bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_FS_DAX))
		return ZDEV_PGMAP_FS_DAX;
	if (bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_GENERIC) &&
	    type == bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_GENERIC))
		return ZDEV_PGMAP_GENERIC;
	if (bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_PCI_P2PDMA) &&
	    type == bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_PCI_P2PDMA))
		return ZDEV_PGMAP_P2PDMA;
	return ZDEV_PGMAP_UNKNOWN;
}

/* --- struct dev_pagemap ---------------------------------------------------------------------------------- */
/* pgmap->flags: PGMAP_ALTMAP_VALID, (1 << 0) in include/linux/memremap.h from 5.10 to 7.2 (a #define: not in
 * BTF) */
#define PGMAP_ALTMAP_VALID_FLAG 1

/* vmemmap_shift exists from 5.17 (compound device pages, commit c4386bd8ee3a) */
static __always_inline __u32 zdev_core_vmemmap_shift(struct dev_pagemap *pgmap)
{
	if (bpf_core_field_exists(pgmap->vmemmap_shift))
		return (__u32)BPF_CORE_READ(pgmap, vmemmap_shift);
	return 0;
}

/* pgmap->ranges[] is a union with ->range (a flex array from 6.4, a zero-length one before): indexed from the
 * offset of ->range, which every version has. Fills up to ZDEV_MAX_RANGES ranges; returns nr_range. */
static __always_inline __u32 zdev_core_read_ranges(struct dev_pagemap *pgmap, struct zdev_range *ranges)
{
	__u64 base = (__u64)(unsigned long)pgmap + bpf_core_field_offset(pgmap->range);
	int nr = BPF_CORE_READ(pgmap, nr_range);

#pragma unroll
	for (int i = 0; i < ZDEV_MAX_RANGES; i++) {
		struct range range = {};

		if (i >= nr)
			break;
		bpf_probe_read_kernel(&range, sizeof(range), (void *)(base + i * sizeof(struct range)));
		ranges[i].start = range.start;
		ranges[i].end = range.end;
	}
	return nr > 0 ? nr : 0;
}

/* --- a device page's pgmap, and how many pages a folio holds ---------------------------------------------- */
/* page->pgmap (in an anonymous union) up to 6.14, folio->pgmap from 6.15 (commit 82ba975e4c43) */
struct page___with_pgmap {
	struct dev_pagemap *pgmap;
} __attribute__((preserve_access_index));

struct folio___with_pgmap {
	struct dev_pagemap *pgmap;
} __attribute__((preserve_access_index));

/* page: a head page or a folio (the folio starts at its head page) */
static __always_inline struct dev_pagemap *zdev_core_page_pgmap(void *page)
{
	struct page___with_pgmap *as_page = page;
	struct folio___with_pgmap *as_folio = page;

	if (bpf_core_field_exists(as_page->pgmap))
		return BPF_CORE_READ(as_page, pgmap);
	if (bpf_core_field_exists(as_folio->pgmap))
		return BPF_CORE_READ(as_folio, pgmap);
	return NULL;
}

/* zone_device_page_init(page) to 6.18: one page, its pgmap already in the page. From 6.19
 * zone_device_page_init(page, pgmap, order) initialises a folio of 1 << order pages and sets their pgmap
 * itself, so what the page holds at entry is stale (a tail page's compound head): the argument is the
 * pgmap. settings.page_init_args says which prototype the running kernel's BTF has; the arguments are read
 * by position, checked (bpf_get_func_arg) against it. The pgmap the pages are initialised for; *pages: how
 * many. */
static __always_inline struct dev_pagemap *zdev_core_page_init_pgmap(struct zdev_hook hook, __u64 *pages)
{
	__u32 order;

	if (settings.page_init_args < 3) {
		*pages = 1;
		return zdev_core_page_pgmap(zdev_arg_ptr(hook, 0));
	}
	order = (__u32)zdev_arg_at(hook, 3, 0);
	*pages = order < 32 ? 1ULL << order : 1;
	return (struct dev_pagemap *)(unsigned long)zdev_arg_at(hook, 2, 0);
}

/* folio->flags: an unsigned long up to 6.17, a memdesc_flags_t { unsigned long f; } from 6.18 (commit
 * 53fbef56e07d). CO-RE matches a field only to one of its own kind, so each layout has its flavour. */
struct memdesc_flags___zdev {
	unsigned long f;
};

struct folio___flags_word {
	unsigned long flags;
} __attribute__((preserve_access_index));

struct folio___flags_memdesc {
	struct memdesc_flags___zdev flags;
} __attribute__((preserve_access_index));

/* the order of a large folio: the byte _folio_order up to 6.5, the low byte of _flags_1 from 6.6 (commit
 * ebc1baf5c9b4) */
struct folio___order_byte {
	unsigned char _folio_order;
} __attribute__((preserve_access_index));

struct folio___order_flags {
	unsigned long _flags_1;
} __attribute__((preserve_access_index));

/* folio_nr_pages(): 1 unless PG_head is set (a large folio), then 1 << its order. Large device folios
 * arrive with 6.19 (zone_device_page_init(page, pgmap, order), device-private THP migration). */
static __always_inline __u64 zdev_core_folio_nr_pages(void *folio)
{
	struct folio___flags_word *word = folio;
	struct folio___flags_memdesc *memdesc = folio;
	struct folio___order_byte *order_byte = folio;
	struct folio___order_flags *order_flags = folio;
	unsigned long flags = 0, order = 0;

	if (!bpf_core_enum_value_exists(enum pageflags, PG_head))
		return 1;
	if (bpf_core_field_exists(word->flags))
		flags = BPF_CORE_READ(word, flags);
	else if (bpf_core_field_exists(memdesc->flags))
		flags = BPF_CORE_READ(memdesc, flags.f);
	if (!(flags & (1UL << bpf_core_enum_value(enum pageflags, PG_head))))
		return 1;
	if (bpf_core_field_exists(order_byte->_folio_order))
		order = BPF_CORE_READ(order_byte, _folio_order);
	else if (bpf_core_field_exists(order_flags->_flags_1))
		order = BPF_CORE_READ(order_flags, _flags_1) & 0xff;
	return order < 32 ? 1ULL << order : 1;
}

/* --- p2pdma: the pool behind a p2pdma pgmap ---------------------------------------------------------------- */
/* pdev->p2pdma exists with CONFIG_PCI_P2PDMA only; 7.2's p2pdma can exist without a pool (provider-only
 * users: pcim_p2pdma_init) */
static __always_inline struct gen_pool *zdev_core_p2p_pool(struct pci_dev *pdev)
{
	struct pci_p2pdma *p2pdma;

	if (!pdev || !bpf_core_field_exists(pdev->p2pdma))
		return NULL;
	p2pdma = BPF_CORE_READ(pdev, p2pdma);
	return p2pdma ? BPF_CORE_READ(p2pdma, pool) : NULL;
}

/* struct pci_p2pdma_pagemap: {pgmap, provider, bus_offset} to 6.1, {provider, bus_offset, pgmap} from 6.2,
 * {pgmap, mem} from 6.19 with mem a struct p2pdma_provider {owner, bus_offset} whose owner is the
 * pci_dev's struct device (commit "PCI/P2PDMA: Separate the mmap() support from the core logic") */
struct p2pdma_provider___zdev {
	struct device *owner;
} __attribute__((preserve_access_index));

struct pci_p2pdma_pagemap___with_provider {
	struct pci_dev *provider;
	struct dev_pagemap pgmap;
} __attribute__((preserve_access_index));

struct pci_p2pdma_pagemap___with_mem {
	struct p2pdma_provider___zdev *mem;
	struct dev_pagemap pgmap;
} __attribute__((preserve_access_index));

/* the PCI device whose BAR a p2pdma pgmap maps; NULL for any other pgmap */
static __always_inline struct pci_dev *zdev_core_p2p_pgmap_device(struct dev_pagemap *pgmap)
{
	struct pci_p2pdma_pagemap___with_provider *old = NULL;
	struct pci_p2pdma_pagemap___with_mem *new = NULL;
	struct device *owner;

	if (!bpf_core_enum_value_exists(enum memory_type, MEMORY_DEVICE_PCI_P2PDMA) ||
	    BPF_CORE_READ(pgmap, type) != bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_PCI_P2PDMA))
		return NULL;
	/* the pgmap sits inside the p2pdma pagemap: container_of by the running kernel's offset */
	if (bpf_core_field_exists(old->provider)) {
		old = (void *)((char *)pgmap - bpf_core_field_offset(old->pgmap));
		return BPF_CORE_READ(old, provider);
	}
	if (bpf_core_field_exists(new->mem)) {
		new = (void *)((char *)pgmap - bpf_core_field_offset(new->pgmap));
		owner = BPF_CORE_READ(new, mem, owner);
		return owner ? (struct pci_dev *)((char *)owner - bpf_core_field_offset(struct pci_dev, dev)) : NULL;
	}
	return NULL;
}

/* --- migrations ---------------------------------------------------------------------------------------------- */
static __always_inline __u32 zdev_core_migration_direction(__u32 flags)
{
	if (bpf_core_enum_value_exists(enum migrate_vma_direction, MIGRATE_VMA_SELECT_SYSTEM) &&
	    (flags & bpf_core_enum_value(enum migrate_vma_direction, MIGRATE_VMA_SELECT_SYSTEM)))
		return ZDEV_MIGRATE_TO_DEVICE;
	return ZDEV_MIGRATE_TO_RAM;
}

/* args->fault_page exists from 6.1: set when a CPU fault on a device page asked for the migration */
static __always_inline __u32 zdev_core_cpu_fault(struct migrate_vma *args)
{
	if (bpf_core_field_exists(args->fault_page))
		return BPF_CORE_READ(args, fault_page) != NULL;
	return 0;
}

/* include/linux/migrate.h: a src[] entry's flags, 5.10 to 7.2. MIGRATE_PFN_COMPOUND (6.19, device-private
 * THP migration, commit "mm/migrate_device: handle partially mapped folios during collection") marks one
 * entry standing for a whole PMD-sized folio; the entries it covers are left empty. */
#define MIGRATE_PFN_MIGRATE_FLAG (1UL << 1)
#define MIGRATE_PFN_COMPOUND_FLAG (1UL << 4)
/* enum migrate_vma_direction's MIGRATE_VMA_SELECT_COMPOUND (6.19+): a bit no earlier kernel's enum has, so a
 * driver sets it only where compound entries can occur */
#define MIGRATE_VMA_SELECT_COMPOUND_FLAG (1U << 3)

/* the pages one src[] entry stands for: a compound entry is a PMD-sized folio (migrate_vma_nr_pages():
 * HPAGE_PMD_NR, the only large device folio order 7.2 migrates); pmd_pages comes from user space (page and
 * PMD size of the running kernel) */
static __always_inline __u64 zdev_core_migrate_entry_pages(unsigned long entry, __u64 pmd_pages)
{
	return (entry & MIGRATE_PFN_COMPOUND_FLAG) && pmd_pages ? pmd_pages : 1;
}

/* --- drm_pagemap (drm_gpusvm_helper) ------------------------------------------------------------------------ */
/* struct drm_pagemap_devmem and struct drm_pagemap are the module's types, in its BTF and not vmlinux's:
 * libbpf finds them in the loaded modules' BTF when vmlinux has no candidate (the programs reading them are
 * loaded only with the module there). 7.2 (include/drm/drm_pagemap.h): devmem {dev, mm, detached, ops,
 * dpagemap, size, ...}, drm_pagemap {ops, ref, drm, pagemap, ...}; kernels whose structs lack a field get 0
 * for what it gives. */
struct drm_pagemap___zdev {
	struct dev_pagemap *pagemap;
} __attribute__((preserve_access_index));

struct drm_pagemap_devmem___zdev {
	struct drm_pagemap___zdev *dpagemap;
	size_t size;
} __attribute__((preserve_access_index));

/* the bytes of a device memory allocation (drm_pagemap_evict_to_ram moves all of them) */
static __always_inline __u64 zdev_core_devmem_bytes(void *devmem)
{
	struct drm_pagemap_devmem___zdev *allocation = devmem;

	if (!allocation || !bpf_core_field_exists(allocation->size))
		return 0;
	return BPF_CORE_READ(allocation, size);
}

/* the owner of the pgmap an allocation's pages belong to: the pgmap_owner drm_pagemap hands migrate_vma_setup
 * (7.2: devmem->dpagemap->pagemap->owner), so its id is the one the migrations of the call get */
static __always_inline void *zdev_core_devmem_owner(void *devmem)
{
	struct drm_pagemap_devmem___zdev *allocation = devmem;
	struct drm_pagemap___zdev *dpagemap;
	struct dev_pagemap *pgmap;

	if (!allocation || !bpf_core_field_exists(allocation->dpagemap) ||
	    !bpf_core_field_exists(struct drm_pagemap___zdev, pagemap))
		return NULL;
	dpagemap = BPF_CORE_READ(allocation, dpagemap);
	pgmap = dpagemap ? BPF_CORE_READ(dpagemap, pagemap) : NULL;
	return pgmap ? BPF_CORE_READ(pgmap, owner) : NULL;
}

#endif /* ZDEV_CORE_FIXES_BPF_H */
