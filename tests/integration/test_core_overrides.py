#!/usr/bin/env python3
"""ForceType, SetHandler, AcceptPathInfo and ContentDigest as Apache 2.4's
core applies them (its first fixup, core_override_type, and the default
handler), against Debian's apache2 serving the same tree when installed;
the values asserted directly were recorded from it."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FIELDS = ("Content-Type", "Content-Length", "Content-MD5", "Content-Range",
          "Location", "ETag")


def summary(r, port):
    allow = r.header("Allow")
    fields = dict((h, r.header(h)) for h in FIELDS)
    if fields["Location"]:
        fields["Location"] = fields["Location"].replace(":%d" % port, "")
    fields["ETag"] = fields["ETag"] is not None  # mtimes differ
    fields["Allow"] = ",".join(sorted(allow.split(","))) if allow else None
    body = r.body
    if "multipart" in (fields["Content-Type"] or ""):
        m = re.search(r"boundary=(\w+)", fields["Content-Type"])
        body = body.replace(m.group(1).encode(), b"B")
        fields["Content-Type"] = fields["Content-Type"].replace(m.group(1),
                                                                "B")
        fields["Content-Length"] = None
    if fields["Content-Type"] and fields["Content-Type"].startswith(
            "text/html; charset=iso"):   # an error page: not its text
        body = b"error page"
        fields["Content-Length"] = None
    if b"Index of" in body:
        body = b"listing"
        fields["Content-Length"] = None
    return r.status, fields, body


def compare(config, files, reqs):
    return agree_with_apache(config, files, reqs, summary)


DIRS = ["ft", "ft/none", "dh", "dh/none", "foo", "ud", "ex", "ah",
        "ah/none", "ah/dh", "dh/loc", "plain"]


@test
def force_type_and_set_handler():
    """ForceType replaces the type of every file (lower-cased; None
    cancels an inherited one; a listing keeps its own); SetHandler names
    the handler: default-handler serves files, an unknown one too (the
    default handler takes what nobody else does), but a directory without
    an index is then a 404 since only httpd/unix-directory lists it; the
    value is a string expression, lower-cased; None cancels; AddHandler
    alone changes nothing for static files."""
    conf = """<Directory @HTDOCS@>
Options Indexes
</Directory>
<Directory @HTDOCS@/ft>
ForceType Text/X-Forced
</Directory>
<Directory @HTDOCS@/ft/none>
ForceType None
</Directory>
<Directory @HTDOCS@/dh>
SetHandler default-handler
</Directory>
<Directory @HTDOCS@/dh/none>
SetHandler None
</Directory>
<Directory @HTDOCS@/foo>
SetHandler foo-bar
</Directory>
<Directory @HTDOCS@/ud>
SetHandler httpd/unix-directory
</Directory>
<Directory @HTDOCS@/ex>
SetHandler "%{REQUEST_METHOD}-x"
</Directory>
<Directory @HTDOCS@/ah>
AddHandler foo-handler .txt
</Directory>
<Directory @HTDOCS@/ah/none>
SetHandler None
</Directory>
<Directory @HTDOCS@/ah/dh>
SetHandler default-handler
</Directory>
<Location /dh/loc>
SetHandler foo-bar
</Location>
"""
    files = {}
    for d in DIRS:
        files["htdocs/%s/x.txt" % d] = "x"
        files["htdocs/%s/sub/index.html" % d] = "<p>i</p>"
        files["htdocs/%s/nosub/y.html" % d] = "<p>y</p>"
    shapes = ["GET /%s/x.txt", "HEAD /%s/x.txt", "POST /%s/x.txt",
              "GET /%s/sub/", "GET /%s/nosub/", "GET /%s/sub",
              "GET /%s/x.txt/pi", "OPTIONS /%s/x.txt"]
    reqs = [(s % d,) for d in DIRS for s in shapes]
    ours = compare(conf, files, reqs)
    got = dict((q[0], (r[0], r[1]["Content-Type"])) for q, r in zip(reqs, ours))
    eq(got["GET /ft/x.txt"], (200, "text/x-forced"), "ForceType")
    eq(got["GET /ft/sub/"], (200, "text/x-forced"), "ForceType, index")
    eq(got["GET /ft/nosub/"][0], 200, "a listing under ForceType")
    eq(got["GET /ft/none/x.txt"], (200, "text/plain"), "ForceType None")
    eq([got["GET /%s/nosub/" % d][0] for d in DIRS],
       [200, 200, 404, 200, 404, 200, 404, 200, 200, 404, 404, 200],
       "directory without an index (recorded from apache2)")
    eq([got["GET /%s/x.txt" % d][0] for d in DIRS], [200] * 12,
       "files are served whatever the handler")


@test
def accept_path_info():
    """AcceptPathInfo On serves a file with path info after it (any
    method the file would get), Off and Default (for static files) 404;
    the innermost setting wins; from .htaccess with FileInfo."""
    conf = """<Directory @HTDOCS@>
Options Indexes
AllowOverride All
</Directory>
<Directory @HTDOCS@/on>
AcceptPathInfo On
</Directory>
<Directory @HTDOCS@/on/off>
AcceptPathInfo Off
</Directory>
<Directory @HTDOCS@/on/def>
AcceptPathInfo Default
</Directory>
"""
    files = {"htdocs/on/x.txt": "x", "htdocs/on/off/x.txt": "x",
             "htdocs/on/def/x.txt": "x", "htdocs/on/sub/index.html": "<p>",
             "htdocs/ht/.htaccess": "AcceptPathInfo On\n",
             "htdocs/ht/x.txt": "x"}
    reqs = [("GET /on/x.txt/pi",), ("GET /on/x.txt/",), ("GET /on/x.txt/a/b?q",),
            ("HEAD /on/x.txt/pi",), ("POST /on/x.txt/pi",),
            ("GET /on/off/x.txt/pi",), ("GET /on/def/x.txt/pi",),
            ("GET /on/sub/pi",), ("GET /on/nope/pi",),
            ("GET /on/sub/index.html/pi",), ("OPTIONS /on/x.txt/pi",),
            ("GET /ht/x.txt/pi",), ("GET /on/x.txt/pi", {"Range": "bytes=0-0"})]
    ours = compare(conf, files, reqs)
    eq([r[0] for r in ours],
       [200, 200, 200, 200, 200, 404, 404, 404, 404, 200, 200, 200, 206],
       "statuses (recorded from apache2)")


@test
def fallback_fast_redirect():
    """A FallbackResource is served by mod_dir's fast redirect: the
    fallback's directory is checked by the GET lookup only, so its <Limit
    POST> or <LimitExcept GET> does not refuse a POST or another method
    (Apache answers as for the fallback itself: 200, 405, 501); a denial
    of the fallback's GET still refuses everything."""
    conf = """<Directory @HTDOCS@/fo>
FallbackResource /other/a.txt
</Directory>
<Directory @HTDOCS@/other>
<Limit POST>
Require all denied
</Limit>
</Directory>
<Directory @HTDOCS@/fl>
FallbackResource /lim/a.txt
</Directory>
<Directory @HTDOCS@/lim>
<LimitExcept GET>
Require all denied
</LimitExcept>
</Directory>
<Directory @HTDOCS@/fd>
FallbackResource /den/a.txt
</Directory>
<Directory @HTDOCS@/den>
Require all denied
</Directory>
"""
    files = {"htdocs/other/a.txt": "o\n", "htdocs/lim/a.txt": "l\n",
             "htdocs/den/a.txt": "d\n", "htdocs/fo/x": "",
             "htdocs/fl/x": "", "htdocs/fd/x": ""}
    reqs = [("POST /fo/missing",), ("POST /fo/",), ("GET /fo/missing",),
            ("POST /fl/missing",), ("OPTIONS /fl/missing",),
            ("PUT /fl/missing",), ("FOO /fl/",), ("POST /other/a.txt",),
            ("POST /fd/missing",), ("GET /fd/missing",)]
    ours = compare(conf, files, reqs)
    eq([r[0] for r in ours],
       [200, 200, 200, 200, 200, 405, 501, 403, 403, 403],
       "statuses (recorded from apache2)")
    eq([r[2] for r in ours[:4]], [b"o\n", b"o\n", b"o\n", b"l\n"],
       "the fallback's body")


@test
def head_listing_reads_no_entries():
    """HEAD of a directory listing answers with the listing's headers
    without reading the entries: apache2 runs none of their lookups, so a
    denied subdirectory or a refused symlink logs nothing (GET logs
    both)."""
    conf = """CustomLog "@LOGS@/access_log" "%r %>s"
<Directory @HTDOCS@>
Options Indexes
</Directory>
<Directory @HTDOCS@/li/den>
Require all denied
</Directory>
"""
    files = {"htdocs/li/a.txt": "a\n", "htdocs/li/den/x": ""}
    pat = re.compile(r"AH0(0032|1630)")

    def run_on(cls):
        with cls(conf, files=files) as s:
            os.symlink("a.txt", os.path.join(s.htdocs, "li", "lnk"))
            head = get(s.port, "/li/", method="HEAD")
            wait_for(lambda: "HEAD /li/" in s.log("access_log"),
                     what="the HEAD logged")
            after_head = len(pat.findall(s.error_log()))
            got = get(s.port, "/li/")
            wait_for(lambda: len(pat.findall(s.error_log())) >= 2,
                     what="the GET's lookups logged")
            return (head.status, head.header("Content-Type"),
                    head.header("Content-Length"), after_head,
                    got.status, len(pat.findall(s.error_log())))
    want = (200, "text/html;charset=ISO-8859-1", None, 0, 200, 2)
    eq(run_on(Server), want, "ours (recorded from apache2)")
    if have_apache():
        eq(run_on(Apache), want, "apache2")


@test
def content_digest():
    """ContentDigest On: Content-MD5 (base64 of the whole file's MD5) on
    files the default handler serves, HEAD, POST, ranges, 304 and 412
    included (it is set before the conditions); not on listings, errors
    or where it is Off; allowed in .htaccess under AllowOverride
    Options."""
    conf = """<Directory @HTDOCS@>
Options Indexes
AllowOverride All
</Directory>
<Directory @HTDOCS@/cd>
ContentDigest On
</Directory>
<Directory @HTDOCS@/cd/off>
ContentDigest Off
</Directory>
"""
    files = {"htdocs/cd/x.txt": "hello world\n", "htdocs/cd/empty.txt": "",
             "htdocs/cd/big.bin": "abcdefgh" * 20000 + "tail",
             "htdocs/cd/off/x.txt": "x",
             "htdocs/cd/sub/index.html": "<p>i</p>", "htdocs/cd/nosub/a": "a",
             "htdocs/ht/.htaccess": "ContentDigest On\n",
             "htdocs/ht/x.txt": "x"}
    reqs = [("GET /cd/x.txt",), ("HEAD /cd/x.txt",), ("GET /cd/empty.txt",),
            ("GET /cd/big.bin",), ("GET /cd/off/x.txt",), ("GET /cd/sub/",),
            ("GET /cd/nosub/",), ("GET /cd/nope",), ("POST /cd/x.txt",),
            ("GET /ht/x.txt",), ("GET /cd/x.txt", {"Range": "bytes=0-3"}),
            ("GET /cd/x.txt", {"Range": "bytes=0-1,4-5"}),
            ("GET /cd/x.txt", {"If-None-Match": "*"}),
            ("GET /cd/x.txt", {"If-Match": '"nope"'})]
    ours = compare(conf, files, reqs)
    md5 = [r[1]["Content-MD5"] for r in ours]
    eq(md5[:4], ["b1kCrCNwJL3QwXbLkwY9xA==", "b1kCrCNwJL3QwXbLkwY9xA==",
                 "1B2M2Y8AsgTpgAmY7PhCfg==", md5[3]], "values")
    eq([m is not None for m in md5],
       [True, True, True, True, False, True, False, False, True, True,
        True, True, True, True], "where (recorded from apache2)")


CONFIG_CASES = [
    # (configuration, exit code, message), recorded from apache2 -t
    ("ForceType", 1, "ForceType takes one argument, a mime type that "
     "overrides other configured type"),
    ("ForceType text/plain", 0, ""),
    ("SetHandler a b", 1, "SetHandler takes one argument, a handler name "
     "that overrides any other configured handler"),
    ('SetHandler "%{FOO}"', 1,
     "Can't parse expression : Variable 'FOO' does not exist"),
    ("SetHandler none", 0, ""),
    ("AcceptPathInfo", 1, "AcceptPathInfo takes one argument, Set to on or "
     "off for PATH_INFO to be accepted by handlers, or default for the "
     "per-handler preference"),
    ("AcceptPathInfo bogus", 1,
     "AcceptPathInfo must be set to on, off or default"),
    ("AcceptPathInfo ON", 0, ""),
    ("ContentDigest", 1, "ContentDigest must be On or Off"),
    ("ContentDigest maybe", 1, "ContentDigest must be On or Off"),
    ("<Location /x>\nContentDigest on\nAcceptPathInfo on\nSetHandler x\n"
     "ForceType x\n</Location>", 0, ""),
]


@test
def configuration_errors():
    config_cases_agree(CONFIG_CASES)


if __name__ == "__main__":
    run()
