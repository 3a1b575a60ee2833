/* line.c -- Apache's lexical rules for one logical line: blank and comment
 * lines, the directive or section name, and ap_getword_conf() words.
 *
 * Facts checked against apache2 -t (2.4.71):
 *   - leading and trailing blanks are trimmed; '#' is a comment only as the
 *     first non-blank character of the (continued) line;
 *   - the name is the first word taken with the quoting rules below, so
 *     `"Options" x` is Options, and `Opt"ions"` is the name Opt"ions";
 *   - a word that starts with " or ' runs to the matching quote (or the end
 *     of the line); inside it backslash escapes only that quote and a
 *     backslash.  Outside quotes "\\" still becomes "\".  A closing quote
 *     ends the word: `"ab"cd` is two words, ab and cd;
 *   - `<Name>` with nothing after it is the section Name with args ">";
 *     `<>` is a section with an empty name; `< X>` too (args "X>").
 */
#include <string.h>

#include "conf_build.h"

#define SP (CONF_C_SPACE | CONF_C_WORD_END)
const unsigned char conf_ctype[256] = {
    ['\0'] = CONF_C_WORD_END,
    [' '] = SP,
    ['\t'] = SP,
    ['\n'] = SP,
    ['\v'] = SP,
    ['\f'] = SP,
    ['\r'] = SP,
    ['\\'] = CONF_C_BACKSLASH,
};
#undef SP

/* Copy start[0..len) to out removing the escapes Apache removes (out may
 * be start itself: the result is never longer); returns the end. */
static char *unescape_to(char *out, const char *start, size_t len, char quote)
{
    const char *bs = memchr(start, '\\', len);
    if (bs == NULL) {
        memmove(out, start, len);
        return out + len;
    }
    for (size_t i = 0; i < len; i++) {
        if (start[i] == '\\' && i + 1 < len &&
            (start[i + 1] == '\\' || (quote && start[i + 1] == quote)))
            i++;
        *out++ = start[i];
    }
    return out;
}

static char *unescape(arena *a, const char *start, size_t len, char quote)
{
    char *res = arena_alloc(a, len + 1);
    *unescape_to(res, start, len, quote) = '\0';
    return res;
}

/* Find the end of the word at str; *word_start and *word_len get the text to
 * unescape, *quote the quote character (0 unquoted).  Returns the position
 * just after the word (after the closing quote, if any). */
static const char *scan_word(const char *str, const char **word_start,
                             size_t *word_len, char *quote)
{
    const char *end;
    if (*str == '"' || *str == '\'') {
        *quote = *str;
        end = str + 1;
        while (*end && *end != *quote) {
            if (end[0] == '\\' && (end[1] == *quote || end[1] == '\\'))
                end += 2;
            else
                end++;
        }
        *word_start = str + 1;
        *word_len = (size_t)(end - str - 1);
        if (*end == *quote)
            end++;
        return end;
    }
    *quote = 0;
    end = str;
    while (!(conf_ctype[(unsigned char)*end] & CONF_C_WORD_END))
        end++;
    *word_start = str;
    *word_len = (size_t)(end - str);
    return end;
}

char *conf_getword(arena *a, const char **s)
{
    const char *str = *s, *ws;
    size_t wl;
    char quote;
    while (conf_isspace((unsigned char)*str))
        str++;
    if (*str == '\0') {
        *s = str;
        return arena_strdup(a, "");
    }
    const char *end = scan_word(str, &ws, &wl, &quote);
    char *res = unescape(a, ws, wl, quote);
    while (conf_isspace((unsigned char)*end))
        end++;
    *s = end;
    return res;
}

int conf_split_args(arena *a, const char *args, char ***argv, int **cols)
{
    int n = 0, cap = 8;
    char **v = arena_alloc(a, sizeof(char *) * (size_t)cap);
    int *c = cols ? arena_alloc(a, sizeof(int) * (size_t)cap) : NULL;
    const char *p = args ? args : "";
    for (;;) {
        while (conf_isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            break;
        if (n + 1 >= cap) {
            int ncap = cap * 2;
            char **nv = arena_alloc(a, sizeof(char *) * (size_t)ncap);
            memcpy(nv, v, sizeof(char *) * (size_t)n);
            v = nv;
            if (c != NULL) {
                int *nc = arena_alloc(a, sizeof(int) * (size_t)ncap);
                memcpy(nc, c, sizeof(int) * (size_t)n);
                c = nc;
            }
            cap = ncap;
        }
        if (c != NULL)
            c[n] = (int)(p - args);
        v[n++] = conf_getword(a, &p);
    }
    v[n] = NULL;
    *argv = v;
    if (cols)
        *cols = c;
    return n;
}

/* The next word of a line the caller owns, unescaped in place: the
 * result is never longer than the text it came from, and its NUL lands at
 * the latest on the blank that ended the word (the next word starts after
 * the blanks).  *s advances past the word and the blanks after it. */
static char *getword_inplace(char **s)
{
    char *str = *s;
    const char *ws;
    size_t wl;
    char quote;
    while (conf_isspace((unsigned char)*str))
        str++;
    const char *end = scan_word(str, &ws, &wl, &quote);
    char *rest = (char *)end;
    while (conf_isspace((unsigned char)*rest))
        rest++;
    *unescape_to(str, ws, wl, quote) = '\0';
    *s = rest;
    return str;
}

/* rest points into the line, which nothing else changes */
static void set_args(const char *rest, const char *line, struct conf_line *out)
{
    out->args = rest;
    out->args_col = *rest ? (int)(rest - line) + 1 : 0;
}

enum conf_line_kind conf_line_classify(arena *a, char *text, size_t len,
                                       struct conf_line *out)
{
    char *p = text;
    while (len > 0 && conf_isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len > 0 && conf_isspace((unsigned char)p[len - 1]))
        len--;
    out->name = out->word = NULL;
    out->args = "";
    out->args_col = 0;
    out->col = (int)(p - text) + 1;
    if (len == 0 || *p == '#')
        return out->kind = CONF_LINE_BLANK;

    char *line = p;
    line[len] = '\0';
    char *rest = line;
    char *word = getword_inplace(&rest);
    /* column offsets are relative to the trimmed line */
    int base = out->col;
    size_t wlen = strlen(word);
    if (word[0] == '<' && word[1] == '/') {
        out->kind = CONF_LINE_CLOSE;
        out->word = word;
        out->name = (wlen > 2 && word[wlen - 1] == '>')
                        ? arena_strndup(a, word + 2, wlen - 3)
                        : word + 2;
        set_args(rest, line, out);
    } else if (word[0] == '<') {
        out->kind = CONF_LINE_OPEN;
        if (*rest == '\0' && wlen > 1 && word[wlen - 1] == '>') {
            word[wlen - 1] = '\0';
            out->name = word + 1;
            out->args = ">";
            out->args_col = base + (int)wlen - 1;
            return out->kind;
        }
        out->name = word + 1;
        set_args(rest, line, out);
    } else {
        out->kind = CONF_LINE_DIRECTIVE;
        out->name = word;
        set_args(rest, line, out);
    }
    if (out->args_col)
        out->args_col += base - 1;
    return out->kind;
}
