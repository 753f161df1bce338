#pragma once
// Shared test utilities: one near-equality check with absolute and relative tolerance that
// prints both sides and their difference, and central finite-difference Jacobians.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn::testing {

/// |a - b| <= abs_tol + rel_tol * max(|a|, |b|) elementwise (max norm), with a readable failure.
template <typename A, typename B>
::testing::AssertionResult near(const A& a, const B& b, double abs_tol, double rel_tol = 0.0) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    return ::testing::AssertionFailure() << "shape " << a.rows() << "x" << a.cols() << " vs " << b.rows() << "x"
                                         << b.cols();
  const double diff = (a - b).cwiseAbs().maxCoeff();
  const double scale = std::max(a.cwiseAbs().maxCoeff(), b.cwiseAbs().maxCoeff());
  if (diff <= abs_tol + rel_tol * scale) return ::testing::AssertionSuccess();
  std::ostringstream os;
  os << "\nA =\n"
     << a << "\nB =\n"
     << b << "\nmax |A - B| = " << diff << " > " << abs_tol << " + " << rel_tol << " * " << scale;
  return ::testing::AssertionFailure() << os.str();
}

inline ::testing::AssertionResult near(double a, double b, double abs_tol, double rel_tol = 0.0) {
  const double diff = std::abs(a - b);
  if (diff <= abs_tol + rel_tol * std::max(std::abs(a), std::abs(b))) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "A = " << a << ", B = " << b << ", |A - B| = " << diff;
}

/// Central differences of F; truncation error O(h^2 |F'''|), round-off O(eps |F| / h).
inline Matrix finite_difference_jacobian(const Model& model, const Vector& x, double h = 1e-6) {
  Matrix J(model.dim(), model.dim());
  for (Index j = 0; j < model.dim(); ++j) {
    Vector xp = x, xm = x;
    xp(j) += h;
    xm(j) -= h;
    J.col(j) = (model.rhs(xp) - model.rhs(xm)) / (2 * h);
  }
  return J;
}

inline Matrix random_matrix(Index r, Index c, std::mt19937& rng, double scale = 1.0) {
  std::normal_distribution<double> n(0.0, scale);
  Matrix m(r, c);
  for (Index j = 0; j < c; ++j)
    for (Index i = 0; i < r; ++i) m(i, j) = n(rng);
  return m;
}

inline Vector random_vector(Index n, std::mt19937& rng, double scale = 1.0) { return random_matrix(n, 1, rng, scale); }

/// The positive root of y = w tanh(y) (w > 1), by bisection: the closed-form fixed points
/// x = m y of tanh rank-one networks W = w m m^T / N.
inline double positive_tanh_root(double w) {
  double lo = 1e-3, hi = w;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (-mid + w * std::tanh(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// Exact-search options with the given method, every other field at its default.
inline PiecewiseLinearFixedPointOptions with_method(PlFixedPointMethod m) {
  PiecewiseLinearFixedPointOptions o;
  o.method = m;
  return o;
}

/// Two exact results hold the same isolated points: as many, and every point of `a` has a
/// partner in `b` within tol (max norm, relative to max(1, |x|)).
inline ::testing::AssertionResult same_points(const PiecewiseLinearFixedPoints& a, const PiecewiseLinearFixedPoints& b,
                                              double tol) {
  if (a.fixed_points.size() != b.fixed_points.size())
    return ::testing::AssertionFailure() << a.fixed_points.size() << " vs " << b.fixed_points.size() << " points";
  for (const auto& p : a.fixed_points) {
    bool found = false;
    for (const auto& q : b.fixed_points)
      found = found || (p.x - q.x).lpNorm<Eigen::Infinity>() <= tol * std::max(1.0, p.x.lpNorm<Eigen::Infinity>());
    if (!found) return ::testing::AssertionFailure() << "point " << p.x.transpose() << " has no partner";
  }
  return ::testing::AssertionSuccess();
}

/// Seed 002's E-I network: tau dr/dt = -r + relu(W r + b), W = [[1.25, -1], [1, 0]],
/// b = (10, -10), tau = (10, tau_I); its fixed point (80/3, 50/3) loses stability at tau_I = 40.
inline RateModel ei_network(double tau_i = 30.0) {
  Matrix W(2, 2);
  W << 1.25, -1.0, 1.0, 0.0;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Eigen::Vector2d(10.0, tau_i), W,
                   Eigen::Vector2d(10.0, -10.0));
}

}  // namespace rnndyn::testing
