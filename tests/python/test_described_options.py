"""The options classes whose properties come from a C++ description (issue 32): every property has
the description's doc line, and a plain value's docstring ends with the C++ default of a
default-constructed struct, which must be what a fresh Python object holds."""
import json
import re

import pytest

import rnndyn
from rnndyn import _core

DESCRIBED = ["LyapunovOptions", "LimitCycleOptions", "PerturbOptions", "NumericOptions", "ContinuationOptions",
             "LimitCycleContinuationOptions", "HopfCurveOptions", "ParameterScanOptions", "SimulateOptions",
             "ResponseOptions", "LinearNetworkOptions", "ReservoirExperimentOptions", "NyquistOptions",
             "StabilityOptions", "LinearizeOptions", "MeanFieldOptions", "BasinsOptions", "StartOptions",
             "ExactOptions", "IntervalOptions", "FixedPointOptions", "CycleOptions"]


def properties(cls):
    return {n: v for n, v in vars(cls).items()
            if isinstance(v, property) and not (v.__doc__ or "").startswith("Deprecated")}


@pytest.mark.parametrize("name", DESCRIBED)
def test_every_property_documents_the_cxx_default(name):
    cls = getattr(_core, name)
    obj = cls()
    props = properties(cls)
    assert props, name
    checked = 0
    for attr, prop in props.items():
        assert prop.__doc__, (name, attr)
        value = getattr(obj, attr)
        m = re.search(r"\(default: (.*)\)$", prop.__doc__)
        if isinstance(value, bool):
            assert m and m.group(1) == json.dumps(value), (name, attr, prop.__doc__)
        elif isinstance(value, (int, float)) and m and m.group(1) != "null":
            assert float(m.group(1)) == value, (name, attr, prop.__doc__)
            checked += 1
        elif isinstance(value, str):
            assert m and m.group(1) == value, (name, attr, prop.__doc__)
    assert checked >= 1, name


def test_keyword_keys_take_an_underscore_and_the_cycle_start_stays_x0():
    for cls in (rnndyn.ContinuationOptions, rnndyn.LimitCycleContinuationOptions):
        assert "from_" in properties(cls) and "from" not in vars(cls)
    opts = rnndyn.LimitCycleContinuationOptions()
    opts.x0 = [1.0, 2.0]
    assert list(opts.x0) == [1.0, 2.0]
    with pytest.warns(DeprecationWarning, match="start is deprecated"):
        opts.start = 3.0  # the range's start, from_ (its old name)
    assert opts.from_ == 3.0


def test_enum_fields_take_their_text():
    opts = rnndyn.SimulateOptions()
    opts.method = "closed-form"
    assert str(opts.method) == "closed-form"
    with pytest.raises(ValueError, match="method"):
        opts.method = "euler"
    response = rnndyn.ResponseOptions()
    response.method = "noise"
    assert str(response.method) == "noise"
    fixed = rnndyn.FixedPointOptions()
    fixed.method = "level_set"
    assert fixed.method == _core.FixedPointMethod.level_set and str(fixed.method) == "level_set"
    with pytest.raises(ValueError, match="method"):
        fixed.method = "newton"
    cycles = _core.CycleOptions()
    cycles.method = "heuristic"
    assert str(cycles.method) == "heuristic"


def test_options_of_mft_basins_and_linearize_read_as_their_json():
    # Attribute names = JSON keys, for the options these commands print under "options".
    mf = rnndyn.MeanFieldOptions()
    mf.feedback = "gaussian"
    mf.targets = [1.0, -1.0]
    assert str(mf.feedback) == "gaussian" and list(mf.targets) == [1.0, -1.0]
    with pytest.raises(ValueError, match="feedback"):
        mf.feedback = "cauchy"
    basins = _core.BasinsOptions()
    assert basins.starts.count == 1000 and basins.abs_tol == 1e-8 and basins.extrapolate is True
    lin = _core.LinearizeOptions()
    lin.stability.marginal_tol = 1e-6
    assert lin.stability.marginal_tol == 1e-6 and lin.max_kink_units == 10
