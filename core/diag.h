/* diag.h -- the one diagnostics sink every configuration stage reports to.
 *
 * Stages never print.  They describe a problem once, with its location and
 * Apache's wording; the front end decides the shape:
 *   httpd -t   stops at the first error and prints it as Apache does;
 *   confcheck  collects everything and prints file:line:col text or JSON.
 */
#ifndef HTTPD_DIAG_H
#define HTTPD_DIAG_H

#include <stdarg.h>

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Which of Apache's output shapes the message takes under httpd -t. */
enum diag_phase {
    /* Read-time error (Include, sections, Define, LoadModule...):
     *   httpd: Syntax error on line N of FILE: MESSAGE            */
    DIAG_READ,
    /* Directive error found while walking the tree:
     *   AH00526: Syntax error on line N of FILE:
     *   MESSAGE                                                   */
    DIAG_WALK,
    /* Whole-configuration error printed as is, e.g.
     *   AH00534: httpd: Configuration error: No MPM loaded.
     * Warnings too: Apache's startup warnings (the MPMs' clamping,
     * "AH00180: WARNING: MaxRequestWorkers of ...") are plain stderr
     * lines under httpd -t; file/line then name the directive involved
     * (for confcheck) but are not part of the -t output.             */
    DIAG_GLOBAL,
    /* A warning Apache writes as an error-log line on stderr:
     *   [date] [MODULE:warn] [pid N:tid N] AH00111: MESSAGE       */
    DIAG_LOG
};

struct diag {
    enum diag_severity severity;
    enum diag_phase phase;
    const char *file;         /* NULL when not tied to a file */
    int line, col;            /* 1-based; 0 = unknown */
    const char *rule;         /* stable id, e.g. "unknown-directive" */
    const char *module;       /* for DIAG_LOG: "core", "so", "mpm_event"... */
    const char *message;      /* Apache's wording, without the AH00526 frame */
    const char *suggestion;   /* "did you mean DocumentRoot?" or NULL */
    const char *related_file; /* a second location, e.g. the other LoadModule */
    int related_line;
};

typedef struct diag_sink diag_sink;
struct diag_sink {
    void (*emit)(diag_sink *sink, const struct diag *d);
    void *ctx;
    int errors;
    int warnings;
    /* 0: stages stop at the first error (httpd).  1: recover and go on
     * reporting (confcheck).  Stages read it through diag_should_stop(). */
    int keep_going;
};

/* Count the diagnostic and pass it to sink->emit (if any). */
void diag_emit(diag_sink *sink, const struct diag *d);

/* Shorthands.  The message is formatted into a static-free heap buffer that
 * lives until the sink's emit returns; emit must copy what it keeps. */
void diag_errorf(diag_sink *sink, enum diag_phase phase, const char *file,
                 int line, int col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void diag_warnf(diag_sink *sink, enum diag_phase phase, const char *module,
                const char *file, int line, int col, const char *rule,
                const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* True when an error has been reported and the sink does not keep going. */
int diag_should_stop(const diag_sink *sink);

/* Apache's error-log time stamp, "Wed Nov 25 21:32:50.316617 2026". */
void diag_log_timestamp(char *buf, unsigned size);

/* "did you mean": the candidate closest to word (case-insensitive edit
 * distance), or NULL when none is close enough to be a likely typo. */
const char *diag_suggest(const char *word, const char *const *candidates,
                         int ncandidates);

#endif
