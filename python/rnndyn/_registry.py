"""The Python function of every analysis whose binding is plain, made from its row of the registry
(``rnndyn.analyses()``, include/rnndyn/analyses.hpp): the front door ``_core.<front_door>(model,
options, progress)`` with the options ``_core.<options>`` built from keywords (``make_options``:
"did you mean" for a misspelt one), and a docstring from the row's summary and the options'
own field docs (the C++ descriptions, so it cannot drift). A new analysis of that shape needs no
wrapper and no export of its own; one that wants more (input arrays, warnings, unpacking) defines
its function by hand in the package and its row is left alone."""
from . import _core
from ._options import make_options
from ._progress import progress_callable
from ._validate import check_model

__all__ = ["plain_analyses"]


def _fields_doc(options_cls):
    # The bound properties in the order of the description (pybind11 keeps definition order).
    lines = []
    for name, prop in vars(options_cls).items():
        if isinstance(prop, property) and not name.startswith("_"):
            lines.append(f"    {name}: {(prop.__doc__ or '').strip()}")
    return "\n".join(lines)


def _make(row, front_door, options_cls):
    def analysis(model, options=None, *, progress=None, **kwargs):
        check_model(model)
        opts = make_options(options_cls, options, keywords=("options", "progress"), **kwargs)
        return front_door(model, opts, progress_callable(progress))

    analysis.__name__ = analysis.__qualname__ = row["python"]
    analysis.__module__ = "rnndyn"
    analysis.__doc__ = (
        f"{row['summary']} (``rnndyn {row['cli']}``).\n\n"
        f"``options``: a ``{options_cls.__name__}`` (copied), or its fields as keywords; every default is the C++ "
        f"one:\n{_fields_doc(options_cls)}\n\n"
        "``progress``: True for a tqdm bar, or a callable taking an rnndyn.Progress (return False to stop); "
        f"Ctrl-C raises KeyboardInterrupt. Returns a ``{row['result']}``, whose ``to_dict()`` is the CLI's JSON.")
    return analysis


def plain_analyses(defined):
    """{name: function} for every row whose Python name is not in ``defined`` (the package's own
    functions). A row it cannot make (no bound front door or options class) raises ImportError: the
    registry names a function the package must then define by hand."""
    made = {}
    for row in _core.analyses():
        if row["python"] in defined:
            continue
        front_door = getattr(_core, row["front_door"], None)
        options_cls = getattr(_core, row["options"], None)
        if front_door is None or options_cls is None:
            raise ImportError(f"rnndyn: analysis '{row['name']}' has no Python function: define "
                              f"{row['python']} or bind _core.{row['front_door']} and _core.{row['options']}")
        made[row["python"]] = _make(row, front_door, options_cls)
    return made
