#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing (Debian packages), builds with meson into build/,
# and runs every test suite and Nengo's own test suite against the Python
# backend; then every suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer with leak checks (build-asan/;
# SPK_TEST_ASAN_ALL=0: only the suites that read untrusted input), the
# Python binding's tests there too,
# and the threaded ones under ThreadSanitizer (build-tsan/).
# SPK_FUZZ_SCALE=K fuzzes K times longer.
# Usage: ./test.sh [meson test arguments]
set -euo pipefail
cd "$(dirname "$0")"
source ./tools/ensure-deps.sh
ensure_deps

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build

# The GUI suite needs a display: run everything under a private Xvfb.
run_tests () {
  if command -v xvfb-run >/dev/null && [ -z "${DISPLAY:-}" ]; then
    GDK_BACKEND=x11 GSK_RENDERER=cairo xvfb-run -a meson test "$@"
  else
    meson test "$@"
  fi
}
run_tests -C build --print-errorlogs "$@"

if [ $# -eq 0 ]; then
  # Nengo's own test suite against spikeworks.Simulator (Debian's Python).
  ./tools/run-nengo-suite.sh

  # Every suite again under AddressSanitizer and UndefinedBehaviorSanitizer
  # (build-asan/), with leak checking; the suites that read untrusted input
  # (model files, sessions, data files, expressions, command lines and
  # their fuzz tests) first.  The whole run takes about 13 minutes on 2
  # busy cores (docs/testing.md).  SPK_TEST_ASAN_ALL=0 runs only the
  # untrusted-input suites, for a quicker check.  A sanitizer report exits
  # with 86, so a CLI run under test can never pass one off as its own
  # clean refusal (exit 1); tools/lsan.supp lists the third-party leaks
  # that are not ours; a failed allocation returns NULL, as the checked
  # allocations expect.  Timeouts are scaled for ASan's slowdown.  The
  # Python suite needs the runtime preloaded: it runs below.
  if [ ! -f build-asan/build.ninja ]; then
    meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
  fi
  ninja -C build-asan
  export ASAN_OPTIONS=detect_leaks=1:exitcode=86:allocator_may_return_null=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
  export LSAN_OPTIONS=suppressions=$PWD/tools/lsan.supp:print_suppressions=0
  # The check of an untrusted session runs in a child with a time limit
  # (10 s); ASan's slowdown on a busy machine can exceed it for a good file.
  # Tests of the limit itself set their own.
  export SPK_HDF5_CHECK_SECONDS=60
  untrusted=(json session session-damaged idx expr cli cli-refusals hostile-models fuzz keras nir)
  run_tests -C build-asan --no-rebuild --print-errorlogs --timeout-multiplier 3 "${untrusted[@]}"
  if [ "${SPK_TEST_ASAN_ALL:-1}" = 1 ]; then
    rest=()
    # --no-rebuild: a rebuild's own output would be read as test names.
    for name in $(meson test -C build-asan --no-rebuild --list 2>/dev/null | sed -n 's/^.* \/ //p'); do
      # The Python suites run below, with the sanitizer's runtime preloaded.
      [[ " ${untrusted[*]} " == *" $name "* || $name == python* ]] || rest+=("$name")
    done
    run_tests -C build-asan --no-rebuild --print-errorlogs --timeout-multiplier 3 "${rest[@]}"
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS SPK_HDF5_CHECK_SECONDS

  # The Python binding's tests against the sanitized engine: Python is not
  # built with ASan, so the runtime is preloaded, and leak detection is off
  # for the interpreter's own allocations.
  # Every file of the package (its modules and extensions), and the CLI the
  # export tests run.
  py_targets="$(ninja -C build-asan -t targets all | sed -n 's|^\(python/spikeworks/[^:/]*\): .*|\1|p')"
  # shellcheck disable=SC2086
  ninja -C build-asan $py_targets app/spikeworks-cli
  LD_PRELOAD="$(gcc -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0 \
    UBSAN_OPTIONS=halt_on_error=1 PYTHONPATH=vendor/nengo:build-asan/python \
    OPENBLAS_NUM_THREADS=1 MPLBACKEND=Agg SPIKEWORKS_CLI=build-asan/app/spikeworks-cli \
    /usr/bin/python3 -m pytest -p no:cacheprovider -q tests/python/test_spikeworks.py \
    tests/python/test_session_load.py tests/python/test_model_export.py \
    tests/python/test_converter.py tests/python/test_fast_build.py \
    tests/python/test_layers.py tests/python/test_session_dl.py \
    tests/python/test_session_networks.py

  # The runner's threads and the simulator's pool under ThreadSanitizer,
  # in a build of their own.
  # The target_clones resolvers of the kernels run before TSan starts, so
  # they must not call into it on entry.
  if [ ! -f build-tsan/build.ninja ]; then
    meson setup build-tsan -Db_sanitize=thread -Db_lundef=false \
      -Dc_args=--param=tsan-instrument-func-entry-exit=0
  fi
  # OpenBLAS's own threads (used while solving decoders) are not
  # instrumented, so they run single-threaded here.
  ninja -C build-tsan tests/test-runner tests/test-pool
  OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1 \
    meson test -C build-tsan --no-rebuild --print-errorlogs runner pool
fi
