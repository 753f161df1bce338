#pragma once
/// Finite-size analysis of a trained reservoir at each target (seed 003, eqs. 4-7):
/// open-loop spectral radius rho of W R' (fading memory needs rho < 1), the closed-loop
/// Jacobian -I + (W + w_FB w_out^T) R' and its spectrum, the outlier eigenvalues created by the
/// feedback loop (roots of G^OL(s) = 1, refined by Newton from the mean-field poles), the
/// open-loop gain on a frequency grid and the Nyquist verdict.
///
/// analyze_reservoir(ReservoirExperimentOptions) is the front door of `rnndyn reservoir`: it draws
/// the network, trains it, solves the theory and analyses every level in one call.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"

#include "rnndyn/reservoir/mean_field.hpp"
#include "rnndyn/reservoir/nyquist.hpp"
#include "rnndyn/reservoir/reservoir.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

struct ReservoirAnalysisOptions {
  /// Compute the full closed-loop spectrum by dense LAPACK (O(N^3)). Default true.
  bool dense_spectrum = true;
  /// Frequencies omega (>= 0) at which G^OL(i omega) is reported. Default empty.
  std::vector<double> omegas;
  /// Newton iterations on G(s) = 1 per outlier, >= 1. Default 100.
  int newton_max = 100;
  /// Newton stops when |G(s) - 1| < newton_tol, > 0. Default 1e-12.
  double newton_tol = 1e-12;
  NyquistOptions nyquist;
  void validate() const;
};

/// Response of the closed loop (eq. 1) to a delta-like kick of the feedback input at t = 0:
/// x(0+) = x_A + amplitude * w_FB, then free evolution (Fig. 1, middle panels).
struct TransientOptions {
  /// Kick size epsilon (finite, != 0). Default 0.05.
  double amplitude = 0.05;
  /// Duration in units of tau (> 0). Default 40.
  double t_end = 40.0;
  /// Sampling interval (0 < dt <= t_end). Default 0.1.
  double dt = 0.1;
  /// Number of neurons recorded besides z (0..N; the first ones, which are i.i.d.). Default 10.
  Index neurons = 10;
  void validate() const;
};

struct TransientResponse {
  std::vector<double> t;
  Vector z;        ///< w_out^T phi(x(t)) - A
  Matrix neurons;  ///< x_i(t) - x_A,i for the recorded neurons (rows) at each sample (columns)
  SimulateStatus status = SimulateStatus::Ok;
};

TransientResponse transient_response(const Reservoir& reservoir, const Vector& x_fixed, double A,
                                     const TransientOptions& options = {});

struct FiniteTargetAnalysis {
  double A = 0.0;
  double rho = 0.0;                       ///< spectral radius of W R' at x_A
  ComplexVector closed_loop_eigenvalues;  ///< dense spectrum of eq. 4, decreasing real part (if requested)
  /// Roots of G^OL(s) = 1 reached by Newton from each start (mean-field poles, else the
  /// closed-loop eigenvalues farthest from the open-loop spectrum); NaN when Newton failed.
  ComplexVector outliers;
  /// Per outlier: |s + 1| < rho, i.e. inside the bulk disk of W R' - I. There a Newton root of
  /// G(s) = 1 may be a bulk eigenvalue, and comparing it with the theory is not meaningful.
  std::vector<bool> outlier_inside_bulk;
  /// The M closed-loop eigenvalues farthest from any open-loop eigenvalue lambda_k - 1 (dense only).
  ComplexVector displaced;
  ComplexVector gain;  ///< G^OL(i omega) at options.omegas
  NyquistResult nyquist;
  /// Largest real part of the dense closed-loop spectrum (NaN when not computed).
  double max_real = 0.0;
  /// max_real < 0: the trained fixed point is stable (false when the spectrum was not computed).
  bool stable = false;
  /// The run reports the full closed-loop spectrum (ReservoirExperimentOptions::spectrum; JSON key
  /// "eigenvalues"). Set by the front door analyze_reservoir(ReservoirExperimentOptions).
  bool spectrum_reported = false;
  /// The trained open-loop fixed point's residual and convergence (TrainedTarget's, copied here
  /// by the front door so that the level holds what its JSON writes; NaN / false otherwise).
  double residual = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
  /// The delta-kick transient of this level, when the run recorded one (options.transient > 0).
  std::optional<TransientResponse> transient;
};

/// The fields of a finite-network level (core/describe.hpp); closed_loop_eigenvalues is the
/// "eigenvalues" key, written only where the run asked for the spectrum.
template <>
struct Description<FiniteTargetAnalysis> {
  using R = FiniteTargetAnalysis;
  static constexpr auto fields = std::make_tuple(
      field("A", &R::A, "Target level"), field("rho", &R::rho, "Spectral radius of W R' at x_A"),
      field("outliers", &R::outliers, "Roots of G_OL(s) = 1 (complex; NaN: failed)"),
      field("outlier_inside_bulk", &R::outlier_inside_bulk, "|s + 1| < rho per outlier"),
      field("displaced", &R::displaced, "M eigenvalues farthest from the bulk"),
      field("max_real", &R::max_real, "Largest Re of the dense spectrum (NaN: none)"),
      when(
          field("stable", &R::stable, "max_real < 0 (written with a dense spectrum)"),
          +[](const R& r) { return r.closed_loop_eigenvalues.size() > 0; }),
      field("nyquist", &R::nyquist, "NyquistResult of the finite G_OL"),
      view(
          "nyquist_stable", "The Nyquist verdict of the closed loop (nyquist.stable)",
          +[](const R& r) { return r.nyquist.stable; }),
      field("gain", &R::gain, "G_OL(i omega) at the omegas (complex)"),
      when(
          view(
              "eigenvalues", "The dense closed-loop spectrum (closed_loop_eigenvalues; written with --spectrum)",
              +[](const R& r) { return r.closed_loop_eigenvalues; }),
          +[](const R& r) { return r.spectrum_reported; }),
      field("residual", &R::residual, "Residual of the trained open-loop fixed point"),
      field("converged", &R::converged, "The trained open-loop fixed point converged"),
      field("transient", &R::transient, "The delta-kick transient (with transient > 0; None without)"));
};

/// Analyses every trained target; `mean_field` (optional) supplies Newton starting points.
std::vector<FiniteTargetAnalysis> analyze_reservoir(const Reservoir& reservoir, const TrainingResult& training,
                                                    const MeanFieldResult* mean_field,
                                                    const ReservoirAnalysisOptions& options = {});

/// The question of `rnndyn reservoir` (seed 003): draw a reservoir with the statistics of
/// `mean_field`, train it to mean_field.targets, and compare its spectrum, outliers and open-loop
/// gain at every level with the mean-field theory.
struct ReservoirExperimentOptions {
  /// The network's statistics (g, activation, feedback, feedback_scale), the targets A_m, the
  /// quadrature of the theory, the frequencies of G^OL and the Nyquist settings: shared by the
  /// theory and the finite network.
  MeanFieldOptions mean_field;
  /// Number of neurons N, in [2, 100000]. Default ReservoirOptions's (1000).
  Index N = ReservoirOptions{}.N;
  /// Seed of the std::mt19937_64 drawing W, w_FB, w_in. Default ReservoirOptions's (1).
  std::uint64_t seed = ReservoirOptions{}.seed;
  /// Ridge penalty of the readout fit, finite, >= 0. Default TrainingOptions's (0).
  double ridge = TrainingOptions{}.ridge;
  /// Dense closed-loop spectrum by LAPACK (O(N^3)); false: outliers by Newton only. Default true.
  bool dense_spectrum = ReservoirAnalysisOptions{}.dense_spectrum;
  /// Report the full closed-loop spectrum of every level (JSON key "eigenvalues"). Default false.
  bool spectrum = false;
  /// Duration of the delta-kick transient recorded at every level, finite, >= 0 (0: none).
  /// Default 0. Sampled every min(TransientOptions's dt, transient).
  double transient = 0.0;
  /// Size of the kick along w_FB, finite and != 0. Default TransientOptions's amplitude (0.05).
  double kick = TransientOptions{}.amplitude;
  /// Throws InputError naming the field.
  void validate() const;
  /// The generator, training, finite-analysis and transient settings these options imply.
  ReservoirOptions network() const;
  TrainingOptions training() const;
  ReservoirAnalysisOptions analysis() const;
  TransientOptions transient_options() const;
};

/// The fields of the options (core/describe.hpp); mean_field's flags come from its own
/// description (shared with mft), its activation's (--activation, --threshold) from cmd_reservoir.cpp.
template <>
struct Description<ReservoirExperimentOptions> {
  using O = ReservoirExperimentOptions;
  static constexpr auto fields = std::make_tuple(
      field("mean_field", &O::mean_field,
            "MeanFieldOptions: g, activation, targets, feedback, quadrature, frequencies (theory and network)"),
      field("N", &O::N, "Number of neurons, in [2, 100000]", "--N"),
      field("seed", &O::seed, "Random seed of W, w_FB, w_in (std::mt19937_64)", "--seed"),
      field("ridge", &O::ridge, "Ridge penalty of the readout fit, finite, >= 0", "--ridge"),
      field("dense_spectrum", &O::dense_spectrum,
            "Dense closed-loop spectrum by LAPACK (O(N^3)); false: outliers by Newton only", "!--no-dense"),
      field("spectrum", &O::spectrum, "Report the full closed-loop spectrum of every level (key eigenvalues)",
            "--spectrum"),
      field("transient", &O::transient,
            "Length of the delta-kick transient recorded at every level, finite, >= 0 (0: none)", "--transient"),
      field("kick", &O::kick, "Size of the delta kick along w_FB, finite and != 0", "--kick"));
};

enum class ReservoirExperimentStatus {
  Ok,                     ///< training converged and the theory converged
  TrainingNotConverged,   ///< some open-loop fixed point was not found (rho >= 1?)
  MeanFieldNotConverged,  ///< the theory did not converge or is degenerate (see mean_field.status)
};
/// "ok", "training_not_converged", "mean_field_not_converged".
std::string to_string(ReservoirExperimentStatus s);

struct ReservoirExperiment {
  ReservoirExperimentStatus status = ReservoirExperimentStatus::Ok;
  MeanFieldResult mean_field;                ///< the theory, with G^OL at `omegas` and its Nyquist verdicts
  TrainingResult training;                   ///< open-loop fixed points x_m and the readout w_out
  double w_out_norm = 0.0;                   ///< |w_out|_2
  std::vector<FiniteTargetAnalysis> levels;  ///< the finite network at each target
  std::vector<double> omegas;                ///< frequencies of every `gain`
  ReservoirExperimentOptions options;        ///< the settings it ran with
  RunInfo info;                              ///< model "reservoir", a flow, elapsed seconds
};

/// The JSON of the parts the description writes by their own to_json (reservoir_json.hpp): the
/// theory with its run info, the options with the activation.
nlohmann::json to_json(const MeanFieldResult& mf);
nlohmann::json to_json(const ReservoirExperimentOptions& o);

/// The fields of the experiment (core/describe.hpp); "finite" gathers the finite network (its
/// settings, the training's verdict, the levels); to_json adds the run info (reservoir_json.cpp).
template <>
struct Description<ReservoirExperiment> {
  using R = ReservoirExperiment;
  static constexpr auto fields = std::make_tuple(
      field("status", &R::status, "ok, training_not_converged or mean_field_not_converged"),
      view(
          "omega", "The frequencies of every G_OL (omegas)", +[](const R& r) { return r.omegas; }),
      encoded(field("mean_field", &R::mean_field, "The theory (MeanFieldResult)"), &to_json),
      group("finite", "The finite network: N, seed, ridge, training, w_out_norm and one object per level",
            view(
                "N", "Number of neurons (options.N)", +[](const R& r) { return r.options.N; }),
            view(
                "seed", "Random seed (options.seed)", +[](const R& r) { return r.options.seed; }),
            view(
                "ridge", "Ridge penalty (options.ridge)", +[](const R& r) { return r.options.ridge; }),
            view(
                "training_status", "The training's status (training.status)",
                +[](const R& r) { return r.training.status; }),
            view(
                "readout_error", "max_m |w_out^T r_m - A_m| (training.readout_error)",
                +[](const R& r) { return r.training.readout_error; }),
            field("w_out_norm", &R::w_out_norm, "|w_out|_2"),
            field("levels", &R::levels, "One FiniteTargetAnalysis per level")),
      encoded(field("options", &R::options, "The ReservoirExperimentOptions it ran with (with the activation)"),
              &to_json));
};

/// The front door of `rnndyn reservoir`: draws the reservoir, trains it, solves the theory and
/// analyses every level (outliers started from the mean-field poles). Throws InputError for
/// invalid options.
ReservoirExperiment analyze_reservoir(const ReservoirExperimentOptions& options);

}  // namespace rnndyn
