/* mod_dir.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module dir_module = { .name = "dir_module", .file = "mod_dir.c" };
