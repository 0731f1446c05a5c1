/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A replay's run context (kernel, duration, probe table) as the renderers take it (zdev/render.h). */
#ifndef ZDEV_RUN_INFO_H
#define ZDEV_RUN_INFO_H

#include "zdev/render.h"
#include "zdev/replay.h"
#include "zdev/session.h"

/* fills `probes` from the file's probe rows (the first ZDEV_HOOK_COUNT) and `run`, which points into
 * `replay` and `probes` */
void zdev_replay_run_info(const struct zdev_replay *replay, struct zdev_probe_table *probes, struct zdev_run_info *run);

#endif /* ZDEV_RUN_INFO_H */
