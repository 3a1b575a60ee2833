/* request.c -- the fixed hook sequence for one request (first cut: the
 * helpers modules link against; the sequence itself follows). */
#include <stdarg.h>
#include <string.h>

#include "request.h"

void request_set_header(request *r, const char *name, const char *value)
{
    req_table_set(r->arena, &r->headers_out, name, value);
}

const char *request_get_header(const request *r, const char *name)
{
    return req_table_get(&r->headers_in, name);
}

void request_set_content_type(request *r, const char *type)
{
    r->content_type = type ? arena_strdup(r->arena, type) : NULL;
}

int request_write(request *r, const void *buf, size_t len) { (void)r; (void)buf; (void)len; return -1; }
int request_puts(request *r, const char *s) { return request_write(r, s, strlen(s)); }
int request_printf(request *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    return request_puts(r, s);
}
int request_send_file(request *r, int fd, int64_t o, int64_t l) { (void)r; (void)fd; (void)o; (void)l; return -1; }
void request_send_error(request *r, int status) { r->status = status; }
void request_internal_redirect(request *r, const char *u) { (void)r; (void)u; }
void request_internal_error_redirect(request *r, const char *u, int s) { (void)r; (void)u; (void)s; }
request *request_lookup_uri(request *r, const char *uri) { (void)uri; return r; }
request *request_lookup_file(request *r, const char *f) { (void)f; return r; }
const char *mime_types_lookup(resolved_config *rc, const char *ext) { (void)rc; (void)ext; return NULL; }
void request_process(request *r) { (void)r; }
void **request_server_dir_config(const request *r) { return r->server->lookup_defaults; }
