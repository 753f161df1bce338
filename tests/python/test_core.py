"""The Python module against the same independent checks as the C++ tests: finite-difference
Jacobians, the seed-002 E-I eigenvalues, the linear closed form against integration, errors."""
import json

import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES

EI = {"model": "rate", "form": "rate", "activation": "relu", "tau": [10, 30],
      "W": [[1.25, -1.0], [1.0, 0.0]], "b": [10, -10]}
FP = np.array([80 / 3, 50 / 3])


def test_model_from_dict_and_file_agree():
    a = rnndyn.model_from_dict(EI)
    b = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    x = np.array([3.0, -1.0])
    assert a.kind == "rate" and a.dim == 2 and a.time == "continuous"
    np.testing.assert_array_equal(a.rhs(x), b.rhs(x))


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(0)
    model = rnndyn.model_from_dict({"model": "rate", "activation": "tanh", "W": rng.normal(size=(5, 5)),
                                    "tau": rng.uniform(0.5, 2, size=5), "b": rng.normal(size=5)})
    x = rng.normal(size=5)
    h = 1e-6
    fd = np.column_stack([(model.rhs(x + h * e) - model.rhs(x - h * e)) / (2 * h) for e in np.eye(5)])
    np.testing.assert_allclose(model.jacobian(x), fd, atol=1e-7)  # O(h^2) + O(eps/h)


def test_linearize_ei_network():
    model = rnndyn.model_from_dict(EI)
    lin = rnndyn.linearize(model, FP)
    assert lin.stability == "stable focus"
    a, d = 0.025, -1 / 30
    expected = 0.5 * (a + d) + 0.5j * np.sqrt(-((a - d) ** 2 - 4 / 300))
    np.testing.assert_allclose(lin.eigenvalues[0], expected, atol=1e-14)
    np.testing.assert_allclose(lin.eigenvalues[1], np.conj(expected), atol=1e-14)
    assert lin.to_dict()["stability"] == "stable focus"
    json.dumps(lin.to_dict())
    model.set_parameter("tau[1]", 50.0)
    assert rnndyn.linearize(model, FP).stability == "unstable focus"


def test_simulate_and_closed_form():
    model = rnndyn.load_model(str(EXAMPLES / "linear_integrator.json"))
    x0 = np.array([1.0, 0.0, 0.5])
    t, x = rnndyn.simulate(model, x0, t_end=50, dt=5, rtol=1e-11, atol=1e-11)
    assert x.shape == (11, 3) and t.shape == (11,)
    closed = rnndyn.linear_closed_form(model, x0, t)
    np.testing.assert_allclose(x, closed, atol=1e-8)
    assert rnndyn.analyze_linear(model).verdict == "integrator"


def test_bad_input_raises_value_error_with_cli_message():
    with pytest.raises(ValueError, match="W: expected"):
        rnndyn.model_from_dict({"model": "rate", "W": [[1, 2, 3], [4, 5, 6]]})
    with pytest.raises(ValueError, match="unknown model type"):
        rnndyn.model_from_dict({"model": "nope"})
    with pytest.raises(ValueError, match="tau"):
        rnndyn.model_from_dict({"model": "rate", "W": [[1]], "tau": -1})
    model = rnndyn.model_from_dict(EI)
    with pytest.raises(ValueError, match="x"):
        rnndyn.linearize(model, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="parameter"):
        model.parameter("Q[0]")
    with pytest.raises(ValueError, match="linear model"):
        rnndyn.analyze_linear(model)
