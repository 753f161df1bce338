"""basins: keyword arguments onto the C++ BasinsOptions, one call into the library. Every default
is the C++ one (see ``rnndyn.BasinsOptions()``)."""
from . import _core
from ._fixed_points import _set_starts
from ._options import make_options, set_field
from ._progress import progress_callable as _progress_callable
from ._validate import check_model

__all__ = ["basins"]

_KEYWORDS = ("options", "starts", "box", "seed", "data", "method", "progress")


def basins(model, options=None, *, starts=None, box=None, seed=None, data=None, method=None, progress=None,
           **kwargs):
    """Which attractor each start reaches, and how much of the starts each attractor holds (see
    ``rnndyn basins``); returns a BasinsResult whose ``to_dict()`` is the CLI's JSON.

    The attractors are found first by ``find_fixed_points`` (``method``: 'auto', 'numeric', ...;
    its options under ``fixed_points={...}``); each start is simulated with the model's own map or
    integrator until it enters the error ball of a stable fixed point (``ball_fraction`` of the
    distance to the nearest other fixed point), or recurs on a new set (a cycle, or an 'unknown'
    set with its largest Lyapunov exponent), or its budget ``max_time`` ends (unsettled: counted).
    Shorthands: ``starts`` (a count, or a k x dim array of given starts), ``data`` (states the
    network visits, n x dim or (batch, T, dim); drawn with ``noise``), ``box`` ((lo, hi)), ``seed``.
    ``result.attractors`` carry the basin ``fraction`` with its Wilson interval ``ci_low``,
    ``ci_high``; ``result.labels`` the attractor of each start (-1 unsettled, -2 diverged);
    ``result.saddles`` and ``result.graph`` the index-1 saddles joining the attractors; with
    ``map_resolution=R`` a 2-D model's basin map (``result.map``). ``rnndyn.plot.basins(result)``
    draws them. ``progress``: True for a tqdm bar, or a callable taking an rnndyn.Progress (return
    False to stop); Ctrl-C raises KeyboardInterrupt."""
    check_model(model)
    opts = make_options(_core.BasinsOptions, options, keywords=_KEYWORDS, **kwargs)
    _set_starts(opts.starts, starts, data, box, seed)
    if method is not None:
        set_field(opts.fixed_points, "method", method, "method")
    return _core._basins(model, opts, _progress_callable(progress))
