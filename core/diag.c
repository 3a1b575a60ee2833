/* diag.c -- diagnostics sink helpers; see diag.h. */
#include "diag.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

void diag_emit(diag_sink *sink, const struct diag *d)
{
    if (sink == NULL)
        return;
    if (d->severity == DIAG_ERROR)
        sink->errors++;
    else if (d->severity == DIAG_WARNING)
        sink->warnings++;
    if (sink->emit != NULL)
        sink->emit(sink, d);
}

static void vreport(diag_sink *sink, enum diag_severity sev,
                    enum diag_phase phase, const char *module, const char *file,
                    int line, int col, const char *rule, const char *fmt,
                    va_list ap)
{
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    struct diag d = {
        .severity = sev,
        .phase = phase,
        .file = file,
        .line = line,
        .col = col,
        .rule = rule,
        .module = module,
        .message = msg ? msg : "(out of memory formatting a diagnostic)",
    };
    diag_emit(sink, &d);
    free(msg);
}

void diag_errorf(diag_sink *sink, enum diag_phase phase, const char *file,
                 int line, int col, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(sink, DIAG_ERROR, phase, "core", file, line, col, rule, fmt, ap);
    va_end(ap);
}

void diag_warnf(diag_sink *sink, enum diag_phase phase, const char *module,
                const char *file, int line, int col, const char *rule,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(sink, DIAG_WARNING, phase, module, file, line, col, rule, fmt, ap);
    va_end(ap);
}

int diag_should_stop(const diag_sink *sink)
{
    return sink != NULL && sink->errors > 0 && !sink->keep_going;
}

void diag_log_timestamp(char *buf, unsigned size)
{
    struct timeval tv;
    struct tm tm;
    char date[64];
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    strftime(date, sizeof(date), "%a %b %d %H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06ld %d", date, (long)tv.tv_usec,
             tm.tm_year + 1900);
}

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb];
}

const char *diag_suggest(const char *word, const char *const *candidates,
                         int ncandidates)
{
    const char *best = NULL;
    int best_d = 1000;
    size_t len = strlen(word);
    int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    for (int i = 0; i < ncandidates; i++) {
        int d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
