/* check_loadmod.c -- loading MPMs from shared objects.
 *
 * Ours (from a build with --enable-mpms-shared) load; Apache's own
 * mod_mpm_*.so are refused before dlopen runs any of their code; other
 * failures carry mod_so's wording (facts from apache2 2.4.71):
 *   Cannot load modules/nonexist.so into server: /usr/lib/apache2/modules/
 *   nonexist.so: cannot open shared object file: No such file or directory
 *   Can't locate API module structure `mpm_foo_module' in file F: F:
 *   undefined symbol: mpm_foo_module */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "mpm.h"

/* ASan's one-definition check is off for the test programs:
 * tests/support/asan_options.c says why. */

static const char *builddir(void)
{
    const char *b = getenv("BUILDDIR");
    return b != NULL && *b ? b : ".";
}

/* Is NAME among the build's shared MPMs? */
static int built_shared(const char *name)
{
    const char *list = getenv("SHARED_MPMS");
    if (list == NULL)
        return 0;
    char buf[256];
    snprintf(buf, sizeof(buf), " %s ", list);
    char want[64];
    snprintf(want, sizeof(want), " %s ", name);
    return strstr(buf, want) != NULL;
}

static const char *const mpm_names[] = {"prefork", "worker", "event"};

START_TEST(our_shared_mpm_loads)
{
    const char *name = mpm_names[_i];
    arena *a = arena_create(0);
    char path[1024], sym[64];
    snprintf(path, sizeof(path), "%s/modules/mod_mpm_%s.so", builddir(), name);
    snprintf(sym, sizeof(sym), "mpm_%s_module", name);
    if (!built_shared(name) || access(path, R_OK) != 0) {
        /* A static-only build has no .so to load: nothing to test. */
        arena_destroy(a);
        return;
    }
    const char *err = NULL;
    const struct mpm_module *m = mpm_load_shared(a, path, sym, &err);
    ck_assert_msg(m != NULL, "%s", err ? err : "");
    ck_assert_ptr_null(err);
    ck_assert_str_eq(m->name, name);
    ck_assert_uint_eq(m->magic, MPM_MAGIC);
    ck_assert_uint_eq(m->abi_version, MPM_ABI_VERSION);
    ck_assert_str_eq(m->module->name, sym);
    ck_assert_ptr_nonnull(m->module->cmds);
    ck_assert_ptr_nonnull(m->run);
    /* the descriptor's own symbol, under another name, is not there */
    const struct mpm_module *wrong =
        mpm_load_shared(a, path, "mpm_foo_module", &err);
    ck_assert_ptr_null(wrong);
    char want[4096];
    snprintf(want, sizeof(want),
             "Can't locate API module structure "
             "`mpm_foo_module' in file %s: %s: undefined symbol: "
             "mpm_foo_module",
             path, path);
    ck_assert_str_eq(err, want);
    arena_destroy(a); /* dlclose through the arena cleanup */
}
END_TEST

START_TEST(apache_modules_are_refused)
{
    const char *name = mpm_names[_i];
    char path[256], sym[64];
    snprintf(path, sizeof(path), "/usr/lib/apache2/modules/mod_mpm_%s.so",
             name);
    snprintf(sym, sizeof(sym), "mpm_%s_module", name);
    if (access(path, R_OK) != 0)
        return; /* apache2 not installed */
    arena *a = arena_create(0);
    const char *err = NULL;
    const struct mpm_module *m =
        mpm_load_shared_as(a, "modules/x.so", path, sym, &err);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(err);
    char want[512];
    snprintf(want, sizeof(want),
             "Cannot load modules/x.so into server: %s "
             "is not an httpd-ng MPM module",
             path);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "Apache") != NULL, "%s", err);
    /* the message names this build's own object for that MPM, if any */
    char own[512];
    snprintf(own, sizeof(own),
             "; this build's own %s MPM is "
             "%s/modules/mod_mpm_%s.so",
             name, HTTPD_PREFIX, name);
    char shared[64];
    snprintf(shared, sizeof(shared), " %s ", HTTPD_SHARED_MPMS);
    char word[32];
    snprintf(word, sizeof(word), " %s ", name);
    size_t el = strlen(err), ol = strlen(own);
    if (strstr(shared, word) != NULL)
        ck_assert_msg(el > ol && strcmp(err + el - ol, own) == 0, "%s", err);
    else
        ck_assert_msg(strstr(err, "this build's own") == NULL, "%s", err);
    arena_destroy(a);
}
END_TEST

START_TEST(missing_file_is_named_as_apache_does)
{
    arena *a = arena_create(0);
    const char *err = NULL;
    ck_assert_ptr_null(mpm_load_shared_as(a, "modules/nonexist.so",
                                          "/nonexistent/modules/nonexist.so",
                                          "mpm_event_module", &err));
    ck_assert_str_eq(err, "Cannot load modules/nonexist.so into server: "
                          "/nonexistent/modules/nonexist.so: cannot open "
                          "shared object file: No such file or directory");
    /* without a separate written form the path is used twice */
    ck_assert_ptr_null(
        mpm_load_shared(a, "/nonexistent/x.so", "mpm_event_module", &err));
    ck_assert_str_eq(err, "Cannot load /nonexistent/x.so into server: "
                          "/nonexistent/x.so: cannot open shared object "
                          "file: No such file or directory");
    arena_destroy(a);
}
END_TEST

/* Files that are not shared objects. */
START_TEST(non_objects)
{
    arena *a = arena_create(0);
    char dir[] = "/tmp/check_loadmodXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char plain[256], marked[256], empty[256];
    snprintf(plain, sizeof(plain), "%s/plain.so", dir);
    snprintf(marked, sizeof(marked), "%s/marked.so", dir);
    snprintf(empty, sizeof(empty), "%s/empty.so", dir);
    FILE *f = fopen(plain, "w");
    fputs("not an object, and long enough to be read as an ELF header "
          "if it were one\n",
          f);
    fclose(f);
    f = fopen(marked, "w");
    fprintf(f, "text with the marker %s but no ELF header\n", MPM_ABI_MARKER);
    fclose(f);
    f = fopen(empty, "w");
    fclose(f);
    const char *err = NULL;

    /* not an ELF object: the dynamic linker refuses it from its header
     * (nothing runs), in its words, as apache2 prints them */
    char want[1024];
    ck_assert_ptr_null(mpm_load_shared(a, plain, "mpm_event_module", &err));
    snprintf(want, sizeof(want),
             "Cannot load %s into server: %s: invalid "
             "ELF header",
             plain, plain);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(mpm_load_shared(a, empty, "mpm_event_module", &err));
    snprintf(want, sizeof(want),
             "Cannot load %s into server: %s: file too "
             "short",
             empty, empty);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(mpm_load_shared(a, marked, "mpm_event_module", &err));
    snprintf(want, sizeof(want), "Cannot load %s into server: %s: ", marked,
             marked);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    /* a directory (apache2: "cannot read file data") */
    ck_assert_ptr_null(mpm_load_shared(a, dir, "mpm_event_module", &err));
    snprintf(want, sizeof(want),
             "Cannot load %s into server: %s: cannot "
             "read file data: Is a directory",
             dir, dir);
    ck_assert_str_eq(err, want);
    /* a bare name that is no file under ServerRoot: Apache leaves it to
     * the dynamic linker's search, which names it as written */
    ck_assert_ptr_null(mpm_load_shared_as(a, "nope.so", "/nonexistent/nope.so",
                                          "mpm_event_module", &err));
    ck_assert_str_eq(err, "Cannot load nope.so into server: nope.so: cannot "
                          "open shared object file: No such file or "
                          "directory");
    ck_assert_str_eq(mpm_shared_file_problem(a, "x", dir),
                     "Cannot load x into server: x: cannot open shared "
                     "object file: No such file or directory");
    ck_assert_ptr_null(mpm_shared_file_problem(a, "modules/mod_mpm_event.so",
                                               "/proc/self/exe"));

    unlink(plain);
    unlink(marked);
    unlink(empty);
    rmdir(dir);
    arena_destroy(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loadmod");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, our_shared_mpm_loads, 0, 3);
    tcase_add_loop_test(tc, apache_modules_are_refused, 0, 3);
    tcase_add_test(tc, missing_file_is_named_as_apache_does);
    tcase_add_test(tc, non_objects);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
