/* arena.c -- region allocator; see arena.h. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_DEFAULT_BLOCK 8192
#define ARENA_HUGE ((size_t)2 << 20)

struct block {
    struct block *next;
    size_t size; /* usable bytes in data[]; the current block's free
                  * part is the arena's top */
    max_align_t data[];
};

struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *data;
};

struct arena {
    struct arena_top top; /* first: arena_alloc() reads it (arena.h) */
    struct block *head;   /* current block; older blocks follow */
    struct cleanup *cleanups;
    size_t block_size;
};

/* Make b the current block, its first `used` bytes taken. */
static void set_head(arena *a, struct block *b, size_t used)
{
    a->head = b;
    a->top.cur = (char *)b->data + used;
    a->top.end = (char *)b->data + b->size;
}

static void die_oom(size_t n)
{
    fprintf(stderr, "httpd: out of memory allocating %zu bytes\n", n);
    abort();
}

static struct block *block_new(size_t size)
{
    struct block *b;
    if (size >= ARENA_HUGE) {
        size_t total = (sizeof(*b) + size + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
        void *p = NULL;
        if (posix_memalign(&p, ARENA_HUGE, total) != 0)
            die_oom(size);
        madvise(p, total, MADV_HUGEPAGE);
        b = p;
        size = total - sizeof(*b);
    } else {
        b = malloc(sizeof(*b) + size);
    }
    if (b == NULL)
        die_oom(size);
    b->next = NULL;
    b->size = size;
    return b;
}

arena *arena_create(size_t block_size)
{
    arena *a = malloc(sizeof(*a));
    if (a == NULL)
        die_oom(sizeof(*a));
    a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    set_head(a, block_new(a->block_size), 0);
    a->cleanups = NULL;
    a->top.total_used = 0;
    return a;
}

static void run_cleanups(arena *a)
{
    struct cleanup *c = a->cleanups;
    a->cleanups = NULL; /* a cleanup must not see itself re-run */
    for (; c != NULL; c = c->next)
        c->fn(c->data);
}

void arena_destroy(arena *a)
{
    if (a == NULL)
        return;
    run_cleanups(a);
    struct block *b = a->head;
    while (b != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void arena_reset(arena *a)
{
    run_cleanups(a);
    struct block *b = a->head;
    /* Keep the oldest block: it has the configured size. */
    while (b->next != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    set_head(a, b, 0);
    a->top.total_used = 0;
}

/* arena_alloc() when the current block has no room (or n overflows). */
void *arena_alloc_slow(arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n)
        die_oom(n);
    size_t left = (size_t)(a->top.end - a->top.cur);
    if (left >= need) { /* not reached from arena_alloc(); kept whole */
        void *p = a->top.cur;
        a->top.cur += need;
        a->top.total_used += need;
        return p;
    }
    struct block *b = a->head;
    size_t size = need > a->block_size ? need : a->block_size;
    struct block *nb = block_new(size);
    a->top.total_used += need;
    if (need > a->block_size / 2 && left > a->block_size / 4) {
        /* Big allocation: give it its own block, keep filling head. */
        nb->next = b->next;
        b->next = nb;
        return nb->data;
    }
    nb->next = b;
    set_head(a, nb, need);
    return nb->data;
}

void *arena_calloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_memdup(arena *a, const void *p, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *arena_lld(arena *a, long long v)
{
    char tmp[24];
    int n = 0;
    /* negated as unsigned so LLONG_MIN does not overflow */
    unsigned long long u =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        tmp[n++] = '-';
    char *d = arena_alloc(a, (size_t)n + 1), *p = d;
    while (n > 0)
        *p++ = tmp[--n];
    *p = '\0';
    return d;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    const char *end = memchr(s, '\0', n);
    return arena_memdup(a, s, end ? (size_t)(end - s) : n);
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_memdup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return arena_strdup(a, "");
    char *s = arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

char *arena_strcat(arena *a, ...)
{
    va_list ap;
    size_t len = 0;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;)
        len += strlen(s);
    va_end(ap);
    char *out = arena_alloc(a, len + 1), *p = out;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
        size_t n = strlen(s);
        memcpy(p, s, n);
        p += n;
    }
    va_end(ap);
    *p = '\0';
    return out;
}

void arena_cleanup(arena *a, void (*fn)(void *), void *data)
{
    struct cleanup *c = arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->data = data;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t arena_bytes_used(const arena *a)
{
    return a->top.total_used;
}
