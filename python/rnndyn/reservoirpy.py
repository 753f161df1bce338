"""Build rnndyn models from ReservoirPy (0.4): echo state networks trained there, open or closed loop.

The model is the ``esn`` map of the model files (docs/reservoir.md, "ESNs from ReservoirPy")::

    x[t+1] = (1 - lr) x[t] + lr f(g W x[t] + W_in u + W_fb y[t] + b)
    y[t]   = W_out x[t] + W_out_u u + b_out

read off ReservoirPy's objects as its ``Model`` runs them: the reservoir's ``Win`` multiplies the
concatenation of what the reservoir receives (the input ``u``, then the readout's output fed back
with a delay of one step), so its columns split into ``W_in`` and ``W_fb``; the readout's ``Wout``
(``x @ Wout + bias``) multiplies the reservoir state and, with ``input_to_readout``, the input, so
its rows split into ``W_out`` and ``W_out_u``. Closed loop: y is the readout fed back (what
``esn.run`` computes without a teacher); open loop: y is given (teacher forcing, the training
condition). The weights are copied in float64.

What the model cannot represent raises ValueError: reservoirs other than ``Reservoir`` (NVAR,
ES2N, intrinsic or local plasticity), activations other than tanh, identity, relu, sigmoid and
softplus, feedback with a delay other than one step, other nodes inside the graph, and leak rates
of 0 (a unit that never moves).
"""
import numpy as np

from . import model_from_dict

__all__ = ["from_model", "model_dict"]


def _rpy():
    try:
        import reservoirpy
        from reservoirpy import activationsfunc
        from reservoirpy.nodes import LMS, RLS, Input, Reservoir, Ridge
    except ImportError as e:  # pragma: no cover - the test environment installs it
        raise ImportError("rnndyn.reservoirpy needs ReservoirPy 0.4 (pip install reservoirpy)") from e
    return reservoirpy, activationsfunc, Reservoir, (Ridge, RLS, LMS), Input


def _dense(a, field):
    """A float64 ndarray of a (possibly scipy-sparse) ReservoirPy weight."""
    if a is None or callable(a):
        raise ValueError(f"{field}: not initialised; train or run the ESN in ReservoirPy first")
    if hasattr(a, "toarray"):
        a = a.toarray()
    return np.asarray(a, dtype=np.float64)


def _activation(f, af):
    names = {af.tanh: "tanh", af.identity: "linear", af.relu: "relu", af.sigmoid: "sigmoid",
             af.softplus: "softplus", np.tanh: "tanh"}
    for fn, name in names.items():
        if f is fn:
            return name
    label = getattr(f, "__name__", type(f).__name__)
    raise ValueError(f"activation: ReservoirPy's {label} cannot be represented (the esn model takes tanh, "
                     "identity, relu, sigmoid or softplus)")


def _pieces(model, node, Reservoir, InputNode):
    """What ``node`` receives, in the order Model._step concatenates it: ("input", None),
    ("node", parent) for a direct edge, ("feedback", sender) for a delayed one."""
    pieces = []
    if node in model.inputs:
        pieces.append(("input", None))
    for parent in model.parents[node]:
        pieces.append(("input", None) if isinstance(parent, InputNode) else ("node", parent))
    for sender, delay, child in model.edges:
        if child is node and delay > 0:
            if delay != 1:
                raise ValueError(f"feedback: a delay of {delay} steps cannot be represented (ReservoirPy's "
                                 "feedback, `<<` and ESN(feedback=True), delays by one step)")
            pieces.append(("feedback", sender))
    return pieces


def _split_graph(model, rpy):
    """The reservoir, the readout and the layout of their inputs in a ReservoirPy Model."""
    _, _, Reservoir, readouts, InputNode = rpy
    reservoirs = [n for n in model.nodes if isinstance(n, Reservoir) and type(n) is Reservoir]
    heads = [n for n in model.nodes if isinstance(n, readouts)]
    others = [n for n in model.nodes if n not in reservoirs and n not in heads and not isinstance(n, InputNode)
              and type(n).__name__ != "Output"]
    if len(reservoirs) != 1 or others:
        found = ", ".join(type(n).__name__ for n in model.nodes)
        raise ValueError(f"esn: expected one Reservoir and one readout (Ridge, RLS or LMS), got the nodes {found}")
    if len(heads) != 1:
        raise ValueError(f"readout: expected one Ridge, RLS or LMS node in the model, got {len(heads)}")
    res, head = reservoirs[0], heads[0]
    res_in = _pieces(model, res, Reservoir, InputNode)
    head_in = _pieces(model, head, Reservoir, InputNode)
    for kind, who in res_in:
        if kind != "input" and who is not head:
            raise ValueError(f"esn: the reservoir receives {type(who).__name__} directly; only the input and the "
                             "readout's feedback can be represented")
    for kind, who in head_in:
        if kind != "input" and (kind != "node" or who is not res):
            raise ValueError("readout: it may read only the reservoir and the input (input_to_readout)")
    return res, head, res_in, head_in


def _columns(pieces, widths, total, field):
    """Column slices of a weight matrix whose input is the concatenation ``pieces``."""
    n_known = sum(widths[k] for k, _ in pieces if k != "input")
    n_input = pieces.count(("input", None))
    free = total - n_known
    if n_input == 0 and free != 0 or n_input and free % n_input:
        raise ValueError(f"{field}: {total} columns do not split into the pieces it reads ({pieces})")
    width = {"input": free // n_input if n_input else 0, **widths}
    out, start = [], 0
    for kind, _ in pieces:
        out.append((kind, slice(start, start + width[kind])))
        start += width[kind]
    return out


def model_dict(esn_or_reservoir, readout=None, u=None, y=None, closed_loop=None, levels=None):
    """The ``esn`` model-file dictionary of a ReservoirPy ESN (see :func:`from_model`); write it with
    ``json.dump`` (after ``.tolist()``) to analyse the network with the CLI."""
    rpy = _rpy()
    _, af, Reservoir, readouts, _ = rpy
    from reservoirpy import Model as RpyModel

    if isinstance(esn_or_reservoir, RpyModel):
        if readout is not None:
            raise ValueError("readout: give it only with a bare Reservoir; a Model already holds its readout")
        res, head, res_in, head_in = _split_graph(esn_or_reservoir, rpy)
    elif isinstance(esn_or_reservoir, Reservoir) and type(esn_or_reservoir) is Reservoir:
        res, head = esn_or_reservoir, readout
        if head is not None and not isinstance(head, readouts):
            raise ValueError(f"readout: expected a Ridge, RLS or LMS node, got {type(head).__name__}")
        res_in = [("input", None)] + ([("feedback", head)] if closed_loop else [])
        head_in = [("node", res)]
    else:
        raise ValueError("esn_or_reservoir: expected a reservoirpy ESN/Model or a reservoirpy.nodes.Reservoir, got "
                         f"{type(esn_or_reservoir).__name__} (NVAR, ES2N and plasticity reservoirs are not supported)")
    if not getattr(res, "initialized", False):
        raise ValueError("esn_or_reservoir: the reservoir is not initialised; train or run it in ReservoirPy first")
    W = _dense(res.W, "W")
    n = W.shape[0]
    Win = _dense(res.Win, "Win").reshape(n, -1)
    has_feedback = any(kind == "feedback" for kind, _ in res_in)
    n_out = int(head.output_dim) if head is not None and head.output_dim else 0
    if closed_loop is None:
        closed_loop = has_feedback
    if closed_loop and not has_feedback:
        raise ValueError("closed_loop: the reservoir receives no feedback from the readout, so there is no closed loop")
    if closed_loop and head is None:
        raise ValueError("readout: the closed loop needs the trained readout")
    spec = {"model": "esn", "activation": _activation(res.activation, af), "W": W,
            "lr": np.asarray(res.lr, dtype=np.float64).reshape(-1),
            "b": np.broadcast_to(np.asarray(res.bias, dtype=np.float64).reshape(-1), (n,)).copy(),
            "loop": "closed" if closed_loop else "open"}
    cols = _columns(res_in, {"feedback": n_out}, Win.shape[1], "Win")
    W_in = np.concatenate([Win[:, s] for k, s in cols if k == "input"], axis=1) if cols else Win[:, :0]
    if W_in.shape[1]:
        spec["W_in"] = W_in
        spec["u"] = np.zeros(W_in.shape[1]) if u is None else np.asarray(u, dtype=np.float64).reshape(-1)
    elif u is not None:
        raise ValueError("u: the reservoir takes no input (its Win has only feedback columns)")
    if has_feedback:
        spec["W_fb"] = np.concatenate([Win[:, s] for k, s in cols if k == "feedback"], axis=1)
        if not closed_loop:
            spec["y"] = np.zeros(n_out) if y is None else np.asarray(y, dtype=np.float64).reshape(-1)
    if y is not None and closed_loop:
        raise ValueError("y: the closed loop computes y from the readout; give y only with closed_loop=False")
    if head is not None and getattr(head, "initialized", False) and not callable(head.Wout):
        Wout = _dense(head.Wout, "Wout")
        hcols = _columns(head_in, {"node": n}, Wout.shape[0], "Wout")
        spec["W_out"] = np.concatenate([Wout[s].T for k, s in hcols if k == "node"], axis=0)
        direct = [Wout[s].T for k, s in hcols if k == "input"]
        if direct and sum(d.shape[1] for d in direct):
            spec["W_out_u"] = np.concatenate(direct, axis=1)
        spec["b_out"] = np.asarray(head.bias, dtype=np.float64).reshape(-1)
    elif closed_loop:
        raise ValueError("readout: not trained; fit the ESN in ReservoirPy first")
    if levels is not None:
        spec["trained_levels"] = np.asarray(levels, dtype=np.float64).reshape(-1)
    return spec


def from_model(esn_or_reservoir, readout=None, u=None, y=None, closed_loop=None, levels=None):
    """The ``esn`` model of a trained ReservoirPy network.

    Parameters
    ----------
    esn_or_reservoir : reservoirpy.ESN or reservoirpy.Model, or reservoirpy.nodes.Reservoir
        A model with one ``Reservoir`` and one readout (``Ridge``, ``RLS`` or ``LMS``), with or without
        feedback and ``input_to_readout``; or a bare reservoir (then ``readout`` is its readout and,
        with ``closed_loop=True``, the last ``readout.output_dim`` columns of ``Win`` are the feedback,
        as ReservoirPy lays them out).
    u : array_like, optional
        The constant input (default zeros), the model's parameters ``u[i]``.
    y : array_like, optional
        Open loop only: the fed-back output held fixed (default zeros), parameters ``y[k]``.
    closed_loop : bool, optional
        Feed the readout back (default: whenever the model has a feedback edge).
    levels : array_like, optional
        Trained output levels A_m (one output): their open-loop states x_m become the model's trained
        states (the first starts of fixed-point searches, labelled ``trained_level``) and x_1 its
        initial state.

    Returns
    -------
    rnndyn.Model
        A map (``time_kind`` map) whose one step equals ReservoirPy's ``run`` step from the same state
        (closed loop: with the feedback buffer holding the readout of that state).
    """
    return model_from_dict(model_dict(esn_or_reservoir, readout, u=u, y=y, closed_loop=closed_loop, levels=levels))
