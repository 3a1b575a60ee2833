/* resolve.c -- placeholder for the configuration pipeline. */
#include "conf.h"
resolved_config *conf_load(const conf_options *o, diag_sink *d) { (void)o; diag_errorf(d, DIAG_GLOBAL, NULL, 0, 0, "todo", "not written yet"); return NULL; }
void conf_release(resolved_config *rc) { if (rc) arena_destroy(rc->arena); }
void conf_dump(const resolved_config *rc, FILE *out) { (void)rc; (void)out; }
