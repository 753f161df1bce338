#!/usr/bin/env python3
"""rnndyn.sweep on a LocalCluster of 1 and 2 worker processes (issue 17): a perturbation sweep of
seed 000's bounded line attractor (10^6 perturbations of W at scale 0.1, blocks of 1000, 10 blocks
a task) and a 100 x 100 grid of fixed points (W[0,1] x b[0], exact enumeration per cell, 100 cells a
task). Each cluster is started and warmed up (one small sweep) before the timed runs; the times
include the writes into Zarr. References in this process: one rnndyn.perturb call of the same size
(no per-sample output) and rnndyn.scan_parameters on the same grid with 1 thread.

Accuracy: the 1- and 2-worker Datasets are identical (checked bit for bit) and the grid's counts
equal scan_parameters' cell for cell.

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/sweep_bench.py [--samples 1000000] [--grid 100]"""
import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LINE = str(ROOT / "examples" / "line_attractor_bounded.json")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--grid", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import rnndyn
    from distributed import Client, LocalCluster

    perturb = {"model": LINE, "analysis": "perturb", "options": {"scale": 0.1}, "samples": args.samples,
               "block": 1000, "chunk": 10, "seed": 1}
    grid = {"model": LINE, "grid": {"W[0,1]": {"from": -1.5, "to": -0.5, "steps": args.grid},
                                    "b[0]": {"from": 0.5, "to": 1.5, "steps": args.grid}}, "chunk": 100}
    rows, results = [], {}
    for w in args.workers:
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client, tempfile.TemporaryDirectory() as tmp:
            rnndyn.sweep({**grid, "grid": {"W[0,1]": [-1.0], "b[0]": [1.0]}}, client=client)  # warm-up
            p, tp = timed(lambda: rnndyn.sweep(perturb, client=client, store=f"{tmp}/p.zarr").load())
            g, tg = timed(lambda: rnndyn.sweep(grid, client=client, store=f"{tmp}/g.zarr").load())
        results[w] = (p, g)
        rows.append((w, tp, tg))
        print(f"{w} worker(s): perturbation sweep {tp:.1f} s, grid {tg:.1f} s", flush=True)
    model = rnndyn.load_model(LINE)
    ref_p, t_ref_p = timed(lambda: rnndyn.perturb(model, samples=args.samples, scale=0.1, seed=1, keep=0))
    ref_g, t_ref_g = timed(lambda: rnndyn.scan_parameters(model, "W[0,1]", (-1.5, -0.5), "b[0]", (0.5, 1.5),
                                                          steps=(args.grid, args.grid), threads=1))
    first, *others = results.values()
    for other in others:
        for a, b in zip(first, other):
            for name in a.variables:
                assert a[name].values.tobytes() == b[name].values.tobytes(), name
    scan = ref_g.to_dict()
    g = first[1]
    for name in ("n_fixed_points", "n_stable", "n_unstable", "n_continua"):
        assert np.array_equal(g[name].values.T, np.array(scan[name])), name
    share = first[0]["share"].sel(type_name="three_fixed_points").item()
    print(f"reference in this process: perturb {t_ref_p:.1f} s, scan_parameters (1 thread) {t_ref_g:.1f} s")
    print(f"identical Datasets across worker counts; grid counts = scan_parameters; three_fixed_points share "
          f"{share:.4f} (sweep) vs {ref_p.three_fixed_points_share:.4f} (one perturb call, other draws)")
    print(f"| workers | perturbation sweep, {args.samples} samples (s) | {args.grid} x {args.grid} grid (s) |")
    print("|---:|---:|---:|")
    for w, tp, tg in rows:
        print(f"| {w} | {tp:.1f} | {tg:.1f} |")
    print(f"| in-process reference | {t_ref_p:.1f} (`perturb`) | {t_ref_g:.1f} (`scan_parameters`, 1 thread) |")


if __name__ == "__main__":
    main()
