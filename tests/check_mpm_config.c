/* check_mpm_config.c -- MPM directive tables and clamping.
 *
 * Golden texts recorded from Debian's apache2 2.4.71:
 *   startup:  `apache2 -d /usr/lib/apache2 -f F -t` (stderr lines)
 *   restart:  the error log after SIGHUP with the new values in F
 * Each case sets directives through the MPM's own table, runs its
 * check_config and compares every warning and the resulting numbers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mpm_config.h"
#include "mpm.h"

extern const struct mpm_module mpm_prefork_module, mpm_worker_module,
    mpm_event_module;

/* ---- a sink that keeps the messages ---------------------------------- */

struct captured {
    char text[4096];
    int n;
    int global, log;
};

static void capture(diag_sink *sink, const struct diag *d)
{
    struct captured *c = sink->ctx;
    size_t len = strlen(c->text);
    snprintf(c->text + len, sizeof(c->text) - len, "%s%s\n",
             d->phase == DIAG_LOG ? "[log] " : "", d->message);
    c->n++;
    if (d->phase == DIAG_GLOBAL)
        c->global++;
    if (d->phase == DIAG_LOG)
        c->log++;
}

static const struct mpm_module *mpm_named(const char *name)
{
    if (strcmp(name, "prefork") == 0)
        return &mpm_prefork_module;
    if (strcmp(name, "worker") == 0)
        return &mpm_worker_module;
    return &mpm_event_module;
}

static const command_rec *find_cmd(const struct mpm_module *m, const char *name)
{
    for (const command_rec *c = m->module->cmds; c->name != NULL; c++)
        if (strcasecmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* Apply "Name value\nName value" through the MPM's table. */
static const char *apply(resolved_config *rc, const struct mpm_module *m,
                         const char *directives)
{
    char *copy = arena_strdup(rc->arena, directives);
    int lineno = 0;
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64], value[64];
        lineno++;
        if (sscanf(line, "%63s %63s", name, value) != 2)
            continue;
        const command_rec *cmd = find_cmd(m, name);
        if (cmd == NULL)
            return arena_printf(rc->arena, "no %s in %s", name, m->name);
        cmd_parms parms = {0};
        parms.arena = parms.temp = rc->arena;
        parms.cmd = cmd;
        parms.module = m->module;
        parms.node =
            conf_node_new(rc->arena, name, value, "test.conf", lineno, 1);
        parms.rc = rc;
        parms.override = RSRC_CONF | OR_ALL;
        char *argv[] = {value, NULL};
        const char *err = cmd->fn(&parms, NULL, 1, argv);
        if (err != NULL)
            return err;
    }
    return NULL;
}

struct clamp_case {
    const char *mpm;
    int restart; /* run as a restart after a first start */
    const char *directives;
    const char *warnings; /* expected messages, one per line */
    int start, server_limit, max_workers, threads, thread_limit, min_spare,
        max_spare; /* -1: not compared */
};

#define NA -1
static const struct clamp_case cases[] = {
    /* prefork, startup shapes */
    {"prefork", 0, "", "", 5, 256, 256, NA, NA, 5, 10},
    {"prefork", 0, "ServerLimit 1\nMaxRequestWorkers 300\nStartServers 500",
     "AH00180: WARNING: MaxRequestWorkers of 300 exceeds ServerLimit value "
     "of 1 servers, decreasing MaxRequestWorkers to 1. To increase, please "
     "see the ServerLimit directive.\n",
     500, 1, 1, NA, NA, NA, NA},
    {"prefork", 0, "ServerLimit 0",
     "AH00177: WARNING: ServerLimit of 0 not allowed, increasing to 1.\n"
     "AH00180: WARNING: MaxRequestWorkers of 256 exceeds ServerLimit value "
     "of 1 servers, decreasing MaxRequestWorkers to 1. To increase, please "
     "see the ServerLimit directive.\n",
     NA, 1, 1, NA, NA, NA, NA},
    {"prefork", 0, "ServerLimit 300000",
     "AH00175: WARNING: ServerLimit of 300000 exceeds compile-time limit of "
     "200000 servers, decreasing to 200000.\n",
     NA, 200000, 256, NA, NA, NA, NA},
    {"prefork", 0, "ServerLimit 100000", "", NA, 100000, 256, NA, NA, NA, NA},
    {"prefork", 0, "MaxRequestWorkers 0",
     "AH00182: WARNING: MaxRequestWorkers of 0 not allowed, increasing to "
     "1.\n",
     NA, 256, 1, NA, NA, NA, NA},
    {"prefork", 0, "MinSpareServers 0",
     "AH00186: WARNING: MinSpareServers of 0 not allowed, increasing to 1 "
     "to avoid almost certain server failure. Please read the "
     "documentation.\n",
     NA, NA, NA, NA, NA, 1, 10},
    {"prefork", 0, "StartServers abc",
     "AH00184: WARNING: StartServers of 0 not allowed, increasing to 1.\n", 1,
     NA, NA, NA, NA, NA, NA},
    {"prefork", 0, "StartServers -5",
     "AH00184: WARNING: StartServers of -5 not allowed, increasing to 1.\n", 1,
     NA, NA, NA, NA, NA, NA},
    {"prefork", 0, "StartServers 5x", "", 5, NA, NA, NA, NA, NA, NA},
    {"prefork", 0, "MaxRequestWorkers 300\nServerLimit 200",
     "AH00180: WARNING: MaxRequestWorkers of 300 exceeds ServerLimit value "
     "of 200 servers, decreasing MaxRequestWorkers to 200. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 200, 200, NA, NA, NA, NA},
    {"prefork", 0, "MaxClients 30", "", NA, 256, 30, NA, NA, NA, NA},
    {"prefork", 0, "MinSpareServers 10\nMaxSpareServers 5", "", NA, NA, NA, NA,
     NA, 10, 11},
    /* prefork, restart shapes (first start had the defaults) */
    {"prefork", 1,
     "MaxRequestWorkers 300\nServerLimit 200\nStartServers 0\n"
     "MinSpareServers 0",
     "[log] AH00179: changing ServerLimit to 200 from original value of 256 "
     "not allowed during restart\n"
     "[log] AH00181: MaxRequestWorkers of 300 exceeds ServerLimit value of "
     "256, decreasing to match\n"
     "[log] AH00185: StartServers of 0 not allowed, increasing to 1\n"
     "[log] AH00187: MinSpareServers of 0 not allowed, increasing to 1\n",
     1, 256, 256, NA, NA, 1, NA},
    {"prefork", 1, "ServerLimit 0\nMaxRequestWorkers 0",
     "[log] AH00178: ServerLimit of 0 not allowed, increasing to 1\n"
     "[log] AH00179: changing ServerLimit to 1 from original value of 256 "
     "not allowed during restart\n"
     "[log] AH00183: MaxRequestWorkers of 0 not allowed, increasing to 1\n",
     NA, 256, 1, NA, NA, NA, NA},
    {"prefork", 1, "ServerLimit 300000",
     "[log] AH00176: ServerLimit of 300000 exceeds compile-time limit of "
     "200000, decreasing to match\n"
     "[log] AH00179: changing ServerLimit to 200000 from original value of "
     "256 not allowed during restart\n",
     NA, 256, NA, NA, NA, NA, NA},

    /* worker, startup */
    {"worker", 0, "", "", 3, 16, 400, 25, 64, 75, 250},
    {"worker", 0, "ServerLimit 30000",
     "AH00300: WARNING: ServerLimit of 30000 exceeds compile-time limit of "
     "20000 servers, decreasing to 20000.\n",
     NA, 20000, 400, NA, NA, NA, NA},
    {"worker", 0, "ServerLimit 0",
     "AH00302: WARNING: ServerLimit of 0 not allowed, increasing to 1.\n"
     "AH00318: WARNING: MaxRequestWorkers of 400 would require 16 servers "
     "and would exceed ServerLimit of 1, decreasing to 25. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 1, 25, NA, NA, NA, NA},
    {"worker", 0, "ThreadLimit 30000",
     "AH00305: WARNING: ThreadLimit of 30000 exceeds compile-time limit of "
     "20000 threads, decreasing to 20000.\n",
     NA, NA, 400, 25, 20000, NA, NA},
    {"worker", 0, "ThreadLimit 0",
     "AH00307: WARNING: ThreadLimit of 0 not allowed, increasing to 1.\n"
     "AH00310: WARNING: ThreadsPerChild of 25 exceeds ThreadLimit of 1 "
     "threads, decreasing to 1. To increase, please see the ThreadLimit "
     "directive.\n"
     "AH00318: WARNING: MaxRequestWorkers of 400 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 16. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 16, 16, 1, 1, NA, NA},
    {"worker", 0, "ThreadsPerChild 100",
     "AH00310: WARNING: ThreadsPerChild of 100 exceeds ThreadLimit of 64 "
     "threads, decreasing to 64. To increase, please see the ThreadLimit "
     "directive.\n"
     "AH00316: WARNING: MaxRequestWorkers of 400 is not an integer multiple "
     "of ThreadsPerChild of 64, decreasing to nearest multiple 384, for a "
     "maximum of 6 servers.\n",
     NA, NA, 384, 64, 64, NA, NA},
    {"worker", 0, "ThreadsPerChild 0",
     "AH00312: WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.\n"
     "AH00318: WARNING: MaxRequestWorkers of 400 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 16. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 16, 16, 1, NA, NA, NA},
    {"worker", 0, "MaxRequestWorkers 10",
     "AH00314: WARNING: MaxRequestWorkers of 10 is less than ThreadsPerChild "
     "of 25, increasing to 25. MaxRequestWorkers must be at least as large "
     "as the number of threads in a single server.\n",
     NA, NA, 25, 25, NA, NA, NA},
    {"worker", 0, "MaxRequestWorkers 110",
     "AH00316: WARNING: MaxRequestWorkers of 110 is not an integer multiple "
     "of ThreadsPerChild of 25, decreasing to nearest multiple 100, for a "
     "maximum of 4 servers.\n",
     NA, NA, 100, NA, NA, NA, NA},
    {"worker", 0, "MaxRequestWorkers 10000",
     "AH00318: WARNING: MaxRequestWorkers of 10000 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 400. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 16, 400, NA, NA, NA, NA},
    {"worker", 0, "StartServers 0",
     "AH00320: WARNING: StartServers of 0 not allowed, increasing to 1.\n", 1,
     NA, NA, NA, NA, NA, NA},
    {"worker", 0, "MinSpareThreads 0",
     "AH00322: WARNING: MinSpareThreads of 0 not allowed, increasing to 1 "
     "to avoid almost certain server failure. Please read the "
     "documentation.\n",
     NA, NA, NA, NA, NA, 1, 250},
    {"worker", 0, "MaxSpareThreads 0\nStartServers 100", "", 100, NA, NA, NA,
     NA, 75, 101},
    {"worker", 0, "ServerLimit 99999999999",
     "AH00300: WARNING: ServerLimit of 1215752191 exceeds compile-time limit "
     "of 20000 servers, decreasing to 20000.\n",
     NA, 20000, NA, NA, NA, NA, NA},
    /* worker, restart */
    {"worker", 1,
     "ServerLimit 0\nThreadLimit 0\nStartServers 0\n"
     "MinSpareThreads 0",
     "[log] AH00303: ServerLimit of 0 not allowed, increasing to 1\n"
     "[log] AH00304: changing ServerLimit to 1 from original value of 16 not "
     "allowed during restart\n"
     "[log] AH00308: ThreadLimit of 0 not allowed, increasing to 1\n"
     "[log] AH00309: changing ThreadLimit to 1 from original value of 64 "
     "not allowed during restart\n"
     "[log] AH00321: StartServers of 0 not allowed, increasing to 1\n"
     "[log] AH00323: MinSpareThreads of 0 not allowed, increasing to 1\n",
     1, 16, 400, 25, 64, 1, NA},
    {"worker", 1,
     "ServerLimit 30000\nThreadLimit 300000\n"
     "MaxRequestWorkers 10",
     "[log] AH00301: ServerLimit of 30000 exceeds compile-time limit of "
     "20000, decreasing to match\n"
     "[log] AH00304: changing ServerLimit to 20000 from original value of 16 "
     "not allowed during restart\n"
     "[log] AH00306: ThreadLimit of 300000 exceeds compile-time limit of "
     "20000, decreasing to match\n"
     "[log] AH00309: changing ThreadLimit to 20000 from original value of 64 "
     "not allowed during restart\n"
     "[log] AH00315: MaxRequestWorkers of 10 is less than ThreadsPerChild of "
     "25, increasing to match\n",
     NA, 16, 25, 25, 64, NA, NA},
    {"worker", 1, "ThreadsPerChild 0",
     "[log] AH00313: ThreadsPerChild of 0 not allowed, increasing to 1\n"
     "[log] AH00319: MaxRequestWorkers of 400 would require 400 servers and "
     "exceed ServerLimit of 16, decreasing to 16\n",
     NA, NA, 16, 1, NA, NA, NA},
    {"worker", 1, "ThreadsPerChild 100\nMaxRequestWorkers 110",
     "[log] AH00311: ThreadsPerChild of 100 exceeds ThreadLimit of 64, "
     "decreasing to match\n"
     "[log] AH00317: MaxRequestWorkers of 110 is not an integer multiple of "
     "ThreadsPerChild of 64, decreasing to nearest multiple 64\n",
     NA, NA, 64, 64, NA, NA, NA},
    {"worker", 1, "ThreadsPerChild 30\nMaxRequestWorkers 1000",
     "[log] AH00317: MaxRequestWorkers of 1000 is not an integer multiple of "
     "ThreadsPerChild of 30, decreasing to nearest multiple 990\n"
     "[log] AH00319: MaxRequestWorkers of 990 would require 33 servers and "
     "exceed ServerLimit of 16, decreasing to 480\n",
     NA, NA, 480, 30, NA, NA, NA},

    /* event, startup: the same rules numbered from AH00497, and a larger
     * compile-time ThreadLimit */
    {"event", 0, "", "", 3, 16, 400, 25, 64, 75, 250},
    {"event", 0, "ServerLimit 30000",
     "AH00497: WARNING: ServerLimit of 30000 exceeds compile-time limit of "
     "20000 servers, decreasing to 20000.\n",
     NA, 20000, NA, NA, NA, NA, NA},
    {"event", 0, "ServerLimit 0",
     "AH00499: WARNING: ServerLimit of 0 not allowed, increasing to 1.\n"
     "AH00515: WARNING: MaxRequestWorkers of 400 would require 16 servers "
     "and would exceed ServerLimit of 1, decreasing to 25. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 1, 25, NA, NA, NA, NA},
    {"event", 0, "ThreadLimit 30000", "", NA, NA, NA, 25, 30000, NA, NA},
    {"event", 0, "ThreadLimit 200000",
     "AH00502: WARNING: ThreadLimit of 200000 exceeds compile-time limit of "
     "100000 threads, decreasing to 100000.\n",
     NA, NA, NA, NA, 100000, NA, NA},
    {"event", 0, "ThreadLimit 0",
     "AH00504: WARNING: ThreadLimit of 0 not allowed, increasing to 1.\n"
     "AH00507: WARNING: ThreadsPerChild of 25 exceeds ThreadLimit of 1 "
     "threads, decreasing to 1. To increase, please see the ThreadLimit "
     "directive.\n"
     "AH00515: WARNING: MaxRequestWorkers of 400 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 16. To increase, "
     "please see the ServerLimit directive.\n",
     NA, 16, 16, 1, 1, NA, NA},
    {"event", 0, "ThreadsPerChild 100",
     "AH00507: WARNING: ThreadsPerChild of 100 exceeds ThreadLimit of 64 "
     "threads, decreasing to 64. To increase, please see the ThreadLimit "
     "directive.\n"
     "AH00513: WARNING: MaxRequestWorkers of 400 is not an integer multiple "
     "of ThreadsPerChild of 64, decreasing to nearest multiple 384, for a "
     "maximum of 6 servers.\n",
     NA, NA, 384, 64, NA, NA, NA},
    {"event", 0, "ThreadsPerChild 0",
     "AH00509: WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.\n"
     "AH00515: WARNING: MaxRequestWorkers of 400 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 16. To increase, "
     "please see the ServerLimit directive.\n",
     NA, NA, 16, 1, NA, NA, NA},
    {"event", 0, "MaxRequestWorkers 0",
     "AH00511: WARNING: MaxRequestWorkers of 0 is less than ThreadsPerChild "
     "of 25, increasing to 25. MaxRequestWorkers must be at least as large "
     "as the number of threads in a single server.\n",
     NA, NA, 25, NA, NA, NA, NA},
    {"event", 0, "MaxRequestWorkers 110",
     "AH00513: WARNING: MaxRequestWorkers of 110 is not an integer multiple "
     "of ThreadsPerChild of 25, decreasing to nearest multiple 100, for a "
     "maximum of 4 servers.\n",
     NA, NA, 100, NA, NA, NA, NA},
    {"event", 0, "MaxRequestWorkers 10000",
     "AH00515: WARNING: MaxRequestWorkers of 10000 would require 400 servers "
     "and would exceed ServerLimit of 16, decreasing to 400. To increase, "
     "please see the ServerLimit directive.\n",
     NA, NA, 400, NA, NA, NA, NA},
    {"event", 0, "StartServers 0",
     "AH00517: WARNING: StartServers of 0 not allowed, increasing to 1.\n", 1,
     NA, NA, NA, NA, NA, NA},
    {"event", 0, "MinSpareThreads 0",
     "AH00519: WARNING: MinSpareThreads of 0 not allowed, increasing to 1 "
     "to avoid almost certain server failure. Please read the "
     "documentation.\n",
     NA, NA, NA, NA, NA, 1, NA},
    {"event", 0, "MinSpareThreads 500\nMaxSpareThreads 10", "", NA, NA, NA, NA,
     NA, 500, 526},
    /* event, restart */
    {"event", 1,
     "ServerLimit 0\nThreadLimit 0\nStartServers 0\n"
     "MinSpareThreads 0",
     "[log] AH00500: ServerLimit of 0 not allowed, increasing to 1\n"
     "[log] AH00501: changing ServerLimit to 1 from original value of 16 not "
     "allowed during restart\n"
     "[log] AH00505: ThreadLimit of 0 not allowed, increasing to 1\n"
     "[log] AH00506: changing ThreadLimit to 1 from original value of 64 "
     "not allowed during restart\n"
     "[log] AH00518: StartServers of 0 not allowed, increasing to 1\n"
     "[log] AH00520: MinSpareThreads of 0 not allowed, increasing to 1\n",
     1, 16, NA, NA, 64, 1, NA},
    {"event", 1,
     "ServerLimit 30000\nThreadLimit 300000\n"
     "MaxRequestWorkers 10",
     "[log] AH00498: ServerLimit of 30000 exceeds compile-time limit of "
     "20000, decreasing to match\n"
     "[log] AH00501: changing ServerLimit to 20000 from original value of 16 "
     "not allowed during restart\n"
     "[log] AH00503: ThreadLimit of 300000 exceeds compile-time limit of "
     "100000, decreasing to match\n"
     "[log] AH00506: changing ThreadLimit to 100000 from original value of "
     "64 not allowed during restart\n"
     "[log] AH00512: MaxRequestWorkers of 10 is less than ThreadsPerChild of "
     "25, increasing to match\n",
     NA, 16, 25, NA, 64, NA, NA},
    {"event", 1, "ThreadsPerChild 0",
     "[log] AH00510: ThreadsPerChild of 0 not allowed, increasing to 1\n"
     "[log] AH00516: MaxRequestWorkers of 400 would require 400 servers and "
     "exceed ServerLimit of 16, decreasing to 16\n",
     NA, NA, 16, 1, NA, NA, NA},
    {"event", 1, "ThreadsPerChild 100\nMaxRequestWorkers 110",
     "[log] AH00508: ThreadsPerChild of 100 exceeds ThreadLimit of 64, "
     "decreasing to match\n"
     "[log] AH00514: MaxRequestWorkers of 110 is not an integer multiple of "
     "ThreadsPerChild of 64, decreasing to nearest multiple 64\n",
     NA, NA, 64, 64, NA, NA, NA},
    {"event", 1, "ThreadsPerChild 30\nMaxRequestWorkers 1000",
     "[log] AH00514: MaxRequestWorkers of 1000 is not an integer multiple of "
     "ThreadsPerChild of 30, decreasing to nearest multiple 990\n"
     "[log] AH00516: MaxRequestWorkers of 990 would require 33 servers and "
     "exceed ServerLimit of 16, decreasing to 480\n",
     NA, NA, 480, 30, NA, NA, NA},
};

static void expect_field(const char *what, int want, int got, int i)
{
    if (want != NA)
        ck_assert_msg(want == got, "case %d: %s = %d, want %d", i, what, got,
                      want);
}

/* A first start with the MPM's defaults, as the restart cases assume. */
static void simulate_first_start(const struct mpm_module *m)
{
    resolved_config rc = {0};
    rc.arena = arena_create(0);
    diag_sink quiet = {0};
    m->check_config(&rc, &quiet);
    const mpm_config *c = rc.mpm_config;
    const char *module = m == &mpm_prefork_module  ? "mpm_prefork"
                         : m == &mpm_worker_module ? "mpm_worker"
                                                   : "mpm_event";
    mpm_config_started(module, c->server_limit,
                       c->thread_limit > 0 ? c->thread_limit : 0);
    arena_destroy(rc.arena);
}

START_TEST(clamping_matches_apache)
{
    const struct clamp_case *k = &cases[_i];
    const struct mpm_module *m = mpm_named(k->mpm);
    mpm_config_forget();
    if (k->restart)
        simulate_first_start(m);
    resolved_config rc = {0};
    rc.arena = arena_create(0);
    struct captured cap = {.text = ""};
    diag_sink sink = {.emit = capture, .ctx = &cap};
    const char *err = apply(&rc, m, k->directives);
    ck_assert_msg(err == NULL, "case %d: %s", _i, err ? err : "");
    ck_assert_int_eq(m->check_config(&rc, &sink), 0);
    ck_assert_msg(strcmp(cap.text, k->warnings) == 0,
                  "case %d (%s %s):\n got: %s\nwant: %s", _i, k->mpm,
                  k->directives, cap.text, k->warnings);
    ck_assert_int_eq(sink.warnings, cap.n);
    ck_assert_int_eq(sink.errors, 0);
    const mpm_config *c = rc.mpm_config;
    expect_field("StartServers", k->start, c->start_servers, _i);
    expect_field("ServerLimit", k->server_limit, c->server_limit, _i);
    expect_field("MaxRequestWorkers", k->max_workers, c->max_request_workers,
                 _i);
    if (strcmp(k->mpm, "prefork") == 0) {
        expect_field("MinSpareServers", k->min_spare, c->min_spare_servers, _i);
        expect_field("MaxSpareServers", k->max_spare, c->max_spare_servers, _i);
    } else {
        expect_field("ThreadsPerChild", k->threads, c->threads_per_child, _i);
        expect_field("ThreadLimit", k->thread_limit, c->thread_limit, _i);
        expect_field("MinSpareThreads", k->min_spare, c->min_spare_threads, _i);
        expect_field("MaxSpareThreads", k->max_spare, c->max_spare_threads, _i);
        ck_assert_int_eq(c->daemons_limit * c->threads_per_child,
                         c->max_request_workers);
        ck_assert_int_le(c->daemons_limit, c->server_limit);
    }
    /* Startup warnings are printed as is, restart ones as log lines. */
    if (k->restart)
        ck_assert_int_eq(cap.global, 0);
    else
        ck_assert_int_eq(cap.log, 0);
    mpm_config_forget();
    arena_destroy(rc.arena);
}
END_TEST

/* Every directive's help text, as apache2 prints it after "X takes one
 * argument, ", and which MPM declares it. */
struct table_case {
    const char *mpm, *name, *help; /* help NULL: not declared by this MPM */
};
static const struct table_case tables[] = {
    {"prefork", "StartServers",
     "Number of child processes launched at server startup"},
    {"prefork", "MinSpareServers",
     "Minimum number of idle children, to handle request spikes"},
    {"prefork", "MaxSpareServers", "Maximum number of idle children"},
    {"prefork", "ServerLimit",
     "Maximum value of MaxRequestWorkers for this run of Apache"},
    {"prefork", "MaxRequestWorkers",
     "Maximum number of children alive at the same time"},
    {"prefork", "MaxClients", "Deprecated name of MaxRequestWorkers"},
    {"prefork", "ThreadsPerChild", NULL},
    {"prefork", "ThreadLimit", NULL},
    {"prefork", "MinSpareThreads", NULL},
    {"prefork", "AsyncRequestWorkerFactor", NULL},
    {"prefork", "MaxConnectionsPerChild", NULL}, /* core's */
    {"worker", "StartServers",
     "Number of child processes launched at server startup"},
    {"worker", "ServerLimit",
     "Maximum number of child processes for this run of Apache"},
    {"worker", "MaxRequestWorkers",
     "Maximum number of threads alive at the same time"},
    {"worker", "MaxClients", "Deprecated name of MaxRequestWorkers"},
    {"worker", "ThreadsPerChild", "Number of threads each child creates"},
    {"worker", "ThreadLimit",
     "Maximum number of worker threads per child process for this run of "
     "Apache - Upper limit for ThreadsPerChild"},
    {"worker", "MinSpareThreads",
     "Minimum number of idle threads, to handle request spikes"},
    {"worker", "MaxSpareThreads", "Maximum number of idle threads"},
    {"worker", "MinSpareServers", NULL},
    {"worker", "MaxSpareServers", NULL},
    {"worker", "AsyncRequestWorkerFactor", NULL},
    {"event", "StartServers",
     "Number of child processes launched at server startup"},
    {"event", "ServerLimit",
     "Maximum number of child processes for this run of Apache"},
    {"event", "MaxRequestWorkers",
     "Maximum number of threads alive at the same time"},
    {"event", "MaxClients", "Deprecated name of MaxRequestWorkers"},
    {"event", "ThreadsPerChild", "Number of threads each child creates"},
    {"event", "ThreadLimit",
     "Maximum number of worker threads per child process for this run of "
     "Apache - Upper limit for ThreadsPerChild"},
    {"event", "MinSpareThreads",
     "Minimum number of idle threads, to handle request spikes"},
    {"event", "MaxSpareThreads", "Maximum number of idle threads"},
    {"event", "AsyncRequestWorkerFactor",
     "How many additional connects will be accepted per idle worker thread"},
    {"event", "MinSpareServers", NULL},
};

START_TEST(directive_tables)
{
    const struct table_case *t = &tables[_i];
    const command_rec *cmd = find_cmd(mpm_named(t->mpm), t->name);
    if (t->help == NULL) {
        ck_assert_msg(cmd == NULL, "%s should not declare %s", t->mpm, t->name);
        return;
    }
    ck_assert_msg(cmd != NULL, "%s lacks %s", t->mpm, t->name);
    ck_assert_str_eq(cmd->errmsg, t->help);
    ck_assert_int_eq(cmd->args_how, TAKE1);
    ck_assert_int_eq(cmd->req_override, RSRC_CONF);
}
END_TEST

/* AsyncRequestWorkerFactor: apache2's verdicts. */
struct factor_case {
    const char *arg, *err;
};
static const struct factor_case factors[] = {
    {"2", NULL},
    {"0.5", NULL},
    {"1e1", NULL},
    {"0", "AsyncRequestWorkerFactor argument must be a positive number"},
    {"-1", "AsyncRequestWorkerFactor argument must be a positive number"},
    {"abc", "error parsing value"},
    {"1.5x", "error parsing value"},
};

START_TEST(async_factor)
{
    resolved_config rc = {0};
    rc.arena = arena_create(0);
    char line[128];
    snprintf(line, sizeof(line), "AsyncRequestWorkerFactor %s",
             factors[_i].arg);
    const char *err = apply(&rc, &mpm_event_module, line);
    if (factors[_i].err == NULL) {
        ck_assert_msg(err == NULL, "%s: %s", factors[_i].arg, err);
        ck_assert(((mpm_config *)rc.mpm_config)->async_factor > 0);
    } else {
        ck_assert_msg(err != NULL, "%s accepted", factors[_i].arg);
        ck_assert_str_eq(err, factors[_i].err);
    }
    arena_destroy(rc.arena);
}
END_TEST

START_TEST(query_reports_model_and_limits)
{
    static const struct {
        const struct mpm_module *m;
        int threaded, forked, async;
    } want[] = {
        {&mpm_prefork_module, 0, 1, 0},
        {&mpm_worker_module, 1, 1, 0},
        {&mpm_event_module, 1, 1, 1},
    };
    mpm_config_forget();
    for (int i = 0; i < 3; i++) {
        resolved_config rc = {0};
        rc.arena = arena_create(0);
        diag_sink quiet = {0};
        ck_assert_ptr_null(apply(&rc, want[i].m, "ServerLimit 8"));
        want[i].m->check_config(&rc, &quiet);
        struct mpm_query q;
        want[i].m->query(&rc, &q);
        ck_assert_int_eq(q.threaded, want[i].threaded);
        ck_assert_int_eq(q.forked, want[i].forked);
        ck_assert_int_eq(q.async, want[i].async);
        ck_assert_int_eq(q.max_daemons, 8);
        ck_assert_int_eq(q.max_workers,
                         ((mpm_config *)rc.mpm_config)->max_request_workers);
        ck_assert_int_eq(want[i].m->magic, MPM_MAGIC);
        ck_assert_int_eq(want[i].m->abi_version, MPM_ABI_VERSION);
        arena_destroy(rc.arena);
    }
}
END_TEST

/* A restart into another MPM takes that MPM's own limits: no AH00304
 * about prefork's ServerLimit 256 when worker comes next. */
START_TEST(restart_into_another_mpm)
{
    mpm_config_forget();
    simulate_first_start(&mpm_prefork_module);
    resolved_config rc = {0};
    rc.arena = arena_create(0);
    struct captured cap = {.text = ""};
    diag_sink sink = {.emit = capture, .ctx = &cap};
    ck_assert_int_eq(mpm_worker_module.check_config(&rc, &sink), 0);
    ck_assert_str_eq(cap.text, "");
    ck_assert_int_eq(((mpm_config *)rc.mpm_config)->server_limit, 16);
    mpm_config_forget();
    arena_destroy(rc.arena);
}
END_TEST

/* Context: global only ("StartServers cannot occur within <VirtualHost>
 * section", as apache2 says for every MPM directive). */
START_TEST(virtualhost_context_refused)
{
    static const char *const mpms[] = {"prefork", "worker", "event"};
    for (int i = 0; i < 3; i++) {
        const struct mpm_module *m = mpm_named(mpms[i]);
        for (const command_rec *cmd = m->module->cmds; cmd->name; cmd++) {
            resolved_config rc = {0};
            rc.arena = arena_create(0);
            server_conf vhost = {0};
            vhost.is_virtual = 1;
            cmd_parms parms = {0};
            parms.arena = parms.temp = rc.arena;
            parms.cmd = cmd;
            parms.module = m->module;
            parms.rc = &rc;
            parms.server = &vhost;
            parms.override = RSRC_CONF;
            parms.section = SEC_VIRTUALHOST;
            char value[] = "3";
            char *argv[] = {value, NULL};
            const char *err = cmd->fn(&parms, NULL, 1, argv);
            char want[128];
            snprintf(want, sizeof(want),
                     "%s cannot occur within <VirtualHost> section", cmd->name);
            ck_assert_msg(err != NULL && strcmp(err, want) == 0, "%s %s: %s",
                          mpms[i], cmd->name, err ? err : "NULL");
            ck_assert_ptr_null(rc.mpm_config);
            arena_destroy(rc.arena);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mpm_config");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, clamping_matches_apache, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_loop_test(tc, directive_tables, 0,
                        (int)(sizeof(tables) / sizeof(tables[0])));
    tcase_add_loop_test(tc, async_factor, 0,
                        (int)(sizeof(factors) / sizeof(factors[0])));
    tcase_add_test(tc, query_reports_model_and_limits);
    tcase_add_test(tc, virtualhost_context_refused);
    tcase_add_test(tc, restart_into_another_mpm);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
