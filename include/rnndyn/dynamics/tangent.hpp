#pragma once
/// The tangent (variational) system of a model, advanced together with the state: the one
/// (x, Q) integrator behind Lyapunov spectra (K tangent vectors, lyapunov/) and monodromy
/// matrices (K = dim, Q(0) = I, periodic/).
///
///   flows:  dx/dt = F(x),       dQ/dt = DF(x(t)) Q
///   maps:   x_{t+1} = F(x_t),   Q_{t+1} = DF(x_t) Q_t
///
/// Q is dim x K, so Q(t) = Phi(t) Q(0) with Phi the fundamental matrix of the linearisation
/// along the orbit; for a linear flow F(x) = A x, Q(t) = expm(A t) Q(0). Flows are integrated
/// by Boost.Odeint on the augmented state (x, vec Q): the adaptive Dormand-Prince 5(4) stepper
/// or the classical Runge-Kutta 4 stepper with a fixed step. The products DF Q go to the
/// optimised BLAS (dgemm) the library links.
#include <string>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class TangentStepper {
  Dopri5,  ///< adaptive Dormand-Prince 5(4) with error control (abs_tol, rel_tol)
  Rk4      ///< classical Runge-Kutta 4 with the fixed step dt
};
/// "dopri5" or "rk4".
std::string to_string(TangentStepper s);
/// Parses "dopri5" / "rk4"; throws InputError naming `field` otherwise.
TangentStepper parse_tangent_stepper(const std::string& text, const std::string& field = "integrator");

struct TangentOptions {
  /// Stepper for flows (maps are iterated exactly). Default dopri5.
  TangentStepper stepper = TangentStepper::Dopri5;
  /// Absolute and relative error tolerances of dopri5, > 0. Default 1e-9 each.
  double abs_tol = 1e-9;
  double rel_tol = 1e-9;
  /// Step of rk4, > 0 and finite: a span T is cut into ceil(T / dt) equal steps. Default 0.1.
  double dt = 0.1;
  void validate() const;
};

/// Advances (x, Q) of one model; holds the work buffers, so one instance serves one thread.
class TangentIntegrator {
 public:
  /// `k` tangent vectors, 1 <= k <= model.dim(); validates `options`.
  TangentIntegrator(const Model& model, Index k, const TangentOptions& options = {});

  /// (x, Q) from time 0 to T (flows, T > 0) or over round(T) steps (maps). Q must be dim x k.
  void advance(Vector& x, Matrix& Q, double T);
  /// x alone over T (flows; round(T) steps for maps), always by adaptive dopri5 with the
  /// options' tolerances and first trial step `first_step` (> 0): the warm-up before measuring.
  void advance_state(Vector& x, double T, double first_step) const;

 private:
  void map_steps(Vector& x, Matrix& Q, long steps);
  const Model& model_;
  Index n_, k_;
  TangentOptions options_;
  Vector f_;
  Matrix J_;
};

/// The fundamental matrix Phi(T) = dx(T)/dx(0) along the orbit through x0 (Q(0) = I): the
/// monodromy matrix when T is a period. Throws InputError for a wrong-length x0.
Matrix fundamental_matrix(const Model& model, const Vector& x0, double T, const TangentOptions& options = {});

}  // namespace rnndyn
