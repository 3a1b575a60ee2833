/* readphase.c -- placeholder for the read phase. */
#include "readphase.h"
conf_node *conf_read(resolved_config *rc, const conf_options *o, diag_sink *d) { (void)rc; (void)o; (void)d; return NULL; }
int conf_check_mpm_count(resolved_config *rc, diag_sink *d) { (void)rc; (void)d; return 0; }
const module *conf_find_loaded_module(const resolved_config *rc, const char *n) { (void)rc; (void)n; return NULL; }
