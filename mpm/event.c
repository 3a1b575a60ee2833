/* event.c -- the event MPM: worker's processes and thread pools, with a
 * listener thread that owns every connection not being processed.
 *
 * A connection is handed to a worker thread only when it has something to
 * do: it is accepted and dispatched, runs in http_conn_run() until the
 * engine would block, and is then parked by that worker with what it
 * waits for: a request head or body (Timeout), the next request of a
 * keep-alive connection (KeepAliveTimeout), a writable socket, or the end
 * of a lingering close.  Parked connections sit in the listener thread's
 * epoll set (one-shot) and in a timeout queue per timeout value; each
 * queue is in deadline order because it is appended to with the same
 * timeout, so expiry only looks at the heads.  The worker queues and
 * arms under one lock, so parking costs no wake-up of the listener.  Silent, slowloris
 * and idle keep-alive clients thus cost a buffer and a file descriptor,
 * not a thread.
 *
 * AsyncRequestWorkerFactor bounds the connections that want a worker
 * (queued or running) to ThreadsPerChild * (1 + factor); past it the child
 * stops accepting and leaves new connections to other children.  Unlike
 * Apache, parked connections do not count against it: they need no
 * thread, and counting them is what makes Apache's event MPM stop
 * answering with a few thousand idle clients. */
#include "mpm.h"
#include "log.h"
#include "common/mpm_config.h"
#include "common/mpm_parent.h"
#include "common/mpm_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec event_cmds[] = {
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
    { "AsyncRequestWorkerFactor", mpm_set_async_factor, 0, RSRC_CONF, TAKE1,
      "How many additional connects will be accepted per idle worker thread" },
    { NULL, NULL, 0, 0, 0, NULL },
};

static module event_mod = {
    .name = "mpm_event_module",
    .file = "event.c",
    .cmds = event_cmds,
};

static void event_query(const resolved_config *rc, struct mpm_query *q)
{
    mpm_query_fill(rc, 1, q);
    q->async = 1;
}

static int event_check_config(resolved_config *rc, diag_sink *diag)
{
    return mpm_check_threaded(rc, diag, "mpm_event", 497, EVENT_MAX_SERVER_LIMIT,
                              EVENT_MAX_THREAD_LIMIT);
}

/* ---- runtime ------------------------------------------------------------ */

static const struct mpm_codes event_codes = {
    "mpm_event", 489, 493, 494, 491, 492, 484,
};

#define TAG_EVENTFD 63u   /* epoll data below 64: listener index or this */
#define QUEUE_ITEMS 8192

/* A connection the child holds.  Exactly one thread owns it at a time:
 * the listener while it is parked (in a timeout queue and armed in
 * epoll), a worker while it runs; hand-over goes through the worker
 * queue or tq_lock, both mutexes. */
struct event_conn {
    http_conn *c;
    int fd;
    enum http_wait st;
    int64_t deadline;
    struct timeout_queue *tq;
    struct event_conn *prev, *next; /* timeout queue, or park list */
    int armed;                      /* registered in epoll */
};

/* Connections waiting with the same timeout, oldest first: appending
 * keeps them in deadline order, so expiry looks only at the heads. */
struct timeout_queue {
    int ms;
    struct event_conn *head, *tail;
    struct timeout_queue *next;
};

struct event_child {
    mpm_context *ctx;
    mpm_scoreboard *sb;
    mpm_config *cfg;
    int slot;
    int threads;
    int max_active;          /* ThreadsPerChild * (1 + AsyncRequestWorkerFactor) */
    mpm_queue *queue;        /* listener -> workers */
    int ep;                  /* the listener thread's epoll set */
    int evfd;                /* wakes the listener */
    pthread_mutex_t tq_lock;   /* the timeout queues and arming */
    int quit;                /* atomic: graceful stop requested */
    int active;              /* atomic: connections queued for or in a worker */
    int held;                /* atomic: connections open in this child */
    struct timeout_queue *queues; /* under tq_lock */
    /* listener thread only */
#define PENDING_MAX 64
    struct mpm_queue_item pending[PENDING_MAX]; /* for the workers */
    int npending;
    int listening;
    unsigned long accepted;
};

enum { EV_READY = 0, EV_TIMEOUT = 1 };

static void wake_listener(struct event_child *e)
{
    uint64_t one = 1;
    ssize_t w = write(e->evfd, &one, sizeof(one));
    (void)w;
}

static void conn_close(struct event_child *e, struct event_conn *ec)
{
    http_conn_destroy(ec->c);
    free(ec);
    __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
}

/* ---- worker threads ---- */

struct event_worker {
    struct event_child *child;
    int index;
    pthread_t tid;
};

static struct event_conn *conn_new(struct event_child *e,
                                   const struct mpm_queue_item *item)
{
    http_conn *c = http_conn_create(item->fd, (const struct sockaddr *)&item->peer,
                                    item->peerlen,
                                    &e->ctx->listeners[item->listener],
                                    e->ctx->rc);
    if (c == NULL) {
        close(item->fd);
        __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    struct event_conn *ec = calloc(1, sizeof(*ec));
    if (ec == NULL) {
        http_conn_destroy(c);
        __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    ec->c = c;
    ec->fd = item->fd;
    return ec;
}

static void park(struct event_child *e, struct event_conn *ec);

static void *event_worker_main(void *arg)
{
    struct event_worker *w = arg;
    struct event_child *e = w->child;
    struct mpm_queue_item item;
    for (;;) {
        mpm_sb_set(e->sb, e->slot, w->index, SB_READY);
        if (mpm_queue_pop(e->queue, &item) < 0)
            break;
        mpm_sb_set(e->sb, e->slot, w->index, SB_BUSY);
        struct event_conn *ec = item.conn;
        if (ec == NULL)
            ec = conn_new(e, &item);
        if (ec != NULL) {
            ec->st = item.event == EV_TIMEOUT ? http_conn_timeout(ec->c)
                                              : http_conn_run(ec->c);
            if (ec->st == HTTP_DONE)
                conn_close(e, ec);
            else
                park(e, ec);
        }
        __atomic_sub_fetch(&e->active, 1, __ATOMIC_RELAXED);
        mpm_sb_count_served(e->sb, e->slot, w->index);
    }
    mpm_sb_set(e->sb, e->slot, w->index, SB_DEAD);
    return NULL;
}

/* ---- the listener thread ---- */

/* Items for the workers are collected while the listener handles one
 * epoll batch and handed over under one lock (flush_dispatch). */

static void drop_item(struct event_child *e, const struct mpm_queue_item *item)
{
    __atomic_sub_fetch(&e->active, 1, __ATOMIC_RELAXED);
    if (item->conn != NULL) {
        conn_close(e, item->conn);
    } else {
        close(item->fd);
        __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
    }
}

static void flush_dispatch(struct event_child *e)
{
    int n = e->npending;
    int done = n > 0 ? mpm_queue_push_batch(e->queue, e->pending, n) : 0;
    for (int i = done; i < n; i++) /* queue closed: shutting down */
        drop_item(e, &e->pending[i]);
    e->npending = 0;
}

static void dispatch(struct event_child *e, const struct mpm_queue_item *item)
{
    __atomic_add_fetch(&e->active, 1, __ATOMIC_RELAXED);
    if (e->npending == PENDING_MAX)
        flush_dispatch(e);
    e->pending[e->npending++] = *item;
}

static void tq_remove(struct event_conn *ec)
{
    struct timeout_queue *q = ec->tq;
    if (q == NULL)
        return;
    if (ec->prev)
        ec->prev->next = ec->next;
    else
        q->head = ec->next;
    if (ec->next)
        ec->next->prev = ec->prev;
    else
        q->tail = ec->prev;
    ec->prev = ec->next = NULL;
    ec->tq = NULL;
}

static struct timeout_queue *tq_for(struct event_child *e, int ms)
{
    for (struct timeout_queue *q = e->queues; q; q = q->next)
        if (q->ms == ms)
            return q;
    struct timeout_queue *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return NULL;
    q->ms = ms;
    q->next = e->queues;
    e->queues = q;
    return q;
}

/* The timeout queue a wait goes to.  Waits that vary per connection (a
 * lingering close's remaining time) are rounded up, to 250 ms below 5 s
 * and to whole seconds above, so the number of queues stays small and
 * each stays in deadline order; a wait may end up to that much later. */
static int queue_ms(int ms)
{
    if (ms <= 0)
        return 0;
    int step = ms <= 5000 ? 250 : 1000;
    return (ms + step - 1) / step * step;
}

/* Park (called by the worker that ran it): append to the queue of its
 * timeout and arm it in epoll, both under tq_lock, so the listener sees
 * either nothing or a connection that is queued and armed.  Arming is a
 * one-shot registration: the connection fires once, then belongs to the
 * thread it is dispatched to. */
static void park(struct event_child *e, struct event_conn *ec)
{
    if (ec->st == HTTP_WAIT_KEEPALIVE &&
        __atomic_load_n(&e->quit, __ATOMIC_ACQUIRE)) {
        conn_close(e, ec); /* graceful stop: idle connections go now */
        return;
    }
    int ms = queue_ms(http_conn_wait_ms(ec->c));
    struct epoll_event ev = {
        .events = EPOLLONESHOT | EPOLLRDHUP |
                  (ec->st == HTTP_WAIT_WRITE ? EPOLLOUT : EPOLLIN),
    };
    ev.data.ptr = ec;
    pthread_mutex_lock(&e->tq_lock);
    struct timeout_queue *q = tq_for(e, ms);
    int ok = q != NULL;
    if (ok) {
        ec->deadline = mpm_now_ms() + ms;
        ec->tq = q;
        ec->next = NULL;
        ec->prev = q->tail;
        if (q->tail)
            q->tail->next = ec;
        else
            q->head = ec;
        q->tail = ec;
        int op = ec->armed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        ok = epoll_ctl(e->ep, op, ec->fd, &ev) == 0;
        if (ok)
            ec->armed = 1;
        else
            tq_remove(ec);
    }
    pthread_mutex_unlock(&e->tq_lock);
    if (!ok)
        conn_close(e, ec);
}

/* The listener got an event for a parked connection: take it back. */
static void unpark(struct event_child *e, struct event_conn *ec)
{
    pthread_mutex_lock(&e->tq_lock);
    tq_remove(ec);
    pthread_mutex_unlock(&e->tq_lock);
}

/* Expired connections: idle keep-alive ones are closed; the others go to
 * a worker for http_conn_timeout() (408, lingering close...).  Returns
 * the ms until the next deadline (at most 1000). */
static int expire(struct event_child *e, int64_t now, int stopping)
{
    int next = 1000;
    struct event_conn *expired = NULL;
    pthread_mutex_lock(&e->tq_lock);
    for (struct timeout_queue *q = e->queues; q; q = q->next) {
        while (q->head != NULL &&
               (q->head->deadline <= now ||
                (stopping && q->head->st == HTTP_WAIT_KEEPALIVE))) {
            struct event_conn *ec = q->head;
            tq_remove(ec);
            epoll_ctl(e->ep, EPOLL_CTL_DEL, ec->fd, NULL);
            ec->armed = 0;
            ec->next = expired;
            expired = ec;
        }
        if (q->head != NULL && q->head->deadline - now < next)
            next = (int)(q->head->deadline - now);
    }
    pthread_mutex_unlock(&e->tq_lock);
    while (expired != NULL) {
        struct event_conn *ec = expired;
        expired = ec->next;
        ec->next = NULL;
        if (ec->st == HTTP_WAIT_KEEPALIVE) {
            conn_close(e, ec);
        } else {
            struct mpm_queue_item item = { .fd = ec->fd, .conn = ec,
                                           .event = EV_TIMEOUT };
            dispatch(e, &item);
        }
    }
    return next < 0 ? 0 : next;
}

static void accept_pending(struct event_child *e);

/* Listeners are in the set only while this child may take connections.
 * They are registered with EPOLLEXCLUSIVE, so a new connection wakes one
 * child; a child that takes itself out must therefore accept whatever is
 * already waiting, or its wake-up would be lost until the next arrival. */
static void set_listening(struct event_child *e, int on)
{
    if (e->listening == on)
        return;
    for (int i = 0; i < e->ctx->nlisteners; i++) {
        struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
        ev.data.u64 = (uint64_t)i;
        epoll_ctl(e->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
                  e->ctx->listeners[i].fd, &ev);
    }
    e->listening = on;
    if (!on)
        accept_pending(e);
}

static int may_accept(struct event_child *e)
{
    int maxconn = e->ctx->rc->max_connections_per_child;
    if (maxconn > 0 && e->accepted >= (unsigned long)maxconn)
        return 0;
    return __atomic_load_n(&e->active, __ATOMIC_RELAXED) < e->max_active;
}

static int take_one(struct event_child *e, int which)
{
    struct mpm_queue_item item = { .listener = which };
    item.fd = mpm_accept_from(e->ctx, which, &item.peer, &item.peerlen);
    if (item.fd < 0)
        return -1;
    e->accepted++;
    __atomic_add_fetch(&e->held, 1, __ATOMIC_RELAXED);
    dispatch(e, &item);
    return 0;
}

/* Woken for a listener: take at least one connection (the wake-up was
 * ours alone), more while the child is below its limits. */
static void accept_some(struct event_child *e, int which)
{
    if (take_one(e, which) < 0)
        return;
    for (int n = 0; n < 15 && may_accept(e); n++)
        if (take_one(e, which) < 0)
            return;
}

/* Bounded, so a child at its limit takes at most a few extra. */
static void accept_pending(struct event_child *e)
{
    for (int i = 0; i < e->ctx->nlisteners; i++)
        for (int n = 0; n < 64; n++)
            if (take_one(e, i) < 0)
                break;
}

static void *event_listener_main(void *arg)
{
    struct event_child *e = arg;
    struct epoll_event evs[256];
    int timeout = 0;
    int maxconn = e->ctx->rc->max_connections_per_child;
    for (;;) {
        int stopping = __atomic_load_n(&e->quit, __ATOMIC_ACQUIRE) ||
                       (maxconn > 0 && e->accepted >= (unsigned long)maxconn);
        set_listening(e, !stopping && may_accept(e));
        flush_dispatch(e);
        if (stopping && __atomic_load_n(&e->held, __ATOMIC_RELAXED) == 0)
            break;
        int n = epoll_wait(e->ep, evs, 256, timeout);
        int64_t now = mpm_now_ms();
        for (int i = 0; i < n; i++) {
            uint64_t tag = evs[i].data.u64;
            if (tag == TAG_EVENTFD) {
                uint64_t n;
                ssize_t r = read(e->evfd, &n, sizeof(n));
                (void)r;
            } else if (tag < (uint64_t)e->ctx->nlisteners) {
                accept_some(e, (int)tag);
            } else {
                struct event_conn *ec = evs[i].data.ptr;
                unpark(e, ec);
                struct mpm_queue_item item = { .fd = ec->fd, .conn = ec,
                                               .event = EV_READY };
                dispatch(e, &item);
            }
        }
        flush_dispatch(e);
        timeout = expire(e, now, stopping);
        flush_dispatch(e);
        if (stopping && timeout > 100)
            timeout = 100;
    }
    __atomic_store_n(&e->quit, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* ---- the child process ---- */

static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int event_setup(struct event_child *e)
{
    mpm_listeners_nonblocking(e->ctx);
    e->queue = mpm_queue_create(QUEUE_ITEMS);
    e->ep = epoll_create1(EPOLL_CLOEXEC);
    e->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (e->queue == NULL || e->ep < 0 || e->evfd < 0)
        return -1;
    struct epoll_event ev = { .events = EPOLLIN };
    ev.data.u64 = TAG_EVENTFD;
    if (epoll_ctl(e->ep, EPOLL_CTL_ADD, e->evfd, &ev) < 0)
        return -1;
    pthread_mutex_init(&e->tq_lock, NULL);
    e->listening = 0;
    e->accepted = 0;
    e->queues = NULL;
    return 0;
}

static void event_teardown(struct event_child *e)
{
    while (e->queues != NULL) {
        struct timeout_queue *q = e->queues;
        while (q->head != NULL) {
            struct event_conn *ec = q->head;
            tq_remove(ec);
            conn_close(e, ec);
        }
        e->queues = q->next;
        free(q);
    }
    mpm_queue_destroy(e->queue);
    close(e->ep);
    close(e->evfd);
    pthread_mutex_destroy(&e->tq_lock);
}

static int event_child_main(int slot, void *arg)
{
    struct event_child *e = arg;
    e->slot = slot;
    raise_fd_limit();
    http_engine_child_init(e->ctx->rc);
    if (event_setup(e) < 0) {
        log_error(APLOG_EMERG, event_codes.module, errno,
                  "event: cannot set up the listener");
        return 1;
    }
    struct event_worker *ws = calloc((size_t)e->threads, sizeof(*ws));
    int started = 0;
    for (int i = 0; ws != NULL && i < e->threads; i++) {
        ws[i].child = e;
        ws[i].index = i;
        if (pthread_create(&ws[i].tid, NULL, event_worker_main, &ws[i]) != 0) {
            log_error(APLOG_ALERT, event_codes.module, errno,
                      "AH00480: pthread_create: unable to create worker "
                      "thread");
            break;
        }
        started++;
    }
    pthread_t listener;
    int have_listener = started > 0 &&
        pthread_create(&listener, NULL, event_listener_main, e) == 0;
    /* The main thread takes the signals (USR1/WINCH: graceful). */
    while (have_listener && !mpm_child_stop && !mpm_parent_signalled &&
           !__atomic_load_n(&e->quit, __ATOMIC_ACQUIRE))
        mpm_parent_wait(200);
    __atomic_store_n(&e->quit, 1, __ATOMIC_RELEASE);
    wake_listener(e);
    if (have_listener)
        pthread_join(listener, NULL);
    mpm_queue_close(e->queue);
    for (int i = 0; i < started; i++)
        pthread_join(ws[i].tid, NULL);
    event_teardown(e);
    free(ws);
    return 0;
}

static enum mpm_exit event_run(mpm_context *ctx)
{
    static struct event_child child;
    mpm_config *cfg = mpm_config_get(ctx->rc);
    if (!cfg->checked)
        event_check_config(ctx->rc, NULL);
    mpm_scoreboard *sb = mpm_scoreboard_get(cfg->server_limit,
                                            cfg->thread_limit);
    mpm_config_started("mpm_event", cfg->server_limit, cfg->thread_limit);
    mpm_signals_parent();
    memset(&child, 0, sizeof(child));
    child.ctx = ctx;
    child.sb = sb;
    child.cfg = cfg;
    child.threads = cfg->threads_per_child;
    if (child.threads > sb->thread_limit)
        child.threads = sb->thread_limit;
    child.max_active = (int)(child.threads * (1.0 + cfg->async_factor));
    if (child.max_active < child.threads)
        child.max_active = child.threads;
    if (ctx->one_process) {
        event_child_main(0, &child);
        int action = mpm_signal_action();
        return action < 0 ? MPM_EXIT_STOP : (enum mpm_exit)action;
    }
    struct mpm_parent parent = {
        .ctx = ctx,
        .sb = sb,
        .codes = &event_codes,
        .child_main = event_child_main,
        .child_arg = &child,
        .threads_per_child = child.threads,
        .start_servers = cfg->start_servers,
        .daemons_limit = cfg->daemons_limit,
        .min_idle = cfg->min_spare_threads,
        .max_idle = cfg->max_spare_threads,
    };
    return mpm_parent_run(&parent);
}

const struct mpm_module mpm_event_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "event", &event_mod,
    event_query, event_check_config, event_run,
};
