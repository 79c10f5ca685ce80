#!/bin/sh
# Set up a fresh machine and run the app or the tests (the README's two commands).
#   sh packaging/dev.sh app     install what the app needs, then open it (extra arguments go to main.py)
#   sh packaging/dev.sh test    install what the tests need, check the catalogs, run every test
# Debian/Ubuntu system libraries are installed with apt-get (as root, or through sudo); elsewhere
# install Qt's X11/EGL libraries yourself. Python 3.11+ is required; set PYTHON to pick one.
set -eu
cd "$(dirname "$0")/.."
mode=${1:-app}
[ $# -gt 0 ] && shift
PY=${PYTHON:-python3}

"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
    exit 1
}

# Qt's platform plugins need these shared libraries (fonts are bundled: localisation/fonts/).
qt_libs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1"
[ "$mode" = test ] && qt_libs="$qt_libs gettext"  # msgfmt --check on every .po (i18n check)
"$PY" -c 'import ensurepip' 2>/dev/null || qt_libs="$qt_libs python3-venv"
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=""
    for package in $qt_libs; do
        dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
    done
    if [ -n "$missing" ]; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        echo "Installing system libraries:$missing"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
case "$mode" in
    app)
        .venv/bin/python -m pip install -q --disable-pip-version-check -e .
        exec .venv/bin/python main.py "$@"
        ;;
    test)
        .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,build]"
        .venv/bin/python main.py i18n check
        for course in courses/*/; do .venv/bin/python main.py course check "$course"; done
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: sh packaging/dev.sh app|test [arguments]" >&2
        exit 2
        ;;
esac
