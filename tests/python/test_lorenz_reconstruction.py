"""A reconstruction model a user would bring (issue 30): a shPLRNN with R = 3 latent dimensions
fitted to the Euler map of Lorenz-63, z' = z + dt f(z) (sigma = 10, rho = 28, beta = 8/3,
dt = 0.01), sampled on the attractor. Its fixed points near the attractor must be Lorenz's three,
(0, 0, 0) and (+-sqrt(beta (rho - 1)), +-sqrt(beta (rho - 1)), rho - 1), to the accuracy of the
fit; every fixed point rnndyn lists must be exact; its k-cycles are searched with a budget whose
status is honest.

The tolerance is derived, not tuned: if the fitted map F misses Lorenz's Euler map by
e = |F(z*) - z*| at Lorenz's fixed point z* (where the Euler map returns z* exactly), the
model's own fixed point lies within |(DF - I)^{-1}| e of z* to first order (Newton's step; DF the
model's Jacobian in z*'s region). Asserted with a factor 2 for the second-order term."""
import numpy as np
import pytest

import rnndyn

SIGMA, RHO, BETA, DT = 10.0, 28.0, 8.0 / 3.0, 0.01


def lorenz(z):
    x, y, w = z[..., 0], z[..., 1], z[..., 2]
    return np.stack([SIGMA * (y - x), x * (RHO - w) - y, x * y - BETA * w], -1)


def attractor_samples(rng, n_steps=30000, h=0.005):
    """States on the attractor (RK4, transient dropped), every second step, with noise 0.5 so
    that the fit also sees the neighbourhood of the orbit."""
    z = np.ones(3)
    out = []
    for t in range(n_steps):
        k1 = lorenz(z)
        k2 = lorenz(z + h / 2 * k1)
        k3 = lorenz(z + h / 2 * k2)
        k4 = lorenz(z + h * k3)
        z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        if t > 2000 and t % 2 == 0:
            out.append(z)
    states = np.array(out)
    return states + rng.normal(0.0, 0.5, states.shape)


def fit_shplrnn(states, n_units, rng):
    """Random hidden layer (W2 scaled to the data, hyperplanes through sampled states), then A, W1
    and h1 by ridge least squares on the Euler map: the usual random-feature fit."""
    W2 = rng.normal(0.0, 1.0, (n_units, 3)) / states.std(0)
    h2 = -(W2 * states[rng.integers(0, len(states), n_units)]).sum(1)
    features = np.hstack([states, np.maximum(states @ W2.T + h2, 0.0), np.ones((len(states), 1))])
    target = states + DT * lorenz(states)
    C = np.linalg.solve(features.T @ features + 1e-6 * np.eye(features.shape[1]), features.T @ target)
    return {"model": "shplrnn", "time": "map", "A": C[:3].T.tolist(), "W1": C[3:3 + n_units].T.tolist(),
            "W2": W2.tolist(), "h1": C[-1].tolist(), "h2": h2.tolist()}


def model_map(spec, z):
    A, W1, W2 = (np.array(spec[k]) for k in ("A", "W1", "W2"))
    a = W2 @ z + np.array(spec["h2"])
    return A @ z + W1 @ np.maximum(a, 0.0) + np.array(spec["h1"]), A + W1 @ ((a > 0)[:, None] * W2)


@pytest.fixture(scope="module")
def reconstruction():
    rng = np.random.default_rng(0)
    spec = fit_shplrnn(attractor_samples(rng), 400, rng)
    model = rnndyn.model_from_dict(spec)
    return spec, model, rnndyn.find_fixed_points(model)


def test_fixed_points_match_lorenz_to_the_accuracy_of_the_fit(reconstruction):
    spec, model, result = reconstruction
    assert result.status == "complete"  # sum_{r<=3} C(400, r) = 10.7 million regions: auto walks them
    assert result.to_dict()["method"] in ("arrangement", "level_set", "subdivision")
    points = np.array([p.x for p in result.fixed_points])
    s = np.sqrt(BETA * (RHO - 1.0))
    for z_star in (np.zeros(3), np.array([s, s, RHO - 1.0]), np.array([-s, -s, RHO - 1.0])):
        F, DF = model_map(spec, z_star)
        miss = np.linalg.norm(F - z_star)
        bound = 2.0 * np.linalg.norm(np.linalg.inv(DF - np.eye(3)), 2) * miss
        nearest = np.min(np.linalg.norm(points - z_star, axis=1))
        assert nearest <= bound, (z_star, nearest, bound)
        if z_star[2] > 0:  # C+-: the orbit winds around them, the fit is tight there (bound 0.6-0.9 at N = 400)
            assert bound < 0.05 * np.linalg.norm(z_star)
    # The origin is passed rarely (few samples near it): its bound is loose (4.7) but honest.


def test_every_listed_point_is_exact_and_classified(reconstruction):
    spec, model, result = reconstruction
    for p in result.fixed_points:
        F, _ = model_map(spec, np.asarray(p.x))
        assert np.abs(F - p.x).max() <= 1e-12 * max(1.0, np.abs(p.x).max())
        # The stability class counts the region's eigenvalues outside the unit circle (NumPy's here).
        _, DF = model_map(spec, np.asarray(p.x))
        assert p.stability.n_unstable == int(np.sum(np.abs(np.linalg.eigvals(DF)) > 1.0 + 1e-9))
    # Lorenz's three are saddles (index 1 at the origin, index 2 at C+-; the map inherits the
    # flow's unstable directions for small dt).
    s = np.sqrt(BETA * (RHO - 1.0))
    for z_star, n_unstable in ((np.zeros(3), 1), (np.array([s, s, RHO - 1.0]), 2)):
        p = min(result.fixed_points, key=lambda q: np.linalg.norm(np.asarray(q.x) - z_star))
        assert p.stability.n_unstable == n_unstable


def test_cycles_are_searched_within_an_honest_budget():
    # Fewer units (N = 60: 36,051 regions) than the fixed-point fixture (N = 400): the k-cycle search lists
    # every region of the arrangement first (1.3 million at N = 200, ~20 s and >1 GB), which is
    # bench material, not a unit test. The budget is what is tested: either every 2-cycle was
    # examined (complete) or the pruned search says which budget ended it and how much is left.
    rng = np.random.default_rng(1)
    model = rnndyn.model_from_dict(fit_shplrnn(attractor_samples(rng), 60, rng))
    cycles = rnndyn.find_cycles(model, 2, time_limit=2.0, heuristic_on_budget=False)
    d = cycles.to_dict()
    assert d["status"] in ("complete", "incomplete")
    if d["status"] == "incomplete":
        assert d["stopped_by"] == "time_limit" and d["unexplored_prefixes"] > 0
        assert "time_limit budget" in d["guarantee"]
    for c in d["cycles"]:  # every cycle listed is an exact 2-cycle of the model
        z0, z1 = (np.array(p) for p in c["points"])
        assert np.linalg.norm(z0 - z1) > 1e-9
