#pragma once
/// Exact enumeration of every fixed point of a piecewise-linear model (seed 001).
///
/// The model is F(z) = A z + V phi(U z + c) + h on z in R^R (piecewise_linear.hpp). Inside a
/// linear region with activation pattern D the map is affine, F(z) = M_D z + m_D, and a fixed
/// point solves
///
///   flows (dz/dt = F(z)):          M_D z + m_D = 0,
///   maps  (z_{t+1} = F(z_t)):      (M_D - I) z + m_D = 0            (seed 001, eq. 4),
///
/// and is accepted when z lies in the closed region of D (pattern consistency). Singular but
/// consistent systems give an affine set of fixed points, reported clipped to its region as a
/// continuum (segment, ray, line, polygon, ...).
///
/// Methods:
///  - Brute: all prod_i (breakpoints_i + 1) activation patterns (2^N for relu units).
///  - Arrangement: only the regions of the hyperplane arrangement {U_i z + c_i = beta} in the
///    R-dimensional space, sum_{r=0..R} C(K, r) of them for K hyperplanes in general position
///    (seed 001, Sec. 3.3). Every region is visited exactly once without hashing patterns: each
///    region bounded below in a generic direction d is attached to its lowest vertex, found while
///    walking along the lines of the arrangement (neighbouring vertices differ by one hyperplane,
///    so the region's affine map is updated by a rank-one term in O(R^2)); the regions unbounded
///    below are the regions of the arrangement "at infinity", handled by the same walk one
///    dimension lower. Degenerate arrangements (parallel hyperplanes, more than R hyperplanes
///    through a point) are detected during the walk and handled by a vertex enumeration that
///    expands every local sign pattern at each vertex and removes duplicates; normals that do not
///    span R^R are handled by working in their span.
///  - LevelSet (R >= 2, normals spanning R^R): the arrangement's lines are walked as above, but a
///    region is solved only when it borders an edge on which one chosen component G_c of
///    F(z) - delta z vanishes. A fixed point's region D always does: D ∩ {G_c = 0} contains the
///    point, has dimension >= R - 1 and is pointed (D contains no line), so it has a vertex, which
///    generically lies on an edge of the arrangement (R - 1 hyperplanes) where G_c = 0; D is one
///    of the 2^(R-1) regions around that edge. Crossings are bucketed by position with a bound on
///    how far G_c can move inside a bucket, so most lines need no sorting; the map of the regions
///    around a zero edge comes from running sums along the line (pl_level_set.cpp).
///    regions_visited then counts the regions solved, typically
///    O(K^(R-1)) instead of O(K^R). Falls back to Arrangement for R > 8, normals not spanning
///    R^R, continua, coincident hyperplanes and lines of dependent normals.
///  - Subdivision (R >= 2, normals spanning R^R): boxes of the latent space are halved while a
///    bound on G = F - delta z (the crossing ramps written relu(s) = s/2 + |s|/2) cannot exclude a
///    zero, down to boxes crossed by at most R + 1 hyperplanes, solved exactly. The root box holds
///    every vertex of the arrangement; fixed points outside it lie in regions around an unbounded
///    edge of a line, or around an edge of a line on the root box's faces, where G_c vanishes
///    (pl_subdivision.cpp has the argument). Falls back to Arrangement as LevelSet does.
///  - BranchBound (dense networks, A diagonal): a search over activation patterns that prunes
///    every box of pre-activations shown to hold no fixed point (bound propagation with exact
///    elimination of the decided units and an M-matrix trapping bound; pl_branch_bound.cpp) and
///    solves the regions of the leaves as above. Its cost depends on the network, not on 2^N; it
///    keeps a budget (max_nodes, time_limit) and then ends with status Incomplete, the points
///    found so far and the share of the tree it closed.
///  - Auto: the method with fewer regions to visit; Subdivision instead of Arrangement for R = 2
///    and K >= 64, and for R = 3, 4 (normals spanning R^R) once the arrangement has more than
///    10^5 regions (sum_r C(K, r)); LevelSet for R = 5, 6 then; BranchBound when both would visit
///    more than 2^20 regions, it applies and neither line method was chosen.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn {

enum class PlFixedPointMethod { Auto, Brute, Arrangement, LevelSet, Subdivision, BranchBound };
std::string to_string(PlFixedPointMethod m);
/// Parses auto|brute|arrangement; throws InputError naming `field`.
PlFixedPointMethod pl_fixed_point_method_from_string(const std::string& name, const std::string& field = "method");

struct PiecewiseLinearFixedPointOptions {
  /// Enumeration method, default Auto.
  PlFixedPointMethod method = PlFixedPointMethod::Auto;
  /// Brute force refuses more than 2^brute_max_log2 patterns unless `force`; in [0, 62], default 22.
  int brute_max_log2 = 22;
  /// Visit more patterns than brute_max_log2 allows anyway (default false).
  bool force = false;
  /// Relative tolerance of the closed-region test: s_k (n_k . z + o_k) >= -region_tol * scale_k
  /// with scale_k = |n_k|_1 |z|_inf + |o_k|, i.e. a point may sit this far outside its region
  /// (then it lies on the boundary and is also found in the neighbour). In [0, 1e-3], default 1e-9.
  double region_tol = 1e-9;
  /// Relative pivot / singular-value threshold below which a region's linear system counts as
  /// singular (then its solution set is examined as a continuum). In (0, 1e-2], default 1e-10.
  double singular_tol = 1e-10;
  /// Fixed points x, y closer than dedup_tol * max(|x|_inf, |y|_inf, 1e-6 X) (max norm; X the
  /// largest point found) are one point (a point on a region boundary is found in every adjacent
  /// closed region); relative, so that scaling a network's drive scales its answer. In [0, 1e-2],
  /// default 1e-8.
  double dedup_tol = 1e-8;
  /// Random generic sweep direction seed of the arrangement walk (any value; results do not
  /// depend on it except for the order of internal work), default 12345.
  std::uint64_t seed = 12345;
  /// Skip the eigen-decomposition of each fixed point (faster for very many points), default false.
  bool skip_eigen = false;
  /// Stability classification thresholds passed to classify_spectrum.
  StabilityOptions stability;
  /// Branch and bound stops after this many nodes, >= 1; default 2,000,000.
  std::int64_t max_nodes = 2'000'000;
  /// Branch and bound stops after this many seconds, > 0; default 60. Either budget ends the
  /// search with status incomplete and the share of the tree it closed.
  double time_limit = 60.0;
  /// Branch and bound gives up early when the tree cannot close within the budget by orders of
  /// magnitude: once max(1 s, 5 % of time_limit) have passed, when the projected time to close
  /// the tree, elapsed / closed share, exceeds projection_factor * time_limit (a trained dense
  /// relu RNN of 64 units closes 2e-7 of it in 60 s: projected 3e8 s). The search then ends as at
  /// its budget (status incomplete; the numeric fallback runs). >= 0; 0: never. Default 1000.
  double projection_factor = 1000.0;
  /// Progress reports and interruption of the branch-and-bound search (core/progress.hpp); not
  /// serialised. Empty: none (the global stop request still applies).
  ProgressCallback progress;
  void validate() const;
};

/// The fields of the options (core/describe.hpp), but for `method`, which the front door sets from
/// FixedPointOptions::method (its JSON and Python show it there, its CLI flag is --method).
template <>
struct Description<PiecewiseLinearFixedPointOptions> {
  using O = PiecewiseLinearFixedPointOptions;
  static constexpr auto fields = std::make_tuple(
      field("brute_max_log2", &O::brute_max_log2,
            "Brute force refuses more than 2^brute_max_log2 patterns unless force, in [0, 62]", "--brute-max-log2"),
      field("force", &O::force, "Let brute force go beyond its size limit (brute_max_log2)", "--force"),
      field("region_tol", &O::region_tol,
            "Relative tolerance of the closed-region (pattern consistency) test, in [0, 1e-3]", "--region-tol"),
      field("singular_tol", &O::singular_tol,
            "Relative pivot below which a region's system is singular (continuum check), in (0, 1e-2]",
            "--singular-tol"),
      field("dedup_tol", &O::dedup_tol,
            "Points closer than this * max(|x|_inf, |y|_inf, 1e-6 of the largest point) are one, in [0, 1e-2]",
            "--dedup-tol"),
      field("seed", &O::seed, "Seed of the arrangement walk's generic sweep direction (results do not depend on it)"),
      field("skip_eigen", &O::skip_eigen, "Do not compute eigenvalues and stability", "--skip-eigen"),
      field("stability", &O::stability, "Thresholds of the stability classification (marginal, real)"),
      field("max_nodes", &O::max_nodes, "Budget of branch and bound: nodes, >= 1", "--max-nodes"),
      field("time_limit", &O::time_limit, "Budget of branch and bound: seconds, > 0", "--time-limit"),
      field("projection_factor", &O::projection_factor,
            "Branch and bound stops early when the projected time to close its tree exceeds this times time_limit "
            "(judged after max(1 s, 5 % of it)), >= 0 (0: never)",
            "--projection-factor"));
};

/// What the branch-and-bound search did (method BranchBound).
struct PlBranchBoundStats {
  std::int64_t nodes = 0;       ///< nodes processed (bound propagation run)
  std::int64_t leaves = 0;      ///< nodes with every unit decided: one region solved each
  std::int64_t pruned = 0;      ///< nodes shown to hold no fixed point
  std::int64_t open_nodes = 0;  ///< nodes left when a budget ended the search (0 when complete)
  /// Share of the pattern space the closed nodes stand for (each split halves a node's share);
  /// 1 exactly when the search completed.
  double closed_share = 0.0;
  /// The root had a finite box containing every fixed point (an M-matrix bound, I - sigma Q^+,
  /// or a contraction bound, sigma |Q|_2 < 1; pl_branch_bound.cpp).
  bool trapping_box = false;
  bool budget_exhausted = false;  ///< max_nodes, time_limit or the projection ended the search
  /// The projection ended it (see projection_factor): the tree would have needed
  /// `projected_seconds` to close.
  bool hopeless = false;
  double projected_seconds = 0.0;  ///< elapsed / closed share when the search ended (inf: nothing closed)
};

/// One isolated fixed point.
struct PlFixedPoint {
  Vector x;
  /// Piece index of every hidden unit at x (0 = leftmost piece; relu: 1 = active). A unit exactly
  /// on a kink takes the left piece, as d_i = 1 iff a_i > theta_i (seed 001, eq. 2).
  std::vector<int> pattern;
  /// |F(x)| (flows) or |F(x) - x| (maps), max norm, evaluated directly from the model structure.
  double residual = 0.0;
  /// residual / max(1, |A||x| + |V||phi| + |h|)-type scale: the relative fixed-point error.
  double relative_residual = 0.0;
  /// True when some unit sits within region_tol of a kink (the Jacobian is one-sided there; the
  /// eigenvalues below are those of `pattern`'s region).
  bool on_boundary = false;
  ComplexVector eigenvalues;  ///< of the region's Jacobian M_D (sorted as eigen_decompose does)
  Stability stability;
  /// "exact" (a region's solution), or "numeric" for a point the numeric finder added after an
  /// exact search ended on its budget (find_fixed_points(model, ...) with numeric_fallback).
  std::string found_by = "exact";
  /// The model's trained state (Model::trained_states(), e.g. a relu reservoir's x_m) this point
  /// is, -1 for none; its level A_m and distance |x - x_m| (NaN for none). Filled by
  /// find_fixed_points with the numeric points' rule (match_trained_states): within dedup_tol of
  /// x_m, or within 2 |R(x_m)| / sigma_min of it, sigma_min that of the point's region.
  int trained_state = -1;
  double trained_level = std::numeric_limits<double>::quiet_NaN();
  double trained_distance = std::numeric_limits<double>::quiet_NaN();
};

/// An affine set of fixed points { origin + basis * y : inequalities_A y <= inequalities_b }
/// inside the closed region `pattern`.
struct PlContinuum {
  std::vector<int> pattern;
  Index dimension = 0;    ///< number of columns of basis, >= 1
  Vector origin;          ///< a fixed point (least-norm solution of the region's singular system)
  Matrix basis;           ///< R x dimension, orthonormal columns spanning the null space
  Matrix inequalities_A;  ///< the region's constraints in y (rows with a non-zero coefficient)
  Vector inequalities_b;
  /// "segment", "ray", "line" (dimension 1), "polygon", "unbounded polygon" (dimension 2) or
  /// "polyhedron" (dimension >= 3; then only the inequalities describe it).
  std::string shape;
  /// dimension 1: the interval of y (may be +-inf) and its finite end points (columns);
  /// dimension 2: the polygon's vertices in order (columns; for unbounded polygons the points
  /// where it leaves a box of half-width 1e6 * scale are included and `bounded` is false).
  double y_min = 0.0, y_max = 0.0;
  Matrix vertices;
  bool bounded = false;
  ComplexVector eigenvalues;  ///< of the region's Jacobian (some are marginal by construction)
};

enum class PlFixedPointStatus {
  Complete,  ///< every region was examined and decided
  /// Not every region was decided: a vertex had more than 24 incident hyperplanes (its regions
  /// were not all expanded), a region's system was too ill-conditioned to decide
  /// (`undecided_regions`), or the branch-and-bound search ran out of its budget.
  Incomplete,
};
std::string to_string(PlFixedPointStatus s);

struct PiecewiseLinearFixedPoints {
  PlFixedPointStatus status = PlFixedPointStatus::Complete;
  PlFixedPointMethod method = PlFixedPointMethod::Auto;  ///< the method actually used
  /// "brute", "line_walk" (generic arrangement), "level_set" (pruned walk) or
  /// "vertex_expansion" (degenerate arrangement).
  std::string algorithm;
  std::vector<PlFixedPoint> fixed_points;  ///< sorted lexicographically by x
  std::vector<PlContinuum> continua;
  /// Patterns of regions whose nearly singular system (smallest equilibrated pivot between 1e-13
  /// and singular_tol) has no consistent least-squares solution set, yet a solution inside the
  /// region: they may hold a fixed point that cannot be decided at this conditioning. Sorted.
  std::vector<std::vector<int>> undecided_regions;
  /// Regions (activation patterns) whose linear system was solved.
  std::int64_t regions_visited = 0;
  Index hyperplanes = 0;       ///< K, hyperplanes with a non-zero normal
  Index arrangement_rank = 0;  ///< dimension of the span of the normals (<= R)
  bool generic = true;         ///< false when the walk detected a degenerate arrangement
  /// Method BranchBound only: tree size and how it ended.
  std::optional<PlBranchBoundStats> branch_bound;
  /// R when the search ran in a latent space (low-rank networks, Model::latent_reduction) and the
  /// results were lifted to the model's state; 0 when it ran in the state space itself.
  Index latent_dimension = 0;
  /// The latent space came from the SVD of a dense W (method Auto, numerical rank R <= 4 < N / 2
  /// at rank_tol 1e-10) rather than from factors in the model file; each lifted point was then
  /// re-solved in its region of the full network (N <= 300; above, it carries the rounding of
  /// the factorisation in its residual).
  bool latent_rounded = false;
};

template <>
struct Description<PlBranchBoundStats> {
  using B = PlBranchBoundStats;
  static constexpr auto fields = std::make_tuple(
      field("nodes", &B::nodes, "Nodes processed"), field("leaves", &B::leaves, "Nodes with every unit decided"),
      field("pruned", &B::pruned, "Nodes shown to hold no fixed point"),
      field("open_nodes", &B::open_nodes, "Nodes left when a budget ended the search"),
      field("closed_share", &B::closed_share, "Share of the pattern space the closed nodes stand for"),
      field("trapping_box", &B::trapping_box, "The root had a finite box containing every fixed point"),
      field("budget_exhausted", &B::budget_exhausted, "max_nodes, time_limit or the projection ended the search"),
      field("hopeless", &B::hopeless, "The projection ended the search (projected time far beyond the budget)"),
      field("projected_seconds", &B::projected_seconds, "Elapsed time / closed share when the search ended"));
};

template <>
struct Description<PlFixedPoint> {
  using P = PlFixedPoint;
  /// A point that is a trained state writes which; eigenvalues and stability are left out where
  /// they were not computed.
  static constexpr bool (*trained)(const P&) = +[](const P& p) { return p.trained_state >= 0; };
  static constexpr bool (*linearized)(const P&) = +[](const P& p) {
    return p.eigenvalues.size() > 0 || p.x.size() == 0;
  };
  static constexpr auto fields = std::make_tuple(
      field("x", &P::x, "The fixed point"),
      field("pattern", &P::pattern, "Piece index of every unit (relu: 1 = active)"),
      field("residual", &P::residual, "|F(x)| (maps: |F(x) - x|), max norm"),
      field("relative_residual", &P::relative_residual, "The residual relative to the terms' scale"),
      field("on_boundary", &P::on_boundary, "Some unit sits on a kink"),
      field("found_by", &P::found_by, "'exact', or 'numeric' (added after a budget ended the search)"),
      when(field("trained_state", &P::trained_state,
                 "Index m of the model's trained state x_m this point is (-1: none)"),
           trained),
      when(field("trained_level", &P::trained_level, "Its level A_m (NaN: none)"), trained),
      when(field("trained_distance", &P::trained_distance, "|x - x_m| (NaN: none)"), trained),
      when(field("eigenvalues", &P::eigenvalues, "Of the region's Jacobian"), linearized),
      when(encoded(field("stability", &P::stability, "Its stability (JSON: the class)"), &to_json_class), linearized));
};

template <>
struct Description<PlContinuum> {
  using C = PlContinuum;
  /// A segment, ray or line also writes its interval of y.
  static constexpr bool (*line)(const C&) = +[](const C& c) { return c.dimension == 1; };
  static constexpr auto fields = std::make_tuple(
      field("shape", &C::shape, "segment, ray, line, polygon, unbounded polygon or polyhedron"),
      field("dimension", &C::dimension, "Columns of basis"), field("pattern", &C::pattern, "Its region"),
      field("origin", &C::origin, "A fixed point of the set"),
      encoded(field("basis", &C::basis, "Orthonormal columns spanning it (JSON: one column per row)"), &to_json_states),
      encoded(field("vertices", &C::vertices, "End points or polygon vertices, columns (JSON: one per row)"),
              &to_json_states),
      field("bounded", &C::bounded, "The set is bounded"),
      when(field("y_min", &C::y_min, "Dimension 1: the interval of y, lower end"), line),
      when(field("y_max", &C::y_max, "Dimension 1: the interval of y, upper end"), line),
      group("inequalities", "The set's constraints A y <= b (inequalities_A, inequalities_b)",
            field("A", &C::inequalities_A, "Rows of the region's constraints in y"),
            field("b", &C::inequalities_b, "Their right-hand sides")),
      field("eigenvalues", &C::eigenvalues, "Of the region's Jacobian"));
};

template <>
struct Description<PiecewiseLinearFixedPoints> {
  using R = PiecewiseLinearFixedPoints;
  static constexpr auto fields = std::make_tuple(
      field("method", &R::method, "The method actually used"),
      field("algorithm", &R::algorithm, "brute, line_walk, level_set or vertex_expansion"),
      field("status", &R::status, "complete or incomplete"),
      field("regions_visited", &R::regions_visited, "Regions whose linear system was solved"),
      field("hyperplanes", &R::hyperplanes, "K, hyperplanes with a non-zero normal"),
      field("arrangement_rank", &R::arrangement_rank, "Dimension of the span of the normals"),
      field("generic", &R::generic, "False when the walk detected a degenerate arrangement"),
      when(
          field("latent_dimension", &R::latent_dimension, "R of a latent-space search (0: none)"),
          +[](const R& r) { return r.latent_dimension > 0; }),
      when(
          field("latent_rounded", &R::latent_rounded,
                "The latent space came from the SVD of a dense W (points re-solved in the full regions)"),
          +[](const R& r) { return r.latent_rounded; }),
      field("fixed_points", &R::fixed_points, "Sorted lexicographically by x"),
      field("continua", &R::continua, "Affine sets of fixed points"),
      field("undecided_regions", &R::undecided_regions, "Patterns of regions too ill-conditioned to decide"),
      field("branch_bound", &R::branch_bound, "Tree statistics (branch_bound only; else None)"));
};

/// All fixed points of the piecewise-linear system `pl` (time kind from pl.time).
/// Throws InputError for invalid options or when brute force is asked beyond its size limit.
PiecewiseLinearFixedPoints find_fixed_points(const PiecewiseLinearStructure& pl,
                                             const PiecewiseLinearFixedPointOptions& options = {});

/// All fixed points of a piecewise-linear model (the exact branch of find_fixed_points(model,
/// FixedPointOptions) in fixed_points.hpp, which callers should prefer). Models with a latent reduction (low-rank rate
/// networks given as W = U V^T) are searched in the R-dimensional latent space, visiting
/// sum_{r<=R} C(N, r) regions instead of 2^N, and the result is lifted to the model's state:
/// x, continua (orthonormal basis of the lifted set), and the eigenvalues of the model's full
/// N x N Jacobian. Other models use their piecewise_linear() structure directly. Throws
/// InputError when the model is smooth.
PiecewiseLinearFixedPoints find_fixed_points_exact(const Model& model,
                                                   const PiecewiseLinearFixedPointOptions& options = {});

/// sum_{r=0..rank} C(K, r): the number of regions of K hyperplanes in general position in a
/// rank-dimensional space (saturating at INT64_MAX).
std::int64_t generic_region_count(Index hyperplanes, Index rank);

/// An approximate fixed point re-solved exactly in its own linear region (pl_polish.cpp).
struct PlPolish {
  /// True when some region near x0 holds its own fixed point within 1e-3 max(1, |x0|) of x0;
  /// false for a point of a singular region (a continuum) or a slow point (x0 kept).
  bool ok = false;
  Vector x;                  ///< the region's fixed point (x0 when !ok)
  std::vector<int> pattern;  ///< the region that holds it (one-sided when on a kink)
  bool on_boundary = false;  ///< some unit within region_tol of a kink
};

/// Re-solves the approximate fixed point x0 of `pl` in its region, (M_D - delta I) z = -m_D with
/// D = pattern_at(x0), accepting z when it lies in D's closed region (relative tolerance
/// region_tol). When x0 is within 1e-5 (relative) of kinks, the regions across the (at most 3)
/// nearest kinks are tried too, so a numeric point on the wrong side of a kink still finds its
/// region. Cost: one R x R LU per region tried.
PlPolish polish_fixed_point(const PiecewiseLinearStructure& pl, const Vector& x0, double region_tol = 1e-9);

}  // namespace rnndyn
