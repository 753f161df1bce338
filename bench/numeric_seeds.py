#!/usr/bin/env python3
"""Numeric fixed points of the trained flip-flop networks, seed by seed, with DEFAULT options.

For every network of bench/models/flipflop_trained.json (written by train_flipflop.py) and
examples/gru_flipflop.json, and for seeds 0..4, runs

    rnndyn.find_fixed_points(rnndyn.load_model(path), method="numeric", data=states, seed=s)

(states: the held-out visited states beside the model), and prints a markdown table: number of
fixed points and of stable ones per seed, whether the 5 sets are identical (points matched by
nearest neighbour in the inf-norm, relative to max(1, |x|_inf); identical when the counts agree and
every point of every seed lies within --match-tol of one of seed 0's and back), the largest such
mismatch, the size of the union of all seeds (merged at the same tolerance), the wall time per seed,
the largest q of the union recomputed in float64 by an independent NumPy cell (flipflop_models.py),
and the completeness fields of the search when the build reports them (result "search":
good_turing, singletons, samples, rounds, random/targeted starts, deflated runs, stopped_by; points'
found_by).

    PYTHONPATH=/tmp/devpkg /work/main/.venv/bin/python bench/numeric_seeds.py [--out seeds.json]
    /work/main/.venv/bin/python bench/numeric_seeds.py --rnndyn-python-path /tmp/devpkg --only gru64
    /work/main/.venv/bin/python bench/numeric_seeds.py --table-from seeds.json   # table of a saved run

(the rnndyn package from PYTHONPATH or --rnndyn-python-path; nothing is downloaded).
"""
import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from flipflop_models import MODELS_DIR, manifest, q64, read_spec  # noqa: E402

SEARCH_FIELDS = ("good_turing", "singletons", "samples", "rounds", "random_starts", "targeted_starts", "deflated_runs",
                 "stopped_by")


def networks(only=None):
    """(name, model path, states path) of every benchmark network."""
    out = [("gru_flipflop (examples, H=16)", HERE.parent / "examples" / "gru_flipflop.json",
            HERE.parent / "examples" / "gru_flipflop_states.json")]
    for name, entry in manifest().items():
        out.append((name, MODELS_DIR / entry["file"], MODELS_DIR / entry["states"]))
    if only:
        out = [n for n in out if any(n[0].startswith(o) for o in only)]
    return out


def load_states(path):
    path = Path(path)
    if path.suffix == ".npy":
        return np.load(path).astype(np.float64)
    data = json.loads(path.read_text())
    return np.asarray(data["states"] if isinstance(data, dict) else data, dtype=np.float64)


def rel_dist(a, b):
    """Inf-norm distance of every row of a to its nearest row of b, relative to max(1, |a|_inf)."""
    if len(a) == 0:
        return np.zeros(0)
    if len(b) == 0:
        return np.full(len(a), np.inf)
    d = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2).min(axis=1)
    return d / np.maximum(1.0, np.abs(a).max(axis=1))


def union(sets, tol):
    out = np.zeros((0, sets[0].shape[1]))
    for s in sets:
        for p in s:
            if len(out) == 0 or rel_dist(p[None], out)[0] > tol:
                out = np.vstack([out, p])
    return out


def search_of(result, d):
    """The completeness fields, from the result object or its JSON (None where absent)."""
    s = d.get("search") or (d.get("numeric") or {}).get("search") if isinstance(d, dict) else None
    if s is None:
        num = getattr(result, "numeric", None)
        obj = getattr(num, "search", None) if num is not None else None
        if obj is not None:
            s = {f: getattr(obj, f, None) for f in SEARCH_FIELDS}
    if not s:
        return None
    s = s.to_dict() if hasattr(s, "to_dict") else dict(s)
    return {f: s.get(f) for f in SEARCH_FIELDS}


def run_network(rnndyn, name, model_path, states_path, seeds, match_tol):
    model = rnndyn.load_model(str(model_path))
    states = load_states(states_path)
    spec = read_spec(model_path)
    runs = []
    for s in seeds:
        t0 = time.perf_counter()
        res = rnndyn.find_fixed_points(model, method="numeric", data=states, seed=s)
        wall = time.perf_counter() - t0
        d = res.to_dict()
        fps = d.get("fixed_points", [])
        x = np.array([p["x"] for p in fps], dtype=np.float64).reshape(-1, states.shape[1])
        runs.append({
            "seed": s, "wall_s": wall, "x": x, "n": len(fps),
            "n_stable": sum(p.get("n_unstable", -1) == 0 for p in fps),
            "n_slow": len(d.get("slow_points", [])),
            "n_starts": d.get("n_starts"),
            "found_by": dict(Counter(p.get("found_by") for p in fps if p.get("found_by") is not None)),
            "search": search_of(res, d),
        })
    ref = runs[0]["x"]
    mism = max((max(rel_dist(r["x"], ref).max(initial=0.0), rel_dist(ref, r["x"]).max(initial=0.0))
                for r in runs[1:]), default=0.0)
    identical = all(r["n"] == runs[0]["n"] for r in runs) and mism <= match_tol
    uni = union([r["x"] for r in runs], match_tol)
    return {"network": name, "kind": spec["kind"], "hidden": spec["hidden"], "dim": states.shape[1],
            "n_data": len(states), "runs": runs, "identical": bool(identical), "max_mismatch": float(mism),
            "union": len(uni), "max_q_union": float(q64(spec, uni).max()) if len(uni) else None}


def fmt_seeds(values, f=str):
    return " / ".join("-" if v is None else f(v) for v in values)


def table(rows):
    has_search = any(r["search"] for row in rows for r in row["runs"])
    head = ["network", "state dim", "fixed points per seed", "stable", "slow", "5 sets identical (max mismatch)",
            "union", "max q (float64)", "wall [s] per seed"]
    if has_search:
        head += ["Good-Turing per seed", "singletons / samples", "rounds", "starts random + targeted (deflated runs)",
                 "stopped by",
                 "found by (seed 0)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        runs = row["runs"]
        cells = [row["network"], str(row["dim"]), fmt_seeds([r["n"] for r in runs]),
                 fmt_seeds([r["n_stable"] for r in runs]), fmt_seeds([r["n_slow"] for r in runs]),
                 f"{'yes' if row['identical'] else 'NO'} ({row['max_mismatch']:.1e})", str(row["union"]),
                 "-" if row["max_q_union"] is None else f"{row['max_q_union']:.1e}",
                 fmt_seeds([r["wall_s"] for r in runs], lambda v: f"{v:.2f}")]
        if has_search:
            ss = [r["search"] or {} for r in runs]
            cells += [fmt_seeds([s.get("good_turing") for s in ss], lambda v: f"{v:.2g}"),
                      fmt_seeds([f"{s.get('singletons')}/{s.get('samples')}" if s else None for s in ss]),
                      fmt_seeds([s.get("rounds") for s in ss]),
                      fmt_seeds([f"{s.get('random_starts')}+{s.get('targeted_starts')}"
                                 + (f" ({s['deflated_runs']})" if s.get("deflated_runs") is not None else "")
                                 if s else None for s in ss]),
                      fmt_seeds([s.get("stopped_by") for s in ss]),
                      ", ".join(f"{k}: {v}" for k, v in sorted(runs[0]["found_by"].items())) or "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rnndyn-python-path", default="", help="directory holding the rnndyn package (else PYTHONPATH)")
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2, 3, 4])
    ap.add_argument("--only", nargs="*", default=None, help="network names (prefixes) to run")
    ap.add_argument("--match-tol", type=float, default=1e-6, help="relative inf-norm distance of matching points")
    ap.add_argument("--out", default="", help="write the full results (JSON) here (after every network)")
    ap.add_argument("--table-from", nargs="*", default=None, help="print the table of saved --out files, run nothing")
    args = ap.parse_args()
    if args.table_from:
        rows = []
        for f in args.table_from:
            rows += json.loads(Path(f).read_text())
        print(table(rows))
        return
    if args.rnndyn_python_path:
        sys.path.insert(0, args.rnndyn_python_path)
    import rnndyn

    print(f"rnndyn from {Path(rnndyn.__file__).parent}", file=sys.stderr)
    rows = []
    for name, model_path, states_path in networks(args.only):
        row = run_network(rnndyn, name, model_path, states_path, args.seeds, args.match_tol)
        for r in row["runs"]:
            r["x"] = r["x"].tolist()
        rows.append(row)
        print(f"{name}: {[r['n'] for r in row['runs']]} fixed points, identical={row['identical']}, "
              f"union {row['union']}, {[round(r['wall_s'], 2) for r in row['runs']]} s", file=sys.stderr)
        if args.out:  # after every network, so that a long run leaves what it measured
            Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")
    print(table(rows))


if __name__ == "__main__":
    main()
