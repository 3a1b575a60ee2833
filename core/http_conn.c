/* http_conn.c -- one client connection as an explicit state machine.
 *
 *   READ_HEAD --head--> (hooks run, response prepared) --> READ_BODY
 *   READ_BODY --body discarded--> WRITE --sent--> READ_HEAD (keep-alive)
 *                                              \-> LINGER --> DONE
 *
 * http_conn_run() does as much as it can on the non-blocking socket and
 * returns what it waits for; nothing in here blocks.  The input buffer and
 * the request arena are reused from request to request; the scanner
 * records header offsets in a per-connection array. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"
#include "log.h"
#include "mod_reqtimeout.h"
#include "scoreboard.h"

#define STEP_CONTINUE (-1)
#define IN_BUF_INITIAL 4096 /* grows (doubling) up to a head's limits */
#define LINGER_MS 2000
#define LINGER_MAX_BYTES (1 << 20)

static volatile sig_atomic_t *serve_stop_flag;

void http_serve_set_stop_flag(volatile sig_atomic_t *flag)
{
    serve_stop_flag = flag;
}

static int conf_or(int v, int def)
{
    return v == UNSET ? def : v;
}

static void addr_text(const struct sockaddr_storage *ss, char *ip, size_t n,
                      int *port)
{
    ip[0] = '\0';
    *port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s4->sin_addr, ip, (socklen_t)n);
        *port = ntohs(s4->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, (socklen_t)n);
        *port = ntohs(s6->sin6_port);
        /* v4-mapped addresses are shown as IPv4, as Apache does */
        if (strncmp(ip, "::ffff:", 7) == 0 && strchr(ip + 7, '.') != NULL)
            memmove(ip, ip + 7, strlen(ip + 7) + 1);
    }
}

/* A listener on one address (not a wildcard): a connection's local address
 * is the listener's. */
static int bound_to_one_address(const mpm_listener *l)
{
    if (l->addrlen > sizeof(l->addr))
        return 0;
    if (l->addr.ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&l->addr;
        return s4->sin_addr.s_addr != htonl(INADDR_ANY) && s4->sin_port != 0;
    }
    if (l->addr.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&l->addr;
        return !IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) &&
               !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && s6->sin6_port != 0;
    }
    return 0;
}

static void conn_info_init(http_conn *c, const struct sockaddr *peer,
                           socklen_t peerlen, const mpm_listener *l)
{
    static unsigned long next_id;
    conn_info *ci = &c->info;
    memset(ci, 0, sizeof(*ci));
    if (peer != NULL && peerlen > 0 && peerlen <= sizeof(ci->peer))
        memcpy(&ci->peer, peer, peerlen);
    else {
        socklen_t len = sizeof(ci->peer);
        if (getpeername(c->fd, (struct sockaddr *)&ci->peer, &len) != 0)
            ci->peer.ss_family = AF_UNSPEC;
    }
    if (l != NULL && bound_to_one_address(l)) {
        memcpy(&ci->local, &l->addr, l->addrlen); /* no need to ask */
    } else {
        socklen_t len = sizeof(ci->local);
        if (getsockname(c->fd, (struct sockaddr *)&ci->local, &len) != 0)
            ci->local.ss_family = AF_UNSPEC;
    }
    addr_text(&ci->peer, ci->peer_ip, sizeof(ci->peer_ip), &ci->peer_port);
    addr_text(&ci->local, ci->local_ip, sizeof(ci->local_ip), &ci->local_port);
    ci->listener = l;
    ci->id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
}

static void scan_reset(http_conn *c)
{
    http_field *f = c->scan.fields;
    int cap = c->scan.cap;
    http_scan_init(&c->scan, f, cap);
}

static void rt_start(http_conn *c, int stage, int64_t bytes);

http_conn *http_conn_create(int fd, const struct sockaddr *peer,
                            socklen_t peerlen, const mpm_listener *listener,
                            resolved_config *rc)
{
    http_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->fd = fd;
    rt_start(c, RT_HEADER, 0); /* the first request's head: from the start */
    c->rc = rc;
    if (listener == NULL) {
        /* MPMs accept non-blocking from listeners that carry TCP_NODELAY
         * (mpm_listeners_nonblocking()); anything else is set up here */
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    conn_info_init(c, peer, peerlen, listener);
    const server_conf *s = c->base = request_base_server(rc, &c->info);
    c->limits.line = conf_or(s->limit_req_line, 8190);
    c->limits.fieldsize = conf_or(s->limit_req_fieldsize, 8190);
    c->limits.fields = conf_or(s->limit_req_fields, 100);
    c->limits.flags =
        (s->http_conformance & HTTP_CONF_UNSAFE ? HTTP_LIM_UNSAFE : 0) |
        (s->http_methods & HTTP_METHODS_REGISTERED ? HTTP_LIM_REGISTERED : 0) |
        (s->http09 & HTTP09_REQUIRE10 ? HTTP_LIM_REQUIRE10 : 0);
    c->fields_cap = c->limits.fields > 0 ? c->limits.fields + 1 : 64;
    http_scan_init(&c->scan, NULL, 0);
    c->out.file_fd = -1;
    c->state = CS_READ_HEAD;
    c->idle = 1;
    if (rc->extended_status > 0)
        sb_conn_begin(&c->info);
    return c;
}

/* ---- per-connection memory --------------------------------------------
 *
 * A connection holds its input buffer, request arena and header-field
 * array only while it has something to do.  http_conn_idle_trim() gives
 * them back when it is idle between requests; they are taken again when
 * bytes arrive.  Each thread keeps one set aside (the thread that parks a
 * connection is usually the one that resumes the next), so trimming costs
 * no allocation in the steady state; the rest goes back to malloc. */

struct conn_mem {
    char *in;
    size_t in_cap;
    arena *a;
    http_field *fields;
    int fields_cap;
};

static __thread struct conn_mem mem_cache;

static int conn_mem_take(http_conn *c)
{
    struct conn_mem *m = &mem_cache;
    if (c->in == NULL) {
        if (m->in != NULL) {
            c->in = m->in;
            c->in_cap = m->in_cap;
            m->in = NULL;
        } else {
            c->in = malloc(IN_BUF_INITIAL);
            if (c->in == NULL)
                return -1;
            c->in_cap = IN_BUF_INITIAL;
        }
        c->in_start = c->in_len = 0;
    }
    if (c->scan.fields == NULL) {
        http_field *f = NULL;
        if (m->fields != NULL && m->fields_cap == c->fields_cap) {
            f = m->fields;
            m->fields = NULL;
        } else {
            f = malloc(sizeof(http_field) * (size_t)c->fields_cap);
            if (f == NULL)
                return -1;
        }
        http_scan_init(&c->scan, f, c->fields_cap);
    }
    return 0;
}

/* The request arena is taken only when a whole head is there (a slow
 * client's partial head holds just the input buffer and field array). */
static void conn_arena_take(http_conn *c)
{
    struct conn_mem *m = &mem_cache;
    if (c->req_arena != NULL) {
        arena_reset(c->req_arena);
    } else {
        c->req_arena = m->a != NULL ? m->a : arena_create(16384);
        m->a = NULL;
    }
}

static void conn_mem_give(http_conn *c)
{
    struct conn_mem *m = &mem_cache;
    if (c->in != NULL) {
        if (m->in == NULL && c->in_cap == IN_BUF_INITIAL) {
            m->in = c->in;
            m->in_cap = c->in_cap;
        } else {
            free(c->in);
        }
        c->in = NULL;
        c->in_cap = c->in_start = c->in_len = 0;
    }
    if (c->req_arena != NULL) {
        arena_reset(c->req_arena);
        if (m->a == NULL)
            m->a = c->req_arena;
        else
            arena_destroy(c->req_arena);
        c->req_arena = NULL;
    }
    if (c->scan.fields != NULL) {
        if (m->fields == NULL) {
            m->fields = c->scan.fields;
            m->fields_cap = c->scan.cap;
        } else {
            free(c->scan.fields);
        }
        http_scan_init(&c->scan, NULL, 0);
    }
}

void http_conn_idle_trim(http_conn *c)
{
    if (c->state == CS_READ_HEAD && c->idle && c->r == NULL &&
        c->in_start == c->in_len)
        conn_mem_give(c);
}

void http_conn_thread_done(void)
{
    struct conn_mem *m = &mem_cache;
    free(m->in);
    arena_destroy(m->a);
    free(m->fields);
    memset(m, 0, sizeof(*m));
}

void http_conn_destroy(http_conn *c)
{
    if (c == NULL)
        return;
    request_conn_end(&c->info);
    if (c->fd >= 0)
        close(c->fd);
    conn_mem_give(c);
    free(c);
}

int http_conn_fd(const http_conn *c)
{
    return c->fd;
}

unsigned http_conn_requests(const http_conn *c)
{
    return c->nrequests;
}

void http_conn_shutdown(http_conn *c)
{
    c->shutdown = 1;
}

/* ---- input ------------------------------------------------------------ */

/* Make room for more input: compact, then grow up to a head's maximum. */
static int in_make_room(http_conn *c)
{
    if (c->in_start == c->in_len) {
        c->in_start = c->in_len = 0;
    }
    if (c->in_len < c->in_cap)
        return 0;
    if (c->in_start > 0) {
        memmove(c->in, c->in + c->in_start, c->in_len - c->in_start);
        c->in_len -= c->in_start;
        c->in_start = 0;
        return 0;
    }
    size_t cap = c->in_cap * 2;
    if (cap > (64u << 20))
        return -1;
    char *n = realloc(c->in, cap);
    if (n == NULL)
        return -1;
    c->in = n;
    c->in_cap = cap;
    return 0;
}

/* Read what the socket has: 1 got bytes, 0 would block, -1 EOF/error. */
static int in_fill(http_conn *c)
{
    if (in_make_room(c) != 0)
        return -1;
    for (;;) {
        ssize_t n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
        if (n > 0) {
            c->in_len += (size_t)n;
            return 1;
        }
        if (n == 0) {
            c->eof = 1;
            return -1;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        c->eof = 1;
        return -1;
    }
}

/* ---- RequestReadTimeout: the head's and the body's own clocks --------- */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start a stage's clock (RT_HEADER when a request's first byte is there,
 * or the connection opens; RT_BODY when its body starts to be read). */
static void rt_start(http_conn *c, int stage, int64_t bytes)
{
    c->rt_stage = stage;
    c->rt_start_ms = mono_ms();
    c->rt_bytes = bytes;
}

static reqtimeout_stage rt_limit(const http_conn *c)
{
    if (c->rt_stage == RT_BODY)
        return reqtimeout_limit(c->r && c->r->server ? c->r->server : c->base,
                                REQTIMEOUT_BODY);
    return reqtimeout_limit(c->base, REQTIMEOUT_HEADER);
}

/* ms left on the running stage's clock, or -1 when none runs. */
static int64_t rt_left_ms(const http_conn *c)
{
    if (c->rt_stage == RT_NONE)
        return -1;
    int64_t d = reqtimeout_deadline_ms(rt_limit(c), c->rt_bytes);
    if (d < 0)
        return -1;
    int64_t left = c->rt_start_ms + d - mono_ms();
    return left > 0 ? left : 0;
}

/* ---- request lifecycle ------------------------------------------------ */

static void prepare_write(http_conn *c);

static int64_t body_limit_of(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    if (d == NULL || d->limit_req_body == UNSET)
        return (int64_t)1 << 30; /* Apache's default: 1 GiB */
    return d->limit_req_body;
}

/* An error met while reading (or refusing) the request body replaces the
 * prepared response.  As Apache: an error answered from the head (417)
 * is reported as the first error; the error's own ErrorDocument is
 * used. */
static void body_error_response(http_conn *c, request *fr, int status)
{
    /* the request the client sent, with what mod_dir merged into it (a
     * fast redirect is the same request in Apache) */
    request *t = c->r;
    while (t->next != NULL && t->next->fast_redirect)
        t = t->next;
    if (t != fr) {
        /* an ErrorDocument was being served: apache2 read the body before
         * it, so the error is the request's own, answered with its
         * ErrorDocument or page (no "Additionally") */
        t->next = NULL;
        t->error_in_progress = 0;
        if (t->the_request != NULL) { /* its method again, not the GET of
                                       * the document (the 413 page says) */
            t->method = arena_strndup(t->arena, t->the_request,
                                      strcspn(t->the_request, " "));
            t->method_number = req_method_number(t->method);
        }
        t->failed_redirect = NULL;
        req_table_unset(&t->notes, "recursive-error");
        request_send_error(t, status);
        return;
    }
    const char *first = NULL;
    if (c->head_status != 0 && fr->status >= 400 && fr->status != status)
        first = http_status_line(fr->status);
    /* an answer decided before the handler (a redirect, a refusal) is
     * being sent when Apache reads the body, so it is reported too */
    if (c->head_status == 0 && fr == c->r && !fr->handler_reached &&
        fr->status != 200 && fr->status != status && fr->status >= 300)
        first = http_status_line(fr->status);
    /* a local ErrorDocument for the body's error is served with its
     * status, whatever was prepared before (apache2 reads the body before
     * it sends anything) */
    core_dir_conf *d = request_core_dir(fr);
    for (const error_document *e = d ? d->error_documents : NULL; e;
         e = e->next)
        if (e->status == status && !e->is_text && e->target[0] == '/' &&
            fr->next == NULL) {
            fr->error_in_progress = 0;
            req_table_unset(&fr->notes, "recursive-error");
            request_send_error(fr, status);
            return;
        }
    if (first != NULL)
        req_table_set(fr->arena, &fr->notes, "recursive-error", first);
    if (fr->status == 417) /* its text is part of the 417 page in Apache */
        req_table_unset(&fr->notes, "error-notes");
    if (first == NULL && !fr->error_in_progress) {
        request_send_error(fr, status); /* its text ErrorDocument */
        return;
    }
    http_set_error_response(fr, status);
}

static void echo_chunk_data(void *ctx, const char *p, size_t n)
{
    http_conn *c = ctx;
    request_write(request_final(c->r), p, n);
}

/* The response is ready; decide whether the body must be read first. */
static void after_process(http_conn *c, int parse_status)
{
    request *r = c->r, *fr = request_final(r);
    c->body_read = 0;
    c->head_status = parse_status;
    memset(&c->chunk, 0, sizeof(c->chunk));
    if (c->trace_echo) { /* TRACE extended: the decoded data, as apache2 */
        c->chunk.on_data = echo_chunk_data;
        c->chunk.on_data_ctx = c;
    }
    c->chunk.unsafe = r->http_unsafe;
    c->chunk.max_fields = c->limits.fields;
    int has_body = r->chunked || r->remaining > 0;
    if (!has_body || (parse_status != 0 && !r->keepalive)) {
        prepare_write(c);
        return;
    }
    if (r->expecting_100 && fr->status >= 400 && !c->handler_reads_body) {
        /* not reading it: the connection cannot be reused */
        fr->keepalive = r->keepalive = 0;
        prepare_write(c);
        return;
    }
    c->body_limit = body_limit_of(r);
    if (c->body_limit > 0 && r->remaining > c->body_limit) {
        log_release(r, 0);
        log_rerror(r, APLOG_INFO, "http", 0,
                   "AH01588: Requested content-length of %lld is larger "
                   "than the configured limit of %lld",
                   (long long)r->remaining, (long long)c->body_limit);
        fr->keepalive = r->keepalive = 0;
        body_error_response(c, fr, 413);
        prepare_write(c);
        return;
    }
    c->sent_100 = !r->expecting_100;
    c->state = CS_READ_BODY;
    rt_start(c, RT_BODY, 0);
}

/* AH00561/AH00562 name the field: up to its colon, at most 80 bytes. */
static void log_big_field(const http_scan *s, request *r, const char *head)
{
    const char *f = head + s->big_off;
    size_t len = s->big_len;
    const char *nul = memchr(f, '\0', len);
    if (nul != NULL)
        len = (size_t)(nul - f);
    const char *colon = memchr(f, ':', len);
    size_t name = colon && colon - f <= 80 ? (size_t)(colon - f) : 80;
    if (name > len)
        name = len;
    if (s->big_folded)
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00562: Request header exceeds LimitRequestFieldSize "
                   "after folding: %.*s",
                   (int)name, f);
    else
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00561: Request header exceeds LimitRequestFieldSize"
                   "%s%.*s",
                   len > 0 ? ": " : "", (int)name, f);
}

/* Apache's words (info) for a head refused at its limits; head: the
 * bytes the scanner saw. */
static void log_head_error(http_conn *c, request *r, int st, const char *head)
{
    if (st == 400 && c->scan.note == http_note_field_size) {
        log_big_field(&c->scan, r, head);
        return;
    }
    if (st == 414 && c->scan.state == SCAN_REQLINE)
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00565: request failed: client's request-line exceeds "
                   "LimitRequestLine (longer than %d)",
                   c->limits.line);
    else if (st == 400 && c->scan.note == http_note_field_count)
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00563: Number of request headers exceeds "
                   "LimitRequestFields");
}

static void start_request(http_conn *c, int scan_status)
{
    c->rt_stage = RT_NONE; /* the head is in */
    conn_arena_take(c);
    memset(&c->out, 0, sizeof(c->out));
    c->out.file_fd = -1;
    c->handler_reads_body = 0;
    c->trace_echo = 0;
    request *r = request_new(c->req_arena, c);
    c->r = r;
    c->idle = 0;
    const char *note = c->scan.note;
    const char *head = c->in + c->in_start;
    int st = scan_status;
    if (st == HTTP_SCAN_DONE) {
        st = http_head_finish(r, &c->scan, c->in + c->in_start, &note);
        c->in_start += c->scan.head_len;
    } else {
        /* unusable input: answer and close */
        http_head_partial(r, &c->scan, c->in + c->in_start,
                          c->in_len - c->in_start, st, &c->limits);
        c->in_start = c->in_len;
        r->keepalive = 0;
    }
    log_count_lines(&c->info.log_lines); /* %L: what it logs */
    log_head_error(c, r, st, head);
    request_run(r, st, note);
    log_count_lines(NULL);
    after_process(c, st);
}

static int step_read_head(http_conn *c)
{
    if (c->in == NULL || c->scan.fields == NULL) {
        if (conn_mem_take(c) != 0) {
            c->state = CS_DONE;
            return STEP_CONTINUE;
        }
    }
    if (c->skip_read) {
        /* just answered and nothing is buffered: the next request is
         * rarely there yet, so wait for it instead of trying a read */
        c->skip_read = 0;
        if (c->in_len == c->in_start && !c->shutdown)
            return HTTP_WAIT_KEEPALIVE;
    }
    if (c->rt_stage != RT_HEADER && c->in_len > c->in_start)
        rt_start(c, RT_HEADER, (int64_t)(c->in_len - c->in_start));
    for (;;) {
        if (c->in_len > c->in_start) {
            int st = http_scan_head(&c->scan, c->in + c->in_start,
                                    c->in_len - c->in_start, &c->limits);
            if (st != HTTP_SCAN_MORE && c->scan.blank_overflow &&
                c->nrequests > 0) {
                /* Apache answers too many blank lines with a 400 only on
                 * a connection's first request; later it just closes */
                c->state = CS_DONE;
                return STEP_CONTINUE;
            }
            if (st != HTTP_SCAN_MORE) {
                start_request(c, st);
                return STEP_CONTINUE;
            }
        }
        size_t had = c->in_len;
        int rc = in_fill(c);
        if (rc > 0) {
            c->idle = 0;
            if (c->rt_stage != RT_HEADER)
                rt_start(c, RT_HEADER, 0);
            c->rt_bytes += (int64_t)(c->in_len - had);
            continue;
        }
        if (rc < 0 && c->eof && c->scan.state == SCAN_HEADERS) {
            /* the client ended its half of the connection inside the
             * header block: Apache answers 400 (an EOF before a whole
             * request line is just a close) */
            start_request(c, 400);
            return STEP_CONTINUE;
        }
        if (rc < 0 || (c->shutdown && c->idle && c->nrequests > 0)) {
            /* EOF or error before a full head; or asked to close while
             * idle between requests: a request already sent is still
             * read and answered (with Connection: close), an idle
             * keep-alive connection closes; a new one waits for its
             * first request */
            c->state = CS_DONE;
            return STEP_CONTINUE;
        }
        return c->idle && c->nrequests > 0 ? HTTP_WAIT_KEEPALIVE
                                           : HTTP_WAIT_READ;
    }
}

/* Swap the prepared response for an error found while reading the body. */
static void body_error(http_conn *c, int status)
{
    log_release(c->r, 0); /* the default handler would not have run */
    request *fr = request_final(c->r);
    int in_trailer =
        c->chunk.state == CHUNK_TRAILER || c->chunk.state == CHUNK_TRAILER_LF;
    c->r->keepalive = fr->keepalive = 0;
    body_error_response(c, fr, status);
    if (c->trace_echo && !in_trailer && !fr->header_only) {
        /* apache2's TRACE reads a chunked body itself: the input sends
         * the error's page, then the handler fails with a 400 whose page
         * follows in the same answer (logged as the 400) */
        request_puts(fr, http_error_body(fr, 400));
        fr->status_line = http_status_line(fr->status);
        fr->status = 400;
    }
    /* Apache answers these with neither Content-Length nor chunking,
     * except for a bad trailer (read like a header block) */
    if (!in_trailer)
        c->out.no_length = c->out.close_delimited = 1;
    prepare_write(c);
}

/* Apache's words (info) for a chunked body it could not read: the
 * trailer's as for a header field, then AH02656; the chunks' AH01590. */
static void log_chunk_error(http_conn *c, request *r, int status)
{
    const http_chunk *k = &c->chunk;
    if (k->trailer_error == 0) {
        log_rerror(r, APLOG_INFO, "http", status == 413 ? ENOSPC : EINVAL,
                   "AH01590: Error reading/parsing chunk %s ",
                   status == 413 ? "(overflow)" : "");
        return;
    }
    const char *note = NULL;
    if (k->trailer_error == CHUNK_TRAILER_TOO_LONG) {
        size_t len = (size_t)k->trailer_len;
        if (len > sizeof(k->trailer_head))
            len = sizeof(k->trailer_head);
        if (len > (size_t)c->limits.fieldsize + 1)
            len = (size_t)c->limits.fieldsize + 1;
        http_scan s = {.big_off = 0, .big_len = (uint32_t)len};
        log_big_field(&s, r, k->trailer_head);
        note = http_note_field_size;
    } else if (k->trailer_error == CHUNK_TRAILER_TOO_MANY) {
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00563: Number of request headers exceeds "
                   "LimitRequestFields");
        note = http_note_field_count;
    }
    log_rerror(r, APLOG_INFO, "http", 0,
               "AH02656: Error while reading HTTP trailer: %d%s%s", status,
               note ? ": " : "", note ? note : "");
}

/* A chunked body over LimitRequestBody (a Content-Length one was
 * refused before it was read). */
static int body_too_large(http_conn *c, request *r, int64_t data)
{
    c->body_read += data;
    r->body_bytes_in = c->body_read;
    log_release(r, 0);
    log_rerror(r, APLOG_INFO, "http", 0,
               "AH01591: Read content length of %lld is larger than the "
               "configured limit of %lld",
               (long long)c->body_read, (long long)c->body_limit);
    return -413;
}

/* Consume body bytes already buffered; 1 when the body is complete. */
static int body_consume(http_conn *c)
{
    request *r = c->r;
    size_t avail = c->in_len - c->in_start;
    int64_t data;
    if (r->chunked) {
        long n = http_chunk_feed(&c->chunk, c->in + c->in_start, avail, &data,
                                 c->limits.fieldsize + 2);
        if (n < 0) {
            /* data decoded before the error still counts against the limit */
            if (c->body_limit > 0 && c->body_read + data > c->body_limit)
                return body_too_large(c, r, data);
            log_release(r, 0);
            log_chunk_error(c, r, (int)-n);
            return (int)n;
        }
        c->in_start += (size_t)n;
    } else {
        data = (int64_t)avail < r->remaining ? (int64_t)avail : r->remaining;
        if (c->trace_echo && data > 0)
            request_write(request_final(r), c->in + c->in_start, (size_t)data);
        c->in_start += (size_t)data;
        r->remaining -= data;
    }
    if (c->body_limit > 0 && c->body_read + data > c->body_limit)
        return body_too_large(c, r, data);
    c->body_read += data;
    r->body_bytes_in = c->body_read;
    return r->chunked ? c->chunk.state == CHUNK_DONE : r->remaining == 0;
}

static int send_100_continue(http_conn *c)
{
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
    ssize_t n = send(c->fd, line, sizeof(line) - 1, MSG_NOSIGNAL);
    c->sent_100 = 1;
    return n == (ssize_t)(sizeof(line) - 1) ? 0 : -1;
}

static int step_read_body(http_conn *c)
{
    if (!c->sent_100 && send_100_continue(c) != 0) {
        c->state = CS_DONE;
        return STEP_CONTINUE;
    }
    for (;;) {
        int rc = body_consume(c);
        if (rc < 0) {
            body_error(c, -rc);
            return STEP_CONTINUE;
        }
        if (rc == 1) {
            prepare_write(c);
            return STEP_CONTINUE;
        }
        size_t had = c->in_len;
        rc = in_fill(c);
        if (rc > 0)
            c->rt_bytes += (int64_t)(c->in_len - had);
        if (rc < 0 && c->eof && c->head_status != 0) {
            body_error(c, 400); /* read while answering an error */
            return STEP_CONTINUE;
        }
        if (rc < 0 && c->eof) {
            /* the client ended its half mid-body: a 400, as Apache's
             * body reading gives (the answer may still reach it) */
            request *fr = request_final(c->r);
            c->r->keepalive = fr->keepalive = 0;
            log_release(c->r, 0);
            body_error_response(c, fr, 400);
            prepare_write(c);
            return STEP_CONTINUE;
        }
        if (rc < 0) {
            c->state = CS_DONE; /* connection error mid-body */
            return STEP_CONTINUE;
        }
        if (rc == 0)
            return HTTP_WAIT_READ;
    }
}

/* ---- output ------------------------------------------------------------ */

static void prepare_write(http_conn *c)
{
    log_release(c->r, 1); /* the body is read: what the handler said */
    request *fr = request_final(c->r);
    http_build_head(c, fr);
    fr = request_final(c->r); /* the filters may have redirected it */
    c->niov = 0;
    c->out_left = 0;
    c->iov[c->niov].iov_base = c->head;
    c->iov[c->niov++].iov_len = c->head_len;
    c->out_left += (int64_t)c->head_len;
    int body = !fr->header_only && !fr->no_body;
    if (body && c->out.mem_len > 0) {
        if (c->out.chunked) {
            int n = snprintf(c->chunk_hdr, sizeof(c->chunk_hdr), "%zx\r\n",
                             c->out.mem_len);
            c->iov[c->niov].iov_base = c->chunk_hdr;
            c->iov[c->niov++].iov_len = (size_t)n;
            c->out_left += n;
        }
        c->iov[c->niov].iov_base = c->out.mem;
        c->iov[c->niov++].iov_len = c->out.mem_len;
        c->out_left += (int64_t)c->out.mem_len;
    }
    if (!body)
        c->out.more = NULL;
    if (body && c->out.chunked && c->out.more != NULL) {
        /* the first chunk ends; write_more() sends the others */
        static char crlf[] = "\r\n";
        if (c->out.mem_len > 0) {
            c->iov[c->niov].iov_base = crlf;
            c->iov[c->niov++].iov_len = 2;
            c->out_left += 2;
        }
    } else if (body && c->out.chunked) {
        static char end_chunk[] = "\r\n0\r\n\r\n";
        int skip = c->out.mem_len > 0 ? 0 : 2;
        c->iov[c->niov].iov_base = end_chunk + skip;
        c->iov[c->niov++].iov_len = sizeof(end_chunk) - 1 - (size_t)skip;
        c->out_left += (int64_t)(sizeof(end_chunk) - 1 - (size_t)skip);
    }
    c->file_done = !(body && c->out.file_fd >= 0 && c->out.file_len > 0);
    if (!body && c->out.file_fd >= 0)
        c->out.file_len = 0;
    c->state = CS_WRITE;
}

/* Write the iovecs; 1 done, 0 would block, -1 error. */
static int write_iov(http_conn *c)
{
    int first = 0;
    while (first < c->niov) {
        if (c->iov[first].iov_len == 0) {
            first++;
            continue;
        }
        struct msghdr mh;
        memset(&mh, 0, sizeof(mh));
        mh.msg_iov = c->iov + first;
        mh.msg_iovlen = (size_t)(c->niov - first);
        int flags = MSG_NOSIGNAL | (c->file_done ? 0 : MSG_MORE);
        ssize_t n = sendmsg(c->fd, &mh, flags);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        size_t left = (size_t)n;
        while (left > 0 && first < c->niov) {
            size_t take =
                left < c->iov[first].iov_len ? left : c->iov[first].iov_len;
            c->iov[first].iov_base = (char *)c->iov[first].iov_base + take;
            c->iov[first].iov_len -= take;
            left -= take;
            if (c->iov[first].iov_len == 0)
                first++;
        }
    }
    c->niov = 0;
    return 1;
}

static int use_sendfile(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    return d == NULL || d->enable_sendfile != 0; /* UNSET means On here */
}

/* Send the file range; 1 done, 0 would block, -1 error. */
static int write_file(http_conn *c)
{
    http_output *o = &c->out;
    int sf = use_sendfile(request_final(c->r));
    char buf[16384];
    while (o->file_len > 0) {
        ssize_t n;
        if (sf) {
            off_t off = (off_t)o->file_off;
            size_t want =
                o->file_len > (1 << 30) ? (1 << 30) : (size_t)o->file_len;
            n = sendfile(c->fd, o->file_fd, &off, want);
        } else {
            size_t want = o->file_len > (int64_t)sizeof(buf)
                              ? sizeof(buf)
                              : (size_t)o->file_len;
            ssize_t got = pread(o->file_fd, buf, want, (off_t)o->file_off);
            if (got <= 0)
                return -1;
            n = send(c->fd, buf, (size_t)got, MSG_NOSIGNAL);
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        if (n == 0)
            return -1; /* file shrank under us */
        o->file_off += n;
        o->file_len -= n;
        request_final(c->r)->bytes_sent += n;
    }
    return 1;
}

/* The rest of a body an output filter produces as it goes, a chunk at a
 * time; 1 done, 0 would block, -1 error. */
static int write_more(http_conn *c)
{
    static char crlf[] = "\r\n", last_chunk[] = "0\r\n\r\n";
    http_output *o = &c->out;
    for (;;) {
        if (c->niov > 0) {
            int rc = write_iov(c);
            if (rc != 1)
                return rc;
        }
        if (o->more == NULL)
            return 1;
        const char *p;
        ssize_t n = o->more(o->more_ctx, &p);
        if (n < 0)
            return -1;
        if (n == 0) {
            o->more = NULL;
            if (o->chunked) {
                c->iov[0].iov_base = last_chunk;
                c->iov[0].iov_len = sizeof(last_chunk) - 1;
                c->niov = 1;
            }
            continue;
        }
        request_final(c->r)->bytes_sent += n;
        c->niov = 0;
        if (o->chunked) {
            int h = snprintf(c->chunk_hdr, sizeof(c->chunk_hdr), "%zx\r\n",
                             (size_t)n);
            c->iov[c->niov].iov_base = c->chunk_hdr;
            c->iov[c->niov++].iov_len = (size_t)h;
        }
        c->iov[c->niov].iov_base = (void *)(uintptr_t)p;
        c->iov[c->niov++].iov_len = (size_t)n;
        if (o->chunked) {
            c->iov[c->niov].iov_base = crlf;
            c->iov[c->niov++].iov_len = 2;
        }
    }
}

/* Whether a token is in a comma-separated header value. */
static int list_has(const char *list, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = list; p != NULL && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *e = end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - p) == n && strncasecmp(p, tok, n) == 0)
            return 1;
        p = end;
    }
    return 0;
}

/* The client said it closes after this request (Connection: close), its
 * whole request was read and nothing more is buffered: the connection can
 * be closed at once, without a lingering close, as no unread data can make
 * the close reset it (nginx decides the same way).  Otherwise the client
 * may still be sending and we linger as Apache does. */
static int client_sends_no_more(http_conn *c, request *r)
{
    if (c->in_start != c->in_len || c->state != CS_WRITE)
        return 0;
    if (r->chunked ? c->chunk.state != CHUNK_DONE : r->remaining != 0)
        return 0;
    return list_has(req_table_get(&r->headers_in, "Connection"), "close");
}

static void finish_request(http_conn *c, int aborted)
{
    request *r = c->r, *fr = request_final(r);
    if (aborted)
        c->info.aborted = 1;
    /* a 417 is answered as the head is read, and like every request
     * that fails there, Apache then closes, yet its answer says nothing
     * of it (no Connection: close) */
    int keep = !aborted && fr->keepalive && r->keepalive && !c->shutdown &&
               !c->eof && c->head_status != 417;
    /* Apache logs a request when its output is written.  With a
     * pipelined request already read it does not flush: an answer
     * without a file body stays buffered, and so its log line, until
     * an answer with file data, the end of the pipeline or the close */
    c->info.hold_log =
        keep && c->in_start < c->in_len &&
        !(c->out.is_file && fr->bytes_sent > 0 && !fr->header_only);
    int64_t sent = (int64_t)c->head_len +
                   (fr->header_only || fr->no_body ? 0 : fr->bytes_sent);
    c->bytes_out += (uint64_t)sent;
    sb_request_end(r, sent, c->nrequests + 1, c->bytes_out); /* 'L' */
    request_log(r);
    c->info.hold_log = 0;
    c->nrequests++;
    c->info.keepalives++;
    int client_done = !keep && client_sends_no_more(c, r);
    c->r = NULL;
    arena_reset(c->req_arena);
    memset(&c->out, 0, sizeof(c->out));
    c->out.file_fd = -1;
    if (keep) {
        scan_reset(c);
        c->state = CS_READ_HEAD;
        c->idle = 1;
        c->skip_read = c->in_len == c->in_start;
        return;
    }
    /* closing, lingering or not: 'C' as Apache's lingering close */
    sb_set_state(SB_CLOSING);
    if (aborted || client_done) {
        c->state = CS_DONE;
        return;
    }
    shutdown(c->fd, SHUT_WR);
    c->linger_ms_left = LINGER_MS;
    c->state = CS_LINGER;
}

static int step_write(http_conn *c)
{
    int rc = 1;
    if (c->niov > 0)
        rc = write_iov(c);
    if (rc == 1 && !c->file_done) {
        rc = write_file(c);
        if (rc == 1)
            c->file_done = 1;
    }
    if (rc == 1 && c->out.more != NULL)
        rc = write_more(c);
    if (rc == 0)
        return HTTP_WAIT_WRITE;
    finish_request(c, rc < 0);
    return STEP_CONTINUE;
}

static int step_linger(http_conn *c)
{
    char buf[4096];
    size_t total = 0;
    for (;;) {
        ssize_t n = read(c->fd, buf, sizeof(buf));
        if (n > 0) {
            total += (size_t)n;
            if (total > LINGER_MAX_BYTES)
                break;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return HTTP_WAIT_LINGER;
        break;
    }
    c->state = CS_DONE;
    return STEP_CONTINUE;
}

/* The scoreboard state of the worker running c (mod_status). */
static const unsigned char state_of_wait[] = {
    [HTTP_WAIT_READ] = SB_BUSY_READ,
    [HTTP_WAIT_KEEPALIVE] = SB_BUSY_KEEPALIVE,
    [HTTP_WAIT_WRITE] = SB_BUSY_WRITE,
    [HTTP_WAIT_LINGER] = SB_CLOSING,
};

enum http_wait http_conn_run(http_conn *c)
{
    if (c->state != CS_DONE)
        sb_set_state(c->state == CS_READ_HEAD ? SB_BUSY_READ
                     : c->state == CS_LINGER  ? SB_CLOSING
                                              : SB_BUSY_WRITE);
    for (;;) {
        int w;
        switch (c->state) {
        case CS_READ_HEAD:
            w = step_read_head(c);
            break;
        case CS_READ_BODY:
            w = step_read_body(c);
            break;
        case CS_WRITE:
            w = step_write(c);
            break;
        case CS_LINGER:
            w = step_linger(c);
            break;
        default:
            return HTTP_DONE;
        }
        if (w != STEP_CONTINUE) {
            if (w < HTTP_DONE)
                sb_set_state(state_of_wait[w]);
            return (enum http_wait)w;
        }
    }
}

/* Timeout for one wait, or less when RequestReadTimeout's clock for the
 * head or body runs out first. */
static int with_rt(const http_conn *c, int ms)
{
    int64_t left = rt_left_ms(c);
    return left >= 0 && left < ms ? (int)left : ms;
}

int http_conn_wait_ms(const http_conn *c)
{
    const server_conf *s = c->base;
    switch (c->state) {
    case CS_READ_HEAD:
        if (c->idle && c->nrequests > 0 && c->rt_stage != RT_HEADER)
            return conf_or(s->keepalive_timeout_ms, 5000);
        return with_rt(c, conf_or(s->timeout_ms, 60000));
    case CS_LINGER:
        return c->linger_ms_left > 0 ? c->linger_ms_left : LINGER_MS;
    case CS_READ_BODY:
        if (c->r != NULL && c->r->server != NULL)
            s = c->r->server;
        return with_rt(c, conf_or(s->timeout_ms, 60000));
    default: /* the response: the selected vhost's Timeout */
        if (c->r != NULL && c->r->server != NULL)
            s = c->r->server;
        return conf_or(s->timeout_ms, 60000);
    }
}

/* As apache2: a partial request line is dropped silently, a partial head
 * (request line complete) or body is answered 408, then closed. */
enum http_wait http_conn_timeout(http_conn *c)
{
    int reading = (c->state == CS_READ_HEAD && c->rt_stage == RT_HEADER) ||
                  (c->state == CS_READ_BODY && c->rt_stage == RT_BODY);
    if (reading && rt_left_ms(c) == 0)
        log_cerror(&c->info, c->base, APLOG_INFO, "reqtimeout", 0,
                   "AH01382: Request %s read timeout",
                   c->state == CS_READ_BODY ? "body" : "header");
    if (c->state == CS_READ_HEAD && c->scan.state == SCAN_HEADERS) {
        start_request(c, 408);
        return http_conn_run(c);
    }
    if (c->state == CS_READ_BODY && c->r != NULL) {
        request *fr = request_final(c->r);
        c->r->keepalive = fr->keepalive = 0;
        body_error_response(c, fr, 408); /* its ErrorDocument too */
        prepare_write(c);
        return http_conn_run(c);
    }
    c->state = CS_DONE;
    return HTTP_DONE;
}

void http_conn_serve(http_conn *c)
{
    enum http_wait w = http_conn_run(c);
    while (w != HTTP_DONE) {
        struct pollfd pfd = {.fd = c->fd,
                             .events = w == HTTP_WAIT_WRITE ? POLLOUT : POLLIN};
        int total = http_conn_wait_ms(c), waited = 0, n = 0;
        while (waited < total) {
            if (serve_stop_flag && *serve_stop_flag && w == HTTP_WAIT_KEEPALIVE)
                c->shutdown = 1;
            if (c->shutdown && w == HTTP_WAIT_KEEPALIVE)
                break;
            int slice = total - waited > 1000 ? 1000 : total - waited;
            n = poll(&pfd, 1, slice);
            if (n != 0)
                break;
            waited += slice;
        }
        if (c->shutdown && w == HTTP_WAIT_KEEPALIVE) {
            break;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            w = http_conn_timeout(c);
        else
            w = http_conn_run(c);
    }
    http_conn_destroy(c);
}

void http_engine_child_init(resolved_config *rc)
{
    /* load the TypesConfig map before serving, not on the first request */
    if (rc != NULL)
        (void)mime_types_lookup(rc, "html");
    (void)http_date_now();
}
