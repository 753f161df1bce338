#pragma once
/// Finite-size analysis of a trained reservoir at each target (seed 003, eqs. 4-7):
/// open-loop spectral radius rho of W R' (fading memory needs rho < 1), the closed-loop
/// Jacobian -I + (W + w_FB w_out^T) R' and its spectrum, the outlier eigenvalues created by the
/// feedback loop (roots of G^OL(s) = 1, refined by Newton from the mean-field poles), the
/// open-loop gain on a frequency grid and the Nyquist verdict.
#include <optional>
#include <vector>

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

struct FiniteTargetAnalysis {
  double A = 0.0;
  double rho = 0.0;                       ///< spectral radius of W R' at x_A
  ComplexVector closed_loop_eigenvalues;  ///< dense spectrum of eq. 4, decreasing real part (if requested)
  /// Roots of G^OL(s) = 1 reached by Newton from each start (mean-field poles, else the
  /// closed-loop eigenvalues farthest from the open-loop spectrum); NaN when Newton failed.
  ComplexVector outliers;
  /// The M closed-loop eigenvalues farthest from any open-loop eigenvalue lambda_k - 1 (dense only).
  ComplexVector displaced;
  ComplexVector gain;  ///< G^OL(i omega) at options.omegas
  NyquistResult nyquist;
  /// Largest real part of the dense closed-loop spectrum (NaN when not computed).
  double max_real = 0.0;
};

/// Analyses every trained target; `mean_field` (optional) supplies Newton starting points.
std::vector<FiniteTargetAnalysis> analyze_reservoir(const Reservoir& reservoir, const TrainingResult& training,
                                                    const MeanFieldResult* mean_field,
                                                    const ReservoirAnalysisOptions& options = {});

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

}  // namespace rnndyn
