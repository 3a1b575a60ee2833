/* http_internal.h -- what the engine's files share (not for modules).
 *
 *   http_conn.c      the connection state machine and socket I/O
 *   http_parse.c     request head scanner (http_proto.h)
 *   http_uri.c       request-target, paths, Host
 *   http_chunk.c     chunked request bodies
 *   http_response.c  response head, error pages, Date cache, keep-alive
 *   http_static.c    the default handler (files, OPTIONS, TRACE)
 *   request.c        the hook sequence and the per-directory walk
 */
#ifndef HTTPD_HTTP_INTERNAL_H
#define HTTPD_HTTP_INTERNAL_H

#include <sys/uio.h>

#include "http.h"
#include "http_proto.h"
#include "request.h"

/* The response body as the handler left it: bytes in memory and/or a
 * file range, sent after the head. */
typedef struct http_output {
    char *mem; /* body bytes (request_write), in the request arena */
    size_t mem_len, mem_cap;
    int file_fd; /* -1: none */
    int64_t file_off, file_len;
    int chunked;         /* send with Transfer-Encoding: chunked */
    int no_length;       /* no Content-Length: chunked for HTTP/1.1 */
    int close_delimited; /* no Content-Length and no chunking either: the
                          * close ends the body (Apache's 413 and errors
                          * met while reading a request body) */
    int is_file;         /* the body is the file the default handler serves */
    int streamed;        /* a generator passed part of its body on before
                          * the end (Apache's filters saw a brigade without
                          * EOS): no Content-Length, no byte ranges */
    ssize_t (*more)(
        void *ctx,
        const char **p); /* the rest of the body,
                          * produced as it is written (an output filter's,
                          * request_body_stream()), or NULL */
    void *more_ctx;
    int whole; /* an output filter passed its output on in one
                * piece with its end: a Content-Length (HEAD
                * too) and byte ranges, however long */
} http_output;

/* Apache buffers what a generator writes (ap_rputs) in one 8000-byte
 * bucket; a longer body reaches the filters in pieces. */
#define HTTP_BODY_BUFFER 8000

/* Per-connection state; see http_conn.c. */
enum conn_state {
    CS_READ_HEAD, /* reading (or waiting for) a request head */
    CS_READ_BODY, /* discarding the request body */
    CS_WRITE,     /* sending the response */
    CS_LINGER,    /* write side shut, draining input */
    CS_DONE
};

struct http_conn {
    int fd;
    resolved_config *rc;
    const server_conf *base; /* the connection's default server (Apache's
                              * base_server): its request-line and header
                              * limits, Timeout and KeepAliveTimeout hold
                              * until a request selects a vhost */
    conn_info info;
    arena *req_arena; /* reset for every request */
    enum conn_state state;
    int idle;     /* waiting between requests */
    int shutdown; /* http_conn_shutdown() was called */
    int eof;      /* peer closed its side */
    unsigned nrequests;

    /* input */
    char *in;
    size_t in_cap, in_start,
        in_len; /* unconsumed bytes: in[in_start..in_len) */
    http_scan scan;
    int fields_cap; /* header fields the scanner may record */
    int skip_read;  /* answered with nothing buffered: wait first */
    http_limits limits;

    /* the request being served */
    request *r;
    http_chunk chunk;
    int64_t body_limit; /* LimitRequestBody for r (0 = none) */
    int64_t body_read;
    int sent_100;
    int head_status;        /* error found while parsing the head, or 0 */
    int trace_echo;         /* TraceEnable extended: the body is echoed */
    int handler_reads_body; /* the default handler ran: like Apache's, it
                             * consumes the body (100 Continue) before it
                             * decides, even on its own errors */

    /* output */
    http_output out;
    char *head; /* response head bytes */
    size_t head_len;
    struct iovec iov[4];
    int niov;
    char chunk_hdr[32];
    int64_t out_left; /* bytes still to send (head + body) */
    int file_done;
    int linger_ms_left;

    /* RequestReadTimeout: the clock of the head or body being read */
    int rt_stage;        /* RT_NONE, RT_HEADER, RT_BODY */
    int64_t rt_start_ms; /* CLOCK_MONOTONIC */
    int64_t rt_bytes;    /* received since */

    uint64_t bytes_out; /* heads and bodies sent (mod_status's Conn) */
};
enum { RT_NONE = -1, RT_HEADER = 0, RT_BODY = 1 };

/* ---- http_response.c ---- */
/* Current Date header value (formatted at most once a second). */
const char *http_date_now(void);
/* ServerTokens banner ("httpd-ng/0.1.0 (Unix)"). */
const char *http_server_banner(const resolved_config *rc);
/* Apache's error page body for status (no ErrorDocument), in r->arena. */
const char *http_error_body(request *r, int status);
/* Decide keep-alive and build the response head for the final request
 * fr of the chain; fills c->head/head_len. */
void http_build_head(http_conn *c, request *fr);
/* Fill r with Apache's canned error response for status. */
void http_set_error_response(request *r, int status);
/* Status codes after which Apache closes the connection. */
int http_status_drops_connection(int status);
/* "text/html; charset=..." from r->content_type and AddDefaultCharset. */
const char *http_content_type(request *r);
/* The value %{NAME}o logs: apache2's headers_out after its header filter
 * (err_headers_out over headers_out, Vary merged, Content-Encoding and
 * Content-Language from the request). */
const char *http_logged_header_out(request *r, const char *name);

/* ---- http_static.c ---- */
/* The core's default handler: static files, OPTIONS, TRACE. */
int http_default_handler(request *r);
/* Allow header value for r (Apache's: "POST,OPTIONS,HEAD,GET,TRACE"). */
const char *http_allow_methods(request *r);

/* ---- http_filter.c ---- */
/* Run the output filters r's configuration names over the body and
 * headers (only called when rc->output_filters is set). */
void http_filters_run(http_conn *c, request *r);

/* ---- http_range.c ---- */
/* For a handler that made a 200 body: 416 when the Range header asks only
 * for bytes past its end, else OK. */
int http_range_check(request *r);
/* Apache's ap_meets_conditions() on r's ETag and Last-Modified (set in
 * headers_out): OK, 304 or 412. */
int http_meets_conditions(request *r);
/* Just before the head: cut the body to the requested ranges (206) as
 * Apache's byterange filter would. */
void http_range_apply(http_conn *c, request *r);
/* A generated body Apache would not have held whole (longer than its
 * buffer, or passed on early): no Content-Length, no ranges. */
int http_body_streamed(const http_conn *c, const request *r);

/* ---- request.c ---- */
request *request_new(arena *a, http_conn *c);
/* Apache's base_server: the first vhost listening on the connection's
 * local address (exact address before wildcard), else the main server. */
const server_conf *request_base_server(const resolved_config *rc,
                                       const conn_info *ci);
/* Run the hooks for a request whose head parsed (status 0) or answer the
 * error status found while parsing. */
void request_run(request *r, int parse_status, const char *note);
/* Effective per-dir core config. */
core_dir_conf *request_core_dir(request *r);
/* The server name and port Apache's ap_get_server_name_for_url and
 * ap_get_server_port give (UseCanonicalName rules); http_response.c. */
const char *http_request_server_name(request *r);
/* ap_get_server_name(): an IPv6 literal without its brackets */
const char *http_request_host_name(request *r);
int http_request_server_port(request *r);
/* The final request of an internal-redirect chain. */
request *request_final(request *r);
void request_log(request *r);
/* The modules' output_headers hooks, in module order. */
void request_output_headers(request *r);
/* The connection is over: the modules' connection_end hooks (held
 * access-log lines are written). */
void request_conn_end(conn_info *c);

#endif
