/* fuzz_expr.c -- libFuzzer harness for the expression language (ap_expr):
 * each input is parsed as a condition and as a string expression; what
 * parses is evaluated over a hand-made request.
 *
 * Build and run with tools/fuzz.sh expr (clang, ASan + UBSan).
 *
 * -F, -U and -A run sub-requests, which need a served configuration; an
 * input using them is only parsed.  file() reads whatever path the input
 * names, read-only.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "request.h"

static int runs_subrequests(const char *s)
{
    for (const char *p = strchr(s, '-'); p; p = strchr(p + 1, '-'))
        if (p[1] == 'F' || p[1] == 'U' || p[1] == 'A')
            return 1;
    return 0;
}

static request *make_request(arena *a)
{
    request *r = arena_calloc(a, sizeof(*r));
    conn_info *c = arena_calloc(a, sizeof(*c));
    struct sockaddr_in *sin = (struct sockaddr_in *)&c->peer;
    sin->sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &sin->sin_addr);
    strcpy(c->peer_ip, "127.0.0.1");
    r->arena = a;
    r->connection = c;
    r->method = "GET";
    r->the_request = "GET /a?b HTTP/1.1";
    r->protocol = "HTTP/1.1";
    r->uri = "/a";
    r->args = "b";
    r->status = 200;
    req_table_add(a, &r->headers_in, "Host", "example.org");
    req_table_add(a, &r->headers_in, "X", "y");
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    arena *a = arena_create(0);
    char *text = arena_strndup(a, (const char *)data, size);
    int eval = !runs_subrequests(text);
    for (int flags = 0; flags <= EXPR_FLAG_STRING; flags += EXPR_FLAG_STRING) {
        expr *e = NULL;
        const char *err = expr_parse(a, text, flags, &e);
        if (err != NULL) {
            volatile size_t n = strlen(err);
            (void)n;
            continue;
        }
        if (!eval)
            continue;
        request *r = make_request(a);
        if (flags)
            (void)expr_exec_string(e, r, &err);
        else
            (void)expr_exec(e, r, &err);
    }
    arena_destroy(a);
    return 0;
}
