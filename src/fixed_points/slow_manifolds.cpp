// Slow manifolds through the search's points: seeds with one slow direction, continuation of the
// invariance condition P_t R(x) = 0, and the drift along the curve (slow_manifolds.hpp).
#include "rnndyn/fixed_points/slow_manifolds.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"

namespace rnndyn {

void SlowManifoldOptions::validate() const {
  if (!(gap > 0.0 && gap < 1.0)) throw InputError("slow_manifolds.gap", "must lie in (0, 1)");
  if (!(step >= 0.0) || !std::isfinite(step)) throw InputError("slow_manifolds.step", "must be finite and >= 0");
  if (!(speed_max >= 0.0) || !std::isfinite(speed_max))
    throw InputError("slow_manifolds.speed_max", "must be finite and >= 0 (0: sqrt(2 slow_q_max))");
  if (min_points < 2) throw InputError("slow_manifolds.min_points", "must be >= 2");
  if (max_points < min_points) throw InputError("slow_manifolds.max_points", "must be >= min_points");
  if (max_iter < 1) throw InputError("slow_manifolds.max_iter", "must be >= 1");
  if (!(tol > 0.0) || !std::isfinite(tol)) throw InputError("slow_manifolds.tol", "must be finite and > 0");
}

namespace {

/// R(x) and, when asked, DR(x): F - x and DF - I for maps, F and DF for flows.
Vector residual(const Model& model, const Vector& x, Matrix* dr = nullptr) {
  Vector r;
  model.evaluate(x, r, dr);
  if (model.time_kind() == TimeKind::Map) {
    r -= x;
    if (dr) dr->diagonal().array() -= 1.0;
  }
  return r;
}

/// The corrector: a chord-Newton iteration on P_t R(x) = 0 in the hyperplane t . (x - xp) = 0
/// through xp. Started at xp, every step y is normal to t (x stays in the hyperplane) and solves
/// (P DR P + t t^T) y = -P R (the t t^T term makes the matrix regular on the tangent without
/// changing y). The LU of that matrix is kept and reused, also for the next points of a curve,
/// where DR and t change little: a step then costs an evaluation of R instead of an n x n LU
/// (the contraction factor is the relative change of the matrix, ~h |D^2 R| / |DR normal|). It
/// is refreshed, at the current x and t, when a step does not shrink |P R| fourfold.
class Corrector {
 public:
  Corrector(const Model& model, const SlowManifoldOptions& o) : model_(model), o_(o) {}

  /// False when it does not converge within max_iter steps or leaves the ball of radius h
  /// around xp (it jumped to another curve).
  bool operator()(const Vector& t, const Vector& xp, double h, Vector& x) {
    x = xp;
    double last = std::numeric_limits<double>::infinity();
    bool fresh = false;  // factorized at this point already
    for (int it = 0;; ++it) {
      const Vector r = residual(model_, x);
      if (!r.allFinite()) return false;
      const Vector pr = r - t * t.dot(r);
      const double norm = pr.norm();
      if (norm <= o_.tol) return true;
      if (it == o_.max_iter) return false;
      if (!lu_ || norm > 0.25 * last) {
        if (fresh && it > 1 && norm > last) return false;  // diverging with a fresh matrix
        if (!factorize(t, x)) return false;
        fresh = true;
      }
      last = norm;
      Vector y = lu_->solve(-pr);
      y -= t * t.dot(y);  // normal to this t (the matrix may belong to a neighbour's)
      x += y;
      if (!x.allFinite() || (x - xp).norm() > h) return false;
    }
  }

 private:
  bool factorize(const Vector& t, const Vector& x) {
    Matrix J;
    residual(model_, x, &J);
    if (!J.allFinite()) return false;
    Matrix M = J - (J * t) * t.transpose();  // DR P
    M -= t * (t.transpose() * M);            // P DR P
    M += t * t.transpose();
    lu_.emplace(M);
    return true;
  }

  const Model& model_;
  const SlowManifoldOptions& o_;
  std::optional<Eigen::PartialPivLU<Matrix>> lu_;
};

/// The slow direction of a seed: the real eigenvector of the eigenvalue of DR smallest in
/// modulus when it is separated from the next, |mu_1| <= gap |mu_2|; empty otherwise. `eigen`:
/// of DF at x when the search made it (DR = DF - I for maps: the same vectors, mu = lambda - 1).
Vector slow_direction(const Model& model, const Vector& x, const EigenDecomposition* eigen, double gap) {
  ComplexVector mu;
  ComplexMatrix vectors;
  if (eigen && eigen->eigenvalues.size() == x.size() && eigen->eigenvectors.cols() == x.size()) {
    mu = eigen->eigenvalues;
    if (model.time_kind() == TimeKind::Map) mu.array() -= 1.0;
    vectors = eigen->eigenvectors;
  } else {
    Matrix J;
    residual(model, x, &J);
    if (!J.allFinite()) return {};
    const Eigen::EigenSolver<Matrix> es(J);
    if (es.info() != Eigen::Success) return {};
    mu = es.eigenvalues();
    vectors = es.eigenvectors();
  }
  if (mu.size() < 2) return {};
  Index first = 0;
  for (Index i = 1; i < mu.size(); ++i)
    if (std::abs(mu(i)) < std::abs(mu(first))) first = i;
  double second = std::numeric_limits<double>::infinity();
  for (Index i = 0; i < mu.size(); ++i)
    if (i != first) second = std::min(second, std::abs(mu(i)));
  // A complex mu_1 has its conjugate as mu_2 and fails the gap; a second zero (|mu_2| at
  // round-off) is a 2-D rest, not one slow direction.
  const double scale = mu.cwiseAbs().maxCoeff();
  if (mu(first).imag() != 0.0 || !(second > 1e-8 * scale) || std::abs(mu(first)) > gap * second) return {};
  Vector v = vectors.col(first).real();
  if (!(v.norm() > 0.0)) return {};
  Index big = 0;
  v.cwiseAbs().maxCoeff(&big);
  return (v(big) < 0 ? -v : v).normalized();  // one orientation, whatever the solver's sign
}

/// One branch from x0 in the direction t (x0 not included): points until the speed passes
/// speed_max, the corrector fails, `room` points are made, or the curve returns to x0. From the
/// third point on, the predictor is h along the chord to the parabola through the last three
/// points one step ahead, and the parabola's derivative there is the t of the corrector: the new
/// point's tangent to O(h^2), so that P_t R = 0 puts it on C to O(h^2 |v|) (a secant would be
/// off by ~1.5 h kappa).
std::vector<Vector> follow(const Model& model, const Vector& x0, Vector t, double h, double speed_max, int room,
                           const SlowManifoldOptions& o, bool& closed) {
  std::vector<Vector> pts;
  Corrector correct(model, o);
  Vector next;
  closed = false;
  while (static_cast<int>(pts.size()) < room) {
    const std::size_t k = pts.size();
    const Vector& x = k > 0 ? pts[k - 1] : x0;
    Vector xp = x + h * t;
    if (k >= 2) {
      const Vector& w = k > 2 ? pts[k - 3] : x0;  // x_{k-1}, x_k, x_{k+1} = w, pts[k - 2], x
      // The chord to the parabola's next node, at length h (extrapolating the spacing too would
      // let it drift: the error of linear extrapolation grows).
      xp = x + h * (2.0 * x - 3.0 * pts[k - 2] + w).normalized();
      t = (5.0 * x - 8.0 * pts[k - 2] + 3.0 * w).normalized();
    }
    if (!correct(t, xp, h, next)) break;
    if (residual(model, next).norm() > speed_max) break;
    if (pts.size() >= 3 && (next - x0).norm() < 0.75 * h) {
      closed = true;
      break;
    }
    const Vector secant = next - x;
    if (secant.norm() < 0.25 * h) break;  // stalled: the corrector pulled it back
    if (k < 2) t = secant.normalized();
    pts.push_back(next);
  }
  return pts;
}

/// The unit tangent at point i: the derivative of the parabola through it and its neighbours
/// (second order also where the spacing is uneven, as at the seam of a closed curve), wrapping
/// around a closed curve; the one-sided second-order formula at the ends of an open one.
Vector tangent(const Matrix& pts, Index i, bool closed) {
  const Index n = pts.rows();
  if (n < 3) return (pts.row(n - 1) - pts.row(0)).transpose().normalized();
  if (closed || (i > 0 && i + 1 < n)) {
    const Vector a = pts.row((i + n - 1) % n).transpose(), x = pts.row(i).transpose(),
                 b = pts.row((i + 1) % n).transpose();
    const double h1 = (x - a).norm(), h2 = (b - x).norm();
    return ((b - x) * (h1 / (h2 * (h1 + h2))) + (x - a) * (h2 / (h1 * (h1 + h2)))).normalized();
  }
  const Vector d = i == 0 ? Vector((-3.0 * pts.row(0) + 4.0 * pts.row(1) - pts.row(2)).transpose())
                          : Vector((3.0 * pts.row(n - 1) - 4.0 * pts.row(n - 2) + pts.row(n - 3)).transpose());
  return d.normalized();
}

/// Each point corrected again with the tangent at itself (the parabola through it and both
/// neighbours), in passes until no point moves by more than tol (at most kRefinePasses). The
/// continuation's t is extrapolated from the points behind (and at the first two points is the
/// eigenvector or a secant, off the tangent by ~h kappa); a tangent off by phi puts a point off
/// C by d ~ |v| phi / |mu_normal|, and the next pass's tangents are off by the unevenness of these
/// offsets, ~d / h, which shrinks d by ~|v| / (h |mu_normal|) a pass.
constexpr int kRefinePasses = 4;

void refine(const Model& model, Matrix& pts, bool closed, double h, const SlowManifoldOptions& o) {
  Corrector correct(model, o);
  Vector x;
  for (int pass = 0; pass < kRefinePasses; ++pass) {
    const Matrix before = pts;
    double moved = 0.0;
    for (Index i = 0; i < pts.rows(); ++i)
      if (correct(tangent(before, i, closed), before.row(i).transpose(), h, x)) {
        moved = std::max(moved, (x - before.row(i).transpose()).norm());
        pts.row(i) = x.transpose();
      }
    if (moved <= o.tol) break;
  }
}

/// The curve through a seed: corrected seed, then both branches (one, when it closes).
SlowManifold trace(const Model& model, const Vector& seed, const Vector& t0, double h, double speed_max,
                   const SlowManifoldOptions& o) {
  SlowManifold m;
  Vector x0;
  if (!Corrector(model, o)(t0, seed, h, x0) || residual(model, x0).norm() > speed_max) return m;
  bool closed = false, unused = false;
  const std::vector<Vector> ahead = follow(model, x0, t0, h, speed_max, o.max_points - 1, o, closed);
  std::vector<Vector> behind;
  if (!closed)
    behind = follow(model, x0, -t0, h, speed_max, o.max_points - 1 - static_cast<int>(ahead.size()), o, unused);
  m.closed = closed;
  m.points.resize(static_cast<Index>(behind.size() + 1 + ahead.size()), seed.size());
  Index row = 0;
  for (auto it = behind.rbegin(); it != behind.rend(); ++it) m.points.row(row++) = it->transpose();
  m.points.row(row++) = x0.transpose();
  for (const Vector& p : ahead) m.points.row(row++) = p.transpose();
  if (m.points.rows() >= 2) refine(model, m.points, m.closed, h, o);
  return m;
}

/// Arc length, drift, its summary and the principal-component shares of a traced curve.
void describe(const Model& model, SlowManifold& m) {
  const Index n = m.points.rows();
  m.s.resize(n);
  m.drift.resize(n);
  m.s(0) = 0.0;
  for (Index i = 1; i < n; ++i) m.s(i) = m.s(i - 1) + (m.points.row(i) - m.points.row(i - 1)).norm();
  m.length = m.s(n - 1) + (m.closed ? (m.points.row(0) - m.points.row(n - 1)).norm() : 0.0);
  Vector speed(n);
  for (Index i = 0; i < n; ++i) {
    const Vector t = tangent(m.points, i, m.closed);
    const Vector r = residual(model, m.points.row(i).transpose());
    m.drift(i) = t.dot(r);
    speed(i) = std::abs(m.drift(i));
    m.max_normal_speed = std::max(m.max_normal_speed, (r - t * m.drift(i)).norm());
  }
  m.max_drift = speed.maxCoeff();
  double integral = 0.0;
  for (Index i = 1; i < n; ++i) integral += 0.5 * (speed(i) + speed(i - 1)) * (m.s(i) - m.s(i - 1));
  if (m.closed) integral += 0.5 * (speed(0) + speed(n - 1)) * (m.length - m.s(n - 1));
  m.mean_drift = m.length > 0.0 ? integral / m.length : speed(0);
  // The variances along the principal components are the eigenvalues of the smaller Gram matrix
  // of the centred points (n x n or dim x dim), cheaper than their SVD for long curves in
  // large networks.
  const Matrix C = m.points.rowwise() - m.points.colwise().mean();
  const Matrix G = C.rows() <= C.cols() ? Matrix(C * C.transpose()) : Matrix(C.transpose() * C);
  const Vector var = Eigen::SelfAdjointEigenSolver<Matrix>(G, Eigen::EigenvaluesOnly).eigenvalues().reverse();
  const double total = var.cwiseMax(0.0).sum();
  m.variance_explained = Vector::Zero(2);
  for (Index k = 0; k < std::min<Index>(2, var.size()); ++k)
    m.variance_explained(k) = total > 0.0 ? std::max(var(k), 0.0) / total : (k == 0 ? 1.0 : 0.0);
}

/// Stability along C of a zero with the drift `before` (at smaller s) and `after` it; NaN where
/// there is no neighbour on that side.
std::string stability_along(double before, double after) {
  if (std::isnan(before)) return after < 0.0 ? "stable" : "unstable";
  if (std::isnan(after)) return before > 0.0 ? "stable" : "unstable";
  if (before > 0.0 && after < 0.0) return "stable";
  if (before < 0.0 && after > 0.0) return "unstable";
  return "half-stable";
}

/// The zeros of the drift: stretches of points at rest (|v| <= rest) and sign changes between
/// neighbours (interpolated linearly). A closed curve is scanned from its first point not at
/// rest, so that a stretch across the seam is one (then s_end < s); at rest everywhere, it is one
/// stretch over the whole curve.
void find_zeros(SlowManifold& m, double rest) {
  const Index n = m.points.rows();
  const bool closed = m.closed;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto at_rest = [&](Index i) { return std::abs(m.drift(i)) <= rest; };
  Index i0 = 0;
  while (closed && i0 < n && at_rest(i0)) ++i0;
  if (i0 == n) {
    m.fixed_points.push_back({0.0, m.length, m.points.row(n / 2).transpose(), 0.0, "neutral", -1});
    return;
  }
  // Position j of the scan is point idx(j); S(j) its arc length counted on from s(i0), past the
  // seam of a closed curve (j = -1 and j = n are the neighbours across the ends); v(j) NaN
  // beyond the ends of an open one.
  const auto idx = [&](Index j) { return ((i0 + j) % n + n) % n; };
  const auto S = [&](Index j) {
    if (!closed) return m.s(j);
    const Index k = idx(j);
    double d = m.s(k) - m.s(i0) + (k < i0 ? m.length : 0.0);
    if (j >= n) d += m.length;
    if (j < 0) d -= m.length;
    return m.s(i0) + d;
  };
  const auto v = [&](Index j) { return !closed && (j < 0 || j >= n) ? nan : m.drift(idx(j)); };
  const auto wrap = [&](double s) { return closed ? std::fmod(s, m.length) : s; };
  for (Index j = 0; j < n; ++j) {
    if (at_rest(idx(j))) {
      Index e = j;
      while (e + 1 < n && at_rest(idx(e + 1))) ++e;
      SlowManifoldFixedPoint z;
      z.s = wrap(S(j));
      z.s_end = wrap(S(e));
      z.x = m.points.row(idx((j + e) / 2)).transpose();
      if (e > j) {
        z.stability = "neutral";
      } else {
        z.stability = stability_along(v(j - 1), v(j + 1));
        const Index a = closed || j > 0 ? j - 1 : j, b = closed || j + 1 < n ? j + 1 : j;
        if (S(b) > S(a)) z.slope = (v(b) - v(a)) / (S(b) - S(a));
      }
      m.fixed_points.push_back(z);
      j = e;
      continue;
    }
    if (!closed && j + 1 == n) break;
    const Index k = j + 1;  // idx(n) = i0 for a closed curve: not at rest
    if (at_rest(idx(k)) || (v(j) > 0.0) == (v(k) > 0.0)) continue;
    const double w = v(j) / (v(j) - v(k));
    SlowManifoldFixedPoint z;
    z.s = z.s_end = wrap(S(j) + w * (S(k) - S(j)));
    z.x = ((1.0 - w) * m.points.row(idx(j)) + w * m.points.row(idx(k))).transpose();
    z.slope = (v(k) - v(j)) / (S(k) - S(j));
    z.stability = z.slope < 0.0 ? "stable" : "unstable";
    m.fixed_points.push_back(z);
  }
  std::sort(m.fixed_points.begin(), m.fixed_points.end(),
            [](const SlowManifoldFixedPoint& a, const SlowManifoldFixedPoint& b) { return a.s < b.s; });
}

/// Time for a value stored at point i to drift half-way to the zero of the drift it drifts into,
/// from the reduced flow ds/dt = v(s) with v linear between the points, where the time over a
/// segment has the closed form ds ln(v_end / v_start) / (v_end - v_start). Maps: the drift is per
/// step and the same integral counts steps (the continuum limit of s' = s + v(s), good while
/// |dv/ds| << 1). inf at rest; NaN when the value drifts off an open end, or round a closed
/// curve without a zero.
double half_life(const SlowManifold& m, Index i, double rest) {
  const Index n = m.points.rows();
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const double v0 = m.drift(i);
  if (std::abs(v0) <= rest) return inf;
  const Index d = v0 > 0.0 ? 1 : -1;
  const auto wrapped = [&](Index j) { return ((j % n) + n) % n; };
  const auto P = [&](Index j) {  // arc length, unrolled past the seam of a closed curve
    const Index k = wrapped(j);
    return m.s(k) + static_cast<double>((j - k) / n) * m.length;
  };
  const auto V = [&](Index j) { return m.drift(wrapped(j)); };
  const auto outside = [&](Index j) { return !m.closed && (j < 0 || j >= n); };
  double zero = nan;
  for (Index j = i, steps = 0; steps < n; ++steps, j += d) {
    const Index k = j + d;
    if (outside(k)) return nan;
    if (std::abs(V(k)) <= rest) {
      zero = P(k);
      break;
    }
    if ((V(k) > 0.0) != (v0 > 0.0)) {
      zero = P(j) + V(j) / (V(j) - V(k)) * (P(k) - P(j));
      break;
    }
  }
  if (std::isnan(zero)) return nan;
  const double half = 0.5 * (P(i) + zero);
  double t = 0.0;
  for (Index j = i;; j += d) {
    const double a = P(j), b = P(j + d), va = V(j), vb = V(j + d);
    if (b == a) continue;
    const bool last = d > 0 ? b >= half : b <= half;
    const double end = last ? half : b;
    const double v_end = last ? va + (vb - va) * (end - a) / (b - a) : vb;
    const double dv = v_end - va;
    t += std::abs(dv) > 1e-12 * std::abs(va) ? (end - a) * std::log(v_end / va) / dv : (end - a) / va;
    if (last) return t;
  }
}

/// half_life at every point, and the shortest finite one.
void add_half_lives(SlowManifold& m, double rest) {
  m.half_life.resize(m.points.rows());
  m.min_half_life = std::numeric_limits<double>::infinity();
  for (Index i = 0; i < m.points.rows(); ++i) {
    m.half_life(i) = half_life(m, i, rest);
    if (std::isfinite(m.half_life(i))) m.min_half_life = std::min(m.min_half_life, m.half_life(i));
  }
}

/// Smallest distance from x to a point of the curve.
double distance_to(const SlowManifold& m, const Vector& x) {
  return (m.points.rowwise() - x.transpose()).rowwise().norm().minCoeff();
}

}  // namespace

std::vector<SlowManifold> trace_slow_manifolds(const Model& model, const std::vector<Vector>& seeds,
                                               const SlowManifoldOptions& options, double speed_max, double rest_speed,
                                               const std::vector<Vector>& fixed,
                                               const std::vector<EigenDecomposition>& eigen) {
  options.validate();
  std::vector<SlowManifold> out;
  std::vector<double> steps;  // the h of each curve (a seed within it lies on the curve)
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    const Vector& seed = seeds[k];
    const double h = options.step > 0.0 ? options.step : 0.05 * std::max(1.0, seed.norm());
    bool known = false;
    for (std::size_t c = 0; c < out.size() && !known; ++c) known = distance_to(out[c], seed) <= steps[c];
    if (known) continue;
    const Vector t0 = slow_direction(model, seed, k < eigen.size() ? &eigen[k] : nullptr, options.gap);
    if (t0.size() == 0) continue;
    SlowManifold m = trace(model, seed, t0, h, speed_max, options);
    if (m.points.rows() < options.min_points) continue;
    describe(model, m);
    find_zeros(m, rest_speed);
    add_half_lives(m, rest_speed);
    for (SlowManifoldFixedPoint& z : m.fixed_points)
      for (std::size_t f = 0; f < fixed.size() && z.fixed_point < 0; ++f)
        if ((fixed[f] - z.x).norm() <= h) z.fixed_point = static_cast<int>(f);
    out.push_back(std::move(m));
    steps.push_back(h);
  }
  // Every seed on a curve counts for the first it lies on, those met before it was traced too.
  for (const Vector& seed : seeds)
    for (std::size_t c = 0; c < out.size(); ++c)
      if (distance_to(out[c], seed) <= steps[c]) {
        ++out[c].n_seeds;
        break;
      }
  return out;
}

void add_slow_manifolds(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res) {
  res.slow_manifolds.clear();
  const SlowManifoldOptions& o = options.slow_manifolds;
  const double speed_max = o.speed_max > 0.0 ? o.speed_max : std::sqrt(2.0 * options.slow_q_max);
  if (!o.enabled || !(speed_max > 0.0)) return;
  std::vector<Vector> seeds, fixed;
  std::vector<EigenDecomposition> eigen;
  // Seeds: the fixed points and the slowest slow points (those linearized by default, whose
  // eigenvectors give the slow direction; another would cost its own eigendecomposition).
  for (const NumericPoint& p : res.fixed_points) {
    seeds.push_back(p.x);
    eigen.push_back(p.eigen);
  }
  for (const std::size_t i : slowest_points(res.slow_points, options.slow_stability_points)) {
    seeds.push_back(res.slow_points[i].x);
    eigen.push_back(res.slow_points[i].eigen);
  }
  for (const NumericPoint& p : res.fixed_points) fixed.push_back(p.x);
  res.slow_manifolds = trace_slow_manifolds(model, seeds, o, speed_max, std::sqrt(2.0 * options.q_tol), fixed, eigen);
}

}  // namespace rnndyn
