/* prefork.c -- placeholder for the prefork MPM. */
#include "mpm.h"
static module mpm_mod = { .name = "mpm_prefork_module", .file = "prefork.c" };
static void query(const resolved_config *rc, struct mpm_query *q) { (void)rc; (void)q; }
static int check_config(resolved_config *rc, diag_sink *d) { (void)rc; (void)d; return 0; }
static enum mpm_exit run(mpm_context *ctx) { (void)ctx; return MPM_EXIT_ERROR; }
const struct mpm_module mpm_prefork_module = {
    MPM_MAGIC, MPM_ABI_VERSION, MPM_ABI_MARKER, "prefork", &mpm_mod, query, check_config, run,
};
