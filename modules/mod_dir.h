/* mod_dir.h -- DirectoryIndex, DirectorySlash, FallbackResource,
 * DirectoryIndexRedirect, DirectoryCheckHandler. */
#ifndef HTTPD_MOD_DIR_H
#define HTTPD_MOD_DIR_H

#include "conf.h"

typedef struct dir_conf {
    const char **index_names; /* NULL: unset (inherit); nindex 0: disabled */
    int nindex;
    int do_slash;         /* UNSET, 0, 1 */
    int checkhandler;     /* UNSET, 0, 1 */
    int redirect_index;   /* UNSET, 0 (off), or a 3xx status */
    const char *fallback; /* NULL unset, "disabled", or a URL-path */
} dir_conf;

extern module dir_module;

struct request;
/* A lookup of uri as Apache's sub-requests run it: its fixups too, so
 * a missing file under a FallbackResource becomes that resource. */
struct request *dir_lookup_uri(struct request *r, const char *uri);

#endif
