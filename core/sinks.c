/* sinks.c -- how httpd and confcheck show diagnostics; see sinks.h. */
#include "sinks.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* ---- httpd: Apache's shapes ----------------------------------------- */

/* Apache's error log line: at most MAX_STRING_LEN (8192) bytes with the
 * newline and the NUL, so 8190 characters of text. */
#define APACHE_LINE_MAX 8190

struct apache_state {
    const char *argv0;
    FILE *out;
    int to_log;
    int shown_error;
};

/* A growing string (malloc'd). */
struct text {
    char *s;
    size_t len, cap;
};

static void text_add(struct text *t, const char *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *ns = realloc(t->s, cap);
        if (ns == NULL)
            abort();
        t->s = ns;
        t->cap = cap;
    }
    memcpy(t->s + t->len, p, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void text_printf(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_printf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *tmp = malloc((size_t)n + 1);
    if (tmp == NULL)
        abort();
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text_add(t, tmp, (size_t)n);
    free(tmp);
}

/* The text Apache logs for d, one log call per line ('\n' separates the
 * calls; a message of one call is escaped later, not split). */
static void apache_text(struct text *t, const char *argv0, const struct diag *d)
{
    const char *file = d->file ? d->file : "(unknown)";
    const char *msg = d->message ? d->message : "";
    switch (d->phase) {
    case DIAG_READ:
        if (d->file != NULL && d->line > 0)
            text_printf(t, "%s: Syntax error on line %d of %s: %s", argv0,
                        d->line, file, msg);
        else
            text_printf(t, "%s: %s", argv0, msg);
        break;
    case DIAG_WALK:
        if (d->file != NULL && d->line > 0)
            text_printf(t, "AH00526: Syntax error on line %d of %s:\n%s",
                        d->line, file, msg);
        else
            text_add(t, msg, strlen(msg));
        break;
    case DIAG_GLOBAL:
    case DIAG_LOG:
    default:
        text_add(t, msg, strlen(msg));
        break;
    }
}

void sink_apache_format(char *buf, size_t size, const char *argv0,
                        const struct diag *d)
{
    struct text t = {0};
    apache_text(&t, argv0, d);
    snprintf(buf, size, "%s", t.s ? t.s : "");
    free(t.s);
}

/* Apache's ap_escape_errorlog_item(): a backslash and every byte that is
 * not printable ASCII are escaped (\n, \t... or \xhh), quotes are not.
 * The result is cut to the error log's line length. */
char *sink_apache_escape(const char *s, size_t n)
{
    struct text t = {0};
    text_add(&t, "", 0);
    for (size_t i = 0; i < n && t.len < APACHE_LINE_MAX; i++) {
        char esc[5];
        text_add(&t, esc, log_escape_byte((unsigned char)s[i], esc));
    }
    if (t.len > APACHE_LINE_MAX) {
        t.len = APACHE_LINE_MAX;
        t.s[t.len] = '\0';
    }
    return t.s;
}

static int severity_level(enum diag_severity s)
{
    return s == DIAG_ERROR     ? APLOG_ERR
           : s == DIAG_WARNING ? APLOG_WARNING
                               : APLOG_NOTICE;
}

/* Each log call of text (one per line) escaped, as Apache's error log
 * writes it: on the stream, through log_write() (with the error-log
 * prefix) or into the error log. */
enum apache_dest { TO_STREAM, TO_LOG_LINE, TO_ERROR_LOG };

static void apache_lines(struct apache_state *st, enum apache_dest dest,
                         int level, const char *module, const char *text)
{
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = sink_apache_escape(p, n);
        if (dest == TO_STREAM) {
            fprintf(st->out, "%s\n", line);
        } else if (dest == TO_LOG_LINE) {
            fflush(st->out);
            log_write(fileno(st->out), level, module, 0, line);
        } else {
            log_error(level, module, 0, "%s", line);
        }
        free(line);
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    if (dest == TO_STREAM)
        fflush(st->out);
}

/* Messages whose '\n' are data inside one of Apache's log calls: a
 * read-time error (the list of unclosed sections) and a directive's
 * message after the AH00526 line. */
static void apache_error_lines(struct apache_state *st, enum apache_dest dest,
                               const char *module, const struct diag *d)
{
    if (d->phase == DIAG_READ) {
        struct text t = {0};
        apache_text(&t, st->argv0, d);
        char *line = sink_apache_escape(t.s, t.len);
        if (dest == TO_STREAM) {
            fprintf(st->out, "%s\n", line);
            fflush(st->out);
        } else {
            log_error(APLOG_ALERT, module, 0, "%s", line);
        }
        free(line);
        free(t.s);
        return;
    }
    if (d->phase == DIAG_WALK && d->file != NULL && d->line > 0) {
        struct text head = {0};
        text_printf(&head, "AH00526: Syntax error on line %d of %s:", d->line,
                    d->file);
        char *a = sink_apache_escape(head.s, head.len);
        const char *msg = d->message ? d->message : "";
        char *b = sink_apache_escape(msg, strlen(msg));
        if (dest == TO_STREAM) {
            fprintf(st->out, "%s\n%s\n", a, b);
            fflush(st->out);
        } else {
            log_error(APLOG_ALERT, module, 0, "%s", a);
            log_error(APLOG_ALERT, module, 0, "%s", b);
        }
        free(a);
        free(b);
        free(head.s);
        return;
    }
    struct text t = {0};
    apache_text(&t, st->argv0, d);
    apache_lines(st, dest, APLOG_ALERT, module, t.s ? t.s : "");
    free(t.s);
}

static void apache_emit(diag_sink *sink, const struct diag *d)
{
    struct apache_state *st = sink->ctx;
    const char *module = d->module ? d->module : "core";
    const char *msg = d->message ? d->message : "";
    if (d->severity != DIAG_ERROR || d->phase == DIAG_LOG) {
        if (d->severity == DIAG_NOTE)
            return;
        int level = severity_level(d->severity);
        if (st->to_log)
            apache_lines(st, TO_ERROR_LOG, level, module, msg);
        else if (d->phase != DIAG_LOG)
            /* Apache's plain startup warnings (MPM clamping...). */
            apache_lines(st, TO_STREAM, level, module, msg);
        else
            apache_lines(st, TO_LOG_LINE, level, module, msg);
        return;
    }
    if (st->shown_error && !st->to_log)
        return; /* httpd -t shows the first error only, as Apache does */
    st->shown_error = 1;
    apache_error_lines(st, st->to_log ? TO_ERROR_LOG : TO_STREAM, module, d);
}

void sink_apache_init(diag_sink *sink, const char *argv0, FILE *out, int to_log)
{
    static struct apache_state states[4];
    static int next;
    /* A few independent sinks may exist at once (startup, reloads); the
     * state is tiny and reused round-robin so nothing needs freeing. */
    struct apache_state *st = &states[next++ & 3];
    st->argv0 = argv0;
    st->out = out ? out : stderr;
    st->to_log = to_log;
    st->shown_error = 0;
    memset(sink, 0, sizeof(*sink));
    sink->emit = apache_emit;
    sink->ctx = st;
    sink->keep_going = 0;
}

/* ---- confcheck: every problem, text or JSON ------------------------- */

struct entry {
    struct diag d; /* strings owned (strdup) */
    int seq;       /* arrival order, for a stable sort */
};

struct source_file {
    char *path;
    char *text;
    size_t len;
    size_t *line_starts; /* line N starts at line_starts[N-1] */
    int nlines;
    struct source_file *next;
};

struct sink_report {
    enum sink_format fmt;
    struct entry *entries;
    int n, cap;
    struct source_file *files;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void report_emit(diag_sink *sink, const struct diag *d)
{
    sink_report *r = sink->ctx;
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 32;
        struct entry *e = realloc(r->entries, sizeof(*e) * (size_t)cap);
        if (e == NULL)
            return;
        r->entries = e;
        r->cap = cap;
    }
    struct diag *c = &r->entries[r->n++].d;
    *c = *d;
    c->file = dup_or_null(d->file);
    c->rule = dup_or_null(d->rule);
    c->module = dup_or_null(d->module);
    c->message = dup_or_null(d->message ? d->message : "");
    c->suggestion = dup_or_null(d->suggestion);
    c->related_file = dup_or_null(d->related_file);
}

sink_report *sink_report_new(diag_sink *sink, enum sink_format fmt)
{
    sink_report *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    r->fmt = fmt;
    memset(sink, 0, sizeof(*sink));
    sink->emit = report_emit;
    sink->ctx = r;
    sink->keep_going = 1;
    return r;
}

void sink_report_add(diag_sink *sink, const struct diag *d)
{
    diag_emit(sink, d);
}

static struct source_file *load_source(sink_report *r, const char *path)
{
    for (struct source_file *f = r->files; f != NULL; f = f->next)
        if (strcmp(f->path, path) == 0)
            return f->text ? f : NULL;
    struct source_file *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return NULL;
    f->path = strdup(path);
    f->next = r->files;
    r->files = f;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 8192, len = 0;
    char *text = malloc(cap);
    size_t got;
    while (text != NULL && (got = fread(text + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap && cap < ((size_t)64 << 20)) {
            char *t = realloc(text, cap * 2);
            if (t == NULL)
                break;
            text = t;
            cap *= 2;
        } else if (len == cap) {
            break;
        }
    }
    fclose(fp);
    if (text == NULL)
        return NULL;
    int n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    f->line_starts = malloc(sizeof(size_t) * (size_t)n);
    if (f->line_starts == NULL) {
        free(text);
        return NULL;
    }
    f->line_starts[0] = 0;
    int k = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            f->line_starts[k++] = i + 1;
    f->text = text;
    f->len = len;
    f->nlines = n;
    return f;
}

/* Print "  LINE | source" and a caret line under column col. */
static void print_source(sink_report *r, FILE *out, const char *path, int line,
                         int col)
{
    struct source_file *f = path ? load_source(r, path) : NULL;
    if (f == NULL || line < 1 || line > f->nlines)
        return;
    const char *s = f->text + f->line_starts[line - 1];
    const char *end = f->text + f->len;
    const char *e = s;
    while (e < end && *e != '\n')
        e++;
    if (e > s && e[-1] == '\r')
        e--;
    int shown = (int)(e - s) > 300 ? 300 : (int)(e - s);
    fprintf(out, " %5d | ", line);
    for (int i = 0; i < shown; i++) {
        unsigned char ch = (unsigned char)s[i];
        fputc(ch < 0x20 && ch != '\t' ? '?' : ch, out);
    }
    fputs(shown < e - s ? "...\n" : "\n", out);
    if (col < 1 || col > shown + 1)
        return;
    fputs("       | ", out);
    for (int i = 0; i < col - 1; i++)
        fputc(s[i] == '\t' ? '\t' : ' ', out);
    fputc('^', out);
    for (int i = col; i < shown && s[i] != ' ' && s[i] != '\t'; i++)
        fputc('~', out);
    fputc('\n', out);
}

static const char *severity_name(enum diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

static void print_location(FILE *out, const char *file, int line, int col)
{
    if (file == NULL)
        return;
    fputs(file, out);
    if (line > 0)
        fprintf(out, ":%d", line);
    if (line > 0 && col > 0)
        fprintf(out, ":%d", col);
    fputs(": ", out);
}

static void print_text(sink_report *r, FILE *out, const struct diag *d)
{
    print_location(out, d->file, d->line, d->col);
    fprintf(out, "%s: %s", severity_name(d->severity), d->message);
    if (d->rule != NULL)
        fprintf(out, " [%s]", d->rule);
    fputc('\n', out);
    print_source(r, out, d->file, d->line, d->col);
    if (d->suggestion != NULL)
        fprintf(out, "       = %s\n", d->suggestion);
    if (d->related_file != NULL) {
        print_location(out, d->related_file, d->related_line, 0);
        fputs("note: related location\n", out);
        print_source(r, out, d->related_file, d->related_line, 0);
    }
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static int utf8_length(const unsigned char *p)
{
    unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* JSON string with every control character escaped and invalid UTF-8
 * replaced, so the document always parses. */
static void json_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
            p++;
        } else if (c == '\n') {
            fputs("\\n", out);
            p++;
        } else if (c == '\t') {
            fputs("\\t", out);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            fputc(c, out);
            p++;
        } else {
            int n = utf8_length(p);
            if (n > 0) {
                fwrite(p, 1, (size_t)n, out);
                p += n;
            } else {
                fputs("\\ufffd", out);
                p++;
            }
        }
    }
    fputc('"', out);
}

static void print_json(FILE *out, const struct diag *d, int first)
{
    fputs(first ? "\n  {" : ",\n  {", out);
    fputs("\"file\": ", out);
    json_string(out, d->file);
    fprintf(out, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", ",
            d->line, d->col, severity_name(d->severity));
    fputs("\"rule\": ", out);
    json_string(out, d->rule);
    fputs(", \"message\": ", out);
    json_string(out, d->message);
    fputs(", \"suggestion\": ", out);
    json_string(out, d->suggestion);
    if (d->related_file != NULL) {
        fputs(", \"related\": {\"file\": ", out);
        json_string(out, d->related_file);
        fprintf(out, ", \"line\": %d}", d->related_line);
    }
    fputc('}', out);
}

/* Reports in reading order: by file (in the order files were first
 * named), line and column; reports without a file keep their place after
 * them.  Stages report in their own order (read phase, walk, checks), a
 * reader wants the file's. */
static const char *const *sort_files;
static int sort_nfiles;

static int file_rank(const char *file)
{
    if (file == NULL)
        return 1 << 30;
    for (int i = 0; i < sort_nfiles; i++)
        if (strcmp(sort_files[i], file) == 0)
            return i;
    return (1 << 30) - 1;
}

static int cmp_entries(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int fa = file_rank(a->d.file), fb = file_rank(b->d.file);
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->d.file != NULL && a->d.line != b->d.line)
        return a->d.line < b->d.line ? -1 : 1;
    if (a->d.file != NULL && a->d.col != b->d.col)
        return a->d.col < b->d.col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sort_entries(sink_report *r)
{
    if (r->n < 2)
        return;
    const char **files = calloc((size_t)r->n + 1, sizeof(*files));
    if (files == NULL)
        return;
    int nfiles = 0;
    for (int i = 0; i < r->n; i++) {
        const char *f = r->entries[i].d.file;
        int seen = f == NULL;
        for (int j = 0; j < nfiles && !seen; j++)
            seen = strcmp(files[j], f) == 0;
        if (!seen)
            files[nfiles++] = f;
        r->entries[i].seq = i;
    }
    sort_files = files;
    sort_nfiles = nfiles;
    qsort(r->entries, (size_t)r->n, sizeof(r->entries[0]), cmp_entries);
    sort_files = NULL;
    free(files);
}

int sink_report_finish(sink_report *r, FILE *out, FILE *summary)
{
    int errors = 0, warnings = 0;
    sort_entries(r);
    if (r->fmt == SINK_JSON)
        fputc('[', out);
    for (int i = 0; i < r->n; i++) {
        const struct diag *d = &r->entries[i].d;
        errors += d->severity == DIAG_ERROR;
        warnings += d->severity == DIAG_WARNING;
        if (r->fmt == SINK_JSON)
            print_json(out, d, i == 0);
        else
            print_text(r, out, d);
    }
    if (r->fmt == SINK_JSON)
        fputs(r->n ? "\n]\n" : "]\n", out);
    fflush(out);
    if (summary != NULL) {
        fprintf(summary, "%d error%s, %d warning%s\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        fflush(summary);
    }
    return errors;
}

void sink_report_free(sink_report *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < r->n; i++) {
        struct diag *d = &r->entries[i].d;
        free((char *)d->file);
        free((char *)d->rule);
        free((char *)d->module);
        free((char *)d->message);
        free((char *)d->suggestion);
        free((char *)d->related_file);
    }
    free(r->entries);
    while (r->files != NULL) {
        struct source_file *f = r->files;
        r->files = f->next;
        free(f->path);
        free(f->text);
        free(f->line_starts);
        free(f);
    }
    free(r);
}
