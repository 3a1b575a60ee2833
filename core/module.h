/* module.h -- what a module is: a name, one directive table, per-scope
 * configuration constructors and mergers, and a short fixed list of hooks.
 *
 * Directives are data (Apache's command_rec, nginx's ngx_command_t).  One
 * dispatcher (core/registry.c) checks context and argument count for every
 * directive, so every such message is produced in one place with Apache's
 * wording; handlers only turn arguments into typed settings and return NULL
 * or an error string.  Handlers never print and never exit.
 */
#ifndef HTTPD_MODULE_H
#define HTTPD_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "parser.h"

struct server_conf;
struct resolved_config;
struct request;
struct module;

/* Where a directive may appear: Apache's req_override bits. */
#define OR_NONE 0
#define OR_LIMIT 1
#define OR_OPTIONS 2
#define OR_FILEINFO 4
#define OR_AUTHCFG 8
#define OR_INDEXES 16
#define OR_UNSET 32
#define ACCESS_CONF 64   /* <Directory>, <Location>, <Files> sections */
#define RSRC_CONF 128    /* server config and <VirtualHost> */
#define EXEC_ON_READ 256 /* run by the read phase, not the walk */
#define OR_ALL (OR_LIMIT | OR_OPTIONS | OR_FILEINFO | OR_AUTHCFG | OR_INDEXES)
/* AllowOverride Nonfatal=Override|Unknown|All: in an access file, a
 * directive the override classes forbid, or an unknown one, is logged
 * (AH02295, AH02296) and skipped instead of failing the request. */
#define NONFATAL_OVERRIDE 512
#define NONFATAL_UNKNOWN 1024
#define NONFATAL_ALL (NONFATAL_OVERRIDE | NONFATAL_UNKNOWN)

/* Argument shapes, with Apache's meaning and messages:
 *   RAW_ARGS  the handler gets the whole argument string as argv[0]
 *   TAKE1.. TAKE123  fixed counts ("X takes one argument, HELP")
 *   ITERATE   handler called once per word; ITERATE2 first word + each rest
 *   FLAG      On/Off ("X must be On or Off"); handler gets cmd->flag
 *   NO_ARGS   ("X takes no arguments")
 *   TAKE_ARGV any number of words, handler gets them all */
enum cmd_how {
    RAW_ARGS,
    TAKE1,
    TAKE2,
    ITERATE,
    ITERATE2,
    FLAG,
    NO_ARGS,
    TAKE12,
    TAKE3,
    TAKE23,
    TAKE123,
    TAKE13,
    TAKE_ARGV
};

/* Section kinds, for cmd_parms.section and for context messages. */
enum section_kind {
    SEC_NONE = 0,
    SEC_VIRTUALHOST,
    SEC_DIRECTORY,
    SEC_DIRECTORY_MATCH,
    SEC_FILES,
    SEC_FILES_MATCH,
    SEC_LOCATION,
    SEC_LOCATION_MATCH,
    SEC_LIMIT,
    SEC_IF
};

struct conn_info;
typedef struct cmd_parms cmd_parms;
/* mconfig: the owning module's per-directory config of the scope, created
 * on first use.  A directive allowed only at server level (req_override
 * RSRC_CONF alone) gets the existing one or NULL: per-directory settings
 * are not its business, and creating one per <VirtualHost> for every
 * ServerName would cost memory for nothing. */
typedef const char *(*cmd_handler)(cmd_parms *cmd, void *mconfig, int argc,
                                   char *const argv[]);

typedef struct command_rec {
    const char *name;
    cmd_handler fn;
    size_t offset;    /* for generic setters: offsetof into mconfig */
    int req_override; /* where it may appear: RSRC_CONF | ACCESS_CONF | OR_* */
    enum cmd_how args_how;
    const char *errmsg; /* help text, used in argument-count messages */
} command_rec;

struct cmd_parms {
    arena *arena; /* the configuration generation's arena */
    arena *temp;  /* scratch, dropped after the walk */
    const command_rec *cmd;
    const struct module *module; /* module owning cmd */
    const conf_node *node;       /* the directive: file, line, col, args */
    struct resolved_config *rc;
    struct server_conf *server; /* main server or the current vhost */
    void **dir_config;          /* per-module configs of the current scope */
    int override;               /* bits allowed where we are */
    enum section_kind section;  /* innermost enclosing section */
    const char *path;           /* its path/pattern, NULL at top level */
    int flag;                   /* FLAG directives: 1 for On, 0 for Off */
    diag_sink *diag;
    void *walk;                       /* registry walk state (opaque) */
    const conf_node *enclosing;       /* innermost enclosing section node, NULL
                                       * at top level (for context messages) */
    int override_opts;                /* AllowOverride Options=...: the options
                                       * an .htaccess may set (OPT_* bits) */
    const char *const *override_list; /* AllowOverrideList names */
    unsigned char in_htaccess;        /* walking an AccessFileName at request
                                       * time (arena is the request's) */
    uint64_t limit_excluded;          /* methods (bit per method number) that
                                       * the enclosing <Limit>/<LimitExcept>
                                       * exclude; Apache's ~cmd->limited */
};

/* An output filter a module provides (Apache's ap_register_output_filter):
 * a request names it (SetOutputFilter, AddOutputFilter,
 * AddOutputFilterByType) and the core runs it, once the handler is done,
 * over the whole body it left and the response headers, before the head
 * is built (request.h has the body functions; core/http_filter.c). */
typedef struct output_filter {
    const char *name; /* "DEFLATE"; names match without case */
    void (*run)(struct request *r);
    int type; /* OUTPUT_FILTER_*; 0: CONTENT_SET */
} output_filter;

/* Where a filter runs among the others (Apache's AP_FTYPE_*): a lower
 * type first, in the order added within a type.  DEFLATE is CONTENT_SET
 * (Apache's CONTENT_SET + 1), INFLATE RESOURCE - 1, as Apache's. */
#define OUTPUT_FILTER_RESOURCE 10
#define OUTPUT_FILTER_CONTENT_SET 20

/* Hook results. */
#define DECLINED -1
#define OK 0

typedef struct module {
    const char *name;        /* "mime_module" (LoadModule / IfModule id) */
    const char *file;        /* "mod_mime.c" (IfModule / -l name) */
    const command_rec *cmds; /* terminated by a zero entry; may be NULL */

    void *(*create_dir_config)(arena *a, const char *path);
    void *(*merge_dir_config)(arena *a, void *base, void *add);
    void *(*create_server_config)(arena *a, struct server_conf *s);
    void *(*merge_server_config)(arena *a, void *base, void *add);

    /* Check phase: cross-directive checks once the walk is done.  Reports
     * through diag; returns nonzero if the configuration must be refused. */
    int (*post_config)(struct resolved_config *rc, diag_sink *diag);

    /* Serving only (never -t): open what the module writes to, in the
     * parent once the error log is open (Apache's open_logs hook), so its
     * messages go to the error log.  Returns nonzero to refuse the start
     * (or the reload), with *startup set to a line for the main error log
     * as it is (Apache's APLOG_STARTUP messages) or left NULL. */
    int (*open_logs)(struct resolved_config *rc, const char **startup);

    /* Request hooks, called by the core in this fixed order.  Each returns
     * DECLINED, OK or an HTTP status. */
    int (*post_read_request)(struct request *r); /* vhost chosen, before
                                                  * any section is merged;
                                                  * again for an internal
                                                  * redirect, as Apache's */
    int (*translate_name)(struct request *r);    /* URI -> filename */
    int (*map_to_storage)(struct request *r);    /* per-dir config walk done */
    int (*access_checker)(struct request *r);    /* Order/Allow/Deny
                                                  * (Apache's access_checker,
                                                  * RUN_ALL) */
    int (*check_access)(struct request *r);      /* Require without a user
                                                  * (Apache's access_checker_ex,
                                                  * RUN_FIRST): OK lets the
                                                  * request in, DECLINED asks
                                                  * for authentication */
    int (*check_authn)(struct request *r);       /* who the user is
                                                  * (check_user_id, RUN_FIRST) */
    int (*check_authz)(struct request *r);       /* Require with the user
                                                  * (auth_checker, RUN_FIRST) */
    int (*type_checker)(struct request *r);      /* Content-Type etc. */
    int (*fixups)(struct request *r);            /* Header, last changes */
    int fixups_last; /* Apache's APR_HOOK_LAST: after the others' fixups
                      * (mod_dir, mod_auth_basic, mod_headers) */
    int (*handler)(struct request *r); /* produce the response */
    void (*log_transaction)(struct request *r);

    /* Optional, for the engine to call on the request that answers, just
     * before it builds the response head (every response: success, error
     * or redirect, whatever produced it).  Apache's output and error
     * filters act there: mod_headers applies "Header" to headers the
     * handler set (ETag, Last-Modified) and "Header always" to answers made
     * before fixups.  A module must tolerate never being called. */
    void (*output_headers)(struct request *r);

    /* Optional: add the output filters the module's configuration names
     * for the answer r (request_add_output_filter); Apache's insert_filter
     * hook, called as the response is about to be made, and only when the
     * configuration uses output filters at all (rc->output_filters). */
    void (*insert_filter)(struct request *r);
    const output_filter *output_filters; /* provided; a NULL name ends them */

    /* Optional: the connection is over (after its last log_transaction);
     * what a module kept for it is released here. */
    void (*connection_end)(struct conn_info *c);

    int index; /* slot in module_config arrays; set by module_register() */
} module;

#define MODULE_MAX 32

/* The compiled-in modules, in registration (and hook) order, NULL-ended.
 * Defined in core/modules.c. */
extern module *const conf_builtin_modules[];

/* Module config lookup: cfg is a server's or a section's module_config. */
static inline void *conf_get(void *const *cfg, const module *m)
{
    return cfg[m->index];
}
static inline void conf_set(void **cfg, const module *m, void *val)
{
    cfg[m->index] = val;
}
/* A handler's own server config for the server being walked (cmd->server),
 * created on first use: a vhost's vector starts empty (registry.h says
 * why), so handlers reach their server config through this, not conf_get. */
void *conf_server_config(cmd_parms *cmd, const module *m);

/* Generic setters for command_rec.fn (nginx's ngx_conf_set_*_slot): they
 * write through cmd->cmd->offset into mconfig. */
const char *conf_set_string_slot(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[]);
const char *conf_set_flag_slot(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[]);
const char *conf_set_int_slot(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[]);
const char *conf_set_path_slot(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[]);

/* The dispatcher's argument-shape check, shared by the walk and the read
 * phase: NULL if argc words fit cmd->args_how, else Apache's message
 * ("Timeout takes one argument, Timeout duration (sec)"). */
const char *conf_args_error(arena *a, const command_rec *cmd, int argc);

/* Give every compiled-in module its index (idempotent), and the slot used
 * by the MPM's module. */
void conf_modules_init(void);
/* The MPM's module takes the slot after the compiled-in modules' (so a
 * configuration vector holds MODULE_MPM_SLOT + 1 pointers, not
 * MODULE_MAX: thousands of vhosts and sections each carry several). */
int conf_mpm_slot(void);
#define MODULE_MPM_SLOT (conf_mpm_slot())

/* Apache's ap_check_cmd_context(): NULL or the message
 * "X cannot occur within <VirtualHost> section" and friends. */
#define NOT_IN_VIRTUALHOST 0x01
#define NOT_IN_LIMIT 0x02
#define NOT_IN_DIRECTORY 0x04
#define NOT_IN_LOCATION 0x08
#define NOT_IN_FILES 0x10
#define NOT_IN_HTACCESS 0x20
#define NOT_IN_DIR_LOC_FILE (NOT_IN_DIRECTORY | NOT_IN_LOCATION | NOT_IN_FILES)
#define NOT_IN_DIR_CONTEXT                                                     \
    (NOT_IN_LIMIT | NOT_IN_DIR_LOC_FILE | NOT_IN_HTACCESS)
#define GLOBAL_ONLY (NOT_IN_VIRTUALHOST | NOT_IN_DIR_CONTEXT)
const char *conf_check_context(cmd_parms *cmd, unsigned forbidden);

/* A directive names an output filter: the engine will look for filters
 * (rc->output_filters; from an access file too, as it is read). */
void conf_uses_output_filters(cmd_parms *cmd);

/* Resolve a path against ServerRoot as Apache does (absolute stays). */
const char *conf_server_root_relative(cmd_parms *cmd, const char *path);

/* Report a warning at the directive being processed (DIAG_LOG shape). */
void conf_warn(cmd_parms *cmd, const char *module_short, const char *rule,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
