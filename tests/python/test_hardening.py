"""Input hardening of the Python layer (issue 15): plausible mistakes raise ValueError whose one-line
message names the field or keyword and says what was expected (never a TypeError, KeyError or raw
numpy/pybind11/JSON text), and the model-file cases of the replay corpus (tests/bad_inputs) raise
the CLI's message. None of these tests needs the CLI binary."""
import json
import math
import pathlib
import sys

import numpy as np
import pytest

import rnndyn
import rnndyn.plot as rplot
import rnndyn.report as rreport
from conftest import EXAMPLES, SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "tests" / "bad_inputs"))
from corpus import check_message, materialise, params  # noqa: E402

RATE = {"model": "rate", "activation": "relu", "W": [[0, -1], [-1, 0]], "b": [1, 1]}
FLOW = {"model": "rate", "activation": "tanh", "W": [[0.5, 0.1], [0.1, 0.5]], "tau": [1, 2]}
PLMAP = {"model": "plrnn", "A": [0.5, 0.5], "W": [[0, 0.5], [0.5, 0]], "h": [0.1, 0.1]}
RAW = ("incompatible function arguments", "json.exception", "could not convert", "invalid literal",
       "inhomogeneous", "Traceback", "Unable to cast")


def raises(match, fn, *args, **kwargs):
    """fn(...) raises ValueError with a one-line message matching ``match`` and no raw text; the message."""
    with pytest.raises(ValueError, match=match) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    for raw in RAW:
        assert raw not in message, message
    return message


@pytest.fixture(scope="module")
def rate():
    return rnndyn.model_from_dict(RATE)


@pytest.fixture(scope="module")
def flow():
    return rnndyn.model_from_dict(FLOW)


# ---- the corpus: model files that the loader must reject with the CLI's message ----------------------

@pytest.mark.parametrize("case", params(lambda c: c["loader"]))
def test_corpus_model_file_raises_the_cli_message(case, tmp_path):
    model_path = materialise(case, tmp_path)
    message = raises(r"^", rnndyn.load_model, model_path)  # a pathlib.Path, as users pass it
    check_message(case, message, tmp_path, model_path)
    assert raises(r"^", rnndyn.load_model, str(model_path)) == message
    if isinstance(case["model"], dict):  # the same keys as a dictionary: the same message
        assert raises(r"^", rnndyn.model_from_dict, case["model"], base_dir=tmp_path) == message


def test_corpus_is_large_and_covers_every_model_type():
    from corpus import CASES
    assert len(CASES) >= 100
    assert len({c["id"] for c in CASES}) == len(CASES)
    kinds = {c["model"].get("model") for c in CASES if isinstance(c["model"], dict) and c["loader"]}
    assert {"rate", "linear", "plrnn", "shplrnn", "rnn", "gru", "lstm", "reservoir"} <= kinds


# ---- item 1: NaN and inf in model_from_dict ----------------------------------------------------------

@pytest.mark.parametrize("key, value, message", [
    ("W", np.array([[0.0, np.nan], [1.0, 0.0]]), "W: entry [0,1] is not finite (nan)"),
    ("W", [[0, 1], [float("inf"), 0]], "W: entry [1,0] is not finite (inf)"),
    ("b", [1.0, -math.inf], "b: entry [1] is not finite (-inf)"),
    ("b", np.array([np.nan, 1.0], dtype=np.float32), "b: entry [0] is not finite (nan)"),
    ("g", float("nan"), "g: must be finite, got nan"),
    ("g", np.float64(np.inf), "g: must be finite, got inf"),
    ("tau", 1e400, "tau: must be finite, got inf"),
])
def test_model_from_dict_names_the_first_non_finite_entry(key, value, message):
    assert raises(r"^" + key + ": ", rnndyn.model_from_dict, dict(RATE, **{key: value})) == message


def test_non_finite_entry_has_the_message_of_the_same_npy_file(tmp_path):
    W = np.array([[0.0, 1.0], [np.nan, 0.0]])
    np.save(tmp_path / "W.npy", W)
    (tmp_path / "m.json").write_text(json.dumps(dict(RATE, W="W.npy")))
    from_file = raises(r"^W: ", rnndyn.load_model, tmp_path / "m.json")
    assert raises(r"^W: ", rnndyn.model_from_dict, dict(RATE, W=W)) == from_file


def test_model_from_dict_names_nested_keys_and_values_json_cannot_hold():
    assert raises(r"^extra\.a: ", rnndyn.model_from_dict, dict(RATE, extra={"a": [1, np.nan]})) == \
        "extra.a: entry [1] is not finite (nan)"
    raises(r"^W: expected real numbers, got complex", rnndyn.model_from_dict, dict(RATE, W=np.eye(2) * 1j))
    raises(r"^W: expected a number, a list", rnndyn.model_from_dict, dict(RATE, W={1, 2}))
    raises(r"^g: .* out of the range of a double", rnndyn.model_from_dict, dict(RATE, g=10**400))
    raises(r"^model file: keys must be strings", rnndyn.model_from_dict, {**RATE, 1: 2})
    raises(r"^spec: expected a dict.*load_model", rnndyn.model_from_dict, str(EXAMPLES / "ei_network.json"))
    raises(r"^spec: expected a dict", rnndyn.model_from_dict, [RATE])


def test_model_from_dict_keeps_library_messages_for_numpy_values():
    raises(r"^W: expected a square matrix, got 2x3", rnndyn.model_from_dict, dict(RATE, W=np.zeros((2, 3))))
    raises(r"^b: expected a vector of length 2, got length 3", rnndyn.model_from_dict, dict(RATE, b=np.ones(3)))
    assert rnndyn.model_from_dict(dict(RATE, W=np.array([[0, -1], [-1, 0]], dtype=np.int32), g=np.float32(1))).dim == 2


# ---- item 2: torch tensors as values -------------------------------------------------------------------

def test_model_from_dict_takes_tensors_also_requiring_grad_and_0d_scalars():
    torch = pytest.importorskip("torch")
    W = torch.tensor([[0.0, -1.0], [-1.0, 0.0]], requires_grad=True)
    model = rnndyn.model_from_dict(dict(RATE, W=W, b=torch.ones(2, dtype=torch.float64), g=torch.tensor(1.5)))
    assert model.parameter("g") == pytest.approx(1.5)
    ref = rnndyn.model_from_dict(dict(RATE, g=1.5))
    x = np.array([0.3, 0.2])
    assert np.allclose(model.fixed_point_residual(x), ref.fixed_point_residual(x))
    assert raises(r"^W: ", rnndyn.model_from_dict, dict(RATE, W=torch.tensor([[0.0, float("nan")], [0, 0]]))) == \
        "W: entry [0,1] is not finite (nan)"


def test_tensors_as_states_and_counts(rate, flow):
    torch = pytest.importorskip("torch")
    traj = rnndyn.simulate(flow, x0=torch.tensor([0.1, 0.2]), t_end=1.0)
    assert traj.x.shape[1] == 2
    lin = rnndyn.linearize(flow, torch.zeros(2, requires_grad=True))
    assert len(lin.eigenvalues) == 2


# ---- item 3: paths may be os.PathLike ------------------------------------------------------------------

def test_paths_may_be_pathlike(tmp_path, rate):
    assert rnndyn.load_model(EXAMPLES / "ei_network.json").dim == 2
    spec = {"model": "rate", "activation": "relu", "U": "low_rank_relu_rate_U.npy", "V": "low_rank_relu_rate_V.npy"}
    assert rnndyn.model_from_dict(spec, base_dir=EXAMPLES).dim == 400
    assert rnndyn.reservoir_config(EXAMPLES / "reservoir_fig1a.json").N == 3000
    result = rnndyn.find_fixed_points(rate)
    (tmp_path / "r.json").write_text(json.dumps(result.to_dict()))
    assert "<html>" in rreport.render_html(tmp_path / "r.json")
    page = rreport.report(result, tmp_path / "page.html")
    assert pathlib.Path(page).exists()


def test_missing_or_wrong_paths(tmp_path):
    missing = tmp_path / "nonexistent.json"
    assert raises(r"^model file: ", rnndyn.load_model, missing) == f"model file: cannot open '{missing}'"
    raises(r"^model file: expected a path \(str or os.PathLike\), got None", rnndyn.load_model, None)
    raises(r"^model file: expected a path.*model_from_dict", rnndyn.load_model, RATE)
    raises(r"^base_dir: expected a path", rnndyn.model_from_dict, RATE, base_dir=3)
    raises(r"^config: expected a path", rnndyn.reservoir_config, None)
    raises(r"^config: ", rnndyn.reservoir_config, missing)
    raises(r"^result: cannot open ", rreport.render_html, missing)
    (tmp_path / "bad.json").write_text("{bad")
    raises(r"^result: '.*' is not valid JSON", rreport.render_html, tmp_path / "bad.json")
    raises(r"^result: .* is a directory", rreport.render_html, tmp_path)
    raises(r"^output: expected a path", rreport.report, {"status": "ok"}, None)
    raises(r"^output: .* is a directory", rreport.report, {"status": "ok"}, tmp_path)


# ---- item 4: plots handed the wrong result ----------------------------------------------------------------

def test_plots_say_which_result_they_expected(rate, flow):
    fp = rnndyn.find_fixed_points(rate)
    assert raises(r"^result: ", rplot.perturbation_shares, fp) == \
        "result: expected a perturb result (with 'types' or 'shares'), got a fixed-points result"
    raises(r"^result: expected a perturb result", rplot.perturbation_shares, {"a": 1})
    raises(r"^result: expected a perturb result", rplot.perturbation_shares, [0.5, 0.5])
    assert raises(r"^result: ", rplot.bifurcation_diagram, fp) == \
        "result: expected a continuation result (with 'branches'), got a fixed-points result"
    lin = rnndyn.linearize(flow, [0.0, 0.0])
    assert rplot.spectrum(lin).axes  # a linearize result knows its eigenvalues and time kind
    raises(r"^eigenvalues: expected an array .*got a fixed-points result \(fixed_point_spectra", rplot.spectrum, fp)
    raises(r"^eigenvalues: expected", rplot.spectrum, "abc")
    raises(r"^time: expected 'continuous' \(flows: the imaginary axis\) or 'discrete'", rplot.spectrum, lin.eigenvalues)
    raises(r"^time: expected 'continuous' or 'discrete'", rplot.spectrum, lin.eigenvalues, time="flow")
    raises(r"^G: expected .*got a fixed-points result", rplot.nyquist, [0, 1], fp)
    raises(r"^G: expected one value per frequency \(3\), got 2", rplot.nyquist, [0, 1, 2], [1j, 2j])
    raises(r"^model: expected an rnndyn.Model", rplot.phase_portrait, "model.json")
    raises(r"^fixed_points: expected a fixed-points result.*got a perturb result", rplot.phase_portrait, rate,
           fixed_points={"types": {}})
    raises(r"^fixed_points\[0\]: expected a point of dimension 2", rplot.phase_portrait, rate, fixed_points=[[1, 2, 3]])
    raises(r"^trajectories\[0\]: expected an array of shape \(samples, 2\)", rplot.phase_portrait, rate,
           trajectories=[np.ones((4, 3))])
    raises(r"^xlim: expected a pair", rplot.phase_portrait, rate, xlim=5)


def test_plots_still_draw_their_results(rate, flow):
    cont = rnndyn.continuation(flow, "g", 0.5, 1.0)
    raises(r"^component: expected an index in \[0, 2\)", rplot.bifurcation_diagram, cont, component=2)
    assert rplot.bifurcation_diagram(cont).axes
    assert rplot.perturbation_shares(rnndyn.perturb(rate, samples=20)).axes
    assert rplot.phase_portrait(flow, trajectories=rnndyn.simulate(flow, x0=[0.5, 0.1], t_end=2.0)).axes


# ---- item 5: shorthand keywords and options by name -------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    (dict(starts=2.5), r"^starts: expected a count \(an integer\) or a k x dim array of initial states, got 2\.5$"),
    (dict(starts="10"), r"^starts: expected a count .*, got '10'$"),
    (dict(starts=True), r"^starts: expected a count"),
    (dict(starts=[[1, 2], [3]]), r"^starts: expected .*ragged"),
    (dict(starts=[["a", "b"]]), r"^starts: expected .*got strings"),
    (dict(box=(0, 1, 2)), r"^box: expected a pair \(lo, hi\) .*got 3 entries$"),
    (dict(box=5), r"^box: expected a pair"),
    (dict(box=("a", "b")), r"^box\[0\]: expected"),
    (dict(data="states.json"), r"^data: expected an \(n, dim\) or \(batch, T, dim\) array"),
    (dict(seed=-1), r"^seed: expected a non-negative integer, got -1$"),
    (dict(seed=2.5), r"^seed: expected an integer, got 2\.5$"),
    (dict(seed=2**70), r"^seed: expected a smaller integer"),
    (dict(dedup_tol="a"), r"^dedup_tol: expected a number, got 'a'$"),
    (dict(max_iter="x"), r"^numeric\.max_iter: expected an integer, got 'x'$"),
    (dict(max_iter=None), r"^numeric\.max_iter: expected an integer, got None$"),
    (dict(q_tol="1e-3"), r"^numeric\.q_tol: expected a number, got '1e-3'$"),
    (dict(compute_stability="yes"), r"^numeric\.compute_stability: expected True or False"),
    (dict(method=3), r"^method: expected one of auto, .* \(a string\), got 3$"),
    (dict(method="nonsense"), r"^method: expected auto, brute"),
    (dict(numeric=5), r"^numeric: expected a NumericOptions or a dict of its fields, got 5$"),
    (dict(numeric={"qtol": 1}), r"^numeric\.qtol: unknown option"),
    (dict(frobnicate=1), r"^frobnicate: unknown option of FixedPointOptions"),
    (dict(initial_states=[[[1.0]]]), r"^starts\.initial_states: expected a 2-D array"),
    (dict(progress="yes"), r"^progress: expected True, None or a callable"),
    (dict(options={"method": "numeric"}), r"^options: expected a FixedPointOptions, got a dict"),
])
def test_find_fixed_points_keywords_of_the_wrong_type(flow, kwargs, match):
    raises(match, rnndyn.find_fixed_points, flow, **kwargs)


# Ranges of values of the right type are the library's checks (one message for the CLI and Python).
@pytest.mark.parametrize("kwargs, match", [
    (dict(starts=-1), r"^starts\.count: must be >= 1"),
    (dict(starts=0), r"^starts\.count: must be >= 1"),
    (dict(box=(1, 0)), r"^starts\.box: "),
    (dict(box=([0, 0, 0], [1, 1, 1])), r"^starts\.box: "),
    (dict(data=[[np.nan, 0.0]]), r"^starts\.data: "),
    (dict(starts=[[0.0, np.inf]]), r"^starts\.initial_states: "),
    (dict(starts=[[1.0, 2.0, 3.0]]), r"^starts\.initial_states: "),
    (dict(max_iter=-1), r"^numeric\.max_iter: must be >= 1"),
    (dict(dedup_tol=-1), r"^exact\.dedup_tol: "),
    (dict(q_tol=math.nan), r"^numeric\.q_tol: "),
])
def test_find_fixed_points_ranges_are_the_library_checks(flow, kwargs, match):
    raises(match, rnndyn.find_fixed_points, flow, method="numeric", **kwargs)


def test_other_analyses_keywords_of_the_wrong_type(rate, flow):
    plmap = rnndyn.model_from_dict(PLMAP)
    raises(r"^x0: expected a 1-D array \(a state\), got '1,2'$", rnndyn.simulate, flow, x0="1,2")
    raises(r"^x0: expected a 1-D array \(a state\), got shape \(1, 2\)$", rnndyn.simulate, flow, x0=[[1, 2]])
    raises(r"^x0: expected a vector of length 2", rnndyn.simulate, flow, x0=[1, 2, 3])
    raises(r"^rtol: expected a number, got 'a'$", rnndyn.simulate, flow, rtol="a")
    raises(r"^atol: expected a number", rnndyn.simulate, flow, atol=[1e-9])
    raises(r"^t_end: expected a number", rnndyn.simulate, flow, t_end="ten")
    raises(r"^x: expected a 1-D array \(a state\), got 'abc'$", rnndyn.linearize, flow, "abc")  # None: x0 (issue 19)
    raises(r"^x: expected a 1-D array .*got strings$", rnndyn.linearize, flow, ["a", "b"])
    raises(r"^parameter: expected a string, got 3$", rnndyn.continuation, flow, 3, 0, 1)
    raises(r"^from_: expected a number, got 'a'$", rnndyn.continuation, flow, "g", "a", 1)
    raises(r"^to: expected a number, got None$", rnndyn.continuation, flow, "g", 0, None)
    raises(r"^starts: expected a list of states", rnndyn.continuation, flow, "g", 0, 1, starts="x")
    raises(r"^period: expected an integer, got 2\.5$", rnndyn.find_cycles, plmap, 2.5)
    raises(r"^period: expected an integer, got 'x'$", rnndyn.find_cycles, plmap, "x")
    raises(r"^keep: expected an integer, got 'a'$", rnndyn.perturb, rate, keep="a")
    raises(r"^samples: expected an integer", rnndyn.perturb, rate, samples=10.5)
    raises(r"^times: entry \[1\] is not finite \(nan\)$", rnndyn.linear_closed_form,
           rnndyn.load_model(EXAMPLES / "linear_amplifier.json"), [0, 0], [0, np.nan])
    raises(r"^times: expected a 1-D array of times", rnndyn.linear_closed_form,
           rnndyn.load_model(EXAMPLES / "linear_amplifier.json"), [0, 0], 5)
    raises(r"^x0: expected a 1-D array", rnndyn.lyapunov, flow, x0="0,0")
    raises(r"^k: expected an integer", rnndyn.lyapunov, flow, k="all")
    raises(r"^integrator: expected one of dopri5, rk4", rnndyn.lyapunov, flow, integrator=1)
    raises(r"^x0: expected a 1-D array", rnndyn.limit_cycle, flow, x0=5)
    raises(r"^targets: expected a list of numbers, got 'a'$", rnndyn.mean_field, targets="a")
    raises(r"^g: expected a number, got '1\.5'$", rnndyn.mean_field, g="1.5")
    raises(r"^activation: expected an activation name", rnndyn.mean_field, activation=3)
    raises(r"^activation: expected a number as the threshold", rnndyn.mean_field, activation=("relu", "x"))
    raises(r"^feedback: expected one of uniform, gaussian", rnndyn.mean_field, feedback=3)
    raises(r"^seed: expected a non-negative integer, got -1$", rnndyn.reservoir, N=10, seed=-1)
    raises(r"^mean_field\.g: expected a number", rnndyn.reservoir, N=10, g="x")
    assert rnndyn.mean_field(targets=1.0).levels  # one number is a list of one level


@pytest.mark.parametrize("fn, args", [
    (rnndyn.find_fixed_points, ()), (rnndyn.find_cycles, (2,)), (rnndyn.simulate, ()),
    (rnndyn.linearize, ([0, 0],)), (rnndyn.analyze_linear, ()), (rnndyn.linear_closed_form, ([0, 0], [0])),
    (rnndyn.continuation, ("g", 0, 1)), (rnndyn.perturb, ()), (rnndyn.lyapunov, ()), (rnndyn.limit_cycle, ()),
])
@pytest.mark.parametrize("model, hint", [(str(EXAMPLES / "ei_network.json"), "load_model"), (RATE, "model_from_dict"),
                                         (None, "")])
def test_a_model_that_is_not_a_model(fn, args, model, hint):
    message = raises(r"^model: expected an rnndyn\.Model, got ", fn, model, *args)
    assert hint in message


def test_torch_helpers_name_their_arguments():
    pytest.importorskip("torch")
    import rnndyn.torch as rtorch
    raises(r"^kind: expected 'rnn', 'gru' or 'lstm', got 3$", rtorch.from_state_dict, {}, 3)
    raises(r"^state_dict: expected a mapping", rtorch.from_state_dict, [1, 2], "rnn")
    raises(r"^weight_hh_l0: expected a matrix", rtorch.from_state_dict,
           {"weight_ih_l0": np.zeros((2, 1)), "weight_hh_l0": np.zeros(2)}, "rnn")


def test_model_methods_check_the_state_length():
    # An Eigen assertion used to abort the interpreter here.
    m = rnndyn.model_from_dict({"model": "rate", "W": [[0.5, 0], [0, 0.5]], "b": [0, 0]})
    for method in (m.rhs, m.jacobian, m.fixed_point_residual):
        with pytest.raises(ValueError, match=r"^x: expected 2 entries \(the model's dimension\), got 3$"):
            method(np.zeros(3))
    assert np.allclose(m.rhs(np.zeros(2)), 0.0)
