#pragma once
/// Slow manifolds: approximate continuous attractors through the fixed and slow points of the
/// numeric search (issue 33, item 2) -- the line of an integrator, the ring of a head-direction
/// network, once a perturbation has left a few fixed points (or none) on them.
///
/// With R(x) = F(x) - x (maps) or F(x) (flows), a slow manifold is a curve C that is
///  - invariant: R is tangent to C, P_t R(x) = 0 with P_t = I - t t^T, t the unit tangent at x;
///  - slow: |R(x)| <= speed_max on C.
/// Along C the dynamics reduce to the scalar drift (s arc length; maps: per step)
///
///   ds/dt = v(s) = t(s) . R(x(s)),
///
/// whose zeros are the fixed points on C: stable along C where dv/ds < 0, unstable where
/// dv/ds > 0. A memory held at s drifts by at most max |v| T in time T (Sagodi et al. 2024: the
/// drift speed bounds the memory error of an approximate continuous attractor).
///
/// Method (continuation of the invariance condition, seeded by the search's points):
///  1. seeds are the fixed points, then the slow points; a seed within `step` of a manifold
///     already traced lies on it. A seed starts a trace when the eigenvalue mu_1 of DR(seed)
///     smallest in modulus is real and separated from the rest, |mu_1| <= gap |mu_2|: one slow
///     direction, normally attracting or repelling (a rest with a single slow direction);
///  2. the seed is corrected onto C, then C is followed in steps of arc length h = step:
///     predictor x_p = x_k + h d (d: the eigenvector of mu_1, then the secant, then from the
///     third point on the chord to the parabola through the last three points one step ahead,
///     with t its derivative there: the new point's tangent to O(h^2)), corrector: Newton on the
///     n equations
///
///       P_t R(x) = 0 (n - 1 independent),   t . (x - x_p) = 0,
///
///     solvable where DR restricted to the normal space is regular (normal hyperbolicity), as a
///     chord iteration that keeps its LU from point to point. For a linear flow dx/dt = A x + b
///     this gives the slow eigenline x* + s v_s exactly. Then every point is corrected again with
///     the tangent of the parabola through it and its neighbours, in passes until none moves;
///  3. a branch ends when |R| > speed_max, Newton fails, max_points is reached, or it returns
///     within 0.75 h of the seed (a closed curve); an open curve is followed both ways;
///  4. curves with at least min_points points are reported, with the drift v (t from the same
///     parabolas), its zeros (sign changes, interpolated; or points at rest, |v| <= the fixed
///     point speed sqrt(2 q_tol)) and their stability along C.
/// Only 1-D manifolds are traced: a seed with two or more slow directions (no gap after mu_1)
/// starts none. Cost: the seeds' eigendecompositions are the search's (linearize); each point
/// takes a few evaluations of R, and an n x n LU only where the kept one stops contracting
/// (33 LUs for 125 points of a ring in n = 300: 0.1 s beside a 1.4 s search of 32 starts).
///
/// Why a field of the numeric fixed-point result (NumericFixedPointResult::slow_manifolds, made
/// by find_fixed_points after the memory times) rather than an analysis of its own: its seeds
/// are the search's points and its notion of "slow" is the search's (speed_max defaults to the
/// slow-point threshold sqrt(2 slow_q_max), the rest speed to the fixed-point one sqrt(2 q_tol)),
/// so on its own it would have to rerun the search or be handed its points. trace_slow_manifolds
/// takes any seeds, for callers who have their own.
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct SlowManifoldOptions {
  /// Trace slow manifolds through the points found (numeric search). Default true.
  bool enabled = true;
  /// A seed starts a trace when its slowest eigenvalue of DR is real and |mu_1| <= gap |mu_2|,
  /// in (0, 1). Default 0.1 (the drift along C at least 10 x slower than the approach to it).
  double gap = 0.1;
  /// Arc length h between consecutive points, >= 0; 0 (default): 0.05 max(1, |seed|) (a ring
  /// about the origin: ~126 points).
  double step = 0.0;
  /// A curve ends where |R(x)| exceeds this, >= 0; 0 (default): sqrt(2 slow_q_max), the speed of
  /// the slowest point the search would not call slow.
  double speed_max = 0.0;
  /// Curves with fewer points are not reported, >= 2. Default 5.
  int min_points = 5;
  /// Most points of one curve (both branches together), >= min_points. Default 400.
  int max_points = 400;
  /// Newton iterations of the corrector per point, >= 1. Default 20.
  int max_iter = 20;
  /// The corrector has converged when |P_t R(x)| <= tol, > 0. Default 1e-10.
  double tol = 1e-10;

  /// Throws InputError naming the field (slow_manifolds.<name>).
  void validate() const;
};

template <>
struct Description<SlowManifoldOptions> {
  static constexpr auto fields = std::make_tuple(
      field("enabled", &SlowManifoldOptions::enabled, "Trace slow manifolds through the fixed and slow points",
            "!--no-slow-manifolds"),
      field("gap", &SlowManifoldOptions::gap,
            "A point seeds a slow manifold when its slowest eigenvalue mu_1 of DR is real with |mu_1| <= this x "
            "|mu_2|, in (0, 1)",
            "--slow-manifold-gap"),
      field("step", &SlowManifoldOptions::step,
            "Arc length between the points of a slow manifold (0: 0.05 max(1, |seed|)), >= 0", "--slow-manifold-step"),
      field("speed_max", &SlowManifoldOptions::speed_max,
            "A slow manifold ends where |R| exceeds this (0: sqrt(2 slow_q_max)), >= 0", "--slow-manifold-speed-max"),
      field("min_points", &SlowManifoldOptions::min_points, "Shorter slow manifolds are not reported, >= 2",
            "--slow-manifold-min-points"),
      field("max_points", &SlowManifoldOptions::max_points, "Most points of one slow manifold, >= min_points",
            "--slow-manifold-max-points"),
      field("max_iter", &SlowManifoldOptions::max_iter, "Newton iterations of the corrector per point, >= 1"),
      field("tol", &SlowManifoldOptions::tol, "The corrector has converged when |P_t R(x)| <= tol, > 0"));
};

/// A zero of the drift on a slow manifold: a fixed point on it, or a stretch of them.
struct SlowManifoldFixedPoint {
  double s = 0.0;  ///< arc length of the zero (interpolated between points)
  /// End of a stretch at rest (a continuum of fixed points; on a closed curve it may wrap past
  /// the first point: s_end < s); = s for an isolated zero.
  double s_end = 0.0;
  Vector x;  ///< the point (interpolated)
  /// dv/ds at the zero: the eigenvalue of the flow along C (maps: multiplier - 1); 0 in a stretch.
  double slope = 0.0;
  /// "stable" (drift towards it from both sides), "unstable" (away on both sides),
  /// "half-stable" (towards it on one side, away on the other) or "neutral" (a stretch at rest).
  std::string stability;
  int fixed_point = -1;  ///< index of the search's fixed point within `step` of it, else -1
};

/// One slow manifold (header comment).
struct SlowManifold {
  int dimension = 1;    ///< 1: a curve (the only kind traced)
  bool closed = false;  ///< a closed curve (ring): the last point joins the first
  Matrix points;        ///< n_points x dim, in order along C
  Vector s;             ///< arc length of each point from points.row(0)
  double length = 0.0;  ///< arc length of C (closed: with the segment back to the first point)
  /// Signed drift v = t . R at each point, t pointing towards increasing s (per unit time for
  /// flows, per step for maps).
  Vector drift;
  double max_drift = 0.0;         ///< max |v| over the points
  double mean_drift = 0.0;        ///< arc-length mean of |v| (trapezoidal)
  double max_normal_speed = 0.0;  ///< max |P_t R|: how far from invariant the points are (~tol)
  /// Shares of the points' variance along their first two principal components: (1, 0) for a
  /// straight line, (a, 1 - a) for a curve in a plane (a ring: 1/2, 1/2).
  Vector variance_explained;
  std::vector<SlowManifoldFixedPoint> fixed_points;  ///< zeros of the drift, in order of s
  /// The memory of a value stored at each point (issue 18, item 3): the time it takes to drift
  /// half-way to the zero of the drift it drifts into, from ds/dt = v(s) with v linear between the
  /// points (maps: steps, the continuum limit). inf at rest; NaN where the value drifts off an
  /// open end (or round a ring without a zero). For a drift linear about a stable zero,
  /// v = lambda (s - s*), it is ln 2 / |lambda| everywhere.
  Vector half_life;
  double min_half_life = 0.0;  ///< the shortest finite half_life (inf: none), the worst-kept value
  int n_seeds = 0;             ///< seeds (search points) within `step` of it
};

/// The slow manifolds through `seeds` (header comment). `speed_max` and `rest_speed` are the
/// resolved thresholds (> 0): points with |R| > speed_max end a curve; |v| <= rest_speed is at
/// rest. Points of `fixed` (may be empty) within `step` of a zero of the drift are named by index.
/// `eigen` (empty, or one per seed): the eigendecompositions of DF at the seeds that linearize
/// already made (an entry without eigenvalues is computed here).
std::vector<SlowManifold> trace_slow_manifolds(const Model& model, const std::vector<Vector>& seeds,
                                               const SlowManifoldOptions& options, double speed_max, double rest_speed,
                                               const std::vector<Vector>& fixed = {},
                                               const std::vector<EigenDecomposition>& eigen = {});

}  // namespace rnndyn
