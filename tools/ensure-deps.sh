# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by run.sh and test.sh: installs the Debian packages the build and
# the tests need, when any is missing.  Needs root (or sudo) only then.
# `ensure_deps PKG…` also installs the packages named (run.sh: the data
# the workbench's training tour uses; the tests use generated stand-ins).
SPK_DEBIAN_PACKAGES=(
  meson ninja-build pkg-config gcc
  libglib2.0-dev libjson-glib-dev libopenblas-dev liblapacke-dev libhdf5-dev zlib1g-dev libarchive-dev
  libgtk-4-dev libadwaita-1-dev gettext desktop-file-utils appstream
  libglib2.0-bin shared-mime-info dbus-daemon
  xvfb xauth
  python3 python3-dev python3-numpy python3-h5py python3-scipy python3-matplotlib
  python3-pytest python3-pytest-xdist python3-pkg-resources
)
# Data for the workbench (./run.sh), not needed by the build or the tests:
# Fashion-MNIST (30 MB) for the training examples and the README's tour.
SPK_RUN_PACKAGES=(dataset-fashion-mnist)

ensure_deps ()
{
  local missing=()
  local pkg
  for pkg in "${SPK_DEBIAN_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing missing Debian packages: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}
