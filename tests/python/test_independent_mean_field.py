"""Mean-field theory of trained reservoirs (seed 003) against references that share no code with
rnndyn (issue 20, item 2).

References, all written here with NumPy/SciPy:

* M = 1: sigma^2 (eq. 8), beta_0, beta_1 (eq. 11) and rho^2 = g^2 <phi'^2> by SciPy's adaptive
  QUADPACK quadrature (``scipy.integrate.quad``) over w_FB (uniform on [-s, s] or N(0, s^2)); inside,
  over y ~ N(0, 1), a 600-node Gauss-Legendre rule on [-12, 12] for tanh (checked against nested
  QUADPACK by a test below), and for ReLU closed forms
  (<(mu + s y)_+> = mu Phi + s phi, <(mu + s y)_+^2> = (mu^2 + s^2) Phi + mu s phi, <y (mu + s y)_+>
  = s Phi by Stein's lemma, <1{mu + s y > 0}> = Phi at mu / s). The self-consistency is solved by
  Brent's method. rnndyn uses Golub-Welsch Gauss-Hermite/Legendre rules and a secant iteration, so
  nothing is shared but the equations.
* M = 1 gain and pole: G_OL(omega) = A beta_0 / (1 - beta_1 + i omega) and lambda_out =
  A beta_0 + beta_1 - 1, derived below from the reference's own beta's.
* M = 3: the closed form derived in ``reference_multi``'s docstring,
  with its Gaussian expectations computed by a tensor Gauss-Hermite rule in the principal axes of
  each 2 x 2 covariance (NumPy's ``hermegauss``) and the trivariate terms removed by Stein's lemma
  (rnndyn conditions on two of the three Gaussians instead); its convergence is asserted.
* Finite networks (tests/python/_independent_reservoir.py, run in a separate process that does not
  import rnndyn): a reservoir drawn with NumPy, its open-loop fixed points by iteration, the
  least-squares readout, the closed-loop Jacobian and its outlier eigenvalues by ARPACK shift-invert
  (``scipy.sparse.linalg.eigs``), G_OL by dense complex solves.
* Nyquist: rnndyn evaluates the winding count only inside ``mean_field`` and ``reservoir`` (no entry
  point takes a user-given G(s)), so the verdict is checked against the number of closed-loop poles in
  Re s > 0 of the reference's own closed form (M = 1: first-order G; M = 3: three poles). No
  mean-field case with open-loop poles in Re s > 0 was found (for ReLU the reference gives
  beta_1 = rho^2 < 1 under fading memory; for tanh beta_1 = rho^2 + g^2 <phi phi''> < rho^2), so the
  open-loop-unstable branch (Z = N_cw + P with P > 0) is not reached by these tests.

Derivation (M = 1; seed eqs. 5-14 with the typos fixed). Open loop at target A:
x = W phi(x) + w A, x = w A + x^1, x^1 = W r ~ N(0, sigma^2) per neuron with
sigma^2 = <(W r)_i^2> = g^2 <phi^2(w A + sigma y)>. Perturbing the drive, u X = W R' X + w with
u = 1 + i omega. Write X = w / u + X^1, X^1 = W R' X / u = alpha x^1 + X_perp (X_perp uncorrelated
with, hence independent of, x^1). Correlating with x^1 and using <W a, W b> = g^2 <a, b>:
u alpha sigma^2 = g^2 <r, R' X> = g^2 (<phi phi' w> / u + alpha <phi phi' sigma y>). The readout
fitting w_out^T r = A is w_out = A r / (r^T r) = g^2 A r / (N sigma^2) (the seed's (r^T r)^{-2} is a
typo), so G_OL = w_out^T R' X = g^2 A <r, R' X> / sigma^2 = A u alpha. Dividing the correlation
by sigma^2: u alpha = beta_0 / u + beta_1 alpha with beta_0 = g^2 <phi phi' w> / sigma^2 and
beta_1 = g^2 <phi phi' sigma y> / sigma^2, so u alpha = beta_0 / (u - beta_1) and
G_OL = A beta_0 / (1 - beta_1 + i omega). Closing the loop (positive feedback,
G_CL = G / (1 - G)) the pole is G_OL = 1: u = beta_1 + A beta_0, i.e. s = A beta_0 + beta_1 - 1.
"""
import functools

import numpy as np
import pytest
from scipy import integrate, optimize
from scipy.linalg import eigh
from scipy.stats import norm

import rnndyn
from _independent_reservoir import run_isolated

SQ2PI = np.sqrt(2.0 * np.pi)
QUAD = dict(epsabs=1e-13, epsrel=1e-12, limit=400)


# ---------------------------------------------------------------------------------------------
# M = 1 reference by adaptive quadrature

def _expect_w(h, feedback, scale):
    if feedback == "uniform":
        return integrate.quad(h, -scale, scale, **QUAD)[0] / (2.0 * scale)
    # N(0, scale^2): |w| > 9 scale carries < 1e-18 of the mass.
    return integrate.quad(lambda w: h(w) * np.exp(-0.5 * (w / scale) ** 2) / (SQ2PI * scale),
                          -9.0 * scale, 9.0 * scale, **QUAD)[0]


def _tanh_moment(which, A, s, feedback, scale):
    t = np.tanh
    fun = {"phi2": lambda x, w, y: t(x) ** 2,
           "w": lambda x, w, y: t(x) * (1.0 - t(x) ** 2) * w,
           "y": lambda x, w, y: t(x) * (1.0 - t(x) ** 2) * y,
           "dphi2": lambda x, w, y: (1.0 - t(x) ** 2) ** 2}[which]

    def inner(w):
        return np.dot(_Y_WEIGHTS, fun(w * A + s * _Y_NODES, w, _Y_NODES))
    return _expect_w(inner, feedback, scale)


# Inner Gaussian integral of the tanh moments: a 600-node Gauss-Legendre rule on y in [-12, 12] times
# the normal density (tail mass beyond 12: 4e-33). The integrands are analytic with poles at distance
# pi / (2 sigma) >= 0.6 from the real y axis for sigma <= 2.6, so the rule is exact to round-off
# (checked against nested adaptive QUADPACK to 1e-13 for the cases below); it replaces the inner
# adaptive quadrature only to save time.
_Y_NODES, _Y_WEIGHTS = np.polynomial.legendre.leggauss(600)
_Y_NODES = 12.0 * _Y_NODES
_Y_WEIGHTS = 12.0 * _Y_WEIGHTS * np.exp(-0.5 * _Y_NODES ** 2) / SQ2PI


def _relu_moment(which, A, s, th, feedback, scale):
    def inner(w):
        mu = w * A - th
        P, p = norm.cdf(mu / s), norm.pdf(mu / s)
        return {"phi2": (mu * mu + s * s) * P + mu * s * p, "w": w * (mu * P + s * p), "y": s * P, "dphi2": P}[which]
    return _expect_w(inner, feedback, scale)


@functools.lru_cache(maxsize=None)
def reference_m1(g, A, act="tanh", th=0.0, feedback="uniform", scale=1.0):
    """sigma^2, beta_0, beta_1, rho of one target level by quadrature (see the module docstring)."""
    def mom(which, s):
        if act == "tanh":
            return _tanh_moment(which, A, s, feedback, scale)
        return _relu_moment(which, A, s, th, feedback, scale)
    s2 = optimize.brentq(lambda v: g * g * mom("phi2", np.sqrt(v)) - v, 1e-8, 60.0, xtol=1e-15, rtol=1e-14)
    s = np.sqrt(s2)
    return dict(sigma2=s2, beta0=g * g * mom("w", s) / s2, beta1=g * g * s * mom("y", s) / s2,
                rho=g * np.sqrt(mom("dphi2", s)))


def _rnndyn_m1(g, A, act="tanh", th=0.0, feedback="uniform", scale=1.0):
    activation = "tanh" if act == "tanh" else ("relu", th)
    mf = rnndyn.mean_field(g=g, targets=[A], activation=activation, feedback=feedback, feedback_scale=scale)
    assert mf.status.name == "converged"
    return mf


# Several levels A != 1 (a missing factor A cannot pass), both activations, both feedback laws.
# Tolerance 1e-6 relative: rnndyn documents quadrature errors of ~1e-8 (tanh, g <= 1.5) and ~1e-6
# (threshold ReLU) at its default orders; the reference is converged to ~1e-12 (QUADPACK
# tolerances above, the inner rule's check, Brent to 1e-14). The ReLU threshold-0 cases also have a
# closed form (test below). Measured on main 2c9dca5: tanh g 0.5 to 1e-14, g 1.5 to 6e-8, ReLU
# threshold 0 to 2e-14.
M1_CASES = [
    dict(g=0.5, A=0.5),
    dict(g=0.5, A=2.0),
    dict(g=1.5, A=3.0),
    dict(g=1.5, A=0.7, feedback="gaussian", scale=0.8),
    dict(g=1.2, A=2.0, act="relu", th=0.0, feedback="gaussian", scale=1.0),
    dict(g=0.9, A=0.6, act="relu", th=0.0),
]
M1_REL_TOL = 1e-6

# Cases where rnndyn's default quadrature misses the reference by far more than its documented
# error (measured on main 2c9dca5, rnndyn's value vs the reference, relative error):
#  * ReLU, threshold 0.1, g 1.1, A 0.5 (seed Fig. 1C's activation): sigma2 0.0501129297837 vs
#    0.0501136773865 (1.5e-5), beta0 1.5310920 vs 1.5305773 (3.4e-4), beta1 0.4874548 vs 0.4876907
#    (4.8e-4), rho 0.6989951 vs 0.6983485 (9.3e-4); raising hermite_order to 256 does not converge.
#  * ReLU, threshold 0.1, g 1.1, A 1.5: beta0 3.313156e-1 vs 3.314008e-1 (2.6e-4), rho 0.7532919 vs
#    0.7542404 (1.3e-3).
#  * ReLU, threshold -0.3, g 1.3, A 0.4: sigma2 8.3926957 vs 8.3690387 (2.8e-3; the brute-force
#    residual g^2 <phi^2> - sigma^2 at rnndyn's sigma^2 is -2.0e-3), beta0 0.01372777 vs 0.01457210
#    (5.8e-2), rho 0.9402027 vs 0.9563318 (1.7e-2).
#    The ReLU integrands have a kink (phi) or a jump (phi') in y, on which Gauss-Hermite converges
#    only algebraically; a split at the kink or the closed forms above would fix it.
#  * tanh, g 3, A 1: beta0 0.009834011 vs 0.009384558 (4.8e-2), beta1 0.1741249 vs 0.1746413
#    (3.0e-3); at g 5 (A 0.5) rho 1.505 vs 1.701. For sigma ~ 2.5-4.6 the peak of phi' ~ sech^2 is
#    narrower than the Gauss-Hermite node spacing; status is still "converged".
M1_KNOWN_BAD = [
    dict(g=1.1, A=0.5, act="relu", th=0.1),
    dict(g=1.1, A=1.5, act="relu", th=0.1),
    dict(g=1.3, A=0.4, act="relu", th=-0.3),
    dict(g=3.0, A=1.0),
]


def _check_m1(case):
    ref = reference_m1(**case)
    mf = _rnndyn_m1(**case)
    lvl = mf.levels[0]
    got = dict(sigma2=lvl.sigma2, beta0=lvl.beta0, beta1=lvl.beta1, rho=lvl.rho)
    for key in ref:
        assert got[key] == pytest.approx(ref[key], rel=M1_REL_TOL), (key, got[key], ref[key])
    # The closed forms derived in the module docstring, from the reference's beta's.
    A, b0, b1 = case["A"], ref["beta0"], ref["beta1"]
    lam = A * b0 + b1 - 1.0
    assert np.asarray(lvl.poles)[0] == pytest.approx(lam, rel=M1_REL_TOL, abs=1e-9)
    assert lvl.lambda_out == pytest.approx(lam, rel=M1_REL_TOL, abs=1e-9)
    omega = np.asarray(mf.omegas)
    assert omega.size >= 100 and omega.max() > 1.0
    expect = A * b0 / (1.0 - b1 + 1j * omega)
    np.testing.assert_allclose(np.asarray(lvl.gain), expect, rtol=M1_REL_TOL, atol=1e-10)
    # First-order G: the Nyquist curve is a circle through 0 and G(0); it encircles 1 exactly when
    # the closed-loop pole lam > 0 (P = 0 here since beta_1 < 1). Cases with |lam| < 1e-8 are
    # marginal and left out.
    assert b1 < 1.0 and lvl.nyquist.open_loop_unstable == 0
    if abs(lam) > 1e-8:
        assert lvl.nyquist.encirclements == (1 if lam > 0 else 0)
        assert lvl.nyquist.stable == (lam < 0)


@pytest.mark.parametrize("case", M1_CASES, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_m1_sigma_betas_gain_and_pole_against_quadrature(case):
    _check_m1(case)


@pytest.mark.xfail(strict=True, reason="rnndyn's default Gauss-Hermite quadrature misses sigma2/beta/rho by "
                   "1e-4..6e-2 for threshold ReLU and for tanh at g = 3 (numbers in M1_KNOWN_BAD's comment)")
@pytest.mark.parametrize("case", M1_KNOWN_BAD, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_m1_known_quadrature_misses(case):
    _check_m1(case)


def test_relu_threshold_zero_reference_is_the_closed_form():
    """The reference itself, on a case with a closed form: phi = relu, threshold 0, w ~ N(0, 1):
    x = w A + sigma y ~ N(0, A^2 + sigma^2), so sigma^2 = g^2 (A^2 + sigma^2) / 2, i.e.
    sigma^2 = g^2 A^2 / (2 - g^2); beta_1 = g^2 <1{x > 0}> = g^2 / 2 (Stein); beta_0 = g^2 <w x_+> /
    sigma^2 = g^2 A / (2 sigma^2)."""
    g, A = 1.2, 2.0
    ref = reference_m1(g, A, "relu", 0.0, "gaussian", 1.0)
    s2 = g * g * A * A / (2 - g * g)
    assert ref["sigma2"] == pytest.approx(s2, rel=1e-12)
    assert ref["beta1"] == pytest.approx(g * g / 2, rel=1e-12)
    assert ref["beta0"] == pytest.approx(g * g * A / (2 * s2), rel=1e-12)


def test_relu_reference_closed_forms_match_nested_quadrature_from_the_kink():
    """The reference's ReLU closed forms against nested adaptive quadrature whose inner integral starts
    at the kink y0 = (theta - w A) / sigma (so QUADPACK sees a smooth integrand), at the case where
    rnndyn misses most (threshold -0.3, g 1.3, A 0.4): the self-consistency residual
    g^2 <phi^2> - sigma^2 at the reference's sigma^2 is < 1e-11 (at rnndyn's sigma^2 8.3927 it is
    -2.0e-3), and <phi phi' w>, <1{x > theta}> agree to 1e-12."""
    g, A, th = 1.3, 0.4, -0.3
    ref = reference_m1(g, A, "relu", th)
    s = np.sqrt(ref["sigma2"])

    def nested(fun):
        def inner(w):
            y0 = (th - w * A) / s
            return integrate.quad(lambda y: fun(w * A + s * y - th, w) * np.exp(-0.5 * y * y) / SQ2PI, y0, np.inf,
                                  **QUAD)[0]
        return integrate.quad(inner, -1.0, 1.0, **QUAD)[0] / 2.0
    assert abs(g * g * nested(lambda v, w: v * v) - ref["sigma2"]) < 1e-11
    assert abs(nested(lambda v, w: v * w) - _relu_moment("w", A, s, th, "uniform", 1.0)) < 1e-12
    assert abs(nested(lambda v, w: 1.0) - _relu_moment("dphi2", A, s, th, "uniform", 1.0)) < 1e-12


def test_tanh_reference_inner_rule_matches_adaptive_quadrature():
    """The reference's inner 600-node rule against nested adaptive QUADPACK over y in (-inf, inf) at
    the widest case used (g 3: sigma = 2.53), for all four moments, to 1e-12."""
    s = np.sqrt(reference_m1(3.0, 1.0)["sigma2"])
    t = np.tanh
    funs = {"phi2": lambda x, w, y: t(x) ** 2, "w": lambda x, w, y: t(x) * (1.0 - t(x) ** 2) * w,
            "y": lambda x, w, y: t(x) * (1.0 - t(x) ** 2) * y, "dphi2": lambda x, w, y: (1.0 - t(x) ** 2) ** 2}
    for which, fun in funs.items():
        def inner(w, fun=fun):
            return integrate.quad(lambda y: fun(w + s * y, w, y) * np.exp(-0.5 * y * y) / SQ2PI, -np.inf, np.inf,
                                  **QUAD)[0]
        assert abs(_expect_w(inner, "uniform", 1.0) - _tanh_moment(which, 1.0, s, "uniform", 1.0)) < 1e-12, which


# ---------------------------------------------------------------------------------------------
# M = 3

class TanhGauss:
    """Expectations over w ~ U[-1, 1] (Gauss-Legendre) and a centred bivariate Gaussian with
    covariance S (Gauss-Hermite in the principal axes of S)."""

    def __init__(self, n_w, n_y):
        self.w, ww = np.polynomial.legendre.leggauss(n_w)
        self.ww = ww / 2.0
        z, wz = np.polynomial.hermite_e.hermegauss(n_y)
        wz = wz / SQ2PI
        self.z1, self.z2 = np.meshgrid(z, z, indexing="ij")
        self.wz = np.outer(wz, wz)

    def __call__(self, fun, Ak, An, S):
        lam, Q = eigh(S)
        lam = np.clip(lam, 0.0, None)
        a = np.sqrt(lam[0]) * self.z1
        b = np.sqrt(lam[1]) * self.z2
        xi_k = Q[0, 0] * a + Q[0, 1] * b
        xi_n = Q[1, 0] * a + Q[1, 1] * b
        total = 0.0
        for w, ww in zip(self.w, self.ww):
            total += ww * np.sum(self.wz * fun(w * Ak + xi_k, w * An + xi_n, w))
        return total


def _phi(x):
    return np.tanh(x)


def _dphi(x):
    return 1.0 - np.tanh(x) ** 2


def _ddphi(x):
    return -2.0 * np.tanh(x) * (1.0 - np.tanh(x) ** 2)


def reference_multi(g, targets, n_w=32, n_y=48):
    """C, k, and per level (a, P, poles). Derivation (seed eqs. 16-18, which the seed only states):

    x_m = w A_m + xi_m with xi_m = W r_m; per neuron (xi_1..xi_M) is Gaussian with covariance
    C_kn = <(W r_k)_i (W r_n)_i> = g^2 <phi(x_k) phi(x_n)> (self-consistent, diagonal = eq. 8).
    At level n, u X = W R'_n X + w (u = 1 + i omega); X = w / u + X^1 with X^1 = W R'_n X / u =
    sum_m alpha_m xi_m + X_perp, X_perp independent of every xi. Correlating with xi_k:
    u (C alpha)_k = g^2 <r_k, R'_n X> =: g^2 G_k, and G_k = a_k / u + (B alpha)_k with
    a_k = <phi(x_k) phi'(x_n) w>, B_km = <phi(x_k) phi'(x_n) xi_m>. By Stein's lemma for the
    Gaussian vector xi, B_km = C_mk <phi'(x_k) phi'(x_n)> + C_mn <phi(x_k) phi''(x_n)> (bivariate
    expectations only). Eliminating alpha = g^2 C^{-1} G / u: G = (u I - P)^{-1} a, P = g^2 B C^{-1}.
    Readout w_out = N^{-1} sum_m k_m r_m with w_out^T r_n = A_n: k^T C / g^2 = A^T, k = g^2 C^{-1} A.
    G_OL,n(u) = k^T (u I - P)^{-1} a; G_OL = 1 <=> det(u I - P - a k^T) = 0 (matrix determinant lemma),
    so the closed-loop poles are s = eig(P + a k^T) - 1 and the open-loop ones eig(P) - 1."""
    E = TanhGauss(n_w, n_y)
    A = np.asarray(targets, float)
    M = A.size
    C = np.zeros((M, M))
    for k in range(M):
        def diag_eq(v, k=k):
            return g * g * E(lambda xk, xn, w: _phi(xk) ** 2, A[k], A[k], np.array([[v, v], [v, v]])) - v
        C[k, k] = optimize.brentq(diag_eq, 1e-8, 20.0, xtol=1e-15, rtol=1e-14)
    for k in range(M):
        for n in range(k + 1, M):
            bound = np.sqrt(C[k, k] * C[n, n]) * (1 - 1e-9)

            def off_eq(c, k=k, n=n):
                S = np.array([[C[k, k], c], [c, C[n, n]]])
                return g * g * E(lambda xk, xn, w: _phi(xk) * _phi(xn), A[k], A[n], S) - c
            C[k, n] = C[n, k] = optimize.brentq(off_eq, -bound, bound, xtol=1e-15, rtol=1e-14)
    kvec = g * g * np.linalg.solve(C, A)
    levels = []
    for n in range(M):
        a = np.zeros(M)
        B = np.zeros((M, M))
        for k in range(M):
            S = np.array([[C[k, k], C[k, n]], [C[n, k], C[n, n]]])
            a[k] = E(lambda xk, xn, w: _phi(xk) * _dphi(xn) * w, A[k], A[n], S)
            d1 = E(lambda xk, xn, w: _dphi(xk) * _dphi(xn), A[k], A[n], S)
            d2 = E(lambda xk, xn, w: _phi(xk) * _ddphi(xn), A[k], A[n], S)
            B[k, :] = C[:, k] * d1 + C[:, n] * d2
        P = g * g * B @ np.linalg.inv(C)
        poles = np.linalg.eigvals(P + np.outer(a, kvec)) - 1.0
        levels.append(dict(a=a, P=P, poles=poles, open_poles=np.linalg.eigvals(P) - 1.0))
    return dict(C=C, k=kvec, levels=levels)


def _gain(level, kvec, omega):
    M = kvec.size
    return np.array([kvec @ np.linalg.solve((1.0 + 1j * w) * np.eye(M) - level["P"], level["a"]) for w in omega])


def _match_poles(got, ref):
    got = sorted(np.asarray(got, complex), key=lambda z: (round(z.real, 6), z.imag))
    ref = sorted(np.asarray(ref, complex), key=lambda z: (round(z.real, 6), z.imag))
    return np.max(np.abs(np.array(got) - np.array(ref)))


@functools.lru_cache(maxsize=None)
def _multi(g):
    return reference_multi(g, (0.5, 1.0, 1.5))


@pytest.mark.parametrize("g", [0.9, 1.0])
def test_m3_poles_gain_and_nyquist_against_the_derived_closed_form(g):
    """Seed Fig. 2 (g 0.9) and Fig. 1D (g 1.0), targets 0.5, 1, 1.5, tanh, w_FB ~ U[-1, 1]: C, k, the
    nine closed-loop poles, G_OL on rnndyn's frequency grid and the Nyquist verdict against the
    closed form derived in ``reference_multi``. Tolerances: the reference converges to < 1e-10
    (asserted below by doubling its orders); rnndyn's documented quadrature error is ~1e-8 for tanh at
    g <= 1.5; 1e-8 absolute on poles and gains (measured on main 2c9dca5: <= 4e-11, C to 6e-14) is
    that documented error and far below the differences between levels (> 0.05)."""
    ref = _multi(g)
    finer = reference_multi(g, (0.5, 1.0, 1.5), n_w=40, n_y=64)
    assert np.max(np.abs(finer["C"] - ref["C"])) < 1e-10
    assert max(_match_poles(f["poles"], r["poles"]) for f, r in zip(finer["levels"], ref["levels"])) < 1e-10

    mf = rnndyn.mean_field(g=g, targets=[0.5, 1.0, 1.5])
    assert mf.status.name == "converged"
    np.testing.assert_allclose(np.asarray(mf.C), ref["C"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.asarray(mf.k), ref["k"], rtol=1e-8)
    omega = np.asarray(mf.omegas)
    verdicts = []
    for lvl, r in zip(mf.levels, ref["levels"]):
        assert len(lvl.poles) == 3
        assert _match_poles(lvl.poles, r["poles"]) < 1e-8, (lvl.A, lvl.poles, r["poles"])
        np.testing.assert_allclose(np.asarray(lvl.gain), _gain(r, ref["k"], omega), rtol=0, atol=1e-8)
        # Nyquist: P = 0 (every open-loop pole has Re < 0 here), so Z = N_cw = the number of closed-loop
        # poles in Re s > 0, counted on the reference's own poles.
        assert np.all(r["open_poles"].real < 0)
        unstable = int(np.sum(r["poles"].real > 0))
        assert lvl.nyquist.open_loop_unstable == 0
        assert lvl.nyquist.encirclements == unstable
        assert lvl.nyquist.unstable_poles == unstable
        assert lvl.nyquist.stable == (unstable == 0)
        verdicts.append(unstable)
    # The seed's reading of both figures: a complex pair at A 0.5 (unstable at g 1.0 (Fig. 1D), stable
    # at g 0.9 (Fig. 2)), a real unstable pole at A 1.0, stable at A 1.5.
    lead = [max(r["poles"], key=lambda z: z.real) for r in ref["levels"]]
    assert abs(lead[0].imag) > 0.1 and abs(lead[1].imag) < 1e-9
    assert verdicts == ([0, 1, 0] if g == 0.9 else [2, 1, 0])


# ---------------------------------------------------------------------------------------------
# Finite networks

def test_m1_outlier_and_gain_of_finite_networks_approach_the_mean_field():
    """tanh, g 0.5, A 1.5, N 1000, seeds 1-3. The outlier (the closed-loop eigenvalue the feedback
    moves; here the one nearest 0, since the bulk is a disk of radius ~0.3 around -1) against rnndyn's
    lambda_out, and G_OL(i omega) against rnndyn's mean-field gain.

    Band: measured with this construction (tanh g 0.5 and ReLU g 1.1, seeds 1-4, N 500/1000/2000),
    |lambda_finite - lambda_MFT| * sqrt(N) <= 0.62 with no trend in N (an O(N^{-1/2}) sample
    fluctuation, no bias). The test allows 1.5 / sqrt(N) = 0.047 at N 1000 on each seed and
    0.6 / sqrt(N) = 0.019 on the mean of three seeds (mean of 3: sd / sqrt(3)). A missing factor A in
    lambda_out = A beta_0 + beta_1 - 1 would move it by 0.5 * beta_0 ~ 0.07 here."""
    g, A, N = 0.5, 1.5, 1000
    mf = rnndyn.mean_field(g=g, targets=[A], omegas=[0.0, 0.3, 1.0])
    lam_mft = mf.levels[0].lambda_out
    gain_mft = np.asarray(mf.levels[0].gain)
    errs = []
    for seed, (lam, gains) in zip((1, 2, 3), run_isolated("finite_networks", N, [1, 2, 3], g, A)):
        lam = lam[0]
        assert abs(lam.imag) < 1e-9
        assert abs(lam.real - lam_mft) < 1.5 / np.sqrt(N), (seed, lam, lam_mft)
        assert np.max(np.abs(gains - gain_mft)) < 1.5 / np.sqrt(N), (seed, gains, gain_mft)
        errs.append(lam.real - lam_mft)
    assert abs(np.mean(errs)) < 0.6 / np.sqrt(N), errs
    # And not trivially: lambda_out without the factor A would sit outside the band.
    lvl = mf.levels[0]
    assert abs((lvl.beta0 + lvl.beta1 - 1.0) - lam_mft) > 3 * 0.6 / np.sqrt(N)


def test_m3_leading_poles_of_finite_networks_approach_the_mean_field():
    """Seed Fig. 2 (g 0.9, targets 0.5, 1, 1.5), N 1000, seeds 1-3: the rightmost closed-loop eigenvalue
    at each level against rnndyn's mean-field pole of largest real part, compared as (Re, |Im|) (a
    complex pair's member is either conjugate). Band 1.5 / sqrt(N) = 0.047 as for M = 1; measured with
    this construction at N 1000: deviations <= 0.026 (Re) and 0.011 (|Im|), at N 1500 <= 0.016; the
    levels' poles differ by > 0.07, so a pole at the wrong level cannot pass."""
    g, targets, N = 0.9, (0.5, 1.0, 1.5), 1000
    mf = rnndyn.mean_field(g=g, targets=list(targets), n_omega=0)
    theory = np.array([max(np.asarray(lvl.poles), key=lambda z: z.real) for lvl in mf.levels])
    assert abs(theory[0].imag) > 0.15  # the resonant pair at A 0.5
    for seed, lead in zip((1, 2, 3), run_isolated("finite_networks_m3", N, [1, 2, 3], g, targets)):
        assert np.all(np.abs(lead.real - theory.real) < 1.5 / np.sqrt(N)), (seed, lead, theory)
        assert np.all(np.abs(np.abs(lead.imag) - np.abs(theory.imag)) < 1.5 / np.sqrt(N)), (seed, lead, theory)
