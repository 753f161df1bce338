"""Options objects from keyword arguments: the bound C++ options classes carry every default, so
the Python functions only copy what the caller gave onto a fresh options object.

A value of the wrong Python type ('x' for an integer, -1 for an unsigned seed, a ragged list for
an array) raises ValueError("<field>: expected <type>, got <value>") here; whether a value of the
right type is allowed (max_iter >= 1, tolerances > 0) is checked by the options' C++ validate()."""
import difflib
import re

import numpy as np

from ._validate import is_number, as_array, as_float, as_int, describe

__all__ = ["make_options", "set_field", "UnknownOptionError"]


class UnknownOptionError(TypeError, ValueError):
    """A keyword that names no option: a TypeError, as Python raises for an unexpected keyword
    argument, and a ValueError, as every other bad option is."""


def _unknown(path, name, owner, known, accepted=None):
    """UnknownOptionError("<path>: unknown option of <owner>; did you mean 'noise'? (known: ...)"),
    the suggestions drawn from ``accepted`` (every keyword the call takes; default ``known``)."""
    close = difflib.get_close_matches(name, sorted(set(accepted or known)), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return UnknownOptionError(f"{path}: unknown option{' of ' + owner if owner else ''}{hint} ({known})")


def _fields(obj):
    """The option fields of ``obj`` (not the deprecated names of renamed fields)."""
    return [name for name in dir(obj) if not name.startswith("_") and not _deprecated(type(obj), name)
            and not callable(getattr(obj, name))]


def _deprecated(cls, name):
    return (getattr(getattr(cls, name, None), "__doc__", None) or "").startswith("Deprecated")


def _is_options(value):
    return type(value).__module__.startswith("rnndyn") and type(value).__name__.endswith("Options")


def _kind(obj, name, current):
    """What the field takes, read from the bound setter's signature (``arg0: <type>``), else from
    the type of its current value: bool, int, float, str, vector, matrix, numbers, vectors, enum,
    activation or other."""
    prop = getattr(type(obj), name, None)
    doc = (getattr(getattr(prop, "fset", None), "__doc__", None) or "").splitlines()[0:1]
    arg = re.search(r"arg[01]: (.*)\) -> None", doc[0]).group(1) if doc and "arg" in doc[0] else ""
    if type(current).__name__ == "Activation":
        return "activation"
    if hasattr(type(current), "__members__"):
        return "enum"
    if arg.startswith("collections.abc.Sequence["):
        return "vectors" if "ArrayLike" in arg else "numbers"
    if "ArrayLike" in arg:
        return "vector" if '"[m, 1]"' in arg else "matrix"
    for kind, types in (("bool", bool), ("int", int), ("float", float), ("str", str)):
        if isinstance(current, types):
            return kind
    if isinstance(current, np.ndarray):
        return "vector" if current.ndim == 1 else "matrix"
    return "other"


def _convert(kind, value, path, current):
    """``value`` in the form the setter of a ``kind`` field takes; ValueError naming ``path`` if
    its Python type cannot be one."""
    if kind == "bool":
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{path}: expected True or False, got {describe(value)}")
        return bool(value)
    if kind == "int":
        return as_int(value, path, "an integer")
    if kind == "float":
        return as_float(value, path)
    if kind == "str":
        if not isinstance(value, str):
            raise ValueError(f"{path}: expected a string, got {describe(value)}")
        return value
    if kind == "vector":
        return as_array(value, path, 1)
    if kind == "matrix":
        arr = as_array(value, path, what="a 2-D array of numbers")
        if arr.ndim not in (1, 2):
            raise ValueError(f"{path}: expected a 2-D array of numbers, got shape {arr.shape}")
        return arr
    if kind == "numbers":
        if np.ndim(value) == 0 and not isinstance(value, (str, bytes, dict)) and value is not None:
            return [as_float(value, path)]  # one number: a list of one
        return as_array(value, path, 1, what="a list of numbers").tolist()
    if kind == "vectors":
        return list(as_array(value, path, 2, what="a list of states (k x dim)"))
    if kind == "enum":
        if isinstance(value, type(current)):
            return value
        if not isinstance(value, str):
            names = ", ".join(type(current).__members__)
            raise ValueError(f"{path}: expected one of {names} (a string), got {describe(value)}")
        return value
    if kind == "activation":
        if type(value).__name__ == "Activation" or isinstance(value, str):
            return value
        if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str):
            if not is_number(value[1]):
                raise ValueError(f"{path}: expected a number as the threshold, got {describe(value[1])}")
            return (value[0], float(value[1]))
        raise ValueError(f"{path}: expected an activation name, a (name, threshold) pair or an Activation, "
                         f"got {describe(value)}")
    return value


def set_field(obj, name, value, path):
    """Set the field ``name`` of the options object ``obj`` to ``value``; a value the field's type
    cannot take raises ValueError naming ``path`` (the keyword as the caller wrote it)."""
    current = getattr(obj, name)
    if _is_options(current):
        if isinstance(value, dict):
            for key, sub in value.items():
                if key not in _fields(current):
                    raise _unknown(f"{path}.{key}", key, "", "known: " + ", ".join(_fields(current)),
                                   _fields(current))
                set_field(current, key, sub, f"{path}.{key}")
            return
        if not isinstance(value, type(current)):
            raise ValueError(f"{path}: expected a {type(current).__name__} or a dict of its fields, "
                             f"got {describe(value)}")
    kind = _kind(obj, name, current)
    value = _convert(kind, value, path, current)
    try:
        setattr(obj, name, value)
    except (TypeError, ValueError, RuntimeError) as e:
        if isinstance(value, str) and hasattr(type(current), "__members__"):
            try:
                type(current)(value)  # an enum spelled wrong: raises the library's own ValueError
            except TypeError:
                pass  # an enum without a name constructor: the message below names the field
        if isinstance(e, ValueError):  # the library's own message (InputError)
            message = str(e)
            raise ValueError(message if message.startswith(f"{name}:") else f"{path}: {message}") from None
        if kind == "int":  # an in-range Python int the C++ type cannot hold: unsigned or too wide
            problem = "expected a non-negative integer" if value < 0 else "expected a smaller integer"
            raise ValueError(f"{path}: {problem}, got {value}") from None
        raise ValueError(f"{path}: cannot take {describe(value)}") from None


def make_options(cls, options=None, *, keywords=(), **kwargs):
    """A ``cls`` options object: ``options`` (an instance, copied) or the defaults, with each keyword
    set on it. A keyword names a field of the options or, when unique, a field of one of its nested
    options (``q_tol`` for ``numeric.q_tol``); a dict sets fields of a nested options object. A
    keyword that names none raises UnknownOptionError with the closest of these names and of
    ``keywords`` (the calling function's own keyword arguments) as "did you mean"."""
    if options is not None and not isinstance(options, cls):
        hint = " (pass its fields as keywords: **options)" if isinstance(options, dict) else ""
        raise ValueError(f"options: expected a {cls.__name__}, got {describe(options)}{hint}")
    opts = cls() if options is None else cls.__copy__(options) if hasattr(cls, "__copy__") else options
    for name, value in kwargs.items():
        if name in _fields(opts):
            set_field(opts, name, value, name)
            continue
        owners = [sub for sub in _fields(opts) if _is_options(getattr(opts, sub)) and name in _fields(getattr(opts, sub))]
        if len(owners) != 1:
            if owners:
                raise ValueError(f"{name}: unknown option of {cls.__name__} (ambiguous between "
                                 f"{', '.join(owners)})")
            nested = [f for sub in _fields(opts) if _is_options(getattr(opts, sub))
                      for f in _fields(getattr(opts, sub))]
            raise _unknown(name, name, cls.__name__, "known: " + ", ".join(_fields(opts)),
                           _fields(opts) + nested + list(keywords))
        set_field(getattr(opts, owners[0]), name, value, f"{owners[0]}.{name}")
    return opts
