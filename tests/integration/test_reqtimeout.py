#!/usr/bin/env python3
"""mod_reqtimeout: RequestReadTimeout limits on how long a request's head
and body may take to arrive.

Expected outcomes recorded from Debian's apache2 2.4 with mod_reqtimeout
loaded; where apache2 is installed the same exchanges go to it and must
end the same way.  The limits are set to one second so each case takes
about that long; nothing asserts on time, only on what the server sends.

Run alone: python3 test_reqtimeout.py [NAME-SUBSTRING...]"""
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

MODULES = harness.APACHE_DEFAULT_MODULES  # reqtimeout among them
CONF = "RequestReadTimeout header=1 body=1\nKeepAliveTimeout 5\nTimeout 10\n"


def exchange_slow(port, chunks):
    """Send (delay, bytes) chunks, then read until the server closes;
    what it sent, its first line."""
    c = socket.create_connection(("127.0.0.1", port), IO_TIMEOUT)
    try:
        for delay, data in chunks:
            time.sleep(delay)
            try:
                c.sendall(data)
            except OSError:
                break
        out = b""
        for _ in range(100):
            try:
                d = c.recv(65536)
            except OSError:
                break
            if not d:
                break
            out += d
    finally:
        c.close()
    return re.findall(r"HTTP/1\.1 (\d{3}) ", out.decode("latin-1"))


CASES = [
    ("partial head", [(0, b"GET /a.txt HTTP/1.1\r\n")], ["408"]),
    ("partial request line", [(0, b"GET /a.tx")], []),
    ("partial body", [(0, b"POST /a.txt HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 10\r\n\r\nabc")], ["408"]),
    # the keep-alive wait is not counted, only the next request's arrival
    ("idle keep-alive", [(0, b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"),
                         (1.5, b"GET /a.txt HTTP/1.1\r\nHost: x\r\n"
                               b"Connection: close\r\n\r\n")],
     ["200", "200"]),
    ("pipelined partial", [(0, b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                               b"GET /a.txt HT")], ["200"]),
    ("pipelined partial head", [(0, b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                                    b"GET /a.txt HTTP/1.1\r\n")],
     ["200", "408"]),
    ("body, then idle", [(0, b"POST /a.txt HTTP/1.1\r\nHost: x\r\n"
                             b"Content-Length: 3\r\n\r\nabc")], ["200"]),
]


def outcomes(cls, **kw):
    with cls(CONF, files={"htdocs/a.txt": "a\n"}, **kw) as s:
        return [exchange_slow(s.port, chunks) for _, chunks, _ in CASES]


@test
def head_and_body_clocks():
    ours = outcomes(Server)
    for (name, _, want), got in zip(CASES, ours):
        eq(got, want, name)
    if have_apache():
        theirs = outcomes(Apache, modules=MODULES)
        for (name, _, _), a, b in zip(CASES, ours, theirs):
            eq(a, b, "%s: httpd-ng vs apache2" % name)


@test
def logged_at_info():
    with Server(CONF + "LogLevel info\n", files={"htdocs/a.txt": "a\n"}) as s:
        exchange_slow(s.port, [(0, b"GET /a.txt HTTP/1.1\r\n")])
        exchange_slow(s.port, CASES[2][1])
        s.wait_log("AH01382: Request body read timeout")
        check("AH01382: Request header read timeout" in s.error_log(),
              s.error_log())


def timeout_lines(cls, **kw):
    """Per case, the AH01382 lines the server logged at info."""
    out = []
    with cls(CONF + "LogLevel info\n", files={"htdocs/a.txt": "a\n"},
             **kw) as s:
        for _, chunks, _ in CASES:
            seen = s.error_log().count("\n")
            exchange_slow(s.port, chunks)
            # written before the close the client waited for
            new = s.error_log().split("\n")[seen:]
            out.append([re.sub(r"^.*\] (\[reqtimeout:info\]).*\] (AH)",
                               r"\1 \2", ln)
                        for ln in new if "AH01382" in ln])
    return out


@test
def logged_as_apache():
    """Each case's AH01382 line (or none: an idle keep-alive connection
    closes silently, even after a body) as apache2 writes it:
    recorded, and compared with apache2 where it is installed."""
    want = [["[reqtimeout:info] AH01382: Request header read timeout"],
            ["[reqtimeout:info] AH01382: Request header read timeout"],
            ["[reqtimeout:info] AH01382: Request body read timeout"],
            [],
            ["[reqtimeout:info] AH01382: Request header read timeout"],
            ["[reqtimeout:info] AH01382: Request header read timeout"],
            []]
    if have_apache():
        eq(timeout_lines(Apache, modules=MODULES), want, "apache2")
    for mpm in mpms():
        got = timeout_lines(Server, mpm=mpm)
        for (name, _, _), a, b in zip(CASES, got, want):
            eq(a, b, "%s (%s)" % (name, mpm))


@test
def config_errors_as_apache():
    cases = [
        ("RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500\n",
         0, "Syntax OK"),
        ("RequestReadTimeout header=0 body=10,minrate=100 handshake=5\n", 0,
         "Syntax OK"),
        ("RequestReadTimeout\n", 0, "Syntax OK"),
        ("RequestReadTimeout header=x\n", 1,
         "RequestReadTimeout: header=x: Value 'x' not numerical"),
        ("RequestReadTimeout foo=1\n", 1,
         "RequestReadTimeout: foo=1: Unknown RequestReadTimeout parameter"),
        ("RequestReadTimeout header=40-20\n", 1, "RequestReadTimeout: "
         "header=40-20: Must set MinRate option if using timeout range"),
        ("RequestReadTimeout header=20-40\n", 1, "Must set MinRate option"),
        ("RequestReadTimeout header=20,MinRate=0\n", 1, "RequestReadTimeout: "
         "header=20,MinRate=0: Minimum data rate must be larger than 0"),
        ("RequestReadTimeout header\n", 1, "Invalid RequestReadTimeout "
         "parameter. Parameter must be in the form 'key=value'"),
        ("RequestReadTimeout header=20,MinRate=500,foo\n", 1,
         "RequestReadTimeout: header=20,MinRate=500,foo: Cannot parse ',foo'"),
        ('<Directory "/">\nRequestReadTimeout header=1\n</Directory>\n', 1,
         "RequestReadTimeout not allowed"),
    ]
    config_cases_agree(cases)  # apache2 with its modules loaded


if __name__ == "__main__":
    run()
