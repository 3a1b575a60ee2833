/* mpm_config.h -- the MPMs' directive tables and their typed settings.
 *
 * Each MPM module declares its own directive table (StartServers...), all
 * written through one setter, mpm_set_int_slot(), into one typed struct
 * hung at rc->mpm_config.  check_config() then clamps inconsistent values
 * with Apache's warnings, worded and numbered as apache2 2.4.71 prints them:
 *   at startup (httpd -t, first start), a plain stderr line
 *     "AH00180: WARNING: MaxRequestWorkers of 300 exceeds ServerLimit ..."
 *   on a restart, an error-log line
 *     "[date] [mpm_prefork:warn] [pid N] AH00181: MaxRequestWorkers of ..."
 * and on a restart ServerLimit and ThreadLimit keep their first values
 * (the scoreboard was sized with them), as Apache's do (AH00179).
 */
#ifndef HTTPD_MPM_CONFIG_H
#define HTTPD_MPM_CONFIG_H

#include <stddef.h>

#include "mpm.h"

/* Which directive set the value, for diagnostics (file:line). */
enum mpm_field {
    MPM_F_START_SERVERS,
    MPM_F_MIN_SPARE_SERVERS,
    MPM_F_MAX_SPARE_SERVERS,
    MPM_F_SERVER_LIMIT,
    MPM_F_MAX_REQUEST_WORKERS,
    MPM_F_THREADS_PER_CHILD,
    MPM_F_THREAD_LIMIT,
    MPM_F_MIN_SPARE_THREADS,
    MPM_F_MAX_SPARE_THREADS,
    MPM_F_ASYNC_FACTOR,
    MPM_NFIELDS
};

typedef struct mpm_config {
    /* Values as configured (UNSET until set), then clamped by
     * check_config(); after it every field holds the number to run with. */
    int start_servers;
    int min_spare_servers; /* prefork */
    int max_spare_servers; /* prefork */
    int server_limit;
    int max_request_workers;
    int threads_per_child; /* worker, event */
    int thread_limit;      /* worker, event */
    int min_spare_threads; /* worker, event */
    int max_spare_threads; /* worker, event */
    double async_factor;   /* event: AsyncRequestWorkerFactor (< 0 unset) */
    /* Derived by check_config(): the process limit (MaxRequestWorkers /
     * ThreadsPerChild for threaded MPMs, MaxRequestWorkers for prefork). */
    int daemons_limit;
    int checked; /* check_config() has run */
    struct {
        const char *file;
        int line;
    } where[MPM_NFIELDS];
} mpm_config;

/* The MPM's settings of a generation, created (all UNSET) on first use. */
mpm_config *mpm_config_get(resolved_config *rc);

/* Generic setter for MPM command_recs: context must be global (Apache's
 * GLOBAL_ONLY), the number is parsed as Apache's atoi() does, and the
 * command_rec's offset names the int field.  The field index for
 * diagnostics is taken from the offset. */
const char *mpm_set_int_slot(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[]);
/* AsyncRequestWorkerFactor: a positive decimal number. */
const char *mpm_set_async_factor(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[]);

/* Apache's compile-time limits and defaults. */
#define PREFORK_MAX_SERVER_LIMIT 200000
#define WORKER_MAX_SERVER_LIMIT 20000
#define WORKER_MAX_THREAD_LIMIT 20000
#define EVENT_MAX_SERVER_LIMIT 20000
#define EVENT_MAX_THREAD_LIMIT 100000

/* The clamping steps.  base_code is the first AH number of the MPM's
 * sequence (prefork 175; worker 300; event 497); module is "mpm_worker".
 * Return 0 (the values can always be made to run). */
int mpm_check_prefork(resolved_config *rc, diag_sink *diag);
int mpm_check_threaded(resolved_config *rc, diag_sink *diag, const char *module,
                       int base_code, int max_servers, int max_threads);

/* Fill a query from the (checked) settings. */
void mpm_query_fill(const resolved_config *rc, int threaded,
                    struct mpm_query *q);

/* Restart state kept by the parent process across generations: after the
 * first run() the clamping warnings take their restart shapes and
 * ServerLimit/ThreadLimit may not change.  mpm_config_started() records the
 * limits the scoreboard was made with by MPM module ("mpm_event"); a
 * restart into another MPM starts over with that MPM's limits.
 * mpm_config_forget() (tests) resets. */
void mpm_config_started(const char *module, int server_limit, int thread_limit);
void mpm_config_forget(void);
int mpm_config_is_restart(void);

#endif
