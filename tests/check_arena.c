/* check_arena.c -- the region allocator. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

START_TEST(alloc_is_aligned_and_distinct)
{
    arena *a = arena_create(64);
    char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
    ck_assert_ptr_ne(p, q);
    ck_assert_uint_eq((uintptr_t)p % 16, 0);
    ck_assert_uint_eq((uintptr_t)q % 16, 0);
    /* larger than a block */
    char *big = arena_alloc(a, 1000);
    memset(big, 'x', 1000);
    ck_assert_int_eq(big[999], 'x');
    arena_destroy(a);
}
END_TEST

START_TEST(strings)
{
    arena *a = arena_create(0);
    ck_assert_str_eq(arena_strdup(a, "abc"), "abc");
    ck_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
    ck_assert_str_eq(arena_printf(a, "%d-%s", 42, "x"), "42-x");
    ck_assert_str_eq(arena_strcat(a, "a", "bc", "", "d", (char *)NULL), "abcd");
    ck_assert_ptr_null(arena_strdup(a, NULL));
    arena_destroy(a);
}
END_TEST

static int cleanup_runs;
static void count_cleanup(void *p)
{
    (void)p;
    cleanup_runs++;
}

START_TEST(reset_runs_cleanups_and_reuses)
{
    arena *a = arena_create(128);
    cleanup_runs = 0;
    arena_cleanup(a, count_cleanup, NULL);
    for (int i = 0; i < 100; i++)
        arena_alloc(a, 100);
    ck_assert_uint_ge(arena_bytes_used(a), 100 * 100);
    arena_reset(a);
    ck_assert_int_eq(cleanup_runs, 1);
    ck_assert_uint_eq(arena_bytes_used(a), 0);
    arena_alloc(a, 10);
    arena_destroy(a);
    ck_assert_int_eq(cleanup_runs, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, alloc_is_aligned_and_distinct);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, reset_runs_cleanups_and_reuses);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
