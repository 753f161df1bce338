// find_fixed_points(model, options): the method it picks, the starts it draws, the statuses and
// guarantees it reports, and the field names of its validation errors. References are closed
// forms (a 1-D cubic-like tanh network, the seed-000 bounded line attractor) or independent draws.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

/// tau dx/dt = -x + W tanh(x) with W = w m m^T / N: fixed points x = m y, y in {0, +-r(w)}.
RateModel rank_one_tanh(Index n, double w) {
  Vector m(n);
  for (Index i = 0; i < n; ++i) m(i) = i % 3 == 0 ? -1.0 : 1.0;
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n),
                   w * m * m.transpose() / double(n), Vector::Zero(n));
}

/// Seed 000's bounded line attractor with a detuned weight: tau dr/dt = -r + relu(W r + b),
/// W = [[0, -a], [-a, 0]], a = 0.5, b = (1, 1): one fixed point r = b / (1 + a) (1, 1).
RateModel detuned_line_attractor() {
  Matrix W(2, 2);
  W << 0, -0.5, -0.5, 0;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
}

TEST(FixedPointFrontDoor, AutoIsExactForPiecewiseLinearModels) {
  const RateModel model = detuned_line_attractor();
  const FixedPointResult r = find_fixed_points(model, FixedPointOptions{});
  ASSERT_TRUE(r.exact.has_value());
  EXPECT_FALSE(r.numeric.has_value());
  EXPECT_NE(r.method, FixedPointMethod::Auto);
  EXPECT_EQ(r.status, FixedPointStatus::Complete);
  EXPECT_EQ(r.info.model, "rate");
  EXPECT_EQ(r.info.time, TimeKind::Flow);
  ASSERT_EQ(r.exact->fixed_points.size(), 1u);
  EXPECT_TRUE(testing::near(r.exact->fixed_points[0].x(0), 1.0 / 1.5, 1e-12));
  EXPECT_TRUE(testing::near(r.exact->fixed_points[0].x(1), 1.0 / 1.5, 1e-12));
}

TEST(FixedPointFrontDoor, AutoIsNumericForSmoothModelsAndSaysSo) {
  const RateModel model = rank_one_tanh(6, 2.0);
  FixedPointOptions o;
  o.starts.box_lo = Vector::Constant(1, -3.0);
  o.starts.box_hi = Vector::Constant(1, 3.0);
  const FixedPointResult r = find_fixed_points(model, o);
  ASSERT_TRUE(r.numeric.has_value());
  EXPECT_EQ(r.method, FixedPointMethod::Numeric);
  EXPECT_EQ(r.status, FixedPointStatus::Sampled);
  EXPECT_EQ(r.guarantee.rfind("none", 0), 0u) << r.guarantee;
  ASSERT_TRUE(r.starts.has_value());
  EXPECT_EQ(r.starts->n_starts, 4096);  // the pool; the rounds stop early
  EXPECT_EQ(r.starts->from, "box");
  EXPECT_EQ(r.numeric->search.stopped_by, "quiet");
  EXPECT_LT(r.numeric->search.random_starts, 4096);
  // Starts in [-3, 3]^6 find the three closed-form points y in {0, +-r(2)}.
  ASSERT_EQ(r.numeric->fixed_points.size(), 3u);
  const double root = testing::positive_tanh_root(2.0);
  for (const auto& p : r.numeric->fixed_points) {
    const double y = std::abs(p.x(1));  // m_1 = +1
    EXPECT_TRUE(y < 1e-9 || std::abs(y - root) < 1e-9) << y;
  }
}

TEST(FixedPointFrontDoor, ExactMethodOnSmoothModelIsRefusedNamingTheMethod) {
  FixedPointOptions o;
  o.method = FixedPointMethod::Arrangement;
  try {
    find_fixed_points(rank_one_tanh(4, 2.0), o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "method");
  }
}

TEST(FixedPointFrontDoor, IntervalMatchesTheClosedFormAndIsComplete) {
  FixedPointOptions o;
  o.method = FixedPointMethod::Interval;
  const FixedPointResult r = find_fixed_points(rank_one_tanh(30, 2.0), o);
  EXPECT_EQ(r.status, FixedPointStatus::Complete);
  EXPECT_EQ(r.latent_rank, 1);
  ASSERT_TRUE(r.interval && r.numeric);
  ASSERT_EQ(r.numeric->fixed_points.size(), 3u);
  EXPECT_EQ(r.interval->kappa.size(), 3u);
  int saddles = 0;
  for (const auto& p : r.numeric->fixed_points) saddles += p.stability.type == StabilityClass::Saddle;
  EXPECT_EQ(saddles, 1);
}

// Auto on a smooth network: the certified interval search for a tanh network of latent rank <= 2
// given as a dense W (N = 120: the randomized rank test, then the SVD), with the same points as
// --method interval; the numeric search for a dense random W (full rank, N = 40) and whenever
// starts are configured.
TEST(FixedPointFrontDoor, AutoTakesTheIntervalSearchForRankTwoTanhNetworks) {
  const RateModel low = rank_one_tanh(120, 2.0);
  const FixedPointResult a = find_fixed_points(low, FixedPointOptions{});
  EXPECT_EQ(a.method, FixedPointMethod::Interval);
  EXPECT_EQ(a.status, FixedPointStatus::Complete);
  ASSERT_TRUE(a.numeric);
  EXPECT_EQ(a.numeric->fixed_points.size(), 3u);
  FixedPointOptions boxed;
  boxed.starts.box_lo = Vector::Constant(1, -3.0);
  boxed.starts.box_hi = Vector::Constant(1, 3.0);
  EXPECT_EQ(find_fixed_points(rank_one_tanh(20, 2.0), boxed).method, FixedPointMethod::Numeric);

  std::mt19937 rng(11);
  const Index n = 40;  // > 4 (max_rank + 8): the randomized rank test decides
  const RateModel dense(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n),
                        testing::random_matrix(n, n, rng, 0.5 / std::sqrt(double(n))), Vector::Zero(n));
  const FixedPointResult d = find_fixed_points(dense, FixedPointOptions{});
  EXPECT_EQ(d.method, FixedPointMethod::Numeric);
  ASSERT_EQ(d.numeric->fixed_points.size(), 1u);  // gain 0.5 < 1: the origin only
  EXPECT_LT(d.numeric->fixed_points[0].x.norm(), 1e-10);
}

// The randomized rank test (models/latent.cpp) against the SVD count it short-cuts: dense W of
// known rank 1..6 (products of Gaussian factors, N = 150) and full rank; the reduction exists
// exactly when the rank is <= max_rank, and then has that rank.
TEST(FixedPointFrontDoor, RandomizedRankTestAgreesWithTheSvdCount) {
  std::mt19937 rng(3);
  const Index n = 150;
  for (Index rank : {1, 2, 3, 6, 150}) {
    const Matrix W = testing::random_matrix(n, rank, rng) * testing::random_matrix(rank, n, rng) / double(n);
    const RateModel m(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n), W, Vector::Zero(n));
    Eigen::JacobiSVD<Matrix> svd(W);
    const Vector& s = svd.singularValues();
    Index svd_rank = 0;
    while (svd_rank < n && s(svd_rank) > 1e-10 * s(0)) ++svd_rank;
    ASSERT_EQ(svd_rank, rank);
    for (Index max_rank : {1, 2, 4, 8}) {
      LatentOptions lo;
      lo.max_rank = max_rank;
      const auto red = m.latent_reduction(lo);
      EXPECT_EQ(red.has_value(), rank <= max_rank) << "rank " << rank << ", max_rank " << max_rank;
      if (red) {
        EXPECT_EQ(red->rank(), rank);
      }
    }
  }
}

TEST(FixedPointFrontDoor, StartsAreDrawnReproduciblyInEachMode) {
  StartOptions s;
  s.count = 50;
  s.seed = 7;
  s.box_lo = Vector::Constant(1, -2.0);
  s.box_hi = Vector::Constant(1, 5.0);
  StartsUsed used;
  const Matrix a = draw_starts(s, 3, &used);
  EXPECT_EQ(used.from, "box");
  EXPECT_TRUE(a.isApprox(draw_starts(s, 3)));
  EXPECT_GE(a.minCoeff(), -2.0);
  EXPECT_LE(a.maxCoeff(), 5.0);
  // The same draw as the documented sampler, independently called.
  EXPECT_TRUE(a.isApprox(sample_box(50, Vector::Constant(3, -2.0), Vector::Constant(3, 5.0), 7)));
  s.box_lo.resize(0);
  s.box_hi.resize(0);
  s.data = Matrix::Random(10, 3);
  const Matrix b = draw_starts(s, 3, &used);
  EXPECT_EQ(used.from, "data");
  for (Index i = 0; i < b.rows(); ++i) EXPECT_LT((s.data.rowwise() - b.row(i)).rowwise().norm().minCoeff(), 1e-15);
  s.initial_states = Matrix::Random(4, 3);
  EXPECT_TRUE(draw_starts(s, 3, &used).isApprox(s.initial_states));
  EXPECT_EQ(used.from, "given");
}

TEST(FixedPointFrontDoor, ValidationNamesTheNestedField) {
  const auto field_of = [](const FixedPointOptions& o) {
    try {
      o.validate();
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string();
  };
  FixedPointOptions o;
  o.starts.count = 0;
  EXPECT_EQ(field_of(o), "starts.count");
  o = {};
  o.numeric.q_tol = -1;
  EXPECT_EQ(field_of(o), "numeric.q_tol");
  o = {};
  o.exact.region_tol = 1.0;
  EXPECT_EQ(field_of(o), "exact.region_tol");
  o = {};
  o.starts.box_lo = Vector::Constant(1, 1.0);
  o.starts.box_hi = Vector::Constant(1, 0.0);
  EXPECT_EQ(field_of(o), "starts.box");
  o = {};
  o.starts.data = Matrix::Constant(2, 2, std::nan(""));
  EXPECT_EQ(field_of(o), "starts.data");
}

TEST(FixedPointFrontDoor, JsonCarriesTheRunHeaderAndSettings) {
  const nlohmann::json j = to_json(find_fixed_points(detuned_line_attractor(), FixedPointOptions{}));
  for (const char* key : {"method", "status", "guarantee", "model", "time", "elapsed_seconds", "options"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["status"], "complete");
  EXPECT_EQ(j["time"], "continuous");
  EXPECT_EQ(j["options"]["starts"]["count"], 4096);
}

}  // namespace
}  // namespace rnndyn
