"""Build rnndyn models from PyTorch: recurrent modules (``nn.RNN``, ``nn.GRU``, ``nn.LSTM`` with any
``num_layers``, unidirectional, no projection, ``batch_first`` either way; the cells ``nn.RNNCell``,
``nn.GRUCell``, ``nn.LSTMCell``), their ``state_dict``, or any step function (``from_callable``).

The map analysed is one time step with a constant input ``u``: h' = cell(u, h) for one layer; for
a stack, h_0' = cell_0(u, h_0) and h_l' = cell_l(h_{l-1}', h_l) (layer l reads the new hidden state
of layer l-1, as torch's forward does). The state is laid out as torch's final states for batch 1:
``h_n.reshape(-1)`` (RNN, GRU: [h_0; ...; h_{L-1}]) and ``torch.cat([h_n.reshape(-1),
c_n.reshape(-1)])`` (LSTM: [h_0; ...; h_{L-1}; c_0; ...; c_{L-1}]; one layer: [h; c]). PyTorch's
two biases are kept separately (b_ih, b_hh) because the GRU's candidate gate uses them differently.
Weights are read in float64."""
import numbers
import re

import numpy as np

from . import _core, model_from_dict

__all__ = ["from_module", "from_state_dict", "from_callable"]

_GATES = {"rnn": 1, "gru": 3, "lstm": 4}
_BIDIRECTIONAL = ("bidirectional modules are not supported: a bidirectional RNN's hidden state is not the "
                  "state of a recurrent map run forward in time (its reverse direction runs from the end of the "
                  "sequence back to the start)")
_PROJECTION = ("LSTM with proj_size > 0 is not supported: its hidden state is the projection W_hr (o * tanh c), "
               "which the LSTM model does not have")
_LAYER_KEY = re.compile(r"^(?:weight|bias)_(?:ih|hh)_l(\d+)$")


def _np(t):
    return t.detach().cpu().double().numpy()


def _layer_suffixes(arrays):
    """The key suffixes of the layers in a state_dict: [""] for a cell (weight_hh), else _l0, _l1, ..."""
    if "weight_hh" in arrays:
        return [""]
    if "weight_hh_l0" not in arrays:
        raise ValueError("state_dict: missing weight_hh_l0 (a module's) or weight_hh (a cell's)")
    count = 0
    while f"weight_hh_l{count}" in arrays:
        count += 1
    for key in arrays:
        match = _LAYER_KEY.match(key)
        if match and int(match.group(1)) >= count:
            raise ValueError(f"state_dict: found {key} but no weight_hh_l{count}: layers must be numbered 0, 1, ...")
    return [f"_l{k}" for k in range(count)]


def _layer(arrays, suffix, kind):
    """(W_ih, W_hh, b_ih, b_hh) of one layer, checked to be matrices of a `kind` cell."""
    try:
        W_ih, W_hh = arrays["weight_ih" + suffix], arrays["weight_hh" + suffix]
    except KeyError as e:
        raise ValueError(f"state_dict: missing {e.args[0]}") from None
    for key, value in (("weight_ih" + suffix, W_ih), ("weight_hh" + suffix, W_hh)):
        if np.ndim(value) != 2:
            raise ValueError(f"{key}: expected a matrix, got shape {np.shape(value)}")
    gates, hidden = _GATES[kind], W_hh.shape[1]
    if W_hh.shape[0] != gates * hidden:
        raise ValueError(f"weight_hh{suffix}: shape {W_hh.shape} does not fit a {kind} with {hidden} units")
    b_ih = arrays.get("bias_ih" + suffix, np.zeros(gates * hidden))
    b_hh = arrays.get("bias_hh" + suffix, np.zeros(gates * hidden))
    return W_ih, W_hh, b_ih, b_hh


def _single_layer_spec(kind, layer, u, nonlinearity):
    W_ih, W_hh, b_ih, b_hh = layer
    if kind == "rnn":
        spec = {"model": "rnn", "activation": nonlinearity, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
        if W_ih.shape[1] > 0:
            spec.update(W_in=W_ih, u=u)
        return spec
    return {"model": kind, "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh, "u": u}


def _stacked_spec(kind, layers, u, nonlinearity):
    entries = []
    for l, (W_ih, W_hh, b_ih, b_hh) in enumerate(layers):
        entry = {"W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
        if l > 0 or W_ih.shape[1] > 0:
            entry["W_ih"] = W_ih
        entries.append(entry)
    spec = {"model": kind, "layers": entries}
    if layers[0][0].shape[1] > 0:
        spec["u"] = u
    if kind == "rnn":
        spec["activation"] = nonlinearity
    return spec


def from_state_dict(state_dict, kind, u=None, nonlinearity="tanh"):
    """``kind`` is 'rnn', 'gru' or 'lstm'. ``state_dict`` (tensors or arrays) is a module's
    (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then _l1, _l2, ... for further layers) or
    a cell's (weight_ih, weight_hh, bias_ih, bias_hh); missing biases (``bias=False``) are zero.
    ``u`` is the constant input of the first layer (default zeros); ``nonlinearity`` the RNN's
    ('tanh' or 'relu'). One layer gives the single-layer model of its kind (parameters W_hh[i,j],
    ...), several the stacked model (parameters W_hh_l1[i,j], b_ih_l0[k], u[i], ...: docs/models.md).
    Refuses bidirectional (``_reverse``) and projected-LSTM (``weight_hr``) weights."""
    if not isinstance(kind, str) or kind.lower() not in _GATES:
        raise ValueError(f"kind: expected 'rnn', 'gru' or 'lstm', got {kind!r}")
    kind = kind.lower()
    if not hasattr(state_dict, "items"):
        raise ValueError(f"state_dict: expected a mapping of parameter names to tensors, got {type(state_dict).__name__}")
    for key in state_dict:
        if "_reverse" in key:
            raise ValueError(f"state_dict: {_BIDIRECTIONAL} (found {key})")
        if key.startswith("weight_hr"):
            raise ValueError(f"state_dict: {_PROJECTION} (found {key})")
    arrays = {k: (_np(v) if hasattr(v, "detach") else np.asarray(v, dtype=float)) for k, v in state_dict.items()}
    layers = [_layer(arrays, suffix, kind) for suffix in _layer_suffixes(arrays)]
    first_input = layers[0][0].shape[1]
    u = np.zeros(first_input) if u is None else np.asarray(u, dtype=float).ravel()
    if len(layers) == 1:
        return model_from_dict(_single_layer_spec(kind, layers[0], u, nonlinearity))
    return model_from_dict(_stacked_spec(kind, layers, u, nonlinearity))


def from_module(module, u=None):
    """Model of a trained ``torch.nn.RNN``/``GRU``/``LSTM`` (any ``num_layers``; ``batch_first``
    either way, the weights are the same) or ``nn.RNNCell``/``GRUCell``/``LSTMCell`` with constant
    input ``u`` (default zeros). Dropout between layers acts only in training mode; the model is
    the module in eval mode. Bidirectional modules and LSTMs with ``proj_size > 0`` raise
    ValueError."""
    import torch.nn as nn

    if isinstance(module, (nn.LSTM, nn.LSTMCell)):
        kind, nonlinearity = "lstm", "tanh"
    elif isinstance(module, (nn.GRU, nn.GRUCell)):
        kind, nonlinearity = "gru", "tanh"
    elif isinstance(module, (nn.RNN, nn.RNNCell)):
        kind, nonlinearity = "rnn", module.nonlinearity
    else:
        raise ValueError("module: expected torch.nn.RNN, GRU or LSTM or the cells RNNCell, GRUCell or LSTMCell, "
                         f"got {type(module).__name__}")
    if getattr(module, "bidirectional", False):
        raise ValueError(f"module: {_BIDIRECTIONAL}")
    if getattr(module, "proj_size", 0):
        raise ValueError(f"module: {_PROJECTION}")
    return from_state_dict(module.state_dict(), kind, u=u, nonlinearity=nonlinearity)


def from_callable(step, dim, *, time="map", jacobian=None, name="callable"):
    """A model whose F is a Python function of a torch tensor: ``step(h)`` the next state of a map
    h' = f(h) (``time='map'``), or dx/dt = f(x) (``time='flow'``), for states of ``dim`` entries.
    Every analysis runs on it (``find_fixed_points(model, method='numeric')``, ``simulate``,
    ``linearize``, ``lyapunov``, ...) except those that vary a named parameter (continuation,
    perturbation): it has none. ``step`` is called
    with a float64 tensor of shape (dim,) and returns a tensor of dim entries (a module inside
    should be ``.double()``); e.g. ``lambda h: cell(u, h)`` for a ``GRUCell`` with input ``u``.
    The Jacobian is ``torch.func.jacrev(step)`` unless ``jacobian(x)`` (dim x dim) is given, e.g.
    when ``step`` uses operations ``torch.func`` cannot transform. ``name`` is the model's
    ``kind``. An exception raised by ``step`` reaches the caller of the analysis (inside the
    numeric finder's parallel starts after they end). Slower than the native cells: every
    evaluation is a Python call under the GIL, so the numeric finder's threads take turns."""
    import torch

    if not callable(step):
        raise ValueError(f"step: expected a callable, got {type(step).__name__}")
    if jacobian is not None and not callable(jacobian):
        raise ValueError(f"jacobian: expected a callable or None, got {type(jacobian).__name__}")
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim < 1:
        raise ValueError(f"dim: expected a positive integer, got {dim!r}")
    if time not in ("map", "flow", "discrete", "continuous"):
        raise ValueError(f"time: expected 'map' or 'flow', got {time!r}")
    dim = int(dim)

    def as_array(value, what, shape):
        value = torch.as_tensor(value)
        if value.numel() != int(np.prod(shape)):
            raise ValueError(f"{what}: expected {' x '.join(map(str, shape))} values, got shape {tuple(value.shape)}")
        return value.detach().to(dtype=torch.float64, device="cpu").reshape(shape).numpy()

    def with_output(x):
        y = step(x)
        return y, y.detach()

    def fun(x, want_jacobian):
        x = torch.from_numpy(x)  # C++ passes a fresh copy of its state
        if want_jacobian and jacobian is None:
            J, y = torch.func.jacrev(with_output, has_aux=True)(x)
            return as_array(y, "step", (dim,)), as_array(J, "jacobian", (dim, dim))
        with torch.no_grad():
            y = as_array(step(x), "step", (dim,))
            return y, (as_array(jacobian(x), "jacobian", (dim, dim)) if want_jacobian else None)

    return _core._callable_model(fun, dim, time, name)
