// Newton refinement and conditioning of numeric zeros; see zero_refinement.hpp.
#include "rnndyn/fixed_points/zero_refinement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/LU>
#include <Eigen/QR>
#include <Eigen/SVD>

#include "../detail/dense_lapack.hpp"

namespace rnndyn {

namespace {

/// -DR^+ R. A regular DR (LU's reciprocal condition estimate above sqrt(rank_tol)) is solved by
/// the partial-pivoting LU, n^3 / 3 flops; a nearly singular one by a complete orthogonal
/// decomposition with the rank threshold rank_tol, rank revealing like the SVD (the dropped
/// directions get no component) at the cost of a pivoted QR, four times the LU. The large
/// networks the search is made for are mostly regular at their zeros, so they pay the LU only.
Vector newton_step(const Matrix& J, const Vector& r, double rank_tol) {
  const Eigen::PartialPivLU<Matrix> lu(J);
  if (lu.rcond() > std::sqrt(rank_tol)) return -lu.solve(r);
  Eigen::CompleteOrthogonalDecomposition<Matrix> cod;
  cod.setThreshold(rank_tol);
  cod.compute(J);
  return -cod.solve(r);
}

}  // namespace

ZeroRefinement refine_zero(const ResidualAndJacobian& residual, const Vector& x0, const Vector& r0, const Matrix& J0,
                           const ZeroRefinementOptions& o) {
  ZeroRefinement z;
  z.x = x0;
  Vector r = r0;
  Matrix J = J0;
  if (!r.allFinite() || !J.allFinite()) {
    z.q = std::numeric_limits<double>::infinity();
    z.step = z.error = std::numeric_limits<double>::infinity();
    z.finite = false;
    return z;
  }
  Vector s = newton_step(J, r, o.rank_tol);
  Vector r_new;
  Matrix J_new;
  // A step at rounding level (a few ulps of x) cannot improve x; stopping there saves the
  // factorizations of the steps that would only trade rounding errors.
  const double ulps = 4.0 * std::numeric_limits<double>::epsilon();
  for (; z.steps < o.max_steps && s.allFinite() && s.norm() > ulps * std::max(1.0, z.x.norm()); ++z.steps) {
    const Vector x_new = z.x + s;
    residual(x_new, r_new, J_new);
    // Only a step that lowers ||R|| is taken: at rounding level a step is noise, and where the
    // linear model fails (too far from a simple zero) the LM solution is kept as it is.
    if (!r_new.allFinite() || !J_new.allFinite() || !(r_new.norm() < r.norm())) break;
    z.x = x_new;
    r.swap(r_new);
    J.swap(J_new);
    s = newton_step(J, r, o.rank_tol);
  }
  z.q = 0.5 * r.squaredNorm();
  z.step = s.allFinite() ? s.norm() : std::numeric_limits<double>::infinity();
  z.error = 2.0 * z.step;
  return z;
}

Conditioning conditioning_of(const Matrix& J) {
  Conditioning c;
  if (J.size() == 0) return c;
  const Vector sv = detail::singular_values(J);  // descending
  c.sigma_max = sv(0);
  c.sigma_min = sv(sv.size() - 1);
  c.condition = c.sigma_min > 0.0 ? c.sigma_max / c.sigma_min : std::numeric_limits<double>::infinity();
  return c;
}

bool same_zero(const Vector& x, double ex, const Vector& y, double ey, double tol) {
  const double d = (x - y).norm();
  const double balls = (std::isfinite(ex) ? ex : 0.0) + (std::isfinite(ey) ? ey : 0.0);
  return d <= tol * std::max(1.0, y.norm()) || d <= balls;
}

}  // namespace rnndyn
