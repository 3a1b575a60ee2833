/* mod_access_compat.c -- Apache 2.2's host-based access control, kept in
 * 2.4 for old configurations: Order, Allow from, Deny from, Satisfy.
 *
 * As apache2 2.4 applies them (measured,
 * tests/integration/test_access_compat.py):
 *  - A scope that names any of these directives replaces the whole
 *    setting of the scopes above it (no merge); a scope that names none
 *    inherits it.
 *  - Order deny,allow (the default): allowed unless a Deny line matches
 *    and no Allow line does.  Order allow,deny: allowed only if an Allow
 *    line matches and no Deny line does.  Order mutual-failure: the same
 *    as allow,deny.  A refusal is a 403 logged as AH01797.
 *  - Lines and Order inside <Limit>/<LimitExcept> apply to those methods.
 *  - "from" takes all, env=VAR, env=!VAR, addresses and subnets (10.1,
 *    10.0.0.0/8, 10.0.0.0/255.0.0.0, fe80::/10) and host names or domain
 *    suffixes, matched on the client's double-reverse looked-up name.
 *  - Satisfy any: when the host check lets the request in, Require is not
 *    asked; when it does not, Require decides alone (AH01797 is logged
 *    all the same).  Satisfy all (the default): both must let it in.
 *
 * The directives are registered as Apache registers them, "order",
 * "allow" and "deny" in lower case, so their messages read the same
 * ("order not allowed here").
 */
#include <string.h>
#include <strings.h>

#include "log.h"
#include "mod_authz.h"
#include "mod_util.h"
#include "request.h"
#include "subnet.h"

module access_compat_module;

#define METHODS 64

enum order { DENY_THEN_ALLOW = 0, ALLOW_THEN_DENY, MUTUAL_FAILURE };
enum satisfy { SATISFY_NOSPEC = 0, SATISFY_ALL, SATISFY_ANY };
enum from_type { FROM_ALL, FROM_ENV, FROM_NENV, FROM_IP, FROM_HOST };

typedef struct from_entry {
    enum from_type type;
    const char *name; /* env variable or host/domain */
    net_subnet ip;
    uint64_t limited; /* the methods it applies to */
    struct from_entry *next;
} from_entry;

typedef struct compat_conf {
    unsigned char order[METHODS];
    unsigned char satisfy[METHODS];
    from_entry *allows, *allows_tail;
    from_entry *denys, *denys_tail;
} compat_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(compat_conf)); /* deny,allow; nospec */
}

/* (no merge: the innermost scope that names a directive wins whole) */

static const char *cmd_order(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    compat_conf *c = mconfig;
    enum order o;
    if (strcasecmp(argv[0], "allow,deny") == 0)
        o = ALLOW_THEN_DENY;
    else if (strcasecmp(argv[0], "deny,allow") == 0)
        o = DENY_THEN_ALLOW;
    else if (strcasecmp(argv[0], "mutual-failure") == 0)
        o = MUTUAL_FAILURE;
    else
        return "unknown order";
    for (int m = 0; m < METHODS; m++)
        if (!(cmd->limit_excluded & ((uint64_t)1 << m)))
            c->order[m] = (unsigned char)o;
    return NULL;
}

static const char *cmd_satisfy(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    compat_conf *c = mconfig;
    enum satisfy s;
    if (strcasecmp(argv[0], "all") == 0)
        s = SATISFY_ALL;
    else if (strcasecmp(argv[0], "any") == 0)
        s = SATISFY_ANY;
    else
        return "Satisfy either 'any' or 'all'.";
    for (int m = 0; m < METHODS; m++)
        if (!(cmd->limit_excluded & ((uint64_t)1 << m)))
            c->satisfy[m] = (unsigned char)s;
    return NULL;
}

/* "allow from A B C": ITERATE2, called once per word after "from". */
static const char *cmd_allowdeny(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    (void)argc;
    compat_conf *c = mconfig;
    if (strcasecmp(argv[0], "from") != 0)
        return "allow and deny must be followed by 'from'";
    const char *w = argv[1];
    from_entry *e = arena_calloc(cmd->arena, sizeof(*e));
    e->limited = ~cmd->limit_excluded;
    if (strncasecmp(w, "env=", 4) == 0) {
        e->type = w[4] == '!' ? FROM_NENV : FROM_ENV;
        e->name = arena_strdup(cmd->arena, w + (w[4] == '!' ? 5 : 4));
    } else if (strcasecmp(w, "all") == 0) {
        e->type = FROM_ALL;
    } else {
        const char *err = net_subnet_parse(w, &e->ip);
        if (err != NULL && *err == '\0') {
            if (strchr(w, '/') != NULL)
                return "An IP address was expected";
            e->type = FROM_HOST;
            e->name = arena_strdup(cmd->arena, w);
        } else if (err != NULL) {
            return err + 2; /* ": The specified ... is invalid." */
        } else {
            e->type = FROM_IP;
        }
    }
    int allow = strcasecmp(cmd->cmd->name, "allow") == 0;
    from_entry **head = allow ? &c->allows : &c->denys;
    from_entry **tail = allow ? &c->allows_tail : &c->denys_tail;
    if (*tail)
        (*tail)->next = e;
    else
        *head = e;
    *tail = e;
    return NULL;
}

/* Does a line of the list match the request (for its method)? */
static int find_from(request *r, const from_entry *e, uint64_t bit)
{
    for (; e; e = e->next) {
        if (!(e->limited & bit))
            continue;
        switch (e->type) {
        case FROM_ALL:
            return 1;
        case FROM_ENV:
            if (req_table_get(&r->subprocess_env, e->name) != NULL)
                return 1;
            break;
        case FROM_NENV:
            if (req_table_get(&r->subprocess_env, e->name) == NULL)
                return 1;
            break;
        case FROM_IP:
            if (net_subnet_match(&e->ip,
                                 (const struct sockaddr *)&r->connection->peer))
                return 1;
            break;
        case FROM_HOST: {
            const char *name = authz_client_name(r);
            if (name != NULL && authz_name_matches(name, e->name))
                return 1;
            break;
        }
        }
    }
    return 0;
}

static int check_access(request *r)
{
    r->access_satisfied = 0;
    r->satisfy_any = 0;
    const compat_conf *c = modutil_dir_config(r, &access_compat_module);
    if (c == NULL)
        return DECLINED;
    int m = r->method_number >= 0 && r->method_number < METHODS
                ? r->method_number
                : M_INVALID;
    uint64_t bit = (uint64_t)1 << m;
    int ok;
    switch (c->order[m]) {
    case ALLOW_THEN_DENY:
    case MUTUAL_FAILURE:
        ok = find_from(r, c->allows, bit) && !find_from(r, c->denys, bit);
        break;
    default:
        ok = !find_from(r, c->denys, bit) || find_from(r, c->allows, bit);
        break;
    }
    int any = c->satisfy[m] == SATISFY_ANY;
    r->satisfy_any = any;
    if (ok) {
        if (any)
            r->access_satisfied = 1; /* Require is not asked */
        return OK;
    }
    log_rerror(r, APLOG_ERR, "access_compat", 0,
               "AH01797: client denied by server "
               "configuration: %s%s",
               r->filename ? "" : "uri ", r->filename ? r->filename : r->uri);
    return any ? OK : 403; /* Satisfy any: Require decides */
}

static const command_rec compat_cmds[] = {
    {"order", cmd_order, 0, OR_LIMIT, TAKE1,
     "'allow,deny', 'deny,allow', or 'mutual-failure'"},
    {"allow", cmd_allowdeny, 0, OR_LIMIT, ITERATE2,
     "'from' followed by hostnames or IP-address wildcards"},
    {"deny", cmd_allowdeny, 0, OR_LIMIT, ITERATE2,
     "'from' followed by hostnames or IP-address wildcards"},
    {"Satisfy", cmd_satisfy, 0, OR_AUTHCFG, TAKE1,
     "access policy if both allow and require used ('all' or 'any')"},
    {0},
};

module access_compat_module = {
    .name = "access_compat_module",
    .file = "mod_access_compat.c",
    .cmds = compat_cmds,
    .create_dir_config = create_dir,
    .access_checker = check_access,
};
