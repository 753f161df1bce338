"""Command-line options no other test used (issue 20, item 5), each with an assertion that it had
its documented effect: the same run with and without the option, and the difference the --help
text promises."""
import importlib.util
import json
import os
import signal
import subprocess
import sys
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
    # the 16 random runs do not depend on the tolerance (the deflated and targeted solves do: they
    # start from the points known)
    assert len(one) == 1 and one[0]["random_hits"] == sum(p["random_hits"] for p in three) == 16


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


# --- report -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """One fixed-point result of the 2-D E-I network as an HTML page, plain and with --title and
    --model (each `rnndyn report` starts Python and matplotlib: about a second)."""
    # `rnndyn report` runs `python -m rnndyn.report`: the interpreter running the tests, unless set;
    # skipped where it lacks the package (the sanitizer stage of CI runs before the wheel is installed).
    if "RNNDYN_PYTHON" not in os.environ and importlib.util.find_spec("rnndyn") is None:
        pytest.skip("rnndyn report runs the Python package, which this interpreter lacks (make test-sanitize)")
    env = {**os.environ, "RNNDYN_PYTHON": os.environ.get("RNNDYN_PYTHON", sys.executable)}
    d = tmp_path_factory.mktemp("report")
    res = d / "fp.json"
    subprocess.run([CLI, "-q", "fixed-points", str(EI), "-o", str(res)], check=True)
    subprocess.run([CLI, "report", str(res), "-o", str(d / "plain.html")], check=True, env=env)
    subprocess.run([CLI, "report", str(res), "--title", "E-I & co", "--model", str(EI), "-o", str(d / "both.html")],
                   check=True, env=env)
    return (d / "plain.html").read_text(), (d / "both.html").read_text()


def test_report_title_is_the_page_title(pages):
    plain, both = pages
    assert "<title>E-I &amp; co</title>" in both  # escaped
    assert "E-I &amp; co" not in plain


def test_report_model_adds_the_phase_portrait(pages):
    plain, both = pages
    # without the model only the fixed points' state-space figure; with a 2-D model also its phase portrait
    assert plain.count('<img class="figure"') == 1
    assert both.count('<img class="figure"') == 2


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


# --- perturb --------------------------------------------------------------------------------------

def wilson(count, n, confidence):
    """The Wilson score interval, from its formula (stdlib only)."""
    from statistics import NormalDist
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_perturb_confidence_and_weights(rnndyn):
    args = ["perturb", EXAMPLES / "line_attractor_bounded.json", "--samples", 40, "--seed", 1]
    plain = rnndyn("-q", *args).json()
    weights = rnndyn("-q", *args, "--weights").json()  # the default target, said explicitly
    assert weights["target"] == plain["target"] == "weights" and weights["types"] == plain["types"]
    assert rnndyn("-q", *args, "--bias").json()["target"] == "bias"
    half = rnndyn("-q", *args, "--confidence", 0.5).json()
    assert half["options"]["confidence"] == 0.5
    for name, t in half["types"].items():
        assert t["count"] == plain["types"][name]["count"]
        assert (t["ci_low"], t["ci_high"]) == pytest.approx(wilson(t["count"], 40, 0.5), abs=1e-12)
        p = plain["types"][name]
        assert (p["ci_low"], p["ci_high"]) == pytest.approx(wilson(p["count"], 40, 0.95), abs=1e-12)
        assert p["ci_low"] < t["ci_low"] and t["ci_high"] < p["ci_high"]


# --- basins ---------------------------------------------------------------------------------------

BASINS = ["basins", CUSP, "--starts", 50, "--seed", 1]


def test_basins_saddle_graph_and_saddle_eps(rnndyn):
    out = rnndyn("-q", *BASINS).json()
    (saddle,) = out["saddles"]
    # the offset is saddle-eps (0.001) x the distance 1.915 from the saddle 0 to its nearest point
    assert saddle["eps"] == pytest.approx(1e-3 * 1.9150080481545375, rel=1e-12)
    assert {saddle["plus"], saddle["minus"]} == {0, 1} and out["graph"] == [{"a": 0, "b": 1, "saddles": [0]}]
    wider = rnndyn("-q", *BASINS, "--saddle-eps", 0.01).json()["saddles"][0]
    assert wider["eps"] == pytest.approx(1e-2 * 1.9150080481545375, rel=1e-12)
    off = rnndyn("-q", *BASINS, "--no-saddle-graph").json()
    assert off["saddles"] == [] and off["graph"] == []
    assert off["labels"] == out["labels"]  # the basins themselves do not depend on the graph


def test_basins_initial_states_and_trajectory_starts(rnndyn, tmp_path):
    states = tmp_path / "states.json"
    states.write_text(json.dumps([[1.5], [-1.5], [1.7]]))
    given = rnndyn("-q", "basins", CUSP, "--initial-states", states).json()
    assert given["starts_from"] == "given" and given["starts"] == [[1.5], [-1.5], [1.7]]
    right = next(i for i, a in enumerate(given["attractors"]) if a["x"][0] > 0)
    assert [label == right for label in given["labels"]] == [True, False, True]
    drawn = rnndyn("-q", "basins", CUSP, "--from-trajectories", states, "--starts", 30, "--seed", 2).json()
    assert drawn["starts_from"] == "data" and drawn["n_starts"] == 30
    assert {x[0] for x in drawn["starts"]} <= {1.5, -1.5, 1.7}  # rows of the file, no noise
    noisy = rnndyn("-q", "basins", CUSP, "--from-trajectories", states, "--starts", 30, "--seed", 2,
                   "--noise", 0.5).json()
    offsets = [min(abs(x[0] - r) for r in (1.5, -1.5, 1.7)) for x in noisy["starts"]]
    assert len({x[0] for x in noisy["starts"]}) == 30 and 0.1 < np.std(offsets) < 1.0


def test_basins_map_box_sets_the_grid(rnndyn):
    args = ["basins", EI, "--starts", 20, "--box", "0,40", "--seed", 1, "--map-resolution", 3]
    default = rnndyn("-q", *args).json()["map"]
    boxed = rnndyn("-q", *args, "--map-box", "0,10,0,20").json()["map"]
    assert boxed["x"] == pytest.approx([10 / 6, 5.0, 50 / 6], abs=1e-12)  # cell centres of [0, 10] in 3
    assert boxed["y"] == pytest.approx([20 / 6, 10.0, 100 / 6], abs=1e-12)
    assert default["x"] != boxed["x"] and len(boxed["labels"]) == 9


# --- continue-cycles, fold-curve, hopf-curve ---------------------------------------------------------

def test_hopf_offset_sets_the_start_of_a_cycle_branch(rnndyn):
    args = ["continue-cycles", EI, "--param", "tau[1]", "--from", 20, "--to", 60, "--max-points", 3]
    for offset in (0.05, 0.2):
        (branch,) = rnndyn("-q", *args, "--hopf-offset", offset).json()["branches"]
        # the Hopf point of the E-I network is at tau_I = 40; the start at 40 + offset (60 - 20)
        assert branch["source"] == "hopf" and branch["source_p"] == pytest.approx(40, abs=1e-9)
        assert branch["start_p"] == pytest.approx(40 + offset * 40, abs=1e-9)


FOLD = ["fold-curve", "--param-x", "W[0,0]", "--x-from", 0.5, "--x-to", 3, "--param-y", "b[0]", "--y-from", -1.5,
        "--y-to", 1.5, "--start-x", 2, "--start-y", 0.1]


def test_curve_max_points_is_per_direction(rnndyn, write_model):
    unit = write_model({"model": "rate", "form": "current", "activation": "tanh", "tau": [1.0], "W": [[2.0]],
                        "b": [0.0]})
    full = rnndyn("-q", FOLD[0], unit, *FOLD[1:]).json()
    assert full["status"] == "complete" and len(full["points"]) > 40
    short = rnndyn("-q", FOLD[0], unit, *FOLD[1:], "--max-points", 5).json()
    assert short["status"] == "partial" and short["end_forward"] == short["end_backward"] == "max_points"
    assert len(short["points"]) == 2 * 5 + 1  # five each way from the start
    hopf = rnndyn("-q", "hopf-curve", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.8, "--param-y",
                  "tau[1]", "--y-from", 10, "--y-to", 90, "--start-x", 1.25, "--start-y", 30, "--max-points", 5).json()
    assert hopf["end_forward"] == "max_points" and len(hopf["points"]) == 11


def test_curve_step_is_the_first_step(rnndyn, write_model):
    """--step is the first step from the start (box-scaled); later steps adapt up to 0.05."""
    unit = write_model({"model": "rate", "form": "current", "activation": "tanh", "tau": [1.0], "W": [[2.0]],
                        "b": [0.0]})

    def first_gap(extra):
        pts = rnndyn("-q", FOLD[0], unit, *FOLD[1:], *extra).json()["points"]
        (k,) = [i for i, p in enumerate(pts) if p["px"] == 2.0]  # the start, at start-x
        return np.hypot((pts[k + 1]["px"] - 2.0) / 2.5, (pts[k + 1]["py"] - pts[k]["py"]) / 3.0)

    assert first_gap(["--step", 0.002]) / first_gap([]) == pytest.approx(0.2, rel=0.05)


# --- simulate, limit-cycle, lyapunov: --x0 and --seed -------------------------------------------------

def test_x0_is_the_first_state(rnndyn, write_model):
    sim = rnndyn("-q", "simulate", EI, "--t-end", 1, "--x0", "1,2").json()
    assert sim["x"][0] == [1.0, 2.0] and rnndyn("-q", "simulate", EI, "--t-end", 1).json()["x"][0] == [30.0, 10.0]
    rot = write_model({"model": "rate", "activation": "linear", "W": [[1.0, -1.0], [1.0, 1.0]], "b": [0, 0],
                       "x0": [1, 0]})  # circles: the amplitude is the radius of the start
    args = ["limit-cycle", rot, "--transient", 0, "--window", 20, "--max-time", 30]
    assert rnndyn("-q", *args).json()["amplitude"] == pytest.approx([1, 1], rel=1e-8)
    assert rnndyn("-q", *args, "--x0", "2,0").json()["amplitude"] == pytest.approx([2, 2], rel=1e-8)


def test_lyapunov_seed_changes_the_tangents_not_their_sum(rnndyn):
    """Over a short run the exponents depend on the random initial tangent vectors (--seed), their
    sum (the mean divergence, independent of the tangents) does not."""
    args = ["lyapunov", EI_CYCLE, "--t", 50, "--warmup", 10]
    a = rnndyn("-q", *args, "--seed", 1).json()
    assert rnndyn("-q", *args, "--seed", 1).json()["exponents"] == a["exponents"]
    b = rnndyn("-q", *args, "--seed", 2).json()
    assert b["options"]["seed"] == 2
    assert abs(a["exponents"][0] - b["exponents"][0]) > 1e-3
    assert sum(a["exponents"]) == pytest.approx(sum(b["exponents"]), abs=1e-9)


# --- mft and reservoir ----------------------------------------------------------------------------

def test_underscore_spellings_are_the_same_options(rnndyn):
    dash = rnndyn("-q", "mft", "--feedback-scale", 2, "--hermite-order", 16, "--feedback-order", 8, "--omega-max", 5,
                  "--n-omega", 3).json()
    under = rnndyn("-q", "mft", "--feedback_scale", 2, "--hermite_order", 16, "--feedback_order", 8, "--omega_max", 5,
                   "--n_omega", 3).json()
    dash.pop("elapsed_seconds"), under.pop("elapsed_seconds")
    assert dash == under
    assert under["options"]["feedback_scale"] == 2 and under["options"]["feedback_order"] == 8
    assert under["options"]["hermite_order"] == 16 and under["omega"] == pytest.approx([0.0, 5e-4, 5.0])
    assert rnndyn("-q", "mft", "--n-omega", 3).json()["levels"][0]["beta0"] != under["levels"][0]["beta0"]
    # the reservoir command takes the same theory flags in both spellings
    common = ["reservoir", "--N", 50, "--targets", 1.0, "--seed", 1]
    r_dash = rnndyn("-q", *common, "--feedback-scale", 2, "--hermite-order", 12, "--feedback-order", 6, "--omega-max",
                    4, "--n-omega", 3).json()
    r_under = rnndyn("-q", *common, "--feedback_scale", 2, "--hermite_order", 12, "--feedback_order", 6, "--omega_max",
                     4, "--n_omega", 3).json()
    assert r_dash["options"] == r_under["options"]
    theory = r_under["options"]["mean_field"]
    assert (theory["feedback_scale"], theory["hermite_order"], theory["feedback_order"]) == (2, 12, 6)
    assert r_under["mean_field"]["omega"] == pytest.approx([0.0, 4e-4, 4.0])
    assert r_dash["mean_field"]["levels"] == r_under["mean_field"]["levels"]


def test_reservoir_no_dense_keeps_only_the_outliers(rnndyn):
    args = ["reservoir", "--N", 200, "--g", 0.5, "--targets", 1.0, "--n-omega", 0, "--seed", 1, "--spectrum"]
    dense = rnndyn("-q", *args).json()["finite"]["levels"][0]
    sparse = rnndyn("-q", *args, "--no-dense").json()["finite"]["levels"][0]
    assert len(dense["eigenvalues"]) == 200 and dense["max_real"] < 0
    assert sparse["eigenvalues"] == [] and sparse["max_real"] is None
    # the outliers (found by Newton) are the same either way
    np.testing.assert_allclose(sparse["outliers"], dense["outliers"], rtol=0, atol=1e-9)
    assert len(dense["outliers"]) >= 1


# --- fixed-points: --marginal-tol, slow points, slow manifolds, memories ----------------------------

def test_fixed_points_marginal_tol(rnndyn):
    three = EXAMPLES / "line_attractor_bounded_three_points.json"  # its saddle has eigenvalues 0.3, -2.1
    plain = rnndyn("-q", "fixed-points", three).json()["fixed_points"]
    assert [p["stability"] for p in plain] == ["stable node", "saddle", "stable node"]
    wide = rnndyn("-q", "fixed-points", three, "--marginal-tol", 0.5).json()["fixed_points"]
    assert [p["stability"] for p in wide] == ["stable node", "non-hyperbolic", "stable node"]


SLOW = {"model": "rate", "activation": "tanh", "W": [[2.0]], "b": [0.6]}  # a slow point at -acosh(sqrt 2)


def test_memory_radius_horizon_and_time_points(rnndyn, write_model):
    args = ["fixed-points", write_model(SLOW), "--method", "numeric", "--box", "-4,4", "--slow-q-max", 1e-2]
    times = {}
    for r in (0.05, 0.3):
        (p,) = rnndyn("-q", *args, "--memory-radius", r).json()["slow_points"]
        assert p["memory_radius"] == r and p["x"][0] == pytest.approx(-np.arccosh(np.sqrt(2)), abs=1e-6)
        times[r] = p["memory_time"]
    assert 0 < times[0.05] < times[0.3]  # a larger ball takes longer to leave
    none = rnndyn("-q", *args, "--memory-time-points", 0).json()
    assert none["summary"]["n_memory_times"] == 0 and "memory_time" not in none["slow_points"][0]
    short = rnndyn("-q", *args, "--memory-radius", 0.3, "--memory-horizon", 1).json()
    (p,) = short["slow_points"]
    assert p["memory_time"] is None  # inf: still inside the ball at the horizon (1 < the 3.5 it takes)


def test_slow_manifold_min_and_max_points(rnndyn, write_model):
    # seed 000's bounded line attractor perturbed: one open slow line through a stable point
    line = write_model({"model": "rate", "form": "rate", "activation": "relu", "W": [[-0.02, -0.99], [-0.985, -0.01]],
                        "b": [1.0, 1.0]})
    args = ["fixed-points", line, "--method", "numeric", "--slow-manifold-speed-max", 0.01, "--slow-manifold-step", 0.02]
    (m,) = rnndyn("-q", *args).json()["slow_manifolds"]
    assert 10 < m["n_points"] < 300
    (capped,) = rnndyn("-q", *args, "--slow-manifold-max-points", 10).json()["slow_manifolds"]
    assert capped["n_points"] == 10
    assert rnndyn("-q", *args, "--slow-manifold-min-points", 300).json()["slow_manifolds"] == []


def test_memory_census_options(rnndyn):
    args = ["fixed-points", EXAMPLES / "gru_flipflop.json", "--method", "numeric", "--from-trajectories",
            EXAMPLES / "gru_flipflop_states.json", "--starts", 64]
    plain = rnndyn("-q", *args).json()
    assert plain["memory_census"]["orbits"] == 64 and plain["memory_census"]["steps"] == 500
    assert len(plain["memories"]) == plain["memory_census"]["n_memories"] > 0
    few = rnndyn("-q", *args, "--memory-orbits", 16, "--memory-steps", 100).json()["memory_census"]
    assert few["orbits"] == 16 and few["steps"] == 100 and few["places"] < plain["memory_census"]["places"]
    off = rnndyn("-q", *args, "--no-memories").json()
    assert "memory_census" not in off and off.get("memories", []) == []
    assert len(off["fixed_points"]) == len(plain["fixed_points"])


# --- basins: --no-extrapolate, --check-interval ------------------------------------------------------

def test_basins_no_extrapolate_settles_fewer(rnndyn):
    args = ["basins", CUSP, "--starts", 50, "--seed", 1, "--max-time", 2, "--check-interval", 0.1]
    extra = rnndyn("-q", *args).json()
    strict = rnndyn("-q", *args, "--no-extrapolate").json()
    assert strict["n_settled"] < extra["n_settled"]
    # what the strict rule settles, extrapolation settles alike
    for a, b in zip(strict["labels"], extra["labels"]):
        assert a == -1 or a == b


def test_basins_check_interval_is_the_time_grid(rnndyn):
    for dt in (0.5, 0.3):
        out = rnndyn("-q", "basins", CUSP, "--starts", 10, "--seed", 1, "--check-interval", dt).json()
        assert out["status"] == "complete"
        steps = np.array(out["times"]) / dt
        assert np.abs(steps - np.round(steps)).max() < 1e-9 and steps.min() >= 1


# --- fixed-points, numeric: the search's knobs ------------------------------------------------------

def test_patience_zero_solves_every_start(rnndyn):
    args = [*NUMERIC, "--starts", 256, "--batch", 16]
    quiet = rnndyn("-q", *args).json()["search"]
    assert quiet["stopped_by"] == "quiet" and quiet["random_starts"] < 256  # 3 rounds without news
    every = rnndyn("-q", *args, "--patience", 0).json()["search"]
    assert every["stopped_by"] == "all_starts" and every["random_starts"] == 256 and every["rounds"] == 16


def test_neighbours_sets_the_starts_between_points(rnndyn):
    args = [*NUMERIC, "--starts", 64, "--batch", 16]
    paired = rnndyn("-q", *args).json()["search"]["targeted_starts"]
    alone = rnndyn("-q", *args, "--neighbours", 0).json()["search"]["targeted_starts"]
    assert 0 < alone < paired  # only the starts along the saddle's unstable direction are left


def test_newton_tol_and_steps(rnndyn):
    args = [*NUMERIC, "--starts", 64, "--batch", 16]
    plain = rnndyn("-q", *args).json()
    assert plain["summary"]["n_failed_runs"] == 0 and all(p["error"] == 0.0 for p in plain["fixed_points"])
    # a Newton tolerance no step can meet (1e-30 max(1, |x|)): runs that do not land exactly on a zero
    # end unresolved and are discarded
    strict = rnndyn("-q", *args, "--newton-tol", 1e-30).json()["summary"]
    assert strict["n_failed_runs"] > 0 and strict["n_fixed_runs"] + strict["n_failed_runs"] == 64
    # without the Newton refinement some point keeps the error of its Levenberg-Marquardt run (the
    # dogleg's last steps are Newton steps: its points are at rounding level already)
    raw = rnndyn("-q", *args, "--newton-steps", 0, "--solver", "lm").json()["fixed_points"]
    assert max(p["error"] for p in raw) > 0


def test_q_tol_above_a_slow_point_makes_its_runs_unresolved(rnndyn, write_model):
    args = ["fixed-points", write_model(SLOW), "--method", "numeric", "--box", "-4,4", "--slow-q-max", 1e-2]
    plain = rnndyn("-q", *args).json()
    assert (len(plain["fixed_points"]), len(plain["slow_points"])) == (1, 1)
    assert 1e-3 < plain["slow_points"][0]["q"] < 1e-2 and plain["summary"]["n_failed_runs"] == 0
    slow_runs = plain["summary"]["n_slow_runs"]
    # with q_tol above its q, a run ending at the slow point counts as having reached a zero, but the
    # Newton refinement finds none there: unresolved, discarded (neither a fixed nor a slow point)
    loose = rnndyn("-q", *args, "--q-tol", 1e-2).json()
    assert (len(loose["fixed_points"]), len(loose["slow_points"])) == (1, 0)
    assert loose["summary"]["n_failed_runs"] == slow_runs > 0


def test_slow_q_relative_sets_the_slow_threshold_from_the_data(rnndyn):
    args = ["fixed-points", EXAMPLES / "gru_flipflop.json", "--method", "numeric", "--from-trajectories",
            EXAMPLES / "gru_flipflop_states.json", "--starts", 64, "--no-memories"]
    s = rnndyn("-q", *args).json()["summary"]
    median = s["data_median_q"]
    assert s["slow_q_threshold"] == pytest.approx(1e-2 * median, rel=1e-12)
    s = rnndyn("-q", *args, "--slow-q-relative", 3e-3).json()["summary"]
    assert s["slow_q_threshold"] == pytest.approx(3e-3 * median, rel=1e-12)
    # never above --slow-q-max (1e-4)
    assert rnndyn("-q", *args, "--slow-q-relative", 1.0).json()["summary"]["slow_q_threshold"] == 1e-4
    assert rnndyn("-q", *args, "--slow-q-relative", 0).json()["summary"]["slow_q_threshold"] == 0


# --- fixed-points: branch-and-bound fallback, the interval method's box and rank -------------------

def test_no_numeric_fallback(rnndyn, tmp_path):
    rng = np.random.default_rng(0)
    n = 30
    model = tmp_path / "dense.json"  # a dense relu network: branch and bound stops on 20 nodes
    model.write_text(json.dumps({"model": "rate", "form": "current", "activation": "relu",
                                 "W": (4.0 * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(),
                                 "b": rng.standard_normal(n).tolist()}))
    args = ["fixed-points", model, "--max-nodes", 20, "--starts", 32]
    with_fb = rnndyn("-q", *args).json()
    without = rnndyn("-q", *args, "--no-numeric-fallback").json()
    assert with_fb["status"] == without["status"] == "incomplete"
    assert "the numeric finder (32 starts) added" in with_fb["guarantee"]
    assert "numeric finder" not in without["guarantee"]
    assert all(p["found_by"] != "numeric" for p in without["fixed_points"])


def low_rank_tanh(write_model, rank):
    n = 12
    m = np.where(np.arange(n) % 3 == 0, -1.0, 1.0)
    W = 2 * np.outer(m, m) / n
    if rank == 2:
        u = np.where(np.arange(n) % 2 == 0, -1.0, 1.0)
        W = W + 1.5 * np.outer(u, u) / n
    return write_model({"model": "rate", "activation": "tanh", "W": W.tolist()}, f"rank{rank}.json")


def test_latent_box_and_max_rank(rnndyn, write_model):
    one = low_rank_tanh(write_model, 1)  # latent fixed points kappa = 0 and +-1.915 (the cusp's)
    full = rnndyn("-q", "fixed-points", one, "--method", "interval").json()
    assert full["default_box_is_global"] is True and len(full["fixed_points"]) == 3
    part = rnndyn("-q", "fixed-points", one, "--method", "interval", "--latent-box", "0.5,5").json()
    assert part["latent_box"] == {"lo": [0.5], "hi": [5.0]} and part["default_box_is_global"] is False
    assert part["status"] == "complete" and len(part["fixed_points"]) == 1
    two = low_rank_tanh(write_model, 2)
    assert rnndyn("-q", "fixed-points", two, "--method", "interval").json()["status"] == "complete"
    r = rnndyn("fixed-points", two, "--method", "interval", "--max-rank", 1)
    assert r.returncode == 2 and "rank 2 > 1" in r.stderr


def test_outlier_distance_drops_points_far_from_the_data(rnndyn, tmp_path):
    data = tmp_path / "data.json"
    data.write_text(json.dumps([[-1.8]] * 20))  # every state next to the stable point -1.915
    # noise of std 3 around the data spreads the starts over all three basins
    args = [*NUMERIC, "--from-trajectories", data, "--noise", 3, "--starts", 64, "--seed", 3]
    kept = rnndyn("-q", *args, "--outlier-distance", "inf").json()
    assert sorted(round(p["x"][0], 3) for p in kept["fixed_points"]) == [-1.915, 0.0, 1.915]
    assert kept["summary"]["n_outliers"] == 0
    # 0 and +1.915 are 1.8 and 3.7 from the data, -1.915 is 0.115 from it
    cut = rnndyn("-q", *args, "--outlier-distance", 1).json()
    assert [round(p["x"][0], 3) for p in cut["fixed_points"]] == [-1.915]
    assert cut["summary"]["n_outliers"] == 2 and cut["outlier_distance"] == 1.0


def test_lyapunov_tolerances_reach_the_integrator(rnndyn):
    args = ["lyapunov", EI_CYCLE, "--t", 200, "--warmup", 10]
    tight = rnndyn("-q", *args).json()
    loose = rnndyn("-q", *args, "--atol", 1e-4, "--rtol", 1e-4).json()
    assert loose["options"]["abs_tol"] == loose["options"]["rel_tol"] == 1e-4
    assert tight["options"]["abs_tol"] == tight["options"]["rel_tol"] == 1e-9
    diff = np.abs(np.array(loose["exponents"]) - np.array(tight["exponents"]))
    assert 1e-7 < diff.max() < 1e-3  # another integration, the same spectrum to its accuracy


def test_scan_threads_do_not_change_the_result(rnndyn):
    args = ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--x-steps", 4, "--param-y", "tau[1]",
            "--y-from", 12, "--y-to", 72, "--y-steps", 4]
    one = rnndyn("-q", *args, "--threads", 1).json()
    two = rnndyn("-q", *args, "--threads", 2).json()
    assert one["options"]["threads"] == 1 and two["options"]["threads"] == 2
    for key in ("n_fixed_points", "n_stable", "n_unstable", "x_values", "y_values"):
        assert one[key] == two[key]


def test_basins_of_a_map_cycle_periods_and_max_period(rnndyn):
    # a scalar piecewise-linear map whose every orbit ends on its stable 2-cycle (-2h/7, 6h/7)
    args = ["basins", EXAMPLES / "pl_map_two_kink.json", "--starts", 50, "--seed", 1]
    (seen,) = rnndyn("-q", *args).json()["attractors"]
    assert (seen["kind"], seen["period"], seen["found_by"], seen["count"]) == ("cycle", 2, "recurrence", 50)
    assert sorted(x for (x,) in seen["points"]) == pytest.approx([-0.4 / 7, 1.2 / 7], abs=1e-9)
    # --cycle-periods 2: the exact 2-cycle search finds it before any orbit runs
    (searched,) = rnndyn("-q", *args, "--cycle-periods", 2).json()["attractors"]
    assert searched["found_by"] == "search" and searched["count"] == 50
    # --max-period 1: a recurrence of period 2 is no new attractor, so no orbit settles
    none = rnndyn("-q", *args, "--max-period", 1).json()
    assert none["status"] == "incomplete" and none["n_settled"] == 0 and none["attractors"] == []


def test_cycle_continuation_max_step_and_max_time(rnndyn):
    args = ["continue-cycles", EI_CYCLE, "--param", "tau[1]", "--from", 50, "--to", 60]
    (coarse,) = rnndyn("-q", *args).json()["branches"]
    (fine,) = rnndyn("-q", *args, "--max-step", 0.01).json()["branches"]
    assert coarse["status"] == fine["status"] == "reached"
    assert fine["points"][-1]["p"] == coarse["points"][-1]["p"] == 60
    assert len(fine["points"]) > 3 * len(coarse["points"])  # steps capped at 0.01 instead of 0.05
    # --max-time 1: the start's simulation has too little time for its crossings to converge
    r = rnndyn("continue-cycles", *args[1:], "--max-time", 1)
    (short,) = r.json()["branches"]
    assert (short["status"], short["start_status"], short["points"]) == ("start_not_found", "not_periodic", [])
    assert "no cycle found at the start" in r.stderr


# --- border-curve --max-step ------------------------------------------------------------------------

def test_curve_max_step_caps_the_adapted_steps(rnndyn):
    # The border-collision line of the E-I network, beta = -10 / (1 - w) over w in [0, 0.9]: steps grow
    # from --step towards --max-step, so a cap at --step needs more points for the same curve; a
    # non-positive cap is refused by name, and a first step above the cap by --step.
    args = ["-q", "border-curve", EI, "--param-x", "W[0,0]", "--x-from", 0, "--x-to", 0.9, "--param-y", "b[1]",
            "--y-from", -120, "--y-to", -5, "--start-x", 0.5, "--start-y", -15]
    free = rnndyn(*args).json()
    capped = rnndyn(*args, "--max-step", 0.01).json()
    assert free["status"] == capped["status"] == "complete"
    assert capped["options"]["max_step"] == 0.01 and len(capped["points"]) > 2 * len(free["points"])
    bad = rnndyn(*args, "--max-step", -1)
    assert bad.returncode == 2 and bad.stderr.strip() == "rnndyn: error: --max-step: must be finite and > 0"
    low = rnndyn(*args, "--max-step", 0.001)
    assert low.returncode == 2 and low.stderr.startswith("rnndyn: error: --step: ")


def test_slow_crawl_ratio_decides_when_a_run_below_the_slow_threshold_stops(rnndyn):
    # Below the data's slow threshold a run ends after --slow-stall-steps steps that each lower q
    # by less than the ratio. With 0.5 some runs of the GRU(16) flip-flop that converge linearly to
    # nearly singular fixed points stop short of them (slow points); with 0.95 they reach them.
    # Every start is counted either way, and the distinct fixed points are the same.
    args = ["fixed-points", EXAMPLES / "gru_flipflop.json", "--method", "numeric", "--from-trajectories",
            EXAMPLES / "gru_flipflop_states.json", "--starts", 64, "--no-memories", "--no-slow-manifolds",
            "--memory-time-points", 0]
    s = {r: rnndyn("-q", *args, "--slow-crawl-ratio", r).json()["summary"] for r in (0.5, 0.95)}
    assert s[0.5]["n_slow_runs"] > s[0.95]["n_slow_runs"]
    assert s[0.5]["n_fixed_runs"] < s[0.95]["n_fixed_runs"]
    for r in s.values():
        assert r["n_fixed_runs"] + r["n_slow_runs"] + r["n_failed_runs"] == 64
    assert s[0.5]["n_fixed_points"] == s[0.95]["n_fixed_points"]
    bad = rnndyn("-q", *args, "--slow-crawl-ratio", 1)
    assert bad.returncode == 2 and "--slow-crawl-ratio" in bad.stderr


# --- options whose effect is not visible on a small model: echoed, and their range checked ----------

BASINS = ["basins", CUSP, "--starts", 10, "--seed", 1]
NUMERIC_SMALL = ["fixed-points", CUSP, "--method", "numeric", "--starts", 8, "--batch", 8]
HEURISTIC = ["fixed-points", EXAMPLES / "pl_map_two_kink.json", "--cycles", 2, "--cycle-method", "heuristic"]
HOPF = ["hopf-curve", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.8, "--param-y", "tau[1]", "--y-from", 10,
        "--y-to", 90, "--start-x", 1.25, "--start-y", 30, "--max-points", 5]
BORDER = ["border-curve", EI, "--param-x", "W[0,0]", "--x-from", 0, "--x-to", 0.9, "--param-y", "b[1]", "--y-from", -120,
          "--y-to", -5, "--start-x", 0.5, "--start-y", -15, "--max-points", 5]
RESPONSE = ["response", EXAMPLES / "line_attractor_bounded_clicks.json", "--t-end", 20]
FOLD_CUSP = [FOLD[0], CUSP, *FOLD[1:]]
SCAN = ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--x-steps", 2, "--param-y", "tau[1]",
        "--y-from", 20, "--y-to", 60, "--y-steps", 2]


@pytest.mark.parametrize("args, flag, value, key, bad", [
    (BASINS, "--atol", 1e-6, ["abs_tol"], 0),
    (BASINS, "--rtol", 1e-6, ["rel_tol"], -1),
    (BASINS, "--settle-tol", 1e-5, ["settle_tol"], -1),
    (BASINS, "--record-fraction", 0.5, ["record_fraction"], 1.5),
    (BASINS, "--lyapunov-tol", 0.1, ["lyapunov_tol"], -1),
    (BASINS, "--cycle-time-limit", 5, ["cycle_time_limit"], 0),
    (BASINS, "--method", "numeric", ["fixed_points", "method"], "magic"),
    (HEURISTIC, "--inner-loops", 10, ["inner_loops"], 0),
    (NUMERIC_SMALL, "--slow-merge-tol", 0.1, ["numeric", "slow_merge_tol"], -1),
    (NUMERIC_SMALL, "--slow-stability-points", 0, ["numeric", "slow_stability_points"], -2),
    (NUMERIC_SMALL, "--slow-stall-steps", 5, ["numeric", "slow_stall_steps"], -1),
    (RESPONSE, "--atol", 1e-8, ["abs_tol"], 0),
    (RESPONSE, "--rtol", 1e-8, ["rel_tol"], 0),
    (RESPONSE, "--x0", "0.1,0.2", ["x0"], "1,2,3"),
    (SCAN, "--method", "brute", ["fixed_points", "method"], "magic"),
    (HOPF, "--step", 0.02, ["step"], 0),
    (HOPF, "--max-step", 0.03, ["max_step"], 0),
    (HOPF, "--x0", "26,16", ["x0"], "1,2,3"),
    (FOLD_CUSP, "--max-step", 0.03, ["max_step"], 0),
    (FOLD_CUSP, "--x0", "1.9", ["x0"], "1,2"),
    (BORDER, "--step", 0.02, ["step"], -1),
    (BORDER, "--x0", "26,16", ["x0"], "1"),
    (["continue-cycles", EI_CYCLE, "--param", "tau[1]", "--from", 50, "--to", 60, "--max-points", 3], "--step", 0.02,
     ["initial_step"], -1),
])
def test_option_reaches_the_run_and_its_range_is_checked(rnndyn, args, flag, value, key, bad):
    """Options whose effect a small model does not show: the run says it used the value (its
    `options`), the result is still a finished run, and a value outside the documented range is
    refused by the flag's name (exit 2, one line)."""
    out = rnndyn("-q", *args, flag, value).json()
    echoed = out["options"]
    for k in key:
        echoed = echoed[k]
    expected = [float(v) for v in value.split(",")] if flag == "--x0" else value
    assert echoed == expected
    r = rnndyn("-q", *args, flag, bad)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"rnndyn: error: {flag}: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
