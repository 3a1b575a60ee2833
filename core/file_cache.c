/* file_cache.c -- open file descriptors kept across requests.
 *
 * The default handler opens the file it serves on every request, although
 * the request walk has just stat()ed it.  Here a small per-process table
 * keeps those descriptors open, keyed by path and checked against that
 * stat: same device, inode, size, mtime and ctime (a file replaced,
 * rewritten, truncated or chmod'ed changes one of them), or the entry is
 * dropped and the path opened again, so what is sent is never older than
 * the stat the request was answered from.  Files up to 8 KiB are kept in
 * memory as well (read once when the entry is made) and sent from there
 * with the response head, without a file system call; but only once the
 * file's last change (ctime) is a second old: a change in the same clock
 * tick as the one copied would leave the stat identical (same size, and
 * the file system's timestamps are coarse), and the copy would be served
 * stale where a read of the descriptor gives the new bytes, as Apache
 * does.  Descriptors are only read with
 * explicit offsets (sendfile, pread), so one can serve many requests at
 * once; an entry replaced while in use is closed by its last user.
 *
 * The table is filled only by processes that serve requests (children;
 * the parent of prefork never does), so nothing leaks across fork. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file_cache.h"

#define FC_SLOTS 128
#define FC_DATA_MAX 8192 /* files up to this size are kept in memory too */

struct fc_entry {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim, ctim;
    int fd;
    char *data; /* the content, for small files, or NULL */
    int fresh;  /* small, but changed too recently to be copied */
    int refs;   /* users, plus one while in the table */
};

static pthread_mutex_t fc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fc_entry *fc_table[FC_SLOTS];

/* The path's slot: FNV-1a style over 8 bytes at a time */
static unsigned hash_path(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 14695981039346656037ull ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 1099511628211ull;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 1099511628211ull;
    h ^= h >> 29; /* the high bits into the low ones the slot takes */
    h *= 0xbf58476d1ce4e5b9ull;
    return (unsigned)(h ^ (h >> 32));
}

static int same_file(const struct fc_entry *e, const struct stat *st)
{
    return e->dev == st->st_dev && e->ino == st->st_ino &&
           e->size == st->st_size && e->mtim.tv_sec == st->st_mtim.tv_sec &&
           e->mtim.tv_nsec == st->st_mtim.tv_nsec &&
           e->ctim.tv_sec == st->st_ctim.tv_sec &&
           e->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

/* seconds (of the clock) since the last change before a copy is made: 2
 * is over a second whatever the nanoseconds; tests set 0 */
int file_cache_copy_age = 2;

/* Whether a file last changed at ctim may be copied (see the top). */
static int settled(const struct timespec *ctim)
{
    struct timespec now;
    return clock_gettime(CLOCK_REALTIME, &now) == 0 &&
           now.tv_sec - ctim->tv_sec >= file_cache_copy_age;
}

/* Drop one reference (fc_lock held); the last one closes. */
static void unref(struct fc_entry *e)
{
    if (--e->refs == 0) {
        close(e->fd);
        free(e->data);
        free(e->path);
        free(e);
    }
}

int file_cache_open(const char *path, const struct stat *st, void **handle,
                    const char **data)
{
    *handle = NULL;
    *data = NULL;
    unsigned slot = hash_path(path) % FC_SLOTS;
    pthread_mutex_lock(&fc_lock);
    struct fc_entry *e = fc_table[slot];
    /* a fresh small file's entry is made again once it can be copied */
    if (e != NULL && strcmp(e->path, path) == 0 && same_file(e, st) &&
        !(e->fresh && settled(&e->ctim))) {
        e->refs++;
        pthread_mutex_unlock(&fc_lock);
        *handle = e;
        *data = e->data;
        return e->fd;
    }
    pthread_mutex_unlock(&fc_lock);

    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    /* cache it only if it is the file the request stat()ed */
    struct stat fst;
    if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode))
        return fd;
    struct fc_entry *n = calloc(1, sizeof(*n));
    char *p = strdup(path);
    if (n == NULL || p == NULL) {
        free(n);
        free(p);
        return fd;
    }
    n->path = p;
    n->dev = fst.st_dev;
    n->ino = fst.st_ino;
    n->size = fst.st_size;
    n->mtim = fst.st_mtim;
    n->ctim = fst.st_ctim;
    n->fd = fd;
    if (!same_file(n, st)) {
        free(n->path);
        free(n);
        return fd;
    }
    if (n->size > 0 && n->size <= FC_DATA_MAX && !settled(&n->ctim)) {
        n->fresh = 1;
    } else if (n->size > 0 && n->size <= FC_DATA_MAX) {
        n->data = malloc((size_t)n->size);
        if (n->data != NULL &&
            pread(fd, n->data, (size_t)n->size, 0) != (ssize_t)n->size) {
            free(n->data);
            n->data = NULL;
        }
    }
    n->refs = 2; /* the table's and the caller's */
    pthread_mutex_lock(&fc_lock);
    struct fc_entry *old = fc_table[slot];
    fc_table[slot] = n;
    if (old != NULL)
        unref(old);
    pthread_mutex_unlock(&fc_lock);
    *handle = n;
    *data = n->data;
    return fd;
}

void file_cache_release(void *handle, int fd)
{
    if (handle == NULL) {
        close(fd);
        return;
    }
    pthread_mutex_lock(&fc_lock);
    unref(handle);
    pthread_mutex_unlock(&fc_lock);
}

void file_cache_clear(void)
{
    pthread_mutex_lock(&fc_lock);
    for (int i = 0; i < FC_SLOTS; i++) {
        if (fc_table[i] != NULL) {
            unref(fc_table[i]);
            fc_table[i] = NULL;
        }
    }
    pthread_mutex_unlock(&fc_lock);
}
