/* log_config_write.c -- mod_log_config at run time: each finished request
 * is rendered through the compiled op lists of its server's CustomLog and
 * TransferLog targets and written with one write(2) per line, to files
 * opened O_APPEND or to piped programs.  Items are escaped as Apache's
 * ap_escape_logitem does. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "expr.h"
#include "http_internal.h"
#include "log.h"
#include "mod_log_config.h"
#include "mod_util.h"
#include "request.h"

/* ---- opening ---------------------------------------------------------------
 */

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

static void close_fd(void *p)
{
    int *fd = p;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* As Apache's piped logs: "|$cmd" through the shell; otherwise the
 * program's words run as they are, without a PATH search.  As APR does, a
 * program named by an absolute path (the shell's first word too) that
 * cannot be run is refused now (errno set). */
static int spawn_pipe(arena *a, const char *prog, int shell)
{
    char **argv = log_tokenize(a, prog);
    if (!shell && argv[0] == NULL) {
        errno = ENOENT;
        return -1;
    }
    if ((!shell || (argv[0] && argv[0][0] == '/')) &&
        access(argv[0], X_OK) != 0)
        return -1;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(pfd[0], 0);
        signal(SIGPIPE, SIG_DFL);
        if (shell)
            execl("/bin/sh", "sh", "-c", prog, (char *)NULL);
        else
            execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[0]);
    return pfd[1];
}

/* Open t (once per process).  On failure, as Apache: a file's error is
 * logged about its server s (to s's own ErrorLog if it has one); a
 * program's is a startup line for *startup (the main log as it is), or
 * logged when startup is NULL (first use in a child). */
static int open_target(resolved_config *rc, const server_conf *s, log_target *t,
                       const char **startup)
{
    if (t->origin)
        t = t->origin;
    if (t->fd >= 0 || t->failed)
        return t->failed ? -1 : 0;
    int fd = t->piped ? spawn_pipe(rc->arena, t->resolved, t->piped == 2)
                      : open(t->resolved,
                             O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        t->failed = 1;
        if (!t->piped)
            log_cerror(NULL, s, APLOG_ERR, "log_config", e,
                       "AH00649: could not open transfer log file %s.",
                       t->resolved);
        else if (startup)
            *startup = arena_printf(rc->arena,
                                    "(%d)%s: AH00104: unable to start piped "
                                    "log program '%s'",
                                    e, strerror(e), t->resolved);
        else
            log_error(APLOG_ERR, "log_config", e,
                      "AH00104: unable to start piped log program '%s'",
                      t->resolved);
        return -1;
    }
    t->fd = fd;
    arena_cleanup(rc->arena, close_fd, &t->fd);
    return 0;
}

static log_server_conf *logs_of(const server_conf *s)
{
    return s && s->module_config
               ? conf_get(s->module_config, &log_config_module)
               : NULL;
}

int log_open_targets(resolved_config *rc, const char **startup)
{
    int rv = 0;
    pthread_mutex_lock(&open_lock);
    for (server_conf *s = rc->main_server; s && rv == 0;
         s = s == rc->main_server ? rc->vhosts : s->next) {
        log_server_conf *c = logs_of(s);
        for (log_target *t = c ? c->logs : NULL; t && rv == 0; t = t->next)
            if (open_target(rc, s, t, startup) < 0)
                rv = -1; /* Apache stops at the first */
    }
    pthread_mutex_unlock(&open_lock);
    return rv;
}

/* ---- %h --------------------------------------------------------------------
 */

/* HostnameLookups Double: whether name's addresses include ip. */
static int maps_back(const char *name, const char *ip)
{
    struct addrinfo *res = NULL;
    if (getaddrinfo(name, NULL, NULL, &res) != 0)
        return 0;
    int ok = 0;
    for (struct addrinfo *a = res; a && !ok; a = a->ai_next) {
        char text[64];
        ok = getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof(text), NULL, 0,
                         NI_NUMERICHOST) == 0 &&
             strcmp(text, ip) == 0;
    }
    freeaddrinfo(res);
    return ok;
}

/* Apache's ap_get_remote_host(REMOTE_NAME): with HostnameLookups On a
 * reverse lookup of the client (Double: only a name that maps back to its
 * address), made once per connection and lower-cased; else the name a
 * "Require host" verified, else the address.  The (virtual) server's
 * setting counts: apache2 2.4.71 was measured to ignore a <Location>'s
 * for %h.  (No 'D' state: apache2's lookup runs while its worker shows
 * 'L'.) */
static const char *remote_name(request *r)
{
    conn_info *c = r->connection;
    void **sd = request_server_dir_config(r);
    const core_dir_conf *d = sd ? core_dir(sd) : NULL;
    int lookups = d && d->hostname_lookups > 0 ? d->hostname_lookups : 0;
    if (lookups && !c->remote_name_looked_up) {
        c->remote_name_looked_up = 1;
        c->remote_name[0] = '\0';
        const struct sockaddr *sa = (const struct sockaddr *)&c->peer;
        socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                  : sizeof(struct sockaddr_in);
        char host[NI_MAXHOST];
        if (getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NAMEREQD) ==
                0 &&
            strlen(host) < sizeof(c->remote_name) &&
            (lookups < 2 || maps_back(host, c->peer_ip))) {
            for (char *p = host; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            strcpy(c->remote_name, host);
        }
    }
    if (c->remote_name_looked_up && c->remote_name[0])
        return c->remote_name;
    return c->remote_host[0] ? c->remote_host : c->peer_ip;
}

/* ---- rendering
 * ---------------------------------------------------------------- */

typedef struct linebuf {
    char *p;
    size_t len, cap;
    arena *a;
} linebuf;

static void put(linebuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 512;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = arena_alloc(b->a, cap);
        if (b->len)
            memcpy(np, b->p, b->len);
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_raw(linebuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* ap_escape_logitem(): quotes, backslashes and control bytes escaped. */
static void puts_esc(linebuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char tmp[5];
        const char *rep = NULL;
        switch (c) {
        case '\b':
            rep = "\\b";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\t':
            rep = "\\t";
            break;
        case '\v':
            rep = "\\v";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '"':
            rep = "\\\"";
            break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                snprintf(tmp, sizeof(tmp), "\\x%02x", c);
                rep = tmp;
            }
        }
        if (rep)
            puts_raw(b, rep);
        else
            put(b, s, 1);
    }
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* %t and %{format}t, with Apache's begin:/end: and sec/msec/usec forms. */
static void put_time(linebuf *b, const request *r, const char *arg)
{
    int64_t us = r->request_time_us;
    char out[256];
    if (arg && strncmp(arg, "begin:", 6) == 0)
        arg += 6;
    else if (arg && strncmp(arg, "end:", 4) == 0) {
        arg += 4;
        us = now_us();
    }
    if (arg && *arg) {
        if (!strcmp(arg, "sec")) {
            snprintf(out, sizeof(out), "%lld", (long long)(us / 1000000));
            puts_raw(b, out);
            return;
        }
        if (!strcmp(arg, "msec")) {
            snprintf(out, sizeof(out), "%lld", (long long)(us / 1000));
            puts_raw(b, out);
            return;
        }
        if (!strcmp(arg, "usec")) {
            snprintf(out, sizeof(out), "%lld", (long long)us);
            puts_raw(b, out);
            return;
        }
        if (!strcmp(arg, "msec_frac")) {
            snprintf(out, sizeof(out), "%03lld", (long long)(us / 1000 % 1000));
            puts_raw(b, out);
            return;
        }
        if (!strcmp(arg, "usec_frac")) {
            snprintf(out, sizeof(out), "%06lld", (long long)(us % 1000000));
            puts_raw(b, out);
            return;
        }
    }
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    localtime_r(&t, &tm);
    if (arg && *arg) {
        if (strftime(out, sizeof(out), arg, &tm) == 0)
            out[0] = '\0';
        puts_raw(b, out);
        return;
    }
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    char date[64];
    strftime(date, sizeof(date), "%d/%b/%Y:%H:%M:%S", &tm);
    snprintf(out, sizeof(out), "[%s %c%.2ld%.2ld]", date, sign, off / 60,
             off % 60);
    puts_raw(b, out);
}

/* %p: the server's port (ServerName's or the vhost's), never the
 * client's Host port, as mod_log_config's canonical form */
static int server_port(const request *r)
{
    if (r->server && r->server->port)
        return r->server->port;
    return 80;
}

static const char *cookie(request *r, const char *name)
{
    const char *c = req_table_get(&r->headers_in, "Cookie");
    size_t n = strlen(name);
    while (c && *c) {
        while (*c == ' ' || *c == ';')
            c++;
        if (strncmp(c, name, n) == 0 && c[n] == '=') {
            const char *v = c + n + 1, *end = strchr(v, ';');
            return arena_strndup(r->arena, v,
                                 end ? (size_t)(end - v) : strlen(v));
        }
        c = strchr(c, ';');
    }
    return NULL;
}

/* %O: the response head the engine wrote plus the body bytes sent. */
static int64_t bytes_out(const request *orig, const request *fin)
{
    const http_conn *c = orig->engine;
    int64_t body = (fin->header_only || fin->no_body) ? 0 : fin->bytes_sent;
    return (c ? (int64_t)c->head_len : 0) + body;
}

/* %L and %{c}L: "-" unless an error-log line was written for the request
 * (or, for c, the connection so far); then its id (log.c makes it once). */
static const char *log_id(request *orig, const char *arg)
{
    conn_info *c = orig->connection;
    if (arg && strcmp(arg, "c") == 0)
        return c->log_lines == 0 && c->log_id[0] == '\0' ? NULL
                                                         : log_conn_id(c);
    if (c->log_lines == orig->log_lines_before && orig->log_id == NULL)
        return NULL;
    return log_request_id(orig);
}

/* MaxKeepAliveRequests of the request's server (0: unlimited). */
static int max_keepalive(const request *r)
{
    const server_conf *s = r->server ? r->server : r->rc->main_server;
    return s->max_keepalive_requests == UNSET ? 100 : s->max_keepalive_requests;
}

/* %k and %X as Apache's mod_log_config computes them when it writes the
 * line: the keep-alives granted so far less one, and "+" while the
 * connection is kept with requests left to grant. */
static const char *late_value(arena *a, const conn_info *c, char code,
                              int max_ka)
{
    if (code == 'k')
        return arena_printf(a, "%u", c->ka_granted ? c->ka_granted - 1 : 0);
    if (c->aborted)
        return "X";
    return c->ka_kept && (max_ka == 0 || (unsigned)max_ka > c->ka_granted)
               ? "+"
               : "-";
}

/* ---- lines Apache writes late -----------------------------------------------
 * A request whose answer Apache keeps buffered (conn_info.hold_log) is
 * rendered at once, its %k and %X left out and filled in when the line
 * is written: before the next line that is not held, or when the
 * connection ends.  Apache writes its buffer at the sixth answer at the
 * latest (MAX_REQUESTS_IN_PIPELINE). */

#define MAX_HELD_REQUESTS 5
#define MAX_LATE_ITEMS 8

typedef struct late_item {
    size_t at; /* offset in the text */
    char code; /* 'k' or 'X' */
    int max_ka;
} late_item;

typedef struct held_line {
    log_target *t;
    char *text; /* malloc'd */
    size_t len;
    int nlate;
    late_item late[MAX_LATE_ITEMS];
    struct held_line *next;
} held_line;

typedef struct held_lines {
    held_line *head, **tail;
    int nrequests;
} held_lines;

/* Collects where late items go while a held line is rendered. */
typedef struct late_sink {
    int n;
    late_item v[MAX_LATE_ITEMS];
} late_sink;

static void write_line(const log_target *t, const char *p, size_t len);

static void flush_held(conn_info *c)
{
    held_lines *h = c->log_held;
    if (h == NULL)
        return;
    for (held_line *l = h->head, *next; l; l = next) {
        next = l->next;
        size_t extra = (size_t)l->nlate * 16;
        char *out = malloc(l->len + extra + 1);
        if (out != NULL) {
            size_t o = 0, from = 0;
            char num[24];
            for (int i = 0; i < l->nlate; i++) {
                memcpy(out + o, l->text + from, l->late[i].at - from);
                o += l->late[i].at - from;
                from = l->late[i].at;
                if (l->late[i].code == 'k')
                    snprintf(num, sizeof(num), "%u",
                             c->ka_granted ? c->ka_granted - 1 : 0);
                else
                    snprintf(num, sizeof(num), "%s",
                             c->aborted ? "X"
                             : c->ka_kept && (l->late[i].max_ka == 0 ||
                                              (unsigned)l->late[i].max_ka >
                                                  c->ka_granted)
                                 ? "+"
                                 : "-");
                size_t n = strlen(num);
                memcpy(out + o, num, n);
                o += n;
            }
            memcpy(out + o, l->text + from, l->len - from);
            o += l->len - from;
            write_line(l->t, out, o);
            free(out);
        }
        free(l->text);
        free(l);
    }
    free(h);
    c->log_held = NULL;
}

static void hold_line(conn_info *c, log_target *t, const linebuf *b,
                      const late_sink *late)
{
    held_lines *h = c->log_held;
    if (h == NULL) {
        h = calloc(1, sizeof(*h));
        if (h == NULL)
            goto now;
        h->tail = &h->head;
        c->log_held = h;
    }
    held_line *l = calloc(1, sizeof(*l));
    char *text = l ? malloc(b->len ? b->len : 1) : NULL;
    if (text == NULL) {
        free(l);
        goto now;
    }
    memcpy(text, b->p, b->len);
    l->t = t;
    l->text = text;
    l->len = b->len;
    l->nlate = late->n;
    memcpy(l->late, late->v, sizeof(late->v));
    *h->tail = l;
    h->tail = &l->next;
    return;
now: /* no memory to hold it: written with the values as they are */
    write_line(t, b->p, b->len);
}

void log_config_connection_end(conn_info *c)
{
    flush_held(c);
}

/* The value of one %-item, or NULL for "-"; *raw when not to be escaped. */
static const char *item_value(request *orig, request *fin, const log_item *it,
                              int *raw)
{
    int dflt_orig = strchr("rDTUsRL", it->code[0]) != NULL;
    request *r = (it->orig_given ? it->want_orig : dflt_orig) ? orig : fin;
    arena *a = orig->arena;
    conn_info *c = orig->connection;
    const char *arg = it->arg;
    *raw = 0;
    switch (it->code[0]) {
    case 'h': /* HostnameLookups' name, or a double-reverse lookup's */
        return remote_name(orig);
    case 'a':
        return c->peer_ip;
    case 'A':
        return c->local_ip;
    case 'b':
    case 'B': {
        int64_t n = fin->header_only ? 0 : fin->bytes_sent;
        if (n == 0 && it->code[0] == 'b')
            return NULL;
        *raw = 1;
        return arena_printf(a, "%lld", (long long)n);
    }
    case 'D':
        *raw = 1;
        return arena_printf(a, "%lld",
                            (long long)(now_us() - orig->request_time_us));
    case 'T': {
        int64_t d = now_us() - orig->request_time_us;
        *raw = 1;
        if (arg && !strcmp(arg, "ms"))
            return arena_printf(a, "%lld", (long long)(d / 1000));
        if (arg && !strcmp(arg, "us"))
            return arena_printf(a, "%lld", (long long)d);
        return arena_printf(a, "%lld", (long long)(d / 1000000));
    }
    case 'f':
        return r->filename;
    case 'H':
        return r->protocol;
    case 'k':
        *raw = 1;
        return late_value(a, c, 'k', 0);
    case 'L':
        return log_id(orig, arg);
    case 'l':
        return NULL;
    case 'u': /* the user sent, right or wrong; "" quoted (Apache) */
        if (r->user && r->user[0] == '\0') {
            *raw = 1;
            return "\"\"";
        }
        return r->user;
    case 'm':
        return r->method;
    case 'p':
        *raw = 1;
        if (arg && !strcasecmp(arg, "remote"))
            return arena_printf(a, "%d", c->peer_port);
        if (arg && !strcasecmp(arg, "local"))
            return arena_printf(a, "%d", c->local_port);
        return arena_printf(a, "%d", server_port(r));
    case 'P':
        *raw = 1;
        if (arg && (!strcasecmp(arg, "tid") || !strcasecmp(arg, "hextid")))
            return arena_printf(a, !strcasecmp(arg, "tid") ? "%ld" : "%lx",
                                (long)syscall(SYS_gettid));
        return arena_printf(a, "%ld", (long)getpid());
    case 'q':
        return r->args ? arena_strcat(a, "?", r->args, (char *)NULL) : "";
    case 'r':
        return r->the_request;
    case 'R':
        return r->handler;
    case 's':
        *raw = 1;
        return arena_printf(a, "%d", r->status);
    case 'U':
        return r->uri;
    case 'v':
        return r->server ? r->server->server_name : NULL;
    case 'V': { /* ap_get_server_name(): UseCanonicalName decides */
        void **cfg = r->per_dir_config ? r->per_dir_config
                                       : request_server_dir_config(r);
        core_dir_conf *d = cfg ? core_dir(cfg) : NULL;
        int canonical = d && d->use_canonical_name == 1;
        if (r->hostname && !canonical) {
            size_t n = strlen(r->hostname); /* "[::1]" is logged "::1" */
            if (n >= 2 && r->hostname[0] == '[' && r->hostname[n - 1] == ']')
                return arena_strndup(r->arena, r->hostname + 1, n - 2);
            return r->hostname;
        }
        return r->server ? r->server->server_name : NULL;
    }
    case 'X':
        *raw = 1;
        return late_value(a, c, 'X', max_keepalive(orig));
    case 'I':
        *raw = 1;
        return arena_printf(
            a, "%lld",
            (long long)(orig->header_bytes_in + orig->body_bytes_in));
    case 'O':
    case 'S':
        *raw = 1;
        return arena_printf(
            a, "%lld",
            (long long)(bytes_out(orig, fin) +
                        (it->code[0] == 'S'
                             ? orig->header_bytes_in + orig->body_bytes_in
                             : 0)));
    case 'i':
        return arg ? req_table_get(&r->headers_in, arg) : NULL;
    case 'o': {
        if (arg == NULL)
            return NULL;
        if (!strcasecmp(arg, "Content-Type") && r->content_type) {
            size_t n = strcspn(r->content_type, "; \t");
            return arena_strndup(a, r->content_type, n);
        }
        return http_logged_header_out(r, arg);
    }
    case 'e':
        return arg ? req_table_get(&r->subprocess_env, arg) : NULL;
    case 'n':
        return arg ? req_table_get(&r->notes, arg) : NULL;
    case 'C':
        return arg ? cookie(r, arg) : NULL;
    default: /* %^ti %^to: no trailers */
        return NULL;
    }
}

static int status_listed(const log_item *it, int status)
{
    if (it->nconditions == 0)
        return 1;
    int in = 0;
    for (int i = 0; i < it->nconditions; i++)
        if (it->conditions[i] == status)
            in = 1;
    return it->negate ? !in : in;
}

static void render(linebuf *b, request *orig, request *fin, const log_fmt *f,
                   late_sink *late)
{
    for (int i = 0; i < f->nitems; i++) {
        const log_item *it = &f->items[i];
        if (it->code[0] == '\0') {
            puts_raw(b, it->text ? it->text : "");
            continue;
        }
        if (!status_listed(it, orig->status)) {
            puts_raw(b, "-");
            continue;
        }
        if (it->code[0] == 't') {
            put_time(b, orig, it->arg);
            continue;
        }
        if (late && (it->code[0] == 'k' || it->code[0] == 'X') &&
            late->n < MAX_LATE_ITEMS) {
            late_item *li = &late->v[late->n++];
            li->at = b->len;
            li->code = it->code[0];
            li->max_ka = max_keepalive(orig);
            continue;
        }
        int raw = 0;
        const char *v = item_value(orig, fin, it, &raw);
        if (v == NULL)
            puts_raw(b, "-");
        else if (raw)
            puts_raw(b, v);
        else
            puts_esc(b, v);
    }
}

static int wanted(request *r, const log_target *t)
{
    if (t->expr) {
        const char *err = NULL;
        int v = expr_exec(t->expr, r, &err);
        if (v < 0)
            log_rerror(r, APLOG_WARNING, "log_config", 0,
                       "AH00644: Error evaluating log "
                       "condition: %s",
                       err);
        return v > 0;
    }
    if (t->env == NULL)
        return 1;
    int set = req_table_get(&r->subprocess_env, t->env) != NULL;
    return t->env_negate ? !set : set;
}

/* A piped program that died must not kill the server with SIGPIPE: the
 * signal is blocked for this thread around the write and a pending one
 * is consumed. */
static void write_line(const log_target *t, const char *p, size_t len)
{
    if (!t->piped) {
        ssize_t n = write(t->fd, p, len);
        (void)n;
        return;
    }
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t n = write(t->fd, p, len);
    if (n < 0 && errno == EPIPE) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void log_config_transaction(request *r)
{
    if (r == NULL || r->server == NULL)
        return;
    request *fin = r;
    while (fin->next)
        fin = fin->next;
    if (fin->failed_redirect)
        fin = fin->failed_redirect;
    conn_info *ci = r->connection;
    const held_lines *h = ci->log_held;
    int hold = ci->hold_log && (h == NULL || h->nrequests < MAX_HELD_REQUESTS);
    if (!hold)
        flush_held(ci);
    log_server_conf *c = logs_of(r->server);
    if (c == NULL || c->logs == NULL)
        return;
    for (log_target *lt = c->logs; lt; lt = lt->next) {
        log_target *t = lt->origin ? lt->origin : lt;
        if (!wanted(r, t))
            continue;
        if (t->fd < 0 && !t->failed) {
            pthread_mutex_lock(&open_lock);
            open_target(r->rc, r->server, t, NULL);
            pthread_mutex_unlock(&open_lock);
        }
        if (t->fd < 0)
            continue;
        const log_fmt *f = log_target_format(c, lt);
        linebuf b = {.a = r->arena};
        if (f == NULL) {
            log_fmt *df = NULL;
            log_compile_format(r->arena, LOG_DEFAULT_FORMAT, &df);
            f = df;
        }
        late_sink late = {0};
        render(&b, r, fin, f, hold ? &late : NULL);
        if (hold)
            hold_line(ci, t, &b, &late);
        else
            write_line(t, b.p, b.len);
    }
    if (hold && ci->log_held)
        ((held_lines *)ci->log_held)->nrequests++;
}
