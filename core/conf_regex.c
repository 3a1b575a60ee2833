/* conf_regex.c -- PCRE2 behind the POSIX-shaped interface of conf_regex.h. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "conf_regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

int conf_regcomp_err(conf_regex_t *re, const char *pattern, int cflags,
                     char *errbuf, size_t errlen)
{
    /* Apache's AP_REG_DEFAULT: DOTALL and DOLLAR_ENDONLY */
    uint32_t options = PCRE2_DUPNAMES | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY;
    if (cflags & CONF_REG_ICASE)
        options |= PCRE2_CASELESS;
    if (cflags & CONF_REG_NEWLINE)
        options |= PCRE2_MULTILINE;
    int errcode;
    PCRE2_SIZE erroffset;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     options, &errcode, &erroffset, NULL);
    re->code = code;
    re->re_nsub = 0;
    if (code == NULL) {
        if (errbuf != NULL && errlen > 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(errcode, msg, sizeof(msg));
            snprintf(errbuf, errlen, "%s at offset %zu", (const char *)msg,
                     (size_t)erroffset);
        }
        return 1;
    }
    uint32_t n = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
    re->re_nsub = n;
    return 0;
}

int conf_regcomp(conf_regex_t *re, const char *pattern, int cflags)
{
    return conf_regcomp_err(re, pattern, cflags, NULL, 0);
}

int conf_regexec(const conf_regex_t *re, const char *subject, size_t nmatch,
                 conf_regmatch_t *pmatch, int eflags)
{
    if (re->code == NULL)
        return CONF_REG_NOMATCH;
    uint32_t options = (eflags & CONF_REG_NOTBOL) ? PCRE2_NOTBOL : 0;
    /* at least the whole match and the groups asked for */
    uint32_t pairs = (uint32_t)(nmatch > 0 ? nmatch : 1);
    pcre2_match_data *md = pcre2_match_data_create(pairs, NULL);
    if (md == NULL)
        return CONF_REG_NOMATCH;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, strlen(subject), 0,
                         options, md, NULL);
    if (rc < 0) {
        pcre2_match_data_free(md);
        return CONF_REG_NOMATCH;
    }
    /* rc pairs are set (rc == 0: more groups than pairs, all are set);
     * pairs past them are not written by pcre2_match() */
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    uint32_t have = rc == 0 ? pcre2_get_ovector_count(md) : (uint32_t)rc;
    for (size_t i = 0; i < nmatch; i++) {
        if (i < have && ov[2 * i] != PCRE2_UNSET) {
            pmatch[i].rm_so = (long)ov[2 * i];
            pmatch[i].rm_eo = (long)ov[2 * i + 1];
        } else {
            pmatch[i].rm_so = pmatch[i].rm_eo = -1;
        }
    }
    pcre2_match_data_free(md);
    return 0;
}

void conf_regfree(conf_regex_t *re)
{
    pcre2_code_free(re->code);
    re->code = NULL;
}
