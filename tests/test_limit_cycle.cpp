// Limit cycle of the seed-002 E-I network at tau_I = 50 ms: the orbit closes after one period,
// one Floquet multiplier is 1, and the product of the multipliers equals exp(int_0^T tr DF dt)
// (Liouville), computed independently from a sampled orbit. At tau_I = 30 ms the oscillation is
// damped and no cycle is reported.
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/dynamics/tangent.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

RateModel ei_network(double tau_I) {
  Matrix M(2, 2);
  M << 1.25, -1.0, 1.0, 0.0;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Eigen::Vector2d(10, tau_I), M,
                   Eigen::Vector2d(10, -10));
}

LimitCycleOptions from(const Vector& x0, LimitCycleOptions o = {}) {
  o.x0 = x0;
  return o;
}

TEST(LimitCycle, EINetworkAtTauI50) {
  const RateModel model = ei_network(50);
  const LimitCycle c = find_limit_cycle(model, from(Eigen::Vector2d(30, 10)));
  ASSERT_EQ(c.status, LimitCycleStatus::Found);
  EXPECT_GT(c.period, 0);
  // Above the Hopf point the linear frequency sqrt(det J) = sqrt(0.075 / 50) sets the scale of
  // the period; the relu clipping makes the cycle slower, never faster than a factor ~ 2.
  const double T_lin = 2 * M_PI / std::sqrt(0.075 / 50);
  EXPECT_GT(c.period, 0.5 * T_lin);
  EXPECT_LT(c.period, 3 * T_lin);
  // The orbit closes: x(T) = x(0) up to integration error (tolerances 1e-11).
  SimulateOptions so;
  so.t_end = c.period;
  so.dt = c.period;
  so.abs_tol = so.rel_tol = 1e-12;
  const Trajectory orbit = simulate(model, c.section_point, so);
  EXPECT_TRUE(near(Vector(orbit.x.col(orbit.x.cols() - 1)), c.section_point, 1e-6, 1e-7));
  // Floquet: one multiplier is 1 (flow direction), the other inside the unit circle (stable cycle).
  ASSERT_EQ(c.floquet_multipliers.size(), 2);
  EXPECT_LT(c.trivial_multiplier_error, 1e-5);
  EXPECT_LT(std::abs(c.floquet_multipliers(1)), 1.0);
  // Liouville: det Phi(T) = exp(int tr DF dt); trapezoid on 20000 samples (error ~1e-6 relative,
  // larger near kinks, so 1e-3).
  SimulateOptions fine = so;
  fine.dt = c.period / 20000;
  const Trajectory tr = simulate(model, c.section_point, fine);
  double integral = 0;
  for (Index i = 0; i + 1 < tr.x.cols(); ++i) {
    const double a = model.jacobian(tr.x.col(i)).trace(), b = model.jacobian(tr.x.col(i + 1)).trace();
    integral += 0.5 * (a + b) * (tr.t[static_cast<size_t>(i + 1)] - tr.t[static_cast<size_t>(i)]);
  }
  EXPECT_TRUE(near(c.monodromy.determinant(), std::exp(integral), 0.0, 1e-3));
  // The amplitude is the half range of the orbit and E spans it.
  EXPECT_TRUE(near(c.amplitude, Vector((c.x_max - c.x_min) / 2), 1e-12));
  EXPECT_GT(c.amplitude(0), 1.0);
}

// Below the Hopf point the focus is stable: lambda = mu +- i omega with mu = (0.025 - 1/30) / 2,
// omega^2 = det - mu^2, det = 0.075 / 30. Near the fixed point (both units active, linear) the
// range shrinks by exp(2 pi mu / omega) per period of 2 pi / omega.
TEST(LimitCycle, DampedOscillationAtTauI30) {
  const double mu = (0.025 - 1.0 / 30) / 2, omega = std::sqrt(0.075 / 30 - mu * mu);
  const LimitCycle c = find_limit_cycle(ei_network(30), from(Eigen::Vector2d(30, 10)));
  EXPECT_EQ(to_string(c.status), "damped_oscillation") << c.crossings << " " << c.period_change;
  // The maxima are located on a shrinking oscillation (amplitude ~1e-3 after the transient), so
  // the absolute integration error 1e-11 becomes ~1e-6 relative in the times and the ratios.
  EXPECT_TRUE(near(c.period, 2 * M_PI / omega, 0.0, 1e-5));
  EXPECT_TRUE(near(c.decay_per_period, std::exp(2 * M_PI * mu / omega), 1e-4));
  // With a long transient the orbit has settled: the fixed point (80/3, 50/3).
  LimitCycleOptions o;
  o.transient = 10000;
  const LimitCycle settled = find_limit_cycle(ei_network(30), from(Eigen::Vector2d(30, 10), o));
  EXPECT_EQ(settled.status, LimitCycleStatus::FixedPoint);
  EXPECT_TRUE(near(settled.section_point, Eigen::Vector2d(80.0 / 3, 50.0 / 3), 1e-5));
}

TEST(LimitCycle, MonodromyOfLinearFlowIsMatrixExponential) {
  // dx/dt = (M - I) x with M - I = [[-0.1, 1], [-1, -0.1]]: Phi(T) = e^{-0.1 T} R(T).
  Matrix A(2, 2);
  A << 0.0, 0.0, 0.0, 0.0;
  Matrix W(2, 2);
  W << 0.9, 1.0, -1.0, 0.9;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Linear), Eigen::Vector2d(1, 1), W,
                  Eigen::Vector2d(0, 0));
  const double T = 2.5;
  TangentOptions to;
  to.abs_tol = to.rel_tol = 1e-11;
  const Matrix Phi = fundamental_matrix(model, Eigen::Vector2d(1, 0), T, to);
  Matrix expected(2, 2);
  expected << std::cos(T), std::sin(T), -std::sin(T), std::cos(T);
  expected *= std::exp(-0.1 * T);
  EXPECT_TRUE(near(Phi, expected, 1e-9));
}

TEST(LimitCycle, BadInput) {
  Plrnn map(TimeKind::Map, Matrix::Identity(1, 1) * 0.5, Matrix::Zero(1, 1), Vector::Zero(1), Vector::Ones(1));
  EXPECT_THROW(find_limit_cycle(map, from(Vector::Zero(1))), InputError);
  EXPECT_THROW(find_limit_cycle(ei_network(50), from(Vector::Zero(3))), InputError);
  LimitCycleOptions o;
  o.window = 0;
  EXPECT_THROW(find_limit_cycle(ei_network(50), from(Vector::Zero(2), o)), InputError);
}

}  // namespace
