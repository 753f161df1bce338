#!/usr/bin/env python3
"""Numeric fixed points of a trained 3-bit flip-flop RNN: rnndyn vs FixedPointFinder.

Trains a one-layer GRU or tanh RNN on the 3-bit flip-flop task with PyTorch
(Debian's python3-torch, 1.13), writes it as an rnndyn model file (PyTorch state_dict layout:
W_ih, W_hh, b_ih, b_hh, u = 0), draws the initial states FixedPointFinder's way (states visited
on validation trials plus Gaussian noise), and runs on exactly those states

  * `rnndyn fixed-points MODEL --method numeric --initial-states STARTS.npy` (float64 LM), and
  * FixedPointFinderTorch (Adam on q, float32 as by default) when its repository is found
    (--fpf-dir or $FPF_DIR; not vendored, not downloaded by this script).

Reports wall times and their ratio, the number of distinct fixed points of each, their
agreement (nearest-neighbour matching) and max q, with every q recomputed in float64 by a
NumPy implementation of the cell (independent of both finders). Usage:

  /usr/bin/python3 bench/fpf_compare.py --rnndyn build/rnndyn [--fpf-dir PATH] [--cell gru|tanh]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def flipflop_batch(rng, n_trials, n_time, n_bits, p=0.05):
    """Inputs: +-1 pulses with probability p per bit and step; targets: the sign of the last pulse."""
    pulses = (rng.random((n_trials, n_time, n_bits)) < p) * rng.choice([-1.0, 1.0], size=(n_trials, n_time, n_bits))
    targets = np.zeros_like(pulses)
    state = np.zeros((n_trials, n_bits))
    for t in range(n_time):
        state = np.where(pulses[:, t] != 0, pulses[:, t], state)
        targets[:, t] = state
    return pulses.astype(np.float32), targets.astype(np.float32)


def train(cell, n_hidden, n_bits, steps, seed):
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    rnn_cls = torch.nn.GRU if cell == "gru" else torch.nn.RNN
    rnn = rnn_cls(n_bits, n_hidden, batch_first=True)
    readout = torch.nn.Linear(n_hidden, n_bits)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(readout.parameters()), lr=1e-2)
    for step in range(steps):
        x, y = flipflop_batch(rng, 128, 64, n_bits)
        h, _ = rnn(torch.from_numpy(x))
        loss = torch.mean((readout(h) - torch.from_numpy(y)) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"  train step {step}: loss {loss.item():.4g}", file=sys.stderr)
    return rnn, float(loss.item())


def model_json(rnn, cell, n_bits):
    sd = {k: v.detach().double().numpy() for k, v in rnn.state_dict().items()}
    m = {"model": cell if cell == "gru" else "rnn",
         "W_hh": sd["weight_hh_l0"].tolist(), "b_ih": sd["bias_ih_l0"].tolist(), "b_hh": sd["bias_hh_l0"].tolist()}
    if cell == "gru":
        m["W_ih"] = sd["weight_ih_l0"].tolist()
    else:
        m["W_in"] = sd["weight_ih_l0"].tolist()
        m["activation"] = "tanh"
    m["u"] = [0.0] * n_bits
    return m


def step64(m, h):
    """The cell with zero input in float64 (PyTorch's equations), h: (B, H)."""
    W = np.asarray(m["W_hh"]); bi = np.asarray(m["b_ih"]); bh = np.asarray(m["b_hh"])
    if m["model"] == "rnn":
        return np.tanh(h @ W.T + bi + bh)
    H = W.shape[1]
    gh = h @ W.T + bh
    sig = lambda a: 1 / (1 + np.exp(-a))
    r = sig(bi[:H] + gh[:, :H])
    z = sig(bi[H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(bi[2 * H:] + r * gh[:, 2 * H:])
    return (1 - z) * n + z * h


def q64(m, x):
    x = np.atleast_2d(x)
    return 0.5 * np.sum((step64(m, x) - x) ** 2, axis=1)


def distinct(points, tol):
    out = []
    for p in points:
        if all(np.linalg.norm(p - o) > tol for o in out):
            out.append(p)
    return np.array(out).reshape(-1, points.shape[1] if len(points) else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rnndyn", default=os.environ.get("RNNDYN_CLI", "build/rnndyn"))
    ap.add_argument("--fpf-dir", default=os.environ.get("FPF_DIR", ""), help="FixedPointFinder checkout (optional)")
    ap.add_argument("--cell", choices=["gru", "tanh"], default="gru")
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--train-steps", type=int, default=600)
    ap.add_argument("--n-inits", type=int, default=1024)
    ap.add_argument("--noise", type=float, default=0.5, help="std of noise added to sampled states (FPF example: 0.5)")
    ap.add_argument("--fpf-max-iters", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fp-q", type=float, default=1e-10, help="q (float64) below which a point counts as fixed")
    ap.add_argument("--out", default="", help="write the summary JSON here")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    n_bits = 3
    t0 = time.perf_counter()
    rnn, loss = train(args.cell, args.hidden, n_bits, args.train_steps, args.seed)
    print(f"trained {args.cell} H={args.hidden} in {time.perf_counter() - t0:.1f} s, final loss {loss:.3g}", file=sys.stderr)
    m = model_json(rnn, args.cell, n_bits)

    rng = np.random.default_rng(args.seed + 1)
    x, _ = flipflop_batch(rng, 128, 64, n_bits)
    with torch.no_grad():
        hidden, _ = rnn(torch.from_numpy(x))
    states = hidden.numpy().reshape(-1, args.hidden).astype(np.float64)
    starts = states[rng.integers(0, len(states), args.n_inits)] + args.noise * rng.standard_normal((args.n_inits, args.hidden))

    work = Path(tempfile.mkdtemp(prefix="fpf_compare_"))
    (work / "model.json").write_text(json.dumps(m))
    np.save(work / "starts.npy", starts)
    np.save(work / "states.npy", states)

    cmd = [args.rnndyn, "fixed-points", str(work / "model.json"), "--method", "numeric", "--initial-states",
           str(work / "starts.npy"), "--from-trajectories", str(work / "states.npy"), "-o", str(work / "ours.json")]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    t_ours = time.perf_counter() - t0
    ours = json.loads((work / "ours.json").read_text())
    ours_x = np.array([p["x"] for p in ours["fixed_points"]]).reshape(-1, args.hidden)
    ours_q = q64(m, ours_x) if len(ours_x) else np.array([])
    summary = {
        "cell": args.cell, "hidden": args.hidden, "n_inits": args.n_inits, "train_loss": loss,
        "rnndyn": {"wall_s": t_ours, "n_fixed_points": int(len(ours_x)), "n_slow_points": len(ours["slow_points"]),
                   "max_q": float(ours_q.max()) if len(ours_q) else None,
                   "stability": sorted({p["stability"] for p in ours["fixed_points"]}),
                   "n_stable": sum(p["n_unstable"] == 0 for p in ours["fixed_points"])},
    }

    fpf_dir = Path(args.fpf_dir) if args.fpf_dir else None
    if fpf_dir and (fpf_dir / "FixedPointFinderTorch.py").exists():
        sys.path.insert(0, str(fpf_dir))
        from FixedPointFinderTorch import FixedPointFinderTorch

        fpf = FixedPointFinderTorch(rnn, max_iters=args.fpf_max_iters, lr_init=1.0, outlier_distance_scale=10.0,
                                    verbose=False, super_verbose=False)
        inputs = np.zeros((1, n_bits))
        t0 = time.perf_counter()
        unique_fps, _ = fpf.find_fixed_points(starts.astype(np.float32), inputs)
        t_fpf = time.perf_counter() - t0
        fx = np.asarray(unique_fps.xstar, dtype=np.float64)
        fq = q64(m, fx) if len(fx) else np.array([])
        fixed = fx[fq <= args.fp_q] if len(fx) else fx
        # Agreement: our points within 1e-3 (FPF's float32 tol_unique) of one of FPF's, and back.
        d = np.linalg.norm(ours_x[:, None, :] - fx[None, :, :], axis=2) if len(ours_x) and len(fx) else np.zeros((0, 0))
        # FPF runs in float32, where q cannot fall far below ~1e-12: count its distinct points
        # (merged within 1e-2) at several float64 q thresholds.
        by_q = {f"{thr:g}": int(len(distinct(fx[fq <= thr], 1e-2))) for thr in (1e-10, 1e-8, 1e-6, 1e-4)}
        summary["fpf"] = {"wall_s": t_fpf, "n_unique": int(len(fx)), "n_fixed_points": int(len(fixed)),
                          "n_distinct_by_q": by_q,
                          "max_q": float(fq.max()) if len(fq) else None,
                          "max_q_of_fixed": float(fq[fq <= args.fp_q].max()) if np.any(fq <= args.fp_q) else None}
        summary["agreement"] = {
            "ours_matched_by_fpf": int((d.min(axis=1) < 1e-3).sum()) if d.size else 0,
            "fpf_fixed_matched_by_ours": int((d[:, fq <= args.fp_q].min(axis=0) < 1e-3).sum()) if d.size else 0,
            # FPF points with q <= 1e-6, distinct within 1e-2, that lie within 1e-2 of one of ours.
            "fpf_q1e-6_matched_by_ours": int(sum(np.linalg.norm(ours_x - p, axis=1).min() < 1e-2
                                                 for p in distinct(fx[fq <= 1e-6], 1e-2))) if len(ours_x) else 0,
        }
        summary["speedup"] = t_fpf / t_ours
    else:
        summary["fpf"] = "not run: FixedPointFinder not found (pass --fpf-dir or set FPF_DIR)"
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
