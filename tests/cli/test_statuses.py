"""Every status a command can end on, each from a situation that produces it for a real reason
(issue 20, item 5): a diverging linear flow, a quasi-periodic flow, a model without a fixed point,
a tolerance below rounding, budgets of one iteration or three points, a reservoir past its fading
memory, a relu theory with every rate zero. Each test pairs the status with a control run that
does not end on it, so that the assertion can fail."""
import json

import numpy as np
import pytest

from conftest import EXAMPLES

EI_CYCLE = EXAMPLES / "ei_network_limit_cycle.json"
CUSP = EXAMPLES / "tanh_cusp.json"


def linear_flow(write_model, W, x0, name, b=None):
    """dx/dt = -x + W x + b (rate model, linear activation): its solutions are known in closed form."""
    W = np.asarray(W, dtype=float)
    return write_model({"model": "rate", "activation": "linear", "W": W.tolist(),
                        "b": list(b) if b is not None else [0.0] * len(W), "x0": list(x0)}, name)


def quasi_periodic(write_model):
    """dx/dt = (W - I) x with W - I = Q blockdiag(J(1), J(sqrt 2)) Q^T, J(w) = [[0, -w], [w, 0]]: two
    rotations at incommensurate frequencies mixed into every unit, so no coordinate is periodic."""
    A = np.zeros((4, 4))
    A[0, 1], A[1, 0], A[2, 3], A[3, 2] = -1.0, 1.0, -np.sqrt(2.0), np.sqrt(2.0)
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    return linear_flow(write_model, np.eye(4) + Q @ A @ Q.T, [1, 0, 1, 0], "quasi.json")


def rotation(write_model):
    """dx/dt = J(1) x: a centre, every orbit a circle of period 2 pi."""
    return linear_flow(write_model, [[1.0, -1.0], [1.0, 1.0]], [1, 0], "rotation.json")


def branches(out):
    return [(b["status"], len(b["points"])) for b in out["branches"]]


# --- limit-cycle: not_periodic, diverged ---------------------------------------------------------

def test_limit_cycle_of_a_quasi_periodic_flow_is_not_periodic(rnndyn, write_model):
    args = ["--transient", 10, "--window", 50, "--max-time", 200]
    out = rnndyn("-q", "limit-cycle", quasi_periodic(write_model), *args).json()
    assert out["status"] == "not_periodic"
    assert out["period"] == 0.0 and out["floquet_multipliers"] == []
    assert out["crossings"] >= 10 and out["period_change"] > 1e-3  # crossings seen, periods disagreeing
    centre = rnndyn("-q", "limit-cycle", rotation(write_model), *args).json()
    assert centre["status"] == "found"
    assert centre["period"] == pytest.approx(2 * np.pi, rel=1e-7)


def test_limit_cycle_of_a_growing_flow_diverges(rnndyn, write_model):
    model = linear_flow(write_model, 2 * np.eye(2), [1, 1], "grow.json")  # dx/dt = x
    out = rnndyn("-q", "limit-cycle", model, "--transient", 10, "--window", 10, "--max-time", 50).json()
    assert out["status"] == "diverged"
    assert out["period"] == 0.0 and out["floquet_multipliers"] == [] and out["crossings"] == 0


# --- lyapunov: diverged --------------------------------------------------------------------------

def test_lyapunov_of_a_growing_flow_diverges_and_measures_the_time_before(rnndyn, write_model):
    model = linear_flow(write_model, 2 * np.eye(2), [1, 1], "grow.json")  # dx/dt = x: both exponents 1
    out = rnndyn("-q", "lyapunov", model, "--warmup", 0, "--t", 100).json()
    assert out["status"] == "diverged"
    # |x| = e^t passes the blow-up bound 1e12 at t = ln 1e12 = 27.6: measured up to there, not to 100
    assert 20 <= out["measured_time"] <= np.log(1e12) + 1
    assert out["exponents"] == pytest.approx([1.0, 1.0], abs=1e-6)
    stable = linear_flow(write_model, 0.5 * np.eye(2), [1, 1], "decay.json")  # dx/dt = -x / 2
    ok = rnndyn("-q", "lyapunov", stable, "--warmup", 0, "--t", 100).json()
    assert ok["status"] == "ok" and ok["measured_time"] == 100
    assert ok["exponents"] == pytest.approx([-0.5, -0.5], abs=1e-6)


# --- continue: max_points, start_not_converged, step_too_small -----------------------------------

def test_continuation_stops_at_max_points(rnndyn):
    args = ["continue", CUSP, "--param", "b[0]", "--from", -1, "--to", 1, "--start", "-1.5"]
    assert branches(rnndyn("-q", *args, "--max-points", 3).json()) == [("max_points", 3)]
    assert branches(rnndyn("-q", *args).json())[0][0] == "reached"


def test_continuation_without_a_fixed_point_at_the_start(rnndyn, write_model):
    # dx/dt = -x + x + b = b: no fixed point for any b != 0
    model = linear_flow(write_model, [[1.0]], [0.0], "drift.json", b=[1.0])
    r = rnndyn("continue", model, "--param", "b[0]", "--from", 1, "--to", 2)
    assert r.returncode == 0, r.stderr
    assert branches(r.json()) == [("start_not_converged", 0)]
    assert "did not converge to a fixed point at b[0] = 1" in r.stderr
    # from b = 0 (every x a fixed point, the start x0 = 0 one of them) the start converges
    assert branches(rnndyn("-q", "continue", model, "--param", "b[0]", "--from", 0, "--to", 1,
                           "--max-points", 2).json())[0][1] >= 1


def test_continuation_with_a_tolerance_below_rounding_has_too_small_a_step(rnndyn):
    # |x| grows along the branch until the corrector cannot meet 1e-17 in double precision: the
    # step is halved down to min_step. --tol is the Newton tolerance, so 1e-13 still reaches b = 1.
    args = ["continue", CUSP, "--param", "b[0]", "--from", -1, "--to", 1]
    (status, n), = branches(rnndyn("-q", *args, "--tol", 1e-17).json())
    assert status == "step_too_small" and n >= 1
    assert branches(rnndyn("-q", *args, "--tol", 1e-13).json())[0][0] == "reached"


# --- continue-cycles: max_points, cycle_lost ------------------------------------------------------

def test_cycle_continuation_max_points_and_cycle_lost(rnndyn):
    args = ["continue-cycles", EI_CYCLE, "--param", "tau[1]", "--from", 50, "--to", 60]
    assert branches(rnndyn("-q", *args, "--max-points", 3).json()) == [("max_points", 3)]
    # the shooting corrector cannot close the start orbit to 1e-16: the branch is lost at once
    lost = rnndyn("-q", *args, "--tol", 1e-16).json()
    assert branches(lost) == [("cycle_lost", 0)]
    assert "does not close under Newton" in lost["message"]


def test_cycle_continuation_of_a_growing_cycle_is_unbounded(rnndyn):
    # the E-I relu cycle grows with tau_I (slower inhibition lets v_E run further) and its
    # amplitude passes max_norm = 1e6 before tau_I = 600
    out = rnndyn("-q", "continue-cycles", EI_CYCLE, "--param", "tau[1]", "--from", 50, "--to", 1000,
                 "--start", "30,10").json()
    (branch,) = out["branches"]
    assert branch["source"] == "start" and branch["status"] == "unbounded"
    last = branch["points"][-1]
    assert 100 < last["p"] < 1000 and max(last["x_max"]) > 1e5
    assert max(branch["points"][0]["x_max"]) < 1e3


def test_continuation_reports_only_true_hopf_points(rnndyn):
    # J = [[0.025, -0.1], [1/tau_I, -1/tau_I]] at (80/3, 50/3): trace 0.025 - 1/tau_I vanishes only at
    # tau_I = 40; trace^2 = 4 det at tau_I = 557.13, where the complex pair becomes real (no bifurcation)
    out = rnndyn("-q", "continue", EXAMPLES / "ei_network.json", "--param", "tau[1]", "--from", 20, "--to", 1000).json()
    hopf = [b["parameter"] for b in out["bifurcations"] if b["type"] == "hopf"]
    assert hopf == [pytest.approx(40, abs=1e-6)], hopf


# --- hopf-curve: an end on a switching boundary -------------------------------------------------

def test_hopf_curve_ends_non_smooth_where_the_fixed_point_reaches_a_kink(rnndyn):
    # E-I network: trace J = 0.025 - 1/tau_I does not depend on b[1], so the Hopf curve in
    # (b[1], tau[1]) is the line tau_I = 40; along it v_E = (10 - b[1]) / 0.75 reaches the relu kink
    # v_E = 0 at b[1] = 10, where the curve ends; the other end leaves the box
    out = rnndyn("-q", "hopf-curve", EXAMPLES / "ei_network.json", "--param-x", "b[1]", "--x-from", -60, "--x-to", 40,
                 "--param-y", "tau[1]", "--y-from", 10, "--y-to", 90, "--start-x", -10, "--start-y", 30).json()
    assert out["status"] == "partial"
    assert sorted([out["end_forward"], out["end_backward"]]) == ["box", "non_smooth"]
    assert all(p["py"] == pytest.approx(40, abs=1e-5) for p in out["points"])
    kink = max(out["points"], key=lambda p: p["px"])
    assert kink["px"] == pytest.approx(10, abs=1e-3) and kink["x"][0] == pytest.approx(0, abs=1e-3)



def test_hopf_curve_around_the_origin_of_the_bias_plane_is_closed(rnndyn, write_model):
    # tau dx/dt = -x + W tanh(x) + b with W = [[1.2, -3], [3, 1.2]]: at b = 0 the origin is an
    # unstable focus (1.2 +- 3i - 1); a large bias in any direction saturates the units and makes
    # the fixed point stable, so the Hopf set in the (b0, b1) plane is a loop around b = 0. Checked
    # at every point without rnndyn: scipy's root of -x + W tanh(x) + b from the reported x, and
    # numpy's eigenvalues of its Jacobian: a complex pair on the imaginary axis (to 1e-7).
    from scipy.optimize import fsolve

    W = np.array([[1.2, -3.0], [3.0, 1.2]])
    path = write_model({"model": "rate", "form": "current", "activation": "tanh", "tau": [1, 1],
                        "W": W.tolist(), "b": [0, 0], "x0": [0, 0]})
    out = rnndyn("-q", "hopf-curve", path, "--param-x", "b[0]", "--param-y", "b[1]", "--x-from", -3, "--x-to", 3,
                 "--y-from", -3, "--y-to", 3, "--start-x", 0, "--start-y", 1.5).json()
    assert (out["status"], out["end_forward"], out["end_backward"]) == ("complete", "closed", "closed")
    angles = []
    for p in out["points"]:
        b = np.array([p["px"], p["py"]])
        x = fsolve(lambda x: -x + W @ np.tanh(x) + b, np.array(p["x"]), xtol=1e-14)
        assert np.abs(-x + W @ np.tanh(x) + b).max() < 1e-10 and np.allclose(x, p["x"], atol=1e-7)
        ev = np.linalg.eigvals(-np.eye(2) + W * (1 - np.tanh(x) ** 2)[None, :])
        assert np.abs(ev.real).max() < 1e-7 and np.abs(ev.imag).min() > 0.1
        angles.append(np.arctan2(b[1], b[0]))
    # once around the origin: the unwrapped angle of the points spans a full turn
    turn = np.ptp(np.unwrap(angles))
    assert 2 * np.pi * 0.9 < turn < 2 * np.pi * 1.1

def test_hopf_curve_ends_where_the_fixed_point_is_lost_at_a_fold(rnndyn, write_model):
    # Units 0 and 1 are the tanh oscillator of the test above with W[0,0] free: at the origin
    # J = [[W00 - 1, -3], [3, 0.2]], trace W00 - 0.8, so its Hopf curve in (W[0,0], b[2]) is the line
    # W00 = 0.8. Unit 2 is a tanh unit on its own, dx/dt = -x + 2 tanh(x) + b2, whose upper fixed
    # point (x2 = 1.915 at b2 = 0) disappears in a fold at b2 = -(sqrt(2) - acosh(sqrt(2))) =
    # -0.53284, x2 = acosh(sqrt(2)) (closed form; x = 2 tanh x - b, 2 sech^2 x = 1). Followed down
    # in b2 the curve loses that fixed point there: end no_fixed_point (it said non_smooth before,
    # as at a kink); upwards it leaves the box.
    path = write_model({"model": "rate", "form": "current", "activation": "tanh", "tau": [1, 1, 1],
                        "W": [[0.8, -3, 0], [3, 1.2, 0], [0, 0, 2]], "b": [0, 0, 0], "x0": [0, 0, 1.9]}, "fold_hopf.json")
    out = rnndyn("-q", "hopf-curve", path, "--param-x", "W[0,0]", "--x-from", 0.5, "--x-to", 1.1, "--param-y", "b[2]",
                 "--y-from", -1, "--y-to", 1, "--start-x", 0.8, "--start-y", 0).json()
    assert out["status"] == "partial"
    assert sorted([out["end_forward"], out["end_backward"]]) == ["box", "no_fixed_point"]
    assert all(p["px"] == pytest.approx(0.8, abs=1e-9) for p in out["points"])
    low = min(out["points"], key=lambda p: p["py"])
    x_fold = np.arccosh(np.sqrt(2.0))
    assert low["py"] == pytest.approx(-(np.sqrt(2.0) - x_fold), abs=1e-4)  # within a few min_step of the fold
    assert low["x"][2] == pytest.approx(x_fold, abs=1e-2)  # x2 - x_fold ~ sqrt(b2 - b_fold)


def test_fold_curve_running_into_the_edge_of_a_time_constant_has_too_small_a_step(rnndyn):
    # One tanh unit, tau dx/dt = -x + 2 tanh(x) + b: tau does not move the fixed points, so the
    # fold curve in (tau, b) is the line b = sqrt(2) - acosh(sqrt(2)) = 0.53284 (closed form, see
    # tanh_cusp.json). Followed towards tau = 0 inside a box that reaches past it, every corrector
    # beyond the edge fails, the step halves down to min_step: end step_too_small just above
    # tau = 0; the other end leaves the box at tau = 3.
    out = rnndyn("-q", "fold-curve", CUSP, "--param-x", "tau[0]", "--x-from", -1, "--x-to", 3, "--param-y", "b[0]",
                 "--y-from", -1.5, "--y-to", 1.5, "--start-x", 1, "--start-y", 0.1).json()
    assert out["status"] == "partial"
    assert sorted([out["end_forward"], out["end_backward"]]) == ["box", "step_too_small"]
    b_fold = np.sqrt(2.0) - np.arccosh(np.sqrt(2.0))
    assert all(p["py"] == pytest.approx(b_fold, abs=1e-8) for p in out["points"])
    assert all(p["x"][0] == pytest.approx(-np.arccosh(np.sqrt(2.0)), abs=1e-6) for p in out["points"])
    assert 0 < min(p["px"] for p in out["points"]) < 1e-3


# --- fixed-points (numeric): failed runs ----------------------------------------------------------

def test_one_iteration_per_start_leaves_failed_runs(rnndyn):
    args = ["fixed-points", CUSP, "--method", "numeric", "--starts", 16, "--batch", 16, "--no-saddle-starts"]
    short = rnndyn("-q", *args, "--max-iter", 1).json()
    full = rnndyn("-q", *args).json()
    assert full["summary"]["n_failed_runs"] == 0 and full["summary"]["n_fixed_points"] == 3
    s = short["summary"]
    assert s["n_failed_runs"] > 0  # max iterations (or a stall) on the first step
    assert s["n_fixed_runs"] + s["n_slow_runs"] + s["n_failed_runs"] == 16
    assert s["n_fixed_points"] < 3


# --- fixed-points (exact): incomplete through an undecided region --------------------------------

def test_exact_search_leaves_a_nearly_singular_region_undecided(rnndyn, write_model):
    # dx/dt = -x + W relu(x) + b with W = [[0, 1], [1, 1e-11]], b = (0, -1e-3). In the region where
    # both units are active the system is (W - I) x = -b, whose LU pivot is 1e-11 (relative to 1):
    # below --singular-tol (1e-10), so the region is examined as a possible continuum; the
    # least-squares analysis finds none, yet the LU solution (~1e8, 1e8) lies inside the region,
    # so the region is undecided and the search incomplete (both the arrangement and the brute
    # force; the arrangement used to drop undecided regions and say complete). With --singular-tol
    # 1e-12 the pivot counts as regular: the point is solved and listed, and the search is complete.
    # Reference: numpy's solve of (W - I) x = -b (closed form, no rnndyn code).
    W, b = np.array([[0.0, 1.0], [1.0, 1e-11]]), np.array([0.0, -1e-3])
    path = write_model({"model": "rate", "form": "current", "activation": "relu", "W": W.tolist(), "b": b.tolist(),
                        "x0": [0, 0]}, "near_singular.json")
    far = np.linalg.solve(W - np.eye(2), -b)
    assert far.min() > 1e7  # inside the region where both units are active
    for method in ("arrangement", "brute"):
        out = rnndyn("-q", "fixed-points", path, "--method", method).json()
        assert out["status"] == "incomplete", (method, out["status"])
        assert out["undecided_regions"] == [[1, 1]]
        assert [p["x"] for p in out["fixed_points"]] == [pytest.approx([0.0, -1e-3], abs=1e-15)]
        regular = rnndyn("-q", "fixed-points", path, "--method", method, "--singular-tol", 1e-12).json()
        assert regular["status"] == "complete" and regular["undecided_regions"] == []
        xs = sorted((p["x"] for p in regular["fixed_points"]), key=lambda x: x[0])
        assert len(xs) == 2 and xs[1] == pytest.approx(far, rel=1e-6)
        assert regular["options"]["exact"]["singular_tol"] == 1e-12


# --- basins: incomplete ---------------------------------------------------------------------------

def test_basins_with_too_short_orbits_are_incomplete(rnndyn):
    args = ["basins", CUSP, "--starts", 50, "--seed", 1]
    out = rnndyn("-q", *args, "--max-time", 0.2, "--check-interval", 0.1).json()
    assert out["status"] == "incomplete"
    assert 0 < out["unsettled"]["count"] == out["n_starts"] - out["n_settled"]
    done = rnndyn("-q", *args).json()
    assert done["status"] == "complete" and done["n_settled"] == 50


# --- reservoir and mft: training_not_converged, mean_field_not_converged, degenerate ----------------

def test_reservoir_past_fading_memory_does_not_train(rnndyn):
    args = ["reservoir", "--N", 100, "--targets", 1.0, "--n-omega", 0, "--seed", 1]
    out = rnndyn("-q", *args, "--g", 3).json()  # rho ~ g = 3 > 1: the open-loop fixed point is lost
    assert out["status"] == "training_not_converged"
    assert out["finite"]["training_status"] == "not_converged"
    assert [level["converged"] for level in out["finite"]["levels"]] == [False]
    ok = rnndyn("-q", *args, "--g", 0.5).json()
    assert ok["status"] == "ok" and ok["finite"]["training_status"] == "converged"


def test_relu_far_below_threshold_is_degenerate(rnndyn):
    args = ["--activation", "relu", "--targets", 1.0, "--n-omega", 0]
    mft = rnndyn("-q", "mft", *args, "--g", 1, "--threshold", 5).json()  # every rate max(0, x - 5) is 0
    assert mft["status"] == "degenerate"
    assert "singular" in mft["message"]
    assert mft["C"] == [[0.0]]
    res = rnndyn("-q", "reservoir", "--N", 100, "--seed", 1, *args, "--g", 1, "--threshold", 5).json()
    assert res["status"] == "mean_field_not_converged"
    assert res["finite"]["training_status"] == "converged" and res["mean_field"]["status"] == "degenerate"
    ok = rnndyn("-q", "mft", *args, "--threshold", 0, "--g", 1.3).json()
    assert ok["status"] == "converged" and ok["C"][0][0] > 0


def test_degenerate_theory_prints_no_readout_coefficient(rnndyn):
    mft = rnndyn("-q", "mft", "--activation", "relu", "--threshold", 5, "--g", 1, "--n-omega", 0).json()
    assert mft["status"] == "degenerate"
    assert mft["k"] == [] and mft["levels"] == [], (mft["k"], mft["levels"])
