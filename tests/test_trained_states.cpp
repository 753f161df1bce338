// Issue 19: trained reservoirs start where training put them; numeric fixed points near singular
// Jacobians (Newton acceptance, error balls, conditioning); Lyapunov spectra sorted with their
// unresolved neighbours. Every expectation is a closed form or an independent computation.
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/zero_refinement.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/reservoir/reservoir.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

// ---- zero refinement: closed forms ---------------------------------------------------------

TEST(ZeroRefinement, DoubleRootNewtonStepIsHalfTheDistance) {
  // R(x) = (x - 1)^2: a double root, DR = 2 (x - 1) -> 0 there. From x = 1 + d the Newton step is
  // -d / 2 exactly, so each step halves the distance, and the error estimate (twice the step at
  // the point returned) is the distance itself: the factor m = 2 of a double root.
  const ResidualAndJacobian R = [](const Vector& x, Vector& r, Matrix& J) {
    r = Vector::Constant(1, (x(0) - 1.0) * (x(0) - 1.0));
    J = Matrix::Constant(1, 1, 2.0 * (x(0) - 1.0));
  };
  const Vector x0 = Vector::Constant(1, 1.0 + 1e-3);
  Vector r;
  Matrix J;
  R(x0, r, J);
  ZeroRefinementOptions o;
  o.max_steps = 5;
  const ZeroRefinement z = refine_zero(R, x0, r, J, o);
  EXPECT_EQ(z.steps, 5);
  const double d = z.x(0) - 1.0;
  EXPECT_TRUE(near(d, 1e-3 / 32.0, 1e-15));  // halved five times (rounding of x near 1: 1e-16)
  EXPECT_TRUE(near(z.step, d / 2.0, 1e-15));
  EXPECT_TRUE(near(z.error, d, 1e-15));
  // From the other side, the two end points' error balls meet at the root: one zero.
  const Vector y0 = Vector::Constant(1, 1.0 - 3e-4);
  R(y0, r, J);
  const ZeroRefinement w = refine_zero(R, y0, r, J, o);
  EXPECT_TRUE(same_zero(z.x, z.error, w.x, w.error, 0.0));
}

TEST(ZeroRefinement, SimpleRootConvergesAndContinuumTangentIsDropped) {
  // R(x, y) = (x^2 - 4, 0): every (2, y) is a zero (a continuum along y). DR = [[2x, 0], [0, 0]]
  // is singular; the pseudo-inverse drops the zero singular value, so y is left alone and x
  // converges quadratically to 2.
  const ResidualAndJacobian R = [](const Vector& x, Vector& r, Matrix& J) {
    r = Eigen::Vector2d(x(0) * x(0) - 4.0, 0.0);
    J = Matrix::Zero(2, 2);
    J(0, 0) = 2.0 * x(0);
  };
  const Vector x0 = Eigen::Vector2d(2.1, 0.7);
  Vector r;
  Matrix J;
  R(x0, r, J);
  const ZeroRefinement z = refine_zero(R, x0, r, J);
  EXPECT_TRUE(near(z.x, Eigen::Vector2d(2.0, 0.7), 1e-15));
  EXPECT_LE(z.error, 1e-15);
  const Conditioning c = conditioning_of(J);
  EXPECT_TRUE(near(c.sigma_max, 4.2, 1e-14));
  EXPECT_EQ(c.sigma_min, 0.0);
  EXPECT_TRUE(std::isinf(c.condition));
}

TEST(ZeroRefinement, SameZeroByToleranceOrOverlappingBalls) {
  const Vector a = Eigen::Vector2d(0.0, 0.0), b = Eigen::Vector2d(0.0, 3e-4);
  EXPECT_FALSE(same_zero(a, 1e-4, b, 1e-4, 1e-6));  // 3e-4 apart, balls of 1e-4: two points
  EXPECT_TRUE(same_zero(a, 2e-4, b, 1e-4, 1e-6));   // balls touch
  EXPECT_TRUE(same_zero(a, NAN, b, 0.0, 1e-3));     // within the dedup tolerance
}

// ---- the numeric finder at a near-singular zero ---------------------------------------------

/// dx/dt = -x + M x with M = diag(0, 1 - delta): R(x, y) = (-x, -delta y), one zero at the origin,
/// sigma_min(DR) = delta. ||R|| <= 1.4e-8 (q <= 1e-16) holds for |y| <= 1.4e-8 / delta.
LinearModel near_singular_flow(double delta) {
  Matrix M = Matrix::Zero(2, 2);
  M(1, 1) = 1.0 - delta;
  return LinearModel(1.0, M, Vector::Zero(2));
}

TEST(NumericConditioning, NearSingularZeroIsOnePointAtTheOrigin) {
  // delta = 1e-9: LM reaches q <= q_tol anywhere along y (|y| <= 14) and the refinement moves the
  // point to the zero. delta = 1e-6: LM's gradient test |J^T R| = delta^2 |y| <= 1e-10 stops it
  // first with q > q_tol (it was reported as slow points, not as the zero); the refinement of the
  // stalled run reaches the zero too.
  for (const double delta : {1e-9, 1e-6}) {
    const LinearModel model = near_singular_flow(delta);
    FixedPointOptions o;
    o.method = FixedPointMethod::Numeric;
    o.starts.count = 16;
    const FixedPointResult r = find_fixed_points(model, o);
    ASSERT_EQ(r.numeric->fixed_points.size(), 1u) << delta;
    EXPECT_TRUE(r.numeric->slow_points.empty()) << delta;
    const NumericPoint& p = r.numeric->fixed_points[0];
    // The zero is the origin; Newton on a linear R lands there in one step (to rounding).
    EXPECT_LE(p.x.norm(), 1e-12) << delta;
    EXPECT_LE(p.error, 1e-12) << delta;
    // Conditioning of DR = diag(-1, -delta), computed independently (delta = 1 - (1 - delta)
    // in floating point: relative rounding 1e-16 / delta).
    EXPECT_TRUE(near(p.sigma_min, delta, 0.0, 1e-6)) << delta;
    EXPECT_TRUE(near(p.sigma_max, 1.0, 1e-12)) << delta;
    EXPECT_TRUE(near(p.condition, 1.0 / delta, 0.0, 1e-6)) << delta;
  }
}

TEST(NumericConditioning, QAloneAcceptsScatteredPointsThatErrorBallsMerge) {
  // Without refinement and with no limit on the step, acceptance is by q alone: the LM iterates
  // stop wherever ||R|| first reaches rounding level, scattered along y (0.11 and 0.024 apart
  // from the origin for this seed; the dedup tolerance 1e-6 would keep both). Their error
  // estimates 2 |DR^+ R| = 2 |y| (the problem is linear, so the Newton step is exactly -y) make
  // the balls overlap: one point, whose error covers its distance from the zero.
  const LinearModel model = near_singular_flow(1e-9);
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.count = 16;
  o.numeric.newton_steps = 0;
  o.numeric.newton_tol = 1e300;
  // LM's damped steps scatter; the dogleg's Newton step on this linear R lands on the zero at once.
  o.numeric.solver = NumericSolver::LevenbergMarquardt;
  const FixedPointResult loose = find_fixed_points(model, o);
  ASSERT_EQ(loose.numeric->fixed_points.size(), 1u);
  const NumericPoint& p = loose.numeric->fixed_points[0];
  EXPECT_GT(p.x.norm(), 1e-3);                              // not located ...
  EXPECT_TRUE(near(p.error, 2.0 * p.x.norm(), 0.0, 1e-6));  // ... and it says so
  // The default acceptance (error <= 1e-6 max(1, |x|)) without refinement keeps no such run.
  o.numeric.newton_tol = NumericFixedPointOptions{}.newton_tol;
  const FixedPointResult strict = find_fixed_points(model, o);
  for (const NumericPoint& q : strict.numeric->fixed_points) EXPECT_LE(q.x.norm(), 1e-6);
}

// ---- trained reservoirs ---------------------------------------------------------------------

std::unique_ptr<Model> trained_reservoir(int N, double g, int seed) {
  return model_from_json_text(R"({"model": "reservoir", "N": )" + std::to_string(N) + R"(, "g": )" + std::to_string(g) +
                              R"(, "seed": )" + std::to_string(seed) +
                              R"(, "feedback": "uniform", "targets": [1.0, -1.0]})");
}

TEST(TrainedReservoir, KnowsItsTrainedStatesAndStartsAtTheFirst) {
  const auto model = trained_reservoir(120, 0.5, 3);
  ASSERT_EQ(model->trained_states().size(), 2u);
  EXPECT_EQ(model->trained_states()[0].level, 1.0);
  EXPECT_EQ(model->trained_states()[1].level, -1.0);
  for (const TrainedState& s : model->trained_states()) {
    // A trained state is a closed-loop fixed point that reads out its level (seed eqs. 1, 3).
    EXPECT_LE(model->rhs(s.x).lpNorm<Eigen::Infinity>(), 1e-9);
    EXPECT_TRUE(near(model->output_of(s.x)(0), s.level, 1e-9));
  }
  ASSERT_TRUE(model->initial_state().has_value());
  EXPECT_EQ(*model->initial_state(), model->trained_states()[0].x);
  // simulate, lyapunov and linearize start there by default.
  SimulateOptions so;
  so.t_end = 1.0;
  EXPECT_EQ(Vector(simulate(*model, so).x.col(0)), model->trained_states()[0].x);
  LyapunovOptions lo;
  lo.warmup = 0;
  lo.t_total = 5;
  lo.blocks = 2;
  EXPECT_EQ(lyapunov_spectrum(*model, lo).x0, model->trained_states()[0].x);
  EXPECT_EQ(linearize(*model).x, model->trained_states()[0].x);
  // A model file's own x0 wins.
  const auto with_x0 =
      model_from_json_text(R"({"model": "reservoir", "N": 3, "g": 0.5, "seed": 1, "targets": [1.0], "x0": [0, 0, 0]})");
  EXPECT_EQ(*with_x0->initial_state(), Vector::Zero(3));
}

TEST(TrainedReservoir, FixedPointSearchStartsAtTrainedStatesAndLabelsThem) {
  // Seed 003 Fig. 1A at a test size: tanh, g = 1.5 (the origin is unstable and its Jacobian has
  // eigenvalues near zero), trained to A = 1 and -1.
  const auto model = trained_reservoir(200, 1.5, 2);
  ASSERT_EQ(model->trained_states().size(), 2u);
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.count = 16;
  const FixedPointResult r = find_fixed_points(*model, o);
  EXPECT_EQ(r.starts->n_trained, 2);
  EXPECT_EQ(r.starts->n_starts, 18);
  int origins = 0;
  std::vector<int> levels(2, 0);
  for (const NumericPoint& p : r.numeric->fixed_points) {
    EXPECT_LE(p.error, 1e-6 * std::max(1.0, p.x.norm()));
    if (p.x.norm() <= 1e-6) ++origins;
    if (p.trained_state >= 0) {
      ++levels[static_cast<size_t>(p.trained_state)];
      const TrainedState& s = model->trained_states()[static_cast<size_t>(p.trained_state)];
      EXPECT_EQ(p.trained_level, s.level);
      EXPECT_LE((p.x - s.x).norm(), 1e-8);
    }
  }
  EXPECT_LE(origins, 1);  // never the origin twice (issue 19: seven copies before)
  EXPECT_EQ(levels, std::vector<int>({1, 1}));
}

// ---- Lyapunov spectra: sorted, unresolved neighbours ----------------------------------------

TEST(LyapunovOrder, SortedDescendingWhateverTheQrOrder) {
  // dx/dt = diag(-0.5, -0.1) x from the tangent frame (e1, e2): the diagonal flow never mixes
  // the columns, so QR yields -0.5 for the first and -0.1 for the second, exactly; the result
  // must list -0.1 first. The intervals are points (every interval gives the same log R_jj), far
  // apart: resolved.
  Matrix M = Matrix::Zero(2, 2);
  M(0, 0) = 0.5;
  M(1, 1) = 0.9;
  const LinearModel model(1.0, M, Vector::Zero(2));
  LyapunovOptions o;
  o.x0 = Eigen::Vector2d(1.0, 1.0);
  o.warmup = 0;
  o.t_total = 50;
  o.initial_tangents = Matrix::Identity(2, 2);
  const LyapunovSpectrum s = lyapunov_spectrum(model, o);
  EXPECT_TRUE(near(s.exponents, Eigen::Vector2d(-0.1, -0.5), 1e-8));
  EXPECT_LE(s.ci_low(0), -0.1 + 1e-8);
  EXPECT_GE(s.ci_high(1), -0.5 - 1e-8);
  EXPECT_TRUE(near(s.block_estimates.row(0).transpose(), Vector::Constant(s.block_estimates.cols(), -0.1), 1e-8));
  EXPECT_TRUE(s.unresolved.empty());
}

TEST(LyapunovOrder, ComplexPairIsNotResolved) {
  // dx/dt = A x, A = [[-0.1, 1], [-1, -0.1]] (eigenvalues -0.1 +- i) beside -0.5: A is normal, so
  // the 2x2 block's frame only rotates and both of its exponents are -0.1 in every interval:
  // their intervals coincide (not resolved); -0.5 is resolved from them.
  Matrix M = Matrix::Zero(3, 3);
  M << 0.9, 1.0, 0.0, -1.0, 0.9, 0.0, 0.0, 0.0, 0.5;
  const LinearModel model(1.0, M, Vector::Zero(3));
  LyapunovOptions o;
  o.x0 = Vector::Ones(3);
  o.warmup = 0;
  o.t_total = 200;
  o.initial_tangents = Matrix::Identity(3, 3);
  const LyapunovSpectrum s = lyapunov_spectrum(model, o);
  EXPECT_TRUE(near(s.exponents, Eigen::Vector3d(-0.1, -0.1, -0.5), 1e-6));
  EXPECT_EQ(s.unresolved, std::vector<Index>({0}));
}

TEST(LyapunovOrder, DefaultCountIsCappedForLargeModels) {
  // k = 0: every exponent up to dim kDefaultLyapunovExponents, that many beyond.
  const LinearModel small(1.0, Matrix::Zero(3, 3), Vector::Zero(3));
  const LinearModel large(1.0, Matrix::Zero(40, 40), Vector::Zero(40));
  LyapunovOptions o;
  o.warmup = 0;
  o.t_total = 4;
  o.blocks = 2;
  EXPECT_EQ(lyapunov_spectrum(small, o).exponents.size(), 3);
  EXPECT_EQ(lyapunov_spectrum(large, o).exponents.size(), kDefaultLyapunovExponents);
  o.k = 40;
  EXPECT_EQ(lyapunov_spectrum(large, o).exponents.size(), 40);
}

}  // namespace
