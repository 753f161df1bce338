// The shared tangent (x, Q) integrator against closed forms: for a linear flow dx/dt = A x,
// Q(t) = expm(A t) Q0 and x(t) = expm(A t) x0 (both steppers, K < dim and K = dim); for a linear
// map x' = A x, Q_t = A^t Q0; for a nonlinear flow, Phi(T) against central differences of the
// simulated flow map.
#include <gtest/gtest.h>

#include <unsupported/Eigen/MatrixFunctions>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/dynamics/tangent.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::near;

/// dx/dt = -x + W x (linear activation, tau = 1): A = W - I.
RateModel linear_flow(const Matrix& W) {
  const Index n = W.rows();
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Linear), Vector::Ones(n), W, Vector::Zero(n));
}

TEST(TangentIntegrator, LinearFlowIsMatrixExponential) {
  for (Index n : {2, 6}) {
    std::mt19937 rng(static_cast<unsigned>(10 + n));
    const Matrix W = rnndyn::testing::random_matrix(n, n, rng, 0.6);
    const Matrix A = W - Matrix::Identity(n, n);
    const RateModel model = linear_flow(W);
    const Vector x0 = rnndyn::testing::random_vector(n, rng);
    for (Index k : {Index(1), n}) {
      const Matrix Q0 = rnndyn::testing::random_matrix(n, k, rng);
      for (TangentStepper stepper : {TangentStepper::Dopri5, TangentStepper::Rk4}) {
        TangentOptions o;
        o.stepper = stepper;
        o.abs_tol = o.rel_tol = 1e-12;
        o.dt = 1e-3;  // rk4: global error O(dt^4 |A|^5 T) ~ 1e-12
        TangentIntegrator integrator(model, k, o);
        Vector x = x0;
        Matrix Q = Q0;
        const double T = 2.5;
        integrator.advance(x, Q, T);
        const Matrix E = (A * T).exp();
        EXPECT_TRUE(near(Q, Matrix(E * Q0), 1e-9, 1e-9)) << to_string(stepper) << " n=" << n << " k=" << k;
        EXPECT_TRUE(near(x, Vector(E * x0), 1e-9, 1e-9)) << to_string(stepper) << " n=" << n << " k=" << k;
      }
    }
    // The fundamental matrix is expm(A T) itself.
    TangentOptions tight;
    tight.abs_tol = tight.rel_tol = 1e-12;
    EXPECT_TRUE(near(fundamental_matrix(model, x0, 1.5, tight), Matrix((A * 1.5).exp()), 1e-9, 1e-9));
  }
}

TEST(TangentIntegrator, LinearMapIsMatrixPower) {
  std::mt19937 rng(4);
  const Index n = 4;
  const Matrix A = rnndyn::testing::random_matrix(n, n, rng, 0.5);
  const Plrnn model(TimeKind::Map, A, Matrix::Zero(n, n), Vector::Zero(n), Vector::Zero(n));
  TangentIntegrator integrator(model, 2, {});
  const Matrix Q0 = rnndyn::testing::random_matrix(n, 2, rng);
  Vector x = Vector::Ones(n);
  Matrix Q = Q0;
  integrator.advance(x, Q, 7.0);
  Matrix P = Matrix::Identity(n, n);
  for (int s = 0; s < 7; ++s) P = A * P;
  EXPECT_TRUE(near(Q, Matrix(P * Q0), 1e-13, 1e-12));
  EXPECT_TRUE(near(x, Vector(P * Vector::Ones(n)), 1e-13, 1e-12));
}

TEST(TangentIntegrator, FundamentalMatrixMatchesFiniteDifferencesOfTheFlow) {
  // dx/dt = -x + 2 W tanh(x): Phi(T) e_j = d x(T) / d x0_j, by central differences of simulate.
  std::mt19937 rng(8);
  const Index n = 5;
  const Matrix W = rnndyn::testing::random_matrix(n, n, rng, 1.0 / std::sqrt(double(n)));
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n), W, Vector::Zero(n),
                        {}, {}, 2.0);
  const Vector x0 = rnndyn::testing::random_vector(n, rng);
  const double T = 3.0, h = 1e-5;
  TangentOptions o;
  o.abs_tol = o.rel_tol = 1e-12;
  const Matrix Phi = fundamental_matrix(model, x0, T, o);
  SimulateOptions so;
  so.t_end = so.dt = T;
  so.abs_tol = so.rel_tol = 1e-13;
  Matrix fd(n, n);
  for (Index j = 0; j < n; ++j) {
    Vector xp = x0, xm = x0;
    xp(j) += h;
    xm(j) -= h;
    const Trajectory a = simulate(model, xp, so), b = simulate(model, xm, so);
    fd.col(j) = (a.x.col(a.x.cols() - 1) - b.x.col(b.x.cols() - 1)) / (2 * h);
  }
  // Truncation O(h^2) ~ 1e-10, integration error / h ~ 1e-8.
  EXPECT_TRUE(near(Phi, fd, 1e-6, 1e-6));
}

TEST(TangentIntegrator, BadInputNamesTheField) {
  const RateModel model = linear_flow(Matrix::Identity(2, 2) * 0.5);
  EXPECT_THROW(TangentIntegrator(model, 3, {}), InputError);
  TangentOptions o;
  o.dt = 0;
  try {
    TangentIntegrator integrator(model, 1, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "dt");
  }
  EXPECT_EQ(parse_tangent_stepper("rk4"), TangentStepper::Rk4);
  EXPECT_THROW(parse_tangent_stepper("euler"), InputError);
  EXPECT_THROW(fundamental_matrix(model, Vector::Zero(3), 1.0), InputError);
}

}  // namespace
}  // namespace rnndyn
