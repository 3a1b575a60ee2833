/* mod_deflate.c -- the DEFLATE output filter: gzip content coding of
 * answers, as Apache 2.4's mod_deflate (no input filter: the
 * DeflateInflate* directives are checked and kept, without effect).
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
 * Per server, as Apache's (which has no merge: a vhost's own settings
 * start from the defaults). */
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

static void alter_etag(request *r, int opt)
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
    /* "-gzip" before the closing quote */
    char *t = arena_alloc(r->arena, n + 6);
    memcpy(t, etag, n - 1);
    memcpy(t + n - 1, "-gzip", 5);
    t[n + 4] = etag[n - 1];
    t[n + 5] = '\0';
    request_set_header(r, "ETag", t);
}

/* ---- compressing ----------------------------------------------------------
 */

/* ---- compressors kept for the next answer --------------------------------
 *
 * deflateInit2() allocates some 450 KiB (memory level 9) and deflateEnd()
 * frees it; each answer did both.  A thread keeps the last compressor it
 * finished with and the next answer resets it (deflateReset(): the same
 * state as a new one, so the same bytes).  The compressor belongs to one
 * answer at a time: taken from the slot of the thread that starts the
 * answer, given back to the slot of the thread whose request arena
 * cleanup runs (an event MPM answer written in turns may end on another
 * thread; the handover is the MPM's, through its queue).  A thread's is
 * freed when the thread ends. */

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
            d->mem_level == mem_level && deflateReset(&d->z) == Z_OK)
            return d;
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
    alter_etag(r, or_default(dc ? dc->etag : UNSET, ETAG_ADD_SUFFIX));
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

static const output_filter deflate_filters[] = {
    {"DEFLATE", deflate_filter},
    {NULL, NULL},
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
