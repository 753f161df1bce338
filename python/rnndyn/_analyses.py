"""simulate, linearize, the linear-network analysis, continuation and perturbation: keyword
arguments onto the C++ options, one call into the library. Every default is the C++ one."""
import warnings

import numpy as np

from . import _core
from ._options import make_options

__all__ = ["simulate", "linearize", "analyze_linear", "linear_closed_form", "continuation", "perturb"]


def _vector(x, name):
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    return arr


def simulate(model, x0=None, options=None, *, rtol=None, atol=None, **kwargs):
    """Integrate a flow (Dormand-Prince 5(4), dense output every ``dt``) or iterate a map
    (``t_end`` steps) from ``x0`` (default: the model's own x0, else zeros). Returns a Trajectory
    with ``t`` and ``x`` of shape (samples, dim), which also unpacks as ``t, x = simulate(...)``;
    ``rtol``/``atol`` are short for ``rel_tol``/``abs_tol``. The GIL is released while integrating."""
    opts = make_options(_core.SimulateOptions, options, **kwargs)
    if rtol is not None:
        opts.rel_tol = float(rtol)
    if atol is not None:
        opts.abs_tol = float(atol)
    if x0 is not None:
        opts.x0 = _vector(x0, "x0")
    traj = _core._simulate(model, opts)
    if traj.status != "ok":
        warnings.warn(f"trajectory diverged at t = {traj.t[-1]}; it stops there", RuntimeWarning, stacklevel=2)
    return traj


def linearize(model, x, options=None, **kwargs):
    """Jacobian, eigen-decomposition and stability class at ``x`` (see ``rnndyn linearize``)."""
    return _core._linearize(model, _vector(x, "x"), make_options(_core.LinearizeOptions, options, **kwargs))


def analyze_linear(model, options=None, **kwargs):
    """Seed 002 eigen-mode analysis of a linear network (see ``rnndyn linear``)."""
    return _core._analyze_linear(model, make_options(_core.LinearNetworkOptions, options, **kwargs))


def linear_closed_form(model, v0, times):
    """Closed-form v(t) of a linear network at ``times``; shape (len(times), dim)."""
    return _core._linear_closed_form(model, _vector(v0, "v0"), [float(t) for t in times]).T


def continuation(model, parameter, start, stop, options=None, *, starts=None, **kwargs):
    """Follow fixed points while ``parameter`` (e.g. 'tau[1]', 'W[0,1]', 'g') moves from ``start``
    to ``stop`` (see ``rnndyn continue``): pseudo-arclength for smooth models, region by region for
    piecewise-linear ones. ``starts``: guesses near fixed points at ``start`` (default: the model's
    x0, else every fixed point there). Returns a ContinuationResult."""
    opts = make_options(_core.ContinuationOptions, options, **kwargs)
    opts.parameter, opts.start, opts.stop = parameter, float(start), float(stop)
    if starts is not None:
        opts.starts = [_vector(x, "starts") for x in starts]
    return _core._continuation(model, opts)


def perturb(model, options=None, *, keep=None, **kwargs):
    """Classify random (or one given ``epsilon``) perturbations of a piecewise-linear network by
    their exactly enumerated fixed points (see ``rnndyn perturb``). ``keep`` is short for
    ``keep_samples``. Returns a PerturbResult."""
    opts = make_options(_core.PerturbOptions, options, **kwargs)
    if keep is not None:
        opts.keep_samples = int(keep)
    return _core._perturb(model, opts)
