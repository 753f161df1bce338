#!/usr/bin/env bash
# The quick-start demo: the main analyses on bundled examples, printed as JSON, then an HTML report.
# Runs the `rnndyn` and the python installed into the virtual environment by `make build`.
set -euo pipefail
build=${1:-build}
venv=${2:-.venv}
cli="$venv/bin/rnndyn"
python="$venv/bin/python"
out="$build/demo"
mkdir -p "$out"
echo "== seed 000/001: every fixed point of the bounded line attractor, exactly (one segment)" >&2
"$cli" fixed-points examples/line_attractor_bounded.json -o "$out/line_attractor.json"
cat "$out/line_attractor.json"
echo "== seed 002: E-I network at tau_I = 30 ms, linearized at its fixed point (80/3, 50/3)" >&2
"$cli" linearize examples/ei_network.json --at 26.666666666666668,16.666666666666668 -o "$out/ei_linearize.json"
cat "$out/ei_linearize.json"
echo "== seed 002: the Hopf point of the E-I network as tau_I moves from 20 to 60 ms" >&2
"$cli" -q continue examples/ei_network.json --param 'tau[1]' --from 20 --to 60 --start 26.666666666666668,16.666666666666668 \
  -o "$out/ei_continue.json"
"$python" -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['bifurcations'], indent=1))" "$out/ei_continue.json"
echo "== seed 002: the limit cycle born at that Hopf point (tau_I, period, v_E min..max along the cycle)" >&2
"$cli" -q continue-cycles examples/ei_network.json --param 'tau[1]' --from 20 --to 60 -o "$out/ei_cycles.json"
"$python" -c "import json,sys
b = json.load(open(sys.argv[1]))['branches'][0]
for q in b['points'][::3]: print(f\"tau_I {q['p']:7.3f} ms  period {q['period']:8.3f} ms  v_E {q['x_min'][0]:6.2f}..{q['x_max'][0]:6.2f} Hz\")" \
  "$out/ei_cycles.json"
echo "== seed 003: mean-field theory of a tanh reservoir, g = 1.5, one target A = 1" >&2
"$cli" mft --activation tanh --g 1.5 --targets 1.0 --n-omega 0
"$cli" report "$out/ei_continue.json" -o "$out/report.html"
echo "== report of the continuation written to $out/report.html" >&2
