/* arena.h -- region allocator.
 *
 * One arena per configuration generation, and one per connection and per
 * request, reset and reused.  Allocation is a pointer bump; nothing is
 * freed individually; arena_reset() keeps the first block for reuse.
 * Allocation failure aborts the process with a message (the server cannot
 * do anything useful without memory, and callers stay simple). */
#ifndef HTTPD_ARENA_H
#define HTTPD_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* The head of every arena: the free part of its current block.  Exposed
 * so that arena_alloc()'s common case (the request path makes a few dozen
 * allocations) is a bump inline; arena.c owns the rest. */
struct arena_top {
    char *cur, *end;   /* free bytes of the current block */
    size_t total_used; /* arena_bytes_used() */
};

#define ARENA_ALIGN 16

arena *arena_create(size_t block_size); /* 0 picks a default (8 KiB) */
void arena_destroy(arena *a);
void arena_reset(arena *a); /* drop everything, keep one block */

void *arena_alloc_slow(arena *a, size_t n); /* a new block: arena.c */

/* Aligned for any type. */
static inline void *arena_alloc(arena *a, size_t n)
{
    struct arena_top *t = (struct arena_top *)a;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need >= n && (size_t)(t->end - t->cur) >= need) {
        void *p = t->cur;
        t->cur += need;
        t->total_used += need;
        return p;
    }
    return arena_alloc_slow(a, n);
}
void *arena_calloc(arena *a, size_t n); /* zeroed */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_memdup(arena *a, const void *p, size_t n);
char *arena_lld(arena *a, long long v); /* arena_printf(a, "%lld", v), faster */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
char *arena_strcat(arena *a, ...); /* NULL-terminated list of strings */

/* Register a function run by arena_destroy()/arena_reset(), in reverse order
 * of registration (closing files, freeing regexes, dlclose...). */
void arena_cleanup(arena *a, void (*fn)(void *), void *data);

size_t arena_bytes_used(const arena *a); /* for tests and benchmarks */

#endif
