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

#include "buildinfo.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
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
static const char *file_problem(arena *a, const char *written, const char *path,
                                enum marker *marked)
{
    struct stat st;
    if (strchr(written, '/') == NULL &&
        (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        /* Apache's mod_so hands such a bare name to the dynamic linker's
         * search (system library directories), which does not find it */
        *marked = MARK_UNREADABLE;
        return arena_printf(a,
                            "Cannot load %s into server: %s: cannot open "
                            "shared object file: No such file or directory",
                            written, written);
    }
    *marked = file_has_marker(path);
    if (*marked == MARK_UNREADABLE)
        return arena_printf(a,
                            "Cannot load %s into server: %s: cannot open "
                            "shared object file: %s",
                            written, path, strerror(errno));
    if (*marked == MARK_DIRECTORY)
        return arena_printf(a,
                            "Cannot load %s into server: %s: cannot read "
                            "file data: Is a directory",
                            written, path);
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

#if __ELF_NATIVE_CLASS == 64
#define NATIVE_CLASS ELFCLASS64
#else
#define NATIVE_CLASS ELFCLASS32
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif
#if defined(__x86_64__)
#define NATIVE_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define NATIVE_MACHINE EM_AARCH64
#elif defined(__i386__)
#define NATIVE_MACHINE EM_386
#elif defined(__arm__)
#define NATIVE_MACHINE EM_ARM
#else
#define NATIVE_MACHINE EM_NONE /* not checked */
#endif

/* Is the ELF header one this process's dynamic linker would take? */
static int elf_native(const ElfW(Ehdr) * eh)
{
    return eh->e_ident[EI_CLASS] == NATIVE_CLASS &&
           eh->e_ident[EI_DATA] == NATIVE_DATA &&
           (NATIVE_MACHINE == EM_NONE || eh->e_machine == NATIVE_MACHINE);
}

/* Is the object in [map, map+size) a program rather than a library (an
 * ET_EXEC, or a position-independent executable: DF_1_PIE)? */
static int elf_is_program(const unsigned char *map, size_t size)
{
    const ElfW(Ehdr) *eh = (const void *)map;
    if (eh->e_type == ET_EXEC)
        return 1;
    if (eh->e_type != ET_DYN || eh->e_phentsize != sizeof(ElfW(Phdr)) ||
        eh->e_phoff > size ||
        (size - eh->e_phoff) / sizeof(ElfW(Phdr)) < eh->e_phnum)
        return 0;
    const ElfW(Phdr) *ph = (const void *)(map + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_DYNAMIC || ph[i].p_offset > size ||
            ph[i].p_filesz > size - ph[i].p_offset)
            continue;
        const ElfW(Dyn) *d = (const void *)(map + ph[i].p_offset);
        size_t n = ph[i].p_filesz / sizeof(ElfW(Dyn));
        for (size_t k = 0; k < n && d[k].d_tag != DT_NULL; k++)
            if (d[k].d_tag == DT_FLAGS_1 && (d[k].d_un.d_val & DF_1_PIE))
                return 1;
    }
    return 0;
}

/* Does the ELF object in [map, map+size) define SYMBOL in its dynamic
 * symbol table?  1 yes, 0 no, -1 when the file is not one we can read
 * that way (another class, byte order or machine; no section headers). */
static int elf_defines(const unsigned char *map, size_t size,
                       const char *symbol)
{
    const ElfW(Ehdr) *eh = (const void *)map;
    if (size < sizeof(*eh) || !elf_native(eh) ||
        eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shnum == 0 ||
        eh->e_shoff > size ||
        (size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum)
        return -1;
    const ElfW(Shdr) *sh = (const void *)(map + eh->e_shoff);
    size_t want = strlen(symbol);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const ElfW(Shdr) *str = &sh[sh[i].sh_link];
        if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
            str->sh_offset > size || str->sh_size > size - str->sh_offset)
            return -1;
        const ElfW(Sym) *sym = (const void *)(map + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof(ElfW(Sym));
        const char *names = (const char *)map + str->sh_offset;
        for (size_t k = 0; k < n; k++) {
            if (sym[k].st_shndx == SHN_UNDEF || sym[k].st_name >= str->sh_size)
                continue;
            size_t room = str->sh_size - sym[k].st_name;
            if (room > want &&
                memcmp(names + sym[k].st_name, symbol, want + 1) == 0)
                return 1;
        }
    }
    return 0;
}

const char *mpm_module_file_problem(arena *a, const char *written,
                                    const char *path, const char *symbol)
{
    enum marker marked;
    const char *problem = file_problem(a, written, path, &marked);
    if (problem != NULL)
        return problem;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return arena_printf(a,
                            "Cannot load %s into server: %s: cannot open "
                            "shared object file: %s",
                            written, path, strerror(e));
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return NULL; /* file_problem() read it a moment ago: let it be */
    int defined = elf_defines(map, (size_t)st.st_size, symbol);
    int library = (size_t)st.st_size >= sizeof(ElfW(Ehdr)) && elf_native(map) &&
                  !elf_is_program(map, (size_t)st.st_size);
    munmap(map, (size_t)st.st_size);
    if (!library) {
        /* the dynamic linker refuses a foreign object or a program from
         * its headers, before it relocates or runs anything: its words,
         * as Apache shows them */
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        const char *why = h == NULL ? dlerror() : NULL;
        if (h != NULL)
            dlclose(h);
        return why ? arena_printf(a, "Cannot load %s into server: %s", written,
                                  why)
                   : NULL;
    }
    if (defined != 0)
        return NULL;
    return arena_printf(a,
                        "Can't locate API module structure `%s' in file "
                        "%s: %s: undefined symbol: %s",
                        symbol, path, path, symbol);
}

/* "; this build's own NAME MPM is PREFIX/modules/mod_mpm_NAME.so" when
 * symbol is mpm_NAME_module and this build made NAME as a shared object:
 * what to write instead of the path to Apache's. */
static const char *own_mpm_hint(arena *a, const char *symbol)
{
    size_t n = strlen(symbol);
    if (strncmp(symbol, "mpm_", 4) != 0 || n <= 11 ||
        strcmp(symbol + n - 7, "_module") != 0)
        return "";
    int len = (int)(n - 11);
    const char *name = symbol + 4;
    for (const char *w = HTTPD_SHARED_MPMS; *w;) {
        size_t wl = strcspn(w, " ");
        if (wl == (size_t)len && strncmp(w, name, wl) == 0)
            return arena_printf(a,
                                "; this build's own %.*s MPM is "
                                "%s/modules/mod_mpm_%.*s.so",
                                len, name, HTTPD_PREFIX, len, name);
        w += wl;
        w += strspn(w, " ");
    }
    return "";
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
        *err = arena_printf(a,
                            "Cannot load %s into server: %s is not an "
                            "httpd-ng MPM module (no \"%s\" marker; built for "
                            "Apache httpd?), refusing to load it%s",
                            written, path, MPM_ABI_MARKER,
                            own_mpm_hint(a, symbol));
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
        *err = arena_printf(a,
                            "Can't locate API module structure `%s' in "
                            "file %s: %s",
                            symbol, path, why ? why : "symbol is NULL");
        dlclose(h);
        return NULL;
    }
    if (m->magic != MPM_MAGIC || m->abi_version != MPM_ABI_VERSION ||
        m->name == NULL || m->module == NULL || m->run == NULL) {
        *err = arena_printf(a,
                            "API module structure `%s' in file %s is "
                            "garbled - expected signature %08x (ABI %u) but "
                            "saw %08x (ABI %u) - perhaps this is not an "
                            "httpd-ng MPM module, or was built for another "
                            "version?",
                            symbol, path, MPM_MAGIC, MPM_ABI_VERSION, m->magic,
                            m->abi_version);
        dlclose(h);
        return NULL;
    }
    arena_cleanup(a, close_handle, h);
    *err = NULL;
    return m;
}

const struct mpm_module *mpm_load_shared(arena *a, const char *path,
                                         const char *symbol, const char **err)
{
    return mpm_load_shared_as(a, path, path, symbol, err);
}
