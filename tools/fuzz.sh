#!/bin/sh
# fuzz.sh -- build the libFuzzer targets in tests/fuzz/ with clang
# (ASan + UBSan) and run each for a given time.
#
#   sh tools/fuzz.sh [TARGET...] [-t SECONDS] [-j JOBS]
#
# TARGET is a name such as "config" or "http" (tests/fuzz/fuzz_NAME.c);
# default: every tests/fuzz/fuzz_*.c.  SECONDS (default 60) is per target.
# The build goes to build/fuzz (or $BUILD_DIR); corpora grow in
# build/fuzz/corpus/NAME, seeded from tests/fuzz/corpus/NAME/ when present,
# and for "config" from conf/ and the test configs, for "http" with a few
# requests written here.  A dictionary tests/fuzz/NAME.dict is used if present.
# Crashes, leaks and timeouts are left as build/fuzz/artifacts/NAME/*;
# the script prints them and exits 1 if there are any.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=60
jobs=1
targets=""
while [ $# -gt 0 ]; do
    case $1 in
    -t) secs=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) targets="$targets $1"; shift ;;
    esac
done
if [ -z "$targets" ]; then
    for f in "$top"/tests/fuzz/fuzz_*.c; do
        [ -f "$f" ] || continue
        n=$(basename "$f" .c); targets="$targets ${n#fuzz_}"
    done
fi
if [ -z "$targets" ]; then
    echo "fuzz.sh: no tests/fuzz/fuzz_*.c targets yet" >&2
    exit 2
fi

sh "$top/tools/install-deps.sh" clang libclang-rt-14-dev
build=${BUILD_DIR:-$top/build/fuzz}
mkdir -p "$build"
cd "$build"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
if [ ! -f Makefile ]; then
    "$top/configure" CC=clang \
        CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san" \
        LDFLAGS="$san" >/dev/null
fi
make -j"$(nproc)" httpd mpm/prefork.o mpm/worker.o mpm/event.o >/dev/null
# Every library object: what httpd links, minus its main(), and the
# libraries configure found for it.
libs=$(sed -n 's/^LIBS *= *//p' Makefile)
objs=$(find parser core modules mpm -name '*.o' ! -path core/main.o | sort)
cflags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $san -D_GNU_SOURCE \
 -I. -Iparser -Icore -I$top/core -I$top/parser -I$top/mpm -I$top/modules -pthread"

status=0
for t in $targets; do
    src=$top/tests/fuzz/fuzz_$t.c
    if [ ! -f "$src" ]; then
        echo "fuzz.sh: $src not found" >&2; status=1; continue
    fi
    echo "=== fuzz_$t: building"
    # shellcheck disable=SC2086
    clang $cflags -o "fuzz_$t" "$src" $objs static_mpm.o $libs
    corpus=corpus/$t
    art=artifacts/$t
    mkdir -p "$corpus" "$art"
    seeds=""
    [ -d "$top/tests/fuzz/corpus/$t" ] && seeds="$top/tests/fuzz/corpus/$t"
    case $t in
    config)
        for f in "$top"/conf/*.in $(find "$top/tests" -name '*.conf' 2>/dev/null | head -200); do
            [ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1)"
        done ;;
    http)
        printf 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' > "$corpus/seed-get"
        printf 'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' > "$corpus/seed-chunked"
        printf 'GET /a%%20b?q HTTP/1.0\r\nConnection: keep-alive\r\nRange: bytes=0-1,5-\r\n\r\n' > "$corpus/seed-10"
        printf 'HEAD http://a/b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: b\r\n\r\n' > "$corpus/seed-pipe"
        ;;
    expr)
        printf '%s' "%{REQUEST_URI} =~ m#^/(a|b)#i && \$1 -in {'a', tolower(req('X'))}" > "$corpus/seed-1"
        printf '%s' "!(-R '10.0.0.0/8' || %{HTTP:X} -strmatch 'y*') and 1 -lt 2" > "$corpus/seed-2"
        printf '%s' "'a\\101%{md5:x}' . %{TIME} != \"\$0\" || -n file('/dev/null')" > "$corpus/seed-3"
        ;;
    esac
    dict=""
    [ -f "$top/tests/fuzz/$t.dict" ] && dict="-dict=$top/tests/fuzz/$t.dict"
    echo "=== fuzz_$t: running ${secs}s (corpus $build/$corpus)"
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1 ./"fuzz_$t" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -jobs="$jobs" -workers="$jobs" -artifact_prefix="$art/" $dict \
        "$corpus" $seeds > "fuzz_$t.log" 2>&1 || true
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
        "fuzz_$t.log" | sed "s/^/fuzz_$t: /" || true
    found=$(ls "$art" 2>/dev/null | wc -l)
    if [ "$found" -gt 0 ]; then
        echo "fuzz_$t: $found finding(s) in $build/$art:"
        ls "$art" | sed 's/^/  /'
        grep -m 3 -E 'ERROR|SUMMARY' "fuzz_$t.log" | sed 's/^/  /' || true
        status=1
    else
        echo "fuzz_$t: no crash, leak or timeout in ${secs}s ($(ls "$corpus" | wc -l) corpus files)"
    fi
done
exit $status
