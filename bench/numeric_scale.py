#!/usr/bin/env python3
"""Numeric fixed points of dense tanh rate networks at scale, with DEFAULT options.

tau dx/dt = -x + g W tanh(x) + b with W Gaussian of variance 1/N (Sompolinsky-Crisanti-Sommers):
g < 1 has the origin as its only fixed point (b = 0), g > 1 many unstable ones. For each N and g,
runs `rnndyn fixed-points MODEL` (auto: numeric for a full-rank tanh W; the whole CLI process
timed, JSON I/O included) and prints time, fixed points (stable), the rounds, solves, the
Good-Turing estimate and why the search stopped. A rank-2 network (W = U V^T / N given dense)
shows auto's interval route. Usage:

  .venv/bin/python bench/numeric_scale.py --rnndyn build-bench/rnndyn [--sizes 100,200,500] [--gains 0.5,1.5]
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def run(rnndyn, spec, extra=()):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "model.json"
        path.write_text(json.dumps(spec))
        t0 = time.perf_counter()
        out = subprocess.run([rnndyn, "-q", "fixed-points", str(path), *extra], capture_output=True, text=True)
        wall = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(out.stderr)
    return json.loads(out.stdout), wall


def row(label, j, wall):
    fps = j["fixed_points"]
    stable = sum(1 for p in fps if p.get("n_unstable", 0) == 0)
    s = j.get("search", {})
    gt = s.get("good_turing")
    return (f"| {label} | {j['method']} | {wall:.2f} | {len(fps)} ({stable}) | {s.get('rounds', '-')} | "
            f"{s.get('random_starts', '-')} / {s.get('deflated_runs', '-')} / {s.get('targeted_starts', '-')} | "
            f"{'-' if gt is None else f'{gt:.3f}'} | {s.get('stopped_by', j['status'])} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rnndyn", required=True)
    ap.add_argument("--sizes", default="100,200,500")
    ap.add_argument("--gains", default="0.5,1.5")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print("| network | method | wall s | fixed points (stable) | rounds | random / deflated / targeted solves "
          "| Good-Turing | stopped by |")
    print("|---|---|---|---|---|---|---|---|")
    for n in map(int, a.sizes.split(",")):
        rng = np.random.default_rng(a.seed + n)
        W = rng.standard_normal((n, n)) / np.sqrt(n)
        for g in map(float, a.gains.split(",")):
            spec = {"model": "rate", "form": "current", "activation": "tanh", "W": W.tolist(), "g": g}
            j, wall = run(a.rnndyn, spec)
            print(row(f"dense tanh N = {n}, g = {g}", j, wall), flush=True)
        U, V = rng.standard_normal((n, 2)), rng.standard_normal((n, 2))
        spec = {"model": "rate", "form": "current", "activation": "tanh", "W": (2.0 * U @ V.T / n).tolist()}
        j, wall = run(a.rnndyn, spec)
        print(row(f"rank-2 tanh N = {n} (dense W)", j, wall), flush=True)


if __name__ == "__main__":
    main()
