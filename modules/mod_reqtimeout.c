/* mod_reqtimeout.c -- RequestReadTimeout header=N[-M][,MinRate=R]
 * body=N[-M][,MinRate=R] [handshake=...].
 *
 * As apache2 2.4 with mod_reqtimeout loaded (Debian loads it; measured,
 * tests/integration/test_reqtimeout.py): the head of a request must
 * arrive within `header` seconds of its first byte (of the connection's
 * start for the first request), the limit growing by a second per MinRate
 * bytes received up to the maximum; the body within `body` seconds of the
 * start of its reading, likewise.  An idle keep-alive wait is not counted
 * (KeepAliveTimeout governs it).  On expiry the connection is answered as
 * on a Timeout: a partial head or body gets a 408, a partial request line
 * is closed; "Request header read timeout" / "Request body read timeout"
 * (AH01382) is logged at info.  Without the directive the defaults are
 * Apache's: header=20-40,MinRate=500 body=20,MinRate=500.  handshake= is
 * for TLS, which this server does not speak: checked and ignored.  Each
 * read still has Timeout as its own limit.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_reqtimeout.h"
#include "module.h"

module reqtimeout_module;

#define RT_UNSET (-1)

typedef struct rt_conf {
    reqtimeout_stage stage[2]; /* init RT_UNSET: not set here */
} rt_conf;

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    rt_conf *c = arena_calloc(a, sizeof(*c));
    for (int i = 0; i < 2; i++)
        c->stage[i].init = RT_UNSET;
    return c;
}

static void *merge_server(arena *a, void *basev, void *addv)
{
    const rt_conf *base = basev, *add = addv;
    rt_conf *c = arena_alloc(a, sizeof(*c));
    for (int i = 0; i < 2; i++)
        c->stage[i] =
            add->stage[i].init != RT_UNSET ? add->stage[i] : base->stage[i];
    return c;
}

/* "20" or "20-40": 0 or the message's tail. */
static const char *parse_num(const char *s, const char **end, int *out)
{
    if (!isdigit((unsigned char)*s))
        return NULL;
    long v = strtol(s, (char **)end, 10);
    *out = v > 0x7fffffff ? 0x7fffffff : (int)v;
    return s;
}

static const char *set_param(cmd_parms *cmd, rt_conf *c, const char *word)
{
    const char *eq = strchr(word, '=');
    if (eq == NULL)
        return "Invalid RequestReadTimeout parameter. Parameter must be in "
               "the form 'key=value'";
    size_t klen = (size_t)(eq - word);
    const char *val = eq + 1;
    int kind;
    if (klen == 6 && strncasecmp(word, "header", 6) == 0)
        kind = REQTIMEOUT_HEADER;
    else if (klen == 4 && strncasecmp(word, "body", 4) == 0)
        kind = REQTIMEOUT_BODY;
    else if (klen == 9 && strncasecmp(word, "handshake", 9) == 0)
        kind = -1;
    else
        return arena_printf(cmd->temp,
                            "RequestReadTimeout: %s: Unknown "
                            "RequestReadTimeout parameter",
                            word);
    reqtimeout_stage st = {0, 0, 0};
    const char *p = val, *end;
    if (parse_num(p, &end, &st.init) == NULL)
        return arena_printf(cmd->temp,
                            "RequestReadTimeout: %s: Value '%s' "
                            "not numerical",
                            word, val);
    p = end;
    int ranged = 0;
    if (*p == '-') {
        if (parse_num(p + 1, &end, &st.max) == NULL)
            return arena_printf(cmd->temp,
                                "RequestReadTimeout: %s: Value "
                                "'%s' not numerical",
                                word, p + 1);
        ranged = 1;
        p = end;
    }
    if (*p == ',') {
        if (strncasecmp(p + 1, "MinRate=", 8) != 0)
            return arena_printf(cmd->temp,
                                "RequestReadTimeout: %s: Cannot "
                                "parse '%s'",
                                word, p);
        if (parse_num(p + 9, &end, &st.rate) == NULL)
            return arena_printf(cmd->temp,
                                "RequestReadTimeout: %s: Value "
                                "'%s' not numerical",
                                word, p + 9);
        if (st.rate == 0)
            return arena_printf(cmd->temp,
                                "RequestReadTimeout: %s: Minimum "
                                "data rate must be larger than 0",
                                word);
        p = end;
    }
    if (*p != '\0')
        return arena_printf(cmd->temp,
                            "RequestReadTimeout: %s: Cannot parse "
                            "'%s'",
                            word, p);
    if (ranged && st.rate == 0)
        return arena_printf(cmd->temp,
                            "RequestReadTimeout: %s: Must set "
                            "MinRate option if using timeout range",
                            word);
    if (ranged && st.max < st.init)
        return arena_printf(cmd->temp,
                            "RequestReadTimeout: %s: Maximum "
                            "timeout must be larger than initial "
                            "timeout",
                            word);
    if (kind >= 0)
        c->stage[kind] = st;
    return NULL;
}

static const char *cmd_reqtimeout(cmd_parms *cmd, void *mconfig, int argc,
                                  char *const argv[])
{
    (void)mconfig;
    rt_conf *c = conf_server_config(cmd, &reqtimeout_module);
    for (int i = 0; i < argc; i++) {
        const char *err = set_param(cmd, c, argv[i]);
        if (err != NULL)
            return err;
    }
    return NULL;
}

reqtimeout_stage reqtimeout_limit(const server_conf *s, enum reqtimeout_kind k)
{
    static const reqtimeout_stage defaults[2] = {{20, 40, 500}, {20, 0, 500}};
    const rt_conf *c = s && s->module_config && reqtimeout_module.index >= 0
                           ? conf_get(s->module_config, &reqtimeout_module)
                           : NULL;
    if (c != NULL && c->stage[k].init != RT_UNSET)
        return c->stage[k];
    return defaults[k];
}

int64_t reqtimeout_deadline_ms(reqtimeout_stage st, int64_t bytes)
{
    if (st.init <= 0)
        return -1;
    int64_t ms = (int64_t)st.init * 1000;
    if (st.rate > 0) {
        ms += bytes * 1000 / st.rate;
        if (st.max > 0 && ms > (int64_t)st.max * 1000)
            ms = (int64_t)st.max * 1000;
    }
    return ms;
}

static const command_rec reqtimeout_cmds[] = {
    {"RequestReadTimeout", cmd_reqtimeout, 0, RSRC_CONF, TAKE_ARGV,
     "Set various timeout parameters for TLS handshake and/or reading "
     "request headers and body"},
    {0},
};

module reqtimeout_module = {
    .name = "reqtimeout_module",
    .file = "mod_reqtimeout.c",
    .cmds = reqtimeout_cmds,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
};
