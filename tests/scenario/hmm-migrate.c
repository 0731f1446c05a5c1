// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-migrate: the hmm scenario driver. Moves an anonymous buffer to a test_hmm device and back, for real:
 * per round it fills N pages, migrates them to the device (HMM_DMIRROR_MIGRATE_TO_DEV), has the device read
 * them (HMM_DMIRROR_READ), brings them back by CPU touch (a device-private page faults through the pgmap's
 * migrate_to_ram, one page per fault) or by HMM_DMIRROR_MIGRATE_TO_SYS, and checks every word.
 *
 * With -t the buffer is THP-backed (2 MiB aligned, MADV_HUGEPAGE, checked in /proc/self/smaps): from 6.19
 * test_hmm migrates each PMD folio whole (MIGRATE_VMA_SELECT_COMPOUND) and a CPU touch brings a device-private
 * THP back in one fault; older kernels split it and move base pages. The pages test_hmm reports migrated
 * (hmm_dmirror_cmd.cpages) are summed and printed, the driver's own count for the lab to check zdev against.
 *
 * Built against the kernel source's lib/test_hmm_uapi.h (not copied into this repository).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_hmm_uapi.h"

enum return_path { BACK_BY_FAULT, BACK_BY_IOCTL };

struct options {
	const char *device_path;
	unsigned long npages;
	unsigned long rounds;
	enum return_path back;
	bool thp; /* a THP-backed buffer (-t) */
};

/* what test_hmm itself said it moved, summed over the rounds */
struct driver_counts {
	unsigned long long to_device_pages;
	unsigned long long to_ram_pages; /* MIGRATE_TO_SYS only: a CPU fault returns no count */
};

#define PMD_BYTES (2UL << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hmm-migrate [-d DEVICE] [-n PAGES] [-r ROUNDS] [-b fault|ioctl] [-t]\n"
		"  -d DEVICE  test_hmm device (default /dev/hmm_dmirror0: device-private)\n"
		"  -n PAGES   pages per round (default 256)\n"
		"  -r ROUNDS  rounds (default 1)\n"
		"  -b HOW     bring pages back by CPU touch (fault, the default) or by MIGRATE_TO_SYS (ioctl;\n"
		"             needed for device-coherent memory, which the CPU reads without faulting)\n"
		"  -t         a THP-backed buffer (PAGES a multiple of 512): large-folio migrations from 6.19\n");
}

static int parse_options(int argc, char **argv, struct options *opts)
{
	char *end;
	int c;

	*opts = (struct options){ "/dev/hmm_dmirror0", 256, 1, BACK_BY_FAULT, false };
	while ((c = getopt(argc, argv, "d:n:r:b:th")) != -1) {
		switch (c) {
		case 'd':
			opts->device_path = optarg;
			break;
		case 'n':
		case 'r':
			errno = 0;
			unsigned long value = strtoul(optarg, &end, 10);
			if (errno || *end || value == 0) {
				fprintf(stderr, "hmm-migrate: -%c wants a positive number, not '%s'\n", c, optarg);
				return -1;
			}
			if (c == 'n')
				opts->npages = value;
			else
				opts->rounds = value;
			break;
		case 'b':
			if (!strcmp(optarg, "fault")) {
				opts->back = BACK_BY_FAULT;
			} else if (!strcmp(optarg, "ioctl")) {
				opts->back = BACK_BY_IOCTL;
			} else {
				fprintf(stderr, "hmm-migrate: -b wants fault or ioctl, not '%s'\n", optarg);
				return -1;
			}
			break;
		case 't':
			opts->thp = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (opts->thp && opts->npages % 512) {
		fprintf(stderr, "hmm-migrate: -t wants PAGES a multiple of 512 (whole 2 MiB folios), not %lu\n",
			opts->npages);
		return -1;
	}
	return 0;
}

/* AnonHugePages of the mapping that starts at addr, from /proc/self/smaps; -1 when not found */
static long long anon_huge_bytes(const void *addr)
{
	char line[512];
	unsigned long start, end;
	long long kib = -1;
	bool in_vma = false;
	FILE *smaps = fopen("/proc/self/smaps", "r");

	if (!smaps)
		return -1;
	while (fgets(line, sizeof(line), smaps)) {
		/* a mapping's header: "START-END perms ..."; field lines are "Name:   value" */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in_vma = start == (unsigned long)addr;
		else if (in_vma && sscanf(line, "AnonHugePages: %lld kB", &kib) == 1)
			break;
	}
	fclose(smaps);
	return kib < 0 ? -1 : kib * 1024;
}

static int dmirror_cmd(int fd, unsigned long request, void *addr, void *mirror, unsigned long npages,
		       struct hmm_dmirror_cmd *cmd)
{
	*cmd = (struct hmm_dmirror_cmd){ .addr = (uintptr_t)addr, .ptr = (uintptr_t)mirror, .npages = npages };
	while (ioctl(fd, request, cmd) != 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

/* The word at index i of round r: differs per round so that stale data from a previous round shows. */
static uint64_t pattern(unsigned long round, size_t i)
{
	return ((uint64_t)round << 48) ^ (i * 0x9e3779b97f4a7c15ull);
}

static int check_words(const uint64_t *words, size_t nwords, unsigned long round, const char *what)
{
	for (size_t i = 0; i < nwords; i++) {
		if (words[i] != pattern(round, i)) {
			fprintf(stderr, "hmm-migrate: round %lu: %s: word %zu is %#llx, want %#llx\n", round, what,
				i, (unsigned long long)words[i], (unsigned long long)pattern(round, i));
			return -1;
		}
	}
	return 0;
}

static int run_round(int fd, const struct options *opts, unsigned long round, size_t page_size,
		     struct driver_counts *driver)
{
	size_t bytes = opts->npages * page_size, nwords = bytes / sizeof(uint64_t);
	/* a THP buffer is carved 2 MiB aligned out of a mapping one PMD larger */
	size_t map_bytes = opts->thp ? bytes + PMD_BYTES : bytes;
	struct hmm_dmirror_cmd cmd;
	uint64_t *buffer, *mirror = NULL;
	void *map = MAP_FAILED;
	int err = -1, rc;

	map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mirror = malloc(bytes);
	if (map == MAP_FAILED || !mirror) {
		fprintf(stderr, "hmm-migrate: cannot allocate %zu + %zu bytes\n", map_bytes, bytes);
		goto cleanup;
	}
	buffer = map;
	if (opts->thp) {
		uintptr_t aligned = ((uintptr_t)map + PMD_BYTES - 1) & ~(PMD_BYTES - 1);

		/* trim to the aligned part so that smaps shows it as a mapping of its own */
		if (aligned > (uintptr_t)map)
			munmap(map, aligned - (uintptr_t)map);
		munmap((void *)(aligned + bytes), (uintptr_t)map + map_bytes - aligned - bytes);
		map = buffer = (uint64_t *)aligned;
		map_bytes = bytes;
		if (madvise(buffer, bytes, MADV_HUGEPAGE)) {
			fprintf(stderr, "hmm-migrate: MADV_HUGEPAGE: %s (no THP in this kernel?)\n", strerror(errno));
			goto cleanup;
		}
	} else {
		/* base pages: before 6.19 test_hmm moves 4 KiB pages, a THP would be split or skipped */
		madvise(buffer, bytes, MADV_NOHUGEPAGE);
	}
	for (size_t i = 0; i < nwords; i++)
		buffer[i] = pattern(round, i);
	if (opts->thp) {
		long long huge = anon_huge_bytes(buffer);

		if (huge != (long long)bytes) {
			fprintf(stderr, "hmm-migrate: round %lu: %lld of %zu bytes THP-backed (AnonHugePages; "
				"transparent_hugepage=never, or memory too fragmented?)\n", round, huge, bytes);
			goto cleanup;
		}
	}

	rc = dmirror_cmd(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buffer, mirror, opts->npages, &cmd);
	if (rc) {
		fprintf(stderr, "hmm-migrate: round %lu: MIGRATE_TO_DEV: %s\n", round, strerror(-rc));
		goto cleanup;
	}
	if (cmd.cpages != opts->npages) {
		fprintf(stderr, "hmm-migrate: round %lu: %llu of %lu pages reached the device\n", round,
			(unsigned long long)cmd.cpages, opts->npages);
		goto cleanup;
	}
	driver->to_device_pages += cmd.cpages;

	memset(mirror, 0, bytes);
	rc = dmirror_cmd(fd, HMM_DMIRROR_READ, buffer, mirror, opts->npages, &cmd);
	if (rc) {
		fprintf(stderr, "hmm-migrate: round %lu: device READ: %s\n", round, strerror(-rc));
		goto cleanup;
	}
	if (check_words(mirror, nwords, round, "read by the device"))
		goto cleanup;

	if (opts->back == BACK_BY_IOCTL) {
		rc = dmirror_cmd(fd, HMM_DMIRROR_MIGRATE_TO_SYS, buffer, mirror, opts->npages, &cmd);
		if (rc) {
			fprintf(stderr, "hmm-migrate: round %lu: MIGRATE_TO_SYS: %s\n", round, strerror(-rc));
			goto cleanup;
		}
		driver->to_ram_pages += cmd.cpages;
	}
	/* BACK_BY_FAULT: the first read of each page faults it back to RAM */
	if (check_words(buffer, nwords, round, "read by the CPU"))
		goto cleanup;
	err = 0;
cleanup:
	if (map != MAP_FAILED)
		munmap(map, map_bytes);
	free(mirror);
	return err;
}

int main(int argc, char **argv)
{
	struct options opts;
	struct driver_counts driver = { 0 };
	long page_size = sysconf(_SC_PAGESIZE);
	int fd = -1, status = 1;

	if (parse_options(argc, argv, &opts))
		return 2;
	fd = open(opts.device_path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "hmm-migrate: cannot open %s: %s (is test_hmm loaded?)\n", opts.device_path,
			strerror(errno));
		goto cleanup;
	}
	for (unsigned long round = 1; round <= opts.rounds; round++) {
		if (run_round(fd, &opts, round, page_size, &driver))
			goto cleanup;
	}
	printf("hmm-migrate: %s: %lu round(s) of %lu pages%s: to the device, read by the device, back by %s, "
	       "data checked\n", opts.device_path, opts.rounds, opts.npages, opts.thp ? " (THP-backed)" : "",
	       opts.back == BACK_BY_FAULT ? "CPU fault" : "MIGRATE_TO_SYS");
	printf("hmm-migrate: test_hmm cpages: to-device %llu", driver.to_device_pages);
	if (opts.back == BACK_BY_IOCTL)
		printf(" to-ram %llu", driver.to_ram_pages);
	printf("\n");
	status = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return status;
}
