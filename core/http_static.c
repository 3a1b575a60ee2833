/* http_static.c -- the core's default handler, as Apache's: GET, HEAD and
 * POST serve the file (POST bodies are discarded), OPTIONS answers with
 * Allow, TRACE echoes the request head (TraceEnable), an unknown method is
 * 501 and any other known method 405.  Last-Modified, ETag (FileETag) and
 * the conditional headers follow Apache's ap_meets_conditions(); Range is
 * http_range.c's, for files as for any other body. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "file_cache.h"
#include "http_internal.h"
#include "log.h"

/* TraceEnable of the original request's server (a vhost without one
 * has the main server's): 0 off, 1 on, 2 extended. */
int request_trace_mode(const request *r)
{
    while (r->prev)
        r = r->prev;
    if (r->server && r->server->trace_enable)
        return r->server->trace_enable - 1;
    return r->rc ? r->rc->trace_enable : 1;
}

const char *http_allow_methods(request *r)
{
    int trace = request_trace_mode(r) != 0;
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

/* lower-case hex without leading zeros, as "%llx" (no snprintf: this runs
 * for every file served) */
static char *put_hex(char *p, unsigned long long v)
{
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* FileETag Digest: the base64 of the file's SHA-1, quoted, whatever the
 * other components say (as apache2); NULL if it cannot be read. */
static const char *digest_etag(request *r)
{
    if (r->filename == NULL || !r->finfo_valid || !S_ISREG(r->finfo.st_mode))
        return NULL;
    int fd = open(r->filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    unsigned char sha[20];
    int rc = digest_sha1_fd(fd, (int64_t)r->finfo.st_size, sha);
    close(fd);
    if (rc != 0)
        return NULL;
    return arena_strcat(r->arena, "\"",
                        digest_base64_encode(r->arena, sha, sizeof(sha)), "\"",
                        (char *)NULL);
}

/* Apache's ap_make_etag(): "inode-size-mtime" in hex per FileETag, weak
 * when the file changed less than a second before the request. */
const char *http_make_etag(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    int bits = ETAG_UNSET;
    if (d && d->etag_bits != UNSET)
        bits = (d->etag_bits & ~d->etag_remove) | d->etag_add;
    if ((bits & ETAG_DIGEST) && !r->finfo_valid) {
        bits = ETAG_MTIME; /* no file to digest: its mtime alone, below */
    } else if (bits & ETAG_DIGEST) {
        const char *tag = digest_etag(r);
        const char *vlv = r->vlist_validator;
        if (tag == NULL || vlv == NULL || vlv[0] == '\0')
            return tag;
        /* a negotiated variant's: "digest;validator" as below, without
         * the closing quote (apache2 2.4.71) */
        int weak = vlv[0] == 'W';
        vlv += weak ? (strlen(vlv) >= 3 ? 3 : strlen(vlv)) : 1;
        size_t n = strlen(vlv);
        return arena_strcat(r->arena, weak ? "W/" : "",
                            arena_strndup(r->arena, tag, strlen(tag) - 1), ";",
                            arena_strndup(r->arena, vlv, n ? n - 1 : 0),
                            (char *)NULL);
    }
    if (bits & ETAG_NONE) {
        /* and no ETag goes out, whatever Header set (Apache's no-etag
         * note, read by its header filter) */
        req_table_set(r->arena, &r->notes, "no-etag", "omit");
        return NULL;
    }
    if (bits == ETAG_UNSET) /* nothing said, or all taken away */
        bits = ETAG_MTIME | ETAG_SIZE;
    bits &= ETAG_ALL;
    if (bits == 0)
        return NULL;
    int64_t mt = mtime_us(&r->finfo);
    int weak = !(r->request_time_us - mt > 1000000);
    /* a negotiated answer's tag carries the variant list validator
     * (mod_negotiation's), whose weakness is the whole tag's */
    const char *vlv = r->vlist_validator;
    if (vlv != NULL && vlv[0] == 'W') {
        weak = 1;
        vlv += strlen(vlv) >= 3 ? 3 : strlen(vlv);
    } else if (vlv != NULL && vlv[0] != '\0') {
        vlv++;
    }
    /* a file's tag, kept per thread as Last-Modified is: one file's
     * requests share it */
    static __thread struct {
        ino_t ino;
        off_t size;
        int64_t mt;
        int bits, weak;
        char tag[64];
    } last = {.bits = -1};
    int cacheable = vlv == NULL && r->finfo_valid;
    if (cacheable && last.bits == bits && last.weak == weak &&
        last.ino == r->finfo.st_ino && last.size == r->finfo.st_size &&
        last.mt == mt)
        return arena_strdup(r->arena, last.tag);
    char buf[128], *p = buf;
    if (weak) {
        *p++ = 'W';
        *p++ = '/';
    }
    *p++ = '"';
    if (!r->finfo_valid) { /* no file: the mtime alone */
        p = put_hex(p, (unsigned long long)mt);
        bits = 0;
    }
    if (bits & ETAG_INODE) {
        p = put_hex(p, (unsigned long long)r->finfo.st_ino);
        if (bits != ETAG_INODE)
            *p++ = '-';
    }
    if (bits & ETAG_SIZE) {
        p = put_hex(p, (unsigned long long)r->finfo.st_size);
        if (bits & ETAG_MTIME)
            *p++ = '-';
    }
    if (bits & ETAG_MTIME)
        p = put_hex(p, (unsigned long long)mt);
    if (vlv != NULL) {
        /* "tag;validator": apache2 2.4 copies the validator without its
         * last character, its closing quote, and adds none of its own */
        size_t n = strlen(vlv);
        *p = '\0';
        return arena_strcat(r->arena, buf, ";",
                            arena_strndup(r->arena, vlv, n ? n - 1 : 0),
                            (char *)NULL);
    }
    *p++ = '"';
    *p = '\0';
    if (cacheable && (size_t)(p - buf) < sizeof(last.tag)) {
        memcpy(last.tag, buf, (size_t)(p - buf) + 1);
        last.ino = r->finfo.st_ino;
        last.size = r->finfo.st_size;
        last.mt = mt;
        last.bits = bits;
        last.weak = weak;
    }
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
    if (v[0] == '*') /* as Apache: "*" first matches, whatever follows
                      * (repeated fields are joined: "*, \"x\"") */
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
    if (ims == (time_t)-1) /* Apache reads it as 0: before any file */
        return COND_NOMATCH;
    time_t now = (time_t)(r->request_time_us / 1000000);
    return ims >= last_modified(r) && ims <= now ? COND_STRONG : COND_NOMATCH;
}

static enum cond cond_unmodified_since(request *r)
{
    const char *v = req_table_get(&r->headers_in, "If-Unmodified-Since");
    if (v == NULL)
        return COND_NONE;
    time_t ius = http_parse_date(v);
    if (ius == (time_t)-1) /* a date apache2 cannot read holds */
        return COND_STRONG;
    return last_modified(r) > ius ? COND_NOMATCH : COND_STRONG;
}

/* Serving an ErrorDocument: no conditionals, no ranges (Apache's
 * no_local_copy). */
static int is_error_document(request *r)
{
    /* also a redirect made while serving one (its FallbackResource, its
     * DirectoryIndex): Apache skips the conditions while the answer's
     * status is an error */
    for (const request *q = r; q != NULL && q->prev != NULL; q = q->prev)
        if (req_table_get(&q->subprocess_env, "REDIRECT_STATUS") != NULL)
            return 1;
    return 0;
}

/* Whether the request has a field named If-*: without one no condition
 * applies (most requests), and the five lookups below are skipped. */
static int has_if_field(const request *r)
{
    for (int i = 0; i < r->headers_in.n; i++) {
        const char *n = r->headers_in.v[i].name;
        if ((n[0] | 0x20) == 'i' && (n[1] | 0x20) == 'f' && n[2] == '-')
            return 1;
    }
    return 0;
}

int http_meets_conditions(request *r)
{
    int not_modified = -1;
    if (!has_if_field(r) || is_error_document(r))
        return OK;
    if (cond_etag(r, "If-Match", 1) == COND_NOMATCH)
        return 412;
    /* an If-Unmodified-Since that holds (or cannot be read) rules out a
     * 304 whatever follows, as in apache2 2.4: only a 412 may still come */
    enum cond u = cond_unmodified_since(r);
    if (u == COND_NOMATCH)
        return 412;
    if (u >= COND_WEAK)
        not_modified = 0;
    /* the comparison is weak only for a GET (HEAD) without a Range
     * (Apache's ap_condition_if_none_match): else a W/ tag never matches */
    enum cond c = cond_etag(r, "If-None-Match",
                            r->method_number != M_GET ||
                                req_table_get(&r->headers_in, "Range") != NULL);
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
    /* with If-Range and Range the answer is the range's to decide (200 or
     * 206), never a 304: apache2 leaves it to its byterange filter */
    if (not_modified == 1 &&
        req_table_get(&r->headers_in, "If-Range") != NULL &&
        req_table_get(&r->headers_in, "Range") != NULL)
        not_modified = 0;
    return not_modified == 1 ? 304 : OK;
}

/* ---- methods ------------------------------------------------------------ */

static int send_trace(request *r)
{
    int trace = request_trace_mode(r);
    if (trace == 0) {
        /* refused before any handler declared its methods: empty Allow */
        req_table_set(r->arena, &r->notes, "allow-methods", "");
        return 405;
    }
    http_conn *c = r->engine;
    if (trace != 2 && (r->chunked || r->remaining > 0))
        return 413; /* TRACE with a body */
    if (r->remaining > 65536) {
        req_table_set(r->arena, &r->notes, "error-notes",
                      "Extended TRACE request bodies cannot exceed 64k\n");
        return 413;
    }
    /* TraceEnable extended: the body follows the head, as it is read */
    if (c != NULL && (r->chunked || r->remaining > 0))
        c->trace_echo = 1;
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
        request_set_header(r, "Content-MD5",
                           digest_base64_encode(r->arena, md, 16));
}

static int serve_file(request *r)
{
    if (!r->finfo_valid) {
        log_rerror(
            r, APLOG_INFO, "core", 0, "AH00128: File does not exist: %s%s",
            r->filename ? r->filename : "", r->path_info ? r->path_info : "");
        return 404;
    }
    if (S_ISDIR(r->finfo.st_mode)) {
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00129: Attempt to serve directory: %s", r->filename);
        return 404;
    }
    if (r->used_path_info != 1 && r->path_info && r->path_info[0]) {
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00130: File does not exist: %s%s", r->filename,
                   r->path_info);
        return 404;
    }
    struct kept_file *k = arena_alloc(r->arena, sizeof(*k));
    const char *data;
    int fd = file_cache_open(r->filename, &r->finfo, &k->handle, &data);
    if (fd < 0)
        return errno == EACCES ? 403 : 404;
    k->fd = fd;
    arena_cleanup(r->arena, release_file, k);
    /* the last date formatted is kept per thread: one file's requests
     * share it */
    static __thread time_t lm_sec = (time_t)-1;
    static __thread char lm[32];
    time_t mt = r->finfo.st_mtime;
    time_t now = (time_t)(r->request_time_us / 1000000);
    if (mt > now)
        mt = now;
    if (mt != lm_sec) {
        http_format_date(lm, mt);
        lm_sec = mt;
    }
    request_set_header(r, "Last-Modified", arena_strdup(r->arena, lm));
    const char *etag = http_make_etag(r);
    if (etag != NULL)
        request_set_header(r, "ETag", etag);
    core_dir_conf *d = request_core_dir(r);
    request_set_header(r, "Accept-Ranges",
                       d && d->max_ranges == RANGES_NONE ? "none" : "bytes");
    set_content_md5(r, fd);
    int rc = http_meets_conditions(r);
    if (rc != OK) {
        /* as Apache's default handler: the status with the file's
         * headers and no body (not an error page); the length it set
         * survives on HEAD, a GET's empty body is counted */
        r->status = rc;
        request_set_header(
            r, "Content-Length",
            r->header_only ? arena_lld(r->arena, (long long)r->finfo.st_size)
                           : "0");
        return OK;
    }
    request_set_header(r, "Content-Length",
                       arena_lld(r->arena, (long long)r->finfo.st_size));
    http_conn *c = r->engine;
    if (data != NULL && c != NULL && c->out.mem_len == 0) {
        /* a small file kept in memory: sent with the head in one write;
         * mem_cap 0 makes a later request_write() copy it first */
        c->out.mem = (char *)data;
        c->out.mem_len = (size_t)r->finfo.st_size;
        c->out.mem_cap = 0;
        if (!r->header_only)
            r->bytes_sent += r->finfo.st_size;
    } else {
        request_send_file(r, fd, 0, (int64_t)r->finfo.st_size);
    }
    if (c != NULL)
        c->out.is_file = 1;
    /* Apache's byterange filter skips an empty body */
    return r->finfo.st_size > 0 ? http_range_check(r) : OK;
}

int http_default_handler(request *r)
{
    http_conn *c = r->engine;
    if (c != NULL)
        c->handler_reads_body = 1;
    /* Apache's handler reads (discards) the body before anything else:
     * what it logs waits for that, and a bad body silences it */
    if (c != NULL && c->r != NULL && (c->r->chunked || c->r->remaining > 0))
        log_hold(r);
    if (r->method_number == M_TRACE)
        return send_trace(r);
    if (r->method_number == M_GET || r->method_number == M_POST)
        return serve_file(r);
    if (r->method_number == M_INVALID) {
        log_rerror(r, APLOG_ERR, "core", 0,
                   "AH00135: Invalid method in request %s",
                   r->the_request ? r->the_request : "");
        return 501;
    }
    if (r->method_number == M_OPTIONS)
        return send_options(r);
    return 405;
}
