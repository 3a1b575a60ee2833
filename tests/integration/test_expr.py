#!/usr/bin/env python3
"""The expression language (ap_expr) at run time, against Debian's apache2
serving the same tree with the same configuration: Require expr, Header
and RequestHeader expr= conditions, CustomLog expr= conditions and
<If>/<ElseIf>/<Else> sections.  Status, the headers named and the body must
match apache2's.  Facts recorded from apache2 are also asserted directly,
so each test means something where apache2 is absent."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

SITE = {
    "htdocs/index.html": "<p>home</p>\n",
    "htdocs/a.txt": "alpha\n",
    "htdocs/sub/b.txt": "bravo\n",
    "htdocs/sub/c.html": "<p>c</p>\n",
    "htdocs/priv/secret.txt": "secret\n",
}

BASE_FIELDS = ("Content-Type", "Content-Length", "Vary")


def fetch(port, reqs):
    out = []
    for req in reqs:
        if isinstance(req, str):
            req = ("GET", req, {})
        method, path, hdrs = req
        out.append(get(port, path, method=method, headers=hdrs))
    return out


def summary(r, fields):
    return (r.status, {f: r.header(f) for f in BASE_FIELDS + tuple(fields)},
            r.body)


def compare(config, reqs, fields=(), files=SITE):
    """Serve with both servers; every request must give the same status,
    headers (fields) and body.  Returns our responses."""
    with Server(config, files=files) as s:
        ours = fetch(s.port, reqs)
    if have_apache():
        with Apache(config, files=files) as a:
            theirs = fetch(a.port, reqs)
        for req, o, t in zip(reqs, ours, theirs):
            what = req if isinstance(req, str) else " ".join(req[:2])
            so, st = summary(o, fields), summary(t, fields)
            eq(so[0], st[0], "%s: status" % what)
            eq(so[1], st[1], "%s: headers" % what)
            eq(so[2], st[2], "%s: body" % what)
    return ours


# ---------------------------------------------------------------- Require


@test
def require_expr_remote_addr_method_query():
    r = compare(
        "<Location /sub>\n"
        "Require expr \"%{REMOTE_ADDR} -ipmatch '127.0.0.0/8' && "
        "%{REQUEST_METHOD} in {'GET', 'HEAD'}\"\n</Location>\n"
        "<Location /priv>\n"
        "Require expr %{QUERY_STRING} =~ /^key=(\\w+)$/ && $1 == 'open'\n"
        "</Location>\n"
        "<Location /a.txt>\nRequire expr -R '10.0.0.0/8'\n</Location>\n",
        ["/sub/b.txt", ("POST", "/sub/b.txt", {}), ("HEAD", "/sub/b.txt", {}),
         "/priv/secret.txt", "/priv/secret.txt?key=open",
         "/priv/secret.txt?key=shut", "/a.txt"])
    eq([x.status for x in r], [200, 403, 200, 403, 200, 403, 403],
       "statuses (recorded from apache2)")


@test
def require_expr_in_sections_and_negated():
    r = compare(
        "<Location /sub>\n<RequireAll>\nRequire all granted\n"
        "Require not expr \"%{HTTP:X-Block} == 'yes'\"\n</RequireAll>\n"
        "</Location>\n"
        "<Location /priv>\n<RequireAny>\n"
        "Require expr \"req('X-Key') == 'k1'\"\n"
        "Require expr \"%{HTTP_USER_AGENT} =~ /^trusted/\"\n"
        "</RequireAny>\n</Location>\n"
        "<Location /a.txt>\n<RequireAll>\n<RequireNone>\n"
        "Require expr \"%{REQUEST_URI} =~ m#^/a#\"\n</RequireNone>\n"
        "Require all granted\n</RequireAll>\n</Location>\n",
        [("GET", "/sub/b.txt", {}),
         ("GET", "/sub/b.txt", {"X-Block": "yes"}),
         ("GET", "/priv/secret.txt", {"X-Key": "k1"}),
         ("GET", "/priv/secret.txt", {"X-Key": "k2"}),
         ("GET", "/priv/secret.txt", {"User-Agent": "trusted/1"}),
         "/a.txt"])
    eq([x.status for x in r], [200, 403, 200, 403, 200, 403],
       "statuses (recorded from apache2)")
    eq(r[2].header("Vary"), "X-Key", "Vary names the header req() read")


# Random token sequences as Require expr: verdict and message must be
# apache2's (a fixed seed; a run of 450 such cases agreed, 0 differences).
RANDOM_TOKENS = [
    "true", "false", "!", "&&", "||", "(", ")", "==", "!=", "<", "-eq",
    "-lt", "=~", "!~", "-in", "{", "}", ",", "'a'", '"b"', "1", "-1",
    "%{REQUEST_URI}", "%{HTTP:X}", "%{FOO}", "tolower(", "req(", "foo(",
    "/x/", "m#y#i", "$1", ".", "-n", "-R", "-ipmatch", "-strmatch",
    "'10.0.0.0/8'", "-Q", "-zz", "@", "'unterminated", "%{HTTP_HOST",
    "'%{REQUEST_METHOD}x'", "and", "or", "not", "in", "%{tolower:A}", "%{:"]


def message(stderr):
    lines = [x for x in stderr.splitlines() if x.strip()]
    return lines[-1] if lines else ""


@test
def random_expressions_parse_as_apache():
    if not have_apache():
        skip("apache2 not installed")
    import random
    rnd = random.Random(20261126)
    for _ in range(60):
        e = " ".join(rnd.choice(RANDOM_TOKENS)
                     for _ in range(rnd.randint(1, 7)))
        config = '<Location />\nRequire expr "%s"\n</Location>\n' % e
        rc, err = httpd_t(config)
        arc, aerr = apache_t(config)
        eq(rc == 0, arc == 0, "verdict for %r (apache: %s)" % (e, aerr))
        if arc != 0:
            eq(message(err), message(aerr), "message for %r" % e)


# ---------------------------------------------------------------- Header


@test
def header_expr_conditions_and_values():
    r = compare(
        "Header set X-Method-Get yes \"expr=%{REQUEST_METHOD} == 'GET'\"\n"
        "Header set X-Query q \"expr=%{QUERY_STRING} =~ /^q=(\\w+)/\"\n"
        "Header set X-Value \"expr=m=%{REQUEST_METHOD} it's \\\"%{HTTP:X-In}\\\"\"\n"
        "Header set X-Lower \"expr=%{tolower:%{HTTP:X-In}}\"\n"
        "Header always set X-Status404 yes \"expr=%{REQUEST_STATUS} == 404\"\n"
        "Header always set X-Status200 yes \"expr=%{REQUEST_STATUS} -eq 200\"\n"
        "Header set X-Never no expr=false\n"
        "Header unset X-Drop \"expr=-n req('X-In')\"\n"
        "Header set X-Drop present\n"
        "RequestHeader set X-In replaced \"expr=req('X-In') == 'swap'\"\n"
        "Header echo ^X-In$\n"
        "<Location /sub>\nHeader set X-Sub \"expr=%{REQUEST_URI}\" "
        "\"expr=%{REQUEST_URI} =~ m#^/sub/#\"\n</Location>\n",
        [("GET", "/a.txt", {"X-In": "MiXed"}), ("HEAD", "/a.txt?q=abc", {}),
         ("GET", "/missing", {"X-In": "x"}),
         ("GET", "/a.txt", {"X-In": "swap"}), "/sub/b.txt"],
        fields=("X-Method-Get", "X-Query", "X-Value", "X-Lower",
                "X-Status404", "X-Status200", "X-Never", "X-Drop", "X-In",
                "X-Sub"))
    eq(r[0].header("X-Method-Get"), "yes", "expr= condition held")
    eq(r[0].header("X-Value"), 'm=GET it\'s "MiXed"', "value expression")
    eq(r[0].header("X-Lower"), "mixed", "%{tolower:...}")
    eq(r[1].header("X-Method-Get"), None, "HEAD is not GET")
    eq(r[1].header("X-Query"), "q", "regex condition")
    eq(r[2].header("X-Status404"), "yes", "status seen at the response")
    eq(r[2].header("X-Status200"), None, "no 200 line on a 404")
    eq(r[0].header("X-Status200"), "yes", "200 line on a 200")
    eq(r[3].header("X-In"), "replaced", "RequestHeader expr=")
    eq(r[4].header("X-Sub"), "/sub/b.txt", "value and condition")


@test
def variables_and_functions_as_apache():
    """Each variable and function through a Header value expression; the
    ServerRoot differs between the two servers and is replaced."""
    items = ["%{REQUEST_METHOD}", "%{REQUEST_SCHEME}", "%{REQUEST_URI}",
             "%{REQUEST_FILENAME}", "%{QUERY_STRING}", "%{THE_REQUEST}",
             "%{REMOTE_ADDR}", "%{REMOTE_HOST}", "%{SERVER_NAME}",
             "%{SERVER_PORT}", "%{SERVER_PROTOCOL}", "%{HTTPS}", "%{IPV6}",
             "%{DOCUMENT_ROOT}", "%{CONTEXT_DOCUMENT_ROOT}",
             "%{SCRIPT_FILENAME}", "%{PATH_INFO}", "%{IS_SUBREQ}",
             "%{REQUEST_STATUS}", "%{HTTP_HOST}", "%{HTTP_USER_AGENT}",
             "%{HTTP_ACCEPT}", "%{HTTP:X-In}", "%{req:x-in}",
             "%{tolower:AbC}", "%{toupper:aBc}", "%{escape:a b?}",
             "%{unescape:a%20b%2F}", "%{base64:hello}",
             "%{unbase64:aGVsbG8=}", "%{md5:hello}", "%{sha1:hello}",
             "%{filesize:%{REQUEST_FILENAME}}", "%{file:%{REQUEST_FILENAME}}",
             "%{ldap:a*(b)}"]
    config = "".join('Header set X-V%d "expr=%s"\n' % (i, v)
                     for i, v in enumerate(items))
    config += ("<Location /t>\nRequire expr \"-F '%{DOCUMENT_ROOT}/a.txt' "
               "&& -U '/sub/b.txt' && !-U '/priv/secret.txt' && "
               "!-F '%{DOCUMENT_ROOT}/nope'\"\n</Location>\n"
               "<Directory @HTDOCS@/priv>\nRequire all denied\n"
               "</Directory>\n")
    files = dict(SITE)
    files["htdocs/t/x.txt"] = "x"
    files["htdocs/sub/plain.txt"] = "plain"  # file() output goes in a header
    reqs = [("GET", "/sub/plain.txt?q=1", {"Host": "example.org",
                                       "X-In": "in", "User-Agent": "ua",
                                       "Accept": "*/*"}),
            ("HEAD", "/sub/plain.txt", {"Host": "example.org:8080"}),
            "/t/x.txt"]
    runs = []
    for cls in (Server, Apache) if have_apache() else (Server,):
        with cls(config, files=files) as srv:
            got = []
            for r in fetch(srv.port, reqs):
                got.append((r.status, [
                    (r.header("X-V%d" % i) or "").replace(srv.root, "@ROOT@")
                    for i in range(len(items))]))
            runs.append(got)
    ours = runs[0]
    eq(ours[2][0], 200, "-F and -U (recorded from apache2)")
    eq(ours[0][1][items.index("%{md5:hello}")],
       "5d41402abc4b2a76b9719d911017c592", "md5")
    if len(runs) == 2:
        for (os_, ov), (ts, tv) in zip(ours, runs[1]):
            eq(os_, ts, "status")
            for name, a, b in zip(items, ov, tv):
                eq(a, b, name)


@test
def subrequest_tests_do_not_recurse_forever():
    """-U from a section whose sub-request meets another -U: the nesting
    stops at Apache's limit (10) and the test is false."""
    files = dict(SITE)
    files["htdocs/v/x.txt"] = "v\n"
    files["htdocs/w/x.txt"] = "w\n"
    r = compare("<Location /v>\nRequire expr \"-U '/w/x.txt'\"\n</Location>\n"
                "<Location /w>\nRequire expr \"-U '/v/x.txt'\"\n</Location>\n"
                "<Location /sub>\nRequire expr \"-U '/sub/c.html'\"\n"
                "</Location>\n",
                ["/v/x.txt", "/w/x.txt", "/sub/b.txt"], files=files)
    eq([x.status for x in r], [403, 403, 200],
       "statuses (recorded from apache2)")


# ---------------------------------------------------------------- <If>


@test
def if_elseif_else_choose_headers():
    r = compare(
        "<If \"%{QUERY_STRING} == 'a'\">\nHeader set X-Branch if\n</If>\n"
        "<ElseIf \"%{QUERY_STRING} =~ /^b/\">\nHeader set X-Branch elseif\n"
        "</ElseIf>\n<Else>\nHeader set X-Branch else\n</Else>\n"
        "<If \"req('X-Second') == 'y'\">\nHeader set X-Second yes\n"
        "<If \"%{REQUEST_URI} =~ m#^/sub/#\">\nHeader set X-Nested sub\n"
        "</If>\n</If>\n",
        ["/a.txt?a", "/a.txt?bee", "/a.txt?c", "/a.txt",
         ("GET", "/sub/b.txt?a", {"X-Second": "y"}),
         ("GET", "/a.txt", {"X-Second": "y"}), "/missing?a"],
        fields=("X-Branch", "X-Second", "X-Nested"))
    eq([x.header("X-Branch") for x in r],
       ["if", "elseif", "else", "else", "if", "else", None],
       "branches (recorded from apache2)")
    eq(r[4].header("X-Nested"), "sub", "nested <If>")
    eq(r[5].header("X-Nested"), None, "nested <If> false")
    eq(r[4].header("Vary"), "X-Second", "Vary from the condition")


@test
def if_merges_after_location_and_directory():
    r = compare(
        "<Directory @HTDOCS@/priv>\nRequire all denied\n"
        "<If \"%{QUERY_STRING} == 'key'\">\nRequire all granted\n</If>\n"
        "</Directory>\n"
        "<Location /sub>\nHeader set X-Who location\n</Location>\n"
        "<If \"%{REQUEST_URI} =~ m#^/sub/#\">\nHeader set X-Who if\n</If>\n"
        "<Files c.html>\n<If \"%{REQUEST_METHOD} == 'HEAD'\">\n"
        "Header set X-Head yes\n</If>\n<Else>\nRequire all denied\n"
        "</Else>\n</Files>\n",
        ["/priv/secret.txt", "/priv/secret.txt?key", "/sub/b.txt",
         ("HEAD", "/sub/c.html", {}), "/sub/c.html"],
        fields=("X-Who", "X-Head"))
    eq([x.status for x in r], [403, 200, 200, 200, 403],
       "statuses (recorded from apache2)")
    eq(r[2].header("X-Who"), "if", "<If> merges after <Location>")
    eq(r[3].header("X-Head"), "yes", "<If> inside <Files>")


@test
def if_bodies_with_module_directives():
    files = dict(SITE)
    files["htdocs/sub/start.html"] = "<p>start</p>\n"
    files["htdocs/oops.html"] = "<p>oops</p>\n"
    r = compare(
        "<If \"%{QUERY_STRING} == 'go'\">\n"
        "Redirect /a.txt http://example.org/moved\n</If>\n"
        "<If \"%{QUERY_STRING} == 'idx'\">\nDirectoryIndex start.html\n"
        "</If>\n"
        "<If \"%{QUERY_STRING} == 'err'\">\nErrorDocument 404 /oops.html\n"
        "</If>\n"
        "<If \"%{QUERY_STRING} == 'type'\">\nAddType text/x-demo .txt\n"
        "</If>\n"
        "<Directory @HTDOCS@/sub>\nOptions +Indexes\n"
        "<If \"%{QUERY_STRING} == 'noidx'\">\nOptions -Indexes\n</If>\n"
        "</Directory>\n",
        ["/a.txt", "/a.txt?go", "/sub/", "/sub/?idx", "/nope", "/nope?err",
         "/a.txt?type", "/sub/?noidx"],
        fields=("Location",), files=files)
    eq([x.status for x in r], [200, 302, 200, 200, 404, 404, 200, 403],
       "statuses (recorded from apache2)")
    eq(r[1].header("Location"), "http://example.org/moved?go",
       "Redirect in <If>")
    eq(r[5].body, b"<p>oops</p>\n", "ErrorDocument in <If>")
    eq(r[6].header("Content-Type"), "text/x-demo", "AddType in <If>")


@test
def if_section_config_errors():
    cases = [
        ("<Else>\n</Else>\n",
         "<Else> or <ElseIf> section without previous <If> or <ElseIf> "
         "section in same scope"),
        ("<If \"true\">\n</If>\n<Else \"x\">\n</Else>\n",
         "<Else> does not take an argument"),
        ("<If>\n</If>\n", "<If> directive requires additional arguments"),
        ("<If \"%{FOO}\">\n</If>\n",
         "Cannot parse condition clause: syntax error, unexpected $end: "
         "Variable 'FOO' does not exist"),
        ("<If \"true\" \"false\">\n</If>\n",
         "Multiple <If> arguments not supported."),
        ("<If \"true\">\nDocumentRoot /tmp\n</If>\n",
         "DocumentRoot not allowed in <If> context"),
        ("<If \"true\">\n<Location />\n</Location>\n</If>\n",
         "<Location not allowed in <If> context"),
        ("<If \"true\">\n</If>\n<Else>\n</Else>\n<Else>\n</Else>\n",
         "<Else> or <ElseIf> section without previous <If> or <ElseIf> "
         "section in same scope"),
        ("<If \"true\">\n</If>\n<ElseIf \"false\">\n</ElseIf>\n"
         "<Else>\n</Else>\n<Location />\n<If \"-n 'x'\">\n</If>\n"
         "</Location>\n", None),
    ]
    for config, want in cases:
        rc, err = httpd_t(config)
        if want is None:
            eq(rc, 0, "accepted: %r (%s)" % (config, err))
        else:
            check(want in err, "%r: %r not in %r" % (config, want, err))
        if have_apache():
            arc, aerr = apache_t(config)
            eq(rc == 0, arc == 0, "verdict as apache2's for %r" % config)
            if want is not None:
                check(want in aerr, "apache2 says %r" % aerr)


@test
def header_always_expr_on_refusals():
    r = compare(
        "<Location /priv>\nRequire all denied\n</Location>\n"
        "Header always set X-Refused yes \"expr=%{REQUEST_STATUS} == 403\"\n"
        "Header always set X-Path \"expr=%{REQUEST_URI}\"\n"
        "Header set X-Ok yes \"expr=%{REQUEST_STATUS} == 403\"\n",
        ["/priv/secret.txt", "/a.txt"], fields=("X-Refused", "X-Path", "X-Ok"))
    eq([x.header("X-Refused") for x in r], ["yes", None], "always + expr")
    eq(r[0].header("X-Path"), "/priv/secret.txt", "value on a 403")
    eq(r[0].header("X-Ok"), None, "onsuccess lines skip errors")


# ---------------------------------------------------------------- CustomLog


def log_lines(server, name):
    path = os.path.join(server.root, "logs", name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return f.read().splitlines()


def wait_lines(server, name, n):
    wait_for(lambda: len(log_lines(server, name)) >= n, what="%d log lines" % n)
    return log_lines(server, name)


LOG_CONFIG = (
    'LogFormat "%r %>s" short\n'
    'CustomLog @LOGS@/all.log short\n'
    'CustomLog @LOGS@/gets.log short "expr=%{REQUEST_METHOD} == \'GET\'"\n'
    'CustomLog @LOGS@/errors.log short "expr=%{REQUEST_STATUS} -ge 400"\n'
    'CustomLog @LOGS@/tagged.log short '
    '"expr=req(\'X-Log\') -in {\'a\', \'b\'} && !(%{QUERY_STRING} =~ /skip/)"\n')

LOG_REQS = ["/a.txt", ("HEAD", "/a.txt", {}), "/missing",
            ("GET", "/sub/b.txt", {"X-Log": "a"}),
            ("GET", "/sub/b.txt?skip", {"X-Log": "b"}),
            ("POST", "/index.html", {"X-Log": "c"})]


# Lines each log gets; a request's line is written after its response,
# by whichever process served it, so the order across requests is free.
LOG_COUNTS = {"all.log": 6, "gets.log": 4, "errors.log": 1, "tagged.log": 1}


def run_logs(server_class):
    with server_class(LOG_CONFIG, files=SITE) as s:
        fetch(s.port, LOG_REQS)
        return {name: sorted(wait_lines(s, name, n))
                for name, n in LOG_COUNTS.items()}


@test
def customlog_expr_conditions():
    ours = run_logs(Server)
    eq(ours["gets.log"], ["GET /a.txt HTTP/1.1 200",
                          "GET /missing HTTP/1.1 404",
                          "GET /sub/b.txt HTTP/1.1 200",
                          "GET /sub/b.txt?skip HTTP/1.1 200"],
       "GET lines (recorded from apache2)")
    eq(ours["tagged.log"], ["GET /sub/b.txt HTTP/1.1 200"], "tagged lines")
    if have_apache():
        theirs = run_logs(Apache)
        for name in sorted(ours):
            eq(ours[name], theirs[name], name)


if __name__ == "__main__":
    run()
