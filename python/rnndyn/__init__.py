"""rnndyn: find, classify and predict the attractors of recurrent neural networks.

Models come from model files (``load_model``) or dictionaries with the same keys
(``model_from_dict``); analyses take a model and return numpy arrays or ``Result`` objects whose
``to_dict()`` matches the CLI's JSON. Bad input raises ValueError with the CLI's message.
"""
import json
import os

import numpy as np

from . import _core
from ._analyses import analyze_linear, continuation, linear_closed_form, linearize, perturb, simulate
from ._core import (ContinuationOptions, CycleOptions, FixedPointOptions, LinearizeOptions, LinearNetworkOptions,
                    Model, PerturbOptions, SimulateOptions, StartOptions, load_model)
from ._fixed_points import find_cycles, find_fixed_points
from ._results import Result

__all__ = ["Model", "Result", "load_model", "model_from_dict", "simulate", "linearize", "analyze_linear",
           "linear_closed_form", "find_fixed_points", "find_cycles", "continuation", "limit_cycle", "lyapunov",
           "perturb", "mean_field", "FixedPointOptions", "StartOptions", "CycleOptions", "ContinuationOptions",
           "PerturbOptions", "SimulateOptions", "LinearizeOptions", "LinearNetworkOptions"]
__version__ = "0.1.0"


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def model_from_dict(spec, base_dir=""):
    """Build a model from a dictionary with the keys of a model file; numpy arrays are accepted
    as values. ``base_dir`` resolves relative ``.npy`` paths."""
    return _core._model_from_json(json.dumps(_jsonable(spec)), os.fspath(base_dir))


def _vector(x, name):
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    return arr


def limit_cycle(model, x0=None, transient=2000.0, window=1000.0, max_time=20000.0):
    """Period, amplitude and Floquet multipliers of the cycle reached from ``x0`` (see
    ``rnndyn limit-cycle``)."""
    x0 = np.zeros(model.dim) if x0 is None else _vector(x0, "x0")
    return Result(_core._limit_cycle(model, x0, float(transient), float(window), float(max_time)))


def lyapunov(model, x0=None, k=0, t_total=1000.0, warmup=100.0, interval=1.0, integrator="dopri5", dt=0.0, seed=1):
    """The first ``k`` Lyapunov exponents (0: all) by QR reorthonormalisation, with bootstrap
    confidence intervals over time blocks (see ``rnndyn lyapunov``)."""
    x0 = np.zeros(model.dim) if x0 is None else _vector(x0, "x0")
    return Result(_core._lyapunov(model, x0, int(k), float(t_total), float(warmup), float(interval), integrator,
                                  float(dt), int(seed)))


def mean_field(g=1.5, targets=(1.0,), activation="tanh", threshold=0.0, feedback="uniform", feedback_scale=1.0,
               omegas=None):
    """Mean-field theory of a reservoir trained to the output levels ``targets`` (seed 003; see
    ``rnndyn mft``): sigma2, beta0, beta1, lambda_out or the M poles, G_OL on ``omegas``, Nyquist."""
    omegas = [] if omegas is None else [float(w) for w in omegas]
    return Result(_core._mean_field(activation, float(threshold), float(g), [float(a) for a in targets], feedback,
                                    float(feedback_scale), omegas))
