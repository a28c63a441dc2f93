#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds with meson into build/,
# and runs every test suite.  Usage: ./test.sh [meson test arguments]
set -euo pipefail
cd "$(dirname "$0")"
source ./tools/ensure-deps.sh
ensure_deps

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
# The GUI suite needs a display: run everything under a private Xvfb.
if command -v xvfb-run >/dev/null && [ -z "${DISPLAY:-}" ]; then
  GDK_BACKEND=x11 GSK_RENDERER=cairo xvfb-run -a meson test -C build --print-errorlogs "$@"
else
  meson test -C build --print-errorlogs "$@"
fi
