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


# ---- issue 16: pictures a dynamicist reads at a glance ----------------------------------------------------

@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt
    yield
    plt.close("all")


def _model(name):
    return rnndyn.load_model(str(EXAMPLES / f"{name}.json"))


def _gru_result():
    import json
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    return rnndyn.find_fixed_points(_model("gru_flipflop"), data=states), states


def test_phase_portrait_draws_the_line_attractor_and_names_the_nullclines(tmp_path):
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    model = _model("line_attractor_bounded")
    result = rnndyn.find_fixed_points(model)
    assert len(result.fixed_points) == 0 and len(result.continua) == 1
    fig = rplot.phase_portrait(model, fixed_points=result)
    ax = fig.axes[0]
    continuum = [line for line in ax.lines if line.get_color() == rplot.CONTINUUM_COLOR]
    assert len(continuum) == 1  # the segment from (0, 1) to (1, 0)
    ends = np.column_stack([continuum[0].get_xdata(), continuum[0].get_ydata()])
    assert sorted(map(tuple, np.round(ends, 9))) == [(0.0, 1.0), (1.0, 0.0)]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["line of fixed points", r"nullcline $\dot x_0 = 0$", r"nullcline $\dot x_1 = 0$"]
    assert isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)  # labels are not clipped
    _png(fig, tmp_path, "line_attractor")
    # The unbounded one is a ray: drawn out to the edge of the axes.
    ray = rplot.phase_portrait(_model("line_attractor_unbounded"),
                               fixed_points=rnndyn.find_fixed_points(_model("line_attractor_unbounded")))
    line = [x for x in ray.axes[0].lines if x.get_color() == rplot.CONTINUUM_COLOR][0]
    assert max(line.get_xdata()) > ray.axes[0].get_xlim()[1]


def test_phase_portrait_of_one_fixed_point_has_readable_axes(tmp_path):
    model = _model("ei_network")
    fig = rplot.phase_portrait(model, fixed_points=rnndyn.find_fixed_points(model))
    ax = fig.axes[0]
    _png(fig, tmp_path, "one_point")  # draws the tick labels
    lo, hi = ax.get_xlim()
    assert lo < 80 / 3 < hi and hi - lo > 5  # not zoomed to +-0.001
    assert ax.xaxis.get_offset_text().get_text() == "" and ax.yaxis.get_offset_text().get_text() == ""
    # A small trajectory keeps its own scale; a point at (numerically) zero gets +-0.2.
    small = rplot.phase_portrait(model, trajectories=[np.array([[0.0, 0.0], [0.01, 0.02]])], nullclines=False)
    assert np.diff(small.axes[0].get_xlim())[0] == pytest.approx(0.0115)
    zero = rplot.phase_portrait(model, fixed_points=[[1e-14, 0.0]], nullclines=False)
    assert zero.axes[0].get_xlim() == pytest.approx((-0.2, 0.2))


def test_phase_portrait_draws_the_limit_cycle_as_a_closed_orbit(tmp_path):
    model = _model("ei_network_limit_cycle")
    cycle = rnndyn.limit_cycle(model)
    fig = rplot.phase_portrait(model, fixed_points=rnndyn.find_fixed_points(model), cycles=cycle)
    orbit = [line for line in fig.axes[0].lines if line.get_color() == rplot.CYCLE_COLOR]
    assert len(orbit) == 1
    xy = np.column_stack([orbit[0].get_xdata(), orbit[0].get_ydata()])
    assert np.linalg.norm(xy[0] - xy[-1]) < 1e-3 * np.ptp(xy[:, 0])  # one period returns to its start
    assert np.ptp(xy[:, 0]) == pytest.approx(cycle.x_max[0] - cycle.x_min[0], rel=0.02)
    _png(fig, tmp_path, "cycle")


def test_state_space_in_3d_draws_the_unstable_modes_of_saddles(tmp_path):
    result, states = _gru_result()
    fig = rplot.state_space(result, data=states, components=(0, 1, 2))
    ax = fig.axes[0]
    assert ax.name == "3d" and ax.get_zlabel().startswith("PC3 (")
    segments = [line for line in ax.lines if line.get_marker() in ("None", "") and len(line.get_xdata()) == 2]
    assert len(segments) == sum(p["n_unstable"] for p in result.to_dict()["fixed_points"]) > 0
    _png(fig, tmp_path, "state_space_3d")
    with pytest.raises(ValueError, match=r"^components: expected 2 or 3"):
        rplot.state_space(result, components=(0, 1, 2, 3))


def test_phase_portrait_of_a_high_dimensional_model_computes_the_unstable_modes():
    # dx/dt = -x + M x: the origin is a saddle with one unstable direction (e_0).
    model = rnndyn.model_from_dict({"model": "linear", "tau": 1.0, "M": np.diag([2.0, 0.5, 0.2]), "h": [0, 0, 0]})
    lin = rnndyn.linearize(model, [0, 0, 0])
    rng = np.random.default_rng(1)
    trajs = [rnndyn.simulate(model, rng.normal(size=3), t_end=1.0, dt=0.05) for _ in range(4)]
    fig = rplot.phase_portrait(model, fixed_points=[{"x": [0, 0, 0], "stability": lin.stability}], trajectories=trajs)
    ax = fig.axes[0]
    mode = [line for line in ax.lines if line.get_color() == rplot.STABILITY_COLORS["saddle"] and
            len(line.get_xdata()) == 2]
    assert lin.stability == "saddle" and len(mode) == 1
    assert len([line for line in ax.lines if len(line.get_xdata()) > 2]) == 4  # the trajectories


def test_spectrum_knows_the_time_kind_of_its_result(tmp_path):
    shpl = _model("shplrnn_r2_n12")
    fig = rplot.spectrum(rnndyn.linearize(shpl, rnndyn.find_fixed_points(shpl).fixed_points[0].x))
    circle = [line for line in fig.axes[0].lines if len(line.get_xdata()) == 400]
    assert len(circle) == 1  # a map: the unit circle
    assert np.allclose(np.hypot(circle[0].get_xdata(), circle[0].get_ydata()), 1.0)
    flow = rplot.spectrum(rnndyn.linearize(_model("ei_network"), [80 / 3, 50 / 3]))
    assert not [line for line in flow.axes[0].lines if len(line.get_xdata()) == 400]
    assert [line for line in flow.axes[0].lines if list(line.get_xdata()) == [0, 0]]  # the imaginary axis
    assert flow.axes[0].get_title() == "stable focus"
    floquet = rplot.spectrum(rnndyn.limit_cycle(_model("ei_network_limit_cycle")))
    assert floquet.axes[0].get_title().startswith("Floquet multipliers (period")
    assert len([line for line in floquet.axes[0].lines if len(line.get_xdata()) == 400]) == 1
    marginal = [line for line in floquet.axes[0].lines if line.get_label() == "marginal"]
    assert len(marginal) == 1 and list(marginal[0].get_xdata()) == pytest.approx([1.0], abs=1e-7)  # the trivial 1
    # seed 002: tau dv/dt = -v + M v + h is stable iff Re lambda(M) < 1; the line is drawn there.
    modes = rplot.spectrum([1.0, 0.5], time="continuous", boundary=1.0)
    assert [line for line in modes.axes[0].lines if list(line.get_xdata()) == [1.0, 1.0]]
    assert [line.get_label() for line in modes.axes[0].lines if line.get_marker() == "o"] == ["stable", "marginal"]
    _png(modes, tmp_path, "modes")


def test_fixed_point_spectra_one_panel_per_point(tmp_path):
    result, _ = _gru_result()
    fig = rplot.fixed_point_spectra(result)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 12 and fig._suptitle.get_text() == f"the first 12 of {len(result.fixed_points)}"
    assert [ax.get_title() for ax in shown] == [f"#{i} {p.stability.type}"
                                                for i, p in enumerate(result.fixed_points[:12])]
    saddle = next(ax for ax in shown if "saddle" in ax.get_title())
    assert any(line.get_label() == "unstable" for line in saddle.lines)
    _png(fig, tmp_path, "spectra")


def test_nyquist_and_spectrum_of_mean_field_and_reservoir_results(tmp_path):
    mft = rnndyn.mean_field(g=0.9, targets=[0.5, 1.0, 1.5], n_omega=60)
    fig = rplot.nyquist(mft)
    ax = fig.axes[0]
    assert len(ax.lines) == 3 * 2 + 1  # a curve and its mirror per target, and the critical point
    gain = mft.to_dict()["levels"][0]["gain"]  # [re, im] pairs
    assert np.allclose(ax.lines[0].get_ydata(), [g[1] for g in gain]) and np.ptp(ax.lines[0].get_ydata()) > 0.1
    assert (ax.lines[-1].get_xdata()[0], ax.lines[-1].get_ydata()[0]) == (1.0, 0.0)
    assert "critical point 1 + 0i" in [t.get_text() for t in ax.get_legend().get_texts()]
    poles = rplot.mean_field_poles(mft).axes[0]
    crosses = [line for line in poles.lines if line.get_marker() == "x"]
    # seed 003 Fig. 2: bistable
    assert [line.get_label() for line in crosses] == ["A = 0.5: stable", "A = 1: unstable", "A = 1.5: stable"]
    assert [len(line.get_xdata()) for line in crosses] == [3, 3, 3]  # M = 3 poles at every target
    res = rnndyn.reservoir(N=100, g=1.5, targets=[1.0], n_omega=30, transient=0, spectrum=True)
    assert len(rplot.nyquist(res).axes[0].lines) == 2 * 2 + 1  # finite network and mean field
    fig = rplot.reservoir_spectrum(res)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[-3:] == ["bulk, radius 0.96", "mean-field outliers", "finite-N outliers"]
    _png(fig, tmp_path, "reservoir")


def test_lyapunov_spectrum_intervals_and_convergence(tmp_path):
    res = rnndyn.lyapunov(_model("ei_network_limit_cycle"), t_total=500)
    fig = rplot.lyapunov_spectrum(res)
    left, right = fig.axes
    assert len(right.lines) == len(res.exponents) + 1  # one running estimate each, and zero
    assert left.get_ylabel() == r"$\lambda_i$ [1/time]"
    _png(fig, tmp_path, "lyapunov")


@pytest.mark.parametrize("draw, match", [
    (lambda r: rplot.bifurcation_diagram(r["fp"]), r"^result: expected a continuation result .*got a fixed-points"),
    (lambda r: rplot.state_space(r["mft"]), r"^result: expected a fixed-points result .*got an mft result"),
    (lambda r: rplot.fixed_point_spectra(r["lc"]), r"^result: expected a fixed-points result .*got a limit-cycle"),
    (lambda r: rplot.spectrum(r["fp"]), r"^eigenvalues: expected .*got a fixed-points result"),
    (lambda r: rplot.spectrum(r["mft"]), r"^eigenvalues: expected .*got an mft result"),
    (lambda r: rplot.spectrum([1j]), r"^time: expected 'continuous'"),
    (lambda r: rplot.nyquist(r["fp"]), r"^result: expected an mft or reservoir result .*got a fixed-points"),
    (lambda r: rplot.reservoir_spectrum(r["mft"]), r"^result: expected a reservoir result .*got an mft result"),
    (lambda r: rplot.lyapunov_spectrum(r["lc"]), r"^result: expected a lyapunov result .*got a limit-cycle"),
    (lambda r: rplot.perturbation_shares(r["lc"]), r"^result: expected a perturb result .*got a limit-cycle"),
    (lambda r: rplot.phase_portrait(r["model"], cycles=r["fp"]), r"^result: expected a limit-cycle or cycles result"),
    (lambda r: rplot.phase_portrait(r["model"], fixed_points=r["mft"]), r"^fixed_points: expected a fixed-points"),
])
def test_every_plot_refuses_a_result_it_cannot_draw(draw, match):
    import matplotlib.pyplot as plt
    model = _model("ei_network_limit_cycle")
    r = {"model": model, "fp": rnndyn.find_fixed_points(model), "lc": rnndyn.limit_cycle(model),
         "mft": rnndyn.mean_field(g=0.9, targets=[1.0], n_omega=10)}
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=match) as info:
        draw(r)
    assert "\n" not in str(info.value)
    assert plt.get_fignums() == before  # refused before a figure was opened


def test_state_space_draws_a_limit_cycle_of_a_3d_model(tmp_path):
    # The E-I oscillator with a third, driven unit: the cycle lives in 3-D.
    model = rnndyn.model_from_dict({"model": "rate", "form": "rate", "activation": "relu", "tau": [10, 50, 20],
                                    "W": [[1.25, -1.0, 0], [1.0, 0.0, 0], [0.5, 0.0, 0]], "b": [10, -10, 0],
                                    "x0": [30, 10, 0]})
    cycle = rnndyn.limit_cycle(model)
    fixed = rnndyn.find_fixed_points(model)
    fig = rplot.phase_portrait(model, fixed_points=fixed, cycles=cycle)
    orbit = [line for line in fig.axes[0].lines if line.get_color() == rplot.CYCLE_COLOR]
    assert str(cycle.status) == "found" and len(orbit) == 1 and fig.axes[0].get_xlabel().startswith("PC1 (")
    assert "limit cycle" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    fig3 = rplot.state_space(fixed, model=model, cycles=cycle, components=(0, 1, 2))
    assert [line for line in fig3.axes[0].lines if line.get_color() == rplot.CYCLE_COLOR]
    _png(fig3, tmp_path, "cycle_3d")
    with pytest.raises(ValueError, match=r"^model: needed to trace the cycles"):
        rplot.state_space(fixed, cycles=cycle)


def test_phase_portrait_draws_the_k_cycles_of_a_map(tmp_path):
    # z' = 1 - 2 relu(z_0) (and a slow second unit): the 2-cycle -1 <-> 1 is superstable.
    model = rnndyn.model_from_dict({"model": "plrnn", "A": [0.0, 0.5], "W": [[-2.0, 0], [0.3, 0]], "h": [1.0, 0.2]})
    cycles = rnndyn.find_cycles(model, 2)
    fig = rplot.phase_portrait(model, fixed_points=rnndyn.find_fixed_points(model), cycles=cycles)
    squares = [line for line in fig.axes[0].lines if line.get_marker() == "s"]
    assert len(squares) == 1 and sorted(squares[0].get_xdata()) == pytest.approx([-1.0, 1.0])
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "2-cycle (stable node)" in labels and r"nullcline $x_0' = x_0$" in labels  # a map's nullclines
    _png(fig, tmp_path, "two_cycle")
