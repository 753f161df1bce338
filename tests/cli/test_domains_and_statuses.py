"""Parameter domains and honest statuses end to end: a time constant is never set to <= 0 (an
error for --set and for a continuation start, status domain_boundary for a branch heading past
0), and a mean-field theory without a finite variance says so instead of printing 1e300."""
from conftest import EXAMPLES, assert_one_line_error

EI = EXAMPLES / "ei_network.json"


def test_set_refuses_a_time_constant_at_or_below_zero(rnndyn):
    for value in ("0", "-3"):
        assert_one_line_error(rnndyn("linearize", EI, "--at", "26.666666666666668,16.666666666666668", "--set",
                                     f"tau[0]={value}"), "--set: ", "tau[0]", "> 0")


def test_continuation_stops_at_the_edge_of_the_domain(rnndyn):
    out = rnndyn("continue", EI, "--param", "tau[1]", "--from", 1, "--to", -1).json()
    (branch,) = out["branches"]
    assert branch["status"] == "domain_boundary"
    assert all(point["p"] > 0 for point in branch["points"])
    assert branch["points"][-1]["p"] < 0.05
    assert_one_line_error(rnndyn("continue", EI, "--param", "tau[1]", "--from", -1, "--to", 1), "--from: ",
                          "domain")


def test_mean_field_divergence_is_a_status_with_a_message(rnndyn):
    out = rnndyn("mft", "--activation", "relu", "--threshold", "0", "--g", "3").json()
    assert out["status"] == "diverged"
    assert "sqrt(2)" in out["message"]
    assert out["levels"] == []
    ok = rnndyn("mft", "--activation", "relu", "--threshold", "0", "--g", "1.3").json()
    assert ok["status"] == "converged" and "message" not in ok
    assert len(ok["levels"]) == 1
