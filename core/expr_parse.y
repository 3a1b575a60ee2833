/* expr_parse.y -- grammar of Apache 2.4's expression language.
 *
 * The grammar only builds the tree: each action is one call to a builder
 * of core/expr.c.  Its shape (symbols, their order, precedence) is Apache
 * 2.4's so that bison's messages name the same tokens and list the same
 * expected ones ("syntax error, unexpected $end, expecting T_OP_OR or
 * T_OP_AND or ')'"); a builder that fails (unknown variable, function or
 * operator) records its message and the parse goes on, as in Apache.
 */
%define api.pure full
%define api.prefix {expr_yy}
%define parse.error verbose
%expect 0
%param {void *scanner}
%parse-param {expr_parse_ctx *ctx}

%code requires {
#include "expr_int.h"
}

%union {
    const char *str;
    expr_node *node;
    int num;
}

%code {
#include "expr_lex.h"
static void expr_yyerror(void *scanner, expr_parse_ctx *ctx, const char *msg);
}

%token END 0 "$end"
%token T_TRUE T_FALSE T_EXPR_BOOL T_EXPR_STRING
%token <str> T_ERROR T_DIGIT T_ID T_STRING T_REGEX T_REGEX_I
%token <num> T_REGEX_BACKREF
%token <str> T_OP_UNARY T_OP_BINARY
%token T_STR_BEGIN T_STR_END T_VAR_BEGIN T_VAR_END
%token T_OP_EQ T_OP_NE T_OP_LT T_OP_LE T_OP_GT T_OP_GE T_OP_REG T_OP_NRE
%token T_OP_IN T_OP_STR_EQ T_OP_STR_NE T_OP_STR_LT T_OP_STR_LE T_OP_STR_GT
%token T_OP_STR_GE T_OP_CONCAT T_OP_OR T_OP_AND T_OP_NOT

%left T_OP_OR
%left T_OP_AND
%precedence T_OP_NOT
%left T_OP_CONCAT

%type <node> expr comparison strfunccall lstfunccall regex words wordlist
%type <node> word string strpart var backref

%%

root
    : T_EXPR_BOOL expr          { ctx->result = $2; }
    | T_EXPR_STRING string      { ctx->result = $2; }
    | T_ERROR                   { YYABORT; }
    ;

expr
    : T_TRUE                    { $$ = expr_make(ctx, EXO_TRUE, NULL, NULL); }
    | T_FALSE                   { $$ = expr_make(ctx, EXO_FALSE, NULL, NULL); }
    | T_OP_NOT expr             { $$ = expr_make(ctx, EXO_NOT, $2, NULL); }
    | expr T_OP_OR expr         { $$ = expr_make(ctx, EXO_OR, $1, $3); }
    | expr T_OP_AND expr        { $$ = expr_make(ctx, EXO_AND, $1, $3); }
    | comparison                { $$ = $1; }
    | T_OP_UNARY word           { $$ = expr_make_unary(ctx, $1, $2); }
    | word T_OP_BINARY word     { $$ = expr_make_binary(ctx, $2, $1, $3); }
    | '(' expr ')'              { $$ = $2; }
    | T_ERROR                   { YYABORT; }
    ;

comparison
    : word T_OP_EQ word         { $$ = expr_make(ctx, EXO_EQ, $1, $3); }
    | word T_OP_NE word         { $$ = expr_make(ctx, EXO_NE, $1, $3); }
    | word T_OP_LT word         { $$ = expr_make(ctx, EXO_LT, $1, $3); }
    | word T_OP_LE word         { $$ = expr_make(ctx, EXO_LE, $1, $3); }
    | word T_OP_GT word         { $$ = expr_make(ctx, EXO_GT, $1, $3); }
    | word T_OP_GE word         { $$ = expr_make(ctx, EXO_GE, $1, $3); }
    | word T_OP_STR_EQ word     { $$ = expr_make(ctx, EXO_STR_EQ, $1, $3); }
    | word T_OP_STR_NE word     { $$ = expr_make(ctx, EXO_STR_NE, $1, $3); }
    | word T_OP_STR_LT word     { $$ = expr_make(ctx, EXO_STR_LT, $1, $3); }
    | word T_OP_STR_LE word     { $$ = expr_make(ctx, EXO_STR_LE, $1, $3); }
    | word T_OP_STR_GT word     { $$ = expr_make(ctx, EXO_STR_GT, $1, $3); }
    | word T_OP_STR_GE word     { $$ = expr_make(ctx, EXO_STR_GE, $1, $3); }
    | word T_OP_IN wordlist     { $$ = expr_make(ctx, EXO_IN, $1, $3); }
    | word T_OP_REG regex       { $$ = expr_make(ctx, EXO_REG, $1, $3); }
    | word T_OP_NRE regex       { $$ = expr_make(ctx, EXO_NRE, $1, $3); }
    ;

wordlist
    : lstfunccall               { $$ = $1; }
    | '{' words '}'             { $$ = $2; }
    ;

words
    : word                      { $$ = expr_make_list(ctx, NULL, $1); }
    | words ',' word            { $$ = expr_make_list(ctx, $1, $3); }
    ;

string
    : string strpart            { $$ = expr_make(ctx, EXO_CONCAT, $1, $2); }
    | strpart                   { $$ = $1; }
    | T_ERROR                   { YYABORT; }
    ;

strpart
    : T_STRING                  { $$ = expr_make_str(ctx, EXO_STRING, $1); }
    | var                       { $$ = $1; }
    | backref                   { $$ = $1; }
    ;

var
    : T_VAR_BEGIN T_ID T_VAR_END            { $$ = expr_make_var(ctx, $2); }
    | T_VAR_BEGIN T_ID ':' string T_VAR_END { $$ = expr_make_strfunc(ctx, $2, $4); }
    ;

word
    : T_DIGIT                       { $$ = expr_make_str(ctx, EXO_DIGIT, $1); }
    | word T_OP_CONCAT word         { $$ = expr_make(ctx, EXO_CONCAT, $1, $3); }
    | var                           { $$ = $1; }
    | backref                       { $$ = $1; }
    | strfunccall                   { $$ = $1; }
    | T_STR_BEGIN string T_STR_END  { $$ = $2; }
    | T_STR_BEGIN T_STR_END         { $$ = expr_make_str(ctx, EXO_STRING, ""); }
    ;

regex
    : T_REGEX   {
                    $$ = expr_make_regex(ctx, $1, 0);
                    if ($$ == NULL)
                        YYERROR;
                }
    | T_REGEX_I {
                    $$ = expr_make_regex(ctx, $1, 1);
                    if ($$ == NULL)
                        YYERROR;
                }
    ;

backref
    : T_REGEX_BACKREF           { $$ = expr_make_backref(ctx, $1); }
    ;

lstfunccall
    : T_ID '(' word ')'         { $$ = expr_make_listfunc(ctx, $1, $3); }
    ;

strfunccall
    : T_ID '(' word ')'         { $$ = expr_make_strfunc(ctx, $1, $3); }
    ;

%%

static void expr_yyerror(void *scanner, expr_parse_ctx *ctx, const char *msg)
{
    (void)scanner;
    ctx->error = arena_strdup(ctx->arena, msg);
}
