/* http.h -- the HTTP/1.1 engine as the MPMs see it.
 *
 * One engine, written once, used by all three MPMs.  A connection is an
 * explicit state machine fed from a non-blocking socket: http_conn_run()
 * goes as far as it can without blocking and says what it waits for, so the
 * event MPM can park the connection in epoll (idle keep-alive, a header
 * still arriving, a blocked write, lingering close) and resume it later on
 * any thread.  prefork and worker call http_conn_serve(), which loops over
 * http_conn_run() with poll() and the configured timeouts.
 *
 * Memory: a connection owns an arena reset per request; buffers are reused.
 */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf.h"
#include "mpm.h"

typedef struct http_conn http_conn;

enum http_wait {
    HTTP_WAIT_READ, /* needs bytes: a request (head or body) is in progress */
    HTTP_WAIT_KEEPALIVE, /* idle between requests: wait for read,
                            KeepAliveTimeout */
    HTTP_WAIT_WRITE,     /* output blocked: wait for writable */
    HTTP_WAIT_LINGER,    /* closing: drain input until EOF or a short timeout */
    HTTP_DONE            /* finished: call http_conn_destroy() */
};

/* Take ownership of an accepted socket.  With a listener, the socket must
 * come from the MPM's accept (non-blocking, TCP_NODELAY inherited from
 * the listener, see mpm_listeners_nonblocking()); without one it is made
 * non-blocking here.  rc is
 * the configuration generation the connection is served with; the caller
 * keeps it alive until the connection is destroyed. */
http_conn *http_conn_create(int fd, const struct sockaddr *peer,
                            socklen_t peerlen, const mpm_listener *listener,
                            resolved_config *rc);

/* Run until the connection would block or is done. */
enum http_wait http_conn_run(http_conn *c);

/* How long the current wait may last, in ms (Timeout or KeepAliveTimeout);
 * past it the MPM calls http_conn_timeout(). */
int http_conn_wait_ms(const http_conn *c);
/* The wait timed out: answer 408 if a request was partly read, then close. */
enum http_wait http_conn_timeout(http_conn *c);

/* Blocking service for process/thread-per-connection MPMs: loop over
 * http_conn_run() with poll() until done; destroys the connection. */
void http_conn_serve(http_conn *c);

/* http_conn_serve() polls in slices of at most one second; once *flag is
 * nonzero it closes the connection as soon as it is idle between requests
 * (graceful restart/stop for prefork and worker).  The flag is typically
 * set by a signal handler. */
void http_serve_set_stop_flag(volatile sig_atomic_t *flag);

/* Ask a connection to close at the next opportunity, e.g. for a graceful
 * restart: the response being made says Connection: close, a request the
 * client already sent is still read and answered that way, and an idle
 * keep-alive connection is done at its next run. */
void http_conn_shutdown(http_conn *c);

/* Between requests, with nothing buffered: give back the input buffer and
 * request arena (an idle keep-alive connection then holds only its small
 * struct); they are taken again when it runs.  The event MPM calls it
 * when it parks an idle connection.  Per-thread caches keep one set;
 * a thread that used them calls http_conn_thread_done() before exiting. */
void http_conn_idle_trim(http_conn *c);
void http_conn_thread_done(void);

int http_conn_fd(const http_conn *c);
void http_conn_destroy(http_conn *c);

/* Requests served on this connection so far (for MaxConnectionsPerChild
 * accounting MPMs count connections, not requests). */
unsigned http_conn_requests(const http_conn *c);

/* Once per process after fork: caches (Date header, mime types). */
void http_engine_child_init(resolved_config *rc);

#endif
