// A small dense linear program for the pruned k-cycle search (R >= 3): is the polyhedron
// {x : a_i . x <= b_i} non-empty? Solved as the Chebyshev problem max t s.t. a_i . x + t <= b_i
// (rows scaled to |a_i|_1 = 1) by the primal simplex method on a dictionary, with Bland's rule so
// that degenerate pivots cannot cycle. The start x = 0, t = min(0, min_i b_i) is feasible, so no
// phase I is needed; x is free (it may enter decreasing and never leaves the basis), t is capped
// to keep the problem bounded.
// Written here rather than taken from a library (GLPK would be a new system dependency) because
// the problems are tiny (R + 1 columns, at most k K rows) and only feasibility is needed.
#include <algorithm>
#include <cmath>
#include <limits>

#include "pl_cycles_detail.hpp"

namespace rnndyn::detail {

namespace {

/// The dictionary basic_i = D(i, 0) + sum_j D(i, j) nb_j, rows contiguous (plain loops: this
/// is the search's inner loop, also in unoptimised builds).
struct Dictionary {
  Index rows = 0, cols = 0;
  std::vector<double> d;
  double* row(Index i) { return d.data() + i * cols; }
};

/// Exchanges basic row r and nonbasic column e (also in the objective row c).
void pivot(Dictionary& D, std::vector<double>& c, Index r, Index e) {
  const Index w = D.cols;
  double* pr = D.row(r);
  const double p = pr[e];
  for (Index j = 0; j < w; ++j) pr[j] /= -p;
  pr[e] = 1.0 / p;
  auto update = [&](double* row) {
    const double f = row[e];
    if (f == 0.0) return;
    row[e] = 0.0;
    for (Index j = 0; j < w; ++j) row[j] += f * pr[j];
  };
  for (Index i = 0; i < D.rows; ++i)
    if (i != r) update(D.row(i));
  update(c.data());
}

}  // namespace

bool chebyshev_feasible(const Matrix& A, const Vector& b, double tol, Vector& x, double& t) {
  const Index m = A.rows(), R = A.cols(), n = R + 1;
  Dictionary D;
  D.rows = m + 1;
  D.cols = n + 1;
  D.d.assign(static_cast<size_t>(D.rows * D.cols), 0.0);
  auto at = [&D](Index i, Index j) -> double& { return D.d[static_cast<size_t>(i * D.cols + j)]; };
  Vector bn(m);
  double beta = 0.0, t0 = 0.0;
  for (Index i = 0; i < m; ++i) {
    const double s = A.row(i).lpNorm<1>();
    bn(i) = b(i) / s;
    beta = std::max(beta, std::abs(bn(i)));
    t0 = std::min(t0, bn(i));
  }
  const double cap = beta > 0.0 ? beta : 1.0;
  // Variables: 0..R-1 x (free: they never leave the basis once in), R tau (t = t0 + tau),
  // R+1+i slack of row i (i = m: the cap t <= cap).
  std::vector<Index> basic(static_cast<size_t>(m + 1)), nonbasic(static_cast<size_t>(n));
  for (Index i = 0; i < m; ++i) {
    const double s = A.row(i).lpNorm<1>();
    at(i, 0) = bn(i) - t0;
    for (Index j = 0; j < R; ++j) at(i, 1 + j) = -A(i, j) / s;
    at(i, n) = -1.0;
  }
  at(m, 0) = cap - t0;
  at(m, n) = -1.0;
  for (Index i = 0; i <= m; ++i) basic[static_cast<size_t>(i)] = n + i;
  for (Index j = 0; j < n; ++j) nonbasic[static_cast<size_t>(j)] = j;
  std::vector<double> c(static_cast<size_t>(n + 1), 0.0);
  c[static_cast<size_t>(n)] = 1.0;
  const double eps = 1e-12;
  const Index max_pivots = 50 * (m + n) + 100;
  bool optimal = false;
  for (Index it = 0; it < max_pivots; ++it) {
    // Bland: the improving nonbasic variable of smallest index (a free one may also decrease).
    Index e = -1;
    double dir = 1.0;
    for (Index j = 1; j <= n; ++j) {
      const Index var = nonbasic[static_cast<size_t>(j - 1)];
      const double cj = c[static_cast<size_t>(j)];
      if (!(cj > eps || (var < R && cj < -eps))) continue;
      if (e < 0 || var < nonbasic[static_cast<size_t>(e - 1)]) {
        e = j;
        dir = cj > 0.0 ? 1.0 : -1.0;
      }
    }
    if (e < 0) {
      optimal = true;
      break;
    }
    Index r = -1;
    double best = std::numeric_limits<double>::infinity();
    for (Index i = 0; i <= m; ++i) {
      if (basic[static_cast<size_t>(i)] < R) continue;  // free basic variables have no bound
      const double a = at(i, e) * dir;
      if (!(a < -eps)) continue;
      const double ratio = std::max(at(i, 0), 0.0) / -a;
      if (ratio < best || (ratio == best && basic[static_cast<size_t>(i)] < basic[static_cast<size_t>(r)])) {
        best = ratio;
        r = i;
      }
    }
    if (r < 0) break;  // unbounded: cannot happen with the cap; treat as doubt below
    pivot(D, c, r, e);
    std::swap(basic[static_cast<size_t>(r)], nonbasic[static_cast<size_t>(e - 1)]);
  }
  x = Vector::Zero(R);
  t = t0;
  for (Index i = 0; i <= m; ++i) {
    const Index var = basic[static_cast<size_t>(i)];
    if (var < R) x(var) = at(i, 0);
    if (var == R) t = t0 + std::max(at(i, 0), 0.0);
  }
  if (!optimal) return true;  // not decided: never prune on doubt
  return t >= -tol * (x.lpNorm<Eigen::Infinity>() + beta);
}

}  // namespace rnndyn::detail
