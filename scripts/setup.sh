#!/usr/bin/env bash
# Installs the Debian 12 packages rnndyn needs (C++ toolchain and libraries, clang-format, chromium for
# the report tests, clang with its sanitizer and libFuzzer runtimes for `make test-sanitize`), skipping the ones already present. Python packages come from PyPI into a virtual
# environment instead (scripts/venv.sh).
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libeigen3-dev libboost-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  liblapacke-dev libopenblas-dev
  clang-format chromium
  clang-14 libclang-rt-14-dev libomp-14-dev llvm-14
)
# Debian's python3 only where the python3 on PATH cannot make a venv or lacks the C headers.
python=${PYTHON:-python3}
if ! "$python" -c 'import ensurepip, os, sys, sysconfig, venv
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
  packages+=(python3 python3-dev python3-venv)
fi
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
