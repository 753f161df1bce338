#pragma once
/// Eigen-mode solution of the linear network of seed 002:  tau dv/dt = -v + M v + h.
///
/// With M = E diag(lambda) E^{-1} and coordinates c = E^{-1} v, h~ = E^{-1} h, each mode obeys
/// tau dc_i/dt = -(1 - lambda_i) c_i + h~_i, so
///   c_i(t) = h~_i/(1 - lambda_i) (1 - e^{-t(1-lambda_i)/tau}) + c_i(0) e^{-t(1-lambda_i)/tau}
///   c_i(t) = c_i(0) + h~_i t / tau                                   (lambda_i = 1, integrator)
/// Seed 002 prints the first line with c_i(0) e^{...} inside the parenthesis multiplied by
/// h.e_i/(1-lambda_i); that is a typo (check t = 0: c_i(0) must come back), corrected here.
/// For symmetric M, E is orthonormal and h~_i = h . e_i as in the seed; for general M the dual
/// basis is used, which is what makes the same formulas hold.
/// Steady state (all Re lambda_i < 1): v_ss = sum_i h~_i/(1 - lambda_i) e_i, amplification 1/(1 - lambda_i).
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class ModeKind { Decaying, Integrator, Growing };
std::string to_string(ModeKind k);

struct LinearNetworkOptions {
  /// |lambda - 1| below this makes a mode a perfect integrator (lambda = 1), >= 0.
  double integrator_tol = 1e-9;
  void validate() const;
};

/// The fields of the options (core/describe.hpp).
template <>
struct Description<LinearNetworkOptions> {
  static constexpr auto fields =
      std::make_tuple(field("integrator_tol", &LinearNetworkOptions::integrator_tol,
                            "|lambda - 1| below this is a perfect integrator, >= 0", "--integrator-tol"));
};

enum class LinearVerdict { Stable, Integrator, Unstable };
std::string to_string(LinearVerdict v);

struct LinearMode {
  Complex lambda;         ///< eigenvalue of M
  ComplexVector e;        ///< eigenvector (unit norm)
  Complex h_projection;   ///< h~_i, the coefficient of h on e_i
  Complex amplification;  ///< 1/(1 - lambda_i); infinite for an integrator (reported as NaN)
  Complex rate;           ///< -(1 - lambda_i)/tau, the mode's exponent
  ModeKind kind = ModeKind::Decaying;
};

/// The fields of a mode (core/describe.hpp); Python also keeps the eigenvector as `e`.
template <>
struct Description<LinearMode> {
  using R = LinearMode;
  static constexpr auto fields =
      std::make_tuple(field("lambda", &R::lambda, "Eigenvalue of M"),
                      view(
                          "eigenvector", "The mode's unit eigenvector (e)", +[](const R& r) { return r.e; }),
                      field("h_projection", &R::h_projection, "h~_i, the coefficient of h on e_i"),
                      field("amplification", &R::amplification, "1 / (1 - lambda); NaN for an integrator"),
                      field("rate", &R::rate, "-(1 - lambda) / tau, the mode's exponent"),
                      field("kind", &R::kind, "decaying, integrator or growing"));
};

struct LinearNetworkAnalysis {
  std::vector<LinearMode> modes;  ///< sorted by decreasing Re lambda
  LinearVerdict verdict = LinearVerdict::Stable;
  /// v_ss when the verdict is Stable; for Integrator the steady state of the decaying modes,
  /// with the integrator modes' component taken as zero; empty for Unstable.
  Vector steady_state;
  bool symmetric = false;
  /// Largest relative error of the eigen-decomposition ||M E - E Lambda|| / ||M||.
  double decomposition_residual = 0.0;
  double tau = 1.0;  ///< the network's time constant
  RunInfo info;
  LinearNetworkOptions options;
};

/// The fields of the analysis (core/describe.hpp); its to_json adds the run info (io/result_json.cpp).
template <>
struct Description<LinearNetworkAnalysis> {
  using R = LinearNetworkAnalysis;
  static constexpr auto fields = std::make_tuple(
      field("verdict", &R::verdict, "stable, integrator or unstable"),
      field("symmetric", &R::symmetric, "M is symmetric (orthonormal modes)"),
      field("decomposition_residual", &R::decomposition_residual, "||M E - E Lambda|| / ||M||"),
      field("modes", &R::modes, "The eigen-modes, by decreasing Re lambda"),
      encoded(field("steady_state", &R::steady_state, "v_ss (null for an unstable network)"), &to_json_or_null),
      field("tau", &R::tau, "The network's time constant"), field("options", &R::options, "The options it ran with"));
};

/// Throws InputError for invalid options.
LinearNetworkAnalysis analyze_linear_network(const Model& model, const LinearNetworkOptions& options = {});

/// The closed-form v(t) at each of `times`, one column per time. Throws InputError when M is
/// not diagonalizable (defective), where the mode formulas do not apply.
Matrix linear_closed_form(const Model& model, const Vector& v0, const std::vector<double>& times,
                          const LinearNetworkOptions& options = {});

}  // namespace rnndyn
