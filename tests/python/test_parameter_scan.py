"""rnndyn.scan_parameters and plot.bifurcation_map on the seed-002 E-I network (M_EE = w, tau_I), and cycle
counts of a scalar piecewise-linear map."""
import json

import numpy as np
import pytest

import rnndyn
import rnndyn.plot as rplot
from conftest import EXAMPLES, assert_same
from conftest import cli_json as cli


def _scan(**kw):
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    return rnndyn.scan_parameters(model, "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), steps=(6, 7), **kw)


def test_counts_match_the_closed_form_hopf_curve():
    # One fixed point for 1 < w < 2, stable exactly for tau_I < 10 / (w - 1) (trace of
    # diag(1/tau)(W - I); derived in tests/test_parameter_scan.cpp); no grid value lies on it.
    r = _scan()
    assert r.status == "complete" and len(r.cells) == 42
    d = r.to_dict()
    w, tau = np.meshgrid(d["x_values"], d["y_values"])
    np.testing.assert_array_equal(np.array(d["n_stable"]), (tau < 10 / (w - 1)).astype(int))
    np.testing.assert_array_equal(np.array(d["n_fixed_points"]), 1)
    cell = r.cells[1 * 6 + 2]  # (x_values[2], y_values[1])
    assert cell.x == pytest.approx(1.3) and cell.y == pytest.approx(22) and cell.n_stable == 1


def test_bifurcation_map_draws_one_colour_per_count(tmp_path):
    r = _scan()
    fig = rplot.bifurcation_map(r)
    ax, bar = fig.axes
    mesh = ax.collections[0]
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(7, 6), np.array(r.to_dict()["n_stable"]))
    assert bar.get_ylabel() == "stable fixed points"
    colours = {tuple(c) for c in mesh.to_rgba(np.asarray(mesh.get_array()).ravel())}
    assert len(colours) == 2  # 0 and 1 stable point, drawn in clearly different colours
    a, b = (np.array(c) for c in colours)
    assert np.abs(a - b).max() > 0.3
    assert ax.get_xlabel() == "W[0,0]" and ax.get_ylabel() == "tau[1]"
    fig.savefig(tmp_path / "map.png", dpi=50)
    with pytest.raises(ValueError, match="quantity: expected one of"):
        rplot.bifurcation_map(r, quantity="n_bogus")
    with pytest.raises(ValueError, match="quantity: n_cycles needs a scan that counted cycles; this one did not "
                                         r"\(a flow"):
        rplot.bifurcation_map(r, quantity="n_cycles")
    with pytest.raises(ValueError, match="result: expected a scan result"):
        rplot.bifurcation_map({"fixed_points": []})


def test_bad_ranges_are_one_line_errors():
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    with pytest.raises(ValueError, match="x_range: expected"):
        rnndyn.scan_parameters(model, "W[0,0]", 1.1, "tau[1]", (12, 72))
    with pytest.raises(ValueError, match="parameter_y"):
        rnndyn.scan_parameters(model, "W[0,0]", (1.1, 1.6), "tau[1]", (0, 72))


def test_hopf_curve_matches_the_closed_form_and_overlays_the_map():
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    c = rnndyn.continue_hopf_curve(model, "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), (1.25, 30))
    assert c.status == "complete" and len(c.points) > 10
    w = np.array([p.px for p in c.points])
    tau = np.array([p.py for p in c.points])
    np.testing.assert_allclose(tau, 10 / (w - 1), rtol=1e-7)  # trace of diag(1/tau)(W - I) = 0
    np.testing.assert_allclose([p.omega for p in c.points], np.sqrt((2 - w) * (w - 1)) / 10, atol=1e-8)
    fig = rplot.bifurcation_map(_scan(), curves=[c])
    line = [ln for ln in fig.axes[0].lines if ln.get_label() == "Hopf curve"]
    assert len(line) == 1 and len(line[0].get_xdata()) == len(c.points)
    other = rnndyn.continue_hopf_curve(model, "tau[1]", (12, 72), "W[0,0]", (1.1, 1.6), (30, 1.25))
    with pytest.raises(ValueError, match=r"curves\[0\]: its parameters"):
        rplot.bifurcation_map(_scan(), curves=[other])
    with pytest.raises(ValueError, match="start: expected a pair"):
        rnndyn.continue_hopf_curve(model, "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), 1.25)


def test_fold_curve_is_the_closed_form_cusp_and_overlays_the_map():
    # dx/dt = -x + w tanh(x) + b folds where w sech^2(x) = 1 at b = x - w tanh(x) (tests/test_hopf_curve.cpp).
    model = rnndyn.model_from_dict({"model": "rate", "form": "current", "activation": "tanh", "tau": [1.0],
                                    "W": [[2.0]], "b": [0.0]})
    c = rnndyn.continue_fold_curve(model, "W[0,0]", (0.5, 3.0), "b[0]", (-1.5, 1.5), (2.0, 0.1))
    assert c.kind == "fold" and c.status == "complete" and len(c.points) > 20
    w = np.array([p.px for p in c.points])
    b = np.array([p.py for p in c.points])
    x = np.array([p.x[0] for p in c.points])
    np.testing.assert_allclose(w / np.cosh(x) ** 2, 1.0, atol=1e-8)
    np.testing.assert_allclose(b, x - w * np.tanh(x), atol=1e-10)
    assert c.to_dict()["kind"] == "fold"
    fig = rplot.hopf_curve(c)
    assert fig.axes[0].get_title().startswith("Fold curve")


def test_border_curve_of_the_ei_network_is_the_closed_form():
    # With M_EE = w and b_I = beta the inhibitory unit reaches its kink on beta = -10 / (1 - w)
    # (tests/test_hopf_curve.cpp derives it).
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    c = rnndyn.continue_border_curve(model, "W[0,0]", (0.0, 0.9), "b[1]", (-120, -5), (0.5, -15))
    assert c.kind == "border_collision" and c.status == "complete" and len(c.points) > 10
    w = np.array([p.px for p in c.points])
    np.testing.assert_allclose([p.py for p in c.points], -10 / (1 - w), rtol=1e-8)
    assert rplot.hopf_curve(c).axes[0].get_title().startswith("Border-collision curve")


# x' = alpha x + w relu(x) + 1 (a plrnn, alpha = A[0,0], beta = alpha + w): a 2-cycle visits both
# sides, x_L = (1 + beta) / (1 - alpha beta) < 0 < x_R = (1 + alpha) / (1 - alpha beta), with the
# multiplier alpha beta (derived in tests/test_map_cycles.cpp); no grid cell lies on a degenerate line.
SCALAR_RELU_MAP = {"model": "plrnn", "A": [0.0], "W": [[-1.0]], "h": [1.0]}


def test_scan_of_a_map_counts_its_two_cycles_as_the_closed_form(tmp_path):
    model = rnndyn.model_from_dict(SCALAR_RELU_MAP)
    r = rnndyn.scan_parameters(model, "A[0,0]", (-0.9, 0.9), "W[0,0]", (-3, 0), steps=(9, 11), max_period=2)
    assert r.cycles_counted and r.cycles_note == "" and r.status == "complete"
    d = r.to_dict()
    alpha, w = np.meshgrid(d["x_values"], d["y_values"])
    beta = alpha + w
    det = 1 - alpha * beta
    exists = ((1 + beta) / det < 0) & ((1 + alpha) / det > 0)
    np.testing.assert_array_equal(np.array(d["n_cycles"]), exists.astype(int))
    np.testing.assert_array_equal(np.array(d["n_cycles_by_period"]["2"]), exists.astype(int))
    np.testing.assert_array_equal(np.array(d["n_stable_cycles"]), (exists & (np.abs(alpha * beta) < 1)).astype(int))
    assert r.cells[0].n_cycles_by_period == [d["n_cycles"][0][0]]
    path = tmp_path / "relu_map.json"
    path.write_text(json.dumps(SCALAR_RELU_MAP))
    assert_same(cli("scan", path, "--param-x", "A[0,0]", "--x-from", -0.9, "--x-to", 0.9, "--x-steps", 9,
                    "--param-y", "W[0,0]", "--y-from", -3, "--y-to", 0, "--y-steps", 11, "--max-period", 2), r)
    fig = rplot.bifurcation_map(r, quantity="n_stable_attractors")
    mesh = fig.axes[0].collections[0]
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(11, 9),
                                  np.array(d["n_stable"]) + np.array(d["n_stable_cycles"]))
    assert fig.axes[1].get_ylabel() == "stable fixed points + stable cycles"
    fig.savefig(tmp_path / "map_cycles.png", dpi=60)
    fig = rplot.bifurcation_map(r, quantity="n_cycles_2")
    assert fig.axes[1].get_ylabel() == "cycles of period 2"
    with pytest.raises(ValueError, match="quantity: no cycles of period 3 in this scan"):
        rplot.bifurcation_map(r, quantity="n_cycles_3")


def _periodic_points(alpha, w, k, x):
    """Sign changes of f^k(x) - x on the grid x for f(x) = alpha x + w relu(x) + 1: the periodic
    points of period dividing k (simple roots: no multiplier is +-1 on the test's grid)."""
    y = x
    for _ in range(k):
        y = alpha * y + w * np.maximum(y, 0) + 1
    nonnegative = y - x >= 0  # a root on a grid point counts once
    return int(np.count_nonzero(nonnegative[1:] != nonnegative[:-1]))


def test_map_scan_cycle_counts_of_periods_2_to_4_against_brute_force_roots():
    # Independent of the k-cycle search: periodic points as sign changes of f^k(x) - x on a fine
    # grid of [-100, 100] (every cycle of this map on the grid lies within |x| < 30); the points of
    # minimal period k are those of f^k less those of f^d for the divisors d of k, and a k-cycle has
    # k of them.
    model = rnndyn.model_from_dict(SCALAR_RELU_MAP)
    r = rnndyn.scan_parameters(model, "A[0,0]", (-0.9, 0.9), "W[0,0]", (-3, 0), steps=(9, 11), max_period=4)
    d = r.to_dict()
    x = np.linspace(-100, 100, 400_001)
    for j, w in enumerate(d["y_values"]):
        for i, alpha in enumerate(d["x_values"]):
            n = {k: _periodic_points(alpha, w, k, x) for k in (1, 2, 3, 4)}
            expected = {2: (n[2] - n[1]) // 2, 3: (n[3] - n[1]) // 3, 4: (n[4] - n[2]) // 4}
            for k, count in expected.items():
                assert d["n_cycles_by_period"][str(k)][j][i] == count, (alpha, w, k)
    assert np.sum(d["n_cycles_by_period"]["4"]) == 9  # longer cycles do occur (none of period 3 on this grid)
