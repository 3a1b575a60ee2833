#!/usr/bin/env python3
"""mod_negotiation: MultiViews, type maps (.var), LanguagePriority,
ForceLanguagePriority, CacheNegotiatedDocs, and mod_mime's
MultiviewsMatch.

Every expectation below was recorded from Debian's apache2 2.4 (with
mod_negotiation, as Debian enables it) serving the same tree with the same
configuration; where apache2 is installed the same requests go to it too
and both must give the recorded answer: status, Content-Type,
Content-Language, Content-Encoding, Content-Location, Vary, TCN,
Alternates, the ETag itself (apache2's structured tag for a negotiated
variant, "variant;list-validator" without a closing quote) and the body
(for error pages, the part after the heading).

Run alone: python3 test_negotiation.py [NAME-SUBSTRING...]
NEG_RECORD=1 prints apache2's answers in the GOLDEN format instead."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: F401,F403

FIELDS = ["Content-Type", "Content-Language", "Content-Encoding",
          "Content-Location", "Vary", "TCN", "Alternates", "ETag",
          "Content-Range"]

# Debian's /etc/apache2/mods-available/negotiation.conf, without comments.
DEBIAN_CONF = """\
LanguagePriority en ca cs da de el eo es et fr he hr it ja ko ltz nl nn no pl pt pt-BR ru sv tr zh-CN zh-TW
ForceLanguagePriority Prefer Fallback
"""

MIME = """\
AddLanguage en .en
AddLanguage fr .fr
AddLanguage de .de
AddLanguage pt-br .pt-br
AddCharset UTF-8 .utf8
AddCharset ISO-8859-1 .latin1
AddEncoding x-gzip .gz
AddEncoding x-bzip2 .bz2
AddHandler type-map .var
AddHandler my-handler .hnd
"""

VAR_M = """\
URI: m

URI: m.html.en
Content-Type: text/html
Content-Language: en

URI: m.html.fr
Content-Type: text/html;qs=0.5
Content-Language: fr
Description: French
  version
"""

VAR_BODY = """\
# comments are skipped
Content-Type: text/plain; charset=utf-8
Content-Language: en
Body:----en----
hello
----en----

Content-Type: text/plain
Content-Language: fr
Description: (comment) en francais
Body:----fr----
bonjour
----fr----
"""

VAR_SUB = """\
URI: sub/t.txt
Content-Type: text/plain

URI: t.html
Content-Type: text/html; qs=0.4
"""

FILES = {
    "htdocs/doc.html.en": "<p>english</p>\n",
    "htdocs/doc.html.fr": "<p>francais!</p>\n",
    "htdocs/doc.html.de": "<p>deutsch</p>\n",
    "htdocs/br.html.pt-br": "<p>brasil</p>\n",
    "htdocs/br.html.fr": "<p>fr</p>\n",
    "htdocs/pic.png": "PNG",
    "htdocs/pic.gif": "GIF89",
    "htdocs/only.txt": "t\n",
    "htdocs/z.txt": "plain text\n",
    "htdocs/z.txt.gz": "zz",
    "htdocs/z.txt.bz2": "bzbz",
    "htdocs/cs.html.utf8": "u\n",
    "htdocs/cs.html.latin1": "l1\n",
    "htdocs/unk.foo": "foo\n",
    "htdocs/s.hnd": "handled\n",
    "htdocs/s.txt.hnd": "handled txt\n",
    "htdocs/d/index.html.en": "index en\n",
    "htdocs/d/index.html.fr": "index fr\n",
    "htdocs/d1/index.html.en": "only en\n",
    "htdocs/off/doc.html.en": "off\n",
    "htdocs/err.html.en": "error en\n",
    "htdocs/err.html.fr": "error fr\n",
    "htdocs/m.var": VAR_M,
    "htdocs/m.html.en": "m en\n",
    "htdocs/m.html.fr": "m fr\n",
    "htdocs/b.var": VAR_BODY,
    "htdocs/sv.var": VAR_SUB,
    "htdocs/sub/t.txt": "sub t\n",
    "htdocs/t.html": "<p>t</p>\n",
    "htdocs/h/x.var": "URI: x.html.en\nContent-Type: text/html\n"
                      "Content-Language: en\n\nURI: x.html.fr\n"
                      "Content-Type: text/html\nContent-Language: fr\n",
    "htdocs/h/x.html.en": "x en\n",
    "htdocs/h/x.html.fr": "x fr\n",
    "htdocs/any/a.html.xyz": "xyz\n",
}

CONF = MIME + DEBIAN_CONF + """\
<Directory "@HTDOCS@">
    Options +MultiViews
</Directory>
<Directory "@HTDOCS@/off">
    Options -MultiViews
</Directory>
<Directory "@HTDOCS@/h">
    MultiviewsMatch Handlers
</Directory>
<Directory "@HTDOCS@/any">
    MultiviewsMatch Any
</Directory>
ErrorDocument 404 /err
"""

AL = "Accept-Language"

REQUESTS = [
    "GET /doc",
    ("GET /doc", {AL: "fr"}),
    ("GET /doc", {AL: "fr;q=0.5, en;q=0.4"}),
    ("GET /doc", {AL: "it"}),                       # Fallback: priority
    ("GET /doc", {AL: "en-US"}),                    # prefix fiddle
    ("GET /doc", {AL: "*;q=0.3, fr;q=0.2"}),
    ("GET /doc", {AL: "de, fr"}),
    ("GET /br", {AL: "pt"}),                        # range is a prefix
    "GET /br",                                      # pt-br via "pt"
    "HEAD /doc",
    "GET /doc?x=1",
    "POST /doc",                                    # not transparent
    "GET /doc/extra",                               # path info: 404
    "GET /doc.html",
    "GET /pic",
    ("GET /pic", {"Accept": "image/gif"}),
    ("GET /pic", {"Accept": "image/*;q=0.5, image/gif;q=0.4"}),
    ("GET /pic", {"Accept": "text/html"}),          # 406 with the list
    ("GET /doc", {"Accept": "image/png"}),
    "GET /only",
    "GET /z",
    ("GET /z", {"Accept-Encoding": "gzip"}),
    ("GET /z", {"Accept-Encoding": "bzip2, gzip;q=0.5"}),
    ("GET /z", {"Accept-Encoding": "identity"}),
    ("GET /z.txt", {"Accept-Encoding": "gzip"}),
    "GET /cs.html",
    ("GET /cs.html", {"Accept-Charset": "iso-8859-1"}),
    ("GET /cs.html", {"Accept-Charset": "utf-8;q=0.2, *;q=0.5"}),
    "GET /unk",                                     # AH00687: 404
    "GET /s",                                       # handler: not metadata
    "GET /nothere",                                 # ErrorDocument /err
    "GET /d/",                                      # DirectoryIndex
    ("GET /d/", {AL: "fr"}),
    ("GET /d1/", {"Accept": "image/png"}),          # its 406
    "GET /d/index",
    "GET /off/doc",
    "GET /off/doc.html",
    ("GET /doc", {"Negotiate": "trans"}),           # 300
    ("GET /doc", {"Negotiate": "vlist"}),
    ("GET /doc", {"Negotiate": "*"}),
    ("GET /doc", {"Negotiate": "1.0", AL: "fr"}),
    ("GET /doc", {"Negotiate": "trans", "User-Agent": "Lynx/2.8.9"}),
    ("GET /doc", {"Range": "bytes=0-3"}),
    ("GET /doc", {"If-None-Match": '"f-60a24181e4000;60a24181e4000'}),
    ("GET /doc", {"If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}),
    ("GET /doc", {"If-Match": '"nope"'}),
    "GET /m.var",
    ("GET /m.var", {AL: "fr"}),
    ("GET /m.var", {AL: "fr", "Accept": "text/html;q=0.1"}),
    "GET /m",                                       # MultiViews, no .var
    "GET /b.var",
    ("GET /b.var", {AL: "fr"}),
    ("HEAD /b.var", {AL: "fr"}),
    "PUT /b.var",
    "GET /sv.var",
    ("GET /sv.var", {"Accept": "text/html"}),
    "GET /h/x",                                     # the map via MultiViews
    ("GET /h/x", {AL: "fr"}),
    "GET /any/a",
    "GET /any/a.html",
]


# Per-directory settings: no LanguagePriority (a, the shorter file wins
# a tie), its order without ForceLanguagePriority (b: Prefer), None (c),
# Fallback alone (e), DefaultLanguage (f), a scope whose Options drop
# MultiViews (g), SetEnvIf's prefer-language (i); broken and unusual type
# maps; CacheNegotiatedDocs.
FILES2 = {
    'htdocs/a/doc.html.en': '<p>english</p>\n',
    'htdocs/a/doc.html.fr': '<p>fr</p>\n',
    'htdocs/b/doc.html.en': '<p>english</p>\n',
    'htdocs/b/doc.html.fr': '<p>fr</p>\n',
    'htdocs/c/doc.html.en': '<p>english</p>\n',
    'htdocs/c/doc.html.fr': '<p>fr</p>\n',
    'htdocs/e/doc.html.en': '<p>english</p>\n',
    'htdocs/e/doc.html.fr': '<p>fr</p>\n',
    'htdocs/f/doc.html.en': '<p>english</p>\n',
    'htdocs/f/doc.html': '<p>none</p>\n',
    'htdocs/g/doc.html.en': '<p>english</p>\n',
    'htdocs/g/doc.html.fr': '<p>fr</p>\n',
    'htdocs/i/doc.html.en': '<p>english</p>\n',
    'htdocs/i/doc.html.fr': '<p>fr</p>\n',
    'htdocs/bad1.var': 'URI: x\nnocolon\n',
    'htdocs/bad2.var': 'URI: x\nContent-Type:\n',
    'htdocs/bad3.var': 'URI: t.html\nContent-Type: text/html\nContent-Length: abc\n\nURI: t.txt\nContent-Type: text/plain\n',
    'htdocs/bad4.var': 'Content-Type: text/plain\nBody:--end--\nno end tag here\n',
    'htdocs/t.html': '<p>t</p>\n',
    'htdocs/t.txt': 't\n',
    'htdocs/enc.var': 'URI: t.txt\nContent-Type: text/plain\nContent-Encoding: x-gzip\n\nURI: t.html\nContent-Type: text/html\n',
    'htdocs/miss.var': 'URI: nothere.html\nContent-Type: text/html\n',
    'htdocs/pl.var': 'URI: t.txt\nContent-Type: text/plain;qs=0.5;level=1\nContent-Language: en, fr\n\nURI: t.html\nContent-Type: text/html;level=3;charset=UTF-8\nContent-Language: de\n',
}
CONF2 = """\
AddLanguage en .en
AddLanguage fr .fr
AddHandler type-map .var
<Directory "@HTDOCS@">
Options MultiViews
</Directory>
<Directory "@HTDOCS@/b">
LanguagePriority fr en
</Directory>
<Directory "@HTDOCS@/c">
LanguagePriority fr en
ForceLanguagePriority None
</Directory>
<Directory "@HTDOCS@/e">
LanguagePriority fr en
ForceLanguagePriority Fallback
</Directory>
<Directory "@HTDOCS@/f">
DefaultLanguage fr
</Directory>
<Directory "@HTDOCS@/g">
Options Indexes
</Directory>
<Directory "@HTDOCS@/i">
LanguagePriority en fr
ForceLanguagePriority Prefer
SetEnvIf X-Lang (.+) prefer-language=$1
</Directory>
CacheNegotiatedDocs On
"""
REQUESTS2 = [
    'GET /a/doc',
    ('GET /a/doc', {'Accept-Language': 'it'}),
    ('GET /a/doc', {'Accept-Language': 'en, fr'}),
    'GET /b/doc',
    ('GET /b/doc', {'Accept-Language': 'it'}),
    ('GET /b/doc', {'Accept-Language': 'en, fr'}),
    'GET /c/doc',
    ('GET /c/doc', {'Accept-Language': 'it'}),
    ('GET /c/doc', {'Accept-Language': 'en, fr'}),
    'GET /e/doc',
    ('GET /e/doc', {'Accept-Language': 'it'}),
    ('GET /e/doc', {'Accept-Language': 'en, fr'}),
    'GET /f/doc',
    ('GET /f/doc', {'Accept-Language': 'en'}),
    ('GET /f/doc', {'Accept-Language': 'fr'}),
    'GET /g/doc',
    'GET /i/doc',
    ('GET /i/doc', {'X-Lang': 'fr'}),
    ('GET /i/doc', {'X-Lang': 'it'}),
    ('GET /a/doc', {}, 'HTTP/1.0'),
    'GET /bad1.var',
    'GET /bad2.var',
    'GET /bad3.var',
    'GET /bad4.var',
    'GET /enc.var',
    ('GET /enc.var', {'Accept-Encoding': 'gzip'}),
    'GET /miss.var',
    'GET /pl.var',
    ('GET /pl.var', {'Accept': 'text/html;level=2, text/plain'}),
    ('GET /pl.var', {'Accept-Language': 'fr'}),
    'GET /t',
]


# Type maps in more detail: path info and arguments, methods and
# conditions and ranges on a Body, a map naming a map (506), a map as the
# DirectoryIndex, escaped and spaced URIs, header names in any case,
# no-gzip, gzip-only-text/html and prefer-language from the environment.
FILES3 = {
    'htdocs/m.var': 'URI: m.html.en\nContent-Type: text/html\nContent-Language: en\n\nURI: m.html.fr\nContent-Type: text/html\nContent-Language: fr\n',
    'htdocs/m.html.en': 'm en\n',
    'htdocs/m.html.fr': 'm fr\n',
    'htdocs/b.var': 'Content-Type: text/plain\nContent-Language: en\nContent-Encoding: x-gzip\nBody:----en----\nhello world\n----en----\n\nContent-Type: text/plain\nContent-Language: fr\nBody:----fr----\nbonjour\n----fr----\n',
    'htdocs/rec.var': 'URI: m.var\nContent-Type: text/html\n\nURI: m.html.en\nContent-Type: text/html;qs=0.1\n',
    'htdocs/d/index.var': 'URI: index.html.en\nContent-Type: text/html\nContent-Language: en\n',
    'htdocs/d/index.html.en': 'idx\n',
    'htdocs/sp.var': 'URI: a%20b.html\nContent-Type: text/html\n\nURI: a b.html\nContent-Type: text/html\n',
    'htdocs/a b.html': 'space\n',
    'htdocs/uc.var': 'uri: UP.html\ncontent-TYPE: Text/HTML; QS=0.9\n',
}
CONF3 = """\
AddLanguage en .en
AddLanguage fr .fr
AddHandler type-map .var
DirectoryIndex index.var
SetEnvIf X-No-Gzip 1 no-gzip
SetEnvIf X-Html-Only 1 gzip-only-text/html=1
SetEnvIf X-Lang (.+) prefer-language=$1
"""
REQUESTS3 = [
    'GET /m.var/extra',
    'GET /m.var?a=b',
    ('GET /m.var?a=b', {'Accept-Language': 'fr'}),
    'POST /b.var',
    'OPTIONS /b.var',
    ('GET /b.var', {'Range': 'bytes=0-3'}),
    ('GET /b.var', {'If-None-Match': '*'}),
    ('GET /b.var', {'Accept-Encoding': 'gzip'}),
    ('GET /b.var', {'Accept-Encoding': 'gzip', 'Accept-Language': 'en'}),
    'GET /rec.var',
    'GET /d/',
    'GET /sp.var',
    'GET /uc.var',
    ('GET /m.var', {'Negotiate': 'trans'}),
    'HEAD /m.var',
    ('GET /m.var', {'If-None-Match': '"5-60a24181e4000;5d-60a24181e4000'}),
    ('GET /m.var', {'If-None-Match': '"5-60a24181e4000;79-60a24181e4000'}),
    ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-No-Gzip': '1'}),
    ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-Html-Only': '1'}),
    ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-Lang': 'fr'}),
]
GOLDEN3 = [
    # 'GET /m.var/extra'
    (404, ('text/html; charset=iso-8859-1', None, None, None, 'accept-language', None, None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # 'GET /m.var?a=b'
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), 'm en\n'),
    # ('GET /m.var?a=b', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'm.html.fr', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), 'm fr\n'),
    # 'POST /b.var'
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-encoding', None, None, None, None), 'bonjour\n'),
    # 'OPTIONS /b.var'
    (405, ('text/html; charset=iso-8859-1', None, None, None, 'accept-language,accept-encoding', None, None, None, None), '<p>The requested method OPTIONS is not allowed for this URL.</p>\n'),
    # ('GET /b.var', {'Range': 'bytes=0-3'})
    (206, ('text/plain', 'fr', None, None, 'accept-language,accept-encoding', None, None, None, 'bytes 0-3/8'), 'bonj'),
    # ('GET /b.var', {'If-None-Match': '*'})
    (304, (None, None, None, None, 'accept-language,accept-encoding', None, None, None, None), ''),
    # ('GET /b.var', {'Accept-Encoding': 'gzip'})
    (200, ('text/plain', 'en', 'x-gzip', None, 'accept-language,accept-encoding', None, None, None, None), 'hello world\n'),
    # ('GET /b.var', {'Accept-Encoding': 'gzip', 'Accept-Language': 'en'})
    (200, ('text/plain', 'en', 'x-gzip', None, 'accept-language,accept-encoding', None, None, None, None), 'hello world\n'),
    # 'GET /rec.var'
    (506, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>A variant for the requested resource\n<pre>\n\n</pre>\nis itself a negotiable resource. This indicates a configuration error.</p>\n'),
    # 'GET /d/'
    (200, ('text/html', 'en', None, 'index.html.en', 'negotiate', 'choice', None, '"4-60a24181e4000;40-60a24181e4000', None), 'idx\n'),
    # 'GET /sp.var'
    (200, ('text/html', None, None, 'a%2520b.html', 'negotiate', 'choice', None, '"6-60a24181e4000;4f-60a24181e4000', None), 'space\n'),
    # 'GET /uc.var'
    (404, ('text/html; charset=iso-8859-1', None, None, 'UP.html', 'negotiate', 'choice', None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # ('GET /m.var', {'Negotiate': 'trans'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"m.html.en" 1 {type text/html} {language en} {length 5}}, {"m.html.fr" 1 {type text/html} {language fr} {length 5}}', None, None), 'Available variants:\n<ul>\n<li><a href="m.html.en">m.html.en</a> , type text/html, language en</li>\n<li><a href="m.html.fr">m.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # 'HEAD /m.var'
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), ''),
    # ('GET /m.var', {'If-None-Match': '"5-60a24181e4000;5d-60a24181e4000'})
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), 'm en\n'),
    # ('GET /m.var', {'If-None-Match': '"5-60a24181e4000;79-60a24181e4000'})
    (304, (None, None, None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), ''),
    # ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-No-Gzip': '1'})
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-encoding', None, None, None, None), 'bonjour\n'),
    # ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-Html-Only': '1'})
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-encoding', None, None, None, None), 'bonjour\n'),
    # ('GET /b.var', {'Accept-Encoding': 'gzip', 'X-Lang': 'fr'})
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-encoding', None, None, None, None), 'bonjour\n'),
]


# MultiViews with the rest of the server: DirectoryIndex naming "index"
# alone, an ErrorDocument for the 406, a variant that Require denies
# (its lookup fails, so it is no variant), names with several languages.
FILES4 = {
    'htdocs/d/index.html.en': 'idx en\n',
    'htdocs/d/index.html.fr': 'idx fr\n',
    'htdocs/e/x.html.en': 'x\n',
    'htdocs/err406.html': 'custom 406\n',
    'htdocs/multi.en.html': 'multi en\n',
    'htdocs/multi.fr.html': 'multi fr\n',
    'htdocs/both.en.fr.html': 'both\n',
    'htdocs/both.de.html': 'de\n',
    'htdocs/p/doc.html.en': 'protected en\n',
    'htdocs/p/doc.html.fr': 'fr ok\n',
}
CONF4 = """\
AddLanguage en .en
AddLanguage fr .fr
AddLanguage de .de
<Directory "@HTDOCS@">
Options +MultiViews
DirectoryIndex index
</Directory>
<Files "doc.html.en">
Require all denied
</Files>
ErrorDocument 406 /err406.html
LanguagePriority en fr de
"""
REQUESTS4 = [
    'GET /d/',
    ('GET /d/', {'Accept-Language': 'fr'}),
    ('GET /e/x', {'Accept': 'image/png'}),
    'GET /multi',
    ('GET /multi', {'Accept-Language': 'fr'}),
    'GET /multi.html',
    ('GET /both', {'Accept-Language': 'fr'}),
    ('GET /both', {'Accept-Language': 'de;q=0.9, fr;q=0.5'}),
    'GET /p/doc',
    ('GET /p/doc', {'Accept-Language': 'en'}),
    'GET /p/doc.html.en',
]
GOLDEN4 = [
    # 'GET /d/'
    (200, ('text/html', 'en', None, 'index.html.en', 'negotiate,accept-language', 'choice', None, '"7-60a24181e4000"', None), 'idx en\n'),
    # ('GET /d/', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'index.html.fr', 'negotiate,accept-language', 'choice', None, '"7-60a24181e4000"', None), 'idx fr\n'),
    # ('GET /e/x', {'Accept': 'image/png'})
    (406, ('text/html', None, None, None, 'negotiate', 'list', '{"x.html.en" 1 {type text/html} {language en} {length 2}}', '"b-60a24181e4000;60a24181e4000', None), 'custom 406\n'),
    # 'GET /multi'
    (200, ('text/html', 'en', None, 'multi.en.html', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'multi en\n'),
    # ('GET /multi', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'multi.fr.html', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'multi fr\n'),
    # 'GET /multi.html'
    (404, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # ('GET /both', {'Accept-Language': 'fr'})
    (200, ('text/html', 'en,fr', None, 'both.en.fr.html', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;60a24181e4000', None), 'both\n'),
    # ('GET /both', {'Accept-Language': 'de;q=0.9, fr;q=0.5'})
    (200, ('text/html', 'de', None, 'both.de.html', 'negotiate,accept-language', 'choice', None, '"3-60a24181e4000;60a24181e4000', None), 'de\n'),
    # 'GET /p/doc'
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate', 'choice', None, '"6-60a24181e4000;60a24181e4000', None), 'fr ok\n'),
    # ('GET /p/doc', {'Accept-Language': 'en'})
    (406, ('text/html', None, None, None, 'negotiate', 'list', '{"doc.html.fr" 1 {type text/html} {language fr} {length 6}}', '"b-60a24181e4000;60a24181e4000', None), 'custom 406\n'),
    # 'GET /p/doc.html.en'
    (403, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), "<p>You don't have permission to access this resource.</p>\n"),
]


# RFC 2296's RVSA/1.0 choosing (definite variants), guess-small, text/html
# levels, qs, charset and encoding in Alternates, MultiviewsMatch
# Handlers, AcceptPathInfo On after a negotiated file, HEAD of a 406.
FILES5 = {
    'htdocs/doc.html.en': '<p>english</p>\n',
    'htdocs/doc.html.fr': '<p>fr</p>\n',
    'htdocs/lv.var': 'URI: l1.html\nContent-Type: text/html;level=1\n\nURI: l3.html\nContent-Type: text/html;level=3\n\nURI: t.txt\nContent-Type: text/plain;qs=0.8;charset=UTF-8\nContent-Encoding: gzip\n',
    'htdocs/l1.html': 'l1\n',
    'htdocs/l3.html': 'l3\n',
    'htdocs/t.txt': 't\n',
    'htdocs/h/s.hnd': 'h\n',
    'htdocs/h/s.txt': 'txt\n',
    'htdocs/api/doc.html.en': 'api\n',
}
CONF5 = """\
AddLanguage en .en
AddLanguage fr .fr
AddHandler type-map .var
AddHandler my-handler .hnd
<Directory "@HTDOCS@">
Options +MultiViews
</Directory>
<Directory "@HTDOCS@/h">
MultiviewsMatch Handlers
</Directory>
<Directory "@HTDOCS@/api">
AcceptPathInfo On
</Directory>
LanguagePriority en fr
"""
REQUESTS5 = [
    ('HEAD /doc', {'Accept': 'image/png'}),
    ('GET /doc', {'Negotiate': '1.0', 'Accept': 'text/html', 'Accept-Language': 'fr'}),
    ('GET /doc', {'Negotiate': '1.0', 'Accept': 'text/html', 'Accept-Language': 'fr, en;q=0.5'}),
    ('GET /doc', {'Negotiate': 'guess-small', 'Accept-Language': 'fr'}),
    'GET /lv.var',
    ('GET /lv.var', {'Accept': 'text/html;level=2'}),
    ('GET /lv.var', {'Accept': 'text/html'}),
    ('GET /lv.var', {'Negotiate': 'vlist'}),
    ('GET /lv.var', {'Accept': 'text/plain', 'Accept-Charset': 'iso-8859-1'}),
    'GET /h/s',
    ('GET /h/s', {'Accept': 'text/plain'}),
    'GET /api/doc/more',
    'GET /api/doc.html/more',
    ('GET /doc', {'Accept': 'text/*, */*;q=0.1', 'Accept-Language': 'fr;q=0'}),
    ('GET /doc', {'Accept-Language': 'EN'}),
    ('GET /doc', {'Accept-Language': 'fr-CA, en;q=0.001'}),
]
GOLDEN5 = [
    # ('HEAD /doc', {'Accept': 'image/png'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), ''),
    # ('GET /doc', {'Negotiate': '1.0', 'Accept': 'text/html', 'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /doc', {'Negotiate': '1.0', 'Accept': 'text/html', 'Accept-Language': 'fr, en;q=0.5'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /doc', {'Negotiate': 'guess-small', 'Accept-Language': 'fr'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), 'Available variants:\n<ul>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # 'GET /lv.var'
    (200, ('text/html', None, None, 'l1.html', 'negotiate,accept,accept-charset,accept-encoding', 'choice', None, '"3-60a24181e4000;ac-60a24181e4000', None), 'l1\n'),
    # ('GET /lv.var', {'Accept': 'text/html;level=2'})
    (200, ('text/html', None, None, 'l1.html', 'negotiate,accept,accept-charset,accept-encoding', 'choice', None, '"3-60a24181e4000;ac-60a24181e4000', None), 'l1\n'),
    # ('GET /lv.var', {'Accept': 'text/html'})
    (200, ('text/html', None, None, 'l1.html', 'negotiate,accept,accept-charset,accept-encoding', 'choice', None, '"3-60a24181e4000;ac-60a24181e4000', None), 'l1\n'),
    # ('GET /lv.var', {'Negotiate': 'vlist'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept,accept-charset,accept-encoding', 'list', '{"l1.html" 1 {type text/html} {length 3}}, {"l3.html" 1 {type text/html} {length 3}}, {"t.txt" 0.8 {type text/plain} {charset utf-8} {encoding gzip} {length 2}}', None, None), 'Available variants:\n<ul>\n<li><a href="l1.html">l1.html</a> , type text/html</li>\n<li><a href="l3.html">l3.html</a> , type text/html</li>\n<li><a href="t.txt">t.txt</a> , type text/plain, charset utf-8, encoding gzip</li>\n</ul>\n'),
    # ('GET /lv.var', {'Accept': 'text/plain', 'Accept-Charset': 'iso-8859-1'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept,accept-charset,accept-encoding', 'list', '{"l1.html" 1 {type text/html} {length 3}}, {"l3.html" 1 {type text/html} {length 3}}, {"t.txt" 0.8 {type text/plain} {charset utf-8} {encoding gzip} {length 2}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="l1.html">l1.html</a> , type text/html</li>\n<li><a href="l3.html">l3.html</a> , type text/html</li>\n<li><a href="t.txt">t.txt</a> , type text/plain, charset utf-8, encoding gzip</li>\n</ul>\n'),
    # 'GET /h/s'
    (200, ('text/plain', None, None, 's.txt', 'negotiate,accept', 'choice', None, '"4-60a24181e4000;60a24181e4000', None), 'txt\n'),
    # ('GET /h/s', {'Accept': 'text/plain'})
    (200, ('text/plain', None, None, 's.txt', 'negotiate,accept', 'choice', None, '"4-60a24181e4000;60a24181e4000', None), 'txt\n'),
    # 'GET /api/doc/more'
    (200, ('text/html', 'en', None, None, None, None, None, '"4-60a24181e4000;60a24181e4000', None), 'api\n'),
    # 'GET /api/doc.html/more'
    (200, ('text/html', 'en', None, None, None, None, None, '"4-60a24181e4000;60a24181e4000', None), 'api\n'),
    # ('GET /doc', {'Accept': 'text/*, */*;q=0.1', 'Accept-Language': 'fr;q=0'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /doc', {'Accept-Language': 'EN'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Accept-Language': 'fr-CA, en;q=0.001'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
]


# Debian's stock setup: negotiation.conf enabled, MultiViews off unless a
# scope turns it on (here an .htaccess allowed to, and one that is not).
DEBIAN_FILES = {
    "htdocs/doc.html.en": "<p>english</p>\n",
    "htdocs/doc.html.fr": "<p>fr</p>\n",
    "htdocs/ht/doc.html.en": "<p>ht en</p>\n",
    "htdocs/ht/doc.html.fr": "<p>ht fr</p>\n",
    "htdocs/ht/.htaccess": "Options +MultiViews\n",
    "htdocs/no/doc.html.en": "<p>no en</p>\n",
    "htdocs/no/.htaccess": "Options +MultiViews\n",
}
DEBIAN_SITE = MIME + DEBIAN_CONF + """\
<Directory "@HTDOCS@">
    Options Indexes FollowSymLinks
    AllowOverride None
</Directory>
<Directory "@HTDOCS@/ht">
    AllowOverride Options=MultiViews,Indexes
</Directory>
<Directory "@HTDOCS@/no">
    AllowOverride Options=Indexes
</Directory>
"""
DEBIAN_REQUESTS = [
    "GET /doc", "GET /doc.html.en", ("GET /doc.html.fr", {AL: "en"}),
    "GET /ht/doc", ("GET /ht/doc", {AL: "fr"}), "GET /no/doc",
]
DEBIAN_GOLDEN = [
    # 'GET /doc'
    (404, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # 'GET /doc.html.en'
    (200, ('text/html', 'en', None, None, None, None, None, '"f-60a24181e4000"', None), '<p>english</p>\n'),
    # ('GET /doc.html.fr', {'Accept-Language': 'en'})
    (200, ('text/html', 'fr', None, None, None, None, None, '"a-60a24181e4000"', None), '<p>fr</p>\n'),
    # 'GET /ht/doc'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"d-60a24181e4000;60a24181e4000', None), '<p>ht en</p>\n'),
    # ('GET /ht/doc', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"d-60a24181e4000;60a24181e4000', None), '<p>ht fr</p>\n'),
    # 'GET /no/doc'
    (500, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<p>Please contact the server administrator at \n [no address given] to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n'),
]

# `httpd -t` on the directives' mistakes: apache2's words.
CONFIG_CASES = [
    ("ForceLanguagePriority None Prefer", 1,
     "Cannot combine ForceLanguagePriority options None and Prefer"),
    ("ForceLanguagePriority Prefer\nForceLanguagePriority None", 1,
     "Cannot combine ForceLanguagePriority options with None"),
    ("ForceLanguagePriority Bogus", 1,
     "Invalid ForceLanguagePriority option Bogus"),
    ("ForceLanguagePriority", 1,
     "ForceLanguagePriority requires at least one argument, Force "
     "LanguagePriority elections, either None, or Fallback and/or Prefer"),
    ("LanguagePriority", 1, "LanguagePriority requires at least one "
     "argument, space-delimited list of MIME language abbreviations"),
    ("CacheNegotiatedDocs maybe", 1, "CacheNegotiatedDocs must be On or Off"),
    ("<Directory />\nCacheNegotiatedDocs On\n</Directory>", 1,
     "CacheNegotiatedDocs not allowed in <Directory> context"),
    ("<VirtualHost *:80>\nCacheNegotiatedDocs off\n</VirtualHost>", 0,
     "Syntax OK"),
    ("MultiviewsMatch Any Handlers", 1,
     "Handlers is incompatible with Any and NegotiatedOnly"),
    ("MultiviewsMatch Handlers Any", 1,
     "Any is incompatible with NegotiatedOnly, Filters and Handlers"),
    ("MultiviewsMatch Filters NegotiatedOnly", 1,
     "NegotiatedOnly is incompatible with Any, Filters and Handlers"),
    ("MultiviewsMatch Bogus", 1, "Unrecognized option 'Bogus'"),
    ("<Location />\nMultiviewsMatch Handlers\n</Location>", 1,
     "MultiviewsMatch cannot occur within <Location> section"),
    ("<Directory />\nMultiviewsMatch Handlers Filters\nLanguagePriority en"
     "\nForceLanguagePriority Fallback Prefer\n</Directory>", 0,
     "Syntax OK"),
    (DEBIAN_CONF, 0, "Syntax OK"),
]


def summary(resp, port):
    if isinstance(resp, tuple):
        return resp
    status, fields, body = describe_response(resp, port, FIELDS,
                                             etag=False, extra=())
    if body.startswith(b"<!DOCTYPE"):
        body = body[body.index(b"</h1>\n") + 6:body.index(b"</body>")]
    return (status, tuple(v for h, v in fields), body.decode("latin-1"))


def fetch(server, q):
    """q: "METHOD /path" or (it, {headers}[, protocol])."""
    q = (q,) if isinstance(q, str) else q
    method, path = q[0].split(" ", 1)
    return summary(get(server.port, path, method=method,
                       headers=q[1] if len(q) > 1 else None,
                       version=q[2] if len(q) > 2 else "HTTP/1.1"),
                   server.port)


def answers(cls, config, files, reqs):
    with cls(config, files=files) as s:
        set_mtimes(s.root)   # ETags and validators the same in both
        return [fetch(s, q) for q in reqs]


def agree(config, files, reqs, golden):
    """httpd-ng gives the recorded answers, and so does apache2."""
    if os.environ.get("NEG_RECORD"):
        for q, t in zip(reqs, answers(Apache, config, files, reqs)):
            print("    # %r" % (q,))
            print("    %r," % (t,))
        return
    eq(len(golden), len(reqs), "recorded answers")
    ours = answers(Server, config, files, reqs)
    for q, o, g in zip(reqs, ours, golden):
        eq(o, g, "httpd-ng: %r" % (q,))
    if have_apache():
        theirs = answers(Apache, config, files, reqs)
        for q, t, g in zip(reqs, theirs, golden):
            eq(t, g, "apache2: %r" % (q,))


GOLDEN = [
    # 'GET /doc'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"11-60a24181e4000;60a24181e4000', None), '<p>francais!</p>\n'),
    # ('GET /doc', {'Accept-Language': 'fr;q=0.5, en;q=0.4'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"11-60a24181e4000;60a24181e4000', None), '<p>francais!</p>\n'),
    # ('GET /doc', {'Accept-Language': 'it'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Accept-Language': 'en-US'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Accept-Language': '*;q=0.3, fr;q=0.2'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Accept-Language': 'de, fr'})
    (200, ('text/html', 'de', None, 'doc.html.de', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>deutsch</p>\n'),
    # ('GET /br', {'Accept-Language': 'pt'})
    (200, ('text/html', 'pt-br', None, 'br.html.pt-br', 'negotiate,accept-language', 'choice', None, '"e-60a24181e4000;60a24181e4000', None), '<p>brasil</p>\n'),
    # 'GET /br'
    (200, ('text/html', 'fr', None, 'br.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'HEAD /doc'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), ''),
    # 'GET /doc?x=1'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # 'POST /doc'
    (200, ('text/html', 'en', None, None, 'accept-language', None, None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # 'GET /doc/extra'
    (404, ('text/html', 'en', None, 'err.html.en', 'accept-language,negotiate', 'choice', None, '"9-60a24181e4000;60a24181e4000;60a24181e400', None), 'error en\n'),
    # 'GET /doc.html'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # 'GET /pic'
    (200, ('image/png', None, None, 'pic.png', 'negotiate,accept', 'choice', None, '"3-60a24181e4000;60a24181e4000', None), 'PNG'),
    # ('GET /pic', {'Accept': 'image/gif'})
    (200, ('image/gif', None, None, 'pic.gif', 'negotiate,accept', 'choice', None, '"5-60a24181e4000;60a24181e4000', None), 'GIF89'),
    # ('GET /pic', {'Accept': 'image/*;q=0.5, image/gif;q=0.4'})
    (200, ('image/png', None, None, 'pic.png', 'negotiate,accept', 'choice', None, '"3-60a24181e4000;60a24181e4000', None), 'PNG'),
    # ('GET /pic', {'Accept': 'text/html'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept', 'list', '{"pic.gif" 1 {type image/gif} {length 5}}, {"pic.png" 1 {type image/png} {length 3}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="pic.gif">pic.gif</a> , type image/gif</li>\n<li><a href="pic.png">pic.png</a> , type image/png</li>\n</ul>\n'),
    # ('GET /doc', {'Accept': 'image/png'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.de" 1 {type text/html} {language de} {length 15}}, {"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 17}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="doc.html.de">doc.html.de</a> , type text/html, language de</li>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # 'GET /only'
    (200, ('text/plain', None, None, 'only.txt', 'negotiate', 'choice', None, '"2-60a24181e4000;60a24181e4000', None), 't\n'),
    # 'GET /z'
    (200, ('text/plain', None, None, 'z.txt', 'negotiate,accept,accept-encoding', 'choice', None, '"b-60a24181e4000;60a24181e4000', None), 'plain text\n'),
    # ('GET /z', {'Accept-Encoding': 'gzip'})
    (200, ('application/gzip', None, 'gzip', 'z.txt.gz', 'negotiate,accept,accept-encoding', 'choice', None, '"2-60a24181e4000;60a24181e4000', None), 'zz'),
    # ('GET /z', {'Accept-Encoding': 'bzip2, gzip;q=0.5'})
    (200, ('application/x-bzip2', None, 'bzip2', 'z.txt.bz2', 'negotiate,accept,accept-encoding', 'choice', None, '"4-60a24181e4000;60a24181e4000', None), 'bzbz'),
    # ('GET /z', {'Accept-Encoding': 'identity'})
    (200, ('text/plain', None, None, 'z.txt', 'negotiate,accept,accept-encoding', 'choice', None, '"b-60a24181e4000;60a24181e4000', None), 'plain text\n'),
    # ('GET /z.txt', {'Accept-Encoding': 'gzip'})
    (200, ('text/plain', None, None, None, None, None, None, '"b-60a24181e4000"', None), 'plain text\n'),
    # 'GET /cs.html'
    (200, ('text/html; charset=utf-8', None, None, 'cs.html.utf8', 'negotiate,accept-charset', 'choice', None, '"2-60a24181e4000;60a24181e4000', None), 'u\n'),
    # ('GET /cs.html', {'Accept-Charset': 'iso-8859-1'})
    (200, ('text/html; charset=iso-8859-1', None, None, 'cs.html.latin1', 'negotiate,accept-charset', 'choice', None, '"3-60a24181e4000;60a24181e4000', None), 'l1\n'),
    # ('GET /cs.html', {'Accept-Charset': 'utf-8;q=0.2, *;q=0.5'})
    (200, ('text/html; charset=iso-8859-1', None, None, 'cs.html.latin1', 'negotiate,accept-charset', 'choice', None, '"3-60a24181e4000;60a24181e4000', None), 'l1\n'),
    # 'GET /unk'
    (404, ('text/html', 'en', None, 'err.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'error en\n'),
    # 'GET /s'
    (404, ('text/html', 'en', None, 'err.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'error en\n'),
    # 'GET /nothere'
    (404, ('text/html', 'en', None, 'err.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000;60a24181e400', None), 'error en\n'),
    # 'GET /d/'
    (200, ('text/html', 'en', None, 'index.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000"', None), 'index en\n'),
    # ('GET /d/', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'index.html.fr', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000"', None), 'index fr\n'),
    # ('GET /d1/', {'Accept': 'image/png'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate', 'list', '{"index.html.en" 1 {type text/html} {language en} {length 8}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="index.html.en">index.html.en</a> , type text/html, language en</li>\n</ul>\n'),
    # 'GET /d/index'
    (200, ('text/html', 'en', None, 'index.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'index en\n'),
    # 'GET /off/doc'
    (404, ('text/html', 'en', None, 'err.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'error en\n'),
    # 'GET /off/doc.html'
    (404, ('text/html', 'en', None, 'err.html.en', 'negotiate,accept-language', 'choice', None, '"9-60a24181e4000;60a24181e4000', None), 'error en\n'),
    # ('GET /doc', {'Negotiate': 'trans'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.de" 1 {type text/html} {language de} {length 15}}, {"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 17}}', None, None), 'Available variants:\n<ul>\n<li><a href="doc.html.de">doc.html.de</a> , type text/html, language de</li>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /doc', {'Negotiate': 'vlist'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.de" 1 {type text/html} {language de} {length 15}}, {"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 17}}', None, None), 'Available variants:\n<ul>\n<li><a href="doc.html.de">doc.html.de</a> , type text/html, language de</li>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /doc', {'Negotiate': '*'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', '{"doc.html.de" 1 {type text/html} {language de} {length 15}}, {"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 17}}', '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Negotiate': '1.0', 'Accept-Language': 'fr'})
    (300, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.de" 1 {type text/html} {language de} {length 15}}, {"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 17}}', None, None), 'Available variants:\n<ul>\n<li><a href="doc.html.de">doc.html.de</a> , type text/html, language de</li>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /doc', {'Negotiate': 'trans', 'User-Agent': 'Lynx/2.8.9'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /doc', {'Range': 'bytes=0-3'})
    (206, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', 'bytes 0-3/15'), '<p>e'),
    # ('GET /doc', {'If-None-Match': '"f-60a24181e4000;60a24181e4000'})
    (304, (None, None, None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), ''),
    # ('GET /doc', {'If-Modified-Since': 'Tue, 14 Nov 2023 22:13:20 GMT'})
    (304, (None, None, None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), ''),
    # ('GET /doc', {'If-Match': '"nope"'})
    (412, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), ''),
    # 'GET /m.var'
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;a6-60a24181e4000', None), 'm en\n'),
    # ('GET /m.var', {'Accept-Language': 'fr'})
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;a6-60a24181e4000', None), 'm en\n'),
    # ('GET /m.var', {'Accept-Language': 'fr', 'Accept': 'text/html;q=0.1'})
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;a6-60a24181e4000', None), 'm en\n'),
    # 'GET /m'
    (200, ('text/html', 'en', None, 'm.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;60a24181e4000', None), 'm en\n'),
    # 'GET /b.var'
    (200, ('text/plain; charset=utf-8', 'en', None, None, 'accept-language,accept-charset', None, None, None, None), 'hello\n'),
    # ('GET /b.var', {'Accept-Language': 'fr'})
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-charset', None, None, None, None), 'bonjour\n'),
    # ('HEAD /b.var', {'Accept-Language': 'fr'})
    (200, ('text/plain', 'fr', None, None, 'accept-language,accept-charset', None, None, None, None), ''),
    # 'PUT /b.var'
    (405, ('text/html; charset=iso-8859-1', None, None, None, 'accept-language,accept-charset', None, None, None, None), '<p>The requested method PUT is not allowed for this URL.</p>\n'),
    # 'GET /sv.var'
    (200, ('text/plain', None, None, None, 'accept', None, None, '"6-60a24181e4000;55-60a24181e4000', None), 'sub t\n'),
    # ('GET /sv.var', {'Accept': 'text/html'})
    (200, ('text/html', None, None, None, 'accept', None, None, '"9-60a24181e4000;55-60a24181e4000', None), '<p>t</p>\n'),
    # 'GET /h/x'
    (200, ('text/html', 'en', None, 'x.html.en', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), 'x en\n'),
    # ('GET /h/x', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'x.html.fr', 'negotiate,accept-language', 'choice', None, '"5-60a24181e4000;79-60a24181e4000', None), 'x fr\n'),
    # 'GET /any/a'
    (200, ('text/html', None, None, 'a.html.xyz', 'negotiate', 'choice', None, '"4-60a24181e4000;60a24181e4000', None), 'xyz\n'),
    # 'GET /any/a.html'
    (200, ('text/html', None, None, 'a.html.xyz', 'negotiate', 'choice', None, '"4-60a24181e4000;60a24181e4000', None), 'xyz\n'),
]


GOLDEN2 = [
    # 'GET /a/doc'
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /a/doc', {'Accept-Language': 'it'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /a/doc', {'Accept-Language': 'en, fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'GET /b/doc'
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /b/doc', {'Accept-Language': 'it'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /b/doc', {'Accept-Language': 'en, fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'GET /c/doc'
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /c/doc', {'Accept-Language': 'it'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept-language', 'list', '{"doc.html.en" 1 {type text/html} {language en} {length 15}}, {"doc.html.fr" 1 {type text/html} {language fr} {length 10}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="doc.html.en">doc.html.en</a> , type text/html, language en</li>\n<li><a href="doc.html.fr">doc.html.fr</a> , type text/html, language fr</li>\n</ul>\n'),
    # ('GET /c/doc', {'Accept-Language': 'en, fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'GET /e/doc'
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /e/doc', {'Accept-Language': 'it'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /e/doc', {'Accept-Language': 'en, fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'GET /f/doc'
    (200, ('text/html', 'fr', None, 'doc.html', 'negotiate,accept-language', 'choice', None, '"c-60a24181e4000;60a24181e4000', None), '<p>none</p>\n'),
    # ('GET /f/doc', {'Accept-Language': 'en'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /f/doc', {'Accept-Language': 'fr'})
    (200, ('text/html', 'fr', None, 'doc.html', 'negotiate,accept-language', 'choice', None, '"c-60a24181e4000;60a24181e4000', None), '<p>none</p>\n'),
    # 'GET /g/doc'
    (404, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # 'GET /i/doc'
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /i/doc', {'X-Lang': 'fr'})
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # ('GET /i/doc', {'X-Lang': 'it'})
    (200, ('text/html', 'en', None, 'doc.html.en', 'negotiate,accept-language', 'choice', None, '"f-60a24181e4000;60a24181e4000', None), '<p>english</p>\n'),
    # ('GET /a/doc', {}, 'HTTP/1.0')
    (200, ('text/html', 'fr', None, 'doc.html.fr', 'negotiate,accept-language', 'choice', None, '"a-60a24181e4000;60a24181e4000', None), '<p>fr</p>\n'),
    # 'GET /bad1.var'
    (500, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<p>Please contact the server administrator at \n [no address given] to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n'),
    # 'GET /bad2.var'
    (500, ('text/html; charset=iso-8859-1', None, None, None, None, None, None, None, None), '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<p>Please contact the server administrator at \n [no address given] to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n'),
    # 'GET /bad3.var'
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate', 'list', None, None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n</ul>\n'),
    # 'GET /bad4.var'
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate', 'list', None, None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n</ul>\n'),
    # 'GET /enc.var'
    (200, ('text/html', None, None, 't.html', 'negotiate,accept,accept-encoding', 'choice', None, '"9-60a24181e4000;62-60a24181e4000', None), '<p>t</p>\n'),
    # ('GET /enc.var', {'Accept-Encoding': 'gzip'})
    (200, ('text/plain', None, None, 't.txt', 'negotiate,accept,accept-encoding', 'choice', None, '"2-60a24181e4000;62-60a24181e4000', None), 't\n'),
    # 'GET /miss.var'
    (404, ('text/html; charset=iso-8859-1', None, None, 'nothere.html', 'negotiate', 'choice', None, None, None), '<p>The requested URL was not found on this server.</p>\n'),
    # 'GET /pl.var'
    (200, ('text/html', None, None, 't.html', 'negotiate,accept,accept-language,accept-charset', 'choice', None, '"9-60a24181e4000;9c-60a24181e4000', None), '<p>t</p>\n'),
    # ('GET /pl.var', {'Accept': 'text/html;level=2, text/plain'})
    (406, ('text/html; charset=iso-8859-1', None, None, None, 'negotiate,accept,accept-language,accept-charset', 'list', '{"t.txt" 0.5 {type text/plain} {language en,fr} {length 2}}, {"t.html" 1 {type text/html} {charset utf-8} {language de} {length 9}}', None, None), '<p>An appropriate representation of the requested resource could not be found on this server.</p>\nAvailable variants:\n<ul>\n<li><a href="t.txt">t.txt</a> , type text/plain, language en,fr</li>\n<li><a href="t.html">t.html</a> , type text/html, language de, charset utf-8</li>\n</ul>\n'),
    # ('GET /pl.var', {'Accept-Language': 'fr'})
    (200, ('text/plain', None, None, 't.txt', 'negotiate,accept,accept-language,accept-charset', 'choice', None, '"2-60a24181e4000;9c-60a24181e4000', None), 't\n'),
    # 'GET /t'
    (200, ('text/plain', None, None, 't.txt', 'negotiate,accept', 'choice', None, '"2-60a24181e4000;60a24181e4000', None), 't\n'),
]


@test
def multiviews_and_type_maps():
    agree(CONF, FILES, REQUESTS, GOLDEN)


@test
def language_priority_and_broken_maps():
    agree(CONF2, FILES2, REQUESTS2, GOLDEN2)



@test
def type_map_details():
    agree(CONF3, FILES3, REQUESTS3, GOLDEN3)


@test
def with_index_errordocument_and_require():
    agree(CONF4, FILES4, REQUESTS4, GOLDEN4)


@test
def rvsa_levels_and_path_info():
    agree(CONF5, FILES5, REQUESTS5, GOLDEN5)


@test
def debian_default_multiviews_off():
    agree(DEBIAN_SITE, DEBIAN_FILES, DEBIAN_REQUESTS, DEBIAN_GOLDEN)


@test
def directive_errors():
    config_cases_agree(CONFIG_CASES)


@test
def debian_negotiation_conf():
    """Debian's own mods-available files pass -t (LoadModule of the
    compiled-in module is accepted, as apache2 loads its .so)."""
    base = "/etc/apache2/mods-available/negotiation"
    if not (os.path.exists(base + ".load") and os.path.exists(base + ".conf")):
        skip("no Debian apache2 configuration here")
    conf = "Include %s.load\nInclude %s.conf\n" % (base, base)
    eq(httpd_t(conf), (0, "Syntax OK\n"), "httpd -t")


@test
def garbage_maps_and_headers():
    """Random type maps (long lines, stray Body tags, NULs, endless
    continuations) and random Accept* headers: every answer is a status
    the module can give, and the server (under ASan in CI) survives."""
    import random
    rng = random.Random(7)
    words = ["URI: a.html", "Content-Type: text/html;qs=0.5;level=2",
             "Content-Language: en, fr", "Content-Encoding: x-gzip",
             "Content-Length: 12", "Content-Length: -1", "Body:--t--",
             "--t--", "Description: (x) y", "  continued", "#c", "",
             "nocolon", "URI:", "x" * 9000, " " + "y" * 9000, "\0\0"]
    files = {"htdocs/a.html": "a\n", "htdocs/a.html.en": "en\n"}
    for i in range(24):
        files["htdocs/g%d.var" % i] = "\n".join(
            rng.choice(words) for _ in range(rng.randrange(1, 12)))
    items = ["*/*", "text/*", "text/html;level=1", "image/png;q=0",
             "x;q=abc", ";;;", "en-US", "*;q=0.5", "gzip", "identity;q=0",
             '"quoted, item";q=1', ",", ""]
    ok = {200, 206, 300, 304, 404, 405, 406, 412, 416, 500, 506}
    with Server(MIME + "LanguagePriority en fr\n", files=files) as s:
        for i in range(24):
            hdrs = {h: ", ".join(rng.choice(items)
                                 for _ in range(rng.randrange(0, 4)))
                    for h in ("Accept", "Accept-Language", "Accept-Charset",
                              "Accept-Encoding", "Negotiate")
                    if rng.random() < 0.7}
            r = get(s.port, "/g%d.var" % i, headers=hdrs)
            check(r.status in ok, "status %r for %r" % (r.status, hdrs))
        eq(get(s.port, "/a.html").status, 200, "still serving")


if __name__ == "__main__":
    run()
