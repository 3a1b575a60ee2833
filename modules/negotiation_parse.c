/* negotiation_parse.c -- mod_negotiation's reading: the Accept* and
 * Negotiate headers, with Apache's rules. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_negotiation.h"

/* ---- header items -------------------------------------------------------- */

/* Apache's ap_get_token(): a word up to white space (unless accept_white),
 * ';' or ',', quoted strings kept whole; the white space after it skipped. */
static char *get_token(arena *a, const char **line, int accept_white)
{
    const char *p = *line;
    while (isspace((unsigned char)*p))
        p++;
    const char *start = p;
    while (*p && (accept_white || !isspace((unsigned char)*p)) && *p != ';' && *p != ',') {
        if (*p++ == '"')
            while (*p)
                if (*p++ == '"')
                    break;
    }
    char *tok = arena_strndup(a, start, (size_t)(p - start));
    while (isspace((unsigned char)*p))
        p++;
    *line = p;
    return tok;
}

static void lower_in_place(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* One "name;q=..;level=..;charset=.." item (Apache's get_entry()). */
static const char *get_entry(arena *a, accept_item *it, const char *line)
{
    it->q = 1.0f;
    it->level = 0.0f;
    it->charset = "";
    char *name = get_token(a, &line, 0);
    lower_in_place(name);
    it->name = name;
    if (strcmp(name, "text/html") == 0 || strcmp(name, "text/x-server-parsed-html") == 0)
        it->level = 2.0f;
    else if (strcmp(name, "text/x-server-parsed-html3") == 0)
        it->level = 3.0f;
    while (*line == ';') {
        line++;
        char *parm = get_token(a, &line, 1);
        char *cp = parm;
        for (; *cp && !isspace((unsigned char)*cp) && *cp != '='; cp++)
            *cp = (char)tolower((unsigned char)*cp);
        if (*cp == '\0')
            continue;
        *cp++ = '\0';
        while (isspace((unsigned char)*cp) || *cp == '=')
            cp++;
        char *end;
        if (*cp == '"') {
            cp++;
            for (end = cp; *end && *end != '\n' && *end != '\r' && *end != '"'; end++)
                ;
        } else {
            for (end = cp; *end && !isspace((unsigned char)*end); end++)
                ;
        }
        *end = '\0';
        lower_in_place(cp);
        if (parm[0] == 'q' && (parm[1] == '\0' || (parm[1] == 's' && parm[2] == '\0')))
            it->q = (float)atof(cp);
        else if (strcmp(parm, "level") == 0)
            it->level = (float)atof(cp);
        else if (strcmp(parm, "charset") == 0)
            it->charset = cp;
    }
    if (*line == ',')
        line++;
    return line;
}

static accept_item *push_item(arena *a, accept_list *l)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        accept_item *v = arena_alloc(a, sizeof(*v) * (size_t)cap);
        if (l->n)
            memcpy(v, l->v, sizeof(*v) * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    return &l->v[l->n++];
}

accept_list *neg_parse_header(arena *a, const char *value)
{
    if (value == NULL)
        return NULL;
    accept_list *l = arena_calloc(a, sizeof(*l));
    while (*value)
        value = get_entry(a, push_item(a, l), value);
    return l;
}

void neg_parse_accept_headers(neg_state *neg)
{
    request *r = neg->r;
    neg->accepts = neg_parse_header(r->arena, request_get_header(r, "Accept"));
    for (int i = 0; neg->accepts && i < neg->accepts->n; i++)
        if (neg->accepts->v[i].q < 1.0f)
            neg->accept_q = 1;
    neg->encodings = neg_parse_header(r->arena, request_get_header(r, "Accept-Encoding"));
    neg->langs = neg_parse_header(r->arena, request_get_header(r, "Accept-Language"));
    neg->charsets = neg_parse_header(r->arena, request_get_header(r, "Accept-Charset"));
}

void neg_add_default_accepts(neg_state *neg, int prefer_scripts)
{
    arena *a = neg->r->arena;
    if (neg->accepts == NULL) {
        neg->accepts = arena_calloc(a, sizeof(accept_list));
        accept_item *it = push_item(a, neg->accepts);
        *it = (accept_item){"*/*", 1.0f, 0.0f, ""};
    }
    accept_item *it = push_item(a, neg->accepts);
    *it = (accept_item){"application/x-httpd-cgi",
                        neg->use_rvsa ? 0.0f : prefer_scripts ? 2.0f : 0.001f, 0.0f, ""};
}

/* RFC 2295's Negotiate: which protocol the client speaks (Apache's
 * parse_negotiate_header(), with its exception for Lynx). */
void neg_parse_negotiate(neg_state *neg)
{
    request *r = neg->r;
    neg->ua_supports_trans = neg->send_alternates = neg->use_rvsa = neg->dont_fiddle = 0;
    neg->may_choose = 1;
    const char *h = request_get_header(r, "Negotiate");
    if (h == NULL)
        return;
    if (strcmp(h, "trans") == 0) {
        const char *ua = request_get_header(r, "User-Agent");
        if (ua && strncmp(ua, "Lynx", 4) == 0)
            return;
    }
    neg->may_choose = 0;
    for (const char *p = h; *p;) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (e == s)
            continue;
        char *tok = arena_strndup(r->arena, s, (size_t)(e - s));
        lower_in_place(tok);
        if (strcmp(tok, "trans") == 0 || strcmp(tok, "vlist") == 0 ||
            strcmp(tok, "guess-small") == 0 || isdigit((unsigned char)tok[0]) ||
            strcmp(tok, "*") == 0) {
            neg->ua_supports_trans = 1;
            neg->send_alternates = 1;
            if (strcmp(tok, "1.0") == 0) {
                neg->may_choose = 1;
                neg->use_rvsa = 1;
                neg->dont_fiddle = 1;
            } else if (tok[0] == '*') {
                neg->may_choose = 1;
                neg->dont_fiddle = 1;
            }
        }
    }
}

/* ---- variants ----------------------------------------------------------- */

void neg_clean_variant(variant *v)
{
    memset(v, 0, sizeof(*v));
    v->mime_type = "";
    v->file_name = "";
    v->charset = "";
    v->description = "";
    v->body = -1;
    v->bytes = -1;
    v->lang_index = -1;
    v->definite = 1;
    v->source_q = 1.0f;
    v->charset_q = 1.0f;
    v->lang_q = 1.0f;
}

void neg_set_mime_fields(arena *a, variant *v, const char *content_type)
{
    accept_item it;
    get_entry(a, &it, content_type);
    v->mime_type = it.name;
    v->source_q = it.q;
    v->level = it.level;
    v->charset = it.charset;
    v->is_pseudo_html = strcmp(it.name, "text/html") == 0 ||
                        strcmp(it.name, "text/x-server-parsed-html") == 0 ||
                        strcmp(it.name, "text/x-server-parsed-html3") == 0;
}

/* "en, fr" (mod_mime's joined list) or a type map's line: the tags, lower
 * case, split on ',' and ';' (Apache's do_languages_line()). */
void neg_split_languages(arena *a, const char *list, variant *v)
{
    v->langs = NULL;
    v->nlangs = 0;
    if (list == NULL)
        return;
    int cap = 0;
    while (*list) {
        char *tag = get_token(a, &list, 0);
        lower_in_place(tag);
        if (v->nlangs == cap) {
            cap = cap ? cap * 2 : 4;
            const char **n = arena_alloc(a, sizeof(char *) * (size_t)cap);
            if (v->nlangs)
                memcpy(n, v->langs, sizeof(char *) * (size_t)v->nlangs);
            v->langs = n;
        }
        v->langs[v->nlangs++] = tag;
        if (*list == ',' || *list == ';')
            list++;
    }
}

int64_t neg_content_length(neg_state *neg, variant *v)
{
    if (v->bytes < 0) {
        if (v->sub && v->sub->finfo_valid) {
            v->bytes = (int64_t)v->sub->finfo.st_size;
        } else {
            struct stat st;
            const char *full = arena_strcat(neg->r->arena, neg->dir, v->file_name, (char *)NULL);
            if (stat(full, &st) == 0)
                v->bytes = (int64_t)st.st_size;
        }
    }
    return v->bytes;
}
