#pragma once
/// Basins of attraction and an attractor census: where do the network's states go, and how much
/// of state space does each attractor hold.
///
/// 1. Attractors first: find_fixed_points(model, options.fixed_points) (exact for
///    piecewise-linear models, numeric otherwise); each point is linearized and the stable ones
///    (every eigenvalue Re lambda < 0 for flows, |mu| < 1 for maps) are the known attractors.
/// 2. Each start x_0 is advanced by the model's own dynamics, x_{n+1} = F(x_n) for maps, dx/dt =
///    F(x) by adaptive Dormand-Prince 5(4) (as simulate) for flows, and checked after every step
///    (maps) or every `check_interval` (flows). It is assigned to attractor a as soon as
///
///      |x(t) - x_a| < r_a,   r_a = ball_fraction * min_{b != a} |x_b - x_a|,
///
///    the minimum over every other fixed point found (stable or not) and every point of the
///    stable cycles searched (cycle_periods; each cycle point holds such a ball), so the error ball holds no
///    other invariant point and, for ball_fraction <= 1/2, no two balls overlap; with no other
///    point, r_a = ball_fraction * max(1, |x_a|). Inside a small ball the linearization, whose
///    eigenvalues all contract, dominates. With `extrapolate`, an orbit whose steps shrink at a
///    steady rate rho is assigned as soon as its remaining path, s rho / (1 - rho), cannot take it
///    farther than half the distance from x_a to the nearest other fixed point.
/// 3. A start that reaches no ball within `max_time` is examined over the last `record_fraction`
///    of its orbit: a stationary orbit (spread below settle_tol (1 + |x|)) is a new fixed point
///    (or, when it sits in the ball of a known unstable point, "unsettled": it lies on a stable
///    manifold); a map orbit with x_{n+p} = x_n (p <= max_period) is a new cycle; a flow orbit
///    that returns to its last state (within the largest distance between two samples) is a new
///    cycle unless its largest Lyapunov exponent, estimated from two orbits 1e-8 apart, is
///    above lyapunov_tol (then, as for any other bounded recurrent orbit, an "unknown" set with
///    that exponent); else the start is "unsettled" (counted, never dropped). New sets found by
///    different starts are merged when one's last state lies within the other's match radius.
/// 4. Shares: the fraction k_a / n of the starts reaching attractor a with its Wilson score
///    interval at `confidence`; unsettled and diverged starts keep their own counts.
/// 5. Boundaries: every saddle of index 1 (exactly one eigenvalue with Re > 0, flows, or |mu| >
///    1, maps, and real) sends the two branches of its unstable manifold, started at x_s +- eps v
///    with eps = saddle_eps * (distance to the nearest other fixed point), to attractors; the
///    saddles whose branches reach two different attractors join them in the saddle graph (its
///    stable manifold separates their basins). For 2-D models `map_resolution` > 0 also labels
///    the centres of a grid over the box (the basin map).
#include <cstdint>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

/// The label of a start that reached no attractor within the budget, and of one that diverged.
constexpr int kBasinUnsettled = -1;
constexpr int kBasinDiverged = -2;

/// BasinsOptions::starts' default: StartOptions with count 1000.
inline StartOptions default_basin_starts() {
  StartOptions s;
  s.count = 1000;
  return s;
}

struct BasinsOptions {
  /// Where the orbits start: given states (rows), else `count` rows drawn from `data` with
  /// Gaussian `noise`, else `count` states uniform in the box (default [-1, 1] per dimension);
  /// seeded (StartOptions in fixed_points.hpp). Default count here: 1000.
  StartOptions starts = default_basin_starts();
  /// The attractor search run first. When its own starts are left at their defaults and
  /// `starts` holds data, it searches from the same data and noise.
  FixedPointOptions fixed_points;
  /// Piecewise-linear maps: also the stable cycles of minimal period 2..cycle_periods of the exact
  /// k-cycle search (find_cycles, pruned) are attractors found_by "search", in [0, 16]. Default 0
  /// (none: cycles are then found by recurrence).
  int cycle_periods = 0;
  /// Budget of each period's cycle search in seconds, > 0. Default 10.
  double cycle_time_limit = 10.0;
  /// r_a = ball_fraction * distance to the nearest other fixed point, in (0, 0.5]. Default 0.1.
  double ball_fraction = 0.1;
  /// Accept an orbit before it enters the ball when its last 6 steps (checks) shrink at a steady
  /// rate rho (ratios within 10 % of each other, below 1) and |x - x_a| + s rho / (1 - rho) < d_a / 2,
  /// s the last step, d_a the distance from x_a to the nearest other fixed point: the orbit's
  /// limit, a fixed point within d_a / 2 of x_a, can only be x_a. Default true.
  bool extrapolate = true;
  /// Budget of every orbit: time (flows) or steps (maps), > 0. Default 1000.
  double max_time = 1000.0;
  /// Flows: time between two checks of an orbit, in (0, max_time]. Default 0.5 (maps: every step).
  double check_interval = 0.5;
  /// Error tolerances of the flows' adaptive stepper, > 0. Default 1e-8.
  double abs_tol = 1e-8;
  double rel_tol = 1e-8;
  /// An orbit with |x|_inf above this has diverged, > 0. Default 1e8.
  double blowup = 1e8;
  /// Share of the budget whose samples decide what an orbit that reached no ball recurs on, in
  /// (0, 1). Default 0.2.
  double record_fraction = 0.2;
  /// A recorded orbit whose samples stay within settle_tol (1 + |x|) of its last one is
  /// stationary (a new fixed point), > 0. Default 1e-7.
  double settle_tol = 1e-7;
  /// Maps: longest period of a new cycle, >= 1. Default 64.
  int max_period = 64;
  /// A recurrent flow orbit with largest Lyapunov exponent above this is an "unknown" set, not
  /// a cycle, >= 0. Default 1e-2 (per unit time or per step).
  double lyapunov_tol = 1e-2;
  /// Confidence level of the Wilson intervals, in (0, 1). Default 0.95.
  double confidence = 0.95;
  /// Follow the unstable manifolds of the index-1 saddles (the saddle graph). Default true.
  bool saddle_graph = true;
  /// Offset of the manifold starts, as a share of the distance to the nearest other fixed
  /// point, in (0, 0.5). Default 1e-3.
  double saddle_eps = 1e-3;
  /// 2-D models: the basin map on map_resolution x map_resolution grid centres, >= 0 (0: none).
  /// Default 0. Models of another dimension with map_resolution > 0: InputError.
  int map_resolution = 0;
  /// The map's box (length 2, or 1 for both axes); empty: the starts' bounding box.
  Vector map_lo, map_hi;
  /// Progress reports ("basins": starts done) and interruption (not serialised).
  ProgressCallback progress;
  /// Throws InputError naming the field (e.g. "starts.count", "ball_fraction").
  void validate() const;
};

/// The fields of the options (core/describe.hpp); the map's box has its own CLI parser
/// (--map-box), the attractor search's method its own flag (--method); progress is no setting.
template <>
struct Description<BasinsOptions> {
  using O = BasinsOptions;
  static constexpr auto fields = std::make_tuple(
      field("starts", &O::starts, "Where the orbits start: given states, else drawn from data with noise, else a box"),
      field("fixed_points", &O::fixed_points, "The attractor search run first (FixedPointOptions)"),
      field("cycle_periods", &O::cycle_periods,
            "Piecewise-linear maps: stable cycles of period 2..K from the exact search, in [0, 16] (0: none)",
            "--cycle-periods"),
      field("cycle_time_limit", &O::cycle_time_limit, "Seconds per period of that search, > 0", "--cycle-time-limit"),
      field("ball_fraction", &O::ball_fraction,
            "Error ball: share of the distance to the nearest other fixed point, in (0, 0.5]", "--ball-fraction"),
      field("extrapolate", &O::extrapolate,
            "Accept orbits whose steps shrink steadily once their limit can only be the attractor (else: only inside "
            "the error ball)",
            "!--no-extrapolate"),
      field("max_time", &O::max_time, "Budget of each orbit: time (flows) or steps (maps), finite, > 0", "--max-time"),
      field("check_interval", &O::check_interval, "Flows: time between checks of an orbit, in (0, max_time]",
            "--check-interval"),
      field("abs_tol", &O::abs_tol, "Flows: absolute tolerance of the adaptive stepper, > 0", "--atol"),
      field("rel_tol", &O::rel_tol, "Flows: relative tolerance of the adaptive stepper, > 0", "--rtol"),
      field("blowup", &O::blowup, "An orbit with |x|_inf above this has diverged, > 0"),
      field("record_fraction", &O::record_fraction,
            "Share of the budget whose samples decide what an orbit recurs on, in (0, 1)", "--record-fraction"),
      field("settle_tol", &O::settle_tol, "Relative spread of a stationary orbit (a new fixed point), > 0",
            "--settle-tol"),
      field("max_period", &O::max_period, "Maps: longest period of a new cycle, >= 1", "--max-period"),
      field("lyapunov_tol", &O::lyapunov_tol,
            "Largest Lyapunov exponent above which a recurrent set is 'unknown', not a cycle, >= 0", "--lyapunov-tol"),
      field("confidence", &O::confidence, "Confidence level of the Wilson intervals, in (0, 1)", "--confidence"),
      field("saddle_graph", &O::saddle_graph, "Follow the unstable manifolds of the index-1 saddles (the saddle graph)",
            "!--no-saddle-graph"),
      field("saddle_eps", &O::saddle_eps,
            "Offset of the manifold starts, share of the distance to the nearest other fixed point, in (0, 0.5)",
            "--saddle-eps"),
      field("map_resolution", &O::map_resolution,
            "2-D models: the basin map on R x R grid centres, in [0, 2000] (0: none)", "--map-resolution"),
      field("map_lo", &O::map_lo, "Lower corner of the basin map's box (length 2 or 1; empty: the starts')"),
      field("map_hi", &O::map_hi, "Upper corner of the basin map's box"));
};

enum class BasinsStatus {
  Complete,    ///< every start reached an attractor
  Incomplete,  ///< some starts did not settle within the budget or diverged (counted apart)
};
std::string to_string(BasinsStatus s);

/// One attractor of the census.
struct BasinAttractor {
  std::string kind;      ///< "fixed_point", "continuum" (of the exact search), "cycle" or "unknown"
  std::string found_by;  ///< "search" (find_fixed_points) or "recurrence" (an orbit recurred on it)
  Vector x;              ///< a representative state (the fixed point; a cycle's or set's last sample)
  /// Its states (dim x m): the fixed point; a map cycle's p points; for flows' cycles and
  /// unknown sets, up to 200 samples of the orbit on it.
  Matrix points;
  int period = 0;          ///< maps: the cycle's period in steps (1 for a fixed point); flows: 0
  double period_time = 0;  ///< flows' cycles: the return time of the orbit; else 0
  /// Radius of its error ball (fixed points: r_a above) or match radius (recurrent sets).
  double radius = 0.0;
  /// Largest Lyapunov exponent estimated from two nearby orbits (recurrent sets; NaN else).
  double lyapunov = 0.0;
  /// Fixed points: index into fixed_points of the result; -1 else.
  int fixed_point = -1;
  Index count = 0;                 ///< starts that reached it
  double fraction = 0;             ///< count / n_starts
  double ci_low = 0, ci_high = 0;  ///< Wilson interval of `fraction` at options.confidence
  double mean_time = 0;            ///< mean time (steps) the starts took to reach it
};

/// A fixed point found by the search, as the census sees it.
struct BasinFixedPoint {
  Vector x;
  std::string stability;  ///< to_string of its StabilityClass (stable node, saddle, ...)
  int n_unstable = 0;
  int attractor = -1;  ///< its index in attractors when stable, else -1
};

/// An index-1 saddle and where the two branches of its unstable manifold go.
struct BasinSaddle {
  int fixed_point = -1;  ///< index into fixed_points
  Vector x;
  double eigenvalue = 0.0;                              ///< the unstable eigenvalue (flows: > 0; maps: |mu| > 1)
  Vector direction;                                     ///< unit eigenvector v
  int plus = kBasinUnsettled, minus = kBasinUnsettled;  ///< attractor reached from x + eps v, x - eps v
  double eps = 0.0;
};

/// Two attractors joined by the unstable manifolds of one or more index-1 saddles.
struct BasinEdge {
  int a = 0, b = 0;          ///< attractor indices, a < b
  std::vector<int> saddles;  ///< indices into saddles
};

/// The labels of a grid of starts over a 2-D state space.
struct BasinMap {
  Vector x, y;              ///< grid centres of axis 0 (columns) and axis 1 (rows)
  std::vector<int> labels;  ///< row-major, labels[i * x.size() + j] for (x_j, y_i)
};

struct BasinsResult {
  BasinsStatus status = BasinsStatus::Complete;
  std::string guarantee;  ///< what the census promises, in words
  RunInfo info;
  BasinsOptions options;  ///< the options it ran with (data and given states are not kept)
  FixedPointMethod fixed_point_method = FixedPointMethod::Auto;  ///< method the search used
  FixedPointStatus fixed_point_status = FixedPointStatus::Complete;
  std::vector<BasinFixedPoint> fixed_points;  ///< every fixed point of the search
  std::vector<BasinAttractor> attractors;     ///< stable fixed points first, then recurrent sets
  std::string starts_from;                    ///< "box", "data" or "given"
  Matrix starts;                              ///< one start per row
  std::vector<int> labels;                    ///< per start: attractor index, kBasinUnsettled or kBasinDiverged
  std::vector<double> times;                  ///< per start: time (steps) to its label (the budget if none)
  Index n_starts = 0, n_settled = 0, n_unsettled = 0, n_diverged = 0;
  double unsettled_fraction = 0, unsettled_ci_low = 0, unsettled_ci_high = 0;
  std::vector<BasinSaddle> saddles;  ///< index-1 saddles (with saddle_graph)
  std::vector<BasinEdge> graph;      ///< attractors joined by saddles
  bool has_map = false;
  BasinMap map;  ///< with map_resolution > 0
};

template <>
struct Description<BasinAttractor> {
  using A = BasinAttractor;
  static constexpr auto fields = std::make_tuple(
      field("kind", &A::kind, "'fixed_point', 'continuum', 'cycle' or 'unknown'"),
      field("found_by", &A::found_by, "'search' or 'recurrence'"), field("x", &A::x, "A representative state"),
      encoded(field("points", &A::points, "States on it (dim x m; JSON: one state per row)"), &to_json_states),
      field("period", &A::period, "Maps: the cycle's period in steps; flows: 0"),
      field("period_time", &A::period_time, "Flows' cycles: the return time of the orbit; else 0"),
      field("radius", &A::radius, "Error-ball or match radius"),
      field("lyapunov", &A::lyapunov, "Largest Lyapunov exponent (recurrent sets)"),
      field("fixed_point", &A::fixed_point, "Index into fixed_points (-1: none)"),
      field("count", &A::count, "Starts that reached it"), field("fraction", &A::fraction, "count / n_starts"),
      field("ci_low", &A::ci_low, "Wilson interval of fraction, lower end"),
      field("ci_high", &A::ci_high, "Wilson interval of fraction, upper end"),
      field("mean_time", &A::mean_time, "Mean time (steps) the starts took to reach it"));
};

template <>
struct Description<BasinFixedPoint> {
  using P = BasinFixedPoint;
  static constexpr auto fields =
      std::make_tuple(field("x", &P::x, "The fixed point"), field("stability", &P::stability, "Its stability class"),
                      field("n_unstable", &P::n_unstable, "Unstable directions"),
                      field("attractor", &P::attractor, "Its index in attractors when stable, else -1"));
};

template <>
struct Description<BasinSaddle> {
  using P = BasinSaddle;
  static constexpr auto fields =
      std::make_tuple(field("fixed_point", &P::fixed_point, "Index into fixed_points"), field("x", &P::x, "The saddle"),
                      field("eigenvalue", &P::eigenvalue, "The unstable eigenvalue (flows: > 0; maps: |mu| > 1)"),
                      field("direction", &P::direction, "Unit eigenvector v"),
                      field("eps", &P::eps, "Distance of the two starts from x along v"),
                      field("plus", &P::plus, "Attractor reached from x + eps v"),
                      field("minus", &P::minus, "Attractor reached from x - eps v"));
};

template <>
struct Description<BasinEdge> {
  static constexpr auto fields =
      std::make_tuple(field("a", &BasinEdge::a, "Attractor index, a < b"), field("b", &BasinEdge::b, "Attractor index"),
                      field("saddles", &BasinEdge::saddles, "Indices into saddles"));
};

template <>
struct Description<BasinMap> {
  static constexpr auto fields =
      std::make_tuple(field("x", &BasinMap::x, "Grid centres along axis 0 (columns)"),
                      field("y", &BasinMap::y, "Grid centres along axis 1 (rows)"),
                      field("labels", &BasinMap::labels, "Labels, rows along y, columns along x"));
};

template <>
struct Description<BasinsResult> {
  using R = BasinsResult;
  static constexpr auto fields = std::make_tuple(
      field("status", &R::status, "complete (every start settled) or incomplete"),
      field("guarantee", &R::guarantee, "What the census promises, in words"),
      field("fixed_point_method", &R::fixed_point_method, "The method the attractor search used"),
      field("fixed_point_status", &R::fixed_point_status, "complete, incomplete or sampled (the attractor search)"),
      field("fixed_points", &R::fixed_points, "Every fixed point of the search"),
      field("attractors", &R::attractors, "Stable fixed points first, then recurrent sets"),
      field("n_starts", &R::n_starts, "Starts run"), field("n_settled", &R::n_settled, "Starts that settled"),
      group("unsettled", "Starts that settled nowhere: count, diverged, fraction and its interval",
            field("count", &R::n_unsettled, "Starts that settled nowhere (the diverged among them)"),
            field("diverged", &R::n_diverged, "Starts that diverged"),
            field("fraction", &R::unsettled_fraction, "count / n_starts"),
            field("ci_low", &R::unsettled_ci_low, "Wilson interval of fraction, lower end"),
            field("ci_high", &R::unsettled_ci_high, "Wilson interval of fraction, upper end")),
      field("starts_from", &R::starts_from, "'box', 'data' or 'given'"),
      field("starts", &R::starts, "One start per row"),
      field("labels", &R::labels, "Per start: attractor index, -1 unsettled, -2 diverged"),
      field("times", &R::times, "Per start: time (steps) to its label (the budget if none)"),
      field("saddles", &R::saddles, "Index-1 saddles (with saddle_graph)"),
      field("graph", &R::graph, "Attractors joined by saddles"),
      when(
          field("map", &R::map, "The 2-D basin map (with map_resolution > 0; Python: None without)"),
          +[](const R& r) { return r.has_map; }),
      field("options", &R::options, "The options it ran with (data and given states are not kept)"));
};

/// The census of `model` from options.starts (see the header comment). Throws InputError for
/// invalid options; Interrupted (or the callback's exception) when stopped.
BasinsResult basins(const Model& model, const BasinsOptions& options);

}  // namespace rnndyn
