/* http_proto.h -- the HTTP/1.1 wire format, inside the engine.
 *
 * Pure functions over byte buffers, so they can be tested and fuzzed
 * without sockets:
 *   - http_scan_head(): incremental request-head scanner.  It is fed the
 *     bytes received so far and validates every line as soon as it is
 *     complete (request line, then each header line), in the order Apache
 *     2.4 does with HttpProtocolOptions Strict, enforcing LimitRequestLine,
 *     LimitRequestFieldSize and LimitRequestFields.  It records offsets, so
 *     nothing is allocated per header.
 *   - http_head_finish(): turns a scanned head into a struct request (one
 *     copy of the head into the request arena, NULs written in place).
 *   - URI, Host, Content-Length and chunked-body parsing.
 * Errors are HTTP statuses (400, 414, 501...) with Apache's error note.
 */
#ifndef HTTPD_HTTP_PROTO_H
#define HTTPD_HTTP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "request.h"

#define HTTP_SCAN_MORE 0 /* need more bytes */
#define HTTP_SCAN_DONE 1 /* head complete: scan->head_len bytes */
/* any other return value is an HTTP error status */

typedef struct http_field {
    uint32_t line_off; /* start of the (first) line of this field */
    uint32_t name_len;
    uint32_t val_off; /* value start (after OWS) */
    uint32_t val_len; /* value length (trailing OWS removed) */
    uint32_t end_off; /* end of the last line (at its CR), for folding */
    uint8_t folded;   /* continued over obs-fold lines */
} http_field;

typedef struct http_limits {
    int line;      /* LimitRequestLine */
    int fieldsize; /* LimitRequestFieldSize */
    int fields;    /* LimitRequestFields (0 = unlimited) */
    int flags;     /* HttpProtocolOptions: HTTP_LIM_* */
} http_limits;

#define HTTP_LIM_UNSAFE 1     /* Unsafe: bare LF, lenient words and fields */
#define HTTP_LIM_REGISTERED 2 /* RegisteredMethods: others are 501 */
#define HTTP_LIM_REQUIRE10 4  /* Require1.0: no HTTP/0.9 */

enum http_scan_state { SCAN_REQLINE, SCAN_HEADERS, SCAN_DONE };

typedef struct http_scan {
    enum http_scan_state state;
    size_t pos;         /* bytes already examined */
    size_t line_start;  /* start of the line being scanned */
    size_t req_start;   /* start of the request line (after blank lines) */
    int blank_lines;    /* CRLFs skipped before the request line */
    int blank_overflow; /* refused for too many of them */

    /* request line (offsets from the buffer start) */
    uint32_t method_off, method_len;
    uint32_t uri_off, uri_len;
    uint32_t proto_off, proto_len;
    int proto_num; /* 1000*major + minor; 9 for HTTP/0.9 */

    http_field *fields; /* caller-provided array, reused */
    int nfields, cap;   /* entries, capacity */
    int nlines;         /* header lines counted against LimitRequestFields */
    int pending;        /* fields[nfields] holds a field not yet checked */
    size_t pending_len; /* its length as Apache measures folded lines */
    size_t head_len;    /* HTTP_SCAN_DONE: bytes of the head */
    const char *note;   /* error-notes text for the error page, or NULL */
    /* the field refused for LimitRequestFieldSize (what AH00561/AH00562
     * name): its offset and the bytes Apache would have read of it */
    uint32_t big_off, big_len;
    int big_folded; /* too long once its continuation lines joined */
    int flags;      /* the limits' flags (HTTP_LIM_*) */
    int line_error; /* the request line could not be read (bare LF,
                     * NUL, too long): not even its method counts,
                     * so a HEAD gets an error body */
} http_scan;

/* The error note of a head refused for LimitRequestFields (the log
 * names it: AH00563), and of one refused for LimitRequestFieldSize
 * (AH00561/AH00562, naming scan->big_*). */
extern const char http_note_field_count[];
extern const char http_note_field_size[];

/* Start scanning a new request.  fields must hold at least `cap` entries
 * (LimitRequestFields + 1 is always enough; 0 fields means "grow": the
 * caller then passes a large array). */
void http_scan_init(http_scan *s, http_field *fields, int cap);

/* Scan buf[0..len) (the same buffer, growing, between calls). */
int http_scan_head(http_scan *s, const char *buf, size_t len,
                   const http_limits *lim);

/* Fill r's request-line and headers_in from a completed scan: copies
 * buf[0..head_len) into r->arena once; values point into the copy.
 * Returns 0, or an HTTP error status (with *note set) for errors found
 * only when the head is complete (Host rules, URI form...). */
int http_head_finish(request *r, const http_scan *s, const char *buf,
                     const char **note);

/* A head the scanner refused with status: fill what Apache's log shows
 * of it (%r %m %U %q %H) from the bytes buf[0..len) it scanned. */
void http_head_partial(request *r, const http_scan *s, const char *buf,
                       size_t len, int status, const http_limits *lim);

/* The authority of an absolute-form target as sent ("Host:81"). */
const char *http_absolute_authority(request *r);

/* r->uri and r->args from r->unparsed_uri as sent (not decoded): what
 * Apache logs for a request refused before its URI was normalised. */
void http_raw_target(request *r);
/* The path of the request line as sent (absolute form: its path; no
 * query; not decoded, dot segments kept): Apache's r->uri before its
 * request processing decodes it, as post_read_request hooks see it.
 * *args, if given, gets the query or NULL. */
const char *http_raw_path(request *r, const char **args);

/* The request-target checks Apache makes on the request line itself,
 * before any header is read (apr_uri_parse() and the strict rules): a
 * target that does not parse as a URI, a path not starting with '/'
 * (but OPTIONS *), a fragment, userinfo; for CONNECT, host:port.
 * 0 or 400. */
int http_check_target_form(const char *t, size_t len, int is_options,
                           int is_connect, int strict);

/* Request-target: fills r->uri (decoded, normalised), r->args,
 * r->hostname/parsed_port for absolute-form.  0, or 400/404. */
int http_parse_target(request *r, const char *target);

/* Apache's hostname check (fix_hostname + strict check); on success sets
 * *host (lower case, trailing dot dropped, in a) and *port (0 if none). */
int http_check_host(arena *a, const char *value, const char **host, int *port);
/* The same; lenient (HttpProtocolOptions Unsafe) skips the strict name
 * rules (letters, digits, '-', '_', '.'; dotted quads). */
int http_check_host_ex(arena *a, const char *value, const char **host,
                       int *port, int lenient);

/* Percent-decode and remove dot segments from a path, as Apache's
 * ap_normalize_path + ap_unescape_url: returns 0, 400 (bad escape, climbs
 * above the root) or 404 (encoded slash or NUL).  path is rewritten in
 * place (result is never longer). */
int http_normalize_path(char *path, int merge_slashes);

/* Content-Length: strict digits only; -1 if invalid. */
int64_t http_parse_content_length(const char *v);

/* Chunked request body decoder. */
enum chunk_state {
    CHUNK_SIZE,
    CHUNK_EXT,
    CHUNK_SIZE_LF,
    CHUNK_DATA,
    CHUNK_DATA_CR,
    CHUNK_DATA_LF,
    CHUNK_TRAILER,
    CHUNK_TRAILER_LF,
    CHUNK_DONE
};
typedef struct http_chunk {
    enum chunk_state state;
    int64_t size; /* current chunk size / bytes left in it */
    int ndigits;
    int ext_quote;      /* inside a quoted chunk-ext string: 1, after \: 2 */
    int trailer_len;    /* length of the trailer line so far */
    int trailer_colon;  /* trailer line has a ':' */
    int trailer_cont;   /* trailer line is a continuation (obs-fold) */
    int trailer_field;  /* a trailer field has been read */
    int trailer_fields; /* trailer fields counted against max_fields */
    int max_fields; /* LimitRequestFields (0 = unlimited): set by the caller */
    int unsafe;     /* HttpProtocolOptions Unsafe: set by the caller */
    int64_t total;  /* data bytes decoded */
    /* set by the caller to see the data (TRACE extended echoes it): each
     * run of decoded bytes as it is consumed */
    void (*on_data)(void *ctx, const char *p, size_t n);
    void *on_data_ctx;
    /* why the trailer was refused (the log says it), and the first bytes
     * of its line (what AH00561 names) */
    enum {
        CHUNK_TRAILER_BAD = 1,
        CHUNK_TRAILER_TOO_LONG,
        CHUNK_TRAILER_TOO_MANY
    } trailer_error;
    char trailer_head[81];
} http_chunk;

/* Consume in[0..len): returns bytes consumed (all of them unless the
 * body ends), or -status on error (400 malformed, 413 too large).
 * Data bytes are counted, not copied (bodies of static requests are
 * discarded); *data_bytes gets the decoded count of this call. */
long http_chunk_feed(http_chunk *c, const char *in, size_t len,
                     int64_t *data_bytes, int trailer_limit);

/* RFC 9110 tchar (a field-name or method character) */
int http_is_tchar(unsigned char c);

#endif
