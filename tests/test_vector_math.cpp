// detail::exp_in_place (libmvec's AVX2 exp where the CPU has it) and detail::all_finite. References:
// libm's scalar std::exp (a separate implementation from libmvec's) within 4 ulp, the bound glibc's
// manual states for libmvec; std::isfinite entry by entry. The batched gates built on exp_in_place
// are checked against the scalar cell steps in test_evaluate_batch.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../src/detail/vector_math.hpp"

namespace {

using rnndyn::Index;

/// Units in the last place between a and b (finite, same sign).
double ulps(double a, double b) {
  if (a == b) return 0.0;
  return std::abs(a - b) / (std::nextafter(std::abs(b), std::numeric_limits<double>::infinity()) - std::abs(b));
}

TEST(VectorMath, ExpMatchesLibmWithinFourUlp) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-700.0, 700.0);
  std::vector<double> x(10007);  // not a multiple of 4: the scalar tail runs too
  for (double& v : x) v = u(rng);
  for (std::size_t i = 0; i < 200; ++i) x[i] = 1e-3 * static_cast<double>(i) - 0.1;  // near 0
  std::vector<double> y = x;
  rnndyn::detail::exp_in_place(y.data(), static_cast<Index>(y.size()));
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(x[i])));
  EXPECT_LE(worst, 4.0);
}

TEST(VectorMath, ExpEdgeCasesAsLibm) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x{0.0, -0.0, 710.0, 1000.0, inf, -746.0, -inf, -1000.0, 1e-300, -1e-300, 1.0};
  std::vector<double> y = x;
  rnndyn::detail::exp_in_place(y.data(), static_cast<Index>(y.size()));
  EXPECT_EQ(y[0], 1.0);
  EXPECT_EQ(y[1], 1.0);
  EXPECT_EQ(y[2], inf);  // overflow
  EXPECT_EQ(y[3], inf);
  EXPECT_EQ(y[4], inf);
  EXPECT_EQ(y[5], 0.0);  // underflow
  EXPECT_EQ(y[6], 0.0);
  EXPECT_EQ(y[7], 0.0);
  EXPECT_EQ(y[8], 1.0);
  EXPECT_EQ(y[9], 1.0);
  EXPECT_LE(ulps(y[10], std::exp(1.0)), 4.0);
  std::vector<double> nan{std::numeric_limits<double>::quiet_NaN(), 0.5, 0.5, 0.5};
  rnndyn::detail::exp_in_place(nan.data(), 4);
  EXPECT_TRUE(std::isnan(nan[0]));
  EXPECT_LE(ulps(nan[1], std::exp(0.5)), 4.0);
}

TEST(VectorMath, AllFiniteFindsOneNonFiniteEntryAnywhere) {
  const double bad[] = {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()};
  for (Index n : {0, 1, 3, 4, 7, 128}) {
    std::vector<double> x(static_cast<std::size_t>(n), 1e308);  // huge but finite: x * 0 is still 0
    EXPECT_TRUE(rnndyn::detail::all_finite(x.data(), n)) << n;
    for (Index i = 0; i < n; ++i)
      for (double b : bad) {
        std::vector<double> y = x;
        y[static_cast<std::size_t>(i)] = b;
        EXPECT_FALSE(rnndyn::detail::all_finite(y.data(), n)) << "n " << n << " entry " << i << " = " << b;
      }
  }
  rnndyn::Matrix J = rnndyn::Matrix::Constant(5, 3, -2.5);
  EXPECT_TRUE(rnndyn::detail::all_finite(J));
  J(4, 2) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(rnndyn::detail::all_finite(J));
}

}  // namespace
