/* tree.c -- building the tree of directives and sections, and the parse
 * entry points.
 *
 * The grammar calls conf_build_line() once per logical line.  The builder
 * keeps the chain of open sections in the tree itself (b->open and the
 * parent pointers), so nesting depth costs no C stack.  Structural errors
 * use Apache's wording (checked against apache2 -t 2.4.71):
 *   - a closer with no open section: "</X> without matching <X> section",
 *     built from the closer word as written (so "</X >" gives
 *     "</X without matching <X section", as Apache prints it);
 *   - a closer word that does not end in '>': "</X> directive missing
 *     closing '>'" (the word, then "> directive missing closing '>'");
 *   - a closer for another section: "Expected </Open> but saw </X>";
 *   - end of file inside sections: "FILE:LINE: <X> was not closed." for
 *     each open section, innermost first, one per line, reported at the
 *     outermost one's line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_build.h"
#include "conf_lex.h"
#include "conf_parse.h"

/* Half a million of these for 50,000 vhosts: keep it at nine words. */
_Static_assert(sizeof(void *) != 8 || sizeof(conf_node) == 72,
               "conf_node grew");

conf_node *conf_node_new(arena *a, const char *name, const char *args,
                         const char *file, int line, int col)
{
    conf_node *n = arena_calloc(a, sizeof(*n));
    n->name = name;
    n->args = args;
    n->file = file;
    n->line = line;
    n->col = col;
    return n;
}

void conf_node_append(conf_node *parent, conf_node *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

static void report(conf_builder *b, int line, int col, const char *rule,
                   const char *msg)
{
    diag_errorf(b->diag, DIAG_READ, b->file, line, col, rule, "%s", msg);
    if (diag_should_stop(b->diag))
        b->stop = 1;
}

/* A structural problem: reported now, or left in the tree for the read
 * phase (deferred mode). */
static void problem(conf_builder *b, const struct conf_line *l, int kind,
                    const char *msg_or_open)
{
    if (!b->deferred) {
        const char *msg = msg_or_open;
        if (kind == CONF_PERR_CLOSE) {
            size_t wl = strlen(l->word);
            if (wl == 0 || l->word[wl - 1] != '>')
                msg = arena_printf(
                    b->arena, "%s> directive missing closing '>'", l->word);
            else
                msg = arena_printf(b->arena, "Expected </%s> but saw %s",
                                   msg_or_open, l->word);
        }
        report(b, l->line, l->col, "section-mismatch", msg);
        return;
    }
    conf_node *n =
        conf_node_new(b->arena, NULL, msg_or_open, b->file, l->line, l->col);
    n->parse_error = kind;
    n->error_word = l->word;
    conf_node_append(b->open, n);
}

static void close_section(conf_builder *b, const struct conf_line *l)
{
    if (b->open == b->root) {
        problem(b, l, CONF_PERR_MESSAGE,
                arena_printf(b->arena, "%s without matching <%s section",
                             l->word, l->word + 2));
        return;
    }
    size_t wl = strlen(l->word);
    int has_gt = wl > 2 && l->word[wl - 1] == '>';
    if (has_gt && strcasecmp(l->name, b->open->name) == 0) {
        b->open->end_line = l->line;
        b->open = b->open->parent;
        return;
    }
    problem(b, l, CONF_PERR_CLOSE, b->open->name);
    /* Recover (for confcheck, which goes on): "</Directory >" closes the
     * open <Directory>; a well-formed closer closes up to the open section
     * it names, or else the innermost one (it stands where that section
     * ends: "</Directroy>", "</Files>" for a <Directory>); a malformed
     * closer for another section is ignored. */
    conf_node *upto = b->open;
    if (strcasecmp(l->name, b->open->name) != 0) {
        if (!has_gt)
            return;
        for (conf_node *s = b->open; s != b->root; s = s->parent)
            if (strcasecmp(l->name, s->name) == 0) {
                upto = s;
                break;
            }
    }
    for (conf_node *t = b->open; t != upto; t = t->parent)
        t->end_line = l->line;
    upto->end_line = l->line;
    b->open = upto->parent;
}

void conf_build_line(conf_builder *b, const struct conf_line *l)
{
    if (b->stop)
        return;
    if (l->kind == CONF_LINE_CLOSE) {
        close_section(b, l);
        return;
    }
    conf_node *n =
        conf_node_new(b->arena, l->name, l->args, b->file, l->line, l->col);
    conf_node_append(b->open, n);
    if (l->kind == CONF_LINE_OPEN) {
        n->is_section = 1;
        b->open = n;
    }
}

void conf_build_syntax_error(conf_builder *b, int line, int col,
                             const char *msg)
{
    if (b->stop)
        return;
    if (strstr(msg, "line too long") != NULL) {
        /* apache2: "Error reading FILE at line N: Line too long" */
        msg = arena_printf(b->arena,
                           "Error reading %s at line %d: Line too "
                           "long",
                           b->file, line);
        if (b->deferred) {
            conf_node *n =
                conf_node_new(b->arena, NULL, msg, b->file, line, col);
            n->parse_error = CONF_PERR_READ;
            conf_node_append(b->open, n);
            b->stop = 1; /* Apache stops reading the file here */
            return;
        }
    }
    diag_errorf(b->diag, DIAG_READ, b->file, line, col, "syntax", "%s", msg);
    if (diag_should_stop(b->diag))
        b->stop = 1;
}

/* End of file: sections still open. */
void conf_build_finish(conf_builder *b)
{
    if (b->stop || b->open == b->root || b->deferred)
        return;
    size_t cap = 256, len = 0;
    char *msg = malloc(cap);
    conf_node *outer = b->open;
    if (msg == NULL)
        abort();
    msg[0] = '\0';
    for (conf_node *s = b->open; s != b->root; s = s->parent) {
        char item[512];
        int n = snprintf(item, sizeof(item), "%s%s:%d: <%s> was not closed.",
                         len ? "\n" : "", s->file, s->line, s->name);
        if (n < 0)
            n = 0;
        if ((size_t)n >= sizeof(item))
            n = (int)sizeof(item) - 1;
        while (len + (size_t)n + 1 > cap) {
            cap *= 2;
            char *nm = realloc(msg, cap);
            if (nm == NULL)
                abort();
            msg = nm;
        }
        memcpy(msg + len, item, (size_t)n + 1);
        len += (size_t)n;
        outer = s;
    }
    report(b, outer->line, outer->col, "section-not-closed", msg);
    free(msg);
}

/* buf: len + 2 bytes owned by a, the last two NUL (flex's end of buffer);
 * the lines are taken apart in place and the tree points into buf. */
static conf_node *parse_buffer(arena *a, const char *name, char *buf,
                               size_t len, diag_sink *diag, int deferred)
{
    conf_builder b = {
        .arena = a,
        .file = arena_strdup(a, name),
        .diag = diag,
        .deferred = deferred,
    };
    struct conf_lexer lx = {.arena = a, .builder = &b, .line = 1, .col = 1};
    yyscan_t scanner;
    int errors_before = diag ? diag->errors : 0;

    b.root = conf_node_new(a, NULL, "", b.file, 0, 0);
    b.root->is_section = 1;
    b.open = b.root;
    if (conf_yylex_init_extra(&lx, &scanner) != 0)
        abort();
    YY_BUFFER_STATE st = conf_yy_scan_buffer(buf, len + 2, scanner);
    if (st == NULL)
        abort();
    conf_yyparse(scanner, &b);
    conf_yy_delete_buffer(st, scanner);
    conf_yylex_destroy(scanner);
    free(lx.buf);
    conf_build_finish(&b);
    b.root->end_line = lx.line;
    if (diag && diag->errors > errors_before && !diag->keep_going)
        return NULL;
    return b.root;
}

char *conf_parse_buffer_alloc(arena *a, size_t len)
{
    if (len > (size_t)INT_MAX - 2)
        return NULL; /* flex's buffer sizes are ints */
    char *buf = arena_alloc(a, len + 2);
    buf[len] = buf[len + 1] = '\0';
    return buf;
}

static conf_node *parse_text(arena *a, const char *name, const char *text,
                             size_t len, diag_sink *diag, int deferred)
{
    char *buf = conf_parse_buffer_alloc(a, len);
    if (buf == NULL) {
        diag_errorf(diag, DIAG_READ, name, 0, 0, "open-failed",
                    "Could not open configuration file %s: %s", name,
                    strerror(EFBIG));
        return NULL;
    }
    memcpy(buf, text, len);
    return parse_buffer(a, name, buf, len, diag, deferred);
}

conf_node *conf_parse_string(arena *a, const char *name, const char *text,
                             size_t len, diag_sink *diag)
{
    return parse_text(a, name, text, len, diag, 0);
}

conf_node *conf_parse_deferred(arena *a, const char *name, const char *text,
                               size_t len, diag_sink *diag)
{
    return parse_text(a, name, text, len, diag, 1);
}

conf_node *conf_parse_deferred_buffer(arena *a, const char *name, char *buf,
                                      size_t len, diag_sink *diag)
{
    return parse_buffer(a, name, buf, len, diag, 1);
}

conf_node *conf_parse_file(arena *a, const char *path, diag_sink *diag)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        diag_errorf(diag, DIAG_READ, NULL, 0, 0, "open-failed",
                    "Could not open configuration file %s: %s", path,
                    strerror(errno));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *text = malloc(cap);
    size_t got;
    if (text == NULL)
        abort();
    while ((got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            char *nt = realloc(text, cap);
            if (nt == NULL)
                abort();
            text = nt;
        }
    }
    fclose(f);
    conf_node *root = parse_text(a, path, text, len, diag, 0);
    free(text);
    return root;
}
