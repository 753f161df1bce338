"""The numeric finder's default solver (Powell's dogleg, then Levenberg-Marquardt) on a trained
network: the flip-flop GRU of 64 units in bench/models (trained by bench/train_flipflop.py).

Every stable fixed point the default run reports is checked with torch's own GRU cell, built from
the same weights in float64: the step maps the point onto itself (|F(x) - x| <= 1e-10) and the
Jacobian of the step, by torch's autograd, has every eigenvalue inside the unit circle (by at least
1e-6). Measured with seeds 0-3: 3 or 4 stable fixed points, in 1.4-1.6 s; Levenberg-Marquardt
alone (solver="lm", the default of rnndyn 0.1) found 1 fixed point there, a saddle, and no stable
one (bench/README.md, tenth session)."""
import json
from pathlib import Path

import numpy as np
import pytest

import rnndyn

torch = pytest.importorskip("torch")

MODELS = Path(__file__).resolve().parents[2] / "bench" / "models"


def _torch_cell(path):
    spec = json.loads(path.read_text())
    W_ih = np.load(path.parent / spec["W_ih"])
    W_hh = np.load(path.parent / spec["W_hh"])
    H = W_hh.shape[1]
    cell = torch.nn.GRUCell(W_ih.shape[1], H).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(W_ih))
        cell.weight_hh.copy_(torch.from_numpy(W_hh))
        cell.bias_ih.copy_(torch.tensor(spec["b_ih"], dtype=torch.float64))
        cell.bias_hh.copy_(torch.tensor(spec["b_hh"], dtype=torch.float64))
    u = torch.tensor(spec.get("u", [0.0] * W_ih.shape[1]), dtype=torch.float64)
    return lambda h: cell(u[None, :], h[None, :])[0]


def test_default_solver_finds_stable_fixed_points_of_the_flipflop_gru64_that_torch_confirms():
    path = MODELS / "flipflop_gru64.json"
    model = rnndyn.load_model(str(path))
    states = np.load(MODELS / "flipflop_gru64_states.npy")
    res = rnndyn.find_fixed_points(model, method="numeric", data=states, seed=0)
    assert str(res.options.numeric.solver) == "dogleg"
    stable = [p for p in res.fixed_points if p.stability.n_unstable == 0]
    assert len(stable) >= 3, res
    step = _torch_cell(path)
    for p in stable:
        x = torch.tensor(p.x, dtype=torch.float64)
        with torch.no_grad():
            assert float(torch.linalg.norm(step(x) - x)) <= 1e-10
        J = torch.autograd.functional.jacobian(step, x).numpy()
        assert np.abs(np.linalg.eigvals(J)).max() < 1.0 - 1e-6
