/* conf_build.h -- the parser's private interface between the flex scanner,
 * the bison grammar and the tree builder (tree.c, line.c).
 *
 * The scanner assembles logical lines (backslash-newline continuation,
 * NUL truncation) and classifies each one with conf_line_classify(); the
 * grammar sequences the lines and calls one builder function per line.
 * Section nesting is kept by the builder on an explicit stack (the open
 * section chain in the tree), not by grammar recursion: Apache's section
 * rules depend on read-time decisions (a true <IfDefine>'s body ends
 * silently at end of file, a false one does not), and a flat grammar
 * cannot exhaust bison's stack on 10,000 nested sections.
 */
#ifndef HTTPD_CONF_BUILD_H
#define HTTPD_CONF_BUILD_H

#include <stddef.h>

#include "parser.h"

enum conf_line_kind {
    CONF_LINE_BLANK,     /* empty or comment */
    CONF_LINE_DIRECTIVE, /* Name args */
    CONF_LINE_OPEN,      /* <Name args> */
    CONF_LINE_CLOSE      /* </Name> */
};

/* One logical line, classified. */
struct conf_line {
    enum conf_line_kind kind;
    const char *name; /* without '<' / '</' and, for closers, without '>' */
    const char *word; /* closers: the first word as written ("</Directory>") */
    const char *args; /* trimmed argument text, "" when none */
    int first_line;   /* first physical line */
    int line;         /* last physical line (Apache reports this one) */
    int col;          /* 1-based column of the name ('<' for sections) */
    int args_col;     /* 1-based column of args, 0 when none */
};

/* Classify text[0..len) (one logical line, already continued) with
 * Apache's rules.  The line is taken apart in place: text must stay alive
 * and unchanged as long as the tree (an arena's copy of the file), and
 * text[len] must be writable.  The few strings that need their own copy
 * are allocated in a.  Returns kind. */
enum conf_line_kind conf_line_classify(arena *a, char *text, size_t len,
                                       struct conf_line *out);

/* Character classes for the word scanner (line.c): Apache's apr_isspace()
 * set, the end of an unquoted word (a blank or NUL), a backslash. */
#define CONF_C_SPACE 1
#define CONF_C_WORD_END 2
#define CONF_C_BACKSLASH 4
extern const unsigned char conf_ctype[256];

static inline int conf_isspace(int c)
{
    return conf_ctype[(unsigned char)c] & CONF_C_SPACE;
}

/* The builder: one per parsed file. */
typedef struct conf_builder {
    arena *arena;
    const char *file;
    diag_sink *diag;
    int deferred; /* leave structural errors in the tree (read phase) */
    conf_node *root;
    conf_node *open; /* innermost open section, root when none */
    int stop;        /* an error was reported and diag does not go on */
} conf_builder;

void conf_build_line(conf_builder *b, const struct conf_line *l);
void conf_build_finish(conf_builder *b);
void conf_build_syntax_error(conf_builder *b, int line, int col,
                             const char *msg);

/* Scanner state, reached through yyextra. */
struct conf_lexer {
    arena *arena;
    conf_builder *builder;
    char *first; /* the logical line's first piece, in the scanned buffer */
    size_t first_len;
    int npieces;
    char *buf; /* a continued logical line being assembled (heap) */
    size_t len, cap;
    int have_pending; /* a logical line is being continued */
    int line;         /* physical line at the start of the next match */
    int col;          /* column at the start of the next match */
    int start_line;   /* first physical line of the logical line */
    int pending_eol;  /* a line token was returned; EOL comes next */
    int too_long;     /* the logical line went over CONF_MAX_LINE */
    struct conf_line *current;
    struct conf_line line_rec;
};

/* Apache refuses logical lines longer than this (VARBUF_MAX_LEN). */
#define CONF_MAX_LINE (16 * 1024 * 1024)

/* Append a piece of physical line to the logical line.  Returns 1 when
 * the logical line is complete (no continuation), 0 when it continues. */
int conf_lex_piece(struct conf_lexer *lx, char *text, size_t len,
                   int continued);
/* Classify the assembled logical line into lx->current; returns the
 * token to hand to the grammar (0 for blank lines). */
int conf_lex_finish(struct conf_lexer *lx);

#endif
