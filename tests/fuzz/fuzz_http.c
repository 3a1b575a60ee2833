/* fuzz_http.c -- libFuzzer harness for the HTTP request parser.
 *
 * Build (clang; out of tree, from an empty directory):
 *
 *   S=/work/main   # the source tree
 *   $S/configure CC=clang >/dev/null
 *   make parser/conf_parse.c parser/conf_lex.c static_mpm.c buildinfo.h
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -I. -Iparser -I$S/core -I$S/parser -I$S/mpm -I$S/modules \
 *     $S/tests/fuzz/fuzz_http.c \
 *     $(ls $S/parser/[a-z]*.c $S/core/[a-z]*.c $S/modules/[a-z]*.c \
 *          $S/mpm/common/[a-z]*.c | grep -v core/main.c) \
 *     parser/conf_lex.c parser/conf_parse.c static_mpm.c $S/mpm/event.c \
 *     -ldl -lpthread -o fuzz_http
 *   mkdir -p corpus && printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/get
 *   ./fuzz_http -max_total_time=600 -max_len=4096 corpus
 *
 * Each input goes through:
 *   - the head scanner with small limits and the HttpProtocolOptions
 *     taken from the last byte, whole and split at a point taken from
 *     the first byte; both must agree (the scanner is resumable), and
 *     a completed head through http_head_finish (target, Host, bodies);
 *   - the chunked-body decoder, whole and byte by byte (must agree);
 *   - path normalisation (the result may never climb: no "/../" and no
 *     trailing "/.." survive) and the Host check.
 * The harness aborts on any disagreement, so libFuzzer reports it as a
 * crash.
 *
 * Runs: 2026-11-25, clang 14, ASan+UBSan, 600 s, 10.2 million inputs
 * (17k/s), coverage 1213 edges, no crash, leak or hang.  The first run
 * found that an over-long line ending in a bare LF got 400 or 414
 * depending on how the bytes arrived (fixed: the length is checked first).
 * 2026-11-26, with HttpProtocolOptions from the last byte: 300 s, 3.57
 * million inputs, no crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_proto.h"

static int scan(const char *buf, size_t len, size_t split, http_scan *s)
{
    /* HttpProtocolOptions from the last byte: Strict or Unsafe,
     * RegisteredMethods, Require1.0 */
    const http_limits lim = {64, 48, 6,
                             len ? (unsigned char)buf[len - 1] & 7 : 0};
    http_scan_init(s, NULL, 0);
    int st = HTTP_SCAN_MORE;
    if (split > 0 && split < len)
        st = http_scan_head(s, buf, split, &lim);
    if (st == HTTP_SCAN_MORE)
        st = http_scan_head(s, buf, len, &lim);
    return st;
}

static void fuzz_head(const char *buf, size_t len)
{
    http_scan a, b;
    size_t split = len ? (unsigned char)buf[0] % (len + 1) : 0;
    int sa = scan(buf, len, 0, &a);
    int sb = scan(buf, len, split, &b);
    if (sa != sb)
        abort();
    if (sa == HTTP_SCAN_DONE) {
        if (a.head_len != b.head_len || a.head_len > len)
            abort();
        arena *ar = arena_create(0);
        request *r = arena_calloc(ar, sizeof(*r));
        r->arena = ar;
        const char *note;
        int rc = http_head_finish(r, &a, buf, &note);
        if (rc == 0 && r->uri[0] == '/' && strstr(r->uri, "/../") != NULL)
            abort();
        arena_destroy(ar);
    }
    free(a.fields);
    free(b.fields);
}

static void fuzz_chunk(const char *buf, size_t len)
{
    http_chunk w, s;
    memset(&w, 0, sizeof(w));
    memset(&s, 0, sizeof(s));
    int64_t dw = 0, ds = 0, d;
    long rw = http_chunk_feed(&w, buf, len, &dw, 64);
    long rs = 0;
    size_t i;
    for (i = 0; i < len && rs >= 0 && s.state != CHUNK_DONE; i++) {
        rs = http_chunk_feed(&s, buf + i, 1, &d, 64);
        ds += d;
    }
    int ew = rw < 0 ? (int)rw : (w.state == CHUNK_DONE);
    int es = rs < 0 ? (int)rs : (s.state == CHUNK_DONE);
    if (ew != es || (rw >= 0 && dw != ds))
        abort();
    if (rw >= 0 && w.state == CHUNK_DONE && (size_t)rw != i)
        abort();
}

static void fuzz_path(const char *buf, size_t len)
{
    char *p = malloc(len + 2);
    p[0] = '/';
    memcpy(p + 1, buf, len);
    p[len + 1] = '\0';
    if (http_normalize_path(p, 1) == 0) {
        /* no dot-dot segment may remain unless it came from %2e decoding
         * of a non-unreserved escape, which cannot happen: check it */
        size_t n = strlen(p);
        if (strstr(p, "/../") != NULL ||
            (n >= 3 && strcmp(p + n - 3, "/..") == 0))
            abort();
    }
    free(p);
    arena *ar = arena_create(0);
    char *h = arena_strndup(ar, buf, len);
    const char *host;
    int port;
    if (http_check_host(ar, h, &host, &port) == 0 && (port < 0 || port > 65535))
        abort();
    arena_destroy(ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    fuzz_head(buf, size);
    fuzz_chunk(buf, size);
    fuzz_path(buf, size);
    return 0;
}
