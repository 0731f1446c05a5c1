// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The record writer's file handling: it neither overwrites nor follows what it should not, and creates its
 * file 0600.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>
#include "record_files.h"

/* --- the writer's file handling ----------------------------------------------------------------------- */

static void put_text(const char *path, const char *text)
{
	write_whole_file(path, text, strlen(text));
}

static void assert_file_holds(const char *path, const char *text)
{
	struct file_bytes file = read_whole_file(path);

	assert_int_equal(file.len, strlen(text));
	assert_memory_equal(file.data, text, file.len);
	free(file.data);
}

/* what zdev_record_writer_create made at PATH: a regular file holding the file header only */
static void assert_fresh_record(const char *path)
{
	struct file_bytes file = read_whole_file(path);
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(file.len, sizeof(struct zdev_file_header));
	assert_memory_equal(file.data, ZDEV_RECORD_FILE_MAGIC, 8);
	free(file.data);
}

static void writer_refuses_an_existing_file(void **state)
{
	char path[512], error[512] = "", expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "existing.zdev");
	put_text(path, "keep me");
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_non_null(strstr(error, "--force"));
	assert_file_holds(path, "keep me");
}

static void writer_force_replaces_a_regular_file(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], error[512] = "";

	(void)state;
	path_in_temp(path, sizeof(path), "replaced.zdev");
	put_text(path, "an older record, much longer than a file header");
	writer = zdev_record_writer_create(path, 1, error, sizeof(error));
	assert_non_null(writer);
	assert_string_equal(error, "");
	assert_int_equal(zdev_record_writer_bytes(writer), sizeof(struct zdev_file_header));
	zdev_record_writer_abandon(writer);
	assert_fresh_record(path);
}

static void writer_does_not_follow_a_symlink(void **state)
{
	char path[512], target[512], error[512] = "", expected[1024];
	struct stat st;

	(void)state;
	path_in_temp(target, sizeof(target), "symlink-target");
	path_in_temp(path, sizeof(path), "symlink.zdev");
	put_text(target, "keep me");
	assert_int_equal(symlink(target, path), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_file_holds(target, "keep me");
}

static void writer_does_not_create_through_a_dangling_symlink(void **state)
{
	char path[512], target[512], error[512] = "";
	struct stat st;

	(void)state;
	/* O_CREAT alone would create the target wherever the link points */
	path_in_temp(target, sizeof(target), "dangling-target");
	path_in_temp(path, sizeof(path), "dangling.zdev");
	assert_int_equal(symlink(target, path), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	assert_non_null(strstr(error, "--force"));
	assert_int_equal(lstat(target, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void writer_force_replaces_the_symlink_not_its_target(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], target[512], error[512] = "";

	(void)state;
	path_in_temp(target, sizeof(target), "forced-symlink-target");
	path_in_temp(path, sizeof(path), "forced-symlink.zdev");
	put_text(target, "keep me");
	assert_int_equal(symlink(target, path), 0);
	writer = zdev_record_writer_create(path, 1, error, sizeof(error));
	assert_non_null(writer);
	zdev_record_writer_abandon(writer);
	assert_fresh_record(path);
	assert_file_holds(target, "keep me");
}

static void writer_never_replaces_a_directory_or_a_special_file(void **state)
{
	char path[512], error[512], expected[1024];
	struct stat st;

	(void)state;
	path_in_temp(path, sizeof(path), "a-directory");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(zdev_record_writer_create(path, 0, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists: not overwritten (--force replaces it)", path);
	assert_string_equal(error, expected);
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	path_in_temp(path, sizeof(path), "a-fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
	assert_string_equal(error, expected);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));

	/* a device node of our own (never /dev/null: a bug here would unlink it); needs CAP_MKNOD */
	path_in_temp(path, sizeof(path), "a-device");
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
		snprintf(expected, sizeof(expected), "%s exists and is not a regular file: not replaced", path);
		assert_string_equal(error, expected);
		assert_int_equal(lstat(path, &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	} else {
		print_message("no device node test: mknod: %s\n", strerror(errno));
	}
}

static void writer_creates_mode_0600(void **state)
{
	struct zdev_record_writer *writer;
	char path[512], error[512];
	mode_t old_umask = umask(0);
	struct stat st;

	(void)state;
	/* with umask 0 the mode is the writer's own: records tell what a machine's devices are */
	path_in_temp(path, sizeof(path), "mode.zdev");
	writer = zdev_record_writer_create(path, 0, error, sizeof(error));
	umask(old_umask);
	assert_non_null(writer);
	zdev_record_writer_abandon(writer);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void writer_reports_a_missing_directory(void **state)
{
	char path[512], error[512], expected[1024];

	(void)state;
	path_in_temp(path, sizeof(path), "no-such-dir/x.zdev");
	assert_null(zdev_record_writer_create(path, 1, error, sizeof(error)));
	snprintf(expected, sizeof(expected), "cannot create %s: No such file or directory", path);
	assert_string_equal(error, expected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writer_refuses_an_existing_file),
		cmocka_unit_test(writer_force_replaces_a_regular_file),
		cmocka_unit_test(writer_does_not_follow_a_symlink),
		cmocka_unit_test(writer_does_not_create_through_a_dangling_symlink),
		cmocka_unit_test(writer_force_replaces_the_symlink_not_its_target),
		cmocka_unit_test(writer_never_replaces_a_directory_or_a_special_file),
		cmocka_unit_test(writer_creates_mode_0600),
		cmocka_unit_test(writer_reports_a_missing_directory),
	};

	return cmocka_run_group_tests_name("record_writer", tests, make_temp_dir, remove_temp_dir);
}
