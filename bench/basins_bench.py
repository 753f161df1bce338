#!/usr/bin/env python3
"""The basin census in C++ (rnndyn.basins: orbits followed in parallel, each stopped as soon as it
enters an attractor's error ball) against what a user writes by hand: a Python loop over
rnndyn.simulate on the same starts, then the nearest attractor of each final state. Both runs in
one process, one after the other, on the same starts; the loop is given the attractors the census
found (its fixed-point search is not timed on its side) and the horizon the slowest settled start
of the census needed (so it stops no orbit too early), which is the most it could know.

    .venv/bin/python bench/basins_bench.py [--starts 1000] [--threads 2] [--repeat 3]

Prints, per network, both wall times, their ratio and how many labels agree."""
import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def loop_labels(rnndyn, model, starts, attractors, horizon, dt):
    """The hand-written census: simulate each start to the horizon, label it by the nearest
    attractor whose error ball holds the final state (-1: none)."""
    xs = np.array([a.x for a in attractors])
    radii = np.array([a.radius for a in attractors])
    labels = []
    for x0 in starts:
        tr = rnndyn.simulate(model, x0, t_end=horizon, dt=dt, rtol=1e-8, atol=1e-8)  # the census' tolerances
        end = np.asarray(tr.x)[-1]  # samples x dim
        d = np.linalg.norm(xs - end, axis=1)
        labels.append(int(np.argmin(d)) if d.min() < radii[np.argmin(d)] else -1)
    return np.array(labels)


def case(rnndyn, name, model, dt, repeat, **kwargs):
    """Median wall times of `repeat` census runs and `repeat` loops, alternating in one process (the
    first run of a process also pays for starting the OpenMP threads)."""
    t_cpp, t_py = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = rnndyn.basins(model, saddle_graph=False, **kwargs)
        t_cpp.append(time.perf_counter() - t0)
        settled = r.labels >= 0
        horizon = float(np.ceil(np.max(np.asarray(r.times)[settled]))) + 1.0
        t0 = time.perf_counter()
        labels = loop_labels(rnndyn, model, r.starts, r.attractors, horizon, dt)
        t_py.append(time.perf_counter() - t0)
    agree = int(np.sum(labels == r.labels))
    c, p = float(np.median(t_cpp)), float(np.median(t_py))
    print(f"{name}: {r.n_starts} starts, {len(r.attractors)} attractors, horizon {horizon:g}; "
          f"rnndyn.basins {c:.4f} s, Python loop over simulate {p:.3f} s (medians of {repeat}), "
          f"ratio {p / c:.1f}x; labels agree {agree}/{r.n_starts}")
    return p / c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2, help="OMP_NUM_THREADS of the C++ run")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, their median timed")
    args = ap.parse_args()
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import rnndyn  # after OMP_NUM_THREADS is set

    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    case(rnndyn, "GRU(16) 3-bit flip-flop (map), data + noise 0.1", rnndyn.load_model(EXAMPLES / "gru_flipflop.json"),
         1.0, args.repeat, data=states, noise=0.1, starts=args.starts, seed=0)
    case(rnndyn, "seed 000 eq. 9 (2-D ReLU flow), box [0, 2]^2",
         rnndyn.load_model(EXAMPLES / "line_attractor_bounded_three_points.json"), 0.5, args.repeat, box=(0, 2),
         starts=args.starts, seed=0)


if __name__ == "__main__":
    main()
