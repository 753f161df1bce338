"""End-to-end tests of the foundation commands: simulate, linearize, linear, and bad input."""
import json
import math

import numpy as np
import pytest

from conftest import EXAMPLES, assert_one_line_error

EI = EXAMPLES / "ei_network.json"
FP = "26.666666666666668,16.666666666666668"


def test_linearize_ei_network_matches_seed_formula(rnndyn):
    out = rnndyn("linearize", EI, "--at", FP).json()
    assert out["stability"] == "stable focus"
    # Seed 002: lambda = (a + d)/2 +- i sqrt(...), a = 0.25/10, d = -1/30.
    a, d = 0.025, -1 / 30
    re = (a + d) / 2
    im = math.sqrt(-((a - d) ** 2 - 4 / 300)) / 2
    (l1, l2) = out["eigenvalues"]
    assert abs(l1[0] - re) < 1e-12 and abs(abs(l1[1]) - im) < 1e-12
    assert abs(l2[0] - re) < 1e-12 and abs(l1[1] + l2[1]) < 1e-12
    assert out["residual_norm"] < 1e-12


def test_linearize_limit_cycle_side_is_unstable_focus(rnndyn):
    out = rnndyn("linearize", EXAMPLES / "ei_network_limit_cycle.json", "--at", FP).json()
    assert out["stability"] == "unstable focus"


def test_linearize_reports_switching_boundary(rnndyn, write_model):
    model = write_model({"model": "rate", "form": "rate", "activation": "relu", "W": [[0, -1], [-1, 0]], "b": [1, 1]})
    # At x = (1, 0) unit 1's input -x_0 + 1 = 0 sits on the relu kink.
    out = rnndyn("linearize", model, "--at", "1,0").json()
    assert out["on_switching_boundary"] is True
    assert out["kink_units"] == [1]
    assert len(out["one_sided"]) == 2
    assert out["one_sided"][0]["jacobian"] != out["one_sided"][1]["jacobian"]


def test_simulate_json_and_csv_agree(rnndyn, tmp_path):
    j = rnndyn("simulate", EI, "--t-end", "100", "--dt", "10").json()
    assert j["status"] == "ok" and len(j["t"]) == 11 and j["x"][0] == [30, 10]
    csv_path = tmp_path / "traj.csv"
    r = rnndyn("simulate", EI, "--t-end", "100", "--dt", "10", "--format", "csv", "-o", csv_path)
    assert r.returncode == 0 and r.stdout == ""
    rows = csv_path.read_text().strip().splitlines()
    assert rows[0] == "t,x0,x1" and len(rows) == 12
    last = [float(v) for v in rows[-1].split(",")]
    assert last[0] == 100 and max(abs(a - b) for a, b in zip(last[1:], j["x"][-1])) < 1e-12


def test_simulate_closed_form_matches_ode_for_linear_network(rnndyn):
    ode = rnndyn("simulate", EXAMPLES / "linear_integrator.json", "--t-end", "50", "--dt", "5",
                 "--rtol", "1e-11", "--atol", "1e-11").json()
    closed = rnndyn("simulate", EXAMPLES / "linear_integrator.json", "--t-end", "50", "--dt", "5",
                    "--method", "closed-form").json()
    diff = max(abs(a - b) for xa, xb in zip(ode["x"], closed["x"]) for a, b in zip(xa, xb))
    assert diff < 1e-8


def test_linear_reports_integrator_and_amplification(rnndyn):
    out = rnndyn("linear", EXAMPLES / "linear_integrator.json").json()
    assert out["verdict"] == "integrator"
    assert out["modes"][0]["kind"] == "integrator" and abs(out["modes"][0]["lambda"][0] - 1) < 1e-12
    amp = rnndyn("linear", EXAMPLES / "linear_amplifier.json").json()
    assert amp["verdict"] == "stable"
    assert abs(amp["modes"][0]["amplification"][0] - 10) < 1e-9
    # v_ss solves (I - M) v = h: (I - M) = [[.8, -.7], [-.7, .8]], h = (1, 0).
    det = 0.8 * 0.8 - 0.7 * 0.7
    expected = [0.8 / det, 0.7 / det]
    assert max(abs(a - b) for a, b in zip(amp["steady_state"], expected)) < 1e-10


def test_output_file_is_written_whole(rnndyn, tmp_path):
    out = tmp_path / "lin.json"
    r = rnndyn("linear", EXAMPLES / "linear_amplifier.json", "-o", out)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["verdict"] == "stable"


BAD_MODELS = [
    ("empty", "", "empty"),
    ("not json", "{oops", "not valid JSON"),
    ("unknown type", {"model": "hopfield", "W": [[1]]}, "unknown model type 'hopfield'"),
    ("wrong shape", {"model": "rate", "W": [[1, 2, 3], [4, 5, 6]]}, "W:"),
    ("ragged rows", {"model": "rate", "W": [[1, 2], [3]]}, "W:"),
    ("b length", {"model": "rate", "W": [[1, 0], [0, 1]], "b": [1, 2, 3]}, "b:"),
    ("negative tau", {"model": "rate", "W": [[1, 0], [0, 1]], "tau": [1, -1]}, "tau:"),
    ("missing npy", {"model": "rate", "W": "nowhere.npy"}, "W:"),
    ("typo key", {"model": "rate", "W": [[1, 0], [0, 1]], "tua": 3}, "tua:"),
    ("bad activation", {"model": "rate", "W": [[1]], "activation": "swish"}, "activation:"),
]


@pytest.mark.parametrize("name,content,needle", BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
@pytest.mark.parametrize("command", [["linearize", "--at", "0,0"], ["simulate"]])
def test_bad_model_file(rnndyn, write_model, tmp_path, name, content, needle, command):
    model = write_model(content)
    out = tmp_path / "result.json"
    r = rnndyn(command[0], model, *command[1:], "-o", out)
    assert_one_line_error(r, needle)
    assert not out.exists()
    assert not list(tmp_path.glob("result.json*"))


def test_nan_weights_from_npy(rnndyn, write_model, tmp_path):
    npy = tmp_path / "W.npy"
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"
    header += " " * (64 - (10 + len(header) + 1) % 64) + "\n"
    import struct
    npy.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()
                    + struct.pack("<4d", 1.0, float("nan"), 0.0, 1.0))
    model = write_model({"model": "rate", "W": "W.npy"})
    assert_one_line_error(rnndyn("linearize", model, "--at", "0,0"), "W:", "not finite")
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': 'zz'}")
    model = write_model({"model": "rate", "W": "bad.npy"})
    assert_one_line_error(rnndyn("linearize", model, "--at", "0,0"), "W:")


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_weights_from_npy(rnndyn, write_model, tmp_path, dtype):
    """Integer .npy arrays (as np.save writes them for integer data) are read as doubles: the linear
    flow dx/dt = -x + W x + b with W = [[0, 1], [-2, 0]] has its fixed point at (I - W)^-1 b,
    solved here by NumPy."""
    W = np.array([[0, 1], [-2, 0]], dtype=dtype)
    b = np.array([1, -3], dtype=dtype)
    np.save(tmp_path / "W.npy", W)
    np.save(tmp_path / "b.npy", b)
    model = write_model({"model": "rate", "activation": "linear", "W": "W.npy", "b": "b.npy"})
    j = rnndyn("fixed-points", model).json()
    expected = np.linalg.solve(np.eye(2) - W, b.astype(float))
    assert len(j["fixed_points"]) == 1
    assert np.abs(np.array(j["fixed_points"][0]["x"]) - expected).max() < 1e-12


@pytest.mark.parametrize("args,needle", [
    (["linearize", EI, "--at", "1,2,3"], "--at"),
    (["linearize", EI, "--at", "1,abc"], "--at"),
    (["linearize", EI, "--at", "zero"], "--at"),  # the one word is "zeros" (--at is optional, issue 19)
    (["simulate", EI, "--dt", "-1"], "dt"),
    (["simulate", EI, "--format", "xml"], "--format"),
    (["simulate", EI, "--method", "closed-form"], "linear model"),
    (["linear", EI], "linear model"),
    (["nonsense"], "nonsense"),
    (["linearize", "/no/such/file.json", "--at", "0,0"], "cannot open"),
])
def test_bad_arguments(rnndyn, args, needle):
    assert_one_line_error(rnndyn(*args), needle)


def test_unwritable_output_leaves_nothing(rnndyn, tmp_path):
    r = rnndyn("linear", EXAMPLES / "linear_amplifier.json", "-o", tmp_path / "no" / "such" / "dir.json")
    assert_one_line_error(r, "output")


def test_set_overrides_parameters_by_name(rnndyn):
    out = rnndyn("linearize", EI, "--at", FP, "--set", "tau[1]=50").json()
    assert out["stability"] == "unstable focus"
    assert_one_line_error(rnndyn("--set", "tau[1]=x", "linearize", EI, "--at", FP), "--set")
    assert_one_line_error(rnndyn("linearize", EI, "--at", FP, "--set", "Q[1]=3"), "no parameter 'Q'")
    assert_one_line_error(rnndyn("linearize", EI, "--at", FP, "--set", "tau[1]"), "NAME=VALUE")
