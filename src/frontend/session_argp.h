/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The options that choose how the probes attach, shared by zdevtrace and zdevtop as an argp child: its input
 * is a struct zdev_session_options (state->child_inputs[i] in the parent's ARGP_KEY_INIT). */
#ifndef ZDEV_SESSION_ARGP_H
#define ZDEV_SESSION_ARGP_H

#include <argp.h>
#include "zdev/session.h"

extern const struct argp zdev_session_argp;

#endif /* ZDEV_SESSION_ARGP_H */
