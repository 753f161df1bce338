"""Slow manifolds from Python: the attribute named as the JSON key, the same document as the CLI,
and the closed-form drift along seed 000's perturbed bounded line attractor (derived in
tests/test_slow_manifolds.cpp: on the slow eigenline x* + sigma v_s of A = W + eps - I the flow is
d sigma / dt = lambda_s sigma)."""
import json

import numpy as np

import rnndyn
from conftest import assert_same
from conftest import cli_json as cli

W = np.array([[0.0, -1.0], [-1.0, 0.0]])
EPS = 0.01 * np.array([[-2.0, 1.0], [1.5, -1.0]])


def slow_eigenline(eps):
    """x*, lambda_s and the unit v_s of the linear region (numpy's eigensolver, not the library)."""
    A = W + eps - np.eye(2)
    lam, vec = np.linalg.eig(A)
    i = int(np.argmin(np.abs(lam)))
    return -np.linalg.solve(A, np.ones(2)), lam[i].real, vec[:, i].real / np.linalg.norm(vec[:, i])


def test_perturbed_bounded_line_attractor_has_its_slow_line_in_python_and_the_cli(tmp_path):
    path = tmp_path / "line.json"
    path.write_text(json.dumps({"model": "rate", "form": "rate", "activation": "relu", "W": (W + EPS).tolist(),
                                "b": [1.0, 1.0]}))
    res = rnndyn.find_fixed_points(rnndyn.load_model(str(path)), method="numeric",
                                   slow_manifolds={"speed_max": 0.01, "step": 0.02})
    assert_same(cli("fixed-points", path, "--method", "numeric", "--slow-manifold-speed-max", 0.01,
                    "--slow-manifold-step", 0.02), res)
    assert len(res.slow_manifolds) == 1 and res.slow_manifolds is not None
    m = res.slow_manifolds[0]
    assert res.to_dict()["slow_manifolds"][0]["n_points"] == m.points.shape[0] >= 5
    assert m.dimension == 1 and not m.closed
    assert repr(m).startswith("SlowManifold(open, ") and "fixed points: 1 stable)" in repr(m)
    assert repr(res).startswith("FixedPointResult(1 fixed point: 1 stable; 1 slow manifold; ")
    doc = res.to_dict()["slow_manifolds"][0]  # every JSON key is an attribute (tests/python/test_explain.py)
    assert all(hasattr(m, key) for key in doc)
    assert all(hasattr(m.fixed_points[0], key) for key in doc["fixed_points"][0])
    x_star, lam, v = slow_eigenline(EPS)
    sigma = (m.points - x_star) @ v
    assert np.abs((m.points - x_star) - np.outer(sigma, v)).max() < 1e-9  # on the eigenline
    assert np.abs(np.abs(m.drift) - np.abs(lam * sigma)).max() < 1e-9  # |d sigma / dt| = |lambda_s sigma|
    assert abs(m.max_drift - abs(lam) * np.abs(sigma).max()) < 1e-9
    assert m.max_drift <= 0.01
    (z,) = m.fixed_points
    assert z.stability == "stable" and abs(z.slope - lam) < 1e-9
    assert np.abs(res.fixed_points[z.fixed_point].x - x_star).max() < 1e-9


def test_slow_manifolds_can_be_switched_off():
    model = rnndyn.model_from_dict({"model": "rate", "form": "rate", "activation": "relu",
                                    "W": (W + EPS).tolist(), "b": [1.0, 1.0]})
    assert rnndyn.FixedPointOptions().numeric.slow_manifolds.enabled
    res = rnndyn.find_fixed_points(model, method="numeric", slow_manifolds={"enabled": False})
    assert res.slow_manifolds == [] and res.to_dict()["slow_manifolds"] == []


def test_state_space_draws_the_slow_manifold_as_a_line():
    import matplotlib
    matplotlib.use("Agg")
    import rnndyn.plot as rplot
    model = rnndyn.model_from_dict({"model": "rate", "form": "rate", "activation": "relu",
                                    "W": (W + EPS).tolist(), "b": [1.0, 1.0]})
    res = rnndyn.find_fixed_points(model, method="numeric", slow_manifolds={"speed_max": 0.01, "step": 0.02})
    ax = rplot.state_space(res).axes[0]
    assert "1 slow manifold" in ax.get_title()
    assert "slow manifold" in [t.get_text() for t in ax.get_legend().get_texts()]
    (line,) = [ln for ln in ax.get_lines() if ln.get_color() == "tab:purple"]
    assert len(line.get_xdata()) == len(res.slow_manifolds[0].points)
