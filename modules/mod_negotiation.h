/* mod_negotiation.h -- what mod_negotiation's three files share: the
 * module (mod_negotiation.c: directives, hooks, the answer), the parsing
 * of Accept* headers and type maps (negotiation_parse.c) and Apache's
 * choice among the variants (negotiation_choose.c). */
#ifndef HTTPD_MOD_NEGOTIATION_H
#define HTTPD_MOD_NEGOTIATION_H

#include <stdint.h>

#include "request.h"

/* ForceLanguagePriority bits; 0 is unset (Prefer applies). */
#define FLP_NONE 1
#define FLP_PREFER 2
#define FLP_FALLBACK 4

typedef struct neg_dir_conf {
    int force;             /* FLP_* */
    const char **priority; /* LanguagePriority as written, NULL unset */
    int npriority;
} neg_dir_conf;

typedef struct neg_server_conf {
    int cache; /* CacheNegotiatedDocs: 1 On, -1 Off, 0 unset */
} neg_server_conf;

extern module negotiation_module;

/* One item of an Accept* header (Apache's accept_rec), name lower case. */
typedef struct accept_item {
    const char *name;
    float q;
    float level;
    const char *charset;
} accept_item;

typedef struct accept_list {
    accept_item *v;
    int n, cap;
} accept_list;

/* One variant (Apache's var_rec). */
typedef struct variant {
    request *sub;          /* its lookup, when one was made */
    const char *file_name; /* relative to the negotiated resource */
    const char *mime_type; /* "" unknown */
    const char *charset;   /* "" unknown */
    const char *encoding;  /* NULL none */
    const char **langs;
    int nlangs;
    const char *description; /* "" none */
    int64_t body;            /* offset of a type map's Body, -1 none */
    int64_t bytes;           /* length, -1 unknown */
    float level, level_matched;
    float source_q, mime_q, enc_q, charset_q, lang_q;
    int lang_index; /* in LanguagePriority, -1 none */
    int mime_stars; /* 0 no match .. 3 exact */
    int definite;
    int is_pseudo_html;
} variant;

typedef struct neg_state {
    request *r;
    const neg_dir_conf *conf;
    const char *dir;  /* the resource's directory, with its '/' */
    const char *base; /* the resource's name in it */
    accept_list *accepts, *encodings, *langs, *charsets; /* NULL: absent */
    int accept_q; /* some Accept item has q < 1 */
    variant *v;
    int n, cap;
    const char *map_text; /* a type map's bytes (its Body parts) */
    int is_transparent, ua_supports_trans, send_alternates, may_choose;
    int use_rvsa, dont_fiddle;
    float default_lang_q;
} neg_state;

/* negotiation_parse.c */
accept_list *neg_parse_header(arena *a, const char *value);
void neg_parse_accept_headers(neg_state *neg);
void neg_parse_negotiate(neg_state *neg);
void neg_clean_variant(variant *v);
void neg_set_mime_fields(arena *a, variant *v, const char *content_type);
void neg_split_languages(arena *a, const char *list, variant *v);
int neg_read_type_map(neg_state *neg, request *map);
int64_t neg_content_length(neg_state *neg, variant *v);

/* negotiation_choose.c: Apache's best_match(); returns 1 for a list
 * answer (no definite choice), 0 with *best chosen. */
void neg_add_default_accepts(neg_state *neg, int prefer_scripts);
int neg_best_match(neg_state *neg, variant **best);

#endif
