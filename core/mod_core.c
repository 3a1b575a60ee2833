/* mod_core.c -- the core module's directive table and per-directory
 * configuration, plus the small built-in modules whose directives Apache
 * keeps in core (so, http, logio, version, unixd).
 *
 * Help texts are Apache's, because they appear in the argument-count
 * messages ("Timeout takes one argument, Timeout duration (sec)").
 */
#include "core_int.h"
#include "log.h"

#include <stddef.h>
#include <string.h>

#define RSRC RSRC_CONF
#define DIRS (RSRC_CONF | ACCESS_CONF)

static const command_rec core_cmds[] = {
    {"DefaultRuntimeDir", core_set_runtime_dir, 0, RSRC_CONF | EXEC_ON_READ,
     TAKE1, "Common directory for run-time files (shared memory, locks, etc.)"},
    {"PidFile", core_set_pidfile, 0, RSRC, TAKE1,
     "A file for logging the server process ID"},
    {"Listen", core_set_listen, 0, RSRC, TAKE_ARGV,
     "A port number or a numeric IP address and a port number, and an "
     "optional protocol"},
    {"AcceptFilter", core_set_accept_filter, 0, RSRC, TAKE2,
     "Set the Accept Filter to use for a protocol"},
    {"ListenBacklog", core_set_listen_backlog, 0, RSRC, TAKE1,
     "Maximum length of the queue of pending connections, as used by "
     "listen(2)"},
    {"ServerName", core_set_server_name, 0, RSRC, TAKE1,
     "The hostname and port of the server"},
    {"ServerAlias", core_set_server_alias, 0, RSRC, RAW_ARGS,
     "A name or names alternately used to access the server"},
    {"ServerAdmin", core_set_server_admin, 0, RSRC, TAKE1,
     "The email address of the server administrator"},
    {"DocumentRoot", core_set_document_root, 0, RSRC, TAKE1,
     "Root directory of the document tree"},
    {"ErrorLog", core_set_error_log, 0, RSRC, TAKE1,
     "The filename of the error log"},
    {"ErrorLogFormat", core_set_error_log_format, 0, RSRC, TAKE12,
     "Format string for the ErrorLog"},
    {"LogLevel", core_set_log_level, 0, DIRS, TAKE_ARGV,
     "Level of verbosity in error logging"},
    {"Timeout", core_set_timeout, 0, RSRC, TAKE1, "Timeout duration (sec)"},
    {"KeepAlive", core_set_server_int, offsetof(server_conf, keep_alive), RSRC,
     FLAG, "Whether persistent connections should be On or Off"},
    {"MaxKeepAliveRequests", core_set_server_int,
     offsetof(server_conf, max_keepalive_requests), RSRC, TAKE1,
     "Maximum number of Keep-Alive requests per connection, or 0 for "
     "infinite"},
    {"KeepAliveTimeout", core_set_keepalive_timeout, 0, RSRC, TAKE1,
     "Keep-Alive timeout duration (sec)"},
    {"HostnameLookups", core_set_dir_word,
     offsetof(core_dir_conf, hostname_lookups), DIRS, TAKE1,
     "\"on\" to enable, \"off\" to disable reverse DNS lookups, or "
     "\"double\" to enable double-reverse DNS lookups"},
    {"ServerTokens", core_set_server_tokens, 0, RSRC, TAKE1,
     "Determine tokens displayed in the Server: header - Min(imal), Major, "
     "Minor, Prod(uctOnly), OS, or Full"},
    {"ServerSignature", core_set_dir_word,
     offsetof(core_dir_conf, server_signature), OR_ALL, TAKE1,
     "En-/disable server signature (on|off|email)"},
    {"HttpProtocolOptions", core_set_http_protocol_options, 0, RSRC, ITERATE,
     "'Allow0.9' or 'Require1.0' (default); 'RegisteredMethods' or "
     "'LenientMethods' (default); 'Unsafe' or 'Strict' (default). Sets HTTP "
     "acceptance rules"},
    {"TraceEnable", core_set_trace_enable, 0, RSRC, TAKE1,
     "'on' (default), 'off' or 'extended' to trace request body content"},
    {"UseCanonicalName", core_set_dir_word,
     offsetof(core_dir_conf, use_canonical_name), DIRS, TAKE1,
     "How to work out the ServerName : Port when constructing URLs"},
    {"FileETag", core_set_file_etag, 0, OR_FILEINFO, RAW_ARGS,
     "Specify components used to construct a file's ETag"},
    {"EnableSendfile", core_set_dir_word,
     offsetof(core_dir_conf, enable_sendfile), OR_FILEINFO, TAKE1,
     "Controls whether sendfile may be used to transmit files"},
    {"EnableMMAP", core_set_dir_word, offsetof(core_dir_conf, enable_mmap),
     OR_FILEINFO, TAKE1,
     "Controls whether memory-mapping may be used to read files"},
    {"AddDefaultCharset", core_set_add_default_charset, 0, OR_FILEINFO, TAKE1,
     "The name of the default charset to add to any Content-Type without "
     "one or 'Off' to disable"},
    {"AccessFileName", core_set_access_name, 0, RSRC, RAW_ARGS,
     "Name(s) of per-directory config files (default: .htaccess)"},
    {"AllowOverride", core_set_allow_override, 0, ACCESS_CONF, RAW_ARGS,
     "Controls what groups of directives can be configured by per-directory "
     "config files"},
    {"AllowOverrideList", core_set_allow_override_list, 0, ACCESS_CONF,
     RAW_ARGS,
     "Controls what individual directives can be configured by "
     "per-directory config files"},
    {"ForceType", core_set_force_type, 0, OR_FILEINFO, TAKE1,
     "a mime type that overrides other configured type"},
    {"SetOutputFilter", core_set_output_filter, 0, OR_FILEINFO, TAKE1,
     "filter (or ; delimited list of filters) to be run on the request "
     "content"},
    {"SetHandler", core_set_handler, 0, OR_FILEINFO, TAKE1,
     "a handler name that overrides any other configured handler"},
    {"AcceptPathInfo", core_set_accept_path_info, 0, OR_FILEINFO, TAKE1,
     "Set to on or off for PATH_INFO to be accepted by handlers, or default "
     "for the per-handler preference"},
    {"ContentDigest", core_set_content_digest, 0, OR_OPTIONS, RAW_ARGS,
     "whether or not to send a Content-MD5 header with each request"},
    {"Options", core_set_options, 0, OR_OPTIONS, RAW_ARGS,
     "Set a number of attributes for a given directory"},
    {"ErrorDocument", core_set_error_document, 0, OR_FILEINFO, TAKE2,
     "Change responses for HTTP errors"},
    {"MaxRanges", core_set_max_ranges, offsetof(core_dir_conf, max_ranges),
     DIRS, TAKE1,
     "Maximum number of Ranges in a request before returning "
     "the entire resource, or 0 for unlimited"},
    {"MaxRangeOverlaps", core_set_max_ranges,
     offsetof(core_dir_conf, max_overlaps), DIRS, TAKE1,
     "Maximum number of overlaps in Ranges in a request before returning "
     "the entire resource, or 0 for unlimited"},
    {"MaxRangeReversals", core_set_max_ranges,
     offsetof(core_dir_conf, max_reversals), DIRS, TAKE1,
     "Maximum number of reversals in Ranges in a request before returning "
     "the entire resource, or 0 for unlimited"},
    {"LimitRequestBody", core_set_limit_req_body, 0, OR_ALL, TAKE1,
     "Limit (in bytes) on maximum size of request message body"},
    {"LimitRequestFields", core_set_server_limit,
     offsetof(server_conf, limit_req_fields), RSRC, TAKE1,
     "Limit (0 = unlimited) on max number of header fields in a request "
     "message"},
    {"LimitRequestFieldsize", core_set_server_limit,
     offsetof(server_conf, limit_req_fieldsize), RSRC, TAKE1,
     "Limit on maximum size of an HTTP request header field"},
    {"LimitRequestLine", core_set_server_limit,
     offsetof(server_conf, limit_req_line), RSRC, TAKE1,
     "Limit on maximum size of an HTTP request line"},
    {"MaxConnectionsPerChild", core_set_global_int,
     offsetof(resolved_config, max_connections_per_child), RSRC, TAKE1,
     "Maximum number of connections a particular child serves before "
     "dying."},
    {"MaxRequestsPerChild", core_set_global_int,
     offsetof(resolved_config, max_connections_per_child), RSRC, TAKE1,
     "Maximum number of connections a particular child serves before dying. "
     "(DEPRECATED, use MaxConnectionsPerChild)"},
    {"GracefulShutdownTimeout", core_set_global_int,
     offsetof(resolved_config, graceful_shutdown_timeout), RSRC, TAKE1,
     "Maximum time in seconds to wait for child processes to complete "
     "transactions during shutdown"},
    {"ExtendedStatus", core_set_global_int,
     offsetof(resolved_config, extended_status), RSRC, FLAG,
     "\"On\" to track extended status information, \"Off\" to disable"},
    {"SeeRequestTail", core_set_global_int,
     offsetof(resolved_config, see_request_tail), RSRC, FLAG,
     "For extended status, \"On\" to see the last 63 chars of the request "
     "line, \"Off\" (default) to see the first 63"},
    {"ScoreBoardFile", core_set_global_ignored, 0, RSRC, TAKE1,
     "A file for Apache to maintain runtime process management information"},
    {"MaxMemFree", core_set_global_ignored, 0, RSRC, TAKE1,
     "Maximum number of 1k blocks a particular child's allocator may hold."},
    {"ThreadStackSize", core_set_global_ignored, 0, RSRC, TAKE1,
     "Size in bytes of stack used by threads handling client connections"},
    {"ListenCoresBucketsRatio", core_set_global_ignored, 0, RSRC, TAKE1,
     "Ratio between the number of CPU cores (online) and the number of "
     "listeners buckets"},
    {"ReceiveBufferSize", core_set_buffer_size, 0, RSRC, TAKE1,
     "Receive buffer size in bytes"},
    {"SendBufferSize", core_set_buffer_size, 0, RSRC, TAKE1,
     "Send buffer size in bytes"},
    {"CoreDumpDirectory", core_set_coredump_dir, 0, RSRC, TAKE1,
     "The location of the directory Apache changes to before dumping core"},
    {"<Directory", core_dir_section, 0, RSRC, RAW_ARGS,
     "Container for directives affecting resources located in the specified "
     "directories"},
    {"<DirectoryMatch", core_dir_section, 0, RSRC, RAW_ARGS,
     "Container for directives affecting resources located in the specified "
     "directories"},
    {"<Location", core_url_section, 0, RSRC, RAW_ARGS,
     "Container for directives affecting resources accessed through the "
     "specified URL paths"},
    {"<LocationMatch", core_url_section, 0, RSRC, RAW_ARGS,
     "Container for directives affecting resources accessed through the "
     "specified URL paths"},
    {"<Files", core_files_section, 0, OR_ALL, RAW_ARGS,
     "Container for directives affecting files matching specified patterns"},
    {"<FilesMatch", core_files_section, 0, OR_ALL, RAW_ARGS,
     "Container for directives affecting files matching specified patterns"},
    {"<If", core_if_section, 0, OR_ALL, RAW_ARGS,
     "Container for directives to be conditionally applied"},
    {"<ElseIf", core_elseif_section, 0, OR_ALL, RAW_ARGS,
     "Container for directives to be conditionally applied"},
    {"<Else", core_else_section, 0, OR_ALL, RAW_ARGS,
     "Container for directives to be conditionally applied"},
    {"<Limit", core_limit_section, 0, OR_LIMIT | OR_AUTHCFG, RAW_ARGS,
     "Container for authentication directives when accessed using specified "
     "HTTP methods"},
    {"<LimitExcept", core_limit_section, 0, OR_LIMIT | OR_AUTHCFG, RAW_ARGS,
     "Container for authentication directives to be applied when any HTTP "
     "method other than those specified is used to access the resource"},
    {"<VirtualHost", core_vhost_section, 0, RSRC, RAW_ARGS,
     "Container to map directives to a particular virtual host, takes one or "
     "more host addresses"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

static void *create_core_dir(arena *a, const char *path)
{
    core_dir_conf *d = arena_calloc(a, sizeof(*d));
    d->options = path ? OPT_UNSET : (OPT_UNSET | OPT_SYM_LINKS);
    d->override = UNSET;
    d->override_opts = OPT_ALL | OPT_SYM_OWNER | OPT_MULTI;
    d->etag_bits = ETAG_UNSET;
    d->enable_sendfile = UNSET;
    d->enable_mmap = UNSET;
    d->limit_req_body = UNSET;
    d->server_signature = UNSET;
    d->use_canonical_name = UNSET;
    d->hostname_lookups = UNSET;
    d->allow_encoded_slashes = UNSET;
    d->accept_path_info = UNSET;
    d->content_md5 = UNSET;
    d->max_ranges = d->max_overlaps = d->max_reversals = UNSET;
    d->log_level = UNSET;
    return d;
}

static error_document *merge_error_docs(arena *a, error_document *base,
                                        error_document *add)
{
    error_document *out = NULL;
    for (error_document *e = base; e; e = e->next) {
        int overridden = 0;
        for (error_document *f = add; f && !overridden; f = f->next)
            overridden = f->status == e->status;
        if (!overridden) {
            error_document *c =
                (error_document *)arena_memdup(a, e, sizeof(*e));
            c->next = out;
            out = c;
        }
    }
    for (error_document *f = add; f; f = f->next) {
        error_document *c = (error_document *)arena_memdup(a, f, sizeof(*f));
        c->next = out;
        out = c;
    }
    return out;
}

/* base's <If> chain then add's: copies of base's nodes, add's shared. */
static if_section *conf_if_concat(arena *a, if_section *base, if_section *add)
{
    if (base == NULL)
        return add;
    if (add == NULL)
        return base;
    if_section *head = NULL, **tail = &head;
    for (const if_section *s = base; s; s = s->next) {
        if_section *c = (if_section *)arena_memdup(a, s, sizeof(*s));
        *tail = c;
        tail = &c->next;
    }
    *tail = add;
    return head;
}

/* base's nested <Files> then add's, as Apache appends its sec_file:
 * copies of base's nodes, add's shared. */
static section_conf *files_concat(arena *a, section_conf *base,
                                  section_conf *add)
{
    if (base == NULL)
        return add;
    if (add == NULL)
        return base;
    section_conf *head = NULL, **tail = &head;
    for (const section_conf *s = base; s; s = s->next) {
        section_conf *c = (section_conf *)arena_memdup(a, s, sizeof(*s));
        *tail = c;
        tail = &c->next;
    }
    *tail = add;
    return head;
}

#define INHERIT(field) c->field = add->field != UNSET ? add->field : base->field

static void *merge_core_dir(arena *a, void *basev, void *addv)
{
    const core_dir_conf *base = basev, *add = addv;
    core_dir_conf *c = (core_dir_conf *)arena_memdup(a, add, sizeof(*c));
    if (add->options & OPT_UNSET) {
        c->opts_add = (base->opts_add & ~add->opts_remove) | add->opts_add;
        c->opts_remove =
            (base->opts_remove & ~add->opts_add) | add->opts_remove;
        c->options = ((base->options & ~c->opts_remove) | c->opts_add);
        if ((base->options & OPT_UNSET) == 0)
            c->options &= ~OPT_UNSET;
        else
            c->options |= OPT_UNSET;
    }
    INHERIT(override);
    if (add->override_list == NULL)
        c->override_list = base->override_list;
    if (add->override == UNSET)
        c->override_opts = base->override_opts;
    /* FileETag: a section with only +/- applies them to what it is merged
     * onto and keeps them for the next merge (apache2: a group of
     * sections is merged among itself first, so "+Size" alone in a
     * section under nothing else means Size only) */
    if (add->etag_bits == ETAG_UNSET) {
        c->etag_add = (base->etag_add & ~add->etag_remove) | add->etag_add;
        c->etag_remove =
            (base->etag_remove & ~add->etag_add) | add->etag_remove;
        c->etag_bits = (base->etag_bits & ~c->etag_remove) | c->etag_add;
    }
    if (c->etag_bits != ETAG_NONE)
        c->etag_bits &= ~ETAG_NONE;
    INHERIT(enable_sendfile);
    INHERIT(enable_mmap);
    if (!add->add_default_charset_set) {
        c->add_default_charset = base->add_default_charset;
        c->add_default_charset_set = base->add_default_charset_set;
    }
    c->error_documents =
        merge_error_docs(a, base->error_documents, add->error_documents);
    INHERIT(limit_req_body);
    INHERIT(server_signature);
    INHERIT(use_canonical_name);
    INHERIT(hostname_lookups);
    INHERIT(allow_encoded_slashes);
    INHERIT(max_ranges);
    INHERIT(max_overlaps);
    INHERIT(max_reversals);
    if (add->handler == NULL && add->handler_expr == NULL) {
        c->handler = base->handler;
        c->handler_expr = base->handler_expr;
    }
    if (add->mime_type == NULL)
        c->mime_type = base->mime_type;
    if (add->output_filter == NULL)
        c->output_filter = base->output_filter;
    INHERIT(accept_path_info);
    INHERIT(content_md5);
    c->if_sections = conf_if_concat(a, base->if_sections, add->if_sections);
    c->file_sections = files_concat(a, base->file_sections, add->file_sections);
    if (add->log_level == UNSET) {
        c->log_level = base->log_level;
        c->module_levels =
            log_levels_concat(a, add->module_levels, base->module_levels);
    }
    return c;
}

module core_module = {
    .name = "core_module",
    .file = "core.c",
    .cmds = core_cmds,
    .create_dir_config = create_core_dir,
    .merge_dir_config = merge_core_dir,
};
module so_module = {.name = "so_module", .file = "mod_so.c"};
module http_module = {.name = "http_module", .file = "http_core.c"};
module logio_module = {.name = "logio_module", .file = "mod_logio.c"};
module version_module = {.name = "version_module", .file = "mod_version.c"};

static const command_rec unixd_cmds[] = {
    {"User", core_set_user, 0, RSRC, TAKE1,
     "Effective user id for this server"},
    {"Group", core_set_group, 0, RSRC, TAKE1,
     "Effective group id for this server"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};
module unixd_module = {
    .name = "unixd_module", .file = "mod_unixd.c", .cmds = unixd_cmds};

server_conf *core_server_new(resolved_config *rc, int is_virtual)
{
    arena *a = rc->arena;
    server_conf *s = arena_calloc(a, sizeof(*s));
    s->is_virtual = is_virtual;
    s->log_level = UNSET;
    s->timeout_ms = UNSET;
    s->keep_alive = UNSET;
    s->max_keepalive_requests = UNSET;
    s->keepalive_timeout_ms = UNSET;
    s->limit_req_line = UNSET;
    s->limit_req_fieldsize = UNSET;
    s->limit_req_fields = UNSET;
    s->module_config = conf_create_server_configs(a, rc, s);
    /* the main server's are complete; a vhost's fill in as used */
    s->lookup_defaults = is_virtual ? conf_new_config_vector(a)
                                    : conf_create_dir_configs(a, rc, NULL);
    return s;
}
