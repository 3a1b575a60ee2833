#!/usr/bin/env python3
"""Random configurations for the differential test (not run by make check).

    random_corpus.py MODE SEED N > cases.txt
    python3 tests/integration/test_config_diff.py --live --corpus=cases.txt

MODE: "mixed" (any directive, value and nesting), "mostly-good" (good values
and contexts 93% of the time), "valid" (valid contexts only, so the
configurations reach the check phase: MPM clamping, error logs, AH00112)
or "wide" (mixed, with every directive of the toolchain's list, PCRE-only
regex syntax, odd quoting and case, and bytes Apache's log escapes).
Mismatches found this way become fixed cases in corpus.txt.
"""
import random
import sys

GOOD = 0.0
vals = {
 "Timeout": ["10", "abc", "1 2", "", "30"],
 "KeepAlive": ["On", "Off", "maybe", ""],
 "KeepAliveTimeout": ["5", "100ms", "x", "-1"],
 "MaxKeepAliveRequests": ["100", "0", "x y"],
 "ServerName": ["www.example.com", "a:80", "a:0", "http://b", ""],
 "ServerAdmin": ["a@b", ""],
 "ServerAlias": ["x y", "*.z"],
 "DocumentRoot": ["/tmp", "/nonexistent", "", "relative"],
 "ErrorLog": ["@TMP@/x.log", "/nonexistent/x.log", "syslog"],
 "LogLevel": ["warn", "debug core:info", "loud", "mime:debug"],
 "Listen": ["8080", "127.0.0.1:8081", "abc", "0", "[::1]:8082", "8080 http"],
 "ListenBacklog": ["100", "0"],
 "HostnameLookups": ["On", "x"],
 "ServerTokens": ["Prod", "x"],
 "ServerSignature": ["On", "x"],
 "TraceEnable": ["Off", "x"],
 "UseCanonicalName": ["On", "x"],
 "FileETag": ["MTime", "+All", "x"],
 "EnableSendfile": ["On", "x"],
 "EnableMMAP": ["Off", "x"],
 "AddDefaultCharset": ["utf-8", "Off"],
 "AccessFileName": [".ht"],
 "AllowOverride": ["None", "All", "Bogus", "Options=Indexes"],
 "Options": ["Indexes", "+Indexes -ExecCGI", "Bogus", "+Indexes Indexes", "None"],
 "ErrorDocument": ["404 /x", "999 /x", "404"],
 "LimitRequestBody": ["100", "-1"],
 "LimitRequestFields": ["10", "-1"],
 "LimitRequestFieldSize": ["100"],
 "LimitRequestLine": ["100", "-1"],
 "MaxConnectionsPerChild": ["10"],
 "MaxRequestsPerChild": ["10"],
 "GracefulShutdownTimeout": ["5"],
 "User": ["daemon", "nosuchuserq"],
 "Group": ["daemon"],
 "PidFile": ["@TMP@/p.pid"],
 "StartServers": ["2", "x"],
 "MaxRequestWorkers": ["50"],
 "ThreadsPerChild": ["25"],
 "DirectoryIndex": ["index.html", ""],
 "AddType": ["text/plain .txt", "x"],
 "Alias": ["/x /tmp", ""],
 "Redirect": ["/a http://b/", "bogus /a http://b"],
 "Require": ["all granted", "all denied", "ip 127.0.0.1", "bogus", ""],
 "Header": ["set X-A b", "bogus X"],
 "CustomLog": ["@TMP@/a.log common", ""],
 "LogFormat": ['"%h %l" common'],
 "IndexOptions": ["FancyIndexing", "Bogus"],
 "Foo": ["bar"],
 "DocumentRooot": ["/tmp"],
}
# "wide" mode adds every other directive of issue 2, regex syntax only
# PCRE has, odd quoting, case and spacing, and Apache's error-log escapes
extra = {
 "DefaultRuntimeDir": ["@TMP@", "/nonexistent/run", ""],
 "Include": ["@TMP@/nope.conf", "@TMP@/*.none", ""],
 "IncludeOptional": ["@TMP@/nope.conf", "@TMP@/*.none"],
 "Define": ["X", "X y", "a:b", "X y z", ""],
 "UnDefine": ["X", ""],
 "LoadModule": ["mime_module modules/mod_mime.so", "foo_module @TMP@/nope.so",
                "x", "core_module x.so"],
 "MinSpareServers": ["5", "0", "x"], "MaxSpareServers": ["10", "x"],
 "ServerLimit": ["10", "0", "x"], "MaxClients": ["20", "x"],
 "ThreadLimit": ["64", "0"], "MinSpareThreads": ["10", "x"],
 "MaxSpareThreads": ["100", "x"], "AsyncRequestWorkerFactor": ["2", "x", "-1"],
 "TransferLog": ["@TMP@/t.log", ""], "TypesConfig": ["/nonexistent/mime.types", ""],
 "AddEncoding": ["x-gzip .gz", "x"], "AddCharset": ["UTF-8 .utf8", "x"],
 "AddLanguage": ["fr .fr", "x"], "RemoveType": [".txt", ""],
 "DirectorySlash": ["On", "x"], "FallbackResource": ["/index.php", "disabled", ""],
 "AliasMatch": ["^/(\\d+)$ /tmp/$1", "(?i)^/x(.*?)$ /tmp$1", "( /x", "x"],
 "RedirectMatch": ["^/(.*)$ http://b/$1", "301 (?<=a)b http://b/", "( /x", "gone ^/g"],
 "RedirectPermanent": ["/a http://b/", "/a"], "RedirectTemp": ["/a http://b/", ""],
 "IndexIgnore": ["*.bak .??*", ""], "HeaderName": ["HEADER.html", ""],
 "ReadmeName": ["README.html", ""], "IndexOrderDefault": ["Ascending Name", "Up Name", "Ascending"],
 "RequestHeader": ["set X-A b", "edit X-A (?i)a b", "edit X-A ( b", "bogus"],
 "timeout": ["10"], "KEEPALIVE": ["on"],
 "Options": ['"Indexes"', "'FollowSymLinks'", '"a\\"b"', "Indexes\tx", '"unterminated'],
 "ServerAdmin": ['"a b"', "'x", "a\\b"],
 "Header": ["edit X-A \\d+ n", "echo (?i)^x-", "echo (", "set X-A b early"],
 "Bogus\x01Name": ["x"], "Déjà": ["vu"],
}
wide_sections = [("RequireAny", [""]), ("RequireNone", [""]),
                 ("IfVersion", [">= 2.4", "~ ^2\\.4", "< 9", "bogus"]),
                 ("IfFile", ["/etc/passwd", "!/nonexistent", ""]),
                 ("IfDirective", ["Timeout", "!Nope"]),
                 ("FilesMatch", ["(?i)\\.(gif|jpe?g)$", "*x"]),
                 ("LocationMatch", ["^/\\d+", "a{2,1}"]),
                 ("Directory", ['"/tmp"', "'/tmp'", "/tmp/"]),
                 ("directory", ["/tmp"])]
sections = [("VirtualHost", ["*:80", "127.0.0.1:8080", "", "80"]),
            ("Directory", ["/tmp", "/", "~ ^/x", ""]),
            ("Files", ["x.html", "~ \\.php$"]),
            ("Location", ["/", "/a /b"]),
            ("DirectoryMatch", ["^/tmp", "("]),
            ("LocationMatch", ["^/x"]),
            ("FilesMatch", ["\\.gif$"]),
            ("RequireAll", [""]),
            ("IfModule", ["mod_mime.c", "!mod_mime.c", "nope_module"]),
            ("IfDefine", ["X", "!X"])]
def directive():
    d = random.choice(list(vals))
    v = vals[d][0] if random.random() < GOOD else random.choice(vals[d])
    return ("%s %s" % (d, v)).rstrip()
def block(depth):
    lines = []
    for _ in range(random.randint(1, 4)):
        if depth < 3 and random.random() < 0.3:
            name, args = random.choice(sections)
            a = args[0] if random.random() < GOOD else random.choice(args)
            lines.append("<%s%s>" % (name, (" " + a) if a else ""))
            lines += ["    " + l for l in block(depth + 1)]
            lines.append("</%s>" % name)
        else:
            lines.append(directive())
    return lines
def mixed(N):
  for i in range(N):
    mpm = random.choice(["event", "event", "prefork", "worker"])
    print("### r%d mpm=%s" % (i, mpm))
    print("\n".join(block(0)))

top = ["Timeout 30", "KeepAlive Off", "KeepAliveTimeout 500ms", "MaxKeepAliveRequests 5",
       "ServerName main.example", "ServerAdmin a@b", "DocumentRoot /tmp", "LogLevel info core:debug",
       "ListenBacklog 50", "HostnameLookups Off", "ServerTokens Minor", "ServerSignature On",
       "TraceEnable extended", "UseCanonicalName DNS", "FileETag INode", "EnableSendfile On",
       "AddDefaultCharset Off", "AccessFileName .acl", "Options -Indexes", "ErrorDocument 404 /nf.html",
       "LimitRequestBody 0", "LimitRequestFields 20", "LimitRequestLine 1000", "MaxConnectionsPerChild 100",
       "GracefulShutdownTimeout 3", "User daemon", "Group daemon", "PidFile @TMP@/x.pid",
       "DirectoryIndex index.html", "AddType text/x-a .a", "Alias /al /tmp", "Header set X-Y z",
       "LogFormat \"%h\" mine", "CustomLog @TMP@/acc.log mine", "ErrorLog @TMP@/err2.log",
       "StartServers 3", "MaxRequestWorkers 30", "ServerLimit 4", "ThreadsPerChild 10",
       "MinSpareThreads 5", "MaxSpareThreads 40", "ThreadLimit 20", "MinSpareServers 2",
       "MaxSpareServers 4", "ErrorLog /nonexistent/q.log", "DocumentRoot /nonexistent"]
vh = ["ServerName v%d.example", "ServerAlias w%d.example", "DocumentRoot /tmp", "DocumentRoot /nonexistent%d",
      "ErrorLog @TMP@/v%d.log", "ErrorLog /nope%d/v.log", "Timeout 5", "KeepAlive On", "LogLevel debug",
      "Options +Indexes", "Alias /v /tmp", "CustomLog @TMP@/v%d.log common"]
dr = ["Options Indexes FollowSymLinks", "AllowOverride None", "AllowOverride All", "Require all granted",
      "DirectoryIndex a.html", "AddType text/x-b .b", "Header set X-D 1", "FileETag None",
      "ErrorDocument 500 \"oops\"", "LimitRequestBody 10", "EnableMMAP Off"]
mpm_dirs = {"prefork": {"ThreadsPerChild", "MinSpareThreads", "MaxSpareThreads", "ThreadLimit"},
            "worker": {"MinSpareServers", "MaxSpareServers"}, "event": {"MinSpareServers", "MaxSpareServers"}}
def pick(l, i): 
    s = random.choice(l)
    return s % i if "%d" in s else s
def valid(N):
  for n in range(N):
    mpm = random.choice(["event", "prefork", "worker"])
    out = []
    for i in range(random.randint(2, 8)):
        r = random.random()
        if r < 0.55:
            d = pick(top, i)
            if d.split()[0] in mpm_dirs[mpm]: continue
            out.append(d)
        elif r < 0.8:
            out.append("<VirtualHost *:%d>" % random.choice([80, 8080]))
            out += ["  " + pick(vh, i) for _ in range(random.randint(1, 4))]
            if random.random() < 0.4:
                out += ["  <Directory /tmp>"] + ["    " + pick(dr, i) for _ in range(2)] + ["  </Directory>"]
            out.append("</VirtualHost>")
        else:
            kind = random.choice(["Directory /tmp", "Location /x", "Files a.txt", "DirectoryMatch ^/t"])
            out.append("<%s>" % kind)
            out += ["  " + pick(dr, i) for _ in range(random.randint(1, 3))]
            out.append("</%s>" % kind.split()[0])
    print("### v%d mpm=%s" % (n, mpm)); print("\n".join(out))


if __name__ == "__main__":
    mode, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    random.seed(seed)
    if mode == "valid":
        valid(n)
    else:
        GOOD = 0.93 if mode == "mostly-good" else 0.0
        if mode == "wide":
            vals.update(extra)
            sections += wide_sections
        mixed(n)
