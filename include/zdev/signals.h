/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The front ends' stop signals, as a descriptor to poll: no handler, no global flag. */
#ifndef ZDEV_SIGNALS_H
#define ZDEV_SIGNALS_H

#include <signal.h>

/* blocks SIGINT, SIGTERM, SIGHUP (and SIGCHLD when with_child) into `blocked` and returns a signalfd for
 * them, or -1 with errno set. SIGINT and SIGTERM are made deliverable even if ignored at start. */
int zdev_signal_fd(int with_child, sigset_t *blocked);

#endif /* ZDEV_SIGNALS_H */
