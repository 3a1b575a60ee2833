/* parser.h -- configuration text -> tree of directives and sections.
 *
 * The parser knows Apache's lexical rules (backslash-newline continuation,
 * '#' comments only as the first non-blank of a line, quoting) and nothing
 * about directive names.  It is a reentrant flex scanner and a pure bison
 * parser; the grammar only calls the builder functions in tree.c.
 *
 * Every node carries the file, line and column it came from.  Each file is
 * parsed on its own (sections must balance within one file, as in Apache);
 * the read phase (core/readphase.c) splices included files into the tree.
 */
#ifndef HTTPD_PARSER_H
#define HTTPD_PARSER_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

typedef struct conf_node conf_node;

struct conf_node {
    /* Directive or section name as written, without '<' ("Directory"). */
    const char *name;
    /* Raw argument text after the name, blanks trimmed, quotes and
     * backslashes untouched.  For a section opener this is the text after
     * the name up to the end of the line *including* the closing '>', e.g.
     * "/var/www>" -- the section's handler checks for and strips the '>'
     * ("<Directory> directive missing closing '>'"), exactly as Apache's
     * handlers see it. */
    const char *args;

    const char *file; /* file name as opened (shared string) */

    conf_node *parent;
    conf_node *first_child; /* sections only */
    union {
        conf_node *last_child;  /* sections */
        const char *error_word; /* parse_error nodes (see below) */
    };
    conf_node *next; /* next sibling */

    int line;     /* line Apache reports: the LAST physical line
                   * of a backslash-continued directive */
    int col;      /* 1-based column of the name (of '<' for sections) */
    int end_line; /* sections: line of the closing </Name> */

    unsigned char is_section; /* opened with <Name ...> */
    /* Only in trees from conf_parse_deferred(): a structural problem left
     * where it was found, for the read phase to report in Apache's order
     * (name == NULL for these nodes, which never have children).
     * CONF_PERR_MESSAGE: args is the message.  CONF_PERR_CLOSE: a closer
     * that does not close the open section; error_word is the closer as
     * written ("</Files>"), args the open section's name. */
    unsigned char parse_error;
};
/* (72 bytes: a configuration of 50,000 virtual hosts has half a million
 * of these, so every field costs its size times that) */

#define CONF_PERR_MESSAGE 1
#define CONF_PERR_CLOSE 2
/* The file could not be read past this point (a line over Apache's 16 MiB
 * limit): args is the message, which Apache reports as an error of the
 * Include that read the file (line 1 for the main file). */
#define CONF_PERR_READ 3

/* Parse one file into a new root node (a nameless section whose children are
 * the file's top-level nodes).  Structural errors -- unbalanced or mismatched
 * sections, a closer without '>' -- are read-time errors reported to diag with
 * Apache's wording:
 *     "<Directory> was not closed."           (as "FILE:LINE: <Directory> was
 * not closed.") "Expected </Directory> but saw </Files>"
 *     "</Directory> without matching <Directory> section"
 *     "</Directory> directive missing closing '>'"
 * Returns NULL on error when diag does not keep going; otherwise returns the
 * best tree it could build.  A file that cannot be opened is reported as
 * "Could not open configuration file FILE: STRERROR". */
conf_node *conf_parse_file(arena *a, const char *path, diag_sink *diag);

/* Same, from memory; name is used as the file name in locations. */
conf_node *conf_parse_string(arena *a, const char *name, const char *text,
                             size_t len, diag_sink *diag);

/* For the read phase: parse without reporting structural errors.  They
 * stay in the tree as parse_error nodes, and sections still open at the
 * end of the file have end_line == 0: Apache's verdict on them depends on
 * read-time decisions (a true <IfDefine>'s body may end at end of file, a
 * false one may not).  Only "Could not open" and syntax errors are
 * reported directly. */
conf_node *conf_parse_deferred(arena *a, const char *name, const char *text,
                               size_t len, diag_sink *diag);

/* The same without a copy: buf comes from conf_parse_buffer_alloc(a, len)
 * (len + 2 bytes, the last two NUL) with the file's text in buf[0..len).
 * The lines are taken apart in place and the tree points into buf.
 * conf_parse_buffer_alloc() returns NULL for texts flex cannot take. */
char *conf_parse_buffer_alloc(arena *a, size_t len);
conf_node *conf_parse_deferred_buffer(arena *a, const char *name, char *buf,
                                      size_t len, diag_sink *diag);

/* Split raw argument text into words with Apache's rules (ap_getword_conf):
 * words are separated by blanks; a word that starts with " or ' runs to the
 * matching unescaped quote, and inside it a backslash escapes only that quote
 * character and a backslash.  Returns the number of words and sets *argv to
 * a NULL-terminated array allocated in a.  If cols is not NULL, *cols gets
 * the 0-based offset of each word inside args. */
int conf_split_args(arena *a, const char *args, char ***argv, int **cols);

/* One word by the same rules (Apache's ap_getword_conf): returns the next
 * word, unquoted, allocated in a ("" at the end) and advances *s past it
 * and the blanks after it. */
char *conf_getword(arena *a, const char **s);

/* Tree building helpers used by the grammar and by the read phase. */
conf_node *conf_node_new(arena *a, const char *name, const char *args,
                         const char *file, int line, int col);
void conf_node_append(conf_node *parent, conf_node *child);

#endif
