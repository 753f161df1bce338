"""Coverage of rnndyn's confidence intervals by replication (issue 20, item 4), against true values
that rnndyn does not compute.

* Bootstrap intervals of ``rnndyn.lyapunov`` on the skew tent map T(z) = z / a (z < a),
  (1 - z) / (1 - a) (z >= a), a piecewise-linear map written as a 1-unit ``plrnn``:
  z' = z / a - (1 / a + 1 / (1 - a)) relu(z - a). Its invariant density is uniform on [0, 1], so its
  exponent is exactly lambda = a ln(1 / a) + (1 - a) ln(1 / (1 - a)) (0.6108643 for a = 0.3).
  (The symmetric tent map has |T'| = 2 everywhere, which would make every block estimate ln 2 and the
  test vacuous; the logistic map is not expressible as an rnndyn model.)
* Wilson intervals of ``rnndyn.perturb`` for the share of perturbed seed-000 line attractors
  (examples/line_attractor_bounded.json) with three fixed points. The true share comes from a NumPy
  Monte Carlo of 10^6 perturbations whose fixed points are enumerated here in closed form (the four
  activation patterns of the 2-unit ReLU network), sharing no code with rnndyn; at small scales it is
  1/4 exactly (docs/perturbation.md), which the brute force reproduces.

Every replication uses its own seed or start; all seeds are fixed. The replications run in one
subprocess with OMP_NUM_THREADS=1: rnndyn's OpenMP regions spin-wait, and on a loaded 2-core machine
(load ~8) single perturb calls of 3 ms took up to 8 s with the default thread count (100 calls: 9.8 s
against 0.34 s single-threaded).
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy.stats import binom, norm

from conftest import EXAMPLES

SKEW_A = 0.3
SKEW_LAMBDA = SKEW_A * np.log(1 / SKEW_A) + (1 - SKEW_A) * np.log(1 / (1 - SKEW_A))


def _run_replications(body):
    """Run `body` (which prints one JSON document) in a single-threaded subprocess."""
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(body)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _binomial_band(p, R, z=3.29):
    """A 99.9 % two-sided normal band for the fraction of R Bernoulli(p) successes."""
    return z * np.sqrt(p * (1 - p) / R)


def _skew_tent_replications(R, T, blocks, confidence=0.95):
    return _run_replications(f"""
        import json, numpy as np, rnndyn
        a = {SKEW_A!r}
        m = rnndyn.model_from_dict({{"model": "plrnn", "A": [[1 / a]], "W": [[-(1 / a + 1 / (1 - a))]],
                                     "theta": [a], "h": [0.0]}})
        rng = np.random.default_rng(2020)
        out = []
        for i in range({R}):
            s = rnndyn.lyapunov(m, x0=rng.uniform(0.01, 0.99, 1), t_total={T}, k=1, blocks={blocks},
                                confidence={confidence})
            out.append([s.exponents[0], s.ci_low[0], s.ci_high[0], s.standard_error[0]])
        print(json.dumps(out))
    """)


@pytest.fixture(scope="module")
def skew_tent():
    return np.array(_skew_tent_replications(R=1000, T=1000, blocks=10))


def test_skew_tent_exponent_is_unbiased_and_its_standard_error_calibrated(skew_tent):
    """1000 starts, T 1000 steps, 10 blocks. The mean of the estimates must match the exact exponent
    within 4 standard errors of that mean, and the stated standard error must match the observed
    spread of the estimates: its mean over replications is c4(10) = 0.973 times the true sd for
    independent blocks; allowed ratio [0.80, 1.10] (the ratio's own replication noise is ~2 %).
    Measured on main 2c9dca5 (these 1000 starts): mean error +0.00025 (sd of the estimates 0.01252),
    mean stated SE 0.01201 (ratio 0.96)."""
    est, lo, hi, se = skew_tent.T
    err = est - SKEW_LAMBDA
    assert abs(err.mean()) < 4 * err.std(ddof=1) / np.sqrt(err.size), err.mean()
    ratio = se.mean() / err.std(ddof=1)
    assert 0.80 < ratio < 1.10, ratio
    assert np.all(lo <= est) and np.all(est <= hi)


@pytest.mark.xfail(strict=True, reason="rnndyn's 95 % percentile bootstrap over 10 time blocks covers the exact "
                   "exponent of the skew tent map in 0.898 of 1000 runs (0.915 of 200 at T 10000), below the "
                   "binomial band of the stated 0.95; a percentile bootstrap of a mean of n = 10 blocks behaves "
                   "like +-1.96 sqrt(9/10) s/sqrt(n) against the t quantile 2.26, i.e. ~0.90 coverage")
def test_skew_tent_bootstrap_interval_covers_at_the_stated_rate(skew_tent):
    """Coverage of the exact exponent by [ci_low, ci_high] over 1000 independent starts, against
    the stated 0.95 with a 99.9 % binomial band (+-0.023). Measured on main 2c9dca5: 0.898 (and 0.929
    with 40 blocks, 0.915 with 200 starts at T 10000)."""
    est, lo, hi, se = skew_tent.T
    coverage = np.mean((lo <= SKEW_LAMBDA) & (SKEW_LAMBDA <= hi))
    assert abs(coverage - 0.95) <= _binomial_band(0.95, est.size), coverage


# ---------------------------------------------------------------------------------------------

def three_fixed_point_share(scale, n=1_000_000, seed=1):
    """Share of W + scale * N(0, 1) (W = [[0, -1], [-1, 0]], b = (1, 1)) whose network
    dx/dt = -x + relu(W x + b) has exactly three fixed points, by enumerating the activation
    patterns: (1, 1): (I - W) x = b with x > 0; (1, 0): x = (1 / (1 - W11), 0) with x1 > 0 and
    W21 x1 + 1 <= 0; (0, 1) likewise; (0, 0): x = 0 needs b <= 0, never. Returns (share, its
    Monte Carlo standard error)."""
    rng = np.random.default_rng(seed)
    E = scale * rng.standard_normal((n, 2, 2))
    a, b, c, d = E[:, 0, 0], E[:, 0, 1] - 1.0, E[:, 1, 0] - 1.0, E[:, 1, 1]
    det = (1 - a) * (1 - d) - b * c
    both = ((1 - d + b) / det > 0) & ((1 - a + c) / det > 0)
    y1, y2 = 1.0 / (1 - a), 1.0 / (1 - d)
    first = (y1 > 0) & (c * y1 + 1 <= 0)
    second = (y2 > 0) & (b * y2 + 1 <= 0)
    three = both & first & second
    p = three.mean()
    return p, np.sqrt(p * (1 - p) / n)


def wilson(k, n, confidence):
    z = norm.ppf(0.5 + confidence / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def exact_wilson_coverage(p, n, confidence):
    k = np.arange(n + 1)
    lo, hi = wilson(k, n, confidence)
    return float(np.sum(binom.pmf(k, n, p) * ((lo <= p) & (p <= hi))))


def test_brute_force_share_is_one_quarter_at_small_scale():
    """The reference against the closed form of docs/perturbation.md: at small scales the two boundary
    points exist iff e22 > e12 and e11 > e21, independent events of probability 1/2."""
    p, se = three_fixed_point_share(0.01)
    assert abs(p - 0.25) < 4 * se


@pytest.mark.parametrize("scale,confidence", [(0.5, 0.95), (1.0, 0.8)])
def test_perturb_wilson_intervals_cover_the_brute_force_share(scale, confidence):
    """400 perturb runs of 100 samples each (seeds 1000-1399). The true share (0.2282 at scale 0.5,
    0.1252 at 1.0; Monte Carlo error 4e-4, negligible against interval half-widths ~0.06) must be
    covered at the Wilson interval's own exact coverage for n = 100 (computed here from the binomial
    law: 0.958 and 0.775, within 0.03 of the nominal 0.95 and 0.8: the discreteness of k), within a
    99.9 % binomial band over the 400 runs (+-0.033 / +-0.068). Each interval must also equal the
    Wilson formula written here at its count to 1e-12. Measured on main 2c9dca5 with 300 runs:
    0.950 (scale 0.5, 0.95), 0.817 (scale 1.0, 0.8)."""
    R, n = 400, 100
    p, _ = three_fixed_point_share(scale)
    runs = _run_replications(f"""
        import json, rnndyn
        m = rnndyn.load_model({str(EXAMPLES / "line_attractor_bounded.json")!r})
        out = []
        for i in range({R}):
            r = rnndyn.perturb(m, scale={scale}, samples={n}, seed=1000 + i, keep=0, confidence={confidence})
            t = r.types.get("three_fixed_points")
            out.append([t.count, t.ci_low, t.ci_high] if t is not None else [0, None, None])
        print(json.dumps(out))
    """)
    hits = 0
    for count, lo, hi in runs:
        if lo is None:  # no sample of this type: rnndyn reports no entry; Wilson's interval is [0, z^2/(n+z^2)]
            lo, hi = wilson(0, n, confidence)
        else:
            np.testing.assert_allclose([lo, hi], wilson(count, n, confidence), rtol=0, atol=1e-12)
        hits += lo <= p <= hi
    expect = exact_wilson_coverage(p, n, confidence)
    assert abs(expect - confidence) < 0.03
    coverage = hits / R
    assert abs(coverage - expect) <= _binomial_band(expect, R), (coverage, expect)
    assert abs(coverage - confidence) <= _binomial_band(confidence, R) + abs(expect - confidence)
