"""`rnndyn fixed-points --method numeric`: multi-start Levenberg-Marquardt on smooth models."""
import json
import math

import numpy as np
import pytest

from conftest import EXAMPLES, assert_one_line_error

FLOW_2D = {"model": "rate", "activation": "tanh", "W": [[2, 0], [0, 2]]}


def positive_root(w):
    """Root of x = w tanh(x), x > 0, by bisection (independent of the finder)."""
    lo, hi = 1e-3, w
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if -mid + w * math.tanh(mid) > 0 else (lo, mid)
    return 0.5 * (lo + hi)


def test_two_dimensional_flow_has_nine_fixed_points_with_four_saddles(rnndyn, write_model):
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", "--box", "-3,3", "--starts", "300")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["method"] == "numeric"
    fps = j["fixed_points"]
    assert len(fps) == 9
    root = positive_root(2.0)
    kinds = sorted(p["stability"] for p in fps)
    assert kinds.count("saddle") == 4 and kinds.count("stable node") == 4 and kinds.count("unstable node") == 1
    for p in fps:
        for xi in p["x"]:
            assert min(abs(xi), abs(abs(xi) - root)) < 1e-9
        assert p["q"] <= 1e-16
        assert len(p["unstable_directions"]) == p["n_unstable"]
    # Each plain random run that converged is counted once (random_hits); targeted solves only in n_starts.
    assert sum(p["random_hits"] for p in fps) == j["summary"]["n_fixed_runs"] == j["search"]["samples"]
    assert all(p["n_starts"] >= p["random_hits"] for p in fps)
    assert j["search"]["stopped_by"] in ("quiet", "all_starts")


def test_deterministic_given_seed_and_threads(rnndyn, write_model):
    path = write_model(FLOW_2D)
    args = ["fixed-points", path, "--method", "numeric", "--box", "-3,3", "--starts", "64", "--seed", "5"]
    a = rnndyn(*args, "--threads", "1").json()
    b = rnndyn(*args, "--threads", "2").json()
    assert a["fixed_points"] == b["fixed_points"]


def test_slow_point_flagged(rnndyn, write_model):
    model = {"model": "rate", "activation": "tanh", "W": [[2.0]], "b": [0.6]}
    r = rnndyn("fixed-points", write_model(model), "--method", "numeric", "--box", "-4,4", "--slow-q-max", "1e-2")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert len(j["fixed_points"]) == 1
    assert len(j["slow_points"]) == 1
    assert abs(j["slow_points"][0]["x"][0] + math.acosh(math.sqrt(2))) < 1e-6
    assert j["slow_points"][0]["q"] > j["options"]["numeric"]["q_tol"]


def test_gru_from_trajectories_npy_and_json(rnndyn, write_model, tmp_path):
    rng = np.random.default_rng(0)
    H = 4
    model = {"model": "gru", "W_hh": (2.0 * rng.standard_normal((3 * H, H)) / 2).tolist(),
             "b_ih": (0.3 * rng.standard_normal(3 * H)).tolist()}
    path = write_model(model)
    states = rng.uniform(-1, 1, size=(50, H))
    np.save(tmp_path / "states.npy", states)
    (tmp_path / "states.json").write_text(json.dumps({"states": states.tolist()}))
    outs = []
    for f in ("states.npy", "states.json"):
        r = rnndyn("fixed-points", path, "--method", "numeric", "--from-trajectories", tmp_path / f, "--starts", "32",
                   "--noise", "0.1")
        assert r.returncode == 0, r.stderr
        outs.append(r.json())
        assert outs[-1]["initial_states"]["from"] == "data"
        assert len(outs[-1]["fixed_points"]) >= 1
    assert outs[0]["fixed_points"] == outs[1]["fixed_points"]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--box", "1,0"], "--box"),
        (["--box", "a,b"], "--box"),
        (["--box", "0,1,2"], "--box"),
        (["--starts", "0"], "--starts"),
        (["--q-tol", "-1"], "--q-tol"),
        (["--max-iter", "0"], "--max-iter"),
        (["--noise", "-1"], "--noise"),
        (["--from-trajectories", "/nonexistent.json"], "--from-trajectories"),
        (["--box", "-1,1", "--from-trajectories", "x.json"], "--box"),
    ],
)
def test_bad_input_is_one_line_error(rnndyn, write_model, args, needle):
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", *args)
    assert_one_line_error(r, needle)


def test_trajectories_with_wrong_dimension(rnndyn, write_model, tmp_path):
    (tmp_path / "s.json").write_text(json.dumps([[0.0, 1.0, 2.0]]))
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", "--from-trajectories", tmp_path / "s.json")
    assert_one_line_error(r, "--from-trajectories", "columns")


def test_exhaustive_low_rank_search_is_complete(rnndyn, write_model):
    # W = 2 m m^T / N, m_i = +-1: fixed points x = m y with y in {0, +-r(2)}, r(2) = 1.915.
    n = 20
    m = np.where(np.arange(n) % 3 == 0, -1.0, 1.0)
    model = {"model": "rate", "activation": "tanh", "W": (2 * np.outer(m, m) / n).tolist()}
    r = rnndyn("fixed-points", write_model(model), "--method", "numeric", "--exhaustive")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["rank"] == 1
    assert j["guarantee"].startswith("complete")
    assert j["unresolved_boxes"] == []
    ys = sorted(float(np.dot(p["x"], m) / n) for p in j["fixed_points"])
    root = positive_root(2.0)
    assert np.allclose(ys, [-root, 0.0, root], atol=1e-9)
    assert all(p["certified"] for p in j["fixed_points"])
    assert sorted(p["stability"] for p in j["fixed_points"]) == ["saddle", "stable node", "stable node"]


@pytest.mark.parametrize(
    "model, args, needle",
    [
        ({"model": "rate", "activation": "tanh", "W": [[1, 0], [0, 1]]}, ["--exhaustive", "--max-rank", "1"], "W"),
        ({"model": "rate", "activation": "tanh", "W": [[1, 0], [0, 0]]}, ["--exhaustive", "--box", "-1,1"],
         "--exhaustive"),
        ({"model": "rate", "activation": "tanh", "W": [[1, 0], [0, 0]]}, ["--latent-box", "-1,1"], "--latent-box"),
        ({"model": "rate", "activation": "tanh", "W": [[1, 0], [0, 0]]}, ["--exhaustive", "--latent-box", "1,-1"],
         "--latent-box"),
    ],
)
def test_exhaustive_bad_input(rnndyn, write_model, model, args, needle):
    assert_one_line_error(rnndyn("fixed-points", write_model(model), "--method", "numeric", *args), needle)


@pytest.mark.parametrize("flags, needle", [
    (["--batch", "0"], "--batch: must be >= 1"),
    (["--patience", "-1"], "--patience: must be >= 0"),
    (["--numeric-time-limit", "0"], "--numeric-time-limit: must be > 0"),
    (["--deflation-power", "0.5"], "--deflation-power: must be finite and >= 1"),
    (["--deflation-shift", "0"], "--deflation-shift: must be finite and > 0"),
    (["--neighbours", "-2"], "--neighbours: must be >= 0"),
    (["--batch", "x"], "--batch: expected an integer"),
    (["--memory-radius", "-1"], "--memory-radius: must be finite and >= 0"),
    (["--memory-horizon", "0"], "--memory-horizon: must be > 0"),
    (["--projection-factor", "-1"], "--projection-factor: must be >= 0"),
])
def test_round_options_reject_bad_values(rnndyn, write_model, flags, needle):
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", *flags)
    assert_one_line_error(r, needle)


def test_rounds_report_their_search(rnndyn, write_model):
    """The search summary: rounds of --batch starts, stopped on quiet, Good-Turing = singletons / samples."""
    j = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", "--box", "-3,3", "--batch", "16").json()
    s = j["search"]
    assert s["stopped_by"] == "quiet" and s["rounds"] >= 4 and s["random_starts"] == 16 * s["rounds"]
    assert s["good_turing"] == (s["singletons"] / s["samples"] if s["samples"] else 1.0)
    assert j["options"]["numeric"]["batch"] == 16


def ring_model(n=24, g=1.5, delta=1e-3):
    """tau dx/dt = -x + g W tanh(x), W = (2/n)(c c^T + s s^T + delta (s c^T - c s^T)): a ring of
    radius r = rho* sqrt(n / 2), rho* = g h(rho*), turning at d alpha / dt = delta (derivation in
    tests/test_slow_manifolds.cpp); returns the model and r."""
    th = 2 * np.pi * np.arange(n) / n
    c, s = np.cos(th), np.sin(th)
    W = (2 / n) * (np.outer(c, c) + np.outer(s, s) + delta * (np.outer(s, c) - np.outer(c, s)))
    lo, hi = 1e-3, 10.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if g * (2 / n) * np.sum(c * np.tanh(mid * c)) > mid else (lo, mid)
    return {"model": "rate", "activation": "tanh", "W": W.tolist(), "g": g}, lo * np.sqrt(n / 2)


def test_slow_ring_is_one_closed_slow_manifold_with_drift_delta_r(rnndyn, write_model):
    model, r = ring_model()
    path = write_model(model)
    j = rnndyn("fixed-points", path, "--method", "numeric", "--starts", "128", "--slow-manifold-step", "0.25").json()
    assert len(j["slow_manifolds"]) == 1
    m = j["slow_manifolds"][0]
    assert m["closed"] and m["dimension"] == 1 and m["fixed_points"] == []
    assert len(m["points"]) == m["n_points"] == len(m["drift"]) == len(m["s"])
    assert np.allclose(np.linalg.norm(m["points"], axis=1), r, rtol=1e-6, atol=0)
    assert np.allclose(np.abs(m["drift"]), 1e-3 * r, rtol=1e-5, atol=0)
    assert abs(m["max_drift"] / (1e-3 * r) - 1) < 1e-5 and abs(m["mean_drift"] / (1e-3 * r) - 1) < 1e-5
    assert j["options"]["numeric"]["slow_manifolds"]["step"] == 0.25
    off = rnndyn("fixed-points", path, "--method", "numeric", "--starts", "128", "--no-slow-manifolds").json()
    assert off["slow_manifolds"] == [] and len(off["slow_points"]) > 0


def test_slow_manifold_option_errors_name_the_flag(rnndyn, write_model):
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", "--slow-manifold-gap", "2")
    assert r.returncode == 2
    assert_one_line_error(r, "--slow-manifold-gap")


def test_bundled_perturbed_line_attractor_reports_its_slow_line(rnndyn):
    # examples/line_attractor_bounded_perturbed.json: on the slow eigenline x* + sigma v_s of
    # A = W - I (both units active) the flow is d sigma / dt = lambda_s sigma (closed form, numpy here).
    path = EXAMPLES / "line_attractor_bounded_perturbed.json"
    A = np.array(json.loads(path.read_text())["W"]) - np.eye(2)
    lam, vec = np.linalg.eig(A)
    i = int(np.argmin(np.abs(lam)))
    lam_s, v = lam[i].real, vec[:, i].real / np.linalg.norm(vec[:, i])
    x_star = -np.linalg.solve(A, np.ones(2))
    j = rnndyn("fixed-points", path, "--method", "numeric").json()
    (m,) = j["slow_manifolds"]
    sigma = (np.array(m["points"]) - x_star) @ v
    assert np.abs(np.array(m["points"]) - x_star - np.outer(sigma, v)).max() < 1e-9
    assert abs(m["max_drift"] - abs(lam_s) * np.abs(sigma).max()) < 1e-9
    assert m["max_drift"] <= math.sqrt(2 * j["options"]["numeric"]["slow_q_max"])
    (z,) = m["fixed_points"]
    assert z["stability"] == "stable" and abs(z["slope"] - lam_s) < 1e-9 and z["fixed_point"] == 0


@pytest.mark.parametrize("flag,value", [("--memory-steps", "0"), ("--memory-orbits", "0"), ("--memory-dt", "0"),
                                        ("--memory-place-radius", "-1"), ("--memory-min-share", "2"),
                                        ("--stall-steps", "-1"), ("--newton-steps", "-1"), ("--newton-tol", "0")])
def test_memory_stall_and_newton_option_errors_name_the_flag(rnndyn, write_model, flag, value):
    r = rnndyn("fixed-points", write_model(FLOW_2D), "--method", "numeric", "--box", "-3,3", flag, value)
    assert_one_line_error(r, flag)
