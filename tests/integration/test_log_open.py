#!/usr/bin/env python3
"""Access logs that cannot be opened at startup, as Debian's apache2
reports them (recorded from apache2 2.4.71; checked against it where it
is installed).

Apache opens CustomLog/TransferLog files and starts their programs in its
open_logs hook, after the error log: by then its stderr is the main error
log, so everything goes there, not to the terminal.  A file that cannot
be opened is AH00649, logged about the server that names it (to that
vhost's own ErrorLog when it has one); a program that cannot be started
is AH00104, written as it is; then AH00015 and exit status 1, whether in
the foreground or with -k start.  Apache stops at the first log that
fails.  -t does not open the logs ("Syntax OK"); a missing directory is
refused earlier (AH02297, on stderr, also by -t)."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

_HEAD = re.compile(r"^\[[^\]]*\] (\[[^\]]*\]) \[pid \d+(?::tid \d+)?\] ",
                   re.M)


def normal(text, server):
    text = _HEAD.sub(r"\1 ", text).replace(server.root, "@ROOT@")
    return re.sub(r"\b(apache2|httpd): could not", "NAME: could not", text)


VHOST = "<VirtualHost *:@PORT@>\nServerName v1\n%s</VirtualHost>\n"
EISDIR = "(21)Is a directory: "
ENOENT = "(2)No such file or directory: "
AH00015 = "AH00015: Unable to open logs\n"

# name: (config, stderr, error_log, logs/v_error)
CASES = {
    "main file": (
        'CustomLog "@LOGS@" common\n', "",
        "[log_config:error] " + EISDIR + "AH00649: could not open transfer "
        "log file @ROOT@/logs.\n" + AH00015, None),
    "TransferLog": (
        'TransferLog "@HTDOCS@"\n', "",
        "[log_config:error] " + EISDIR + "AH00649: could not open transfer "
        "log file @ROOT@/htdocs.\n" + AH00015, None),
    "vhost file": (
        VHOST % 'CustomLog "@LOGS@" common\n', "",
        "[log_config:error] " + EISDIR + "AH00649: could not open transfer "
        "log file @ROOT@/logs.\n" + AH00015, None),
    # the vhost's message goes to its own error log, AH00015 to the main one
    "vhost with its error log": (
        VHOST % ('ErrorLog "@LOGS@/v_error"\nCustomLog "@LOGS@" common\n'),
        "", AH00015,
        "[log_config:error] " + EISDIR + "AH00649: could not open transfer "
        "log file @ROOT@/logs.\n"),
    # the first that fails stops it: the later ones are not tried
    "first failure": (
        'CustomLog "@LOGS@/ok_log" common\nCustomLog "@LOGS@" common\n'
        'CustomLog "@HTDOCS@" common\n' + VHOST % 'CustomLog "@ROOT@" x\n',
        "",
        "[log_config:error] " + EISDIR + "AH00649: could not open transfer "
        "log file @ROOT@/logs.\n" + AH00015, None),
    "program": (
        'CustomLog "|/nonexistent/prog -x" common\n', "",
        ENOENT + "AH00104: unable to start piped log program "
        "'/nonexistent/prog -x'\n" + AH00015, None),
    "program after ||": (
        'CustomLog "||/nonexistent/prog" common\n', "",
        ENOENT + "AH00104: unable to start piped log program "
        "'/nonexistent/prog'\n" + AH00015, None),
    # through the shell, but an absolute first word is checked first (APR)
    "program through the shell": (
        'CustomLog "|$/nonexistent/prog >/dev/null" common\n', "",
        ENOENT + "AH00104: unable to start piped log program "
        "'/nonexistent/prog >/dev/null'\n" + AH00015, None),
    "vhost program": (
        VHOST % ('ErrorLog "@LOGS@/v_error"\n'
                 'CustomLog "|/nonexistent/prog" common\n'), "",
        ENOENT + "AH00104: unable to start piped log program "
        "'/nonexistent/prog'\n" + AH00015, ""),
    # the ErrorLog's own program: on stderr, named as written after '|'
    "ErrorLog program through the shell": (
        'ErrorLog "|$/nonexistent/x arg"\n',
        ENOENT + "AH00089: Couldn't start ErrorLog process "
        "'$/nonexistent/x arg'.\n" + AH00015, None, None),
    "ErrorLog a directory": (
        'ErrorLog "@LOGS@"\n',
        EISDIR + "AH00091: NAME: could not open error log file "
        "@ROOT@/logs.\n" + AH00015, None, None),
}


def outcome(server):
    server.start()
    try:
        rc = server.wait_exit()
    finally:
        server.stop(check=False)
    v_error = os.path.join(server.logs, "v_error")
    return (rc, normal(server.stderr(), server),
            normal(server.error_log(), server)
            if os.path.exists(os.path.join(server.logs, "error_log"))
            else None,
            normal(server.log("v_error"), server)
            if os.path.exists(v_error) else None)


def check_case(name):
    config, stderr, error_log, v_error = CASES[name]
    want = (1, stderr, error_log, v_error)
    servers = [Server(config, wait=False)]
    if have_apache():
        servers.append(Apache(config, wait=False))
    for s in servers:
        try:
            eq(outcome(s), want, "%s: %s (exit, stderr, error_log, v_error)"
               % (name, os.path.basename(s.binary)))
        finally:
            s.cleanup()


def make_test(name):
    def t():
        check_case(name)
    t.__name__ = "open_failure_" + re.sub(r"\W+", "_", name).strip("_")
    return test(t)


for _name in CASES:
    make_test(_name)


@test
def syntax_check_does_not_open_logs():
    """-t: the logs are not opened, so a directory as a log is fine."""
    config = 'CustomLog "@LOGS@" common\nCustomLog "|/nonexistent/p" c\n'
    eq(httpd_t(config), (0, "Syntax OK\n"), "httpd -t")
    if have_apache():
        eq(apache_t(config), (0, "Syntax OK\n"), "apache2 -t")


def start_detached(server):
    """`-k start` on server's configuration: exit status, error log."""
    server.write_config()
    cmd = [a for a in server.command() if a not in ("-DFOREGROUND",)]
    if "FOREGROUND" in cmd:
        i = cmd.index("FOREGROUND")
        del cmd[i - 1:i + 1]
    p = subprocess.run(cmd + ["-k", "start"], cwd=server.root,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return (p.returncode, normal(p.stderr.decode(), server),
            normal(server.error_log(), server))


@test
def k_start_reports_in_the_error_log():
    """-k start: apache2 exits 1 with the messages in the error log."""
    config = 'CustomLog "@LOGS@" common\n'
    want = (1, "", "[log_config:error] " + EISDIR + "AH00649: could not "
            "open transfer log file @ROOT@/logs.\n" + AH00015)
    servers = [Server(config, wait=False)]
    if have_apache():
        servers.append(Apache(config, wait=False))
    for s in servers:
        try:
            eq(start_detached(s), want, os.path.basename(s.binary))
        finally:
            s.cleanup()


if __name__ == "__main__":
    run()
