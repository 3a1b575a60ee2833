/* loadmod.c -- loading an MPM built as modules/mod_mpm_NAME.so.
 *
 * Nothing in a shared object runs before we trust it: the file must
 * contain MPM_ABI_MARKER (which every descriptor references, so the linker
 * keeps it) before dlopen() is called, because dlopen() already runs the
 * object's constructors.  Then the descriptor named by LoadModule must
 * exist and carry our magic and ABI version.  Apache's own modules fail
 * the first test and are refused with a message saying so.
 *
 * Messages follow Apache's mod_so:
 *   Cannot load modules/x.so into server: /root/modules/x.so: cannot open
 *   shared object file: No such file or directory
 *   Can't locate API module structure `mpm_foo_module' in file ...: ...
 */
#include "mpm.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum marker {
    MARK_UNREADABLE = -1, /* errno says why */
    MARK_DIRECTORY = -2,
    MARK_NOT_ELF = -3, /* dlopen() refuses it without running anything */
    MARK_ABSENT = 0,
    MARK_FOUND = 1,
};

static enum marker file_has_marker(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return MARK_UNREADABLE;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return MARK_UNREADABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode))
            return MARK_DIRECTORY;
        errno = EINVAL;
        return MARK_UNREADABLE;
    }
    char head[4];
    if (st.st_size < 64 || pread(fd, head, 4, 0) != 4 ||
        memcmp(head, "\177ELF", 4) != 0) {
        close(fd);
        return MARK_NOT_ELF;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED) {
        errno = e;
        return MARK_UNREADABLE;
    }
    int found = memmem(map, (size_t)st.st_size, MPM_ABI_MARKER,
                       sizeof(MPM_ABI_MARKER) - 1) != NULL;
    munmap(map, (size_t)st.st_size);
    return found ? MARK_FOUND : MARK_ABSENT;
}

static void close_handle(void *handle)
{
    dlclose(handle);
}

/* Apache's message when the file itself cannot be loaded (missing, a
 * directory, not an ELF object), else NULL; *marked gets the marker test. */
static const char *file_problem(arena *a, const char *written,
                                const char *path, enum marker *marked)
{
    struct stat st;
    if (strchr(written, '/') == NULL &&
        (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        /* Apache's mod_so hands such a bare name to the dynamic linker's
         * search (system library directories), which does not find it */
        *marked = MARK_UNREADABLE;
        return arena_printf(a, "Cannot load %s into server: %s: cannot open "
                            "shared object file: No such file or directory",
                            written, written);
    }
    *marked = file_has_marker(path);
    if (*marked == MARK_UNREADABLE)
        return arena_printf(a, "Cannot load %s into server: %s: cannot open "
                            "shared object file: %s", written, path,
                            strerror(errno));
    if (*marked == MARK_DIRECTORY)
        return arena_printf(a, "Cannot load %s into server: %s: cannot read "
                            "file data: Is a directory", written, path);
    if (*marked == MARK_NOT_ELF) {
        /* the dynamic linker checks the ELF header before it maps or runs
         * anything: its own words ("file too short", "invalid ELF
         * header"), as Apache shows them */
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        const char *why = h == NULL ? dlerror() : NULL;
        if (h != NULL)
            dlclose(h);
        return arena_printf(a, "Cannot load %s into server: %s", written,
                            why ? why : "not a shared object");
    }
    return NULL;
}

const char *mpm_shared_file_problem(arena *a, const char *written,
                                    const char *path)
{
    enum marker marked;
    return file_problem(a, written ? written : path, path, &marked);
}

const struct mpm_module *mpm_load_shared_as(arena *a, const char *written,
                                            const char *path,
                                            const char *symbol,
                                            const char **err)
{
    if (written == NULL)
        written = path;
    enum marker marked;
    *err = file_problem(a, written, path, &marked);
    if (*err != NULL)
        return NULL;
    if (marked == MARK_ABSENT) {
        *err = arena_printf(a, "Cannot load %s into server: %s is not an "
                            "httpd-ng MPM module (no \"%s\" marker; built for "
                            "Apache httpd?), refusing to load it", written,
                            path, MPM_ABI_MARKER);
        return NULL;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        const char *why = dlerror();
        *err = arena_printf(a, "Cannot load %s into server: %s", written,
                            why ? why : "unknown dlopen error");
        return NULL;
    }
    dlerror();
    const struct mpm_module *m = dlsym(h, symbol);
    if (m == NULL) {
        const char *why = dlerror();
        *err = arena_printf(a, "Can't locate API module structure `%s' in "
                            "file %s: %s", symbol, path,
                            why ? why : "symbol is NULL");
        dlclose(h);
        return NULL;
    }
    if (m->magic != MPM_MAGIC || m->abi_version != MPM_ABI_VERSION ||
        m->name == NULL || m->module == NULL || m->run == NULL) {
        *err = arena_printf(a, "API module structure `%s' in file %s is "
                            "garbled - expected signature %08x (ABI %u) but "
                            "saw %08x (ABI %u) - perhaps this is not an "
                            "httpd-ng MPM module, or was built for another "
                            "version?", symbol, path, MPM_MAGIC,
                            MPM_ABI_VERSION, m->magic, m->abi_version);
        dlclose(h);
        return NULL;
    }
    arena_cleanup(a, close_handle, h);
    *err = NULL;
    return m;
}

const struct mpm_module *mpm_load_shared(arena *a, const char *path,
                                         const char *symbol,
                                         const char **err)
{
    return mpm_load_shared_as(a, path, path, symbol, err);
}
