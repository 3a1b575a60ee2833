/* mod_alias.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module alias_module = { .name = "alias_module", .file = "mod_alias.c" };
