#pragma once
/// A Hopf curve in a parameter plane (issue 14): the set of (p_x, p_y) where a complex pair of
/// eigenvalues of the fixed point's Jacobian crosses the imaginary axis (flows) or the unit circle
/// (maps). With x(p_x, p_y) the fixed point followed by Newton and lambda the complex pair nearest
/// the boundary, the test function
///
///   tau(p_x, p_y) = Re lambda (flows),  |lambda| - 1 (maps)
///
/// vanishes on the curve, which is followed by pseudo-arclength in the plane scaled to the box
/// [x_from, x_to] x [y_from, y_to]: a step along the tangent (perpendicular to grad tau, by
/// central differences), then Newton on tau = 0 along grad tau. Piecewise-linear models: inside a
/// region tau is smooth; where the fixed point crosses a switching boundary tau jumps, and the curve
/// ends there (status "non_smooth").
///
/// kind = "fold": the curve where a real eigenvalue is at 0 (maps: +1) and the branch x(p) turns
/// (saddle-node). There x cannot be followed at fixed parameters, so the curve is followed in
/// (x, p_x, p_y) as the zero set of the augmented system (F(x, p) - delta x, g(x, p)), g the
/// bordered test function (src/continuation/fold_curve.cpp); the start is the fold nearest start_y
/// found by one-parameter continuation along p_y. Smooth models only.
///
/// kind = "border_collision" (piecewise-linear models): the curve where the fixed point of the
/// region D beside a border sits on a unit's kink, tau = U_i x_D(p) + c_i - beta with x_D solved
/// exactly in D; the start is the border collision nearest start_y along p_y, and the curve ends
/// ("non_smooth") where x_D leaves D through another hyperplane.
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct HopfCurveOptions {
  /// Which curve: "hopf" (default), "fold" or "border_collision".
  std::string kind = "hopf";
  /// The two parameters, e.g. "W[0,0]" and "tau[1]" (required, distinct).
  std::string parameter_x, parameter_y;
  /// The box the curve is followed in (from < to is not required; from != to).
  double x_from = 0.0, x_to = 1.0, y_from = 0.0, y_to = 1.0;
  /// A point of the plane near the curve: it is first moved onto the curve along p_y (p_x fixed).
  double start_x = 0.0, start_y = 0.0;
  /// A state near the fixed point at the start; empty: the model's x0, else zeros.
  Vector x0;
  /// First step along the curve in box-scaled units (the box is [0, 1]^2), > 0; later steps
  /// adapt between min_step and max_step. Default 0.01.
  double step = 0.01;
  /// Largest and smallest steps, > 0. Defaults 0.05 and 1e-6.
  double max_step = 0.05, min_step = 1e-6;
  /// |tau| at which a corrected point is on the curve, > 0. Default 1e-10.
  double tol = 1e-10;
  /// At most this many points per direction, >= 2. Default 2000.
  int max_points = 2000;

  void validate() const;
};

/// The fields of the options (core/describe.hpp); kind is set by the CLI command (hopf-curve,
/// fold-curve, border-curve), x0 has its own CLI parser.
template <>
struct Description<HopfCurveOptions> {
  using O = HopfCurveOptions;
  static constexpr auto fields = std::make_tuple(
      field("kind", &O::kind, "Which curve: hopf, fold or border_collision"),
      field("parameter_x", &O::parameter_x, "First parameter: W[i,j], b[i], tau[i], g, ... (required)", "--param-x"),
      field("parameter_y", &O::parameter_y, "Second parameter (required, distinct)", "--param-y"),
      field("x_from", &O::x_from, "Box: first parameter from (x_from != x_to)", "--x-from"),
      field("x_to", &O::x_to, "Box: first parameter to", "--x-to"),
      field("y_from", &O::y_from, "Box: second parameter from (y_from != y_to)", "--y-from"),
      field("y_to", &O::y_to, "Box: second parameter to", "--y-to"),
      field("start_x", &O::start_x, "Start: first parameter", "--start-x"),
      field("start_y", &O::start_y, "Start: second parameter (moved onto the curve along it)", "--start-y"),
      field("x0", &O::x0, "A state near the fixed point at the start (empty: the model's x0, else zeros)"),
      field(
          "step", &O::step,
          "First step along the curve, in units of the box (scaled to [0, 1]^2); later steps adapt up to max_step, > 0",
          "--step"),
      field("max_step", &O::max_step, "Largest step along the curve, in box units, > 0", "--max-step"),
      field("min_step", &O::min_step, "Smallest step along the curve, in box units, > 0"),
      field("tol", &O::tol, "|tau| at which a corrected point is on the curve, > 0"),
      field("max_points", &O::max_points, "Most points per direction, >= 2", "--max-points"));
};

struct HopfCurvePoint {
  double px = 0.0, py = 0.0;  ///< the parameters
  Vector x;                   ///< the fixed point
  double omega = 0.0;         ///< |Im lambda| (flows: angular frequency; maps: angle per step); 0 on folds
  double tau = 0.0;           ///< the test function there (|tau| <= tol; folds: the bordered g)
};

struct HopfCurveResult {
  std::string kind = "hopf";  ///< "hopf", "fold" or "border_collision", as asked
  std::string parameter_x, parameter_y;
  /// The curve from one end to the other (both directions from the start joined).
  std::vector<HopfCurvePoint> points;
  /// How each end was reached: "box" (left the box), "closed" (came back to the start),
  /// "non_smooth" (the test function jumped: a switching boundary of a piecewise-linear model, or
  /// the complex pair became real), "no_fixed_point" (Newton lost the fixed point: a fold of the
  /// fixed points, or the edge of a parameter's domain), "max_points", "step_too_small" (folds: the
  /// corrector failed down to min_step, e.g. at the edge of a parameter's domain).
  std::string end_forward, end_backward;
  std::string status;     ///< "complete" when both ends left the box or the curve closed, else "partial"
  std::string guarantee;  ///< in words
  HopfCurveOptions options;
  RunInfo info;
};

/// The fields of a curve point and of the result (core/describe.hpp); the run info is added beside them.
template <>
struct Description<HopfCurvePoint> {
  static constexpr auto fields = std::make_tuple(
      field("px", &HopfCurvePoint::px, "The first parameter"), field("py", &HopfCurvePoint::py, "The second parameter"),
      field("x", &HopfCurvePoint::x, "The fixed point"),
      field("omega", &HopfCurvePoint::omega,
            "|Im lambda| (flows: angular frequency; maps: angle per step); 0 on folds and border collisions"),
      field("tau", &HopfCurvePoint::tau, "The test function there (|tau| <= tol; folds: the bordered g)"));
};

template <>
struct Description<HopfCurveResult> {
  using R = HopfCurveResult;
  static constexpr auto fields = std::make_tuple(
      field("kind", &R::kind, "hopf, fold or border_collision, as asked"),
      field("parameter_x", &R::parameter_x, "The first parameter's name"),
      field("parameter_y", &R::parameter_y, "The second parameter's name"),
      field("points", &R::points, "The curve from one end to the other (both directions from the start joined)"),
      field("end_forward", &R::end_forward,
            "How the forward end was reached: box, closed, non_smooth, no_fixed_point, max_points or step_too_small"),
      field("end_backward", &R::end_backward, "How the backward end was reached (as end_forward)"),
      field("status", &R::status, "complete when both ends left the box or the curve closed, else partial"),
      field("guarantee", &R::guarantee, "What the curve guarantees, in words"),
      field("options", &R::options, "The HopfCurveOptions it ran with"));
};

/// Follows the Hopf (or fold) curve through the start (header comment). Throws InputError for invalid
/// options and when no Hopf point (fold) is found along p_y from the start.
HopfCurveResult continue_hopf_curve(const Model& model, const HopfCurveOptions& options);

}  // namespace rnndyn
