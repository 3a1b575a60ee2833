#!/usr/bin/env python3
"""The standard modules at run time, against Debian's apache2 serving the
same tree with the same configuration: status, Content-Type,
Content-Length, Location, chosen headers and body must match.  Some facts
recorded from apache2 are also asserted directly, so the test means
something where apache2 is absent."""
import hashlib
import inspect
import pprint
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FIELDS = ("Content-Type", "Content-Length", "Location", "Content-Encoding",
          "Content-Language")


FIXED_MTIME = 1700000000  # every file and directory, so listings compare


def pin_mtimes(root):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "htdocs")):
        for n in filenames + dirnames:
            os.utime(os.path.join(dirpath, n), (FIXED_MTIME, FIXED_MTIME))


def fetch(server, reqs):
    pin_mtimes(server.root)
    out = []
    for req in reqs:
        if isinstance(req, str):
            req = ("GET", req, {})
        method, path, hdrs = req
        r = get(server.port, path, method=method, headers=hdrs)
        out.append(r)
    return out


def summary(r, port, extra):
    fields = {}
    for name in FIELDS + tuple(extra):
        v = r.header(name)
        if v is not None:
            v = v.replace(":%d" % port, ":PORT")
        fields[name] = v
    body = r.body.replace(b":%d" % port, b":PORT")
    return r.status, fields, body


def same_framing(ours, theirs):
    """Apache streams some generated bodies (listings with a README, HEAD
    of a listing) without Content-Length; the bytes are what count."""
    if theirs[1].get("Content-Length") is None:
        ours[1]["Content-Length"] = None


RECORD = "--record" in sys.argv
RECORDED = {}
_calls = {}


def golden_key():
    """The calling test's name and the how-many-th compare() it is."""
    fn = next(f.function for f in inspect.stack()
              if f.function not in ("compare", "golden_key"))
    _calls[fn] = _calls.get(fn, 0) + 1
    return "%s#%d" % (fn, _calls[fn])


def as_golden(sm):
    status, fields, body = sm
    return [status, fields, hashlib.sha256(body).hexdigest()]


def compare(config, files, reqs, extra=(), body=True, apache_config=None):
    """Serve files with config on both servers; each request's summary must
    match apache2's, live when apache2 is installed, else the summary
    recorded from it in GOLDEN (status, headers, sha256 of the body).
    Returns our responses."""
    key = golden_key()
    with Server(config, files=files) as s:
        ours = fetch(s, reqs)
    if not have_apache():
        want = GOLDEN.get(key)
        if want is None:
            skip("apache2 absent and no golden answers for %s" % key)
        for req, o, w in zip(reqs, ours, want):
            so = summary(o, s.port, extra)
            if w[1].get("Content-Length") is None:
                so[1]["Content-Length"] = None
            what = req if isinstance(req, str) else " ".join(req[:2])
            eq(as_golden(so), w, "%s (recorded from apache2)" % what)
        return ours
    with Apache(apache_config if apache_config is not None else config,
                files=files) as a:
        theirs = fetch(a, reqs)
    RECORDED[key] = [as_golden(summary(t, a.port, extra)) for t in theirs]
    for req, o, t in zip(reqs, ours, theirs):
        so, st = summary(o, s.port, extra), summary(t, a.port, extra)
        same_framing(so, st)
        what = req if isinstance(req, str) else " ".join(req[:2])
        eq(so[0], st[0], "%s: status" % what)
        if body and so[2] != st[2]:
            ol, tl = so[2].split(b"\n"), st[2].split(b"\n")
            for i, (x, y) in enumerate(zip(ol + [b"<end>"], tl + [b"<end>"])):
                if x != y:
                    eq(x, y, "%s: body line %d" % (what, i + 1))
        eq(so[1], st[1], "%s: headers" % what)
    return ours


SITE = {
    "htdocs/index.html": "<p>home</p>\n",
    "htdocs/a.txt": "alpha\n",
    "htdocs/page.html.gz": "gz",
    "htdocs/doc.fr.html": "<p>fr</p>\n",
    "htdocs/noext": "x",
    "htdocs/t.utf8.txt": "u",
    "htdocs/sub/index.html": "<p>sub</p>\n",
    "htdocs/sub/b.txt": "bravo\n",
    "htdocs/other/default.htm": "<p>default</p>\n",
    "htdocs/other/c.txt": "c\n",
    "htdocs/empty/.keep": "",
    "htdocs/priv/secret.txt": "secret\n",
    "files/target.txt": "aliased\n",
    "files/deep/d.txt": "deep\n",
}


@test
def mime_types_by_extension():
    compare("AddType text/x-foo .foo\nAddEncoding x-gzip .gz\n"
            "AddLanguage fr .fr\nAddCharset UTF-8 .utf8\n",
            dict(SITE, **{"htdocs/f.foo": "foo", "htdocs/x.FOO.txt": "x"}),
            ["/a.txt", "/page.html.gz", "/doc.fr.html", "/noext",
             "/t.utf8.txt", "/f.foo", "/x.FOO.txt", "/index.html"])


@test
def mime_remove_and_sections():
    compare("AddType text/plain .html\n<Directory @HTDOCS@/sub>\n"
            "RemoveType .html\nAddType application/x-b .txt\n</Directory>\n"
            "<Directory @HTDOCS@/other>\nRemoveType .txt\n</Directory>\n",
            SITE, ["/index.html", "/sub/index.html", "/sub/b.txt", "/a.txt",
                   "/other/c.txt"])


@test
def directory_slash_and_index():
    r = compare("", SITE, ["/sub", "/sub?x=1", "/sub/", "/", "/empty",
                           "/empty/", ("HEAD", "/sub", {})])
    eq(r[0].status, 301, "slash redirect")
    check(r[0].header("Location").endswith("/sub/"), "Location ends in /sub/")


@test
def directory_index_list_and_disabled():
    compare("DirectoryIndex missing.html default.htm index.html\n"
            "<Directory @HTDOCS@/sub>\nDirectoryIndex disabled\n</Directory>\n",
            SITE, ["/", "/other/", "/sub/", "/other"])


@test
def directory_slash_off():
    compare("<Directory @HTDOCS@>\nDirectorySlash Off\n</Directory>\n",
            SITE, ["/sub", "/sub/"])


@test
def fallback_resource():
    compare("FallbackResource /index.html\n", SITE,
            ["/nothing", "/a.txt", "/deeper/x?q=1", "/sub/missing"])


@test
def alias_and_redirects():
    compare("Alias /al @ROOT@/files\nAlias /one @ROOT@/files/target.txt\n"
            "AliasMatch ^/m/(.*)$ @ROOT@/files/deep/$1\n"
            "<Directory @ROOT@/files>\nRequire all granted\n</Directory>\n"
            "Redirect /old http://example.org/new\n"
            "Redirect permanent /perm /a.txt\n"
            "Redirect seeother /so http://example.org/so?fixed=1\n"
            "Redirect gone /gone\nRedirect 404 /nf\n"
            "RedirectMatch ^/rm/(.*)\\.php$ http://example.org/php/$1\n"
            "RedirectMatch 410 ^/rg\n",
            SITE, ["/al/target.txt", "/al/deep/d.txt", "/one", "/m/d.txt",
                   "/old", "/old/x y?q=1", "/oldx", "/perm/z?a=b", "/so?q=2",
                   "/gone", "/gone/x", "/nf", "/rm/a b.php", "/rm/x.html",
                   "/rg1"])


@test
def alias_in_location():
    compare("<Location /one-file>\nAlias @ROOT@/files/target.txt\n</Location>\n"
            "<Directory @ROOT@/files>\nRequire all granted\n</Directory>\n",
            SITE, ["/one-file", "/one-file/x", "/one-filex", "/a.txt"])


@test
def redirect_in_sections():
    compare("<Location /loc>\nRedirect http://example.org/loc\n</Location>\n"
            "<Directory @HTDOCS@/sub>\nRedirect /sub/b.txt http://example.org/b\n"
            "</Directory>\n", SITE, ["/loc", "/loc/x", "/sub/b.txt", "/sub/"])


@test
def require_rules():
    compare("<Directory @HTDOCS@/priv>\nRequire all denied\n</Directory>\n"
            "<Location /sub>\n<RequireAll>\nRequire ip 127.0.0.0/8\n"
            "Require not ip 127.0.0.1\n</RequireAll>\n</Location>\n"
            "<Location /other>\n<RequireAny>\nRequire ip 10.0.0.0/8\n"
            "Require local\n</RequireAny>\n</Location>\n"
            "<Location /a.txt>\nRequire env NOPE\n</Location>\n",
            SITE, ["/priv/secret.txt", "/priv/", "/sub/b.txt", "/other/c.txt",
                   "/a.txt", "/index.html"])


@test
def require_none_and_method():
    compare("<Location /sub>\n<RequireAll>\nRequire all granted\n"
            "<RequireNone>\nRequire ip ::1 192.0.2.0/24\n</RequireNone>\n"
            "</RequireAll>\n</Location>\n<Location /other>\n"
            "Require method POST\n</Location>\n",
            SITE, ["/sub/b.txt", "/other/c.txt", ("HEAD", "/other/c.txt", {})])


@test
def require_host_and_dns():
    compare("<Location /sub>\nRequire host localhost\n</Location>\n"
            "<Location /other>\nRequire host example.invalid\n</Location>\n"
            "<Location /priv>\nRequire forward-dns localhost\n</Location>\n",
            SITE, ["/sub/b.txt", "/other/c.txt", "/priv/secret.txt"])


@test
def headers_set_add_unset():
    compare("Header set X-One one\nHeader add X-Two a\nHeader add X-Two b\n"
            "Header append X-Three x\nHeader append X-Three y\n"
            "Header merge X-Four m\nHeader merge X-Four m\n"
            "Header setifempty X-Five five\nHeader set X-Gone g\n"
            "Header unset X-Gone\nHeader always set X-Always yes\n"
            "Header echo ^X-Req\nHeader set X-Cond c env=NOPE\n"
            "Header set X-NotCond n env=!NOPE\n"
            "Header set X-Edit \"hello world\"\n"
            "Header edit X-Edit o 0\nHeader set X-EditAll \"hello world\"\n"
            "Header edit* X-EditAll o 0\n"
            "<Directory @HTDOCS@/sub>\nHeader set X-One sub\n"
            "Header unset X-Two\n</Directory>\n",
            SITE, [("GET", "/a.txt", {"X-Req-A": "1", "X-Other": "2"}),
                   "/sub/b.txt", "/missing"],
            extra=("X-One", "X-Two", "X-Three", "X-Four", "X-Five", "X-Gone",
                   "X-Always", "X-Req-A", "X-Other", "X-Cond", "X-NotCond",
                   "X-Edit", "X-EditAll"))



@test
def headers_onsuccess_and_always_by_status():
    """Apache's output filter applies both tables after the handler (so
    "Header unset ETag" works, and 304s get them); its error filter gives
    answers the core builds (404, 403, 405, 416, redirects, DirectorySlash)
    only "Header always"; an ErrorDocument's page is a normal response."""
    conf = ("<Directory @HTDOCS@/priv>\nRequire all denied\n</Directory>\n"
            "Header set X-S s\nHeader always set X-A a\nHeader unset ETag\n"
            "Header always unset Last-Modified\nHeader set X-Dup one\n"
            "Header always set X-Dup two\nRedirect /r http://example.com/x\n"
            "Redirect gone /g\nErrorDocument 410 /a.txt\n"
            "<Location /loc>\nHeader always set X-Loc l\n</Location>\n"
            "Redirect /loc/r http://example.com/y\n")
    extra = ("X-S", "X-A", "X-Dup", "ETag", "Last-Modified", "X-Loc")
    reqs = ["/a.txt", ("HEAD", "/a.txt", {}),
            ("GET", "/a.txt", {"If-None-Match": "*"}),
            ("GET", "/a.txt", {"Range": "bytes=1-2"}),
            ("GET", "/a.txt", {"Range": "bytes=99-"}),
            "/missing", "/priv/secret.txt", "/r", ("HEAD", "/r", {}), "/g",
            "/sub", ("DELETE", "/a.txt", {}), "/loc/r", "/loc/missing"]
    ours = compare(conf, SITE, reqs, extra=extra)
    eq(ours[0].header("ETag"), None, "Header unset ETag")
    eq(ours[2].header("X-S"), "s", "onsuccess on a 304")
    eq(ours[5].header("X-S"), None, "onsuccess on a 404")
    eq(ours[5].header("X-A"), "a", "always on a 404")
    eq(ours[12].header("X-Loc"), "l", "<Location> seen by a Redirect")


@test
def autoindex_with_style_sheet():
    """IndexStyleSheet names the parts of a listing for the sheet (h1 id,
    table id, row classes even/odd, column classes), as mod_autoindex."""
    files = {"htdocs/t/a.txt": "a", "htdocs/t/b.html": "b",
             "htdocs/t/sub/c": "c", "htdocs/x/a.txt": "a", "htdocs/x/b": "b",
             "htdocs/p/a": "a", "htdocs/l/a": "a"}
    conf = ("<Directory @HTDOCS@>\nOptions Indexes\n</Directory>\n"
            "IndexStyleSheet /style.css\n"
            "<Directory @HTDOCS@/t>\nIndexOptions FancyIndexing HTMLTable\n"
            "</Directory>\n<Directory @HTDOCS@/x>\nIndexOptions FancyIndexing "
            "HTMLTable XHTML SuppressLastModified\n</Directory>\n"
            "<Directory @HTDOCS@/p>\nIndexOptions FancyIndexing\n</Directory>\n")
    ours = compare(conf, files, ["/t/", "/x/", "/p/", "/l/", "/t/?C=S;O=D"])
    check(b'<tr class="odd"><td class="indexcolicon">' in ours[0].body,
          "row classes")
    check(b'<h1 id="indextitle">' in ours[3].body, "title id")

COMMON = '"%h %l %u %t \\"%r\\" %>s %b"'
COMBINED = ('"%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" '
            '\\"%{User-agent}i\\""')
LOG_REQS = ["/a.txt", "/missing", "/sub", "/sub/", ("HEAD", "/a.txt", {}),
            ("GET", "/a.txt?x=1&y=%22q%22", {"Referer": "http://r/\"x\"",
                                             "User-Agent": "UA \\ 1"}),
            ("POST", "/index.html", {}), ("GET", "/a%20b", {})]


def access_lines(server, reqs, name):
    fetch(server, reqs)
    path = os.path.join(server.root, "logs", name)
    wait_for(lambda: os.path.exists(path) and
             open(path, "rb").read().count(b"\n") >= len(reqs),
             what="%d lines in %s" % (len(reqs), name))
    text = open(path, "rb").read().decode("latin-1")
    text = re.sub(r"\[\d\d/\w\w\w/\d{4}:[\d:]+ [+-]\d{4}\]", "[TIME]", text)
    text = text.replace(server.root, "@ROOT@")
    return text.replace(":%d" % server.port, ":PORT").splitlines()


def compare_logs(config, reqs, names):
    with Server(config, files=SITE) as s:
        ours = {n: access_lines(s, reqs, n) for n in names[:1]}
    if not have_apache():
        return ours
    with Apache(config, files=SITE) as a:
        theirs = {n: access_lines(a, reqs, n) for n in names[:1]}
    for n in names[:1]:
        # Apache may write a line after the client has its response, so
        # two sequential requests can be logged in either order.
        o, t = sorted(ours[n]), sorted(theirs[n])
        for x, y in zip(o, t):
            eq(x, y, "%s line" % n)
        eq(len(o), len(t), "%s line count" % n)
    return ours


@test
def log_common_and_combined():
    for fmt in (COMMON, COMBINED):
        lines = compare_logs("LogFormat %s fmt\nCustomLog @LOGS@/access_log fmt\n"
                             % fmt, LOG_REQS, ["access_log"])
        check(any(ln.startswith('127.0.0.1 - - [TIME] "GET /a.txt HTTP/1.1" '
                                '200 6') for ln in lines["access_log"]),
              "the first request's line")
        check(any(ln.startswith('127.0.0.1 - - [TIME] "HEAD /a.txt HTTP/1.1" '
                                '200 -') for ln in lines["access_log"]),
              "HEAD logs %b as -")



ODD_FORMAT = ("%h|%l|%u|%>s|%<s|%s|%b|%B|%I|%m|%H|%U|%<U|%q|%r|%{X-A}i|"
              "%{X-O}o|%{Content-Type}o|%v|%V|%p|%f|%R|%{REDIRECT_STATUS}e")
ODD_H = "Host: localhost\r\nConnection: close\r\n\r\n"
ODD_REQS = [
    "GET /a.txt?x=%22&y=\"q HTTP/1.1\r\n" + ODD_H,
    "GET /nope?z=1 HTTP/1.1\r\nX-A: \"q\\t\"\x01\xe9\r\nReferer: r\r\n" + ODD_H,
    "GET /a.txt HTTP/1.1\r\nX-A: \"q\\t\"\xe9\r\n" + ODD_H,
    "GET /a.txt\r\n", "GET /nope\r\n",
    "GET /" + "x" * 300 + " HTTP/1.1\r\n" + ODD_H,
    "GARBAGE\r\n\r\n",
    "GET /a.txt HTTP/1.1\r\nbad header\r\n" + ODD_H,
    "GET /sub HTTP/1.1\r\n" + ODD_H,
    "GET /empty/ HTTP/1.1\r\n" + ODD_H,
    "GET http://Foo.Example:81/a.txt HTTP/1.1\r\n" + ODD_H,
    "GET /a.txt HTTP/1.1\r\nHost: WWW.X.org:99\r\nConnection: close\r\n\r\n",
    "GET /a.txt HTTP/1.1\r\nIf-None-Match: *\r\n" + ODD_H,
    "OPTIONS * HTTP/1.1\r\n" + ODD_H,
    "FOO /a.txt HTTP/1.1\r\n" + ODD_H,
    "GET /../../etc/passwd HTTP/1.1\r\n" + ODD_H,
    "HEAD /missing HTTP/1.0\r\n\r\n",
]
# recorded from apache2 2.4 (Debian), in request order
ODD_GOLDEN = [
    '-|-|200|200|200|6|6|70|GET|HTTP/1.1|/a.txt|/a.txt|?x=%22&y=\\"q|GET /a.txt?x=%22&y=\\"q HTTP/1.1|-|o|text/plain|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|400|400|400|266|266|50|GET|HTTP/1.1|/nope|/nope|?z=1|GET /nope?z=1 HTTP/1.1|-|-|text/html|localhost|localhost|80|-|-|-',
    '-|-|200|200|200|6|6|72|GET|HTTP/1.1|/a.txt|/a.txt||GET /a.txt HTTP/1.1|\\"q\\\\t\\"\\xe9|o|text/plain|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|200|200|200|6|6|12|GET|HTTP/0.9|/a.txt|/a.txt||GET /a.txt|-|o|text/plain|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|404|404|404|6|6|11|GET|HTTP/0.9|/nope|/nope||GET /nope|-|o|text/plain|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|404',
    '-|-|414|414|414|288|288|316|-|HTTP/1.0|-|-||GET /' + 'x' * 196 + '|-|-|text/html|localhost|localhost|80|-|-|-',
    '-|-|400|400|400|266|266|9|GARBAGE|HTTP/1.0|/|/||GARBAGE|-|-|text/html|localhost|localhost|80|-|-|-',
    '-|-|400|400|400|266|266|50|GET|HTTP/1.1|/a.txt|/a.txt||GET /a.txt HTTP/1.1|-|-|text/html|localhost|localhost|80|-|-|-',
    '-|-|301|301|301|269|269|57|GET|HTTP/1.1|/sub|/sub||GET /sub HTTP/1.1|-|-|text/html|localhost|localhost|80|@ROOT@/htdocs/sub|httpd/unix-directory|-',
    '-|-|403|403|403|239|239|60|GET|HTTP/1.1|/empty/|/empty/||GET /empty/ HTTP/1.1|-|-|text/html|localhost|localhost|80|@ROOT@/htdocs/empty/|httpd/unix-directory|-',
    '-|-|200|200|200|6|6|80|GET|HTTP/1.1|/a.txt|/a.txt||GET http://Foo.Example:81/a.txt HTTP/1.1|-|o|text/plain|localhost|foo.example|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|200|200|200|6|6|62|GET|HTTP/1.1|/a.txt|/a.txt||GET /a.txt HTTP/1.1|-|o|text/plain|localhost|www.x.org|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|304|304|304|-|0|77|GET|HTTP/1.1|/a.txt|/a.txt||GET /a.txt HTTP/1.1|-|o|-|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|200|200|200|-|0|58|OPTIONS|HTTP/1.1|*|*||OPTIONS * HTTP/1.1|-|-|-|localhost|localhost|80|@ROOT@/htdocs/*|-|-',
    '-|-|501|501|501|242|242|59|FOO|HTTP/1.1|/a.txt|/a.txt||FOO /a.txt HTTP/1.1|-|-|text/html|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|-',
    '-|-|400|400|400|266|266|70|GET|HTTP/1.1|/etc/passwd|/etc/passwd||GET /../../etc/passwd HTTP/1.1|-|-|text/html|localhost|localhost|80|-|-|-',
    '-|-|404|404|404|-|0|26|GET|HTTP/1.0|/missing|/missing||HEAD /missing HTTP/1.0|-|o|text/plain|localhost|localhost|80|@ROOT@/htdocs/a.txt|-|404',
]


def odd_log_lines(server):
    pin_mtimes(server.root)
    for raw in ODD_REQS:
        with Conn(server.port) as c:
            c.send(raw.encode("latin-1"))
            c.read_all()
        n = ODD_REQS.index(raw) + 1
        path = os.path.join(server.root, "logs", "access_log")
        wait_for(lambda: os.path.exists(path) and
                 open(path, "rb").read().count(b"\n") >= n,
                 what="%d lines" % n)
    text = open(path, "rb").read().decode("latin-1")
    return [ln.split("|", 1)[1] for ln in
            text.replace(server.root, "@ROOT@").splitlines()]


@test
def log_items_of_odd_requests():
    """HTTP/0.9, heads refused at the request line (414, garbage) or at a
    header, a traversal, an ErrorDocument, OPTIONS *, a 304, escaping of
    quotes, backslashes and high bytes: every item as apache2 logs it."""
    conf = ("LogFormat \"%s\" odd\nCustomLog @LOGS@/access_log odd\n"
            "Header set X-O o\nLimitRequestLine 200\n"
            "ErrorDocument 404 /a.txt\n<Location /empty>\n"
            "ErrorDocument 404 default\n</Location>\n" % ODD_FORMAT)
    with Server(conf, files=SITE) as s:
        ours = odd_log_lines(s)
    if have_apache():
        with Apache(conf, files=SITE) as a:
            theirs = odd_log_lines(a)
        for i, (x, y) in enumerate(zip(ours, theirs)):
            eq(x, y, "line %d (%r)" % (i + 1, ODD_REQS[i][:40]))
        eq(theirs, ODD_GOLDEN, "apache2 still logs what was recorded")
    for i, (x, y) in enumerate(zip(ours, ODD_GOLDEN)):
        eq(x, y, "line %d, recorded from apache2" % (i + 1))

@test
def log_custom_items():
    compare_logs("CustomLog @LOGS@/access_log \"%a %A %B %b %f %H %m %p "
                 "%q %r %s %>s %U %v %V %X %{Host}i %{Content-Type}o "
                 "%200{User-Agent}i %!200,404{Referer}i %{x}e %{x}n %{c}C "
                 "%{%Y}t %k %l %u\"\n", LOG_REQS + [
                     ("GET", "/a.txt", {"Cookie": "a=1; c=two"})],
                 ["access_log"])


@test
def log_byte_counts():
    # Debian's "combined" logs %O: bytes on the wire, head included.  The
    # Server banner differs from apache2's, so %O is checked against what
    # the client received; %I and %B against apache2.
    reqs = ["/a.txt", "/missing", "/sub", "/sub/", ("HEAD", "/a.txt", {})]
    cfg = ("LogFormat \"%U %m %O %I %B\" io\n"
           "CustomLog @LOGS@/access_log io\n")
    with Server(cfg, files=SITE) as s:
        pin_mtimes(s.root)
        got = {}
        for req in reqs:
            method, path = ("GET", req) if isinstance(req, str) else req[:2]
            got[(path, method)] = len(get(s.port, path, method=method).raw)
        lines = access_lines(s, [], "access_log")
        wait_for(lambda: len(access_lines(s, [], "access_log")) >= len(reqs),
                 what="log lines")
        lines = access_lines(s, [], "access_log")
    ours = {}
    for ln in lines:
        uri, method, o, i, b = ln.split(" ")
        ours[(uri, method)] = (int(o), int(i), int(b))
    for (path, method), n in got.items():
        key = (path if path != "/sub/" else "/sub/index.html", method)
        eq(ours[key][0], n, "%s %s: %%O equals the bytes received"
           % (method, path))
    if have_apache():
        with Apache(cfg, files=SITE) as a:
            fetch(a, reqs)
            wait_for(lambda: len(access_lines(a, [], "access_log")) >= len(reqs),
                     what="apache2 log lines")
            for ln in access_lines(a, [], "access_log"):
                uri, method, o, i, b = ln.split(" ")
                eq(ours[(uri, method)][1:], (int(i), int(b)),
                   "%s %s: %%I %%B" % (method, uri))


@test
def log_conditions_and_default_format():
    compare_logs("TransferLog @LOGS@/access_log\n"
                 "CustomLog @LOGS@/never \"%h\" env=NOT_SET\n",
                 LOG_REQS, ["access_log"])


@test
def log_piped_program():
    compare_logs("LogFormat %s fmt\n"
                 "CustomLog \"|$cat >> @LOGS@/piped_log\" fmt\n" % COMBINED,
                 LOG_REQS, ["piped_log"])


@test
def log_pipe_program_gone():
    # "|prog" runs without a shell in Apache 2.4, so this cat exits at once
    # ('>>' is not a file); the server must go on answering.
    with Server("CustomLog \"|/bin/cat >> @LOGS@/x\" common\n",
                files=SITE) as s:
        for i in range(3):
            eq(get(s.port, "/a.txt").status, 200, "request %d" % i)


@test
def log_pipe_program_not_found():
    """Nor is "|prog" looked up in PATH: apache2 does not start (recorded:
    AH00104, then AH00015, in its error log; ours says it on stderr)."""
    s = Server("CustomLog \"|cat >> @LOGS@/x\" common\n", files=SITE,
               wait=False)
    s.start()
    try:
        eq(s.wait_exit(), 1, "exit code")
        check("(2)No such file or directory: AH00104: unable to start piped "
              "log program 'cat >> %s/x'\nAH00015: Unable to open logs"
              % s.logs in s.stderr() + s.error_log(), s.stderr())
    finally:
        if s.running():
            s.stop()


VHOSTS = ("Redirect /main-only http://example.org/main\n"
          "Alias /al @ROOT@/files\n<Directory @ROOT@/files>\n"
          "Require all granted\n</Directory>\n"
          "LogFormat \"%v %h \\\"%r\\\" %>s %b\" vfmt\n"
          "CustomLog @LOGS@/access_log vfmt\n"
          "<VirtualHost 127.0.0.1:@PORT@>\nServerName localhost\n"
          "DocumentRoot @HTDOCS@\n</VirtualHost>\n"
          "<VirtualHost 127.0.0.1:@PORT@>\nServerName other.test\n"
          "DocumentRoot @HTDOCS@/sub\nRedirect /v http://example.org/v\n"
          "Alias /al @ROOT@/files/deep\nCustomLog @LOGS@/other_log vfmt\n"
          "Header always set X-Vhost other\n</VirtualHost>\n")


@test
def vhost_inheritance():
    reqs = ["/main-only", "/al/target.txt", "/v",
            ("GET", "/main-only", {"Host": "other.test"}),
            ("GET", "/al/d.txt", {"Host": "other.test"}),
            ("GET", "/v", {"Host": "other.test"})]
    compare(VHOSTS, SITE, reqs)
    # "Header always" of the vhost, on a file and on a 404
    compare(VHOSTS, SITE, [("GET", "/b.txt", {"Host": "other.test"}),
                           ("GET", "/nothing", {"Host": "other.test"})],
            extra=("X-Vhost",))



@test
def vhost_limits_come_from_the_connection_default():
    """LimitRequestLine/FieldSize are the connection's default server's
    (the first vhost of the address), whatever Host selects later."""
    conf = ("<VirtualHost *:@PORT@>\nServerName localhost\n"
            "LimitRequestLine 300\nLimitRequestFieldSize 200\n</VirtualHost>\n"
            "<VirtualHost *:@PORT@>\nServerName b.test\n"
            "LimitRequestLine 100\nLimitRequestFieldSize 50\n</VirtualHost>\n")
    reqs = []
    for host in ("localhost", "b.test"):
        for n in (80, 250, 400):
            reqs.append(("GET", "/" + "y" * n, {"Host": host}))
        for n in (40, 150, 300):
            reqs.append(("GET", "/a.txt", {"Host": host, "X-Long": "v" * n}))
    ours = compare(conf, SITE, reqs)
    eq([r.status for r in ours[:6]], [404, 404, 414, 200, 200, 400],
       "the first vhost's limits")
    eq([r.status for r in ours[6:]], [404, 404, 414, 200, 200, 400],
       "still the first vhost's limits with Host: b.test")


@test
def access_files_judged_as_apache():
    """Without AllowOverride Apache still reads .htaccess (its built-in
    default allows nothing in it): a directive there is a 500, comments
    are harmless, None skips the file; a directive outside the allowed
    groups or unknown is a 500 too.  (Allowed directives are not applied
    by httpd-ng; not compared here.)"""
    files = dict(SITE)
    files["htdocs/h1/.htaccess"] = "AddType text/x-foo .txt\n"
    files["htdocs/h1/a.txt"] = "a\n"
    files["htdocs/h2/.htaccess"] = "# only a comment\n\n"
    files["htdocs/h2/a.txt"] = "a\n"
    files["htdocs/h3/.htaccess"] = "Options +Indexes\n"
    files["htdocs/h3/a.txt"] = "a\n"
    files["htdocs/h3/sub/b.txt"] = "b\n"
    files["htdocs/h4/.htaccess"] = "NoSuchDirective x\n"
    files["htdocs/h4/a.txt"] = "a\n"
    reqs = ["/h1/a.txt", "/h1/", "/h1/missing", "/h2/a.txt", "/h3/a.txt",
            "/h3/sub/b.txt", "/h4/a.txt"]
    ours = compare("", files, reqs)
    eq([r.status for r in ours], [500, 500, 500, 200, 500, 500, 500],
       "default AllowOverride")
    conf = ("<Directory @HTDOCS@/h3>\nAllowOverride AuthConfig\n</Directory>\n"
            "<Directory @HTDOCS@/h1>\nAllowOverride None\n</Directory>\n"
            "<Directory @HTDOCS@/h4>\nAllowOverride All\n</Directory>\n")
    ours = compare(conf, files, reqs)
    eq([r.status for r in ours], [200, 403, 404, 200, 500, 500, 500],
       "AllowOverride per directory")

@test
def vhost_logs():
    compare_logs(VHOSTS, ["/a.txt", "/missing"], ["access_log"])
    reqs = [("GET", "/b.txt", {"Host": "other.test"})]
    with Server(VHOSTS, files=SITE) as s:
        ours = access_lines(s, reqs, "other_log")
    eq(ours, ['other.test 127.0.0.1 "GET /b.txt HTTP/1.1" 200 6'],
       "the vhost's own log (recorded from apache2)")
    if have_apache():
        with Apache(VHOSTS, files=SITE) as a:
            eq(access_lines(a, reqs, "other_log"), ours, "apache2's line")


LISTING = {
    "htdocs/d/a.txt": "alpha\n",
    "htdocs/d/b b.html": "<p>b</p>",
    "htdocs/d/x&y<z>.txt": "x" * 5000,
    "htdocs/d/sub/c.txt": "c",
    "htdocs/d/.hidden": "h",
    "htdocs/d/big.bin": "z" * 2000000,
    "htdocs/d/Zeta10.txt": "z",
    "htdocs/d/zeta9.txt": "z" * 1000,
    "htdocs/d/a-very-long-file-name-for-the-listing.txt": "l",
    "htdocs/d/HEADER.html": "<h2>head</h2>\n",
    "htdocs/d/README.txt": "read <me> & more\n",
    "htdocs/d/priv/p.txt": "p",
}

LISTING_REQS = ["/d/", "/d/?C=M;O=D", "/d/?C=S;O=A", "/d/?C=N;O=D",
                "/d/?C=D;O=A", "/d/?F=0", "/d/?F=1", "/d/?F=2",
                "/d/?C=X;O=A", "/d/?P=*.txt", "/d/sub/", "/d/sub",
                ("HEAD", "/d/", {}), ("POST", "/d/sub/", {})]


def listing_test(options, extra=""):
    compare("<Directory @HTDOCS@/d>\nOptions Indexes\n%s\n</Directory>\n%s"
            % (options, extra), LISTING, LISTING_REQS)


@test
def autoindex_plain():
    listing_test("")


@test
def autoindex_forbidden_without_indexes():
    compare("", LISTING, ["/d/", "/d/sub/"])


@test
def autoindex_fancy():
    listing_test("IndexOptions FancyIndexing")


@test
def autoindex_table():
    listing_test("IndexOptions FancyIndexing HTMLTable")


@test
def autoindex_folders_first_version_sort():
    listing_test("IndexOptions FancyIndexing FoldersFirst VersionSort "
                 "IgnoreCase NameWidth=*")


@test
def autoindex_suppress_columns():
    listing_test("IndexOptions FancyIndexing SuppressColumnSorting "
                 "SuppressLastModified SuppressDescription SuppressRules")


@test
def autoindex_table_suppressed():
    listing_test("IndexOptions HTMLTable FancyIndexing SuppressSize "
                 "SuppressIcon NameWidth=10 XHTML")


@test
def autoindex_ignore_header_readme():
    listing_test("IndexOptions FancyIndexing\nIndexIgnore .??* *.bin priv\n"
                 "HeaderName HEADER.html\nReadmeName README.txt\n"
                 "IndexOrderDefault Descending Size")


@test
def autoindex_icons_and_descriptions():
    listing_test("IndexOptions FancyIndexing IconsAreLinks IconHeight "
                 "IconWidth\nAddIcon /icons/text.gif .txt\n"
                 "AddIcon (BIN,/icons/bin.gif) .bin\n"
                 "AddIcon /icons/folder.gif ^^DIRECTORY^^\n"
                 "AddIcon /icons/blank.gif ^^BLANKICON^^\n"
                 "DefaultIcon /icons/unknown.gif\nAddAlt TXT *.txt\n"
                 "AddDescription \"The alpha file\" a.txt\n"
                 "AddDescription \"Text files, with a rather long description\" *.txt\n"
                 "AddDescription \"<b>bold</b> &amp; big\" big\n"
                 "AddDescription \"sub dir\" */d/sub")


DEBIAN_AUTOINDEX = """IndexOptions FancyIndexing VersionSort HTMLTable NameWidth=* DescriptionWidth=* Charset=UTF-8
AddIconByEncoding (CMP,/icons/compressed.gif) x-compress x-gzip x-bzip2
AddIconByType (TXT,/icons/text.gif) text/*
AddIconByType (IMG,/icons/image2.gif) image/*
AddIcon /icons/binary.gif .bin .exe
AddIcon /icons/compressed.gif .Z .z .tgz .gz .zip
AddIcon /icons/layout.gif .html .shtml .htm .pdf
AddIcon /icons/text.gif .txt
AddIcon /icons/back.gif ..
AddIcon /icons/hand.right.gif README
AddIcon /icons/folder.gif ^^DIRECTORY^^
AddIcon /icons/blank.gif ^^BLANKICON^^
DefaultIcon /icons/unknown.gif
ReadmeName README.html
HeaderName HEADER.html
IndexIgnore .??* *~ *# RCS CVS *,v *,t
"""


@test
def autoindex_debian_config():
    files = dict(LISTING, **{"htdocs/d/pic.png": "png", "htdocs/d/t.tar.gz": "gz",
                             "htdocs/d/README": "readme", "htdocs/d/x~": "tilde",
                             "htdocs/d/unknown.zzz": "?"})
    compare("<Directory @HTDOCS@/d>\nOptions Indexes\n%s</Directory>\n"
            "AddEncoding x-gzip .gz\n" % DEBIAN_AUTOINDEX, files,
            ["/d/", "/d/?C=S;O=D", "/d/sub/", "/d/?F=1"])


@test
def autoindex_html_titles():
    files = dict(LISTING, **{
        "htdocs/d/t1.html": "<html><head><TITLE>A title</TITLE></head></html>",
        "htdocs/d/t2.html": "<title>\nTwo\nlines &amp; more</title>",
        "htdocs/d/t3.htm": "no title here"})
    compare("<Directory @HTDOCS@/d>\nOptions Indexes\nIndexOptions "
            "FancyIndexing ScanHTMLTitles\n</Directory>\n", files,
            ["/d/", "/d/?F=2"])


@test
def autoindex_description_widths():
    listing_test("IndexOptions FancyIndexing HTMLTable DescriptionWidth=*\n"
                 "AddDescription \"Text files, with a rather long description\" .txt\n"
                 "AddDescription \"b\" b")
    listing_test("IndexOptions FancyIndexing SuppressSize DescriptionWidth=15\n"
                 "AddDescription \"Text files, with a rather long description\" .txt")


@test
def autoindex_denied_entries_hidden():
    listing_test("IndexOptions FancyIndexing",
                 "<Directory @HTDOCS@/d/priv>\nRequire all denied\n</Directory>\n"
                 "<Files a.txt>\nRequire all denied\n</Files>\n")


# ---- answers recorded from apache2 (python3 THIS --record rewrites them)
GOLDEN = {}
# GOLDEN-BEGIN
GOLDEN = {'access_files_judged_as_apache#1': [[500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [200,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '2',
                                       'Content-Type': 'text/plain',
                                       'Location': None},
                                      '87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944']],
 'access_files_judged_as_apache#2': [[200,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '2',
                                       'Content-Type': 'text/plain',
                                       'Location': None},
                                      '87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7'],
                                     [403,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '239',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                                     [404,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '236',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                     [200,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '2',
                                       'Content-Type': 'text/plain',
                                       'Location': None},
                                      '87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944'],
                                     [500,
                                      {'Content-Encoding': None,
                                       'Content-Language': None,
                                       'Content-Length': '571',
                                       'Content-Type': 'text/html; '
                                                       'charset=iso-8859-1',
                                       'Location': None},
                                      'ef5cc4926e43f52cd707499f3721eb8c134884bb8e254e83488ec91abc5c4944']],
 'alias_and_redirects#1': [[200,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '8',
                             'Content-Type': 'text/plain',
                             'Location': None},
                            '02b7cda713ecefce01fa4d89b11167e1c771859fbc5c3b6d6c31c8f401ce6f40'],
                           [200,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '5',
                             'Content-Type': 'text/plain',
                             'Location': None},
                            '64896f89fd11190013b70103e603a1c5826e56b7fb7d2197ab279b0690043599'],
                           [200,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '8',
                             'Content-Type': 'text/plain',
                             'Location': None},
                            '02b7cda713ecefce01fa4d89b11167e1c771859fbc5c3b6d6c31c8f401ce6f40'],
                           [200,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '5',
                             'Content-Type': 'text/plain',
                             'Location': None},
                            '64896f89fd11190013b70103e603a1c5826e56b7fb7d2197ab279b0690043599'],
                           [302,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '246',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': 'http://example.org/new'},
                            '72daafd333a757f7f6343af54fdbe0738427a4bd5d1637daa6411885982e6075'],
                           [400,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '266',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'd452c21413341d93aa8d178d637d88c93362dd817e06f6afc2f036a78d88d08b'],
                           [404,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '236',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                           [301,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '276',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': 'http://localhost/a.txt/z?a=b'},
                            '299c0b7776050d3095248c9f61b0a4caaca4d6e1197b0f651affba4adfd04e44'],
                           [303,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '276',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': 'http://example.org/so?fixed=1'},
                            'a0674ab604e51c8f0522a42bbf34e248f07961b0bcff7534c4b4f6305e82e020'],
                           [410,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '322',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'f968d1c029c07d86f55ff517ed57ba8778bd5640516e58f17e45a12458d198e6'],
                           [410,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '322',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'f968d1c029c07d86f55ff517ed57ba8778bd5640516e58f17e45a12458d198e6'],
                           [404,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '236',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                           [400,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '266',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'd452c21413341d93aa8d178d637d88c93362dd817e06f6afc2f036a78d88d08b'],
                           [404,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '236',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                           [410,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '322',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'f968d1c029c07d86f55ff517ed57ba8778bd5640516e58f17e45a12458d198e6']],
 'alias_in_location#1': [[200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '8',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          '02b7cda713ecefce01fa4d89b11167e1c771859fbc5c3b6d6c31c8f401ce6f40'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '8',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          '02b7cda713ecefce01fa4d89b11167e1c771859fbc5c3b6d6c31c8f401ce6f40'],
                         [404,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '236',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': None},
                          '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '6',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060']],
 'autoindex_debian_config#1': [[200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': None,
                                 'Content-Type': 'text/html;charset=UTF-8',
                                 'Location': None},
                                'dfbe7d1f9159b20c7eff0bcd2325e1a19cad6db89f9c04a8536b1e2d3be1a504'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': None,
                                 'Content-Type': 'text/html;charset=UTF-8',
                                 'Location': None},
                                '53628dc2ee3f2c281c3a1769d6ead32430d30d8c28fca483d60f3b58c3a89544'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '891',
                                 'Content-Type': 'text/html;charset=UTF-8',
                                 'Location': None},
                                '24330f4e1ab8cd0b13fe65216f3623528622a3051f15011e9d6d915812a7984b'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': None,
                                 'Content-Type': 'text/html;charset=UTF-8',
                                 'Location': None},
                                'c93c7e6cd7085ab04c76d15868a26cf5cf599fee6e37e37cb36242955ecd57cb']],
 'autoindex_forbidden_without_indexes#1': [[403,
                                            {'Content-Encoding': None,
                                             'Content-Language': None,
                                             'Content-Length': '239',
                                             'Content-Type': 'text/html; '
                                                             'charset=iso-8859-1',
                                             'Location': None},
                                            'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                                           [403,
                                            {'Content-Encoding': None,
                                             'Content-Language': None,
                                             'Content-Length': '239',
                                             'Content-Type': 'text/html; '
                                                             'charset=iso-8859-1',
                                             'Location': None},
                                            'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8']],
 'autoindex_html_titles#1': [[200,
                              {'Content-Encoding': None,
                               'Content-Language': None,
                               'Content-Length': '1685',
                               'Content-Type': 'text/html;charset=ISO-8859-1',
                               'Location': None},
                              '124c29298f99415c45513f010a2bd606f55df6a4c37649656f7434e1e746a273'],
                             [200,
                              {'Content-Encoding': None,
                               'Content-Language': None,
                               'Content-Length': '3348',
                               'Content-Type': 'text/html;charset=ISO-8859-1',
                               'Location': None},
                              '08a2426638658dfc5091a8f609bb5181184fb15857dec213a2242d5cd2c01526']],
 'autoindex_with_style_sheet#1': [[200,
                                   {'Content-Encoding': None,
                                    'Content-Language': None,
                                    'Content-Length': '1740',
                                    'Content-Type': 'text/html;charset=ISO-8859-1',
                                    'Location': None},
                                   '93504269e804c94d9e81b1b6895a9097a32dd4ae9a2068db129a47f6143d772d'],
                                  [200,
                                   {'Content-Encoding': None,
                                    'Content-Language': None,
                                    'Content-Length': '1345',
                                    'Content-Type': 'text/html;charset=ISO-8859-1',
                                    'Location': None},
                                   'fb93995fca71489e167e00b0ed547a1aadec2c1af0f7e15b7273f2f21611e38b'],
                                  [200,
                                   {'Content-Encoding': None,
                                    'Content-Language': None,
                                    'Content-Length': '587',
                                    'Content-Type': 'text/html;charset=ISO-8859-1',
                                    'Location': None},
                                   'eed8cdf44f256675299711219115c4c869868696d81685bcb1563ad79a69daf4'],
                                  [200,
                                   {'Content-Encoding': None,
                                    'Content-Language': None,
                                    'Content-Length': '347',
                                    'Content-Type': 'text/html;charset=ISO-8859-1',
                                    'Location': None},
                                   'a00300bf9b231efb75020c684ca73e821d9de01d829e344a4adc4fb63b7e8709'],
                                  [200,
                                   {'Content-Encoding': None,
                                    'Content-Language': None,
                                    'Content-Length': '1740',
                                    'Content-Type': 'text/html;charset=ISO-8859-1',
                                    'Location': None},
                                   'a65c2d664ba7b7ed8916c34744a8e755110a71c925da078a00590d7e76ec7858']],
 'directory_index_list_and_disabled#1': [[200,
                                          {'Content-Encoding': None,
                                           'Content-Language': None,
                                           'Content-Length': '12',
                                           'Content-Type': 'text/html',
                                           'Location': None},
                                          'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade'],
                                         [200,
                                          {'Content-Encoding': None,
                                           'Content-Language': None,
                                           'Content-Length': '15',
                                           'Content-Type': 'text/html',
                                           'Location': None},
                                          'b8b057861544773538b3869e29cb7a5d1c92301fbe377ea34d18d2e3021a5c3c'],
                                         [403,
                                          {'Content-Encoding': None,
                                           'Content-Language': None,
                                           'Content-Length': '239',
                                           'Content-Type': 'text/html; '
                                                           'charset=iso-8859-1',
                                           'Location': None},
                                          'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                                         [301,
                                          {'Content-Encoding': None,
                                           'Content-Language': None,
                                           'Content-Length': '271',
                                           'Content-Type': 'text/html; '
                                                           'charset=iso-8859-1',
                                           'Location': 'http://localhost/other/'},
                                          '8ed2641f87d6333d355b5eda192b5718f8902562f902e533ad3fcc0b6b11790e']],
 'directory_slash_and_index#1': [[301,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '269',
                                   'Content-Type': 'text/html; '
                                                   'charset=iso-8859-1',
                                   'Location': 'http://localhost/sub/'},
                                  '9a40da97db90e398fbe1d4261dd637ac94fa099d7690301038235209e7fe8597'],
                                 [301,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '273',
                                   'Content-Type': 'text/html; '
                                                   'charset=iso-8859-1',
                                   'Location': 'http://localhost/sub/?x=1'},
                                  '6e83bd9860549c9204323da1fe0bcf1f5c5e57a6d023d204fe3b3d623476bc09'],
                                 [200,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '11',
                                   'Content-Type': 'text/html',
                                   'Location': None},
                                  'dec797d9a9a7653bb47dae6bbfa34684a644069d8d06ca886d7a4cb0f7fa016f'],
                                 [200,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '12',
                                   'Content-Type': 'text/html',
                                   'Location': None},
                                  'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade'],
                                 [301,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '271',
                                   'Content-Type': 'text/html; '
                                                   'charset=iso-8859-1',
                                   'Location': 'http://localhost/empty/'},
                                  '729a20c00241d58982039ef31588b34f9f3a3aa1cc638ed1c5d488fb0409768e'],
                                 [403,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': '239',
                                   'Content-Type': 'text/html; '
                                                   'charset=iso-8859-1',
                                   'Location': None},
                                  'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                                 [301,
                                  {'Content-Encoding': None,
                                   'Content-Language': None,
                                   'Content-Length': None,
                                   'Content-Type': 'text/html; '
                                                   'charset=iso-8859-1',
                                   'Location': 'http://localhost/sub/'},
                                  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
 'directory_slash_off#1': [[403,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '239',
                             'Content-Type': 'text/html; charset=iso-8859-1',
                             'Location': None},
                            'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                           [200,
                            {'Content-Encoding': None,
                             'Content-Language': None,
                             'Content-Length': '11',
                             'Content-Type': 'text/html',
                             'Location': None},
                            'dec797d9a9a7653bb47dae6bbfa34684a644069d8d06ca886d7a4cb0f7fa016f']],
 'fallback_resource#1': [[200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '12',
                           'Content-Type': 'text/html',
                           'Location': None},
                          'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '6',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '12',
                           'Content-Type': 'text/html',
                           'Location': None},
                          'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '12',
                           'Content-Type': 'text/html',
                           'Location': None},
                          'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade']],
 'headers_onsuccess_and_always_by_status#1': [[200,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '6',
                                                'Content-Type': 'text/plain',
                                                'ETag': None,
                                                'Last-Modified': 'Tue, 14 '
                                                                 'Nov 2023 '
                                                                 '22:13:20 '
                                                                 'GMT',
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': 's'},
                                               'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                              [200,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '6',
                                                'Content-Type': 'text/plain',
                                                'ETag': None,
                                                'Last-Modified': 'Tue, 14 '
                                                                 'Nov 2023 '
                                                                 '22:13:20 '
                                                                 'GMT',
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': 's'},
                                               'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                                              [304,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': None,
                                                'Content-Type': None,
                                                'ETag': None,
                                                'Last-Modified': 'Tue, 14 '
                                                                 'Nov 2023 '
                                                                 '22:13:20 '
                                                                 'GMT',
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': 's'},
                                               'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                                              [206,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '2',
                                                'Content-Type': 'text/plain',
                                                'ETag': None,
                                                'Last-Modified': 'Tue, 14 '
                                                                 'Nov 2023 '
                                                                 '22:13:20 '
                                                                 'GMT',
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': 's'},
                                               '0a7aacae9b43f934498185566d2a865ef93d4f4c4488c60d085f5b268c949825'],
                                              [416,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': None,
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               '41cd0f925d7b0fc911bd9fe3f9d42dc060d10bb2ca760a62d4d25fd750f080c1'],
                                              [404,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '236',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                              [403,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '239',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                                              [302,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '244',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': 'http://example.com/x',
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               '64264d55b839e511511b0fd4e36af764c1770e7886bc893e26faff81f1640906'],
                                              [302,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': None,
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': 'http://example.com/x',
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                                              [410,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '6',
                                                'Content-Type': 'text/plain',
                                                'ETag': None,
                                                'Last-Modified': 'Tue, 14 '
                                                                 'Nov 2023 '
                                                                 '22:13:20 '
                                                                 'GMT',
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': 's'},
                                               'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                              [301,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '269',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': 'http://localhost/sub/',
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               '9a40da97db90e398fbe1d4261dd637ac94fa099d7690301038235209e7fe8597'],
                                              [405,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '263',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': None,
                                                'X-S': None},
                                               'c6f1a3afef2e982868c9064e96c9964a25d1a2f2e150415bda25a785a5dfaded'],
                                              [302,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '244',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': 'http://example.com/y',
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': 'l',
                                                'X-S': None},
                                               '81a0972f6ded382c55243e4683bcac41619ba79c2a6b1f676f0ce2a05f512272'],
                                              [404,
                                               {'Content-Encoding': None,
                                                'Content-Language': None,
                                                'Content-Length': '236',
                                                'Content-Type': 'text/html; '
                                                                'charset=iso-8859-1',
                                                'ETag': None,
                                                'Last-Modified': None,
                                                'Location': None,
                                                'X-A': 'a',
                                                'X-Dup': 'two',
                                                'X-Loc': 'l',
                                                'X-S': None},
                                               '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'headers_set_add_unset#1': [[200,
                              {'Content-Encoding': None,
                               'Content-Language': None,
                               'Content-Length': '6',
                               'Content-Type': 'text/plain',
                               'Location': None,
                               'X-Always': 'yes',
                               'X-Cond': None,
                               'X-Edit': 'hell0 world',
                               'X-EditAll': 'hell0 w0rld',
                               'X-Five': 'five',
                               'X-Four': 'm',
                               'X-Gone': None,
                               'X-NotCond': 'n',
                               'X-One': 'one',
                               'X-Other': None,
                               'X-Req-A': '1',
                               'X-Three': 'x, y',
                               'X-Two': 'a'},
                              'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                             [200,
                              {'Content-Encoding': None,
                               'Content-Language': None,
                               'Content-Length': '6',
                               'Content-Type': 'text/plain',
                               'Location': None,
                               'X-Always': 'yes',
                               'X-Cond': None,
                               'X-Edit': 'hell0 world',
                               'X-EditAll': 'hell0 w0rld',
                               'X-Five': 'five',
                               'X-Four': 'm',
                               'X-Gone': None,
                               'X-NotCond': 'n',
                               'X-One': 'sub',
                               'X-Other': None,
                               'X-Req-A': None,
                               'X-Three': 'x, y',
                               'X-Two': None},
                              '5da8f23decf397b13f4f55b6fb8a61936238bfe08ed9d901132974f1beccc45c'],
                             [404,
                              {'Content-Encoding': None,
                               'Content-Language': None,
                               'Content-Length': '236',
                               'Content-Type': 'text/html; '
                                               'charset=iso-8859-1',
                               'Location': None,
                               'X-Always': 'yes',
                               'X-Cond': None,
                               'X-Edit': None,
                               'X-EditAll': None,
                               'X-Five': None,
                               'X-Four': None,
                               'X-Gone': None,
                               'X-NotCond': None,
                               'X-One': None,
                               'X-Other': None,
                               'X-Req-A': None,
                               'X-Three': None,
                               'X-Two': None},
                              '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#1': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '30f95788d661cc18beeb19774a2cfe08dcc06c08c87e95350d1fc694e22d9539'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '30f95788d661cc18beeb19774a2cfe08dcc06c08c87e95350d1fc694e22d9539'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1444',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a696d607eea355a5e4698f9fd0c896c7bcf58ace11e34f6ad1f46ac9d0c61cce'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2809',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'fc93b35675f54c5422e01476e7a805bca8b00e036c825af4b7a020609354b874'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '585',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '0ce6aa21f804c9275cc0a06bf49e2900af47b65e9bb979d8ded69e7bad329405'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '287',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'd2a75208dbbddacc1027c4c5d979c3410c9419581c8abc6048bf835b38b715b6'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#10': [[200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '2462af4a04ee9c8cd24ff4624a6c01d8ac0964f8f4125069a634a8650b628407'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6c01f90f47a28df5f50d9cef69e23a272524ba1352ae132e3f894bb33d9ef0e5'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '8b4e2175b473a2199b6c5b2e164088cf718b19fe3f678af435f1efd3a6737e29'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6c01f90f47a28df5f50d9cef69e23a272524ba1352ae132e3f894bb33d9ef0e5'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '31abeddd7c0261e1b35e8841fe76c7795915243f8b462f3ad9734e2fc46a5394'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '827',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1423',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6bcd40608d9016e8091942d18b3cfe24dc47d280a7e33ec6e990e7d605971842'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '2472',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '0eb83b83a9865da72eb48bb525beed42d6aa18eeaff8ab840df189a85ec40f37'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1411',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '2462af4a04ee9c8cd24ff4624a6c01d8ac0964f8f4125069a634a8650b628407'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1007',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6d38713e15023abfcc0514522c32357797f30ab6c97e8d39c49b5342ac970439'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '497',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '74250a89057dceb37556f873f7b8f50e6851c582c704a558e5b4da55fc8a95bf'],
                     [301,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '271',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': 'http://localhost/d/sub/'},
                      '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': None,
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                     [404,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '236',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#11': [[200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6ba48b92c70932db42acccb7761087f77a1426e184edb0093ba954ef4cb7c2c5'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'a9525924ea2a64dce85bc7e8903cef7756492991d8e3ed4de166dbe422a67569'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '9e7908e24aaac46d24d6bcf91a55aad6ea852ca7aba2f0a366487d948b2c31ab'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'a9525924ea2a64dce85bc7e8903cef7756492991d8e3ed4de166dbe422a67569'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'ad9bf14b02ef42cb5dc7ac4f326624d74e6eb98a10fa9b6b848c34ac201fe2db'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '755',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'de013539b0e120653718071052b590844ba062ee0e892c8bf1d458b27e074673'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1294',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'b11dca5d3bee85bfee170453ad1f9c72d049ffea4cd755677e6f7644e5633c7b'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '2463',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '4814dec5440f9fc1cb618d6000b29acdc86cd4e5159ad4d9664763830f546cca'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '1278',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '6ba48b92c70932db42acccb7761087f77a1426e184edb0093ba954ef4cb7c2c5'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '921',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'a32cfc08a5599a02c4aec094534ee91a77d32cfb0d30fcb423eb2c3f34e682db'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '523',
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      '2aab5d9db421e51dce9830df62679df2ff9b632d5c777dd93c2b472b53cfd169'],
                     [301,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '271',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': 'http://localhost/d/sub/'},
                      '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': None,
                       'Content-Type': 'text/html;charset=ISO-8859-1',
                       'Location': None},
                      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                     [404,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '236',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#2': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '04b96b06e910a33799e48ae71a411d7230e3c583051d0547f35ad53d81264f2a'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '1d2bbe4af5ffac0c2fdd8ea49a0dd1498720b512e7ac8d2a583437d735740298'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '64dac420f93bc7c467dacad55381aeda51dca1145dbbb76e722d9bcad49d07d7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '1d2bbe4af5ffac0c2fdd8ea49a0dd1498720b512e7ac8d2a583437d735740298'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '02c2bb64e549d19223608befa9ecddc83bdef5fc609c634b69845b805ab24dc0'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1444',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a696d607eea355a5e4698f9fd0c896c7bcf58ace11e34f6ad1f46ac9d0c61cce'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2809',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'fc93b35675f54c5422e01476e7a805bca8b00e036c825af4b7a020609354b874'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1428',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '04b96b06e910a33799e48ae71a411d7230e3c583051d0547f35ad53d81264f2a'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '996',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'd09f5fa8e368062f1ba52a346b0a41d2d222b2ddb4259299ede41bb9b2a64e06'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '523',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '2aab5d9db421e51dce9830df62679df2ff9b632d5c777dd93c2b472b53cfd169'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#3': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'f372a19a2429ad71ff48052a19e97511ff971d0bff2f665e08d66e9c259ace9e'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7a7d9ebf7c7c12abe0881080381f9f75d36d98a6a33a6fc42f9f76c461babb1a'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '691fd1fbad5360ef0f7e4a33f265d6f781321450b48c6d7181b2eed0bc72651d'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7a7d9ebf7c7c12abe0881080381f9f75d36d98a6a33a6fc42f9f76c461babb1a'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '669fd815fb15bd845005230e92b5cc54a283ab5eeb22985708de6ebc65201f0d'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1444',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a696d607eea355a5e4698f9fd0c896c7bcf58ace11e34f6ad1f46ac9d0c61cce'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2809',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'fc93b35675f54c5422e01476e7a805bca8b00e036c825af4b7a020609354b874'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2793',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'f372a19a2429ad71ff48052a19e97511ff971d0bff2f665e08d66e9c259ace9e'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1773',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a2b6b357cd1dfe57a741766e67eb3692d5c0e2d52d86fa84a95974e0c67abc99'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '810',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '86b6008635c2f352a8eae7b6f066bf0675a59a60e95310ac336a1f3d55227577'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#4': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '3085dd3fc3caaff4249db1e229c2b095323262223bf26a76b866b7402836cf1e'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '611ce9739c522967542b8f421107b37e8af865e42dfacf3b3438379bb58d2af6'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'f28993a26dc4d858625be1b266da66f5fbc526007f1a3f1b8b71887ef4beb156'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '611ce9739c522967542b8f421107b37e8af865e42dfacf3b3438379bb58d2af6'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '414ebd8a1d90f271006d4d16a424e86dafc94ad32099c4607c24a90528902c93'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '731c5ccd22890ac5d4a8917bcf1cc7ba1595d157757fbb4226214c374a530155'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1693',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'fd8460f9d968cf3741d13e4f998a235770e394a70d631b46178e7b01a6eadf4e'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2650',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '59f7ab7892908d6bd53a79191e838c4e4b52e937cb9f641ff15eaa445f38eed2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1677',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '3085dd3fc3caaff4249db1e229c2b095323262223bf26a76b866b7402836cf1e'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1137',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7bd6e76ccd17b9bc670414c8d93d4fbeef4e72ff7a52b84bf34b7c347ae31723'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '523',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '2aab5d9db421e51dce9830df62679df2ff9b632d5c777dd93c2b472b53cfd169'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#5': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '5036b6d88cfa2519a978e0f6e7766c5e4216912d1f66197fe61aa45df93bef9b'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '04286671c44e0af56700af6f7ef16fc8d9796eca1ad23c3d24a3b2bebb5611aa'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e4ab5ae8db64a6a3aed3a99ac2f330195025a4b7d4bf0e1ecdd1d86f9c1d41b1'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '04286671c44e0af56700af6f7ef16fc8d9796eca1ad23c3d24a3b2bebb5611aa'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '5036b6d88cfa2519a978e0f6e7766c5e4216912d1f66197fe61aa45df93bef9b'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '5036b6d88cfa2519a978e0f6e7766c5e4216912d1f66197fe61aa45df93bef9b'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1881',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '8f0764ed80c3933d2706b346cd47a81b2953767b2f372f6534c390a2eb87dd25'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1064',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '5036b6d88cfa2519a978e0f6e7766c5e4216912d1f66197fe61aa45df93bef9b'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '708',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '97655cf5e69f6dae29fcd2ec252cb90f77163e40734d93deb1e47b0e86c1b7da'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '357',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '12a6f37837e8fa4c91285ab82ad34a99391114367cdd930b70692a9cb7ad13a5'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#6': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '20379dcbc0899bb4d077c09004c6906d798024a2fc032768e50daa03d82bd3ad'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'af0e01c54bf3b605457fa94cf6a12f318341e19fee2a0c60fd3b0bf9bdd2a4e9'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '436feec2a128ea8613ec294c75b80081a493cc3000eb395e45bba527b4fe00f8'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'af0e01c54bf3b605457fa94cf6a12f318341e19fee2a0c60fd3b0bf9bdd2a4e9'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '585e7e8c9efbae94a0d2097aaeb1f0acca50a97489939d01dcdf264bd5109507'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '895',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '17c603019a58b1e2a775bb05643225804203ac0b7883f6d9761398dbabbbfb80'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1145',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '88aead50171fdfefb290d88d5a25520cbd6c1577fe1a5e5de9e1632c4f839b78'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1935',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '815a38987aeda69c6f306ca2df852d8b36a596b4f1f7b0b7aa8e546e9e44868f'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1923',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '20379dcbc0899bb4d077c09004c6906d798024a2fc032768e50daa03d82bd3ad'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1300',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a661a87ddbf213302ca7faaeaf0630ab0aaaf7972d89f593c0ed21b420d4d196'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '685',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e625c37028c0a4765aa7ac764afbb40d68aca54b61ec4158d30b793f7cecdc30'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#7': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '52794bd2275146b8dc0ebeaf97c3f6b8a1a4eab0de08b46ae0f832258b646072'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '4748dac6957cf3886a828f6ca07bfe9cb033cf85e9bfea47c43f1be8c58c4011'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '3bbe25581b9d39848d08ce89016f1edf12e1bc2b0f6bfbf1803754ed7badc0c7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '4748dac6957cf3886a828f6ca07bfe9cb033cf85e9bfea47c43f1be8c58c4011'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '97232dc65a3b65ee54bccf3a79b68d8a2dba281a3ed323d5acaa76b3f0720015'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'c3b27f9f4b425d8fba7f720e381eacbd67a662439859032f38c96ccea8a371a9'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'f959cf89d9d49fb54a860998e53e195d6e4d2475cbea4cd398de3f41ca02256a'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '97331ec6f74bc460f8bea774fc1d31ccc3ba77245e32ed485ed947dacebe6217'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '52794bd2275146b8dc0ebeaf97c3f6b8a1a4eab0de08b46ae0f832258b646072'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '301efd32262a8f299a5cf970f19b0427cbc3d417f48fbd825de8a3ad1d68b80d'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '523',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '62476257e1875d86bdd4e8b4b3ba91a65246cfc42bd9afa4a26533a9a6344b5c'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#8': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '219bf2b81c2f6f649e2288641338220e97ebdc0c1f29c7a3f278941931129abb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '09316e6e566fc2756f2bb6282cdefc2bfe183afef213921bf5080f3fa9a49746'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '47a9f3a8205fe14cf42af07d1d7c2207ad4cbc07b95f637645cdae3e111510ec'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '09316e6e566fc2756f2bb6282cdefc2bfe183afef213921bf5080f3fa9a49746'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'c22ffc69b296c6b08241d69a48c0fb81fe1bcea2deb291305c15dc3e34c3eda1'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2753',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '418078a8cb99c6aa510b3c8362cd3e83b67f7cc100c283c56c3b9243b41abe63'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '4056',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '4be341424ced434e1b63ffb7413a6f2dd4964f0ce6ab67ca4e7794438d21f639'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2737',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '219bf2b81c2f6f649e2288641338220e97ebdc0c1f29c7a3f278941931129abb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1789',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'f34a95fa1051d5db4a88520b4b571f4c3c50d2a5965fb7c4ab8a5ba85bfe7cab'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '771',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'ecdb253080d98e563715573f16ccea48aaed6c458bdfec5017d648012f47e86e'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'listing_test#9': [[200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'bb58e96163e587220581353d43c70837f431324d4d27baa4118e9b808d0783bb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7eab07095b698a28d909b0c08c3ca318bfe4fdd9d8475c544328132d35822fbb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '0429cf3e52075a597b9c2defe7e2208f2a77d279fd702a0ee2992838c3234ab6'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7eab07095b698a28d909b0c08c3ca318bfe4fdd9d8475c544328132d35822fbb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '1555d9800e667c17700a740c9e703ba9b6cb87475466c6c3117603e0b83fe95d'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '827',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7d467d3357eaa78764a0386933a2282892c86992cf28646072f629d6cfdf3fa7'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1699',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7120b31fd236c1765e48714015aefc7005fb8c556eccd50265337d44240e9a9b'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '3010',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '198b9026c465e0a46be24b5493e1e4281c83edb5618315becedbf16c4a45fa52'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '2994',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'bb58e96163e587220581353d43c70837f431324d4d27baa4118e9b808d0783bb'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '1989',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     '7761062e0144f9b26ae535f848fc79cd0664f64cf78b4f8b8af43982ef02447c'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '846',
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'a885792ec6fb6751d1eebc7c00ece304bd71496c42996476f6c9f44343944d0c'],
                    [301,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '271',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': 'http://localhost/d/sub/'},
                     '67442d8c93f7e9453ebd9d3ef3c78ee2a60ffee517dfd1d656ad8b7590fcbdf2'],
                    [200,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': None,
                      'Content-Type': 'text/html;charset=ISO-8859-1',
                      'Location': None},
                     'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
                    [404,
                     {'Content-Encoding': None,
                      'Content-Language': None,
                      'Content-Length': '236',
                      'Content-Type': 'text/html; charset=iso-8859-1',
                      'Location': None},
                     '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'mime_remove_and_sections#1': [[200,
                                 {'Content-Encoding': None,
                                  'Content-Language': None,
                                  'Content-Length': '12',
                                  'Content-Type': 'text/plain',
                                  'Location': None},
                                 'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade'],
                                [200,
                                 {'Content-Encoding': None,
                                  'Content-Language': None,
                                  'Content-Length': '11',
                                  'Content-Type': None,
                                  'Location': None},
                                 'dec797d9a9a7653bb47dae6bbfa34684a644069d8d06ca886d7a4cb0f7fa016f'],
                                [200,
                                 {'Content-Encoding': None,
                                  'Content-Language': None,
                                  'Content-Length': '6',
                                  'Content-Type': 'application/x-b',
                                  'Location': None},
                                 '5da8f23decf397b13f4f55b6fb8a61936238bfe08ed9d901132974f1beccc45c'],
                                [200,
                                 {'Content-Encoding': None,
                                  'Content-Language': None,
                                  'Content-Length': '6',
                                  'Content-Type': 'text/plain',
                                  'Location': None},
                                 'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                [200,
                                 {'Content-Encoding': None,
                                  'Content-Language': None,
                                  'Content-Length': '2',
                                  'Content-Type': None,
                                  'Location': None},
                                 'a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478']],
 'mime_types_by_extension#1': [[200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '6',
                                 'Content-Type': 'text/plain',
                                 'Location': None},
                                'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                               [200,
                                {'Content-Encoding': 'x-gzip',
                                 'Content-Language': None,
                                 'Content-Length': '2',
                                 'Content-Type': 'application/gzip',
                                 'Location': None},
                                '2ed534af191bc3baaf1e09263808bf1bdd68db6241bd8f81e2bb014653dcbb36'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': 'fr',
                                 'Content-Length': '10',
                                 'Content-Type': 'text/html',
                                 'Location': None},
                                '6995860717d5a6f906dc70a36c50939563128ee367964d6dc57f5a42c2d60754'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '1',
                                 'Content-Type': None,
                                 'Location': None},
                                '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '1',
                                 'Content-Type': 'text/plain; charset=utf-8',
                                 'Location': None},
                                '0bfe935e70c321c7ca3afc75ce0d0ca2f98b5422e008bb31c00c6d7f1f1c0ad6'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '3',
                                 'Content-Type': 'text/x-foo',
                                 'Location': None},
                                '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '1',
                                 'Content-Type': 'text/plain',
                                 'Location': None},
                                '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'],
                               [200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '12',
                                 'Content-Type': 'text/html',
                                 'Location': None},
                                'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade']],
 'redirect_in_sections#1': [[302,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '246',
                              'Content-Type': 'text/html; charset=iso-8859-1',
                              'Location': 'http://example.org/loc'},
                             'ed53363a829dca1e9b47226337a3bb1c1db77b96f10e5da82693164a6b574719'],
                            [302,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '246',
                              'Content-Type': 'text/html; charset=iso-8859-1',
                              'Location': 'http://example.org/loc'},
                             'ed53363a829dca1e9b47226337a3bb1c1db77b96f10e5da82693164a6b574719'],
                            [302,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '244',
                              'Content-Type': 'text/html; charset=iso-8859-1',
                              'Location': 'http://example.org/b'},
                             'b2779b3ca99e6ac4cc2b5be42f6e0c917af9ce899536f1d62c04813d8a83be6f'],
                            [200,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '11',
                              'Content-Type': 'text/html',
                              'Location': None},
                             'dec797d9a9a7653bb47dae6bbfa34684a644069d8d06ca886d7a4cb0f7fa016f']],
 'require_host_and_dns#1': [[200,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '6',
                              'Content-Type': 'text/plain',
                              'Location': None},
                             '5da8f23decf397b13f4f55b6fb8a61936238bfe08ed9d901132974f1beccc45c'],
                            [403,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '239',
                              'Content-Type': 'text/html; charset=iso-8859-1',
                              'Location': None},
                             'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                            [200,
                             {'Content-Encoding': None,
                              'Content-Language': None,
                              'Content-Length': '7',
                              'Content-Type': 'text/plain',
                              'Location': None},
                             'b37e50cedcd3e3f1ff64f4afc0422084ae694253cf399326868e07a35f4a45fb']],
 'require_none_and_method#1': [[200,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '6',
                                 'Content-Type': 'text/plain',
                                 'Location': None},
                                '5da8f23decf397b13f4f55b6fb8a61936238bfe08ed9d901132974f1beccc45c'],
                               [403,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': '239',
                                 'Content-Type': 'text/html; '
                                                 'charset=iso-8859-1',
                                 'Location': None},
                                'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                               [403,
                                {'Content-Encoding': None,
                                 'Content-Language': None,
                                 'Content-Length': None,
                                 'Content-Type': 'text/html; '
                                                 'charset=iso-8859-1',
                                 'Location': None},
                                'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
 'require_rules#1': [[403,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '239',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                     [403,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '239',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                     [403,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '239',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '2',
                       'Content-Type': 'text/plain',
                       'Location': None},
                      'a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478'],
                     [403,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '239',
                       'Content-Type': 'text/html; charset=iso-8859-1',
                       'Location': None},
                      'ab768623070128ccef048c88def86155dbe776c3d8db423cc8fa89432673d8a8'],
                     [200,
                      {'Content-Encoding': None,
                       'Content-Language': None,
                       'Content-Length': '12',
                       'Content-Type': 'text/html',
                       'Location': None},
                      'e80696612aa5776cc6a05e376708bc9e5ad173f638c5cda32b25038702ad8ade']],
 'vhost_inheritance#1': [[302,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '247',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': 'http://example.org/main'},
                          '8379a9070cf240db3ac2ed75a8c1b9f441170f542224e7eadd03dd0416245d41'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '8',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          '02b7cda713ecefce01fa4d89b11167e1c771859fbc5c3b6d6c31c8f401ce6f40'],
                         [404,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '236',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': None},
                          '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                         [302,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '247',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': 'http://example.org/main'},
                          '8379a9070cf240db3ac2ed75a8c1b9f441170f542224e7eadd03dd0416245d41'],
                         [200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '5',
                           'Content-Type': 'text/plain',
                           'Location': None},
                          '64896f89fd11190013b70103e603a1c5826e56b7fb7d2197ab279b0690043599'],
                         [302,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '244',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': 'http://example.org/v'},
                          '159e4c2120c914264fa6527216fe34bf6668d1ed6fcdcfb7cd8d05ddf8ffac5c']],
 'vhost_inheritance#2': [[200,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '6',
                           'Content-Type': 'text/plain',
                           'Location': None,
                           'X-Vhost': 'other'},
                          '5da8f23decf397b13f4f55b6fb8a61936238bfe08ed9d901132974f1beccc45c'],
                         [404,
                          {'Content-Encoding': None,
                           'Content-Language': None,
                           'Content-Length': '236',
                           'Content-Type': 'text/html; charset=iso-8859-1',
                           'Location': None,
                           'X-Vhost': 'other'},
                          '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e']],
 'vhost_limits_come_from_the_connection_default#1': [[404,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '236',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                                     [404,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '236',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                                     [414,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '288',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      'bb0fe401adf26648e360d18a1895022cbb1ffe3ebb5be9048eff152cbf29a924'],
                                                     [200,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '6',
                                                       'Content-Type': 'text/plain',
                                                       'Location': None},
                                                      'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                                     [200,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '6',
                                                       'Content-Type': 'text/plain',
                                                       'Location': None},
                                                      'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                                     [400,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '318',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '2d6ad50d1a45ebdcbbabbd3f65f7eecdf8efd6a393a881cbeeedc565f6882ded'],
                                                     [404,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '236',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                                     [404,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '236',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '9448f8a1159c9b14e3e1b9d8eab1a6ddf88d26e1f888a34cef430c756e4e6e1e'],
                                                     [414,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '288',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      'bb0fe401adf26648e360d18a1895022cbb1ffe3ebb5be9048eff152cbf29a924'],
                                                     [200,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '6',
                                                       'Content-Type': 'text/plain',
                                                       'Location': None},
                                                      'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                                     [200,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '6',
                                                       'Content-Type': 'text/plain',
                                                       'Location': None},
                                                      'b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060'],
                                                     [400,
                                                      {'Content-Encoding': None,
                                                       'Content-Language': None,
                                                       'Content-Length': '318',
                                                       'Content-Type': 'text/html; '
                                                                       'charset=iso-8859-1',
                                                       'Location': None},
                                                      '2d6ad50d1a45ebdcbbabbd3f65f7eecdf8efd6a393a881cbeeedc565f6882ded']]}
# GOLDEN-END


def write_golden():
    path = os.path.abspath(__file__)
    text = open(path).read()
    head, rest = text.split("# GOLDEN-BEGIN\n", 1)
    _, tail = rest.split("# GOLDEN-END\n", 1)
    body = "GOLDEN = " + pprint.pformat(RECORDED, width=78) + "\n"
    open(path, "w").write(head + "# GOLDEN-BEGIN\n" + body +
                          "# GOLDEN-END\n" + tail)


if __name__ == "__main__":
    if RECORD:
        sys.argv.remove("--record")
        try:
            run()
        finally:
            write_golden()
    else:
        run()
