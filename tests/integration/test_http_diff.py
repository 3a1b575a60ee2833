#!/usr/bin/env python3
"""Differential test of the HTTP engine: the same raw requests go to httpd-ng
and to Debian's apache2 (prefork, same files, same configuration), and the
responses must agree on status, Content-Type, Content-Length, Last-Modified,
ETag, Allow, Location, Transfer-Encoding, Connection, Keep-Alive and body.

Each request is sent on a fresh connection and everything up to the close
is read, so pipelined requests compare every response in order.  Requests
whose answer Apache only gives after a timeout are left to test_http_engine.

Run alone: python3 test_http_diff.py [NAME-SUBSTRING...]"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

FILES = {
    "htdocs/index.html": "<html><body>It works</body></html>\n",
    "htdocs/a.txt": "hello\n",
    "htdocs/empty.txt": "",
    "htdocs/page.htm": "<p>page</p>\n",
    "htdocs/style.css": "body { color: red }\n",
    "htdocs/data.json": '{"a": 1}\n',
    "htdocs/pic.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "htdocs/noext": "no extension\n",
    "htdocs/x.unknownext": "unknown\n",
    "htdocs/UPPER.TXT": "upper case extension\n",
    "htdocs/a b.txt": "space in name\n",
    "htdocs/caf\xe9.txt": "latin-1 name\n",
    "htdocs/multi.tar.gz": "not really gzip\n",
    "htdocs/sub/x.txt": "sub\n",
    "htdocs/withindex/index.html": "<p>dir index</p>\n",
    "htdocs/.htsecret": "secret\n",
    "htdocs/big.bin": bytes(range(256)) * 4096,
    "htdocs/r.txt": "0123456789abcdefghij",
}

CONFIG = """
TypesConfig "@ROOT@/conf/mime.types"
<Directory "@HTDOCS@">
    Require all granted
</Directory>
<Files ".ht*">
    Require all denied
</Files>
"""

H11 = "Host: localhost\r\nConnection: close\r\n"

# (name, raw request) -- \r\n spelled out so malformed framing is visible.
REQUESTS = [
    # ---- plain GET/HEAD of files and types
    ("get_file", "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("get_root", "GET / HTTP/1.1\r\n" + H11 + "\r\n"),
    ("get_index_explicit", "GET /index.html HTTP/1.0\r\n\r\n"),
    ("head_file", "HEAD /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("head_empty", "HEAD /empty.txt HTTP/1.0\r\n\r\n"),
    ("get_empty", "GET /empty.txt HTTP/1.0\r\n\r\n"),
    ("get_htm", "GET /page.htm HTTP/1.0\r\n\r\n"),
    ("get_css", "GET /style.css HTTP/1.0\r\n\r\n"),
    ("get_json", "GET /data.json HTTP/1.0\r\n\r\n"),
    ("get_png", "GET /pic.png HTTP/1.0\r\n\r\n"),
    ("get_noext", "GET /noext HTTP/1.0\r\n\r\n"),
    ("get_unknown_ext", "GET /x.unknownext HTTP/1.0\r\n\r\n"),
    ("get_upper_ext", "GET /UPPER.TXT HTTP/1.0\r\n\r\n"),
    ("get_space_encoded", "GET /a%20b.txt HTTP/1.0\r\n\r\n"),
    ("get_latin1_encoded", "GET /caf%E9.txt HTTP/1.0\r\n\r\n"),
    ("get_two_ext", "GET /multi.tar.gz HTTP/1.0\r\n\r\n"),
    ("get_big", "GET /big.bin HTTP/1.0\r\n\r\n"),
    ("get_query", "GET /a.txt?x=1&y=%20 HTTP/1.0\r\n\r\n"),
    ("get_missing", "GET /nope.html HTTP/1.1\r\n" + H11 + "\r\n"),
    ("head_missing", "HEAD /nope.html HTTP/1.0\r\n\r\n"),
    ("get_missing_in_sub", "GET /sub/nope.txt HTTP/1.0\r\n\r\n"),
    ("get_sub_file", "GET /sub/x.txt HTTP/1.0\r\n\r\n"),
    ("get_dir_no_slash", "GET /sub HTTP/1.0\r\n\r\n"),
    ("get_dir_no_index", "GET /sub/ HTTP/1.0\r\n\r\n"),
    ("get_dir_index", "GET /withindex/ HTTP/1.0\r\n\r\n"),
    ("get_path_info", "GET /a.txt/extra HTTP/1.0\r\n\r\n"),
    ("get_trailing_slash", "GET /a.txt/ HTTP/1.0\r\n\r\n"),
    ("get_htaccess", "GET /.htsecret HTTP/1.0\r\n\r\n"),
    # ---- paths
    ("dotdot_inside", "GET /sub/../a.txt HTTP/1.0\r\n\r\n"),
    ("dotdot_above", "GET /../a.txt HTTP/1.0\r\n\r\n"),
    ("dotdot_encoded", "GET /%2e%2e/a.txt HTTP/1.0\r\n\r\n"),
    ("dotdot_mixed", "GET /sub/.%2e/.%2E/a.txt HTTP/1.0\r\n\r\n"),
    ("dot_segment", "GET /./a.txt HTTP/1.0\r\n\r\n"),
    ("encoded_dot", "GET /a%2etxt HTTP/1.0\r\n\r\n"),
    ("encoded_slash", "GET /sub%2fx.txt HTTP/1.0\r\n\r\n"),
    ("encoded_nul", "GET /a.txt%00 HTTP/1.0\r\n\r\n"),
    ("bad_escape", "GET /a%zz HTTP/1.0\r\n\r\n"),
    ("short_escape", "GET /a%4 HTTP/1.0\r\n\r\n"),
    ("double_slash", "GET //a.txt HTTP/1.0\r\n\r\n"),
    ("double_slash_inner", "GET /sub//x.txt HTTP/1.0\r\n\r\n"),
    ("backslash", "GET /sub\\x.txt HTTP/1.0\r\n\r\n"),
    ("absolute_uri", "GET http://localhost/a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("absolute_uri_no_path", "GET http://localhost HTTP/1.0\r\n\r\n"),
    ("absolute_https", "GET https://localhost/a.txt HTTP/1.0\r\n\r\n"),
    ("absolute_ftp", "GET ftp://localhost/a.txt HTTP/1.0\r\n\r\n"),
    ("absolute_no_host_11", "GET http://localhost/a.txt HTTP/1.1\r\nConnection: close\r\n\r\n"),
    ("relative_target", "GET a.txt HTTP/1.0\r\n\r\n"),
    ("star_get", "GET * HTTP/1.0\r\n\r\n"),
    ("fragment", "GET /a.txt#x HTTP/1.0\r\n\r\n"),
    # ---- methods
    ("post_file", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 5\r\n\r\nhello"),
    ("post_missing", "POST /nope HTTP/1.1\r\n" + H11 + "Content-Length: 5\r\n\r\nhello"),
    ("post_chunked", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("put", "PUT /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 0\r\n\r\n"),
    ("delete", "DELETE /a.txt HTTP/1.0\r\n\r\n"),
    ("delete_missing", "DELETE /nope HTTP/1.0\r\n\r\n"),
    ("patch", "PATCH /a.txt HTTP/1.0\r\n\r\n"),
    ("propfind", "PROPFIND /a.txt HTTP/1.0\r\n\r\n"),
    ("options_file", "OPTIONS /a.txt HTTP/1.0\r\n\r\n"),
    ("options_missing", "OPTIONS /nope HTTP/1.0\r\n\r\n"),
    ("options_dir", "OPTIONS /sub/ HTTP/1.0\r\n\r\n"),
    ("options_star", "OPTIONS * HTTP/1.1\r\n" + H11 + "\r\n"),
    ("trace", "TRACE /a.txt HTTP/1.1\r\n" + H11 + "X-Test: 1\r\n\r\n"),
    ("trace_10", "TRACE /a.txt HTTP/1.0\r\nX-Test: 1\r\n\r\n"),
    ("unknown_method", "FOO /a.txt HTTP/1.0\r\n\r\n"),
    ("unknown_method_missing", "FOO /nope HTTP/1.0\r\n\r\n"),
    ("lowercase_method", "get /a.txt HTTP/1.0\r\n\r\n"),
    ("connect", "CONNECT localhost:80 HTTP/1.0\r\n\r\n"),
    # ---- request line syntax
    ("http09", "GET /a.txt\r\n"),
    ("http09_head", "HEAD /a.txt\r\n"),
    ("http09_missing", "GET /nope\r\n"),
    ("bare_lf", "GET /a.txt HTTP/1.0\n\n"),
    ("double_space", "GET  /a.txt HTTP/1.0\r\n\r\n"),
    ("trailing_space", "GET /a.txt HTTP/1.0 \r\n\r\n"),
    ("tab_separator", "GET\t/a.txt HTTP/1.0\r\n\r\n"),
    ("leading_space", " GET /a.txt HTTP/1.0\r\n\r\n"),
    ("bare_cr", "GET /a.txt HTTP/1.0\rX\r\n\r\n"),
    ("ctl_in_uri", "GET /a\x01.txt HTTP/1.0\r\n\r\n"),
    ("del_in_uri", "GET /a\x7f.txt HTTP/1.0\r\n\r\n"),
    ("high_byte_uri", "GET /a\xff.txt HTTP/1.0\r\n\r\n"),
    ("version_lower", "GET /a.txt http/1.0\r\n\r\n"),
    ("version_11_no_host", "GET /a.txt HTTP/1.1\r\nConnection: close\r\n\r\n"),
    ("version_12", "GET /a.txt HTTP/1.2\r\n" + H11 + "\r\n"),
    ("version_20", "GET /a.txt HTTP/2.0\r\n" + H11 + "\r\n"),
    ("version_09", "GET /a.txt HTTP/0.9\r\n\r\n"),
    ("version_10_0", "GET /a.txt HTTP/10.0\r\n\r\n"),
    ("version_1", "GET /a.txt HTTP/1\r\n\r\n"),
    ("version_101", "GET /a.txt HTTP/1.01\r\n\r\n"),
    ("four_words", "GET /a.txt X HTTP/1.0\r\n\r\n"),
    ("leading_crlf", "\r\n\r\nGET /a.txt HTTP/1.0\r\n\r\n"),
    ("h2_preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    # ---- headers
    ("space_before_colon", "GET /a.txt HTTP/1.0\r\nHost : x\r\n\r\n"),
    ("no_colon", "GET /a.txt HTTP/1.0\r\nHost x\r\n\r\n"),
    ("empty_name", "GET /a.txt HTTP/1.0\r\n: x\r\n\r\n"),
    ("bad_name_char", "GET /a.txt HTTP/1.0\r\nX(a: x\r\n\r\n"),
    ("space_in_name", "GET /a.txt HTTP/1.0\r\nX a: x\r\n\r\n"),
    ("nul_in_value", "GET /a.txt HTTP/1.0\r\nX-A: a\x00b\r\n\r\n"),
    ("ctl_in_value", "GET /a.txt HTTP/1.0\r\nX-A: a\x01b\r\n\r\n"),
    ("cr_in_value", "GET /a.txt HTTP/1.0\r\nX-A: a\rb\r\n\r\n"),
    ("high_byte_value", "GET /a.txt HTTP/1.0\r\nX-A: caf\xe9\r\n\r\n"),
    ("obs_fold", "GET /a.txt HTTP/1.0\r\nX-A: a\r\n\tb\r\n\r\n"),
    ("obs_fold_first", "GET /a.txt HTTP/1.0\r\n X-A: a\r\n\r\n"),
    ("obs_fold_host", "GET /a.txt HTTP/1.0\r\nHost: localhost\r\n x\r\n\r\n"),
    ("header_lf_only", "GET /a.txt HTTP/1.0\r\nX-A: a\n\r\n"),
    ("two_hosts", "GET /a.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"),
    ("empty_host_11", "GET /a.txt HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"),
    ("empty_host_10", "GET /a.txt HTTP/1.0\r\nHost:\r\n\r\n"),
    ("host_port", "GET /a.txt HTTP/1.1\r\nHost: localhost:80\r\nConnection: close\r\n\r\n"),
    ("host_bad_port", "GET /a.txt HTTP/1.1\r\nHost: localhost:x\r\nConnection: close\r\n\r\n"),
    ("host_big_port", "GET /a.txt HTTP/1.1\r\nHost: localhost:65536\r\nConnection: close\r\n\r\n"),
    ("host_dotdot", "GET /a.txt HTTP/1.1\r\nHost: a..b\r\nConnection: close\r\n\r\n"),
    ("host_slash", "GET /a.txt HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n"),
    ("host_ipv6", "GET /a.txt HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"),
    ("host_bad_ipv6", "GET /a.txt HTTP/1.1\r\nHost: [zz]\r\nConnection: close\r\n\r\n"),
    ("host_numeric_tld", "GET /a.txt HTTP/1.1\r\nHost: a.1b\r\nConnection: close\r\n\r\n"),
    ("host_short_quad", "GET /a.txt HTTP/1.1\r\nHost: 1.2.3\r\nConnection: close\r\n\r\n"),
    ("host_userinfo", "GET /a.txt HTTP/1.1\r\nHost: u@a\r\nConnection: close\r\n\r\n"),
    ("host_upper", "GET /a.txt HTTP/1.1\r\nHost: LOCALHOST.\r\nConnection: close\r\n\r\n"),
    # ---- bodies
    ("cl_body_get", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("cl_leading_zero", "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 005\r\n\r\nhello"
                        "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("cl_plus", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: +5\r\n\r\nhello"),
    ("cl_negative", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: -1\r\n\r\n"),
    ("cl_garbage", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 5x\r\n\r\nhello"),
    ("cl_list", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 5, 5\r\n\r\nhello"),
    ("cl_twice", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
    ("cl_overflow", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 99999999999999999999\r\n\r\n"),
    ("cl_too_large", "POST /a.txt HTTP/1.1\r\n" + H11 + "Content-Length: 9223372036854775807\r\n\r\n"),
    ("te_gzip", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: gzip\r\n\r\n"),
    ("te_identity", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: identity\r\n\r\n"),
    ("te_gzip_chunked", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
    ("te_and_cl", "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("te_http10", "POST /a.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("chunk_ext", "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5;a=b;c=\"d\"\r\nhello\r\n0\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("chunk_trailer", "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("chunk_bad_trailer", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n"),
    ("chunk_upper_hex", "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "A\r\n0123456789\r\n0\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("chunk_negative", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"),
    ("chunk_0x", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"),
    ("chunk_not_hex", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\nZ\r\nhello\r\n0\r\n\r\n"),
    ("chunk_too_long", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"),
    ("chunk_lf_only", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n"),
    ("chunk_overflow", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n"),
    ("chunk_empty_size", "POST /a.txt HTTP/1.1\r\n" + H11 + "Transfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n"),
    # ---- expectations and connection management
    ("expect_100", "POST /a.txt HTTP/1.1\r\n" + H11 + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"),
    ("expect_other", "POST /a.txt HTTP/1.1\r\n" + H11 + "Expect: foo\r\nContent-Length: 5\r\n\r\nhello"),
    ("expect_10", "GET /a.txt HTTP/1.0\r\nExpect: 100-continue\r\n\r\n"),
    ("expect_other_10", "GET /a.txt HTTP/1.0\r\nExpect: something\r\n\r\n"),
    ("keepalive_10", "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a.txt HTTP/1.0\r\n\r\n"),
    ("keepalive_11_token", "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n"
                           "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("pipeline_three", "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                       "HEAD /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("pipeline_after_close", "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("pipeline_then_garbage", "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n"),
    ("error_closes", "GET /a.txt HTTP/1.1\r\nHost: x\r\nX y\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("not_found_keeps", "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("method_405_keeps", "DELETE /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    # ---- conditional requests
    ("ims_future", "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 01 Jan 2050 00:00:00 GMT\r\n\r\n"),
    ("ims_past", "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n"),
    ("ims_equal", "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n"),
    ("ims_bad", "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: yesterday\r\n\r\n"),
    ("ius_past", "GET /a.txt HTTP/1.0\r\nIf-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n"),
    ("inm_star", "GET /a.txt HTTP/1.0\r\nIf-None-Match: *\r\n\r\n"),
    ("inm_other", "GET /a.txt HTTP/1.0\r\nIf-None-Match: \"xyz\"\r\n\r\n"),
    ("if_match_other", "GET /a.txt HTTP/1.0\r\nIf-Match: \"xyz\"\r\n\r\n"),
    ("if_match_star", "GET /a.txt HTTP/1.0\r\nIf-Match: *\r\n\r\n"),
    ("inm_star_post", "POST /a.txt HTTP/1.0\r\nIf-None-Match: *\r\n\r\n"),
]

# Requests whose expected ETag is computed: If-None-Match with the file's
# own tag (the mtime below is fixed, so both servers produce the same).
FIXED_MTIME_NS = 1704067200 * 10**9  # Mon, 01 Jan 2024 00:00:00 GMT
ETAG_A = '"6-%x"' % (FIXED_MTIME_NS // 1000)
REQUESTS += [
    ("inm_match", "GET /a.txt HTTP/1.0\r\nIf-None-Match: %s\r\n\r\n" % ETAG_A),
    ("inm_match_list", "GET /a.txt HTTP/1.0\r\nIf-None-Match: \"x\", %s\r\n\r\n" % ETAG_A),
    ("inm_weak_match", "GET /a.txt HTTP/1.0\r\nIf-None-Match: W/%s\r\n\r\n" % ETAG_A),
    ("if_match_same", "GET /a.txt HTTP/1.0\r\nIf-Match: %s\r\n\r\n" % ETAG_A),
    ("if_match_weak", "GET /a.txt HTTP/1.0\r\nIf-Match: W/%s\r\n\r\n" % ETAG_A),
    ("inm_and_ims", "GET /a.txt HTTP/1.0\r\nIf-None-Match: %s\r\n"
                    "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n" % ETAG_A),
    ("head_inm_match", "HEAD /a.txt HTTP/1.0\r\nIf-None-Match: %s\r\n\r\n" % ETAG_A),
    ("if_range_etag", "GET /r.txt HTTP/1.0\r\nRange: bytes=2-5\r\nIf-Range: \"14-%x\"\r\n\r\n"
                      % (FIXED_MTIME_NS // 1000)),
    ("if_range_other", "GET /r.txt HTTP/1.0\r\nRange: bytes=2-5\r\nIf-Range: \"zz\"\r\n\r\n"),
    ("if_range_date", "GET /r.txt HTTP/1.0\r\nRange: bytes=2-5\r\n"
                      "If-Range: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n"),
    ("if_range_old_date", "GET /r.txt HTTP/1.0\r\nRange: bytes=2-5\r\n"
                          "If-Range: Sun, 31 Dec 2023 00:00:00 GMT\r\n\r\n"),
]

# Range forms, each on the 20-byte r.txt (Apache's byterange filter).
for spec in ["bytes=2-5", "bytes=0-1,5-6", "bytes=30-", "bytes=-5", "bytes=5-",
             "bytes=0-100", "bytes=5-2", "bytes=abc", "items=0-1", "bytes= 2-5",
             "bytes=2-5, 7-8", "bytes=0-0,0-0", "bytes=0-3,2-5", "bytes=0-3,4-5",
             "bytes=5-6,0-1", "bytes=-0", "bytes=0-", "bytes=20-", "bytes=19-",
             "bytes=-25", "bytes=,2-3", "bytes=2-3,", "bytes=2-3,30-40",
             "bytes=30-40,50-60", "Bytes=2-5", "bytes=02-05", "bytes=2-5x",
             "bytes =2-5", "bytes=1-1,3-3,5-5"]:
    REQUESTS.append(("range_" + spec, "GET /r.txt HTTP/1.0\r\nRange: %s\r\n\r\n" % spec))
REQUESTS += [
    ("vhost_one", "GET /x.txt HTTP/1.1\r\nHost: one.example\r\nConnection: close\r\n\r\n"),
    ("vhost_one_upper_port", "GET /x.txt HTTP/1.1\r\nHost: ONE.Example:8080\r\nConnection: close\r\n\r\n"),
    ("vhost_two", "GET / HTTP/1.1\r\nHost: two.example\r\nConnection: close\r\n\r\n"),
    ("vhost_two_alias", "GET / HTTP/1.1\r\nHost: www.two.example\r\nConnection: close\r\n\r\n"),
    ("vhost_unknown", "GET /x.txt HTTP/1.1\r\nHost: three.example\r\nConnection: close\r\n\r\n"),
    ("vhost_no_host", "GET /x.txt HTTP/1.0\r\n\r\n"),
    ("vhost_absolute", "GET http://two.example/ HTTP/1.1\r\nHost: one.example\r\nConnection: close\r\n\r\n"),
    ("vhost_trailing_dot", "GET / HTTP/1.1\r\nHost: two.example.\r\nConnection: close\r\n\r\n"),
    ("symlink_file", "GET /link.txt HTTP/1.0\r\n\r\n"),
    ("symlink_dir", "GET /linkdir/x.txt HTTP/1.0\r\n\r\n"),
    ("symlink_outside", "HEAD /outside.txt HTTP/1.0\r\n\r\n"),
    ("loc_prefix", "GET /withindex HTTP/1.0\r\n\r\n"),
    ("loc_prefix_file", "GET /withindex/index.html HTTP/1.0\r\n\r\n"),
    ("loc_not_prefix", "GET /withindexx HTTP/1.0\r\n\r\n"),
    ("range_head_multi", "HEAD /r.txt HTTP/1.0\r\nRange: bytes=1-2,5-6\r\n\r\n"),
    ("range_post", "POST /r.txt HTTP/1.0\r\nRange: bytes=2-5\r\n\r\n"),
    ("range_416_keepalive", "GET /r.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=30-\r\n\r\n"
                            "GET /a.txt HTTP/1.1\r\n" + H11 + "\r\n"),
    ("range_missing", "GET /nope HTTP/1.0\r\nRange: bytes=2-5\r\n\r\n"),
    ("range_big", "GET /big.bin HTTP/1.0\r\nRange: bytes=1000-1999,500000-\r\n\r\n"),
]

# Path and access-control attacks: traversal in every encoding, case and
# trailing-dot tricks against Require and <Files>, .ht* files, symlinks.
for target in ["/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd",
               "/%252e%252e/etc/passwd", "/%c0%ae%c0%ae/etc/passwd",
               "/sub/..%5c..%5cetc/passwd", "/sub/%2E%2E/%2E%2E/etc/passwd",
               "/./././../etc/passwd", "/sub/../../etc/passwd",
               "/.htsecret", "/.HTSECRET", "/.htsecret.", "/.htsecret/",
               "/%2ehtsecret", "/.%68tsecret", "/sub/../.htsecret",
               "/.htsecret%00", "/.htsecret::$DATA", "/.htsecret%20",
               "/SUB/x.txt", "/sub./x.txt", "/sub%2e/x.txt", "/sub/x.txt.",
               "/withindex/./", "/withindex//index.html", "/linkdir/",
               "/linkdir/x.txt", "/linkdir/../a.txt", "/link.txt",
               "/outside.txt", "/sub/../linkdir/x.txt", "/data.json.",
               "/data.JSON", "/pic.png%00.txt", "//etc/passwd",
               "/a.txt/..", "/a.txt/../a.txt", "/%2F/etc/passwd"]:
    REQUESTS.append(("attack_" + target,
                     "GET %s HTTP/1.1\r\nHost: localhost\r\n"
                     "Connection: close\r\n\r\n" % target))

COMPARED = ["Content-Type", "Content-Length", "Last-Modified", "ETag",
            "Allow", "Location", "Transfer-Encoding", "Connection",
            "Keep-Alive", "Accept-Ranges", "Content-Encoding"]


def fix_times(root):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "htdocs")):
        for fn in filenames:
            os.utime(os.path.join(dirpath, fn), ns=(FIXED_MTIME_NS, FIXED_MTIME_NS))


def responses(port, raw, is_head):
    with Conn(port) as c:
        c.send(raw.encode("latin-1"))
        data = c.read_all()
    out = []
    buf = bytearray(data)
    heads = list(is_head)
    while buf:
        if not buf.startswith(b"HTTP/"):
            out.append(("raw", bytes(buf)))
            break
        head = heads.pop(0) if heads else False
        got = harness.parse_response(buf, head=head, eof=True)
        if got is None:
            break
        r, n = got
        del buf[:n]
        if r.status == 100:
            out.append(("100", b""))
            continue
        out.append((r, r.body))
    return out


def head_flags(raw):
    """Which requests in raw (pipelined) are HEAD, in order."""
    flags = []
    for line in raw.split("\r\n"):
        for m in ("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ",
                  "TRACE ", "FOO "):
            if line.startswith(m):
                flags.append(m == "HEAD ")
    return flags


BANNERS = [b"Apache/2.4.71 (Debian)", b"httpd-ng/0.1.0 (Unix)"]


def describe(resp, port):
    """What is compared: status, the COMPARED fields and the body, with
    the server banner and port of ServerSignature lines normalised (and
    Content-Length adjusted to match)."""
    kind, body = resp
    if kind in ("raw", "100"):
        return (kind, body)
    norm = body
    for b in BANNERS:
        norm = norm.replace(b, b"BANNER")
    norm = norm.replace(b" Port %d<" % port, b" Port PORT<")
    ct = kind.header("Content-Type") or ""
    m = re.search(r"boundary=([0-9A-Za-z]+)", ct)
    if m:  # multipart boundaries differ in value and length
        norm = norm.replace(m.group(1).encode(), b"BOUNDARY")
    fields = []
    for h in COMPARED:
        v = kind.header(h)
        if h == "Allow" and v is not None:
            v = ",".join(sorted(v.split(",")))  # Apache's order is random
        if h == "Content-Length" and v is not None and norm != body \
                and int(v) == len(body):
            v = str(len(norm))
        if h == "Content-Type" and m and v is not None:
            v = v.replace(m.group(1), "BOUNDARY")
        if h == "Content-Length" and m and v is not None:
            v = str(len(norm)) if body else "multipart"  # HEAD: not comparable
        fields.append((h, v))
    return (kind.status, tuple(fields), norm)


def compare_all(ours, theirs):
    failures = []
    for name, raw in REQUESTS:
        flags = head_flags(raw)
        a = [describe(x, ours.port) for x in responses(ours.port, raw, flags)]
        b = [describe(x, theirs.port) for x in responses(theirs.port, raw, flags)]
        if a != b:
            failures.append("%s:\n      ours   %r\n      apache %r"
                            % (name, [x[:2] for x in a], [x[:2] for x in b])
                            if [x[:2] for x in a] != [x[:2] for x in b] else
                            "%s: bodies differ\n      ours   %r\n      apache %r"
                            % (name, [x[2:] for x in a], [x[2:] for x in b]))
    return failures


def add_links(root):
    """Symlinks the file map cannot express: to a file, to a directory,
    and one leaving the document root."""
    h = os.path.join(root, "htdocs")
    os.symlink("a.txt", os.path.join(h, "link.txt"))
    os.symlink("sub", os.path.join(h, "linkdir"))
    os.symlink("/etc/hostname", os.path.join(h, "outside.txt"))


def servers(config, files=FILES):
    ours = Server(config, files=files)
    apache = Apache(config, mpm="prefork", files=files)
    for srv in (ours, apache):
        fix_times(srv.root)
        add_links(srv.root)
    return ours, apache


def make_test(label, config):
    def t():
        ours, apache = servers(config)
        with ours, apache:
            failures = compare_all(ours, apache)
        if failures:
            raise AssertionError("%d of %d requests differ:\n  %s"
                                 % (len(failures), len(REQUESTS),
                                    "\n  ".join(failures)))
    t.__name__ = label
    return test(t)


make_test("same_answers_default_config", CONFIG)
make_test("same_answers_keepalive_off_trace_off_charset",
          CONFIG + "KeepAlive Off\nTraceEnable off\nAddDefaultCharset utf-8\n")
make_test("same_answers_limits",
          CONFIG + "LimitRequestLine 100\nLimitRequestFieldSize 60\n"
          "LimitRequestFields 4\nLimitRequestBody 3\nMaxKeepAliveRequests 2\n")
make_test("same_answers_sections",
          CONFIG + '''
<Directory "@HTDOCS@/sub">
    Require all denied
</Directory>
<Directory "@HTDOCS@/withindex">
    Options -FollowSymLinks
</Directory>
<Directory "@HTDOCS@">
    Options -FollowSymLinks
</Directory>
<Directory "@HTDOCS@/sub">
    Options FollowSymLinks
</Directory>
<DirectoryMatch "^@HTDOCS@/with">
    Require all denied
</DirectoryMatch>
<Files "*.json">
    Require all denied
</Files>
<FilesMatch "^pic\\.">
    Require all denied
</FilesMatch>
<Location /withindex>
    Require all granted
</Location>
<LocationMatch "^/data">
    Require all granted
</LocationMatch>
''')
make_test("same_answers_symlinks_owner_and_on",
          CONFIG + '''
<Directory "@HTDOCS@">
    Options SymLinksIfOwnerMatch
</Directory>
<Directory "@HTDOCS@/sub">
    Options None
</Directory>
''')
# FollowSymLinks everywhere lets the walk skip its lstat()s: these take
# it away with absolute Options (no "+"), once for the whole server and
# once only inside the default vhost (the main server keeps it).
make_test("same_answers_symlinks_absolute_options",
          CONFIG + '''
<Directory "@HTDOCS@">
    Options Indexes
</Directory>
<Directory "@HTDOCS@/sub">
    Options +Indexes
</Directory>
''')
make_test("same_answers_symlinks_off_in_vhost",
          CONFIG + '''
<VirtualHost *:@PORT@>
    ServerName one.example
    <Directory "@HTDOCS@">
        Options Indexes
    </Directory>
</VirtualHost>
''')
make_test("same_answers_name_vhosts",
          CONFIG + '''
<VirtualHost *:@PORT@>
    ServerName one.example
    DocumentRoot "@HTDOCS@/sub"
</VirtualHost>
<VirtualHost *:@PORT@>
    ServerName two.example
    ServerAlias *.two.example
    DocumentRoot "@HTDOCS@/withindex"
</VirtualHost>
''')
make_test("same_answers_attacks_options_none",
          CONFIG + '''
<Directory "@HTDOCS@">
    Options None
</Directory>
<Directory "@HTDOCS@/linkdir">
    Options FollowSymLinks
</Directory>
<Directory "@HTDOCS@/sub">
    Require all denied
</Directory>
<Files "*.json">
    Require all denied
</Files>
<Directory "@HTDOCS@/a.txt">
    Require all denied
</Directory>
ErrorDocument 403 /withindex/index.html
''')
make_test("same_answers_fileetag_and_errordocs",
          CONFIG + 'FileETag Size\nErrorDocument 404 /withindex/index.html\n'
          'ErrorDocument 405 "Not here\nErrorDocument 403 http://example.com/denied\n'
          'ErrorDocument 400 /nope-either.html\nServerSignature On\n')


if __name__ == "__main__":
    run()
