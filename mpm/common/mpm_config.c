/* mpm_config.c -- MPM directive setters and the clamping checks.
 *
 * The texts and AH numbers below were recorded from apache2 2.4.71
 * (`apache2 -t` for the startup shape, a SIGHUP restart for the error-log
 * shape); tests/check_mpm_config.c holds them as golden expectations. */
#include "mpm_config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- settings ------------------------------------------------------- */

mpm_config *mpm_config_get(resolved_config *rc)
{
    if (rc->mpm_config != NULL)
        return rc->mpm_config;
    mpm_config *c = arena_calloc(rc->arena, sizeof(*c));
    c->start_servers = c->min_spare_servers = c->max_spare_servers = UNSET;
    c->server_limit = c->max_request_workers = UNSET;
    c->threads_per_child = c->thread_limit = UNSET;
    c->min_spare_threads = c->max_spare_threads = UNSET;
    c->async_factor = -1.0;
    c->daemons_limit = UNSET;
    rc->mpm_config = c;
    return c;
}

static const size_t field_offsets[MPM_NFIELDS] = {
    [MPM_F_START_SERVERS] = offsetof(mpm_config, start_servers),
    [MPM_F_MIN_SPARE_SERVERS] = offsetof(mpm_config, min_spare_servers),
    [MPM_F_MAX_SPARE_SERVERS] = offsetof(mpm_config, max_spare_servers),
    [MPM_F_SERVER_LIMIT] = offsetof(mpm_config, server_limit),
    [MPM_F_MAX_REQUEST_WORKERS] = offsetof(mpm_config, max_request_workers),
    [MPM_F_THREADS_PER_CHILD] = offsetof(mpm_config, threads_per_child),
    [MPM_F_THREAD_LIMIT] = offsetof(mpm_config, thread_limit),
    [MPM_F_MIN_SPARE_THREADS] = offsetof(mpm_config, min_spare_threads),
    [MPM_F_MAX_SPARE_THREADS] = offsetof(mpm_config, max_spare_threads),
    [MPM_F_ASYNC_FACTOR] = offsetof(mpm_config, async_factor),
};

static void note_where(cmd_parms *cmd, mpm_config *c, size_t offset)
{
    for (int f = 0; f < MPM_NFIELDS; f++) {
        if (field_offsets[f] == offset && cmd->node != NULL) {
            c->where[f].file = cmd->node->file;
            c->where[f].line = cmd->node->line;
        }
    }
}

const char *mpm_set_int_slot(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)mconfig;
    const char *err = conf_check_context(cmd, GLOBAL_ONLY);
    if (err != NULL)
        return err;
    if (argc < 1)
        return "missing argument";
    mpm_config *c = mpm_config_get(cmd->rc);
    /* Apache reads these with atoi(): leading blanks and sign, digits up
     * to the first non-digit, the long result truncated to int. */
    int v = (int)strtol(argv[0], NULL, 10);
    *(int *)((char *)c + cmd->cmd->offset) = v;
    note_where(cmd, c, cmd->cmd->offset);
    return NULL;
}

const char *mpm_set_async_factor(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    (void)mconfig;
    const char *err = conf_check_context(cmd, GLOBAL_ONLY);
    if (err != NULL)
        return err;
    if (argc < 1)
        return "missing argument";
    char *end = NULL;
    double v = strtod(argv[0], &end);
    if (end == NULL || *end != '\0')
        return "error parsing value";
    if (!(v > 0.0))
        return "AsyncRequestWorkerFactor argument must be a positive number";
    mpm_config *c = mpm_config_get(cmd->rc);
    c->async_factor = v;
    note_where(cmd, c, offsetof(mpm_config, async_factor));
    return NULL;
}

/* ---- restart state (parent process) ---------------------------------- */

static struct {
    int started;
    const char *module;
    int server_limit;
    int thread_limit;
} first_run;

void mpm_config_started(const char *module, int server_limit, int thread_limit)
{
    if (first_run.started && first_run.module != NULL &&
        strcmp(first_run.module, module) == 0)
        return;
    first_run.started = 1;
    first_run.module = module; /* a string literal of the MPM */
    first_run.server_limit = server_limit;
    first_run.thread_limit = thread_limit;
}

void mpm_config_forget(void)
{
    memset(&first_run, 0, sizeof(first_run));
}

int mpm_config_is_restart(void)
{
    return first_run.started;
}

/* A limit fixed by the first run, if that run was of the same MPM. */
static int original(const char *module, int value)
{
    if (first_run.module == NULL || strcmp(first_run.module, module) != 0)
        return 0;
    return value;
}

/* ---- clamping ---------------------------------------------------------- */

struct clamp {
    diag_sink *diag;
    const mpm_config *c;
    const char *module; /* "mpm_prefork" */
    int restart;
};

/* One clamping warning.  At startup Apache prints "AHnnnnn: WARNING: ..."
 * on stderr with no log prefix (DIAG_GLOBAL: printed as is); on a restart
 * it logs "AHnnnnn+1: ..." through the error log (DIAG_LOG). */
static void clamp_warn(const struct clamp *k, enum mpm_field f, int code,
                       const char *startup_fmt, const char *restart_fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, restart_fmt);
    if (k->restart && restart_fmt != NULL)
        vsnprintf(text, sizeof(text), restart_fmt, ap);
    else
        vsnprintf(text, sizeof(text), startup_fmt, ap);
    va_end(ap);
    if (k->restart && restart_fmt != NULL && startup_fmt != NULL)
        code++;
    if (k->restart)
        diag_warnf(k->diag, DIAG_LOG, k->module, k->c->where[f].file,
                   k->c->where[f].line, 0, "mpm-clamped", "AH%05d: %s", code,
                   text);
    else
        diag_warnf(k->diag, DIAG_GLOBAL, k->module, k->c->where[f].file,
                   k->c->where[f].line, 0, "mpm-clamped", "AH%05d: WARNING: %s",
                   code, text);
}

static void set_default(int *v, int def)
{
    if (*v == UNSET)
        *v = def;
}

/* ServerLimit or ThreadLimit: range, then "no change on restart".
 * Codes from base: +0/+1 too big, +2/+3 too small, +4 changed. */
static void clamp_limit(const struct clamp *k, int *v, enum mpm_field f,
                        const char *name, const char *unit, int max, int base,
                        int original)
{
    if (*v > max) {
        if (k->restart)
            clamp_warn(k, f, base + 1, NULL,
                       "%s of %d exceeds compile-time limit of %d, "
                       "decreasing to match",
                       name, *v, max);
        else
            clamp_warn(k, f, base,
                       "%s of %d exceeds compile-time limit "
                       "of %d %s, decreasing to %d.",
                       NULL, name, *v, max, unit, max);
        *v = max;
    } else if (*v < 1) {
        if (k->restart)
            clamp_warn(k, f, base + 3, NULL,
                       "%s of %d not allowed, increasing to 1", name, *v);
        else
            clamp_warn(k, f, base + 2, "%s of %d not allowed, increasing to 1.",
                       NULL, name, *v);
        *v = 1;
    }
    if (k->restart && original > 0 && *v != original) {
        clamp_warn(k, f, base + 4, NULL,
                   "changing %s to %d from original "
                   "value of %d not allowed during restart",
                   name, *v, original);
        *v = original;
    }
}

/* "StartServers of 0 not allowed, increasing to 1" (codes code/code+1). */
static void clamp_at_least_one(const struct clamp *k, int *v, enum mpm_field f,
                               const char *name, int code, const char *more)
{
    if (*v >= 1)
        return;
    clamp_warn(k, f, code, "%s of %d not allowed, increasing to 1%s.",
               "%s of %d not allowed, increasing to 1", name, *v, more);
    *v = 1;
}

int mpm_check_prefork(resolved_config *rc, diag_sink *diag)
{
    mpm_config *c = mpm_config_get(rc);
    struct clamp k = {diag, c, "mpm_prefork", mpm_config_is_restart()};
    set_default(&c->start_servers, 5);
    set_default(&c->min_spare_servers, 5);
    set_default(&c->max_spare_servers, 10);
    set_default(&c->server_limit, 256);
    set_default(&c->max_request_workers, 256);

    clamp_limit(&k, &c->server_limit, MPM_F_SERVER_LIMIT, "ServerLimit",
                "servers", PREFORK_MAX_SERVER_LIMIT, 175,
                original(k.module, first_run.server_limit));
    if (c->max_request_workers > c->server_limit) {
        clamp_warn(&k, MPM_F_MAX_REQUEST_WORKERS, 180,
                   "MaxRequestWorkers of %d exceeds ServerLimit value of %d "
                   "servers, decreasing MaxRequestWorkers to %d. To "
                   "increase, please see the ServerLimit directive.",
                   "MaxRequestWorkers of %d exceeds ServerLimit value of %d, "
                   "decreasing to match",
                   c->max_request_workers, c->server_limit, c->server_limit);
        c->max_request_workers = c->server_limit;
    } else if (c->max_request_workers < 1) {
        clamp_at_least_one(&k, &c->max_request_workers,
                           MPM_F_MAX_REQUEST_WORKERS, "MaxRequestWorkers", 182,
                           "");
    }
    clamp_at_least_one(&k, &c->start_servers, MPM_F_START_SERVERS,
                       "StartServers", 184, "");
    clamp_at_least_one(&k, &c->min_spare_servers, MPM_F_MIN_SPARE_SERVERS,
                       "MinSpareServers", 186,
                       " to avoid almost certain server failure. Please "
                       "read the documentation");
    /* Silent adjustments Apache makes when it starts running. */
    if (c->max_spare_servers < c->min_spare_servers + 1)
        c->max_spare_servers = c->min_spare_servers + 1;
    c->daemons_limit = c->max_request_workers;
    c->checked = 1;
    return 0;
}

static void clamp_workers(const struct clamp *k, mpm_config *c, int base)
{
    int tpc = c->threads_per_child;
    if (c->max_request_workers < tpc) {
        clamp_warn(k, MPM_F_MAX_REQUEST_WORKERS, base + 14,
                   "MaxRequestWorkers of %d is less than ThreadsPerChild of "
                   "%d, increasing to %d. MaxRequestWorkers must be at least "
                   "as large as the number of threads in a single server.",
                   "MaxRequestWorkers of %d is less than ThreadsPerChild of "
                   "%d, increasing to match",
                   c->max_request_workers, tpc, tpc);
        c->max_request_workers = tpc;
    }
    int daemons = c->max_request_workers / tpc;
    if (c->max_request_workers % tpc != 0) {
        int fixed = daemons * tpc;
        clamp_warn(k, MPM_F_MAX_REQUEST_WORKERS, base + 16,
                   "MaxRequestWorkers of %d is not an integer multiple of "
                   "ThreadsPerChild of %d, decreasing to nearest multiple %d, "
                   "for a maximum of %d servers.",
                   "MaxRequestWorkers of %d is not an integer multiple of "
                   "ThreadsPerChild of %d, decreasing to nearest multiple %d",
                   c->max_request_workers, tpc, fixed, daemons);
        c->max_request_workers = fixed;
    }
    if (daemons > c->server_limit) {
        int fixed = c->server_limit * tpc;
        clamp_warn(k, MPM_F_MAX_REQUEST_WORKERS, base + 18,
                   "MaxRequestWorkers of %d would require %d servers and "
                   "would exceed ServerLimit of %d, decreasing to %d. To "
                   "increase, please see the ServerLimit directive.",
                   "MaxRequestWorkers of %d would require %d servers and "
                   "exceed ServerLimit of %d, decreasing to %d",
                   c->max_request_workers, daemons, c->server_limit, fixed);
        c->max_request_workers = fixed;
        daemons = c->server_limit;
    }
    c->daemons_limit = daemons;
}

int mpm_check_threaded(resolved_config *rc, diag_sink *diag, const char *module,
                       int base, int max_servers, int max_threads)
{
    mpm_config *c = mpm_config_get(rc);
    struct clamp k = {diag, c, module, mpm_config_is_restart()};
    set_default(&c->start_servers, 3);
    set_default(&c->min_spare_threads, 75);
    set_default(&c->max_spare_threads, 250);
    set_default(&c->server_limit, 16);
    set_default(&c->thread_limit, 64);
    set_default(&c->threads_per_child, 25);
    set_default(&c->max_request_workers, 400);
    if (c->async_factor <= 0.0)
        c->async_factor = 2.0;

    clamp_limit(&k, &c->server_limit, MPM_F_SERVER_LIMIT, "ServerLimit",
                "servers", max_servers, base,
                original(module, first_run.server_limit));
    clamp_limit(&k, &c->thread_limit, MPM_F_THREAD_LIMIT, "ThreadLimit",
                "threads", max_threads, base + 5,
                original(module, first_run.thread_limit));
    if (c->threads_per_child > c->thread_limit) {
        clamp_warn(&k, MPM_F_THREADS_PER_CHILD, base + 10,
                   "ThreadsPerChild of %d exceeds ThreadLimit of %d threads, "
                   "decreasing to %d. To increase, please see the "
                   "ThreadLimit directive.",
                   "ThreadsPerChild of %d exceeds ThreadLimit of %d, "
                   "decreasing to match",
                   c->threads_per_child, c->thread_limit, c->thread_limit);
        c->threads_per_child = c->thread_limit;
    } else {
        clamp_at_least_one(&k, &c->threads_per_child, MPM_F_THREADS_PER_CHILD,
                           "ThreadsPerChild", base + 12, "");
    }
    clamp_workers(&k, c, base);
    clamp_at_least_one(&k, &c->start_servers, MPM_F_START_SERVERS,
                       "StartServers", base + 20, "");
    clamp_at_least_one(&k, &c->min_spare_threads, MPM_F_MIN_SPARE_THREADS,
                       "MinSpareThreads", base + 22,
                       " to avoid almost certain server failure. Please "
                       "read the documentation");
    /* Silent adjustment Apache makes when it starts running (one listener
     * bucket): room for a whole child above the minimum. */
    if (c->max_spare_threads < c->min_spare_threads + c->threads_per_child + 1)
        c->max_spare_threads = c->min_spare_threads + c->threads_per_child + 1;
    c->checked = 1;
    return 0;
}

void mpm_query_fill(const resolved_config *rc, int threaded,
                    struct mpm_query *q)
{
    const mpm_config *c = rc != NULL ? rc->mpm_config : NULL;
    memset(q, 0, sizeof(*q));
    q->threaded = threaded ? 1 : 0;
    q->forked = 1;
    q->async = 0;
    if (threaded) {
        q->max_daemons = c && c->checked ? c->server_limit : 16;
        q->max_threads = c && c->checked ? c->thread_limit : 64;
        q->max_workers = c && c->checked ? c->max_request_workers : 400;
    } else {
        q->max_daemons = c && c->checked ? c->server_limit : 256;
        q->max_threads = 1;
        q->max_workers = c && c->checked ? c->max_request_workers : 256;
    }
}
