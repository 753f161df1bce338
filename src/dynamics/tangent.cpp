// The shared (x, Q) integrator of Lyapunov spectra and monodromy matrices; see tangent.hpp.
#include "rnndyn/dynamics/tangent.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

#include "../detail/dense_lapack.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(TangentStepper s) { return s == TangentStepper::Rk4 ? "rk4" : "dopri5"; }

TangentStepper parse_tangent_stepper(const std::string& text, const std::string& field) {
  if (text == "dopri5") return TangentStepper::Dopri5;
  if (text == "rk4") return TangentStepper::Rk4;
  throw InputError(field, "expected dopri5 or rk4, got '" + text + "'");
}

void TangentOptions::validate() const {
  if (!(abs_tol > 0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0)) throw InputError("rel_tol", "must be > 0");
  if (!(dt > 0) || !std::isfinite(dt)) throw InputError("dt", "must be finite and > 0");
}

namespace {
namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

long map_step_count(double T) { return std::lround(T); }

}  // namespace

TangentIntegrator::TangentIntegrator(const Model& model, Index k, const TangentOptions& options)
    : model_(model), n_(model.dim()), k_(k), options_(options) {
  options_.validate();
  if (k < 1 || k > n_) throw InputError("k", "must be in [1, dim = " + std::to_string(n_) + "]");
}

void TangentIntegrator::map_steps(Vector& x, Matrix& Q, long steps) {
  Matrix JQ(n_, k_);
  for (long s = 0; s < steps; ++s) {
    if (!model_.tangent_product(x, f_, Q.data(), JQ.data(), k_)) {
      model_.evaluate(x, f_, &J_);
      detail::multiply(J_, Q.data(), JQ.data(), k_);  // the variational step on BLAS
    }
    x = f_;
    Q.swap(JQ);
  }
}

void TangentIntegrator::advance(Vector& x, Matrix& Q, double T) {
  if (Q.rows() != n_ || Q.cols() != k_)
    throw InputError("Q", "expected a " + std::to_string(n_) + "x" + std::to_string(k_) + " matrix");
  if (model_.time_kind() == TimeKind::Map) {
    map_steps(x, Q, map_step_count(T));
    return;
  }
  const Index n = n_, k = k_;
  auto system = [this, n, k](const State& y, State& dydt, double) {
    const Eigen::Map<const Vector> x(y.data(), n);
    if (!model_.tangent_product(x, f_, y.data() + n, dydt.data() + n, k)) {
      model_.evaluate(x, f_, &J_);
      detail::multiply(J_, y.data() + n, dydt.data() + n, k);
    }
    Eigen::Map<Vector>(dydt.data(), n) = f_;
  };
  State y(static_cast<std::size_t>(n + n * k));
  Eigen::Map<Vector>(y.data(), n) = x;
  Eigen::Map<Matrix>(y.data() + n, n, k) = Q;
  if (options_.stepper == TangentStepper::Rk4) {
    const long steps = std::max(1L, std::lround(std::ceil(T / options_.dt - 1e-9)));
    const double h = T / static_cast<double>(steps);
    odeint::runge_kutta4<State> rk4;
    double t = 0.0;
    for (long s = 0; s < steps; ++s, t += h) rk4.do_step(system, y, t, h);
  } else {
    odeint::integrate_adaptive(
        odeint::make_controlled(options_.abs_tol, options_.rel_tol, odeint::runge_kutta_dopri5<State>()), system, y,
        0.0, T, T / 10);
  }
  x = Eigen::Map<const Vector>(y.data(), n);
  Q = Eigen::Map<const Matrix>(y.data() + n, n, k);
}

void TangentIntegrator::advance_state(Vector& x, double T, double first_step) const {
  if (model_.time_kind() == TimeKind::Map) {
    Vector f;
    for (long s = 0; s < map_step_count(T); ++s) {
      model_.evaluate(x, f);
      x = f;
    }
    return;
  }
  const Index n = n_;
  auto system = [this, n](const State& y, State& dydt, double) {
    Vector f;
    model_.evaluate(Eigen::Map<const Vector>(y.data(), n), f);
    Eigen::Map<Vector>(dydt.data(), n) = f;
  };
  State y(x.data(), x.data() + n);
  odeint::integrate_adaptive(
      odeint::make_controlled(options_.abs_tol, options_.rel_tol, odeint::runge_kutta_dopri5<State>()), system, y, 0.0,
      T, first_step);
  x = Eigen::Map<const Vector>(y.data(), n);
}

Matrix fundamental_matrix(const Model& model, const Vector& x0, double T, const TangentOptions& options) {
  const Index n = model.dim();
  if (x0.size() != n)
    throw InputError("x0", "expected " + std::to_string(n) + " entries, got " + std::to_string(x0.size()));
  TangentIntegrator integrator(model, n, options);
  Vector x = x0;
  Matrix Q = Matrix::Identity(n, n);
  integrator.advance(x, Q, T);
  return Q;
}

}  // namespace rnndyn
