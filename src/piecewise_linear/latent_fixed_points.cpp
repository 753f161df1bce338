// Exact fixed points of a piecewise-linear model through its latent reduction, when it has one.
//
// A rank-R rate network, tau dx/dt = -x + g U V^T phi(x) + d, has its fixed points at
// x = g U kappa + d with kappa = V^T phi(x), i.e. at the zeros of the R-dimensional PL flow
// dkappa/dt = -kappa + V^T phi(g U kappa + d) (the rate form r = phi(g U V^T r + d) gives the
// same latent equation with r = phi(g U kappa + d)). Its arrangement has N hyperplanes in R^R, so
// sum_{r<=R} C(N, r) regions instead of the 2^N of the state space (seed 001, Sec. 3.3).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn {
namespace {

/// The lift is affine inside one region: x = L kappa + l (L = S lift_U, l = S lift_c + q with
/// the pattern's slopes S and intercepts q when the lift goes through the units).
void region_lift(const LatentReduction& l, const std::vector<int>& pattern, Matrix& L, Vector& off) {
  L = l.M;
  off = l.d;
  if (!l.lift_through_phi) return;
  const auto pieces = l.phi.pieces();
  for (Index i = 0; i < L.rows(); ++i) {
    const auto piece = pieces[static_cast<size_t>(pattern[static_cast<size_t>(i)])];
    L.row(i) *= piece.slope;
    off(i) = piece.slope * off(i) + piece.intercept;
  }
}

/// A latent point inside the continuum's closed region (not on its boundary when avoidable),
/// where the model's Jacobian is that of the continuum's region.
Vector interior_point(const PlContinuum& c) {
  if (c.dimension == 1) {
    double y = 0.0;
    if (std::isfinite(c.y_min) && std::isfinite(c.y_max))
      y = 0.5 * (c.y_min + c.y_max);
    else if (std::isfinite(c.y_min))
      y = c.y_min + 1.0;
    else if (std::isfinite(c.y_max))
      y = c.y_max - 1.0;
    return c.origin + c.basis.col(0) * y;
  }
  if (c.vertices.cols() > 0) return c.vertices.rowwise().mean();
  return c.origin;
}

void lift_continuum(const Model& model, const LatentReduction& l, PlContinuum& c) {
  Matrix L;
  Vector off;
  region_lift(l, c.pattern, L, off);
  const Vector inside = L * interior_point(c) + off;
  // Orthonormal basis of the lifted set: L B = Q T, y_new = T y_old.
  const Matrix LB = L * c.basis;
  Eigen::HouseholderQR<Matrix> qr(LB);
  Matrix Q = qr.householderQ() * Matrix::Identity(LB.rows(), LB.cols());
  Matrix T = qr.matrixQR().topRows(LB.cols()).triangularView<Eigen::Upper>();
  for (Index j = 0; j < T.rows(); ++j)
    if (T(j, j) < 0) {
      T.row(j) *= -1.0;
      Q.col(j) *= -1.0;
    }
  const double tmax = T.cwiseAbs().maxCoeff();
  for (Index j = 0; j < T.rows(); ++j)
    if (!(T(j, j) > 1e-12 * tmax))
      // Cannot happen in exact arithmetic: on the fixed-point set kappa = V^T lift(kappa), so
      // V^T L B = B and L B has full column rank.
      throw std::runtime_error("latent continuum lost its dimension in the lift (ill-conditioned factors U, V)");
  c.origin = L * c.origin + off;
  if (c.inequalities_A.rows() > 0)
    c.inequalities_A = c.inequalities_A * T.triangularView<Eigen::Upper>().solve(Matrix::Identity(T.rows(), T.cols()));
  if (c.dimension == 1) {
    c.y_min *= T(0, 0);
    c.y_max *= T(0, 0);
  }
  c.basis = Q;
  if (c.vertices.cols() > 0) c.vertices = (L * c.vertices).colwise() + off;
  c.eigenvalues = eigen_decompose(model.jacobian(inside), model.time_kind()).eigenvalues;
}

bool lex_less(const PlFixedPoint& a, const PlFixedPoint& b) {
  for (Index i = 0; i < a.x.size(); ++i)
    if (a.x(i) != b.x(i)) return a.x(i) < b.x(i);
  return false;
}

/// The latent reduction the exact search runs in: the model's own factors (W = U V^T given in
/// the model file), exact; else, for method Auto and a model whose piecewise-linear view has
/// the coordinate axes as normals (U diagonal: the current form tau dx/dt = -x + W phi(x) + b,
/// whose arrangement cannot see W's rank; the rate form and rnn maps have normals W_i, which
/// span W's range, and are walked there exactly), the SVD of a dense W of numerical rank
/// R <= 4 and R < N / 2 (rank_tol 1e-10). Its points are then re-solved in the full network's
/// regions (`rounded` is set): the factored W differs from W by rounding-level terms, so the
/// re-solve gives W's own fixed points.
std::optional<LatentReduction> exact_latent_reduction(const Model& model, const PiecewiseLinearFixedPointOptions& o,
                                                      bool& rounded) {
  LatentOptions only_factors;
  only_factors.factors_only = true;
  only_factors.max_rank = model.dim();
  rounded = false;
  if (auto l = model.latent_reduction(only_factors)) return l;
  if (o.method != PlFixedPointMethod::Auto || model.dim() < 8) return std::nullopt;
  const auto pl = model.piecewise_linear();
  if (!pl || !pl->U.isDiagonal()) return std::nullopt;
  LatentOptions svd;
  svd.rank_tol = 1e-10;
  svd.max_rank = std::min<Index>(4, model.dim() / 2 - 1);
  auto l = model.latent_reduction(svd);
  rounded = l.has_value();
  return l;
}

/// Above this many units the lifted points of a rounded reduction are not re-solved: each
/// re-solve forms and factors the N x N region matrix (~20 ms at N = 300, seconds at 1000).
constexpr Index kResolveUpTo = 300;

}  // namespace

PiecewiseLinearFixedPoints find_fixed_points_exact(const Model& model,
                                                   const PiecewiseLinearFixedPointOptions& options) {
  bool rounded = false;
  const auto latent = exact_latent_reduction(model, options, rounded);
  const auto latent_pl = latent ? latent->piecewise_linear() : std::nullopt;
  if (!latent_pl) {
    const auto pl = model.piecewise_linear();
    if (!pl)
      throw InputError("method",
                       "exact enumeration needs a piecewise-linear model (relu, hardtanh or linear units); "
                       "this " +
                           model.kind() + " model is smooth: use the numeric method");
    return find_fixed_points(*pl, options);
  }
  PiecewiseLinearFixedPointOptions latent_options = options;
  latent_options.skip_eigen = true;  // the latent spectrum is not the network's: recomputed below
  PiecewiseLinearFixedPoints r = find_fixed_points(*latent_pl, latent_options);
  r.latent_dimension = latent->rank();
  r.latent_rounded = rounded;
  const TimeKind time = model.time_kind();
  const auto full_pl = rounded && model.dim() <= kResolveUpTo ? model.piecewise_linear() : std::nullopt;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t q = 0; q < static_cast<std::int64_t>(r.fixed_points.size()); ++q) {
    PlFixedPoint& fp = r.fixed_points[static_cast<size_t>(q)];
    const Vector kappa = fp.x;
    fp.x = latent->lift(kappa);
    if (full_pl) {  // a rounded reduction: W's own fixed point, from its region of the full network
      const PlPolish polished = polish_fixed_point(*full_pl, fp.x, options.region_tol);
      if (polished.ok) fp.x = polished.x;
    }
    fp.residual = model.fixed_point_residual(fp.x).lpNorm<Eigen::Infinity>();
    // Scale of the terms that cancel at a fixed point: |x| against |g U kappa| + |d|.
    const double scale = fp.x.lpNorm<Eigen::Infinity>() +
                         (latent->M.cwiseAbs() * kappa.cwiseAbs()).lpNorm<Eigen::Infinity>() +
                         latent->d.lpNorm<Eigen::Infinity>();
    fp.relative_residual = scale > 0.0 ? fp.residual / scale : fp.residual;
    if (!options.skip_eigen) {
      fp.eigenvalues = eigen_decompose(model.jacobian(fp.x), time).eigenvalues;
      fp.stability = classify_spectrum(fp.eigenvalues, time, options.stability);
    }
  }
  std::sort(r.fixed_points.begin(), r.fixed_points.end(), lex_less);
  for (auto& c : r.continua) lift_continuum(model, *latent, c);
  return r;
}

}  // namespace rnndyn
