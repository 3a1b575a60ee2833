/* registry.h -- the directive registry and the walk over the read tree.
 *
 * The walk dispatches every node of the read-phase tree through the
 * directive tables of the active modules (the compiled-in ones plus the
 * loaded MPM's module), checks context and argument shape in one place with
 * Apache's wording, and calls the handlers.  Section handlers (Directory,
 * VirtualHost, RequireAll...) call conf_walk_section() to process their
 * children in the new scope.
 *
 * It also offers what the runtime needs to build and merge per-module
 * configurations (server -> vhost -> sections).
 */
#ifndef HTTPD_REGISTRY_H
#define HTTPD_REGISTRY_H

#include "conf.h"

/* The module at a module_config index, or NULL (the MPM slot is filled
 * from rc->mpm). */
const module *conf_module_at(const resolved_config *rc, int index);
/* Every active module in turn, i from 0: the compiled-in ones in hook
 * order, then the MPM's; NULL past the end.  (Not every module has a
 * configuration slot, so conf_module_at() does not reach them all.) */
const module *conf_module_nth(const resolved_config *rc, int i);

/* Find a directive by name (case-insensitive; sections as "<Directory") in
 * the active modules' tables.  *owner gets the module. */
const command_rec *conf_find_command(const resolved_config *rc,
                                     const char *name, const module **owner);

/* Per-module configuration vectors (MODULE_MPM_SLOT + 1 slots), built with each
 * module's create_* function, and merged with its merge_* function (a
 * module without a merger gets add's value when set, else base's). */
void **conf_create_dir_configs(arena *a, const resolved_config *rc,
                               const char *path);
void **conf_merge_dir_configs(arena *a, void *const *base, void *const *add);
/* The same, for the walk: a merge of two vectors of rc (never an access
 * file's, nor a merge involving one) is kept per thread and given again
 * while rc lives; a is used when the cache is full (or for an rc not from
 * conf_load).  The result must not be written to. */
void **conf_merge_dir_configs_cached(const resolved_config *rc, arena *a,
                                     void *const *base, void *const *add);
unsigned long conf_merge_cache_serial(void); /* a new resolved_config's */
void conf_merge_cache_release(const resolved_config *rc);
/* The same written into add (a vhost's own vector, which nothing else
 * holds): no new vector per vhost. */
void conf_merge_dir_configs_into(arena *a, void *const *base, void **add);
/* An empty vector: the walk creates a module's entry when one of its
 * directives is used there (sections, vhosts); merging treats an empty
 * entry as "nothing set here". */
void **conf_new_config_vector(arena *a);
/* The same for a section or an access file, with the core's entry made
 * (path: the scope's) as apache2 has one in every scope: a merge onto it
 * is not "nothing set" for the relative settings (FileETag +X). */
void **conf_new_section_vector(arena *a, const char *path);

/* The module's per-directory config of the scope being walked, created
 * (with the scope's path) if this is its first use there. */
void *conf_dir_config(cmd_parms *cmd, const module *m);
/* The main server's vector is complete; a vhost's is NULL, made and given
 * a module's entry by conf_server_config() when one of the module's
 * directives is used in it, so a vhost that sets nothing for a module
 * shares the main server's config after merging instead of a merged copy
 * (50,000 vhosts, one ServerName each, need no log_config of their own),
 * and one that sets nothing at all shares the main server's vector. */
void **conf_create_server_configs(arena *a, const resolved_config *rc,
                                  server_conf *s);
/* base merged into add, in place (a vhost's vector). */
void conf_merge_server_configs_into(arena *a, void *const *base, void **add);

/* Walk the whole read tree at server level.  Returns 0 when no error was
 * reported (errors go to diag; with keep_going the walk goes on). */
int conf_walk(resolved_config *rc, const conf_options *opts,
              const conf_node *root, diag_sink *diag);

/* Run the EXEC_ON_READ directives of the module tables (not the read
 * phase's own), before the MPM check, reporting as read-time errors. */
/* For the read phase: run n now if it is an EXEC_ON_READ directive of a
 * module table (DefaultRuntimeDir), as Apache runs those while reading.
 * Returns NULL, the handler's message (for the caller to report where
 * Apache reports read-time errors) or conf_walk_reported. */
const char *conf_exec_on_read(resolved_config *rc, const conf_options *opts,
                              const conf_node *n, diag_sink *diag);
int conf_walk_read_directives(resolved_config *rc, const conf_options *opts,
                              const conf_node *root, diag_sink *diag);

/* For section handlers: walk node's children with cmd's state changed to
 * the given scope.  server may be NULL (unchanged); dir_config may be NULL
 * (unchanged).  Returns NULL, or an error string for the caller to return
 * (after an error already reported inside, a special marker string
 * conf_walk_reported that the dispatcher does not report again). */
const char *conf_walk_section(cmd_parms *cmd, const conf_node *node,
                              enum section_kind kind, const char *path,
                              server_conf *server, void **dir_config,
                              int override);
extern const char conf_walk_reported[];

/* The name of a section directive as Apache prints it in context
 * messages ("<Directory>" from the node name "Directory"). */
const char *conf_section_label(arena *a, const conf_node *section);

/* stat(2) says directory; the last positive answer is remembered for the
 * walk (thousands of vhosts often share a DocumentRoot). */
int conf_is_directory(cmd_parms *cmd, const char *path);

/* Walk an .htaccess tree (conf_parse_string() of the file) at request
 * time into dir_config, a vector in the request's arena a, as Apache's
 * ap_parse_htaccess(): only directives allowed by override (OR_* bits)
 * and, for Options, override_opts, or named in override_list
 * (AllowOverrideList, may be NULL); dir is the file's directory ("/x/").
 * Returns 0, or -1 after reporting the first error to diag. */
int conf_walk_htaccess(resolved_config *rc, arena *a, server_conf *s,
                       const conf_node *root, const char *dir,
                       void **dir_config, int override, int override_opts,
                       const char *const *override_list, diag_sink *diag);

/* Options the walk was started with (for -T and friends). */
const conf_options *conf_walk_options(const cmd_parms *cmd);

/* Every directive and section name known to any module and any MPM (for
 * "did you mean").  Returns the count and sets *names (arena-allocated). */
int conf_known_names(arena *a, const char *const **names);

/* The Listen argument parser shared by the core handler and tests:
 * Apache's apr_parse_addr_port() rules.  Returns NULL or the message. */
const char *conf_parse_addr_port(arena *a, const char *s, const char **host,
                                 int *port);

#endif
