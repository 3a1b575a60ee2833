/* negotiation_choose.c -- Apache's choice among the variants: the quality
 * of each by Accept, Accept-Language (with LanguagePriority and
 * ForceLanguagePriority), Accept-Encoding and Accept-Charset, then its
 * server-driven comparison (or RFC 2296's RVSA/1.0 when the client asks
 * for it with "Negotiate: 1.0"). */
#include <string.h>

#include "mod_negotiation.h"

#define INCLUDES_MAGIC_TYPE "text/x-server-parsed-html"
#define INCLUDES_MAGIC_TYPE3 "text/x-server-parsed-html3"

/* ---- media types --------------------------------------------------------- */

/* Does the Accept item match the variant?  Records how specific the
 * match was in v->mime_stars (1 any, 2 a whole type, 3 exact). */
static int mime_match(const accept_item *acc, variant *v)
{
    const char *at = acc->name, *vt = v->mime_type;
    size_t len = strlen(at);
    if ((len == 1 && at[0] == '*') || strcmp(at, "*/*") == 0) {
        if (v->mime_stars < 1)
            v->mime_stars = 1;
        return 1;
    }
    if (len > 2 && at[len - 2] == '/' && at[len - 1] == '*' &&
        strncmp(at, vt, len - 2) == 0 && vt[len - 2] == '/') {
        if (v->mime_stars < 2)
            v->mime_stars = 2;
        return 1;
    }
    if (strcmp(at, vt) == 0 || (strcmp(at, "text/html") == 0 &&
                                (strcmp(vt, INCLUDES_MAGIC_TYPE) == 0 ||
                                 strcmp(vt, INCLUDES_MAGIC_TYPE3) == 0))) {
        if (acc->level >= v->level) {
            v->level_matched = v->level;
            v->mime_stars = 3;
            return 1;
        }
    }
    return 0;
}

/* The q of the most specific matching range; without explicit q values
 * the wildcards count little (0.01, 0.02), unless the client said not to
 * fiddle. */
static void set_accept_quality(neg_state *neg, variant *v)
{
    float q = 0.0f;
    int q_definite = 1;
    const accept_list *l = neg->accepts;
    if (l == NULL) {
        if (v->mime_type && *v->mime_type)
            v->definite = 0;
        return;
    }
    for (int i = 0; i < l->n; i++) {
        const accept_item *t = &l->v[i];
        int prev = v->mime_stars;
        if (!mime_match(t, v) || prev == v->mime_stars)
            continue;
        if (!neg->dont_fiddle && !neg->accept_q && v->mime_stars == 1)
            q = 0.01f;
        else if (!neg->dont_fiddle && !neg->accept_q && v->mime_stars == 2)
            q = 0.02f;
        else
            q = t->q;
        q_definite = v->mime_stars == 3;
    }
    v->mime_q = q;
    v->definite = v->definite && q_definite;
}

/* ---- languages ----------------------------------------------------------- */

/* LanguagePriority position of lang: its first entry that is a prefix. */
static int find_lang_index(const neg_dir_conf *c, const char *lang)
{
    if (c == NULL || lang == NULL)
        return -1;
    for (int i = 0; i < c->npriority; i++)
        if (strncmp(lang, c->priority[i], strlen(c->priority[i])) == 0)
            return i;
    return -1;
}

static void set_default_lang_quality(neg_state *neg)
{
    neg->default_lang_q = 1.0f;
    if (neg->dont_fiddle)
        return;
    for (int j = 0; j < neg->n; j++)
        if (neg->v[j].nlangs) {
            neg->default_lang_q = 0.0001f;
            return;
        }
}

/* The Accept-Language range that best fits one of the variant's tags:
 * the longest range equal to the tag or to a prefix of it up to a '-'.
 * A range "en-US" also gives "en" and "en-GB" 0.001 (Apache's fiddle). */
static const accept_item *best_range(neg_state *neg, const char *lang,
                                     float *fiddle_q)
{
    const accept_item *best = NULL;
    size_t longest = 0;
    for (int i = 0; i < neg->langs->n; i++) {
        const accept_item *it = &neg->langs->v[i];
        if (strcmp(it->name, "*") == 0)
            continue;
        size_t alen = strlen(it->name);
        if (strlen(lang) >= alen && strncmp(lang, it->name, alen) == 0 &&
            (lang[alen] == '\0' || lang[alen] == '-') && alen > longest) {
            longest = alen;
            best = it;
        }
        const char *dash;
        if (best == NULL && !neg->dont_fiddle &&
            (dash = strchr(it->name, '-')) != NULL &&
            strncmp(lang, it->name, (size_t)(dash - it->name)) == 0)
            *fiddle_q = 0.001f;
    }
    return best;
}

static void match_languages(neg_state *neg, variant *v)
{
    const accept_item *best = NULL, *star = NULL;
    float fiddle_q = 0.0f;
    int any_match_on_star = 0;
    for (int i = 0; i < neg->langs->n; i++)
        if (strcmp(neg->langs->v[i].name, "*") == 0) {
            star = &neg->langs->v[i];
            break;
        }
    for (int j = 0; j < v->nlangs; j++) {
        const accept_item *this_tag = best_range(neg, v->langs[j], &fiddle_q);
        if (best == NULL || (this_tag && this_tag->q > best->q))
            best = this_tag;
        if (this_tag == NULL && star)
            any_match_on_star = 1;
    }
    if (any_match_on_star && (best == NULL || star->q > best->q)) {
        best = star;
        v->definite = 0;
    }
    v->lang_q = best ? best->q : fiddle_q;
}

/* ForceLanguagePriority: Prefer breaks ties by LanguagePriority, Fallback
 * lets the first of its languages stand in when none was acceptable. */
static void force_priority(neg_state *neg, variant *v)
{
    int force = neg->conf && neg->conf->force ? neg->conf->force : FLP_PREFER;
    if (!(((force & FLP_PREFER) && v->lang_index < 0) ||
          ((force & FLP_FALLBACK) && v->lang_q == 0.0f)))
        return;
    int bestidx = -1;
    for (int j = 0; j < v->nlangs; j++) {
        int idx = find_lang_index(neg->conf, v->langs[j]);
        if (idx >= 0 && (bestidx == -1 || idx < bestidx))
            bestidx = idx;
    }
    if (bestidx < 0)
        return;
    if (v->lang_q != 0.0f) {
        if (force & FLP_PREFER)
            v->lang_index = bestidx;
    } else if (force & FLP_FALLBACK) {
        v->lang_index = bestidx;
        v->lang_q = 0.0001f;
        v->definite = 0;
    }
}

static void set_language_quality(neg_state *neg, variant *v)
{
    if (v->nlangs == 0) {
        if (!neg->dont_fiddle)
            v->lang_q = neg->default_lang_q;
        return;
    }
    if (neg->langs == NULL)
        v->definite = 0;
    else
        match_languages(neg, v);
    force_priority(neg, v);
}

/* ---- encodings and charsets ---------------------------------------------- */

/* "7bit", "8bit" and "binary" are no encoding either (Apache keeps them
 * for old type maps). */
static int is_identity(const char *enc)
{
    return enc == NULL || *enc == '\0' || strcmp(enc, "7bit") == 0 ||
           strcmp(enc, "8bit") == 0 || strcmp(enc, "binary") == 0;
}

/* Without Accept-Encoding every encoding will do, none best; with it, the
 * listed ones (x- prefixes ignored) or "*", and no encoding unless it is
 * refused, at a very low 0.0001 when not listed. */
static void set_encoding_quality(neg_state *neg, variant *v)
{
    const char *enc = v->encoding;
    if (neg->encodings == NULL) {
        v->enc_q = is_identity(enc) ? 1.0f : 0.5f;
        return;
    }
    float if_not_found = 0.0f;
    if (is_identity(enc)) {
        enc = "identity";
        if_not_found = 0.0001f;
    }
    if (enc[0] == 'x' && enc[1] == '-')
        enc += 2;
    const accept_item *star = NULL;
    for (int i = 0; i < neg->encodings->n; i++) {
        const char *name = neg->encodings->v[i].name;
        if (name[0] == 'x' && name[1] == '-')
            name += 2;
        if (strcmp(name, enc) == 0) {
            v->enc_q = neg->encodings->v[i].q;
            return;
        }
        if (strcmp(name, "*") == 0)
            star = &neg->encodings->v[i];
    }
    v->enc_q = star ? star->q : if_not_found;
}

static void set_charset_quality(neg_state *neg, variant *v)
{
    const char *charset = v->charset;
    if (neg->charsets == NULL) {
        if (charset && *charset)
            v->definite = 0;
        return;
    }
    if (charset == NULL || *charset == '\0') {
        if (!(strncmp(v->mime_type, "text/", 5) == 0 ||
              strcmp(v->mime_type, INCLUDES_MAGIC_TYPE) == 0 ||
              strcmp(v->mime_type, INCLUDES_MAGIC_TYPE3) == 0))
            return;
        if (neg->dont_fiddle)
            return;
        charset = "iso-8859-1";
    }
    const accept_item *star = NULL;
    for (int i = 0; i < neg->charsets->n; i++) {
        const accept_item *t = &neg->charsets->v[i];
        if (strcmp(t->name, charset) == 0) {
            v->charset_q = t->q;
            return;
        }
        if (strcmp(t->name, "*") == 0)
            star = t;
    }
    if (star) {
        v->charset_q = star->q;
        v->definite = 0;
        return;
    }
    v->charset_q = strcmp(charset, "iso-8859-1") == 0 ? 1.0f : 0.0f;
}

/* ---- the comparisons ----------------------------------------------------- */

/* Levels compare only between the same type (or two kinds of HTML): the
 * higher level that matched wins, else the lower level. */
static int level_cmp(const variant *a, const variant *b)
{
    if (a->is_pseudo_html && !b->is_pseudo_html)
        return 0;
    if (!a->is_pseudo_html && strcmp(a->mime_type, b->mime_type) != 0)
        return 0;
    if (a->level_matched != b->level_matched)
        return a->level_matched > b->level_matched ? 1 : -1;
    if (a->level != b->level)
        return a->level < b->level ? 1 : -1;
    return 0;
}

static int is_iso_or_none(const char *cs)
{
    return cs == NULL || *cs == '\0' || strcmp(cs, "iso-8859-1") == 0;
}

/* Apache's own order: type (times source quality), language, its
 * LanguagePriority, level, charset (one other than iso-8859-1 wins a
 * tie), encoding, and last the smaller file. */
static int is_variant_better(neg_state *neg, variant *v, variant *best,
                             float *bestq)
{
    if (v->enc_q == 0.0f || v->lang_q == 0.0f || v->source_q == 0.0f ||
        v->charset_q == 0.0f || v->mime_q == 0.0f)
        return 0;
    float q = v->mime_q * v->source_q;
    if (q == 0.0f || q < *bestq)
        return 0;
    if (q > *bestq || best == NULL)
        goto better;
    if (v->lang_q < best->lang_q)
        return 0;
    if (v->lang_q > best->lang_q)
        goto better;
    if (best->lang_index != -1 &&
        (v->lang_index == -1 || v->lang_index > best->lang_index))
        return 0;
    if (v->lang_index != -1 &&
        (best->lang_index == -1 || v->lang_index < best->lang_index))
        goto better;
    int lev = level_cmp(v, best);
    if (lev == -1)
        return 0;
    if (lev == 1)
        goto better;
    if (v->charset_q < best->charset_q)
        return 0;
    if (v->charset_q > best->charset_q ||
        (!is_iso_or_none(v->charset) && is_iso_or_none(best->charset)))
        goto better;
    if (v->enc_q < best->enc_q)
        return 0;
    if (v->enc_q > best->enc_q)
        goto better;
    if (neg_content_length(neg, v) >= neg_content_length(neg, best))
        return 0;
better:
    *bestq = q;
    return 1;
}

/* RFC 2296: the product of the qualities; encoding (which TCN does not
 * cover) only refuses or breaks ties. */
static int is_variant_better_rvsa(variant *v, variant *best, float *bestq)
{
    if (v->enc_q == 0.0f)
        return 0;
    float q = v->mime_q * v->source_q * v->charset_q * v->lang_q;
    if (q <= 0.0f)
        return 0;
    if (q > *bestq || (q == *bestq && best && v->enc_q > best->enc_q)) {
        *bestq = q;
        return 1;
    }
    return 0;
}

/* Does variant v have the language the environment prefers
 * ("prefer-language", set by SetEnvIf and friends)? */
static int has_language(const variant *v, const char *lang)
{
    for (int i = 0; i < v->nlangs; i++)
        if (strcmp(v->langs[i], lang) == 0)
            return 1;
    return 0;
}

/* no-gzip in the environment leaves encoded variants out, and
 * gzip-only-text/html=1 those not text/html (as mod_deflate would). */
enum { KEEP_ALL, DISCARD_ENCODED, DISCARD_ENCODED_BUT_HTML };

static int discard_by_env(const variant *v, int discard)
{
    if (discard == KEEP_ALL || is_identity(v->encoding) ||
        strcmp(v->encoding, "identity") == 0)
        return 0;
    return discard == DISCARD_ENCODED ||
           strncmp(v->mime_type ? v->mime_type : "", "text/html", 9) != 0;
}

static void rate(neg_state *neg, variant *v, int preferred)
{
    set_accept_quality(neg, v);
    if (preferred) {
        v->lang_q = 1.0f;
        v->definite = 1;
    } else {
        set_language_quality(neg, v);
    }
    set_encoding_quality(neg, v);
    set_charset_quality(neg, v);
}

int neg_best_match(neg_state *neg, variant **bestp)
{
    const req_table *env = &neg->r->subprocess_env;
    const char *preferred = req_table_get(env, "prefer-language");
    const char *html_only = req_table_get(env, "gzip-only-text/html");
    int discard = req_table_get(env, "no-gzip") ? DISCARD_ENCODED
                  : html_only && strcmp(html_only, "1") == 0
                      ? DISCARD_ENCODED_BUT_HTML
                      : KEEP_ALL;
    variant *best;
    float bestq;
    int list;
    set_default_lang_quality(neg);
    for (;;) {
        best = NULL;
        bestq = 0.0f;
        for (int j = 0; j < neg->n; j++) {
            variant *v = &neg->v[j];
            if (discard_by_env(v, discard) ||
                (preferred && !has_language(v, preferred)))
                continue;
            rate(neg, v, preferred != NULL);
            if (!neg->may_choose)
                continue;
            if (neg->use_rvsa ? is_variant_better_rvsa(v, best, &bestq)
                              : is_variant_better(neg, v, best, &bestq))
                best = v;
        }
        list = neg->use_rvsa ? !(best && best->definite && bestq > 0.0f)
                             : !(bestq > 0.0f);
        if (preferred && (best == NULL || list)) {
            preferred = NULL; /* again, over every variant */
            continue;
        }
        break;
    }
    *bestp = best;
    return list;
}
