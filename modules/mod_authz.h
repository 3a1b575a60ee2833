/* mod_authz.h -- authz_core_module and authz_host_module: Require and the
 * <RequireAll>/<RequireAny>/<RequireNone> sections.
 *
 * The per-directory configuration is a tree of authorization nodes, built
 * while the walk reads the directives: a section node (AND for RequireAll,
 * OR for RequireAny, OR negated for RequireNone) holds provider nodes
 * (one Require line each) and nested sections.  The implicit outer section
 * of a <Directory>/<Location> is a RequireAny.
 */
#ifndef HTTPD_MOD_AUTHZ_H
#define HTTPD_MOD_AUTHZ_H

#include <netinet/in.h>
#include <stdint.h>

#include "conf.h"
#include "subnet.h"

enum authz_provider {
    AUTHZ_PROV_ALL,         /* Require all granted|denied */
    AUTHZ_PROV_ENV,         /* Require env VAR... */
    AUTHZ_PROV_METHOD,      /* Require method GET... */
    AUTHZ_PROV_EXPR,        /* Require expr EXPR (stored, not evaluated) */
    AUTHZ_PROV_IP,          /* Require ip ADDR[/MASK]... (authz_host) */
    AUTHZ_PROV_HOST,        /* Require host NAME... (authz_host) */
    AUTHZ_PROV_FORWARD_DNS, /* Require forward-dns NAME... (authz_host) */
    AUTHZ_PROV_LOCAL,       /* Require local (authz_host) */
    AUTHZ_PROV_USER,        /* Require user NAME... (authz_user) */
    AUTHZ_PROV_VALID_USER   /* Require valid-user (authz_user) */
};

/* One "Require ip" entry (core/subnet.h). */
typedef net_subnet authz_subnet;

enum authz_op { AUTHZ_OP_AND, AUTHZ_OP_OR };

/* (the pointers, then the ints: no padding, 128 bytes; one or two per
 * <Directory> with a Require, so thousands in a large configuration) */
typedef struct authz_node {
    /* sections */
    struct authz_node *first, *last;
    /* providers */
    const char *provider_name; /* as written ("all", "All") */
    const char *requirement;   /* raw text after the provider name */
    const char **words;        /* env/host/forward-dns/method names */
    authz_subnet *subnets;     /* ip */
    struct expr *expr;         /* expr, user: compiled at configuration time */
    const char *file;          /* where the directive was written */
    struct authz_node *next;   /* next sibling */
    int is_section;
    int merged;       /* made by AuthMerging And/Or ("AuthMerging All") */
    int negate;       /* Require not ... / <RequireNone> */
    enum authz_op op; /* sections */
    enum authz_provider provider;
    int granted; /* all: 1 granted, 0 denied; expr: 1 when
                  * it reads %{REMOTE_USER} (a false result
                  * then asks for a user) */
    int nwords;
    int nsubnets;
    int line;
    uint64_t method_mask; /* method: bit per method number */
    uint64_t limited;     /* the methods it applies to (<Limit>); a
                           * section: those of its members */
} authz_node;

/* AuthMerging: how a scope's Require lines combine with those it
 * inherits (UNSET behaves as Off, but a scope with neither Require nor
 * AuthMerging inherits its parent's, AuthMerging included). */
enum authz_merging {
    AUTHZ_MERGE_UNSET,
    AUTHZ_MERGE_OFF,
    AUTHZ_MERGE_AND,
    AUTHZ_MERGE_OR
};

typedef struct authz_dir_conf {
    authz_node *section; /* NULL: no Require here (inherit) */
    authz_node *current; /* during the walk: innermost open section */
    enum authz_merging merging;
    int forbidden_on_fail; /* AuthzSendForbiddenOnFailure; -1 unset */
} authz_dir_conf;

extern module authz_core_module;
extern module authz_host_module;
extern module authz_user_module;

/* Parse one "Require ip" word ("10.0.0.0/8", "::1", "192.168")
 * with apr_ipsubnet_create()'s rules: net_subnet_parse (core/subnet.h). */
static inline const char *authz_parse_subnet(const char *word,
                                             authz_subnet *out)
{
    return net_subnet_parse(word, out);
}

/* True when addr (AF_INET or AF_INET6 sockaddr) is inside subnet. */
static inline int authz_subnet_match(const authz_subnet *subnet,
                                     const struct sockaddr *addr)
{
    return net_subnet_match(subnet, addr);
}

struct request;
/* The client's name by double-reverse lookup (once per connection), or
 * NULL: "Require host" and mod_access_compat's "from NAME". */
const char *authz_client_name(struct request *r);
/* name is want or ends in it at a label boundary (want ".example.com"
 * or "example.com" matches www.example.com, not badexample.com). */
int authz_name_matches(const char *name, const char *want);

#endif
