#!/usr/bin/env python3
"""The HTTP engine over real sockets, for every MPM this build has:
keep-alive and its limits, pipelining, HTTP/1.0 keep-alive, 100-continue,
slow clients (Timeout -> 408 or a silent close, as apache2 does), big files
with and without sendfile, and many connections at once.

Run alone: python3 test_http_engine.py [NAME-SUBSTRING...]"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

BIG = bytes((i * 7 + i // 251) & 0xFF for i in range(3 * 1024 * 1024 + 17))
FILES = {
    "htdocs/a.txt": "hello\n",
    "htdocs/index.html": "<p>index</p>\n",
    "htdocs/big.bin": BIG,
}
BASE = """
TypesConfig "@ROOT@/conf/mime.types"
<Directory "@HTDOCS@">
    Require all granted
</Directory>
"""


def per_mpm(fn):
    """Register fn(mpm) once per MPM of this build."""
    for m in ("prefork", "worker", "event"):
        def t(m=m):
            if m not in mpms():
                skip("MPM %s not in this build" % m)
            fn(m)
        t.__name__ = "%s_%s" % (fn.__name__, m)
        test(t)
    return fn


@per_mpm
def keepalive_and_pipelining(mpm):
    with Server(BASE, mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            for i in range(5):
                c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                r = c.response()
                eq(r.status, 200, "status of request %d" % i)
                eq(r.body, b"hello\n", "body")
                eq(r.header("Connection"), None, "no Connection header on 1.1")
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                   "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            eq(c.response().status, 200, "pipelined 1")
            eq(c.response().status, 404, "pipelined 2")
            r = c.response(head=True)
            eq((r.status, r.header("Content-Length")), (200, "13"), "pipelined HEAD")
            r = c.response()
            eq((r.status, r.body), (200, b"<p>index</p>\n"), "pipelined 4")
            eq(r.header("Connection"), "close", "close on request")
            check(c.closed_by_peer(5), "server closes after Connection: close")


@per_mpm
def max_keepalive_requests(mpm):
    with Server(BASE + "MaxKeepAliveRequests 3\n", mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            for i in range(3):
                c.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                r = c.response()
                eq(r.header("Keep-Alive"), "timeout=5, max=%d" % (3 - i), "Keep-Alive")
            c.send("GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            r = c.response()
            eq(r.header("Connection"), "close", "4th response closes")
            check(c.closed_by_peer(5), "closed after MaxKeepAliveRequests")


@per_mpm
def keepalive_timeout_closes(mpm):
    with Server(BASE + "KeepAliveTimeout 1\n", mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            eq(c.response().status, 200, "status")
            start = time.monotonic()
            check(c.closed_by_peer(8), "idle connection closed")
            check(time.monotonic() - start >= 0.5, "not closed before the timeout")


@per_mpm
def keepalive_off(mpm):
    with Server(BASE + "KeepAlive Off\n", mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.response()
            eq(r.header("Connection"), "close", "Connection")
            check(c.closed_by_peer(5), "closed")


@per_mpm
def slow_header_gets_408(mpm):
    with Server(BASE + "Timeout 1\n", mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n")
            r = c.response(timeout=10)
            eq(r.status, 408, "status")
            check(b"Server timeout waiting for the HTTP request" in r.body, "408 body")
            check(c.closed_by_peer(5), "closed after 408")
        with Conn(s.port) as c:
            c.send("GET /a.t")
            data = c.read_all(timeout=10)
            eq(data, b"", "a partial request line is dropped silently")
        with Conn(s.port) as c:
            c.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            r = c.response(timeout=10)
            eq(r.status, 408, "status for a slow body")


@per_mpm
def expect_continue(mpm):
    with Server(BASE, mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                   "Content-Length: 5\r\n\r\n")
            r = c.response()
            eq(r.status, 100, "interim response before the body is sent")
            c.send("hello")
            r = c.response()
            eq((r.status, r.body), (200, b"hello\n"), "final response")
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            eq(c.response().status, 200, "connection reusable")


def fetch_big(port):
    with Conn(port, timeout=30) as c:
        c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return c.response(timeout=30)


@per_mpm
def big_file_with_and_without_sendfile(mpm):
    for setting in ("On", "Off"):
        with Server(BASE + "EnableSendfile %s\n" % setting, mpm=mpm, files=FILES) as s:
            r = fetch_big(s.port)
            eq(r.status, 200, "status (EnableSendfile %s)" % setting)
            eq(r.header("Content-Length"), str(len(BIG)), "Content-Length")
            check(r.body == BIG, "body bytes (EnableSendfile %s)" % setting)


@per_mpm
def many_connections(mpm):
    with Server(BASE, mpm=mpm, files=FILES) as s:
        errors = []

        def worker(n):
            try:
                with Conn(s.port) as c:
                    for i in range(10):
                        c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                        r = c.response()
                        if r.status != 200 or r.body != b"hello\n":
                            errors.append("conn %d req %d: %r" % (n, i, r))
            except Exception as e:  # noqa: BLE001 -- collected, reported below
                errors.append("conn %d: %s" % (n, e))
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        eq(errors, [], "errors")


@per_mpm
def http09_and_bad_requests_close(mpm):
    with Server(BASE, mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("GET /a.txt\r\n")
            eq(c.read_all(), b"hello\n", "HTTP/0.9 gets the bare body")
        with Conn(s.port) as c:
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n"
                   "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.response()
            eq(r.status, 400, "status")
            check(c.closed_by_peer(5), "no request is read after a 400")


@per_mpm
def smuggling_refused(mpm):
    with Server(BASE, mpm=mpm, files=FILES) as s:
        with Conn(s.port) as c:
            c.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 38\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                   "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
            r = c.response()
            eq(r.status, 200, "the POST")
            eq(r.header("Connection"), "close", "closed after TE + CL")
            check(c.closed_by_peer(5), "the smuggled request is never answered")


def have_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as t:
            t.bind(("::1", 0))
        return True
    except OSError:
        return False


@per_mpm
def ipv6_listener(mpm):
    if not have_ipv6_loopback():
        skip("no ::1 on this machine")
    with Server(BASE + "Listen [::1]:@PORT@\n", mpm=mpm, files=FILES) as s:
        with Conn(s.port, host="::1") as c:
            c.send("GET /a.txt HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n")
            r = c.response()
            eq((r.status, r.body), (200, b"hello\n"), "over IPv6")
        with Conn(s.port) as c:
            c.send("GET /a.txt HTTP/1.0\r\n\r\n")
            eq(c.response().status, 200, "IPv4 still served")


if __name__ == "__main__":
    run()
