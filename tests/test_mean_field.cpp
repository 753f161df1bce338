// Mean-field theory of trained reservoirs (seed 003): quadrature, closed forms, the eq. 14 / eq. 15
// identity, the stability claims for tanh and threshold ReLU, and the M > 1 pole formula.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/reservoir/mean_field.hpp"
#include "rnndyn/reservoir/nyquist.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::near;

MeanFieldOptions options(double g, std::vector<double> targets, Activation act = Activation(ActivationKind::Tanh)) {
  MeanFieldOptions o;
  o.g = g;
  o.targets = std::move(targets);
  o.activation = act;
  return o;
}

TEST(MeanFieldQuadrature, RulesIntegratePolynomialsExactly) {
  Vector y, wy;
  for (int n : {4, 20, 96}) {
    gauss_hermite_probabilists(n, y, wy);
    // E y^0 = 1, E y^2 = 1, E y^4 = 3 for y ~ N(0, 1); exact for rules with n >= 3 (degree 2n-1).
    EXPECT_TRUE(near(wy.sum(), 1.0, 1e-13));
    EXPECT_TRUE(near((wy.array() * y.array().square()).sum(), 1.0, 1e-12));
    EXPECT_TRUE(near((wy.array() * y.array().pow(4)).sum(), 3.0, 1e-11));
    gauss_legendre_mean(n, y, wy);
    // Uniform on [-1, 1]: E w^2 = 1/3, E w^4 = 1/5.
    EXPECT_TRUE(near(wy.sum(), 1.0, 1e-13));
    EXPECT_TRUE(near((wy.array() * y.array().square()).sum(), 1.0 / 3.0, 1e-13));
    EXPECT_TRUE(near((wy.array() * y.array().pow(4)).sum(), 0.2, 1e-13));
  }
}

TEST(MeanFieldQuadrature, ConvergesWithOrder) {
  // Smooth tanh: tanh has poles at +-i pi/2, so Gauss-Hermite converges like exp(-c sqrt(n)):
  // the error against order 240 must fall with the order and be below 1e-7 at the default 64
  // (measured ~1e-8 at g = 1.5, where sigma ~ 1 is widest).
  for (double g : {0.5, 1.5}) {
    auto ref_o = options(g, {1.0});
    ref_o.hermite_order = 240;
    ref_o.feedback_order = 64;
    const auto ref = solve_mean_field(ref_o).targets[0];
    double prev = 1e9;
    for (int q : {8, 16, 32, 64}) {
      auto o = options(g, {1.0});
      o.hermite_order = q;
      o.feedback_order = 64;
      const auto t = solve_mean_field(o).targets[0];
      const double err = std::abs(t.poles(0).real() - ref.poles(0).real()) + std::abs(t.sigma2 - ref.sigma2);
      if (err > 1e-12) {  // until round-off
        EXPECT_LT(err, prev) << "g=" << g << " order " << q;
      }
      prev = err;
    }
    EXPECT_LT(prev, 1e-7) << "g=" << g;
  }
  // Threshold ReLU has a kink, so Gauss-Hermite converges only algebraically. Reference: the
  // y-integrals in closed form, E(m + s y)_+ = m Phi(m/s) + s phi(m/s) and
  // E(m + s y)_+^2 = (m^2 + s^2) Phi(m/s) + m s phi(m/s) (m = w A - theta), w by 200-point
  // Gauss-Legendre (smooth in w); then eq. 8 by iteration and lambda_out by eq. 15, which for
  // phi = (x - theta)_+ reads lambda_out = theta g^2 sigma^-2 E(x - theta)_+.
  const double g = 1.1, A = 1.0, theta = 0.1;
  Vector w, ww;
  gauss_legendre_mean(200, w, ww);
  auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  auto pdf = [](double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI); };
  double s2 = 1.0;
  for (int it = 0; it < 5000; ++it) {
    double e2 = 0;
    for (Index i = 0; i < w.size(); ++i) {
      const double m = w(i) * A - theta, s = std::sqrt(s2);
      e2 += ww(i) * ((m * m + s2) * Phi(m / s) + m * s * pdf(m / s));
    }
    s2 = g * g * e2;
  }
  double e1 = 0;
  for (Index i = 0; i < w.size(); ++i) {
    const double m = w(i) * A - theta, s = std::sqrt(s2);
    e1 += ww(i) * (m * Phi(m / s) + s * pdf(m / s));
  }
  const double ref = theta * g * g / s2 * e1;
  const Activation relu(ActivationKind::Relu, theta);
  for (int q : {16, 64, 200}) {
    auto o = options(g, {A}, relu);
    o.hermite_order = q;
    o.feedback_order = 200;
    const auto t = solve_mean_field(o).targets[0];
    // Measured errors ~1e-6 at every order; 1e-4 bounds them with room and would catch a
    // wrong integrand (errors of order 1e-1).
    EXPECT_LT(std::abs(t.sigma2 - s2), 1e-4) << "order " << q;
    EXPECT_LT(std::abs(t.poles(0).real() - ref), 1e-4) << "order " << q;
  }
}

TEST(MeanFieldSingleTarget, LinearActivationHasClosedForm) {
  // phi(x) = x: sigma^2 = g^2 A^2 <w^2> / (1 - g^2), beta_0 = (1 - g^2)/A, beta_1 = g^2, so
  // lambda_out = 0 exactly (a linear reservoir trained to one level has a line attractor).
  for (double g : {0.3, 0.7}) {
    for (double A : {0.5, 2.0}) {
      const auto r = solve_mean_field(options(g, {A}, Activation(ActivationKind::Linear)));
      const auto& t = r.targets[0];
      EXPECT_TRUE(near(t.sigma2, g * g * A * A / 3.0 / (1 - g * g), 1e-12, 1e-12));
      EXPECT_TRUE(near(t.beta0, (1 - g * g) / A, 1e-12, 1e-10));
      EXPECT_TRUE(near(t.beta1, g * g, 1e-12, 1e-10));
      EXPECT_TRUE(near(t.poles(0).real(), 0.0, 1e-10));
    }
  }
}

TEST(MeanFieldSingleTarget, Beta1MatchesSteinIdentity) {
  // Gaussian integration by parts: beta_1 = g^2 sigma^-1 <phi phi' y> = g^2 <phi'^2 + phi phi''>,
  // computed here independently with Boost-free brute-force quadrature of the right side.
  for (double g : {0.5, 1.0, 1.5}) {
    const auto r = solve_mean_field(options(g, {1.0}));
    const auto& t = r.targets[0];
    Vector y, wy, w, ww;
    gauss_hermite_probabilists(120, y, wy);
    gauss_legendre_mean(60, w, ww);
    const Activation act(ActivationKind::Tanh);
    double s = 0.0;
    for (Index i = 0; i < w.size(); ++i)
      for (Index j = 0; j < y.size(); ++j) {
        const double x = w(i) * 1.0 + std::sqrt(t.sigma2) * y(j);
        s += ww(i) * wy(j) * (std::pow(act.derivative(x), 2) + act.value(x) * act.second_derivative(x));
      }
    // Both sides carry the default-order quadrature error (~1e-8 at g = 1.5, see above).
    EXPECT_TRUE(near(t.beta1, g * g * s, 1e-7, 1e-7)) << "g = " << g;
    // eq. 13 at omega = 0 is A beta_0 / (1 - beta_1).
    EXPECT_TRUE(near(std::abs(t.open_loop_gain(0.0) - t.beta0 / (1 - t.beta1)), 0.0, 1e-12));
  }
}

TEST(MeanFieldSingleTarget, Eq15EqualsEq14AndSignClaimsHoldOnGrid) {
  // eq. 14: lambda_out = -(1 - A beta_0 - beta_1); eq. 15: -g^2 sigma^-2 <phi (phi - x phi')>.
  // tanh: integrand >= 0 (lambda < 0, stable); relu with threshold 0.1: phi (phi - x phi') =
  // -0.1 (x - 0.1)_+ <= 0 (lambda > 0, unstable). ReLU needs g < sqrt(2) for a finite sigma^2.
  const Activation relu(ActivationKind::Relu, 0.1);
  int checked = 0;
  for (double A : {0.2, 0.5, 1.0, 2.0, 4.0}) {
    for (double g : {0.2, 0.5, 0.9, 1.2, 1.5, 2.0, 3.0}) {
      const auto r = solve_mean_field(options(g, {A}));
      ASSERT_EQ(r.status, MeanFieldStatus::Converged);
      const auto& t = r.targets[0];
      EXPECT_TRUE(near(t.poles(0).real(), -(1 - A * t.beta0 - t.beta1), 1e-12));
      EXPECT_TRUE(near(t.poles(0).real(), t.lambda_out_eq15, 1e-10, 1e-9)) << "tanh g=" << g << " A=" << A;
      EXPECT_LT(t.poles(0).real(), 0.0) << "tanh g=" << g << " A=" << A;
      ++checked;
    }
    for (double g : {0.2, 0.5, 0.9, 1.1, 1.3}) {
      const auto r = solve_mean_field(options(g, {A}, relu));
      ASSERT_EQ(r.status, MeanFieldStatus::Converged) << "relu g=" << g << " A=" << A;
      const auto& t = r.targets[0];
      EXPECT_TRUE(near(t.poles(0).real(), t.lambda_out_eq15, 1e-10, 1e-9)) << "relu g=" << g << " A=" << A;
      EXPECT_GT(t.poles(0).real(), 0.0) << "relu g=" << g << " A=" << A;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 60);
}

TEST(MeanFieldSingleTarget, GaussianFeedbackMatchesLinearClosedForm) {
  // Gaussian w_FB with std 0.5: <w^2> = 0.25 in the linear closed form.
  auto o = options(0.6, {1.5}, Activation(ActivationKind::Linear));
  o.feedback = FeedbackDistribution::Gaussian;
  o.feedback_scale = 0.5;
  const auto r = solve_mean_field(o);
  EXPECT_TRUE(near(r.targets[0].sigma2, 0.36 * 2.25 * 0.25 / (1 - 0.36), 1e-12, 1e-12));
}

TEST(MeanFieldMultiTarget, PolesSolveGainEqualsOneAndNyquistAgrees) {
  // Each closed-loop pole s_j satisfies G_n^OL(s_j) = 1 (eq. 7's denominator), evaluated through
  // the independent (u I - P)^{-1} a form; the Nyquist count equals the number of poles with Re > 0.
  for (double g : {0.9, 1.0}) {
    const auto r = solve_mean_field(options(g, {0.5, 1.0, 1.5}));
    ASSERT_EQ(r.status, MeanFieldStatus::Converged);
    for (const auto& t : r.targets) {
      for (Index j = 0; j < t.poles.size(); ++j) {
        const Complex s = t.poles(j);
        const Index M = t.a.size();
        Eigen::MatrixXcd Mx = (1.0 + s) * Eigen::MatrixXcd::Identity(M, M) - t.P.cast<Complex>();
        const Complex G = t.k.cast<Complex>().dot(Mx.partialPivLu().solve(t.a.cast<Complex>()));
        EXPECT_LT(std::abs(G - 1.0), 1e-9) << "g=" << g << " A=" << t.A << " pole " << s;
      }
      int unstable = 0;
      for (Index j = 0; j < t.poles.size(); ++j) unstable += t.poles(j).real() > 0;
      const auto ny = nyquist_criterion([&t](double w) { return t.open_loop_gain(w); });
      EXPECT_EQ(ny.unstable_poles, unstable) << "g=" << g << " A=" << t.A;
      EXPECT_EQ(ny.stable, unstable == 0);
    }
  }
  // Fig. 1D (g = 1): oscillatory instability at A_1; Fig. 2 (g = 0.9): A_1 stable and resonant,
  // A_3 stable with real poles.
  const auto d = solve_mean_field(options(1.0, {0.5, 1.0, 1.5}));
  EXPECT_GT(d.targets[0].poles(0).real(), 0.0);
  EXPECT_GT(std::abs(d.targets[0].poles(0).imag()), 0.1);
  const auto f2 = solve_mean_field(options(0.9, {0.5, 1.0, 1.5}));
  EXPECT_TRUE(f2.targets[0].stable);
  EXPECT_GT(std::abs(f2.targets[0].poles(0).imag()), 0.1);
  EXPECT_TRUE(f2.targets[2].stable);
  EXPECT_LT(f2.targets[2].poles.imag().cwiseAbs().maxCoeff(), 1e-12);
}

TEST(MeanFieldMultiTarget, SingleTargetIsTheMEqualsOneCase) {
  // The matrix formulas with M = 1 reduce to eq. 13/14: pole = A beta_0 + beta_1 - 1.
  const auto r = solve_mean_field(options(1.2, {0.8}));
  const auto& t = r.targets[0];
  EXPECT_TRUE(near(t.P(0, 0), t.beta1, 1e-13));
  EXPECT_TRUE(near(r.k(0), 1.44 * 0.8 / t.sigma2, 1e-13, 1e-13));
  // Covariance entries are correlations of r_m: Cauchy-Schwarz and positive definiteness for M = 3.
  const auto m3 = solve_mean_field(options(1.2, {0.5, 1.0, 1.5}));
  Eigen::SelfAdjointEigenSolver<Matrix> es(m3.C);
  EXPECT_GT(es.eigenvalues().minCoeff(), 0.0);
}

TEST(MeanFieldFrontDoor, ReturnsTheNyquistVerdictAndEveryDerivedNumber) {
  // solve_mean_field alone gives a C++ caller the verdict: tanh (Fig. 1A) stable, threshold ReLU
  // (Fig. 1C) unstable with one pole in Re s > 0, and for M = 3 (Fig. 1D) the Nyquist count
  // equals the number of poles with Re s > 0 at every level.
  auto stable_o = options(1.5, {1.0});
  stable_o.omegas = {0.0, 0.5, 2.0};
  const auto stable = solve_mean_field(stable_o);
  const auto& t = stable.targets[0];
  EXPECT_TRUE(t.nyquist.stable);
  EXPECT_TRUE(t.nyquist.resolved);
  EXPECT_EQ(t.nyquist.unstable_poles, 0);
  EXPECT_EQ(t.lambda_out, t.poles(0).real());
  EXPECT_TRUE(near(t.tau_out, -1.0 / t.poles(0).real(), 1e-15, 1e-15));
  ASSERT_LT(t.rho, 1.0);
  EXPECT_TRUE(near(t.tau_net, 1.0 / (1.0 - t.rho), 1e-15, 1e-15));
  EXPECT_EQ(stable.omegas, stable_o.omegas);
  ASSERT_EQ(t.gain.size(), 3);
  for (Index i = 0; i < 3; ++i) EXPECT_EQ(t.gain(i), t.open_loop_gain(stable_o.omegas[static_cast<size_t>(i)]));
  EXPECT_EQ(stable.info.model, "reservoir");
  EXPECT_EQ(stable.options.g, 1.5);

  auto relu_o = options(1.1, {1.0}, Activation(ActivationKind::Relu, 0.1));
  relu_o.n_omega = 0;
  const auto relu = solve_mean_field(relu_o);
  EXPECT_FALSE(relu.targets[0].nyquist.stable);
  EXPECT_EQ(relu.targets[0].nyquist.unstable_poles, 1);
  EXPECT_GT(relu.targets[0].lambda_out, 0.0);
  EXPECT_EQ(relu.targets[0].gain.size(), 0);
  EXPECT_TRUE(relu.omegas.empty());

  const auto multi = solve_mean_field(options(1.0, {0.5, 1.0, 1.5}));
  EXPECT_EQ(multi.omegas.size(), 200u);  // the default grid: 0 and 199 log-spaced frequencies
  EXPECT_EQ(multi.omegas.front(), 0.0);
  EXPECT_DOUBLE_EQ(multi.omegas.back(), 10.0);
  for (const auto& lvl : multi.targets) {
    int unstable = 0;
    for (Index j = 0; j < lvl.poles.size(); ++j) unstable += lvl.poles(j).real() > 0;
    EXPECT_EQ(lvl.nyquist.unstable_poles, unstable) << "A = " << lvl.A;
    EXPECT_EQ(lvl.nyquist.stable, unstable == 0) << "A = " << lvl.A;
    EXPECT_TRUE(std::isnan(lvl.lambda_out));  // M > 1: no single output pole
  }
  EXPECT_FALSE(multi.targets[0].nyquist.stable);
  EXPECT_TRUE(multi.targets[2].nyquist.stable);
}

// relu: <phi(x)^2> = C/2 + O(sqrt C) for x ~ N(mu, C), so the variance map C -> g^2 <phi^2> has
// slope g^2/2 at large C: for g > sqrt(2) no finite variance exists and the result must say so
// (status diverged, a message, no levels) instead of reporting poles at 1e300. Below sqrt(2) the
// same activation converges.
TEST(MeanFieldSingleTarget, ReluVarianceDivergesAboveSqrtTwo) {
  for (double g : {1.5, 3.0}) {
    auto o = options(g, {1.0}, Activation(ActivationKind::Relu, 0.0));
    o.max_iter = 300;  // the verdict comes from the growth of the map, not from the iteration count
    const auto r = solve_mean_field(o);
    EXPECT_EQ(r.status, MeanFieldStatus::Diverged) << "g = " << g << ": " << to_string(r.status);
    EXPECT_NE(r.message.find("sqrt(2)"), std::string::npos) << r.message;
    EXPECT_TRUE(r.targets.empty());
  }
  const auto ok = solve_mean_field(options(1.3, {1.0}, Activation(ActivationKind::Relu, 0.0)));
  EXPECT_EQ(ok.status, MeanFieldStatus::Converged) << ok.message;
  EXPECT_TRUE(ok.message.empty());
  ASSERT_EQ(ok.targets.size(), 1u);
  EXPECT_TRUE(std::isfinite(ok.targets[0].sigma2));
  EXPECT_LT(ok.targets[0].sigma2, 1e3);
}

TEST(MeanFieldOptionsTest, RejectsBadInput) {
  auto o = options(1.0, {});
  EXPECT_THROW(solve_mean_field(o), InputError);
  o = options(-1.0, {1.0});
  EXPECT_THROW(solve_mean_field(o), InputError);
  o = options(1.0, {1.0, 1.0});
  EXPECT_THROW(solve_mean_field(o), InputError);
  o = options(1.0, {1.0});
  o.hermite_order = 2;
  EXPECT_THROW(solve_mean_field(o), InputError);
  EXPECT_THROW(feedback_distribution_from_name("cauchy"), InputError);
  o = options(1.0, {1.0});
  o.n_omega = -1;
  try {
    solve_mean_field(o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "n_omega");
  }
  o = options(1.0, {1.0});
  o.omegas = {1.0, -2.0};
  EXPECT_THROW(solve_mean_field(o), InputError);
}

// The Nyquist verdict against closed-form rational gains (issue 20, item 2), whose closed-loop poles,
// the zeros of 1 - G(s), are known exactly: G = k / (s + 1) has one at s = k - 1; G = k / (s - a)
// (one open-loop pole in Re s > 0, P = 1) has one at s = a + k; G = k / (s + 1)^3 has three at
// s = -1 + (k)^(1/3), the cube roots of k. Z = N_cw + P must count the right half-plane ones.
TEST(Nyquist, CountsTheClosedLoopPolesOfRationalGainsInClosedForm) {
  struct Case {
    const char* name;
    std::function<Complex(Complex)> G;
    int P, Z, N_cw;
  };
  const std::vector<Case> cases = {
      {"k/(s+1), k = 0.5: pole at -0.5", [](Complex s) { return 0.5 / (s + 1.0); }, 0, 0, 0},
      {"k/(s+1), k = 3: pole at +2", [](Complex s) { return 3.0 / (s + 1.0); }, 0, 1, 1},
      // Open-loop unstable: the feedback stabilises (k = -2: pole at -1) by one counterclockwise turn.
      {"k/(s-1), k = -2: pole at -1", [](Complex s) { return -2.0 / (s - 1.0); }, 1, 0, -1},
      {"k/(s-1), k = -0.5: pole at +0.5", [](Complex s) { return -0.5 / (s - 1.0); }, 1, 1, 0},
      // (s + 1)^3 = -27: s = 0.5 +- 2.598i (two in Re s > 0) and s = -4.
      {"-27/(s+1)^3", [](Complex s) { return -27.0 / ((s + 1.0) * (s + 1.0) * (s + 1.0)); }, 0, 2, 2},
      // (s + 1)^3 = 0.5: all three roots have Re s = -1 + 0.794 cos(2 pi j / 3) < 0.
      {"0.5/(s+1)^3", [](Complex s) { return 0.5 / ((s + 1.0) * (s + 1.0) * (s + 1.0)); }, 0, 0, 0},
  };
  for (const Case& c : cases) {
    const NyquistResult r = nyquist_criterion([&c](double w) { return c.G(Complex(0.0, w)); }, c.P);
    EXPECT_TRUE(r.resolved) << c.name;
    EXPECT_EQ(r.encirclements, c.N_cw) << c.name;
    EXPECT_EQ(r.unstable_poles, c.Z) << c.name;
    EXPECT_EQ(r.stable, c.Z == 0) << c.name;
  }
}

}  // namespace
}  // namespace rnndyn
