/* mod_mime.c -- extension mappings: TypesConfig, AddType, AddEncoding,
 * AddCharset, AddLanguage, AddHandler, DefaultLanguage, Remove*.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mod_mime.h"

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
    c->types_config = add->types_config ? add->types_config
                                        : base->types_config;
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

/* The merged scope keeps everything in order: base's mappings (removals
 * already folded in), then add's mappings, then add's removals. */
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const mime_dir_conf *base = basev, *add = addv;
    mime_dir_conf *c = arena_calloc(a, sizeof(*c));
    for (const mime_mapping *m = base->adds; m; m = m->next)
        append(a, &c->adds, &c->adds_tail, m);
    for (const mime_mapping *m = base->removes; m; m = m->next)
        append(a, &c->adds, &c->adds_tail, m);
    for (const mime_mapping *m = add->adds; m; m = m->next)
        append(a, &c->adds, &c->adds_tail, m);
    for (const mime_mapping *m = add->removes; m; m = m->next)
        append(a, &c->adds, &c->adds_tail, m);
    c->default_language = add->default_language ? add->default_language
                                                : base->default_language;
    return c;
}

const char *mime_lookup(const mime_dir_conf *c, const char *ext,
                        enum mime_field field)
{
    const char *v = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (const mime_mapping *m = pass ? c->removes : c->adds; m;
             m = m->next)
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
    m.value = value ? lower(cmd->arena, value) : NULL;
    if (value)
        append(cmd->arena, &c->adds, &c->adds_tail, &m);
    else
        append(cmd->arena, &c->removes, &c->removes_tail, &m);
    return NULL;
}

#define ADD_FN(NAME, FIELD)                                                  \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,         \
                            char *const argv[])                              \
    {                                                                        \
        (void)argc;                                                          \
        return add_mapping(cmd, mconfig, FIELD, argv[0], argv[1]);           \
    }
#define REMOVE_FN(NAME, FIELD)                                               \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,         \
                            char *const argv[])                              \
    {                                                                        \
        (void)argc;                                                          \
        return add_mapping(cmd, mconfig, FIELD, NULL, argv[0]);              \
    }
ADD_FN(cmd_add_type, MIME_TYPE)
ADD_FN(cmd_add_encoding, MIME_ENCODING)
ADD_FN(cmd_add_charset, MIME_CHARSET)
ADD_FN(cmd_add_language, MIME_LANGUAGE)
ADD_FN(cmd_add_handler, MIME_HANDLER)
REMOVE_FN(cmd_remove_type, MIME_TYPE)
REMOVE_FN(cmd_remove_encoding, MIME_ENCODING)
REMOVE_FN(cmd_remove_charset, MIME_CHARSET)
REMOVE_FN(cmd_remove_language, MIME_LANGUAGE)
REMOVE_FN(cmd_remove_handler, MIME_HANDLER)

static const char *cmd_default_language(cmd_parms *cmd, void *mconfig,
                                        int argc, char *const argv[])
{
    (void)argc;
    mime_dir_conf *c = mconfig;
    c->default_language = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

static const char *cmd_types_config(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)mconfig;
    (void)argc;
    mime_server_conf *sc = conf_get(cmd->server->module_config, &mime_module);
    sc->types_config = arena_strdup(cmd->arena, argv[0]);
    /* Only the main server's file is read, as in Apache. */
    if (cmd->rc && cmd->server == cmd->rc->main_server)
        cmd->rc->types_config = conf_server_root_relative(cmd, argv[0]);
    return NULL;
}

static const command_rec mime_cmds[] = {
    {"AddCharset", cmd_add_charset, 0, OR_FILEINFO, ITERATE2,
     "a charset (e.g., iso-2022-jp), followed by one or more file "
     "extensions"},
    {"AddEncoding", cmd_add_encoding, 0, OR_FILEINFO, ITERATE2,
     "an encoding (e.g., gzip), followed by one or more file extensions"},
    {"AddHandler", cmd_add_handler, 0, OR_FILEINFO, ITERATE2,
     "a handler name followed by one or more file extensions"},
    {"AddLanguage", cmd_add_language, 0, OR_FILEINFO, ITERATE2,
     "a language (e.g., fr), followed by one or more file extensions"},
    {"AddType", cmd_add_type, 0, OR_FILEINFO, ITERATE2,
     "a mime type followed by one or more file extensions"},
    {"DefaultLanguage", cmd_default_language, 0, OR_FILEINFO, TAKE1,
     "language to use for documents with no other language file "
     "extension"},
    {"RemoveCharset", cmd_remove_charset, 0, RSRC_CONF | ACCESS_CONF,
     ITERATE, "one or more file extensions"},
    {"RemoveEncoding", cmd_remove_encoding, 0, RSRC_CONF | ACCESS_CONF,
     ITERATE, "one or more file extensions"},
    {"RemoveHandler", cmd_remove_handler, 0, RSRC_CONF | ACCESS_CONF,
     ITERATE, "one or more file extensions"},
    {"RemoveLanguage", cmd_remove_language, 0, RSRC_CONF | ACCESS_CONF,
     ITERATE, "one or more file extensions"},
    {"RemoveType", cmd_remove_type, 0, RSRC_CONF | ACCESS_CONF, ITERATE,
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
};
