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
    tuples = ("--cycle-method", "tuples")
    assert_one_line_error(rnndyn("fixed-points", path, "--cycles", "3", "--max-tuples", "2", *tuples), "max_tuples")
    r = rnndyn("fixed-points", path, "--cycles", "3", "--max-tuples", "2", "--force", *tuples)
    assert r.returncode == 0, r.stderr
    assert r.json()["tuples_examined"] == 4  # necklaces of length 3 over 2 regions
    assert r.json()["method"] == "tuples"


# A near-rotation z' = diag(a) z + W relu(z) + h whose orbits lock onto a stable 20-cycle.
ROTATION_2D = {"model": "plrnn", "A": [0.900447539444717, 0.9920629342558778],
               "W": [[0.0, -0.2473917062054029], [0.6815244448713578, 0.0]], "theta": [0.0, 0.0],
               "h": [0.10490272567820591, -0.2164943196908522]}


def test_pruned_search_is_the_default_and_equals_the_tuple_search(rnndyn, write_model):
    path = write_model(ROTATION_2D)
    pruned = rnndyn("fixed-points", path, "--cycles", "8").json()
    tuples = rnndyn("fixed-points", path, "--cycles", "8", "--cycle-method", "tuples").json()
    assert pruned["method"] == "pruned" and pruned["status"] == "complete" and pruned["stopped_by"] is None
    assert pruned["options"]["method"] == "pruned" and pruned["options"]["max_nodes"] == 10_000_000
    assert pruned["tuples_examined"] < tuples["tuples_examined"]
    assert [c["points"] for c in pruned["cycles"]] == [c["points"] for c in tuples["cycles"]]
    assert all(c["found_by"] == "exhaustive" for c in pruned["cycles"])
    j = rnndyn("fixed-points", path, "--cycles", "20").json()
    assert j["status"] == "complete" and any(c["stability"].startswith("stable") for c in j["cycles"])


def test_budget_and_heuristic(rnndyn, write_model):
    path = write_model(ROTATION_2D)
    r = rnndyn("fixed-points", path, "--cycles", "20", "--max-nodes", "50", "--no-heuristic")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["status"] == "incomplete" and j["stopped_by"] == "max_nodes" and j["unexplored_prefixes"] > 0
    assert j["heuristic_solves"] == 0 and "incomplete" in j["guarantee"]
    j = rnndyn("fixed-points", path, "--cycles", "20", "--cycle-method", "heuristic", "--heuristic-seed", "4").json()
    assert j["status"] == "sampled" and j["heuristic_solves"] > 0 and j["options"]["seed"] == 4
    assert j["cycles"] and all(c["found_by"] == "heuristic" for c in j["cycles"])
    assert_one_line_error(rnndyn("fixed-points", path, "--cycles", "3", "--cycle-method", "all"), "--cycle-method")
    assert_one_line_error(rnndyn("fixed-points", path, "--cycles", "3", "--max-nodes", "0"), "--max-nodes")
