#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every file with translatable strings must be listed in po/POTFILES.in, and
# every listed file must exist: C sources and headers (templates such as
# spk-ops-layer-tmpl.h) with _(), N_(), C_(), NC_() or ngettext(), GtkBuilder
# .ui files with translatable="yes", and the desktop file, metainfo, MIME
# types and GSettings schema in data/.  Prints TAP.
cd "${1:-.}" || exit 1
status=0
n=0

listed () {
  while read -r f; do
    grep -qxF "$f" po/POTFILES.in || echo "$f"
  done
}

report () {
  n=$((n + 1))
  if [ -n "$2" ]; then
    echo "not ok $n - $1 missing from po/POTFILES.in: $(echo $2)"
    status=1
  else
    echo "ok $n - every $1 is in po/POTFILES.in"
  fi
}

report "C file with translatable strings" \
  "$(grep -rlE '(\b(N|C|NC)?_|\bn?gettext)[[:space:]]*\([[:space:]]*"' --include='*.c' --include='*.h' app engine ui 2>/dev/null | sort | listed)"
report ".ui file with translatable strings" \
  "$(grep -rl 'translatable="yes"' --include='*.ui' app engine ui 2>/dev/null | sort | listed)"
report "translatable data file" \
  "$(ls data/*.desktop.in data/*.metainfo.xml.in data/*.mime.xml.in data/*.gschema.xml 2>/dev/null | sort | listed)"

stale=$(grep -v '^#' po/POTFILES.in | grep . | while read -r f; do [ -f "$f" ] || echo "$f"; done)
n=$((n + 1))
if [ -n "$stale" ]; then
  echo "not ok $n - po/POTFILES.in lists files that do not exist: $(echo $stale)"
  status=1
else
  echo "ok $n - po/POTFILES.in lists only existing files"
fi
echo "1..$n"
exit $status
