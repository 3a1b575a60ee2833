"""test_mpm_config_diff.py -- MPM directives against Debian's apache2.

For each MPM, seeded random combinations of that MPM's directives (and now
and then one of another MPM's, a wrong argument count or a <VirtualHost>
around one) are checked with `httpd -t` and `apache2 -t`.  Both must give
the same verdict, the same clamping warnings in the same order
("AH00180: WARNING: MaxRequestWorkers of ...") and the same first error.
The seed is fixed, so a failure is reproducible; the inputs still vary
widely, so the rule is tested rather than a few examples.
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401,F403

DIRECTIVES = {
    "prefork": ["StartServers", "MinSpareServers", "MaxSpareServers",
                "ServerLimit", "MaxRequestWorkers", "MaxClients"],
    "worker": ["StartServers", "ServerLimit", "ThreadsPerChild",
               "ThreadLimit", "MinSpareThreads", "MaxSpareThreads",
               "MaxRequestWorkers", "MaxClients"],
    "event": ["StartServers", "ServerLimit", "ThreadsPerChild", "ThreadLimit",
              "MinSpareThreads", "MaxSpareThreads", "MaxRequestWorkers",
              "MaxClients", "AsyncRequestWorkerFactor"],
}
VALUES = ["-5", "0", "1", "2", "3", "7", "16", "25", "30", "64", "100", "110",
          "256", "300", "1000", "10000", "20000", "30000", "200000", "300000",
          "99999999999", "abc", "5x", " 12", "+4"]
FACTORS = ["2", "0.5", "1e1", "0", "-1", "abc", "1.5x"]
CASES_PER_MPM = 40

KEEP = re.compile(r"^(AH\d{5}: WARNING: |Syntax OK|AH00526: Syntax error|"
                  r"[^ ]+: Syntax error on line)")


def shape(stderr):
    """The lines both servers must agree on: warnings, verdict, first error
    (the line after AH00526 is its message)."""
    out = []
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if KEEP.match(line):
            # the program name differs (httpd vs apache2)
            out.append(re.sub(r"^[^ ]+: Syntax error", "PROG: Syntax error",
                              line))
            if line.startswith("AH00526") and i + 1 < len(lines):
                out.append(lines[i + 1])
    return out


def make_case(rng, mpm):
    names = DIRECTIVES[mpm]
    lines = []
    for _ in range(rng.randint(1, 5)):
        name = rng.choice(names)
        value = rng.choice(FACTORS if name == "AsyncRequestWorkerFactor"
                           else VALUES)
        if " " in value:
            value = '"%s"' % value
        lines.append("%s %s" % (name, value))
    roll = rng.random()
    if roll < 0.08:
        other = rng.choice([m for m in DIRECTIVES if m != mpm])
        extra = [d for d in DIRECTIVES[other] if d not in names]
        if extra:
            lines.insert(rng.randrange(len(lines) + 1),
                         "%s 3" % rng.choice(extra))
    elif roll < 0.14:
        lines.insert(rng.randrange(len(lines) + 1),
                     "%s 1 2" % rng.choice(names))
    elif roll < 0.20:
        lines.insert(rng.randrange(len(lines) + 1),
                     "<VirtualHost *:80>\n%s 4\n</VirtualHost>"
                     % rng.choice(names))
    return 'DocumentRoot "@HTDOCS@"\n' + "\n".join(lines) + "\n"


def for_each_mpm(fn):
    for mpm in ["prefork", "worker", "event"]:
        def bound(mpm=mpm):
            if not have_apache():
                skip("apache2 not installed")
            if mpm not in mpms():
                skip("MPM %s not in this build" % mpm)
            fn(mpm)
        bound.__name__ = "%s_%s" % (fn.__name__, mpm)
        test(bound)
    return fn


@for_each_mpm
def same_verdicts_and_warnings(mpm):
    rng = random.Random("mpm-config-diff-" + mpm)
    disagreements = []
    warned = 0
    for i in range(CASES_PER_MPM):
        conf = make_case(rng, mpm)
        ours_rc, ours = httpd_t(conf, mpm=mpm)
        theirs_rc, theirs = apache_t(conf, mpm=mpm)
        a, b = shape(ours), shape(theirs)
        warned += any("WARNING" in x for x in b)
        if ours_rc != theirs_rc or a != b:
            disagreements.append("case %d:\n%s\n  httpd (%d): %r\n  apache2 (%d): %r"
                                 % (i, conf, ours_rc, a, theirs_rc, b))
    check(warned > 0, "the cases exercised some clamping warnings")
    eq(len(disagreements), 0,
       "disagreements (first shown)\n" + "\n".join(disagreements[:2]))


if __name__ == "__main__":
    run()
