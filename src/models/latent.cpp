#include "rnndyn/models/latent.hpp"

#include "low_rank_detail.hpp"

namespace rnndyn {

Vector LatentReduction::latent_residual(const Vector& kappa, Matrix* jacobian) const {
  const Vector a = M * kappa + d;
  Vector p;
  phi.apply(a, p);
  if (jacobian) {
    Vector dp;
    phi.apply_derivative(a, dp);
    *jacobian = V.transpose() * dp.asDiagonal() * M;
    jacobian->diagonal().array() -= 1.0;
  }
  return V.transpose() * p - kappa;
}

Vector LatentReduction::lift(const Vector& kappa) const {
  Vector a = M * kappa + d;
  if (!lift_through_phi) return a;
  Vector p;
  phi.apply(a, p);
  return p;
}

std::optional<PiecewiseLinearStructure> LatentReduction::piecewise_linear() const {
  if (!phi.is_piecewise_linear()) return std::nullopt;
  const Index R = rank();
  PiecewiseLinearStructure s;
  s.time = TimeKind::Flow;  // the zeros of G, whatever the network's time kind
  s.A = -Matrix::Identity(R, R);
  s.U = M;
  s.c = d;
  s.V = V.transpose();
  s.h = Vector::Zero(R);
  s.units.assign(static_cast<size_t>(M.rows()), phi);
  return s;
}

namespace detail {

/// The reduction of a network x -> phi(g W x + d) given its dense W or its factors U, V.
std::optional<LatentReduction> reduce_low_rank(const Matrix& W, const Matrix& U, const Matrix& V, double g,
                                               const Vector& d, const Activation& phi, bool lift_through_phi,
                                               const LatentOptions& o) {
  LatentReduction r;
  r.d = d;
  r.phi = phi;
  r.lift_through_phi = lift_through_phi;
  if (U.size() > 0) {
    if (U.cols() > o.max_rank) return std::nullopt;
    r.M = g * U;
    r.V = V;
    return r;
  }
  if (o.factors_only || W.rows() == 0) return std::nullopt;
  Eigen::JacobiSVD<Matrix> svd(W, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Vector& s = svd.singularValues();
  Index R = 0;
  while (R < s.size() && s(R) > o.rank_tol * std::max(s(0), 1e-300)) ++R;
  if (R > o.max_rank) return std::nullopt;
  r.M = g * svd.matrixU().leftCols(R) * s.head(R).asDiagonal();
  r.V = svd.matrixV().leftCols(R);
  return r;
}

}  // namespace detail
}  // namespace rnndyn
