#pragma once
/// Limit cycles of flows dx/dt = F(x): detection by simulation and a Poincare section, period,
/// amplitude, and Floquet multipliers from the monodromy matrix.
///
/// From x0 (the options' start, else the model's own initial state, else zeros) and after a
/// transient, the orbit's range on each unit is measured; the section is the surface F_u(x) = 0
/// crossed with F_u decreasing (the maxima of x_u, u the unit of largest range). The period T is
/// the time between successive crossings (located by bisection on the dense output); the cycle
/// is accepted when two successive periods and crossing points agree to `period_tol`. The
/// monodromy matrix Phi(T) solves the variational equation
///   dPhi/dt = DF(x(t)) Phi,  Phi(0) = I,
/// integrated together with x from the section point over one period (dynamics/tangent.hpp);
/// its eigenvalues are the Floquet multipliers, one of which is 1 (the direction along the
/// orbit). For piecewise-linear models DF jumps on switching hyperplanes, but F is continuous
/// there, so the saltation matrix I + (F+ - F-) n^T / (n . F-) is the identity and the plain
/// variational equation is exact.
#include <string>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct LimitCycleOptions {
  /// Initial state, length dim and finite; empty (default): the model's initial_state_or_zeros()
  /// (the model file's `x0`, else zeros).
  Vector x0;
  /// Time discarded before measuring, >= 0. Default 2000.
  double transient = 2000.0;
  /// Time over which the range of the orbit is measured to place the section, > 0. Default 1000.
  double window = 1000.0;
  /// Further time allowed to find converged section crossings, > 0. Default 20000.
  double max_time = 20000.0;
  /// Section unit; -1 (default) picks the unit with the largest range in the window. In [-1, dim).
  Index section_unit = -1;
  /// Relative agreement of two successive periods (and crossing points) that accepts the cycle,
  /// > 0. Default 1e-7.
  double period_tol = 1e-7;
  /// A range max - min below this (times 1 + |x|_inf) on every unit means the orbit settled on
  /// a fixed point, > 0. Default 1e-6.
  double equilibrium_tol = 1e-6;
  /// Error tolerances of the Dormand-Prince 5(4) integrator (orbit and variational equation),
  /// > 0. Default 1e-11 each.
  double abs_tol = 1e-11;
  double rel_tol = 1e-11;
  /// |x|_inf above this stops the search (status Diverged), > 0. Default 1e12.
  double blowup = 1e12;
  /// Reports (stage "limit cycle": share of transient + window + max_time integrated); returning
  /// false stops the run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  /// Throws InputError naming the field (x0 is checked against the model by find_limit_cycle).
  void validate() const;
};

enum class LimitCycleStatus {
  Found,              ///< converged periodic orbit
  FixedPoint,         ///< the orbit settled on an equilibrium (no cycle)
  DampedOscillation,  ///< the oscillation shrinks by a constant factor per period (stable focus)
  NotPeriodic,        ///< crossings did not converge within max_time (quasi-periodic, chaotic or slow)
  Diverged            ///< the orbit left every bound
};
/// "found", "fixed_point", "damped_oscillation", "not_periodic", "diverged".
std::string to_string(LimitCycleStatus s);

struct LimitCycle {
  LimitCycleStatus status = LimitCycleStatus::NotPeriodic;
  double period = 0.0;
  Vector x0;            ///< the state the search started from
  Vector x_min, x_max;  ///< range of each unit over the last period (over the window unless Found)
  Vector amplitude;     ///< (x_max - x_min) / 2
  Index section_unit = 0;
  double section_level = 0.0;  ///< x_u at the last section crossing (a maximum of x_u)
  Vector section_point;        ///< the last crossing of the section
  int crossings = 0;           ///< section crossings seen
  double period_change = 0.0;  ///< |T_k - T_{k-1}| / T_k at acceptance
  /// DampedOscillation: ratio of successive differences of the maxima of x_u (< 1); 1 otherwise.
  double decay_per_period = 1.0;
  Matrix monodromy;                       ///< Phi(T) (empty unless Found)
  ComplexVector floquet_multipliers;      ///< eigenvalues of Phi(T), by decreasing modulus
  double trivial_multiplier_error = 0.0;  ///< min_i |mu_i - 1|
  LimitCycleOptions options;              ///< the settings it ran with
  RunInfo info;                           ///< model kind, flow, elapsed seconds
};

/// The front door: the limit cycle reached from options.x0 (see above). Throws InputError for
/// maps, a wrong-length or non-finite x0, or invalid options.
LimitCycle find_limit_cycle(const Model& model, const LimitCycleOptions& options = {});

}  // namespace rnndyn
