#!/usr/bin/env python3
"""HTTP Basic authentication as Apache 2.4's mod_auth_basic, mod_authn_core,
mod_authn_file and mod_authz_user do it: AuthType/AuthName/AuthUserFile,
htpasswd hashes ($apr1$, {SHA}, bcrypt, DES and the other crypt(3)
formats; plain text never matches on Unix), Require user/valid-user
alone and mixed with other rules, AuthMerging, AuthzSendForbiddenOnFailure,
AuthBasicAuthoritative, the 401 with WWW-Authenticate, the 500s of a
half-configured site, the error log lines and %u in the access log.
Compared with Debian's apache2 (loading the same four modules) when
installed; the statuses asserted directly were recorded from it."""
import base64
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403
import harness

MODULES = sorted(set(harness.APACHE_DEFAULT_MODULES) | {
    "auth_basic", "authn_core", "authn_file", "authz_user"})

# htpasswd -B/-m/-s/-d and openssl passwd -5/-6/-1, recorded once
PASSWORDS = """# users for the tests
bc:$2y$05$rn17jXL4jcuCHL/qWTFoD.BLzerXAj1Vctci06UzxrJ/rlrVmZl8m
ap:$apr1$riNf1OFF$Tf1g9eYyZgofJ17d2.WS6/
sh:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=
cr:KKog4R7cfYjss
pl:secret

   s5:$5$abcdefgh$gruCpC7VkOTspMQTTSAR8mtlO9Upms.fwqE5y16JVM.
s6:$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.
m1:$1$abcdefgh$cHJi5PXp/ki/ktXzqlk6I1
a8:$apr1$abcdefgh$BJTIXJyzu/h92lXV3asDI0
u8:$2y$04$Q81kkTWoIfj14V3YEOIdr.I.nMsydmcXKp3/9W4ZOgu/sJDYDoB5G
lng:$2y$04$xHd0dx1xq2ZNwnLmB/G93uSOzSCmClYKNRo.qPnfRxr3NnfZj/XsW
empty:$apr1$ZYGJtx9B$ds5YTeZ5.lq4ZB.K13QzP0
sp:{SHA}fb3pNQQSKnB/hJ8sEr3Z3nG0GSk=
des8:yWmJgcFAt3DgU
dup:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=
dup:$apr1$riNf1OFF$Tf1g9eYyZgofJ17d2.WS6/
extra:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=:more:fields
nocolon
"""

LOG = """LogFormat "%h %l %u \\"%r\\" %>s %b" common
CustomLog "@LOGS@/access_log" common
"""


def basic(user, pw):
    cred = ("%s:%s" % (user, pw)).encode("utf-8")
    return "Basic " + base64.b64encode(cred).decode()


def norm_log(server):
    """Error log lines from authn/authz modules (and the core's AH00027),
    time, pid and client port left out, sorted (children log in any
    order)."""
    out = []
    for line in server.error_log().splitlines():
        m = re.match(r"^\[[^]]*\] \[([a-z_]+:[a-z]+)\] \[pid [^]]*\] (.*)$",
                     line)
        if not m or not re.search(r"AH0(16|00(25|27)|1796|2594)",
                                  m.group(2)):
            continue
        msg = re.sub(r"\[client ([0-9.]+):\d+\]", r"[client \1]",
                     m.group(2))
        out.append("[%s] %s" % (m.group(1), msg.replace(server.root,
                                                        "ROOT")))
    return sorted(out)


def access_lines(server, n):
    path = os.path.join(server.logs, "access_log")

    def count():
        try:
            with open(path) as f:
                return len(f.read().splitlines())
        except OSError:
            return 0
    wait_for(lambda: count() >= n, what="%d access log lines" % n)
    with open(path) as f:
        return sorted(f.read().splitlines())


def fetch(server, reqs):
    out = []
    for path, auth in reqs:
        hdrs = {"Authorization": auth} if auth is not None else None
        r = get(server.port, path, headers=hdrs)
        out.append((r.status, r.header("WWW-Authenticate"), r.body))
    return out


def run_both(config, reqs, files=None):
    """(ours, theirs): answers, error log and access log of each server
    (theirs None without apache2)."""
    files = dict(files or {})
    files["pw"] = PASSWORDS
    results = []
    for cls in (Server, Apache):
        if cls is Apache and not have_apache():
            results.append(None)
            continue
        kw = {"modules": MODULES} if cls is Apache else {}
        with cls(LOG + config, files=files, **kw) as srv:
            answers = fetch(srv, reqs)
            results.append((answers, norm_log(srv),
                            access_lines(srv, len(reqs))))
    return results


def agree(config, reqs, want, files=None):
    ours, theirs = run_both(config, reqs, files)
    if theirs is not None:
        bad = ["%r: ours %r, apache2 %r" % (q, o[:2], t[:2])
               for q, o, t in zip(reqs, ours[0], theirs[0]) if o != t]
        check(not bad, "%d of %d answers differ:\n  %s"
              % (len(bad), len(reqs), "\n  ".join(bad)))
        eq(ours[1], theirs[1], "error log")
        eq(ours[2], theirs[2], "access log")
    eq([a[0] for a in ours[0]], want, "statuses (recorded from apache2)")
    return ours


PROTECTED = """<Location /p>
AuthType Basic
AuthName "Secret Zone"
AuthUserFile "@ROOT@/pw"
Require valid-user
</Location>
"""


@test
def htpasswd_formats():
    creds = [("bc", "secret"), ("bc", "wrong"), ("ap", "secret"),
             ("ap", "Secret"), ("sh", "secret"), ("cr", "secret"),
             ("cr", "secreX"), ("pl", "secret"), ("s5", "secret"),
             ("s6", "secret"), ("m1", "secret"), ("a8", "p:ss w\u00f6rd"),
             ("u8", "p:ss w\u00f6rd"), ("lng", "x" * 80), ("lng", "x" * 72),
             ("lng", "x" * 71), ("empty", ""), ("empty", "x"),
             ("sp", "a b"), ("des8", "longerthan8"), ("des8", "longerth"),
             ("des8", "longert"), ("dup", "secret"), ("extra", "secret"),
             ("nocolon", ""), ("nobody", "secret"), ("", "secret"),
             ("#", ""), ("BC", "secret")]
    reqs = [("/p/x.txt", basic(u, p)) for u, p in creds]
    files = {"htdocs/p/x.txt": "protected\n"}
    agree(PROTECTED, reqs,
          [200, 401, 200, 401, 200, 200, 401, 401, 200, 200, 200, 200,
           200, 200, 200, 401, 200, 401, 200, 200, 200, 401, 200, 200,
           401, 401, 401, 401, 401], files)


@test
def authorization_headers():
    raw = ["Basic !!!", "Bearer abc", "Basic", "basic " +
           basic("bc", "secret")[6:], "Basic  " + basic("bc", "secret")[6:],
           "Basic\t" + basic("bc", "secret")[6:],
           "Basic " + base64.b64encode(b"bcsecret").decode(),
           "Basic " + basic("bc", "secret")[6:] + "!!",
           "Basic " + base64.b64encode(b"bc:secret\x00x").decode(),
           "Basic " + base64.b64encode(b"bc:secret:x").decode(),
           "Digest username=\"bc\"", ""]
    reqs = [("/p/x.txt", None)] + [("/p/x.txt", h) for h in raw]
    files = {"htdocs/p/x.txt": "protected\n"}
    agree(PROTECTED, reqs,
          [401, 401, 401, 401, 200, 200, 401, 401, 200, 200, 401, 401,
           401], files)


MIXED = """<Location /a>
AuthType Basic
AuthUserFile "@ROOT@/pw"
Require valid-user
</Location>
<Location /b>
Require valid-user
</Location>
<Location /c>
AuthType Basic
AuthName c
AuthUserFile "@ROOT@/pw"
Require all granted
</Location>
<Location /d>
AuthType Basic
AuthName d
AuthUserFile "@ROOT@/pw"
<RequireAny>
Require ip 127.0.0.1
Require valid-user
</RequireAny>
</Location>
<Location /e>
AuthType Basic
AuthName "e \\"q\\""
AuthUserFile "@ROOT@/pw"
Require user ap "sh"
</Location>
<Location /f>
AuthType Basic
AuthName f
AuthUserFile "@ROOT@/pw"
AuthzSendForbiddenOnFailure On
Require user ap
</Location>
<Location /g>
AuthType Basic
AuthName g
AuthUserFile "@ROOT@/missing"
Require valid-user
</Location>
<Location /h>
AuthType Basic
AuthName h
Require valid-user
</Location>
<Location /i>
AuthType Basic
AuthName i
AuthUserFile "@ROOT@/pw"
<RequireAll>
Require valid-user
Require ip 10.0.0.1
</RequireAll>
</Location>
<Location /j>
AuthType None
Require valid-user
</Location>
<Location /k>
AuthType Basic
AuthName k
AuthUserFile "@ROOT@/pw"
</Location>
<Location /l>
AuthType basic
AuthName l
AuthUserFile "@ROOT@/pw"
<RequireAll>
Require ip 127.0.0.1
Require user ap
</RequireAll>
</Location>
<Location /m>
AuthType Basic
AuthName m
AuthUserFile "@ROOT@/pw"
<RequireAll>
Require not user ap
Require valid-user
</RequireAll>
</Location>
<Location /n>
AuthType Digest
AuthName n
Require valid-user
</Location>
<Location /o>
AuthType Basic
AuthName "%{REQUEST_URI} realm"
AuthUserFile "@ROOT@/pw"
Require expr %{REMOTE_USER} == 'sh'
</Location>
<Location /q>
AuthType Basic
AuthName q
AuthUserFile "@ROOT@/pw"
AuthBasicProvider file
AuthBasicAuthoritative Off
Require valid-user
</Location>
<Location /r>
AuthType Basic
AuthName r
AuthUserFile "@ROOT@/pw"
AuthMerging And
Require valid-user
</Location>
<Location /r/deny>
AuthMerging Or
Require ip 10.0.0.1
</Location>
<Location /r/and>
AuthMerging And
Require user sh
</Location>
<Location /s>
AuthType Basic
AuthName s
AuthUserFile "@ROOT@/pw"
Require valid-user
ErrorDocument 401 /t/x.txt
</Location>
<Location /t>
Require valid-user
</Location>
"""

CREDS = [None, basic("ap", "secret"), basic("sh", "secret"),
         basic("ap", "bad"), basic("zz", "x")]


@test
def require_with_and_without_users():
    dirs = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
            "n", "o", "q", "r", "r/deny", "r/and", "s"]
    reqs = [("/%s/x" % d, c) for d in dirs for c in CREDS]
    want = [
        500, 500, 500, 500, 500,  # a: no AuthName (AH01615)
        500, 500, 500, 500, 500,  # b: no AuthType (AH00027)
        404, 404, 404, 404, 404,  # c: granted, no user asked
        404, 404, 404, 404, 404,  # d: the ip grants first
        401, 404, 404, 401, 401,  # e
        401, 404, 403, 401, 401,  # f: 403 for a known user
        401, 500, 500, 500, 500,  # g: missing file (AH01620)
        401, 500, 500, 500, 500,  # h: no AuthUserFile (AH01619)
        403, 403, 403, 403, 403,  # i: the ip denies before any user
        500, 500, 500, 500, 500,  # j: AuthType None
        500, 500, 500, 500, 500,  # k: no Require (AH01627)
        401, 404, 401, 401, 401,  # l
        401, 401, 404, 401, 401,  # m
        500, 500, 500, 500, 500,  # n: no Digest module (AH01796)
        401, 401, 404, 401, 401,  # o: expr reading REMOTE_USER
        401, 404, 404, 401, 500,  # q: not authoritative
        401, 404, 404, 401, 401,  # r
        401, 404, 404, 401, 401,  # r/deny: Or with the inherited
        401, 401, 404, 401, 401,  # r/and
        401, 404, 404, 401, 401,  # s: ErrorDocument itself fails
    ]
    ours = agree(MIXED, reqs, want)
    realms = dict((q[0], a[1]) for q, a in zip(reqs, ours[0]) if a[1])
    eq(realms["/e/x"], 'Basic realm="e \\"q\\""', "quotes escaped")
    eq(realms["/o/x"], 'Basic realm="/o/x realm"', "AuthName expression")


@test
def sections_and_access_files():
    """AuthType and AuthUserFile in a <Directory>, Require in <Files>
    and .htaccess files below (the later section wins)."""
    conf = """<Directory "@HTDOCS@/s">
AuthType Basic
AuthName inherit
AuthUserFile "@ROOT@/pw"
AllowOverride AuthConfig
</Directory>
<Files x.txt>
Require valid-user
</Files>
"""
    files = {"htdocs/s/x.txt": "sx\n", "htdocs/s/t/x.txt": "t\n",
             "htdocs/s/t/y.txt": "ty\n", "htdocs/s/y": "y\n",
             "htdocs/s/t/.htaccess": "Require user ap\n",
             "htdocs/s/u/.htaccess": "AuthName other\nRequire user sh\n",
             "htdocs/s/u/z.txt": "uz\n"}
    paths = ["/s/x.txt", "/s/t/x.txt", "/s/t/y.txt", "/s/y", "/s/u/z.txt"]
    reqs = [(p, c) for p in paths for c in CREDS]
    agree(conf, reqs,
          [401, 200, 200, 401, 401,
           401, 200, 200, 401, 401,
           401, 200, 401, 401, 401,
           500, 500, 500, 500, 500,
           401, 401, 200, 401, 401], files)


@test
def satisfy_with_authentication():
    """access_compat's Satisfy with Basic authentication: with Any,
    passing Allow/Deny lets the request in without credentials, failing
    them leaves it to Require and the password; with All both must
    pass."""
    auth = ("AuthType Basic\nAuthName sat\nAuthUserFile \"@ROOT@/pw\"\n"
            "Require valid-user\n")
    conf = "".join(
        "<Location /%s>\n%s%s</Location>\n" % (d, rules, auth)
        for d, rules in [
            ("a", "Order deny,allow\nDeny from all\nSatisfy any\n"),
            ("b", "Order allow,deny\nAllow from 127.0.0.1\nSatisfy any\n"),
            ("c", "Order allow,deny\nAllow from 127.0.0.1\nSatisfy all\n"),
            ("d", "Order allow,deny\nAllow from 10.0.0.1\n"),
            ("e", "Satisfy any\n")])
    dirs = ["a", "b", "c", "d", "e"]
    reqs = [("/%s/x" % d, c) for d in dirs for c in CREDS]
    agree(conf, reqs,
          [401, 404, 404, 401, 401,
           404, 404, 404, 404, 404,
           401, 404, 404, 401, 401,
           403, 403, 403, 403, 403,
           404, 404, 404, 404, 404])  # no rules: deny,allow lets in


CONFIG_CASES = [
    # (configuration, exit code, message), recorded from apache2 -t
    ("<Location />\nAuthUserFile /x standard\n</Location>\n", 1,
     "AuthUserFile takes one argument, text file containing user IDs and "
     "passwords"),
    ("AuthUserFile /x\n", 1, "AuthUserFile not allowed here"),
    ("<Location />\nAuthBasicProvider foo\n</Location>\n", 1,
     "Unknown Authn provider: foo"),
    ("<Location />\nAuthBasicProvider file file\n</Location>\n", 0,
     "Syntax OK"),
    ("<Location />\nAuthBasicProvider\n</Location>\n", 1,
     "AuthBasicProvider requires at least one argument, specify the auth "
     "providers for a directory or location"),
    ("<Location />\nAuthType\n</Location>\n", 1,
     "AuthType takes one argument, an HTTP authorization type (e.g., "
     "\"Basic\")"),
    ("<Location />\nAuthType Digest\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nAuthName\n</Location>\n", 1,
     "AuthName takes one argument, the authentication realm (e.g. "
     "\"Members Only\")"),
    ("<Location />\nAuthName \"%{x\"\n</Location>\n", 1,
     "Cannot parse expression '%{x' in AuthName: "),
    ("<Location />\nAuthName \"%{HTTP_HOST}\"\n</Location>\n", 0,
     "Syntax OK"),
    ("<Location />\nRequire user\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nRequire valid-user x\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nRequire not valid-user\n</Location>\n", 1,
     "negative Require directive has no effect in <RequireAny> directive"),
    ("<Location />\nRequire user %{x\n</Location>\n", 1,
     "Cannot parse expression in require line: "),
    ("<Location />\nAuthBasicAuthoritative maybe\n</Location>\n", 1,
     "AuthBasicAuthoritative must be On or Off"),
    ("<Location />\nAuthBasicFake a\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nAuthBasicUseDigestAlgorithm X\n</Location>\n", 1,
     "Invalid algorithm in AuthBasicUseDigestAlgorithm: X"),
    ("<Location />\nAuthBasicUseDigestAlgorithm MD5\n</Location>\n", 0,
     "Syntax OK"),
    ("<Location />\nAuthBasicFake %{REMOTE_ADDR} \"x%{REQUEST_URI}\"\n"
     "</Location>\n", 0, "Syntax OK"),
    ("<Location />\nAuthBasicFake OFF\n</Location>\n", 0, "Syntax OK"),
    ("<Location />\nAuthBasicFake %{NOPE}\n</Location>\n", 1,
     "Could not parse fake username expression '%{NOPE}': Variable 'NOPE' "
     "does not exist"),
    ("<Location />\nAuthBasicFake u %{\n</Location>\n", 1,
     "Could not parse fake password expression associated to user 'u': "
     "syntax error, unexpected T_ERROR, expecting T_ID: Unterminated "
     "string or variable"),
    ("<Location />\nAuthBasicFake a b c\n</Location>\n", 1,
     "AuthBasicFake takes 1-2 arguments, Fake basic authentication using "
     "the given expressions for username and password, 'off' to disable. "
     "Password defaults to 'password' if missing."),
]


# htdigest -c: "dg:Secret Zone:" + md5("dg:Secret Zone:secret")
DIGESTS = """dg:Secret Zone:%s
dg:Other:%s
pl:Secret Zone:secret
""" % (__import__("hashlib").md5(b"dg:Secret Zone:secret").hexdigest(),
       __import__("hashlib").md5(b"dg:Other:other").hexdigest())


@test
def use_digest_algorithm():
    """AuthBasicUseDigestAlgorithm MD5: the file's MD5 of user:realm:password
    (an htdigest file) decides; Off (or a later scope's Off) goes back to
    htpasswd hashes."""
    config = PROTECTED.replace('"@ROOT@/pw"', '"@ROOT@/dg"').replace(
        "Require valid-user", "Require valid-user\n"
        "AuthBasicUseDigestAlgorithm MD5") + (
        '<Location /p/off>\nAuthBasicUseDigestAlgorithm Off\n'
        'AuthUserFile "@ROOT@/pw"\n</Location>\n'
        '<Location /p/nofile>\nAuthUserFile "@ROOT@/missing"\n</Location>\n')
    reqs = [("/p/x.txt", basic("dg", "secret")),
            ("/p/x.txt", basic("dg", "Secret")),
            ("/p/x.txt", basic("dg", "other")),
            ("/p/x.txt", basic("pl", "secret")),
            ("/p/x.txt", basic("nobody", "x")),
            ("/p/off/x.txt", basic("ap", "secret")),
            ("/p/off/x.txt", basic("dg", "secret")),
            ("/p/nofile/x.txt", basic("dg", "secret"))]
    files = {"htdocs/p/x.txt": "protected\n",
             "htdocs/p/off/x.txt": "protected\n", "dg": DIGESTS}
    agree(config, reqs, [200, 401, 401, 401, 401, 200, 401, 500], files)


FAKE_LOG = """LogFormat "%h %u \\"%r\\" %>s [%{Authorization}i]" fake
CustomLog "@LOGS@/access_log" fake
<Location /f>
AuthBasicFake "%{REMOTE_ADDR}" "pw-%{REQUEST_URI}"
Header always set X-Auth "expr=%{HTTP:Authorization}"
</Location>
<Location /f/off>
AuthBasicFake off
</Location>
<Location /f/dflt>
AuthBasicFake "user"
</Location>
<Location /f/empty>
AuthBasicFake "%{HTTP:X-U}" "%{HTTP:X-P}"
</Location>
<Location /f/colon>
AuthBasicFake "a:b"
</Location>
<Location /f/auth>
AuthBasicFake "ap" "secret"
AuthType Basic
AuthName "Secret Zone"
AuthUserFile "@ROOT@/pw"
Require valid-user
</Location>
"""


@test
def fake_basic_auth():
    """AuthBasicFake sets the Authorization header after authentication
    (the fixups): the access log and Header expressions see it, the
    authentication before it does not; an empty user or password removes
    the header; each is logged at info."""
    reqs = [("/f/x.txt", None), ("/f/x.txt", basic("a", "b")),
            ("/f/off/x.txt", basic("a", "b")), ("/f/dflt/x.txt", None),
            ("/f/empty/x.txt", basic("a", "b")), ("/f/auth/x.txt", None),
            ("/f/auth/x.txt", basic("ap", "secret")), ("/f/nope", None),
            ("/f/colon/x.txt", None)]
    files = {"htdocs/f/x.txt": "f\n", "htdocs/f/off/x.txt": "f\n",
             "htdocs/f/dflt/x.txt": "f\n", "htdocs/f/empty/x.txt": "f\n",
             "htdocs/f/auth/x.txt": "f\n", "pw": PASSWORDS}
    results = []
    for cls in (Server, Apache):
        if cls is Apache and not have_apache():
            continue
        kw = {"modules": MODULES + ["headers"]} if cls is Apache else {}
        with cls(FAKE_LOG + "LogLevel info\n", files=files, **kw) as srv:
            answers = []
            for path, auth in reqs:
                hdrs = {"Authorization": auth} if auth else {}
                if "empty" in path:
                    hdrs.update({"X-U": "", "X-P": "p"})
                r = get(srv.port, path, headers=hdrs)
                answers.append((r.status, r.header("X-Auth")))
            log = access_lines(srv, len(reqs))
            results.append((answers, log, norm_log(srv),
                            [ln.split("] ", 3)[-1] for ln in
                             srv.error_log().splitlines() if "AH0245" in ln]))
    fake = "Basic " + base64.b64encode(b"127.0.0.1:pw-/f/x.txt").decode()
    ours = results[0]
    eq(ours[0][0], (200, fake), "a fake Authorization")
    eq(ours[0][2], (200, basic("a", "b")), "AuthBasicFake off")
    eq(ours[0][3], (200, basic("user", "password")), "the default password")
    eq(ours[0][4], (200, ""), "an empty user removes the header")
    eq(ours[0][5][0], 401, "authentication before the fake one")
    check(any("AH02458" in x for x in ours[3]) and
          any("AH02457" in x and "YTpiOnBhc3N3b3Jk" in x for x in ours[3]),
          ours[3])
    if len(results) > 1:
        eq(ours[0], results[1][0], "answers vs apache2")
        eq(ours[1], results[1][1], "access log vs apache2")
        eq(ours[2], results[1][2], "error log vs apache2")
        eq([re.sub(r"\[client [^]]*\] ", "", x) for x in ours[3]],
           [re.sub(r"\[client [^]]*\] ", "", x) for x in results[1][3]],
           "AuthBasicFake's lines vs apache2")


@test
def configuration_errors():
    for conf, code, msg in CONFIG_CASES:
        got = httpd_t(conf)
        eq(got[0], code, "exit code for %r: %r" % (conf, got))
        check(msg in got[1], "%r: %r" % (conf, got[1]))
        if have_apache():
            theirs = apache_t(conf, modules=MODULES)
            eq(theirs[0], code, "apache2's exit code for %r" % conf)
            check(msg in theirs[1], "apache2's message for %r: %r"
                  % (conf, theirs[1]))


if __name__ == "__main__":
    run()
