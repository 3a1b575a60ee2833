/* log.h -- the error log, in Apache's format:
 *   [Wed Nov 25 21:32:50.316617 2026] [core:notice] [pid 2444:tid 2444] AH00163: ...
 * Safe from any thread; one write(2) per line so lines never interleave.
 * Until log_open() the messages go to stderr. */
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
/* -t's check: the ErrorLog's directory must exist.  0, or -1 with *err set
 * to Apache's "(2)...: AH02291: Cannot access directory '...' for main
 * error log". */
int log_check(const resolved_config *rc, const char **err);
/* The descriptor lines currently go to (2 before log_open). */
int log_fileno(void);
/* "emerg".."trace8". */
const char *log_level_name(int level);
/* Format one Apache-shaped line (with the newline) into buf; returns its
 * length.  log_write() writes such a line to fd with one write(2). */
size_t log_format(char *buf, size_t size, int level, const char *module,
                  int err, const char *msg);
void log_write(int fd, int level, const char *module, int err,
               const char *msg);

#endif
