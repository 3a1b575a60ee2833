#!/usr/bin/env python3
"""Access-log lines compared with Debian's apache2's, byte for byte.

Both servers serve the same tree with the same configuration; the same
raw requests (single ones and pipelines) go to each, and the access-log
lines must be equal once the time ([%t]) and the ports are normalised:
the Common and Combined formats with odd requests (%b's "-", %r of
broken request lines, quotes, backslashes, control and UTF-8 bytes in
headers), %R after mod_dir's fast redirect and error documents, and %k
and %X on pipelined keep-alive connections, which apache2 logs when the
buffered answers are written."""
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FILES = {
    "htdocs/a.txt": "abcdef\n",
    "htdocs/empty.txt": "",
    "htdocs/big.txt": "x" * 100000,
    "htdocs/err.html": "<p>error</p>\n",
    "htdocs/idx/index.html": "<p>index</p>\n",
    "htdocs/h/z.txt": "z\n",
    "htdocs/h/idx/index.html": "<p>h index</p>\n",
    "htdocs/list/x.txt": "x\n",
    "htdocs/fb/y.txt": "y\n",
    "htdocs/deny/x.txt": "d\n",
}

BASE = r'''
<Directory "@HTDOCS@">
Require all granted
Options Indexes
</Directory>
<Directory "@HTDOCS@/deny">
Require all denied
</Directory>
<Directory "@HTDOCS@/h">
SetHandler default-handler
</Directory>
<Directory "@HTDOCS@/fb">
FallbackResource /a.txt
</Directory>
ErrorDocument 404 /err.html
Redirect /r http://example.com/
Redirect 410 /gone
LogFormat "%h %l %u %t \"%r\" %>s %b" common
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
'''

_TIME = re.compile(r"\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]")


def lines(server, count):
    path = os.path.join(server.logs, "access_log")
    wait_for(lambda: os.path.exists(path) and
             open(path, "rb").read().count(b"\n") >= count,
             what="%d access-log lines" % count)
    text = open(path, "rb").read().decode("latin-1")
    text = _TIME.sub("[TIME]", text)
    text = text.replace(server.root, "@ROOT@")
    return text.replace(":%d" % server.port, ":PORT").splitlines()


def send(port, raw):
    with Conn(port) as c:
        try:  # half-closed: a head left incomplete ends at once
            c.send(raw.encode("utf-8", "surrogateescape"))
            c.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            c.read_all()
        except (AssertionError, OSError):
            pass


def agree(fmt, cases, extra=""):
    """cases: raw request texts (a pipeline is one text); each server's
    access log must come out the same."""
    config = BASE + extra + 'CustomLog "@LOGS@/access_log" %s\n' % fmt
    # apache2 first: it has written every line before it closes, so the
    # count it gives is what httpd-ng must reach
    got, want = {}, 0
    for name, server in (("apache", Apache(config, mpm="prefork",
                                            files=FILES)),
                         ("ours", Server(config, files=FILES))):
        with server:
            for raw in cases:
                send(server.port, raw)
            try:
                got[name] = lines(server, want)
            except AssertionError:  # fewer lines: the diff shows which
                got[name] = lines(server, 0)
            want = len(got[name])
    ours, theirs = got["ours"], got["apache"]
    if ours != theirs:
        diff = [(i, a, b) for i, (a, b) in
                enumerate(zip(ours + [None] * len(theirs),
                              theirs + [None] * len(ours))) if a != b]
        raise AssertionError("%s: %d lines differ:\n  %s" % (
            fmt, len(diff), "\n  ".join("%d ours   %r\n    apache %r" % d
                                        for d in diff[:12])))


def g(path, extra="", version="HTTP/1.1"):
    return "GET %s %s\r\nHost: x\r\n%s\r\n" % (path, version, extra)


ODD = [
    "GET /a.txt HTTP/1.0\r\n\r\n",
    "HEAD /a.txt HTTP/1.0\r\n\r\n",
    "GET /empty.txt HTTP/1.0\r\n\r\n",
    g("/a.txt", "If-None-Match: *\r\nConnection: close\r\n"),
    g("/nope", "Connection: close\r\n"),
    "GET /a.txt\r\n",
    "GET /a\x01b HTTP/1.0\r\n\r\n",
    "GET /a\"b\\c HTTP/1.0\r\n\r\n",
    "GET /caf\u00e9 HTTP/1.0\r\n\r\n",
    "get /a.txt HTTP/1.0\r\n\r\n",
    "GET  /a.txt HTTP/1.0\r\n\r\n",
    "GET /a.txt HTTP/1.0 extra\r\n\r\n",
    "GET /a.txt HTTP/9.9\r\n\r\n",
    "\r\n\r\nGET /a.txt HTTP/1.0\r\n\r\n",
    "GET /" + "y" * 9000 + " HTTP/1.0\r\n\r\n",
    "GET /a.txt HTTP/1.0\r\nUser-Agent: ua \"q\" \\ \t\x7f \u00e9\r\n"
    "Referer: http://r/\"x\"\r\n\r\n",
    "GET /a.txt HTTP/1.0\r\nUser-Agent:\r\nReferer: \r\n\r\n",
    "GET /a.txt HTTP/1.0\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n",
    "GET /deny/x.txt HTTP/1.0\r\n\r\n",
    "POST /a.txt HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
    "OPTIONS * HTTP/1.0\r\n\r\n",
    "GET http://x/a.txt?q=%22 HTTP/1.0\r\n\r\n",
    "GET /a.txt HTTP/1.1\r\n\r\n",
    "GET /r HTTP/1.0\r\n\r\n",
]


@test
def hostname_lookups():
    """HostnameLookups On or Double: %h is the client's name, looked up
    once per connection as the line is written; the server's setting
    counts, not a <Location>'s (recorded from apache2 2.4.71)."""
    try:
        name = socket.gethostbyaddr("127.0.0.1")[0]
    except OSError:
        skip("127.0.0.1 has no name here")
    check(name, "a name for 127.0.0.1")
    cases = [g("/a.txt", "Connection: close\r\n"),
             g("/sub/x", "Connection: close\r\n"),
             g("/a.txt") + g("/sub/y", "Connection: close\r\n")]
    for extra in ("HostnameLookups On\n", "HostnameLookups Double\n",
                  '<Location "/sub">\nHostnameLookups On\n</Location>\n',
                  'HostnameLookups On\n<Location "/sub">\n'
                  'HostnameLookups Off\n</Location>\n'):
        agree('"%h %a %U"', cases, extra)


@test
def common_and_combined():
    for fmt in ("common", "combined"):
        agree(fmt, ODD)


HANDLER = [
    "GET /a.txt HTTP/1.0\r\n\r\n",
    "GET /idx/ HTTP/1.0\r\n\r\n",          # mod_dir's fast redirect: "-"
    "HEAD /idx/?x HTTP/1.0\r\n\r\n",
    "GET /idx HTTP/1.0\r\n\r\n",           # the 301: the directory's
    "GET /list/ HTTP/1.0\r\n\r\n",         # a listing
    "GET /nope HTTP/1.0\r\n\r\n",          # an error document
    "GET /h/nope HTTP/1.0\r\n\r\n",        # ... of a SetHandler
    "GET /h/idx/ HTTP/1.0\r\n\r\n",        # the index's own handler
    "GET /fb/ HTTP/1.0\r\n\r\n",           # FallbackResource on a dir
    "GET /fb/zz HTTP/1.0\r\n\r\n",
    "GET /deny/x.txt HTTP/1.0\r\n\r\n",
    "FOO /a.txt HTTP/1.0\r\n\r\n",
]


@test
def handler_after_redirects():
    agree('"%R|%<R|%>R|%>s|%<s|%U|%f"', HANDLER)


PIPELINES = [
    g("/a.txt") + g("/a.txt", "Range: bytes=99-\r\n") + g("/a.txt") +
    g("/a.txt", "Connection: close\r\n"),
    g("/a.txt", "Range: bytes=99-\r\n") * 2 + g("/a.txt", "Connection: close\r\n"),
    g("/a.txt", "Range: bytes=99-\r\nConnection: close\r\n"),
    g("/a.txt") + g("/a.txt", "Range: bytes=99-\r\nConnection: close\r\n"),
    g("/idx/") + g("/a.txt", "Range: bytes=99-\r\n") + g("/nope") +
    g("/a.txt", "If-None-Match: *\r\n") +
    g("/a.txt", "Range: bytes=0-1\r\nConnection: close\r\n"),
    # which answers are written at once: a file's, not a listing's, a
    # redirect's, a 304's, a HEAD's or an empty file's
    "".join(x + g("/nope") + g("/a.txt", "Connection: close\r\n") for x in [
        g("/big.txt"), g("/empty.txt"), g("/list/"), g("/list"),
        "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        g("/a.txt", "Range: bytes=0-1,3-4\r\n"), g("/gone"),
        "OPTIONS /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"]),
    # at most five answers stay buffered
    g("/nope") * 8 + g("/a.txt", "Connection: close\r\n"),
    # the connection closes with answers buffered
    g("/nope") * 2 + "GET /a.txt HTTP/1.1\r\n\r\n",
    g("/nope") + "GET /x HTTP/1.1\r\nHost: x\r\n",
]


@test
def pipelined_keepalive_counts():
    agree('"%k|%X|%>s|%U"', PIPELINES)
    agree('"%k|%X|%>s|%U"', PIPELINES[:2] + PIPELINES[4:5],
          extra="MaxKeepAliveRequests 3\n")


# %L: a request has a log id when it logged; what the default handler
# says before a bad or short body is read is not logged (apache2 reads the
# body first), so it has none
BODIES = [
    "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\nabc",
    "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
    "POST /nope HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    "\r\nzz\r\n",
    "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
]


@test
def log_ids_after_bodies():
    config = (BASE + "LogLevel info\n"
              'CustomLog "@LOGS@/access_log" "%>s|%{c}L|%L|%U"\n')
    got = []
    for server in (Apache(config, mpm="prefork", files=FILES),
                   Server(config, files=FILES)):
        with server:
            for raw in BODIES:
                send(server.port, raw)
            got.append([re.sub(r"\|[A-Za-z0-9+/]{11}", "|ID", ln)
                        for ln in lines(server, len(BODIES))])
    eq(got[1], got[0], "ours vs apache2 (ids as ID)")
    eq(got[0][0], "400|-|-|/nope", "no id (recorded from apache2)")


# A request line refused after its words were split: apache2 has parsed
# the target (ap_parse_uri), so %U/%q are its raw path and query however
# it looks, and an http URI's host is %V and the error page's (no virtual
# host is chosen: %v is the address's first)
REFUSED_LINES = [
    "GET x.txt HTTP/1.1\r\nHost: unknown.test\r\n\r\n",
    "GET a/b?q=1 HTTP/1.1\r\nHost: unknown.test\r\n\r\n",
    "GET http:a.txt HTTP/1.1\r\nHost: unknown.test\r\n\r\n",
    "GET http://other.test/a b HTTP/1.1\r\nHost: unknown.test\r\n\r\n",
    "GET http://other.test:8/a?z HTTP/1.1 z\r\nHost: unknown.test\r\n\r\n",
    "GET http://u@other.test/a.txt HTTP/1.1\r\nHost: unknown.test\r\n\r\n",
    "GET http://[::1]/a.txt x HTTP/1.1\r\n\r\n",
    "G@T http://other.test/a HTTP/1.1\r\n\r\n",
    "GET http://oth er.test/a HTTP/1.1\r\n\r\n",
    # apr_uri_parse: a port that is no number refuses the URI (kept whole,
    # no host) but what its strtol read is the port; 16 bits of it
    "GET http://other.test:bad/a HTTP/1.1\r\n\r\n",
    "GET http://other.test:99999/a x HTTP/1.1\r\n\r\n",
]
REFUSED_VHOSTS = """<VirtualHost *:@PORT@>
ServerName first.test
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName other.test
</VirtualHost>
ServerSignature On
"""


@test
def refused_request_line_keeps_parsed_target():
    fmt = '"%>s|%v|%V|%U|%q"'
    with Server(BASE + REFUSED_VHOSTS + 'CustomLog "@LOGS@/access_log" %s\n'
                % fmt, files=FILES) as s:
        sigs = []
        for raw in REFUSED_LINES:
            with Conn(s.port) as c:
                c.send(raw.encode())
                body = c.read_all()
            m = re.search(rb"Server at (.*) Port (\d+)<", body)
            sigs.append(m.group(1, 2) if m else None)
        got = lines(s, len(REFUSED_LINES))
    # recorded from apache2
    eq(got, ['400|first.test|first.test|x.txt|',
             '400|first.test|first.test|a/b|?q=1',
             '400|first.test|first.test|a.txt|',
             '400|first.test|other.test|/a|',
             '400|first.test|other.test|/a|?z',
             '400|first.test|other.test|/a.txt|',
             '400|first.test|::1|/a.txt|',
             '400|first.test|other.test|/a|',
             '400|first.test|oth|/|',
             '400|first.test|first.test|http://other.test:bad/a|',
             '400|first.test|other.test|/a|'], "log lines")
    eq(sigs[3:], [(b"other.test", b"80"), (b"other.test", b"8"),
                  (b"other.test", b"80"), (b"::1", b"80"),
                  (b"other.test", b"80"), (b"oth", b"80"),
                  (b"first.test", b"0"), (b"other.test", b"34463")],
       "signatures")
    agree(fmt, REFUSED_LINES, extra=REFUSED_VHOSTS)


# An absolute URI of another scheme than http(s): apache2 reads the head,
# chooses the virtual host by Host, then refuses it silently (400), its
# path and query logged (an OPTIONS without a path is "*")
OTHER_SCHEMES = [
    "GET foo://other.test/a.txt HTTP/1.1\r\nHost: other.test\r\n\r\n",
    "GET foo://other.test/a.txt HTTP/1.0\r\n\r\n",
    "GET ftp://x/a.txt?q HTTP/1.1\r\nHost: other.test\r\n\r\n",
    "GET foo:/a.txt HTTP/1.1\r\nHost: other.test\r\n\r\n",
    "OPTIONS foo://x HTTP/1.1\r\nHost: other.test\r\n\r\n",
]


@test
def other_scheme_refused_after_the_head():
    fmt = '"%>s|%v|%V|%U|%q"'
    with Server(BASE + REFUSED_VHOSTS + 'CustomLog "@LOGS@/access_log" %s\n'
                % fmt, files=FILES) as s:
        for raw in OTHER_SCHEMES:
            send(s.port, raw)
        got = lines(s, len(OTHER_SCHEMES))
        err = s.error_log()
    # recorded from apache2
    eq(got, ['400|other.test|other.test|/a.txt|',
             '400|first.test|first.test|/a.txt|',
             '400|other.test|other.test|/a.txt|?q',
             '400|other.test|other.test|/a.txt|',
             '400|other.test|other.test|*|'], "log lines")
    check("AH10244" not in err, "nothing logged: %r" % err[-300:])
    agree(fmt, OTHER_SCHEMES, extra=REFUSED_VHOSTS)


if __name__ == "__main__":
    run()
