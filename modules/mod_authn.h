/* mod_authn.h -- authentication: authn_core_module (AuthType, AuthName),
 * authn_file_module (AuthUserFile, the "file" provider) and
 * auth_basic_module (HTTP Basic: AuthBasicProvider...), as Apache 2.4's
 * modules of the same names.
 *
 * The flow (core/request.c): when Require cannot decide without a user
 * (mod_authz answers DECLINED), the check_authn hooks run: auth_basic
 * reads the Authorization header, sets r->user and asks its providers
 * whether the password matches; authn_core comes last and lets a request
 * with no AuthType through without a user (which the core then refuses,
 * AH00027).  Then Require is evaluated again with the user.
 */
#ifndef HTTPD_MOD_AUTHN_H
#define HTTPD_MOD_AUTHN_H

#include "request.h"

enum authn_status {
    AUTHN_DENIED, /* wrong password */
    AUTHN_GRANTED,
    AUTHN_USER_NOT_FOUND,
    AUTHN_GENERAL_ERROR /* logged by the provider: a 500 */
};

typedef struct authn_provider {
    const char *name; /* AuthBasicProvider name */
    enum authn_status (*check_password)(request *r, const char *user,
                                        const char *password);
    /* The stored MD5 hex of "user:realm:password" (htdigest), for
     * AuthBasicUseDigestAlgorithm MD5: AUTHN_GRANTED with *hash set
     * (Apache's AUTH_USER_FOUND), AUTHN_USER_NOT_FOUND or
     * AUTHN_GENERAL_ERROR (logged). */
    enum authn_status (*get_realm_hash)(request *r, const char *user,
                                        const char *realm, const char **hash);
} authn_provider;

/* The provider registered under name (case-sensitive, as Apache's), or
 * NULL. */
const authn_provider *authn_lookup_provider(const char *name);

/* The request's AuthType (NULL for none or "None") and AuthName (NULL
 * when unset; '"' escaped for a header), as Apache's ap_auth_type() and
 * ap_auth_name(). */
const char *authn_auth_type(request *r);
const char *authn_auth_name(request *r);

/* apr_password_validate(): 1 when password matches an htpasswd hash
 * ($apr1$ MD5, {SHA}, bcrypt $2y$/$2a$, or whatever crypt(3) knows:
 * DES, $5$, $6$...).  Plain text never matches, as on Unix Apache. */
int authn_password_matches(arena *a, const char *password, const char *hash);

/* A 401 from authorization asks for credentials again: for AuthType
 * Basic, the WWW-Authenticate header (ap_note_auth_failure). */
void auth_basic_note_failure(request *r);

extern module authn_core_module;
extern module authn_file_module;
extern module auth_basic_module;

#endif
