// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rusage: runs CMD and prints what it cost, as one JSON object on stderr (or appended to -o FILE):
 * {"wall_s":…,"user_s":…,"sys_s":…,"maxrss_kb":…,"status":…}. maxrss is the peak resident set of CMD or of
 * the largest of its waited-for children (getrusage semantics).
 *
 *   rusage [-o FILE] -- CMD [ARGS...]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static double seconds(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL;
	struct timespec t0, t1;
	struct rusage usage;
	FILE *out = stderr;
	int status, arg = 1;
	pid_t pid;

	if (arg + 1 < argc && !strcmp(argv[arg], "-o")) {
		out_path = argv[arg + 1];
		arg += 2;
	}
	if (arg < argc && !strcmp(argv[arg], "--"))
		arg++;
	if (arg >= argc) {
		fprintf(stderr, "usage: rusage [-o FILE] -- CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[arg], argv + arg);
		fprintf(stderr, "rusage: cannot run %s: %s\n", argv[arg], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &usage) < 0) {
		if (errno != EINTR) {
			perror("rusage: wait4");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (out_path && !(out = fopen(out_path, "a"))) {
		fprintf(stderr, "rusage: cannot open %s: %s\n", out_path, strerror(errno));
		out = stderr;
	}
	fprintf(out, "{\"wall_s\":%.6f,\"user_s\":%.6f,\"sys_s\":%.6f,\"maxrss_kb\":%ld,\"status\":%d}\n",
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, seconds(usage.ru_utime),
		seconds(usage.ru_stime), usage.ru_maxrss,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (out != stderr)
		fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
