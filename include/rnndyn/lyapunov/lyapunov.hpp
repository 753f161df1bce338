#pragma once
/// Lyapunov spectra by QR reorthonormalisation (Benettin et al. 1980; Shimada and Nagashima 1979).
///
/// Along a trajectory x(t) of dx/dt = F(x) (or x_{t+1} = F(x_t)), K tangent vectors Q (dim x K,
/// orthonormal columns) evolve by the variational equation
///   dQ/dt = DF(x(t)) Q          (flows)        Q_{t+1} = DF(x_t) Q_t     (maps)
/// (dynamics/tangent.hpp) and every `interval` they are re-orthonormalised, Q R = Q (thin
/// Householder QR, diag R > 0). The k-th exponent is lambda_k = (1/T) sum over intervals of
/// log R_kk. The convergence estimate splits the measured time into `blocks` equal blocks and
/// bootstraps the block means (percentile interval, fixed seed). The exponents are reported in
/// descending order (the QR order is descending only in the limit T -> inf; the two exponents of
/// a complex pair, equal in the limit, come out in either order), and neighbours whose intervals
/// overlap are listed as not resolved from each other.
#include <cstdint>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/dynamics/tangent.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

/// dopri5 (adaptive Dormand-Prince 5(4) on the augmented system (x, Q)) or rk4 (classical
/// Runge-Kutta with the fixed step `dt`, the reference NumPy algorithm); see TangentStepper.
using LyapunovIntegrator = TangentStepper;

/// The number of exponents measured by default (k = 0) in networks larger than that.
constexpr Index kDefaultLyapunovExponents = 10;

struct LyapunovOptions {
  /// Initial state, length dim and finite; empty (default): the model's initial_state_or_zeros()
  /// (the model file's `x0`, else a trained reservoir's first trained state, else zeros).
  Vector x0;
  /// Number of exponents K, in [0, dim]; 0 (default): all when dim <= kDefaultLyapunovExponents,
  /// else the kDefaultLyapunovExponents leading ones. The tangent system costs O(dim^2 K) a step,
  /// so the full spectrum of a 400-unit network takes minutes where the leading 10 take seconds;
  /// K = dim asks for all.
  Index k = 0;
  /// Time (flows) or steps (maps) run before measuring, so that x sits on the attractor, >= 0.
  /// Default 100.
  double warmup = 100.0;
  /// Measured time (flows) or steps (maps), > 0. Default 1000.
  double t_total = 1000.0;
  /// Time (flows) or steps (maps, rounded, >= 1) between QR reorthonormalisations, in
  /// (0, t_total]. Default 1.
  double interval = 1.0;
  /// Stepper of the tangent system (flows). Default dopri5.
  LyapunovIntegrator integrator = LyapunovIntegrator::Dopri5;
  /// Fixed step of rk4; 0 (default) picks interval / 10. >= 0 (flows only).
  double dt = 0.0;
  /// Error tolerances of dopri5 (and of the warm-up), > 0. Default 1e-9 each.
  double abs_tol = 1e-9;
  double rel_tol = 1e-9;
  /// Number of time blocks of the bootstrap, in [2, number of intervals]. Default 10.
  int blocks = 10;
  /// Bootstrap resamples, >= 10. Default 2000.
  int bootstrap_samples = 2000;
  /// Confidence level of the interval, in (0, 1). Default 0.95.
  double confidence = 0.95;
  /// Seed of the random initial tangent vectors and of the bootstrap. Default 1.
  std::uint64_t seed = 1;
  /// |x|_inf above this stops the run (status Diverged), > 0. Default 1e12.
  double blowup = 1e12;
  /// Initial tangent vectors (dim x K, orthonormalised before use); empty (default): a
  /// fixed-seed random orthonormal frame. Lets another implementation start from the same frame.
  Matrix initial_tangents;
  /// Reports (stages "warmup", "lyapunov": share of the time integrated); returning false stops the
  /// run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  /// Throws InputError naming the field (x0, k and initial_tangents are checked against the
  /// model by lyapunov_spectrum).
  void validate() const;
};

enum class LyapunovStatus {
  Ok,
  Diverged  ///< the trajectory left every bound; exponents cover the time before
};
/// "ok" or "diverged".
std::string to_string(LyapunovStatus s);

struct LyapunovSpectrum {
  LyapunovStatus status = LyapunovStatus::Ok;
  /// lambda_1 >= ... >= lambda_K (per time unit of the model, or per step); every per-exponent
  /// field below is in this order.
  Vector exponents;
  Vector ci_low;  ///< bootstrap percentile interval per exponent
  Vector ci_high;
  Vector standard_error;   ///< std of the block estimates / sqrt(blocks)
  Matrix block_estimates;  ///< K x blocks, the estimate from each block alone
  Matrix running;          ///< K x blocks, the estimate from the start to the end of each block
  double sum = 0.0;        ///< sum of the exponents (full spectrum of a flow: time average of tr DF)
  /// i (0-based) such that the intervals of lambda_i and lambda_{i+1} overlap: the two are not
  /// resolved from each other at this measured time (a complex pair, a degenerate spectrum, or
  /// too short a run). Empty when every neighbour is resolved.
  std::vector<Index> unresolved;
  double measured_time = 0.0;
  Index reorthonormalisations = 0;
  Vector x0;                ///< the state the run started from (before the warm-up)
  Vector final_state;       ///< x at the end of the measured time
  LyapunovOptions options;  ///< the settings it ran with
  RunInfo info;             ///< model kind, flow or map, elapsed seconds
};

/// The fields of the options (core/describe.hpp): JSON keys, Python attributes, CLI flags. x0 has
/// its own CLI parser (a list, @file or "zeros"); progress is no setting and is not described.
static_assert(kDefaultLyapunovExponents == 10, "the doc line of k below names the default count");
template <>
struct Description<LyapunovOptions> {
  static constexpr auto fields = std::make_tuple(
      field("x0", &LyapunovOptions::x0,
            "Initial state; empty: the model's own (file x0, else a trained state), else zeros"),
      field("k", &LyapunovOptions::k,
            "Number of exponents K in [0, dim]; 0: all up to dim 10, else the 10 leading ones", "--k"),
      field("warmup", &LyapunovOptions::warmup, "Time (flows) or steps (maps) run before measuring, >= 0", "--warmup"),
      field("t_total", &LyapunovOptions::t_total, "Measured time (flows) or steps (maps), > 0", "--t"),
      field("interval", &LyapunovOptions::interval, "Time or steps between QR reorthonormalisations, in (0, t]",
            "--interval"),
      enum_field("integrator", &LyapunovOptions::integrator, &parse_tangent_stepper,
                 "Stepper of the tangent system: dopri5 (adaptive) or rk4 (fixed step dt)", "--integrator"),
      field("dt", &LyapunovOptions::dt, "Fixed step of rk4, >= 0; 0: interval / 10", "--dt"),
      field("abs_tol", &LyapunovOptions::abs_tol, "Absolute error tolerance of dopri5, > 0", "--atol"),
      field("rel_tol", &LyapunovOptions::rel_tol, "Relative error tolerance of dopri5, > 0", "--rtol"),
      field("blocks", &LyapunovOptions::blocks, "Time blocks of the bootstrap, in [2, number of intervals]",
            "--blocks"),
      field("bootstrap_samples", &LyapunovOptions::bootstrap_samples, "Bootstrap resamples, >= 10"),
      field("confidence", &LyapunovOptions::confidence, "Confidence level of the intervals, in (0, 1)", "--confidence"),
      field("seed", &LyapunovOptions::seed, "Seed of the initial tangent vectors and of the bootstrap", "--seed"),
      field("blowup", &LyapunovOptions::blowup, "|x|_inf above this stops the run (status diverged), > 0"),
      field("initial_tangents", &LyapunovOptions::initial_tangents,
            "Initial tangent vectors (dim x K); empty: a fixed-seed random orthonormal frame"));
};

/// The result's fields; the run info (model, time, elapsed_seconds) is added beside them.
template <>
struct Description<LyapunovSpectrum> {
  static constexpr auto fields = std::make_tuple(
      field("status", &LyapunovSpectrum::status, "ok, or diverged (the exponents cover the time before)"),
      field("exponents", &LyapunovSpectrum::exponents, "lambda_1 >= ... >= lambda_K (per time unit or per step)"),
      field("ci_low", &LyapunovSpectrum::ci_low, "Lower end of the bootstrap interval per exponent"),
      field("ci_high", &LyapunovSpectrum::ci_high, "Upper end of the bootstrap interval per exponent"),
      field("standard_error", &LyapunovSpectrum::standard_error, "Std of the block estimates / sqrt(blocks)"),
      field("block_estimates", &LyapunovSpectrum::block_estimates, "K x blocks: the estimate from each block alone"),
      field("running", &LyapunovSpectrum::running, "K x blocks: the estimate from the start to each block's end"),
      field("sum", &LyapunovSpectrum::sum, "Sum of the exponents"),
      field("unresolved", &LyapunovSpectrum::unresolved,
            "i such that the intervals of exponents i and i + 1 overlap (not resolved)"),
      field("measured_time", &LyapunovSpectrum::measured_time, "Time (or steps) measured"),
      field("reorthonormalisations", &LyapunovSpectrum::reorthonormalisations, "QR steps done"),
      field("x0", &LyapunovSpectrum::x0, "The state the run started from (before the warm-up)"),
      field("final_state", &LyapunovSpectrum::final_state, "x at the end of the measured time"),
      field("options", &LyapunovSpectrum::options, "The LyapunovOptions it ran with"));
};

/// The front door: the first K exponents along the trajectory from options.x0. Throws
/// InputError for x0 of the wrong length or not finite, k > dim, or invalid options.
LyapunovSpectrum lyapunov_spectrum(const Model& model, const LyapunovOptions& options = {});

}  // namespace rnndyn
