"""Build rnndyn models from PyTorch recurrent modules (``nn.RNN``, ``nn.GRU``, ``nn.LSTM``,
single layer, unidirectional, ``batch_first`` either way) or from their ``state_dict``.

The cell with a constant input ``u`` is the map analysed: h' = cell(u, h) (LSTM state [h; c]).
PyTorch's two biases are kept separately (b_ih, b_hh) because the GRU's candidate gate uses them
differently."""
import numpy as np

from . import model_from_dict

__all__ = ["from_module", "from_state_dict"]


def _np(t):
    return t.detach().cpu().double().numpy()


def from_state_dict(state_dict, kind, u=None, nonlinearity="tanh"):
    """``kind`` is 'rnn', 'gru' or 'lstm'; ``state_dict`` holds weight_ih_l0, weight_hh_l0 and,
    optionally, bias_ih_l0, bias_hh_l0 (tensors or arrays). ``u`` is the constant input
    (default zeros)."""
    if not isinstance(kind, str) or kind.lower() not in ("rnn", "gru", "lstm"):
        raise ValueError(f"kind: expected 'rnn', 'gru' or 'lstm', got {kind!r}")
    kind = kind.lower()
    if not hasattr(state_dict, "items"):
        raise ValueError(f"state_dict: expected a mapping of parameter names to tensors, got {type(state_dict).__name__}")
    for key in state_dict:
        if key.endswith("_l1") or "_reverse" in key:
            raise ValueError(f"state_dict: only single-layer, unidirectional modules are supported (found {key})")
    get = {k: (_np(v) if hasattr(v, "detach") else np.asarray(v, dtype=float)) for k, v in state_dict.items()}
    try:
        W_ih, W_hh = get["weight_ih_l0"], get["weight_hh_l0"]
    except KeyError as e:
        raise ValueError(f"state_dict: missing {e.args[0]}") from None
    for key, value in (("weight_ih_l0", W_ih), ("weight_hh_l0", W_hh)):
        if np.ndim(value) != 2:
            raise ValueError(f"{key}: expected a matrix, got shape {np.shape(value)}")
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[kind]
    hidden = W_hh.shape[1]
    if W_hh.shape[0] != gates * hidden:
        raise ValueError(f"weight_hh_l0: shape {W_hh.shape} does not fit a {kind} with {hidden} units")
    b_ih = get.get("bias_ih_l0", np.zeros(gates * hidden))
    b_hh = get.get("bias_hh_l0", np.zeros(gates * hidden))
    u = np.zeros(W_ih.shape[1]) if u is None else np.asarray(u, dtype=float).ravel()
    if kind == "rnn":
        spec = {"model": "rnn", "activation": nonlinearity, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}
        if W_ih.shape[1] > 0:
            spec.update(W_in=W_ih, u=u)
    else:
        spec = {"model": kind, "W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh, "u": u}
    return model_from_dict(spec)


def from_module(module, u=None):
    """Model of a trained ``torch.nn.RNN``/``GRU``/``LSTM`` with constant input ``u``."""
    import torch.nn as nn

    if getattr(module, "num_layers", 1) != 1 or getattr(module, "bidirectional", False):
        raise ValueError("module: only single-layer, unidirectional RNN/GRU/LSTM modules are supported")
    if getattr(module, "proj_size", 0):
        raise ValueError("module: LSTM with proj_size is not supported")
    if isinstance(module, nn.LSTM):
        kind, nonlinearity = "lstm", "tanh"
    elif isinstance(module, nn.GRU):
        kind, nonlinearity = "gru", "tanh"
    elif isinstance(module, nn.RNN):
        kind, nonlinearity = "rnn", module.nonlinearity
    else:
        raise ValueError(f"module: expected torch.nn.RNN, GRU or LSTM, got {type(module).__name__}")
    return from_state_dict(module.state_dict(), kind, u=u, nonlinearity=nonlinearity)
