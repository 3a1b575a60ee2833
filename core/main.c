/* main.c -- the httpd front end: Apache's command line.
 *
 *   httpd [-D name] [-d directory] [-f file] [-C "directive"] [-c "directive"]
 *         [-k start|restart|graceful|graceful-stop|stop]
 *         [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-M] [-X]
 *         [-e level] [-E file]
 *
 * Every configuration problem reaches the user through the diagnostics
 * sink (core/sinks.c), shaped as Apache prints it; the dumps (-S, -M,
 * -D DUMP_*) print what the resolved configuration holds, in Apache's
 * layout.  Serving is core/server.c's job.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buildinfo.h"
#include "conf.h"
#include "log.h"
#include "mpm.h"
#include "readphase.h"
#include "request.h"
#include "server.h"
#include "sinks.h"
#include "version.h"

#define MAX_ARGS 256

enum k_action {
    K_NONE,
    K_START,
    K_STOP,
    K_RESTART,
    K_GRACEFUL,
    K_GRACEFUL_STOP
};

struct cli {
    const char *argv0;      /* as invoked (usage, AH00094) */
    const char *short_name; /* basename (messages) */
    const char *defines[MAX_ARGS + 8];
    int ndefines;
    const char *pre[MAX_ARGS + 1]; /* -c: after reading */
    int npre;
    const char *post[MAX_ARGS + 1]; /* -C: before reading */
    int npost;
    const char *server_root, *conf_file;
    int test, skip_docroot, show_version, show_settings, list_compiled;
    int list_directives, one_process;
    enum k_action k;
    char command_line[4096];
};

/* ---- usage and version ---------------------------------------------- */

static void usage(const struct cli *c)
{
    int pad = (int)strlen(c->argv0) + 8;
    fprintf(stderr, "Usage: %s [-D name] [-d directory] [-f file]\n", c->argv0);
    fprintf(stderr, "%*s[-C \"directive\"] [-c \"directive\"]\n", pad, "");
    fprintf(stderr, "%*s[-k start|restart|graceful|graceful-stop|stop]\n", pad,
            "");
    fprintf(stderr, "%*s[-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]\n", pad,
            "");
    fputs(
        "Options:\n"
        "  -D name            : define a name for use in <IfDefine name> "
        "directives\n"
        "  -d directory       : specify an alternate initial ServerRoot\n"
        "  -f file            : specify an alternate ServerConfigFile\n"
        "  -C \"directive\"     : process directive before reading config "
        "files\n"
        "  -c \"directive\"     : process directive after reading config "
        "files\n"
        "  -e level           : show startup errors of level (see LogLevel)\n"
        "  -E file            : log startup errors to file\n"
        "  -v                 : show version number\n"
        "  -V                 : show compile settings\n"
        "  -h                 : list available command line options (this "
        "page)\n"
        "  -l                 : list compiled in modules\n"
        "  -L                 : list available configuration directives\n"
        "  -t -D DUMP_VHOSTS  : show parsed vhost settings\n"
        "  -t -D DUMP_RUN_CFG : show parsed run settings\n"
        "  -S                 : a synonym for -t -D DUMP_VHOSTS -D "
        "DUMP_RUN_CFG\n"
        "  -t -D DUMP_MODULES : show all loaded modules \n"
        "  -M                 : a synonym for -t -D DUMP_MODULES\n"
        "  -t -D DUMP_INCLUDES: show all included configuration files\n"
        "  -t -D DUMP_CONFIG  : show the resolved configuration as Apache "
        "syntax\n"
        "  -t                 : run syntax check for config files\n"
        "  -T                 : start without DocumentRoot(s) check\n"
        "  -X                 : debug mode (only one worker, do not detach)\n",
        stderr);
    exit(1);
}

static void print_version(void)
{
    printf("Server version: %s/%s (Unix)\n", HTTPD_PRODUCT, HTTPD_VERSION);
    printf("Server built:   %s\n", http_server_built());
}

static void print_settings(const struct mpm_module *mpm,
                           const resolved_config *rc)
{
    struct mpm_query q;
    memset(&q, 0, sizeof(q));
    if (mpm != NULL && mpm->query != NULL)
        mpm->query(rc, &q);
    print_version();
    printf("MPM interface:  %s\n", MPM_ABI_MARKER);
    printf("Compatible with: Apache/%s configuration language\n",
           HTTPD_COMPAT_VERSION);
    printf("Architecture:   %d-bit\n", (int)sizeof(void *) * 8);
    printf("Server MPM:     %s\n", mpm && mpm->name ? mpm->name : "(none)");
    printf("  threaded:     %s\n", q.threaded == 0 ? "no"
                                   : q.threaded == 1
                                       ? "yes (fixed thread count)"
                                       : "yes (variable thread count)");
    printf("    forked:     %s\n",
           q.forked ? "yes (variable process count)" : "no");
    printf("Server compiled with....\n");
    printf(" -D APR_HAS_SENDFILE\n -D APR_HAS_MMAP\n");
    printf(" -D APR_HAVE_IPV6 (IPv4-mapped addresses enabled)\n");
    printf(" -D SINGLE_LISTEN_UNSERIALIZED_ACCEPT\n");
    printf(" -D HTTPD_ROOT=\"%s\"\n", HTTPD_PREFIX);
    printf(" -D DEFAULT_MPM=\"%s\"\n", HTTPD_DEFAULT_MPM);
    if (HTTPD_SHARED_MPMS[0])
        printf(" -D SHARED_MPMS=\"%s\"\n", HTTPD_SHARED_MPMS);
    printf(" -D DEFAULT_PIDLOG=\"logs/httpd.pid\"\n");
    printf(" -D DEFAULT_ERRORLOG=\"logs/error_log\"\n");
    printf(" -D AP_TYPES_CONFIG_FILE=\"conf/mime.types\"\n");
    printf(" -D SERVER_CONFIG_FILE=\"conf/httpd.conf\"\n");
}

static void list_compiled(void)
{
    printf("Compiled in modules:\n");
    for (int i = 0; conf_builtin_modules[i] != NULL; i++)
        printf("  %s\n", conf_builtin_modules[i]->file);
    if (mpm_static_module != NULL && mpm_static_module->module != NULL)
        printf("  %s\n", mpm_static_module->module->file);
}

/* -L: every directive of the compiled-in modules and the MPM. */
static void show_overrides(const command_rec *c)
{
    int ov = c->req_override;
    printf("\tAllowed in *.conf ");
    if ((ov & (OR_OPTIONS | OR_FILEINFO | OR_INDEXES)) ||
        ((ov & RSRC_CONF) && (ov & (ACCESS_CONF | OR_AUTHCFG | OR_LIMIT))))
        printf("anywhere");
    else if (ov & RSRC_CONF)
        printf("only outside <Directory>, <Files>, <Location>, or <If>");
    else
        printf("only inside <Directory>, <Files>, <Location>, or <If>");
    if (ov & OR_ALL) {
        printf(" and in .htaccess\n\twhen AllowOverride ");
        if ((ov & OR_ALL) == OR_ALL) {
            printf("isn't None");
        } else {
            static const struct {
                int bit;
                const char *name;
            } names[] = {
                {OR_AUTHCFG, "AuthConfig"}, {OR_LIMIT, "Limit"},
                {OR_OPTIONS, "Options"},    {OR_FILEINFO, "FileInfo"},
                {OR_INDEXES, "Indexes"},
            };
            const char *sep = "includes ";
            for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                if (ov & names[i].bit) {
                    printf("%s%s", sep, names[i].name);
                    sep = " or ";
                }
            }
        }
    }
    printf("\n");
}

static void list_module_directives(const module *m)
{
    if (m == NULL || m->cmds == NULL)
        return;
    for (const command_rec *c = m->cmds; c->name != NULL; c++) {
        printf("%s (%s)\n", c->name, m->file);
        if (c->errmsg != NULL)
            printf("\t%s\n", c->errmsg);
        show_overrides(c);
    }
}

/* ---- dumps ----------------------------------------------------------- */

static void dump_modules(const resolved_config *rc)
{
    printf("Loaded Modules:\n");
    int any = 0;
    for (int pass = 0; pass < 2; pass++)
        for (const loaded_module *lm = rc->modules; lm != NULL; lm = lm->next)
            if (lm->mod != NULL && lm->is_static == !pass) {
                printf(" %s (%s)\n", lm->mod->name,
                       lm->is_static ? "static" : "shared");
                any = 1;
            }
    if (any)
        return;
    /* The read phase did not list them: builtins, then the MPM. */
    for (int i = 0; conf_builtin_modules[i] != NULL; i++)
        printf(" %s (static)\n", conf_builtin_modules[i]->name);
    if (rc->mpm != NULL && rc->mpm->module != NULL)
        printf(" %s (%s)\n", rc->mpm->module->name,
               rc->mpm_is_static ? "static" : "shared");
}

static int is_wildcard(const char *h);

/* The name Apache gives a virtual host without ServerName: the main
 * server's when one of its addresses is a wildcard, else the reverse DNS
 * name of its first address, else "bogus_host_without_reverse_dns". */
static const char *server_display_name(const resolved_config *rc,
                                       const server_conf *s)
{
    if (s->server_name != NULL)
        return s->server_name;
    const char *main_name = rc->main_server && rc->main_server->server_name
                                ? rc->main_server->server_name
                                : "localhost";
    if (s->addrs == NULL)
        return main_name;
    for (const vhost_addr *a = s->addrs; a != NULL; a = a->next)
        if (is_wildcard(a->host))
            return main_name;
    char host[256], name[1025];
    snprintf(host, sizeof(host), "%s", s->addrs->host);
    size_t len = strlen(host);
    const char *h = host;
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host[len - 1] = '\0';
        h = host + 1;
    }
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST}, *res = NULL;
    if (getaddrinfo(h, NULL, &hints, &res) != 0)
        return s->addrs->host; /* a name, not an address */
    int found = getnameinfo(res->ai_addr, res->ai_addrlen, name, sizeof(name),
                            NULL, 0, NI_NAMEREQD) == 0;
    freeaddrinfo(res);
    return found ? arena_strdup(rc->arena, name)
                 : "bogus_host_without_reverse_dns";
}

/* Apache's order of IP-specific addresses in -S: its hash bucket. */
static unsigned addr_bucket(const char *host)
{
    unsigned char b[16];
    unsigned key;
    char buf[64];
    size_t len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        snprintf(buf, sizeof(buf), "%.*s", (int)len - 2, host + 1);
        host = buf;
    }
    if (inet_pton(AF_INET, host, b) == 1)
        key = (unsigned)b[0] | (unsigned)b[1] << 8 | (unsigned)b[2] << 16 |
              (unsigned)b[3] << 24;
    else if (inet_pton(AF_INET6, host, b) == 1)
        key = (unsigned)b[12] | (unsigned)b[13] << 8 | (unsigned)b[14] << 16 |
              (unsigned)b[15] << 24;
    else
        return 256;
    key ^= key >> 16;
    return ((key >> 8) ^ key) % 256;
}

struct vh_addr_group {
    const char *host;
    int port;
    unsigned bucket;
    int order;
    const server_conf *vh[64];
    int nvh;
};

static int is_wildcard(const char *h)
{
    return strcmp(h, "*") == 0 || strcasecmp(h, "_default_") == 0;
}

static void dump_one_group(const resolved_config *rc,
                           const struct vh_addr_group *g)
{
    char addr[128], port[16];
    if (g->port)
        snprintf(port, sizeof(port), "%d", g->port);
    else
        snprintf(port, sizeof(port), "*");
    if (is_wildcard(g->host))
        snprintf(addr, sizeof(addr), "*:%s", port);
    else if (strchr(g->host, ':') != NULL && g->host[0] != '[')
        snprintf(addr, sizeof(addr), "[%s]:%s", g->host, port); /* IPv6 */
    else
        snprintf(addr, sizeof(addr), "%s:%s", g->host, port);
    if (g->nvh == 1) {
        const server_conf *s = g->vh[0];
        printf("%-22s %s (%s:%d)\n", addr, server_display_name(rc, s),
               s->defn_file, s->defn_line);
        return;
    }
    printf("%-22s is a NameVirtualHost\n", addr);
    printf("         default server %s (%s:%d)\n",
           server_display_name(rc, g->vh[0]), g->vh[0]->defn_file,
           g->vh[0]->defn_line);
    for (int i = 0; i < g->nvh; i++) {
        const server_conf *s = g->vh[i];
        printf("         port %s namevhost %s (%s:%d)\n", port,
               server_display_name(rc, s), s->defn_file, s->defn_line);
        for (int wild = 0; wild < 2; wild++)
            for (int a = 0; a < s->naliases; a++) {
                int w = strpbrk(s->aliases[a], "*?") != NULL;
                if (w == wild)
                    printf("                 %salias %s\n", w ? "wild " : "",
                           s->aliases[a]);
            }
    }
}

/* Apache builds its address table by taking the virtual hosts from the
 * last to the first and putting each new address at the front of its
 * hash bucket (wildcards: of one default list); -S then walks the buckets.
 * Doing the same gives the same order.  Within an address, the virtual
 * hosts are listed in configuration order. */
static void dump_vhosts(const resolved_config *rc)
{
    printf("VirtualHost configuration:\n");
    int nv = 0;
    for (const server_conf *s = rc->vhosts; s != NULL; s = s->next)
        nv++;
    const server_conf **rev = calloc((size_t)nv + 1, sizeof(*rev));
    struct vh_addr_group *groups = NULL;
    int ngroups = 0, i = nv;
    if (rev == NULL)
        return;
    for (const server_conf *s = rc->vhosts; s != NULL; s = s->next)
        rev[--i] = s;
    for (int v = 0; v < nv; v++) {
        const server_conf *s = rev[v];
        int prev_gi = -1;
        for (const vhost_addr *a = s->addrs; a != NULL; a = a->next) {
            const char *host = is_wildcard(a->host) ? "*" : a->host;
            int gi;
            for (gi = 0; gi < ngroups; gi++)
                if (groups[gi].port == a->port &&
                    strcmp(groups[gi].host, host) == 0)
                    break;
            if (gi == ngroups) {
                struct vh_addr_group *ng =
                    realloc(groups, sizeof(*groups) * (size_t)(ngroups + 1));
                if (ng == NULL)
                    break;
                groups = ng;
                memset(&groups[gi], 0, sizeof(groups[gi]));
                groups[gi].host = host;
                groups[gi].port = a->port;
                groups[gi].bucket =
                    is_wildcard(host) ? 1000 : addr_bucket(host);
                groups[gi].order = gi;
                ngroups++;
            }
            /* A wildcard address ("*", "_default_") right after the same
             * one is listed once; anything else as often as written, as
             * Apache does. */
            int dup = is_wildcard(a->host) && gi == prev_gi;
            if (!dup && groups[gi].nvh < 64)
                groups[gi].vh[groups[gi].nvh++] = s;
            prev_gi = gi;
        }
    }
    free(rev);
    /* By bucket, the latest-made address first within a bucket. */
    for (i = 1; i < ngroups; i++) {
        struct vh_addr_group g = groups[i];
        int j = i - 1;
        while (j >= 0 &&
               (groups[j].bucket > g.bucket ||
                (groups[j].bucket == g.bucket && groups[j].order < g.order))) {
            groups[j + 1] = groups[j];
            j--;
        }
        groups[j + 1] = g;
    }
    for (i = 0; i < ngroups; i++) {
        /* collected last host first: put them back in configuration order */
        struct vh_addr_group *g = &groups[i];
        for (int a = 0, b = g->nvh - 1; a < b; a++, b--) {
            const server_conf *t = g->vh[a];
            g->vh[a] = g->vh[b];
            g->vh[b] = t;
        }
        dump_one_group(rc, g);
    }
    free(groups);
}

static const char *main_error_log(const resolved_config *rc)
{
    const char *p = rc->main_server ? rc->main_server->error_log : NULL;
    if (p == NULL)
        p = "logs/error_log";
    if (p[0] == '/' || p[0] == '|' || strncmp(p, "syslog", 6) == 0 ||
        !rc->server_root)
        return p;
    return arena_printf(rc->arena, "%s/%s", rc->server_root, p);
}

/* Defines in definition order (command line first, as Apache).  Whether
 * the read phase keeps rc->defines oldest- or newest-first is told by
 * where the first command-line define sits: this dump only runs with
 * DUMP_RUN_CFG given on the command line, so there always is one. */
static void print_defines(const struct cli *c, const resolved_config *rc)
{
    int n = 0;
    for (const define_entry *d = rc->defines; d != NULL; d = d->next)
        n++;
    const define_entry **v = calloc((size_t)n + 1, sizeof(*v));
    if (v == NULL)
        return;
    int i = 0, first_cli = -1;
    for (const define_entry *d = rc->defines; d != NULL; d = d->next, i++) {
        v[i] = d;
        if (first_cli < 0 && c->ndefines > 0 &&
            strcmp(d->name, c->defines[0]) == 0)
            first_cli = i;
    }
    int newest_first = n > 1 && first_cli == n - 1;
    for (i = 0; i < n; i++) {
        const define_entry *d = v[newest_first ? n - 1 - i : i];
        if (d->value != NULL)
            printf("Define: %s=%s\n", d->name, d->value);
        else
            printf("Define: %s\n", d->name);
    }
    free(v);
}

static void dump_run_cfg(const struct cli *c, const resolved_config *rc)
{
    const char *root = rc->server_root ? rc->server_root : HTTPD_PREFIX;
    printf("ServerRoot: \"%s\"\n", root);
    printf("Main DocumentRoot: \"%s\"\n",
           rc->main_server && rc->main_server->document_root
               ? rc->main_server->document_root
               : "");
    printf("Main ErrorLog: \"%s\"\n", main_error_log(rc));
    const char *rt = rc->default_runtime_dir;
    if (rt == NULL)
        rt = arena_printf(rc->arena, "%s/logs", root);
    printf("Mutex default: dir=\"%s%s\" mechanism=default \n", rt,
           rt[strlen(rt) - 1] == '/' ? "" : "/");
    printf("PidFile: \"%s\"\n", server_pid_path(rc));
    print_defines(c, rc);
    if (rc->user == NULL) {
        printf("User: name=\"#-1\" id=4294967295\n");
    } else {
        struct passwd *pw = rc->user[0] == '#' ? NULL : getpwnam(rc->user);
        unsigned long id = pw ? (unsigned long)pw->pw_uid
                           : rc->user[0] == '#'
                               ? strtoul(rc->user + 1, NULL, 10)
                               : (unsigned long)rc->uid;
        printf("User: name=\"%s\" id=%lu\n", rc->user, id);
    }
    if (rc->group == NULL) {
        printf("Group: name=\"#-1\" id=4294967295\n");
    } else {
        struct group *gr = rc->group[0] == '#' ? NULL : getgrnam(rc->group);
        unsigned long id = gr ? (unsigned long)gr->gr_gid
                           : rc->group[0] == '#'
                               ? strtoul(rc->group + 1, NULL, 10)
                               : (unsigned long)rc->gid;
        printf("Group: name=\"%s\" id=%lu\n", rc->group, id);
    }
}

/* ---- command line ---------------------------------------------------- */

static int has_define(const struct cli *c, const char *name)
{
    for (int i = 0; i < c->ndefines; i++)
        if (strcmp(c->defines[i], name) == 0)
            return 1;
    return 0;
}

static void add_define(struct cli *c, const char *name)
{
    if (c->ndefines < MAX_ARGS + 7 && !has_define(c, name))
        c->defines[c->ndefines++] = name;
}

static void option_error(const struct cli *c, const char *what, int opt)
{
    fprintf(stderr, "%s: %s -- %c\n", c->short_name, what, opt);
    usage(c);
}

static enum k_action parse_k(const char *a)
{
    static const struct {
        const char *name;
        enum k_action k;
    } ks[] = {
        {"start", K_START},
        {"stop", K_STOP},
        {"restart", K_RESTART},
        {"graceful", K_GRACEFUL},
        {"graceful-stop", K_GRACEFUL_STOP},
    };
    for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
        if (strcmp(a, ks[i].name) == 0)
            return ks[i].k;
    return K_NONE;
}

static int parse_level(const char *s)
{
    for (int i = APLOG_EMERG; i <= APLOG_TRACE8; i++)
        if (strcasecmp(s, log_level_name(i)) == 0)
            return i;
    return -1;
}

static void startup_log_file(const struct cli *c, const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "%s: could not open error log file %s: %s\n",
                c->short_name, path, strerror(errno));
        exit(1);
    }
    dup2(fd, 2);
    close(fd);
}

static void parse_args(struct cli *c, int argc, char **argv)
{
    opterr = 0;
    int opt;
    while ((opt = getopt(argc, argv, "+:C:c:D:d:E:e:f:k:R:hlLMSTtvVX")) != -1) {
        switch (opt) {
        case 'C':
            if (c->npost < MAX_ARGS)
                c->post[c->npost++] = optarg;
            break;
        case 'c':
            if (c->npre < MAX_ARGS)
                c->pre[c->npre++] = optarg;
            break;
        case 'D':
            add_define(c, optarg);
            break;
        case 'd':
            c->server_root = optarg;
            break;
        case 'f':
            c->conf_file = optarg;
            break;
        case 'E':
            startup_log_file(c, optarg);
            break;
        case 'e':
            if (parse_level(optarg) < 0)
                usage(c);
            log_set_level(parse_level(optarg));
            break;
        case 'k':
            if (optarg[0] == '-') /* "-k" with no action: Apache's message */
                option_error(c, "illegal option", 'k');
            c->k = parse_k(optarg);
            if (c->k == K_NONE)
                option_error(c, "illegal option", 'k');
            break;
        case 'R':
            break; /* Apache's shared-module directory: not needed */
        case 'h':
            usage(c);
            break;
        case 'l':
            c->list_compiled = 1;
            break;
        case 'L':
            c->list_directives = 1;
            break;
        case 'M':
            add_define(c, "DUMP_MODULES");
            c->test = 1;
            break;
        case 'S':
            add_define(c, "DUMP_VHOSTS");
            add_define(c, "DUMP_RUN_CFG");
            c->test = 1;
            break;
        case 'T':
            c->skip_docroot = 1;
            break;
        case 't':
            c->test = 1;
            break;
        case 'v':
            c->show_version = 1;
            break;
        case 'V':
            c->show_settings = 1;
            break;
        case 'X':
            c->one_process = 1;
            add_define(c, "DEBUG");
            break;
        case ':':
            option_error(c,
                         optopt == 'k' ? "illegal option"
                                       : "option requires an argument",
                         optopt);
            break;
        default:
            option_error(c, "illegal option", optopt);
            break;
        }
    }
    if (optind < argc)
        usage(c);
    if (has_define(c, "ONE_PROCESS"))
        c->one_process = 1;
}

static void build_command_line(struct cli *c, int argc, char **argv)
{
    size_t off = 0;
    c->command_line[0] = '\0';
    for (int i = 0; i < argc && off < sizeof(c->command_line) - 1; i++) {
        /* Apache leaves -k ACTION out of the AH00094 line. */
        if (i > 0 && strcmp(argv[i], "-k") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        if (i > 0 && strncmp(argv[i], "-k", 2) == 0 && argv[i][2])
            continue;
        int n = snprintf(c->command_line + off, sizeof(c->command_line) - off,
                         "%s%s", i ? " " : "", argv[i]);
        if (n < 0)
            break;
        off += (size_t)n;
    }
}

static void fill_options(const struct cli *c, conf_options *o)
{
    memset(o, 0, sizeof(*o));
    o->argv0 = c->short_name;
    o->server_root = c->server_root;
    o->conf_file = c->conf_file;
    o->defines = c->defines;
    o->pre_directives = c->pre;
    o->post_directives = c->post;
    o->skip_docroot_check = c->skip_docroot;
    o->generation = 1;
}

/* -V for a build whose MPM is loaded by the configuration: the read phase
 * is enough to know which one (as Apache does, directive errors do not
 * matter here). */
/* With shared MPMs, which one the configuration loads: the read phase is
 * enough (as for Apache's -V and -L, directive errors do not matter).
 * Calls show(mpm, rc) and returns 0, or 1 after printing the error. */
static int with_configured_mpm(const struct cli *c, const conf_options *o,
                               void (*show)(const struct mpm_module *,
                                            const resolved_config *))
{
    if (mpm_static_module != NULL) {
        show(mpm_static_module, NULL);
        return 0;
    }
    diag_sink sink;
    sink_apache_init(&sink, c->short_name, stderr, 0);
    resolved_config *rc = calloc(1, sizeof(*rc));
    if (rc == NULL)
        return 1;
    rc->arena = arena_create(0);
    rc->argv0 = c->short_name;
    conf_modules_init();
    int status = 0;
    if (conf_read(rc, o, &sink) == NULL || sink.errors > 0 ||
        conf_check_mpm_count(rc, &sink) != 0)
        status = 1;
    else
        show(rc->mpm, rc);
    arena_destroy(rc->arena);
    free(rc);
    return status;
}

static void list_directives(const struct mpm_module *mpm,
                            const resolved_config *rc)
{
    (void)rc;
    for (int i = 0; conf_builtin_modules[i] != NULL; i++)
        list_module_directives(conf_builtin_modules[i]);
    if (mpm != NULL)
        list_module_directives(mpm->module);
}

static int any_dump(const struct cli *c)
{
    return has_define(c, "DUMP_VHOSTS") || has_define(c, "DUMP_RUN_CFG") ||
           has_define(c, "DUMP_MODULES") || has_define(c, "DUMP_INCLUDES") ||
           has_define(c, "DUMP_CONFIG");
}

/* -t, -S, -M and -D DUMP_*. */
static int test_config(const struct cli *c, resolved_config *rc)
{
    const char *err;
    /* Apache's order: includes (listed by the read phase as it opened
     * them) and vhosts come before the error log's check, the run
     * settings and modules after it. */
    if (has_define(c, "DUMP_VHOSTS"))
        dump_vhosts(rc);
    fflush(stdout);
    if (log_check(rc, &err) < 0) {
        fprintf(stderr, "%s\nAH00014: Configuration check failed\n", err);
        return 1;
    }
    if (has_define(c, "DUMP_RUN_CFG"))
        dump_run_cfg(c, rc);
    if (has_define(c, "DUMP_MODULES"))
        dump_modules(rc);
    if (has_define(c, "DUMP_CONFIG"))
        conf_dump(rc, stdout);
    fflush(stdout);
    if (!any_dump(c))
        fprintf(stderr, "Syntax OK\n");
    return 0;
}

/* -k stop|restart|graceful|graceful-stop|start: signal the running server
 * through its pid file, with Apache's messages.  Returns -1 when the
 * caller must go on and start the server. */
static int signal_server(const struct cli *c, resolved_config *rc)
{
    long pid = server_read_pid(rc);
    int running = pid > 0 && kill((pid_t)pid, 0) == 0;
    if (c->k == K_START) {
        if (running) {
            printf("%s (pid %ld) already running\n", c->short_name, pid);
            return 0;
        }
        return -1;
    }
    if (!running) {
        if (c->k == K_RESTART || c->k == K_GRACEFUL) {
            printf("%s not running, trying to start\n", c->short_name);
            fflush(stdout);
            return -1;
        }
        if (pid <= 0)
            printf("%s (no pid file) not running\n", c->short_name);
        else
            printf("%s (pid %ld?) not running\n", c->short_name, pid);
        return 0;
    }
    int sig = c->k == K_STOP       ? SIGTERM
              : c->k == K_RESTART  ? SIGHUP
              : c->k == K_GRACEFUL ? SIGUSR1
                                   : SIGWINCH;
    if (kill((pid_t)pid, sig) < 0) {
        fprintf(stderr, "%s: could not send signal to pid %ld: %s\n",
                c->short_name, pid, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct cli c;
    c.argv0 = argv[0] ? argv[0] : "httpd";
    const char *slash = strrchr(c.argv0, '/');
    c.short_name = slash ? slash + 1 : c.argv0;
    build_command_line(&c, argc, argv);
    parse_args(&c, argc, argv);

    if (c.show_version) {
        print_version();
        return 0;
    }
    if (c.list_compiled) {
        list_compiled();
        return 0;
    }
    conf_options o;
    fill_options(&c, &o);
    if (c.show_settings)
        return with_configured_mpm(&c, &o, print_settings);
    if (c.list_directives) {
        conf_modules_init();
        return with_configured_mpm(&c, &o, list_directives);
    }

    int testing = c.test || any_dump(&c);
    o.check_only = testing;
    if (testing) {
        /* the files are listed as they are read, so that a failed read
         * still shows them, before its error, as apache2 does */
        o.include_listing = stdout;
        if (has_define(&c, "DUMP_INCLUDES")) {
            printf("Included configuration files:\n");
            fflush(stdout);
        }
    }
    diag_sink sink;
    sink_apache_init(&sink, c.short_name, stderr, 0);
    resolved_config *rc = conf_load(&o, &sink);
    if (rc == NULL) {
        if (sink.errors == 0)
            fprintf(stderr, "AH00014: Configuration check failed\n");
        return 1;
    }
    if (testing) {
        int status = test_config(&c, rc);
        conf_release(rc);
        return status;
    }
    if (c.k != K_NONE) {
        int status = signal_server(&c, rc);
        if (status >= 0) {
            conf_release(rc);
            return status;
        }
    }
    struct server_options so = {
        .argv0 = c.argv0,
        .short_name = c.short_name,
        .command_line = c.command_line,
        .one_process = c.one_process,
        .foreground = c.one_process || has_define(&c, "FOREGROUND") ||
                      has_define(&c, "NO_DETACH"),
    };
    return server_main(rc, &o, &so);
}
