"""test_cli.py -- httpd's command line: options, -t, -l, -M, -V, -S and the
DUMP_* outputs, compared with Debian's apache2 where they overlap and with
golden files (tests/golden/cli) recorded from it."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

GOLDEN = os.path.join(SRCDIR, "tests", "golden", "cli")
APACHE_MPM_LINE = "LoadModule mpm_event_module modules/mod_mpm_event.so"


def golden(name):
    with open(os.path.join(GOLDEN, name)) as f:
        return f.read()


def our_mpm_line(mpm=None):
    mpm = mpm or DEFAULT_MPM
    if mpm == STATIC_MPM:
        return "# the %s MPM is linked in" % mpm
    return "LoadModule mpm_%s_module %s" % (
        mpm, os.path.join(BUILDDIR, "modules", "mod_mpm_%s.so" % mpm))


def need_httpd():
    if not os.access(HTTPD, os.X_OK):
        skip("%s not built" % HTTPD)


class Root:
    """A temporary ServerRoot holding httpd.conf and extra files; every
    '@ROOT@' and '@MPM@' in them is filled in."""

    def __init__(self, conf, files=None, apache=False, mpm=None):
        self.root = tempfile.mkdtemp(prefix="httpd-cli-")
        for d in ("logs", "htdocs", "conf"):
            os.mkdir(os.path.join(self.root, d))
        self.mpm = APACHE_MPM_LINE if apache else our_mpm_line(mpm)
        self.conf = os.path.join(self.root, "httpd.conf")
        self.write("httpd.conf", conf)
        for rel, text in (files or {}).items():
            self.write(rel, text)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text.replace("@ROOT@", self.root).replace("@MPM@", self.mpm))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def run_bin(binary, args, root=None, argv0="httpd", timeout=120):
    """(exit code, stdout, stderr), with the temp root shown as @ROOT@."""
    p = subprocess.run([argv0] + list(args), executable=binary,
                       cwd=root or BUILDDIR, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if root:
        out, err = out.replace(root, "@ROOT@"), err.replace(root, "@ROOT@")
    return p.returncode, out, err


def ours(conf, args, files=None, mpm=None):
    need_httpd()
    with Root(conf, files, mpm=mpm) as r:
        return run_bin(HTTPD, ["-d", r.root, "-f", r.conf] + list(args), r.root)


def apache(conf, args, files=None):
    if not have_apache():
        skip("apache2 not installed")
    with Root(conf, files, apache=True) as r:
        return run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf] + list(args), r.root)


GOOD = """@MPM@
ErrorLog "@ROOT@/logs/error_log"
ServerName localhost
Listen 127.0.0.1:28601
DocumentRoot "@ROOT@/htdocs"
"""

_pipeline_state = []


def need_pipeline():
    """Skip while conf_load() (core/resolve.c) is still the placeholder."""
    if not _pipeline_state:
        need_httpd()
        rc, out, err = ours(GOOD, ["-t"])
        _pipeline_state.append("not written yet" not in err)
    if not _pipeline_state[0]:
        skip("conf_load() (core/resolve.c) is not written yet")


def strip_log_frame(text):
    """Error-log lines without the time stamp and pid, for comparisons."""
    return re.sub(r"^\[[^]]*\] \[([^]]*)\] \[pid \d+(:tid \d+)?\] ", r"[\1] ",
                  text, flags=re.M)

# ---------------------------------------------------------------- options


@test
def usage_is_apaches_plus_dump_config():
    need_httpd()
    rc, out, err = run_bin(HTTPD, ["-h"])
    eq(rc, 1, "exit status of -h")
    eq(out, "", "stdout")
    want = golden("usage.apache.txt")
    extra = "  -t -D DUMP_CONFIG  : show the resolved configuration as Apache syntax\n"
    check(extra in err, "-h mentions DUMP_CONFIG")
    eq(err.replace(extra, ""), want, "usage text (besides DUMP_CONFIG)")
    if have_apache():
        eq(run_bin(APACHE2, ["-h"])[2], want, "apache2 -h still matches the golden file")


@test
def usage_pads_to_the_program_name():
    need_httpd()
    for argv0 in ("./httpd", "/opt/some/where/httpd-ng"):
        rc, out, err = run_bin(HTTPD, ["-h"], argv0=argv0)
        lines = err.splitlines()
        eq(lines[0], "Usage: %s [-D name] [-d directory] [-f file]" % argv0, "first line")
        eq(lines[1], " " * (len(argv0) + 8) + '[-C "directive"] [-c "directive"]',
           "continuation under '['")
        if have_apache():
            eq(lines[:4], run_bin(APACHE2, ["-h"], argv0=argv0)[2].splitlines()[:4],
               "same as apache2 for argv0 %s" % argv0)


@test
def bad_options_like_apache():
    need_httpd()
    cases = [["-Q"], ["-f"], ["-k", "bogus"], ["-k"], ["-X", "extra"], ["-d"]]
    for args in cases:
        rc, out, err = run_bin(HTTPD, args)
        eq(rc, 1, "exit status for %s" % args)
        first = err.splitlines()[0]
        if have_apache():
            arc, aout, aerr = run_bin(APACHE2, args)
            eq((rc, first), (arc, aerr.splitlines()[0]), "first line for %s" % args)
        check("Usage: httpd [-D name]" in err, "usage follows for %s" % args)


@test
def bad_option_messages_golden():
    need_httpd()
    table = {("-Q",): "httpd: illegal option -- Q",
             ("-f",): "httpd: option requires an argument -- f",
             ("-k", "bogus"): "httpd: illegal option -- k",
             ("-X", "extra"): "Usage: httpd [-D name] [-d directory] [-f file]"}
    for args, want in table.items():
        eq(run_bin(HTTPD, list(args))[2].splitlines()[0], want, "for %s" % (args,))


@test
def version_shape():
    need_httpd()
    rc, out, err = run_bin(HTTPD, ["-v"])
    eq(rc, 0, "exit status")
    check(re.fullmatch(r"Server version: httpd-ng/\d+\.\d+\.\d+ \(Unix\)\n"
                       r"Server built:   \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n", out),
          "-v has Apache's two lines: %r" % out)


@test
def compiled_modules():
    need_httpd()
    rc, out, err = run_bin(HTTPD, ["-l"])
    eq(rc, 0, "exit status")
    want = golden("compiled.txt")
    if STATIC_MPM:
        want += "  %s.c\n" % STATIC_MPM
    eq(out, want, "-l")
    for line in ("  core.c", "  mod_so.c", "  http_core.c", "  mod_log_config.c"):
        check(line + "\n" in out, "%s listed like Apache's -l" % line.strip())


MPM_LINES = {  # apache2 -V, recorded for each MPM
    "prefork": ["Server MPM:     prefork", "  threaded:     no",
                "    forked:     yes (variable process count)"],
    "worker": ["Server MPM:     worker", "  threaded:     yes (fixed thread count)",
               "    forked:     yes (variable process count)"],
    "event": ["Server MPM:     event", "  threaded:     yes (fixed thread count)",
              "    forked:     yes (variable process count)"],
}


@test
def settings_name_the_mpm():
    need_httpd()
    for mpm in mpms():
        rc, out, err = ours(GOOD, ["-V"], mpm=mpm)
        eq(rc, 0, "exit status of -V (%s): %s" % (mpm, err))
        lines = out.splitlines()
        check(lines[0].startswith("Server version: httpd-ng/"), "version first")
        i = lines.index(MPM_LINES[mpm][0]) if MPM_LINES[mpm][0] in lines else -1
        check(i >= 0, "-V names the %s MPM:\n%s" % (mpm, out))
        eq(lines[i:i + 3], MPM_LINES[mpm], "MPM lines for %s" % mpm)
        check(" -D HTTPD_ROOT=\"" in out, "compile settings listed")
    if have_apache():
        rc, out, err = apache(GOOD, ["-V"])
        lines = out.splitlines()
        i = lines.index(MPM_LINES["event"][0])
        eq(lines[i:i + 3], MPM_LINES["event"], "apache2 -V still prints these lines")


@test
def settings_refuse_zero_mpms_like_apache():
    need_httpd()
    if STATIC_MPM:
        skip("a static MPM is always present in this build")
    conf = 'ErrorLog "@ROOT@/logs/error_log"\nServerName x\n'
    rc, out, err = ours(conf, ["-V"])
    eq((rc, err), (1, "AH00534: httpd: Configuration error: No MPM loaded.\n"), "-V")


@test
def list_directives_shape():
    need_httpd()
    rc, out, err = ours(GOOD, ["-L"])
    eq(rc, 0, "exit status: " + err)
    check("StartServers (%s.c)\n" % DEFAULT_MPM in out,
          "the MPM's directives are listed, under its file name")
    lines = out.splitlines()
    heads = [ln for ln in lines if not ln.startswith("\t")]
    if not heads:
        skip("no directive tables registered yet")
    for h in heads:
        check(re.fullmatch(r"<?[A-Za-z]+ \([a-z_]+\.c\)", h), "entry head %r" % h)
    check(all(ln.startswith("\tAllowed in *.conf ") or ln.startswith("\t")
              for ln in lines if ln.startswith("\t")), "indented detail lines")
    timeout = [i for i, h in enumerate(lines) if h.startswith("Timeout (")]
    if timeout:
        i = timeout[0]
        eq(lines[i + 2], "\tAllowed in *.conf only outside <Directory>, <Files>, "
           "<Location>, or <If>", "Timeout's context line as apache2 -L")

# ---------------------------------------------------------------- -t


@test
def syntax_ok_like_apache():
    need_pipeline()
    rc, out, err = ours(GOOD, ["-t"])
    eq((rc, out, err), (0, "", "Syntax OK\n"), "httpd -t")
    if have_apache():
        eq(apache(GOOD, ["-t"]), (0, "", "Syntax OK\n"), "apache2 -t")


BROKEN = [
    # (name, config after the MPM line; first error as apache2 prints it)
    ("args", GOOD + "Timeout 10 20\n",
     "AH00526: Syntax error on line 6 of @ROOT@/httpd.conf:\n"
     "Timeout takes one argument, Timeout duration (sec)\n"),
    ("unknown", GOOD + "\nDocumentRot /tmp\n",
     "AH00526: Syntax error on line 7 of @ROOT@/httpd.conf:\n"
     "Invalid command 'DocumentRot', perhaps misspelled or defined by a module "
     "not included in the server configuration\n"),
    ("flag", GOOD + "KeepAlive maybe\n",
     "AH00526: Syntax error on line 6 of @ROOT@/httpd.conf:\n"
     "KeepAlive must be On or Off\n"),
    ("unclosed", GOOD + "<Directory /tmp>\nOptions None\n",
     "httpd: Syntax error on line 6 of @ROOT@/httpd.conf: @ROOT@/httpd.conf:6: "
     "<Directory> was not closed.\n"),
    ("include", GOOD + "Include @ROOT@/nope/missing.conf\n", None),
    ("no-mpm", 'ErrorLog "@ROOT@/logs/error_log"\nServerName x\n',
     "AH00534: httpd: Configuration error: No MPM loaded.\n"),
    ("missing-file", None,
     "httpd: Could not open configuration file @ROOT@/absent.conf: "
     "No such file or directory\n"),
]


@test
def first_error_like_apache():
    need_pipeline()
    for name, conf, want in BROKEN:
        if name == "no-mpm" and STATIC_MPM:
            continue
        args = ["-t"]
        if conf is None:
            conf, args = GOOD, ["-t", "-f", "@ROOT@/absent.conf"]
        need_httpd()
        with Root(conf) as r:
            a = [x.replace("@ROOT@", r.root) for x in args]
            rc, out, err = run_bin(HTTPD, ["-d", r.root, "-f", r.conf] + a, r.root)
        eq(rc, 1, "exit status (%s)" % name)
        if want is not None:
            eq(err, want, "first error (%s)" % name)
        if have_apache():
            with Root(conf, apache=True) as r:
                a = [x.replace("@ROOT@", r.root) for x in args]
                arc, aout, aerr = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf] + a,
                                          r.root)
            eq((rc, err), (arc, aerr), "same as apache2 (%s)" % name)


# Apache's error log escapes what it prints (ap_escape_errorlog_item):
# a backslash, \n, \t... and other non-printable bytes as \xhh, and cuts a
# line at 8,190 characters.  Expectations recorded from apache2 2.4.
ESCAPED = [
    ("unclosed-several", GOOD + "<Directory /a>\n<Files x>\n<Location /y>\n",
     "httpd: Syntax error on line 6 of @ROOT@/httpd.conf: "
     "@ROOT@/httpd.conf:8: <Location> was not closed.\\n"
     "@ROOT@/httpd.conf:7: <Files> was not closed.\\n"
     "@ROOT@/httpd.conf:6: <Directory> was not closed.\n"),
    ("control-chars", GOOD + "Fo\\o\x01b\xe9r\n",
     "AH00526: Syntax error on line 6 of @ROOT@/httpd.conf:\n"
     "Invalid command 'Fo\\\\o\\x01b\\xc3\\xa9r', perhaps misspelled or "
     "defined by a module not included in the server configuration\n"),
    ("tab-and-quote", GOOD + 'Options "a\tb\x7f\\"c"\n',
     "AH00526: Syntax error on line 6 of @ROOT@/httpd.conf:\n"
     'Illegal option a\\tb\\x7f"c\n'),
]


@test
def messages_escaped_like_apache():
    need_pipeline()
    for name, conf, want in ESCAPED:
        with Root(conf) as r:
            rc, out, err = run_bin(HTTPD, ["-d", r.root, "-f", r.conf, "-t"], r.root)
        eq((rc, err), (1, want), "escaped message (%s)" % name)
        if have_apache():
            with Root(conf, apache=True) as r:
                arc, aout, aerr = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf, "-t"],
                                          r.root)
            eq((rc, err), (arc, aerr), "same as apache2 (%s)" % name)


@test
def long_message_cut_like_apache():
    """128 nested includes of a file with a long name: Apache's message is
    over 8 KiB and its error log cuts the line at 8,190 characters."""
    need_pipeline()
    sub = "d" * 90
    files = {sub + "/loop.conf": "\nInclude @ROOT@/%s/loop.conf\n" % sub}
    conf = GOOD + "Include @ROOT@/%s/loop.conf\n" % sub
    need_httpd()
    with Root(conf, files) as r:
        p = subprocess.run(["httpd", "-d", r.root, "-f", r.conf, "-t"], executable=HTTPD,
                           cwd=r.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        ours_err = p.stderr
        if have_apache():
            # the same ServerRoot (the paths, so the cut, must be equal)
            with open(r.conf, "w") as f:
                f.write(conf.replace("@MPM@", APACHE_MPM_LINE).replace("@ROOT@", r.root))
            a = subprocess.run(["httpd", "-d", "/usr/lib/apache2", "-f", r.conf, "-t"],
                               executable=APACHE2, cwd=r.root, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            eq((p.returncode, ours_err), (a.returncode, a.stderr), "same as apache2")
    eq(p.returncode, 1, "exit status")
    eq(len(ours_err), 8191, "one line of 8,190 characters and its newline")
    check(ours_err.startswith(b"httpd: Syntax error on line 6 of "), "Apache's shape")
    check(ours_err.endswith(b"\n") and ours_err.count(b"\n") == 1, "one line")


LOADMODULE = [
    # (LoadModule arguments, the error as apache2 prints it)
    ("foo_module @ROOT@/nope.so",
     "Cannot load @ROOT@/nope.so into server: @ROOT@/nope.so: cannot open "
     "shared object file: No such file or directory"),
    ("foo_module nope.so",
     "Cannot load nope.so into server: nope.so: cannot open shared object "
     "file: No such file or directory"),
    ("foo_module @ROOT@/conf",
     "Cannot load @ROOT@/conf into server: @ROOT@/conf: cannot read file "
     "data: Is a directory"),
    ("foo_module @ROOT@/junk.so",
     "Cannot load @ROOT@/junk.so into server: @ROOT@/junk.so: file too short"),
]


@test
def load_module_failures_like_apache():
    need_pipeline()
    files = {"junk.so": "garbage\n"}
    for args, want in LOADMODULE:
        conf = GOOD + "LoadModule %s\n" % args
        with Root(conf, files) as r:
            rc, out, err = run_bin(HTTPD, ["-d", r.root, "-f", r.conf, "-t"], r.root)
        eq((rc, err), (1, "httpd: Syntax error on line 6 of @ROOT@/httpd.conf: %s\n"
                       % want), "LoadModule %s" % args)
        if have_apache():
            with Root(conf, files, apache=True) as r:
                arc, aout, aerr = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf,
                                                    "-t"], r.root)
            eq((rc, err), (arc, aerr), "same as apache2 (LoadModule %s)" % args)


APACHE_MODULES = "/usr/lib/apache2/modules"
COMPILED_IN_LOADMODULE = [
    # (LoadModule arguments, apache2's error or None for Syntax OK, compare
    # with apache2 directly).  Facts from apache2 2.4 (mod_so): a FOO_module
    # whose mod_FOO.c is linked into apache2 (apache2 -l: so, watchdog,
    # log_config, logio, version, unixd) is refused before the file is
    # looked at; any other name has its file opened, and the file must
    # define the symbol.  Our compiled-in modules (mime, dir, ...) are
    # shared objects in Debian's apache2, so their LoadModule lines are
    # checked the same way; only "modules/mod_FOO.so", the module's own
    # place in Apache's layout, may be missing, as the compiled-in module
    # stands for it.
    ("so_module @ROOT@/nope.so",
     "module so_module is built-in and can't be loaded", True),
    ("log_config_module %s/mod_mime.so" % APACHE_MODULES,
     "module log_config_module is built-in and can't be loaded", True),
    ("version_module modules/mod_version.so",
     "module version_module is built-in and can't be loaded", True),
    ("mime_module @ROOT@/nope.so",
     "Cannot load @ROOT@/nope.so into server: @ROOT@/nope.so: cannot open "
     "shared object file: No such file or directory", True),
    ("core_module @ROOT@/nope.so",
     "Cannot load @ROOT@/nope.so into server: @ROOT@/nope.so: cannot open "
     "shared object file: No such file or directory", True),
    ("mime_module modules/nope.so",
     "Cannot load modules/nope.so into server: @ROOT@/modules/nope.so: "
     "cannot open shared object file: No such file or directory", False),
    ("dir_module lib/mod_dir.so",
     "Cannot load lib/mod_dir.so into server: @ROOT@/lib/mod_dir.so: "
     "cannot open shared object file: No such file or directory", False),
    ("dir_module @ROOT@/junk.so",
     "Cannot load @ROOT@/junk.so into server: @ROOT@/junk.so: file too short",
     True),
    ("headers_module @ROOT@/conf",
     "Cannot load @ROOT@/conf into server: @ROOT@/conf: cannot read file "
     "data: Is a directory", True),
    ("alias_module mod_alias.so",
     "Cannot load mod_alias.so into server: mod_alias.so: cannot open shared "
     "object file: No such file or directory", True),
    ("mime_module modules/mod_mime.so", None, True),
    ("authz_core_module ./modules/mod_authz_core.so", None, True),
    ("mime_module %s/mod_mime.so" % APACHE_MODULES, None, True),
    ("mime_module %s/mod_dir.so" % APACHE_MODULES,
     "Can't locate API module structure `mime_module' in file "
     "{0}/mod_dir.so: {0}/mod_dir.so: undefined symbol: mime_module"
     .format(APACHE_MODULES), True),
]


@test
def load_compiled_in_module_like_apache():
    need_pipeline()
    files = {"junk.so": "garbage\n"}
    for args, want, compare in COMPILED_IN_LOADMODULE:
        if APACHE_MODULES in args and not os.path.exists(
                os.path.join(APACHE_MODULES, "mod_dir.so")):
            continue
        conf = GOOD + "LoadModule %s\n" % args
        with Root(conf, files) as r:
            rc, out, err = run_bin(HTTPD, ["-d", r.root, "-f", r.conf, "-t"], r.root)
        if want is None:
            eq((rc, err), (0, "Syntax OK\n"), "LoadModule %s" % args)
        else:
            eq((rc, err), (1, "httpd: Syntax error on line 6 of "
                           "@ROOT@/httpd.conf: %s\n" % want), "LoadModule %s" % args)
        if compare and have_apache():
            with Root(conf, files, apache=True) as r:
                arc, aout, aerr = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf,
                                                    "-t"], r.root)
            eq((rc, err), (arc, aerr), "same as apache2 (LoadModule %s)" % args)


@test
def load_missing_mpm_file_like_apache():
    """The MPM too, linked in or not: a LoadModule naming a file that is
    not there is refused (with no other MPM line, as in apache2)."""
    need_pipeline()
    conf = GOOD.replace("@MPM@", "") + \
        "LoadModule mpm_%s_module @ROOT@/nope.so\n" % DEFAULT_MPM
    want = (1, "httpd: Syntax error on line 6 of @ROOT@/httpd.conf: Cannot load "
            "@ROOT@/nope.so into server: @ROOT@/nope.so: cannot open shared "
            "object file: No such file or directory\n")
    with Root(conf) as r:
        rc, out, err = run_bin(HTTPD, ["-d", r.root, "-f", r.conf, "-t"], r.root)
    eq((rc, err), want, "LoadModule of the MPM from a missing file")
    if have_apache():
        with Root(conf, apache=True) as r:
            arc, aout, aerr = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf,
                                                "-t"], r.root)
        eq((arc, aerr), want, "same as apache2")


@test
def include_paths_folded_like_apache():
    """Include names are folded as ap_server_root_relative() folds them
    ("//", "/./", "/../"), in messages and in -D DUMP_INCLUDES."""
    need_pipeline()
    files = {"conf.d/bad.conf": "Bogus 1\n", "conf.d/sub/s.conf": "Timeout 5\n"}
    cases = [
        ("Include @ROOT@/conf.d/sub/.././/bad.conf\n", ["-t"],
         (1, "", "AH00526: Syntax error on line 1 of @ROOT@/conf.d/bad.conf:\n"
          "Invalid command 'Bogus', perhaps misspelled or defined by a module "
          "not included in the server configuration\n")),
        ("Include @ROOT@/conf.d/sub/\n", ["-t", "-D", "DUMP_INCLUDES"],
         (0, "Included configuration files:\n  (*) @ROOT@/httpd.conf\n"
          "    (6) @ROOT@/conf.d/sub/s.conf\n", "")),
    ]
    for extra, args, want in cases:
        conf = GOOD + extra
        with Root(conf, files) as r:
            got = run_bin(HTTPD, ["-d", r.root, "-f", r.conf] + args, r.root)
        eq(got, want, extra.strip())
        if have_apache():
            with Root(conf, files, apache=True) as r:
                a = run_bin(APACHE2, ["-d", "/usr/lib/apache2", "-f", r.conf] + args, r.root)
            eq(got, a, "same as apache2: %s" % extra.strip())


@test
def undefined_variable_warning_shape():
    need_pipeline()
    conf = GOOD + "ServerAdmin ${CLI_TEST_NOT_DEFINED}\n"
    rc, out, err = ours(conf, ["-t"])
    eq(rc, 0, "exit status")
    check(re.fullmatch(r"\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[core:warn\] "
                       r"\[pid \d+:tid \d+\] AH00111: Config variable "
                       r"\$\{CLI_TEST_NOT_DEFINED\} is not defined\nSyntax OK\n", err),
          "AH00111 as an error-log line, then Syntax OK: %r" % err)
    if have_apache():
        arc, aout, aerr = apache(conf, ["-t"])
        eq(strip_log_frame(err), strip_log_frame(aerr), "same as apache2 besides time and pid")


@test
def missing_log_directory_like_apache():
    need_pipeline()
    conf = GOOD.replace('ErrorLog "@ROOT@/logs/error_log"',
                        'ErrorLog "@ROOT@/no/such/dir/error_log"')
    want = ("(2)No such file or directory: AH02291: Cannot access directory "
            "'@ROOT@/no/such/dir/' for main error log\n"
            "AH00014: Configuration check failed\n")
    eq(ours(conf, ["-t"])[::2], (1, want), "httpd -t")
    if have_apache():
        eq(apache(conf, ["-t"])[::2], (1, want), "apache2 -t")

# ---------------------------------------------------------------- dumps


@test
def dump_modules_lists_static_and_shared():
    need_pipeline()
    rc, out, err = ours(GOOD, ["-M"])
    eq((rc, err), (0, ""), "-M status and stderr (no Syntax OK)")
    want = golden("modules.txt")
    mpm_line = " mpm_%s_module (%s)\n" % (DEFAULT_MPM,
                                         "static" if STATIC_MPM == DEFAULT_MPM else "shared")
    check(out.startswith(want), "-M starts with the compiled-in modules:\n" + out)
    check(mpm_line in out, "-M shows %r:\n%s" % (mpm_line, out))
    eq(ours(GOOD, ["-t", "-D", "DUMP_MODULES"])[1], out, "-M is -t -D DUMP_MODULES")


@test
def dump_vhosts_like_apache():
    need_pipeline()
    for name in ("vhosts", "namevhosts"):
        conf = golden(name + ".conf")
        rc, out, err = ours(conf, ["-t", "-D", "DUMP_VHOSTS"])
        eq(rc, 0, "exit status (%s): %s" % (name, err))
        eq(out, golden(name + ".vhosts.txt"), "DUMP_VHOSTS (%s)" % name)
        if have_apache():
            eq(apache(conf, ["-t", "-D", "DUMP_VHOSTS"])[1], golden(name + ".vhosts.txt"),
               "apache2 still prints the golden output (%s)" % name)


def random_vhosts(rnd):
    """A configuration with random <VirtualHost> address sets (IPs, "*",
    "_default_", IPv6, ports or none, repeats), names and aliases."""
    lines = ["@MPM@", 'ErrorLog "@ROOT@/logs/error_log"', "Listen 127.0.0.1:28601",
             "Listen 28602", "ServerName main.example", 'DocumentRoot "@ROOT@/htdocs"']
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "10.1.2.3", "*", "_default_",
             "[::1]", "192.168.0.7"]
    for _ in range(rnd.randint(1, 7)):
        addrs = []
        for _ in range(rnd.randint(1, 3)):
            h, p = rnd.choice(hosts), rnd.choice(["28601", "28602", "*", None])
            addrs.append(h if p is None else "%s:%s" % (h, p))
        lines.append("<VirtualHost %s>" % " ".join(addrs))
        if rnd.random() < 0.8:
            lines.append("ServerName %s" % rnd.choice(
                ["a.example", "b.example", "c.example:8080", "d.example"]))
        for _ in range(rnd.randint(0, 3)):
            lines.append("ServerAlias %s" % rnd.choice(
                ["x.example", "*.w.example", "y?.example", "z.example"]))
        lines += ['DocumentRoot "@ROOT@/htdocs"', "</VirtualHost>"]
    return "\n".join(lines) + "\n"


@test
def dump_vhosts_random_layouts_like_apache():
    need_pipeline()
    if not have_apache():
        skip("apache2 not installed")
    import random
    for seed in range(60):      # fixed seeds: the same layouts every run
        conf = random_vhosts(random.Random(seed))
        rc, out, err = ours(conf, ["-t", "-D", "DUMP_VHOSTS"])
        arc, aout, aerr = apache(conf, ["-t", "-D", "DUMP_VHOSTS"])
        eq((rc, out), (arc, aout), "DUMP_VHOSTS for seed %d:\n%s" % (seed, conf))


@test
def dump_run_cfg_values():
    need_pipeline()
    conf = GOOD + "Define FOO bar\nPidFile logs/other.pid\n"
    rc, out, err = ours(conf, ["-S", "-D", "CLI_X"])
    eq(rc, 0, "exit status: " + err)
    want_lines = [
        'ServerRoot: "@ROOT@"',
        'Main DocumentRoot: "@ROOT@/htdocs"',
        'Main ErrorLog: "@ROOT@/logs/error_log"',
        'PidFile: "@ROOT@/logs/other.pid"',
        "Define: CLI_X", "Define: DUMP_VHOSTS", "Define: DUMP_RUN_CFG", "Define: FOO=bar",
        'User: name="#-1" id=4294967295',
        'Group: name="#-1" id=4294967295',
    ]
    lines = out.splitlines()
    if "Define: FOO" in lines:
        skip("the read phase does not keep Define values in rc->defines yet")
    for w in want_lines:
        check(w in lines, "-S prints %r:\n%s" % (w, out))
    check(lines[0] == "VirtualHost configuration:", "vhosts first")
    check(re.search(r'^Mutex default: dir="[^"]+/" mechanism=default $', out, re.M),
          "Mutex line in Apache's shape")
    eq(err, "", "no Syntax OK with dumps")
    if have_apache():
        arc, aout, aerr = apache(conf, ["-S", "-D", "CLI_X"])
        adefs = [ln for ln in aout.splitlines() if ln.startswith("Define:")]
        eq([ln for ln in lines if ln.startswith("Define:")], adefs, "Define lines as apache2")
        pick = lambda t: [ln.split(":")[0] for ln in t.splitlines() if not ln.startswith(
            ("Mutex", "Define", " ", "*", "VirtualHost"))]
        eq(pick(out), pick(aout), "same run-config lines in the same order as apache2")


@test
def dump_includes_like_apache():
    need_pipeline()
    files = {"conf.d/a.conf": "ServerAdmin a@example.com\n",
             "conf.d/b.conf": "# comment\n\nInclude @ROOT@/extra/nested.conf\n",
             "extra/nested.conf": "# nothing here\n",
             "extra/sub/x.conf": "KeepAlive On\n", "extra/sub/y.conf": ""}
    conf = golden("includes.conf")
    rc, out, err = ours(conf, ["-t", "-D", "DUMP_INCLUDES"], files)
    eq(rc, 0, "exit status: " + err)
    want = golden("includes.txt")
    eq(out, want, "DUMP_INCLUDES")
    if have_apache():
        eq(apache(conf, ["-t", "-D", "DUMP_INCLUDES"], files)[1], want, "apache2")


def run_merged(binary, args, root):
    """(exit code, stdout and stderr as one stream in writing order)."""
    p = subprocess.run(["httpd"] + list(args), executable=binary, cwd=root,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace").replace(root, "@ROOT@")


DUMP_INCLUDES_FILES = {
    "conf.d/one.conf": "Timeout 5\n", "conf.d/two.conf": "KeepAlive On\n",
    "conf.d/unclosed.conf": "Timeout 5\n<Directory />\n",
    "conf.d/bogus.conf": "Timeout 5\nBogus\n",
    "d2/a.conf": "Timeout 5\nInclude @ROOT@/conf.d/one.conf\nTimeout 6\n",
    "d2/b.conf": "Timeout 7\n", "d2/c.conf": "Include @ROOT@/conf.d/nope.conf\n",
}
INCS = "Included configuration files:\n  (*) @ROOT@/httpd.conf\n"
NOT_CLOSED = "@ROOT@/conf.d/unclosed.conf:2: <Directory> was not closed."
INVALID = "Invalid command 'Bogus', perhaps misspelled or defined by a module " \
    "not included in the server configuration"
NO_FILE = "No such file or directory"
# (name, config body after GOOD's 5 lines, extra arguments, exit code, the
# output, stdout and stderr merged).  Facts from apache2 2.4: the files are
# listed as they are opened, so a read-time error (an unclosed section, a
# missing Include) lists those read up to it and the error comes after;
# a directive error is found after the whole tree is read, so every file is
# listed first.  The "(N)" is the line of the last Include run anywhere
# (not always the file's own Include), and the main file shows "(*)" only
# when no Include ran before it (-C).
DUMP_INCLUDES_ERRORS = [
    ("read_error_in_include",
     "Include @ROOT@/conf.d/one.conf\nInclude @ROOT@/conf.d/unclosed.conf\n"
     "Include @ROOT@/conf.d/two.conf\n", [], 1,
     INCS + "    (6) @ROOT@/conf.d/one.conf\n    (7) @ROOT@/conf.d/unclosed.conf\n"
     "httpd: Syntax error on line 7 of @ROOT@/httpd.conf: Syntax error on line 2 "
     "of @ROOT@/conf.d/unclosed.conf: " + NOT_CLOSED + "\n"),
    ("read_error_in_main",
     "Include @ROOT@/conf.d/one.conf\n<Directory />\nInclude @ROOT@/conf.d/two.conf\n",
     [], 1,
     INCS + "    (6) @ROOT@/conf.d/one.conf\n    (8) @ROOT@/conf.d/two.conf\n"
     "httpd: Syntax error on line 7 of @ROOT@/httpd.conf: @ROOT@/httpd.conf:7: "
     "<Directory> was not closed.\n"),
    ("missing_include_in_main",
     "Include @ROOT@/conf.d/one.conf\nInclude @ROOT@/conf.d/nope.conf\n"
     "Include @ROOT@/conf.d/two.conf\n", [], 1,
     INCS + "    (6) @ROOT@/conf.d/one.conf\n"
     "httpd: Syntax error on line 7 of @ROOT@/httpd.conf: Could not open "
     "configuration file @ROOT@/conf.d/nope.conf: " + NO_FILE + "\n"),
    ("missing_include_in_directory",
     "Include @ROOT@/d2/\nInclude @ROOT@/conf.d/two.conf\n", [], 1,
     INCS + "    (6) @ROOT@/d2/a.conf\n      (2) @ROOT@/conf.d/one.conf\n"
     "    (2) @ROOT@/d2/b.conf\n    (2) @ROOT@/d2/c.conf\n"
     "httpd: Syntax error on line 6 of @ROOT@/httpd.conf: Syntax error on line 1 "
     "of @ROOT@/d2/c.conf: Could not open configuration file "
     "@ROOT@/conf.d/nope.conf: " + NO_FILE + "\n"),
    ("directive_error_in_main",
     "Include @ROOT@/conf.d/one.conf\nKeepAlive maybe\nInclude @ROOT@/conf.d/two.conf\n",
     [], 1,
     INCS + "    (6) @ROOT@/conf.d/one.conf\n    (8) @ROOT@/conf.d/two.conf\n"
     "AH00526: Syntax error on line 7 of @ROOT@/httpd.conf:\n"
     "KeepAlive must be On or Off\n"),
    ("invalid_command_in_include",
     "Include @ROOT@/conf.d/bogus.conf\nInclude @ROOT@/conf.d/two.conf\n", [], 1,
     INCS + "    (6) @ROOT@/conf.d/bogus.conf\n    (7) @ROOT@/conf.d/two.conf\n"
     "AH00526: Syntax error on line 2 of @ROOT@/conf.d/bogus.conf:\n" + INVALID + "\n"),
    ("include_in_pre_directives",
     "Include @ROOT@/conf.d/two.conf\n",
     ["-C", "Define X", "-C", "Include @ROOT@/conf.d/one.conf", "-C", "Define Y"], 0,
     "Included configuration files:\n    (2) @ROOT@/conf.d/one.conf\n"
     "  (2) @ROOT@/httpd.conf\n    (6) @ROOT@/conf.d/two.conf\n"),
    ("define_in_the_file",
     "Include @ROOT@/conf.d/one.conf\nDefine DUMP_INCLUDES\n"
     "Include @ROOT@/conf.d/two.conf\n", None, 0,
     "    (8) @ROOT@/conf.d/two.conf\nSyntax OK\n"),
    ("undefined_in_the_file",
     "Include @ROOT@/conf.d/one.conf\nUnDefine DUMP_INCLUDES\n"
     "Include @ROOT@/conf.d/two.conf\n", [], 0,
     INCS + "    (6) @ROOT@/conf.d/one.conf\n"),
]


@test
def dump_includes_on_errors_like_apache():
    need_pipeline()
    for name, body, extra, code, want in DUMP_INCLUDES_ERRORS:
        args = ["-t"] + (["-D", "DUMP_INCLUDES"] + extra if extra is not None else [])
        for binary, apache in ((HTTPD, False), (APACHE2, True)):
            if apache and not have_apache():
                continue
            with Root(GOOD + body, DUMP_INCLUDES_FILES, apache=apache) as r:
                argv = ["-d", "/usr/lib/apache2" if apache else r.root, "-f", r.conf]
                got = run_merged(binary, argv + [a.replace("@ROOT@", r.root) for a in args],
                                 r.root)
            eq(got, (code, want), "%s (%s)" % (name, "apache2" if apache else "ours"))
    # the main file itself missing: the heading, then the error
    need_httpd()
    with Root(GOOD) as r:
        got = run_merged(HTTPD, ["-d", r.root, "-f", r.root + "/nope.conf", "-t",
                                 "-D", "DUMP_INCLUDES"], r.root)
    eq(got, (1, "Included configuration files:\nhttpd: Could not open configuration "
             "file @ROOT@/nope.conf: " + NO_FILE + "\n"), "missing main file")


@test
def dumps_suppress_syntax_ok():
    need_pipeline()
    for d in ("DUMP_VHOSTS", "DUMP_RUN_CFG", "DUMP_MODULES", "DUMP_INCLUDES"):
        rc, out, err = ours(GOOD, ["-t", "-D", d])
        eq((rc, err), (0, ""), "-t -D %s" % d)
        check(out != "", "-D %s prints something" % d)


@test
def dump_config_reads_back():
    need_pipeline()
    conf = GOOD + "Define DOCS @ROOT@/htdocs\n<IfDefine !NOPE>\nKeepAlive Off\n</IfDefine>\n" \
        "<Directory ${DOCS}>\nOptions None\n</Directory>\n"
    rc, out, err = ours(conf, ["-t", "-D", "DUMP_CONFIG"])
    eq(rc, 0, "exit status: " + err)
    if out.strip() == "":
        skip("conf_dump() prints nothing yet")
    check("IfDefine" not in out, "conditionals resolved")
    check("${DOCS}" not in out, "variables substituted")
    check(re.search(r"# .*httpd\.conf:\d+", out), "origins as # file:line")
    need_httpd()
    with Root(out) as r:
        rc2, out2, err2 = run_bin(HTTPD, ["-d", r.root, "-f", r.conf, "-t", "-D", "DUMP_CONFIG"],
                                  r.root)
    eq(rc2, 0, "the dump reads back: " + err2)
    strip = lambda t: [re.sub(r"\s*# \S+:\d+$", "", ln) for ln in t.splitlines()
                       if ln.strip() and not ln.lstrip().startswith("#")]
    eq(strip(out2), strip(out), "reading the dump back gives the same configuration")


if __name__ == "__main__":
    run()
