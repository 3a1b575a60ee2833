/* http_response.c -- the response head, Apache's error pages, the Date
 * cache and the keep-alive decision.
 *
 * Header order is Apache's: status line, Date, Server, then the handler's
 * headers (err_headers_out first, then headers_out, in insertion order),
 * Content-Length, Keep-Alive/Connection, Transfer-Encoding, Content-Type,
 * Content-Encoding, Content-Language.  A 304 or 204 carries no
 * Content-Length, Transfer-Encoding or Content-Type, as in Apache 2.4.
 *
 * Server header (ServerTokens), with product "httpd-ng" (core/version.h):
 *   Prod "httpd-ng", Major "httpd-ng/0", Minor "httpd-ng/0.1",
 *   Min(imal) "httpd-ng/0.1.0", OS and Full "httpd-ng/0.1.0 (Unix)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_internal.h"
#include "version.h"

/* ---- Date, at most one strftime per second per thread ---------------- */

/* http_format_date()'s text is always this long ("Sun, 06 Nov 1994
 * 08:49:37 GMT": the year is kept to four digits) */
#define HTTP_DATE_LEN 29

const char *http_date_now(void)
{
    static __thread time_t cached_sec;
    static __thread char cached[32];
    time_t now = time(NULL);
    if (now != cached_sec) {
        http_format_date(cached, now);
        cached_sec = now;
    }
    return cached;
}

const char *http_server_banner(const resolved_config *rc)
{
    switch (rc ? rc->server_tokens : SERVER_TOKENS_FULL) {
    case SERVER_TOKENS_PROD:
        return HTTPD_PRODUCT;
    case SERVER_TOKENS_MAJOR:
        return HTTPD_PRODUCT "/0";
    case SERVER_TOKENS_MINOR:
        return HTTPD_PRODUCT "/0.1";
    case SERVER_TOKENS_MIN:
        return HTTPD_PRODUCT "/" HTTPD_VERSION;
    default:
        return HTTPD_PRODUCT "/" HTTPD_VERSION " (Unix)";
    }
}

const char *http_server_built(void)
{
    /* __DATE__ "Nov 25 2026", __TIME__ "21:50:00" -> "2026-11-25T21:50:00",
     * the shape apache2 -v and mod_status print */
    static char built[32];
    if (built[0] == '\0') {
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        const char *d = __DATE__;
        int month = 1;
        for (int i = 0; i < 12; i++)
            if (strncmp(d, months + 3 * i, 3) == 0)
                month = i + 1;
        snprintf(built, sizeof(built), "%.4s-%02d-%02dT%s", d + 7, month,
                 atoi(d + 4), __TIME__);
    }
    return built;
}

int http_status_drops_connection(int status)
{
    switch (status) {
    case 400:
    case 408:
    case 411:
    case 413:
    case 414:
    case 500:
    case 503:
    case 501:
        return 1;
    default:
        return 0;
    }
}

/* ---- error pages --------------------------------------------------------- */

static const char *with_notes(request *r, const char *prefix,
                              const char *suffix)
{
    const char *notes = req_table_get(&r->notes, "error-notes");
    return arena_strcat(r->arena, prefix, notes ? notes : "", suffix,
                        (char *)NULL);
}

/* Apache's add_optional_notes(): the note named key after prefix. */
static const char *with_note(request *r, const char *prefix, const char *key)
{
    const char *note = req_table_get(&r->notes, key);
    return note ? arena_strcat(r->arena, prefix, note, (char *)NULL) : prefix;
}

static const char *canned_redirect(request *r, int status)
{
    const char *loc = req_table_get(&r->headers_out, "Location");
    loc = req_escape_html(r->arena, loc ? loc : "");
    if (status == 303)
        return arena_strcat(
            r->arena, "<p>The answer to your request is located <a href=\"",
            loc, "\">here</a>.</p>\n", (char *)NULL);
    if (status == 305) /* apache2 leaves the proxy's name out */
        return "<p>This resource is only accessible through the proxy\n"
               "<br />\nYou will need to configure your client to use that "
               "proxy.</p>\n";
    return arena_strcat(r->arena, "<p>The document has moved <a href=\"", loc,
                        "\">here</a>.</p>\n", (char *)NULL);
}

static const char *canned_simple(int status)
{
    switch (status) {
    case 401:
    case 407:
        return "<p>This server could not verify that you\n"
               "are authorized to access the document\n"
               "requested.  Either you supplied the wrong\n"
               "credentials (e.g., bad password), or your\n"
               "browser doesn't understand how to supply\n"
               "the credentials required.</p>\n";
    case 404:
        return "<p>The requested URL was not found on this server.</p>\n";
    case 408:
        return "<p>Server timeout waiting for the HTTP request from the "
               "client.</p>\n";
    case 410:
        return "<p>The requested resource is no longer available on this "
               "server and there is no forwarding address.\nPlease remove all "
               "references to this resource.</p>\n";
    case 412:
        return "<p>The precondition on the request for this URL evaluated to "
               "false.</p>\n";
    case 415:
        return "<p>The supplied request data is not in a format\nacceptable "
               "for processing by this resource.</p>\n";
    case 416:
        return "<p>None of the range-specifier values in the "
               "Range\nrequest-header field overlap the current extent\nof the "
               "selected resource.</p>\n";
    case 422:
        return "<p>The server understands the media type of the\nrequest "
               "entity, but was unable to process the\ncontained "
               "instructions.</p>\n";
    case 423:
        return "<p>The requested resource is currently locked.\nThe lock must "
               "be released or proper identification\ngiven before the method "
               "can be applied.</p>\n";
    case 424:
        return "<p>The method could not be performed on the resource\nbecause "
               "the requested action depended on another\naction and that "
               "other action failed.</p>\n";
    case 426:
        return "<p>The requested resource can only be retrieved\nusing SSL.  "
               "The server is willing to upgrade the current\nconnection to "
               "SSL, but your client doesn't support it.\nEither upgrade your "
               "client, or try requesting the page\nusing https://\n";
    case 428:
        return "<p>The request is required to be conditional.</p>\n";
    case 429:
        return "<p>The user has sent too many requests\nin a given amount of "
               "time.</p>\n";
    case 431:
        return "<p>The server refused this request because\nthe request header "
               "fields are too large.</p>\n";
    case 503:
        return "<p>The server is temporarily unable to service your\nrequest "
               "due to maintenance downtime or capacity\nproblems. Please try "
               "again later.</p>\n";
    case 504:
        return "<p>The gateway did not receive a timely response\nfrom the "
               "upstream server or application.</p>\n";
    case 507:
        return "<p>The method could not be performed on the resource\nbecause "
               "the server is unable to store the\nrepresentation needed to "
               "successfully complete the\nrequest.  There is insufficient "
               "free space left in\nyour storage allocation.</p>\n";
    case 508:
        return "<p>The server terminated an operation because\nit encountered "
               "an infinite loop.</p>\n";
    case 510:
        return "<p>A mandatory extension policy in the request is "
               "not\naccepted by the server for this resource.</p>\n";
    case 511:
        return "<p>The client needs to authenticate to gain\nnetwork "
               "access.</p>\n";
    case 421:
        return "<p>The client needs a new connection for this\nrequest as the "
               "requested host name does not match\nthe Server Name Indication "
               "(SNI) in use for this\nconnection.</p>\n";
    default:
        return NULL;
    }
}

static const char *canned_500(request *r)
{
    const char *notes = req_table_get(&r->notes, "error-notes");
    if (notes != NULL)
        return arena_strcat(r->arena, notes, "<p />\n", (char *)NULL);
    const char *admin = r->server && r->server->server_admin
                            ? r->server->server_admin
                            : "[no address given]";
    return arena_strcat(
        r->arena,
        "<p>The server encountered an internal error or\n"
        "misconfiguration and was unable to complete\n"
        "your request.</p>\n"
        "<p>Please contact the server administrator at \n ",
        req_escape_html(r->arena, admin),
        " to inform them of the time this error occurred,\n"
        " and the actions you performed just before this error.</p>\n"
        "<p>More information about this error may be available\n"
        "in the server error log.</p>\n",
        (char *)NULL);
}

static const char *canned_error(request *r, int status)
{
    const char *m = req_escape_html(r->arena, r->method ? r->method : "GET");
    const char *s = canned_simple(status);
    if (s != NULL)
        return s;
    switch (status) {
    case 300: /* mod_negotiation's list of variants, if any */
        return with_note(r, "", "variant-list");
    case 406:
        return with_note(r,
                         "<p>An appropriate representation of the requested "
                         "resource could not be found on this server.</p>\n",
                         "variant-list");
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
    case 308:
        return canned_redirect(r, status);
    case 506: /* the URI is left out of the <pre> */
        return "<p>A variant for the requested resource\n<pre>\n\n</pre>\n"
               "is itself a negotiable resource. This indicates a "
               "configuration error.</p>\n";
    case 400:
        return with_notes(r,
                          "<p>Your browser sent a request that this server "
                          "could not understand.<br />\n",
                          "</p>\n");
    case 403:
        return with_notes(
            r, "<p>You don't have permission to access this resource.",
            "</p>\n");
    case 405:
        return arena_strcat(r->arena, "<p>The requested method ", m,
                            " is not allowed for this URL.</p>\n",
                            (char *)NULL);
    case 411:
        return with_notes(
            r,
            arena_strcat(r->arena, "<p>A request of the requested method ", m,
                         " requires a valid Content-length.<br />\n",
                         (char *)NULL),
            "</p>\n");
    case 413:
        return arena_strcat(
            r->arena,
            "The requested resource does not allow request data with ", m,
            " requests, or the amount of data provided in\n"
            "the request exceeds the capacity limit.\n",
            (char *)NULL);
    case 414:
        return with_notes(r,
                          "<p>The requested URL's length exceeds the "
                          "capacity\nlimit for this server.<br />\n",
                          "</p>\n");
    case 417: {
        const char *ex = req_table_get(&r->headers_in, "Expect");
        const char *s1 =
            ex ? arena_strcat(
                     r->arena,
                     "<p>The expectation given in the Expect request-header\n"
                     "field could not be met by this server.\n"
                     "The client sent<pre>\n    Expect: ",
                     req_escape_html(r->arena, ex), "\n</pre>\n", (char *)NULL)
               : "<p>The expectation given in the Expect request-header\nfield "
                 "could not be met by this server.</p>\n";
        return with_notes(r, s1, "</p>\n");
    }
    case 501:
        return with_notes(
            r,
            arena_strcat(r->arena, "<p>", m,
                         " not supported for current URL.<br />\n",
                         (char *)NULL),
            "</p>\n");
    case 502:
        return with_notes(r,
                          "<p>The proxy server received an invalid\r\nresponse "
                          "from an upstream server.<br />\r\n",
                          "</p>\n");
    case 451:
        return with_notes(
            r,
            "<p>Access to this URL has been denied for legal reasons.<br />\n",
            "</p>\n");
    default:
        return canned_500(r);
    }
}

/* The name and port Apache's ap_get_server_name/port give: with
 * UseCanonicalName Off the Host header's, else (and without Host) the
 * server's ServerName and port, falling back to 80. */
static const char *server_name_of(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    int canonical = d && d->use_canonical_name == 1;
    if (!canonical && r->hostname)
        return r->hostname;
    return r->server && r->server->server_name ? r->server->server_name
                                               : "localhost";
}

/* ap_get_server_name(): the same without the brackets of an IPv6
 * literal (the signature and %V show "::1"; URLs keep "[::1]"). */
const char *http_request_host_name(request *r)
{
    const char *name = server_name_of(r);
    size_t n = strlen(name);
    if (n >= 2 && name[0] == '[' && name[n - 1] == ']')
        return arena_strndup(r->arena, name + 1, n - 2);
    return name;
}

static int server_port_of(request *r)
{
    core_dir_conf *d = request_core_dir(r);
    int canonical = d && d->use_canonical_name == 1;
    if (!canonical && r->parsed_port) /* -1: a port of 0 was given */
        return r->parsed_port > 0 ? r->parsed_port : 0;
    if (r->server && r->server->port)
        return r->server->port;
    /* UseCanonicalName On: ServerName's port, else the default (apache2
     * ignores the client's and the local port here); DNS: the local one */
    if (d && d->use_canonical_name == 2 && r->connection->local_port)
        return r->connection->local_port;
    return 80;
}

/* ServerSignature: Apache's ap_psignature(prefix, r). */
const char *http_signature(request *r, const char *prefix)
{
    core_dir_conf *d = request_core_dir(r);
    int sig = d ? d->server_signature : UNSET;
    if (sig != 1 && sig != 2)
        return "";
    const char *name = http_request_host_name(r);
    const char *banner = http_server_banner(r->rc);
    char portbuf[16];
    snprintf(portbuf, sizeof(portbuf), "%d", server_port_of(r));
    if (sig == 2) {
        const char *admin = r->server && r->server->server_admin
                                ? r->server->server_admin
                                : "[no address given]";
        return arena_strcat(r->arena, prefix, "<address>", banner,
                            " Server at <a href=\"",
                            strchr(admin, ':') ? "" : "mailto:", admin, "\">",
                            req_escape_html(r->arena, name), "</a> Port ",
                            portbuf, "</address>\n", (char *)NULL);
    }
    return arena_strcat(r->arena, prefix, "<address>", banner, " Server at ",
                        req_escape_html(r->arena, name), " Port ", portbuf,
                        "</address>\n", (char *)NULL);
}

const char *http_error_body(request *r, int status)
{
    const char *line = http_status_line(status);
    if (line == NULL)
        line = "500 Internal Server Error";
    const char *recursive = req_table_get(&r->notes, "recursive-error");
    const char *extra = "";
    if (recursive != NULL)
        extra = arena_strcat(r->arena, "<p>Additionally, a ", recursive,
                             "\nerror was encountered while trying to use an "
                             "ErrorDocument to handle the request.</p>\n",
                             (char *)NULL);
    return arena_strcat(r->arena,
                        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" "
                        "\"http://www.w3.org/TR/html4/strict.dtd\">\n"
                        "<html><head>\n<title>",
                        line, "</title>\n</head><body>\n<h1>", line + 4,
                        "</h1>\n", canned_error(r, status), extra,
                        http_signature(r, "<hr>\n"), "</body></html>\n",
                        (char *)NULL);
}

void http_set_error_response(request *r, int status)
{
    http_conn *c = r->engine;
    const char *loc = req_table_get(&r->err_headers_out, "Location");
    if (loc == NULL)
        loc = req_table_get(&r->headers_out, "Location");
    /* Apache: the error keeps err_headers_out, drops headers_out */
    r->headers_out = r->err_headers_out;
    memset(&r->err_headers_out, 0, sizeof(r->err_headers_out));
    if ((status >= 300 && status < 400) || status == 201) {
        if (loc != NULL && *loc)
            req_table_set(r->arena, &r->headers_out, "Location", loc);
    }
    r->status = status;
    r->error_response = 1;
    r->content_encoding = NULL;
    r->content_languages = NULL;
    r->content_type =
        req_table_get(&r->subprocess_env, "suppress-error-charset")
            ? "text/html"
            : "text/html; charset=iso-8859-1";
    if (status == 405 || status == 501) {
        const char *allow = req_table_get(&r->notes, "allow-methods");
        req_table_set(r->arena, &r->headers_out, "Allow",
                      allow ? allow : http_allow_methods(r));
    }
    if (c != NULL) {
        memset(&c->out, 0, sizeof(c->out));
        c->out.file_fd = -1;
    }
    if (!r->header_only) {
        const char *body = http_error_body(r, status);
        request_write(r, body, strlen(body));
    }
    /* as apache2: a 413 goes out delimited by the close (but TRACE's
     * refusal of a body, a handler's answer, has its length), a 416
     * without Content-Length (chunked on HTTP/1.1) */
    int page = req_table_get(&r->notes, "status-page") != NULL; /* Redirect */
    if (status == 413 && c != NULL && r->method_number != M_TRACE && !page)
        c->out.no_length = c->out.close_delimited = 1;
    if (status == 416 && c != NULL && !page)
        c->out.no_length = 1;
}

/* ---- the head ------------------------------------------------------------ */

const char *http_content_type(request *r)
{
    const char *t = r->content_type;
    if (t == NULL)
        return NULL;
    core_dir_conf *d = request_core_dir(r);
    const char *cs = d ? d->add_default_charset : NULL;
    if (cs == NULL || cs[0] == '\0')
        return t;
    if ((strncasecmp(t, "text/plain", 10) == 0 ||
         strncasecmp(t, "text/html", 9) == 0) &&
        strcasestr(t, "charset=") == NULL)
        return arena_strcat(r->arena, t, "; charset=", cs, (char *)NULL);
    return t;
}

static int has_token(const char *list, const char *tok)
{
    if (list == NULL)
        return 0;
    size_t tl = strlen(tok);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t')
            p++;
        if ((size_t)(p - s) == tl && strncasecmp(s, tok, tl) == 0)
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}

static int conf_or(int v, int def)
{
    return v == UNSET ? def : v;
}

/* Apache's ap_set_keepalive(). */
static void set_keepalive(http_conn *c, request *r, request *orig,
                          req_table *out)
{
    const server_conf *s = r->server ? r->server : c->rc->main_server;
    int ka_on = conf_or(s->keep_alive, 1);
    int ka_ms = conf_or(s->keepalive_timeout_ms, 5000);
    int ka_max = conf_or(s->max_keepalive_requests, 100);
    int left = ka_max - (int)c->info.keepalives;
    const char *conn = req_table_get(&orig->headers_in, "Connection");
    /* (the 200's pass: a client that said "close" got no keep-alive) */
    int pass_200 = r->range_not_satisfiable && orig->keepalive &&
                   r->keepalive && ka_on && ka_ms > 0 &&
                   !has_token(conn, "close") && !c->shutdown;
    int kept_for_200 = pass_200 && (ka_max == 0 || left > 0);
    if (pass_200 && !kept_for_200) {
        /* refused as the last one allowed: Apache counts it (%k) and the
         * connection is closing */
        c->info.ka_granted++;
        c->info.ka_kept = 0;
        r->keepalive = orig->keepalive = 0;
    }
    if (kept_for_200) {
        /* Apache kept the connection for the 200 its byterange filter
         * then turned into this 416: one more keep-alive counted */
        c->info.keepalives++;
        c->info.ka_granted++;
        left--;
    }
    int wimpy = has_token(req_table_get(out, "Connection"), "close");
    int has_len = r->status == 304 || r->status == 204 || r->header_only ||
                  !c->out.no_length || c->out.chunked;
    /* Apache chunks a body of unknown length on HTTP/1.1 unless the
     * connection is already known to close; it decides that before it
     * looks at KeepAlive, Connection: close or MaxKeepAliveRequests.  A
     * 416 is its second pass: chunked only if the 200's kept the
     * connection. */
    if (!has_len && orig->keepalive && r->keepalive &&
        !c->out.close_delimited &&
        (!r->range_not_satisfiable || kept_for_200) && r->proto_num >= 1001 &&
        c->out.file_fd < 0 && !(r->error_response && has_token(conn, "close")))
        has_len = c->out.chunked = 1;
    int ka_sent = 0;
    if (orig->keepalive && r->keepalive && has_len && ka_on && ka_ms > 0 &&
        (ka_max == 0 || left > 0) && !http_status_drops_connection(r->status) &&
        !wimpy && !has_token(conn, "close") && !c->shutdown &&
        /* nokeepalive (SetEnvIf), unless a proxy is in between */
        (req_table_get(&r->subprocess_env, "nokeepalive") == NULL ||
         req_table_get(&orig->headers_in, "Via") != NULL) &&
        ((ka_sent = has_token(conn, "keep-alive")) || r->proto_num >= 1001)) {
        if (ka_sent) {
            char v[64];
            if (ka_max)
                snprintf(v, sizeof(v), "timeout=%d, max=%d", ka_ms / 1000,
                         left);
            else
                snprintf(v, sizeof(v), "timeout=%d", ka_ms / 1000);
            req_table_set(r->arena, out, "Keep-Alive",
                          arena_strdup(r->arena, v));
            req_table_merge(r->arena, out, "Connection", "Keep-Alive");
        }
        r->keepalive = 1;
        c->info.ka_granted++;
        c->info.ka_kept = 1;
        return;
    }
    /* Apache's "last one" bump: refused because MaxKeepAliveRequests is
     * reached, on a connection not already closing, it still counts */
    if (ka_max && left == 0 && orig->keepalive && r->keepalive)
        c->info.ka_granted++;
    c->info.ka_kept = 0;
    r->keepalive = 0;
    orig->keepalive = 0;
    if (!wimpy)
        req_table_merge(r->arena, out, "Connection", "close");
}

static char *put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_n(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* "name: value\r\n", the lengths known */
static char *put_field_n(char *p, const char *name, size_t nl,
                         const char *value, size_t vl)
{
    p = put_n(p, name, nl);
    *p++ = ':';
    *p++ = ' ';
    p = put_n(p, value, vl);
    *p++ = '\r';
    *p++ = '\n';
    return p;
}

static char *put_field(char *p, const char *name, const char *value)
{
    return put_field_n(p, name, strlen(name), value, strlen(value));
}

/* Merge err_headers_out + headers_out + the framing fields into one table. */
/* Apache's fixup_vary(): every Vary field's items, each once (the first
 * spelling, compared without case), in one field joined by ",". */
static void fixup_vary(request *r, req_table *out)
{
    const char *items[64];
    int n = 0;
    for (int i = 0; i < out->n; i++) {
        if (strcasecmp(out->v[i].name, "Vary") != 0)
            continue;
        for (const char *p = out->v[i].value; *p;) {
            while (*p == ',' || *p == ' ' || *p == '\t')
                p++;
            const char *s = p;
            while (*p && *p != ',' && *p != ' ' && *p != '\t')
                p++;
            if (p == s)
                continue;
            const char *item = arena_strndup(r->arena, s, (size_t)(p - s));
            int seen = 0;
            for (int k = 0; k < n && !seen; k++)
                seen = strcasecmp(items[k], item) == 0;
            if (!seen && n < (int)(sizeof(items) / sizeof(items[0])))
                items[n++] = item;
        }
    }
    if (n == 0)
        return;
    const char *joined = items[0];
    for (int k = 1; k < n; k++)
        joined = arena_strcat(r->arena, joined, ",", items[k], (char *)NULL);
    req_table_set(r->arena, out, "Vary", joined); /* where the first was */
}

/* Apache's Content-Language: the languages, then the items of a
 * Content-Language field the response already has (Header) that are not
 * among them, joined by "," */
static const char *content_language(request *r)
{
    const char *items[32];
    int n = 0;
    const char *field = r->content_languages;
    for (char *it;
         n < 32 && (it = http_next_list_item(r->arena, &field)) != NULL;)
        items[n++] = it;
    field = req_table_get(&r->headers_out, "Content-Language");
    for (char *it;
         n < 32 && (it = http_next_list_item(r->arena, &field)) != NULL;) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = strcasecmp(items[k], it) == 0;
        if (!seen)
            items[n++] = it;
    }
    const char *joined = n ? items[0] : r->content_languages;
    for (int k = 1; k < n; k++)
        joined = arena_strcat(r->arena, joined, ",", items[k], (char *)NULL);
    return joined;
}

/* What %{NAME}o finds in apache2's r->headers_out once its header filter
 * ran: err_headers_out laid over headers_out, the Vary fields merged into
 * one, Content-Encoding and Content-Language set from the request's. */
const char *http_logged_header_out(request *r, const char *name)
{
    if (strcasecmp(name, "Vary") == 0) {
        req_table vary;
        memset(&vary, 0, sizeof(vary));
        for (int k = 0; k < 2; k++) {
            const req_table *t = k ? &r->headers_out : &r->err_headers_out;
            for (int i = 0; i < t->n; i++)
                if (strcasecmp(t->v[i].name, "Vary") == 0)
                    req_table_add(r->arena, &vary, "Vary", t->v[i].value);
        }
        if (vary.n == 0)
            return NULL;
        fixup_vary(r, &vary);
        return req_table_get(&vary, "Vary");
    }
    if (strcasecmp(name, "Content-Encoding") == 0 && r->content_encoding)
        return r->content_encoding;
    if (strcasecmp(name, "Content-Language") == 0 && r->content_languages)
        return content_language(r);
    const char *v = req_table_get(&r->err_headers_out, name);
    return v ? v : req_table_get(&r->headers_out, name);
}

static void final_fields(http_conn *c, request *r, request *orig,
                         req_table *out)
{
    /* err_headers_out then headers_out, in one allocation with room for
     * the framing fields added below */
    int ne = r->err_headers_out.n, nh = r->headers_out.n;
    out->n = ne + nh;
    out->cap = out->n + 8;
    out->v = arena_alloc(r->arena, sizeof(req_header) * (size_t)out->cap);
    if (ne > 0)
        memcpy(out->v, r->err_headers_out.v, sizeof(req_header) * (size_t)ne);
    if (nh > 0)
        memcpy(out->v + ne, r->headers_out.v, sizeof(req_header) * (size_t)nh);
    if (req_table_get(out, "Vary") != NULL)
        fixup_vary(r, out);
    const char *cl = req_table_get(out, "Content-Length");
    /* Apache's content-length filter: a HEAD answered by a generator
     * (listing, error page, redirect) has no body to count, so only a
     * length the handler set itself (a file's) goes out */
    if (cl == NULL && http_body_streamed(c, r))
        c->out.no_length = 1;
    if (!c->out.no_length && !c->out.chunked && cl == NULL &&
        !(r->status == 304 || r->status == 204) &&
        (!r->header_only || c->out.file_fd >= 0 || c->out.whole)) {
        int64_t len = (int64_t)c->out.mem_len +
                      (c->out.file_fd >= 0 ? c->out.file_len : 0);
        if (!(r->header_only && len == 0)) {
            cl = arena_lld(r->arena, (long long)len);
            req_table_set(r->arena, out, "Content-Length", cl);
        }
    }
    if (r->header_only && cl && strcmp(cl, "0") == 0)
        req_table_unset(out, "Content-Length");
    set_keepalive(c, r, orig, out);
    if (c->out.chunked) {
        req_table_unset(out, "Content-Length");
        req_table_merge(r->arena, out, "Transfer-Encoding", "chunked");
    }
    if (r->no_cache && req_table_get(out, "Expires") == NULL)
        req_table_add(r->arena, out, "Expires", http_date_now());
    if (r->status == 304 || r->status == 204) {
        /* Apache 2.4: no entity framing or description on these (and
         * %{Content-Type}o logs "-") */
        req_table_unset(out, "Transfer-Encoding");
        req_table_unset(out, "Content-Length");
        r->content_type = r->content_encoding = r->content_languages = NULL;
        return;
    }
    const char *ct = http_content_type(r);
    if (ct != NULL)
        req_table_set(r->arena, out, "Content-Type", ct);
    if (r->content_encoding != NULL)
        req_table_set(r->arena, out, "Content-Encoding", r->content_encoding);
    if (r->content_languages != NULL)
        req_table_set(r->arena, out, "Content-Language", content_language(r));
}

/* Date and Server are written first, from the server's own values; the
 * first letter spares most fields the two strcasecmp()s */
static int is_date_or_server(const char *name)
{
    switch (name[0]) {
    case 'D':
    case 'd':
        return strcasecmp(name, "Date") == 0;
    case 'S':
    case 's':
        return strcasecmp(name, "Server") == 0;
    default:
        return 0;
    }
}

/* The request environment's say on the protocol of the answer: Apache's
 * special variables, which SetEnvIf and BrowserMatch set for clients known
 * to be broken.  force-no-vary drops Vary and answers as to HTTP/1.0;
 * downgrade-1.0 takes an HTTP/1.1 request for 1.0 (no chunks, no implied
 * keep-alive); force-response-1.0 writes "HTTP/1.0" in the status line of
 * the answer to a 1.0 request and closes.  (nokeepalive: set_keepalive.)
 * Returns 1 for an HTTP/1.0 status line. */
static int protocol_env(request *r)
{
    const req_table *env = &r->subprocess_env;
    if (env->n == 0)
        return 0;
    int force = 0;
    if (req_table_get(env, "force-no-vary") != NULL) {
        req_table_unset(&r->headers_out, "Vary");
        req_table_unset(&r->err_headers_out, "Vary");
        r->proto_num = 1000;
        force = 1;
    }
    if (r->proto_num > 1000 && req_table_get(env, "downgrade-1.0") != NULL)
        r->proto_num = 1000;
    if (r->proto_num == 1000 &&
        (force || req_table_get(env, "force-response-1.0") != NULL)) {
        r->keepalive = 0;
        return 1;
    }
    return 0;
}

void http_build_head(http_conn *c, request *fr)
{
    request *orig = c->r;
    if (__atomic_load_n(&c->rc->output_filters, __ATOMIC_RELAXED)) {
        http_filters_run(c, fr);
        fr = request_final(fr); /* a 416's ErrorDocument */
    }
    /* Apache's 416 is an error bucket its byterange filter sends past the
     * content-length filter: the ErrorDocument's answer has a length only
     * if its handler set one */
    if (fr->status == 416 && fr != orig && !fr->error_response &&
        req_table_get(&fr->headers_out, "Content-Length") == NULL)
        c->out.no_length = 1;
    /* the modules' last word on the head (mod_headers' output and error
     * filters); %{X}o logs it even when no head is sent (HTTP/0.9) */
    request_output_headers(fr);
    if (req_table_get(&fr->notes, "no-etag") != NULL) {
        /* FileETag None where a tag was made: none goes out, a Header
         * one neither (always or not; the log sees it gone) */
        req_table_unset(&fr->headers_out, "ETag");
        req_table_unset(&fr->err_headers_out, "ETag");
    }
    if (!fr->assbackwards && !orig->assbackwards)
        http_range_apply(c, fr);
    if (fr->assbackwards || orig->assbackwards) {
        c->head = "";
        c->head_len = 0;
        fr->keepalive = orig->keepalive = 0;
        c->info.ka_kept = 0;
        return;
    }
    int response10 = protocol_env(fr);
    req_table out;
    final_fields(c, fr, orig, &out);
    const char *line =
        fr->status_line ? fr->status_line : http_status_line(fr->status);
    if (line == NULL) /* as apache2: a code it has no line for (the log
                       * keeps it) */
        line = "500 Internal Server Error";
    const char *server = http_server_banner(c->rc);
    /* the fields' lengths, counted once for the size and the copy (the
     * first 32; the rest are counted again) */
    size_t lens[32][2];
    size_t server_len = strlen(server);
    size_t size = 128 + strlen(line) + server_len + 64;
    for (int i = 0; i < out.n; i++) {
        size_t nl = strlen(out.v[i].name), vl = strlen(out.v[i].value);
        if (i < 32) {
            lens[i][0] = nl;
            lens[i][1] = vl;
        }
        size += nl + vl + 4;
    }
    char *h = arena_alloc(fr->arena, size);
    char *p = put(h, response10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    p = put(p, line);
    p = put(p, "\r\n");
    p = put_field_n(p, "Date", 4, http_date_now(), HTTP_DATE_LEN);
    p = put_field_n(p, "Server", 6, server, server_len);
    for (int i = 0; i < out.n; i++) {
        if (is_date_or_server(out.v[i].name))
            continue;
        if (i < 32)
            p = put_field_n(p, out.v[i].name, lens[i][0], out.v[i].value,
                            lens[i][1]);
        else
            p = put_field(p, out.v[i].name, out.v[i].value);
    }
    p = put(p, "\r\n");
    c->head = h;
    c->head_len = (size_t)(p - h);
}

/* ap_get_server_name_for_url / ap_get_server_port for other parts of the
 * core (the expression language's SERVER_NAME and SERVER_PORT). */
const char *http_request_server_name(request *r)
{
    return server_name_of(r);
}

int http_request_server_port(request *r)
{
    return server_port_of(r);
}
