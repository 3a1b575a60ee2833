/* tree.c -- placeholder; the parser work replaces it. */
#include "parser.h"
#include <string.h>
conf_node *conf_node_new(arena *a, const char *name, const char *args,
                         const char *file, int line, int col)
{
    conf_node *n = arena_calloc(a, sizeof(*n));
    n->name = name; n->args = args; n->file = file; n->line = line; n->col = col;
    return n;
}
void conf_node_append(conf_node *parent, conf_node *child)
{
    child->parent = parent;
    if (parent->last_child) parent->last_child->next = child;
    else parent->first_child = child;
    parent->last_child = child;
}
conf_node *conf_parse_file(arena *a, const char *path, diag_sink *diag)
{ (void)a; (void)path; diag_errorf(diag, DIAG_READ, path, 0, 0, "todo", "parser not written yet"); return NULL; }
conf_node *conf_parse_string(arena *a, const char *name, const char *text, size_t len, diag_sink *diag)
{ (void)a; (void)text; (void)len; diag_errorf(diag, DIAG_READ, name, 0, 0, "todo", "parser not written yet"); return NULL; }
int conf_split_args(arena *a, const char *args, char ***argv, int **cols)
{ (void)args; *argv = arena_calloc(a, sizeof(char *)); if (cols) *cols = NULL; return 0; }
