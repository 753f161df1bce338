"""Memories found from simulation (issue 33) on the bundled 3-bit flip-flop GRU(16).

The network (examples/gru_flipflop.json, trained independently of rnndyn) stores its 3 bits in
8 stable fixed points. The memories found from orbits started at its own trajectory states must
be exactly those 8 points, and orbits run by an independent NumPy GRU cell (PyTorch's equations,
sharing no code with rnndyn) from the same states must end in them. The states file repeats one
state in every other row (each recorded trial's first step), which an even spread of the orbits
over the rows would alias onto; the census uses distinct rows."""
import json

import numpy as np
import pytest

import rnndyn

from conftest import EXAMPLES
from test_numeric_trust import gru_step


@pytest.fixture(scope="module")
def flipflop():
    spec = json.loads((EXAMPLES / "gru_flipflop.json").read_text())
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    model = rnndyn.load_model(EXAMPLES / "gru_flipflop.json")
    return spec, states, model


@pytest.mark.parametrize("orbits", [64, 1000])  # 1000: every one of the 135 distinct states
def test_the_eight_memories_are_the_eight_stable_fixed_points(flipflop, orbits):
    _, states, model = flipflop
    res = rnndyn.find_fixed_points(model, method="numeric", data=states, memories={"orbits": orbits})
    census = res.numeric.memory_census
    assert census.orbits == min(orbits, len(np.unique(states, axis=0))) and census.steps == 500
    memories = res.memories
    points = res.fixed_points
    stable = {i for i, p in enumerate(points) if p.stability.n_unstable == 0}
    assert len(stable) == 8
    assert len(memories) == 8, memories
    assert {m.fixed_point for m in memories} == stable
    for m in memories:
        p = points[m.fixed_point]
        # Near a stable point of a map with spectral radius rho < 1, |x - x*| <= |F(x) - x| / (1 - rho)
        # to first order; the factor 2 covers the second-order term at these distances (<= 1e-3).
        rho = np.max(np.abs(p.eigenvalues))
        assert np.linalg.norm(np.array(m.x) - np.array(p.x)) <= 2 * m.speed / (1 - rho) + 1e-12
        assert m.speed <= census.speed_threshold
        assert 0.0 < m.share <= 1.0 and m.n_orbits >= 1
        assert m.mean_visit == pytest.approx(m.dwell / m.n_orbits)
    assert sum(m.share for m in memories) <= census.slow_share + 1e-12


def test_independent_orbits_end_in_the_memories(flipflop):
    spec, states, model = flipflop
    res = rnndyn.find_fixed_points(model, method="numeric", data=states, memories={"orbits": 1000})
    census = res.numeric.memory_census
    centres = np.array([m.x for m in res.memories])
    ends = []
    for h in np.unique(states, axis=0):  # the census's orbits: every distinct state
        for _ in range(census.steps):
            h = gru_step(spec, h)
        d = np.linalg.norm(centres - h, axis=1)
        assert d.min() < census.radius
        ends.append(int(np.argmin(d)))
    counts = np.bincount(ends, minlength=len(centres))
    assert np.all(counts > 0)  # every memory is where some orbit ends
    for m, c in zip(res.memories, counts):
        assert m.n_orbits >= c  # an orbit that ends in a memory visited it


def test_memories_in_the_json_and_off_switch(flipflop):
    _, states, model = flipflop
    res = rnndyn.find_fixed_points(model, method="numeric", data=states)
    d = res.to_dict()
    assert len(d["memories"]) == 8
    assert set(d["memories"][0]) == {"x", "speed", "dwell", "share", "n_orbits", "mean_visit", "fixed_point",
                                     "slow_point"}
    assert d["memory_census"]["n_memories"] == 8
    assert "8 memories" in repr(res)
    off = rnndyn.find_fixed_points(model, method="numeric", data=states, memories={"enabled": False})
    assert off.memories == [] and "memory_census" not in off.to_dict()
    without_data = rnndyn.find_fixed_points(model, method="numeric")
    assert without_data.memories == []
