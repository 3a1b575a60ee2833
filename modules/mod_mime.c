/* mod_mime.c -- placeholder; directives and runtime come with the modules work. */
#include "conf.h"
module mime_module = { .name = "mime_module", .file = "mod_mime.c" };
