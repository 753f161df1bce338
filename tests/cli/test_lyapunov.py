"""End-to-end tests of `rnndyn lyapunov`."""
from conftest import EXAMPLES, assert_one_line_error


def test_lyapunov_of_linear_network_matches_eigenvalues(rnndyn, write_model):
    # dx/dt = -x + W x with W - I = diag(-0.5, -2): exponents -0.5 and -2 exactly.
    model = write_model({"model": "rate", "form": "current", "activation": "linear",
                         "W": [[0.5, 0.3], [0, -1]], "b": [0, 0], "tau": 1, "x0": [1, 1]})
    out = rnndyn("lyapunov", model, "--t", 500, "--warmup", 0).json()
    assert out["status"] == "ok"
    (l1, l2) = out["exponents"]
    assert abs(l1 + 0.5) < 5e-3 and abs(l2 + 2) < 5e-3
    assert abs(out["sum"] + 2.5) < 1e-6
    assert len(out["block_estimates"][0]) == 10
    assert out["ci_low"][0] <= l1 <= out["ci_high"][0]


def test_lyapunov_limit_cycle_has_zero_exponent(rnndyn):
    out = rnndyn("lyapunov", EXAMPLES / "ei_network_limit_cycle.json", "--t", 20000, "--warmup", 2000,
                 "--interval", 10, "--k", 1).json()
    assert len(out["exponents"]) == 1 and abs(out["exponents"][0]) < 1e-3


def test_lyapunov_rk4_matches_dopri5_on_line_attractor(rnndyn):
    model = EXAMPLES / "line_attractor_unbounded.json"
    a = rnndyn("lyapunov", model, "--x0", "1,0.5", "--t", 1000).json()
    b = rnndyn("lyapunov", model, "--x0", "1,0.5", "--t", 1000, "--integrator", "rk4", "--dt", 0.05).json()
    for x, y in zip(a["exponents"], b["exponents"]):
        assert abs(x - y) < 1e-3
    assert abs(a["exponents"][0]) < 2e-3 and abs(a["exponents"][1] + 2) < 2e-3


def test_lyapunov_k_too_large_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("lyapunov", EXAMPLES / "ei_network.json", "--k", 3), "--k")


def test_lyapunov_bad_integrator_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("lyapunov", EXAMPLES / "ei_network.json", "--integrator", "euler"), "--integrator")


def test_lyapunov_interval_longer_than_t_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("lyapunov", EXAMPLES / "ei_network.json", "--t", 5, "--interval", 10), "interval")
