// Branch and bound for dense piecewise-linear networks against brute force over all activation
// patterns (an independent enumeration of the same equations) on random networks of both rate
// forms, relu with thresholds and hardtanh, maps and flows; continua; budgets and interruption;
// and the scale invariance of the region systems (weights from 1e-8 to 1e8, closed forms).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using testing::random_matrix;
using testing::random_vector;

PiecewiseLinearFixedPoints solve(const PiecewiseLinearStructure& pl, PlFixedPointMethod m) {
  PiecewiseLinearFixedPointOptions o;
  o.method = m;
  return find_fixed_points(pl, o);
}

/// The same isolated points (test_helpers.hpp) and as many continua.
::testing::AssertionResult same_points(const PiecewiseLinearFixedPoints& a, const PiecewiseLinearFixedPoints& b,
                                       double tol = 1e-7) {
  auto r = testing::same_points(a, b, tol);
  if (r && a.continua.size() != b.continua.size())
    return ::testing::AssertionFailure() << a.continua.size() << " vs " << b.continua.size() << " continua";
  return r;
}

PiecewiseLinearStructure random_rate(std::mt19937& rng, Index N, double gain, bool current, bool hardtanh,
                                     double threshold) {
  const Matrix W = random_matrix(N, N, rng, gain / std::sqrt(static_cast<double>(N)));
  const Vector b = random_vector(N, rng, 1.0);
  const Vector tau = (random_vector(N, rng, 1.0).cwiseAbs().array() * 0.5 + 0.5).matrix();  // tau >= 0.5
  const Activation act(hardtanh ? ActivationKind::Hardtanh : ActivationKind::Relu, hardtanh ? 0.0 : threshold);
  return *RateModel(current ? RateModel::Form::Current : RateModel::Form::Rate, act, tau, W, b).piecewise_linear();
}

// 160 random dense networks, N = 2..9, gains 0.5..4 (from one to many fixed points, with and
// without a trapping box): branch and bound finds exactly brute force's points.
TEST(BranchBound, EqualsBruteForceOnRandomRateNetworks) {
  std::mt19937 rng(20261201);
  int with_several = 0, without_box = 0;
  for (int trial = 0; trial < 160; ++trial) {
    const Index N = 2 + trial % 8;
    const double gain = std::array<double, 4>{0.5, 1.0, 2.0, 4.0}[static_cast<size_t>(trial / 8 % 4)];
    const bool current = trial % 2 == 0, hardtanh = trial % 3 == 0;
    const double threshold = trial % 5 == 0 ? 0.3 : 0.0;
    const auto pl = random_rate(rng, N, gain, current, hardtanh, threshold);
    const auto brute = solve(pl, PlFixedPointMethod::Brute);
    const auto bb = solve(pl, PlFixedPointMethod::BranchBound);
    ASSERT_TRUE(same_points(brute, bb)) << "trial " << trial << " N " << N << " gain " << gain;
    ASSERT_EQ(bb.status, PlFixedPointStatus::Complete);
    ASSERT_TRUE(bb.branch_bound.has_value());
    EXPECT_EQ(bb.branch_bound->closed_share, 1.0);
    EXPECT_EQ(bb.branch_bound->open_nodes, 0);
    with_several += brute.fixed_points.size() > 1;
    without_box += !bb.branch_bound->trapping_box;
  }
  // The draws exercise what they are meant to: multistable networks and unbounded root boxes.
  EXPECT_GE(with_several, 20);
  EXPECT_GE(without_box, 10);
}

// PLRNN maps z' = A z + W relu(z - theta) + h (A diagonal, the discrete-time case).
TEST(BranchBound, EqualsBruteForceOnRandomPlrnnMaps) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    const Index N = 2 + trial % 7;
    const Matrix A = Matrix(random_vector(N, rng, 0.9).asDiagonal());
    const Matrix W = random_matrix(N, N, rng, (trial % 3 + 1) * 0.6 / std::sqrt(static_cast<double>(N)));
    const auto pl = *Plrnn(TimeKind::Map, A, W, random_vector(N, rng), random_vector(N, rng, 0.5)).piecewise_linear();
    ASSERT_TRUE(same_points(solve(pl, PlFixedPointMethod::Brute), solve(pl, PlFixedPointMethod::BranchBound)))
        << "trial " << trial;
  }
}

// Seed 000's line attractor (W = [[0, 1], [1, 0]], b = 0, relu rate form): a continuum, found
// by the leaves exactly as by the arrangement walk.
TEST(BranchBound, FindsTheContinuaOfALineAttractor) {
  Matrix W(2, 2);
  W << 0, 1, 1, 0;
  const auto pl =
      *RateModel(RateModel::Form::Current, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Zero(2))
           .piecewise_linear();
  const auto walk = solve(pl, PlFixedPointMethod::Arrangement);
  const auto bb = solve(pl, PlFixedPointMethod::BranchBound);
  ASSERT_FALSE(walk.continua.empty());
  EXPECT_TRUE(same_points(walk, bb));
  EXPECT_EQ(bb.continua.front().shape, walk.continua.front().shape);
}

// Dense gain-2 networks of 12 units with a budget of 3 nodes: the search ends honestly, and
// through the front door the numeric finder adds points; every point listed is one of brute
// force's.
TEST(BranchBound, BudgetEndsTheSearchHonestly) {
  std::mt19937 rng(5);
  const Index N = 12;
  int numeric = 0;
  for (int trial = 0; trial < 4; ++trial) {
    const Matrix W = random_matrix(N, N, rng, 2.0 / std::sqrt(static_cast<double>(N)));
    const RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(N), W,
                          random_vector(N, rng));
    const auto brute = solve(*model.piecewise_linear(), PlFixedPointMethod::Brute);
    FixedPointOptions o;
    o.method = FixedPointMethod::BranchBound;
    o.exact.max_nodes = 3;
    o.starts.count = 64;
    o.starts.box_lo = Vector::Constant(1, 0.0);
    o.starts.box_hi = Vector::Constant(1, 3.0);
    const FixedPointResult r = find_fixed_points(model, o);
    EXPECT_EQ(r.status, FixedPointStatus::Incomplete);
    ASSERT_TRUE(r.exact && r.exact->branch_bound);
    EXPECT_TRUE(r.exact->branch_bound->budget_exhausted);
    EXPECT_LT(r.exact->branch_bound->closed_share, 1.0);
    EXPECT_GT(r.exact->branch_bound->open_nodes, 0);
    EXPECT_NE(r.guarantee.find("incomplete"), std::string::npos);
    for (const auto& p : r.exact->fixed_points) {
      bool known = false;
      for (const auto& q : brute.fixed_points) known = known || (p.x - q.x).lpNorm<Eigen::Infinity>() <= 1e-6;
      EXPECT_TRUE(known) << p.found_by << " " << p.x.transpose();
      numeric += p.found_by == "numeric";
    }
  }
  EXPECT_GT(numeric, 0);
}

TEST(BranchBound, StopsWhenTheCallbackSaysSoOrAStopIsRequested) {
  std::mt19937 rng(3);
  const Index N = 40;
  const auto pl = random_rate(rng, N, 4.0, true, false, 0.0);
  PiecewiseLinearFixedPointOptions o;
  o.method = PlFixedPointMethod::BranchBound;
  int calls = 0;
  o.progress = [&](const Progress& p) {
    EXPECT_EQ(p.stage, "branch and bound");
    return ++calls < 3;
  };
  // A poll every 64 nodes, reported at most every 0.2 s: stops after three reports.
  EXPECT_THROW(find_fixed_points(pl, o), Interrupted);
  EXPECT_EQ(calls, 3);
  o.progress = nullptr;
  request_stop();
  EXPECT_THROW(find_fixed_points(pl, o), Interrupted);
  clear_stop_request();
}

// Seed 000-style mutual inhibition x = relu(W x + b), W = [[0, -a], [-a, 0]], b = (1, 1): for
// a > 1 the fixed points are (0, 1), (1, 0) and the saddle (1, 1) / (1 + a); for a < 1 only the
// latter. The region systems must decide alike for a = 1e-8 ... 1e8 (and 1e160, where squares
// overflow).
TEST(ScaleInvariance, MutualInhibitionHasItsClosedFormPointsAtEveryScale) {
  for (int k = -8; k <= 9; ++k) {
    if (k == 0) continue;  // a = 1 is the bifurcation: the segment x1 + x2 = 1 of fixed points
    const double a = k == 9 ? 1e160 : std::pow(10.0, k);
    Matrix W(2, 2);
    W << 0, -a, -a, 0;
    const auto pl =
        *RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2))
             .piecewise_linear();
    std::vector<Vector> expect{Vector::Constant(2, 1.0 / (1.0 + a))};
    if (a > 1) expect.push_back(Eigen::Vector2d(0, 1)), expect.push_back(Eigen::Vector2d(1, 0));
    for (auto m : {PlFixedPointMethod::Brute, PlFixedPointMethod::Arrangement, PlFixedPointMethod::BranchBound}) {
      const auto r = solve(pl, m);
      EXPECT_EQ(r.status, PlFixedPointStatus::Complete) << "a " << a;
      ASSERT_EQ(r.fixed_points.size(), expect.size()) << "a " << a << " method " << to_string(m);
      for (const Vector& e : expect) {
        bool found = false;
        for (const auto& p : r.fixed_points) found = found || (p.x - e).lpNorm<Eigen::Infinity>() <= 1e-12;
        EXPECT_TRUE(found) << "a " << a << " missing " << e.transpose();
      }
    }
  }
}

// relu is positively homogeneous: scaling b by s scales every fixed point of x = relu(W x + b)
// by s. Random networks, s = 10^k for k = -8..8: the same patterns, points scaled.
TEST(ScaleInvariance, ScalingTheDriveScalesEveryFixedPoint) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 3; ++trial) {
    const Index N = 5;
    const Matrix W = random_matrix(N, N, rng, 2.0 / std::sqrt(static_cast<double>(N)));
    const Vector b = random_vector(N, rng);
    auto pl_at = [&](double s) {
      return *RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(N), W, s * b)
                  .piecewise_linear();
    };
    const auto ref = solve(pl_at(1.0), PlFixedPointMethod::Brute);
    for (int k = -8; k <= 8; ++k) {
      const double s = std::pow(10.0, k);
      for (auto m : {PlFixedPointMethod::Brute, PlFixedPointMethod::Arrangement, PlFixedPointMethod::BranchBound}) {
        const auto r = solve(pl_at(s), m);
        ASSERT_EQ(r.fixed_points.size(), ref.fixed_points.size()) << "trial " << trial << " s " << s;
        for (size_t q = 0; q < r.fixed_points.size(); ++q) {
          EXPECT_EQ(r.fixed_points[q].pattern, ref.fixed_points[q].pattern);
          EXPECT_LE((r.fixed_points[q].x / s - ref.fixed_points[q].x).lpNorm<Eigen::Infinity>(),
                    1e-9 * std::max(1.0, ref.fixed_points[q].x.lpNorm<Eigen::Infinity>()));
        }
      }
    }
  }
}

// A contracting dense network (|W|_2 about 0.6): the contraction bound gives the root a finite box,
// the search completes, and its one fixed point is the limit of the iteration x <- relu(W x + b)
// (a contraction, so the iteration converges to the unique fixed point: an independent answer).
TEST(BranchBound, ContractingNetworkHasItsUniqueFixedPoint) {
  std::mt19937 rng(17);
  const Index N = 30;
  const Matrix W = random_matrix(N, N, rng, 0.3 / std::sqrt(static_cast<double>(N)));
  const Vector b = random_vector(N, rng);
  const RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(N), W, b);
  const FixedPointResult r = find_fixed_points(model, FixedPointOptions{});  // auto: 2^30 patterns
  ASSERT_EQ(r.method, FixedPointMethod::BranchBound);
  EXPECT_EQ(r.status, FixedPointStatus::Complete);
  EXPECT_TRUE(r.exact->branch_bound->trapping_box);
  ASSERT_EQ(r.exact->fixed_points.size(), 1u);
  Vector x = Vector::Zero(N);
  for (int it = 0; it < 400; ++it) x = (W * x + b).cwiseMax(0.0);
  EXPECT_LE((r.exact->fixed_points[0].x - x).lpNorm<Eigen::Infinity>(), 1e-10);
}

TEST(BranchBound, RefusesWhatItCannotSearch) {
  Matrix A(2, 2);
  A << 0.5, 0.1, 0.0, 0.5;  // not diagonal
  const auto pl = *Plrnn(TimeKind::Map, A, Matrix::Identity(2, 2), Vector::Zero(2), Vector::Ones(2)).piecewise_linear();
  EXPECT_THROW(solve(pl, PlFixedPointMethod::BranchBound), InputError);
  PiecewiseLinearFixedPointOptions o;
  o.max_nodes = 0;
  EXPECT_THROW(o.validate(), InputError);
  o.max_nodes = 1;
  o.time_limit = 0.0;
  EXPECT_THROW(o.validate(), InputError);
}

}  // namespace
}  // namespace rnndyn
