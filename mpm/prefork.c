/* prefork.c -- the prefork MPM: one single-threaded child per connection.
 *
 * The parent forks StartServers children after the core has opened the
 * listeners; once a second it counts idle children on the scoreboard and
 * spawns (in batches 1, 2, 4 ... 32, as Apache does) or retires one, within
 * MinSpareServers / MaxSpareServers and MaxRequestWorkers.  Children take
 * turns in accept() behind a cross-process lock (no thundering herd), serve
 * one connection at a time through http_conn_serve(), and exit after
 * MaxConnectionsPerChild connections.  Shared pieces live in mpm/common. */
#include "common/mpm_config.h"
#include "common/mpm_parent.h"
#include "log.h"
#include "mpm.h"

#include <signal.h>
#include <unistd.h>

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec prefork_cmds[] = {
    {"StartServers", mpm_set_int_slot, INT_SLOT(start_servers), RSRC_CONF,
     TAKE1, "Number of child processes launched at server startup"},
    {"MinSpareServers", mpm_set_int_slot, INT_SLOT(min_spare_servers),
     RSRC_CONF, TAKE1,
     "Minimum number of idle children, to handle request spikes"},
    {"MaxSpareServers", mpm_set_int_slot, INT_SLOT(max_spare_servers),
     RSRC_CONF, TAKE1, "Maximum number of idle children"},
    {"MaxClients", mpm_set_int_slot, INT_SLOT(max_request_workers), RSRC_CONF,
     TAKE1, "Deprecated name of MaxRequestWorkers"},
    {"MaxRequestWorkers", mpm_set_int_slot, INT_SLOT(max_request_workers),
     RSRC_CONF, TAKE1, "Maximum number of children alive at the same time"},
    {"ServerLimit", mpm_set_int_slot, INT_SLOT(server_limit), RSRC_CONF, TAKE1,
     "Maximum value of MaxRequestWorkers for this run of Apache"},
    {NULL, NULL, 0, 0, 0, NULL},
};

static module prefork_mod = {
    .name = "mpm_prefork_module",
    .file = "prefork.c",
    .cmds = prefork_cmds,
};

static void prefork_query(const resolved_config *rc, struct mpm_query *q)
{
    mpm_query_fill(rc, 0, q);
}

static int prefork_check_config(resolved_config *rc, diag_sink *diag)
{
    return mpm_check_prefork(rc, diag);
}

/* ---- runtime ------------------------------------------------------------ */

static const struct mpm_codes prefork_codes = {
    "mpm_prefork", 163, 171, 173, 169, 170, 161,
};

/* What a child needs; lives in the parent's memory, copied by fork. */
struct prefork_state {
    mpm_context *ctx;
    mpm_scoreboard *sb;
};

static int child_stopping(void *arg)
{
    (void)arg;
    return mpm_child_stop != 0;
}

static int inprocess_stopping(void *arg)
{
    (void)arg;
    return mpm_parent_signalled != 0;
}

/* Serve connections one at a time until told to stop or until
 * MaxConnectionsPerChild.  slot < 0: -X, in the parent itself. */
static int prefork_child(int slot, void *arg)
{
    struct prefork_state *st = arg;
    mpm_context *ctx = st->ctx;
    int (*stopping)(void *) = slot < 0 ? inprocess_stopping : child_stopping;
    int maxconn = ctx->rc->max_connections_per_child;
    http_engine_child_init(ctx->rc);
    int ep = mpm_listen_epoll(ctx);
    if (ep < 0)
        return 1;
    unsigned long served = 0;
    if (slot >= 0)
        sb_bind(sb_worker_at(st->sb, slot, 0));
    while (!stopping(NULL) &&
           (maxconn <= 0 || served < (unsigned long)maxconn)) {
        if (slot >= 0)
            mpm_sb_set(st->sb, slot, 0, SB_READY);
        struct sockaddr_storage peer;
        socklen_t plen;
        int which;
        int fd = mpm_accept(ep, ctx, -1, &peer, &plen, &which);
        if (fd < 0)
            continue;
        if (slot >= 0)
            mpm_sb_set(st->sb, slot, 0, SB_BUSY);
        http_conn *c = http_conn_create(fd, (struct sockaddr *)&peer, plen,
                                        &ctx->listeners[which], ctx->rc);
        if (c == NULL) {
            close(fd);
            continue;
        }
        mpm_serve_blocking(c, stopping, NULL, mpm_wait_mask());
        served++;
        if (slot >= 0)
            mpm_sb_count_served(st->sb, slot, 0);
    }
    if (slot >= 0)
        mpm_sb_set(st->sb, slot, 0, SB_GRACEFUL);
    close(ep);
    return 0;
}

static enum mpm_exit prefork_run(mpm_context *ctx)
{
    static struct prefork_state st;
    mpm_config *cfg = mpm_config_get(ctx->rc);
    if (!cfg->checked)
        mpm_check_prefork(ctx->rc, NULL);
    st.ctx = ctx;
    st.sb = mpm_scoreboard_get(cfg->server_limit, 1);
    mpm_config_started("mpm_prefork", cfg->server_limit, 0);
    mpm_signals_parent();
    if (ctx->one_process) {
        mpm_sb_one_process(st.sb, ctx, 1);
        sb_bind(sb_worker_at(st.sb, 0, 0));
        prefork_child(-1, &st);
        int action = mpm_signal_action();
        return action < 0 ? MPM_EXIT_STOP : (enum mpm_exit)action;
    }
    struct mpm_parent parent = {
        .ctx = ctx,
        .sb = st.sb,
        .codes = &prefork_codes,
        .child_main = prefork_child,
        .child_arg = &st,
        .threads_per_child = 1,
        .start_servers = cfg->start_servers,
        .daemons_limit = cfg->max_request_workers,
        .min_idle = cfg->min_spare_servers,
        .max_idle = cfg->max_spare_servers,
    };
    return mpm_parent_run(&parent);
}

const struct mpm_module mpm_prefork_module = {
    MPM_MAGIC,    MPM_ABI_VERSION, MPM_ABI_MARKER,       "prefork",
    &prefork_mod, prefork_query,   prefork_check_config, prefork_run,
};
