"""harness.py -- shared helpers for httpd-ng's integration tests (stdlib only).

Tests live beside this file as tests/integration/test_*.py and run with
cwd = BUILDDIR and the environment SRCDIR, BUILDDIR, STATIC_MPM, SHARED_MPMS
and DEFAULT_MPM (set by `make check`).  A test file looks like:

    import os, sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from harness import *

    @test
    def get_index():
        with Server("") as s:
            r = get(s.port, "/")
            eq(r.status, 200, "status")

    if __name__ == "__main__":
        run()

What is here:
  test, run, skip, eq, check   -- a tiny runner: `ok NAME`, `FAIL NAME: why`,
                                  `skip NAME: why`, last line `N passed, M failed`
  free_port()                  -- an unused TCP port on 127.0.0.1
  Server(config, ...)          -- BUILDDIR/httpd on a temp ServerRoot (context manager)
  Apache(config, ...)          -- Debian's /usr/sbin/apache2 the same way (the oracle)
  mpms()                       -- the MPMs this build can run
  Conn, exchange, pipeline, get, parse_response, Response -- raw HTTP
  httpd_t(config), apache_t(config) (run_t = httpd_t) -- `-t` runs: (exit code, stderr)

Config texts are templates: @ROOT@ (the temp ServerRoot), @PORT@, @HTDOCS@
and @LOGS@ are replaced.  No str.format, so `%{...}` and `${VAR}` are safe.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SRCDIR = os.environ.get("SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILDDIR = os.path.abspath(os.environ.get("BUILDDIR") or os.getcwd())
STATIC_MPM = os.environ.get("STATIC_MPM", "").strip()
SHARED_MPMS = os.environ.get("SHARED_MPMS", "").split()
DEFAULT_MPM = os.environ.get("DEFAULT_MPM", "").strip() or STATIC_MPM or "event"
HTTPD = os.path.join(BUILDDIR, "httpd")
APACHE2 = "/usr/sbin/apache2"
APACHE_ROOT = "/usr/lib/apache2"

# Timeouts in seconds; sanitizer builds are slow, so be generous.  These are
# deadlines for polling, never sleeps.
START_TIMEOUT = float(os.environ.get("HARNESS_START_TIMEOUT", "20"))
STOP_TIMEOUT = float(os.environ.get("HARNESS_STOP_TIMEOUT", "15"))
IO_TIMEOUT = float(os.environ.get("HARNESS_IO_TIMEOUT", "10"))
POLL = 0.02
# With base=True the preamble is padded with comment lines to this many
# lines for httpd and apache2 alike, so the caller's config starts on line
# BASE_LINES + 1 in both and their messages can be compared verbatim.
BASE_LINES = 32

__all__ = [
    "SRCDIR", "BUILDDIR", "STATIC_MPM", "SHARED_MPMS", "DEFAULT_MPM", "HTTPD",
    "APACHE2", "Skip", "skip", "test", "run", "eq", "check", "free_port",
    "mpms", "have_apache", "Server", "Apache", "Response", "Conn",
    "parse_response", "exchange", "pipeline", "get", "wait_for",
    "httpd_t", "apache_t", "run_t", "config_cases_agree", "apache_preamble",
    "IO_TIMEOUT", "BASE_LINES", "BANNERS", "describe_response",
    "set_mtimes", "FIXED_MTIME", "fetch_summaries", "agree_with_apache",
]

# ---------------------------------------------------------------- runner


class Skip(Exception):
    """Raised by skip(); the test counts as neither passed nor failed."""


def skip(reason):
    raise Skip(reason)


_tests = []


def test(fn):
    """Decorator: register fn as a test, run in definition order by run()."""
    _tests.append(fn)
    return fn


def eq(got, want, what="value"):
    """Assert got == want with a message that shows both."""
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def check(cond, what="condition"):
    if not cond:
        raise AssertionError(what)


def _why(exc):
    tb = traceback.extract_tb(exc.__traceback__)
    here = os.path.abspath(__file__)
    stdlib = os.path.dirname(os.__file__)
    where = ""
    for fr in reversed(tb):           # innermost frame in a test file
        fn = os.path.abspath(fr.filename)
        if fn != here and not fn.startswith(stdlib):
            where = " [%s:%d]" % (os.path.basename(fr.filename), fr.lineno)
            break
    msg = str(exc) or exc.__class__.__name__
    if not isinstance(exc, AssertionError):
        msg = "%s: %s" % (exc.__class__.__name__, msg)
    return msg.replace("\n", "\n    ") + where


def run(tests=None):
    """Run the tests (default: every @test), print one line each and the
    summary `N passed, M failed`, and exit 1 if any failed.  Command-line
    arguments, if any, select tests whose name contains one of them."""
    tests = list(_tests if tests is None else tests)
    pick = sys.argv[1:]
    if pick:
        tests = [t for t in tests if any(p in t.__name__ for p in pick)]
    passed = failed = 0
    for t in tests:
        name = t.__name__
        try:
            t()
        except Skip as e:
            print("skip %s: %s" % (name, e))
        except BaseException as e:  # noqa: B902 -- report everything
            if isinstance(e, KeyboardInterrupt):
                raise
            failed += 1
            print("FAIL %s: %s" % (name, _why(e)))
        else:
            passed += 1
            print("ok %s" % name)
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    sys.stdout.flush()
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------- utilities


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout=IO_TIMEOUT, what="condition"):
    """Poll pred() until it returns a true value (returned) or the deadline
    passes (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s"
                                 % (timeout, what))
        time.sleep(POLL)


def mpms():
    """The MPMs this build can run: the static one and the shared ones."""
    out = []
    for m in [STATIC_MPM] + SHARED_MPMS:
        if m and m not in out:
            out.append(m)
    return out


def have_apache():
    return os.access(APACHE2, os.X_OK)


def _subst(text, root, port):
    return (text.replace("@ROOT@", root)
                .replace("@HTDOCS@", os.path.join(root, "htdocs"))
                .replace("@LOGS@", os.path.join(root, "logs"))
                .replace("@PORT@", str(port)))


def _pad(pre):
    """Pad a preamble with comment lines to BASE_LINES lines."""
    n = pre.count("\n")
    if n < BASE_LINES:
        pre += "# (harness preamble)\n" * (BASE_LINES - n)
    return pre


def _make_root(files):
    root = tempfile.mkdtemp(prefix="httpd-it-")
    for d in ("conf", "htdocs", "logs"):
        os.mkdir(os.path.join(root, d))
    types = os.path.join(SRCDIR, "conf", "mime.types")
    if os.path.exists(types):
        shutil.copy(types, os.path.join(root, "conf", "mime.types"))
    for rel, data in (files or {}).items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        with open(path, "wb") as f:
            f.write(data)
    return root


def _pgrp_members(pgid):
    """Live (non-zombie) processes in process group pgid."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rfind(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(pid))
    return out


_SANITIZER = re.compile(r"ERROR: AddressSanitizer|runtime error:|"
                        r"ERROR: LeakSanitizer|WARNING: ThreadSanitizer")

# ---------------------------------------------------------------- servers


class Server:
    """httpd-ng on a temporary ServerRoot (ROOT/conf, ROOT/htdocs, ROOT/logs).

    config   -- directives (a template, see the module doc).  Unless
                base=False, this preamble comes first: Listen 127.0.0.1:PORT,
                ServerName localhost, DocumentRoot ROOT/htdocs, ErrorLog
                ROOT/logs/error_log, PidFile ROOT/logs/httpd.pid, and the
                LoadModule line for the MPM when it is shared.
    mpm      -- "prefork", "worker", "event" or None (the build's default);
                skips the test if this build does not have it.
    files    -- {relative path: str|bytes} written under ROOT first.
    one_process -- run with -X instead of -D FOREGROUND.
    args     -- extra command-line arguments (e.g. ["-D", "NAME"]).
    port     -- fixed port; default free_port().

    Use as a context manager; the server is stopped (SIGTERM, then SIGKILL
    after STOP_TIMEOUT) on exit, and it is an error if any process of its
    process group is left, or if a sanitizer reported an error on stderr.
    """

    binary = None         # None: harness.HTTPD, looked up at start
    conf_name = "httpd.conf"

    def __init__(self, config="", mpm=None, files=None, one_process=False,
                 args=(), port=None, base=True, env=None, wait=True):
        self.mpm = mpm or DEFAULT_MPM
        self._check_available()          # may skip: before making files
        self.root = _make_root(files)
        self.port = port or free_port()
        self.fixed_port = port is not None
        self.htdocs = os.path.join(self.root, "htdocs")
        self.logs = os.path.join(self.root, "logs")
        self.conf = os.path.join(self.root, self.conf_name)
        self.config_text = config
        self.base = base
        self.one_process = one_process
        self.args = list(args)
        self.env = env
        self.wait = wait
        self.proc = None
        self.returncode = None
        self._errfile = None

    # -- hooks that Apache overrides
    def _check_available(self):
        self.binary = self.binary or HTTPD
        if not os.access(self.binary, os.X_OK):
            skip("%s not built" % self.binary)
        if self.mpm not in mpms():
            skip("MPM %s not in this build (have: %s)"
                 % (self.mpm, " ".join(mpms()) or "none"))

    def preamble(self):
        lines = ["Listen 127.0.0.1:@PORT@",
                 "ServerName localhost",
                 'DocumentRoot "@HTDOCS@"',
                 'ErrorLog "@LOGS@/error_log"',
                 'PidFile "@LOGS@/httpd.pid"']
        if self.mpm != STATIC_MPM:
            lines.insert(0, "LoadModule mpm_%s_module %s" % (
                self.mpm, os.path.join(BUILDDIR, "modules",
                                       "mod_mpm_%s.so" % self.mpm)))
        return "\n".join(lines) + "\n"

    def command(self):
        cmd = [self.binary, "-d", self.root, "-f", self.conf]
        cmd += ["-X"] if self.one_process else ["-D", "FOREGROUND"]
        return cmd + self.args

    # -- life cycle
    def write_config(self, config=None):
        """(Re)write the config file; use before reload()/graceful()."""
        if config is not None:
            self.config_text = config
        text = (_pad(self.preamble()) if self.base else "") + self.config_text
        with open(self.conf, "w") as f:
            f.write(_subst(text, self.root, self.port))

    def start(self):
        for attempt in range(3):
            self.write_config()
            self._spawn()
            if not self.wait:
                return self
            try:
                self._wait_listening()
                return self
            except AssertionError:
                busy = "Address already in use" in self.stderr() + \
                    self.error_log()
                if busy and not self.fixed_port and attempt < 2:
                    self._reap()
                    self.port = free_port()
                    continue
                self.stop(check=False)
                raise
        return self

    def _spawn(self):
        self._errfile = open(os.path.join(self.root, "stderr.txt"), "wb")
        env = dict(os.environ)
        env.update(self.env or {})
        self.proc = subprocess.Popen(
            self.command(), cwd=self.root, stdin=subprocess.DEVNULL,
            stdout=self._errfile, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        self.returncode = None

    def _wait_listening(self):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError(
                    "server exited with %d before listening on %d\n%s"
                    % (rc, self.port, self.diagnostics()))
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server not listening on %d after %.0fs\n%s"
                                     % (self.port, START_TIMEOUT,
                                        self.diagnostics()))
            time.sleep(POLL)

    def signal(self, sig):
        """Send sig to the parent process."""
        self.proc.send_signal(sig)

    def graceful(self):
        self.signal(signal.SIGUSR1)

    def restart(self):
        self.signal(signal.SIGHUP)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, timeout=STOP_TIMEOUT):
        """Wait for the parent to exit on its own; returns the exit code."""
        wait_for(lambda: self.proc.poll() is not None, timeout, "server exit")
        self.returncode = self.proc.returncode
        return self.returncode

    def _reap(self):
        """Kill whatever is left of the process group, wait for the parent."""
        if self.proc is None:
            return []
        pgid = self.proc.pid
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        left = []
        deadline = time.monotonic() + STOP_TIMEOUT
        while True:
            left = _pgrp_members(pgid)
            if not left or time.monotonic() > deadline:
                break
            time.sleep(POLL)
        if left or self.proc.poll() is None:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.returncode = self.proc.returncode
        if self._errfile:
            self._errfile.close()
            self._errfile = None
        return left

    def stop(self, check=True):
        """SIGTERM, wait, SIGKILL after STOP_TIMEOUT.  With check, raise if
        the parent had to be killed, a process was left behind, or a
        sanitizer complained."""
        if self.proc is None:
            return
        forced = False
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                forced = True
        left = self._reap()
        self.proc_done = self.proc
        self.proc = None
        if not check:
            return
        problems = []
        if forced:
            problems.append("server ignored SIGTERM for %.0fs" % STOP_TIMEOUT)
        if left:
            problems.append("processes left after stop: %s" % left)
        err = self.stderr()
        if _SANITIZER.search(err):
            problems.append("sanitizer report on stderr")
        if problems:
            raise AssertionError("; ".join(problems) + "\n" +
                                 self.diagnostics())

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, etype, evalue, tb):
        try:
            self.stop(check=etype is None)
        finally:
            if etype is None or os.environ.get("HARNESS_KEEP") is None:
                self.cleanup()
        return False

    # -- what the server said
    def _read(self, path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stderr(self):
        """Everything the server wrote to stdout and stderr."""
        return self._read(os.path.join(self.root, "stderr.txt"))

    def error_log(self):
        return self._read(os.path.join(self.logs, "error_log"))

    def log(self, name):
        """Contents of ROOT/logs/NAME (e.g. an access log)."""
        return self._read(os.path.join(self.logs, name))

    def wait_log(self, pattern, name="error_log", timeout=IO_TIMEOUT):
        """Poll until regex pattern appears in ROOT/logs/NAME; returns match."""
        rx = re.compile(pattern)
        return wait_for(lambda: rx.search(self.log(name)), timeout,
                        "%r in %s" % (pattern, name))

    def diagnostics(self, limit=3000):
        out = "--- stderr:\n" + self.stderr()[-limit:]
        el = self.error_log()
        if el:
            out += "\n--- error_log:\n" + el[-limit:]
        return out


# Apache's module names and files for the modules httpd-ng compiles in.
# log_config, logio, unixd, version, so are static in Debian's apache2.
# status is left out: whether LoadModule names it decides ExtendedStatus's
# default, so test_status.py writes its LoadModule line for both servers.
APACHE_DEFAULT_MODULES = ["mime", "dir", "alias", "auth_basic", "authn_core",
                          "authn_file", "authz_core", "authz_host",
                          "authz_user", "autoindex", "headers", "env",
                          "setenvif", "access_compat", "expires",
                          "reqtimeout", "negotiation"]
_APACHE_STATIC = {"log_config", "logio", "unixd", "version", "so", "core",
                  "http", "watchdog"}


class Apache(Server):
    """Debian's apache2, same interface as Server: runs
    `/usr/sbin/apache2 -d /usr/lib/apache2 -f ROOT/httpd.conf -DFOREGROUND`.

    modules -- Apache module names to LoadModule (default: the ones httpd-ng
               compiles in); the MPM comes from mpm (default event).
    The preamble also puts PidFile, ErrorLog, Mutex and DefaultRuntimeDir
    under ROOT and, when running as root, User/Group www-data (ROOT is
    made world-readable for that).  Skips when apache2 is absent.
    """

    binary = APACHE2

    def __init__(self, config="", mpm="event", modules=None, **kw):
        self.modules = APACHE_DEFAULT_MODULES if modules is None else modules
        Server.__init__(self, config, mpm=mpm, **kw)
        for dirpath, dirnames, filenames in os.walk(self.root):
            os.chmod(dirpath, 0o755)
            for fn in filenames:
                os.chmod(os.path.join(dirpath, fn), 0o644)

    def _check_available(self):
        if not have_apache():
            skip("apache2 not installed")

    def preamble(self):
        return apache_preamble(self.mpm, self.modules) + "\n".join([
            "Listen 127.0.0.1:@PORT@",
            "ServerName localhost",
            'DocumentRoot "@HTDOCS@"',
            'TypesConfig "@ROOT@/conf/mime.types"',
        ]) + "\n"

    def command(self):
        cmd = [self.binary, "-d", APACHE_ROOT, "-f", self.conf]
        cmd += ["-X"] if self.one_process else ["-DFOREGROUND"]
        return cmd + self.args


def apache_preamble(mpm="event", modules=None):
    """LoadModule lines, logs, pid file, mutexes and user for apache2 under
    a temp ROOT (a template: @ROOT@/@LOGS@ are substituted later)."""
    if modules is None:
        modules = APACHE_DEFAULT_MODULES
    lines = ["LoadModule mpm_%s_module modules/mod_mpm_%s.so" % (mpm, mpm)]
    for m in modules:
        if m not in _APACHE_STATIC:
            lines.append("LoadModule %s_module modules/mod_%s.so" % (m, m))
    lines += ['ErrorLog "@LOGS@/error_log"',
              'PidFile "@LOGS@/httpd.pid"',
              'DefaultRuntimeDir "@LOGS@"',
              'Mutex file:@LOGS@ default']
    if os.geteuid() == 0:
        lines += ["User www-data", "Group www-data"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- -t runs


def _run_t(cmd_fn, config, base_text, args, timeout):
    root = _make_root(None)
    try:
        conf = os.path.join(root, "httpd.conf")
        with open(conf, "w") as f:
            f.write(_subst((_pad(base_text) if base_text else "") + config,
                       root, 0))
        p = subprocess.run(cmd_fn(root, conf) + ["-t"] + list(args),
                           cwd=root, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        err = p.stderr.decode("utf-8", "replace").replace(root, "@ROOT@")
        return p.returncode, err
    finally:
        shutil.rmtree(root, ignore_errors=True)


def httpd_t(config, args=(), base=True, mpm=None, timeout=60):
    """Run `BUILDDIR/httpd -d ROOT -f ROOT/httpd.conf -t ARGS` on config
    (a template).  With base, an MPM LoadModule line (when the MPM is
    shared), `ServerName localhost` and an ErrorLog under ROOT come first.
    Returns (exit code, stderr) with the temp ROOT path shown as @ROOT@."""
    mpm = mpm or DEFAULT_MPM
    if not os.access(HTTPD, os.X_OK):
        skip("%s not built" % HTTPD)
    pre = ""
    if base:
        if mpm != STATIC_MPM:
            pre += "LoadModule mpm_%s_module %s\n" % (
                mpm, os.path.join(BUILDDIR, "modules", "mod_mpm_%s.so" % mpm))
        pre += 'ServerName localhost\nErrorLog "@LOGS@/error_log"\n'
    return _run_t(lambda root, conf: [HTTPD, "-d", root, "-f", conf],
                  config, pre, args, timeout)


def apache_t(config, args=(), base=True, mpm="event", modules=None,
             timeout=300):
    """Same for `apache2 -d /usr/lib/apache2 -f ROOT/httpd.conf -t ARGS`;
    base adds apache_preamble() and `ServerName localhost`.  Skips the
    test when apache2 is absent.  Note: relative paths in the config
    resolve against /usr/lib/apache2, Apache's ServerRoot here."""
    if not have_apache():
        skip("apache2 not installed")
    pre = ""
    if base:
        pre = apache_preamble(mpm, modules) + "ServerName localhost\n"
    return _run_t(lambda root, conf: [APACHE2, "-d", APACHE_ROOT, "-f", conf],
                  config, pre, args, timeout)


run_t = httpd_t


def config_cases_agree(cases):
    """cases: (config, exit code, message) rows recorded from apache2.
    `httpd -t` must give the exit code with the message somewhere in its
    output; where apache2 is installed it must agree on both too."""
    for conf, code, msg in cases:
        got = httpd_t(conf)
        eq(got[0], code, "exit code for %r: %r" % (conf, got))
        check(msg in got[1], "%r: %r" % (conf, got[1]))
        if have_apache():
            theirs = apache_t(conf)
            eq(got[0], theirs[0], "apache2's exit code for %r" % conf)
            check(msg in theirs[1], "apache2's message for %r" % conf)

# ---------------------------------------------------------------- comparing

# The server banners the differential tests replace by "BANNER".
BANNERS = [b"Apache/2.4.71 (Debian)", b"httpd-ng/0.1.0 (Unix)"]
# The mtime the differential tests give every file and directory, so
# Last-Modified, ETag and listings agree between the two trees.
FIXED_MTIME = 1700000000


def set_mtimes(root, mtime=FIXED_MTIME):
    """Set the mtime of everything under root (symlinks themselves left).
    The server may be running: a file it removes between the walk and the
    utime (a pid file, a log being reopened) is passed over."""
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            try:
                if not os.path.islink(p):
                    os.utime(p, (mtime, mtime))
            except FileNotFoundError:
                pass


def describe_response(resp, port, compared, header_port=True, boundary=True,
                      etag=True, extra=("x-",), allow_spaces=False):
    """A response as the differential tests compare it: (status, fields,
    body).  The body has the server banner, " Port N<" and ":N" (N the
    server's port) normalised, and with boundary the multipart boundary;
    fields are the `compared` headers (repeats joined with ", "; Allow
    sorted; Content-Length "len(body)" when it only differs because the
    body was normalised, "multipart" on a multipart HEAD), with
    header_port ":N" also normalised in their values, with etag whether an
    ETag came (etag="value": the ETag itself), then every header whose lower-cased name starts with one of
    `extra`.  allow_spaces: Allow's items are stripped before sorting.
    A tuple (a raw or unparsable answer) is returned as it is."""
    if isinstance(resp, tuple):
        return resp
    body = resp.body
    norm = body
    for b in BANNERS:
        norm = norm.replace(b, b"BANNER")
    norm = norm.replace(b" Port %d<" % port, b" Port PORT<")
    norm = norm.replace(b":%d" % port, b":PORT")
    m = None
    if boundary:
        m = re.search(r"boundary=([0-9A-Za-z]+)",
                      resp.header("Content-Type") or "")
        if m:
            norm = norm.replace(m.group(1).encode(), b"BOUNDARY")

    def value(v):
        if header_port:
            v = v.replace(":%d" % port, ":PORT")
        return v.replace(m.group(1), "BOUNDARY") if m else v

    fields = []
    for h in compared:
        v = resp.header_all(h)
        v = value(", ".join(v)) if v else None
        if h == "Allow" and v is not None:
            items = v.split(",")
            if allow_spaces:
                items = [x.strip() for x in items]
            v = ",".join(sorted(items))   # apache2's order varies
        if h == "Content-Length" and v is not None:
            if m and not body:
                v = "multipart"   # HEAD: the boundaries' lengths differ
            elif norm != body and v == str(len(body)):
                v = "len(body)"
        fields.append((h, v))
    if etag == "value":
        fields.append(("ETag", resp.header("ETag")))
    elif etag:
        fields.append(("ETag?", resp.header("ETag") is not None))
    for k, v in resp.headers:
        if k.lower().startswith(tuple(extra)):
            fields.append((k.lower(), value(v) if header_port else v))
    return (resp.status, tuple(fields), norm)


def fetch_summaries(server, reqs, summary):
    """One get() per request, each summarised by summary(response, port).
    A request is "METHOD /path" or ("METHOD /path", {headers}); a POST
    sends the body k=v."""
    out = []
    for q in reqs:
        q = (q,) if isinstance(q, str) else q
        method, path = q[0].split(" ", 1)
        headers = q[1] if len(q) > 1 else None
        out.append(summary(get(server.port, path, method=method,
                               headers=headers,
                               body="k=v" if method == "POST" else None),
                           server.port))
    return out


def agree_with_apache(config, files, reqs, summary, extra=None):
    """fetch_summaries() on httpd-ng and, where apache2 is installed, on
    apache2 (event) serving the same tree and configuration; every
    summary must be equal, and so must extra(server) if given.  Returns
    httpd-ng's summaries, or (summaries, extra) with extra."""
    with Server(config, files=files) as s:
        ours = fetch_summaries(s, reqs, summary)
        ours_extra = extra(s) if extra else None
    if have_apache():
        with Apache(config, files=files) as a:
            theirs = fetch_summaries(a, reqs, summary)
            their_extra = extra(a) if extra else None
        for q, o, t in zip(reqs, ours, theirs):
            eq(o, t, repr(q) if not isinstance(q, str) else q)
        if extra:
            eq(ours_extra, their_extra, "error log")
    return (ours, ours_extra) if extra else ours

# ---------------------------------------------------------------- raw HTTP


class Response:
    """One parsed HTTP response.  headers is a list of (name, value) in
    order; header(name) is the first value (case-insensitive) or None."""

    def __init__(self, version, status, reason, headers, body, raw):
        self.version, self.status, self.reason = version, status, reason
        self.headers, self.body, self.raw = headers, body, raw
        self.chunked = False

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def text(self):
        return self.body.decode("latin-1")

    def __repr__(self):
        return "<Response %s %s %d bytes>" % (self.status, self.reason,
                                              len(self.body))


class Incomplete(Exception):
    pass


def _parse_chunked(buf, pos):
    body = bytearray()
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            raise Incomplete()
        size_s = buf[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_s, 16)
        except ValueError:
            raise ValueError("bad chunk size %r" % bytes(buf[pos:eol]))
        pos = eol + 2
        if size == 0:
            break
        if len(buf) < pos + size + 2:
            raise Incomplete()
        if buf[pos + size:pos + size + 2] != b"\r\n":
            raise ValueError("chunk of %d bytes not followed by CRLF" % size)
        body += buf[pos:pos + size]
        pos += size + 2
    # trailers up to an empty line
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            raise Incomplete()
        line = buf[pos:eol]
        pos = eol + 2
        if not line:
            return bytes(body), pos


def parse_response(buf, head=False, eof=False):
    """Parse one response from the start of buf.  Returns (Response, bytes
    consumed), or None if buf does not yet hold a complete response.  head:
    the request was HEAD (no body).  eof: the peer closed, so a body without
    length ends at the end of buf."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        if eof and buf:
            raise ValueError("connection closed inside the header: %r"
                             % bytes(buf[:200]))
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    m = re.match(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?$", lines[0])
    if not m:
        raise ValueError("bad status line %r" % lines[0])
    version, status, reason = m.group(1), int(m.group(2)), m.group(3) or ""
    headers = []
    for ln in lines[1:]:
        k, sep, v = ln.partition(":")
        if not sep:
            raise ValueError("bad header line %r" % ln)
        headers.append((k, v.strip()))
    r = Response(version, status, reason, headers, b"", None)
    pos = end + 4
    te = (r.header("Transfer-Encoding") or "").lower()
    cl = r.header("Content-Length")
    try:
        if head or status < 200 or status in (204, 304):
            body = b""
        elif "chunked" in te:
            body, pos = _parse_chunked(buf, pos)
            r.chunked = True
        elif cl is not None:
            n = int(cl)
            if len(buf) < pos + n:
                raise Incomplete()
            body = bytes(buf[pos:pos + n])
            pos += n
        else:
            if not eof:
                raise Incomplete()
            body = bytes(buf[pos:])
            pos = len(buf)
    except Incomplete:
        if eof:
            raise ValueError("connection closed inside the body after %d "
                             "bytes" % (len(buf) - end - 4))
        return None
    r.body = body
    r.raw = bytes(buf[:pos])
    return r, pos


class Conn:
    """A raw client connection to 127.0.0.1:port (or ::1 with family).

        with Conn(port) as c:
            c.send(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            r = c.response()
            check(not c.closed_by_peer(1), "keep-alive")
    """

    def __init__(self, port, host="127.0.0.1", timeout=IO_TIMEOUT):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout)
        self.buf = bytearray()
        self.eof = False

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def _fill(self, deadline):
        """Read more into buf; False on EOF.  Raises on deadline."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("timed out reading from server (have %d "
                                 "bytes: %r)" % (len(self.buf),
                                                 bytes(self.buf[:200])))
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise AssertionError("timed out reading from server (have %d "
                                 "bytes: %r)" % (len(self.buf),
                                                 bytes(self.buf[:200])))
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def response(self, head=False, timeout=None):
        """Read and return the next response (AssertionError on timeout or
        if the server closes before sending one)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            got = parse_response(self.buf, head=head, eof=self.eof)
            if got:
                r, n = got
                del self.buf[:n]
                return r
            if self.eof:
                raise AssertionError("server closed the connection without "
                                     "a (complete) response")
            self._fill(deadline)

    def read_all(self, timeout=None):
        """Everything until the server closes; returns bytes."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.eof:
            self._fill(deadline)
        data = bytes(self.buf)
        self.buf.clear()
        return data

    def closed_by_peer(self, timeout=None):
        """True if the server closes within timeout (no further bytes may
        arrive), False if it is still open at the deadline."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.eof:
            try:
                if self._fill(deadline) and self.buf:
                    raise AssertionError("unexpected bytes: %r"
                                         % bytes(self.buf[:200]))
            except AssertionError as e:
                if "timed out" in str(e):
                    return False
                raise
        return True

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def exchange(port, data, count=1, head=False, timeout=IO_TIMEOUT,
             host="127.0.0.1"):
    """Send raw bytes, read `count` responses, close.  Returns a list."""
    with Conn(port, host, timeout) as c:
        c.send(data)
        return [c.response(head=head) for _ in range(count)]


def pipeline(port, requests, timeout=IO_TIMEOUT, host="127.0.0.1"):
    """Send several raw requests in one write and read one response each
    (HEAD requests are recognised by their first word)."""
    reqs = [r.encode("latin-1") if isinstance(r, str) else r for r in requests]
    with Conn(port, host, timeout) as c:
        c.send(b"".join(reqs))
        return [c.response(head=r.split(b" ", 1)[0] == b"HEAD") for r in reqs]


def get(port, path="/", method="GET", headers=None, body=None,
        version="HTTP/1.1", host_header="localhost", timeout=IO_TIMEOUT):
    """One request with Connection: close; returns the Response."""
    lines = ["%s %s %s" % (method, path, version)]
    hdrs = dict(headers or {})
    if host_header is not None and "Host" not in hdrs:
        hdrs["Host"] = host_header
    if "Connection" not in hdrs:
        hdrs["Connection"] = "close"
    if body is not None:
        if isinstance(body, str):
            body = body.encode()
        hdrs.setdefault("Content-Length", str(len(body)))
    lines += ["%s: %s" % kv for kv in hdrs.items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
    return exchange(port, data, head=(method == "HEAD"), timeout=timeout)[0]
