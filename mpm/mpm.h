/* mpm.h -- the one interface between the server core and an MPM.
 *
 * An MPM is a name, a module (its directive table: StartServers...), a
 * query, a configuration check and a run function.  The same object file is
 * linked into httpd (./configure --with-mpm=NAME) or becomes
 * modules/mod_mpm_NAME.so; either way the core finds one descriptor,
 *     const struct mpm_module mpm_NAME_module;
 * whose symbol name is what LoadModule names.  Before the loader trusts a
 * shared object it checks that the file contains MPM_ABI_MARKER, then
 * that the descriptor's magic and ABI version match, so a foreign .so
 * (Apache's own mod_mpm_event.so, say) is refused, never run.
 *
 * An MPM never reads configuration text: it gets the resolved configuration
 * and the open listeners, and hands each accepted connection to the core's
 * HTTP engine (core/http.h).
 */
#ifndef HTTPD_MPM_H
#define HTTPD_MPM_H

#include <stdint.h>
#include <sys/socket.h>

#include "conf.h"

#define MPM_MAGIC 0x4d504d21u /* "MPM!" */
#define MPM_ABI_VERSION 1u
#define MPM_ABI_MARKER "httpd-ng MPM ABI 1"

struct mpm_query {
    int threaded;    /* 0 no, 1 fixed threads per child, 2 variable */
    int forked;      /* 0 no, 1 variable number of processes */
    int async;       /* event: connections wait in the listener */
    int max_daemons; /* process limit (ServerLimit) */
    int max_threads; /* threads per child (ThreadLimit) */
    int max_workers; /* MaxRequestWorkers */
};

/* An open listening socket, made by the core before any fork. */
typedef struct mpm_listener {
    int fd;
    const listener_conf *conf;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    char name[64]; /* "127.0.0.1:8080", "[::1]:8080" */
} mpm_listener;

/* Why run() returned. */
enum mpm_exit {
    MPM_EXIT_STOP = 0,      /* SIGTERM / -k stop */
    MPM_EXIT_GRACEFUL_STOP, /* SIGWINCH / -k graceful-stop */
    MPM_EXIT_RESTART,       /* SIGHUP / -k restart: children killed */
    MPM_EXIT_GRACEFUL,      /* SIGUSR1 / -k graceful: in-flight finish */
    MPM_EXIT_ERROR          /* fatal: could not continue */
};

/* What the core hands to run().  The listeners outlive restarts; rc is the
 * generation to serve with (on restart the core calls run() again with the
 * new one, or the old one if the new configuration failed to load). */
typedef struct mpm_context {
    resolved_config *rc;
    mpm_listener *listeners;
    int nlisteners;
    int one_process;         /* -X: serve in this process, no children */
    int foreground;          /* -D FOREGROUND / -X */
    int restart_count;       /* 0 on the first run */
    enum mpm_exit last_exit; /* how the previous run() ended */
} mpm_context;

struct mpm_module {
    uint32_t magic;       /* MPM_MAGIC */
    uint32_t abi_version; /* MPM_ABI_VERSION */
    const char *marker;   /* MPM_ABI_MARKER (keeps it in the .so) */
    const char *name;     /* "prefork", "worker", "event" */
    module *module;       /* "mpm_event_module", "event.c", directives */
    void (*query)(const resolved_config *rc, struct mpm_query *q);
    /* Clamp inconsistent values with Apache's warnings (AH00180...).
     * Returns nonzero only for a configuration that cannot run. */
    int (*check_config)(resolved_config *rc, diag_sink *diag);
    enum mpm_exit (*run)(mpm_context *ctx);
};

/* Division of work around run() (core/server.c):
 *   - the core logs, before each run(), the MPM's "AHnnnnn: httpd-ng/...
 *     (Unix) configured -- resuming normal operations" (AH00163 prefork,
 *     AH00292 worker, AH00489 event) and "AH00094: Command line: '...'";
 *   - after run() returns, the core logs the reason with the MPM's number
 *     (AH00169/AH00295/AH00491 caught SIGTERM, AH00170/AH00296/AH00492
 *     SIGWINCH, AH00173/AH00298/AH00494 SIGHUP, AH00171/AH00297/AH00493
 *     graceful), so run() itself must not log these lines;
 *   - children drop to User/Group by calling server_drop_privileges(rc)
 *     (core/server.h) after fork; with one_process the core has done it.
 *   - the listeners are blocking, SO_REUSEADDR, close-on-exec sockets;
 *     an MPM that wants them non-blocking sets O_NONBLOCK itself. */

/* Set by the generated static_mpm.c: the linked-in MPM, or NULL when the
 * build has only shared MPMs. */
extern const struct mpm_module *const mpm_static_module;

/* Loader (core/loadmod.c).  Returns the descriptor or NULL with *err set
 * to Apache-shaped text such as "Cannot load modules/x.so into server: ..."
 * or "... is not an httpd-ng MPM module (built for Apache httpd?)". */
const struct mpm_module *mpm_load_shared(arena *a, const char *path,
                                         const char *symbol, const char **err);
/* Same, with the path as written in LoadModule (for the message's
 * "Cannot load WRITTEN into server: PATH: ..." shape, as Apache prints it)
 * and the ServerRoot-resolved path that is opened. */
const struct mpm_module *mpm_load_shared_as(arena *a, const char *written,
                                            const char *path,
                                            const char *symbol,
                                            const char **err);
/* Apache's "Cannot load WRITTEN into server: ..." when the file itself
 * cannot be loaded (missing, a directory, not an ELF object), else NULL.
 * Nothing in the file runs. */
const char *mpm_shared_file_problem(arena *a, const char *written,
                                    const char *path);
/* The same, and then Apache's "Can't locate API module structure `SYMBOL'
 * in file PATH: ..." when the object's dynamic symbol table does not
 * define SYMBOL (read from the file: nothing in it runs).  NULL when
 * apache2 would load it. */
const char *mpm_module_file_problem(arena *a, const char *written,
                                    const char *path, const char *symbol);

#endif
