/* mod_autoindex.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module autoindex_module = { .name = "autoindex_module", .file = "mod_autoindex.c" };
