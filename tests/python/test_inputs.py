"""simulate(inputs=...) from Python: a map driven by one input per step against a plain NumPy loop,
the readout z of seed 000's bounded line attractor counting clicks, the same document as the
CLI's, and bad signals refused with the field named."""
import json

import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES, assert_same
from conftest import cli_json as cli


def test_gru_map_with_per_step_inputs_matches_numpy_loop():
    # torch's GRU cell (r, z, n gates), h' = (1 - z) n + z h, iterated by hand with input u_n.
    rng = np.random.default_rng(3)
    H, I, T = 3, 2, 12
    W_ih, W_hh = rng.normal(size=(3 * H, I)) * 0.5, rng.normal(size=(3 * H, H)) * 0.5
    b_ih, b_hh = rng.normal(size=3 * H) * 0.1, rng.normal(size=3 * H) * 0.1
    model = rnndyn.model_from_dict({"model": "gru", "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh})
    u = rng.normal(size=(T, I))
    noise = {"kind": "noise", "sigma": 0.3, "seed": 9, "channel": 1}
    traj = rnndyn.simulate(model, np.zeros(H), t_end=T, inputs=[{"kind": "series", "values": u}, noise])
    assert traj.u.shape == (T + 1, I)
    drive = traj.u[:T]
    assert np.array_equal(drive[:, 0], u[:, 0])  # channel 0: the series alone
    noise_part = drive[:, 1] - u[:, 1]
    assert 0.05 < noise_part.std() < 1.0 and np.all(noise_part != 0)  # sigma = 0.3, 12 draws
    sig = lambda a: 1 / (1 + np.exp(-a))
    h = np.zeros(H)
    for n in range(T):
        gi, gh = W_ih @ drive[n] + b_ih, W_hh @ h + b_hh
        r, z = sig(gi[:H] + gh[:H]), sig(gi[H:2 * H] + gh[H:2 * H])
        c = np.tanh(gi[2 * H:] + r * gh[2 * H:])
        h = (1 - z) * c + z * h
        assert np.max(np.abs(traj.x[n + 1] - h)) < 1e-13, n
    # The same seed draws the same noise.
    again = rnndyn.simulate(model, np.zeros(H), t_end=T, inputs=[{"kind": "series", "values": u}, noise])
    assert np.array_equal(again.u, traj.u)


def test_line_attractor_readout_counts_clicks_and_matches_cli():
    path = EXAMPLES / "line_attractor_bounded_clicks.json"
    model = rnndyn.load_model(str(path))
    clicks = rnndyn.input_signal("clicks", channel=1, times=[2, 12], signs=[1, 1], delta=0.1, width=0.5)
    back = {"kind": "clicks", "channel": 0, "times": [22], "delta": 0.1, "width": 0.5}
    traj = rnndyn.simulate(model, t_end=30, dt=1, rtol=1e-11, atol=1e-11, inputs=[clicks, back])
    assert traj.z.shape == (31, 1)
    assert abs(traj.z[10, 0] - 0.1) < 1e-8 and abs(traj.z[20, 0] - 0.2) < 1e-8 and abs(traj.z[30, 0] - 0.1) < 1e-8
    assert_same(cli("simulate", path, "--t-end", 30, "--dt", 1, "--rtol", 1e-11, "--atol", 1e-11,
                    "--input", json.dumps(clicks.to_dict()), "--input", json.dumps(back)), traj)


def test_bad_signals_name_their_field():
    model = rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded_clicks.json"))
    with pytest.raises(ValueError, match=r"^inputs\[0\]\.width: must be a finite number > 0"):
        rnndyn.simulate(model, t_end=5, inputs={"kind": "clicks", "times": [1], "width": 0})
    with pytest.raises(ValueError, match=r"^inputs\[0\]\.tims: not a field"):
        rnndyn.simulate(model, t_end=5, inputs=[{"kind": "clicks", "tims": [1]}])
    with pytest.raises(ValueError, match=r"^inputs\[0\]\.kind"):
        rnndyn.simulate(model, t_end=5, inputs=[{"kind": "chirp"}])
    no_input = rnndyn.model_from_dict({"model": "plrnn", "W": [[0.1, 0], [0, 0.1]]})
    with pytest.raises(ValueError, match=r"^inputs: the plrnn model has no input weights"):
        rnndyn.simulate(no_input, t_end=5, inputs=[{"kind": "step"}])


def test_response_matches_cli_and_closed_form(tmp_path):
    spec = {"model": "linear", "M": [[0.5, -1.0], [1.0, 0.5]], "W_in": [[1.0], [0.0]], "W_out": [[0.0, 1.0]]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(spec))
    res = rnndyn.response(rnndyn.load_model(str(path)), method="noise", t_end=100, transient=10, dt=0.05,
                          repeats=8, n_omega=10, omega_max=2, amplitude=1.0, seed=4)
    assert_same(cli("response", path, "--method", "noise", "--t-end", 100, "--transient", 10, "--dt", 0.05,
                    "--repeats", 8, "--n-omega", 10, "--omega-max", 2, "--amplitude", 1, "--seed", 4), res)
    A = np.array(spec["M"]) - np.eye(2)
    exact = np.array([np.linalg.solve(1j * w * np.eye(2) - A, [1.0, 0.0])[1] for w in res.omega])
    # 8 realisations of 100 time units: measured worst 9 %, all 10 inside the band; allow 20 %.
    assert np.max(np.abs(res.G - exact) / np.abs(exact)) < 0.2
    assert res.G.dtype == complex and res.band.shape == (10,)


def test_plots_of_driven_trajectory_and_response(tmp_path):
    import rnndyn.plot as rplot
    model = rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded_clicks.json"))
    traj = rnndyn.simulate(model, t_end=20, dt=0.5, inputs=[{"kind": "clicks", "channel": 1, "times": [2, 8],
                                                              "delta": 0.1, "width": 0.5}])
    fig = rplot.driven_trajectory(traj)
    assert [ax.get_ylabel() for ax in fig.axes] == ["input u", "state x", "readout z"]
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[2].lines) == 1
    fig.savefig(tmp_path / "driven.png")
    spec = {"model": "linear", "M": [[0.5, -1.0], [1.0, 0.5]], "W_in": [[1.0], [0.0]], "W_out": [[0.0, 1.0]]}
    res = rnndyn.response(rnndyn.model_from_dict(spec), t_end=40, dt=0.01, amplitude=1, n_omega=20, omega_max=2)
    exact = [np.linalg.solve(1j * w * np.eye(2) - (np.array(spec["M"]) - np.eye(2)), [1.0, 0.0])[1] for w in res.omega]
    fig = rplot.response(res, G_theory=exact)
    assert len(fig.axes[0].lines) == 2
    fig.savefig(tmp_path / "response.png")
    with pytest.raises(ValueError, match="^result: expected a response result"):
        rplot.response(traj)
    with pytest.raises(ValueError, match="^G_theory: expected 20 values"):
        rplot.response(res, G_theory=[1.0])
