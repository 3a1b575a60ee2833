/* core_int.h -- handlers of the core module's directives, shared between
 * mod_core.c (the table) and core_server.c / core_dir.c / core_sections.c.
 * Internal to core/: nothing outside includes it. */
#ifndef HTTPD_CORE_INT_H
#define HTTPD_CORE_INT_H

#include "registry.h"

#define CORE_HANDLER(name)                                                     \
    const char *name(cmd_parms *cmd, void *mconfig, int argc,                  \
                     char *const argv[])

/* server level (core_server.c) */
CORE_HANDLER(core_set_runtime_dir);
CORE_HANDLER(core_set_output_filter);
CORE_HANDLER(core_set_pidfile);
CORE_HANDLER(core_set_listen);
CORE_HANDLER(core_set_listen_backlog);
CORE_HANDLER(core_set_accept_filter);
CORE_HANDLER(core_set_server_name);
CORE_HANDLER(core_set_server_alias);
CORE_HANDLER(core_set_server_admin);
CORE_HANDLER(core_set_document_root);
CORE_HANDLER(core_set_error_log);
CORE_HANDLER(core_set_log_level);
CORE_HANDLER(core_set_error_log_format);
CORE_HANDLER(core_set_timeout);
CORE_HANDLER(core_set_keepalive_timeout);
CORE_HANDLER(core_set_user);
CORE_HANDLER(core_set_group);
CORE_HANDLER(core_set_server_tokens);
CORE_HANDLER(core_set_trace_enable);
CORE_HANDLER(core_set_access_name);
CORE_HANDLER(core_set_server_int);
CORE_HANDLER(core_set_server_limit);
CORE_HANDLER(core_set_global_int);
CORE_HANDLER(core_set_http_protocol_options);
CORE_HANDLER(core_set_global_ignored);
CORE_HANDLER(core_set_buffer_size);
CORE_HANDLER(core_set_coredump_dir);

/* per directory (core_dir.c) */
CORE_HANDLER(core_set_dir_word);
CORE_HANDLER(core_set_file_etag);
CORE_HANDLER(core_set_add_default_charset);
CORE_HANDLER(core_set_allow_override);
CORE_HANDLER(core_set_allow_override_list);
CORE_HANDLER(core_set_options);
CORE_HANDLER(core_set_error_document);
CORE_HANDLER(core_set_limit_req_body);
CORE_HANDLER(core_set_max_ranges);

/* sections (core_sections.c) */
CORE_HANDLER(core_dir_section);
CORE_HANDLER(core_files_section);
CORE_HANDLER(core_url_section);
CORE_HANDLER(core_vhost_section);
CORE_HANDLER(core_if_section);
CORE_HANDLER(core_elseif_section);
CORE_HANDLER(core_else_section);
CORE_HANDLER(core_limit_section);
CORE_HANDLER(core_set_force_type);
CORE_HANDLER(core_set_handler);
CORE_HANDLER(core_set_accept_path_info);
CORE_HANDLER(core_set_content_digest);

/* Create a server_conf with every field UNSET (vhosts) or defaulted. */
server_conf *core_server_new(resolved_config *rc, int is_virtual);

/* Parse Apache's log level keyword; -1 if unknown. */
int core_parse_level(const char *s);

/* Split raw args into words in cmd->temp. */
int core_words(cmd_parms *cmd, const char *raw, char ***argv);

#endif
