"""The CLI's JSON and Python's to_dict() are the same document for every analysis of the fixed-point,
continuation, perturbation, linearization, linear-network and simulation areas (only the wall time
differs), and the typed Python results expose the same numbers as attributes."""
import json

import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES, assert_same
from conftest import cli_json as cli


def write(tmp_path, spec, name="model.json"):
    path = tmp_path / name
    path.write_text(json.dumps(spec))
    return path


def test_exact_fixed_points(tmp_path):
    path = EXAMPLES / "line_attractor_bounded.json"
    res = rnndyn.find_fixed_points(rnndyn.load_model(str(path)))
    assert_same(cli("fixed-points", path), res)
    assert res.status == "complete" and res.guarantee.startswith("complete")
    assert res.info.model == "rate" and res.info.time == "continuous"
    assert len(res.continua) == 1 and res.continua[0].shape == "segment"


def test_numeric_fixed_points_same_seed_same_starts(tmp_path):
    # A smooth 2-D flow: the starts are drawn in C++, so one seed gives the same points in both.
    spec = {"model": "rate", "activation": "tanh", "W": [[2.0, 0.5], [-0.5, 2.0]], "b": [0.1, -0.2]}
    path = write(tmp_path, spec)
    res = rnndyn.find_fixed_points(rnndyn.load_model(str(path)), method="numeric", starts=64, seed=3, box=(-3, 3))
    assert_same(cli("fixed-points", path, "--method", "numeric", "--starts", 64, "--seed", 3, "--box", "-3,3"), res)
    assert res.status == "sampled" and res.starts.n_starts == 64
    for p in res.fixed_points:  # each point is a zero of F, checked independently of the finder
        assert np.abs(rnndyn.load_model(str(path)).rhs(p.x)).max() < 1e-7
        assert np.iscomplexobj(p.eigenvalues)


def test_interval_fixed_points(tmp_path):
    n = 12
    m = np.where(np.arange(n) % 3 == 0, -1.0, 1.0)
    path = write(tmp_path, {"model": "rate", "activation": "tanh", "W": (2 * np.outer(m, m) / n).tolist()})
    res = rnndyn.find_fixed_points(rnndyn.load_model(str(path)), method="interval")
    assert_same(cli("fixed-points", path, "--method", "interval"), res)
    assert res.status == "complete" and len(res.fixed_points) == 3 and all(res.interval.certified)


def test_cycles(tmp_path):
    # A near-rotation by 90 degrees with weak relu coupling: a piecewise-linear map with 4-cycles.
    spec = {"model": "plrnn", "A": [[0.0, -1.0], [1.0, 0.0]], "W": [[0, 0.1], [0.1, 0]], "h": [0.2, -0.3]}
    path = write(tmp_path, spec)
    res = rnndyn.find_cycles(rnndyn.load_model(str(path)), 4)
    assert_same(cli("fixed-points", path, "--cycles", 4), res)
    assert res.period == 4 and res.status == "complete"


def test_cycle_methods(tmp_path):
    # A near-rotation whose orbits lock onto a stable 20-cycle: the heuristic is sequential and
    # seeded, so the CLI and Python find the same cycles; the pruned search is exhaustive.
    spec = {"model": "plrnn", "A": [0.900447539444717, 0.9920629342558778],
            "W": [[0.0, -0.2473917062054029], [0.6815244448713578, 0.0]],
            "h": [0.10490272567820591, -0.2164943196908522]}
    path = write(tmp_path, spec)
    model = rnndyn.load_model(str(path))
    res = rnndyn.find_cycles(model, 20, method="heuristic", seed=2, outer_loops=40)
    assert_same(cli("fixed-points", path, "--cycles", 20, "--cycle-method", "heuristic", "--heuristic-seed", 2,
                    "--outer-loops", 40), res)
    assert res.status == "sampled" and res.method == "heuristic" and res.stopped_by is None
    assert str(res.options.method) == "heuristic" and res.heuristic_solves > 0
    assert res.cycles and all(c.found_by == "heuristic" for c in res.cycles)
    exact = rnndyn.find_cycles(model, 20)
    assert exact.method == "pruned" and exact.status == "complete" and exact.nodes_examined > 0
    assert all(c.found_by == "exhaustive" for c in exact.cycles) and len(exact.cycles) >= len(res.cycles)


def test_continuation_default_starts_are_the_fixed_points_and_x0_adds_none_here():
    # The file's x0 = (30, 10) converges to the one fixed point (80/3, 50/3): no second branch.
    path = EXAMPLES / "ei_network.json"
    res = rnndyn.continuation(rnndyn.load_model(str(path)), "tau[1]", 20, 60)
    assert_same(cli("continue", path, "--param", "tau[1]", "--from", 20, "--to", 60), res)
    assert res.start_source == "fixed_points" and len(res.branches) == 1
    hopf = [b for b in res.bifurcations if b.type == "hopf"]
    assert len(hopf) == 1 and abs(hopf[0].parameter - 40.0) < 1e-6  # seed 002: tau_I = 40 ms


def test_continuation_without_x0_starts_at_every_fixed_point(tmp_path):
    spec = json.loads((EXAMPLES / "ei_network.json").read_text())
    spec.pop("x0", None)
    path = write(tmp_path, spec)
    res = rnndyn.continuation(rnndyn.load_model(str(path)), "tau[1]", 20, 60)
    assert_same(cli("continue", path, "--param", "tau[1]", "--from", 20, "--to", 60), res)
    assert res.start_source == "fixed_points"
    assert res.branches and all(len(b.points) > 1 for b in res.branches)


def test_perturb():
    path = EXAMPLES / "line_attractor_bounded.json"
    res = rnndyn.perturb(rnndyn.load_model(str(path)), samples=200, scale=0.05, seed=4)
    assert_same(cli("perturb", path, "--samples", 200, "--scale", 0.05, "--seed", 4), res)
    assert sum(t.count for t in res.types.values()) == 200


def test_linearize_linear_and_simulate():
    path = EXAMPLES / "ei_network.json"
    model = rnndyn.load_model(str(path))
    x = [80 / 3, 50 / 3]
    res = rnndyn.linearize(model, x)
    assert_same(cli("linearize", path, "--at", ",".join(map(repr, x))), res)
    assert str(res.stability) == "stable focus" and res.stability == "stable focus"
    traj = rnndyn.simulate(model, t_end=50, dt=1)
    assert_same(cli("simulate", path, "--t-end", 50, "--dt", 1), traj)
    assert traj.x.shape == (51, 2)
    assert np.allclose(traj.x[0], model.initial_state if model.initial_state is not None else traj.x[0])
    linear = EXAMPLES / "linear_integrator.json"
    if linear.exists():
        res = rnndyn.analyze_linear(rnndyn.load_model(str(linear)))
        assert_same(cli("linear", linear), res)


def test_options_carry_the_cpp_defaults_and_reject_unknown_names():
    o = rnndyn.FixedPointOptions()
    assert o.numeric.q_tol == 1e-16 and o.starts.count == 4096 and str(o.method) == "auto"
    with pytest.raises(ValueError, match="q_tl"):
        rnndyn.find_fixed_points(rnndyn.load_model(str(EXAMPLES / "ei_network.json")), q_tl=1)
    with pytest.raises(ValueError, match="starts.count"):
        rnndyn.find_fixed_points(rnndyn.load_model(str(EXAMPLES / "ei_network.json")), method="numeric", starts=0)
