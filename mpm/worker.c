/* worker.c -- the worker MPM: processes with a fixed pool of threads.
 *
 * Each child runs one listener thread and ThreadsPerChild worker threads.
 * A connection holds one of the child's ThreadsPerChild slots from accept
 * to close (Apache's worker: a connection per worker), so the listener
 * accepts only while a slot is free; while a connection waits it sits in
 * the child's epoll set and any free worker thread runs it when it is
 * ready (see "runtime" below).  The parent (shared with the other MPMs,
 * mpm/common/mpm_parent.c) keeps idle slots between MinSpareThreads and
 * MaxSpareThreads by forking or retiring whole children, within
 * MaxRequestWorkers / ThreadsPerChild processes. */
#include "common/mpm_config.h"
#include "common/mpm_parent.h"
#include "log.h"
#include "mpm.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec worker_cmds[] = {
    {"StartServers", mpm_set_int_slot, INT_SLOT(start_servers), RSRC_CONF,
     TAKE1, "Number of child processes launched at server startup"},
    {"MinSpareThreads", mpm_set_int_slot, INT_SLOT(min_spare_threads),
     RSRC_CONF, TAKE1,
     "Minimum number of idle threads, to handle request spikes"},
    {"MaxSpareThreads", mpm_set_int_slot, INT_SLOT(max_spare_threads),
     RSRC_CONF, TAKE1, "Maximum number of idle threads"},
    {"MaxClients", mpm_set_int_slot, INT_SLOT(max_request_workers), RSRC_CONF,
     TAKE1, "Deprecated name of MaxRequestWorkers"},
    {"MaxRequestWorkers", mpm_set_int_slot, INT_SLOT(max_request_workers),
     RSRC_CONF, TAKE1, "Maximum number of threads alive at the same time"},
    {"ThreadsPerChild", mpm_set_int_slot, INT_SLOT(threads_per_child),
     RSRC_CONF, TAKE1, "Number of threads each child creates"},
    {"ServerLimit", mpm_set_int_slot, INT_SLOT(server_limit), RSRC_CONF, TAKE1,
     "Maximum number of child processes for this run of Apache"},
    {"ThreadLimit", mpm_set_int_slot, INT_SLOT(thread_limit), RSRC_CONF, TAKE1,
     "Maximum number of worker threads per child process for this "
     "run of Apache - Upper limit for ThreadsPerChild"},
    {NULL, NULL, 0, 0, 0, NULL},
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
    return mpm_check_threaded(rc, diag, "mpm_worker", 300,
                              WORKER_MAX_SERVER_LIMIT, WORKER_MAX_THREAD_LIMIT);
}

/* ---- runtime ------------------------------------------------------------ */

static const struct mpm_codes worker_codes = {
    "mpm_worker", 292, 297, 298, 295, 296, 286,
};

/* A child has ThreadsPerChild connection slots.  A connection holds one
 * from accept to close, as it holds a worker thread in Apache's worker
 * MPM: a child serves at most that many connections at once (idle
 * keep-alive ones included), the listener accepts only while a slot is
 * free, and the scoreboard shows a slot's worker busy while a
 * connection holds it.  What a connection does not hold is one thread in
 * particular: while it waits (between keep-alive requests, for more of a
 * request, for a writable socket) it is parked in the child's epoll set,
 * and whichever worker thread is free runs it when it becomes ready.
 * A thread that finds another connection ready when it is done goes on
 * with that one without sleeping, so under load a keep-alive request
 * costs no thread switch (a thread tied to its connection paid a wake-up
 * per request).
 *
 * Ownership.  A slot's `state` word holds a generation (bumped when the
 * slot is freed), a park count, what a parked connection waits for and
 * one of the states below.  The socket is registered in the child's
 * epoll set once, edge-triggered, for input (and for output only while
 * it waits to write), with the slot and generation as data: parking
 * costs no system call, and an event for a connection closed since is
 * ignored.  The thread that turns a PARKED slot RUNNING owns it: the
 * worker that got its event, or the listener when the wait timed out.
 * An event that finds the slot RUNNING turns it PENDING, and the owner,
 * whose attempt to park then fails, runs the connection again itself:
 * bytes that came after its last read are never left unseen. */
enum slot_state { WS_FREE, WS_RUNNING, WS_PARKED, WS_PENDING };

#define ST(gen, seq, kind, st)                                                 \
    ((uint64_t)(gen) << 32 | (uint64_t)((seq)&0xffffu) << 16 |                 \
     (uint64_t)((kind)&0xffu) << 8 | (uint64_t)(st))
#define ST_GEN(s) ((uint32_t)((s) >> 32))
#define ST_SEQ(s) ((unsigned)((s) >> 16) & 0xffffu)
#define ST_KIND(s) ((int)((s) >> 8) & 0xff)
#define ST_STATE(s) ((int)(s)&0xff)

#define TAG_EVENTFD UINT64_MAX
#define SCAN_MS                                                                \
    50 /* how often the listener looks for expired waits,                      \
        * follows the live children and unsticks (see below) */

struct worker_slot {
    uint64_t state;   /* atomic, see above */
    int64_t deadline; /* atomic: when the parked wait times out */
    http_conn *c;     /* the owner's */
    int fd;
    unsigned armed; /* epoll events registered, 0: none (the owner's) */
    int next_free;  /* under the child's lock */
};

struct worker_child {
    mpm_context *ctx;
    mpm_scoreboard *sb;
    int slot;
    int threads; /* configured */
    int nslots;  /* worker threads started: connection slots */
    int ep;      /* parked connections and evfd */
    int evfd;    /* readable once the workers are to leave */
    struct worker_slot *slots;
    pthread_mutex_t lock; /* free list, held, the listener's wait */
    pthread_cond_t freed;
    int free_head;
    int held;                /* slots taken */
    pthread_mutex_t lf_lock; /* who may sleep in epoll_wait() */
    pthread_cond_t lf_cond;
    int waiting;  /* threads in epoll_wait() */
    int wait_max; /* at most this many (see waiters_for()) */
    int reserve;  /* threads waiting for their turn */
    int alive;    /* worker threads started and not left */
    int ncpu;
    int start_children;    /* StartServers, within the limit */
    unsigned long batches; /* atomic: event batches taken (progress) */
    int quit;              /* atomic: stop accepting, finish, exit */
    int done;              /* atomic: the workers leave */
};

struct worker_thread {
    struct worker_child *child;
    pthread_t tid;
};

static int worker_stopping(const struct worker_child *w)
{
    return __atomic_load_n(&w->quit, __ATOMIC_ACQUIRE);
}

static void slot_close(struct worker_child *w, int i)
{
    struct worker_slot *s = &w->slots[i];
    http_conn_destroy(s->c); /* closing the socket takes it out of epoll */
    s->c = NULL;
    s->armed = 0;
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    __atomic_store_n(&s->state, ST(ST_GEN(st) + 1, 0, 0, WS_FREE),
                     __ATOMIC_RELEASE);
    mpm_sb_count_served(w->sb, w->slot, i);
    mpm_sb_set(w->sb, w->slot, i, SB_READY);
    pthread_mutex_lock(&w->lock);
    s->next_free = w->free_head;
    w->free_head = i;
    w->held--;
    pthread_cond_signal(&w->freed);
    pthread_mutex_unlock(&w->lock);
}

/* The owner of slot i parks it to wait for `wait`: 1 it is parked (no
 * longer ours), 0 an event came while we ran it, so it is still ours (run
 * it again), -1 it was closed. */
static int slot_park(struct worker_child *w, int i, enum http_wait wait)
{
    struct worker_slot *s = &w->slots[i];
    if (wait == HTTP_WAIT_KEEPALIVE && worker_stopping(w)) {
        slot_close(w, i); /* graceful: idle connections go now */
        return -1;
    }
    int ms = http_conn_wait_ms(s->c);
    __atomic_store_n(&s->deadline, mpm_now_ms() + (ms > 0 ? ms : 0),
                     __ATOMIC_RELAXED);
    uint64_t cur = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    uint32_t gen = ST_GEN(cur);
    unsigned seq = ST_SEQ(cur);
    uint64_t parked = ST(gen, seq + 1, wait, WS_PARKED);
    struct epoll_event ev = {
        .events = EPOLLIN | EPOLLET | (wait == HTTP_WAIT_WRITE ? EPOLLOUT : 0),
    };
    ev.data.u64 = (uint64_t)gen << 32 | (uint32_t)i;
    if (s->armed == 0) {
        /* First parking: parked before it is registered, so the event
         * the registration gives (its request is there already) goes to
         * a worker.  Nothing else can take it meanwhile: the listener,
         * which scans for timeouts, is the thread opening it. */
        s->armed = ev.events;
        __atomic_store_n(&s->state, parked, __ATOMIC_RELEASE);
        if (epoll_ctl(w->ep, EPOLL_CTL_ADD, s->fd, &ev) == 0)
            return 1;
        if (!__atomic_compare_exchange_n(&s->state, &parked,
                                         ST(gen, seq + 1, 0, WS_RUNNING), 0,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return 1; /* not reached: no event without a registration */
        s->armed = 0;
        slot_close(w, i);
        return -1;
    }
    if (ev.events != s->armed) { /* output added or dropped */
        if (epoll_ctl(w->ep, EPOLL_CTL_MOD, s->fd, &ev) < 0) {
            slot_close(w, i);
            return -1;
        }
        s->armed = ev.events;
    }
    uint64_t running = ST(gen, seq, 0, WS_RUNNING);
    if (__atomic_compare_exchange_n(&s->state, &running, parked, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return 1;
    /* PENDING: an event came while we ran it */
    __atomic_store_n(&s->state, ST(gen, seq, 0, WS_RUNNING), __ATOMIC_RELAXED);
    return 0;
}

/* Run the connection of a slot we own until it waits or is done. */
static void slot_run(struct worker_child *w, int i, int timed_out)
{
    struct worker_slot *s = &w->slots[i];
    sb_bind(sb_worker_at(w->sb, w->slot, i)); /* the slot's record */
    for (;;) {
        enum http_wait st =
            timed_out ? http_conn_timeout(s->c) : http_conn_run(s->c);
        timed_out = 0;
        if (st == HTTP_DONE) {
            slot_close(w, i);
            return;
        }
        if (slot_park(w, i, st) != 0)
            return;
    }
}

/* An event for a slot: take it if it is still the connection the event
 * was for and parked; if a thread runs it, mark it for that thread. */
static void slot_event(struct worker_child *w, uint64_t tag)
{
    uint32_t i = (uint32_t)tag, gen = (uint32_t)(tag >> 32);
    if (i >= (uint32_t)w->nslots)
        return;
    struct worker_slot *s = &w->slots[i];
    uint64_t cur = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    for (;;) {
        if (ST_GEN(cur) != gen)
            return;
        uint64_t next;
        if (ST_STATE(cur) == WS_PARKED)
            next = ST(gen, ST_SEQ(cur), 0, WS_RUNNING);
        else if (ST_STATE(cur) == WS_RUNNING)
            next = ST(gen, ST_SEQ(cur), 0, WS_PENDING);
        else
            return; /* PENDING already */
        if (__atomic_compare_exchange_n(&s->state, &cur, next, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            break;
    }
    if (ST_STATE(cur) == WS_PARKED)
        slot_run(w, (int)i, 0);
}

/* ---- worker threads ----
 *
 * As the event MPM's: a few threads take turns at epoll_wait() (wait_max,
 * the child's share of the CPUs among the live children, rounded up);
 * the others wait their turn on a condition variable, so an event wakes
 * a thread that has just been running rather than one of dozens in turn.
 * A thread done with its events goes back into epoll_wait() if a turn is
 * free, else takes what is ready without sleeping.  No waiting thread is
 * called in while the turn holders serve (with children = CPUs each
 * child runs one thread at a time); should they all be stuck in slow
 * requests, the listener sees that no events were taken for a tick
 * (SCAN_MS) and calls one in. */

#define BATCH 8 /* events a thread takes from epoll at once */

/* Threads that may wait in epoll at once: the child's share of the
 * CPUs among the live children (rounded up), at least one. */
static int waiters_for(int ncpu, int children, int threads)
{
    int n = children < 1 ? ncpu : (ncpu + children - 1) / children;
    return n < 1 ? 1 : n > threads ? threads : n;
}

/* The listener's, every tick: follow the number of live children. */
static void set_waiters(struct worker_child *w)
{
    int children = 0;
    for (int i = 0; i < w->sb->server_limit; i++)
        children += w->sb->procs[i].pid > 0 && !w->sb->procs[i].quiescing;
    int n = waiters_for(w->ncpu, children, w->nslots);
    pthread_mutex_lock(&w->lf_lock);
    if (n != w->wait_max) {
        if (n > w->wait_max)
            pthread_cond_broadcast(&w->lf_cond); /* new turns */
        w->wait_max = n;
    }
    pthread_mutex_unlock(&w->lf_lock);
}

/* The listener's safety valve (see above). */
static void unstick(struct worker_child *w, unsigned long *seen)
{
    unsigned long now = __atomic_load_n(&w->batches, __ATOMIC_RELAXED);
    int stuck = now == *seen;
    *seen = now;
    if (!stuck)
        return;
    pthread_mutex_lock(&w->lf_lock);
    if (w->waiting == 0 && w->reserve > 0)
        pthread_cond_signal(&w->lf_cond);
    pthread_mutex_unlock(&w->lf_lock);
}

static int wait_turn(struct worker_child *w)
{
    pthread_mutex_lock(&w->lf_lock);
    while (w->waiting >= w->wait_max &&
           !__atomic_load_n(&w->done, __ATOMIC_ACQUIRE)) {
        w->reserve++;
        pthread_cond_wait(&w->lf_cond, &w->lf_lock);
        w->reserve--;
    }
    int ok = !__atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
    if (ok)
        w->waiting++;
    else
        w->alive--;
    pthread_mutex_unlock(&w->lf_lock);
    return ok;
}

static int try_turn(struct worker_child *w)
{
    pthread_mutex_lock(&w->lf_lock);
    int ok = w->waiting < w->wait_max &&
             !__atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
    if (ok)
        w->waiting++;
    pthread_mutex_unlock(&w->lf_lock);
    return ok;
}

static void end_turn(struct worker_child *w)
{
    pthread_mutex_lock(&w->lf_lock);
    w->waiting--;
    int serving = w->alive - w->waiting - w->reserve;
    if (w->waiting == 0 && w->reserve > 0 && serving < w->wait_max)
        pthread_cond_signal(&w->lf_cond);
    pthread_mutex_unlock(&w->lf_lock);
}

static void *worker_main(void *arg)
{
    struct worker_thread *t = arg;
    struct worker_child *w = t->child;
    struct epoll_event evs[BATCH];
    for (;;) {
        int n = -1;
        int turn = try_turn(w);
        if (!turn)
            n = epoll_wait(w->ep, evs, BATCH, 0);
        if (n <= 0) {
            if (!turn && !wait_turn(w))
                break;
            n = epoll_wait(w->ep, evs, BATCH, -1);
            end_turn(w);
        }
        __atomic_add_fetch(&w->batches, 1, __ATOMIC_RELAXED);
        int leave = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.u64 == TAG_EVENTFD)
                leave = 1; /* written once the child is done */
            else
                slot_event(w, evs[i].data.u64);
        }
        if (leave) {
            pthread_mutex_lock(&w->lf_lock);
            w->alive--;
            pthread_mutex_unlock(&w->lf_lock);
            break;
        }
    }
    http_conn_thread_done();
    return NULL;
}

/* A new connection takes a free slot, and the listener runs it until it
 * first waits: with TCP_DEFER_ACCEPT its request is there, so that
 * answers it (a Connection: close request is served and closed with no
 * hand-over to a worker); the running never blocks, and a connection
 * that waits is parked for the workers. */
static void slot_open(struct worker_child *w, int fd,
                      const struct sockaddr_storage *peer, socklen_t plen,
                      int listener)
{
    pthread_mutex_lock(&w->lock);
    int i = w->free_head;
    if (i >= 0) {
        w->free_head = w->slots[i].next_free;
        w->held++;
    }
    pthread_mutex_unlock(&w->lock);
    http_conn *c =
        i < 0 ? NULL
              : http_conn_create(fd, (const struct sockaddr *)peer, plen,
                                 &w->ctx->listeners[listener], w->ctx->rc);
    if (c == NULL) {
        close(fd);
        if (i >= 0) {
            pthread_mutex_lock(&w->lock);
            w->slots[i].next_free = w->free_head;
            w->free_head = i;
            w->held--;
            pthread_mutex_unlock(&w->lock);
        }
        return;
    }
    struct worker_slot *s = &w->slots[i];
    s->c = c;
    s->fd = fd;
    s->armed = 0;
    uint64_t cur = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    __atomic_store_n(&s->state, ST(ST_GEN(cur), 0, 0, WS_RUNNING),
                     __ATOMIC_RELAXED);
    mpm_sb_set(w->sb, w->slot, i, SB_BUSY);
    slot_run(w, i, 0);
}

/* Expired waits are the listener's: it takes the parked slot and answers
 * the timeout (408 or close).  When stopping, idle keep-alive connections
 * are closed at once. */
static void expire(struct worker_child *w)
{
    int64_t now = mpm_now_ms();
    int stopping = worker_stopping(w);
    for (int i = 0; i < w->nslots; i++) {
        struct worker_slot *s = &w->slots[i];
        uint64_t cur = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (ST_STATE(cur) != WS_PARKED)
            continue;
        int idle = stopping && ST_KIND(cur) == HTTP_WAIT_KEEPALIVE;
        if (!idle && __atomic_load_n(&s->deadline, __ATOMIC_RELAXED) > now)
            continue;
        if (!__atomic_compare_exchange_n(
                &s->state, &cur, ST(ST_GEN(cur), ST_SEQ(cur), 0, WS_RUNNING), 0,
                __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            continue; /* an event took it first */
        if (idle)
            slot_close(w, i);
        else
            slot_run(w, i, 1);
    }
}

/* Every worker thread leaves: those waiting for a turn at once, those in
 * epoll_wait() on the eventfd (it stays readable). */
static void workers_leave(struct worker_child *w)
{
    pthread_mutex_lock(&w->lf_lock);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&w->lf_cond);
    pthread_mutex_unlock(&w->lf_lock);
    uint64_t one = 1;
    ssize_t wr = write(w->evfd, &one, sizeof(one));
    (void)wr;
}

/* Wait up to ms for a free slot: 1 when one is free. */
static int wait_slot(struct worker_child *w, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)ms * 1000000L;
    while (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!(rc = w->held < w->nslots) && !worker_stopping(w))
        if (pthread_cond_timedwait(&w->freed, &w->lock, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&w->lock);
    return rc;
}

static int slots_held(struct worker_child *w)
{
    pthread_mutex_lock(&w->lock);
    int n = w->held;
    pthread_mutex_unlock(&w->lock);
    return n;
}

/* Accept only while a slot is free, so a busy child leaves connections
 * in the backlog for another; stop after MaxConnectionsPerChild.  Then
 * close idle connections, let the others finish, and send the workers
 * away. */
static void *listener_main(void *arg)
{
    struct worker_child *w = arg;
    const mpm_context *ctx = w->ctx;
    int maxconn = ctx->rc->max_connections_per_child;
    unsigned long accepted = 0;
    int ep = mpm_listen_epoll(ctx);
    int64_t next_scan = mpm_now_ms() + SCAN_MS;
    unsigned long seen = 0;
    while (ep >= 0 && !worker_stopping(w)) {
        int64_t now = mpm_now_ms();
        if (now >= next_scan) {
            expire(w);
            unstick(w, &seen);
            set_waiters(w);
            next_scan = now + SCAN_MS;
        }
        if (!wait_slot(w, SCAN_MS))
            continue;
        struct epoll_event ev;
        if (epoll_wait(ep, &ev, 1, SCAN_MS) <= 0)
            continue;
        int which = (int)ev.data.u32;
        struct sockaddr_storage peer;
        socklen_t plen;
        int fd = mpm_accept_from(ctx, which, &peer, &plen);
        if (fd < 0)
            continue;
        slot_open(w, fd, &peer, plen, which);
        if (maxconn > 0 && ++accepted >= (unsigned long)maxconn)
            break;
    }
    __atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
    if (ep >= 0)
        close(ep);
    while (slots_held(w) > 0) {
        expire(w);
        unstick(w, &seen);
        pthread_mutex_lock(&w->lock);
        if (w->held > 0) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += SCAN_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&w->freed, &w->lock, &until);
        }
        pthread_mutex_unlock(&w->lock);
    }
    workers_leave(w);
    http_conn_thread_done();
    return NULL;
}

static int child_setup(struct worker_child *w)
{
    w->slots = calloc((size_t)w->threads, sizeof(*w->slots));
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    w->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (w->slots == NULL || w->ep < 0 || w->evfd < 0)
        return -1;
    struct epoll_event ev = {.events = EPOLLIN};
    ev.data.u64 = TAG_EVENTFD;
    if (epoll_ctl(w->ep, EPOLL_CTL_ADD, w->evfd, &ev) < 0)
        return -1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->freed, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->lf_lock, NULL);
    pthread_cond_init(&w->lf_cond, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    w->ncpu = ncpu < 1 ? 1 : ncpu > 4096 ? 4096 : (int)ncpu;
    w->wait_max = waiters_for(w->ncpu, w->start_children, w->threads);
    w->waiting = w->reserve = w->alive = 0;
    w->batches = 0;
    return 0;
}

static int worker_child_main(int slot, void *arg)
{
    struct worker_child *w = arg;
    w->slot = slot;
    w->ep = w->evfd = -1;
    http_engine_child_init(w->ctx->rc);
    struct worker_thread *ts = calloc((size_t)w->threads, sizeof(*ts));
    if (ts == NULL || child_setup(w) < 0) {
        log_error(APLOG_ALERT, worker_codes.module, errno,
                  "worker child: cannot set up its connection slots");
        return 1;
    }
    int started = 0;
    w->alive = w->threads;
    for (int i = 0; i < w->threads; i++) {
        ts[i].child = w;
        if (pthread_create(&ts[i].tid, NULL, worker_main, &ts[i]) != 0) {
            log_error(APLOG_ALERT, worker_codes.module, errno,
                      "AH00281: pthread_create: unable to create worker "
                      "thread");
            break;
        }
        started++;
    }
    pthread_mutex_lock(&w->lf_lock);
    w->alive -= w->threads - started;
    pthread_mutex_unlock(&w->lf_lock);
    /* One connection slot per worker thread started. */
    w->nslots = started;
    w->free_head = -1;
    for (int i = started - 1; i >= 0; i--) {
        w->slots[i].next_free = w->free_head;
        w->free_head = i;
        mpm_sb_set(w->sb, w->slot, i, SB_READY);
    }
    pthread_t listener;
    int have_listener =
        started > 0 && pthread_create(&listener, NULL, listener_main, w) == 0;
    /* The main thread takes the signals (USR1/WINCH: graceful). */
    while (have_listener && !mpm_child_stop && !mpm_parent_signalled &&
           !worker_stopping(w))
        mpm_parent_wait(200);
    mpm_sb_graceful(w->sb, w->slot, w->threads);
    __atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
    if (have_listener) {
        pthread_join(listener, NULL);
    } else {
        workers_leave(w);
    }
    for (int i = 0; i < started; i++)
        pthread_join(ts[i].tid, NULL);
    for (int i = 0; i < w->threads; i++)
        mpm_sb_set(w->sb, w->slot, i, SB_DEAD);
    close(w->ep);
    close(w->evfd);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->freed);
    pthread_mutex_destroy(&w->lf_lock);
    pthread_cond_destroy(&w->lf_cond);
    free(w->slots);
    free(ts);
    return 0;
}

static enum mpm_exit worker_run(mpm_context *ctx)
{
    static struct worker_child child;
    mpm_config *cfg = mpm_config_get(ctx->rc);
    if (!cfg->checked)
        worker_check_config(ctx->rc, NULL);
    mpm_scoreboard *sb =
        mpm_scoreboard_get(cfg->server_limit, cfg->thread_limit);
    mpm_config_started("mpm_worker", cfg->server_limit, cfg->thread_limit);
    mpm_signals_parent();
    child.ctx = ctx;
    child.sb = sb;
    child.threads = cfg->threads_per_child;
    if (child.threads > sb->thread_limit)
        child.threads = sb->thread_limit;
    child.quit = 0;
    child.done = 0;
    child.start_children = ctx->one_process ? 1
                           : cfg->start_servers < cfg->daemons_limit
                               ? cfg->start_servers
                               : cfg->daemons_limit;
    if (ctx->one_process) {
        /* -X: the child's code in this process; any signal stops it. */
        mpm_sb_one_process(sb, ctx, child.threads);
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
    MPM_MAGIC,   MPM_ABI_VERSION, MPM_ABI_MARKER,      "worker",
    &worker_mod, worker_query,    worker_check_config, worker_run,
};
