/* log.h -- the error log, in Apache's format:
 *   [Wed Nov 25 21:32:50.316617 2026] [core:notice] [pid 2444:tid 2444]
 * AH00163: ... Safe from any thread; one write(2) per line so lines never
 * interleave. Until log_open() the messages go to stderr. */
#ifndef HTTPD_LOG_H
#define HTTPD_LOG_H

#include "conf.h"

/* Open the main server's ErrorLog (file, or "|program").  Returns 0, or -1
 * with *err set to a message naming the file and the errno text. */
int log_open(resolved_config *rc, const char **err);
/* Redirect stderr to the error log (after startup messages). */
void log_redirect_stderr(void);
void log_close(void);

/* module: "core", "mpm_prefork"...; level: APLOG_*; err: errno or 0 (then
 * the line gets Apache's "(N)Text: " prefix).  The message normally starts
 * with its AH number. */
void log_error(int level, const char *module, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Count in *counter the lines this thread writes from now on (NULL
 * stops): a request that logged gets a log id (%L), as in Apache. */
void log_count_lines(unsigned *counter);

/* Messages below this level are dropped (LogLevel of the main server). */
void log_set_level(int level);

/* Additions (front ends and server core). */
#include <stddef.h>

/* ---- request-time messages --------------------------------------------
 * A message about a request or a connection is written as Apache writes
 * it: "[client IP:PORT] " before the text, ", referer: ..." after it when
 * the request has one, control and non-ASCII bytes of both escaped
 * (\xNN, \n, \\), and it is logged only when the LogLevel that applies
 * there allows it: the request's <Directory>/<Location> LogLevel after the
 * sections were merged, else its server's (MODULE:LEVEL pairs first).
 * ErrorLogFormat, when set, shapes the line (and writes its once-per-
 * request and once-per-connection lines before the first one). */
struct request;
struct conn_info;
void log_rerror(struct request *r, int level, const char *module, int err,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* log_rerror() for a message without an AH number whose apache2
 * position (%F, "file.c(line)") the caller knows. */
void log_rerror_at(struct request *r, const char *pos, int level,
                   const char *module, int err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* c's messages before a request was read; s: the server it reached. */
void log_cerror(struct conn_info *c, const server_conf *s, int level,
                const char *module, int err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Hold back the error-log lines about r's chain from now on, until
 * log_release(r, write) writes them (write = 1) or drops them: Apache's
 * default handler reads the request body before it logs, so what it says
 * is written only once the body was read, and not at all when the body
 * was bad. */
void log_hold(struct request *r);
void log_release(struct request *r, int write);
/* Whether log_rerror(r, level, module...) would write (to skip building
 * an expensive message). */
int log_rlevel_ok(const struct request *r, int level, const char *module);

/* ErrorLogFormat [connection|request] FORMAT, compiled.  Returns NULL or
 * Apache's message ("Unrecognized error log format directive %Z"). */
typedef struct log_errfmt log_errfmt;
enum log_errfmt_kind { LOG_ERRFMT_MAIN, LOG_ERRFMT_REQUEST, LOG_ERRFMT_CONN };
const char *log_errfmt_compile(arena *a, const char *fmt,
                               enum log_errfmt_kind kind, log_errfmt **out);

/* list with f appended (a once-per-request/connection line). */
const log_errfmt *log_errfmt_append(arena *a, const log_errfmt *list,
                                    log_errfmt *f);

/* The MODULE:LEVEL pairs of an inner scope, then an outer one's. */
module_log_level *log_levels_concat(arena *a, module_log_level *inner,
                                    module_log_level *outer);

/* %L / %{c}L: the request's (chain's first request) or connection's log
 * id, made on first use. */
const char *log_request_id(struct request *r);
const char *log_conn_id(struct conn_info *c);
/* -t's check: the ErrorLog's directory must exist.  0, or -1 with *err set
 * to Apache's "(2)...: AH02291: Cannot access directory '...' for main
 * error log". */
int log_check(const resolved_config *rc, const char **err);
/* The descriptor lines currently go to (2 before log_open). */
int log_fileno(void);
/* apr_tokenize_to_argv(): s split into words (blanks separate, "..." and
 * '...' quote, a backslash escapes the next byte); NULL-terminated. */
char **log_tokenize(arena *a, const char *s);
/* ErrorLogFormat's %F: apache2's source position of a message, by its AH
 * number (core/log_positions.c, sorted; generated). */
typedef struct log_position {
    int ah;
    const char *file;
    int line;
} log_position;
extern const log_position log_positions[];
extern const int log_npositions;
/* "emerg".."trace8". */
const char *log_level_name(int level);

/* One byte as Apache's error log escapes it into out (NUL-terminated);
 * returns the length: 1, 2 (\n, \\...) or 4 (\xhh). */
size_t log_escape_byte(unsigned char c, char out[5]);

/* Format one Apache-shaped line (with the newline) into buf; returns its
 * length.  log_write() writes such a line to fd with one write(2). */
size_t log_format(char *buf, size_t size, int level, const char *module,
                  int err, const char *msg);
void log_write(int fd, int level, const char *module, int err, const char *msg);

#endif
