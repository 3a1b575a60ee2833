"""test_server_control.py -- starting, signalling and stopping the server:
-k start|stop|restart|graceful|graceful-stop through the pid file with
Apache's messages, startup failures (busy port, missing log directory),
Apache-shaped life-cycle lines in the error log, and reloads: a broken
configuration keeps the old generation serving, a fixed one takes effect."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

NOTICES = {  # (configured, SIGTERM) as Apache numbers them per MPM
    "prefork": ("AH00163", "AH00169"),
    "worker": ("AH00292", "AH00295"),
    "event": ("AH00489", "AH00491"),
}


def mpm_line(mpm):
    if mpm == STATIC_MPM:
        return "# the %s MPM is linked in\n" % mpm
    return "LoadModule mpm_%s_module %s\n" % (
        mpm, os.path.join(BUILDDIR, "modules", "mod_mpm_%s.so" % mpm))


class Root:
    """A ServerRoot for driving httpd by hand (-k ...)."""

    def __init__(self, extra="", mpm=None, port=None):
        if not os.access(HTTPD, os.X_OK):
            skip("%s not built" % HTTPD)
        self.mpm = mpm or DEFAULT_MPM
        self.root = tempfile.mkdtemp(prefix="httpd-ctl-")
        for d in ("logs", "htdocs"):
            os.mkdir(os.path.join(self.root, d))
        with open(os.path.join(self.root, "htdocs", "index.html"), "w") as f:
            f.write("hello\n")
        self.port = port or free_port()
        self.conf = os.path.join(self.root, "httpd.conf")
        self.pidfile = os.path.join(self.root, "logs", "httpd.pid")
        self.write(extra)

    def base(self):
        return (mpm_line(self.mpm) +
                "Listen 127.0.0.1:%d\nServerName localhost\n" % self.port +
                'DocumentRoot "%s/htdocs"\n' % self.root +
                'ErrorLog "%s/logs/error_log"\n' % self.root +
                'PidFile "%s"\n' % self.pidfile)

    def write(self, extra="", base=True):
        with open(self.conf, "w") as f:
            f.write((self.base() if base else "") + extra.replace("@ROOT@", self.root))

    def httpd(self, *args, timeout=60):
        p = subprocess.run([HTTPD, "-d", self.root, "-f", self.conf] + list(args),
                           cwd=self.root, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, start_new_session=True)
        return (p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))

    def pid(self):
        try:
            with open(self.pidfile) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    def error_log(self):
        try:
            with open(os.path.join(self.root, "logs", "error_log")) as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        """Make sure nothing this root started survives the test."""
        pid = self.pid()
        if pid and alive(pid):
            for p in session_members(pid):
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rfind(")") + 2:].split()[0] != "Z"


def session_members(sid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rfind(")") + 2:].split()
        if fields[0] != "Z" and int(fields[3]) == sid:
            out.append(int(d))
    return out


def accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        return True
    except OSError:
        return False


_pipeline_state = []


def need_pipeline():
    if not _pipeline_state:
        with Root() as r:
            rc, out, err = r.httpd("-t")
        _pipeline_state.append("not written yet" not in err)
    if not _pipeline_state[0]:
        skip("conf_load() (core/resolve.c) is not written yet")


def start_daemon(r):
    """httpd -k start; skips while the MPM cannot run yet."""
    need_serving(r.mpm)
    rc, out, err = r.httpd("-k", "start")
    eq((rc, out), (0, ""), "-k start (stderr: %s, log: %s)" % (err, r.error_log()[-800:]))
    pid = r.pid()
    check(pid > 0 and alive(pid), "pid file names a live process")
    wait_for(lambda: accepts(r.port), what="port %d to accept" % r.port)
    return pid


def stop_daemon(r, pid):
    rc, out, err = r.httpd("-k", "stop")
    eq((rc, out, err), (0, "", ""), "-k stop")
    wait_for(lambda: not alive(pid), what="the server to exit")
    wait_for(lambda: not session_members(pid), what="every child to exit")
    check(not os.path.exists(r.pidfile), "pid file removed on stop")

# ---------------------------------------------------------------- -k


@test
def stop_without_pid_file_like_apache():
    need_pipeline()
    with Root() as r:
        eq(r.httpd("-k", "stop"), (0, "httpd (no pid file) not running\n", ""), "-k stop")
        eq(r.httpd("-k", "graceful-stop"), (0, "httpd (no pid file) not running\n", ""),
           "-k graceful-stop")


@test
def stop_with_stale_pid_file_like_apache():
    need_pipeline()
    with Root() as r:
        p = subprocess.Popen(["true"])
        p.wait()
        with open(r.pidfile, "w") as f:
            f.write("%d\n" % p.pid)
        eq(r.httpd("-k", "stop"), (0, "httpd (pid %d?) not running\n" % p.pid, ""),
           "-k stop with a stale pid")


@test
def start_signal_stop_through_pid_file():
    for mpm in need_serving():
        with Root(mpm=mpm) as r:
            pid = start_daemon(r)
            eq(r.httpd("-k", "start"), (0, "httpd (pid %d) already running\n" % pid, ""),
               "second -k start (%s)" % mpm)
            configured = NOTICES[mpm][0] + ": httpd-ng/"
            wait_for(lambda: r.error_log().count(configured) >= 1, what="AH notice")
            eq(r.httpd("-k", "graceful")[0], 0, "-k graceful")
            wait_for(lambda: r.error_log().count(configured) >= 2,
                     what="a second 'configured' line after -k graceful")
            eq(r.httpd("-k", "restart")[0], 0, "-k restart")
            wait_for(lambda: r.error_log().count(configured) >= 3,
                     what="a third 'configured' line after -k restart")
            eq(r.pid(), pid, "the parent survives restarts")
            check(accepts(r.port), "still listening after restarts")
            stop_daemon(r, pid)
            check(NOTICES[mpm][1] + ": caught SIGTERM, shutting down" in r.error_log(),
                  "shutdown notice in the error log:\n" + r.error_log())


@test
def graceful_stop_ends_the_server():
    need_serving(DEFAULT_MPM)
    with Root() as r:
        pid = start_daemon(r)
        eq(r.httpd("-k", "graceful-stop")[:2], (0, ""), "-k graceful-stop")
        wait_for(lambda: not alive(pid), what="the server to exit")
        wait_for(lambda: not session_members(pid), what="every child to exit")
        check("caught SIGWINCH, shutting down gracefully" in r.error_log(), "notice")


@test
def restart_when_not_running_starts():
    need_serving(DEFAULT_MPM)
    with Root() as r:
        rc, out, err = r.httpd("-k", "graceful")
        eq((rc, out), (0, "httpd not running, trying to start\n"), "-k graceful: " + err)
        pid = r.pid()
        wait_for(lambda: accepts(r.port), what="the server to listen")
        stop_daemon(r, pid)

# ---------------------------------------------------------------- startup failures


@test
def busy_port_like_apache():
    need_pipeline()
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        want = ("(98)Address already in use: AH00072: make_sock: could not bind to "
                "address 127.0.0.1:%d\nno listening sockets available, shutting down\n"
                "AH00015: Unable to open logs\n" % port)
        with Root(port=port) as r:
            rc, out, err = r.httpd("-D", "FOREGROUND")
            eq((rc, err), (1, want), "httpd on a busy port")
            check(not os.path.exists(r.pidfile), "no pid file written")
        if have_apache():
            root = tempfile.mkdtemp(prefix="httpd-ctl-ap-")
            try:
                conf = os.path.join(root, "httpd.conf")
                with open(conf, "w") as f:
                    f.write("LoadModule mpm_event_module modules/mod_mpm_event.so\n"
                            "Listen 127.0.0.1:%d\nServerName localhost\n"
                            "ErrorLog %s/error_log\nPidFile %s/httpd.pid\n"
                            "DefaultRuntimeDir %s\nMutex file:%s default\n"
                            % (port, root, root, root, root))
                p = subprocess.run([APACHE2, "-d", "/usr/lib/apache2", "-f", conf,
                                    "-DFOREGROUND"], capture_output=True, timeout=60)
                eq((p.returncode, p.stderr.decode()), (1, want), "apache2 on a busy port")
            finally:
                shutil.rmtree(root, ignore_errors=True)


@test
def missing_log_directory_names_it():
    need_pipeline()
    with Root() as r:
        r.write(r.base().replace('ErrorLog "%s/logs/error_log"' % r.root,
                                 'ErrorLog "%s/gone/error_log"' % r.root), base=False)
        rc, out, err = r.httpd("-D", "FOREGROUND")
        eq(rc, 1, "exit status")
        check("'%s/gone/' for main error log" % r.root in err,
              "the message names the directory: %r" % err)
        check(not accepts(r.port), "nothing left listening")

# ---------------------------------------------------------------- serving


_mpm_state = {}


def mpm_runs(mpm):
    """Can this MPM serve yet?  Start it once with -D FOREGROUND and see
    whether it listens or gives up with its placeholder message."""
    if mpm not in _mpm_state:
        with Root(mpm=mpm) as r:
            p = subprocess.Popen([HTTPD, "-d", r.root, "-f", r.conf, "-D", "FOREGROUND"],
                                 cwd=r.root, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
            try:
                wait_for(lambda: p.poll() is not None or accepts(r.port),
                         20,
                         "the %s MPM to listen or exit" % mpm)
            finally:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGTERM)
                    try:
                        p.wait(15)
                    except subprocess.TimeoutExpired:
                        os.killpg(p.pid, signal.SIGKILL)
                        p.wait()
            _mpm_state[mpm] = "not running yet" not in r.error_log()
    return _mpm_state[mpm]


def need_serving(mpm=None):
    """The MPMs that can serve (all of this build's, or just mpm); skips
    when none can yet."""
    need_pipeline()
    want = [mpm] if mpm else mpms()
    ok = [m for m in want if mpm_runs(m)]
    if not ok:
        skip("the %s MPM's run() is not written yet" % " and ".join(want))
    return ok


@test
def error_log_lines_in_apaches_shape():
    for mpm in need_serving():
        with Server("", mpm=mpm) as s:
            pat = (r"^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[mpm_%s:notice\] "
                   r"\[pid (\d+):tid \d+\] %s: httpd-ng/\S+ \(Unix\) configured -- "
                   r"resuming normal operations$" % (mpm, NOTICES[mpm][0]))
            m = s.wait_log(pat.replace("^", "(?m)^", 1))
            eq(int(m.group(1)), s.proc.pid, "the parent logs it")
            s.wait_log(r"(?m)\[core:notice\] \[pid \d+:tid \d+\] AH00094: Command line: "
                       r"'%s -d %s -f %s -D FOREGROUND'$" % (
                           re.escape(HTTPD), re.escape(s.root), re.escape(s.conf)))
            s.stop()
            check(re.search(r"\[mpm_%s:notice\] \[pid \d+:tid \d+\] %s: caught SIGTERM, "
                            r"shutting down" % (mpm, NOTICES[mpm][1]), s.error_log()),
                  "SIGTERM notice:\n" + s.error_log())


def get_status(port):
    try:
        return get(port, "/index.html").status
    except (OSError, AssertionError, ValueError):
        return None


def need_http(port):
    """Skip while the HTTP engine (core/http*.c) does not answer yet."""
    if get_status(port) is None:
        skip("the HTTP engine does not answer GET yet")


@test
def broken_reload_keeps_the_old_generation():
    for mpm in need_serving():
        files = {"htdocs/index.html": "hello\n"}
        with Server("", mpm=mpm, files=files) as s:
            # With the HTTP engine in place "serving" means GET 200; before
            # it lands, a listening socket is what can be checked.
            http = get_status(s.port) == 200
            serving = lambda port: accepts(port) and (not http or get_status(port) == 200)
            check(serving(s.port), "serving before the reload")
            good = s.config_text
            for sig, name in ((signal.SIGUSR1, "graceful"), (signal.SIGHUP, "restart")):
                before = s.error_log().count("configuration reload failed")
                s.write_config(good + "Timeout 10 20\nKeepAlive perhaps\n")
                s.signal(sig)
                wait_for(lambda: s.error_log().count("configuration reload failed") > before,
                         what="the failed %s to be logged" % name)
                check("Timeout takes one argument" in s.error_log() and
                      "KeepAlive must be On or Off" in s.error_log(),
                      "every reason is logged:\n" + s.error_log())
                check(s.running(), "the parent is still there after a broken %s" % name)
                wait_for(lambda: serving(s.port),
                         what="the old generation to serve after a broken %s" % name)
                s.write_config(good)
            # A fixed configuration with a second Listen takes effect.
            port2 = free_port()
            s.write_config(good + "Listen 127.0.0.1:%d\n" % port2)
            s.graceful()
            wait_for(lambda: serving(port2), what="the new Listen after a good reload")
            check(serving(s.port), "and the old port still serves")


@test
def one_process_mode_serves_and_stops():
    for mpm in need_serving():
        with Server("", mpm=mpm, one_process=True, files={"htdocs/index.html": "x\n"}) as s:
            check(s.proc.pid in [s.proc.pid] and accepts(s.port), "-X listens (%s)" % mpm)
            need_http(s.port)
            eq(get_status(s.port), 200, "-X answers (%s)" % mpm)


def proc_uid(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[2])   # effective uid
    except OSError:
        pass
    return None


def children_of(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            fields = st[st.rfind(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


@test
def children_switch_to_user_when_root():
    if os.geteuid() != 0:
        skip("needs root")
    import pwd
    nobody = pwd.getpwnam("nobody").pw_uid
    for mpm in need_serving():
        with Server("User nobody\nGroup nogroup\n", mpm=mpm,
                    files={"htdocs/index.html": "x\n"}) as s:
            for d, _, fs in os.walk(s.root):
                os.chmod(d, 0o755)
                for f in fs:
                    os.chmod(os.path.join(d, f), 0o644)
            eq(proc_uid(s.proc.pid), 0, "the parent keeps root (%s)" % mpm)
            # A child is root for the instant between fork() and its switch,
            # so poll until every child has switched (a child that stays
            # root fails at the deadline).
            def all_switched():
                kids = children_of(s.proc.pid)
                uids = [proc_uid(k) for k in kids]
                return kids and all(u in (nobody, None) for u in uids) and uids
            wait_for(all_switched, what="every child of %s to run as nobody: %s" % (
                mpm, [(k, proc_uid(k)) for k in children_of(s.proc.pid)]))


@test
def listens_on_ipv6_and_all_addresses():
    try:
        with socket.socket(socket.AF_INET6) as t:
            t.bind(("::1", 0))
    except OSError:
        skip("no IPv6 loopback")
    for mpm in need_serving():
        port6, portall = free_port(), free_port()
        conf = "Listen [::1]:%d\nListen %d\n" % (port6, portall)
        with Server(conf, mpm=mpm) as s:
            for fam, host, port in ((socket.AF_INET6, "::1", port6),
                                    (socket.AF_INET6, "::1", portall),
                                    (socket.AF_INET, "127.0.0.1", portall)):
                def ok():
                    try:
                        with socket.socket(fam) as c:
                            c.settimeout(2)
                            c.connect((host, port))
                        return True
                    except OSError:
                        return False
                wait_for(ok, what="%s port %d to accept (%s)" % (host, port, mpm))


@test
def piped_error_log():
    """As Apache: "|$command" runs through the shell, "|program" and
    "||program" run the program's words as they are."""
    mpm = need_serving()[0]
    for spec in ('"|$/bin/cat >> @LOGS@/piped_log"',
                 '"||/bin/sh -c \'cat >> @LOGS@/piped_log\'"'):
        with Server('ErrorLog %s\n' % spec, mpm=mpm) as s:
            s.wait_log(r"configured -- resuming normal operations",
                       name="piped_log")
            s.stop()
            wait_for(lambda: "caught SIGTERM, shutting down" in
                     s.log("piped_log"),
                     what="the shutdown notice through the pipe")


@test
def piped_error_log_not_found():
    """"|cat" is not looked up in PATH: apache2 refuses to start with
    AH00089 and AH00015 (recorded), and so do we: on stderr for the main
    server's log, in the main log (stderr by then) for a vhost's."""
    mpm = need_serving()[0]
    vhost = ('<VirtualHost *:@PORT@>\nErrorLog "|cat >> @LOGS@/x"\n'
             '</VirtualHost>\n')
    for config in ('ErrorLog "|cat >> @LOGS@/x"\n', vhost):
        s = Server(config, mpm=mpm, wait=False)
        s.start()
        try:
            eq(s.wait_exit(), 1, "exit code")
            want = ("(2)No such file or directory: AH00089: Couldn't start "
                    "ErrorLog process 'cat >> %s/x'.\nAH00015: Unable to "
                    "open logs\n" % s.logs)
            eq((s.stderr(), s.error_log()),
               ("", want) if config == vhost else (want, ""), "messages")
        finally:
            if s.running():
                s.stop()


if __name__ == "__main__":
    run()
