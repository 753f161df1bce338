// Level-set pruned walk for R >= 3 (pl_level_set.cpp): the same points as brute force over all
// activation patterns on hundreds of random shallow networks (R = 3, 4; maps and flows; relu and
// hardtanh), the same as brute force on degenerate arrangements (where it may fall back), and the
// same as the full walk on a multistable R = 3 network with ~100 fixed points while solving a
// small share of its regions.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rnndyn/models/shallow_plrnn.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using testing::random_matrix;
using testing::random_vector;
using testing::same_points;
using testing::with_method;

/// A shallow network F(z) = A z + V phi(U z + c) + h with diagonal |A| < 1 and V U of order one,
/// so that many draws have a few fixed points.
PiecewiseLinearStructure random_network(Index R, Index N, TimeKind time, ActivationKind act, std::mt19937& rng) {
  PiecewiseLinearStructure pl;
  pl.time = time;
  pl.A = Matrix(random_vector(R, rng, 0.3).asDiagonal());
  pl.U = random_matrix(N, R, rng, 1.0);
  pl.c = random_vector(N, rng, 1.0);
  pl.V = random_matrix(R, N, rng, (act == ActivationKind::Hardtanh ? 2.0 : 1.0) / std::sqrt(static_cast<double>(N)));
  pl.h = random_vector(R, rng, 0.5);
  pl.units.assign(static_cast<size_t>(N), Activation(act));
  return pl;
}

/// Every reported point is a fixed point of the model with its own pattern.
void expect_valid(const PiecewiseLinearStructure& pl, const PiecewiseLinearFixedPoints& r) {
  for (const auto& p : r.fixed_points) {
    EXPECT_LE(p.relative_residual, 1e-9) << p.x.transpose();
    EXPECT_EQ(p.pattern, pl.pattern_at(p.x));
  }
}

struct Tally {
  int networks = 0, with_points = 0, level_set = 0, subdivision = 0;
};

/// level_set and subdivision against brute force on one network; counts whether each ran without
/// falling back.
void compare_with_brute(const PiecewiseLinearStructure& pl, Tally& tally, const std::string& what) {
  const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
  for (PlFixedPointMethod method : {PlFixedPointMethod::LevelSet, PlFixedPointMethod::Subdivision}) {
    const auto ls = find_fixed_points(pl, with_method(method));
    EXPECT_TRUE(same_points(ls, brute, 1e-8)) << what << " " << to_string(method) << " algorithm " << ls.algorithm;
    EXPECT_EQ(ls.continua.size(), brute.continua.size()) << what << " " << to_string(method);
    expect_valid(pl, ls);
    (method == PlFixedPointMethod::LevelSet ? tally.level_set : tally.subdivision) +=
        ls.algorithm == to_string(method) ? 1 : 0;
  }
  ++tally.networks;
  tally.with_points += brute.fixed_points.empty() ? 0 : 1;
}

TEST(PlLevelSetNd, MatchesBruteForceOnRandomShallowNetworks) {
  std::mt19937 rng(31337);
  Tally tally;
  for (Index R : {3, 4})
    for (Index N = R; N <= 14; ++N)
      for (TimeKind time : {TimeKind::Map, TimeKind::Flow})
        for (int rep = 0; rep < 4; ++rep) {
          const auto pl = random_network(R, N, time, ActivationKind::Relu, rng);
          compare_with_brute(pl, tally, "R=" + std::to_string(R) + " N=" + std::to_string(N));
        }
  for (Index R : {3, 4})  // two parallel hyperplanes per unit; brute force visits 3^N patterns
    for (Index N = R; N <= 8; ++N)
      for (int rep = 0; rep < 4; ++rep) {
        const auto pl = random_network(R, N, rep % 2 ? TimeKind::Flow : TimeKind::Map, ActivationKind::Hardtanh, rng);
        compare_with_brute(pl, tally, "hardtanh R=" + std::to_string(R) + " N=" + std::to_string(N));
      }
  EXPECT_GE(tally.networks, 200);
  EXPECT_GE(tally.with_points, tally.networks / 3);       // not vacuous
  EXPECT_GE(tally.level_set, tally.networks * 95 / 100);  // the walk itself ran (all do), not the fallback
  EXPECT_GE(tally.subdivision, tally.networks * 95 / 100);
}

TEST(PlLevelSetNd, DegenerateArrangementsMatchBruteForce) {
  std::mt19937 rng(2024);
  Tally tally;
  for (Index R : {3, 4})
    for (int rep = 0; rep < 6; ++rep) {
      const Index N = 8;
      const TimeKind time = rep % 2 ? TimeKind::Flow : TimeKind::Map;
      auto repeated = random_network(R, N, time, ActivationKind::Relu, rng);  // two units share a normal
      repeated.U.row(1) = repeated.U.row(0);
      compare_with_brute(repeated, tally, "repeated row R=" + std::to_string(R));
      auto scaled = random_network(R, N, time, ActivationKind::Relu, rng);  // parallel, other offset
      scaled.U.row(2) = -2.0 * scaled.U.row(0);
      compare_with_brute(scaled, tally, "parallel row R=" + std::to_string(R));
      auto zero = random_network(R, N, time, ActivationKind::Relu, rng);  // a unit with U_i = 0
      zero.U.row(3).setZero();
      compare_with_brute(zero, tally, "zero normal R=" + std::to_string(R));
      auto low = random_network(R, N, time, ActivationKind::Relu, rng);  // normals of rank R - 1
      low.U = random_matrix(N, R - 1, rng) * random_matrix(R - 1, R, rng);
      compare_with_brute(low, tally, "rank R-1, R=" + std::to_string(R));
      auto origin = random_network(R, N, time, ActivationKind::Relu, rng);  // every plane through 0
      origin.c.setZero();
      compare_with_brute(origin, tally, "through the origin R=" + std::to_string(R));
    }
  EXPECT_GE(tally.with_points, tally.networks / 4);
  // Parallel and repeated normals (empty lines), zero normals and planes through one point are
  // walked; only the normals of rank R - 1 (a fifth of the networks) go to the full walk.
  EXPECT_EQ(tally.level_set, tally.networks * 4 / 5);
  EXPECT_EQ(tally.subdivision, tally.networks * 4 / 5);
}

/// z -> z + 0.3 sin(3 z) per coordinate on the box [-2.5, 2.5]^R, as a shallow relu map
/// F(z) = 0.5 z + V relu(U z + c) + h: U rows random unit vectors, c uniform, (V, h) by least
/// squares on samples of the box. About 5^R fixed points near the grid k pi / 3.
PiecewiseLinearStructure sine_grid(Index R, Index N, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::uniform_real_distribution<double> unif(-1.0, 1.0);
  Matrix U(N, R);
  for (Index i = 0; i < N; ++i) {
    for (Index r = 0; r < R; ++r) U(i, r) = gauss(rng);
    U.row(i).normalize();
  }
  Vector c(N);
  for (Index i = 0; i < N; ++i) c(i) = 3.0 * unif(rng);
  const Index samples = 20 * N;
  Matrix X(samples, N + 1), Y(samples, R);
  for (Index s = 0; s < samples; ++s) {
    Vector z(R);
    for (Index r = 0; r < R; ++r) z(r) = 2.5 * unif(rng);
    X.row(s).head(N) = (U * z + c).cwiseMax(0.0).transpose();
    X(s, N) = 1.0;
    for (Index r = 0; r < R; ++r) Y(s, r) = 0.5 * z(r) + 0.3 * std::sin(3.0 * z(r));
  }
  // Ridge-regularised normal equations: the fit needs to be good, not exact.
  Matrix G = X.transpose() * X;
  G.diagonal().array() += 1e-6 * static_cast<double>(samples);
  const Matrix W = G.ldlt().solve(X.transpose() * Y);  // (N + 1) x R
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = 0.5 * Matrix::Identity(R, R);
  pl.U = U;
  pl.c = c;
  pl.V = W.topRows(N).transpose();
  pl.h = W.row(N).transpose();
  pl.units.assign(static_cast<size_t>(N), Activation(ActivationKind::Relu));
  return pl;
}

TEST(PlLevelSetNd, MatchesTheFullWalkOnAMultistableNetwork) {
  const auto pl = sine_grid(3, 120, 7);
  const auto walk = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
  const auto ls = find_fixed_points(pl, with_method(PlFixedPointMethod::LevelSet));
  ASSERT_EQ(ls.algorithm, "level_set");
  EXPECT_TRUE(same_points(ls, walk, 1e-8));
  expect_valid(pl, ls);
  EXPECT_GE(walk.fixed_points.size(), 100u);  // many points (152): not vacuous
  const auto sub = find_fixed_points(pl, with_method(PlFixedPointMethod::Subdivision));
  ASSERT_EQ(sub.algorithm, "subdivision");
  EXPECT_TRUE(same_points(sub, walk, 1e-8));
  expect_valid(pl, sub);
  // Measured: 41,286 regions solved, nearly all on the lines of the root box's faces (the box's
  // own leaves solve a few hundred); the count does not grow with K^R (bench/README.md).
  EXPECT_LT(sub.regions_visited, walk.regions_visited / 5);
  // Measured: 113,720 of 288,101 regions (~4 zero edges per line, 4 regions each); the share
  // falls like 1 / K (11 M of 167 M at N = 1000, bench/README.md).
  EXPECT_LT(ls.regions_visited, walk.regions_visited / 2);
}

TEST(PlLevelSetNd, AutoPicksTheSubdivisionForLargeArrangements) {
  std::mt19937 rng(5);
  EXPECT_EQ(find_fixed_points(random_network(3, 20, TimeKind::Map, ActivationKind::Relu, rng)).method,
            PlFixedPointMethod::Arrangement);
  const auto large = find_fixed_points(sine_grid(3, 90, 3));  // sum C(90, r) > 10^5
  EXPECT_EQ(large.method, PlFixedPointMethod::Subdivision);
  EXPECT_EQ(large.algorithm, "subdivision");
}

}  // namespace
}  // namespace rnndyn
