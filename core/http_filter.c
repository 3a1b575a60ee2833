/* http_filter.c -- output filters over the body a handler left.
 *
 * Apache passes a response body through a chain of filters as the
 * handler writes it.  Here the handler leaves its whole body in the
 * connection's output (bytes in memory and/or a file range, which goes
 * out with sendfile), so a filter runs once, after the handler and before
 * the head is built: it reads the body, may replace it and changes the
 * response headers as Apache's would (DEFLATE: Content-Encoding, Vary,
 * ETag, no Content-Length).  What Apache's filters decide from the way
 * the body reached them (in one piece with its end, or passed on early)
 * the body functions tell (request_body_whole), and a filter says how its
 * output would have gone on (request_body_replace's streamed).
 *
 * The common case costs one test: the engine calls http_filters_run()
 * only when the configuration names an output filter somewhere
 * (rc->output_filters, which an access file naming one sets as it is
 * read). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http_internal.h"
#include "log.h"

struct req_filter {
    const output_filter *filter; /* a named one, or NULL: */
    void (*run)(request *r, void *ctx);
    void *ctx;
    int type; /* OUTPUT_FILTER_* */
    struct req_filter *next;
};

/* After the last one of its type or a lower one. */
static void insert(request *r, struct req_filter *rf)
{
    struct req_filter **at = &r->output_filters;
    while (*at && (*at)->type <= rf->type)
        at = &(*at)->next;
    rf->next = *at;
    *at = rf;
}

static const output_filter *find_filter(const char *name, size_t n)
{
    for (int i = 0; conf_builtin_modules[i]; i++)
        for (const output_filter *f = conf_builtin_modules[i]->output_filters;
             f && f->name; f++)
            if (strlen(f->name) == n && strncasecmp(f->name, name, n) == 0)
                return f;
    return NULL;
}

static void add_filter(request *r, const char *name, size_t n)
{
    if (n == 0)
        return;
    const output_filter *f = find_filter(name, n);
    if (f == NULL) {
        log_rerror(r, APLOG_ERR, "core", 0,
                   "AH00082: an unknown filter was not added: %.*s", (int)n,
                   name);
        return;
    }
    for (const struct req_filter *rf = r->output_filters; rf; rf = rf->next)
        if (rf->filter == f)
            return;
    struct req_filter *rf = arena_calloc(r->arena, sizeof(*rf));
    rf->filter = f;
    rf->type = f->type ? f->type : OUTPUT_FILTER_CONTENT_SET;
    insert(r, rf);
}

void request_add_output_filter_fn(request *r, int type,
                                  void (*run)(request *r, void *ctx), void *ctx)
{
    struct req_filter *rf = arena_calloc(r->arena, sizeof(*rf));
    rf->run = run;
    rf->ctx = ctx;
    rf->type = type;
    insert(r, rf);
}

void request_add_output_filter(request *r, const char *name)
{
    add_filter(r, name, strlen(name));
}

void request_add_output_filters(request *r, const char *list)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        add_filter(r, p, n);
        p += n;
        if (*p == ';')
            p++;
    }
}

/* ---- the body as the filters see it ------------------------------------- */

int64_t request_body_length(request *r)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return 0;
    return (int64_t)c->out.mem_len +
           (c->out.file_fd >= 0 ? c->out.file_len : 0);
}

int request_body_whole(request *r)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return 1;
    const http_output *o = &c->out;
    if (o->is_file || o->whole)
        return 1;
    return !o->streamed && o->file_fd < 0 && o->mem_len <= HTTP_BODY_BUFFER;
}

int request_body_read(request *r, int (*fn)(void *ctx, const char *p, size_t n),
                      void *ctx)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return 0;
    const http_output *o = &c->out;
    int rc = 0;
    if (o->mem_len > 0 && (rc = fn(ctx, o->mem, o->mem_len)) != 0)
        return rc;
    if (o->file_fd < 0)
        return 0;
    char buf[65536];
    for (int64_t off = 0; off < o->file_len;) {
        size_t want = o->file_len - off > (int64_t)sizeof(buf)
                          ? sizeof(buf)
                          : (size_t)(o->file_len - off);
        ssize_t n = pread(o->file_fd, buf, want, (off_t)(o->file_off + off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1; /* the file shrank or failed under us */
        if ((rc = fn(ctx, buf, (size_t)n)) != 0)
            return rc;
        off += n;
    }
    return 0;
}

void request_body_replace(request *r, char *mem, size_t len, int streamed)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return;
    http_output *o = &c->out;
    o->mem = mem;
    o->mem_len = o->mem_cap = len;
    o->file_fd = -1; /* still owned by the handler's cleanup */
    o->file_off = o->file_len = 0;
    o->is_file = 0;
    o->streamed = streamed;
    o->whole = !streamed;
    o->more = NULL; /* an earlier filter's, read by this one */
    /* what Apache's content-length filter counts (%B) */
    r->bytes_sent = (int64_t)len;
}

void request_body_source(request *r, request_body_src *src)
{
    http_conn *c = r->engine;
    memset(src, 0, sizeof(*src));
    src->fd = -1;
    if (c == NULL)
        return;
    src->mem = c->out.mem;
    src->mem_len = c->out.mem_len;
    if (c->out.file_fd >= 0) {
        src->fd = c->out.file_fd;
        src->off = c->out.file_off;
        src->len = c->out.file_len;
    }
    src->more = c->out.more;
    src->more_ctx = c->out.more_ctx;
}

ssize_t request_body_src_read(request_body_src *src, char *buf, size_t n)
{
    if (src->mem_len > 0) {
        size_t take = src->mem_len < n ? src->mem_len : n;
        memcpy(buf, src->mem, take);
        src->mem += take;
        src->mem_len -= take;
        return (ssize_t)take;
    }
    if ((src->fd < 0 || src->len <= 0) && src->more != NULL) {
        const char *p;
        ssize_t got = src->more(src->more_ctx, &p);
        if (got <= 0) {
            src->more = NULL;
            return got;
        }
        src->mem = p;
        src->mem_len = (size_t)got;
        return request_body_src_read(src, buf, n);
    }
    if (src->fd < 0 || src->len <= 0)
        return 0;
    size_t want = src->len > (int64_t)n ? n : (size_t)src->len;
    ssize_t got;
    do
        got = pread(src->fd, buf, want, (off_t)src->off);
    while (got < 0 && errno == EINTR);
    if (got <= 0)
        return -1; /* the file shrank or failed under us */
    src->off += got;
    src->len -= got;
    return got;
}

void request_body_stream(request *r, char *first, size_t len,
                         ssize_t (*more)(void *ctx, const char **p), void *ctx)
{
    http_conn *c = r->engine;
    request_body_replace(r, first, len, 1);
    if (c == NULL)
        return;
    c->out.more = more;
    c->out.more_ctx = ctx;
}

/* ---- running them ------------------------------------------------------- */

/* A 416 found once the body was filtered goes to its ErrorDocument, as
 * Apache's error bucket does; the page passes its own filters. */
static void filtered_range_error(http_conn *c, request *r)
{
    request_send_error(r, 416);
    request *n = request_final(r);
    if (n != r)
        http_filters_run(c, n);
}

void http_filters_run(http_conn *c, request *r)
{
    /* error pages, TRACE and HTTP/0.9 answers pass no filter of the
     * request's (Apache's error response goes out past them) */
    if (r->error_response || r->unfiltered || r->assbackwards ||
        r->is_subrequest)
        return;
    core_dir_conf *d = request_core_dir(r);
    if (d != NULL && d->output_filter != NULL)
        request_add_output_filters(r, d->output_filter);
    for (int i = 0; conf_builtin_modules[i]; i++)
        if (conf_builtin_modules[i]->insert_filter)
            conf_builtin_modules[i]->insert_filter(r);
    if (r->output_filters == NULL)
        return;
    const char *mem = c->out.mem;
    size_t len = c->out.mem_len;
    int has_range = req_table_get(&r->headers_in, "Range") != NULL;
    for (const struct req_filter *f = r->output_filters; f; f = f->next) {
        if (f->filter != NULL)
            f->filter->run(r);
        else
            f->run(r, f->ctx);
        if (r->error_in_progress) { /* it answered with an error */
            request *n = request_final(r);
            if (n != r)
                http_filters_run(c, n); /* a local ErrorDocument's */
            return;
        }
    }
    /* Apache's byterange filter sees the filtered body: a Range past
     * its end is a 416 (the handler checked it against the file, unless
     * a filter had put the Range aside then: mod_filter) */
    int range_back =
        !has_range && req_table_get(&r->headers_in, "Range") != NULL;
    if ((c->out.mem != mem || c->out.mem_len != len || range_back) &&
        r->status == 200 && http_range_check(r) == 416)
        filtered_range_error(c, r);
}
