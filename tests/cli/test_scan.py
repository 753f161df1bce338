"""End-to-end tests of `rnndyn scan` on the seed-002 E-I network with M_EE = w and tau_I free."""
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
    assert {m for row in out["method"] for m in row} <= {"brute", "arrangement", "level_set"}


def test_scan_bad_input_is_one_line_with_the_flag(rnndyn):
    base = ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--param-y", "tau[1]"]
    assert_one_line_error(rnndyn(*base, "--y-from", 0, "--y-to", 50), "--param-y", "domain")
    assert_one_line_error(rnndyn(*base, "--y-from", 10, "--y-to", 50, "--x-steps", 1), "--x-steps")
    assert_one_line_error(rnndyn(*base, "--y-from", 10, "--y-to", 10), "--y-to")
