#!/usr/bin/env python3
"""Differential tests of the response side against Debian's apache2: the
same requests go to httpd-ng and apache2 (prefork, same tree, same
configuration) and the answers must agree on status, the compared header
fields, the body (server banner, port and multipart boundary normalised)
and, where a LogFormat is given, the access-log line.

Covered: ErrorDocument pages that fail themselves (the "Additionally"
paragraph), byte ranges on every 200 body (files, listings, the 8000-byte
limit on a generated body, listings with an HTML header), the merging
rules of ap_set_byterange() and MaxRanges / MaxRangeOverlaps /
MaxRangeReversals over seeded random Range headers, multipart part types
under Header/AddDefaultCharset, early and late Header actions, and %k/%L.

Run alone: python3 test_response_diff.py [NAME-SUBSTRING...]"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

COMPARED = ["Content-Type", "Content-Length", "Content-Range", "Location",
            "Last-Modified", "Allow", "Accept-Ranges", "Transfer-Encoding",
            "Keep-Alive", "Connection"]

BASE = """
TypesConfig "@ROOT@/conf/mime.types"
<Directory "@HTDOCS@">
    Require all granted
    Options Indexes
</Directory>
"""


def listing_files(prefix, count):
    return {"htdocs/%s/f%04d.txt" % (prefix, i): "z" for i in range(count)}


def fetch(port, raw):
    raw = raw.replace("@PORT@", str(port))
    with Conn(port) as c:
        c.send(raw.encode("latin-1"))
        data = c.read_all()
    out, buf = [], bytearray(data)
    heads = [ln.startswith("HEAD ") for ln in raw.split("\r\n")
             if re.match(r"^[A-Z]+ \S+ HTTP/", ln)]
    while buf:
        if not buf.startswith(b"HTTP/"):
            out.append(("raw", bytes(buf)))
            break
        got = harness.parse_response(buf, head=heads.pop(0) if heads else False,
                                     eof=True)
        if got is None:
            out.append(("incomplete", bytes(buf)))
            break
        del buf[:got[1]]
        out.append(got[0])
    return out


def describe(resp, port):
    return describe_response(resp, port, COMPARED, header_port=False)


def log_text(server, count):
    path = os.path.join(server.root, "logs", "access_log")
    wait_for(lambda: os.path.exists(path) and
             open(path, "rb").read().count(b"\n") >= count,
             what="%d access log lines" % count)
    return open(path, "rb").read().decode("latin-1") \
        .replace(server.root, "@ROOT@").splitlines()


def compare(config, files, requests, log_lines=0, log_filter=None):
    """Send every raw request to both servers; return the differences."""
    ours = Server(config, files=files)
    theirs = Apache(config, mpm="prefork", files=files)
    for s in (ours, theirs):
        set_mtimes(s.root)
    failures = []
    with theirs, ours:
        for raw in requests:
            a = [describe(x, ours.port) for x in fetch(ours.port, raw)]
            b = [describe(x, theirs.port) for x in fetch(theirs.port, raw)]
            if a != b:
                if [x[:2] for x in a] != [x[:2] for x in b]:
                    failures.append("%r:\n      ours   %r\n      apache %r"
                                    % (raw, [x[:2] for x in a], [x[:2] for x in b]))
                else:
                    failures.append("%r: bodies differ\n      ours   %r\n"
                                    "      apache %r"
                                    % (raw, [x[2][:600] for x in a],
                                       [x[2][:600] for x in b]))
        if log_lines:
            la = log_text(ours, log_lines)
            lb = log_text(theirs, log_lines)
            if log_filter:
                la, lb = [log_filter(x) for x in la], [log_filter(x) for x in lb]
            for i, (x, y) in enumerate(zip(la, lb)):
                if x != y:
                    failures.append("log line %d:\n      ours   %r\n      apache %r"
                                    % (i, x, y))
    return failures


def check_same(config, files, requests, **kw):
    failures = compare(config, files, requests, **kw)
    if failures:
        raise AssertionError("%d of %d requests differ:\n  %s"
                             % (len(failures), len(requests),
                                "\n  ".join(failures[:12])))


def req(method, path, *headers, body=None, close=True):
    h = ["Host: localhost"] + list(headers)
    if close:
        h.append("Connection: close")
    if body is not None:
        h.append("Content-Length: %d" % len(body))
    return "%s %s HTTP/1.1\r\n%s\r\n\r\n%s" % (method, path, "\r\n".join(h),
                                               body or "")


# ---- ErrorDocument that fails ---------------------------------------------

ERRDOC_FILES = {"htdocs/a.txt": "hello\n", "htdocs/sub/x.txt": "x\n",
                "htdocs/d/.keep": "", "htdocs/ok.html": "<p>ok</p>\n"}
ERRDOC_PATHS = ["/nothere", "/sub/x.txt", "/a.txt", "/gone", "/five", "/r5"]
ERRDOC_CONFIG = BASE + """
<Directory "@HTDOCS@">
    Options None
</Directory>
<Directory "@HTDOCS@/sub">
    Require all denied
</Directory>
Redirect gone /gone
Redirect 500 /five
Redirect /r http://example.com/
Redirect 503 /r5
LogFormat "%>s %s %<s %m %U %f \\"%r\\" %b" x
CustomLog "@LOGS@/access_log" x
"""
ERRDOC_VARIANTS = [
    # (name, ErrorDocument lines): a missing target, a denied one, a
    # directory without index, an external Redirect, a recursion
    ("missing", "ErrorDocument 404 /missing.html\nErrorDocument 403 /sub/x.txt\n"
                "ErrorDocument 405 /nope405.html\nErrorDocument 500 /nope500.html\n"
                "ErrorDocument 410 /gone\nErrorDocument 501 /a.txt\n"
                "ErrorDocument 503 /five\n"),
    ("crossed", "ErrorDocument 404 /sub/x.txt\nErrorDocument 403 /missing.html\n"
                "ErrorDocument 405 /d/\nErrorDocument 500 /r\n"
                "ErrorDocument 410 /gone\nErrorDocument 501 /five\n"
                "ErrorDocument 503 /r5\n"),
    ("served", "ErrorDocument 404 /ok.html\nErrorDocument 403 /ok.html\n"
               "ErrorDocument 405 /ok.html\nErrorDocument 500 /ok.html\n"
               "ErrorDocument 503 /nothere\nErrorDocument 410 \"gone text\n"),
]


def errdoc_requests():
    out = []
    for m in ["GET", "POST", "HEAD", "PUT", "DELETE", "FOO"]:
        for p in ERRDOC_PATHS:
            body = "k=v" if m in ("POST", "PUT") else None
            out.append(req(m, p, body=body))
    return out


def make_errdoc_test(name, lines):
    def t():
        reqs = errdoc_requests()
        check_same(ERRDOC_CONFIG + lines, ERRDOC_FILES, reqs,
                   log_lines=len(reqs))
    t.__name__ = "errordocument_that_fails_" + name
    return test(t)


for _n, _l in ERRDOC_VARIANTS:
    make_errdoc_test(_n, _l)


@test
def errordocument_failure_page_names_the_original_status():
    """Golden facts recorded from apache2: the paragraph names the status
    being answered, not the one the ErrorDocument itself met."""
    with Server(ERRDOC_CONFIG + ERRDOC_VARIANTS[1][1], files=ERRDOC_FILES) as s:
        for path, method, status in [("/nothere", "GET", 404),
                                     ("/sub/x.txt", "POST", 403),
                                     ("/a.txt", "PUT", 405),
                                     ("/five", "GET", 500)]:
            r = get(s.port, path, method=method,
                    body=b"k=v" if method != "GET" else None)
            eq(r.status, status, "%s %s" % (method, path))
            check(("<p>Additionally, a %s\nerror was encountered while trying "
                   "to use an ErrorDocument to handle the request.</p>\n"
                   % harness_status_line(status)).encode() in r.body,
                  "%s %s body %r" % (method, path, r.body[-200:]))


def harness_status_line(status):
    return {404: "404 Not Found", 403: "403 Forbidden",
            405: "405 Method Not Allowed",
            500: "500 Internal Server Error"}[status]


# ---- byte ranges on every 200 body ------------------------------------------

RANGE_FILES = {"htdocs/a.txt": "hello world 0123456789\n",
               "htdocs/empty.txt": "",
               "htdocs/list/a.txt": "x\n", "htdocs/list/b.txt": "yy\n",
               "htdocs/idx/index.html": "<p>index page here</p>\n",
               "htdocs/hdr/HEADER.html": "<p>header</p>\n",
               "htdocs/hdr/x.txt": "x\n",
               "htdocs/rdm/README.txt": "read me\n",
               "htdocs/rdm/x.txt": "x\n"}
RANGE_FILES.update(listing_files("big", 300))
# listings just under and just over the 8000 bytes apache2 buffers
for _d in (175, 176, 177, 178):
    RANGE_FILES.update(listing_files("n%d" % _d, _d))
RANGES = ["bytes=0-10", "bytes=5-", "bytes=-3", "bytes=0-0,5-6",
          "bytes=99999-", "bytes=1-2,0-100", "bytes=0-", "bytes=x",
          "bytes=20000-20010", "bytes=3-4,1-1,9-9"]


@test
def ranges_on_listings_files_and_error_documents():
    config = BASE + """
HeaderName HEADER.html
ReadmeName README.txt
ErrorDocument 404 /a.txt
ErrorDocument 403 /list/
<Directory "@HTDOCS@/forbidden">
    Require all denied
</Directory>
"""
    reqs = []
    for p in ["/list/", "/big/", "/nothere", "/idx/", "/a.txt", "/hdr/",
              "/rdm/", "/empty.txt", "/forbidden/", "/n175/", "/n176/",
              "/n177/", "/n178/"]:
        for r in RANGES:
            for m in ["GET", "HEAD"]:
                reqs.append(req(m, p, "Range: " + r))
        reqs.append(req("GET", p))
        reqs.append("GET %s HTTP/1.0\r\nRange: bytes=1-2\r\n\r\n" % p)
    check_same(config, dict(RANGE_FILES, **{"htdocs/forbidden/x": "x"}), reqs)


@test
def range_416_keepalive_and_error_document():
    config = BASE + """
Header always add X-Al a
Header add X-On b
LogFormat "%k %>s %{Range}i" x
CustomLog "@LOGS@/access_log" x
"""
    ka = "Connection: keep-alive"
    reqs = [req("GET", p, ka, "Range: bytes=99999-", close=False)
            for p in ("/list/", "/a.txt")]
    reqs += [req("GET", "/a.txt", ka, close=False) +
             req("GET", "/a.txt", ka, "Range: bytes=99999-", close=False) +
             req("GET", "/a.txt")]
    check_same(config, RANGE_FILES, reqs)
    check_same(config + "ErrorDocument 416 /a.txt\n", RANGE_FILES, reqs)


@test
def range_status_logged_through_directory_index():
    config = BASE + 'FallbackResource /a.txt\n' \
        'LogFormat "%s %<s %>s %U %{Range}i" x\nCustomLog "@LOGS@/access_log" x\n'
    reqs = [req("GET", p, "Range: " + r) for p in ("/idx/", "/idx/index.html",
                                                  "/nothing/here")
            for r in ("bytes=0-1", "bytes=0-0,2-2", "bytes=99999-")]
    check_same(config, RANGE_FILES, reqs, log_lines=len(reqs))


def random_range(rnd, size):
    def one():
        k = rnd.random()
        a = rnd.randint(0, size + 5)
        b = rnd.randint(0, size + 5)
        if k < 0.35:
            return "%d-%d" % (min(a, b), max(a, b))
        if k < 0.45:
            return "%d-" % a
        if k < 0.55:
            return "-%d" % rnd.randint(0, size + 3)
        if k < 0.6:
            return rnd.choice(["0-", "", " 1-2", "2-1", "a-b", "-", "1-2-3",
                               "00-01", "+1-2", "1 -2", "99999999999999999999-"])
        c = rnd.randint(0, size - 1)
        return "%d-%d" % (c, min(size + 2, c + rnd.randint(0, 4)))
    n = rnd.choice([1, 2, 2, 3, 4, 6, 10, 25, 30])
    if rnd.random() < 0.05:
        n = rnd.choice([199, 200, 201, 250])
        specs = rnd.choice([["0-"] * n, ["%d-%d" % (i, i) for i in range(n)],
                            ["%d-%d" % (2 * i, 2 * i) for i in range(n)]])
    else:
        specs = [one() for _ in range(n)]
    sep = rnd.choice([",", ",", ",", ",,", ", "])
    unit = rnd.choice(["bytes="] * 12 + ["Bytes=", "bytes =", "items="])
    return unit + sep.join(specs)


RANGE_LIMITS = ["", "MaxRanges 3", "MaxRangeOverlaps 2", "MaxRangeReversals 1",
                "MaxRanges none", "MaxRanges unlimited\nMaxRangeOverlaps "
                "unlimited\nMaxRangeReversals unlimited", "MaxRanges default",
                "MaxRangeOverlaps none\nMaxRangeReversals none"]


def make_random_range_test(i, limits):
    def t():
        rnd = random.Random("ranges/%d" % i)
        size = 200 + 37 * i
        data = bytes(rnd.randrange(256) for _ in range(size))
        files = {"htdocs/f.bin": data, "htdocs/small/a.txt": "a\n"}
        config = BASE + limits + "\n"
        reqs = []
        for _ in range(60):
            path = rnd.choice(["/f.bin"] * 4 + ["/small/"])
            reqs.append(req(rnd.choice(["GET"] * 5 + ["HEAD"]), path,
                            "Range: " + random_range(rnd, size)))
        check_same(config, files, reqs)
    t.__name__ = "random_range_sets_%d_%s" % (
        i, re.sub(r"\W+", "_", limits.split("\n")[0]) or "defaults")
    return test(t)


for _i, _limits in enumerate(RANGE_LIMITS):
    make_random_range_test(_i, _limits)


@test
def max_ranges_directives_checked_as_apache():
    for d in ["MaxRanges", "MaxRangeOverlaps", "MaxRangeReversals"]:
        for v in ["none", "NONE", "default", "unlimited", "0", "-1", "5", "x",
                  "5x", "", "1 2", "2147483648", "4294967297"]:
            for ctx in ["%s %s", "<Directory />\n%s %s\n</Directory>",
                        "<Location /x>\n%s %s\n</Location>",
                        "<Files x>\n%s %s\n</Files>",
                        "<VirtualHost *:80>\n%s %s\n</VirtualHost>"]:
                conf = ctx % (d, v)
                ours, theirs = httpd_t(conf), apache_t(conf, mpm="prefork")
                eq(ours[0], theirs[0], "verdict for %r" % conf)
                if theirs[0]:
                    eq(ours[1].strip().splitlines()[-1],
                       theirs[1].strip().splitlines()[-1], "message for %r" % conf)


# ---- multipart part types ---------------------------------------------------

@test
def multipart_part_types_follow_header_and_charset():
    files = {"htdocs/a.txt": "0123456789abcdefghij\n",
             "htdocs/b.html": "<p>0123456789abcdefghij</p>\n",
             "htdocs/noext": "0123456789abcdefghij\n",
             "htdocs/list/x.txt": "x\n"}
    variants = ["", "Header set Content-Type text/x-forced",
                "Header always set Content-Type text/x-always",
                "Header set Content-Type text/x-early early",
                "AddDefaultCharset utf-8",
                "AddDefaultCharset On\nHeader set Content-Type text/html",
                "Header unset Content-Type", "Header set Content-Range bytes",
                "Header set Content-Type multipart/byteranges",
                "Header unset ETag", "Header unset Last-Modified",
                "Header edit Content-Type text/ image/",
                "<Files noext>\nForceType text/plain\n</Files>"
                if False else "DefaultType none"]
    reqs = []
    for p in ["/a.txt", "/b.html", "/noext", "/list/"]:
        for r in ["bytes=0-1,4-5", "bytes=1-2", "bytes=0-0,2-2,4-4"]:
            reqs.append(req("GET", p, "Range: " + r))
        # apache2 2.4.71 knows neither Request-Range nor MSIE 3's
        # multipart/x-byteranges any more
        reqs.append(req("GET", p, "Request-Range: bytes=0-1,4-5"))
        reqs.append(req("GET", p, "Range: bytes=0-1,4-5",
                        "User-Agent: Mozilla/2.0 (compatible; MSIE 3.02)"))
        reqs.append(req("GET", p, "Range: bytes=" +
                        ",".join("%d-%d" % (i, i) for i in range(0, 70, 2))))
        reqs.append(req("GET", p, "Range: bytes=0-1,4-5",
                        "If-Range: Tue, 14 Nov 2023 22:13:20 GMT"))
    for v in variants:
        if v == "DefaultType none":
            continue
        check_same(BASE + v + "\n", files, reqs)


# ---- early and late Header actions -------------------------------------------

HEADER_ORDER_VARIANTS = [
    "Header edit X-A foo bar\nHeader set X-A foo early",
    "Header set X-A foo early\nHeader edit X-A foo bar",
    "Header edit* X-A o 0\nHeader add X-A foo early\nHeader always add X-A boo early",
    "Header set ETag custom early\nHeader set Last-Modified x early",
    "Header set X-E e early\nHeader always set X-F f early",
    "Header always add X-B b early\nHeader add X-C c early",
    "RequestHeader set Range bytes=0-1 early",
    "RequestHeader set Range bytes=0-1",
    "RequestHeader set X-Q y early\nHeader echo ^X-Q",
    "RequestHeader set X-Q y early\n<Directory \"@HTDOCS@\">\n"
    "Require expr %{HTTP:X-Q} == 'y'\n</Directory>",
    "RequestHeader set X-Q y\n<Directory \"@HTDOCS@\">\n"
    "Require expr %{HTTP:X-Q} == 'y'\n</Directory>",
    "Header echo ^X-In early\nHeader echo ^X-I",
    "Header set Content-Type text/x-e early",
    "Header unset Content-Length early\nHeader set X-A one early\n"
    "Header append X-A two",
    "Header merge X-A one early\nHeader merge X-A one\nHeader always merge X-A two",
    "Header edit Content-Type ^text/ image/",
    "Header edit ETag ([0-9a-f]+) x$1",
    "<Directory \"@HTDOCS@\">\nHeader set X-D d early\n</Directory>",
]


@test
def early_and_late_header_actions():
    files = {"htdocs/a.txt": "hello world 0123456789\n",
             "htdocs/idx/index.html": "<p>i</p>\n", "htdocs/list/x": "x"}
    base = BASE + "ErrorDocument 410 /a.txt\nRedirect gone /gone\n" \
        "FallbackResource /a.txt\n"
    reqs = [req("GET", p, "X-In: v") for p in
            ["/a.txt", "/nope", "/idx/", "/list/", "/gone", "/list/none"]]
    failures = []
    for v in HEADER_ORDER_VARIANTS:
        failures += ["[%s] %s" % (v, f) for f in compare(base + v + "\n", files, reqs)]
    if failures:
        raise AssertionError("\n  ".join(failures[:10]))


# ---- access-log items ---------------------------------------------------------

@test
def keepalive_count_in_log():
    config = BASE + 'LogFormat "%k %>s %{Range}i %{Connection}i" x\n' \
        'CustomLog "@LOGS@/access_log" x\n'
    n = req("GET", "/a.txt", close=False)
    c = req("GET", "/a.txt")
    ka = req("GET", "/a.txt", "Connection: keep-alive", close=False)
    reqs = [n + n + n + c, c, ka + ka + c, "GET /a.txt HTTP/1.0\r\n\r\n",
            "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + c]
    check_same(config, RANGE_FILES, reqs, log_lines=11)


@test
def log_id_only_for_requests_that_logged():
    """%L and %{c}L: "-" unless an error-log line was written for the
    request (the connection's id then stays for its later requests)."""
    config = BASE + """
<Directory "@HTDOCS@/list">
    Require all denied
</Directory>
LogFormat "%L|%{c}L|%m %U %>s" x
CustomLog "@LOGS@/access_log" x
"""
    n = req("GET", "/a.txt", close=False)
    d = req("GET", "/list/a.txt", close=False)
    m = req("GET", "/nope", close=False)
    c = req("GET", "/a.txt")
    reqs = [n + d + n + c, m + c, d + c]

    def ids(line):
        return re.sub(r"^[A-Za-z0-9+/]{11}\|", "ID|",
                      re.sub(r"\|[A-Za-z0-9+/]{11}\|", "|CID|", line))
    for extra in ("", "LogLevel info\n"):
        check_same(config + extra, RANGE_FILES, reqs, log_lines=8,
                   log_filter=ids)



# ---- ErrorDocument for errors of the request itself ---------------------------

REQERR_CONFIG = BASE + r"""
LogFormat "%>s %<s %m %v %f %b" reqerr
CustomLog "@LOGS@/access_log" reqerr
ErrorDocument 400 /a.txt
ErrorDocument 413 /a.txt
ErrorDocument 414 /a.txt
LimitRequestBody 2
<VirtualHost *:@PORT@>
ServerName v.test
DocumentRoot "@HTDOCS@/v"
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName w.test
DocumentRoot "@HTDOCS@/w"
</VirtualHost>
"""
REQERR_FILES = {"htdocs/v/a.txt": "v a\n", "htdocs/w/x.txt": "w\n"}


@test
def errordocument_serves_request_errors():
    """A local ErrorDocument answers the errors found in the request's own
    bytes (a bad header, no Host, a bad request line or URI path, a URI
    too long, a body over LimitRequestBody or badly chunked) like any
    other: served with the error's status (as GET, HEAD keeping its
    header_only) in the address's default vhost when the error came
    before the Host header was used, else in the vhost it names; where
    the document fails the error's own page says "Additionally, a 400"
    and the log has the failure.  Facts recorded from apache2."""
    long_uri = "/" + "a" * 9000
    reqs = [
        "GET /x.txt HTTP/1.1\r\nHost: w.test\r\nReferer: \x7f\r\n\r\n",
        "GET /x.txt HTTP/1.1\r\nHost: v.test\r\nFoo\r\n\r\n",
        "GET /x.txt HTTP/1.1\r\n\r\n",
        "GET /a b c HTTP/1.1\r\nHost: v.test\r\n\r\n",
        "GET /x%zz HTTP/1.1\r\nHost: v.test\r\n\r\n",
        "GET /x%zz HTTP/1.1\r\nHost: w.test\r\n\r\n",
        "HEAD /x% HTTP/1.1\r\nHost: v.test\r\n\r\n",
        "GET %s HTTP/1.1\r\nHost: v.test\r\n\r\n" % long_uri,
        "POST /a.txt HTTP/1.1\r\nHost: v.test\r\nContent-Length: 5\r\n\r\nhello",
        "GET /x.txt HTTP/1.1\r\nHost: v.test\r\nContent-Length: 5\r\n\r\nhello",
        "GET /x.txt HTTP/1.1\r\nHost: v.test\r\nTransfer-Encoding: chunked"
        "\r\n\r\nzz\r\n",
    ]
    with Server(REQERR_CONFIG, files=REQERR_FILES) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
        log = log_text(s, len(reqs))
    served = [0, 1, 2, 3, 4, 7, 8, 9, 10]
    for i in served:
        eq((got[i].status, got[i].body), ({7: 414, 8: 413, 9: 413}.get(i, 400),
                                          b"v a\n"), reqs[i][:60])
    eq(got[5].status, 400, "a document that fails")
    check(b"Additionally, a 400 Bad Request" in got[5].body, "its page")
    eq((got[6].status, got[6].header("Content-Length"), got[6].body),
       (400, "4", b""), "HEAD")
    eq(log[0].split(" ")[:4], ["400", "400", "GET", "v.test"],
       "refused before Host: the default vhost")
    eq(log[5].split(" ")[:4], ["404", "400", "GET", "w.test"], "failed document")
    eq(log[6].split(" ")[2], "GET", "HEAD is logged as GET")
    check_same(REQERR_CONFIG, REQERR_FILES, reqs, log_lines=len(reqs),
               log_filter=lambda ln: re.sub(r"/tmp/\S+/htdocs", "ROOT", ln))


@test
def content_language_joins_header_items():
    """A response with languages (mod_mime) gets the items of a
    Content-Language field Header gave it appended, each once (compared
    without case; as ap_get_list_item() reads them: lower-cased outside
    quotes and comments, blanks squeezed), joined by ","; without
    languages the field is left alone.  Facts recorded from apache2."""
    config = BASE + r"""
DefaultLanguage de
AddLanguage fr .fr
Header set Content-Language xx
<Location /m>
Header merge Content-Language yy
</Location>
<Location /a>
Header append Content-Language DE
</Location>
<Location /u>
Header unset Content-Language
</Location>
<Location /q>
Header set Content-Language "XX,  Yy ; q=1 (c), DE,,\"Q q\""
</Location>
<Location /n>
DefaultLanguage none
</Location>
"""
    files = {"htdocs/a.txt": "x", "htdocs/b.txt.fr": "x", "htdocs/c.en.fr": "x",
             "htdocs/m/a.txt": "x", "htdocs/a/a.txt": "x", "htdocs/u/a.txt": "x",
             "htdocs/q/a.txt": "x", "htdocs/n/a.txt": "x"}
    want = [("/a.txt", "de,xx"), ("/b.txt.fr", "fr,xx"), ("/m/a.txt", "de,xx,yy"),
            ("/a/a.txt", "de,xx"), ("/u/a.txt", "de"),
            ("/q/a.txt", 'de,xx,yy;q=1 (c),"Q q"')]
    got = {}
    for cls in (Server, Apache):
        if cls is Apache and not have_apache():
            continue
        kw = {"mpm": "prefork"} if cls is Apache else {}
        with cls(config, files=files, **kw) as s:
            got[cls] = [get(s.port, p).header("Content-Language")
                        for p, _ in want]
    eq(got[Server], [w for _, w in want], "recorded from apache2")
    if Apache in got:
        eq(got[Server], got[Apache], "against apache2")


@test
def redirect_with_other_statuses():
    """Redirect with a status that is not 3xx answers with that status's
    page: 405 and 501 with "Allow: TRACE" (no handler named its methods
    yet; "" where TraceEnable is off), 413 and 416 with their length, a
    2xx with the 500 text under its own title (204: nothing).  Facts
    recorded from apache2."""
    config = BASE + "".join("Redirect %d /r%d\n" % (n, n) for n in
                            (405, 501, 413, 416, 200, 204, 400))
    files = {"htdocs/a.txt": "a\n"}
    reqs = [req("GET", "/r%d" % n) for n in (405, 501, 413, 416, 200, 204, 400)]
    reqs += [req("HEAD", "/r200"), req("POST", "/r405", body="k=v")]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq([r.status for r in got], [405, 501, 413, 416, 200, 204, 400, 200, 405],
       "statuses")
    eq([got[i].header("Allow") for i in (0, 1)], ["TRACE", "TRACE"], "Allow")
    eq([got[i].header("Content-Length") for i in (2, 3, 5)], ["355", "354", None],
       "lengths")
    check(b"<title>200 OK</title>" in got[4].body and
          b"internal error" in got[4].body, "2xx page %r" % got[4].body[:200])
    check_same(config, files, reqs)
    off = BASE + "TraceEnable Off\nRedirect 405 /r405\n"
    with Server(off, files=files) as s:
        eq(fetch(s.port, reqs[0])[0].header("Allow"), "", "TraceEnable Off")
    check_same(off, files, reqs[:1])


@test
def conditionals_as_apache():
    """If-Match/If-None-Match that start with "*" match whatever follows
    (repeated fields are joined); with a Range, If-None-Match compares
    strongly; an If-Modified-Since that is no date counts as a date
    before the file (it cancels an If-None-Match's 304); an
    If-Unmodified-Since that holds, or is no date, rules out a 304 (only a
    412 may follow) where a matching If-Match does not; a W/ tag in
    If-None-Match matches for GET and HEAD only.  Facts recorded from
    apache2."""
    files = {"htdocs/a.txt": "a\n"}
    tag = 'W/"2-%x"' % (FIXED_MTIME * 1000000)
    date = "Tue, 14 Nov 2023 22:13:20 GMT"  # FIXED_MTIME
    ius = "If-Unmodified-Since: " + date
    reqs = [req("GET", "/a.txt", "If-None-Match: *", 'If-None-Match: "x"'),
            req("POST", "/a.txt", "If-None-Match: *", 'If-None-Match: "x"', body="k"),
            req("HEAD", "/a.txt", "If-Match: *", 'If-Match: "1-2"'),
            req("GET", "/a.txt", "If-None-Match: " + tag, "Range: bytes=0-0"),
            req("GET", "/a.txt", "If-None-Match: " + tag),
            req("GET", "/a.txt", "If-None-Match: *", "If-Modified-Since: garbage"),
            req("GET", "/a.txt", ius, "If-None-Match: *"),
            req("HEAD", "/a.txt", "If-Unmodified-Since: garbage",
                "If-None-Match: " + tag),
            req("GET", "/a.txt", ius, "If-Modified-Since: " + date),
            req("POST", "/a.txt", ius, "If-None-Match: *", body="k"),
            req("GET", "/a.txt", "If-Match: " + tag[2:], "If-None-Match: *"),
            req("POST", "/a.txt", "If-None-Match: " + tag, body="k"),
            req("POST", "/a.txt", "If-None-Match: " + tag[2:], body="k"),
            req("HEAD", "/a.txt", "If-None-Match: \"x\", " + tag)]
    with Server(BASE, files=files) as s:
        set_mtimes(s.root)
        got = [fetch(s.port, raw)[0].status for raw in reqs]
    eq(got, [304, 412, 200, 206, 304, 200, 200, 200, 200, 412, 304, 200, 412,
             304], "statuses")
    check_same(BASE, files, reqs)


@test
def trace_enable_per_server_and_extended():
    """TraceEnable is the server's (a vhost without one has the main
    server's); "extended" echoes a request body after the head, "on"
    refuses one with 413.  Facts recorded from apache2."""
    config = BASE + """TraceEnable extended
<VirtualHost *:@PORT@>
ServerName v.test
TraceEnable On
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName w.test
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName o.test
TraceEnable Off
</VirtualHost>
"""
    files = {"htdocs/a.txt": "a\n"}
    reqs = [req("TRACE", "/a.txt", body="k=v").replace("localhost", h)
            for h in ("v.test", "w.test", "o.test")]
    reqs.append(req("OPTIONS", "/a.txt").replace("localhost", "o.test"))
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq([r.status for r in got], [413, 200, 405, 200], "statuses")
    check(got[1].body.endswith(b"\r\n\r\nk=v"), "echo %r" % got[1].body)
    eq(got[3].header("Allow"), "POST,OPTIONS,HEAD,GET", "Allow without TRACE")
    check_same(config, files, reqs)


@test
def no_conditions_under_an_error_document():
    """A request made while serving an ErrorDocument (the document's own
    FallbackResource or DirectoryIndex) is not judged by the client's
    conditions or ranges either: the document is sent with the error's
    status.  Facts recorded from apache2."""
    config = BASE + """ErrorDocument 404 /fb/nope
<Directory "@HTDOCS@/fb">
FallbackResource /a.txt
</Directory>
<Directory "@HTDOCS@/d">
DirectoryIndex i.txt
</Directory>
<Location "/e">
ErrorDocument 404 /d/
</Location>
"""
    files = {"htdocs/a.txt": "fallback\n", "htdocs/d/i.txt": "index\n",
             "htdocs/fb/.keep": ""}
    reqs = [req("GET", "/missing", "If-None-Match: *"),
            req("GET", "/missing", "If-Modified-Since: Sat, 01 Jan 2050 00:00:00 GMT"),
            req("GET", "/missing", "Range: bytes=0-1"),
            req("GET", "/e/missing", "If-None-Match: *")]
    with Server(config, files=files) as s:
        set_mtimes(s.root)
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq([(r.status, r.body) for r in got],
       [(404, b"fallback\n")] * 3 + [(404, b"index\n")], "answers")
    check_same(config, files, reqs)


@test
def trace_answer_has_server_settings_only():
    """TRACE is answered before the walks: its refusal (TraceEnable Off)
    carries the server's Header lines, not a <Location>'s or a
    <Directory>'s.  Facts recorded from apache2."""
    config = BASE + """TraceEnable Off
Header always set X-Srv s
<Location "/q">
Header always set X-Loc l
</Location>
<Directory "@HTDOCS@">
Header always set X-Dir d
</Directory>
"""
    files = {"htdocs/a.txt": "a\n"}
    reqs = [req("TRACE", "/q"), req("TRACE", "/a.txt"), req("GET", "/q")]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq([(r.status, r.header("X-Srv"), r.header("X-Loc"), r.header("X-Dir"))
        for r in got],
       [(405, "s", None, None), (405, "s", None, None), (404, "s", "l", "d")],
       "headers")
    check_same(config, files, reqs)


@test
def listing_header_through_fallback_resource():
    """A listing's HeaderName/ReadmeName lookup runs the fixups, as
    Apache's sub-requests do: a missing file under a FallbackResource is
    that resource (a text one goes in <pre>, an HTML one as it is).
    Facts recorded from apache2."""
    config = BASE + """Alias /al "@ROOT@/files"
<Directory "@ROOT@/files">
Require all granted
</Directory>
DirectoryIndex disabled
<Directory "@HTDOCS@/d">
HeaderName HEADER.html
ReadmeName README.txt
FallbackResource /al/target.txt
</Directory>
<Directory "@HTDOCS@/e">
HeaderName HEADER.html
FallbackResource /e/h.html
</Directory>
"""
    files = {"htdocs/d/x.txt": "x\n", "files/target.txt": "aliased target\n",
             "htdocs/e/h.html": "<p>hh</p>\n"}
    reqs = [req("GET", "/d/"), req("GET", "/e/")]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq(got[0].body.count(b"<pre>\naliased target\n</pre>"), 2, "header and readme")
    check(b"<p>hh</p>" in got[1].body, "HTML header %r" % got[1].body[:300])
    check_same(config, files, reqs)

@test
def index_ignore_where_its_section_holds():
    """IndexIgnore (and AddIcon/AddAlt) apply where the entry's full path
    matches the path of the section they are in followed by "*": the
    server's and a <Directory>'s (wildcards too) or an access file's
    hold their files, while a <Location>'s URL, a <DirectoryMatch>'s or
    <LocationMatch>'s regex and a <Files> pattern are compared as they
    are (<Location "/"> and <Files "*"> hold everything); ".." is
    "THISDIR/..".  Facts recorded from apache2."""
    config = BASE.replace("Options Indexes", "Options Indexes\n"
                          "AllowOverride All\nIndexIgnore m1*") + """
<Directory "@HTDOCS@/d1">
IndexIgnore d1* ..
</Directory>
<Directory "@HTDOCS@/*">
IndexIgnore w*
</Directory>
<DirectoryMatch "^@HTDOCS@/d2">
IndexIgnore dm*
</DirectoryMatch>
<Files "*">
IndexIgnore s*
</Files>
<Files "d2">
IndexIgnore f*
</Files>
<Location "/">
IndexIgnore l*
</Location>
<Location "/d1">
IndexIgnore k*
</Location>
<LocationMatch "^/d">
IndexIgnore r*
</LocationMatch>
<Location "/d2">
IndexIgnore ..
</Location>
"""
    names = ["m1", "d1x", "wx", "dmx", "sx", "fx", "lx", "kx", "rx", "hx", "ok"]
    files = {"htdocs/%s/%s" % (d, n): "x" for d in ("d1", "d2", "d1/sub")
             for n in names}
    files["htdocs/d2/.htaccess"] = "IndexIgnore hx .htaccess\n"
    reqs = [req("GET", "/d1/"), req("GET", "/d2/"), req("GET", "/d1/sub/")]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    listed = [re.findall(r'<a href="([^"?]*)">', r.body.decode()) for r in got]
    eq(listed, [["dmx", "fx", "hx", "kx", "ok", "rx"],
                ["/", "d1x", "dmx", "fx", "kx", "ok", "rx"],
                ["dmx", "fx", "hx", "kx", "ok", "rx"]], "entries")
    check_same(config, files, reqs)


@test
def body_errors_use_the_requests_own_error_document():
    """An error met reading the body (400 bad chunk, 413 over the limit,
    408 timeout) while an ErrorDocument is served belongs to the request
    the client sent: its own ErrorDocument for that status, or the plain
    page naming its method, nothing "Additionally"; a 408 goes to its
    document like any error.  Facts recorded from apache2."""
    config = BASE + """LimitRequestBody 4
Timeout 1
ErrorDocument 404 /n404.txt
ErrorDocument 408 /a.txt
<Location /n404.txt>
ErrorDocument 413 /b.txt
ErrorDocument 400 /b.txt
</Location>
<Location /y>
ErrorDocument 413 /a.txt
</Location>
"""
    files = {"htdocs/a.txt": "hello\n", "htdocs/n404.txt": "n404\n",
             "htdocs/b.txt": "bbb\n"}
    big = "Transfer-Encoding: chunked\r\n\r\n9\r\n123456789\r\n0\r\n\r\n"
    bad = "Transfer-Encoding: chunked\r\n\r\nzz\r\n123456789\r\n0\r\n\r\n"
    reqs = ["POST /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + big,
            "POST /y/nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + bad,
            "POST /y/nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + big,
            "POST /y/nope HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9\r\n"
            "Connection: close\r\n\r\n123456789",
            "GET /a.txt HTTP/1.1\r\nHost: localhost\r\n",
            "POST /nope HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\na"]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
    eq([(r.status, r.body if len(r.body) < 10 else None) for r in got],
       [(413, None), (400, None), (413, b"hello\n"), (413, b"hello\n"),
        (408, b"hello\n"), (408, b"hello\n")], "answers")
    check(b"with POST requests" in got[0].body and
          b"Additionally" not in got[0].body, "413 page %r" % got[0].body)
    check_same(config, files, reqs)


@test
def trace_extended_echoes_a_chunked_body():
    """TraceEnable extended echoes a chunked body decoded (its trailer
    left out, no 64k limit as for a Content-Length one); a chunk it cannot
    read or a body over LimitRequestBody gets that error's page and then
    a 400's in the same answer, logged as the 400.  Facts recorded from
    apache2."""
    config = BASE + """TraceEnable extended
LimitRequestBody 70000
LogFormat "%>s %b" st
CustomLog "@LOGS@/access_log" st
"""
    files = {"htdocs/a.txt": "a\n"}
    h = ("TRACE /a.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: "
         "chunked\r\nConnection: close\r\n\r\n")
    reqs = [h + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
            h + "9c40\r\n%s\r\n61a8\r\n%s\r\n0\r\n\r\n" % ("x" * 40000, "y" * 25000),
            h + "3\r\nabc\r\nzz\r\n",
            h + "11171\r\n%s\r\n0\r\n\r\n" % ("z" * 70001)]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
        log = log_text(s, len(reqs))
    head = h.encode()
    eq(got[0].body, head + b"abcde", "echo")
    eq(len(got[1].body), len(head) + 65000, "65000 bytes echoed")
    eq([r.status for r in got], [200, 200, 400, 413], "statuses")
    check(got[3].body.count(b"<!DOCTYPE") == 2 and b"<title>400" in got[3].body,
          "413 then 400 page %r" % got[3].body[-300:])
    eq([ln.split()[0] for ln in log], ["200", "200", "400", "400"], "logged")
    check_same(config, files, reqs, log_lines=len(reqs))


@test
def file_etag_none_drops_a_header_etag():
    """Where FileETag None applies and a tag was made (a file served, a
    304, a listing with TrackModified) no ETag goes out, one from Header
    set or Header always set neither, and %{ETag}o logs "-"; where none
    was made (an error page, a plain listing) Header's stays.  Facts
    recorded from apache2."""
    config = BASE + """FileETag None
LogFormat "%>s %{ETag}o" et
CustomLog "@LOGS@/access_log" et
<Location /s>
Header set ETag "fixed"
</Location>
<Location /al>
Header always set ETag "alw"
</Location>
<Location /d>
FileETag MTime
Header set ETag "fixed"
</Location>
<Location /l>
IndexOptions FancyIndexing TrackModified
Header set ETag "fixed"
</Location>
"""
    files = {"htdocs/s/a.txt": "hello\n", "htdocs/al/a.txt": "x\n",
             "htdocs/d/a.txt": "d\n", "htdocs/l/a.txt": "l\n"}
    paths = ["/s/a.txt", "/al/a.txt", "/al/nope", "/d/a.txt", "/l/", "/s/"]
    reqs = [req("GET", p) for p in paths] + \
        [req("GET", "/s/a.txt", "If-None-Match: *")]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0] for raw in reqs]
        log = log_text(s, len(reqs))
    eq([(r.status, r.header("ETag")) for r in got],
       [(200, None), (200, None), (404, "alw"), (200, "fixed"), (200, None),
        (200, "fixed"), (304, None)], "answers")
    eq(log, ["200 -", "200 -", "404 alw", "200 fixed", "200 -", "200 fixed",
             "304 -"], "log")
    check_same(config, files, reqs, log_lines=len(reqs))


@test
def error_document_after_a_refused_symlink_is_checked():
    """A request whose walk stopped at a symlink it may not follow merged
    no section, so the ErrorDocument's request is checked anew: refused
    by the same Require, it fails as a recursive 403 (%>s 403, no
    Content-Type logged), where after an authz refusal the document's
    request is not checked and ends as its own 404.  Facts recorded from
    apache2."""
    config = BASE.replace("Options Indexes", "Options SymLinksIfOwnerMatch") \
        .replace("Require all granted", "Require method POST") + \
        """ErrorDocument 403 /nowhere.html
LogFormat "%>s %s %{Content-Type}o" st
CustomLog "@LOGS@/access_log" st
"""
    files = {"htdocs/a.txt": "a\n"}
    reqs = [req("GET", "/link0/"), req("GET", "/a.txt")]
    got = {}
    for cls in (Server, Apache):
        kw = {"mpm": "prefork"} if cls is Apache else {}
        try:
            srv = cls(config, files=files, **kw)
        except Skip:
            continue
        os.symlink("sub", os.path.join(srv.htdocs, "link0"))  # dangling
        with srv:
            answers = [describe(fetch(srv.port, raw)[0], srv.port)[:2]
                       for raw in reqs]
            got[cls] = (answers, log_text(srv, len(reqs)))
    eq([a[0] for a in got[Server][0]], [403, 403], "statuses")
    eq(got[Server][1], ["403 403 -", "404 403 text/html"], "log")
    if Apache in got:
        eq(got[Server], got[Apache], "against apache2")


@test
def directory_check_handler_leaves_other_handlers():
    """DirectoryCheckHandler On: mod_dir's index only for a directory
    whose handler is still httpd/unix-directory (its slash redirect
    whatever the handler); under SetHandler default-handler (or another)
    the directory is that handler's, a 404 here.  SetHandler none changes nothing.  Facts
    recorded from apache2."""
    config = BASE.replace("Options Indexes", "Options None") + """
<Directory "@HTDOCS@/c">
SetHandler none
DirectoryCheckHandler On
</Directory>
<Directory "@HTDOCS@/d">
SetHandler default-handler
DirectoryCheckHandler On
</Directory>
<Directory "@HTDOCS@/e">
SetHandler foo-bar
DirectoryCheckHandler On
</Directory>
<Directory "@HTDOCS@/f">
SetHandler default-handler
</Directory>
"""
    files = {"htdocs/%s/index.html" % d: "<p>%s</p>\n" % d for d in "cdef"}
    reqs = [req("GET", p) for p in ["/c/", "/c", "/d/", "/d", "/e/", "/f/"]]
    with Server(config, files=files) as s:
        got = [fetch(s.port, raw)[0].status for raw in reqs]
    eq(got, [200, 301, 404, 301, 404, 200], "statuses")
    check_same(config, files, reqs)


if __name__ == "__main__":
    run()
