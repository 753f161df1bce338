#pragma once
/// Lyapunov spectra by QR reorthonormalisation (Benettin et al. 1980; Shimada and Nagashima 1979).
///
/// Along a trajectory x(t) of dx/dt = F(x) (or x_{t+1} = F(x_t)), K tangent vectors Q (dim x K,
/// orthonormal columns) evolve by the variational equation
///   dQ/dt = DF(x(t)) Q          (flows)        Q_{t+1} = DF(x_t) Q_t     (maps)
/// and every `interval` they are re-orthonormalised, Q R = Q (thin Householder QR, diag R > 0).
/// The k-th exponent is lambda_k = (1/T) sum over intervals of log R_kk, sorted decreasingly
/// by construction. The convergence estimate splits the measured time into `blocks` equal
/// blocks and bootstraps the block means (percentile interval, fixed seed).
#include <cstdint>
#include <string>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class LyapunovIntegrator {
  Dopri5,  ///< adaptive Dormand-Prince 5(4) (Boost.Odeint) on the augmented system (x, Q)
  Rk4      ///< classical Runge-Kutta with fixed step `dt` (the reference NumPy algorithm)
};
std::string to_string(LyapunovIntegrator m);
/// "dopri5" or "rk4"; throws InputError naming `field`.
LyapunovIntegrator lyapunov_integrator_from_string(const std::string& name, const std::string& field = "integrator");

struct LyapunovOptions {
  /// Number of exponents K; 0 means all (dim). In [0, dim].
  Index k = 0;
  /// Time (flows) or steps (maps) run before measuring, so that x sits on the attractor, >= 0.
  double warmup = 100.0;
  /// Measured time (flows) or steps (maps), > 0.
  double t_total = 1000.0;
  /// Time (flows) or steps (maps, rounded, >= 1) between QR reorthonormalisations, > 0.
  double interval = 1.0;
  LyapunovIntegrator integrator = LyapunovIntegrator::Dopri5;
  /// Fixed step of rk4; 0 picks interval / 10. >= 0 (flows only).
  double dt = 0.0;
  /// Error tolerances of dopri5, > 0.
  double abs_tol = 1e-9;
  double rel_tol = 1e-9;
  /// Number of time blocks of the bootstrap, in [2, number of intervals].
  int blocks = 10;
  /// Bootstrap resamples, >= 10.
  int bootstrap_samples = 2000;
  /// Confidence level of the interval, in (0, 1).
  double confidence = 0.95;
  /// Seed of the random initial tangent vectors and of the bootstrap.
  std::uint64_t seed = 1;
  /// |x|_inf above this stops the run (status Diverged), > 0.
  double blowup = 1e12;
  /// Initial tangent vectors (dim x K, orthonormalised before use); empty: a fixed-seed random
  /// orthonormal frame. Lets another implementation start from the same frame.
  Matrix initial_tangents;
  void validate() const;
};

enum class LyapunovStatus {
  Ok,
  Diverged  ///< the trajectory left every bound; exponents cover the time before
};
std::string to_string(LyapunovStatus s);

struct LyapunovSpectrum {
  LyapunovStatus status = LyapunovStatus::Ok;
  Vector exponents;  ///< lambda_1 >= ... >= lambda_K (per time unit of the model, or per step)
  Vector ci_low;     ///< bootstrap percentile interval per exponent
  Vector ci_high;
  Vector standard_error;   ///< std of the block estimates / sqrt(blocks)
  Matrix block_estimates;  ///< K x blocks, the estimate from each block alone
  Matrix running;          ///< K x blocks, the estimate from the start to the end of each block
  double measured_time = 0.0;
  Index reorthonormalisations = 0;
  Vector final_state;
};

/// Throws InputError for x0 of the wrong length or not finite, or invalid options.
LyapunovSpectrum lyapunov_spectrum(const Model& model, const Vector& x0, const LyapunovOptions& options = {});

}  // namespace rnndyn
