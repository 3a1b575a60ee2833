#!/bin/sh
# test.sh -- set up and run the whole test suite on a fresh Debian:
# installs the build dependencies (and Debian's apache2, the oracle the
# differential tests compare against), builds out of tree in build/test,
# and runs `make check`.  Extra arguments go to ./configure.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tools/install-deps.sh" apache2
build=${BUILD_DIR:-$top/build/test}
mkdir -p "$build"
cd "$build"
"$top/configure" "$@"
make -j"$(nproc)"
make check
