"""End-to-end tests of `rnndyn perturb` on the seed-000 bounded line attractor."""
from conftest import EXAMPLES, assert_one_line_error

BOUNDED = EXAMPLES / "line_attractor_bounded.json"


def test_perturb_given_epsilon_three_fixed_points(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_eq9_three_fixed_points.json").json()
    assert out["samples"] == 1 and out["types"]["three_fixed_points"]["count"] == 1
    (s,) = out["sample_list"]
    assert sorted(p["stability"] for p in s["fixed_points"]) == ["saddle", "stable node", "stable node"]
    assert s["theorem1_derived"] == "three_fixed_points"


def test_perturb_shifted_line_and_bias(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_shifted_line.json").json()
    assert list(out["types"]) == ["line"]
    out = rnndyn("perturb", BOUNDED, "--bias", "--epsilon", EXAMPLES / "perturb_eq10_bias.json").json()
    assert list(out["types"]) == ["single_boundary_point"]


def test_perturb_random_shares_and_theorem_check(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--samples", 400, "--scale", 0.05, "--seed", 2, "--keep", 3).json()
    assert out["samples"] == 400 and len(out["sample_list"]) == 3
    assert abs(sum(t["share"] for t in out["types"].values()) - 1) < 1e-12
    for t in out["types"].values():
        assert t["ci_low"] <= t["share"] <= t["ci_high"]
    three = out["types"]["three_fixed_points"]
    assert three["ci_low"] <= 0.25 <= three["ci_high"]
    assert out["three_fixed_points_share"] == three["share"]
    assert out["theorem1"]["derived_mismatches"] == 0


def test_perturb_wrong_epsilon_shape_is_one_line_error(rnndyn, tmp_path):
    bad = tmp_path / "eps.json"
    bad.write_text("[[1, 2, 3]]")
    assert_one_line_error(rnndyn("perturb", BOUNDED, "--epsilon", bad), "epsilon")


def test_perturb_smooth_model_is_one_line_error(rnndyn, write_model):
    model = write_model({"model": "rate", "form": "rate", "activation": "tanh", "W": [[1]], "b": [0], "tau": 1})
    assert_one_line_error(rnndyn("perturb", model), "piecewise-linear")


def test_perturb_bad_scale_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("perturb", BOUNDED, "--scale", -1), "scale")
