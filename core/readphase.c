/* readphase.c -- Apache's EXEC_ON_READ stage; see readphase.h.
 *
 * The main file is parsed in deferred mode (structural errors stay in the
 * tree where they were found) and walked once, in document order, without
 * recursion on the tree: each node is kept, descended into, removed or
 * replaced by its children or by an included file's nodes.  Included files
 * are read and processed when their Include line is reached, so Define,
 * ${VAR} and conditionals see exactly what Apache sees at that point, and
 * errors come out in Apache's order.
 *
 * Behaviour checked against apache2 -t 2.4.71 (see tests/check_readphase.c):
 *   - a read-time error inside an included file is reported at the
 *     outermost Include line as "Syntax error on line N of FILE: ..." chains;
 *   - a true conditional's body ends silently at end of file; a false one
 *     reports "Expected </X> before end of configuration" (X innermost);
 *   - a closer for another section inside a true conditional is
 *     "</X> without matching <X> section", inside a false one
 *     "Expected </Cond> but saw </X>" (Apache's soak rules);
 *   - <IfDefine>/<IfModule> take their argument raw (quotes are not
 *     removed), <IfModule> matches "event.c" and "mpm_event_module" but not
 *     "mod_mpm_event.c".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo.h"
#include "conf_regex.h"
#include "mpm.h"
#include "readphase.h"
#include "registry.h"
#include "version.h"

#define MAX_INCLUDE_DEPTH 128
/* The name Apache gives the -C and -c directives in messages. */
#define CMDLINE_FILE "-c/-C directives"

/* ---- state ---------------------------------------------------------- */

typedef struct define_slot {
    const char *name;
    size_t len;
    unsigned hash;
    const char *value;
    int defined;
    struct define_slot *next;      /* hash chain */
    struct define_slot *next_made; /* creation order */
} define_slot;

typedef struct inc_frame {
    const char *file; /* where the Include directive is */
    int line;
    const char *target; /* the file it includes */
    struct inc_frame *up;
} inc_frame;

typedef struct read_ctx {
    resolved_config *rc;
    const conf_options *opts;
    diag_sink *diag;
    arena *a;
    int depth;      /* included files being processed */
    inc_frame *inc; /* innermost Include, NULL in the main file */
    int stop;
    define_slot **defs;     /* hash table of Defines */
    unsigned ndefs_buckets; /* a power of two */
    unsigned ndefs;
    define_slot *made_first, *made_last; /* every name, creation order */
    int htaccess; /* reading an access file at request time */
    int override; /* its AllowOverride bits */
    const char *const *override_list;
    const char *claimed[MODULE_MAX]; /* builtins named by LoadModule */
    int nclaimed;
    include_entry **includes_tail; /* rc->includes, appended as read */
    int last_include_line; /* of the last Include run, for DUMP_INCLUDES */
} read_ctx;

/* What to do with a node once looked at. */
enum node_action { KEEP, DESCEND, REMOVE, SPLICE_CHILDREN, REPLACE };

/* Per-file end-of-file bookkeeping (Apache's "was not closed"). */
typedef struct file_state {
    int silent;           /* inside an unclosed true conditional */
    conf_node **unclosed; /* outermost first (arena, grows) */
    int nunclosed, cap_unclosed;
    conf_node *first_unclosed;
} file_state;

/* ---- reporting ------------------------------------------------------ */

/* A read-time error at file:line.  Inside included files Apache reports
 * it at the outermost Include with a chain of "Syntax error on line N of
 * FILE: " prefixes; the real location goes in related_file/line. */
static void read_error_at(read_ctx *ctx, const char *file, int line, int col,
                          const char *rule, const char *msg,
                          const char *suggestion)
{
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_READ,
        .file = file,
        .line = line,
        .col = col,
        .rule = rule,
        .module = "core",
        .message = msg,
        .suggestion = suggestion,
    };
    if (ctx->inc != NULL) {
        inc_frame *outer = ctx->inc;
        int n = 0;
        for (inc_frame *f = ctx->inc; f != NULL; f = f->up, n++)
            outer = f;
        /* frames from inner to outer; build prefixes outer to inner */
        inc_frame **chain = arena_alloc(ctx->a, sizeof(*chain) * (size_t)n);
        int i = n;
        for (inc_frame *f = ctx->inc; f != NULL; f = f->up)
            chain[--i] = f;
        size_t cap = strlen(msg) + 64 + (size_t)n * 64;
        for (int k = 1; k < n; k++)
            cap += strlen(chain[k]->file);
        cap += strlen(file);
        char *buf = arena_alloc(ctx->a, cap), *p = buf;
        for (int k = 1; k < n; k++)
            p += sprintf(p, "Syntax error on line %d of %s: ", chain[k]->line,
                         chain[k]->file);
        sprintf(p, "Syntax error on line %d of %s: %s", line, file, msg);
        d.file = outer->file;
        d.line = outer->line;
        d.col = 0;
        d.message = buf;
        d.related_file = file;
        d.related_line = line;
    }
    if (d.file != NULL && strcmp(d.file, CMDLINE_FILE) == 0) {
        /* apache2: "Syntax error in -C/-c directive: MSG", no line */
        d.phase = DIAG_GLOBAL;
        d.message = arena_printf(ctx->a,
                                 "%s: Syntax error in -C/-c "
                                 "directive: %s",
                                 ctx->rc->argv0, d.message);
    }
    diag_emit(ctx->diag, &d);
    if (diag_should_stop(ctx->diag))
        ctx->stop = 1;
}

static void read_error(read_ctx *ctx, const conf_node *n, const char *rule,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void read_error(read_ctx *ctx, const conf_node *n, const char *rule,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(ctx->a, fmt, ap);
    va_end(ap);
    read_error_at(ctx, n->file, n->line, n->col, rule, msg, NULL);
}

static void read_warn(read_ctx *ctx, const char *module, const conf_node *n,
                      const char *rule, const char *msg)
{
    diag_warnf(ctx->diag, DIAG_LOG, module, n ? n->file : NULL, n ? n->line : 0,
               n ? n->col : 0, rule, "%s", msg);
}

/* ---- Defines and ${VAR} --------------------------------------------- */

static unsigned name_hash(const char *s, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static define_slot *def_find(read_ctx *ctx, const char *name, size_t len)
{
    unsigned h = name_hash(name, len);
    for (define_slot *d = ctx->defs[h & (ctx->ndefs_buckets - 1)]; d != NULL;
         d = d->next)
        if (d->hash == h && d->len == len && memcmp(d->name, name, len) == 0)
            return d;
    return NULL;
}

/* Keep chains short however many Defines a configuration makes. */
static void def_grow(read_ctx *ctx)
{
    unsigned n = ctx->ndefs_buckets * 4;
    define_slot **v = arena_calloc(ctx->a, sizeof(*v) * n);
    for (define_slot *d = ctx->made_first; d != NULL; d = d->next_made) {
        d->next = v[d->hash & (n - 1)];
        v[d->hash & (n - 1)] = d;
    }
    ctx->defs = v;
    ctx->ndefs_buckets = n;
}

static void def_set(read_ctx *ctx, const char *name, const char *value)
{
    size_t len = strlen(name);
    define_slot *d = def_find(ctx, name, len);
    if (d == NULL) {
        if (++ctx->ndefs > ctx->ndefs_buckets)
            def_grow(ctx);
        d = arena_calloc(ctx->a, sizeof(*d));
        d->name = arena_memdup(ctx->a, name, len);
        d->len = len;
        d->hash = name_hash(name, len);
        unsigned b = d->hash & (ctx->ndefs_buckets - 1);
        d->next = ctx->defs[b];
        ctx->defs[b] = d;
        if (ctx->made_last)
            ctx->made_last->next_made = d;
        else
            ctx->made_first = d;
        ctx->made_last = d;
    }
    d->defined = 1;
    if (value != NULL)
        d->value = arena_strdup(ctx->a, value);
}

static void def_unset(read_ctx *ctx, const char *name)
{
    define_slot *d = def_find(ctx, name, strlen(name));
    if (d != NULL) {
        d->defined = 0;
        d->value = NULL;
    }
}

static int def_exists(read_ctx *ctx, const char *name)
{
    define_slot *d = def_find(ctx, name, strlen(name));
    return d != NULL && d->defined;
}

/* The next "${" in s, or NULL (strchr is the faster scan). */
static const char *find_var(const char *s)
{
    while ((s = strchr(s, '$')) != NULL && s[1] != '{')
        s++;
    return s;
}

/* Apache's ap_resolve_env(): ${NAME} from Define values, then the
 * environment; an unknown one stays as written, with AH00111. */
static const char *subst(read_ctx *ctx, const char *s, const conf_node *n)
{
    const char *p = find_var(s);
    if (p == NULL)
        return s;
    size_t cap = strlen(s) + 64, len = 0;
    char *out = malloc(cap);
    if (out == NULL)
        abort();
#define PUT(src, k)                                                            \
    do {                                                                       \
        size_t k_ = (k);                                                       \
        while (len + k_ + 1 > cap) {                                           \
            cap *= 2;                                                          \
            char *no_ = realloc(out, cap);                                     \
            if (no_ == NULL)                                                   \
                abort();                                                       \
            out = no_;                                                         \
        }                                                                      \
        memcpy(out + len, (src), k_);                                          \
        len += k_;                                                             \
    } while (0)
    const char *q = s;
    while ((p = find_var(q)) != NULL) {
        const char *end = strchr(p + 2, '}');
        if (end == NULL)
            break;
        PUT(q, (size_t)(p - q));
        size_t nlen = (size_t)(end - p - 2);
        define_slot *d = def_find(ctx, p + 2, nlen);
        const char *val = NULL;
        if (d != NULL && d->defined && d->value != NULL) {
            val = d->value;
        } else {
            char *name = arena_strndup(ctx->a, p + 2, nlen);
            val = getenv(name);
        }
        if (val != NULL) {
            PUT(val, strlen(val));
        } else {
            char *msg = arena_printf(ctx->a,
                                     "AH00111: Config variable ${%.*s} is "
                                     "not defined",
                                     (int)nlen, p + 2);
            read_warn(ctx, "core", n, "undefined-variable", msg);
            PUT(p, (size_t)(end - p + 1));
        }
        q = end + 1;
    }
    PUT(q, strlen(q));
#undef PUT
    out[len] = '\0';
    char *res = arena_strndup(ctx->a, out, len);
    free(out);
    return res;
}

/* Substitute in a node's name and args, as Apache does on the whole line
 * before taking the name. */
static void subst_node(read_ctx *ctx, conf_node *n)
{
    const char *args = subst(ctx, n->args, n);
    if (find_var(n->name) != NULL) {
        const char *line = subst(
            ctx, arena_strcat(ctx->a, n->name, " ", args, (char *)NULL), n);
        const char *rest = line;
        arena *a = ctx->a;
        /* the name is the first word by Apache's rules */
        char **argv;
        if (conf_split_args(a, line, &argv, NULL) > 0) {
            size_t wl = 0;
            while (rest[wl] && rest[wl] != ' ' && rest[wl] != '\t')
                wl++;
            n->name = argv[0];
            rest += wl;
            while (*rest == ' ' || *rest == '\t')
                rest++;
            args = rest;
        }
    }
    n->args = args;
}

/* ---- helpers --------------------------------------------------------- */

/* Apache's ap_server_root_relative(): relative to ServerRoot, with "//",
 * "/./" and "/../" folded (names in messages and -D DUMP_INCLUDES come
 * out folded, as Apache's do). */
static const char *root_relative(read_ctx *ctx, const char *path)
{
    if (path[0] != '/' && ctx->rc->server_root == NULL)
        return path;
    cmd_parms tmp = {.arena = ctx->a, .rc = ctx->rc};
    return conf_server_root_relative(&tmp, path);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const command_rec *read_cmd(const char *name);

/* Argument words of a directive, checked against its command_rec.
 * Returns argc, or -1 after reporting Apache's count message. */
static int directive_args(read_ctx *ctx, conf_node *n, char ***argv)
{
    int argc = conf_split_args(ctx->a, n->args, argv, NULL);
    const command_rec *c = read_cmd(
        n->is_section ? arena_strcat(ctx->a, "<", n->name, (char *)NULL)
                      : n->name);
    const char *err = c ? conf_args_error(ctx->a, c, argc) : NULL;
    if (err == NULL && c != NULL && c->args_how != RAW_ARGS) {
        /* an empty quoted word counts as missing */
        int need = c->args_how == TAKE2 ? 2 : 1;
        for (int i = 0; i < need && i < argc; i++)
            if ((*argv)[i][0] == '\0')
                err = conf_args_error(ctx->a, c, 0);
    }
    if (err != NULL) {
        read_error(ctx, n, "arguments", "%s", err);
        return -1;
    }
    return argc;
}

/* The argument of a conditional section, up to its last '>', raw. */
static const char *section_arg(read_ctx *ctx, conf_node *n, const char *label)
{
    const char *gt = strrchr(n->args, '>');
    if (gt == NULL) {
        read_error(ctx, n, "section-syntax",
                   "<%s> directive missing closing '>'", label);
        return NULL;
    }
    return arena_strndup(ctx->a, n->args, (size_t)(gt - n->args));
}

/* ---- Include --------------------------------------------------------- */

static conf_node *process_file(read_ctx *ctx, const char *path,
                               const conf_node *inc, int *failed,
                               const struct stat *known);

typedef struct node_list {
    conf_node *head, *tail;
} node_list;

static void list_add_tree(node_list *l, conf_node *root)
{
    if (root == NULL || root->first_child == NULL)
        return;
    if (l->tail)
        l->tail->next = root->first_child;
    else
        l->head = root->first_child;
    l->tail = root->last_child;
}

static int has_wildcard(const char *s)
{
    for (; *s; s++) {
        if (*s == '*' || *s == '?')
            return 1;
        if (*s == '[' && strchr(s + 1, ']') != NULL)
            return 1;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir (without . and ..) matching pattern (NULL: all). */
static int list_dir(read_ctx *ctx, const char *dir, const char *pattern,
                    char ***names, int *err)
{
    DIR *d = opendir(dir);
    int n = 0, cap = 16;
    char **v = malloc(sizeof(char *) * (size_t)cap);
    struct dirent *e;
    if (v == NULL)
        abort();
    *err = 0;
    if (d == NULL) {
        *err = errno;
        free(v);
        *names = NULL;
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (pattern && fnmatch(pattern, e->d_name, FNM_PERIOD) != 0)
            continue;
        if (n == cap) {
            cap *= 2;
            char **nv = realloc(v, sizeof(char *) * (size_t)cap);
            if (nv == NULL)
                abort();
            v = nv;
        }
        v[n++] = arena_strdup(ctx->a, e->d_name);
    }
    closedir(d);
    qsort(v, (size_t)n, sizeof(char *), cmp_names);
    *names = v;
    return n;
}

static int include_path(read_ctx *ctx, const conf_node *inc, const char *path,
                        int optional, node_list *out);

/* A directory: every file in it, recursively, in sorted order. */
static int include_dir(read_ctx *ctx, const conf_node *inc, const char *dir,
                       int optional, node_list *out)
{
    char **names;
    int err;
    int n = list_dir(ctx, dir, NULL, &names, &err);
    if (err != 0) {
        read_error(ctx, inc, "include-failed",
                   "Could not open config directory %s: %s", dir,
                   strerror(err));
        return -1;
    }
    int rv = 0;
    size_t dl = strlen(dir);
    const char *sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
    for (int i = 0; i < n && !ctx->stop; i++) {
        const char *p = arena_strcat(ctx->a, dir, sep, names[i], (char *)NULL);
        if (include_path(ctx, inc, p, optional, out) < 0)
            rv = -1;
    }
    free(names);
    return rv;
}

/* path with a wildcard in some component. */
static int include_glob(read_ctx *ctx, const conf_node *inc, const char *path,
                        int optional, node_list *out)
{
    /* split at the first component holding a wildcard */
    const char *comp = path, *p = path;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t clen = slash ? (size_t)(slash - p) : strlen(p);
        char *c = arena_strndup(ctx->a, p, clen);
        if (has_wildcard(c)) {
            comp = p;
            break;
        }
        if (!slash) {
            comp = NULL;
            break;
        }
        p = slash + 1;
    }
    if (comp == NULL)
        return include_path(ctx, inc, path, optional, out);
    const char *slash = strchr(comp, '/');
    char *pattern = arena_strndup(
        ctx->a, comp, slash ? (size_t)(slash - comp) : strlen(comp));
    const char *rest = slash ? slash + 1 : NULL;
    char *dir = comp > path
                    ? arena_strndup(ctx->a, path, (size_t)(comp - path - 1))
                    : arena_strdup(ctx->a, ".");
    if (*dir == '\0')
        dir = "/";
    char **names;
    int err;
    int n = list_dir(ctx, dir, pattern, &names, &err);
    if (err != 0) {
        if (optional)
            return 0;
        read_error(ctx, inc, "include-failed",
                   "Include/IncludeOptional: Could not open directory %s: %s",
                   dir, strerror(err));
        return -1;
    }
    if (n == 0) {
        free(names);
        if (optional)
            return 0;
        read_error(ctx, inc, "include-no-match",
                   "Include/IncludeOptional: No matches for the wildcard "
                   "'%s' in '%s', failing",
                   pattern, dir);
        return -1;
    }
    int rv = 0;
    for (int i = 0; i < n && !ctx->stop; i++) {
        const char *base = strcmp(dir, "/") == 0 ? "" : dir;
        const char *p2 =
            arena_strcat(ctx->a, base, "/", names[i], (char *)NULL);
        /* a slash after the wildcard component: directories only */
        if (rest != NULL && !is_dir(p2))
            continue;
        if (rest != NULL && *rest != '\0') {
            p2 = arena_strcat(ctx->a, p2, "/", rest, (char *)NULL);
            if (include_glob(ctx, inc, p2, optional, out) < 0)
                rv = -1;
        } else if (include_path(ctx, inc, p2, optional, out) < 0) {
            rv = -1;
        }
    }
    free(names);
    return rv;
}

static int include_path(read_ctx *ctx, const conf_node *inc, const char *path,
                        int optional, node_list *out)
{
    if (ctx->stop)
        return -1;
    if (has_wildcard(path))
        return include_glob(ctx, inc, path, optional, out);
    struct stat st;
    int have_st = stat(path, &st) == 0;
    if (have_st && S_ISDIR(st.st_mode))
        return include_dir(ctx, inc, path, optional, out);
    if (optional && !have_st)
        return 0;
    int failed = 0;
    conf_node *root =
        process_file(ctx, path, inc, &failed, have_st ? &st : NULL);
    list_add_tree(out, root);
    return failed ? -1 : 0;
}

static enum node_action do_include(read_ctx *ctx, conf_node *n, node_list *out)
{
    char **argv;
    if (directive_args(ctx, n, &argv) < 0)
        return REMOVE;
    int optional = strcasecmp(n->name, "IncludeOptional") == 0;
    ctx->last_include_line = n->line;
    if (ctx->depth >= MAX_INCLUDE_DEPTH) {
        const char *target = root_relative(ctx, argv[0]);
        const char *sugg = NULL;
        for (inc_frame *f = ctx->inc; f != NULL; f = f->up)
            if (strcmp(f->target, target) == 0)
                sugg = arena_printf(ctx->a,
                                    "%s includes itself (include "
                                    "cycle through line %d of %s)",
                                    target, n->line, n->file);
        read_error_at(ctx, n->file, n->line, n->col, "include-depth",
                      "Exceeded maximum include depth of 128, There appears "
                      "to be a recursion.",
                      sugg);
        return REMOVE;
    }
    include_path(ctx, n, root_relative(ctx, argv[0]), optional, out);
    return out->head ? REPLACE : REMOVE;
}

/* ---- Define / UnDefine / ServerRoot --------------------------------- */

static enum node_action do_define(read_ctx *ctx, conf_node *n)
{
    char **argv;
    int argc = directive_args(ctx, n, &argv);
    if (argc < 0)
        return REMOVE;
    if (strchr(argv[0], ':') != NULL) {
        read_error(ctx, n, "define-name", "Variable name must not contain ':'");
        return REMOVE;
    }
    if (strcasecmp(n->name, "UnDefine") == 0)
        def_unset(ctx, argv[0]);
    else
        def_set(ctx, argv[0], argc > 1 ? argv[1] : NULL);
    return REMOVE;
}

static enum node_action do_server_root(read_ctx *ctx, conf_node *n)
{
    char **argv;
    if (directive_args(ctx, n, &argv) < 0)
        return REMOVE;
    /* Apache merges a relative ServerRoot with the working directory,
     * not with the previous ServerRoot (checked with apache2 -t). */
    const char *p = argv[0];
    char real[PATH_MAX];
    if (!is_dir(p) || realpath(p, real) == NULL) {
        read_error(ctx, n, "server-root",
                   "ServerRoot must be a valid directory");
        return KEEP;
    }
    ctx->rc->server_root = arena_strdup(ctx->a, real);
    return KEEP;
}

/* ---- LoadModule ------------------------------------------------------ */

static loaded_module *add_module(read_ctx *ctx, const module *m, int is_static,
                                 const char *file, const conf_node *n)
{
    loaded_module *lm = arena_calloc(ctx->a, sizeof(*lm));
    lm->mod = m;
    lm->is_static = is_static;
    lm->file = file;
    lm->conf_file = n ? n->file : NULL;
    lm->conf_line = n ? n->line : 0;
    loaded_module **tail = &ctx->rc->modules;
    while (*tail)
        tail = &(*tail)->next;
    *tail = lm;
    return lm;
}

static loaded_module *find_loaded(const resolved_config *rc, const char *name)
{
    for (loaded_module *lm = rc->modules; lm != NULL; lm = lm->next)
        if (lm->mod && strcmp(lm->mod->name, name) == 0)
            return lm;
    return NULL;
}

/* Is WRITTEN "modules/mod_FOO.so" for module FOO_module (Apache's
 * layout: /usr/lib/apache2/modules/mod_FOO.so on Debian)? */
static int names_own_file(const char *written, const char *name)
{
    size_t nl = strlen(name);
    if (nl <= 7 || strcmp(name + nl - 7, "_module") != 0)
        return 0;
    while (strncmp(written, "./", 2) == 0)
        written += 2;
    return strncmp(written, "modules/mod_", 12) == 0 &&
           strncmp(written + 12, name, nl - 7) == 0 &&
           strcmp(written + 12 + nl - 7, ".so") == 0;
}

static enum node_action do_load_module(read_ctx *ctx, conf_node *n)
{
    char **argv;
    if (directive_args(ctx, n, &argv) < 0)
        return REMOVE;
    const char *name = argv[0];
    /* Modules Apache itself links in (apache2 -l): LoadModule of one is
     * an error there, so a configuration apache2 accepts never has it. */
    /* (core_module and http_module are not among them: Apache matches
     * FOO_module against its mod_FOO.c modules only, so it tries to load
     * those two, and fails) */
    static const char *const apache_builtin[] = {
        "so_module",    "watchdog_module", "log_config_module",
        "logio_module", "version_module",  "unixd_module",
    };
    for (size_t i = 0; i < sizeof(apache_builtin) / sizeof(*apache_builtin);
         i++)
        if (strcmp(name, apache_builtin[i]) == 0) {
            read_error(ctx, n, "load-module",
                       "module %s is built-in and can't be loaded", name);
            return KEEP;
        }
    if (strcmp(name, "core_module") == 0 || strcmp(name, "http_module") == 0) {
        /* Apache loads the file and finds no such structure in it */
        const char *path = root_relative(ctx, argv[1]);
        const char *problem =
            mpm_module_file_problem(ctx->a, argv[1], path, name);
        if (problem == NULL) /* it defines one: still not a module to us */
            problem = arena_printf(ctx->a,
                                   "Can't locate API module structure `%s' "
                                   "in file %s: %s: undefined symbol: %s",
                                   name, path, path, name);
        read_error(ctx, n, "load-module", "%s", problem);
        return KEEP;
    }
    loaded_module *lm = find_loaded(ctx->rc, name);
    if (lm != NULL) {
        int first_claim = lm->is_static && lm->conf_file == NULL;
        if (first_claim) {
            /* a compiled-in module named by LoadModule: its file is
             * checked as apache2 checks it, unless it is the module's own
             * place in Apache's layout, which the compiled-in module
             * stands for */
            const char *path = root_relative(ctx, argv[1]);
            if (!names_own_file(argv[1], name) || access(path, F_OK) == 0) {
                const char *problem =
                    mpm_module_file_problem(ctx->a, argv[1], path, name);
                if (problem != NULL) {
                    read_error(ctx, n, "load-module", "%s", problem);
                    return KEEP;
                }
            }
            lm->conf_file = n->file;
            lm->conf_line = n->line;
            return KEEP;
        }
        read_warn(ctx, "so", n, "module-already-loaded",
                  arena_printf(ctx->a,
                               "AH01574: module %s is already "
                               "loaded, skipping",
                               name));
        return KEEP;
    }
    size_t nl = strlen(name);
    if (strncmp(name, "mpm_", 4) == 0 && nl > 11 &&
        strcmp(name + nl - 7, "_module") == 0) {
        if (ctx->rc->mpm != NULL) {
            /* A second MPM: apache2 loads it and then refuses the
             * configuration (AH00534).  Count it without opening it. */
            module *m = arena_calloc(ctx->a, sizeof(*m));
            m->name = arena_strdup(ctx->a, name);
            m->file = arena_printf(ctx->a, "%.*s.c", (int)(nl - 11), name + 4);
            add_module(ctx, m, 0, root_relative(ctx, argv[1]), n);
            return KEEP;
        }
        const char *err = NULL;
        const char *path = root_relative(ctx, argv[1]);
        const struct mpm_module *mpm =
            mpm_load_shared_as(ctx->a, argv[1], path, name, &err);
        if (mpm == NULL) {
            read_error(ctx, n, "load-module", "%s",
                       err ? err
                           : arena_printf(ctx->a,
                                          "Cannot load %s into "
                                          "server",
                                          argv[1]));
            return KEEP;
        }
        add_module(ctx, mpm->module, 0, path, n);
        if (ctx->rc->mpm == NULL) {
            ctx->rc->mpm = mpm;
            ctx->rc->mpm_is_static = 0;
            ctx->rc->mpm_file = path;
        }
        return KEEP;
    }
    const char *problem =
        mpm_shared_file_problem(ctx->a, argv[1], root_relative(ctx, argv[1]));
    if (problem != NULL) {
        read_error(ctx, n, "load-module", "%s", problem);
        return KEEP;
    }
    read_error(ctx, n, "load-module",
               "Cannot load %s into server: %s is not one of httpd-ng's "
               "modules, and httpd-ng does not load Apache httpd's modules "
               "(compiled in: see httpd -l)",
               argv[1], name);
    return KEEP;
}

/* ---- conditionals ---------------------------------------------------- */

const module *conf_find_loaded_module(const resolved_config *rc,
                                      const char *name)
{
    if (rc == NULL || name == NULL)
        return NULL;
    for (loaded_module *lm = rc->modules; lm != NULL; lm = lm->next) {
        const module *m = lm->mod;
        if (m == NULL)
            continue;
        if ((m->name && strcmp(m->name, name) == 0) ||
            (m->file && strcmp(m->file, name) == 0))
            return m;
    }
    return NULL;
}

static int parse_version(const char *s, int v[3])
{
    int k = 0;
    v[0] = v[1] = v[2] = 0;
    if (*s == '\0')
        return -1;
    while (*s) {
        if (k == 3 || *s < '0' || *s > '9')
            return -1;
        long x = 0;
        while (*s >= '0' && *s <= '9') {
            x = x * 10 + (*s - '0');
            if (x > 1000000)
                return -1;
            s++;
        }
        v[k++] = (int)x;
        if (*s == '.') {
            s++;
            if (*s == '\0')
                return -1;
        } else if (*s) {
            return -1;
        }
    }
    return 0;
}

static int version_regex(read_ctx *ctx, conf_node *n, const char *re,
                         int *result)
{
    conf_regex_t rx;
    if (conf_regcomp(&rx, re, CONF_REG_NOSUB) != 0) {
        read_error(ctx, n, "ifversion", "Unable to compile regular expression");
        return -1;
    }
    *result = conf_regexec(&rx, HTTPD_COMPAT_VERSION, 0, NULL, 0) == 0;
    conf_regfree(&rx);
    return 0;
}

static int version_compare(read_ctx *ctx, conf_node *n, const char *ver,
                           int *cmp)
{
    int v[3];
    if (parse_version(ver, v) < 0) {
        read_error(ctx, n, "ifversion",
                   "Version appears to be invalid. It must have the format "
                   "major[.minor[.patch]] where major, minor and patch are "
                   "numbers.");
        return -1;
    }
    int have[3] = {HTTPD_COMPAT_MAJOR, HTTPD_COMPAT_MINOR, HTTPD_COMPAT_PATCH};
    *cmp = 0;
    for (int i = 0; i < 3 && *cmp == 0; i++)
        *cmp = (have[i] > v[i]) - (have[i] < v[i]);
    return 0;
}

/* mod_version's <IfVersion [[!]op] version[>] [>]>, as apache2 2.4.71
 * behaves: one, two or three words; the last '>' may be a word of its
 * own; a lone version means '='; "= /re/" and "~ re" are regexes; missing
 * minor and patch numbers are 0.  Returns 1, 0, or -1 after an error. */
static int eval_ifversion(read_ctx *ctx, conf_node *n)
{
    char **w;
    int argc = directive_args(ctx, n, &w);
    if (argc < 0)
        return -1;
    const char *op = w[0], *ver = argc > 1 ? w[1] : NULL;
    const char *delim = argc > 2 ? w[2] : NULL;
    if (ver == NULL) {
        ver = op;
        op = "=";
    }
    if (delim == NULL && strcmp(ver, ">") == 0) {
        delim = ">";
        ver = op;
        op = "=";
    }
    size_t vl = strlen(ver);
    int has_delim = delim != NULL && strcmp(delim, ">") == 0;
    if (vl == 0 || (!has_delim && ver[vl - 1] != '>')) {
        read_error(ctx, n, "section-syntax",
                   "<IfVersion> directive missing closing '>'");
        return -1;
    }
    if (!has_delim)
        vl--;
    char *v = arena_strndup(ctx->a, ver, vl);
    const char *p = op;
    int reverse = 0, result = 0, cmp;
    if (p[0] == '!' && p[1] != '\0') {
        reverse = 1;
        p++;
    }
    char c = p[0];
    const char *rest = c ? p + 1 : p;
    int shape_ok = *rest == '\0' || (strcmp(rest, "=") == 0 && c != '~');
    if (!shape_ok || (c != '=' && c != '~' && c != '<' && c != '>')) {
        read_error(ctx, n, "ifversion", "unrecognized operator '%s'", op);
        return -1;
    }
    if (c == '=' && v[0] == '/') {
        size_t l = strlen(v);
        if (l < 2 || v[l - 1] != '/') {
            read_error(ctx, n, "ifversion",
                       "Missing delimiting / of regular expression.");
            return -1;
        }
        if (version_regex(ctx, n, arena_strndup(ctx->a, v + 1, l - 2),
                          &result) < 0)
            return -1;
    } else if (c == '~') {
        if (version_regex(ctx, n, v, &result) < 0)
            return -1;
    } else {
        if (version_compare(ctx, n, v, &cmp) < 0)
            return -1;
        int or_equal = *rest == '=';
        if (c == '=')
            result = cmp == 0;
        else if (c == '<')
            result = cmp < 0 || (or_equal && cmp == 0);
        else
            result = cmp > 0 || (or_equal && cmp == 0);
    }
    return reverse ? !result : result;
}

static int known_directive(read_ctx *ctx, const char *name)
{
    if (read_cmd(name) != NULL)
        return 1;
    return conf_find_command(ctx->rc, name, NULL) != NULL;
}

enum cond_kind {
    COND_NONE,
    COND_DEFINE,
    COND_MODULE,
    COND_VERSION,
    COND_FILE,
    COND_DIRECTIVE,
    COND_SECTION
};

static enum cond_kind cond_kind_of(const char *name)
{
    static const struct {
        const char *name;
        enum cond_kind k;
    } t[] = {
        {"IfDefine", COND_DEFINE},       {"IfModule", COND_MODULE},
        {"IfVersion", COND_VERSION},     {"IfFile", COND_FILE},
        {"IfDirective", COND_DIRECTIVE}, {"IfSection", COND_SECTION},
    };
    if (name == NULL || (name[0] | 0x20) != 'i' || (name[1] | 0x20) != 'f')
        return COND_NONE;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcasecmp(t[i].name, name) == 0)
            return t[i].k;
    return COND_NONE;
}

/* Evaluate a conditional: 1 true, 0 false, -1 error reported. */
static int eval_cond(read_ctx *ctx, conf_node *n, enum cond_kind k)
{
    static const char *const labels[] = {
        "",       "IfDefine",    "IfModule",  "IfVersion",
        "IfFile", "IfDirective", "IfSection",
    };
    if (k == COND_VERSION)
        return eval_ifversion(ctx, n);
    const char *arg = section_arg(ctx, n, labels[k]);
    if (arg == NULL)
        return -1;
    /* apache2: '!' is taken from the raw text, then one word by the
     * quoting rules: <IfDefine ! X> is !X, <IfDefine "!X"> is the name
     * !X, <IfModule core.c > is core.c, extra words are ignored. */
    int neg = 0;
    if (arg[0] == '!') {
        neg = 1;
        arg++;
    }
    const char *word = conf_getword(ctx->a, &arg);
    if (*word == '\0') {
        read_error(ctx, n, "section-syntax",
                   "<%s> directive requires additional arguments", labels[k]);
        return -1;
    }
    int r = 0;
    struct stat st;
    switch (k) {
    case COND_DEFINE:
        r = def_exists(ctx, word);
        break;
    case COND_MODULE:
        r = conf_find_loaded_module(ctx->rc, word) != NULL;
        break;
    case COND_FILE:
        r = stat(root_relative(ctx, word), &st) == 0;
        break;
    case COND_DIRECTIVE:
        r = known_directive(ctx, word);
        break;
    case COND_SECTION:
        r = known_directive(ctx, arena_strcat(ctx->a, "<", word, (char *)NULL));
        break;
    default:
        break;
    }
    return neg ? !r : r;
}

/* ---- structural errors ----------------------------------------------- */

/* at: where Apache reports it (the false conditional when soaking). */
static void report_close_error(read_ctx *ctx, conf_node *e, int soaking,
                               const conf_node *at)
{
    const char *w = e->error_word ? e->error_word : "";
    const char *open = e->args;
    size_t wl = strlen(w);
    if (soaking) {
        read_error(ctx, at, "section-mismatch", "Expected </%s> but saw %.*s>",
                   open, wl ? (int)wl - 1 : 0, w);
    } else if (cond_kind_of(open) != COND_NONE) {
        read_error(ctx, e, "section-mismatch",
                   "%s without matching <%s section", w, wl >= 2 ? w + 2 : "");
    } else if (wl == 0 || w[wl - 1] != '>') {
        read_error(ctx, e, "section-syntax",
                   "%s> directive missing closing '>'", w);
    } else {
        read_error(ctx, e, "section-mismatch", "Expected </%s> but saw %s",
                   open, w);
    }
}

static void report_parse_error(read_ctx *ctx, conf_node *e, int soaking,
                               const conf_node *at)
{
    if (e->parse_error == CONF_PERR_CLOSE) {
        report_close_error(ctx, e, soaking, at);
    } else if (e->parse_error == CONF_PERR_READ) {
        /* an error of the Include that read the file (line 1 of the
         * main file), as apache2 reports it */
        inc_frame *f = ctx->inc;
        if (f == NULL) {
            read_error_at(ctx, e->file, 1, 0, "line-too-long", e->args, NULL);
        } else {
            ctx->inc = f->up;
            read_error_at(ctx, f->file, f->line, 0, "line-too-long", e->args,
                          NULL);
            ctx->inc = f;
        }
    } else
        read_error(ctx, at, "section-mismatch", "%s", e->args);
}

/* The next node after n in document order within top (iterative). */
static conf_node *next_in(conf_node *n, conf_node *top)
{
    if (n->first_child)
        return n->first_child;
    while (n != top && n->next == NULL)
        n = n->parent;
    return n == top ? NULL : n->next;
}

/* A false conditional: its body is skipped as Apache's soak does; the
 * first structural error in it is reported, and an unclosed body is
 * "Expected </X> before end of configuration". */
static void soak(read_ctx *ctx, conf_node *cond)
{
    for (conf_node *c = cond->first_child; c != NULL; c = next_in(c, cond)) {
        if (c->parse_error) {
            report_parse_error(ctx, c, 1, cond);
            return;
        }
    }
    if (cond->end_line == 0) {
        conf_node *inner = cond;
        while (inner->last_child && inner->last_child->is_section &&
               inner->last_child->name && inner->last_child->end_line == 0)
            inner = inner->last_child;
        read_error(ctx, cond, "section-not-closed",
                   "Expected </%s> before end of configuration", inner->name);
    }
}

/* ---- the walk -------------------------------------------------------- */

static const char *const read_names_kept[] = {"ServerRoot", "LoadModule"};

/* A section: a conditional is judged (its body spliced in or soaked),
 * another one descended into, noted when it is not closed. */
static enum node_action section_node(read_ctx *ctx, conf_node *n,
                                     file_state *fs)
{
    enum cond_kind k = cond_kind_of(n->name);
    if (k == COND_NONE) {
        if (n->end_line == 0 && !fs->silent) {
            if (fs->nunclosed == fs->cap_unclosed) {
                int cap = fs->cap_unclosed ? 2 * fs->cap_unclosed : 16;
                conf_node **v = arena_alloc(ctx->a, sizeof(*v) * cap);
                if (fs->nunclosed)
                    memcpy(v, fs->unclosed, sizeof(*v) * fs->nunclosed);
                fs->unclosed = v;
                fs->cap_unclosed = cap;
            }
            fs->unclosed[fs->nunclosed++] = n;
        }
        return DESCEND;
    }
    int r = eval_cond(ctx, n, k);
    if (r < 0)
        return REMOVE;
    if (r == 0) {
        soak(ctx, n);
        return REMOVE;
    }
    if (n->end_line == 0)
        fs->silent = 1;
    return SPLICE_CHILDREN;
}

/* In an access file: may n run there?  Apache checks an EXEC_ON_READ
 * directive's context when it runs it, while reading the file: the
 * file's AllowOverride bits, or AllowOverrideList naming it.  Reports
 * "X not allowed here" and returns 0 when not. */
static int htaccess_allows(read_ctx *ctx, const conf_node *n)
{
    const char *name = n->is_section
                           ? arena_strcat(ctx->a, "<", n->name, (char *)NULL)
                           : n->name;
    const command_rec *c = read_cmd(name);
    if (c == NULL && !n->is_section)
        c = conf_find_command(ctx->rc, name, NULL);
    if (c == NULL || !(c->req_override & EXEC_ON_READ))
        return 1;
    /* Include and IncludeOptional are server and <Directory> directives
     * in Apache (our table lets them into <If> bodies too) */
    int req = c->req_override;
    if (!n->is_section)
        req &= ~OR_ALL;
    if (ctx->override & req)
        return 1;
    for (const char *const *l = ctx->override_list; l && *l; l++)
        if (strcasecmp(*l, c->name) == 0)
            return 1;
    if (!(ctx->override & NONFATAL_OVERRIDE)) {
        read_error(ctx, n, "context", "%s not allowed here", c->name);
        return 0;
    }
    diag_warnf(ctx->diag, DIAG_READ, "core", n->file, n->line, n->col,
               "context", "AH02295: %s in .htaccess forbidden by AllowOverride",
               c->name);
    /* Apache skips the opening line only: its closer then closes nothing */
    if (n->is_section && n->end_line != 0)
        read_error(ctx, n, "section-mismatch",
                   "</%s> without matching <%s> section", n->name, n->name);
    return 0;
}

static enum node_action process_node(read_ctx *ctx, conf_node *n,
                                     file_state *fs, node_list *repl)
{
    if (n->parse_error) {
        report_parse_error(ctx, n, 0, n);
        return REMOVE;
    }
    subst_node(ctx, n);
    if (ctx->htaccess && !htaccess_allows(ctx, n))
        return REMOVE;
    if (n->is_section)
        return section_node(ctx, n, fs);
    if (ctx->htaccess) /* Include, Define...: refused above */
        return KEEP;
    const char *name = n->name;
    /* one look at the first letter spares most lines five comparisons */
    switch (name[0] | 0x20) {
    case 'i':
        if (strcasecmp(name, "Include") == 0 ||
            strcasecmp(name, "IncludeOptional") == 0)
            return do_include(ctx, n, repl);
        break;
    case 'd':
    case 'u':
        if (strcasecmp(name, "Define") == 0 ||
            strcasecmp(name, "UnDefine") == 0)
            return do_define(ctx, n);
        break;
    case 's':
        if (strcasecmp(name, read_names_kept[0]) == 0)
            return do_server_root(ctx, n);
        break;
    case 'l':
        if (strcasecmp(name, read_names_kept[1]) == 0)
            return do_load_module(ctx, n);
        break;
    default:
        break;
    }
    /* EXEC_ON_READ directives of the module tables run here, in order */
    const char *err = conf_exec_on_read(ctx->rc, ctx->opts, n, ctx->diag);
    if (err == conf_walk_reported) {
        if (diag_should_stop(ctx->diag))
            ctx->stop = 1;
    } else if (err != NULL) {
        read_error_at(ctx, n->file, n->line, n->col, "directive", err, NULL);
    }
    return KEEP;
}

static void report_unclosed(read_ctx *ctx, file_state *fs)
{
    if (fs->nunclosed == 0 || ctx->stop)
        return;
    size_t cap = 64;
    for (int i = 0; i < fs->nunclosed; i++)
        cap +=
            strlen(fs->unclosed[i]->file) + strlen(fs->unclosed[i]->name) + 48;
    char *msg = arena_alloc(ctx->a, cap), *p = msg;
    *p = '\0';
    for (int i = fs->nunclosed - 1; i >= 0; i--) {
        conf_node *s = fs->unclosed[i];
        p += sprintf(p, "%s%s:%d: <%s> was not closed.",
                     i == fs->nunclosed - 1 ? "" : "\n", s->file, s->line,
                     s->name);
    }
    conf_node *outer = fs->unclosed[0];
    read_error_at(ctx, outer->file, outer->line, outer->col,
                  "section-not-closed", msg, NULL);
}

/* Walk one file's tree in place. */
static void process_tree(read_ctx *ctx, conf_node *root)
{
    file_state fs = {0};
    conf_node *parent = root;
    conf_node **link = &root->first_child;
    conf_node *prev = NULL; /* node owning *link, NULL at list start */
    while (!ctx->stop) {
        conf_node *n = *link;
        if (n == NULL) {
            parent->last_child = prev;
            if (parent == root)
                break;
            link = &parent->next;
            prev = parent;
            parent = parent->parent;
            continue;
        }
        node_list repl = {0};
        switch (process_node(ctx, n, &fs, &repl)) {
        case KEEP:
            link = &n->next;
            prev = n;
            break;
        case DESCEND:
            parent = n;
            link = &n->first_child;
            prev = NULL;
            break;
        case REMOVE:
            *link = n->next;
            break;
        case SPLICE_CHILDREN:
            if (n->first_child == NULL) {
                *link = n->next;
                break;
            }
            for (conf_node *c = n->first_child; c; c = c->next)
                c->parent = parent;
            n->last_child->next = n->next;
            *link = n->first_child;
            break;
        case REPLACE:
            /* (the spliced nodes' parent is set once the whole tree is
             * read, by set_parents(): doing it here redid it at every
             * level of an Include tree) */
            repl.tail->next = n->next;
            *link = repl.head;
            link = &repl.tail->next;
            prev = repl.tail;
            break;
        }
    }
    report_unclosed(ctx, &fs);
}

/* read() until count bytes or the end of the file; -1 on an error. */
static ssize_t read_full(int fd, char *buf, size_t count, int stop_short)
{
    size_t n = 0;
    while (n < count) {
        ssize_t got = read(fd, buf + n, count - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        n += (size_t)got;
        if (stop_short)
            break; /* a short read of a regular file is its end */
    }
    return (ssize_t)n;
}

/* The whole file in an arena buffer ready for the parser (two NULs after
 * the text).  With the size known (a regular file) it is read straight
 * into that buffer; anything else, or a file that grew, goes through a
 * growing heap buffer. */
static char *slurp(arena *a, const char *path, size_t size_hint, size_t *len,
                   int *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return NULL;
    }
    *err = 0;
    char *buf = size_hint ? conf_parse_buffer_alloc(a, size_hint) : NULL;
    ssize_t got = 0;
    if (buf != NULL) {
        /* ask for one byte more than expected: has the file grown? */
        got = read_full(fd, buf, size_hint + 1, 1);
        if (got >= 0 && (size_t)got <= size_hint) {
            close(fd);
            buf[got] = buf[got + 1] = '\0';
            *len = (size_t)got;
            return buf;
        }
    }
    size_t n = got > 0 ? (size_t)got : 0;
    size_t cap = n >= 65536 ? 2 * n : 65536;
    char *text = malloc(cap);
    if (text == NULL)
        abort();
    if (n > 0)
        memcpy(text, buf, n);
    while (got >= 0 && (got = read_full(fd, text + n, cap - n, 0)) > 0) {
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            char *nt = realloc(text, cap);
            if (nt == NULL)
                abort();
            text = nt;
        }
    }
    if (got < 0)
        *err = errno;
    close(fd);
    *len = n;
    buf = *err ? NULL : conf_parse_buffer_alloc(a, n);
    if (buf == NULL && *err == 0)
        *err = EFBIG;
    if (buf != NULL)
        memcpy(buf, text, n);
    free(text);
    return buf;
}

/* apache2: "apache2: Could not open configuration file F: ERR", no line */
static void main_open_error(read_ctx *ctx, const char *path, int err)
{
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .rule = "open-failed",
        .module = "core",
        .file = path,
        .message = arena_printf(ctx->a,
                                "%s: Could not open configuration "
                                "file %s: %s",
                                ctx->rc->argv0, path, strerror(err)),
    };
    diag_emit(ctx->diag, &d);
    if (diag_should_stop(ctx->diag))
        ctx->stop = 1;
}

/* -D DUMP_INCLUDES, one file as it is opened: "  (*) FILE" for the main
 * file, "    (N) FILE" indented by depth for an included one.  Apache
 * writes these unbuffered as it reads, so they come before any error.
 * N is not quite the line of the file's own Include: apache2 shows the
 * line of the last Include directive run, wherever it was, so the second
 * file of "Include dir/" shows the line of an Include inside the first
 * one, and the main file shows "(2)" after "-C 'Include x'" as the second
 * -C directive ("(*)" when no Include ran before it). */
static void list_file(read_ctx *ctx, const include_entry *ie)
{
    FILE *out = ctx->opts->include_listing;
    int line = ctx->last_include_line;
    if (line == 0)
        fprintf(out, "%*s(*) %s\n", 2 + 2 * ie->depth, "", ie->file);
    else
        fprintf(out, "%*s(%d) %s\n", 2 + 2 * ie->depth, "", line, ie->file);
    fflush(out);
}

/* Parse and process one included file (inc != NULL) or the main file.
 * known: the file's stat() when the caller has it, else NULL. */
static conf_node *process_file(read_ctx *ctx, const char *path,
                               const conf_node *inc, int *failed,
                               const struct stat *known)
{
    size_t len;
    int err;
    struct stat st;
    int have_st = known != NULL || stat(path, &st) == 0;
    if (known != NULL)
        st = *known;
    if (have_st && !S_ISREG(st.st_mode) && strcmp(path, "/dev/null") != 0) {
        /* Apache refuses devices, FIFOs and directories given as files
         * (so "Include /dev/zero" cannot hang the reader) */
        struct diag log = {
            .severity = DIAG_ERROR,
            .phase = DIAG_LOG,
            .module = "core",
            .file = inc ? inc->file : NULL,
            .line = inc ? inc->line : 0,
            .rule = "not-regular-file",
            .message = arena_printf(ctx->a,
                                    "AH00554: Access to file %s "
                                    "denied by server: not a regular file",
                                    path),
        };
        diag_emit(ctx->diag, &log);
        if (inc != NULL)
            read_error(ctx, inc, "open-failed",
                       "Could not open "
                       "configuration file %s: %s",
                       path, strerror(EBADF));
        else
            main_open_error(ctx, path, EBADF);
        *failed = 1;
        return NULL;
    }
    size_t size_hint = have_st && S_ISREG(st.st_mode) && st.st_size > 0
                           ? (size_t)st.st_size
                           : 0;
    char *text = slurp(ctx->a, path, size_hint, &len, &err);
    if (text == NULL || err != 0) {
        if (inc != NULL)
            read_error(ctx, inc, "open-failed",
                       "Could not open configuration file %s: %s", path,
                       strerror(err));
        else
            main_open_error(ctx, path, err);
        *failed = 1;
        return NULL;
    }
    /* -D DUMP_INCLUDES: every file read, in reading order */
    include_entry *ie = arena_calloc(ctx->a, sizeof(*ie));
    ie->file = arena_strdup(ctx->a, path);
    ie->depth = inc ? ctx->depth + 1 : 0;
    ie->parent_line = inc ? inc->line : 0;
    *ctx->includes_tail = ie;
    ctx->includes_tail = &ie->next;
    if (ctx->opts->include_listing != NULL && def_exists(ctx, "DUMP_INCLUDES"))
        list_file(ctx, ie);
    int errors = ctx->diag ? ctx->diag->errors : 0;
    inc_frame frame = {0};
    if (inc != NULL) {
        frame.file = inc->file;
        frame.line = inc->line;
        frame.target = path;
        frame.up = ctx->inc;
        ctx->inc = &frame;
        ctx->depth++;
    }
    conf_node *root =
        conf_parse_deferred_buffer(ctx->a, path, text, len, ctx->diag);
    if (root != NULL && !diag_should_stop(ctx->diag))
        process_tree(ctx, root);
    else if (diag_should_stop(ctx->diag))
        ctx->stop = 1;
    if (inc != NULL) {
        ctx->inc = frame.up;
        ctx->depth--;
    }
    if (ctx->diag && ctx->diag->errors > errors)
        *failed = 1;
    return root;
}

/* -C / -c directives: parsed as a file of their own. */
static conf_node *process_directives(read_ctx *ctx,
                                     const char *const *directives)
{
    if (directives == NULL || directives[0] == NULL)
        return NULL;
    size_t len = 0;
    for (int i = 0; directives[i]; i++)
        len += strlen(directives[i]) + 1;
    char *text = arena_alloc(ctx->a, len + 1), *p = text;
    for (int i = 0; directives[i]; i++)
        p += sprintf(p, "%s\n", directives[i]);
    conf_node *root = conf_parse_deferred(ctx->a, CMDLINE_FILE, text,
                                          (size_t)(p - text), ctx->diag);
    if (root != NULL && !ctx->stop)
        process_tree(ctx, root);
    return root;
}

/* ---- the read-phase command table ------------------------------------- */

const command_rec conf_read_commands[] = {
    {"ServerRoot", NULL, 0, RSRC_CONF | EXEC_ON_READ, TAKE1,
     "Common directory of server-related files (logs, confs, etc.)"},
    {"Include", NULL, 0, OR_ALL | RSRC_CONF | ACCESS_CONF | EXEC_ON_READ, TAKE1,
     "Name(s) of the config file(s) to be included; fails if the "
     "wildcard does not match at least one file"},
    {"IncludeOptional", NULL, 0,
     OR_ALL | RSRC_CONF | ACCESS_CONF | EXEC_ON_READ, TAKE1,
     "Name or pattern of the config file(s) to be included; ignored if the "
     "file does not exist or the pattern does not match any files"},
    {"Define", NULL, 0, EXEC_ON_READ | ACCESS_CONF | RSRC_CONF, TAKE12,
     "Define a variable, optionally to a value.  Same as passing -D to the "
     "command line."},
    {"UnDefine", NULL, 0, EXEC_ON_READ | ACCESS_CONF | RSRC_CONF, TAKE1,
     "Undefine the existence of a variable. Undo a Define."},
    {"LoadModule", NULL, 0, RSRC_CONF | EXEC_ON_READ, TAKE2,
     "a module name and the name of a shared object file to load it from"},
    {"<IfDefine", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     RAW_ARGS,
     "Container for directives based on existence of command line defines"},
    {"<IfModule", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     RAW_ARGS,
     "Container for directives based on existence of specified modules"},
    {"<IfVersion", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     TAKE123, "a comparison operator, a version (and a delimiter)"},
    {"<IfFile", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     RAW_ARGS, "Container for directives based on existence of files on disk"},
    {"<IfDirective", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     RAW_ARGS,
     "Container for directives based on existence of named directive"},
    {"<IfSection", NULL, 0, EXEC_ON_READ | OR_ALL | RSRC_CONF | ACCESS_CONF,
     RAW_ARGS, "Container for directives based on existence of named section"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

static const command_rec *read_cmd(const char *name)
{
    for (const command_rec *c = conf_read_commands; c->name; c++)
        if (strcasecmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* ---- entry points ---------------------------------------------------- */

static void init_ctx(read_ctx *ctx, resolved_config *rc,
                     const conf_options *opts, diag_sink *diag)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->rc = rc;
    ctx->opts = opts;
    ctx->diag = diag;
    ctx->a = rc->arena;
    ctx->ndefs_buckets = 256;
    ctx->defs =
        arena_calloc(ctx->a, sizeof(define_slot *) * ctx->ndefs_buckets);
    rc->argv0 = opts->argv0 ? opts->argv0 : "httpd";
    rc->includes = NULL;
    ctx->includes_tail = &rc->includes;
    for (int i = 0; conf_builtin_modules[i] != NULL; i++)
        add_module(ctx, conf_builtin_modules[i], 1, NULL, NULL);
    if (mpm_static_module != NULL) {
        add_module(ctx, mpm_static_module->module, 1, NULL, NULL);
        rc->mpm = mpm_static_module;
        rc->mpm_is_static = 1;
    }
    for (int i = 0; opts->defines && opts->defines[i]; i++) {
        const char *eq = strchr(opts->defines[i], '=');
        if (eq)
            def_set(ctx,
                    arena_strndup(ctx->a, opts->defines[i],
                                  (size_t)(eq - opts->defines[i])),
                    eq + 1);
        else
            def_set(ctx, opts->defines[i], NULL);
    }
}

/* Every node's parent, over the whole tree (iterative: 10,000 nested
 * sections are allowed).  A section's own parent is set before its
 * children are visited, so the climb back up follows fixed pointers. */
static void set_parents(conf_node *top)
{
    conf_node *s = top, *c = top->first_child;
    while (c != NULL || s != top) {
        if (c == NULL) {
            c = s->next;
            s = s->parent;
            continue;
        }
        c->parent = s;
        if (c->first_child != NULL) {
            s = c;
            c = c->first_child;
        } else {
            c = c->next;
        }
    }
}

static void append_tree(conf_node *root, conf_node *part)
{
    if (part == NULL || part->first_child == NULL)
        return;
    if (root->last_child)
        root->last_child->next = part->first_child;
    else
        root->first_child = part->first_child;
    root->last_child = part->last_child;
}

conf_node *conf_read(resolved_config *rc, const conf_options *opts,
                     diag_sink *diag)
{
    read_ctx ctx;
    conf_modules_init();
    init_ctx(&ctx, rc, opts, diag);
    const char *root = opts->server_root ? opts->server_root : HTTPD_PREFIX;
    char real[PATH_MAX];
    rc->server_root =
        arena_strdup(rc->arena, realpath(root, real) ? real : root);
    const char *file = opts->conf_file ? opts->conf_file : "conf/httpd.conf";
    rc->conf_file = root_relative(&ctx, file);

    conf_node *tree = conf_node_new(rc->arena, NULL, "", rc->conf_file, 0, 0);
    tree->is_section = 1;
    /* -C: before the main file (conf.h calls them post_directives) */
    append_tree(tree, process_directives(&ctx, opts->post_directives));
    if (!ctx.stop) {
        int failed = 0;
        append_tree(tree,
                    process_file(&ctx, rc->conf_file, NULL, &failed, NULL));
    }
    /* -c: after it */
    if (!ctx.stop)
        append_tree(tree, process_directives(&ctx, opts->pre_directives));
    set_parents(tree);
    rc->tree = tree;
    /* rc->defines: the final state, in first-definition order */
    define_entry **tail = &rc->defines;
    *tail = NULL;
    for (define_slot *d = ctx.made_first; d != NULL; d = d->next_made) {
        if (!d->defined)
            continue;
        define_entry *e = arena_calloc(rc->arena, sizeof(*e));
        e->name = d->name;
        e->value = d->value;
        *tail = e;
        tail = &e->next;
    }
    if (ctx.stop)
        return NULL;
    return tree;
}

conf_node *conf_read_htaccess(resolved_config *rc, arena *a, const char *path,
                              const char *text, size_t len, int override,
                              const char *const *override_list, diag_sink *diag)
{
    read_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.rc = rc;
    ctx.diag = diag;
    ctx.a = a;
    ctx.htaccess = 1;
    ctx.override = override;
    ctx.override_list = override_list;
    ctx.ndefs_buckets = 16;
    ctx.defs = arena_calloc(a, sizeof(define_slot *) * ctx.ndefs_buckets);
    for (const define_entry *d = rc->defines; d != NULL; d = d->next)
        def_set(&ctx, d->name, d->value);
    int errors = diag->errors;
    conf_node *root = conf_parse_deferred(a, path, text, len, diag);
    if (root != NULL && diag->errors == errors)
        process_tree(&ctx, root);
    return diag->errors == errors ? root : NULL;
}

int conf_check_mpm_count(resolved_config *rc, diag_sink *diag)
{
    int n = 0;
    for (loaded_module *lm = rc->modules; lm != NULL; lm = lm->next)
        if (lm->mod && lm->mod->name && strncmp(lm->mod->name, "mpm_", 4) == 0)
            n++;
    if (n == 1)
        return 0;
    const char *argv0 = rc->argv0 ? rc->argv0 : "httpd";
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .rule = "mpm-count",
        .module = "core",
    };
    if (n == 0) {
        d.message = arena_printf(rc->arena,
                                 "AH00534: %s: Configuration "
                                 "error: No MPM loaded.",
                                 argv0);
        d.suggestion = "add LoadModule mpm_event_module "
                       "modules/mod_mpm_event.so (or prefork/worker)";
    } else {
        const loaded_module *first = NULL, *second = NULL;
        for (loaded_module *lm = rc->modules; lm != NULL; lm = lm->next) {
            if (!lm->mod || strncmp(lm->mod->name, "mpm_", 4) != 0)
                continue;
            if (first == NULL)
                first = lm;
            else if (second == NULL)
                second = lm;
        }
        d.message = arena_printf(rc->arena,
                                 "AH00534: %s: Configuration "
                                 "error: More than one MPM loaded.",
                                 argv0);
        if (second) {
            d.file = second->conf_file;
            d.line = second->conf_line;
            d.related_file = first->conf_file;
            d.related_line = first->conf_line;
            d.suggestion = arena_printf(
                rc->arena,
                "%s%s also loaded; keep "
                "one MPM",
                first->mod->name,
                first->is_static && !first->conf_file ? " (linked in)" : "");
        }
    }
    diag_emit(diag, &d);
    return -1;
}
