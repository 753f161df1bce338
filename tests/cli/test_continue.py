"""End-to-end tests of `rnndyn continue` and `rnndyn limit-cycle` on the seed-002 E-I network."""
import math

import pytest

from conftest import EXAMPLES, assert_one_line_error

EI = EXAMPLES / "ei_network.json"
EI_CYCLE = EXAMPLES / "ei_network_limit_cycle.json"


def test_continue_finds_hopf_of_ei_network_at_tau_i_40(rnndyn):
    out = rnndyn("continue", EI, "--param", "tau[1]", "--from", 20, "--to", 60).json()
    assert out["parameter"] == "tau[1]"
    (branch,) = out["branches"]
    assert branch["status"] == "reached"
    assert branch["points"][0]["p"] == 20 and branch["points"][-1]["p"] == 60
    for point in branch["points"]:
        assert abs(point["x"][0] - 80 / 3) < 1e-9 and abs(point["x"][1] - 50 / 3) < 1e-9
        # trace of J = 0.025 - 1/tau_I: both eigenvalues have real part trace / 2.
        assert abs(point["eigenvalues"][0][0] - (0.025 - 1 / point["p"]) / 2) < 1e-12
    (hopf,) = out["bifurcations"]
    assert hopf["type"] == "hopf"
    assert abs(hopf["parameter"] - 40) < 1e-8
    assert abs(hopf["omega"] - math.sqrt(0.075 / 40)) < 1e-10


def test_continue_reports_border_collision(rnndyn, write_model):
    # dx/dt = -x + 0.5 relu(x - 1) + b: x = b up to the border x = 1 at b = 1.
    model = write_model({"model": "rate", "form": "current", "activation": "relu", "threshold": 1,
                         "W": [[0.5]], "b": [0], "tau": 1})
    out = rnndyn("continue", model, "--param", "b[0]", "--from", -1, "--to", 3, "--start", "0").json()
    (bc,) = [b for b in out["bifurcations"] if b["type"] == "border_collision"]
    assert abs(bc["parameter"] - 1) < 1e-10 and abs(bc["x"][0] - 1) < 1e-10 and bc["unit"] == 0
    assert abs(out["branches"][0]["points"][-1]["x"][0] - 5) < 1e-10


def test_continue_all_fixed_points_starts_one_branch_per_fixed_point(rnndyn, write_model):
    # Bistable relu pair (mutual inhibition): three fixed points at b = 1.
    model = write_model({"model": "rate", "form": "rate", "activation": "relu",
                         "W": [[0, -2], [-2, 0]], "b": [1, 1], "tau": 1})
    out = rnndyn("continue", model, "--param", "b[0]", "--from", 1, "--to", 1.5, "--all-fixed-points").json()
    assert len(out["branches"]) == 3


def test_limit_cycle_of_ei_network_at_tau_i_50(rnndyn):
    out = rnndyn("limit-cycle", EI_CYCLE).json()
    assert out["status"] == "found"
    assert out["period"] > 0 and out["amplitude"][0] > 1
    assert out["trivial_multiplier_error"] < 1e-5
    moduli = sorted(math.hypot(*z) for z in out["floquet_multipliers"])
    assert moduli[0] < 1


def test_limit_cycle_damped_at_tau_i_30(rnndyn):
    out = rnndyn("limit-cycle", EI).json()
    assert out["status"] == "damped_oscillation"
    assert 0 < out["decay_per_period"] < 1


def test_continue_unknown_parameter_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("continue", EI, "--param", "tau[7]", "--from", 20, "--to", 60), "tau")


def test_continue_equal_bounds_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("continue", EI, "--param", "tau[1]", "--from", 20, "--to", 20), "to")


def test_continue_bad_start_is_one_line_error(rnndyn):
    assert_one_line_error(
        rnndyn("continue", EI, "--param", "tau[1]", "--from", 20, "--to", 60, "--start", "1,2,3"), "--start")


def test_continue_all_fixed_points_of_a_smooth_model(rnndyn, write_model):
    # dx/dt = -x + 2 tanh(x) + b at b = 0: x in {0, +-r}, r = 2 tanh(r) = 1.9150 (closed form by
    # bisection); the numeric finder supplies the starts for a smooth model, one branch each.
    lo, hi = 1.0, 2.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if 2 * math.tanh(mid) > mid else (lo, mid)
    model = write_model({"model": "rate", "form": "current", "activation": "tanh", "W": [[2]], "b": [0], "tau": 1})
    r = rnndyn("continue", model, "--param", "b[0]", "--from", 0, "--to", 0.1, "--all-fixed-points")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["start_source"] == "fixed_points"
    starts = sorted(b["points"][0]["x"][0] for b in j["branches"])
    assert starts == pytest.approx([-lo, 0.0, lo], abs=1e-9)


def test_continue_without_any_fixed_point_is_one_line_error(rnndyn, write_model):
    # tau dv/dt = -v + M v + h with M = 1 is dv/dt = h = 1: no fixed point to start a branch from.
    model = write_model({"model": "linear", "M": [[1.0]], "h": [1.0], "tau": 1})
    assert_one_line_error(rnndyn("continue", model, "--param", "h[0]", "--from", 1, "--to", 2), "--start")


def test_limit_cycle_of_a_map_is_one_line_error(rnndyn, write_model):
    model = write_model({"model": "plrnn", "time": "map", "A": [0.5], "W": [[0]], "h": [1], "theta": [0]})
    assert_one_line_error(rnndyn("limit-cycle", model), "model")
