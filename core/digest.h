/* digest.h -- MD5 and SHA-1 of a buffer, raw (htpasswd hashes) or as
 * lower-case hex (for the expression language's md5() and sha1()), and
 * base64 (RFC 4648). */
#ifndef HTTPD_DIGEST_H
#define HTTPD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

void digest_md5(const void *data, size_t len, unsigned char out[16]);
void digest_sha1(const void *data, size_t len, unsigned char out[20]);
void digest_md5_hex(const void *data, size_t len, char out[33]);
void digest_sha1_hex(const void *data, size_t len, char out[41]);

/* MD5 of the first size bytes of fd (read with pread), raw; -1 when they
 * cannot all be read. */
int digest_md5_fd(int fd, int64_t size, unsigned char out[16]);
/* The same with SHA-1. */
int digest_sha1_fd(int fd, int64_t size, unsigned char out[20]);

/* Base64 with padding, allocated in a. */
char *digest_base64_encode(arena *a, const void *data, size_t len);
/* Decoding as apr_base64_decode: stops at the first byte outside the
 * alphabet; *outlen gets the length (the result is also NUL-ended). */
char *digest_base64_decode(arena *a, const char *s, size_t *outlen);

#endif
