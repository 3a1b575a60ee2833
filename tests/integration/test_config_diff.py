#!/usr/bin/env python3
"""Differential test: our `httpd -t` against Apache's `apache2 -t`.

Each case of tests/data/diff/corpus.txt is a configuration body.  The test
writes it after a fixed header (the MPM's LoadModule line, LoadModule lines
for the standard modules, an ErrorLog in a scratch directory), so line
numbers are the same for both servers, and compares exit code and the
normalised output: every line that is not a time-stamped error-log line
(those carry pids and times), with paths, the server root and argv[0]
replaced by placeholders.  That is: same verdict, same first-error file and
line, same message.

Apache's answers are stored as golden files (tests/data/diff/golden/), so
the test runs without apache2; `--record` rewrites them from apache2, and
`--live` compares against a running apache2 instead of the goldens, and
`--corpus=FILE` reads another corpus (for generated ones).

Case header line:   ### NAME [mpm=prefork|worker|event] [nompm]
                        [mpms=prefork,event] [noheader]
Placeholders in bodies: @TMP@ (scratch dir), @DATA@ (tests/data/diff).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRCDIR = os.environ.get("SRCDIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("BUILDDIR") or os.getcwd()
DATA = os.path.join(SRCDIR, "tests", "data", "diff")
GOLDEN = os.path.join(DATA, "golden")
APACHE_ROOT = "/usr/lib/apache2"
STD_MODULES = ["mime", "dir", "alias", "authz_core", "authz_host",
               "autoindex", "headers"]
HEADER_LINES = 1 + len(STD_MODULES) + 1


def parse_corpus(path):
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("### "):
                words = line[4:].split()
                cur = {"name": words[0], "opts": {}, "body": []}
                for w in words[1:]:
                    k, _, v = w.partition("=")
                    cur["opts"][k] = v or True
                cases.append(cur)
            elif cur is not None:
                cur["body"].append(line)
    for c in cases:
        while c["body"] and not c["body"][-1].strip():
            c["body"].pop()
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit("duplicate case names: %s" % sorted(dup))
    return cases


def mpms_of(case):
    o = case["opts"]
    if "nompm" in o:
        return []
    if "mpms" in o:
        return o["mpms"].split(",")
    return [o.get("mpm", "event")]


def config_text(case, tmp):
    mpms = mpms_of(case)
    lines = []
    if "noheader" not in case["opts"]:
        if len(mpms) == 1:
            lines.append("LoadModule mpm_%s_module modules/mod_mpm_%s.so"
                         % (mpms[0], mpms[0]))
        else:
            lines.append("# MPM lines are in the body")
        for m in STD_MODULES:
            lines.append("LoadModule %s_module modules/mod_%s.so" % (m, m))
        lines.append("ErrorLog %s/error.log" % tmp)
    body = "".join(case["body"])
    body = body.replace("@TMP@", tmp).replace("@DATA@", DATA)
    return "\n".join(lines) + ("\n" if lines else "") + body + "\n"


TIMESTAMPED = re.compile(r"^\[\w{3} \w{3} [ \d]\d [\d:.]+ \d{4}\] \[")


def normalise(text, tmp, root):
    out = []
    for line in text.splitlines():
        if TIMESTAMPED.match(line) or "AH00558:" in line:
            continue
        line = line.replace(tmp, "@TMP@").replace(DATA, "@DATA@")
        line = line.replace(root, "@ROOT@")
        line = re.sub(r"(^|AH\d{5}: )(apache2|httpd): ", r"\1@ARGV0@: ",
                      line)
        out.append(line)
    return out


def run(cmd, argv0, tmp, root):
    p = subprocess.run(cmd, executable=cmd[0], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                       timeout=60, cwd=tmp,
                       env=dict(os.environ, LANG="C", LC_ALL="C"))
    text = p.stdout.decode("utf-8", "replace")
    return p.returncode, normalise(text, tmp, root)


def run_apache(conf, tmp):
    return run(["apache2", "-d", APACHE_ROOT, "-f", conf, "-t"], "apache2",
               tmp, APACHE_ROOT)


def run_ours(conf, tmp):
    root = os.path.realpath(BUILDDIR)
    cmd = [os.path.join(BUILDDIR, "httpd"), "-d", root, "-f", conf, "-t"]
    return run(cmd, "httpd", tmp, root)


def golden_path(case):
    return os.path.join(GOLDEN, case["name"] + ".txt")


def read_golden(case):
    try:
        with open(golden_path(case), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    return int(lines[0].split()[1]), lines[1:]


def write_golden(case, result):
    os.makedirs(GOLDEN, exist_ok=True)
    with open(golden_path(case), "w", encoding="utf-8") as f:
        f.write("exit %d\n" % result[0])
        for line in result[1]:
            f.write(line + "\n")


def available_mpms():
    shared = os.environ.get("SHARED_MPMS", "").split()
    static = os.environ.get("STATIC_MPM", "").strip()
    if not shared and not static:
        # not run by run-tests.sh: ask the build
        try:
            with open(os.path.join(BUILDDIR, "buildinfo.h")) as f:
                info = f.read()
            m = re.search(r'HTTPD_STATIC_MPM "(\w*)"', info)
            static = m.group(1) if m else ""
            m = re.search(r'HTTPD_SHARED_MPMS "([\w ]*)"', info)
            shared = m.group(1).split() if m else []
        except OSError:
            pass
    return static, shared


def runnable(case, static, shared):
    mpms = mpms_of(case)
    if static:
        # the linked-in MPM is always there: only cases that load exactly it
        return mpms == [static]
    return bool(mpms) and all(m in shared for m in mpms) or \
        (not mpms and bool(shared))


def main():
    args = sys.argv[1:]
    record = "--record" in args
    live = "--live" in args
    only = [a for a in args if not a.startswith("--")]
    corpus = os.path.join(DATA, "corpus.txt")
    for a in args:
        if a.startswith("--corpus="):
            corpus = a.split("=", 1)[1]
    cases = parse_corpus(corpus)
    if only:
        cases = [c for c in cases if c["name"] in only]
    static, shared = available_mpms()
    passed = failed = skipped = 0
    for case in cases:
        tmp = tempfile.mkdtemp(prefix="cfgdiff-")
        try:
            conf = os.path.join(tmp, "test.conf")
            with open(conf, "w", encoding="utf-8") as f:
                f.write(config_text(case, tmp))
            if record:
                write_golden(case, run_apache(conf, tmp))
                passed += 1
                continue
            expected = run_apache(conf, tmp) if live else read_golden(case)
            if expected is None:
                print("FAIL %s: no golden file (run with --record)"
                      % case["name"])
                failed += 1
                continue
            if not runnable(case, static, shared):
                skipped += 1
                continue
            got = run_ours(conf, tmp)
            if tuple(got) == tuple(expected):
                passed += 1
            else:
                failed += 1
                print("FAIL %s" % case["name"])
                print("  apache: exit %d: %s" % (expected[0],
                                                 " | ".join(expected[1])))
                print("  ours:   exit %d: %s" % (got[0], " | ".join(got[1])))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
