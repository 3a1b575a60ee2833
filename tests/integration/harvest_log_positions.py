#!/usr/bin/env python3
"""Record where in its source apache2 logs each of its messages, for
ErrorLogFormat's %F, and write core/log_positions.c.

Runs the named integration test files (default: the ones that make
apache2 log the most) with apache2 writing %F on every error-log line,
keeps each AH number's "file.c(line)", and writes the table.  The tests'
own verdicts do not matter here (the extra item breaks their
comparisons); only what apache2 wrote is read.  Run from the build
directory as the tests are:

    SRCDIR=... BUILDDIR=$PWD ... python3 tests/integration/harvest_log_positions.py \\
        [test_X.py ...] > SRCDIR/core/log_positions.c
"""
import glob
import os
import re
import runpy
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

DEFAULT = ["test_errorlog_diff.py", "test_auth_basic.py",
           "test_access_compat.py", "test_reqtimeout.py", "test_limit.py",
           "test_htaccess.py", "test_modules_diff.py", "test_request_diff.py",
           "test_http_diff.py", "test_merge_diff.py", "test_expr.py",
           "test_env.py", "test_response_diff.py", "test_access_attacks.py",
           "test_authz_merge.py", "test_mpm_lifecycle.py",
           "test_server_control.py", "test_modules_http.py",
           "test_filter.py", "test_log_open.py", "test_negotiation.py",
           "test_deflate.py", "test_core_overrides.py", "test_status.py"]
FMT = ('\nErrorLogFormat "[%{u}t] [%-m:%l] [pid %P:tid %T] <<%F>> %E: '
       '[client\\ %a] %M% ,\\ referer\\ %{Referer}i"\n')
SEEN = re.compile(r"<<([A-Za-z0-9_.]+)\((\d+)\)>>.*?AH(\d{5})")
positions = {}

_write = harness.Apache.write_config


def write_config(self, config=None):
    if config is not None:
        self.config_text = config
    if FMT not in self.config_text:
        self.config_text += FMT
    return _write(self, None)


_cleanup = harness.Server.cleanup


def cleanup(self):
    if isinstance(self, harness.Apache):
        for f in glob.glob(os.path.join(self.root, "logs", "*")) + [
                os.path.join(self.root, "stderr.txt")]:
            try:
                with open(f, errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            for m in SEEN.finditer(text):
                positions.setdefault(int(m.group(3)),
                                     (m.group(1), int(m.group(2))))
    return _cleanup(self)


EXTRA_FILES = {"htdocs/d/x.txt": "x\n", "htdocs/h/.htaccess/x": "x\n",
               "htdocs/a.txt": "a\n", "htdocs/neg/x.html": "x\n",
               "htdocs/neg/z.zzunknown": "z\n", "htdocs/closed/i.txt": "i\n",
               "htdocs/tm/nocolon.var": "URI: x\nContent-Type text/plain\n",
               "htdocs/tm/nobody.var": "URI: x\nContent-Type:\n",
               "htdocs/tm/len.var": "URI: x\nContent-Type: text/plain\n"
                                    "Content-Length: zz\n",
               "htdocs/tm/tag.var": "URI: x\nContent-Type: text/plain\n"
                                    "Body:----x--\nx\n",
               "htdocs/tm/closed.var": "URI: x\n", "htdocs/shut/f.txt": "f\n"}
NOFILE = "file('/nonexistent/harvest') == 'x'"
NOSTR = "%{file:/nonexistent/harvest}"
EXTRA_CONFIG = r"""LogLevel info authz_core:debug
<Directory "@HTDOCS@">
<Limit POST>
Require all denied
</Limit>
Require all granted
</Directory>
<Directory "@HTDOCS@/d">
SetHandler default-handler
</Directory>
<Directory "@HTDOCS@/h">
AllowOverride All
</Directory>
<Location "/dg">
AuthType Basic
AuthName x
AuthBasicUseDigestAlgorithm MD5
Require valid-user
</Location>
<Location "/fk">
AuthBasicFake "u" "%{HTTP:X-None}"
</Location>
<Directory "@HTDOCS@/neg">
Options +MultiViews
</Directory>
<Directory "@HTDOCS@/closed">
Options +Indexes +MultiViews
</Directory>
<Directory "@HTDOCS@/tm">
AddHandler type-map .var
</Directory>
<Directory "@HTDOCS@/shut">
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
Header set X-A y "expr=@NOFILE@"
</Location>
<Location "/hv">
Header set X-A "expr=@NOSTR@"
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
CustomLog "@LOGS@/cond_log" common "expr=@NOFILE@"
""".replace("@NOFILE@", NOFILE).replace("@NOSTR@", NOSTR)
EXTRA_REQUESTS = ["/d/", "/h/x", "/dg/x", "/fk/a.txt", "/neg/x",
                  "/neg/z", "/closed/", "/closed/i", "/tm/nocolon.var",
                  "/tm/nobody.var", "/tm/len.var", "/tm/tag.var",
                  "/tm/closed.var", "/uf/a.txt", "/if/a.txt", "/hd/a.txt",
                  "/hv/a.txt", "/se/a.txt", "/rq/a.txt", "/ru/a.txt",
                  "/at/a.txt", "/an/a.txt", "/fu/a.txt", "/fp/a.txt",
                  "/sh/a.txt", "/loop/x", "/shut/f.txt",
                  "/" + "n" * 300 + "/x"]


def requests(s):
    # www-data may list neither directory; a symlink loop
    os.chmod(os.path.join(s.htdocs, "closed"), 0o311)
    os.chmod(os.path.join(s.htdocs, "tm", "closed.var"), 0)
    os.symlink("loop", os.path.join(s.htdocs, "loop"))
    os.chmod(os.path.join(s.htdocs, "shut"), 0o700)
    for path in EXTRA_REQUESTS:
        harness.get(s.port, path, headers={"Authorization": "Basic dTpw",
                                           "Accept": "image/png"})


# Startup warnings and errors apache2 writes with a position (the format
# first: they are written as the directives are read): an unset PassEnv,
# SetEnv with '=', overlapping Aliases, a pid file it cannot write; and a
# listing of a directory it may not read.
STARTUP_CONFIG = FMT + r"""PassEnv HARVEST_NOT_SET
SetEnv A=b c
Alias /a /tmp
Alias /a/b /tmp
PidFile "@ROOT@/nonexistent/httpd.pid"
"""
LISTING_CONFIG = r"""<Directory "@HTDOCS@">
Options Indexes
Require all granted
</Directory>
"""


def startup():
    s = harness.Apache(STARTUP_CONFIG, wait=False)
    with s:
        harness.wait_for(lambda: "AH00100" in s.error_log() + s.stderr(),
                         what="the pid file's failure")
    s = harness.Apache(LISTING_CONFIG, files={"htdocs/idx/x": "x"})
    os.chmod(os.path.join(s.htdocs, "idx"), 0o711)
    with s:
        harness.get(s.port, "/idx/")


def children(s):
    return [p for p in harness._pgrp_members(s.proc.pid) if p != s.proc.pid]


def extra():
    """Messages the tests do not make apache2 write: each MPM's life
    cycle (restarts, graceful stop, a child killed, a stale pid file), and
    requests that make the modules complain."""
    for mpm in ("prefork", "worker", "event"):
        for sig, said in (("restart", "SIGHUP received"),
                          ("graceful", "Graceful restart requested|SIGUSR1 received")):
            s = harness.Apache(EXTRA_CONFIG, mpm=mpm, files=EXTRA_FILES)
            with open(os.path.join(s.logs, "httpd.pid"), "w") as f:
                f.write("999999\n")  # AH00098: overwritten
            with s:
                requests(s)
                getattr(s, sig)()
                s.wait_log(said)
                s.wait_log(r"(?s)(%s).*configured -- resuming" % said)
                if sig == "graceful":  # AH00052 for a child that crashed
                    kids = children(s)
                    if kids:
                        os.kill(kids[-1], signal.SIGSEGV)
                        s.wait_log("AH00052")
                else:
                    s.signal(signal.SIGWINCH)  # graceful stop
                    s.wait_exit()


def main():
    harness.Apache.write_config = write_config
    harness.Server.cleanup = cleanup
    out = sys.stdout
    sys.stdout = sys.stderr  # the tests' own lines
    for fn in (startup, extra):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 -- what it logged counts
            print("%s: %r" % (fn.__name__, e))
    for name in sys.argv[1:] or DEFAULT:
        sys.argv = [name]
        try:
            runpy.run_path(os.path.join(os.path.dirname(
                os.path.abspath(__file__)), name), run_name="__main__")
        except SystemExit:
            pass
        del harness._tests[:]
    out.write("/* log_positions.c -- where apache2 2.4.71 (Debian) logs "
              "each message, by\n * AH number, as ErrorLogFormat's %F "
              "shows it.  Generated by\n * "
              "tests/integration/harvest_log_positions.py; messages it "
              "never saw\n * apache2 log are not here. */\n"
              "#include \"log.h\"\n\n"
              "const log_position log_positions[] = {\n")
    for ah in sorted(positions):
        f, line = positions[ah]
        out.write("    {%d, \"%s\", %d},\n" % (ah, f, line))
    out.write("};\nconst int log_npositions =\n"
              "    (int)(sizeof(log_positions) / sizeof(log_positions[0]));\n")


if __name__ == "__main__":
    main()
