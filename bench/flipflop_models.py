"""Shared helpers of the trained flip-flop benchmarks (train_flipflop.py, numeric_seeds.py,
fpf_trained.py): the 3-bit flip-flop task, rnndyn model files of trained PyTorch cells (matrices as
float32 .npy next to the JSON, the exact trained values), rebuilding the torch module from such a
file, and a float64 NumPy implementation of the cells (PyTorch's equations, zero input unless u is
set) that checks q independently of both finders.

State conventions (rnndyn's): GRU and tanh RNN: h (H); LSTM: [h; c] (2H).
"""
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fpf_compare import flipflop_batch  # noqa: E402  (the task generator, reused)

__all__ = ["flipflop_batch", "make_module", "save_model", "read_spec", "module_from_spec", "step64", "q64",
           "hidden_states", "hidden_states_from", "MODELS_DIR", "manifest"]

MODELS_DIR = Path(__file__).resolve().parent / "models"
GATES = {"gru": 3, "lstm": 4, "rnn": 1}


def make_module(kind, n_in, n_hidden):
    import torch

    if kind == "gru":
        return torch.nn.GRU(n_in, n_hidden, batch_first=True)
    if kind == "lstm":
        return torch.nn.LSTM(n_in, n_hidden, batch_first=True)
    if kind == "tanh":
        return torch.nn.RNN(n_in, n_hidden, nonlinearity="tanh", batch_first=True)
    raise ValueError(kind)


def save_model(module, kind, path, u=None):
    """Writes ``module`` (nn.GRU / nn.LSTM / nn.RNN tanh, one layer) as an rnndyn model file:
    the JSON at ``path``, its matrices as float32 .npy files beside it (``<stem>_W_hh.npy``, ...),
    biases inline (float32 values, exact in JSON)."""
    path = Path(path)
    sd = {k: v.detach().cpu().float().numpy() for k, v in module.state_dict().items()}
    stem = path.stem
    n_in = sd["weight_ih_l0"].shape[1]
    u = [0.0] * n_in if u is None else [float(v) for v in u]

    def npy(name, arr):
        fname = f"{stem}_{name}.npy"
        np.save(path.parent / fname, np.ascontiguousarray(arr, dtype=np.float32))
        return fname

    spec = {"model": "rnn" if kind == "tanh" else kind}
    if kind == "tanh":
        spec["activation"] = "tanh"
    spec["W_hh"] = npy("W_hh", sd["weight_hh_l0"])
    spec["W_ih" if kind != "tanh" else "W_in"] = npy("W_ih", sd["weight_ih_l0"])
    spec["b_ih"] = [float(v) for v in sd["bias_ih_l0"]]
    spec["b_hh"] = [float(v) for v in sd["bias_hh_l0"]]
    spec["u"] = u
    path.write_text(json.dumps(spec) + "\n")
    return spec


def read_spec(path):
    """The model file as a dict of float64 numpy arrays (``.npy`` paths resolved), plus 'kind'
    ('gru', 'lstm', 'tanh') and 'hidden'."""
    path = Path(path)
    raw = json.loads(path.read_text())
    spec = {"model": raw["model"]}
    for key, value in raw.items():
        if key in ("model", "activation"):
            spec[key] = value
        elif isinstance(value, str) and value.endswith(".npy"):
            spec[key] = np.load(path.parent / value).astype(np.float64)
        else:
            spec[key] = np.asarray(value, dtype=np.float64)
    if spec["model"] == "rnn" and spec.get("activation", "tanh") != "tanh":
        raise ValueError(f"{path}: only tanh RNNs are handled here")
    spec["kind"] = "tanh" if spec["model"] == "rnn" else spec["model"]
    spec["hidden"] = spec["W_hh"].shape[1]
    if "W_ih" not in spec:
        spec["W_ih"] = spec.get("W_in", np.zeros((spec["W_hh"].shape[0], 0)))
    if "u" not in spec:
        spec["u"] = np.zeros(spec["W_ih"].shape[1])
    return spec


def module_from_spec(spec, dtype="float32"):
    """The torch module of a model file (parameters frozen) whose forward has nn.RNN's signature
    ``out, h_n = rnn(x, h0)``; for an LSTM a wrapper whose state is [h; c] (see LSTMAsRNN)."""
    import torch

    kind, H = spec["kind"], spec["hidden"]
    mod = make_module(kind, spec["W_ih"].shape[1], H)
    tdt = getattr(torch, dtype)
    sd = {"weight_ih_l0": spec["W_ih"], "weight_hh_l0": spec["W_hh"], "bias_ih_l0": spec["b_ih"],
          "bias_hh_l0": spec["b_hh"]}
    mod.load_state_dict({k: torch.tensor(v, dtype=tdt) for k, v in sd.items()})
    mod = mod.to(tdt)
    for p in mod.parameters():
        p.requires_grad_(False)
    return LSTMAsRNN(mod) if kind == "lstm" else mod


def _lstm_wrapper_class():
    import torch

    class LSTMAsRNN(torch.nn.Module):
        """nn.LSTM behind nn.RNN's interface, the state being the concatenation [h; c] along the
        last axis (rnndyn's LSTM state): ``out, x_n = m(x, x0)`` with x0 of shape (1, B, 2H);
        ``out`` holds h only. FixedPointFinderTorch calls its RNN this way."""

        def __init__(self, lstm):
            super().__init__()
            self.lstm = lstm
            self.batch_first = lstm.batch_first
            self.hidden_size = lstm.hidden_size

        def forward(self, x, x0=None):
            H = self.hidden_size
            hc = None if x0 is None else (x0[..., :H].contiguous(), x0[..., H:].contiguous())
            out, (h, c) = self.lstm(x, hc)
            return out, torch.cat([h, c], dim=-1)

    return LSTMAsRNN


def LSTMAsRNN(lstm):  # noqa: N802  (a class, defined when torch is imported)
    return _lstm_wrapper_class()(lstm)


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def step64(spec, x):
    """One step of the cell at the constant input spec['u'] in float64, x: (B, dim)."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    kind, H = spec["kind"], spec["hidden"]
    W, bi, bh = spec["W_hh"], spec["b_ih"], spec["b_hh"]
    gi = spec["W_ih"] @ spec["u"] + bi if spec["W_ih"].shape[1] else bi
    if kind == "tanh":
        return np.tanh(x @ W.T + gi + bh)
    if kind == "gru":
        gh = x @ W.T + bh
        r = _sig(gi[:H] + gh[:, :H])
        z = _sig(gi[H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[2 * H:] + r * gh[:, 2 * H:])
        return (1 - z) * n + z * x
    h, c = x[:, :H], x[:, H:]
    g = h @ W.T + bh + gi
    i, f, gg, o = _sig(g[:, :H]), _sig(g[:, H:2 * H]), np.tanh(g[:, 2 * H:3 * H]), _sig(g[:, 3 * H:])
    c2 = f * c + i * gg
    return np.concatenate([o * np.tanh(c2), c2], axis=1)


def q64(spec, x):
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    if x.size == 0:
        return np.zeros(0)
    return 0.5 * np.sum((step64(spec, x) - x) ** 2, axis=1)


def hidden_states(module, kind, x):
    """States visited on inputs x (B, T, I): (B, T, dim), dim = H or 2H ([h; c]) for an LSTM."""
    import torch

    with torch.no_grad():
        xt = torch.as_tensor(x)
        if kind != "lstm":
            out, _ = module(xt)
            return out.numpy()
        hc, rows = None, []
        for t in range(xt.shape[1]):
            _, hc = module(xt[:, t:t + 1], hc)
            rows.append(torch.cat([hc[0][0], hc[1][0]], dim=-1))
        return torch.stack(rows, dim=1).numpy()


def hidden_states_from(module, kind, x0, n_steps):
    """States of n_steps at zero input from states x0 (B, dim): (B, n_steps, dim)."""
    import torch

    B, H = x0.shape[0], module.hidden_size
    with torch.no_grad():
        x0 = torch.as_tensor(np.asarray(x0, np.float32))
        zeros = torch.zeros((B, n_steps, module.input_size))
        if kind != "lstm":
            out, _ = module(zeros, x0[None])
            return out.numpy()
        hc, rows = (x0[None, :, :H].contiguous(), x0[None, :, H:].contiguous()), []
        for t in range(n_steps):
            _, hc = module(zeros[:, t:t + 1], hc)
            rows.append(torch.cat([hc[0][0], hc[1][0]], dim=-1))
        return torch.stack(rows, dim=1).numpy()


def manifest():
    """bench/models/flipflop_trained.json: what train_flipflop.py wrote (name -> entry)."""
    p = MODELS_DIR / "flipflop_trained.json"
    man = json.loads(p.read_text()) if p.exists() else {}
    return dict(sorted(man.items(), key=lambda kv: (kv[1]["cell"], kv[1]["hidden"])))


def fpf_dir_from(arg):
    d = arg or os.environ.get("FPF_DIR", "")
    return Path(d) if d else None
