#!/bin/sh
# Every source file with translatable strings (_() or N_()) must be listed in
# po/POTFILES.in, and every listed file must exist.  Prints TAP.
cd "${1:-.}" || exit 1
status=0
n=0
missing=$(grep -rlE '\bN?_\(' --include='*.c' app engine ui 2>/dev/null | sort | while read -r f; do
  grep -qxF "$f" po/POTFILES.in || echo "$f"
done)
n=$((n + 1))
if [ -n "$missing" ]; then
  echo "not ok $n - files with translatable strings missing from po/POTFILES.in: $(echo $missing)"
  status=1
else
  echo "ok $n - every file with translatable strings is in po/POTFILES.in"
fi
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
