/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The live record source (zdev/source.h) of both front ends: the session (zdev/session.h) as a backend,
 * its records into the source's model. Thin on purpose: attaching, polling and counting are the session's.
 */
#ifndef ZDEV_SOURCE_LIVE_H
#define ZDEV_SOURCE_LIVE_H

#include <stddef.h>
#include "zdev/session.h"
#include "zdev/source.h"

struct zdev_source_live_options {
	int snapshot;       /* the pgmaps present at start into the model (sysfs, /proc/iomem) */
	/* each record as the ring buffer gave it, before the model takes it (zdevtrace -w); may be NULL */
	zdev_record_fn tap;
	void *tap_ctx;
};

/* Opens the session and a model of this kernel's geometry: NULL with one line in `error` when the session
 * cannot be opened or no probe attaches. */
struct zdev_source *zdev_source_open_live(const struct zdev_session_options *session_options,
					  const struct zdev_source_live_options *options, char *error, size_t error_len);
/* the live source's session (its probe table, counters, page-use flush); NULL for a file */
struct zdev_session *zdev_source_session(struct zdev_source *source);

#endif /* ZDEV_SOURCE_LIVE_H */
