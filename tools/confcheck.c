/* confcheck.c -- the configuration linter.
 *
 *   confcheck [-d ROOT] [-D NAME] [-C DIRECTIVE] [-c DIRECTIVE] [-T]
 *             [--format=text|json] FILE
 *
 * Runs the same pipeline as httpd (conf_load) with a sink that keeps going
 * and collects every problem, then adds checks of its own that only a
 * linter needs:
 *   - <IfModule> blocks for modules that are never loaded (dead blocks);
 *   - directives of an MPM that is not the one loaded;
 *   - two virtual hosts with the same ServerName on the same address.
 * Undefined ${VAR}s and clamped MPM values come from the pipeline itself.
 * Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage.
 */
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo.h"
#include "conf.h"
#include "mpm.h"
#include "parser.h"
#include "readphase.h"
#include "sinks.h"

#define MAX_ARGS 256

static const char usage_text[] =
    "usage: confcheck [-d ROOT] [-D NAME]... [-C DIRECTIVE]... [-c "
    "DIRECTIVE]...\n"
    "                 [-T] [--format=text|json] FILE\n"
    "\n"
    "Check an Apache httpd 2.4 configuration as httpd-ng reads it and report\n"
    "every problem, not just the first.\n"
    "\n"
    "  -d ROOT            ServerRoot for relative paths (default " HTTPD_PREFIX
    ")\n"
    "  -D NAME[=VALUE]    define NAME for <IfDefine> and ${NAME}\n"
    "  -C DIRECTIVE       process DIRECTIVE before reading FILE\n"
    "  -c DIRECTIVE       process DIRECTIVE after reading FILE\n"
    "  -T                 do not check that DocumentRoot exists\n"
    "  --format=text      file:line:col: severity: message [rule], the source\n"
    "                     line and a caret (default)\n"
    "  --format=json      one JSON array of {file, line, column, severity,\n"
    "                     rule, message, suggestion}\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage "
    "error.\n";

struct options {
    const char *defines[MAX_ARGS + 1];
    int ndefines;
    const char *pre[MAX_ARGS + 1];
    int npre;
    const char *post[MAX_ARGS + 1];
    int npost;
    const char *server_root;
    const char *file;
    int skip_docroot;
    enum sink_format format;
};

static void usage_error(const char *msg, const char *arg)
{
    if (msg != NULL)
        fprintf(stderr, "confcheck: %s%s%s\n", msg, arg ? ": " : "",
                arg ? arg : "");
    fputs(usage_text, stderr);
    exit(2);
}

static const char *take_value(int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (a[2] != '\0')
        return a + 2;
    if (*i + 1 >= argc)
        usage_error("option requires an argument", a);
    return argv[++*i];
}

static void parse_args(struct options *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            exit(0);
        } else if (strncmp(a, "--format=", 9) == 0) {
            if (strcmp(a + 9, "text") == 0)
                o->format = SINK_TEXT;
            else if (strcmp(a + 9, "json") == 0)
                o->format = SINK_JSON;
            else
                usage_error("unknown format (use text or json)", a + 9);
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0)
                usage_error("unknown format (use text or json)", v);
            o->format = strcmp(v, "json") == 0 ? SINK_JSON : SINK_TEXT;
        } else if (strncmp(a, "-d", 2) == 0) {
            o->server_root = take_value(argc, argv, &i);
        } else if (strncmp(a, "-D", 2) == 0) {
            if (o->ndefines < MAX_ARGS)
                o->defines[o->ndefines++] = take_value(argc, argv, &i);
        } else if (strncmp(a, "-C", 2) == 0) {
            if (o->npost < MAX_ARGS)
                o->post[o->npost++] = take_value(argc, argv, &i);
        } else if (strncmp(a, "-c", 2) == 0) {
            if (o->npre < MAX_ARGS)
                o->pre[o->npre++] = take_value(argc, argv, &i);
        } else if (strcmp(a, "-T") == 0) {
            o->skip_docroot = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            usage_error("unknown option", a);
        } else if (o->file != NULL) {
            usage_error("only one configuration file may be given", a);
        } else {
            o->file = a;
        }
    }
    if (o->file == NULL)
        usage_error("no configuration file given", NULL);
}

/* ---- the linter's own scan of the files -------------------------------
 * The pipeline resolves conditionals away; the scan sees the text as
 * written (every branch) to find <IfModule> tests and LoadModule lines. */

struct ifmodule_use {
    const char *name; /* as written, without '!' */
    const conf_node *node;
    int nchildren;
    struct ifmodule_use *outer; /* enclosing <IfModule>, if any */
    int dead;                   /* reported, or inside a reported one */
    struct ifmodule_use *next;
};

/* <VirtualHost> blocks as written, for the duplicate-ServerName check when
 * the pipeline could not produce a resolved configuration. */
struct vhost_use {
    char **addrs;
    int naddrs;
    const char *name; /* ServerName without :port, or NULL */
    const conf_node *node;
    struct vhost_use *next;
};

struct scan {
    arena *a;
    struct vhost_use *vhosts, **vtail;
    const char *server_root;
    const char **loaded; /* LoadModule identifiers */
    int nloaded, capl;
    struct ifmodule_use *uses, **tail;
    const char *visited[256];
    int nvisited;
};

static void scan_file(struct scan *s, const char *path, int depth);

static char *strip_quotes(arena *a, const char *w)
{
    size_t n = strlen(w);
    if (n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0])
        return arena_strndup(a, w + 1, n - 2);
    return arena_strdup(a, w);
}

static void scan_include(struct scan *s, const char *arg, int depth)
{
    if (strstr(arg, "${") != NULL)
        return;
    const char *path =
        arg[0] == '/' ? arg : arena_printf(s->a, "%s/%s", s->server_root, arg);
    glob_t g;
    if (glob(path, 0, NULL, &g) != 0)
        return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct stat st;
        if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode))
            scan_include(s, arena_printf(s->a, "%s/*", g.gl_pathv[i]),
                         depth + 1);
        else
            scan_file(s, arena_strdup(s->a, g.gl_pathv[i]), depth + 1);
    }
    globfree(&g);
}

static void scan_vhost(struct scan *s, const conf_node *n, char **argv,
                       int argc)
{
    struct vhost_use *v = arena_calloc(s->a, sizeof(*v));
    v->node = n;
    v->addrs = arena_alloc(s->a, sizeof(char *) * (size_t)(argc + 1));
    for (int i = 0; i < argc; i++) {
        char *w = strip_quotes(s->a, argv[i]);
        size_t len = strlen(w);
        if (len > 0 && w[len - 1] == '>')
            w[--len] = '\0';
        if (len == 0)
            continue;
        if (strncasecmp(w, "_default_", 9) == 0) /* same as "*" */
            w = arena_printf(s->a, "*%s", w + 9);
        else if (strchr(w, ':') == NULL || (w[0] == '[' && w[len - 1] == ']'))
            w = arena_printf(s->a, "%s:*", w);
        for (char *c = w; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        v->addrs[v->naddrs++] = w;
    }
    for (const conf_node *c = n->first_child; c != NULL; c = c->next) {
        char **av;
        if (c->is_section || strcasecmp(c->name, "ServerName") != 0 ||
            c->args == NULL || conf_split_args(s->a, c->args, &av, NULL) < 1)
            continue;
        char *name = strip_quotes(s->a, av[0]);
        char *scheme = strstr(name, "://");
        if (scheme != NULL)
            name = scheme + 3;
        char *colon = strrchr(name, ':');
        if (colon != NULL && strchr(name, ']') < colon)
            *colon = '\0';
        v->name = name;
    }
    *s->vtail = v;
    s->vtail = &v->next;
}

static void scan_nodes(struct scan *s, const conf_node *n, int depth,
                       struct ifmodule_use *outer)
{
    for (; n != NULL; n = n->next) {
        struct ifmodule_use *inner = NULL;
        char **argv = NULL;
        int argc = n->args ? conf_split_args(s->a, n->args, &argv, NULL) : 0;
        if (!n->is_section && (strcasecmp(n->name, "Include") == 0 ||
                               strcasecmp(n->name, "IncludeOptional") == 0)) {
            if (argc >= 1)
                scan_include(s, strip_quotes(s->a, argv[argc - 1]), depth);
        } else if (!n->is_section && strcasecmp(n->name, "LoadModule") == 0) {
            if (argc >= 1 && s->nloaded < 4096) {
                if (s->nloaded == s->capl) {
                    s->capl = s->capl ? s->capl * 2 : 16;
                    const char **l =
                        arena_alloc(s->a, sizeof(*l) * (size_t)s->capl);
                    if (s->nloaded)
                        memcpy(l, s->loaded, sizeof(*l) * (size_t)s->nloaded);
                    s->loaded = l;
                }
                s->loaded[s->nloaded++] = strip_quotes(s->a, argv[0]);
            }
        } else if (n->is_section && strcasecmp(n->name, "IfModule") == 0 &&
                   argc >= 1) {
            char *name = strip_quotes(s->a, argv[0]);
            size_t len = strlen(name);
            if (len > 0 && name[len - 1] == '>')
                name[len - 1] = '\0';
            if (name[0] != '!' && name[0] != '\0') {
                struct ifmodule_use *u = arena_calloc(s->a, sizeof(*u));
                u->name = name;
                u->node = n;
                u->outer = outer;
                inner = u;
                for (const conf_node *c = n->first_child; c != NULL;
                     c = c->next)
                    u->nchildren++;
                *s->tail = u;
                s->tail = &u->next;
            }
        }
        if (n->is_section && strcasecmp(n->name, "VirtualHost") == 0)
            scan_vhost(s, n, argv, argc);
        if (n->is_section)
            scan_nodes(s, n->first_child, depth, inner ? inner : outer);
    }
}

static void scan_file(struct scan *s, const char *path, int depth)
{
    if (depth > 32 || s->nvisited >= 256)
        return;
    for (int i = 0; i < s->nvisited; i++)
        if (strcmp(s->visited[i], path) == 0)
            return;
    s->visited[s->nvisited++] = path;
    diag_sink quiet = {.keep_going = 1};
    conf_node *root = conf_parse_file(s->a, path, &quiet);
    if (root != NULL)
        scan_nodes(s, root->first_child, depth, NULL);
}

/* ---- module names ------------------------------------------------------ */

static const char *const mpm_names[] = {"prefork", "worker", "event"};

/* Every name <IfModule> could mean for a known module, for suggestions. */
static int known_module_names(arena *a, const char ***out)
{
    int n = 0;
    const char **v = arena_alloc(a, sizeof(*v) * 128);
    for (int i = 0; conf_builtin_modules[i] != NULL; i++) {
        v[n++] = conf_builtin_modules[i]->name;
        v[n++] = conf_builtin_modules[i]->file;
    }
    for (int i = 0; i < 3; i++) {
        v[n++] = arena_printf(a, "mpm_%s_module", mpm_names[i]);
        v[n++] = arena_printf(a, "%s.c", mpm_names[i]);
        v[n++] = arena_printf(a, "mod_mpm_%s.c", mpm_names[i]);
    }
    *out = v;
    return n;
}

/* Does an <IfModule> argument name the module with LoadModule id `id`? */
static int names_module(const char *name, const char *id)
{
    if (strcmp(name, id) == 0)
        return 1;
    size_t len = strlen(id);
    if (len < 8 || strcmp(id + len - 7, "_module") != 0)
        return 0;
    char base[128];
    snprintf(base, sizeof(base), "%.*s", (int)(len - 7), id);
    char file[160];
    snprintf(file, sizeof(file), "mod_%s.c", base);
    if (strcmp(name, file) == 0)
        return 1;
    if (strncmp(base, "mpm_", 4) == 0) {
        snprintf(file, sizeof(file), "%s.c", base + 4);
        return strcmp(name, file) == 0;
    }
    return 0;
}

static const char *mpm_of_name(const char *name)
{
    for (int i = 0; i < 3; i++) {
        char id[64];
        snprintf(id, sizeof(id), "mpm_%s_module", mpm_names[i]);
        if (names_module(name, id))
            return mpm_names[i];
    }
    return NULL;
}

static int is_loaded(const struct scan *s, const resolved_config *rc,
                     const char *name)
{
    for (int i = 0; conf_builtin_modules[i] != NULL; i++)
        if (strcmp(name, conf_builtin_modules[i]->name) == 0 ||
            strcmp(name, conf_builtin_modules[i]->file) == 0)
            return 1;
    if (mpm_static_module != NULL && mpm_static_module->module != NULL &&
        names_module(name, mpm_static_module->module->name))
        return 1;
    for (int i = 0; i < s->nloaded; i++)
        if (names_module(name, s->loaded[i]))
            return 1;
    return rc != NULL && conf_find_loaded_module(rc, name) != NULL;
}

/* The MPM this configuration runs, by name, or NULL. */
static const char *running_mpm(const struct scan *s, const resolved_config *rc)
{
    if (rc != NULL && rc->mpm != NULL)
        return rc->mpm->name;
    if (mpm_static_module != NULL)
        return mpm_static_module->name;
    for (int i = 0; i < s->nloaded; i++) {
        const char *m = mpm_of_name(s->loaded[i]);
        if (m != NULL)
            return m;
    }
    return NULL;
}

static void check_ifmodules(diag_sink *sink, struct scan *s,
                            const resolved_config *rc)
{
    const char **known;
    int nknown = known_module_names(s->a, &known);
    const char *running = running_mpm(s, rc);
    for (struct ifmodule_use *u = s->uses; u != NULL; u = u->next) {
        /* Uses come outer before inner: inside a dead block, say nothing
         * more (its contents are already reported as ignored). */
        if (u->outer != NULL && u->outer->dead) {
            u->dead = 1;
            continue;
        }
        if (is_loaded(s, rc, u->name))
            continue;
        u->dead = 1;
        const char *mpm = mpm_of_name(u->name);
        char msg[512];
        const char *suggestion = NULL;
        const char *rule = "ifmodule-not-loaded";
        if (mpm != NULL) {
            rule = "mpm-not-loaded";
            snprintf(
                msg, sizeof(msg),
                "<IfModule %s> is for the %s MPM, which is not loaded%s%s%s: "
                "the %d directive%s inside %s ignored",
                u->name, mpm, running ? " (this configuration runs " : "",
                running ? running : "", running ? ")" : "", u->nchildren,
                u->nchildren == 1 ? "" : "s", u->nchildren == 1 ? "is" : "are");
        } else {
            int isknown = 0;
            for (int i = 0; i < nknown; i++)
                isknown |= strcmp(known[i], u->name) == 0;
            if (!isknown)
                suggestion = diag_suggest(u->name, known, nknown);
            snprintf(msg, sizeof(msg),
                     "<IfModule %s> tests a module that is never loaded: "
                     "the %d directive%s inside %s ignored",
                     u->name, u->nchildren, u->nchildren == 1 ? "" : "s",
                     u->nchildren == 1 ? "is" : "are");
        }
        char sug[256];
        if (suggestion != NULL)
            snprintf(sug, sizeof(sug), "did you mean %s?", suggestion);
        struct diag d = {
            .severity = DIAG_WARNING,
            .phase = DIAG_LOG,
            .file = u->node->file,
            .line = u->node->line,
            .col = u->node->col,
            .rule = rule,
            .module = "confcheck",
            .message = msg,
            .suggestion = suggestion ? sug : NULL,
        };
        sink_report_add(sink, &d);
    }
}

/* Two virtual hosts answering the same name on the same address: the
 * second can never be reached under that name. */
static int same_address(const server_conf *a, const server_conf *b, char *buf,
                        size_t size)
{
    for (const vhost_addr *x = a->addrs; x != NULL; x = x->next)
        for (const vhost_addr *y = b->addrs; y != NULL; y = y->next) {
            int xw = !strcmp(x->host, "*") || !strcasecmp(x->host, "_default_");
            int yw = !strcmp(y->host, "*") || !strcasecmp(y->host, "_default_");
            if (xw == yw && (xw || strcasecmp(x->host, y->host) == 0) &&
                x->port == y->port) {
                if (x->port)
                    snprintf(buf, size, "%s:%d", xw ? "*" : x->host, x->port);
                else
                    snprintf(buf, size, "%s:*", xw ? "*" : x->host);
                return 1;
            }
        }
    return 0;
}

static void report_duplicate(diag_sink *sink, const char *name,
                             const char *addr, const char *file, int line,
                             const char *rfile, int rline)
{
    char msg[512];
    snprintf(msg, sizeof(msg),
             "ServerName %s is used by two virtual hosts on %s: requests "
             "for it always go to the first one",
             name, addr);
    struct diag d = {
        .severity = DIAG_WARNING,
        .phase = DIAG_LOG,
        .file = file,
        .line = line,
        .col = 1,
        .rule = "duplicate-servername",
        .module = "confcheck",
        .message = msg,
        .related_file = rfile,
        .related_line = rline,
    };
    sink_report_add(sink, &d);
}

/* Without a resolved configuration: the blocks as written. */
static void check_duplicate_names_raw(diag_sink *sink, const struct scan *s)
{
    for (const struct vhost_use *b = s->vhosts; b != NULL; b = b->next) {
        if (b->name == NULL)
            continue;
        for (const struct vhost_use *a = s->vhosts; a != b; a = a->next) {
            const char *addr = NULL;
            if (a->name == NULL || strcasecmp(a->name, b->name) != 0)
                continue;
            for (int i = 0; i < a->naddrs && !addr; i++)
                for (int j = 0; j < b->naddrs && !addr; j++)
                    if (strcmp(a->addrs[i], b->addrs[j]) == 0)
                        addr = a->addrs[i];
            if (addr == NULL)
                continue;
            report_duplicate(sink, b->name, addr, b->node->file, b->node->line,
                             a->node->file, a->node->line);
            break;
        }
    }
}

static void check_duplicate_names(diag_sink *sink, const resolved_config *rc,
                                  const struct scan *s)
{
    if (rc == NULL) {
        check_duplicate_names_raw(sink, s);
        return;
    }
    for (const server_conf *b = rc->vhosts; b != NULL; b = b->next) {
        if (b->server_name == NULL)
            continue;
        for (const server_conf *a = rc->vhosts; a != b; a = a->next) {
            char addr[160];
            if (a->server_name == NULL ||
                strcasecmp(a->server_name, b->server_name) != 0 ||
                !same_address(a, b, addr, sizeof(addr)))
                continue;
            report_duplicate(sink, b->server_name, addr, b->defn_file,
                             b->defn_line, a->defn_file, a->defn_line);
            break;
        }
    }
}

/* ---- MPM directives outside their MPM --------------------------------- */

struct mpm_directive {
    const char *name;
    unsigned mpms; /* 1 prefork 2 worker 4 event */
};
static const struct mpm_directive mpm_directives[] = {
    {"StartServers", 7},
    {"ServerLimit", 7},
    {"MaxRequestWorkers", 7},
    {"MaxClients", 7},
    {"MinSpareServers", 1},
    {"MaxSpareServers", 1},
    {"ThreadsPerChild", 6},
    {"ThreadLimit", 6},
    {"MinSpareThreads", 6},
    {"MaxSpareThreads", 6},
    {"AsyncRequestWorkerFactor", 4},
};

struct filter_state {
    diag_sink inner;
    const char *running;
};

static void filter_emit(diag_sink *sink, const struct diag *d)
{
    struct filter_state *f = sink->ctx;
    const char *q;
    char name[128], hint[512];
    struct diag copy = *d;
    if (d->message != NULL &&
        strncmp(d->message, "Invalid command '", 17) == 0 &&
        (q = strchr(d->message + 17, '\'')) != NULL &&
        q - d->message - 17 < 127) {
        snprintf(name, sizeof(name), "%.*s", (int)(q - d->message - 17),
                 d->message + 17);
        for (size_t i = 0;
             i < sizeof(mpm_directives) / sizeof(mpm_directives[0]); i++) {
            if (strcasecmp(name, mpm_directives[i].name) != 0)
                continue;
            char list[64] = "";
            for (int m = 0; m < 3; m++)
                if (mpm_directives[i].mpms & (1u << m))
                    snprintf(list + strlen(list), sizeof(list) - strlen(list),
                             "%s%s", list[0] ? "/" : "", mpm_names[m]);
            snprintf(hint, sizeof(hint),
                     "%s belongs to the %s MPM%s; this configuration runs %s "
                     "(put it inside <IfModule> for its MPM, or remove it)",
                     mpm_directives[i].name, list, strchr(list, '/') ? "s" : "",
                     f->running ? f->running : "another MPM");
            copy.suggestion = hint;
            copy.rule = "mpm-directive-not-loaded";
            break;
        }
    }
    diag_emit(&f->inner, &copy);
}

/* ---- main ---------------------------------------------------------------- */

static const char *absolute(const char *path)
{
    static char buf[PATH_MAX];
    if (path[0] == '/')
        return path;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return path;
    size_t n = strlen(cwd);
    if (n + 1 + strlen(path) >= sizeof(buf))
        return path;
    memcpy(buf, cwd, n);
    buf[n] = '/';
    strcpy(buf + n + 1, path);
    return buf;
}

int main(int argc, char **argv)
{
    static struct options o;
    o.format = SINK_TEXT;
    parse_args(&o, argc, argv);

    conf_options co;
    memset(&co, 0, sizeof(co));
    co.argv0 = "httpd";
    co.server_root = o.server_root;
    co.conf_file = absolute(o.file);
    co.defines = o.defines;
    co.pre_directives = o.pre;
    co.post_directives = o.post;
    co.skip_docroot_check = o.skip_docroot;
    co.check_only = 1;
    co.generation = 1;

    struct filter_state filter;
    sink_report *report = sink_report_new(&filter.inner, o.format);
    if (report == NULL)
        return 2;
    struct scan s;
    memset(&s, 0, sizeof(s));
    s.a = arena_create(0);
    s.tail = &s.uses;
    s.vtail = &s.vhosts;
    s.server_root = o.server_root ? o.server_root : HTTPD_PREFIX;
    scan_file(&s, co.conf_file, 0);
    filter.running = running_mpm(&s, NULL);

    diag_sink sink = {.emit = filter_emit, .ctx = &filter, .keep_going = 1};
    resolved_config *rc = conf_load(&co, &sink);
    if (rc != NULL && rc->server_root != NULL)
        s.server_root = rc->server_root;

    check_ifmodules(&filter.inner, &s, rc);
    check_duplicate_names(&filter.inner, rc, &s);

    int errors = sink_report_finish(report, stdout,
                                    o.format == SINK_JSON ? stderr : stdout);
    if (rc == NULL && errors == 0 && sink.errors == 0) {
        /* The pipeline refused the configuration without saying why. */
        fprintf(stderr, "confcheck: the configuration could not be loaded\n");
        errors = 1;
    }
    sink_report_free(report);
    if (rc != NULL)
        conf_release(rc);
    arena_destroy(s.a);
    return errors > 0 ? 1 : 0;
}
