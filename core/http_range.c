/* http_range.c -- Apache's byterange filter, for any 200 body.
 *
 * Apache cuts a response to the Range asked for in an output filter,
 * after the handler and after mod_headers' filter, and only when the whole
 * body reached it in one brigade with its end: a file always does; a body
 * a module generates (a listing) does while it stays within the 8000-byte
 * buffer of ap_rputs() and no sub-request's output was passed through
 * first.  The same body then also gets a Content-Length; a longer one goes
 * out chunked (or close-delimited).
 *
 * Two steps here, because our error path runs before the head:
 *   http_range_check()  a handler that made a 200 body asks whether every
 *                       range lies past its end: 416 (ErrorDocument
 *                       applies as for any error);
 *   http_range_apply()  just before the head, after the modules' output
 *                       headers: 206 with Content-Range, or
 *                       multipart/byteranges whose parts carry the type as
 *                       mod_headers left it.
 *
 * Parsing follows ap_set_byterange(): a bad spec anywhere ignores the
 * header; each range merges into the one before it when they overlap or
 * touch (counting overlaps, and reversals when it starts earlier); "0-"
 * anywhere replaces the ranges not yet merged by the whole body; ranges
 * that sum to more than the body are ignored; MaxRanges, MaxRangeOverlaps
 * and MaxRangeReversals exceeded give the whole body (200). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"

#define DEFAULT_MAX_RANGES 200
#define DEFAULT_MAX_OVERLAPS 20
#define DEFAULT_MAX_REVERSALS 20

struct range {
    int64_t start, end; /* inclusive */
};

struct range_set {
    struct range *v;
    int n; /* merged ranges; 0 ignore the header; -1 unsatisfiable */
    int overlaps, reversals;
};

/* ap_parse_strict_length(): digits only, no overflow. */
static int strict_length(const char *s, int64_t *out)
{
    if (*s < '0' || *s > '9')
        return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        if (v > (INT64_MAX - (*s - '0')) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 1;
}

/* One "a-b", "a-" or "-n" spec; 0 when invalid (the header is ignored). */
static int parse_spec(char *tok, int64_t clength, int64_t *start, int64_t *end,
                      int *open)
{
    char *dash = strchr(tok, '-');
    int64_t num;
    *open = 0;
    if (dash == NULL)
        return 0;
    if (dash == tok) {
        if (!strict_length(dash + 1, &num) || num < 1)
            return 0;
        *start = clength - num;
        *end = clength - 1;
        return 1;
    }
    *dash = '\0';
    if (!strict_length(tok, &num))
        return 0;
    *start = num;
    if (dash[1] == '\0') {
        *end = clength - 1;
        *open = 1;
        return 1;
    }
    if (!strict_length(dash + 1, &num) || *start > num)
        return 0;
    *end = num;
    return 1;
}

static void parse_ranges(request *r, const char *spec, int64_t clength,
                         struct range_set *rs)
{
    size_t max = 1;
    for (const char *p = spec; *p; p++)
        max += *p == ',';
    rs->v = arena_alloc(r->arena, max * sizeof(*rs->v));
    rs->n = rs->overlaps = rs->reversals = 0;
    int64_t ostart = 0, oend = 0, sum = 0;
    int in_merge = 0, unsatisfiable = 0, n = 0;
    char *copy = arena_strdup(r->arena, spec), *p = copy;
    while (*p) {
        /* ap_getword(): up to a comma, then past every comma */
        char *tok = p;
        while (*p && *p != ',')
            p++;
        if (*p) {
            *p++ = '\0';
            while (*p == ',')
                p++;
        }
        if (*tok == '\0')
            break;
        int64_t start, end;
        int open;
        if (!parse_spec(tok, clength, &start, &end, &open))
            return;
        if (open && start == 0) {
            /* "0-": the whole body, the ranges not yet merged dropped */
            n = 0;
            sum = 0;
            in_merge = 1;
            ostart = 0;
            oend = end;
            break;
        }
        if (start < 0)
            start = 0;
        if (start >= clength) {
            unsatisfiable = 1;
            continue;
        }
        if (end >= clength)
            end = clength - 1;
        if (!in_merge) {
            ostart = start;
            oend = end;
            in_merge = 1;
            continue;
        }
        in_merge = start >= ostart && end <= oend;
        if (start < ostart && end >= ostart - 1) {
            ostart = start;
            rs->reversals++;
            in_merge = 1;
        }
        if (end >= oend && start <= oend + 1) {
            oend = end;
            in_merge = 1;
        }
        if (in_merge) {
            rs->overlaps++;
            continue;
        }
        rs->v[n].start = ostart;
        rs->v[n++].end = oend;
        sum += oend - ostart + 1;
        in_merge = 1;
        ostart = start;
        oend = end;
    }
    if (in_merge) {
        rs->v[n].start = ostart;
        rs->v[n++].end = oend;
        sum += oend - ostart + 1;
    } else if (n == 0 && unsatisfiable) {
        rs->n = -1;
        return;
    }
    if (sum > clength)
        return;
    rs->n = n;
}

/* ap_condition_if_range(): a strong ETag equal to ours, or exactly the
 * file's modification time (whatever Header did to Last-Modified). */
static int if_range_allows(request *r)
{
    const char *v = req_table_get(&r->headers_in, "If-Range");
    if (v == NULL)
        return 1;
    if (v[0] == '"' || strncmp(v, "W/", 2) == 0) {
        const char *etag = req_table_get(&r->headers_out, "ETag");
        return etag && strncmp(v, "W/", 2) != 0 &&
               strncmp(etag, "W/", 2) != 0 && strcmp(v, etag) == 0;
    }
    http_conn *c = r->engine;
    if (c != NULL && c->out.is_file && r->finfo_valid) {
        time_t mt = r->finfo.st_mtime,
               now = (time_t)(r->request_time_us / 1000000);
        time_t t = http_parse_date(v);
        return t != (time_t)-1 && t == (mt > now ? now : mt);
    }
    const char *lm = req_table_get(&r->headers_out, "Last-Modified");
    return lm && strcmp(v, lm) == 0;
}

/* The spec after "bytes=" when Apache's filter would look at it. */
static const char *range_spec(request *r)
{
    if (r->status != 200 || r->assbackwards || r->error_response ||
        r->unfiltered)
        return NULL;
    /* an ErrorDocument (a 200 while its handler runs) is not cut */
    if (r->prev != NULL &&
        req_table_get(&r->subprocess_env, "REDIRECT_STATUS") != NULL)
        return NULL;
    const char *h = req_table_get(&r->headers_in, "Range");
    if (h == NULL || strncasecmp(h, "bytes=", 6) != 0)
        return NULL;
    if (req_table_get(&r->headers_out, "Content-Range") != NULL)
        return NULL;
    const char *ct = req_table_get(&r->headers_out, "Content-Type");
    if (ct && (strncasecmp(ct, "multipart/byteranges", 20) == 0 ||
               strncasecmp(ct, "multipart/x-byteranges", 22) == 0))
        return NULL;
    if (!if_range_allows(r))
        return NULL;
    return h + 6;
}

int http_body_streamed(const http_conn *c, const request *r)
{
    const http_output *o = &c->out;
    if (o->is_file || o->whole)
        return 0;
    return o->streamed || o->file_fd >= 0 ||
           (!r->header_only && o->mem_len > HTTP_BODY_BUFFER);
}

/* The body's length when it can be cut, else -1. */
static int64_t body_length(const http_conn *c, const request *r)
{
    const http_output *o = &c->out;
    if (o->is_file || o->whole)
        return o->file_fd >= 0 ? o->file_len : (int64_t)o->mem_len;
    if (r->header_only || http_body_streamed(c, r))
        return -1;
    return (int64_t)o->mem_len;
}

static int limit(int v, int def)
{
    if (v >= 0 || v == RANGES_UNLIMITED)
        return v;
    return def;
}

int http_range_check(request *r)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return OK;
    const char *spec = range_spec(r);
    int64_t len = body_length(c, r);
    if (spec == NULL || len <= 0)
        return OK;
    struct range_set rs;
    parse_ranges(r, spec, len, &rs);
    if (rs.n < 0) {
        r->range_not_satisfiable = 1;
        return 416;
    }
    return OK;
}

static const char *boundary(void)
{
    static __thread char b[17];
    if (b[0] == '\0') {
        unsigned long long x = ((unsigned long long)getpid() << 32) ^
                               (unsigned long long)time(NULL) ^
                               (unsigned long long)(uintptr_t)b;
        snprintf(b, sizeof(b), "%016llx", x * 0x9E3779B97F4A7C15ull);
    }
    return b;
}

/* Copy body bytes [start, start+len) to dst; -1 on a short read. */
static int copy_body(const http_output *o, char *dst, int64_t start,
                     int64_t len)
{
    if (o->file_fd < 0) {
        memcpy(dst, o->mem + start, (size_t)len);
        return 0;
    }
    return pread(o->file_fd, dst, (size_t)len, (off_t)(o->file_off + start)) ==
                   len
               ? 0
               : -1;
}

static void set_length(request *r, int64_t len)
{
    /* the handler's Content-Length keeps its place (apr_table_setn) */
    if (req_table_get(&r->headers_out, "Content-Length") != NULL)
        request_set_header(r, "Content-Length",
                           arena_printf(r->arena, "%lld", (long long)len));
}

/* Replace the body by the bytes in mem (the multipart answer). */
static void set_mem_body(http_conn *c, request *r, char *mem, size_t len)
{
    http_output *o = &c->out;
    r->bytes_sent += (int64_t)len - (int64_t)o->mem_len;
    o->mem = mem;
    o->mem_len = o->mem_cap = len;
    o->file_fd = -1;
    o->file_off = o->file_len = 0;
}

static void apply_single(http_conn *c, request *r, const struct range *rg,
                         int64_t clength)
{
    http_output *o = &c->out;
    int64_t len = rg->end - rg->start + 1;
    r->status = 206;
    request_set_header(r, "Content-Range",
                       arena_printf(r->arena, "bytes %lld-%lld/%lld",
                                    (long long)rg->start, (long long)rg->end,
                                    (long long)clength));
    set_length(r, len);
    if (o->file_fd >= 0) {
        o->file_off += rg->start;
        o->file_len = len;
        return;
    }
    r->bytes_sent += len - (int64_t)o->mem_len;
    o->mem += rg->start;
    o->mem_len = (size_t)len;
    o->mem_cap = 0; /* a later write copies first */
}

static void apply_multi(http_conn *c, request *r, const struct range_set *rs,
                        int64_t clength)
{
    const char *b = boundary();
    const char *ct = http_content_type(r);
    const char *head = arena_strcat(
        r->arena, "\r\n--", b, "\r\n", ct ? "Content-type: " : "", ct ? ct : "",
        ct ? "\r\n" : "", "Content-range: bytes ", (char *)NULL);
    const char *tail =
        arena_strcat(r->arena, "\r\n--", b, "--\r\n", (char *)NULL);
    char **labels = arena_alloc(r->arena, (size_t)rs->n * sizeof(*labels));
    size_t total = strlen(tail);
    for (int i = 0; i < rs->n; i++) {
        labels[i] = arena_printf(r->arena, "%s%lld-%lld/%lld\r\n\r\n", head,
                                 (long long)rs->v[i].start,
                                 (long long)rs->v[i].end, (long long)clength);
        total +=
            strlen(labels[i]) + (size_t)(rs->v[i].end - rs->v[i].start + 1);
    }
    if (total > (64u << 20))
        return; /* too big to assemble: the whole body */
    char *mem = r->header_only ? NULL : arena_alloc(r->arena, total);
    if (mem != NULL) {
        char *p = mem;
        for (int i = 0; i < rs->n; i++) {
            size_t hl = strlen(labels[i]);
            int64_t dl = rs->v[i].end - rs->v[i].start + 1;
            memcpy(p, labels[i], hl);
            if (copy_body(&c->out, p + hl, rs->v[i].start, dl) != 0)
                return; /* the file shrank: send what we have */
            p += hl + dl;
        }
        memcpy(p, tail, strlen(tail));
        set_mem_body(c, r, mem, total);
    }
    r->status = 206;
    r->content_type = arena_strcat(
        r->arena, "multipart/byteranges; boundary=", b, (char *)NULL);
    if (rs->n > 32) {
        /* Apache passes every 32 parts on as it goes: no Content-Length */
        req_table_unset(&r->headers_out, "Content-Length");
        c->out.no_length = 1;
    } else if (r->header_only ||
               req_table_get(&r->headers_out, "Content-Length") != NULL) {
        request_set_header(r, "Content-Length",
                           arena_printf(r->arena, "%zu", total));
    }
}

void http_range_apply(http_conn *c, request *r)
{
    const char *spec = range_spec(r);
    int64_t clength = body_length(c, r);
    if (spec == NULL || clength <= 0)
        return;
    struct range_set rs;
    parse_ranges(r, spec, clength, &rs);
    core_dir_conf *d = request_core_dir(r);
    int max_ranges = limit(d ? d->max_ranges : UNSET, DEFAULT_MAX_RANGES);
    int max_overlaps = limit(d ? d->max_overlaps : UNSET, DEFAULT_MAX_OVERLAPS);
    int max_reversals =
        limit(d ? d->max_reversals : UNSET, DEFAULT_MAX_REVERSALS);
    if (rs.n <= 0 || (max_ranges >= 0 && rs.n > max_ranges) ||
        (max_overlaps >= 0 && rs.overlaps > max_overlaps) ||
        (max_reversals >= 0 && rs.reversals > max_reversals))
        return;
    if (rs.n == 1)
        apply_single(c, r, &rs.v[0], clength);
    else
        apply_multi(c, r, &rs, clength);
    /* mod_dir's fast redirect makes the index request the original one:
     * %s and %<s log the 206 too */
    for (request *q = r; q->prev != NULL && q->fast_redirect; q = q->prev)
        q->prev->status = r->status;
}
