/* http_uri.c -- request-target, path normalisation and Host checks, with
 * the outcomes apache2 2.4.71 gives (AllowEncodedSlashes Off, MergeSlashes
 * On, HttpProtocolOptions Strict). */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "http_proto.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_unreserved(int c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Step 1 (ap_normalize_path with DECODE_UNRESERVED, NOT_ABOVE_ROOT and
 * MERGE_SLASHES): decode %XX only for unreserved characters, then drop
 * "." segments, resolve "..", merge "//".  0 or 400. */
static int normalize_segments(char *path, int merge_slashes)
{
    /* decode unreserved escapes in place */
    char *o = path;
    int bad = 0;
    for (char *p = path; *p;) {
        if (*p == '%') {
            int h = hexval((unsigned char)p[1]),
                l = h >= 0 ? hexval((unsigned char)p[2]) : -1;
            if (h < 0 || l < 0) { /* refused, but normalised on (%U) */
                bad = 1;
                *o++ = *p++;
                continue;
            }
            int c = h * 16 + l;
            if (is_unreserved(c)) {
                *o++ = (char)c;
                p += 3;
                continue;
            }
        }
        *o++ = *p++;
    }
    *o = '\0';
    /* segments */
    char *w = path; /* write position; path[0] == '/' */
    char *r = path;
    int above = 0;
    while (*r) {
        /* r points at a '/' */
        char *seg = r + 1;
        if (merge_slashes && *seg == '/') {
            r = seg;
            continue;
        }
        if (seg[0] == '.' && (seg[1] == '/' || seg[1] == '\0')) {
            r = seg + 1;
            if (*r == '\0')
                *w++ = '/';
            continue;
        }
        if (seg[0] == '.' && seg[1] == '.' &&
            (seg[2] == '/' || seg[2] == '\0')) {
            if (w == path)
                above = 1; /* above the root: refused, but the path is
                            * normalised on as Apache's (its %U shows it) */
            while (w > path && *--w != '/')
                ;
            r = seg + 2;
            if (*r == '\0')
                *w++ = '/';
            continue;
        }
        *w++ = '/';
        for (r = seg; *r && *r != '/';)
            *w++ = *r++;
    }
    if (w == path)
        *w++ = '/';
    *w = '\0';
    return above || bad ? 400 : 0;
}

/* Step 2 (ap_unescape_url): every %XX decoded; %2F and %00 are 404
 * (AllowEncodedSlashes Off), a bad escape 400. */
static int unescape_path(char *path)
{
    char *o = path;
    int badpath = 0;
    for (char *p = path; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        int h = hexval((unsigned char)p[1]),
            l = h >= 0 ? hexval((unsigned char)p[2]) : -1;
        if (h < 0 || l < 0)
            return 400;
        int c = h * 16 + l;
        if (c == '/' || c == '\0')
            badpath = 1;
        *o++ = (char)c;
        p += 2;
    }
    *o = '\0';
    return badpath ? 404 : 0;
}

int http_normalize_path(char *path, int merge_slashes)
{
    if (path[0] != '/')
        return 400;
    int rc = normalize_segments(path, merge_slashes);
    if (rc == 0)
        rc = unescape_path(path);
    return rc;
}

/* ---- Host ------------------------------------------------------------- */

static int parse_port(const char *p, int *port)
{
    long n = 0;
    if (*p == '\0')
        return -1;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return -1;
        n = n * 10 + (*p - '0');
        if (n > 65535)
            return -1;
    }
    if (n == 0)
        return -1;
    *port = (int)n;
    return 0;
}

/* Apache's strict_hostname_check(): letters, digits, '-', '_', '.'; an
 * all-numeric name must be a dotted quad without leading zeroes; the top
 * level label must start with a letter. */
static int strict_name_ok(const char *h)
{
    int numeric = 1, dots = 0, leading_zero = 0;
    const char *ch;
    for (ch = h; *ch; ch++) {
        unsigned char c = (unsigned char)*ch;
        if ((unsigned char)((c | 0x20) - 'a') < 26 || c == '-' || c == '_') {
            numeric = 0; /* isalpha() in the C locale */
        } else if (c == '.') {
            dots++;
            if (ch[1] == '0' && isdigit((unsigned char)ch[2]))
                leading_zero = 1;
        } else if ((unsigned char)(c - '0') >= 10) {
            return 0;
        }
    }
    if (numeric) {
        if (h[0] == '.' || (h[0] == '0' && isdigit((unsigned char)h[1])))
            leading_zero = 1;
        return !leading_zero && dots == 3;
    }
    while (ch > h && *ch != '.')
        ch--;
    if (ch[0] == '.' && ch[1] != '\0' && !isalpha((unsigned char)ch[1]))
        return 0;
    return 1;
}

static int check_ipv6(arena *a, const char *v, const char **host, int *port)
{
    const char *close = strchr(v, ']');
    if (close == NULL)
        return 400;
    char *addr = arena_strndup(a, v + 1, (size_t)(close - v - 1));
    struct in6_addr tmp;
    if (inet_pton(AF_INET6, addr, &tmp) != 1)
        return 400;
    *port = 0;
    if (close[1] == ':') {
        if (parse_port(close + 2, port) != 0)
            return 400;
    } else if (close[1] != '\0') {
        return 400;
    }
    char *h = arena_strndup(a, v, (size_t)(close - v + 1));
    for (char *p = h; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    *host = h;
    return 0;
}

int http_check_host(arena *a, const char *value, const char **host, int *port)
{
    return http_check_host_ex(a, value, host, port, 0);
}

static int check_host(arena *a, const char *value, const char **host, int *port,
                      int lenient);

/* The last good Host value checked on this thread and its result: a
 * connection's requests, and most of a site's, send the same one. */
static __thread struct {
    char value[64];
    char host[64];
    int port, lenient;
} last_host;

int http_check_host_ex(arena *a, const char *value, const char **host,
                       int *port, int lenient)
{
    size_t vl = strnlen(value, sizeof(last_host.value));
    if (vl < sizeof(last_host.value) && last_host.value[0] != '\0' &&
        last_host.lenient == lenient &&
        memcmp(last_host.value, value, vl + 1) == 0) {
        *port = last_host.port;
        *host = arena_strdup(a, last_host.host);
        return 0;
    }
    int rc = check_host(a, value, host, port, lenient);
    if (rc == 0 && vl < sizeof(last_host.value) &&
        strlen(*host) < sizeof(last_host.host)) {
        memcpy(last_host.value, value, vl + 1);
        strcpy(last_host.host, *host);
        last_host.port = *port;
        last_host.lenient = lenient;
    }
    return rc;
}

static int check_host(arena *a, const char *value, const char **host, int *port,
                      int lenient)
{
    if (value[0] == '[')
        return check_ipv6(a, value, host, port);
    const char *colon = strrchr(value, ':');
    if (lenient && colon != NULL) {
        /* apr_parse_addr_port(): only digits after the last ':' are a
         * port; anything else is part of the name, which Unsafe takes */
        const char *d = colon + 1;
        while (isdigit((unsigned char)*d))
            d++;
        if (colon[1] == '\0' || *d != '\0')
            colon = NULL;
    }
    size_t hlen = colon ? (size_t)(colon - value) : strlen(value);
    *port = 0;
    if (colon != NULL && parse_port(colon + 1, port) != 0)
        return 400;
    if (hlen == 0)
        return 400;
    char *h = arena_strndup(a, value, hlen);
    char *p = h;
    for (; *p; p++) {
        if (*p == '.' && p[1] == '.')
            return 400;
        if (*p == '/' || *p == '\\')
            return 400;
        if (*p >= 'A' && *p <= 'Z') /* tolower() in the C locale */
            *p = (char)(*p + ('a' - 'A'));
    }
    if (!lenient && !strict_name_ok(h))
        return 400;
    size_t n = (size_t)(p - h);
    if (n > 0 && h[n - 1] == '.')
        h[n - 1] = '\0';
    *host = h;
    return 0;
}

/* ---- request-target ----------------------------------------------------- */

/* A port as apr_uri_parse() takes it: strtol() must use every byte. */
static int port_syntax_ok(const char *p, const char *e)
{
    if (p < e && (*p == '+' || *p == '-'))
        p++;
    if (p == e)
        return 0;
    for (; p < e; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

/* authority-form (CONNECT): host ":" port, the port required. */
static int connect_target_ok(const char *t, const char *e)
{
    const char *colon;
    if (t < e && *t == '[') {
        const char *rsb = memchr(t, ']', (size_t)(e - t));
        if (rsb == NULL || rsb + 1 == e || rsb[1] != ':')
            return 0;
        colon = rsb + 1;
    } else {
        colon = memchr(t, ':', (size_t)(e - t));
        if (colon == NULL)
            return 0;
    }
    return port_syntax_ok(colon + 1, e);
}

/* The authority of an absolute URI, hostinfo[0..e): a port that is not
 * a number or an unclosed IPv6 literal do not parse; userinfo parses but
 * is refused.  0 or 400. */
static int authority_ok(const char *h, const char *e, int strict)
{
    for (const char *p = e; p > h; p--)
        if (p[-1] == '@') {
            if (strict)
                return 400;
            h = p; /* Unsafe: the host follows the userinfo */
            break;
        }
    const char *colon;
    if (h < e && *h == '[') {
        const char *rsb = memchr(h, ']', (size_t)(e - h));
        if (rsb == NULL)
            return 400;
        colon = rsb + 1 < e && rsb[1] == ':' ? rsb + 1 : NULL;
    } else {
        colon = memchr(h, ':', (size_t)(e - h));
    }
    if (colon != NULL && colon + 1 < e && !port_syntax_ok(colon + 1, e))
        return 400;
    return 0;
}

int http_check_target_form(const char *t, size_t len, int is_options,
                           int is_connect, int strict)
{
    const char *e = t + len;
    while (e - t >= 2 && t[0] == '/' && t[1] == '/') /* a path, not a URI */
        t++;
    if (is_connect)
        return connect_target_ok(t, e) ? 0 : 400;
    const char *s = t;
    if (s < e && isalpha((unsigned char)*s)) {
        while (s < e && (isalnum((unsigned char)*s) || *s == '+' || *s == '-' ||
                         *s == '.'))
            s++;
        s = s < e && *s == ':' ? s + 1 : t;
    }
    if (e - s >= 2 && s[0] == '/' && s[1] == '/') {
        const char *h = s + 2;
        for (s = h; s < e && *s != '/' && *s != '?' && *s != '#'; s++)
            ;
        if (authority_ok(h, s, strict) != 0)
            return 400;
    } else if (s == t) {
        /* no scheme: a ':' before the first '/' does not parse */
        const char *slash = memchr(t, '/', len);
        if (memchr(t, ':', (size_t)((slash ? slash : e) - t)) != NULL)
            return 400;
    }
    const char *path = s;
    while (s < e && *s != '?' && *s != '#')
        s++;
    if (strict && memchr(path, '#', (size_t)(e - path)) != NULL)
        return 400; /* a fragment */
    if (s > path && path[0] != '/' &&
        !(is_options && s - path == 1 && path[0] == '*'))
        return 400;
    return 0;
}

/* absolute-form: scheme "://" authority path, or scheme ":" path. */
static int parse_absolute(request *r, const char *t, const char **path)
{
    const char *p = t;
    if (!isalpha((unsigned char)*p))
        return 400;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return 400;
    size_t slen = (size_t)(p - t);
    if (!((slen == 4 && strncasecmp(t, "http", 4) == 0) ||
          (slen == 5 && strncasecmp(t, "https", 5) == 0)))
        return 400;
    p++;
    if (p[0] == '/' && p[1] == '/') {
        const char *auth = p + 2;
        const char *end = auth + strcspn(auth, "/?");
        /* only the server's own scheme names the host (Apache compares
         * with ap_http_scheme(), "http" here): for https the Host header
         * counts and the authority is not even checked */
        if (end == auth && slen == 4)
            r->hostname = ""; /* "http:///p" names an empty host: the
                               * Host header is not looked at */
        if (end > auth && slen == 4) {
            const char *a = arena_strndup(r->arena, auth, (size_t)(end - auth));
            /* the URI's port is not checked by Apache beyond syntax */
            const char *colon = a[0] == '[' ? strstr(a, "]:") : strrchr(a, ':');
            if (colon != NULL && a[0] == '[')
                colon++;
            const char *hostpart =
                colon ? arena_strndup(r->arena, a, (size_t)(colon - a)) : a;
            int port = 0;
            const char *at = strrchr(hostpart, '@');
            if (at != NULL && r->http_unsafe)
                hostpart = at + 1; /* Unsafe: userinfo is dropped */
            if (http_check_host_ex(r->arena, hostpart, &r->hostname, &port,
                                   r->http_unsafe) != 0)
                return 400;
            if (colon != NULL) {
                long n = 0;
                for (const char *q = colon + 1; isdigit((unsigned char)*q); q++)
                    n = n < 100000 ? n * 10 + (*q - '0') : n;
                r->parsed_port = (int)(n <= 65535 ? n : 0);
            }
        }
        *path = *end ? end : "/";
        return 0;
    }
    if (*p != '/')
        return 400;
    *path = p;
    return 0;
}

/* The usual origin-form target ("/a/b.html", "/x?q=1"): no fragment, no
 * escape, no dot segment, no empty segment.  Normalising changes nothing
 * there, so the path is copied once and its end found in the same pass.
 * 1 if it was (r->uri and r->args set), 0 for the general case. */
static int plain_target(request *r, const char *target)
{
    const char *p = target;
    if (*p != '/')
        return 0;
    for (;; p++) {
        char c = *p;
        if (c == '\0' || c == '?')
            break;
        if (c == '#' || c == '%' || (c == '/' && (p[1] == '.' || p[1] == '/')))
            return 0;
    }
    if (*p == '?' && strchr(p, '#') != NULL)
        return 0;
    r->uri = arena_memdup(r->arena, target, (size_t)(p - target));
    r->args = *p == '?' ? p + 1 : NULL;
    return 1;
}

/* A request line refused after its words were split: Apache has parsed
 * the target (ap_parse_uri with apr_uri_parse) but nothing more, so %U
 * and %q are its raw path and query whatever the path looks like
 * ("x.txt"), and an http URI's host and port are the request's (%V, the
 * error page's signature) though no virtual host is chosen.  A target
 * apr_uri_parse refuses (a port that is no number, an unclosed '[') is
 * %U as it is, with no host. */
static void parse_refused_target(request *r, const char *t)
{
    while (t[0] == '/' && t[1] == '/')
        t++;
    r->uri = t;
    r->args = NULL;
    const char *p = t, *scheme_end = NULL;
    if (isalpha((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
               *p == '.')
            p++;
        if (*p == ':')
            scheme_end = p++;
    }
    if (scheme_end == NULL)
        p = t;
    const char *host = NULL;
    if (t[0] != '/' && p[0] == '/' && p[1] == '/') {
        const char *hi = p + 2, *he = hi + strcspn(hi, "/?#");
        for (const char *at = he; at > hi; at--)
            if (at[-1] == '@') { /* userinfo: up to the last '@' */
                hi = at;
                break;
            }
        const char *colon, *hs = hi, *hend;
        if (*hi == '[') {
            const char *rb = memchr(hi, ']', (size_t)(he - hi));
            if (rb == NULL)
                return; /* apr_uri_parse fails: the target as it is */
            hs = hi + 1;
            hend = rb;
            colon = rb + 1 < he && rb[1] == ':' ? rb + 1 : NULL;
        } else {
            colon = memchr(hi, ':', (size_t)(he - hi));
            hend = colon ? colon : he;
        }
        if (colon != NULL && colon + 1 < he) {
            /* apr's strtol into a 16-bit port: what it read counts for
             * the signature even where the rest refuses the URI ("0"
             * given is -1 here, 0 being none) */
            long n = 0;
            const char *q = colon + 1;
            for (; q < he && isdigit((unsigned char)*q); q++)
                n = n > (LONG_MAX - 9) / 10 ? LONG_MAX : n * 10 + (*q - '0');
            r->parsed_port = (int)(n & 0xffff) ? (int)(n & 0xffff) : -1;
            if (q < he)
                return; /* a port that is no number: refused */
        }
        host = arena_strndup(r->arena, hs, (size_t)(hend - hs));
        p = he;
    }
    /* the path, then the query up to a fragment */
    size_t plen = strcspn(p, "?#");
    r->uri = plen                            ? arena_strndup(r->arena, p, plen)
             : r->method_number == M_OPTIONS ? "*"
                                             : "/";
    if (p[plen] == '?')
        r->args =
            arena_strndup(r->arena, p + plen + 1, strcspn(p + plen + 1, "#"));
    if (host != NULL && (size_t)(scheme_end - t) == 4 &&
        strncasecmp(t, "http", 4) == 0) {
        r->hostname = host;
    }
}

/* A scheme, and not the http(s) this server answers. */
static int other_scheme(const char *t)
{
    const char *p = t;
    if (!isalpha((unsigned char)*p))
        return 0;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    size_t n = (size_t)(p - t);
    return *p == ':' && !(n == 4 && strncasecmp(t, "http", 4) == 0) &&
           !(n == 5 && strncasecmp(t, "https", 5) == 0);
}

int http_parse_target(request *r, const char *target)
{
    if (plain_target(r, target))
        return 0;
    const char *path = target;
    const char *hash = strchr(target, '#');
    if (hash != NULL && !r->http_unsafe)
        return 400;
    if (hash != NULL) /* Unsafe: the fragment is dropped */
        target = path =
            arena_strndup(r->arena, target, (size_t)(hash - target));
    if (strcmp(target, "*") == 0) {
        if (r->method_number != M_OPTIONS)
            return 400;
        r->uri = "*";
        r->args = NULL;
        return 0;
    }
    if (r->method_number == M_CONNECT && target[0] != '/') {
        r->uri = target; /* authority-form */
        r->args = NULL;
        return 0;
    }
    if (target[0] == '?') {
        /* no path at all: Apache's parsed URI has none, so "/" */
        path = arena_strcat(r->arena, "/", target, (char *)NULL);
    } else if (target[0] != '/') {
        int rc = parse_absolute(r, target, &path);
        if (rc != 0 && other_scheme(target)) {
            /* "ftp://h/p": apache2 reads the head, chooses the virtual
             * host by Host and refuses it then, silently, with the URI's
             * path and query as %U and %q */
            parse_refused_target(r, target);
            r->scheme_refused = 1;
        }
        if (rc != 0)
            return rc;
    }
    if (path[0] == '?') /* "http://host?x" */
        path = arena_strcat(r->arena, "/", path, (char *)NULL);
    const char *q = strchr(path, '?');
    char *p;
    if (q != NULL) {
        p = arena_strndup(r->arena, path, (size_t)(q - path));
        r->args = q + 1;
    } else {
        p = arena_strdup(r->arena, path);
        r->args = NULL;
    }
    int rc = http_normalize_path(p, 1);
    r->uri = p;
    return rc;
}

/* ---- a head that did not parse --------------------------------------------
 */

static const char *line_word(arena *a, const char **p, const char *e)
{
    while (*p < e && (**p == ' ' || **p == '\t'))
        (*p)++;
    const char *w = *p;
    while (*p < e && **p != ' ' && **p != '\t')
        (*p)++;
    return arena_strndup(a, w, (size_t)(*p - w));
}

const char *http_absolute_authority(request *r)
{
    const char *t = r->unparsed_uri ? strstr(r->unparsed_uri, "://") : NULL;
    if (t == NULL)
        return r->hostname ? r->hostname : "";
    t += 3;
    const char *auth = arena_strndup(r->arena, t, strcspn(t, "/?"));
    const char *colon = strrchr(auth, ':');
    if (colon != NULL && strchr(colon, ']') == NULL)
        return arena_strcat(r->arena, r->hostname ? r->hostname : "", colon,
                            (char *)NULL);
    return r->hostname ? r->hostname : auth;
}

const char *http_raw_path(request *r, const char **args)
{
    const char *t = r->unparsed_uri;
    if (args)
        *args = NULL;
    if (t == NULL || *t == '\0')
        return "/";
    if (t[0] != '/' && strcmp(t, "*") != 0) { /* absolute form: the path */
        const char *auth = strstr(t, "://");
        const char *p = auth ? strchr(auth + 3, '/') : NULL;
        t = p ? p : "/";
    } else {
        while (t[0] == '/' && t[1] == '/') /* as Apache's request-line parse */
            t++;
    }
    const char *q = strchr(t, '?');
    if (q != NULL && args)
        *args = q + 1;
    return q ? arena_strndup(r->arena, t, (size_t)(q - t)) : t;
}

void http_raw_target(request *r)
{
    r->uri = http_raw_path(r, &r->args);
}

/* A request line refused for its whitespace or words after the version
 * is logged (%r) as Apache rebuilds it: method, target and the next word,
 * single spaces between ("GET  /a HTTP/1.0 x" is "GET /a HTTP/1.0"). */
static void rebuild_request_line(request *r, const char *line, size_t n)
{
    const char *w[3] = {"", "", ""};
    size_t wl[3] = {0, 0, 0};
    const char *p = line, *e = line + n;
    for (int i = 0; i < 3; i++) {
        while (p < e && isspace((unsigned char)*p))
            p++;
        w[i] = p;
        while (p < e && !isspace((unsigned char)*p))
            p++;
        wl[i] = (size_t)(p - w[i]);
    }
    char *out = arena_alloc(r->arena, n + 3), *o = out;
    for (int i = 0; i < 3 && wl[i] > 0; i++) {
        if (i > 0)
            *o++ = ' ';
        memcpy(o, w[i], wl[i]);
        o += wl[i];
    }
    *o = '\0';
    r->the_request = out;
}

void http_head_partial(request *r, const http_scan *s, const char *buf,
                       size_t len, int status, const http_limits *lim)
{
    r->protocol = "HTTP/1.0";
    r->proto_num = 1000;
    if (status == 501) /* RegisteredMethods refused it before any handler
                        * could add its methods: Allow names only TRACE */
        req_table_set(r->arena, &r->notes, "allow-methods",
                      r->rc && r->rc->trace_enable == 0 ? "" : "TRACE");
    /* %I: Apache read up to the line where the scanner stopped (a field
     * is judged, as in Apache, once the line after it is read) */
    size_t fail = s->line_start < len ? s->line_start : len;
    const char *lf = memchr(buf + fail, '\n', len - fail);
    size_t consumed = lf ? (size_t)(lf - buf) + 1 : len;
    r->header_bytes_in = (int64_t)consumed;
    size_t start = s->state == SCAN_REQLINE ? s->line_start : s->req_start;
    if (start >= len)
        return;
    const char *line = buf + start, *end = memchr(line, '\n', len - start);
    size_t n = end ? (size_t)(end - line) : len - start;
    if (status == 414 && s->state == SCAN_REQLINE) {
        /* Apache keeps what it read, the limit plus one byte, and no
         * method (%m "-") */
        if (lim && lim->line > 0 && n > (size_t)lim->line + 1)
            n = (size_t)lim->line + 1;
        r->the_request = arena_strndup(r->arena, line, n);
        r->method = NULL;
        return;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    r->the_request = arena_strndup(r->arena, line, n);
    const char *p = line, *e = line + n;
    r->method = line_word(r->arena, &p, e);
    r->method_number = req_method_number(r->method);
    /* a line Apache could not read has no method yet: no HEAD either */
    r->header_only = !s->line_error && strcmp(r->method, "HEAD") == 0;
    const char *target = line_word(r->arena, &p, e);
    const char *proto = line_word(r->arena, &p, e);
    if (strlen(proto) == 8 && strncmp(proto, "HTTP/", 5) == 0 &&
        isdigit((unsigned char)proto[5]) && proto[6] == '.' &&
        isdigit((unsigned char)proto[7]) && proto[5] != '0') {
        r->protocol = proto;
        r->proto_num = (proto[5] - '0') * 1000 + (proto[7] - '0');
    }
    if (status == 400 && s->state == SCAN_REQLINE && !s->line_error)
        rebuild_request_line(r, line, n);
    if (target[0] == '\0') {
        r->uri = "/";
        return;
    }
    r->unparsed_uri = target;
    if (s->state == SCAN_HEADERS) {
        /* refused at a header: Apache has the request line and the
         * headers before the bad one, the URI not yet decoded */
        http_raw_target(r);
        /* an absolute URI's host is already the request's (%V), but no
         * virtual host is chosen: Apache never got that far */
        request tmp = *r;
        tmp.hostname = NULL;
        (void)http_parse_target(&tmp, target); /* (a bad path too) */
        if (tmp.hostname != NULL) {
            r->hostname = tmp.hostname;
            r->parsed_port = tmp.parsed_port;
        }
        r->head_refused = 1;
        req_table *t = &r->headers_in;
        for (int i = 0; i < s->nfields; i++) {
            const http_field *f = &s->fields[i];
            if (f->val_off + f->val_len > len ||
                f->line_off + f->name_len > len)
                break;
            req_table_add(
                r->arena, t,
                arena_strndup(r->arena, buf + f->line_off, f->name_len),
                arena_strndup(r->arena, buf + f->val_off, f->val_len));
        }
        return;
    }
    if (s->line_error) { /* never read as a line: no URI either */
        http_raw_target(r);
        return;
    }
    parse_refused_target(r, target);
    r->head_refused = 1; /* a host it names chooses no virtual host */
}
