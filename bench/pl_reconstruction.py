#!/usr/bin/env python3
"""Seed 001 at the scale of reconstruction models (issue 30), side by side in one run on the same
model files: what `auto` picks (the box subdivision) and how long it takes, against the level-set
walk, the full arrangement walk, branch and bound (the old default) and seed 001's NumPy procedure
(every region of the arrangement is not enumerable in NumPy at this size; the NumPy column solves a
sample of C(N, R) vertex neighbourhoods and extrapolates, and says so).

Models (written to --out):
  grid_r3_n1000  shPLRNN z' = z + W1 relu(W2 z + h2) + h1, R = 3, N = 1000: W2 random unit rows,
                 h2 so that the hyperplanes cross the box [-3.3, 3.3]^3, W1 and h1 by least squares
                 so that the map approximates z + 0.3 sin(3 z) componentwise on the box; its fixed
                 points form a grid (k pi / 3 per coordinate) plus what the fit adds.
  grid_r4_n300   the same with R = 4, N = 300, box [-2.2, 2.2]^4.
  grid_r2_n10000 R = 2, N = 10,000, box [-3.3, 3.3]^2.
  flipflop_relu_64 (bench/models): a trained dense relu RNN of 64 units (full rank).

Usage:
  pl_reconstruction.py --cli build/rnndyn [--out DIR] [--skip-slow] [--skip-numpy]
"""
import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np


def grid_model(R, N, half, seed=0, samples=20000):
    rng = np.random.default_rng(seed)
    W2 = rng.standard_normal((N, R))
    W2 /= np.linalg.norm(W2, axis=1, keepdims=True)
    h2 = -(W2 * rng.uniform(-half, half, (N, R))).sum(1)
    Z = rng.uniform(-half, half, (samples, R))
    Phi = np.hstack([np.maximum(Z @ W2.T + h2, 0.0), np.ones((samples, 1))])
    target = 0.3 * np.sin(3.0 * Z)
    C = np.linalg.lstsq(Phi, target, rcond=None)[0]
    return {"model": "shplrnn", "time": "map", "A": np.eye(R).tolist(), "W1": C[:N].T.tolist(),
            "W2": W2.tolist(), "h1": C[N].tolist(), "h2": h2.tolist()}


def numpy_seed_001_seconds(spec, sample=20000, seed=0):
    """Seed 001's procedure in NumPy (Sec. 3.4: the 2^R patterns around each of the C(N, R) vertices,
    then eq. 4 per distinct pattern), timed on `sample` random vertices and extrapolated by
    C(N, R) / sample (the whole set of vertices does not fit in memory at these sizes)."""
    from math import comb
    A, W1, W2 = (np.asarray(spec[k]) for k in ("A", "W1", "W2"))
    h1, h2 = np.asarray(spec["h1"]), np.asarray(spec["h2"])
    R, N = A.shape[0], W2.shape[0]
    rng = np.random.default_rng(seed)
    subsets = np.sort(np.array([rng.choice(N, R, replace=False) for _ in range(sample)]), axis=1)
    t0 = time.perf_counter()
    verts = np.linalg.solve(W2[subsets], -h2[subsets][..., None])[..., 0]
    base = (verts @ W2.T + h2) > 0
    patterns = []
    for bits in range(2 ** R):
        p = base.copy()
        p[np.arange(sample)[:, None], subsets] = [(bits >> r) & 1 for r in range(R)]
        patterns.append(p)
    D = np.concatenate(patterns).astype(float)
    M = A[None] + np.einsum("rn,pn,nk->prk", W1, D, W2) - np.eye(R)[None]
    z = np.linalg.solve(M, (-(D * h2) @ W1.T - h1)[..., None])[..., 0]
    a = z @ W2.T + h2
    np.all(np.where(D > 0, a >= -1e-9, a <= 1e-9), axis=1)
    return (time.perf_counter() - t0) * comb(N, R) / sample


def run(exe, path, *args, timeout=900):
    t0 = time.perf_counter()
    p = subprocess.run([exe, "-q", "fixed-points", str(path), *args], capture_output=True, text=True,
                       timeout=timeout)
    wall = time.perf_counter() - t0
    if p.returncode:
        return None, wall, p.stderr.strip().splitlines()[-1]
    return json.loads(p.stdout), wall, ""


def row(name, method_args, exe, path, ref=None):
    d, wall, err = run(exe, path, *method_args)
    if d is None:
        print(f"| {name} | {' '.join(method_args) or '(defaults)'} | error: {err} |")
        return None
    pts = d.get("fixed_points", [])
    res = max([p.get("residual", 0.0) for p in pts] or [0.0])
    same = ""
    if ref is not None:
        a = sorted(tuple(np.round(p["x"], 6)) for p in pts)
        b = sorted(tuple(np.round(p["x"], 6)) for p in ref.get("fixed_points", []))
        same = "yes" if a == b else f"no ({len(a)} vs {len(b)})"
    print(f"| {name} | {' '.join(method_args) or '(defaults)'} | {d['method']} | {d['status']} | {len(pts)} | "
          f"{d.get('regions_visited', '')} | {d['elapsed_seconds']:.2f} | {wall:.2f} | {res:.1e} | {same} |")
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", default="/tmp/rnndyn_pl_reconstruction")
    ap.add_argument("--skip-slow", action="store_true", help="no full walk / branch and bound at R = 3, N = 1000")
    ap.add_argument("--skip-numpy", action="store_true", help="no NumPy seed-001 extrapolation (minutes, GBs)")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    models = {"grid_r3_n1000": grid_model(3, 1000, 3.3), "grid_r4_n300": grid_model(4, 300, 2.2),
              "grid_r2_n10000": grid_model(2, 10000, 3.3)}
    for name, spec in models.items():
        (out / f"{name}.json").write_text(json.dumps(spec))
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(all)')}")
    print("| model | options | method | status | points | regions solved | elapsed [s] | process [s] | "
          "max residual | same points as the first row |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---|")
    for name, sample in () if a.skip_numpy else (("grid_r3_n1000", 20000), ("grid_r4_n300", 5000),
                                                 ("grid_r2_n10000", 500)):
        print(f"| {name} | NumPy seed 001 (extrapolated from {sample} vertices) | - | - | - | - | "
              f"{numpy_seed_001_seconds(models[name], sample):.0f} | | | |")
    grid3 = out / "grid_r3_n1000.json"
    ref = row("grid R=3 N=1000", [], a.cli, grid3)
    row("grid R=3 N=1000", ["--method", "subdivision"], a.cli, grid3, ref)
    row("grid R=3 N=1000", ["--method", "level_set"], a.cli, grid3, ref)
    if not a.skip_slow:
        row("grid R=3 N=1000", ["--method", "arrangement"], a.cli, grid3, ref)
        row("grid R=3 N=1000", ["--method", "branch_bound"], a.cli, grid3, ref)
    grid4 = out / "grid_r4_n300.json"
    ref4 = row("grid R=4 N=300", [], a.cli, grid4)
    row("grid R=4 N=300", ["--method", "level_set"], a.cli, grid4, ref4)
    if not a.skip_slow:
        row("grid R=4 N=300", ["--method", "arrangement"], a.cli, grid4, ref4)
    grid2 = out / "grid_r2_n10000.json"
    ref2 = row("grid R=2 N=10000", [], a.cli, grid2)
    row("grid R=2 N=10000", ["--method", "level_set"], a.cli, grid2, ref2)
    relu = Path(__file__).resolve().parent / "models" / "flipflop_relu_64.json"
    row("trained relu RNN 64", [], a.cli, relu)
    row("trained relu RNN 64", ["--projection-factor", "0"], a.cli, relu)


if __name__ == "__main__":
    main()
