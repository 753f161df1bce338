// The rounds of the numeric search: pool starts in batches, deflated reruns, starts aimed at
// saddles, the stopping rule and the Good-Turing estimate (numeric_fixed_points.hpp).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <utility>

#include <omp.h>

#include "../detail/dense_lapack.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/fixed_points/zero_refinement.hpp"

namespace rnndyn {

namespace {

/// Near-duplicate lookup in O(log n + candidates) instead of a pairwise scan. Points are keyed by
/// their projection onto a fixed pseudo-random unit direction d. A stored p (error estimate e_p)
/// is a duplicate of x (e_x) when |p - x| <= tol max(1, |p|) or their error balls overlap,
/// |p - x| <= e_p + e_x (same_zero); then, for tol < 1, |d.p - d.x| <= |p - x| <=
/// w = max(tol max(1, |x| / (1 - tol)), e_x + max e_p), and only keys within w of d.x are
/// compared. (tol >= 1 falls back to a scan.)
class PointIndex {
 public:
  PointIndex(Index dim, double tol) : tol_(tol), dir_(direction(dim)) {}

  /// The lowest id of a stored point within tolerance of x (error estimate `error`, NaN: none), or -1.
  int find(const Vector& x, double error = 0.0) const {
    int best = -1;
    const auto consider = [&](int id) {
      const auto i = static_cast<size_t>(id);
      if (same_zero(x, error, points_[i], errors_[i], tol_) && (best < 0 || id < best)) best = id;
    };
    if (!(tol_ < 1.0)) {
      for (int id = 0; id < static_cast<int>(points_.size()); ++id) consider(id);
      return best;
    }
    const double key = dir_.dot(x);
    const double balls = (std::isfinite(error) ? error : 0.0) + max_error_;
    const double w = std::max(tol_ * std::max(1.0, x.norm() / (1.0 - tol_)), balls) * (1.0 + 1e-9) + 1e-300;
    for (auto it = keys_.lower_bound(key - w); it != keys_.end() && it->first <= key + w; ++it) consider(it->second);
    return best;
  }

  int add(const Vector& x, double error = 0.0) {
    const int id = static_cast<int>(points_.size());
    points_.push_back(x);
    note_error(error);
    keys_.emplace(dir_.dot(x), id);
    return id;
  }

  /// Moves point `id` to x (a lower-q representative of the same point).
  void move(int id, const Vector& x, double error = 0.0) {
    const double old = dir_.dot(points_[static_cast<size_t>(id)]);
    for (auto [it, end] = keys_.equal_range(old); it != end; ++it)
      if (it->second == id) {
        keys_.erase(it);
        break;
      }
    points_[static_cast<size_t>(id)] = x;
    errors_[static_cast<size_t>(id)] = std::isfinite(error) ? error : 0.0;
    max_error_ = std::max(max_error_, errors_[static_cast<size_t>(id)]);
    keys_.emplace(dir_.dot(x), id);
  }

 private:
  static Vector direction(Index dim) {
    std::mt19937_64 rng(0x9e3779b97f4a7c15ULL);
    std::normal_distribution<double> gauss(0.0, 1.0);
    Vector d(dim);
    for (Index i = 0; i < dim; ++i) d(i) = gauss(rng);
    return d / std::max(d.norm(), 1e-300);
  }

  void note_error(double error) {
    errors_.push_back(std::isfinite(error) ? error : 0.0);
    max_error_ = std::max(max_error_, errors_.back());
  }

  double tol_;
  Vector dir_;
  std::vector<Vector> points_;
  std::vector<double> errors_;  ///< error estimates (0: none), the radii of the error balls
  double max_error_ = 0.0;      ///< the largest of them (widens the key window)
  std::multimap<double, int> keys_;
};

/// The fewest targeted starts a search may make, whatever the size of its pool (see
/// targeted_starts).
constexpr Index kMinTargetedBudget = 1024;

/// One more solve ended at the stored point p (`id` in `index`): counted, and the lower-q of the
/// two becomes the representative.
void absorb(NumericPoint& p, const NumericStartOutcome& out, PointIndex& index, int id) {
  ++p.n_starts;
  if (out.q < p.q) {
    p.x = out.x;
    p.q = out.q;
    p.error = out.error;
    index.move(id, out.x, out.error);
  }
}

struct Job {
  Vector x0;
  NumericStartKind kind = NumericStartKind::Random;
  int start = -1;  ///< pool index (random and deflated runs), -1 for targeted starts
};

double nearest_distance(const Matrix& data, const Vector& x) {
  return (data.rowwise() - x.transpose()).rowwise().norm().minCoeff();
}

/// The outlier threshold: the given distance, or (0) 10 x the mean distance of the data from
/// their centroid; infinite without data. One reference state (e.g. a single given start) has no
/// spread: the rule would drop every point, the one the start converged to included, so no
/// removal then.
double outlier_threshold(const Matrix& data, double distance) {
  if (data.rows() == 0) return std::numeric_limits<double>::infinity();
  if (distance != 0.0) return distance;
  const Eigen::RowVectorXd centroid = data.colwise().mean();
  const double t = 10.0 * (data.rowwise() - centroid).rowwise().norm().mean();
  return t > 0.0 ? t : std::numeric_limits<double>::infinity();
}

/// One numeric search: the state of the rounds and their results.
class Search {
 public:
  Search(const Model& model, const Matrix& pool, const NumericFixedPointOptions& o, int threads, const Matrix& data,
         double threshold)
      : model_(model),
        pool_(pool),
        data_(data),
        threshold_(threshold),
        o_(o),
        threads_(threads),
        monitor_(o.progress),
        fixed_index_(model.dim(), o.dedup_tol),
        slow_index_(model.dim(), o.slow_merge_tol) {
    slow_threshold();
  }

  NumericFixedPointResult run() {
    const Index K = pool_.rows();
    int quiet = 0;
    while (next_ < K || !pending_.empty()) {
      const int before = kept_;
      round();
      ++res_.search.rounds;
      quiet = kept_ > before ? 0 : quiet + 1;
      if (o_.patience > 0 && quiet >= o_.patience && pending_.empty()) {
        res_.search.stopped_by = "quiet";
        break;
      }
      if (monitor_.seconds() >= o_.time_limit) {
        res_.search.stopped_by = "time_limit";
        break;
      }
    }
    if (res_.search.stopped_by.empty()) res_.search.stopped_by = "all_starts";
    monitor_.checkpoint({"numeric starts", 1.0, done_.load(), found(), 0.0}, true);
    merge_slow_points();
    return std::move(res_);
  }

 private:
  /// Steps 1-3 of a round (header comment).
  void round() {
    const Index B = std::min<Index>(o_.batch, pool_.rows() - next_);
    std::vector<Job> jobs;
    for (Index s = next_; s < next_ + B; ++s)
      jobs.push_back({pool_.row(s).transpose(), NumericStartKind::Random, int(s)});
    next_ += B;
    const std::vector<NumericStartOutcome> plain = solve(jobs, false);
    std::vector<Job> reruns;
    const int known_before = static_cast<int>(res_.fixed_points.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const NumericStartOutcome& out = plain[i];
      if (out.iterations < 0) continue;  // not started: the time limit had passed
      res_.starts.push_back(out);
      ++res_.search.random_starts;
      if (out.status == NumericStartStatus::FixedPoint) {
        ++res_.n_fixed_runs;
        const int id = merge_fixed(out, jobs[i]);
        ++res_.fixed_points[static_cast<size_t>(id)].random_hits;
        // At most a quarter of the batch (and at least 8) is rerun deflated: where the known
        // points are all there is (a contracting network), a deflated solve finds nothing and
        // costs as much as a start, so the reruns must not double the cost of every round.
        if (o_.deflation && id < known_before && static_cast<int>(reruns.size()) < std::max(8, o_.batch / 4))
          reruns.push_back({jobs[i].x0, NumericStartKind::Deflated, jobs[i].start});
      } else if (out.status == NumericStartStatus::SlowPoint) {
        ++res_.n_slow_runs;
        slow_.push_back({out, jobs[i].start});
      } else if (slow_run(out)) {
        res_.starts.back().status = NumericStartStatus::SlowPoint;
        ++res_.n_slow_runs;
        slow_.push_back({res_.starts.back(), jobs[i].start});
      } else {
        ++res_.n_failed_runs;
      }
    }
    res_.search.deflated_runs += static_cast<int>(reruns.size());
    merge_all(reruns, solve(reruns, true));
    add_stability_to_new();
    std::vector<Job> targeted = targeted_starts();
    res_.search.targeted_starts += static_cast<int>(targeted.size());
    merge_all(targeted, solve(targeted, o_.deflation));
    add_stability_to_new();
  }

  /// Solves every job in parallel, plainly or deflated by every point known now. The calling
  /// thread (OpenMP's thread 0) polls the monitor, so a Python callback (which needs that
  /// thread) runs and Ctrl-C is seen within one iteration; the other threads only read stopped().
  std::vector<NumericStartOutcome> solve(const std::vector<Job>& jobs, bool deflated) {
    std::vector<NumericStartOutcome> out(jobs.size());
    std::vector<Vector> known;
    if (deflated)
      for (const NumericPoint& p : res_.fixed_points) known.push_back(p.x);
    const std::function<bool()> poll_here = [this] { return report(); };
    const std::function<bool()> stop_flag = [this] { return !monitor_.stopped(); };
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (Index i = 0; i < static_cast<Index>(jobs.size()); ++i) {
      // Past the time limit no new solve starts (iterations -1 marks it), so that one long round
      // cannot overrun the budget by its whole length.
      if (monitor_.stopped() || monitor_.seconds() >= o_.time_limit) {
        out[static_cast<size_t>(i)].iterations = -1;
        continue;
      }
      const bool caller = omp_get_thread_num() == 0;
      const std::function<bool()>& keep_going = caller ? poll_here : stop_flag;
      const Job& job = jobs[static_cast<size_t>(i)];
      out[static_cast<size_t>(i)] = deflated
                                        ? solve_deflated_from(model_, job.x0, known, o_, keep_going)
                                        : solve_fixed_point_from(model_, job.x0, o_, keep_going, res_.slow_q_threshold);
      if (job.kind == NumericStartKind::Random) ++done_;
      if (caller) report();
    }
    monitor_.check();
    return out;
  }

  bool report() {
    // The share done is unknown until the stopping rule ends the rounds (-1); the last report says 1.
    return monitor_.poll({"numeric starts", -1.0, done_.load(), found(), 0.0});
  }
  std::int64_t found() const { return found_.load(); }

  /// The id of the point `out` reached, adding it when new (the representative is the lowest-q
  /// member: greedy merge in job order, so the result is deterministic).
  int merge_fixed(const NumericStartOutcome& out, const Job& job) {
    const int id = fixed_index_.find(out.x, out.error);
    if (id >= 0) {
      absorb(res_.fixed_points[static_cast<size_t>(id)], out, fixed_index_, id);
      return id;
    }
    NumericPoint p;
    p.x = out.x;
    p.q = out.q;
    p.error = out.error;
    p.n_starts = 1;
    p.first_start = job.start;
    p.found_by = job.kind;
    res_.fixed_points.push_back(std::move(p));
    const int added = fixed_index_.add(out.x, out.error);
    // A point beyond the outlier distance is kept for deflation (no solve returns to it) but is
    // not reported: it neither counts as new for the stopping rule nor aims targeted starts. (A
    // GRU's saturated region holds a near-continuum of such points.)
    if (std::isinf(threshold_) || nearest_distance(data_, out.x) <= threshold_) {
      pending_.push_back(added);
      ++kept_;
      ++found_;
    }
    return added;
  }

  void merge_all(const std::vector<Job>& jobs, const std::vector<NumericStartOutcome>& outs) {
    for (std::size_t i = 0; i < jobs.size(); ++i)
      if (outs[i].status == NumericStartStatus::FixedPoint) merge_fixed(outs[i], jobs[i]);
  }

  /// Linearizes the points found since the last call (their unstable directions aim the next
  /// targeted starts; the result reports them).
  void add_stability_to_new() {
    const std::size_t from = stable_done_, to = res_.fixed_points.size();
    stable_done_ = to;
    if (!o_.compute_stability && !o_.saddle_starts) return;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (Index i = static_cast<Index>(from); i < static_cast<Index>(to); ++i)
      add_stability(model_, res_.fixed_points[static_cast<size_t>(i)], o_.linearize);
  }

  /// Step 3: for each pending (new) point, midpoints towards its nearest known neighbours (each
  /// pair once) and starts +- delta along its unstable directions, delta half the distance to
  /// its nearest neighbour (0.1 max(1, |x|) when it has none). At most max(pool rows, 1024)
  /// targeted starts in all: on a continuum of fixed points every deflated start finds a new
  /// point, and the search must still end.
  std::vector<Job> targeted_starts() {
    std::vector<Job> jobs;
    const std::vector<int> pending = std::move(pending_);
    pending_.clear();
    if (!o_.saddle_starts) return jobs;
    const auto& pts = res_.fixed_points;
    for (const int i : pending) {
      const Vector& xi = pts[static_cast<size_t>(i)].x;
      std::vector<std::pair<double, int>> near;
      for (int j = 0; j < static_cast<int>(pts.size()); ++j)
        if (j != i) near.emplace_back((pts[static_cast<size_t>(j)].x - xi).norm(), j);
      const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(o_.neighbours), near.size());
      std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end());
      for (std::size_t m = 0; m < k; ++m) {
        const int j = near[m].second;
        if (pairs_.insert({std::min(i, j), std::max(i, j)}).second)
          jobs.push_back({0.5 * (xi + pts[static_cast<size_t>(j)].x), NumericStartKind::BetweenPoints, -1});
      }
      const double delta =
          near.empty() ? 0.1 * std::max(1.0, xi.norm()) : 0.5 * std::min_element(near.begin(), near.end())->first;
      const ComplexMatrix& V = pts[static_cast<size_t>(i)].unstable_directions;
      for (Index c = 0; c < std::min<Index>(V.cols(), 4); ++c) {
        Vector v = V.col(c).real();
        if (v.norm() < 1e-8) v = V.col(c).imag();
        if (v.norm() < 1e-8) continue;
        v.normalize();
        jobs.push_back({xi + delta * v, NumericStartKind::UnstableDirection, -1});
        jobs.push_back({xi - delta * v, NumericStartKind::UnstableDirection, -1});
      }
    }
    const Index total = std::max<Index>(pool_.rows(), kMinTargetedBudget);
    const auto budget = static_cast<std::size_t>(std::max<Index>(total - res_.search.targeted_starts, 0));
    if (jobs.size() > budget) jobs.resize(budget);
    return jobs;
  }

  /// The q of the data states (their median) and the threshold below which an unfinished run
  /// counts as slow: slow_q_relative times it, at most slow_q_max.
  void slow_threshold() {
    if (data_.rows() == 0 || o_.slow_q_relative <= 0.0 || o_.slow_q_max <= 0.0) return;
    std::vector<double> q(static_cast<size_t>(data_.rows()));
#pragma omp parallel for schedule(static) num_threads(threads_)
    for (Index i = 0; i < data_.rows(); ++i) {
      Vector f;
      const Vector x = data_.row(i).transpose();
      model_.evaluate(x, f);
      if (model_.time_kind() == TimeKind::Map) f -= x;
      q[static_cast<size_t>(i)] = 0.5 * f.squaredNorm();
    }
    std::nth_element(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(q.size() / 2), q.end());
    res_.data_median_q = q[q.size() / 2];
    if (std::isfinite(res_.data_median_q))
      res_.slow_q_threshold = std::min(o_.slow_q_max, o_.slow_q_relative * res_.data_median_q);
  }

  /// A plain run that ended without a zero (stationary or out of iterations) below the slow
  /// threshold: it stopped where the network barely moves, on a slow manifold or at a ghost.
  bool slow_run(const NumericStartOutcome& out) const {
    const bool unfinished = out.status == NumericStartStatus::MaxIterations ||
                            out.status == NumericStartStatus::Stalled || out.status == NumericStartStatus::Stationary;
    return unfinished && out.q > o_.q_tol && out.q <= res_.slow_q_threshold;
  }

  /// Slow points of plain runs, merged within slow_merge_tol, except those that close to a fixed
  /// point (the same memory: the descent stopped on its way there).
  void merge_slow_points() {
    const auto near_fixed = [&](const Vector& x) {
      for (const NumericPoint& f : res_.fixed_points)
        if ((f.x - x).norm() <= o_.slow_merge_tol * std::max(1.0, f.x.norm())) return true;
      return false;
    };
    for (const auto& [out, start] : slow_) {
      if (fixed_index_.find(out.x) >= 0 || near_fixed(out.x)) continue;
      const int id = slow_index_.find(out.x);
      if (id >= 0) {
        absorb(res_.slow_points[static_cast<size_t>(id)], out, slow_index_, id);
        continue;
      }
      NumericPoint p;
      p.x = out.x;
      p.q = out.q;
      p.slow = true;
      p.n_starts = 1;
      p.first_start = start;
      res_.slow_points.push_back(std::move(p));
      slow_index_.add(out.x);
    }
  }

  const Model& model_;
  const Matrix& pool_;
  const Matrix& data_;  ///< outlier reference (may be empty)
  double threshold_;    ///< outlier distance (inf: none)
  int kept_ = 0;        ///< points found within the outlier distance
  const NumericFixedPointOptions& o_;
  int threads_;
  Monitor monitor_;
  PointIndex fixed_index_, slow_index_;
  NumericFixedPointResult res_;
  Index next_ = 0;                                         ///< next pool row
  std::vector<int> pending_;                               ///< new points whose targeted starts are not made yet
  std::set<std::pair<int, int>> pairs_;                    ///< pairs whose midpoint was tried
  std::vector<std::pair<NumericStartOutcome, int>> slow_;  ///< plain runs that ended slow
  std::size_t stable_done_ = 0;                            ///< points linearized so far
  std::atomic<std::int64_t> done_{0}, found_{0};
};

/// Drops points farther than the threshold from every data row (counted in n_outliers).
void remove_outliers(NumericFixedPointResult& res, const Matrix& data, double threshold) {
  res.outlier_distance = threshold;
  for (auto* list : {&res.fixed_points, &res.slow_points}) {
    std::vector<NumericPoint> kept;
    for (auto& p : *list) {
      p.data_distance = nearest_distance(data, p.x);
      if (p.data_distance <= threshold)
        kept.push_back(std::move(p));
      else
        ++res.n_outliers;
    }
    *list = std::move(kept);
  }
}

/// The Good-Turing estimate over the kept fixed points (header comment).
void estimate_completeness(NumericFixedPointResult& res) {
  NumericSearchSummary& s = res.search;
  s.samples = 0;
  s.singletons = 0;
  for (const NumericPoint& p : res.fixed_points) {
    s.samples += p.random_hits;
    if (p.random_hits == 1) ++s.singletons;
  }
  s.good_turing = s.samples > 0 ? static_cast<double>(s.singletons) / s.samples : 1.0;
}

}  // namespace

NumericFixedPointResult find_fixed_points_numeric(const Model& model, const Matrix& initial_states,
                                                  const NumericFixedPointOptions& options, const Matrix& data) {
  options.validate();
  const Index n = model.dim();
  if (initial_states.cols() != n)
    throw InputError("initial states", "expected " + std::to_string(n) + " columns (the model's dimension), got " +
                                           std::to_string(initial_states.cols()));
  if (data.size() > 0 && data.cols() != n)
    throw InputError("data", "expected " + std::to_string(n) + " columns (the model's dimension), got " +
                                 std::to_string(data.cols()));
  if (data.rows() == 0 && options.outlier_distance > 0.0 && std::isfinite(options.outlier_distance))
    throw InputError("outlier_distance", "needs reference data (e.g. trajectory states)");
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const detail::SingleThreadedBlas blas_guard;  // each start's thread calls BLAS
  const double threshold = outlier_threshold(data, options.outlier_distance);
  NumericFixedPointResult res = Search(model, initial_states, options, threads, data, threshold).run();
  if (data.rows() > 0) remove_outliers(res, data, threshold);
  estimate_completeness(res);
  if (options.compute_stability) {
    const std::vector<std::size_t> slowest = slowest_points(res.slow_points, options.slow_stability_points);
    res.n_slow_linearized = static_cast<int>(slowest.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (Index i = 0; i < static_cast<Index>(slowest.size()); ++i)
      add_stability(model, res.slow_points[slowest[static_cast<size_t>(i)]], options.linearize);
  } else {
    for (NumericPoint& p : res.fixed_points) {  // linearized only to aim the targeted starts
      p.eigen = {};
      p.stability = {};
      p.unstable_directions.resize(0, 0);
      p.unstable_eigenvalues.resize(0);
      p.linearized = false;
    }
  }
  for (const auto& p : res.fixed_points) res.max_q = std::max(res.max_q, p.q);
  return res;
}

}  // namespace rnndyn
