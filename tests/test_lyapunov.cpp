// Lyapunov spectra against known answers: linear flows (real parts of the eigenvalues), linear
// maps (log moduli), the seed-000 line attractor (exponents 0 and -2), the E-I limit cycle (one
// exponent 0), and rk4 against dopri5 on a chaotic tanh network (same spectrum).
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

LyapunovOptions from(const Vector& x0, LyapunovOptions o) {
  o.x0 = x0;
  return o;
}

TEST(Lyapunov, LinearFlowGivesRealPartsOfEigenvalues) {
  // dx/dt = -x + W x, J = W - I with eigenvalues -0.1 +- i and -0.5 (block triangular).
  Matrix W(3, 3);
  W << 0.9, 1.0, 0.3, -1.0, 0.9, 0.2, 0.0, 0.0, 0.5;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Linear), Vector::Ones(3), W, Vector::Zero(3));
  for (auto integrator : {LyapunovIntegrator::Dopri5, LyapunovIntegrator::Rk4}) {
    LyapunovOptions o;
    o.t_total = 2000;
    o.warmup = 0;
    o.integrator = integrator;
    const LyapunovSpectrum s = lyapunov_spectrum(model, from(Vector::Ones(3), o));
    // Finite-time error O(log cond(V) / T) ~ 1e-3 at T = 2000.
    EXPECT_TRUE(near(s.exponents, Eigen::Vector3d(-0.1, -0.1, -0.5), 5e-3)) << to_string(integrator);
    // The sum is exact (log det of the propagator = T tr J) up to integration error.
    EXPECT_TRUE(near(s.exponents.sum(), -0.7, 1e-6));
    for (Index j = 0; j < 3; ++j) {
      EXPECT_LE(s.ci_low(j), s.exponents(j) + 1e-12);
      EXPECT_GE(s.ci_high(j), s.exponents(j) - 1e-12);
    }
  }
}

TEST(Lyapunov, LinearMapGivesLogModuli) {
  for (Index n : {2, 5}) {
    std::mt19937 rng(static_cast<unsigned>(n));
    Matrix A = rnndyn::testing::random_matrix(n, n, rng, 0.4);
    Plrnn model(TimeKind::Map, A, Matrix::Zero(n, n), Vector::Zero(n), Vector::Zero(n));
    LyapunovOptions o;
    o.t_total = 20000;
    o.warmup = 0;
    const LyapunovSpectrum s = lyapunov_spectrum(model, from(Vector::Ones(n), o));
    Eigen::VectorXd expected = A.eigenvalues().cwiseAbs().array().log();
    std::sort(expected.data(), expected.data() + n, std::greater<double>());
    // Equal moduli of a complex pair are split only by O(1/T) terms; 5e-3 covers cond(V) at T = 2e4.
    EXPECT_TRUE(near(s.exponents, expected, 5e-3)) << "n = " << n;
    EXPECT_TRUE(near(s.exponents.sum(), std::log(std::abs(A.determinant())), 1e-9));
  }
}

TEST(Lyapunov, LineAttractorHasOneZeroExponent) {
  // Seed 000 eq. 1: dx/dt = -x + relu(W x), W = [[0, 1], [1, 0]]; on the line x1 = x2 > 0 the
  // Jacobian W - I has eigenvalues 0 (along the line) and -2. The transient onto the line adds
  // O(1)/T to the estimates, so the error must shrink like 1/T.
  Matrix W(2, 2);
  W << 0, 1, 1, 0;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Zero(2));
  double previous_error = INFINITY;
  for (double T : {100.0, 1000.0}) {
    LyapunovOptions o;
    o.t_total = T;
    o.warmup = 0;
    const LyapunovSpectrum s = lyapunov_spectrum(model, from(Eigen::Vector2d(1.0, 0.4), o));
    EXPECT_LT(std::abs(s.exponents(0)), 2.0 / T) << "T = " << T;
    EXPECT_TRUE(near(s.exponents(1), -2.0, 2.0 / T)) << "T = " << T;
    const double error = std::abs(s.exponents(0));
    EXPECT_LT(error, previous_error);
    previous_error = error;
  }
}

TEST(Lyapunov, EILimitCycleHasAZeroExponent) {
  Matrix M(2, 2);
  M << 1.25, -1.0, 1.0, 0.0;
  RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), Eigen::Vector2d(10, 50), M,
                  Eigen::Vector2d(10, -10));
  LyapunovOptions o;
  o.warmup = 2000;
  o.t_total = 20000;
  o.interval = 10;
  const LyapunovSpectrum s = lyapunov_spectrum(model, from(Eigen::Vector2d(30, 10), o));
  // Bounded phase error along the cycle: |lambda_1| <~ log(max/min speed) / T ~ 1e-4.
  EXPECT_LT(std::abs(s.exponents(0)), 1e-3);
  EXPECT_LT(s.exponents(1), -1e-3);
  EXPECT_LE(s.ci_low(0), s.ci_high(0));
}

TEST(Lyapunov, Rk4AndDopri5AgreeOnChaoticTanhNetwork) {
  // dx/dt = -x + g W tanh(x), W_ij ~ N(0, 1/N), g = 3: chaotic for large N (Sompolinsky et al.).
  const Index n = 40;
  std::mt19937 rng(5);
  const Matrix W = rnndyn::testing::random_matrix(n, n, rng, 1.0 / std::sqrt(double(n)));
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n), W, Vector::Zero(n), {},
                  {}, 3.0);
  LyapunovOptions o;
  o.k = 3;
  o.warmup = 50;
  o.t_total = 200;
  o.blocks = 5;
  const Vector x0 = rnndyn::testing::random_vector(n, rng);
  const LyapunovSpectrum a = lyapunov_spectrum(model, from(x0, o));
  o.integrator = LyapunovIntegrator::Rk4;
  o.dt = 0.02;
  const LyapunovSpectrum b = lyapunov_spectrum(model, from(x0, o));
  EXPECT_GT(a.exponents(0), 0.0);  // chaos
  // Both follow the same trajectory up to integration error over a finite horizon; chaos
  // amplifies the difference, but the exponents are averages: agree to 0.05.
  EXPECT_TRUE(near(a.exponents, b.exponents, 0.05));
}

// Progress through the warmup and the measurement (share non-decreasing, last report 1); a
// callback returning false or a stop request ends the run with Interrupted.
TEST(Lyapunov, ReportsProgressAndStopsOnRequest) {
  Matrix W(2, 2);
  W << 0.5, 0.0, 0.0, 0.5;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Linear), Vector::Ones(2), W, Vector::Zero(2));
  LyapunovOptions o;
  o.t_total = 50;
  o.warmup = 5;
  std::vector<Progress> reports;
  o.progress = [&](const Progress& p) {
    reports.push_back(p);
    return true;
  };
  const LyapunovSpectrum s = lyapunov_spectrum(model, from(Vector::Ones(2), o));
  EXPECT_TRUE(near(s.exponents, Eigen::Vector2d(-0.5, -0.5), 1e-6));  // J = W - I = -I/2
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().stage, "lyapunov");
  EXPECT_EQ(reports.back().fraction, 1.0);
  for (std::size_t i = 1; i < reports.size(); ++i) {
    if (reports[i].stage == reports[i - 1].stage) {
      EXPECT_GE(reports[i].fraction, reports[i - 1].fraction);
    }
  }
  o.progress = [](const Progress&) { return false; };
  EXPECT_THROW(lyapunov_spectrum(model, from(Vector::Ones(2), o)), Interrupted);
  o.progress = nullptr;
  request_stop();
  EXPECT_THROW(lyapunov_spectrum(model, from(Vector::Ones(2), o)), Interrupted);
  clear_stop_request();
}

TEST(Lyapunov, BadInputNamesTheField) {
  Plrnn model(TimeKind::Map, Matrix::Identity(2, 2) * 0.5, Matrix::Zero(2, 2), Vector::Zero(2), Vector::Zero(2));
  LyapunovOptions o;
  o.k = 3;
  EXPECT_THROW(lyapunov_spectrum(model, from(Vector::Zero(2), o)), InputError);
  o.k = 0;
  EXPECT_THROW(lyapunov_spectrum(model, from(Vector::Zero(3), o)), InputError);
  o.interval = 0;
  try {
    lyapunov_spectrum(model, from(Vector::Zero(2), o));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "interval");
  }
}

}  // namespace
