"""servers.py -- start httpd-ng, apache2, nginx and lighttpd side by side
with comparable settings, for bench/http and bench/idle (stdlib only).

Every server gets: the same document root (1k.txt, 64k.txt, 1m.txt,
index.html), a loopback port, keep-alive on (unlimited requests, 60 s idle
timeout), sendfile on, access log off (or on for all with access_log=True),
and workers matched to the cores:
  event/worker (httpd-ng and apache2): one child per core, 64 threads each
      (worker: up to 256 threads); prefork: 32..256 children;
  nginx: worker_processes = cores; lighttpd: server.max-worker = cores.
Each server runs in the foreground in its own session, so its process tree
is its process group: CPU time and RSS/PSS are summed over that group.
"""
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
NCPU = os.cpu_count() or 1
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

FILES = {"1k.txt": 1024, "64k.txt": 64 * 1024, "1m.txt": 1024 * 1024}


def ensure_packages(pkgs):
    """apt-get install the Debian packages that are missing (as root)."""
    missing = [p for p in pkgs if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
        text=True).stdout.find("install ok installed") < 0]
    if not missing:
        return
    print("installing from Debian: %s" % " ".join(missing), flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
    # policy-rc.d-less machines would start the services on port 80: refuse.
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing,
                   check=True, env=env)
    for svc in ("nginx", "lighttpd", "apache2"):
        if svc in missing:
            subprocess.run(sudo + ["service", svc, "stop"],
                           capture_output=True)


def raise_nofile(want=65536):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for h in (max(hard, want), hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, h), h))
            break
        except (ValueError, OSError):
            continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_docroot(root):
    d = os.path.join(root, "htdocs")
    os.makedirs(d, exist_ok=True)
    for name, size in FILES.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write((b"0123456789abcdef" * (size // 16 + 1))[:size])
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write("<html><body>bench</body></html>\n")
    return d


def find_httpd():
    for d in (os.environ.get("BUILDDIR"), os.getcwd(),
              os.path.join(TOP, "build", "bench"),
              os.path.join(TOP, "build", "run"),
              os.path.join(TOP, "build", "test")):
        if d and os.access(os.path.join(d, "httpd"), os.X_OK):
            return os.path.join(d, "httpd")
    return None


def httpd_mpms(httpd):
    """(static MPM, [shared MPMs]) of a build, from its buildinfo.h."""
    static, shared = "", []
    info = os.path.join(os.path.dirname(httpd), "buildinfo.h")
    if os.path.exists(info):
        for ln in open(info):
            if "HTTPD_STATIC_MPM" in ln:
                static = ln.split('"')[1]
            elif "HTTPD_SHARED_MPMS" in ln:
                shared = ln.split('"')[1].split()
    return static, shared


def mpm_settings(mpm):
    if mpm == "prefork":
        return ("StartServers 32\nMinSpareServers 32\nMaxSpareServers 256\n"
                "ServerLimit 256\nMaxRequestWorkers 256\n"
                "MaxConnectionsPerChild 0\n")
    n = NCPU if mpm == "event" else max(NCPU, 4)
    return ("StartServers %d\nServerLimit %d\nThreadsPerChild 64\n"
            "ThreadLimit 64\nMaxRequestWorkers %d\nMinSpareThreads 1\n"
            "MaxSpareThreads %d\nMaxConnectionsPerChild 0\n"
            % (n, max(n, 16), 64 * n, 64 * n))


def apache_syntax_conf(root, port, mpm, access_log):
    """The part of the config httpd-ng and apache2 share verbatim."""
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    log = ('LogFormat "%h %l %u %t \\"%r\\" %>s %b" common\n'
           'CustomLog "{r}/logs/access_log" common\n' if access_log else "")
    return ("Listen 127.0.0.1:{port}\nServerName localhost\n"
            'DocumentRoot "{r}/htdocs"\nErrorLog "{r}/logs/error_log"\n'
            'PidFile "{r}/logs/httpd.pid"\nTypesConfig "{r}/conf/mime.types"\n'
            "LogLevel warn\nKeepAlive On\nMaxKeepAliveRequests 0\n"
            "KeepAliveTimeout 60\nTimeout 60\nEnableSendfile On\n"
            "ListenBacklog 4096\n"
            # as Apache's stock httpd.conf: no .htaccess lookups (nginx
            # and lighttpd have no per-directory files either)
            "<Directory />\n    AllowOverride None\n</Directory>\n"
            '<Directory "{r}/htdocs">\n    Require all granted\n'
            "</Directory>\n" + user + log + mpm_settings(mpm)
            ).replace("{r}", root).replace("{port}", str(port))


class Server:
    """One server under test; subclasses write the config and command."""
    name = "?"

    def __init__(self, root, access_log=False, max_conns=4096):
        self.max_conns = max_conns
        self.root = tempfile.mkdtemp(prefix="bench-%s-" % self.name,
                                     dir=root)
        os.chmod(self.root, 0o755)
        for d in ("conf", "logs"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        self.docroot = os.path.join(root, "htdocs")
        types = os.path.join(TOP, "conf", "mime.types")
        if not os.path.exists(types):
            types = "/etc/mime.types"
        shutil.copy(types, os.path.join(self.root, "conf", "mime.types"))
        self.port = free_port()
        self.access_log = access_log
        self.proc = None

    def start(self, timeout=30):
        self.write_config()
        out = open(os.path.join(self.root, "logs", "stdout"), "wb")
        self.proc = subprocess.Popen(
            self.command(), cwd=self.root, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %d: %s" % (
                    self.name, self.proc.returncode, self.tail()))
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("%s did not listen within %ds: %s"
                           % (self.name, timeout, self.tail()))

    def tail(self):
        out = ""
        for f in ("stdout", "error_log", "error.log"):
            p = os.path.join(self.root, "logs", f)
            if os.path.exists(p):
                out += open(p, errors="replace").read()[-600:]
        return out.strip().replace("\n", " | ")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def pids(self):
        if not self.proc:
            return []
        out = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                st = open("/proc/%s/stat" % pid).read()
            except OSError:
                continue
            f = st[st.rfind(")") + 2:].split()
            if int(f[2]) == self.proc.pid and f[0] != "Z":
                out.append(int(pid))
        return out

    def cpu_seconds(self):
        """user+sys of the process group, including reaped children."""
        ticks = 0
        for pid in self.pids():
            try:
                st = open("/proc/%d/stat" % pid).read()
            except OSError:
                continue
            f = st[st.rfind(")") + 2:].split()
            ticks += sum(int(x) for x in f[11:15])  # utime stime cu cs
        return ticks / CLK_TCK

    def memory(self):
        """(RSS MiB summed, PSS MiB summed, processes)."""
        rss = pss = 0
        pids = self.pids()
        for pid in pids:
            try:
                for ln in open("/proc/%d/smaps_rollup" % pid):
                    if ln.startswith("Rss:"):
                        rss += int(ln.split()[1])
                    elif ln.startswith("Pss:"):
                        pss += int(ln.split()[1])
            except OSError:
                continue
        return rss / 1024.0, pss / 1024.0, len(pids)

    def stop(self, timeout=15):
        if not self.proc:
            return
        pg = self.proc.pid
        try:
            os.killpg(pg, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + timeout
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            os.killpg(pg, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None


class HttpdNg(Server):
    def __init__(self, root, httpd, mpm, access_log=False, max_conns=4096):
        self.httpd, self.mpm = httpd, mpm
        self.name = "httpd-ng-" + mpm
        Server.__init__(self, root, access_log, max_conns)

    def write_config(self):
        static, _ = httpd_mpms(self.httpd)
        load = "" if self.mpm == static else (
            "LoadModule mpm_%s_module %s/modules/mod_mpm_%s.so\n"
            % (self.mpm, os.path.dirname(self.httpd), self.mpm))
        text = load + apache_syntax_conf(self.root, self.port, self.mpm,
                                         self.access_log)
        text = text.replace('"%s/htdocs"' % self.root, '"%s"' % self.docroot)
        with open(os.path.join(self.root, "httpd.conf"), "w") as f:
            f.write(text)

    def command(self):
        return [self.httpd, "-d", self.root, "-f",
                os.path.join(self.root, "httpd.conf"), "-D", "FOREGROUND"]


class Apache(Server):
    def __init__(self, root, mpm, access_log=False, max_conns=4096):
        self.mpm = mpm
        self.name = "apache2-" + mpm
        Server.__init__(self, root, access_log, max_conns)

    def write_config(self):
        mods = ["mime", "dir", "authz_core", "authz_host"]
        text = "LoadModule mpm_%s_module modules/mod_mpm_%s.so\n" % (
            self.mpm, self.mpm)
        text += "".join("LoadModule %s_module modules/mod_%s.so\n" % (m, m)
                        for m in mods)
        text += 'Mutex file:%s/logs default\nDefaultRuntimeDir "%s/logs"\n' % (
            self.root, self.root)
        text += apache_syntax_conf(self.root, self.port, self.mpm,
                                   self.access_log)
        text = text.replace('"%s/htdocs"' % self.root, '"%s"' % self.docroot)
        with open(os.path.join(self.root, "httpd.conf"), "w") as f:
            f.write(text)

    def command(self):
        return ["/usr/sbin/apache2", "-d", "/usr/lib/apache2", "-f",
                os.path.join(self.root, "httpd.conf"), "-DFOREGROUND"]


class Nginx(Server):
    name = "nginx"

    def write_config(self):
        r = self.root
        log = ("access_log %s/logs/access.log;" % r if self.access_log
               else "access_log off;")
        user = "user www-data;\n" if os.geteuid() == 0 else ""
        text = """%(user)sworker_processes %(n)d;
daemon off;
master_process on;
pid %(r)s/logs/nginx.pid;
error_log %(r)s/logs/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections %(mc)d; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    %(log)s
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 60s;
    keepalive_requests 1000000;
    client_body_temp_path %(r)s/logs/body;
    proxy_temp_path %(r)s/logs/proxy;
    fastcgi_temp_path %(r)s/logs/fastcgi;
    uwsgi_temp_path %(r)s/logs/uwsgi;
    scgi_temp_path %(r)s/logs/scgi;
    server {
        listen 127.0.0.1:%(port)d backlog=4096;
        server_name localhost;
        root %(docroot)s;
        index index.html;
    }
}
""" % dict(user=user, n=NCPU, r=r, log=log, port=self.port,
           docroot=self.docroot, mc=self.max_conns)
        with open(os.path.join(r, "nginx.conf"), "w") as f:
            f.write(text)

    def command(self):
        return ["/usr/sbin/nginx", "-p", self.root, "-c",
                os.path.join(self.root, "nginx.conf")]


class Lighttpd(Server):
    name = "lighttpd"

    def write_config(self):
        r = self.root
        mods = '"mod_accesslog"' if self.access_log else ""
        log = ('accesslog.filename = "%s/logs/access.log"\n' % r
               if self.access_log else "")
        user = ('server.username = "www-data"\nserver.groupname = "www-data"\n'
                if os.geteuid() == 0 else "")
        text = """server.modules = ( %(mods)s )
server.document-root = "%(docroot)s"
server.bind = "127.0.0.1"
server.port = %(port)d
server.pid-file = "%(r)s/logs/lighttpd.pid"
server.errorlog = "%(r)s/logs/error.log"
%(user)sserver.max-worker = %(n)d
server.max-fds = %(fds)d
server.max-connections = %(mc)d
server.listen-backlog = 4096
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 60
server.max-read-idle = 60
server.network-backend = "sendfile"
index-file.names = ( "index.html" )
include_shell "/usr/share/lighttpd/create-mime.conf.pl"
%(log)s""" % dict(mods=mods, docroot=self.docroot, port=self.port, r=r,
                  user=user, n=NCPU, log=log, mc=self.max_conns,
                  fds=min(2 * self.max_conns + 64, 16384))
        if NCPU <= 1:
            text = text.replace("server.max-worker = 1\n", "")
        with open(os.path.join(r, "lighttpd.conf"), "w") as f:
            f.write(text)
        if os.geteuid() == 0:   # it opens its logs after dropping to www-data
            shutil.chown(os.path.join(r, "logs"), "www-data", "www-data")

    def command(self):
        return ["/usr/sbin/lighttpd", "-D", "-f",
                os.path.join(self.root, "lighttpd.conf")]


def make_servers(root, names, httpd, access_log=False, max_conns=4096):
    """Server objects for the names asked for: "ng-event", "apache-worker",
    "nginx", "lighttpd"... (ng-* only those the httpd build has)."""
    out = []
    have = []
    if httpd:
        static, shared = httpd_mpms(httpd)
        have = [m for m in [static] + shared if m]
    for n in names:
        if n.startswith("ng-"):
            if n[3:] in have:
                out.append(HttpdNg(root, httpd, n[3:], access_log, max_conns))
            else:
                print("note: %s skipped (no httpd-ng build with that MPM; "
                      "have: %s)" % (n, " ".join(have) or "none"))
        elif n.startswith("apache-"):
            out.append(Apache(root, n[7:], access_log, max_conns))
        elif n == "nginx":
            out.append(Nginx(root, access_log, max_conns))
        elif n == "lighttpd":
            out.append(Lighttpd(root, access_log, max_conns))
        else:
            raise SystemExit("unknown server %s" % n)
    return out


def machine():
    model = "?"
    for ln in open("/proc/cpuinfo"):
        if ln.startswith("model name"):
            model = ln.split(":", 1)[1].strip()
            break
    mem = 0
    for ln in open("/proc/meminfo"):
        if ln.startswith("MemTotal"):
            mem = int(ln.split()[1]) // 1024
    return "%d x %s, %d MiB RAM, Linux %s, load average %.1f at start" % (
        NCPU, model, mem, os.uname().release, os.getloadavg()[0])
