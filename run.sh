#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing (Debian packages), builds with meson into build/,
# and opens the workbench on an example.  Arguments go to the program.
set -euo pipefail
cd "$(dirname "$0")"
source ./tools/ensure-deps.sh
ensure_deps "${SPK_RUN_PACKAGES[@]}"

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
# A first start shows something alive; `spikeworks` alone opens empty.
if [ $# -eq 0 ]; then
  set -- --example rate-vs-spiking
fi
# `meson devenv` runs it with the schema and the translations of the build
# tree (GSettings aborts on a schema that is not installed).
exec meson devenv -C build spikeworks "$@"
