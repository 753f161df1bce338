#!/usr/bin/env python3
"""Branch and bound (`--method branch_bound`) side by side with brute force over all 2^N patterns
(`--method brute`) and with seed 001's procedure in NumPy for a dense network (every activation
pattern D, solve (I - W D) a = b, keep the consistent ones; timed on a sample of patterns and
extrapolated by the pattern count where it cannot finish), on the same model files, in one run.

Networks: dense relu rate networks x = relu(W x + b) (`form: rate`), W_ij ~ N(0, g^2 / N),
b_i ~ N(0, 1): contracting (g = 0.3 and 0.45: |W|_2 ~ 2 g < 1, one fixed point, a trapping box) and
multistable (g = 2); and
the trained 3-bit flip-flop ReLU RNN (bench/models/flipflop_relu_64.json, from
bench/train_relu_flipflop.py).

Usage:
  pl_branch_bound.py --cli build/rnndyn [--out DIR]
"""
import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np


def dense(N, g, seed):
    rng = np.random.default_rng(seed)
    return {"model": "rate", "form": "rate", "activation": "relu",
            "W": (g * rng.standard_normal((N, N)) / np.sqrt(N)).tolist(), "b": rng.standard_normal(N).tolist()}


def cli(exe, path, *args):
    t0 = time.perf_counter()
    p = subprocess.run([exe, "-q", "fixed-points", str(path), "--skip-eigen", *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit(p.stderr)
    d = json.loads(p.stdout)
    return d, d["elapsed_seconds"], wall


def numpy_patterns(spec, max_patterns=4096, seed=0):
    """Seed 001's per-pattern solve in NumPy: seconds per pattern on a sample, and the points."""
    W, b = np.array(spec["W"]), np.array(spec["b"])
    N = len(b)
    rng = np.random.default_rng(seed)
    total = 2 ** N
    if total <= max_patterns:
        sample = [np.array([(idx >> i) & 1 for i in range(N)], dtype=float) for idx in range(total)]
    else:
        sample = list(rng.integers(0, 2, (max_patterns, N)).astype(float))
    points = []
    t0 = time.perf_counter()
    for d in sample:
        a = np.linalg.solve(np.eye(N) - W * d, b)
        if np.all((a > 0) == (d > 0)):
            points.append(np.maximum(a, 0))
    per = (time.perf_counter() - t0) / len(sample)
    return per * total, total <= max_patterns, points


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--cases", default=None, help='only these dense networks, e.g. "64:0.3,128:0.3"')
    ap.add_argument("--no-flipflop", action="store_true")
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    cases = [(12, 2.0), (16, 2.0), (20, 2.0), (24, 2.0), (64, 0.3), (128, 0.3), (256, 0.3), (64, 0.45), (32, 2.0)]
    if a.cases:
        cases = [(int(n), float(g)) for n, g in (c.split(":") for c in a.cases.split(","))]
    print("| network | points | status | nodes | root box | branch_bound [s] | brute [s] | brute check |"
          " NumPy seed-001 [s] | NumPy / branch_bound |")
    print("|---|---:|---|---:|---|---:|---:|---|---:|---:|", flush=True)

    def emit(row):
        name, n, status, nodes, box, t_bb, t_br, note, t_np, np_note = row
        print(f"| {name} | {n} | {status} | {nodes} | {'yes' if box else 'no'} | {t_bb:.4f} | {t_br:.4f} | {note} |"
              f" {t_np:.3g} {np_note} | {t_np / t_bb:.3g} |", flush=True)

    for N, g in cases:
        spec = dense(N, g, seed=N)
        path = out / f"dense_N{N}_g{g}.json"
        path.write_text(json.dumps(spec))
        bb, bb_s, _ = cli(a.cli, path, "--method", "branch_bound", "--time-limit", "120", "--no-numeric-fallback")
        brute_s, brute_note = float("nan"), "refused"
        if N <= 24:
            br, brute_s, _ = cli(a.cli, path, "--method", "brute", "--force")
            same = len(br["fixed_points"]) == len(bb["fixed_points"])
            brute_note = "same points" if same else "DIFFERENT"
        np_s, np_exact, _ = numpy_patterns(spec)
        st = bb["branch_bound"]
        emit((f"dense N={N} g={g}", len(bb["fixed_points"]), bb["status"], st["nodes"], st["trapping_box"],
              bb_s, brute_s, brute_note, np_s, "" if np_exact else "(extrapolated)"))
    if a.no_flipflop:
        return
    ff = Path(__file__).resolve().parent / "models" / "flipflop_relu_64.json"
    bb, bb_s, _ = cli(a.cli, ff, "--method", "branch_bound", "--time-limit", "60", "--starts", "512", "--box", "0,2")
    st = bb["branch_bound"]
    n_num = sum(p["found_by"] == "numeric" for p in bb["fixed_points"])
    spec = json.loads(ff.read_text())
    spec = {"W": spec["W_hh"], "b": (np.array(spec["b_ih"]) + np.array(spec["b_hh"])).tolist()}
    np_s, _, _ = numpy_patterns(spec, max_patterns=512)
    emit((f"flip-flop relu 64 ({n_num} by the numeric fallback)", len(bb["fixed_points"]), bb["status"],
          st["nodes"], st["trapping_box"], bb_s, float("nan"), "refused", np_s, "(extrapolated)"))


if __name__ == "__main__":
    main()
