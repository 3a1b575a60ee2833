/* request.h -- one HTTP request as the core and the modules see it.
 *
 * The HTTP engine (core/http*.c) parses a request head into a struct
 * request, then core/request.c runs the fixed hook sequence of core/module.h
 * over the compiled-in modules (conf_builtin_modules):
 *
 *   translate_name   URI -> r->filename.  RUN_FIRST: the first module that
 *                    does not return DECLINED wins; if all decline, the core
 *                    maps the URI under the vhost's DocumentRoot.
 *   map_to_storage   the core first does the per-directory walk (stat of
 *                    r->filename, path_info, <Directory>/<DirectoryMatch>,
 *                    <Files>/<FilesMatch>, <Location>/<LocationMatch> merged
 *                    in Apache's order into r->per_dir_config), then calls
 *                    every module's hook (RUN_ALL: OK/DECLINED go on).
 *   access_checker   RUN_ALL (Order/Allow/Deny): a status stops.
 *   check_access     RUN_FIRST (Apache's access_checker_ex): OK passes,
 *                    a status stops; DECLINED (a user is needed, or no
 *                    module decided) runs check_authn (RUN_FIRST: who the
 *                    user is, r->user; a 500 without one) and then
 *                    check_authz (RUN_FIRST: Require with the user).
 *   type_checker     RUN_FIRST; if all decline, the core sets content_type
 *                    from TypesConfig by extension (directories get
 *                    "httpd/unix-directory" as in Apache).
 *   fixups           RUN_ALL.
 *   handler          RUN_FIRST, modules look at r->handler / content_type;
 *                    if all decline, the core's default handler serves the
 *                    file (GET/HEAD/POST/OPTIONS as Apache's).
 *   log_transaction  every module, once per request, after the response.
 *
 * A hook returns DECLINED, OK, or an HTTP status (>= 300 ends processing
 * and the core answers with that error, honouring ErrorDocument).  A
 * module that must redirect sets the Location header in r->headers_out and
 * returns 301/302... (the core builds Apache's redirect body).
 *
 * Memory: everything hanging off a request lives in r->arena, which the
 * engine resets and reuses for the next request on the connection.  Header
 * tables are arrays that grow by doubling (no allocation per header);
 * headers_in entries point into the connection's input buffer.
 *
 * Strings are NUL-terminated.  Header names compare case-insensitively.
 */
#ifndef HTTPD_REQUEST_H
#define HTTPD_REQUEST_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "module.h"
#include "mpm.h"

/* ---- header tables (headers_in/out, notes, subprocess_env) ---------- */

typedef struct req_header {
    const char *name;
    const char *value;
} req_header;

typedef struct req_table {
    req_header *v;
    int n; /* entries in use (unset entries are removed, order kept) */
    int cap;
} req_table;

/* First value for name, or NULL. */
const char *req_table_get(const req_table *t, const char *name);
/* Append an entry even if name exists (Header add). */
void req_table_add(arena *a, req_table *t, const char *name, const char *value);
/* Replace every entry for name by one (Header set). */
void req_table_set(arena *a, req_table *t, const char *name, const char *value);
/* Remove every entry for name (Header unset). */
void req_table_unset(req_table *t, const char *name);
/* Append ", value" to the existing value, or set it (Header append). */
void req_table_append(arena *a, req_table *t, const char *name,
                      const char *value);
/* Like append, unless value is already one of the comma-separated tokens
 * (Header merge). */
void req_table_merge(arena *a, req_table *t, const char *name,
                     const char *value);
/* The next item of a comma-separated field as Apache's ap_get_list_item()
 * gives it (lower-cased outside quotes and comments), NULL at the end. */
char *http_next_list_item(arena *a, const char **field);
/* Remove everything. */
void req_table_clear(req_table *t);

/* ---- the connection, as the request sees it ------------------------- */

typedef struct conn_info {
    struct sockaddr_storage peer;  /* client address */
    struct sockaddr_storage local; /* our address (getsockname) */
    char peer_ip[64];              /* "127.0.0.1", "::1" (%a %h) */
    int peer_port;
    char local_ip[64]; /* %A */
    int local_port;    /* %p */
    const mpm_listener *listener;
    unsigned long id;          /* connection number in this process */
    unsigned keepalives;       /* requests served before this one (%k) */
    int remote_host_looked_up; /* a double-reverse lookup was made
                                * ("Require host"): %h then logs
                                * remote_host when it is not empty */
    char remote_host[256];
    /* HostnameLookups On/Double: the reverse lookup %h made (once per
     * connection, as Apache's ap_get_remote_host), "" when it failed (or,
     * with Double, did not map back to the address) */
    int remote_name_looked_up;
    char remote_name[256];
    int aborted;        /* client went away mid-response */
    unsigned log_lines; /* error-log lines written for it */
    char log_id[16];    /* %{c}L, made once a line was logged */
    /* Apache's c->keepalives (keep-alives granted, a 416 counting twice)
     * and c->keepalive after the last answer: %k and %X read them when
     * the access-log line is written */
    unsigned ka_granted;
    int ka_kept;
    /* The engine sets hold_log for a request whose answer Apache keeps
     * buffered (a pipelined request follows and no file body went out):
     * Apache logs it when its output is written, with the connection as
     * it is then.  mod_log_config keeps such lines in log_held. */
    int hold_log;
    void *log_held;
} conn_info;

/* ---- methods --------------------------------------------------------- */

/* Apache's method numbers; HEAD is M_GET with r->header_only set. */
enum req_method {
    M_GET = 0,
    M_PUT,
    M_POST,
    M_DELETE,
    M_CONNECT,
    M_OPTIONS,
    M_TRACE,
    M_PATCH,
    M_PROPFIND,
    M_PROPPATCH,
    M_MKCOL,
    M_COPY,
    M_MOVE,
    M_LOCK,
    M_UNLOCK,
    M_VERSION_CONTROL,
    M_CHECKOUT,
    M_UNCHECKOUT,
    M_CHECKIN,
    M_UPDATE,
    M_LABEL,
    M_REPORT,
    M_MKWORKSPACE,
    M_MKACTIVITY,
    M_BASELINE_CONTROL,
    M_MERGE,
    M_INVALID
};

/* Method token -> number (M_INVALID when unknown); "HEAD" gives M_GET. */
int req_method_number(const char *name);

/* ---- the request ----------------------------------------------------- */

typedef struct request request;

struct request {
    arena *arena; /* per request; reset by the engine */
    conn_info *connection;
    resolved_config *rc; /* the generation serving it */
    server_conf *server; /* the selected (virtual) server */
    void *engine;        /* the http_conn (opaque to modules) */

    /* Request line, as received. */
    const char *the_request; /* "GET /x?y HTTP/1.1" (%r) */
    const char *method;      /* "GET", "HEAD"... (%m) */
    int method_number;       /* enum req_method */
    int header_only;         /* HEAD */
    const char *protocol;    /* "HTTP/1.1", "HTTP/0.9" (%H) */
    int proto_num;           /* 1001 for HTTP/1.1, 9 for 0.9 */
    int assbackwards;        /* HTTP/0.9: no status line, no headers */
    int no_cache;            /* Apache's r->no_cache: "Expires: <Date>"
                              * unless the answer has an Expires */
    int head_refused;        /* refused while its head was read: the
                              * connection's base server answers */

    /* The URI. */
    const char *unparsed_uri; /* as sent: "/a%20b?x=1" or absolute form */
    const char *uri;          /* decoded, dot-segments removed (%U) */
    const char *args;         /* after '?', undecoded, or NULL (%q) */
    const char *hostname;     /* from the absolute URI or Host, no port,
                               * lower case; NULL if none */
    int parsed_port;          /* port of the absolute URI/Host, 0 none,
                               * -1 a port of 0 */

    /* Headers. */
    req_table headers_in;
    req_table headers_out;     /* sent with 2xx/3xx responses */
    req_table err_headers_out; /* sent with every response, errors too */
    req_table subprocess_env;  /* environment for env= conditions */
    req_table notes;           /* between modules */

    /* Response. */
    int status;                    /* HTTP status; 200 until changed */
    const char *status_line;       /* NULL: the standard reason phrase */
    const char *content_type;      /* "text/html; charset=UTF-8" or NULL */
    const char *content_encoding;  /* AddEncoding result or NULL */
    const char *content_languages; /* "en, fr" or NULL */
    const char *handler;           /* r->handler as in Apache or NULL */
    int no_body;                   /* set for 204/304 and HEAD */

    /* Authentication (mod_auth_basic): the user name sent, set before
     * its password is checked (%u, REMOTE_USER), and the scheme. */
    const char *user;
    const char *ap_auth_type;

    /* Mapping. */
    const char *filename; /* the file the URI maps to */
    const char *canonical_filename;
    const char *path_info; /* trailing path after the file, or "" */
    struct stat finfo;     /* valid when finfo_valid */
    int finfo_valid;       /* 0: the file does not exist */
    int used_path_info;    /* -1 default, 0 off, 1 on */
    void **per_dir_config; /* merged per-module dir configs */

    /* Request body. */
    int64_t remaining; /* Content-Length still to read, or -1 */
    int chunked;
    int expecting_100;

    /* Accounting. */
    int64_t bytes_sent;      /* body bytes (%B %b) */
    int64_t header_bytes_in; /* request head size (%I part) */
    int64_t request_time_us; /* when the request line arrived
                              * (CLOCK_REALTIME, microseconds; %t %D) */
    int64_t body_bytes_in;

    /* Internal redirects (ErrorDocument, DirectoryIndex, FallbackResource):
     * the new request is chained after the one it replaces. */
    request *prev;
    request *next;
    request *main;               /* set for sub-requests (lookups) */
    int is_subrequest;           /* 2: a directory entry's lookup
                                  * (request_lookup_file) */
    int redirect_count;          /* bounded: 10, as Apache */
    uint64_t walk_sig;           /* which sections the walk merged: an
                                  * internal redirect to the same ones
                                  * skips the access check (Apache) */
    const char *walk_dir;        /* the directory the walk went down */
    const char *walk_rx_subject; /* what its <DirectoryMatch> sections
                                  * were matched against */
    struct ht_cached *htaccess;  /* access files read by this chain
                                  * (on its first request; request.c) */
    request *failed_redirect;    /* an ErrorDocument that failed: r
                                  * answers, the log shows this one */

    int access_satisfied;      /* Satisfy any: Allow/Deny let it in,
                                * Require is not asked */
    int satisfy_any;           /* Satisfy any applies (Apache's
                                * ap_satisfies(): AH00028, not 00027) */
    int keepalive;             /* engine: keep the connection open */
    int error_in_progress;     /* while an error response is built */
    int sent_headers;          /* response head already written */
    int http_unsafe;           /* HttpProtocolOptions Unsafe */
    int handler_reached;       /* the handler phase ran: Apache's
                                * default handler reads (discards) the
                                * body before it answers */
    int error_response;        /* the body is the core's error page
                                * (Apache's ap_send_error_response):
                                * only "Header always" applies */
    int unfiltered;            /* TRACE: Apache writes it past every
                                * output filter (no Header at all) */
    unsigned log_lines_before; /* conn_info.log_lines when it began */
    struct log_held *log_held; /* error-log lines held back (first
                                * request of a chain; see log_hold()) */
    int log_holding;
    const char *log_id;                /* %L, made when a line was logged */
    int fast_redirect;                 /* made by request_internal_redirect()
                                        * (mod_dir's, Apache's fast redirect) */
    int path_refused;                  /* 400 or 404: the path failed to
                                        * normalise or decode (logged as
                                        * AH10244 / AH00026 once the server
                                        * is known) */
    int scheme_refused;                /* ... the 400 of an absolute URI
                                        * of another scheme (not logged) */
    const char *vlist_validator;       /* a negotiated answer's variant list
                                        * validator (an ETag), merged into its
                                        * ETag; kept across internal redirects
                                        * as Apache's */
    struct req_filter *output_filters; /* named for this answer, in order
                                        * (request_add_output_filter) */
    int range_not_satisfiable;         /* the 416 came from the byterange
                                        * filter: Apache decided keep-alive for
                                        * the 200 first (counted twice) */
};

/* ---- helpers for modules -------------------------------------------- */

/* Response header (headers_out). */
void request_set_header(request *r, const char *name, const char *value);
/* Request header (headers_in); NULL if absent. */
const char *request_get_header(const request *r, const char *name);

/* Content-Type helper: sets r->content_type (copied). */
void request_set_content_type(request *r, const char *type);

/* Append body bytes to the response (buffered in the arena; the engine adds
 * Content-Length and sends headers then body).  Safe on HEAD: nothing is
 * sent.  Returns 0, or -1 if the client has gone. */
int request_write(request *r, const void *buf, size_t len);
int request_puts(request *r, const char *s);
int request_printf(request *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Send a file's bytes [offset, offset+len) as the body (sendfile when
 * EnableSendfile is On).  The fd stays owned by the caller's cleanup
 * (register it on r->arena). */
int request_send_file(request *r, int fd, int64_t offset, int64_t len);

/* ---- output filters (core/http_filter.c) ---------------------------- */

/* Name an output filter for r's answer (ap_add_output_filter): a name
 * no module provides is logged and skipped, as Apache's; a filter
 * already named is not added twice. */
void request_add_output_filter(request *r, const char *name);
/* Each ';'-separated name of list (SetOutputFilter, AddOutputFilter). */
void request_add_output_filters(request *r, const char *list);
/* A filter a module makes up for r (mod_filter's smart filters): run(r,
 * ctx) over the body, in its place among the others by type
 * (OUTPUT_FILTER_*, module.h). */
void request_add_output_filter_fn(request *r, int type,
                                  void (*run)(request *r, void *ctx),
                                  void *ctx);

/* What a filter sees of the body the handler left: its length, whether
 * it reached the filters whole (in one piece with its end, as a file
 * does; a generator that passed part of it on early did not), its bytes
 * in order (fn returns nonzero to stop; -1 on a read error) and a
 * replacement for it.  streamed: the filter passed part of its output on
 * before the end (Apache's filters then leave no Content-Length and no
 * byte ranges). */
int64_t request_body_length(request *r);
int request_body_whole(request *r);
int request_body_read(request *r, int (*fn)(void *ctx, const char *p, size_t n),
                      void *ctx);
void request_body_replace(request *r, char *mem, size_t len, int streamed);

/* For a filter that goes on producing as the answer is written: a
 * snapshot of the body as it is now, read piece by piece (bytes, 0 at its
 * end, -1 on a read error), and the replacement: first[0..len), then
 * what more() gives each time the bytes before are written (*p and the
 * count; 0 at the end; -1 aborts the connection).  The answer has no
 * Content-Length and no ranges (chunked, or ended by the close); on HEAD
 * more() is not called.  A later filter's source reads on through an
 * earlier one's more(). */
typedef struct request_body_src {
    const char *mem;
    size_t mem_len;
    int fd;
    int64_t off, len;
    /* a filter before this one that goes on producing: its more() */
    ssize_t (*more)(void *ctx, const char **p);
    void *more_ctx;
} request_body_src;
void request_body_source(request *r, request_body_src *src);
ssize_t request_body_src_read(request_body_src *src, char *buf, size_t n);
void request_body_stream(request *r, char *first, size_t len,
                         ssize_t (*more)(void *ctx, const char **p), void *ctx);

/* Produce Apache's error response for status (ErrorDocument honoured,
 * err_headers_out kept).  Called by the core when a hook returns an error;
 * a handler may call it and then return OK. */
void request_send_error(request *r, int status);
/* TraceEnable for r's server: 0 off, 1 on, 2 extended. */
int request_trace_mode(const request *r);

/* Restart processing with a new local URI ("/index.html?x") in a new
 * request chained to r (r->next).  Used for DirectoryIndex, ErrorDocument
 * and FallbackResource.  The status of the new request is the response. */
void request_internal_redirect(request *r, const char *new_uri);
/* Apache's ap_internal_redirect() (mod_negotiation's type maps): the new
 * request is read again (post_read_request) and starts without r's
 * headers_out; err_headers_out and the variant list validator carry
 * over. */
void request_internal_redirect_full(request *r, const char *new_uri);
/* ErrorDocument form: the new request keeps r's status and its
 * method becomes GET (Apache's REDIRECT_STATUS semantics). */
void request_internal_error_redirect(request *r, const char *new_uri,
                                     int status);

/* Sub-requests (mod_dir, mod_autoindex): run translate_name ..
 * type_checker (no handler) for a URI relative to r, or for a file in
 * r's directory (dirent).  The result's status is 200 (exists and allowed),
 * 404, 403...; it lives in r->arena. */
request *request_lookup_uri(request *r, const char *uri);
request *request_lookup_file(request *r, const char *filename);

/* ServerSignature's line (Apache's ap_psignature(prefix, r)): "" when
 * Off, else prefix + "<address>... Server at NAME Port N</address>\n". */
const char *http_signature(request *r, const char *prefix);

/* Apache's ap_make_etag() for r->finfo per FileETag, or NULL (None);
 * with r->vlist_validator, the structured tag of a negotiated answer.
 * Without a file (finfo_valid 0) the tag is finfo's mtime alone. */
const char *http_make_etag(request *r);

/* When this server was built, "2026-11-25T21:50:00" (ap_get_server_built). */
const char *http_server_built(void);

/* Apache's reason phrase for a status ("Not Found"); NULL if unknown. */
const char *http_reason_phrase(int status);
/* Apache's status line: "404 Not Found". */
const char *http_status_line(int status);

/* Escape text for HTML (&<>"), as ap_escape_html. */
char *req_escape_html(arena *a, const char *s);
/* Escape a path for a URL (ap_escape_uri / ap_os_escape_path). */
char *req_escape_uri(arena *a, const char *path);
/* "Tue, 15 Nov 1994 08:12:31 GMT" for t; the engine's cached Date. */
void http_format_date(char buf[32], time_t t);
/* Parse an HTTP date (RFC 1123, 850, asctime); -1 if invalid. */
time_t http_parse_date(const char *s);

/* TypesConfig: extension (without the dot, any case) -> type, from the
 * generation's rc->types_config file, loaded once per generation and
 * cached.  NULL when unknown. */
const char *mime_types_lookup(resolved_config *rc, const char *ext);

/* Run the whole hook sequence and the response for a parsed request head.
 * Used by the engine; exposed for tests. */
void request_process(request *r);

/* The server's effective per-dir config for a request before the walk
 * (the vhost's lookup_defaults). */
void **request_server_dir_config(const request *r);

#endif
