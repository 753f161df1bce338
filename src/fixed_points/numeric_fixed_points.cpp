// Multi-start search for zeros and slow points of R(x) (F(x) - x for maps,
// F(x) for flows), minimising q(x) = 1/2 ||R(x)||^2. See numeric_fixed_points.hpp.
//
// Each plain run is Powell's dogleg continued by LM (NumericSolver, the header). Why hand-written
// solvers rather than Eigen's unsupported LevenbergMarquardt or HybridNonLinearSolver (MINPACK
// lmder / hybrj): we need to tell a zero of R from a stationary point of q with q > 0 (a slow
// point), which MINPACK's termination codes do not separate cleanly (hybrj's Broyden updates
// between factorizations were not tried). The LM loop is ~40 lines with Nielsen's
// damping update (Madsen, Nielsen & Tingleff, "Methods for non-linear least squares problems",
// 2004, Alg. 3.16), which converges quadratically near a regular zero like Newton's method and
// degrades to gradient descent on q far from one.
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <random>

#include <omp.h>

#include "../detail/dense_lapack.hpp"
#include "../detail/vector_math.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/zero_refinement.hpp"

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
  if (stall_steps < 0) throw InputError("stall_steps", "must be >= 0 (0: never stop a crawl)");
  if (slow_stall_steps < 0) throw InputError("slow_stall_steps", "must be >= 0 (0: stall_steps applies)");
  if (!(slow_crawl_ratio > 0.0 && slow_crawl_ratio < 1.0)) throw InputError("slow_crawl_ratio", "must be in (0, 1)");
  if (newton_steps < 0) throw InputError("newton_steps", "must be >= 0");
  if (!(newton_tol > 0.0) || !std::isfinite(newton_tol)) throw InputError("newton_tol", "must be finite and > 0");
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
  if (memory_time_points < -1) throw InputError("memory_time_points", "must be >= 0, or -1 for all slow points");
  if (slow_stability_points < -1) throw InputError("slow_stability_points", "must be >= 0, or -1 for all slow points");
  linearize.validate();
  slow_manifolds.validate();
  memories.validate();
}

std::string to_string(NumericSolver s) { return s == NumericSolver::LevenbergMarquardt ? "lm" : "dogleg"; }

NumericSolver parse_numeric_solver(const std::string& text, const std::string& field) {
  if (text == "dogleg") return NumericSolver::Dogleg;
  if (text == "lm") return NumericSolver::LevenbergMarquardt;
  throw InputError(field, "expected dogleg or lm, got '" + text + "'");
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
    case NumericStartStatus::Stalled:
      return "stalled";
    case NumericStartStatus::NonFinite:
      return "non-finite";
    case NumericStartStatus::Unresolved:
      return "unresolved";
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

bool all_finite(const Vector& r, const Matrix& J) { return detail::all_finite(r) && detail::all_finite(J); }

/// Deflated solves: stationarity test, iteration limit, and the largest plain q at which the
/// deflated end point is polished on R (solve_deflated_from).
constexpr double kDeflatedGradTol = 1e-6;
constexpr int kDeflatedMaxIter = 30;
constexpr double kPolishQ = 1e-6;
/// Largest relative residual of the normal equations an iterative LM step may leave (see the
/// forcing term in levenberg_marquardt).
constexpr double kMaxForcing = 1e-6;
/// Size from which the preconditioned CG step is tried before the direct one (DampedStep). Below
/// it the direct step (dsyrk + dpotrf, level 3) is cheap next to the level-2 products of CG: on
/// the GRU(128) flip-flop 95 % of the preconditioned attempts (9527 of 10000) missed the forcing
/// term within their N / 20 iterations, and the search took 4.2 s against 3.1 s without them;
/// on dense tanh networks, g = 1.5, the two are even at N = 128 and 256 (0.43 / 0.40 s, 2.33 /
/// 2.31 s, 64 starts) and the preconditioned step gains 13 % at N = 500 (9.5 / 11.0 s, 32 starts).
constexpr Index kPcgMinDim = 256;
/// An accepted LM step with q_new > kCrawlRatio q counts towards stall_steps.
constexpr double kCrawlRatio = 0.9;

/// r(x) and its Jacobian J(x) for one solve: R itself or the deflated residual.
using ResidualFn = std::function<void(const Vector& x, Vector& r, Matrix& J)>;

/// The damped Gauss-Newton step of one LM solve: s minimising |J s + r|^2 + mu |s|^2, i.e.
/// (A + mu I) s = -g with A = J^T J, g = J^T r.
///
/// The direct step forms A (N^3 flops) and factorises A + mu I by Cholesky (N^3 / 3; positive
/// definite for mu > 0), on OpenBLAS/LAPACK from detail::kBlasMinDim on (3x faster than Eigen's
/// SSE2 kernels, dense_lapack.hpp) and by Eigen's LLT below. From kBlasMinDim on, conjugate
/// gradients on the normal equations are tried first, with J applied by matrix-vector products
/// (4 N^2 flops an iteration), stopped at the inexact-Newton forcing term eta (relative residual
/// of the normal equations):
///  - before any factorization, unpreconditioned (CGLS: enough where J is well conditioned, as
///    in a contracting network: 0.28 s against 0.42 s for 64 starts at N = 256, g = 0.5), at most
///    N / 4 iterations (about one direct step);
///  - after one, from kPcgMinDim units on, preconditioned by the last factorization (of A + mu I
///    at an earlier iterate): J changes little from one LM iterate to the next, so a few
///    iterations suffice even where J is nearly singular (near a saddle of a chaotic network); at
///    most N / 20 iterations (two matrix-vector products and two triangular solves each: about
///    half a direct step at N = 500).
/// A step that needed more than a third of its cap refactors at the next iterate, and a step the
/// iterations do not finish is the direct one; its factorization becomes the preconditioner. So a
/// step never costs much more than 1.5 direct steps, and usually a fraction of one.
class DampedStep {
 public:
  /// plain_cg: whether the unpreconditioned CG is tried before the first factorization.
  DampedStep(Index n, bool plain_cg)
      : large_(n >= detail::kBlasMinDim),
        preconditioned_(n >= kPcgMinDim),
        max_cg_(std::max<Index>(10, n / 4)),
        max_pcg_(std::max<Index>(8, n / 20)),
        tried_plain_(!plain_cg) {}

  /// mu's initial scale, max_i (J^T J)_ii, from column norms (no product formed).
  static double max_diagonal(const Matrix& J) { return J.colwise().squaredNorm().maxCoeff(); }

  /// The step into s (empty when the factorization fails), and the decrease of q predicted by the
  /// undamped linear model, q - 1/2 |r + J s|^2 (the gain ratio's denominator: with an inexact
  /// step the closed form 1/2 s.(mu s - g) of the exact one does not hold).
  void solve(const Matrix& J, const Vector& r, const Vector& g, double mu, double eta, Vector& s, double& predicted) {
    if (large_ && !refresh_ && conjugate_gradients(J, r, g, mu, eta, s, predicted)) return;
    refresh_ = false;
    if (!factorize(J, mu)) {
      s.resize(0);
      return;
    }
    s = -g;
    precondition(s);
    predicted = 0.5 * s.dot(mu * s - g);
  }

 private:
  /// Cholesky factor of J^T J + mu I into L_ (the lower triangle); false if not positive definite.
  bool factorize(const Matrix& J, double mu) {
    if (large_) {
      detail::gram_lower(J, L_);
      L_.diagonal().array() += mu;
      have_factor_ = detail::cholesky_factor(L_);
    } else {
      L_.setZero(J.cols(), J.cols());
      L_.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
      L_.diagonal().array() += mu;
      llt_.compute(L_);
      have_factor_ = llt_.info() == Eigen::Success;
    }
    return have_factor_;
  }

  /// v <- (L L^T)^-1 v with the last factorization.
  void precondition(Vector& v) const {
    if (large_)
      detail::cholesky_solve_factored(L_, v);
    else
      v = llt_.solve(v);
  }

  /// (Preconditioned) conjugate gradients on (J^T J + mu I) s = -g, keeping res = -r - J s for the
  /// predicted decrease (Bjorck, "Numerical Methods for Least Squares Problems", 1996, sec. 7.4);
  /// false when eta is not reached within the iteration cap.
  bool conjugate_gradients(const Matrix& J, const Vector& r, const Vector& g, double mu, double eta, Vector& s,
                           double& predicted) {
    const bool pre = have_factor_;
    if (pre && !preconditioned_) return false;
    if (!pre && tried_plain_) return false;  // plain CG failed once here: J is ill-conditioned
    tried_plain_ = true;
    const Index cap = pre ? max_pcg_ : max_cg_;
    s.setZero(J.cols());
    Vector res = -r;  // -r - J s
    Vector z = -g;    // the normal equations' residual, -g - (J^T J + mu I) s
    const double stop = eta * eta * z.squaredNorm();
    Vector y = z, w, ap;
    if (pre) precondition(y);
    Vector p = y;
    double gamma = z.dot(y);
    for (Index k = 0; k < cap; ++k) {
      w.noalias() = J * p;
      ap.noalias() = J.transpose() * w;
      ap += mu * p;
      const double delta = p.dot(ap);
      if (!(delta > 0.0) || !(gamma > 0.0)) return false;
      const double alpha = gamma / delta;
      s += alpha * p;
      res -= alpha * w;
      z -= alpha * ap;
      if (z.squaredNorm() <= stop) {
        refresh_ = pre && 3 * (k + 1) > cap;
        predicted = 0.5 * (r.squaredNorm() - res.squaredNorm());
        return s.allFinite() && predicted > 0.0;
      }
      y = z;
      if (pre) precondition(y);
      const double gamma_new = z.dot(y);
      p = y + (gamma_new / gamma) * p;
      gamma = gamma_new;
    }
    return false;
  }

  bool large_, preconditioned_;
  Index max_cg_, max_pcg_;
  bool have_factor_ = false, tried_plain_, refresh_ = false;
  Matrix L_;
  Eigen::LLT<Matrix> llt_;
};

/// Crawls (NumericFixedPointOptions::stall_steps): accepted steps in a row that lowered q by less
/// than 10 %, and below slow_q_threshold by less than o.slow_crawl_ratio.
struct CrawlCount {
  int crawl = 0, slow = 0;
  /// Counts the accepted step q -> q_new; true when the run has crawled long enough to end.
  bool stalled_after(double q, double q_new, double slow_q_threshold, const NumericFixedPointOptions& o) {
    crawl = q_new > kCrawlRatio * q ? crawl + 1 : 0;
    slow = q_new <= slow_q_threshold && q_new > o.slow_crawl_ratio * q ? slow + 1 : 0;
    const bool slow_enough = o.slow_stall_steps > 0 && slow >= o.slow_stall_steps;
    return o.stall_steps > 0 && (crawl >= o.stall_steps || slow_enough) && q_new > o.q_tol;
  }
};

/// A start where R or DR is not finite.
NumericStartOutcome non_finite_start(const Vector& x) {
  NumericStartOutcome out;
  out.x = x;
  out.q = std::numeric_limits<double>::infinity();
  out.status = NumericStartStatus::NonFinite;
  return out;
}

/// The outcome of a run that ended at x with q after `it` iterations (statuses: the header).
NumericStartOutcome run_outcome(const Vector& x, double q, int it, bool stationary, bool stalled,
                                const NumericFixedPointOptions& o) {
  NumericStartOutcome out;
  out.x = x;
  out.q = q;
  out.iterations = it;
  if (q <= o.q_tol)
    out.status = NumericStartStatus::FixedPoint;
  else if (stationary)
    out.status = q <= o.slow_q_max ? NumericStartStatus::SlowPoint : NumericStartStatus::Stationary;
  else if (stalled)
    out.status = NumericStartStatus::Stalled;
  else
    out.status = NumericStartStatus::MaxIterations;
  return out;
}

/// Forcing term of an inexact step: sqrt(|r|) near a zero (Eisenstat & Walker: superlinear
/// convergence), at most kMaxForcing far from one. Which zero a start reaches depends on the
/// steps it takes, so the steps must be the Gauss-Newton ones, not merely descent directions:
/// with at most 0.1 (the textbook cap) 36 of 40 starts of a chaotic N = 500 tanh network went to
/// the origin and none to the pair of saddles at |x| = 8.2 that 15 of them reach with the direct
/// step; with 1e-4 or less every start ends where the direct step takes it.
double forcing_term(double q) { return std::clamp(std::sqrt(std::sqrt(2.0 * q)), 1e-12, kMaxForcing); }

/// The current point of a run (x, r = r(x), J = Dr(x), q, g = J^T r) and the tests both solvers
/// share.
struct Iterate {
  Vector x, r, g, r_new;
  Matrix J, J_new;
  double q = 0.0;
  double q_floor = 0.0;  ///< below it the residual is at round-off level

  /// r and J at x0; false where they are not finite.
  bool start(const ResidualFn& residual, const Vector& x0) {
    x = x0;
    residual(x, r, J);
    if (!all_finite(r, J)) return false;
    q = 0.5 * r.squaredNorm();
    g.noalias() = J.transpose() * r;
    q_floor = 1e-30 * std::max(1.0, x.squaredNorm());
    return true;
  }
  /// The stationarity test tells slow points from zeros; at a zero (q <= q_tol) the run iterates
  /// on to round-off instead, so that a fixed point is as accurate as the arithmetic allows.
  bool stationary(const NumericFixedPointOptions& o) const {
    return q > o.q_tol && g.lpNorm<Eigen::Infinity>() <= o.grad_tol * std::max(1.0, r.lpNorm<Eigen::Infinity>());
  }
  /// Whether a step (or trust radius) of this length is below step_tol relative to x (NaN: yes).
  bool negligible(double length, const NumericFixedPointOptions& o) const {
    return !(length > o.step_tol * (x.norm() + o.step_tol));
  }
  /// q at x + step (inf where r or J is not finite there), kept for accept().
  double try_step(const ResidualFn& residual, const Vector& step) {
    x_new = x + step;
    residual(x_new, r_new, J_new);
    return all_finite(r_new, J_new) ? 0.5 * r_new.squaredNorm() : std::numeric_limits<double>::infinity();
  }
  /// Moves to the point of the last try_step, whose q was q_new.
  void accept(double q_new) {
    x.swap(x_new);
    r.swap(r_new);
    J.swap(J_new);
    q = q_new;
    g.noalias() = J.transpose() * r;
  }

 private:
  Vector x_new;
};

/// Levenberg-Marquardt on r from x0 with Nielsen's damping update (file comment), the step by
/// DampedStep; plain_cg as DampedStep's.
NumericStartOutcome levenberg_marquardt(const ResidualFn& residual, const Vector& x0, const NumericFixedPointOptions& o,
                                        const std::function<bool()>& keep_going, double slow_q_threshold = 0.0,
                                        bool plain_cg = true) {
  Iterate p;
  if (!p.start(residual, x0)) return non_finite_start(x0);
  DampedStep damped(x0.size(), plain_cg);
  double mu = 1e-3 * std::max(DampedStep::max_diagonal(p.J), 1e-12);
  double nu = 2.0;
  bool stationary = false, stalled = false;
  int it = 0;
  CrawlCount crawls;
  Vector step;
  for (; it < o.max_iter; ++it) {
    if (p.q <= p.q_floor) break;
    if (keep_going && !keep_going()) break;
    if (p.stationary(o)) {
      stationary = true;
      break;
    }
    double predicted = 0.0;
    damped.solve(p.J, p.r, p.g, mu, forcing_term(p.q), step, predicted);
    if (step.size() == 0 || !step.allFinite()) {
      mu *= nu;
      nu *= 2.0;
      if (!std::isfinite(mu) || mu > 1e300) {
        stationary = true;
        break;
      }
      continue;
    }
    if (p.negligible(step.norm(), o)) {
      stationary = true;
      break;
    }
    const double q_new = p.try_step(residual, step);
    // Gain ratio: actual decrease of q over the decrease predicted by the linear model.
    const double rho = predicted > 0.0 ? (p.q - q_new) / predicted : -1.0;
    if (rho > 0.0 && std::isfinite(q_new)) {
      const bool crawled = crawls.stalled_after(p.q, q_new, slow_q_threshold, o);
      p.accept(q_new);
      const double t = 2.0 * rho - 1.0;
      mu *= std::max(1.0 / 3.0, 1.0 - t * t * t);
      nu = 2.0;
      if (crawled) {
        stalled = true;  // a crawl along a slow valley (NumericFixedPointOptions::stall_steps)
        break;
      }
    } else {
      mu *= nu;
      nu *= 2.0;
      if (!std::isfinite(mu) || mu > 1e300) {
        stationary = true;  // no step of any length lowers q: a (numerically) stationary point
        break;
      }
    }
  }
  return run_outcome(p.x, p.q, it, stationary, stalled, o);
}

/// Powell's dogleg on r from x0 (NumericSolver::Dogleg): the Newton step on detail::RefinedLu, the
/// Cauchy step along -g, and their dogleg path cut at the trust radius; a rejected step shrinks
/// the radius and reuses both. Radius updates as MINPACK's hybrj and Nocedal & Wright's Alg. 4.1
/// (x 1/4 below a gain ratio of 1/4, x 2 above 3/4 on the boundary); the first radius is
/// 100 max(1, |x0|) (hybrj's factor 100), so a start far from every zero takes full Newton steps.
/// Stopping tests and statuses as levenberg_marquardt's.
NumericStartOutcome powell_dogleg(const ResidualFn& residual, const Vector& x0, const NumericFixedPointOptions& o,
                                  const std::function<bool()>& keep_going, double slow_q_threshold = 0.0) {
  Iterate p;
  if (!p.start(residual, x0)) return non_finite_start(x0);
  detail::RefinedLu lu;
  double radius = 100.0 * std::max(1.0, x0.norm());
  bool stationary = false, stalled = false, fresh = true, newton_ok = false;
  int it = 0;
  CrawlCount crawls;
  Vector sN, sC, step, Js, Jg;
  double nN = 0.0, nC = 0.0;
  for (; it < o.max_iter; ++it) {
    if (p.q <= p.q_floor) break;
    if (keep_going && !keep_going()) break;
    if (p.stationary(o)) {
      stationary = true;
      break;
    }
    if (fresh) {  // the Newton and Cauchy steps at a new point; a rejected step reuses them
      // A Newton step whose residual is not at least halved (J singular to working precision) is
      // no Newton step: the dogleg then follows -g alone.
      newton_ok = lu.factor(p.J) && lu.solve(p.J, -p.r, sN, forcing_term(p.q)) <= 0.5 && sN.allFinite();
      nN = newton_ok ? sN.norm() : std::numeric_limits<double>::infinity();
      Jg.noalias() = p.J * p.g;
      const double gg = p.g.squaredNorm(), jg = Jg.squaredNorm();
      sC = -(jg > 0.0 ? gg / jg : 0.0) * p.g;
      nC = sC.norm();
      fresh = false;
    }
    if (newton_ok && nN <= radius) {
      step = sN;
    } else if (!newton_ok || nC >= radius) {
      step = nC > 0.0 ? (radius / nC) * sC : sC;
    } else {  // the point where the segment sC -> sN leaves the ball
      const Vector d = sN - sC;
      const double a = d.squaredNorm(), b = sC.dot(d), c = nC * nC - radius * radius;
      const double tau = (-b + std::sqrt(b * b - a * c)) / a;
      step = sC + tau * d;
    }
    const double ns = step.norm();
    if (p.negligible(ns, o)) {
      stationary = true;
      break;
    }
    Js.noalias() = p.J * step;
    const double predicted = p.q - 0.5 * (p.r + Js).squaredNorm();
    const double q_new = p.try_step(residual, step);
    const double rho = predicted > 0.0 ? (p.q - q_new) / predicted : -1.0;
    if (rho < 0.25)
      radius = 0.25 * ns;
    else if (rho > 0.75 && ns >= 0.99 * radius)
      radius = 2.0 * radius;
    if (rho > 1e-4 && std::isfinite(q_new)) {
      const bool crawled = crawls.stalled_after(p.q, q_new, slow_q_threshold, o);
      p.accept(q_new);
      fresh = true;
      if (crawled) {
        stalled = true;
        break;
      }
    } else if (p.negligible(radius, o)) {
      stationary = true;
      break;
    }
  }
  return run_outcome(p.x, p.q, it, stationary, stalled, o);
}

/// A plain run by the options' solver: the dogleg, continued by LM from where it ended unless that
/// is a zero (NumericSolver), or LM alone.
NumericStartOutcome plain_solve(const ResidualFn& residual, const Vector& x0, const NumericFixedPointOptions& o,
                                const std::function<bool()>& keep_going, double slow_q_threshold) {
  if (o.solver == NumericSolver::LevenbergMarquardt)
    return levenberg_marquardt(residual, x0, o, keep_going, slow_q_threshold);
  NumericStartOutcome d = powell_dogleg(residual, x0, o, keep_going, slow_q_threshold);
  if (d.status == NumericStartStatus::FixedPoint || d.status == NumericStartStatus::NonFinite ||
      d.iterations >= o.max_iter || (keep_going && !keep_going()))
    return d;
  NumericFixedPointOptions rest = o;
  rest.max_iter = o.max_iter - d.iterations;
  // Where the dogleg stopped short of a zero DR is nearly singular, and CG on the normal equations
  // cannot reach the forcing term: on the flip-flop GRU(128) each of the 1000 continuations spent
  // its N / 4 = 32 plain CG iterations in vain before the direct step (0.26 s of a 3.8 s search).
  NumericStartOutcome l = levenberg_marquardt(residual, d.x, rest, keep_going, slow_q_threshold, false);
  l.iterations += d.iterations;
  return l;
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
  // The rank-one update column by column: Eigen would run the outer product as a (threaded) GEMM.
  for (Index j = 0; j < J.cols(); ++j) J.col(j) += grad(j) * r;
  J *= M;
  r *= M;
}

}  // namespace

NumericStartOutcome solve_fixed_point_from(const Model& model, const Vector& x0, const NumericFixedPointOptions& o,
                                           const std::function<bool()>& keep_going, double slow_q_threshold) {
  if (x0.size() != model.dim()) throw InputError("initial state", "expected length " + std::to_string(model.dim()));
  const ResidualFn plain = [&](const Vector& x, Vector& r, Matrix& J) { residual(model, x, r, J); };
  NumericStartOutcome out = plain_solve(plain, x0, o, keep_going, slow_q_threshold);
  const bool zero = out.status == NumericStartStatus::FixedPoint;
  if ((!zero && !(out.q <= o.slow_q_max)) || out.status == NumericStartStatus::NonFinite ||
      (keep_going && !keep_going()))
    return out;
  // q <= q_tol is not enough near a singular DR (zero_refinement.hpp): Newton steps bring the
  // point to the zero where the linear model holds, and the last step is its error estimate.
  // A run that stalled as slow as a slow point (q <= slow_q_max: LM's gradient test
  // J^T R ~ sigma_min^2 |x - x*| is met far from a near-singular zero) is refined too: Newton's step
  // J^+ R ~ |x - x*| reaches the zero. At a true stationary point of q with q > 0 (a slow point,
  // a ghost) R is orthogonal to the range of DR, the step vanishes and the run stays as it was.
  Vector r;
  Matrix J;
  residual(model, out.x, r, J);
  ZeroRefinementOptions zo;
  zo.max_steps = o.newton_steps;
  const ZeroRefinement z = refine_zero(plain, out.x, r, J, zo);
  const bool located = z.error <= o.newton_tol * std::max(1.0, z.x.norm());
  if (zero) {
    out.x = z.x;
    out.q = z.q;
    out.error = z.error;
    if (!located) out.status = NumericStartStatus::Unresolved;
  } else if (z.q <= o.q_tol && located) {
    out.x = z.x;
    out.q = z.q;
    out.error = z.error;
    out.status = NumericStartStatus::FixedPoint;
  }
  return out;
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

std::vector<TrainedMatch> match_trained_states(const Model& model, const std::vector<Vector>& xs,
                                               const std::vector<double>& errors,
                                               const std::function<double(std::size_t)>& sigma_min, double dedup_tol) {
  const auto& trained = model.trained_states();
  std::vector<TrainedMatch> out;
  std::vector<char> taken(xs.size(), 0);
  for (std::size_t m = 0; m < trained.size(); ++m) {
    const Vector& xm = trained[m].x;
    // A readout fitted by ridge regression holds its level only up to the fit's error, so the
    // closed loop's zero sits next to x_m, not on it. Newton-Kantorovich: where the zero is
    // regular, it lies within 2 |R(x_m)| / sigma_min(DR) of x_m (sigma_min taken at the zero).
    Vector r;
    Matrix J;
    residual(model, xm, r, J);
    const double rm = r.allFinite() ? r.norm() : std::numeric_limits<double>::infinity();
    TrainedMatch best{-1, static_cast<int>(m), std::numeric_limits<double>::infinity()};
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (taken[i] || xs[i].size() != xm.size()) continue;  // a point in other coordinates is not x_m
      const double d = (xs[i] - xm).norm();
      if (!(d < best.distance)) continue;
      bool on = same_zero(xs[i], errors[i], xm, 0.0, dedup_tol);
      if (!on) {
        const double s = sigma_min(i);  // asked only of a point nearer than the best so far
        on = std::isfinite(s) && s > 0.0 && d <= 2.0 * rm / s;
      }
      if (on) best = {static_cast<int>(i), static_cast<int>(m), d};
    }
    if (best.point < 0) continue;
    taken[static_cast<std::size_t>(best.point)] = 1;
    out.push_back(best);
  }
  return out;
}

void label_trained_states(const Model& model, const NumericFixedPointOptions& o, NumericFixedPointResult& res) {
  std::vector<Vector> xs;
  std::vector<double> errors;
  for (const NumericPoint& p : res.fixed_points) {
    xs.push_back(p.x);
    errors.push_back(p.error);
  }
  const auto sigma = [&](std::size_t i) { return res.fixed_points[i].sigma_min; };
  for (const TrainedMatch& t : match_trained_states(model, xs, errors, sigma, o.dedup_tol)) {
    NumericPoint& p = res.fixed_points[static_cast<std::size_t>(t.point)];
    p.trained_state = t.state;
    p.trained_level = model.trained_states()[static_cast<std::size_t>(t.state)].level;
    p.trained_distance = t.distance;
  }
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

std::vector<std::size_t> slowest_points(const std::vector<NumericPoint>& points, int cap) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return points[a].q < points[b].q; });
  if (cap >= 0 && order.size() > static_cast<std::size_t>(cap)) order.resize(static_cast<std::size_t>(cap));
  return order;
}

void add_stability(const Model& model, NumericPoint& p, const LinearizeOptions& lo) {
  const Linearization lin = linearize(model, p.x, lo);
  p.linearized = true;
  Matrix DR = lin.jacobian;
  if (model.time_kind() == TimeKind::Map) DR.diagonal().array() -= 1.0;
  const Conditioning c = conditioning_of(DR);
  p.sigma_min = c.sigma_min;
  p.sigma_max = c.sigma_max;
  p.condition = c.condition;
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
