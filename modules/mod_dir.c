/* mod_dir.c -- DirectoryIndex (several names, "disabled"),
 * DirectorySlash, FallbackResource, DirectoryIndexRedirect,
 * DirectoryCheckHandler.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_dir.h"

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    dir_conf *c = arena_calloc(a, sizeof(*c));
    c->do_slash = UNSET;
    c->checkhandler = UNSET;
    c->redirect_index = UNSET;
    return c;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const dir_conf *base = basev, *add = addv;
    dir_conf *c = arena_calloc(a, sizeof(*c));
    const dir_conf *idx = add->index_names ? add : base;
    c->index_names = idx->index_names;
    c->nindex = idx->nindex;
    c->do_slash = add->do_slash == UNSET ? base->do_slash : add->do_slash;
    c->checkhandler = add->checkhandler == UNSET ? base->checkhandler
                                                 : add->checkhandler;
    c->redirect_index = add->redirect_index == UNSET ? base->redirect_index
                                                     : add->redirect_index;
    c->fallback = add->fallback ? add->fallback : base->fallback;
    return c;
}

/* RAW_ARGS: Apache reads the words itself, so no words is fine, several
 * lines append, and "disabled" alone clears the list. */
static const char *cmd_index(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    dir_conf *c = mconfig;
    char **words;
    int n = conf_split_args(cmd->arena, argc > 0 ? argv[0] : "", &words,
                            NULL);
    int k = 0;
    while (k < n && words[k][0] != '\0')
        k++;
    if (k == 1 && c->nindex == 0 && strcasecmp(words[0], "disabled") == 0) {
        c->index_names = arena_alloc(cmd->arena, sizeof(char *));
        c->nindex = 0;
        return NULL;
    }
    if (k == 1 && strcasecmp(words[0], "disabled") == 0) {
        c->nindex = 0;
        return NULL;
    }
    const char **v = arena_alloc(cmd->arena, sizeof(char *) * (c->nindex + k + 1));
    for (int i = 0; i < c->nindex; i++)
        v[i] = c->index_names[i];
    for (int i = 0; i < k; i++)
        v[c->nindex + i] = words[i];
    c->index_names = v;
    c->nindex += k;
    return NULL;
}

static const char *cmd_slash(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    (void)argv;
    ((dir_conf *)mconfig)->do_slash = cmd->flag;
    return NULL;
}

static const char *cmd_checkhandler(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)argc;
    (void)argv;
    ((dir_conf *)mconfig)->checkhandler = cmd->flag;
    return NULL;
}

static const char *cmd_fallback(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)argc;
    ((dir_conf *)mconfig)->fallback = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

static const char *cmd_index_redirect(cmd_parms *cmd, void *mconfig,
                                      int argc, char *const argv[])
{
    (void)cmd;
    (void)argc;
    dir_conf *c = mconfig;
    const char *a = argv[0];
    if (strcasecmp(a, "on") == 0 || strcasecmp(a, "permanent") == 0)
        c->redirect_index = 301;
    else if (strcasecmp(a, "off") == 0)
        c->redirect_index = 0;
    else if (strcasecmp(a, "temp") == 0)
        c->redirect_index = 302;
    else if (strcasecmp(a, "seeother") == 0)
        c->redirect_index = 303;
    else if (isdigit((unsigned char)a[0]) && atoi(a) >= 300 && atoi(a) < 400)
        c->redirect_index = atoi(a);
    else
        return "DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx";
    return NULL;
}

#define DIR_CMD_PERMS OR_INDEXES

static const command_rec dir_cmds[] = {
    {"FallbackResource", cmd_fallback, 0, OR_FILEINFO, TAKE1,
     "Set a default handler"},
    {"DirectoryIndex", cmd_index, 0, DIR_CMD_PERMS, RAW_ARGS,
     "a list of file names"},
    {"DirectorySlash", cmd_slash, 0, DIR_CMD_PERMS, FLAG,
     "On or Off"},
    {"DirectoryCheckHandler", cmd_checkhandler, 0, DIR_CMD_PERMS, FLAG,
     "On or Off"},
    {"DirectoryIndexRedirect", cmd_index_redirect, 0, DIR_CMD_PERMS, TAKE1,
     "On, Off, or a 3xx status code."},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module dir_module = {
    .name = "dir_module",
    .file = "mod_dir.c",
    .cmds = dir_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
};
