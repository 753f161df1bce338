"""Command-line options no other test used (issue 20, item 5), each with an assertion that it had
its documented effect: the same run with and without the option, and the difference the --help
text promises."""
import json
import os
import signal
import subprocess
import threading
import time

import numpy as np
import pytest

from conftest import CLI, EXAMPLES

CUSP = EXAMPLES / "tanh_cusp.json"  # dx/dt = -x + 2 tanh(x): fixed points 0 and +-1.915
EI = EXAMPLES / "ei_network.json"
EI_CYCLE = EXAMPLES / "ei_network_limit_cycle.json"


def width(out, i=0):
    return out["ci_high"][i] - out["ci_low"][i]


# --- fixed-points, exact ------------------------------------------------------------------------

def test_dedup_tol_merges_two_points_either_side_of_a_kink(rnndyn, write_model):
    # x0 = 100; dx1/dt = -x1 + 2 relu(x1) - 1e-3: x1 = -1e-3 (stable) and +1e-3 (saddle), 2e-5 apart
    # relative to |x| = 100
    model = write_model({"model": "rate", "form": "current", "activation": "relu",
                         "W": [[0.0, 0.0], [0.0, 2.0]], "b": [100.0, -1e-3]})
    two = rnndyn("-q", "fixed-points", model).json()
    assert sorted(p["x"][1] for p in two["fixed_points"]) == pytest.approx([-1e-3, 1e-3], rel=1e-9)
    for method in ("arrangement", "brute"):
        one = rnndyn("-q", "fixed-points", model, "--method", method, "--dedup-tol", 1e-4).json()
        assert [p["x"] for p in one["fixed_points"]] == [[100.0, -1e-3]], method
        assert one["options"]["exact"]["dedup_tol"] == 1e-4
    # the help: "--dedup-tol, when given, sets" the numeric finder's tolerance too
    num = rnndyn("-q", "fixed-points", CUSP, "--method", "numeric", "--starts", 8, "--batch", 8,
                 "--dedup-tol", 1e-2).json()
    assert num["options"]["numeric"]["dedup_tol"] == 1e-2


def test_skip_eigen_leaves_out_eigenvalues_and_stability(rnndyn):
    full = rnndyn("-q", "fixed-points", EI).json()["fixed_points"]
    bare = rnndyn("-q", "fixed-points", EI, "--skip-eigen").json()["fixed_points"]
    assert [p["x"] for p in bare] == [p["x"] for p in full]
    assert full[0]["stability"] == "stable focus" and "eigenvalues" in full[0]
    assert "eigenvalues" not in bare[0] and "stability" not in bare[0]


# --- fixed-points, numeric ------------------------------------------------------------------------

NUMERIC = ["fixed-points", CUSP, "--method", "numeric"]


def test_initial_states_are_the_starts_exactly(rnndyn, tmp_path):
    states = tmp_path / "starts.json"
    states.write_text(json.dumps([[1.9], [-1.9], [0.1]]))
    out = rnndyn("-q", *NUMERIC, "--initial-states", states, "--no-saddle-starts").json()
    assert out["initial_states"] == {"from": "given", "n_states": 3}
    assert out["search"]["random_starts"] == 3
    assert sorted(p["x"][0] for p in out["fixed_points"]) == pytest.approx([-1.9150080481545375, 0.0,
                                                                            1.9150080481545375], abs=1e-12)
    # one start: one point
    states.write_text(json.dumps([[1.9]]))
    assert len(rnndyn("-q", *NUMERIC, "--initial-states", states, "--no-saddle-starts").json()["fixed_points"]) == 1


def test_no_deflation_and_no_saddle_starts_turn_their_runs_off(rnndyn):
    args = [*NUMERIC, "--starts", 64, "--batch", 16]
    both = rnndyn("-q", *args).json()["search"]
    assert both["deflated_runs"] > 0 and both["targeted_starts"] > 0
    nodefl = rnndyn("-q", *args, "--no-deflation").json()
    assert nodefl["search"]["deflated_runs"] == 0 and nodefl["options"]["numeric"]["deflation"] is False
    assert nodefl["search"]["targeted_starts"] > 0
    nosad = rnndyn("-q", *args, "--no-saddle-starts").json()
    assert nosad["search"]["targeted_starts"] == 0 and nosad["search"]["deflated_runs"] > 0


def test_numeric_dedup_tol_merges_distinct_points(rnndyn):
    args = [*NUMERIC, "--starts", 16, "--batch", 16]
    three = rnndyn("-q", *args).json()["fixed_points"]
    assert len(three) == 3
    # 2.5 max(1, 1.915) > 1.915 + 1.915: every point is within reach of the first one kept
    one = rnndyn("-q", *args, "--numeric-dedup-tol", 2.5).json()["fixed_points"]
    assert len(one) == 1 and one[0]["n_starts"] == sum(p["n_starts"] for p in three)


# --- linearize, linear ----------------------------------------------------------------------------

def test_marginal_tol_makes_a_small_eigenvalue_marginal(rnndyn):
    # near the fold x = acosh(sqrt 2) = 0.8814 of the cusp: eigenvalue -1 + 2 sech^2(0.88) = 0.0019
    plain = rnndyn("-q", "linearize", CUSP, "--at", 0.88).json()
    assert plain["eigenvalues"][0][0] == pytest.approx(-1 + 2 / np.cosh(0.88) ** 2, rel=1e-12)
    assert plain["stability"] == "unstable node" and plain["stability_detail"]["n_marginal"] == 0
    wide = rnndyn("-q", "linearize", CUSP, "--at", 0.88, "--marginal-tol", 0.01).json()
    assert wide["stability_detail"]["n_marginal"] == 1 and wide["stability"] == "non-hyperbolic"


def test_kink_tol_puts_a_nearby_point_on_the_switching_boundary(rnndyn):
    # unit 0's input 1.25 v_E - v_I + 10 is -1e-6 at (0, 10.000001): 1e-6 from its kink
    at = ["linearize", EI, "--at", "0,10.000001"]
    assert rnndyn("-q", *at).json()["on_switching_boundary"] is False
    assert rnndyn("-q", *at, "--kink-tol", 1e-3).json()["on_switching_boundary"] is True


def test_integrator_tol_makes_a_near_one_eigenvalue_an_integrator(rnndyn):
    amp = EXAMPLES / "linear_amplifier.json"  # eigenvalues 0.9 and -0.5
    plain = rnndyn("-q", "linear", amp).json()
    assert plain["verdict"] == "stable" and [m["kind"] for m in plain["modes"]] == ["decaying", "decaying"]
    wide = rnndyn("-q", "linear", amp, "--integrator-tol", 0.2).json()  # |0.9 - 1| < 0.2
    assert wide["verdict"] == "integrator" and [m["kind"] for m in wide["modes"]] == ["integrator", "decaying"]


# --- limit-cycle ----------------------------------------------------------------------------------

def test_section_unit_and_period_tol(rnndyn, write_model):
    rot = write_model({"model": "rate", "activation": "linear", "W": [[1.0, -1.0], [1.0, 1.0]], "b": [0, 0],
                       "x0": [1, 0]})  # circles of radius 1, period 2 pi
    args = ["limit-cycle", rot, "--transient", 10, "--window", 20, "--max-time", 30]
    for unit in (0, 1):
        out = rnndyn("-q", *args, "--section-unit", unit).json()
        assert out["status"] == "found" and out["section_unit"] == unit
        assert out["section_point"][unit] == pytest.approx(out["section_level"], abs=1e-12)
        assert abs(out["section_point"][1 - unit]) < 1e-9  # the top of the circle in that unit
    # a quasi-periodic flow (two incommensurate rotations mixed): its crossing periods disagree by
    # ~10 %; a period tolerance looser than that accepts a "period"
    A = np.zeros((4, 4))
    A[0, 1], A[1, 0], A[2, 3], A[3, 2] = -1.0, 1.0, -np.sqrt(2.0), np.sqrt(2.0)
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    quasi = write_model({"model": "rate", "activation": "linear", "W": (np.eye(4) + Q @ A @ Q.T).tolist(),
                         "b": [0] * 4, "x0": [1, 0, 1, 0]}, "quasi.json")
    qargs = ["limit-cycle", quasi, "--transient", 10, "--window", 50, "--max-time", 200]
    assert rnndyn("-q", *qargs).json()["status"] == "not_periodic"
    loose = rnndyn("-q", *qargs, "--period-tol", 0.5).json()
    assert loose["status"] == "found" and loose["period"] > 0


# --- continue -------------------------------------------------------------------------------------

def test_step_and_max_step_set_the_point_density(rnndyn):
    args = ["continue", CUSP, "--param", "b[0]", "--from", -1, "--to", -0.6, "--start", "-1.5"]
    counts = {}
    for name, extra in {"default": [], "max_step": ["--max-step", 0.01],
                        "fine": ["--step", 0.001, "--max-step", 0.001]}.items():
        (branch,) = rnndyn("-q", *args, *extra).json()["branches"]
        assert branch["status"] == "reached" and branch["points"][-1]["p"] == pytest.approx(-0.6, abs=1e-12)
        counts[name] = len(branch["points"])
    # the arclength covered is > 0.4 (p alone moves by 0.4): 0.001 steps need > 400 points
    assert counts["default"] < counts["max_step"] < counts["fine"] and counts["fine"] > 400


# --- intervals: --confidence --------------------------------------------------------------------

def test_confidence_widens_the_lyapunov_intervals(rnndyn):
    args = ["lyapunov", EI_CYCLE, "--t", 200, "--warmup", 10]
    lo = rnndyn("-q", *args, "--confidence", 0.5).json()
    hi = rnndyn("-q", *args, "--confidence", 0.99).json()
    assert lo["exponents"] == hi["exponents"]  # same run, only the interval changes
    for i in range(2):
        assert 0 < width(lo, i) < width(hi, i)
        # a t interval over the blocks: the ratio of the quantiles t_{0.995} / t_{0.75} (9 dof) ~ 4.6
        assert width(hi, i) / width(lo, i) == pytest.approx(3.25 / 0.703, rel=0.02)


def test_confidence_widens_the_basin_wilson_intervals(rnndyn):
    args = ["basins", CUSP, "--starts", 50, "--seed", 1, "--max-time", 0.2, "--check-interval", 0.1]
    lo = rnndyn("-q", *args, "--confidence", 0.5).json()["unsettled"]
    hi = rnndyn("-q", *args, "--confidence", 0.99).json()["unsettled"]
    assert lo["count"] == hi["count"] > 0
    assert hi["ci_low"] < lo["ci_low"] < lo["fraction"] < lo["ci_high"] < hi["ci_high"]


# --- report ---------------------------------------------------------------------------------------

def test_report_title_is_the_page_title(rnndyn, tmp_path):
    res = tmp_path / "linear.json"
    assert rnndyn("-q", "linear", EXAMPLES / "linear_amplifier.json", "-o", res).returncode == 0
    page = tmp_path / "page.html"
    assert rnndyn("report", res, "--title", "Amplifier & co", "-o", page).returncode == 0
    html = page.read_text()
    assert "<title>Amplifier &amp; co</title>" in html  # escaped; without --title the page has another


# --- -q -------------------------------------------------------------------------------------------

def test_quiet_silences_the_progress_lines(tmp_path):
    """A Lyapunov run of a 150-unit tanh network long past the first second, when progress lines
    begin (tests/cli/test_cli_interrupt.py sees them without -q), stopped with SIGINT."""
    rng = np.random.default_rng(1)
    n = 150
    model = tmp_path / "tanh.json"
    model.write_text(json.dumps({"model": "rate", "form": "current", "activation": "tanh",
                                 "W": (1.5 * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(), "b": [0.0] * n,
                                 "x0": rng.standard_normal(n).tolist()}))
    proc = subprocess.Popen([CLI, "-q", "lyapunov", str(model), "--t", "1e6", "-o", str(tmp_path / "out.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(proc.stderr.fileno(), 4096), b"")))
    reader.start()
    time.sleep(1.6)
    assert proc.poll() is None, b"".join(chunks)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)
    reader.join(timeout=20)
    proc.stdout.close()
    proc.stderr.close()
    err = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 130
    assert "rnndyn lyapunov:" not in err, err  # no progress line
    assert "interrupted" in err  # the outcome is still said
