/* log.c -- placeholder error log: writes Apache-shaped lines to stderr. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_level = APLOG_WARNING;
static const char *const level_names[] = {
    "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
    "trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8",
};

int log_open(resolved_config *rc, const char **err) { (void)rc; *err = NULL; return 0; }
void log_redirect_stderr(void) {}
void log_close(void) {}
void log_set_level(int level) { log_level = level; }

void log_error(int level, const char *module, int err, const char *fmt, ...)
{
    if (level > log_level && level != APLOG_NOTICE)
        return;
    char ts[64], msg[2048], line[2300];
    diag_log_timestamp(ts, sizeof(ts));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int n;
    if (err)
        n = snprintf(line, sizeof(line), "[%s] [%s:%s] [pid %d] (%d)%s: %s\n",
                     ts, module, level_names[level & 15], (int)getpid(), err,
                     strerror(err), msg);
    else
        n = snprintf(line, sizeof(line), "[%s] [%s:%s] [pid %d] %s\n", ts,
                     module, level_names[level & 15], (int)getpid(), msg);
    if (n > (int)sizeof(line) - 1)
        n = sizeof(line) - 1;
    ssize_t w = write(2, line, (size_t)n);
    (void)w;
}
