/* mod_mime.h -- TypesConfig, AddType, AddEncoding, AddCharset, AddLanguage,
 * AddHandler, AddOutputFilter, DefaultLanguage and their Remove* forms. */
#ifndef HTTPD_MOD_MIME_H
#define HTTPD_MOD_MIME_H

#include "conf.h"

enum mime_field {
    MIME_TYPE,
    MIME_ENCODING,
    MIME_CHARSET,
    MIME_LANGUAGE,
    MIME_HANDLER,
    MIME_OUTPUT_FILTER, /* AddOutputFilter: names split by ';' */
    MIME_NFIELDS
};

/* One extension mapping.  value "" means "removed" (RemoveType...). */
typedef struct mime_mapping {
    const char *ext; /* lower case, without the leading dot */
    enum mime_field field;
    const char *value; /* lower case as Apache stores it */
    struct mime_mapping *next;
} mime_mapping;

/* Per directory.  Mappings are kept in order; the last one for an
 * (extension, field) pair wins, and Remove* of a scope is applied after
 * that scope's Add* (as Apache's merge does). */
typedef struct mime_dir_conf {
    mime_mapping *adds, *adds_tail;
    mime_mapping *removes, *removes_tail;
    const char *default_language; /* NULL unset */
    int multimatch;               /* MultiviewsMatch: MULTIMATCH_*, 0 unset */
} mime_dir_conf;

/* MultiviewsMatch: which extensions count as metadata for MultiViews
 * (mod_negotiation), besides types, languages, charsets and encodings. */
#define MULTIMATCH_ANY 1
#define MULTIMATCH_NEGOTIATED 2
#define MULTIMATCH_HANDLERS 4
#define MULTIMATCH_FILTERS 8

/* The note mod_mime leaves on a request whose name had an extension it
 * knew (Apache's "ap-mime-exceptions-list"): the base name, then each
 * extension that said nothing, lower case, joined by '/' (which no file
 * name holds).  Absent when no extension meant anything, and on requests
 * that are not lookups (sub-requests), which nothing asks. */
#define MIME_EXCEPTIONS_NOTE "ap-mime-exceptions-list"

typedef struct mime_server_conf {
    const char *types_config; /* TypesConfig as written, NULL unset */
} mime_server_conf;

extern module mime_module;

/* The value for ext and field in the merged config: NULL when none is
 * configured, "" when a Remove* directive took it away. */
const char *mime_lookup(const mime_dir_conf *c, const char *ext,
                        enum mime_field field);

#endif
