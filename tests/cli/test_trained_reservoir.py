"""Issue 19: a trained reservoir's analyses start at its first trained state; fixed-point searches
start at the trained states and label them; Lyapunov spectra come sorted with unresolved pairs."""
import json

import numpy as np
import pytest
from conftest import scale

# Seed 003 Fig. 1A at a test size: tanh, g = 1.5 (chaotic without feedback; the origin of the
# closed loop is unstable), trained to A = 1 and -1.
MODEL = {"model": "reservoir", "N": 150, "g": 1.5, "seed": 2, "feedback": "uniform", "targets": [1.0, -1.0]}


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "reservoir.json"
    path.write_text(json.dumps(MODEL))
    return str(path)


def test_linearize_defaults_to_the_first_trained_state(rnndyn, model_file):
    j = rnndyn("linearize", model_file).json()
    x = np.array(j["x"])
    # A trained state is a fixed point of the closed loop (eq. 1 = eq. 3 where the readout is exact).
    assert j["residual_norm"] <= 1e-9 * max(1.0, np.abs(x).max())
    assert np.linalg.norm(x) > 1.0  # not the origin
    zero = rnndyn("linearize", model_file, "--at", "zeros").json()
    assert zero["x"] == [0.0] * MODEL["N"]


def test_lyapunov_starts_at_the_trained_state_sorted(rnndyn, model_file):
    r = rnndyn("lyapunov", model_file, "--t", "40", "--warmup", "5", "--blocks", "4")
    assert r.returncode == 0, r.stderr
    j = r.json()
    x0 = np.array(j["x0"])
    at = np.array(rnndyn("linearize", model_file).json()["x"])
    assert np.array_equal(x0, at)
    e = j["exponents"]
    assert len(e) == 10  # the default count beyond dimension 10
    assert e == sorted(e, reverse=True)
    for i in j["unresolved"]:  # each listed pair's intervals overlap
        assert j["ci_low"][i] <= j["ci_high"][i + 1]
    for i in set(range(len(e) - 1)) - set(j["unresolved"]):
        assert j["ci_low"][i] > j["ci_high"][i + 1]
    z = rnndyn("lyapunov", model_file, "--x0", "zeros", "--t", "2", "--warmup", "0", "--blocks", "2", "--k", "2").json()
    assert z["x0"] == [0.0] * MODEL["N"]


def test_fixed_points_find_and_label_the_trained_states(rnndyn, model_file):
    j = rnndyn("fixed-points", model_file, "--method", "numeric", "--starts", "8").json()
    assert j["initial_states"]["n_trained"] == 2 and j["n_starts"] == 10
    labelled = sorted(p["trained_level"] for p in j["fixed_points"] if "trained_state" in p)
    assert labelled == [-1.0, 1.0]
    origins = [p for p in j["fixed_points"] if np.linalg.norm(p["x"]) <= 1e-6]
    assert len(origins) <= 1
    for p in j["fixed_points"]:
        assert p["error"] <= 1e-6 * max(1.0, np.linalg.norm(p["x"]))
        assert p["sigma_min"] <= p["sigma_max"]


@scale
def test_issue_19_reservoir_with_default_options(rnndyn, tmp_path):
    # The issue's network (seed 003 Fig. 1A, N = 400) with every default: the origin once (it was
    # reported seven times, 2e-6 to 2e-4 apart, when LM's q alone decided) and the trained point.
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"model": "reservoir", "N": 400, "g": 1.5, "seed": 2, "feedback": "uniform",
                                "targets": [1.0]}))
    j = rnndyn("fixed-points", str(path)).json()
    norms = [np.linalg.norm(p["x"]) for p in j["fixed_points"]]
    assert sum(n <= 1e-6 for n in norms) == 1
    trained = [p for p in j["fixed_points"] if p.get("trained_state") == 0]
    assert len(trained) == 1 and trained[0]["stability"] in ("stable node", "stable focus")
    origin = next(p for p, n in zip(j["fixed_points"], norms) if n <= 1e-6)
    assert origin["sigma_min"] < 1e-3  # DF has eigenvalues near 0 at the origin for g > 1
