"""rnndyn fixed-points on piecewise-linear models: exact enumeration, continua, bad input."""
import json

import numpy as np

import pytest

from conftest import EXAMPLES, assert_one_line_error


def test_bounded_line_attractor_is_one_segment(rnndyn):
    r = rnndyn("fixed-points", EXAMPLES / "line_attractor_bounded.json")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["fixed_points"] == []
    assert len(j["continua"]) == 1
    c = j["continua"][0]
    assert c["shape"] == "segment"
    ends = sorted(tuple(v) for v in c["vertices"])
    assert ends[0] == pytest.approx((0.0, 1.0), abs=1e-12)
    assert ends[1] == pytest.approx((1.0, 0.0), abs=1e-12)


def test_unbounded_line_attractor_is_a_ray(rnndyn):
    j = rnndyn("fixed-points", EXAMPLES / "line_attractor_unbounded.json").json()
    assert [c["shape"] for c in j["continua"]] == ["ray"]
    assert j["continua"][0]["vertices"][0] == pytest.approx([0.0, 0.0], abs=1e-12)


@pytest.mark.parametrize("method", ["auto", "brute", "arrangement"])
def test_methods_agree_on_shallow_plrnn(rnndyn, method):
    j = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--method", method).json()
    ref = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--method", "brute").json()
    assert len(j["fixed_points"]) == len(ref["fixed_points"]) >= 1
    for p, q in zip(j["fixed_points"], ref["fixed_points"]):
        assert p["x"] == pytest.approx(q["x"], abs=1e-10)
        assert p["relative_residual"] <= 1e-9
        assert len(p["eigenvalues"]) == 2 and all(len(e) == 2 for e in p["eigenvalues"])
        assert p["stability"] in ("stable node", "stable focus", "saddle", "unstable node", "unstable focus",
                                  "non-hyperbolic")
    if method != "brute":
        assert j["regions_visited"] == 1 + 12 + 66  # sum_{r<=2} C(12, r)
        assert j["method"] == "arrangement"


def test_output_file(rnndyn, tmp_path):
    out = tmp_path / "fp.json"
    r = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "-o", out)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["model"] == "shplrnn"


def test_bad_method(rnndyn):
    assert_one_line_error(rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--method", "fast"), "--method")


def test_bad_tolerance(rnndyn):
    assert_one_line_error(
        rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--region-tol", "-1"), "--region-tol")


def test_brute_force_refused_above_limit(rnndyn):
    r = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--method", "brute", "--brute-max-log2", "8")
    assert_one_line_error(r, "method", "brute force")
    r = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--method", "brute", "--brute-max-log2", "8",
               "--force")
    assert r.returncode == 0 and r.json()["regions_visited"] == 4096


def test_exact_method_on_smooth_model_is_refused(rnndyn, write_model):
    path = write_model({"model": "rate", "form": "current", "activation": "tanh", "tau": 1,
                        "W": [[0.5, 0], [0, 0.5]], "b": [0, 0]})
    assert_one_line_error(rnndyn("fixed-points", path, "--method", "arrangement"), "--method", "piecewise-linear")


def test_missing_model_file(rnndyn, tmp_path):
    r = rnndyn("fixed-points", tmp_path / "nope.json")
    assert r.returncode == 2 and r.stdout == ""


def test_hardtanh_rate_model_degenerate_arrangement(rnndyn, write_model):
    # Parallel hyperplanes (two kinks per unit): the vertex expansion, checked against brute force.
    model = {"model": "rate", "form": "current", "activation": "hardtanh", "tau": 1,
             "W": [[2.0, -0.5, 0.3], [0.4, 1.8, -0.2], [0.1, 0.3, 1.6]], "b": [0.1, -0.2, 0.05]}
    path = write_model(model)
    a = rnndyn("fixed-points", path, "--method", "arrangement").json()
    b = rnndyn("fixed-points", path, "--method", "brute").json()
    assert a["generic"] is False
    assert b["regions_visited"] == 27
    assert len(a["fixed_points"]) == len(b["fixed_points"])
    for p, q in zip(a["fixed_points"], b["fixed_points"]):
        assert p["x"] == pytest.approx(q["x"], abs=1e-10)
    assert len(a["fixed_points"]) >= 2


def test_a_square_of_fixed_points_is_one_polygon(rnndyn, write_model):
    """dx/dt = -x + hardtanh(x) (W = I): every point of [-1, 1]^2 is a fixed point (closed form:
    -x_i + clip(x_i, -1, 1) = 0 iff |x_i| <= 1), and no other. The middle region holds the square
    as one bounded 2-D continuum whose vertices are the four corners (to 1e-14); each edge is also
    a segment of the outer region next to it (the closed regions share it)."""
    model = write_model({"model": "rate", "activation": "hardtanh", "W": [[1, 0], [0, 1]]})
    j = rnndyn("fixed-points", model).json()
    assert j["status"] == "complete" and j["fixed_points"] == []
    squares = [c for c in j["continua"] if c["dimension"] == 2]
    assert len(squares) == 1 and squares[0]["shape"] == "polygon" and squares[0]["bounded"]
    corners = sorted(tuple(np.round(v, 6)) for v in squares[0]["vertices"])
    assert corners == [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)]
    assert np.abs(np.abs(np.array(squares[0]["vertices"])) - 1.0).max() < 1e-14
    edges = [c for c in j["continua"] if c["dimension"] == 1]
    assert len(edges) == 4 and all(c["shape"] == "segment" for c in edges)
    for c in edges:  # each lies on the square's boundary: one coordinate at +-1 at both ends
        v = np.array(c["vertices"])
        assert np.any(np.all(np.abs(np.abs(v) - 1.0) < 1e-9, axis=0))
