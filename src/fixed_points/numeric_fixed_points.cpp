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
  if (!(slow_q_relative >= 0.0) || !std::isfinite(slow_q_relative))
    throw InputError("slow_q_relative", "must be finite and >= 0");
  if (!(slow_merge_tol >= 0.0) || !std::isfinite(slow_merge_tol))
    throw InputError("slow_merge_tol", "must be finite and >= 0");
  if (!(grad_tol > 0.0)) throw InputError("grad_tol", "must be > 0");
  if (!(step_tol > 0.0)) throw InputError("step_tol", "must be > 0");
  if (max_iter < 1) throw InputError("max_iter", "must be >= 1");
  if (!(dedup_tol >= 0.0) || !std::isfinite(dedup_tol)) throw InputError("dedup_tol", "must be finite and >= 0");
  if (!(outlier_distance >= 0.0)) throw InputError("outlier_distance", "must be >= 0 (0: automatic, inf: never)");
  if (threads < 0) throw InputError("threads", "must be >= 0");
  if (batch < 1) throw InputError("batch", "must be >= 1, got " + std::to_string(batch));
  if (patience < 0) throw InputError("patience", "must be >= 0 (0: use every start), got " + std::to_string(patience));
  if (!(time_limit > 0.0)) throw InputError("time_limit", "must be > 0 seconds (inf: no limit)");
  if (!(deflation_power >= 1.0) || !std::isfinite(deflation_power))
    throw InputError("deflation_power", "must be finite and >= 1");
  if (!(deflation_shift > 0.0) || !std::isfinite(deflation_shift))
    throw InputError("deflation_shift", "must be finite and > 0");
  if (neighbours < 0) throw InputError("neighbours", "must be >= 0");
  if (!(memory_radius >= 0.0) || !std::isfinite(memory_radius))
    throw InputError("memory_radius", "must be finite and >= 0 (0: automatic)");
  if (!(memory_horizon > 0.0)) throw InputError("memory_horizon", "must be > 0 (inf: none)");
  linearize.validate();
  slow_manifolds.validate();
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

std::string to_string(NumericStartKind k) {
  switch (k) {
    case NumericStartKind::Random:
      return "start";
    case NumericStartKind::Deflated:
      return "deflation";
    case NumericStartKind::BetweenPoints:
      return "between_points";
    case NumericStartKind::UnstableDirection:
      return "unstable_direction";
  }
  return "start";
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

/// Deflated solves: stationarity test, iteration limit, and the largest plain q at which the
/// deflated end point is polished on R (solve_deflated_from).
constexpr double kDeflatedGradTol = 1e-6;
constexpr int kDeflatedMaxIter = 30;
constexpr double kPolishQ = 1e-6;

/// r(x) and its Jacobian J(x) for one solve: R itself or the deflated residual.
using ResidualFn = std::function<void(const Vector& x, Vector& r, Matrix& J)>;

/// Levenberg-Marquardt on r from x0 with Nielsen's damping update (file comment). The step solves
/// (J^T J + mu I) s = -J^T r by a (blocked) Cholesky factorization: the system is positive
/// definite for mu > 0, and Eigen's LLT is several times faster than LDLT at N in the hundreds.
NumericStartOutcome levenberg_marquardt(const ResidualFn& residual, const Vector& x0, const NumericFixedPointOptions& o,
                                        const std::function<bool()>& keep_going) {
  NumericStartOutcome out;
  Vector x = x0, r, r_new;
  Matrix J, J_new;
  residual(x, r, J);
  if (!all_finite(r, J)) {
    out.x = x;
    out.q = std::numeric_limits<double>::infinity();
    out.status = NumericStartStatus::NonFinite;
    return out;
  }
  const Index n = x.size();
  double q = 0.5 * r.squaredNorm();
  Matrix A(n, n);
  A.setZero();
  A.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
  Vector g = J.transpose() * r;
  double mu = 1e-3 * std::max(A.diagonal().maxCoeff(), 1e-12);
  double nu = 2.0;
  // Below this q the residual is at round-off level; further iterations cannot improve it.
  const double q_floor = 1e-30 * std::max(1.0, x.squaredNorm());
  bool stationary = false;
  int it = 0;
  Eigen::LLT<Matrix> llt;
  Matrix M(n, n);
  for (; it < o.max_iter; ++it) {
    if (q <= q_floor) break;
    if (keep_going && !keep_going()) break;
    // The stationarity test tells slow points from zeros; at a zero (q <= q_tol) iterate on to
    // round-off instead, so that a fixed point is as accurate as the arithmetic allows.
    if (q > o.q_tol && g.lpNorm<Eigen::Infinity>() <= o.grad_tol * std::max(1.0, r.lpNorm<Eigen::Infinity>())) {
      stationary = true;
      break;
    }
    M = A;
    M.diagonal().array() += mu;
    llt.compute(M);
    const Vector step = llt.info() == Eigen::Success ? Vector(llt.solve(-g)) : Vector();
    if (step.size() == 0 || !step.allFinite()) {
      mu *= nu;
      nu *= 2.0;
      if (!std::isfinite(mu) || mu > 1e300) {
        stationary = true;
        break;
      }
      continue;
    }
    if (step.norm() <= o.step_tol * (x.norm() + o.step_tol)) {
      stationary = true;
      break;
    }
    const Vector x_new = x + step;
    residual(x_new, r_new, J_new);
    const double q_new = all_finite(r_new, J_new) ? 0.5 * r_new.squaredNorm() : std::numeric_limits<double>::infinity();
    // Gain ratio: actual decrease of q over the decrease predicted by the damped model.
    const double predicted = 0.5 * step.dot(mu * step - g);
    const double rho = predicted > 0.0 ? (q - q_new) / predicted : -1.0;
    if (rho > 0.0 && std::isfinite(q_new)) {
      x = x_new;
      r.swap(r_new);
      J.swap(J_new);
      q = q_new;
      A.setZero();
      A.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
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

/// The deflation operator M(x) = prod_k (||x - x_k||^-p + sigma) and the gradient of its log,
///   grad log M = sum_k -p ||x - x_k||^(-p-2) (x - x_k) / (||x - x_k||^-p + sigma),
/// so that the deflated residual M R has the Jacobian M (DR + R (grad log M)^T).
/// M is accumulated as a log: with many known points the product can leave double range.
void deflate(const std::vector<Vector>& known, double p, double sigma, const Vector& x, Vector& r, Matrix& J) {
  double log_m = 0.0;
  Vector grad = Vector::Zero(x.size());
  for (const Vector& xk : known) {
    const Vector d = x - xk;
    const double dist2 = d.squaredNorm();
    const double inv = std::pow(dist2, -0.5 * p);  // ||x - x_k||^-p (inf at x_k)
    const double m = inv + sigma;
    log_m += std::log(m);
    grad -= (p * inv / (dist2 * m)) * d;
  }
  const double M = std::exp(log_m);
  J.noalias() += r * grad.transpose();
  J *= M;
  r *= M;
}

}  // namespace

NumericStartOutcome solve_fixed_point_from(const Model& model, const Vector& x0, const NumericFixedPointOptions& o,
                                           const std::function<bool()>& keep_going) {
  if (x0.size() != model.dim()) throw InputError("initial state", "expected length " + std::to_string(model.dim()));
  return levenberg_marquardt([&](const Vector& x, Vector& r, Matrix& J) { residual(model, x, r, J); }, x0, o,
                             keep_going);
}

NumericStartOutcome solve_deflated_from(const Model& model, const Vector& x0, const std::vector<Vector>& known,
                                        const NumericFixedPointOptions& o, const std::function<bool()>& keep_going) {
  if (x0.size() != model.dim()) throw InputError("initial state", "expected length " + std::to_string(model.dim()));
  if (known.empty()) return solve_fixed_point_from(model, x0, o, keep_going);
  const double p = o.deflation_power, sigma = o.deflation_shift;
  // Where no unknown zero is near, the deflated q has a minimum with q > 0 (for R ~ -c x around
  // one known point, on the sphere |x - x_k| = 1), to which LM converges only linearly: a loose
  // stationarity test and fewer iterations end such a run early. A zero still ends it by q_tol,
  // and a run that stops close to one is finished by the polish below.
  NumericFixedPointOptions od = o;
  od.slow_q_max = 0.0;
  od.grad_tol = std::max(o.grad_tol, kDeflatedGradTol);
  od.max_iter = std::min(o.max_iter, kDeflatedMaxIter);
  NumericStartOutcome d = levenberg_marquardt(
      [&](const Vector& x, Vector& r, Matrix& J) {
        residual(model, x, r, J);
        deflate(known, p, sigma, x, r, J);
      },
      x0, od, keep_going);
  if (d.status == NumericStartStatus::NonFinite || (keep_going && !keep_going())) return d;
  // A zero of M R is a zero of R (M > 0); the solve on R from where the deflated one ended brings
  // it to round-off and judges it by R's own q. Far from any zero there is nothing to polish.
  Vector r;
  Matrix J;
  residual(model, d.x, r, J);
  const double q_plain = 0.5 * r.squaredNorm();
  if (!(q_plain <= kPolishQ)) {
    d.q = q_plain;
    d.status = NumericStartStatus::Stationary;
    return d;
  }
  NumericFixedPointOptions polish = o;
  polish.slow_q_max = 0.0;  // a deflated run that stalls is not a slow point of R
  NumericStartOutcome out = solve_fixed_point_from(model, d.x, polish, keep_going);
  out.iterations += d.iterations;
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

}  // namespace rnndyn
