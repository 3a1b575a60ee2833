/* mod_alias.h -- Alias, AliasMatch, Redirect, RedirectMatch,
 * RedirectPermanent, RedirectTemp. */
#ifndef HTTPD_MOD_ALIAS_H
#define HTTPD_MOD_ALIAS_H

#include "conf_regex.h"

#include "conf.h"

typedef struct alias_entry {
    const char *fake;    /* URL-path prefix, or the pattern for *Match */
    const char *real;    /* target path, or redirect URL (NULL for gone...) */
    conf_regex_t *regex; /* AliasMatch / RedirectMatch */
    int status;          /* redirects: 301, 302, 303, 410, other codes */
    const char *file;    /* where the directive was written */
    int line;
    struct alias_entry *next;
} alias_entry;

/* Server level: aliases and redirects in the order Apache tries them
 * (a vhost's own entries first, then the main server's). */
typedef struct alias_server_conf {
    alias_entry *aliases, *aliases_tail;
    alias_entry *redirects, *redirects_tail;
} alias_server_conf;

/* Per directory: Redirect inside a section, and the one-argument forms
 * allowed in <Location> ("Alias /path", "Redirect URL"), kept as the
 * string written (ap_expr strings are not evaluated). */
typedef struct alias_dir_conf {
    alias_entry *redirects, *redirects_tail;
    const char *alias; /* Alias with one argument in <Location> */
    int alias_set;
    const char *redirect; /* Redirect [status] URL in <Location> */
    int redirect_status;
    int redirect_set;
} alias_dir_conf;

extern module alias_module;

/* Apache's alias_matches(): how many characters of uri the alias prefix
 * matches (runs of '/' match runs of '/'), or 0. */
int alias_prefix_match(const char *uri, const char *fake);

/* ap_is_url(): a scheme of [A-Za-z0-9+.-] then ':'. */
int alias_is_url(const char *u);

#endif
