// Response functions measured by simulation (issue 18) against the closed form of a linear
// network: tau dv/dt = -v + M v + W_in u, z = W_out v has G(omega) = C (i omega I - A)^{-1} B
// with A = (M - I)/tau, B = W_in[:, c]/tau, C = W_out[k, :] (Laplace transform of the ODE).
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/linear_model.hpp"
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
