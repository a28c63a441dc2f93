#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds with meson into build/,
# and opens the workbench on an example (or, before the GUI exists, lists
# the built-in examples).  Arguments go to the program.
set -euo pipefail
cd "$(dirname "$0")"
source ./tools/ensure-deps.sh
ensure_deps

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
if [ -x build/app/spikeworks ]; then
  # A first start shows something alive; `spikeworks` alone opens empty.
  if [ $# -eq 0 ]; then
    set -- --example rate-vs-spiking
  fi
  exec build/app/spikeworks "$@"
fi
exec build/app/spikeworks-cli examples
