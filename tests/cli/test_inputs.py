"""simulate driven by input signals (--input) and read out (W_out, b_out in the model file):
seed 000's bounded line attractor counts clicks, a held .npy/.csv series drives a map as a plain
loop does, and models or signals that do not fit are refused in one line."""
import json

import numpy as np
import pytest

from conftest import EXAMPLES, assert_one_line_error

CLICKS = EXAMPLES / "line_attractor_bounded_clicks.json"


def test_line_attractor_counts_clicks_through_its_readout(rnndyn):
    # 3 clicks right (channel 1), 1 left (channel 0): area 0.1 each, pulses 0.5 wide (so the push,
    # alpha delta / width = 0.1, stays below the units' drive and relu never clips). While both
    # units are active z = integral of (u1 - u0) exactly (tests/test_inputs.cpp derives it).
    right = json.dumps({"kind": "clicks", "channel": 1, "times": [1, 6, 11], "delta": 0.1, "width": 0.5})
    left = json.dumps({"kind": "clicks", "channel": 0, "times": [16], "delta": 0.1, "width": 0.5})
    out = rnndyn("simulate", CLICKS, "--t-end", 20, "--dt", 1, "--input", right, "--input", left,
                 "--rtol", 1e-11, "--atol", 1e-11).json()
    z = np.array(out["z"])[:, 0]
    t = np.array(out["t"])
    expected = 0.1 * ((t >= 1.5).astype(int) + (t >= 6.5) + (t >= 11.5) - (t >= 16.5))
    settled = (t % 5) != 1  # samples not inside a pulse
    assert np.max(np.abs(z[settled] - expected[settled])) < 1e-8
    u = np.array(out["u"])
    assert u.shape == (21, 2) and u[1, 1] == 0.2 and u[2, 1] == 0.0  # t = 1: inside the first pulse
    assert [s["kind"] for s in out["options"]["inputs"]] == ["clicks", "clicks"]


def test_csv_and_npy_series_drive_a_map_one_row_per_step(rnndyn, write_model, tmp_path):
    W = np.array([[0.5, -0.3], [0.2, 0.4]])
    W_in = np.array([[1.0], [-0.5]])
    model = write_model({"model": "rnn", "W_hh": W.tolist(), "W_in": W_in.tolist(), "activation": "tanh"})
    series = np.sin(np.arange(7.0))[:, None]
    np.save(tmp_path / "u.npy", series)
    (tmp_path / "u.csv").write_text("u0\n" + "\n".join(f"{v:.17g}" for v in series[:, 0]) + "\n")
    h = np.zeros(2)
    expected = [h]
    for n in range(10):
        h = np.tanh(W @ h + W_in @ (series[n] if n < 7 else np.zeros(1)))
        expected.append(h)
    for path in ("u.npy", "u.csv"):
        out = rnndyn("simulate", model, "--t-end", 10, "--input", tmp_path / path).json()
        assert np.max(np.abs(np.array(out["x"]) - np.array(expected))) < 1e-14


def test_csv_output_has_input_and_readout_columns(rnndyn):
    step = json.dumps({"kind": "step", "channel": 1, "amplitude": 0.2, "onset": 1, "offset": 2})
    out = rnndyn("simulate", CLICKS, "--t-end", 3, "--dt", 1, "--input", step, "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "t,x0,x1,u0,u1,z0"
    assert float(lines[-1].split(",")[-1]) == pytest.approx(0.2, abs=1e-8)


def test_inputs_refused_where_they_do_not_fit(rnndyn, write_model):
    clicks = json.dumps({"kind": "clicks", "times": [1]})
    no_input = write_model({"model": "plrnn", "W": [[0.1, 0], [0, 0.1]]})
    assert_one_line_error(rnndyn("simulate", no_input, "--t-end", 5, "--input", clicks), "--input",
                          "no input weights")
    bad_width = json.dumps({"kind": "clicks", "times": [1], "width": -1})
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", bad_width), "--input[0].width")
    bad_dt = json.dumps({"kind": "noise", "dt": -1})
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", bad_dt), "--input[0].dt")
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", '{"kind": "clicks", "time": [1]}'),
                          "--input.time", "typo")
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", '{"kind": "chirp"}'),
                          "--input.kind")
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", json.dumps(
        {"kind": "series", "values": [[1, 2, 3]]})), "--input[0].values", "2 columns")


def test_readout_keys_are_checked(rnndyn, write_model):
    base = {"model": "rate", "form": "rate", "W": [[0, 1], [1, 0]]}
    assert_one_line_error(rnndyn("simulate", write_model(dict(base, W_out=[[1, 2, 3]])), "--t-end", 1), "W_out")
    assert_one_line_error(rnndyn("simulate", write_model(dict(base, W_out=[[1, 2]], b_out=[1, 2])), "--t-end", 1),
                          "b_out")
    assert_one_line_error(rnndyn("simulate", write_model(dict(base, b_out=[1])), "--t-end", 1), "b_out")
    out = rnndyn("simulate", write_model(dict(base, W_out=[1, -1], b_out=[0.5], x0=[2, 1])), "--t-end", 1,
                 "--dt", 1).json()
    assert abs(out["z"][0][0] - 1.5) < 1e-12  # a flat list is one row: z = x0 - x1 + 0.5 at t = 0


def test_response_of_a_linear_network_equals_its_closed_form(rnndyn, write_model):
    # tau dv/dt = -v + M v + W_in u, z = W_out v: G(omega) = C (i omega - A)^{-1} B, A = M - I.
    M = np.array([[0.5, -1.0], [1.0, 0.5]])
    W_in, W_out = np.array([[1.0], [0.0]]), np.array([[0.0, 1.0]])
    model = write_model({"model": "linear", "M": M.tolist(), "W_in": W_in.tolist(), "W_out": W_out.tolist()})
    out = rnndyn("response", model, "--t-end", 40, "--dt", 0.01, "--amplitude", 1, "--omega-max", 2,
                 "--n-omega", 20).json()
    omega = np.array(out["omega"])
    G = np.array([complex(*g) for g in out["G"]])
    exact = np.array([(W_out @ np.linalg.solve(1j * w * np.eye(2) - (M - np.eye(2)), W_in))[0, 0] for w in omega])
    assert np.max(np.abs(G - exact) / np.abs(exact)) < 1e-4  # trapezoid rule, (dt omega)^2/12 ~ 3e-5
    assert out["method"] == "impulse" and len(out["h"]) == 4001
    assert_one_line_error(rnndyn("response", EXAMPLES / "line_attractor_bounded.json"), "--channel", "no input")
    assert_one_line_error(rnndyn("response", model, "--readout", 3), "--readout")
    assert_one_line_error(rnndyn("response", model, "--method", "chirp"), "--method")


def test_an_esn_driven_by_a_series_is_the_numpy_loop(rnndyn, write_model, tmp_path):
    """An open-loop ESN with input weights, driven by a held series (one row per step): the states
    equal x' = (1 - lr) x + lr tanh(W x + W_in u_n + b) iterated in NumPy, to 1e-14."""
    rng = np.random.default_rng(2)
    W, W_in, b = 0.5 * rng.standard_normal((3, 3)) / np.sqrt(3), rng.standard_normal((3, 2)), 0.1 * np.ones(3)
    model = write_model({"model": "esn", "W": W.tolist(), "W_in": W_in.tolist(), "b": b.tolist(), "lr": 0.3})
    series = rng.standard_normal((6, 2))
    np.save(tmp_path / "u.npy", series)
    out = rnndyn("simulate", model, "--t-end", 8, "--input", tmp_path / "u.npy", "--x0", "[0.1, -0.2, 0.3]").json()
    x = np.array([0.1, -0.2, 0.3])
    expected = [x]
    for n in range(8):
        u = series[n] if n < 6 else np.zeros(2)
        x = 0.7 * x + 0.3 * np.tanh(W @ x + W_in @ u + b)
        expected.append(x)
    assert np.max(np.abs(np.array(out["x"]) - np.array(expected))) < 1e-14


def test_input_fields_of_the_wrong_type_or_name_say_so(rnndyn):
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", '{"kind": 3}'), "--input.kind",
                          "expected a string, got a number")
    bad = json.dumps({"kind": "series", "values": [[1, 2]], "interpolation": "cubic"})
    assert_one_line_error(rnndyn("simulate", CLICKS, "--t-end", 5, "--input", bad), "interpolation", "cubic")
