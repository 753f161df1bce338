#!/usr/bin/env bash
# Creates the virtual environment (python3 -m venv) with what scripts/requirements-dev.txt lists, and
# the offline wheelhouse of rnndyn's dependencies that the wheel test installs from (a test never
# downloads). Does nothing when both are up to date with the requirements file.
set -euo pipefail
venv=${1:-.venv}
wheelhouse=${2:-wheelhouse}
python=${PYTHON:-python3}
requirements=scripts/requirements-dev.txt
stamp="$venv/.rnndyn-requirements"
if [ ! -x "$venv/bin/python" ]; then
  echo "venv: creating $venv with $($python --version 2>&1)" >&2
  "$python" -m venv "$venv"
fi
if cmp -s "$requirements" "$stamp" && [ -f "$wheelhouse/.complete" ]; then
  exit 0
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
echo "venv: wheelhouse of rnndyn's dependencies in $wheelhouse" >&2
rm -f "$wheelhouse/.complete"
"${pip[@]}" download -q --only-binary=:all: -d "$wheelhouse" numpy scipy matplotlib tqdm
touch "$wheelhouse/.complete"
echo "venv: installing $(grep -v '^#' "$requirements" | xargs) into $venv" >&2
"${pip[@]}" install -q --find-links "$wheelhouse" -r "$requirements"
cp "$requirements" "$stamp"
