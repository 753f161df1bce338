#!/usr/bin/env bash
# Line coverage of src/ from the profiles a COVERAGE=1 sanitizer build wrote while its tests ran
# (`make test-sanitize COVERAGE=1`): llvm-profdata merges them, llvm-cov reports per file and in
# total, counting the library's code in the CLI, the unit tests and the fuzzers alike.
set -euo pipefail
build=${1:-build-sanitize}
profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata)
cov=$(command -v llvm-cov-14 || command -v llvm-cov)
shopt -s nullglob
profiles=("$build"/coverage/*.profraw)
if [ ${#profiles[@]} -eq 0 ]; then
  echo "coverage: no profiles in $build/coverage (configure with COVERAGE=1)" >&2
  exit 1
fi
"$profdata" merge -sparse "${profiles[@]}" -o "$build/coverage/rnndyn.profdata"
objects=("$build/rnndyn")
for o in "$build"/tests/rnndyn_tests "$build"/fuzz/fuzz_*; do [ -x "$o" ] && objects+=(-object "$o"); done
src=$(cd "$(dirname "$0")/.." && pwd)/src
echo "== line coverage of src/ (C++ and CLI tests under the sanitizers)" >&2
"$cov" report "${objects[@]}" -instr-profile "$build/coverage/rnndyn.profdata" "$src" \
  | awk '{ sub(".*/src/", "src/"); print }'
