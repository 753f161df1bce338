#pragma once
/// Numeric multi-start search for fixed points and slow points of smooth models.
///
/// With the residual R(x) = F(x) - x for maps (x_{t+1} = F(x_t)) and R(x) = F(x) for flows
/// (dx/dt = F(x)), the search minimises the speed
///
///   q(x) = 1/2 ||R(x)||^2
///
/// (Sussillo & Barak 2013; Golub & Sussillo's FixedPointFinder) from many initial states with a
/// Levenberg-Marquardt iteration on R, using the model's analytic Jacobian DR = DF - I (maps) or
/// DF (flows). A run that ends with q <= q_tol is a fixed point; a run that stalls at a
/// stationary point of q (||DR^T R|| small, or no step lowers q) with q_tol < q <= slow_q_max is a
/// slow point (a local minimum of q that is not a zero). Results are merged within dedup_tol,
/// points far from the data are dropped as outliers, and every kept point is linearized
/// (eigenvalues, stability class, unstable directions).
///
/// Determinism: initial states come from one std::mt19937_64 seeded with `seed`, drawn serially;
/// starts run in parallel (OpenMP) but each writes only its own slot and the merge visits starts in
/// index order, so the result does not depend on the number of threads.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct NumericFixedPointOptions {
  /// A point with q(x) = 1/2 ||R(x)||^2 at or below this is a fixed point, > 0. Default 1e-16
  /// (||R|| <= 1.4e-8): a converged LM run reaches round-off (q ~ 1e-30), so the default only
  /// separates true zeros from slow points.
  double q_tol = 1e-16;
  /// Stationary points of q with q_tol < q <= slow_q_max are reported as slow points; larger ones
  /// are discarded, >= 0 (0: report no slow points). Default 1e-4.
  double slow_q_max = 1e-4;
  /// LM stops when ||DR^T R||_inf <= grad_tol * max(1, ||R||_inf), i.e. at a stationary point
  /// of q, > 0. Default 1e-10.
  double grad_tol = 1e-10;
  /// LM stops when ||step|| <= step_tol * (||x|| + step_tol), > 0. Default 1e-14.
  double step_tol = 1e-14;
  /// Maximum LM iterations per start, >= 1. Default 200.
  int max_iter = 200;
  /// Two points closer than dedup_tol * max(1, ||x||) (Euclidean) are one, >= 0. Default 1e-6.
  double dedup_tol = 1e-6;
  /// Points farther than this (Euclidean) from every row of the reference data are outliers and
  /// dropped. 0 (default): automatic, 10 x the mean distance of the data from their centroid
  /// (FixedPointFinder's default rule) when data are given, no removal otherwise;
  /// +inf: never; otherwise > 0.
  double outlier_distance = 0.0;
  /// Compute the Jacobian eigen-decomposition and stability of each kept point. Default true.
  bool compute_stability = true;
  /// Stability classification tolerances passed to linearize.
  LinearizeOptions linearize;
  /// OpenMP threads, >= 0 (0: the OpenMP default). The result does not depend on it.
  int threads = 0;
  /// Reports (stage "numeric starts": share of starts done, fixed points so far); returning false
  /// stops the run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;

  void validate() const;
};

/// How one start ended.
enum class NumericStartStatus {
  FixedPoint,     ///< q <= q_tol
  SlowPoint,      ///< stationary point of q with q_tol < q <= slow_q_max
  Stationary,     ///< stationary point of q with q > slow_q_max (discarded)
  MaxIterations,  ///< max_iter reached with q > q_tol (discarded)
  NonFinite,      ///< F or DF became non-finite (discarded)
};
std::string to_string(NumericStartStatus s);

struct NumericStartOutcome {
  Vector x;  ///< final iterate
  double q = 0.0;
  int iterations = 0;
  NumericStartStatus status = NumericStartStatus::MaxIterations;
};

/// One distinct fixed or slow point.
struct NumericPoint {
  Vector x;
  double q = 0.0;               ///< 1/2 ||R(x)||^2
  bool slow = false;            ///< true: slow point (local minimum of q with q > q_tol)
  int n_starts = 0;             ///< how many starts converged to it (duplicates merged)
  int first_start = 0;          ///< index of the first start that reached it
  double data_distance = -1.0;  ///< distance to the nearest data row (-1 without data)
  /// Linearization (empty eigenvalues when compute_stability is false).
  EigenDecomposition eigen;
  Stability stability;
  /// Unit eigenvectors of the unstable eigenvalues (Re > 0 for flows, |lambda| > 1 for maps),
  /// as columns; for saddles these span the unstable directions.
  ComplexMatrix unstable_directions;
  ComplexVector unstable_eigenvalues;
};

struct NumericFixedPointResult {
  std::vector<NumericPoint> fixed_points;   ///< ordered by first_start
  std::vector<NumericPoint> slow_points;    ///< ordered by first_start
  std::vector<NumericStartOutcome> starts;  ///< one per initial state, in input order
  int n_fixed_runs = 0;                     ///< starts that ended at a fixed point
  int n_slow_runs = 0;                      ///< starts that ended at a slow point
  int n_failed_runs = 0;                    ///< MaxIterations, Stationary with large q, NonFinite
  int n_outliers = 0;                       ///< distinct points dropped as outliers
  double outlier_distance = std::numeric_limits<double>::infinity();  ///< threshold used
  double max_q = 0.0;                                                 ///< largest q among the fixed points kept
};

/// Runs the Levenberg-Marquardt iteration from one initial state. `keep_going`, when given, is
/// asked before every iteration; false ends the iteration early (the caller then discards it).
NumericStartOutcome solve_fixed_point_from(const Model& model, const Vector& x0,
                                           const NumericFixedPointOptions& options,
                                           const std::function<bool()>& keep_going = {});

/// The multi-start search. `initial_states` holds one start per row (K x dim). `data` (N x dim,
/// may be empty) is the reference for outlier removal, e.g. states visited by trajectories.
/// Throws InputError when shapes disagree or options are invalid.
NumericFixedPointResult find_fixed_points_numeric(const Model& model, const Matrix& initial_states,
                                                  const NumericFixedPointOptions& options = {},
                                                  const Matrix& data = {});

/// Linearizes `model` at p.x: eigenvalues, stability class, unstable eigenvalues and directions.
void add_stability(const Model& model, NumericPoint& p, const LinearizeOptions& options = {});

/// K states uniform in the box [lo, hi] (per dimension), drawn from mt19937_64(seed).
Matrix sample_box(Index k, const Vector& lo, const Vector& hi, std::uint64_t seed);

/// K rows drawn with replacement from `data` (N x dim) plus Gaussian noise of standard deviation
/// `noise` (>= 0), from mt19937_64(seed): FixedPointFinder's way of seeding from trajectories.
Matrix sample_from_data(Index k, const Matrix& data, double noise, std::uint64_t seed);

}  // namespace rnndyn
