// Exact piecewise-linear fixed points: the arrangement walk against brute force over all 2^N
// activation patterns on random networks (independent enumeration of the same equations), the
// region count sum_r C(N, r) of seed 001, the fixed-point equation itself, and the 2-unit line
// attractors of seed 000 (continua) with their perturbations.
#include <gtest/gtest.h>

#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/shallow_plrnn.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using testing::random_matrix;
using testing::random_vector;
using testing::same_points;
using testing::with_method;

/// |F(x) - delta x| <= 1e-9 relative for every reported point, and the reported pattern is the
/// model's own pattern at x.
void expect_fixed_points_valid(const PiecewiseLinearStructure& pl, const PiecewiseLinearFixedPoints& r) {
  for (const auto& p : r.fixed_points) {
    Vector f = pl.evaluate(p.x);
    if (pl.time == TimeKind::Map) f -= p.x;
    EXPECT_LE(p.relative_residual, 1e-9) << p.x.transpose();
    EXPECT_NEAR(f.lpNorm<Eigen::Infinity>(), p.residual, 1e-300 + 1e-12 * (1 + p.residual));
    EXPECT_EQ(p.pattern, pl.pattern_at(p.x));
    EXPECT_EQ(p.eigenvalues.size(), pl.dim());
  }
}

PiecewiseLinearStructure random_shplrnn(Index R, Index N, TimeKind time, std::mt19937& rng) {
  // Scales chosen so that a few fixed points exist in many draws: |A| < 1, W1 W2 of order one.
  const Matrix A = Matrix(random_vector(R, rng, 0.3).asDiagonal());
  const Matrix W1 = random_matrix(R, N, rng, 1.0 / std::sqrt(static_cast<double>(N)));
  const Matrix W2 = random_matrix(N, R, rng, 1.0);
  const Vector h1 = random_vector(R, rng, 0.5), h2 = random_vector(N, rng, 1.0);
  return *ShallowPlrnn(time, A, W1, W2, h1, h2).piecewise_linear();
}

TEST(PlFixedPoints, ArrangementMatchesBruteForceOnRandomShallowNetworks) {
  std::mt19937 rng(20231);
  int networks = 0, with_points = 0;
  for (Index R : {1, 2, 3})
    for (Index N = 1; N <= 16; N += (N < 8 ? 1 : 3))
      for (TimeKind time : {TimeKind::Map, TimeKind::Flow})
        for (int rep = 0; rep < 5; ++rep) {
          const auto pl = random_shplrnn(R, N, time, rng);
          const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
          const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
          ASSERT_EQ(arr.algorithm, "line_walk") << "R=" << R << " N=" << N;
          EXPECT_TRUE(same_points(arr, brute, 1e-8)) << "R=" << R << " N=" << N << " rep=" << rep;
          EXPECT_EQ(arr.regions_visited, generic_region_count(N, std::min(R, N))) << "R=" << R << " N=" << N;
          EXPECT_EQ(brute.regions_visited, std::int64_t{1} << N);
          EXPECT_TRUE(arr.continua.empty());
          expect_fixed_points_valid(pl, arr);
          ++networks;
          with_points += arr.fixed_points.empty() ? 0 : 1;
        }
  EXPECT_GE(networks, 300);
  EXPECT_GE(with_points, networks / 4);  // the comparison is not vacuous
}

TEST(PlFixedPoints, FullRankPlrnnMatchesBruteForce) {
  // plrnn z' = A z + W relu(z - theta) + h: U = I, so every one of the 2^N patterns is a region.
  std::mt19937 rng(7);
  for (Index N : {1, 2, 4, 6, 8})
    for (int rep = 0; rep < 5; ++rep) {
      const Matrix A = Matrix(random_vector(N, rng, 0.3).asDiagonal());
      const auto pl =
          *Plrnn(TimeKind::Map, A, random_matrix(N, N, rng, 0.7), random_vector(N, rng), random_vector(N, rng))
               .piecewise_linear();
      const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
      const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
      EXPECT_TRUE(same_points(arr, brute, 1e-8));
      EXPECT_EQ(arr.regions_visited, std::int64_t{1} << N);
      expect_fixed_points_valid(pl, arr);
    }
}

TEST(PlFixedPoints, RegionCountFollowsSeedFormula) {
  EXPECT_EQ(generic_region_count(8, 2), 1 + 8 + 28);
  EXPECT_EQ(generic_region_count(1000, 2), 1 + 1000 + 499500);
  EXPECT_EQ(generic_region_count(3, 5), 8);  // rank above K: all 2^K patterns
  EXPECT_EQ(generic_region_count(0, 3), 1);
}

TEST(PlFixedPoints, OneDimensionalClosedForm) {
  // R = 1 flow dz/dt = -z + relu(z - 1) * 3 - 0.5 ... solved by hand: z < 1: z = -0.5 (valid);
  // z > 1: -z + 3 z - 3 - 0.5 = 0 -> z = 1.75 (valid). Two fixed points.
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Flow;
  pl.A = Matrix::Constant(1, 1, -1.0);
  pl.U = Matrix::Constant(1, 1, 1.0);
  pl.c = Vector::Constant(1, -1.0);
  pl.V = Matrix::Constant(1, 1, 3.0);
  pl.h = Vector::Constant(1, -0.5);
  pl.units = {Activation(ActivationKind::Relu)};
  const auto r = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
  ASSERT_EQ(r.fixed_points.size(), 2u);
  EXPECT_NEAR(r.fixed_points[0].x(0), -0.5, 1e-14);
  EXPECT_NEAR(r.fixed_points[1].x(0), 1.75, 1e-14);
  EXPECT_EQ(r.fixed_points[0].stability.type, StabilityClass::StableNode);    // slope -1
  EXPECT_EQ(r.fixed_points[1].stability.type, StabilityClass::UnstableNode);  // slope +2
  EXPECT_EQ(r.regions_visited, 2);
}

// ---- Degenerate arrangements: the walk detects them and the vertex expansion takes over.

TEST(PlFixedPoints, HardtanhParallelHyperplanesMatchBruteForce) {
  // Each hardtanh unit gives two parallel hyperplanes a_i = -1 and a_i = 1.
  std::mt19937 rng(11);
  for (Index N : {2, 3, 5, 7})
    for (int rep = 0; rep < 4; ++rep) {
      const Matrix W = random_matrix(N, N, rng, 1.5);
      RateModel m(RateModel::Form::Current, Activation(ActivationKind::Hardtanh), Vector::Ones(N), W,
                  random_vector(N, rng, 0.3));
      const auto pl = *m.piecewise_linear();
      const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
      const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
      EXPECT_FALSE(arr.generic);
      EXPECT_TRUE(same_points(arr, brute, 1e-8)) << "N=" << N;
      expect_fixed_points_valid(pl, arr);
      EXPECT_EQ(brute.regions_visited, static_cast<std::int64_t>(std::pow(3.0, static_cast<double>(N))));
    }
}

TEST(PlFixedPoints, ManyHyperplanesThroughOnePointMatchBruteForce) {
  // R = 2, all N lines through the origin (c = 0): 2N regions, not 1 + N + C(N, 2).
  std::mt19937 rng(5);
  for (Index N : {3, 5, 8})
    for (int rep = 0; rep < 5; ++rep) {
      const auto base = random_shplrnn(2, N, TimeKind::Map, rng);
      auto pl = base;
      pl.c.setZero();
      const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
      const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
      EXPECT_EQ(arr.algorithm, "vertex_expansion");
      // The vertex expansion examines all 2^N sign patterns around the common vertex (seed 001,
      // Sec. 3.4); only 2N of them are regions, the others have the vertex as closure and are
      // harmless (a fixed point there is a fixed point of F by continuity).
      EXPECT_EQ(arr.regions_visited, std::int64_t{1} << N);
      EXPECT_TRUE(same_points(arr, brute, 1e-8)) << "N=" << N;
      expect_fixed_points_valid(pl, arr);
    }
}

TEST(PlFixedPoints, NormalsNotSpanningTheSpace) {
  // R = 3 but W2 has rank 1: all hyperplanes parallel planes; regions are slabs (N + 1).
  std::mt19937 rng(3);
  for (Index N : {2, 4, 6})
    for (int rep = 0; rep < 5; ++rep) {
      auto pl = random_shplrnn(3, N, TimeKind::Map, rng);
      pl.U = random_vector(N, rng) * random_vector(3, rng).transpose();
      const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
      const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
      EXPECT_EQ(arr.arrangement_rank, 1);
      EXPECT_EQ(arr.regions_visited, N + 1);
      EXPECT_TRUE(same_points(arr, brute, 1e-8));
      expect_fixed_points_valid(pl, arr);
    }
  // Rank 2 in R = 3: generic inside the span, sum_{r<=2} C(N, r) regions.
  for (Index N : {3, 6}) {
    auto pl = random_shplrnn(3, N, TimeKind::Flow, rng);
    pl.U = random_matrix(N, 2, rng) * random_matrix(2, 3, rng);
    const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
    const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
    EXPECT_EQ(arr.arrangement_rank, 2);
    EXPECT_EQ(arr.regions_visited, generic_region_count(N, 2));
    EXPECT_TRUE(same_points(arr, brute, 1e-8));
  }
}

// ---- Seed 000: line attractors of dx/dt = -x + relu(W x + b).

PiecewiseLinearStructure seed000(const Matrix& W, const Vector& b) {
  return *RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, b).piecewise_linear();
}

TEST(PlFixedPoints, Seed000UnboundedLineAttractorIsARay) {
  Matrix W(2, 2);
  W << 0, 1, 1, 0;
  for (auto m : {PlFixedPointMethod::Brute, PlFixedPointMethod::Arrangement}) {
    const auto r = find_fixed_points(seed000(W, Vector::Zero(2)), with_method(m));
    EXPECT_TRUE(r.fixed_points.empty());  // the origin is the ray's end point
    ASSERT_EQ(r.continua.size(), 1u);
    const auto& c = r.continua[0];
    EXPECT_EQ(c.shape, "ray");
    EXPECT_EQ(c.dimension, 1);
    ASSERT_EQ(c.vertices.cols(), 1);
    EXPECT_TRUE(testing::near(Vector(c.vertices.col(0)), Vector::Zero(2), 1e-12));
    EXPECT_NEAR(std::abs(c.basis(0, 0)), std::sqrt(0.5), 1e-12);  // along (1, 1)
    EXPECT_NEAR(c.basis(0, 0), c.basis(1, 0), 1e-12);
  }
}

TEST(PlFixedPoints, Seed000BoundedLineAttractorIsOneSegment) {
  for (double beta : {1.0, 2.5}) {
    Matrix W(2, 2);
    W << 0, -1, -1, 0;
    for (auto m : {PlFixedPointMethod::Brute, PlFixedPointMethod::Arrangement}) {
      const auto r = find_fixed_points(seed000(W, Vector::Constant(2, beta)), with_method(m));
      EXPECT_TRUE(r.fixed_points.empty());
      ASSERT_EQ(r.continua.size(), 1u);
      const auto& c = r.continua[0];
      EXPECT_EQ(c.shape, "segment");
      ASSERT_EQ(c.vertices.cols(), 2);
      // End points (0, beta) and (beta, 0) in some order.
      const Vector e0 = c.vertices.col(0), e1 = c.vertices.col(1);
      EXPECT_NEAR(e0.sum(), beta, 1e-12);
      EXPECT_NEAR(e1.sum(), beta, 1e-12);
      EXPECT_NEAR(e0.cwiseProduct(e1).norm() + std::abs(e0(0) - e1(0)), beta, 1e-12);
      EXPECT_NEAR(std::min(e0.minCoeff(), e1.minCoeff()), 0.0, 1e-12);
    }
  }
}

// Seed 000, eqs 8-11: W' = W + eps (and b + b'); numbers of isolated fixed points found, checked
// against brute force. The types the seed claims are in the comments; see docs/fixed_points.md.
struct Seed000Case {
  const char* name;
  double e11, e12, e21, e22, b1, b2;
  size_t points;
  size_t continua;
};

class Seed000Perturbation : public ::testing::TestWithParam<Seed000Case> {};

TEST_P(Seed000Perturbation, HasTheVerifiedNumberOfFixedPoints) {
  const auto& cs = GetParam();
  Matrix W(2, 2);
  W << cs.e11, -1 + cs.e12, -1 + cs.e21, cs.e22;
  const Vector b = Vector::Ones(2) + Vector((Vector(2) << cs.b1, cs.b2).finished());
  const auto pl = seed000(W, b);
  const auto arr = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
  const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
  EXPECT_EQ(arr.fixed_points.size(), cs.points);
  EXPECT_EQ(arr.continua.size(), cs.continua);
  EXPECT_TRUE(same_points(arr, brute, 1e-10));
  expect_fixed_points_valid(pl, arr);
}

INSTANTIATE_TEST_SUITE_P(
    PlFixedPoints, Seed000Perturbation,
    ::testing::Values(
        // eq 8: claimed one fixed point (full support).
        Seed000Case{"eq8", -0.2, 0.1, 0.1, -0.2, 0, 0, 1, 0},
        // eq 9: claimed three fixed points.
        Seed000Case{"eq9", 0.1, -0.2, -0.2, 0.1, 0, 0, 3, 0},
        // eq 10: b' = (1, -1) / 10, claimed two fixed points with partial support; there is one,
        // (1.1, 0): with x1 = 0 the second unit needs x2 = 0.9 but then unit 1 is driven to 0.2 > 0.
        Seed000Case{"eq10", 0, 0, 0, 0, 0.1, -0.1, 1, 0},
        // eq 11: claimed a rotated line attractor; it gives one stable node at (20/29)(1, 1),
        // because det(W' - I) = 0.95^2 - 0.5^2 != 0 (seed typo).
        Seed000Case{"eq11", 0.05, 0.5, 0.5, 0.05, 0, 0, 1, 0},
        // eps = (1/20)[[1, 10], [1, 10]] makes both rows of W' - I equal, (-0.95, -0.5): the line
        // 0.95 x1 + 0.5 x2 = 1, a rotated bounded line attractor (one segment, no isolated point).
        Seed000Case{"eq11_rows_equal", 0.05, 0.5, 0.05, 0.5, 0, 0, 0, 1}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PlFixedPoints, OptionsAreValidated) {
  PiecewiseLinearFixedPointOptions o;
  o.region_tol = -1;
  EXPECT_THROW(o.validate(), InputError);
  o = {};
  o.singular_tol = 0;
  EXPECT_THROW(o.validate(), InputError);
  o = {};
  o.brute_max_log2 = 63;
  EXPECT_THROW(o.validate(), InputError);
  EXPECT_THROW(pl_fixed_point_method_from_string("fast"), InputError);
  // Brute force beyond its limit is refused unless forced.
  std::mt19937 rng(1);
  const auto pl = random_shplrnn(2, 12, TimeKind::Map, rng);
  o = with_method(PlFixedPointMethod::Brute);
  o.brute_max_log2 = 10;
  EXPECT_THROW(find_fixed_points(pl, o), InputError);
  o.force = true;
  EXPECT_EQ(find_fixed_points(pl, o).regions_visited, 4096);
}

TEST(PlFixedPoints, AutoPicksTheSmallerEnumeration) {
  std::mt19937 rng(2);
  EXPECT_EQ(find_fixed_points(random_shplrnn(2, 12, TimeKind::Map, rng)).method, PlFixedPointMethod::Arrangement);
  EXPECT_EQ(find_fixed_points(random_shplrnn(3, 2, TimeKind::Map, rng)).method, PlFixedPointMethod::Arrangement);
}

// ---- Level-set pruning and box subdivision (R = 2): same points as brute force, far fewer
// regions solved.

constexpr PlFixedPointMethod kLatentMethods[] = {PlFixedPointMethod::LevelSet, PlFixedPointMethod::Subdivision};

TEST(PlFixedPoints, LevelSetMatchesBruteForceOnRandomShallowNetworks) {
  std::mt19937 rng(4711);
  int networks = 0, with_points = 0;
  for (Index N = 2; N <= 16; ++N)
    for (TimeKind time : {TimeKind::Map, TimeKind::Flow})
      for (int rep = 0; rep < 8; ++rep) {
        const auto pl = random_shplrnn(2, N, time, rng);
        const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));
        for (PlFixedPointMethod method : kLatentMethods) {
          const auto ls = find_fixed_points(pl, with_method(method));
          ASSERT_EQ(ls.algorithm, to_string(method)) << "N=" << N;
          EXPECT_TRUE(same_points(ls, brute, 1e-8)) << to_string(method) << " N=" << N << " rep=" << rep;
          expect_fixed_points_valid(pl, ls);
        }
        const auto& ls = brute;
        ++networks;
        with_points += ls.fixed_points.empty() ? 0 : 1;
      }
  EXPECT_GE(with_points, networks / 4);  // the comparison is not vacuous
}

TEST(PlFixedPoints, LevelSetMatchesTheFullWalkOnLargeMultistableNetworks) {
  // A ring: dz/dt = -z + (c/N) sum_i u_i relu(u_i . z - 1), u_i = (cos th_i, sin th_i) with
  // jittered angles. The radial balance r = c mean_i[relu(r cos d_i - 1) cos d_i] has a ring
  // solution for c/4 > 1, and the finite N breaks it into about 2N isolated fixed points (near
  // th_i and between neighbours; 21 and 35 here), so the pruning is tested against many points
  // at once. h = (1e-7, 2e-7) keeps the fixed point near the origin off the scale-0 corner case.
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> jitter(-0.2, 0.2);
  for (Index N : {60, 150}) {
    Matrix W2(N, 2);
    for (Index i = 0; i < N; ++i) {
      const double th = 2 * M_PI * (static_cast<double>(i) + jitter(rng)) / static_cast<double>(N);
      W2(i, 0) = std::cos(th);
      W2(i, 1) = std::sin(th);
    }
    const Matrix W1 = 8.0 / static_cast<double>(N) * W2.transpose();
    const auto pl = *ShallowPlrnn(TimeKind::Flow, -Matrix::Identity(2, 2), W1, W2, Eigen::Vector2d(1e-7, 2e-7),
                                  Vector::Constant(N, -1.0))
                         .piecewise_linear();
    const auto walk = find_fixed_points(pl, with_method(PlFixedPointMethod::Arrangement));
    EXPECT_GE(walk.fixed_points.size(), 20u);  // many points: not vacuous
    for (PlFixedPointMethod method : kLatentMethods) {
      const auto ls = find_fixed_points(pl, with_method(method));
      ASSERT_EQ(ls.algorithm, to_string(method));
      EXPECT_TRUE(same_points(ls, walk, 1e-8)) << to_string(method) << " N=" << N;
      expect_fixed_points_valid(pl, ls);
      // Measured (N = 60): level_set 303, subdivision 607 (mostly the faces' lines) of 1828.
      EXPECT_LT(ls.regions_visited, walk.regions_visited / (method == PlFixedPointMethod::LevelSet ? 4 : 2));
    }
  }
}

TEST(PlFixedPoints, LevelSetHandlesParallelHyperplanes) {
  // hardtanh units: two parallel hyperplanes each (the full walk falls back to vertex expansion).
  std::mt19937 rng(5);
  for (Index N : {2, 4, 6, 8})
    for (int rep = 0; rep < 5; ++rep) {
      PiecewiseLinearStructure pl;
      pl.time = rep % 2 ? TimeKind::Flow : TimeKind::Map;
      pl.A = Matrix(random_vector(2, rng, 0.3).asDiagonal());
      pl.U = random_matrix(N, 2, rng, 1.5);
      pl.c = random_vector(N, rng, 0.5);
      pl.V = random_matrix(2, N, rng, 2.0 / static_cast<double>(N));
      pl.h = random_vector(2, rng, 0.3);
      pl.units.assign(static_cast<size_t>(N), Activation(ActivationKind::Hardtanh));
      const auto brute = find_fixed_points(pl, with_method(PlFixedPointMethod::Brute));  // 3^N patterns
      for (PlFixedPointMethod method : kLatentMethods) {
        const auto ls = find_fixed_points(pl, with_method(method));
        EXPECT_EQ(ls.algorithm, to_string(method));
        EXPECT_TRUE(same_points(ls, brute, 1e-8)) << to_string(method) << " N=" << N << " rep=" << rep;
        expect_fixed_points_valid(pl, ls);
      }
    }
}

TEST(PlFixedPoints, LevelSetLeavesContinuaToTheFullWalk) {
  // Seed 000's bounded line attractor: a singular region, so the full walk takes over.
  Matrix W(2, 2);
  W << 0, -1, -1, 0;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
  for (PlFixedPointMethod method : kLatentMethods) {
    const auto r = find_fixed_points(*model.piecewise_linear(), with_method(method));
    EXPECT_NE(r.algorithm, to_string(method));
    ASSERT_EQ(r.continua.size(), 1u);
    EXPECT_EQ(r.continua[0].shape, "segment");
  }
}

}  // namespace
}  // namespace rnndyn
