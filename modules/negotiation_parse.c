/* negotiation_parse.c -- mod_negotiation's reading: the Accept* and
 * Negotiate headers and type-map (.var) files, with Apache's rules. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
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
    while (*p && (accept_white || !isspace((unsigned char)*p)) && *p != ';' &&
           *p != ',') {
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
    if (strcmp(name, "text/html") == 0 ||
        strcmp(name, "text/x-server-parsed-html") == 0)
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
            for (end = cp; *end && *end != '\n' && *end != '\r' && *end != '"';
                 end++)
                ;
        } else {
            for (end = cp; *end && !isspace((unsigned char)*end); end++)
                ;
        }
        *end = '\0';
        lower_in_place(cp);
        if (parm[0] == 'q' &&
            (parm[1] == '\0' || (parm[1] == 's' && parm[2] == '\0')))
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
    neg->encodings =
        neg_parse_header(r->arena, request_get_header(r, "Accept-Encoding"));
    neg->langs =
        neg_parse_header(r->arena, request_get_header(r, "Accept-Language"));
    neg->charsets =
        neg_parse_header(r->arena, request_get_header(r, "Accept-Charset"));
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
                        neg->use_rvsa    ? 0.0f
                        : prefer_scripts ? 2.0f
                                         : 0.001f,
                        0.0f, ""};
}

/* RFC 2295's Negotiate: which protocol the client speaks (Apache's
 * parse_negotiate_header(), with its exception for Lynx). */
void neg_parse_negotiate(neg_state *neg)
{
    request *r = neg->r;
    neg->ua_supports_trans = neg->send_alternates = neg->use_rvsa =
        neg->dont_fiddle = 0;
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
            const char *full = arena_strcat(neg->r->arena, neg->dir,
                                            v->file_name, (char *)NULL);
            if (stat(full, &st) == 0)
                v->bytes = (int64_t)st.st_size;
        }
    }
    return v->bytes;
}

/* ---- type maps ----------------------------------------------------------- */

#define MAP_LINE 8192     /* Apache's MAX_STRING_LEN */
#define MAP_MAX (1 << 20) /* what is read of a map at most */

/* The map's bytes and a read position, for Apache's line reader. */
typedef struct map_reader {
    const char *text;
    size_t len, pos;
} map_reader;

/* apr_file_gets(): up to MAP_LINE - 1 bytes, through the newline. */
static int map_gets(map_reader *m, char *buf)
{
    if (m->pos >= m->len)
        return 0;
    size_t n = 0;
    while (m->pos < m->len && n < MAP_LINE - 1) {
        char c = m->text[m->pos++];
        buf[n++] = c;
        if (c == '\n')
            break;
    }
    buf[n] = '\0';
    return 1;
}

static int map_getc(map_reader *m)
{
    return m->pos < m->len ? (unsigned char)m->text[m->pos++] : -1;
}

enum header_state { HEADER_SEEN, HEADER_SEP, HEADER_EOF };

/* Apache's get_header_line(): one header with its continuation lines
 * (their leading white space dropped, each ending in '\n'), skipping
 * comment lines; a blank line separates variants. */
static enum header_state get_header_line(map_reader *m, char *buf)
{
    do {
        if (!map_gets(m, buf))
            return HEADER_EOF;
    } while (buf[0] == '#');
    char *cp = buf;
    while (isspace((unsigned char)*cp))
        cp++;
    if (*cp == '\0')
        return HEADER_SEP;
    cp += strlen(cp);
    if (strncasecmp(buf, "Body:", 5) == 0)
        return HEADER_SEEN;
    char *end = buf + MAP_LINE;
    int c;
    while ((c = map_getc(m)) != -1) {
        if (c == '#') {
            while ((c = map_getc(m)) != -1 && c != '\n')
                ;
        } else if (isspace(c)) {
            while (c != '\n' && isspace(c)) {
                int d = map_getc(m);
                if (d == -1)
                    break;
                c = d;
            }
            m->pos--; /* ungetc */
            if (c == '\n')
                return HEADER_SEEN;
            while (cp < end - 2 && (c = map_getc(m)) != -1 && c != '\n')
                *cp++ = (char)c;
            /* Apache writes this '\n' even into a full buffer; here a
             * full buffer stays as it is */
            if (cp < end - 1)
                *cp++ = '\n';
            *cp = '\0';
        } else {
            m->pos--;
            return HEADER_SEEN;
        }
    }
    return HEADER_SEEN;
}

/* Apache's strip_paren_comments(), quirks included: a quote only skips
 * itself. */
static void strip_paren_comments(char *h)
{
    while (*h) {
        if (*h == '"') {
            h++;
        } else if (*h == '(') {
            while (*h && *h != ')')
                *h++ = ' ';
            if (*h)
                *h++ = ' ';
        } else {
            h++;
        }
    }
}

/* The header's name lower-cased in place; its value, or NULL (500). */
static char *header_body(request *r, char *h, const char *map)
{
    char *cp = h;
    for (; *cp && *cp != ':'; cp++)
        *cp = (char)tolower((unsigned char)*cp);
    if (*cp == '\0') {
        log_rerror(
            r, APLOG_ERR, "negotiation", 0,
            "AH00681: Syntax error in type map, no ':' in %s for header %s",
            map, h);
        return NULL;
    }
    do
        cp++;
    while (isspace((unsigned char)*cp));
    if (*cp == '\0') {
        log_rerror(
            r, APLOG_ERR, "negotiation", 0,
            "AH00682: Syntax error in type map --- no header body: %s for %s",
            map, h);
        return NULL;
    }
    return cp;
}

/* A Body: part: from here to the end tag, looked for in the next
 * MAP_LINE - 1 bytes; reading goes on after the tag's line. */
static int read_body(map_reader *m, const char *tag, variant *v)
{
    size_t avail = m->len - m->pos;
    if (avail > MAP_LINE - 1)
        avail = MAP_LINE - 1;
    char *chunk = strndup(m->text + m->pos, avail);
    if (chunk == NULL)
        return -1;
    char *found = strstr(chunk, tag);
    if (found == NULL || *tag == '\0') {
        free(chunk);
        return -1;
    }
    size_t bodylen = (size_t)(found - chunk);
    char *after = found + strlen(tag);
    while (*after) {
        if (*after++ == '\n')
            break;
    }
    v->body = (int64_t)m->pos;
    v->bytes = (int64_t)bodylen;
    m->pos += (size_t)(after - chunk);
    free(chunk);
    return 0;
}

static int open_map(neg_state *neg, request *map, map_reader *m)
{
    request *r = neg->r;
    int fd = open(map->filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        log_rerror(r, APLOG_ERR, "negotiation", err,
                   "AH00683: cannot access type map file: %s", map->filename);
        return err == ENOENT || err == ENOTDIR ? 404 : 403;
    }
    struct stat st;
    size_t cap = fstat(fd, &st) == 0 && st.st_size >= 0 && st.st_size < MAP_MAX
                     ? (size_t)st.st_size
                     : MAP_MAX;
    char *text = arena_alloc(r->arena, cap + 1);
    size_t len = 0;
    ssize_t got;
    while (len < cap && (got = read(fd, text + len, cap - len)) > 0)
        len += (size_t)got;
    close(fd);
    text[len] = '\0';
    m->text = text;
    m->len = len;
    m->pos = 0;
    neg->map_text = text;
    return OK;
}

/* One header of a variant's record; -1 stops the reading (as Apache's
 * break), 500 for a broken line, 0 otherwise. */
static int map_header(neg_state *neg, request *map, map_reader *m, char *buf,
                      variant *v, int *has_content)
{
    request *r = neg->r;
    arena *a = r->arena;
    char *b = header_body(r, buf, map->filename);
    if (b == NULL)
        return 500;
    strip_paren_comments(b);
    const char *body = b;
    if (strncmp(buf, "uri:", 4) == 0) {
        v->file_name = get_token(a, &body, 0);
    } else if (strncmp(buf, "content-type:", 13) == 0) {
        neg_set_mime_fields(a, v, body);
        *has_content = 1;
    } else if (strncmp(buf, "content-length:", 15) == 0) {
        char *tok = get_token(a, &body, 0), *end;
        errno = 0;
        long long n = strtoll(tok, &end, 10);
        if (errno || *end || end == tok || n < 0) {
            log_rerror(r, APLOG_ERR, "negotiation", 0,
                       "AH00684: Parse error in type map, Content-Length: '%s' "
                       "in %s is invalid.",
                       tok, r->filename);
            return -1;
        }
        v->bytes = n;
        *has_content = 1;
    } else if (strncmp(buf, "content-language:", 17) == 0) {
        neg_split_languages(a, body, v);
        *has_content = 1;
    } else if (strncmp(buf, "content-encoding:", 17) == 0) {
        v->encoding = get_token(a, &body, 0);
        *has_content = 1;
    } else if (strncmp(buf, "description:", 12) == 0) {
        char *d = arena_strdup(a, body), *cp = d;
        for (; *cp; cp++)
            if (*cp == '\n')
                *cp = ' ';
        if (cp > d)
            cp[-1] = '\0';
        v->description = d;
    } else if (strncmp(buf, "body:", 5) == 0) {
        char *tag = arena_strdup(a, body);
        char *eol = tag + strlen(tag);
        while (--eol >= tag && isspace((unsigned char)*eol))
            *eol = '\0';
        if (read_body(m, tag, v) != 0) {
            log_rerror(r, APLOG_ERR, "negotiation", 0,
                       "AH00685: Syntax error in type map, no end tag '%s' "
                       "found in %s for Body: content.",
                       tag, r->filename);
            return -1;
        }
        const char *slash = strrchr(map->filename, '/');
        v->file_name = slash ? slash + 1 : map->filename;
    }
    return 0;
}

/* Apache's read_type_map(): the variants of the map file of request map
 * (neg->r itself, or a MultiViews lookup). */
int neg_read_type_map(neg_state *neg, request *map)
{
    request *r = neg->r;
    map_reader m;
    int rc = open_map(neg, map, &m);
    if (rc != OK)
        return rc;
    char *buf = arena_alloc(r->arena, MAP_LINE);
    variant cur;
    neg_clean_variant(&cur);
    int has_content = 0;
    enum header_state hs;
    do {
        hs = get_header_line(&m, buf);
        if (hs == HEADER_SEEN) {
            rc = map_header(neg, map, &m, buf, &cur, &has_content);
            if (rc == 500)
                return 500;
            if (rc < 0)
                break;
            continue;
        }
        if (*cur.file_name && has_content) {
            if (neg->n == neg->cap) {
                int cap = neg->cap ? neg->cap * 2 : 16;
                variant *nv = arena_alloc(r->arena, sizeof(*nv) * (size_t)cap);
                if (neg->n)
                    memcpy(nv, neg->v, sizeof(*nv) * (size_t)neg->n);
                neg->v = nv;
                neg->cap = cap;
            }
            neg->v[neg->n++] = cur;
        }
        neg_clean_variant(&cur);
        has_content = 0;
    } while (hs != HEADER_EOF);
    /* the map's own ETag validates the list */
    r->vlist_validator = http_make_etag(map);
    return OK;
}
