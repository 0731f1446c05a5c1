// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include <sys/signalfd.h>
#include "zdev/signals.h"

int zdev_signal_fd(int with_child, sigset_t *blocked)
{
	sigemptyset(blocked);
	sigaddset(blocked, SIGINT);
	sigaddset(blocked, SIGTERM);
	sigaddset(blocked, SIGHUP);
	if (with_child)
		sigaddset(blocked, SIGCHLD);
	sigprocmask(SIG_BLOCK, blocked, NULL);
	/* a shell starts background jobs with SIGINT ignored, and an ignored signal never reaches the
	 * descriptor: a kill -INT must still stop us (SIGHUP keeps what it was given: nohup means it) */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return signalfd(-1, blocked, SFD_CLOEXEC);
}
