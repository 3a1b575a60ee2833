/* mpm_parent.h -- the parent process of every MPM, written once.
 *
 * It starts StartServers children, then once a second counts idle workers
 * of the current generation on the scoreboard (a prefork child is one
 * worker, a worker/event child ThreadsPerChild of them) and either retires
 * one child or spawns a batch of 1, 2, 4 ... 32 (Apache's idle spawn rate)
 * within the process limit, logging "server reached MaxRequestWorkers
 * setting" when it cannot.  A child that dies (crash, kill -9) simply
 * frees its slot and the next pass replaces it.  Signals end run():
 *   TERM  stop: children get TERM, then KILL after 3 s      -> MPM_EXIT_STOP
 *   HUP   restart: the same, the listeners stay open        -> MPM_EXIT_RESTART
 *   USR1  graceful: a new generation; old children get USR1, finish what
 *         they are doing and exit while the next run starts new ones
 *                                                            ->
 * MPM_EXIT_GRACEFUL WINCH graceful stop: children get USR1 and are waited for
 * up to GracefulShutdownTimeout (0: as long as it takes)  ->
 * MPM_EXIT_GRACEFUL_STOP The core logs the AH00169/AH00171/... lines when run()
 * returns.
 */
#ifndef HTTPD_MPM_PARENT_H
#define HTTPD_MPM_PARENT_H

#include "mpm_run.h"

struct mpm_parent {
    mpm_context *ctx;
    mpm_scoreboard *sb;
    const struct mpm_codes *codes;
    int (*child_main)(int slot, void *arg);
    void *child_arg;
    int threads_per_child;  /* 1 for prefork */
    int start_servers;      /* processes */
    int daemons_limit;      /* process limit: MaxRequestWorkers / threads */
    int min_idle, max_idle; /* idle workers (threads or processes) */
    /* kept between passes */
    int spawn_rate;
    int reported_full;
    int last_report[4]; /* scoreboard summary last logged (debug) */
};

/* Run the parent until a signal ends this generation (see above). */
enum mpm_exit mpm_parent_run(struct mpm_parent *p);

/* Idle workers of the current generation, as the parent counts them. */
int mpm_parent_idle(const struct mpm_parent *p, int *free_slots,
                    int *retire_slot);

#endif
