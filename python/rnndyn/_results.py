"""Result objects: the JSON results of the C++ analyses with attribute access and numpy arrays."""
import json

import numpy as np

__all__ = ["Result"]

# Keys whose values are lists of [re, im] pairs (or matrices of them).
_COMPLEX_KEYS = {"eigenvalues", "eigenvectors", "lambda", "eigenvector", "h_projection", "amplification", "rate",
                 "poles", "multipliers", "G_OL", "floquet_multipliers"}


def _is_number_array(value):
    if not isinstance(value, list) or not value:
        return False
    flat = value
    while flat and isinstance(flat[0], list):
        flat = [v for row in flat for v in row]
    return all(v is None or isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat)


def _convert(key, value):
    if isinstance(value, dict):
        return Result(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [Result(v) for v in value]
    if _is_number_array(value):
        arr = np.array([[np.nan if v is None else v for v in row] if isinstance(row, list) else
                        (np.nan if row is None else row) for row in value], dtype=float) \
            if not isinstance(value[0], list) or not isinstance(value[0][0], list) else \
            np.array(value, dtype=float)
        if key in _COMPLEX_KEYS and arr.ndim >= 1 and arr.shape[-1] == 2:
            return arr[..., 0] + 1j * arr[..., 1]
        return arr
    return value


class Result:
    """An analysis result. Fields are attributes (lists of numbers become numpy arrays,
    ``[re, im]`` pairs of eigenvalues become complex arrays); ``to_dict()`` gives the plain JSON
    dictionary, exactly as the CLI would print it."""

    def __init__(self, data):
        if isinstance(data, str):
            data = json.loads(data)
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name):
        data = object.__getattribute__(self, "_data")
        if name in data:
            return _convert(name, data[name])
        raise AttributeError(f"result has no field '{name}' (fields: {', '.join(sorted(data))})")

    def __getitem__(self, name):
        return self.__getattr__(name)

    def __contains__(self, name):
        return name in self._data

    def keys(self):
        return self._data.keys()

    def to_dict(self):
        return self._data

    def __repr__(self):
        return f"Result({', '.join(sorted(self._data))})"
