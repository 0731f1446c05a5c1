// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-migrate: the hmm scenario driver. Moves an anonymous buffer to a test_hmm device and back, for real:
 * per round it fills N pages, migrates them to the device (HMM_DMIRROR_MIGRATE_TO_DEV), has the device read
 * them (HMM_DMIRROR_READ), brings them back by CPU touch (a device-private page faults through the pgmap's
 * migrate_to_ram, one page per fault) or by HMM_DMIRROR_MIGRATE_TO_SYS, and checks every word.
 *
 * Built against the kernel source's lib/test_hmm_uapi.h (not copied into this repository).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hmm-migrate [-d DEVICE] [-n PAGES] [-r ROUNDS] [-b fault|ioctl]\n"
		"  -d DEVICE  test_hmm device (default /dev/hmm_dmirror0: device-private)\n"
		"  -n PAGES   pages per round (default 256)\n"
		"  -r ROUNDS  rounds (default 1)\n"
		"  -b HOW     bring pages back by CPU touch (fault, the default) or by MIGRATE_TO_SYS (ioctl;\n"
		"             needed for device-coherent memory, which the CPU reads without faulting)\n");
}

static int parse_options(int argc, char **argv, struct options *opts)
{
	char *end;
	int c;

	*opts = (struct options){ "/dev/hmm_dmirror0", 256, 1, BACK_BY_FAULT };
	while ((c = getopt(argc, argv, "d:n:r:b:h")) != -1) {
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
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
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

static int run_round(int fd, const struct options *opts, unsigned long round, size_t page_size)
{
	size_t bytes = opts->npages * page_size, nwords = bytes / sizeof(uint64_t);
	struct hmm_dmirror_cmd cmd;
	uint64_t *buffer = MAP_FAILED, *mirror = NULL;
	int err = -1, rc;

	buffer = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mirror = malloc(bytes);
	if (buffer == MAP_FAILED || !mirror) {
		fprintf(stderr, "hmm-migrate: cannot allocate 2 x %zu bytes\n", bytes);
		goto cleanup;
	}
	/* base pages: the migration helpers of test_hmm move 4 KiB pages, a THP would be split or skipped */
	madvise(buffer, bytes, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < nwords; i++)
		buffer[i] = pattern(round, i);

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
	}
	/* BACK_BY_FAULT: the first read of each page faults it back to RAM */
	if (check_words(buffer, nwords, round, "read by the CPU"))
		goto cleanup;
	err = 0;
cleanup:
	if (buffer != MAP_FAILED)
		munmap(buffer, bytes);
	free(mirror);
	return err;
}

int main(int argc, char **argv)
{
	struct options opts;
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
		if (run_round(fd, &opts, round, page_size))
			goto cleanup;
	}
	printf("hmm-migrate: %s: %lu round(s) of %lu pages: to the device, read by the device, back by %s, "
	       "data checked\n", opts.device_path, opts.rounds, opts.npages,
	       opts.back == BACK_BY_FAULT ? "CPU fault" : "MIGRATE_TO_SYS");
	status = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return status;
}
