"""Attributes under the keys of the JSON: where ``to_dict()`` (the CLI's JSON) names a field that the
bound class spells differently or keeps in a nested object, the class also answers to the JSON key.
Each is a view of what the bound class already holds; nothing is computed here. Read-only, except
MeanFieldOptions.threshold, which sets the activation's threshold (the CLI's --threshold).

A JSON key that is a Python keyword takes a trailing underscore (``from`` -> ``from_``, ``lambda``
-> ``lambda_``). tests/python/test_explain.py walks every result's ``to_dict()`` against its
attributes and lists the few keys that stay different, with the reason."""

from . import _core

__all__ = []


def _add(cls, name, getter, doc, setter=None):
    if name not in vars(cls):  # a binding that already has it wins
        setattr(cls, name, property(getter, setter, doc=doc))


def _set_threshold(self, value):
    # The options keyword threshold=... (rnndyn mft --threshold): the activation's, kept by name.
    self.activation = (self.activation.name, float(value))


def _install():
    # n_unstable on every point (the JSON has it beside the stability class).
    for cls in (_core.ExactFixedPoint, _core.NumericFixedPoint, _core.BranchPoint, _core.PerturbedFixedPoint,
                _core.Cycle, _core.Linearization, _core.OneSidedLinearization):
        _add(cls, "n_unstable", lambda self: None if self.stability is None else self.stability.n_unstable,
             "Unstable directions (stability.n_unstable; the index of a saddle)")
    _add(_core.MeanFieldOptions, "threshold", lambda self: self.activation.threshold,
         "Threshold of the activation (activation.threshold); setting it keeps the activation's name",
         _set_threshold)


_install()
