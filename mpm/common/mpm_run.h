/* mpm_run.h -- the runtime pieces every MPM shares, written once:
 * signal flags, the scoreboard in shared memory, child processes and
 * their reaping, accepting from the listeners without a thundering herd,
 * and the blocking connection loop of prefork and worker.
 *
 * Signals.  Handlers only set volatile sig_atomic_t flags.  The parent
 * keeps TERM, HUP, USR1, WINCH and CHLD blocked and unblocks them only
 * while it waits (ppoll with a mask), so a signal can never slip in between
 * testing a flag and going to sleep.  Children die on TERM/HUP (default
 * action) and finish their work on USR1 (graceful) or WINCH.
 *
 * Accepting.  Each process waits for its listeners in its own epoll set
 * registered with EPOLLEXCLUSIVE, so a new connection wakes one waiting
 * process, not all of them; accept4() is non-blocking and a lost race is
 * just EAGAIN.
 */
#ifndef HTTPD_MPM_RUN_H
#define HTTPD_MPM_RUN_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "http.h"
#include "mpm.h"
#include "mpm_config.h"
#include "scoreboard.h"

/* ---- per-MPM texts ---------------------------------------------------- */

/* The AH numbers an MPM logs its life cycle with (Apache's, per MPM). */
struct mpm_codes {
    const char *module; /* "mpm_prefork" */
    int configured; /* AH00163 ... configured -- resuming normal operations */
    int graceful;   /* AH00171 / AH00297 / AH00493 */
    int restart;    /* AH00173 / AH00298 / AH00494 */
    int stop;       /* AH00169 / AH00295 / AH00491 */
    int graceful_stop; /* AH00170 / AH00296 / AH00492 */
    int max_reached;   /* AH00161 / AH00286 / AH00484 */
};

/* ---- signals ---------------------------------------------------------- */

/* Install the parent's handlers (TERM, HUP, USR1, WINCH, CHLD), block
 * those signals, and clear old flags except a pending stop. */
void mpm_signals_parent(void);
/* Sleep until a signal arrives or ms pass (ms < 0: no limit). */
void mpm_parent_wait(int ms);
/* The action a signal asked for, or -1 when none; the flag is consumed. */
int mpm_signal_action(void);
/* Set by any of TERM, HUP, USR1, WINCH in the parent (cleared by
 * mpm_signals_parent()): the stop flag of -X's in-process serving. */
extern volatile sig_atomic_t mpm_parent_signalled;
/* In a new child: TERM/HUP kill (default action), USR1 and WINCH set the
 * child's stop flag (graceful), all four unblocked. */
void mpm_signals_child(void);
/* A child's "finish and exit" flag, set by USR1/WINCH (or by code). */
extern volatile sig_atomic_t mpm_child_stop;
/* The signal mask to sleep with (everything unblocked). */
const sigset_t *mpm_wait_mask(void);

/* ---- scoreboard (shared memory) ---------------------------------------- */

/* The scoreboard itself is the core's (core/scoreboard.h: states SB_*,
 * process and worker records); here it is made, kept across restarts and
 * handed to the children. */
typedef scoreboard mpm_scoreboard;

/* The scoreboard, made on the first run and kept across restarts (its
 * size is what ServerLimit and ThreadLimit fix).  Shared with children. */
mpm_scoreboard *mpm_scoreboard_get(int server_limit, int thread_limit);
/* Worker state (atomic; any process or thread). */
void mpm_sb_set(mpm_scoreboard *sb, int proc, int thread, int state);
int mpm_sb_get(const mpm_scoreboard *sb, int proc, int thread);
/* A threaded child finishes gracefully (retired as idle, a graceful
 * restart or stop): its live threads show 'G' until they exit, as
 * Apache's do. */
void mpm_sb_graceful(mpm_scoreboard *sb, int proc, int threads);
void mpm_sb_count_served(mpm_scoreboard *sb, int proc, int thread);
/* Before a run: the global part mod_status shows (restart time, the
 * generations, the MPM's name, limits and whether it is async). */
void mpm_sb_publish(mpm_scoreboard *sb, const mpm_context *ctx,
                    int threads_per_child, int daemons_limit);

/* -X: publish as mpm_sb_publish() does, and show this process in slot 0
 * (the one -X serves from). */
void mpm_sb_one_process(mpm_scoreboard *sb, const mpm_context *ctx,
                        int threads_per_child);

/* ---- children ------------------------------------------------------------ */

/* Fork a child into slot; child runs fn(slot, arg) and exits with its
 * return value.  Returns the pid or -1 (logged). */
pid_t mpm_spawn(mpm_scoreboard *sb, int slot, int (*fn)(int, void *),
                void *arg);
/* Reap every exited child without waiting: frees their slots, logs
 * crashes (AH00052-style), and returns how many were reaped. */
int mpm_reap(mpm_scoreboard *sb);
/* Number of live children (any generation, or only gen when gen >= 0). */
int mpm_children(const mpm_scoreboard *sb, long gen);
/* Send sig to the children of every generation other than keep_gen
 * (keep_gen < 0: all children). */
void mpm_children_signal(mpm_scoreboard *sb, int sig, long keep_gen);
/* Wait for every child to exit, up to ms (< 0: no limit); then SIGKILL
 * the rest and reap them.  Used on stop and hard restart. */
void mpm_children_stop(mpm_scoreboard *sb, int sig, int ms);
/* A free slot (pid 0) below limit, or -1. */
int mpm_free_slot(const mpm_scoreboard *sb, int limit);

/* ---- listeners ----------------------------------------------------------- */

/* Make every listener non-blocking (shared by all processes), so that a
 * process that lost the race for a connection gets EAGAIN, not a hang;
 * and set TCP_NODELAY on it, which accepted sockets inherit. */
void mpm_listeners_nonblocking(const mpm_context *ctx);
/* An epoll set holding every listener with EPOLLEXCLUSIVE; the data of
 * each event is the listener index.  Returns the epoll fd or -1. */
int mpm_listen_epoll(const mpm_context *ctx);
/* Wait (signals unblocked) for a listener and accept one connection
 * (non-blocking, close-on-exec).  Returns the fd, or -1 when interrupted
 * or the race was lost (check flags and retry); *which gets the listener. */
int mpm_accept(int epfd, const mpm_context *ctx, int timeout_ms,
               struct sockaddr_storage *peer, socklen_t *peerlen, int *which);
/* Accept from listener i (after the caller's own epoll said it is ready). */
int mpm_accept_from(const mpm_context *ctx, int i,
                    struct sockaddr_storage *peer, socklen_t *peerlen);

/* ---- connections -----------------------------------------------------------
 */

/* Serve one connection to the end with http_conn_run() and poll(), as
 * http_conn_serve() does, except that an idle keep-alive connection is
 * closed as soon as stopping(arg) says so (graceful restart).  Waits use
 * the given signal mask (NULL: keep the thread's mask and ask stopping()
 * again every 250 ms).  Destroys the connection. */
void mpm_serve_blocking(http_conn *c, int (*stopping)(void *), void *arg,
                        const sigset_t *mask);

/* ---- misc --------------------------------------------------------------- */

/* Monotonic milliseconds. */
int64_t mpm_now_ms(void);
/* "httpd-ng/0.1.0 (Unix)", for AH00163-style lines. */
const char *mpm_server_description(void);
/* Log the life-cycle line of an action (MPM_EXIT_*) with the MPM's code. */
void mpm_log_action(const struct mpm_codes *codes, int action);

#endif
