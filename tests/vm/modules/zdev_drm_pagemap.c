// SPDX-License-Identifier: GPL-2.0
/*
 * zdev_drm_pagemap: calls drm_pagemap's exported migration functions (drivers/gpu/drm/drm_pagemap.c, in the
 * drm_gpusvm_helper module) for real, so that zdev's drm_pagemap probes see calls in a lab without an
 * Intel GPU. On load, with a 2 MiB device memory allocation that has no device behind it:
 *  - drm_pagemap_migrate_to_devmem over 2 MiB returns -EOPNOTSUPP (the allocation's ops cannot copy);
 *  - drm_pagemap_evict_to_ram twice: populate_devmem_pfn fails (-EIO) and the allocation is not detached, so
 *    the first call retries, then returns -EIO; the second finds the allocation detached after its first
 *    attempt and returns 0.
 * Both read the allocation's drm_pagemap and its pgmap, whose owner is zdev_drm_pagemap_owner: zdev must
 * report one owner, migrate_to_devmem 1 call (failed, 512 pages), evict_to_ram 2 calls (1 failed, 1024
 * pages). __drm_pagemap_migrate_to_ram needs a CPU fault on device pages drm_pagemap made: not done here.
 * The module stays loaded; rmmod removes it.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <drm/drm_device.h>
#include <drm/drm_pagemap.h>

static int zdev_drm_pagemap_owner; /* the pgmap owner: any address, never dereferenced */
static struct dev_pagemap zdev_pgmap = { .owner = &zdev_drm_pagemap_owner };
static struct drm_device zdev_drm; /* drm_pagemap_migrate_to_devmem reads its dev */
static struct drm_pagemap zdev_dpagemap = { .drm = &zdev_drm, .pagemap = &zdev_pgmap };

static int zdev_populate_devmem_pfn(struct drm_pagemap_devmem *devmem_allocation, unsigned long npages,
				    unsigned long *pfn)
{
	return -EIO; /* no device memory behind the allocation */
}

/* no copy_to_devmem / copy_to_ram: drm_pagemap_migrate_to_devmem refuses such an allocation */
static const struct drm_pagemap_devmem_ops zdev_devmem_ops = {
	.populate_devmem_pfn = zdev_populate_devmem_pfn,
};

static int __init zdev_drm_pagemap_init(void)
{
	struct drm_pagemap_migrate_details details = {};
	struct drm_pagemap_devmem devmem;
	struct mm_struct *mm = current->mm; /* insmod's: evict_to_ram takes a reference on it */
	int to_devmem, evict_failing, evict_detached;

	if (!mm)
		return -EINVAL;
	drm_pagemap_devmem_init(&devmem, NULL, mm, &zdev_devmem_ops, &zdev_dpagemap, SZ_2M, NULL);
	mmap_read_lock(mm);
	to_devmem = drm_pagemap_migrate_to_devmem(&devmem, mm, SZ_2M, 2 * SZ_2M, &details);
	mmap_read_unlock(mm);
	evict_failing = drm_pagemap_evict_to_ram(&devmem);
	complete_all(&devmem.detached);
	evict_detached = drm_pagemap_evict_to_ram(&devmem);
	pr_info("zdev_drm_pagemap: migrate_to_devmem %d, evict_to_ram %d then %d\n", to_devmem, evict_failing,
		evict_detached);
	return 0;
}

static void __exit zdev_drm_pagemap_exit(void)
{
}

module_init(zdev_drm_pagemap_init);
module_exit(zdev_drm_pagemap_exit);
MODULE_DESCRIPTION("zdev lab: drm_pagemap's migration functions called without a GPU");
MODULE_LICENSE("GPL");
