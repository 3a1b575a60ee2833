/* modules.c -- the compiled-in modules, in hook order. */
#include "conf.h"

extern module core_module, so_module, http_module, log_config_module,
    logio_module, version_module, unixd_module, mime_module, dir_module,
    alias_module, access_compat_module, auth_basic_module, authn_core_module,
    authn_file_module, authz_core_module, authz_host_module, authz_user_module,
    autoindex_module, headers_module, env_module, setenvif_module,
    expires_module, reqtimeout_module, negotiation_module, status_module,
    filter_module, deflate_module;

module *const conf_builtin_modules[] = {
    &core_module,       &so_module,
    &http_module,       &log_config_module,
    &logio_module,      &version_module,
    &unixd_module,      &negotiation_module,
    &mime_module,       &dir_module,
    &alias_module,      &access_compat_module,
    &auth_basic_module, &authn_core_module,
    &authn_file_module, &authz_core_module,
    &authz_host_module, &authz_user_module,
    &autoindex_module,  &expires_module,
    &headers_module,    &env_module,
    &setenvif_module,   &reqtimeout_module,
    &status_module,     &filter_module,
    &deflate_module,    NULL,
};
