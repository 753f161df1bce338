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
from ._dynamics import limit_cycle, lyapunov, mean_field, reservoir, reservoir_config
from ._results import Result

__all__ = ["Model", "Result", "load_model", "model_from_dict", "simulate", "linearize", "analyze_linear",
           "linear_closed_form", "find_fixed_points", "continuation", "limit_cycle", "lyapunov", "perturb",
           "mean_field", "reservoir", "reservoir_config"]
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


def _states(a, name, dim):
    arr = np.ascontiguousarray(np.asarray(a, dtype=float))
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"{name}: expected an array of shape (n, {dim}), got {arr.shape}")
    return arr


def find_fixed_points(model, method="auto", starts=256, initial_states=None, data=None, noise=0.0, box=(-1.0, 1.0),
                      seed=0, q_tol=1e-16, slow_q_max=1e-4, dedup_tol=1e-6, outlier_distance=None, max_iter=200,
                      threads=0, force=False):
    """All fixed points of a model (see ``rnndyn fixed-points``).

    ``method``: 'auto' (exact enumeration for piecewise-linear models, numeric otherwise),
    'arrangement' or 'brute' (exact, seed 001), or 'numeric' (multi-start Levenberg-Marquardt on
    F(x) = 0 or F(x) = x). Numeric starts: ``initial_states`` (n x dim) as given, else ``starts``
    states drawn from ``data`` (n x dim, e.g. trajectories; Gaussian ``noise`` added) or uniformly
    from ``box`` = (lo, hi), reproducibly from ``seed``. Returns a Result with ``fixed_points``
    (and ``slow_points`` / ``continua``)."""
    if method not in ("auto", "arrangement", "brute", "numeric"):
        raise ValueError(f"method: expected auto, arrangement, brute or numeric, got {method!r}")
    exact = method in ("arrangement", "brute") or (method == "auto" and model.is_piecewise_linear)
    if exact:
        return Result(_core._fixed_points_exact(model, "auto" if method == "auto" else method, force))
    rng = np.random.default_rng(seed)
    empty = np.zeros((0, model.dim))
    data = empty if data is None else _states(data, "data", model.dim)
    if initial_states is not None:
        x0 = _states(initial_states, "initial_states", model.dim)
    elif len(data):
        x0 = data[rng.integers(0, len(data), size=int(starts))] + noise * rng.standard_normal((int(starts), model.dim))
    else:
        lo, hi = box
        x0 = rng.uniform(lo, hi, size=(int(starts), model.dim))
    if outlier_distance is None:
        outlier_distance = 0.0 if len(data) else float("inf")
    return Result(_core._fixed_points_numeric(model, x0, data, q_tol, slow_q_max, dedup_tol, outlier_distance,
                                              int(max_iter), int(threads)))


def continuation(model, parameter, start, stop, starts=None, max_points=5000, initial_step=0.0, max_step=0.0):
    """Follow fixed points while ``parameter`` (e.g. 'tau[1]', 'W[0,1]', 'g') moves from ``start``
    to ``stop`` (see ``rnndyn continue``): pseudo-arclength for smooth models, region by region
    for piecewise-linear ones. ``starts``: initial states near fixed points at ``start`` (default
    zeros). Returns a Result with ``branches`` and ``bifurcations`` (fold, hopf, border_collision)."""
    starts = [np.zeros(model.dim)] if starts is None else [_vector(x, "starts") for x in starts]
    return Result(_core._continue(model, parameter, float(start), float(stop), starts, int(max_points),
                                  float(initial_step), float(max_step)))


def perturb(model, target="weights", scale=0.1, samples=1000, seed=1, epsilon=None, confidence=0.95, keep=20):
    """Classify random (or one given ``epsilon``) perturbations of a piecewise-linear network by
    their exactly enumerated fixed points (see ``rnndyn perturb``)."""
    eps = np.zeros((0, 0)) if epsilon is None else np.asarray(epsilon, dtype=float)
    return Result(_core._perturb(model, target, float(scale), int(samples), int(seed), eps, float(confidence),
                                 int(keep)))
