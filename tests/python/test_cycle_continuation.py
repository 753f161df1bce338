"""Limit-cycle continuation from Python: to_dict() is the CLI's JSON, the typed result carries the
same numbers, and the E-I branch (seed 002) agrees with an independent scipy RK45 simulation at a
tau_I past the Hopf point (period and range of v_E, 1e-3 relative)."""
import json

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import rnndyn
from conftest import EXAMPLES, assert_same
from conftest import cli_json as cli

EI = EXAMPLES / "ei_network.json"


def test_continue_limit_cycles_matches_the_cli():
    res = rnndyn.continue_limit_cycles(rnndyn.load_model(str(EI)), "tau[1]", 20, 60)
    assert_same(cli("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60), res)
    (branch,) = res.branches
    assert branch.status == "reached" and branch.source == "hopf"
    assert abs(res.hopf_points[0] - 40) < 1e-6
    assert all(p.stable for p in branch.points)
    assert np.iscomplexobj(branch.points[0].floquet_multipliers)


def test_continue_limit_cycles_keywords_and_x0():
    model = rnndyn.load_model(str(EI))
    res = rnndyn.continue_limit_cycles(model, "tau[1]", 50, 52, x0=[30, 10], samples=500,
                                       search={"transient": 1000})
    assert res.options.samples == 500 and res.options.search.transient == 1000
    assert res.branches[0].source == "start" and res.branches[0].points[0].p == 50
    with pytest.raises(ValueError, match="samples"):
        rnndyn.continue_limit_cycles(model, "tau[1]", 50, 52, samples=3)


def test_no_cycle_warns():
    with pytest.warns(RuntimeWarning, match="no cycle found"):
        res = rnndyn.continue_limit_cycles(rnndyn.load_model(str(EI)), "tau[1]", 20, 35)
    assert res.branches[0].status == "start_not_found"


def test_ei_branch_against_scipy_rk45():
    res = rnndyn.continue_limit_cycles(rnndyn.load_model(str(EI)), "tau[1]", 20, 60)
    point = res.branches[0].points[len(res.branches[0].points) // 2]
    tau = np.array([10.0, point.p])
    W = np.array([[1.25, -1.0], [1.0, 0.0]])
    b = np.array([10.0, -10.0])

    def rhs(_, v):
        return (-v + np.maximum(W @ v + b, 0.0)) / tau

    warm = solve_ivp(rhs, (0, 5000), [30.0, 10.0], method="RK45", rtol=1e-10, atol=1e-10)
    t = np.linspace(0, 10 * point.period, 200001)
    sol = solve_ivp(rhs, (0, t[-1]), warm.y[:, -1], method="RK45", t_eval=t, rtol=1e-10, atol=1e-10)
    vE = sol.y[0]
    level = 0.5 * (vE.min() + vE.max())
    k = np.nonzero((vE[:-1] < level) & (vE[1:] >= level))[0]
    up = t[k] + (t[k + 1] - t[k]) * (level - vE[k]) / (vE[k + 1] - vE[k])
    period = (up[-1] - up[0]) / (len(up) - 1)
    assert period == pytest.approx(point.period, rel=1e-3)
    assert vE.max() == pytest.approx(point.x_max[0], rel=1e-3)
    assert vE.min() == pytest.approx(point.x_min[0], rel=1e-3, abs=1e-3 * vE.max())


def test_continuation_of_the_example_file_finds_the_hopf_point():
    # examples/ei_network.json has an x0; the default starts are every fixed point at p = start.
    res = rnndyn.continuation(rnndyn.load_model(str(EI)), "tau[1]", 20, 60)
    assert res.start_source == "fixed_points"
    assert [b.type for b in res.bifurcations] == ["hopf"]
    assert abs(res.bifurcations[0].parameter - 40) < 1e-6


def test_continuation_start_that_does_not_converge_warns(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"model": "linear", "M": [[1.0]], "h": [1.0], "tau": 1}))
    with pytest.warns(RuntimeWarning, match="did not converge"):
        res = rnndyn.continuation(rnndyn.load_model(str(path)), "h[0]", 1, 2, starts=[[0.0]])
    assert res.branches[0].status == "start_not_converged"


def test_bifurcation_diagram_with_cycle_envelopes(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from rnndyn import plot as rplot
    model = rnndyn.load_model(str(EI))
    fixed = rnndyn.continuation(model, "tau[1]", 20, 60)
    cycles = rnndyn.continue_limit_cycles(model, "tau[1]", 20, 60)
    fig = rplot.bifurcation_diagram(fixed, cycles=cycles)
    n = len(cycles.branches[0].points)
    envelope = [line for line in fig.axes[0].lines if len(line.get_xdata()) == n]
    assert len(envelope) == 4  # min and max, each split into stable and unstable
    drawn = np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in envelope])
    assert np.nanmax(drawn) == pytest.approx(max(pt.x_max[0] for pt in cycles.branches[0].points))
    assert np.nanmin(drawn) == pytest.approx(min(pt.x_min[0] for pt in cycles.branches[0].points))
    fig.savefig(tmp_path / "ei_diagram.png")
    assert rplot.bifurcation_diagram(cycles).axes  # a cycle result alone


# f(x) = h + 0.5 x - 2 relu(x) - relu(x - 1): the 2-cycle (-2h/7, 6h/7) reaches the kink x = 1 at
# h = 7/6 and goes on as ((1 - 1.5 h) / 2.25, (3h + 1) / 4.5) (tests/test_map_cycles.cpp).
TWO_KINK_MAP = {"model": "shplrnn", "A": [0.5], "W1": [[-2.0, -1.0]], "W2": [[1.0], [1.0]], "h1": [0.2],
                "h2": [0.0, -1.0]}


def test_map_cycles_match_the_cli_and_the_closed_form(tmp_path):
    path = tmp_path / "two_kink.json"
    path.write_text(json.dumps(TWO_KINK_MAP))
    res = rnndyn.continue_limit_cycles(rnndyn.load_model(str(path)), "h1[0]", 0.2, 2.0, map_period=2)
    assert_same(cli("continue-cycles", path, "--param", "h1[0]", "--from", 0.2, "--to", 2, "--map-period", 2), res)
    (branch,) = res.branches
    assert branch.status == "reached" and branch.source == "k_cycle"
    for pt in branch.points:
        h = pt.p
        lo, hi = sorted(z[0] for z in pt.points)
        if h <= 7 / 6:
            assert lo == pytest.approx(-2 * h / 7, abs=1e-10) and hi == pytest.approx(6 * h / 7, abs=1e-10)
        else:
            assert lo == pytest.approx((1 - 1.5 * h) / 2.25, abs=1e-10)
            assert hi == pytest.approx((3 * h + 1) / 4.5, abs=1e-10)
    (bc,) = res.bifurcations
    assert bc.type == "border_collision" and bc.parameter == pytest.approx(7 / 6, abs=1e-10)
    assert bc.unit == 1 and bc.breakpoint == 0 and bc.points[bc.cycle_point][0] == pytest.approx(1, abs=1e-10)


def test_bifurcation_diagram_draws_the_k_points_of_map_cycles(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from rnndyn import plot as rplot
    model = rnndyn.model_from_dict(TWO_KINK_MAP)
    fixed = rnndyn.continuation(model, "h1[0]", 0.2, 2.0)
    cycles = rnndyn.continue_limit_cycles(model, "h1[0]", 0.2, 2.0)
    fig = rplot.bifurcation_diagram(fixed, cycles=cycles)
    ax = fig.axes[0]
    green = [ln for ln in ax.lines if ln.get_color() == "#1a9641"]
    assert len(green) == 4  # two points of the 2-cycle, each solid (stable) and dashed (unstable)
    ys = np.concatenate([np.asarray(ln.get_ydata(), float) for ln in green])
    assert np.nanmin(ys) < -0.3 and np.nanmax(ys) > 1.4
    labels = ax.get_legend().get_texts()
    assert "k-cycle: its k points" in [t.get_text() for t in labels]
    fig.savefig(tmp_path / "diagram_map_cycles.png", dpi=80)


def test_map_cycles_start_at_every_k_cycle_or_at_the_one_nearest_x0():
    # pl_map_two_kink at h = 1.14 (between 9/8 and 7/6) has three 2-cycles (tests/test_map_cycles.cpp):
    # (L, M) = (-2h/7, 6h/7), (L, R) = (9 - 8h, 4.5 - 3h), (M, R) = ((4h - 4.5) / 5.5, (6.75 - 0.5 h) / 5.5).
    model = rnndyn.load_model(str(EXAMPLES / "pl_map_two_kink.json"))
    h = 1.14
    closed = {"LM": (-2 * h / 7, 6 * h / 7), "LR": (9 - 8 * h, 4.5 - 3 * h),
              "MR": ((4 * h - 4.5) / 5.5, (6.75 - 0.5 * h) / 5.5)}
    res = rnndyn.continue_limit_cycles(model, "h1[0]", h, 2.0)
    starts = sorted(tuple(sorted(z[0] for z in b.points[0].points)) for b in res.branches)
    np.testing.assert_allclose(starts, sorted(closed.values()), atol=1e-10)
    # Followed up in h, (L, M) and (L, R) meet on the kink x = 1 at 7/6 (a nonsmooth fold), so each
    # turns back into the other and leaves through h = 1.14 (> 9/8, the second fold); (M, R) reaches h = 2.
    status = {tuple(sorted(z[0] for z in b.points[0].points)): b.status for b in res.branches}
    nearest = {name: min(status, key=lambda s, c=c: abs(s[1] - c[1])) for name, c in closed.items()}
    assert [status[nearest[name]] for name in ("LM", "LR", "MR")] == ["left_interval", "left_interval", "reached"]
    assert sum(b.type == "fold" and b.nonsmooth for b in res.bifurcations) == 2
    (only,) = rnndyn.continue_limit_cycles(model, "h1[0]", h, 2.0, x0=[1.08]).branches
    np.testing.assert_allclose(sorted(z[0] for z in only.points[0].points), closed["LR"], atol=1e-10)
