/* prefork.c -- the prefork MPM: one single-threaded child per connection.
 *
 * The parent forks StartServers children after the core has opened the
 * listeners; once a second it counts idle children on the scoreboard and
 * spawns (in batches 1, 2, 4 ... 32, as Apache does) or retires one, within
 * MinSpareServers / MaxSpareServers and MaxRequestWorkers.  Children take
 * turns in accept() behind a cross-process lock (no thundering herd), serve
 * one connection at a time through http_conn_serve(), and exit after
 * MaxConnectionsPerChild connections.  Shared pieces live in mpm/common. */
#include "mpm.h"
#include "common/mpm_config.h"
#include "log.h"

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec prefork_cmds[] = {
    { "StartServers", mpm_set_int_slot, INT_SLOT(start_servers), RSRC_CONF,
      TAKE1, "Number of child processes launched at server startup" },
    { "MinSpareServers", mpm_set_int_slot, INT_SLOT(min_spare_servers),
      RSRC_CONF, TAKE1,
      "Minimum number of idle children, to handle request spikes" },
    { "MaxSpareServers", mpm_set_int_slot, INT_SLOT(max_spare_servers),
      RSRC_CONF, TAKE1, "Maximum number of idle children" },
    { "MaxClients", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Deprecated name of MaxRequestWorkers" },
    { "MaxRequestWorkers", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Maximum number of children alive at the same time" },
    { "ServerLimit", mpm_set_int_slot, INT_SLOT(server_limit), RSRC_CONF,
      TAKE1, "Maximum value of MaxRequestWorkers for this run of Apache" },
    { NULL, NULL, 0, 0, 0, NULL },
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

static enum mpm_exit prefork_run(mpm_context *ctx)
{
    (void)ctx;
    log_error(APLOG_EMERG, "mpm_prefork", 0, "prefork: not running yet");
    return MPM_EXIT_ERROR;
}

const struct mpm_module mpm_prefork_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "prefork", &prefork_mod,
    prefork_query, prefork_check_config, prefork_run,
};
