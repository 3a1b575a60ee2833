#!/usr/bin/env python3
"""mod_deflate's DEFLATE filter with mod_filter's AddOutputFilterByType,
the core's SetOutputFilter and mod_mime's AddOutputFilter.

Expected values recorded from Debian's apache2 2.4 (mod_deflate,
mod_filter) serving the same tree with the same configuration; where
apache2 is installed the same requests go to it too, and each answer must
agree on status, Content-Encoding, Vary, ETag, Content-Length,
Transfer-Encoding and the body once decompressed (and the compressed
length, since both use zlib with apache2's parameters).

Run alone: python3 test_deflate.py [NAME-SUBSTRING...]"""
import gzip
import hashlib
import os
import random
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

_rnd = random.Random(20261126)
TEXT = "".join("line %d of the text\n" % i for i in range(3000))   # 64890
NOISE = bytes(_rnd.getrandbits(8) for _ in range(20000))
# compressible only so far: its compressed stream outgrows apache2's
# 8096-byte buffer before the end, so the answer is streamed (chunked)
B64 = "".join(_rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                          "qrstuvwxyz0123456789+/") for _ in range(200000))
FILES = {
    "htdocs/a.html": "<p>hello hello hello</p>\n" * 20,    # 500 bytes
    "htdocs/t.txt": TEXT,
    "htdocs/b64.txt": B64,
    "htdocs/r.bin": NOISE,
    "htdocs/e.txt": "",
    "htdocs/s68.txt": "x" * 68,    # apache2 leaves it alone
    "htdocs/s69.txt": "x" * 69,    # the shortest it compresses
    "htdocs/c.css": "p { color: red; }\n" * 10,
    "htdocs/page.html.gz": "not really gzip, but AddEncoding says so\n" * 3,
    "htdocs/d/x.txt": "in d\n" * 30,
    "htdocs/d/y.html": "<b>y</b>\n" * 30,
    "htdocs/sub/k.html": "<i>k</i>\n" * 30,
    "htdocs/big.txt": B64 * 16,    # 3.2 MB: written as it is compressed
}
ETAG_A = '"1f4-60a24181e4000"'   # a.html's at FIXED_MTIME
# apache2 with mod_filter and mod_deflate too (not in the harness's
# default list, whose LoadModule lines fill the padded preamble)
MODULES = harness.APACHE_DEFAULT_MODULES + ["filter", "deflate"]

DEBIAN_CONF = """
AddOutputFilterByType DEFLATE text/html text/plain text/xml text/css text/javascript
AddOutputFilterByType DEFLATE application/x-javascript application/javascript application/ecmascript
AddOutputFilterByType DEFLATE application/rss+xml
AddOutputFilterByType DEFLATE application/wasm
AddOutputFilterByType DEFLATE application/xml
<Directory "@HTDOCS@/d">
    Options +Indexes
</Directory>
"""


def summary(resp, port):
    """What must agree: status, the fields, the body decompressed."""
    body = resp.body
    enc = resp.header("Content-Encoding")
    plain = body
    if enc == "gzip" and body and resp.status == 200:
        try:
            plain = gzip.decompress(body)
        except Exception as e:   # noqa: BLE001
            plain = ("undecodable: %s" % e).encode()
    fields = tuple((h, resp.header(h)) for h in (
        "Content-Encoding", "Vary", "ETag", "Content-Length",
        "Transfer-Encoding", "Content-Range", "Content-Type"))
    return (resp.status, fields, len(body),
            hashlib.sha1(plain).hexdigest() if len(plain) > 200 else plain)


def fetch(server, reqs):
    out = []
    for q in reqs:
        q = (q,) if isinstance(q, str) else q
        method, path = q[0].split(" ", 1)
        headers = dict(q[1]) if len(q) > 1 else {}
        version = headers.pop("version", "HTTP/1.1")
        r = get(server.port, path, method=method, headers=headers,
                version=version)
        out.append(summary(r, server.port))
    return out


def agree(config, reqs, files=FILES, extra=None):
    """Our answers, checked against apache2's where it is installed."""
    def run(cls, **kw):
        with cls(config, files=files, **kw) as s:
            set_mtimes(s.root)
            got = fetch(s, reqs)
            return got, (extra(s) if extra else None)
    ours, ours_extra = run(Server)
    if have_apache():
        theirs, their_extra = run(harness.Apache, modules=MODULES)
        for q, o, t in zip(reqs, ours, theirs):
            eq(o, t, repr(q))
        eq(ours_extra, their_extra, "extra")
    return ours, ours_extra


def field(s, name):
    return dict(s[1])[name]


GZ = {"Accept-Encoding": "gzip"}


@test
def debian_config_compresses_by_type():
    reqs = ["GET /a.html", ("GET /a.html", GZ), ("HEAD /a.html", GZ),
            ("GET /t.txt", GZ), ("GET /c.css", GZ), ("GET /r.bin", GZ),
            ("GET /e.txt", GZ), ("GET /s68.txt", GZ), ("GET /s69.txt", GZ),
            ("GET /d/", GZ), ("HEAD /d/", GZ), ("GET /nope", GZ),
            ("GET /a.html", dict(GZ, version="HTTP/1.0"))]
    got, _ = agree(DEBIAN_CONF, reqs)
    plain, gz, head = got[0], got[1], got[2]
    eq(field(plain, "Content-Encoding"), None, "no Accept-Encoding")
    eq(field(plain, "Vary"), "Accept-Encoding", "Vary when not compressed")
    eq(field(plain, "ETag"), ETAG_A, "plain ETag")
    eq(field(gz, "Content-Encoding"), "gzip", "compressed")
    eq(field(gz, "ETag"), ETAG_A[:-1] + '-gzip"', "-gzip suffix")
    eq(field(gz, "Content-Length"), "41", "compressed length")
    eq(gz[3], plain[3], "decompresses to the file")
    eq(field(head, "Content-Length"), "41", "HEAD: the compressed length")
    eq(got[5][1][0], ("Content-Encoding", None), "octet-stream not by type")
    eq(field(got[6], "Vary"), None, "empty body untouched")
    eq(field(got[7], "Content-Encoding"), None, "68 bytes untouched")
    eq(field(got[8], "Content-Encoding"), "gzip", "69 bytes compressed")
    eq(field(got[9], "Content-Encoding"), "gzip", "listing compressed")
    eq(field(got[11], "Vary"), None, "error page not filtered")
    eq(field(got[12], "Content-Length"), "41", "HTTP/1.0")


@test
def accept_encoding_forms():
    forms = ["gzip;q=0", "gzip;q=0.0", "gzip ; q=0", "gzip;q=0.001",
             "gzip;Q=0", "deflate, gzip;q=0.5", "x-gzip", "*", "GZIP",
             "gzipx", "br, gzip", "gzip, deflate;q=0", "identity",
             "gzip;q=0 , br", ""]
    reqs = [("GET /a.html", {"Accept-Encoding": f}) for f in forms]
    got, _ = agree(DEBIAN_CONF, reqs)
    by_form = dict(zip(forms, (field(g, "Content-Encoding") for g in got)))
    eq(by_form["gzip;q=0"], None, "q=0 refuses")
    eq(by_form["gzip;q=0.001"], "gzip", "q>0 accepts")
    eq(by_form["GZIP"], "gzip", "any case")
    eq(by_form["x-gzip"], None, "x-gzip is not gzip to apache2")
    eq(by_form["*"], None, "* is not gzip to apache2")


@test
def large_bodies_stream():
    """Compressed output past the 8096-byte buffer before the end goes
    out without Content-Length: chunked, or closed on HTTP/1.0; a Range
    is then not applied; a small compressed answer is cut (206)."""
    reqs = [("GET /b64.txt", GZ), ("HEAD /b64.txt", GZ),
            ("GET /b64.txt", dict(GZ, version="HTTP/1.0")),
            ("GET /b64.txt", dict(GZ, Range="bytes=0-9")),
            ("GET /t.txt", GZ), ("GET /r.bin", GZ),
            ("GET /a.html", dict(GZ, Range="bytes=0-9")),
            ("GET /a.html", dict(GZ, Range="bytes=0-9",
                                 **{"If-Range": ETAG_A[:-1] + '-gzip"'})),
            # past the compressed end, within the file's: 416
            ("GET /a.html", dict(GZ, Range="bytes=100-200")),
            ("GET /a.html", dict(GZ, Range="bytes=100-200",
                                 Connection="keep-alive"))]
    got, _ = agree("SetOutputFilter DEFLATE\n", reqs)
    eq(field(got[0], "Transfer-Encoding"), "chunked", "streamed: chunked")
    eq(field(got[0], "Content-Length"), None, "streamed: no length")
    eq(field(got[1], "Content-Length"), None, "HEAD: no length either")
    eq(field(got[2], "Transfer-Encoding"), None, "HTTP/1.0: not chunked")
    eq(got[3][0], 200, "no range on a streamed answer")
    check(field(got[4], "Content-Length") is not None, "64 KiB text: whole")
    eq(field(got[5], "Content-Encoding"), "gzip", "SetOutputFilter: any type")
    eq(got[6][0], 206, "range of the compressed bytes")
    eq(field(got[6], "Content-Range"), "bytes 0-9/41", "Content-Range")
    eq(got[8][0], 416, "range past the compressed end")


@test
def streamed_body_on_a_kept_connection():
    """A body compressed as it is written (past the socket's buffers),
    pipelined with others on one keep-alive connection: each decompresses
    to its file, and the connection goes on."""
    with Server("SetOutputFilter DEFLATE\n", files=FILES) as s:
        req = ("GET %s HTTP/1.1\r\nHost: localhost\r\n"
               "Accept-Encoding: gzip\r\n\r\n")
        got = pipeline(s.port, [req % "/big.txt", req % "/a.html",
                                req % "/big.txt", "HEAD /big.txt HTTP/1.1\r\n"
                                "Host: localhost\r\nAccept-Encoding: gzip\r\n"
                                "Connection: close\r\n\r\n"])
        big = (B64 * 16).encode()
        for r, want in zip(got, [big, FILES["htdocs/a.html"].encode(), big]):
            eq(r.status, 200, "status")
            eq(r.header("Content-Encoding"), "gzip", "encoded")
            eq(gzip.decompress(r.body), want, "decompressed body")
        eq(got[0].header("Transfer-Encoding"), "chunked", "chunked")
        eq(got[3].header("Content-Length"), None, "HEAD: no length")
        eq(got[3].body, b"", "HEAD: no body")


@test
def conditional_requests():
    """The conditions compare the file's own ETag; a 304 is untouched."""
    gz_tag = ETAG_A[:-1] + '-gzip"'
    reqs = [("GET /a.html", dict(GZ, **{"If-None-Match": ETAG_A})),
            ("GET /a.html", dict(GZ, **{"If-None-Match": gz_tag})),
            ("GET /a.html", {"If-None-Match": ETAG_A}),
            ("GET /a.html", dict(GZ, **{"If-Modified-Since":
                                        "Tue, 14 Nov 2023 22:13:20 GMT"})),
            ("HEAD /a.html", dict(GZ, **{"If-None-Match": ETAG_A}))]
    got, _ = agree(DEBIAN_CONF, reqs)
    eq(got[0][0], 304, "the plain ETag matches")
    eq(field(got[0], "ETag"), ETAG_A, "304 keeps the plain ETag")
    eq(field(got[0], "Vary"), None, "304: no Vary")
    eq(got[1][0], 200, "the -gzip ETag does not match")


@test
def environment_and_encodings():
    conf = """SetOutputFilter DEFLATE
AddEncoding gzip .gz
SetEnvIf X-E ^no-gzip no-gzip
SetEnvIf X-E gzip-only gzip-only-text/html=1
SetEnvIf X-E force-gzip force-gzip
SetEnvIf X-E ^ce CE
Header set Content-Encoding foo env=CE
SetEnvIf X-E ^vary VARY
Header append Vary Foo env=VARY
"""
    reqs = [("GET /a.html", dict(GZ, **{"X-E": "no-gzip"})),
            ("GET /t.txt", dict(GZ, **{"X-E": "gzip-only"})),
            ("GET /a.html", dict(GZ, **{"X-E": "gzip-only"})),
            ("GET /a.html", {"X-E": "force-gzip"}),
            ("GET /a.html", {"X-E": "force-gzip",
                             "Accept-Encoding": "gzip;q=0"}),
            ("GET /page.html.gz", GZ),
            ("GET /a.html", dict(GZ, **{"X-E": "ce"})),
            ("GET /a.html", dict(GZ, **{"X-E": "vary"}))]
    got, _ = agree(conf, reqs)
    eq(field(got[0], "Vary"), None, "no-gzip: untouched")
    eq(field(got[1], "Content-Encoding"), None, "gzip-only-text/html")
    eq(field(got[2], "Content-Encoding"), "gzip", "text/html still is")
    eq(field(got[3], "Content-Encoding"), "gzip", "force-gzip")
    eq(field(got[5], "Content-Encoding"), "gzip", "AddEncoding's own")
    eq(field(got[5], "Vary"), None, "already encoded: untouched")
    eq(field(got[7], "Vary"), "Accept-Encoding,Foo", "Header after it")


@test
def add_and_remove_output_filter():
    conf = """AddOutputFilter DEFLATE;BOGUS2 html txt
<Directory "@HTDOCS@/sub">
    RemoveOutputFilter html
</Directory>
<Directory "@HTDOCS@/d">
    SetOutputFilter DEFLATE;BOGUS
</Directory>
"""
    reqs = [("GET /a.html", GZ), ("GET /c.css", GZ), ("GET /sub/k.html", GZ),
            ("GET /d/x.txt", GZ), ("GET /d/y.html", GZ)]
    got, log = agree(conf, reqs, extra=lambda s: "AH00082" in s.error_log())
    eq([field(g, "Content-Encoding") for g in got],
       ["gzip", None, None, "gzip", "gzip"], "which are compressed")
    eq(log, True, "an unknown filter is logged")


@test
def access_file_names_a_filter():
    """AddOutputFilterByType in an access file (the configuration names
    no filter): its directory's answers are compressed, others not."""
    files = dict(FILES)
    files["htdocs/d/.htaccess"] = "AddOutputFilterByType DEFLATE text/plain\n"
    conf = '<Directory "@HTDOCS@/d">\n    AllowOverride FileInfo\n</Directory>\n'
    reqs = [("GET /d/x.txt", GZ), ("GET /t.txt", GZ), ("GET /d/x.txt", GZ)]
    got, _ = agree(conf, reqs, files=files)
    eq([field(g, "Content-Encoding") for g in got], ["gzip", None, "gzip"],
       "which are compressed")


@test
def deflate_settings():
    conf = """SetOutputFilter DEFLATE
DeflateCompressionLevel 1
DeflateWindowSize 9
DeflateMemLevel 2
DeflateBufferSize 1024
DeflateAlterETag Remove
DeflateFilterNote Input in
DeflateFilterNote Output out
DeflateFilterNote Ratio ratio
LogFormat "%r %{in}n %{out}n %{ratio}n %B" notes
CustomLog "@LOGS@/notes_log" notes
"""
    reqs = [("GET /t.txt", GZ), ("GET /a.html", GZ), ("GET /a.html",),
            ("GET /r.bin", GZ)]

    def notes(s):
        path = os.path.join(s.logs, "notes_log")
        wait_for(lambda: os.path.exists(path) and
                 open(path).read().count("\n") >= len(reqs), what="log")
        return "".join(sorted(open(path).readlines()))  # written as each ends
    got, log = agree(conf, reqs, extra=notes)
    eq(field(got[0], "ETag"), None, "DeflateAlterETag Remove")
    eq(field(got[0], "Transfer-Encoding"), "chunked", "1024-byte buffer")
    check("GET /a.html HTTP/1.1 500 41 8 59" in log, log)


@test
def virtual_host_settings():
    """apache2's mod_deflate has no server merge: a virtual host with no
    Deflate directive shares the main server's settings (level, buffer,
    window, memory, ETag, notes), one with any starts from the defaults
    for all the others (a DeflateInflate* one too, as its directive made
    the module's server settings)."""
    port2 = free_port()
    conf = """SetOutputFilter DEFLATE
DeflateCompressionLevel 1
DeflateBufferSize 1024
DeflateAlterETag Remove
DeflateFilterNote Ratio ratio
DeflateFilterNote Input in
DeflateWindowSize 9
DeflateMemLevel 2
LogFormat "%v %r %{ratio}n %{in}n" notes
CustomLog "@LOGS@/notes_log" notes
Listen 127.0.0.1:P2
<VirtualHost 127.0.0.1:P2>
ServerName none
</VirtualHost>
<VirtualHost 127.0.0.1:P2>
ServerName lvl
DeflateCompressionLevel 9
</VirtualHost>
<VirtualHost 127.0.0.1:P2>
ServerName note
DeflateFilterNote Output out
</VirtualHost>
<VirtualHost 127.0.0.1:P2>
ServerName inflate
DeflateInflateLimitRequestBody 100
</VirtualHost>
<VirtualHost 127.0.0.1:P2>
ServerName indir
<Directory "@HTDOCS@/d">
DeflateInflateRatioLimit 10
</Directory>
</VirtualHost>
""".replace("P2", str(port2))
    hosts = ["localhost", "none", "lvl", "note", "inflate", "indir"]

    def run(cls, **kw):
        with cls(conf, files=FILES, **kw) as s:
            set_mtimes(s.root)
            out = []
            for host in hosts:
                port = s.port if host == "localhost" else port2
                for path in ["/t.txt", "/a.html"]:
                    r = get(port, path, headers=dict(GZ, Host=host))
                    out.append((host, path) + summary(r, port))
            path = os.path.join(s.logs, "notes_log")
            wait_for(lambda: os.path.exists(path) and
                     open(path).read().count("\n") >= len(out), what="log")
            return out, "".join(sorted(open(path).readlines()))
    ours, log = run(Server)
    if have_apache():
        theirs = run(harness.Apache, modules=MODULES)
        eq(ours, theirs[0], "answers")
        eq(log, theirs[1], "notes")
    by = {(g[0], g[1]): g[2:] for g in ours}
    eq(field(by["none", "/t.txt"], "Transfer-Encoding"), "chunked",
       "the main server's 1024-byte buffer")
    eq(field(by["none", "/a.html"], "ETag"), None, "the main server's Remove")
    eq(field(by["none", "/a.html"], "Content-Length"), "59",
       "the main server's level, window and memory")
    for host in ["lvl", "note", "inflate"]:
        eq(field(by[host, "/a.html"], "Content-Length"), "41", host)
        eq(field(by[host, "/a.html"], "ETag"), ETAG_A[:-1] + '-gzip"', host)
        eq(field(by[host, "/t.txt"], "Transfer-Encoding"), None, host)
    check("none GET /a.html HTTP/1.1 8 500" in log, log)
    check("lvl GET /a.html HTTP/1.1 - -" in log, log)


@test
def range_error_document():
    """A Range past the compressed end (a 416 from apache2's byterange
    filter, which sees the compressed body) follows ErrorDocument: a local
    page passes its own filters and has a length only if its handler set
    one (apache2's error bucket goes past the content-length filter); a
    text; a URL (302)."""
    files = dict(FILES)
    files["htdocs/err.html"] = "custom error page\n" * 10
    files["htdocs/small.html"] = "custom 416 page\n"
    conf = """SetOutputFilter DEFLATE
ErrorDocument 416 /err.html
<Directory "@HTDOCS@/d">
ErrorDocument 416 "quoted text
</Directory>
<Directory "@HTDOCS@/sub">
ErrorDocument 416 http://example.com/x
</Directory>
<Directory "@HTDOCS@/t">
ErrorDocument 416 /small.html
</Directory>
<Directory "@HTDOCS@/l">
ErrorDocument 416 /d/
</Directory>
<Directory "@HTDOCS@/d">
    Options +Indexes
</Directory>
"""
    files["htdocs/t/a.html"] = files["htdocs/a.html"]
    files["htdocs/l/a.html"] = files["htdocs/a.html"]
    past = dict(GZ, Range="bytes=100-200")
    reqs = [("GET /a.html", past),
            ("GET /a.html", dict(past, Connection="keep-alive")),
            ("HEAD /a.html", past),
            ("GET /a.html", {"Range": "bytes=600-700"}),
            ("GET /err.html", dict(GZ, Range="bytes=1000-1001")),
            ("GET /d/x.txt", dict(GZ, Range="bytes=100-140")),
            ("GET /sub/k.html", dict(GZ, Range="bytes=100-140")),
            ("GET /t/a.html", past),
            ("GET /l/a.html", past),
            ("GET /l/a.html", {"Range": "bytes=1000-1001"})]
    got, _ = agree(conf, reqs, files=files)
    eq(got[0][0], 416, "416")
    eq(field(got[0], "Content-Encoding"), "gzip", "the page, compressed")
    eq(field(got[0], "Content-Length"), None, "no length")
    eq(field(got[1], "Transfer-Encoding"), "chunked", "chunked when kept")
    eq(gzip.decompress(got[0][3]), files["htdocs/err.html"].encode(),
       "the page")
    eq(got[5][3], b"quoted text", "the text")
    eq(got[6][0], 302, "the URL")
    eq(field(got[7], "Content-Length"), "16", "the handler's length")
    eq(got[7][3], b"custom 416 page\n", "the small page")


# ---- INFLATE: gzip files served decoded

def gz_member(data, flags=0, extra=b"", method=8, body=None):
    """A gzip member written by hand (header fields as asked)."""
    if body is None:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = c.compress(data) + c.flush()
    return (bytes([0x1f, 0x8b, method, flags, 0, 0, 0, 0, 0, 3]) + extra +
            body + struct.pack("<II", zlib.crc32(data), len(data) & 0xffffffff))


HTML = FILES["htdocs/a.html"].encode()
GOOD = gz_member(HTML)
GZ_FILES = dict(FILES, **{
    "htdocs/g/good.html.gz": GOOD,
    "htdocs/g/big.txt.gz": gzip.compress(B64.encode(), mtime=0),
    "htdocs/g/named.html.gz": gzip.compress(HTML, mtime=12345),
    "htdocs/g/fields.html.gz": gz_member(HTML, flags=0x1e, extra=b"\x02\x00ab"
                                         b"name\0comment\0\x00\x00"),
    "htdocs/g/trailing.html.gz": GOOD + b"garbage after",
    "htdocs/g/two.html.gz": GOOD + GOOD,
    "htdocs/g/method.html.gz": gz_member(HTML, method=7),
    "htdocs/g/noise.html.gz": NOISE[:512],
    "htdocs/g/zlib.html.gz": zlib.compress(HTML),
    "htdocs/g/magic.html.gz": b"\x1f\x00" + GOOD[2:],
    "htdocs/g/flags.html.gz": gz_member(HTML, flags=0x20),
    "htdocs/g/corrupt.html.gz": gz_member(HTML, body=b"\xff" * 40),
    "htdocs/g/crc.html.gz": GOOD[:-8] + b"\0\0\0\0" + GOOD[-4:],
    "htdocs/g/len.html.gz": GOOD[:-4] + b"\1\0\0\0",
    "htdocs/g/trunc.html.gz": GOOD[:-3],
    "htdocs/g/short.html.gz": GOOD[:5],
    "htdocs/g/empty.html.gz": b"",
    "htdocs/g/bomb.txt.gz": gz_member(b"\0" * 3000000),
    "htdocs/g/bigtrunc.txt.gz": gzip.compress(B64.encode(), mtime=0)[:60000],
    "htdocs/g/x.html.xgz": GOOD,
    "htdocs/g/plain.html": HTML,
    "htdocs/err500.html": "the 500 page " * 10,
})


def fetch_or_closed(server, reqs):
    """fetch(), with "closed" for an answer the server dropped midway."""
    out = []
    for q in reqs:
        try:
            out += fetch(server, [q])
        except (ValueError, OSError) as e:   # noqa: PERF203
            out.append(("closed", type(e).__name__))
    return out


def agree_closed(config, reqs, files, extra=None):
    def run(cls, **kw):
        with cls(config, files=files, **kw) as s:
            set_mtimes(s.root)
            return fetch_or_closed(s, reqs), (extra(s) if extra else None)
    ours, ours_extra = run(Server)
    if have_apache():
        theirs, their_extra = run(harness.Apache, modules=MODULES)
        for q, o, t in zip(reqs, ours, theirs):
            eq(o, t, repr(q))
        eq(ours_extra, their_extra, "extra")
    return ours, ours_extra


def error_lines(s):
    """The error log's messages, without time, pid and client."""
    return [line.rsplit("] ", 1)[-1] for line in s.error_log().splitlines()
            if "[deflate:" in line]


@test
def inflate_output_filter():
    """SetOutputFilter INFLATE serves gzip files (AddEncoding gzip or
    x-gzip) decoded: headers, the streamed case, the gzip header's
    fields, what is not deflate data (as it is), and every kind of bad
    input (500 before anything was sent, else the connection dropped),
    each with apache2's log message."""
    conf = """AddEncoding gzip .gz
AddEncoding x-gzip .xgz
<Directory "@HTDOCS@/g">
    SetOutputFilter INFLATE
    ErrorDocument 500 "custom 500
</Directory>
"""
    names = ["good.html.gz", "big.txt.gz", "named.html.gz", "fields.html.gz",
             "trailing.html.gz", "two.html.gz", "method.html.gz",
             "noise.html.gz", "zlib.html.gz", "magic.html.gz",
             "flags.html.gz", "corrupt.html.gz", "crc.html.gz",
             "len.html.gz", "trunc.html.gz", "short.html.gz",
             "empty.html.gz", "bomb.txt.gz", "bigtrunc.txt.gz",
             "x.html.xgz", "plain.html"]
    reqs = ["GET /g/" + n for n in names] + [
        "HEAD /g/good.html.gz", "HEAD /g/big.txt.gz",
        ("GET /g/good.html.gz", GZ),
        ("GET /g/good.html.gz", {"Range": "bytes=0-9"}),
        ("GET /g/good.html.gz", {"If-None-Match": '"%x-60a24181e4000"'
                                 % len(GOOD)}),
        ("GET /g/good.html.gz", {"version": "HTTP/1.0"})]
    got, log = agree_closed(conf, reqs, GZ_FILES, extra=error_lines)
    by = {repr(q): g for q, g in zip(reqs, got)}
    good = by[repr("GET /g/good.html.gz")]
    eq(good[0], 200, "decoded")
    eq(good[3], hashlib.sha1(HTML).hexdigest(), "the file's content")
    eq(field(good, "Content-Encoding"), None, "gzip taken off")
    eq(field(good, "Content-Length"), "500", "whole: its length")
    eq(field(good, "ETag"), '"%x-60a24181e4000-gunzip"' % len(GOOD), "ETag")
    eq(field(by[repr("GET /g/big.txt.gz")], "Transfer-Encoding"), "chunked",
       "past DeflateBufferSize: streamed")
    eq(by[repr("GET /g/fields.html.gz")][3], good[3],
       "optional fields skipped")
    eq(by[repr("GET /g/method.html.gz")][2], len(gz_member(HTML, method=7)),
       "not deflate: as it is")
    for n in ["magic", "flags", "corrupt", "crc", "len", "trunc", "short",
              "empty"]:
        r = by[repr("GET /g/%s.html.gz" % n)]
        eq((r[0], r[3]), (500, b"custom 500"), n)
    eq(by[repr("GET /g/bomb.txt.gz")][0], "closed", "ratio limit, midway")
    eq(by[repr("GET /g/bigtrunc.txt.gz")][0], "closed", "truncated, midway")
    eq(by[repr(("GET /g/good.html.gz", {"Range": "bytes=0-9"}))][0], 206,
       "ranges of the decoded body")
    eq(by[repr("GET /g/plain.html")][1][2], ("ETag", '"1f4-60a24181e4000"'),
       "not gzip: untouched")
    for m in ["AH01405: inflate: bad header", "AH02620: inflate: bad flags 20",
              "AH01409: Zlib error -3 inflating data (invalid block type)",
              "AH01399: Zlib: Checksum of inflated stream invalid",
              "AH01400: Zlib: Length of inflated stream invalid",
              "AH01401: Zlib: Validation bytes not present",
              "AH02650: Inflated content ratio is larger than the configured "
              "limit 200 by 3 time(s)"]:
        check(m in log, "%s in %r" % (m, log))


@test
def inflate_settings_and_chains():
    """DeflateBufferSize, DeflateWindowSize, DeflateAlterETag and the
    ratio settings apply to INFLATE; INFLATE then DEFLATE decodes and
    encodes again (INFLATE runs first whatever the order they are named
    in: apache2's filter types); a local ErrorDocument 500 is served."""
    conf = """AddEncoding gzip .gz
DeflateBufferSize 256
DeflateAlterETag NoChange
<Directory "@HTDOCS@/g">
    AddOutputFilter INFLATE gz
    ErrorDocument 500 /err500.html
    DeflateInflateRatioLimit 5000
    DeflateInflateRatioBurst 1
</Directory>
<Location /g/big.txt.gz>
    SetOutputFilter INFLATE;DEFLATE
</Location>
<Location /g/named.html.gz>
    SetOutputFilter DEFLATE;INFLATE
</Location>
"""
    reqs = ["GET /g/good.html.gz", "GET /g/bomb.txt.gz",
            "GET /g/magic.html.gz",
            ("GET /g/big.txt.gz", GZ), "GET /g/big.txt.gz",
            ("GET /g/big.txt.gz", dict(GZ, version="HTTP/1.0")),
            ("GET /g/named.html.gz", GZ)]
    got, log = agree_closed(conf, reqs, GZ_FILES, extra=error_lines)
    eq(field(got[0], "Transfer-Encoding"), "chunked", "256-byte buffer")
    eq(field(got[0], "ETag"), '"%x-60a24181e4000"' % len(GOOD), "NoChange")
    eq(got[1][0], 200, "a higher ratio limit")
    eq(got[2][0], 500, "the local ErrorDocument")
    eq(got[2][3], ("the 500 page " * 10).encode(), "its page")
    eq(field(got[3], "Content-Encoding"), "gzip", "encoded again")
    eq(field(got[4], "Content-Encoding"), None, "decoded")
    eq(got[3][3], hashlib.sha1(B64.encode()).hexdigest(), "the content")
    eq(field(got[6], "Content-Encoding"), "gzip",
       "INFLATE runs first whatever the order named")

    conf9 = "AddEncoding gzip .gz\nSetOutputFilter INFLATE\n" \
            "DeflateWindowSize 9\n"
    got, log = agree_closed(conf9, ["GET /g/big.txt.gz"], GZ_FILES,
                            extra=error_lines)
    check(got[0][0] in (500, "closed"), got)
    check(any("too far back" in m for m in log), log)


@test
def inflate_fuzz():
    """Truncated, bit-flipped and garbage gzip files: each answer is a 200,
    a 500 or a dropped connection, never a crash or a hang, and apache2's
    where it is installed; the server still answers afterwards."""
    rnd = random.Random(4242)
    data = (TEXT[:3000] + B64[:3000]).encode()
    base = gzip.compress(data, mtime=0)
    files = dict(FILES)
    names = []
    for i in range(40):
        kind = i % 4
        if kind == 0:
            blob = base[:rnd.randrange(len(base))]
        elif kind == 1:
            b = bytearray(base)
            for _ in range(rnd.randrange(1, 4)):
                b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
            blob = bytes(b)
        elif kind == 2:
            blob = base[:10] + bytes(rnd.getrandbits(8)
                                     for _ in range(rnd.randrange(200)))
        else:
            blob = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(40)))
        name = "htdocs/f/%02d.txt.gz" % i
        files[name] = blob
        names.append("GET /f/%02d.txt.gz" % i)
    conf = "AddEncoding gzip .gz\nSetOutputFilter INFLATE\n"
    got, _ = agree_closed(conf, names + ["GET /t.txt"], files)
    for q, g in zip(names, got):
        check(g[0] in (200, 500, "closed"), "%s: %r" % (q, g))
    eq(got[-1][0], 200, "still serving")


def messages_agree(cases):
    """config_cases_agree() with apache2 loading mod_filter and mod_deflate;
    line numbers aside (the preambles differ in length)."""
    for conf, code, msg in cases:
        got = httpd_t(conf)
        eq(got[0], code, "exit code for %r: %r" % (conf, got))
        check(msg in got[1], "%r: %r" % (conf, got[1]))
        if have_apache():
            theirs = apache_t(conf, modules=MODULES)
            eq(got[0], theirs[0], "apache2's exit code for %r" % conf)
            check(msg in theirs[1], "apache2's message for %r" % conf)


@test
def config_messages():
    messages_agree([
        ("DeflateCompressionLevel 10\n", 1,
         "Compression Level must be between 1 and 9"),
        ("DeflateBufferSize 0\n", 1, "DeflateBufferSize should be positive"),
        ("DeflateMemLevel 0\n", 1, "DeflateMemLevel must be between 1 and 9"),
        ("DeflateWindowSize 16\n", 1,
         "DeflateWindowSize must be between 1 and 15"),
        ("DeflateFilterNote bogus ratio\n", 1, "Unknown note type bogus"),
        ("DeflateAlterETag bogus\n", 1,
         "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'"),
        ("<Directory />\nDeflateCompressionLevel 5\n</Directory>\n", 1,
         "DeflateCompressionLevel not allowed in <Directory> context"),
        ("AddOutputFilterByType DEFLATE\n", 1,
         "AddOutputFilterByType requires at least two arguments"),
        ("AddOutputFilterByType DEFLATE;INCLUDES text/html\n", 1,
         "Unknown filter provider INCLUDES"),
        ("SetOutputFilter BOGUS\nAddOutputFilter BOGUS .x\n", 0, "Syntax OK"),
        ("DeflateInflateLimitRequestBody 10x\n", 1,
         "DeflateInflateLimitRequestBody requires a non-negative integer."),
        ("DeflateInflateLimitRequestBody 99999999999999999999\n", 1,
         "DeflateInflateLimitRequestBody is not parsable."),
        ("DeflateInflateRatioLimit 0\n", 1,
         "DeflateInflateRatioLimit must be positive"),
        ("DeflateInflateRatioBurst -1\n", 1,
         "DeflateInflateRatioBurst must be positive"),
        ("<Location />\nDeflateInflateLimitRequestBody 0\n"
         "DeflateInflateRatioLimit 5x\nDeflateInflateRatioBurst 1\n"
         "</Location>\n", 0, "Syntax OK"),
        ("Include /etc/apache2/mods-available/deflate.load\n"
         "Include /etc/apache2/mods-available/filter.load\n"
         "Include /etc/apache2/mods-available/deflate.conf\n", 0, "Syntax OK")
        if os.path.exists("/etc/apache2/mods-available/deflate.conf") else
        (DEBIAN_CONF, 0, "Syntax OK"),
    ])


if __name__ == "__main__":
    run()
