/* mod_auth_basic.c -- auth_basic_module: HTTP Basic authentication
 * (RFC 7617) as Apache 2.4's mod_auth_basic: AuthBasicProvider,
 * AuthBasicAuthoritative, AuthBasicUseDigestAlgorithm and AuthBasicFake.
 *
 * A request whose AuthType is Basic needs an AuthName (a 500 without,
 * AH01615).  The Authorization header's user is r->user from then on,
 * right or wrong (%u logs it); each provider is asked in turn until one
 * knows the user.  A failure is a 401 with WWW-Authenticate: Basic
 * realm="AuthName" and Apache's log line (AH01614, AH01617, AH01618).
 * With AuthBasicUseDigestAlgorithm MD5 the providers are asked for the
 * stored MD5 of "user:realm:password" (an htdigest file) instead.
 *
 * AuthBasicFake USER [PASSWORD] (string expressions; "off" turns an
 * inherited one off) replaces the request's Authorization header in the
 * fixups, as Apache does for a backend: what is logged (%{Authorization}i)
 * and what later expressions see is the fake one.
 */
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "expr.h"
#include "log.h"
#include "mod_authn.h"
#include "mod_util.h"

typedef struct provider_list {
    const authn_provider *provider;
    struct provider_list *next;
} provider_list;

typedef struct basic_conf {
    provider_list *providers; /* NULL: "file" */
    int authoritative;        /* -1 unset (On) */
    int use_digest;           /* -1 unset (Off), 0 Off, 1 MD5 */
    int fake_set;             /* AuthBasicFake given (its user may be
                               * NULL: "off") */
    const expr *fake_user, *fake_password;
} basic_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    basic_conf *c = arena_calloc(a, sizeof(*c));
    c->authoritative = -1;
    c->use_digest = -1;
    return c;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const basic_conf *base = basev, *add = addv;
    basic_conf *c = arena_calloc(a, sizeof(*c));
    c->providers = add->providers ? add->providers : base->providers;
    c->authoritative =
        add->authoritative >= 0 ? add->authoritative : base->authoritative;
    c->use_digest = add->use_digest >= 0 ? add->use_digest : base->use_digest;
    const basic_conf *fake = add->fake_set ? add : base;
    c->fake_set = fake->fake_set;
    c->fake_user = fake->fake_user;
    c->fake_password = fake->fake_password;
    return c;
}

/* Each name is appended to the scope's list (which replaces the
 * parent's when merged). */
static const char *cmd_provider(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    basic_conf *c = mconfig;
    (void)argc;
    const authn_provider *p = authn_lookup_provider(argv[0]);
    if (p == NULL)
        return arena_printf(cmd->arena, "Unknown Authn provider: %s", argv[0]);
    provider_list *n = arena_calloc(cmd->arena, sizeof(*n));
    n->provider = p;
    provider_list **tail = &c->providers;
    while (*tail)
        tail = &(*tail)->next;
    *tail = n;
    return NULL;
}

static const char *cmd_authoritative(cmd_parms *cmd, void *mconfig, int argc,
                                     char *const argv[])
{
    basic_conf *c = mconfig;
    (void)argc;
    (void)argv;
    c->authoritative = cmd->flag;
    return NULL;
}

/* Set once an AuthBasicFake with a user has been read (configuration or
 * access file): until then the fixup needs no look at the configuration. */
static int fake_seen;

/* AuthBasicFake off | USER [PASSWORD]: string expressions, parsed now
 * (the password defaults to "password", as mod_ssl's FakeBasicAuth). */
static const char *cmd_fake(cmd_parms *cmd, void *mconfig, int argc,
                            char *const argv[])
{
    basic_conf *c = mconfig;
    c->fake_set = 1;
    c->fake_user = c->fake_password = NULL;
    if (strcasecmp(argv[0], "off") == 0)
        return NULL;
    const char *password = argc > 1 ? argv[1] : "password";
    expr *u, *p;
    const char *err = expr_parse_cmd(cmd, argv[0], EXPR_FLAG_STRING, &u);
    if (err)
        return arena_printf(cmd->arena,
                            "Could not parse fake username "
                            "expression '%s': %s",
                            argv[0], err);
    err = expr_parse_cmd(cmd, password, EXPR_FLAG_STRING, &p);
    if (err)
        return arena_printf(cmd->arena,
                            "Could not parse fake password "
                            "expression associated to user '%s': %s",
                            argv[0], err);
    c->fake_user = u;
    c->fake_password = p;
    __atomic_store_n(&fake_seen, 1, __ATOMIC_RELAXED);
    return NULL;
}

static const char *cmd_digest(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    basic_conf *c = mconfig;
    (void)argc;
    if (strcasecmp(argv[0], "Off") != 0 && strcasecmp(argv[0], "MD5") != 0)
        return arena_printf(cmd->arena,
                            "Invalid algorithm in "
                            "AuthBasicUseDigestAlgorithm: %s",
                            argv[0]);
    c->use_digest = strcasecmp(argv[0], "MD5") == 0;
    return NULL;
}

static void note_failure(request *r)
{
    const char *name = authn_auth_name(r);
    req_table_set(r->arena, &r->err_headers_out, "WWW-Authenticate",
                  arena_strcat(r->arena, "Basic realm=\"", name ? name : "",
                               "\"", (char *)NULL));
}

/* The user and password of "Authorization: Basic b64(user:password)":
 * 0, or 401 (AH01614 for another scheme, or no header at all). */
static int get_basic_auth(request *r, const char **user, const char **pw)
{
    const char *line = request_get_header(r, "Authorization");
    if (line == NULL) {
        note_failure(r);
        return 401;
    }
    const char *sp = strchr(line, ' ');
    size_t n = sp ? (size_t)(sp - line) : strlen(line);
    if (n != 5 || strncasecmp(line, "Basic", 5) != 0) {
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH01614: client used wrong "
                   "authentication scheme: %s",
                   r->uri);
        note_failure(r);
        return 401;
    }
    line += n;
    while (*line == ' ' || *line == '\t')
        line++;
    size_t len;
    char *decoded = digest_base64_decode(r->arena, line, &len);
    char *colon = memchr(decoded, ':', len);
    if (colon) {
        *colon = '\0';
        *pw = colon + 1;
    } else {
        *pw = decoded + strlen(decoded);
    }
    *user = decoded;
    r->user = decoded; /* even before the password is checked */
    return 0;
}

/* AuthBasicUseDigestAlgorithm MD5: the MD5 hex of "user:realm:password"
 * is compared with what the provider stores for user and realm. */
static const char *realm_digest(request *r, const char *user, const char *pw)
{
    const char *realm = authn_auth_name(r);
    const char *s = arena_strcat(r->arena, user, ":", realm ? realm : "", ":",
                                 pw, (char *)NULL);
    char *hex = arena_alloc(r->arena, 33);
    digest_md5_hex(s, strlen(s), hex);
    return hex;
}

static enum authn_status check_realm_hash(request *r,
                                          const authn_provider *prov,
                                          const char *user, const char *digest)
{
    const char *stored = NULL;
    if (prov->get_realm_hash == NULL) {
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH02493: Authn provider does not support "
                   "AuthBasicUseDigestAlgorithm");
        return AUTHN_GENERAL_ERROR;
    }
    enum authn_status st =
        prov->get_realm_hash(r, user, authn_auth_name(r), &stored);
    if (st != AUTHN_GRANTED)
        return st;
    return strcmp(digest, stored) == 0 ? AUTHN_GRANTED : AUTHN_DENIED;
}

static int authenticate_basic_user(request *r)
{
    const char *type = authn_auth_type(r);
    if (type == NULL || strcasecmp(type, "Basic") != 0)
        return DECLINED;
    if (authn_auth_name(r) == NULL) {
        log_rerror(r, APLOG_ERR, "auth_basic", 0, "AH01615: need AuthName: %s",
                   r->uri);
        return 500;
    }
    r->ap_auth_type = type;
    const char *user, *pw;
    int rc = get_basic_auth(r, &user, &pw);
    if (rc)
        return rc;
    const basic_conf *c = modutil_dir_config(r, &auth_basic_module);
    const provider_list *p = c ? c->providers : NULL;
    const char *digest = NULL;
    if (c && c->use_digest == 1)
        digest = realm_digest(r, user, pw);
    enum authn_status st = AUTHN_USER_NOT_FOUND;
    do {
        const authn_provider *prov =
            p ? p->provider : authn_lookup_provider("file");
        st = digest ? check_realm_hash(r, prov, user, digest)
                    : prov->check_password(r, user, pw);
        if (st != AUTHN_USER_NOT_FOUND || p == NULL)
            break;
        p = p->next;
    } while (p);
    if (st == AUTHN_GRANTED)
        return OK;
    if (c && c->authoritative == 0 && st != AUTHN_DENIED)
        return DECLINED;
    if (st == AUTHN_DENIED)
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH01617: user %s: authentication failure "
                   "for \"%s\": Password Mismatch",
                   user, r->uri);
    else if (st == AUTHN_USER_NOT_FOUND)
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH01618: user %s not found: %s", user, r->uri);
    else
        return 500; /* the provider said why */
    note_failure(r);
    return 401;
}

/* A 401 from authorization (Require user...) asks again too. */
void auth_basic_note_failure(request *r)
{
    const char *type = authn_auth_type(r);
    if (type != NULL && strcasecmp(type, "Basic") == 0)
        note_failure(r);
}

/* AuthBasicFake: the request's Authorization header made from the user
 * and password expressions (an empty one only removes it); logged at
 * info either way, as apache2 2.4.71 does. */
static int fake_basic_auth(request *r)
{
    if (!__atomic_load_n(&fake_seen, __ATOMIC_RELAXED))
        return DECLINED;
    const basic_conf *c = modutil_dir_config(r, &auth_basic_module);
    if (c == NULL || c->fake_user == NULL)
        return DECLINED;
    const char *err = NULL;
    const char *user = expr_exec_string(c->fake_user, r, &err);
    if (user == NULL) {
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH02455: AuthBasicFake: could not evaluate user "
                   "expression for URI '%s': %s",
                   r->uri, err ? err : "");
        return 500;
    }
    if (*user == '\0') {
        log_rerror(r, APLOG_INFO, "auth_basic", 0,
                   "AH02458: AuthBasicFake: empty username expression "
                   "for URI '%s', ignoring",
                   r->uri);
        req_table_unset(&r->headers_in, "Authorization");
        return DECLINED;
    }
    const char *pw = expr_exec_string(c->fake_password, r, &err);
    if (pw == NULL) {
        log_rerror(r, APLOG_ERR, "auth_basic", 0,
                   "AH02456: AuthBasicFake: could not evaluate password "
                   "expression for URI '%s': %s",
                   r->uri, err ? err : "");
        return 500;
    }
    if (*pw == '\0') {
        log_rerror(r, APLOG_INFO, "auth_basic", 0,
                   "AH02459: AuthBasicFake: empty password expression "
                   "for URI '%s', ignoring",
                   r->uri);
        req_table_unset(&r->headers_in, "Authorization");
        return DECLINED;
    }
    const char *pair = arena_strcat(r->arena, user, ":", pw, (char *)NULL);
    const char *line = arena_strcat(
        r->arena, "Basic ", digest_base64_encode(r->arena, pair, strlen(pair)),
        (char *)NULL);
    req_table_set(r->arena, &r->headers_in, "Authorization", line);
    log_rerror(r, APLOG_INFO, "auth_basic", 0,
               "AH02457: AuthBasicFake: \"Authorization: %s\"", line);
    return OK;
}

static const command_rec auth_basic_cmds[] = {
    {"AuthBasicProvider", cmd_provider, 0, OR_AUTHCFG, ITERATE,
     "specify the auth providers for a directory or location"},
    {"AuthBasicAuthoritative", cmd_authoritative, 0, OR_AUTHCFG, FLAG,
     "Set to 'Off' to allow access control to be passed along to lower "
     "modules if the UserID is not known to this module"},
    {"AuthBasicFake", cmd_fake, 0, OR_AUTHCFG, TAKE12,
     "Fake basic authentication using the given expressions for username "
     "and password, 'off' to disable. Password defaults to 'password' if "
     "missing."},
    {"AuthBasicUseDigestAlgorithm", cmd_digest, 0, OR_AUTHCFG, TAKE1,
     "Set to 'MD5' to use the auth provider's authentication check for "
     "digest auth"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module auth_basic_module = {
    .name = "auth_basic_module",
    .file = "mod_auth_basic.c",
    .cmds = auth_basic_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .check_authn = authenticate_basic_user,
    .fixups = fake_basic_auth,
    .fixups_last = 1,
};
