#!/usr/bin/env python3
"""Seed 001's procedure in plain NumPy, timed side by side with `rnndyn fixed-points` on the same
shallow PLRNN files.

Seed 001 (Sec. 3.4): solve the C(N, R) intersections of R hyperplanes U_i z + c_i = 0, take the
2^R activation patterns around each (units on the vertex either on or off, the others as at the
vertex), remove duplicate patterns, then solve (A + W1 D W2 - I) z = -(W1 D h2 + h1) for each
remaining pattern D and keep the z consistent with D (seed 001, eq. 4).

Usage:
  pl_fixed_points_numpy.py --cli build/rnndyn [--R 2] [--N 50 100 200 400] [--out DIR]

For each N it writes DIR/shplrnn_R{R}_N{N}.json, runs the NumPy procedure and the CLI
(`--method arrangement --skip-eigen`), checks that both find the same fixed points, and prints one
table row: `rnndyn_s` is the enumeration time the CLI reports (`elapsed_seconds`), `process_s`
the wall time of the whole process (start-up, model parsing and JSON output included); `ratio` is
numpy_s / rnndyn_s.
"""
import argparse
import itertools
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np


def network(R, N, seed=1):
    rng = np.random.default_rng(seed)
    return {
        "model": "shplrnn", "time": "discrete",
        "A": (0.3 * rng.standard_normal(R)).tolist(),
        "W1": (rng.standard_normal((R, N)) / np.sqrt(N)).tolist(),
        "W2": rng.standard_normal((N, R)).tolist(),
        "h1": (0.5 * rng.standard_normal(R)).tolist(),
        "h2": rng.standard_normal(N).tolist(),
    }


def seed_procedure(model, chunk=20000):
    A = np.diag(model["A"]) if np.ndim(model["A"]) == 1 else np.asarray(model["A"])
    W1, W2 = np.asarray(model["W1"]), np.asarray(model["W2"])
    h1, h2 = np.asarray(model["h1"]), np.asarray(model["h2"])
    R, N = A.shape[0], W2.shape[0]
    subsets = np.array(list(itertools.combinations(range(N), R)), dtype=np.int64)
    # Vertices: W2[S] v = -h2[S] for every R-subset S.
    verts = np.linalg.solve(W2[subsets], -h2[subsets][..., None])[..., 0]
    patterns = []
    signs = np.array(list(itertools.product([0, 1], repeat=R)), dtype=bool)  # 2^R local choices
    for lo in range(0, len(subsets), chunk):
        S, v = subsets[lo:lo + chunk], verts[lo:lo + chunk]
        base = (v @ W2.T + h2) > 0  # pattern at the vertex (d_i = 1 iff a_i > 0)
        for s in signs:
            p = base.copy()
            p[np.arange(len(S))[:, None], S] = s
            patterns.append(np.packbits(p, axis=1))
    patterns = np.unique(np.concatenate(patterns), axis=0)
    D = np.unpackbits(patterns, axis=1, count=N).astype(float)
    points = []
    for lo in range(0, len(D), chunk):
        d = D[lo:lo + chunk]
        M = A[None] + np.einsum("rn,pn,nk->prk", W1, d, W2) - np.eye(R)[None]
        rhs = -(d * h2) @ W1.T - h1
        z = np.linalg.solve(M, rhs[..., None])[..., 0]
        a = z @ W2.T + h2
        tol = 1e-9 * (np.abs(z).max(axis=1, keepdims=True) * np.abs(W2).sum(axis=1) + np.abs(h2))
        ok = np.all(np.where(d > 0, a >= -tol, a <= tol), axis=1)
        points.extend(z[ok])
    pts = np.unique(np.round(np.array(points).reshape(-1, R), 9), axis=0)
    return pts, len(D)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--R", type=int, default=2)
    ap.add_argument("--N", type=int, nargs="+", default=[50, 100, 200, 400])
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    out = Path(args.out or tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'R':>2} {'N':>6} {'regions':>10} {'numpy_s':>9} {'rnndyn_s':>9} {'process_s':>9} {'ratio':>8} "
          f"{'points':>6} {'same':>5}")
    for N in args.N:
        model = network(args.R, N)
        path = out / f"shplrnn_R{args.R}_N{N}.json"
        path.write_text(json.dumps(model))
        t0 = time.perf_counter()
        pts, regions = seed_procedure(model)
        t_np = time.perf_counter() - t0
        t0 = time.perf_counter()
        res = subprocess.run([args.cli, "fixed-points", str(path), "--method", "arrangement", "--skip-eigen"],
                             capture_output=True, text=True, check=True)
        t_cli = time.perf_counter() - t0
        j = json.loads(res.stdout)
        cpp = np.array([p["x"] for p in j["fixed_points"]]).reshape(-1, args.R)
        same = len(cpp) == len(pts) and all(np.abs(pts - p).max(axis=1).min() < 1e-7 for p in cpp)
        t_lib = j["elapsed_seconds"]
        print(f"{args.R:>2} {N:>6} {j['regions_visited']:>10} {t_np:>9.4f} {t_lib:>9.4f} {t_cli:>9.3f} "
              f"{t_np / t_lib:>8.1f} {len(cpp):>6} {str(same):>5}", flush=True)


if __name__ == "__main__":
    main()
