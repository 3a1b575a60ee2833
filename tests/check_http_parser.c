/* check_http_parser.c -- the request-head scanner and header rules, as
 * tables of (request bytes, limits, outcome).  Outcome 0 means the head is
 * accepted (Apache then answers from the resource: 200, 404, 501...);
 * otherwise the status the parser itself answers.  The vectors are those of
 * Apache's own test suite (t/apache/http_strict.t, limits.t, chunkinput.t,
 * contentlength.t) and others, each outcome recorded from apache2 2.4.71
 * with HttpProtocolOptions at its default (Strict). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "http_proto.h"

struct vec {
    const char *name;
    const char *req;
    size_t len; /* 0: strlen(req) */
    int small;  /* 1: LimitRequestLine 100, FieldSize 50, Fields 5 */
    int want;
};

#define V(name, req, want)                                                     \
    {                                                                          \
        name, req, 0, 0, want                                                  \
    }
#define VS(name, req, want)                                                    \
    {                                                                          \
        name, req, 0, 1, want                                                  \
    }
#define VN(name, req, want)                                                    \
    {                                                                          \
        name, req, sizeof(req) - 1, 0, want                                    \
    }

static const struct vec head_vectors[] = {
    /* request line */
    V("plain 1.0", "GET / HTTP/1.0\r\n\r\n", 0),
    V("bare LF", "GET / HTTP/1.0\n\n", 400),
    V("LF ends a header", "GET / HTTP/1.0\r\nHost: x\n\r\n", 400),
    V("lower-case method is a token", "get / HTTP/1.0\r\n\r\n", 0),
    V("space inside method", "G ET / HTTP/1.0\r\n\r\n", 400),
    V("trailing space", "GET / HTTP/1.0 \r\n\r\n", 400),
    V("two spaces before target", "GET  / HTTP/1.0\r\n\r\n", 400),
    V("two spaces before version", "GET /  HTTP/1.0\r\n\r\n", 400),
    V("tab separator", "GET\t/ HTTP/1.0\r\n\r\n", 400),
    V("tab before version", "GET /\tHTTP/1.0\r\n\r\n", 400),
    V("leading space", " GET / HTTP/1.0\r\n\r\n", 400),
    V("CR CR LF", "GET / HTTP/1.0\r\r\n\r\n", 400),
    V("bare CR inside", "GET / HTTP/1.0\rX\r\n\r\n", 400),
    V("method with (", "G(ET / HTTP/1.0\r\n\r\n", 400),
    V("four words", "GET / X HTTP/1.0\r\n\r\n", 400),
    V("version 1.1 no Host", "GET / HTTP/1.1\r\n\r\n", 400),
    V("version 1.2 no Host", "GET / HTTP/1.2\r\n\r\n", 400),
    V("version 1.9 with Host", "GET / HTTP/1.9\r\nHost: x\r\n\r\n", 0),
    V("version 2.0 no Host", "GET / HTTP/2.0\r\n\r\n", 400),
    V("version 2.0 with Host", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 0),
    V("version 3.0 no Host", "GET / HTTP/3.0\r\n\r\n", 400),
    V("version 10.0", "GET / HTTP/10.0\r\n\r\n", 400),
    V("version 0.9 spelled out", "GET / HTTP/0.9\r\n\r\n", 400),
    V("version 1.01", "GET / HTTP/1.01\r\n\r\n", 400),
    V("version 1", "GET / HTTP/1\r\n\r\n", 400),
    V("lower-case http", "GET / http/1.0\r\n\r\n", 400),
    V("version 1.0x", "GET / HTTP/1.0x\r\n\r\n", 400),
    V("other protocol", "GET / FOO/1.0\r\n\r\n", 400),
    V("HTTP/0.9 GET", "GET /a.txt\r\n", 0),
    V("HTTP/0.9 ignores what follows", "GET /a.txt\r\nHost x\r\n\r\n", 0),
    V("HTTP/0.9 HEAD", "HEAD /a.txt\r\n", 400),
    V("HTTP/0.9 POST", "POST /a.txt\r\n", 400),
    V("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
    V("blank lines first", "\r\n\r\nGET / HTTP/1.0\r\n\r\n", 0),
    V("bare LF blank lines", "\n\nGET / HTTP/1.0\r\n\r\n", 400),
    V("too many blank lines",
      "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.0\r\n\r\n",
      400),
    VN("NUL in target", "GET /a\0b HTTP/1.0\r\n\r\n", 400),
    V("CTL in target", "GET /a\001 HTTP/1.0\r\n\r\n", 400),
    V("DEL in target", "GET /a\177 HTTP/1.0\r\n\r\n", 400),
    V("high byte in target", "GET /a\377 HTTP/1.0\r\n\r\n", 0),
    V("quote and braces in target", "GET /a\"{<\\ HTTP/1.0\r\n\r\n", 0),
    /* request target */
    V("absolute http", "GET http://localhost/a HTTP/1.1\r\nHost: foo\r\n\r\n",
      0),
    V("absolute needs Host on 1.1", "GET http://localhost/a HTTP/1.1\r\n\r\n",
      400),
    V("absolute on 1.0", "GET http://localhost:80/a HTTP/1.0\r\n\r\n", 0),
    V("absolute https", "GET https://localhost/a HTTP/1.0\r\n\r\n", 0),
    V("absolute upper-case scheme", "GET HTTP://localhost/a HTTP/1.0\r\n\r\n",
      0),
    V("absolute ftp", "GET ftp://localhost/a HTTP/1.0\r\n\r\n", 400),
    V("absolute bad host", "GET http://a..b/a HTTP/1.0\r\n\r\n", 400),
    V("absolute userinfo", "GET http://u@localhost/a HTTP/1.0\r\n\r\n", 400),
    V("absolute without path", "GET http://localhost HTTP/1.0\r\n\r\n", 0),
    V("scheme and path only", "GET http:/a HTTP/1.0\r\n\r\n", 0),
    V("relative target", "GET a.txt HTTP/1.0\r\n\r\n", 400),
    V("star for GET", "GET * HTTP/1.0\r\n\r\n", 400),
    V("star for OPTIONS", "OPTIONS * HTTP/1.0\r\n\r\n", 0),
    V("fragment", "GET /a#f HTTP/1.0\r\n\r\n", 400),
    V("query", "GET /a?x=1 HTTP/1.0\r\n\r\n", 0),
    V("encoded dot", "GET /a%2etxt HTTP/1.0\r\n\r\n", 0),
    V("encoded dot-dot above root", "GET /%2e%2e/a HTTP/1.0\r\n\r\n", 400),
    V("dot-dot above root", "GET /../a HTTP/1.0\r\n\r\n", 400),
    V("dot-dot inside", "GET /sub/../a HTTP/1.0\r\n\r\n", 0),
    V("dot-dot twice above", "GET /sub/../../a HTTP/1.0\r\n\r\n", 400),
    V("encoded dot-dot twice above",
      "GET /sub/%2e%2e/%2E%2E/a HTTP/1.0\r\n\r\n", 400),
    V("encoded slash", "GET /sub%2fx HTTP/1.0\r\n\r\n", 404),
    V("encoded NUL", "GET /x%00 HTTP/1.0\r\n\r\n", 404),
    V("bad escape", "GET /a%zz HTTP/1.0\r\n\r\n", 400),
    V("truncated escape", "GET /a% HTTP/1.0\r\n\r\n", 400),
    V("double slash", "GET //a HTTP/1.0\r\n\r\n", 0),
    /* header fields */
    V("Host", "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", 0),
    V("no colon", "GET / HTTP/1.0\r\nHost localhost\r\n\r\n", 400),
    V("space before colon", "GET / HTTP/1.0\r\nHost : localhost\r\n\r\n", 400),
    V("tab before colon", "GET / HTTP/1.0\r\nHost\t: localhost\r\n\r\n", 400),
    V("space in Host", "GET / HTTP/1.0\r\nHost: local host\r\n\r\n", 400),
    V("fold on first line", "GET / HTTP/1.0\r\n Host: localhost\r\n\r\n", 400),
    V("fold into Host", "GET / HTTP/1.0\r\nHost: localhost\r\n foo\r\n\r\n",
      400),
    V("fold with tab", "GET / HTTP/1.0\r\nX-Foo: a\r\n\tb\r\n\r\n", 0),
    V("fold with space", "GET / HTTP/1.0\r\nX-Foo: a\r\n b\r\n\r\n", 0),
    V("space in name", "GET / HTTP/1.0\r\nX Foo: a\r\n\r\n", 400),
    VN("NUL in value", "GET / HTTP/1.0\r\nX-Foo: a\0b\r\n\r\n", 400),
    V("CR in value", "GET / HTTP/1.0\r\nX-Foo: a\rb\r\n\r\n", 400),
    V("CTL in value", "GET / HTTP/1.0\r\nX-Foo: a\001b\r\n\r\n", 400),
    V("DEL in value", "GET / HTTP/1.0\r\nX-Foo: a\177b\r\n\r\n", 400),
    V("high byte in value", "GET / HTTP/1.0\r\nX-Foo: a\377b\r\n\r\n", 0),
    V("high byte in name", "GET / HTTP/1.0\r\nX-F\377oo: a\r\n\r\n", 400),
    V("( in name", "GET / HTTP/1.0\r\nX-F(oo: a\r\n\r\n", 400),
    V("empty name", "GET / HTTP/1.0\r\n: a\r\n\r\n", 400),
    V("empty value", "GET / HTTP/1.0\r\nX-Foo:\r\n\r\n", 0),
    V("padded value", "GET / HTTP/1.0\r\nX-Foo:  a  \r\n\r\n", 0),
    /* Host rules */
    V("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    V("two equal Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
    V("empty Host on 1.1", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400),
    V("empty Host on 1.0", "GET / HTTP/1.0\r\nHost:\r\n\r\n", 0),
    V("Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
    V("Host IPv6", "GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n", 0),
    V("Host IPv6 port", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 0),
    V("Host IPv6 unclosed", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
    V("Host IPv6 garbage", "GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", 400),
    V("Host port", "GET / HTTP/1.1\r\nHost: a:80\r\n\r\n", 0),
    V("Host port zero-padded", "GET / HTTP/1.1\r\nHost: a:080\r\n\r\n", 0),
    V("Host port letters", "GET / HTTP/1.1\r\nHost: a:x\r\n\r\n", 400),
    V("Host port empty", "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", 400),
    V("Host port zero", "GET / HTTP/1.1\r\nHost: a:0\r\n\r\n", 400),
    V("Host port max", "GET / HTTP/1.1\r\nHost: a:65535\r\n\r\n", 0),
    V("Host port too big", "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400),
    V("Host port signed", "GET / HTTP/1.1\r\nHost: a:+80\r\n\r\n", 400),
    V("Host dot-dot", "GET / HTTP/1.1\r\nHost: a..b\r\n\r\n", 400),
    V("Host underscore", "GET / HTTP/1.1\r\nHost: a_b\r\n\r\n", 0),
    V("Host leading dot", "GET / HTTP/1.1\r\nHost: .a\r\n\r\n", 0),
    V("Host trailing dot", "GET / HTTP/1.1\r\nHost: a.\r\n\r\n", 0),
    V("Host leading dash", "GET / HTTP/1.1\r\nHost: -a\r\n\r\n", 0),
    V("Host short quad", "GET / HTTP/1.1\r\nHost: 1.2.3\r\n\r\n", 400),
    V("Host numeric TLD", "GET / HTTP/1.1\r\nHost: a.1b\r\n\r\n", 400),
    V("Host zero-padded quad", "GET / HTTP/1.1\r\nHost: 01.2.3.4\r\n\r\n", 400),
    V("Host quad", "GET / HTTP/1.1\r\nHost: 1.2.3.4\r\n\r\n", 0),
    V("Host big quad", "GET / HTTP/1.1\r\nHost: 999.1.1.1\r\n\r\n", 0),
    V("Host comma", "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 400),
    V("Host percent", "GET / HTTP/1.1\r\nHost: a%b\r\n\r\n", 400),
    V("Host at", "GET / HTTP/1.1\r\nHost: a@b\r\n\r\n", 400),
    V("Host tilde", "GET / HTTP/1.1\r\nHost: a~b\r\n\r\n", 400),
    V("Host backslash", "GET / HTTP/1.1\r\nHost: a\\b\r\n\r\n", 400),
    V("Host upper case", "GET / HTTP/1.1\r\nHost: A.B\r\n\r\n", 0),
    V("bad Host on 1.0", "GET / HTTP/1.0\r\nHost: a..b\r\n\r\n", 400),
    /* bodies: Content-Length and Transfer-Encoding (contentlength.t) */
    V("CL", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", 0),
    V("CL zero-padded",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 05\r\n\r\n", 0),
    V("CL plus", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n",
      400),
    V("CL minus", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      400),
    V("CL garbage", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n\r\n",
      400),
    V("CL trailing space",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5 \r\n\r\n", 0),
    V("CL two numbers",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5 5\r\n\r\n", 400),
    V("CL list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n",
      400),
    V("CL twice",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: "
      "5\r\n\r\n",
      400),
    V("CL differing",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: "
      "6\r\n\r\n",
      400),
    V("CL empty", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", 400),
    V("CL overflow",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
      "99999999999999999999\r\n\r\n",
      400),
    V("CL int64 max",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
      "9223372036854775807\r\n\r\n",
      0),
    V("CL hex", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\n",
      400),
    V("TE chunked",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 0),
    V("TE Chunked",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n", 0),
    V("TE gzip",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    V("TE identity",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", 400),
    V("TE gzip, chunked",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
      0),
    V("TE chunked, gzip",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
      400),
    V("TE and CL",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\nContent-Length: 5\r\n\r\n",
      0),
    /* Expect */
    V("Expect 100-continue",
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", 0),
    V("Expect 100-Continue",
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n\r\n", 0),
    V("Expect other", "POST / HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n", 417),
    V("Expect 100-continue on 1.0",
      "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n", 0),
    V("Expect other on 1.0", "GET / HTTP/1.0\r\nExpect: foo\r\n\r\n", 417),
    /* limits (limits.t): LimitRequestLine 100, FieldSize 50, Fields 5;
     * a line may be limit + 1 bytes without its CRLF */
    VS("line of 101",
       "GET "
       "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaa HTTP/1.0\r\n\r\n",
       0),
    VS("line of 102",
       "GET "
       "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaa HTTP/1.0\r\n\r\n",
       414),
    VS("0.9 line of 102",
       "GET "
       "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
       414),
    VS("field of 51",
       "GET / HTTP/1.0\r\nX-Foo: "
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
       0),
    VS("field of 52",
       "GET / HTTP/1.0\r\nX-Foo: "
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
       400),
    VS("folded field too long",
       "GET / HTTP/1.0\r\nX-Foo: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n "
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
       400),
    VS("5 fields",
       "GET / HTTP/1.0\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", 0),
    VS("6 fields",
       "GET / HTTP/1.0\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n",
       400),
    VS("5 fields and a fold",
       "GET / HTTP/1.0\r\nA: 1\r\n b\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n",
       0),
    /* Apache reads an unterminated line in 8 KiB pieces before it
     * compares it with the limit: a client that stops here gets no 414 */
    VS("long line without LF yet",
       "GET "
       "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       -1),
    VS("long field without LF yet",
       "GET / HTTP/1.0\r\nX-Foo: "
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       -1),
    /* Found by test_request_diff.py.  The target is judged with the
     * request line, before any header arrives (-1: the scanner still
     * waits for the headers, the target is fine so far) */
    V("relative target, no headers yet", "GET a.txt HTTP/1.0\r\n", 400),
    V("GET *, no headers yet", "GET * HTTP/1.0\r\n", 400),
    V("OPTIONS */", "OPTIONS */ HTTP/1.0\r\n", 400),
    V("OPTIONS *, no headers yet", "OPTIONS * HTTP/1.0\r\n", -1),
    V("fragment, no headers yet", "GET /a#f HTTP/1.0\r\n", 400),
    V("fragment in the query", "GET /a?b#f HTTP/1.0\r\n", 400),
    V("userinfo, no headers yet", "GET http://u@h/ HTTP/1.0\r\n", 400),
    V("userinfo with password", "GET http://u:p@h/ HTTP/1.0\r\n", 400),
    V("port not a number", "GET http://h:8x/ HTTP/1.0\r\n", 400),
    V("port empty", "GET http://h:/ HTTP/1.0\r\n", -1),
    V("port with sign", "GET http://h:+80/ HTTP/1.0\r\n", -1),
    V("unclosed IPv6 literal", "GET http://[::1/ HTTP/1.0\r\n", 400),
    V("IPv6 literal and port", "GET http://[::1]:80/ HTTP/1.0\r\n", -1),
    V("a colon and no scheme", "GET : HTTP/1.0\r\n", 400),
    V("scheme and relative path", "GET http:a HTTP/1.0\r\n", 400),
    V("host:port is a scheme", "GET localhost:80 HTTP/1.0\r\n", 400),
    V("scheme only", "GET http: HTTP/1.0\r\n", -1),
    V("double slash is a path", "GET //localhost:80 HTTP/1.0\r\n", -1),
    V("encoded slash first", "GET %2fa HTTP/1.0\r\n", 400),
    V("HTTP/0.9 relative target", "GET a.txt\r\n", 400),
    V("HTTP/0.9 with one trailing SP", "GET /a.txt \r\n", 0),
    V("HTTP/0.9 with two trailing SP", "GET /a.txt  \r\n", 400),
    V("HTTP/0.9 with a trailing tab", "GET /a.txt\t\r\n", 400),
    V("CONNECT without port", "CONNECT localhost HTTP/1.0\r\n", 400),
    V("CONNECT bad port", "CONNECT localhost:x HTTP/1.0\r\n", 400),
    V("CONNECT path", "CONNECT /a HTTP/1.0\r\n", 400),
    V("CONNECT IPv6 without port", "CONNECT [::1] HTTP/1.0\r\n", 400),
    V("CONNECT host:port", "CONNECT localhost:80 HTTP/1.0\r\n\r\n", 0),
    V("empty continuation line", "GET / HTTP/1.0\r\nA: 1\r\n \r\n\r\n", 400),
    V("blank continuation line", "GET / HTTP/1.0\r\nA: 1\r\n \t \r\n\r\n", 400),
    V("HTTP/1.2 absolute, no Host", "GET http://h/ HTTP/1.2\r\n\r\n", 0),
    V("HTTP/1.1 absolute, no Host", "GET http://h/ HTTP/1.1\r\n\r\n", 400),
    V("https names no host", "GET https://h/ HTTP/1.0\r\n\r\n", 0),
    V("https authority unchecked",
      "GET https://a..b/ HTTP/1.1\r\nHost: x\r\n\r\n", 0),
    V("https and a bad Host", "GET https://h/ HTTP/1.1\r\nHost: x:0\r\n\r\n",
      400),
};

/* Scan and finish one head; returns the outcome as the table states it,
 * or -1 if the scanner still wanted bytes. */
static int outcome(const struct vec *v, request **rout, arena *a)
{
    size_t len = v->len ? v->len : strlen(v->req);
    http_limits lim = v->small ? (http_limits){100, 50, 5, 0}
                               : (http_limits){8190, 8190, 100, 0};
    http_scan s;
    http_scan_init(&s, NULL, 0);
    int st = http_scan_head(&s, v->req, len, &lim);
    int result = -1;
    if (st == HTTP_SCAN_DONE) {
        request *r = arena_calloc(a, sizeof(*r));
        r->arena = a;
        const char *note;
        result = http_head_finish(r, &s, v->req, &note);
        if (rout)
            *rout = r;
    } else if (st != HTTP_SCAN_MORE) {
        result = st;
    }
    free(s.fields);
    return result;
}

START_TEST(head_table)
{
    const struct vec *v = &head_vectors[_i];
    arena *a = arena_create(0);
    int got = outcome(v, NULL, a);
    ck_assert_msg(got == v->want, "%s: got %d, want %d", v->name, got, v->want);
    arena_destroy(a);
}
END_TEST

/* Feeding the same bytes one at a time gives the same outcome: the
 * scanner is resumable at any byte. */
START_TEST(head_table_bytewise)
{
    const struct vec *v = &head_vectors[_i];
    size_t len = v->len ? v->len : strlen(v->req);
    http_limits lim = v->small ? (http_limits){100, 50, 5, 0}
                               : (http_limits){8190, 8190, 100, 0};
    http_scan s;
    http_scan_init(&s, NULL, 0);
    int st = HTTP_SCAN_MORE;
    for (size_t n = 1; n <= len && st == HTTP_SCAN_MORE; n++)
        st = http_scan_head(&s, v->req, n, &lim);
    arena *a = arena_create(0);
    int whole = outcome(v, NULL, a);
    if (st == HTTP_SCAN_DONE)
        st = whole; /* finish gives the rest */
    else if (st == HTTP_SCAN_MORE)
        st = -1;
    ck_assert_msg(st == whole, "%s: bytewise %d, whole %d", v->name, st, whole);
    free(s.fields);
    arena_destroy(a);
}
END_TEST

START_TEST(fields_and_folding)
{
    arena *a = arena_create(0);
    struct vec v = V("x",
                     "GET /p%20q?a=b HTTP/1.1\r\nHost: Example.COM.:8080\r\n"
                     "X-Fold: one\r\n  two\r\n\tthree \r\nEmpty:\r\n\r\n",
                     0);
    request *r = NULL;
    ck_assert_int_eq(outcome(&v, &r, a), 0);
    ck_assert_str_eq(r->method, "GET");
    ck_assert_str_eq(r->uri, "/p q");
    ck_assert_str_eq(r->args, "a=b");
    ck_assert_str_eq(r->protocol, "HTTP/1.1");
    ck_assert_int_eq(r->proto_num, 1001);
    ck_assert_str_eq(r->the_request, "GET /p%20q?a=b HTTP/1.1");
    ck_assert_str_eq(r->hostname, "example.com");
    ck_assert_int_eq(r->parsed_port, 8080);
    ck_assert_str_eq(req_table_get(&r->headers_in, "x-fold"), "one two three");
    ck_assert_str_eq(req_table_get(&r->headers_in, "EMPTY"), "");
    ck_assert_int_eq(r->headers_in.n, 3);
    arena_destroy(a);
}
END_TEST

START_TEST(absolute_form_sets_host)
{
    arena *a = arena_create(0);
    struct vec v = V(
        "x", "GET http://Other.Example:81/x/../y?q HTTP/1.1\r\nHost: h\r\n\r\n",
        0);
    request *r = NULL;
    ck_assert_int_eq(outcome(&v, &r, a), 0);
    ck_assert_str_eq(r->hostname, "other.example");
    ck_assert_int_eq(r->parsed_port, 81);
    ck_assert_str_eq(r->uri, "/y");
    ck_assert_str_eq(r->args, "q");
    arena_destroy(a);
}
END_TEST

START_TEST(te_and_cl_closes)
{
    arena *a = arena_create(0);
    struct vec v = V("x",
                     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n",
                     0);
    request *r = NULL;
    ck_assert_int_eq(outcome(&v, &r, a), 0);
    ck_assert_int_eq(r->chunked, 1);
    ck_assert_int_eq(r->keepalive, 0);
    ck_assert_ptr_null(req_table_get(&r->headers_in, "Content-Length"));
    arena_destroy(a);
}
END_TEST

/* ---- paths -------------------------------------------------------------- */

static const struct {
    const char *in, *out;
    int want;
} path_vectors[] = {
    {"/", "/", 0},
    {"/a/b", "/a/b", 0},
    {"/a/./b", "/a/b", 0},
    {"/a/../b", "/b", 0},
    {"/a/b/..", "/a/", 0},
    {"/a/b/.", "/a/b/", 0},
    {"/..", NULL, 400},
    {"/a/../..", NULL, 400},
    {"//a//b", "/a/b", 0},
    {"/%41%2e%7e", "/A.~", 0},
    {"/%2e%2e/", NULL, 400},
    {"/a/%2e%2E", "/", 0},
    {"/a%20b", "/a b", 0},
    {"/a%2Fb", NULL, 404},
    {"/a%00", NULL, 404},
    {"/a%", NULL, 400},
    {"/a%g0", NULL, 400},
    {"/a%0", NULL, 400},
    {"/.hidden", "/.hidden", 0},
    {"/...", "/...", 0},
    {"/a/..b", "/a/..b", 0},
    {"/%252e%252e/", "/%2e%2e/", 0},
    {"/a/.%2e/b", "/b", 0},
};

START_TEST(path_table)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path_vectors[_i].in);
    int rc = http_normalize_path(buf, 1);
    ck_assert_msg(rc == path_vectors[_i].want, "%s: got %d",
                  path_vectors[_i].in, rc);
    if (rc == 0)
        ck_assert_str_eq(buf, path_vectors[_i].out);
}
END_TEST

/* ---- chunked bodies (chunkinput.t) --------------------------------------- */

static const struct {
    const char *body;
    long want; /* 0 complete, 1 needs more, -400, -413 */
    int64_t data;
} chunk_vectors[] = {
    {"0\r\n\r\n", 0, 0},
    {"A\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"a\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"000000A\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"00000000000000000000000000A\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A \r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A\t\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;ext\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A ;ext\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;ext=val\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;ext=\"val\"\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;ext=\"v\\\"l\"\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;ext=\"val\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A; e1 = v ;e2=\"v\";e3\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"A;e(t\r\nxxxxxxxxxx\r\n0\r\n\r\n", 0, 10},
    {"1\r\nx\r\n2\r\nxx\r\n0\r\n\r\n", 0, 3},
    {"A\r\nxxxxxxxxxx\r\n0\r\nFoo: bar\r\n\r\n", 0, 10},
    {"A\r\nxxxxxxxxxx\r\n0\r\nFoo: bar\r\nBaz: q\r\n\r\n", 0, 10},
    {"-A\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"+A\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"0xA\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"G\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"A\nxxxxxxxxxx\n0\n\n", -400, 0},
    {"A 5\r\nxxxxxxxxxx\r\n0\r\n\r\n", -400, 0},
    {"A\r\nxxxxxxxxxxyy\r\n0\r\n\r\n", -400, 10},
    {"A\r\nxxxxxxxxxx0\r\n\r\n", -400, 10},
    {"A\r\nxxxxxxxxxx\r\n0\r\nFoo bar\r\n\r\n", -400, 10},
    {"FFFFFFFFFFFFFFFFF\r\n", -413, 0},
    {"7FFFFFFFFFFFFFFF\r\nxx", 1, 2},
    {"A\r\nxxxxx", 1, 5},
    {"A\r\nxxxxxxxxxx\r\n0\r\n", 1, 10},
};

/* HttpProtocolOptions, each outcome recorded from apache2 2.4.71 */
#define U HTTP_LIM_UNSAFE
#define R HTTP_LIM_REGISTERED
#define Q HTTP_LIM_REQUIRE10
static const struct {
    const char *name, *req;
    int flags, want;
} option_vectors[] = {
    {"Unsafe: bare LF", "GET / HTTP/1.0\n\n", U, 0},
    {"Unsafe: bare LF in a field", "GET / HTTP/1.0\r\nX-A: a\n\r\n", U, 0},
    {"Unsafe: two spaces", "GET  / HTTP/1.0\r\n\r\n", U, 0},
    {"Unsafe: tab still refused", "GET\t/ HTTP/1.0\r\n\r\n", U, 400},
    {"Unsafe: trailing space", "GET / HTTP/1.0 \r\n\r\n", U, 0},
    {"Unsafe: trailing text", "GET / HTTP/1.0 x\r\n\r\n", U, 400},
    {"Unsafe: lower-case http", "GET / http/1.0\r\n\r\n", U, 0},
    {"Unsafe: fragment", "GET /a#f HTTP/1.0\r\n\r\n", U, 0},
    {"Unsafe: userinfo", "GET http://u@localhost/ HTTP/1.0\r\n\r\n", U, 0},
    {"Unsafe: HEAD as HTTP/0.9", "HEAD /a.txt\r\n", U, 0},
    {"Unsafe: method not a token", "G(T / HTTP/1.0\r\n\r\n", U, 0},
    {"Unsafe: CTL in method", "GET\001 / HTTP/1.0\r\n\r\n", U, 400},
    {"Unsafe: CTL in target", "GET /\001 HTTP/1.0\r\n\r\n", U, 400},
    {"Unsafe: bare CR", "GET / HTTP/1.0\rX\r\n\r\n", U, 400},
    {"Unsafe: space before colon", "GET / HTTP/1.0\r\nHost : x\r\n\r\n", U,
     400},
    {"Unsafe: name not a token", "GET / HTTP/1.0\r\nX(A: x\r\n\r\n", U, 0},
    {"Unsafe: CTL in value", "GET / HTTP/1.0\r\nXA: a\001b\r\n\r\n", U, 0},
    {"Unsafe: CR in value", "GET / HTTP/1.0\r\nXA: a\rb\r\n\r\n", U, 400},
    {"Unsafe: VT in value", "GET / HTTP/1.0\r\nXA: a\vb\r\n\r\n", U, 400},
    {"Unsafe: Host a_b", "GET / HTTP/1.1\r\nHost: a_b\r\n\r\n", U, 0},
    {"Unsafe: Host 1.2.3", "GET / HTTP/1.1\r\nHost: 1.2.3\r\n\r\n", U, 0},
    {"Unsafe: Host a..b", "GET / HTTP/1.1\r\nHost: a..b\r\n\r\n", U, 400},
    {"Unsafe: Host port not digits",
     "GET / HTTP/1.1\r\nHost: localhost:8x\r\n\r\n", U, 0},
    {"Unsafe: Host port 0", "GET / HTTP/1.1\r\nHost: localhost:0\r\n\r\n", U,
     400},
    {"Unsafe: Host port too big", "GET / HTTP/1.1\r\nHost: x:65536\r\n\r\n", U,
     400},
    {"Unsafe: Host empty name", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", U, 400},
    {"Unsafe: Host userinfo", "GET / HTTP/1.1\r\nHost: u:p@localhost\r\n\r\n",
     U, 0},
    {"Unsafe: two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", U, 0},
    {"Unsafe: Host bad IPv6", "GET / HTTP/1.1\r\nHost: [v1.x]\r\n\r\n", U, 400},
    {"Strict: Host port not digits",
     "GET / HTTP/1.1\r\nHost: localhost:8x\r\n\r\n", 0, 400},
    {"RegisteredMethods: unknown", "FOO / HTTP/1.0\r\n", R, 501},
    {"RegisteredMethods: 400 first", "FOO  / HTTP/1.0\r\n", R, 400},
    {"RegisteredMethods: 501 before the target", "FOO a.txt HTTP/1.0\r\n", R,
     501},
    {"RegisteredMethods: lower case", "get / HTTP/1.0\r\n", R, 501},
    {"RegisteredMethods: PATCH known", "PATCH / HTTP/1.0\r\n\r\n", R, 0},
    {"Require1.0: HTTP/0.9", "GET /a.txt\r\n", Q, 400},
    {"Require1.0: HTTP/1.0", "GET /a.txt HTTP/1.0\r\n\r\n", Q, 0},
};

/* Apache's line reading refuses a NUL before the field before it is
 * counted: a plain 400, not the field-count note */
START_TEST(nul_before_field_count)
{
    static const char req[] =
        "GET / HTTP/1.0\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n"
        "E: 1\r\nF: 1\r\nG: a\0b\r\n\r\n";
    http_limits lim = {100, 50, 5, 0};
    http_scan s;
    http_scan_init(&s, NULL, 0);
    ck_assert_int_eq(http_scan_head(&s, req, sizeof(req) - 1, &lim), 400);
    ck_assert_ptr_null(s.note);
    free(s.fields);
}
END_TEST

START_TEST(option_table)
{
    http_limits lim = {8190, 8190, 100, option_vectors[_i].flags};
    const char *req = option_vectors[_i].req;
    http_scan s;
    http_scan_init(&s, NULL, 0);
    int st = http_scan_head(&s, req, strlen(req), &lim);
    int got = -1;
    arena *a = arena_create(0);
    if (st == HTTP_SCAN_DONE) {
        request *r = arena_calloc(a, sizeof(*r));
        r->arena = a;
        const char *note;
        got = http_head_finish(r, &s, req, &note);
    } else if (st != HTTP_SCAN_MORE) {
        got = st;
    } else {
        got = 0; /* waiting for the headers: the request line passed */
    }
    ck_assert_msg(got == option_vectors[_i].want, "%s: got %d, want %d",
                  option_vectors[_i].name, got, option_vectors[_i].want);
    free(s.fields);
    arena_destroy(a);
}
END_TEST

START_TEST(chunk_table)
{
    http_chunk c;
    memset(&c, 0, sizeof(c));
    const char *b = chunk_vectors[_i].body;
    int64_t data = 0;
    long n = http_chunk_feed(&c, b, strlen(b), &data, 8192);
    long got = n < 0 ? n : (c.state == CHUNK_DONE ? 0 : 1);
    ck_assert_msg(got == chunk_vectors[_i].want, "%s: got %ld", b, got);
    if (got == 0)
        ck_assert_int_eq((long)n, (long)strlen(b));
    ck_assert_int_eq(data, chunk_vectors[_i].data);
}
END_TEST

/* The decoder is resumable at every byte. */
START_TEST(chunk_bytewise)
{
    const char *b = chunk_vectors[_i].body;
    http_chunk c;
    memset(&c, 0, sizeof(c));
    long rc = 0;
    int64_t total = 0;
    for (size_t i = 0; b[i] && rc >= 0 && c.state != CHUNK_DONE; i++) {
        int64_t d;
        rc = http_chunk_feed(&c, b + i, 1, &d, 8192);
        total += d;
    }
    long got = rc < 0 ? rc : (c.state == CHUNK_DONE ? 0 : 1);
    ck_assert_msg(got == chunk_vectors[_i].want, "%s: bytewise got %ld", b,
                  got);
    ck_assert_int_eq(total, chunk_vectors[_i].data);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("http_parser");
    TCase *tc = tcase_create("head");
    tcase_add_loop_test(tc, head_table, 0, N(head_vectors));
    tcase_add_loop_test(tc, head_table_bytewise, 0, N(head_vectors));
    tcase_add_loop_test(tc, option_table, 0, N(option_vectors));
    tcase_add_test(tc, nul_before_field_count);
    tcase_add_test(tc, fields_and_folding);
    tcase_add_test(tc, absolute_form_sets_host);
    tcase_add_test(tc, te_and_cl_closes);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("paths");
    tcase_add_loop_test(tp, path_table, 0, N(path_vectors));
    suite_add_tcase(s, tp);
    TCase *tch = tcase_create("chunked");
    tcase_add_loop_test(tch, chunk_table, 0, N(chunk_vectors));
    tcase_add_loop_test(tch, chunk_bytewise, 0, N(chunk_vectors));
    suite_add_tcase(s, tch);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
