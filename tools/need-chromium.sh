#!/bin/sh
# Make sure Chromium is at $CHROMIUM (default /usr/bin/chromium): the browser tests and
# `make pdf` drive it. When it is missing and Debian's package manager is there, install
# it (`apt-get update`, `apt-get install -y chromium`; through sudo when not root).
# Anywhere else stop at once and print the exact command to run.
#
#   CHROMIUM=/path/to/chromium tools/need-chromium.sh

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

install="apt-get update && apt-get install -y chromium"
if ! command -v apt-get >/dev/null 2>&1; then
    printf '%s\n' \
    "Chromium is needed at $CHROMIUM for the browser tests and the PDF, and this machine has" \
    "no apt-get to install it. Install Chromium with your system's package manager, then run:" \
    "  make test CHROMIUM=/path/to/chromium" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    printf '%s\n' \
    "Chromium is needed at $CHROMIUM for the browser tests and the PDF. Install it as root, then run make again:" \
    "  su -c \"$install\"" >&2
    exit 1
fi

# Run a command as root (sudo keeps only the variables given on its command line).
as_root() {
    if [ -n "$sudo" ]; then
        sudo DEBIAN_FRONTEND=noninteractive "$@"
    else
        DEBIAN_FRONTEND=noninteractive "$@"
    fi
}

echo "Chromium is missing at $CHROMIUM: installing it from Debian (${sudo:+sudo }$install)"
as_root apt-get update -qq || exit 1
as_root apt-get install -y -qq chromium || exit 1
if [ ! -x "$CHROMIUM" ]; then
    echo "apt-get installed chromium, but there is still nothing at $CHROMIUM;" \
         "run make with CHROMIUM=/path/to/chromium" >&2
    exit 1
fi
