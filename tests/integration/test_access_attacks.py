#!/usr/bin/env python3
"""Attacks on access control, tried against both servers: traversal in
every encoding aimed at a denied file, `Require` bypass through case,
`//`, `/./`, trailing dots and spaces, path info, absolute-form URIs and
Host tricks, `.ht*` files under Debian's `<FilesMatch "^\\.ht">` and the
upstream `<Files ".ht*">`, and symlinks out of an `Options None` or
`SymLinksIfOwnerMatch` directory (the latter with links and targets of
different owners when run as root).  Every answer (status, Location,
body) must be apache2's when it is installed; the statuses asserted
directly were recorded from it."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

CONFIG = r"""
<Directory "@HTDOCS@">
    Require all granted
</Directory>
<FilesMatch "^\.ht">
    Require all denied
</FilesMatch>
<Files "secret.txt">
    Require all denied
</Files>
<Location /private>
    Require all denied
</Location>
<LocationMatch "^/adm">
    Require all denied
</LocationMatch>
<Directory "@HTDOCS@/priv2">
    Require all denied
</Directory>
<Directory "@HTDOCS@/nolinks">
    Options None
</Directory>
<Directory "@HTDOCS@/ownlinks">
    Options SymLinksIfOwnerMatch
</Directory>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName open.example
</VirtualHost>
<VirtualHost 127.0.0.1:@PORT@>
    ServerName secure.example
    <Location />
        Require all denied
    </Location>
</VirtualHost>
"""

UPSTREAM = CONFIG.replace('<FilesMatch "^\\.ht">', '<Files ".ht*">') \
                 .replace("</FilesMatch>", "</Files>", 1)

FILES = {
    "htdocs/x.txt": "x\n",
    "htdocs/secret.txt": "secret\n",
    "htdocs/.htaccess": "# nothing\n",
    "htdocs/.htpasswd": "u:$apr1$x$y\n",
    "htdocs/.HTaccess": "upper\n",
    "htdocs/sub/x.txt": "sub\n",
    "htdocs/private/x.txt": "private\n",
    "htdocs/private.txt": "private file\n",
    "htdocs/privatex/x.txt": "not private\n",
    "htdocs/Private/x.txt": "case\n",
    "htdocs/priv2/x.txt": "priv2\n",
    "htdocs/adm/x.txt": "adm\n",
    "htdocs/nolinks/plain.txt": "plain\n",
    "htdocs/ownlinks/plain.txt": "plain\n",
    "htdocs/ownlinks/theirs.txt": "someone else's\n",
}

TRAVERSAL = [
    "/sub/../secret.txt", "/sub/%2e%2e/secret.txt", "/sub/.%2e/secret.txt",
    "/sub/%2e./secret.txt", "/sub/%2E%2E/secret.txt",
    "/sub%2f..%2fsecret.txt", "/sub/..%2fsecret.txt",
    "/sub/..%5csecret.txt", "/sub\\..\\secret.txt", "/sub/..\\secret.txt",
    "/sub/%c0%ae%c0%ae/secret.txt", "/sub/%c0%ae./secret.txt",
    "/sub/%252e%252e/secret.txt", "/sub/%25%32%65%25%32%65/secret.txt",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",
    "/sub/../../../etc/passwd", "/.%2e/.%2e/etc/passwd",
    "/secret.txt%00", "/secret.txt%00.png", "/x.txt%00/../secret.txt",
    "/secret.txt.", "/secret.txt..", "/secret.txt%20", "/secret.txt%2e",
    "/secret.txt::$DATA", "/secret.txt/", "/secret.txt/x", "/Secret.txt",
    "/SECRET.TXT", "/%73ecret.txt", "/secr%65t.txt", "//secret.txt",
    "/./secret.txt", "/sub/./../secret.txt", "/sub//..//secret.txt",
    "/secret.txt;x", "/secret.txt?x", "/secret.txt#x", "/secret%2etxt",
]

HT_FILES = [
    "/.htaccess", "/.htpasswd", "/.HTaccess", "/.HTPASSWD", "/.htpasswd.",
    "/.htpasswd%20", "/.htpasswd%00", "/.ht%70asswd", "/%2ehtpasswd",
    "/%2Ehtaccess", "/sub/../.htpasswd", "/sub/%2e%2e/.htpasswd",
    "/.htpasswd/", "/.htpasswd/x", "//.htpasswd", "/./.htpasswd",
    "/.htpasswd::$DATA", "/.htpasswd~", "/.htpasswd.bak",
]

REQUIRE_BYPASS = [
    "/private", "/private/", "/private/x.txt", "/Private/x.txt",
    "/PRIVATE/x.txt", "/private.txt", "/private.txt/x", "/privatex/x.txt",
    "//private/x.txt", "/./private/x.txt", "/private/./x.txt",
    "/sub/../private/x.txt", "/%70rivate/x.txt", "/priv%61te/x.txt",
    "/private%2fx.txt", "/private;/x.txt", "/private./x.txt",
    "/private%20/x.txt", "///private/x.txt",
    "/priv2/x.txt", "//priv2/x.txt", "/./priv2/x.txt", "/priv2/./x.txt",
    "/sub/../priv2/x.txt", "/%70riv2/x.txt", "/priv2%2fx.txt",
    "/PRIV2/x.txt", "/priv2./x.txt", "/priv2/x.txt/", "/priv2/x.txt/y",
    "/adm/x.txt", "//adm/x.txt", "/%61dm/x.txt", "/./adm/x.txt",
    "/ADM/x.txt", "/sub/../adm/x.txt", "/adm", "/adm%2fx.txt",
]

LINKS = [
    "/nolinks/plain.txt", "/nolinks/in.txt", "/nolinks/out.txt",
    "/nolinks/dir/x.txt", "/nolinks/dir/", "/nolinks/broken.txt",
    "/nolinks/in.txt/x", "/ownlinks/plain.txt", "/ownlinks/mine.txt",
    "/ownlinks/other.txt", "/ownlinks/out.txt", "/ownlinks/dir/x.txt",
    "/ownlinks/selfdir/plain.txt", "/ownlinks/lchowned.txt",
]


def add_links(root):
    h = os.path.join(root, "htdocs")
    nl, ol = os.path.join(h, "nolinks"), os.path.join(h, "ownlinks")
    os.symlink("../x.txt", os.path.join(nl, "in.txt"))
    os.symlink("/etc/hostname", os.path.join(nl, "out.txt"))
    os.symlink("../sub", os.path.join(nl, "dir"))
    os.symlink("missing", os.path.join(nl, "broken.txt"))
    os.symlink("plain.txt", os.path.join(ol, "mine.txt"))
    os.symlink("theirs.txt", os.path.join(ol, "other.txt"))
    os.symlink("/etc/hostname", os.path.join(ol, "out.txt"))
    os.symlink("../sub", os.path.join(ol, "dir"))
    os.symlink(".", os.path.join(ol, "selfdir"))
    os.symlink("plain.txt", os.path.join(ol, "lchowned.txt"))
    if os.geteuid() == 0:
        # the target of other.txt belongs to someone else than the link,
        # and lchowned.txt to someone else than its target
        os.chown(os.path.join(ol, "theirs.txt"), 65534, 65534)
        os.lchown(os.path.join(ol, "lchowned.txt"), 65534, 65534)


def request(path, host="localhost", target=None):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
            % (target or path, host))


def answer(server, raw):
    r = exchange(server.port, raw)[0]
    loc = r.header("Location")
    if loc:
        loc = loc.replace(":%d" % server.port, ":PORT")
    return r.status, loc, r.body


def both(config, raws):
    """Answers of our server, and apache2's (None without it)."""
    with Server(config, files=FILES) as s:
        add_links(s.root)
        ours = [answer(s, q) for q in raws]
    theirs = None
    if have_apache():
        with Apache(config, files=FILES) as a:
            add_links(a.root)
            theirs = [answer(a, q) for q in raws]
    return ours, theirs


def agree(config, raws, want=None):
    ours, theirs = both(config, raws)
    if theirs is not None:
        bad = ["%r: ours %r, apache2 %r" % (q, o, t)
               for q, o, t in zip(raws, ours, theirs) if o != t]
        check(not bad, "%d of %d differ:\n  %s"
              % (len(bad), len(raws), "\n  ".join(bad)))
    if want is not None:
        eq([o[0] for o in ours], want, "statuses (recorded from apache2)")
    return ours


@test
def traversal_to_a_denied_file():
    ours = agree(CONFIG, [request(p) for p in TRAVERSAL])
    for p, o in zip(TRAVERSAL, ours):
        check(b"secret" not in o[2] and b"root:" not in o[2],
              "%s leaked: %r" % (p, o))


@test
def ht_files_debian_filesmatch():
    ours = agree(CONFIG, [request(p) for p in HT_FILES])
    for p, o in zip(HT_FILES, ours):
        check(b"$apr1$" not in o[2], "%s leaked: %r" % (p, o))


@test
def ht_files_upstream_files():
    ours = agree(UPSTREAM, [request(p) for p in HT_FILES])
    for p, o in zip(HT_FILES, ours):
        check(b"$apr1$" not in o[2], "%s leaked: %r" % (p, o))


@test
def require_bypass_attempts():
    ours = agree(CONFIG, [request(p) for p in REQUIRE_BYPASS])
    for p, o in zip(REQUIRE_BYPASS, ours):
        if p.startswith(("/private/", "/priv2/", "/adm/")):
            check(o[0] != 200, "%s served: %r" % (p, o[:2]))


@test
def symlinks_out_of_restricted_directories():
    agree(CONFIG, [request(p) for p in LINKS],
          [200, 403, 403, 403, 403, 403, 403, 200, 200,
           403 if os.geteuid() == 0 else 200, 200, 200, 200,
           403 if os.geteuid() == 0 else 200])


@test
def host_and_absolute_uri_tricks():
    raws = [
        request("/x.txt", host="secure.example"),
        request("/x.txt", host="SECURE.Example"),
        request("/x.txt", host="secure.example."),
        request("/x.txt", host="secure.example:1"),
        request("/x.txt", host="secure.example:@PORT@"),
        request("/x.txt", host="open.example"),
        request("/x.txt", host="open.example",
                target="http://secure.example/x.txt"),
        request("/x.txt", host="open.example",
                target="HTTP://SECURE.EXAMPLE/x.txt"),
        request("/x.txt", host="secure.example",
                target="http://open.example/x.txt"),
        request("/x.txt", host="open.example",
                target="http://user@secure.example/x.txt"),
        request("/x.txt", host="open.example",
                target="http://secure.example:@PORT@/x.txt"),
        request("/x.txt", host="open.example",
                target="http://open.example/secret.txt"),
        request("/x.txt", host="open.example",
                target="http://open.example/../secret.txt"),
        request("/x.txt", host="open.example",
                target="http://open.example/%2e%2e/secret.txt"),
        request("/x.txt", host="open.example",
                target="http://open.example//private/x.txt"),
        request("/x.txt", host="secure.example/x"),
        request("/x.txt", host="secure.example@open.example"),
        request("/x.txt", host="open.example secure.example"),
        "GET /x.txt HTTP/1.0\r\nHost: open.example\r\nHost: "
        "secure.example\r\n\r\n",
        "GET /x.txt HTTP/1.0\r\n\r\n",
        "GET http://secure.example/x.txt HTTP/1.0\r\n\r\n",
        "GET secret.txt HTTP/1.1\r\nHost: open.example\r\n\r\n",
        "GET *secret.txt HTTP/1.1\r\nHost: open.example\r\n\r\n",
    ]
    # the port is known only once a server runs: one config per server
    out = {}
    for cls in (Server, Apache):
        if cls is Apache and not have_apache():
            continue
        with cls(CONFIG, files=FILES) as srv:
            out[cls] = [answer(srv, q.replace("@PORT@", str(srv.port)))
                        for q in raws]
    ours = out[Server]
    if Apache in out:
        bad = ["%r: ours %r, apache2 %r" % (q, o, t)
               for q, o, t in zip(raws, ours, out[Apache]) if o != t]
        check(not bad, "%d differ:\n  %s" % (len(bad), "\n  ".join(bad)))
    eq([o[0] for o in ours],
       [403, 403, 403, 403, 403, 200, 403, 403, 200, 400, 403, 403, 400,
        400, 403, 400, 400, 400, 400, 200, 403, 400, 400],
       "statuses (recorded from apache2)")


if __name__ == "__main__":
    run()
