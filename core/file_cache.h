/* file_cache.h -- open file descriptors kept across requests (see
 * file_cache.c).  Thread-safe. */
#ifndef HTTPD_FILE_CACHE_H
#define HTTPD_FILE_CACHE_H

#include <sys/stat.h>

/* Open path for reading, or reuse a descriptor kept from an earlier
 * request if it is still the file st describes.  Returns the descriptor
 * (read it only with explicit offsets: pread, sendfile) or -1 with errno
 * set; hand it back with file_cache_release(*handle, fd).  For a small
 * file unchanged for over a second *data is its whole content
 * (st->st_size bytes), valid until the release, else NULL. */
int file_cache_open(const char *path, const struct stat *st, void **handle,
                    const char **data);
void file_cache_release(void *handle, int fd);
/* Seconds a file must be unchanged before its content is copied (2;
 * tests set 0). */
extern int file_cache_copy_age;
/* Close every kept descriptor not in use (tests; process exit). */
void file_cache_clear(void);

#endif
