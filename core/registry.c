/* registry.c -- placeholder for the directive dispatcher. */
#include "conf.h"
const char *conf_set_string_slot(cmd_parms *c, void *m, int n, char *const v[]) { (void)c; (void)m; (void)n; (void)v; return "todo"; }
const char *conf_set_flag_slot(cmd_parms *c, void *m, int n, char *const v[]) { (void)c; (void)m; (void)n; (void)v; return "todo"; }
const char *conf_set_int_slot(cmd_parms *c, void *m, int n, char *const v[]) { (void)c; (void)m; (void)n; (void)v; return "todo"; }
const char *conf_set_path_slot(cmd_parms *c, void *m, int n, char *const v[]) { (void)c; (void)m; (void)n; (void)v; return "todo"; }
const char *conf_check_context(cmd_parms *c, unsigned f) { (void)c; (void)f; return NULL; }
const char *conf_server_root_relative(cmd_parms *c, const char *p) { (void)c; return p; }
void conf_warn(cmd_parms *c, const char *m, const char *r, const char *fmt, ...) { (void)c; (void)m; (void)r; (void)fmt; }
const char *conf_args_error(arena *a, const command_rec *cmd, int argc) { (void)a; (void)cmd; (void)argc; return NULL; }
void conf_modules_init(void) {}
