#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs Nengo's own test suite (the vendored Nengo 4.1.0) against
# spikeworks.Simulator, with Nengo's pytest plugin and its three test
# plugins loaded by name (there is no package metadata to load them from).
# The settings, including the list of tests no backend can pass here, are
# in python/nengo-suite.ini.
#
# Usage: tools/run-nengo-suite.sh [pytest arguments]
#   SPK_BUILD_DIR   the meson build tree (default: build)
#   -o nengo_simulator=nengo.Simulator   runs the suite on Nengo's own
#                                        reference simulator instead
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SPK_BUILD_DIR:-$root/build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
python=/usr/bin/python3

export PYTHONPATH="$root/vendor/nengo:$root/vendor/pytest-allclose:$root/vendor/pytest-plt:$root/vendor/pytest-rng:$build/python"
export MPLBACKEND=Agg
# Numpy's BLAS threads would only fight the test workers for the cores.
export OPENBLAS_NUM_THREADS=1

parallel=()
if "$python" -c 'import xdist' 2>/dev/null; then
  parallel=(-n "${SPK_NENGO_JOBS:-2}")
fi

cd "$root"
exec nice "$python" -m pytest -c python/nengo-suite.ini --rootdir=vendor/nengo \
  -p no:cacheprovider \
  -p pytest_nengo -p pytest_allclose.plugin -p pytest_plt.plugin -p pytest_rng.plugin \
  "${parallel[@]}" -q -rfEs --pyargs nengo "$@"
