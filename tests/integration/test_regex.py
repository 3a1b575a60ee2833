"""Regular expressions are PCRE, as in Apache (util_pcre.c): syntax that
POSIX ERE lacks -- (?i), \\d, lazy quantifiers, look-arounds -- works in
DirectoryMatch/FilesMatch/LocationMatch, AliasMatch, RedirectMatch and
Header, at configuration time and when serving.  Each expectation was
recorded from apache2 2.4 and is compared with a live apache2 when one is
installed."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FILES = {
    "htdocs/a.txt": "alpha\n",
    "htdocs/pic.JPG": "jpeg\n",
    "htdocs/pic.gif": "gif\n",
    "htdocs/n/12": "twelve\n",
    "htdocs/n/ab": "letters\n",
    "htdocs/docs/x.txt": "x\n",
}

CONFIG = r"""
<FilesMatch "(?i)\.(gif|jpe?g)$">
    Require all denied
</FilesMatch>
<LocationMatch "^/n/\d+$">
    Header set X-Digits yes
</LocationMatch>
AliasMatch "^/lazy/(.+?)(-\d+)?$" "@HTDOCS@/docs/$1.txt"
RedirectMatch "^/r/(?<name>[a-z]+?)(?=/)/(\d+)$" "/to/$2/$1"
Header set X-Edit "xAbCy"
Header edit X-Edit "(?i)ABC" "z"
"""

# (path, status, header name or None, header value)
EXPECT = [
    ("/a.txt", 200, None, None),
    ("/pic.JPG", 403, None, None),
    ("/pic.gif", 403, None, None),
    ("/n/12", 200, "X-Digits", "yes"),
    ("/n/ab", 200, "X-Digits", None),
    ("/lazy/x-42", 200, None, None),
    ("/lazy/y-42", 404, None, None),
    ("/r/abc/7", 302, "Location", "http://localhost/to/7/abc"),
    ("/a.txt", 200, "X-Edit", "xzy"),
]


def answers(server):
    out = []
    for path, _, name, _ in EXPECT:
        r = get(server.port, path)
        v = r.header(name) if name else None
        if v is not None:
            v = v.replace(":%d" % server.port, ":PORT")
        out.append((path, r.status, v))
    return out


@test
def pcre_syntax_when_serving():
    with Server(CONFIG, files=FILES) as s:
        ours = answers(s)
    want = [(p, st, v) for p, st, _, v in EXPECT]
    eq(ours, want, "answers as recorded from apache2")
    if have_apache():
        with Apache(CONFIG, files=FILES) as a:
            eq(ours, answers(a), "same answers as apache2")


# PCRE-only patterns that POSIX rejected or read differently, and patterns
# PCRE refuses, for each directive that takes a regex (first error or OK).
PATTERNS = ["(?i)x", r"\d+", "a.*?b", "(?<=a)b", "a++", r"\bfoo\b",
            "*abc", "[z-a]", "x{2,1}", "(", "a|*"]
REFUSED = {"*abc", "[z-a]", "x{2,1}", "(", "a|*"}
DIRECTIVES = [
    ('<DirectoryMatch "%s">\n</DirectoryMatch>', "Regex could not be compiled"),
    ('<FilesMatch "%s">\n</FilesMatch>', "Regex could not be compiled"),
    ('<LocationMatch "%s">\n</LocationMatch>', "Regex could not be compiled"),
    ('AliasMatch "%s" /tmp/x', "Regular expression could not be compiled."),
    ('RedirectMatch "%s" /x', "Regular expression could not be compiled."),
    ('Header edit X-A "%s" y', "Header edit regex could not be compiled"),
]


@test
def pcre_syntax_at_configuration_time():
    for template, message in DIRECTIVES:
        for pat in PATTERNS:
            body = template % pat
            rc, out = httpd_t(body)
            lines = out.splitlines()
            if pat in REFUSED:
                eq((rc, len(lines), lines[-1]), (1, 2, message), body)
                check(lines[0].startswith("AH00526: Syntax error on line "),
                      "AH00526 line: %r" % out)
            else:
                eq((rc, out), (0, "Syntax OK\n"), body)
            if have_apache():
                eq(apache_t(body), (rc, out), "same as apache2: %s" % body)


if __name__ == "__main__":
    run()
