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
    assert fig.axes[0].get_xlabel().startswith("PC1 (")
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


def test_state_space_shows_fixed_points_by_stability_and_slow_points_by_memory_time():
    import json

    import numpy as np

    import rnndyn
    import rnndyn.plot as rp

    # The bundled flip-flop GRU: 27 fixed points (8 stable foci, saddles), in the data's PCs.
    model = rnndyn.load_model(EXAMPLES / "gru_flipflop.json")
    raw = json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())
    states = np.array(raw["states"] if isinstance(raw, dict) else raw)
    result = rnndyn.find_fixed_points(model, data=states)
    fig = rp.state_space(result, data=states)
    ax = fig.axes[0]
    markers = [line for line in ax.lines if line.get_marker() == "o" and len(line.get_xdata()) == 1]
    assert len(markers) == len(result.fixed_points)
    filled = [m for m in markers if m.get_markerfacecolor() != "white"]
    assert len(filled) == sum(str(p.stability).startswith("stable") for p in result.fixed_points)
    # A saddle-node ghost (2 units, one at its fold): one slow point, coloured by its memory time.
    w, mu = 2.0, 1e-4
    xc = np.arctanh(np.sqrt(1 - 1 / w))
    ghost = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": [[w, 0], [0, -0.5]],
                                    "b": [xc - w * np.tanh(xc) - mu, 0.3]})
    r2 = rnndyn.find_fixed_points(ghost, method="numeric", box=(-3, 3), memory_radius=0.2)
    fig2 = rp.state_space(r2)
    assert len(r2.slow_points) == 1
    assert "memory time [time]" in fig2.axes[-1].get_ylabel()  # the colour bar of the slow points
    assert fig2.axes[0].collections[0].get_offsets().shape == (1, 2)
