#!/usr/bin/env bash
# The quick-start demo: analyses of bundled examples, printed as JSON.
set -euo pipefail
build=${1:-build}
cli="$build/rnndyn"
echo "== seed 002: E-I network at tau_I = 30 ms, linearized at its fixed point (80/3, 50/3)" >&2
"$cli" linearize examples/ei_network.json --at 26.666666666666668,16.666666666666668
echo "== seed 002: linear network with an integrator mode (lambda = 1)" >&2
"$cli" linear examples/linear_integrator.json
