"""End-to-end tests of `rnndyn continue-cycles` (limit-cycle branches) on the seed-002 E-I
network, and of the default starts of `rnndyn continue` (issue 14, item 1)."""
import json

import pytest

from conftest import EXAMPLES, assert_one_line_error

EI = EXAMPLES / "ei_network.json"


def test_continue_cycles_from_the_hopf_point_json_shape(rnndyn):
    r = rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60)
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["parameter"] == "tau[1]" and j["from"] == 20 and j["to"] == 60
    assert abs(j["hopf_points"][0] - 40) < 1e-6 and j["message"] == ""
    (branch,) = j["branches"]
    assert branch["status"] == "reached" and branch["source"] == "hopf"
    assert abs(branch["source_p"] - 40) < 1e-6 and branch["start_status"] == "found"
    point = branch["points"][0]
    assert set(point) == {"p", "period", "x", "floquet_multipliers", "trivial_multiplier_error", "stable",
                          "x_min", "x_max", "residual"}
    assert len(point["x"]) == 2 and len(point["floquet_multipliers"]) == 2 and point["stable"] is True
    assert branch["points"][-1]["p"] == 60
    assert j["bifurcations"] == []
    assert {"model", "time", "elapsed_seconds", "options"} <= set(j)
    assert j["options"]["search"]["transient"] == 2000


def test_continue_cycles_without_a_cycle_says_so_on_stderr(rnndyn):
    # No Hopf point on 20..35 ms and a stable focus: the file's x0 leads to no cycle.
    r = rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 35)
    assert r.returncode == 0, r.stderr
    assert r.json()["branches"][0]["status"] == "start_not_found"
    assert "rnndyn: warning: no cycle found" in r.stderr


def test_continue_cycles_bad_flags_are_one_line_errors(rnndyn):
    assert_one_line_error(rnndyn("continue-cycles", EI, "--param", "tau[7]", "--from", 20, "--to", 60), "tau")
    assert_one_line_error(rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 0, "--to", 60), "--from")
    assert_one_line_error(
        rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60, "--start", "1,2,3"), "--start")
    assert_one_line_error(
        rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60, "--transient", -1),
        "--transient")
    assert_one_line_error(
        rnndyn("continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60, "--samples", 3), "--samples")


def test_continue_default_starts_without_x0(rnndyn, write_model):
    spec = json.loads(EI.read_text())
    spec.pop("x0")
    r = rnndyn("continue", write_model(spec), "--param", "tau[1]", "--from", 20, "--to", 60)
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["start_source"] == "fixed_points"
    (branch,) = j["branches"]
    assert branch["status"] == "reached" and len(branch["points"]) > 1
    assert [b["type"] for b in j["bifurcations"]] == ["hopf"]


def test_continue_start_that_does_not_converge_is_on_stderr(rnndyn, write_model):
    # tau dv/dt = -v + M v + h with M = 1 is dv/dt = h = 1: Newton from any start fails.
    model = write_model({"model": "linear", "M": [[1.0]], "h": [1.0], "tau": 1})
    r = rnndyn("continue", model, "--param", "h[0]", "--from", 1, "--to", 2, "--start", "0")
    assert r.returncode == 0, r.stderr
    assert r.json()["branches"][0]["status"] == "start_not_converged"
    assert "rnndyn: warning: start 0 did not converge" in r.stderr


# f(x) = h + 0.5 x - 2 relu(x) - relu(x - 1): the 2-cycle (-2h/7, 6h/7), multiplier -0.75, reaches
# the kink x = 1 at h = 7/6 and goes on as ((1 - 1.5 h) / 2.25, (3h + 1) / 4.5), multiplier -1.25
# (derived in tests/test_map_cycles.cpp).
TWO_KINK_MAP = {"model": "shplrnn", "A": [0.5], "W1": [[-2.0, -1.0]], "W2": [[1.0], [1.0]], "h1": [0.2],
                "h2": [0.0, -1.0]}


def test_continue_cycles_of_a_piecewise_linear_map(rnndyn, write_model):
    model = write_model(TWO_KINK_MAP)
    r = rnndyn("continue-cycles", model, "--param", "h1[0]", "--from", 0.2, "--to", 2, "--map-period", 2)
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["message"] == "" and j["options"]["map_period"] == 2 and j["time"] == "discrete"
    (branch,) = j["branches"]
    assert branch["status"] == "reached" and branch["source"] == "k_cycle" and branch["start_status"] == "complete"
    point = branch["points"][0]
    assert set(point) == {"p", "period", "x", "floquet_multipliers", "trivial_multiplier_error", "stable",
                          "x_min", "x_max", "residual", "points", "on_border"}
    assert point["period"] == 2 and point["trivial_multiplier_error"] is None and len(point["points"]) == 2
    lo, hi = sorted(z[0] for z in point["points"])
    assert lo == pytest.approx(-0.4 / 7, abs=1e-12) and hi == pytest.approx(1.2 / 7, abs=1e-12)
    assert point["floquet_multipliers"] == [[pytest.approx(-0.75, abs=1e-12), 0.0]] and point["stable"] is True
    assert sum(pt["on_border"] for pt in branch["points"]) == 1
    (bc,) = j["bifurcations"]
    assert bc["type"] == "border_collision" and abs(bc["parameter"] - 7 / 6) < 1e-10
    assert (bc["unit"], bc["breakpoint"]) == (1, 0) and abs(bc["points"][bc["cycle_point"]][0] - 1) < 1e-10
    assert branch["points"][-1]["stable"] is False and branch["points"][-1]["p"] == 2


def test_continue_cycles_of_a_map_without_a_cycle_says_so(rnndyn, write_model):
    spec = dict(TWO_KINK_MAP, W1=[[0.0, -1.0]])  # slopes 0.5, 0.5, -0.5: no 2-cycle at h = 0.2
    r = rnndyn("continue-cycles", write_model(spec), "--param", "h1[0]", "--from", 0.2, "--to", 1)
    assert r.returncode == 0, r.stderr
    assert r.json()["branches"] == []
    assert "rnndyn: warning: no cycle of minimal period 2" in r.stderr


def test_continue_cycles_map_period_is_checked(rnndyn, write_model):
    model = write_model(TWO_KINK_MAP)
    assert_one_line_error(
        rnndyn("continue-cycles", model, "--param", "h1[0]", "--from", 0.2, "--to", 2, "--map-period", 1),
        "--map-period")
