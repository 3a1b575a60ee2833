"""ErrorLog syslog[:facility]: the error log's lines go through syslog(3)
as apache2 sends them (facility, level, ident[pid], the default format
without its date), for the main server and for a <VirtualHost>; an unknown
facility stops the start with apache2's AH10036.

The test plays syslogd: it binds /dev/log itself, so it runs only as root
and only where nothing else has /dev/log (a CI machine without a syslog
daemon); otherwise it skips.
"""

import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401,F403

DEV_LOG = "/dev/log"


class Syslogd:
    """A datagram socket at /dev/log collecting what is sent to it."""

    def __enter__(self):
        if os.geteuid() != 0:
            skip("binding /dev/log needs root")
        if os.path.lexists(DEV_LOG):
            skip("/dev/log belongs to a running syslog daemon")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(DEV_LOG)
        os.chmod(DEV_LOG, 0o666)   # children run as www-data
        self.sock.settimeout(0.2)
        return self

    def __exit__(self, *exc):
        self.sock.close()
        os.unlink(DEV_LOG)

    def drain(self):
        out = []
        for _ in range(10000):
            try:
                out.append(self.sock.recv(65536).decode("utf-8", "replace"))
            except socket.timeout:
                break
        return out


def _normal(msg, root):
    """<PRI>IDENT[PID]: line, with the date, ident, pids, tids and client
    ports and the ServerRoot taken out; None for messages not about a client."""
    m = re.match(r"<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d ([^\[]+)\[\d+\]: (.*)$",
                 msg, re.S)
    if m is None or "[client 127.0.0.1:" not in m.group(3):
        return None
    line = re.sub(r"\[pid \d+:tid \d+\]", "[pid P:tid T]", m.group(3))
    line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)
    line = line.replace(root, "ROOT")
    return (int(m.group(1)), line)


CONFIG = """
LogLevel info
ErrorLog syslog%(FAC)s
<Directory "@HTDOCS@/private">
    Require all denied
</Directory>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName other.example
    DocumentRoot "@HTDOCS@"
    ErrorLog syslog%(FAC)s
    LogLevel warn
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName third.example
    DocumentRoot "@HTDOCS@"
</VirtualHost>
"""

FILES = {"htdocs/index.html": "hi\n", "htdocs/private/x.html": "no\n"}

REQUESTS = [
    ("GET /missing", "other.example"),       # AH00128 at info: not logged
    ("GET /private/x.html", "other.example"),  # AH01630 at error
    ("GET /missing", "third.example"),       # main server's: info
    ("GET /private/x.html", "third.example"),
]


def _lines(server_class, fac):
    with Syslogd() as d:
        with server_class(CONFIG % {"FAC": fac}, files=FILES) as s:
            for q, host in REQUESTS:
                method, path = q.split(" ", 1)
                get(s.port, path, method=method, headers={"Host": host})
        got = d.drain()
    return [x for x in (_normal(m, s.root) for m in got) if x is not None]


@test
def request_lines_go_to_syslog_as_apache2_sends_them():
    ours = _lines(Server, ":local3")
    check(ours, "some lines came through syslog")
    # local3 is facility 19: <PRI> = 19*8 + level
    for pri, line in ours:
        eq(pri >> 3, 19, "facility of %r" % line)
    check(all(not line.startswith("[2") and not line.startswith("[Mon")
              and line.startswith("[") for _, line in ours),
          "no date of our own: %r" % ours)
    if have_apache():
        theirs = _lines(Apache, ":local3")
        eq(ours, theirs, "syslog lines")


@test
def plain_syslog_means_local7():
    ours = _lines(Server, "")
    check(ours and all(pri >> 3 == 23 for pri, _ in ours), repr(ours))


@test
def unknown_facility_stops_the_start():
    code, err = httpd_t("ErrorLog syslog:nosuch\n")
    eq(code, 0, "-t does not open logs (as apache2)\n" + err)
    with Syslogd():
        s = Server("ErrorLog syslog:nosuch\n", wait=False)
        try:
            s.start()
            rc = s.wait_exit()
            check(rc not in (0, None), "exit code %r" % rc)
            out = s.stderr()
            check("AH10036: httpd: could not open syslog error log nosuch."
                  in out, out)
            check("AH00015: Unable to open logs" in out, out)
        finally:
            s.stop(check=False)
            s.cleanup()


if __name__ == "__main__":
    run()
