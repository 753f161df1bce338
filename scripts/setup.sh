#!/usr/bin/env bash
# Installs the Debian 12 packages rnndyn needs, skipping the ones already present.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libeigen3-dev libboost-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  liblapacke-dev libopenblas-dev
  python3 python3-dev pybind11-dev python3-numpy python3-scipy python3-matplotlib python3-pytest python3-torch
  clang-format chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
