// Multi-start Levenberg-Marquardt search for zeros and slow points of R(x) (F(x) - x for maps,
// F(x) for flows), minimising q(x) = 1/2 ||R(x)||^2. See numeric_fixed_points.hpp.
//
// Why a hand-written LM rather than Eigen's unsupported LevenbergMarquardt (MINPACK lmder): we
// need to tell a zero of R from a stationary point of q with q > 0 (a slow point), which MINPACK's
// termination codes do not separate cleanly, and the per-start loop is ~40 lines with Nielsen's
// damping update (Madsen, Nielsen & Tingleff, "Methods for non-linear least squares problems",
// 2004, Alg. 3.16), which converges quadratically near a regular zero like Newton's method and
// degrades to gradient descent on q far from one.
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>

#include <omp.h>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

void NumericFixedPointOptions::validate() const {
  if (!(q_tol > 0.0) || !std::isfinite(q_tol)) throw InputError("q_tol", "must be finite and > 0");
  if (!(slow_q_max >= 0.0)) throw InputError("slow_q_max", "must be >= 0");
  if (!(grad_tol > 0.0)) throw InputError("grad_tol", "must be > 0");
  if (!(step_tol > 0.0)) throw InputError("step_tol", "must be > 0");
  if (max_iter < 1) throw InputError("max_iter", "must be >= 1");
  if (!(dedup_tol >= 0.0) || !std::isfinite(dedup_tol)) throw InputError("dedup_tol", "must be finite and >= 0");
  if (!(outlier_distance >= 0.0)) throw InputError("outlier_distance", "must be >= 0 (0: automatic, inf: never)");
  if (threads < 0) throw InputError("threads", "must be >= 0");
  linearize.validate();
}

std::string to_string(NumericStartStatus s) {
  switch (s) {
    case NumericStartStatus::FixedPoint:
      return "fixed point";
    case NumericStartStatus::SlowPoint:
      return "slow point";
    case NumericStartStatus::Stationary:
      return "stationary";
    case NumericStartStatus::MaxIterations:
      return "max iterations";
    case NumericStartStatus::NonFinite:
      return "non-finite";
  }
  return "unknown";
}

namespace {

/// R(x) and DR(x).
void residual(const Model& model, const Vector& x, Vector& r, Matrix& J) {
  model.evaluate(x, r, &J);
  if (model.time_kind() == TimeKind::Map) {
    r -= x;
    J.diagonal().array() -= 1.0;
  }
}

bool all_finite(const Vector& r, const Matrix& J) { return r.allFinite() && J.allFinite(); }

}  // namespace

NumericStartOutcome solve_fixed_point_from(const Model& model, const Vector& x0, const NumericFixedPointOptions& o,
                                           const std::function<bool()>& keep_going) {
  const Index n = model.dim();
  if (x0.size() != n) throw InputError("initial state", "expected length " + std::to_string(n));
  NumericStartOutcome out;
  Vector x = x0, r, r_new;
  Matrix J, J_new;
  residual(model, x, r, J);
  if (!all_finite(r, J)) {
    out.x = x;
    out.q = std::numeric_limits<double>::infinity();
    out.status = NumericStartStatus::NonFinite;
    return out;
  }
  double q = 0.5 * r.squaredNorm();
  Matrix A = J.transpose() * J;
  Vector g = J.transpose() * r;
  double mu = 1e-3 * std::max(A.diagonal().maxCoeff(), 1e-12);
  double nu = 2.0;
  // Below this q the residual is at round-off level; further iterations cannot improve it.
  const double q_floor = 1e-30 * std::max(1.0, x.squaredNorm());
  bool stationary = false;
  int it = 0;
  Eigen::LDLT<Matrix> ldlt;
  for (; it < o.max_iter; ++it) {
    if (q <= q_floor) break;
    if (keep_going && !keep_going()) break;
    if (g.lpNorm<Eigen::Infinity>() <= o.grad_tol * std::max(1.0, r.lpNorm<Eigen::Infinity>())) {
      stationary = true;
      break;
    }
    Matrix M = A;
    M.diagonal().array() += mu;
    ldlt.compute(M);
    const Vector step = ldlt.solve(-g);
    if (!step.allFinite()) {
      mu *= nu;
      nu *= 2.0;
      continue;
    }
    if (step.norm() <= o.step_tol * (x.norm() + o.step_tol)) {
      stationary = true;
      break;
    }
    const Vector x_new = x + step;
    residual(model, x_new, r_new, J_new);
    const double q_new = all_finite(r_new, J_new) ? 0.5 * r_new.squaredNorm() : std::numeric_limits<double>::infinity();
    // Gain ratio: actual decrease of q over the decrease predicted by the damped model.
    const double predicted = 0.5 * step.dot(mu * step - g);
    const double rho = predicted > 0.0 ? (q - q_new) / predicted : -1.0;
    if (rho > 0.0 && std::isfinite(q_new)) {
      x = x_new;
      r.swap(r_new);
      J.swap(J_new);
      q = q_new;
      A.noalias() = J.transpose() * J;
      g.noalias() = J.transpose() * r;
      const double t = 2.0 * rho - 1.0;
      mu *= std::max(1.0 / 3.0, 1.0 - t * t * t);
      nu = 2.0;
    } else {
      mu *= nu;
      nu *= 2.0;
      if (!std::isfinite(mu) || mu > 1e300) {
        stationary = true;  // no step of any length lowers q: a (numerically) stationary point
        break;
      }
    }
  }
  out.x = x;
  out.q = q;
  out.iterations = it;
  if (q <= o.q_tol)
    out.status = NumericStartStatus::FixedPoint;
  else if (stationary)
    out.status = q <= o.slow_q_max ? NumericStartStatus::SlowPoint : NumericStartStatus::Stationary;
  else
    out.status = NumericStartStatus::MaxIterations;
  return out;
}

Matrix sample_box(Index k, const Vector& lo, const Vector& hi, std::uint64_t seed) {
  if (lo.size() != hi.size()) throw InputError("box", "lower and upper corners differ in length");
  for (Index i = 0; i < lo.size(); ++i)
    if (!(lo(i) <= hi(i)) || !std::isfinite(lo(i)) || !std::isfinite(hi(i)))
      throw InputError("box", "need finite lo <= hi in every dimension (dimension " + std::to_string(i) + ")");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Matrix X(k, lo.size());
  for (Index s = 0; s < k; ++s)
    for (Index i = 0; i < lo.size(); ++i) X(s, i) = lo(i) + (hi(i) - lo(i)) * u(rng);
  return X;
}

Matrix sample_from_data(Index k, const Matrix& data, double noise, std::uint64_t seed) {
  if (data.rows() == 0) throw InputError("data", "no states to sample from");
  if (!(noise >= 0.0)) throw InputError("noise", "must be >= 0");
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Index> pick(0, data.rows() - 1);
  std::normal_distribution<double> gauss(0.0, 1.0);
  Matrix X(k, data.cols());
  for (Index s = 0; s < k; ++s) {
    X.row(s) = data.row(pick(rng));
    if (noise > 0.0)
      for (Index i = 0; i < data.cols(); ++i) X(s, i) += noise * gauss(rng);
  }
  return X;
}

namespace {

/// Greedy merge in start order: deterministic, and each representative is the lowest-q member.
void merge_into(std::vector<NumericPoint>& points, const NumericStartOutcome& s, int index, bool slow, double tol) {
  for (auto& p : points) {
    if ((p.x - s.x).norm() <= tol * std::max(1.0, p.x.norm())) {
      ++p.n_starts;
      if (s.q < p.q) {
        p.x = s.x;
        p.q = s.q;
      }
      return;
    }
  }
  NumericPoint p;
  p.x = s.x;
  p.q = s.q;
  p.slow = slow;
  p.n_starts = 1;
  p.first_start = index;
  points.push_back(std::move(p));
}

double nearest_distance(const Matrix& data, const Vector& x) {
  return (data.rowwise() - x.transpose()).rowwise().norm().minCoeff();
}

}  // namespace

void add_stability(const Model& model, NumericPoint& p, const LinearizeOptions& lo) {
  const Linearization lin = linearize(model, p.x, lo);
  p.eigen = lin.eigen;
  p.stability = lin.stability;
  const bool map = model.time_kind() == TimeKind::Map;
  const double tol = lo.stability.marginal_tol;
  std::vector<Index> cols;
  for (Index i = 0; i < lin.eigen.eigenvalues.size(); ++i) {
    const Complex l = lin.eigen.eigenvalues(i);
    if (map ? std::abs(l) > 1.0 + tol : l.real() > tol) cols.push_back(i);
  }
  p.unstable_directions.resize(model.dim(), static_cast<Index>(cols.size()));
  p.unstable_eigenvalues.resize(static_cast<Index>(cols.size()));
  for (size_t k = 0; k < cols.size(); ++k) {
    p.unstable_directions.col(static_cast<Index>(k)) = lin.eigen.eigenvectors.col(cols[k]);
    p.unstable_eigenvalues(static_cast<Index>(k)) = lin.eigen.eigenvalues(cols[k]);
  }
}

namespace {

/// Every start in parallel. The calling thread (OpenMP's thread 0) polls the monitor between and
/// within its own starts, so a Python callback (which needs that thread) runs and Ctrl-C is seen
/// within one iteration; the other threads only read monitor.stopped().
void run_starts(const Model& model, const Matrix& initial_states, const NumericFixedPointOptions& options, int threads,
                std::vector<NumericStartOutcome>& out) {
  const Index K = initial_states.rows();
  Monitor monitor(options.progress);
  std::atomic<std::int64_t> done{0}, converged{0};
  const auto report = [&] {
    return monitor.poll({"numeric starts", K > 0 ? static_cast<double>(done) / static_cast<double>(K) : 1.0,
                         done.load(), converged.load(), 0.0});
  };
  const std::function<bool()> poll_here = report;
  const std::function<bool()> stop_flag = [&monitor] { return !monitor.stopped(); };
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (Index s = 0; s < K; ++s) {
    if (monitor.stopped()) continue;
    const bool caller = omp_get_thread_num() == 0;
    out[static_cast<size_t>(s)] =
        solve_fixed_point_from(model, initial_states.row(s).transpose(), options, caller ? poll_here : stop_flag);
    ++done;
    if (out[static_cast<size_t>(s)].status == NumericStartStatus::FixedPoint) ++converged;
    if (caller) report();
  }
  // A last report at 100 % (forced: a short run would otherwise report nothing).
  if (!monitor.stopped()) monitor.poll({"numeric starts", 1.0, done.load(), converged.load(), 0.0}, true);
  monitor.check();
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
  NumericFixedPointResult res;
  const Index K = initial_states.rows();
  res.starts.resize(static_cast<size_t>(K));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  run_starts(model, initial_states, options, threads, res.starts);

  for (Index s = 0; s < K; ++s) {
    const auto& o = res.starts[static_cast<size_t>(s)];
    if (o.status == NumericStartStatus::FixedPoint) {
      ++res.n_fixed_runs;
      merge_into(res.fixed_points, o, static_cast<int>(s), false, options.dedup_tol);
    } else if (o.status == NumericStartStatus::SlowPoint) {
      ++res.n_slow_runs;
    } else {
      ++res.n_failed_runs;
    }
  }
  // Slow points next to a fixed point are the same attractor of the descent: drop them.
  for (Index s = 0; s < K; ++s) {
    const auto& o = res.starts[static_cast<size_t>(s)];
    if (o.status != NumericStartStatus::SlowPoint) continue;
    const bool near_fixed = std::any_of(res.fixed_points.begin(), res.fixed_points.end(), [&](const NumericPoint& p) {
      return (p.x - o.x).norm() <= options.dedup_tol * std::max(1.0, p.x.norm());
    });
    if (!near_fixed) merge_into(res.slow_points, o, static_cast<int>(s), true, options.dedup_tol);
  }

  if (data.rows() > 0) {
    double threshold = options.outlier_distance;
    if (threshold == 0.0) {
      const Eigen::RowVectorXd centroid = data.colwise().mean();
      threshold = 10.0 * (data.rowwise() - centroid).rowwise().norm().mean();
    }
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
  } else if (options.outlier_distance > 0.0 && std::isfinite(options.outlier_distance)) {
    throw InputError("outlier_distance", "needs reference data (e.g. trajectory states)");
  }

  if (options.compute_stability) {
    std::vector<NumericPoint*> all;
    for (auto& p : res.fixed_points) all.push_back(&p);
    for (auto& p : res.slow_points) all.push_back(&p);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (Index i = 0; i < static_cast<Index>(all.size()); ++i)
      add_stability(model, *all[static_cast<size_t>(i)], options.linearize);
  }
  for (const auto& p : res.fixed_points) res.max_q = std::max(res.max_q, p.q);
  return res;
}

}  // namespace rnndyn
