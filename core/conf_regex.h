/* conf_regex.h -- regular expressions as Apache's ap_regex: PCRE2,
 * POSIX-shaped.
 *
 * Apache compiles every configuration regex (DirectoryMatch, FilesMatch,
 * LocationMatch, AliasMatch, RedirectMatch, Header edit, <IfVersion ~>,
 * expression =~) with PCRE, so "(?i)", "\d", lazy quantifiers and
 * look-arounds work there.  This wrapper keeps the regcomp()/regexec()
 * shape the callers were written against, with Apache's defaults
 * (util_pcre.c): PCRE2_DOTALL and PCRE2_DOLLAR_ENDONLY always, DUPNAMES,
 * CASELESS for CONF_REG_ICASE, MULTILINE for CONF_REG_NEWLINE.
 * Compiled patterns are read-only; matching is safe from any thread.
 */
#ifndef HTTPD_CONF_REGEX_H
#define HTTPD_CONF_REGEX_H

#include <stddef.h>

/* Compile flags */
#define CONF_REG_ICASE 0x01
#define CONF_REG_NEWLINE 0x02 /* ^ and $ at line ends too */
#define CONF_REG_NOSUB 0x04   /* only whether it matches */
/* Match flags */
#define CONF_REG_NOTBOL 0x10 /* the subject does not start a line */

#define CONF_REG_NOMATCH 1

typedef struct conf_regex_t {
    void *code;     /* pcre2_code * */
    size_t re_nsub; /* capturing groups */
} conf_regex_t;

typedef struct conf_regmatch_t {
    long rm_so; /* -1: group did not take part */
    long rm_eo;
} conf_regmatch_t;

/* 0, or nonzero when the pattern does not compile (errbuf, if given,
 * gets PCRE2's reason and offset). */
int conf_regcomp(conf_regex_t *re, const char *pattern, int cflags);
int conf_regcomp_err(conf_regex_t *re, const char *pattern, int cflags,
                     char *errbuf, size_t errlen);
/* 0 on a match (pmatch[0..nmatch) filled, unset groups -1), else
 * CONF_REG_NOMATCH. */
int conf_regexec(const conf_regex_t *re, const char *subject, size_t nmatch,
                 conf_regmatch_t *pmatch, int eflags);
void conf_regfree(conf_regex_t *re);

#endif
