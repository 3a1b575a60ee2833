/* log.c -- the error log in Apache's format; see log.h.
 *
 * Until log_open() succeeds, lines go to stderr (fd 2).  Each line is built
 * in one buffer and written with one write(2), so lines from several
 * threads or processes sharing the descriptor (O_APPEND) never interleave.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int log_fd = 2; /* where lines go */
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

/* The path ErrorLog names, made absolute against ServerRoot; NULL for a
 * pipe or syslog. */
static const char *error_log_path(const resolved_config *rc, char *buf,
                                  size_t size)
{
    const char *p = NULL;
    if (rc->main_server != NULL)
        p = rc->main_server->error_log;
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

static int open_pipe(const char *prog, const char **err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        goto fail;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        goto fail;
    }
    if (pid == 0) {
        dup2(fds[0], 0);
        setsid();
        execl("/bin/sh", "sh", "-c", prog, (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    log_pipe_pid = pid;
    return fds[1];
fail:
    snprintf(log_errbuf, sizeof(log_errbuf),
             "(%d)%s: AH00089: Couldn't start ErrorLog process '%s'.", errno,
             strerror(errno), prog);
    *err = log_errbuf;
    return -1;
}

int log_open(resolved_config *rc, const char **err)
{
    char path[PATH_MAX];
    const char *spec = rc->main_server ? rc->main_server->error_log : NULL;
    int fd;
    *err = NULL;
    if (rc->main_server != NULL) {
        if (rc->main_server->log_level >= APLOG_EMERG)
            log_level = rc->main_server->log_level;
        set_module_levels(rc->main_server);
    }
    if (spec != NULL && spec[0] == '|') {
        fd = open_pipe(spec + 1 + (spec[1] == '$'), err);
        if (fd < 0)
            return -1;
    } else if (spec != NULL && strncmp(spec, "syslog", 6) == 0) {
        return 0; /* not supported: keep stderr */
    } else {
        error_log_path(rc, path, sizeof(path));
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
    int old = log_fd;
    log_fd = fd;
    if (old > 2)
        close(old);
    return 0;
}

void log_redirect_stderr(void)
{
    if (log_fd > 2)
        dup2(log_fd, 2);
}

void log_close(void)
{
    if (log_fd > 2)
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

size_t log_format(char *buf, size_t size, int level, const char *module,
                  int err, const char *msg)
{
    char ts[64];
    diag_log_timestamp(ts, sizeof(ts));
    int pid = (int)getpid();
    int tid = (int)syscall(SYS_gettid);
    int n;
    if (err)
        n = snprintf(buf, size, "[%s] [%s:%s] [pid %d:tid %d] (%d)%s: %s\n", ts,
                     module, log_level_name(level), pid, tid, err,
                     strerror(err), msg);
    else
        n = snprintf(buf, size, "[%s] [%s:%s] [pid %d:tid %d] %s\n", ts, module,
                     log_level_name(level), pid, tid, msg);
    if (n < 0)
        n = 0;
    if ((size_t)n >= size) {
        n = (int)size - 1;
        buf[n - 1] = '\n';
    }
    return (size_t)n;
}

void log_write(int fd, int level, const char *module, int err, const char *msg)
{
    char line[8192];
    size_t n = log_format(line, sizeof(line), level, module, err, msg);
    ssize_t w = write(fd, line, n);
    (void)w;
}

static __thread unsigned *lines_written;

void log_count_lines(unsigned *counter)
{
    lines_written = counter;
}

void log_error(int level, const char *module, int err, const char *fmt, ...)
{
    /* Apache writes notices whatever LogLevel says (startup, shutdown). */
    if (level > level_for(module) && level != APLOG_NOTICE)
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
