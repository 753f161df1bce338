"""End-to-end tests of `rnndyn continue-cycles` (limit-cycle branches) on the seed-002 E-I
network, and of the default starts of `rnndyn continue` (issue 14, item 1)."""
import json

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
