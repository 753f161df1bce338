"""Python entry points and arguments no other test called (issue 20, item 5): find_fixed_points
with initial_states, starts as an array, data with noise; mean_field's NotConverged and
Degenerate statuses; rnndyn.torch.from_state_dict of a single-layer GRU with biases; each with
an assertion on the effect the docstring promises. Random numbers from fixed seeds."""
import os

import numpy as np
import pytest

import rnndyn

from conftest import EXAMPLES

CUSP = EXAMPLES / "tanh_cusp.json"  # dx/dt = -x + 2 tanh(x): fixed points 0 and +-1.9150080481545375
X_STAR = 1.9150080481545375


def xs(result):
    return sorted(float(p.x[0]) for p in result.fixed_points)


def test_initial_states_keyword_and_starts_array_are_the_starts():
    model = rnndyn.load_model(CUSP)
    one = rnndyn.find_fixed_points(model, method="numeric", initial_states=np.array([[1.5]]),
                                   saddle_starts=False)
    assert xs(one) == pytest.approx([X_STAR], abs=1e-12)
    assert one.numeric.search.random_starts == 1
    both = rnndyn.find_fixed_points(model, method="numeric", starts=np.array([[1.5], [-1.5]]), saddle_starts=False)
    assert xs(both) == pytest.approx([-X_STAR, X_STAR], abs=1e-12)
    assert both.to_dict()["initial_states"] == {"from": "given", "n_states": 2}


def test_data_with_noise_draws_the_starts_near_the_data():
    model = rnndyn.load_model(CUSP)
    data = np.full((20, 1), -1.8)  # every data state next to the negative stable point
    near = rnndyn.find_fixed_points(model, method="numeric", data=data, noise=0.0, starts=8, seed=3,
                                    saddle_starts=False, deflation=False)
    assert xs(near) == pytest.approx([-X_STAR], abs=1e-12)
    d = near.to_dict()
    assert d["initial_states"]["from"] == "data" and d["initial_states"]["noise"] == 0.0
    # noise of std 3 spreads the starts over every basin; with outlier_distance inf nothing is dropped
    spread = rnndyn.find_fixed_points(model, method="numeric", data=data, noise=3.0, starts=64, seed=3,
                                      saddle_starts=False, deflation=False, outlier_distance=np.inf)
    assert xs(spread) == pytest.approx([-X_STAR, 0.0, X_STAR], abs=1e-12)
    assert spread.to_dict()["initial_states"]["noise"] == 3.0


def test_outlier_distance_drops_points_far_from_the_data():
    model = rnndyn.load_model(CUSP)
    data = np.full((20, 1), -1.8)
    starts = np.array([[1.5], [-1.5]])
    kept = rnndyn.find_fixed_points(model, method="numeric", starts=starts, data=data, outlier_distance=np.inf,
                                    saddle_starts=False)
    assert xs(kept) == pytest.approx([-X_STAR, X_STAR], abs=1e-12) and kept.numeric.n_outliers == 0
    # +1.915 is 3.7 from the data, -1.915 is 0.115 from it
    cut = rnndyn.find_fixed_points(model, method="numeric", starts=starts, data=data, outlier_distance=1.0,
                                   saddle_starts=False)
    assert xs(cut) == pytest.approx([-X_STAR], abs=1e-12) and cut.numeric.n_outliers == 1


def test_mean_field_not_converged_and_degenerate():
    ok = rnndyn.mean_field(g=1.5, n_omega=0)
    assert str(ok.status) == "converged" and ok.iterations > 1
    short = rnndyn.mean_field(g=1.5, n_omega=0, max_iter=1)
    assert str(short.status) == "not_converged" and short.iterations == 1
    assert "max_iter" in short.to_dict()["message"]
    dead = rnndyn.mean_field(activation=("relu", 5.0), g=1.0, n_omega=0)  # every rate max(0, x - 5) is 0
    assert str(dead.status) == "degenerate" and "singular" in dead.to_dict()["message"]


def test_mean_field_threshold_keyword():
    """threshold=... (rnndyn mft --threshold) sets the activation's threshold, in either keyword
    order; it was a read-only view that raised AttributeError."""
    a = rnndyn.mean_field(activation="relu", threshold=5.0, g=1.0, n_omega=0)
    b = rnndyn.mean_field(threshold=5.0, activation="relu", g=1.0, n_omega=0)
    pair = rnndyn.mean_field(activation=("relu", 5.0), g=1.0, n_omega=0)
    for r in (a, b):
        assert r.options.activation.threshold == 5.0 and r.options.threshold == 5.0
        assert str(r.status) == str(pair.status) == "degenerate"
    low = rnndyn.mean_field(activation="relu", threshold=-0.5, g=1.0, n_omega=0)
    assert str(low.status) == "converged" and low.levels[0].sigma2 > 0
    res = rnndyn.reservoir(activation="relu", threshold=5.0, g=1.0, N=50, n_omega=0)
    assert res.options.mean_field.activation.threshold == 5.0
    assert str(res.mean_field.status) == "degenerate"
    with pytest.raises(ValueError, match="threshold"):
        rnndyn.mean_field(activation="relu", threshold="high")


def test_from_state_dict_of_a_gru_with_biases():
    if os.environ.get("RNNDYN_REQUIRE_TORCH"):
        import torch
    else:
        torch = pytest.importorskip("torch")
    import rnndyn.torch as rtorch

    torch.manual_seed(7)
    module = torch.nn.GRU(2, 3).double().eval()
    u = [0.5, -1.0]
    model = rtorch.from_state_dict(module.state_dict(), "gru", u=u)
    assert model.kind == "gru" and model.dim == 3
    again = rtorch.from_state_dict({k: v.numpy() for k, v in module.state_dict().items()}, "GRU", u=u)
    h = np.random.default_rng(0).uniform(-1, 1, 3)
    with torch.no_grad():
        _, h_next = module(torch.tensor(u, dtype=torch.float64).reshape(1, 1, 2),
                           torch.tensor(h, dtype=torch.float64).reshape(1, 1, 3))
    step = h_next.reshape(-1).numpy()
    # a map: rhs(h) is the next state
    np.testing.assert_allclose(model.rhs(h), step, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(again.rhs(h), model.rhs(h))


def _torch():
    if os.environ.get("RNNDYN_REQUIRE_TORCH"):
        import torch
        return torch
    return pytest.importorskip("torch")


def _outcomes(step, jacobian, starts):
    """(n_fixed_runs, n_slow_runs, n_failed_runs, fixed xs, slow xs) of the numeric finder on the
    1-D flow dx/dt = step(x), from exactly `starts`."""
    import rnndyn.torch as rtorch

    model = rtorch.from_callable(step, 1, time="flow", jacobian=jacobian)
    r = rnndyn.find_fixed_points(model, method="numeric", starts=np.array(starts, dtype=float).reshape(-1, 1),
                                 saddle_starts=False, deflation=False)
    n = r.numeric
    return (n.n_fixed_runs, n.n_slow_runs, n.n_failed_runs, [float(p.x[0]) for p in r.fixed_points],
            [float(p.x[0]) for p in r.slow_points])


def test_numeric_start_outcomes_non_finite_stationary_slow():
    """How each start ends (NumericStartStatus) is counted in n_fixed_runs, n_slow_runs and
    n_failed_runs: a start where F is NaN fails (non-finite); q = (1 + x^2)^2 / 2 has a stationary
    point at 0 with q = 0.5 > slow_q_max, and no zero (stationary, failed); with 1e-3 in place of
    1 the minimum q = 5e-7 <= slow_q_max is a slow point."""
    torch = _torch()
    starts = [0.5, 2.0, -3.0]
    minus = lambda x: -np.eye(1)  # noqa: E731
    square = lambda x: np.array([[2.0 * float(x[0])]])  # noqa: E731
    assert _outcomes(lambda x: -x, minus, starts)[:4] == (3, 0, 0, [0.0])
    nan_outside = lambda x: torch.where(x.abs() < 1, -x, torch.full_like(x, float("nan")))  # noqa: E731
    fixed, slow, failed, xs_, _ = _outcomes(nan_outside, minus, starts)
    assert (fixed, slow, failed) == (1, 0, 2) and xs_ == pytest.approx([0.0], abs=1e-12)
    assert _outcomes(lambda x: 1 + x ** 2, square, starts) == (0, 0, 3, [], [])
    fixed, slow, failed, xs_, slows = _outcomes(lambda x: 1e-3 + x ** 2, square, starts)
    # Below the slow threshold a run that crawls (each step lowers q by less than half:
    # slow_crawl_ratio, as Gauss-Newton does near a minimum with q > 0) ends after slow_stall_steps
    # (3): the minimum at 0 is located to about 1.2e-4, far inside slow_merge_tol (0.05). Asserted:
    # q there within 1e-4 (relative) of its minimum 5e-7, q - q_min = 1e-3 x^2 + O(x^4), i.e.
    # |x| <= sqrt(1e-4 * 5e-7 / 1e-3) = 2.2e-4.
    assert (fixed, slow, failed, xs_) == (0, 3, 0, []) and slows == pytest.approx([0.0], abs=2.2e-4)


def test_interval_search_out_of_boxes_is_incomplete():
    """The certified latent search (method 'interval') with a budget of 3 boxes leaves boxes
    undecided (LowRankGuarantee::Unresolved): status incomplete, the boxes listed."""
    n = 12
    m = np.where(np.arange(n) % 3 == 0, -1.0, 1.0)
    model = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": (2 * np.outer(m, m) / n).tolist()})
    full = rnndyn.find_fixed_points(model, method="interval")
    assert full.status == "complete" and len(full.interval.unresolved) == 0 and full.interval.n_boxes > 3
    short = rnndyn.find_fixed_points(model, method="interval", interval={"max_boxes": 3})
    assert short.status == "incomplete" and short.interval.n_boxes == 3
    assert len(short.interval.unresolved) > 0 and len(short.to_dict()["unresolved_boxes"]) > 0
    assert short.to_dict()["guarantee"].startswith("incomplete")
