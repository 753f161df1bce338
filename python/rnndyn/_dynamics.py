"""Lyapunov spectra.

Each function builds the bound C++ options object from ``options`` (an instance, copied) and the
keyword arguments (``make_options``: a keyword names an options field, or a field of a nested
options object), then calls the library's front door with the
GIL released. Every default lives in C++: ``rnndyn.LyapunovOptions()`` shows them. The results
are the bound C++ result classes (numpy arrays); ``to_dict()`` is exactly the JSON the CLI prints.
"""
from . import _core
from ._options import make_options

__all__ = ["lyapunov"]


def lyapunov(model, options=None, **kwargs):
    """The first ``k`` Lyapunov exponents (0: all) by QR reorthonormalisation, with bootstrap
    intervals over time blocks (``rnndyn lyapunov``). Fields of ``LyapunovOptions``: x0 (default:
    the model file's x0, else zeros), k, t_total, warmup, interval, integrator ('dopri5' or
    'rk4'), dt, abs_tol, rel_tol, blocks, bootstrap_samples, confidence, seed, blowup,
    initial_tangents. Returns a ``LyapunovSpectrum``."""
    return _core.lyapunov_spectrum(model, make_options(_core.LyapunovOptions, options, **kwargs))
