#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source file names its licence in an SPDX line near its top:
# GPL-3.0-or-later, as meson.build and COPYING say (the metainfo, whose
# metadata is CC0-1.0, says so instead); a lesson file, whose first lines
# are its header, says it in a comment right below (within 10 lines).
# Translations, documentation and
# data without comments (po/, *.md, JSON and CSV fixtures) are left out, and
# so is vendor/: third-party code under its own licences.
# Prints TAP.  Usage: check-spdx.sh [SOURCE_ROOT]
cd "${1:-.}" || exit 1
n=0
status=0

sources () {
  git ls-files 2>/dev/null || find . -type f ! -path './.git/*' ! -path './build*' | sed 's|^\./||'
}

# One awk over every file (not a head and a grep per file): the test
# stays a second long however many files the tree has.
candidates () {
  sources | while read -r f; do
    case "$f" in
      vendor/*) continue ;;
      *.c|*.h|*.py|*.ui|*.css|*.xml|*.xml.in|*.desktop.in|*.svg|*.lesson|meson.build|*/meson.build|*.sh|run.sh|test.sh|.ci/run) ;;
      *) continue ;;
    esac
    [ -f "$f" ] && printf '%s\n' "$f"
  done
}

missing=$(candidates | tr '\n' '\0' | xargs -0 -r awk '
  function verdict () { if (file != "" && !ok) print file }
  FNR == 1 {
    verdict()
    file = FILENAME; ok = 0
    lines = FILENAME ~ /\.lesson$/ ? 10 : 5
    want = FILENAME ~ /\.metainfo\.xml\.in$/ ? "SPDX-License-Identifier: CC0-1.0" \
                                             : "SPDX-License-Identifier: GPL-3.0-or-later"
  }
  FNR <= lines && index($0, want) { ok = 1 }
  FNR > lines { nextfile }
  END { verdict() }'
  # an empty file has no first line for awk to see
  candidates | while read -r f; do [ -s "$f" ] || echo "$f"; done)
n=$((n + 1))
if [ -n "$missing" ]; then
  echo "not ok $n - source files without an SPDX-License-Identifier line: $(echo $missing)"
  status=1
else
  echo "ok $n - every source file has an SPDX-License-Identifier line"
fi

n=$((n + 1))
if [ -f COPYING ] && grep -q 'GNU GENERAL PUBLIC LICENSE' COPYING && grep -q 'Version 3, 29 June 2007' COPYING \
   && grep -q "license: 'GPL-3.0-or-later'" meson.build; then
  echo "ok $n - COPYING holds the GPL version 3 that meson.build names"
else
  echo "not ok $n - COPYING must hold the GPL version 3 and meson.build say GPL-3.0-or-later"
  status=1
fi
echo "1..$n"
exit $status
