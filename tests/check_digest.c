/* check_digest.c -- MD5 and SHA-1 of buffers and of files, base64. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(known_values)
{
    char hex[41];
    digest_sha1_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    digest_sha1_hex("", 0, hex);
    ck_assert_str_eq(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    digest_md5_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
    arena *a = arena_create(0);
    /* FileETag Digest of an empty file, recorded from apache2 */
    unsigned char sha[20];
    const char *h = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    for (int i = 0; i < 20; i++) {
        char two[3] = {h[2 * i], h[2 * i + 1], 0};
        sha[i] = (unsigned char)strtol(two, NULL, 16);
    }
    ck_assert_str_eq(digest_base64_encode(a, sha, 20),
                     "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    arena_destroy(a);
}
END_TEST

/* The file digests agree with the buffer ones at every length around a
 * block's padding (55, 56, 63, 64 bytes) and the read buffer (64 KiB). */
START_TEST(file_digests_match_buffer_digests)
{
    static const size_t sizes[] = {0,   1,     55,    56,    57,
                                   63,  64,    65,    119,   120,
                                   128, 65535, 65536, 65537, 200000};
    size_t max = 200000;
    unsigned char *data = malloc(max);
    ck_assert_ptr_nonnull(data);
    for (size_t i = 0; i < max; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 8));
    char path[] = "/tmp/check_digest_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    ck_assert_int_eq(write(fd, data, max), (ssize_t)max);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        char want[41], got[41];
        unsigned char raw[20];
        digest_sha1_hex(data, sizes[k], want);
        ck_assert_int_eq(digest_sha1_fd(fd, (int64_t)sizes[k], raw), 0);
        to_hex(raw, 20, got);
        ck_assert_msg(strcmp(want, got) == 0, "sha1 of %zu bytes", sizes[k]);
        digest_md5_hex(data, sizes[k], want);
        ck_assert_int_eq(digest_md5_fd(fd, (int64_t)sizes[k], raw), 0);
        to_hex(raw, 16, got);
        ck_assert_msg(strcmp(want, got) == 0, "md5 of %zu bytes", sizes[k]);
    }
    /* more than the file holds */
    unsigned char raw[20];
    ck_assert_int_eq(digest_sha1_fd(fd, (int64_t)max + 1, raw), -1);
    close(fd);
    free(data);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("digest");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, known_values);
    tcase_add_test(tc, file_digests_match_buffer_digests);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
