// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pgmaps present at start:
 *  - nvdimm (/sys/bus/nd/devices): a bound raw namespace (fsdax pgmap, memmap in RAM), a bound pfn device
 *    (fsdax; memmap on the device when its mode is "pmem"), a bound dax device (generic; devdax maps its
 *    2 MiB-aligned data as compound pages). The pgmap covers the namespace's resource.
 *  - p2pdma (/sys/bus/pci/devices/DEVICE/p2pmem/size): one p2pdma pgmap per pool; where in the BAR is not in sysfs.
 *  - /proc/iomem entries named after device-private memory owners (test_hmm, nouveau).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/snapshot.h"

/* a path, or -1 when it would not fit (then the entry is skipped, never read truncated) */
__attribute__((format(printf, 3, 4))) static int join(char *buf, size_t len, const char *format, ...)
{
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(buf, len, format, args);
	va_end(args);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* device names are cut to what a record holds, like the kernel side does */
static void copy_name(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int read_text(const char *path, char *buf, size_t len)
{
	FILE *file = fopen(path, "r");
	size_t n;

	if (!file)
		return -errno;
	n = fread(buf, 1, len - 1, file);
	fclose(file);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int read_u64(const char *path, uint64_t *value)
{
	char text[64], *end;

	if (read_text(path, text, sizeof(text)))
		return -1;
	*value = strtoull(text, &end, 0);
	return end == text ? -1 : 0;
}

static int exists(const char *path)
{
	FILE *file = fopen(path, "r");

	if (!file)
		return 0;
	fclose(file);
	return 1;
}

static struct zdev_present_pgmap *add(struct zdev_snapshot *snapshot)
{
	if (snapshot->count >= ZDEV_SNAPSHOT_MAX) {
		snapshot->truncated = 1;
		return NULL;
	}
	memset(&snapshot->pgmaps[snapshot->count], 0, sizeof(snapshot->pgmaps[0]));
	return &snapshot->pgmaps[snapshot->count++];
}

/* a device is bound when it has a driver link (read through its uevent, which names the driver) */
static int bound(const char *device_dir)
{
	char path[4096], uevent[1024];

	if (join(path, sizeof(path), "%s/uevent", device_dir))
		return 0;
	if (read_text(path, uevent, sizeof(uevent)))
		return 0;
	return strstr(uevent, "DRIVER=") != NULL;
}

static void read_nd(const char *root, struct zdev_snapshot *snapshot)
{
	char dir[4096], path[4096 + 64], text[64], ns_dir[4096 + 300];
	struct dirent *entry;
	DIR *devices;

	if (join(dir, sizeof(dir), "%s/sys/bus/nd/devices", root))
		return;
	devices = opendir(dir);
	if (!devices)
		return;
	while ((entry = readdir(devices))) {
		const char *name = entry->d_name;
		struct zdev_present_pgmap *pgmap;
		uint64_t start, size;
		int is_ns = !strncmp(name, "namespace", 9), is_pfn = !strncmp(name, "pfn", 3);
		int is_dax = !strncmp(name, "dax", 3);

		if (!is_ns && !is_pfn && !is_dax)
			continue;
		if (join(path, sizeof(path), "%s/%s", dir, name))
			continue;
		if (!bound(path))
			continue;
		/* the namespace holds the range; a pfn/dax device names its namespace */
		if (is_ns) {
			if (join(ns_dir, sizeof(ns_dir), "%s/%s", dir, name))
				continue;
			if (join(path, sizeof(path), "%s/%s/force_raw", dir, name))
				continue;
			if (read_text(path, text, sizeof(text)) == 0 && !strcmp(text, "1"))
				continue; /* force_raw: no struct pages, no pgmap */
		} else {
			if (join(path, sizeof(path), "%s/%s/namespace", dir, name))
				continue;
			if (read_text(path, text, sizeof(text)) || !text[0])
				continue;
			if (join(ns_dir, sizeof(ns_dir), "%s/%s", dir, text))
				continue;
		}
		if (join(path, sizeof(path), "%s/resource", ns_dir))
			continue;
		if (read_u64(path, &start))
			continue;
		if (join(path, sizeof(path), "%s/size", ns_dir))
			continue;
		if (read_u64(path, &size) || !size)
			continue;
		pgmap = add(snapshot);
		if (!pgmap)
			break;
		pgmap->type = is_dax ? ZDEV_PGMAP_GENERIC : ZDEV_PGMAP_FS_DAX;
		copy_name(pgmap->device, sizeof(pgmap->device), name);
		pgmap->range = (struct zdev_range){ start, start + size - 1 };
		pgmap->has_range = 1;
		pgmap->size_bytes = size;
		pgmap->source = "nd";
		if (!is_ns) {
			if (join(path, sizeof(path), "%s/%s/mode", dir, name))
				continue;
			pgmap->altmap = read_text(path, text, sizeof(text)) == 0 && !strcmp(text, "pmem");
		}
		if (is_dax) {
			uint64_t align = 0;

			/* device_dax maps the data as compound pages of the dax device's alignment */
			if (join(path, sizeof(path), "%s/%s/align", dir, name))
				continue;
			if (read_u64(path, &align) == 0 && align > 4096 && !(align & (align - 1)))
				pgmap->vmemmap_shift = (uint32_t)__builtin_ctzll(align / 4096);
		}
	}
	closedir(devices);
}

static void read_p2pmem(const char *root, struct zdev_snapshot *snapshot)
{
	char dir[4096], path[4096 + 300];
	struct dirent *entry;
	DIR *devices;

	if (join(dir, sizeof(dir), "%s/sys/bus/pci/devices", root))
		return;
	devices = opendir(dir);
	if (!devices)
		return;
	while ((entry = readdir(devices))) {
		struct zdev_present_pgmap *pgmap;
		uint64_t size;

		if (entry->d_name[0] == '.')
			continue;
		if (join(path, sizeof(path), "%s/%s/p2pmem/size", dir, entry->d_name))
			continue;
		if (!exists(path) || read_u64(path, &size) || !size)
			continue;
		pgmap = add(snapshot);
		if (!pgmap)
			break;
		pgmap->type = ZDEV_PGMAP_P2PDMA;
		copy_name(pgmap->device, sizeof(pgmap->device), entry->d_name);
		pgmap->size_bytes = size;
		pgmap->source = "p2pmem";
	}
	closedir(devices);
}

static void read_iomem(const char *root, struct zdev_snapshot *snapshot)
{
	/* names under which drivers request their device-private memory */
	static const char *const owners[] = { "hmm_dmirror", "nouveau_dmem" };
	char path[4096], line[512];
	FILE *file;

	if (join(path, sizeof(path), "%s/proc/iomem", root))
		return;
	file = fopen(path, "r");
	if (!file)
		return;
	while (fgets(line, sizeof(line), file)) {
		unsigned long long start, end;
		char name[128];

		if (sscanf(line, " %llx-%llx : %127[^\n]", &start, &end, name) != 3)
			continue;
		for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
			struct zdev_present_pgmap *pgmap;

			if (strcmp(name, owners[i]) || end <= start)
				continue;
			pgmap = add(snapshot);
			if (!pgmap)
				break;
			pgmap->type = ZDEV_PGMAP_UNKNOWN; /* private or coherent: iomem does not say */
			copy_name(pgmap->device, sizeof(pgmap->device), name);
			pgmap->range = (struct zdev_range){ start, end };
			pgmap->has_range = 1;
			pgmap->size_bytes = end - start + 1;
			pgmap->source = "iomem";
		}
	}
	fclose(file);
}

int zdev_snapshot_read(const char *root, struct zdev_snapshot *snapshot)
{
	memset(snapshot, 0, sizeof(*snapshot));
	read_nd(root, snapshot);
	read_p2pmem(root, snapshot);
	read_iomem(root, snapshot);
	return 0;
}

uint64_t zdev_mem_total_bytes(const char *root)
{
	unsigned long long kib = 0;
	char path[512], line[256];
	FILE *meminfo;

	snprintf(path, sizeof(path), "%s/proc/meminfo", root);
	meminfo = fopen(path, "r");
	if (!meminfo)
		return 0;
	while (fgets(line, sizeof(line), meminfo))
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			break;
	fclose(meminfo);
	return (uint64_t)kib * 1024;
}
