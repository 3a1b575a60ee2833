/* sinks.h -- the front ends' diagnostics sinks (see diag.h).
 *
 *   sink_apache  httpd: the first error exactly as Apache prints it, and
 *                DIAG_LOG warnings as error-log lines, on a stream or into
 *                the error log (reload);
 *   sink_report  confcheck: every problem as "file:line:col: severity:
 *                message [rule]" with the source line and a caret, or one
 *                JSON document.
 */
#ifndef HTTPD_SINKS_H
#define HTTPD_SINKS_H

#include <stdio.h>

#include "diag.h"

/* httpd -t and startup: the first error goes to out in Apache's shape:
 *   ARGV0: Syntax error on line N of FILE: MSG          (DIAG_READ)
 *   AH00526: Syntax error on line N of FILE:\nMSG       (DIAG_WALK)
 *   MSG                                                 (DIAG_GLOBAL)
 * Each line is one of Apache's error-log calls and is escaped as its
 * error log does (a newline inside MSG prints as \n) and cut to 8,190
 * characters; a DIAG_GLOBAL or warning message holds one call per line.
 * Warnings become "[date] [module:warn] [pid N:tid N] MSG" lines.  When
 * to_log is set, every line goes to the error log (log_error) instead, and
 * every error is logged, not just the first: that is how a failed reload
 * is reported by a running server (set keep_going to collect them all).  argv0
 * is used as given (the caller passes Apache's short name). */
void sink_apache_init(diag_sink *sink, const char *argv0, FILE *out,
                      int to_log);

/* Format d the way sink_apache prints it (without the trailing newline),
 * into buf.  Exposed for tests. */
void sink_apache_format(char *buf, size_t size, const char *argv0,
                        const struct diag *d);

/* Apache's error-log escaping of one log line (backslash, \n, \t...,
 * other non-printable bytes as \xhh), cut to the 8,190 characters of an
 * error-log line.  Returns a malloc'd string. */
char *sink_apache_escape(const char *s, size_t n);

enum sink_format { SINK_TEXT, SINK_JSON };

typedef struct sink_report sink_report;

/* confcheck: collects every diagnostic (keep_going = 1). */
sink_report *sink_report_new(diag_sink *sink, enum sink_format fmt);
/* Add a diagnostic that a front-end pass found itself (counts it too). */
void sink_report_add(diag_sink *sink, const struct diag *d);
/* Print everything to out (text: each problem with its source line and a
 * caret, then a summary line; JSON: one array).  Returns the number of
 * errors. */
int sink_report_finish(sink_report *r, FILE *out, FILE *summary);
void sink_report_free(sink_report *r);

#endif
