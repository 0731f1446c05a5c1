/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The model the model's unit tests start from: empty, in x86_64's geometry (records.h), freed after. */
#ifndef ZDEV_TEST_MODEL_FIXTURE_H
#define ZDEV_TEST_MODEL_FIXTURE_H

#include "records.h"

static inline int model_setup(void **state)
{
	static struct zdev_model model;

	assert_int_equal(zdev_model_init(&model, &x86_64_geometry), 0);
	*state = &model;
	return 0;
}

static inline int model_teardown(void **state)
{
	zdev_model_free(*state);
	return 0;
}

#endif
