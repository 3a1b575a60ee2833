/* log.c -- the error log in Apache's format; see log.h.
 *
 * Until log_open() succeeds, lines go to stderr (fd 2).  Each line is built
 * in one buffer and written with one write(2), so lines from several
 * threads or processes sharing the descriptor (O_APPEND) never interleave.
 */
#include "log.h"
#include "request.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static int log_fd = 2; /* where lines go */
/* The "descriptor" of ErrorLog syslog: lines go through syslog(3). */
#define LOG_FD_SYSLOG INT_MAX
#define REAL_FD(fd) ((fd) > 2 && (fd) != LOG_FD_SYSLOG)
static int log_level = APLOG_WARNING;

/* LogLevel MODULE:LEVEL of the main server, copied out of the generation
 * (which a reload releases). */
#define MAX_MODULE_LEVELS 32
static struct {
    char module[32];
    int level;
} module_levels[MAX_MODULE_LEVELS];
static int nmodule_levels;

static void set_module_levels(const server_conf *s)
{
    nmodule_levels = 0;
    for (const module_log_level *m = s->module_levels;
         m != NULL && nmodule_levels < MAX_MODULE_LEVELS; m = m->next) {
        if (m->module == NULL ||
            strlen(m->module) >= sizeof(module_levels[0].module))
            continue;
        strcpy(module_levels[nmodule_levels].module, m->module);
        module_levels[nmodule_levels].level = m->level;
        nmodule_levels++;
    }
}

static int level_for(const char *module)
{
    for (int i = 0; module != NULL && i < nmodule_levels; i++)
        if (strcmp(module_levels[i].module, module) == 0)
            return module_levels[i].level;
    return log_level;
}

/* The level MODULE:LEVEL pairs give module, or -1. */
static int pair_level(const module_log_level *m, const char *module)
{
    for (; m != NULL && module != NULL; m = m->next)
        if (m->module != NULL && strcmp(m->module, module) == 0)
            return m->level;
    return -1;
}

module_log_level *log_levels_concat(arena *a, module_log_level *inner,
                                    module_log_level *outer)
{
    if (inner == NULL)
        return outer;
    if (outer == NULL)
        return inner;
    module_log_level *head = NULL, **tail = &head;
    for (const module_log_level *m = inner; m; m = m->next) {
        module_log_level *c = arena_alloc(a, sizeof(*c));
        *c = *m;
        *tail = c;
        tail = &c->next;
    }
    *tail = outer;
    return head;
}

/* The LogLevel that applies to a request's message: the merged sections'
 * (once the walk ran), else its server's. */
static int request_level(const request *r, const char *module)
{
    const server_conf *s = r ? r->server : NULL;
    if (s == NULL)
        return level_for(module);
    const core_dir_conf *d =
        r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
    int lv = d ? pair_level(d->module_levels, module) : -1;
    if (lv >= 0)
        return lv;
    if (d && d->log_level != UNSET)
        return d->log_level;
    lv = pair_level(s->module_levels, module);
    if (lv >= 0)
        return lv;
    return s->log_level >= APLOG_EMERG ? s->log_level : log_level;
}

static int server_level(const server_conf *s, const char *module)
{
    if (s == NULL)
        return level_for(module);
    int lv = pair_level(s->module_levels, module);
    if (lv >= 0)
        return lv;
    return s->log_level >= APLOG_EMERG ? s->log_level : log_level;
}

/* Apache writes notices whatever LogLevel says (startup, shutdown). */
static int passes(int level, int allowed)
{
    return level <= allowed || level == APLOG_NOTICE;
}

int log_rlevel_ok(const request *r, int level, const char *module)
{
    return passes(level, request_level(r, module));
}
static void set_main_format(const server_conf *s);
static pid_t log_pipe_pid; /* ErrorLog "|program" child, or 0 */
static char log_errbuf[PATH_MAX + 256];

static const char *const level_names[] = {
    "emerg",  "alert",  "crit",   "error",  "warn",   "notice",
    "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
    "trace5", "trace6", "trace7", "trace8",
};

const char *log_level_name(int level)
{
    if (level < 0 || level > APLOG_TRACE8)
        return "error";
    return level_names[level];
}

void log_set_level(int level)
{
    log_level = level;
}

/* The path an ErrorLog names, made absolute against ServerRoot; NULL for
 * a pipe or syslog. */
static const char *spec_path(const resolved_config *rc, const char *p,
                             char *buf, size_t size)
{
    if (p == NULL || *p == '\0')
        p = "logs/error_log";
    if (p[0] == '|' || strncmp(p, "syslog", 6) == 0)
        return NULL;
    if (p[0] == '/' || rc->server_root == NULL)
        snprintf(buf, size, "%s", p);
    else
        snprintf(buf, size, "%s/%s", rc->server_root, p);
    return buf;
}

static const char *error_log_path(const resolved_config *rc, char *buf,
                                  size_t size)
{
    return spec_path(rc, rc->main_server ? rc->main_server->error_log : NULL,
                     buf, size);
}

int log_check(const resolved_config *rc, const char **err)
{
    char path[PATH_MAX], dir[PATH_MAX];
    *err = NULL;
    if (error_log_path(rc, path, sizeof(path)) == NULL)
        return 0;
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        return 0;
    slash[1] = '\0';
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    int e = errno;
    if (e == 0 || (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)))
        e = ENOTDIR;
    snprintf(log_errbuf, sizeof(log_errbuf),
             "(%d)%s: AH02291: Cannot access directory '%s' for main error log",
             e, strerror(e), dir);
    *err = log_errbuf;
    return -1;
}

/* apr_tokenize_to_argv(): words split on blanks, "..." and '...' quote,
 * backslash escapes the next character. */
char **log_tokenize(arena *a, const char *s)
{
    size_t cap = 8, n = 0;
    char **argv = arena_alloc(a, sizeof(char *) * cap);
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        char *w = arena_alloc(a, strlen(s) + 1), *d = w;
        char q = 0;
        for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
            if (*s == '\\' && s[1]) {
                *d++ = *++s;
            } else if (q && *s == q) {
                q = 0;
            } else if (!q && (*s == '"' || *s == '\'')) {
                q = *s;
            } else {
                *d++ = *s;
            }
        }
        *d = '\0';
        if (n + 2 > cap) {
            char **nv = arena_alloc(a, sizeof(char *) * cap * 2);
            memcpy(nv, argv, sizeof(char *) * n);
            argv = nv;
            cap *= 2;
        }
        argv[n++] = w;
    }
    argv[n] = NULL;
    return argv;
}

/* Apache's piped ErrorLog: "|prog" and "||prog" run prog's words as they
 * are (no shell, no PATH search), "|$prog" runs it through the shell
 * (AH00089 names it as written, after the first '|');
 * *pid is the child (the MPM's parent reaps it when it exits). */
static int open_pipe(arena *a, const char *spec, pid_t *pid, const char **err)
{
    const char *prog = spec + 1;
    if (*prog == '|')
        prog++;
    int shell = *prog == '$';
    prog += shell;
    char **argv = log_tokenize(a, prog);
    int fds[2];
    /* as APR: an absolute program (the shell's first word too) that
     * cannot be run is refused now */
    if (!shell && argv[0] == NULL) {
        errno = ENOENT;
        goto fail;
    }
    if ((!shell || (argv[0] && argv[0][0] == '/')) &&
        access(argv[0], X_OK) != 0)
        goto fail;
    if (pipe2(fds, O_CLOEXEC) < 0)
        goto fail;
    *pid = fork();
    if (*pid < 0) {
        close(fds[0]);
        close(fds[1]);
        goto fail;
    }
    if (*pid == 0) {
        dup2(fds[0], 0);
        setsid();
        if (shell)
            execl("/bin/sh", "sh", "-c", prog, (char *)NULL);
        else
            execv(argv[0], argv);
        _exit(127);
    }
    close(fds[0]);
    return fds[1];
fail:
    snprintf(log_errbuf, sizeof(log_errbuf),
             "(%d)%s: AH00089: Couldn't start ErrorLog process '%s'.", errno,
             strerror(errno), spec + 1);
    *err = log_errbuf;
    return -1;
}

static void syslog_format_init(void);

/* ErrorLog syslog[:facility] (local7 when none is named): openlog() with
 * the program's name and its pid, as Apache does; lines then go through
 * syslog(3), at their own level, without the default format's date (the
 * syslog header has one).  As in Apache, the facility is the process's:
 * the last ErrorLog syslog:... opened names it for all. */
static int open_syslog(const resolved_config *rc, const char *spec,
                       const char **err)
{
    static const struct {
        const char *name;
        int facility;
    } facilities[] = {
        {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV},
        {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
        {"ftp", LOG_FTP},       {"kern", LOG_KERN},
        {"lpr", LOG_LPR},       {"mail", LOG_MAIL},
        {"news", LOG_NEWS},     {"syslog", LOG_SYSLOG},
        {"user", LOG_USER},     {"uucp", LOG_UUCP},
        {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
        {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
        {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
        {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    };
    static char ident[64];
    int facility = LOG_LOCAL7;
    if (spec[6] == ':') {
        size_t i = 0, n = sizeof(facilities) / sizeof(facilities[0]);
        while (i < n && strcasecmp(spec + 7, facilities[i].name) != 0)
            i++;
        if (i == n) {
            snprintf(log_errbuf, sizeof(log_errbuf),
                     "(20024)The given path is misformatted or contained "
                     "invalid characters: AH10036: %s: could not open "
                     "syslog error log %s.",
                     rc->argv0 ? rc->argv0 : "httpd", spec + 7);
            *err = log_errbuf;
            return -1;
        }
        facility = facilities[i].facility;
    } else if (spec[6] != '\0') {
        snprintf(log_errbuf, sizeof(log_errbuf),
                 "(20024)The given path is misformatted or contained "
                 "invalid characters: AH10036: %s: could not open syslog "
                 "error log %s.",
                 rc->argv0 ? rc->argv0 : "httpd", spec + 6);
        *err = log_errbuf;
        return -1;
    }
    const char *name = rc->argv0 ? rc->argv0 : "httpd";
    const char *slash = strrchr(name, '/');
    snprintf(ident, sizeof(ident), "%s", slash ? slash + 1 : name);
    syslog_format_init(); /* before any thread logs */
    openlog(ident, LOG_NDELAY | LOG_CONS | LOG_PID, facility);
    return LOG_FD_SYSLOG;
}

/* Open what an ErrorLog names: a descriptor above 2, LOG_FD_SYSLOG, or -1
 * with *err set. */
static int open_spec(const resolved_config *rc, const char *spec, pid_t *pid,
                     const char **err)
{
    char path[PATH_MAX];
    int fd;
    *pid = 0;
    if (spec != NULL && spec[0] == '|') {
        fd = open_pipe(rc->arena, spec, pid, err);
    } else if (spec != NULL && strncmp(spec, "syslog", 6) == 0) {
        return open_syslog(rc, spec, err);
    } else {
        spec_path(rc, spec, path, sizeof(path));
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            int e = errno;
            snprintf(log_errbuf, sizeof(log_errbuf),
                     "(%d)%s: AH00091: %s: could not open error log file %s.",
                     e, strerror(e), rc->argv0 ? rc->argv0 : "httpd", path);
            *err = log_errbuf;
            return -1;
        }
    }
    if (fd >= 0 && fd <= 2) { /* 0 means "the main log" to a vhost */
        int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        fd = high;
    }
    return fd;
}

static void close_vhost_log(void *p)
{
    server_conf *s = p;
    if (REAL_FD(s->error_fd))
        close(s->error_fd);
    s->error_fd = 0;
}

/* Apache's ap_open_logs(): a vhost with an ErrorLog of its own gets its
 * own descriptor, shared with an earlier server that names the same log;
 * the others write to the main log.  The generation's arena closes them. */
static int open_vhost_logs(resolved_config *rc, const char **err)
{
    const server_conf *m = rc->main_server;
    for (server_conf *v = rc->vhosts; v; v = v->next) {
        v->error_fd = 0;
        if (v->error_log == NULL || v->error_log == m->error_log ||
            strcmp(v->error_log, m->error_log) == 0)
            continue;
        const server_conf *q = rc->vhosts;
        for (; q != v; q = q->next)
            if (strcmp(q->error_log, v->error_log) == 0)
                break;
        if (q != v) {
            v->error_fd = q->error_fd;
            continue;
        }
        pid_t pid;
        int fd = open_spec(rc, v->error_log, &pid, err);
        if (fd < 0)
            return -1;
        v->error_fd = fd;
        if (fd > 0)
            arena_cleanup(rc->arena, close_vhost_log, v);
    }
    return 0;
}

int log_open(resolved_config *rc, const char **err)
{
    const char *spec = rc->main_server ? rc->main_server->error_log : NULL;
    *err = NULL;
    if (rc->main_server != NULL) {
        if (rc->main_server->log_level >= APLOG_EMERG)
            log_level = rc->main_server->log_level;
        set_module_levels(rc->main_server);
        set_main_format(rc->main_server);
    }
    pid_t pid;
    int fd = open_spec(rc, spec, &pid, err);
    if (fd < 0)
        return -1;
    if (fd > 0) { /* (syslog: keep what we had) */
        if (pid > 0)
            log_pipe_pid = pid;
        int old = log_fd;
        log_fd = fd;
        if (REAL_FD(old))
            close(old);
    }
    if (rc->main_server != NULL && open_vhost_logs(rc, err) < 0) {
        /* as Apache, whose stderr is the main log by then: the caller's
         * message goes there */
        log_redirect_stderr();
        return -1;
    }
    return 0;
}

void log_redirect_stderr(void)
{
    if (log_fd == LOG_FD_SYSLOG) { /* as Apache: stderr is dropped */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, 2);
            if (null != 2)
                close(null);
        }
    } else if (log_fd > 2) {
        dup2(log_fd, 2);
    }
}

void log_close(void)
{
    if (REAL_FD(log_fd))
        close(log_fd);
    log_fd = 2;
    if (log_pipe_pid > 0) {
        waitpid(log_pipe_pid, NULL, WNOHANG);
        log_pipe_pid = 0;
    }
}

int log_fileno(void)
{
    return log_fd;
}

/* ---- ErrorLogFormat ------------------------------------------------------
 * A format is a list of items: literal text, a %-item, or a field
 * separator (a literal that starts with an unescaped space, or "% ").  An
 * item that yields nothing drops its whole field, from the separator
 * before it to the next one, unless it carries '-' (then "-") or '+' (then
 * the whole line is dropped: once-per-request/connection formats only).
 * %7F and the like are dropped below that message level.
 */

enum { EF_SEP = 1, EF_REQUIRED = 2, EF_HYPHEN = 4 };

typedef struct log_erritem {
    char code; /* 0: literal text */
    unsigned char flags;
    signed char min_level; /* -1: any level */
    const char *arg;       /* {arg} */
    const char *text;      /* literal text */
} log_erritem;

struct log_errfmt {
    int nitems;
    log_erritem *items;
    const char *source;
    const struct log_errfmt *next; /* next once-per-* line */
};

static const char errfmt_codes[] = "aAeEFiklLmMnPtTvV";

static const char *errfmt_literal(arena *a, log_erritem *it, const char **sp)
{
    const char *s = *sp;
    char *out = arena_alloc(a, strlen(s) + 1), *d = out;
    int at_start = 1;
    if (*s == ' ')
        it->flags |= EF_SEP;
    while (*s && *s != '%' && (*s != ' ' || at_start)) {
        if (*s != '\\') {
            if (*s != ' ')
                at_start = 0;
            *d++ = *s++;
            continue;
        }
        s++;
        switch (*s) {
        case 'r':
            *d++ = '\r';
            s++;
            break;
        case 'n':
            *d++ = '\n';
            s++;
            break;
        case 't':
            *d++ = '\t';
            s++;
            break;
        case '\0':
            *d++ = '\\';
            break;
        default:
            *d++ = *s++;
            break;
        }
    }
    *d = '\0';
    it->text = out;
    *sp = s;
    return NULL;
}

static const char *errfmt_item(arena *a, log_erritem *it, const char **sp)
{
    const char *s = *sp + 1; /* past '%' */
    it->min_level = -1;
    if (*s == '%' || *s == ' ') {
        it->text = *s == '%' ? "%" : "";
        if (*s == ' ')
            it->flags |= EF_SEP;
        *sp = s + 1;
        return NULL;
    }
    for (;;) {
        switch (*s) {
        case '\0':
            return "Ran off end of error log format parsing args to some "
                   "directive";
        case '+':
            it->flags |= EF_REQUIRED;
            s++;
            continue;
        case '-':
            it->flags |= EF_HYPHEN;
            s++;
            continue;
        case '{': {
            const char *close = strchr(++s, '}');
            if (close == NULL)
                return "Ran off end of error log format parsing args to "
                       "some directive";
            it->arg = arena_strndup(a, s, (size_t)(close - s));
            s = close + 1;
            continue;
        }
        default:
            break;
        }
        if (*s >= '0' && *s <= '9') {
            int v = 0;
            while (*s >= '0' && *s <= '9' && v < 1000)
                v = v * 10 + (*s++ - '0');
            if (v > APLOG_TRACE8)
                return "The specified loglevel modifier is out of range";
            it->min_level = (signed char)v;
            continue;
        }
        if (strchr(errfmt_codes, *s) == NULL)
            return arena_printf(a,
                                "Unrecognized error log format directive "
                                "%%%c",
                                *s);
        it->code = *s;
        *sp = s + 1;
        return NULL;
    }
}

const char *log_errfmt_compile(arena *a, const char *fmt,
                               enum log_errfmt_kind kind, log_errfmt **out)
{
    log_errfmt *f = arena_calloc(a, sizeof(*f));
    size_t cap = strlen(fmt) + 1;
    f->items = arena_calloc(a, sizeof(*f->items) * cap);
    f->source = arena_strdup(a, fmt);
    int seen_message = 0;
    const char *s = fmt;
    while (*s && (size_t)f->nitems < cap) {
        log_erritem *it = &f->items[f->nitems++];
        const char *err =
            *s == '%' ? errfmt_item(a, it, &s) : errfmt_literal(a, it, &s);
        if (err)
            return err;
        if (it->code == 'M') {
            if (kind != LOG_ERRFMT_MAIN)
                return "%M cannot be used in once-per-request or "
                       "once-per-connection formats";
            seen_message = 1;
        }
        if ((it->flags & EF_REQUIRED) && kind == LOG_ERRFMT_MAIN)
            return "The '+' flag cannot be used in the main error log format";
    }
    if (kind == LOG_ERRFMT_MAIN && !seen_message)
        return "main ErrorLogFormat must contain message format string '%M'";
    *out = f;
    return NULL;
}

const log_errfmt *log_errfmt_append(arena *a, const log_errfmt *list,
                                    log_errfmt *f)
{
    (void)a;
    if (list == NULL)
        return f;
    const log_errfmt *last = list;
    while (last->next)
        last = last->next;
    ((log_errfmt *)last)->next = f;
    return list;
}

/* Apache's default line:
 *   [%{u}t] [%-m:%l] [pid %P:tid %T] %7F: %E: [client\ %a] %M%
 * ,\ referer\ %{Referer}i */
static const log_erritem default_items[] = {
    {0, 0, -1, NULL, "["},
    {'t', 0, -1, "u", NULL},
    {0, 0, -1, NULL, "]"},
    {0, EF_SEP, -1, NULL, " ["},
    {'m', EF_HYPHEN, -1, NULL, NULL},
    {0, 0, -1, NULL, ":"},
    {'l', 0, -1, NULL, NULL},
    {0, 0, -1, NULL, "]"},
    {0, EF_SEP, -1, NULL, " [pid"},
    {0, EF_SEP, -1, NULL, " "},
    {'P', 0, -1, NULL, NULL},
    {0, 0, -1, NULL, ":tid"},
    {0, EF_SEP, -1, NULL, " "},
    {'T', 0, -1, NULL, NULL},
    {0, 0, -1, NULL, "]"},
    {0, EF_SEP, -1, NULL, " "},
    {'F', 0, APLOG_DEBUG, NULL, NULL},
    {0, 0, -1, NULL, ":"},
    {0, EF_SEP, -1, NULL, " "},
    {'E', 0, -1, NULL, NULL},
    {0, 0, -1, NULL, ":"},
    {0, EF_SEP, -1, NULL, " [client "},
    {'a', 0, -1, NULL, NULL},
    {0, 0, -1, NULL, "]"},
    {0, EF_SEP, -1, NULL, " "},
    {'M', 0, -1, NULL, NULL},
    {0, EF_SEP, -1, NULL, ""},
    {0, 0, -1, NULL, ", referer: "},
    {'i', 0, -1, "Referer", NULL},
};
static const log_errfmt default_format = {
    (int)(sizeof(default_items) / sizeof(default_items[0])),
    (log_erritem *)default_items, NULL, NULL};
/* The same without "[%{u}t] " for syslog, whose header has the date:
 * "[" and then default_items from the module on. */
#define SYSLOG_SKIP 4
static const log_erritem syslog_open_item = {0, 0, -1, NULL, "["};
static log_erritem
    syslog_items[sizeof(default_items) / sizeof(default_items[0]) -
                 SYSLOG_SKIP + 1];
static const log_errfmt syslog_format = {
    (int)(sizeof(syslog_items) / sizeof(syslog_items[0])), syslog_items, NULL,
    NULL};

static void syslog_format_init(void)
{
    syslog_items[0] = syslog_open_item;
    memcpy(syslog_items + 1, default_items + SYSLOG_SKIP,
           sizeof(syslog_items) - sizeof(syslog_items[0]));
}

/* The format for a line to fd: the default one loses its date on syslog. */
static const log_errfmt *format_for(int fd, const log_errfmt *f)
{
    if (f != &default_format || fd != LOG_FD_SYSLOG)
        return f;
    return &syslog_format;
}

/* A finished line (with its newline) to fd, or to syslog at its level. */
static void put_line(int fd, int level, const char *line, size_t len)
{
    if (fd == LOG_FD_SYSLOG) {
        if (len > 0 && line[len - 1] == '\n')
            len--;
        int prio = level < 0 ? LOG_INFO : level > LOG_DEBUG ? LOG_DEBUG : level;
        syslog(prio, "%.*s", (int)len, line);
        return;
    }
    ssize_t w = write(fd, line, len);
    (void)w;
}

/* The main server's format, for lines without a request: a copy in an
 * arena of its own (a reload releases the generation it came from). */
static arena *main_format_arena;
static const log_errfmt *main_format;

static void set_main_format(const server_conf *s)
{
    arena *old = main_format_arena;
    main_format = NULL;
    main_format_arena = NULL;
    if (s != NULL && s->error_format != NULL &&
        s->error_format->source != NULL) {
        arena *a = arena_create(0);
        log_errfmt *f = NULL;
        if (a && log_errfmt_compile(a, s->error_format->source, LOG_ERRFMT_MAIN,
                                    &f) == NULL) {
            main_format = f;
            main_format_arena = a;
        } else if (a) {
            arena_destroy(a);
        }
    }
    if (old)
        arena_destroy(old);
}

/* What a line is about. */
typedef struct log_info {
    int level; /* -1 for once-per-request/connection lines */
    const char *module;
    int err;
    const char *msg; /* already escaped where it needs to be */
    request *r;
    conn_info *c;
    const server_conf *s;
    const char *pos; /* %F given by the caller, or NULL */
} log_info;

typedef struct outbuf {
    char *p;
    size_t len, size;
} outbuf;

static void out_mem(outbuf *o, const char *s, size_t n)
{
    if (o->len + n >= o->size)
        n = o->size - 1 - o->len;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void out_str(outbuf *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

/* Apache's ap_escape_errorlog_item() for one byte: the backslash and the
 * control bytes with a C name as \n, \t..., every other byte that is not
 * printable ASCII as \xhh; the double quote is left alone. */
size_t log_escape_byte(unsigned char c, char out[5])
{
    const char *named = NULL;
    switch (c) {
    case '\b':
        named = "\\b";
        break;
    case '\n':
        named = "\\n";
        break;
    case '\r':
        named = "\\r";
        break;
    case '\t':
        named = "\\t";
        break;
    case '\v':
        named = "\\v";
        break;
    case '\\':
        named = "\\\\";
        break;
    default:
        break;
    }
    if (named) {
        memcpy(out, named, 3);
        return 2;
    }
    if (c < 0x20 || c > 0x7e) {
        snprintf(out, 5, "\\x%02x", c);
        return 4;
    }
    out[0] = (char)c;
    out[1] = '\0';
    return 1;
}

static void out_escaped(outbuf *o, const char *s)
{
    char esc[5];
    for (; *s && o->len + 1 < o->size; s++)
        out_mem(o, esc, log_escape_byte((unsigned char)*s, esc));
}

static void out_time(outbuf *o, const char *arg)
{
    struct timeval tv;
    struct tm tm;
    char buf[160], date[64];
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    int micro = 0, compact = 0;
    if (arg && arg[0] == 'u' && arg[1] == '\0')
        micro = 1;
    else if (arg && arg[0] == 'c') {
        compact = 1;
        micro = arg[1] == 'u';
    }
    if (compact) {
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
        if (micro)
            snprintf(buf, sizeof(buf), "%s.%06ld", date, (long)tv.tv_usec);
        else
            snprintf(buf, sizeof(buf), "%s", date);
    } else {
        strftime(date, sizeof(date), "%a %b %d %H:%M:%S", &tm);
        if (micro)
            snprintf(buf, sizeof(buf), "%s.%06ld %d", date, (long)tv.tv_usec,
                     tm.tm_year + 1900);
        else
            snprintf(buf, sizeof(buf), "%s %d", date, tm.tm_year + 1900);
    }
    out_str(o, buf);
}

static request *chain_first(request *r)
{
    while (r && (r->main || r->prev))
        r = r->main ? r->main : r->prev;
    return r;
}

/* Apache's default log id: 8 bytes (time, process, thread, a counter) in
 * base64 without the final '='. */
static void make_log_id(char *out, uint64_t seed)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static __thread uint64_t counter;
    uint64_t v = seed ^ ((uint64_t)getpid() << 32) ^
                 ((uint64_t)(uintptr_t)&counter << 16) ^
                 (++counter * 0x9E3779B97F4A7C15ull);
    unsigned char b[9];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    b[8] = 0;
    for (int i = 0, o = 0; i < 9; i += 3) {
        unsigned x = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
        for (int k = 0; k < 4 && o < 11; k++)
            out[o++] = b64[(x >> (18 - 6 * k)) & 63];
    }
    out[11] = '\0';
}

const char *log_request_id(request *r)
{
    r = chain_first(r);
    if (r == NULL)
        return NULL;
    if (r->log_id == NULL) {
        char *id = arena_alloc(r->arena, 12);
        make_log_id(id, (uint64_t)r->request_time_us);
        r->log_id = id;
    }
    return r->log_id;
}

const char *log_conn_id(conn_info *c)
{
    if (c->log_id[0] == '\0') {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        make_log_id(c->log_id, (uint64_t)c->id << 20 ^
                                   (uint64_t)tv.tv_sec * 1000000 ^
                                   (uint64_t)tv.tv_usec);
    }
    return c->log_id;
}

static const char *table_value(const req_table *t, const char *name)
{
    return name ? req_table_get(t, name) : NULL;
}

/* %F: where apache2 logs the message that starts with "AHnnnnn:", as
 * its "file.c(line)"; nothing for another message. */
static void out_position(outbuf *o, const char *msg)
{
    if (msg == NULL || msg[0] != 'A' || msg[1] != 'H')
        return;
    int ah = 0;
    for (int i = 2; i < 7; i++) {
        if (msg[i] < '0' || msg[i] > '9')
            return;
        ah = ah * 10 + (msg[i] - '0');
    }
    if (msg[7] != ':')
        return;
    int lo = 0, hi = log_npositions - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const log_position *p = &log_positions[mid];
        if (p->ah == ah) {
            char buf[96];
            snprintf(buf, sizeof(buf), "%s(%d)", p->file, p->line);
            out_str(o, buf);
            return;
        }
        if (p->ah < ah)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
}

static void item_value(outbuf *o, const log_erritem *it, const log_info *in)
{
    char buf[96];
    request *r = in->r;
    conn_info *c = in->c;
    const char *v = NULL;
    switch (it->code) {
    case 't':
        out_time(o, it->arg);
        return;
    case 'l':
        if (in->level >= 0)
            out_str(o, log_level_name(in->level));
        return;
    case 'm':
        v = in->module;
        break;
    case 'M':
        v = in->msg;
        break;
    case 'P':
        snprintf(buf, sizeof(buf), "%d", (int)getpid());
        v = buf;
        break;
    case 'T':
        snprintf(buf, sizeof(buf), "%ld", (long)syscall(SYS_gettid));
        v = buf;
        break;
    case 'E':
        if (in->err) {
            snprintf(buf, sizeof(buf), "(%d)%s", in->err, strerror(in->err));
            v = buf;
        }
        break;
    case 'F':
        if (in->pos != NULL)
            out_str(o, in->pos);
        else
            out_position(o, in->msg);
        return;
    case 'a':
    case 'A':
        if (c) {
            snprintf(buf, sizeof(buf), "%s:%d",
                     it->code == 'a' ? c->peer_ip : c->local_ip,
                     it->code == 'a' ? c->peer_port : c->local_port);
            v = buf;
        }
        break;
    case 'k':
        if (c) {
            snprintf(buf, sizeof(buf), "%u", c->keepalives);
            v = buf;
        }
        break;
    case 'L':
        if (it->arg && strcmp(it->arg, "c") == 0)
            v = c ? log_conn_id(c) : NULL;
        else if (it->arg && strcmp(it->arg, "C") == 0)
            v = c && !r ? log_conn_id(c) : NULL;
        else
            v = r ? log_request_id(r) : NULL;
        break;
    case 'v':
        v = in->s ? in->s->server_name : NULL;
        break;
    case 'V':
        if (r) {
            const core_dir_conf *d =
                r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
            int canonical = d && d->use_canonical_name == 1;
            v = r->hostname && !canonical
                    ? r->hostname
                    : (r->server ? r->server->server_name : NULL);
        }
        break;
    case 'i':
    case 'e':
    case 'n':
        if (r)
            v = table_value(it->code == 'i'   ? &r->headers_in
                            : it->code == 'e' ? &r->subprocess_env
                                              : &r->notes,
                            it->arg);
        if (v) {
            out_escaped(o, v);
            return;
        }
        break;
    default:
        break;
    }
    if (v)
        out_str(o, v);
}

/* One line through format f into o (with the newline); 0 if a '+' item
 * came out empty (no line). */
static int render(outbuf *o, const log_errfmt *f, const log_info *in)
{
    size_t field_start = o->len;
    int skipping = 0;
    for (int i = 0; i < f->nitems; i++) {
        const log_erritem *it = &f->items[i];
        if (it->flags & EF_SEP) {
            if (skipping)
                skipping = 0;
            else
                field_start = o->len;
        }
        if (it->code == 'M') {
            out_str(o, in->msg ? in->msg : "");
            continue;
        }
        if (skipping)
            continue;
        if (it->code == 0) {
            out_str(o, it->text ? it->text : "");
            continue;
        }
        if (in->level >= 0 && it->min_level > in->level) {
            o->len = field_start;
            skipping = 1;
            continue;
        }
        size_t before = o->len;
        item_value(o, it, in);
        if (o->len > before)
            continue;
        if (it->flags & EF_REQUIRED)
            return 0;
        if (it->flags & EF_HYPHEN) {
            out_str(o, "-");
        } else {
            o->len = field_start;
            skipping = 1;
        }
    }
    if (o->len + 1 >= o->size)
        o->len = o->size - 2;
    o->p[o->len++] = '\n';
    o->p[o->len] = '\0';
    return 1;
}

size_t log_format(char *buf, size_t size, int level, const char *module,
                  int err, const char *msg)
{
    log_info in = {.level = level, .module = module, .err = err, .msg = msg};
    outbuf o = {buf, 0, size};
    if (size < 2)
        return 0;
    buf[0] = '\0';
    render(&o, main_format ? main_format : &default_format, &in);
    return o.len;
}

void log_write(int fd, int level, const char *module, int err, const char *msg)
{
    char line[8192];
    log_info in = {.level = level, .module = module, .err = err, .msg = msg};
    outbuf o = {line, 0, sizeof(line)};
    line[0] = '\0';
    render(&o, format_for(fd, main_format ? main_format : &default_format),
           &in);
    put_line(fd, level, line, o.len);
}

static __thread unsigned *lines_written;

void log_count_lines(unsigned *counter)
{
    lines_written = counter;
}

void log_error(int level, const char *module, int err, const char *fmt, ...)
{
    if (!passes(level, level_for(module)))
        return;
    if (lines_written != NULL)
        (*lines_written)++;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_write(log_fd, level, module, err, msg);
}

typedef struct log_held {
    int fd;
    int level;
    int counted; /* a message line (not a once-per-* one): %L counts it */
    size_t len;
    struct log_held *next;
    char line[];
} log_held;

void log_hold(request *r)
{
    r = chain_first(r);
    if (r != NULL)
        r->log_holding = 1;
}

void log_release(request *r, int write_them)
{
    r = chain_first(r);
    if (r == NULL)
        return;
    for (const log_held *h = r->log_held; h; h = h->next) {
        if (!write_them) { /* %L: the request did not log after all */
            if (h->counted && r->connection && r->connection->log_lines > 0)
                r->connection->log_lines--;
            continue;
        }
        put_line(h->fd, h->level, h->line, h->len);
    }
    r->log_held = NULL;
    r->log_holding = 0;
}

/* One finished line: written, or kept while its request holds them. */
static void emit(int fd, const log_info *in, const char *line, size_t len,
                 int counted)
{
    request *first = chain_first(in->r);
    if (first != NULL && first->log_holding) {
        log_held *h = arena_alloc(first->arena, sizeof(*h) + len);
        h->fd = fd;
        h->level = in->level;
        h->counted = counted;
        h->len = len;
        h->next = NULL;
        memcpy(h->line, line, len);
        log_held **tail = &first->log_held;
        while (*tail)
            tail = &(*tail)->next;
        *tail = h;
        return;
    }
    put_line(fd, in->level, line, len);
}

/* Each "connection" or "request" ErrorLogFormat line for in, written on
 * its own: no level, module or message of their own. */
static void write_once_lines(int fd, const log_errfmt *f, const log_info *in)
{
    char line[8192];
    for (; f; f = f->next) {
        log_info once = *in;
        once.level = -1;
        once.module = NULL;
        outbuf o = {line, 0, sizeof(line)};
        if (render(&o, f, &once))
            emit(fd, in, line, o.len, 0);
    }
}

/* The once-per-connection and once-per-request lines, before the first
 * line about c / r: written when its log id is still to be made. */
static void once_lines(int fd, const log_info *in, const server_conf *s)
{
    if (s->error_format_conn && in->c && in->c->log_id[0] == '\0') {
        log_conn_id(in->c);
        write_once_lines(fd, s->error_format_conn, in);
    }
    request *first = chain_first(in->r);
    if (s->error_format_request && first && first->log_id == NULL) {
        log_request_id(first);
        write_once_lines(fd, s->error_format_request, in);
    }
}

static void vlog_about(log_info *in, const char *fmt, va_list ap)
{
    char raw[4096], msg[8192], line[8192];
    vsnprintf(raw, sizeof(raw), fmt, ap);
    outbuf m = {msg, 0, sizeof(msg)};
    msg[0] = '\0';
    out_escaped(&m, raw);
    in->msg = msg;
    if (lines_written != NULL)
        (*lines_written)++;
    else if (in->c != NULL)
        in->c->log_lines++;
    const server_conf *s = in->s;
    const log_errfmt *f = s && s->error_format ? s->error_format
                          : main_format        ? main_format
                                               : &default_format;
    /* a vhost's own ErrorLog, else the main one */
    int fd = s && s->error_fd > 0 ? s->error_fd : log_fd;
    if (s)
        once_lines(fd, in, s);
    outbuf o = {line, 0, sizeof(line)};
    line[0] = '\0';
    render(&o, format_for(fd, f), in);
    emit(fd, in, line, o.len, 1);
}

void log_rerror(request *r, int level, const char *module, int err,
                const char *fmt, ...)
{
    if (!passes(level, request_level(r, module)))
        return;
    log_info in = {.level = level,
                   .module = module,
                   .err = err,
                   .r = r,
                   .c = r ? r->connection : NULL,
                   .s = r ? r->server : NULL};
    va_list ap;
    va_start(ap, fmt);
    vlog_about(&in, fmt, ap);
    va_end(ap);
}

void log_rerror_at(request *r, const char *pos, int level, const char *module,
                   int err, const char *fmt, ...)
{
    if (!passes(level, request_level(r, module)))
        return;
    log_info in = {.level = level,
                   .module = module,
                   .err = err,
                   .r = r,
                   .c = r ? r->connection : NULL,
                   .s = r ? r->server : NULL,
                   .pos = pos};
    va_list ap;
    va_start(ap, fmt);
    vlog_about(&in, fmt, ap);
    va_end(ap);
}

void log_cerror(conn_info *c, const server_conf *s, int level,
                const char *module, int err, const char *fmt, ...)
{
    if (!passes(level, server_level(s, module)))
        return;
    log_info in = {
        .level = level, .module = module, .err = err, .c = c, .s = s};
    va_list ap;
    va_start(ap, fmt);
    vlog_about(&in, fmt, ap);
    va_end(ap);
}
