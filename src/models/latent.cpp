#include "rnndyn/models/latent.hpp"

#include <cmath>
#include <random>

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

namespace {

/// True when W (n x n) certainly has numerical rank above o.max_rank, decided in O(n^2 k) by a
/// randomized range finder (Halko, Martinsson & Tropp, SIAM Review 53, 2011) instead of the
/// O(n^3) SVD: with Q an orthonormal basis of W Omega (Omega n x k Gaussian, k = max_rank + 8),
/// ||W - Q Q^T W||_2 <= (1 + 11 sqrt(k) sqrt(n)) sigma_{max_rank+1}(W) except with probability
/// 6 * 8^-8 (their Thm. 1.2 with oversampling 8). So a residual beyond that factor times
/// rank_tol * sigma_max says sigma_{max_rank+1} > rank_tol * sigma_max: the rank exceeds
/// max_rank, and the dense SVD is skipped. Anything else (low rank, or too close to call) goes on
/// to the exact SVD count. Small matrices skip the test.
bool randomized_rank_exceeds(const Matrix& W, const LatentOptions& o) {
  const Index n = W.rows();
  if (o.max_rank >= n || 4 * (o.max_rank + 8) > n) return false;  // (max_rank may be Index's max)
  const Index k = o.max_rank + 8;
  std::mt19937_64 rng(12345);
  std::normal_distribution<double> gauss(0.0, 1.0);
  Matrix Omega(W.cols(), k);
  for (Index j = 0; j < k; ++j)
    for (Index i = 0; i < W.cols(); ++i) Omega(i, j) = gauss(rng);
  const Matrix Y = W * Omega;
  const Matrix Q = Eigen::HouseholderQR<Matrix>(Y).householderQ() * Matrix::Identity(n, k);
  const Matrix B = Q.transpose() * W;
  const double residual_f = (W - Q * B).norm();
  const double residual_2_lower = residual_f / std::sqrt(static_cast<double>(n));  // <= ||E||_2
  // sigma_max(W) <= ||Q Q^T W|| + ||E|| <= sigma_max(B) + ||E||_F.
  const double sigma_max_upper = Eigen::JacobiSVD<Matrix>(B).singularValues()(0) + residual_f;
  const double factor = 1.0 + 11.0 * std::sqrt(static_cast<double>(k) * static_cast<double>(n));
  return residual_2_lower > factor * o.rank_tol * sigma_max_upper;
}

}  // namespace

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
  if (randomized_rank_exceeds(W, o)) return std::nullopt;
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
