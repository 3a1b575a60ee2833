/* http.c -- placeholder for the HTTP engine. */
#include "http.h"
#include <stdlib.h>
#include <unistd.h>
struct http_conn { int fd; };
http_conn *http_conn_create(int fd, const struct sockaddr *p, socklen_t pl, const mpm_listener *l, resolved_config *rc)
{ (void)p; (void)pl; (void)l; (void)rc; http_conn *c = calloc(1, sizeof(*c)); c->fd = fd; return c; }
enum http_wait http_conn_run(http_conn *c) { (void)c; return HTTP_DONE; }
int http_conn_wait_ms(const http_conn *c) { (void)c; return 0; }
enum http_wait http_conn_timeout(http_conn *c) { (void)c; return HTTP_DONE; }
void http_conn_serve(http_conn *c) { http_conn_destroy(c); }
void http_conn_shutdown(http_conn *c) { (void)c; }
int http_conn_fd(const http_conn *c) { return c->fd; }
void http_conn_destroy(http_conn *c) { close(c->fd); free(c); }
unsigned http_conn_requests(const http_conn *c) { (void)c; return 0; }
void http_engine_child_init(resolved_config *rc) { (void)rc; }
