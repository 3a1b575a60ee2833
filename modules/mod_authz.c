/* mod_authz.c -- placeholder: authz_core and authz_host. */
#include "conf.h"
module authz_core_module = { .name = "authz_core_module", .file = "mod_authz_core.c" };
module authz_host_module = { .name = "authz_host_module", .file = "mod_authz_host.c" };
