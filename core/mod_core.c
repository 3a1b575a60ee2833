/* mod_core.c -- placeholder: core, so, http, logio, version, unixd. */
#include "conf.h"
module core_module = { .name = "core_module", .file = "core.c" };
module so_module = { .name = "so_module", .file = "mod_so.c" };
module http_module = { .name = "http_module", .file = "http_core.c" };
module logio_module = { .name = "logio_module", .file = "mod_logio.c" };
module version_module = { .name = "version_module", .file = "mod_version.c" };
module unixd_module = { .name = "unixd_module", .file = "mod_unixd.c" };
