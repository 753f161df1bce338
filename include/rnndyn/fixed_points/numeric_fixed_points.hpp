#pragma once
/// Numeric search for fixed points and slow points of smooth models.
///
/// With the residual R(x) = F(x) - x for maps (x_{t+1} = F(x_t)) and R(x) = F(x) for flows
/// (dx/dt = F(x)), each local solve minimises the speed
///
///   q(x) = 1/2 ||R(x)||^2
///
/// (Sussillo & Barak 2013; Golub & Sussillo's FixedPointFinder) on R with the model's analytic
/// Jacobian DR = DF - I (maps) or DF (flows): by default Powell's dogleg, continued by
/// Levenberg-Marquardt where the dogleg stops short of a zero (NumericSolver). A run that
/// ends with q <= q_tol is refined by Newton steps (zero_refinement.hpp) and is a fixed point when
/// its error estimate 2 ||DR^+ R|| is at most newton_tol max(1, ||x||): near a singular DR a small
/// q does not put x near the zero (||x - x*|| ~ ||R|| / sigma_min). A run that stalls at a
/// stationary point of q with q_tol < q <= slow_q_max is a slow point (a local minimum of q that is not a zero).
///
/// The search runs in rounds (find_fixed_points_numeric):
///  1. the next `batch` random starts (rows of the start pool) are solved plainly; their endpoints
///     are the sample of the completeness estimate;
///  2. a start whose plain run ended at a point known before the round (the first
///     max(8, batch / 4) such starts of the round) is solved again on the deflated residual
///     (Farrell, Birkisson & Funke, SIAM J. Sci. Comput. 37, 2015)
///
///       Rd(x) = M(x) R(x),   M(x) = prod_k (||x - x_k||^-p + sigma),
///
///     whose zeros are the zeros of R other than the known x_k (M -> inf at each x_k, M -> 1 far
///     from them for sigma = 1), then polished on R itself;
///  3. starts aimed at saddles, solved deflated too: the midpoint of each new point and its nearest
///     known neighbours (a saddle often sits between two attractors) and x* +- delta v along
///     each unstable direction v of a new saddle;
///  4. the search stops when `patience` consecutive rounds add no fixed point, the pool is used
///     up, or `time_limit` has passed; targeted starts are at most max(pool rows, 1024) in all,
///     so that a continuum of fixed points (a new point from every deflated start) ends too.
/// Completeness estimate (Good-Turing): with n plain random starts that reached a fixed point
/// and N1 fixed points reached by exactly one of them, N1 / n estimates the probability that one
/// more random start reaches a fixed point not found yet. It says nothing about points whose
/// basins the start distribution misses.
///
/// Determinism: the start pool comes from one std::mt19937_64 seeded by the caller; within a
/// round starts run in parallel (OpenMP) but each writes only its own slot, deflation uses the
/// points known when the round began, and merges visit starts in index order, so the result does
/// not depend on the number of threads.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/fixed_points/memories.hpp"
#include "rnndyn/fixed_points/slow_manifolds.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

/// The local solver of each plain run.
///
/// Dogleg: Powell's dogleg trust region (MINPACK's hybrj; Nocedal & Wright, "Numerical
/// Optimization", 2006, sec. 4.1): the Newton step -DR^-1 R from an LU factorization of DR (single
/// precision from 64 units on, refined in double; 2/3 N^3 flops at twice the double rate), the
/// Cauchy step along -DR^T R, and the point of their dogleg path on the trust radius. A rejected
/// step only shrinks the radius, without a new factorization. Where the dogleg stops short of a
/// zero (a crawl of Cauchy steps where DR is nearly singular: slow points, slow manifolds), LM
/// continues from its end point with the iterations left, and converges there as LM does.
/// Why the dogleg first: LM's damping, raised by rejected steps and lowered by at most a factor 3
/// per accepted one, keeps far-away starts on gradient-like paths to the nearest minima of q. On a
/// dense tanh network (N = 500, g = 1.5, bench/numeric_scale.py) LM alone found 3 fixed points in
/// 44 s and stopped "quiet" while the network has a stable pair at |x| = 20.6 and dozens of saddles
/// that the dogleg's full Newton steps reach (24 points, the stable pair among them, in 20 s); on
/// the flip-flop GRU(64) of bench/models LM alone found 1 fixed point (unstable), the dogleg 5, 3
/// of them stable.
/// LevenbergMarquardt: LM alone (Nielsen's damping), the solver of rnndyn 0.1.
/// Deflated runs use LM in both cases: on the deflated residual the dogleg's Newton steps head for
/// the minima of M R that deflation creates around the known points.
enum class NumericSolver { Dogleg, LevenbergMarquardt };
/// "dogleg" or "lm".
std::string to_string(NumericSolver s);
/// Parses "dogleg" / "lm"; throws InputError naming `field` otherwise.
NumericSolver parse_numeric_solver(const std::string& text, const std::string& field = "solver");

struct NumericFixedPointOptions {
  /// A point with q(x) = 1/2 ||R(x)||^2 at or below this is a fixed point, > 0. Default 1e-16
  /// (||R|| <= 1.4e-8): a converged LM run reaches round-off (q ~ 1e-30), so the default only
  /// separates true zeros from slow points.
  double q_tol = 1e-16;
  /// Stationary points of q with q_tol < q <= slow_q_max are reported as slow points; larger ones
  /// are discarded, >= 0 (0: report no slow points). Default 1e-4.
  double slow_q_max = 1e-4;
  /// With reference data: a run that ends (stationary or out of iterations) with q at or below
  /// slow_q_relative times the median q of the data states is a slow point, whether or not it
  /// reached a minimum of q: the network moves there at most sqrt(slow_q_relative) times as fast
  /// as it typically does on its own trajectories (trained networks keep memories on slow
  /// manifolds where q has no isolated minimum; FixedPointFinder keeps every optimised state
  /// below its tol_q). Also bounded by slow_q_max. 0: only stationary points count, >= 0.
  /// Default 1e-2 (a tenth of the data's median speed).
  double slow_q_relative = 1e-2;
  /// Slow points closer than slow_merge_tol * max(1, ||x||) are one memory (and one within that
  /// distance of a fixed point belongs to it): the runs that end on one slow manifold end at
  /// different places on it, >= 0. Default 0.05.
  double slow_merge_tol = 0.05;
  /// LM stops when ||DR^T R||_inf <= grad_tol * max(1, ||R||_inf), i.e. at a stationary point
  /// of q, > 0. Default 1e-10.
  double grad_tol = 1e-10;
  /// LM stops when ||step|| <= step_tol * (||x|| + step_tol), > 0. Default 1e-14.
  double step_tol = 1e-14;
  /// Maximum iterations per start (dogleg and LM together), >= 1. Default 200.
  int max_iter = 200;
  /// The local solver of plain runs (NumericSolver). Default Dogleg.
  NumericSolver solver = NumericSolver::Dogleg;
  /// A start ends ("stalled") after this many accepted LM steps in a row that each lower q by
  /// less than 10 %: the crawl along a slow valley of a trained network, where q keeps falling by
  /// tiny amounts and max_iter would be spent to no effect. Like a run out of iterations it is a
  /// slow point when its q is below the data's threshold (slow_q_relative). >= 0 (0: never).
  /// Default 20.
  int stall_steps = 20;
  /// Below the data's slow-point threshold (slow_q_relative) a crawl ends after this many such
  /// steps instead: the run is already in a slow valley, and further steps only move it along the
  /// valley (at a trained GRU of 128 units every start ended this way, after 45 iterations of which
  /// the last 25 crawled). A zero reached by a slow linear convergence is still found: the Newton
  /// refinement of the stalled run (newton_steps) lands on it. >= 0 (0: use stall_steps). Default 3.
  int slow_stall_steps = 3;
  /// Below the data's slow-point threshold a step counts towards slow_stall_steps when it lowers q
  /// by less than this factor (q_new > slow_crawl_ratio q): a slide along a slow valley lowers q
  /// linearly, by 10-20 % a step at a trained GRU(128). With the 10 % of stall_steps every start
  /// of that network went on 20-25 steps below the threshold, sliding ~2 units along its valley.
  /// A zero is approached faster (q falls 4-fold a step at a double root under Newton), except
  /// near a nearly singular one: with 0.5, 18 of 256 runs of a GRU(16) flip-flop that reach fixed
  /// points with sigma_min ~ 0.005 stopped 0.12-0.19 short of them as slow points; with 0.7, none
  /// (bench/README.md: the distinct fixed points of the seven benchmark networks are the same for
  /// 0.5, 0.7 and 0.95). In (0, 1). Default 0.7.
  double slow_crawl_ratio = 0.7;
  /// A run with q <= q_tol is refined by at most newton_steps Newton steps s = -DR^+ R (pseudo-
  /// inverse without the singular values below 1e-10 sigma_max: a continuum's tangent), each
  /// taken while it lowers ||R||; it is a fixed point when its error estimate (twice the last
  /// step, zero_refinement.hpp) is at most newton_tol * max(1, ||x||), else it ends Unresolved.
  /// A run that stalled with q <= slow_q_max is refined too and becomes a fixed point when that
  /// reaches q <= q_tol within newton_tol. newton_steps >= 0 (0: no refinement, the step is still
  /// measured), newton_tol > 0. Defaults 8 and 1e-6.
  int newton_steps = 8;
  double newton_tol = 1e-6;
  /// Two points closer than dedup_tol * max(1, ||x||) (Euclidean) are one, and so are two fixed
  /// points whose error balls overlap (||x - y|| <= error_x + error_y), >= 0. Default 1e-6.
  double dedup_tol = 1e-6;
  /// Points farther than this (Euclidean) from every row of the reference data are outliers and
  /// dropped. 0 (default): automatic, 10 x the mean distance of the data from their centroid
  /// (FixedPointFinder's default rule) when data with a spread are given, no removal otherwise;
  /// +inf: never; otherwise > 0.
  double outlier_distance = 0.0;
  /// Compute the Jacobian eigen-decomposition and stability of each kept point. Default true.
  bool compute_stability = true;
  /// Stability classification tolerances passed to linearize.
  LinearizeOptions linearize;
  /// OpenMP threads, >= 0 (0: the OpenMP default). The result does not depend on it.
  int threads = 0;
  /// Random starts solved per round, >= 1. Default 64.
  int batch = 64;
  /// Stop after this many consecutive rounds that add no fixed point, >= 0 (0: use every start
  /// of the pool). Default 3.
  int patience = 3;
  /// Wall-clock budget of the rounds in seconds, > 0 (inf: none); once it has passed no solve
  /// starts (those under way finish) and the search stops (stopped_by "time_limit"). Default 60.
  double time_limit = 60.0;
  /// Rerun starts that returned to a known point on the deflated residual, and solve the
  /// targeted starts deflated (header comment). Default true.
  bool deflation = true;
  /// Deflation power p >= 1 and shift sigma > 0 of M(x) = prod_k (||x - x_k||^-p + sigma).
  /// Defaults 2 and 1 (Farrell et al.'s choice; sigma = 1 keeps q(x) <= qd(x)).
  double deflation_power = 2.0;
  double deflation_shift = 1.0;
  /// Starts aimed at saddles: midpoints towards the `neighbours` nearest known points of each
  /// new point, and +- along the unstable directions of each new saddle. Default true, 4.
  bool saddle_starts = true;
  int neighbours = 4;
  /// Slow points: the radius r of the ball an orbit must leave for the memory to count as lost;
  /// 0 (default): half the distance to the nearest other point found (fixed or slow), or
  /// 0.05 max(1, |x|) for a point found alone; else > 0.
  double memory_radius = 0.0;
  /// Slow points: how far the memory time is followed (maps: steps; flows: time units), > 0;
  /// an orbit still inside the ball then has memory_time = inf. Default 1e4.
  double memory_horizon = 1e4;
  /// Slow points: the memory time is simulated for at most this many, the slowest (smallest q)
  /// first; the others keep memory_time = -1 (not computed). Each costs up to memory_horizon
  /// steps of the model, and a trained network can have a thousand slow points (the GRU(128)
  /// with 1024 starts: 1006, 4 minutes of memory times alone). Default 64; -1: all; 0: none.
  int memory_time_points = 64;
  /// Slow points linearized (eigenvalues, stability, unstable directions, conditioning; and the
  /// seeds of the slow manifolds): the slowest this many, smallest q first. Each costs an N x N
  /// eigendecomposition and SVD (about 10 ms at N = 128), and the GRU(128) above has a slow point
  /// per start: linearizing all 1000 took a third of the run. The others report speed, radius and
  /// position only. Default 64; -1: all; 0: none. (Fixed points are always linearized.)
  int slow_stability_points = 64;
  /// Slow manifolds through the fixed and slow points found (slow_manifolds.hpp): tracing,
  /// thresholds (speed_max 0: sqrt(2 slow_q_max)), step and limits. Default: on.
  SlowManifoldOptions slow_manifolds;
  /// Memories found from simulation: the places where orbits from the data dwell
  /// (memories.hpp); only with reference data. Default: on, 64 orbits of 500 samples.
  MemoryOptions memories;
  /// Reports (stage "numeric starts": share of starts done, fixed points so far); returning false
  /// stops the run with Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;

  void validate() const;
};

template <>
struct Description<NumericFixedPointOptions> {
  using O = NumericFixedPointOptions;
  static constexpr auto fields = std::make_tuple(
      field("q_tol", &O::q_tol, "q = |R|^2/2 at or below this is a fixed point, > 0", "--q-tol"),
      field("slow_q_max", &O::slow_q_max,
            "Stationary points of q with q_tol < q <= this are reported as slow points (0: none)", "--slow-q-max"),
      field("slow_q_relative", &O::slow_q_relative,
            "With data: a run ending with q <= this x the median q of the data states is a slow point (0: only "
            "stationary points), >= 0",
            "--slow-q-relative"),
      field("slow_merge_tol", &O::slow_merge_tol, "Slow points closer than this * max(1, |x|) are one memory, >= 0",
            "--slow-merge-tol"),
      field("grad_tol", &O::grad_tol, "Stationarity test |DR^T R|_inf <= this * max(1, |R|_inf), > 0"),
      field("step_tol", &O::step_tol, "Relative step size test, > 0"),
      field("max_iter", &O::max_iter, "Iterations per start (dogleg and Levenberg-Marquardt together), >= 1",
            "--max-iter"),
      enum_field("solver", &O::solver, &parse_numeric_solver,
                 "dogleg (Powell's dogleg, continued by Levenberg-Marquardt where it stops short of a zero) or lm "
                 "(Levenberg-Marquardt alone)",
                 "--solver"),
      field("stall_steps", &O::stall_steps,
            "A start ends after this many accepted steps in a row that each lower q by < 10 % (a crawl along a slow "
            "valley; a slow point if q is below the data's threshold), >= 0 (0: never)",
            "--stall-steps"),
      field("slow_stall_steps", &O::slow_stall_steps,
            "Below the data's slow-point threshold a crawl ends after this many such steps, >= 0 (0: stall_steps)",
            "--slow-stall-steps"),
      field("slow_crawl_ratio", &O::slow_crawl_ratio,
            "Below the data's slow-point threshold a step counts towards slow_stall_steps when q_new > this * q, in "
            "(0, 1)",
            "--slow-crawl-ratio"),
      field("newton_steps", &O::newton_steps, "Newton steps refining a run with q <= q_tol, >= 0", "--newton-steps"),
      field("newton_tol", &O::newton_tol,
            "A fixed point's error estimate 2 |DR^+ R| (Newton step) is at most this * max(1, |x|), > 0",
            "--newton-tol"),
      field("dedup_tol", &O::dedup_tol,
            "Points closer than this * max(1, |x|) are merged (CLI: --dedup-tol, when given, sets it too), > 0",
            "--numeric-dedup-tol"),
      field("outlier_distance", &O::outlier_distance,
            "Drop points farther than this from every data state (0: 10 x mean distance of the data from their "
            "centroid; inf: never)",
            "--outlier-distance"),
      field("compute_stability", &O::compute_stability, "Eigenvalues, stability and memory times of every point"),
      field("linearize", &O::linearize, "Stability classification tolerances passed to linearize"),
      field("threads", &O::threads, "OpenMP threads (0: default)", "--threads"),
      field("batch", &O::batch, "Random starts per round, >= 1", "--batch"),
      field("patience", &O::patience,
            "Stop after this many consecutive rounds without a new fixed point (0: solve every start)", "--patience"),
      field("time_limit", &O::time_limit,
            "Budget of the numeric rounds in seconds, > 0 (CLI: --time-limit, when given, sets it too)",
            "--numeric-time-limit"),
      field("deflation", &O::deflation, "Rerun starts that returned to a known point on the deflated residual",
            "!--no-deflation"),
      field("deflation_power", &O::deflation_power, "p of the deflation M(x) = prod (|x - x_k|^-p + sigma), >= 1",
            "--deflation-power"),
      field("deflation_shift", &O::deflation_shift, "sigma of the deflation, > 0", "--deflation-shift"),
      field("saddle_starts", &O::saddle_starts,
            "Starts between known points and along the unstable directions of saddles", "!--no-saddle-starts"),
      field("neighbours", &O::neighbours, "Nearest known points each new point is paired with, >= 0", "--neighbours"),
      field("memory_radius", &O::memory_radius,
            "Slow points: the memory time is the first time the orbit from the point is farther than this from it; "
            "0: half the distance to the nearest other point",
            "--memory-radius"),
      field("memory_horizon", &O::memory_horizon,
            "Slow points: how far the memory time is simulated (maps: steps; flows: time), > 0", "--memory-horizon"),
      field("memory_time_points", &O::memory_time_points,
            "Slow points: the memory time is simulated for this many, the slowest first (-1: all)",
            "--memory-time-points"),
      field("slow_stability_points", &O::slow_stability_points,
            "Slow points: eigenvalues and stability for this many, the slowest first (-1: all)",
            "--slow-stability-points"),
      field("slow_manifolds", &O::slow_manifolds, "Slow manifolds through the points found"),
      field("memories", &O::memories, "Memories found from simulation (with data)"));
};

/// How one start ended.
enum class NumericStartStatus {
  FixedPoint,     ///< q <= q_tol
  SlowPoint,      ///< stationary point of q with q_tol < q <= slow_q_max, or a run ending below slow_q_threshold
  Stationary,     ///< stationary point of q with q > slow_q_max (discarded)
  MaxIterations,  ///< max_iter reached with q > q_tol (discarded)
  Stalled,        ///< stall_steps accepted steps in a row lowered q by < 10 % each (discarded)
  NonFinite,      ///< F or DF became non-finite (discarded)
  Unresolved,     ///< q <= q_tol, but the Newton step stayed above newton_tol max(1, |x|) (discarded)
};
std::string to_string(NumericStartStatus s);

/// What a solve started from: a random start of the pool run plainly, the same start rerun on
/// the deflated residual, or a start aimed at a saddle.
enum class NumericStartKind { Random, Deflated, BetweenPoints, UnstableDirection };
/// "start", "deflation", "between_points", "unstable_direction" (a point's found_by).
std::string to_string(NumericStartKind k);

struct NumericStartOutcome {
  Vector x;  ///< final iterate
  double q = 0.0;
  int iterations = 0;
  NumericStartStatus status = NumericStartStatus::MaxIterations;
  /// Runs that reached q <= q_tol: twice the last Newton step ||DR^+ R|| after the refinement,
  /// the estimated bound on the distance to the zero (zero_refinement.hpp); NaN otherwise.
  double error = std::numeric_limits<double>::quiet_NaN();
};

/// How the rounds went, and the completeness estimate (header comment).
struct NumericSearchSummary {
  int rounds = 0;
  int random_starts = 0;    ///< pool starts solved (plainly)
  int deflated_runs = 0;    ///< of those, rerun on the deflated residual
  int targeted_starts = 0;  ///< starts aimed at saddles
  int samples = 0;          ///< plain random starts that reached a fixed point (n)
  int singletons = 0;       ///< fixed points reached by exactly one of them (N1)
  /// N1 / n: estimated probability that one more random start reaches a fixed point not found
  /// yet (1 when n = 0: nothing is known).
  double good_turing = 1.0;
  /// "quiet" (patience rounds added nothing), "all_starts" (the pool was used up) or
  /// "time_limit".
  std::string stopped_by;
};

template <>
struct Description<NumericSearchSummary> {
  using S = NumericSearchSummary;
  static constexpr auto fields =
      std::make_tuple(field("rounds", &S::rounds, "Rounds of batch starts solved"),
                      field("random_starts", &S::random_starts, "Pool starts solved"),
                      field("deflated_runs", &S::deflated_runs, "Of those, rerun on the deflated residual"),
                      field("targeted_starts", &S::targeted_starts, "Starts aimed at saddles"),
                      field("samples", &S::samples, "Plain random starts that reached a fixed point"),
                      field("singletons", &S::singletons, "Fixed points reached by exactly one of them"),
                      field("good_turing", &S::good_turing,
                            "singletons / samples: estimated chance that one more start finds a new point"),
                      field("stopped_by", &S::stopped_by, "'quiet', 'all_starts' or 'time_limit'"));
};

/// One distinct fixed or slow point.
struct NumericPoint {
  Vector x;
  double q = 0.0;                                        ///< 1/2 ||R(x)||^2
  bool slow = false;                                     ///< true: slow point (local minimum of q with q > q_tol)
  int n_starts = 0;                                      ///< how many starts converged to it (duplicates merged)
  int first_start = 0;                                   ///< index of the first (pool) start that reached it
  NumericStartKind found_by = NumericStartKind::Random;  ///< how it was first found
  int random_hits = 0;          ///< plain random starts that reached it (the completeness sample)
  double data_distance = -1.0;  ///< distance to the nearest data row (-1 without data)
  /// Slow points (memory_time.cpp): the speed |R(x)| = sqrt(2 q) (drift per step for maps, per
  /// unit time for flows), the radius r of the memory ball, and the memory time: the first time
  /// the orbit from x is farther than r from x, by simulation (maps: steps; flows: time, to
  /// 1/1000 of the simulated span); inf when it stays inside up to memory_horizon; -1 for fixed
  /// points, when compute_stability is false, and for the slow points beyond the
  /// memory_time_points slowest (speed and memory_radius are filled for every slow point).
  double speed = 0.0;
  double memory_radius = 0.0;
  double memory_time = -1.0;
  /// Fixed points: the error estimate 2 ||DR^+ R|| of the representative run (NaN for slow points),
  /// and the conditioning of DR at x: its smallest and largest singular values and
  /// sigma_max / sigma_min (inf when singular), filled with the stability (NaN when
  /// compute_stability is false). A small sigma_min means the zero is poorly determined along the
  /// corresponding singular vector (near a fold; the origin of a chaotic network).
  double error = std::numeric_limits<double>::quiet_NaN();
  double sigma_min = std::numeric_limits<double>::quiet_NaN();
  double sigma_max = std::numeric_limits<double>::quiet_NaN();
  double condition = std::numeric_limits<double>::quiet_NaN();
  /// Whether eigen, stability, the unstable directions and the conditioning are filled
  /// (add_stability ran: every fixed point with compute_stability, the slow_stability_points
  /// slowest slow points).
  bool linearized = false;
  /// The model's trained state (Model::trained_states()) this point is, -1 for none, its level
  /// A_m (NaN for none) and its distance |x - x_m| (2-norm; NaN for none). The nearest fixed
  /// point to x_m that is either within max(dedup_tol max(1, |x_m|), error) of it or within the
  /// Newton-Kantorovich radius 2 |R(x_m)| / sigma_min of the zero (an inexact readout, e.g. fitted
  /// by ridge regression, moves the closed loop's zero off the open-loop state x_m).
  int trained_state = -1;
  double trained_level = std::numeric_limits<double>::quiet_NaN();
  double trained_distance = std::numeric_limits<double>::quiet_NaN();
  /// Piecewise-linear models: re-solved in its own linear region (polish_fixed_point), so its
  /// residual is at rounding level; false for smooth models and points of singular regions.
  bool exact = false;
  /// Linearization (empty eigenvalues when compute_stability is false).
  EigenDecomposition eigen;
  Stability stability;
  /// Unit eigenvectors of the unstable eigenvalues (Re > 0 for flows, |lambda| > 1 for maps),
  /// as columns; for saddles these span the unstable directions.
  ComplexMatrix unstable_directions;
  ComplexVector unstable_eigenvalues;
  /// Points of the interval search (method interval): the latent zero kappa and whether the
  /// Krawczyk test certified it (LowRankSearchResult::kappa, certified); unset for searched points.
  std::optional<Vector> kappa;
  std::optional<bool> certified;
};

/// Eigenvectors kept as columns, written one per entry (a point's unstable_directions).
nlohmann::json to_json_columns(const ComplexMatrix& columns);

/// The keys of a point (core/describe.hpp). A key a run did not fill is left out: the search's
/// counts for interval points (they have kappa instead), the error and conditioning where NaN, the
/// trained state's where none, the memory's where not simulated, the linearization where the
/// point was not linearized (compute_stability false, or a slow point past slow_stability_points).
template <>
struct Description<NumericPoint> {
  using P = NumericPoint;
  static bool searched(const P& p) { return !p.kappa; }
  static bool is_exact(const P& p) { return p.exact; }
  static bool has_error(const P& p) { return std::isfinite(p.error); }
  static bool conditioned(const P& p) { return std::isfinite(p.sigma_min); }
  static bool trained(const P& p) { return p.trained_state >= 0; }
  static bool has_memory_ball(const P& p) { return p.slow && p.memory_radius > 0.0; }  // add_memory_times ran
  static bool has_memory_time(const P& p) { return p.memory_time >= 0.0; }
  static bool has_data(const P& p) { return p.data_distance >= 0; }
  static bool linearized(const P& p) { return p.linearized; }
  static constexpr auto fields = std::make_tuple(
      field("x", &P::x, "The point"), field("q", &P::q, "1/2 |R(x)|^2"),
      when(field("n_starts", &P::n_starts, "Starts that converged to it"), &searched),
      when(field("found_by", &P::found_by, "'start', 'deflation', 'between_points' or 'unstable_direction'"),
           &searched),
      when(field("random_hits", &P::random_hits, "Plain random starts that reached it"), &searched),
      when(field("exact", &P::exact,
                 "Piecewise-linear models: re-solved in its own linear region (residual at rounding level)"),
           &is_exact),
      when(field("error", &P::error,
                 "Fixed points: error estimate 2 |DR^+ R|, a bound on the distance to the zero (NaN: none)"),
           &has_error),
      when(field("sigma_min", &P::sigma_min, "Smallest singular value of DR at x (NaN: not computed)"), &conditioned),
      when(field("sigma_max", &P::sigma_max, "Largest singular value of DR at x"), &conditioned),
      when(field("condition", &P::condition, "sigma_max / sigma_min (inf: singular)"), &conditioned),
      when(field("trained_state", &P::trained_state, "Index of the model's trained state this point is (-1: none)"),
           &trained),
      when(field("trained_level", &P::trained_level, "Its level A_m (NaN: none)"), &trained),
      when(field("trained_distance", &P::trained_distance,
                 "|x - x_m| to that trained state (NaN: none); nonzero for an inexact readout"),
           &trained),
      when(field("speed", &P::speed, "Slow points: |R(x)| = sqrt(2 q)"), &has_memory_ball),
      when(field("memory_radius", &P::memory_radius, "Slow points: radius of the memory ball"), &has_memory_ball),
      when(field("memory_time", &P::memory_time,
                 "Slow points: first time the orbit from x leaves the memory ball (inf: not within the horizon)"),
           &has_memory_time),
      when(field("data_distance", &P::data_distance, "Distance to the nearest data state (-1: none)"), &has_data),
      when(view(
               "eigenvalues", "Eigenvalues of the Jacobian at x", +[](const P& p) { return p.eigen.eigenvalues; }),
           &linearized),
      when(view(
               "stability", "Stability class (None: not linearized, see linearized)",
               +[](const P& p) { return to_string(p.stability.type); }),
           &linearized),
      when(view(
               "n_unstable", "Unstable directions (stability.n_unstable; the index of a saddle)",
               +[](const P& p) { return p.stability.n_unstable; }),
           &linearized),
      when(field("unstable_eigenvalues", &P::unstable_eigenvalues, "The unstable eigenvalues"), &linearized),
      when(encoded(field("unstable_directions", &P::unstable_directions, "Unstable eigenvectors (columns)"),
                   &to_json_columns),
           &linearized),
      field("kappa", &P::kappa, "Interval search: the latent zero (None: a searched point)"),
      field("certified", &P::certified, "Interval search: certified unique in its box (None: a searched point)"));
};

struct NumericFixedPointResult {
  std::vector<NumericPoint> fixed_points;   ///< in the order found
  std::vector<NumericPoint> slow_points;    ///< in the order found
  std::vector<NumericStartOutcome> starts;  ///< plain runs of the pool starts solved, in pool order
  NumericSearchSummary search;
  int n_fixed_runs = 0;   ///< plain pool runs that ended at a fixed point
  int n_slow_runs = 0;    ///< plain pool runs that ended at a slow point
  int n_failed_runs = 0;  ///< plain pool runs: MaxIterations, Stalled, Stationary, NonFinite
  int n_outliers = 0;     ///< distinct points dropped as outliers
  double outlier_distance = std::numeric_limits<double>::infinity();  ///< threshold used
  double data_median_q = std::numeric_limits<double>::quiet_NaN();    ///< median q of the data states (NaN: none)
  double slow_q_threshold = 0.0;  ///< q at or below which an unfinished run counts as slow (0: none)
  double max_q = 0.0;             ///< largest q among the fixed points kept
  int n_memory_times = 0;         ///< slow points whose memory time was simulated (options.memory_time_points)
  int n_slow_linearized = 0;      ///< slow points linearized (options.slow_stability_points)
  /// Curves of slow points through the points found, with the drift along them
  /// (slow_manifolds.hpp); empty when none has enough points or options.slow_manifolds is off.
  std::vector<SlowManifold> slow_manifolds;
  /// The places where orbits from the data dwell, and how they were found (memories.hpp); empty
  /// (orbits 0) without data, with options.memories off, or without a slow threshold.
  MemoryCensus memory_census;
};

/// The numeric part's keys (core/describe.hpp), which FixedPointResult writes at its top
/// (merged). The search's own keys (outlier_distance, summary, search) only where a search ran:
/// the interval method's points come without (search.stopped_by is set by every search).
/// `continua` is always empty (a numeric search reports isolated points; the key is there for
/// every method); `memories` and the summary's point counts read other members.
template <>
struct Description<NumericFixedPointResult> {
  using N = NumericFixedPointResult;
  static bool searched(const N& n) { return !n.search.stopped_by.empty(); }
  static bool census(const N& n) { return n.memory_census.orbits > 0; }
  static constexpr auto fields = std::make_tuple(
      field("fixed_points", &N::fixed_points, "Fixed points, in the order found"),
      field("slow_points", &N::slow_points, "Slow points, in the order found"),
      field("slow_manifolds", &N::slow_manifolds, "Curves of slow points through the points found"),
      view(
          "memories", "Memories found from simulation, by dwell", +[](const N& n) { return n.memory_census.memories; }),
      when(field("memory_census", &N::memory_census, "How the memories were found from simulation"), &census),
      view(
          "continua", "Continua of fixed points: none (the numeric search reports isolated points)",
          +[](const N&) { return std::vector<int>{}; }),
      when(field("outlier_distance", &N::outlier_distance, "Distance beyond which points were dropped as outliers"),
           &searched),
      when(group("summary", "The search's counts",
                 view(
                     "n_fixed_points", "Fixed points kept", +[](const N& n) { return n.fixed_points.size(); }),
                 view(
                     "n_slow_points", "Slow points kept", +[](const N& n) { return n.slow_points.size(); }),
                 field("n_fixed_runs", &N::n_fixed_runs, "Plain pool runs that ended at a fixed point"),
                 field("n_slow_runs", &N::n_slow_runs, "Plain pool runs that ended at a slow point"),
                 field("n_failed_runs", &N::n_failed_runs, "Plain pool runs that failed"),
                 field("n_outliers", &N::n_outliers, "Distinct points dropped as outliers"),
                 field("max_q", &N::max_q, "Largest q among the fixed points kept"),
                 field("data_median_q", &N::data_median_q, "Median q of the data states (NaN: none)"),
                 field("slow_q_threshold", &N::slow_q_threshold, "q at or below which an unfinished run is slow"),
                 field("n_memory_times", &N::n_memory_times, "Slow points whose memory time was simulated"),
                 field("n_slow_linearized", &N::n_slow_linearized, "Slow points linearized")),
           &searched),
      when(field("search", &N::search, "The rounds of the search and its completeness estimate"), &searched));
};

/// Fills speed and memory_radius of every slow point of `res` (see NumericPoint), and the
/// memory_time of the options.memory_time_points slowest by simulating the model from each; the
/// radius from options.memory_radius.
void add_memory_times(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res);

/// Fills res.slow_manifolds (slow_manifolds.hpp): seeds are the fixed points, then the slow
/// points; speed_max 0 resolves to sqrt(2 slow_q_max), the rest speed is sqrt(2 q_tol).
void add_slow_manifolds(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res);

/// Fills res.memory_census (memories.hpp) from orbits started at rows of `data`, with the speed
/// threshold sqrt(2 res.slow_q_threshold); leaves it empty without data, with
/// options.memories.enabled false, or when the threshold is 0.
void add_memories(const Model& model, const NumericFixedPointOptions& options, const Matrix& data,
                  NumericFixedPointResult& res);

/// Runs the Levenberg-Marquardt iteration from one initial state. `keep_going`, when given, is
/// asked before every iteration; false ends the iteration early (the caller then discards it).
/// `slow_q_threshold` (> 0: the search's slow threshold, NumericFixedPointResult::slow_q_threshold)
/// lets a crawl below it end after options.slow_stall_steps steps.
NumericStartOutcome solve_fixed_point_from(const Model& model, const Vector& x0,
                                           const NumericFixedPointOptions& options,
                                           const std::function<bool()>& keep_going = {}, double slow_q_threshold = 0.0);

/// The search in rounds (header comment). `initial_states` is the pool of random starts, one per
/// row (K x dim), used in order. `data` (N x dim, may be empty) is the reference for outlier
/// removal, e.g. states visited by trajectories.
/// Throws InputError when shapes disagree or options are invalid.
NumericFixedPointResult find_fixed_points_numeric(const Model& model, const Matrix& initial_states,
                                                  const NumericFixedPointOptions& options = {},
                                                  const Matrix& data = {});

/// Runs the Levenberg-Marquardt iteration on the deflated residual M(x) R(x) with the known points
/// `known` (header comment), then on R from where it ended.
NumericStartOutcome solve_deflated_from(const Model& model, const Vector& x0, const std::vector<Vector>& known,
                                        const NumericFixedPointOptions& options,
                                        const std::function<bool()>& keep_going = {});

/// Indices of the `cap` slowest of `points` (smallest q first, ties in the order found, so the
/// choice does not depend on the sort); all for cap < 0.
std::vector<std::size_t> slowest_points(const std::vector<NumericPoint>& points, int cap);

/// Linearizes `model` at p.x: eigenvalues, stability class, unstable eigenvalues and directions,
/// and the conditioning (sigma_min, sigma_max, condition) of DR = DF (flows) or DF - I (maps).
void add_stability(const Model& model, NumericPoint& p, const LinearizeOptions& options = {});

/// Fills trained_state, trained_level and trained_distance of the fixed point of `res` that is
/// each of the model's trained states (Model::trained_states(); nothing when it has none): the
/// nearest within dedup_tol of x_m or within 2 |R(x_m)| / sigma_min of it (NumericPoint).
void label_trained_states(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res);

/// One trained state matched to a point: the point's index, the state's index m, |x - x_m|.
struct TrainedMatch {
  int point = -1;
  int state = -1;
  double distance = 0.0;
};

/// The rule of label_trained_states for any list of fixed points (the numeric finder's and the
/// exact methods'): for each trained state x_m, the nearest point not matched before that is
/// within dedup_tol of it (same_zero, with the point's error estimate `errors[i]`) or within the
/// Newton-Kantorovich radius 2 |R(x_m)| / sigma_min(i), sigma_min(i) being DR's smallest singular
/// value at point i (NaN: unknown). sigma_min is asked only of points nearer than the best so far.
std::vector<TrainedMatch> match_trained_states(const Model& model, const std::vector<Vector>& xs,
                                               const std::vector<double>& errors,
                                               const std::function<double(std::size_t)>& sigma_min, double dedup_tol);

/// K states uniform in the box [lo, hi] (per dimension), drawn from mt19937_64(seed).
Matrix sample_box(Index k, const Vector& lo, const Vector& hi, std::uint64_t seed);

/// K rows drawn with replacement from `data` (N x dim) plus Gaussian noise of standard deviation
/// `noise` (>= 0), from mt19937_64(seed): FixedPointFinder's way of seeding from trajectories.
Matrix sample_from_data(Index k, const Matrix& data, double noise, std::uint64_t seed);

}  // namespace rnndyn
