/* mpm_parent.c -- start, maintain and stop children; see mpm_parent.h. */
#include "mpm_parent.h"

#include <signal.h>
#include <string.h>

#include "log.h"

#define MAX_SPAWN_RATE 32

static int spawn_children(struct mpm_parent *p, int n)
{
    int made = 0;
    for (int i = 0; i < n; i++) {
        int slot = mpm_free_slot(p->sb, p->daemons_limit);
        if (slot < 0 || mpm_spawn(p->sb, slot, p->child_main, p->child_arg) < 0)
            break;
        made++;
    }
    return made;
}

int mpm_parent_idle(const struct mpm_parent *p, int *free_slots,
                    int *retire_slot)
{
    const mpm_scoreboard *sb = p->sb;
    int idle = 0, free_n = 0, retire = -1;
    for (int i = 0; i < p->daemons_limit && i < sb->server_limit; i++) {
        const sb_process *ps = &sb->procs[i];
        if (ps->pid == 0) {
            free_n++;
            continue;
        }
        if (ps->generation != sb->generation || ps->quiescing)
            continue;
        if (mpm_sb_get(sb, i, 0) == SB_STARTING) {
            idle += p->threads_per_child; /* all of it will be ready */
            continue;
        }
        int child_idle = 0;
        for (int t = 0; t < p->threads_per_child; t++)
            if (mpm_sb_get(sb, i, t) == SB_READY)
                child_idle++;
        idle += child_idle;
        /* Retire the child that is idle as a whole, preferring the last. */
        if (child_idle == p->threads_per_child)
            retire = i;
    }
    if (free_slots != NULL)
        *free_slots = free_n;
    if (retire_slot != NULL)
        *retire_slot = retire;
    return idle;
}

/* The scoreboard at a glance, logged at LogLevel debug when it changes. */
static void log_scoreboard(struct mpm_parent *p, int idle)
{
    const mpm_scoreboard *sb = p->sb;
    int busy = 0;
    for (int i = 0; i < sb->server_limit; i++) {
        if (sb->procs[i].pid == 0)
            continue;
        for (int t = 0; t < sb->thread_limit; t++)
            busy += sb_state_busy(mpm_sb_get(sb, i, t));
    }
    int procs = mpm_children(sb, -1);
    int old = procs - mpm_children(sb, sb->generation);
    int now[4] = {procs, old, busy, idle};
    if (memcmp(now, p->last_report, sizeof(now)) == 0)
        return;
    memcpy(p->last_report, now, sizeof(now));
    log_error(APLOG_DEBUG, p->codes->module, 0,
              "scoreboard: %d children (%d of an older generation), %d busy "
              "and %d idle workers",
              procs, old, busy, idle);
}

/* Apache's "server seems busy" line (LogLevel info), worded per MPM. */
static void log_busy(const struct mpm_parent *p, int n, int idle)
{
    const char *m = p->codes->module;
    int total = mpm_children(p->sb, -1);
    if (p->codes->max_reached == 161) { /* prefork */
        log_error(APLOG_INFO, m, 0,
                  "AH00162: server seems busy, (you may "
                  "need to increase StartServers, or Min/MaxSpareServers), "
                  "spawning %d children, there are %d idle, and %d total "
                  "children",
                  n, idle, total);
    } else if (p->codes->max_reached == 286) { /* worker */
        log_error(APLOG_INFO, m, 0,
                  "AH00289: server seems busy, (you may "
                  "need to increase StartServers, ThreadsPerChild or "
                  "Min/MaxSpareThreads), spawning %d children, there are "
                  "around %d idle threads, and %d total children",
                  n, idle, total);
    } else {
        int current = mpm_children(p->sb, p->sb->generation);
        log_error(APLOG_INFO, m, 0,
                  "AH00486: server seems busy, (you may "
                  "need to increase StartServers, ThreadsPerChild or "
                  "Min/MaxSpareThreads), spawning %d children, there are "
                  "around %d idle threads, %d active children, and %d "
                  "children that are shutting down",
                  n, idle, current, total - current);
    }
}

/* One pass, once a second. */
static void maintain(struct mpm_parent *p)
{
    int free_slots, retire;
    int idle = mpm_parent_idle(p, &free_slots, &retire);
    log_scoreboard(p, idle);
    if (idle > p->max_idle && retire >= 0 &&
        mpm_children(p->sb, p->sb->generation) > 1) {
        p->sb->procs[retire].quiescing = 1;
        kill(p->sb->procs[retire].pid, SIGUSR1);
        p->spawn_rate = 1;
        return;
    }
    if (idle >= p->min_idle) {
        p->spawn_rate = 1;
        return;
    }
    if (free_slots == 0) {
        if (!p->reported_full)
            log_error(APLOG_ERR, p->codes->module, 0,
                      "AH%05d: server reached MaxRequestWorkers setting, "
                      "consider raising the MaxRequestWorkers setting",
                      p->codes->max_reached);
        p->reported_full = 1;
        p->spawn_rate = 1;
        return;
    }
    /* Threaded MPMs need only enough children to cover the shortfall. */
    int need =
        (p->min_idle - idle + p->threads_per_child - 1) / p->threads_per_child;
    int n = p->spawn_rate;
    if (n > free_slots)
        n = free_slots;
    if (p->threads_per_child > 1 && n > need)
        n = need;
    if (p->spawn_rate >= 8)
        log_busy(p, n, idle);
    spawn_children(p, n);
    if (p->spawn_rate < MAX_SPAWN_RATE)
        p->spawn_rate *= 2;
}

static enum mpm_exit finish(struct mpm_parent *p, int action)
{
    mpm_scoreboard *sb = p->sb;
    switch (action) {
    case MPM_EXIT_GRACEFUL:
        sb->generation++;
        mpm_children_signal(sb, SIGUSR1, sb->generation);
        break;
    case MPM_EXIT_GRACEFUL_STOP: {
        int t = p->ctx->rc->graceful_shutdown_timeout;
        mpm_children_stop(sb, SIGUSR1, t > 0 ? t * 1000 : -1);
        break;
    }
    default:
        sb->generation++;
        mpm_children_stop(sb, SIGTERM, 3000);
        break;
    }
    return (enum mpm_exit)action;
}

enum mpm_exit mpm_parent_run(struct mpm_parent *p)
{
    p->spawn_rate = 1;
    p->reported_full = 0;
    memset(p->last_report, 0xff, sizeof(p->last_report));
    mpm_reap(p->sb);
    mpm_sb_publish(p->sb, p->ctx, p->threads_per_child, p->daemons_limit);
    int start = p->start_servers;
    if (start > p->daemons_limit)
        start = p->daemons_limit;
    spawn_children(p, start - mpm_children(p->sb, p->sb->generation));
    int64_t next = mpm_now_ms() + 1000;
    for (;;) {
        int64_t left = next - mpm_now_ms();
        if (left > 0)
            mpm_parent_wait((int)left);
        mpm_reap(p->sb);
        int action = mpm_signal_action();
        if (action >= 0)
            return finish(p, action);
        if (mpm_now_ms() >= next) {
            maintain(p);
            next = mpm_now_ms() + 1000;
        }
    }
}
