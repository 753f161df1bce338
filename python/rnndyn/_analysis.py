"""Which analysis wrote a result: the ``"analysis"`` key every result carries (a name of the registry,
``rnndyn.analyses()``), which the report and the plots dispatch on.

LEGACY: JSON files written before results carried the key (rnndyn before issue 32) are recognised by
the keys they happen to have, in the order the report used to test them. Nothing else guesses."""

__all__ = ["analysis_of", "is_analysis"]

# LEGACY ONLY: (analysis, keys all present) in the order the report tested them. A basins result
# also holds fixed_points, a cycle continuation also holds branches: the more specific comes first.
_LEGACY_KEYS = (("basins", ("attractors", "labels")), ("fixed-points", ("fixed_points",)),
                ("linearize", ("eigenvalues",)), ("linear", ("modes",)),
                ("continue-cycles", ("branches", "hopf_points")), ("continue", ("branches",)),
                ("cycles", ("cycles",)), ("perturb", ("types",)), ("perturb", ("shares",)), ("scan", ("n_stable",)),
                ("hopf-curve", ("end_forward",)), ("response", ("G", "omega")),
                ("limit-cycle", ("floquet_multipliers",)), ("lyapunov", ("exponents",)), ("reservoir", ("finite",)),
                ("mft", ("levels",)), ("simulate", ("t", "x")))
# A legacy curve says which it is in its "kind".
_LEGACY_CURVES = {"hopf": "hopf-curve", "fold": "fold-curve", "border_collision": "border-curve"}


def _legacy_analysis(data):
    """LEGACY: the analysis of a result written without the "analysis" key, from its keys; None if
    none matches (a dict assembled by hand from other data)."""
    for name, keys in _LEGACY_KEYS:
        if all(k in data for k in keys):
            return _LEGACY_CURVES.get(data.get("kind"), name) if name == "hopf-curve" else name
    return None


def analysis_of(data):
    """The analysis a result's JSON document (a dict) comes from: its "analysis"; for files written
    before results carried it, the legacy guess from its keys (None if there is none)."""
    if not isinstance(data, dict):
        return None
    name = data.get("analysis")
    return name if isinstance(name, str) else _legacy_analysis(data)


def is_analysis(data, names, legacy):
    """Whether ``data`` is a result of one of the analyses ``names``: by its "analysis" where it has
    one, else (LEGACY, files written before) by the bool ``legacy``, the caller's old test of keys."""
    name = data.get("analysis") if isinstance(data, dict) else None
    return name in names if isinstance(name, str) else bool(legacy)
