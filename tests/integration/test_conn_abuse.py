#!/usr/bin/env python3
"""Abusive clients and files changing under the open-file cache, for every
MPM of the build: clients that vanish (FIN or RST) mid-head, mid-body and
mid-response, pipelined garbage, huge and numerous header lines, slowloris
connections, half-closed sockets; files truncated, replaced, deleted and
rewritten between and during requests, with HEAD and Range.  After each
batch the server must still answer correctly; the harness fails the test
on a sanitizer report (run it on an --enable-debug build to mean much) or
a process left behind after stop."""
import os
import random
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

BIG = 4 << 20  # large enough that a response does not fit socket buffers

CONFIG = """
Timeout 5
KeepAliveTimeout 5
<IfModule mpm_prefork_module>
StartServers 12
MinSpareServers 12
</IfModule>
"""


def pattern(n, seed):
    """n bytes that tell which file version and offset they come from."""
    unit = (b"%c" % (ord("a") + seed % 26)) * 7 + b"\n"
    return (unit * (n // len(unit) + 1))[:n]


def raw(port):
    return socket.create_connection(("127.0.0.1", port), IO_TIMEOUT)


def rst_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def drop(s, rst):
    if rst:
        rst_close(s)
    else:
        s.close()


def alive(port, what):
    r = get(port, "/small.txt")
    eq(r.status, 200, "%s: server answers afterwards" % what)
    eq(r.body, pattern(100, 1), "%s: body afterwards" % what)


def read_until_eof(s):
    s.settimeout(IO_TIMEOUT)
    data = bytearray()
    while True:
        try:
            got = s.recv(65536)
        except ConnectionResetError:
            break
        if not got:
            break
        data += got
    return bytes(data)


def vanishing_clients(port):
    for rst in (False, True):
        # mid-head
        s = raw(port)
        s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: a\r\nX-Half: ab")
        drop(s, rst)
        # mid-body, Content-Length and chunked
        s = raw(port)
        s.sendall(b"POST /small.txt HTTP/1.1\r\nHost: a\r\n"
                  b"Content-Length: 100000\r\n\r\n" + b"x" * 1000)
        drop(s, rst)
        s = raw(port)
        s.sendall(b"POST /small.txt HTTP/1.1\r\nHost: a\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n10\r\n0123456")
        drop(s, rst)
        # mid-response: a large file, a few bytes read; and several
        # pipelined large responses with none read
        s = raw(port)
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n")
        s.recv(1000)
        drop(s, rst)
        s = raw(port)
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: a\r\n\r\n" * 4)
        drop(s, rst)
        s = raw(port)
        s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n" * 50)
        drop(s, rst)
        alive(port, "vanishing clients rst=%s" % rst)


def garbage(port):
    rnd = random.Random(7)
    for i in range(6):
        junk = bytes(rnd.randrange(256) for _ in range(3000))
        with Conn(port) as c:
            c.send(b"GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n" + junk)
            r = c.response()
            eq(r.status, 200, "request before garbage %d" % i)
            rest = c.read_all()
            check(rest == b"" or rest.startswith(b"HTTP/1.1 4"),
                  "garbage %d: nothing or a 4xx, got %r" % (i, rest[:80]))
    alive(port, "garbage")


def big_headers(port):
    r = exchange(port, b"GET /small.txt HTTP/1.1\r\nHost: a\r\nX-Big: "
                 + b"y" * 100000 + b"\r\n\r\n")[0]
    eq(r.status, 400, "100 KB header line")
    r = exchange(port, b"GET /" + b"z" * 100000 + b" HTTP/1.1\r\nHost: a\r\n\r\n")[0]
    eq(r.status, 414, "100 KB request line")
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(500))
    r = exchange(port, b"GET /small.txt HTTP/1.1\r\nHost: a\r\n" + many + b"\r\n")[0]
    eq(r.status, 400, "500 header lines")
    # a continuation-line chain growing one field past the limit
    cont = b"X-C: a\r\n" + b" bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n" * 300
    r = exchange(port, b"GET /small.txt HTTP/1.1\r\nHost: a\r\n" + cont + b"\r\n")[0]
    eq(r.status, 400, "folded header past the limit")
    alive(port, "big headers")


def slowloris(port):
    socks = []
    try:
        for i in range(8):
            s = raw(port)
            s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: a\r\n")
            socks.append(s)
        for round_ in range(3):
            for s in socks:
                s.sendall(b"X-%d: y\r\n" % round_)
            alive(port, "while slow clients hold connections")
        # one slow client finishes and is answered
        socks[0].sendall(b"Connection: close\r\n\r\n")
        data = read_until_eof(socks[0])
        check(data.startswith(b"HTTP/1.1 200 "), "slow client answered: %r" % data[:60])
        check(data.endswith(pattern(100, 1)), "slow client body")
    finally:
        for s in socks:
            s.close()


def half_closed(port):
    # a whole request, then SHUT_WR: answered, then closed
    s = raw(port)
    s.sendall(b"GET /small.txt HTTP/1.1\r\nHost: a\r\n\r\n")
    s.shutdown(socket.SHUT_WR)
    data = read_until_eof(s)
    s.close()
    check(data.startswith(b"HTTP/1.1 200 ") and data.endswith(pattern(100, 1)),
          "request then SHUT_WR answered: %r" % data[:60])
    # half a head / half a body, then SHUT_WR: the server closes
    for part in (b"GET /small.txt HTTP/1.1\r\nHo",
                 b"POST /small.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\nabc",
                 b"POST /small.txt HTTP/1.1\r\nHost: a\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n5\r\nab"):
        s = raw(port)
        s.sendall(part)
        s.shutdown(socket.SHUT_WR)
        data = read_until_eof(s)  # raises on a hang (socket timeout)
        s.close()
        check(not data.startswith(b"HTTP/1.1 2"),
              "no success for a cut request: %r" % data[:60])
    alive(port, "half-closed")


def set_file(path, data, replace):
    if replace:
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, path)
    else:
        with open(path, "r+b" if os.path.exists(path) else "wb") as f:
            f.truncate(0)
            f.write(data)


def changing_files(port, htdocs):
    path = os.path.join(htdocs, "ch.txt")
    versions = [(50, 2), (20000, 3), (7, 4), (9000, 5), (8192, 6), (0, 7),
                (300000, 8), (8193, 9)]
    for replace in (False, True):
        for size, seed in versions:
            body = pattern(size, seed)
            set_file(path, body, replace)
            for _ in range(2):  # the second one from the cache
                r = get(port, "/ch.txt")
                eq(r.status, 200, "ch.txt %d" % size)
                eq(r.header("Content-Length"), str(size), "length %d" % size)
                check(r.body == body, "content of version %d (replace=%s)"
                      % (seed, replace))
                r = get(port, "/ch.txt", method="HEAD")
                # Apache drops a HEAD's "Content-Length: 0"
                eq(r.header("Content-Length"), str(size) if size else None,
                   "HEAD length %d" % size)
                if size > 10:
                    r = get(port, "/ch.txt", headers={"Range": "bytes=3-9"})
                    eq(r.status, 206, "range %d" % size)
                    eq(r.header("Content-Range"), "bytes 3-9/%d" % size,
                       "Content-Range %d" % size)
                    eq(r.body, body[3:10], "range body %d" % size)
    # rewritten in place with the same size and its old mtime put back
    # (cp -p, rsync -t): only ctime tells, and the new bytes are served
    set_file(path, pattern(60, 19), False)
    eq(get(port, "/ch.txt").body, pattern(60, 19), "60 bytes")
    for i in range(5):
        st = os.stat(path)
        with open(path, "r+b") as f:
            f.write(pattern(60, 20 + i))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        eq(get(port, "/ch.txt").body, pattern(60, 20 + i), "same size, same mtime")
    os.unlink(path)
    eq(get(port, "/ch.txt").status, 404, "deleted file")
    set_file(path, pattern(60, 11), True)
    eq(get(port, "/ch.txt").body, pattern(60, 11), "recreated file")
    # a large file truncated while its response is on the way
    bigpath = os.path.join(htdocs, "shrink.bin")
    set_file(bigpath, pattern(BIG, 12), True)
    s = raw(port)
    s.sendall(b"GET /shrink.bin HTTP/1.1\r\nHost: a\r\n\r\n")
    first = s.recv(4096)
    check(first.startswith(b"HTTP/1.1 200 "), "shrinking file: 200")
    os.truncate(bigpath, 1000)
    data = first + read_until_eof(s)  # the server must close, not hang
    s.close()
    body = data.split(b"\r\n\r\n", 1)[1]
    check(len(body) < BIG, "a truncated file is not padded to its old length")
    check(body == pattern(len(body), 12)[:len(body)],
          "what was sent is the file's content")
    r = get(port, "/shrink.bin")
    eq(r.header("Content-Length"), "1000", "length after truncation")
    eq(r.body, pattern(1000, 12), "body after truncation")
    alive(port, "changing files")


def racing_writer(port, htdocs):
    """A writer flips a file between versions (in place and by rename)
    while GET, HEAD and Range requests run: every complete answer must be
    self-consistent and match one version."""
    path = os.path.join(htdocs, "race.txt")
    sizes = {100: 13, 5000: 14, 9000: 15, 70000: 16}
    set_file(path, pattern(100, 13), True)
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set() and i < 20000:
            size = list(sizes)[i % len(sizes)]
            set_file(path, pattern(size, sizes[size]), i % 3 == 0)
            i += 1
    t = threading.Thread(target=writer)
    t.start()
    try:
        for i in range(150):
            kind = i % 3
            hdrs = {"Range": "bytes=10-50"} if kind == 2 else None
            method = "HEAD" if kind == 1 else "GET"
            try:
                r = get(port, "/race.txt", method=method, headers=hdrs)
            except (AssertionError, ValueError) as e:
                # a file that shrank mid-response: the connection is cut
                check("closed the connection" in str(e) or
                      "closed inside the body" in str(e), "race %d: %s" % (i, e))
                continue
            check(r.status in (200, 206, 404, 416), "race %d status %d" % (i, r.status))
            if r.status == 200 and method == "GET":
                n = len(r.body)
                eq(r.header("Content-Length"), str(n), "race %d length" % i)
                # in-place rewrites may show a mix mid-write, never bytes
                # beyond the version's size
                check(n == 0 or n in sizes or n <= max(sizes),
                      "race %d: %d bytes" % (i, n))
            if r.status == 206:
                cr = r.header("Content-Range") or ""
                eq(len(r.body), 41, "race %d range length" % i)
                check(cr.startswith("bytes 10-50/"), "race %d: %s" % (i, cr))
    finally:
        stop.set()
        t.join()
    alive(port, "racing writer")


def run_all(mpm):
    files = {"htdocs/small.txt": pattern(100, 1),
             "htdocs/big.bin": pattern(BIG, 0)}
    with Server(CONFIG, mpm=mpm, files=files) as s:
        for case in (vanishing_clients, garbage, big_headers, slowloris,
                     half_closed):
            case(s.port)
        changing_files(s.port, s.htdocs)
        racing_writer(s.port, s.htdocs)
        for case in (vanishing_clients, half_closed):
            case(s.port)
        log = s.error_log()
        check("AddressSanitizer" not in log and "runtime error" not in log,
              "sanitizer report in error_log: %s" % log[-2000:])


for _mpm in ("prefork", "worker", "event"):
    def _case(m=_mpm):
        if m not in mpms():
            skip("MPM %s not in this build" % m)
        run_all(m)
    _case.__name__ = "abuse_" + _mpm
    test(_case)

if __name__ == "__main__":
    run()
