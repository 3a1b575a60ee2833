/* digest.c -- MD5 (RFC 1321), SHA-1 (FIPS 180-4) and base64 (RFC 4648). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"

static const char hexdigits[] = "0123456789abcdef";

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdigits[d[i] >> 4];
        out[2 * i + 1] = hexdigits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static uint32_t rol(uint32_t x, int c)
{
    return (x << c) | (x >> (32 - c));
}

/* ---- MD5 ---------------------------------------------------------------- */

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const int md5_r[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static void md5_block(uint32_t h[4], const unsigned char *p)
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rol(a + f + md5_k[i] + w[g], md5_r[i]);
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

/* Feed whole blocks, then the padded tail; big_endian picks SHA-1's
 * length encoding. */
static void run_blocks(const unsigned char *data, size_t len, int big_endian,
                       void (*block)(uint32_t *, const unsigned char *),
                       uint32_t *h)
{
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        block(h, data + i);
    unsigned char tail[128];
    size_t rest = len - full;
    if (rest > 0) /* (data may be NULL when len is 0) */
        memcpy(tail, data + full, rest);
    tail[rest++] = 0x80;
    size_t total = rest + 8 <= 64 ? 64 : 128;
    memset(tail + rest, 0, total - rest);
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[big_endian ? total - 1 - i : total - 8 + i] =
            (unsigned char)(bits >> (8 * i));
    block(h, tail);
    if (total == 128)
        block(h, tail + 64);
}

void digest_md5(const void *data, size_t len, unsigned char out[16])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    run_blocks(data, len, 0, md5_block, h);
    for (int i = 0; i < 16; i++)
        out[i] = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
}

void digest_md5_hex(const void *data, size_t len, char out[33])
{
    unsigned char d[16];
    digest_md5(data, len, d);
    to_hex(d, 16, out);
}

/* The first size bytes of fd (pread) through block(), padded with the
 * length (big-endian for SHA-1, little-endian for MD5); -1 when they
 * cannot all be read. */
static int hash_fd(int fd, int64_t size, int big_endian,
                   void (*block)(uint32_t *, const unsigned char *),
                   uint32_t *h)
{
    unsigned char buf[65536];
    int64_t done = 0;
    size_t have = 0; /* bytes of buf not yet hashed (under one block) */
    while (done < size) {
        size_t want = sizeof(buf) - have;
        if ((int64_t)want > size - done)
            want = (size_t)(size - done);
        ssize_t n = pread(fd, buf + have, want, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1; /* the file shrank or cannot be read */
        done += n;
        have += (size_t)n;
        size_t full = have / 64 * 64;
        for (size_t i = 0; i < full; i += 64)
            block(h, buf + i);
        memmove(buf, buf + full, have - full);
        have -= full;
    }
    /* the tail, padded with the whole length */
    unsigned char tail[128];
    memcpy(tail, buf, have);
    tail[have++] = 0x80;
    size_t total = have + 8 <= 64 ? 64 : 128;
    memset(tail + have, 0, total - have);
    uint64_t bits = (uint64_t)size * 8;
    for (int i = 0; i < 8; i++)
        tail[big_endian ? total - 1 - i : total - 8 + i] =
            (unsigned char)(bits >> (8 * i));
    block(h, tail);
    if (total == 128)
        block(h, tail + 64);
    return 0;
}

int digest_md5_fd(int fd, int64_t size, unsigned char out[16])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    if (hash_fd(fd, size, 0, md5_block, h) != 0)
        return -1;
    for (int i = 0; i < 16; i++)
        out[i] = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
    return 0;
}

/* ---- SHA-1 ----------------------------------------------------------------
 */

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void digest_sha1(const void *data, size_t len, unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                     0xc3d2e1f0};
    run_blocks(data, len, 1, sha1_block, h);
    for (int i = 0; i < 20; i++)
        out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void digest_sha1_hex(const void *data, size_t len, char out[41])
{
    unsigned char d[20];
    digest_sha1(data, len, d);
    to_hex(d, 20, out);
}

int digest_sha1_fd(int fd, int64_t size, unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                     0xc3d2e1f0};
    if (hash_fd(fd, size, 1, sha1_block, h) != 0)
        return -1;
    for (int i = 0; i < 20; i++)
        out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
    return 0;
}

/* ---- base64 ----------------------------------------------------------------
 */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *digest_base64_encode(arena *a, const void *data, size_t len)
{
    const unsigned char *p = data;
    char *out = arena_alloc(a, (len + 2) / 3 * 4 + 1), *o = out;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        *o++ = b64[p[i] >> 2];
        *o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
        *o++ = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
        *o++ = b64[p[i + 2] & 63];
    }
    if (i < len) {
        *o++ = b64[p[i] >> 2];
        if (i + 1 < len) {
            *o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
            *o++ = b64[(p[i + 1] & 15) << 2];
        } else {
            *o++ = b64[(p[i] & 3) << 4];
            *o++ = '=';
        }
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

char *digest_base64_decode(arena *a, const char *s, size_t *outlen)
{
    size_t n = 0;
    while (b64_value(s[n]) >= 0)
        n++;
    unsigned char *out = arena_alloc(a, n / 4 * 3 + 4), *o = out;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 6) | (unsigned)b64_value(s[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (unsigned char)(acc >> bits);
        }
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return (char *)out;
}
