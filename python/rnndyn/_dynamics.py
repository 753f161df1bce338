"""The seed-003 reservoir analyses (mean-field theory and finite networks). Lyapunov spectra and
limit cycles have no wrapper of their own: _registry.py makes them from their registry rows.

Each function builds the bound C++ options object from ``options`` (an instance, copied) and the
keyword arguments (``make_options``: a keyword names an options field, or a field of a nested
options object such as ``g`` for ``mean_field.g``), then calls the library's front door with the
GIL released. Every default lives in C++: ``rnndyn.MeanFieldOptions()`` shows them. The results
are the bound C++ result classes (numpy arrays, complex arrays for eigenvalues, multipliers and
gains); ``to_dict()`` is exactly the JSON the CLI prints.
"""
from . import _core
from ._options import make_options
from ._validate import as_path

__all__ = ["mean_field", "reservoir", "reservoir_config"]


def mean_field(options=None, **kwargs):
    """Mean-field theory of a reservoir trained to the output levels ``targets`` (seed 003;
    ``rnndyn mft``): sigma2, beta0, beta1, rho, the M closed-loop poles, tau_net, lambda_out and
    tau_out (M = 1), G_OL on the frequencies and the Nyquist verdict of every level. Fields of
    ``MeanFieldOptions``: g, activation (a name, a (name, threshold) pair or an Activation),
    targets, feedback, feedback_scale, hermite_order, feedback_order, tol, max_iter, omegas,
    n_omega, omega_max, nyquist; ``threshold`` sets the activation's (``rnndyn mft --threshold``).
    Returns a ``MeanFieldResult``."""
    return _core.solve_mean_field(make_options(_core.MeanFieldOptions, options, **_threshold_last(kwargs)))


def _threshold_last(kwargs):
    """``threshold`` applies to the activation: set after ``activation``, whatever the keyword order."""
    if "threshold" in kwargs:
        kwargs = {**{k: v for k, v in kwargs.items() if k != "threshold"}, "threshold": kwargs["threshold"]}
    return kwargs


def reservoir(options=None, **kwargs):
    """Draw a random reservoir of ``N`` neurons, train it to the targets and compare its spectrum,
    outliers and G_OL with the mean-field theory (``rnndyn reservoir``). Fields of
    ``ReservoirExperimentOptions``: mean_field (its fields, e.g. g, targets, activation, may be
    given directly), N, seed, ridge, dense_spectrum, spectrum, transient, kick. Returns a
    ``ReservoirExperiment``."""
    return _core.analyze_reservoir(make_options(_core.ReservoirExperimentOptions, options, **_threshold_last(kwargs)))


def reservoir_config(path):
    """``ReservoirExperimentOptions`` from a config file (examples/reservoir_*.json), as ``rnndyn
    mft --config`` and ``rnndyn reservoir --config`` read it; ``.mean_field`` holds the theory's
    part."""
    return _core.read_reservoir_config(as_path(path, "config"))
