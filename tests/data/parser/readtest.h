/* readtest.h -- shared fixture for the parser and read-phase suites
 * (check_lexer, check_parser, check_include, check_vars, check_readphase).
 *
 * Each test gets a fresh temporary directory (mkdtemp) to write its
 * configuration files in, so the suites run from any build directory, and
 * a diagnostics sink that records what was reported.  The expected texts
 * in the suites were recorded from apache2 -t (Debian, Apache 2.4.71); a
 * read-time error there prints as "apache2: Syntax error on line N of
 * FILE: MESSAGE", and the suites compare N, FILE and MESSAGE.
 */
#ifndef TEST_READTEST_H
#define TEST_READTEST_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "parser.h"
#include "readphase.h"

#define RT_MAX_DIAG 64

typedef struct rt_diag {
    enum diag_severity severity;
    enum diag_phase phase;
    char file[512];
    int line;
    char message[32768];
    char module[32];
} rt_diag;

static rt_diag rt_diags[RT_MAX_DIAG];
static int rt_ndiags;
static char rt_dir[256];

static __attribute__((unused)) void rt_emit(diag_sink *sink,
                                            const struct diag *d)
{
    (void)sink;
    if (rt_ndiags >= RT_MAX_DIAG)
        return;
    rt_diag *r = &rt_diags[rt_ndiags++];
    r->severity = d->severity;
    r->phase = d->phase;
    snprintf(r->file, sizeof(r->file), "%s", d->file ? d->file : "");
    r->line = d->line;
    snprintf(r->message, sizeof(r->message), "%s", d->message);
    snprintf(r->module, sizeof(r->module), "%s", d->module ? d->module : "");
}

static __attribute__((unused)) void rt_rmtree(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

static __attribute__((unused)) void rt_setup(void)
{
    rt_ndiags = 0;
    memset(rt_diags, 0, sizeof(rt_diags));
    snprintf(rt_dir, sizeof(rt_dir), "/tmp/httpd-ng-readtest.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rt_dir));
}

static __attribute__((unused)) void rt_teardown(void)
{
    rt_rmtree(rt_dir);
}

/* Path inside the test directory (static buffer rotation). */
static __attribute__((unused)) const char *rt_path(const char *rel)
{
    static char bufs[8][700];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, 700, "%s/%s", rt_dir, rel);
    return b;
}

/* Write a file (creating parent directories) with printf-style text. */
static __attribute__((unused)) void rt_write(const char *rel, const char *fmt,
                                             ...)
    __attribute__((format(printf, 2, 3)));
static __attribute__((unused)) void rt_write(const char *rel, const char *fmt,
                                             ...)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/%s", rt_dir, rel);
    for (char *p = path + strlen(rt_dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* The first error recorded, or NULL. */
static __attribute__((unused)) const rt_diag *rt_first_error(void)
{
    for (int i = 0; i < rt_ndiags; i++)
        if (rt_diags[i].severity == DIAG_ERROR)
            return &rt_diags[i];
    return NULL;
}

static __attribute__((unused)) const rt_diag *
rt_find_warning(const char *needle)
{
    for (int i = 0; i < rt_ndiags; i++)
        if (rt_diags[i].severity == DIAG_WARNING &&
            strstr(rt_diags[i].message, needle) != NULL)
            return &rt_diags[i];
    return NULL;
}

/* Run the read phase on rel (in the test dir, ServerRoot = the test dir). */
typedef struct rt_run {
    resolved_config rc;
    conf_node *tree;
    diag_sink sink;
} rt_run;

static __attribute__((unused)) void rt_read_opts(rt_run *r, const char *rel,
                                                 int keep_going,
                                                 const char *const *defines,
                                                 const char *const *pre,
                                                 const char *const *post)
{
    memset(r, 0, sizeof(*r));
    r->rc.arena = arena_create(0);
    r->sink.emit = rt_emit;
    r->sink.keep_going = keep_going;
    conf_options o = {
        .argv0 = "httpd",
        .server_root = rt_dir,
        .conf_file = rt_path(rel),
        .defines = defines,
        .pre_directives = pre,
        .post_directives = post,
    };
    r->tree = conf_read(&r->rc, &o, &r->sink);
}

static __attribute__((unused)) void rt_read(rt_run *r, const char *rel)
{
    rt_read_opts(r, rel, 0, NULL, NULL, NULL);
}

static __attribute__((unused)) void rt_done(rt_run *r)
{
    arena_destroy(r->rc.arena);
}

/* Count the directives named name anywhere in the tree (iterative). */
static __attribute__((unused)) int rt_count(const conf_node *root,
                                            const char *name)
{
    int n = 0;
    const conf_node *c = root ? root->first_child : NULL;
    while (c != NULL) {
        if (c->name && strcasecmp(c->name, name) == 0)
            n++;
        if (c->first_child) {
            c = c->first_child;
            continue;
        }
        while (c != root && c->next == NULL)
            c = c->parent;
        c = c == root ? NULL : c->next;
    }
    return n;
}

/* Names of the top-level nodes, joined by ' '. */
static __attribute__((unused)) const char *rt_names(const conf_node *root)
{
    static char buf[4096];
    size_t len = 0;
    buf[0] = '\0';
    for (const conf_node *c = root ? root->first_child : NULL; c; c = c->next)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
                                len ? " " : "", c->name);
    return buf;
}

#endif
