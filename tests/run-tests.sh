#!/bin/sh
# run-tests.sh -- run every Check suite and integration test, then print one
# closing line "N passed, N failed".  Called by `make check` with
# SRCDIR and BUILDDIR set; exits nonzero if anything failed.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$(pwd)}
export SRCDIR BUILDDIR
passed=0
failed=0
failed_names=""

# Check suites: "100%: Checks: 12, Failures: 0, Errors: 0"
for t in "$@"; do
    out=$(cd "$BUILDDIR" && CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-60} "./$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -v '^Running suite' | sed "s|^|$t: |"
    line=$(printf '%s\n' "$out" | grep -E 'Checks: [0-9]+' | tail -n 1)
    if [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
        f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
        e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
        passed=$((passed + n - f - e))
        failed=$((failed + f + e))
        [ $((f + e)) -gt 0 ] && failed_names="$failed_names $t"
    fi
    if [ $rc -ne 0 ] && { [ -z "$line" ] || [ "$f$e" = "00" ]; }; then
        failed=$((failed + 1)); failed_names="$failed_names $t(exit $rc)"
    fi
done

# Integration tests: each prints "N passed, N failed" as its last line.
for t in "$SRCDIR"/tests/integration/test_*.py; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .py)
    out=$(cd "$BUILDDIR" && timeout 900 python3 "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed "s|^|$name: |"
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -n "$line" ]; then
        n=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        passed=$((passed + n)); failed=$((failed + f))
        [ "$f" -gt 0 ] && failed_names="$failed_names $name"
    fi
    if [ $rc -ne 0 ] && { [ -z "$line" ] || [ "${f:-0}" -eq 0 ]; }; then
        failed=$((failed + 1)); failed_names="$failed_names $name(exit $rc)"
    fi
done

[ -n "$failed_names" ] && echo "FAILED:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
