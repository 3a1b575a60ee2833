/* mod_headers.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module headers_module = { .name = "headers_module", .file = "mod_headers.c" };
