#pragma once
/// Continuation of limit cycles of a flow dx/dt = F(x; p) in one scalar parameter p, by shooting.
///
/// A cycle is a point x on it, its period T and p with
///   R(x, T, p) = phi_T(x; p) - x = 0                    (n equations: the orbit closes)
///   s(x)       = F(x_ref; p_ref) . (x - x_ref) = 0       (phase: x lies on the hyperplane through
///                                                        the previous point x_ref, normal to the flow)
/// phi_T is the flow over time T. The branch in y = (x, T, p) is followed by pseudo-arclength in
/// the scaled z = y / scale (see initial_step): tangent t (in z) with
/// [R_x R_T R_p; F_ref^T 0 0] (scale t) = 0, |t| = 1, oriented like the previous one, predictor
/// y + ds (scale t), and Newton on [R; s; t.((y - y_pred) / scale)] = 0, with
///   R_x = Phi(T) - I   (Phi: the monodromy, dPhi/dt = DF(x(t)) Phi, Phi(0) = I; dynamics/tangent.hpp),
///   R_T = F(phi_T(x)), R_p = d phi_T / dp by a central difference through Model::set_parameter.
/// Piecewise-linear flows are continuous, so the saltation matrix is the identity and Phi is the
/// plain variational solution (see periodic/limit_cycle.hpp).
///
/// Each branch point carries p, T, the point x on the section, the Floquet multipliers (the
/// eigenvalues of Phi(T)) and the range [min, max] of every coordinate along the cycle. Between
/// consecutive points the following are detected:
///   fold              p turns along the branch (a multiplier passes +1; two cycles meet);
///   period_doubling   a real multiplier crosses -1;
///   neimark_sacker    a complex pair of multipliers crosses the unit circle;
///   hopf              the cycle shrinks onto an equilibrium (the branch ends there: collapsed).
/// Multipliers within 1e-3 of 1 besides the trivial one (a fold, or a family of cycles at one p, as
/// at the non-smooth Hopf point of a piecewise-linear flow) take part in no test.
/// Period doubling and Neimark-Sacker are interpolated linearly between the two points; a fold is
/// located by bisection along the step on the sign of dp/ds.
///
/// Starts: `start` given: the cycle reached from it at p = from (find_limit_cycle). Else every Hopf
/// point that continue_fixed_points finds on [from, to]: the cycle is looked for at
/// p_H + hopf_offset (to - from), else at p_H - hopf_offset (to - from) (inside [from, to]), by
/// simulating from the fixed point plus a kick along the critical eigenvector, and followed
/// towards `to`. This also covers the non-smooth Hopf of piecewise-linear flows (the E-I network of
/// seed 002), where the cycle is born with a finite amplitude. Else the model's x0 at p = from.
///
/// Piecewise-linear maps z' = F(z; p) (k-cycles, `map_period` = k >= 2). Starts: every cycle of
/// minimal period k that the exact search find_cycles finds at p = from (or, with `start`, the one
/// with a point nearest to it). Inside one region sequence D_1, ..., D_k the cycle is the solution
/// of the linear system
///   (P(p) - I) z_1 = -q(p),   P z + q = F_{D_k} o ... o F_{D_1}(z),   P = M_{D_k} ... M_{D_1},
/// z_{j+1} = M_{D_j} z_j + m_{D_j}, so every branch point is exact (no corrector). p moves in
/// steps of initial_step |to - from| (constant: the step only sets the spacing of the points and
/// the resolution of the tests below). The multipliers are the eigenvalues of P. Between
/// consecutive points:
///   border_collision  a point z_j reaches a switching hyperplane U_i z + c_i = beta of unit i
///                     (located by bisection in p to `locate_tol`, `unit`, `breakpoint`,
///                     `cycle_point` = j); the branch goes on in the region sequence with D_j on
///                     the other side of that hyperplane when its cycle exists there: past the
///                     border (same direction) or back (a nonsmooth fold, `fold` with
///                     `nonsmooth`); else it ends (status border_collision);
///   period_doubling   a real multiplier crosses -1 inside one sequence;
///   fold              a real multiplier crosses +1 inside one sequence (there P - I is singular:
///                     in a piecewise-linear map the cycle passes through infinity or a continuum,
///                     it does not turn);
///   neimark_sacker    a complex pair crosses |mu| = 1 inside one sequence;
/// each located by bisection on the number of multipliers outside the unit circle (to
/// locate_tol) and typed by the multiplier nearest the circle there. A change of multipliers at a
/// border is part of the border collision, not reported separately.#include <string>
#include <vector>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn {

struct LimitCycleContinuationOptions {
  /// Name of the continued parameter ("tau[1]", "W[0,1]", "g", ...). Required.
  std::string parameter;
  /// The branch is followed from p = from towards p = to (from != to; `from` inside the domain).
  double from = 0.0;
  double to = 1.0;
  /// A state near a cycle at p = from (length dim, finite). Empty (default): Hopf starts, see above.
  Vector start;
  /// Steps are arclengths in scaled coordinates: p in units of |to - from|, x in units of the
  /// largest range max - min of the cycles so far, T in units of their longest period.
  /// First step; 0 (default) picks 0.01. >= 0. Maps: the constant step of p, in units of |to - from|.
  double initial_step = 0.0;
  /// Largest step; 0 (default) picks 0.05. >= 0.
  double max_step = 0.0;
  /// Smallest step before the cycle is declared lost, > 0. Default 1e-8.
  double min_step = 1e-8;
  /// At most this many points per branch, >= 2. Default 500.
  int max_points = 500;
  /// Newton: stop when |R|_inf <= newton_tol (1 + |x|_inf) and the step is as small, > 0. Default 1e-8.
  double newton_tol = 1e-8;
  /// Newton iterations per corrector, >= 1. Default 12.
  int max_newton = 12;
  /// Relative step of the central difference for R_p: h = fd_step max(1, |p|), > 0. Default 1e-6.
  double fd_step = 1e-6;
  /// Error tolerances of the Dormand-Prince 5(4) integration of orbit and monodromy, > 0. Default 1e-10.
  double abs_tol = 1e-10;
  double rel_tol = 1e-10;
  /// Samples per period for the min and max of each coordinate along the cycle, >= 16. Default 4000.
  int samples = 4000;
  /// Hopf starts: the cycle is looked for at p_H +- hopf_offset (to - from), in (0, 1). Default 0.05.
  double hopf_offset = 0.05;
  /// Hopf starts: the kick from the fixed point, times 1 + |x_H|_inf, > 0. Default 0.1.
  double hopf_kick = 0.1;
  /// A cycle whose largest range max - min falls below this (times 1 + |x|_inf), or below what
  /// the last step took off it, has shrunk onto an equilibrium (status collapsed); a period above
  /// max_period is taken as a homoclinic approach (status cycle_lost). > 0. Defaults 1e-6 and 1e7.
  double collapse_tol = 1e-6;
  double max_period = 1e7;
  /// The cycle escapes to infinity when a coordinate along it exceeds this in modulus (status
  /// unbounded), > 0. Default 1e6.
  double max_norm = 1e6;
  /// Settings of the simulation that finds the first cycle (its x0 is set by the front door).
  LimitCycleOptions search;
  /// Maps (piecewise-linear): the minimal period k of the cycles continued, in [2, 64]. Default 2.
  int map_period = 2;
  /// Maps: border collisions and multiplier crossings are located in p to this, > 0. Default 1e-13
  /// (relative to max(1, |p|)).
  double locate_tol = 1e-13;
  /// Maps: the exact k-cycle search at p = from (its `period` is set to map_period).
  PlCycleOptions cycles;
  /// Reports (stage "cycle continuation": share of [from, to] covered, points so far); returning
  /// false stops the run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  /// Throws InputError naming the field (nested ones as search.<field>).
  void validate() const;
  /// validate(), the parameter name, `from` inside its domain, the model a flow and start's length.
  void validate(const Model& model) const;
};

/// The fields of the options (core/describe.hpp); start has its own CLI parser (--start), progress
/// is no setting. Steps are arclengths in scaled units (see above).
template <>
struct Description<LimitCycleContinuationOptions> {
  using O = LimitCycleContinuationOptions;
  static constexpr auto fields = std::make_tuple(
      field("parameter", &O::parameter, "Parameter name: W[i,j], b[i], tau[i], g, ... (required)", "--param"),
      field("from", &O::from, "The branch is followed from p = from (inside the parameter's domain; from != to)",
            "--from"),
      field("to", &O::to, "... towards p = to", "--to"),
      field("start", &O::start,
            "A state near a cycle at p = from (empty: every Hopf point of the fixed points on [from, to], else the "
            "model's x0; maps: every k-cycle at p = from, or the one nearest this)"),
      field("initial_step", &O::initial_step,
            "First arclength step in scaled units (p by |to - from|, x by the cycle range, T by the period), >= 0 "
            "(0: 0.01); maps: the constant step of p, in units of |to - from|",
            "--step"),
      field("max_step", &O::max_step, "Largest scaled arclength step, >= 0 (0: 0.05)", "--max-step"),
      field("min_step", &O::min_step, "Smallest scaled step before the cycle is declared lost, > 0"),
      field("max_points", &O::max_points, "Most points per branch, >= 2", "--max-points"),
      field("newton_tol", &O::newton_tol,
            "Newton tolerance of the shooting corrector: |R|_inf and the step at most this (1 + |x|_inf), > 0",
            "--tol"),
      field("max_newton", &O::max_newton, "Newton iterations per corrector, >= 1"),
      field("fd_step", &O::fd_step, "Relative step of the central difference for R_p (h = fd_step max(1, |p|)), > 0"),
      field("abs_tol", &O::abs_tol, "Absolute tolerance of the Dormand-Prince 5(4) orbit and monodromy, > 0"),
      field("rel_tol", &O::rel_tol, "Relative tolerance of the Dormand-Prince 5(4) orbit and monodromy, > 0"),
      field("samples", &O::samples, "Samples per period for the min and max of each coordinate, >= 16", "--samples"),
      field("hopf_offset", &O::hopf_offset, "Hopf starts at p_H +- hopf_offset (to - from), in (0, 1)",
            "--hopf-offset"),
      field("hopf_kick", &O::hopf_kick, "Hopf starts: the kick from the fixed point, times 1 + |x_H|_inf, > 0"),
      field("collapse_tol", &O::collapse_tol,
            "A cycle whose largest range falls below this (times 1 + |x|_inf) has collapsed onto an equilibrium, > 0"),
      field("max_period", &O::max_period, "A period above this is a homoclinic approach (cycle_lost), > 0"),
      field("max_norm", &O::max_norm, "A coordinate along the cycle above this in modulus: unbounded, > 0"),
      field("search", &O::search, "LimitCycleOptions of the simulation that finds the first cycle"),
      field("map_period", &O::map_period,
            "Piecewise-linear maps: the minimal period k of the cycles followed (the exact k-cycles at p = from), in "
            "[2, 64]",
            "--map-period"),
      field("locate_tol", &O::locate_tol,
            "Maps: border collisions and multiplier crossings located in p to this (relative to max(1, |p|)), > 0"),
      field("cycles", &O::cycles, "Maps: CycleOptions of the exact k-cycle search at p = from (period = map_period)"));
};

enum class CycleBranchStatus {
  Reached,         ///< the branch got to p = to (its last point solved at exactly p = to)
  LeftInterval,    ///< the branch turned back (a fold) and left through p = from
  CycleLost,       ///< the corrector failed down to min_step, or the period passed max_period
  Collapsed,       ///< the cycle shrank onto an equilibrium (a Hopf point ends the branch)
  Unbounded,       ///< a coordinate along the cycle passed max_norm (the cycle grows without bound)
  MaxPoints,       ///< max_points reached
  DomainBoundary,  ///< the branch reached the edge of the parameter's domain (a time constant at 0)
  StartNotFound,   ///< no cycle at the start (the simulation ended on `start_status`)
  BorderCollision  ///< maps: a border collision with no continuation in a neighbouring region sequence
};
/// "reached", "left_interval", "cycle_lost", "collapsed", "unbounded", "max_points",
/// "domain_boundary", "start_not_found", "border_collision".
std::string to_string(CycleBranchStatus s);

struct CyclePoint {
  double p = 0.0;
  double period = 0.0;                ///< flows: T; maps: k
  Vector x;                           ///< the point of the cycle on the phase hyperplane (maps: z_1)
  ComplexVector floquet_multipliers;  ///< eigenvalues of Phi(T) (maps: of P), by decreasing modulus
  /// min |mu - 1|: one multiplier is 1 exactly (flows); NaN for maps (no trivial multiplier).
  double trivial_multiplier_error = 0.0;
  /// Stable when every multiplier but the trivial one has |mu| < 1 (maps: every multiplier).
  bool stable = false;
  Vector x_min, x_max;    ///< range of each coordinate along the cycle (maps: over its k points)
  double residual = 0.0;  ///< |phi_T(x) - x|_inf (maps: max_j |F(z_j) - z_{j+1}|_inf, F evaluated directly)
  int direction = 1;      ///< sign of dp/ds at this point
  /// Maps: the k points z_1, ..., z_k (z_{j+1} = F(z_j)), labelled continuously along the branch.
  std::vector<Vector> points;
  /// Maps: a point of the cycle lies on a switching hyperplane (a border-collision point).
  bool on_border = false;
};

/// Hopf: the branch ends on an equilibrium (status collapsed), at its last point. BorderCollision:
/// maps, a point of the cycle on a switching hyperplane.
enum class CycleBifurcationType { Fold, PeriodDoubling, NeimarkSacker, Hopf, BorderCollision };
/// "fold", "period_doubling", "neimark_sacker", "hopf", "border_collision".
std::string to_string(CycleBifurcationType t);

struct CycleBifurcation {
  CycleBifurcationType type = CycleBifurcationType::Fold;
  double p = 0.0;       ///< interpolated parameter value (maps: located to locate_tol)
  double period = 0.0;  ///< at the branch point before it
  Index branch = 0;
  Index point_index = 0;  ///< the branch point after which it was found
  /// Maps: the cycle there (z_1, ..., z_k) and its multipliers (border collisions: those of the
  /// region sequence the branch arrives from).
  std::vector<Vector> points;
  ComplexVector multipliers;
  /// Maps, border collision: the unit and breakpoint of the hyperplane hit, and which point
  /// z_j (0-based) hit it; -1 otherwise.
  Index unit = -1;
  Index breakpoint = -1;
  Index cycle_point = -1;
  /// A fold at a border (the branch turns back there), not at a multiplier +1.
  bool nonsmooth = false;
};

struct CycleBranch {
  CycleBranchStatus status = CycleBranchStatus::Reached;
  /// "start" (the given state), "hopf" (a Hopf point of the fixed points), "initial_state", or
  /// (maps) "k_cycle" (a cycle of the exact search at p = from).
  std::string source;
  /// Hopf starts: the Hopf point's parameter value; else `from`.
  double source_p = 0.0;
  /// Where the first cycle was looked for (p_H +- hopf_offset (to - from) for Hopf starts).
  double start_p = 0.0;
  /// The status of the simulation that looked for the first cycle ("found", "fixed_point", ...);
  /// maps: the status of the k-cycle search ("complete", "incomplete", "sampled").
  std::string start_status;
  std::vector<CyclePoint> points;
};

struct LimitCycleContinuationResult {
  std::string parameter;
  std::vector<CycleBranch> branches;
  std::vector<CycleBifurcation> bifurcations;
  /// Hopf points of the fixed-point branches on [from, to] (when Hopf starts were looked for).
  std::vector<double> hopf_points;
  /// Empty, or why there is no branch with points (also written to stderr by the CLI).
  std::string message;
  LimitCycleContinuationOptions options;  ///< the settings it ran with
  RunInfo info;
};

template <>
struct Description<CyclePoint> {
  using P = CyclePoint;
  static constexpr bool (*map)(const P&) = +[](const P& p) { return !p.points.empty(); };
  static constexpr auto fields = std::make_tuple(
      field("p", &P::p, "The parameter value"), field("period", &P::period, "Flows: T; maps: k"),
      field("x", &P::x, "The point of the cycle on the phase hyperplane (maps: z_1)"),
      field("floquet_multipliers", &P::floquet_multipliers, "Eigenvalues of the monodromy (maps: of P)"),
      field("trivial_multiplier_error", &P::trivial_multiplier_error, "min |mu - 1| (flows; maps: nan)"),
      field("stable", &P::stable, "Every multiplier but the trivial one inside the unit circle"),
      field("x_min", &P::x_min, "Least value of each coordinate along the cycle"),
      field("x_max", &P::x_max, "Greatest value of each coordinate along the cycle"),
      field("residual", &P::residual, "|phi_T(x) - x|_inf (maps: max_j |F(z_j) - z_{j+1}|_inf)"),
      when(field("points", &P::points, "Maps: the k points z_1, ..., z_k of the cycle (flows: empty)"), map),
      when(field("on_border", &P::on_border, "Maps: a point of the cycle on a switching hyperplane"), map));
};

template <>
struct Description<CycleBranch> {
  using B = CycleBranch;
  static constexpr auto fields =
      std::make_tuple(field("status", &B::status, "How the branch ended"),
                      field("source", &B::source, "'start', 'hopf', 'initial_state' or (maps) 'k_cycle'"),
                      field("source_p", &B::source_p, "Hopf starts: the Hopf point's parameter value; else from"),
                      field("start_p", &B::start_p, "Where the first cycle was looked for"),
                      field("start_status", &B::start_status, "How the search for the first cycle ended"),
                      field("points", &B::points, "Its points, in order"));
};

template <>
struct Description<CycleBifurcation> {
  using B = CycleBifurcation;
  // Maps write the cycle there; their border collisions also the hyperplane hit.
  static constexpr bool (*map)(const B&) = +[](const B& b) { return !b.points.empty(); };
  static constexpr bool (*border)(const B&) = +[](const B& b) {
    return !b.points.empty() && b.type == CycleBifurcationType::BorderCollision;
  };
  static constexpr auto fields = std::make_tuple(
      field("type", &B::type, "fold, period_doubling, neimark_sacker, hopf or border_collision"),
      field("parameter", &B::p, "The parameter value where it occurs"),
      field("period", &B::period, "At the branch point before it"), field("branch", &B::branch, "Index of its branch"),
      field("point_index", &B::point_index, "The branch point after which it was found"),
      when(field("points", &B::points, "Maps: the cycle there"), map),
      when(field("multipliers", &B::multipliers, "Maps: its multipliers"), map),
      when(field("nonsmooth", &B::nonsmooth, "Maps: a fold at a border"), map),
      when(field("unit", &B::unit, "Border collision: the unit whose hyperplane is hit"), border),
      when(field("breakpoint", &B::breakpoint, "... and which of its breakpoints"), border),
      when(field("cycle_point", &B::cycle_point, "... by which point z_j (0-based)"), border));
};

template <>
struct Description<LimitCycleContinuationResult> {
  using R = LimitCycleContinuationResult;
  static constexpr auto fields =
      std::make_tuple(field("parameter", &R::parameter, "The continued parameter"),
                      field("branches", &R::branches, "One branch per start cycle"),
                      field("bifurcations", &R::bifurcations, "Of the cycles, in branch order"),
                      field("hopf_points", &R::hopf_points, "Hopf points of the fixed-point branches on [from, to]"),
                      field("message", &R::message, "Empty, or why there is no branch with points"),
                      field("options", &R::options, "The settings it ran with"),
                      view(
                          "from", "The parameter value the branches start at (options.from)",
                          +[](const R& r) { return r.options.from; }),
                      view(
                          "to", "The parameter value they are followed towards (options.to)",
                          +[](const R& r) { return r.options.to; }));
};

/// The front door: finds the start cycles (see above) and follows one branch from each. `model`
/// is not modified. Throws InputError for smooth maps, an unknown parameter or invalid options.
LimitCycleContinuationResult continue_limit_cycles(const Model& model, const LimitCycleContinuationOptions& options);

}  // namespace rnndyn
