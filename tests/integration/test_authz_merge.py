#!/usr/bin/env python3
"""Require lines merged across <Directory>, <DirectoryMatch>, <Files>,
<Location>, .htaccess files and <If> as Apache 2.4's authz_core merges
them, AuthMerging Off/And/Or included: a scope with its own Require lines
replaces the inherited ones (Off, the default), or joins them in a
RequireAll (And) or a RequireAny (Or); a scope with neither inherits
everything, its parent's AuthMerging too.  The file, location and <If>
walks merge their own sections among themselves before the result goes
onto the directory's, so the grouping shows.  Checked against Debian's
apache2 when installed; the statuses asserted directly were recorded from
it.  The client is 127.0.0.1: `Require ip 127.0.0.1` grants, `Require ip
10.0.0.1` denies."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

GRANT = "Require ip 127.0.0.1"
DENY = "Require ip 10.0.0.1"


def fetch(server, paths):
    out = []
    for p in paths:
        r = get(server.port, p)
        out.append((r.status, r.body))
    return out


def compare(config, files, paths, want):
    """Serve config with files from both servers; statuses must be want
    (recorded from apache2) and, with apache2 installed, status and body
    of every answer equal to its."""
    with Server(config, files=files) as s:
        ours = fetch(s, paths)
    if have_apache():
        with Apache(config, files=files) as a:
            theirs = fetch(a, paths)
        for p, o, t in zip(paths, ours, theirs):
            eq(o, t, p)
    eq(list(zip(paths, [o[0] for o in ours])), list(zip(paths, want)),
       "statuses (recorded from apache2)")


def tree(*paths):
    return dict(("htdocs" + p, "file %s\n" % p) for p in paths)


@test
def directory_nesting():
    """Off replaces, And/Or join, an empty scope inherits (AuthMerging
    and all); a scope with Require but no AuthMerging below an Or scope
    replaces again."""
    conf = """
<Directory @HTDOCS@/a>
Require all denied
</Directory>
<Directory @HTDOCS@/a/s>
Require all granted
</Directory>
<Directory @HTDOCS@/b>
Require all denied
</Directory>
<Directory @HTDOCS@/b/s>
AuthMerging And
Require all granted
</Directory>
<Directory @HTDOCS@/c>
%(DENY)s
</Directory>
<Directory @HTDOCS@/c/s>
AuthMerging Or
Require all granted
</Directory>
<Directory @HTDOCS@/d>
Require all denied
</Directory>
<Directory @HTDOCS@/d/s>
AuthMerging Or
</Directory>
<Directory @HTDOCS@/d/s/t>
Require all granted
</Directory>
<Directory @HTDOCS@/e>
AuthMerging Or
%(DENY)s
</Directory>
<Directory @HTDOCS@/e/s/t>
Require ip 10.0.0.2
</Directory>
<Directory @HTDOCS@/e/s/u>
AuthMerging Or
Require ip 10.0.0.2
</Directory>
<Directory @HTDOCS@/f>
AuthMerging And
%(GRANT)s
</Directory>
<Directory @HTDOCS@/f/s>
AuthMerging Off
</Directory>
<Directory @HTDOCS@/f/s/t>
AuthMerging And
%(DENY)s
</Directory>
<Directory @HTDOCS@/g>
AuthMerging Or
</Directory>
<Directory @HTDOCS@/g/s>
Require all denied
</Directory>
<Directory @HTDOCS@/h>
Require all denied
</Directory>
<Directory @HTDOCS@/h/s>
AuthMerging Or
<RequireAll>
%(GRANT)s
Require not ip 127.0.0.0/8
</RequireAll>
</Directory>
<Directory @HTDOCS@/h/s/t>
AuthMerging Or
<RequireAll>
<RequireNone>
%(DENY)s
</RequireNone>
Require all granted
</RequireAll>
</Directory>
""" % {"GRANT": GRANT, "DENY": DENY}
    paths = ["/a/x", "/a/s/x", "/b/s/x", "/c/x", "/c/s/x", "/d/s/x",
             "/d/s/t/x", "/e/s/x", "/e/s/t/x", "/e/s/u/x", "/f/s/x",
             "/f/s/t/x", "/g/s/x", "/h/s/x", "/h/s/t/x"]
    files = tree("/a/x", "/a/s/x", "/b/s/x", "/c/x", "/c/s/x", "/d/s/x",
                 "/d/s/t/x", "/e/s/x", "/e/s/t/x", "/e/s/u/x", "/f/s/x",
                 "/f/s/t/x", "/g/s/x", "/h/s/x", "/h/s/t/x")
    compare(conf, files, paths,
            [403, 200, 403, 403, 200, 403, 200, 403, 403, 403, 200, 403,
             403, 403, 200])


@test
def root_directory_merging():
    """<Directory /> with AuthMerging And: a section with its own Require
    below it but no AuthMerging replaces; one with neither inherits."""
    conf = """
<Directory />
AuthMerging And
Require all granted
</Directory>
<Directory @HTDOCS@/a>
%(DENY)s
</Directory>
<Directory @HTDOCS@/b>
AuthMerging Off
Require all granted
</Directory>
<Directory @HTDOCS@/c>
Options None
</Directory>
""" % {"DENY": DENY}
    paths = ["/a/x", "/b/x", "/c/x", "/x"]
    compare(conf, tree("/a/x", "/b/x", "/c/x", "/x"), paths,
            [403, 200, 200, 200])


@test
def sections_after_directories():
    """<Files>, <Location> and <If> come after the directories; each walk
    merges its matches among themselves first."""
    conf = """
<Directory @HTDOCS@/a>
Require all granted
</Directory>
<Files secret.txt>
Require all denied
</Files>
<Directory @HTDOCS@/b>
Require all denied
<Files open.txt>
Require all granted
</Files>
</Directory>
<Directory @HTDOCS@/c>
Require all granted
</Directory>
<Location /c>
%(DENY)s
</Location>
<Location /c/s>
AuthMerging Or
Require ip 10.0.0.2
</Location>
<Directory @HTDOCS@/d>
Require all granted
</Directory>
<Location /d>
%(DENY)s
</Location>
<Location /d/s>
AuthMerging And
</Location>
<Directory @HTDOCS@/e>
%(DENY)s
</Directory>
<Files "e*.txt">
%(DENY)s
</Files>
<Files "e1.txt">
AuthMerging Or
Require ip 10.0.0.2
</Files>
<Files "e2.txt">
AuthMerging Or
%(GRANT)s
</Files>
<Directory @HTDOCS@/f>
Require all denied
<If "%%{REQUEST_URI} =~ /open/">
Require all granted
</If>
<If "%%{REQUEST_URI} =~ /and/">
AuthMerging And
Require all granted
</If>
</Directory>
<DirectoryMatch "^@HTDOCS@/g/s">
AuthMerging And
%(DENY)s
</DirectoryMatch>
<Directory @HTDOCS@/g>
Require all granted
</Directory>
<Directory @HTDOCS@/h>
Require all granted
</Directory>
<Location /h>
AuthMerging And
</Location>
<Files h.txt>
Require all denied
</Files>
""" % {"GRANT": GRANT, "DENY": DENY}
    paths = ["/a/x", "/a/secret.txt", "/b/x", "/b/open.txt", "/c/x",
             "/c/s/x", "/d/x", "/d/s/x", "/e/e0.txt", "/e/e1.txt",
             "/e/e2.txt", "/f/x", "/f/open/x", "/f/and/x", "/g/x", "/g/s/x",
             "/h/h.txt", "/h/x"]
    files = tree("/a/x", "/a/secret.txt", "/b/x", "/b/open.txt", "/c/x",
                 "/c/s/x", "/d/x", "/d/s/x", "/e/e0.txt", "/e/e1.txt",
                 "/e/e2.txt", "/f/x", "/f/open/x", "/f/and/x", "/g/x",
                 "/g/s/x", "/h/h.txt", "/h/x")
    compare(conf, files, paths,
            [200, 403, 403, 200, 403, 200, 403, 403, 403, 403, 200, 403,
             200, 403, 200, 403, 403, 200])


@test
def access_files():
    """.htaccess Require lines merge like a <Directory> of their own,
    after the <Directory> sections of their level."""
    conf = """
<Directory @HTDOCS@/a>
AllowOverride AuthConfig
Require all denied
</Directory>
<Directory @HTDOCS@/a/s2>
AuthMerging Or
Require ip 10.0.0.3
</Directory>
"""
    files = tree("/a/x", "/a/s/x", "/a/s2/x", "/a/s3/x", "/a/s4/x",
                 "/a/s4/t/x")
    files["htdocs/a/s/.htaccess"] = "Require all granted\n"
    files["htdocs/a/s2/.htaccess"] = "AuthMerging And\n%s\n" % GRANT
    files["htdocs/a/s3/.htaccess"] = "AuthMerging Or\n%s\n" % GRANT
    files["htdocs/a/s4/.htaccess"] = "AuthMerging Or\n"
    files["htdocs/a/s4/t/.htaccess"] = "%s\n" % GRANT
    paths = ["/a/x", "/a/s/x", "/a/s2/x", "/a/s3/x", "/a/s4/x", "/a/s4/t/x"]
    compare(conf, files, paths, [403, 200, 403, 200, 403, 200])


@test
def containers():
    """RequireAll/Any/None and negated rules evaluated as Apache does:
    a negated denial is neutral, a section of neutrals is neutral (a
    denial at the top)."""
    conf = """
<Directory @HTDOCS@/a>
<RequireAll>
Require all granted
Require not ip 10.0.0.1
</RequireAll>
</Directory>
<Directory @HTDOCS@/b>
<RequireAll>
Require all granted
Require not ip 127.0.0.1
</RequireAll>
</Directory>
<Directory @HTDOCS@/c>
<RequireAll>
<RequireAny>
%(DENY)s
%(GRANT)s
</RequireAny>
<RequireNone>
%(DENY)s
</RequireNone>
</RequireAll>
</Directory>
<Directory @HTDOCS@/d>
<RequireAny>
<RequireAll>
Require all granted
Require not ip 127.0.0.1
</RequireAll>
<RequireAll>
Require not ip 10.0.0.1
%(DENY)s
</RequireAll>
</RequireAny>
</Directory>
<Directory @HTDOCS@/e>
<RequireAll>
Require all granted
<RequireNone>
%(GRANT)s
</RequireNone>
</RequireAll>
</Directory>
<Directory @HTDOCS@/f>
Require all denied
</Directory>
<Directory @HTDOCS@/f/s>
AuthMerging And
<RequireAll>
Require all granted
Require not ip 10.0.0.1
</RequireAll>
</Directory>
<Directory @HTDOCS@/g>
Require all granted
</Directory>
<Directory @HTDOCS@/g/s>
AuthMerging And
<RequireAll>
Require all granted
Require not ip 10.0.0.1
</RequireAll>
</Directory>
""" % {"GRANT": GRANT, "DENY": DENY}
    paths = ["/a/x", "/b/x", "/c/x", "/d/x", "/e/x", "/f/s/x", "/g/s/x"]
    files = tree("/a/x", "/b/x", "/c/x", "/d/x", "/e/x", "/f/s/x",
                 "/g/s/x")
    compare(conf, files, paths, [200, 403, 200, 403, 403, 403, 200])


@test
def if_sections():
    """<If>/<ElseIf> bodies, nested ones and server-level ones, with and
    without AuthMerging."""
    conf = r"""
<Directory @HTDOCS@/a>
Require all denied
<If "%{QUERY_STRING} =~ /x/">
AuthMerging Or
Require ip 10.0.0.1
<If "%{QUERY_STRING} =~ /y/">
AuthMerging Or
Require all granted
</If>
</If>
<If "%{QUERY_STRING} =~ /z/">
Require ip 10.0.0.2
</If>
<ElseIf "%{QUERY_STRING} =~ /w/">
AuthMerging Or
Require all granted
</ElseIf>
</Directory>
<Directory @HTDOCS@/b>
Require all granted
</Directory>
<If "%{REQUEST_URI} =~ m#^/b/#">
Require all denied
</If>
<If "%{QUERY_STRING} =~ /o/">
AuthMerging Or
Require all granted
</If>
"""
    paths = ["/a/x.txt", "/a/x.txt?x", "/a/x.txt?xy", "/a/x.txt?z",
             "/a/x.txt?w", "/a/x.txt?xw", "/a/x.txt?xyz", "/a/x.txt?wz",
             "/b/x.txt", "/b/x.txt?o", "/a/x.txt?o", "/a/x.txt?xo"]
    compare(conf, tree("/a/x.txt", "/b/x.txt"), paths,
            [403, 403, 200, 403, 200, 200, 200, 403, 403, 200, 200, 200])


CONFIG_CASES = [
    # (configuration, exit code, message), recorded from apache2 -t
    # provider names are case-sensitive, "not" is not
    ("<Location />\nRequire All granted\n</Location>\n", 1,
     "Unknown Authz provider: All"),
    ("<Location />\n<RequireAll>\nRequire NOT ip 10.0.0.1\n"
     "Require all granted\n</RequireAll>\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nAuthMerging Maybe\n</Location>\n", 1,
     "AuthMerging must be one of: Off | And | Or"),
    ("<Location />\nAuthMerging\n</Location>\n", 1,
     "AuthMerging takes one argument"),
    ("AuthMerging And\n", 1, "AuthMerging not allowed here"),
    ("<Location />\nAuthMerging and\nRequire all granted\n</Location>\n",
     0, "Syntax OK"),
    ("<Directory /x>\nAuthMerging OR\n</Directory>\n", 0, "Syntax OK"),
    ("<Directory /x>\nRequire not ip 10.0.0.1\n</Directory>\n", 1,
     "negative Require directive has no effect in <RequireAny> directive"),
    ("<Directory /x>\n<RequireNone>\nRequire ip 10.0.0.1\n</RequireNone>\n"
     "</Directory>\n", 1,
     "<RequireNone> directive has no effect in <RequireAny> directive"),
    ("<Directory /x>\n<RequireAll>\nRequire not ip 10.0.0.1\n"
     "</RequireAll>\n</Directory>\n", 1,
     "AH01624: <RequireAll> directive contains only negative authorization "
     "directives"),
    ("<Directory /x>\n<RequireAll>\n<RequireNone>\nRequire ip 10.0.0.1\n"
     "</RequireNone>\n</RequireAll>\n</Directory>\n", 1,
     "AH01624: <RequireAll> directive contains only negative authorization "
     "directives"),
    ("<Directory /x>\n<RequireAny>\nRequire not ip 10.0.0.1\n"
     "</RequireAny>\n</Directory>\n", 1,
     "negative Require directive has no effect in <RequireAny> directive"),
    ("<Directory /x>\nAuthMerging And\n<RequireAll>\nRequire not ip "
     "10.0.0.1\n</RequireAll>\n</Directory>\n", 1,
     "AH01624: <RequireAll> directive contains only negative authorization "
     "directives"),
    ("<Location />\nAuthzSendForbiddenOnFailure On\n</Location>\n", 0,
     "Syntax OK"),
    ("<Files x>\nAuthzSendForbiddenOnFailure maybe\n</Files>\n", 1,
     "AuthzSendForbiddenOnFailure must be On or Off"),
]


@test
def config_time_refusals():
    config_cases_agree(CONFIG_CASES)


if __name__ == "__main__":
    run()
