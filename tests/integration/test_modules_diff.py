#!/usr/bin/env python3
"""Differential test of the standard modules' directives: for each small
configuration, `httpd -t` and `apache2 -t` must agree on the verdict, the
first error's line and its message (warnings compared by message).

The same case list, run through apache2 once, produced the golden table of
tests/check_mod_config.c (`python3 test_modules_diff.py --emit-c`)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

MODULES = ["authz_core", "authz_host", "authz_user", "authn_core", "authn_file",
           "auth_basic", "mime", "dir", "alias", "autoindex", "headers"]

# (context, snippet).  context: top, dir (<Directory />), loc (<Location /x>),
# vhost (<VirtualHost *:80>).
CASES = [
    # ---- authz
    ("top", "Require all granted"),
    ("dir", "Require all"),
    ("dir", "Require"),
    ("dir", "Require foo bar"),
    ("dir", "Require all granted x"),
    ("dir", "Require all denied"),
    ("dir", "Require all GRANTED"),
    ("dir", "Require ip"),
    ("dir", "Require ip 1.2.3.4/33"),
    ("dir", "Require ip 1.2.3.999"),
    ("dir", "Require ip abc"),
    ("dir", "Require ip 10.1"),
    ("dir", "Require ip 10."),
    ("dir", "Require ip 10.1.0.0/16 ::1 fe80::/10"),
    ("dir", "Require ip 10.0.0.0/255.255.0.0"),
    ("dir", "Require ip 1.2.3.4/0"),
    ("dir", "Require ip ::1/129"),
    ("dir", "Require ip 10.1.2.3.4"),
    ("dir", "Require ip 256"),
    ("dir", "Require ip 1.2.3.4 abc"),
    ("dir", "Require ip a:b"),
    ("dir", "Require ip 1.2.3.4/"),
    ("dir", "Require ip 1.2.3.4/x"),
    ("dir", "Require ip 10.1/16"),
    ("dir", "Require ip ::ffff:1.2.3.4"),
    ("dir", "Require host"),
    ("dir", "Require host example.org .net"),
    ("dir", "Require local x"),
    ("dir", "Require env"),
    ("dir", "Require env A B"),
    ("dir", "Require not all granted"),
    ("dir", "Require not"),
    ("dir", "Require not not ip 1.2.3.4"),
    ("dir", "Require NOT ip 1.2.3.4"),
    ("dir", "Require not foo"),
    ("dir", "Require not all maybe"),
    ("dir", "Require method GET POST"),
    ("dir", "Require method get"),
    ("dir", "Require method HEAD"),
    ("dir", "Require method GET FOO"),
    ("dir", "Require expr"),
    ('top', '<If "true">\nDirectoryIndex x\n</If>'),
    ('top', '<If "true">\nAlias /a /b\n</If>'),
    ('dir', '<If "-z %{QUERY_STRING}">\nRequire all denied\n</If>\n<Else>\nRequire all granted\n</Else>'),
    ('loc', '<ElseIf "true">\n</ElseIf>'),
    ('vhost', '<If "true">\nServerAlias x\n</If>'),
    ('top', '<If "true">\nAddType text/x .x\nRedirect /a http://x/\n</If>'),
    ('top', '<If "true">\nFallbackResource /x\n</If>'),
    ('dir', '<If "true">\n<Files x>\nRequire all denied\n</Files>\n</If>'),
    ('top', '<If "true">\nAllowOverride None\n</If>'),
    ('top', '<If "\'a\' =~ /(/">\n</If>'),
    ('top', '<If "true">\n<Else>\n</Else>\n</If>'),
    ('top', '<If "true">\n<RequireAny>\nRequire not ip 1.2.3.4\n</RequireAny>\n</If>'),
    ('loc', '<If "true">\nHeader set X "expr=%{FOO}"\n</If>'),
    ('top', '<If "true">\nCustomLog /tmp/x common\n</If>'),
    ('top', '<If "true">\nIndexOptions FancyIndexing\nAddIcon /i.gif .x\n</If>'),
    ("dir", 'Require expr true'),
    ("dir", 'Require expr "%{FOO} == 1"'),
    ("dir", 'Require expr "foo(1)"'),
    ("dir", 'Require expr "(1 == 1"'),
    ("dir", 'Require expr 1'),
    ("dir", 'Require expr "\'a\' =~ /(/"'),
    ("dir", 'Require expr "-Q \'a\'"'),
    ("dir", 'Require expr "\'a\' -foo \'b\'"'),
    ("dir", 'Require expr "tolower(\'a\', \'b\') == \'a\'"'),
    ("dir", 'Require expr "%{HTTP_HOST == \'a\'"'),
    ("dir", 'Require expr "\'a\' -in {\'a\'"'),
    ("dir", 'Require expr "\'a\' =~ \'b\'"'),
    ("dir", 'Require expr "%{HTTP:} == \'a\'"'),
    ("dir", 'Require expr "\'abc"'),
    ("dir", 'Require expr "-R %{HTTP_HOST}"'),
    ("dir", 'Require expr "\'a\' -ipmatch \'x\'"'),
    ("dir", 'Require expr "%{REMOTE_ADDR} -ipmatch \'10.0.0.0/8\' || %{HTTP:X} == \'a\'"'),
    ("dir", "Require expr %{REQUEST_METHOD} in {'GET', 'HEAD'}"),
    ("dir", 'Require not expr "%{QUERY_STRING} =~ /x/"'),
    ("dir", '<RequireAll>\nRequire expr "-n %{HTTP_HOST}"\nRequire not expr false\n</RequireAll>'),
    ("dir", '<RequireAll>\nRequire expr "$1 $2"\n</RequireAll>'),
    ("dir", "Require user x"),
    ("dir", "Require valid-user"),
    ("dir", "Require user"),
    ("dir", "Require not valid-user"),
    ("dir", "Require user %{x"),
    ("dir", "AuthType"),
    ("dir", "AuthType Basic\nAuthName x\nAuthUserFile /nonexistent"),
    ("dir", "AuthName a b"),
    ("dir", "AuthUserFile"),
    ("dir", "AuthBasicProvider file\nAuthBasicProvider dbm"),
    ("dir", "AuthBasicAuthoritative x"),
    ("top", "AuthType Basic"),
    ("vhost", "AuthName x"),
    ("dir", "Require forward-dns x"),
    ("dir", "<RequireAll>\n</RequireAll>"),
    ("dir", "<RequireAny>\nRequire not ip 1.2.3.4\n</RequireAny>"),
    ("dir", "<RequireAll>\nRequire not ip 1.2.3.4\n</RequireAll>"),
    ("dir", "<RequireNone>\nRequire ip 1.2.3.4\n</RequireNone>"),
    ("dir", "<RequireAll x>\nRequire ip 1.2.3.4\n</RequireAll>"),
    ("top", "<RequireAll>\nRequire ip 1.2.3.4\n</RequireAll>"),
    ("dir", "<RequireAll>\nRequire not ip 1.2.3.4\nRequire ip 1.2.3.5\n</RequireAll>"),
    ("dir", "<RequireAny>\n<RequireAll>\nRequire ip 1.2.3.4\n</RequireAll>\n</RequireAny>"),
    ("dir", "<RequireAll>\n<RequireNone>\nRequire ip 1.2.3.4\n</RequireNone>\n</RequireAll>"),
    ("dir", "<RequireAll>\n<RequireNone>\nRequire ip 1.2.3.4\n</RequireNone>\nRequire all granted\n</RequireAll>"),
    ("dir", "<RequireAll>\nDirectoryIndex x\nRequire all granted\n</RequireAll>"),
    ("dir", "<RequireAll>\n<RequireAny>\n</RequireAny>\n</RequireAll>"),
    ("dir", "<RequireAll>\nRequire env\n</RequireAll>"),
    ("dir", "<RequireNone>\nRequire not ip 1.2.3.4\n</RequireNone>"),
    ("dir", "<RequireAll>\n<RequireAll>\nRequire not ip 1.2.3.4\n</RequireAll>\nRequire all granted\n</RequireAll>"),
    ("loc", "<RequireAny>\nRequire ip 127.0.0.1\nRequire host localhost\n</RequireAny>"),
    # ---- alias
    ("top", "Alias /a"),
    ("top", "Alias /a /b /c"),
    ("top", "Alias"),
    ("dir", "Alias /a /b"),
    ("loc", "Alias /a /b"),
    ("loc", "Alias /b"),
    ("dir", "Alias /b"),
    ("top", "Alias /a /b\nAlias /a/c /d"),
    ("top", "Alias /a/ /b\nAlias /a /d"),
    ("top", "AliasMatch ^/x /b\nAlias /x/y /d"),
    ("top", "AliasMatch ^/(a /b"),
    ("top", "AliasMatch ^/a"),
    ("dir", "AliasMatch ^/a /b"),
    ("vhost", "Alias /a /b"),
    ("top", "Redirect"),
    ("top", "Redirect /a"),
    ("top", "Redirect /a b"),
    ("top", "Redirect /a http://x"),
    ("top", "Redirect foo /a http://x"),
    ("top", "Redirect gone /a"),
    ("top", "Redirect gone /a http://x"),
    ("top", "Redirect 410 /a"),
    ("top", "Redirect 404 /a"),
    ("top", "Redirect 301 /a"),
    ("top", "Redirect 200 /a http://x"),
    ("top", "Redirect 999 /a http://x"),
    ("top", "Redirect 300 /a x"),
    ("top", "Redirect permanent /a"),
    ("top", "Redirect seeother /a /b"),
    ("top", "Redirect /a mailto:x"),
    ("top", "Redirect /a 1x://y"),
    ("top", "Redirect /a :x"),
    ("top", "RedirectMatch (a x"),
    ("top", "RedirectMatch ^/a x"),
    ("top", "RedirectMatch gone ^/a"),
    ("top", "RedirectMatch 1 2 3 4"),
    ("top", "RedirectPermanent /a"),
    ("top", "RedirectTemp /a b"),
    ("top", "RedirectPermanent /a /b"),
    ("loc", "Redirect /b"),
    ("loc", "Redirect http://x"),
    ("loc", "Redirect gone"),
    ("loc", "Redirect permanent"),
    ("dir", "Redirect /a /b"),
    ("top", "Redirect temp"),
    ("top", "Redirect 302x /a /b"),
    ("top", "Redirect 3xx /a /b"),
    ("top", "Redirect gone /a /b /c"),
    # ---- mime
    ("top", "TypesConfig"),
    ("top", "TypesConfig a b"),
    ("top", "TypesConfig /nonexist"),
    ("dir", "TypesConfig /etc/mime.types"),
    ("top", "AddType"),
    ("top", "AddType text/x"),
    ("top", "AddType text/x .a b .c"),
    ("top", "AddEncoding x-gzip"),
    ("top", "AddCharset utf-8 .u"),
    ("top", "AddLanguage en"),
    ("top", "RemoveType"),
    ("top", "RemoveType .a .b"),
    ("dir", "AddType a/b .x"),
    ("loc", "RemoveType .x"),
    ("top", "AddHandler"),
    ("top", "DefaultLanguage"),
    ("top", "RemoveEncoding"),
    # ---- dir
    ("top", "DirectoryIndex"),
    ("top", "DirectoryIndex a b disabled"),
    ("top", "DirectoryIndex disabled"),
    ("top", "DirectorySlash"),
    ("top", "DirectorySlash x"),
    ("top", "DirectorySlash on"),
    ("top", "FallbackResource"),
    ("top", "FallbackResource a b"),
    ("top", "FallbackResource disabled"),
    ("dir", "DirectorySlash Off"),
    ("top", "DirectoryIndexRedirect"),
    ("top", "DirectoryIndexRedirect x"),
    ("top", "DirectoryIndexRedirect seeother"),
    ("top", "DirectoryCheckHandler"),
    # ---- autoindex
    ("top", "IndexOptions"),
    ("top", "IndexOptions Foo"),
    ("top", "IndexOptions FancyIndexing +HTMLTable"),
    ("top", "IndexOptions -FancyIndexing"),
    ("top", "IndexOptions IconWidth=10 IconHeight IconWidth=x"),
    ("top", "IndexOptions NameWidth=*"),
    ("top", "IndexOptions NameWidth=2"),
    ("top", "IndexOptions NameWidth=0"),
    ("top", "IndexOptions -NameWidth=5"),
    ("top", "IndexOptions -IconWidth=5"),
    ("top", "IndexOptions -IconHeight=5"),
    ("top", "IndexOptions -DescriptionWidth=5"),
    ("top", "IndexOptions Charset=UTF-8 Type=text/html XHTML"),
    ("top", "IndexOptions VersionSort IgnoreCase IgnoreClient ShowForbidden TrackModified FoldersFirst SuppressColumnSorting SuppressDescription SuppressHTMLPreamble SuppressIcon SuppressLastModified SuppressRules SuppressSize ScanHTMLTitles UseOldDateFormat AddAltClass IconsAreLinks"),
    ("top", "IndexOptions None"),
    ("top", "IndexOptions +None"),
    ("top", "IndexOptions -None"),
    ("top", "IndexOptions DescriptionWidth=-3"),
    ("top", "IndexOptions NameWidth"),
    ("top", "IndexOptions -NameWidth"),
    ("top", "IndexOptions DescriptionWidth"),
    ("top", "IndexOptions Charset"),
    ("top", "IndexOptions NameWidth=5 DescriptionWidth=12"),
    ("top", "IndexOptions NameWidth=4"),
    ("top", "IndexOptions DescriptionWidth=11"),
    ("top", "IndexOptions None FancyIndexing"),
    ("top", "IndexOptions FancyIndexing None"),
    ("top", "IndexOptions None -FancyIndexing"),
    ("top", "IndexOrderDefault"),
    ("top", "IndexOrderDefault x Name"),
    ("top", "IndexOrderDefault ascending x"),
    ("top", "IndexOrderDefault Descending date"),
    ("top", "IndexOrderDefault a b c"),
    ("top", "IndexIgnore"),
    ("top", "IndexIgnore a b"),
    ("top", "HeaderName"),
    ("top", "HeaderName a b"),
    ("dir", "ReadmeName x"),
    ("top", "IndexIgnoreReset on"),
    ("top", "IndexIgnoreReset a b"),
    ("top", "FancyIndexing on"),
    ("top", "AddIcon"),
    ("top", "AddIcon /i.gif .x .y"),
    ("top", "AddIcon (IMG,/i.gif) .x"),
    ("top", "AddIconByType"),
    ("top", "AddIcon (IMG /i.gif .x"),
    ("top", "AddIconByType (IMG,/i.gif image/*"),
    ("top", "AddIconByType (IMG,/i.gif) image/*"),
    ("top", "AddAlt (x .y"),
    ("dir", "AddIcon /i.gif **DIRECTORY**"),
    ("top", "AddAltByEncoding"),
    ("top", "AddDescription \"x\" y"),
    ("top", "DefaultIcon"),
    ("top", "IndexStyleSheet a b"),
    ("top", "IndexHeadInsert a b"),
    # ---- headers
    ("top", "Header"),
    ("top", "Header set"),
    ("top", "Header set X"),
    ("top", "Header set X y"),
    ("top", "Header foo X y"),
    ("top", "Header always set X y"),
    ("top", "Header onsuccess set X y"),
    ("top", "Header always foo X y"),
    ("top", "Header unset X y"),
    ("top", "Header unset X"),
    ("top", "Header unset X y z"),
    ("top", "Header echo X"),
    ("top", "Header echo ^(x"),
    ("top", "Header echo X y z"),
    ("top", "Header edit X y"),
    ("top", "Header edit X ^(y z"),
    ("top", "Header edit X a b"),
    ("top", "Header edit* X a b env=Q"),
    ("top", "Header set X y env=FOO"),
    ("top", "Header set X y env=!FOO"),
    ("top", "Header set X y env="),
    ("top", "Header set X y env=!"),
    ("top", "Header set X y bogus"),
    ("top", "Header set X y a b"),
    ("top", "Header merge X y"),
    ("top", "Header setifempty X y"),
    ("top", "Header add X y"),
    ("top", "Header append X y"),
    ("top", "Header note X y"),
    ("top", "Header always set X"),
    ("top", "Header always"),
    ("top", "RequestHeader echo X"),
    ("top", "RequestHeader always set X y"),
    ("top", "RequestHeader set X y early"),
    ("top", "RequestHeader edit X a"),
    ("top", "RequestHeader unset X y"),
    ("dir", "Header set X y early"),
    ("top", "Header set X %{FOO}e"),
    ("top", "Header set X %Z"),
    ("top", "Header set X %{x}Z"),
    ("top", "Header set X %{x"),
    ("top", "Header set X \"%D %t %% %l %i %b %s\""),
    ("top", "Header set X %o"),
    ("top", "Header set X abc%"),
    ("top", "Header edit X a %Z"),
    ("top", "Header set X: y"),
    ("dir", "Header always unset X"),
    # ---- log_config
    ("top", "LogFormat"),
    ("top", "LogFormat a b c"),
    ("top", "LogFormat \"%h\""),
    ("top", "LogFormat \"%h\" x"),
    ("top", "LogFormat \"%Z\""),
    ("top", "LogFormat \"%{x\""),
    ("top", "LogFormat \"%!200Z\""),
    ("top", "LogFormat \"%<s %>s %200,304s %!200s %{%Y}t %{sec}t %{begin:msec_frac}t %D %T %{ms}T\""),
    ("dir", "LogFormat x"),
    ("top", "LogFormat \"%a %A %b %B %f %H %k %l %L %m %p %{local}p %P %{tid}P %q %r %R %u %U %v %V %X %I %O %S %h %{c}h %{c}a %{x}C %{x}n %{x}o %{x}i %{x}e %{x}^ti %{x}^to\""),
    ("top", "LogFormat \"%F\""),
    ("top", "LogFormat \"%\""),
    ("top", "LogFormat \"%!\""),
    ("top", "LogFormat \"%{x}<\""),
    ("top", "LogFormat \"%>x\""),
    ("top", "LogFormat \"%^x\""),
    ("top", "LogFormat \"%^tx\""),
    ("top", "LogFormat \"%{x}%\""),
    ("top", "LogFormat \"100%% a\\tb\""),
    ("top", "CustomLog"),
    ("top", "CustomLog /tmp/x"),
    ("top", "CustomLog /tmp/x common"),
    ("top", "CustomLog /tmp/x common env=X"),
    ("top", "CustomLog /tmp/x common env=!X"),
    ("top", "CustomLog /tmp/x common foo"),
    ("top", "CustomLog /tmp/x common env="),
    ("top", "CustomLog /tmp/x common expr="),
    ('loc', 'Header set X-A 1 "expr=%{FOO} == 1"'),
    ('loc', 'Header set X-A 1 "expr=("'),
    ('loc', 'RequestHeader set X-A 1 "expr=foo(1)"'),
    ('loc', 'Header set X-A 1 "expr=true"'),
    ('loc', 'Header set X-A "expr=%{REQUEST_METHOD}"'),
    ('loc', 'Header set X-A "expr=%{FOO}"'),
    ('loc', 'Header set X-A "expr=%{REQUEST_METHOD"'),
    ('loc', 'Header set X-A "expr=a" expr=true'),
    ('loc', 'Header edit X-A a "expr=%{FOO}"'),
    ('loc', 'Header set X-A 1 "expr=\'"'),
    ('top', 'CustomLog /tmp/x common "expr=%{FOO} == 1"'),
    ('top', 'CustomLog /tmp/x common "expr=("'),
    ('top', 'CustomLog /tmp/x common "expr=true"'),
    ('top', 'CustomLog /tmp/x common expr=foo'),
    ("top", "CustomLog /tmp/x common expr=1 x"),
    ("top", "CustomLog /nonexist/x common"),
    ("top", "CustomLog /etc/passwd/x common"),
    ("top", "CustomLog \"|/bin/cat\" common"),
    ("top", "CustomLog /tmp/x \"%Z\""),
    ("top", "CustomLog /tmp/x nonexistentname"),
    ("top", "TransferLog"),
    ("top", "TransferLog a b"),
    ("top", "TransferLog /tmp/y"),
    ("top", "TransferLog /nonexist/z"),
    ("dir", "CustomLog /tmp/x common"),
    ("vhost", "CustomLog /nonexist/y common"),
    ("vhost", "GlobalLog /tmp/x common"),
    ("top", "GlobalLog"),
    ("top", "BufferedLogs x"),
    ("top", "BufferedLogs on"),
    ("top", "LogFormat \"%h\" common\nLogFormat \"%Z\" x"),
]

WRAP = {
    "top": ("", ""),
    "dir": ("<Directory />\n", "\n</Directory>"),
    "loc": ("<Location /x>\n", "\n</Location>"),
    "vhost": ("<VirtualHost *:80>\n", "\n</VirtualHost>"),
}


def snippet(ctx, text):
    head, tail = WRAP[ctx]
    return head + text + tail + "\n"


def apache_pre():
    return harness.apache_preamble(harness.DEFAULT_MPM, MODULES) + \
        "ServerName localhost\nDocumentRoot @ROOT@\n"


def our_pre():
    lines = apache_pre().split("\n")
    out = []
    for ln in lines:
        m = re.match(r"LoadModule (mpm_(\w+)_module)", ln)
        if m:
            mpm = m.group(2)
            if harness.STATIC_MPM == mpm:
                ln = "# %s MPM is linked in" % mpm
            else:
                ln = "LoadModule %s %s" % (m.group(1), os.path.join(
                    harness.BUILDDIR, "modules", "mod_mpm_%s.so" % mpm))
        elif ln.startswith("Mutex "):
            ln = "# " + ln  # not one of httpd-ng's directives
        out.append(ln)
    return "\n".join(out)


LINE_RE = re.compile(r"line (\d+) of ")
WARN_RE = re.compile(r"^\[[^]]*\] \[([^]]*)\] \[pid [^]]*\] (.*)$")


def normalize(err, pre_lines):
    """(lines without warnings, warnings) with line numbers made relative to
    the snippet and the config file name shown as F."""
    errors, warnings = [], []
    for ln in err.splitlines():
        ln = LINE_RE.sub(lambda m: "line %d of " % (int(m.group(1)) - pre_lines), ln)
        ln = ln.replace("@ROOT@/httpd.conf", "F")
        ln = re.sub(r"F:(\d+)", lambda m: "F:%d" % (int(m.group(1)) - pre_lines), ln)
        ln = re.sub(r"^(httpd|apache2|\S*/httpd):", "ARGV0:", ln)
        m = WARN_RE.match(ln)
        if m:
            warnings.append(m.group(1) + " " + m.group(2))
        elif ln.strip():
            errors.append(ln)
    return errors, warnings


def run_case(ctx, text):
    conf = snippet(ctx, text)
    a_pre, o_pre = apache_pre(), our_pre()
    arc, aerr = harness.apache_t(a_pre + conf, base=False)
    orc, oerr = harness.httpd_t(o_pre + conf, base=False)
    npre = a_pre.count("\n")
    assert o_pre.count("\n") == npre
    return (arc, normalize(aerr, npre)), (orc, normalize(oerr, npre))


def make_test(i, ctx, text):
    def fn():
        (arc, (aerrs, awarn)), (orc, (oerrs, owarn)) = run_case(ctx, text)
        eq(orc == 0, arc == 0, "verdict (apache said %r)" % (aerrs,))
        eq(oerrs, aerrs, "error lines")
        eq(owarn, awarn, "warnings")
    fn.__name__ = "case%03d_%s_%s" % (i, ctx, re.sub(r"\W+", "_", text)[:40])
    return fn


def emit_c():
    """Print the golden rows for tests/check_mod_config.c from apache2."""
    for ctx, text in CASES:
        conf = snippet(ctx, text)
        pre = apache_pre()
        rc, err = harness.apache_t(pre + conf, base=False)
        errs, warns = normalize(err, pre.count("\n"))
        if any(re.search(r"F:\d", e) for e in errs):
            continue  # mentions the file name: covered here only
        msg = "NULL"
        line = 0
        if rc != 0:
            m = re.match(r"AH00526: Syntax error on line (\d+) of F:", errs[0])
            if m and len(errs) > 1:
                line, msg = int(m.group(1)), errs[1]
            else:
                msg = errs[0]
        cstr = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        print("    {%s, %s, %d, %s}," % (cstr(ctx), cstr(text), line,
                                         msg if msg == "NULL" else cstr(msg)))


if __name__ == "__main__":
    if "--emit-c" in sys.argv:
        emit_c()
        sys.exit(0)
    for i, (ctx, text) in enumerate(CASES):
        test(make_test(i, ctx, text))
    run()
