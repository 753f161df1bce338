#!/usr/bin/env bash
# The quick-start demo: analyses of bundled examples printed as JSON, then an HTML report.
set -euo pipefail
build=${1:-build}
cli="$build/rnndyn"
out="$build/demo"
mkdir -p "$out"
echo "== seed 002: E-I network at tau_I = 30 ms, linearized at its fixed point (80/3, 50/3)" >&2
"$cli" linearize examples/ei_network.json --at 26.666666666666668,16.666666666666668 -o "$out/ei_linearize.json"
cat "$out/ei_linearize.json"
echo "== seed 002: linear network with an integrator mode (lambda = 1)" >&2
"$cli" linear examples/linear_integrator.json
"$cli" report "$out/ei_linearize.json" --model examples/ei_network.json -o "$out/report.html"
echo "== report written to $out/report.html" >&2
