/* expr.h -- Apache 2.4's expression language (ap_expr).
 *
 * An expression is parsed once at configuration time into a tree that
 * lives in the configuration's arena (regexes compiled, variables and
 * functions looked up, constant subnets parsed), and evaluated per request:
 *
 *   expr *e;
 *   const char *err = expr_parse(cmd->arena, text, 0, &e);
 *   ...
 *   int ok = expr_exec(e, r, &err);      1 true, 0 false, -1 error
 *
 * Parse errors are worded as Apache's ("syntax error, unexpected $end",
 * "Variable 'X' does not exist", "Parse error near '@'"...); callers add
 * their own prefix ("Cannot parse expression in require line: ").
 *
 * The grammar is core/expr_parse.y, the scanner core/expr_lex.l; the tree
 * builders are in core/expr.c and the evaluator in core/expr_eval.c.
 */
#ifndef HTTPD_EXPR_H
#define HTTPD_EXPR_H

#include "arena.h"

struct request;

typedef struct expr expr;

/* expr_parse flags */
#define EXPR_FLAG_STRING 1 /* a string expression, not a condition */

/* Parse text.  Returns NULL and sets *out, or Apache's error message
 * (allocated in a). */
const char *expr_parse(arena *a, const char *text, int flags, expr **out);

/* expr_parse() for a directive: a failed evaluation is then logged as
 * Apache does, "Evaluation of expression from FILE:LINE failed: ...", at
 * error level for the directive's module. */
struct cmd_parms;
const char *expr_parse_cmd(struct cmd_parms *cmd, const char *text, int flags,
                           expr **out);

/* Evaluate a condition for r: 1 true, 0 false, -1 error (*err says why,
 * allocated in r->arena).  Request headers the result depends on are
 * merged into the response's Vary header, as Apache does. */
int expr_exec(const expr *e, struct request *r, const char **err);

/* The same, without touching Vary (CustomLog conditions, tests). */
int expr_exec_novary(const expr *e, struct request *r, const char **err);

/* expr_exec() that also gives the groups of the last successful regex
 * match (=~) and its subject (*source NULL when none matched): Apache's
 * ap_expr_exec_re(), for $1..$9 in what the condition sets. */
struct conf_regmatch_t;
int expr_exec_re(const expr *e, struct request *r, int nmatch,
                 struct conf_regmatch_t *m, const char **source,
                 const char **err);

/* Evaluate a string expression (EXPR_FLAG_STRING); NULL on error.  The
 * headers it reads are not added to Vary, as in apache2. */
const char *expr_exec_string(const expr *e, struct request *r,
                             const char **err);

/* The text the expression was parsed from. */
const char *expr_source(const expr *e);

#endif
