// Memories found from simulation (issue 33): places where orbits from the data dwell, checked on
// flows whose fixed points and ghost passage times are known in closed form.
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/memories.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

RateModel tanh_unit(double w, double b) {
  Matrix W(1, 1);
  W << w;
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1), W,
                   Vector::Constant(1, b));
}

/// n rows evenly spaced on [lo, hi].
Matrix line_data(int n, double lo, double hi) {
  Matrix d(n, 1);
  for (int i = 0; i < n; ++i) d(i, 0) = lo + (hi - lo) * i / (n - 1);
  return d;
}

// dx/dt = -x + 2 tanh(x): stable fixed points at +-x*, x* = 2 tanh(x*) (solved here by the
// contraction x <- 2 tanh(x) from 2), unstable at 0. Orbits from all 200 data states, evenly on
// [-3, 3] (none is 0; with 201 one would be, and the orbit resting on the unstable point would be a
// third memory), end at +-x*: two memories, at the stable points, 100 orbits each.
TEST(Memories, BistableUnitHasItsTwoStablePointsAsMemories) {
  double xs = 2.0;
  for (int i = 0; i < 200; ++i) xs = 2.0 * std::tanh(xs);
  const RateModel model = tanh_unit(2.0, 0.0);
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.data = line_data(200, -3.0, 3.0);
  o.numeric.memories.orbits = 1000;  // every data state
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  const MemoryCensus& c = res.numeric->memory_census;
  EXPECT_EQ(c.orbits, 200);
  EXPECT_DOUBLE_EQ(c.speed_threshold, std::sqrt(2.0 * res.numeric->slow_q_threshold));
  ASSERT_EQ(c.memories.size(), 2u);
  for (const Memory& m : c.memories) {
    EXPECT_TRUE(testing::near(std::abs(m.x(0)), xs, 1e-9)) << m.x(0);
    EXPECT_EQ(m.n_orbits, 100);
    ASSERT_GE(m.fixed_point, 0);
    EXPECT_EQ(res.numeric->fixed_points[static_cast<size_t>(m.fixed_point)].stability.n_unstable, 0);
    // Each orbit reaches its point within ~20 time units of 500 and stays: share ~ 1/2.
    EXPECT_GT(m.share, 0.45);
    EXPECT_LE(m.share, 0.5);
  }
  EXPECT_LT(c.memories[0].x(0) * c.memories[1].x(0), 0.0);
}

// The ghost of a saddle-node (tests/test_slow_points.cpp): dx/dt = -x + w tanh(x) + b_c - mu,
// w = 2. Near x_c, f ~ -(mu + a y^2), y = x - x_c, a = sqrt(1 - 1/w). Every orbit from above x_c
// passes the ghost and ends at the one fixed point (x ~ -1.9). A sample is slow while
// |f| <= v*, i.e. |y| <= Y = sqrt((v* - mu) / a), and belongs to the ghost's place while also
// |y| <= r: such an orbit stays 2 atan(Y' sqrt(a / mu)) / sqrt(a mu), Y' = min(Y, r), there (the
// normal form's passage time). The ghost is a memory that is no fixed point.
TEST(Memories, GhostOfASaddleNodeIsAMemoryWithItsPassageTime) {
  const double w = 2.0, mu = 1e-4, r = 0.2;
  const double xc = std::atanh(std::sqrt(1.0 - 1.0 / w));
  const double a = std::sqrt(1.0 - 1.0 / w);
  const RateModel model = tanh_unit(w, xc - w * std::tanh(xc) - mu);
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.data = line_data(201, -3.0, 3.0);
  o.numeric.memories.radius = r;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  const MemoryCensus& c = res.numeric->memory_census;
  ASSERT_EQ(c.memories.size(), 2u);
  const Memory* ghost = nullptr;
  const Memory* stable = nullptr;
  for (const Memory& m : c.memories) (m.fixed_point >= 0 ? stable : ghost) = &m;
  ASSERT_NE(ghost, nullptr);
  ASSERT_NE(stable, nullptr);
  EXPECT_NEAR(ghost->x(0), xc, 1e-3);  // sampled every time unit at speed ~ mu
  EXPECT_NEAR(ghost->speed, mu, 1e-6);
  const double Y = std::min(std::sqrt((c.speed_threshold - mu) / a), r);
  const double passage = 2.0 * std::atan(Y * std::sqrt(a / mu)) / std::sqrt(a * mu);
  // Orbits from above x_c + Y pass it whole; the few that start inside the band pass part of it
  // (hence the lower bound 0.9), and the quadratic normal form is good to ~1 % at y <= 0.2.
  EXPECT_GT(ghost->mean_visit, 0.9 * passage) << "passage " << passage;
  EXPECT_LT(ghost->mean_visit, 1.02 * passage) << "passage " << passage;
  EXPECT_NEAR(stable->x(0), res.numeric->fixed_points[static_cast<size_t>(stable->fixed_point)].x(0), 1e-6);
}

TEST(Memories, NoDataNoCensusAndBadOptionsNameTheirField) {
  const RateModel model = tanh_unit(2.0, 0.0);
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  EXPECT_EQ(res.numeric->memory_census.orbits, 0);
  EXPECT_TRUE(res.numeric->memory_census.memories.empty());
  MemoryOptions bad;
  bad.steps = 0;
  try {
    find_memories(model, line_data(5, -1.0, 1.0), 0.1, bad);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("memories.steps"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rnndyn
