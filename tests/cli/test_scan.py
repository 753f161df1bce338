"""End-to-end tests of `rnndyn scan` on the seed-002 E-I network with M_EE = w and tau_I free, and of
`rnndyn hopf-curve` and `rnndyn fold-curve`."""
import json
import math

from conftest import EXAMPLES, assert_one_line_error

EI = EXAMPLES / "ei_network.json"


def test_scan_counts_match_the_closed_form_hopf_curve(rnndyn):
    # One fixed point for 1 < w < 2, stable exactly for tau_I < 10 / (w - 1) (the trace of
    # diag(1/tau)(W - I); tests/test_parameter_scan.cpp derives it). No grid value lies on it.
    out = rnndyn("scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--x-steps", 6,
                 "--param-y", "tau[1]", "--y-from", 12, "--y-to", 72, "--y-steps", 7).json()
    assert out["status"] == "complete" and out["parameter_x"] == "W[0,0]" and out["parameter_y"] == "tau[1]"
    assert len(out["x_values"]) == 6 and len(out["y_values"]) == 7
    for j, tau_i in enumerate(out["y_values"]):
        for i, w in enumerate(out["x_values"]):
            assert out["n_fixed_points"][j][i] == 1
            assert out["n_stable"][j][i] == (1 if tau_i < 10 / (w - 1) else 0), (w, tau_i)
            assert out["n_stable"][j][i] + out["n_unstable"][j][i] == 1
    assert {m for row in out["method"] for m in row} <= {"brute", "arrangement", "level_set", "subdivision"}


def test_scan_bad_input_is_one_line_with_the_flag(rnndyn):
    base = ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--param-y", "tau[1]"]
    assert_one_line_error(rnndyn(*base, "--y-from", 0, "--y-to", 50), "--param-y", "domain")
    assert_one_line_error(rnndyn(*base, "--y-from", 10, "--y-to", 50, "--x-steps", 1), "--x-steps")
    assert_one_line_error(rnndyn(*base, "--y-from", 10, "--y-to", 10), "--y-to")


def test_hopf_curve_follows_tau_i_equals_10_over_w_minus_1(rnndyn):
    out = rnndyn("hopf-curve", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.8, "--param-y", "tau[1]",
                 "--y-from", 10, "--y-to", 90, "--start-x", 1.25, "--start-y", 30).json()
    assert out["status"] == "complete" and out["end_forward"] == "box" and out["end_backward"] == "box"
    for p in out["points"]:
        assert abs(p["py"] - 10 / (p["px"] - 1)) < 1e-7 * p["py"]
    ws = [p["px"] for p in out["points"]]
    assert min(ws) < 1.13 and max(ws) > 1.77  # from tau_I = 90 to w = 1.8


def test_hopf_curve_without_a_hopf_point_is_one_line(rnndyn):
    # J does not depend on b[0] where both units are on: no Hopf point along it.
    result = rnndyn("hopf-curve", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.8, "--param-y", "b[0]",
                    "--y-from", 5, "--y-to", 15, "--start-x", 1.25, "--start-y", 10)
    assert_one_line_error(result, "--start-y", "no Hopf point")


def test_fold_curve_of_a_tanh_unit_is_the_closed_form_cusp(rnndyn, tmp_path):
    # dx/dt = -x + w tanh(x) + b folds where w sech^2(x) = 1, at b = x - w tanh(x) (the cusp at
    # w = 1, b = 0); tests/test_hopf_curve.cpp derives it.
    model = tmp_path / "tanh_unit.json"
    model.write_text(json.dumps({"model": "rate", "form": "current", "activation": "tanh", "tau": [1.0],
                                 "W": [[2.0]], "b": [0.0]}))
    out = rnndyn("fold-curve", model, "--param-x", "W[0,0]", "--x-from", 0.5, "--x-to", 3, "--param-y", "b[0]",
                 "--y-from", -1.5, "--y-to", 1.5, "--start-x", 2, "--start-y", 0.1).json()
    assert out["kind"] == "fold" and out["status"] == "complete" and len(out["points"]) > 20
    for p in out["points"]:
        w, b, x = p["px"], p["py"], p["x"][0]
        assert abs(w / math.cosh(x) ** 2 - 1) < 1e-8 and abs(b - (x - w * math.tanh(x))) < 1e-10
    assert min(p["py"] for p in out["points"]) < -1 and max(p["py"] for p in out["points"]) > 1  # both branches
    assert_one_line_error(rnndyn("fold-curve", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.8,
                                 "--param-y", "tau[1]", "--y-from", 10, "--y-to", 90, "--start-x", 1.25,
                                 "--start-y", 30), "piecewise-linear")


def test_border_curve_of_the_ei_network_is_the_closed_form(rnndyn):
    # 1.3 s of CPU in Release (most of it parsing parameter names on every evaluation, a known cost);
    # the sanitizer build at -O0 on a loaded 2-core machine took over 300 s, hence the longer limit.
    out = rnndyn("border-curve", EI, "--param-x", "W[0,0]", "--x-from", 0, "--x-to", 0.9, "--param-y", "b[1]",
                 "--y-from", -120, "--y-to", -5, "--start-x", 0.5, "--start-y", -15, timeout=1200).json()
    assert out["kind"] == "border_collision" and out["status"] == "complete"
    for p in out["points"]:
        assert abs(p["py"] + 10 / (1 - p["px"])) <= 1e-8 * abs(p["py"])
    assert_one_line_error(rnndyn("border-curve", EXAMPLES / "tanh_cusp.json", "--param-x", "W[0,0]", "--x-from", 0.5,
                                 "--x-to", 3, "--param-y", "b[0]", "--y-from", -1, "--y-to", 1, "--start-x", 2,
                                 "--start-y", 0), "piecewise-linear")


def test_scan_of_a_map_counts_two_cycles_as_the_closed_form(rnndyn, write_model):
    # x' = alpha x + w relu(x) + 1, beta = alpha + w: a 2-cycle x_L = (1 + beta) / (1 - alpha beta) < 0
    # < x_R = (1 + alpha) / (1 - alpha beta), multiplier alpha beta (tests/test_map_cycles.cpp).
    model = write_model({"model": "plrnn", "A": [0.0], "W": [[-1.0]], "h": [1.0]})
    out = rnndyn("scan", model, "--param-x", "A[0,0]", "--x-from", -0.9, "--x-to", 0.9, "--x-steps", 9,
                 "--param-y", "W[0,0]", "--y-from", -3, "--y-to", 0, "--y-steps", 11, "--max-period", 3).json()
    assert out["cycles_counted"] is True and out["status"] == "complete" and out["options"]["max_period"] == 3
    assert set(out["n_cycles_by_period"]) == {"2", "3"}
    for j, w in enumerate(out["y_values"]):
        for i, alpha in enumerate(out["x_values"]):
            beta = alpha + w
            det = 1 - alpha * beta
            exists = (1 + beta) / det < 0 < (1 + alpha) / det
            assert out["n_cycles_by_period"]["2"][j][i] == int(exists), (alpha, beta)
            assert out["n_cycles"][j][i] == out["n_cycles_by_period"]["2"][j][i] + out["n_cycles_by_period"]["3"][j][i]


def test_scan_of_a_flow_says_cycles_are_not_counted(rnndyn):
    out = rnndyn("scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--x-steps", 2,
                 "--param-y", "tau[1]", "--y-from", 12, "--y-to", 72, "--y-steps", 2).json()
    assert out["cycles_counted"] is False and "flow" in out["cycles_note"] and "n_cycles" not in out
    base = ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--param-y", "tau[1]"]
    assert_one_line_error(rnndyn(*base, "--y-from", 10, "--y-to", 50, "--max-period", 0), "--max-period")
