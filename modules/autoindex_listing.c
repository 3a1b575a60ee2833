/* autoindex_listing.c -- mod_autoindex's handler: Apache's HTML directory
 * listings (plain list, FancyIndexing <pre>, HTMLTable), with escaping,
 * sizes (apr_strfsize), dates, IndexIgnore, HeaderName/ReadmeName,
 * FoldersFirst, SuppressColumnSorting and sorting by ?C=x;O=y.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"
#include "log.h"
#include "mod_autoindex.h"
#include "mod_dir.h"
#include "mod_util.h"
#include "request.h"

typedef struct entry {
    const char *name; /* "a.txt", "sub/", or the parent's URI */
    const char *icon, *alt, *desc;
    int64_t size; /* -1: none */
    time_t lm;    /* -1: none */
    int isdir;    /* for FoldersFirst */
    int is_parent;
} entry;

typedef struct listing {
    request *r;
    const autoindex_conf *d;
    int opts;
    char key, dir; /* sort column and direction */
    const char *colargs;
    const char *pattern;
    int desc_width;
} listing;

/* ---- small helpers ------------------------------------------------------- */

/* apr_strfsize(): at most 4 characters. */
static void strfsize(int64_t size, char buf[8])
{
    static const char ord[] = "KMGTPE";
    const char *o = ord;
    if (size < 0) {
        strcpy(buf, "  - ");
        return;
    }
    if (size < 973) {
        snprintf(buf, 8, "%3d ", (int)size);
        return;
    }
    for (;;) {
        int remain = (int)(size & 1023);
        size >>= 10;
        if (size >= 973) {
            ++o;
            continue;
        }
        if (size < 9 || (size == 9 && remain < 973)) {
            if ((remain = ((remain * 5) + 256) / 512) >= 10)
                ++size, remain = 0;
            snprintf(buf, 8, "%d.%d%c", (int)size, remain, *o);
            return;
        }
        if (remain >= 512)
            ++size;
        snprintf(buf, 8, "%3d%c", (int)size, *o);
        return;
    }
}

/* ap_strcmp_match(): '*' and '?' wildcards; 1 when str matches. */
static int wild_match(const char *str, const char *exp, int nocase)
{
    for (; *exp; exp++, str++) {
        if (*exp == '*') {
            while (*++exp == '*')
                ;
            if (!*exp)
                return 1;
            for (; *str; str++)
                if (wild_match(str, exp, nocase))
                    return 1;
            return 0;
        }
        if (!*str)
            return 0;
        if (*exp != '?') {
            if (nocase ? tolower((unsigned char)*str) !=
                             tolower((unsigned char)*exp)
                       : *str != *exp)
                return 0;
        }
    }
    return *str == '\0';
}

/* ap_os_escape_path(path, 0): "./" before a leading "x:" segment. */
static const char *escape_path(arena *a, const char *name)
{
    const char *colon = strchr(name, ':'), *slash = strchr(name, '/');
    const char *e = req_escape_uri(a, name);
    if (colon && (!slash || colon < slash))
        return arena_strcat(a, "./", e, (char *)NULL);
    return e;
}

/* IndexIgnore: the last component of a pattern against the entry's
 * name, where the entry's full path is in the pattern's scope. */
static int ignored(const listing *l, const char *full)
{
    const char *name = strrchr(full, '/');
    name = name ? name + 1 : full;
    for (int i = 0; i < l->d->nignore; i++) {
        const ai_ignore *g = &l->d->ignore[i];
        const char *p = strrchr(g->pattern, '/');
        p = p ? p + 1 : g->pattern;
        if (wild_match(full, g->apply, 0) && wild_match(name, p, 0))
            return 1;
    }
    return 0;
}

/* AddIcon/AddAlt/AddDescription lookup, as find_item() does. */
static const char *find_item(const listing *l, enum ai_item_kind kind,
                             const char *path, const char *ctype,
                             const char *cenc, int path_only)
{
    for (const ai_item *it = l->d->items; it; it = it->next) {
        if (it->kind != kind)
            continue;
        const char *to = it->pattern;
        if (path[0] != '^' && !wild_match(path, it->apply, 0))
            continue;
        if (it->match == AI_BY_NAME || path[0] == '^') {
            if (it->match != AI_BY_NAME && path[0] != '^')
                continue;
            int wild = strpbrk(to, "*?") != NULL || to[0] == '^';
            const char *pat =
                wild ? to : arena_strcat(l->r->arena, "*", to, (char *)NULL);
            if (wild_match(path, pat, 0))
                return it->data;
        } else if (!path_only) {
            if (cenc == NULL && it->match == AI_BY_TYPE && ctype &&
                wild_match(ctype, to, 1))
                return it->data;
            if (cenc != NULL && it->match == AI_BY_ENCODING &&
                wild_match(cenc, to, 1))
                return it->data;
        }
    }
    return NULL;
}

/* ---- collecting entries ---------------------------------------------------
 */

/* ScanHTMLTitles: the <title> of an HTML file, from its first 8 KiB, line
 * breaks made blanks (a leading one dropped), as Apache's find_title. */
static const char *find_title(request *rr)
{
    if (rr->status != 200 || rr->content_type == NULL ||
        rr->content_encoding != NULL ||
        strncasecmp(rr->content_type, "text/html", 9) != 0)
        return NULL;
    int fd = open(rr->filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    static const char find[] = "<title>";
    for (int x = 0, p = 0; buf[x]; x++) {
        if (tolower((unsigned char)buf[x]) != find[p]) {
            p = 0;
            continue;
        }
        if (find[++p])
            continue;
        char *t = &buf[++x];
        char *lt = strchr(t, '<');
        if (lt)
            *lt = '\0';
        for (char *y = t; *y; y++)
            if (*y == '\r' || *y == '\n') {
                if (y == t)
                    t++;
                else
                    *y = ' ';
            }
        return arena_strdup(rr->arena, t);
    }
    return NULL;
}

/* AddDescription: a pattern with '/' is matched (as "* /PATTERN*") against
 * the full path, one with wildcards (as "*PATTERN*") against the name, and
 * a plain word is looked for inside the name (Apache's find_desc). */
static const char *find_desc(const listing *l, const char *full)
{
    const char *base = strrchr(full, '/');
    base = base ? base + 1 : full;
    for (const ai_item *it = l->d->items; it; it = it->next) {
        if (it->kind != AI_DESC)
            continue;
        const char *to = it->pattern;
        int full_path = strchr(to, '/') != NULL;
        int wild = full_path || strpbrk(to, "*?[") != NULL;
        const char *name = full_path ? full : base;
        if (wild) {
            const char *pat = arena_strcat(l->r->arena, full_path ? "*/" : "*",
                                           to, "*", (char *)NULL);
            if (wild_match(name, pat, 0))
                return it->data;
        } else if (strstr(name, to)) {
            return it->data;
        }
    }
    return NULL;
}

static entry *parent_entry(listing *l)
{
    request *r = l->r;
    if (strcmp(r->uri, "/") == 0 || r->uri[0] == '\0')
        return NULL;
    char *p = arena_strdup(r->arena, r->uri);
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    if (slash == NULL)
        return NULL;
    slash[1] = '\0';
    /* IndexIgnore compares "THISDIR/.." */
    if (ignored(l, arena_strcat(r->arena, r->filename, "..", (char *)NULL)))
        return NULL;
    entry *e = arena_calloc(r->arena, sizeof(*e));
    e->name = p;
    e->is_parent = 1;
    e->size = -1;
    e->lm = -1;
    if (l->opts & AI_FANCY_INDEXING) {
        /* Apache looks the parent up as "THISDIR/.." first */
        const char *testpath =
            arena_strcat(r->arena, r->filename, "..", (char *)NULL);
        e->icon = find_item(l, AI_ICON, testpath, NULL, NULL, 1);
        if (e->icon == NULL)
            e->icon = find_item(l, AI_ICON, "^^DIRECTORY^^", NULL, NULL, 1);
        e->alt = find_item(l, AI_ALT, testpath, NULL, NULL, 1);
        if (e->alt == NULL)
            e->alt = find_item(l, AI_ALT, "^^DIRECTORY^^", NULL, NULL, 1);
        if (e->alt == NULL)
            e->alt = "PARENTDIR";
        e->desc = find_desc(l, testpath);
    }
    return e;
}

static entry *dir_entry(listing *l, const char *name)
{
    request *r = l->r;
    if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
        return NULL;
    if (l->pattern && !wild_match(name, l->pattern, 0))
        return NULL;
    const char *full = arena_strcat(r->arena, r->filename, name, (char *)NULL);
    if (ignored(l, full))
        return NULL;
    request *rr = request_lookup_file(r, full);
    int forbidden = (l->opts & AI_SHOW_FORBIDDEN) &&
                    (rr->status == 401 || rr->status == 403);
    if (!rr->finfo_valid ||
        !(S_ISDIR(rr->finfo.st_mode) || S_ISREG(rr->finfo.st_mode)))
        return NULL;
    if (!(rr->status == 200 || (rr->status >= 300 && rr->status < 400) ||
          forbidden))
        return NULL;
    /* a directory stays one where its index stood in for it (its
     * lookup's date is the index's) */
    struct stat st;
    int isdir = S_ISDIR(rr->finfo.st_mode) ||
                (stat(full, &st) == 0 && S_ISDIR(st.st_mode));
    entry *e = arena_calloc(r->arena, sizeof(*e));
    e->name = isdir ? arena_strcat(r->arena, name, "/", (char *)NULL)
                    : arena_strdup(r->arena, name);
    e->size = -1;
    e->lm = -1;
    if (!(l->opts & (AI_FANCY_INDEXING | AI_TABLE_INDEXING)))
        return e;
    e->lm = rr->finfo.st_mtime;
    if (isdir) {
        e->isdir = (l->opts & AI_FOLDERS_FIRST) != 0;
        e->icon = find_item(l, AI_ICON, full, NULL, NULL, 1);
        if (e->icon == NULL)
            e->icon = find_item(l, AI_ICON, "^^DIRECTORY^^", NULL, NULL, 1);
        e->alt = find_item(l, AI_ALT, full, NULL, NULL, 1);
        if (e->alt == NULL)
            e->alt = find_item(l, AI_ALT, "^^DIRECTORY^^", NULL, NULL, 1);
        if (e->alt == NULL)
            e->alt = "DIR";
    } else {
        e->icon = find_item(l, AI_ICON, full, rr->content_type,
                            rr->content_encoding, 0);
        e->alt = find_item(l, AI_ALT, full, rr->content_type,
                           rr->content_encoding, 0);
        e->size = rr->finfo.st_size;
    }
    e->desc = find_desc(l, full);
    if (e->desc == NULL && (l->opts & AI_SCAN_HTML_TITLES) && !isdir)
        e->desc = find_title(rr);
    return e;
}

/* ---- sorting ----------------------------------------------------------------
 */

typedef struct sort_spec {
    char key, dir;
    int opts;
} sort_spec;

static int natcmp(const char *a, const char *b, int nocase);

static int compare_entries(const void *pa, const void *pb, void *arg)
{
    const sort_spec *sp = arg;
    char sort_key = sp->key, sort_dir = sp->dir;
    int sort_opts = sp->opts;
    const entry *e1 = *(entry *const *)pa, *e2 = *(entry *const *)pb;
    if (e1->is_parent)
        return -1;
    if (e2->is_parent)
        return 1;
    if (e1->isdir != e2->isdir)
        return e1->isdir ? -1 : 1;
    const entry *c1 = sort_dir == 'A' ? e1 : e2,
                *c2 = sort_dir == 'A' ? e2 : e1;
    int res = 0;
    switch (sort_key) {
    case 'M':
        if (c1->lm != c2->lm)
            return c1->lm > c2->lm ? 1 : -1;
        break;
    case 'S':
        if (c1->size != c2->size)
            return c1->size > c2->size ? 1 : -1;
        break;
    case 'D':
        res =
            (sort_opts & AI_VERSION_SORT)
                ? natcmp(c1->desc ? c1->desc : "", c2->desc ? c2->desc : "", 0)
                : strcmp(c1->desc ? c1->desc : "", c2->desc ? c2->desc : "");
        if (res)
            return res;
        break;
    }
    if (sort_opts & AI_VERSION_SORT) {
        if (sort_opts & AI_IGNORE_CASE)
            res = natcmp(c1->name, c2->name, 1);
        if (!res)
            res = natcmp(c1->name, c2->name, 0);
    }
    if (!res && (sort_opts & AI_IGNORE_CASE))
        res = strcasecmp(c1->name, c2->name);
    if (!res)
        res = strcmp(c1->name, c2->name);
    return res;
}

/* apr_strnatcmp(): digit runs compare by value. */
static int natcmp(const char *a, const char *b, int nocase)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            const char *sa = a, *sb = b;
            while (*sa == '0')
                sa++;
            while (*sb == '0')
                sb++;
            const char *ea = sa, *eb = sb;
            while (isdigit((unsigned char)*ea))
                ea++;
            while (isdigit((unsigned char)*eb))
                eb++;
            if (ea - sa != eb - sb)
                return ea - sa < eb - sb ? -1 : 1;
            int c = strncmp(sa, sb, (size_t)(ea - sa));
            if (c)
                return c;
            a = ea;
            b = eb;
            continue;
        }
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (nocase) {
            ca = toupper(ca);
            cb = toupper(cb);
        }
        if (!ca && !cb)
            return 0;
        if (ca != cb)
            return ca < cb ? -1 : 1;
        a++;
        b++;
    }
}

/* ---- output
 * -------------------------------------------------------------------- */

#define DOCTYPE_HTML_4_01                                                      \
    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" "                     \
    "\"http://www.w3.org/TR/html4/strict.dtd\">\n"
#define DOCTYPE_XHTML_1_0T                                                     \
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"       \
    "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"

static void emit_preamble(listing *l, const char *title)
{
    request *r = l->r;
    int xhtml = (l->opts & AI_EMIT_XHTML) != 0;
    if (xhtml)
        request_printf(r,
                       "%s<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
                       " <head>\n  <title>Index of %s</title>\n",
                       DOCTYPE_XHTML_1_0T, title);
    else
        request_printf(r, "%s<html>\n <head>\n  <title>Index of %s</title>\n",
                       DOCTYPE_HTML_4_01, title);
    if (l->d->style_sheet)
        request_printf(r,
                       "  <link rel=\"stylesheet\" href=\"%s\" "
                       "type=\"text/css\"%s",
                       l->d->style_sheet, xhtml ? " />\n" : ">\n");
    if (l->d->head_insert)
        request_puts(r, l->d->head_insert);
    request_puts(r, " </head>\n <body>\n");
}

/* A text file inside <pre>, with < > & escaped. */
static int emit_plain(request *r, const char *filename)
{
    int fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    request_puts(r, "<pre>\n");
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        ssize_t start = 0;
        for (ssize_t i = 0; i < n; i++) {
            const char *rep = buf[i] == '<'   ? "&lt;"
                              : buf[i] == '>' ? "&gt;"
                              : buf[i] == '&' ? "&amp;"
                                              : NULL;
            if (rep == NULL)
                continue;
            request_write(r, buf + start, (size_t)(i - start));
            request_puts(r, rep);
            start = i + 1;
        }
        request_write(r, buf + start, (size_t)(n - start));
    }
    close(fd);
    request_puts(r, "</pre>\n");
    return 0;
}

/* An HTML HeaderName/ReadmeName file, which Apache inserts by running a
 * sub-request: its output passes the filters before the listing ends, so
 * the listing gets no Content-Length and no byte ranges. */
static int emit_raw(request *r, const char *filename)
{
    int fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    http_conn *c = r->engine;
    if (c != NULL)
        c->out.streamed = 1;
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        request_write(r, buf, (size_t)n);
    close(fd);
    return 0;
}

static int is_html(const request *rr)
{
    const char *ct = rr->content_type;
    return ct && strncasecmp(ct, "text/html", 9) == 0 &&
           (ct[9] == '\0' || ct[9] == ';' || ct[9] == ' ');
}

/* A HeaderName/ReadmeName file, if it is a readable text file. */
static request *lookup_text(listing *l, const char *name)
{
    if (name == NULL)
        return NULL;
    request *rr = dir_lookup_uri(l->r, name); /* FallbackResource too */
    if (rr->status != 200 || rr->filename == NULL || !rr->finfo_valid ||
        !S_ISREG(rr->finfo.st_mode) || rr->content_type == NULL)
        return NULL;
    return rr;
}

static void emit_head(listing *l, const char *title)
{
    request *r = l->r;
    int amble = 1, h1 = 1;
    request *rr = lookup_text(l, l->d->header_name);
    if (rr && is_html(rr)) {
        amble = h1 = 0;
        if (!(l->opts & AI_SUPPRESS_PREAMBLE))
            emit_preamble(l, title);
        emit_raw(r, rr->filename);
    } else if (rr && strncasecmp(rr->content_type, "text/", 5) == 0) {
        emit_preamble(l, title);
        amble = 0;
        if (emit_plain(r, rr->filename) == 0)
            h1 = 0;
    }
    if (amble)
        emit_preamble(l, title);
    if (h1)
        request_printf(r,
                       l->d->style_sheet
                           ? "  <h1 id=\"indextitle\">Index of %s</h1>\n"
                           : "<h1>Index of %s</h1>\n",
                       title);
}

static const char *signature(request *r)
{
    return http_signature(r, "");
}

static void emit_tail(listing *l)
{
    request *r = l->r;
    int sig = 1, post = 1;
    request *rr = lookup_text(l, l->d->readme_name);
    if (rr && is_html(rr)) {
        if (emit_raw(r, rr->filename) == 0) {
            sig = 0;
            post = !(l->opts & AI_SUPPRESS_PREAMBLE);
        }
    } else if (rr && strncasecmp(rr->content_type, "text/", 5) == 0) {
        if (emit_plain(r, rr->filename) == 0)
            sig = 0;
    }
    if (sig)
        request_puts(r, signature(r));
    if (post)
        request_puts(r, "</body></html>\n");
}

static void emit_link(listing *l, const char *anchor, char column)
{
    if (l->opts & AI_SUPPRESS_COLSORT) {
        request_puts(l->r, anchor);
        return;
    }
    char o = (l->key == column && l->dir == 'A') ? 'D' : 'A';
    request_printf(l->r, "<a href=\"?C=%c;O=%c%s\">%s</a>", column, o,
                   l->colargs, anchor);
}

static void emit_icon(listing *l, const entry *e, const char *anchor, int table)
{
    request *r = l->r;
    const char *icon = e->icon ? e->icon : l->d->default_icon;
    if (l->opts & AI_ICONS_ARE_LINKS)
        request_printf(r, "<a href=\"%s\">", anchor);
    if (icon) {
        request_printf(r, "<img src=\"%s\" alt=\"[%s]\"",
                       req_escape_html(r->arena, icon),
                       e->alt ? e->alt : "   ");
        if (l->d->icon_width)
            request_printf(r, " width=\"%d\"", l->d->icon_width);
        if (l->d->icon_height)
            request_printf(r, " height=\"%d\"", l->d->icon_height);
        request_puts(r, (l->opts & AI_EMIT_XHTML) ? " />" : ">");
    } else {
        request_puts(r, table ? "&nbsp;" : "     ");
    }
    if (l->opts & AI_ICONS_ARE_LINKS)
        request_puts(r, table ? "</a></td>" : "</a> ");
    else
        request_puts(r, table ? "</td>" : " ");
}

static const char *shown_name(listing *l, const entry *e, int width,
                              int *nwidth)
{
    const char *t = e->is_parent ? "Parent Directory" : e->name;
    int n = (int)strlen(t);
    if (n > width) {
        char *s = arena_alloc(l->r->arena, (size_t)width + 1);
        memcpy(s, t, (size_t)(width > 3 ? width - 3 : 0));
        if (width >= 3)
            memcpy(s + width - 3, "..>", 3);
        s[width] = '\0';
        t = s;
        n = width;
    }
    *nwidth = n;
    return req_escape_html(l->r->arena, t);
}

/* Apache's terminate_description(): at most width visible characters
 * (tags are free, an entity counts as one), the last one replaced by '>'
 * when cut. */
static const char *cut_desc(const listing *l, const char *src, int width)
{
    char *desc = arena_strdup(l->r->arena, src);
    int maxsize = width, x;
    if (l->d->desc_adjust == AI_K_UNSET) {
        if (l->opts & AI_SUPPRESS_ICON)
            maxsize += 6;
        if (l->opts & AI_SUPPRESS_LAST_MOD)
            maxsize += 19;
        if (l->opts & AI_SUPPRESS_SIZE)
            maxsize += 7;
    }
    for (x = 0; desc[x] && (maxsize > 0 || desc[x] == '<'); x++) {
        if (desc[x] == '<') {
            while (desc[x] != '>') {
                if (!desc[x]) {
                    maxsize = 0;
                    break;
                }
                ++x;
            }
        } else if (desc[x] == '&') {
            --maxsize;
            for (; desc[x] != ';'; ++x)
                if (desc[x] == '\0') {
                    maxsize = 0;
                    break;
                }
        } else {
            --maxsize;
        }
        if (desc[x] == '\0')
            break;
    }
    if (!maxsize && desc[x] != '\0' && x > 0) {
        desc[x - 1] = '>';
        desc[x] = '\0';
    }
    return desc;
}

static void emit_date(listing *l, const entry *e, char *buf, size_t size)
{
    struct tm tm;
    time_t t = e->lm;
    localtime_r(&t, &tm);
    strftime(buf, size,
             l->d->datetime_format ? l->d->datetime_format : "%Y-%m-%d %H:%M  ",
             &tm);
}

static void emit_table(listing *l, entry **v, int n, int name_width,
                       const char *pad)
{
    request *r = l->r;
    int cols = 1, o = l->opts;
    /* with IndexStyleSheet, Apache names the parts for the sheet */
    int css = l->d->style_sheet != NULL;
    request_puts(r,
                 css ? "  <table id=\"indexlist\">\n   <tr class=\"indexhead\">"
                     : "  <table>\n   <tr>");
    if (!(o & AI_SUPPRESS_ICON)) {
        const char *tp = find_item(l, AI_ICON, "^^BLANKICON^^", NULL, NULL, 1);
        request_puts(r, css ? "<th class=\"indexcolicon\">"
                            : "<th valign=\"top\">");
        if (tp) {
            request_printf(r, "<img src=\"%s\" alt=\"[ICO]\"",
                           req_escape_html(r->arena, tp));
            if (l->d->icon_width)
                request_printf(r, " width=\"%d\"", l->d->icon_width);
            if (l->d->icon_height)
                request_printf(r, " height=\"%d\"", l->d->icon_height);
            request_puts(r, (o & AI_EMIT_XHTML) ? " /></th>" : "></th>");
        } else
            request_puts(r, "&nbsp;</th>");
        cols++;
    }
    request_puts(r, css ? "<th class=\"indexcolname\">" : "<th>");
    emit_link(l, "Name", 'N');
    if (!(o & AI_SUPPRESS_LAST_MOD)) {
        request_puts(r,
                     css ? "</th><th class=\"indexcollastmod\">" : "</th><th>");
        emit_link(l, "Last modified", 'M');
        cols++;
    }
    if (!(o & AI_SUPPRESS_SIZE)) {
        request_puts(r, css ? "</th><th class=\"indexcolsize\">" : "</th><th>");
        emit_link(l, "Size", 'S');
        cols++;
    }
    if (!(o & AI_SUPPRESS_DESC)) {
        request_puts(r, css ? "</th><th class=\"indexcoldesc\">" : "</th><th>");
        emit_link(l, "Description", 'D');
        cols++;
    }
    const char *breakrow =
        (o & AI_SUPPRESS_RULES)
            ? ""
            : arena_printf(r->arena,
                           "   <tr%s><th colspan=\"%d\"><hr%s></th></tr>\n",
                           css ? " class=\"indexbreakrow\"" : "", cols,
                           (o & AI_EMIT_XHTML) ? " /" : "");
    request_printf(r, "</th></tr>\n%s", breakrow);
    for (int x = 0; x < n; x++) {
        const entry *e = v[x];
        const char *anchor =
            req_escape_html(r->arena, escape_path(r->arena, e->name));
        request_puts(r, !css      ? "<tr>"
                        : (x & 1) ? "   <tr class=\"odd\">"
                                  : "   <tr class=\"even\">");
        if (!(o & AI_SUPPRESS_ICON)) {
            request_puts(r, css ? "<td class=\"indexcolicon\">"
                                : "<td valign=\"top\">");
            emit_icon(l, e, anchor, 1);
        }
        int nw;
        if (l->d->name_adjust == AI_K_ADJUST) {
            request_printf(r, "%s<a href=\"%s\">%s</a>",
                           css ? "<td class=\"indexcolname\">" : "<td>", anchor,
                           req_escape_html(r->arena, e->is_parent
                                                         ? "Parent Directory"
                                                         : e->name));
        } else {
            const char *t = shown_name(l, e, name_width, &nw);
            request_printf(r, "%s<a href=\"%s\">%s</a>%s",
                           css ? "<td class=\"indexcolname\">" : "<td>", anchor,
                           t, pad + nw);
        }
        if (!(o & AI_SUPPRESS_LAST_MOD)) {
            if (e->lm != -1) {
                char buf[64];
                emit_date(l, e, buf, sizeof(buf));
                request_printf(r, "%s%s",
                               css ? "</td><td class=\"indexcollastmod\">"
                                   : "</td><td align=\"right\">",
                               buf);
            } else {
                request_puts(r,
                             css ? "</td><td class=\"indexcollastmod\">&nbsp;"
                                 : "</td><td>&nbsp;");
            }
        }
        if (!(o & AI_SUPPRESS_SIZE)) {
            char buf[8];
            strfsize(e->size, buf);
            request_printf(r, "%s%s",
                           css ? "</td><td class=\"indexcolsize\">"
                               : "</td><td align=\"right\">",
                           buf);
        }
        if (!(o & AI_SUPPRESS_DESC))
            request_printf(r, "%s%s",
                           css ? "</td><td class=\"indexcoldesc\">"
                               : "</td><td>",
                           !e->desc ? "&nbsp;"
                           : l->d->desc_adjust == AI_K_ADJUST
                               ? e->desc
                               : cut_desc(l, e->desc, l->desc_width));
        request_puts(r, "</td></tr>\n");
    }
    request_printf(r, "%s</table>\n", breakrow);
}

static void emit_pre(listing *l, entry **v, int n, int name_width,
                     const char *pad)
{
    request *r = l->r;
    int o = l->opts;
    request_puts(r, "<pre>");
    if (!(o & AI_SUPPRESS_ICON)) {
        const char *tp = find_item(l, AI_ICON, "^^BLANKICON^^", NULL, NULL, 1);
        if (tp) {
            request_printf(r, "<img src=\"%s\" alt=\"Icon \"",
                           req_escape_html(r->arena, tp));
            if (l->d->icon_width)
                request_printf(r, " width=\"%d\"", l->d->icon_width);
            if (l->d->icon_height)
                request_printf(r, " height=\"%d\"", l->d->icon_height);
            request_puts(r, (o & AI_EMIT_XHTML) ? " /> " : "> ");
        } else {
            request_puts(r, "      ");
        }
    }
    emit_link(l, "Name", 'N');
    request_printf(r, "%s ", pad + (name_width >= 4 ? 4 : name_width));
    if (!(o & AI_SUPPRESS_LAST_MOD)) {
        emit_link(l, "Last modified", 'M');
        request_puts(r, "      ");
    }
    if (!(o & AI_SUPPRESS_SIZE)) {
        emit_link(l, "Size", 'S');
        request_puts(r, "  ");
    }
    if (!(o & AI_SUPPRESS_DESC))
        emit_link(l, "Description", 'D');
    request_puts(r, (o & AI_SUPPRESS_RULES) ? "\n"
                    : (o & AI_EMIT_XHTML)   ? "<hr />"
                                            : "<hr>");
    for (int x = 0; x < n; x++) {
        const entry *e = v[x];
        const char *anchor =
            req_escape_html(r->arena, escape_path(r->arena, e->name));
        if (!(o & AI_SUPPRESS_ICON))
            emit_icon(l, e, anchor, 0);
        int nw;
        const char *t = shown_name(l, e, name_width, &nw);
        request_printf(r, "<a href=\"%s\">%s</a>%s ", anchor, t, pad + nw);
        if (!(o & AI_SUPPRESS_LAST_MOD)) {
            char buf[64];
            if (e->lm != -1)
                emit_date(l, e, buf, sizeof(buf));
            else
                strcpy(buf, "                   ");
            request_puts(r, buf);
        }
        if (!(o & AI_SUPPRESS_SIZE)) {
            char buf[8];
            strfsize(e->size, buf);
            request_printf(r, "%s  ", buf);
        }
        if (!(o & AI_SUPPRESS_DESC) && e->desc)
            request_puts(r, cut_desc(l, e->desc, l->desc_width));
        request_puts(r, "\n");
    }
    if (o & AI_SUPPRESS_RULES)
        request_puts(r, "</pre>\n");
    else
        request_puts(r,
                     (o & AI_EMIT_XHTML) ? "<hr /></pre>\n" : "<hr></pre>\n");
}

static void emit_list(listing *l, entry **v, int n)
{
    request *r = l->r;
    request_puts(r, "<ul>");
    for (int x = 0; x < n; x++) {
        const char *anchor =
            req_escape_html(r->arena, escape_path(r->arena, v[x]->name));
        request_printf(r, "<li><a href=\"%s\"> %s</a></li>\n", anchor,
                       req_escape_html(r->arena, v[x]->is_parent
                                                     ? "Parent Directory"
                                                     : v[x]->name));
    }
    request_puts(r, "</ul>\n");
}

/* ---- the query string: C= O= F= V= P=
 * ---------------------------------------- */

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* ap_unescape_url(): %XX decoding; a bad escape, %00 or %2F is refused. */
static int unescape(char *s)
{
    char *d = s;
    for (; *s; s++) {
        if (*s != '%') {
            *d++ = *s;
            continue;
        }
        int hi = hexval((unsigned char)s[1]),
            lo = hi < 0 ? -1 : hexval((unsigned char)s[2]);
        if (hi < 0 || lo < 0)
            return -1;
        int c = hi * 16 + lo;
        if (c == 0 || c == '/')
            return -1;
        *d++ = (char)c;
        s += 2;
    }
    *d = '\0';
    return 0;
}

static int item_end(const char *q)
{
    return q[3] == '&' || q[3] == ';' || q[3] == '\0';
}

static void parse_query(listing *l)
{
    request *r = l->r;
    char fval[5] = "", vval[5] = "";
    const char *ppre = "", *epattern = "";
    if (l->opts & AI_IGNORE_CLIENT) {
        l->opts |= AI_SUPPRESS_COLSORT;
        l->colargs = "";
        return;
    }
    const char *q = r->args;
    while (q && *q) {
        int adv = q[0] && q[1] && q[2] && q[3] ? 4 : 3;
        if (q[0] == 'C' && q[1] == '=' && q[2] && strchr("NMSD", q[2]) &&
            item_end(q)) {
            l->key = q[2];
            q += adv;
        } else if (q[0] == 'O' && q[1] == '=' && (q[2] == 'A' || q[2] == 'D') &&
                   item_end(q)) {
            l->dir = q[2];
            q += adv;
        } else if (q[0] == 'F' && q[1] == '=' && q[2] && strchr("012", q[2]) &&
                   item_end(q)) {
            if (q[2] == '0')
                l->opts &= ~(AI_FANCY_INDEXING | AI_TABLE_INDEXING);
            else if (q[2] == '1')
                l->opts = (l->opts | AI_FANCY_INDEXING) & ~AI_TABLE_INDEXING;
            else
                l->opts |= AI_FANCY_INDEXING | AI_TABLE_INDEXING;
            snprintf(fval, sizeof(fval), ";F=%c", q[2]);
            q += adv;
        } else if (q[0] == 'V' && q[1] == '=' && (q[2] == '0' || q[2] == '1') &&
                   item_end(q)) {
            if (q[2] == '0')
                l->opts &= ~AI_VERSION_SORT;
            else
                l->opts |= AI_VERSION_SORT;
            snprintf(vval, sizeof(vval), ";V=%c", q[2]);
            q += adv;
        } else if (q[0] == 'P' && q[1] == '=') {
            const char *s = q + 2, *eos = s;
            while (*eos && *eos != '&' && *eos != ';')
                eos++;
            l->pattern = NULL;
            if (eos > s) {
                char *p = arena_strndup(r->arena, s, (size_t)(eos - s));
                if (unescape(p) == 0) {
                    l->pattern = p;
                    ppre = ";P=";
                    epattern = req_escape_uri(r->arena, p);
                }
            }
            q = (*eos && eos[1]) ? eos + 1 : NULL;
        } else {
            q = NULL;
        }
    }
    l->colargs =
        arena_strcat(r->arena, fval, vval, ppre, epattern, (char *)NULL);
}

/* ---- the handler
 * ---------------------------------------------------------------- */

static int index_directory(listing *l)
{
    request *r = l->r;
    DIR *dp = opendir(r->filename);
    if (dp == NULL) {
        log_rerror(r, APLOG_ERR, "autoindex", errno,
                   "AH01275: Can't open directory for index: %s", r->filename);
        return 403;
    }
    const char *charset = l->d->charset ? l->d->charset : "ISO-8859-1";
    const char *ctype = l->d->ctype ? l->d->ctype : "text/html";
    r->content_type =
        arena_strcat(r->arena, ctype, ";charset=", charset, (char *)NULL);
    if ((l->opts & AI_TRACK_MODIFIED) && r->finfo_valid) {
        /* the directory's own Last-Modified and ETag, as Apache's */
        char date[32];
        time_t mt = r->finfo.st_mtime,
               now = (time_t)(r->request_time_us / 1000000);
        http_format_date(date, mt > now ? now : mt);
        request_set_header(r, "Last-Modified", arena_strdup(r->arena, date));
        const char *etag = http_make_etag(r);
        if (etag != NULL)
            request_set_header(r, "ETag", etag);
    }
    if (r->header_only) { /* as Apache: HEAD reads no entries (no
                           * lookups, none of their log lines) */
        closedir(dp);
        return OK;
    }
    int cap = 64, n = 0;
    entry **v = arena_alloc(r->arena, sizeof(*v) * cap);
    entry *p = parent_entry(l);
    if (p)
        v[n++] = p;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        entry *e = dir_entry(l, de->d_name);
        if (e == NULL)
            continue;
        if (n == cap) {
            entry **nv = arena_alloc(r->arena, sizeof(*v) * cap * 2);
            memcpy(nv, v, sizeof(*v) * n);
            v = nv;
            cap *= 2;
        }
        v[n++] = e;
    }
    closedir(dp);
    sort_spec spec = {l->key, l->dir, l->opts};
    qsort_r(v, (size_t)n, sizeof(*v), compare_entries, &spec);

    char *title = req_escape_html(r->arena, r->uri);
    for (size_t t = strlen(title); t > 1 && title[t - 1] == '/'; t--)
        title[t - 1] = '\0';
    emit_head(l, title);
    int name_width = l->d->name_adjust == AI_K_NOADJUST ? l->d->name_width
                                                        : AI_DEFAULT_NAME_WIDTH;
    if (l->d->name_adjust == AI_K_ADJUST)
        for (int x = 0; x < n; x++) {
            int w = (int)strlen(v[x]->name);
            if (w > name_width)
                name_width = w;
        }
    l->desc_width = l->d->desc_adjust == AI_K_NOADJUST ? l->d->desc_width
                                                       : AI_DEFAULT_DESC_WIDTH;
    if (l->d->desc_adjust == AI_K_ADJUST)
        for (int x = 0; x < n; x++) {
            int w = v[x]->desc ? (int)strlen(v[x]->desc) : 0;
            if (w > l->desc_width)
                l->desc_width = w;
        }
    char *pad = arena_alloc(r->arena, (size_t)name_width + 1);
    memset(pad, ' ', (size_t)name_width);
    pad[name_width] = '\0';
    if (l->opts & AI_TABLE_INDEXING)
        emit_table(l, v, n, name_width, pad);
    else if (l->opts & AI_FANCY_INDEXING)
        emit_pre(l, v, n, name_width, pad);
    else
        emit_list(l, v, n);
    emit_tail(l);
    return http_range_check(r);
}

int autoindex_handler(request *r)
{
    if (r->handler == NULL || r->handler[0] != 'h' ||
        strcmp(r->handler, "httpd/unix-directory") != 0)
        return DECLINED;
    if (!r->finfo_valid || !S_ISDIR(r->finfo.st_mode))
        return DECLINED;
    if (r->method_number != M_GET)
        return DECLINED;
    core_dir_conf *cd = r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
    if (cd == NULL || !(cd->options & OPT_INDEXES)) {
        /* mod_dir's list of index names, if it looked */
        const char *names = req_table_get(&r->notes, "dir-index-names");
        log_rerror(r, APLOG_ERR, "autoindex", 0,
                   "AH01276: Cannot serve directory %s: No "
                   "matching DirectoryIndex (%s) found, and server-generated "
                   "directory index forbidden by Options directive",
                   r->filename, names ? names : "none");
        return 403;
    }
    listing l = {.r = r, .d = modutil_dir_config(r, &autoindex_module)};
    if (l.d == NULL)
        return DECLINED;
    l.opts = l.d->opts;
    l.key = l.d->default_keyid ? l.d->default_keyid : 'N';
    l.dir = l.d->default_direction ? l.d->default_direction : 'A';
    l.colargs = "";
    size_t fl = strlen(r->filename);
    if (fl == 0 || r->filename[fl - 1] != '/')
        r->filename = arena_strcat(r->arena, r->filename, "/", (char *)NULL);
    parse_query(&l);
    return index_directory(&l);
}
