#!/usr/bin/env python3
"""AccessFileName (.htaccess) files applied as Apache 2.4 applies them,
against Debian's apache2 serving the same tree with the same
configuration: status, chosen headers, body and the core:alert lines of
the error log must match.  The statuses and values asserted directly were
recorded from apache2, so the tests mean something where it is absent."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FIELDS = ("Content-Type", "Content-Length", "Location", "Content-Encoding",
          "Content-Language", "ETag", "X-H", "X-O", "X-If", "X-FM", "X-IM")
FIXED_MTIME = 1700000000


def fetch(server, reqs):
    for dirpath, dirnames, filenames in os.walk(os.path.join(server.root,
                                                             "htdocs")):
        for n in filenames + dirnames:
            os.utime(os.path.join(dirpath, n), (FIXED_MTIME, FIXED_MTIME),
                     follow_symlinks=False)
    return [get(server.port, q) for q in reqs]


def summary(r, port):
    fields = {}
    for name in FIELDS:
        v = r.header(name)
        fields[name] = v.replace(":%d" % port, ":PORT") if v else v
    return r.status, fields, r.body.replace(b":%d" % port, b":PORT")


def alerts(server, also=()):
    """The .htaccess complaints of the error log, without times and the
    temporary root."""
    out = []
    for line in server.error_log().splitlines():
        if "[core:alert]" in line or "AH00529" in line or \
                any(w in line for w in also):
            line = re.sub(r"^.*\[client [^]]*\] ", "", line)
            out.append(line.replace(server.root, "ROOT"))
    return sorted(out)


def make_links(server, links, chown):
    """Symlinks [(link, target)] under htdocs (@ROOT@ in a target is the
    server's root), and the links of chown given to nobody."""
    for link, target in links:
        path = os.path.join(server.htdocs, link)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target.replace("@ROOT@", server.root), path)
    for link in chown:
        os.lchown(os.path.join(server.htdocs, link), 65534, 65534)
    return server


def compare(config, files, reqs, links=(), chown=(), log=alerts):
    """Our answers (status, headers, body) and alert lines; the same as
    apache2's when it is installed."""
    with make_links(Server(config, files=files), links, chown) as s:
        ours = fetch(s, reqs)
        ours_sum = [summary(r, s.port) for r in ours]
        ours_log = log(s)
    if have_apache():
        with make_links(Apache(config, files=files), links, chown) as a:
            theirs = [summary(r, a.port) for r in fetch(a, reqs)]
            their_log = log(a)
        for q, o, t in zip(reqs, ours_sum, theirs):
            if t[1]["Content-Length"] is None:
                o[1]["Content-Length"] = None
            eq(o[0], t[0], "%s: status" % q)
            eq(o[1], t[1], "%s: headers" % q)
            eq(o[2], t[2], "%s: body" % q)
        eq(ours_log, their_log, "error log alerts")
    return ours, ours_log


def allow(what, sub=""):
    return "<Directory @HTDOCS@%s>\nAllowOverride %s\n</Directory>\n" % (
        sub, what)


SITE = {
    "htdocs/index.html": "<p>home</p>\n",
    "htdocs/h/.htaccess": "AddType text/x-foo .txt\nHeader set X-H one\n"
                          "DirectoryIndex b.txt\nFileETag None\n",
    "htdocs/h/a.txt": "a\n",
    "htdocs/h/b.txt": "b\n",
    "htdocs/h/n/.htaccess": "AddType text/x-bar .txt\nHeader set X-H two\n"
                            "Options +Indexes\nDirectoryIndex none\n",
    "htdocs/h/n/c.txt": "c\n",
    "htdocs/r/.htaccess": "Require all denied\n<Files ok.txt>\n"
                          "Require all granted\n</Files>\n",
    "htdocs/r/ok.txt": "ok\n",
    "htdocs/r/no.txt": "no\n",
    "htdocs/rd/.htaccess": "Redirect /rd/old /new\n"
                           "RedirectMatch ^/rd/m(.*) /x$1\n"
                           "ErrorDocument 404 \"nope\n",
    "htdocs/rd/a.txt": "a\n",
    "htdocs/if/.htaccess": "<If \"%{QUERY_STRING} == 'x'\">\n"
                           "Header set X-If yes\n</If>\n"
                           "<FilesMatch \"\\.txt$\">\nHeader set X-FM yes\n"
                           "</FilesMatch>\n<IfModule mod_nosuch.c>\nBogus\n"
                           "</IfModule>\n<IfModule headers_module>\n"
                           "Header set X-IM yes\n</IfModule>\n",
    "htdocs/if/a.txt": "a\n",
    "htdocs/fb/.htaccess": "FallbackResource /fb/a.txt\nDirectorySlash Off\n"
                           "AddDefaultCharset utf-8\nAddLanguage fr .fr\n"
                           "AddEncoding x-gzip .gz\nAddCharset latin1 .l1\n"
                           "RemoveType .html\n",
    "htdocs/fb/a.txt": "a\n",
    "htdocs/fb/sub/x.txt": "x",
    "htdocs/fb/p.html": "<p>",
    "htdocs/fb/q.fr.gz": "q",
    "htdocs/fb/w.l1.txt": "w",
    "htdocs/ix/.htaccess": "Options +Indexes\nIndexOptions FancyIndexing\n"
                           "IndexIgnore *.bak\nHeaderName HEAD.html\n",
    "htdocs/ix/a.txt": "a\n",
    "htdocs/ix/z.bak": "z",
    "htdocs/ix/HEAD.html": "<b>head</b>\n",
    "htdocs/bad/.htaccess": "<Files x>\nAddType a/b .c\n",
    "htdocs/bad/a.txt": "a\n",
    "htdocs/bad2/.htaccess": "Listen 8080\n",
    "htdocs/bad2/a.txt": "a\n",
    "htdocs/bad3/.htaccess": "AddType\n",
    "htdocs/bad3/a.txt": "a\n",
}


@test
def allowed_directives_take_effect():
    reqs = ["/h/", "/h/a.txt", "/h/n/", "/h/n/c.txt", "/rd/old", "/rd/mfoo",
            "/rd/gone", "/if/a.txt?x", "/if/a.txt", "/ix/", "/fb/missing",
            "/fb/sub", "/fb/p.html", "/fb/q.fr.gz", "/fb/w.l1.txt",
            "/fb/a.txt"]
    ours, _ = compare(allow("All"), SITE, reqs)
    eq([r.status for r in ours],
       [200, 200, 200, 200, 302, 302, 404, 200, 200, 200, 200, 403, 200,
        200, 200, 200], "statuses (recorded from apache2)")
    eq(ours[1].header("Content-Type"), "text/x-foo", "AddType")
    eq(ours[1].header("X-H"), "one", "Header")
    eq(ours[1].header("ETag"), None, "FileETag None")
    eq(ours[0].body, b"b\n", "DirectoryIndex")
    eq((ours[3].header("Content-Type"), ours[3].header("X-H")),
       ("text/x-bar", "two"), "the nested file over its parent's")
    eq(b"c.txt" in ours[2].body, True, "Options +Indexes in the nested file")
    eq(ours[4].header("Location").endswith("/new"), True, "Redirect")
    eq(ours[5].header("Location").endswith("/xfoo"), True, "RedirectMatch")
    eq(ours[6].body, b"nope", "ErrorDocument")
    eq((ours[7].header("X-If"), ours[8].header("X-If")), ("yes", None), "<If>")
    eq((ours[8].header("X-FM"), ours[8].header("X-IM")), ("yes", "yes"),
       "<FilesMatch>, <IfModule>")
    eq((b"z.bak" in ours[9].body, b"<b>head</b>" in ours[9].body),
       (False, True), "IndexIgnore, HeaderName")
    eq(ours[10].body, b"a\n", "FallbackResource")
    eq(ours[12].header("Content-Type"), None, "RemoveType")
    eq((ours[13].header("Content-Encoding"), ours[13].header("Content-Language")),
       ("x-gzip", "fr"), "AddEncoding, AddLanguage")
    eq(ours[14].header("Content-Type"), "text/plain; charset=latin1",
       "AddCharset")
    eq(ours[15].header("Content-Type"), "text/plain; charset=utf-8",
       "AddDefaultCharset")


@test
def require_in_htaccess():
    ours, _ = compare(allow("AuthConfig"), SITE,
                      ["/r/ok.txt", "/r/no.txt", "/r/"])
    eq([r.status for r in ours], [200, 403, 403], "Require, <Files>")


@test
def disallowed_and_broken_files_are_500():
    reqs = ["/h/a.txt", "/r/ok.txt", "/bad/a.txt", "/bad2/a.txt",
            "/bad3/a.txt", "/index.html"]
    ours, log = compare(allow("FileInfo"), SITE, reqs)
    eq([r.status for r in ours], [500, 500, 500, 500, 500, 200],
       "statuses (recorded from apache2)")
    eq(log, sorted([
        "ROOT/htdocs/h/.htaccess: DirectoryIndex not allowed here",
        "ROOT/htdocs/r/.htaccess: Require not allowed here",
        "ROOT/htdocs/bad/.htaccess: ROOT/htdocs/bad/.htaccess:1: "
        "<Files> was not closed.",
        "ROOT/htdocs/bad2/.htaccess: Listen not allowed here",
        "ROOT/htdocs/bad3/.htaccess: AddType requires at least two "
        "arguments, a mime type followed by one or more file extensions",
    ]), "error log (recorded from apache2)")


@test
def options_via_htaccess():
    files = {"htdocs/o1/.htaccess": "Options +Indexes\n", "htdocs/o1/a.txt": "a",
             "htdocs/o2/.htaccess": "Options +FollowSymLinks\n",
             "htdocs/o2/a.txt": "a",
             "htdocs/o3/.htaccess": "Options +MultiViews\n",
             "htdocs/o3/a.txt": "a",
             "htdocs/o4/.htaccess": "Options All\n", "htdocs/o4/a.txt": "a"}
    reqs = ["/o1/", "/o2/a.txt", "/o3/a.txt", "/o4/a.txt"]
    ours, log = compare(allow("Options=Indexes"), files, reqs)
    eq([r.status for r in ours], [200, 500, 500, 500], "Options=Indexes")
    eq(log, sorted(["ROOT/htdocs/o2/.htaccess: Option FollowSymLinks not "
                    "allowed here",
                    "ROOT/htdocs/o3/.htaccess: Option MultiViews not "
                    "allowed here",
                    "ROOT/htdocs/o4/.htaccess: Option All not allowed here"]),
       "error log (recorded from apache2)")
    ours, _ = compare(allow("Options"), files, reqs)
    eq([r.status for r in ours], [200, 200, 500, 200], "Options")
    ours, _ = compare(allow("Indexes"), files, reqs)
    eq([r.status for r in ours], [500, 500, 500, 500], "Indexes only")


@test
def merged_between_directory_levels():
    """A level's file after its <Directory> sections, before deeper ones
    and before <DirectoryMatch>; AllowOverride None skips the file."""
    files = {"htdocs/o/.htaccess": "Header set X-O file\n",
             "htdocs/o/a.txt": "a",
             "htdocs/o/p/b.txt": "b",
             "htdocs/o/q/c.txt": "c",
             "htdocs/o/none/.htaccess": "Bogus directive\n",
             "htdocs/o/none/d.txt": "d"}
    conf = (allow("All") +
            "<Directory @HTDOCS@/o>\nHeader set X-O dir\n</Directory>\n"
            "<Directory @HTDOCS@/o/p>\nHeader set X-O deeper\n</Directory>\n"
            "<DirectoryMatch /q/>\nHeader set X-O match\n</DirectoryMatch>\n"
            "<Directory @HTDOCS@/o/none>\nAllowOverride None\n</Directory>\n")
    ours, _ = compare(conf, files, ["/o/a.txt", "/o/p/b.txt", "/o/q/c.txt",
                                    "/o/none/d.txt"])
    eq([(r.status, r.header("X-O")) for r in ours],
       [(200, "file"), (200, "deeper"), (200, "match"), (200, "file")],
       "order (recorded from apache2)")


@test
def allow_override_list():
    """AllowOverrideList names single directives: allowed whatever their
    group, the file read even under AllowOverride None."""
    files = {"htdocs/l1/.htaccess": "Header set X-H listed\n"
                                    "Redirect /l1/old /new\n",
             "htdocs/l1/a.txt": "a",
             "htdocs/l2/.htaccess": "header set X-H listed\n"
                                    "AddType text/x-foo .txt\n",
             "htdocs/l2/a.txt": "a",
             "htdocs/l3/.htaccess": "DirectoryIndex a.txt\n",
             "htdocs/l3/a.txt": "a"}
    reqs = ["/l1/a.txt", "/l1/old", "/l2/a.txt", "/l3/"]
    conf = ("<Directory @HTDOCS@>\nAllowOverride None\n"
            "AllowOverrideList Header Redirect\n</Directory>\n"
            "<Directory @HTDOCS@/l3>\nAllowOverride Indexes\n"
            "AllowOverrideList None\n</Directory>\n")
    ours, log = compare(conf, files, reqs)
    eq([r.status for r in ours], [200, 302, 500, 200],
       "statuses (recorded from apache2)")
    eq(ours[0].header("X-H"), "listed", "a listed directive applies")
    eq(log, ["ROOT/htdocs/l2/.htaccess: AddType not allowed here"],
       "error log (recorded from apache2)")
    out = httpd_t("<Directory />\nAllowOverrideList None Header\n"
                  "</Directory>\n")
    eq("'None' not allowed with other directives in AllowOverrideList"
       in out[1], True, "None with others: %r" % (out,))


@test
def options_reach_the_symlink_check():
    """Options set in an access file decide the symlinks of the levels
    below it (their own directory's entries and deeper), merged with +/-
    as Apache's walk does; SymLinksIfOwnerMatch needs the owners to match
    even with FollowSymLinks; the index decision follows Indexes."""
    conf = ("<Directory @HTDOCS@>\nOptions None\nAllowOverride Options\n"
            "</Directory>\n"
            "<Directory @HTDOCS@/o>\nAllowOverride Options=FollowSymLinks,"
            "SymLinksIfOwnerMatch,Indexes\n</Directory>\n"
            "<Directory @HTDOCS@/p>\nOptions FollowSymLinks "
            "SymLinksIfOwnerMatch\n</Directory>\n")
    files = {"htdocs/a.txt": "a\n", "htdocs/p/.keep": "",
             "htdocs/p/q/.htaccess": "Options -SymLinksIfOwnerMatch\n",
             "htdocs/s/.htaccess": "Options +FollowSymLinks\n",
             "htdocs/s/d/.keep": "",
             "htdocs/n/.htaccess": "Options +Indexes -FollowSymLinks\n",
             "htdocs/n/d/.keep": "",
             "htdocs/o/.htaccess": "Options SymLinksIfOwnerMatch\n",
             "htdocs/i/.htaccess": "Options +Indexes\n", "htdocs/i/d/x": "",
             "htdocs/i/e/.htaccess": "Options -Indexes\n",
             "htdocs/f/.htaccess": "Options FollowSymLinks\n",
             "htdocs/f/g/.htaccess": "Options -FollowSymLinks\n"}
    links = [("s/l.txt", "../a.txt"), ("s/d/l.txt", "../../a.txt"),
             ("s/dl", "d"), ("n/l.txt", "../a.txt"),
             ("n/d/l.txt", "../../a.txt"), ("o/l.txt", "../a.txt"),
             ("o/m.txt", "../a.txt"), ("o/od", "../i/d"),
             ("f/g/h", "../../s"), ("f/gl", "../s/l.txt"), ("sl", "s"),
             ("s/dang", "nowhere"), ("p/l.txt", "../a.txt"),
             ("p/m.txt", "../a.txt"), ("p/q/m.txt", "../../a.txt")]
    chown = ["o/m.txt", "p/m.txt", "p/q/m.txt", "o/od"]
    reqs = ["/s/l.txt", "/s/d/l.txt", "/s/dl/l.txt", "/s/dl/", "/n/l.txt",
            "/n/d/l.txt", "/n/", "/o/l.txt", "/o/m.txt", "/o/od/", "/o/od/x",
            "/i/", "/i/d/", "/i/e/", "/f/g/h/l.txt", "/f/gl", "/sl/l.txt",
            "/s/dang", "/s/l.txt/x", "/s/nope", "/s/dl/nope", "/p/l.txt",
            "/p/m.txt", "/p/q/m.txt", "/p/m.txt/x", "/p/nope"]
    ours, log = compare(conf, files, reqs, links, chown,
                        lambda s: alerts(s, ("AH00037", "AH01276")))
    eq([r.status for r in ours],
       [200, 200, 200, 403, 403, 403, 200, 200, 403, 403, 403, 200, 200,
        403, 403, 200, 403, 403, 404, 404, 404, 200, 403, 500, 403, 404],
       "statuses (recorded from apache2)")
    eq(log.count("AH00037: Symbolic link not allowed or link target not "
                 "accessible: ROOT/htdocs/o/od"), 2, "AH00037 logged")


def warnings_and_alerts(server):
    """alerts() and the core:warn lines, without time and pid."""
    out = alerts(server)
    for line in server.error_log().splitlines():
        if "[core:warn]" in line:
            out.append(re.sub(r"^.*\[core:warn\] (\[pid [^]]*\] )?", "",
                              line))
    return sorted(out)


@test
def conditionals_judged_in_access_files():
    """<IfDefine>, <IfVersion>, <IfFile>, <IfDirective>, <IfSection> and
    <IfModule> in an access file are judged when it is read, as in the
    main configuration, with ${VAR} from the Defines; a true one may end
    at end of file, a false one may not; Define, UnDefine, Include are not
    allowed there, nor the conditionals without an override class."""
    conf = ("Define FOO\nDefine BAR baz\n<Directory @HTDOCS@>\n"
            "AllowOverride All\n</Directory>\n"
            "<Directory @HTDOCS@/r>\nAllowOverride None\n"
            "AllowOverrideList Header\n</Directory>\n"
            "<Directory @HTDOCS@/s>\nAllowOverride FileInfo\n"
            "</Directory>\n")
    bodies = {
        "a": "<IfDefine FOO>\nHeader set X-H foo\n</IfDefine>\n"
             "<IfDefine !FOO>\nHeader append X-H notfoo\n</IfDefine>\n"
             "<IfDefine NOPE>\nBogus\n</IfDefine>\n<IfDefine !NOPE>\n"
             "Header append X-H notnope\n</IfDefine>\n",
        "b": "<IfVersion >= 2.4>\nHeader set X-H ge24\n</IfVersion>\n"
             "<IfVersion < 2.0>\nHeader append X-H lt20\n</IfVersion>\n"
             "<IfVersion ~ ^2\\.4>\nHeader append X-H re\n</IfVersion>\n",
        "c": "<IfFile /etc/passwd>\nHeader set X-H passwd\n</IfFile>\n"
             "<IfFile /nonexist>\nHeader append X-H none\n</IfFile>\n"
             "<IfFile !/nonexist>\nHeader append X-H notnone\n</IfFile>\n",
        "d": "<IfDirective Header>\nHeader set X-H hdr\n</IfDirective>\n"
             "<IfDirective NoSuch>\nHeader append X-H nosuch\n"
             "</IfDirective>\n<IfSection Directory>\nHeader append X-H sec\n"
             "</IfSection>\n<IfSection NoSuch>\nHeader append X-H no\n"
             "</IfSection>\n<IfModule !nosuch_module>\n"
             "Header append X-H nomod\n</IfModule>\n",
        "e": "Header set X-H ${BAR}\nHeader append X-H \"${FOO}\"\n"
             "Header append X-H ${UNDEFINED_VAR}\n",
        "f": "Define X 1\n", "g": "Include /etc/passwd\n",
        "i": "<IfVersion >= x.y>\nHeader set X-H bad\n</IfVersion>\n",
        "j": "<IfDefine>\nHeader set X-H bad\n</IfDefine>\n",
        "l": "UnDefine FOO\n", "m": "<IfDefine NOPE>\n</Files>\n</IfDefine>\n",
        "n": "<IfDefine FOO>\nHeader set X-H open\n",
        "o": "<IfDefine NOPE>\nHeader set X-H open\n",
        "p": "IncludeOptional /nonexist/*.conf\n",
        "q": "<If \"%{QUERY_STRING} == 'x'\">\nHeader set X-H q\n</If>\n"
             "<Else>\nHeader set X-H else\n</Else>\n",
        "r": "<IfModule headers_module>\nHeader set X-H a\n</IfModule>\n",
        "s": "<IfDefine FOO>\nHeader set X-H fileinfo\n</IfDefine>\n",
    }
    files = {}
    for d, text in bodies.items():
        files["htdocs/%s/.htaccess" % d] = text
        files["htdocs/%s/x.txt" % d] = "x"
    reqs = ["/%s/x.txt" % d for d in sorted(bodies)] + ["/q/x.txt?x"]
    ours, log = compare(conf, files, reqs, log=warnings_and_alerts)
    eq([(r.status, r.header("X-H")) for r in ours],
       [(200, "foo, notnope"), (200, "ge24, re"), (200, "passwd, notnone"),
        (200, "hdr, sec, nomod"), (200, "baz, ${FOO}, ${UNDEFINED_VAR}"),
        (500, None), (500, None), (500, None), (500, None), (500, None),
        (500, None), (200, "open"), (500, None), (500, None), (200, "else"),
        (500, None), (200, "fileinfo"), (200, "q")],
       "statuses and headers (recorded from apache2)")
    eq(log, sorted([
        "AH00111: Config variable ${FOO} is not defined",
        "AH00111: Config variable ${UNDEFINED_VAR} is not defined",
        "ROOT/htdocs/f/.htaccess: Define not allowed here",
        "ROOT/htdocs/g/.htaccess: Include not allowed here",
        "ROOT/htdocs/i/.htaccess: Version appears to be invalid. It must "
        "have the format major[.minor[.patch]] where major, minor and patch "
        "are numbers.",
        "ROOT/htdocs/j/.htaccess: <IfDefine> directive requires additional "
        "arguments",
        "ROOT/htdocs/l/.htaccess: UnDefine not allowed here",
        "ROOT/htdocs/m/.htaccess: Expected </IfDefine> but saw </Files>",
        "ROOT/htdocs/o/.htaccess: Expected </IfDefine> before end of "
        "configuration",
        "ROOT/htdocs/p/.htaccess: IncludeOptional not allowed here",
        "ROOT/htdocs/r/.htaccess: <IfModule not allowed here"]),
       "error log (recorded from apache2)")


@test
def nonfatal_overrides():
    """AllowOverride Nonfatal=Override|Unknown|All: forbidden (AH02295)
    or unknown (AH02296) directives are logged as warnings and skipped,
    a whole unknown section with its body; bad arguments, Options not in
    Options=... and other errors stay fatal; None or All after Nonfatal
    drop it, an unknown Nonfatal= value is ignored; Nonfatal alone reads
    the file and allows nothing; a forbidden conditional's closer then
    closes nothing."""
    modes = {"o": "FileInfo Nonfatal=Override", "u": "FileInfo Nonfatal=Unknown",
             "a": "FileInfo Nonfatal=All", "n": "None Nonfatal=All",
             "r": "Nonfatal=All All", "b": "Nonfatal=Bogus FileInfo",
             "p": "Options=Indexes Nonfatal=All", "s": "FileInfo Nonfatal=All"}
    body = ("Header set X-H one\nDirectoryIndex x.txt\nBogusDirective foo\n"
            "Header append X-H two\n<BogusSection>\nHeader append X-H three\n"
            "</BogusSection>\nRequire all denied\nDefine FOO\nListen 99\n"
            "<Files x.txt>\nDirectoryIndex y\nHeader append X-H four\n"
            "</Files>\n<IfModule nosuch>\nx\n</IfModule>\n")
    conf, files = "", {}
    for d, mode in sorted(modes.items()):
        conf += "<Directory @HTDOCS@/%s>\nAllowOverride %s\n</Directory>\n" \
            % (d, mode)
        files["htdocs/%s/.htaccess" % d] = body
        files["htdocs/%s/x.txt" % d] = "x"
    files["htdocs/p/.htaccess"] = ("Options +FollowSymLinks\nHeader set X-H p\n")
    files["htdocs/s/.htaccess"] = "AddType\nHeader set X-H s\n"
    reqs = ["/%s/x.txt" % d for d in sorted(modes)] + ["/a/"]
    ours, log = compare(conf, files, reqs, log=warnings_and_alerts)
    eq([(r.status, r.header("X-H")) for r in ours],
       [(200, "one, two, four"), (500, None), (500, None), (500, None),
        (500, None), (500, None), (500, None), (500, None), (403, None)],
       "statuses (recorded from apache2)")
    forbidden = "AH02295: %s in .htaccess forbidden by AllowOverride"
    unknown = ("AH02296: Unknown directive %s perhaps misspelled or defined "
               "by a module not included in the server configuration")
    walk = [forbidden % "DirectoryIndex", unknown % "bogusdirective",
            unknown % "<bogussection", forbidden % "Require",
            forbidden % "Listen", forbidden % "DirectoryIndex"]
    eq(log, sorted(
        [forbidden % "Define"] * 4 + walk * 2 + [forbidden % "DirectoryIndex",
                                                 forbidden % "<IfModule"] +
        ["ROOT/htdocs/o/.htaccess: Invalid command 'BogusDirective', perhaps "
         "misspelled or defined by a module not included in the server "
         "configuration",
         "ROOT/htdocs/u/.htaccess: Define not allowed here",
         "ROOT/htdocs/n/.htaccess: </IfModule> without matching <IfModule> "
         "section",
         "ROOT/htdocs/r/.htaccess: Define not allowed here",
         "ROOT/htdocs/b/.htaccess: Define not allowed here",
         "ROOT/htdocs/p/.htaccess: Option FollowSymLinks not allowed here",
         "ROOT/htdocs/s/.htaccess: AddType requires at least two arguments, "
         "a mime type followed by one or more file extensions"]),
       "error log (recorded from apache2)")


@test
def fallback_lookups_read_access_files():
    """A DirectoryIndex or FallbackResource lookup walks its target like
    any request: a broken access file on the way makes the answer a 500,
    and a missing fallback whose own FallbackResource names a file ends
    at that file (Apache's lookups run fixups too)."""
    conf = ("FileETag None\n<Directory @HTDOCS@>\nAllowOverride All\n"
            "Options Indexes\n</Directory>\nAlias /al \"@ROOT@/files\"\n"
            "<Directory \"@ROOT@/files\">\nRequire all granted\n"
            "Options Indexes\n</Directory>\n"
            "<Directory @HTDOCS@/c>\nFallbackResource /missing.txt\n"
            "</Directory>\nFallbackResource /bad/t.txt\n"
            "<Directory @HTDOCS@/ok>\nFallbackResource /one/t.txt\n"
            "</Directory>\n")
    files = {"htdocs/bad/.htaccess": "Include /nonexistent\n",
             "htdocs/bad/t.txt": "t", "htdocs/one/t.txt": "one",
             "files/a.txt": "a", "files/inner/b.txt": "b",
             "htdocs/c/x.txt": "x", "htdocs/ok/x.txt": "x"}
    reqs = ["/al/", "/al/a.txt", "/al/inner/", "/al/nope", "/c/nope",
            "/c/", "/ok/nope", "/ok/"]
    ours, log = compare(conf, files, reqs)
    eq([r.status for r in ours], [500, 200, 500, 500, 500, 500, 200, 200],
       "statuses (recorded from apache2)")
    eq(ours[6].body, b"one", "the directory's own FallbackResource")


@test
def lookups_reuse_their_parents_walk():
    """A DirectoryIndex file or an ErrorDocument in the directory its
    request walked does not get the extra file level of Apache's walk (a
    <Directory dir/*> naming the file), as Apache reuses the cached walk;
    an ErrorDocument served through DirectoryIndex or FallbackResource
    keeps the error's status; SetHandler in the lookup's directory stops
    its FallbackResource."""
    conf = ("<Directory @HTDOCS@>\nOptions Indexes FollowSymLinks\n"
            "</Directory>\n<Directory @HTDOCS@/*>\nHeader set X-H star\n"
            "</Directory>\n<Directory @HTDOCS@/e>\nErrorDocument 404 /sub/\n"
            "</Directory>\n<Directory @HTDOCS@/f>\n"
            "ErrorDocument 403 /f/nowhere.html\nRequire all denied\n"
            "FallbackResource /t.txt\n</Directory>\n"
            "<Directory @HTDOCS@/g>\nFallbackResource /t.txt\n</Directory>\n"
            "<Directory @HTDOCS@/g/h>\nSetHandler default-handler\n"
            "</Directory>\n")
    files = {"htdocs/index.html": "<p>root</p>", "htdocs/t.txt": "target",
             "htdocs/sub/index.html": "<p>idx</p>", "htdocs/e/x": "",
             "htdocs/f/x": "", "htdocs/g/h/y": ""}
    reqs = ["/", "/index.html", "/e/nope", "/f/x", "/g/h/", "/g/nope"]
    ours, _ = compare(conf, files, reqs)
    eq([(r.status, r.header("X-H")) for r in ours],
       [(200, None), (200, "star"), (404, "star"), (403, "star"), (404, None),
        (200, "star")], "statuses (recorded from apache2)")


if __name__ == "__main__":
    run()
