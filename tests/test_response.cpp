// Response functions measured by simulation (issue 18) against the closed form of a linear
// network: tau dv/dt = -v + M v + W_in u, z = W_out v has G(omega) = C (i omega I - A)^{-1} B
// with A = (M - I)/tau, B = W_in[:, c]/tau, C = W_out[k, :] (Laplace transform of the ODE).
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/reservoir/mean_field.hpp"
#include "rnndyn/reservoir/reservoir.hpp"
#include "rnndyn/simulate/response.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;

namespace {

/// M = [[0.5, -1, 0], [1, 0.5, 0], [0, 0.3, -1]]: A has eigenvalues -0.5 +- i (a resonance near
/// omega = 1) and -2, with tau = 1.
LinearModel resonant() {
  Matrix M(3, 3);
  M << 0.5, -1.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.3, -1.0;
  Matrix W_in(3, 1);
  W_in << 1.0, 0.0, 0.5;
  LinearModel model(1.0, M, Vector::Zero(3), W_in);
  Readout r;
  r.W_out = (Matrix(1, 3) << 0.2, 1.0, -0.5).finished();
  r.b_out = Vector::Constant(1, 0.3);
  model.set_readout(r);
  return model;
}

/// (i w I - H)^{-1} b for an upper Hessenberg H: Gaussian elimination with partial pivoting,
/// where only the subdiagonal needs eliminating (O(n^2)).
Eigen::VectorXcd hessenberg_solve(const Matrix& H, double w, Eigen::VectorXcd b) {
  const Index n = H.rows();
  Eigen::MatrixXcd K = -H.cast<Complex>();
  K.diagonal().array() += Complex(0.0, w);
  for (Index k = 0; k + 1 < n; ++k) {
    if (std::abs(K(k + 1, k)) > std::abs(K(k, k))) {
      K.row(k).swap(K.row(k + 1));
      std::swap(b(k), b(k + 1));
    }
    const Complex l = K(k + 1, k) / K(k, k);
    K.row(k + 1).tail(n - k) -= l * K.row(k).tail(n - k);
    b(k + 1) -= l * b(k);
  }
  return K.triangularView<Eigen::Upper>().solve(b);
}

Complex closed_form(const LinearModel& m, double w) {
  const Matrix A = (m.M() - Matrix::Identity(3, 3)) / m.tau();
  const Vector B = m.W_in().col(0) / m.tau();
  const Eigen::MatrixXcd K = Complex(0.0, w) * Eigen::MatrixXcd::Identity(3, 3) - A.cast<Complex>();
  const Eigen::VectorXcd X = K.partialPivLu().solve(B.cast<Complex>());
  return (m.readout()->W_out.row(0).cast<Complex>() * X)(0);
}

TEST(Response, ImpulseResponseOfLinearNetworkEqualsClosedForm) {
  const LinearModel model = resonant();
  ResponseOptions o;
  o.t_end = 40.0;  // e^{-0.5 * 40} ~ 2e-9 of the response is cut off
  o.dt = 0.01;
  o.amplitude = 1.0;
  o.omega_max = 3.0;
  o.n_omega = 60;
  const ResponseResult res = measure_response(model, o);
  double worst = 0.0, exact_peak = 0.0, exact_gain = 0.0;
  for (Index j = 0; j < res.G.size(); ++j) {
    const Complex exact = closed_form(model, res.omega[static_cast<size_t>(j)]);
    worst = std::max(worst, std::abs(res.G(j) - exact) / std::abs(exact));
    if (std::abs(exact) > exact_gain) {
      exact_gain = std::abs(exact);
      exact_peak = res.omega[static_cast<size_t>(j)];
    }
  }
  // The trapezoid rule's error is about (dt omega)^2 / 12 <= (0.01 * 3)^2 / 12 ~ 7.5e-5 (measured
  // 8.6e-6).
  EXPECT_LT(worst, 1e-4) << "max relative error";
  EXPECT_LT(res.band.maxCoeff(), 1e-6);   // linear: both amplitudes agree (measured 1.5e-9)
  EXPECT_EQ(res.peak_omega, exact_peak);  // the resonance of A's eigenvalues -0.5 +- i
  // h(t) = C e^{A t} B: at t = 0 the pulse has only begun.
  EXPECT_NEAR(res.h(0), 0.0, 1e-12);
}

TEST(Response, NoiseResponseOfLinearNetworkLiesInItsBand) {
  const LinearModel model = resonant();
  ResponseOptions o;
  o.method = ResponseMethod::Noise;
  o.t_end = 200.0;
  o.transient = 20.0;
  o.dt = 0.05;
  o.amplitude = 1.0;
  o.repeats = 16;
  o.omega_max = 3.0;
  o.n_omega = 30;
  const ResponseResult res = measure_response(model, o);
  int inside = 0;
  double worst = 0.0, exact_peak = 0.0, exact_gain = 0.0;
  for (Index j = 0; j < res.G.size(); ++j) {
    const Complex exact = closed_form(model, res.omega[static_cast<size_t>(j)]);
    const double err = std::abs(res.G(j) - exact);
    inside += err <= res.band(j);
    worst = std::max(worst, err / std::abs(exact));
    if (std::abs(exact) > exact_gain) {
      exact_gain = std::abs(exact);
      exact_peak = res.omega[static_cast<size_t>(j)];
    }
  }
  // A 2-standard-error band covers ~95 % of the frequencies; ask for 80 %, and every estimate
  // within 10 % (measured for seeds 1, 2, 3: 29, 30, 30 of 30 inside; worst 4.5 %, 4.3 %, 4.9 %;
  // the band's half-width is ~5 % of |G|).
  EXPECT_GE(inside, 24) << "of 30 inside the band; worst relative error " << worst;
  EXPECT_LT(worst, 0.10);
  EXPECT_NEAR(res.peak_omega, exact_peak, 0.1 + 1e-12);  // within one grid step
}

TEST(Response, ReservoirResonatesAtItsLowerFixedPointOnly) {
  // Seed 003 Fig. 2: tanh, g = 0.9, targets 0.5, 1, 1.5 (N = 1000, seed 1; A_1 and A_3 stable).
  // Around a fixed point x*, driven through w_in: G = C (i omega - J)^{-1} B with J = DF(x*),
  // B = w_in / tau, C = w_out^T diag(phi'(x*)), solved densely here. The theory's closed-loop
  // poles at A_1 are -0.005 +- 0.204 i (complex: a resonance) and at A_3 real (none); the
  // finite network's slowest pair at A_1 is -0.009 +- 0.222 i.
  ReservoirOptions ro;
  ro.N = 1000;
  ro.g = 0.9;
  ro.seed = 1;
  Reservoir reservoir(ro);
  TrainingOptions to;
  to.targets = {0.5, 1.0, 1.5};
  const TrainingResult trained = train_reservoir(reservoir, to);
  ASSERT_EQ(trained.status, TrainingStatus::Converged);
  MeanFieldOptions mo;
  mo.g = 0.9;
  mo.targets = to.targets;
  const MeanFieldResult theory = solve_mean_field(mo);
  for (const size_t m : {size_t{0}, size_t{2}}) {
    const Vector& x = trained.targets[m].x;
    ResponseOptions o;
    o.x0 = x;
    o.t_end = 800.0;  // the slowest mode at A_1 decays at rate 0.009: e^{-7} is left
    o.dt = 0.05;
    o.amplitude = 1e-3;
    o.omega_max = 1.0;
    o.n_omega = 50;
    const ResponseResult res = measure_response(reservoir, o);
    const Matrix J = reservoir.jacobian(x);
    Vector dphi;
    reservoir.activation().apply_derivative(x, dphi);
    const Vector C = reservoir.w_out().array() * dphi.array();
    const Vector B = reservoir.w_in() / reservoir.tau();
    // J = Q H Q^T once (H upper Hessenberg); each frequency then costs one O(N^2) solve.
    const Eigen::HessenbergDecomposition<Matrix> hess(J);
    const Matrix H = hess.matrixH();
    const Matrix Q = hess.matrixQ();
    const Eigen::VectorXcd QtB = (Q.transpose() * B).cast<Complex>();
    const Eigen::VectorXcd QtC = (Q.transpose() * C).cast<Complex>();
    double worst = 0.0;
    Index exact_peak = 0;
    Vector exact_gain(res.G.size());
    for (Index j = 0; j < res.G.size(); ++j) {
      const double w = res.omega[static_cast<size_t>(j)];
      const Complex g = QtC.dot(hessenberg_solve(H, w, QtB));  // dot conjugates QtC, which is real
      exact_gain(j) = std::abs(g);
      worst = std::max(worst, std::abs(res.G(j) - g) / std::abs(g));
      EXPECT_LE(std::abs(res.G(j) - g), res.band(j)) << "A = " << to.targets[m] << ", omega = " << w;
    }
    exact_gain.maxCoeff(&exact_peak);
    // Measured: 1.8e-3 at A_1 (the slow mode's tail beyond t_end), 1.7e-4 at A_3; the band is
    // at most 13 % resp. 1 % of |G| and contains every error.
    EXPECT_LT(worst, 0.01) << "A = " << to.targets[m];
    EXPECT_EQ(res.peak_omega, res.omega[static_cast<size_t>(exact_peak)]);
    const ComplexVector& poles = theory.targets[m].poles;
    if (m == 0) {
      // A resonance: the gain peaks inside the band and near the theory's pole frequency (finite N
      // moves it by ~0.02: the band allowed is two grid steps, 0.04).
      ASSERT_GT(std::abs(poles(0).imag()), 0.1);
      EXPECT_GT(res.peak_omega, res.omega.front());
      EXPECT_NEAR(res.peak_omega, std::abs(poles(0).imag()), 0.04);
      EXPECT_GT(res.peak_gain, 5.0 * res.gain(0));
    } else {
      // No resonance: the theory's poles are real and the gain falls from the lowest frequency.
      for (Index i = 0; i < poles.size(); ++i) EXPECT_NEAR(poles(i).imag(), 0.0, 1e-12);
      EXPECT_EQ(res.peak_omega, res.omega.front());
      for (Index j = 1; j < res.gain.size(); ++j) EXPECT_LE(res.gain(j), res.gain(j - 1) * (1 + 1e-9));
    }
  }
}

TEST(Response, RefusesModelsWithoutInputOrReadout) {
  LinearModel no_input(1.0, Matrix::Zero(2, 2), Vector::Zero(2));
  EXPECT_THROW(measure_response(no_input, {}), InputError);
  Matrix W_in = Matrix::Ones(2, 1);
  LinearModel no_readout(1.0, Matrix::Zero(2, 2), Vector::Zero(2), W_in);
  try {
    measure_response(no_readout, {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "readout");
  }
}

}  // namespace
