/* mod_mime.c -- extension mappings: TypesConfig, AddType, AddEncoding,
 * AddCharset, AddLanguage, AddHandler, AddOutputFilter, DefaultLanguage,
 * Remove*.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mod_mime.h"
#include "mod_util.h"
#include "request.h"

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(mime_dir_conf));
}

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    return arena_calloc(a, sizeof(mime_server_conf));
}

static void *merge_server(arena *a, void *basev, void *addv)
{
    const mime_server_conf *base = basev, *add = addv;
    mime_server_conf *c = arena_calloc(a, sizeof(*c));
    c->types_config =
        add->types_config ? add->types_config : base->types_config;
    return c;
}

static void append(arena *a, mime_mapping **head, mime_mapping **tail,
                   const mime_mapping *m)
{
    mime_mapping *c = arena_alloc(a, sizeof(*c));
    *c = *m;
    c->next = NULL;
    if (*tail)
        (*tail)->next = c;
    else
        *head = c;
    *tail = c;
}

static int removed(const mime_mapping *m, const mime_mapping *removes)
{
    for (const mime_mapping *r = removes; r; r = r->next)
        if (r->field == m->field && strcasecmp(r->ext, m->ext) == 0)
            return 1;
    return 0;
}

/* The merged scope: base's mappings, then add's, less those add's pending
 * Remove*s (not RemoveType) name: apache2 applies a scope's removals to
 * what the merge holds when the scope is merged onto another (whatever
 * their order among its Add*s) and drops them after, so base's pending
 * ones are lost and the main server's are never applied (it is only ever
 * the base). */
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const mime_dir_conf *base = basev, *add = addv;
    mime_dir_conf *c = arena_calloc(a, sizeof(*c));
    for (int pass = 0; pass < 2; pass++)
        for (const mime_mapping *m = pass ? add->adds : base->adds; m;
             m = m->next)
            if (!removed(m, add->removes))
                append(a, &c->adds, &c->adds_tail, m);
    c->default_language =
        add->default_language ? add->default_language : base->default_language;
    c->multimatch = add->multimatch ? add->multimatch : base->multimatch;
    return c;
}

/* The last mapping of ext for field; a scope's pending removals do not
 * count (they apply when it is merged). */
const char *mime_lookup(const mime_dir_conf *c, const char *ext,
                        enum mime_field field)
{
    const char *v = NULL;
    for (const mime_mapping *m = c->adds; m; m = m->next)
        if (m->field == field && strcasecmp(m->ext, ext) == 0)
            v = m->value;
    return v;
}

static char *lower(arena *a, const char *s)
{
    char *d = arena_strdup(a, s);
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static const char *add_mapping(cmd_parms *cmd, mime_dir_conf *c,
                               enum mime_field field, const char *value,
                               const char *ext)
{
    mime_mapping m = {0};
    if (*ext == '.')
        ext++;
    m.ext = lower(cmd->arena, ext);
    m.field = field;
    /* RemoveType is an empty mapping in line with the AddTypes: within a
     * scope the later line wins ("RemoveType .x" then "AddType t .x" is
     * t, as apache2), and "" also hides TypesConfig's type.  The other
     * Remove*s wait for the merge (merge_dir). */
    m.value = value ? lower(cmd->arena, value) : "";
    if (value == NULL && field != MIME_TYPE)
        append(cmd->arena, &c->removes, &c->removes_tail, &m);
    else
        append(cmd->arena, &c->adds, &c->adds_tail, &m);
    return NULL;
}

#define ADD_FN(NAME, FIELD)                                                    \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,           \
                            char *const argv[])                                \
    {                                                                          \
        (void)argc;                                                            \
        return add_mapping(cmd, mconfig, FIELD, argv[0], argv[1]);             \
    }
#define REMOVE_FN(NAME, FIELD)                                                 \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,           \
                            char *const argv[])                                \
    {                                                                          \
        (void)argc;                                                            \
        return add_mapping(cmd, mconfig, FIELD, NULL, argv[0]);                \
    }
ADD_FN(cmd_add_type, MIME_TYPE)
ADD_FN(cmd_add_encoding, MIME_ENCODING)
ADD_FN(cmd_add_charset, MIME_CHARSET)
ADD_FN(cmd_add_language, MIME_LANGUAGE)
ADD_FN(cmd_add_handler, MIME_HANDLER)
REMOVE_FN(cmd_remove_output_filter, MIME_OUTPUT_FILTER)

static const char *cmd_add_output_filter(cmd_parms *cmd, void *mconfig,
                                         int argc, char *const argv[])
{
    (void)argc;
    conf_uses_output_filters(cmd);
    return add_mapping(cmd, mconfig, MIME_OUTPUT_FILTER, argv[0], argv[1]);
}
REMOVE_FN(cmd_remove_type, MIME_TYPE)
REMOVE_FN(cmd_remove_encoding, MIME_ENCODING)
REMOVE_FN(cmd_remove_charset, MIME_CHARSET)
REMOVE_FN(cmd_remove_language, MIME_LANGUAGE)
REMOVE_FN(cmd_remove_handler, MIME_HANDLER)

static const char *cmd_default_language(cmd_parms *cmd, void *mconfig, int argc,
                                        char *const argv[])
{
    (void)argc;
    mime_dir_conf *c = mconfig;
    c->default_language = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

/* ITERATE: the words of a scope's lines add up; Any and NegotiatedOnly
 * exclude the others (Apache's messages); not in <Location>, as 2.4. */
static const char *cmd_multiviews_match(cmd_parms *cmd, void *mconfig, int argc,
                                        char *const argv[])
{
    (void)argc;
    const char *err = conf_check_context(cmd, NOT_IN_LOCATION);
    if (err != NULL)
        return err;
    mime_dir_conf *c = mconfig;
    const char *w = argv[0];
    int m = c->multimatch;
    if (strcasecmp(w, "Any") == 0) {
        if (m & ~MULTIMATCH_ANY)
            return "Any is incompatible with NegotiatedOnly, Filters and "
                   "Handlers";
        c->multimatch |= MULTIMATCH_ANY;
    } else if (strcasecmp(w, "NegotiatedOnly") == 0) {
        if (m & ~MULTIMATCH_NEGOTIATED)
            return "NegotiatedOnly is incompatible with Any, Filters and "
                   "Handlers";
        c->multimatch |= MULTIMATCH_NEGOTIATED;
    } else if (strcasecmp(w, "Filters") == 0) {
        if (m & (MULTIMATCH_NEGOTIATED | MULTIMATCH_ANY))
            return "Filters is incompatible with Any and NegotiatedOnly";
        c->multimatch |= MULTIMATCH_FILTERS;
    } else if (strcasecmp(w, "Handlers") == 0) {
        if (m & (MULTIMATCH_NEGOTIATED | MULTIMATCH_ANY))
            return "Handlers is incompatible with Any and NegotiatedOnly";
        c->multimatch |= MULTIMATCH_HANDLERS;
    } else {
        return arena_strcat(cmd->temp, "Unrecognized option '", w, "'",
                            (char *)NULL);
    }
    return NULL;
}

static const char *cmd_types_config(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)mconfig;
    (void)argc;
    mime_server_conf *sc = conf_server_config(cmd, &mime_module);
    sc->types_config = arena_strdup(cmd->arena, argv[0]);
    /* Only the main server's file is read, as in Apache. */
    if (cmd->rc && cmd->server == cmd->rc->main_server)
        cmd->rc->types_config = conf_server_root_relative(cmd, argv[0]);
    return NULL;
}

/* ---- runtime: find_ct ---------------------------------------------------- */

/* "type/sub; a=b" rebuilt in Apache's shape, the charset replaced by
 * (or added from) AddCharset. */
static const char *with_params(request *r, const char *ct, const char *charset)
{
    const char *semi = strchr(ct, ';');
    size_t n = semi ? (size_t)(semi - ct) : strlen(ct);
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    if (semi == NULL && charset == NULL && ct[n] == '\0')
        return ct; /* already in shape (the usual TypesConfig type) */
    const char *out = arena_strndup(r->arena, ct, n);
    int replaced = 0;
    while (semi) {
        const char *p = semi + 1;
        semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0)
            continue;
        const char *param = arena_strndup(r->arena, p, len);
        if (charset && strncasecmp(param, "charset=", 8) == 0) {
            if (!replaced)
                out = arena_strcat(r->arena, out, "; charset=", charset,
                                   (char *)NULL);
            replaced = 1;
        } else {
            out = arena_strcat(r->arena, out, "; ", param, (char *)NULL);
        }
    }
    if (charset && !replaced)
        out = arena_strcat(r->arena, out, "; charset=", charset, (char *)NULL);
    return out;
}

static void add_language(request *r, const char *lang)
{
    r->content_languages = r->content_languages
                               ? arena_strcat(r->arena, r->content_languages,
                                              ", ", lang, (char *)NULL)
                               : lang;
}

/* Every extension counts, in order: "a.html.gz" is text/html, gzip. */
static int type_checker(request *r)
{
    if (r->finfo_valid && S_ISDIR(r->finfo.st_mode)) {
        r->content_type = "httpd/unix-directory";
        return OK;
    }
    if (r->filename == NULL)
        return DECLINED;
    const mime_dir_conf *conf = modutil_dir_config(r, &mime_module);
    /* without Add* mappings there is nothing to look up per extension */
    const mime_dir_conf *maps = conf && conf->adds ? conf : NULL;
    const char *fn = strrchr(r->filename, '/');
    fn = fn ? fn + 1 : r->filename;
    while (*fn == '.')
        fn++;
    const char *ext = strchr(fn, '.');
    const char *charset = NULL;
    /* what MultiViews may match: the base name and the extensions that
     * said nothing (MIME_EXCEPTIONS_NOTE); only mod_negotiation's
     * lookups read it, so a request of its own does not pay for it */
    int noting = r->is_subrequest != 0;
    const char *unknown =
        noting && ext ? arena_strndup(r->arena, fn, (size_t)(ext - fn)) : fn;
    int multimatch = conf ? conf->multimatch : 0, metadata = 0;
    while (ext) {
        ext++;
        const char *end = strchr(ext, '.');
        size_t n = end ? (size_t)(end - ext) : strlen(ext);
        const char *e = end ? arena_strndup(r->arena, ext, n) : ext;
        ext = end;
        if (*e == '\0')
            continue;
        int found = 0;
        /* RemoveType leaves "" behind: no type, not even TypesConfig's */
        const char *forced = maps ? mime_lookup(maps, e, MIME_TYPE) : NULL;
        if (forced == NULL) {
            const char *t = mime_types_lookup(r->rc, e);
            if (t)
                r->content_type = t, found = 1;
        } else if (*forced) {
            r->content_type = forced, found = 1;
        }
        const char *v;
        if (maps && (v = mime_lookup(maps, e, MIME_LANGUAGE)) != NULL && *v)
            add_language(r, v), found = 1;
        if (maps && (v = mime_lookup(maps, e, MIME_CHARSET)) != NULL && *v)
            charset = v, found = 1;
        if (maps && (v = mime_lookup(maps, e, MIME_ENCODING)) != NULL && *v) {
            r->content_encoding =
                r->content_encoding
                    ? arena_strcat(r->arena, r->content_encoding, ", ", v,
                                   (char *)NULL)
                    : v;
            found = 1;
        }
        /* a handler's extension is no metadata unless MultiviewsMatch
         * Handlers says so: it must have been asked for by name */
        if (maps && (v = mime_lookup(maps, e, MIME_HANDLER)) != NULL && *v) {
            r->handler = v;
            if (multimatch & MULTIMATCH_HANDLERS)
                found = 1;
        }
        /* so is an output filter's (AddOutputFilter), unless
         * MultiviewsMatch Filters; the filter itself is added by
         * insert_filter() */
        if ((multimatch & MULTIMATCH_FILTERS) &&
            (v = mime_lookup(conf, e, MIME_OUTPUT_FILTER)) != NULL && *v)
            found = 1;
        if (found || (multimatch & MULTIMATCH_ANY))
            metadata = 1;
        else if (noting)
            unknown = arena_strcat(r->arena, unknown, "/", lower(r->arena, e),
                                   (char *)NULL);
    }
    if (metadata && noting)
        req_table_set(r->arena, &r->notes, MIME_EXCEPTIONS_NOTE, unknown);
    if (r->content_type)
        r->content_type = with_params(r, r->content_type, charset);
    if (r->content_languages == NULL && conf && conf->default_language)
        r->content_languages = conf->default_language;
    /* OK even without a type: TypesConfig has been consulted here, and a
     * RemoveType must not be undone by the core's fallback. */
    return OK;
}

/* Apache's mime_insert_filters(): AddOutputFilter's names for every
 * extension of the file name, in order. */
static void insert_filter(request *r)
{
    const mime_dir_conf *conf = modutil_dir_config(r, &mime_module);
    if (conf == NULL || r->filename == NULL)
        return;
    const char *fn = strrchr(r->filename, '/');
    fn = fn ? fn + 1 : r->filename;
    while (*fn == '.')
        fn++;
    const char *ext = strchr(fn, '.');
    while (ext) {
        ext++;
        const char *end = strchr(ext, '.');
        size_t n = end ? (size_t)(end - ext) : strlen(ext);
        const char *e = arena_strndup(r->arena, ext, n);
        ext = end;
        const char *v = *e ? mime_lookup(conf, e, MIME_OUTPUT_FILTER) : NULL;
        if (v != NULL && *v)
            request_add_output_filters(r, v);
    }
}

static const command_rec mime_cmds[] = {
    {"AddCharset", cmd_add_charset, 0, OR_FILEINFO, ITERATE2,
     "a charset (e.g., iso-2022-jp), followed by one or more file "
     "extensions"},
    {"AddEncoding", cmd_add_encoding, 0, OR_FILEINFO, ITERATE2,
     "an encoding (e.g., gzip), followed by one or more file extensions"},
    {"AddHandler", cmd_add_handler, 0, OR_FILEINFO, ITERATE2,
     "a handler name followed by one or more file extensions"},
    {"AddOutputFilter", cmd_add_output_filter, 0, OR_FILEINFO, ITERATE2,
     "output filter name (or ; delimited names) followed by one or more file "
     "extensions"},
    {"AddLanguage", cmd_add_language, 0, OR_FILEINFO, ITERATE2,
     "a language (e.g., fr), followed by one or more file extensions"},
    {"AddType", cmd_add_type, 0, OR_FILEINFO, ITERATE2,
     "a mime type followed by one or more file extensions"},
    {"DefaultLanguage", cmd_default_language, 0, OR_FILEINFO, TAKE1,
     "language to use for documents with no other language file "
     "extension"},
    {"MultiviewsMatch", cmd_multiviews_match, 0, OR_FILEINFO, ITERATE,
     "NegotiatedOnly (default), Handlers and/or Filters, or Any"},
    {"RemoveCharset", cmd_remove_charset, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"RemoveEncoding", cmd_remove_encoding, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"RemoveHandler", cmd_remove_handler, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"RemoveLanguage", cmd_remove_language, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"RemoveOutputFilter", cmd_remove_output_filter, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"RemoveType", cmd_remove_type, 0, OR_FILEINFO, ITERATE,
     "one or more file extensions"},
    {"TypesConfig", cmd_types_config, 0, RSRC_CONF, TAKE1,
     "the MIME types config file"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module mime_module = {
    .name = "mime_module",
    .file = "mod_mime.c",
    .cmds = mime_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
    .type_checker = type_checker,
    .insert_filter = insert_filter,
};
