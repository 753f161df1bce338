"""Options objects from keyword arguments: the bound C++ options classes carry every default, so
the Python functions only copy what the caller gave onto a fresh options object."""

__all__ = ["make_options"]


def _fields(obj):
    return [name for name in dir(obj) if not name.startswith("_") and not callable(getattr(obj, name))]


def _is_options(value):
    return type(value).__module__.startswith("rnndyn") and type(value).__name__.endswith("Options")


def _set(obj, name, value, path):
    current = getattr(obj, name)
    if _is_options(current) and isinstance(value, dict):
        for key, sub in value.items():
            if key not in _fields(current):
                raise ValueError(f"{path}.{key}: unknown option (known: {', '.join(_fields(current))})")
            _set(current, key, sub, f"{path}.{key}")
        return
    try:
        setattr(obj, name, value)
    except (TypeError, ValueError) as e:
        if isinstance(value, str) and hasattr(type(current), "__members__"):
            try:
                type(current)(value)  # an enum spelled wrong: raises the library's own ValueError
            except TypeError:
                pass  # an enum without a name constructor: the message below names the field
        message = str(e)
        raise ValueError(message if message.startswith(f"{name}:") else f"{path}: {message}") from None


def make_options(cls, options=None, **kwargs):
    """A ``cls`` options object: ``options`` (an instance, copied) or the defaults, with each keyword
    set on it. A keyword names a field of the options or, when unique, a field of one of its nested
    options (``q_tol`` for ``numeric.q_tol``); a dict sets fields of a nested options object."""
    opts = cls() if options is None else cls.__copy__(options) if hasattr(cls, "__copy__") else options
    for name, value in kwargs.items():
        if name in _fields(opts):
            _set(opts, name, value, name)
            continue
        owners = [sub for sub in _fields(opts) if _is_options(getattr(opts, sub)) and name in _fields(getattr(opts, sub))]
        if len(owners) != 1:
            where = f"ambiguous between {', '.join(owners)}" if owners else f"known: {', '.join(_fields(opts))}"
            raise ValueError(f"{name}: unknown option of {cls.__name__} ({where})")
        _set(getattr(opts, owners[0]), name, value, f"{owners[0]}.{name}")
    return opts
