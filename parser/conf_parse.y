/* conf_parse.y -- configuration grammar: a sequence of logical lines.
 *
 * The scanner hands over one token per logical line (already classified
 * with Apache's rules) followed by EOL.  Each action is one call into the
 * builder (tree.c), which keeps the open-section chain and checks that
 * sections balance.  Nesting is deliberately not expressed as grammar
 * recursion; see conf_build.h for why.  A line the scanner cannot read
 * (BAD_LINE, over Apache's length limit) is a syntax error; bison's error
 * token resynchronises at the next end of line so every later line is
 * still parsed.
 */
%define api.pure full
%define api.prefix {conf_yy}
%locations
%define parse.error detailed
%expect 0
%param {void *scanner}
%parse-param {conf_builder *builder}

%code requires {
#include "conf_build.h"
}
%define api.value.type {struct conf_line *}

%code provides {
int conf_yylex(CONF_YYSTYPE *lvalp, CONF_YYLTYPE *llocp, void *scanner);
void conf_yyerror(CONF_YYLTYPE *llocp, void *scanner, conf_builder *builder,
                  const char *msg);
}

%token DIRECTIVE "directive"
%token SECTION_OPEN "section opener"
%token SECTION_CLOSE "section closer"
%token BAD_LINE "line too long"
%token EOL "end of line"

%%
config:
  %empty
| config line
;

line:
  DIRECTIVE EOL      { conf_build_line(builder, $1); }
| SECTION_OPEN EOL   { conf_build_line(builder, $1); }
| SECTION_CLOSE EOL  { conf_build_line(builder, $1); }
| error EOL          { yyerrok; }
;
%%

void conf_yyerror(CONF_YYLTYPE *llocp, void *scanner, conf_builder *builder,
                  const char *msg)
{
    (void)scanner;
    conf_build_syntax_error(builder, llocp->last_line, llocp->first_column,
                            msg);
}
