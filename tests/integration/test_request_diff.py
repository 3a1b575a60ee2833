#!/usr/bin/env python3
"""Randomized differential test of request parsing and framing.

A seeded generator builds raw requests from a grammar of valid and broken
pieces: methods (known, unknown, lower-case, extension, invalid), request
targets (origin-form with odd percent-encodings, dot segments and double
slashes; absolute-form with various schemes, hosts and ports; asterisk-form;
authority-form; targets near LimitRequestLine), versions (1.0, 1.1, 0.9,
2.0, 1.2, malformed), header fields (duplicates, obs-fold, whitespace
around the colon, invalid names, control characters, empty values, values
near LimitRequestFieldSize, counts near LimitRequestFields, Host variants),
bodies (Content-Length with signs, leading zeros, lists, duplicates;
chunked with extensions, trailers, bad and huge sizes; Transfer-Encoding
lists and unknown codings; both Content-Length and Transfer-Encoding),
Expect and Connection variants, and pipelines of up to three requests.

Each round picks a configuration (limits, KeepAlive, MaxKeepAliveRequests,
HttpProtocolOptions) and sends every request on its own connection to
httpd-ng and to Debian's apache2 (prefork, same tree, same configuration).
The client half-closes after sending when the framing may leave a server
waiting, so no request depends on a timeout.  Every response on the
connection must agree on status, Content-Type, Content-Length,
Last-Modified, Allow, Connection and body (server banner normalised), and
so must the number of responses.

The seeds are fixed for `make check`; explore with
    REQUEST_DIFF_SEEDS=100-199 REQUEST_DIFF_COUNT=60 python3 test_request_diff.py
(seeds: a list "1,5,9" or a range "A-B"; COUNT requests per seed; each seed
is one round with its own configuration).  REQUEST_DIFF_ALL=1 reports every
mismatch instead of the first few; a failure prints how to repeat it."""
import json
import os
import random
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness


def parse_seeds(text):
    out = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


SEEDS = parse_seeds(os.environ.get("REQUEST_DIFF_SEEDS", "1-8"))
COUNT = int(os.environ.get("REQUEST_DIFF_COUNT", "60"))
SHOW_ALL = bool(os.environ.get("REQUEST_DIFF_ALL"))
DUMP = os.environ.get("REQUEST_DIFF_DUMP")  # append mismatches as JSON lines

FILES = {
    "htdocs/index.html": "<html><body>It works</body></html>\n",
    "htdocs/a.txt": "hello\n",
    "htdocs/empty.txt": "",
    "htdocs/a b.txt": "space\n",
    "htdocs/caf\u00e9.txt": "utf-8 name\n",
    "htdocs/pct%.txt": "percent\n",
    "htdocs/page.html": "<p>page</p>\n",
    "htdocs/data.json": '{"a": 1}\n',
    "htdocs/sub/x.txt": "sub\n",
    "htdocs/sub/index.html": "<p>sub index</p>\n",
    "htdocs/noindex/y.txt": "y\n",
    "htdocs/.htsecret": "secret\n",
}

PATHS = ["/", "/a.txt", "/empty.txt", "/index.html", "/page.html",
         "/data.json", "/sub/", "/sub", "/sub/x.txt", "/sub/index.html",
         "/noindex/", "/noindex/y.txt", "/nope", "/sub/nope.txt",
         "/a%20b.txt", "/caf%C3%A9.txt", "/pct%25.txt", "/.htsecret",
         "/a.txt/extra", "/index.html?x=1"]

BASE_CONFIG = """
TypesConfig "@ROOT@/conf/mime.types"
Timeout 3
<Directory "@HTDOCS@">
    Require all granted
</Directory>
<Files ".ht*">
    Require all denied
</Files>
"""

COMPARED = ["Content-Type", "Content-Length", "Last-Modified", "Allow",
            "Connection", "Transfer-Encoding"]

# ---- configurations -----------------------------------------------------


def make_config(rnd):
    """A configuration and the limits the generator aims near."""
    lim = {"line": 8190, "fieldsize": 8190, "fields": 100, "body": None}
    lines = []
    if rnd.random() < 0.6:
        lim["line"] = rnd.choice([60, 100, 200, 512, 1000])
        lines.append("LimitRequestLine %d" % lim["line"])
    if rnd.random() < 0.6:
        lim["fieldsize"] = rnd.choice([40, 80, 200, 1000])
        lines.append("LimitRequestFieldSize %d" % lim["fieldsize"])
    if rnd.random() < 0.5:
        lim["fields"] = rnd.choice([1, 3, 5, 10])
        lines.append("LimitRequestFields %d" % lim["fields"])
    if rnd.random() < 0.4:
        lim["body"] = rnd.choice([0, 1, 4, 10, 100])
        lines.append("LimitRequestBody %d" % lim["body"])
    if rnd.random() < 0.2:
        lines.append("KeepAlive Off")
    if rnd.random() < 0.2:
        lines.append("MaxKeepAliveRequests %d" % rnd.choice([1, 2]))
    if rnd.random() < 0.15:
        lines.append("TraceEnable %s" % rnd.choice(["off", "on", "extended"]))
    if rnd.random() < 0.15:
        lines.append("AddDefaultCharset utf-8")
    if rnd.random() < 0.5 and http_options():
        opts = [rnd.choice(["Strict", "Unsafe"]),
                rnd.choice(["RegisteredMethods", "LenientMethods"]),
                rnd.choice(["Allow0.9", "Require1.0"])]
        rnd.shuffle(opts)
        lines.append("HttpProtocolOptions %s" % " ".join(opts[:rnd.randint(1, 3)]))
    return BASE_CONFIG + "\n".join(lines) + "\n", lim


def have_http_options():
    """Whether this build knows HttpProtocolOptions (the generator only
    uses the directive then)."""
    if not os.access(harness.HTTPD, os.X_OK):
        return False
    rc, _ = httpd_t("HttpProtocolOptions Unsafe\n")
    return rc == 0


_http_options = []


def http_options():
    if not _http_options:  # REQUEST_DIFF_OPTIONS=0 leaves them out
        _http_options.append(os.environ.get("REQUEST_DIFF_OPTIONS") != "0" and
                             have_http_options())
    return _http_options[0]

# ---- request pieces -----------------------------------------------------

METHODS = (["GET"] * 12 + ["HEAD"] * 4 + ["POST"] * 5 +
           ["OPTIONS", "TRACE", "PUT", "DELETE", "PATCH", "CONNECT",
            "PROPFIND", "MKCOL", "LOCK", "BREW", "get", "Get", "head",
            "FOO", "M-SEARCH", "X!#$%&'*+-.^_`|~", "G(T", "G ET", "GET\t",
            "PRI", "Q" * 40, "", "G\x00T", "GE\xe9T"])

SCHEMES = ["http", "http", "https", "HTTP", "hTtP", "ftp", "ws", "h", ""]
AUTHORITIES = ["localhost", "LOCALHOST", "localhost.", "localhost:80",
               "localhost:@PORT@", "127.0.0.1", "127.0.0.1:80", "[::1]",
               "[::1]:80", "[::1", "::1", "a_b", "_x", "x..y", "-x", "x-",
               "xn--bcher-kva.example", "u@localhost", "u:p@localhost",
               "localhost:", "localhost:0", "localhost:65535",
               "localhost:65536", "localhost:+80", "localhost:080",
               "localhost:8x", "300.1.1.1", "1.2.3", "a.1b", "a.12",
               "%6cocalhost", "localhost%2f", "", "a" * 70 + ".example",
               "[v1.x]", "[::ffff:127.0.0.1]", "a:b:c", "local host"]
HOSTS = AUTHORITIES + ["localhost"] * 12 + ["localhost\t", " localhost",
                                            "localhost,localhost", "a/b",
                                            "a\\b", "\xe9.example"]

ESCAPES = ["%2e", "%2E", "%2f", "%2F", "%00", "%zz", "%4", "%", "%25",
           "%5c", "%3f", "%23", "%20", "%c0%ae", "%ff", "%7e", "%41", "%0a",
           "%0d", "%2e%2e", ".%2e", "%252e"]
SEGMENTS = ["/./", "/../", "//", "/sub/../", "/sub/./", "/.", "/..",
            "/.../", "/sub//../", "\\", "/%2e/", "/%2e%2e/", "/.%2e/"]


def mutate_path(rnd, path):
    """Apply 0-3 mutations: percent-encode characters, insert escapes or
    dot segments, add a query or fragment, odd bytes."""
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        k = rnd.random()
        i = rnd.randint(0, len(path))
        if k < 0.25 and path:
            j = rnd.randrange(len(path))
            if path[j] not in "%?":
                enc = "%%%02x" % ord(path[j]) if ord(path[j]) < 256 else path[j]
                if rnd.random() < 0.5:
                    enc = enc.upper()
                path = path[:j] + enc + path[j + 1:]
        elif k < 0.45:
            path = path[:i] + rnd.choice(ESCAPES) + path[i:]
        elif k < 0.65:
            seg = rnd.choice(SEGMENTS)
            path = path[:i] + seg + path[i:]
        elif k < 0.75:
            path += rnd.choice(["?", "?a=b", "?a=%zz", "?x=1&y=%20", "#f",
                                "?q#f", "??", "?a b"[:2]])
        elif k < 0.82:
            path = path[:i] + rnd.choice(["\xe9", "\xff", "\"", "<", "{",
                                          "|", "^", "`", "~", ";"]) + path[i:]
        elif k < 0.86:
            path = path[:i] + rnd.choice(["\x01", "\x7f", "\t", "\x00",
                                          "\x0b", "\x0c"]) + path[i:]
        else:
            path = path.replace("/", rnd.choice(["//", "/./"]), 1)
    return path


def make_target(rnd, method, lim):
    k = rnd.random()
    path = mutate_path(rnd, rnd.choice(PATHS))
    if k < 0.62:
        target = path
    elif k < 0.80:
        scheme = rnd.choice(SCHEMES)
        sep = rnd.choice(["://"] * 6 + [":/", ":", ":///"])
        auth = rnd.choice(AUTHORITIES)
        p = path if rnd.random() < 0.85 else rnd.choice(["", "?x", "#f"])
        target = scheme + sep + auth + p
    elif k < 0.85:
        target = rnd.choice(["*", "*", "*/", "**", "*?x"])
    elif k < 0.91:
        target = rnd.choice(AUTHORITIES[:12])
    elif k < 0.95:
        target = rnd.choice(["a.txt", "sub/x.txt", "?x", "%2fa.txt", ".",
                             "./a.txt", "../a.txt", "~", ";"])
    else:
        target = ""
    if rnd.random() < 0.08:
        # near LimitRequestLine (the line is METHOD SP TARGET SP VERSION)
        want = lim["line"] + rnd.randint(-12, 4) - len(method) - 10
        if want > len(target) + 1:
            target = "/" + "x" * (want - len(target) - 1) + target
    return target


VERSIONS = (["HTTP/1.1"] * 14 + ["HTTP/1.0"] * 5 +
            [None, "HTTP/0.9", "HTTP/2.0", "HTTP/1.2", "HTTP/3.0",
             "http/1.1", "Http/1.0", "HTTP/1.10", "HTTP/1", "HTTP/1.1x",
             "HTTP/ 1.1", "HTTPS/1.1", "HTTP/01.1", "HTTP/1.1 ", "HTTP\\1.1",
             "HTTP/9.9", "HTTP/0.1", "HTTP/1.01", "FOO"])


def request_line(rnd, method, target, version):
    sep1 = rnd.choice([" "] * 30 + ["  ", "\t", " \t"])
    sep2 = rnd.choice([" "] * 30 + ["  ", "\t", " \t"])
    line = method + sep1 + target
    if version is not None:
        line += sep2 + version
    if rnd.random() < 0.02:
        line = rnd.choice([" ", "\t"]) + line
    if rnd.random() < 0.02:
        line += rnd.choice([" ", "\t", " x"])
    return line


NAMES = ["X-A", "X-B", "Accept", "User-Agent", "Referer", "Cookie",
         "Accept-Language", "X-Forwarded-For", "Cache-Control", "Via"]
BAD_NAMES = ["X A", "X(A", "X\xe9", "X/A", "X@A", "X=A", "X\"A", "X[A]",
             "X{A}", "", "X\x01A", "X\x7fA", "X\tA", "X;A"]
VALUES = ["1", "", " ", "a b", "a\tb", "caf\xe9", "\"quoted\"", "a,b",
          "x" * 30, "%41", "<script>", "a\x01b", "a\x7fb", "a\x00b", "a\rb",
          "\xff\xfe", "tail  ", "\ttab"]
CONNECTIONS = ["close", "keep-alive", "Keep-Alive", "Close", "CLOSE",
               "close, foo", "foo, close", "keep-alive, close", "Upgrade",
               "TE", "", " close ", "close,", "closed", "keep-alive,Upgrade"]
EXPECTS = ["100-continue", "100-Continue", "100-CONTINUE", " 100-continue",
           "100-continue, foo", "foo", "", "100-continue;x=1", "200-ok",
           "100-continu"]


def host_header(rnd):
    return rnd.choice(HOSTS)


def header_block(rnd, lim, version, is_sentinel=False):
    """List of raw header lines (without line ends) and notes on framing."""
    lines = []
    # Host: usually one, sometimes none or two
    k = rnd.random()
    if k < 0.85:
        lines.append("Host: " + host_header(rnd))
    elif k < 0.93:
        lines.append("Host: localhost")
        lines.append(rnd.choice(["Host: ", "host: "]) + host_header(rnd))
    # assorted fields
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        k = rnd.random()
        if k < 0.45:
            lines.append("%s: %s" % (rnd.choice(NAMES), rnd.choice(VALUES)))
        elif k < 0.55:
            lines.append("%s: %s" % (rnd.choice(BAD_NAMES), rnd.choice(VALUES)))
        elif k < 0.65:
            name = rnd.choice(NAMES)
            lines.append(rnd.choice(["%s : v", "%s\t: v", "%s:v", "%s:  v",
                                     "%s:\tv", " %s: v", "%s:", "%s :"])
                         % name)
        elif k < 0.75:
            # obs-fold continuation of the previous field (or of nothing)
            lines.append(rnd.choice([" folded", "\tfolded", "  x", " ", "\t"]))
        elif k < 0.85:
            # near LimitRequestFieldSize
            name = rnd.choice(NAMES)
            want = lim["fieldsize"] + rnd.randint(-4, 3)
            lines.append("%s: %s" % (name, "v" * max(0, want - len(name) - 2)))
        elif k < 0.90 and lim["fields"] <= 12:
            # near LimitRequestFields
            for j in range(lim["fields"] + rnd.randint(-2, 1)):
                lines.append("X-N%d: %d" % (j, j))
        elif k < 0.95:
            lines.append("Expect: " + rnd.choice(EXPECTS))
        else:
            lines.append("Connection: " + rnd.choice(CONNECTIONS))
    if rnd.random() < 0.25:
        lines.append("Connection: " + rnd.choice(CONNECTIONS))
    rnd.shuffle(lines)
    return lines


CL_FORMS = ["{n}", "{n}", "{n}", "+{n}", "0{n}", "00{n}", "-{n}", "{n} ",
            " {n}", "{n}, {n}", "{n},{n}", "{n}, {m}", "0x{n}", "{n}.0",
            "{n}e0", "", "{n}x", "99999999999999999999", "9223372036854775807",
            "9223372036854775808", "\t{n}"]
TE_FORMS = ["chunked"] * 6 + ["Chunked", "CHUNKED", " chunked",
                              "chunked ", "chunked, chunked", "gzip, chunked",
                              "chunked, gzip", "identity", "gzip", "x",
                              "chunked;q=1", "identity, chunked", "",
                              ", chunked", "chunked,", "deflate,chunked"]


def chunked_body(rnd, data):
    out = ""
    pieces = []
    while data:
        n = rnd.randint(1, max(1, len(data)))
        pieces.append(data[:n])
        data = data[n:]
    for p in pieces:
        size = "%x" % len(p)
        k = rnd.random()
        if k < 0.1:
            size = size.upper() if rnd.random() < 0.5 else "000" + size
        elif k < 0.18:
            size += rnd.choice([";a=b", ";a", ';a="q;x"', "; a=b", ";a=b;c",
                                " ;a", ";", ';a="\\"', "\t;a"])
        elif k < 0.24:
            size = rnd.choice(["-" + size, "0x" + size, "z", "", " " + size,
                               size + " ", "fffffffffffffffff",
                               "7fffffffffffffff", "+" + size])
        out += size + rnd.choice(["\r\n"] * 12 + ["\n", "\r"])
        data_end = rnd.choice(["\r\n"] * 14 + ["", "\n", "xx\r\n"])
        out += p + data_end
    last = rnd.choice(["0"] * 10 + ["000", "0;x=y", "00000000000000000000"])
    out += last + "\r\n"
    k = rnd.random()
    if k < 0.15:
        out += rnd.choice(["X-T: 1\r\n", "X-T:1\r\nX-U: 2\r\n", "bad trailer\r\n",
                           "X T: 1\r\n", " fold\r\n", "Content-Length: 3\r\n",
                           "X-T: " + "t" * 100 + "\r\n"])
    out += rnd.choice(["\r\n"] * 15 + ["", "\n"])
    return out


def make_body(rnd, method, lim, headers):
    """Adds body headers to `headers`; returns (body, framing_ok)."""
    k = rnd.random()
    if method in ("POST", "PUT", "PATCH"):
        k *= 0.5
    data = rnd.choice(["hello", "k=v", "", "x" * rnd.randint(1, 20),
                       "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"])
    if k < 0.25:
        n = len(data)
        form = rnd.choice(CL_FORMS)
        headers.append("Content-Length: " + form.format(n=n, m=n + 1))
        if rnd.random() < 0.1:
            headers.append("Content-Length: " + rnd.choice([str(n), str(n + 1)]))
        if rnd.random() < 0.1:
            data = data[:rnd.randint(0, len(data))]
            return data, False
        return data, form in ("{n}", "0{n}", "00{n}", "{n} ", " {n}", "\t{n}")
    if k < 0.45:
        te = rnd.choice(TE_FORMS)
        headers.append("Transfer-Encoding: " + te)
        if rnd.random() < 0.1:
            headers.append("Transfer-Encoding: " + rnd.choice(TE_FORMS))
        if rnd.random() < 0.2:
            headers.append("Content-Length: %d" % rnd.choice([0, 3, 40]))
        return chunked_body(rnd, data), False
    return "", True


def one_request(rnd, lim, version_override=None):
    method = rnd.choice(METHODS)
    target = make_target(rnd, method, lim)
    version = version_override or rnd.choice(VERSIONS)
    headers = header_block(rnd, lim, version)
    body, framing_ok = make_body(rnd, method, lim, headers)
    rnd.shuffle(headers)
    eol = "\r\n"
    if rnd.random() < 0.03:
        eol = rnd.choice(["\n", "\r"])
    head = request_line(rnd, method, target, version) + eol
    if version is not None or rnd.random() < 0.3:
        head += "".join(h + (eol if rnd.random() > 0.02 else "\n")
                        for h in headers) + eol
    else:
        framing_ok = True
        body = ""
    if rnd.random() < 0.04:
        head = rnd.choice(["\r\n", "\r\n\r\n", "\n", "\r\n" * 12]) + head
    ok = framing_ok and eol == "\r\n"
    return head + body, method == "HEAD", ok


SENTINEL = "GET /a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def make_case(rnd, lim):
    """(raw request bytes as str, HEAD flags, half-close)."""
    n = rnd.choice([1, 1, 1, 2, 2, 3])
    raw, flags, all_ok = "", [], True
    for _ in range(n):
        r, head, ok = one_request(rnd, lim)
        raw += r
        flags.append(head)
        all_ok = all_ok and ok
    half_close = True
    if all_ok and rnd.random() < 0.5:
        raw += SENTINEL
        flags.append(False)
        half_close = False
    return raw, flags, half_close


# ---- sending and comparing -----------------------------------------------


def exchange_raw(port, raw, half_close):
    data = raw.replace("@PORT@", str(port)).encode("utf-8", "surrogateescape")
    out = bytearray()
    with socket.create_connection(("127.0.0.1", port), IO_TIMEOUT) as s:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.monotonic() + IO_TIMEOUT
        while time.monotonic() < deadline:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                got = s.recv(65536)
            except socket.timeout:
                return bytes(out), "timeout"
            except ConnectionResetError:
                return bytes(out), "reset"
            if not got:
                return bytes(out), "eof"
            out += got
    return bytes(out), "timeout"


def split_responses(data, flags):
    out = []
    buf = bytearray(data)
    heads = list(flags)
    while buf:
        if not buf.startswith(b"HTTP/"):
            out.append(("raw", bytes(buf[:300])))
            break
        head = heads.pop(0) if heads else False
        try:
            got = harness.parse_response(buf, head=head, eof=True)
        except ValueError as e:
            out.append(("unparsable", str(e)[:200]))
            break
        if got is None:
            out.append(("incomplete", bytes(buf[:200])))
            break
        r, n = got
        del buf[:n]
        if r.status == 100:
            out.append(("100", r.reason))
            heads.insert(0, head)
            continue
        out.append(r)
    return out


def describe(resp, port):
    return describe_response(resp, port, COMPARED, header_port=False,
                             boundary=False, etag=False, extra=(),
                             allow_spaces=True)


def answers(port, raw, flags, half_close):
    data, how = exchange_raw(port, raw, half_close)
    out = [describe(r, port) for r in split_responses(data, flags)]
    if how == "timeout":
        out.append(("timeout",))
    return out


def summary(resps):
    return [r[:2] if len(r) == 3 else r for r in resps]


def one_round(seed):
    rnd = random.Random("request-diff/%d" % seed)
    config, lim = make_config(rnd)
    cases = [make_case(rnd, lim) for _ in range(COUNT)]
    ours = Server(config, files=FILES)
    theirs = Apache(config, mpm="prefork", files=FILES)
    for s in (ours, theirs):
        set_mtimes(s.htdocs)
    failures = []
    with theirs, ours:
        for i, (raw, flags, hc) in enumerate(cases):
            a = answers(ours.port, raw, flags, hc)
            b = answers(theirs.port, raw, flags, hc)
            if a == b:
                continue
            if DUMP:
                with open(DUMP, "a") as f:
                    f.write(json.dumps({"seed": seed, "case": i, "raw": raw,
                                        "half_close": hc, "config": config,
                                        "ours": repr(a), "apache": repr(b),
                                        "ours_s": repr(summary(a)),
                                        "apache_s": repr(summary(b))}) + "\n")
            if summary(a) == summary(b):
                what = "bodies differ:\n      ours   %r\n      apache %r" % (
                    [r[2][:600] for r in a if len(r) == 3],
                    [r[2][:600] for r in b if len(r) == 3])
            else:
                what = "\n      ours   %r\n      apache %r" % (summary(a), summary(b))
            failures.append("case %d (half-close %s) %r: %s"
                            % (i, hc, raw[:700], what))
    if failures:
        shown = failures if SHOW_ALL else failures[:8]
        raise AssertionError(
            "seed %d (again: REQUEST_DIFF_SEEDS=%d REQUEST_DIFF_COUNT=%d): "
            "%d of %d cases differ\n  %s\n  configuration:\n%s"
            % (seed, seed, COUNT, len(failures), len(cases),
               "\n  ".join(shown), config))


# One case for each class of difference the generator found (and that was
# fixed), so each stays fixed whatever the seeds: (raw, half-close).
H = "Host: localhost\r\n"
FOUND = [
    # the target is judged with the request line, before any header
    ("GET a.txt HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", True),
    ("GET /a#f HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", True),
    ("GET http://u@localhost/ HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", True),
    ("GET http://localhost:8x/ HTTP/1.0\r\nX: " + "v" * 90 + "\r\n\r\n", True),
    ("GET http://[::1/ HTTP/1.0\r\nX: " + "v" * 90 + "\r\n\r\n", True),
    ("GET %2fa HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", True),
    ("GET a.txt\r\n", True),
    ("CONNECT localhost HTTP/1.0\r\n\r\n", True),
    ("CONNECT /a.txt HTTP/1.0\r\n\r\n", True),
    # a field is judged when the next line is read
    ("GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: \x01\r\n \r\n\r\n", True),
    ("GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: x\r\nE: " + "v" * 90 + "\r\n\r\n", True),
    ("GET / HTTP/1.0\r\nA: 123456789012345678901234567890\r\n 1234567890123456789012345678901234567890\r\n\r\n", True),
    ("GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: a\x00b\r\n\r\n", True),
    # repeated fields are joined with ", " before anything looks at them
    ("GET /a.txt HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nExpect: 100-continue\r\n\r\n", True),
    ("TRACE / HTTP/1.0\r\nX-A: 1\r\nX-B: 2\r\nx-a: 3\r\n\r\n", True),
    # too many blank lines: a 400 first, a silent close later
    ("GET /a.txt HTTP/1.1\r\n" + H + "\r\n" + "\r\n" * 12 + SENTINEL, False),
    ("\r\n" * 12 + SENTINEL, False),
    # blank continuation lines
    ("GET / HTTP/1.0\r\nA: 1\r\n \r\n\r\n", True),
    ("GET / HTTP/1.0\r\nA: 1\r\n \t \r\n\r\n", True),
    # the client's EOF inside the head or the body
    ("GET /a.txt HTTP/1.0\r\n", True),
    ("GET /a.txt HTTP/1.0\r\nHost: x", True),
    ("POST /a.txt HTTP/1.0\r\nContent-Length: 5\r\n\r\nab", True),
    ("POST /nope HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nab", True),
    ("GET /a.txt HTTP/1.0\r\nExpect: foo\r\nContent-Length: 9\r\n\r\nab", True),
    # an unterminated line shorter than 8 KiB is no 414 at EOF
    ("GET /" + "x" * 300 + " HTTP/1.0", True),
    ("GET / HTTP/1.0\r\nA: " + "x" * 300, True),
    # a request line that could not be read: HEAD gets an error body
    ("HEAD / HTTP/1.0\n\n", True),
    ("HEAD / HTTP/1.0\x00\r\n\r\n", True),
    # https and empty authorities do not name the host; HTTP/1.2 needs
    # no Host header beside an absolute URI
    ("GET https://a..b/a.txt HTTP/1.1\r\n" + H + "\r\n", True),
    ("GET https://localhost/a.txt HTTP/1.1\r\nHost: localhost:0\r\n\r\n", True),
    ("GET http:///a.txt HTTP/1.1\r\nHost: local host\r\n\r\n", True),
    ("GET http://localhost/a.txt HTTP/1.2\r\n\r\n", True),
    ("GET ?x HTTP/1.1\r\n" + H + "\r\n", True),
    ("GET /a.txt \r\n", True),
    # path components too long for the file system are 403
    ("GET /" + "x" * 300 + " HTTP/1.0\r\n\r\n", True),
    ("FOO /" + "x" * 300 + "/y HTTP/1.0\r\n\r\n", True),
    # after a 417 the connection closes; TRACE's 413 has a length
    ("GET /a.txt HTTP/1.1\r\n" + H + "Expect: foo\r\n\r\n" + SENTINEL, False),
    ("TRACE /a.txt HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc", True),
    # a body refused while a redirect or refusal is sent reports it
    ("POST /sub HTTP/1.0\r\nContent-Length: 9223372036854775807\r\n\r\n", True),
    ("M-SEARCH /nope HTTP/1.0\r\nContent-Length: 35\r\nExpect: x\r\n\r\nGET /s", True),
]


@test
def found_classes():
    config = BASE_CONFIG + "LimitRequestFields 3\nLimitRequestFieldSize 80\nLimitRequestBody 4\n"
    ours = Server(config, files=FILES)
    theirs = Apache(config, mpm="prefork", files=FILES)
    for s in (ours, theirs):  # (Last-Modified: the trees are made apart)
        set_mtimes(s.root)
    failures = []
    with theirs, ours:
        for raw, hc in FOUND:
            flags = [raw.startswith("HEAD ")]
            a = answers(ours.port, raw, flags, hc)
            b = answers(theirs.port, raw, flags, hc)
            if a != b:
                failures.append("%r:\n      ours   %r\n      apache %r"
                                % (raw[:200], a, b))
    if failures:
        raise AssertionError("%d of %d differ:\n  %s" % (len(failures), len(FOUND),
                                                         "\n  ".join(failures)))


@test
def chunked_without_keepalive():
    """Apache picks chunked framing for an HTTP/1.1 body of unknown length
    (TRACE, a long listing) before it looks at KeepAlive, Connection:
    close or MaxKeepAliveRequests, so those close the connection and still
    chunk; HTTP/1.0 gets a close-delimited body."""
    files = dict(FILES)
    for i in range(120):   # a listing longer than Apache's 8000-byte buffer
        files["htdocs/big/file-with-a-long-name-%03d.txt" % i] = "x"
    reqs = [
        "TRACE /a.txt HTTP/1.1\r\n" + H + "\r\n",
        "TRACE /a.txt HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n",
        "TRACE /a.txt HTTP/1.0\r\n\r\n",
        "GET /big/ HTTP/1.1\r\n" + H + "\r\n",
        "GET /big/ HTTP/1.0\r\n\r\n",
        # a 416 is a second pass: chunked only if the 200 kept the connection
        "GET /a.txt HTTP/1.1\r\n" + H + "Range: bytes=100-\r\n\r\n",
    ]
    for extra, last in (("KeepAlive Off\n", None), ("MaxKeepAliveRequests 1\n", "chunked"),
                        ("", "chunked")):
        want_te = ["chunked", "chunked", None, "chunked", None, last]
        config = BASE_CONFIG + extra + "<Directory @HTDOCS@/big>\nOptions Indexes\n</Directory>\n"
        got = {}
        for cls in (Server, Apache):
            if cls is Apache and not have_apache():
                continue
            kw = {"mpm": "prefork"} if cls is Apache else {}
            with cls(config, files=files, **kw) as s:
                got[cls] = [answers(s.port, raw, [False], True) for raw in reqs]
        te = [dict(a[0][1]).get("Transfer-Encoding") for a in got[Server]]
        eq(te, want_te, "Transfer-Encoding with %r (recorded from apache2)" % extra)
        if Apache in got:
            for raw, a, b in zip(reqs, got[Server], got[Apache]):
                eq(a, b, "%r with %r" % (raw, extra))


# trailer line -> status under Strict, under Unsafe (recorded from apache2)
TRAILERS = [
    ("X:1", 200, 200), ("X T: 1", 400, 400), ("X : 1", 400, 400),
    ("NoColon", 400, 400), ("X\x01: 1", 400, 200), (": v", 400, 400),
    ("X: a\x01b", 400, 200), ("X-Y: 1\r\n folded", 200, 200),
    (" X: 1", 400, 400), ("Content-Length: 5", 200, 200),
    # trailers count against LimitRequestFields (100 by default)
    # (a folded line is not a field)
    ("".join("X%d: 1\r\n" % i for i in range(99)) + "X-Y: 1\r\n folded", 200, 200),
    ("".join("X%d: 1\r\n" % i for i in range(100)) + "Y: 1", 400, 400),
]


@test
def trailers_judged_as_fields():
    """A chunked body's trailer lines pass the request header field rules
    of the HttpProtocolOptions in force: whitespace in or before the name
    is refused, folding needs a field before it, and Strict refuses
    non-token names and control characters in values."""
    for opt, col in (("", 1), ("HttpProtocolOptions Unsafe\n", 2)):
        got = {}
        for cls in (Server, Apache):
            if cls is Apache and not have_apache():
                continue
            kw = {"mpm": "prefork"} if cls is Apache else {}
            with cls(BASE_CONFIG + opt, files=FILES, **kw) as s:
                got[cls] = [
                    [a[0] for a in answers(
                        s.port, "POST /a.txt HTTP/1.1\r\n" + H +
                        "Transfer-Encoding: chunked\r\n\r\n0\r\n" + t[0] +
                        "\r\n\r\n", [False], True)]
                    for t in TRAILERS]
        eq(got[Server], [[t[col]] for t in TRAILERS], "statuses with %r" % opt)
        if Apache in got:
            eq(got[Server], got[Apache], "apache2 with %r" % opt)


def make_test(seed):
    def t():
        one_round(seed)
    t.__name__ = "request_diff_seed_%d" % seed
    return test(t)


for _s in SEEDS:
    make_test(_s)

if __name__ == "__main__":
    run()
