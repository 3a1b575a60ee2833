/* mod_autoindex.c -- directives of Apache's directory listings:
 * IndexOptions (every keyword, +/- forms, widths, Type=, Charset=),
 * IndexIgnore, IndexIgnoreReset, HeaderName, ReadmeName,
 * IndexOrderDefault, IndexStyleSheet, IndexHeadInsert, DefaultIcon,
 * AddIcon*, AddAlt*, AddDescription.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_autoindex.h"

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    autoindex_conf *c = arena_calloc(a, sizeof(*c));
    c->name_adjust = AI_K_UNSET;
    c->desc_adjust = AI_K_UNSET;
    return c;
}

static ai_item *concat_items(arena *a, const ai_item *x, const ai_item *y,
                             ai_item **tail)
{
    ai_item *head = NULL, **link = &head;
    *tail = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (const ai_item *e = pass ? y : x; e; e = e->next) {
            ai_item *c = arena_alloc(a, sizeof(*c));
            *c = *e;
            c->next = NULL;
            *link = *tail = c;
            link = &c->next;
        }
    return head;
}

static void merge_opts(autoindex_conf *c, const autoindex_conf *base,
                       const autoindex_conf *add)
{
    if (add->opts & AI_NO_OPTIONS) {
        c->opts = AI_NO_OPTIONS;
        return;
    }
    if (add->opts == 0) {
        c->incremented_opts = (base->incremented_opts | add->incremented_opts) &
                              ~add->decremented_opts;
        c->decremented_opts = base->decremented_opts | add->decremented_opts;
        c->opts = base->opts & ~AI_NO_OPTIONS;
    } else {
        c->opts = add->opts;
    }
    c->opts |= c->incremented_opts;
    c->opts &= ~c->decremented_opts;
}

#define PICK(f) c->f = add->f ? add->f : base->f
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const autoindex_conf *base = basev, *add = addv;
    autoindex_conf *c = arena_calloc(a, sizeof(*c));
    merge_opts(c, base, add);
    PICK(icon_width);
    PICK(icon_height);
    PICK(ctype);
    PICK(charset);
    PICK(datetime_format);
    PICK(default_keyid);
    PICK(default_direction);
    PICK(header_name);
    PICK(readme_name);
    PICK(default_icon);
    PICK(style_sheet);
    PICK(head_insert);
    const autoindex_conf *nw = add->name_adjust == AI_K_UNSET ? base : add;
    c->name_width = nw->name_width;
    c->name_adjust = nw->name_adjust;
    const autoindex_conf *dw = add->desc_adjust == AI_K_UNSET ? base : add;
    c->desc_width = dw->desc_width;
    c->desc_adjust = dw->desc_adjust;
    /* the inner scope's patterns first, then the inherited ones */
    int n = add->nignore + (add->ignore_reset ? 0 : base->nignore);
    c->ignore = arena_alloc(a, sizeof(*c->ignore) * (n + 1));
    for (int i = 0; i < add->nignore; i++)
        c->ignore[c->nignore++] = add->ignore[i];
    for (int i = 0; !add->ignore_reset && i < base->nignore; i++)
        c->ignore[c->nignore++] = base->ignore[i];
    ai_item *tail;
    c->items = concat_items(a, add->items, base->items, &tail);
    c->items_tail = tail;
    return c;
}
#undef PICK

/* ---- IndexOptions -----------------------------------------------------------
 */

static const struct {
    const char *name;
    int bit;
} keywords[] = {
    {"FancyIndexing", AI_FANCY_INDEXING},
    {"FoldersFirst", AI_FOLDERS_FIRST},
    {"HTMLTable", AI_TABLE_INDEXING},
    {"IconsAreLinks", AI_ICONS_ARE_LINKS},
    {"IgnoreCase", AI_IGNORE_CASE},
    {"IgnoreClient", AI_IGNORE_CLIENT},
    {"ScanHTMLTitles", AI_SCAN_HTML_TITLES},
    {"SuppressColumnSorting", AI_SUPPRESS_COLSORT},
    {"SuppressDescription", AI_SUPPRESS_DESC},
    {"SuppressHTMLPreamble", AI_SUPPRESS_PREAMBLE},
    {"SuppressIcon", AI_SUPPRESS_ICON},
    {"SuppressLastModified", AI_SUPPRESS_LAST_MOD},
    {"SuppressSize", AI_SUPPRESS_SIZE},
    {"SuppressRules", AI_SUPPRESS_RULES},
    {"TrackModified", AI_TRACK_MODIFIED},
    {"VersionSort", AI_VERSION_SORT},
    {"XHTML", AI_EMIT_XHTML},
    {"ShowForbidden", AI_SHOW_FORBIDDEN},
    {"AddAltClass", AI_ADDALTCLASS},
};

/* NameWidth / DescriptionWidth, bare or "=n" / "=*". */
static const char *width_option(const char *w, char action, const char *key,
                                int minimum, int def, int *width, int *adjust,
                                arena *a)
{
    size_t klen = strlen(key);
    if (w[klen] == '\0') {
        if (action != '-')
            return arena_printf(a,
                                "%s with no value may only appear as "
                                "'-%s'",
                                key, key);
        *width = def;
        *adjust = AI_K_NOADJUST;
        return NULL;
    }
    if (action == '-')
        return arena_printf(a, "Cannot combine '-' with %s=n", key);
    if (w[klen + 1] == '*') {
        *adjust = AI_K_ADJUST;
        return NULL;
    }
    int v = atoi(w + klen + 1);
    if (v && v < minimum)
        return arena_printf(a, "%s value must be greater than %d", key,
                            minimum);
    *width = v;
    *adjust = AI_K_NOADJUST;
    return NULL;
}

static const char *icon_option(const char *w, char action, const char *key,
                               int def, int *out, arena *a)
{
    size_t klen = strlen(key);
    if (w[klen] == '\0') {
        *out = action == '-' ? 0 : def;
        return NULL;
    }
    if (action == '-')
        return arena_printf(a, "Cannot combine '-' with %s=n", key);
    *out = atoi(w + klen + 1);
    return NULL;
}

static int has_key(const char *w, const char *key)
{
    size_t n = strlen(key);
    return strncasecmp(w, key, n) == 0 && (w[n] == '\0' || w[n] == '=');
}

/* Options that take or may take a value; 1 if w was one of them. */
static int valued_option(cmd_parms *cmd, autoindex_conf *c, const char *w,
                         char action, const char **err)
{
    arena *a = cmd->arena;
    if (has_key(w, "IconWidth"))
        *err = icon_option(w, action, "IconWidth", AI_DEFAULT_ICON_WIDTH,
                           &c->icon_width, a);
    else if (has_key(w, "IconHeight"))
        *err = icon_option(w, action, "IconHeight", AI_DEFAULT_ICON_HEIGHT,
                           &c->icon_height, a);
    else if (has_key(w, "NameWidth"))
        *err = width_option(w, action, "NameWidth", 5, AI_DEFAULT_NAME_WIDTH,
                            &c->name_width, &c->name_adjust, a);
    else if (has_key(w, "DescriptionWidth"))
        *err = width_option(w, action, "DescriptionWidth", 12,
                            AI_DEFAULT_DESC_WIDTH, &c->desc_width,
                            &c->desc_adjust, a);
    else if (strncasecmp(w, "Type=", 5) == 0)
        c->ctype = arena_strdup(a, w + 5);
    else if (strncasecmp(w, "Charset=", 8) == 0)
        c->charset = arena_strdup(a, w + 8);
    else if (strcasecmp(w, "UseOldDateFormat") == 0)
        c->datetime_format = "%d-%b-%Y %H:%M";
    else
        return 0;
    return 1;
}

static const char *cmd_index_options(cmd_parms *cmd, void *mconfig, int argc,
                                     char *const argv[])
{
    autoindex_conf *c = mconfig;
    int opts = c->opts, add = c->incremented_opts, rem = c->decremented_opts;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i], *err = NULL;
        char action = 0;
        int bit = 0;
        if (*w == '+' || *w == '-')
            action = *w++;
        size_t k, nk = sizeof(keywords) / sizeof(keywords[0]);
        for (k = 0; k < nk; k++)
            if (strcasecmp(w, keywords[k].name) == 0)
                break;
        if (k < nk) {
            bit = keywords[k].bit;
        } else if (strcasecmp(w, "None") == 0) {
            if (action)
                return "Cannot combine '+' or '-' with 'None' keyword";
            opts = AI_NO_OPTIONS;
            add = rem = 0;
        } else if (!valued_option(cmd, c, w, action, &err)) {
            return "Invalid directory indexing option";
        }
        if (err)
            return err;
        if (action == 0) {
            opts |= bit;
            add = rem = 0;
        } else if (action == '+') {
            add |= bit;
            rem &= ~bit;
        } else {
            rem |= bit;
            add &= ~bit;
        }
    }
    if ((opts & AI_NO_OPTIONS) && (opts & ~AI_NO_OPTIONS))
        return "Cannot combine other IndexOptions keywords with 'None'";
    c->opts = opts;
    c->incremented_opts = add;
    c->decremented_opts = rem;
    return NULL;
}

/* ---- the others -------------------------------------------------------------
 */

static const char *cmd_order(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)cmd;
    (void)argc;
    autoindex_conf *c = mconfig;
    char dir, key;
    if (strcasecmp(argv[0], "Ascending") == 0)
        dir = 'A';
    else if (strcasecmp(argv[0], "Descending") == 0)
        dir = 'D';
    else
        return "First keyword must be 'Ascending' or 'Descending'";
    if (strcasecmp(argv[1], "Name") == 0)
        key = 'N';
    else if (strcasecmp(argv[1], "Date") == 0)
        key = 'M';
    else if (strcasecmp(argv[1], "Size") == 0)
        key = 'S';
    else if (strcasecmp(argv[1], "Description") == 0)
        key = 'D';
    else
        return "Second keyword must be 'Name', 'Date', 'Size', or "
               "'Description'";
    c->default_direction = dir;
    c->default_keyid = key;
    return NULL;
}

/* Where an IndexIgnore or AddIcon/AddAlt applies: the path of the
 * section it is in, followed by "*", matched against the entry's full
 * path (Apache's apply_path).  A <Directory>'s or an access file's
 * directory holds its files; a <Location>'s URL, a regex or a <Files>
 * pattern are compared as they are, so there they rarely apply. */
static const char *apply_path(cmd_parms *cmd)
{
    return arena_strcat(cmd->arena, cmd->path ? cmd->path : "", "*",
                        (char *)NULL);
}

static const char *cmd_ignore(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    (void)argc;
    autoindex_conf *c = mconfig;
    ai_ignore *v = arena_alloc(cmd->arena, sizeof(*v) * (c->nignore + 2));
    for (int i = 0; i < c->nignore; i++)
        v[i] = c->ignore[i];
    v[c->nignore].pattern = arena_strdup(cmd->arena, argv[0]);
    v[c->nignore++].apply = apply_path(cmd);
    c->ignore = v;
    return NULL;
}

static const char *cmd_ignore_reset(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)argc;
    (void)argv;
    ((autoindex_conf *)mconfig)->ignore_reset = cmd->flag;
    return NULL;
}

#define STRING_CMD(NAME, FIELD)                                                \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,           \
                            char *const argv[])                                \
    {                                                                          \
        (void)argc;                                                            \
        ((autoindex_conf *)mconfig)->FIELD =                                   \
            arena_strdup(cmd->arena, argv[0]);                                 \
        return NULL;                                                           \
    }
STRING_CMD(cmd_header_name, header_name)
STRING_CMD(cmd_readme_name, readme_name)
STRING_CMD(cmd_default_icon, default_icon)
STRING_CMD(cmd_style_sheet, style_sheet)
STRING_CMD(cmd_head_insert, head_insert)

static void push_item(cmd_parms *cmd, autoindex_conf *c, enum ai_item_kind kind,
                      enum ai_item_match match, const char *data,
                      const char *pattern)
{
    ai_item *it = arena_calloc(cmd->arena, sizeof(*it));
    it->kind = kind;
    it->match = match;
    if (match == AI_BY_NAME && strcmp(pattern, "**DIRECTORY**") == 0)
        pattern = "^^DIRECTORY^^";
    it->pattern = arena_strdup(cmd->arena, pattern);
    if (kind == AI_ALT && match == AI_BY_ENCODING)
        for (char *p = (char *)it->pattern; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    it->apply = apply_path(cmd);
    it->data = arena_strdup(cmd->arena, data);
    if (c->items_tail)
        c->items_tail->next = it;
    else
        c->items = it;
    c->items_tail = it;
}

/* AddIcon (ALT,/icons/x.gif) also records ALT for the same files, as
 * Apache's add_icon does. */
static const char *add_item(cmd_parms *cmd, autoindex_conf *c,
                            enum ai_item_kind kind, enum ai_item_match match,
                            const char *data, const char *pattern)
{
    if (kind == AI_ICON && data[0] == '(') {
        const char *close = strchr(data, ')');
        if (close == NULL)
            return "missing closing paren";
        const char *comma = strchr(data, ',');
        const char *alt_end = comma ? comma : data + strlen(data);
        char *alt =
            arena_strndup(cmd->arena, data + 1, (size_t)(alt_end - data - 1));
        char *cl = strchr(alt, ')');
        if (cl)
            *cl = '\0';
        push_item(cmd, c, AI_ALT, match, alt, pattern);
        data = comma && comma < close
                   ? arena_strndup(cmd->arena, comma + 1,
                                   (size_t)(close - comma - 1))
                   : (comma ? arena_strndup(cmd->arena, comma + 1,
                                            strlen(comma + 1))
                            : "");
    }
    push_item(cmd, c, kind, match, data, pattern);
    return NULL;
}

#define ITEM_CMD(NAME, KIND, MATCH)                                            \
    static const char *NAME(cmd_parms *cmd, void *mconfig, int argc,           \
                            char *const argv[])                                \
    {                                                                          \
        (void)argc;                                                            \
        return add_item(cmd, mconfig, KIND, MATCH, argv[0], argv[1]);          \
    }
ITEM_CMD(cmd_add_icon, AI_ICON, AI_BY_NAME)
ITEM_CMD(cmd_add_icon_type, AI_ICON, AI_BY_TYPE)
ITEM_CMD(cmd_add_icon_encoding, AI_ICON, AI_BY_ENCODING)
ITEM_CMD(cmd_add_alt, AI_ALT, AI_BY_NAME)
ITEM_CMD(cmd_add_alt_type, AI_ALT, AI_BY_TYPE)
ITEM_CMD(cmd_add_alt_encoding, AI_ALT, AI_BY_ENCODING)
ITEM_CMD(cmd_add_desc, AI_DESC, AI_BY_NAME)

static const char *cmd_fancy(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)cmd;
    (void)mconfig;
    (void)argc;
    (void)argv;
    return "The FancyIndexing directive is no longer supported. Use "
           "IndexOptions FancyIndexing.";
}

#define DIR_CMD_PERMS OR_INDEXES

static const command_rec autoindex_cmds[] = {
    {"AddIcon", cmd_add_icon, 0, DIR_CMD_PERMS, ITERATE2,
     "an icon URL followed by one or more filenames"},
    {"AddIconByType", cmd_add_icon_type, 0, DIR_CMD_PERMS, ITERATE2,
     "an icon URL followed by one or more MIME types"},
    {"AddIconByEncoding", cmd_add_icon_encoding, 0, DIR_CMD_PERMS, ITERATE2,
     "an icon URL followed by one or more content encodings"},
    {"AddAlt", cmd_add_alt, 0, DIR_CMD_PERMS, ITERATE2,
     "alternate descriptive text followed by one or more filenames"},
    {"AddAltByType", cmd_add_alt_type, 0, DIR_CMD_PERMS, ITERATE2,
     "alternate descriptive text followed by one or more MIME types"},
    {"AddAltByEncoding", cmd_add_alt_encoding, 0, DIR_CMD_PERMS, ITERATE2,
     "alternate descriptive text followed by one or more content "
     "encodings"},
    {"IndexOptions", cmd_index_options, 0, DIR_CMD_PERMS, TAKE_ARGV,
     "one or more index options [+|-][]"},
    {"IndexOrderDefault", cmd_order, 0, DIR_CMD_PERMS, TAKE2,
     "{Ascending,Descending} {Name,Size,Description,Date}"},
    {"IndexIgnore", cmd_ignore, 0, DIR_CMD_PERMS, ITERATE,
     "one or more file extensions"},
    {"IndexIgnoreReset", cmd_ignore_reset, 0, DIR_CMD_PERMS, FLAG,
     "Reset the inherited list of IndexIgnore filenames"},
    {"AddDescription", cmd_add_desc, 0, DIR_CMD_PERMS, ITERATE2,
     "Descriptive text followed by one or more filenames"},
    {"HeaderName", cmd_header_name, 0, DIR_CMD_PERMS, TAKE1, "a filename"},
    {"ReadmeName", cmd_readme_name, 0, DIR_CMD_PERMS, TAKE1, "a filename"},
    {"FancyIndexing", cmd_fancy, 0, OR_ALL | RSRC_CONF | ACCESS_CONF, RAW_ARGS,
     "The FancyIndexing directive is no longer supported. Use "
     "IndexOptions FancyIndexing."},
    {"DefaultIcon", cmd_default_icon, 0, DIR_CMD_PERMS, TAKE1, "an icon URL"},
    {"IndexStyleSheet", cmd_style_sheet, 0, DIR_CMD_PERMS, TAKE1,
     "URL to style sheet"},
    {"IndexHeadInsert", cmd_head_insert, 0, DIR_CMD_PERMS, TAKE1,
     "String to insert in HTML HEAD section"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module autoindex_module = {
    .name = "autoindex_module",
    .file = "mod_autoindex.c",
    .cmds = autoindex_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .handler = autoindex_handler,
};
