"""simulate, linearize, the linear-network analysis, continuation and perturbation: keyword
arguments onto the C++ options, one call into the library. Every default is the C++ one."""
import warnings

import numpy as np

from . import _core
from ._options import make_options, set_field
from ._progress import progress_callable as _progress_callable
from ._validate import as_array, check_model, not_finite_message

__all__ = ["simulate", "input_signal", "response", "linearize", "analyze_linear", "linear_closed_form", "continuation",
           "continue_limit_cycles", "scan_parameters", "continue_hopf_curve", "continue_fold_curve", "continue_border_curve",
           "perturb"]


def _vector(x, name):
    """A state (list, array, tensor) as a 1-D float array; its length and finiteness are the
    library's checks."""
    return as_array(x, name, 1, what="a 1-D array (a state)")


def input_signal(kind, **fields):
    """An InputSignal of ``kind`` ('series', 'clicks', 'poisson', 'noise', 'step') with ``fields``
    set on it (the C++ field names: times, signs, delta, width, rate, seed, sigma,
    correlation_time, dt, values, interpolation, amplitude, onset, offset, channel); every other
    field keeps its C++ default. A dict with a ``kind`` key is accepted by ``simulate(inputs=...)``
    as the same thing."""
    return _signal(dict(fields, kind=kind), "input_signal")


def _signal(value, path):
    if isinstance(value, _core.InputSignal):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"{path}: expected an InputSignal or a dict such as {{'kind': 'step'}}, got "
                         f"{type(value).__name__}")
    if "kind" not in value:
        raise ValueError(f"{path}.kind: missing (one of series, clicks, poisson, noise, step)")
    sig = _core.InputSignal()
    known = [f for f in dir(sig) if not f.startswith("_") and not callable(getattr(sig, f))]
    for key, field in value.items():
        if key not in known:
            raise ValueError(f"{path}.{key}: not a field of an input signal (known: {', '.join(known)})")
        if key in ("kind", "interpolation") and isinstance(field, str):
            try:  # the library's own parse, its message under this signal's path
                field = (_core.InputKind if key == "kind" else _core.Interpolation)(field)
            except ValueError as e:
                raise ValueError(f"{path}.{key}: {str(e).split(': ', 1)[-1]}") from None
        set_field(sig, key, field, f"{path}.{key}")
    return sig


def simulate(model, x0=None, options=None, *, inputs=None, rtol=None, atol=None, progress=None, **kwargs):
    """Integrate a flow (Dormand-Prince 5(4), dense output every ``dt``) or iterate a map
    (``t_end`` steps) from ``x0`` (default: the model's own x0, else a trained reservoir's first
    trained state, else zeros). Returns a Trajectory
    with ``t`` and ``x`` of shape (samples, dim), which also unpacks as ``t, x = simulate(...)``;
    ``rtol``/``atol`` are short for ``rel_tol``/``abs_tol``. The GIL is released while integrating. ``progress``: True for a tqdm bar, or a
    callable taking an rnndyn.Progress (return False to stop); Ctrl-C raises KeyboardInterrupt.

    ``inputs``: input signals added to the model's constant u (models with W_in / W_ih / w_in),
    each an InputSignal (``input_signal(...)``) or a dict of its fields with a ``kind``; the
    trajectory then carries ``u`` (samples, input_dim). A model with a readout (W_out, b_out; a
    reservoir's w_out) gives ``z`` (samples, outputs). See docs/simulate.md."""
    check_model(model)
    opts = make_options(_core.SimulateOptions, options, keywords=("x0", "inputs", "rtol", "atol", "progress"),
                        **kwargs)
    if inputs is not None:
        if isinstance(inputs, (dict, _core.InputSignal)):
            inputs = [inputs]
        opts.inputs = [_signal(v, f"inputs[{i}]") for i, v in enumerate(inputs)]
    if rtol is not None:
        set_field(opts, "rel_tol", rtol, "rtol")
    if atol is not None:
        set_field(opts, "abs_tol", atol, "atol")
    if x0 is not None:
        opts.x0 = _vector(x0, "x0")
    traj = _core._simulate(model, opts, _progress_callable(progress))
    if traj.status != "ok":
        warnings.warn(f"trajectory diverged at t = {traj.t[-1]}; it stops there", RuntimeWarning, stacklevel=2)
    return traj


def response(model, options=None, *, x0=None, progress=None, **kwargs):
    """The transfer function G(omega) of the readout z over one input channel, measured by
    simulation around ``x0`` (usually a stable fixed point): ``method='impulse'`` (one pulse,
    band = 2 |G(a) - G(a/2)|) or ``'noise'`` (``repeats`` white-noise realisations, band = 2
    jackknife standard errors). Keywords are the fields of ResponseOptions (see ``rnndyn
    response``); returns a ResponseResult with omega, G, gain, band, peak_omega and, for the
    impulse, h(t)."""
    check_model(model)
    opts = make_options(_core.ResponseOptions, options, keywords=("x0", "progress"), **kwargs)
    if x0 is not None:
        opts.x0 = _vector(x0, "x0")
    return _core._measure_response(model, opts, _progress_callable(progress))


# linearize warns when |F(x)| (flows) or |F(x) - x| (maps) exceeds this times max(1, |x|_inf).
NOT_FIXED_TOL = 1e-6


def linearize(model, x=None, options=None, **kwargs):
    """Jacobian, eigen-decomposition and stability class at ``x`` (see ``rnndyn linearize``);
    ``x=None``: at ``model.initial_state`` (the model file's x0, else a trained reservoir's first
    trained state), else at zeros. At a
    point that is not a fixed point (``residual_norm`` = |F(x)| for flows, |F(x) - x| for maps,
    above 1e-6 max(1, |x|_inf)) it warns (RuntimeWarning): the class then describes the Jacobian
    there, not an equilibrium."""
    check_model(model)
    opts = make_options(_core.LinearizeOptions, options, **kwargs)
    if x is None:
        res = _core._linearize_initial(model, opts)
        x = np.asarray(res.x)
    else:
        x = _vector(x, "x")
        res = _core._linearize(model, x, opts)
    scale = max(1.0, float(np.max(np.abs(x)))) if x.size and np.isfinite(x).all() else 1.0
    if res.residual_norm > NOT_FIXED_TOL * scale:
        what = "|F(x) - x|" if res.info.time == "discrete" else "|F(x)|"
        warnings.warn(f"x is not a fixed point ({what} = {res.residual_norm:.3g}): the stability "
                      f"'{res.stability}' describes the Jacobian at x, not an equilibrium", RuntimeWarning,
                      stacklevel=2)
    return res


def analyze_linear(model, options=None, **kwargs):
    """Seed 002 eigen-mode analysis of a linear network (see ``rnndyn linear``)."""
    check_model(model)
    return _core._analyze_linear(model, make_options(_core.LinearNetworkOptions, options, **kwargs))


def linear_closed_form(model, v0, times):
    """Closed-form v(t) of a linear network at ``times``; shape (len(times), dim)."""
    check_model(model)
    times = as_array(times, "times", 1, what="a 1-D array of times")
    if not np.isfinite(times).all():  # a Python-only argument: no library check behind it
        first = int(np.argwhere(~np.isfinite(times))[0][0])
        raise ValueError(not_finite_message("times", (first,), float(times[first])))
    return _core._linear_closed_form(model, _vector(v0, "v0"), times.tolist()).T


class _Missing:
    """An argument not given (None is a value, which the options' check refuses with its message)."""

    def __repr__(self):
        return "<required>"


_MISSING = _Missing()


def _range(from_, to, start, stop):
    """The parameter range of a continuation: ``from_`` and ``to`` (the JSON's and the CLI's
    names), or the old keywords ``start`` and ``stop`` with a DeprecationWarning."""
    for old, new, value in (("start", "from_", start), ("stop", "to", stop)):
        if value is not _MISSING:
            warnings.warn(f"{old}= is deprecated: use {new}= (the name of the JSON's '{new.rstrip('_')}')",
                          DeprecationWarning, stacklevel=3)
    from_ = start if from_ is _MISSING else from_
    to = stop if to is _MISSING else to
    for name, value in (("from_", from_), ("to", to)):
        if value is _MISSING:
            raise TypeError(f"{name}: missing (the parameter range is from_ .. to)")
    return from_, to


def continuation(model, parameter, from_=_MISSING, to=_MISSING, options=None, *, starts=None, progress=None,
                 start=_MISSING, stop=_MISSING, **kwargs):
    """Follow fixed points while ``parameter`` (e.g. 'tau[1]', 'W[0,1]', 'g') moves from ``from_``
    to ``to`` (see ``rnndyn continue``; the JSON's ``from`` and ``to``; ``start``/``stop`` are
    deprecated names of them): pseudo-arclength for smooth models, region by region for
    piecewise-linear ones. ``starts``: guesses near fixed points at ``from_`` (default: the model's
    x0, else every fixed point there). Returns a ContinuationResult. ``progress``: True for a tqdm bar, or a
    callable taking an rnndyn.Progress (return False to stop); Ctrl-C raises KeyboardInterrupt."""
    check_model(model)
    from_, to = _range(from_, to, start, stop)
    opts = make_options(_core.ContinuationOptions, options, keywords=("starts", "progress", "from_", "to"), **kwargs)
    set_field(opts, "parameter", parameter, "parameter")
    set_field(opts, "from_", from_, "from_")
    set_field(opts, "to", to, "to")
    if starts is not None:  # a list of states (one 1-D state is one guess)
        set_field(opts, "starts", starts, "starts")
    res = _core._continuation(model, opts, _progress_callable(progress))
    for i, b in enumerate(res.branches):  # the CLI says this on stderr
        if b.status == "start_not_converged":
            warnings.warn(f"start {i} did not converge to a fixed point at {parameter} = {from_}; its branch is empty",
                          RuntimeWarning, stacklevel=2)
    return res


def continue_limit_cycles(model, parameter, from_=_MISSING, to=_MISSING, options=None, *, x0=None, progress=None,
                          start=_MISSING, stop=_MISSING, **kwargs):
    """Follow limit cycles of a flow while ``parameter`` moves from ``from_`` to ``to`` (see
    ``rnndyn continue-cycles``; ``start``/``stop`` are deprecated names of them): shooting with
    pseudo-arclength; each point has the period, the
    Floquet multipliers and the min/max of every coordinate along the cycle; cycle folds, period
    doubling and Neimark-Sacker are reported. ``x0``: a state near a cycle at ``from_`` (default:
    the cycles born at the Hopf points of the fixed points on [from_, to], else the model's x0).
    Piecewise-linear maps: the k-cycles (``map_period=k``, default 2) of the exact search at
    ``from_`` (or the one nearest ``x0``), each solved exactly region sequence by region sequence;
    points carry the k cycle ``points``; border collisions (``unit``, ``breakpoint``,
    ``cycle_point``), nonsmooth folds, period doubling, folds and Neimark-Sacker are reported.
    Keywords are fields of LimitCycleContinuationOptions (``search`` takes a LimitCycleOptions or a
    dict). Returns a LimitCycleContinuationResult; ``to_dict()`` is the CLI's JSON. ``progress``:
    True for a tqdm bar, or a callable taking an rnndyn.Progress (return False to stop); Ctrl-C
    raises KeyboardInterrupt."""
    check_model(model)
    from_, to = _range(from_, to, start, stop)
    opts = make_options(_core.LimitCycleContinuationOptions, options, keywords=("x0", "progress", "from_", "to"),
                        **kwargs)
    set_field(opts, "parameter", parameter, "parameter")
    set_field(opts, "from_", from_, "from_")
    set_field(opts, "to", to, "to")
    if x0 is not None:
        opts.x0 = _vector(x0, "x0")
    res = _core._continue_limit_cycles(model, opts, _progress_callable(progress))
    if res.message:  # the CLI says this on stderr
        warnings.warn(res.message, RuntimeWarning, stacklevel=2)
    return res


def scan_parameters(model, parameter_x, x_range, parameter_y, y_range, options=None, *, steps=(21, 21), progress=None,
                    **kwargs):
    """Count the fixed points of every cell of a parameter grid by stability (see ``rnndyn scan``):
    ``x_range = (x_from, x_to)`` and ``y_range`` are included ends, ``steps = (x_steps, y_steps)``.
    Every cell runs find_fixed_points (``fixed_points=`` a FixedPointOptions or dict; default:
    exact for piecewise-linear models) and, for piecewise-linear maps, the exact k-cycle search
    for k = 2 .. ``max_period`` (default 4; ``cycles=`` a CycleOptions or dict); flows and smooth
    maps get no cycle counts (``cycles_counted`` False, ``cycles_note`` says why). Returns a ParameterScanResult: ``cells[j * len(x_values) +
    i]`` is the cell (x_values[i], y_values[j]); ``to_dict()`` is the CLI's JSON, with the counts as
    rows (one per y value); ``rnndyn.plot.bifurcation_map`` draws it. ``progress``: True for a
    tqdm bar, or a callable taking an rnndyn.Progress (return False to stop); Ctrl-C raises
    KeyboardInterrupt."""
    check_model(model)
    opts = make_options(_core.ParameterScanOptions, options, **kwargs)
    set_field(opts, "parameter_x", parameter_x, "parameter_x")
    set_field(opts, "parameter_y", parameter_y, "parameter_y")
    for name, pair in (("x", x_range), ("y", y_range)):
        if np.ndim(pair) != 1 or len(pair) != 2:
            raise ValueError(f"{name}_range: expected (from, to), got {pair!r}")
        set_field(opts, f"{name}_from", pair[0], f"{name}_range")
        set_field(opts, f"{name}_to", pair[1], f"{name}_range")
    if np.ndim(steps) != 1 or len(steps) != 2:
        raise ValueError(f"steps: expected (x_steps, y_steps), got {steps!r}")
    set_field(opts, "x_steps", steps[0], "steps")
    set_field(opts, "y_steps", steps[1], "steps")
    return _core._scan_parameters(model, opts, _progress_callable(progress))


def continue_hopf_curve(model, parameter_x, x_range, parameter_y, y_range, start, options=None, *, x0=None,
                        **kwargs):
    """Follow the Hopf curve through ``start = (p_x, p_y)`` in the box ``x_range`` x ``y_range`` (see
    ``rnndyn hopf-curve``): the start is moved onto the curve along ``parameter_y``, then the curve is
    followed both ways by pseudo-arclength on Re lambda = 0 (|lambda| = 1 for maps) of the complex
    pair of the fixed point followed by Newton (``x0``: a state near it at the start). Returns a
    HopfCurveResult (``points`` with ``px``, ``py``, ``x``, ``omega``); ``to_dict()`` is the CLI's
    JSON; ``rnndyn.plot.bifurcation_map(scan, curves=[result])`` draws it over a scan."""
    check_model(model)
    opts = make_options(_core.HopfCurveOptions, options, **kwargs)
    set_field(opts, "parameter_x", parameter_x, "parameter_x")
    set_field(opts, "parameter_y", parameter_y, "parameter_y")
    for name, pair in (("x", x_range), ("y", y_range), ("start", start)):
        if np.ndim(pair) != 1 or len(pair) != 2:
            raise ValueError(f"{name if name == 'start' else name + '_range'}: expected a pair, got {pair!r}")
    set_field(opts, "x_from", x_range[0], "x_range")
    set_field(opts, "x_to", x_range[1], "x_range")
    set_field(opts, "y_from", y_range[0], "y_range")
    set_field(opts, "y_to", y_range[1], "y_range")
    set_field(opts, "start_x", start[0], "start")
    set_field(opts, "start_y", start[1], "start")
    if x0 is not None:
        opts.x0 = _vector(x0, "x0")
    return _core._continue_hopf_curve(model, opts)


def continue_fold_curve(model, parameter_x, x_range, parameter_y, y_range, start, options=None, *, x0=None,
                        **kwargs):
    """Follow the fold (saddle-node) curve through the fold nearest ``start = (p_x, p_y)`` along
    ``parameter_y`` (see ``rnndyn fold-curve``): the curve where a real eigenvalue of the fixed point's
    Jacobian is at 0 (maps: 1) and the branch turns, followed in (x, p_x, p_y) by pseudo-arclength on
    the augmented system with a bordered test function. Smooth models only (a piecewise-linear model's
    folds are border collisions). Arguments and result as ``continue_hopf_curve`` (``kind='fold'``,
    ``omega`` 0, ``tau`` the test function)."""
    return continue_hopf_curve(model, parameter_x, x_range, parameter_y, y_range, start, options, x0=x0,
                               kind="fold", **kwargs)


def continue_border_curve(model, parameter_x, x_range, parameter_y, y_range, start, options=None, *, x0=None,
                          **kwargs):
    """Follow the border-collision curve through the collision nearest ``start = (p_x, p_y)`` along
    ``parameter_y`` (see ``rnndyn border-curve``): the parameters where the fixed point of the region
    beside the border sits on the unit's kink, solved exactly per region; a corner with another
    border ends it (``non_smooth``). Piecewise-linear models. Arguments and result as
    ``continue_hopf_curve`` (``kind='border_collision'``)."""
    return continue_hopf_curve(model, parameter_x, x_range, parameter_y, y_range, start, options, x0=x0,
                               kind="border_collision", **kwargs)


def perturb(model, options=None, *, keep=None, progress=None, **kwargs):
    """Classify random (or one given ``epsilon``) perturbations of a piecewise-linear network by
    their exactly enumerated fixed points (see ``rnndyn perturb``). ``keep`` is short for
    ``keep_samples``. Returns a PerturbResult. ``progress``: True for a tqdm bar, or a
    callable taking an rnndyn.Progress (return False to stop); Ctrl-C raises KeyboardInterrupt."""
    check_model(model)
    opts = make_options(_core.PerturbOptions, options, keywords=("keep", "progress"), **kwargs)
    if keep is not None:
        set_field(opts, "keep_samples", keep, "keep")
    return _core._perturb(model, opts, _progress_callable(progress))
