"""mod_status (SetHandler server-status) against apache2 2.4.71 with
Debian's mod_status, on every MPM this build has.

What is compared (values differ between two servers; shapes must not):
  - `-t` verdicts: Debian's stock status.load + status.conf, ExtendedStatus
    and SeeRequestTail with their context and flag messages;
  - ?auto: the exact key set and order, per MPM and ExtendedStatus On/Off;
  - the HTML page: its skeleton (tags and fixed text, numbers masked), with
    the per-worker rows and the event MPM's process rows left out;
  - the scoreboard's length (ServerLimit x ThreadsPerChild shown slots);
  - after the same requests, the busy/idle counts and K states of idle
    keep-alive connections (prefork, worker), and Total Accesses growing by
    exactly the requests made.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

LOAD = "LoadModule status_module /usr/lib/apache2/modules/mod_status.so\n"
STATUS = LOAD + """<Location /server-status>
SetHandler server-status
Require local
</Location>
"""


def auto(port, query="?auto"):
    r = get(port, "/server-status" + query)
    eq(r.status, 200, "status of /server-status" + query)
    eq(r.header("Content-Type"), "text/plain; charset=ISO-8859-1",
       "Content-Type")
    lines = r.text.rstrip("\n").split("\n")
    fields = {}
    keys = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        keys.append(k)
        fields[k] = v.strip()
    return lines[0], keys, fields


def skeleton(text):
    """The page with numbers, times, names and per-row tables masked."""
    text = re.sub(r"Apache/2\.4\.71 \(Debian\)|httpd-ng/[\d.]+ \(Unix\)",
                  "VERSION", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:]+", "BUILT", text)
    text = re.sub(r"\w+day, \d+-\w+-\d{4} [\d:]+ \w+", "TIME", text)
    text = re.sub(r"<address>.*</address>", "SIGNATURE", text)
    # per-worker and per-process rows: their number depends on scheduling
    text = re.sub(r"<tr><td><b>\d+-\d+</b>.*?</tr>\n\n", "", text, flags=re.S)
    text = re.sub(r"<b>Server \d+-\d+</b>.*?<br />\n\n", "", text, flags=re.S)
    text = re.sub(r"<tr><td>\d+</td><td>\d+</td>.*?</tr>\n", "", text)
    text = re.sub(r"<pre>[_SRWKDCLGI.\n]*</pre>", "<pre>SCOREBOARD</pre>", text)
    text = re.sub(r"PID Key: <br />\n<pre>\n.*?</pre>", "PID KEY", text,
                  flags=re.S)
    text = re.sub(r"\d[\d.]*(e[+-]\d+)?|\.\d+(e[+-]\d+)?", "N", text)
    text = re.sub(r"N (B|kB|MB|GB)", "N UNIT", text)
    text = re.sub(r"(Server uptime:)[^<]*", r"\1 UPTIME", text)
    # the rate line's parts appear as uptime and counts allow
    text = re.sub(r"<dt>(N requests/sec - N UNIT/second)?( - )?"
                  r"(N UNIT/request - N ms/request)?</dt>", "<dt>RATES</dt>",
                  text)
    text = re.sub(r"(CPU Usage: uN sN cuN csN)( - N% CPU load)?", r"\1", text)
    return text


def page(port, query=""):
    r = get(port, "/server-status" + query)
    eq(r.status, 200, "status of /server-status" + query)
    return r


def both(config, fn, mpm):
    """fn(server) for httpd-ng and, where installed, apache2."""
    out = {"ng": None, "apache": None}
    with Server(config, mpm=mpm) as s:
        out["ng"] = fn(s)
    if have_apache():
        with Apache(config, mpm=mpm) as s:
            out["apache"] = fn(s)
    return out["ng"], out["apache"]


# ---------------------------------------------------------------- -t


@test
def debian_stock_configuration_is_accepted():
    conf = ("Include /etc/apache2/mods-available/status.load\n"
            "Include /etc/apache2/mods-available/status.conf\n")
    if not os.path.exists("/etc/apache2/mods-available/status.conf"):
        skip("Debian's status.conf is not installed")
    got = httpd_t(conf)
    eq(got[0], 0, "httpd -t: %r" % (got,))
    check("Syntax OK" in got[1], got[1])
    if have_apache():
        eq(apache_t(conf)[0], 0, "apache2 -t")


@test
def directive_messages_as_apache():
    config_cases_agree([
        ("ExtendedStatus On\nExtendedStatus Off\nSeeRequestTail On\n", 0,
         "Syntax OK"),
        ("ExtendedStatus maybe\n", 1, "ExtendedStatus must be On or Off"),
        ("SeeRequestTail\n", 1, "SeeRequestTail must be On or Off"),
        ("<VirtualHost *:80>\nExtendedStatus On\n</VirtualHost>\n", 1,
         "ExtendedStatus cannot occur within <VirtualHost> section"),
        ("<VirtualHost *:80>\nSeeRequestTail On\n</VirtualHost>\n", 1,
         "SeeRequestTail cannot occur within <VirtualHost> section"),
        ("<Directory />\nExtendedStatus On\n</Directory>\n", 1,
         "ExtendedStatus not allowed in <Directory> context"),
        ("<Location /s>\nSetHandler server-status\n</Location>\n", 0,
         "Syntax OK"),
    ])


# ---------------------------------------------------------------- ?auto

AUTO_HEAD = ["ServerVersion", "ServerMPM", "Server Built", "CurrentTime",
             "RestartTime", "ParentServerConfigGeneration",
             "ParentServerMPMGeneration", "ServerUptimeSeconds",
             "ServerUptime", "Load1", "Load5", "Load15"]
AUTO_EXTENDED = ["Total Accesses", "Total kBytes", "Total Duration",
                 "CPUUser", "CPUSystem", "CPUChildrenUser",
                 "CPUChildrenSystem", "CPULoad", "Uptime", "ReqPerSec",
                 "BytesPerSec", "BytesPerReq", "DurationPerReq"]
AUTO_WORKERS = ["BusyWorkers", "GracefulWorkers", "IdleWorkers"]
AUTO_ASYNC = ["Processes", "Stopping", "ConnsTotal", "ConnsAsyncWaitIO",
              "ConnsAsyncWriting", "ConnsAsyncKeepAlive", "ConnsAsyncClosing"]


def expected_keys(mpm, extended, fields):
    keys = list(AUTO_HEAD)
    if extended:
        # CPULoad only with CPU time; rates only after a second
        keys += [k for k in AUTO_EXTENDED
                 if k != "CPULoad" or "CPULoad" in fields]
    keys += AUTO_WORKERS
    if mpm == "event":
        keys += AUTO_ASYNC
    return keys + ["Scoreboard"]


@test
def auto_keys_and_order_as_apache():
    for mpm in mpms():
        for ext in ("", "ExtendedStatus Off\n"):
            def fetch(s):
                start = time.time()
                get(s.port, "/")
                # rates and uptime lines need a second of uptime
                wait_for(lambda: time.time() - start > 1.1, what="uptime")
                return auto(s.port)
            ours, theirs = both(STATUS + ext, fetch, mpm)
            name, keys, fields = ours
            eq(name, "localhost", "first line")
            eq(keys, expected_keys(mpm, not ext, fields),
               "%s %r keys" % (mpm, ext))
            eq(fields["ServerMPM"], mpm, "ServerMPM")
            if theirs is not None:
                theirs_keys = [k for k in theirs[1]
                               if k != "CPULoad" or "CPULoad" in fields]
                ours_keys = [k for k in keys
                             if k != "CPULoad" or "CPULoad" in theirs[2]]
                eq(ours_keys, theirs_keys, "%s %r keys vs apache2" % (mpm, ext))
                eq(len(fields["Scoreboard"]), len(theirs[2]["Scoreboard"]),
                   "%s scoreboard length vs apache2" % mpm)


@test
def accesses_count_the_requests_made():
    for mpm in mpms():
        with Server(STATUS, mpm=mpm, files={"htdocs/a.txt": "x" * 3000}) as s:
            _, _, before = auto(s.port)
            for _ in range(5):
                eq(get(s.port, "/a.txt").status, 200, "a.txt")
            eq(get(s.port, "/missing").status, 404, "missing")
            # a worker counts a request once its answer is out, so the last
            # one may show a moment later; every report counts the ones
            # before it (the first, the six, and the earlier polls)
            deadline = time.monotonic() + IO_TIMEOUT
            polls = 0
            while True:
                _, _, after = auto(s.port)
                grown = int(after["Total Accesses"]) - \
                    int(before["Total Accesses"])
                want = 7 + polls
                check(grown <= want, "%s: %d accesses counted, %d made"
                      % (mpm, grown, want))
                if grown == want or time.monotonic() > deadline:
                    break
                polls += 1
                time.sleep(0.05)
            eq(grown, want, "%s: accesses between two reports" % mpm)
            check(int(after["Total kBytes"]) >= 15,
                  "%s: 5 x 3000 bytes: %r" % (mpm, after["Total kBytes"]))
            check(int(after["BusyWorkers"]) >= 1,
                  "%s: the status request is busy" % mpm)
            check("W" in after["Scoreboard"], "%s: its W" % mpm)


@test
def idle_keepalive_connections_as_apache():
    """Two idle keep-alive connections: 'K' twice for prefork and worker
    (as apache2's scoreboard shows them), event counts them as async."""
    def fetch(s, busy):
        conns = [Conn(s.port) for _ in range(2)]
        try:
            for c in conns:
                c.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
                c.response()
            deadline = time.monotonic() + IO_TIMEOUT
            # the K is written just after the answer, and the worker that
            # answered the previous poll may not be idle yet under load
            while True:
                fields = auto(s.port)[2]
                if ((fields["Scoreboard"].count("K") == 2 or
                        fields.get("ConnsAsyncKeepAlive") == "2") and
                        fields["BusyWorkers"] == busy or
                        time.monotonic() > deadline):
                    return fields
                time.sleep(0.05)
        finally:
            for c in conns:
                c.close()
    for mpm in mpms():
        busy = "1" if mpm == "event" else "3"
        ours, theirs = both(STATUS, lambda s: fetch(s, busy), mpm)
        if mpm == "event":
            eq(ours["ConnsAsyncKeepAlive"], "2", "keep-alive connections")
            eq(ours["ConnsTotal"], "3", "with the status request's")
            eq(ours["BusyWorkers"], "1", "busy workers")
            continue
        eq(ours["Scoreboard"].count("K"), 2, "%s: K states" % mpm)
        eq(ours["BusyWorkers"], "3", "%s: busy workers" % mpm)
        if theirs is not None:
            # (idle workers depend on how many children have started,
            # accesses on how many polls it took)
            eq(ours["BusyWorkers"], theirs["BusyWorkers"],
               "%s: BusyWorkers vs apache2" % mpm)
            for state in "KW":
                eq(ours["Scoreboard"].count(state),
                   theirs["Scoreboard"].count(state),
                   "%s: %s states vs apache2" % (mpm, state))


# ---------------------------------------------------------------- HTML


@test
def html_page_as_apache():
    for mpm in mpms():
        for ext in ("", "ExtendedStatus Off\n"):
            for query in ("", "?notable"):
                def fetch(s):
                    get(s.port, "/")
                    return page(s.port, query)
                ours, theirs = both(STATUS + ext, fetch, mpm)
                eq(ours.header("Content-Type"), "text/html; charset=ISO-8859-1",
                   "Content-Type")
                body = ours.text
                check("<h1>Apache Server Status for localhost (via 127.0.0.1)"
                      "</h1>" in body, body[:400])
                check("<dt>Server MPM: %s</dt>" % mpm in body, "Server MPM")
                check("workers gracefully restarting, " in body, "counts")
                check(("ExtendedStatus On</code> directive" in body) == bool(ext),
                      "the ExtendedStatus hint")
                if theirs is not None:
                    eq(skeleton(body), skeleton(theirs.text),
                       "%s %r %r: the page's skeleton" % (mpm, ext, query))


@test
def the_status_request_is_in_the_table():
    with Server(STATUS) as s:
        body = page(s.port, "?x=%22%3C").text
        check(re.search(r"<td><b>W</b>\n</td>.*<td nowrap>GET "
                        r"/server-status\?x=%22%3C HTTP/1\.1</td></tr>",
                        body, re.S), body[-2500:])
        check("<td>127.0.0.1</td><td>http/1.1</td><td nowrap>localhost:%d"
              "</td>" % s.port in body, "client, protocol, vhost")


ROW = re.compile(r"<tr><td><b>(\d+)-\d+</b></td><td>([\d-]+)</td>"
                 r"<td>(\d+)/(\d+)/(\d+)</td><td>(.*?)\n</td><td>([\d.]+)</td>"
                 r".*?<td>([^<]*)</td><td>([^<]*)</td><td nowrap>([^<]*)</td>"
                 r"<td nowrap>([^<]*)</td></tr>", re.S)


def rows(port):
    """The per-worker rows: (slot, pid, conn, child, slot accesses, mode,
    cpu, client, protocol, vhost, request)."""
    return ROW.findall(page(port).text)


DEFLATE = ("LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n"
           "LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so\n")


@test
def cpu_column_is_the_last_request_s():
    """The CPU column is the process's times(2) as the worker's last
    request ended (apache2 records them in ap_increment_counts): a worker
    that has answered nothing shows 0.00 whatever its process used, the
    one that compressed 3 MB shows its process's time.  (The old way,
    the process's time now on every row, fails the first.)"""
    big = "".join(chr(97 + (i * 7919) % 26) + (" " if i % 9 == 0 else "")
                  for i in range(3000000))
    conf = STATUS + "AddOutputFilterByType DEFLATE text/plain\n"

    def fetch(s):
        with open(os.path.join(s.htdocs, "big.txt"), "w") as f:
            f.write(big)
        # three answers, so the process's time is well above one tick
        # whichever worker took them
        for _ in range(3):
            r = get(s.port, "/big.txt", headers={"Accept-Encoding": "gzip"})
            eq(r.header("Content-Encoding"), "gzip", "compressed")
        # a worker records its counts just after its answer is out: poll
        # (bounded) until one that answered shows them
        deadline = time.monotonic() + IO_TIMEOUT
        while True:
            rs = rows(s.port)
            if (any(r[4] != "0" and float(r[6]) >= 0.02 for r in rs) or
                    time.monotonic() > deadline):
                return rs
            time.sleep(0.05)
    for mpm in [m for m in ("event", "worker") if m in mpms()]:
        with Server(conf, mpm=mpm) as s:
            got = [("ng", fetch(s))]
        if have_apache():
            with Apache(DEFLATE + conf, mpm=mpm) as s:
                got.append(("apache2", fetch(s)))
        for who, rs in got:
            # (whether one shows depends on which threads took the work)
            idle = [r for r in rs if r[4] == "0" and r[1] != "-"]
            for r in idle:
                eq(r[6], "0.00", "%s %s: CPU of worker %s (%s)"
                   % (who, mpm, r[0], r[5]))
            # (its row may show the status request by now)
            check(any(float(r[6]) >= 0.02 for r in rs if r[4] != "0"),
                  "%s %s: the compressing worker's CPU: %r"
                  % (who, mpm, [r for r in rs if r[4] != "0"]))


@test
def a_new_connection_shows_its_client_and_no_request():
    """Reading a new connection's first request ('R'): as apache2 (its
    update_child_status_from_conn), the client and the protocol, an empty
    request and vhost, not the worker's previous request."""
    def fetch(s):
        get(s.port, "/")
        with Conn(s.port) as c:
            c.send(b"GET / HT")  # a head that never ends
            deadline = time.monotonic() + IO_TIMEOUT
            while True:
                rs = [r for r in rows(s.port) if r[5] == "<b>R</b>"]
                if rs or time.monotonic() > deadline:
                    return rs
                time.sleep(0.05)
    if "prefork" not in mpms():
        skip("no prefork MPM")
    ours, theirs = both(STATUS, fetch, "prefork")
    for who, rs in (("ng", ours), ("apache2", theirs)):
        if rs is None:
            continue
        # (apache2 may also show a child's R before it accepted: empty)
        check(("127.0.0.1", "http/1.1", "", "") in [r[7:] for r in rs],
              "%s: the R row's client, protocol, vhost, request: %r"
              % (who, rs))
        eq([r[10] for r in rs], [""] * len(rs), "%s: R rows' requests" % who)


@test
def retiring_process_threads_show_G():
    """An event child that finishes gracefully (here: a graceful restart
    while it still reads a request) shows its threads as 'G', as
    apache2's do (so do worker children retired as idle)."""
    def fetch(s):
        with Conn(s.port) as c:
            c.send(b"GET / HTTP/1.1\r\nHost: x\r\n")  # no end
            wait_for(lambda: "R" in auto(s.port)[2]["Scoreboard"] or
                     auto(s.port)[2].get("ConnsTotal") == "2",
                     what="the unfinished request")
            s.graceful()
            deadline = time.monotonic() + IO_TIMEOUT
            while True:
                try:
                    sb = auto(s.port)[2]["Scoreboard"]
                except (OSError, AssertionError):
                    sb = ""
                if "G" in sb or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            # the restart done before the test stops the server
            s.wait_log(r"(?s)resuming normal operations.*"
                       r"resuming normal operations")
            return sb
    # (apache2's worker MPM shows its exiting threads as '.' then)
    for mpm in [m for m in ("event",) if m in mpms()]:
        ours, theirs = both(STATUS, fetch, mpm)
        check("G" in ours, "%s: no G in %r" % (mpm, ours))
        if theirs is not None:
            check("G" in theirs, "%s: apache2: no G in %r" % (mpm, theirs))


@test
def see_request_tail():
    # the status request itself is in the table, with its long line
    query = "?" + "a" * 80 + "end"
    for tail, want in (("", "GET /server-status?" + "a" * 44),
                       ("SeeRequestTail On\n", "a" * 51 + "end HTTP/1.1")):
        with Server(STATUS + tail) as s:
            body = page(s.port, query).text
            check("<td nowrap>%s</td></tr>" % want in body,
                  "%r: %r" % (tail, want))


@test
def refresh_header_as_apache():
    cases = [("?refresh=5", "5"), ("?refresh", "10"), ("?refresh=0", "10"),
             ("?auto&refresh=3", "3"), ("?refresh=x", "10")]
    for query, want in cases:
        def fetch(s):
            return page(s.port, query).header("Refresh")
        ours, theirs = both(STATUS, fetch, DEFAULT_MPM)
        eq(ours, want, "Refresh for %s" % query)
        if theirs is not None:
            eq(ours, theirs, "Refresh for %s vs apache2" % query)


@test
def extended_status_defaults():
    """Without ExtendedStatus, On when LoadModule names the module (as
    apache2 loading mod_status), Off when it is only compiled in."""
    conf = STATUS.replace(LOAD, "")
    with Server(conf) as s:
        _, keys, _ = auto(s.port)
        check("Total Accesses" not in keys, "no LoadModule: Off")
    with Server(conf + "ExtendedStatus On\n") as s:
        _, keys, _ = auto(s.port)
        check("Total Accesses" in keys, "ExtendedStatus On")
    with Server(STATUS) as s:
        _, keys, _ = auto(s.port)
        check("Total Accesses" in keys, "LoadModule: On")


@test
def generations_after_graceful_restart():
    """A graceful restart: config generation 2, MPM generation 1 (what
    apache2's children of the new generation report), a new restart time."""
    for mpm in mpms():
        with Server(STATUS, mpm=mpm) as s:
            _, _, first = auto(s.port)
            eq(first["ParentServerConfigGeneration"], "1", "first run")
            eq(first["ParentServerMPMGeneration"], "0", "first run")
            s.graceful()
            fields = wait_for(
                lambda: (lambda f: f if f["ParentServerMPMGeneration"] == "1"
                         else None)(auto(s.port)[2]),
                what="a child of the new generation")
            eq(fields["ParentServerConfigGeneration"], "2", mpm)


@test
def one_process_mode():
    """-X: one process, shown in slot 0, serving its own status request."""
    for mpm in mpms():
        with Server(STATUS, mpm=mpm, one_process=True) as s:
            _, _, fields = auto(s.port)
            eq(fields["ServerMPM"], mpm, "ServerMPM")
            eq(fields["ParentServerConfigGeneration"], "1", mpm)
            eq(fields["BusyWorkers"], "1", "%s: the status request" % mpm)
            eq(fields["Scoreboard"].count("W"), 1, "%s: %r"
               % (mpm, fields["Scoreboard"]))


@test
def post_is_not_the_status_page():
    with Server(STATUS) as s:
        r = get(s.port, "/server-status", method="POST", body=b"x")
        check("Apache Server Status" not in r.text, "POST declined")


if __name__ == "__main__":
    run()
