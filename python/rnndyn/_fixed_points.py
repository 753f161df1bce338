"""find_fixed_points and find_cycles: keyword arguments onto the C++ options, one call into the
library. Every default is the C++ one (see ``rnndyn.FixedPointOptions()``)."""
import numpy as np

from . import _core
from ._options import make_options

__all__ = ["find_fixed_points", "find_cycles"]


def _corner(value):
    return np.atleast_1d(np.asarray(value, dtype=float))


def _progress(progress):
    """The callable behind ``progress=``: None (Ctrl-C still stops the run), True (a tqdm bar of
    the share done), or a callable taking an rnndyn.Progress (return False to stop)."""
    if progress is not True:
        return progress
    from tqdm.auto import tqdm

    bar = tqdm(total=100, unit="%", leave=False)

    def report(p):
        if p.fraction >= 0:
            bar.n = round(100 * p.fraction, 1)
        bar.set_description(p.stage, refresh=False)
        bar.set_postfix(done=p.done, found=p.found, refresh=False)
        bar.refresh()

    return report


def find_fixed_points(
    model, options=None, *, starts=None, box=None, seed=None, data=None, dedup_tol=None, progress=None, **kwargs
):
    """Every fixed point of ``model`` (see ``rnndyn fixed-points``); returns a FixedPointResult.

    ``method`` (a keyword, or ``options.method``): 'auto' (exact enumeration for piecewise-linear
    models, numeric otherwise), 'brute', 'arrangement', 'level_set' (exact, seed 001),
    'branch_bound' (exact for dense networks, with a budget: ``max_nodes``, ``time_limit``),
    'numeric' (multi-start Levenberg-Marquardt), 'interval' (certified latent search of low-rank
    smooth networks). ``progress``: True for a tqdm bar, or a callable taking an rnndyn.Progress
    (return False to stop); Ctrl-C stops any run with KeyboardInterrupt. Keywords set fields of FixedPointOptions or of its nested options by name
    (``q_tol=1e-20``, ``noise=0.01``, ``initial_states=X``); shorthands: ``starts`` (a count, or a
    k x dim array of initial states), ``data`` (trajectory states, n x dim), ``box`` ((lo, hi),
    scalars or per dimension), ``seed`` (of the start sampler) and ``dedup_tol`` (both the exact
    and the numeric merge distance). Starts are drawn in C++, so a seed means what it means in
    the CLI."""
    opts = make_options(_core.FixedPointOptions, options, **kwargs)
    if starts is not None:
        if np.ndim(starts) == 0:
            opts.starts.count = int(starts)
        else:
            opts.starts.initial_states = np.asarray(starts, dtype=float)
    if data is not None:
        opts.starts.data = np.asarray(data, dtype=float)
    if box is not None:
        lo, hi = box
        opts.starts.box_lo, opts.starts.box_hi = _corner(lo), _corner(hi)
    if seed is not None:
        opts.starts.seed = int(seed)
    if dedup_tol is not None:
        opts.exact.dedup_tol = opts.numeric.dedup_tol = float(dedup_tol)
    return _core._find_fixed_points(model, opts, _progress(progress))


def find_cycles(model, period, options=None, *, progress=None, **kwargs):
    """Every cycle of minimal period ``period`` of a discrete-time piecewise-linear model (see
    ``rnndyn fixed-points --cycles K``); returns a CycleResult. Keywords set CycleOptions fields:
    ``method`` ('pruned': exhaustive, the default; 'tuples': every region tuple; 'heuristic':
    SCYFI-style sampling), the pruned search's budget ``max_nodes`` and ``time_limit`` (then
    status 'incomplete' and, unless ``heuristic_on_budget=False``, the heuristic on top; each
    cycle's ``found_by`` says which search found it), ``outer_loops``, ``inner_loops``, ``seed``.
    ``progress`` as in find_fixed_points (True: tqdm; a callable; Ctrl-C raises KeyboardInterrupt)."""
    opts = make_options(_core.CycleOptions, options, **kwargs)
    opts.period = int(period)
    return _core._find_cycles(model, opts, _progress(progress))
