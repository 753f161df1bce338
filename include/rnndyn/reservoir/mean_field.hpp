#pragma once
/// Mean-field theory of a reservoir trained to M fixed points (seed 003, Rivkind & Barak).
///
/// Network (seed eq. 1, u = 0): dx/dt = -x + W phi(x) + w_FB z, z = w_out^T phi(x),
/// W_ij ~ N(0, g^2/N), w_FB i.i.d. from p(w). Targets z = A_1..A_M, open-loop fixed points
/// x_m = W phi(x_m) + w_FB A_m (eq. 3). Write x_m = w A_m + x_m^1 with x^1 = (x_1^1..x_M^1)
/// jointly Gaussian, covariance C (M x M), fixed self-consistently by
///
///   C_kn = g^2 < phi(w A_k + x_k^1) phi(w A_n + x_n^1) >            (eq. 8 for M = 1: C = sigma^2)
///
/// Around target n, with u = 1 + s (s = i omega), the mean-field open-loop response is
/// (derivation in docs/reservoir.md; it is the argument of eqs. 9-13 with X^1 decomposed on all
/// x_m^1, and reduces to eq. 13 for M = 1):
///
///   a_k   = < phi(x_k) phi'(x_n) w >,   B_km = < phi(x_k) phi'(x_n) x_m^1 >,   P = g^2 B C^{-1}
///   G_nm(s)  = [ (u I - P)^{-1} a ]_m                                  (eq. 18, order M)
///   k = g^2 C^{-1} A   (LMS readout w_out = N^{-1} sum_m k_m r_m, eq. 16)
///   G_n^OL(s) = k^T (u I - P)^{-1} a                                   (eq. 17)
///   closed-loop poles: G_n^OL(s) = 1  <=>  s = eig(P + a k^T) - 1       (matrix determinant lemma)
///
/// For M = 1: beta_0 = g^2 a / sigma^2, beta_1 = P (eq. 11), G^OL = A beta_0 / (1 - beta_1 + s)
/// (eq. 13) and lambda_out = -(1 - A beta_0 - beta_1) (eq. 14) = -g^2 sigma^-2 <phi (phi - x phi')>
/// (eq. 15). Seed typo: the readout of the M = 1 case is w_out = A (r^T r)^{-1} r (first power,
/// not the squared norm the seed prints); only then is w_out^T r = A.
///
/// solve_mean_field is the front door of `rnndyn mft`: besides the theory it evaluates G^OL on
/// the requested frequencies and counts the Nyquist winding at every level (reservoir/nyquist.hpp),
/// so every derived number (tau_net, lambda_out, tau_out, the verdicts) is in the result.
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/activation.hpp"
#include "rnndyn/reservoir/nyquist.hpp"

namespace rnndyn {

/// Distribution of the i.i.d. feedback weights w_FB.
enum class FeedbackDistribution {
  Uniform,   ///< uniform on [-scale, scale]
  Gaussian,  ///< N(0, scale^2)
};
std::string to_string(FeedbackDistribution d);
/// Parses "uniform" / "gaussian"; throws InputError naming `field`.
FeedbackDistribution feedback_distribution_from_name(const std::string& name, const std::string& field = "feedback");

struct MeanFieldOptions {
  /// Connectivity gain g of W_ij ~ N(0, g^2/N). Default 1.5, valid (0, 100].
  double g = 1.5;
  /// Activation phi (tanh, relu with threshold, ...). Default tanh.
  Activation activation{ActivationKind::Tanh};
  /// Target output levels A_1..A_M, M >= 1, finite, pairwise distinct. Default {1.0}.
  std::vector<double> targets{1.0};
  /// Feedback weight distribution. Default uniform.
  FeedbackDistribution feedback = FeedbackDistribution::Uniform;
  /// Scale of the feedback distribution (half-width or standard deviation). Default 1, > 0.
  double feedback_scale = 1.0;
  /// Gauss-Hermite nodes per Gaussian dimension (y) of the bivariate moments (M > 1). The
  /// univariate moments use Gauss-Legendre panels split at the activation's kinks (mean_field.cpp,
  /// gaussian_rule) and do not depend on it. Default 64, valid [4, 400].
  int hermite_order = 64;
  /// Nodes over w: Gauss-Legendre (uniform) or Gauss-Hermite (Gaussian). Default 32, valid [2, 400].
  int feedback_order = 32;
  /// Relative tolerance of the self-consistent covariance iteration. Default 1e-13, in (0, 1e-2].
  double tol = 1e-13;
  /// Iteration cap of the covariance iteration. Default 10000, >= 1.
  int max_iter = 10000;
  /// Frequencies omega (finite, >= 0) at which G^OL(i omega) is reported (each level's `gain`).
  /// Empty (default): frequency_grid(n_omega, omega_max).
  std::vector<double> omegas;
  /// Points of the default grid, in [0, 100000] (0: no gain reported). Default 200.
  int n_omega = 200;
  /// Largest frequency of the default grid, finite and > 0. Default 10.
  double omega_max = 10.0;
  /// Settings of the Nyquist winding count at each level.
  NyquistOptions nyquist;
  /// Throws InputError naming the field.
  void validate() const;
  /// The frequencies of the reported gains: `omegas` when given, else the default grid.
  std::vector<double> frequencies() const;
};

/// The fields of the options (core/describe.hpp), except the activation: one member that is two
/// JSON keys and two flags (activation's name, threshold), written by its edges (to_json,
/// bind_reservoir.cpp, cmd_reservoir.cpp).
template <>
struct Description<MeanFieldOptions> {
  using O = MeanFieldOptions;
  static constexpr auto fields = std::make_tuple(
      field("g", &O::g, "Gain g of W_ij ~ N(0, g^2/N), in (0, 100]", "--g"),
      field("targets", &O::targets, "Target levels A_1,...,A_M, finite and pairwise distinct", "--targets"),
      enum_field("feedback", &O::feedback, &feedback_distribution_from_name,
                 "Feedback weight distribution: uniform (on [-s, s]) or gaussian", "--feedback"),
      field("feedback_scale", &O::feedback_scale, "Scale s of the feedback distribution, finite, > 0",
            "--feedback_scale,--feedback-scale"),
      field("hermite_order", &O::hermite_order,
            "Gauss-Hermite nodes over y of the bivariate moments (M > 1), in [4, 400]",
            "--hermite_order,--hermite-order"),
      field("feedback_order", &O::feedback_order, "Quadrature nodes over w_FB, in [2, 400]",
            "--feedback_order,--feedback-order"),
      field("tol", &O::tol, "Relative tolerance of the covariance iteration, in (0, 1e-2]"),
      field("max_iter", &O::max_iter, "Iteration cap of the covariance iteration, >= 1"),
      field("omegas", &O::omegas,
            "Frequencies (finite, >= 0) of the reported G_OL; empty: the grid of n_omega points up to omega_max"),
      field("n_omega", &O::n_omega, "Points of the G_OL grid (0 and a log grid), in [0, 100000]",
            "--n_omega,--n-omega"),
      field("omega_max", &O::omega_max, "Largest frequency of the G_OL grid, finite, > 0", "--omega_max,--omega-max"),
      field("nyquist", &O::nyquist, "NyquistOptions of the winding count at each level"));
};

/// 0 followed by n - 1 log-spaced frequencies from 1e-4 omega_max to omega_max (n = 1: {0};
/// n = 0: none). Throws InputError naming n_omega / omega_max for n outside [0, 100000] or a
/// non-positive omega_max.
std::vector<double> frequency_grid(int n, double omega_max);

enum class MeanFieldStatus {
  Converged,     ///< covariance self-consistency met to tol
  NotConverged,  ///< max_iter reached; results are from the last iterate
  Degenerate,    ///< C singular (e.g. all rates zero: relu far below threshold): no readout k, no
                 ///< poles or gains; `k` and `targets` are empty
  Diverged,      ///< no finite self-consistent variance: the iteration grows without bound (relu
                 ///< with g^2/2 >= 1); C holds the last iterate, `targets` is empty
};
std::string to_string(MeanFieldStatus s);

/// Mean-field quantities at one target A_n.
struct MeanFieldTarget {
  double A = 0.0;
  double sigma2 = 0.0;           ///< C_nn, eq. 8
  double rho = 0.0;              ///< open-loop spectral radius, rho^2 = g^2 <phi'(x_n)^2>
  double beta0 = 0.0;            ///< eq. 11 (M = 1 meaning; for M > 1 the same integrals at A_n)
  double beta1 = 0.0;            ///< eq. 11
  Vector a;                      ///< a_k, k = 1..M
  Matrix P;                      ///< g^2 B C^{-1}: the open-loop poles are eig(P) - 1
  ComplexVector poles;           ///< the M closed-loop poles s (eig(P + a k^T) - 1), by decreasing Re
  bool stable = false;           ///< all poles with Re s < 0
  double lambda_out_eq15 = 0.0;  ///< M = 1 only: eq. 15 evaluated directly (NaN for M > 1)
  /// M = 1 only: lambda_out = Re of the closed-loop pole (eq. 14) and tau_out = -1 / lambda_out,
  /// the time scale of the output (NaN for M > 1).
  double lambda_out = 0.0;
  double tau_out = 0.0;
  /// tau_net = 1 / (1 - rho), the time scale of the network's internal (open-loop) dynamics;
  /// infinite for rho >= 1 (no fading memory).
  double tau_net = 0.0;
  /// Open-loop poles eig(P) - 1 in Re s > 0: the P of the Nyquist count.
  int open_loop_unstable = 0;
  /// Winding of G_n^OL(i omega) around 1 (reservoir/nyquist.hpp); nyquist.stable is the verdict.
  NyquistResult nyquist;
  ComplexVector gain;  ///< G_n^OL(i omega) at MeanFieldResult::omegas
  /// G_n^OL(s) at s = i omega (eq. 17; eq. 13 for M = 1).
  Complex open_loop_gain(double omega) const;
  Vector k;  ///< readout coefficients (copy of MeanFieldResult::k)
};

/// The fields of a level (core/describe.hpp); a, P, k and open_loop_unstable are Python's only.
template <>
struct Description<MeanFieldTarget> {
  using R = MeanFieldTarget;
  static bool single(const R& r) { return r.a.size() == 1; }
  static constexpr auto fields = std::make_tuple(
      field("A", &R::A, "Target level A_n"), field("sigma2", &R::sigma2, "C_nn (eq. 8)"),
      field("beta0", &R::beta0, "beta_0 (eq. 11)"), field("beta1", &R::beta1, "beta_1 (eq. 11)"),
      field("rho", &R::rho, "Open-loop spectral radius, rho^2 = g^2 <phi'^2>"),
      field("tau_net", &R::tau_net, "1 / (1 - rho); inf for rho >= 1"),
      when(field("lambda_out", &R::lambda_out, "M = 1: the closed-loop pole (eq. 14); else NaN (written for M = 1)"),
           &single),
      when(field("lambda_out_eq15", &R::lambda_out_eq15, "M = 1: eq. 15 directly; else NaN (written for M = 1)"),
           &single),
      when(field("tau_out", &R::tau_out, "M = 1: -1 / lambda_out; else NaN (written for M = 1)"), &single),
      field("poles", &R::poles, "The M closed-loop poles, by decreasing Re (complex)"),
      field("stable", &R::stable, "All poles in Re s < 0"),
      field("nyquist", &R::nyquist, "NyquistResult of G_OL (nyquist.stable: the verdict)"),
      view(
          "nyquist_stable", "The Nyquist verdict of the closed loop (nyquist.stable)",
          +[](const R& r) { return r.nyquist.stable; }),
      field("gain", &R::gain, "G_OL(i omega) at the result's omegas (complex)"));
};

struct MeanFieldResult {
  MeanFieldStatus status = MeanFieldStatus::Converged;
  std::string message;  ///< why, when status is not Converged (empty otherwise)
  int iterations = 0;
  Matrix C;  ///< covariance of x^1 over targets (C_kn / g^2 = <r_k, r_n>)
  Vector k;  ///< LMS readout coefficients k = g^2 C^{-1} A
  std::vector<MeanFieldTarget> targets;
  std::vector<double> omegas;  ///< frequencies of every level's `gain`
  MeanFieldOptions options;    ///< the settings it ran with
  RunInfo info;                ///< model "reservoir", a flow, elapsed seconds
};

/// The options as the JSON writes them: the description's keys and the activation's two
/// (activation, threshold), which it leaves out (io: reservoir_json.cpp).
nlohmann::json to_json(const MeanFieldOptions& o);

/// The fields of the result (core/describe.hpp); its to_json adds the run info (reservoir_json.cpp).
template <>
struct Description<MeanFieldResult> {
  using R = MeanFieldResult;
  static constexpr auto fields = std::make_tuple(
      field("status", &R::status, "converged, not_converged, degenerate or diverged"),
      when(
          field("message", &R::message, "Why, when status is not converged (written then)"),
          +[](const R& r) { return !r.message.empty(); }),
      field("iterations", &R::iterations, "Iterations of the covariance solve"),
      field("C", &R::C, "Covariance of x^1 over targets"), field("k", &R::k, "LMS readout coefficients k = g^2 C^-1 A"),
      view(
          "omega", "The frequencies of G_OL (omegas)", +[](const R& r) { return r.omegas; }),
      field("levels", &R::targets, "One MeanFieldTarget per target level"),
      encoded(field("options", &R::options, "The MeanFieldOptions it ran with (with its activation)"), &to_json));
};

/// The front door: solves the mean-field theory for all targets, then evaluates G^OL at the
/// options' frequencies and the Nyquist verdict at every level.
MeanFieldResult solve_mean_field(const MeanFieldOptions& options);

/// Nodes and weights of the probabilists' Gauss-Hermite rule: sum_i w_i f(y_i) ~ E f(y), y ~ N(0,1).
void gauss_hermite_probabilists(int n, Vector& nodes, Vector& weights);
/// Gauss-Legendre rule on [-1, 1] normalised to a probability: sum w_i = 1.
void gauss_legendre_mean(int n, Vector& nodes, Vector& weights);

}  // namespace rnndyn
