#!/bin/sh
# install-deps.sh -- install what a fresh Debian lacks to build and test
# httpd-ng: a C compiler, make, flex, bison, pkg-config, check, PCRE2,
# libcrypt (crypt_r), zlib, python3.
# Does nothing when everything is present.  Run as root (or with sudo).
set -e
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for pkg in gcc make flex bison pkg-config check libpcre2-dev libcrypt-dev zlib1g-dev python3 "$@"; do
    have "$pkg" || need="$need $pkg"
done
if [ -z "$need" ]; then
    echo "install-deps: all build dependencies present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing$need"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
