/* mod_env.c -- SetEnv, UnsetEnv and PassEnv: request environment
 * variables from the configuration.
 *
 * As apache2 2.4 (measured, tests/integration/test_env.py): the variables
 * are added at fixups, late, so SetEnvIf and Require do not see them, and
 * a variable the request already has (from SetEnvIf, say) keeps its
 * value.  Within one scope the lines apply in order (SetEnv then UnsetEnv
 * of a name leaves it unset); an inner scope's UnsetEnv removes what outer
 * scopes set, its SetEnv overrides them.  PassEnv copies the server
 * process's variable as it was at startup (AH01506 when it is not set).
 * "SetEnv NAME" sets "".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_util.h"
#include "request.h"

module env_module;

typedef struct env_var {
    const char *name;
    const char *value;
} env_var;

typedef struct env_conf {
    env_var *vars; /* what this scope sets, in first-set order */
    int nvars;
    const char **unset; /* names this scope's UnsetEnv removes from outer
                         * scopes' variables */
    int nunset;
} env_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(env_conf));
}

static int find(const env_var *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return i;
    return -1;
}

/* The list grows by copying: configurations are few and small, and a
 * merged config never shares a growing array with its parts. */
static void set_var(arena *a, env_conf *c, const char *name, const char *value)
{
    int i = find(c->vars, c->nvars, name);
    if (i >= 0) {
        c->vars[i].value = value;
        return;
    }
    env_var *v = arena_alloc(a, sizeof(*v) * (size_t)(c->nvars + 1));
    if (c->nvars)
        memcpy(v, c->vars, sizeof(*v) * (size_t)c->nvars);
    v[c->nvars].name = name;
    v[c->nvars].value = value;
    c->vars = v;
    c->nvars++;
}

static void unset_var(env_conf *c, const char *name)
{
    int i = find(c->vars, c->nvars, name);
    if (i < 0)
        return;
    memmove(&c->vars[i], &c->vars[i + 1],
            sizeof(*c->vars) * (size_t)(c->nvars - i - 1));
    c->nvars--;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const env_conf *base = basev, *add = addv;
    if (add->nvars == 0 && add->nunset == 0)
        return basev;
    if (base->nvars == 0)
        return addv;
    env_conf *c = arena_calloc(a, sizeof(*c));
    c->vars =
        arena_alloc(a, sizeof(*c->vars) * (size_t)(base->nvars + add->nvars));
    memcpy(c->vars, base->vars, sizeof(*c->vars) * (size_t)base->nvars);
    c->nvars = base->nvars;
    for (int i = 0; i < add->nunset; i++)
        unset_var(c, add->unset[i]);
    for (int i = 0; i < add->nvars; i++) {
        int k = find(c->vars, c->nvars, add->vars[i].name);
        if (k >= 0)
            c->vars[k].value = add->vars[i].value;
        else
            c->vars[c->nvars++] = add->vars[i];
    }
    return c;
}

static const char *cmd_setenv(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    env_conf *c = mconfig;
    const char *name = argv[0];
    if (argc == 1 && strchr(name, '=') != NULL)
        conf_warn(cmd, "env", "setenv-equals",
                  "AH10032: Spurious usage of '=' in an environment variable "
                  "name. '%s %.*s %s' expected instead?",
                  cmd->cmd->name, (int)(strchr(name, '=') - name), name,
                  strchr(name, '=') + 1);
    set_var(cmd->arena, c, arena_strdup(cmd->arena, name),
            argc > 1 ? arena_strdup(cmd->arena, argv[1]) : "");
    return NULL;
}

static const char *cmd_unsetenv(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)argc;
    env_conf *c = mconfig;
    const char *name = arena_strdup(cmd->arena, argv[0]);
    unset_var(c, name);
    const char **u =
        arena_alloc(cmd->arena, sizeof(*u) * (size_t)(c->nunset + 1));
    if (c->nunset)
        memcpy(u, c->unset, sizeof(*u) * (size_t)c->nunset);
    u[c->nunset++] = name;
    c->unset = u;
    return NULL;
}

static const char *cmd_passenv(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    env_conf *c = mconfig;
    const char *v = getenv(argv[0]);
    if (v == NULL) {
        conf_warn(cmd, "env", "passenv-undefined",
                  "AH01506: PassEnv variable %s was undefined", argv[0]);
        return NULL;
    }
    set_var(cmd->arena, c, arena_strdup(cmd->arena, argv[0]),
            arena_strdup(cmd->arena, v));
    return NULL;
}

static int fixups(request *r)
{
    const env_conf *c = modutil_dir_config(r, &env_module);
    for (int i = 0; c && i < c->nvars; i++)
        if (req_table_get(&r->subprocess_env, c->vars[i].name) == NULL)
            req_table_set(r->arena, &r->subprocess_env, c->vars[i].name,
                          c->vars[i].value);
    return DECLINED;
}

static const command_rec env_cmds[] = {
    {"PassEnv", cmd_passenv, 0, OR_FILEINFO, ITERATE,
     "a list of environment variables to pass to CGI."},
    {"SetEnv", cmd_setenv, 0, OR_FILEINFO, TAKE12,
     "an environment variable name and optional value to pass to CGI."},
    {"UnsetEnv", cmd_unsetenv, 0, OR_FILEINFO, ITERATE,
     "a list of variables to remove from the CGI environment."},
    {0},
};

module env_module = {
    .name = "env_module",
    .file = "mod_env.c",
    .cmds = env_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .fixups = fixups,
};
