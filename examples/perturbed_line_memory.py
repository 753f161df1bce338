#!/usr/bin/env python3
"""How long each perturbation type of seed 000 keeps a stored value (issue 18, item 3).

The bounded line attractor dx/dt = -x + relu(W x + b), W = [[0, -1], [-1, 0]], b = (1, 1), stores a
value anywhere on the segment x1 + x2 = 1. Perturbed, the segment breaks; what is left is a slow
line on which the stored value drifts. For each perturbation of the seed's examples this prints
the fixed points, the slow manifold rnndyn traces through them, its drift, and the half-life of a
stored value (the time to drift half-way to the zero it drifts into), checked by simulating the
network from the curve's first point and timing when its distance from that zero along the curve
has halved. The last column is `rnndyn perturb`'s exact half-life of the same perturbation:
ln 2 / (slowest decay rate) at its longest-kept stable fixed point, from the exactly enumerated
fixed points (defined for every perturbation, slow line or not).

A second table gives, per type, what 10,000 random weight perturbations (scale 0.1) remember:
how many keep a value, let it decay or have no stable point, and the quartiles of the half-life.

    .venv/bin/python examples/perturbed_line_memory.py
"""
import json
from collections import Counter
from pathlib import Path

import numpy as np

import rnndyn

HERE = Path(__file__).resolve().parent
BASE = json.loads((HERE / "line_attractor_bounded.json").read_text())
CASES = [  # (name, epsilon of W, delta of b)
    ("eq. 8: one fixed point", json.loads((HERE / "perturb_eq8_one_fixed_point.json").read_text()), None),
    ("eq. 9: three fixed points", json.loads((HERE / "perturb_eq9_three_fixed_points.json").read_text()), None),
    ("eq. 10: bias", None, json.loads((HERE / "perturb_eq10_bias.json").read_text())),
    ("small W perturbation (0.01 scale)", [[-0.02, 0.01], [0.015, -0.01]], None),
    ("shifted line (c 1 1^T)", json.loads((HERE / "perturb_shifted_line.json").read_text()), None),
]


def simulated_half_life(model, m, i, zero_x, t_max):
    """Time for the orbit from point i of the curve to halve its distance from the zero."""
    x0 = np.asarray(m.points[i], float)
    d0 = np.linalg.norm(x0 - zero_x)
    tr = rnndyn.simulate(model, x0, t_end=t_max, dt=0.01, rel_tol=1e-10, abs_tol=1e-12)
    d = np.linalg.norm(np.asarray(tr.x) - zero_x, axis=1) / d0
    k = int(np.argmax(d <= 0.5))
    if d[k] > 0.5 or k == 0:
        return float("nan")
    t = np.asarray(tr.t)
    return float(t[k - 1] + (d[k - 1] - 0.5) / (d[k - 1] - d[k]) * (t[k] - t[k - 1]))


def exact_memory(eps, db):
    """`rnndyn perturb` on the unperturbed line with this one perturbation: memory and half-life."""
    base = rnndyn.model_from_dict(BASE)
    if db is not None:
        s = rnndyn.perturb(base, target="bias", epsilon=np.array(db, float).reshape(-1, 1)).kept[0]
    else:
        s = rnndyn.perturb(base, epsilon=np.array(eps, float)).kept[0]
    return s.memory if not np.isfinite(s.half_life) else f"{s.memory}, {s.half_life:.4g}"


def random_types():
    res = rnndyn.perturb(rnndyn.model_from_dict(BASE), samples=10000, scale=0.1, seed=1, keep=0)
    print()
    print("| type (10,000 samples, scale 0.1) | share | kept / decays / none | half-life: median [q25, q75] |")
    print("|---|---|---|---|")
    for name, t in sorted(res.types.items(), key=lambda kv: -kv[1].share):
        counts = " / ".join(str(t.memory.get(k, 0)) for k in ("kept", "decays", "none"))
        quartiles = ("-" if not np.isfinite(t.half_life_median) else
                     f"{t.half_life_median:.3g} [{t.half_life_q25:.3g}, {t.half_life_q75:.3g}]")
        print(f"| {name} | {t.share:.3f} | {counts} | {quartiles} |")


def main():
    print("| perturbation | fixed points | slow manifold: length, max drift | zeros on it | half-life (rnndyn) | "
          "half-life (simulation) | perturb: memory, half-life |")
    print("|---|---|---|---|---|---|---|")
    for name, eps, db in CASES:
        spec = dict(BASE)
        spec["W"] = (np.array(BASE["W"], float) + (np.array(eps) if eps is not None else 0)).tolist()
        spec["b"] = (np.array(BASE["b"], float) + (np.array(db) if db is not None else 0)).tolist()
        model = rnndyn.model_from_dict(spec)
        exact = exact_memory(eps, db)
        res = rnndyn.find_fixed_points(model, method="numeric")
        kinds = Counter(str(p.stability) for p in res.fixed_points)
        fps = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        if not res.slow_manifolds:
            print(f"| {name} | {fps} | none (no slow direction with a spectral gap) | | | | {exact} |")
            continue
        m = res.slow_manifolds[0]
        zeros = ", ".join(z.stability for z in m.fixed_points) or "none"
        finite = np.isfinite(m.half_life)
        if not finite.any():
            print(f"| {name} | {fps} | {m.length:.3f}, {m.max_drift:.3g} | {zeros} | none (drifts off or at rest) | | {exact} |")
            continue
        i = int(np.argmax(np.where(finite, np.abs(m.drift), -1)))  # the fastest-drifting point with a half-life
        stable = [z for z in m.fixed_points if z.stability == "stable"]
        if not stable:
            print(f"| {name} | {fps} | {m.length:.3f}, {m.max_drift:.3g} | {zeros} | none | | {exact} |")
            continue
        zero_x = np.asarray(min(stable, key=lambda z: abs(z.s - m.s[i])).x, float)
        t_sim = simulated_half_life(model, m, i, zero_x, 20 * m.half_life[i])
        print(f"| {name} | {fps} | {m.length:.3f}, {m.max_drift:.3g} | {zeros} | {m.half_life[i]:.4g} "
              f"(min {m.min_half_life:.4g}) | {t_sim:.4g} | {exact} |")
    random_types()


if __name__ == "__main__":
    main()
