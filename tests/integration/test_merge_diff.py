#!/usr/bin/env python3
"""Per-directory merging against Debian's apache2.

Apache's walks (directory with its access files, <Files>, <Location>,
<If>) each merge the sections they match among themselves first, the
first section's own configuration being where that starts, and then
merge the result onto what came before (the server's defaults for the
directory walk).  Where a module's merge is not "the inner value wins"
the order shows: two sections with "IndexOptions +X" each make a set of
options that replaces the server's FancyIndexing, one alone does not;
<Files> nested in an outer <Directory> still apply below an inner one;
nested <If> sections come after every matching <If> of their level.

Each case serves the same tree with the same configuration from both
servers (test_response_diff's comparison: status, the compared fields,
X- headers and the body) and checks a few values recorded from apache2,
so the rule is asserted where apache2 is not installed too.

Run alone: python3 test_merge_diff.py [NAME-SUBSTRING...]"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness
_OWN = len(harness._tests)
import test_response_diff as rd  # noqa: E402 (its helpers, not its tests)
del harness._tests[_OWN:]


def tree(dirs, names):
    return {"htdocs/%s/%s" % (d, n): "x" for d in dirs for n in names}


def run_case(config, files, paths, links=(), golden=(), times=None):
    """paths: request targets (GET) or raw requests; links: (link, target)
    made under ROOT; golden: (path, predicate, what) checked on ours;
    times: {path: mtime} set after the fixed ones."""
    reqs = [p if "\r\n" in p else rd.req("GET", p) for p in paths]
    ours = Server(rd.BASE + config, files=files)
    theirs = Apache(rd.BASE + config, mpm="prefork", files=files) \
        if have_apache() else None
    servers = [s for s in (ours, theirs) if s is not None]
    for s in servers:
        for link, target in links:
            os.symlink(target.replace("@ROOT@", s.root),
                       os.path.join(s.root, link))
        set_mtimes(s.root)
        for rel, t in (times or {}).items():
            os.utime(os.path.join(s.root, rel), (t, t))
    failures = []
    with ours:
        got = {}
        for raw in reqs:
            got[raw] = rd.fetch(ours.port, raw)
        for path, pred, what in golden:
            raw = path if "\r\n" in path else rd.req("GET", path)
            resp = got.get(raw) or rd.fetch(ours.port, raw)
            check(pred(resp[0]), "%s: %s (%r)" % (path, what, resp[0]))
        if theirs is not None:
            with theirs:
                for raw in reqs:
                    a = [rd.describe(x, ours.port) for x in got[raw]]
                    b = [rd.describe(x, theirs.port)
                         for x in rd.fetch(theirs.port, raw)]
                    if a != b:
                        failures.append("%s\n      ours   %r\n      apache %r"
                                        % (raw.split("\r\n")[0], a, b))
    if failures:
        raise AssertionError("%d of %d requests differ:\n  %s"
                             % (len(failures), len(reqs),
                                "\n  ".join(f[:1500] for f in failures[:8])))


def fancy(resp):
    return b"<pre>" in resp.body and b"?C=N;O=D" in resp.body


def plain(resp):
    return b"<ul>" in resp.body


def header(name, value):
    return lambda resp: resp.header(name) == value


# ---- mod_autoindex: incremental options ---------------------------------------

@test
def index_options_grouped_per_walk():
    config = """
IndexOptions FancyIndexing
<Directory "@HTDOCS@/b">
  IndexOptions +SuppressSize
</Directory>
<Directory "@HTDOCS@/b/c">
  IndexOptions +SuppressLastModified
</Directory>
<Directory "@HTDOCS@/e">
  IndexOptions +SuppressSize
  DirectoryIndex none.html
</Directory>
<Directory "@HTDOCS@/e/f">
  DirectoryIndex other.html
</Directory>
<Directory "@HTDOCS@/g">
  IndexOptions +SuppressSize
</Directory>
<Location "/g/h">
  IndexOptions +SuppressLastModified
</Location>
<Location "/l">
  IndexOptions +SuppressSize
</Location>
<LocationMatch "^/l/">
  IndexOptions -SuppressSize +FoldersFirst
</LocationMatch>
<Directory "@HTDOCS@/ht">
  AllowOverride Indexes
  IndexOptions +SuppressSize
</Directory>
"""
    dirs = ["b", "b/c", "e", "e/f", "g", "g/h", "l", "l/m", "ht", "ht/i"]
    files = tree(dirs, ["x.txt"])
    files["htdocs/ht/i/.htaccess"] = "IndexOptions +SuppressDescription\n"
    run_case(config, files, ["/%s/" % d for d in dirs] + ["/b/c/?C=S;O=D"],
             golden=[
                 # one section: the server's FancyIndexing stays
                 ("/b/", fancy, "fancy"), ("/e/f/", fancy, "fancy"),
                 ("/g/h/", fancy, "fancy"),
                 # two in one walk: their options replace the server's
                 ("/b/c/", plain, "plain"), ("/l/m/", plain, "plain"),
                 ("/ht/i/", plain, "plain")])


@test
def index_ignore_reset_grouped():
    config = """
IndexIgnore *.foo
<Directory "@HTDOCS@/ig">
  IndexIgnoreReset ON
  IndexIgnore *.bar
</Directory>
<Directory "@HTDOCS@/ig/j">
  IndexIgnore *.baz
</Directory>
<Directory "@HTDOCS@/k">
  IndexIgnore *.bar
</Directory>
<Directory "@HTDOCS@/k/l">
  IndexIgnoreReset ON
</Directory>
"""
    dirs = ["ig", "ig/j", "k", "k/l"]
    run_case(config, tree(dirs, ["a.foo", "b.bar", "c.baz"]),
             ["/%s/" % d for d in dirs],
             golden=[("/ig/", lambda r: b"a.foo" in r.body, "a.foo listed"),
                     # the reset is not inherited through a merge
                     ("/ig/j/", lambda r: b"a.foo" not in r.body,
                      "a.foo ignored")])


# ---- core: Options, nested <Files>, <If>, ForceType -----------------------

@test
def options_groups_and_symlinks():
    config = """
<Directory "@HTDOCS@/o">
  Options +FollowSymLinks
</Directory>
<Directory "@HTDOCS@/o/p">
  Options -Indexes
</Directory>
<Directory "@HTDOCS@/o/p/q">
  Options +Indexes -FollowSymLinks
</Directory>
<Directory "@HTDOCS@/s">
  Options SymLinksIfOwnerMatch
</Directory>
<Directory "@HTDOCS@/s/t">
  Options +Indexes
</Directory>
<DirectoryMatch "/s/t/u">
  Options -SymLinksIfOwnerMatch
</DirectoryMatch>
"""
    dirs = ["o", "o/p", "o/p/q", "s", "s/t", "s/t/u"]
    files = tree(dirs, ["a.txt"])
    links = [("htdocs/%s/ln.txt" % d, "a.txt") for d in dirs]
    paths = []
    for d in dirs:
        paths += ["/%s/" % d, "/%s/ln.txt" % d, "/%s/a.txt" % d]
    run_case(config, files, paths, links,
             golden=[("/o/p/", lambda r: r.status == 403, "403"),
                     ("/o/p/q/ln.txt", lambda r: r.status == 403, "403"),
                     ("/o/p/ln.txt", lambda r: r.status == 200, "200")])


@test
def files_nested_in_outer_directory():
    config = """
Header append X-Order srv
<Directory "@HTDOCS@/m">
  Header append X-Order dir-m
  <Files "*.txt">
    Header append X-Order files-m
  </Files>
</Directory>
<Directory "@HTDOCS@/m/n">
  Header append X-Order dir-n
  <Files "a.*">
    Header append X-Order files-n
  </Files>
</Directory>
<Files "*.txt">
  Header append X-Order files-srv
</Files>
<Location "/m">
  Header append X-Order loc-m
</Location>
<LocationMatch "n">
  Header append X-Order locmatch-n
</LocationMatch>
<DirectoryMatch "/m/n">
  Header append X-Order dirmatch
</DirectoryMatch>
"""
    dirs = ["m", "m/n"]
    run_case(config, tree(dirs, ["a.txt", "b.txt", "c.html"]),
             ["/%s/%s" % (d, f) for d in dirs
              for f in ("a.txt", "b.txt", "c.html")],
             golden=[("/m/n/a.txt", header(
                 "X-Order", "srv, dir-m, dir-n, dirmatch, files-srv, "
                 "files-m, files-n, loc-m, locmatch-n"), "order")])


@test
def if_sections_level_by_level():
    config = """
<Directory "@HTDOCS@/m">
  <If "-n '%{REQUEST_URI}'">
    Header append X-Order if-a
    <If "-n '%{REQUEST_URI}'">
      Header append X-Order if-inner
    </If>
  </If>
  <If "-n '%{REQUEST_URI}'">
    Header append X-Order if-b
  </If>
  <If "-z '%{REQUEST_URI}'">
    Header append X-Order if-c
  </If>
  <Else>
    Header append X-Order else-c
  </Else>
</Directory>
"""
    run_case(config, tree(["m"], ["a.txt"]), ["/m/a.txt", "/m/"],
             golden=[("/m/a.txt", header(
                 "X-Order", "if-a, if-b, else-c, if-inner"), "order")])


@test
def force_type_and_directory_index_nested():
    config = """
<Directory "@HTDOCS@/o">
  DirectoryIndex b.txt
  ForceType text/x-o
</Directory>
<Directory "@HTDOCS@/o/p">
  DirectoryIndex disabled
</Directory>
<Directory "@HTDOCS@/o/p/q">
  ForceType none
</Directory>
<Location "/o/p/q/r">
  ForceType text/x-loc
</Location>
"""
    dirs = ["o", "o/p", "o/p/q", "o/p/q/r"]
    paths = []
    for d in dirs:
        paths += ["/%s/" % d, "/%s/a.txt" % d, "/%s/c.html" % d]
    run_case(config, tree(dirs, ["a.txt", "b.txt", "c.html"]), paths,
             golden=[("/o/p/a.txt", header("Content-Type", "text/x-o"), "type"),
                     ("/o/p/q/c.html", header("Content-Type", "text/html"),
                      "type")])


# ---- mod_mime: removals across sections ---------------------------------------

@test
def mime_removals_across_sections():
    config = """
AddType text/x-srv .foo
AddType text/x-srv2 .bar
AddType text/plain .png
AddEncoding x-gzip .gz
<Directory "@HTDOCS@/m">
  RemoveType .foo
</Directory>
<Directory "@HTDOCS@/m/n">
  RemoveType .bar
</Directory>
<Directory "@HTDOCS@/k">
  AddType text/x-k .foo
  RemoveType .foo
</Directory>
<Directory "@HTDOCS@/k/l">
  AddType text/x-l .baz
</Directory>
<Directory "@HTDOCS@/e">
  RemoveType .foo .css .png
  AddType text/x-e .bar
</Directory>
<Directory "@HTDOCS@/e/f">
  AddType text/x-f .foo
  RemoveEncoding .gz
</Directory>
"""
    dirs = ["m", "m/n", "k", "k/l", "e", "e/f"]
    names = ["a.foo", "b.bar", "c.baz", "d.css", "e.png", "f.txt.gz"]
    run_case(config, tree(dirs, names),
             ["/%s/%s" % (d, n) for d in dirs for n in names],
             golden=[("/m/n/a.foo", header("Content-Type", None), "no type"),
                     ("/e/f/a.foo", header("Content-Type", "text/x-f"), "type"),
                     ("/e/d.css", header("Content-Type", None), "no type")])
@test
def mime_pending_removals_apply_at_merge():
    """RemoveCharset/Language/Encoding (not RemoveType) wait for the merge
    of their scope onto another: they then take the mapping away from
    what the merge holds whatever their order among the scope's Add*s,
    and are dropped.  The main server's never apply (it is only a base);
    a vhost's do; a section merged onto one that has mod_mime settings
    of its own loses the outer mapping only if that one has it.  Facts
    recorded from apache2."""
    config = """
AddCharset UTF-8 .html
AddLanguage de .de
AddEncoding gzip .gz
RemoveCharset .html
RemoveLanguage .de
<Directory "@HTDOCS@/a">
  RemoveCharset .html
  AddCharset UTF-8 .html
  RemoveEncoding .gz
</Directory>
<Directory "@HTDOCS@/b">
  AddType text/x-q .q
</Directory>
<Directory "@HTDOCS@/b/c">
  RemoveLanguage .de
  RemoveCharset .html
</Directory>
<Directory "@HTDOCS@/d">
  Options Indexes
</Directory>
<Directory "@HTDOCS@/d/e">
  RemoveLanguage .de
</Directory>
<VirtualHost *:@PORT@>
  ServerName v.test
  RemoveEncoding .gz
</VirtualHost>
"""
    dirs = ["top", "a", "b/c", "d/e"]
    names = ["x.html", "x.de", "x.gz"]
    files = tree(dirs, names)
    paths = ["/%s/%s" % (d, n) for d in dirs for n in names]
    paths += [rd.req("GET", "/top/x.gz").replace("localhost", "v.test")]
    run_case(config, files, paths, golden=[
        ("/top/x.html", header("Content-Type", "text/html; charset=utf-8"),
         "the main server's own removal does not apply"),
        ("/top/x.de", header("Content-Language", "de"), "language kept"),
        ("/a/x.html", header("Content-Type", "text/html"),
         "removal applies after the scope's AddCharset too"),
        ("/a/x.gz", header("Content-Encoding", None), "encoding removed"),
        ("/b/c/x.de", header("Content-Language", "de"),
         "removal spent on the group (b has mod_mime settings)"),
        ("/d/e/x.de", header("Content-Language", None),
         "removal reaches the server's mapping"),
        (paths[-1], header("Content-Encoding", None), "a vhost's removal")])


@test
def file_etag_relative_keywords_per_group():
    """FileETag +X/-X: kept apart from the absolute setting and applied
    when the scopes merge; a group of sections merges among itself first
    (every section has the core's settings, so "+INode" under a section
    without FileETag means INode alone), and with nothing left the
    default (MTime Size) is used.  Facts recorded from apache2."""
    config = """
<Directory "@HTDOCS@/a">
  FileETag -INode
</Directory>
<Directory "@HTDOCS@/b">
  FileETag MTime
</Directory>
<Directory "@HTDOCS@/b/c">
  FileETag -MTime
</Directory>
<Directory "@HTDOCS@/b/d">
  FileETag +Size
</Directory>
<Directory "@HTDOCS@/e">
  FileETag +Size -MTime
</Directory>
<Directory "@HTDOCS@/f">
  FileETag None
</Directory>
<Directory "@HTDOCS@/f/g">
  FileETag +MTime
</Directory>
<VirtualHost *:@PORT@>
  ServerName v.test
  FileETag Size
</VirtualHost>
<VirtualHost *:@PORT@>
  ServerName w.test
  FileETag +Size
</VirtualHost>
"""
    dirs = ["a", "b", "b/c", "b/d", "e", "f", "f/g", "h", "h/i"]
    files = tree(dirs, ["x.txt"])
    files["htdocs/h/.htaccess"] = "FileETag -Size\n"
    files["htdocs/h/i/.htaccess"] = "FileETag +MTime\n"
    config += '<Directory "@HTDOCS@/h">\nAllowOverride FileInfo\n</Directory>\n'
    paths = []
    for host in ("localhost", "v.test", "w.test"):
        paths += [rd.req("GET", "/%s/x.txt" % d).replace("Host: localhost",
                                                         "Host: " + host)
                  for d in dirs]
    mt = "%x" % (FIXED_MTIME * 1000000)
    # the first vhost answers "localhost": FileETag Size is its default
    run_case(config, files, paths, golden=[
        (paths[0], header("ETag", '"1"'), "-INode onto Size"),
        (paths[2], header("ETag", '"1"'), "MTime then -MTime onto Size"),
        (paths[3], header("ETag", '"1-%s"' % mt), "MTime then +Size"),
        (paths[5], header("ETag", None), "None"),
        (paths[6], header("ETag", '"%s"' % mt), "None then +MTime"),
        (paths[7], header("ETag", '"1-%s"' % mt), "-Size leaves nothing"),
        (paths[8], header("ETag", '"%s"' % mt), "-Size then +MTime"),
        (paths[9 * 2 + 4], header("ETag", '"1"'), "+Size -MTime onto +Size")])


@test
def directory_match_against_the_walked_filename():
    """<DirectoryMatch> is matched against the filename as the walk left
    it: "sub/$" for /sub/, "sub$" for /sub (DirectorySlash Off), a file's
    own name; the DirectoryIndex lookup reuses the directory's walk, so a
    pattern naming the index file does not apply to /sub/."""
    config = """
DirectorySlash Off
<DirectoryMatch "sub$">
  Header append X-M sub-end
</DirectoryMatch>
<DirectoryMatch "sub/$">
  Header append X-M sub-slash-end
</DirectoryMatch>
<DirectoryMatch "a\\.txt$">
  Header append X-M atxt
</DirectoryMatch>
<DirectoryMatch "index\\.html$">
  Header append X-M index
</DirectoryMatch>
<DirectoryMatch "/sub/">
  Header append X-M sub-inner
</DirectoryMatch>
"""
    files = {"htdocs/sub/a.txt": "x", "htdocs/sub/index.html": "i",
             "htdocs/sub/deeper/b.txt": "b", "htdocs/sub2/c.txt": "c"}
    run_case(config, files,
             ["/sub/", "/sub", "/sub/a.txt", "/sub/index.html",
              "/sub/deeper/b.txt", "/sub/deeper/", "/sub2/", "/sub2/c.txt",
              "/sub/a.txt/pi", "/sub/nope"],
             golden=[("/sub/", header("X-M", "sub-slash-end, sub-inner"), "X-M"),
                     ("/sub", header("X-M", "sub-end"), "X-M"),
                     ("/sub/index.html", header("X-M", "index, sub-inner"),
                      "X-M")])

@test
def error_document_last_one_per_scope():
    """Of two ErrorDocument lines for one status in a scope the last one
    holds, however many merges the scope goes through."""
    config = """
<DirectoryMatch "[Hh]tdocs">
  ErrorDocument 404 default
  ErrorDocument 404 "regex two
</DirectoryMatch>
<Directory "@HTDOCS@/m">
  ErrorDocument 404 "m one
  ErrorDocument 404 "m two
  ErrorDocument 403 "m forbidden
</Directory>
<Directory "@HTDOCS@/m/n">
  ErrorDocument 403 default
  Require all denied
</Directory>
<Location "/m/n/x">
  ErrorDocument 404 "loc one
  ErrorDocument 404 default
</Location>
"""
    files = tree(["m", "m/n"], ["a.txt"])
    run_case(config, files, ["/nothere", "/m/nothere", "/m/n/a.txt",
                             "/m/n/x", "/m/n/nothere"],
             golden=[("/nothere", lambda r: r.body == b"regex two", "body"),
                     ("/m/nothere", lambda r: r.body == b"regex two",
                      "body")])


# ---- mod_autoindex: what an entry's lookup runs ------------------------------

@test
def listing_entry_lookup_runs_directory_index():
    """A directory entry's lookup runs mod_dir's fixup as Apache's does:
    an index stands in for the directory (the listing shows its date), a
    failing index search hides the entry; the lookup's URI is the listed
    URI's directory plus the name, so for an Alias listed without its
    slash the index is looked for under the DocumentRoot."""
    config = """
IndexOptions FancyIndexing
DirectorySlash Off
Alias /al "@ROOT@/files"
<Directory "@ROOT@/files">
  Require all granted
  Options Indexes
</Directory>
<Directory "@HTDOCS@/inner">
  AllowOverride Limit
</Directory>
<Directory "@HTDOCS@/d">
  Options Indexes FollowSymLinks
</Directory>
"""
    files = {"files/target.txt": "t", "files/inner/in.html": "i",
             "htdocs/inner/.htaccess": "ContentDigest On\n",
             "htdocs/d/x.txt": "x", "htdocs/d/sub/index.html": "y" * 100,
             "htdocs/d/sub2/y.txt": "y"}
    links = [("htdocs/d/lnk", "sub"), ("htdocs/d/lnk2", "sub2")]
    run_case(config, files, ["/al", "/al/", "/d/?C=M;O=D", "/d/?C=S;O=A"],
             links, golden=[
                 ("/al", lambda r: b"inner/" not in r.body, "inner/ hidden"),
                 ("/al/", lambda r: b"inner/" in r.body, "inner/ listed"),
                 ("/d/?C=M;O=D", lambda r: b"2020-09-13" in r.body,
                  "the index's date")],
             times={"htdocs/d/sub/index.html": 1600000000})


if __name__ == "__main__":
    run()
