/* event.c -- the event MPM: worker's processes and thread pools, where no
 * thread is tied to a connection that has nothing to do.
 *
 * Each child has one epoll set holding its listeners and every connection
 * that waits: for a request head or body (Timeout), for the next request
 * of a keep-alive connection (KeepAliveTimeout), for a writable socket, or
 * for the end of a lingering close.  The worker threads wait on that set
 * themselves (as many as the child's share of the CPUs sleep in
 * epoll_wait(), the others wait their turn) and serve in place whatever
 * becomes ready: they accept a new connection or resume a parked one,
 * run it in http_conn_run() until it would block, then park it again or
 * close it.  No hand-over between
 * threads is needed on the way, so a keep-alive request costs no thread
 * switch.  A connection is registered in epoll once, edge-triggered, so
 * parking costs no system call; an event that finds its connection owned
 * by another thread only counts itself, and the owner runs it again
 * before letting go (conn_claim(), conn_release()).
 *
 * Parked connections are also in a timeout queue per timeout value; each
 * queue is in deadline order because it is appended to with the same
 * timeout, so expiry only looks at the heads.  A housekeeper thread
 * expires them by marking them and shutting their reading side, which
 * gives them an event: the thread that gets it answers the timeout
 * (408, close), so a connection always has exactly one owner.  An idle
 * keep-alive connection gives its buffers back while parked (see
 * http_conn_idle_trim()): silent, slowloris and idle keep-alive clients
 * thus cost a small struct and a file descriptor, not a thread.
 *
 * AsyncRequestWorkerFactor is accepted and checked as Apache does, but
 * needs no admission rule here: a child accepts only when one of its
 * threads is free to look at epoll, and parked connections need no
 * thread (counting them is what makes Apache's event MPM stop answering
 * with a few thousand idle clients). */
#include "common/mpm_config.h"
#include "common/mpm_parent.h"
#include "log.h"
#include "mpm.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec event_cmds[] = {
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
    {"AsyncRequestWorkerFactor", mpm_set_async_factor, 0, RSRC_CONF, TAKE1,
     "How many additional connects will be accepted per idle worker thread"},
    {NULL, NULL, 0, 0, 0, NULL},
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
    return mpm_check_threaded(rc, diag, "mpm_event", 497,
                              EVENT_MAX_SERVER_LIMIT, EVENT_MAX_THREAD_LIMIT);
}

/* ---- runtime ------------------------------------------------------------ */

static const struct mpm_codes event_codes = {
    "mpm_event", 489, 493, 494, 491, 492, 484,
};

#define TAG_EVENTFD 63u /* epoll data below 64: listener index or this */
#define BATCH 8         /* events a thread takes from epoll at once */

/* A connection the child holds.  Exactly one thread owns it at a time: the
 * thread that accepted it, or the one whose event found it owned by
 * nobody (see conn_claim()).  While parked it is owned by nobody: it sits
 * in a timeout queue and is registered in epoll (edge-triggered, once),
 * and the housekeeper may only mark it expired, under tq_lock.
 *
 * Edge-triggered events may come while a thread owns the connection, and
 * a thread may still hold an event of a connection already closed.  So
 * the structs are never given back to malloc while the child runs (a
 * closed one goes to a free list, to be used again), and an event
 * carries the struct's generation beside its address: `state` holds the
 * generation and the count of events taken while owned, and an event of
 * an older generation is ignored. */
struct event_conn {
    uint64_t state; /* atomic: generation << 32 | events */
    http_conn *c;
    int fd;
    enum http_wait st;
    unsigned armed; /* the epoll events registered, or 0 */
    int expired;    /* under tq_lock: timed out while parked */
    int64_t deadline;
    struct timeout_queue *tq; /* under tq_lock */
    struct event_conn *prev, *next;
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
    int ep;                  /* listeners, parked connections, evfd */
    int evfd;                /* readable once the child is done */
    int hkfd;                /* wakes the housekeeper */
    int maxconn;             /* MaxConnectionsPerChild, 0: none */
    pthread_mutex_t tq_lock; /* the timeout queues, expired marks */
    struct timeout_queue *queues;
    pthread_mutex_t lf_lock; /* who may sleep in epoll_wait */
    pthread_cond_t lf_cond;
    int waiting;  /* threads blocked in epoll_wait */
    int wait_max; /* at most this many (see waiters_for()) */
    int reserve;  /* threads waiting for their turn */
    int alive;    /* worker threads started and not left */
    int ncpu;
    unsigned long batches; /* atomic: event batches taken (progress) */
    pthread_mutex_t listen_lock;
    int listening;          /* atomic: listeners are in the set */
    int quit;               /* atomic: graceful stop requested */
    int done;               /* atomic: every thread leaves */
    int held;               /* atomic: connections open in this child */
    unsigned long accepted; /* atomic */
    pthread_mutex_t free_lock;
    struct event_conn *free_conns; /* closed, to be used again (->next) */
    struct conn_chunk *chunks;     /* where they all are, freed at exit */
};

#define CHUNK_CONNS 64

struct conn_chunk {
    struct conn_chunk *next;
    struct event_conn conns[CHUNK_CONNS];
};

struct event_worker {
    struct event_child *child;
    int index;
    pthread_t tid;
};

static void fd_signal(int fd)
{
    uint64_t one = 1;
    ssize_t w = write(fd, &one, sizeof(one));
    (void)w;
}

/* ---- connection structs and their ownership ---- */

#define GEN_MASK 0xffffu /* generations as carried in epoll data */

static uint64_t conn_tag(const struct event_conn *ec)
{
    uint64_t gen =
        (__atomic_load_n(&ec->state, __ATOMIC_RELAXED) >> 32) & GEN_MASK;
    return gen << 48 | (uint64_t)(uintptr_t)ec;
}

/* An event for tag: 1 if the caller now owns the connection; 0 if
 * another thread does (it will look again, see conn_release()) or the
 * event is for a connection closed since. */
static int conn_claim(uint64_t tag, struct event_conn **out)
{
    struct event_conn *ec =
        (struct event_conn *)(uintptr_t)(tag & ((1ull << 48) - 1));
    unsigned gen = (unsigned)(tag >> 48);
    uint64_t s = __atomic_load_n(&ec->state, __ATOMIC_ACQUIRE);
    do {
        if (((s >> 32) & GEN_MASK) != gen)
            return 0;
    } while (!__atomic_compare_exchange_n(&ec->state, &s, s + 1, 0,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    *out = ec;
    return (uint32_t)s == 0;
}

/* The owner has parked it, having seen `seen` events: the events that
 * came meanwhile (then it still owns it and must look again), or 0 (then
 * it is nobody's and must not be touched). */
static uint32_t conn_release(struct event_conn *ec, uint32_t seen)
{
    return (uint32_t)__atomic_sub_fetch(&ec->state, seen, __ATOMIC_ACQ_REL);
}

static void conn_close(struct event_child *e, struct event_conn *ec)
{
    http_conn_destroy(ec->c); /* closing the socket takes it out of epoll */
    sb_count_conn(SB_CONNS_TOTAL, -1);
    ec->c = NULL;
    ec->armed = 0;
    uint64_t s = __atomic_load_n(&ec->state, __ATOMIC_RELAXED);
    uint64_t gen = ((s >> 32) + 1) & GEN_MASK;
    __atomic_store_n(&ec->state, gen << 32, __ATOMIC_RELEASE);
    pthread_mutex_lock(&e->free_lock);
    ec->next = e->free_conns;
    e->free_conns = ec;
    pthread_mutex_unlock(&e->free_lock);
    __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
}

static struct event_conn *conn_alloc(struct event_child *e)
{
    pthread_mutex_lock(&e->free_lock);
    if (e->free_conns == NULL) {
        struct conn_chunk *ch = calloc(1, sizeof(*ch));
        if (ch != NULL && ((uintptr_t)ch >> 48) == 0) {
            ch->next = e->chunks;
            e->chunks = ch;
            for (int i = CHUNK_CONNS - 1; i >= 0; i--) {
                ch->conns[i].next = e->free_conns;
                e->free_conns = &ch->conns[i];
            }
        } else {
            free(ch); /* an address above 48 bits cannot be tagged */
        }
    }
    struct event_conn *ec = e->free_conns;
    if (ec != NULL)
        e->free_conns = ec->next;
    pthread_mutex_unlock(&e->free_lock);
    return ec;
}

/* A new connection, owned by the caller. */
static struct event_conn *conn_new(struct event_child *e, int fd,
                                   const struct sockaddr_storage *peer,
                                   socklen_t peerlen, int listener)
{
    struct event_conn *ec = conn_alloc(e);
    http_conn *c =
        ec == NULL
            ? NULL
            : http_conn_create(fd, (const struct sockaddr *)peer, peerlen,
                               &e->ctx->listeners[listener], e->ctx->rc);
    if (c == NULL) {
        if (ec != NULL) {
            pthread_mutex_lock(&e->free_lock);
            ec->next = e->free_conns;
            e->free_conns = ec;
            pthread_mutex_unlock(&e->free_lock);
        }
        close(fd);
        __atomic_sub_fetch(&e->held, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    uint64_t s = __atomic_load_n(&ec->state, __ATOMIC_RELAXED);
    __atomic_store_n(&ec->state, (s & ~0xffffffffull) | 1, __ATOMIC_RELAXED);
    ec->c = c;
    sb_count_conn(SB_CONNS_TOTAL, 1);
    ec->fd = fd;
    ec->st = HTTP_WAIT_READ;
    ec->armed = 0;
    ec->expired = 0;
    ec->tq = NULL;
    ec->prev = ec->next = NULL;
    return ec;
}

/* ---- timeout queues ---- */

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

/* ---- serving ---- */

/* How mod_status counts a parked connection. */
static int parked_kind(enum http_wait st)
{
    return st == HTTP_WAIT_KEEPALIVE ? SB_CONNS_KEEPALIVE
           : st == HTTP_WAIT_WRITE   ? SB_CONNS_WRITING
           : st == HTTP_WAIT_LINGER  ? SB_CONNS_CLOSING
                                     : SB_CONNS_WAITIO;
}

static int park(struct event_child *e, struct event_conn *ec);

/* Run the connection on this thread until it would block: 1 parked, 0
 * closed. */
static int serve(struct event_child *e, struct event_conn *ec, int timed_out)
{
    if (__atomic_load_n(&e->quit, __ATOMIC_ACQUIRE))
        http_conn_shutdown(ec->c); /* graceful: answer with Connection: close */
    ec->st = timed_out ? http_conn_timeout(ec->c) : http_conn_run(ec->c);
    sb_set_state(SB_READY); /* the thread is free again */
    if (ec->st == HTTP_DONE) {
        conn_close(e, ec);
        return 0;
    }
    return park(e, ec);
}

/* Queue it by its timeout and make sure epoll watches what it waits for.
 * It is registered once, edge-triggered, for input; output is added the
 * first time it waits to write (and stays).  A readiness edge after its
 * last read or write gives an event, so nothing is re-armed per request.
 * A connection with nothing buffered (idle keep-alive, or new and silent)
 * gives its buffers back first.  1 parked, 0 closed. */
static int park(struct event_child *e, struct event_conn *ec)
{
    if (ec->st == HTTP_WAIT_KEEPALIVE &&
        __atomic_load_n(&e->quit, __ATOMIC_ACQUIRE)) {
        conn_close(e, ec); /* graceful stop: idle connections go now */
        return 0;
    }
    http_conn_idle_trim(ec->c); /* only if it has nothing buffered */
    int ms = queue_ms(http_conn_wait_ms(ec->c));
    unsigned want = EPOLLIN | EPOLLRDHUP | EPOLLET | ec->armed |
                    (ec->st == HTTP_WAIT_WRITE ? EPOLLOUT : 0);
    pthread_mutex_lock(&e->tq_lock);
    struct timeout_queue *q = tq_for(e, ms);
    if (q != NULL) {
        ec->deadline = mpm_now_ms() + ms;
        ec->tq = q;
        ec->next = NULL;
        ec->prev = q->tail;
        if (q->tail)
            q->tail->next = ec;
        else
            q->head = ec;
        q->tail = ec;
    }
    pthread_mutex_unlock(&e->tq_lock);
    if (q != NULL && want == ec->armed) {
        sb_count_conn(parked_kind(ec->st), 1);
        return 1;
    }
    struct epoll_event ev = {.events = want};
    ev.data.u64 = conn_tag(ec);
    int op = ec->armed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (q != NULL && epoll_ctl(e->ep, op, ec->fd, &ev) == 0) {
        ec->armed = want;
        sb_count_conn(parked_kind(ec->st), 1);
        return 1;
    }
    pthread_mutex_lock(&e->tq_lock);
    tq_remove(ec);
    pthread_mutex_unlock(&e->tq_lock);
    conn_close(e, ec);
    return 0;
}

/* Epoll gave us a parked connection: take it out of its queue and run
 * it.  1 parked again, 0 closed. */
static int resume(struct event_child *e, struct event_conn *ec)
{
    sb_count_conn(parked_kind(ec->st), -1);
    pthread_mutex_lock(&e->tq_lock);
    int expired = ec->expired;
    ec->expired = 0;
    tq_remove(ec);
    pthread_mutex_unlock(&e->tq_lock);
    if (expired && ec->st == HTTP_WAIT_KEEPALIVE &&
        __atomic_load_n(&e->quit, __ATOMIC_ACQUIRE))
        return serve(e, ec, 0); /* graceful stop: answer a request already
                                 * sent (with Connection: close), else it
                                 * closes */
    /* an expired keep-alive wait closes in http_conn_timeout(), which
     * logs AH01382 first when a pipelined request was partly read */
    return serve(e, ec, expired);
}

/* The caller owns ec (it accepted it: fresh, or claimed it): run it, and
 * again as long as events came for it meanwhile. */
static void own(struct event_child *e, struct event_conn *ec, int fresh)
{
    uint32_t seen = 1;
    int parked = fresh ? serve(e, ec, 0) : resume(e, ec);
    while (parked) {
        seen = conn_release(ec, seen);
        if (seen == 0)
            return;
        parked = resume(e, ec);
    }
}

static void count_accept(struct event_child *e)
{
    __atomic_add_fetch(&e->held, 1, __ATOMIC_RELAXED);
    unsigned long n = __atomic_add_fetch(&e->accepted, 1, __ATOMIC_RELAXED);
    if (e->maxconn > 0 && n == (unsigned long)e->maxconn)
        fd_signal(e->hkfd); /* the housekeeper stops listening */
}

/* Accept one connection from listener `which`: 1 taken (*out, or NULL
 * if it could not be set up), 0 none waiting, -1 out of descriptors. */
static int accept_conn(struct event_child *e, int which,
                       struct event_conn **out)
{
    struct sockaddr_storage peer;
    socklen_t peerlen;
    *out = NULL;
    int fd = mpm_accept_from(e->ctx, which, &peer, &peerlen);
    if (fd < 0)
        return errno == EMFILE || errno == ENFILE ? -1 : 0;
    count_accept(e);
    *out = conn_new(e, fd, &peer, peerlen, which);
    return 1;
}

static int accept_one(struct event_child *e, int which)
{
    struct event_conn *ec;
    int rc = accept_conn(e, which, &ec);
    if (ec != NULL)
        own(e, ec, 1);
    return rc > 0 ? 0 : -1;
}

static void relist(struct event_child *e, int which);

/* A listener fired.  Listeners are edge-triggered (see set_listening()),
 * so this takes the connections waiting until none is left, serving each
 * in turn (with TCP_DEFER_ACCEPT its request is there): connections that
 * arrive meanwhile signal the listener again and wake another thread.
 * After ACCEPT_RUN connections the listener is registered again, so the
 * rest wake another thread while this one returns to its events.
 * (Level-triggered, one new connection woke every thread waiting in
 * epoll_wait(), all but one of which found nothing to accept.) */
#define ACCEPT_RUN 16

static void accept_all(struct event_child *e, int which)
{
    for (int n = 0; __atomic_load_n(&e->listening, __ATOMIC_ACQUIRE); n++) {
        struct event_conn *ec;
        int rc = n < ACCEPT_RUN ? accept_conn(e, which, &ec) : -2;
        if (rc == 0)
            return;
        if (rc < 0) {
            if (rc == -1)
                usleep(10000); /* out of descriptors: let some close */
            relist(e, which);
            return;
        }
        if (ec != NULL)
            own(e, ec, 1);
    }
}

/* ---- worker threads ----
 *
 * Every worker waits on the child's one epoll set and serves in place
 * what it gets: a new connection, or a parked one whose event
 * fired.  A few threads take turns at epoll_wait() (wait_max: the
 * child's share of the CPUs, see waiters_for()); the others wait their
 * turn on a condition variable, so readiness wakes few threads.  A
 * thread that finishes its events goes back into epoll_wait() if a turn
 * is free; if not, it takes what is ready without sleeping.  So with
 * children = CPUs each child runs one thread at a time, as nginx's and
 * lighttpd's workers do: no thread is woken to wait in epoll while
 * another serves, which cost 15-20% more CPU per request and a worse
 * p99 on 1 KiB keep-alive (two turns per child and a reserve called in
 * whenever the last one left epoll).  The reserves are there for slow
 * requests: should the threads holding turns all be stuck, the
 * housekeeper sees that no events were taken for a tick (UNSTICK_MS)
 * and calls one in. */

#define UNSTICK_MS 50

/* Threads that may wait in epoll at once: the child's share of the
 * CPUs among the live children (rounded up), at least one. */
static int waiters_for(int ncpu, int children, int threads)
{
    int n = children < 1 ? ncpu : (ncpu + children - 1) / children;
    return n < 1 ? 1 : n > threads ? threads : n;
}

/* The housekeeper's: follow the number of live children. */
static void set_waiters(struct event_child *e)
{
    int children = 0;
    for (int i = 0; i < e->sb->server_limit; i++)
        children += e->sb->procs[i].pid > 0 && !e->sb->procs[i].quiescing;
    int n = waiters_for(e->ncpu, children, e->threads);
    pthread_mutex_lock(&e->lf_lock);
    if (n != e->wait_max) {
        if (n > e->wait_max)
            pthread_cond_broadcast(&e->lf_cond); /* new turns */
        e->wait_max = n;
    }
    pthread_mutex_unlock(&e->lf_lock);
}

static int wait_turn(struct event_child *e)
{
    pthread_mutex_lock(&e->lf_lock);
    while (e->waiting >= e->wait_max &&
           !__atomic_load_n(&e->done, __ATOMIC_ACQUIRE)) {
        e->reserve++;
        pthread_cond_wait(&e->lf_cond, &e->lf_lock);
        e->reserve--;
    }
    int ok = !__atomic_load_n(&e->done, __ATOMIC_ACQUIRE);
    if (ok)
        e->waiting++;
    else
        e->alive--;
    pthread_mutex_unlock(&e->lf_lock);
    return ok;
}

/* Take a turn at once if one is free (no waiting on the condition). */
static int try_turn(struct event_child *e)
{
    pthread_mutex_lock(&e->lf_lock);
    int ok = e->waiting < e->wait_max &&
             !__atomic_load_n(&e->done, __ATOMIC_ACQUIRE);
    if (ok)
        e->waiting++;
    pthread_mutex_unlock(&e->lf_lock);
    return ok;
}

static void end_turn(struct event_child *e)
{
    pthread_mutex_lock(&e->lf_lock);
    e->waiting--;
    int serving = e->alive - e->waiting - e->reserve;
    if (e->waiting == 0 && e->reserve > 0 && serving < e->wait_max)
        pthread_cond_signal(&e->lf_cond);
    pthread_mutex_unlock(&e->lf_lock);
}

/* The housekeeper's safety valve (see above). */
static void unstick(struct event_child *e, unsigned long *seen)
{
    unsigned long now = __atomic_load_n(&e->batches, __ATOMIC_RELAXED);
    int stuck = now == *seen;
    *seen = now;
    if (!stuck)
        return;
    pthread_mutex_lock(&e->lf_lock);
    if (e->waiting == 0 && e->reserve > 0)
        pthread_cond_signal(&e->lf_cond);
    pthread_mutex_unlock(&e->lf_lock);
}

static void *event_worker_main(void *arg)
{
    struct event_worker *w = arg;
    struct event_child *e = w->child;
    struct epoll_event evs[BATCH];
    sb_bind(sb_worker_at(e->sb, e->slot, w->index));
    int nl = e->ctx->nlisteners;
    for (;;) {
        /* With a turn free, wait in epoll at once: that returns what is
         * ready as a zero-timeout poll would, and saves a system call
         * per batch.  Else take what is ready, or wait for a turn. */
        int n = -1;
        int turn = try_turn(e);
        if (!turn)
            n = epoll_wait(e->ep, evs, BATCH, 0);
        if (n <= 0) {
            mpm_sb_set(e->sb, e->slot, w->index, SB_READY);
            if (!turn && !wait_turn(e))
                break;
            n = epoll_wait(e->ep, evs, BATCH, -1);
            end_turn(e);
            mpm_sb_set(e->sb, e->slot, w->index, SB_BUSY);
        }
        __atomic_add_fetch(&e->batches, 1, __ATOMIC_RELAXED);
        int leave = 0;
        for (int i = 0; i < n; i++) {
            uint64_t tag = evs[i].data.u64;
            if (tag == TAG_EVENTFD) {
                leave = 1; /* only written once the child is done */
            } else if (tag < (uint64_t)nl) {
                accept_all(e, (int)tag);
            } else {
                struct event_conn *ec;
                if (conn_claim(tag, &ec))
                    own(e, ec, 0);
                mpm_sb_count_served(e->sb, e->slot, w->index);
            }
        }
        if (leave) {
            pthread_mutex_lock(&e->lf_lock);
            e->alive--;
            pthread_mutex_unlock(&e->lf_lock);
            break;
        }
    }
    mpm_sb_set(e->sb, e->slot, w->index, SB_DEAD);
    http_conn_thread_done();
    return NULL;
}

/* ---- the housekeeper thread: timeouts, listening, stopping ---- */

/* Mark expired connections (and, when stopping, idle keep-alive ones) and
 * shut their reading side: that gives them an event, and the
 * thread that gets it answers the timeout (closes an idle connection,
 * sends 408, gives up a write or a lingering close).  Expiry never takes
 * a connection itself, so a connection has one owner at a time.  Returns
 * the ms until the next deadline (at most 1000). */
static int expire(struct event_child *e, int64_t now, int stopping)
{
    int next = 1000;
    pthread_mutex_lock(&e->tq_lock);
    for (struct timeout_queue *q = e->queues; q; q = q->next) {
        struct event_conn *ec = q->head;
        while (ec != NULL) {
            struct event_conn *after = ec->next;
            int due = ec->deadline <= now;
            if (due || (stopping && ec->st == HTTP_WAIT_KEEPALIVE)) {
                tq_remove(ec);
                ec->expired = 1;
                shutdown(ec->fd, SHUT_RD);
            } else if (!stopping) {
                break; /* in deadline order: the rest is later */
            }
            ec = after;
        }
        if (q->head != NULL && q->head->deadline - now < next)
            next = (int)(q->head->deadline - now);
    }
    pthread_mutex_unlock(&e->tq_lock);
    return next < 0 ? 0 : next;
}

/* Listeners are registered with EPOLLEXCLUSIVE, so a new connection wakes
 * one child; a child that takes itself out must therefore serve whatever
 * is already waiting, or that wake-up would be lost until the next
 * arrival.  They are edge-triggered too, so that within the child one
 * thread wakes, and it takes all that wait (accept_all()). */
static int listen_ctl(struct event_child *e, int op, int i)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET | EPOLLEXCLUSIVE};
    ev.data.u64 = (uint64_t)i;
    return epoll_ctl(e->ep, op, e->ctx->listeners[i].fd, &ev);
}

/* Register listener i again: if connections wait, that signals them
 * anew (an edge already taken would not come back). */
static void relist(struct event_child *e, int i)
{
    pthread_mutex_lock(&e->listen_lock);
    if (__atomic_load_n(&e->listening, __ATOMIC_RELAXED)) {
        listen_ctl(e, EPOLL_CTL_DEL, i);
        listen_ctl(e, EPOLL_CTL_ADD, i);
    }
    pthread_mutex_unlock(&e->listen_lock);
}

static void set_listening(struct event_child *e, int on)
{
    pthread_mutex_lock(&e->listen_lock);
    if (__atomic_load_n(&e->listening, __ATOMIC_RELAXED) != on) {
        __atomic_store_n(&e->listening, on, __ATOMIC_RELEASE);
        for (int i = 0; i < e->ctx->nlisteners; i++)
            listen_ctl(e, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, i);
        for (int i = 0; !on && i < e->ctx->nlisteners; i++)
            for (int n = 0; n < 64; n++)
                if (accept_one(e, i) < 0)
                    break;
    }
    pthread_mutex_unlock(&e->listen_lock);
}

/* Freed heap memory stays in the process (see event_child_main()); after
 * a burst of connections holding buffers has gone (slowloris clients,
 * say), hand the free pages back once. */
static void give_back_memory(struct event_child *e, int *peak)
{
    int held = __atomic_load_n(&e->held, __ATOMIC_RELAXED);
    if (held > *peak) {
        *peak = held;
    } else if (*peak - held >= 512 && held < *peak / 2) {
        malloc_trim(0);
        *peak = held;
    }
}

static void *event_housekeeper_main(void *arg)
{
    struct event_child *e = arg;
    int timeout = 0;
    unsigned long seen = 0;
    int peak = 0;
    for (;;) {
        struct pollfd pfd = {.fd = e->hkfd, .events = POLLIN};
        if (poll(&pfd, 1, timeout) > 0) {
            uint64_t n;
            ssize_t r = read(e->hkfd, &n, sizeof(n));
            (void)r;
        }
        int stopping = __atomic_load_n(&e->quit, __ATOMIC_ACQUIRE) ||
                       (e->maxconn > 0 &&
                        __atomic_load_n(&e->accepted, __ATOMIC_RELAXED) >=
                            (unsigned long)e->maxconn);
        if (stopping)
            set_listening(e, 0);
        timeout = expire(e, mpm_now_ms(), stopping);
        unstick(e, &seen);
        set_waiters(e);
        give_back_memory(e, &peak);
        if (timeout > UNSTICK_MS)
            timeout = UNSTICK_MS;
        if (stopping) {
            if (__atomic_load_n(&e->held, __ATOMIC_RELAXED) == 0)
                break;
            if (timeout > 100)
                timeout = 100;
        }
    }
    __atomic_store_n(&e->quit, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&e->done, 1, __ATOMIC_RELEASE);
    fd_signal(e->evfd); /* level-triggered: wakes every epoll_wait() */
    pthread_mutex_lock(&e->lf_lock);
    pthread_cond_broadcast(&e->lf_cond);
    pthread_mutex_unlock(&e->lf_lock);
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
    e->ep = epoll_create1(EPOLL_CLOEXEC);
    e->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    e->hkfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (e->ep < 0 || e->evfd < 0 || e->hkfd < 0)
        return -1;
    struct epoll_event ev = {.events = EPOLLIN};
    ev.data.u64 = TAG_EVENTFD;
    if (epoll_ctl(e->ep, EPOLL_CTL_ADD, e->evfd, &ev) < 0)
        return -1;
    pthread_mutex_init(&e->tq_lock, NULL);
    pthread_mutex_init(&e->lf_lock, NULL);
    pthread_mutex_init(&e->listen_lock, NULL);
    pthread_mutex_init(&e->free_lock, NULL);
    pthread_cond_init(&e->lf_cond, NULL);
    e->free_conns = NULL;
    e->chunks = NULL;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    e->ncpu = ncpu < 1 ? 1 : ncpu > 4096 ? 4096 : (int)ncpu;
    int children = e->cfg->start_servers;
    if (children > e->cfg->daemons_limit)
        children = e->cfg->daemons_limit;
    e->wait_max = waiters_for(e->ncpu, children, e->threads);
    e->maxconn = e->ctx->rc->max_connections_per_child;
    e->waiting = e->reserve = e->alive = 0;
    e->batches = 0;
    e->listening = e->done = 0;
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
    close(e->ep);
    close(e->evfd);
    close(e->hkfd);
    pthread_mutex_destroy(&e->tq_lock);
    pthread_mutex_destroy(&e->lf_lock);
    pthread_mutex_destroy(&e->listen_lock);
    pthread_cond_destroy(&e->lf_cond);
    while (e->chunks != NULL) {
        struct conn_chunk *ch = e->chunks;
        e->chunks = ch->next;
        free(ch);
    }
    e->free_conns = NULL;
    pthread_mutex_destroy(&e->free_lock);
    http_conn_thread_done();
}

static int event_child_main(int slot, void *arg)
{
    struct event_child *e = arg;
    e->slot = slot;
    raise_fd_limit();
    /* Connection buffers are freed and taken again by whichever thread
     * runs the connection: do not give the threads' heaps back to the
     * kernel and fault them in again all the time (madvise, TLB
     * shoot-downs); the memory stays reusable, and the housekeeper
     * gives it back after a burst (give_back_memory()). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
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
        pthread_mutex_lock(&e->lf_lock);
        e->alive++;
        pthread_mutex_unlock(&e->lf_lock);
        if (pthread_create(&ws[i].tid, NULL, event_worker_main, &ws[i]) != 0) {
            pthread_mutex_lock(&e->lf_lock);
            e->alive--;
            pthread_mutex_unlock(&e->lf_lock);
            log_error(APLOG_ALERT, event_codes.module, errno,
                      "AH00480: pthread_create: unable to create worker "
                      "thread");
            break;
        }
        started++;
    }
    if (started > 0)
        set_listening(e, 1);
    pthread_t hk;
    int have_hk = started > 0 &&
                  pthread_create(&hk, NULL, event_housekeeper_main, e) == 0;
    /* The main thread takes the signals (USR1/WINCH: graceful). */
    while (have_hk && !mpm_child_stop && !mpm_parent_signalled &&
           !__atomic_load_n(&e->quit, __ATOMIC_ACQUIRE))
        mpm_parent_wait(200);
    mpm_sb_graceful(e->sb, e->slot, e->threads);
    __atomic_store_n(&e->quit, 1, __ATOMIC_RELEASE);
    if (have_hk) {
        fd_signal(e->hkfd);
        pthread_join(hk, NULL);
    } else {
        __atomic_store_n(&e->done, 1, __ATOMIC_RELEASE);
        fd_signal(e->evfd);
        pthread_mutex_lock(&e->lf_lock);
        pthread_cond_broadcast(&e->lf_cond);
        pthread_mutex_unlock(&e->lf_lock);
    }
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
    mpm_scoreboard *sb =
        mpm_scoreboard_get(cfg->server_limit, cfg->thread_limit);
    mpm_config_started("mpm_event", cfg->server_limit, cfg->thread_limit);
    mpm_signals_parent();
    memset(&child, 0, sizeof(child));
    child.ctx = ctx;
    child.sb = sb;
    child.cfg = cfg;
    child.threads = cfg->threads_per_child;
    if (child.threads > sb->thread_limit)
        child.threads = sb->thread_limit;
    if (ctx->one_process) {
        mpm_sb_one_process(sb, ctx, child.threads);
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
    MPM_MAGIC,  MPM_ABI_VERSION, MPM_ABI_MARKER,     "event",
    &event_mod, event_query,     event_check_config, event_run,
};
