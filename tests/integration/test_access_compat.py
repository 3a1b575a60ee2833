#!/usr/bin/env python3
"""mod_access_compat: Order, Allow from, Deny from and Satisfy, alone and
beside Require, in sections, <Limit> and .htaccess.

The expected statuses were recorded from Debian's apache2 2.4 (with
mod_access_compat loaded) serving the same tree with the same
configuration; where apache2 is installed the same requests go to it too,
and the statuses and the AH01797/AH01630 error-log lines must be equal.

Run alone: python3 test_access_compat.py [NAME-SUBSTRING...]"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

FILES = {"htdocs/a.txt": "a\n", "htdocs/d/b.txt": "b\n",
         "htdocs/d/e/c.txt": "c\n"}
PATHS = ["/a.txt", "/d/b.txt", "/d/e/c.txt", "POST /d/b.txt", "/nonexist"]
MODULES = harness.APACHE_DEFAULT_MODULES  # access_compat among them


def denials(server):
    out = []
    for line in server.error_log().splitlines():
        if "AH01797" in line or "AH01630" in line:
            msg = line.split("] ", 3)[-1].replace(server.root, "@ROOT@")
            out.append(re.sub(r"client 127\.0\.0\.1:\d+", "client", msg))
    return out


def statuses(cls, config, files, paths, **kw):
    with cls(config, mpm="prefork", files=files, **kw) as s:
        got = []
        for p in paths:
            method, _, path = p.rpartition(" ")
            got.append(get(s.port, path, method=method or "GET").status)
        return got, denials(s)


def check_cases(cases, files=FILES, paths=PATHS):
    """cases: (config, statuses recorded from apache2 for paths)."""
    for config, want in cases:
        ours = statuses(Server, config, files, paths)
        eq(ours[0], want, "statuses for %r" % config)
        if have_apache():
            theirs = statuses(Apache, config, files, paths, modules=MODULES)
            eq(ours[0], theirs[0], "apache2's statuses for %r" % config)
            eq(ours[1], theirs[1], "error-log denials for %r" % config)


D = '<Directory "@HTDOCS@/d">\n%s\n</Directory>\n'
E = '<Directory "@HTDOCS@/d/e">\n%s\n</Directory>\n'


@test
def order_allow_deny_rules():
    check_cases([
        (D % "Order deny,allow\nDeny from all", [200, 403, 403, 403, 404]),
        (D % "Order allow,deny", [200, 403, 403, 403, 404]),
        (D % "Order allow,deny\nAllow from 127.0.0.1 10.0.0.0/255.0.0.0",
         [200, 200, 200, 200, 404]),
        (D % "Order mutual-failure\nAllow from 127\nDeny from 10.0.0.1",
         [200, 200, 200, 200, 404]),
        (D % "Order deny,allow\nDeny from 127.0.0.0/8",
         [200, 403, 403, 403, 404]),
        (D % "Deny from env=nope\nAllow from env=!nope\nOrder allow,deny",
         [200, 200, 200, 200, 404]),
        (D % "Order allow,deny\nAllow from all\nDeny from localhost",
         [200, 403, 403, 403, 404]),
        ('<Location "/">\nOrder deny,allow\nDeny from all\n'
         'Allow from ::1 127.0.0.1/32\n</Location>\n',
         [200, 200, 200, 200, 404]),
        ('SetEnvIf User-Agent "^$" nobody\n' +
         D % "Order allow,deny\nAllow from all\nDeny from env=nobody",
         [200, 403, 403, 403, 404]),
    ])


@test
def inner_scope_replaces_whole_setting():
    check_cases([
        # a scope that names none of them inherits
        (D % "Order allow,deny\nAllow from 127.0.0.1" + E % "Options Indexes",
         [200, 200, 200, 200, 404]),
        # one that names any replaces (Order back to deny,allow)
        (D % "Order deny,allow\nDeny from all" + E % "Allow from all",
         [200, 403, 200, 403, 404]),
        (D % "Order deny,allow\nDeny from all" +
         '<Location "/d/e">\nOrder allow,deny\nAllow from all\n</Location>\n',
         [200, 403, 200, 403, 404]),
        (D % "Order deny,allow\nDeny from all" +
         '<Files "c.txt">\nAllow from all\n</Files>\n',
         [200, 403, 200, 403, 404]),
    ])


@test
def limit_sections_per_method():
    check_cases([
        (D % "Order allow,deny\n<Limit POST>\nAllow from all\n</Limit>",
         [200, 403, 403, 200, 404]),
        (D % "<Limit GET>\nOrder allow,deny\n</Limit>",
         [200, 403, 403, 200, 404]),
        (D % "Deny from all\n<Limit GET>\nSatisfy any\n</Limit>\n"
         "Require all granted", [200, 200, 200, 403, 404]),
    ])


@test
def satisfy_and_require():
    check_cases([
        # Satisfy all (default): both must let it in
        (D % "Order allow,deny\nAllow from all\nRequire all denied",
         [200, 403, 403, 403, 404]),
        (D % "Order deny,allow\nDeny from all\nRequire all granted",
         [200, 403, 403, 403, 404]),
        (D % "Order allow,deny\nAllow from all" + E % "Require all denied",
         [200, 200, 403, 200, 404]),
        # Satisfy any: either lets it in; without Require, in
        (D % "Order deny,allow\nDeny from all\nRequire all granted\n"
         "Satisfy Any", [200, 200, 200, 200, 404]),
        (D % "Order allow,deny\nAllow from all\nRequire all denied\n"
         "Satisfy Any", [200, 200, 200, 200, 404]),
        (D % "Order deny,allow\nDeny from all\nSatisfy Any",
         [200, 200, 200, 200, 404]),
    ])


@test
def error_documents_and_listings():
    check_cases([
        ("ErrorDocument 403 /d/b.txt\n" + E % "Order deny,allow\nDeny from all",
         [200, 200, 403, 200, 404]),
        ("ErrorDocument 404 /d/e/c.txt\n" + E % "Order deny,allow\nDeny from all",
         [200, 200, 403, 200, 404]),
    ])
    with Server('<Directory "@HTDOCS@">\nOptions Indexes\n</Directory>\n' +
                E % "Order deny,allow\nDeny from all", files=FILES) as s:
        r = get(s.port, "/d/")
        eq(r.status, 200)
        check(b'href="e/"' not in r.body, "a denied directory is not listed")


@test
def htaccess_needs_limit():
    files = dict(FILES)
    files["htdocs/d/.htaccess"] = ("Order allow,deny\nAllow from all\n"
                                   "Deny from 127.0.0.1\n")
    files["htdocs/d/e/.htaccess"] = "Allow from all\n"
    check_cases([
        ('<Directory "@HTDOCS@">\nAllowOverride Limit\n</Directory>\n',
         [200, 403, 200, 403, 404]),
        ('<Directory "@HTDOCS@">\nAllowOverride Indexes\n</Directory>\n',
         [200, 500, 500, 500, 404]),
    ], files=files)


@test
def config_errors_as_apache():
    d = '<Directory "/">\n%s\n</Directory>\n'
    cases = [
        ("Order allow,deny\n", 1, "order not allowed here"),
        ("Satisfy any\n", 1, "Satisfy not allowed here"),
        (d % "Order foo", 1, "unknown order"),
        (d % "Order allow, deny", 1, "order takes one argument, "
         "'allow,deny', 'deny,allow', or 'mutual-failure'"),
        (d % "Allow all", 1, "allow requires at least two arguments, 'from' "
         "followed by hostnames or IP-address wildcards"),
        (d % "Deny to all", 1, "allow and deny must be followed by 'from'"),
        (d % "Allow from 10.0.0.0/33", 1,
         "The specified network mask is invalid."),
        (d % "Allow from 300.1.1.1", 1, "The specified IP address is invalid."),
        (d % "Allow from 1.2.3.4.5", 1, "The specified IP address is invalid."),
        (d % "Allow from foo/8", 1, "An IP address was expected"),
        (d % "Satisfy foo", 1, "Satisfy either 'any' or 'all'."),
        (d % "Satisfy any all", 1, "Satisfy takes one argument, access "
         "policy if both allow and require used ('all' or 'any')"),
        (d % "Order Allow,Deny\nAllow FROM all\nAllow from 10.0.0.1/8 10.1. "
         "-5\nDeny from env= env=! fe80::/10 foo.example.com .bar all",
         0, "Syntax OK"),
    ]
    config_cases_agree(cases)  # apache2 with its modules loaded


if __name__ == "__main__":
    run()
