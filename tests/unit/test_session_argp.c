// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The probe options (src/frontend/session_argp.c) as both front ends parse them: --disable and --enable repeat
 * and add up, names are checked, and the first probe option given is known (a replay refuses it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../../src/frontend/session_argp.h"

static error_t parse_parent(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key == ARGP_KEY_INIT)
		state->child_inputs[0] = state->input;
	return ARGP_ERR_UNKNOWN;
}

/* argv after the program name; 0, or argp's error */
static int parse(struct zdev_session_options *options, int argc, char **argv)
{
	static const struct argp_child children[] = { { &zdev_session_argp, 0, NULL, 0 }, { 0 } };
	struct argp argp = { NULL, parse_parent, NULL, NULL, children, NULL, NULL };

	memset(options, 0, sizeof(*options));
	/* no exit and no message on an error: the test looks at the result */
	return argp_parse(&argp, argc, argv, ARGP_NO_EXIT | ARGP_NO_ERRS | ARGP_NO_HELP, NULL, options);
}

static void disable_and_enable_accumulate(void **state)
{
	char *argv[] = { "zdevtrace", "--disable", "memremap_pages", "--enable", "gen_pool_free_owner",
			 "--disable", "zone_device_page_init,free_zone_device_folio", NULL };
	struct zdev_session_options options;

	(void)state;
	assert_int_equal(parse(&options, 7, argv), 0);
	assert_string_equal(options.disabled, "memremap_pages,zone_device_page_init,free_zone_device_folio");
	assert_string_equal(options.enabled, "gen_pool_free_owner");
	assert_string_equal(options.option_given, "disable");
}

static void unknown_probes_are_refused(void **state)
{
	char *typo[] = { "zdevtrace", "--disable", "memremap_pages,memremap_page", NULL };
	char *empty[] = { "zdevtrace", "--disable", "memremap_pages,", NULL };
	char *on_anyway[] = { "zdevtrace", "--enable", "memremap_pages", NULL };
	char *unknown_enable[] = { "zdevtrace", "--enable", "gen_pool_free", NULL };
	struct zdev_session_options options;

	(void)state;
	assert_int_not_equal(parse(&options, 3, typo), 0);
	assert_int_not_equal(parse(&options, 3, empty), 0);
	assert_int_not_equal(parse(&options, 3, on_anyway), 0);
	assert_int_not_equal(parse(&options, 3, unknown_enable), 0);
}

static void no_probe_option_given(void **state)
{
	char *argv[] = { "zdevtop", NULL };
	char *verbose[] = { "zdevtop", "-v", NULL };
	struct zdev_session_options options;

	(void)state;
	assert_int_equal(parse(&options, 1, argv), 0);
	assert_null(options.option_given);
	assert_int_equal(parse(&options, 2, verbose), 0);
	assert_string_equal(options.option_given, "verbose");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: the lists are the parser's own and only grow */
		cmocka_unit_test(disable_and_enable_accumulate),
		cmocka_unit_test(unknown_probes_are_refused),
		cmocka_unit_test(no_probe_option_given),
	};

	return cmocka_run_group_tests_name("session_argp", tests, NULL, NULL);
}
