#!/bin/sh
# run.sh -- set up and start httpd-ng on the shipped configuration, in the
# foreground: installs the build dependencies, builds in build/run, and runs
# the server serving htdocs/ on http://127.0.0.1:8080/ (Ctrl-C stops it).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tools/install-deps.sh"
build=${BUILD_DIR:-$top/build/run}
mkdir -p "$build"
cd "$build"
if [ $# -gt 0 ] || [ ! -f Makefile ]; then "$top/configure" "$@"; fi
make -j"$(nproc)"
echo "httpd-ng: serving $build/htdocs on http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec ./httpd -d "$build" -f "$build/conf/httpd.conf" -D FOREGROUND
