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

#include "rnndyn/core/describe.hpp"
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

/// The fields of the options (core/describe.hpp); x0 has its own CLI parser, progress is no setting.
template <>
struct Description<LimitCycleOptions> {
  static constexpr auto fields = std::make_tuple(
      field("x0", &LimitCycleOptions::x0, "Initial state; empty: the model's own (file x0), else zeros"),
      field("transient", &LimitCycleOptions::transient, "Time discarded before measuring, >= 0", "--transient"),
      field("window", &LimitCycleOptions::window, "Time over which the section is placed, > 0", "--window"),
      field("max_time", &LimitCycleOptions::max_time, "Further time allowed for the crossings to converge, > 0",
            "--max-time"),
      field("section_unit", &LimitCycleOptions::section_unit, "Section unit, in [-1, dim); -1: the largest range",
            "--section-unit"),
      field("period_tol", &LimitCycleOptions::period_tol, "Relative agreement of successive periods, > 0",
            "--period-tol"),
      field("equilibrium_tol", &LimitCycleOptions::equilibrium_tol,
            "A range below this (times 1 + |x|_inf) on every unit means a fixed point, > 0"),
      field("abs_tol", &LimitCycleOptions::abs_tol, "Absolute tolerance of Dormand-Prince 5(4), > 0"),
      field("rel_tol", &LimitCycleOptions::rel_tol, "Relative tolerance of Dormand-Prince 5(4), > 0"),
      field("blowup", &LimitCycleOptions::blowup, "|x|_inf above this stops the search (diverged), > 0"));
};

/// The result's fields; the run info is added beside them.
template <>
struct Description<LimitCycle> {
  static constexpr auto fields = std::make_tuple(
      field("status", &LimitCycle::status, "found, fixed_point, damped_oscillation, not_periodic or diverged"),
      field("period", &LimitCycle::period, "Period T (found) or 2 pi / Im lambda (damped)"),
      field("x0", &LimitCycle::x0, "The state the search started from"),
      field("amplitude", &LimitCycle::amplitude, "(x_max - x_min) / 2"),
      field("x_min", &LimitCycle::x_min, "Smallest value of each unit over the last period"),
      field("x_max", &LimitCycle::x_max, "Largest value of each unit over the last period"),
      field("section_unit", &LimitCycle::section_unit, "Unit u of the section F_u = 0"),
      field("section_level", &LimitCycle::section_level, "x_u at the last crossing"),
      field("section_point", &LimitCycle::section_point, "The last crossing of the section"),
      field("crossings", &LimitCycle::crossings, "Section crossings seen"),
      field("period_change", &LimitCycle::period_change, "|T_k - T_{k-1}| / T_k at acceptance"),
      field("decay_per_period", &LimitCycle::decay_per_period, "Damped: ratio per period; else 1"),
      field("floquet_multipliers", &LimitCycle::floquet_multipliers,
            "Eigenvalues of Phi(T) by decreasing modulus (complex)"),
      field("trivial_multiplier_error", &LimitCycle::trivial_multiplier_error, "min |mu - 1|"),
      field("monodromy", &LimitCycle::monodromy, "Phi(T) (empty unless found)"),
      field("options", &LimitCycle::options, "The LimitCycleOptions it ran with"));
};

/// The front door: the limit cycle reached from options.x0 (see above). Throws InputError for
/// maps, a wrong-length or non-finite x0, or invalid options.
LimitCycle find_limit_cycle(const Model& model, const LimitCycleOptions& options = {});

}  // namespace rnndyn
