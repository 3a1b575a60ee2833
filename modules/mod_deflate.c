/* mod_deflate.c -- the DEFLATE output filter (gzip content coding of
 * answers) and the INFLATE output filter (gzip answers decoded, below), as
 * Apache 2.4's mod_deflate.  No input filter: the DeflateInflate*
 * directives are checked and kept; their ratio settings serve INFLATE.
 *
 * Decided as apache2 decides (measured, tests/integration/test_deflate.py):
 *  - a body that reached the filter whole and is shorter than 69 bytes
 *    (empty ones, a 304's) is left alone, without Vary;
 *  - so is a 204, an answer with Content-Range, one whose environment
 *    has no-gzip, one not text/html when gzip-only-text/html is "1", and
 *    one already encoded (Content-Encoding or AddEncoding other than
 *    identity, 7bit, 8bit, binary);
 *  - otherwise "Vary: Accept-Encoding" is merged in, and, unless
 *    force-gzip is set, the request's Accept-Encoding must name gzip
 *    (any case, not x-gzip) whose first parameter is not q=0 (the
 *    parameter compared as apache2 does: a prefix of "q=0.000" of three
 *    characters or more);
 *  - then Content-Length and Content-MD5 go, the ETag gets "-gzip" before
 *    its closing quote (DeflateAlterETag), Content-Encoding: gzip is
 *    added, and the body is a gzip member: apache2's 10-byte header, a
 *    raw deflate stream (DeflateCompressionLevel, DeflateWindowSize,
 *    DeflateMemLevel, compressed with no flush until the end), CRC-32 and
 *    length.  Apache passes its output on each time its DeflateBufferSize
 *    buffer fills while input remains: then the answer has no
 *    Content-Length (chunked, or the close on HTTP/1.0) and no ranges,
 *    and here the rest is compressed as the answer is written, a buffer
 *    at a time (memory stays bounded whatever the file's size);
 *    otherwise it reaches the byterange and content-length filters whole.
 *  - HEAD is compressed like GET, for the length.
 *
 * Per server, as Apache's, which has no merge: a vhost with no Deflate
 * directive shares the main server's settings, one with any (a
 * DeflateInflate* one too) starts from the defaults. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "log.h"
#include "mod_util.h"
#include "request.h"

module deflate_module;

enum { ETAG_ADD_SUFFIX = 1, ETAG_NO_CHANGE, ETAG_REMOVE };

/* apache2 leaves a whole body shorter than this alone */
#define DEFLATE_MIN_LENGTH 69

typedef struct deflate_conf {
    int level, buffer_size, mem_level, window_bits, etag; /* UNSET or a value */
    const char *note_input, *note_output, *note_ratio;
} deflate_conf;

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    deflate_conf *c = arena_calloc(a, sizeof(*c));
    c->level = c->buffer_size = c->mem_level = c->window_bits = c->etag = UNSET;
    return c;
}

static void *merge_server(arena *a, void *basev, void *addv)
{
    (void)a;
    (void)basev;
    return addv;
}

static int or_default(int v, int def)
{
    return v == UNSET ? def : v;
}

/* ---- directives --------------------------------------------------------- */

static deflate_conf *server_conf_of(cmd_parms *cmd)
{
    return conf_server_config(cmd, &deflate_module);
}

static const char *cmd_level(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)mconfig, (void)argc;
    int v = atoi(argv[0]);
    if (v < 1 || v > 9)
        return "Compression Level must be between 1 and 9";
    server_conf_of(cmd)->level = v;
    return NULL;
}

static const char *cmd_buffer_size(cmd_parms *cmd, void *mconfig, int argc,
                                   char *const argv[])
{
    (void)mconfig, (void)argc;
    int v = atoi(argv[0]);
    if (v <= 0)
        return "DeflateBufferSize should be positive";
    server_conf_of(cmd)->buffer_size = v;
    return NULL;
}

static const char *cmd_mem_level(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    (void)mconfig, (void)argc;
    int v = atoi(argv[0]);
    if (v < 1 || v > 9)
        return "DeflateMemLevel must be between 1 and 9";
    server_conf_of(cmd)->mem_level = v;
    return NULL;
}

static const char *cmd_window_size(cmd_parms *cmd, void *mconfig, int argc,
                                   char *const argv[])
{
    (void)mconfig, (void)argc;
    int v = atoi(argv[0]);
    if (v < 1 || v > 15)
        return "DeflateWindowSize must be between 1 and 15";
    server_conf_of(cmd)->window_bits = v;
    return NULL;
}

static const char *cmd_filter_note(cmd_parms *cmd, void *mconfig, int argc,
                                   char *const argv[])
{
    (void)mconfig;
    deflate_conf *c = server_conf_of(cmd);
    const char *name = arena_strdup(cmd->arena, argv[argc - 1]);
    if (argc == 1 || strcasecmp(argv[0], "ratio") == 0)
        c->note_ratio = name;
    else if (strcasecmp(argv[0], "input") == 0)
        c->note_input = name;
    else if (strcasecmp(argv[0], "output") == 0)
        c->note_output = name;
    else
        return arena_printf(cmd->temp, "Unknown note type %s", argv[0]);
    return NULL;
}

static const char *cmd_alter_etag(cmd_parms *cmd, void *mconfig, int argc,
                                  char *const argv[])
{
    (void)mconfig, (void)argc;
    int v;
    if (strcasecmp(argv[0], "NoChange") == 0)
        v = ETAG_NO_CHANGE;
    else if (strcasecmp(argv[0], "AddSuffix") == 0)
        v = ETAG_ADD_SUFFIX;
    else if (strcasecmp(argv[0], "Remove") == 0)
        v = ETAG_REMOVE;
    else
        return "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and "
               "'Remove'";
    server_conf_of(cmd)->etag = v;
    return NULL;
}

/* The DeflateInflate* settings, per directory.  As Apache's: no merge,
 * the innermost scope naming any of them has all three (the others at
 * their defaults). */
typedef struct inflate_conf {
    int64_t limit; /* 0: LimitRequestBody's */
    int ratio_limit, ratio_burst;
} inflate_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    inflate_conf *c = arena_calloc(a, sizeof(*c));
    c->ratio_limit = 200;
    c->ratio_burst = 3;
    return c;
}

/* Apache's directive calls make the module's server settings of the
 * virtual host too: a vhost naming one starts from the defaults. */
static void touch_server_conf(cmd_parms *cmd)
{
    if (!cmd->in_htaccess)
        (void)server_conf_of(cmd);
}

static const char *cmd_inflate_limit(cmd_parms *cmd, void *mconfig, int argc,
                                     char *const argv[])
{
    (void)argc;
    const char *a = argv[0];
    touch_server_conf(cmd);
    size_t digits = strspn(a, "0123456789");
    if (digits == 0 || a[digits] != '\0')
        return "DeflateInflateLimitRequestBody requires a non-negative "
               "integer.";
    errno = 0;
    long long v = strtoll(a, NULL, 10);
    if (errno == ERANGE)
        return "DeflateInflateLimitRequestBody is not parsable.";
    ((inflate_conf *)mconfig)->limit = v;
    return NULL;
}

static const char *cmd_inflate_ratio(cmd_parms *cmd, void *mconfig, int argc,
                                     char *const argv[])
{
    (void)argc;
    int v = atoi(argv[0]);
    touch_server_conf(cmd);
    int burst = strcmp(cmd->cmd->name, "DeflateInflateRatioBurst") == 0;
    if (v <= 0)
        return burst ? "DeflateInflateRatioBurst must be positive"
                     : "DeflateInflateRatioLimit must be positive";
    if (burst)
        ((inflate_conf *)mconfig)->ratio_burst = v;
    else
        ((inflate_conf *)mconfig)->ratio_limit = v;
    return NULL;
}

/* ---- the decision ------------------------------------------------------- */

/* Apache's ap_get_token(): a word up to ';' or ',' (or white space unless
 * accept_white), quoted strings kept whole; *line moves past the white
 * space after it.  Returns its length; *start its beginning. */
static size_t get_token(const char **line, int accept_white, const char **start)
{
    const char *p = *line;
    while (*p == ' ' || *p == '\t')
        p++;
    *start = p;
    while (*p && (accept_white || (*p != ' ' && *p != '\t')) && *p != ';' &&
           *p != ',') {
        if (*p++ == '"')
            while (*p)
                if (*p++ == '"')
                    break;
    }
    size_t n = (size_t)(p - *start);
    while (*p == ' ' || *p == '\t')
        p++;
    *line = p;
    return n;
}

/* The client takes gzip: mod_deflate's walk over Accept-Encoding. */
static int accepts_gzip(const char *accepts)
{
    const char *tok;
    size_t n = get_token(&accepts, 0, &tok);
    while (n > 0 && !(n == 4 && strncasecmp(tok, "gzip", 4) == 0)) {
        while (*accepts == ';') {
            accepts++;
            const char *skip;
            get_token(&accepts, 1, &skip);
        }
        if (*accepts == ',')
            accepts++;
        if (*accepts == '\0')
            return 0;
        n = get_token(&accepts, 0, &tok);
    }
    if (n == 0)
        return 0;
    if (*accepts) {
        while (*accepts == ';')
            accepts++;
        const char *q;
        size_t qn = get_token(&accepts, 1, &q);
        if (qn >= 3 && qn <= 7 && strncmp("q=0.000", q, qn) == 0)
            return 0;
    }
    return 1;
}

/* Every token of an encoding list is one that leaves the body as it is. */
static int only_identity(const char *list)
{
    for (const char *p = list; *p;) {
        const char *tok;
        size_t n = get_token(&p, 0, &tok);
        if (n > 0 && !((n == 8 && strncmp(tok, "identity", 8) == 0) ||
                       (n == 4 && strncmp(tok, "7bit", 4) == 0) ||
                       (n == 4 && strncmp(tok, "8bit", 4) == 0) ||
                       (n == 6 && strncmp(tok, "binary", 6) == 0)))
            return 0;
        if (*p)
            p++;
    }
    return 1;
}

static int already_encoded(request *r)
{
    const char *e[3] = {req_table_get(&r->headers_out, "Content-Encoding"),
                        req_table_get(&r->err_headers_out, "Content-Encoding"),
                        r->content_encoding};
    for (int i = 0; i < 3; i++)
        if (e[i] != NULL && !only_identity(e[i]))
            return 1;
    return 0;
}

static int wanted(request *r)
{
    int64_t len = request_body_length(r);
    if (request_body_whole(r) && len < DEFLATE_MIN_LENGTH)
        return 0;
    if (r->status == 204 ||
        req_table_get(&r->headers_out, "Content-Range") != NULL)
        return 0;
    const req_table *env = &r->subprocess_env;
    if (req_table_get(env, "no-gzip") != NULL)
        return 0;
    const char *only_html = req_table_get(env, "gzip-only-text/html");
    if (only_html != NULL && strcmp(only_html, "1") == 0 &&
        (r->content_type == NULL ||
         strncmp(r->content_type, "text/html", 9) != 0))
        return 0;
    if (already_encoded(r))
        return 0;
    /* whether it compresses or not, the answer depends on the header */
    req_table_merge(r->arena, &r->headers_out, "Vary", "Accept-Encoding");
    if (req_table_get(env, "force-gzip") != NULL)
        return 1;
    const char *accepts = req_table_get(&r->headers_in, "Accept-Encoding");
    return accepts != NULL && accepts_gzip(accepts);
}

static void alter_etag(request *r, int opt, const char *suffix)
{
    if (opt == ETAG_REMOVE) {
        req_table_unset(&r->headers_out, "ETag");
        return;
    }
    const char *etag = req_table_get(&r->headers_out, "ETag");
    size_t n = etag ? strlen(etag) : 0;
    /* as apache2, only a tag that ends in its quote: a negotiated
     * variant's structured tag ("tag;vlist, no closing quote) is left */
    if (opt != ETAG_ADD_SUFFIX || n <= 2 || etag[n - 1] != '"')
        return;
    /* the suffix before the closing quote */
    size_t sn = strlen(suffix);
    char *t = arena_alloc(r->arena, n + sn + 1);
    memcpy(t, etag, n - 1);
    memcpy(t + n - 1, suffix, sn);
    t[n - 1 + sn] = etag[n - 1];
    t[n + sn] = '\0';
    request_set_header(r, "ETag", t);
}

/* ---- compressors kept for the next answer --------------------------------
 *
 * deflateInit2() allocates some 390 KiB (memory level 9) and deflateEnd()
 * frees it; each answer did both.  A thread keeps the last compressor it
 * finished with and the next answer resets it (deflateReset(): the same
 * state as a new one, so the same bytes).  The compressor belongs to one
 * answer at a time: taken from the slot of the thread that starts the
 * answer, given back to the slot of the thread that finishes the stream
 * (or, for one left unfinished, HEAD or an error, runs its request's
 * cleanup); an event MPM answer written in turns may end on another
 * thread, the handover being the MPM's, through its queue.  A thread's
 * is freed when the thread ends.  deflateReset() keeps next_in/avail_in:
 * they are cleared, or an unfinished answer's input would be read again. */

typedef struct deflater {
    z_stream z;
    int level, window_bits, mem_level;
} deflater;

static pthread_key_t idle_key;
static pthread_once_t idle_once = PTHREAD_ONCE_INIT;
static int idle_key_made;

static void deflater_free(void *p)
{
    deflater *d = p;
    deflateEnd(&d->z);
    free(d);
}

static void make_idle_key(void)
{
    idle_key_made = pthread_key_create(&idle_key, deflater_free) == 0;
}

static deflater *deflater_get(int level, int window_bits, int mem_level)
{
    pthread_once(&idle_once, make_idle_key);
    deflater *d = idle_key_made ? pthread_getspecific(idle_key) : NULL;
    if (d != NULL) {
        pthread_setspecific(idle_key, NULL);
        if (d->level == level && d->window_bits == window_bits &&
            d->mem_level == mem_level && deflateReset(&d->z) == Z_OK) {
            /* deflateReset() leaves these: an answer left unfinished
             * (HEAD) would have its input read again */
            d->z.next_in = NULL;
            d->z.avail_in = 0;
            return d;
        }
        deflater_free(d); /* another configuration's */
    }
    d = calloc(1, sizeof(*d));
    if (d == NULL)
        return NULL;
    if (deflateInit2(&d->z, level, Z_DEFLATED, -window_bits, mem_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        free(d);
        return NULL;
    }
    d->level = level;
    d->window_bits = window_bits;
    d->mem_level = mem_level;
    return d;
}

/* the compressor waits for the next answer */
static void deflater_put(deflater *d)
{
    if (idle_key_made && pthread_getspecific(idle_key) == NULL &&
        pthread_setspecific(idle_key, d) == 0)
        return;
    deflater_free(d);
}

/* ---- compressing --------------------------------------------------------- */

#define DEFLATE_INPUT 65536 /* read from the body at a time */

struct gz {
    deflater *d; /* a thread's idle one, or a new one; NULL once done */
    z_stream *z;
    request *r;
    const deflate_conf *dc;
    request_body_src src;
    char *in;  /* input read from the body */
    char *out; /* output not yet handed on */
    size_t out_len, out_cap;
    unsigned char *buf; /* Apache's DeflateBufferSize buffer */
    size_t buf_size;
    unsigned long crc;
    int eof;      /* the body is all read */
    int done;     /* the trailer is in out */
    int ended;    /* out handed on after the trailer */
    int streamed; /* Apache would have passed output on early */
};

static void gz_put(struct gz *g, const void *p, size_t n)
{
    if (g->out_len + n > g->out_cap) {
        size_t cap = g->out_cap ? g->out_cap * 2 : 4096;
        while (cap < g->out_len + n)
            cap *= 2;
        char *m = arena_alloc(g->r->arena, cap);
        if (g->out_len)
            memcpy(m, g->out, g->out_len);
        g->out = m;
        g->out_cap = cap;
    }
    memcpy(g->out + g->out_len, p, n);
    g->out_len += n;
}

/* Move what the buffer holds to the output; it is empty again. */
static void gz_drain(struct gz *g)
{
    size_t n = g->buf_size - g->z->avail_out;
    if (n > 0)
        gz_put(g, g->buf, n);
    g->z->next_out = g->buf;
    g->z->avail_out = (uInt)g->buf_size;
}

static void put_le32(unsigned char *p, unsigned long v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void set_notes(request *r, const deflate_conf *dc, const z_stream *z)
{
    if (dc == NULL)
        return;
    int none = z->total_in == 0;
    if (dc->note_input)
        req_table_set(r->arena, &r->notes, dc->note_input,
                      none ? "-" : arena_lld(r->arena, (long long)z->total_in));
    if (dc->note_output)
        req_table_set(r->arena, &r->notes, dc->note_output,
                      none ? "-"
                           : arena_lld(r->arena, (long long)z->total_out));
    if (dc->note_ratio)
        req_table_set(
            r->arena, &r->notes, dc->note_ratio,
            none ? "-"
                 : arena_lld(r->arena, (long long)(int)(z->total_out * 100 /
                                                        z->total_in)));
}

static void gz_release(void *p)
{
    struct gz *g = p;
    if (g->d != NULL)
        deflater_put(g->d);
    g->d = NULL;
    g->z = NULL;
}

/* The end of the input: flush the stream, then CRC-32 and length. */
static int gz_finish(struct gz *g)
{
    for (;;) {
        int zrc = deflate(g->z, Z_FINISH);
        if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
            return -1;
        gz_drain(g);
        if (zrc == Z_STREAM_END)
            break;
    }
    unsigned char trailer[8];
    put_le32(trailer, g->crc);
    put_le32(trailer + 4, g->z->total_in);
    gz_put(g, trailer, sizeof(trailer));
    set_notes(g->r, g->dc, g->z);
    g->done = 1;
    gz_release(g); /* for the next answer now, not at the request's end */
    return 0;
}

/* Compress on until Apache's buffer fills with input left (its bytes
 * join the output: Apache passes them on) or the input ends (the stream
 * is finished).  -1 on a read or zlib error. */
static int gz_pump(struct gz *g)
{
    for (;;) {
        if (g->z->avail_in == 0 && !g->eof) {
            ssize_t n = request_body_src_read(&g->src, g->in, DEFLATE_INPUT);
            if (n < 0)
                return -1;
            if (n == 0) {
                g->eof = 1;
            } else {
                g->crc = crc32(g->crc, (const Bytef *)g->in, (uInt)n);
                g->z->next_in = (Bytef *)g->in;
                g->z->avail_in = (uInt)n;
            }
        }
        if (g->eof && g->z->avail_in == 0)
            return gz_finish(g);
        while (g->z->avail_in != 0) {
            if (g->z->avail_out == 0) {
                gz_drain(g);
                g->streamed = 1;
                return 0;
            }
            if (deflate(g->z, Z_NO_FLUSH) != Z_OK)
                return -1;
        }
    }
}

/* request_body_stream()'s producer: the next buffer's worth. */
static ssize_t gz_more(void *ctx, const char **p)
{
    struct gz *g = ctx;
    if (g->ended)
        return 0;
    g->out_len = 0; /* what it held has been written */
    while (g->out_len == 0 && !g->done)
        if (gz_pump(g) != 0) {
            log_rerror(g->r, APLOG_ERR, "deflate", 0,
                       "the body could not be read while it was compressed: %s",
                       g->r->uri ? g->r->uri : "");
            return -1;
        }
    g->ended = g->done;
    *p = g->out;
    return (ssize_t)g->out_len;
}

static void deflate_filter(request *r)
{
    const deflate_conf *dc =
        r->server && r->server->module_config
            ? conf_get(r->server->module_config, &deflate_module)
            : NULL;
    if (!wanted(r))
        return;
    struct gz *g = arena_calloc(r->arena, sizeof(*g));
    g->r = r;
    g->dc = dc;
    g->buf_size = (size_t)or_default(dc ? dc->buffer_size : UNSET, 8096);
    g->buf = arena_alloc(r->arena, g->buf_size);
    g->in = arena_alloc(r->arena, DEFLATE_INPUT);
    g->crc = crc32(0L, Z_NULL, 0);
    request_body_source(r, &g->src);
    deflater *d =
        deflater_get(or_default(dc ? dc->level : UNSET, Z_DEFAULT_COMPRESSION),
                     or_default(dc ? dc->window_bits : UNSET, MAX_WBITS),
                     or_default(dc ? dc->mem_level : UNSET, MAX_MEM_LEVEL));
    if (d == NULL) {
        log_rerror(r, APLOG_ERR, "deflate", 0,
                   "AH01383: unable to init Zlib: deflateInit2 "
                   "returned an error: URL %s",
                   r->uri ? r->uri : "");
        return;
    }
    g->d = d;
    g->z = &d->z;
    arena_cleanup(r->arena, gz_release, g);
    g->z->next_out = g->buf;
    g->z->avail_out = (uInt)g->buf_size;
    /* apache2's header: no name, no time, OS Unix */
    static const unsigned char header[10] = {0x1f, 0x8b, Z_DEFLATED, 0, 0,
                                             0,    0,    0,          0, 3};
    gz_put(g, header, sizeof(header));
    if (gz_pump(g) != 0)
        return; /* the body as it was */
    req_table_unset(&r->headers_out, "Content-Length");
    req_table_unset(&r->headers_out, "Content-MD5");
    alter_etag(r, or_default(dc ? dc->etag : UNSET, ETAG_ADD_SUFFIX), "-gzip");
    const char *enc = req_table_get(&r->headers_out, "Content-Encoding");
    if (enc == NULL || only_identity(enc))
        req_table_set(r->arena, &r->headers_out, "Content-Encoding", "gzip");
    else
        req_table_merge(r->arena, &r->headers_out, "Content-Encoding", "gzip");
    r->content_encoding = NULL; /* identity at most: gzip now */
    if (g->done) {
        request_body_replace(r, g->out, g->out_len, 0);
        return;
    }
    /* the rest is compressed as the answer is written: the first part is
     * handed on, and gz_more() refills the same buffer */
    char *first = g->out;
    size_t first_len = g->out_len;
    g->out = NULL;
    g->out_len = g->out_cap = 0;
    request_body_stream(r, first, first_len, gz_more, g);
}

/* ---- INFLATE: gzip answers decoded ------------------------------------
 *
 * As Apache's inflate_out_filter (measured, test_deflate.py): only the
 * request itself (not an ErrorDocument's or other internal redirect's
 * answer), not a Content-Range answer, and only when the last content
 * coding that is not identity is gzip or x-gzip (Content-Encoding, or
 * AddEncoding's), which is taken off; Content-Length and Content-MD5 go,
 * the ETag gets "-gunzip" (DeflateAlterETag); a 304 stops there.  The
 * gzip header is read by hand: a method other than deflate leaves the
 * body as it is, a bad magic or reserved flag is a 500 (AH01405,
 * AH02620), the optional fields are skipped.  The data is inflated with
 * DeflateWindowSize into DeflateBufferSize buffers; a buffer passed on
 * with input left streams the answer (as DEFLATE's).  Each inflate()
 * step checks DeflateInflateRatioLimit/Burst (AH02650).  A zlib error
 * (AH01409), a missing or short trailer (AH01401), a wrong CRC (AH01399)
 * or length (AH01400) is a 500 if nothing was passed on, else the
 * connection is dropped.  What follows the trailer is ignored. */

enum {
    GUNZ_HEADER,
    GUNZ_XLEN,
    GUNZ_EXTRA,
    GUNZ_NAME,
    GUNZ_COMMENT,
    GUNZ_HCRC,
    GUNZ_DATA,
    GUNZ_TRAILER,
    GUNZ_DONE,
    GUNZ_RAW /* not deflate data: the body as it is */
};

#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xe0

struct gunz {
    z_stream z;
    request *r;
    request_body_src src;
    int ratio_limit, ratio_burst, hits;
    char *in; /* input read; in[pos..len) not yet used */
    size_t pos, len;
    unsigned char fixed[10], trailer[8];
    unsigned got, skip; /* bytes of the current part read, to skip */
    unsigned hcrc;      /* bytes of the header's CRC read */
    int upstream;       /* the body is an earlier filter's, still coming */
    int state, eof, ended;
    int streamed; /* a buffer was passed on with input left */
    unsigned char *buf;
    size_t buf_size;
    char *out;
    size_t out_len, out_cap;
    unsigned long crc;
};

/* Content-Encoding's value in t (NULL: r->content_encoding) */
static void set_encoding(request *r, req_table *t, const char *v)
{
    if (t == NULL)
        r->content_encoding = v;
    else if (v == NULL)
        req_table_unset(t, "Content-Encoding");
    else
        req_table_set(r->arena, t, "Content-Encoding", v);
}

static int is_gzip(const char *e)
{
    return strcasecmp(e, "gzip") == 0 || strcasecmp(e, "x-gzip") == 0;
}

/* Apache's check_gzip(): the last coding other than identity is gzip. */
static int take_gzip(request *r)
{
    req_table *t = &r->headers_out;
    const char *enc = req_table_get(t, "Content-Encoding");
    if (enc == NULL) {
        t = &r->err_headers_out;
        enc = req_table_get(t, "Content-Encoding");
    }
    if (enc == NULL) {
        t = NULL;
        enc = r->content_encoding;
    }
    int found = 0;
    if (enc != NULL && is_gzip(enc)) {
        found = 1;
        set_encoding(r, t, NULL);
    } else if (enc != NULL && strchr(enc, ',') != NULL) {
        char *list = arena_strdup(r->arena, enc);
        for (;;) {
            char *comma = strrchr(list, ',');
            if (comma == NULL) {
                if (is_gzip(list)) {
                    found = 1;
                    set_encoding(r, t, NULL);
                }
                break;
            }
            const char *p = comma + 1;
            while (*p == ' ' || *p == '\t')
                p++;
            *comma = '\0';
            if (is_gzip(p)) {
                found = 1;
                set_encoding(r, t, list);
            } else if (*p == '\0' || strcasecmp(p, "identity") == 0) {
                continue;
            }
            break;
        }
    }
    if (t != NULL && r->content_encoding != NULL)
        r->content_encoding = req_table_get(t, "Content-Encoding");
    return found;
}

static void gunz_put(struct gunz *g, const void *p, size_t n)
{
    if (g->out_len + n > g->out_cap) {
        size_t cap = g->out_cap ? g->out_cap * 2 : 4096;
        while (cap < g->out_len + n)
            cap *= 2;
        char *m = arena_alloc(g->r->arena, cap);
        if (g->out_len)
            memcpy(m, g->out, g->out_len);
        g->out = m;
        g->out_cap = cap;
    }
    memcpy(g->out + g->out_len, p, n);
    g->out_len += n;
}

/* The buffer's bytes to the output (and the CRC); it is empty again. */
static void gunz_drain(struct gunz *g)
{
    size_t n = g->buf_size - g->z.avail_out;
    if (n > 0) {
        g->crc = crc32(g->crc, g->buf, (uInt)n);
        gunz_put(g, g->buf, n);
    }
    g->z.next_out = g->buf;
    g->z.avail_out = (uInt)g->buf_size;
}

static int gunz_fail(struct gunz *g, const char *msg)
{
    log_rerror(g->r, APLOG_ERR, "deflate", 0, "%s", msg);
    return -1;
}

static int input_left(const struct gunz *g)
{
    return g->pos < g->len || g->src.mem_len > 0 ||
           (g->src.fd >= 0 && g->src.len > 0) || g->src.more != NULL;
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The deflate data in in[pos..len): 1 wants more input (or the stream
 * ended: the trailer is next), 0 a buffer was passed on, -1 error. */
static int gunz_inflate(struct gunz *g)
{
    g->z.next_in = (Bytef *)g->in + g->pos;
    g->z.avail_in = (uInt)(g->len - g->pos);
    for (;;) {
        if (g->z.avail_out == 0) {
            gunz_drain(g);
            g->pos = g->len - g->z.avail_in;
            if (input_left(g)) {
                g->streamed = 1;
                return 0;
            }
        }
        if (g->z.avail_in == 0 && !g->eof)
            break;
        int zrc = inflate(&g->z, Z_NO_FLUSH);
        g->pos = g->len - g->z.avail_in;
        if (zrc == Z_STREAM_END) {
            gunz_drain(g);
            g->state = GUNZ_TRAILER;
            g->got = 0;
            return 1;
        }
        if (zrc == Z_BUF_ERROR && g->eof)
            return gunz_fail(g, "AH01401: Zlib: Validation bytes not present");
        if (zrc != Z_OK)
            return gunz_fail(
                g, arena_printf(g->r->arena,
                                "AH01409: Zlib error %d inflating data (%s)",
                                zrc, g->z.msg ? g->z.msg : ""));
        if (g->z.total_in > 0) {
            if (g->z.total_out / g->z.total_in < (uLong)g->ratio_limit)
                g->hits = 0;
            else if (++g->hits > g->ratio_burst)
                return gunz_fail(
                    g, arena_printf(g->r->arena,
                                    "AH02650: Inflated content ratio is "
                                    "larger than the configured limit %d by "
                                    "%d time(s)",
                                    g->ratio_limit, g->ratio_burst));
        }
    }
    return 1;
}

/* The fixed header's 10 bytes are in: 1 go on, 0 not deflate data, -1. */
static int gunz_check_header(struct gunz *g)
{
    const unsigned char *h = g->fixed;
    if (h[2] != Z_DEFLATED) {
        g->state = GUNZ_RAW;
        return 0;
    }
    if (h[0] != 0x1f || h[1] != 0x8b)
        return gunz_fail(g, "AH01405: inflate: bad header");
    if (h[3] & GZ_RESERVED)
        return gunz_fail(g, arena_printf(g->r->arena,
                                         "AH02620: inflate: bad flags %02x",
                                         h[3]));
    g->state = GUNZ_XLEN;
    g->got = 0;
    return 1;
}

/* The header's next byte. */
static int gunz_header_byte(struct gunz *g, unsigned char b)
{
    switch (g->state) {
    case GUNZ_HEADER:
        g->fixed[g->got++] = b;
        return g->got == 10 ? gunz_check_header(g) : 1;
    case GUNZ_XLEN:
        g->skip |= (unsigned)b << (8 * g->got);
        if (++g->got == 2)
            g->state = GUNZ_EXTRA;
        return 1;
    case GUNZ_EXTRA:
        g->skip--;
        return 1;
    case GUNZ_NAME:
    case GUNZ_COMMENT:
        if (b == 0)
            g->state++;
        return 1;
    case GUNZ_HCRC:
        if (++g->hcrc == 2)
            g->state = GUNZ_DATA;
        return 1;
    }
    return 1;
}

/* Skip the optional parts the flags do not name. */
static void gunz_skip_absent(struct gunz *g)
{
    unsigned flags = g->fixed[3];
    if (g->state == GUNZ_XLEN && !(flags & GZ_FEXTRA))
        g->state = GUNZ_NAME;
    if (g->state == GUNZ_EXTRA && g->skip == 0)
        g->state = GUNZ_NAME;
    if (g->state == GUNZ_NAME && !(flags & GZ_FNAME))
        g->state = GUNZ_COMMENT;
    if (g->state == GUNZ_COMMENT && !(flags & GZ_FCOMMENT))
        g->state = GUNZ_HCRC;
    if (g->state == GUNZ_HCRC && !(flags & GZ_FHCRC))
        g->state = GUNZ_DATA;
}

static int gunz_trailer(struct gunz *g)
{
    while (g->got < 8 && g->pos < g->len)
        g->trailer[g->got++] = (unsigned char)g->in[g->pos++];
    if (g->got < 8)
        return 1;
    if (get_le32(g->trailer) != (uint32_t)g->crc)
        return gunz_fail(g, "AH01399: Zlib: Checksum of inflated stream "
                            "invalid");
    if (get_le32(g->trailer + 4) != (uint32_t)(g->z.total_out & 0xffffffff))
        return gunz_fail(g, "AH01400: Zlib: Length of inflated stream "
                            "invalid");
    g->state = GUNZ_DONE;
    return 1;
}

/* On until a buffer is passed on with input left (0), the end (0, state
 * DONE), not deflate data (0, state RAW) or an error (-1). */
static int gunz_pump(struct gunz *g)
{
    for (;;) {
        if (g->state == GUNZ_DONE || g->state == GUNZ_RAW)
            return 0;
        if (g->pos == g->len && !g->eof) {
            ssize_t n = request_body_src_read(&g->src, g->in, DEFLATE_INPUT);
            if (n < 0)
                return gunz_fail(g, "the body could not be read while it was "
                                    "inflated");
            g->pos = 0;
            g->len = n > 0 ? (size_t)n : 0;
            g->eof = n == 0;
        }
        int rc = 1;
        if (g->state < GUNZ_DATA) {
            gunz_skip_absent(g);
            if (g->state < GUNZ_DATA && g->pos < g->len)
                rc = gunz_header_byte(g, (unsigned char)g->in[g->pos++]);
            else if (g->state < GUNZ_DATA && g->eof)
                rc = gunz_fail(g, "AH01401: Zlib: Validation bytes not "
                                  "present");
        } else if (g->state == GUNZ_DATA) {
            rc = gunz_inflate(g);
        } else if (g->state == GUNZ_TRAILER) {
            rc = gunz_trailer(g);
            if (rc == 1 && g->state == GUNZ_TRAILER && g->eof)
                rc = gunz_fail(g, "AH01401: Zlib: Validation bytes not "
                                  "present");
        }
        if (rc <= 0)
            return rc;
    }
}

/* request_body_stream()'s producer: the next buffer's worth. */
static ssize_t gunz_more(void *ctx, const char **p)
{
    struct gunz *g = ctx;
    if (g->ended)
        return 0;
    g->out_len = 0;
    while (g->out_len == 0 && g->state != GUNZ_DONE)
        if (gunz_pump(g) != 0)
            return -1; /* logged: the connection is dropped */
    g->ended = g->state == GUNZ_DONE;
    *p = g->out;
    return (ssize_t)g->out_len;
}

/* not deflate data after an earlier filter's: passed on as it comes */
static ssize_t raw_more(void *ctx, const char **p)
{
    struct gunz *g = ctx;
    ssize_t n = request_body_src_read(&g->src, g->in, DEFLATE_INPUT);
    *p = g->in;
    return n;
}

static void gunz_end(void *p)
{
    inflateEnd(&((struct gunz *)p)->z);
}

static void inflate_filter(request *r)
{
    if (r->main != NULL || r->prev != NULL || r->is_subrequest ||
        req_table_get(&r->headers_out, "Content-Range") != NULL ||
        r->status == 204 || !take_gzip(r))
        return;
    const deflate_conf *dc =
        r->server && r->server->module_config
            ? conf_get(r->server->module_config, &deflate_module)
            : NULL;
    const inflate_conf *ic = modutil_dir_config(r, &deflate_module);
    req_table_unset(&r->headers_out, "Content-Length");
    req_table_unset(&r->headers_out, "Content-MD5");
    alter_etag(r, or_default(dc ? dc->etag : UNSET, ETAG_ADD_SUFFIX),
               "-gunzip");
    if (r->status == 304)
        return;
    struct gunz *g = arena_calloc(r->arena, sizeof(*g));
    g->r = r;
    g->ratio_limit = ic ? ic->ratio_limit : 200;
    g->ratio_burst = ic ? ic->ratio_burst : 3;
    g->buf_size = (size_t)or_default(dc ? dc->buffer_size : UNSET, 8096);
    g->buf = arena_alloc(r->arena, g->buf_size);
    g->in = arena_alloc(r->arena, DEFLATE_INPUT);
    g->z.next_out = g->buf;
    g->z.avail_out = (uInt)g->buf_size;
    g->crc = crc32(0L, Z_NULL, 0);
    if (inflateInit2(&g->z, -or_default(dc ? dc->window_bits : UNSET,
                                        MAX_WBITS)) != Z_OK) {
        log_rerror(r, APLOG_ERR, "deflate", 0,
                   "unable to init Zlib: inflateInit2 returned an error: "
                   "URL %s",
                   r->uri ? r->uri : "");
        request_send_error(r, 500);
        return;
    }
    arena_cleanup(r->arena, gunz_end, g);
    request_body_source(r, &g->src);
    g->upstream = g->src.more != NULL;
    if (gunz_pump(g) != 0) {
        request_send_error(r, 500);
        return;
    }
    if (g->state == GUNZ_RAW && g->upstream) {
        /* the 10 bytes read of an earlier filter's output, what is left
         * of its piece, then the rest */
        size_t n = 10 + g->len - g->pos;
        char *first = arena_alloc(r->arena, n);
        memcpy(first, g->fixed, 10);
        memcpy(first + 10, g->in + g->pos, g->len - g->pos);
        request_body_stream(r, first, n, raw_more, g);
        return;
    }
    if (g->state == GUNZ_RAW)
        return; /* the body as it was, Content-Length counted again */
    if (g->state == GUNZ_DONE) {
        request_body_replace(r, g->out, g->out_len, 0);
        return;
    }
    char *first = g->out;
    size_t first_len = g->out_len;
    g->out = NULL;
    g->out_len = g->out_cap = 0;
    request_body_stream(r, first, first_len, gunz_more, g);
}

static const output_filter deflate_filters[] = {
    {"DEFLATE", deflate_filter, OUTPUT_FILTER_CONTENT_SET},
    {"INFLATE", inflate_filter, OUTPUT_FILTER_RESOURCE - 1},
    {NULL, NULL, 0},
};

static const command_rec deflate_cmds[] = {
    {"DeflateFilterNote", cmd_filter_note, 0, RSRC_CONF, TAKE12,
     "Set a note to report on compression ratio"},
    {"DeflateWindowSize", cmd_window_size, 0, RSRC_CONF, TAKE1,
     "Set the Deflate window size (1-15)"},
    {"DeflateBufferSize", cmd_buffer_size, 0, RSRC_CONF, TAKE1,
     "Set the Deflate Buffer Size"},
    {"DeflateMemLevel", cmd_mem_level, 0, RSRC_CONF, TAKE1,
     "Set the Deflate Memory Level (1-9)"},
    {"DeflateCompressionLevel", cmd_level, 0, RSRC_CONF, TAKE1,
     "Set the Deflate Compression Level (1-9)"},
    {"DeflateAlterETag", cmd_alter_etag, 0, RSRC_CONF, TAKE1,
     "Set how mod_deflate should modify ETAG response headers: 'AddSuffix' "
     "(default), "
     "'NoChange' (2.2.x behavior), 'Remove'"},
    {"DeflateInflateLimitRequestBody", cmd_inflate_limit, 0, OR_ALL, TAKE1,
     "Set a limit on size of inflated input"},
    {"DeflateInflateRatioLimit", cmd_inflate_ratio, 0, OR_ALL, TAKE1,
     "Set the inflate ratio limit above which inflation is aborted (default: "
     "200)"},
    {"DeflateInflateRatioBurst", cmd_inflate_ratio, 0, OR_ALL, TAKE1,
     "Set the maximum number of following inflate ratios above limit (default: "
     "3)"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module deflate_module = {
    .name = "deflate_module",
    .file = "mod_deflate.c",
    .cmds = deflate_cmds,
    .create_dir_config = create_dir,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
    .output_filters = deflate_filters,
};
