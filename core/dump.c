/* dump.c -- conf_dump(): the read tree as flattened Apache syntax.
 *
 * Includes are already inlined, variables substituted and conditionals
 * resolved by the read phase; what is left is printed with its arguments
 * exactly as written (quotes kept), each directive followed by a comment
 * line "# file:line" (a comment must start its own line in Apache's
 * syntax).  ServerRoot comes first, from the resolved value, so the output
 * loads the same way from any directory.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "readphase.h"
#include "registry.h"

static int is_read_only(const conf_node *n)
{
    /* LoadModule stays: it is how the output loads its MPM again. */
    if (!n->is_section && strcasecmp(n->name, "LoadModule") == 0)
        return 0;
    for (const command_rec *c = conf_read_commands; c->name != NULL; c++) {
        const char *name = c->name;
        int sec = name[0] == '<';
        if (sec == n->is_section && strcasecmp(name + sec, n->name) == 0)
            return 1;
    }
    return 0;
}

static void indent(FILE *out, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("    ", out);
}

static void origin(FILE *out, const conf_node *n, int depth)
{
    indent(out, depth);
    fprintf(out, "# %s:%d\n", n->file ? n->file : "-", n->line);
}

static void dump_children(const conf_node *parent, FILE *out, int depth)
{
    for (const conf_node *n = parent->first_child; n != NULL; n = n->next) {
        if (n->name == NULL)
            continue;
        if (is_read_only(n)) {
            dump_children(n, out, depth);
            continue;
        }
        const char *args = n->args ? n->args : "";
        indent(out, depth);
        if (n->is_section) {
            fprintf(out, "<%s%s%s\n", n->name, args[0] ? " " : "", args);
            origin(out, n, depth);
            dump_children(n, out, depth + 1);
            indent(out, depth);
            fprintf(out, "</%s>\n", n->name);
        } else {
            fprintf(out, "%s%s%s\n", n->name, args[0] ? " " : "", args);
            origin(out, n, depth);
        }
    }
}

void conf_dump(const resolved_config *rc, FILE *out)
{
    if (rc == NULL)
        return;
    if (rc->server_root)
        fprintf(out, "ServerRoot \"%s\"\n", rc->server_root);
    if (rc->tree)
        dump_children(rc->tree, out, 0);
}
