#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation is complete and current: extracts the messages from the
# files in po/POTFILES.in as `ninja spikeworks-pot` does (xgettext with
# meson's glib preset), merges each language of po/LINGUAS with them, and
# fails on any fuzzy or untranslated message or a bad format string.
# Prints TAP.  Usage: check-translations.sh [SOURCE_ROOT]
cd "${1:-.}" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/spk-po-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
n=1
status=0

if ! xgettext --package-name=spikeworks --from-code=UTF-8 --add-comments \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
      --flag=g_print:1:c-format --flag=g_prefix_error:2:c-format \
      --files-from=po/POTFILES.in -o "$work/spikeworks.pot" 2> "$work/xgettext.log"; then
  echo "not ok 1 - xgettext extracts the messages"
  sed 's/^/# /' "$work/xgettext.log"
  echo "1..1"
  exit 1
fi
echo "ok $n - xgettext extracts the messages"

for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --previous -o "$work/$lang.po" "po/$lang.po" "$work/spikeworks.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$work/$lang.po" 2>&1)
  n=$((n + 1))
  case "$stats" in
    *fuzzy*|*untranslated*|*error*|*warning*)
      echo "not ok $n - po/$lang.po is complete and current: $(echo "$stats" | tail -n 1)"
      # The header block comes first; then one line per message.
      msgattrib --only-fuzzy --no-obsolete --no-wrap "$work/$lang.po" | sed '1,/^$/d' | grep '^msgid ' \
        | sed 's/^msgid /# fuzzy: /' | head -n 40
      msgattrib --untranslated --no-obsolete --no-wrap "$work/$lang.po" | sed '1,/^$/d' | grep '^msgid ' \
        | sed 's/^msgid /# untranslated: /' | head -n 40
      echo "$stats" | grep -E 'error|warning' | sed 's/^/# /' | head -n 20
      status=1
      ;;
    *)
      echo "ok $n - po/$lang.po is complete and current: $stats"
      ;;
  esac
done
echo "1..$n"
exit $status
