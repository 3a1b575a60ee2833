/* readphase.h -- Apache's EXEC_ON_READ stage.
 *
 * Parses the main file (after -C directives, before -c ones), then walks the
 * tree in order doing what Apache does while reading: ServerRoot, Include and
 * IncludeOptional (globs, directories, depth limit 128, cycles), Define and
 * UnDefine, ${VAR} substitution (Defines, then the environment; AH00111 for
 * undefined), <IfDefine>, <IfModule>, <IfVersion>, <IfFile>, <IfDirective>,
 * <IfSection>, LoadModule.  The result is one tree with every conditional
 * resolved and every include spliced in; nodes keep their own file:line:col.
 */
#ifndef HTTPD_READPHASE_H
#define HTTPD_READPHASE_H

#include "conf.h"

/* Fills rc->tree, rc->server_root, rc->conf_file, rc->defines,
 * rc->modules, rc->mpm (+ rc->mpm_is_static, rc->mpm_file).  Returns the
 * tree's root, or NULL after a read-time error when diag does not keep
 * going. */
conf_node *conf_read(resolved_config *rc, const conf_options *opts,
                     diag_sink *diag);

/* An access file (.htaccess) read at request time, as Apache's
 * ap_parse_htaccess() reads one: the parse, then the read phase's work on
 * it -- ${VAR} from the final Defines and the environment (AH00111 as a
 * warning), <IfDefine>, <IfModule>, <IfVersion>, <IfFile>, <IfDirective>
 * and <IfSection> judged and spliced in or dropped, Apache's verdict on
 * unclosed sections -- where each read-phase directive must be allowed
 * by override (OR_* bits) or override_list ("Define not allowed here",
 * "Include not allowed here").  Allocates from a.  Returns the tree for
 * conf_walk_htaccess(), or NULL after reporting the first error to diag. */
conf_node *conf_read_htaccess(resolved_config *rc, arena *a, const char *path,
                              const char *text, size_t len, int override,
                              const char *const *override_list,
                              diag_sink *diag);

/* The MPM rule, checked after reading and before the walk: exactly one MPM
 * (the linked-in one counts, each LoadModule mpm_*_module counts).
 * Reports "AH00534: ARGV0: Configuration error: More than one MPM loaded."
 * or "... No MPM loaded." (DIAG_GLOBAL).  Returns 0 when exactly one. */
int conf_check_mpm_count(resolved_config *rc, diag_sink *diag);

/* Every directive and section the read phase handles (EXEC_ON_READ),
 * with Apache's argument shapes and help texts; sections are named
 * "<IfDefine".  The walk skips these names.  Zero-terminated. */
extern const command_rec conf_read_commands[];

/* The loaded module matching an <IfModule> argument ("mod_mime.c",
 * "mime_module", "event.c", "mpm_event_module"...), or NULL. */
const module *conf_find_loaded_module(const resolved_config *rc,
                                      const char *name);

#endif
