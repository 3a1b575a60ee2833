/* event.c -- placeholder for the event MPM. */
#include "mpm.h"
static module mpm_mod = { .name = "mpm_event_module", .file = "event.c" };
static void query(const resolved_config *rc, struct mpm_query *q) { (void)rc; (void)q; }
static int check_config(resolved_config *rc, diag_sink *d) { (void)rc; (void)d; return 0; }
static enum mpm_exit run(mpm_context *ctx) { (void)ctx; return MPM_EXIT_ERROR; }
const struct mpm_module mpm_event_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "event", &mpm_mod, query, check_config, run,
};
