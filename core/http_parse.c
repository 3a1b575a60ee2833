/* http_parse.c -- request head scanner and header rules; see http_proto.h.
 *
 * Strictness follows Apache 2.4's default (HttpProtocolOptions Strict
 * LenientMethods Allow0.9), checked against apache2 2.4.71: lines end in
 * CRLF (a bare LF or CR is a 400); one SP between the request-line words;
 * the version is exactly "HTTP/d.d"; header names are tokens with the
 * colon right after them; values carry no control characters but HT;
 * obs-fold continuation lines are joined with one space.  A line may be
 * LimitRequestLine (LimitRequestFieldSize) + 1 bytes long without its CRLF,
 * as in Apache.  HttpProtocolOptions Unsafe relaxes what Apache relaxes:
 * a bare LF ends a line, request-line words are VCHAR runs split by runs
 * of SP, "http/" in any case, fragments and userinfo pass, HTTP/0.9 takes
 * any method, field names need only be free of whitespace and values of
 * CR, LF, VT, FF and NUL, Host names skip the strict name rules.
 * RegisteredMethods answers 501 for unknown methods at the request line,
 * Require1.0 refuses HTTP/0.9.  Errors come in Apache's order: a field
 * is judged when the line after it has been read. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_proto.h"
#include "log.h"

#define MAX_BLANK_LINES 10
#define HTTP_LINE_PIECE 8192

const char http_note_field_size[] =
    "Size of a request header field exceeds server limit.";
#define note_field_size http_note_field_size
const char http_note_field_count[] =
    "The number of request header fields exceeds this server's limit.";
#define note_field_count http_note_field_count

/* RFC 9110 tchar */
static const unsigned char tchar_bits[32] = {
    /* bit c: c is a tchar */
    [4] = 0xfa,  [5] = 0x6c,  [6] = 0xff,  [7] = 0x03,  /* !#$%&'*+-. 0-9 */
    [8] = 0xfe,  [9] = 0xff,  [10] = 0xff, [11] = 0xc7, /* A-Z ^_ */
    [12] = 0xff, [13] = 0xff, [14] = 0xff, [15] = 0x57, /* ` a-z | ~ */
};

static inline int is_tchar(unsigned char c)
{
    return tchar_bits[c >> 3] >> (c & 7) & 1;
}

int http_is_tchar(unsigned char c)
{
    return is_tchar(c);
}

static int is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* strcasecmp(name, lower) == 0 in the C locale, lower in lower case: for
 * the few names the head is checked for, without a call per field. */
static int name_is(const char *name, const char *lower)
{
    for (; *lower; name++, lower++) {
        unsigned char c = (unsigned char)*name;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (c != (unsigned char)*lower)
            return 0;
    }
    return *name == '\0';
}

void http_scan_init(http_scan *s, http_field *fields, int cap)
{
    memset(s, 0, sizeof(*s));
    s->state = SCAN_REQLINE;
    s->fields = fields;
    s->cap = cap;
}

/* The target's syntax is judged with the request line, before any header
 * (so a bad target wins over a bad header, as in Apache). */
static int target_form(const http_scan *s, const char *buf, int flags)
{
    const char *m = buf + s->method_off;
    int options = s->method_len == 7 && memcmp(m, "OPTIONS", 7) == 0;
    int connect = s->method_len == 7 && memcmp(m, "CONNECT", 7) == 0;
    return http_check_target_form(buf + s->uri_off, s->uri_len, options,
                                  connect, !(flags & HTTP_LIM_UNSAFE));
}

/* apr_isspace() */
static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* VCHAR or obs-text */
static int is_vchar_obs(unsigned char c)
{
    return c > 0x20 && c != 0x7f;
}

/* Strict: METHOD SP TARGET [SP VERSION], one SP each, the method a token.
 * The words are recorded; 0 or 400. */
static int split_strict(http_scan *s, const char *buf, const char *p,
                        const char *e)
{
    const char *start = p;
    while (p < e && is_tchar((unsigned char)*p))
        p++;
    if (p == start || p == e || *p != ' ')
        return 400;
    s->method_off = (uint32_t)(start - buf);
    s->method_len = (uint32_t)(p - start);
    const char *uri = ++p;
    while (p < e && *p != ' ') {
        if (is_ctl((unsigned char)*p))
            return 400;
        p++;
    }
    if (p == uri)
        return 400;
    s->uri_off = (uint32_t)(uri - buf);
    s->uri_len = (uint32_t)(p - uri);
    if (p + 1 == e && *p == ' ')
        p++; /* "GET /x " is still a simple request, as in Apache */
    if (p < e)
        p++;
    s->proto_off = (uint32_t)(p - buf);
    s->proto_len = (uint32_t)(e - p);
    return 0;
}

/* Unsafe: the words are runs of VCHAR and obs-text separated by runs of
 * SP (other whitespace, leading whitespace and trailing text are still
 * errors, as in Apache's ap_parse_request_line()). */
static int split_lenient(http_scan *s, const char *buf, const char *p,
                         const char *e)
{
    const char *w[3];
    size_t n[3] = {0, 0, 0};
    if (p < e && is_ws((unsigned char)*p))
        return 400;
    for (int i = 0; i < 3; i++) {
        w[i] = p;
        while (p < e && is_vchar_obs((unsigned char)*p))
            p++;
        n[i] = (size_t)(p - w[i]);
        if (p < e && !is_ws((unsigned char)*p))
            return 400;
        while (p < e && is_ws((unsigned char)*p))
            if (*p++ != ' ')
                return 400;
    }
    if (p < e || n[0] == 0 || n[1] == 0)
        return 400;
    s->method_off = (uint32_t)(w[0] - buf);
    s->method_len = (uint32_t)n[0];
    s->uri_off = (uint32_t)(w[1] - buf);
    s->uri_len = (uint32_t)n[1];
    s->proto_off = (uint32_t)(w[2] - buf);
    s->proto_len = (uint32_t)n[2];
    return 0;
}

/* Validate the request line buf[off..off+len) and record its words, in
 * Apache's order: syntax errors (400), then an unregistered method with
 * RegisteredMethods (501), then the target (400). */
static int scan_request_line(http_scan *s, const char *buf, size_t off,
                             size_t len, int flags)
{
    const char *start = buf + off, *e = start + len;
    int unsafe = flags & HTTP_LIM_UNSAFE;
    int rc = unsafe ? split_lenient(s, buf, start, e)
                    : split_strict(s, buf, start, e);
    if (rc != 0)
        return rc;
    const char *p = buf + s->proto_off;
    if (s->proto_len == 0) { /* HTTP/0.9 simple request */
        if (flags & HTTP_LIM_REQUIRE10)
            return 400;
        if (!unsafe && (s->method_len != 3 || memcmp(start, "GET", 3) != 0))
            return 400; /* strict: GET only */
        s->proto_num = 9;
    } else {
        if (s->proto_len != 8 || !isdigit((unsigned char)p[5]) || p[6] != '.' ||
            !isdigit((unsigned char)p[7]) || p[5] == '0' || p[4] != '/')
            return 400;
        if (memcmp(p, "HTTP", 4) != 0 &&
            (!unsafe || strncasecmp(p, "HTTP", 4) != 0))
            return 400;
        s->proto_num = (p[5] - '0') * 1000 + (p[7] - '0');
    }
    if (flags & HTTP_LIM_REGISTERED) {
        char m[24];
        size_t ml =
            s->method_len < sizeof(m) - 1 ? s->method_len : sizeof(m) - 1;
        memcpy(m, buf + s->method_off, ml);
        m[ml] = '\0';
        if (s->method_len >= sizeof(m) - 1 || req_method_number(m) == M_INVALID)
            return 501;
    }
    if (target_form(s, buf, flags) != 0)
        return 400;
    return 0;
}

static int grow_fields(http_scan *s)
{
    int cap = s->cap ? s->cap * 2 : 32;
    http_field *f = realloc(s->fields, sizeof(*f) * (size_t)cap);
    if (f == NULL)
        return -1;
    s->fields = f;
    s->cap = cap;
    return 0;
}

/* A value may span continuation lines: their CRLFs are allowed, any
 * other control character but HT is not. */
static int folded_value_ok(const char *p, const char *e, int unsafe)
{
    for (; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != 0x7f)
            continue; /* no mode refuses these: one test for most bytes */
        if (*p == '\r' && p + 1 < e && p[1] == '\n') {
            p++;
            continue;
        }
        if (*p == '\n' && unsafe)
            continue; /* a continuation after a bare LF */
        if (unsafe ? (*p == '\0' || *p == '\r' || *p == '\v' || *p == '\f')
                   : (is_ctl((unsigned char)*p) && *p != '\t'))
            return 0;
    }
    return 1;
}

/* Apache drops a line's trailing whitespace before it looks at it, but
 * always keeps one character. */
static size_t trimmed_len(const char *p, size_t len)
{
    while (len > 1 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    return len;
}

/* The pending field is complete (the next line is not a continuation):
 * count it, then check its name and value.  Apache processes a field only
 * when it has read the line after it, so the errors of that line and of
 * the field's continuation lines are found first. */
static int finish_field(http_scan *s, const char *buf, const http_limits *lim)
{
    if (!s->pending)
        return 0;
    s->pending = 0;
    if (lim->fields > 0 && s->nfields >= lim->fields) {
        s->note = note_field_count;
        return 400;
    }
    http_field *f = &s->fields[s->nfields];
    const char *start = buf + f->line_off, *p = start, *e = buf + f->end_off;
    int unsafe = lim->flags & HTTP_LIM_UNSAFE;
    if (unsafe) /* any name without whitespace */
        while (p < e && *p != ':' && *p != '\0' && !is_ws((unsigned char)*p))
            p++;
    else
        while (p < e && is_tchar((unsigned char)*p))
            p++;
    if (p == start || p == e || *p != ':')
        return 400;
    const char *v = p + 1;
    for (;;) {
        if (v < e && (*v == ' ' || *v == '\t'))
            v++;
        else if (e - v >= 2 && v[0] == '\r' && v[1] == '\n')
            v += 2; /* an empty first line, continued */
        else if (v < e && *v == '\n')
            v++;
        else
            break;
    }
    const char *ve = e;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
    if (!folded_value_ok(v, ve, unsafe))
        return 400;
    f->name_len = (uint32_t)(p - start);
    f->val_off = (uint32_t)(v - buf);
    f->val_len = (uint32_t)(ve - v);
    s->nfields++;
    return 0;
}

/* A field over LimitRequestFieldSize: the line at off, len bytes (Apache
 * keeps limit + 1 of them for its message). */
static int field_too_long(http_scan *s, size_t off, size_t len, int folded,
                          const http_limits *lim)
{
    size_t keep = (size_t)lim->fieldsize + 1;
    s->note = note_field_size;
    s->big_off = (uint32_t)off;
    s->big_len = (uint32_t)(len < keep || folded ? len : keep);
    s->big_folded = folded;
    return 400;
}

/* A continuation (obs-fold) line joins the pending field. */
static int scan_fold(http_scan *s, const char *buf, size_t off, size_t len,
                     const http_limits *lim)
{
    if (!s->pending)
        return 400; /* before the first field */
    size_t n = trimmed_len(buf + off, len);
    if (n == 1)
        return 400; /* an empty continuation line */
    size_t lead = 1;
    while (lead < n && (buf[off + lead] == ' ' || buf[off + lead] == '\t'))
        lead++;
    n -= lead - 1; /* joined with one space */
    if (lim->fieldsize > 0 &&
        s->pending_len + n + 1 >= (size_t)lim->fieldsize) {
        const http_field *f = &s->fields[s->nfields];
        return field_too_long(s, f->line_off, f->end_off - f->line_off, 1, lim);
    }
    s->pending_len += n;
    http_field *f = &s->fields[s->nfields];
    f->folded = 1;
    f->end_off = (uint32_t)(off + len);
    return 0;
}

static int scan_header_line(http_scan *s, const char *buf, size_t off,
                            size_t len, const http_limits *lim)
{
    if (lim->fieldsize > 0 && len > (size_t)lim->fieldsize + 1)
        return field_too_long(s, off, len, 0, lim);
    if (memchr(buf + off, '\0', len) != NULL)
        return 400; /* Apache's line reading refuses it, before the
                     * pending field is judged */
    if (buf[off] == ' ' || buf[off] == '\t')
        return scan_fold(s, buf, off, len, lim);
    int rc = finish_field(s, buf, lim);
    if (rc != 0)
        return rc;
    if (s->nfields == s->cap && grow_fields(s) != 0)
        return 500;
    http_field *f = &s->fields[s->nfields];
    f->line_off = (uint32_t)off;
    f->end_off = (uint32_t)(off + len);
    f->name_len = f->val_off = f->val_len = 0;
    f->folded = 0;
    s->pending = 1;
    s->pending_len = trimmed_len(buf + off, len);
    return 0;
}

/* The line buf[line_start..lf) is complete (lf points at its LF). */
static int scan_line(http_scan *s, const char *buf, size_t lf,
                     const http_limits *lim)
{
    size_t off = s->line_start;
    /* too long is found first, whatever ends the line (Apache stops
     * reading at the limit), and agrees with the early check of
     * http_scan_head() for a line still missing its LF */
    size_t raw = lf - off;
    if (s->state == SCAN_REQLINE && raw > 0 && lim->line > 0 &&
        raw > (size_t)lim->line + 2)
        return 414;
    if (s->state == SCAN_HEADERS && lim->fieldsize > 0 &&
        raw > (size_t)lim->fieldsize + 2)
        return field_too_long(s, off, raw, 0, lim);
    int cr = lf > off && buf[lf - 1] == '\r';
    if (!cr && !(lim->flags & HTTP_LIM_UNSAFE)) {
        s->line_error = s->state == SCAN_REQLINE;
        return 400; /* bare LF */
    }
    size_t len = lf - (size_t)cr - off;
    if (s->state == SCAN_REQLINE && memchr(buf + off, '\0', len) != NULL) {
        s->line_error = 1;
        return 400;
    }
    if (s->state == SCAN_REQLINE) {
        if (len == 0) {
            if (++s->blank_lines > MAX_BLANK_LINES) {
                s->blank_overflow = 1;
                return 400;
            }
            return 0;
        }
        if (lim->line > 0 && len > (size_t)lim->line + 1)
            return 414;
        s->req_start = off;
        int rc = scan_request_line(s, buf, off, len, lim->flags);
        if (rc != 0)
            return rc;
        if (s->proto_num == 9) {
            s->state = SCAN_DONE;
            s->head_len = lf + 1;
        } else {
            s->state = SCAN_HEADERS;
        }
        return 0;
    }
    if (len == 0) {
        int rc = finish_field(s, buf, lim);
        if (rc != 0)
            return rc;
        s->state = SCAN_DONE;
        s->head_len = lf + 1;
        return 0;
    }
    return scan_header_line(s, buf, off, len, lim);
}

int http_scan_head(http_scan *s, const char *buf, size_t len,
                   const http_limits *lim)
{
    s->flags = lim->flags;
    while (s->state != SCAN_DONE) {
        const char *lf =
            s->pos < len ? memchr(buf + s->pos, '\n', len - s->pos) : NULL;
        if (lf == NULL) {
            s->pos = len;
            /* A line already too long cannot become valid: answer
             * without waiting for its LF once HTTP_LINE_PIECE bytes of
             * it are here.  Apache reads an unterminated line in pieces
             * of that size before comparing it with the limit, so a
             * shorter one cut by the client's EOF gets no 414. */
            size_t have = len - s->line_start;
            if (have < HTTP_LINE_PIECE)
                return HTTP_SCAN_MORE;
            if (s->state == SCAN_REQLINE && lim->line > 0 &&
                have > (size_t)lim->line + 2) {
                s->line_error = 1;
                return 414;
            }
            if (s->state == SCAN_HEADERS && lim->fieldsize > 0 &&
                have > (size_t)lim->fieldsize + 2)
                return field_too_long(s, s->line_start, have, 0, lim);
            return HTTP_SCAN_MORE;
        }
        size_t at = (size_t)(lf - buf);
        int rc = scan_line(s, buf, at, lim);
        if (rc != 0)
            return rc;
        s->pos = s->line_start = at + 1;
    }
    return HTTP_SCAN_DONE;
}

/* ---- from scan to request ------------------------------------------- */

/* Join an obs-folded value in place: CRLF + whitespace -> one space. */
static char *join_folded(char *v, size_t len)
{
    char *o = v;
    for (size_t i = 0; i < len;) {
        if ((v[i] == '\r' && i + 1 < len && v[i + 1] == '\n') || v[i] == '\n') {
            i += v[i] == '\r' ? 2 : 1;
            while (i < len && (v[i] == ' ' || v[i] == '\t'))
                i++;
            while (o > v && (o[-1] == ' ' || o[-1] == '\t'))
                o--;
            *o++ = ' ';
            continue;
        }
        *o++ = v[i++];
    }
    *o = '\0';
    return v;
}

static void fill_headers(request *r, const http_scan *s, char *copy)
{
    req_table *t = &r->headers_in;
    t->cap = s->nfields > 0 ? s->nfields : 1;
    t->v = arena_alloc(r->arena, sizeof(req_header) * (size_t)t->cap);
    t->n = 0;
    for (int i = 0; i < s->nfields; i++) {
        const http_field *f = &s->fields[i];
        char *name = copy + f->line_off;
        name[f->name_len] = '\0';
        char *val = copy + f->val_off;
        if (f->folded)
            val = join_folded(val, f->val_len);
        else
            val[f->val_len] = '\0';
        /* a repeated field joins the first with ", ", as Apache's
         * apr_table_compress() does before anything looks at them */
        int j = 0;
        while (j < t->n && ((t->v[j].name[0] | 0x20) != (name[0] | 0x20) ||
                            strcasecmp(t->v[j].name, name) != 0))
            j++;
        if (j < t->n) {
            t->v[j].value =
                arena_strcat(r->arena, t->v[j].value, ", ", val, (char *)NULL);
            continue;
        }
        t->v[t->n].name = name;
        t->v[t->n].value = val;
        t->n++;
    }
}

static int check_host(request *r, const char **note)
{
    int nhost = 0;
    const char *host = NULL;
    for (int i = 0; i < r->headers_in.n; i++)
        if (name_is(r->headers_in.v[i].name, "host")) {
            nhost++;
            host = r->headers_in.v[i].value;
        }
    (void)note;
    if (nhost > 1 && !r->http_unsafe)
        return 400;
    if (nhost > 1) { /* Apache merges them: "a, b" is a name Unsafe takes */
        const char *all = NULL;
        for (int i = 0; i < r->headers_in.n; i++)
            if (name_is(r->headers_in.v[i].name, "host"))
                all = all ? arena_strcat(r->arena, all, ", ",
                                         r->headers_in.v[i].value, (char *)NULL)
                          : r->headers_in.v[i].value;
        host = all;
    }
    if (r->hostname != NULL && host != NULL) {
        /* an absolute-form target's authority replaces the Host header,
         * as Apache's request reading does (TRACE echoes it) */
        for (int i = 0; i < r->headers_in.n; i++)
            if (name_is(r->headers_in.v[i].name, "host"))
                r->headers_in.v[i].value = http_absolute_authority(r);
    }
    if (r->hostname == NULL && host != NULL && host[0] != '\0') {
        if (http_check_host_ex(r->arena, host, &r->hostname, &r->parsed_port,
                               r->http_unsafe) != 0)
            return 400;
    }
    /* HTTP/1.1 and later need a host; HTTP/1.1 exactly also needs the
     * Host header even with an absolute-form target (Apache's rule) */
    if ((r->hostname == NULL && r->proto_num >= 1001) ||
        (nhost == 0 && r->proto_num == 1001))
        return 400;
    return 0;
}

/* Transfer-Encoding / Content-Length, Apache's rules: a TE whose last
 * coding is not chunked is a 400; with both, Content-Length is dropped
 * and the connection closes after the response (no smuggling). */
static int check_body_headers(request *r)
{
    const char *te = req_table_get(&r->headers_in, "Transfer-Encoding");
    int ncl = 0;
    const char *cl = NULL;
    for (int i = 0; i < r->headers_in.n; i++)
        if (name_is(r->headers_in.v[i].name, "content-length")) {
            ncl++;
            cl = r->headers_in.v[i].value;
        }
    r->remaining = 0;
    if (te != NULL) {
        /* all TE headers, joined: the last token must be chunked */
        const char *last = NULL;
        for (int i = 0; i < r->headers_in.n; i++)
            if (name_is(r->headers_in.v[i].name, "transfer-encoding"))
                last = r->headers_in.v[i].value;
        const char *tok = strrchr(last, ',');
        tok = tok ? tok + 1 : last;
        while (*tok == ' ' || *tok == '\t')
            tok++;
        if (strcasecmp(tok, "chunked") != 0)
            return 400;
        r->chunked = 1;
        r->remaining = -1;
        if (ncl > 0) {
            req_table_unset(&r->headers_in, "Content-Length");
            r->keepalive = 0;
        }
        if (r->proto_num < 1001)
            r->keepalive = 0;
        return 0;
    }
    if (ncl > 1)
        return 400;
    if (cl != NULL) {
        int64_t n = http_parse_content_length(cl);
        if (n < 0)
            return 400;
        r->remaining = n;
    }
    return 0;
}

static int check_expect(request *r, const char **note)
{
    const char *ex = req_table_get(&r->headers_in, "Expect");
    if (ex == NULL || ex[0] == '\0')
        return 0;
    if (strcasecmp(ex, "100-continue") == 0) {
        if (r->proto_num >= 1001)
            r->expecting_100 = 1;
        return 0;
    }
    *note = "</p><p>Only the 100-continue expectation is supported.";
    log_rerror(r, APLOG_INFO, "core", 0,
               "AH00570: client sent an unrecognized expectation value of "
               "Expect: %s",
               ex);
    return 417;
}

int http_head_finish(request *r, const http_scan *s, const char *buf,
                     const char **note)
{
    char *copy = arena_memdup(r->arena, buf, s->head_len);
    *note = NULL;
    r->header_bytes_in = (int64_t)s->head_len;
    size_t line_end = s->proto_num == 9 ? s->uri_off + s->uri_len
                                        : s->proto_off + s->proto_len;
    r->the_request =
        arena_strndup(r->arena, copy + s->method_off, line_end - s->method_off);
    copy[s->method_off + s->method_len] = '\0';
    copy[s->uri_off + s->uri_len] = '\0';
    r->method = copy + s->method_off;
    r->unparsed_uri = copy + s->uri_off;
    r->proto_num = s->proto_num;
    if (s->proto_num == 9) {
        r->protocol = "HTTP/0.9";
        r->assbackwards = 1;
    } else {
        copy[s->proto_off + s->proto_len] = '\0';
        memcpy(copy + s->proto_off, "HTTP", 4); /* Unsafe takes "http/1.1" */
        r->protocol = copy + s->proto_off;
    }
    r->http_unsafe = (s->flags & HTTP_LIM_UNSAFE) != 0;
    r->method_number = req_method_number(r->method);
    /* a simple request has no head to leave out (Unsafe allows HEAD) */
    r->header_only = !r->assbackwards && r->method[0] == 'H' &&
                     strcmp(r->method, "HEAD") == 0;
    fill_headers(r, s, copy);
    r->keepalive = 1;
    /* an encoded '/' or NUL (404) is Apache's verdict of a later phase:
     * Host, framing and Expect are checked first */
    int target_rc = http_parse_target(r, r->unparsed_uri);
    /* ... and so is a path that fails normalisation (r->uri is set):
     * a bad escape or a climb above the root */
    int deferred = target_rc == 404 || (target_rc == 400 && r->uri != NULL);
    int rc = deferred ? 0 : target_rc;
    if (rc == 0 && !r->assbackwards)
        rc = check_host(r, note);
    if (rc == 0)
        rc = check_body_headers(r);
    if (rc == 0)
        rc = check_expect(r, note);
    if (rc != 0 && (target_rc == 0 || deferred))
        http_raw_target(r); /* refused before the URI was decoded (%U) */
    if (rc == 0 && deferred)
        r->path_refused = target_rc;
    return rc != 0 ? rc : target_rc;
}

/* ---- Content-Length ---------------------------------------------------- */

int64_t http_parse_content_length(const char *v)
{
    int64_t n = 0;
    if (*v == '\0')
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -1;
        int d = *v - '0';
        if (n > (INT64_MAX - d) / 10)
            return -1;
        n = n * 10 + d;
    }
    return n;
}
