#pragma once
/// Continuation of fixed points in one scalar parameter p, with fold, Hopf and border-collision
/// detection.
///
///   G(x, p) = F(x; p)        (flows,  dx/dt = F(x; p))
///   G(x, p) = F(x; p) - x    (maps,   x_{t+1} = F(x_t; p))
///
/// The branch {G = 0} is followed by pseudo-arclength continuation in y = (x, p): tangent
/// predictor y + ds t with [G_x G_p] t = 0, |t| = 1, and a Newton corrector on
/// [G(y); t.(y - y_pred)] = 0. G_p is a central difference through Model::set_parameter on a
/// clone.
///
/// Bifurcations between consecutive branch points are detected from test functions and located by
/// bisection along the arclength (to `locate_tol`):
///   fold              the p-component of the tangent changes sign (det G_x crosses 0);
///   hopf              (flows) a complex pair crosses Re lambda = 0; omega = |Im lambda| there;
///   neimark_sacker    (maps) a complex pair crosses |lambda| = 1; omega = |arg lambda| there;
///   period_doubling   (maps) a real eigenvalue crosses -1;
///   border_collision  (piecewise-linear models, seed 001) the branch hits a switching hyperplane
///                     U_i z + c_i = beta of unit i.
/// Piecewise-linear models are continued region by region: inside a region G is affine in x, so
/// the Newton corrector is exact after one step; a step that leaves the region is cut at the
/// hyperplane (bisection on the hyperplane function), and the branch restarts there with the
/// tangent of the new region. A tangent whose p-component flips at the border is a nonsmooth
/// fold (reported as a fold with `nonsmooth` = true, beside the border collision).
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct ContinuationOptions {
  /// Name of the continued parameter, e.g. "tau[1]", "b[0]", "W[0,1]", "g". Required.
  std::string parameter;
  /// The branch starts at p = from and is followed towards p = to (from != to).
  double from = 0.0;
  double to = 1.0;
  /// First arclength step; 0 picks |to - from| / 100. >= 0.
  double initial_step = 0.0;
  /// Largest arclength step; 0 picks |to - from| / 20. >= 0.
  double max_step = 0.0;
  /// Smallest arclength step before giving up (status StepTooSmall), > 0.
  double min_step = 1e-10;
  /// At most this many branch points, >= 2.
  int max_points = 5000;
  /// Newton corrector: stop when |G|_inf <= newton_tol and |dy|_inf <= newton_tol (1 + |y|_inf); > 0.
  double newton_tol = 1e-11;
  /// Newton iterations per corrector, >= 1.
  int max_newton = 25;
  /// Relative step of the central difference for G_p: h = fd_step * max(1, |p|), > 0.
  double fd_step = 1e-6;
  /// The branch stops (status Unbounded) when |x|_inf exceeds this, > 0.
  double max_norm = 1e10;
  /// Bisection along the arclength stops at this step, > 0.
  double locate_tol = 1e-12;
  /// Eigenvalue classification (marginal and real thresholds).
  StabilityOptions stability;
  /// Start guesses at p = from, one branch each (corrected by Newton first). Empty (default):
  /// every fixed point at p = from (find_fixed_points with its defaults: exact for
  /// piecewise-linear models, numeric for smooth ones), plus the model's own initial state (model
  /// file x0) when Newton takes it to a fixed point not among them, or when none was found (its
  /// branch then says start_not_converged if Newton fails there).
  std::vector<Vector> starts;
  /// Start one branch at every fixed point at p = from even when starts are given or the model
  /// has an initial state (they are added after the given starts). Default false.
  bool all_fixed_points = false;
  /// Reports (stage "continuation": share of [from, to] covered by the branch being followed, points so far); returning
  /// false stops the run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  void validate() const;
  /// validate(), and that `parameter` names a parameter of `model` whose domain holds `from`.
  void validate(const Model& model) const;
};

/// The fields of the options (core/describe.hpp); starts have their own CLI parser (--start,
/// repeatable), progress is no setting.
template <>
struct Description<ContinuationOptions> {
  using O = ContinuationOptions;
  static constexpr auto fields = std::make_tuple(
      field("parameter", &O::parameter, "Parameter name: W[i,j], b[i], tau[i], g, ... (required)", "--param"),
      field("from", &O::from, "The branch starts at p = from (inside the parameter's domain; from != to)", "--from"),
      field("to", &O::to, "The branch is followed towards p = to", "--to"),
      field("initial_step", &O::initial_step, "First arclength step, >= 0 (0: |to - from| / 100)", "--step"),
      field("max_step", &O::max_step, "Largest arclength step, >= 0 (0: |to - from| / 20)", "--max-step"),
      field("min_step", &O::min_step, "Smallest arclength step before giving up (step_too_small), > 0"),
      field("max_points", &O::max_points, "Most branch points per branch, >= 2", "--max-points"),
      field("newton_tol", &O::newton_tol,
            "Newton corrector: |G|_inf and the step |dy|_inf / (1 + |y|_inf) at most this, > 0", "--tol"),
      field("max_newton", &O::max_newton, "Newton iterations per corrector, >= 1"),
      field("fd_step", &O::fd_step, "Relative step of the central difference for G_p (h = fd_step max(1, |p|)), > 0"),
      field("max_norm", &O::max_norm, "The branch stops (unbounded) when |x|_inf exceeds this, > 0"),
      field("locate_tol", &O::locate_tol, "Bisection of a bifurcation along the arclength stops at this step, > 0"),
      field("stability", &O::stability, "Eigenvalue classification thresholds (marginal, real)"),
      field("starts", &O::starts,
            "Start guesses at p = from, one branch each (empty: the model's x0, else every fixed point there)"),
      field("all_fixed_points", &O::all_fixed_points,
            "One branch from each fixed point at p = from (exact for piecewise-linear models, numeric otherwise), "
            "besides any given starts",
            "--all-fixed-points"));
};

enum class ContinuationStatus {
  Reached,            ///< the branch got to p = to
  LeftInterval,       ///< the branch turned back and left the interval through p = from
  MaxPoints,          ///< max_points reached
  StepTooSmall,       ///< the corrector failed down to min_step
  Unbounded,          ///< |x|_inf passed `max_norm` (the branch escapes to infinity)
  StartNotConverged,  ///< no fixed point near the start guess at p = from
  DomainBoundary      ///< the branch reached the edge of the parameter's domain (a time constant at 0)
};
std::string to_string(ContinuationStatus s);

struct BranchPoint {
  double p = 0.0;
  Vector x;
  ComplexVector eigenvalues;  ///< of DF (flows) or DF (maps, multipliers), sorted as eigen_decompose
  Stability stability;
  double residual = 0.0;  ///< |G(x, p)|_inf
  /// -1 or +1: direction of p along the branch at this point (tangent p-component sign).
  int direction = 1;
  /// True for points located on a switching hyperplane.
  bool on_border = false;
};

enum class BifurcationType { Fold, Hopf, NeimarkSacker, PeriodDoubling, BorderCollision };
std::string to_string(BifurcationType t);

struct Bifurcation {
  BifurcationType type = BifurcationType::Fold;
  double p = 0.0;
  Vector x;
  ComplexVector eigenvalues;
  /// Hopf: |Im lambda| of the critical pair; Neimark-Sacker: |arg lambda|. 0 otherwise.
  double omega = 0.0;
  /// Border collision: the unit and breakpoint whose hyperplane is hit; -1 otherwise.
  Index unit = -1;
  Index breakpoint = -1;
  /// Fold at a border (the tangent flips there) rather than a smooth quadratic fold.
  bool nonsmooth = false;
  Index branch = 0;       ///< index of the branch in ContinuationResult::branches
  Index point_index = 0;  ///< the branch point at or after which it was found
};

struct Branch {
  std::vector<BranchPoint> points;
  ContinuationStatus status = ContinuationStatus::Reached;
};

struct ContinuationResult {
  std::string parameter;
  RunInfo info;
  ContinuationOptions options;  ///< the options it ran with, starts included
  /// Where the starts came from: "given", "fixed_points", "fixed_points+initial_state",
  /// "initial_state" (the model's x0 alone, when no fixed point was found) or "given+fixed_points".
  std::string start_source;
  std::vector<Branch> branches;
  std::vector<Bifurcation> bifurcations;
};

template <>
struct Description<BranchPoint> {
  using P = BranchPoint;
  static constexpr auto fields = std::make_tuple(
      field("p", &P::p, "The parameter value"), field("x", &P::x, "The fixed point"),
      field("eigenvalues", &P::eigenvalues, "Of the Jacobian (maps: the multipliers)"),
      encoded(field("stability", &P::stability, "Its stability (JSON: the class alone)"), &to_json_class),
      field("residual", &P::residual, "|G(x, p)|_inf"),
      field("on_border", &P::on_border, "On a switching boundary (piecewise-linear models)"));
};

template <>
struct Description<Branch> {
  static constexpr auto fields = std::make_tuple(field("status", &Branch::status, "How the branch ended"),
                                                 field("points", &Branch::points, "Its points, in order"));
};

template <>
struct Description<Bifurcation> {
  using B = Bifurcation;
  // Each type writes its own keys: hopf-like the frequency, border collisions the kink, folds whether
  // they sit on a kink.
  static constexpr bool (*oscillates)(const B&) = +[](const B& b) {
    return b.type == BifurcationType::Hopf || b.type == BifurcationType::NeimarkSacker;
  };
  static constexpr bool (*at_border)(const B&) = +[](const B& b) { return b.type == BifurcationType::BorderCollision; };
  static constexpr bool (*fold)(const B&) = +[](const B& b) { return b.type == BifurcationType::Fold; };
  static constexpr auto fields = std::make_tuple(
      field("type", &B::type, "fold, hopf, neimark_sacker, period_doubling or border_collision"),
      field("parameter", &B::p, "The parameter value where it occurs"), field("x", &B::x, "The state there"),
      field("eigenvalues", &B::eigenvalues, "The spectrum there"),
      field("branch", &B::branch, "Index of its branch in branches"),
      field("point_index", &B::point_index, "The branch point at or after which it was found"),
      when(field("omega", &B::omega, "Hopf and Neimark-Sacker: the frequency of the crossing pair"), oscillates),
      when(field("unit", &B::unit, "Border collisions: the unit that reaches its kink"), at_border),
      when(field("breakpoint", &B::breakpoint, "Border collisions: which kink of the unit"), at_border),
      when(field("nonsmooth", &B::nonsmooth, "Folds: at a kink (no eigenvalue crosses zero)"), fold));
};

template <>
struct Description<ContinuationResult> {
  using R = ContinuationResult;
  /// The front door fills the run header and settings; continue_fixed_points(model, starts, ...) does not.
  static constexpr bool (*front_door)(const R&) = +[](const R& r) { return !r.info.model.empty(); };
  static constexpr auto fields =
      std::make_tuple(field("parameter", &R::parameter, "The continued parameter (e.g. tau[1])"),
                      field("branches", &R::branches, "One branch per start"),
                      field("bifurcations", &R::bifurcations, "Where the stability changes, in branch order"),
                      when(field("start_source", &R::start_source, "Where the starts came from"), front_door),
                      when(field("options", &R::options, "The options it ran with, starts included"), front_door),
                      when(view(
                               "from", "The parameter value the branches start at (options.from)",
                               +[](const R& r) { return r.options.from; }),
                           front_door),
                      when(view(
                               "to", "The parameter value they are followed towards (options.to)",
                               +[](const R& r) { return r.options.to; }),
                           front_door));
  static constexpr bool (*run_info_when)(const R&) = front_door;
};

/// Newton's method on G(x, p) = 0 at fixed p from `guess`. Returns false when it does not converge.
bool solve_fixed_point(const Model& model, Vector& x, const ContinuationOptions& options);

/// Follows the branch through each start guess (one branch per guess; a guess is corrected by
/// Newton at p = from first). `model` is not modified. Throws InputError for an unknown parameter,
/// a guess of the wrong length or invalid options.
ContinuationResult continue_fixed_points(const Model& model, const std::vector<Vector>& starts,
                                         const ContinuationOptions& options);

/// The front door of continuation: resolves the starts (options.starts, all_fixed_points and
/// the defaults above), follows one branch from each, and fills the run header. Throws
/// InputError("starts", ...) when no start can be found.
ContinuationResult continue_fixed_points(const Model& model, const ContinuationOptions& options);

}  // namespace rnndyn
