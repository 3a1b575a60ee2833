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


if __name__ == "__main__":
    run()
