/* mod_util.h -- small helpers the standard modules share at run time. */
#ifndef HTTPD_MOD_UTIL_H
#define HTTPD_MOD_UTIL_H

#include "conf_regex.h"

#include "request.h"

/* Apache's ap_construct_url(): "http://host[:port]" + uri, with the host
 * and port chosen as UseCanonicalName says (Off: the client's Host). */
const char *modutil_construct_url(request *r, const char *uri);

/* Apache 2.4's ap_pregsub(): tmpl with $0..$9 replaced from the match of
 * src; a backslash stands for the character after it ("\\$1" is "$1"), a
 * trailing one for itself; '&' is an ordinary character (it meant the whole
 * match in Apache 1.3, not in 2.4: measured with RedirectMatch, Header
 * edit and SetEnvIf). */
char *modutil_regsub(arena *a, const char *tmpl, const char *src,
                     const conf_regmatch_t *m, int nmatch);

/* The request's merged per-directory config of module m (or the server's
 * defaults when the walk has not run). */
void *modutil_dir_config(const request *r, const module *m);

#endif
