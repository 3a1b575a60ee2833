#!/usr/bin/env python3
"""Error-log lines compared with Debian's apache2's.

The sites, configurations and requests of test_random_diff.py (and the
raw requests of test_request_diff.py) are sent one at a time to httpd-ng
and to apache2 serving the same tree with the same configuration plus a
LogLevel that shows the per-request messages (info); after each request the
lines each server appended to its error log are compared, with the time,
the pid and tid and the client's port normalised and the temporary
ServerRoot written @ROOT@.

    ERRORLOG_DIFF_SEED=N ERRORLOG_DIFF_ROUNDS=M python3 test_errorlog_diff.py
explores other rounds (ERRORLOG_DIFF_ALL=1 lists every mismatch)."""
import os
import random
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness
import test_random_diff as rd
import test_request_diff as rq

# importing the generators registered their tests: keep only ours
del harness._tests[:]

SEED = int(os.environ.get("ERRORLOG_DIFF_SEED", "20261126"))
ROUNDS = int(os.environ.get("ERRORLOG_DIFF_ROUNDS", "6"))
REQUESTS = int(os.environ.get("ERRORLOG_DIFF_REQUESTS", "50"))
SHOW_ALL = bool(os.environ.get("ERRORLOG_DIFF_ALL"))
LEVEL = os.environ.get("ERRORLOG_DIFF_LEVEL", "info")

_HEAD = re.compile(r"^\[[^\]]*\] (\[[^\]]*\]) \[pid \d+(?::tid \d+)?\] ")
_STARTUP = re.compile(r"AH0016[34]|AH00489|AH00094")
_CLIENT = re.compile(r"\[client (127\.0\.0\.1):\d+\]")


def normalise(text, server):
    out = []
    for ln in text.splitlines():
        m = _HEAD.match(ln)
        if m is None:
            out.append(ln)
            continue
        ln = m.group(1) + " " + ln[m.end():]
        ln = _CLIENT.sub(r"[client \1:PORT]", ln)
        ln = ln.replace(server.root, "@ROOT@")
        ln = ln.replace(":%d" % server.port, ":PORT")
        out.append(ln)
    return out


class Tail:
    """The lines a server's error log grew by since the last call."""

    def __init__(self, server, raw_lines=False):
        self.server = server
        self.raw_lines = raw_lines
        self.seen = 0

    def new(self):
        text = self.server.error_log()
        data = text[self.seen:]
        cut = data.rfind("\n") + 1
        self.seen += cut
        if self.raw_lines:  # a custom ErrorLogFormat: ports and root only
            data = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", data[:cut])
            data = data.replace(self.server.root, "@ROOT@")
            return [ln for ln in data.splitlines() if not _STARTUP.search(ln)]
        # notices and AH00164 (the build date) are about the server
        return [ln for ln in normalise(data[:cut], self.server)
                if ":notice]" not in ln and "AH00164:" not in ln]


def access_lines(server):
    return server.log("access_log").count("\n")


def exchange(server, tail, raw, send, count):
    send(server.port, raw)
    if count is not None:
        wait_for(lambda: access_lines(server) >= count,
                 what="%d access-log lines" % count)
    return tail.new()


def compare(cases, config, files, send, setup=None, label="", level=LEVEL,
            raw_lines=False, counted=True):
    if level:
        config = config + "LogLevel %s\n" % level
    ours = Server(config, files=files)
    theirs = Apache(config, mpm="prefork", files=files)
    if setup:
        for s in (ours, theirs):
            setup(s)
    failures = []
    with theirs, ours:
        to, tt = Tail(ours, raw_lines), Tail(theirs, raw_lines)
        to.new()
        tt.new()
        for i, raw in enumerate(cases):
            # (uncounted: the lines are written before the connection
            # closes, and the client waited for that)
            a = exchange(ours, to, raw, send, i + 1 if counted else None)
            b = exchange(theirs, tt, raw, send, i + 1 if counted else None)
            if a != b:
                failures.append("request %d %r:\n      ours   %s\n      apache %s"
                                % (i, str(raw)[:300], "\n             ".join(a) or "-",
                                   "\n             ".join(b) or "-"))
    if failures:
        shown = failures if SHOW_ALL else failures[:10]
        raise AssertionError("%s: %d of %d requests log differently\n  %s\n"
                             "  configuration:\n%s"
                             % (label, len(failures), len(cases),
                                "\n  ".join(shown), config))


def random_round(seed, r):
    rnd = random.Random("%d/%d" % (seed, r))
    files, paths, links = rd.make_site(rnd)
    for attempt in range(10):
        config, vhosts = rd.make_config(rnd, paths)
        if apache_t(config, mpm="prefork")[0] == 0:
            break
    config = rd.add_access_files(seed, r, files, paths, config)
    reqs = [rd.make_request(rnd, paths, vhosts, i, config)
            for i in range(REQUESTS)]
    compare(reqs, config, files, rd.send,
            setup=lambda s: rd.setup_tree(s, links),
            label="seed %d round %d (again: ERRORLOG_DIFF_SEED=%d "
            "ERRORLOG_DIFF_ROUNDS=%d)" % (seed, r, seed, r + 1))


# ---- LogLevel scopes, ErrorLogFormat -----------------------------------------

SCOPE_FILES = {"htdocs/a.txt": "a\n", "htdocs/sub/deeper/x.txt": "x\n",
               "htdocs/d/f.txt": "f\n"}
SCOPE_BASE = ('<Directory "@HTDOCS@">\nRequire all granted\n</Directory>\n'
              'CustomLog "@LOGS@/access_log" common\n')
SCOPE_REQUESTS = ["GET /nope HTTP/1.0\r\n\r\n",
                  "GET /sub/nope HTTP/1.0\r\n\r\n",
                  "GET /sub/deeper/nope HTTP/1.0\r\n\r\n",
                  "GET /a%2fb HTTP/1.0\r\n\r\n",
                  "GET /d/ HTTP/1.0\r\n\r\n"]
# What apache2 logs for these is what it must be (recorded: the line
# counts in the comments); both servers run each.
SCOPES = [
    # a section's MODULE:LEVEL (3 lines: sub, deeper, and none elsewhere)
    'LogLevel warn\n<Directory "@HTDOCS@/sub">\nLogLevel core:info\n'
    '</Directory>\n',
    # a section's level hides what the server's shows (/nope, /a%2fb)
    'LogLevel info\n<Directory "@HTDOCS@/sub">\nLogLevel warn\n</Directory>\n',
    # a level in a section drops the server's MODULE:LEVEL pairs
    'LogLevel warn core:info\n<Directory "@HTDOCS@/sub">\nLogLevel notice\n'
    '</Directory>\n',
    # ... a MODULE:LEVEL alone keeps them
    'LogLevel warn core:info\n<Directory "@HTDOCS@/sub">\n'
    'LogLevel mime:debug\n</Directory>\n',
    # a level after MODULE:LEVEL in one scope resets it (nothing logged)
    'LogLevel core:info\nLogLevel warn\n',
    'LogLevel core:info warn\n',
    'LogLevel warn core_module:info\n',
    # <Location>, and the deeper <Directory> winning
    'LogLevel warn\n<Location "/sub">\nLogLevel info\n</Location>\n',
    'LogLevel warn\n<Directory "@HTDOCS@/sub">\nLogLevel core:info\n'
    '</Directory>\n<Directory "@HTDOCS@/sub/deeper">\nLogLevel notice\n'
    '</Directory>\n',
    # autoindex at info only: AH01276 is an error either way
    'LogLevel crit autoindex:error\nOptions -Indexes\n',
    # a vhost's level
    'LogLevel warn\n<VirtualHost *:@PORT@>\nServerName localhost\n'
    'LogLevel info\n</VirtualHost>\n',
    'LogLevel core:info\n<VirtualHost *:@PORT@>\nServerName localhost\n'
    'LogLevel warn\n</VirtualHost>\n',
    # a module named by its source file, and apache2's linked-in watchdog
    'LogLevel warn core.c:info mod_autoindex.c:crit watchdog:info\n',
    'LogLevel warn http_core.c:debug mod_watchdog.c:info\n',
    # authz_core's debug lines: each Require and section's result
    # (AH01626), "(no authenticated user yet)", <Limit>ed ones (AH01625),
    # negations, sections merged by AuthMerging
    'LogLevel warn core:info authz_core:debug\n',
    'LogLevel warn authz_core:debug\n<Directory "@HTDOCS@/sub">\n'
    '<RequireAll>\nRequire not ip 10.1.2.3\n<RequireAny>\n'
    'Require method POST\nRequire ip 127.0.0.1 ::1\n</RequireAny>\n'
    '<RequireNone>\nRequire env NOPE\n</RequireNone>\n</RequireAll>\n'
    '</Directory>\n<Directory "@HTDOCS@/sub/deeper">\nAuthMerging And\n'
    '<Limit POST>\nRequire all denied\n</Limit>\nRequire all granted\n'
    '</Directory>\n<Directory "@HTDOCS@/d">\nAuthType Basic\n'
    'AuthName x\nRequire valid-user\n</Directory>\n',
]


@test
def loglevel_scopes():
    for extra in SCOPES:
        compare(SCOPE_REQUESTS, SCOPE_BASE + extra, SCOPE_FILES, rd.send,
                label="LogLevel %r" % extra, level=None)


@test
def loglevel_module_names():
    """The module names LogLevel takes, recorded from apache2 2.4: a
    module's name with or without "_module", its source file, and
    mod_watchdog (linked into apache2); names are case-sensitive."""
    config_cases_agree([
        ("LogLevel warn core.c:info http_core.c:debug mod_alias.c:debug\n",
         0, "Syntax OK"),
        ("LogLevel warn authz_core_module:debug mod_authz_core.c:info\n", 0,
         "Syntax OK"),
        ("LogLevel warn watchdog:debug watchdog_module:info "
         "mod_watchdog.c:info\n", 0, "Syntax OK"),
        ("LogLevel warn mod_alias:debug\n", 1,
         "Cannot find module mod_alias"),
        ("LogLevel warn mod_nope.c:debug\n", 1,
         "Cannot find module mod_nope.c"),
        ("LogLevel warn AUTHZ_CORE:debug\n", 1,
         "Cannot find module AUTHZ_CORE"),
        ("LogLevel warn rewrite:debug\n", 1, "Cannot find module rewrite"),
    ])


FORMAT_REQUESTS = [
    "GET /nope HTTP/1.0\r\nReferer: http://r/\u00e9\"\\x\r\nX-Req: 1\r\n\r\n",
    "FOO /a.txt HTTP/1.0\r\nUser-Agent: ua\r\nX-Req: 2\r\n\r\n",
    "GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    "GET /a.txt HTTP/1.0\r\n\r\n",
    "GET /d/ HTTP/1.0\r\nUser-Agent: x\r\n\r\n",
]
FORMATS = [
    # the default line, written out
    'ErrorLogFormat "[%-m:%l] %7F: %E: [client\\ %a] %M% ,\\ referer\\ '
    '%{Referer}i"\n',
    # items that yield nothing drop their field; '-' writes "-"
    'ErrorLogFormat "%l|%m %{X-Req}i %-{X-Req}i <%{Nope}i> x%{Nope}iy '
    '%-{Nope}i %v %V %k %{c}a %A \\ %% %M"\n',
    # %8X: only at debug level and beyond (dropped here), tabs and
    # backslashes in the literal text
    'ErrorLogFormat "%8l %8{X-Req}i \\tT %1m: %M"\n',
    # %F: apache2's file(line) of each message (core/log_positions.c)
    'ErrorLogFormat "[%l] %F: %7F %M"\n',
    # once per request and connection, before the request's first line
    'ErrorLogFormat "%l %M"\nErrorLogFormat request "R %+{User-Agent}i"\n'
    'ErrorLogFormat request "S %m%{X-Req}i %-{X-Req}i"\n'
    'ErrorLogFormat connection "C %a %{Nope}i"\n',
]


@test
def error_log_format():
    for fmt in FORMATS:
        compare(FORMAT_REQUESTS, SCOPE_BASE + "LogLevel info\nOptions -Indexes\n" +
                fmt, SCOPE_FILES, rd.send, label=fmt, level=None,
                raw_lines=True)


@test
def error_log_format_refused():
    """ErrorLogFormat's messages, recorded from apache2 2.4."""
    config_cases_agree([
        ('ErrorLogFormat "%Z"\n', 1,
         "Unrecognized error log format directive %Z"),
        ('ErrorLogFormat "%{abc"\n', 1,
         "Ran off end of error log format parsing args to some directive"),
        ('ErrorLogFormat "%-"\n', 1, "Ran off end of error log format"),
        ('ErrorLogFormat "x"\n', 1,
         "main ErrorLogFormat must contain message format string '%M'"),
        ('ErrorLogFormat request "%M"\n', 1,
         "%M cannot be used in once-per-request or once-per-connection "
         "formats"),
        ('ErrorLogFormat foo "x"\n', 1,
         "ErrorLogFormat type must be one of request, connection"),
        ('ErrorLogFormat "%+m %M"\n', 1,
         "The '+' flag cannot be used in the main error log format"),
        ('ErrorLogFormat "%16M"\n', 1,
         "The specified loglevel modifier is out of range"),
        ('ErrorLogFormat ""\n', 1,
         "ErrorLogFormat takes 1-2 arguments, Format string for the "
         "ErrorLog"),
        ('ErrorLogFormat request ""\n', 1,
         "main ErrorLogFormat must contain message format string '%M'"),
        ('<Directory />\nErrorLogFormat "%M"\n</Directory>\n', 1,
         "ErrorLogFormat not allowed in <Directory> context"),
        ('ErrorLogFormat "%15M %{uc}t"\nErrorLogFormat Request "x"\n'
         'ErrorLogFormat "%M" ""\n<VirtualHost *:80>\nErrorLogFormat "%M"\n'
         '</VirtualHost>\n', 0, "Syntax OK"),
    ])


# ---- a <VirtualHost>'s own ErrorLog ------------------------------------------

VHOST_CONFIG = r"""LogFormat "%h %u \"%r\" %>s %v" short
CustomLog "@LOGS@/access_log" short
LogLevel info
RequestReadTimeout header=1 body=1
<Directory "@HTDOCS@">
Require all granted
</Directory>
<VirtualHost *:@PORT@>
ServerName one.example
ErrorLog "@LOGS@/one_error"
CustomLog "@LOGS@/one_access" short
ErrorLogFormat "ONE [%l] [%v] %M"
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName two.example
ErrorLog "|/bin/sh -c \"cat >> @LOGS@/two_error\""
LogLevel warn reqtimeout:info
LimitRequestFieldSize 50
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName three.example
ErrorLog "@LOGS@/one_error"
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName four.example
ErrorLog "|$cat >> @LOGS@/four_error"
ErrorLogFormat connection "FOUR-CONN %a"
</VirtualHost>
<VirtualHost *:@PORT@>
ServerName five.example
</VirtualHost>
"""
VHOST_REQUESTS = [
    b"GET /nope HTTP/1.0\r\nHost: one.example\r\n\r\n",
    b"GET /nope HTTP/1.0\r\nHost: two.example\r\n\r\n",
    b"GET /%2e%2e/x HTTP/1.0\r\nHost: two.example\r\n\r\n",
    b"GET /nope HTTP/1.0\r\nHost: three.example\r\n\r\n",
    b"GET /nope HTTP/1.0\r\nHost: four.example\r\n\r\n",
    b"GET /nope HTTP/1.0\r\nHost: five.example\r\n\r\n",
    b"GET /nope HTTP/1.0\r\nHost: other.example\r\n\r\n",
    # the head's clock runs out before the Host: the default vhost's log
    b"GET /a.txt HTTP/1.1\r\nHost: two.example\r\n",
    # the body's: the connection's server still (not two.example)
    b"POST /a.txt HTTP/1.1\r\nHost: two.example\r\nContent-Length: 9\r\n"
    b"\r\nabc",
]


def vhost_logs(server):
    """Every log file but the pid file, normalised as Tail does, once the
    piped loggers wrote what they were given (they are written before
    the connection closes; the pipes may lag)."""
    out = {}
    for name in sorted(os.listdir(server.logs)):
        if name.endswith(".pid"):
            continue
        text = server.log(name)
        text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
        text = text.replace(server.root, "@ROOT@")
        out[name] = [ln for ln in normalise(text, server)
                     if ":notice]" not in ln and "AH00164" not in ln and
                     not _STARTUP.search(ln) and "AH00490" not in ln and
                     "AH01574" not in ln]
    return out


def send_slowly(port, raw):
    """Send raw and read until the server closes (a partial request waits
    for its timeout)."""
    c = socket.create_connection(("127.0.0.1", port), IO_TIMEOUT)
    try:
        c.sendall(raw)
        for _ in range(1000):
            try:
                if not c.recv(65536):
                    break
            except OSError:
                break
    finally:
        c.close()


@test
def vhost_error_logs():
    """A <VirtualHost>'s ErrorLog (a file, a program, one shared with
    another vhost) gets its requests' and connections' lines, shaped by
    its ErrorLogFormat and filtered by its LogLevel; a vhost without one
    writes to the main log."""
    result = {}
    for cls in (Server, Apache):
        with cls(VHOST_CONFIG, files=SCOPE_FILES) as s:
            for raw in VHOST_REQUESTS:
                send_slowly(s.port, raw)
            wait_for(lambda: "AH10244" in s.log("two_error"),
                     what="two_error's line")
            wait_for(lambda: "AH00128" in s.log("four_error"),
                     what="four_error's line")
            result[cls.__name__] = vhost_logs(s)
    ours, theirs = result["Server"], result["Apache"]
    eq(sorted(ours), sorted(theirs), "log files")
    for name in sorted(theirs):
        eq(ours[name], theirs[name], name)
    # what apache2 wrote, so that the comparison shows something
    check(any("one.example] AH01382: Request body" in ln
              for ln in theirs["one_error"]), theirs)
    check(any("AH10244" in ln for ln in theirs["two_error"]), theirs)


@test
def vhost_error_log_across_reloads():
    """A graceful restart and a restart open the vhost's ErrorLog again
    for the new generation: its lines keep going there, none to the main
    log."""
    config = ('LogLevel info\n<VirtualHost *:@PORT@>\nServerName one\n'
              'ErrorLog "@LOGS@/one_error"\n</VirtualHost>\n')
    for mpm in mpms():
        with Server(config, mpm=mpm) as s:
            get(s.port, "/n1")
            for n, again in enumerate((s.graceful, s.restart)):
                again()
                wait_for(lambda: s.error_log().count(
                    "resuming normal operations") >= n + 2,
                    what="the new generation (%s)" % mpm)
                # the old children may still answer: until a new one does
                wait_for(lambda: "/n%d" % (n + 2) in s.log("one_error") or
                         get(s.port, "/n%d" % (n + 2)).status != 404,
                         what="/n%d logged (%s)" % (n + 2, mpm))
            check("AH00128" not in s.error_log(), s.error_log())
            for n in (1, 2, 3):
                check("htdocs/n%d" % n in s.log("one_error"),
                      "%s: %s" % (mpm, s.log("one_error")))


# ---- refused heads and bodies, and who refused -----------------------------

def send_bytes(port, raw):
    send_slowly(port, raw)


REFUSED_CONFIG = SCOPE_BASE + r"""LogLevel info
LimitRequestFieldSize 30
LimitRequestFields 4
LimitRequestBody 5
<Directory "@HTDOCS@/d">
Order deny,allow
Deny from all
Require valid-user
Satisfy Any
</Directory>
<Location "/sub">
Require valid-user
</Location>
"""
CHUNKED = b"POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
CHUNKED_404 = CHUNKED.replace(b"/a.txt", b"/nope")
REFUSED_REQUESTS = [
    # AH00561 names the field up to its colon (at most 80 bytes of the
    # limit + 1 Apache read), AH00562 a field too long once folded
    b"GET /a.txt HTTP/1.0\r\nCookie: " + b"v" * 40 + b"\r\n\r\n",
    b"GET /a.txt HTTP/1.0\r\n" + b"abcdefghij" * 10 + b"\r\n\r\n",
    b"GET /a.txt HTTP/1.0\r\n: " + b"v" * 40 + b"\r\n\r\n",
    b"GET /a.txt HTTP/1.0\r\nA\x01b: " + b"v" * 40 + b"\r\n\r\n",
    b"GET /a.txt HTTP/1.0\r\nX-Fold: abc\r\n  " + b"d" * 25 + b"\r\n\r\n",
    b"GET /a.txt HTTP/1.0\r\nX-Fold: abc\r\n  " + b"d" * 12 + b"\r\n " +
    b"e" * 12 + b"\r\n\r\n",
    # chunks: AH01590 (EINVAL, or ENOSPC and "(overflow)"), AH01591 over
    # LimitRequestBody; trailers as header fields, then AH02656
    CHUNKED + b"zz\r\n",
    CHUNKED + b"1\r\nxy\r\n0\r\n\r\n",
    CHUNKED + b"f" * 20 + b"\r\n",
    CHUNKED + b"9\r\n123456789\r\n0\r\n\r\n",
    CHUNKED + b"0\r\nbad trailer\r\n\r\n",
    CHUNKED + b"0\r\nX: y\r\nZ: " + b"q" * 40 + b"\r\n\r\n",
    CHUNKED + b"0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
    # the default handler reads the body before it says the file is
    # missing: nothing of that when the body is bad
    CHUNKED_404 + b"zz\r\n",
    CHUNKED_404 + b"1\r\nx\r\n0\r\n\r\n",
    b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
    b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\nabc",
    # no user where Require wants one: AH00028 under Satisfy Any
    b"GET /d/f.txt HTTP/1.0\r\n\r\n",
    b"GET /sub/nope HTTP/1.0\r\n\r\n",
]


@test
def refused_heads_and_bodies():
    compare(REFUSED_REQUESTS, REFUSED_CONFIG, SCOPE_FILES, send_bytes,
            label="refused heads and bodies", level=None, counted=False)
    # where apache2 logs each of them (%F)
    compare(REFUSED_REQUESTS, REFUSED_CONFIG + 'ErrorLogFormat "%F %M"\n',
            SCOPE_FILES, send_bytes, label="refused, %F", level=None,
            counted=False, raw_lines=True)


# ---- what the modules say when something fails ------------------------------
# Expressions that fail at run time (file() of a missing file), negotiation
# and type maps that cannot be used, directories www-data may not list, an
# unknown output filter, a symlink loop: each server's lines with apache2's
# file(line) of each (%F), the server as www-data.  (A failing <If> is
# left out: apache2's walks evaluate it three times per request, ours
# once.)
NOFILE = "file('/nonexistent/harvest') == 'x'"
NOSTR = "%{file:/nonexistent/harvest}"
COMPLAINT_FILES = {
    "htdocs/a.txt": "a\n", "htdocs/neg/x.html": "x\n",
    "htdocs/neg/z.zzunknown": "z\n", "htdocs/closed/i.txt": "i\n",
    "htdocs/tm/nocolon.var": "URI: x\nContent-Type text/plain\n",
    "htdocs/tm/nobody.var": "URI: x\nContent-Type:\n",
    "htdocs/tm/len.var": "URI: x\nContent-Type: text/plain\n"
                         "Content-Length: zz\n",
    "htdocs/tm/tag.var": "URI: x\nContent-Type: text/plain\n"
                         "Body:----x--\nx\n",
    "htdocs/tm/closed.var": "URI: x\n", "htdocs/shut/f.txt": "f\n",
    "htdocs/shut2/f.txt": "f\n"}
for _d in ("uf", "if", "hd", "hv", "se", "rq", "ru", "at", "an", "fu", "fp",
           "sh"):
    COMPLAINT_FILES["htdocs/%s/a.txt" % _d] = "a\n"
COMPLAINT_CONFIG = SCOPE_BASE + r"""User www-data
Group www-data
LogLevel info
ErrorLogFormat "[%l] [%m] %F: %M"
<Directory "@HTDOCS@/neg">
Options +MultiViews
</Directory>
<Directory "@HTDOCS@/closed">
Options +Indexes +MultiViews
</Directory>
<Directory "@HTDOCS@/tm">
AddHandler type-map .var
</Directory>
<Directory "@HTDOCS@/shut2">
AllowOverride None
</Directory>
<Location "/uf">
SetOutputFilter NOPE
</Location>
<Location "/if">
<If "@NOFILE@">
</If>
</Location>
<Location "/hd">
Header always set X-A y "expr=@NOFILE@"
</Location>
<Location "/hv">
Header always set X-A "expr=@NOSTR@"
</Location>
<Location "/se">
SetEnvIfExpr "@NOFILE@" V=1
</Location>
<Location "/rq">
Require expr "@NOFILE@"
</Location>
<Location "/ru">
AuthType Basic
AuthName x
AuthBasicFake "u" "p"
Require user "@NOSTR@"
</Location>
<Location "/at">
AuthType "@NOSTR@"
AuthName x
Require valid-user
</Location>
<Location "/an">
AuthType Basic
AuthName "@NOSTR@"
Require valid-user
</Location>
<Location "/fu">
AuthBasicFake "@NOSTR@" "p"
</Location>
<Location "/fp">
AuthBasicFake "u" "@NOSTR@"
</Location>
<Location "/sh">
SetHandler "@NOSTR@"
</Location>
<Location "/lg">
SetEnv LOGME 1
</Location>
CustomLog "@LOGS@/access_log" common
CustomLog "@LOGS@/cond_log" common "expr=-n reqenv('LOGME') && @NOFILE@"
""".replace("@NOFILE@", NOFILE).replace("@NOSTR@", NOSTR)
COMPLAINT_REQUESTS = [
    "GET %s HTTP/1.0\r\nAuthorization: Basic dTpw\r\nAccept: image/png"
    "\r\n\r\n" % p for p in (
        "/neg/x", "/neg/z", "/closed/", "/closed/i", "/tm/nocolon.var",
        "/tm/nobody.var", "/tm/len.var", "/tm/tag.var", "/tm/closed.var",
        "/uf/a.txt", "/hd/a.txt", "/hv/a.txt", "/se/a.txt",
        "/rq/a.txt", "/ru/a.txt", "/at/a.txt", "/an/a.txt", "/fu/a.txt",
        "/fp/a.txt", "/sh/a.txt", "/loop/x", "/lg/nope", "/shut/f.txt", "/shut2/f.txt",
        "/" + "n" * 300 + "/x")]


def complaint_setup(server):
    for dirpath, dirnames, filenames in os.walk(server.root):
        os.chmod(dirpath, 0o755)
        for fn in filenames:
            os.chmod(os.path.join(dirpath, fn), 0o644)
    os.chmod(os.path.join(server.htdocs, "closed"), 0o311)
    os.chmod(os.path.join(server.htdocs, "tm", "closed.var"), 0)
    os.symlink("loop", os.path.join(server.htdocs, "loop"))
    os.chmod(os.path.join(server.htdocs, "shut"), 0o700)
    os.chmod(os.path.join(server.htdocs, "shut2"), 0o700)


@test
def module_complaints():
    if os.geteuid() != 0:
        skip("needs root (User www-data)")
    compare(COMPLAINT_REQUESTS, COMPLAINT_CONFIG, COMPLAINT_FILES, rd.send,
            setup=complaint_setup, label="module complaints", level=None,
            raw_lines=True)


LINK_FILES = {"htdocs/outside.txt": "o\n"}
for _d in ("none", "follow", "owner"):
    LINK_FILES["htdocs/%s/real.txt" % _d] = "r\n"
    LINK_FILES["htdocs/%s/sub/x" % _d] = "x\n"
LINK_CONFIG = SCOPE_BASE + """Options Indexes
<Directory "@HTDOCS@/follow">
Options Indexes FollowSymLinks
</Directory>
<Directory "@HTDOCS@/owner">
Options Indexes SymLinksIfOwnerMatch
</Directory>
<Directory "@HTDOCS@/follow/sub">
Require all denied
</Directory>
"""


def make_links(server):
    for d in ("none", "follow", "owner"):
        base = os.path.join(server.root, "htdocs", d)
        os.symlink("real.txt", base + "/lfile.txt")
        os.symlink("nowhere", base + "/ldangle")
        os.symlink("sub", base + "/ldir")
        os.symlink(os.path.join(server.root, "htdocs/outside.txt"),
                   base + "/lother.txt")
        if os.geteuid() == 0:  # a link someone else owns
            os.lchown(base + "/lother.txt", 65534, 65534)


@test
def listing_symlinks():
    """What a listing's lookups of its symlinks log: a dangling link
    nothing, a refused one AH00037, or AH00032 where the walk knew the
    directory (SymLinksIfOwnerMatch, or no FollowSymLinks at all)."""
    reqs = ["GET /%s HTTP/1.0\r\n\r\n" % p for p in
            ("none/", "follow/", "owner/", "none/ldangle", "follow/ldangle",
             "none/lfile.txt", "owner/lother.txt", "none/ldir/")]
    compare(reqs, LINK_CONFIG, LINK_FILES, rd.send, setup=make_links,
            label="listing symlinks")


REQUEST_SEEDS = [int(x) for x in
                 os.environ.get("ERRORLOG_DIFF_REQUEST_SEEDS", "1-8").split("-")]


def request_round(seed):
    """test_request_diff's raw requests (pipelines, broken heads and
    bodies) and configuration for a seed."""
    rnd = random.Random("request-diff/%d" % seed)
    config, lim = rq.make_config(rnd)
    cases = [rq.make_case(rnd, lim) for _ in range(REQUESTS)]
    raws = [(raw, hc) for raw, flags, hc in cases]

    def send(port, case):
        rq.exchange_raw(port, case[0], case[1])
    compare(raws, config, rq.FILES, send, counted=False,
            label="request seed %d (again: ERRORLOG_DIFF_REQUEST_SEEDS=%d-%d)"
            % (seed, seed, seed))


def make_request_test(seed):
    def t():
        request_round(seed)
    t.__name__ = "request_seed_%d" % seed
    return test(t)


for _s in range(REQUEST_SEEDS[0], REQUEST_SEEDS[-1] + 1):
    make_request_test(_s)


def make_test(r):
    def t():
        random_round(SEED, r)
    t.__name__ = "random_site_round_%d" % r
    return test(t)


for _r in range(ROUNDS):
    make_test(_r)

if __name__ == "__main__":
    run()
