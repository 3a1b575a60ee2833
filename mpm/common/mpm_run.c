/* mpm_run.c -- signals, scoreboard, children, accepting and the blocking
 * connection loop, shared by prefork, worker and event.  See mpm_run.h. */
#include "mpm_run.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "version.h"

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t sig_stop, sig_restart, sig_graceful,
    sig_graceful_stop;
volatile sig_atomic_t mpm_child_stop;
volatile sig_atomic_t mpm_parent_signalled;
static sigset_t wait_mask;
static int wait_mask_ready;

static void on_parent_signal(int sig)
{
    switch (sig) {
    case SIGTERM:
        sig_stop = 1;
        break;
    case SIGHUP:
        sig_restart = 1;
        break;
    case SIGUSR1:
        sig_graceful = 1;
        break;
    case SIGWINCH:
        sig_graceful_stop = 1;
        break;
    default:
        return; /* SIGCHLD: only wakes the wait */
    }
    mpm_parent_signalled = 1;
}

static void on_child_signal(int sig)
{
    (void)sig;
    mpm_child_stop = 1;
}

static void set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: waits return EINTR */
    sigaction(sig, &sa, NULL);
}

static const int parent_signals[] = {SIGTERM, SIGHUP, SIGUSR1, SIGWINCH,
                                     SIGCHLD};
#define NPARENT_SIGNALS (sizeof(parent_signals) / sizeof(parent_signals[0]))

void mpm_signals_parent(void)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < NPARENT_SIGNALS; i++) {
        set_handler(parent_signals[i], on_parent_signal);
        sigaddset(&block, parent_signals[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t old;
    sigprocmask(SIG_BLOCK, &block, &old);
    wait_mask = old;
    for (size_t i = 0; i < NPARENT_SIGNALS; i++)
        sigdelset(&wait_mask, parent_signals[i]);
    wait_mask_ready = 1;
    sig_restart = sig_graceful = 0;
    mpm_parent_signalled = sig_stop || sig_graceful_stop;
}

const sigset_t *mpm_wait_mask(void)
{
    if (!wait_mask_ready) {
        sigprocmask(SIG_SETMASK, NULL, &wait_mask);
        wait_mask_ready = 1;
    }
    return &wait_mask;
}

void mpm_parent_wait(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    ppoll(NULL, 0, ms < 0 ? NULL : &ts, mpm_wait_mask());
}

int mpm_signal_action(void)
{
    mpm_parent_signalled = 0;
    if (sig_stop) {
        sig_stop = 0;
        return MPM_EXIT_STOP;
    }
    if (sig_graceful_stop) {
        sig_graceful_stop = 0;
        return MPM_EXIT_GRACEFUL_STOP;
    }
    if (sig_restart) {
        sig_restart = 0;
        sig_graceful = 0;
        return MPM_EXIT_RESTART;
    }
    if (sig_graceful) {
        sig_graceful = 0;
        return MPM_EXIT_GRACEFUL;
    }
    return -1;
}

void mpm_signals_child(void)
{
    set_handler(SIGTERM, SIG_DFL);
    set_handler(SIGHUP, SIG_DFL);
    set_handler(SIGCHLD, SIG_DFL);
    set_handler(SIGUSR1, on_child_signal);
    set_handler(SIGWINCH, on_child_signal);
    signal(SIGPIPE, SIG_IGN);
    mpm_child_stop = 0;
    mpm_parent_signalled = 0;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    /* USR1/WINCH stay blocked except while waiting (the wait mask). */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &wait_mask);
    sigdelset(&wait_mask, SIGUSR1);
    sigdelset(&wait_mask, SIGWINCH);
    wait_mask_ready = 1;
}

/* ---- scoreboard -----------------------------------------------------------
 */

static mpm_scoreboard the_scoreboard;

static void *shared_alloc(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) {
        log_error(APLOG_EMERG, "core", errno,
                  "AH00004: Unable to allocate the scoreboard (%zu bytes)", n);
        exit(1);
    }
    return p;
}

mpm_scoreboard *mpm_scoreboard_get(int server_limit, int thread_limit)
{
    mpm_scoreboard *sb = &the_scoreboard;
    if (thread_limit < 1)
        thread_limit = 1;
    if (sb->procs != NULL) {
        /* Kept across restarts; remade only when a restart switched to an
         * MPM that needs a bigger one and no child uses the old one. */
        if ((server_limit <= sb->server_limit &&
             thread_limit <= sb->thread_limit) ||
            mpm_children(sb, -1) > 0)
            return sb;
        size_t old = (size_t)sb->server_limit * (size_t)sb->thread_limit;
        munmap(sb->procs, sizeof(*sb->procs) * (size_t)sb->server_limit);
        munmap(sb->workers, sizeof(*sb->workers) * old);
    }
    if (sb->global == NULL)
        sb->global = shared_alloc(sizeof(*sb->global));
    sb->server_limit = server_limit;
    sb->thread_limit = thread_limit;
    size_t nw = (size_t)server_limit * (size_t)thread_limit;
    sb->procs = shared_alloc(sizeof(*sb->procs) * (size_t)server_limit);
    sb->workers = shared_alloc(sizeof(*sb->workers) * nw);
    sb_image = sb;
    return sb;
}

void mpm_sb_publish(mpm_scoreboard *sb, const mpm_context *ctx,
                    int threads_per_child, int daemons_limit)
{
    sb_global *g = sb->global;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    g->parent_pid = getpid();
    g->restart_time_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    g->config_generation = ctx->restart_count + 1;
    g->mpm_generation = sb->generation;
    g->threads_per_child = threads_per_child;
    g->daemons_limit = daemons_limit;
    struct mpm_query q = {0};
    ctx->rc->mpm->query(ctx->rc, &q);
    g->is_async = q.async;
    snprintf(g->mpm_name, sizeof(g->mpm_name), "%s", ctx->rc->mpm->name);
}

void mpm_sb_one_process(mpm_scoreboard *sb, const mpm_context *ctx,
                        int threads_per_child)
{
    mpm_sb_publish(sb, ctx, threads_per_child, 1);
    sb->procs[0].pid = getpid();
    sb->procs[0].generation = sb->generation;
    sb->procs[0].quiescing = 0;
}

void mpm_sb_set(mpm_scoreboard *sb, int proc, int thread, int state)
{
    sb_worker *w = sb_worker_at(sb, proc, thread);
    __atomic_store_n(&w->state, state, __ATOMIC_RELAXED);
    if (state == SB_READY || state == SB_DEAD) { /* between connections */
        __atomic_store_n(&w->conn_count, 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->conn_bytes, (uint64_t)0, __ATOMIC_RELAXED);
    }
    if (state == SB_DEAD) { /* Apache's SERVER_DEAD: the child's counts */
        __atomic_store_n(&w->my_access_count, 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->my_bytes_served, (uint64_t)0, __ATOMIC_RELAXED);
        for (int k = 0; k < 4; k++)
            __atomic_store_n(&w->cpu[k], 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->cpu_at_us, (int64_t)0, __ATOMIC_RELAXED);
    }
}

void mpm_sb_graceful(mpm_scoreboard *sb, int proc, int threads)
{
    for (int t = 0; t < threads && t < sb->thread_limit; t++)
        if (mpm_sb_get(sb, proc, t) != SB_DEAD)
            mpm_sb_set(sb, proc, t, SB_GRACEFUL);
}

int mpm_sb_get(const mpm_scoreboard *sb, int proc, int thread)
{
    return __atomic_load_n(
        &sb->workers[(long)proc * sb->thread_limit + thread].state,
        __ATOMIC_RELAXED);
}

void mpm_sb_count_served(mpm_scoreboard *sb, int proc, int thread)
{
    sb_worker *w = sb_worker_at(sb, proc, thread);
    __atomic_store_n(&w->served,
                     __atomic_load_n(&w->served, __ATOMIC_RELAXED) + 1,
                     __ATOMIC_RELAXED);
}

/* ---- children ---------------------------------------------------------------
 */

pid_t mpm_spawn(mpm_scoreboard *sb, int slot, int (*fn)(int, void *), void *arg)
{
    for (int t = 0; t < sb->thread_limit; t++) {
        sb_worker *w = sb_worker_at(sb, slot, t);
        mpm_sb_set(sb, slot, t, SB_DEAD);
        /* a new child: its own counts start again (Apache's my_*) */
        __atomic_store_n(&w->my_access_count, 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->my_bytes_served, (uint64_t)0, __ATOMIC_RELAXED);
        __atomic_store_n(&w->conn_count, 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->conn_bytes, (uint64_t)0, __ATOMIC_RELAXED);
        for (int k = 0; k < SB_NUM_CONNS; k++)
            __atomic_store_n(&w->conns[k], 0L, __ATOMIC_RELAXED);
        /* and so do its CPU times (Apache zeroes them with SERVER_DEAD) */
        for (int k = 0; k < 4; k++)
            __atomic_store_n(&w->cpu[k], 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->cpu_at_us, (int64_t)0, __ATOMIC_RELAXED);
    }
    sb->procs[slot].generation = sb->generation;
    sb->procs[slot].quiescing = 0;
    sb->procs[slot].idle_threads = 0;
    sb->procs[slot].connections = 0;
    mpm_sb_set(sb, slot, 0, SB_STARTING);
    pid_t pid = fork();
    if (pid < 0) {
        log_error(APLOG_ERR, "core", errno,
                  "AH00159: fork: Unable to fork "
                  "new process");
        mpm_sb_set(sb, slot, 0, SB_DEAD);
        return -1;
    }
    if (pid == 0) {
        mpm_signals_child();
        int rc = fn(slot, arg);
        _exit(rc);
    }
    sb->procs[slot].pid = pid;
    return pid;
}

static int slot_of(const mpm_scoreboard *sb, pid_t pid)
{
    for (int i = 0; i < sb->server_limit; i++)
        if (sb->procs[i].pid == pid)
            return i;
    return -1;
}

int mpm_reap(mpm_scoreboard *sb)
{
    int n = 0, status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int slot = slot_of(sb, pid);
        if (slot >= 0) {
            sb->procs[slot].pid = 0;
            for (int t = 0; t < sb->thread_limit; t++)
                mpm_sb_set(sb, slot, t, SB_DEAD);
        }
        if (WIFSIGNALED(status)) {
            int sig = WTERMSIG(status);
            if (sig != SIGTERM && sig != SIGHUP && sig != SIGKILL)
                log_error(APLOG_NOTICE, "core", 0,
                          "AH00052: child pid %d "
                          "exit signal %s (%d)",
                          (int)pid, strsignal(sig), sig);
        }
        n++;
    }
    return n;
}

int mpm_children(const mpm_scoreboard *sb, long gen)
{
    int n = 0;
    for (int i = 0; i < sb->server_limit; i++)
        if (sb->procs[i].pid > 0 &&
            (gen < 0 || sb->procs[i].generation == (unsigned)gen))
            n++;
    return n;
}

void mpm_children_signal(mpm_scoreboard *sb, int sig, long keep_gen)
{
    for (int i = 0; i < sb->server_limit; i++) {
        sb_process *p = &sb->procs[i];
        if (p->pid <= 0)
            continue;
        if (keep_gen >= 0 && p->generation == (unsigned)keep_gen)
            continue;
        if (sig == SIGUSR1 || sig == SIGWINCH)
            p->quiescing = 1;
        kill(p->pid, sig);
    }
}

void mpm_children_stop(mpm_scoreboard *sb, int sig, int ms)
{
    mpm_children_signal(sb, sig, -1);
    int64_t deadline = mpm_now_ms() + ms;
    while (mpm_children(sb, -1) > 0) {
        mpm_reap(sb);
        if (mpm_children(sb, -1) == 0)
            break;
        int64_t left = deadline - mpm_now_ms();
        if (ms >= 0 && left <= 0) {
            mpm_children_signal(sb, SIGKILL, -1);
            for (int tries = 0; tries < 100 && mpm_children(sb, -1) > 0;
                 tries++) {
                mpm_parent_wait(50);
                mpm_reap(sb);
            }
            break;
        }
        mpm_parent_wait(ms < 0 || left > 100 ? 100 : (int)left);
    }
}

int mpm_free_slot(const mpm_scoreboard *sb, int limit)
{
    if (limit > sb->server_limit)
        limit = sb->server_limit;
    for (int i = 0; i < limit; i++)
        if (sb->procs[i].pid == 0)
            return i;
    return -1;
}

/* ---- listeners
 * ---------------------------------------------------------------- */

void mpm_listeners_nonblocking(const mpm_context *ctx)
{
    for (int i = 0; i < ctx->nlisteners; i++) {
        int fd = ctx->listeners[i].fd;
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0 && !(fl & O_NONBLOCK))
            fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        /* accepted sockets inherit it (Linux): http_conn_create() need
         * not set it per connection */
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
}

int mpm_listen_epoll(const mpm_context *ctx)
{
    mpm_listeners_nonblocking(ctx);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        log_error(APLOG_EMERG, "core", errno, "epoll_create1");
        return -1;
    }
    for (int i = 0; i < ctx->nlisteners; i++) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
        ev.data.u32 = (uint32_t)i;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, ctx->listeners[i].fd, &ev) < 0) {
            log_error(APLOG_EMERG, "core", errno, "epoll_ctl %s",
                      ctx->listeners[i].name);
            close(ep);
            return -1;
        }
    }
    return ep;
}

int mpm_accept(int epfd, const mpm_context *ctx, int timeout_ms,
               struct sockaddr_storage *peer, socklen_t *peerlen, int *which)
{
    struct epoll_event ev;
    int n = epoll_pwait(epfd, &ev, 1, timeout_ms, mpm_wait_mask());
    if (n <= 0)
        return -1;
    int i = (int)ev.data.u32;
    if (i < 0 || i >= ctx->nlisteners)
        return -1;
    int fd = mpm_accept_from(ctx, i, peer, peerlen);
    if (fd >= 0)
        *which = i;
    return fd;
}

int mpm_accept_from(const mpm_context *ctx, int i,
                    struct sockaddr_storage *peer, socklen_t *peerlen)
{
    *peerlen = sizeof(*peer);
    int fd = accept4(ctx->listeners[i].fd, (struct sockaddr *)peer, peerlen,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
        static int64_t last_report;
        int64_t now = mpm_now_ms();
        int e = errno;
        if (now - __atomic_load_n(&last_report, __ATOMIC_RELAXED) > 1000) {
            __atomic_store_n(&last_report, now, __ATOMIC_RELAXED);
            log_error(APLOG_ERR, "core", e, "AH00488: accept on %s",
                      ctx->listeners[i].name);
        }
        errno = e;
    }
    return fd;
}

/* ---- connections
 * ------------------------------------------------------------- */

int64_t mpm_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 ready, 0 timed out, -1 stop requested while idle. */
static int wait_conn(http_conn *c, enum http_wait st, int (*stopping)(void *),
                     void *arg, const sigset_t *mask)
{
    struct pollfd pfd = {.fd = http_conn_fd(c),
                         .events = st == HTTP_WAIT_WRITE ? POLLOUT : POLLIN};
    int ms = http_conn_wait_ms(c);
    int64_t deadline = mpm_now_ms() + (ms > 0 ? ms : 0);
    for (;;) {
        if (st == HTTP_WAIT_KEEPALIVE && stopping != NULL && stopping(arg))
            return -1;
        int64_t left = deadline - mpm_now_ms();
        if (left <= 0)
            return 0;
        if (mask == NULL && left > 250)
            left = 250;
        struct timespec ts = {(time_t)(left / 1000),
                              (long)(left % 1000) * 1000000L};
        int r = ppoll(&pfd, 1, &ts, mask);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return 1; /* let the engine see the error */
    }
}

void mpm_serve_blocking(http_conn *c, int (*stopping)(void *), void *arg,
                        const sigset_t *mask)
{
    enum http_wait st = http_conn_run(c);
    while (st != HTTP_DONE) {
        int w = wait_conn(c, st, stopping, arg, mask);
        if (w > 0)
            st = http_conn_run(c);
        else if (w == 0)
            st = http_conn_timeout(c);
        else
            break;
    }
    http_conn_destroy(c);
}

/* ---- misc -------------------------------------------------------------------
 */

const char *mpm_server_description(void)
{
    return HTTPD_PRODUCT "/" HTTPD_VERSION " (Unix)";
}

void mpm_log_action(const struct mpm_codes *k, int action)
{
    switch (action) {
    case MPM_EXIT_STOP:
        log_error(APLOG_NOTICE, k->module, 0,
                  "AH%05d: caught SIGTERM, shutting down", k->stop);
        break;
    case MPM_EXIT_GRACEFUL_STOP:
        log_error(APLOG_NOTICE, k->module, 0,
                  "AH%05d: caught SIGWINCH, shutting down gracefully",
                  k->graceful_stop);
        break;
    case MPM_EXIT_RESTART:
        log_error(APLOG_NOTICE, k->module, 0,
                  "AH%05d: SIGHUP received.  Attempting to restart",
                  k->restart);
        break;
    case MPM_EXIT_GRACEFUL:
        if (k->graceful == 171)
            log_error(APLOG_NOTICE, k->module, 0,
                      "AH00171: Graceful restart "
                      "requested, doing restart");
        else
            log_error(APLOG_NOTICE, k->module, 0,
                      "AH%05d: SIGUSR1 received. "
                      " Doing graceful restart",
                      k->graceful);
        break;
    default:
        break;
    }
}
