/* config.h -- the resolved configuration: the toolchain's product.
 *
 * One typed structure per configuration generation, every byte of it in
 * rc->arena, read-only once conf_load() returns.  The server core opens what
 * it names; MPMs see it and the open listeners, nothing else.
 *
 * Per-module settings hang off module_config arrays indexed by
 * module->index (conf_get()); the core's own settings are the typed structs
 * below.  Values start UNSET and are merged outer -> inner
 * (main server -> vhost -> sections).
 */
#ifndef HTTPD_CONF_H
#define HTTPD_CONF_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "arena.h"
#include "conf_regex.h"
#include "diag.h"
#include "module.h"
#include "parser.h"

#define UNSET (-1)

struct mpm_module;

/* ---- listeners ------------------------------------------------------ */

/* AcceptFilter protocol filter (lowercased), last one per protocol wins. */
typedef struct accept_filter {
    const char *proto;
    const char *filter;
    struct accept_filter *next;
} accept_filter;

typedef struct listener_conf {
    const char *host; /* NULL: all addresses; else "127.0.0.1", "::1" */
    int port;
    const char *proto; /* "http" unless given */
    const char *file;  /* where Listen was written */
    int line;
    struct listener_conf *next;
} listener_conf;

/* ---- per-directory (core) ------------------------------------------- */

/* Options bits. */
#define OPT_NONE 0
#define OPT_INDEXES 1
#define OPT_INCLUDES 2
#define OPT_SYM_LINKS 4
#define OPT_EXECCGI 8
#define OPT_UNSET 16
#define OPT_INC_WITH_EXEC 32
#define OPT_SYM_OWNER 64
#define OPT_MULTI 128
#define OPT_ALL                                                                \
    (OPT_INDEXES | OPT_INCLUDES | OPT_INC_WITH_EXEC | OPT_SYM_LINKS |          \
     OPT_EXECCGI)

/* FileETag bits. */
#define ETAG_UNSET 0
#define ETAG_NONE (1 << 0)
#define ETAG_MTIME (1 << 1)
#define ETAG_INODE (1 << 2)
#define ETAG_SIZE (1 << 3)
#define ETAG_DIGEST (1 << 4)
#define ETAG_ALL (ETAG_MTIME | ETAG_INODE | ETAG_SIZE)

/* MaxRanges values besides a positive count (Apache's AP_MAXRANGES_*). */
#define RANGES_NONE 0
#define RANGES_DEFAULT (-2)
#define RANGES_UNLIMITED (-3)

typedef struct error_document {
    int status;
    const char *target; /* text ("..."/plain), local URL (/...), or URL */
    int is_text;        /* quoted text form */
    struct error_document *next;
} error_document;

typedef struct core_dir_conf {
    int options;               /* OPT_* effective after merge */
    int opts_add, opts_remove; /* +/- forms, for merging */
    int override;              /* AllowOverride bits (OR_*), UNSET */
    int etag_bits, etag_add, etag_remove;
    int enable_sendfile; /* UNSET, 0, 1 */
    int enable_mmap;
    const char *add_default_charset; /* NULL unset, "" Off, else charset */
    int add_default_charset_set;
    error_document *error_documents;
    int64_t limit_req_body; /* UNSET or bytes (0 = unlimited) */
    int server_signature;   /* UNSET, 0 Off, 1 On, 2 EMail */
    int use_canonical_name; /* UNSET, 0 Off, 1 On, 2 DNS */
    int hostname_lookups;   /* UNSET, 0 Off, 1 On, 2 Double */
    int allow_encoded_slashes;
    const char *handler; /* SetHandler, lower-cased ("none" cancels) */
    const struct expr *handler_expr; /* SetHandler with %{...} in it */
    const char *mime_type;     /* ForceType, lower-cased ("none" cancels) */
    const char *output_filter; /* SetOutputFilter: names split by ';' */
    int accept_path_info;      /* AcceptPathInfo: UNSET, 0 Off, 1 On,
                                * 2 Default */
    int content_md5;           /* ContentDigest: UNSET, 0, 1 */
    /* MaxRanges, MaxRangeOverlaps, MaxRangeReversals: UNSET, RANGES_NONE,
     * RANGES_DEFAULT, RANGES_UNLIMITED or a positive count */
    int max_ranges, max_overlaps, max_reversals;
    int override_opts; /* AllowOverride Options=... (OPT_* bits) */
    const char *const *override_list;   /* AllowOverrideList: directive names
                                         * (NULL-terminated; NULL unset, empty
                                         * for None) */
    struct section_conf *file_sections; /* <Files> nested in this section */
    struct if_section *if_sections;     /* <If>/<ElseIf>/<Else> of this scope,
                                         * in order; merging appends */
    /* LogLevel in a section: the level (UNSET) and MODULE:LEVEL pairs,
     * newest first.  A level drops the pairs from outer scopes (Apache's
     * ap_merge_log_config). */
    int log_level;
    struct module_log_level *module_levels;
} core_dir_conf;

/* One <If>, <ElseIf> or <Else> section: merged after <Location> when its
 * condition holds and no earlier member of its chain matched. */
enum if_kind { IF_IF, IF_ELSEIF, IF_ELSE };

typedef struct if_section {
    enum if_kind kind;
    const struct expr *condition; /* NULL for <Else> */
    void **module_config;         /* per-module per-dir config of the body */
    const char *file;
    int line;
    struct if_section *next;
} if_section;

/* ---- sections (Directory, Files, Location...) ----------------------- */

/* (pointers, then ints: no padding; one per section, and a large
 * configuration has a <Directory> per vhost) */
typedef struct section_conf {
    const char *path;     /* path or pattern as given, ServerRoot-resolved
                           * for Directory */
    conf_regex_t *regex;  /* compiled once at resolve time */
    void **module_config; /* per-module per-dir config of this section */
    const char *file;
    struct section_conf *next;
    enum section_kind kind;
    int is_regex; /* *Match, or "~" form */
    int depth;    /* components, for Apache's Directory order */
    int level;    /* the walk's level of a non-regex Directory:
                   * its '/'s, a trailing component counting as
                   * one ("/" is 1) */
    int line;
    int order; /* position in the file, for stable merge order */
} section_conf;

/* ---- servers --------------------------------------------------------- */

typedef struct vhost_addr {
    const char *host; /* "*", "_default_", an address or a name */
    int port;         /* 0 means '*' (any port) */
    struct vhost_addr *next;
} vhost_addr;

typedef struct module_log_level {
    const char *module; /* "core", "mime"... as written before ':' */
    int level;
    struct module_log_level *next;
} module_log_level;

/* HttpProtocolOptions bits */
#define HTTP_CONF_STRICT 1
#define HTTP_CONF_UNSAFE 2
#define HTTP_METHODS_LENIENT 1
#define HTTP_METHODS_REGISTERED 2
#define HTTP09_ALLOW 1
#define HTTP09_REQUIRE10 2

/* (the ints are kept together: no padding, one per vhost) */
typedef struct server_conf {
    int is_virtual;
    int defn_line;
    const char *defn_file; /* <VirtualHost> location, or main config */
    vhost_addr *addrs;     /* <VirtualHost a b c>; NULL for main server */

    const char *server_name;   /* NULL: not set (main server: derived) */
    const char *server_scheme; /* "http" or from ServerName scheme:// */
    const char *server_admin;
    const char **aliases;      /* ServerAlias names, may hold wildcards */
    const char *document_root; /* absolute; main server always has one */
    int port;                  /* from ServerName host:port, 0 if none */
    int naliases;

    const char *error_log; /* path, "|prog", or "syslog..." */
    int error_fd;          /* a vhost's own ErrorLog once log_open()
                            * opened it; 0: the main server's */
    int log_level;         /* APLOG_* level */
    int timeout_ms;        /* Timeout */
    int keep_alive;        /* UNSET, 0, 1 */
    int max_keepalive_requests;
    int keepalive_timeout_ms;
    int limit_req_line;
    int limit_req_fieldsize;
    int limit_req_fields;
    /* HttpProtocolOptions, as bits the directive sets (0: not set);
     * bytes, so the three share one slot after the ints */
    unsigned char http_conformance; /* HTTP_CONF_STRICT | HTTP_CONF_UNSAFE */
    unsigned char http_methods;     /* HTTP_METHODS_LENIENT | _REGISTERED */
    unsigned char http09;           /* HTTP09_ALLOW | HTTP09_REQUIRE10 */
    unsigned char trace_enable;     /* TraceEnable + 1 (0: not set: the
                                     * main server's, rc->trace_enable) */

    void **module_config;   /* per-module server config */
    void **lookup_defaults; /* per-module per-dir config at server level */

    section_conf *dir_sections;  /* <Directory>/<DirectoryMatch>, merge order */
    section_conf *file_sections; /* <Files>/<FilesMatch> at server level */
    section_conf *loc_sections;  /* <Location>/<LocationMatch>, in order */

    struct module_log_level *module_levels; /* LogLevel mod:level */
    /* ErrorLogFormat: the main format, and the once-per-request and
     * once-per-connection ones (log.h); NULL: unset (a vhost inherits) */
    const struct log_errfmt *error_format;
    const struct log_errfmt *error_format_request;
    const struct log_errfmt *error_format_conn;

    struct server_conf *next; /* next vhost */
} server_conf;

/* ---- modules as loaded ---------------------------------------------- */

typedef struct loaded_module {
    const module *mod;
    int is_static;         /* compiled in, or loaded from a .so */
    const char *file;      /* .so path for shared modules */
    const char *conf_file; /* where LoadModule was written */
    int conf_line;
    struct loaded_module *next;
} loaded_module;

typedef struct define_entry {
    const char *name;
    const char *value; /* NULL for bare -D NAME / Define NAME */
    struct define_entry *next;
} define_entry;

/* ---- the whole generation ------------------------------------------- */

typedef struct resolved_config {
    arena *arena;
    unsigned generation;
    /* unique in the process (0: not from conf_load): what the walk's
     * cache of merged vectors is keyed by, as an address can come back */
    unsigned long serial;

    const char *argv0; /* for AH00534 and usage lines */
    const char *server_root;
    const char *conf_file; /* main configuration file */
    const char *pid_file;  /* resolved against DefaultRuntimeDir rules */
    const char *default_runtime_dir;
    const char *user, *group; /* names as written (NULL unset) */
    uid_t uid;
    gid_t gid;
    int server_tokens; /* SERVER_TOKENS_* */
    int trace_enable;  /* 0 off, 1 on, 2 extended */
    int listen_backlog;
    int graceful_shutdown_timeout;
    int max_connections_per_child; /* also MaxRequestsPerChild */
    int extended_status;           /* ExtendedStatus: -1 unset (mod_status
                                    * decides), 0 Off, 1 On */
    int see_request_tail;          /* SeeRequestTail */
    const char *access_file_name;  /* AccessFileName (.htaccess) */
    accept_filter *accept_filters; /* AcceptFilter, newest first */
    int output_filters;            /* a directive names an output filter
                                    * (SetOutputFilter...; an access file's
                                    * sets it as it is read, atomically): the
                                    * engine looks for filters only then */

    server_conf *main_server;
    server_conf *vhosts; /* in configuration order */
    int nvhosts;
    listener_conf *listeners; /* in configuration order */

    const struct mpm_module *mpm;
    int mpm_is_static;
    const char *mpm_file; /* .so path when shared */
    void *mpm_config;     /* the MPM's own typed settings */

    loaded_module *modules;   /* every loaded module, in load order */
    define_entry *defines;    /* -D and Define, final state */
    conf_node *tree;          /* the read-phase tree (for DUMP_CONFIG) */
    const char *types_config; /* resolved TypesConfig path */
    /* Every configuration file read, in reading order (the main file
     * first), for -D DUMP_INCLUDES; filled by conf_read (may be NULL: the
     * front end then derives the list from the tree). */
    struct include_entry *includes;
    /* Extension methods named by <Limit>/<LimitExcept> in the main
     * configuration: number M_INVALID + 1 + index, as Apache registers
     * them (request.h) */
    const char **methods;
    int nmethods;
} resolved_config;

/* A method name's number: the standard ones (HEAD is GET), then those
 * registered by <Limit>, else M_INVALID (request.h). */
int conf_method_number(const resolved_config *rc, const char *name);

typedef struct include_entry {
    const char *file; /* as opened */
    int depth;        /* 0 for the main file */
    int parent_line;  /* line of the Include that read it (0: main) */
    struct include_entry *next;
} include_entry;

#define SERVER_TOKENS_PROD 0
#define SERVER_TOKENS_MAJOR 1
#define SERVER_TOKENS_MINOR 2
#define SERVER_TOKENS_MIN 3
#define SERVER_TOKENS_OS 4
#define SERVER_TOKENS_FULL 5

/* Apache's log levels. */
enum {
    APLOG_EMERG,
    APLOG_ALERT,
    APLOG_CRIT,
    APLOG_ERR,
    APLOG_WARNING,
    APLOG_NOTICE,
    APLOG_INFO,
    APLOG_DEBUG,
    APLOG_TRACE1,
    APLOG_TRACE2,
    APLOG_TRACE3,
    APLOG_TRACE4,
    APLOG_TRACE5,
    APLOG_TRACE6,
    APLOG_TRACE7,
    APLOG_TRACE8
};

/* ---- the pipeline ---------------------------------------------------- */

typedef struct conf_options {
    const char *argv0;          /* "httpd" as invoked, for messages */
    const char *server_root;    /* -d, or NULL for the compiled default */
    const char *conf_file;      /* -f, or NULL for conf/httpd.conf */
    const char *const *defines; /* -D NAME (or NAME=VALUE), NULL-ended */
    const char *const *pre_directives;  /* -c: after reading ... */
    const char *const *post_directives; /* -C: before reading the file */
    int skip_docroot_check;             /* -T */
    int check_only;                     /* -t: no side effects beyond checks */
    /* -D DUMP_INCLUDES: when set, each configuration file is printed here
     * as it is opened, while DUMP_INCLUDES is defined at that point (as
     * Apache does, so a failed read still lists the files read so far) */
    FILE *include_listing;
    unsigned generation;
} conf_options;

/* Parse, read (Include, Define, If*, LoadModule), check the MPM count,
 * walk every directive through the module tables, run the checks, and
 * return the resolved configuration, or NULL if any error was reported
 * (everything allocated is then released).  Never prints: all problems go
 * to diag. */
resolved_config *conf_load(const conf_options *opts, diag_sink *diag);

/* Serving: run the modules' open_logs hooks once the error log is open.
 * 0, or nonzero when one refused (*startup as module.h says). */
int conf_open_logs(resolved_config *rc, const char **startup);

/* Release a generation: its arena and whatever cleanups it registered. */
void conf_release(resolved_config *rc);

/* Print the resolved configuration as flattened Apache syntax (includes
 * inlined, variables substituted, conditionals resolved), each directive
 * followed by "# file:line".  Reading it back gives the same configuration. */
void conf_dump(const resolved_config *rc, FILE *out);

/* Core module's per-dir config of a scope. */
extern module core_module;
static inline core_dir_conf *core_dir(void *const *dir_config)
{
    return (core_dir_conf *)conf_get(dir_config, &core_module);
}

#endif
