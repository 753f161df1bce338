// detail::RefinedLu, the Newton step of the dogleg: single-precision LU refined in double, with the
// double LU as fallback. References: Eigen's FullPivLU in double (sharing no code with LAPACK's
// getrf) and the residual |b - J s| / |b| computed here.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../src/detail/dense_lapack.hpp"

namespace {

using rnndyn::Index;
using rnndyn::Matrix;
using rnndyn::Vector;

Matrix gaussian(Index n, Index m, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Matrix A(n, m);
  for (Index j = 0; j < m; ++j)
    for (Index i = 0; i < n; ++i) A(i, j) = g(rng);
  return A;
}

/// U diag(sigma) V^T with sigma spaced geometrically from 1 to 1 / condition.
Matrix with_condition(Index n, double condition, unsigned seed) {
  const Eigen::HouseholderQR<Matrix> qu(gaussian(n, n, seed)), qv(gaussian(n, n, seed + 1));
  const Matrix U = qu.householderQ(), V = qv.householderQ();
  Vector sigma(n);
  for (Index i = 0; i < n; ++i) sigma(i) = std::pow(condition, -static_cast<double>(i) / static_cast<double>(n - 1));
  return U * sigma.asDiagonal() * V.transpose();
}

double relative_residual(const Matrix& J, const Vector& b, const Vector& s) { return (b - J * s).norm() / b.norm(); }

/// Normwise backward error |b - J s| / (|J| |s| + |b|): O(eps) for a backward-stable solve
/// whatever the conditioning (the residual relative to |b| alone can reach eps cond(J)).
double backward_error(const Matrix& J, const Vector& b, const Vector& s) {
  return (b - J * s).norm() / (J.norm() * s.norm() + b.norm());
}

TEST(RefinedLu, WellConditionedReachesTheDoubleSolutionFromTheFloatFactor) {
  const Index n = 200;
  const Matrix J = with_condition(n, 1e3, 1);
  const Vector b = gaussian(n, 1, 3);
  rnndyn::detail::RefinedLu lu;
  ASSERT_TRUE(lu.factor(J));
  Vector s;
  const double rel = lu.solve(J, b, s, 1e-13);
  EXPECT_LE(rel, 1e-13);
  EXPECT_NEAR(rel, relative_residual(J, b, s), 1e-15);
  const Vector ref = Eigen::FullPivLU<Matrix>(J).solve(b);
  EXPECT_LE((s - ref).norm() / ref.norm(), 1e-10);  // cond 1e3 x 1e-13
}

TEST(RefinedLu, IllConditionedForFloatFallsBackToTheDoubleFactor) {
  // cond 1e10: the float factor (1e-7 cond >> 1) cannot refine; the double LU is backward stable.
  const Index n = 150;
  const Matrix J = with_condition(n, 1e10, 5);
  const Vector b = gaussian(n, 1, 7);
  rnndyn::detail::RefinedLu lu;
  ASSERT_TRUE(lu.factor(J));
  Vector s;
  const double rel = lu.solve(J, b, s, 1e-12);
  // The residual itself is computed to eps |J| |s| / |b| ~ 1e-8 here, so only its size is checked.
  EXPECT_LE(rel, 1e-5);  // eps cond = 1e-6, measured 6.6e-8
  EXPECT_LE(relative_residual(J, b, s), 1e-5);
  EXPECT_LE(backward_error(J, b, s), 1e-14);  // float's would be 1e-7
  const Vector ref = Eigen::FullPivLU<Matrix>(J).solve(b);
  EXPECT_LE((s - ref).norm() / ref.norm(), 1e-4);  // both within cond x eps = 2e-6 of the solution
}

TEST(RefinedLu, ExactlySingularAndNonFiniteAreReported) {
  const Index n = 100;
  Matrix J = gaussian(n, n, 9);
  J.col(17).setZero();
  const Vector b = gaussian(n, 1, 11);
  rnndyn::detail::RefinedLu lu;
  ASSERT_TRUE(lu.factor(J));
  Vector s;
  EXPECT_FALSE(lu.solve(J, b, s, 1e-12) <= 0.5);  // no Newton step: inf (or a useless residual)
  J(3, 4) = std::nan("");
  EXPECT_FALSE(lu.factor(J));
}

TEST(RefinedLu, EntriesBeyondFloatRangeGoToTheDoubleFactor) {
  // J scaled by 1e40: finite in double, inf in float. The float factor is then NaN, and its NaN
  // residual must send the solve to the double LU rather than return it.
  const Index n = 80;
  const Matrix J = 1e40 * with_condition(n, 1e2, 17);
  const Vector b = gaussian(n, 1, 19);
  rnndyn::detail::RefinedLu lu;
  ASSERT_TRUE(lu.factor(J));
  Vector s;
  const double rel = lu.solve(J, b, s, 1e-12);
  EXPECT_LE(rel, 1e-12);
  ASSERT_TRUE(s.allFinite());
  const Vector ref = Eigen::FullPivLU<Matrix>(J).solve(b);
  EXPECT_LE((s - ref).norm() / ref.norm(), 1e-12);  // cond 1e2 x eps
}

TEST(RefinedLu, BelowTheBlasSizeUsesEigensDoubleLu) {
  const Index n = 12;
  const Matrix J = with_condition(n, 1e8, 13);
  const Vector b = gaussian(n, 1, 15);
  rnndyn::detail::RefinedLu lu;
  ASSERT_TRUE(lu.factor(J));
  Vector s;
  lu.solve(J, b, s, 1e-12);
  EXPECT_LE(backward_error(J, b, s), 1e-14);
  const Vector ref = Eigen::FullPivLU<Matrix>(J).solve(b);
  EXPECT_LE((s - ref).norm() / ref.norm(), 1e-6);  // cond 1e8 x eps
}

}  // namespace
