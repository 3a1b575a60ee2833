/* mod_authn.c -- authn_core_module (AuthType, AuthName, and the last
 * check_authn hook) and authn_file_module (AuthUserFile: the "file"
 * provider, htpasswd files read on every request as Apache does).
 * mod_authn.h says how they fit together.
 */
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "expr.h"
#include "log.h"
#include "mod_authn.h"
#include "mod_util.h"

/* ---- authn_core: AuthType, AuthName ------------------------------------ */

typedef struct authn_core_conf {
    expr *auth_type; /* NULL: none ("AuthType None" or unset) */
    int auth_type_set;
    expr *auth_name; /* NULL: unset */
} authn_core_conf;

static void *core_create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(authn_core_conf));
}

static void *core_merge_dir(arena *a, void *basev, void *addv)
{
    const authn_core_conf *base = basev, *add = addv;
    authn_core_conf *c = arena_calloc(a, sizeof(*c));
    *c = add->auth_type_set ? *add : *base;
    c->auth_name = add->auth_name ? add->auth_name : base->auth_name;
    return c;
}

/* Both take a string expression (Apache 2.4.13 and later). */
static const char *parse_string_expr(cmd_parms *cmd, const char *text,
                                     expr **out)
{
    const char *err = expr_parse_cmd(cmd, text, EXPR_FLAG_STRING, out);
    if (err)
        return arena_printf(cmd->arena,
                            "Cannot parse expression '%s' in %s: %s", text,
                            cmd->cmd->name, err);
    return NULL;
}

static const char *cmd_auth_type(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    authn_core_conf *c = mconfig;
    (void)argc;
    c->auth_type_set = 1;
    c->auth_type = NULL;
    if (strcasecmp(argv[0], "None") == 0)
        return NULL;
    return parse_string_expr(cmd, argv[0], &c->auth_type);
}

static const char *cmd_auth_name(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    authn_core_conf *c = mconfig;
    (void)argc;
    return parse_string_expr(cmd, argv[0], &c->auth_name);
}

static const char *eval_string(request *r, const expr *e, const char *what)
{
    const char *err = NULL;
    const char *v = expr_exec_string(e, r, &err);
    if (v == NULL)
        log_rerror(r, APLOG_ERR, "authn_core", 0,
                   "%s: %s expression could not be evaluated: "
                   "%s",
                   strcmp(what, "AuthType") == 0 ? "AH02834" : "AH02835", what,
                   err ? err : "");
    return v;
}

const char *authn_auth_type(request *r)
{
    const authn_core_conf *c = modutil_dir_config(r, &authn_core_module);
    if (c == NULL || c->auth_type == NULL)
        return NULL;
    return eval_string(r, c->auth_type, "AuthType");
}

/* ap_escape_quotes(): '"' gets a backslash unless one is there already */
static const char *escape_quotes(arena *a, const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += 1 + (*p == '"');
    char *out = arena_alloc(a, n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && p[1] != '\0') {
            *o++ = *p++;
            *o++ = *p;
            continue;
        }
        if (*p == '"')
            *o++ = '\\';
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

const char *authn_auth_name(request *r)
{
    const authn_core_conf *c = modutil_dir_config(r, &authn_core_module);
    if (c == NULL || c->auth_name == NULL)
        return NULL;
    const char *v = eval_string(r, c->auth_name, "AuthName");
    return v ? escape_quotes(r->arena, v) : NULL;
}

/* The last check_authn hook: no AuthType, no user needed (the core then
 * refuses a Require that wanted one); an AuthType no module handled is a
 * configuration error. */
static int authenticate_no_user(request *r)
{
    const char *type = authn_auth_type(r);
    if (type == NULL)
        return OK;
    log_rerror(r, APLOG_ERR, "authn_core", 0,
               "AH01796: AuthType %s configured without "
               "corresponding module",
               type);
    return 500;
}

static const command_rec authn_core_cmds[] = {
    {"AuthType", cmd_auth_type, 0, OR_AUTHCFG, TAKE1,
     "an HTTP authorization type (e.g., \"Basic\")"},
    {"AuthName", cmd_auth_name, 0, OR_AUTHCFG, TAKE1,
     "the authentication realm (e.g. \"Members Only\")"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module authn_core_module = {
    .name = "authn_core_module",
    .file = "mod_authn_core.c",
    .cmds = authn_core_cmds,
    .create_dir_config = core_create_dir,
    .merge_dir_config = core_merge_dir,
    .check_authn = authenticate_no_user,
};

/* ---- password hashes (apr_password_validate) ---------------------------- */

static const char itoa64[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static char *to64(char *out, unsigned long v, int n)
{
    while (n-- > 0) {
        *out++ = itoa64[v & 0x3f];
        v >>= 6;
    }
    return out;
}

/* A growing byte buffer in an arena, for the MD5 inputs below. */
typedef struct bytes {
    unsigned char *p;
    size_t len, cap;
} bytes;

static void put(arena *a, bytes *b, const void *data, size_t n)
{
    if (n == 0) /* an empty password: nothing to copy (b->p may be NULL) */
        return;
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2 + 64;
        unsigned char *p = arena_alloc(a, cap);
        if (b->len)
            memcpy(p, b->p, b->len);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

/* apr_md5_encode() with the "$apr1$" magic (FreeBSD's MD5 crypt). */
static const char *apr1_hash(arena *a, const char *pw, const char *setting)
{
    static const char magic[] = "$apr1$";
    const char *salt = setting + strlen(magic);
    size_t slen = 0, plen = strlen(pw);
    while (salt[slen] && salt[slen] != '$' && slen < 8)
        slen++;
    unsigned char fin[16];
    bytes b = {0};
    put(a, &b, pw, plen);
    put(a, &b, salt, slen);
    put(a, &b, pw, plen);
    digest_md5(b.p, b.len, fin);
    bytes c = {0};
    put(a, &c, pw, plen);
    put(a, &c, magic, strlen(magic));
    put(a, &c, salt, slen);
    for (size_t n = plen; n > 0; n -= n > 16 ? 16 : n)
        put(a, &c, fin, n > 16 ? 16 : n);
    for (size_t i = plen; i; i >>= 1)
        put(a, &c, (i & 1) ? (const void *)"" : (const void *)pw, 1);
    digest_md5(c.p, c.len, fin);
    for (int i = 0; i < 1000; i++) {
        bytes d = {0};
        if (i & 1)
            put(a, &d, pw, plen);
        else
            put(a, &d, fin, 16);
        if (i % 3)
            put(a, &d, salt, slen);
        if (i % 7)
            put(a, &d, pw, plen);
        if (i & 1)
            put(a, &d, fin, 16);
        else
            put(a, &d, pw, plen);
        digest_md5(d.p, d.len, fin);
    }
    char *out = arena_alloc(a, strlen(magic) + slen + 1 + 22 + 1), *o = out;
    memcpy(o, magic, strlen(magic));
    o += strlen(magic);
    memcpy(o, salt, slen);
    o += slen;
    *o++ = '$';
    static const int groups[5][3] = {
        {0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}};
    for (int g = 0; g < 5; g++)
        o = to64(o,
                 ((unsigned long)fin[groups[g][0]] << 16) |
                     ((unsigned long)fin[groups[g][1]] << 8) |
                     fin[groups[g][2]],
                 4);
    o = to64(o, fin[11], 2);
    *o = '\0';
    return out;
}

int authn_password_matches(arena *a, const char *password, const char *hash)
{
    const char *sample;
    if (strncmp(hash, "$apr1$", 6) == 0) {
        sample = apr1_hash(a, password, hash);
    } else if (strncmp(hash, "{SHA}", 5) == 0) {
        unsigned char d[20];
        digest_sha1(password, strlen(password), d);
        sample = arena_strcat(a, "{SHA}", digest_base64_encode(a, d, 20),
                              (char *)NULL);
    } else {
        /* bcrypt and the rest: crypt(3), as APR on Unix (plain text is
         * only compared as such on Windows) */
        struct crypt_data *cd = arena_calloc(a, sizeof(*cd));
        sample = crypt_r(password, hash, cd);
        if (sample == NULL || sample[0] == '*')
            return 0;
    }
    return strcmp(sample, hash) == 0;
}

/* ---- authn_file: AuthUserFile ------------------------------------------- */

typedef struct authn_file_conf {
    const char *pwfile;
} authn_file_conf;

static void *file_create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(authn_file_conf));
}

static const char *cmd_user_file(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    authn_file_conf *c = mconfig;
    (void)argc;
    c->pwfile = conf_server_root_relative(cmd, argv[0]);
    return NULL;
}

/* ap_getword(): up to stop (or the end); the stops after it skipped. */
static char *getword(char **line, char stop)
{
    char *s = *line, *p = strchr(s, stop);
    if (p == NULL) {
        *line = s + strlen(s);
        return s;
    }
    *p++ = '\0';
    while (*p == stop)
        p++;
    *line = p;
    return s;
}

/* The hash of user in the file (of user and realm, for an htdigest file
 * when realm is not NULL), or NULL (*err: 1 when it cannot be read,
 * errno set). */
static char *find_hash(request *r, const char *file, const char *user,
                       const char *realm, int *err)
{
    FILE *f = fopen(file, "re");
    *err = f == NULL;
    if (f == NULL)
        return NULL;
    char line[8192];
    char *hash = NULL;
    while (hash == NULL && fgets(line, sizeof(line), f)) {
        char *s = line, *e = line + strlen(line);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        char *name = getword(&s, ':');
        char *h = getword(&s, ':');
        if (realm != NULL) { /* user:realm:hash */
            if (strcmp(name, user) == 0 && strcmp(h, realm) == 0)
                hash = arena_strdup(r->arena, getword(&s, ':'));
        } else if (strcmp(name, user) == 0) {
            hash = arena_strdup(r->arena, h);
        }
    }
    fclose(f);
    return hash;
}

static enum authn_status file_check_password(request *r, const char *user,
                                             const char *password)
{
    const authn_file_conf *c = modutil_dir_config(r, &authn_file_module);
    if (c == NULL || c->pwfile == NULL) {
        log_rerror(r, APLOG_ERR, "authn_file", 0,
                   "AH01619: AuthUserFile not specified in "
                   "the configuration");
        return AUTHN_GENERAL_ERROR;
    }
    int err;
    char *hash = find_hash(r, c->pwfile, user, NULL, &err);
    if (err) {
        log_rerror(r, APLOG_ERR, "authn_file", errno,
                   "AH01620: Could not open password file: %s", c->pwfile);
        return AUTHN_GENERAL_ERROR;
    }
    if (hash == NULL)
        return AUTHN_USER_NOT_FOUND;
    return authn_password_matches(r->arena, password, hash) ? AUTHN_GRANTED
                                                            : AUTHN_DENIED;
}

static enum authn_status file_realm_hash(request *r, const char *user,
                                         const char *realm, const char **hash)
{
    const authn_file_conf *c = modutil_dir_config(r, &authn_file_module);
    if (c == NULL || c->pwfile == NULL) {
        log_rerror(r, APLOG_ERR, "authn_file", 0,
                   "AH01621: AuthUserFile not specified in "
                   "the configuration");
        return AUTHN_GENERAL_ERROR;
    }
    int err;
    *hash = find_hash(r, c->pwfile, user, realm ? realm : "", &err);
    if (err) {
        log_rerror(r, APLOG_ERR, "authn_file", errno,
                   "AH01622: Could not open password file: %s", c->pwfile);
        return AUTHN_GENERAL_ERROR;
    }
    return *hash ? AUTHN_GRANTED : AUTHN_USER_NOT_FOUND;
}

static const authn_provider providers[] = {
    {"file", file_check_password, file_realm_hash},
};

const authn_provider *authn_lookup_provider(const char *name)
{
    for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
        if (strcmp(providers[i].name, name) == 0)
            return &providers[i];
    return NULL;
}

static const command_rec authn_file_cmds[] = {
    {"AuthUserFile", cmd_user_file, 0, OR_AUTHCFG, TAKE1,
     "text file containing user IDs and passwords"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

/* No merge: as in Apache, a scope's own AuthUserFile (or none) wins. */
module authn_file_module = {
    .name = "authn_file_module",
    .file = "mod_authn_file.c",
    .cmds = authn_file_cmds,
    .create_dir_config = file_create_dir,
};
