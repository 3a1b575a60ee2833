"""Debian's stock apache2 configuration, /etc/apache2 as the apache2
package installs it (apache2.conf, ports.conf, envvars' variables, every
module in mods-enabled with its .conf, conf-enabled and the default site),
copied to a temp directory with only the listening port and the run/log
directories changed.  httpd-ng must accept it as apache2 does (`-t`) and
serve the default site the same way: same status, headers and body for
each request (the Server banner aside).

Skips when apache2 or /etc/apache2 is absent.
"""

import gzip
import os
import pwd
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401,F403
import harness  # noqa: E402

ETC = "/etc/apache2"


def _need_debian():
    if not have_apache() or not os.path.isfile(os.path.join(ETC,
                                                            "apache2.conf")):
        skip("Debian's apache2 and /etc/apache2 not installed")


class Tree:
    """A copy of /etc/apache2 listening on 127.0.0.1:port, with envvars'
    variables pointing into the copy.  The MPM is this build's default,
    enabled the Debian way (mods-enabled/mpm_NAME.load and .conf in place
    of mpm_event's); for httpd-ng (ours) in a build whose MPMs are shared,
    its LoadModule line names our module, since only our own MPM objects
    are loaded (docs/configuration.md)."""

    def __init__(self, ours=False, port=None):
        _need_debian()
        self.top = tempfile.mkdtemp(prefix="httpd-ng-debian-")
        os.chmod(self.top, 0o755)
        self.etc = os.path.join(self.top, "etc")
        shutil.copytree(ETC, self.etc, symlinks=True)
        for d in ("run", "lock", "log"):
            os.mkdir(os.path.join(self.top, d))
        self.port = port or free_port()
        self._enable_mpm(DEFAULT_MPM, ours)
        self._edit("ports.conf", r"(?m)^Listen 80$",
                   "Listen 127.0.0.1:%d" % self.port)
        self._edit("sites-enabled/000-default.conf", r"<VirtualHost \*:80>",
                   "<VirtualHost *:%d>" % self.port)
        user = "www-data" if os.geteuid() == 0 else \
            pwd.getpwuid(os.geteuid()).pw_name
        self.env = {
            "APACHE_RUN_USER": user, "APACHE_RUN_GROUP": user,
            "APACHE_PID_FILE": os.path.join(self.top, "run", "apache2.pid"),
            "APACHE_RUN_DIR": os.path.join(self.top, "run"),
            "APACHE_LOCK_DIR": os.path.join(self.top, "lock"),
            "APACHE_LOG_DIR": os.path.join(self.top, "log"),
            "LANG": "C",
        }

    def _enable_mpm(self, mpm, ours):
        enabled = os.path.join(self.etc, "mods-enabled")
        for f in os.listdir(enabled):
            if f.startswith("mpm_"):
                os.unlink(os.path.join(enabled, f))
        for ext in (".load", ".conf"):
            os.symlink("../mods-available/mpm_%s%s" % (mpm, ext),
                       os.path.join(enabled, "mpm_%s%s" % (mpm, ext)))
        if ours and mpm != STATIC_MPM:
            self._edit("mods-enabled/mpm_%s.load" % mpm,
                       r"(?m)^LoadModule .*$",
                       "LoadModule mpm_%s_module %s" % (
                           mpm, os.path.join(BUILDDIR, "modules",
                                             "mod_mpm_%s.so" % mpm)))

    def _edit(self, rel, pattern, repl):
        path = os.path.join(self.etc, rel)
        with open(path) as f:
            text = f.read()
        new, n = re.subn(pattern, repl, text)
        check(n > 0, "%s has %r" % (rel, pattern))
        os.unlink(path)            # may be a symlink into the *-available
        with open(path, "w") as f:
            f.write(new)

    def cleanup(self):
        shutil.rmtree(self.top, ignore_errors=True)

    def command(self, binary, *args):
        return [binary, "-d", self.etc, "-f",
                os.path.join(self.etc, "apache2.conf")] + list(args)


class OnTree(Server):
    """httpd-ng (or, with apache=True, apache2) started on a Tree."""

    def __init__(self, tree, apache=False):
        self.tree = tree
        self.apache = apache
        if apache:
            self.binary = APACHE2
        Server.__init__(self, "", base=False, port=tree.port,
                        env=tree.env)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = tree.top
        self.logs = os.path.join(tree.top, "log")
        self.conf = os.path.join(tree.etc, "apache2.conf")

    def _check_available(self):
        if self.apache:
            _need_debian()
        else:
            Server._check_available(self)

    def write_config(self, config=None):
        pass                      # the tree is the configuration

    def command(self):
        fg = "-DFOREGROUND" if self.apache else "-D"
        args = [fg] if self.apache else [fg, "FOREGROUND"]
        return self.tree.command(self.binary, *args)

    def error_log(self):
        return self._read(os.path.join(self.logs, "error.log"))

    def cleanup(self):
        pass                      # the Tree owns the directory


def _t(binary, tree):
    import subprocess
    env = dict(os.environ)
    env.update(tree.env)
    p = subprocess.run(tree.command(binary, "-t"), env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


@test
def stock_configuration_passes_t_as_in_apache2():
    tree, ours_tree = Tree(), Tree(ours=True)
    try:
        theirs = _t(APACHE2, tree)
        ours = _t(harness.HTTPD, ours_tree)
        eq(theirs[0], 0, "apache2 -t exit code\n" + theirs[1])
        eq(ours[0], theirs[0], "exit code\n" + ours[1])
        check("Syntax OK" in ours[1], "Syntax OK in\n" + ours[1])
        eq(ours[1].replace("httpd:", "apache2:").replace(ours_tree.top,
                                                          tree.top),
           theirs[1], "-t output")
    finally:
        tree.cleanup()
        ours_tree.cleanup()


# What the default site is asked: the index (plain, gzip, HEAD,
# conditional), Debian's other page, a missing file, .ht* files, the icons
# alias, mod_status from a local address, TRACE (security.conf turns it
# off), OPTIONS.
REQUESTS = [
    "GET /",
    ("GET /", {"Accept-Encoding": "gzip, deflate"}),
    ("HEAD /", {"Accept-Encoding": "gzip"}),
    ("GET /index.html", {"Accept-Encoding": "gzip;q=0"}),
    "GET /index.html",
    "GET /index.nginx-debian.html",
    ("GET /index.nginx-debian.html", {"Accept-Encoding": "gzip"}),
    ("GET /", {"Range": "bytes=0-99"}),
    "GET /missing.html",
    "GET /.htaccess",
    "GET /.htpasswd",
    "GET /icons/",
    "GET /icons/README",
    "GET /icons/a.png",
    "GET /icons/blank.gif",
    "GET /server-status?auto",
    "TRACE /",
    "OPTIONS /",
    "POST /",
    "GET /index.html/extra",
]

COMPARED = ["Content-Type", "Content-Length", "Content-Encoding", "Vary",
            "Location", "Content-Range", "Allow", "Last-Modified",
            "Accept-Ranges", "Transfer-Encoding"]


def _summary(resp, port):
    desc = describe_response(resp, port, COMPARED)
    if isinstance(desc, tuple) and len(desc) == 3 and \
            resp.header("Content-Encoding") == "gzip" and resp.body:
        # The compressed bytes may differ; what they decompress to may not.
        return desc[0], desc[1], b"gzip:" + gzip.decompress(resp.body)
    if isinstance(desc, tuple) and len(desc) == 3 and \
            (resp.header("Content-Type") or "").startswith("text/plain") \
            and b"ServerVersion:" in resp.body:
        # mod_status ?auto: the keys in order, not their values.
        keys = re.findall(rb"(?m)^([A-Za-z ]+):", resp.body)
        return desc[0], desc[1][:1], b"keys:" + b",".join(keys)
    return desc


@test
def default_site_served_as_apache2_serves_it():
    ours_tree = Tree(ours=True)
    tree = Tree(port=ours_tree.port)      # the port shows in pages
    try:
        with OnTree(ours_tree) as s:
            ours = fetch_summaries(s, REQUESTS, _summary)
        with OnTree(tree, apache=True) as a:
            theirs = fetch_summaries(a, REQUESTS, _summary)
        for q, o, t in zip(REQUESTS, ours, theirs):
            eq(o, t, repr(q))
    finally:
        tree.cleanup()
        ours_tree.cleanup()


if __name__ == "__main__":
    run()
