#!/usr/bin/env python3
"""rnndyn vs FixedPointFinder on the committed trained flip-flop networks (GRU, LSTM, tanh RNN).

For each network of bench/models/flipflop_trained.json (train_flipflop.py) it draws the initial
states FixedPointFinder's way (1024 of the held-out visited states beside the model + N(0, 0.5^2)
noise, seeded), and runs on exactly those starts, side by side in one process,

  * rnndyn.find_fixed_points(model, method="numeric", starts=STARTS, data=STATES, threads=T)
    (float64 Levenberg-Marquardt; defaults otherwise), and
  * FixedPointFinderTorch (Adam on q, float32 as by default; the settings of its flip-flop example:
    max_iters=10000, lr_init=1, outlier_distance_scale=10) on the torch module rebuilt from the
    model file (float32 parameters, the trained values). An LSTM is handed to it behind nn.RNN's
    interface with the state [h; c] (flipflop_models.LSTMAsRNN), rnndyn's LSTM state.
    --fpf-dtype float64 runs FixedPointFinder (and the module) in float64 instead.

torch runs with T threads too (--threads, default 1). FixedPointFinder is not vendored and not
downloaded: --fpf-dir or $FPF_DIR must point at a checkout of github.com/mattgolub/fixed-point-finder
(without it only rnndyn's side is reported). Its code is used as is (it runs unmodified on
torch 2.13). Reported: wall and CPU (process) times (FPF: find_fixed_points in full, and its joint optimisation
alone, which excludes its Jacobians and eigendecompositions) and their ratio; the number of fixed
points of each and their ratio; every q recomputed in float64 by an independent NumPy cell
(flipflop_models.step64); FPF's distinct points (merged within 1e-2) at several q thresholds; and
their agreement (nearest neighbour within 1e-2).

    PYTHONPATH=/tmp/devpkg /work/main/.venv/bin/python bench/fpf_trained.py --fpf-dir /tmp/fpf \\
        [--only gru16 lstm32] [--rnndyn-opt time_limit=inf patience=0] [--out fpf_trained.json]
    /work/main/.venv/bin/python bench/fpf_trained.py --table-from fpf_trained.json   # table of a saved run
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from flipflop_models import MODELS_DIR, fpf_dir_from, manifest, module_from_spec, q64, read_spec  # noqa: E402

Q_FIXED = 1e-10  # float64 q below which a point counts as fixed (fpf_compare.py's --fp-q)


def distinct(points, tol):
    out = []
    for p in points:
        if all(np.linalg.norm(p - o) > tol for o in out):
            out.append(p)
    return np.array(out).reshape(-1, points.shape[1])


def nearest(a, b):
    """Euclidean distance of every row of a to its nearest row of b."""
    if len(a) == 0:
        return np.zeros(0)
    if len(b) == 0:
        return np.full(len(a), np.inf)
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)).min(axis=1)


def parse_opts(items):
    """NAME=VALUE pairs as keyword arguments of find_fixed_points (numbers, inf, true/false)."""
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        low = value.lower()
        if low in ("true", "false"):
            out[key] = low == "true"
        else:
            try:
                out[key] = int(value)
            except ValueError:
                try:
                    out[key] = float(value)
                except ValueError:
                    out[key] = value
    return out


def run_rnndyn(rnndyn, model_path, starts, states, threads, extra=None):
    model = rnndyn.load_model(str(model_path))
    t0, c0 = time.perf_counter(), time.process_time()
    res = rnndyn.find_fixed_points(model, method="numeric", starts=starts, data=states, threads=threads,
                                   **(extra or {}))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    d = res.to_dict()
    fps = d.get("fixed_points", [])
    x = np.array([p["x"] for p in fps], dtype=np.float64).reshape(-1, starts.shape[1])
    return wall, cpu, x, d


def run_fpf(fpf_dir, spec, starts, max_iters, dtype="float32"):
    if str(fpf_dir) not in sys.path:
        sys.path.insert(0, str(fpf_dir))
    from FixedPointFinderTorch import FixedPointFinderTorch

    rnn = module_from_spec(spec, dtype)
    fpf = FixedPointFinderTorch(rnn, max_iters=max_iters, lr_init=1.0, outlier_distance_scale=10.0, dtype=dtype,
                                verbose=False, super_verbose=False)
    # Time its joint optimisation apart (an instance attribute wrapping its own method; no code changed).
    opt = {"s": 0.0, "iters": None}
    inner = fpf._run_joint_optimization

    def timed(*a, **k):
        t = time.perf_counter()
        fps = inner(*a, **k)
        opt["s"] += time.perf_counter() - t
        opt["iters"] = int(np.max(fps.n_iters)) if fps.n_iters is not None else None
        return fps

    fpf._run_joint_optimization = timed
    inputs = np.zeros((1, spec["W_ih"].shape[1]), dtype=dtype)
    t0, c0 = time.perf_counter(), time.process_time()
    unique_fps, _ = fpf.find_fixed_points(starts.astype(dtype), inputs)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return wall, cpu, opt["s"], opt["iters"], np.asarray(unique_fps.xstar, dtype=np.float64).reshape(-1, starts.shape[1])


def compare(name, entry, args, rnndyn, fpf_dir):
    model_path = MODELS_DIR / entry["file"]
    spec = read_spec(model_path)
    states = np.load(MODELS_DIR / entry["states"]).astype(np.float64)
    rng = np.random.default_rng(args.seed)
    starts = states[rng.integers(0, len(states), args.n_inits)] + args.noise * rng.standard_normal(
        (args.n_inits, states.shape[1]))
    row = {"network": name, "cell": spec["kind"], "hidden": spec["hidden"], "dim": states.shape[1],
           "n_inits": args.n_inits, "noise": args.noise, "threads": args.threads, "rnndyn_opt": args.rnndyn_opt}
    ours_x = np.zeros((0, states.shape[1]))
    if rnndyn is not None:
        wall, cpu, ours_x, d = run_rnndyn(rnndyn, model_path, starts, states, args.threads,
                                          parse_opts(args.rnndyn_opt))
        oq = q64(spec, ours_x)
        row["rnndyn"] = {"wall_s": wall, "cpu_s": cpu, "n_fixed_points": len(ours_x), "n_slow_points": len(d.get("slow_points", [])),
                         "n_stable": sum(p.get("n_unstable", -1) == 0 for p in d["fixed_points"]),
                         "max_q": float(oq.max()) if len(oq) else None, "summary": d.get("summary"),
                         "search": d.get("search")}
        print(f"  {name}: rnndyn {len(ours_x)} fixed points in {wall:.2f} s", file=sys.stderr)
    if fpf_dir is None:
        row["fpf"] = "not run: FixedPointFinder not found (pass --fpf-dir or set FPF_DIR)"
        return row
    wall, cpu, t_opt, iters, fx = run_fpf(fpf_dir, spec, starts, args.fpf_max_iters, args.fpf_dtype)
    fq = q64(spec, fx)
    by_q = {f"{thr:g}": int(len(distinct(fx[fq <= thr], 1e-2))) for thr in (1e-10, 1e-8, 1e-6, 1e-4)}
    fpf6 = distinct(fx[fq <= 1e-6], 1e-2)
    row["fpf"] = {"dtype": args.fpf_dtype, "wall_s": wall, "cpu_s": cpu, "optimization_s": t_opt, "iterations": iters, "n_unique": len(fx),
                  "n_distinct_by_q": by_q, "max_q": float(fq.max()) if len(fq) else None,
                  "min_q": float(fq.min()) if len(fq) else None}
    print(f"  {name}: FPF {len(fx)} unique points ({by_q}) in {wall:.1f} s ({iters} iterations)", file=sys.stderr)
    if rnndyn is not None:
        row["agreement"] = {
            "fpf_q1e-6_matched_by_rnndyn": int((nearest(fpf6, ours_x) < 1e-2).sum()),
            "n_fpf_q1e-6": len(fpf6),
            "rnndyn_matched_by_fpf_q1e-6": int((nearest(ours_x, fpf6) < 1e-2).sum()),
            "rnndyn_matched_by_any_fpf": int((nearest(ours_x, fx) < 1e-2).sum()),
        }
        row["time_ratio_fpf_over_rnndyn"] = wall / row["rnndyn"]["wall_s"]
        row["cpu_ratio_fpf_over_rnndyn"] = cpu / row["rnndyn"]["cpu_s"] if row["rnndyn"]["cpu_s"] > 0 else None
        row["count_ratio_rnndyn_over_fpf_q1e-10"] = (len(ours_x) / by_q["1e-10"]) if by_q["1e-10"] else None
        row["count_ratio_rnndyn_over_fpf_q1e-6"] = (len(ours_x) / by_q["1e-06"]) if by_q["1e-06"] else None
    return row


def table(rows):
    head = ["network", "state dim", "rnndyn wall / CPU [s]", "FPF wall / CPU [s] (optimisation wall)",
            "FPF / rnndyn wall (CPU)",
            "rnndyn fixed (stable)", "rnndyn starts solved: random + targeted, stopped by", "FPF unique / q<=1e-10 / q<=1e-6 (distinct)", "count ratio rnndyn / FPF (q<=1e-10; q<=1e-6)",
            "FPF q<=1e-6 matched by rnndyn", "max q rnndyn", "min / max q FPF"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        o, f = r.get("rnndyn"), r.get("fpf")
        if not isinstance(f, dict):
            f = None
        cell = [r["network"], str(r["dim"]),
                f"{o['wall_s']:.2f} / {o['cpu_s']:.2f}" if o else "-",
                f"{f['wall_s']:.1f} / {f['cpu_s']:.1f} ({f['optimization_s']:.1f}, {f['iterations']} it)" if f else "-",
                (f"{r['time_ratio_fpf_over_rnndyn']:.2g}x ("
                 + (f"{r['cpu_ratio_fpf_over_rnndyn']:.2g}x" if r.get('cpu_ratio_fpf_over_rnndyn') else "-") + ")")
                if o and f else "-",
                f"{o['n_fixed_points']} ({o['n_stable']})" if o else "-",
                (f"{o['search'].get('random_starts')} + {o['search'].get('targeted_starts')}, "
                 f"{o['search'].get('stopped_by')}" if o.get("search") else "-") if o else "-",
                f"{f['n_unique']} / {f['n_distinct_by_q']['1e-10']} / {f['n_distinct_by_q']['1e-06']}" if f else "-",
                "; ".join(f"{v:.2g}" if v else "-" for v in (r.get("count_ratio_rnndyn_over_fpf_q1e-10"),
                                                             r.get("count_ratio_rnndyn_over_fpf_q1e-6")))
                if o and f else "-",
                f"{r['agreement']['fpf_q1e-6_matched_by_rnndyn']} / {r['agreement']['n_fpf_q1e-6']}" if o and f else "-",
                f"{o['max_q']:.1e}" if o and o["max_q"] is not None else "-",
                f"{f['min_q']:.1e} / {f['max_q']:.1e}" if f and f["max_q"] is not None else "-"]
        lines.append("| " + " | ".join(cell) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fpf-dir", default="", help="FixedPointFinder checkout (else $FPF_DIR)")
    ap.add_argument("--rnndyn-python-path", default="", help="directory holding the rnndyn package (else PYTHONPATH)")
    ap.add_argument("--no-rnndyn", action="store_true", help="run FixedPointFinder only")
    ap.add_argument("--rnndyn-opt", nargs="*", default=[], metavar="NAME=VALUE",
                    help="further find_fixed_points keywords, e.g. time_limit=inf patience=0 (every start)")
    ap.add_argument("--only", nargs="*", default=None, help="network names of the manifest")
    ap.add_argument("--n-inits", type=int, default=1024)
    ap.add_argument("--noise", type=float, default=0.5)
    ap.add_argument("--fpf-max-iters", type=int, default=10000)
    ap.add_argument("--fpf-dtype", choices=["float32", "float64"], default="float32",
                    help="FixedPointFinder's dtype (its default: float32); the module is cast to it")
    ap.add_argument("--threads", type=int, default=1, help="threads of both (torch.set_num_threads, rnndyn threads)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the start sampler")
    ap.add_argument("--out", default="", help="write the results (JSON) here")
    ap.add_argument("--table-from", nargs="*", default=None, help="print the table of saved --out files, run nothing")
    args = ap.parse_args()
    if args.table_from:
        print(table([r for f in args.table_from for r in json.loads(Path(f).read_text())]))
        return

    import torch

    torch.set_num_threads(args.threads)
    rnndyn = None
    if not args.no_rnndyn:
        if args.rnndyn_python_path:
            sys.path.insert(0, args.rnndyn_python_path)
        import rnndyn
    fpf_dir = fpf_dir_from(args.fpf_dir)
    if fpf_dir is not None and not (fpf_dir / "FixedPointFinderTorch.py").exists():
        sys.exit(f"--fpf-dir {fpf_dir}: no FixedPointFinderTorch.py there")
    man = manifest()
    rows = []
    for name in args.only or list(man):
        rows.append(compare(name, man[name], args, rnndyn, fpf_dir))
        if args.out:
            Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")
    print(table(rows))


if __name__ == "__main__":
    main()
