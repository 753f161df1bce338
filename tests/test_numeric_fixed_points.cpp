// Numeric multi-start fixed-point finder: known fixed points of small smooth networks (checked
// against independent bisection / closed forms), duplicate merging, slow points, saddles and
// their unstable directions, outliers, and determinism across thread counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/lstm_model.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::near;

/// dx/dt = -x + W tanh(x) + b (current form, tau = 1).
RateModel tanh_flow(const Matrix& W, const Vector& b) {
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(W.rows()), W, b);
}

/// The positive root of x = w tanh(x) for w > 1, by bisection on [1e-3, w] (independent of LM).
double positive_root(double w) {
  double lo = 1e-3, hi = w;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (-mid + w * std::tanh(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<double> sorted_first_coordinates(const std::vector<NumericPoint>& pts) {
  std::vector<double> v;
  for (const auto& p : pts) v.push_back(p.x(0));
  std::sort(v.begin(), v.end());
  return v;
}

TEST(NumericFixedPoints, OneDimensionalFlowBelowAndAboveTheBifurcation) {
  for (double w : {0.5, 0.9, 1.5, 3.0}) {
    const RateModel m = tanh_flow(Matrix::Constant(1, 1, w), Vector::Zero(1));
    const Matrix starts = sample_box(64, Vector::Constant(1, -5), Vector::Constant(1, 5), 1);
    const auto res = find_fixed_points_numeric(m, starts);
    const auto xs = sorted_first_coordinates(res.fixed_points);
    if (w < 1) {
      ASSERT_EQ(xs.size(), 1u) << "w = " << w;
      EXPECT_NEAR(xs[0], 0.0, 1e-10);
      EXPECT_EQ(res.fixed_points[0].stability.type, StabilityClass::StableNode);
    } else {
      ASSERT_EQ(xs.size(), 3u) << "w = " << w;
      const double r = positive_root(w);
      // Bisection to 2^-200 and LM to round-off: both within 1e-10 of the root.
      EXPECT_NEAR(xs[0], -r, 1e-10);
      EXPECT_NEAR(xs[1], 0.0, 1e-10);
      EXPECT_NEAR(xs[2], r, 1e-10);
      for (const auto& p : res.fixed_points) {
        const bool origin = std::abs(p.x(0)) < 1e-6;
        // At 0 the eigenvalue is w - 1 > 0; at +-r it is w sech^2(r) - 1 < 0.
        EXPECT_EQ(p.stability.type, origin ? StabilityClass::UnstableNode : StabilityClass::StableNode);
        EXPECT_NEAR(p.eigen.eigenvalues(0).real(), w * (1 - std::pow(std::tanh(p.x(0)), 2)) - 1, 1e-9);
      }
    }
    // Every fixed point reported has a tiny residual, and duplicates were merged: the plain runs
    // that converged are counted once each (random_hits), targeted runs only in n_starts.
    int merged = 0;
    for (const auto& p : res.fixed_points) {
      EXPECT_LE(m.fixed_point_residual(p.x).norm(), 1e-8);
      EXPECT_LE(p.q, 1e-16);
      merged += p.random_hits;
      EXPECT_GE(p.n_starts, p.random_hits);
    }
    EXPECT_EQ(merged, res.n_fixed_runs);
    EXPECT_EQ(res.search.samples, res.n_fixed_runs);
    EXPECT_GT(res.n_fixed_runs, static_cast<int>(xs.size()));
  }
}

TEST(NumericFixedPoints, TwoDimensionalSaddlesAndUnstableDirections) {
  // W = diag(2, 2): x_i in {-r, 0, r} independently: 9 fixed points; the 4 with exactly one zero
  // coordinate are saddles whose unstable direction is that coordinate's axis.
  const RateModel m = tanh_flow(2.0 * Matrix::Identity(2, 2), Vector::Zero(2));
  const auto res = find_fixed_points_numeric(m, sample_box(400, Vector::Constant(2, -3), Vector::Constant(2, 3), 7));
  ASSERT_EQ(res.fixed_points.size(), 9u);
  const double r = positive_root(2.0);
  int saddles = 0, stable = 0, unstable = 0;
  for (const auto& p : res.fixed_points) {
    for (Index i = 0; i < 2; ++i)
      EXPECT_TRUE(std::abs(p.x(i)) < 1e-9 || std::abs(std::abs(p.x(i)) - r) < 1e-9) << p.x.transpose();
    const int zeros = (std::abs(p.x(0)) < 1e-9) + (std::abs(p.x(1)) < 1e-9);
    if (zeros == 1) {
      ++saddles;
      EXPECT_EQ(p.stability.type, StabilityClass::Saddle);
      ASSERT_EQ(p.unstable_directions.cols(), 1);
      const Index axis = std::abs(p.x(0)) < 1e-9 ? 0 : 1;
      EXPECT_NEAR(std::abs(p.unstable_directions(axis, 0)), 1.0, 1e-9);
      EXPECT_NEAR(p.unstable_eigenvalues(0).real(), 1.0, 1e-9);  // w - 1
    } else if (zeros == 0) {
      ++stable;
      EXPECT_EQ(p.stability.type, StabilityClass::StableNode);
      EXPECT_EQ(p.unstable_directions.cols(), 0);
    } else {
      ++unstable;
      EXPECT_EQ(p.unstable_directions.cols(), 2);
    }
  }
  EXPECT_EQ(saddles, 4);
  EXPECT_EQ(stable, 4);
  EXPECT_EQ(unstable, 1);
}

TEST(NumericFixedPoints, SlowPointAtAGhostIsFlagged) {
  // dx/dt = -x + 2 tanh(x) + 0.6: past the fold at b = acosh(sqrt 2) - sqrt 2 ~ 0.533 the left pair
  // of fixed points is gone; q has a local minimum q = F^2/2 > 0 where F'(x) = 0, at x = -acosh(sqrt 2).
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 2.0), Vector::Constant(1, 0.6));
  NumericFixedPointOptions o;
  o.slow_q_max = 1e-2;
  const auto res = find_fixed_points_numeric(m, sample_box(64, Vector::Constant(1, -4), Vector::Constant(1, 4), 3), o);
  ASSERT_EQ(res.fixed_points.size(), 1u);
  EXPECT_GT(res.fixed_points[0].x(0), 1.0);
  ASSERT_EQ(res.slow_points.size(), 1u);
  const NumericPoint& s = res.slow_points[0];
  EXPECT_TRUE(s.slow);
  const double xg = -std::acosh(std::sqrt(2.0));
  const double Fg = -xg + 2 * std::tanh(xg) + 0.6;
  // The slow point is where F' = 0: |x - xg| limited by the gradient tolerance / F''.
  EXPECT_NEAR(s.x(0), xg, 1e-6);
  EXPECT_NEAR(s.q, 0.5 * Fg * Fg, 1e-10);
  // With the default slow_q_max = 1e-4 this ghost (q ~ 2.3e-3) is discarded.
  const auto strict = find_fixed_points_numeric(m, sample_box(64, Vector::Constant(1, -4), Vector::Constant(1, 4), 3));
  EXPECT_TRUE(strict.slow_points.empty());
}

TEST(NumericFixedPoints, TanhMapHasThreeFixedPoints) {
  // h' = tanh(w h): fixed points 0 and +-r with r = w tanh(r)/w ... i.e. r = tanh(w r).
  const double w = 2.0;
  RnnModel m(Activation(ActivationKind::Tanh), Matrix::Constant(1, 1, w), Vector::Zero(1));
  const auto res = find_fixed_points_numeric(m, sample_box(50, Vector::Constant(1, -1), Vector::Constant(1, 1), 5));
  const auto xs = sorted_first_coordinates(res.fixed_points);
  ASSERT_EQ(xs.size(), 3u);
  // y = w r solves y = w tanh(y).
  EXPECT_NEAR(xs[2], positive_root(w) / w, 1e-10);
  EXPECT_NEAR(xs[0], -xs[2], 1e-12);
  for (const auto& p : res.fixed_points) {
    const bool origin = std::abs(p.x(0)) < 1e-6;
    // Map: |lambda| = w at 0 (unstable), w (1 - r^2) < 1 at +-r.
    EXPECT_EQ(p.stability.n_unstable, origin ? 1 : 0);
  }
}

TEST(NumericFixedPoints, GruAndLstmResidualsAndDeterminismAcrossThreads) {
  std::mt19937 rng(5);
  for (Index H : {3, 12}) {
    GruModel gru(testing::random_matrix(3 * H, H, rng, 2.0 / std::sqrt(double(H))),
                 testing::random_vector(3 * H, rng, 0.3), testing::random_vector(3 * H, rng, 0.3));
    LstmModel lstm(testing::random_matrix(4 * H, H, rng, 2.0 / std::sqrt(double(H))),
                   testing::random_vector(4 * H, rng, 0.3), testing::random_vector(4 * H, rng, 0.3));
    for (const Model* m : {static_cast<const Model*>(&gru), static_cast<const Model*>(&lstm)}) {
      const Matrix starts = sample_box(48, Vector::Constant(m->dim(), -1), Vector::Constant(m->dim(), 1), 42);
      NumericFixedPointOptions o1, o2;
      o1.threads = 1;
      o2.threads = 2;
      const auto a = find_fixed_points_numeric(*m, starts, o1);
      const auto b = find_fixed_points_numeric(*m, starts, o2);
      ASSERT_FALSE(a.fixed_points.empty()) << m->kind() << " H = " << H;
      ASSERT_EQ(a.fixed_points.size(), b.fixed_points.size());
      for (size_t i = 0; i < a.fixed_points.size(); ++i) {
        EXPECT_EQ(a.fixed_points[i].x, b.fixed_points[i].x);  // bitwise
        EXPECT_EQ(a.fixed_points[i].n_starts, b.fixed_points[i].n_starts);
        EXPECT_LE((m->rhs(a.fixed_points[i].x) - a.fixed_points[i].x).norm(), 1e-8);
      }
      // Distinct points are farther apart than the merge tolerance.
      for (size_t i = 0; i < a.fixed_points.size(); ++i)
        for (size_t j = i + 1; j < a.fixed_points.size(); ++j)
          EXPECT_GT((a.fixed_points[i].x - a.fixed_points[j].x).norm(), 1e-6);
    }
  }
}

TEST(NumericFixedPoints, SameSeedSameStartsAndOutliersDropped) {
  EXPECT_EQ(sample_box(10, Vector::Zero(3), Vector::Ones(3), 9), sample_box(10, Vector::Zero(3), Vector::Ones(3), 9));
  EXPECT_NE(sample_box(10, Vector::Zero(3), Vector::Ones(3), 9), sample_box(10, Vector::Zero(3), Vector::Ones(3), 10));
  const Matrix data = Matrix::Random(20, 2) * 0.1;
  EXPECT_EQ(sample_from_data(7, data, 0.1, 3), sample_from_data(7, data, 0.1, 3));

  // 1-D w = 3 flow: fixed points at 0 and +-2.98. Data near +r only, with a threshold of 1:
  // 0 and -r are outliers.
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 3.0), Vector::Zero(1));
  const double r = positive_root(3.0);
  Matrix near_r = Matrix::Constant(5, 1, r) + 0.1 * Matrix::Random(5, 1);
  NumericFixedPointOptions o;
  o.outlier_distance = 1.0;
  const auto res =
      find_fixed_points_numeric(m, sample_box(64, Vector::Constant(1, -5), Vector::Constant(1, 5), 2), o, near_r);
  ASSERT_EQ(res.fixed_points.size(), 1u);
  EXPECT_NEAR(res.fixed_points[0].x(0), r, 1e-10);
  EXPECT_EQ(res.n_outliers, 2);
  EXPECT_LE(res.fixed_points[0].data_distance, 1.0);
}

// Progress: reports of stage "numeric starts" with a share that never decreases and ends at 1
// with every start counted; a callback returning false, or a stop request (Ctrl-C), ends the run
// with Interrupted instead of a partial result.
TEST(NumericFixedPoints, ReportsProgressAndStopsOnRequest) {
  const double w = 2.0;
  RnnModel m(Activation(ActivationKind::Tanh), Matrix::Constant(1, 1, w), Vector::Zero(1));
  const Matrix starts = sample_box(40, Vector::Constant(1, -1), Vector::Constant(1, 1), 5);
  NumericFixedPointOptions o;
  std::vector<Progress> reports;
  o.progress = [&](const Progress& p) {
    reports.push_back(p);
    return true;
  };
  const auto res = find_fixed_points_numeric(m, starts, o);
  EXPECT_EQ(res.fixed_points.size(), 3u);
  ASSERT_FALSE(reports.empty());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].stage, "numeric starts");
    if (i > 0) {
      EXPECT_GE(reports[i].fraction, reports[i - 1].fraction);
    }
  }
  EXPECT_EQ(reports.back().fraction, 1.0);
  EXPECT_EQ(reports.back().done, 40);
  EXPECT_EQ(reports.back().found, static_cast<std::int64_t>(res.fixed_points.size()));
  o.progress = [](const Progress&) { return false; };
  EXPECT_THROW(find_fixed_points_numeric(m, starts, o), Interrupted);
  o.progress = nullptr;
  request_stop();
  EXPECT_THROW(find_fixed_points_numeric(m, starts, o), Interrupted);
  clear_stop_request();
  EXPECT_EQ(find_fixed_points_numeric(m, starts, o).fixed_points.size(), 3u);
}

/// The fixed points of dx/dt = -x + diag(w) tanh(x): x_i in {0, +-r(w_i)} independently.
std::vector<Vector> diagonal_network_points(const Vector& w) {
  std::vector<Vector> pts{Vector::Zero(0)};
  for (Index i = 0; i < w.size(); ++i) {
    std::vector<Vector> next;
    const double r = positive_root(w(i));
    for (const Vector& p : pts)
      for (double c : {-r, 0.0, r}) {
        Vector q(p.size() + 1);
        q << p, c;
        next.push_back(q);
      }
    pts = std::move(next);
  }
  return pts;
}

/// Index of the closed-form point within tol of x (-1: none).
int match(const std::vector<Vector>& truth, const Vector& x, double tol) {
  for (std::size_t k = 0; k < truth.size(); ++k)
    if ((truth[k] - x).lpNorm<Eigen::Infinity>() <= tol) return static_cast<int>(k);
  return -1;
}

// Deflation (Farrell et al. 2015) on x' = -x + 3 tanh(x), roots {-r, 0, r} by bisection: from
// x0 = 2.5 the plain solve reaches r; deflated by {r} it must reach another root, deflated by all
// three it must not report a fixed point. The deflated Jacobian is checked against central
// differences of M(x) R(x) through the solve's own result at one known root.
TEST(NumericFixedPoints, DeflationFindsTheOtherRootsOfAClosedFormFlow) {
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 3.0), Vector::Zero(1));
  const double r = positive_root(3.0);
  const Vector x0 = Vector::Constant(1, 2.5);
  NumericFixedPointOptions o;
  const auto plain = solve_fixed_point_from(m, x0, o);
  ASSERT_EQ(plain.status, NumericStartStatus::FixedPoint);
  EXPECT_NEAR(plain.x(0), r, 1e-12);
  std::vector<Vector> known{Vector::Constant(1, r)};
  const auto second = solve_deflated_from(m, x0, known, o);
  ASSERT_EQ(second.status, NumericStartStatus::FixedPoint);
  const double x2 = second.x(0);
  EXPECT_TRUE(std::abs(x2) < 1e-12 || std::abs(x2 + r) < 1e-12) << x2;
  known.push_back(second.x);
  const auto third = solve_deflated_from(m, x0, known, o);
  ASSERT_EQ(third.status, NumericStartStatus::FixedPoint);
  EXPECT_GT(std::abs(third.x(0) - x2), 1e-3);
  EXPECT_GT(std::abs(third.x(0) - r), 1e-3);
  known.push_back(third.x);
  // Nothing new is left: the deflated solve ends away from every zero, and the polish on R (which
  // is not deflated) can only fall back onto a known root.
  const auto none = solve_deflated_from(m, x0, known, o);
  if (none.status == NumericStartStatus::FixedPoint) {
    EXPECT_LT(std::min({std::abs(none.x(0) - r), std::abs(none.x(0)), std::abs(none.x(0) + r)}), 1e-12) << none.x(0);
  }
}

// Rounds with deflation and saddle starts find all 27 closed-form fixed points of a 3-unit
// diagonal network from 5 seeds with the default stopping rule, every one the same set; the
// Good-Turing estimate is singletons / samples and the rounds stop on "quiet" before the pool is
// used up.
TEST(NumericFixedPoints, RoundsFindEveryClosedFormPointForEverySeed) {
  const Vector w = (Vector(3) << 1.5, 2.0, 3.0).finished();
  const RateModel m = tanh_flow(w.asDiagonal(), Vector::Zero(3));
  const std::vector<Vector> truth = diagonal_network_points(w);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Matrix pool = sample_box(4096, Vector::Constant(3, -4), Vector::Constant(3, 4), seed);
    const auto res = find_fixed_points_numeric(m, pool);
    ASSERT_EQ(res.fixed_points.size(), truth.size()) << "seed " << seed;
    std::vector<int> seen(truth.size(), 0);
    for (const auto& p : res.fixed_points) {
      const int k = match(truth, p.x, 1e-9);
      ASSERT_GE(k, 0) << p.x.transpose();
      ++seen[static_cast<std::size_t>(k)];
    }
    EXPECT_EQ(*std::max_element(seen.begin(), seen.end()), 1);
    const auto& s = res.search;
    EXPECT_EQ(s.stopped_by, "quiet");
    EXPECT_LT(s.random_starts, 4096);
    EXPECT_EQ(s.random_starts, static_cast<int>(res.starts.size()));
    int hits = 0, ones = 0;
    for (const auto& p : res.fixed_points) {
      hits += p.random_hits;
      ones += p.random_hits == 1;
    }
    EXPECT_EQ(s.samples, hits);
    EXPECT_EQ(s.singletons, ones);
    EXPECT_DOUBLE_EQ(s.good_turing, double(ones) / double(hits));
    EXPECT_GE(s.rounds, 1 + NumericFixedPointOptions{}.patience);
  }
}

// Starts aimed at saddles: from four starts next to the four stable points of x' = -x + 2 tanh(x)
// in 2-D (deflation and the stopping rule off, so only targeted starts can find more), the
// midpoints and unstable directions reach the 4 saddles and the unstable origin too.
TEST(NumericFixedPoints, SaddleStartsFindTheSaddlesBetweenAttractors) {
  const RateModel m = tanh_flow(2.0 * Matrix::Identity(2, 2), Vector::Zero(2));
  const double r = positive_root(2.0);
  Matrix pool(4, 2);
  pool << r + 0.1, r - 0.1, -r + 0.1, r, r, -r - 0.1, -r, -r + 0.05;
  NumericFixedPointOptions o;
  o.deflation = false;
  o.patience = 0;
  const auto with = find_fixed_points_numeric(m, pool, o);
  EXPECT_EQ(with.fixed_points.size(), 9u);
  int targeted = 0;
  for (const auto& p : with.fixed_points) targeted += p.found_by != NumericStartKind::Random;
  EXPECT_EQ(targeted, 5);
  o.saddle_starts = false;
  const auto without = find_fixed_points_numeric(m, pool, o);
  EXPECT_EQ(without.fixed_points.size(), 4u);
  EXPECT_EQ(without.search.targeted_starts, 0);
}

// A continuum (a line of fixed points of a linear flow) gives every deflated start a new point;
// the search must still end, within its budget of starts (the pool; max(pool, 1024) targeted).
TEST(NumericFixedPoints, ContinuumEndsWithinTheBudget) {
  const Matrix W = (Matrix(2, 2) << 1.0, 0.0, 0.0, 0.5).finished();
  const RateModel m(RateModel::Form::Current, Activation(ActivationKind::Linear), Vector::Ones(2), W, Vector::Zero(2));
  const Matrix pool = sample_box(200, Vector::Constant(2, -1), Vector::Constant(2, 1), 3);
  const auto res = find_fixed_points_numeric(m, pool);
  EXPECT_LE(res.search.random_starts, 200);
  EXPECT_LE(res.search.targeted_starts, 1024);
  EXPECT_GT(res.fixed_points.size(), 10u);
  for (const auto& p : res.fixed_points) EXPECT_NEAR(p.x(1), 0.0, 1e-9);  // on the line x_2 = 0
}

// One given start is its own outlier reference (as the front door passes it): the automatic
// rule (10 x the spread of the reference) has no spread to go by and must not drop the point the
// start converged to.
TEST(NumericFixedPoints, OneGivenStartKeepsItsPoint) {
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 3.0), Vector::Zero(1));
  const Matrix start = Matrix::Constant(1, 1, 2.5);
  const auto res = find_fixed_points_numeric(m, start, {}, start);
  EXPECT_EQ(res.n_outliers, 0);
  ASSERT_FALSE(res.fixed_points.empty());
  EXPECT_NEAR(res.fixed_points[0].x(0), positive_root(3.0), 1e-12);
}

// The time limit stops new solves even inside a round: with a budget that has passed before the
// first solve, nothing is started, and the result says why it is empty.
TEST(NumericFixedPoints, TimeLimitStopsNewSolvesWithinARound) {
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 3.0), Vector::Zero(1));
  NumericFixedPointOptions o;
  o.time_limit = 1e-12;
  const auto res = find_fixed_points_numeric(m, sample_box(64, Vector::Constant(1, -4), Vector::Constant(1, 4), 1), o);
  EXPECT_EQ(res.search.stopped_by, "time_limit");
  EXPECT_EQ(res.search.random_starts, 0);
  EXPECT_TRUE(res.starts.empty());
  EXPECT_TRUE(res.fixed_points.empty());
  EXPECT_EQ(res.n_failed_runs, 0);
}

TEST(NumericFixedPoints, BadInputIsRejected) {
  const RateModel m = tanh_flow(Matrix::Constant(1, 1, 0.5), Vector::Zero(1));
  EXPECT_THROW(find_fixed_points_numeric(m, Matrix::Zero(3, 2)), InputError);
  NumericFixedPointOptions o;
  o.q_tol = -1;
  EXPECT_THROW(find_fixed_points_numeric(m, Matrix::Zero(3, 1), o), InputError);
  o = {};
  o.max_iter = 0;
  EXPECT_THROW(o.validate(), InputError);
  for (auto bad : std::vector<std::function<void(NumericFixedPointOptions&)>>{
           [](auto& x) { x.batch = 0; }, [](auto& x) { x.patience = -1; }, [](auto& x) { x.time_limit = 0; },
           [](auto& x) { x.deflation_power = 0.5; }, [](auto& x) { x.deflation_shift = 0; },
           [](auto& x) { x.neighbours = -1; }}) {
    o = {};
    bad(o);
    EXPECT_THROW(o.validate(), InputError);
  }
  EXPECT_THROW(sample_box(3, Vector::Ones(2), Vector::Zero(2), 0), InputError);
}

}  // namespace
}  // namespace rnndyn
