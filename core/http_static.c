/* http_static.c -- the core's default handler, as Apache's: GET, HEAD and
 * POST serve the file (POST bodies are discarded), OPTIONS answers with
 * Allow, TRACE echoes the request head (TraceEnable), an unknown method is
 * 501 and any other known method 405.  Last-Modified, ETag (FileETag) and
 * the conditional headers follow Apache's ap_meets_conditions(); Range
 * (single, multipart/byteranges, suffix and open forms, If-Range) follows
 * Apache's byterange filter. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "file_cache.h"
#include "http_internal.h"

const char *http_allow_methods(request *r)
{
    int trace = r->rc == NULL || r->rc->trace_enable != 0;
    /* the order is the one apache2 prints */
    return trace ? "POST,OPTIONS,HEAD,GET,TRACE" : "POST,OPTIONS,HEAD,GET";
}

struct kept_file {
    void *handle;
    int fd;
};

static void release_file(void *p)
{
    struct kept_file *k = p;
    file_cache_release(k->handle, k->fd);
}

static int64_t mtime_us(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000 + st->st_mtim.tv_nsec / 1000;
}

/* Apache's ap_make_etag(): "inode-size-mtime" in hex per FileETag, weak
 * when the file changed less than a second before the request. */
const char *http_make_etag(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    int bits = d ? d->etag_bits : ETAG_UNSET;
    if (bits == ETAG_UNSET || bits == UNSET)
        bits = ETAG_MTIME | ETAG_SIZE;
    if (bits & ETAG_NONE)
        return NULL;
    bits &= ETAG_ALL;
    if (bits == 0)
        return NULL;
    int64_t mt = mtime_us(&r->finfo);
    int weak = !(r->request_time_us - mt > 1000000);
    char buf[128], *p = buf;
    p += snprintf(p, 8, "%s\"", weak ? "W/" : "");
    if (bits & ETAG_INODE) {
        p += snprintf(p, 24, "%llx", (unsigned long long)r->finfo.st_ino);
        if (bits != ETAG_INODE)
            *p++ = '-';
    }
    if (bits & ETAG_SIZE) {
        p += snprintf(p, 24, "%llx", (unsigned long long)r->finfo.st_size);
        if (bits & ETAG_MTIME)
            *p++ = '-';
    }
    if (bits & ETAG_MTIME)
        p += snprintf(p, 24, "%llx", (unsigned long long)mt);
    *p++ = '"';
    *p = '\0';
    return arena_strdup(r->arena, buf);
}

/* ---- conditional requests (ap_meets_conditions) ----------------------- */

enum cond { COND_NONE, COND_NOMATCH, COND_WEAK, COND_STRONG };

/* Is etag in the comma-separated list?  strong: W/ tags never match. */
static int etag_in_list(const char *list, const char *etag, int strong)
{
    if (strong && strncmp(etag, "W/", 2) == 0)
        return 0;
    const char *e = strncmp(etag, "W/", 2) == 0 ? etag + 2 : etag;
    size_t el = strlen(e);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *t = p;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (t - s >= 2 && strncmp(s, "W/", 2) == 0) {
            if (strong)
                continue;
            s += 2;
        }
        if ((size_t)(t - s) == el && strncmp(s, e, el) == 0)
            return 1;
    }
    return 0;
}

static enum cond cond_etag(request *r, const char *hdr, int strong)
{
    const char *v = req_table_get(&r->headers_in, hdr);
    if (v == NULL)
        return COND_NONE;
    if (v[0] == '*' && v[1] == '\0')
        return COND_STRONG;
    const char *etag = req_table_get(&r->headers_out, "ETag");
    if (etag == NULL)
        return COND_NOMATCH;
    return etag_in_list(v, etag, strong) ? COND_STRONG : COND_NOMATCH;
}

static time_t last_modified(request *r)
{
    const char *lm = req_table_get(&r->headers_out, "Last-Modified");
    return lm ? http_parse_date(lm) : r->finfo.st_mtime;
}

static enum cond cond_modified_since(request *r)
{
    const char *v = req_table_get(&r->headers_in, "If-Modified-Since");
    if (v == NULL)
        return COND_NONE;
    time_t ims = http_parse_date(v);
    if (ims == (time_t)-1)
        return COND_NONE;
    time_t now = (time_t)(r->request_time_us / 1000000);
    return ims >= last_modified(r) && ims <= now ? COND_STRONG : COND_NOMATCH;
}

static enum cond cond_unmodified_since(request *r)
{
    const char *v = req_table_get(&r->headers_in, "If-Unmodified-Since");
    if (v == NULL)
        return COND_NONE;
    time_t ius = http_parse_date(v);
    if (ius == (time_t)-1)
        return COND_NONE;
    return last_modified(r) > ius ? COND_NOMATCH : COND_STRONG;
}

/* Serving an ErrorDocument: no conditionals, no ranges (Apache's
 * no_local_copy). */
static int is_error_document(request *r)
{
    return r->prev != NULL && req_table_get(&r->subprocess_env, "REDIRECT_STATUS") != NULL;
}

static int meets_conditions(request *r)
{
    int not_modified = -1;
    if (is_error_document(r))
        return OK;
    if (cond_etag(r, "If-Match", 1) == COND_NOMATCH)
        return 412;
    if (cond_unmodified_since(r) == COND_NOMATCH)
        return 412;
    enum cond c = cond_etag(r, "If-None-Match", 0);
    if (c == COND_NOMATCH)
        not_modified = 0;
    else if (c >= COND_WEAK) {
        if (r->method_number != M_GET)
            return 412;
        if (not_modified)
            not_modified = 1;
    }
    c = cond_modified_since(r);
    if (c == COND_NOMATCH)
        not_modified = 0;
    else if (c >= COND_WEAK && r->method_number == M_GET && not_modified)
        not_modified = 1;
    return not_modified == 1 ? 304 : OK;
}


/* ---- byte ranges (Apache's byterange filter) ----------------------------- */

#define MAX_RANGES 200

struct range {
    int64_t start, end; /* inclusive */
};

/* Parse "bytes=..." against size.  Returns the number of ranges (merged as
 * Apache merges an overlapping or adjacent range into the previous one),
 * 0 to ignore the header (serve 200), -1 when none is satisfiable (416). */
static int parse_ranges(const char *h, int64_t size, struct range *out)
{
    if (strncasecmp(h, "bytes=", 6) != 0)
        return 0;
    const char *p = h + 6;
    int n = 0, seen = 0;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0)
            break;
        char tok[64];
        if (len >= sizeof(tok))
            return 0;
        memcpy(tok, p, len);
        tok[len] = '\0';
        char *dash = strchr(tok, '-');
        if (dash == NULL)
            return 0;
        *dash = '\0';
        const char *a = tok, *b = dash + 1;
        int64_t start, end;
        if (*a == '\0') {
            int64_t suffix = http_parse_content_length(b);
            if (suffix <= 0)
                return 0;
            start = suffix >= size ? 0 : size - suffix;
            end = size - 1;
        } else {
            start = http_parse_content_length(a);
            end = *b ? http_parse_content_length(b) : INT64_MAX;
            if (start < 0 || end < 0 || end < start)
                return 0;
            if (end >= size)
                end = size - 1;
        }
        if (++seen > MAX_RANGES)
            return 0;
        if (start < size) {
            if (n > 0 && start <= out[n - 1].end + 1 && end >= out[n - 1].start - 1) {
                if (start < out[n - 1].start)
                    out[n - 1].start = start;
                if (end > out[n - 1].end)
                    out[n - 1].end = end;
            } else {
                out[n].start = start;
                out[n].end = end;
                n++;
            }
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (seen == 0)
        return 0;
    return n > 0 ? n : -1;
}

/* If-Range: a strong ETag equal to ours, or exactly our Last-Modified. */
static int if_range_allows(request *r)
{
    const char *v = req_table_get(&r->headers_in, "If-Range");
    if (v == NULL)
        return 1;
    if (v[0] == '"' || strncmp(v, "W/", 2) == 0) {
        const char *etag = req_table_get(&r->headers_out, "ETag");
        return etag && strncmp(v, "W/", 2) != 0 && strncmp(etag, "W/", 2) != 0 &&
               strcmp(v, etag) == 0;
    }
    const char *lm = req_table_get(&r->headers_out, "Last-Modified");
    return lm && strcmp(v, lm) == 0;
}

static const char *boundary(void)
{
    static __thread char b[17];
    if (b[0] == '\0') {
        unsigned long long x = ((unsigned long long)getpid() << 32) ^ (unsigned long long)time(NULL) ^
                               (unsigned long long)(uintptr_t)b;
        snprintf(b, sizeof(b), "%016llx", x * 0x9E3779B97F4A7C15ull);
    }
    return b;
}

static int send_multipart(request *r, int fd, const struct range *rg, int n)
{
    int64_t size = (int64_t)r->finfo.st_size;
    const char *b = boundary();
    const char *ct = http_content_type(r);
    char *body;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        char *o = pass ? body : NULL;
        size_t len = 0;
        for (int i = 0; i < n; i++) {
            char part[512];
            int hl = snprintf(part, sizeof(part), "\r\n--%s\r\n%s%s%sContent-range: bytes %lld-%lld/%lld\r\n\r\n",
                              b, ct ? "Content-type: " : "", ct ? ct : "", ct ? "\r\n" : "",
                              (long long)rg[i].start, (long long)rg[i].end, (long long)size);
            if (hl < 0 || hl >= (int)sizeof(part))
                return 500;
            int64_t dl = rg[i].end - rg[i].start + 1;
            if (o) {
                memcpy(o + len, part, (size_t)hl);
                if (pread(fd, o + len + hl, (size_t)dl, (off_t)rg[i].start) != dl)
                    return 500;
            }
            len += (size_t)hl + (size_t)dl;
        }
        char tail[64];
        int tl = snprintf(tail, sizeof(tail), "\r\n--%s--\r\n", b);
        if (o)
            memcpy(o + len, tail, (size_t)tl);
        len += (size_t)tl;
        total = len;
        if (!pass) {
            if (total > (64u << 20))
                return 0; /* too big to assemble: serve the whole file */
            body = r->header_only ? NULL : arena_alloc(r->arena, total);
            if (body == NULL)
                break;
        }
    }
    r->status = 206;
    request_set_header(r, "Content-Length", arena_printf(r->arena, "%zu", total));
    r->content_type = arena_strcat(r->arena, "multipart/byteranges; boundary=", b, (char *)NULL);
    if (!r->header_only)
        request_write(r, body, total);
    return 1;
}

/* 0: serve the whole file; 1: the partial response is set; else an
 * error status (416). */
static int serve_ranges(request *r, int fd)
{
    const char *h = req_table_get(&r->headers_in, "Range");
    if (h == NULL || r->status != 200 || is_error_document(r) || !if_range_allows(r) ||
        r->finfo.st_size == 0) /* Apache's byterange filter skips an empty body */
        return 0;
    struct range rg[MAX_RANGES];
    int64_t size = (int64_t)r->finfo.st_size;
    int n = parse_ranges(h, size, rg);
    if (n == 0)
        return 0;
    if (n < 0)
        return 416;
    if (n == 1) {
        r->status = 206;
        int64_t len = rg[0].end - rg[0].start + 1;
        request_set_header(r, "Content-Length", arena_printf(r->arena, "%lld", (long long)len));
        request_set_header(r, "Content-Range",
                           arena_printf(r->arena, "bytes %lld-%lld/%lld", (long long)rg[0].start,
                                        (long long)rg[0].end, (long long)size));
        request_send_file(r, fd, rg[0].start, len);
        return 1;
    }
    return send_multipart(r, fd, rg, n);
}

/* ---- methods ------------------------------------------------------------ */

static int send_trace(request *r)
{
    int trace = r->rc ? r->rc->trace_enable : 1;
    if (trace == 0) {
        /* refused before any handler declared its methods: empty Allow */
        req_table_set(r->arena, &r->notes, "allow-methods", "");
        return 405;
    }
    if (r->chunked || r->remaining > 0)
        return 413; /* TRACE with a body */
    /* the body is the request head as received (Apache's ap_send_http_trace) */
    request_puts(r, r->the_request);
    request_puts(r, "\r\n");
    for (int i = 0; i < r->headers_in.n; i++) {
        request_puts(r, r->headers_in.v[i].name);
        request_puts(r, ": ");
        request_puts(r, r->headers_in.v[i].value);
        request_puts(r, "\r\n");
    }
    request_puts(r, "\r\n");
    r->content_type = "message/http";
    r->unfiltered = 1;
    http_conn *c = r->engine;
    if (c != NULL)
        c->out.no_length = 1;
    return OK;
}

static int send_options(request *r)
{
    request_set_header(r, "Allow", http_allow_methods(r));
    request_set_header(r, "Content-Length", "0");
    return OK;
}

/* ContentDigest On: the whole file's MD5, as Apache's default handler
 * adds it (before the conditions: a 304 carries it too). */
static void set_content_md5(request *r, int fd)
{
    const core_dir_conf *d = request_core_dir(r);
    unsigned char md[16];
    if (d != NULL && d->content_md5 == 1 &&
        digest_md5_fd(fd, (int64_t)r->finfo.st_size, md) == 0)
        request_set_header(r, "Content-MD5", digest_base64_encode(r->arena, md, 16));
}

static int serve_file(request *r)
{
    if (!r->finfo_valid)
        return 404;
    if (S_ISDIR(r->finfo.st_mode))
        return 404;
    if (r->used_path_info != 1 && r->path_info && r->path_info[0])
        return 404;
    struct kept_file *k = arena_alloc(r->arena, sizeof(*k));
    const char *data;
    int fd = file_cache_open(r->filename, &r->finfo, &k->handle, &data);
    if (fd < 0)
        return errno == EACCES ? 403 : 404;
    k->fd = fd;
    arena_cleanup(r->arena, release_file, k);
    char date[32];
    time_t mt = r->finfo.st_mtime;
    time_t now = (time_t)(r->request_time_us / 1000000);
    http_format_date(date, mt > now ? now : mt);
    request_set_header(r, "Last-Modified", arena_strdup(r->arena, date));
    const char *etag = http_make_etag(r);
    if (etag != NULL)
        request_set_header(r, "ETag", etag);
    request_set_header(r, "Accept-Ranges", "bytes");
    set_content_md5(r, fd);
    int rc = meets_conditions(r);
    if (rc != OK) {
        /* as Apache's default handler: the status with the file's
         * headers and no body (not an error page); the length it set
         * survives on HEAD, a GET's empty body is counted */
        r->status = rc;
        request_set_header(r, "Content-Length",
                           r->header_only ? arena_printf(r->arena, "%lld",
                                                         (long long)r->finfo.st_size)
                                          : "0");
        return OK;
    }
    rc = serve_ranges(r, fd);
    if (rc == 1)
        return OK;
    if (rc != 0)
        return rc;
    request_set_header(r, "Content-Length",
                       arena_printf(r->arena, "%lld", (long long)r->finfo.st_size));
    http_conn *c = r->engine;
    if (data != NULL && c != NULL && c->out.mem_len == 0) {
        /* a small file kept in memory: sent with the head in one write;
         * mem_cap 0 makes a later request_write() copy it first */
        c->out.mem = (char *)data;
        c->out.mem_len = (size_t)r->finfo.st_size;
        c->out.mem_cap = 0;
        if (!r->header_only)
            r->bytes_sent += r->finfo.st_size;
        return OK;
    }
    request_send_file(r, fd, 0, (int64_t)r->finfo.st_size);
    return OK;
}

int http_default_handler(request *r)
{
    http_conn *c = r->engine;
    if (c != NULL)
        c->handler_reads_body = 1;
    if (r->method_number == M_TRACE)
        return send_trace(r);
    if (r->method_number == M_GET || r->method_number == M_POST)
        return serve_file(r);
    if (r->method_number == M_INVALID)
        return 501;
    if (r->method_number == M_OPTIONS)
        return send_options(r);
    return 405;
}
