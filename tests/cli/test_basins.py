"""End-to-end tests of `rnndyn basins`: seed 000's bounded line attractor perturbed to three fixed
points splits a box symmetric about the diagonal in half; bad flags are one-line errors."""
from conftest import EXAMPLES, assert_one_line_error

THREE = EXAMPLES / "line_attractor_bounded_three_points.json"


def test_basins_split_the_symmetric_box_in_half(rnndyn):
    out = rnndyn("-q", "basins", THREE, "--starts", 200, "--box", "0,2", "--seed", 3, "--map-resolution", 6).json()
    assert out["status"] == "complete" and out["n_starts"] == 200 and out["unsettled"]["count"] == 0
    assert len(out["fixed_points"]) == 3 and len(out["attractors"]) == 2
    for a in out["attractors"]:
        assert a["ci_low"] <= 0.5 <= a["ci_high"]
    # The label of every start is the side of the diagonal x1 = x2 it starts on.
    right = next(i for i, a in enumerate(out["attractors"]) if a["x"][0] > 0.5)
    for (x1, x2), label in zip(out["starts"], out["labels"]):
        assert (label == right) == (x1 > x2)
    (saddle,) = out["saddles"]
    assert abs(saddle["eigenvalue"] - 0.3) < 1e-10 and {saddle["plus"], saddle["minus"]} == {0, 1}
    assert out["graph"] == [{"a": 0, "b": 1, "saddles": [0]}]
    assert len(out["map"]["labels"]) == 36


def test_basins_bad_flags_are_one_line_errors(rnndyn):
    assert_one_line_error(rnndyn("basins", THREE, "--ball-fraction", 0.9), "--ball-fraction", "(0, 0.5]")
    assert_one_line_error(rnndyn("basins", THREE, "--starts", 0), "--starts")
    assert_one_line_error(rnndyn("basins", THREE, "--box", "2,0"), "--box")
    assert_one_line_error(rnndyn("basins", THREE, "--max-time", -1), "--max-time")
    assert_one_line_error(rnndyn("basins", EXAMPLES / "gru_flipflop.json", "--map-resolution", 4), "--map-resolution",
                          "2-D")


def test_sigint_stops_the_census_without_output(tmp_path):
    from test_cli_interrupt import interrupt_after  # the shared Ctrl-C check (exit 130, no output file)
    interrupt_after(["basins", EXAMPLES / "gru_flipflop.json", "--starts", 200000], tmp_path / "basins.json", "basins")
