/* mod_util.h -- small helpers the standard modules share at run time. */
#ifndef HTTPD_MOD_UTIL_H
#define HTTPD_MOD_UTIL_H

#include "conf_regex.h"

#include "request.h"

/* Apache's ap_construct_url(): "http://host[:port]" + uri, with the host
 * and port chosen as UseCanonicalName says (Off: the client's Host). */
const char *modutil_construct_url(request *r, const char *uri);

/* ap_pregsub(): tmpl with $0..$9 and & replaced from the match of src. */
char *modutil_regsub(arena *a, const char *tmpl, const char *src,
                     const conf_regmatch_t *m, int nmatch);

/* The request's merged per-directory config of module m (or the server's
 * defaults when the walk has not run). */
void *modutil_dir_config(const request *r, const module *m);

#endif
