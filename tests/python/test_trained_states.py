"""Issue 19 from Python: a trained reservoir's trained states, its default start, the labelled
fixed points and the sorted Lyapunov spectrum (the C++ tests check the numbers; these check the
bindings and the JSON parity of the new fields)."""
import numpy as np

import rnndyn


def trained():
    return rnndyn.model_from_dict({"model": "reservoir", "N": 60, "g": 0.5, "seed": 1, "targets": [1.0, -1.0]})


def test_trained_states_and_default_start():
    m = trained()
    assert [level for level, _ in m.trained_states] == [1.0, -1.0]
    x1 = m.trained_states[0][1]
    np.testing.assert_array_equal(m.initial_state, x1)
    lin = rnndyn.linearize(m)  # x=None: the model's initial state
    np.testing.assert_array_equal(lin.x, x1)
    assert lin.residual_norm <= 1e-9  # a trained state is a fixed point of the closed loop
    s = rnndyn.lyapunov(m, t_total=20, warmup=0, blocks=2)
    np.testing.assert_array_equal(s.x0, x1)
    assert list(s.exponents) == sorted(s.exponents, reverse=True)
    assert s.to_dict()["unresolved"] == list(s.unresolved)


def test_fixed_points_label_trained_states():
    m = trained()
    r = rnndyn.find_fixed_points(m, method="numeric", starts=8)
    assert r.starts.n_trained == 2
    labelled = sorted(p.trained_level for p in r.numeric.fixed_points if p.trained_state >= 0)
    assert labelled == [-1.0, 1.0]
    d = r.to_dict()
    for p, q in zip(r.numeric.fixed_points, d["fixed_points"]):
        assert q["error"] == p.error and q["sigma_min"] == p.sigma_min and q["condition"] == p.condition
