"""test_confcheck.py -- the linter: every problem in one run, as text with
the source line and a caret or as one JSON document, its own warnings
(dead <IfModule> blocks, MPM directives for another MPM, duplicate
ServerNames, undefined ${VAR}s, clamped MPM values) and its exit codes."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

CONFCHECK = os.path.join(BUILDDIR, "confcheck")
OTHER_MPM = {"event": "prefork", "worker": "prefork", "prefork": "event"}


def mpm_line(mpm=None):
    mpm = mpm or DEFAULT_MPM
    if mpm == STATIC_MPM:
        return "# the %s MPM is linked in" % mpm
    return "LoadModule mpm_%s_module %s" % (
        mpm, os.path.join(BUILDDIR, "modules", "mod_mpm_%s.so" % mpm))


HEAD = """@MPM@
ErrorLog "@ROOT@/logs/error_log"
ServerName localhost
Listen 127.0.0.1:28701
DocumentRoot "@ROOT@/htdocs"
"""  # five lines: problems below start at line 6


def confcheck(conf, args=(), files=None, raw=None):
    """(exit code, stdout, stderr) of confcheck on conf (a template)."""
    if not os.access(CONFCHECK, os.X_OK):
        skip("%s not built" % CONFCHECK)
    root = tempfile.mkdtemp(prefix="confcheck-")
    try:
        for d in ("logs", "htdocs"):
            os.mkdir(os.path.join(root, d))
        path = os.path.join(root, "httpd.conf")
        with open(path, "wb") as f:
            if raw is not None:
                f.write(raw)
            else:
                f.write(conf.replace("@ROOT@", root).replace("@MPM@", mpm_line()).encode())
        for rel, text in (files or {}).items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text.replace("@ROOT@", root))
        p = subprocess.run([CONFCHECK, "-d", root] + list(args) + [path], cwd=root,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        return (p.returncode, p.stdout.decode("utf-8", "replace").replace(root, "@ROOT@"),
                p.stderr.decode("utf-8", "replace").replace(root, "@ROOT@"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


_pipeline_state = []


def need_pipeline():
    if not _pipeline_state:
        rc, out, err = confcheck(HEAD)
        _pipeline_state.append("not written yet" not in out + err)
    if not _pipeline_state[0]:
        skip("conf_load() (core/resolve.c) is not written yet")


def as_json(conf, args=(), **kw):
    rc, out, err = confcheck(conf, ["--format=json"] + list(args), **kw)
    try:
        doc = json.loads(out)
    except ValueError as e:
        raise AssertionError("not one JSON document (%s):\n%s" % (e, out))
    check(isinstance(doc, list), "a JSON array")
    for d in doc:
        for k in ("file", "line", "column", "severity", "rule", "message", "suggestion"):
            check(k in d, "field %r in %r" % (k, d))
        check(d["severity"] in ("error", "warning", "note"), "severity %r" % d["severity"])
    return rc, doc, err


def at_line(doc, line):
    return [d for d in doc if d["line"] == line and d["file"].endswith("httpd.conf")]

# ---------------------------------------------------------------- usage


@test
def usage_errors_exit_2():
    for args in ([], ["--format=xml", "x.conf"], ["--bogus", "x.conf"], ["a.conf", "b.conf"]):
        if not os.access(CONFCHECK, os.X_OK):
            skip("confcheck not built")
        p = subprocess.run([CONFCHECK] + args, capture_output=True, timeout=60)
        eq(p.returncode, 2, "exit status for %s" % args)
        check(b"usage: confcheck" in p.stderr, "usage on stderr for %s" % args)
    p = subprocess.run([CONFCHECK, "--help"], capture_output=True, timeout=60)
    eq(p.returncode, 0, "--help")
    check(b"--format=json" in p.stdout, "--help describes the formats")


@test
def clean_configuration_exits_0():
    need_pipeline()
    rc, out, err = confcheck(HEAD)
    eq((rc, out), (0, "0 errors, 0 warnings\n"), "text: " + err)
    rc, doc, err = as_json(HEAD)
    eq((rc, doc), (0, []), "json")

# ---------------------------------------------------------------- every error


MANY = HEAD + """DocumentRot /tmp
KeepAlive Off
   Timeout 10 20
KeepAlive perhaps
<Directory "@ROOT@/htdocs">
    Listen 8080
</Directory>
"""


@test
def every_error_in_one_run():
    need_pipeline()
    rc, out, err = confcheck(MANY)
    eq(rc, 1, "exit status")
    heads = re.findall(r"^(\S+):(\d+):(\d+): (error|warning): (.*) \[([\w-]+)\]$", out, re.M)
    lines = [(int(h[1]), h[3]) for h in heads]
    for want in ((6, "error"), (8, "error"), (9, "error"), (11, "error")):
        check(want in lines, "line %d reported as %s:\n%s" % (want[0], want[1], out))
    check(all(h[0] == "@ROOT@/httpd.conf" for h in heads if int(h[1]) >= 6),
          "file names in the reports")
    check(re.search(r"^\s+8 \|    Timeout 10 20$", out, re.M), "source line shown:\n" + out)
    check(re.search(r"^\s+\|    \^~~~~~~$", out, re.M), "caret under column 4:\n" + out)
    col = [h for h in heads if h[1] == "8"][0][2]
    eq(col, "4", "column of the indented directive")
    check(re.search(r"^\d+ errors?, \d+ warnings?$", out.splitlines()[-1]), "summary line")
    n = int(out.splitlines()[-1].split()[0])
    check(n >= 4, "summary counts every error: %s" % out.splitlines()[-1])


@test
def misspelling_gets_a_suggestion():
    need_pipeline()
    rc, doc, err = as_json(MANY)
    d = at_line(doc, 6)
    check(d and d[0]["severity"] == "error", "DocumentRot is an error: %r" % doc)
    check("Invalid command 'DocumentRot'" in d[0]["message"], "Apache's wording")
    sug = d[0]["suggestion"] or ""
    check("DocumentRoot" in sug, "suggests DocumentRoot: %r" % d[0])
    rc, out, err = confcheck(MANY)
    check(re.search(r"did you mean DocumentRoot\?", out), "text shows the suggestion")


@test
def json_and_text_agree():
    need_pipeline()
    rc1, out, err = confcheck(MANY)
    rc2, doc, err = as_json(MANY)
    eq(rc1, rc2, "same exit status")
    heads = re.findall(r"^\S+:(\d+):(\d+): (error|warning): ", out, re.M)
    eq([(int(l), int(c), s) for l, c, s in heads],
       [(d["line"], d["column"], d["severity"]) for d in doc if d["line"] > 0],
       "same problems in the same order")


@test
def json_survives_binary_garbage():
    need_pipeline()
    import random
    raws = [bytes(range(256)) * 4 + b"\n\xff\xfe Timeout \x01\x02\n<Dir\x00ectory>\n"]
    for seed in range(4):   # fixed seeds: the same bytes on every run
        rnd = random.Random(seed)
        raws.append(bytes(rnd.randrange(256) for _ in range(20000)))
    raws.append("Timeout 5 \u00e9\ud7ff\U0010ffff\n".encode("utf-8", "surrogatepass")
                + b"\xed\xa0\x80 \xf4\x90\x80\x80 \xe0\x80\x80 \xc0\xaf\n")
    for i, raw in enumerate(raws):
        rc, doc, err = as_json(None, raw=raw)
        eq(rc, 1, "garbage is an error (%d)" % i)
        check(len(doc) >= 1, "at least one report (%d)" % i)


@test
def nested_dead_blocks_reported_once():
    need_pipeline()
    conf = HEAD + "<IfModule mod_nothing.c>\n" * 200 + "</IfModule>\n" * 200
    rc, doc, err = as_json(conf)
    dead = [d for d in doc if d["rule"] == "ifmodule-not-loaded"]
    eq([d["line"] for d in dead], [6], "only the outermost dead block")

# ---------------------------------------------------------------- warnings


@test
def undefined_variable_is_a_warning():
    need_pipeline()
    rc, doc, err = as_json(HEAD + "ServerAdmin ${CONFCHECK_UNDEFINED}\n")
    eq(rc, 0, "warnings alone exit 0")
    d = at_line(doc, 6)
    check(d and d[0]["severity"] == "warning", "warning at line 6: %r" % doc)
    check("AH00111: Config variable ${CONFCHECK_UNDEFINED} is not defined" in d[0]["message"],
          "Apache's AH00111 text: %r" % d[0])


@test
def ifmodule_never_loaded():
    need_pipeline()
    conf = HEAD + "<IfModule mod_rewrite.c>\nRewriteEngine On\n</IfModule>\n" \
        "<IfModule mod_mime.c>\nAddType text/x-a .a\n</IfModule>\n" \
        "<IfModule !mod_nothing.c>\nKeepAlive On\n</IfModule>\n" \
        "<IfModule mod_mmie.c>\n</IfModule>\n"
    rc, doc, err = as_json(conf)
    eq(rc, 0, "exit status: %r" % doc)
    d = at_line(doc, 6)
    check(d and d[0]["rule"] == "ifmodule-not-loaded", "mod_rewrite.c is never loaded: %r" % doc)
    eq(at_line(doc, 9), [], "mod_mime.c is compiled in")
    eq(at_line(doc, 12), [], "a negated test is not dead")
    d = at_line(doc, 15)
    check(d and "mod_mime.c" in (d[0]["suggestion"] or ""), "typo gets a suggestion: %r" % d)


@test
def mpm_block_for_another_mpm():
    need_pipeline()
    other = OTHER_MPM[DEFAULT_MPM]
    conf = HEAD + "<IfModule mpm_%s_module>\nStartServers 2\n</IfModule>\n" % other
    rc, doc, err = as_json(conf)
    eq(rc, 0, "exit status")
    d = at_line(doc, 6)
    check(d and d[0]["rule"] == "mpm-not-loaded" and d[0]["severity"] == "warning",
          "dead MPM block: %r" % doc)
    check(DEFAULT_MPM in d[0]["message"], "names the MPM that runs")


@test
def mpm_directive_of_another_mpm():
    need_pipeline()
    name = "MinSpareServers" if DEFAULT_MPM != "prefork" else "ThreadsPerChild"
    rc, doc, err = as_json(HEAD + "%s 5\n" % name)
    eq(rc, 1, "Apache refuses it, so it is an error")
    d = at_line(doc, 6)
    check(d and d[0]["severity"] == "error", "error at line 6: %r" % doc)
    check("MPM" in (d[0]["suggestion"] or ""), "the hint says which MPM it belongs to: %r" % d)


@test
def duplicate_servername_on_one_address():
    need_pipeline()
    vh = "<VirtualHost 127.0.0.1:28701>\nServerName dup.example\n" \
         'DocumentRoot "@ROOT@/htdocs"\n</VirtualHost>\n'
    other = "<VirtualHost 127.0.0.1:28702>\nServerName dup.example\n" \
            'DocumentRoot "@ROOT@/htdocs"\n</VirtualHost>\n'
    rc, doc, err = as_json(HEAD + vh + vh + other)
    eq(rc, 0, "a warning, not an error")
    dups = [d for d in doc if d["rule"] == "duplicate-servername"]
    eq(len(dups), 1, "one duplicate (the other port is a different address): %r" % doc)
    eq(dups[0]["line"], 10, "reported at the second <VirtualHost>")
    eq(dups[0].get("related"), {"file": dups[0]["file"], "line": 6}, "points at the first")


@test
def clamped_mpm_values_warn():
    need_pipeline()
    rc, doc, err = as_json(HEAD + "ServerLimit 2\nMaxRequestWorkers 100000\n")
    eq(rc, 0, "clamping is a warning: %r" % doc)
    check(any(d["severity"] == "warning" and "MaxRequestWorkers" in d["message"]
              for d in doc), "a MaxRequestWorkers warning: %r" % doc)


@test
def two_mpms_point_at_both_lines():
    need_pipeline()
    shared = [m for m in SHARED_MPMS
              if os.path.exists(os.path.join(BUILDDIR, "modules", "mod_mpm_%s.so" % m))]
    if STATIC_MPM:
        if not shared:
            skip("needs a shared MPM beside the static one")
        conf = HEAD + mpm_line(shared[0]) + "\n"   # the static MPM counts as the first
        both = None
    else:
        if len(shared) < 2:
            skip("needs two shared MPMs")
        second = [m for m in shared if m != DEFAULT_MPM][0]
        conf = HEAD + mpm_line(second) + "\n"
        both = (1, 6)
    rc, doc, err = as_json(conf)
    eq(rc, 1, "two MPMs are an error")
    d = [x for x in doc if "More than one MPM loaded" in x["message"]]
    check(d, "AH00534 reported: %r" % doc)
    if both is not None:
        lines = {d[0]["line"], (d[0].get("related") or {}).get("line")}
        eq(lines, set(both), "both LoadModule lines named: %r" % d[0])
        rc, out, err = confcheck(conf)
        check("note: related location" in out, "text names the other line:\n" + out)


GOLDEN = os.path.join(SRCDIR, "tests", "golden", "confcheck")


@test
def golden_text_and_json():
    need_pipeline()
    with open(os.path.join(GOLDEN, "sample.conf")) as f:
        conf = f.read()
    rc, out, err = confcheck(conf)
    eq(rc, 1, "exit status")
    with open(os.path.join(GOLDEN, "sample.txt")) as f:
        eq(out, f.read(), "text report (tests/golden/confcheck/sample.txt)")
    rc, doc, err = as_json(conf)
    with open(os.path.join(GOLDEN, "sample.json")) as f:
        eq(doc, json.load(f), "JSON report (tests/golden/confcheck/sample.json)")
    eq(err, "4 errors, 4 warnings\n", "JSON mode: summary on stderr")


if __name__ == "__main__":
    run()
