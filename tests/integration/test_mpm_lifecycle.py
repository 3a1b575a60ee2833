"""test_mpm_lifecycle.py -- every MPM of this build serving, surviving the
death of a child, restarting (hard and graceful) without losing a request,
and stopping without leaving a process behind.

Run by `make check` (cwd BUILDDIR, env STATIC_MPM/SHARED_MPMS); each test
is repeated for each MPM the build has.  No timed assertions: every wait
polls with a deadline.
"""
import os
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401,F403

BODY = "hello from the mpm tests\n"
BIG = 8 * 1024 * 1024
FILES = {"htdocs/hello.txt": BODY, "htdocs/big.bin": b"x" * BIG}

# Small pools so that children come and go within the test's lifetime.
SIZES = {
    "prefork": "StartServers 3\nMinSpareServers 3\nMaxSpareServers 5\n"
               "MaxRequestWorkers 10\n",
    "worker": "StartServers 2\nThreadsPerChild 4\nMinSpareThreads 8\n"
              "MaxSpareThreads 16\nMaxRequestWorkers 16\nServerLimit 4\n",
    "event": "StartServers 2\nThreadsPerChild 4\nMinSpareThreads 8\n"
             "MaxSpareThreads 16\nMaxRequestWorkers 16\nServerLimit 4\n",
}


def children(ppid):
    """Live child processes of ppid."""
    out = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rfind(")") + 2:].split()
        if fields[0] != "Z" and int(fields[1]) == ppid:
            out.add(int(pid))
    return out


def fetch_ok(port, path="/hello.txt"):
    r = get(port, path, headers={"Connection": "close"})
    eq(r.status, 200, "status of %s" % path)
    return r


class Load:
    """Clients sending requests in a loop until stopped; counts failures."""

    def __init__(self, port, threads=4, path="/hello.txt", body=BODY):
        self.port, self.path, self.body = port, path, body
        self.stop_flag = threading.Event()
        self.ok = 0
        self.failures = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, daemon=True)
                        for _ in range(threads)]

    def _loop(self):
        # Bounded: stops when asked, or after many requests.
        for _ in range(100000):
            if self.stop_flag.is_set():
                return
            try:
                r = get(self.port, self.path,
                        headers={"Connection": "close"})
                good = r.status == 200 and r.text == self.body
                why = None if good else "status %d" % r.status
            except Exception as e:  # noqa: B902 -- any failure counts
                good, why = False, "%s: %s" % (e.__class__.__name__, e)
            with self.lock:
                if good:
                    self.ok += 1
                else:
                    self.failures.append(why)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def count(self):
        with self.lock:
            return self.ok

    def wait_more(self, n, what):
        start = self.count()
        wait_for(lambda: self.count() >= start + n, IO_TIMEOUT * 3, what)

    def __exit__(self, *exc):
        self.stop_flag.set()
        for t in self.threads:
            t.join(IO_TIMEOUT * 2)
        return False


def for_each_mpm(fn):
    """Register fn once per MPM of this build, as NAME_MPM."""
    for mpm in ["prefork", "worker", "event"]:
        def bound(mpm=mpm):
            if mpm not in mpms():
                skip("MPM %s not in this build" % mpm)
            fn(mpm)
        bound.__name__ = "%s_%s" % (fn.__name__, mpm)
        test(bound)
    return fn


@for_each_mpm
def serves(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        r = fetch_ok(s.port)
        eq(r.text, BODY, "body")
        # keep-alive: several requests on one connection
        rs = exchange(s.port, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n" * 3,
                      count=3)
        eq([x.status for x in rs], [200, 200, 200], "keep-alive statuses")
        # parallel clients
        with Load(s.port, threads=6) as load:
            load.wait_more(60, "60 requests from 6 clients")
        eq(load.failures, [], "failures")
        r = fetch_ok(s.port, "/big.bin")
        eq(len(r.body), BIG, "big body length")


@for_each_mpm
def child_killed_is_replaced(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        parent = s.proc.pid
        first = wait_for(lambda: children(parent) if len(children(parent)) >= 2
                         else None, what="two children")
        victim = sorted(first)[0]
        with Load(s.port, threads=3) as load:
            load.wait_more(10, "requests before the kill")
            os.kill(victim, signal.SIGKILL)
            wait_for(lambda: victim not in children(parent), what="child gone")
            # a new child takes the dead one's place
            wait_for(lambda: children(parent) - first,
                     IO_TIMEOUT * 2, "a replacement child")
            load.wait_more(20, "requests after the kill")
        # A client whose connection the dead child held may see it reset;
        # later ones must not fail.
        check(len(load.failures) <= 3, "failures: %r" % load.failures[:5])
        check(s.running(), "parent still running")
        fetch_ok(s.port)


@for_each_mpm
def graceful_restart_under_load_loses_nothing(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        parent = s.proc.pid
        with Load(s.port, threads=4) as load:
            load.wait_more(20, "requests before the restarts")
            for i in range(3):
                before = children(parent)
                s.graceful()
                # old children go, new ones come
                wait_for(lambda: children(parent) - before, IO_TIMEOUT * 2,
                         "new children after graceful restart %d" % i)
                load.wait_more(20, "requests after graceful restart %d" % i)
        eq(load.failures, [], "failed requests")
        check(s.running(), "parent still running")
        s.wait_log(r"SIGUSR1 received|Graceful restart requested")


@for_each_mpm
def graceful_restart_lets_a_download_finish(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        c = Conn(s.port)
        c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = c.sock.recv(65536)
        check(first.startswith(b"HTTP/1.1 200"), "download started")
        s.graceful()
        s.wait_log(r"SIGUSR1 received|Graceful restart requested")
        fetch_ok(s.port)  # the new generation answers meanwhile
        rest = c.read_all(timeout=IO_TIMEOUT * 3)
        data = first + rest
        head, _, body = data.partition(b"\r\n\r\n")
        eq(len(body), BIG, "bytes of the download in flight")
        c.close()


@for_each_mpm
def hard_restart_keeps_listening(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        parent = s.proc.pid
        before = wait_for(lambda: children(parent), what="children")
        s.restart()
        s.wait_log(r"SIGHUP received.  Attempting to restart")
        wait_for(lambda: children(parent) and not (children(parent) & before),
                 IO_TIMEOUT * 2, "all children replaced")
        fetch_ok(s.port)
        eq(s.proc.pid, parent, "same parent")


@for_each_mpm
def broken_reload_keeps_serving(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES) as s:
        parent = s.proc.pid
        with Load(s.port, threads=2) as load:
            load.wait_more(10, "requests before the reload")
            s.write_config(SIZES[mpm] + "StartServers two three\n")
            s.graceful()
            s.wait_log(r"reload failed|[Ss]yntax error")
            load.wait_more(20, "requests after the failed reload")
            # the old generation runs on with children of its own
            wait_for(lambda: children(parent), what="children")
            s.write_config(SIZES[mpm] + "Alias /again @HTDOCS@/hello.txt\n")
            s.graceful()
            wait_for(lambda: get(s.port, "/again").status == 200,
                     IO_TIMEOUT * 2, "the fixed configuration in effect")
            load.wait_more(10, "requests after the good reload")
        eq(load.failures, [], "failed requests")
        eq(s.proc.pid, parent, "same parent")


@for_each_mpm
def stop_leaves_no_process(mpm):
    s = Server(SIZES[mpm], mpm=mpm, files=FILES)
    try:
        s.start()
        parent = s.proc.pid
        wait_for(lambda: children(parent), what="children")
        # an idle keep-alive connection must not hold up the stop
        c = Conn(s.port)
        c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        eq(c.response().status, 200, "status")
        s.signal(signal.SIGTERM)
        eq(s.wait_exit(), 0, "exit status after SIGTERM")
        # The harness's stop() fails if any process of the group is left.
        s.stop()
        s.wait_log(r"caught SIGTERM, shutting down")
        c.close()
    finally:
        s.stop(check=False)
        s.cleanup()


@for_each_mpm
def graceful_stop_finishes_and_exits(mpm):
    s = Server(SIZES[mpm], mpm=mpm, files=FILES)
    try:
        s.start()
        c = Conn(s.port)
        c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = c.sock.recv(65536)
        s.signal(signal.SIGWINCH)
        rest = c.read_all(timeout=IO_TIMEOUT * 3)
        body = (first + rest).partition(b"\r\n\r\n")[2]
        eq(len(body), BIG, "download finished during graceful stop")
        eq(s.wait_exit(), 0, "exit status after SIGWINCH")
        s.stop()
        s.wait_log(r"caught SIGWINCH, shutting down gracefully")
        c.close()
    finally:
        s.stop(check=False)
        s.cleanup()


@for_each_mpm
def max_connections_per_child_recycles(mpm):
    conf = SIZES[mpm] + "MaxConnectionsPerChild 3\n"
    with Server(conf, mpm=mpm, files=FILES) as s:
        parent = s.proc.pid
        first = wait_for(lambda: children(parent), what="children")
        # Bounded: each child serves at most 3 connections, so 40 sequential
        # connections must have retired at least one of the first children.
        for _ in range(40):
            fetch_ok(s.port)
        wait_for(lambda: first - children(parent), IO_TIMEOUT * 2,
                 "a child retired after MaxConnectionsPerChild")
        wait_for(lambda: children(parent) - first, IO_TIMEOUT * 2,
                 "a new child")
        fetch_ok(s.port)


@for_each_mpm
def one_process_mode(mpm):
    with Server(SIZES[mpm], mpm=mpm, files=FILES, one_process=True) as s:
        eq(children(s.proc.pid), set(), "no children under -X")
        r = fetch_ok(s.port)
        eq(r.text, BODY, "body")
        with Load(s.port, threads=3) as load:
            load.wait_more(15, "requests under -X")
        eq(load.failures, [], "failures")


@for_each_mpm
def timeouts_close_waiting_connections(mpm):
    # Timeout and KeepAliveTimeout are the engine's; the MPM must enforce
    # them on connections waiting (in epoll for event, in poll otherwise).
    # (AcceptFilter none: else a silent client never reaches the server)
    conf = SIZES[mpm] + "Timeout 1\nKeepAliveTimeout 1\nAcceptFilter http none\n"
    with Server(conf, mpm=mpm, files=FILES) as s:
        silent = Conn(s.port)
        partial = Conn(s.port)
        partial.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n")
        idle = Conn(s.port)
        idle.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        eq(idle.response().status, 200, "keep-alive response")
        check(idle.closed_by_peer(IO_TIMEOUT), "idle keep-alive closed")
        check(silent.closed_by_peer(IO_TIMEOUT), "silent connection closed")
        r = partial.response(timeout=IO_TIMEOUT)
        eq(r.status, 408, "partial head answered 408")
        for c in (silent, partial, idle):
            c.close()
        fetch_ok(s.port)


def server_end_state(port, client_port):
    """TCP state (hex, as /proc/net/tcp: 01 ESTABLISHED, 03 SYN_RECV) of
    the server's end of a loopback connection, or None."""
    local = "0100007F:%04X" % port
    remote = "0100007F:%04X" % client_port
    with open("/proc/net/tcp") as f:
        for ln in f.readlines()[1:]:
            fields = ln.split()
            if fields[1] == local and fields[2] == remote:
                return fields[3]
    return None


@for_each_mpm
def accept_filter_defers_silent_clients(mpm):
    # As apache2 on Linux, whose default is AcceptFilter http data
    # (TCP_DEFER_ACCEPT): a client that connects and sends nothing is not
    # handed to the server, whose end stays SYN_RECV, until it sends; with
    # AcceptFilter http none the handshake completes at once.
    for conf, want in (("", "03"), ("AcceptFilter http none\n", "01")):
        with Server(SIZES[mpm] + conf, mpm=mpm, files=FILES) as s:
            silent = Conn(s.port)
            cport = silent.sock.getsockname()[1]
            fetch_ok(s.port)  # the server is up and answering meanwhile
            deadline = time.monotonic() + IO_TIMEOUT
            state = server_end_state(s.port, cport)
            while state != want and time.monotonic() < deadline:
                time.sleep(0.02)
                state = server_end_state(s.port, cport)
            eq(state, want, "server end of a silent connection (%r)" % conf)
            silent.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            eq(silent.response().status, 200, "answered once it sends")
            silent.close()


@test
def prefork_reports_max_request_workers():
    if "prefork" not in mpms():
        skip("no prefork in this build")
    conf = ("StartServers 1\nMinSpareServers 1\nMaxSpareServers 2\n"
            "MaxRequestWorkers 2\nServerLimit 2\nTimeout 30\n")
    with Server(conf, mpm="prefork", files=FILES) as s:
        # Two clients that never finish their request keep both children
        # busy; the parent then cannot keep a spare one.
        held = []
        for _ in range(2):
            c = Conn(s.port)
            c.send("GET /hello.txt HTTP/1.1\r\n")
            held.append(c)
        s.wait_log(r"AH00161: server reached MaxRequestWorkers setting, "
                   r"consider raising the MaxRequestWorkers setting",
                   timeout=IO_TIMEOUT * 2)
        for c in held:
            c.close()
        fetch_ok(s.port)


@test
def worker_reports_max_request_workers():
    if "worker" not in mpms():
        skip("no worker in this build")
    conf = ("StartServers 1\nThreadsPerChild 2\nMinSpareThreads 2\n"
            "MaxSpareThreads 4\nMaxRequestWorkers 4\nServerLimit 2\n"
            "Timeout 30\n")
    with Server(conf, mpm="worker", files=FILES) as s:
        held = []
        for _ in range(4):
            c = Conn(s.port)
            c.send("GET /hello.txt HTTP/1.1\r\n")
            held.append(c)
        s.wait_log(r"AH00286: server reached MaxRequestWorkers setting",
                   timeout=IO_TIMEOUT * 2)
        for c in held:
            c.close()
        fetch_ok(s.port)


@test
def event_holds_idle_connections_without_threads():
    if "event" not in mpms():
        skip("no event in this build")
    # One child with 4 threads: silent, slowloris and idle keep-alive
    # clients, 300 of each, must not stop it from answering a new client.
    conf = ("StartServers 1\nServerLimit 1\nThreadsPerChild 4\n"
            "MaxRequestWorkers 4\nMinSpareThreads 1\nMaxSpareThreads 8\n"
            "KeepAliveTimeout 60\nTimeout 60\n")
    with Server(conf, mpm="event", files=FILES) as s:
        held = []
        try:
            for i in range(900):
                c = socket.create_connection(("127.0.0.1", s.port), IO_TIMEOUT)
                if i % 3 == 1:
                    c.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n")
                held.append(c)
            for c in held[2::3]:
                c.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            for c in held[2::3]:
                buf = b""
                while BODY.encode() not in buf:
                    d = c.recv(4096)
                    check(d, "keep-alive response")
                    buf += d
            for _ in range(5):
                r = fetch_ok(s.port)
                eq(r.text, BODY, "body with 900 idle connections open")
            # a trickling client still gets its answer when it finishes
            held[1].sendall(b"\r\n")
            buf = b""
            while b"\r\n\r\n" not in buf:
                d = held[1].recv(4096)
                check(d, "slowloris response")
                buf += d
            check(buf.startswith(b"HTTP/1.1 200"), "slowloris status")
        finally:
            for c in held:
                c.close()


if __name__ == "__main__":
    run()
