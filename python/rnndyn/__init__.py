"""rnndyn: find, classify and predict the attractors of recurrent neural networks.

Models come from model files (``load_model``) or dictionaries with the same keys
(``model_from_dict``); analyses take a model and return numpy arrays or ``Result`` objects whose
``to_dict()`` matches the CLI's JSON. Bad input raises ValueError with the CLI's message.
"""
import json
import os

import numpy as np

from . import _core
from ._analyses import analyze_linear, continuation, linear_closed_form, linearize, perturb, simulate
from ._core import (ContinuationOptions, CycleOptions, FixedPointOptions, Interrupted, LinearizeOptions,
                    LinearNetworkOptions, Model, PerturbOptions, Progress, SimulateOptions, StartOptions, load_model)
from ._dynamics import limit_cycle, lyapunov, mean_field, reservoir, reservoir_config
from ._fixed_points import find_cycles, find_fixed_points
from ._results import Result

__all__ = ["Model", "Result", "load_model", "model_from_dict", "simulate", "linearize", "analyze_linear",
           "linear_closed_form", "find_fixed_points", "find_cycles", "continuation", "limit_cycle", "lyapunov",
           "perturb", "mean_field", "reservoir", "reservoir_config", "FixedPointOptions", "StartOptions",
           "CycleOptions", "ContinuationOptions", "PerturbOptions", "SimulateOptions", "LinearizeOptions",
           "LinearNetworkOptions", "Progress", "Interrupted"]
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


