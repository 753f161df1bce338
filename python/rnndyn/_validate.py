"""Checks of Python values at the package's boundary: each turns a value the C++ side cannot take
(a string for a number, a pathlib.Path, a torch tensor, NaN in a dictionary that becomes JSON)
into what it expects, or raises ValueError("<field>: <problem>") as the C++ InputError would.

Only types and representability are checked here (is it a number, an integer, finite, a path, an
array of numbers); ranges and domains (counts >= 1, lo < hi, tau > 0) are the library's, so the
CLI and Python give one message for them."""
import math
import numbers
import os

import numpy as np

__all__ = ["describe", "is_number", "as_path", "as_int", "as_float", "as_array", "as_numpy", "is_tensor", "check_model",
           "not_finite_message"]


def describe(value, limit=40):
    """A short spelling of ``value`` for a message: the repr of small scalars and strings, else the
    type (with the shape of arrays)."""
    if value is None or isinstance(value, (bool, numbers.Number, np.generic)):
        text = repr(value.item() if isinstance(value, np.generic) else value)
    elif isinstance(value, (str, bytes)):
        text = repr(value)
    elif isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    else:
        name = type(value).__name__
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_tensor(value):
    """A torch tensor (or anything alike), found without importing torch."""
    return hasattr(value, "detach") and hasattr(value, "numpy") and not isinstance(value, np.ndarray)


def as_numpy(value):
    """A tensor (also requires_grad=True or on a GPU) as a numpy array; other values unchanged."""
    if is_tensor(value):
        return value.detach().cpu().numpy()
    return value


def as_path(value, field):
    """A str or os.PathLike as a str path, else ValueError naming ``field``."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        return os.fsdecode(path) if isinstance(path, bytes) else path
    if isinstance(value, bytes):
        return os.fsdecode(value)
    hint = " (use rnndyn.model_from_dict for dictionaries)" if isinstance(value, dict) else ""
    raise ValueError(f"{field}: expected a path (str or os.PathLike), got {describe(value)}{hint}")


def is_number(value):
    value = as_numpy(value)
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            return False
        value = value.item()
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def as_float(value, field):
    """A real number (int, float, numpy or 0-d tensor scalar) as a float; NaN passes (the library
    says which values are allowed)."""
    if not is_number(value):
        raise ValueError(f"{field}: expected a number, got {describe(value)}")
    return float(np.asarray(as_numpy(value)).item())


def as_int(value, field, what="an integer"):
    """An integer (int, numpy integer, 0-d tensor, or a float without fraction such as 1e4) as an
    int. ``what`` names the expectation in the message (e.g. "a count (an integer)")."""
    if is_number(value):
        x = np.asarray(as_numpy(value)).item()
        if isinstance(x, numbers.Integral):
            return int(x)
        if math.isfinite(x) and x == int(x):
            return int(x)
    raise ValueError(f"{field}: expected {what}, got {describe(value)}")


def not_finite_message(field, index, value):
    """The library's message for a non-finite entry (detail::require_finite)."""
    where = "[" + ",".join(str(i) for i in index) + "]"
    spelled = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{field}: entry {where} is not finite ({spelled})"


def as_array(value, field, ndim=None, what=None):
    """``value`` (list, tuple, numpy array, tensor) as a float array; ``ndim`` 1 or 2 requires that
    many dimensions (2 also takes one 1-D row). Non-numbers, ragged lists and complex values raise
    ValueError naming ``field``; NaN passes (the library checks finiteness with its own message)."""
    what = what or {1: "a 1-D array of numbers", 2: "a 2-D array of numbers"}.get(ndim, "an array of numbers")
    value = as_numpy(value)
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise ValueError(f"{field}: expected {what}, got {describe(value)}")
    try:
        arr = np.asarray(value)
    except ValueError:  # numpy >= 1.24 refuses ragged nested lists
        raise ValueError(f"{field}: expected {what}, got a ragged list (rows must have equal length)") from None
    if arr.dtype == object:
        raise ValueError(f"{field}: expected {what}, got a ragged list or entries that are not numbers")
    if np.iscomplexobj(arr):
        raise ValueError(f"{field}: expected real numbers, got complex values")
    if arr.dtype.kind not in "biuf":
        kind = "strings" if arr.dtype.kind in "US" else f"entries of type {arr.dtype}"
        raise ValueError(f"{field}: expected {what}, got {kind}")
    arr = arr.astype(float)
    if ndim == 2 and arr.ndim == 1 and arr.size:
        arr = arr[None, :]
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{field}: expected {what}, got shape {arr.shape}")
    return arr


def check_model(model, field="model"):
    """``model`` must be an rnndyn.Model (load_model, model_from_dict, rnndyn.torch)."""
    from ._core import Model
    if not isinstance(model, Model):
        hint = " (load it with rnndyn.load_model first)" if isinstance(model, (str, os.PathLike)) else \
            " (build it with rnndyn.model_from_dict first)" if isinstance(model, dict) else ""
        raise ValueError(f"{field}: expected an rnndyn.Model, got {describe(model)}{hint}")
    return model
