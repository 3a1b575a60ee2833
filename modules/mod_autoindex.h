/* mod_autoindex.h -- IndexOptions, IndexIgnore, HeaderName, ReadmeName,
 * IndexOrderDefault and the icon/alt/description directives. */
#ifndef HTTPD_MOD_AUTOINDEX_H
#define HTTPD_MOD_AUTOINDEX_H

#include "conf.h"

/* IndexOptions bits. */
#define AI_NO_OPTIONS (1 << 0)
#define AI_ICONS_ARE_LINKS (1 << 1)
#define AI_SCAN_HTML_TITLES (1 << 2)
#define AI_SUPPRESS_ICON (1 << 3)
#define AI_SUPPRESS_LAST_MOD (1 << 4)
#define AI_SUPPRESS_SIZE (1 << 5)
#define AI_SUPPRESS_DESC (1 << 6)
#define AI_SUPPRESS_PREAMBLE (1 << 7)
#define AI_SUPPRESS_COLSORT (1 << 8)
#define AI_SUPPRESS_RULES (1 << 9)
#define AI_FOLDERS_FIRST (1 << 10)
#define AI_VERSION_SORT (1 << 11)
#define AI_TRACK_MODIFIED (1 << 12)
#define AI_FANCY_INDEXING (1 << 13)
#define AI_TABLE_INDEXING (1 << 14)
#define AI_IGNORE_CLIENT (1 << 15)
#define AI_IGNORE_CASE (1 << 16)
#define AI_EMIT_XHTML (1 << 17)
#define AI_SHOW_FORBIDDEN (1 << 18)
#define AI_ADDALTCLASS (1 << 19)

#define AI_K_ADJUST 1 /* NameWidth=* */
#define AI_K_NOADJUST 0
#define AI_K_UNSET 2

#define AI_DEFAULT_ICON_WIDTH 20
#define AI_DEFAULT_ICON_HEIGHT 22
#define AI_DEFAULT_NAME_WIDTH 23
#define AI_DEFAULT_DESC_WIDTH 23

/* AddIcon*, AddAlt*, AddDescription entries. */
enum ai_item_kind { AI_ICON, AI_ALT, AI_DESC };
enum ai_item_match { AI_BY_NAME, AI_BY_TYPE, AI_BY_ENCODING };

typedef struct ai_item {
    enum ai_item_kind kind;
    enum ai_item_match match;
    const char *data;    /* icon URL, alt text or description */
    const char *pattern; /* file name/pattern, MIME type or encoding */
    const char *apply;   /* where it applies: the section's path and "*"
                          * (Apache's apply_path) */
    struct ai_item *next;
} ai_item;

/* An IndexIgnore pattern and where it applies, as ai_item's. */
typedef struct ai_ignore {
    const char *pattern;
    const char *apply;
} ai_ignore;

typedef struct autoindex_conf {
    int opts, incremented_opts, decremented_opts;
    int icon_width, icon_height; /* 0: unset */
    int name_width, name_adjust; /* name_adjust AI_K_* */
    int desc_width, desc_adjust;
    const char *ctype, *charset, *datetime_format;
    char default_keyid;     /* 0 unset, 'N' 'M' 'S' 'D' */
    char default_direction; /* 0 unset, 'A' 'D' */
    ai_ignore *ignore;      /* IndexIgnore patterns */
    int nignore;
    int ignore_reset;        /* IndexIgnoreReset On */
    const char *header_name; /* HeaderName */
    const char *readme_name; /* ReadmeName */
    const char *default_icon;
    const char *style_sheet;
    const char *head_insert;
    ai_item *items, *items_tail; /* icons, alts, descriptions */
} autoindex_conf;

extern module autoindex_module;

struct request;
/* The handler for "httpd/unix-directory" (autoindex_listing.c). */
int autoindex_handler(struct request *r);

#endif
