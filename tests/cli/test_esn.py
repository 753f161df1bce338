"""Issue 31 from the command line: an `esn` model file (a leaky echo state network whose readout is
fed back) trained to hold two levels exactly; the fixed-point search labels both trained states,
`lyapunov` starts at the first, `continue` moves lr, a relu ESN is searched exactly (its
piecewise-linear view) and its exact points carry the labels too, and bad keys give one line
naming the key."""
import json

import numpy as np
import pytest

N, LEVELS, LR = 12, [-0.5, 0.8], 0.4


def open_loop_state(W, w_fb, level):
    x = np.zeros(len(w_fb))
    for _ in range(2000):
        x = np.tanh(W @ x + w_fb * level)
    return x


@pytest.fixture
def esn(tmp_path):
    rng = np.random.default_rng(4)
    W = rng.normal(scale=0.6 / np.sqrt(N), size=(N, N))
    w_fb = rng.uniform(-1, 1, N)
    X = np.array([open_loop_state(W, w_fb, a) for a in LEVELS])
    w_out = np.linalg.lstsq(X, np.array(LEVELS), rcond=None)[0]  # exact on the two states (min norm)
    model = {"model": "esn", "W": W.tolist(), "lr": LR, "W_fb": w_fb[:, None].tolist(), "W_out": [w_out.tolist()],
             "trained_levels": LEVELS}
    path = tmp_path / "esn.json"
    path.write_text(json.dumps(model))
    return path, model, X


def test_fixed_points_label_both_levels_and_lyapunov_starts_at_the_first(rnndyn, esn):
    path, _, X = esn
    r = rnndyn("fixed-points", path, "--method", "numeric", "--starts", "4")
    assert r.returncode == 0, r.stderr
    j = r.json()
    labelled = {p["trained_level"]: p for p in j["fixed_points"] if p.get("trained_state", -1) >= 0}
    assert sorted(labelled) == LEVELS
    for m, level in enumerate(LEVELS):
        assert np.abs(np.array(labelled[level]["x"]) - X[m]).max() < 1e-9
    ly = rnndyn("lyapunov", path, "--t", "200", "--warmup", "0", "--blocks", "4").json()
    assert np.abs(np.array(ly["x0"]) - X[0]).max() < 1e-12
    assert ly["time"] == "discrete"


def test_an_inexact_readout_still_labels_the_zero_next_to_each_trained_state(rnndyn, esn):
    """A readout off by ~1e-3 (as ridge regression leaves it): the closed loop's zero x* is not the
    open-loop state x_m but next to it. Reference: scipy's fsolve on x = tanh(W x + w_fb w_out.x)
    from x_m (no rnndyn code). The point labelled m is that zero, to 1e-9, and trained_distance is
    |x* - x_m|."""
    from scipy.optimize import fsolve

    path, model, X = esn
    W, w_fb = np.array(model["W"]), np.array(model["W_fb"])[:, 0]
    w_out = np.array(model["W_out"][0]) + 1e-3 * np.random.default_rng(7).standard_normal(N)
    path.write_text(json.dumps({**model, "W_out": [w_out.tolist()]}))
    j = rnndyn("fixed-points", path, "--method", "numeric", "--starts", "4").json()
    labelled = {p["trained_state"]: p for p in j["fixed_points"] if "trained_state" in p}
    assert sorted(labelled) == [0, 1]
    for m, level in enumerate(LEVELS):
        zero = fsolve(lambda x: np.tanh(W @ x + w_fb * (w_out @ x)) - x, X[m], xtol=1e-12)
        assert 1e-5 < np.linalg.norm(zero - X[m]) < 1e-1  # off x_m: the label is not the exact rule's
        p = labelled[m]
        assert p["trained_level"] == level
        assert np.abs(np.array(p["x"]) - zero).max() < 1e-9
        assert p["trained_distance"] == pytest.approx(np.linalg.norm(zero - X[m]), rel=1e-6)


def test_basins_of_the_trained_levels_match_a_numpy_run_of_the_esn(rnndyn, esn):
    """`basins` on the closed loop: each start's label is the attractor its orbit reaches when the
    ESN x' = (1 - lr) x + lr tanh(W x + w_fb w_out.x) is iterated in NumPy (no rnndyn code) for
    3000 steps and matched to the nearest attractor; every start is accounted for."""
    path, model, _ = esn
    j = rnndyn("basins", path, "--starts", "40", "--seed", "3", "--box", "-1,1").json()
    assert j["n_starts"] == 40 and sum(a["count"] for a in j["attractors"]) + j["unsettled"]["count"] == 40
    W, w_fb, w_out = np.array(model["W"]), np.array(model["W_fb"])[:, 0], np.array(model["W_out"][0])
    xs = np.array([a["x"] for a in j["attractors"]])
    for x, label in zip(np.array(j["starts"]), j["labels"]):
        for _ in range(3000):
            x = (1 - LR) * x + LR * np.tanh(W @ x + w_fb * (w_out @ x))
        d = np.abs(xs - x).max(axis=1)
        assert d.min() < 1e-6 and int(np.argmin(d)) == label, (d, label)


def test_continuation_in_lr_keeps_the_fixed_point(rnndyn, esn):
    path, _, X = esn
    r = rnndyn("continue", path, "--param", "lr", "--from", "0.4", "--to", "0.9")
    assert r.returncode == 0, r.stderr
    for branch in r.json()["branches"]:
        xs = np.array([p["x"] for p in branch["points"]])
        assert np.abs(xs - xs[0]).max() < 1e-8  # x = tanh(M x + d) does not involve lr


def test_relu_esn_is_searched_exactly(rnndyn, write_model):
    path = write_model({"model": "esn", "activation": "relu", "W": [[0.5, -0.2], [0.3, 0.1]], "lr": [0.5, 0.3],
                        "b": [0.1, -0.2], "W_fb": [[1.0], [0.5]], "W_out": [[0.8, -0.4]]})
    j = rnndyn("fixed-points", path).json()
    assert j["method"] == "arrangement" and j["status"] == "complete"  # the exact engine of seed 001
    assert len(j["fixed_points"]) == 1 and j["fixed_points"][0]["residual"] < 1e-12


def relu_open_loop_state(W, w_fb, b, level):
    x = np.zeros(len(w_fb))
    for _ in range(2000):
        x = np.maximum(W @ x + w_fb * level + b, 0.0)
    return x


@pytest.mark.parametrize("readout_error", [0.0, 1e-3])
def test_exact_search_of_a_relu_esn_labels_its_trained_states(rnndyn, tmp_path, readout_error):
    """A relu ESN goes to the exact search, whose points carry the trained-state labels too. With an
    exact readout the labelled points are the open-loop states x_m (NumPy iteration); with one off
    by ~1e-3 they are the closed loop's zeros next to x_m: with D the active units of x_m and
    M = W + w_fb w_out^T, the solution of (I - D M) x = D b by NumPy, checked to keep D's signs
    (no rnndyn code), to 1e-9. (The bias keeps the
    points isolated: without it relu's homogeneity makes every fixed point a ray of them.)"""
    rng = np.random.default_rng(11)
    W = rng.normal(scale=0.6 / np.sqrt(N), size=(N, N))
    w_fb, b = rng.uniform(-1, 1, N), rng.uniform(-0.2, 0.2, N)
    X = np.array([relu_open_loop_state(W, w_fb, b, a) for a in LEVELS])
    w_out = np.linalg.lstsq(X, np.array(LEVELS), rcond=None)[0] + readout_error * rng.standard_normal(N)
    path = tmp_path / "esn_relu.json"
    path.write_text(json.dumps({"model": "esn", "activation": "relu", "W": W.tolist(), "lr": LR,
                                "b": b.tolist(), "W_fb": w_fb[:, None].tolist(),
                                "W_out": [w_out.tolist()], "trained_levels": LEVELS}))
    r = rnndyn("fixed-points", path)
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["method"] in ("arrangement", "level_set", "brute", "branch_bound") and j["status"] == "complete"
    labelled = {p["trained_state"]: p for p in j["fixed_points"] if "trained_state" in p}
    assert sorted(labelled) == [0, 1]
    M = W + np.outer(w_fb, w_out)
    for m, level in enumerate(LEVELS):
        D = np.diag((W @ X[m] + w_fb * level + b > 0).astype(float))
        zero = np.linalg.solve(np.eye(N) - D @ M, D @ b)
        a = M @ zero + b
        assert np.all((a > 0) == (np.diag(D) > 0))  # zero lies in x_m's region: a fixed point of relu
        p = labelled[m]
        assert p["trained_level"] == level
        assert np.abs(np.array(p["x"]) - zero).max() < 1e-9
        assert p["trained_distance"] == pytest.approx(np.linalg.norm(zero - X[m]), rel=1e-6, abs=1e-12)
        if readout_error:
            assert np.linalg.norm(zero - X[m]) > 1e-6  # off x_m: labelled by the Newton-Kantorovich radius


@pytest.mark.parametrize("extra, key", [({"lr": 0}, "lr"), ({"loop": "both"}, "loop"),
                                        ({"W_out": [[1.0, 2.0, 3.0]]}, "W_out"), ({"Wout": [[1.0]]}, "Wout")])
def test_bad_keys_name_the_key(rnndyn, write_model, extra, key):
    model = {"model": "esn", "W": [[0.5, 0.1], [0.0, 0.2]], "W_fb": [[1.0], [0.5]], "W_out": [[1.0, 0.0]]}
    path = write_model({**model, **extra})
    r = rnndyn("fixed-points", path)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and key in r.stderr, r.stderr
