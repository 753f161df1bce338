"""The numeric search on a trained network: one answer for every seed.

The bundled 3-bit flip-flop GRU(16) (examples/gru_flipflop.json, trained independently of the
finder) is searched with DEFAULT options plus its own trajectory states, for five seeds. The sets
of fixed points must be identical (matched within 1e-8 in the max norm; the points converge to
round-off, the merge distance is 1e-6), hold the 8 stable memories of the task, and every point
must be a fixed point of the GRU step written independently in NumPy (|h' - h| <= 1e-10)."""
import json

import numpy as np
import pytest

import rnndyn

from conftest import EXAMPLES


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def gru_step(spec, h):
    """PyTorch's GRU cell with constant input u (gate order r, z, n)."""
    W_hh, W_ih = np.array(spec["W_hh"]), np.array(spec["W_ih"])
    b_ih, b_hh, u = np.array(spec["b_ih"]), np.array(spec["b_hh"]), np.array(spec["u"])
    H = W_hh.shape[1]
    gi = W_ih @ u + b_ih
    gh = W_hh @ h + b_hh
    r = sigmoid(gi[:H] + gh[:H])
    z = sigmoid(gi[H:2 * H] + gh[H:2 * H])
    n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
    return (1 - z) * n + z * h


@pytest.fixture(scope="module")
def flipflop():
    spec = json.loads((EXAMPLES / "gru_flipflop.json").read_text())
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    return spec, rnndyn.load_model(EXAMPLES / "gru_flipflop.json"), states


def same_set(a, b, tol=1e-8):
    if len(a) != len(b):
        return False
    used = set()
    for x in a:
        d = [np.max(np.abs(x - y)) if j not in used else np.inf for j, y in enumerate(b)]
        j = int(np.argmin(d))
        if d[j] > tol:
            return False
        used.add(j)
    return True


def test_five_seeds_give_one_set_of_fixed_points(flipflop):
    spec, model, states = flipflop
    sets = []
    for seed in range(5):
        res = rnndyn.find_fixed_points(model, method="numeric", data=states, seed=seed)
        points = [np.array(p.x) for p in res.numeric.fixed_points]
        for x in points:
            assert np.max(np.abs(gru_step(spec, x) - x)) <= 1e-10
        stable = [p for p in res.numeric.fixed_points if p.stability.n_unstable == 0]
        assert len(stable) == 8, f"seed {seed}: {len(stable)} stable points"
        search = res.numeric.search
        assert search.stopped_by == "quiet"
        assert 0.0 <= search.good_turing <= 1.0
        assert search.samples == sum(p.random_hits for p in res.numeric.fixed_points)
        d = res.to_dict()
        assert d["search"]["good_turing"] == search.good_turing
        assert {p["found_by"] for p in d["fixed_points"]} <= {"start", "deflation", "between_points",
                                                              "unstable_direction"}
        sets.append(points)
    for seed in range(1, 5):
        assert same_set(sets[0], sets[seed]), f"seed {seed}: {len(sets[seed])} points vs {len(sets[0])} for seed 0"


def test_saddles_between_memories_have_one_unstable_direction(flipflop):
    _, model, states = flipflop
    res = rnndyn.find_fixed_points(model, method="numeric", data=states)
    saddles = [p for p in res.numeric.fixed_points if p.stability.n_unstable == 1]
    # The flip-flop's memories differ in one bit along the edges of a cube; a saddle sits on each
    # of its 12 edges (found between pairs of neighbouring memories).
    assert len(saddles) >= 12
