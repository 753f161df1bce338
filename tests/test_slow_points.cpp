// Slow points as memories (issue 33): a ghost just past a saddle-node, whose position, speed and
// memory time are known in closed form.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

// dx/dt = -x + w tanh(x) + b, w = 2. f'(x) = -1 + w sech^2 x vanishes at x_c = atanh(sqrt(1 - 1/w)),
// where f has its local maximum f(x_c) = b - b_c, b_c = x_c - w tanh(x_c). For b = b_c - mu the
// two fixed points near x_c have merged and vanished (saddle-node); q = f^2 / 2 keeps a local
// minimum at x_c exactly (f' = 0 there, f = -mu != 0): the ghost, with speed |f| = mu. Near it
// f ~ -(mu + a y^2), y = x - x_c, a = |f''(x_c)| / 2 = w sech^2 tanh = sqrt(1 - 1/w), so the
// orbit from x_c leaves |y| <= r at T(r) = atan(r sqrt(a / mu)) / sqrt(a mu) (the passage time of
// the normal form; the cubic term of f changes it by well under 1 % for r = 0.2, mu = 1e-4).
TEST(SlowPoints, GhostOfASaddleNodeHasItsClosedFormPositionSpeedAndMemoryTime) {
  const double w = 2.0, mu = 1e-4, r = 0.2;
  const double xc = std::atanh(std::sqrt(1.0 - 1.0 / w));
  const double bc = xc - w * std::tanh(xc);
  const double a = std::sqrt(1.0 - 1.0 / w);
  Matrix W(1, 1);
  W << w;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1), W,
                  Vector::Constant(1, bc - mu));
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.box_lo = Vector::Constant(1, -3.0);
  o.starts.box_hi = Vector::Constant(1, 3.0);
  o.numeric.memory_radius = r;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  ASSERT_EQ(res.numeric->slow_points.size(), 1u);
  const NumericPoint& s = res.numeric->slow_points[0];
  EXPECT_TRUE(testing::near(s.x(0), xc, 1e-7));  // argmin of q, to the solver's stationarity test
  EXPECT_TRUE(testing::near(s.speed, mu, 0.0, 1e-6));
  EXPECT_EQ(s.memory_radius, r);
  const double T = std::atan(r * std::sqrt(a / mu)) / std::sqrt(a * mu);  // 179.7
  EXPECT_TRUE(testing::near(s.memory_time, T, 0.0, 0.01)) << "T = " << T;
  // The remaining fixed point (x ~ -1.9, stable) is no slow point and has no memory time.
  ASSERT_EQ(res.numeric->fixed_points.size(), 1u);
  EXPECT_EQ(res.numeric->fixed_points[0].memory_time, -1.0);
}

TEST(SlowPoints, UnfinishedRunsBelowTheDataRelativeSpeedAreSlowPoints) {
  // The ghost of the first test. Data spread over [-3, 3]; the threshold is slow_q_relative times
  // the median of q = f^2 / 2 over the data (computed here independently), at most slow_q_max. Runs cut short after one
  // LM iteration (max_iter = 1: no run can pass the stationarity test) end near the ghost with
  // q ~ mu^2 / 2, far below the threshold, or far away (x = 2.5, q ~ 1) above it; only the first
  // count as slow runs, merged into one slow point, and every start is accounted for.
  const double w = 2.0, mu = 1e-4;
  const double xc = std::atanh(std::sqrt(1.0 - 1.0 / w));
  const double b = xc - w * std::tanh(xc) - mu;
  Matrix W(1, 1);
  W << w;
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1), W,
                  Vector::Constant(1, b));
  const int n_data = 201;
  std::vector<double> q;
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.data.resize(n_data, 1);
  for (int i = 0; i < n_data; ++i) {
    const double x = -3.0 + 6.0 * i / (n_data - 1);
    o.starts.data(i, 0) = x;
    const double f = -x + w * std::tanh(x) + b;
    q.push_back(0.5 * f * f);
  }
  std::nth_element(q.begin(), q.begin() + n_data / 2, q.end());
  const double median = q[n_data / 2];
  o.starts.initial_states.resize(3, 1);
  o.starts.initial_states << xc + 0.01, xc - 0.01, 2.5;
  o.numeric.max_iter = 1;
  o.numeric.slow_q_max = 1.0;  // above the relative threshold (1e-2 x median ~ 1e-3): that one decides
  o.numeric.deflation = false;
  o.numeric.saddle_starts = false;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  const NumericFixedPointResult& n = *res.numeric;
  EXPECT_TRUE(testing::near(n.data_median_q, median, 0.0, 1e-12));
  EXPECT_TRUE(testing::near(n.slow_q_threshold, 1e-2 * median, 0.0, 1e-12)) << median;
  EXPECT_EQ(n.n_slow_runs, 2);
  EXPECT_EQ(n.n_failed_runs, 1);
  EXPECT_EQ(n.n_fixed_runs, 0);
  ASSERT_EQ(n.slow_points.size(), 1u);
  EXPECT_EQ(n.slow_points[0].n_starts, 2);
  EXPECT_LE(std::abs(n.slow_points[0].x(0) - xc), 0.01);
  // Without the data-relative rule such runs are not slow points (they did not reach a minimum).
  o.numeric.slow_q_relative = 0.0;
  const FixedPointResult strict = find_fixed_points(model, o);
  EXPECT_EQ(strict.numeric->n_slow_runs, 0);
  EXPECT_EQ(strict.numeric->n_failed_runs, 3);
  EXPECT_TRUE(strict.numeric->slow_points.empty());
}

TEST(SlowPoints, MemoryTimeOfAMapIsCountedInSteps) {
  // The map h' = tanh(w h + b): G(h) = tanh(w h + b) - h has G' = 0 where sech^2(u_c) = 1 / w,
  // u_c = w h_c + b = atanh(sqrt(1 - 1/w)); b is set so that G(h_c) = tanh(u_c) - h_c = -mu.
  // Near h_c, G ~ -(mu + a y^2) with a = w sqrt(1 - 1/w), and for small mu the orbit moves by G
  // per step, so it leaves |y| <= r after ~ atan(r sqrt(a / mu)) / sqrt(a mu) steps (the
  // continuous passage time; stated tolerance 3 %, the step discretisation and cubic term).
  const double w = 2.0, mu = 1e-4, r = 0.2;
  const double uc = std::atanh(std::sqrt(1.0 - 1.0 / w));
  const double b = uc - w * (std::tanh(uc) + mu);
  const double hc = (uc - b) / w, a = w * std::sqrt(1.0 - 1.0 / w);
  Matrix W(1, 1);
  W << w;
  RnnModel model(Activation(ActivationKind::Tanh), W, Vector::Constant(1, b));
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.box_lo = Vector::Constant(1, -1.0);
  o.starts.box_hi = Vector::Constant(1, 1.0);
  o.numeric.memory_radius = r;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  ASSERT_EQ(res.numeric->slow_points.size(), 1u);
  const NumericPoint& s = res.numeric->slow_points[0];
  EXPECT_TRUE(testing::near(s.x(0), hc, 1e-7));
  EXPECT_TRUE(testing::near(s.speed, mu, 0.0, 1e-6));
  const double T = std::atan(r * std::sqrt(a / mu)) / std::sqrt(a * mu);  // ~129 steps
  EXPECT_EQ(s.memory_time, std::round(s.memory_time));                    // whole steps
  EXPECT_TRUE(testing::near(s.memory_time, T, 0.0, 0.03)) << "T = " << T;
}

TEST(SlowPoints, MemoryTimesAreSimulatedForTheSlowestPointsOnly) {
  // Two uncoupled units of the first test with mu_1 = 1e-4 and mu_2 = 3e-4: q = (f_1^2 + f_2^2) / 2
  // has its local minima at the products of each unit's two (the stable zero s_i, the ghost g_i):
  // one fixed point (s_1, s_2) and three slow points, q(g_1, s_2) = mu_1^2 / 2 the slowest, then
  // mu_2^2 / 2 and (mu_1^2 + mu_2^2) / 2. With memory_time_points = 1 only (g_1, s_2) is simulated;
  // its orbit keeps x_2 at s_2, so its memory time is the 1-D passage time of the first test.
  const double w = 2.0, r = 0.2;
  const double xc = std::atanh(std::sqrt(1.0 - 1.0 / w));
  const double bc = xc - w * std::tanh(xc);
  const double a = std::sqrt(1.0 - 1.0 / w);
  const double mu[2] = {1e-4, 3e-4};
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(2),
                  Matrix(w * Matrix::Identity(2, 2)), Vector{{bc - mu[0], bc - mu[1]}});
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.box_lo = Vector::Constant(2, -3.0);
  o.starts.box_hi = Vector::Constant(2, 3.0);
  o.numeric.memory_radius = r;
  o.numeric.memory_time_points = 1;
  o.numeric.slow_stability_points = 1;  // the same choice for the linearization
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  const NumericFixedPointResult& n = *res.numeric;
  ASSERT_EQ(n.slow_points.size(), 3u);
  EXPECT_EQ(n.n_memory_times, 1);
  EXPECT_EQ(n.n_slow_linearized, 1);
  for (const NumericPoint& s : n.slow_points) {
    EXPECT_EQ(s.memory_radius, r);  // filled for every slow point
    const bool slowest = std::abs(s.x(0) - xc) < 1e-3 && s.x(1) < -1.0;
    EXPECT_TRUE(testing::near(s.speed, std::sqrt(2.0 * s.q), 0.0, 1e-12));
    EXPECT_EQ(s.linearized, slowest) << s.x.transpose();
    EXPECT_EQ(std::isfinite(s.sigma_min), slowest);
    // Linearized: DR = diag(f_1'(g_1), f_2'(s_2)), f_1' = 0 where |f_1| is least (the ghost's
    // slow direction) and f_2'(s_2) < 0.
    if (slowest) {
      ASSERT_EQ(s.eigen.eigenvalues.size(), 2);
      const double lo = std::min(std::abs(s.eigen.eigenvalues(0)), std::abs(s.eigen.eigenvalues(1)));
      EXPECT_LT(lo, 1e-3);
    }
    if (slowest) {
      EXPECT_TRUE(testing::near(s.speed, mu[0], 0.0, 1e-6));
      const double T = std::atan(r * std::sqrt(a / mu[0])) / std::sqrt(a * mu[0]);
      EXPECT_TRUE(testing::near(s.memory_time, T, 0.0, 0.01)) << "T = " << T;
    } else {
      EXPECT_EQ(s.memory_time, -1.0) << s.x.transpose();
    }
  }
  o.numeric.memory_time_points = -1;  // all
  o.numeric.slow_stability_points = -1;
  const FixedPointResult all = find_fixed_points(model, o);
  EXPECT_EQ(all.numeric->n_memory_times, 3);
  EXPECT_EQ(all.numeric->n_slow_linearized, 3);
  for (const NumericPoint& s : all.numeric->slow_points) {
    EXPECT_GT(s.memory_time, 0.0);
    EXPECT_TRUE(s.linearized);
  }
}

}  // namespace
}  // namespace rnndyn
