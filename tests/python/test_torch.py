"""rnndyn.torch against PyTorch's own forward pass (torch 2.13, scripts/requirements-dev.txt).
ctest sets RNNDYN_REQUIRE_TORCH, so that a missing torch fails there instead of skipping."""
import os

import numpy as np
import pytest

import rnndyn

if os.environ.get("RNNDYN_REQUIRE_TORCH"):
    import torch
else:
    torch = pytest.importorskip("torch")
import rnndyn.torch as rtorch  # noqa: E402


def _step(module, u, state):
    """One step of the module from state with input u, returned as the rnndyn state vector."""
    x = torch.tensor(u, dtype=torch.float64).reshape(1, 1, -1)
    if isinstance(module, torch.nn.LSTM):
        h, c = np.split(state, 2)
        hc = (torch.tensor(h).reshape(1, 1, -1), torch.tensor(c).reshape(1, 1, -1))
        _, (h1, c1) = module(x, hc)
        return np.concatenate([h1.detach().numpy().ravel(), c1.detach().numpy().ravel()])
    _, h1 = module(x, torch.tensor(state).reshape(1, 1, -1))
    return h1.detach().numpy().ravel()


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_matches_pytorch_forward(nonlinearity):
    torch.manual_seed(0)
    module = torch.nn.RNN(3, 6, nonlinearity=nonlinearity).double()
    u = np.array([0.3, -1.0, 0.5])
    model = rtorch.from_module(module, u=u)
    assert model.kind == "rnn" and model.dim == 6 and model.time == "discrete"
    rng = np.random.default_rng(1)
    for _ in range(5):
        h = rng.normal(size=6)
        np.testing.assert_allclose(model.rhs(h), _step(module, u, h), atol=1e-12)


def test_batch_first_makes_no_difference_and_state_dict_works():
    torch.manual_seed(1)
    a = torch.nn.RNN(2, 4, batch_first=True).double()
    model_a = rtorch.from_module(a, u=[1.0, 2.0])
    model_b = rtorch.from_state_dict(a.state_dict(), "rnn", u=[1.0, 2.0])
    h = np.linspace(-1, 1, 4)
    np.testing.assert_array_equal(model_a.rhs(h), model_b.rhs(h))


def test_rejects_unsupported_modules():
    torch.manual_seed(0)  # the modules' weights are drawn (and unused): seeded all the same
    with pytest.raises(ValueError, match="bidirectional"):
        rtorch.from_module(torch.nn.RNN(2, 3, bidirectional=True))
    with pytest.raises(ValueError, match="expected torch.nn.RNN"):
        rtorch.from_module(torch.nn.Linear(2, 3))
    with pytest.raises(ValueError, match="kind"):
        rtorch.from_state_dict({}, "transformer")


@pytest.mark.parametrize("cls", ["GRU", "LSTM"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_gru_and_lstm_match_pytorch_forward(cls, batch_first):
    torch.manual_seed(2)
    module = getattr(torch.nn, cls)(3, 5, batch_first=batch_first).double()
    u = np.array([0.2, -0.7, 1.1])
    model = rtorch.from_module(module, u=u)
    assert model.kind == cls.lower() and model.time == "discrete"
    assert model.dim == (10 if cls == "LSTM" else 5)
    rng = np.random.default_rng(3)
    for _ in range(5):
        state = rng.normal(size=model.dim)
        np.testing.assert_allclose(model.rhs(state), _step(module, u, state), atol=1e-12)


def test_trained_gru_fixed_points_have_small_residual():
    torch.manual_seed(4)
    module = torch.nn.GRU(2, 6).double()
    model = rtorch.from_module(module)
    r = rnndyn.find_fixed_points(model, starts=64, seed=1)
    assert len(r.fixed_points) >= 1
    for p in r.fixed_points:
        h = np.asarray(p.x)
        assert np.max(np.abs(_step(module, np.zeros(2), h) - h)) < 1e-7
