// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A replay's run context for the renderers (see run_info.h). */
#include <string.h>
#include "run_info.h"

_Static_assert(ZDEV_HOOK_COUNT <= ZDEV_REPLAY_MAX_PROBES, "a replay keeps fewer probe rows than this build has hooks");

void zdev_replay_run_info(const struct zdev_replay *replay, struct zdev_probe_table *probes, struct zdev_run_info *run)
{
	for (int i = 0; i < ZDEV_HOOK_COUNT; i++) {
		const struct zdev_file_probe *file_row = &replay->probe_rows[i];
		struct zdev_probe_row *row = &probes->rows[i];

		row->function = file_row->function;
		row->feeds = file_row->feeds;
		row->mode = file_row->mode;
		memcpy(row->why, file_row->why, sizeof(row->why) - 1);
		row->why[sizeof(row->why) - 1] = '\0';
	}
	memset(run, 0, sizeof(*run));
	run->kernel_release = replay->meta.kernel_release;
	run->traced_seconds = replay->end.traced_ns / 1e9;
	run->probes = replay->has_probes ? probes : NULL;
	run->ring_buffer_bytes = (uint32_t)replay->meta.ring_buffer_bytes;
}
