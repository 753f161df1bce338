"""Every analysis through Python against an independent answer: the seed-000 line attractors,
1-D tanh fixed points from bisection, the E-I Hopf point at tau_I = 40 ms, linear Lyapunov
exponents, the small-noise three-fixed-point share 1/4, and the M = 1 mean-field identity."""
import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES


def test_exact_fixed_points_of_the_bounded_line_attractor():
    model = rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json"))
    assert model.is_piecewise_linear
    r = rnndyn.find_fixed_points(model)
    assert len(r.fixed_points) == 0 and len(r.continua) == 1
    seg = r.continua[0]
    assert seg.shape == "segment"
    # The segment x1 + x2 = beta, x >= 0: its end points are beta e_1 and beta e_2.
    ends = sorted(map(tuple, np.round(seg.vertices.T, 12)))
    beta = sum(ends[0])
    assert ends == [(0.0, beta), (beta, 0.0)]


def test_numeric_fixed_points_of_one_dimensional_tanh_network():
    # dx/dt = -x + w tanh(x): x = 0 and +-x* with x* = w tanh(x*) for w > 1.
    w = 2.0
    model = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": [[w]]})
    lo, hi = 0.5, 3.0
    for _ in range(100):  # bisection, independent of the solver
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if w * np.tanh(mid) - mid > 0 else (lo, mid)
    r = rnndyn.find_fixed_points(model, box=(-3, 3), starts=64, seed=3)
    xs = sorted(float(p.x[0]) for p in r.fixed_points)
    np.testing.assert_allclose(xs, [-lo, 0.0, lo], atol=1e-9)
    assert [p.stability for p in sorted(r.fixed_points, key=lambda p: p.x[0])] == \
        ["stable node", "unstable node", "stable node"]
    again = rnndyn.find_fixed_points(model, box=(-3, 3), starts=64, seed=3)
    assert again.to_dict()["fixed_points"] == r.to_dict()["fixed_points"]  # deterministic given the seed


def test_continuation_finds_the_ei_hopf_point():
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    r = rnndyn.continuation(model, "tau[1]", 20.0, 60.0, starts=[[80 / 3, 50 / 3]])
    hopf = [b for b in r.to_dict()["bifurcations"] if b["type"] == "hopf"]
    assert len(hopf) == 1
    assert hopf[0]["parameter"] == pytest.approx(40.0, abs=1e-6)  # trace 0.025 - 1/tau_I = 0


def test_lyapunov_exponents_of_a_linear_flow():
    model = rnndyn.model_from_dict({"model": "linear", "M": [[0.5, 0.0], [0.0, -1.0]], "tau": 1.0})
    r = rnndyn.lyapunov(model, x0=[1.0, 1.0], t_total=200, warmup=1)
    # Exponents of tau dv/dt = (M - I) v are the eigenvalues -0.5 and -2. Individual exponents
    # carry an O(1/T) bias from the initial tangent basis (measured 2.6e-5 at T = 200, i.e.
    # 0.005/T); their sum, the trace, is exact up to the integrator tolerance.
    np.testing.assert_allclose(sorted(r.exponents), [-2.0, -0.5], atol=0.2 / 200)
    assert sum(r.exponents) == pytest.approx(-2.5, abs=1e-6)


def test_perturbation_share_of_three_fixed_points():
    model = rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json"))
    r = rnndyn.perturb(model, scale=0.01, samples=2000, seed=5, keep=0)
    # Small noise: three fixed points iff both boundary points exist, two independent 1/2 events.
    lo, hi = r.types["three_fixed_points"].ci_low, r.types["three_fixed_points"].ci_high
    assert lo - 0.02 < 0.25 < hi + 0.02


def test_mean_field_m1_lambda_out_identity():
    r = rnndyn.mean_field(g=1.5, targets=[1.0]).to_dict()
    mf = r["levels"][0] if "levels" in r else r
    flat = {k: v for k, v in mf.items() if not isinstance(v, (list, dict))}
    if {"beta0", "beta1", "lambda_out"} <= set(flat):
        assert flat["lambda_out"] == pytest.approx(-(1 - 1.0 * flat["beta0"] - flat["beta1"]), abs=1e-12)
        assert flat["lambda_out"] < 0  # tanh is always stable (seed 003)
    else:
        pytest.fail(f"unexpected mean-field result layout: {sorted(mf)}")


def test_analysis_errors_are_value_errors():
    smooth = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": [[2.0]]})
    with pytest.raises(ValueError, match="piecewise-linear"):
        rnndyn.find_fixed_points(smooth, method="arrangement")
    with pytest.raises(ValueError, match="method"):
        rnndyn.find_fixed_points(smooth, method="guess")
    with pytest.raises(ValueError, match="parameter"):
        rnndyn.continuation(smooth, "Q[0]", 0, 1)
    with pytest.raises(ValueError, match="target"):
        rnndyn.perturb(rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json")), target="tau")
