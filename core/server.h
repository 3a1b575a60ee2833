/* server.h -- the server core's startup: listeners, logs, pid file, user,
 * the MPM and the restart loop (core/server.c, core/listen.c). */
#ifndef HTTPD_SERVER_H
#define HTTPD_SERVER_H

#include "conf.h"
#include "mpm.h"

/* Open (or keep) the listening sockets rc names.  Sockets in *ls whose
 * address is still configured are kept as they are (restarts never rebind
 * a port); new ones are opened with SO_REUSEADDR and ListenBacklog; the
 * rest are closed.  On failure prints Apache's
 *   (98)Address already in use: AH00072: make_sock: could not bind to address
 * 127.0.0.1:8080 to err (if not NULL), leaves *ls untouched and returns -1. */
int listen_open(const resolved_config *rc, mpm_listener **ls, int *n,
                FILE *err);
void listen_close_all(mpm_listener *ls, int n);

struct server_options {
    const char *argv0;        /* as invoked, for AH00094 */
    const char *short_name;   /* basename, for messages */
    const char *command_line; /* the whole command line, quoted */
    int one_process;          /* -X */
    int foreground;           /* -D FOREGROUND / -D NO_DETACH */
};

/* Serve with rc (already loaded with opts) until stopped: open listeners
 * and the error log, detach unless foreground, write the pid file, run the
 * MPM, and on restart reload opts into a new generation (keeping the old
 * one if that fails).  Returns the process exit status. */
int server_main(resolved_config *rc, conf_options *opts,
                const struct server_options *so);

/* Called in a child process (by an MPM) or before serving in one_process
 * mode: switch to User/Group when running as root.  0 or -1 (logged). */
int server_drop_privileges(const resolved_config *rc);

/* Read the pid file rc names: the pid, 0 if there is none or it is
 * unreadable. */
long server_read_pid(const resolved_config *rc);
/* The pid file's absolute path (in rc's arena). */
const char *server_pid_path(const resolved_config *rc);

#endif
