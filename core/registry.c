/* registry.c -- the directive registry and the one dispatcher.
 *
 * Every directive of every active module goes through dispatch(): lookup
 * (Apache's "Invalid command" with a suggestion), context (the req_override
 * bits: "X not allowed here" / "X not allowed in <S> context"), argument
 * shape (Apache's messages per shape), then the handler.  Handler errors
 * are reported at the directive's file:line:col as DIAG_WALK diagnostics.
 */
#include "registry.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mpm.h"
#include "readphase.h"

const char conf_walk_reported[] = "(error already reported)";

/* ---- modules ------------------------------------------------------------ */

/* Directive lookup: an open-addressing table of the compiled-in modules'
 * directives, built once (the MPM's few are searched directly). */
#define CMD_HASH_SIZE 1024
static struct cmd_slot {
    const command_rec *cmd;
    const module *owner;
} cmd_hash[CMD_HASH_SIZE];
static int nbuiltin = -1;
/* Vector slots: only modules with configurations have one (so, http,
 * logio, version and unixd have none), then the MPM's. */
static const module *slot_module[MODULE_MAX];
static int nslots;
/* The read phase's names (Include, <IfDefine...), which the walk passes
 * over: the same kind of table. */
#define READ_HASH_SIZE 64
static const command_rec *read_hash[READ_HASH_SIZE];

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)(*s | 0x20)) * 16777619u;
    return h;
}

void conf_modules_init(void)
{
    if (nbuiltin >= 0)
        return;
    int n = 0;
    for (; conf_builtin_modules[n] != NULL && n < MODULE_MAX; n++) {
        module *m = conf_builtin_modules[n];
        if (m->create_dir_config || m->create_server_config ||
            m->merge_dir_config || m->merge_server_config) {
            m->index = nslots;
            slot_module[nslots++] = m;
        } else {
            m->index = -1;
        }
        for (const command_rec *c = m->cmds; c && c->name; c++) {
            unsigned h = name_hash(c->name) & (CMD_HASH_SIZE - 1);
            while (cmd_hash[h].cmd != NULL &&
                   strcasecmp(cmd_hash[h].cmd->name, c->name) != 0)
                h = (h + 1) & (CMD_HASH_SIZE - 1);
            if (cmd_hash[h].cmd == NULL) { /* first definition wins */
                cmd_hash[h].cmd = c;
                cmd_hash[h].owner = m;
            }
        }
    }
    if (n >= MODULE_MAX) {
        fprintf(stderr, "httpd: %d compiled-in modules, at most %d\n", n,
                MODULE_MAX - 1);
        abort();
    }
    for (const command_rec *c = conf_read_commands; c->name != NULL; c++) {
        unsigned h = name_hash(c->name) & (READ_HASH_SIZE - 1);
        while (read_hash[h] != NULL)
            h = (h + 1) & (READ_HASH_SIZE - 1);
        read_hash[h] = c;
    }
    nbuiltin = n;
}

int conf_mpm_slot(void)
{
    conf_modules_init();
    return nslots;
}

const module *conf_module_at(const resolved_config *rc, int index)
{
    if (index == MODULE_MPM_SLOT)
        return rc && rc->mpm ? rc->mpm->module : NULL;
    conf_modules_init();
    if (index < 0 || index >= nslots)
        return NULL;
    return slot_module[index];
}

const module *conf_module_nth(const resolved_config *rc, int i)
{
    conf_modules_init();
    if (i < 0 || i > nbuiltin)
        return NULL;
    if (i < nbuiltin)
        return conf_builtin_modules[i];
    return rc && rc->mpm ? rc->mpm->module : NULL;
}

static const command_rec *find_in(const module *m, const char *name)
{
    if (m == NULL || m->cmds == NULL)
        return NULL;
    for (const command_rec *c = m->cmds; c->name != NULL; c++)
        if (strcasecmp(c->name, name) == 0)
            return c;
    return NULL;
}

const command_rec *conf_find_command(const resolved_config *rc,
                                     const char *name, const module **owner)
{
    conf_modules_init();
    unsigned h = name_hash(name) & (CMD_HASH_SIZE - 1);
    for (; cmd_hash[h].cmd != NULL; h = (h + 1) & (CMD_HASH_SIZE - 1)) {
        if (strcasecmp(cmd_hash[h].cmd->name, name) == 0) {
            if (owner)
                *owner = cmd_hash[h].owner;
            return cmd_hash[h].cmd;
        }
    }
    if (rc != NULL && rc->mpm != NULL) {
        const command_rec *c = find_in(rc->mpm->module, name);
        if (c != NULL) {
            if (owner)
                *owner = rc->mpm->module;
            return c;
        }
    }
    return NULL;
}

/* ---- per-module configuration vectors ----------------------------------- */

/* Slots: the compiled-in modules', then the MPM's. */
static size_t vector_size(void)
{
    conf_modules_init();
    return sizeof(void *) * (size_t)(nslots + 1);
}

void **conf_create_dir_configs(arena *a, const resolved_config *rc,
                               const char *path)
{
    void **v = arena_calloc(a, vector_size());
    for (int i = 0; i <= nslots; i++) {
        const module *m = conf_module_at(rc, i);
        if (m != NULL && m->create_dir_config != NULL)
            v[i] = m->create_dir_config(a, path);
    }
    return v;
}

/* into: the vector to write (add itself, or a new one) */
static void **merge_vectors(arena *a, void *const *base, void *const *add,
                            int dir, void **v)
{
    /* the MPM's slot (the last) is never merged */
    for (int i = 0; i <= nslots; i++) {
        const module *m = i == nslots ? NULL : slot_module[i];
        void *(*merge)(arena *, void *, void *) = NULL;
        if (m != NULL)
            merge = dir ? m->merge_dir_config : m->merge_server_config;
        void *b = base ? base[i] : NULL, *d = add ? add[i] : NULL;
        if (merge != NULL && b != NULL && d != NULL)
            v[i] = merge(a, b, d);
        else
            v[i] = d != NULL ? d : b;
    }
    return v;
}

void **conf_new_config_vector(arena *a)
{
    return arena_calloc(a, vector_size());
}

void **conf_new_section_vector(arena *a, const char *path)
{
    void **v = conf_new_config_vector(a);
    conf_set(v, &core_module, core_module.create_dir_config(a, path));
    return v;
}

void **conf_merge_dir_configs(arena *a, void *const *base, void *const *add)
{
    return merge_vectors(a, base, add, 1, arena_alloc(a, vector_size()));
}

/* ---- the walk's cache of merged vectors ----------------------------------
 *
 * A configuration's vectors never change once loaded, so merging the same
 * two of them gives the same result: each thread keeps its latest merges
 * in a small direct-mapped table (no locks, nothing shared on the way),
 * keyed by the two inputs and the configuration's serial.  The results
 * live in an arena of that thread for that configuration, which
 * conf_release() frees: a request of an older generation still being
 * served (a graceful restart in one process) keeps what it was given.  A
 * colliding entry replaces the old one; an arena past MC_ARENA_CAP takes
 * no more (merges then go to the request's arena), so memory stays
 * bounded per thread and configuration. */
#define MC_ENTRIES 128 /* a power of 2 */
#define MC_ARENA_CAP (256u << 10)

struct mc_arena {
    unsigned long serial;
    const void *owner; /* the thread's table (its address while it lives) */
    arena *a;
    struct mc_arena *next;
};

static pthread_mutex_t mc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mc_arena *mc_arenas; /* under mc_lock */
static unsigned long mc_serial_next;

static __thread struct mc_table {
    unsigned long serial; /* whose merges the entries are, 0 none */
    arena *a;
    struct {
        const void *base, *add;
        void **v;
    } e[MC_ENTRIES];
} mc;

unsigned long conf_merge_cache_serial(void)
{
    return __atomic_add_fetch(&mc_serial_next, 1, __ATOMIC_RELAXED);
}

void conf_merge_cache_release(const resolved_config *rc)
{
    pthread_mutex_lock(&mc_lock);
    for (struct mc_arena **p = &mc_arenas; *p;) {
        struct mc_arena *m = *p;
        if (m->serial == rc->serial) {
            *p = m->next;
            arena_destroy(m->a);
            free(m);
        } else {
            p = &m->next;
        }
    }
    pthread_mutex_unlock(&mc_lock);
}

/* This thread's arena for the configuration numbered serial (the one it
 * had, when it comes back to a generation), or NULL. */
static arena *mc_arena_for(unsigned long serial)
{
    arena *a = NULL;
    pthread_mutex_lock(&mc_lock);
    for (struct mc_arena *m = mc_arenas; m && !a; m = m->next)
        if (m->serial == serial && m->owner == (const void *)&mc)
            a = m->a;
    if (a == NULL) {
        struct mc_arena *m = malloc(sizeof(*m));
        if (m != NULL && (m->a = arena_create(16384)) != NULL) {
            m->serial = serial;
            m->owner = &mc;
            m->next = mc_arenas;
            mc_arenas = m;
            a = m->a;
        } else {
            free(m);
        }
    }
    pthread_mutex_unlock(&mc_lock);
    return a;
}

void **conf_merge_dir_configs_cached(const resolved_config *rc, arena *a,
                                     void *const *base, void *const *add)
{
    if (rc == NULL || rc->serial == 0)
        return conf_merge_dir_configs(a, base, add);
    if (mc.serial != rc->serial) {
        memset(mc.e, 0, sizeof(mc.e));
        mc.a = mc_arena_for(rc->serial);
        mc.serial = mc.a ? rc->serial : 0;
        if (mc.a == NULL)
            return conf_merge_dir_configs(a, base, add);
    }
    uintptr_t h =
        ((uintptr_t)base >> 4) * 0x9E3779B97F4A7C15u ^ ((uintptr_t)add >> 4);
    size_t i = (size_t)(h ^ (h >> 29)) & (MC_ENTRIES - 1);
    if (mc.e[i].base == base && mc.e[i].add == add)
        return mc.e[i].v;
    if (arena_bytes_used(mc.a) > MC_ARENA_CAP)
        return conf_merge_dir_configs(a, base, add);
    void **v = conf_merge_dir_configs(mc.a, base, add);
    mc.e[i].base = base;
    mc.e[i].add = add;
    mc.e[i].v = v;
    return v;
}

void conf_merge_dir_configs_into(arena *a, void *const *base, void **add)
{
    merge_vectors(a, base, add, 1, add);
}

void **conf_create_server_configs(arena *a, const resolved_config *rc,
                                  server_conf *s)
{
    if (s->is_virtual)
        return NULL; /* made when first used: conf_server_config() */
    void **v = arena_calloc(a, vector_size());
    for (int i = 0; i <= nslots; i++) {
        const module *m = conf_module_at(rc, i);
        if (m != NULL && m->create_server_config != NULL)
            v[i] = m->create_server_config(a, s);
    }
    return v;
}

void conf_merge_server_configs_into(arena *a, void *const *base, void **add)
{
    merge_vectors(a, base, add, 0, add);
}

void *conf_server_config(cmd_parms *cmd, const module *m)
{
    if (m->index < 0)
        return NULL;
    void **v = cmd->server->module_config;
    if (v == NULL)
        v = cmd->server->module_config =
            arena_calloc(cmd->arena, vector_size());
    if (v[m->index] == NULL && m->create_server_config != NULL)
        v[m->index] = m->create_server_config(cmd->arena, cmd->server);
    return v[m->index];
}

/* ---- argument shapes ------------------------------------------------------
 */

static const char *shape_text(enum cmd_how how)
{
    switch (how) {
    case NO_ARGS:
        return " takes no arguments";
    case TAKE1:
        return " takes one argument";
    case TAKE2:
        return " takes two arguments";
    case TAKE12:
        return " takes 1-2 arguments";
    case TAKE3:
        return " takes three arguments";
    case TAKE23:
        return " takes two or three arguments";
    case TAKE123:
        return " takes one, two or three arguments";
    case TAKE13:
        return " takes one or three arguments";
    case ITERATE:
        return " requires at least one argument";
    case ITERATE2:
        return " requires at least two arguments";
    case FLAG:
        return " must be On or Off";
    default:
        return NULL;
    }
}

static const char *shape_message(arena *a, const command_rec *cmd)
{
    const char *t = shape_text(cmd->args_how);
    if (cmd->args_how == FLAG || cmd->errmsg == NULL)
        return arena_strcat(a, cmd->name, t, (char *)NULL);
    return arena_strcat(a, cmd->name, t, ", ", cmd->errmsg, (char *)NULL);
}

static int count_fits(enum cmd_how how, int argc)
{
    switch (how) {
    case NO_ARGS:
        return argc == 0;
    case TAKE1:
        return argc == 1;
    case TAKE2:
        return argc == 2;
    case TAKE12:
        return argc == 1 || argc == 2;
    case TAKE3:
        return argc == 3;
    case TAKE23:
        return argc == 2 || argc == 3;
    case TAKE123:
        return argc >= 1 && argc <= 3;
    case TAKE13:
        return argc == 1 || argc == 3;
    case ITERATE:
        return argc >= 1;
    case ITERATE2:
        return argc >= 2;
    case FLAG:
        return argc >= 1;
    default:
        return 1;
    }
}

const char *conf_args_error(arena *a, const command_rec *cmd, int argc)
{
    if (count_fits(cmd->args_how, argc))
        return NULL;
    return shape_message(a, cmd);
}

/* Apache's checks look at the words themselves: an empty quoted word ("")
 * counts as missing where a required word is read. */
static int words_fit(const command_rec *cmd, int argc, char *const *argv)
{
    int need = 0;
    switch (cmd->args_how) {
    case TAKE1:
    case TAKE12:
    case TAKE123:
    case ITERATE:
        need = 1;
        break;
    case TAKE2:
    case TAKE23:
    case ITERATE2:
        need = 2;
        break;
    case TAKE3:
        need = 3;
        break;
    case TAKE13:
        need = 1;
        if (argc >= 2 && argv[1][0] != '\0')
            need = 3;
        break;
    case FLAG:
        return argc >= 1 && (strcasecmp(argv[0], "on") == 0 ||
                             strcasecmp(argv[0], "off") == 0);
    default:
        break;
    }
    for (int i = 0; i < need && i < argc; i++)
        if (argv[i][0] == '\0')
            return 0;
    return count_fits(cmd->args_how, argc);
}

/* ---- walk state --------------------------------------------------------- */

/* conf_is_directory() answers, by path, for one walk: thousands of vhosts
 * name the same few document roots, and a stat() costs more than the rest
 * of a DocumentRoot line. */
typedef struct dir_seen {
    const char *path;
    unsigned hash;
    int is_dir;
} dir_seen;

typedef struct walk_state {
    arena *stack_arena;
    dir_seen *dirs; /* open addressing, ndirs_cap a power of two */
    unsigned ndirs, ndirs_cap;
    resolved_config *rc;
    const conf_options *opts;
    const conf_node **stack; /* enclosing section nodes */
    const command_rec **stack_cmd;
    int depth, cap;
    int read_pass; /* running the EXEC_ON_READ directives of our tables */
} walk_state;

const conf_options *conf_walk_options(const cmd_parms *cmd)
{
    const walk_state *w = cmd->walk;
    return w ? w->opts : NULL;
}

static void push(walk_state *w, arena *a, const conf_node *n,
                 const command_rec *c)
{
    if (w->depth == w->cap) {
        int cap = w->cap ? w->cap * 2 : 16;
        const conf_node **s = arena_alloc(a, sizeof(*s) * cap);
        const command_rec **sc = arena_alloc(a, sizeof(*sc) * cap);
        if (w->depth) {
            memcpy(s, w->stack, sizeof(*s) * w->depth);
            memcpy(sc, w->stack_cmd, sizeof(*sc) * w->depth);
        }
        w->stack = s;
        w->stack_cmd = sc;
        w->cap = cap;
    }
    w->stack[w->depth] = n;
    w->stack_cmd[w->depth++] = c;
}

/* Canonical label of an enclosing section: "<Directory" from the table. */
static const char *enclosing_name(const cmd_parms *cmd)
{
    const walk_state *w = cmd->walk;
    if (w == NULL || w->depth == 0)
        return NULL;
    return w->stack_cmd[w->depth - 1]->name;
}

const char *conf_section_label(arena *a, const conf_node *section)
{
    return arena_strcat(a, "<", section->name, ">", (char *)NULL);
}

/* ---- the read phase's directives ---------------------------------------- */

/* MPM directives of every MPM, known for "did you mean" even when their MPM
 * is not loaded. */
static const char *const mpm_names[] = {
    "StartServers",
    "MinSpareServers",
    "MaxSpareServers",
    "ServerLimit",
    "MaxRequestWorkers",
    "MaxClients",
    "ThreadsPerChild",
    "ThreadLimit",
    "MinSpareThreads",
    "MaxSpareThreads",
    "AsyncRequestWorkerFactor",
    NULL,
};

static int is_read_phase(const char *name)
{
    conf_modules_init();
    unsigned h = name_hash(name) & (READ_HASH_SIZE - 1);
    for (; read_hash[h] != NULL; h = (h + 1) & (READ_HASH_SIZE - 1))
        if (strcasecmp(read_hash[h]->name, name) == 0)
            return 1;
    return 0;
}

int conf_known_names(arena *a, const char *const **names)
{
    int n = 0, cap = 64;
    const char **v = arena_alloc(a, sizeof(*v) * cap);
#define ADD(s)                                                                 \
    do {                                                                       \
        if (n == cap) {                                                        \
            const char **nv = arena_alloc(a, sizeof(*nv) * cap * 2);           \
            memcpy(nv, v, sizeof(*v) * n);                                     \
            v = nv;                                                            \
            cap *= 2;                                                          \
        }                                                                      \
        v[n++] = (s);                                                          \
    } while (0)
    for (int i = 0; conf_builtin_modules[i] != NULL; i++) {
        const command_rec *c = conf_builtin_modules[i]->cmds;
        for (; c != NULL && c->name != NULL; c++)
            ADD(c->name);
    }
    for (const command_rec *c = conf_read_commands; c->name != NULL; c++)
        ADD(c->name);
    for (int i = 0; mpm_names[i] != NULL; i++)
        ADD(mpm_names[i]);
#undef ADD
    *names = v;
    return n;
}

/* ---- reporting ----------------------------------------------------------- */

static void report(cmd_parms *cmd, const conf_node *n, const char *rule,
                   const char *msg, const char *suggestion)
{
    const walk_state *w = cmd->walk;
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = w && w->read_pass ? DIAG_READ : DIAG_WALK,
        .file = n->file,
        .line = n->line,
        .col = n->col,
        .rule = rule,
        .module = "core",
        .message = msg,
        .suggestion = suggestion,
    };
    diag_emit(cmd->diag, &d);
}

static const char *suggest(cmd_parms *cmd, const conf_node *n)
{
    const char *const *names;
    int count = conf_known_names(cmd->temp, &names);
    const char **pick = arena_alloc(cmd->temp, sizeof(*pick) * (count + 1));
    int k = 0;
    for (int i = 0; i < count; i++) {
        int sec = names[i][0] == '<';
        if (sec == n->is_section)
            pick[k++] = names[i] + sec;
    }
    const char *best = diag_suggest(n->name, pick, k);
    if (best == NULL)
        return NULL;
    return arena_printf(cmd->temp, "did you mean %s%s%s?",
                        n->is_section ? "<" : "", best,
                        n->is_section ? ">" : "");
}

/* ---- dispatch ------------------------------------------------------------ */

static void *module_dir_config(cmd_parms *cmd, const module *m);

void *conf_dir_config(cmd_parms *cmd, const module *m)
{
    return module_dir_config(cmd, m);
}

static void *existing_dir_config(cmd_parms *cmd, const module *m)
{
    if (cmd->dir_config == NULL || m->index < 0 || m->index > nslots)
        return NULL;
    return cmd->dir_config[m->index];
}

static void *module_dir_config(cmd_parms *cmd, const module *m)
{
    if (cmd->dir_config == NULL || m->index < 0 || m->index > nslots)
        return NULL;
    void *c = cmd->dir_config[m->index];
    if (c == NULL && m->create_dir_config != NULL) {
        c = m->create_dir_config(cmd->arena, cmd->path);
        cmd->dir_config[m->index] = c;
    }
    return c;
}

static const char *call_words(cmd_parms *cmd, void *mconfig, int argc,
                              char **argv)
{
    const command_rec *c = cmd->cmd;
    const char *err = NULL;
    switch (c->args_how) {
    case ITERATE:
        for (int i = 0; i < argc && argv[i][0] != '\0' && err == NULL; i++)
            err = c->fn(cmd, mconfig, 1, &argv[i]);
        return err;
    case ITERATE2:
        for (int i = 1; i < argc && argv[i][0] != '\0' && err == NULL; i++) {
            char *pair[3] = {argv[0], argv[i], NULL};
            err = c->fn(cmd, mconfig, 2, pair);
        }
        return err;
    case FLAG:
        cmd->flag = strcasecmp(argv[0], "on") == 0;
        return c->fn(cmd, mconfig, 1, argv);
    case TAKE12:
    case TAKE23:
    case TAKE123:
    case TAKE13:
        /* trailing empty words are "not given" */
        while (argc > 1 && argv[argc - 1][0] == '\0')
            argc--;
        return c->fn(cmd, mconfig, argc, argv);
    default:
        return c->fn(cmd, mconfig, argc, argv);
    }
}

static const char *invoke(cmd_parms *cmd, const conf_node *n, void *mconfig)
{
    const command_rec *c = cmd->cmd;
    const char *args = n->args ? n->args : "";
    if (c->fn == NULL)
        return NULL;
    if (c->args_how == RAW_ARGS) {
        char *raw[2] = {(char *)args, NULL};
        return c->fn(cmd, mconfig, 1, raw);
    }
    char **argv;
    int argc = conf_split_args(cmd->temp, args, &argv, NULL);
    if (c->args_how == NO_ARGS) {
        if (argc != 0)
            return shape_message(cmd->temp, c);
        return c->fn(cmd, mconfig, 0, argv);
    }
    if (c->args_how != TAKE_ARGV && !words_fit(c, argc, argv))
        return shape_message(cmd->temp, c);
    return call_words(cmd, mconfig, argc, argv);
}

static int walk_children(cmd_parms *cmd, const conf_node *parent);

/* AllowOverrideList names a directive (case-insensitive, as Apache's
 * table). */
static int in_override_list(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (strcasecmp(*list, name) == 0)
            return 1;
    return 0;
}

/* Returns 0, or -1 when an error was reported. */
static int dispatch(cmd_parms *cmd, const conf_node *n)
{
    char buf[128];
    const char *name = n->name;
    if (n->is_section) {
        size_t len = strlen(n->name);
        name = len + 2 <= sizeof(buf)
                   ? (buf[0] = '<', memcpy(buf + 1, n->name, len + 1), buf)
                   : arena_strcat(cmd->temp, "<", n->name, (char *)NULL);
    }
    if (is_read_phase(name))
        return walk_children(cmd, n);
    const module *owner = NULL;
    const command_rec *c = conf_find_command(cmd->rc, name, &owner);
    if (c == NULL && cmd->in_htaccess && (cmd->override & NONFATAL_UNKNOWN)) {
        char *lower = arena_strdup(cmd->temp, name);
        for (char *p = lower; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        diag_warnf(cmd->diag, DIAG_WALK, "core", n->file, n->line, n->col,
                   "unknown-directive",
                   "AH02296: Unknown directive %s perhaps misspelled or "
                   "defined by a module not included in the server "
                   "configuration",
                   lower);
        return 0;
    }
    if (c == NULL) {
        report(cmd, n, "unknown-directive",
               arena_printf(cmd->temp,
                            "Invalid command '%s', perhaps misspelled or "
                            "defined by a module not included in the server "
                            "configuration",
                            name),
               cmd->in_htaccess ? NULL : suggest(cmd, n));
        return -1;
    }
    if (c->req_override & EXEC_ON_READ)
        return 0;
    if ((cmd->override & c->req_override) == 0 &&
        !(cmd->in_htaccess && in_override_list(cmd->override_list, c->name))) {
        if (cmd->in_htaccess && (cmd->override & NONFATAL_OVERRIDE)) {
            diag_warnf(cmd->diag, DIAG_WALK, "core", n->file, n->line, n->col,
                       "context",
                       "AH02295: %s in .htaccess forbidden by "
                       "AllowOverride",
                       c->name);
            return 0;
        }
        const char *encl = enclosing_name(cmd);
        const char *msg =
            encl ? arena_printf(cmd->temp, "%s not allowed in %s> context",
                                c->name, encl)
                 : arena_printf(cmd->temp, "%s not allowed here", c->name);
        report(cmd, n, "context", msg, NULL);
        return -1;
    }
    cmd_parms sub = *cmd;
    sub.cmd = c;
    sub.module = owner;
    sub.node = n;
    void *mconfig = (c->req_override & ~(RSRC_CONF | EXEC_ON_READ)) != 0
                        ? module_dir_config(&sub, owner)
                        : existing_dir_config(&sub, owner);
    const char *err = invoke(&sub, n, mconfig);
    if (err == conf_walk_reported)
        return -1;
    if (err != NULL) {
        report(cmd, n, "directive", err, NULL);
        return -1;
    }
    return 0;
}

static int walk_children(cmd_parms *cmd, const conf_node *parent)
{
    int rc = 0;
    for (const conf_node *c = parent->first_child; c != NULL; c = c->next) {
        if (dispatch(cmd, c) != 0) {
            rc = -1;
            if (diag_should_stop(cmd->diag))
                break;
        }
    }
    return rc;
}

const char *conf_walk_section(cmd_parms *cmd, const conf_node *node,
                              enum section_kind kind, const char *path,
                              server_conf *server, void **dir_config,
                              int override)
{
    walk_state *w = cmd->walk;
    cmd_parms sub = *cmd;
    sub.section = kind;
    sub.path = path;
    if (server != NULL)
        sub.server = server;
    if (dir_config != NULL)
        sub.dir_config = dir_config;
    sub.override = override;
    sub.enclosing = node;
    int depth = w->depth;
    push(w, w->stack_arena, node, cmd->cmd);
    int rc = walk_children(&sub, node);
    w->depth = depth;
    return rc == 0 ? NULL : conf_walk_reported;
}

int conf_walk(resolved_config *rc, const conf_options *opts,
              const conf_node *root, diag_sink *diag)
{
    arena *temp = arena_create(0);
    walk_state w = {.rc = rc, .opts = opts, .stack_arena = arena_create(0)};
    cmd_parms cmd = {
        .arena = rc->arena,
        .temp = temp,
        .rc = rc,
        .server = rc->main_server,
        .dir_config = rc->main_server->lookup_defaults,
        .override = (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT),
        .section = SEC_NONE,
        .diag = diag,
        .walk = &w,
    };
    int r = 0;
    /* Scratch lives for one top-level directive (a whole <VirtualHost>
     * included), so memory stays flat however long the file is. */
    for (const conf_node *c = root ? root->first_child : NULL; c; c = c->next) {
        if (dispatch(&cmd, c) != 0) {
            r = -1;
            if (diag_should_stop(diag))
                break;
        }
        arena_reset(temp);
    }
    arena_destroy(temp);
    arena_destroy(w.stack_arena);
    return r;
}

int conf_walk_htaccess(resolved_config *rc, arena *a, server_conf *s,
                       const conf_node *root, const char *dir,
                       void **dir_config, int override, int override_opts,
                       const char *const *override_list, diag_sink *diag)
{
    walk_state w = {.rc = rc, .stack_arena = a};
    cmd_parms cmd = {
        .arena = a,
        .temp = a,
        .rc = rc,
        .server = s,
        .dir_config = dir_config,
        .override = override,
        .override_opts = override_opts,
        .in_htaccess = 1,
        .override_list = override_list,
        .section = SEC_DIRECTORY,
        .path = dir,
        .diag = diag,
        .walk = &w,
    };
    return walk_children(&cmd, root);
}

/* The EXEC_ON_READ directives of our own tables (DefaultRuntimeDir) run
 * before the MPM check, wherever they are, as Apache runs them while
 * reading.  They are few: a node whose first letter starts none of them
 * is passed over without a lookup. */
static void mark_initials(unsigned char *initial, const command_rec *c)
{
    for (; c != NULL && c->name != NULL; c++)
        if (c->req_override & EXEC_ON_READ)
            initial[(unsigned char)(c->name[0] | 0x20)] = 1;
}

static int read_pass(cmd_parms *cmd, const conf_node *parent,
                     const unsigned char *initial)
{
    int rc = 0;
    for (const conf_node *n = parent->first_child; n != NULL; n = n->next) {
        if (n->first_child != NULL && read_pass(cmd, n, initial) != 0) {
            rc = -1;
            if (diag_should_stop(cmd->diag))
                return rc;
        }
        if (n->is_section || n->name == NULL ||
            !initial[(unsigned char)(n->name[0] | 0x20)])
            continue;
        const module *owner = NULL;
        const command_rec *c = conf_find_command(cmd->rc, n->name, &owner);
        if (c == NULL || !(c->req_override & EXEC_ON_READ) || c->fn == NULL)
            continue;
        cmd_parms sub = *cmd;
        sub.cmd = c;
        sub.module = owner;
        sub.node = n;
        const char *err = invoke(&sub, n, module_dir_config(&sub, owner));
        if (err != NULL && err != conf_walk_reported)
            report(cmd, n, "directive", err, NULL);
        if (err != NULL) {
            rc = -1;
            if (diag_should_stop(cmd->diag))
                return rc;
        }
    }
    return rc;
}

const char *conf_exec_on_read(resolved_config *rc, const conf_options *opts,
                              const conf_node *n, diag_sink *diag)
{
    static unsigned char initial[256];
    static int have_initial;
    if (!have_initial) {
        conf_modules_init();
        for (int i = 0; i < nbuiltin; i++)
            mark_initials(initial, conf_builtin_modules[i]->cmds);
        have_initial = 1;
    }
    if (n->is_section || n->name == NULL)
        return NULL;
    unsigned char first = (unsigned char)(n->name[0] | 0x20);
    if (!initial[first] && rc->mpm == NULL)
        return NULL;
    const module *owner = NULL;
    const command_rec *c = conf_find_command(rc, n->name, &owner);
    if (c == NULL || !(c->req_override & EXEC_ON_READ) || c->fn == NULL)
        return NULL;
    walk_state w = {.rc = rc, .opts = opts, .read_pass = 1};
    cmd_parms cmd = {
        .arena = rc->arena,
        .temp = rc->arena,
        .rc = rc,
        .override = RSRC_CONF | OR_ALL,
        .diag = diag,
        .walk = &w,
        .cmd = c,
        .module = owner,
        .node = n,
    };
    return invoke(&cmd, n, module_dir_config(&cmd, owner));
}

int conf_walk_read_directives(resolved_config *rc, const conf_options *opts,
                              const conf_node *root, diag_sink *diag)
{
    arena *temp = arena_create(0);
    walk_state w = {.rc = rc, .opts = opts, .read_pass = 1};
    cmd_parms cmd = {
        .arena = rc->arena,
        .temp = temp,
        .rc = rc,
        .override = RSRC_CONF | OR_ALL,
        .diag = diag,
        .walk = &w,
    };
    unsigned char initial[256] = {0};
    conf_modules_init();
    for (int i = 0; i < nbuiltin; i++)
        mark_initials(initial, conf_builtin_modules[i]->cmds);
    if (rc->mpm != NULL)
        mark_initials(initial, rc->mpm->module->cmds);
    int r = root ? read_pass(&cmd, root, initial) : 0;
    arena_destroy(temp);
    return r;
}

/* ---- context checks (Apache's ap_check_cmd_context) -----------------------
 */

/* Sections Apache walks with cmd->limited set: <Limit>, <LimitExcept>, and
 * mod_authz_core's <RequireAll/Any/None>. */
/* Section names as the tables spell them ("<Directory"): the letter after
 * '<' first, since most comparisons fail there. */
static int same_section(const char *a, const char *b)
{
    return (a[1] | 0x20) == (b[1] | 0x20) && strcasecmp(a, b) == 0;
}

static int inside_limit(const cmd_parms *cmd)
{
    static const char *const names[] = {"<Limit",       "<LimitExcept",
                                        "<RequireAll",  "<RequireAny",
                                        "<RequireNone", NULL};
    const walk_state *w = cmd->walk;
    for (int i = w ? w->depth - 1 : -1; i >= 0; i--)
        for (int k = 0; names[k]; k++)
            if (same_section(w->stack_cmd[i]->name, names[k]))
                return 1;
    return 0;
}

static const char *find_enclosing(const cmd_parms *cmd, const char *a,
                                  const char *b)
{
    const walk_state *w = cmd->walk;
    for (int i = w ? w->depth - 1 : -1; i >= 0; i--) {
        const char *nm = w->stack_cmd[i]->name;
        if (same_section(nm, a) || (b && same_section(nm, b)))
            return nm;
    }
    return NULL;
}

const char *conf_check_context(cmd_parms *cmd, unsigned forbidden)
{
    const char *name = cmd->cmd->name;
    const char *gt = name[0] == '<' ? ">" : "";
    arena *a = cmd->temp ? cmd->temp : cmd->arena;
    if ((forbidden & NOT_IN_HTACCESS) && cmd->in_htaccess)
        return arena_strcat(a, name, gt, " cannot occur within htaccess files",
                            (char *)NULL);
    if ((forbidden & NOT_IN_VIRTUALHOST) && cmd->server &&
        cmd->server->is_virtual)
        return arena_strcat(a, name, gt,
                            " cannot occur within <VirtualHost> section",
                            (char *)NULL);
    if ((forbidden & (NOT_IN_LIMIT | NOT_IN_DIR_LOC_FILE)) && inside_limit(cmd))
        return arena_strcat(a, name, gt,
                            " cannot occur within <Limit> or <LimitExcept> "
                            "section",
                            (char *)NULL);
    if ((forbidden & NOT_IN_DIR_CONTEXT) == NOT_IN_DIR_CONTEXT &&
        cmd->path != NULL)
        return arena_strcat(a, name, gt,
                            " cannot occur within directory context",
                            (char *)NULL);
    const char *found = NULL;
    if (forbidden & NOT_IN_DIRECTORY)
        found = find_enclosing(cmd, "<Directory", "<DirectoryMatch");
    if (!found && (forbidden & NOT_IN_LOCATION))
        found = find_enclosing(cmd, "<Location", "<LocationMatch");
    if (!found && (forbidden & NOT_IN_FILES))
        found = find_enclosing(cmd, "<Files", "<FilesMatch");
    if (!found && (forbidden & NOT_IN_FILES)) /* Apache counts <If> here */
        found = find_enclosing(cmd, "<If", "<ElseIf");
    if (!found && (forbidden & NOT_IN_FILES))
        found = find_enclosing(cmd, "<Else", NULL);
    if (found)
        return arena_strcat(a, name, gt, " cannot occur within ", found,
                            "> section", (char *)NULL);
    return NULL;
}

/* ---- generic setters ------------------------------------------------------
 */

const char *conf_set_string_slot(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[])
{
    (void)argc;
    *(const char **)((char *)mconfig + cmd->cmd->offset) =
        arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

const char *conf_set_flag_slot(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    (void)argv;
    *(int *)((char *)mconfig + cmd->cmd->offset) = cmd->flag;
    return NULL;
}

const char *conf_set_int_slot(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    (void)argc;
    /* Apache's ap_set_int_slot: atoi, whatever follows the digits. */
    *(int *)((char *)mconfig + cmd->cmd->offset) = atoi(argv[0]);
    return NULL;
}

const char *conf_set_path_slot(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    *(const char **)((char *)mconfig + cmd->cmd->offset) =
        conf_server_root_relative(cmd, argv[0]);
    return NULL;
}

static int stat_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void dirs_grow(walk_state *w)
{
    unsigned cap = w->ndirs_cap ? w->ndirs_cap * 2 : 64;
    dir_seen *v = arena_calloc(w->stack_arena, sizeof(*v) * cap);
    for (unsigned i = 0; i < w->ndirs_cap; i++) {
        if (w->dirs[i].path == NULL)
            continue;
        unsigned h = w->dirs[i].hash & (cap - 1);
        while (v[h].path != NULL)
            h = (h + 1) & (cap - 1);
        v[h] = w->dirs[i];
    }
    w->dirs = v;
    w->ndirs_cap = cap;
}

int conf_is_directory(cmd_parms *cmd, const char *path)
{
    walk_state *w = cmd->walk;
    if (w == NULL || w->stack_arena == NULL)
        return stat_is_dir(path);
    if ((w->ndirs + 1) * 2 > w->ndirs_cap)
        dirs_grow(w);
    unsigned hash = name_hash(path), h = hash & (w->ndirs_cap - 1);
    for (; w->dirs[h].path != NULL; h = (h + 1) & (w->ndirs_cap - 1))
        if (w->dirs[h].hash == hash && strcmp(w->dirs[h].path, path) == 0)
            return w->dirs[h].is_dir;
    w->dirs[h].path = arena_strdup(w->stack_arena, path);
    w->dirs[h].hash = hash;
    w->dirs[h].is_dir = stat_is_dir(path);
    w->ndirs++;
    return w->dirs[h].is_dir;
}

/* ---- paths and warnings -----------------------------------------------------
 */

/* Collapse "//", "/./" and "/../" the way apr_filepath_merge does. */
static char *normalize_path(arena *a, const char *p)
{
    size_t len = strlen(p);
    char *out = arena_alloc(a, len + 2);
    size_t o = 0;
    const char *s = p;
    while (*s) {
        if (*s == '/') {
            while (*s == '/')
                s++;
            const char *e = s;
            while (*e && *e != '/')
                e++;
            size_t seg = (size_t)(e - s);
            if (seg == 1 && s[0] == '.') {
                s = e;
                if (!*s && o == 0)
                    out[o++] = '/';
                else if (!*s)
                    out[o++] = '/';
                continue;
            }
            if (seg == 2 && s[0] == '.' && s[1] == '.') {
                while (o > 0 && out[o - 1] != '/')
                    o--;
                if (o > 0)
                    o--;
                s = e;
                if (!*s)
                    out[o++] = '/';
                continue;
            }
            out[o++] = '/';
            memcpy(out + o, s, seg);
            o += seg;
            s = e;
        } else {
            out[o++] = *s++;
        }
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    /* "x/" from a trailing "/." or "/.." leaves a double slash only if the
     * previous segment ended with one; tidy that up. */
    if (o >= 2 && out[o - 1] == '/' && out[o - 2] == '/')
        out[--o] = '\0';
    return out;
}

void conf_uses_output_filters(cmd_parms *cmd)
{
    /* an access file is read while requests are served, perhaps by other
     * threads: from then on this process looks for filters (the flag is
     * set before the answer of the request that read it is made) */
    if (cmd->rc != NULL)
        __atomic_store_n(&cmd->rc->output_filters, 1, __ATOMIC_RELAXED);
}

const char *conf_server_root_relative(cmd_parms *cmd, const char *path)
{
    arena *a = cmd->arena;
    if (path == NULL)
        return NULL;
    if (path[0] == '/')
        return normalize_path(a, path);
    const char *root =
        cmd->rc && cmd->rc->server_root ? cmd->rc->server_root : "/";
    return normalize_path(a, arena_strcat(a, root, "/", path, (char *)NULL));
}

void conf_warn(cmd_parms *cmd, const char *module_short, const char *rule,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(cmd->temp ? cmd->temp : cmd->arena, fmt, ap);
    va_end(ap);
    const conf_node *n = cmd->node;
    struct diag d = {
        .severity = DIAG_WARNING,
        .phase = DIAG_LOG,
        .file = n ? n->file : NULL,
        .line = n ? n->line : 0,
        .col = n ? n->col : 0,
        .rule = rule,
        .module = module_short ? module_short : "core",
        .message = msg,
    };
    diag_emit(cmd->diag, &d);
}

/* ---- Listen addresses (apr_parse_addr_port rules) ----------------------- */

const char *conf_parse_addr_port(arena *a, const char *s, const char **host,
                                 int *port)
{
    const char *inval = "Invalid address or port";
    size_t len = strlen(s);
    *host = NULL;
    *port = 0;
    const char *last = s + len - 1;
    while (last >= s && *last >= '0' && *last <= '9')
        last--;
    if (len == 0)
        return inval;
    if (last < s) {
        if (len > 6)
            return inval;
        long p = atol(s);
        if (p < 1 || p > 65535)
            return inval;
        *port = (int)p;
        return NULL;
    }
    size_t hostlen = len;
    if (*last == ':') {
        if (last != s + len - 1) {
            if (strlen(last + 1) > 6)
                return inval;
            long p = atol(last + 1);
            if (p < 1 || p > 65535)
                return inval;
            *port = (int)p;
        }
        hostlen = (size_t)(last - s);
    }
    if (hostlen == 0)
        return inval;
    if (s[0] == '[') {
        const char *end = memchr(s, ']', hostlen);
        if (end == NULL || end != s + hostlen - 1)
            return inval;
        const char *h = arena_strndup(a, s + 1, (size_t)(end - s - 1));
        for (const char *p = h; *p && *p != '%'; p++) /* '%': scope id */
            if (!(*p == ':' || *p == '.' || (*p >= '0' && *p <= '9') ||
                  (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
                return inval;
        if (strchr(h, ':') == NULL)
            return inval;
        *host = h;
        return NULL;
    }
    *host = arena_strndup(a, s, hostlen);
    return NULL;
}
