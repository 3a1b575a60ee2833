#!/usr/bin/env python3
"""<Limit> and <LimitExcept> as Apache 2.4 has them: the body is walked
in the enclosing scope with the methods narrowed, and only Require looks
at them (a Require limited to other methods grants inside an AND, is
neutral inside an OR); other directives inside apply to every method.
A method name <Limit> does not know is registered in the main
configuration (a request with it then gets 405, not 501) and refused in
an .htaccess file.  Checked against Debian's apache2 when installed; the
values asserted directly were recorded from it."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403


def summary(r, port=None):
    allow = r.header("Allow")
    return (r.status, r.header("Content-Type"), r.header("X-A"),
            ",".join(sorted(allow.split(","))) if allow else None)


def alerts(server):
    out = []
    for line in server.error_log().splitlines():
        if "[core:alert]" in line or "AH01630" in line:
            line = re.sub(r"^.*\[client [^]]*\] ", "", line)
            out.append(line.replace(server.root, "ROOT"))
    return out


def compare(config, files, reqs):
    return agree_with_apache(config, files, reqs, summary, extra=alerts)


def matrix(dirs, methods):
    return ["%s /%s/x.txt" % (m, d) for d in dirs for m in methods]


@test
def require_limited_to_methods():
    conf = """<Directory @HTDOCS@/l>
<Limit GET>
Require all denied
Header set X-A inlimit
</Limit>
</Directory>
<Directory @HTDOCS@/e>
<LimitExcept GET>
Require all denied
</LimitExcept>
</Directory>
<Directory @HTDOCS@/f>
<Limit FOO>
Require all denied
</Limit>
</Directory>
<Directory @HTDOCS@/g>
Require all denied
</Directory>
<Directory @HTDOCS@/g/h>
<Limit POST>
Require all denied
</Limit>
</Directory>
<Directory @HTDOCS@/m>
<RequireAll>
Require all granted
<Limit POST>
Require all denied
</Limit>
</RequireAll>
</Directory>
<Directory @HTDOCS@/n>
<RequireAny>
Require all denied
<Limit POST>
Require all granted
</Limit>
</RequireAny>
</Directory>
"""
    dirs = ["l", "e", "f", "g/h", "m", "n"]
    files = dict(("htdocs/%s/x.txt" % d, "x") for d in dirs)
    ours, _ = compare(conf, files, matrix(dirs, ["GET", "HEAD", "POST",
                                                 "FOO", "OPTIONS", "BAR"]))
    eq([r[0] for r in ours],
       [403, 403, 200, 405, 200, 501,   # <Limit GET>: Header for all
        200, 200, 403, 403, 403, 403,   # <LimitExcept GET>
        200, 200, 200, 403, 200, 501,   # FOO registered, BAR not
        200, 200, 403, 405, 200, 501,   # replaces the parent's Require
        200, 200, 403, 405, 200, 501,   # limited member of an AND
        403, 403, 200, 403, 403, 403],  # limited member of an OR
       "statuses (recorded from apache2)")
    eq(ours[2][2], "inlimit", "other directives apply to every method")


@test
def limit_in_access_files():
    """AllowOverride Limit or AuthConfig allow the section; Require in it
    needs AuthConfig; a method the main configuration never named cannot
    be registered there."""
    conf = """<Directory @HTDOCS@/reg>
<Limit FOO>
</Limit>
</Directory>
<Directory @HTDOCS@/a>
AllowOverride Limit
</Directory>
<Directory @HTDOCS@/b>
AllowOverride AuthConfig
</Directory>
<Directory @HTDOCS@/c>
AllowOverride Limit AuthConfig
</Directory>
<Directory @HTDOCS@/d>
AllowOverride All
</Directory>
"""
    lim = "<Limit POST>\nRequire all denied\n</Limit>\n"
    files = {"htdocs/a/.htaccess": lim, "htdocs/b/.htaccess": lim,
             "htdocs/c/.htaccess": lim,
             "htdocs/d/l/.htaccess": "<Limit FOO BAR>\nRequire all denied\n"
                                     "</Limit>\n",
             "htdocs/d/f/.htaccess": "<LimitExcept GET FOO>\n"
                                     "Require all denied\n</LimitExcept>\n",
             "htdocs/d/g/.htaccess": "<Limit TRACE>\n</Limit>\n",
             "htdocs/d/h/.htaccess": "<Limit FOO>\nRequire all denied\n"
                                     "</Limit>\n",
             "htdocs/d/i/.htaccess": "<Limit GET>\n<Files x.txt>\n</Files>\n"
                                     "</Limit>\n",
             "htdocs/d/j/.htaccess": "<Limit GET>\n<Limit POST>\n</Limit>\n"
                                     "</Limit>\n",
             "htdocs/d/k/.htaccess": "<Limit GET>\nRequire all granted\n"
                                     "</Limit>\n<Limit POST>\n"
                                     "Require all denied\n</Limit>\n"}
    dirs = ["a", "b", "c", "d/l", "d/f", "d/g", "d/h", "d/i", "d/j", "d/k"]
    for d in dirs:
        files["htdocs/%s/x.txt" % d] = "x"
    ours, log = compare(conf, files, matrix(dirs, ["GET", "POST", "FOO"]))
    eq([r[0] for r in ours],
       [500, 500, 500, 200, 403, 405, 200, 403, 405, 500, 500, 500,
        200, 403, 405, 500, 500, 500, 200, 200, 403, 500, 500, 500,
        500, 500, 500, 200, 403, 405], "statuses (recorded from apache2)")
    eq(sorted(set(ln for ln in log if "AH01630" not in ln)), [
        "ROOT/htdocs/a/.htaccess: Require not allowed in <Limit> context",
        "ROOT/htdocs/d/g/.htaccess: TRACE cannot be controlled by <Limit>, "
        "see TraceEnable",
        "ROOT/htdocs/d/i/.htaccess: <Files> cannot occur within <Limit> or "
        "<LimitExcept> section",
        "ROOT/htdocs/d/j/.htaccess: <Limit> directive excludes all methods",
        "ROOT/htdocs/d/l/.htaccess: Could not register method 'BAR' for "
        "<Limit from .htaccess configuration"],
       "error log (recorded from apache2)")


CONFIG_CASES = [
    # (configuration, exit code, message), recorded from apache2 -t
    ("<Directory /x>\n<Limit>\n</Limit>\n</Directory>", 1,
     "<Limit> directive requires additional arguments"),
    ("<Directory /x>\n<Limit GET\n</Limit>\n</Directory>", 1,
     "<Limit> directive missing closing '>'"),
    ("<Directory /x>\n<Limit TRACE>\n</Limit>\n</Directory>", 1,
     "TRACE cannot be controlled by <Limit>, see TraceEnable"),
    ("<Directory /x>\n<LimitExcept TRACE>\nRequire all denied\n"
     "</LimitExcept>\n</Directory>", 0, ""),
    ("<Directory /x>\n<Limit GET>\n<Limit POST>\nRequire all denied\n"
     "</Limit>\n</Limit>\n</Directory>", 1,
     "<Limit> directive excludes all methods"),
    ("<Directory /x>\n<Limit GET POST>\n<Limit POST>\nRequire all denied\n"
     "</Limit>\n</Limit>\n</Directory>", 0, ""),
    ("<Directory /x>\n<Limit GET>\n<LimitExcept GET>\nRequire all denied\n"
     "</LimitExcept>\n</Limit>\n</Directory>", 1,
     "<LimitExcept> directive excludes all methods"),
    ("<Limit GET>\nRequire all denied\n</Limit>", 1,
     "<Limit not allowed here"),
    ("<VirtualHost *:80>\n<Limit GET>\n</Limit>\n</VirtualHost>", 1,
     "<Limit not allowed in <VirtualHost> context"),
    ("<Directory /x>\n<Limit GET>\n<Files a>\n</Files>\n</Limit>\n"
     "</Directory>", 1,
     "<Files> cannot occur within <Limit> or <LimitExcept> section"),
    ("<Directory /x>\n<Limit GET>\n<If true>\n</If>\n</Limit>\n</Directory>",
     1, "<If> cannot occur within <Limit> or <LimitExcept> section"),
    ("<Directory /x>\n<Limit GET>\n<Directory /y>\n</Directory>\n</Limit>\n"
     "</Directory>", 1, "<Directory not allowed in <Limit> context"),
    ("<Directory /x>\n<Limit GET>\nOptions None\nHeader set X y\n"
     "DirectoryIndex a\nErrorDocument 404 /x\n</Limit>\n</Directory>", 0, ""),
    ("<Location /x>\n<LimitExcept GET>\n<RequireAll>\nRequire all granted\n"
     "</RequireAll>\n</LimitExcept>\n</Location>", 0, ""),
    ("<Directory /x>\n<Limit GET GET get FOO \"A B\">\n</Limit>\n"
     "</Directory>", 0, ""),
    ("<Directory /x>\n<Limit GET>\n<RequireAny>\n<Limit POST>\n"
     "Require all denied\n</Limit>\n</RequireAny>\n</Limit>\n</Directory>",
     1, "<Limit> directive excludes all methods"),
    ("<Directory /x>\n<RequireAny>\n<Limit POST>\nRequire all denied\n"
     "</Limit>\n</RequireAny>\n</Directory>", 0, ""),
]


@test
def configuration_errors():
    config_cases_agree(CONFIG_CASES)


if __name__ == "__main__":
    run()
