"""rnndyn: find, classify and predict the attractors of recurrent neural networks.

Models come from model files (``load_model``) or dictionaries with the same keys
(``model_from_dict``); analyses take a model and return numpy arrays or ``Result`` objects whose
``to_dict()`` matches the CLI's JSON. Bad input raises ValueError with the CLI's message.
"""
import json
import math
import numbers
import os

import numpy as np

from . import _core, _explain, _json_names, _registry  # noqa: F401 (reprs, to_dataframe, JSON-named attributes)
from ._analyses import (analyze_linear, continuation, continue_border_curve, continue_fold_curve, continue_hopf_curve,
                        continue_limit_cycles, input_signal, linear_closed_form, linearize, perturb, response,
                        scan_parameters, simulate)
from ._basins import basins
from ._core import (BasinsOptions, ContinuationOptions, CycleOptions, FixedPointOptions, HopfCurveOptions,
                    InputSignal, Interrupted, LimitCycleContinuationOptions, LimitCycleOptions, LinearizeOptions,
                    LinearNetworkOptions, LyapunovOptions, MeanFieldOptions, Model, ParameterScanOptions,
                    PerturbOptions, Progress, ReservoirExperimentOptions, ResponseOptions, SimulateOptions,
                    Stability, StartOptions)
from ._dynamics import mean_field, reservoir, reservoir_config
from ._fixed_points import find_cycles, find_fixed_points
from ._results import Result
from ._sweep import open_sweep, sweep
from ._validate import as_numpy, as_path, describe, not_finite_message

__all__ = ["Model", "Result", "analyses", "load_model", "model_from_dict", "simulate", "input_signal", "InputSignal", "response",
           "linearize",
           "analyze_linear",
           "linear_closed_form", "find_fixed_points", "find_cycles", "continuation", "continue_limit_cycles",
           "scan_parameters", "continue_hopf_curve", "continue_fold_curve", "continue_border_curve",
           "basins", "BasinsOptions",
           "perturb", "mean_field", "reservoir", "reservoir_config", "FixedPointOptions", "StartOptions",
           "CycleOptions", "ContinuationOptions", "PerturbOptions", "SimulateOptions", "LinearizeOptions",
           "LinearNetworkOptions", "LyapunovOptions", "LimitCycleOptions", "LimitCycleContinuationOptions",
           "MeanFieldOptions", "ReservoirExperimentOptions", "ResponseOptions", "ParameterScanOptions",
           "HopfCurveOptions", "Stability", "Progress", "Interrupted", "sweep", "open_sweep"]
__version__ = "0.1.0"

# The analyses without a function above (lyapunov, limit_cycle): made from their registry rows.
_made = _registry.plain_analyses(set(globals()))
globals().update(_made)
__all__ += sorted(_made)


def _where(field, index):
    """``W`` with the index ``(1, 0)`` of an entry inside it: ``W[1,0]`` (the library's spelling)."""
    return field + ("[" + ",".join(map(str, index)) + "]" if index else "")


def _jsonable(value, field, index=()):
    """``value`` as plain JSON data (lists, floats, ints, strings, dicts) for the model-file reader.
    numpy arrays, numpy scalars, torch tensors and anything with ``__array__`` are converted; NaN
    and inf, which JSON cannot carry, raise the library's "entry [i,j] is not finite" message for
    the key ``field`` (nested keys as ``outer.inner``); so do values JSON has no spelling for."""
    value = as_numpy(value)
    if not isinstance(value, (np.ndarray, np.generic, str, bytes, dict, list, tuple)) and hasattr(value, "__array__"):
        value = np.asarray(value)  # e.g. a pandas or jax array
    if isinstance(value, np.ndarray):
        if np.iscomplexobj(value):
            raise ValueError(f"{_where(field, index)}: expected real numbers, got complex values")
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            first = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
            bad = float(value[first]) if first else float(value)
            raise ValueError(not_finite_message(field, index + first, bad) if index + first else
                             f"{field}: must be finite, got {bad}")
        if value.dtype.kind in "biuf":
            return value.tolist()
        value = value.tolist()  # object or string arrays: entry by entry below
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        if abs(int(value)) < 2**63:
            return int(value)
        if abs(int(value)) >= 10**308:  # JSON would read it as a double, and no double holds it
            raise ValueError(f"{_where(field, index)}: {describe(value)} is out of the range of a double")
        value = float(value)  # beyond int64: a double, as JSON reads it
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(not_finite_message(field, index, value) if index else f"{field}: must be finite, got {value}")
        return value
    if isinstance(value, numbers.Complex):
        raise ValueError(f"{_where(field, index)}: expected real numbers, got complex values")
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{_where(field, index) or 'model file'}: keys must be strings, got {describe(key)}")
            out[key] = _jsonable(sub, f"{_where(field, index)}.{key}" if field else key)
        return out
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, field, index + (i,)) for i, v in enumerate(value)]
    raise ValueError(f"{_where(field, index)}: expected a number, a list, an array or a .npy path, got "
                     f"{describe(value)}")


def analyses():
    """The registry of analyses (include/rnndyn/analyses.hpp), one dict per analysis: ``name`` (what
    every result's ``analysis`` and its JSON's ``"analysis"`` say), ``cli`` (its command), ``python``
    (its function in this package), ``front_door`` (the C++ call), ``header``, ``json``, ``result``
    (the result class), ``options`` (its options class, C++ name), ``variant`` (the curve's kind
    where analyses share a result) and ``summary``."""
    return _core.analyses()


def load_model(path):
    """Read a JSON model file (str or os.PathLike): matrices inline or .npy paths relative to the
    file."""
    return _core.load_model(as_path(path, "model file"))


def model_from_dict(spec, base_dir=""):
    """Build a model from a dictionary with the keys of a model file; numpy arrays, torch tensors
    (also requiring grad) and numpy or 0-d tensor scalars are accepted as values. ``base_dir``
    (str or os.PathLike) resolves relative ``.npy`` paths."""
    if not isinstance(spec, dict):
        hint = " (use rnndyn.load_model for model files)" if isinstance(spec, (str, os.PathLike)) else ""
        raise ValueError(f"spec: expected a dict with the keys of a model file, got {describe(spec)}{hint}")
    text = json.dumps(_jsonable(spec, ""), allow_nan=False)
    return _core._model_from_json(text, as_path("" if base_dir is None else base_dir, "base_dir"))
