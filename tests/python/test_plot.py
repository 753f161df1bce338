"""Each plotting helper renders to PNG; the figures contain what they claim to contain."""
import numpy as np
import pytest

import rnndyn
import rnndyn.plot as rplot
from conftest import EXAMPLES

FP = {"x": [80 / 3, 50 / 3], "stability": "unstable focus"}


def _png(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    return path


def test_phase_portrait_of_ei_limit_cycle(tmp_path):
    model = rnndyn.load_model(str(EXAMPLES / "ei_network_limit_cycle.json"))
    _, x = rnndyn.simulate(model, [30.0, 10.0], t_end=1500, dt=1.0)
    fig = rplot.phase_portrait(model, fixed_points={"fixed_points": [FP]}, trajectories=[x], n=15)
    ax = fig.axes[0]
    # One trajectory line plus its start marker plus the fixed point marker.
    assert len(ax.lines) == 3
    assert ax.get_legend().get_texts()[0].get_text() == "unstable focus"
    _png(fig, tmp_path, "phase")


def test_phase_portrait_projects_high_dimensional_models(tmp_path):
    rng = np.random.default_rng(0)
    model = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": 1.5 * rng.normal(size=(8, 8)) / 8**0.5})
    _, x = rnndyn.simulate(model, rng.normal(size=8), t_end=50, dt=0.5)
    fig = rplot.phase_portrait(model, fixed_points=[np.zeros(8)], trajectories=[x])
    assert fig.axes[0].get_xlabel() == "PC 1"
    _png(fig, tmp_path, "pca")
    # A single fixed point and no trajectory spans one direction only: still drawn.
    fig = rplot.phase_portrait(model, fixed_points=[np.zeros(8)])
    assert len(fig.axes[0].lines) == 1


def test_spectrum_flow_and_map(tmp_path):
    lin = rnndyn.linearize(rnndyn.load_model(str(EXAMPLES / "ei_network.json")), [80 / 3, 50 / 3])
    fig = rplot.spectrum(lin.eigenvalues, time="continuous", outliers=[-0.5 + 0j], disk_radius=0.8)
    assert len(fig.axes[0].lines) >= 4
    _png(fig, tmp_path, "spectrum")
    _png(rplot.spectrum(np.array([[0.5, 0.2], [0.5, -0.2]]), time="discrete"), tmp_path, "spectrum_map")


def test_bifurcation_diagram_nyquist_and_shares(tmp_path):
    branch = [{"parameter": p, "x": [p, 0.0], "stability": "stable node" if p < 0.5 else "saddle"}
              for p in np.linspace(0, 1, 11)]
    result = {"branches": [{"points": branch}], "bifurcations": [{"type": "fold", "parameter": 0.5, "x": [0.5, 0]}]}
    _png(rplot.bifurcation_diagram(result), tmp_path, "bif")
    w = np.linspace(0, 10, 100)
    G = 0.5 / (1 + 1j * w)
    fig = rplot.nyquist(w, G, G_theory=G * 1.01)
    assert len(fig.axes[0].lines) == 5
    _png(fig, tmp_path, "nyquist")
    shares = {"shares": [{"type": "one fixed point", "share": 0.6, "ci_low": 0.55, "ci_high": 0.65},
                         {"type": "three fixed points", "share": 0.4, "ci_low": 0.35, "ci_high": 0.45}]}
    fig = rplot.perturbation_shares(shares)
    assert [p.get_height() for p in fig.axes[0].patches] == pytest.approx([0.6, 0.4])
    _png(fig, tmp_path, "shares")
