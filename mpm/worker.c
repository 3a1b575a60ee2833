/* worker.c -- the worker MPM: processes with a fixed pool of threads.
 *
 * Each child runs one listener thread and ThreadsPerChild worker threads
 * that talk through one bounded queue (mpm/common/mpm_queue.c).  The
 * listener accepts only while a worker is idle.  The parent (shared with
 * the other MPMs, mpm/common/mpm_parent.c) keeps idle threads between
 * MinSpareThreads and MaxSpareThreads by forking or retiring whole
 * children, within MaxRequestWorkers / ThreadsPerChild processes. */
#include "mpm.h"
#include "log.h"
#include "common/mpm_config.h"
#include "common/mpm_parent.h"
#include "common/mpm_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec worker_cmds[] = {
    { "StartServers", mpm_set_int_slot, INT_SLOT(start_servers), RSRC_CONF,
      TAKE1, "Number of child processes launched at server startup" },
    { "MinSpareThreads", mpm_set_int_slot, INT_SLOT(min_spare_threads),
      RSRC_CONF, TAKE1,
      "Minimum number of idle threads, to handle request spikes" },
    { "MaxSpareThreads", mpm_set_int_slot, INT_SLOT(max_spare_threads),
      RSRC_CONF, TAKE1, "Maximum number of idle threads" },
    { "MaxClients", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Deprecated name of MaxRequestWorkers" },
    { "MaxRequestWorkers", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Maximum number of threads alive at the same time" },
    { "ThreadsPerChild", mpm_set_int_slot, INT_SLOT(threads_per_child),
      RSRC_CONF, TAKE1, "Number of threads each child creates" },
    { "ServerLimit", mpm_set_int_slot, INT_SLOT(server_limit), RSRC_CONF,
      TAKE1, "Maximum number of child processes for this run of Apache" },
    { "ThreadLimit", mpm_set_int_slot, INT_SLOT(thread_limit), RSRC_CONF,
      TAKE1, "Maximum number of worker threads per child process for this "
      "run of Apache - Upper limit for ThreadsPerChild" },
    { NULL, NULL, 0, 0, 0, NULL },
};

static module worker_mod = {
    .name = "mpm_worker_module",
    .file = "worker.c",
    .cmds = worker_cmds,
};

static void worker_query(const resolved_config *rc, struct mpm_query *q)
{
    mpm_query_fill(rc, 1, q);
}

static int worker_check_config(resolved_config *rc, diag_sink *diag)
{
    return mpm_check_threaded(rc, diag, "mpm_worker", 300, WORKER_MAX_SERVER_LIMIT,
                              WORKER_MAX_THREAD_LIMIT);
}

/* ---- runtime ------------------------------------------------------------ */

static const struct mpm_codes worker_codes = {
    "mpm_worker", 292, 297, 298, 295, 296, 286,
};

/* One child process: a listener thread feeding ThreadsPerChild workers
 * through one bounded queue. */
struct worker_child {
    mpm_context *ctx;
    mpm_scoreboard *sb;
    int slot;
    int threads;
    mpm_queue *queue;
    int quit;              /* atomic: stop accepting, finish, exit */
};

struct worker_thread {
    struct worker_child *child;
    int index;
    pthread_t tid;
};

static int worker_stopping(void *arg)
{
    struct worker_child *w = arg;
    return __atomic_load_n(&w->quit, __ATOMIC_ACQUIRE);
}

static void *worker_main(void *arg)
{
    struct worker_thread *t = arg;
    struct worker_child *w = t->child;
    struct mpm_queue_item item;
    for (;;) {
        mpm_sb_set(w->sb, w->slot, t->index, SB_READY);
        if (mpm_queue_pop(w->queue, &item) < 0)
            break;
        mpm_sb_set(w->sb, w->slot, t->index, SB_BUSY);
        http_conn *c = http_conn_create(item.fd, (struct sockaddr *)&item.peer,
                                        item.peerlen,
                                        &w->ctx->listeners[item.listener],
                                        w->ctx->rc);
        if (c == NULL) {
            close(item.fd);
            continue;
        }
        mpm_serve_blocking(c, worker_stopping, w, NULL);
        mpm_sb_count_served(w->sb, w->slot, t->index);
    }
    mpm_sb_set(w->sb, w->slot, t->index, SB_DEAD);
    http_conn_thread_done();
    return NULL;
}

/* Accept only when a worker is idle, so a busy child leaves connections
 * in the backlog for another; stop after MaxConnectionsPerChild. */
static void *listener_main(void *arg)
{
    struct worker_child *w = arg;
    const mpm_context *ctx = w->ctx;
    int maxconn = ctx->rc->max_connections_per_child;
    unsigned long accepted = 0;
    int ep = mpm_listen_epoll(ctx);
    while (ep >= 0 && !worker_stopping(w)) {
        if (mpm_queue_wait_idle(w->queue, 250) <= 0)
            continue;
        struct epoll_event ev;
        if (epoll_wait(ep, &ev, 1, 250) <= 0)
            continue;
        struct mpm_queue_item item = { .listener = (int)ev.data.u32 };
        item.fd = mpm_accept_from(ctx, item.listener, &item.peer,
                                  &item.peerlen);
        if (item.fd < 0)
            continue;
        if (mpm_queue_push(w->queue, &item) < 0) {
            close(item.fd);
            break;
        }
        if (maxconn > 0 && ++accepted >= (unsigned long)maxconn)
            break;
    }
    __atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
    if (ep >= 0)
        close(ep);
    /* Workers serve what is queued, then find the queue closed. */
    mpm_queue_close(w->queue);
    return NULL;
}

static int worker_child_main(int slot, void *arg)
{
    struct worker_child *w = arg;
    w->slot = slot;
    http_engine_child_init(w->ctx->rc);
    w->queue = mpm_queue_create(w->threads);
    struct worker_thread *ts = calloc((size_t)w->threads, sizeof(*ts));
    if (w->queue == NULL || ts == NULL)
        return 1;
    int started = 0;
    for (int i = 0; i < w->threads; i++) {
        ts[i].child = w;
        ts[i].index = i;
        if (pthread_create(&ts[i].tid, NULL, worker_main, &ts[i]) != 0) {
            log_error(APLOG_ALERT, worker_codes.module, errno,
                      "AH00281: pthread_create: unable to create worker "
                      "thread");
            break;
        }
        started++;
    }
    pthread_t listener;
    int have_listener =
        started > 0 && pthread_create(&listener, NULL, listener_main, w) == 0;
    /* The main thread takes the signals (USR1/WINCH: graceful). */
    while (have_listener && !mpm_child_stop && !mpm_parent_signalled &&
           !worker_stopping(w))
        mpm_parent_wait(200);
    __atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
    if (have_listener)
        pthread_join(listener, NULL);
    mpm_queue_close(w->queue);
    for (int i = 0; i < started; i++)
        pthread_join(ts[i].tid, NULL);
    mpm_queue_destroy(w->queue);
    free(ts);
    return 0;
}

static enum mpm_exit worker_run(mpm_context *ctx)
{
    static struct worker_child child;
    mpm_config *cfg = mpm_config_get(ctx->rc);
    if (!cfg->checked)
        worker_check_config(ctx->rc, NULL);
    mpm_scoreboard *sb = mpm_scoreboard_get(cfg->server_limit,
                                            cfg->thread_limit);
    mpm_config_started("mpm_worker", cfg->server_limit, cfg->thread_limit);
    mpm_signals_parent();
    child.ctx = ctx;
    child.sb = sb;
    child.threads = cfg->threads_per_child;
    if (child.threads > sb->thread_limit)
        child.threads = sb->thread_limit;
    child.quit = 0;
    if (ctx->one_process) {
        /* -X: the child's code in this process; any signal stops it. */
        worker_child_main(0, &child);
        int action = mpm_signal_action();
        return action < 0 ? MPM_EXIT_STOP : (enum mpm_exit)action;
    }
    struct mpm_parent parent = {
        .ctx = ctx,
        .sb = sb,
        .codes = &worker_codes,
        .child_main = worker_child_main,
        .child_arg = &child,
        .threads_per_child = child.threads,
        .start_servers = cfg->start_servers,
        .daemons_limit = cfg->daemons_limit,
        .min_idle = cfg->min_spare_threads,
        .max_idle = cfg->max_spare_threads,
    };
    return mpm_parent_run(&parent);
}

const struct mpm_module mpm_worker_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "worker", &worker_mod,
    worker_query, worker_check_config, worker_run,
};
