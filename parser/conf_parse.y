/* conf_parse.y -- placeholder grammar; replaced by the parser work. */
%define api.pure full
%locations
%define parse.error detailed
%expect 0
%param {void *scanner}
%code provides {
int yylex(YYSTYPE *lvalp, YYLTYPE *llocp, void *scanner);
void yyerror(YYLTYPE *llocp, void *scanner, const char *msg);
}
%token END_OF_LINE
%%
config: %empty ;
%%
void yyerror(YYLTYPE *llocp, void *scanner, const char *msg)
{
    (void)llocp; (void)scanner; (void)msg;
}
