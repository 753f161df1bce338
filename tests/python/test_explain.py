"""Python objects that explain themselves (issue 32): stabilities that count and sort by their text,
one-line reprs of every options and result class, attributes under the JSON's keys, tables through
pandas, inputs as users hold them ((batch, T, H) states, tensors), "did you mean" for misspelt
keywords, and a warning where linearize is asked about a point that is not a fixed point."""
import collections
import itertools
import sys
import warnings

import numpy as np
import pytest

import rnndyn
from rnndyn import _core
from conftest import EXAMPLES


def diagonal_model():
    """x' = -x + 2 tanh(x) in each of 3 uncoupled units: 3 fixed points per unit (0 unstable), so 27
    points whose index is the number of units at 0: 8 stable nodes, 12 saddles of index 1, 6 of
    index 2 and one unstable node."""
    return rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": (2 * np.eye(3)).tolist()})


@pytest.fixture(scope="module")
def grid_points():
    starts = np.array(list(itertools.product([-1.0, 0.0, 1.0], repeat=3)))
    return rnndyn.find_fixed_points(diagonal_model(), method="numeric", starts=starts)


# ----- Stability -----

def test_counter_keeps_saddles_of_different_index_apart(grid_points):
    counts = collections.Counter(p.stability for p in grid_points.fixed_points)
    assert {str(k): v for k, v in counts.items()} == {"stable node": 8, "saddle (1 unstable)": 12,
                                                       "saddle (2 unstable)": 6, "unstable node (3 unstable)": 1}
    assert len(counts) == 4  # four distinct keys, not three identical-looking 'saddle'


def test_stability_equality_hash_order_and_text(grid_points):
    by_index = {p.stability.n_unstable: p.stability for p in grid_points.fixed_points}
    s1, s2 = by_index[1], by_index[2]
    assert s1 != s2 and hash(s1) == hash(str(s1)) and str(s1) == "saddle (1 unstable)"
    same = [p.stability for p in grid_points.fixed_points if p.stability.n_unstable == 1]
    assert all(s == s1 and hash(s) == hash(s1) for s in same)
    # A string matches the full text or the class alone.
    assert s2 == "saddle (2 unstable)" and s2 == "saddle" and s2 != "saddle (1 unstable)" and s2 != "stable node"
    assert by_index[0] == "stable node" and by_index[3] == "unstable node"
    # Sorted from most to least stable.
    ordered = sorted(p.stability for p in grid_points.fixed_points)
    assert [s.n_unstable for s in ordered] == sorted(s.n_unstable for s in ordered)
    assert str(ordered[0]) == "stable node" and str(ordered[-1]) == "unstable node (3 unstable)"
    assert s1 < s2 and max(by_index.values()) == by_index[3]
    with pytest.raises(TypeError):
        s1 < "saddle"  # noqa: B015 (no order between a class and a string)
    assert repr(s2) == "Stability(type='saddle', n_stable=1, n_unstable=2, n_marginal=0)"
    assert {p.n_unstable for p in grid_points.fixed_points} == {0, 1, 2, 3}  # on each point


# ----- reprs -----

def results():
    """One result of every analysis, small and fast."""
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    cyc = rnndyn.load_model(str(EXAMPLES / "ei_network_limit_cycle.json"))
    smooth = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": [[2.0, 0.5], [-0.5, 2.0]],
                                     "b": [0.1, -0.2]})
    low_rank = np.where(np.arange(12) % 3 == 0, -1.0, 1.0)
    plmap = rnndyn.model_from_dict({"model": "plrnn", "A": [[0.0, -1.0], [1.0, 0.0]], "W": [[0, 0.1], [0.1, 0]],
                                    "h": [0.2, -0.3]})
    linear = rnndyn.model_from_dict({"model": "linear", "M": [[0.5, -1.0], [1.0, 0.5]], "W_in": [[1.0], [0.0]],
                                     "W_out": [[0.0, 1.0]]})
    return {
        "exact": rnndyn.find_fixed_points(rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json"))),
        "numeric": rnndyn.find_fixed_points(smooth, method="numeric", starts=32, seed=3, box=(-3, 3)),
        "interval": rnndyn.find_fixed_points(rnndyn.model_from_dict(
            {"model": "rate", "activation": "tanh", "W": (2 * np.outer(low_rank, low_rank) / 12).tolist()}),
            method="interval"),
        "cycles": rnndyn.find_cycles(plmap, 4),
        "continuation": rnndyn.continuation(ei, "tau[1]", 20, 60),
        "cycle_continuation": rnndyn.continue_limit_cycles(ei, "tau[1]", 20, 60),
        "scan": rnndyn.scan_parameters(ei, "tau[1]", (20, 60), "tau[0]", (5, 15), steps=(3, 3)),
        "hopf_curve": rnndyn.continue_hopf_curve(ei, "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), (1.25, 30)),
        "perturb": rnndyn.perturb(rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json")), samples=40,
                                  scale=0.05, seed=4, keep=2),
        "linearize": rnndyn.linearize(ei, [80 / 3, 50 / 3]),
        "linear": rnndyn.analyze_linear(rnndyn.load_model(str(EXAMPLES / "linear_integrator.json"))),
        "simulate": rnndyn.simulate(ei, t_end=50, dt=1),
        "response": rnndyn.response(linear, t_end=40, dt=0.05, amplitude=1, n_omega=5, omega_max=2),
        "lyapunov": rnndyn.lyapunov(cyc, t_total=100, warmup=0, interval=10),
        "limit_cycle": rnndyn.limit_cycle(cyc, transient=500),
        "mean_field": rnndyn.mean_field(g=0.9, targets=[0.5, 1.0], n_omega=5),
        "reservoir": rnndyn.reservoir(N=60, g=0.5, targets=[1.0], n_omega=4),
        "basins": rnndyn.basins(rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded_three_points.json")),
                                starts=30, box=(0, 2), map_resolution=3),
    }


@pytest.fixture(scope="module")
def every_result():
    return results()


def nested_objects(obj, seen, depth=0):
    """obj and the bound objects reachable from it (one of each class)."""
    if type(obj).__name__ in seen or depth > 4:
        return
    seen[type(obj).__name__] = obj
    for name in [n for n, v in vars(type(obj)).items() if isinstance(v, property)
                 and not (v.__doc__ or "").startswith("Deprecated")]:
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        for v in values[:1]:
            if type(v).__module__.startswith("rnndyn") and not hasattr(type(v), "__members__"):
                nested_objects(v, seen, depth + 1)


def test_every_class_has_a_short_one_line_repr(every_result):
    seen = {}
    for result in every_result.values():
        nested_objects(result, seen)
    for name in dir(_core):  # options classes: their defaults
        cls = getattr(_core, name)
        if isinstance(cls, type) and name.endswith("Options"):
            nested_objects(cls(), seen)
    assert len(seen) > 50
    for name, obj in seen.items():
        text = repr(obj)
        assert "object at 0x" not in text and "\n" not in text and len(text) <= 220, (name, text)
        assert text.startswith(name + "(") or name in ("Model", "Activation"), (name, text)


def test_reprs_say_what_was_found(every_result, grid_points):
    assert repr(grid_points).startswith("FixedPointResult(27 fixed points: 8 stable, 18 saddles, 1 unstable; "
                                        "method='numeric', status='sampled', ")
    point = next(p for p in grid_points.fixed_points if p.n_unstable == 2)
    assert repr(point).startswith("NumericFixedPoint(x=[") and "stability='saddle (2 unstable)'" in repr(point)
    assert "found_by='start'" in repr(point) and ", q=" in repr(point)
    assert repr(every_result["exact"]).startswith("FixedPointResult(0 fixed points; 1 continuum; method='arrangement'")
    assert repr(every_result["continuation"]).startswith("ContinuationResult(tau[1] from 20 to 60: 1 branch, ")
    assert "hopf at" in repr(every_result["continuation"])
    shares = every_result["perturb"]
    assert repr(shares).startswith("PerturbResult(40 samples: ") and "%" in repr(shares)
    # Long vectors abbreviated, with their length.
    assert "(51)" in repr(every_result["simulate"]) and "array(51x2)" in repr(every_result["simulate"])


def test_options_print_their_non_default_fields():
    assert repr(rnndyn.FixedPointOptions()) == "FixedPointOptions()"
    opts = rnndyn._options.make_options(rnndyn.FixedPointOptions, method="numeric", q_tol=1e-20,
                                        starts={"seed": 7})
    assert repr(opts) == "FixedPointOptions(method='numeric', numeric=NumericOptions(q_tol=1e-20), " \
                         "starts=StartOptions(seed=7))"


# ----- attributes named as the JSON's keys -----

RUN_INFO = {"model", "time", "elapsed_seconds"}
# JSON keys that are not attributes of the Python object, and why. Everything else must match.
EXCEPTIONS = {
    # add_run_info writes RunInfo flat into every document; Python keeps it as result.info (a
    # result's .model would read as the Model object).
    "*": RUN_INFO,
    # The interval's undecided boxes are (lo, hi) tuples in Python (the JSON's {lo, hi} objects).
    "FixedPointResult": {"unresolved_boxes"},
    # The start state is x0 in Python: 'start' was the range's start (now from_) and stays its
    # deprecated name, so it cannot take the JSON's meaning yet.
    "LimitCycleContinuationOptions": {"start"},
}


def python_name(key):
    """The attribute of a JSON key: Python keywords take a trailing underscore."""
    return key + "_" if key in ("from", "lambda") else key


def missing_attributes(obj, doc, path, out):
    skip = EXCEPTIONS["*"] | EXCEPTIONS.get(type(obj).__name__, set())
    for key, value in doc.items():
        if key in skip:
            continue
        name = python_name(key)
        if not hasattr(obj, name):
            out.append(f"{path}.{key} ({type(obj).__name__})")
            continue
        attr = getattr(obj, name)
        if isinstance(value, dict) and not isinstance(attr, (dict, str)):
            missing_attributes(attr, value, f"{path}.{key}", out)
        elif isinstance(value, list) and isinstance(attr, list):
            for i, (a, v) in enumerate(zip(attr, value)):
                if isinstance(v, dict):
                    missing_attributes(a, v, f"{path}.{key}[{i}]", out)
        elif isinstance(value, dict) and isinstance(attr, dict):
            for k, v in value.items():
                if isinstance(v, dict) and not isinstance(attr.get(k), dict):
                    missing_attributes(attr[k], v, f"{path}.{key}[{k}]", out)


def test_every_json_key_is_an_attribute(every_result):
    missing = []
    for name, result in every_result.items():
        missing_attributes(result, result.to_dict(), name, missing)
    assert missing == []


def test_json_named_attributes_read_the_same_values(every_result):
    cont = every_result["continuation"]
    assert cont.from_ == cont.to_dict()["from"] == 20 and cont.to == 60
    mf = every_result["mean_field"]
    np.testing.assert_array_equal(mf.omega, mf.to_dict()["omega"])
    assert [lv.nyquist_stable for lv in mf.levels] == [lv["nyquist_stable"] for lv in mf.to_dict()["levels"]]
    num = every_result["numeric"]
    assert [p.n_unstable for p in num.fixed_points] == [p["n_unstable"] for p in num.to_dict()["fixed_points"]]
    assert num.search.good_turing == num.to_dict()["search"]["good_turing"]  # the numeric part, on the result
    exact = every_result["exact"]
    assert exact.hyperplanes == exact.to_dict()["hyperplanes"] == exact.exact.hyperplanes
    scan = every_result["scan"]
    np.testing.assert_array_equal(scan.n_unstable, scan.to_dict()["n_unstable"])
    with pytest.raises(AttributeError):
        exact.no_such_field


def test_continuation_takes_from_and_to_and_warns_on_start_stop():
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    new = rnndyn.continuation(model, "tau[1]", from_=20, to=30)
    with pytest.warns(DeprecationWarning) as record:
        old = rnndyn.continuation(model, "tau[1]", start=20, stop=30)
    assert [str(w.message).split(" (")[0] for w in record] == ["start= is deprecated: use from_=",
                                                               "stop= is deprecated: use to="]
    assert old.to_dict()["branches"] == new.to_dict()["branches"]
    opts = rnndyn.ContinuationOptions()
    opts.from_ = 1.5
    with pytest.warns(DeprecationWarning, match="start is deprecated"):
        assert opts.start == 1.5
    with pytest.warns(DeprecationWarning, match="stop is deprecated"):
        opts.stop = 4.0
    assert opts.to == 4.0 and "from_=1.5" in repr(opts)
    with pytest.raises(TypeError, match="to: missing"):
        rnndyn.continuation(model, "tau[1]", 20)


# ----- tables -----

def test_to_dataframe(every_result, grid_points):
    pd = pytest.importorskip("pandas")
    df = grid_points.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 27
    assert df["n_unstable"].value_counts().to_dict() == {1: 12, 0: 8, 2: 6, 3: 1}
    assert (df["stability"] == "saddle (2 unstable)").sum() == 6 and {"x0", "x1", "x2", "q"} <= set(df.columns)
    np.testing.assert_array_equal(df[["x0", "x1", "x2"]].to_numpy(), [p.x for p in grid_points.fixed_points])
    cycles = every_result["cycles"].to_dataframe()
    assert len(cycles) == 4 * len(every_result["cycles"].cycles) and set(cycles["step"]) == {0, 1, 2, 3}
    cont = every_result["continuation"]
    branches = cont.to_dataframe()
    assert len(branches) == sum(len(b.points) for b in cont.branches)
    np.testing.assert_array_equal(branches["p"], np.concatenate([b.p for b in cont.branches]))
    bif = cont.to_dataframe("bifurcations")
    assert list(bif["type"]) == [b.type for b in cont.bifurcations] and "parameter" in bif.columns
    with pytest.raises(ValueError, match="table"):
        cont.to_dataframe("cells")
    assert len(every_result["cycle_continuation"].to_dataframe()) > 0
    shares = every_result["perturb"].to_dataframe()
    assert shares["count"].sum() == 40 and abs(shares["share"].sum() - 1) < 1e-12


def test_to_dataframe_without_pandas_says_so(grid_points, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match="pip install pandas"):
        grid_points.to_dataframe()


# ----- inputs -----

def test_data_takes_batch_time_hidden_arrays_and_tensors():
    model = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": [[2.0, 0.5], [-0.5, 2.0]],
                                    "b": [0.1, -0.2]})
    states = np.random.default_rng(0).normal(size=(4, 10, 2))
    flat = rnndyn.find_fixed_points(model, method="numeric", data=states.reshape(-1, 2), starts=16, seed=1)
    batched = rnndyn.find_fixed_points(model, method="numeric", data=states, starts=16, seed=1)
    assert batched.starts.n_data == 40 and batched.starts.source == "data"
    assert batched.to_dict()["fixed_points"] == flat.to_dict()["fixed_points"]
    torch = pytest.importorskip("torch")
    tensor = torch.tensor(states, requires_grad=True)
    again = rnndyn.find_fixed_points(model, method="numeric", data=tensor, starts=16, seed=1)
    assert again.to_dict()["fixed_points"] == flat.to_dict()["fixed_points"]
    with pytest.raises(ValueError, match="data"):
        rnndyn.find_fixed_points(model, method="numeric", data=np.zeros(()))


def test_misspelt_keywords_get_did_you_mean():
    model = diagonal_model()
    with pytest.raises(TypeError, match="nosie: unknown option of FixedPointOptions; did you mean 'noise'"):
        rnndyn.find_fixed_points(model, nosie=1)
    with pytest.raises(TypeError, match="did you mean 'data'"):  # the function's own keyword
        rnndyn.find_fixed_points(model, dat=np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"numeric\.qtol: unknown option; did you mean 'q_tol'"):
        rnndyn.find_fixed_points(model, numeric={"qtol": 1})  # still a ValueError too
    with pytest.raises(TypeError, match="did you mean 't_end'"):
        rnndyn.simulate(model, tend=5)
    with pytest.raises(TypeError, match=r"frobnicate: unknown option of FixedPointOptions \(known"):
        rnndyn.find_fixed_points(model, frobnicate=1)  # nothing close: no suggestion


def test_linearize_warns_away_from_a_fixed_point():
    model = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        at_fixed_point = rnndyn.linearize(model, [80 / 3, 50 / 3])
    assert at_fixed_point.residual_norm < 1e-12
    with pytest.warns(RuntimeWarning, match=r"x is not a fixed point \(\|F\(x\)\| = "):
        away = rnndyn.linearize(model, [10.0, 10.0])
    assert away.residual_norm > 1e-3
