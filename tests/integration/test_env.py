#!/usr/bin/env python3
"""mod_env and mod_setenvif: SetEnv/UnsetEnv/PassEnv, SetEnvIf,
SetEnvIfNoCase, BrowserMatch, BrowserMatchNoCase, SetEnvIfExpr, the
special variables (nokeepalive, downgrade-1.0, force-response-1.0,
force-no-vary, suppress-error-charset) and what reads the environment
(Header %{X}e, Require env, CustomLog env=).  Also Apache 2.4's regex
substitution ($N, backslash escapes, '&' literal) in RedirectMatch,
AliasMatch and Header edit.

Every expectation below was recorded from Debian's apache2 2.4 serving
the same tree with the same configuration; where apache2 is installed the
same requests also go to it and the whole answers (status line, header
fields in order, body; Date/Server/ETag/Last-Modified aside) and the
access-log lines must be equal.

Run alone: python3 test_env.py [NAME-SUBSTRING...]"""
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FILES = {"htdocs/a.txt": "hello\n", "htdocs/sub/b.txt": "b\n"}
DROP = re.compile(r"(Date|Server|ETag|Last-Modified): [^\r\n]*\r\n")


def raw_exchange(port, text):
    """One request on its own connection, the client's side half-closed
    after it; the whole answer, normalised."""
    data = text.strip("\n").replace("\n", "\r\n") + "\r\n\r\n"
    c = socket.create_connection(("127.0.0.1", port), IO_TIMEOUT)
    try:
        c.sendall(data.encode("latin-1"))
        c.shutdown(socket.SHUT_WR)
        out = b""
        for _ in range(1000):
            d = c.recv(65536)
            if not d:
                break
            out += d
    finally:
        c.close()
    t = DROP.sub("", out.decode("latin-1"))
    return re.sub(r"<address>[^<]*</address>\n", "", t)


def access_log(server, count):
    path = os.path.join(server.logs, "access_log")
    if count == 0:
        return []
    wait_for(lambda: os.path.exists(path) and
             open(path).read().count("\n") >= count, what="access log")
    return open(path).read().splitlines()


def serve(config, requests, files=FILES, log_lines=0):
    """The answers of httpd-ng to requests (and the access log); the same
    from apache2 where installed, which must be equal."""
    got = []
    servers = [Server]
    if have_apache():
        servers.append(Apache)
    for cls in servers:
        with cls(config, mpm="prefork", files=files) as s:
            answers = [raw_exchange(s.port, r) for r in requests]
            got.append((answers, access_log(s, log_lines)))
    if len(got) == 2:
        for i, (a, b) in enumerate(zip(got[0][0], got[1][0])):
            eq(a, b, "request %d %r: httpd-ng vs apache2" % (i, requests[i]))
        eq(got[0][1], got[1][1], "access log: httpd-ng vs apache2")
    return got[0]


def field(answer, name):
    m = re.search(r"\r\n%s: ([^\r\n]*)\r\n" % re.escape(name), answer)
    return m.group(1) if m else None


def get(path, *headers, proto="HTTP/1.1"):
    return "GET %s %s\nHost: x\n%s" % (path, proto, "\n".join(headers))


@test
def setenvif_attributes_and_values():
    conf = r"""
SetEnvIf Request_URI "^/a" isa
SetEnvIf X-Foo "^$" nofoo
SetEnvIf X-Foo "(b+)" foo=$1x
SetEnvIf ^X-B.r "z" bar
SetEnvIf isa "1" isa_copy=yes
SetEnvIf Request_Method GET meth=$0
SetEnvIf Request_Protocol "HTTP/1\.(.)" proto=$1
SetEnvIf Remote_Addr "127" ra=1
SetEnvIf Server_Addr "(.*)" sa=$1
SetEnvIf Remote_Host "(.*)" rh=$1
SetEnv fromsetenv v1
SetEnvIf fromsetenv "v1" seen_setenv
SetEnvIfNoCase User-Agent "moz" moz !isa
BrowserMatch "Moz" bm
Header always set X-isa "%{isa}e|%{isa_copy}e|%{nofoo}e|%{foo}e|%{bar}e"
Header always set X-meth "%{meth}e|%{proto}e|%{ra}e|%{sa}e|%{rh}e"
Header always set X-other "%{fromsetenv}e|%{seen_setenv}e|%{moz}e|%{bm}e"
"""
    (a, b), _ = serve(conf, [
        get("/a.txt", "X-Foo: abbbc", "X-Bar: zz", "User-Agent: Mozilla"),
        get("/sub/b.txt?q", "X-Bxr: z", "User-Agent: MOZ", proto="HTTP/1.0")])
    # !isa on a later line unsets what an earlier one set, after the line
    # between them copied it; a plain pattern ("GET") does not substitute
    eq(field(a, "X-isa"), "(null)|yes|(null)|bbbx|1")
    eq(field(a, "X-meth"), "$0|1|1|127.0.0.1|127.0.0.1")
    # SetEnv comes at fixups: SetEnvIf never sees it, Header does
    eq(field(a, "X-other"), "v1|(null)|1|1")
    eq(field(b, "X-isa"), "(null)|(null)|1|(null)|1")
    eq(field(b, "X-meth"), "$0|0|1|127.0.0.1|127.0.0.1")
    eq(field(b, "X-other"), "v1|(null)|1|(null)")


@test
def setenvif_uri_headers_and_sections():
    conf = r"""
SetEnvIf Request_Method "(G)ET" m0=$0 m1=$1 m2=$2 m9=a$1$1b\$1
SetEnvIf Request_URI "(.*)" uri=$1
SetEnvIf X-Dup "(.*)" hdup=$1
SetEnvIf x-lower "(.+)" lower=$1
SetEnvIfExpr "%{REQUEST_URI} =~ /(s.b)/" insub=x$1
SetEnvIfExpr "-z %{HTTP:X-None}" none_empty
<Directory "@HTDOCS@/sub">
SetEnvIf Request_URI "(.*)" diruri=$1
</Directory>
<Location "/sub">
SetEnvIf Request_URI "b" locb=$0
</Location>
Header always set X-m "%{m0}e|%{m1}e|%{m2}e|%{m9}e"
Header always set X-uri "%{uri}e|%{hdup}e|%{lower}e"
Header always set X-expr "%{insub}e|%{none_empty}e"
Header always set X-dir "%{diruri}e|%{locb}e"
"""
    (a, b, c), _ = serve(conf, [
        get("/%61.txt", "X-Dup: 1", "X-Dup: 2", "X-LOWER: up"),
        get("/sub/./%62.txt?q"),
        get("/sub/nonexist")])
    eq(field(a, "X-m"), "GET|G||aGGb$1")
    # server level: the path as sent; a header's lines joined with ", "
    eq(field(a, "X-uri"), "/%61.txt|1, 2|up")
    eq(field(a, "X-expr"), "(null)|1")
    eq(field(a, "X-dir"), "(null)|(null)")
    eq(field(b, "X-uri"), "/sub/./%62.txt||(null)")  # "(.*)" matches ""
    eq(field(b, "X-expr"), "xsub|1")
    # in a section: after the walk, the decoded path
    eq(field(b, "X-dir"), "/sub/b.txt|$0")
    check(c.startswith("HTTP/1.1 404 "), c[:40])
    eq(field(c, "X-dir"), "/sub/nonexist|$0")


@test
def setenvif_patterns_plain_or_regex():
    conf = r"""
SetEnvIf X-A "a-b" s1=$0
SetEnvIf X-A "a\-b" s2=$0
SetEnvIf X-A "A-B" s3=yes
SetEnvIfNoCase X-A "A-B" s4=yes
SetEnvIf X-A "^a" s5=$0
SetEnvIf X-A "a{1}" s6=$0
SetEnvIf X-B "a\.b" s7=$0
SetEnvIf X-B "a\.(b)" s8=$1&
SetEnvIf ^X-C "(.*)" n1=$1
SetEnvIf X-C.$ "^b" n2=$0
SetEnvIf X-B "(a)" v1=a\\b v2=x\y v3=\& v4=$1\ v5=\$$1 v6=$a v7=$ e= f
SetEnvIf X-B "a" w1=a\\b !f !c=d
Header always set X-s "%{s1}e|%{s2}e|%{s3}e|%{s4}e|%{s5}e|%{s6}e|%{s7}e|%{s8}e"
Header always set X-n "%{n1}e|%{n2}e"
Header always set X-v "[%{v1}e][%{v2}e][%{v3}e][%{v4}e][%{v5}e][%{v6}e][%{v7}e][%{e}e][%{f}e][%{w1}e]"
"""
    (a,), _ = serve(conf, [get("/a.txt", "X-A: xa-b", "X-B: a.b",
                               "X-C1: bar", "X-C2: foo")])
    eq(field(a, "X-s"), "$0|a-b|(null)|yes|(null)|a|$0|b&")
    # a regex names headers: the last one it matches gives the value
    eq(field(a, "X-n"), "foo|(null)")
    eq(field(a, "X-v"), "[ab][xy][&][a\\][$a][$a][$][1][(null)][a\\b]")


@test
def setenvif_config_errors_as_apache():
    config_cases_agree([
        ("SetEnvIf\n", 1, "Missing header-field name for SetEnvIf"),
        ("SetEnvIf X-A\n", 1, "Missing regular expression for SetEnvIf"),
        ("SetEnvIf X-A foo\n", 1, "Missing envariable expression for SetEnvIf"),
        ('SetEnvIf "" foo a\n', 1, "Missing header-field name for SetEnvIf"),
        ('SetEnvIf X "" a\n', 1, "Missing regular expression for SetEnvIf"),
        ("BrowserMatch\n", 1, "Missing regular expression for BrowserMatch"),
        ("BrowserMatch foo\n", 1,
         "Missing envariable expression for BrowserMatch"),
        ("SetEnvIfExpr\n", 1, "Missing expression for SetEnvIfExpr"),
        ('SetEnvIfExpr "true"\n', 1,
         "Missing envariable expression for SetEnvIfExpr"),
        ('SetEnvIfExpr "%{FOO" x\n', 1, 'Could not parse expression "%{FOO":'),
        ('SetEnvIf X-A "(" x\n', 1, "SetEnvIf regex could not be compiled."),
        ('SetEnvIfNoCase X-A "(" x\n', 1,
         "SetEnvIfNoCase regex could not be compiled."),
        ('BrowserMatchNoCase "(" x\n', 1,
         "BrowserMatchNoCase regex could not be compiled."),
        ("SetEnv\n", 1, "SetEnv takes 1-2 arguments, an environment variable "
         "name and optional value to pass to CGI."),
        ("SetEnv A B C\n", 1, "SetEnv takes 1-2 arguments"),
        ("UnsetEnv\n", 1, "UnsetEnv requires at least one argument, a list "
         "of variables to remove from the CGI environment."),
        ("PassEnv\n", 1, "PassEnv requires at least one argument, a list of "
         "environment variables to pass to CGI."),
        ("PassEnv NOPE_XYZ_UNSET\n", 0,
         "AH01506: PassEnv variable NOPE_XYZ_UNSET was undefined"),
        ("SetEnv A=B\n", 0, "AH10032: Spurious usage of '=' in an "
         "environment variable name. 'SetEnv A B' expected instead?"),
        ("SetEnvIf X-A foo a=b\nSetEnv A\nSetEnvIf X-A foo =b !a=b\n", 0,
         "Syntax OK"),
    ])


@test
def setenv_unsetenv_passenv_merging():
    conf = r"""
SetEnvIf Request_Method "." x=fromsetenvif y=fromsetenvif
UnsetEnv x
SetEnv a 1
UnsetEnv a
UnsetEnv b
SetEnv b 2
SetEnv c
SetEnv d=e
SetEnv y fromsetenv
PassEnv HOME
<Directory "@HTDOCS@/sub">
UnsetEnv b
SetEnv f 3
</Directory>
<Location "/sub">
SetEnv g 4
UnsetEnv c
</Location>
Header always set X-v "[%{x}e][%{y}e][%{a}e][%{b}e][%{c}e][%{d=e}e][%{d}e][%{HOME}e][%{f}e][%{g}e]"
"""
    home = os.environ.get("HOME", "")
    (a, b, c), _ = serve(conf, [get("/a.txt"), get("/sub/b.txt"),
                                get("/sub/nonexist")])
    # UnsetEnv does not remove what SetEnvIf set, SetEnv does not override it
    eq(field(a, "X-v"), "[fromsetenvif][fromsetenvif][(null)][2][][][(null)][%s][(null)][(null)]" % home)
    eq(field(b, "X-v"), "[fromsetenvif][fromsetenvif][(null)][(null)][(null)][][(null)][%s][3][4]" % home)
    eq(field(c, "X-v"), field(b, "X-v"))


@test
def special_variables_change_the_protocol():
    conf = r"""
BrowserMatch "nk" nokeepalive
BrowserMatch "dg" downgrade-1.0
BrowserMatch "fr" force-response-1.0
<Directory "@HTDOCS@/sub">
BrowserMatch "dsub" downgrade-1.0
</Directory>
BrowserMatch "nv" force-no-vary
BrowserMatch "sc" suppress-error-charset
Header always set Vary "X-Test"
LogFormat "%h \"%r\" %>s %H %{nokeepalive}e" x
CustomLog "@LOGS@/access_log" x
"""
    reqs = [get("/a.txt", "User-Agent: nk"),
            get("/a.txt", "User-Agent: nk", "Via: 1.1 proxy"),
            get("/a.txt", "User-Agent: dg"),
            get("/sub/b.txt", "User-Agent: dsub"),
            get("/a.txt", "User-Agent: fr", "Connection: keep-alive",
                proto="HTTP/1.0"),
            get("/a.txt", "User-Agent: fr"),
            get("/a.txt", "User-Agent: nv"),
            get("/nonexist", "User-Agent: sc"),
            get("/a.txt")]
    ans, log = serve(conf, reqs, log_lines=len(reqs))
    # an HTTP/1.1 request with nothing to close the connection keeps it
    eq(field(ans[8], "Connection"), None)
    eq(field(ans[0], "Connection"), "close")
    eq(field(ans[1], "Connection"), None)      # Via: nokeepalive ignored
    eq(field(ans[2], "Connection"), "close")   # taken for HTTP/1.0
    eq(field(ans[3], "Connection"), "close")   # from a <Directory> too
    check(ans[2].startswith("HTTP/1.1 200 "), ans[2][:20])
    check(ans[4].startswith("HTTP/1.0 200 "), ans[4][:20])
    eq(field(ans[4], "Connection"), "close")
    check(ans[5].startswith("HTTP/1.1 200 "), ans[5][:20])
    check(ans[6].startswith("HTTP/1.0 200 "), ans[6][:20])
    eq(field(ans[6], "Vary"), None)
    eq(field(ans[7], "Content-Type"), "text/html")
    eq(field(ans[7], "Vary"), "X-Test")
    eq(log[0], '127.0.0.1 "GET /a.txt HTTP/1.1" 200 HTTP/1.1 1')
    eq(log[2], '127.0.0.1 "GET /a.txt HTTP/1.1" 200 HTTP/1.1 -')


@test
def special_variables_from_setenv():
    conf = r"""
<Directory "@HTDOCS@/sub">
SetEnv nokeepalive 1
</Directory>
SetEnv force-response-1.0 1
SetEnv suppress-error-charset 1
"""
    ans, _ = serve(conf, [get("/sub/b.txt"),
                          get("/a.txt", "Connection: keep-alive",
                              proto="HTTP/1.0"),
                          get("/nonexist")])
    eq(field(ans[0], "Connection"), "close")
    check(ans[1].startswith("HTTP/1.0 200 "), ans[1][:20])
    eq(field(ans[1], "Connection"), "close")
    eq(field(ans[2], "Content-Type"), "text/html")


@test
def environment_drives_require_log_and_header():
    conf = r"""
SetEnvIf Request_URI "\.txt$" dontlog
SetEnvIfNoCase X-Key "^open$" letin
<Directory "@HTDOCS@/sub">
    Require env letin
</Directory>
<Directory "@HTDOCS@/sub2">
    SetEnvIf X-Key2 "yes" letin2
    Require env letin2
</Directory>
<Directory "@HTDOCS@/sub3">
    SetEnv late 1
    Require env late
</Directory>
Header set X-Late "yes" env=late
LogFormat "%>s %U" short
CustomLog "@LOGS@/access_log" short env=!dontlog
"""
    files = dict(FILES)
    files["htdocs/sub2/c.html"] = "c\n"
    files["htdocs/sub3/d.html"] = "d\n"
    reqs = [get("/sub/b.txt"), get("/sub/b.txt", "X-Key: OPEN"),
            get("/sub2/c.html"), get("/sub2/c.html", "X-Key2: yes"),
            get("/sub3/d.html"), get("/a.txt"), get("/nope.html")]
    ans, log = serve(conf, reqs, files=files, log_lines=4)
    eq([a.split(" ", 2)[1] for a in ans],
       ["403", "200", "403", "200", "403", "200", "404"])
    # SetEnv comes after Require: never there in time
    eq(field(ans[4], "X-Late"), None)
    eq(log, ["403 /sub2/c.html", "200 /sub2/c.html", "403 /sub3/d.html",
             "404 /nope.html"])


@test
def htaccess_needs_fileinfo():
    files = dict(FILES)
    files["htdocs/sub/.htaccess"] = 'SetEnvIf Request_URI "(b)" hb=$1\nSetEnv hs 1\n'
    files["htdocs/ix/.htaccess"] = 'BrowserMatch x hb\n'
    files["htdocs/ix/i.txt"] = "i\n"
    conf = r"""
<Directory "@HTDOCS@">
    AllowOverride FileInfo
</Directory>
<Directory "@HTDOCS@/ix">
    AllowOverride Indexes
</Directory>
Header always set X-h "%{hb}e|%{hs}e"
"""
    (a, b), _ = serve(conf, [get("/sub/b.txt"), get("/ix/i.txt")],
                      files=files)
    eq(field(a, "X-h"), "b|1")
    check(b.startswith("HTTP/1.1 500 "), b[:40])


@test
def regex_substitution_as_apache_2_4():
    conf = r"""
RedirectMatch "^/r(.*)" "http://h/x&$1\y\$1"
AliasMatch "^/al(.*)" "@HTDOCS@/sub/$1&.txt"
Header always set X-T "abc"
Header always edit X-T "(b)" "[&\x$1]"
"""
    files = dict(FILES)
    files["htdocs/sub/b&.txt"] = "amp\n"
    (a, b, c), _ = serve(conf, [get("/rabc"), get("/alb"), get("/a.txt")],
                         files=files)
    eq(field(a, "Location"), "http://h/x&abcy$1")
    check(b.startswith("HTTP/1.1 200 ") and b.endswith("amp\n"), b)
    eq(field(c, "X-T"), "a[&xb]c")


if __name__ == "__main__":
    run()
