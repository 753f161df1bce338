// k-cycles of piecewise-linear maps in continuation and grid scans (issue 14), against closed
// forms of scalar maps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/shallow_plrnn.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

// f(x) = h + a x + w1 relu(x) - relu(x - 1): slopes s_L = a (x < 0), s_M = a + w1 (0 < x < 1),
// s_R = a + w1 - 1 (x > 1, where the offset is h + 1).
ShallowPlrnn two_kink_map(double a, double w1, double h) {
  Matrix A(1, 1), W1(1, 2), W2(2, 1);
  A << a;
  W1 << w1, -1.0;
  W2 << 1.0, 1.0;
  return ShallowPlrnn(TimeKind::Map, A, W1, W2, Vector::Constant(1, h), Eigen::Vector2d(0.0, -1.0));
}

// The 2-cycle x_L < 0 < x_2 of f with the left piece and the piece (slope s, offset h + o) of x_2:
// x_2 = h + a x_L and x_L = h + o + s x_2, so x_L = (h (1 + s) + o) / (1 - a s), x_2 = h + a x_L;
// its multiplier is a s.
struct TwoCycle {
  double lo, hi, multiplier;
};
TwoCycle two_cycle(double a, double s, double o, double h) {
  const double xl = (h * (1.0 + s) + o) / (1.0 - a * s);
  return {xl, h + a * xl, a * s};
}

// a = 0.5, w1 = -2 (s_M = -1.5, s_R = -2.5), h from 0.2 to 2. In (L, M): x_L = -2h/7, x_M = 6h/7,
// multiplier -0.75; x_M reaches the second kink x = 1 at h* = 7/6 (x_L = -1/3). Past it the
// cycle is (L, R): x_L = (1 - 1.5 h) / 2.25 < 0, x_R = (3h + 1) / 4.5 > 1, multiplier -1.25: the
// branch crosses the border (no fold) and loses stability there, without a multiplier crossing
// -1 inside a region (so no period doubling is reported). At h = 0.2 the (L, M) cycle is the only
// 2-cycle ((L, R) and (M, R) give points on the wrong sides; one-region pairs only fixed points).
TEST(MapCycleContinuation, ScalarTwoCycleCrossesABorderAsItsClosedForm) {
  const ShallowPlrnn model = two_kink_map(0.5, -2.0, 0.2);
  LimitCycleContinuationOptions o;
  o.parameter = "h1[0]";
  o.from = 0.2;
  o.to = 2.0;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::Reached);
  EXPECT_EQ(b.source, "k_cycle");
  ASSERT_GT(b.points.size(), 50u);
  const double h_star = 7.0 / 6.0;
  int on_border = 0;
  for (const CyclePoint& pt : b.points) {
    ASSERT_EQ(pt.points.size(), 2u);
    const double h = pt.p;
    const TwoCycle c = h <= h_star ? two_cycle(0.5, -1.5, 0.0, h) : two_cycle(0.5, -2.5, 1.0, h);
    const double lo = std::min(pt.points[0](0), pt.points[1](0)), hi = std::max(pt.points[0](0), pt.points[1](0));
    EXPECT_TRUE(testing::near(lo, c.lo, 1e-10)) << "h = " << h;
    EXPECT_TRUE(testing::near(hi, c.hi, 1e-10)) << "h = " << h;
    EXPECT_TRUE(testing::near(pt.residual, 0.0, 1e-12)) << "h = " << h;
    EXPECT_EQ(pt.period, 2.0);
    ASSERT_EQ(pt.floquet_multipliers.size(), 1);
    // On the border the multipliers are those of the sequence the branch goes on in.
    const double mu = h < h_star - 1e-9 ? -0.75 : (h > h_star + 1e-9 ? -1.25 : pt.floquet_multipliers(0).real());
    EXPECT_TRUE(testing::near(pt.floquet_multipliers(0).real(), mu, 1e-12)) << "h = " << h;
    if (std::abs(h - h_star) > 1e-9) {
      EXPECT_EQ(pt.stable, h < h_star) << "h = " << h;
    }
    on_border += pt.on_border ? 1 : 0;
  }
  EXPECT_EQ(on_border, 1);
  EXPECT_EQ(b.points.back().p, 2.0);
  ASSERT_EQ(r.bifurcations.size(), 1u);
  const CycleBifurcation& bc = r.bifurcations[0];
  EXPECT_EQ(bc.type, CycleBifurcationType::BorderCollision);
  EXPECT_TRUE(testing::near(bc.p, h_star, 1e-10));
  EXPECT_EQ(bc.unit, 1);
  EXPECT_EQ(bc.breakpoint, 0);
  ASSERT_EQ(bc.points.size(), 2u);
  EXPECT_TRUE(testing::near(bc.points[static_cast<size_t>(bc.cycle_point)](0), 1.0, 1e-10));
  EXPECT_TRUE(testing::near(bc.points[static_cast<size_t>(1 - bc.cycle_point)](0), -1.0 / 3.0, 1e-10));
  EXPECT_TRUE(testing::near(bc.multipliers(0).real(), -0.75, 1e-12));
}

// The same map continued in w1 at h = 0.5, a = 0.5: the (L, M) cycle has s_M = 0.5 + w1 and the
// multiplier 0.5 (0.5 + w1), which crosses -1 at w1 = -2.5 (x_L = -1/4, x_M = 1/4 there). On
// [-3, -2] both points stay inside their pieces (x_L in [-1/3, -1/7], x_M in [1/3, 3/7]).
TEST(MapCycleContinuation, PeriodDoublingWhereTheMultiplierCrossesMinusOne) {
  const ShallowPlrnn model = two_kink_map(0.5, -2.0, 0.5);
  LimitCycleContinuationOptions o;
  o.parameter = "W1[0,0]";
  o.from = -2.0;
  o.to = -3.0;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].status, CycleBranchStatus::Reached);
  for (const CyclePoint& pt : r.branches[0].points) {
    const TwoCycle c = two_cycle(0.5, 0.5 + pt.p, 0.0, 0.5);
    EXPECT_TRUE(testing::near(std::min(pt.points[0](0), pt.points[1](0)), c.lo, 1e-10)) << "w1 = " << pt.p;
    EXPECT_TRUE(testing::near(std::max(pt.points[0](0), pt.points[1](0)), c.hi, 1e-10)) << "w1 = " << pt.p;
    EXPECT_TRUE(testing::near(pt.floquet_multipliers(0).real(), c.multiplier, 1e-12)) << "w1 = " << pt.p;
  }
  ASSERT_EQ(r.bifurcations.size(), 1u);
  const CycleBifurcation& pd = r.bifurcations[0];
  EXPECT_EQ(pd.type, CycleBifurcationType::PeriodDoubling);
  EXPECT_TRUE(testing::near(pd.p, -2.5, 1e-10));
  EXPECT_TRUE(testing::near(pd.multipliers(0).real(), -1.0, 1e-10));
  ASSERT_EQ(pd.points.size(), 2u);
  EXPECT_TRUE(testing::near(std::min(pd.points[0](0), pd.points[1](0)), -0.25, 1e-10));
}

// f(x) = h + 0.5 x - 2 relu(x) + 4.5 relu(x - 1): slopes 0.5, -1.5, 3 (offset h - 4.5 for x > 1).
// 2-cycles, from x_2 = h + s_1 x_1 + o_1 and x_1 = h + o_2 + s_2 x_2:
//   (L, M): x_L = -2h/7, x_M = 6h/7, multiplier -0.75, for h < 7/6 (x_M < 1);
//   (L, R): x_L = 9 - 8h, x_R = 4.5 - 3h, multiplier 1.5, for 9/8 < h < 7/6;
//   (M, R): x_M = (4h - 4.5) / 5.5, x_R = (6.75 - 0.5h) / 5.5, multiplier -4.5, for 9/8 < h < 2.5.
// Followed up in h, (L, M) meets (L, R) on the border x = 1 at h = 7/6 (a nonsmooth fold: the
// branch turns back), (L, R) meets (M, R) on the border x = 0 at h = 9/8 (a second one: it turns
// up again), and (M, R) reaches h = 2.
TEST(MapCycleContinuation, TwoNonsmoothFoldsAsTheClosedForms) {
  Matrix A(1, 1), W1(1, 2), W2(2, 1);
  A << 0.5;
  W1 << -2.0, 4.5;
  W2 << 1.0, 1.0;
  const ShallowPlrnn model(TimeKind::Map, A, W1, W2, Vector::Constant(1, 0.2), Eigen::Vector2d(0.0, -1.0));
  LimitCycleContinuationOptions o;
  o.parameter = "h1[0]";
  o.from = 0.2;
  o.to = 2.0;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::Reached);
  // Bifurcations in order: border collision and fold at 7/6, then at 9/8.
  ASSERT_EQ(r.bifurcations.size(), 4u);
  const double h1 = 7.0 / 6.0, h2 = 9.0 / 8.0;
  EXPECT_EQ(r.bifurcations[0].type, CycleBifurcationType::BorderCollision);
  EXPECT_EQ(r.bifurcations[0].unit, 1);
  EXPECT_EQ(r.bifurcations[1].type, CycleBifurcationType::Fold);
  EXPECT_TRUE(r.bifurcations[1].nonsmooth);
  EXPECT_EQ(r.bifurcations[2].type, CycleBifurcationType::BorderCollision);
  EXPECT_EQ(r.bifurcations[2].unit, 0);
  EXPECT_EQ(r.bifurcations[3].type, CycleBifurcationType::Fold);
  for (int i : {0, 1}) EXPECT_TRUE(testing::near(r.bifurcations[static_cast<size_t>(i)].p, h1, 1e-10));
  for (int i : {2, 3}) EXPECT_TRUE(testing::near(r.bifurcations[static_cast<size_t>(i)].p, h2, 1e-10));
  const auto fold1 = static_cast<size_t>(r.bifurcations[1].point_index);
  const auto fold2 = static_cast<size_t>(r.bifurcations[3].point_index);
  ASSERT_LT(fold1, fold2);
  for (size_t i = 0; i < b.points.size(); ++i) {
    const CyclePoint& pt = b.points[i];
    const double h = pt.p;
    double lo = 0, hi = 0, mu = 0;
    if (i <= fold1) {
      lo = -2 * h / 7, hi = 6 * h / 7, mu = -0.75;
    } else if (i <= fold2) {
      lo = 9 - 8 * h, hi = 4.5 - 3 * h, mu = 1.5;
    } else {
      lo = (4 * h - 4.5) / 5.5, hi = (6.75 - 0.5 * h) / 5.5, mu = -4.5;
    }
    EXPECT_TRUE(testing::near(std::min(pt.points[0](0), pt.points[1](0)), lo, 1e-10)) << "point " << i << ", h = " << h;
    EXPECT_TRUE(testing::near(std::max(pt.points[0](0), pt.points[1](0)), hi, 1e-10)) << "point " << i << ", h = " << h;
    // A border point carries the multipliers of the sequence it goes on in.
    if (i != fold1 && i != fold2) {
      EXPECT_TRUE(testing::near(pt.floquet_multipliers(0).real(), mu, 1e-12)) << "point " << i;
    }
    EXPECT_EQ(pt.direction, i < fold1 || i >= fold2 ? 1 : -1) << "point " << i;
  }
}

// x' = h - 2 relu(x) (slopes 0 and -2): the 2-cycle (-h, h) (x_L = h (1 + beta) / (1 - alpha
// beta) with alpha = 0, beta = -2), multiplier 0, shrinks onto the fixed point x = 0 at h = 0,
// where both points reach the kink at once. Followed from h = 1 down, the branch ends there with a
// border collision: the relabelled sequence (R, L) holds the same orbit, so turning back into it
// would retrace the branch, not a nonsmooth fold.
TEST(MapCycleContinuation, CycleCollapsingOntoAFixedPointEndsTheBranch) {
  Matrix A(1, 1), W(1, 1);
  A << 0.0;
  W << -2.0;
  const Plrnn model(TimeKind::Map, A, W, Vector::Zero(1), Vector::Constant(1, 1.0));
  LimitCycleContinuationOptions o;
  o.parameter = "h[0]";
  o.from = 1.0;
  o.to = -1.0;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::BorderCollision);
  EXPECT_TRUE(testing::near(b.points.back().p, 0.0, 1e-10));
  for (const CyclePoint& pt : b.points) {
    EXPECT_TRUE(testing::near(std::min(pt.points[0](0), pt.points[1](0)), -pt.p, 1e-10)) << "h = " << pt.p;
    EXPECT_TRUE(testing::near(std::max(pt.points[0](0), pt.points[1](0)), pt.p, 1e-10)) << "h = " << pt.p;
    EXPECT_EQ(pt.direction, -1);
  }
  ASSERT_FALSE(r.bifurcations.empty());
  for (const CycleBifurcation& bif : r.bifurcations) {
    EXPECT_EQ(bif.type, CycleBifurcationType::BorderCollision);
    EXPECT_TRUE(testing::near(bif.p, 0.0, 1e-10));
  }
}

// Without a cycle at p = from the result says so (and no branch is invented).
TEST(MapCycleContinuation, NoCycleAtTheStartIsReported) {
  const ShallowPlrnn model = two_kink_map(0.5, 0.0, 0.2);  // slopes 0.5, 0.5, -0.5: no 2-cycle
  LimitCycleContinuationOptions o;
  o.parameter = "h1[0]";
  o.from = 0.2;
  o.to = 1.0;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  EXPECT_TRUE(r.branches.empty());
  EXPECT_NE(r.message.find("no cycle of minimal period 2"), std::string::npos) << r.message;
}

// x' = alpha x + w relu(x) + 1 (alpha = A, beta = alpha + w the right slope). A 2-cycle must
// visit both sides (one affine piece has only its fixed point unless its slope is -1): x_L =
// (1 + beta) / (1 - alpha beta) < 0 < x_R = (1 + alpha) / (1 - alpha beta), multiplier alpha beta.
// The fixed point x = 1 / (1 - beta) > 0 exists for beta < 1 (always here) and is stable for
// |beta| < 1; the left one would need alpha > 1. No grid cell lies on a degenerate line
// (beta = -1, alpha = -1, alpha beta = +-1): checked below.
TEST(ParameterScan, ScalarReluMapTwoCyclesMatchTheirClosedForm) {
  Matrix A(1, 1), W(1, 1);
  A << 0.0;
  W << -1.0;
  const Plrnn model(TimeKind::Map, A, W, Vector::Zero(1), Vector::Constant(1, 1.0));
  ParameterScanOptions o;
  o.parameter_x = "A[0,0]";
  o.x_from = -0.9;
  o.x_to = 0.9;
  o.x_steps = 9;
  o.parameter_y = "W[0,0]";
  o.y_from = -3.0;
  o.y_to = 0.0;
  o.y_steps = 11;
  o.max_period = 2;
  const ParameterScanResult r = scan_parameters(model, o);
  EXPECT_TRUE(r.cycles_counted);
  EXPECT_EQ(r.status, "complete");
  // Periods 2 to 4: the period-2 counts are the same, and every count adds up.
  o.max_period = 4;
  const ParameterScanResult r4 = scan_parameters(model, o);
  int with_cycle = 0, stable_cycle = 0;
  for (size_t i = 0; i < r.cells.size(); ++i) {
    const ScanCell& c = r.cells[i];
    const double alpha = c.x, beta = c.x + c.y, det = 1.0 - alpha * beta;
    ASSERT_GT(std::min({std::abs(1 + beta), std::abs(1 + alpha), std::abs(det), std::abs(1 + alpha * beta)}), 1e-6);
    const bool exists = (1 + beta) / det < 0 && (1 + alpha) / det > 0;
    const bool stable = std::abs(alpha * beta) < 1;
    EXPECT_EQ(c.n_cycles, exists ? 1 : 0) << "alpha = " << alpha << ", beta = " << beta;
    EXPECT_EQ(c.n_stable_cycles, exists && stable ? 1 : 0) << "alpha = " << alpha << ", beta = " << beta;
    EXPECT_EQ(c.n_unstable_cycles, exists && !stable ? 1 : 0) << "alpha = " << alpha << ", beta = " << beta;
    EXPECT_EQ(c.n_fixed_points, 1);
    EXPECT_EQ(c.n_stable, std::abs(beta) < 1 ? 1 : 0) << "beta = " << beta;
    EXPECT_TRUE(c.complete);
    const ScanCell& c4 = r4.cells[i];
    ASSERT_EQ(c4.n_cycles_by_period.size(), 3u);
    EXPECT_EQ(c4.n_cycles_by_period[0], c.n_cycles);
    EXPECT_EQ(c4.n_cycles, c4.n_cycles_by_period[0] + c4.n_cycles_by_period[1] + c4.n_cycles_by_period[2]);
    EXPECT_EQ(c4.n_cycles, c4.n_stable_cycles + c4.n_unstable_cycles + c4.n_marginal_cycles);
    with_cycle += exists ? 1 : 0;
    stable_cycle += exists && stable ? 1 : 0;
  }
  EXPECT_GT(with_cycle, 10);  // both sides of the 2-cycle's region are sampled
  EXPECT_GT(stable_cycle, 3);
  EXPECT_GT(static_cast<int>(r.cells.size()) - with_cycle, 10);
}

TEST(ParameterScan, FlowsGetNoCycleCountsAndSaySo) {
  const RateModel model = testing::ei_network();
  ParameterScanOptions o;
  o.parameter_x = "W[0,0]";
  o.x_from = 1.1;
  o.x_to = 1.6;
  o.x_steps = 2;
  o.parameter_y = "tau[1]";
  o.y_from = 12.0;
  o.y_to = 72.0;
  o.y_steps = 2;
  const ParameterScanResult r = scan_parameters(model, o);
  EXPECT_FALSE(r.cycles_counted);
  EXPECT_NE(r.cycles_note.find("flow"), std::string::npos) << r.cycles_note;
  EXPECT_EQ(r.cells[0].n_cycles, 0);
}

}  // namespace
}  // namespace rnndyn
