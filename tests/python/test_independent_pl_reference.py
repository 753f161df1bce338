"""Exact fixed points of shallow PLRNNs against a reference that shares no code with rnndyn
(issue 20, item 1): every activation pattern solved here with NumPy, its own region test and its
own de-duplication, against rnndyn's exact methods (subdivision, auto's choice for latent
arrangements, and level_set, brute, arrangement).

Model (seed 001): z' = A z + W1 relu(W2 z + h2) + h1 (maps) or dz/dt = the same (flows). In the
region with pattern d (d_i = 1 where W2_i z + h2_i > 0) the map is affine, M_d = A + W1 diag(d) W2,
m_d = W1 (d * h2) + h1, and a fixed point solves (M_d - delta I) z = -m_d (delta = 1 maps, 0 flows)
with z in the closed region. Networks whose reference meets a nearly singular region are skipped
(continua are not this test's subject), and counted so that the test is not vacuous."""
import itertools

import numpy as np
import pytest

import rnndyn


def reference_fixed_points(spec):
    A, W1, W2 = (np.asarray(spec[k], float) for k in ("A", "W1", "W2"))
    h1, h2 = np.asarray(spec["h1"], float), np.asarray(spec["h2"], float)
    R, N = A.shape[0], W2.shape[0]
    delta = 1.0 if spec["time"] == "map" else 0.0
    points = []
    for d in itertools.product((0.0, 1.0), repeat=N):
        d = np.array(d)
        M = A + W1 @ np.diag(d) @ W2 - delta * np.eye(R)
        if np.linalg.cond(M) > 1e10:
            return None  # a (nearly) singular region: not this test's subject
        z = np.linalg.solve(M, -(W1 @ (d * h2) + h1))
        s = W2 @ z + h2
        tol = 1e-9 * (1.0 + np.abs(W2).sum(1) * np.abs(z).max() + np.abs(h2))
        if np.all(np.where(d > 0, s >= -tol, s <= tol)):
            if not any(np.allclose(z, p, atol=1e-8, rtol=1e-8) for p in points):
                points.append(z)
    return sorted(points, key=tuple)


def random_spec(R, N, time, rng):
    return {"model": "shplrnn", "time": time, "A": np.diag(rng.uniform(-0.3, 0.3, R)).tolist(),
            "W1": (rng.standard_normal((R, N)) / np.sqrt(N)).tolist(), "W2": rng.standard_normal((N, R)).tolist(),
            "h1": (0.5 * rng.standard_normal(R)).tolist(), "h2": rng.standard_normal(N).tolist()}


def exact_points_match(spec, ref, method, rtol, atol, where):
    """rnndyn's exact `method` on `spec`: complete, no continuum, and the reference's points (sorted)
    within rtol and atol; its points."""
    res = rnndyn.find_fixed_points(rnndyn.model_from_dict(spec), method=method)
    got = sorted((np.asarray(p.x) for p in res.fixed_points), key=tuple)
    assert res.status == "complete" and not res.continua, where
    assert len(got) == len(ref), (where, len(got), len(ref))
    for a, b in zip(got, ref):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    return got


@pytest.mark.parametrize("method", ["subdivision", "level_set", "arrangement", "brute", "auto"])
def test_exact_methods_match_an_independent_numpy_brute_force(method):
    rng = np.random.default_rng(2026)
    compared = with_points = 0
    for R, N, time in itertools.product((2, 3), range(3, 10), ("map", "flow")):
        spec = random_spec(R, N, time, rng)
        ref = reference_fixed_points(spec)
        if ref is None:
            continue
        exact_points_match(spec, ref, method, 1e-8, 1e-10, (R, N, time))
        compared += 1
        with_points += len(ref) > 0
    assert compared >= 24 and with_points >= compared // 3  # not vacuous (28 networks drawn)


@pytest.mark.parametrize("method", ["subdivision", "auto"])
def test_badly_scaled_weights_give_the_same_points(method):
    # W2, h2 scaled by s and W1 by 1 / s is the same map (relu(s x) / s = relu(x)): the points of
    # the unscaled network's independent reference, for s = 10^k, k in -8..8.
    rng = np.random.default_rng(7)
    checked = 0
    for R, N, time in itertools.product((2, 3), (5, 8), ("map", "flow")):
        spec = random_spec(R, N, time, rng)
        ref = reference_fixed_points(spec)
        if ref is None or not ref:
            continue
        for k in (-8, -4, 4, 8):
            s = 10.0 ** k
            scaled = dict(spec, W2=(np.asarray(spec["W2"]) * s).tolist(), h2=(np.asarray(spec["h2"]) * s).tolist(),
                          W1=(np.asarray(spec["W1"]) / s).tolist())
            res = rnndyn.find_fixed_points(rnndyn.model_from_dict(scaled), method=method)
            got = sorted((np.asarray(p.x) for p in res.fixed_points), key=tuple)
            assert len(got) == len(ref), (R, N, time, k)
            for a, b in zip(got, ref):
                np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
            checked += 1
    assert checked >= 16


@pytest.mark.parametrize("kinks", [1, 2])
@pytest.mark.parametrize("method", ["subdivision", "level_set", "arrangement", "brute", "auto"])
def test_a_fixed_point_on_kinks_is_found_once(method, kinks):
    """A fixed point placed on `kinks` hyperplanes (W2_i z* + h2_i = 0 for i < kinks, to rounding)
    lies in the closure of 2^kinks regions, and each of their affine maps has it as a solution: it
    must come out once, at z* (closed form: h1 chosen so that z* is a fixed point), and the rest
    of the set must be the independent reference's."""
    rng = np.random.default_rng(11 + kinks)
    checked = 0
    for R, N, time in itertools.product((2, 3), (4, 6), ("map", "flow")):
        spec = random_spec(R, N, time, rng)
        A, W1, W2 = (np.asarray(spec[k]) for k in ("A", "W1", "W2"))
        z = rng.standard_normal(R)
        h2 = np.asarray(spec["h2"])
        h2[:kinks] = -W2[:kinks] @ z
        image = A @ z + W1 @ np.maximum(W2 @ z + h2, 0.0)
        h1 = z - image if time == "map" else -image
        spec = dict(spec, h1=h1.tolist(), h2=h2.tolist())
        ref = reference_fixed_points(spec)
        if ref is None:
            continue
        got = exact_points_match(spec, ref, method, 1e-8, 1e-10, (R, N, time))
        assert sum(np.abs(p - z).max() < 1e-9 for p in got) == 1, (R, N, time, got)
        checked += 1
    assert checked >= 6  # of 8 networks drawn; the rest met a nearly singular region


@pytest.mark.parametrize("eps", [1e-4, 1e-6, 1e-8])
@pytest.mark.parametrize("method", ["subdivision", "level_set", "arrangement", "brute", "auto"])
def test_a_nearly_singular_region_keeps_its_one_fixed_point(method, eps):
    """A map whose all-on region has M = A + W1 W2 - I = U diag(1, eps) V^T (condition 1 / eps): W1
    is chosen as (I - A + M) W2^+, and h1 so that z* (inside the region) is its fixed point. The point
    is isolated however small eps is, so it must come out as a point at z*, to about eps^-1 times
    the rounding of the data, and the rest of the set must be the reference's."""
    rng = np.random.default_rng(5)
    checked = 0
    for N in (4, 6):
        R = 2
        spec = random_spec(R, N, "map", rng)
        A, W2 = np.asarray(spec["A"]), np.asarray(spec["W2"])
        U, _ = np.linalg.qr(rng.standard_normal((R, R)))
        V, _ = np.linalg.qr(rng.standard_normal((R, R)))
        M = U @ np.diag([1.0, eps]) @ V.T
        W1 = (np.eye(R) - A + M) @ np.linalg.pinv(W2)
        z = rng.standard_normal(R)
        h2 = np.abs(rng.standard_normal(N)) + 0.5 - W2 @ z  # every unit on at z*, by at least 0.5
        h1 = -(M @ z + W1 @ h2)
        spec = dict(spec, W1=W1.tolist(), h1=h1.tolist(), h2=h2.tolist())
        ref = reference_fixed_points(spec)
        if ref is None:
            continue
        got = exact_points_match(spec, ref, method, 1e-12 / eps, 1e-12 / eps, (N, eps))
        assert sum(np.abs(p - z).max() < 1e-12 / eps for p in got) == 1, (N, eps, got)
        checked += 1
    assert checked == 2
