/* mod_log_config.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module log_config_module = { .name = "log_config_module", .file = "mod_log_config.c" };
