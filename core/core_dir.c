/* core_dir.c -- the core directives that set per-directory values
 * (core_dir_conf), with Apache 2.4's validation and wording.
 */
#include "core_int.h"
#include "expr.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* HostnameLookups, ServerSignature, UseCanonicalName, EnableSendfile,
 * EnableMMAP: one keyword of a short list, stored as its index at the
 * command's offset; the messages are Apache's. */
static const struct word_directive {
    size_t offset;
    const char *words[4];
    const char *error;
} word_directives[] = {
    {offsetof(core_dir_conf, hostname_lookups),
     {"off", "on", "double", NULL},
     "parameter must be 'on', 'off', or 'double'"},
    {offsetof(core_dir_conf, server_signature),
     {"off", "on", "email", NULL},
     "ServerSignature: use one of: off | on | email"},
    {offsetof(core_dir_conf, use_canonical_name),
     {"off", "on", "dns", NULL},
     "parameter must be 'on', 'off', or 'dns'"},
    {offsetof(core_dir_conf, enable_sendfile),
     {"off", "on", NULL},
     "parameter must be 'on' or 'off'"},
    {offsetof(core_dir_conf, enable_mmap),
     {"off", "on", NULL},
     "parameter must be 'on' or 'off'"},
};

CORE_HANDLER(core_set_dir_word)
{
    (void)argc;
    const struct word_directive *d = NULL;
    for (size_t i = 0; i < sizeof word_directives / sizeof *word_directives;
         i++)
        if (word_directives[i].offset == cmd->cmd->offset)
            d = &word_directives[i];
    if (d == NULL)
        return "internal error: no keywords for this directive";
    for (int v = 0; d->words[v] != NULL; v++)
        if (strcasecmp(argv[0], d->words[v]) == 0) {
            *(int *)((char *)mconfig + d->offset) = v;
            return NULL;
        }
    return d->error;
}

CORE_HANDLER(core_set_add_default_charset)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    d->add_default_charset_set = 1;
    if (!strcasecmp(argv[0], "Off"))
        d->add_default_charset = "";
    else if (!strcasecmp(argv[0], "On"))
        d->add_default_charset = "iso-8859-1";
    else
        d->add_default_charset = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

/* FileETag: absolute keywords replace the section's setting (the first
 * forgets any +/- seen so far), +X and -X are kept apart and applied
 * when the sections are merged (mod_core.c) and again when the tag is
 * made; None and All take no sign. */
CORE_HANDLER(core_set_file_etag)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    char **w;
    int n = core_words(cmd, argv[0], &w);
    int first = 1;
    for (int i = 0; i < n; i++) {
        char *tok = w[i], action = '*';
        if (*tok == '+' || *tok == '-')
            action = *tok++;
        else if (first) {
            d->etag_bits = d->etag_add = d->etag_remove = ETAG_UNSET;
            first = 0;
        }
        int bit;
        if (!strcasecmp(tok, "None") || !strcasecmp(tok, "All")) {
            if (action != '*')
                return arena_printf(cmd->temp,
                                    "%s keyword '%s' cannot be "
                                    "used with '+' or '-'",
                                    cmd->cmd->name, tok);
            bit = !strcasecmp(tok, "None") ? ETAG_NONE : ETAG_ALL;
            d->etag_bits = bit;
        } else if (!strcasecmp(tok, "INode"))
            bit = ETAG_INODE;
        else if (!strcasecmp(tok, "MTime"))
            bit = ETAG_MTIME;
        else if (!strcasecmp(tok, "Size"))
            bit = ETAG_SIZE;
        else if (!strcasecmp(tok, "Digest"))
            bit = ETAG_DIGEST;
        else
            return arena_printf(cmd->temp,
                                "Unknown keyword '%s' for %s "
                                "directive",
                                tok, cmd->cmd->name);
        if (action == '+') {
            d->etag_add |= bit;
            d->etag_remove &= ~bit;
        } else if (action == '-') {
            d->etag_remove |= bit;
            d->etag_add &= ~bit;
        } else {
            d->etag_bits |= bit;
            d->etag_add = d->etag_remove = ETAG_UNSET;
        }
    }
    return NULL;
}

static int option_bit(const char *w)
{
    static const struct {
        const char *name;
        int bits;
    } opts[] = {
        {"Indexes", OPT_INDEXES},
        {"Includes", OPT_INCLUDES | OPT_INC_WITH_EXEC},
        {"IncludesNOEXEC", OPT_INCLUDES},
        {"FollowSymLinks", OPT_SYM_LINKS},
        {"SymLinksIfOwnerMatch", OPT_SYM_OWNER},
        {"ExecCGI", OPT_EXECCGI},
        {"MultiViews", OPT_MULTI},
        {"RunScripts", OPT_MULTI | OPT_EXECCGI},
        {NULL, 0},
    };
    for (int i = 0; opts[i].name != NULL; i++)
        if (!strcasecmp(w, opts[i].name))
            return opts[i].bits;
    return -1;
}

CORE_HANDLER(core_set_options)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    char **w;
    int n = core_words(cmd, argv[0], &w);
    int first = 1, prev_action = 0;
    for (int i = 0; i < n; i++) {
        char *word = w[i], action = '\0';
        if (*word == '+' || *word == '-')
            action = *word++;
        if (!first && (action != '\0') != prev_action)
            return "Either all Options must start with + or -, or no Option "
                   "may.";
        prev_action = action != '\0';
        if (action == '\0' && first)
            d->options = OPT_NONE;
        int opt;
        if (!strcasecmp(word, "None")) {
            if (!first)
                return "'Options None' must be the first Option given.";
            if (action)
                return "You may not use 'Options +None' or 'Options -None'.";
            opt = OPT_NONE;
        } else if (!strcasecmp(word, "All")) {
            if (!first)
                return "'Options All' must be the first option given.";
            if (action)
                return "You may not use 'Options +All' or 'Options -All'.";
            opt = OPT_ALL;
        } else if ((opt = option_bit(word)) < 0) {
            return arena_printf(cmd->temp, "Illegal option %s", word);
        }
        /* AllowOverride Options=...: what an .htaccess may name */
        if (cmd->in_htaccess && opt != OPT_NONE &&
            (cmd->override_opts & opt) != opt)
            return arena_printf(cmd->temp, "Option %s not allowed here", word);
        if (action == '-') {
            d->opts_remove |= opt;
            d->opts_add &= ~opt;
            d->options &= ~opt;
        } else if (action == '+') {
            d->opts_add |= opt;
            d->opts_remove &= ~opt;
            d->options |= opt;
        } else {
            d->options |= opt;
        }
        first = 0;
    }
    return NULL;
}

static const char *set_allow_opts(cmd_parms *cmd, int *bits, char *list)
{
    int opts = 0;
    char *save = NULL;
    for (char *w = strtok_r(list, ",", &save); w;
         w = strtok_r(NULL, ",", &save)) {
        int b;
        if (!strcasecmp(w, "All"))
            b = OPT_ALL;
        else if (!strcasecmp(w, "None"))
            b = OPT_NONE;
        else if ((b = option_bit(w)) < 0)
            return arena_printf(cmd->temp, "Illegal option %s", w);
        opts |= b;
    }
    *bits = opts;
    return NULL;
}

CORE_HANDLER(core_set_allow_override)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    if (conf_check_context(cmd, NOT_IN_LOCATION | NOT_IN_FILES) != NULL)
        conf_warn(cmd, "core", "useless-allowoverride",
                  "AH00114: Useless use of AllowOverride in line %d of %s.",
                  cmd->node->line, cmd->node->file);
    char **w;
    int n = core_words(cmd, argv[0], &w);
    d->override = OR_NONE;
    for (int i = 0; i < n; i++) {
        char *k = w[i], *v = strchr(k, '=');
        if (v)
            *v++ = '\0';
        if (!strcasecmp(k, "Limit"))
            d->override |= OR_LIMIT;
        else if (!strcasecmp(k, "Options")) {
            d->override |= OR_OPTIONS;
            if (v) {
                const char *err = set_allow_opts(cmd, &d->override_opts, v);
                if (err)
                    return err;
            } else {
                d->override_opts = OPT_ALL; /* not MultiViews: Apache */
            }
        } else if (!strcasecmp(k, "FileInfo"))
            d->override |= OR_FILEINFO;
        else if (!strcasecmp(k, "AuthConfig"))
            d->override |= OR_AUTHCFG;
        else if (!strcasecmp(k, "Indexes"))
            d->override |= OR_INDEXES;
        else if (!strcasecmp(k, "Nonfatal")) {
            if (v == NULL)
                return "=Override, =Unknown or =All expected after Nonfatal";
            if (!strcasecmp(v, "Override"))
                d->override |= NONFATAL_OVERRIDE;
            else if (!strcasecmp(v, "Unknown"))
                d->override |= NONFATAL_UNKNOWN;
            else if (!strcasecmp(v, "All"))
                d->override |= NONFATAL_ALL;
            /* anything else: ignored, as Apache does */
        } else if (!strcasecmp(k, "None"))
            d->override = OR_NONE;
        else if (!strcasecmp(k, "All"))
            d->override = OR_ALL;
        else
            return arena_printf(cmd->temp, "Illegal override option %s", k);
    }
    return NULL;
}

CORE_HANDLER(core_set_allow_override_list)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    if (conf_check_context(cmd, NOT_IN_LOCATION | NOT_IN_FILES) != NULL)
        conf_warn(cmd, "core", "useless-allowoverridelist",
                  "AH00115: Useless use of AllowOverrideList at %s:%d",
                  cmd->node->file, cmd->node->line);
    char **w;
    int n = core_words(cmd, argv[0], &w);
    const char **list = arena_calloc(cmd->arena, sizeof(*list) * (n + 1));
    int k = 0;
    if (n == 1 && !strcasecmp(w[0], "None")) {
        d->override_list = list;
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (!strcasecmp(w[i], "None"))
            return "'None' not allowed with other directives in "
                   "AllowOverrideList";
        if (conf_find_command(cmd->rc, w[i], NULL) == NULL) {
            conf_warn(cmd, "core", "unknown-in-allowoverridelist",
                      "AH00116: Discarding unrecognized directive `%s' in "
                      "AllowOverrideList at %s:%d",
                      w[i], cmd->node->file, cmd->node->line);
            continue;
        }
        list[k++] = arena_strdup(cmd->arena, w[i]);
    }
    d->override_list = list;
    return NULL;
}

/* Apache's table of status codes (ap_index_of_response). */
static int status_known(int s)
{
    static const int ranges[][2] = {
        {100, 103}, {200, 208}, {226, 226}, {300, 305}, {307, 308},
        {400, 417}, {421, 424}, {426, 426}, {428, 429}, {431, 431},
        {451, 451}, {500, 508}, {510, 511},
    };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (s >= ranges[i][0] && s <= ranges[i][1])
            return 1;
    return 0;
}

static int is_url(const char *s)
{
    const char *p = s;
    while (*p &&
           (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'))
        p++;
    return p != s && p[0] == ':' && p[1] == '/' && p[2] == '/';
}

CORE_HANDLER(core_set_error_document)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    int status = atoi(argv[0]);
    if (status != 500 && !status_known(status))
        return arena_printf(cmd->temp, "Unsupported HTTP response code %s",
                            argv[0]);
    const char *msg = argv[1];
    int is_text = strchr(msg, ' ') != NULL || (msg[0] != '/' && !is_url(msg));
    if (status == 401 && !is_text && msg[0] != '/') {
        conf_warn(cmd, "core", "errordoc-401-url",
                  "AH00113: %s:%d cannot use a full URL in a 401 "
                  "ErrorDocument directive --- ignoring!",
                  cmd->node->file, cmd->node->line);
        return NULL;
    }
    error_document *e = arena_calloc(cmd->arena, sizeof(*e));
    e->status = status;
    e->target = arena_strdup(cmd->arena, msg);
    e->is_text = is_text && strcasecmp(msg, "default") != 0;
    /* one per status in a scope: a later line replaces an earlier one */
    for (error_document **p = &d->error_documents; *p;)
        if ((*p)->status == status)
            *p = (*p)->next;
        else
            p = &(*p)->next;
    e->next = d->error_documents;
    d->error_documents = e;
    return NULL;
}

CORE_HANDLER(core_set_limit_req_body)
{
    (void)argc;
    (void)cmd;
    core_dir_conf *d = mconfig;
    char *end;
    errno = 0;
    long long v = strtoll(argv[0], &end, 10);
    if (errno == ERANGE)
        return "LimitRequestBody argument is not parsable.";
    if (*end || v < 0)
        return "LimitRequestBody requires a non-negative integer.";
    d->limit_req_body = v;
    return NULL;
}

/* ---- ForceType, SetHandler, AcceptPathInfo, ContentDigest --------------- */

static char *lower_copy(arena *a, const char *s)
{
    char *c = arena_strdup(a, s);
    for (char *p = c; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

CORE_HANDLER(core_set_force_type)
{
    (void)argc;
    ((core_dir_conf *)mconfig)->mime_type = lower_copy(cmd->arena, argv[0]);
    return NULL;
}

CORE_HANDLER(core_set_output_filter)
{
    (void)argc;
    ((core_dir_conf *)mconfig)->output_filter =
        arena_strdup(cmd->arena, argv[0]);
    conf_uses_output_filters(cmd);
    return NULL;
}

/* Apache 2.4 takes the argument as a string expression, evaluated (and
 * lower-cased) per request; a plain name needs no evaluation. */
CORE_HANDLER(core_set_handler)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    if (strpbrk(argv[0], "%\\") == NULL) {
        d->handler = lower_copy(cmd->arena, argv[0]);
        d->handler_expr = NULL;
        return NULL;
    }
    expr *e;
    const char *err = expr_parse_cmd(cmd, argv[0], EXPR_FLAG_STRING, &e);
    if (err)
        return arena_printf(cmd->temp, "Can't parse expression : %s", err);
    d->handler = NULL;
    d->handler_expr = e;
    return NULL;
}

CORE_HANDLER(core_set_accept_path_info)
{
    (void)argc;
    core_dir_conf *d = mconfig;
    if (!strcasecmp(argv[0], "on"))
        d->accept_path_info = 1;
    else if (!strcasecmp(argv[0], "off"))
        d->accept_path_info = 0;
    else if (!strcasecmp(argv[0], "default"))
        d->accept_path_info = 2;
    else
        return "AcceptPathInfo must be set to on, off or default";
    (void)cmd;
    return NULL;
}

/* Apache's FLAG check is its own here: anything but one On/Off word,
 * none included, is this message. */
CORE_HANDLER(core_set_content_digest)
{
    (void)argc;
    (void)cmd;
    char **w;
    int n = core_words(cmd, argv[0], &w);
    if (n != 1 || (strcasecmp(w[0], "on") && strcasecmp(w[0], "off")))
        return "ContentDigest must be On or Off";
    ((core_dir_conf *)mconfig)->content_md5 = !strcasecmp(w[0], "on");
    return NULL;
}

/* MaxRanges, MaxRangeOverlaps, MaxRangeReversals: none, default,
 * unlimited or what atoi() makes of the word, which must be positive */
CORE_HANDLER(core_set_max_ranges)
{
    (void)argc;
    int v;
    if (strcasecmp(argv[0], "none") == 0)
        v = RANGES_NONE;
    else if (strcasecmp(argv[0], "default") == 0)
        v = RANGES_DEFAULT;
    else if (strcasecmp(argv[0], "unlimited") == 0)
        v = RANGES_UNLIMITED;
    else {
        v = (int)strtol(argv[0], NULL, 10);
        if (v <= 0)
            return arena_printf(cmd->arena,
                                "%s requires 'none', 'default', "
                                "'unlimited' or a positive integer",
                                cmd->cmd->name);
    }
    *(int *)((char *)mconfig + cmd->cmd->offset) = v;
    return NULL;
}
