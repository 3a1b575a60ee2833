/* mod_util.c -- helpers shared by the standard modules at run time. */
#include <string.h>

#include "mod_util.h"

void *modutil_dir_config(const request *r, const module *m)
{
    void **cfg =
        r->per_dir_config ? r->per_dir_config : request_server_dir_config(r);
    return cfg ? conf_get(cfg, m) : NULL;
}

/* As ap_get_server_port(): Off, the client's port, else ServerName's;
 * On, ServerName's (never the client's or the local one); DNS, the local
 * port; else the scheme's default. */
static int server_port(request *r, int canonical)
{
    if (!canonical && r->parsed_port) /* -1: a port of 0 was given */
        return r->parsed_port > 0 ? r->parsed_port : 0;
    if (r->server && r->server->port)
        return r->server->port;
    core_dir_conf *d = r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
    if (d && d->use_canonical_name == 2 && r->connection &&
        r->connection->local_port)
        return r->connection->local_port;
    return 80;
}

const char *modutil_construct_url(request *r, const char *uri)
{
    core_dir_conf *d = r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
    int canonical = d && d->use_canonical_name == 1;
    const char *host = NULL;
    if (!canonical)
        host = r->hostname;
    if (host == NULL && r->server)
        host = r->server->server_name;
    if (host == NULL && r->rc && r->rc->main_server)
        host = r->rc->main_server->server_name;
    if (host == NULL)
        host = r->connection ? r->connection->local_ip : "localhost";
    int port = server_port(r, canonical);
    const char *scheme = r->server && r->server->server_scheme
                             ? r->server->server_scheme
                             : "http";
    int v6 = strchr(host, ':') != NULL && host[0] != '[';
    int dflt = (port == 80 && strcmp(scheme, "http") == 0) ||
               (port == 443 && strcmp(scheme, "https") == 0);
    if (dflt)
        return arena_printf(r->arena, "%s://%s%s%s%s", scheme, v6 ? "[" : "",
                            host, v6 ? "]" : "", uri);
    return arena_printf(r->arena, "%s://%s%s%s:%d%s", scheme, v6 ? "[" : "",
                        host, v6 ? "]" : "", port, uri);
}

char *modutil_regsub(arena *a, const char *tmpl, const char *src,
                     const conf_regmatch_t *m, int nmatch)
{
    size_t len = 0;
    for (int pass = 0; pass < 2; pass++) {
        char *out = pass ? arena_alloc(a, len + 1) : NULL, *d = out;
        for (const char *s = tmpl; *s;) {
            int no = -1;
            char c = *s++;
            if (c == '$' && *s >= '0' && *s <= '9')
                no = *s++ - '0';
            else if (c == '\\' && *s != '\0')
                c = *s++; /* a backslash keeps the next character */
            if (no < 0) {
                if (pass)
                    *d++ = c;
                else
                    len++;
                continue;
            }
            if (no >= nmatch || m[no].rm_so < 0)
                continue;
            size_t n = (size_t)(m[no].rm_eo - m[no].rm_so);
            if (pass) {
                memcpy(d, src + m[no].rm_so, n);
                d += n;
            } else {
                len += n;
            }
        }
        if (pass) {
            *d = '\0';
            return out;
        }
    }
    return NULL;
}
