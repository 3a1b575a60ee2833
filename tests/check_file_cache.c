/* check_file_cache.c -- descriptors and small contents kept across
 * requests are reused only while the file is the one stat() saw. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_cache.h"

static char dir[] = "/tmp/check_fc_XXXXXX";
static char path[256];

static void put(const char *p, const char *text)
{
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int open_stat(struct stat *st, void **h, const char **data)
{
    ck_assert_int_eq(stat(path, st), 0);
    return file_cache_open(path, st, h, data);
}

START_TEST(reused_while_unchanged)
{
    put(path, "hello");
    struct stat st;
    void *h1, *h2;
    const char *d1, *d2;
    int fd1 = open_stat(&st, &h1, &d1);
    int fd2 = open_stat(&st, &h2, &d2);
    ck_assert_int_ge(fd1, 0);
    ck_assert_int_eq(fd1, fd2);
    ck_assert_ptr_nonnull(d1);
    ck_assert_mem_eq(d1, "hello", 5);
    file_cache_release(h1, fd1);
    file_cache_release(h2, fd2);
    file_cache_clear();
}
END_TEST

START_TEST(changed_file_is_opened_again)
{
    put(path, "one");
    struct stat st;
    void *h1, *h2, *h3;
    const char *d1, *d2, *d3;
    int fd1 = open_stat(&st, &h1, &d1);
    /* rewritten in place (size changes) */
    put(path, "three");
    int fd2 = open_stat(&st, &h2, &d2);
    ck_assert_ptr_nonnull(d2);
    ck_assert_mem_eq(d2, "three", 5);
    /* the first user still reads its own file */
    ck_assert_mem_eq(d1, "one", 3);
    file_cache_release(h1, fd1);
    /* replaced by rename: another inode */
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    put(tmp, "other");
    ck_assert_int_eq(rename(tmp, path), 0);
    int fd3 = open_stat(&st, &h3, &d3);
    ck_assert_ptr_nonnull(d3);
    ck_assert_mem_eq(d3, "other", 5);
    char buf[8] = {0};
    ck_assert_int_eq(pread(fd3, buf, 5, 0), 5);
    ck_assert_str_eq(buf, "other");
    file_cache_release(h2, fd2);
    file_cache_release(h3, fd3);
    file_cache_clear();
}
END_TEST

START_TEST(stale_stat_is_not_cached)
{
    put(path, "abc");
    struct stat old;
    ck_assert_int_eq(stat(path, &old), 0);
    put(path, "abcdef"); /* changed after the request's stat */
    void *h;
    const char *d;
    int fd = file_cache_open(path, &old, &h, &d);
    ck_assert_int_ge(fd, 0);
    ck_assert_ptr_null(h);
    ck_assert_ptr_null(d);
    file_cache_release(h, fd);
}
END_TEST

/* A file rewritten in place within one timestamp tick stats the same
 * (simulated by handing the first stat again): its content must not have
 * been copied while that fresh, as the copy would be served stale. */
START_TEST(fresh_file_is_not_copied)
{
    file_cache_copy_age = 2;
    put(path, "hello");
    struct stat st;
    void *h1, *h2;
    const char *d1, *d2;
    int fd1 = open_stat(&st, &h1, &d1);
    ck_assert_int_ge(fd1, 0);
    file_cache_release(h1, fd1);
    int fd = open(path, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pwrite(fd, "HELLO", 5, 0), 5);
    close(fd);
    int fd2 = file_cache_open(path, &st, &h2, &d2);
    ck_assert_int_ge(fd2, 0);
    char buf[8] = {0};
    if (d2 != NULL)
        memcpy(buf, d2, 5);
    else
        ck_assert_int_eq(pread(fd2, buf, 5, 0), 5);
    ck_assert_str_eq(buf, "HELLO");
    file_cache_release(h2, fd2);
    file_cache_clear();
    file_cache_copy_age = 0;
}
END_TEST

START_TEST(missing_file_fails)
{
    struct stat st;
    memset(&st, 0, sizeof(st));
    void *h;
    const char *d;
    char p[300];
    snprintf(p, sizeof(p), "%s/none", dir);
    ck_assert_int_eq(file_cache_open(p, &st, &h, &d), -1);
}
END_TEST

int main(void)
{
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/f.txt", dir);
    file_cache_copy_age = 0; /* copy at once, except where a test says */
    Suite *s = suite_create("file_cache");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reused_while_unchanged);
    tcase_add_test(tc, changed_file_is_opened_again);
    tcase_add_test(tc, stale_stat_is_not_cached);
    tcase_add_test(tc, missing_file_fails);
    tcase_add_test(tc, fresh_file_is_not_copied);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        failed++;
    return failed ? 1 : 0;
}
