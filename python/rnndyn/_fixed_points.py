"""find_fixed_points and find_cycles: keyword arguments onto the C++ options, one call into the
library. Every default is the C++ one (see ``rnndyn.FixedPointOptions()``)."""
import numpy as np

from . import _core
from ._options import make_options, set_field
from ._progress import progress_callable as _progress_callable
from ._validate import as_array, as_float, as_int, as_numpy, check_model, describe, is_number

__all__ = ["find_fixed_points", "find_cycles"]


def _corner(value, field):
    """One corner of the start box: a number (every dimension) or one value per dimension."""
    return as_float(value, field) * np.ones(1) if is_number(value) else as_array(value, field, 1)


def _box(box):
    """``box`` as its (lo, hi) corners: a pair of numbers or of per-dimension vectors. Whether lo < hi
    and the lengths fit the model is the library's check (``starts.box``)."""
    box = as_numpy(box)
    if not isinstance(box, (list, tuple, np.ndarray)) or len(box) != 2:
        got = f"{len(box)} entries" if isinstance(box, (list, tuple, np.ndarray)) and np.ndim(box) else describe(box)
        raise ValueError(f"box: expected a pair (lo, hi) of numbers or of per-dimension vectors, got {got}")
    return _corner(box[0], "box[0]"), _corner(box[1], "box[1]")


_KEYWORDS = ("options", "starts", "box", "seed", "data", "dedup_tol", "time_limit", "progress")


def _states(data):
    """Trajectory states as an n x dim array: (n, dim) as given, (batch, T, dim) or more leading
    axes flattened into rows (the last axis is the state), tensors detached and copied to the CPU."""
    arr = as_array(data, "data", what="an (n, dim) or (batch, T, dim) array of states")
    if arr.ndim > 2:
        arr = arr.reshape(-1, arr.shape[-1])
    elif arr.ndim == 1 and arr.size:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError(f"data: expected an (n, dim) or (batch, T, dim) array of states, got shape {arr.shape}")
    return arr


def _set_starts(o, starts, data, box, seed):
    """The start shorthands onto a StartOptions ``o``: ``starts`` (a count, or a k x dim array of
    initial states), ``data`` (visited states), ``box`` ((lo, hi)) and ``seed``; None leaves a field."""
    if starts is not None:
        starts = as_numpy(starts)
        if is_number(starts) or isinstance(starts, (str, bytes, bool)) or starts is None:  # a count
            # An integer only; whether the count is allowed (>= 1) is the library's starts.count check.
            o.count = as_int(starts, "starts", "a count (an integer) or a k x dim array of initial states")
        else:  # k x dim initial states; one 1-D state is one row
            o.initial_states = as_array(starts, "starts", 2,
                                        what="a count (an integer) or a k x dim array of initial states")
    if data is not None:
        o.data = _states(data)
    if box is not None:
        o.box_lo, o.box_hi = _box(box)
    if seed is not None:
        set_field(o, "seed", seed, "seed")


def find_fixed_points(
    model, options=None, *, starts=None, box=None, seed=None, data=None, dedup_tol=None, time_limit=None,
    progress=None, **kwargs
):
    """Every fixed point of ``model`` (see ``rnndyn fixed-points``); returns a FixedPointResult.

    ``method`` (a keyword, or ``options.method``): 'auto' (exact enumeration for piecewise-linear
    models, numeric otherwise), 'brute', 'arrangement', 'level_set', 'subdivision' (exact, seed 001;
    subdivision is auto's choice for latent arrangements such as shPLRNNs),
    'branch_bound' (exact for dense networks, with a budget: ``max_nodes``, ``time_limit``),
    'numeric' (multi-start dogleg, then Levenberg-Marquardt), 'interval' (certified latent search of low-rank
    smooth networks). ``progress``: True for a tqdm bar, or a callable taking an rnndyn.Progress
    (return False to stop); Ctrl-C stops any run with KeyboardInterrupt. Keywords set fields of FixedPointOptions or of its nested options by name
    (``q_tol=1e-20``, ``noise=0.01``, ``initial_states=X``); shorthands: ``starts`` (a count, or a
    k x dim array of initial states), ``data`` (trajectory states, n x dim), ``box`` ((lo, hi),
    scalars or per dimension), ``seed`` (of the start sampler), ``dedup_tol`` (both the exact
    and the numeric merge distance) and ``time_limit`` (seconds: both the branch-and-bound budget
    and the numeric rounds'; ``numeric={"time_limit": s}`` sets one alone). The numeric search runs
    in rounds of ``batch`` starts with deflation and starts aimed at saddles, until ``patience``
    rounds add nothing; ``result.numeric.search`` has its completeness estimate (good_turing).
    ``result.slow_manifolds`` lists the curves of slow points through the points found (approximate
    line and ring attractors) with the drift along them; ``slow_manifolds={"step": 0.1, ...}`` sets
    their options (``FixedPointOptions().numeric.slow_manifolds``; ``enabled=False``: none).
    With ``data``, ``result.memories`` lists the places where orbits run from the data dwell (the
    network's memories, fixed points or not), by dwell; ``memories={"steps": 1000, ...}`` sets
    their options (``enabled=False``: none); ``result.numeric.memory_census`` says how they were
    found.
    Starts are drawn in C++, so a seed means what it means in the CLI.

    ``data`` takes hidden states as they come: an (n, dim) array, a (batch, T, dim) array as a
    torch RNN returns them (read as batch * T states), a torch tensor on any device (copied to the
    CPU) or a list. A misspelt keyword raises TypeError with the closest names ("did you
    mean")."""
    check_model(model)
    opts = make_options(_core.FixedPointOptions, options, keywords=_KEYWORDS, **kwargs)
    _set_starts(opts.starts, starts, data, box, seed)
    if dedup_tol is not None:
        set_field(opts.exact, "dedup_tol", dedup_tol, "dedup_tol")
        set_field(opts.numeric, "dedup_tol", dedup_tol, "dedup_tol")
    if time_limit is not None:
        set_field(opts.exact, "time_limit", time_limit, "time_limit")
        set_field(opts.numeric, "time_limit", time_limit, "time_limit")
    return _core._find_fixed_points(model, opts, _progress_callable(progress))


def find_cycles(model, period, options=None, *, progress=None, **kwargs):
    """Every cycle of minimal period ``period`` of a discrete-time piecewise-linear model (see
    ``rnndyn fixed-points --cycles K``); returns a CycleResult. Keywords set CycleOptions fields:
    ``method`` ('pruned': exhaustive, the default; 'tuples': every region tuple; 'heuristic':
    SCYFI-style sampling), the pruned search's budget ``max_nodes`` and ``time_limit`` (then
    status 'incomplete' and, unless ``heuristic_on_budget=False``, the heuristic on top; each
    cycle's ``found_by`` says which search found it), ``outer_loops``, ``inner_loops``, ``seed``.
    ``progress`` as in find_fixed_points (True: tqdm; a callable; Ctrl-C raises KeyboardInterrupt)."""
    check_model(model)
    opts = make_options(_core.CycleOptions, options, **kwargs)
    set_field(opts, "period", period, "period")
    return _core._find_cycles(model, opts, _progress_callable(progress))
