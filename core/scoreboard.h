/* scoreboard.h -- what every process and worker is doing, in memory the
 * parent shares with its children (Apache's scoreboard).
 *
 * The MPMs own its shape: mpm/common/mpm_run.c maps it once, sized by
 * ServerLimit x ThreadLimit, and keeps it across restarts; the parent
 * fills the global part and the process slots, each child its workers'
 * states.  The core writes what a worker does with a request: the HTTP
 * engine marks reading, writing, logging, keep-alive and closing, and
 * with ExtendedStatus the request line, client, virtual host, times,
 * accesses and bytes.  mod_status reads all of it.
 *
 * Cost on the request path: a thread binds itself to its worker record
 * once (sb_bind(); the worker MPM rebinds when a thread takes another
 * connection slot), and each state change is one relaxed store into that
 * record.  Only the bound thread writes a record, so there are no locks;
 * readers in other processes may see a record between two stores, as
 * Apache's mod_status may.  Text fields are stored and loaded a word at
 * a time with relaxed atomics, so a reader sees no torn word and TSan no
 * race.
 */
#ifndef HTTPD_SCOREBOARD_H
#define HTTPD_SCOREBOARD_H

#include <stdint.h>
#include <sys/types.h>

/* Worker states, Apache's SERVER_* with mod_status's characters:
 * '.' '_' 'S' 'R' 'W' 'K' 'L' 'D' 'C' 'G' 'I'. */
enum sb_state {
    SB_DEAD = 0,       /* '.' no thread / no process */
    SB_STARTING,       /* 'S' forked or created, not yet ready */
    SB_READY,          /* '_' idle: waiting for a connection */
    SB_BUSY_READ,      /* 'R' reading a request */
    SB_BUSY_WRITE,     /* 'W' processing it and sending the answer */
    SB_BUSY_KEEPALIVE, /* 'K' waiting for the next request */
    SB_BUSY_LOG,       /* 'L' logging it */
    SB_BUSY_DNS,       /* 'D' never set: apache2 2.4 sets none either
                        * (its HostnameLookups run in 'L') */
    SB_CLOSING,        /* 'C' lingering close */
    SB_GRACEFUL,       /* 'G' finishing before exit */
    SB_IDLE_KILL,      /* 'I' never set: apache2 2.4's retiring processes
                        * show 'G' (measured) */
    SB_NUM_STATES
};
/* An MPM took a connection: reading it is the first thing done with it. */
#define SB_BUSY SB_BUSY_READ

/* Whether a state counts as busy for the parent's idle accounting. */
static inline int sb_state_busy(int s)
{
    return s != SB_DEAD && s != SB_READY && s != SB_STARTING &&
           s != SB_IDLE_KILL;
}

#define SB_CPU_SAMPLE_US 100000
#define SB_REQUEST_LEN 64 /* Apache's STATUS_MAXLINE-sized fields */
#define SB_CLIENT_LEN 64
#define SB_VHOST_LEN 32
#define SB_PROTOCOL_LEN 16

/* Connections of an async MPM's process, as mod_status's table shows
 * them; each thread keeps signed deltas in its own record (a connection
 * may park on one thread and resume on another), summed per process. */
enum sb_conn_kind {
    SB_CONNS_TOTAL = 0,
    SB_CONNS_WAITIO,
    SB_CONNS_WRITING,
    SB_CONNS_KEEPALIVE,
    SB_CONNS_CLOSING,
    SB_NUM_CONNS
};

typedef struct sb_worker {
    int state;            /* enum sb_state */
    unsigned long served; /* connections (or runs) taken */
    /* ExtendedStatus: written when a request ends (Apache's
     * ap_increment_counts); "my_" counts restart with each child */
    unsigned long access_count, my_access_count;
    unsigned long conn_count; /* requests on the current connection */
    uint64_t bytes_served, my_bytes_served, conn_bytes;
    int64_t start_us, stop_us; /* the last request, CLOCK_REALTIME */
    int64_t last_used_us;
    int64_t duration_us; /* all requests' time, summed */
    /* ExtendedStatus: the process's CPU times (times(2): user, system,
     * children's user and system, in clock ticks) as a request of this
     * worker ended, as Apache's ap_increment_counts() records them; taken
     * at most every SB_CPU_SAMPLE_US per worker, so a request costs a
     * comparison, not a system call */
    int64_t cpu_at_us;
    unsigned long cpu[4];
    long conns[SB_NUM_CONNS];             /* deltas (see above) */
    uint64_t request[SB_REQUEST_LEN / 8]; /* text, NUL-terminated */
    uint64_t client[SB_CLIENT_LEN / 8];
    uint64_t vhost[SB_VHOST_LEN / 8];
    uint64_t protocol[SB_PROTOCOL_LEN / 8];
} sb_worker;

typedef struct sb_process {
    pid_t pid;           /* 0: slot free */
    unsigned generation; /* restart generation the child serves */
    int quiescing;       /* told to finish and exit */
    int idle_threads;    /* threaded MPMs: ready workers, kept by the child */
    int connections;     /* unused (kept for the MPMs' bookkeeping) */
} sb_process;

/* Written by the parent before each run; children read their copy. */
typedef struct sb_global {
    pid_t parent_pid;
    int64_t restart_time_us; /* when this generation started serving */
    int config_generation;   /* 1, then one more per restart */
    unsigned mpm_generation; /* the parent's current generation */
    int threads_per_child;   /* 1 for prefork */
    int daemons_limit;       /* processes MaxRequestWorkers allows */
    int is_async;            /* event: the connections table */
    char mpm_name[16];
} sb_global;

typedef struct scoreboard {
    int server_limit;
    int thread_limit;
    unsigned generation; /* parent's; a child's copy is its own */
    sb_global *global;   /* shared */
    sb_process *procs;   /* shared, [server_limit] */
    sb_worker *workers;  /* shared, [server_limit * thread_limit] */
} scoreboard;

/* The server's scoreboard, once an MPM has made one (NULL before, and in
 * tools that never serve). */
extern scoreboard *sb_image;

static inline sb_worker *sb_worker_at(scoreboard *sb, int proc, int thread)
{
    return &sb->workers[(long)proc * sb->thread_limit + thread];
}

/* ---- the calling thread's record ---------------------------------------- */

/* Bind the calling thread to a worker record (NULL: none, nothing is
 * written).  The worker MPM binds a thread to the connection slot it runs;
 * prefork and event bind each thread once to its own. */
void sb_bind(sb_worker *w);

/* The calling thread's record (sb_bind()).  The setters below run several
 * times per request, so they are inline: a TLS load and a store or two.
 * The variable lives in the executable; initial-exec keeps the access a
 * single load from the MPM modules loaded with dlopen() too. */
extern __thread sb_worker *sb_self __attribute__((tls_model("initial-exec")));

/* Set the bound record's state (nothing when unbound). */
static inline void sb_set_state(int state)
{
    sb_worker *w = sb_self;
    if (w == NULL)
        return;
    __atomic_store_n(&w->state, state, __ATOMIC_RELAXED);
    if (state == SB_READY) {
        /* between connections: "this connection" starts again */
        __atomic_store_n(&w->conn_count, 0UL, __ATOMIC_RELAXED);
        __atomic_store_n(&w->conn_bytes, (uint64_t)0, __ATOMIC_RELAXED);
    }
}

/* Async MPMs: a connection moved between kinds (delta +1 / -1).  Only the
 * bound thread writes its record: a relaxed load and store, no locked
 * instruction. */
static inline void sb_count_conn(int kind, int delta)
{
    sb_worker *w = sb_self;
    if (w == NULL)
        return;
    long v = __atomic_load_n(&w->conns[kind], __ATOMIC_RELAXED);
    __atomic_store_n(&w->conns[kind], v + delta, __ATOMIC_RELAXED);
}

struct conn_info;
/* A connection was accepted: with ExtendedStatus, as Apache's
 * update_child_status_from_conn(), its client and protocol, no request
 * and no vhost yet. */
void sb_conn_begin(const struct conn_info *c);

struct request;
/* A request's head is in and its server chosen: state 'W' and, with
 * ExtendedStatus (r->rc->extended_status > 0), its line (SeeRequestTail:
 * the last 63 bytes of a longer one), client, vhost and protocol. */
void sb_request_begin(const struct request *r);
/* It was answered (bytes: head + body sent): with ExtendedStatus, the
 * counts, bytes and times; then state 'L' while it is logged.
 * conn_requests is the connection's request count including this one. */
void sb_request_end(const struct request *r, int64_t bytes,
                    unsigned long conn_requests, uint64_t conn_bytes);

/* ---- reading --------------------------------------------------------------
 */

/* Copy a text field (as stored by the writer) into buf[size]. */
void sb_text_load(const uint64_t *field, size_t size, char *buf);
/* Copy a record with relaxed loads (a snapshot for mod_status). */
void sb_worker_load(const sb_worker *w, sb_worker *out);

#endif
