// SPDX-License-Identifier: GPL-2.0
/*
 * p2p-loop: the p2p hot path of the benchmark. LOOPS times: take BYTES of p2p memory from a PCI device's
 * p2pdma pool through its sysfs p2pmem/allocate file (mmap: one genalloc allocation, every page inserted),
 * write one word per page, give it back (munmap: each page freed through the pgmap, one genalloc free per
 * page). Prints pages and seconds on one line: "p2p-loop: PAGES pages in SECONDS s".
 *
 *   p2p-loop PCI_SYSFS_DIR BYTES LOOPS
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned long long bytes, loops;
	char path[4096], *end;
	double start;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: p2p-loop PCI_SYSFS_DIR BYTES LOOPS\n");
		return 2;
	}
	bytes = strtoull(argv[2], &end, 0);
	if (*end || !bytes || bytes % (unsigned long long)page_size) {
		fprintf(stderr, "p2p-loop: BYTES must be a positive multiple of the page size, not '%s'\n", argv[2]);
		return 2;
	}
	loops = strtoull(argv[3], &end, 0);
	if (*end || !loops) {
		fprintf(stderr, "p2p-loop: LOOPS must be a positive number, not '%s'\n", argv[3]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/p2pmem/allocate", argv[1]);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "p2p-loop: cannot open %s: %s (no p2pmem, or a kernel before 6.2)\n", path,
			strerror(errno));
		return 1;
	}
	start = now_s();
	for (unsigned long long i = 0; i < loops; i++) {
		volatile uint64_t *map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (map == MAP_FAILED) {
			fprintf(stderr, "p2p-loop: mmap %llu of %llu bytes: %s\n", i + 1, bytes, strerror(errno));
			close(fd);
			return 1;
		}
		for (size_t word = 0; word < bytes / sizeof(*map); word += page_size / sizeof(*map))
			map[word] = i ^ word;
		munmap((void *)map, bytes);
	}
	printf("p2p-loop: %llu pages in %.6f s\n", loops * (bytes / page_size), now_s() - start);
	close(fd);
	return 0;
}
