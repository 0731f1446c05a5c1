// SPDX-License-Identifier: GPL-2.0
/*
 * p2pmem-map: takes p2p memory from a PCI device's p2pdma pool from user space, through the sysfs
 * p2pmem/allocate file (Linux 6.2+), writes and checks it, and gives it back. The mmap allocates from the
 * pool's gen_pool directly (one gen_pool_alloc_owner, no pci_alloc_p2pmem); munmap frees it page by page
 * (the pgmap's page_free: one gen_pool_free_owner per page). Prints the pool's "available" at each step.
 *
 *   p2pmem-map PCI_SYSFS_DIR BYTES
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long long read_number(const char *dir, const char *name)
{
	char path[4096], text[64];
	long long value = -1;
	FILE *file;

	snprintf(path, sizeof(path), "%s/p2pmem/%s", dir, name);
	file = fopen(path, "r");
	if (!file)
		return -1;
	if (fgets(text, sizeof(text), file))
		value = strtoll(text, NULL, 0);
	fclose(file);
	return value;
}

int main(int argc, char **argv)
{
	char path[4096];
	unsigned long long bytes;
	long long available_before, available_mapped, available_after;
	uint64_t *map = MAP_FAILED;
	size_t nwords;
	char *end;
	int fd = -1, status = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: p2pmem-map PCI_SYSFS_DIR BYTES\n");
		return 2;
	}
	bytes = strtoull(argv[2], &end, 0);
	if (*end || bytes == 0 || bytes % (unsigned long long)sysconf(_SC_PAGESIZE)) {
		fprintf(stderr, "p2pmem-map: BYTES must be a positive multiple of the page size, not '%s'\n", argv[2]);
		return 2;
	}
	nwords = bytes / sizeof(uint64_t);
	snprintf(path, sizeof(path), "%s/p2pmem/allocate", argv[1]);
	available_before = read_number(argv[1], "available");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "p2pmem-map: cannot open %s: %s (no p2pmem, or a kernel before 6.2)\n", path,
			strerror(errno));
		goto cleanup;
	}
	map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "p2pmem-map: mmap of %llu bytes from %s: %s\n", bytes, path, strerror(errno));
		goto cleanup;
	}
	available_mapped = read_number(argv[1], "available");
	for (size_t i = 0; i < nwords; i++)
		map[i] = i ^ 0x5a5a5a5a5a5a5a5aull;
	for (size_t i = 0; i < nwords; i++) {
		if (map[i] != (i ^ 0x5a5a5a5a5a5a5a5aull)) {
			fprintf(stderr, "p2pmem-map: word %zu of the p2p memory did not keep what was written\n", i);
			goto cleanup;
		}
	}
	munmap(map, bytes);
	map = MAP_FAILED;
	available_after = read_number(argv[1], "available");
	printf("p2pmem-map: %llu bytes (%llu pages) mapped, written, checked, unmapped; "
	       "available %lld -> %lld -> %lld\n", bytes, bytes / (unsigned long long)sysconf(_SC_PAGESIZE),
	       available_before, available_mapped, available_after);
	status = 0;
cleanup:
	if (map != MAP_FAILED)
		munmap(map, bytes);
	if (fd >= 0)
		close(fd);
	return status;
}
