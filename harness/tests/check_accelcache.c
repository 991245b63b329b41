/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_accelcache.c - the memo that KVM hung (harness/guest/accelcache):
 * remembered, said with why and until when, forgotten when KVM answers,
 * expired after a day, and another kernel or qemu does not share it.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accelcache.h"
#include "testutil.h"

static char kernel[PATH_MAX], qemu[PATH_MAX], cache[PATH_MAX];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* Set path's modification time seconds_ago in the past. */
static void
age(const char *path, time_t seconds_ago)
{
	struct timespec times[2];

	times[0].tv_sec = times[1].tv_sec = time(NULL) - seconds_ago;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void
setup(void)
{
	test_tmpdir_setup();
	test_tmpdir_path(kernel, sizeof(kernel), "vmlinuz");
	test_tmpdir_path(qemu, sizeof(qemu), "qemu");
	/* A directory not there yet: remembering makes it. */
	test_tmpdir_path(cache, sizeof(cache), "cache");
	write_file(kernel, "a kernel image");
	write_file(qemu, "a qemu binary");
}

START_TEST(remembered_then_forgotten)
{
	struct accelcache ac;
	char note[512], err[256];

	accelcache_init(&ac, cache, kernel, "6.1.0-57-cloud-amd64", qemu);
	ck_assert_str_ne(ac.path, "");
	ck_assert(strncmp(ac.path, cache, strlen(cache)) == 0);
	ck_assert(!accelcache_kvm_hung(&ac, note, sizeof(note)));
	ck_assert_int_eq(accelcache_remember(&ac, "no sign of life within 2000 ms", err,
	    sizeof(err)), 0);
	ck_assert(accelcache_kvm_hung(&ac, note, sizeof(note)));
	ck_assert_msg(strstr(note, "no sign of life within 2000 ms; remembered in ") == note,
	    "note: %s", note);
	ck_assert_msg(strstr(note, ac.path) != NULL && strstr(note, " until ") != NULL,
	    "note: %s", note);
	/* KVM answered (--accel kvm): auto tries it again. */
	ck_assert_int_eq(accelcache_forget(&ac, err, sizeof(err)), 0);
	ck_assert(!accelcache_kvm_hung(&ac, note, sizeof(note)));
	ck_assert_int_eq(accelcache_forget(&ac, err, sizeof(err)), 0);
}
END_TEST

START_TEST(expires)
{
	struct accelcache ac;
	char note[512], err[256];

	accelcache_init(&ac, cache, kernel, "6.1", qemu);
	ck_assert_int_eq(accelcache_remember(&ac, "hung", err, sizeof(err)), 0);
	age(ac.path, ACCELCACHE_TTL_S - 600);
	ck_assert(accelcache_kvm_hung(&ac, note, sizeof(note)));
	age(ac.path, ACCELCACHE_TTL_S + 1);
	ck_assert(!accelcache_kvm_hung(&ac, note, sizeof(note)));
}
END_TEST

START_TEST(keyed_by_kernel_and_qemu)
{
	struct accelcache ac, other;
	char note[512], err[256];

	accelcache_init(&ac, cache, kernel, "6.1", qemu);
	ck_assert_int_eq(accelcache_remember(&ac, "hung", err, sizeof(err)), 0);
	/* Another release of the same image path. */
	accelcache_init(&other, cache, kernel, "6.6", qemu);
	ck_assert_str_ne(other.path, ac.path);
	ck_assert(!accelcache_kvm_hung(&other, note, sizeof(note)));
	/* qemu upgraded: its binary changed. */
	write_file(qemu, "another qemu binary");
	accelcache_init(&other, cache, kernel, "6.1", qemu);
	ck_assert_str_ne(other.path, ac.path);
	ck_assert(!accelcache_kvm_hung(&other, note, sizeof(note)));
	/* The kernel image replaced. */
	accelcache_init(&ac, cache, kernel, "6.1", qemu);
	ck_assert_int_eq(accelcache_remember(&ac, "hung", err, sizeof(err)), 0);
	write_file(kernel, "a rebuilt kernel image");
	accelcache_init(&other, cache, kernel, "6.1", qemu);
	ck_assert(!accelcache_kvm_hung(&other, note, sizeof(note)));
}
END_TEST

START_TEST(nothing_to_key)
{
	struct accelcache ac;
	char note[512], err[256], missing[PATH_MAX];

	/* An unreadable input: no memo, remembering is a no-op. */
	test_tmpdir_path(missing, sizeof(missing), "no-such-qemu");
	accelcache_init(&ac, cache, kernel, "6.1", missing);
	ck_assert_str_eq(ac.path, "");
	ck_assert_int_eq(accelcache_remember(&ac, "hung", err, sizeof(err)), 0);
	ck_assert(!accelcache_kvm_hung(&ac, note, sizeof(note)));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("accelcache");
	TCase *tc = tcase_create("memo");

	tcase_add_checked_fixture(tc, setup, test_tmpdir_teardown);
	tcase_add_test(tc, remembered_then_forgotten);
	tcase_add_test(tc, expires);
	tcase_add_test(tc, keyed_by_kernel_and_qemu);
	tcase_add_test(tc, nothing_to_key);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
