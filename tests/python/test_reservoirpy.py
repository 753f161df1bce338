"""Issue 31: echo state networks trained in ReservoirPy 0.4 (installed from PyPI by scripts/venv.sh;
ctest sets RNNDYN_REQUIRE_RESERVOIRPY so that a missing ReservoirPy fails there instead of skipping).

rnndyn's one step equals ReservoirPy's run step (open and closed loop); a feedback ESN trained to hold
two output levels has fixed points at them whose stability is what a long ReservoirPy run shows; the
largest Lyapunov exponent of a closed loop matches a finite-difference estimate on ReservoirPy's own
trajectories."""
import os

import numpy as np
import pytest

import rnndyn

if os.environ.get("RNNDYN_REQUIRE_RESERVOIRPY"):
    import reservoirpy  # noqa: F401 (must be installed where ctest runs)
else:
    pytest.importorskip("reservoirpy")

from reservoirpy import ESN  # noqa: E402
from reservoirpy.nodes import Reservoir, Ridge  # noqa: E402

import rnndyn.reservoirpy as rr  # noqa: E402

LEVELS = (-0.5, 0.8)


def output(spec, x):
    """y = W_out x + W_out_u u + b_out of an esn spec (rnndyn.reservoirpy.model_dict)."""
    y = spec["W_out"] @ x + spec["b_out"]
    if "W_out_u" in spec:
        y = y + spec["W_out_u"] @ spec["u"]
    return y


def set_state(esn, x, y):
    """ReservoirPy's closed loop at reservoir state x with the feedback buffer holding y."""
    esn.reservoir.state = {"out": np.array(x, dtype=float)}
    esn.feedback_buffers = {edge: np.array([y], dtype=float) for edge in esn.feedback_buffers}


def run_from(esn, x, y, u=None, iters=1):
    """ReservoirPy's closed loop from (x, y) for `iters` steps: the readout's outputs and the
    reservoir's states, step by step. (ReservoirPy 0.4.2's Model.run does not store the node states
    of a model with feedback, so the states come from return_reservoir_activity.)"""
    set_state(esn, x, y)
    out = esn.run(np.tile(u, (iters, 1))) if u is not None else esn.run(iters=iters)
    return out["readout"], out["reservoir"]


def random_esn(activation="tanh", input_to_readout=True):
    """A feedback ESN with two inputs, per-unit leak rates and a random bias, its readout fitted on
    random data (the one-step comparison needs weights, not a good fit)."""
    rng = np.random.default_rng(5)
    n = 40
    res = Reservoir(n, lr=rng.uniform(0.2, 0.9, n), sr=0.9, input_connectivity=0.5, activation=activation,
                    bias=rng.normal(0, 0.2, n), seed=3)
    esn = ESN(reservoir=res, readout=Ridge(ridge=1e-3, name="readout"), feedback=True, input_to_readout=input_to_readout,
              return_reservoir_activity=True)
    u = rng.normal(size=(300, 2))
    esn.fit(u, np.sin(np.cumsum(u, axis=0))[:, :1])
    return esn, rng


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "softplus", "relu", "identity"])
def test_one_step_equals_reservoirpy_closed_loop(activation):
    esn, rng = random_esn(activation)
    u = rng.normal(size=2)
    spec = rr.model_dict(esn, u=u)
    assert spec["loop"] == "closed" and spec["W_in"].shape == (40, 2) and spec["W_fb"].shape == (40, 1)
    model = rr.from_model(esn, u=u)
    assert model.kind == "esn" and model.dim == 40
    for _ in range(3):
        x = rng.normal(scale=0.5, size=40)
        y1, x1 = run_from(esn, x, output(spec, x), u)
        np.testing.assert_allclose(model.rhs(x), x1[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(output(spec, model.rhs(x)), y1[0], rtol=0, atol=1e-12)


def test_one_step_equals_reservoirpy_open_loop():
    esn, rng = random_esn(input_to_readout=False)
    u, y = rng.normal(size=2), rng.normal(size=1)
    model = rr.from_model(esn, u=u, y=y, closed_loop=False)
    assert model.parameter("y[0]") == y[0]
    for _ in range(3):
        x = rng.normal(scale=0.5, size=40)
        esn.reservoir.state = {"out": x.copy()}
        x1 = esn.reservoir.run(np.concatenate([u, y])[None, :])[0]  # teacher forcing: input [u; y]
        np.testing.assert_allclose(model.rhs(x), x1, rtol=0, atol=1e-12)


def test_unsupported_reservoirpy_objects_are_refused():
    from reservoirpy.nodes import NVAR

    esn, _ = random_esn()
    with pytest.raises(ValueError, match="y: the closed loop"):
        rr.from_model(esn, y=[1.0])
    res = Reservoir(10, activation="softmax", seed=1)
    res.initialize(np.zeros((1, 1)))
    with pytest.raises(ValueError, match="activation: ReservoirPy's softmax cannot be represented"):
        rr.from_model(res)
    with pytest.raises(ValueError, match="esn_or_reservoir"):
        rr.from_model(NVAR(2, 1))
    with pytest.raises(ValueError, match="not initialised"):
        rr.from_model(Reservoir(10, seed=1))


def two_level_esn(noise, feedback_scaling, n=150):
    """ReservoirPy's ESN(feedback=True), no input, taught to hold y = -0.5 and y = 0.8 (Ridge on
    teacher-forced states; `noise` on the teacher regularises the loop)."""
    res = Reservoir(n, lr=0.3, sr=0.8, input_connectivity=1.0, input_scaling=feedback_scaling, seed=1)
    esn = ESN(reservoir=res, readout=Ridge(ridge=1e-6, name="readout"), feedback=True, return_reservoir_activity=True)
    target = np.concatenate([np.full((200, 1), level) for level in LEVELS * 2])
    teacher = target + noise * np.random.default_rng(0).standard_normal(target.shape)
    esn.fit(np.zeros((len(target), 0)), teacher, warmup=50)
    return esn


@pytest.mark.parametrize("noise, scaling", [(0.05, 0.5), (0.0, 2.0)])
def test_trained_levels_are_fixed_points_with_reservoirpy_stability(noise, scaling):
    esn = two_level_esn(noise, scaling)
    spec = rr.model_dict(esn, levels=LEVELS)
    model = rr.from_model(esn, levels=LEVELS)
    assert [level for level, _ in model.trained_states] == list(LEVELS)
    result = rnndyn.find_fixed_points(model, method="numeric", starts=4, slow_manifolds={"enabled": False})
    # Ridge's readout is not exact: the closed loop's fixed point sits next to the open-loop state x_m,
    # not on it. It carries the label trained_state m all the same (within the Newton radius of x_m),
    # and it is the point found nearest x_m.
    verdicts = []
    for m, (level, x_m) in enumerate(model.trained_states):
        p = min(result.numeric.fixed_points, key=lambda q: np.abs(q.x - x_m).max())
        assert np.abs(p.x - x_m).max() < 0.1
        assert p.trained_state == m and p.trained_level == level
        assert 0 < p.trained_distance == pytest.approx(np.linalg.norm(p.x - x_m), rel=1e-12)
        assert [q.trained_state for q in result.numeric.fixed_points].count(m) == 1
        assert f"trained_level={level:.3g}" in repr(p) and "trained_distance=" in repr(p)
        y = output(spec, p.x)
        assert abs(y[0] - level) < 0.05  # the readout holds the level there, up to the fit's error
        stable = p.stability.n_unstable == 0 and p.stability.n_marginal == 0
        assert stable == (np.abs(p.eigenvalues).max() < 1)
        # Start ReservoirPy a little off the fixed point: a stable one pulls it back, an unstable one
        # lets it go.
        x0 = p.x + 1e-4 * np.random.default_rng(1).standard_normal(p.x.size)
        out, _ = run_from(esn, x0, output(spec, x0), iters=3000)
        converged = bool(np.abs(out[-200:, 0] - y[0]).max() < 1e-6)
        assert converged == stable, (level, p.stability, out[-5:, 0])
        verdicts.append(stable)
    if noise > 0:
        assert verdicts == [True, True]  # teacher noise: both levels hold
    else:
        assert not all(verdicts)  # no noise, strong feedback: a level is lost


def finite_difference_mle(esn, spec, x0, v, steps, every=5, eps=1e-8, blocks=10):
    """The largest exponent on ReservoirPy's own trajectories: the pair (x, x + eps v) run by
    esn.run and renormalised to eps every `every` steps (Benettin with a finite separation); the
    estimate and the standard error of its block means."""
    logs = []
    x, xp = x0.copy(), x0 + eps * v
    for _ in range(steps // every):
        xp = run_from(esn, xp, output(spec, xp), iters=every)[1][-1]
        x = run_from(esn, x, output(spec, x), iters=every)[1][-1]
        d = xp - x
        logs.append(np.log(np.linalg.norm(d) / eps))
        xp = x + eps * d / np.linalg.norm(d)
    per_block = np.array(logs).reshape(blocks, -1).sum(axis=1) / (steps / blocks)
    return np.sum(logs) / steps, per_block.std(ddof=1) / np.sqrt(blocks)


@pytest.mark.parametrize("start, steps", [(-0.5, 3000), (0.8, 1000)])
def test_largest_lyapunov_exponent_matches_finite_differences_on_reservoirpy(start, steps):
    """No teacher noise, strong feedback: the closed loop leaves the lost level -0.5 for a chaotic
    attractor (positive exponent); next to the held level 0.8 it converges (exponent log |mu_max|).
    Both sides start from the same ReservoirPy state and tangent; in the chaotic case their
    trajectories part after ~200 steps (rounding), so they agree within the intervals: the
    finite-difference estimate lies in rnndyn's 95% interval widened by two of its own standard
    errors. Where both converge they agree to 1e-6."""
    esn = two_level_esn(0.0, 2.0)
    spec = rr.model_dict(esn, levels=[start])
    model = rr.from_model(esn, levels=[start])
    rng = np.random.default_rng(2)
    x = model.trained_states[0][1] + 1e-3 * rng.standard_normal(150)
    x0 = run_from(esn, x, output(spec, x), iters=1000)[1][-1]  # onto the attractor, in ReservoirPy
    v = rng.standard_normal(150)
    v /= np.linalg.norm(v)
    spectrum = rnndyn.lyapunov(model, x0=x0, k=1, warmup=0, t_total=steps, initial_tangents=v[:, None], blocks=10)
    fd, fd_se = finite_difference_mle(esn, spec, x0, v, steps)
    mle, lo, hi = spectrum.exponents[0], spectrum.ci_low[0], spectrum.ci_high[0]
    assert lo - 2 * fd_se <= fd <= hi + 2 * fd_se, (fd, fd_se, mle, lo, hi)
    if start == -0.5:
        assert lo > 0.05  # chaos: the lost level does not leave for another fixed point
    else:
        assert abs(fd - mle) < 1e-6
        p = rnndyn.find_fixed_points(model, method="numeric", starts=2, slow_manifolds={"enabled": False})
        x_m = model.trained_states[0][1]
        held = min(p.numeric.fixed_points, key=lambda q: np.abs(q.x - x_m).max())
        assert abs(mle - np.log(np.abs(held.eigenvalues).max())) < 1e-3


def test_continuation_in_lr_loses_the_level_where_the_leak_formula_says():
    """The fixed point does not move with lr (x = f(M x + d) has no lr), and the multipliers are
    mu = 1 - lr + lr nu with nu the eigenvalues of diag(f') M there: the level is lost at
    lr* = min_k 2 (1 - Re nu_k) / |1 - nu_k|^2 (docs/reservoir.md). Continuation in `lr` finds it."""
    esn = two_level_esn(0.05, 0.5)
    model = rr.from_model(esn, levels=LEVELS)
    x_m = model.trained_states[1][1]
    p = min(rnndyn.find_fixed_points(model, method="numeric", starts=2, slow_manifolds={"enabled": False})
            .numeric.fixed_points, key=lambda q: np.abs(q.x - x_m).max())
    nu = 1 + (np.linalg.eigvals(model.jacobian(p.x)) - 1) / model.parameter("lr")
    critical = 2 * (1 - nu.real) / np.abs(1 - nu) ** 2
    k = int(np.argmin(critical))
    result = rnndyn.continuation(model, "lr", 0.3, 0.65, starts=[p.x])
    assert [b.status for b in result.branches] == ["reached"]
    first = result.bifurcations[0]
    assert first.type == ("neimark_sacker" if abs(nu[k].imag) > 1e-9 else "period_doubling")
    assert abs(first.parameter - critical[k]) < 1e-6, (first.parameter, critical[k])
    assert np.abs(result.branches[0].points[-1].x - p.x).max() < 1e-8  # the branch is flat in lr


def test_continuation_in_the_input_and_the_spectral_radius_runs_on_the_generic_names():
    """`u[0]` (the constant input) and `g` (the gain on W: the spectral radius g rho(W)) are parameters
    of the model read from ReservoirPy, so continuation follows a fixed point in either; every
    branch point is a fixed point of the map at its parameter value."""
    esn, rng = random_esn()
    model = rr.from_model(esn, u=[0.0, 0.0])
    start = rnndyn.find_fixed_points(model, method="numeric", starts=4, slow_manifolds={"enabled": False})
    x0 = start.numeric.fixed_points[0].x
    for name, lo, hi in [("u[0]", 0.0, 0.3), ("g", 1.0, 0.8)]:
        result = rnndyn.continuation(model, name, lo, hi, starts=[x0], max_points=60)
        branch = result.branches[0]
        assert len(branch.points) > 3
        for p in branch.points[:: max(1, len(branch.points) // 5)]:
            at = model.clone()
            at.set_parameter(name, p.p)
            assert np.abs(at.rhs(p.x) - p.x).max() < 1e-8
