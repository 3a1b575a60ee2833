/* fuzz_config.c -- libFuzzer harness for the configuration parser and the
 * read phase.
 *
 * Build (clang; out of tree, from an empty directory):
 *
 *   S=/work/main   # the source tree
 *   $S/configure CC=clang >/dev/null
 *   make parser/conf_parse.c parser/conf_lex.c static_mpm.c buildinfo.h
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -I. -Iparser -I$S/core -I$S/parser -I$S/mpm -I$S/modules \
 *     $S/tests/fuzz/fuzz_config.c \
 *     $(ls $S/parser/[a-z]*.c $S/core/[a-z]*.c $S/modules/[a-z]*.c \
 *          $S/mpm/common/[a-z]*.c | grep -v core/main.c) \
 *     parser/conf_lex.c parser/conf_parse.c static_mpm.c $S/mpm/event.c \
 *     -ldl -lpthread -o fuzz_config
 *   (while other layers are mid-change and do not link, add
 *   -Wl,--unresolved-symbols=ignore-all: the harness calls none of them)
 *   mkdir -p corpus && cp $S/conf/httpd.conf.in corpus/
 *   ./fuzz_config -max_total_time=300 -max_len=65536 corpus
 *
 * Each input is parsed as a file (stopping at the first error, and with
 * keep_going), split into words, and run through the read phase from a
 * scratch directory.  For the read phase, Include, LoadModule and
 * ServerRoot are renamed in the input, backslashes are replaced and no
 * first word may hold '$': the fuzzer would otherwise make the reader walk
 * the whole file system ("Include /", even spelt "Includ\<newline>e /" or
 * "${A}ude /") or open arbitrary shared objects; the include machinery has
 * its own unit suite (check_include).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "parser.h"
#include "readphase.h"

static void sink_emit(diag_sink *sink, const struct diag *d)
{
    (void)sink;
    /* touch every string so ASan sees bad pointers */
    volatile size_t n = strlen(d->message);
    if (d->file)
        n += strlen(d->file);
    (void)n;
}

static char scratch_dir[64];

static void neutralise(char *s, size_t len, const char *word)
{
    size_t wl = strlen(word);
    for (size_t i = 0; i + wl <= len; i++)
        if (strncasecmp(s + i, word, wl) == 0)
            s[i] = 'X';
}

static void run_read_phase(const uint8_t *data, size_t size)
{
    if (scratch_dir[0] == '\0') {
        snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/fuzzconf.XXXXXX");
        if (mkdtemp(scratch_dir) == NULL)
            abort();
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    /* No continuation can rebuild a name ("Includ\\<newline>e /"), and
     * no ${VAR} in a first word can make one ("${A}ude /"): found by
     * this fuzzer as a run reading the whole file system. */
    int first_word = 1;
    for (size_t i = 0; i < size; i++) {
        if (text[i] == '\\')
            text[i] = 'X';
        if (text[i] == '\n') {
            first_word = 1;
            continue;
        }
        if (first_word && text[i] == '$')
            text[i] = 'X';
        if (first_word && isspace((unsigned char)text[i]) && i > 0 &&
            !isspace((unsigned char)text[i - 1]) && text[i - 1] != '\n')
            first_word = 0;
    }
    neutralise(text, size, "include");
    neutralise(text, size, "loadmodule");
    neutralise(text, size, "serverroot");
    char path[128];
    snprintf(path, sizeof(path), "%s/main.conf", scratch_dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    fwrite(text, 1, size, f);
    fclose(f);
    free(text);

    for (int keep = 0; keep < 2; keep++) {
        resolved_config rc = {0};
        rc.arena = arena_create(0);
        conf_options o = {
            .argv0 = "httpd",
            .server_root = scratch_dir,
            .conf_file = path,
        };
        diag_sink sink = {.emit = sink_emit, .keep_going = keep};
        conf_node *tree = conf_read(&rc, &o, &sink);
        if (tree != NULL)
            conf_check_mpm_count(&rc, &sink);
        arena_destroy(rc.arena);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    for (int keep = 0; keep < 2; keep++) {
        arena *a = arena_create(0);
        diag_sink sink = {.emit = sink_emit, .keep_going = keep};
        conf_parse_string(a, "fuzz.conf", (const char *)data, size, &sink);
        arena_destroy(a);
    }
    {
        arena *a = arena_create(0);
        char *s = arena_strndup(a, (const char *)data, size);
        char **argv;
        int *cols;
        int n = conf_split_args(a, s, &argv, &cols);
        for (int i = 0; i < n; i++)
            if (argv[i] == NULL || cols[i] < 0 || (size_t)cols[i] > size)
                abort();
        if (argv[n] != NULL)
            abort();
        arena_destroy(a);
    }
    run_read_phase(data, size);
    return 0;
}
