/* mod_log_config.h -- LogFormat, CustomLog, TransferLog, GlobalLog,
 * BufferedLogs.  Formats are compiled once, at configuration time, into an
 * op list; the runtime only walks it. */
#ifndef HTTPD_MOD_LOG_CONFIG_H
#define HTTPD_MOD_LOG_CONFIG_H

#include "conf.h"

/* One op of a compiled format: literal text, or a %-directive. */
typedef struct log_item {
    char code[4];          /* "" for literal text; "h", ">s", "^ti"... */
    const char *text;      /* literal text (escapes applied) */
    const char *arg;       /* %{arg}X, or NULL */
    int want_orig;         /* '<' (original request) vs '>' (final) */
    int orig_given;        /* '<' or '>' was written */
    const int *conditions; /* %400,501{..}x status list */
    int nconditions;
    int negate; /* %!200x */
} log_item;

typedef struct log_fmt {
    const char *source; /* the format string as written */
    log_item *items;
    int nitems;
} log_fmt;

typedef struct log_named_format {
    const char *name;
    log_fmt *format;
    struct log_named_format *next;
} log_named_format;

typedef struct log_target {
    const char *path;          /* as written: "logs/access_log", "|prog" */
    const char *resolved;      /* ServerRoot-relative file, or the program */
    int piped;                 /* 1: "|prog" or "||prog" (no shell),
                                * 2: "|$prog" (through /bin/sh) */
    const char *format_string; /* a name or a format */
    log_fmt *format;           /* format_string parsed as a format */
    const char *env;           /* env=[!]VAR condition, without '!' */
    int env_negate;
    struct expr *expr; /* expr= condition, or NULL */
    int global;        /* GlobalLog */
    const char *file;  /* where it was written */
    int line;
    /* Runtime, per process: the open file or pipe (-1 until opened by
     * log_open_targets() or on first use), 1 in failed after an error. */
    int fd;
    int failed;
    /* A vhost's inherited copy points at the target it was copied from,
     * which owns the open file (one fd, one piped program). */
    struct log_target *origin;
    struct log_target *next;
} log_target;

typedef struct log_server_conf {
    log_fmt *default_format;      /* LogFormat with one argument */
    log_named_format *formats;    /* LogFormat FMT NAME, newest first */
    log_target *logs, *logs_tail; /* CustomLog/TransferLog of this server */
    int buffered;                 /* BufferedLogs: UNSET, 0, 1 */
} log_server_conf;

extern module log_config_module;

/* Apache's default format when none is given: "%h %l %u %t \"%r\" %>s %b". */
#define LOG_DEFAULT_FORMAT "%h %l %u %t \"%r\" %>s %b"

/* Compile a format.  Returns NULL or Apache's message
 * ("Unrecognized LogFormat directive %Z"). */
const char *log_compile_format(arena *a, const char *fmt, log_fmt **out);

/* The format a log target writes with in server conf s: a LogFormat name
 * defined in s (or inherited), else the string itself. */
const log_fmt *log_target_format(const log_server_conf *s, const log_target *t);

/* Open every server's log files and pipes (parent, before the MPM forks;
 * also done lazily on first use in a process), stopping at the first that
 * fails, as Apache.  Returns 0, or -1 after logging what failed (a piped
 * program's failure is left in *startup instead, see module.h). */
int log_open_targets(resolved_config *rc, const char **startup);

/* Write the access-log lines of one finished request (log_transaction). */
struct request;
void log_config_transaction(struct request *r);
/* The connection is over: the lines still held are written. */
struct conn_info;
void log_config_connection_end(struct conn_info *c);

#endif
