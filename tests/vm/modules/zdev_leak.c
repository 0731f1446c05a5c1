// SPDX-License-Identifier: GPL-2.0
/*
 * zdev_leak: the error path of amdgpu's svm_migrate_init in Linux 6.1 (drivers/gpu/drm/amd/amdkfd/
 * kfd_migrate.c), done on purpose so that zdev's leaked-region detection is tested on a real kernel:
 * a device-private region is requested with devm_request_free_mem_region, devm_memremap_pages fails (here:
 * a MEMORY_DEVICE_PRIVATE pgmap without page_free, which memremap_pages refuses with -EINVAL), and the
 * region is never released, because pgmap->type is cleared before the check that would release it.
 * leak=0 releases it, as kgd2kfd_init_zone_device does in 6.12. The module stays loaded with its device
 * bound, as amdgpu does with SVM switched off: the region stays held until it is removed.
 */
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static bool leak = true;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "never release the region after the failure (the 6.1 amdgpu order), default 1");

static struct platform_device *zdev_leak_device;
static struct dev_pagemap zdev_leak_pgmap;
static const struct dev_pagemap_ops zdev_leak_ops; /* no page_free: the registration must fail */

static int __init zdev_leak_init(void)
{
	struct resource *res;
	void *mapped;

	zdev_leak_device = platform_device_register_simple("zdev_leak", -1, NULL, 0);
	if (IS_ERR(zdev_leak_device))
		return PTR_ERR(zdev_leak_device);
	res = devm_request_free_mem_region(&zdev_leak_device->dev, &iomem_resource, 64UL << 20);
	if (IS_ERR(res)) {
		platform_device_unregister(zdev_leak_device);
		return PTR_ERR(res);
	}
	zdev_leak_pgmap.type = MEMORY_DEVICE_PRIVATE;
	zdev_leak_pgmap.range.start = res->start;
	zdev_leak_pgmap.range.end = res->end;
	zdev_leak_pgmap.nr_range = 1;
	zdev_leak_pgmap.ops = &zdev_leak_ops;
	zdev_leak_pgmap.owner = &zdev_leak_pgmap;
	mapped = devm_memremap_pages(&zdev_leak_device->dev, &zdev_leak_pgmap);
	if (IS_ERR(mapped)) {
		pr_info("zdev_leak: devm_memremap_pages failed with %ld, as intended\n", PTR_ERR(mapped));
		/* 6.1's order: the type is cleared first, so the release below never runs */
		zdev_leak_pgmap.type = 0;
		if (!leak || zdev_leak_pgmap.type == MEMORY_DEVICE_PRIVATE)
			devm_release_mem_region(&zdev_leak_device->dev, res->start, resource_size(res));
	}
	return 0;
}

static void __exit zdev_leak_exit(void)
{
	platform_device_unregister(zdev_leak_device);
}

module_init(zdev_leak_init);
module_exit(zdev_leak_exit);
MODULE_DESCRIPTION("zdev lab: a device-private region leaked after a failed devm_memremap_pages");
MODULE_LICENSE("GPL");
