/* loadmod.c -- placeholder for the shared-object loader. */
#include "mpm.h"
const struct mpm_module *mpm_load_shared(arena *a, const char *path, const char *symbol, const char **err)
{ (void)a; (void)path; (void)symbol; *err = "not written yet"; return NULL; }
