"""rnndyn fixed-points MODEL --cycles K: exact k-cycles of discrete piecewise-linear maps."""
import pytest

from conftest import EXAMPLES, assert_one_line_error

# z' = 0.5 z - 2 relu(z) + 1: one 2-cycle, -2/7 <-> 6/7 (multiplier 0.5 * -1.5 = -0.75), and the
# fixed point 0.4 (period 1, not a 2-cycle).
PLRNN_1D = {"model": "plrnn", "A": [0.5], "W": [[-2.0]], "theta": [0.0], "h": [1.0]}


def test_two_cycle_of_a_one_dimensional_plrnn(rnndyn, write_model):
    r = rnndyn("fixed-points", write_model(PLRNN_1D), "--cycles", "2")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["period"] == 2 and j["status"] == "complete"
    assert j["model"] == "plrnn" and j["time"] == "discrete"
    assert j["regions"] == 2 and j["tuples_examined"] == 3 and j["degenerate_tuples"] == 0
    assert len(j["cycles"]) == 1
    c = j["cycles"][0]
    assert c["period"] == 2
    assert c["points"] == [pytest.approx([-2 / 7], abs=1e-14), pytest.approx([6 / 7], abs=1e-14)]
    assert c["patterns"] == [[0], [1]]
    assert c["multipliers"] == [pytest.approx([-0.75, 0.0], abs=1e-14)]
    assert c["stability"] == "stable node"
    assert c["residual"] <= 1e-15
    assert j["continua"] == []


def test_cycles_one_is_the_fixed_point_search(rnndyn, write_model):
    j = rnndyn("fixed-points", write_model(PLRNN_1D), "--cycles", "1").json()
    assert "fixed_points" in j and "cycles" not in j
    assert [p["x"] for p in j["fixed_points"]] == [pytest.approx([0.4], abs=1e-14)]


def test_shallow_plrnn_example_cycles_are_periodic(rnndyn):
    j = rnndyn("fixed-points", EXAMPLES / "shplrnn_r2_n12.json", "--cycles", "3").json()
    assert j["regions"] == 79 and j["status"] == "complete"
    for c in j["cycles"]:
        assert len(c["points"]) == 3 and c["residual"] <= 1e-9


def test_bad_period(rnndyn, write_model):
    assert_one_line_error(rnndyn("fixed-points", write_model(PLRNN_1D), "--cycles", "0"), "--cycles")


def test_flow_is_refused(rnndyn, write_model):
    path = write_model(dict(PLRNN_1D, time="continuous"))
    assert_one_line_error(rnndyn("fixed-points", path, "--cycles", "2"), "--cycles", "discrete-time")


def test_size_limit_and_force(rnndyn, write_model):
    path = write_model(PLRNN_1D)
    assert_one_line_error(rnndyn("fixed-points", path, "--cycles", "3", "--max-tuples", "2"), "max_tuples")
    r = rnndyn("fixed-points", path, "--cycles", "3", "--max-tuples", "2", "--force")
    assert r.returncode == 0, r.stderr
    assert r.json()["tuples_examined"] == 4  # necklaces of length 3 over 2 regions
