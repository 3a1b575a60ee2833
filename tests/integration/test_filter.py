#!/usr/bin/env python3
"""mod_filter's smart filters: FilterDeclare, FilterProvider, FilterChain,
FilterProtocol, FilterTrace, AddOutputFilterByType as one of them, and
mod_mime's MultiviewsMatch Filters.

Expected values recorded from Debian's apache2 2.4.71 (mod_filter,
mod_deflate) serving the same tree with the same configuration; where
apache2 is installed the same requests go to it too, and each answer must
agree on status, the fields below and the body once decompressed, and the
error log on the filter's lines (FilterTrace's AH01375/AH01376, AH01380,
AH01379), request by request.

Run alone: python3 test_filter.py [NAME-SUBSTRING...]"""
import gzip
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

FILES = {
    "htdocs/a.html": "<p>hello hello hello</p>\n" * 20,        # 500 bytes
    "htdocs/t.txt": "".join("line %d of the text\n" % i for i in range(300)),
    "htdocs/c.css": "p { color: red; }\n" * 10,
    "htdocs/r.bin": "x" * 300,
    "htdocs/e.txt": "",
    "htdocs/sub/k.html": "<i>k</i>\n" * 30,
    "htdocs/sub/k.txt": "<i>k</i>\n" * 30,
    "htdocs/sub/deep/d.html": "<i>d</i>\n" * 30,
    "htdocs/d/.keep": "",
    "htdocs/n/foo.html.z": "<b>foo</b>\n" * 30,
    "htdocs/n/bar.html": "<b>bar</b>\n" * 30,
}
ETAG_A = '"1f4-60a24181e4000"'    # a.html's at FIXED_MTIME
MODULES = harness.APACHE_DEFAULT_MODULES + ["filter", "deflate"]
GZ = {"Accept-Encoding": "gzip"}
FIELDS = ("Content-Encoding", "Vary", "ETag", "Content-Length",
          "Transfer-Encoding", "Content-Range", "Accept-Ranges",
          "Cache-Control", "Last-Modified", "Content-Type")
# the filter's lines in the error log, from the AH number on
LOG_LINE = re.compile(r"(AH0137[5-9]|AH01380)(: .*)$")


def summary(resp):
    body = resp.body
    plain = body
    if resp.header("Content-Encoding") == "gzip" and body and \
            resp.status == 200:
        try:
            plain = gzip.decompress(body)
        except Exception as e:   # noqa: BLE001
            plain = ("undecodable: %s" % e).encode()
    fields = tuple((h, resp.header(h)) for h in FIELDS)
    return (resp.status, fields, len(body),
            hashlib.sha1(plain).hexdigest() if len(plain) > 200 else plain)


def filter_lines(text):
    out = []
    for line in text.splitlines():
        m = LOG_LINE.search(line)
        if m:
            out.append(m.group(1) + m.group(2))
    return out


def fetch(server, reqs):
    out = []
    for q in reqs:
        q = (q,) if isinstance(q, str) else q
        method, path = q[0].split(" ", 1)
        headers = dict(q[1]) if len(q) > 1 else dict(GZ)
        before = len(filter_lines(server.error_log()))
        r = get(server.port, path, method=method, headers=headers)
        # the filter logs before the answer is written: its lines are in
        lines = filter_lines(server.error_log())[before:]
        out.append((summary(r), tuple(lines)))
    return out


def agree(config, reqs, files=FILES, trace=True, buckets=True):
    """Our answers and filter log lines, checked against apache2's where it
    is installed.  buckets=False leaves FilterTrace's AH01376 lines out:
    after DEFLATE apache2 shows its output as IMMORTAL, HEAP and POOL
    buckets (gzip header, data, trailer), here as one HEAP."""
    if trace:
        config = "LogLevel warn filter:debug\n" + config

    def run(cls, **kw):
        with cls(config, files=files, **kw) as s:
            set_mtimes(s.root)
            got = fetch(s, reqs)
        if not buckets:
            got = [(g[0], tuple(ln for ln in g[1]
                                if not ln.startswith("AH01376")))
                   for g in got]
        return got
    ours = run(Server)
    if have_apache():
        theirs = run(harness.Apache, modules=MODULES)
        for q, o, t in zip(reqs, ours, theirs):
            eq(o, t, repr(q))
    return ours


def field(got, name):
    return dict(got[0][1])[name]


def enc(got):
    return [field(g, "Content-Encoding") for g in got]


def traced(got):
    """The filters each request's trace shows, in order."""
    return [[ln.split(": ", 1)[1] for ln in g[1] if ln.startswith("AH01375")]
            for g in got]


TEXT_GZ = 'FilterProvider gz DEFLATE "%{CONTENT_TYPE} =~ m#^text/#"\n' \
          'FilterChain gz\n'


@test
def provider_expression():
    reqs = ["GET /a.html", ("GET /a.html", {}), "GET /c.css", "GET /r.bin",
            "HEAD /a.html", "GET /nope", "GET /e.txt",
            ("GET /t.txt", dict(GZ, Range="bytes=0-9")),
            ("GET /t.txt", {"Range": "bytes=100000-"})]
    got = agree(TEXT_GZ, reqs)
    eq(enc(got)[:4], ["gzip", None, "gzip", None], "by the expression")
    eq(field(got[0], "ETag"), ETAG_A[:-1] + '-gzip"', "DEFLATE's ETag")
    eq(field(got[1], "Vary"), "Accept-Encoding", "DEFLATE ran, declined")
    eq(field(got[4], "Content-Length"), "41", "HEAD")
    eq(field(got[5], "Vary"), None, "404: not filtered")
    eq(got[7][0][0], 206, "a range of the compressed body")
    eq(field(got[7], "Content-Range"), "bytes 0-9/711", "its length")
    eq(got[8][0][0], 416, "past the end")


@test
def providers_last_first():
    """The providers are tried from the last declared to the first; each
    condition evaluated merges the request headers it read into Vary, as
    apache2's ap_expr does, so Vary shows which ones were tried.  A filter
    without providers, or whose providers all decline, passes the body."""
    conf = """FilterProvider gz DEFLATE "%{HTTP:X-A} == '1'"
FilterProvider gz DEFLATE "%{HTTP:X-B} == '1'"
FilterProvider gz DEFLATE "%{QUERY_STRING} == 'z'"
FilterDeclare none
FilterChain none gz
"""
    reqs = [("GET /a.html", dict(GZ, **{"X-A": "1", "X-B": "1"})),
            ("GET /a.html", dict(GZ, **{"X-A": "1"})),
            ("GET /a.html?z", dict(GZ, **{"X-A": "1"})),
            "GET /a.html", ("GET /a.html?z", {})]
    got = agree(conf, reqs)
    eq(enc(got), ["gzip", "gzip", "gzip", None, None], "which compressed")
    eq([field(g, "Vary") for g in got],
       ["X-B,Accept-Encoding", "X-B,X-A,Accept-Encoding", "Accept-Encoding",
        "X-B,X-A", "Accept-Encoding"], "Vary")


@test
def filter_types_order_the_chain():
    """A declared filter is RESOURCE unless said otherwise; one declared
    by FilterProvider takes DEFLATE's CONTENT_SET: RESOURCE runs first
    whatever the chain's order; within a type, the chain's order."""
    conf = """FilterDeclare r
FilterDeclare c CONTENT_SET
FilterDeclare x whatever
FilterProvider p DEFLATE "false"
FilterTrace r 1
FilterTrace c 1
FilterTrace x 1
FilterTrace p 1
FilterChain p c r x
"""
    got = agree(conf, ["GET /a.html"])
    eq(traced(got), [["r", "x", "p", "c"]], "order")


@test
def chain_edits_and_merges():
    base = """FilterProvider a DEFLATE "%{CONTENT_TYPE} == 'text/html'"
FilterProvider b DEFLATE "%{CONTENT_TYPE} == 'text/plain'"
FilterProvider c DEFLATE "%{CONTENT_TYPE} == 'text/css'"
FilterTrace a 1
FilterTrace b 1
FilterTrace c 1
"""
    reqs = ["GET /a.html", "GET /sub/k.html", "GET /sub/deep/d.html",
            "GET /sub/k.txt"]
    cases = [
        ("FilterChain a b\n<Directory @HTDOCS@/sub>\nFilterChain c\n"
         "</Directory>\n", [["a", "b"], ["a", "b", "c"], ["a", "b", "c"],
                            ["a", "b", "c"]]),
        # -name edits the scope's own list only
        ("FilterChain a b\n<Directory @HTDOCS@/sub>\nFilterChain -b\n"
         "</Directory>\n", [["a", "b"]] * 4),
        ("FilterChain a b\n<Directory @HTDOCS@/sub>\nFilterChain @c\n"
         "</Directory>\n<Directory @HTDOCS@/sub/deep>\nFilterChain =b\n"
         "</Directory>\n", [["a", "b"], ["a", "b", "c"], ["b"],
                            ["a", "b", "c"]]),
        ("FilterChain a b\n<Directory @HTDOCS@/sub>\nFilterChain !\n"
         "</Directory>\n<Directory @HTDOCS@/sub/deep>\nFilterChain c\n"
         "</Directory>\n", [["a", "b"], [], ["c"], []]),
        ("FilterChain a b c\nFilterChain -b\n<Directory @HTDOCS@/sub>\n"
         "FilterChain ! a\n</Directory>\n", [["a", "c"], ["a"], ["a"],
                                             ["a"]]),
        ("FilterChain a b\nFilterChain -a\n", [["b"]] * 4),
        ("FilterChain a a b\nFilterChain -A\n", [["a", "b"]] * 4),
        ("FilterChain c +b @a\n", [["a", "c", "b"]] * 4),
    ]
    for chain, want in cases:
        got = agree(base + chain, reqs, buckets=False)
        eq(traced(got), want, chain)


@test
def chain_removals_apache_crashes_on():
    """apache2 crashes at startup on these (removing the last link, or
    after ! or =); here the name is removed."""
    base = """FilterProvider a DEFLATE "false"
FilterProvider b DEFLATE "false"
FilterTrace a 1
FilterTrace b 1
"""
    for chain, want in [("FilterChain a b\nFilterChain -b\n", ["a"]),
                        ("FilterChain a b a\nFilterChain -A\n", ["b", "a"]),
                        ("FilterChain =a\nFilterChain -a b\n", ["b"]),
                        ("FilterChain !\nFilterChain -a\n", [])]:
        with Server("LogLevel warn filter:debug\n" + base + chain,
                    files=FILES) as s:
            got = fetch(s, ["GET /a.html"])
        eq(traced(got), [want], chain)


@test
def by_type_is_a_smart_filter():
    reqs = ["GET /a.html", "GET /sub/k.html", "GET /t.txt", "GET /sub/k.txt"]
    cases = [
        # a scope's own AddOutputFilterByType replaces the outer types
        ("AddOutputFilterByType DEFLATE text/html\n<Directory @HTDOCS@/sub>\n"
         "AddOutputFilterByType DEFLATE text/plain\n</Directory>\n",
         ["gzip", None, None, "gzip"]),
        ("AddOutputFilterByType DEFLATE text/html\n"
         "AddOutputFilterByType DEFLATE text/plain\n",
         ["gzip", "gzip", "gzip", "gzip"]),
        ("AddOutputFilterByType DEFLATE text/html\n<Directory @HTDOCS@/sub>\n"
         "FilterChain !\n</Directory>\n", ["gzip", None, None, None]),
        ("AddOutputFilterByType DEFLATE text/html text/plain\n"
         "<Directory @HTDOCS@/sub>\nFilterChain -BYTYPE:DEFLATE\n"
         "</Directory>\n", ["gzip", "gzip", "gzip", "gzip"]),
        # types compare as written
        ("AddOutputFilterByType DEFLATE Text/HTML text/plain\n",
         [None, None, "gzip", "gzip"]),
        # one filter, both providers, in the chain once
        ("FilterProvider BYTYPE:DEFLATE DEFLATE \"%{CONTENT_TYPE} == "
         "'text/plain'\"\nAddOutputFilterByType DEFLATE text/html\n"
         "FilterChain BYTYPE:DEFLATE\n", ["gzip", "gzip", "gzip", "gzip"]),
    ]
    for conf, want in cases:
        got = agree(conf, reqs, trace=False)
        eq(enc(got), want, conf)
    got = agree("FilterProvider a DEFLATE \"%{CONTENT_TYPE} == 'text/plain'\""
                "\nFilterChain a BYTYPE:DEFLATE\nFilterTrace a 1\n"
                "AddOutputFilterByType DEFLATE text/html\n"
                "FilterTrace BYTYPE:DEFLATE 1\n", ["GET /a.html"],
                buckets=False)
    eq(traced(got), [["a", "BYTYPE:DEFLATE", "BYTYPE:DEFLATE"]],
       "named by the chain, then added by AddOutputFilterByType")


@test
def location_and_virtual_host():
    """<Location> merges after <Directory>: its `!` wins over a deeper
    directory's chain; a virtual host's chain follows the main server's
    (the first vhost of the address answers every name here)."""
    conf = """FilterProvider a DEFLATE "%{CONTENT_TYPE} == 'text/html'"
FilterTrace a 1
FilterChain a
AddOutputFilterByType DEFLATE text/plain
<Location /sub>
    FilterChain !
</Location>
<Directory "@HTDOCS@/sub/deep">
    FilterChain a
</Directory>
<VirtualHost *:@PORT@>
    ServerName other
    FilterProvider b DEFLATE "true"
    FilterTrace b 1
    FilterChain b
</VirtualHost>
"""
    other = dict(GZ, Host="other")
    got = agree(conf, ["GET /a.html", "GET /t.txt", "GET /sub/k.html",
                       "GET /sub/deep/d.html", ("GET /t.txt", other),
                       ("GET /sub/k.txt", other)], buckets=False)
    eq(traced(got), [["a", "b"], ["a", "b"], [], [], ["a", "b"], []],
       "chains")
    eq(enc(got), ["gzip", "gzip", None, None, "gzip", None], "compressed")


@test
def names_are_scoped_and_case_sensitive():
    conf = """FilterChain a
<Directory "@HTDOCS@/sub">
    FilterProvider a DEFLATE "%{CONTENT_TYPE} == 'text/plain'"
</Directory>
<Directory "@HTDOCS@/d">
    FilterProvider A DEFLATE "true"
</Directory>
"""
    files = dict(FILES)
    files["htdocs/d/x.txt"] = "in d\n" * 30
    got = agree(conf, ["GET /t.txt", "GET /sub/k.txt", "GET /sub/k.html",
                       "GET /d/x.txt"], files=files)
    eq(enc(got), [None, "gzip", None, None], "which are compressed")
    eq(got[0][1], ("AH01380: Unknown filter a not added",), "logged")
    eq(got[1][1], (), "known in sub")
    # a scope's own FilterProvider starts a new filter of that name
    conf = """FilterProvider a DEFLATE "%{CONTENT_TYPE} == 'text/html'"
FilterChain a
<Directory "@HTDOCS@/sub">
    FilterProvider a DEFLATE "%{CONTENT_TYPE} == 'text/plain'"
</Directory>
"""
    got = agree(conf, ["GET /a.html", "GET /sub/k.html", "GET /sub/k.txt"])
    eq(enc(got), ["gzip", None, "gzip"], "the inner filter only")


PROTO_REQS = [("GET /r.bin", {"Range": "bytes=0-9"}),
              ("GET /r.bin", {"Range": "bytes=1000-"}),
              ("GET /t.txt", {"Range": "bytes=100000-"}),
              ("GET /t.txt", {"Range": "bytes=0-9"}),
              ("GET /t.txt", dict(GZ, Range="bytes=0-9")),
              "GET /a.html", ("GET /a.html", {})]


@test
def protocol_of_the_filter():
    """The filter's own flags: byteranges=no or change=yes put the Range
    aside before the handler; it comes back only when a provider runs."""
    for proto, ranged in [("byteranges=no", False), ("change=yes", False),
                          ("change=1:1", True), ("cache=no", True),
                          ('"byteranges=no change=no"', False),
                          ("bogus=1", True), ("proxy=no", True)]:
        got = agree(TEXT_GZ + "FilterProtocol gz %s\n" % proto, PROTO_REQS,
                    trace=False)
        eq([g[0][0] for g in got[:4]],
           [206, 416, 416, 206] if ranged else [200, 200, 416, 206], proto)
        eq(field(got[5], "ETag"), ETAG_A[:-1] + '-gzip"', proto)


@test
def protocol_of_the_provider():
    """A provider's flags apply when it is chosen, to every filter of the
    server that uses it (last FilterProtocol wins)."""
    cases = [
        ("change=yes", lambda g: field(g[6], "ETag") is None and
         field(g[6], "Content-Length") == "500"),
        ("change=1:1", lambda g: field(g[5], "ETag") is None),
        ("cache=no", lambda g: field(g[6], "Last-Modified") is None and
         field(g[6], "Cache-Control") == "no-cache"),
        ("byteranges=no", lambda g: field(g[6], "Accept-Ranges") == "none"
         and g[3][0][0] == 206),
    ]
    for proto, ok in cases:
        got = agree(TEXT_GZ + "FilterProtocol gz DEFLATE %s\n" % proto,
                    PROTO_REQS, trace=False)
        check(ok(got), "%s: %r" % (proto, got))
        eq(field(got[0], "Accept-Ranges"), "bytes", "r.bin: no provider")
    # both: the filter's put the Range aside, the provider's keeps it so
    got = agree(TEXT_GZ + "FilterProtocol gz change=yes\n"
                "FilterProtocol gz DEFLATE byteranges=no\n", PROTO_REQS,
                trace=False)
    eq([g[0][0] for g in got[:5]], [200, 200, 200, 200, 200], "no ranges")
    # set in another scope, for another filter: DEFLATE's everywhere
    got = agree(TEXT_GZ + "<Directory @HTDOCS@/sub>\nFilterProvider o "
                "DEFLATE true\nFilterProtocol o DEFLATE change=1:1\n"
                "</Directory>\n", ["GET /a.html", "GET /r.bin"], trace=False)
    eq(field(got[0], "ETag"), None, "the provider's flags are global")
    eq(field(got[1], "ETag"), '"12c-60a24181e4000"', "not chosen: kept")


@test
def trace_lines():
    files = dict(FILES)
    files["htdocs/d/.htaccess"] = ""
    conf = TEXT_GZ + """FilterTrace gz 1
FilterDeclare quiet
FilterTrace quiet 2
FilterChain quiet
<Directory "@HTDOCS@/d">
    Options +Indexes
</Directory>
"""
    got = agree(conf, ["GET /a.html", "GET /r.bin", "GET /d/", "GET /nope"],
                files=files)
    eq(list(got[0][1]), ["AH01375: gz", "AH01376: gz: type: FILE, length: 500",
                         "AH01376: gz: type: EOS, length: 0"], "a file")
    eq(got[3][1], (), "404: not traced")
    eq(traced(got[2:3]), [["gz"]], "a listing")
    # below debug, nothing
    got = agree(TEXT_GZ + "FilterTrace gz 1\n", ["GET /a.html"], trace=False)
    eq(got[0][1], (), "LogLevel warn")


@test
def errordocs_pass_unless_asked():
    conf = TEXT_GZ + "ErrorDocument 404 /a.html\n" \
        "ErrorDocument 403 /t.txt\n" \
        "SetEnvIf Request_URI ^/t\\.txt filter-errordocs\n" \
        '<Location /private>\n    Require all denied\n</Location>\n'
    got = agree(conf, ["GET /nope", "GET /private", "GET /t.txt"],
                trace=False)
    eq(enc(got), [None, "gzip", "gzip"], "filter-errordocs")


@test
def in_an_access_file():
    files = dict(FILES)
    files["htdocs/sub/.htaccess"] = (
        "FilterProvider gz DEFLATE \"%{CONTENT_TYPE} == 'text/plain'\"\n"
        "FilterChain gz\nFilterProtocol gz DEFLATE change=1:1\n")
    conf = TEXT_GZ + '<Directory "@HTDOCS@/sub">\n' \
        '    AllowOverride Options\n</Directory>\n'
    # /a.html first: apache2 changes DEFLATE's flags for the whole child
    # process once it has read the access file (so later answers of that
    # child lose their ETag too, at random); here only the access file's
    # filter has them
    got = agree(conf, ["GET /a.html", "GET /sub/k.txt", "GET /sub/k.html",
                       "GET /sub/k.txt"], files=files, trace=False)
    eq(enc(got), ["gzip", "gzip", None, "gzip"], "the access file's filter")
    eq(field(got[0], "ETag"), ETAG_A[:-1] + '-gzip"', "not yet read")
    eq(field(got[1], "ETag"), None, "its provider's flags")


@test
def multiviews_match_filters():
    """An extension AddOutputFilter names is metadata for MultiViews when
    MultiviewsMatch Filters says so, and the filter runs on the variant."""
    reqs = ["GET /n/foo", "GET /n/foo.html", "GET /n/foo.html.z",
            "GET /n/bar"]
    base = '<Directory "@HTDOCS@/n">\nOptions +MultiViews\n%s</Directory>\n'
    for extra, want in [("AddOutputFilter DEFLATE z\n",
                         [404, 404, 200, 200]),
                        ("AddOutputFilter DEFLATE z\nMultiviewsMatch "
                         "Filters\n", [200, 200, 200, 200]),
                        ("AddOutputFilter DEFLATE z\nMultiviewsMatch "
                         "Handlers\n", [404, 404, 200, 200]),
                        ("AddOutputFilter DEFLATE z\nMultiviewsMatch "
                         "Handlers Filters\n", [200, 200, 200, 200])]:
        got = agree(base % extra, reqs, trace=False)
        eq([g[0][0] for g in got], want, extra)
        if want[0] == 200:
            eq(field(got[0], "Content-Encoding"), "gzip", "compressed")
            # apache2's variant-list ETag has no closing quote, and DEFLATE
            # then adds no -gzip
            eq(field(got[0], "ETag"), '"14a-60a24181e4000;60a24181e4000',
               "negotiated ETag")


def messages_agree(cases):
    for conf, code, msg in cases:
        got = httpd_t(conf)
        eq(got[0], code, "exit code for %r: %r" % (conf, got))
        check(msg in got[1], "%r: %r" % (conf, got[1]))
        if have_apache() and msg:
            theirs = apache_t(conf, modules=MODULES)
            eq(got[0], theirs[0], "apache2's exit code for %r" % conf)
            check(msg in theirs[1], "apache2's message for %r" % conf)


@test
def config_messages():
    messages_agree([
        ("FilterDeclare gz\n", 0, "Syntax OK"),
        ("FilterDeclare gz bogus\n", 0, "Syntax OK"),
        ('FilterProvider gz DEFLATE "%{CONTENT_TYPE} =~ m#^text/#"\n', 0,
         "Syntax OK"),
        ("FilterProvider gz BOGUS true\n", 1, "Unknown filter provider BOGUS"),
        ("FilterProvider gz INCLUDES true\n", 1,
         "Unknown filter provider INCLUDES"),
        ("FilterProvider gz deflate true\n", 0, "Syntax OK"),
        ('FilterProvider gz DEFLATE "%{FOO} =="\n', 1,
         "Error parsing FilterProvider expression:"),
        ('FilterProvider gz DEFLATE "foo("\n', 1,
         "Error parsing FilterProvider expression:syntax error"),
        ('FilterProvider gz DEFLATE "%{CONTENT_TYPE} =~ m#^te(xt/#"\n', 1,
         "Error parsing FilterProvider expression:"),
        ("FilterProvider gz DEFLATE\n", 1, "FilterProvider takes three "
         "arguments, filter-name provider-name match-expression"),
        ("FilterDeclare\n", 1,
         "FilterDeclare takes 1-2 arguments, filter-name [filter-type]"),
        ("FilterChain\n", 1, "FilterChain requires at least one argument, "
         "list of filter names with optional [+-=!@]"),
        ("FilterChain gz +x -y @z =w !\n", 0, "Syntax OK"),
        ("FilterTrace gz 1\n", 1, "Undeclared smart filter gz"),
        ("FilterDeclare gz\n<VirtualHost *:80>\nFilterTrace gz 1\n"
         "</VirtualHost>\n", 1, "Undeclared smart filter gz"),
        ("FilterDeclare gz\nFilterTrace gz 1\n", 0, "Syntax OK"),
        ("FilterTrace gz\n", 1,
         "FilterTrace takes two arguments, filter-name debug-level"),
        ("FilterProtocol gz change=yes\n", 1, "FilterProtocol: No such filter"),
        ("FilterDeclare gz\nFilterProtocol gz DEFLATE change=yes\n", 1,
         "FilterProtocol: No such provider for this filter"),
        ("FilterProvider gz DEFLATE true\nFilterProtocol gz DEFLATE "
         "change=yes\n", 0, "Syntax OK"),
        ("FilterProvider gz DEFLATE true\nFilterProtocol gz deflate bogus\n",
         0, "Syntax OK"),
        ("FilterProtocol gz\n", 1, "FilterProtocol takes two or three "
         "arguments, filter-name [provider-name] protocol-args"),
        ("<Location />\nFilterDeclare gz\nFilterTrace gz 1\n</Location>\n",
         0, "Syntax OK"),
    ])
    # apache2 takes its protocol and header filters as providers, and runs
    # them again over the body (or the head): refused here
    for conf in ("FilterProvider gz CONTENT_LENGTH true\n",
                 "FilterProvider gz byterange true\n",
                 "AddOutputFilterByType FIXUP_HEADERS_OUT text/html\n"):
        code, err = httpd_t(conf)
        eq(code, 1, conf)
        check("no content filter and cannot be a provider" in err, err)
    # refused here, where apache2 would run the filter over the head
    for t in ("PROTOCOL", "connection", "NETWORK"):
        code, err = httpd_t("FilterDeclare gz %s\n" % t)
        eq(code, 1, t)
        check("not supported" in err and "RESOURCE or CONTENT_SET" in err,
              err)


if __name__ == "__main__":
    run()
