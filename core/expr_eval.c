/* expr_eval.c -- evaluating an expression tree over a request.
 *
 * Semantics are Apache 2.4's: words are strings (a missing value is the
 * empty string); -eq and friends compare the words as integers (strtoll),
 * == and friends as bytes; =~ stores the match so that $0..$9 later in the
 * same expression give its captures; && and || short-circuit.  Request
 * headers read through req(), http(), %{HTTP:...} or the HTTP_* variables
 * are merged into the response's Vary header (Host excepted, and not
 * through req_novary()), as Apache; by conditions only: apache2 2.4.71
 * adds nothing to Vary for a string expression (Header and RequestHeader
 * values, SetHandler, AuthName).
 */
#include <ctype.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "expr_int.h"
#include "http_internal.h"
#include "log.h"
#include "request.h"

#define MAX_MATCH 10

typedef struct eval_ctx {
    request *r;
    arena *a;
    const char *err;
    int vary;              /* merge read headers into Vary */
    int captures;          /* the expression uses $0-$9 */
    const char *re_source; /* subject of the last successful =~ */
    conf_regmatch_t match[MAX_MATCH];
} eval_ctx;

static const char *eval_word(eval_ctx *c, const expr_node *n);

/* ---- Vary --------------------------------------------------------------- */

/* Add name to the response's Vary once, joined with "," as Apache's
 * header filter writes it. */
static void add_vary(eval_ctx *c, const char *name)
{
    if (!c->vary || c->r == NULL)
        return;
    request *r = c->r;
    const char *cur = req_table_get(&r->headers_out, "Vary");
    if (cur == NULL) {
        req_table_set(r->arena, &r->headers_out, "Vary", name);
        return;
    }
    size_t len = strlen(name);
    for (const char *p = cur; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if ((size_t)(t - p) == len && strncasecmp(p, name, len) == 0)
            return;
        p = e;
    }
    req_table_set(r->arena, &r->headers_out, "Vary",
                  arena_strcat(r->arena, cur, ",", name, (char *)NULL));
}

/* ---- variables ---------------------------------------------------------- */

static const char *num(eval_ctx *c, long long v)
{
    return arena_printf(c->a, "%lld", v);
}

static const char *time_var(eval_ctx *c, int id)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    switch (id) {
    case EV_TIME_YEAR:
        return arena_printf(c->a, "%04d", tm.tm_year + 1900);
    case EV_TIME_MON:
        return arena_printf(c->a, "%02d", tm.tm_mon + 1);
    case EV_TIME_DAY:
        return arena_printf(c->a, "%02d", tm.tm_mday);
    case EV_TIME_HOUR:
        return arena_printf(c->a, "%02d", tm.tm_hour);
    case EV_TIME_MIN:
        return arena_printf(c->a, "%02d", tm.tm_min);
    case EV_TIME_SEC:
        return arena_printf(c->a, "%02d", tm.tm_sec);
    case EV_TIME_WDAY:
        return arena_printf(c->a, "%d", tm.tm_wday);
    default:
        return arena_printf(c->a, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
                            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                            tm.tm_sec);
    }
}

static const char *file_owner(eval_ctx *c, int group)
{
    request *r = c->r;
    if (!r->finfo_valid)
        return "<unknown>";
    char buf[1024];
    if (group) {
        struct group gr, *res = NULL;
        if (getgrgid_r(r->finfo.st_gid, &gr, buf, sizeof(buf), &res) == 0 &&
            res)
            return arena_strdup(c->a, res->gr_name);
        return num(c, (long long)r->finfo.st_gid);
    }
    struct passwd pw, *res = NULL;
    if (getpwuid_r(r->finfo.st_uid, &pw, buf, sizeof(buf), &res) == 0 && res)
        return arena_strdup(c->a, res->pw_name);
    return num(c, (long long)r->finfo.st_uid);
}

static int peer_is_ipv6(const request *r)
{
    const struct sockaddr_in6 *s6 =
        (const struct sockaddr_in6 *)&r->connection->peer;
    return s6->sin6_family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr);
}

/* A request header the result depends on: Vary names it, except Host
 * (RFC 7231 7.1.4), as Apache. */
static const char *header_in(eval_ctx *c, const char *name)
{
    if (strcasecmp(name, "Host") != 0)
        add_vary(c, name);
    return req_table_get(&c->r->headers_in, name);
}

static const char *request_var(eval_ctx *c, int id)
{
    request *r = c->r;
    const server_conf *s = r->server;
    switch (id) {
    case EV_REQUEST_METHOD:
        return r->method;
    case EV_REQUEST_SCHEME:
        return s && s->server_scheme ? s->server_scheme : "http";
    case EV_REQUEST_URI:
    case EV_DOCUMENT_URI:
        return r->uri;
    case EV_REQUEST_FILENAME:
    case EV_SCRIPT_FILENAME:
        return r->filename;
    case EV_REMOTE_HOST:
    case EV_REMOTE_ADDR:
    case EV_CONN_REMOTE_ADDR:
        return r->connection->peer_ip;
    case EV_REMOTE_PORT:
        return num(c, r->connection->peer_port);
    case EV_SERVER_ADMIN:
        return s ? s->server_admin : NULL;
    case EV_SERVER_NAME:
        return http_request_server_name(r);
    case EV_SERVER_PORT:
        return num(c, http_request_server_port(r));
    case EV_SERVER_PROTOCOL:
        return r->protocol;
    case EV_PATH_INFO:
        return r->path_info;
    case EV_QUERY_STRING:
        return r->args;
    case EV_IS_SUBREQ:
        return r->main ? "true" : "false";
    case EV_DOCUMENT_ROOT:
    case EV_CONTEXT_DOCUMENT_ROOT:
        return s ? s->document_root : NULL;
    case EV_THE_REQUEST:
        return r->the_request;
    case EV_CONTENT_TYPE:
        return r->content_type;
    case EV_HANDLER:
        return r->handler;
    case EV_SCRIPT_USER:
        return file_owner(c, 0);
    case EV_SCRIPT_GROUP:
        return file_owner(c, 1);
    case EV_LAST_MODIFIED: {
        if (!r->finfo_valid)
            return NULL;
        struct tm tm;
        localtime_r(&r->finfo.st_mtime, &tm);
        return arena_printf(c->a, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
                            tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                            tm.tm_sec);
    }
    case EV_REQUEST_STATUS:
        return num(c, r->status);
    case EV_HTTP_USER_AGENT:
        return header_in(c, "User-Agent");
    case EV_HTTP_PROXY_CONNECTION:
        return header_in(c, "Proxy-Connection");
    case EV_HTTP_REFERER:
        return header_in(c, "Referer");
    case EV_HTTP_COOKIE:
        return header_in(c, "Cookie");
    case EV_HTTP_FORWARDED:
        return header_in(c, "Forwarded");
    case EV_HTTP_HOST:
        return header_in(c, "Host");
    case EV_HTTP_ACCEPT:
        return header_in(c, "Accept");
    case EV_SERVER_SOFTWARE:
        return http_server_banner(r->rc);
    case EV_API_VERSION:
        return "20120211:140";
    case EV_REMOTE_USER:
        return r->user;
    case EV_AUTH_TYPE:
        return r->ap_auth_type;
    case EV_HTTPS:
        return "off";
    case EV_IPV6:
        return peer_is_ipv6(r) ? "on" : "off";
    default: /* REMOTE_IDENT, log ids, prefix */
        if (id >= EV_TIME_YEAR && id <= EV_TIME)
            return time_var(c, id);
        return NULL;
    }
}

/* ---- functions ------------------------------------------------------------
 */

static char *case_map(eval_ctx *c, const char *s, int upper)
{
    char *out = arena_strdup(c->a, s);
    for (char *p = out; *p; p++)
        *p = (char)(upper ? toupper((unsigned char)*p)
                          : tolower((unsigned char)*p));
    return out;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* ap_unescape_url_keep2f(s, 0): %2F stays encoded; a bad escape or %00
 * fails, and then the argument is returned unchanged. */
static const char *unescape(eval_ctx *c, const char *s)
{
    char *out = arena_alloc(c->a, strlen(s) + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        int hi = hexval((unsigned char)p[1]);
        int lo = hi >= 0 ? hexval((unsigned char)p[2]) : -1;
        if (hi < 0 || lo < 0)
            return s;
        int v = hi * 16 + lo;
        if (v == 0)
            return s;
        if (v == '/') {
            *o++ = *p;
            continue;
        }
        *o++ = (char)v;
        p += 2;
    }
    *o = '\0';
    return out;
}

static const char *ldap_escape(eval_ctx *c, const char *s)
{
    char *out = arena_alloc(c->a, strlen(s) * 3 + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (strchr("\\*()", *p)) {
            o += sprintf(o, "\\%02x", (unsigned char)*p);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static const char *read_file(eval_ctx *c, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > 64 * 1024 * 1024) {
        if (fd >= 0)
            close(fd);
        c->err = arena_printf(c->a, "Cannot open file %s", path);
        return "";
    }
    size_t want = (size_t)st.st_size, got = 0;
    char *buf = arena_alloc(c->a, want + 1);
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    return buf;
}

static const char *call(eval_ctx *c, const expr_node *n)
{
    request *r = c->r;
    const char *arg = eval_word(c, n->a);
    switch (n->num) {
    case EF_REQ:
    case EF_HTTP:
        return header_in(c, arg);
    case EF_REQ_NOVARY:
        return req_table_get(&r->headers_in, arg);
    case EF_RESP:
        return req_table_get(&r->headers_out, arg);
    case EF_REQENV:
        return req_table_get(&r->subprocess_env, arg);
    case EF_OSENV:
        return getenv(arg);
    case EF_NOTE:
        return req_table_get(&r->notes, arg);
    case EF_ENV: {
        const char *v = req_table_get(&r->subprocess_env, arg);
        return v ? v : getenv(arg);
    }
    case EF_TOLOWER:
        return case_map(c, arg, 0);
    case EF_TOUPPER:
        return case_map(c, arg, 1);
    case EF_ESCAPE:
        return req_escape_uri(c->a, arg);
    case EF_UNESCAPE:
        return unescape(c, arg);
    case EF_FILE:
        return read_file(c, arg);
    case EF_FILESIZE: {
        struct stat st;
        if (stat(arg, &st) == 0 && S_ISREG(st.st_mode))
            return num(c, (long long)st.st_size);
        return "0";
    }
    case EF_BASE64:
        return digest_base64_encode(c->a, arg, strlen(arg));
    case EF_UNBASE64: {
        size_t len;
        return digest_base64_decode(c->a, arg, &len);
    }
    case EF_SHA1: {
        char *out = arena_alloc(c->a, 41);
        digest_sha1_hex(arg, strlen(arg), out);
        return out;
    }
    case EF_MD5: {
        char *out = arena_alloc(c->a, 33);
        digest_md5_hex(arg, strlen(arg), out);
        return out;
    }
    case EF_LDAP:
        return ldap_escape(c, arg);
    }
    return NULL;
}

/* %{name:arg} with an HTTP-style name reads a header, not a function:
 * Apache's lookup maps HTTP/req/http to the same function. */

/* ---- words ----------------------------------------------------------------
 */

static const char *eval_word(eval_ctx *c, const expr_node *n)
{
    const char *v = NULL;
    if (n == NULL)
        return "";
    switch (n->op) {
    case EXO_DIGIT:
    case EXO_STRING:
        v = n->str;
        break;
    case EXO_CONCAT:
        v = arena_strcat(c->a, eval_word(c, n->a), eval_word(c, n->b),
                         (char *)NULL);
        break;
    case EXO_VAR:
        v = request_var(c, n->num);
        break;
    case EXO_STRFUNC:
        v = call(c, n);
        break;
    case EXO_BACKREF: {
        const conf_regmatch_t *m = &c->match[n->num];
        if (c->re_source && m->rm_so >= 0 && m->rm_eo >= m->rm_so)
            v = arena_strndup(c->a, c->re_source + m->rm_so,
                              (size_t)(m->rm_eo - m->rm_so));
        break;
    }
    default:
        break;
    }
    return v ? v : "";
}

/* ---- conditions ------------------------------------------------------------
 */

static int is_true_word(const char *s)
{
    return *s && strcmp(s, "0") != 0 && strcasecmp(s, "off") != 0 &&
           strcasecmp(s, "false") != 0 && strcasecmp(s, "no") != 0;
}

/* -F and -U: a sub-request says whether the file or URL is accessible. */
static int subrequest_ok(eval_ctx *c, const char *arg, int is_file)
{
    request *r = c->r;
    if (*arg == '\0' || (is_file && arg[0] != '/'))
        return 0;
    request *rr =
        is_file ? request_lookup_file(r, arg) : request_lookup_uri(r, arg);
    if (rr == NULL || rr->status != 200)
        return 0;
    return is_file ? rr->finfo_valid && S_ISREG(rr->finfo.st_mode) : 1;
}

static int unary(eval_ctx *c, const expr_node *n)
{
    const char *arg = eval_word(c, n->a);
    struct stat st;
    switch (n->num) {
    case 'n':
        return *arg != '\0';
    case 'z':
        return *arg == '\0';
    case 'T':
        return is_true_word(arg);
    case 'R':
        return n->data &&
               net_subnet_match_text(n->data, c->r->connection->peer_ip);
    case 'd':
        return stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
    case 'e':
        return stat(arg, &st) == 0;
    case 'f':
        return stat(arg, &st) == 0 && S_ISREG(st.st_mode);
    case 's':
        return stat(arg, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    case 'L':
    case 'h':
        return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
    case 'x':
        return stat(arg, &st) == 0 && (st.st_mode & S_IXUSR);
    case 'F':
        return subrequest_ok(c, arg, 1);
    case 'U':
    case 'A':
        return subrequest_ok(c, arg, 0);
    }
    return 0;
}

static int binary(eval_ctx *c, const expr_node *n)
{
    const char *left = eval_word(c, n->a);
    const char *right = eval_word(c, n->b);
    switch (n->num) {
    case EB_IPMATCH:
        return n->data && net_subnet_match_text(n->data, left);
    case EB_STRMATCH:
        return fnmatch(right, left, 0) == 0;
    case EB_STRCMATCH:
        return fnmatch(right, left, FNM_CASEFOLD) == 0;
    case EB_FNMATCH:
        return fnmatch(right, left, FNM_PATHNAME) == 0;
    }
    return 0;
}

static int regex_match(eval_ctx *c, const expr_node *n)
{
    const char *word = eval_word(c, n->a);
    conf_regmatch_t m[MAX_MATCH];
    if (!c->captures) /* no submatches wanted: a cheaper match */
        return conf_regexec(n->b->re, word, 0, NULL, 0) == 0;
    if (conf_regexec(n->b->re, word, MAX_MATCH, m, 0) != 0)
        return 0;
    c->re_source = word;
    memcpy(c->match, m, sizeof(m));
    return 1;
}

static int in_list(eval_ctx *c, const expr_node *n)
{
    const char *word = eval_word(c, n->a);
    for (const expr_node *e = n->b; e && e->op == EXO_LIST; e = e->b)
        if (strcmp(word, eval_word(c, e->a)) == 0)
            return 1;
    return 0;
}

static int eval_cond(eval_ctx *c, const expr_node *n)
{
    long long l, r;
    int cmp;
    switch (n->op) {
    case EXO_TRUE:
        return 1;
    case EXO_FALSE:
        return 0;
    case EXO_NOT:
        return !eval_cond(c, n->a);
    case EXO_OR:
        return eval_cond(c, n->a) || eval_cond(c, n->b);
    case EXO_AND:
        return eval_cond(c, n->a) && eval_cond(c, n->b);
    case EXO_UNARY:
        return unary(c, n);
    case EXO_BINARY:
        return binary(c, n);
    case EXO_EQ:
    case EXO_NE:
    case EXO_LT:
    case EXO_LE:
    case EXO_GT:
    case EXO_GE:
        l = strtoll(eval_word(c, n->a), NULL, 10);
        r = strtoll(eval_word(c, n->b), NULL, 10);
        switch (n->op) {
        case EXO_EQ:
            return l == r;
        case EXO_NE:
            return l != r;
        case EXO_LT:
            return l < r;
        case EXO_LE:
            return l <= r;
        case EXO_GT:
            return l > r;
        default:
            return l >= r;
        }
    case EXO_STR_EQ:
    case EXO_STR_NE:
    case EXO_STR_LT:
    case EXO_STR_LE:
    case EXO_STR_GT:
    case EXO_STR_GE:
        cmp = strcmp(eval_word(c, n->a), eval_word(c, n->b));
        switch (n->op) {
        case EXO_STR_EQ:
            return cmp == 0;
        case EXO_STR_NE:
            return cmp != 0;
        case EXO_STR_LT:
            return cmp < 0;
        case EXO_STR_LE:
            return cmp <= 0;
        case EXO_STR_GT:
            return cmp > 0;
        default:
            return cmp >= 0;
        }
    case EXO_REG:
        return regex_match(c, n);
    case EXO_NRE:
        return !regex_match(c, n);
    case EXO_IN:
        return in_list(c, n);
    default:
        return 0;
    }
}

/* As Apache's ap_expr_exec/ap_expr_str_exec: a failed evaluation of a
 * directive's expression is logged before the caller says its part. */
static void log_failure(const expr *e, request *r, const char *err)
{
    /* (where apache2 2.4.71 writes it, for %F: measured) */
    if (e->file != NULL && r != NULL)
        log_rerror_at(
            r, e->is_string ? "util_expr_eval.c(848)" : "util_expr_eval.c(863)",
            APLOG_ERR, e->module ? e->module : "core", 0,
            "Evaluation of expression from %s:%d failed: %s", e->file, e->line,
            err);
}

static int exec(const expr *e, request *r, const char **err, int vary)
{
    eval_ctx c;
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.a = r->arena;
    c.vary = vary;
    c.captures = e->uses_backrefs;
    for (int i = 0; i < MAX_MATCH; i++)
        c.match[i].rm_so = c.match[i].rm_eo = -1;
    int v =
        e->is_string ? *eval_word(&c, e->root) != '\0' : eval_cond(&c, e->root);
    if (c.err)
        log_failure(e, r, c.err);
    if (err)
        *err = c.err;
    return c.err ? -1 : v;
}

int expr_exec(const expr *e, request *r, const char **err)
{
    return exec(e, r, err, 1);
}

int expr_exec_re(const expr *e, request *r, int nmatch, conf_regmatch_t *m,
                 const char **source, const char **err)
{
    eval_ctx c;
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.a = r->arena;
    c.vary = 1;
    c.captures = 1;
    for (int i = 0; i < MAX_MATCH; i++)
        c.match[i].rm_so = c.match[i].rm_eo = -1;
    int v =
        e->is_string ? *eval_word(&c, e->root) != '\0' : eval_cond(&c, e->root);
    for (int i = 0; i < nmatch; i++)
        m[i] = i < MAX_MATCH ? c.match[i] : (conf_regmatch_t){-1, -1};
    *source = c.re_source;
    if (c.err)
        log_failure(e, r, c.err);
    if (err)
        *err = c.err;
    return c.err ? -1 : v;
}

int expr_exec_novary(const expr *e, request *r, const char **err)
{
    return exec(e, r, err, 0);
}

const char *expr_exec_string(const expr *e, request *r, const char **err)
{
    eval_ctx c;
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.a = r->arena;
    c.vary = 0; /* apache2 adds no Vary for a string's headers */
    c.captures = e->uses_backrefs;
    for (int i = 0; i < MAX_MATCH; i++)
        c.match[i].rm_so = c.match[i].rm_eo = -1;
    const char *v = eval_word(&c, e->root);
    if (c.err)
        log_failure(e, r, c.err);
    if (err)
        *err = c.err;
    return c.err ? NULL : v;
}
