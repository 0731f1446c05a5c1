// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: any bytes as a record file, through the whole replay path (parse → decode → model)
 * and both renderers, as `zdevtrace report -r` takes them, and through a paced replay's index of the
 * records (zdevtop -r) played to its end. make fuzz runs it; crashes land in build/fuzz/.
 */
#include <stdint.h>
#include <stdio.h>
#include <json-c/linkhash.h>
#include "zdev/render.h"
#include "zdev/replay.h"
#include "../../src/frontend/run_info.h"

/* json-c seeds its string hash from /dev/urandom, which makes coverage (and so the inputs libFuzzer keeps)
 * differ from run to run; its seedless hash makes make check's fixed-seed fuzzing repeatable */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct zdev_replay replay; /* ~35 KiB: not on the fuzzer's stack */
	static struct zdev_probe_table probes;
	static FILE *sink;
	struct zdev_run_info run;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (zdev_replay_buffer(data, size, &replay) == 0 && replay.model_ready) {
		zdev_replay_run_info(&replay, &probes, &run);
		zdev_render_text(sink, &replay.model, &run);
		zdev_render_json(sink, &replay.model, &run);
	}
	zdev_replay_free(&replay);
	if (zdev_replay_buffer_paced(data, size, &replay) == 0)
		zdev_replay_apply_until(&replay, UINT64_MAX);
	zdev_replay_free(&replay);
	return 0;
}
