/* event.c -- the event MPM. */
#include "mpm.h"
#include "log.h"
#include "common/mpm_config.h"

#define INT_SLOT(field) offsetof(mpm_config, field)

static const command_rec event_cmds[] = {
    { "StartServers", mpm_set_int_slot, INT_SLOT(start_servers), RSRC_CONF,
      TAKE1, "Number of child processes launched at server startup" },
    { "MinSpareThreads", mpm_set_int_slot, INT_SLOT(min_spare_threads),
      RSRC_CONF, TAKE1,
      "Minimum number of idle threads, to handle request spikes" },
    { "MaxSpareThreads", mpm_set_int_slot, INT_SLOT(max_spare_threads),
      RSRC_CONF, TAKE1, "Maximum number of idle threads" },
    { "MaxClients", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Deprecated name of MaxRequestWorkers" },
    { "MaxRequestWorkers", mpm_set_int_slot, INT_SLOT(max_request_workers),
      RSRC_CONF, TAKE1, "Maximum number of threads alive at the same time" },
    { "ThreadsPerChild", mpm_set_int_slot, INT_SLOT(threads_per_child),
      RSRC_CONF, TAKE1, "Number of threads each child creates" },
    { "ServerLimit", mpm_set_int_slot, INT_SLOT(server_limit), RSRC_CONF,
      TAKE1, "Maximum number of child processes for this run of Apache" },
    { "ThreadLimit", mpm_set_int_slot, INT_SLOT(thread_limit), RSRC_CONF,
      TAKE1, "Maximum number of worker threads per child process for this "
      "run of Apache - Upper limit for ThreadsPerChild" },
    { "AsyncRequestWorkerFactor", mpm_set_async_factor, 0, RSRC_CONF, TAKE1,
      "How many additional connects will be accepted per idle worker thread" },
    { NULL, NULL, 0, 0, 0, NULL },
};

static module event_mod = {
    .name = "mpm_event_module",
    .file = "event.c",
    .cmds = event_cmds,
};

static void event_query(const resolved_config *rc, struct mpm_query *q)
{
    mpm_query_fill(rc, 1, q);
    q->async = 1;
}

static int event_check_config(resolved_config *rc, diag_sink *diag)
{
    return mpm_check_threaded(rc, diag, "mpm_event", 497, EVENT_MAX_SERVER_LIMIT,
                              EVENT_MAX_THREAD_LIMIT);
}

static enum mpm_exit event_run(mpm_context *ctx)
{
    (void)ctx;
    log_error(APLOG_EMERG, "mpm_event", 0, "event: not running yet");
    return MPM_EXIT_ERROR;
}

const struct mpm_module mpm_event_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "event", &event_mod,
    event_query, event_check_config, event_run,
};
