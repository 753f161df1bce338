// Slow points as memories (issue 33): a ghost just past a saddle-node, whose position, speed and
// memory time are known in closed form.
#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace rnndyn
