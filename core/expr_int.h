/* expr_int.h -- the expression tree and the parser's context, shared by
 * the scanner (expr_lex.l), the grammar (expr_parse.y), the builders
 * (expr.c) and the evaluator (expr_eval.c).  Not for modules: they use
 * expr.h. */
#ifndef HTTPD_EXPR_INT_H
#define HTTPD_EXPR_INT_H

#include <stddef.h>

#include "arena.h"
#include "conf_regex.h"
#include "expr.h"
#include "subnet.h"

enum expr_op {
    /* conditions */
    EXO_TRUE,
    EXO_FALSE,
    EXO_NOT,
    EXO_OR,
    EXO_AND,
    EXO_UNARY,  /* num: the operator letter; a: the word; data: subnet */
    EXO_BINARY, /* num: enum expr_binop; a, b: words; data: subnet */
    EXO_EQ,
    EXO_NE,
    EXO_LT,
    EXO_LE,
    EXO_GT,
    EXO_GE, /* integers */
    EXO_STR_EQ,
    EXO_STR_NE,
    EXO_STR_LT,
    EXO_STR_LE,
    EXO_STR_GT, /* strings */
    EXO_STR_GE,
    EXO_REG,
    EXO_NRE, /* a: word; b: EXO_REGEX */
    EXO_IN,  /* a: word; b: EXO_LIST chain or EXO_LISTFUNC */
    /* words */
    EXO_DIGIT,    /* str */
    EXO_STRING,   /* str */
    EXO_CONCAT,   /* a . b */
    EXO_VAR,      /* num: enum expr_var */
    EXO_STRFUNC,  /* num: enum expr_func; a: argument; str: name */
    EXO_LISTFUNC, /* never built: 2.4 has no list function without mod_ssl */
    EXO_BACKREF,  /* num: 0-9 */
    EXO_LIST,     /* a: word; b: next EXO_LIST or NULL */
    EXO_REGEX     /* re; num: 1 case-insensitive */
};

typedef struct expr_node expr_node;
struct expr_node {
    enum expr_op op;
    int num;
    const char *str;
    expr_node *a, *b;
    conf_regex_t *re;
    void *data;
    int depth; /* levels below and including this node */
};

/* Evaluation recurses over the tree: deeper trees (a 16 MB line of
 * "'a' . 'a' . ...") are refused at parse time. */
#define EXPR_MAX_DEPTH 10000

struct expr {
    const expr_node *root;
    int is_string;
    int uses_backrefs; /* $0-$9 appear: =~ must record its captures */
    const char *text;
    /* where it was written and the module whose directive it is (the
     * error-log line of a failed evaluation names them), or NULL */
    const char *file;
    int line;
    const char *module;
};

/* The parser's and the scanner's shared state. */
typedef struct expr_parse_ctx {
    arena *arena; /* the configuration arena: the tree lives here */
    void *scanner;
    const char *input;
    size_t inlen, inpos;
    int flags;
    int at_start;       /* the scanner's first token says bool/string */
    const char *error;  /* bison's message */
    const char *error2; /* the scanner's or a builder's message */
    expr_node *result;
    char *buf; /* string/regex being scanned */
    size_t len, cap;
    char delim;        /* quote or regex delimiter */
    int uses_backrefs; /* a $N was built */
} expr_parse_ctx;

/* Builders, called from the grammar's actions. */
expr_node *expr_make(expr_parse_ctx *ctx, enum expr_op op, expr_node *a,
                     expr_node *b);
expr_node *expr_make_str(expr_parse_ctx *ctx, enum expr_op op, const char *s);
expr_node *expr_make_var(expr_parse_ctx *ctx, const char *name);
expr_node *expr_make_strfunc(expr_parse_ctx *ctx, const char *name,
                             expr_node *arg);
expr_node *expr_make_listfunc(expr_parse_ctx *ctx, const char *name,
                              expr_node *arg);
expr_node *expr_make_unary(expr_parse_ctx *ctx, const char *op, expr_node *arg);
expr_node *expr_make_binary(expr_parse_ctx *ctx, const char *op, expr_node *a,
                            expr_node *b);
expr_node *expr_make_regex(expr_parse_ctx *ctx, const char *pattern, int icase);
expr_node *expr_make_backref(expr_parse_ctx *ctx, int n);
expr_node *expr_make_list(expr_parse_ctx *ctx, expr_node *list,
                          expr_node *word);

/* The scanner's entry points (generated). */
void expr_scan_buffer_grow(expr_parse_ctx *ctx, char c);
/* The text scanned so far (in the arena); the buffer restarts. */
const char *expr_scan_take(expr_parse_ctx *ctx);

/* Variables and functions, shared by the builders and the evaluator. */
enum expr_var {
    EV_REQUEST_METHOD,
    EV_REQUEST_SCHEME,
    EV_REQUEST_URI,
    EV_REQUEST_FILENAME,
    EV_REMOTE_HOST,
    EV_REMOTE_IDENT,
    EV_REMOTE_USER,
    EV_SERVER_ADMIN,
    EV_SERVER_NAME,
    EV_SERVER_PORT,
    EV_SERVER_PROTOCOL,
    EV_SCRIPT_FILENAME,
    EV_PATH_INFO,
    EV_QUERY_STRING,
    EV_IS_SUBREQ,
    EV_DOCUMENT_ROOT,
    EV_AUTH_TYPE,
    EV_THE_REQUEST,
    EV_CONTENT_TYPE,
    EV_HANDLER,
    EV_REQUEST_LOG_ID,
    EV_SCRIPT_USER,
    EV_SCRIPT_GROUP,
    EV_DOCUMENT_URI,
    EV_LAST_MODIFIED,
    EV_CONTEXT_PREFIX,
    EV_CONTEXT_DOCUMENT_ROOT,
    EV_REQUEST_STATUS,
    EV_REMOTE_ADDR,
    EV_REMOTE_PORT,
    EV_HTTP_USER_AGENT,
    EV_HTTP_PROXY_CONNECTION,
    EV_HTTP_REFERER,
    EV_HTTP_COOKIE,
    EV_HTTP_FORWARDED,
    EV_HTTP_HOST,
    EV_HTTP_ACCEPT,
    EV_TIME_YEAR,
    EV_TIME_MON,
    EV_TIME_DAY,
    EV_TIME_HOUR,
    EV_TIME_MIN,
    EV_TIME_SEC,
    EV_TIME_WDAY,
    EV_TIME,
    EV_SERVER_SOFTWARE,
    EV_API_VERSION,
    EV_HTTPS,
    EV_IPV6,
    EV_CONN_LOG_ID,
    EV_CONN_REMOTE_ADDR,
    EV_COUNT
};
extern const char *const expr_var_names[EV_COUNT];

enum expr_func {
    EF_REQ,
    EF_HTTP,
    EF_REQ_NOVARY,
    EF_RESP,
    EF_REQENV,
    EF_OSENV,
    EF_NOTE,
    EF_ENV,
    EF_TOLOWER,
    EF_TOUPPER,
    EF_ESCAPE,
    EF_UNESCAPE,
    EF_FILE,
    EF_FILESIZE,
    EF_BASE64,
    EF_UNBASE64,
    EF_SHA1,
    EF_MD5,
    EF_LDAP,
    EF_COUNT
};
extern const char *const expr_func_names[EF_COUNT];

enum expr_binop { EB_IPMATCH, EB_STRMATCH, EB_STRCMATCH, EB_FNMATCH };

#endif
