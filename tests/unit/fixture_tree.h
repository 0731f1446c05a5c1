/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Fixture trees for the readers that take a root folder (snapshot, probe resolution): files written under
 * a temporary root, laid out as procfs, sysfs and tracefs lay them out. For the unit tests (cmocka).
 */
#ifndef ZDEV_TEST_FIXTURE_TREE_H
#define ZDEV_TEST_FIXTURE_TREE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ROOT/RELATIVE holds the LEN bytes at CONTENT, its folders made as needed */
static inline void fixture_put_bytes(const char *root, const char *relative, const void *content, size_t len)
{
	char path[4096], command[8300];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", root, relative);
	snprintf(command, sizeof(command), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(command), 0);
	file = fopen(path, "w");
	assert_non_null(file);
	assert_int_equal(fwrite(content, 1, len, file), len);
	fclose(file);
}

static inline void fixture_put(const char *root, const char *relative, const char *text)
{
	fixture_put_bytes(root, relative, text, strlen(text));
}

#endif /* ZDEV_TEST_FIXTURE_TREE_H */
