"""rnndyn: find, classify and predict the attractors of recurrent neural networks.

Models come from model files (``load_model``) or dictionaries with the same keys
(``model_from_dict``); analyses take a model and return numpy arrays or ``Result`` objects whose
``to_dict()`` matches the CLI's JSON. Bad input raises ValueError with the CLI's message.
"""
import json
import os

import numpy as np

from . import _core
from ._core import Model, load_model
from ._results import Result

__all__ = ["Model", "Result", "load_model", "model_from_dict", "simulate", "linearize", "analyze_linear",
           "linear_closed_form"]
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


def simulate(model, x0=None, t_end=100.0, dt=0.1, rtol=1e-9, atol=1e-9):
    """Integrate a flow (Dormand-Prince 5(4), dense output every ``dt``) or iterate a map
    (``t_end`` steps) from ``x0`` (default zeros). Returns ``(t, x)`` with ``x`` of shape
    (samples, dim); the GIL is released while integrating."""
    x0 = np.zeros(model.dim) if x0 is None else _vector(x0, "x0")
    t, x, status = _core._simulate(model, x0, float(t_end), float(dt), float(rtol), float(atol))
    if status != "ok":
        import warnings
        warnings.warn(f"trajectory diverged at t = {t[-1]}; it stops there", RuntimeWarning, stacklevel=2)
    return t, x.T


def linearize(model, x, marginal_tol=1e-9, kink_tol=1e-12):
    """Jacobian, eigen-decomposition and stability class at ``x`` (see ``rnndyn linearize``)."""
    return Result(_core._linearize(model, _vector(x, "x"), marginal_tol, kink_tol))


def analyze_linear(model, integrator_tol=1e-9):
    """Seed 002 eigen-mode analysis of a ``linear`` model (see ``rnndyn linear``)."""
    return Result(_core._analyze_linear(model, integrator_tol))


def linear_closed_form(model, v0, times):
    """Closed-form v(t) of a ``linear`` model at ``times``; shape (len(times), dim)."""
    return _core._linear_closed_form(model, _vector(v0, "v0"), [float(t) for t in times]).T
