"""rnndyn fixed-points on a low-rank ReLU rate network given as factors W = U V^T: the latent
search (sum_{r<=R} C(N, r) regions) against the same network written with a dense W and searched
in its N-dimensional state space (2^N patterns), an independent enumeration."""
import numpy as np
import pytest

from conftest import EXAMPLES, assert_one_line_error


def low_rank_model(rng, n, r, form):
    u = rng.normal(size=(n, r))
    v = rng.normal(size=(n, r)) * 2.0 / n
    return {"model": "rate", "form": form, "activation": "relu", "tau": list(rng.uniform(0.5, 2.0, n)),
            "U": u.tolist(), "V": v.tolist(), "b": list(rng.normal(size=n)), "g": 1.3}


@pytest.mark.parametrize("form", ["current", "rate"])
def test_latent_search_matches_dense_state_space(rnndyn, write_model, form):
    rng = np.random.default_rng(7)
    n, r = 13, 2
    total = 0
    for trial in range(4):
        m = low_rank_model(rng, n, r, form)
        dense = dict(m)
        dense["W"] = (np.array(m["U"]) @ np.array(m["V"]).T).tolist()
        del dense["U"], dense["V"]
        j = rnndyn("fixed-points", write_model(m, f"lr{trial}.json")).json()
        ref = rnndyn("fixed-points", write_model(dense, f"dense{trial}.json"), "--method", "brute").json()
        assert j["latent_dimension"] == r
        assert j["regions_visited"] == 1 + n + n * (n - 1) // 2  # sum_{r<=2} C(13, r)
        assert ref["regions_visited"] == 2 ** n
        assert len(j["fixed_points"]) == len(ref["fixed_points"])
        for p, q in zip(j["fixed_points"], ref["fixed_points"]):
            assert p["x"] == pytest.approx(q["x"], abs=1e-9)
            assert p["pattern"] == q["pattern"]
            assert p["stability"] == q["stability"]
            assert len(p["eigenvalues"]) == n
        total += len(j["fixed_points"])
    assert total >= 3  # not vacuous


def test_bundled_low_rank_example(rnndyn):
    n = 400
    walk = rnndyn("fixed-points", EXAMPLES / "low_rank_relu_rate.json", "--method", "arrangement").json()
    assert walk["latent_dimension"] == 2
    assert walk["regions_visited"] == 1 + n + n * (n - 1) // 2
    # auto: the box subdivision (R = 2, 400 hyperplanes) solves far fewer regions, same points
    j = rnndyn("fixed-points", EXAMPLES / "low_rank_relu_rate.json").json()
    assert j["algorithm"] == "subdivision"
    assert j["regions_visited"] < walk["regions_visited"] / 10
    assert len(j["fixed_points"]) == len(walk["fixed_points"]) >= 2
    for p, q in zip(j["fixed_points"], walk["fixed_points"]):
        assert p["x"] == pytest.approx(q["x"], abs=1e-9)
        assert p["relative_residual"] <= 1e-12


def test_factors_and_dense_w_together_rejected(rnndyn, write_model):
    m = {"model": "rate", "activation": "relu", "U": [[1], [1]], "V": [[0.5], [0.5]], "W": [[0, 0], [0, 0]]}
    assert_one_line_error(rnndyn("fixed-points", write_model(m)), "W", "factors")


def test_factor_shape_mismatch_rejected(rnndyn, write_model):
    m = {"model": "rate", "activation": "relu", "U": [[1], [1]], "V": [[0.5], [0.5], [1.0]]}
    assert_one_line_error(rnndyn("fixed-points", write_model(m)), "V")
