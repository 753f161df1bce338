// Seed 002's eigen-mode solution against independent derivations: the steady state against a
// direct solve of (I - M) v = h, the closed form against numerical integration (Dormand-Prince),
// and the integrator mode against c_1(t) = c_1(0) + h.e_1 t / tau.
#include <gtest/gtest.h>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;
using rnndyn::testing::random_matrix;
using rnndyn::testing::random_vector;

namespace {

Matrix symmetric_with_spectrum(const Vector& lambda, std::mt19937& rng) {
  const Index n = lambda.size();
  Eigen::HouseholderQR<Matrix> qr(random_matrix(n, n, rng));
  const Matrix Q = qr.householderQ();
  return Q * lambda.asDiagonal() * Q.transpose();
}

TEST(LinearNetwork, SteadyStateAndAmplificationOfSymmetricNetwork) {
  std::mt19937 rng(21);
  for (Index n : {2, 10, 50}) {
    Vector lambda = Vector::LinSpaced(n, -2.0, 0.95);
    const Matrix M = symmetric_with_spectrum(lambda, rng);
    const Vector h = random_vector(n, rng);
    const LinearModel model(10.0, M, h);
    const LinearNetworkAnalysis a = analyze_linear_network(model);
    EXPECT_TRUE(a.symmetric);
    EXPECT_EQ(a.verdict, LinearVerdict::Stable);
    const Vector direct = (Matrix::Identity(n, n) - M).partialPivLu().solve(h);
    EXPECT_TRUE(near(a.steady_state, direct, 1e-10, 1e-10)) << "n = " << n;
    // The mode closest to 1 amplifies by 1/(1 - 0.95) = 20.
    EXPECT_NEAR(a.modes[0].lambda.real(), 0.95, 1e-12);
    EXPECT_NEAR(a.modes[0].amplification.real(), 20.0, 1e-9);
    // Orthonormal basis: h~ is the plain projection h . e_i.
    EXPECT_NEAR(std::abs(a.modes[0].h_projection), std::abs(a.modes[0].e.dot(h.cast<Complex>())), 1e-10);
  }
}

TEST(LinearNetwork, ClosedFormMatchesIntegrationForGeneralM) {
  std::mt19937 rng(22);
  for (Index n : {2, 6, 20}) {
    // Non-symmetric with complex eigenvalues, all Re < 1 after the shift.
    Matrix M = random_matrix(n, n, rng, 0.8 / std::sqrt(static_cast<double>(n)));
    const LinearModel model(5.0, M, random_vector(n, rng));
    const Vector v0 = random_vector(n, rng);
    SimulateOptions o;
    o.t_end = 30.0;
    o.dt = 0.5;
    o.abs_tol = o.rel_tol = 1e-11;
    const Trajectory traj = simulate(model, v0, o);
    const Matrix closed = linear_closed_form(model, v0, traj.t);
    // Integration tolerance 1e-11 per step accumulates to well below 1e-7 over 60 samples.
    EXPECT_TRUE(near(closed, traj.x, 1e-7, 1e-7)) << "n = " << n;
    EXPECT_TRUE(near(Vector(closed.col(0)), v0, 1e-12, 1e-12));  // the t = 0 check the seed's typo fails
  }
}

TEST(LinearNetwork, IntegratorModeKeepsMemoryOfInput) {
  std::mt19937 rng(23);
  Vector lambda(4);
  lambda << 1.0, 0.5, -0.3, -1.0;
  const Matrix M = symmetric_with_spectrum(lambda, rng);
  const double tau = 20.0;
  const Vector h = random_vector(4, rng);
  const LinearModel model(tau, M, h);
  const LinearNetworkAnalysis a = analyze_linear_network(model);
  EXPECT_EQ(a.verdict, LinearVerdict::Integrator);
  EXPECT_EQ(a.modes[0].kind, ModeKind::Integrator);
  // c_1(t) = c_1(0) + (h . e_1) t / tau: a linear ramp along e_1.
  const Vector v0 = Vector::Zero(4);
  const std::vector<double> times{0.0, 10.0, 40.0};
  const Matrix v = linear_closed_form(model, v0, times);
  const Vector e1 = a.modes[0].e.real();
  const double he1 = h.dot(e1);
  for (size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(v.col(static_cast<Index>(k)).dot(e1), he1 * times[k] / tau, 1e-10);
  // And the integrator agrees with numerical integration.
  SimulateOptions o;
  o.t_end = 40.0;
  o.dt = 10.0;
  o.abs_tol = o.rel_tol = 1e-12;
  const Trajectory traj = simulate(model, v0, o);
  EXPECT_TRUE(near(linear_closed_form(model, v0, traj.t), traj.x, 1e-8, 1e-8));
}

TEST(LinearNetwork, UnstableAndDefective) {
  Matrix M(2, 2);
  M << 1.5, 0.0, 0.0, 0.2;
  const LinearNetworkAnalysis a = analyze_linear_network(LinearModel(1.0, M, Vector::Ones(2)));
  EXPECT_EQ(a.verdict, LinearVerdict::Unstable);
  EXPECT_EQ(a.steady_state.size(), 0);
  Matrix jordan(2, 2);
  jordan << 0.5, 1.0, 0.0, 0.5;  // defective: one eigenvector for a double eigenvalue
  EXPECT_THROW(linear_closed_form(LinearModel(1.0, jordan, Vector::Ones(2)), Vector::Zero(2), {1.0}), InputError);
}

}  // namespace
