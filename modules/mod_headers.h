/* mod_headers.h -- Header and RequestHeader. */
#ifndef HTTPD_MOD_HEADERS_H
#define HTTPD_MOD_HEADERS_H

#include "conf_regex.h"

#include "conf.h"

enum header_action {
    HDR_ADD,
    HDR_SET,
    HDR_SETIFEMPTY,
    HDR_APPEND,
    HDR_MERGE,
    HDR_UNSET,
    HDR_ECHO,
    HDR_NOTE,
    HDR_EDIT,
    HDR_EDIT_ALL
};

/* A value is a list of pieces: literal text, or %t %D %{VAR}e %{VAR}s
 * %l %i %b (mod_headers' format tags). */
typedef struct header_piece {
    char tag;         /* 0 for literal text */
    const char *text; /* literal text, or the {argument} */
    struct header_piece *next;
} header_piece;

typedef struct header_entry {
    enum header_action action;
    const char *header;        /* name (a regex for echo) */
    header_piece *value;       /* set/add/...: the value; edit: substitution */
    const char *value_text;    /* as written */
    conf_regex_t *regex;       /* echo: header-name regex; edit: match */
    const char *condition_var; /* env=[!]VAR without '!' */
    int condition_negate;
    struct expr *expr;       /* expr=... condition, or NULL */
    struct expr *value_expr; /* value written as expr=..., or NULL */
    int always;              /* Header always (err_headers_out) */
    int early;
    const char *file;
    int line;
    struct header_entry *next;
} header_entry;

typedef struct headers_conf {
    header_entry *out_onsuccess, *out_onsuccess_tail;
    header_entry *out_always, *out_always_tail;
    header_entry *in, *in_tail;
} headers_conf;

extern module headers_module;

#endif
