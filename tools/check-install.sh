#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install --destdir` into a scratch directory, then checks that the
# installed tree has everything a desktop needs and that each file is valid:
# the programs, the desktop file, the metainfo, the icons, the MIME types
# (and that they recognise sessions and model files), the GSettings schema
# and the German translation.  Prints TAP.
# Usage: check-install.sh BUILD_DIR PREFIX BINDIR DATADIR LOCALEDIR
set -u
build=$1
prefix=$2
bindir=$3
datadir=$4
localedir=$5
app_id=org.spikeworks.Spikeworks

dest=$(mktemp -d "${TMPDIR:-/tmp}/spk-install-XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT
root=$dest$prefix
bin=$root/$bindir
share=$root/$datadir
n=0
status=0

check () {
  n=$((n + 1))
  description=$1
  shift
  if output=$("$@" 2>&1); then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    printf '%s\n' "$output" | sed 's/^/# /'
    status=1
  fi
}

# Silent and successful: validators that only warn still fail the check.
quiet () {
  output=$("$@" 2>&1) || { printf '%s\n' "$output"; return 1; }
  [ -z "$output" ] || { printf '%s\n' "$output"; return 1; }
}

content_type () {
  XDG_DATA_DIRS=$share:/usr/share XDG_DATA_HOME=$dest/nowhere \
    gio info -a standard::content-type "$1" | sed -n 's/^ *standard::content-type: //p'
}

is_type () {
  got=$(content_type "$1")
  [ "$got" = "$2" ] || { echo "$1: $got, not $2"; return 1; }
}

check "meson install --destdir succeeds" \
  meson install -C "$build" --no-rebuild --quiet --destdir "$dest"

check "spikeworks is installed and runs" sh -c "'$bin/spikeworks' --version | grep -q '^spikeworks '"
check "spikeworks-cli is installed and runs" sh -c "'$bin/spikeworks-cli' --version | grep -q '^spikeworks-cli '"

check "the desktop file is valid" \
  quiet desktop-file-validate "$share/applications/$app_id.desktop"
check "the desktop file opens sessions, model files, Keras models and NIR graphs, not every JSON or HDF5 file" \
  sh -c "grep -qx 'MimeType=application/x-spikeworks-session;application/x-spikeworks-model;application/x-keras;application/x-nir;' '$share/applications/$app_id.desktop'"
check "the metainfo is valid" \
  appstreamcli validate --no-net "$share/metainfo/$app_id.metainfo.xml"
check "the application icon is installed" test -f "$share/icons/hicolor/scalable/apps/$app_id.svg"
check "the symbolic icon is installed" test -f "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"

check "the GSettings schema is installed and compiles strictly" \
  sh -c "test -f '$share/glib-2.0/schemas/$app_id.gschema.xml' && glib-compile-schemas --strict --dry-run '$share/glib-2.0/schemas'"

check "the MIME types are installed" test -f "$share/mime/packages/$app_id.xml"
check "the MIME database builds" update-mime-database "$share/mime"
samples=$dest/samples
mkdir -p "$samples"
printf '\211HDF\r\n\032\n' > "$samples/lesson.spkw"
printf '{\n  "format" : "spikeworks-model",\n  "version" : 1\n}\n' > "$samples/demo.spikeworks.json"
cp "$samples/demo.spikeworks.json" "$samples/model-without-extension"
printf '{"format": "something-else"}\n' > "$samples/data.json"
printf 'PK\003\004' > "$samples/classifier.keras"
printf '\211HDF\r\n\032\n' > "$samples/weights.h5"
printf '\211HDF\r\n\032\n' > "$samples/lif.nir"
check "a .spkw file is a session" is_type "$samples/lesson.spkw" application/x-spikeworks-session
check "a .spikeworks.json file is a model" is_type "$samples/demo.spikeworks.json" application/x-spikeworks-model
check "a model file is recognised by its contents" \
  is_type "$samples/model-without-extension" application/x-spikeworks-model
check "other JSON files stay JSON" is_type "$samples/data.json" application/json
check "a .keras file is a Keras model" is_type "$samples/classifier.keras" application/x-keras
check "a .nir file is a NIR graph" is_type "$samples/lif.nir" application/x-nir
check "other HDF5 files are not claimed" sh -c "! XDG_DATA_DIRS='$share:/usr/share' XDG_DATA_HOME='$dest/nowhere' \
  gio info -a standard::content-type '$samples/weights.h5' | grep -q 'spikeworks\|keras\|nir'"

check "the German translation is installed" test -f "$root/$localedir/de/LC_MESSAGES/spikeworks.mo"
check "the installed programs speak German from it" \
  sh -c "SPIKEWORKS_LOCALEDIR='$root/$localedir' LANGUAGE=de LC_ALL=C.UTF-8 '$bin/spikeworks-cli' --help | grep -q '^Aufruf: spikeworks-cli'"

echo "1..$n"
exit $status
