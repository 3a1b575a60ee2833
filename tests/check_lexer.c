/* check_lexer.c -- Apache's lexical rules: words, quoting, continuation,
 * comments, line numbers.  Expectations recorded from apache2 -t 2.4.71
 * (e.g. `Options "a\"b"` -> "Illegal option a"b", so the word is a"b). */
#include <check.h>
#include <string.h>

#include "conf_build.h"
#include "data/parser/readtest.h"

/* ap_getword_conf: text -> words joined by '|' */
static const struct {
    const char *args;
    const char *words;
} word_cases[] = {
    {"a b  c", "a|b|c"},
    {"\"a b\" 'c\\'d' e\"f", "a b|c'd|e\"f"}, /* the DirectoryIndex example */
    {"\"a\\\"b\"", "a\"b"},
    {"\"a\\\\b\"", "a\\b"},
    {"\"a\\nb\"", "a\\nb"}, /* only quote and \ escape */
    {"\"abc", "abc"},       /* unterminated: to the end */
    {"\"ab\"cd", "ab|cd"},  /* closing quote ends word */
    {"'ab\"c'", "ab\"c"},
    {"e\\\"f", "e\\\"f"}, /* unquoted \" stays */
    {"a\\\\b", "a\\b"},   /* unquoted \\ is one \ */
    {"\"\"", ""},         /* one empty word */
    {"Indexes \"\" Foo", "Indexes||Foo"},
    {"\t\"x\ty\" ", "x\ty"},
    {"\"a\\", "a\\"},
    {"", NULL},
    {"   ", NULL},
};

START_TEST(split_words)
{
    arena *a = arena_create(0);
    char **argv;
    int *cols;
    int n = conf_split_args(a, word_cases[_i].args, &argv, &cols);
    if (word_cases[_i].words == NULL) {
        ck_assert_int_eq(n, 0);
    } else {
        char joined[256] = "";
        for (int i = 0; i < n; i++) {
            if (i)
                strcat(joined, "|");
            strcat(joined, argv[i]);
        }
        ck_assert_str_eq(joined, word_cases[_i].words);
    }
    ck_assert_ptr_null(argv[n]);
    arena_destroy(a);
}
END_TEST

START_TEST(split_columns)
{
    arena *a = arena_create(0);
    char **argv;
    int *cols;
    int n = conf_split_args(a, "ab  \"c d\" e", &argv, &cols);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(cols[0], 0);
    ck_assert_int_eq(cols[1], 4);
    ck_assert_int_eq(cols[2], 10);
    arena_destroy(a);
}
END_TEST

/* Lines: text -> "name|args|line" of each top-level node, ';'-joined. */
static const struct {
    const char *text;
    const char *nodes;
} line_cases[] = {
    {"A 1\nB 2\n", "A|1|1;B|2|2"},
    /* continuation joins lines; Apache reports the LAST physical line */
    {"ServerName a \\\n   b\nC\n", "ServerName|a    b|2;C||3"},
    {"X \\\n\\\ny z\n", "X|y z|3"},
    /* a backslash followed by a blank does not continue */
    {"X a\\ \nb c\n", "X|a\\|1;b|c|2"},
    /* "\\\\" before the newline still continues (one backslash removed) */
    {"X a\\\\\nb c\n", "X|a\\b c|2"},
    /* '#' only as the first non-blank; a comment can be continued */
    {"  # c\nTimeout 10 # c\n", "Timeout|10 # c|2"},
    {"# comment \\\nFoo\nBar\n", "Bar||3"},
    {"\t\n\n   \nA\n", "A||4"},
    /* CRLF: the CR is trailing blank */
    {"A 1\r\nB\r\n", "A|1|1;B||2"},
    {"A \\\r\nb\r\n", "A|b|2"},
    /* no newline at the end */
    {"A\nB 2", "A||1;B|2|2"},
    {"A\\", "A\\||1"},
    /* the name is the first word, with quoting */
    {"\"Options\" x\n", "Options|x|1"},
    {"Opt\"ions\" x\n", "Opt\"ions\"|x|1"},
    {"", ""},
};

static const char *describe(conf_node *root)
{
    static char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    for (conf_node *c = root->first_child; c; c = c->next)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s|%s|%d",
                                len ? ";" : "", c->name, c->args, c->line);
    return buf;
}

START_TEST(lines)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    rt_ndiags = 0;
    const char *t = line_cases[_i].text;
    conf_node *root = conf_parse_string(a, "t.conf", t, strlen(t), &sink);
    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(sink.errors, 0);
    /* "name||line" for no args: normalise our format */
    char want[1024];
    snprintf(want, sizeof(want), "%s", line_cases[_i].nodes);
    const char *got = describe(root);
    /* cases written as "Name||N" mean empty args */
    ck_assert_msg(strcmp(got, want) == 0, "case %d: got '%s' want '%s'", _i,
                  got, want);
    arena_destroy(a);
}
END_TEST

START_TEST(nul_ends_the_line)
{
    /* apache2: "Fo\0o" -> Invalid command 'Fo' on that line */
    static const char text[] = "Timeout 10\nFo\0o bar\nBar\n";
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    conf_node *root =
        conf_parse_string(a, "t.conf", text, sizeof(text) - 1, &sink);
    ck_assert_str_eq(describe(root), "Timeout|10|1;Fo||2;Bar||3");
    arena_destroy(a);
}
END_TEST

START_TEST(columns)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    const char *t = "  Listen   80\n<Directory /x>\n</Directory>\n";
    conf_node *root = conf_parse_string(a, "t.conf", t, strlen(t), &sink);
    conf_node *n = root->first_child;
    ck_assert_int_eq(n->col, 3);
    /* the argument column is the line's (the node does not keep it) */
    char line[] = "  Listen   80";
    struct conf_line l;
    ck_assert_int_eq(conf_line_classify(a, line, strlen(line), &l),
                     CONF_LINE_DIRECTIVE);
    ck_assert_int_eq(l.col, 3);
    ck_assert_int_eq(l.args_col, 12);
    n = n->next;
    ck_assert_int_eq(n->col, 1);
    ck_assert_int_eq(n->is_section, 1);
    ck_assert_str_eq(n->args, "/x>");
    ck_assert_int_eq(n->end_line, 3);
    arena_destroy(a);
}
END_TEST

START_TEST(section_openers)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    /* <Directory> alone: name Directory, args ">" (apache2 then says
     * "<Directory> directive requires additional arguments"); <> is a
     * section with an empty name; "< X>" too. */
    const char *t = "<Directory>\n</Directory>\n<>\n</>\n< X>\n</>\n";
    conf_node *root = conf_parse_string(a, "t.conf", t, strlen(t), &sink);
    ck_assert_int_eq(sink.errors, 0);
    ck_assert_str_eq(describe(root), "Directory|>|1;|>|3;|X>|5");
    arena_destroy(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("words");
    tcase_add_loop_test(tc, split_words, 0,
                        sizeof(word_cases) / sizeof(word_cases[0]));
    tcase_add_test(tc, split_columns);
    suite_add_tcase(s, tc);
    tc = tcase_create("lines");
    tcase_add_loop_test(tc, lines, 0,
                        sizeof(line_cases) / sizeof(line_cases[0]));
    tcase_add_test(tc, nul_ends_the_line);
    tcase_add_test(tc, columns);
    tcase_add_test(tc, section_openers);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
