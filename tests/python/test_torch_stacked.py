"""rnndyn.torch for stacked modules (num_layers > 1), the cells, refusals, and Python callables as
models, against torch's own forward pass and autograd in float64 (random weights, fixed seeds).
Tolerances: 1e-12 absolute on O(1) values for F and DF (both sides float64; measured ~1e-15)."""
import json
import os

import numpy as np
import pytest

import rnndyn

if os.environ.get("RNNDYN_REQUIRE_TORCH"):
    import torch
else:
    torch = pytest.importorskip("torch")
import rnndyn.torch as rtorch  # noqa: E402

TOL = 1e-12
MODULES = [("GRU", "tanh"), ("LSTM", "tanh"), ("RNN", "tanh"), ("RNN", "relu")]


def _module(cls, nonlinearity, layers, *, input_size=3, hidden=4, seed=0, scale=2.0, **kwargs):
    """A float64 torch.nn.<cls> with weights scaled up from torch's U(-1/sqrt(H), 1/sqrt(H)), so
    that the gates leave their linear range."""
    torch.manual_seed(seed)
    if cls == "RNN":
        kwargs["nonlinearity"] = nonlinearity
    module = getattr(torch.nn, cls)(input_size, hidden, num_layers=layers, **kwargs).double()
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(scale)
    return module.eval()


def _torch_step(module, u, state):
    """One step of a (multi-layer) module from the rnndyn state with input u, as an rnndyn state:
    h_n.reshape(-1), and for LSTMs cat(h_n.reshape(-1), c_n.reshape(-1))."""
    L, H = module.num_layers, module.hidden_size
    x = torch.as_tensor(np.asarray(u, dtype=float)).reshape(1, 1, -1)
    state = torch.as_tensor(state, dtype=torch.float64)
    if isinstance(module, torch.nn.LSTM):
        h, c = state.reshape(2, L, 1, H)
        _, (h1, c1) = module(x, (h.contiguous(), c.contiguous()))
        return torch.cat([h1.reshape(-1), c1.reshape(-1)])
    _, h1 = module(x, state.reshape(L, 1, H))
    return h1.reshape(-1)


@pytest.mark.parametrize("cls,nonlinearity", MODULES)
@pytest.mark.parametrize("layers", [2, 3])
def test_stacked_modules_match_torch_forward_and_autograd(cls, nonlinearity, layers):
    module = _module(cls, nonlinearity, layers)
    u = np.array([0.3, -1.0, 0.5])
    model = rtorch.from_module(module, u=u)
    states = 4 * layers * (2 if cls == "LSTM" else 1)
    assert model.kind == cls.lower() and model.dim == states and model.time == "discrete"
    rng = np.random.default_rng(layers)
    for _ in range(5):
        x = rng.normal(size=model.dim)
        np.testing.assert_allclose(model.rhs(x), _torch_step(module, u, x).detach().numpy(), rtol=0, atol=TOL)
        J = torch.autograd.functional.jacobian(lambda s: _torch_step(module, u, s), torch.tensor(x))
        np.testing.assert_allclose(model.jacobian(x), J.numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("cls,nonlinearity", MODULES)
def test_batch_first_gives_the_same_model(cls, nonlinearity):
    a = _module(cls, nonlinearity, 2)
    b = _module(cls, nonlinearity, 2, batch_first=True)
    b.load_state_dict(a.state_dict())
    u = [0.2, 0.1, -0.4]
    ma, mb = rtorch.from_module(a, u=u), rtorch.from_module(b, u=u)
    assert ma.parameter_blocks() == mb.parameter_blocks()
    x = np.linspace(-1, 1, ma.dim)
    np.testing.assert_array_equal(ma.rhs(x), mb.rhs(x))
    # and batch_first's own forward (batch, seq, input) agrees with the model
    np.testing.assert_allclose(mb.rhs(x), _torch_step(b, u, x).detach().numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("cls,nonlinearity", [("GRUCell", "tanh"), ("LSTMCell", "tanh"), ("RNNCell", "tanh"),
                                              ("RNNCell", "relu")])
@pytest.mark.parametrize("bias", [True, False])
def test_cells_match_torch(cls, nonlinearity, bias):
    torch.manual_seed(5)
    kwargs = {"nonlinearity": nonlinearity} if cls == "RNNCell" else {}
    cell = getattr(torch.nn, cls)(2, 5, bias=bias, **kwargs).double()
    u = np.array([0.7, -0.2])
    model = rtorch.from_module(cell, u=u)
    assert model.kind == cls[:-4].lower()
    rng = np.random.default_rng(6)
    ut = torch.tensor(u)
    for _ in range(5):
        x = rng.normal(size=model.dim)
        if cls == "LSTMCell":
            h, c = cell(ut, (torch.tensor(x[:5]), torch.tensor(x[5:])))
            want = torch.cat([h, c])
        else:
            want = cell(ut, torch.tensor(x))
        np.testing.assert_allclose(model.rhs(x), want.detach().numpy(), rtol=0, atol=TOL)


def test_stacked_parameters_have_torch_names():
    module = _module("GRU", "tanh", 2, input_size=2, hidden=3)
    model = rtorch.from_module(module, u=[0.5, -0.5])
    names = [b[0] for b in model.parameter_blocks()]
    assert names == ["W_ih_l0", "W_hh_l0", "b_ih_l0", "b_hh_l0", "W_ih_l1", "W_hh_l1", "b_ih_l1", "b_hh_l1", "u"]
    assert model.parameter("W_hh_l1[0,1]") == module.weight_hh_l1[0, 1].item()
    assert model.parameter("b_ih_l0[4]") == module.bias_ih_l0[4].item()
    assert model.parameter("W_ih_l1[8,2]") == module.weight_ih_l1[8, 2].item()
    assert model.parameter("u[1]") == -0.5
    # Changing a parameter by name is changing that torch weight.
    model.set_parameter("W_hh_l1[0,1]", 0.7)
    with torch.no_grad():
        module.weight_hh_l1[0, 1] = 0.7
    x = np.linspace(-1, 1, 6)
    np.testing.assert_allclose(model.rhs(x), _torch_step(module, [0.5, -0.5], x).detach().numpy(), rtol=0,
                               atol=TOL)
    with pytest.raises(ValueError, match="W_hh_l2"):
        model.parameter("W_hh_l2[0,0]")


def test_refuses_bidirectional_and_projections():
    torch.manual_seed(0)  # the modules' weights are drawn (and unused): seeded all the same
    with pytest.raises(ValueError, match="bidirectional.*not the state of a recurrent map run forward in time"):
        rtorch.from_module(torch.nn.GRU(2, 3, num_layers=2, bidirectional=True))
    with pytest.raises(ValueError, match="bidirectional"):
        rtorch.from_state_dict(torch.nn.LSTM(2, 3, bidirectional=True).state_dict(), "lstm")
    with pytest.raises(ValueError, match="proj_size"):
        rtorch.from_module(torch.nn.LSTM(2, 4, proj_size=2))
    with pytest.raises(ValueError, match="proj_size"):
        rtorch.from_state_dict(torch.nn.LSTM(2, 4, num_layers=2, proj_size=2).state_dict(), "lstm")
    sd = torch.nn.GRU(2, 3, num_layers=3).state_dict()
    for key in [k for k in sd if k.endswith("_l1")]:
        del sd[key]
    with pytest.raises(ValueError, match="weight_.*_l2 but no weight_hh_l1"):
        rtorch.from_state_dict(sd, "gru")


def test_state_dict_of_a_stack_without_biases():
    module = _module("LSTM", "tanh", 2, input_size=2, hidden=3, bias=False)
    a = rtorch.from_module(module, u=[1.0, 0.0])
    b = rtorch.from_state_dict({k: v.numpy() for k, v in module.state_dict().items()}, "LSTM", u=[1.0, 0.0])
    x = np.linspace(-1, 1, 12)
    np.testing.assert_array_equal(a.rhs(x), b.rhs(x))
    np.testing.assert_allclose(a.rhs(x), _torch_step(module, [1.0, 0.0], x).detach().numpy(), rtol=0, atol=TOL)


# --- Python callables as models -------------------------------------------------------------


def _gru_cell_pair(seed=5, hidden=4):
    """A float64 GRUCell with input u, its native rnndyn model and the callable model of its step.
    Seed 5 with the weights scaled by 3 has three hyperbolic fixed points (two stable foci and a
    saddle, every |lambda| at least 0.07 from 1), so the finder's end points are well conditioned."""
    torch.manual_seed(seed)
    cell = torch.nn.GRUCell(2, hidden).double()
    with torch.no_grad():
        for p in cell.parameters():
            p.mul_(3.0)
    u = np.array([0.3, -0.2])
    ut = torch.tensor(u)
    return cell, rtorch.from_module(cell, u=u), rtorch.from_callable(lambda h: cell(ut, h), hidden)


def test_callable_model_equals_the_native_gru():
    _, native, model = _gru_cell_pair()
    assert model.kind == "callable" and model.dim == 4 and model.time == "discrete"
    assert model.parameter_blocks() == []
    with pytest.raises(ValueError, match=r"the callable model has no parameter 'W' \(it has none\)"):
        model.parameter("W[0,0]")
    rng = np.random.default_rng(8)
    for _ in range(5):
        x = rng.normal(size=4)
        np.testing.assert_allclose(model.rhs(x), native.rhs(x), rtol=0, atol=TOL)
        np.testing.assert_allclose(model.jacobian(x), native.jacobian(x), rtol=0, atol=TOL)
    with pytest.warns(RuntimeWarning, match="not a fixed point"):  # the origin is not one: only DF is compared
        lin = rnndyn.linearize(model, np.zeros(4))
    np.testing.assert_allclose(lin.jacobian, native.jacobian(np.zeros(4)), rtol=0, atol=TOL)
    t1, x1 = rnndyn.simulate(model, np.full(4, 0.5), t_end=20)
    t2, x2 = rnndyn.simulate(native, np.full(4, 0.5), t_end=20)
    np.testing.assert_allclose(x1, x2, rtol=0, atol=1e-11)


@pytest.mark.parametrize("threads", [1, 0])
@pytest.mark.parametrize("solver", ["lm", "dogleg"])
def test_callable_model_finds_the_native_fixed_points(threads, solver):
    """Same starts, same solver: the same fixed points, whether the starts run on one or all OpenMP
    threads. With Levenberg-Marquardt the iterates differ by the round-off of the two Jacobians
    only, so every run ends alike; the dogleg's trust-radius decisions can send one run of the 24
    another way on a round-off difference (measured: 19 against 20 runs reach a fixed point), so
    there only the points are compared."""
    _, native, model = _gru_cell_pair()
    starts = np.random.default_rng(9).uniform(-1.5, 1.5, size=(24, 4))
    a = rnndyn.find_fixed_points(native, method="numeric", starts=starts, threads=threads, solver=solver)
    b = rnndyn.find_fixed_points(model, method="numeric", starts=starts, threads=threads, solver=solver)
    assert sorted(p.stability.type for p in a.fixed_points) == ["saddle", "stable focus", "stable focus"]
    assert len(b.fixed_points) == 3
    if solver == "lm":
        assert b.numeric.n_fixed_runs == a.numeric.n_fixed_runs
    for p, q in zip(sorted(a.fixed_points, key=lambda p: tuple(p.x)), sorted(b.fixed_points, key=lambda p: tuple(p.x))):
        np.testing.assert_allclose(q.x, p.x, rtol=0, atol=1e-10)  # measured 2e-15
        assert q.stability == p.stability


def test_callable_flow_with_a_given_jacobian():
    W = torch.tensor([[0.0, 2.0], [-2.0, -1.0]], dtype=torch.float64)
    model = rtorch.from_callable(lambda x: -x + W @ torch.tanh(x), 2, time="flow", name="tiny",
                                 jacobian=lambda x: -torch.eye(2, dtype=torch.float64) + W * (1 - torch.tanh(x) ** 2))
    assert model.kind == "tiny" and model.time == "continuous"
    auto = rtorch.from_callable(lambda x: -x + W @ torch.tanh(x), 2, time="flow")
    x = np.array([0.3, -0.8])
    np.testing.assert_allclose(model.jacobian(x), auto.jacobian(x), rtol=0, atol=TOL)
    r = rnndyn.find_fixed_points(model, method="numeric", starts=16, seed=1)
    assert any(np.allclose(p.x, 0, atol=1e-10) for p in r.fixed_points)


class Boom(Exception):
    pass


def _failing(after):
    """A map h' = tanh(h) / 2 whose calls from the `after`-th on raise Boom while state["after"] is
    not None; state["calls"] counts the calls."""
    state = {"calls": 0, "after": after}

    def step(h):
        state["calls"] += 1
        if state["after"] is not None and state["calls"] >= state["after"]:
            raise Boom("step failed")
        return torch.tanh(h) / 2

    return step, state


def test_errors_of_the_callable_reach_the_caller():
    step, _ = _failing(1)
    model = rtorch.from_callable(step, 3)
    with pytest.raises(Boom, match="step failed"):
        model.rhs(np.zeros(3))
    with pytest.raises(Boom):
        model.jacobian(np.zeros(3))
    with pytest.raises(Boom):
        rnndyn.simulate(model, np.zeros(3), t_end=5)
    with pytest.raises(Boom):
        rnndyn.linearize(model, np.zeros(3))
    bad_shape = rtorch.from_callable(lambda h: torch.zeros(4, dtype=torch.float64), 3)
    with pytest.raises(ValueError, match="step: expected 3 values"):
        bad_shape.rhs(np.zeros(3))
    with pytest.raises(ValueError, match="dim"):
        rtorch.from_callable(step, 0)
    with pytest.raises(ValueError, match="time"):
        rtorch.from_callable(step, 3, time="sometimes")


@pytest.mark.parametrize("threads", [1, 4])
def test_errors_inside_the_parallel_starts_reach_the_caller(threads):
    """The numeric finder runs its starts in an OpenMP region, where an exception cannot propagate:
    the model holds the first error, the starts end as non-finite, and the error is raised after."""
    step, state = _failing(40)
    model = rtorch.from_callable(step, 3)
    starts = np.random.default_rng(10).normal(size=(32, 3))
    with pytest.raises(Boom, match="step failed"):
        rnndyn.find_fixed_points(model, method="numeric", starts=starts, threads=threads)
    # Python is not called again once the error is held (torch may release the GIL within a call,
    # so each other thread may have entered one more call before the error was held).
    assert 40 <= state["calls"] <= 40 + threads - 1
    # The error was raised once and forgotten: the same model works when its step does.
    state["after"] = None
    r = rnndyn.find_fixed_points(model, method="numeric", starts=starts, threads=threads)
    assert r.numeric.n_fixed_runs == 32 and len(r.fixed_points) == 1
    np.testing.assert_allclose(r.fixed_points[0].x, 0, rtol=0, atol=1e-10)


def test_stacked_model_file_with_npy_layers_through_the_cli(tmp_path):
    """A 2-layer LSTM written as a model file whose layers are .npy files beside it: the loader
    resolves them against the file, the map is torch's, and the CLI gives Python's document."""
    from conftest import assert_same, cli_json

    module = _module("LSTM", "tanh", 2, input_size=2, hidden=2, seed=3, scale=1.0)
    layers = []
    for l in range(2):
        entry = {}
        for key, name in (("W_ih", "weight_ih"), ("W_hh", "weight_hh"), ("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
            np.save(tmp_path / f"{name}_l{l}.npy", getattr(module, f"{name}_l{l}").detach().numpy())
            entry[key] = f"{name}_l{l}.npy"
        layers.append(entry)
    path = tmp_path / "lstm2.json"
    path.write_text(json.dumps({"model": "lstm", "layers": layers, "u": [0.5, -0.5]}))
    model = rnndyn.load_model(str(path))
    x = np.linspace(-1, 1, 8)
    np.testing.assert_allclose(model.rhs(x), _torch_step(module, [0.5, -0.5], x).detach().numpy(), rtol=0, atol=TOL)
    res = rnndyn.find_fixed_points(model, method="numeric", starts=16, seed=2)
    assert_same(cli_json("fixed-points", path, "--method", "numeric", "--starts", 16, "--seed", 2), res)
    assert res.info.model == "lstm" and len(res.fixed_points) >= 1
