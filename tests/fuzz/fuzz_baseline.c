// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: any bytes as a baseline file (zdevtrace check --baseline), then the comparison of the
 * baseline with itself and the diff's renderers.
 */
#include <stdint.h>
#include <stdio.h>
#include <json-c/linkhash.h>
#include "zdev/check_verdict.h"
#include "zdev/render.h"

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
	static FILE *sink;
	struct zdev_baseline baseline;
	struct zdev_check_result result;
	struct zdev_check_limits limits = { .max_increase_pct = 5, .time_checked = 1, .max_time_increase_pct = 50,
					    .vmemmap_cap_set = 1, .max_vmemmap_bytes = 1 << 20 };
	char error[256];

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (zdev_baseline_parse((const char *)data, size, &baseline, error, sizeof(error)))
		return 0;
	if (zdev_check_compare(&baseline, &baseline, &limits, &result) == 0) {
		zdev_render_check_text(sink, &result, "fuzz");
		zdev_render_check_junit(sink, &result, "fuzz");
		zdev_check_free(&result);
	}
	zdev_baseline_free(&baseline);
	return 0;
}
