"""Objects that explain themselves: a one-line ``repr`` for every options and result class of the
compiled core, and ``to_dataframe()`` (pandas, optional) for the tables a result holds.

- Results print what they found: ``FixedPointResult(27 fixed points: 8 stable, 19 saddles;
  method='numeric', status='sampled', 0.21 s)``; points print their state, stability and quality:
  ``NumericFixedPoint(x=[0.446, -2.38], stability='saddle (1 unstable)', q=1.4e-32,
  found_by='start')``; other classes print their first fields. Long vectors are abbreviated
  (``[0.1, 0.2, ..., 0.9] (32)``) and a repr is one line of at most about 200 characters.
- Options print their non-default fields only, as scikit-learn's estimators do:
  ``FixedPointOptions(method=numeric, numeric=NumericOptions(q_tol=1e-20))``.
"""
import numbers

import numpy as np

from . import _core

__all__ = []

_MAX_REPR = 200
_SKIP = {"options", "info", "analysis"}  # every result has them; the class names the analysis
# The fields a point or an entry shows, in this order (the rest stay attributes).
_SHOWN = {
    "NumericFixedPoint": ("x", "stability", "q", "found_by", "slow"),
    "ExactFixedPoint": ("x", "stability", "residual", "found_by", "on_boundary"),
    "PerturbedFixedPoint": ("x", "stability", "full_support"),
    "BranchPoint": ("p", "x", "stability", "residual"),
    "CyclePoint": ("p", "period", "stable", "x_min", "x_max"),
    "Cycle": ("period", "points", "stability", "residual", "found_by"),
    "Bifurcation": ("type", "parameter", "x", "omega", "branch"),
    "CycleBifurcation": ("type", "parameter", "period", "branch"),
    "Continuum": ("shape", "dimension", "origin", "bounded"),
    "Linearization": ("x", "stability", "residual_norm", "eigenvalues"),
    "OneSidedLinearization": ("side", "stability", "eigenvalues"),
    "HopfCurvePoint": ("px", "py", "omega", "x"),
    "ScanCell": ("x", "y", "n_fixed_points", "n_stable", "n_unstable", "n_cycles", "complete"),
    "MeanFieldTarget": ("A", "sigma2", "rho", "stable", "tau_net", "poles"),
    "BasinAttractor": ("kind", "x", "fraction", "ci_low", "ci_high", "found_by"),
    "BasinSaddle": ("x", "eigenvalue", "plus", "minus"),
}
# Fields shown only where they apply: a fixed point that is one of the model's trained states.
_SHOWN_IF = {
    "NumericFixedPoint": (("trained_level", lambda p: p.trained_state >= 0),
                          ("trained_distance", lambda p: p.trained_state >= 0)),
    "ExactFixedPoint": (("trained_level", lambda p: p.trained_state >= 0),
                        ("trained_distance", lambda p: p.trained_state >= 0)),
}


def _number(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (numbers.Integral, np.integer)):
        return str(int(v))
    if isinstance(v, (complex, np.complexfloating)):
        v = complex(v)
        return f"{v.real:.3g}{v.imag:+.3g}j" if v.imag else f"{v.real:.3g}"
    return f"{float(v):.3g}"


def _array(a):
    a = np.asarray(a)
    if a.ndim == 0:
        return _number(a.item())
    if a.ndim > 1:
        return f"array({'x'.join(map(str, a.shape))})"
    items = [_number(v) for v in (a if a.size <= 4 else np.concatenate([a[:2], a[-1:]]))]
    return "[" + ", ".join(items) + "]" if a.size <= 4 else f"[{items[0]}, {items[1]}, ..., {items[2]}] ({a.size})"


def short(value):
    """``value`` in a few characters: numbers to 3 digits, vectors abbreviated, lists of objects as
    counts, stabilities and strings quoted, nested objects by their own repr."""
    if value is None or isinstance(value, (str, bool, np.bool_)):
        return repr(value if not isinstance(value, np.bool_) else bool(value))
    if isinstance(value, _core.Stability):
        return repr(str(value))
    if isinstance(value, (numbers.Number, np.generic)):
        return _number(value)
    if isinstance(value, np.ndarray):
        return _array(value)
    if hasattr(type(value), "__members__"):  # a bound enum: its text name
        return repr(str(value))
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(isinstance(v, (numbers.Number, np.generic)) for v in value):
            return _array(np.array(value))
        if all(isinstance(v, np.ndarray) for v in value):
            return f"[{len(value)} arrays]"
        if all(isinstance(v, str) for v in value):
            return repr(list(value)) if len(value) <= 3 else f"[{len(value)} strings]"
        name = type(value[0]).__name__
        return f"[{len(value)} {name}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {short(v)}" for k, v in list(value.items())[:4]) + \
            (", ..." if len(value) > 4 else "") + "}"
    if type(value).__module__.startswith("rnndyn") and not _is_options(value) and _fields(type(value)):
        return f"{type(value).__name__}(...)"  # a nested result: its own repr tells more
    return repr(value)


def _fields(cls):
    """The data attributes of a bound class in the order the binding defines them (not the
    deprecated names of renamed fields)."""
    return [name for name, v in vars(cls).items() if isinstance(v, property) and not name.startswith("_")
            and not (v.__doc__ or "").startswith("Deprecated")]


def _clip(text):
    return text if len(text) <= _MAX_REPR else text[:_MAX_REPR - 4] + "...)"


def _generic_repr(self):
    cls = type(self)
    names = _SHOWN.get(cls.__name__) or [n for n in _fields(cls) if n not in _SKIP]
    parts = []
    for name in names:
        try:
            parts.append(f"{name}={short(getattr(self, name))}")
        except Exception:  # a view that does not apply to this object
            continue
    parts += [f"{name}={short(getattr(self, name))}" for name, applies in _SHOWN_IF.get(cls.__name__, ())
              if applies(self)]
    text = f"{cls.__name__}({', '.join(parts)})"
    if len(text) > _MAX_REPR:  # whole fields only, then '...'
        while parts and len(f"{cls.__name__}({', '.join(parts)}, ...)") > _MAX_REPR:
            parts.pop()
        text = f"{cls.__name__}({', '.join(parts + ['...'])})"
    return text


def _equal(a, b):
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return np.array_equal(np.asarray(a), np.asarray(b))
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
        if type(a).__name__ == "Activation":
            return repr(a) == repr(b)
        return bool(a == b)
    except Exception:
        return False


def _options_repr(self):
    """The fields that differ from the defaults, nested options by their own non-default fields."""
    cls = type(self)
    try:
        default = cls()
    except TypeError:
        default = None
    parts = []
    for name in _fields(cls):
        value = getattr(self, name)
        if default is not None and _is_options(value):
            inner = repr(value)
            if not inner.endswith("()"):
                parts.append(f"{name}={inner}")
            continue
        if default is not None and _equal(value, getattr(default, name)):
            continue
        parts.append(f"{name}={short(value)}")
    return _clip(f"{cls.__name__}({', '.join(parts)})")


def _is_options(value):
    return type(value).__module__.startswith("rnndyn") and type(value).__name__.endswith("Options")


def _seconds(result):
    info = getattr(result, "info", None)
    return f"{info.elapsed_seconds:.2g} s" if info is not None else ""


def _plural(n, word, words=None):
    return f"{n} {word if n == 1 else words or word + 's'}"


def _classes(stabilities):
    """'8 stable, 19 saddles' from a list of Stability objects (or booleans: stable or not)."""
    counts = {}
    for s in stabilities:
        if s is None:  # not linearized (slow points beyond slow_stability_points)
            continue
        if isinstance(s, (bool, np.bool_)):
            key = "stable" if s else "unstable"
        elif s.type.startswith("stable"):
            key = "stable"
        elif s.type == "saddle":
            key = "saddle"
        elif s.type.startswith("unstable"):
            key = "unstable"
        else:
            key = "non-hyperbolic"
        counts[key] = counts.get(key, 0) + 1
    order = ("stable", "saddle", "unstable", "non-hyperbolic")
    return ", ".join(f"{counts[k]} {k + 's' if k == 'saddle' and counts[k] != 1 else k}" for k in order if k in counts)


def _points_summary(points, word, words=None):
    classes = _classes([p.stability for p in points])
    return _plural(len(points), word, words) + (f": {classes}" if classes else "")


def _fixed_point_result_repr(self):
    found = [_points_summary(self.fixed_points, "fixed point")]
    if self.continua:
        found.append(_plural(len(self.continua), "continuum", "continua"))
    if self.slow_points:
        found.append(_plural(len(self.slow_points), "slow point"))
    if self.slow_manifolds:
        found.append(_plural(len(self.slow_manifolds), "slow manifold"))
    if self.memories:
        found.append(_plural(len(self.memories), "memory", "memories"))
    return _clip(f"FixedPointResult({'; '.join(found)}; method={short(self.method)}, "
                 f"status={self.status!r}, {_seconds(self)})")


def _cycle_result_repr(self):
    found = _points_summary(self.cycles, f"cycle of period {self.period}", f"cycles of period {self.period}")
    if self.continua:
        found += f"; {_plural(len(self.continua), 'continuum', 'continua')}"
    return _clip(f"CycleResult({found}; method={short(self.method)}, status={self.status!r}, "
                 f"{_seconds(self)})")


def _bifurcations(bifurcations):
    if not bifurcations:
        return "no bifurcations"
    listed = ", ".join(f"{b.type} at {_number(b.parameter)}" for b in bifurcations[:3])
    return f"bifurcations: {listed}" + (f" (+{len(bifurcations) - 3})" if len(bifurcations) > 3 else "")


def _continuation_repr(self):
    n = sum(len(b.points) for b in self.branches)
    return _clip(f"{type(self).__name__}({self.parameter} from {_number(self.options.from_)} to "
                 f"{_number(self.options.to)}: {_plural(len(self.branches), 'branch', 'branches')}, "
                 f"{_plural(n, 'point')}; {_bifurcations(self.bifurcations)}; {_seconds(self)})")


def _perturb_repr(self):
    shares = ", ".join(f"{name} {t.share:.0%}" for name, t in sorted(self.types.items(), key=lambda kv: -kv[1].share))
    return _clip(f"PerturbResult({self.samples} samples: {shares}; {_seconds(self)})")


def _scan_repr(self):
    n = sum(c.n_fixed_points for c in self.cells)
    cycles = f", {_plural(sum(c.n_cycles for c in self.cells), 'cycle')}" if self.cycles_counted else ""
    return _clip(f"ParameterScanResult({self.parameter_x} x {self.parameter_y}: "
                 f"{len(self.x_values)}x{len(self.y_values)} cells, {_plural(n, 'fixed point')}{cycles}; "
                 f"status={self.status!r}, {_seconds(self)})")


def _basins_repr(self):
    kinds = {}
    for a in self.attractors:
        kinds[a.kind.replace("_", " ")] = kinds.get(a.kind.replace("_", " "), 0) + 1
    found = ", ".join(_plural(n, k) for k, n in kinds.items())
    shares = ", ".join(f"{a.fraction:.0%}" for a in sorted(self.attractors, key=lambda a: -a.fraction)[:4])
    more = ", ..." if len(self.attractors) > 4 else ""
    rest = self.n_unsettled + self.n_diverged
    return _clip(f"BasinsResult({_plural(len(self.attractors), 'attractor')} ({found}), shares {shares}{more}; "
                 f"{rest} unsettled of {self.n_starts}; {_plural(len(self.graph), 'saddle link')}; "
                 f"status={str(self.status)!r}, {_seconds(self)})")


def _result_repr(self):
    """Any other result: its first fields (not options or info), then the time."""
    text = _generic_repr(self)
    seconds = _seconds(self)
    return text[:-1] + f", {seconds})" if seconds and len(text) + len(seconds) < _MAX_REPR + 20 else text


_RESULT_REPRS = {
    "FixedPointResult": _fixed_point_result_repr,
    "CycleResult": _cycle_result_repr,
    "ContinuationResult": _continuation_repr,
    "LimitCycleContinuationResult": _continuation_repr,
    "PerturbResult": _perturb_repr,
    "ParameterScanResult": _scan_repr,
    "BasinsResult": _basins_repr,
}


# ----- tables -----

def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("to_dataframe() needs pandas, which is not installed: pip install pandas") from None
    return pandas


def _row(obj, skip=()):
    """The scalar fields of ``obj`` as columns; a state ``x`` as x0, x1, ...; a stability as its
    text, class and counts."""
    state, stability, rest = {}, {}, {}
    for name in _fields(type(obj)):
        if name in skip:
            continue
        value = getattr(obj, name)
        if isinstance(value, _core.Stability):
            stability = {name: str(value), "type": value.type, "n_unstable": value.n_unstable,
                         "n_marginal": value.n_marginal}
        elif name == "x" and isinstance(value, np.ndarray) and value.ndim == 1:
            state = {f"x{i}": v for i, v in enumerate(value)}
        elif value is None or isinstance(value, (str, numbers.Number, np.generic)):
            rest[name] = value.item() if isinstance(value, np.generic) else value
    return {**state, **stability, **{k: v for k, v in rest.items() if k not in stability}}


def _fixed_points_frame(self):
    """One row per fixed point (and per slow point, ``slow`` True): x0.., stability (its text),
    type, n_unstable, n_marginal, and the point's other scalar fields (q, found_by, residual,
    ...)."""
    rows = [_row(p) for p in list(self.fixed_points) + list(self.slow_points)]
    return _pandas().DataFrame(rows)


def _cycles_frame(self):
    """One row per point of each cycle: cycle (its index), step (0..k-1), x0.., and the cycle's
    stability, period, residual, found_by."""
    rows = []
    for i, c in enumerate(self.cycles):
        common = _row(c, skip=("points",))
        for step, x in enumerate(np.atleast_2d(c.points)):
            rows.append({"cycle": i, "step": step, **{f"x{j}": v for j, v in enumerate(x)}, **common})
    return _pandas().DataFrame(rows)


def _continuation_frame(self, table="branches"):
    """``table='branches'``: one row per branch point (branch, point, p, x0.., stability, ...);
    ``'bifurcations'``: one row per bifurcation (type, parameter, branch, point_index, ...)."""
    if table == "branches":
        rows = [{"branch": i, "point": k, **_row(pt)} for i, b in enumerate(self.branches)
                for k, pt in enumerate(b.points)]
    elif table == "bifurcations":
        rows = [_row(b) for b in self.bifurcations]
    else:
        raise ValueError(f"table: expected 'branches' or 'bifurcations', got {table!r}")
    return _pandas().DataFrame(rows)


def _perturb_frame(self):
    """One row per type of perturbed network: type, count, share, ci_low, ci_high."""
    rows = [{"type": name, **_row(t)} for name, t in self.types.items()]
    return _pandas().DataFrame(rows)


def _install():
    for name in dir(_core):
        cls = getattr(_core, name)
        if not isinstance(cls, type) or hasattr(cls, "__members__") or "__repr__" in vars(cls):
            continue  # enums, and classes with their own repr (Stability, Progress, Activation, Model)
        if not _fields(cls):
            continue
        if name.endswith("Options") or name == "InputSignal":
            cls.__repr__ = _options_repr
        elif name in _RESULT_REPRS:
            cls.__repr__ = _RESULT_REPRS[name]
        elif hasattr(cls, "to_dict"):
            cls.__repr__ = _result_repr
        else:
            cls.__repr__ = _generic_repr
    _core.FixedPointResult.to_dataframe = _fixed_points_frame
    _core.CycleResult.to_dataframe = _cycles_frame
    _core.ContinuationResult.to_dataframe = _continuation_frame
    _core.LimitCycleContinuationResult.to_dataframe = _continuation_frame
    _core.PerturbResult.to_dataframe = _perturb_frame


_install()
