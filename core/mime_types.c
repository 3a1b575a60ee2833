/* mime_types.c -- TypesConfig: the extension -> media type map.
 *
 * Read once per configuration generation (on first use, or from
 * http_engine_child_init() after fork) into an open-addressing hash, then
 * only read: lookups from many threads need no lock.  A later line wins
 * over an earlier one for the same extension, as in Apache's mod_mime. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

struct mime_entry {
    char *ext; /* lower case */
    char *type;
};

struct mime_map {
    const resolved_config *rc;
    unsigned generation;
    struct mime_entry *slots;
    size_t nslots, count;
    struct mime_map *next;
};

static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mime_map *maps;

static size_t hash_ext(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)tolower((unsigned char)*s);
    return h;
}

static void map_put(struct mime_map *m, const char *ext, const char *type);

static void map_grow(struct mime_map *m)
{
    struct mime_entry *old = m->slots;
    size_t oldn = m->nslots;
    m->nslots = oldn ? oldn * 2 : 1024;
    m->slots = calloc(m->nslots, sizeof(*m->slots));
    m->count = 0;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].ext) {
            map_put(m, old[i].ext, old[i].type);
            free(old[i].ext);
            free(old[i].type);
        }
    free(old);
}

static void map_put(struct mime_map *m, const char *ext, const char *type)
{
    if (m->slots == NULL || (m->count + 1) * 2 > m->nslots)
        map_grow(m);
    if (m->slots == NULL)
        return;
    size_t i = hash_ext(ext) & (m->nslots - 1);
    while (m->slots[i].ext && strcasecmp(m->slots[i].ext, ext) != 0)
        i = (i + 1) & (m->nslots - 1);
    if (m->slots[i].ext) {
        free(m->slots[i].type);
    } else {
        m->slots[i].ext = strdup(ext);
        for (char *p = m->slots[i].ext; p && *p; p++)
            *p = (char)tolower((unsigned char)*p);
        m->count++;
    }
    m->slots[i].type = strdup(type);
}

static void map_load(struct mime_map *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        char *save = NULL;
        char *type = strtok_r(line, " \t\r\n", &save);
        if (type == NULL || type[0] == '#')
            continue;
        for (char *ext; (ext = strtok_r(NULL, " \t\r\n", &save)) != NULL;)
            map_put(m, ext, type);
    }
    fclose(f);
}

static const char *types_path(const resolved_config *rc, char *buf, size_t n)
{
    if (rc->types_config)
        return rc->types_config;
    snprintf(buf, n, "%s/conf/mime.types",
             rc->server_root ? rc->server_root : ".");
    return buf;
}

static struct mime_map *map_for(const resolved_config *rc)
{
    struct mime_map *m;
    /* fast path: maps are only ever prepended, and published with a
     * release store, so a reader sees a fully built map */
    for (m = __atomic_load_n(&maps, __ATOMIC_ACQUIRE); m; m = m->next)
        if (m->rc == rc && m->generation == rc->generation)
            return m;
    pthread_mutex_lock(&maps_lock);
    for (m = maps; m; m = m->next)
        if (m->rc == rc && m->generation == rc->generation)
            break;
    if (m == NULL) {
        m = calloc(1, sizeof(*m));
        if (m != NULL) {
            char buf[4096];
            m->rc = rc;
            m->generation = rc->generation;
            map_load(m, types_path(rc, buf, sizeof(buf)));
            m->next = maps;
            __atomic_store_n(&maps, m, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&maps_lock);
    return m;
}

const char *mime_types_lookup(resolved_config *rc, const char *ext)
{
    if (rc == NULL || ext == NULL || *ext == '\0')
        return NULL;
    struct mime_map *m = map_for(rc);
    if (m == NULL || m->slots == NULL)
        return NULL;
    size_t i = hash_ext(ext) & (m->nslots - 1);
    while (m->slots[i].ext) {
        if (strcasecmp(m->slots[i].ext, ext) == 0)
            return m->slots[i].type;
        i = (i + 1) & (m->nslots - 1);
    }
    return NULL;
}
