// Trajectories: map iteration against hand iteration, the seed-002 E-I network's damped
// oscillation (tau_I = 30 ms) and limit cycle (tau_I = 50 ms), divergence detection, bad input.
#include <gtest/gtest.h>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;

namespace {

RateModel ei_network(double tau_I) {
  Matrix M(2, 2);
  M << 1.25, -1.0, 1.0, 0.0;
  Vector b(2), tau(2);
  b << 10.0, -10.0;
  tau << 10.0, tau_I;
  return RateModel(RateModel::Form::Rate, Activation::from_name("relu"), tau, M, b);
}

TEST(Simulate, MapIterationMatchesHandIteration) {
  std::mt19937 rng(31);
  Plrnn model(TimeKind::Map, 0.5 * Matrix::Identity(3, 3), rnndyn::testing::random_matrix(3, 3, rng, 0.3),
              Vector::Zero(3), rnndyn::testing::random_vector(3, rng));
  Vector x = rnndyn::testing::random_vector(3, rng);
  SimulateOptions o;
  o.t_end = 25;
  const Trajectory traj = simulate(model, x, o);
  ASSERT_EQ(traj.x.cols(), 26);
  for (int k = 0; k < 25; ++k) x = model.rhs(x);
  EXPECT_TRUE(rnndyn::testing::near(Vector(traj.x.col(25)), x, 0.0));
}

TEST(Simulate, EINetworkDampedOscillationVersusLimitCycle) {
  Vector start(2);
  start << 30.0, 10.0;
  const Vector fp = (Vector(2) << 80.0 / 3.0, 50.0 / 3.0).finished();
  SimulateOptions o;
  o.t_end = 3000.0;  // ms; the slowest decay at tau_I = 30 has time constant ~ 1/0.0083 ~ 120 ms
  o.dt = 1.0;
  const Trajectory damped = simulate(ei_network(30.0), start, o);
  EXPECT_LT((damped.x.col(damped.x.cols() - 1) - fp).norm(), 1e-3);
  const Trajectory cycle = simulate(ei_network(50.0), start, o);
  ASSERT_EQ(cycle.status, SimulateStatus::Ok);
  // Past the Hopf point the oscillation grows and is then curbed by rectification (seed 002):
  // over the last second v_E keeps a large, bounded swing around the unstable fixed point.
  const auto tail = cycle.x.row(0).tail(1000);
  EXPECT_GT(tail.maxCoeff() - tail.minCoeff(), 10.0);
  EXPECT_LT(tail.maxCoeff(), 1e3);
  EXPECT_GE(cycle.x.row(1).tail(1000).minCoeff(), -1e-9);  // the rectified I rate stays >= 0
}

TEST(Simulate, StopsOnDivergence) {
  LinearModel model(1.0, 3.0 * Matrix::Identity(1, 1), Vector::Zero(1));
  SimulateOptions o;
  o.t_end = 100.0;
  o.dt = 1.0;
  o.blowup = 1e6;
  const Trajectory traj = simulate(model, Vector::Ones(1), o);
  EXPECT_EQ(traj.status, SimulateStatus::DivergedToInfinity);
  EXPECT_LT(traj.t.back(), 10.0);  // e^{2t} passes 1e6 at t ~ 6.9
}

TEST(Simulate, RejectsBadOptions) {
  LinearModel model(1.0, Matrix::Zero(2, 2), Vector::Zero(2));
  SimulateOptions o;
  o.dt = -1;
  EXPECT_THROW(simulate(model, Vector::Zero(2), o), InputError);
  EXPECT_THROW(simulate(model, Vector::Zero(3)), InputError);
  Vector bad = Vector::Zero(2);
  bad(1) = std::nan("");
  EXPECT_THROW(simulate(model, bad), InputError);
}

}  // namespace
