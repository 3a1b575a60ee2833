#!/usr/bin/env python3
"""mod_expires: ExpiresActive, ExpiresDefault and ExpiresByType.

Expected values recorded from Debian's apache2 2.4 (with mod_expires)
serving the same tree with the same configuration; where apache2 is
installed the same requests go to it too and must give the same status,
Content-Type, Cache-Control and Expires (as seconds after Date, or as the
date itself when it is fixed by a file's mtime).

Run alone: python3 test_expires.py [NAME-SUBSTRING...]"""
import email.utils
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

FILES = {"htdocs/a.txt": "a\n", "htdocs/b.html": "<p>b</p>\n",
         "htdocs/c.css": "x{}\n", "htdocs/d/e.txt": "e\n",
         "htdocs/noext": "n\n"}
FUTURE = 4102444800  # 2100-01-01: "modification" dates stay ahead of now
MODULES = harness.APACHE_DEFAULT_MODULES  # expires among them


def when(x):
    return email.utils.parsedate_to_datetime(x).timestamp()


def expiry(server, request):
    method, _, path = request.rpartition(" ")
    headers = {}
    if path.endswith("!inm"):  # conditional: answered 304
        path = path[:-4]
        headers["If-None-Match"] = get(server.port, path).header("ETag")
    r = get(server.port, path, method=method or "GET", headers=headers)
    exp = r.header("Expires")
    cc = ", ".join(r.header_all("Cache-Control")) or None
    if exp is not None and when(exp) >= FUTURE:
        # fixed by a file's mtime: the date itself; max-age counts to it
        cc = re.sub(r"max-age=\d+", "max-age=N", cc or "")
    elif exp is not None:
        exp = int(when(exp) - when(r.header("Date")))
    return (r.status, r.header("Content-Type"), exp, cc)


def answers(cls, config, requests, **kw):
    with cls(config, mpm="prefork", files=FILES, **kw) as s:
        for dirpath, dirnames, filenames in os.walk(s.htdocs):
            for n in dirnames + filenames + ["."]:
                os.utime(os.path.join(dirpath, n), (FUTURE, FUTURE))
        return [expiry(s, q) for q in requests]


def same(a, b):
    """Equal, but Expires-minus-Date may be off by one: the two fields come
    from clocks read at different moments, each to the second."""
    if len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if i == 2 and isinstance(x, int) and isinstance(y, int):
            if abs(x - y) > 1:
                return False
        elif x != y:
            return False
    return True


def check_case(config, want):
    requests = [q for q, _ in want]
    ours = answers(Server, config, requests)
    for (q, w), got in zip(want, ours):
        check(same(got, w), "%s: got %r, want %r" % (q, got, w))
    if have_apache():
        theirs = answers(Apache, config, requests, modules=MODULES)
        for q, a, b in zip(requests, ours, theirs):
            check(same(a, b), "%s: httpd-ng %r, apache2 %r" % (q, a, b))


DAY = "Sat, 02 Jan 2100 00:00:00 GMT"  # FUTURE + 1 day


@test
def by_type_default_and_base():
    check_case("""
<Directory "@HTDOCS@">
Options Indexes
</Directory>
ExpiresActive On
ExpiresDefault A3600
ExpiresByType text/html "modification plus 1 day"
ExpiresByType text/css "access plus 2 hours 3 minutes"
ExpiresByType text/plain A0
<Directory "@HTDOCS@/d">
ExpiresActive Off
</Directory>
<Files "noext">
Header set Cache-Control "no-cache"
</Files>
Redirect /r /a.txt
""", [
        ("/a.txt", (200, "text/plain", 0, "max-age=0")),
        ("/b.html", (200, "text/html", DAY, "max-age=N")),
        ("/c.css", (200, "text/css", 7380, "max-age=7380")),
        ("/d/e.txt", (200, "text/plain", None, None)),
        # Header acts after mod_expires: its set replaces the max-age
        ("/noext", (200, None, 3600, "no-cache")),
        ("/", (200, "text/html;charset=ISO-8859-1", DAY, "max-age=N")),
        ("/nonexist", (404, "text/html; charset=iso-8859-1", None, None)),
        ("/r", (302, "text/html; charset=iso-8859-1", None, None)),
        ("HEAD /b.html", (200, "text/html", DAY, "max-age=N")),
        ("/a.txt!inm", (304, None, 0, "max-age=0")),
        ("/d/", (200, "text/html;charset=ISO-8859-1", None, None)),
    ])


@test
def wildcards_parameters_and_scopes():
    check_case("""
<Directory "@HTDOCS@">
Options Indexes
</Directory>
ExpiresActive On
ExpiresByType text/* A100
ExpiresByType "text/html; charset=iso-8859-1" A200
ExpiresByType text/css A300
AddType "text/css; charset=utf-8" .css
AddDefaultCharset utf-8
<Directory "@HTDOCS@/d">
ExpiresDefault M10
</Directory>
<Files "noext">
ExpiresDefault "access"
</Files>
ErrorDocument 404 /a.txt
""", [
        ("/a.txt", (200, "text/plain; charset=utf-8", 100, "max-age=100")),
        ("/b.html", (200, "text/html; charset=utf-8", 100, "max-age=100")),
        ("/c.css", (200, "text/css; charset=utf-8", 300, "max-age=300")),
        # the wildcard is only looked at where the scope wrote one
        ("/d/e.txt", (200, "text/plain; charset=utf-8",
                      "Fri, 01 Jan 2100 00:00:10 GMT", "max-age=N")),
        ("/noext", (200, None, 0, "max-age=0")),
        ("/", (200, "text/html;charset=ISO-8859-1", 100, "max-age=100")),
        ("/nonexist", (404, "text/plain; charset=utf-8", None, None)),
    ])


@test
def units():
    check_case("""
ExpiresActive On
ExpiresByType text/plain "access plus 1 month 1 year 1 week 1 day 1 hour 1 minute 1 second"
ExpiresByType text/html "now plus 2 MONTHS"
ExpiresByType text/css "access 1x days"
""", [
        ("/a.txt", (200, "text/plain", 34822861, "max-age=34822861")),
        ("/b.html", (200, "text/html", 5184000, "max-age=5184000")),
        ("/c.css", (200, "text/css", 86400, "max-age=86400")),
        ("/noext", (200, None, None, None)),
    ])


@test
def config_errors_as_apache():
    cases = [
        ("ExpiresActive foo\n", 1, "ExpiresActive must be On or Off"),
        ('ExpiresDefault "access plus 1"\n', 1,
         "'ExpiresDefault access plus 1': bad expires code, missing <type>"),
        ('ExpiresDefault "foo plus 1 day"\n', 1, "'ExpiresDefault foo plus 1 "
         "day': bad expires code, unrecognised <base> 'foo'"),
        ('ExpiresDefault "access plus x days"\n', 1, "bad expires code, "
         "numeric value expected <num> 'x'"),
        ('ExpiresDefault "access plus 1 fortnight"\n', 1,
         "bad expires code, unrecognised <type>'fortnight'"),
        ("ExpiresDefault X100\n", 1, "unrecognised <base> 'X100'"),
        ('ExpiresByType text/css "access plus 1 x"\n', 1,
         "'ExpiresByType text/css access plus 1 x': bad expires code, "
         "unrecognised <type>'x'"),
        ("ExpiresByType text/html\n", 1, "ExpiresByType takes two arguments, "
         "a MIME type followed by an expiry date code"),
        ("ExpiresDefault access plus 1 month\n", 1,
         "ExpiresDefault takes one argument, an expiry date code"),
        ('ExpiresActive On\nExpiresDefault A\nExpiresDefault Afoo\n'
         'ExpiresByType text/* M60\nExpiresDefault "modification"\n', 0,
         "Syntax OK"),
    ]
    config_cases_agree(cases)  # apache2 with its modules loaded


if __name__ == "__main__":
    run()
