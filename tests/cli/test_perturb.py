"""End-to-end tests of `rnndyn perturb` on the seed-000 bounded line attractor."""
from conftest import EXAMPLES, assert_one_line_error

BOUNDED = EXAMPLES / "line_attractor_bounded.json"


def test_perturb_given_epsilon_three_fixed_points(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_eq9_three_fixed_points.json").json()
    assert out["samples"] == 1 and out["types"]["three_fixed_points"]["count"] == 1
    (s,) = out["sample_list"]
    assert sorted(p["stability"] for p in s["fixed_points"]) == ["saddle", "stable node", "stable node"]
    assert s["theorem1_derived"] == "three_fixed_points"


def test_perturb_shifted_line_and_bias(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_shifted_line.json").json()
    assert list(out["types"]) == ["line"]
    out = rnndyn("perturb", BOUNDED, "--bias", "--epsilon", EXAMPLES / "perturb_eq10_bias.json").json()
    assert list(out["types"]) == ["single_boundary_point"]


def test_perturb_random_shares_and_theorem_check(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--samples", 400, "--scale", 0.05, "--seed", 2, "--keep", 3).json()
    assert out["samples"] == 400 and len(out["sample_list"]) == 3
    assert abs(sum(t["share"] for t in out["types"].values()) - 1) < 1e-12
    for t in out["types"].values():
        assert t["ci_low"] <= t["share"] <= t["ci_high"]
    three = out["types"]["three_fixed_points"]
    assert three["ci_low"] <= 0.25 <= three["ci_high"]
    assert out["three_fixed_points_share"] == three["share"]
    assert out["theorem1"]["derived_mismatches"] == 0


def test_perturb_wrong_epsilon_shape_is_one_line_error(rnndyn, tmp_path):
    bad = tmp_path / "eps.json"
    bad.write_text("[[1, 2, 3]]")
    assert_one_line_error(rnndyn("perturb", BOUNDED, "--epsilon", bad), "epsilon")


def test_perturb_smooth_model_is_one_line_error(rnndyn, write_model):
    model = write_model({"model": "rate", "form": "rate", "activation": "tanh", "W": [[1]], "b": [0], "tau": 1})
    assert_one_line_error(rnndyn("perturb", model), "piecewise-linear")


def test_perturb_bad_scale_is_one_line_error(rnndyn):
    assert_one_line_error(rnndyn("perturb", BOUNDED, "--scale", -1), "scale")


# ----- what the perturbed integrator remembers (issue 18): half-lives against independent references -----
import itertools  # noqa: E402
import math  # noqa: E402

import numpy as np  # noqa: E402
from scipy.integrate import solve_ivp  # noqa: E402

W0 = np.array([[0.0, -1.0], [-1.0, 0.0]])


def brute_force_memory(eps, b=np.ones(2)):
    """dx/dt = -x + relu((W0 + eps) x + b) by its 4 activation patterns in NumPy (no rnndyn code):
    ('kept' | 'decays' | 'none', the longest ln 2 / slowest rate over the stable fixed points)."""
    W = W0 + np.asarray(eps)
    longest, singular = -1.0, False
    for d in itertools.product([0.0, 1.0], repeat=2):
        D = np.diag(d)
        J = -np.eye(2) + D @ W
        if abs(np.linalg.det(J)) < 1e-12:
            singular = True  # a continuum in this pattern if consistent: not drawn by random samples
            continue
        x = np.linalg.solve(-J, D @ b)
        a = W @ x + b
        if not all((a[i] > 0) if d[i] else (a[i] <= 1e-12) for i in range(2)):
            continue
        lam = np.linalg.eigvals(J)
        if (lam.real < 0).all():
            longest = max(longest, math.log(2) / (-lam.real).min())
    assert not singular
    return ("none", math.nan) if longest < 0 else ("decays", longest)


def test_half_life_of_eq8_is_ln2_over_the_slow_eigenvalue_and_matches_simulation(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_eq8_one_fixed_point.json").json()
    (s,) = out["sample_list"]
    assert s["memory"] == "decays"
    # W' = [[-0.2, -0.9], [-0.9, -0.2]]: eigenvalues of -I + W' are -1.2 +- 0.9, the slow one -0.3.
    assert abs(s["half_life"] - math.log(2) / 0.3) < 1e-12
    t = out["types"]["one_fixed_point"]
    assert t["memory"] == {"decays": 1} and t["half_life_median"] == s["half_life"]
    # By simulation (scipy, tight tolerances): a value stored at (0.7, 0.3) on the former line; late
    # in the relaxation the distance to the fixed point halves in one half-life (the fast mode,
    # e^{-2.1 t}, is gone by then to 1e-9 relative).
    W = W0 + np.array([[-0.2, 0.1], [0.1, -0.2]])
    xs = np.linalg.solve(np.eye(2) - W, np.ones(2))
    h = s["half_life"]
    sol = solve_ivp(lambda _, x: -x + np.maximum(W @ x + 1, 0), (0, 20 + h), [0.7, 0.3], rtol=1e-12, atol=1e-14,
                    dense_output=True)
    ratio = np.linalg.norm(sol.sol(20 + h) - xs) / np.linalg.norm(sol.sol(20) - xs)
    assert abs(ratio - 0.5) < 1e-6


def test_half_lives_of_random_samples_match_a_brute_force_per_sample_and_per_type(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--samples", 300, "--scale", 0.1, "--seed", 5, "--keep", 300).json()
    by_type = {}
    for s in out["sample_list"]:
        memory, half_life = brute_force_memory(s["epsilon"])
        assert s["memory"] == memory
        if memory == "decays":
            assert abs(s["half_life"] - half_life) <= 1e-9 * half_life
            by_type.setdefault(s["type"], []).append(half_life)
        else:
            assert s["half_life"] is None
    assert sum(len(v) for v in by_type.values()) > 100  # most samples decay onto a stable point
    for name, t in out["types"].items():
        values = by_type.get(name, [])
        assert t["memory"].get("decays", 0) == len(values)
        if values:
            for key, q in (("half_life_q25", 25), ("half_life_median", 50), ("half_life_q75", 75)):
                assert abs(t[key] - np.percentile(values, q)) <= 1e-9 * t[key]


def test_a_surviving_line_keeps_its_values(rnndyn):
    out = rnndyn("perturb", BOUNDED, "--epsilon", EXAMPLES / "perturb_shifted_line.json").json()
    (s,) = out["sample_list"]
    assert s["memory"] == "kept" and s["half_life"] is None  # inf in C++ and Python, null in JSON
    assert out["types"]["line"]["memory"] == {"kept": 1}
