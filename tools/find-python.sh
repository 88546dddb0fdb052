#!/bin/sh
# Print the path of a Python 3.11 for the book's virtual environment, or say what to install.
#
#   tools/find-python.sh            python3.11, else python3 when it is 3.11
#   PYTHON=/path/python tools/find-python.sh   check that one instead
#
# Used by the Makefile before it creates .venv; exits 1 with instructions when there is none.

is_311() {
    "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1
}

if [ -n "$PYTHON" ]; then
    candidates="$PYTHON"
else
    candidates="python3.11 python3"
fi
for candidate in $candidates; do
    found=$(command -v "$candidate" 2>/dev/null) || continue
    if is_311 "$found"; then
        echo "$found"
        exit 0
    fi
done

printf '%s\n' \
    "This book needs Python 3.11 (with its venv module); none was found as ${PYTHON:-python3.11 or python3}." \
    "Install it, then run make again:" \
    "  Debian 12 / Ubuntu:  sudo apt-get install python3.11 python3.11-venv" \
    "  elsewhere:           https://www.python.org/downloads/ (3.11), then: make PYTHON=/path/to/python3.11" >&2
exit 1
