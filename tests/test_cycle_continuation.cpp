// Limit-cycle continuation against independent references:
// - the seed-002 E-I network (piecewise linear, non-smooth Hopf at tau_I = 40 ms): period and
//   min/max of each rate at several tau_I along the branch against a plain simulation at that
//   tau_I (zero crossings of x_E - mean and sampled extrema after a long transient), 1e-3 relative;
// - a smooth Hopf, dx/dt = -x + g W tanh(x) with W = [[1, -1], [1, 1]]: at g = 1 + mu the linear
//   part is mu I + g R (R a rotation by 90 degrees) and averaging the cubic term -g/3 W x^3 over a
//   circle of radius r gives dr/dt = mu r - (g/4) r^3, so r^2 = 4 mu / g: the branch's r^2 fitted
//   by a mu + b mu^2 has a = 4 (1 %); the nontrivial multiplier is exp(-2 mu T) to leading order.
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

RateModel ei_network(double tau_I) {
  Matrix M(2, 2);
  M << 1.25, -1.0, 1.0, 0.0;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Eigen::Vector2d(10, tau_I), M,
                   Eigen::Vector2d(10, -10));
}

RateModel tanh_hopf() {
  Matrix W(2, 2);
  W << 1, -1, 1, 1;
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Eigen::Vector2d(1, 1), W,
                   Eigen::Vector2d(0, 0), Matrix(), Vector(), 0.9);
}

/// Period (mean time between upward crossings of x_0 through its mid level, linearly
/// interpolated) and range of each unit, from a plain simulation after a transient.
struct Measured {
  double period = 0;
  Vector lo, hi;
};

Measured measure_by_simulation(const Model& model, const Vector& x0, double transient, double window, double dt) {
  SimulateOptions so;
  so.t_end = transient;
  so.dt = transient;
  so.abs_tol = so.rel_tol = 1e-11;
  const Trajectory warm = simulate(model, x0, so);
  so.t_end = window;
  so.dt = dt;
  const Trajectory tr = simulate(model, Vector(warm.x.col(warm.x.cols() - 1)), so);
  Measured m;
  m.lo = tr.x.rowwise().minCoeff();
  m.hi = tr.x.rowwise().maxCoeff();
  const double level = 0.5 * (m.lo(0) + m.hi(0));
  std::vector<double> up;
  for (Index k = 1; k < tr.x.cols(); ++k) {
    const double a = tr.x(0, k - 1) - level, b = tr.x(0, k) - level;
    if (a < 0 && b >= 0) up.push_back(tr.t[k - 1] + dt * a / (a - b));
  }
  if (up.size() >= 2) m.period = (up.back() - up.front()) / static_cast<double>(up.size() - 1);
  return m;
}

LimitCycleContinuationOptions options(const std::string& param, double from, double to) {
  LimitCycleContinuationOptions o;
  o.parameter = param;
  o.from = from;
  o.to = to;
  return o;
}

}  // namespace

TEST(CycleContinuation, EINetworkBranchMatchesSimulation) {
  const RateModel model = ei_network(30);
  const LimitCycleContinuationResult r = continue_limit_cycles(model, options("tau[1]", 20, 60));
  ASSERT_EQ(r.hopf_points.size(), 1u);
  EXPECT_TRUE(near(r.hopf_points[0], 40.0, 1e-6));
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.source, "hopf");
  EXPECT_EQ(b.status, CycleBranchStatus::Reached);
  ASSERT_GE(b.points.size(), 4u);
  EXPECT_NEAR(b.points.front().p, 42.0, 1e-9);  // p_H + 0.05 (to - from)
  EXPECT_NEAR(b.points.back().p, 60.0, 1e-12);
  for (const CyclePoint& pt : b.points) {
    EXPECT_TRUE(pt.stable) << "p = " << pt.p;
    EXPECT_LT(pt.trivial_multiplier_error, 1e-5) << "p = " << pt.p;
  }
  // A finite amplitude at once (non-smooth Hopf): v_E spans tens of Hz just past 40 ms.
  EXPECT_GT(b.points.front().x_max(0) - b.points.front().x_min(0), 10.0);
  const std::size_t n = b.points.size();
  for (std::size_t k : {std::size_t{0}, n / 3, 2 * n / 3, n - 1}) {
    const CyclePoint& pt = b.points[k];
    const RateModel at = ei_network(pt.p);
    const Measured m = measure_by_simulation(at, Eigen::Vector2d(30, 10), 30000, 10 * pt.period, 0.005);
    EXPECT_TRUE(near(pt.period, m.period, 0, 1e-3)) << "tau_I = " << pt.p;
    EXPECT_TRUE(near(pt.x_min, m.lo, 1e-3 * m.hi.maxCoeff(), 1e-3)) << "tau_I = " << pt.p;
    EXPECT_TRUE(near(pt.x_max, m.hi, 0, 1e-3)) << "tau_I = " << pt.p;
  }
}

TEST(CycleContinuation, SmoothHopfFollowsTheSquareRootLaw) {
  LimitCycleContinuationOptions o = options("g", 0.9, 1.2);
  o.max_step = 0.02;
  const LimitCycleContinuationResult r = continue_limit_cycles(tanh_hopf(), o);
  ASSERT_EQ(r.hopf_points.size(), 1u);
  EXPECT_TRUE(near(r.hopf_points[0], 1.0, 1e-6));
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::Reached);
  // Least squares r^2 = a mu + b mu^2 over the points with mu <= 0.1.
  Eigen::MatrixXd A(0, 2);
  Vector y(0);
  for (const CyclePoint& pt : b.points) {
    const double mu = pt.p - 1, radius = 0.5 * (pt.x_max(0) - pt.x_min(0));
    EXPECT_TRUE(pt.stable);  // supercritical
    if (mu > 0.1) continue;
    A.conservativeResize(A.rows() + 1, 2);
    y.conservativeResize(y.size() + 1);
    A.row(A.rows() - 1) << mu, mu * mu;
    y(y.size() - 1) = radius * radius;
  }
  ASSERT_GE(A.rows(), 4);
  const Vector coef = A.colPivHouseholderQr().solve(y);
  EXPECT_TRUE(near(coef(0), 4.0, 0, 1e-2)) << "a = " << coef(0);
  // Near the Hopf point: period 2 pi / g and the radial multiplier exp(-2 mu T).
  const CyclePoint& first = b.points.front();
  const double mu = first.p - 1;
  EXPECT_TRUE(near(first.period, 2 * M_PI / first.p, 0, 5 * mu));
  const double radial = std::abs(first.floquet_multipliers(1));
  EXPECT_TRUE(near(std::log(radial) / first.period, -2 * mu, 0, 0.1));
}

TEST(CycleContinuation, HopfStartOnTheSideOfFromWhenNoCycleLiesTowardsTo) {
  // Continued downwards from 60 ms, no cycle lies at 40 - 0.05 * 59 ms (a stable focus): the
  // start is taken at 40 + 0.05 * 59 ms instead, and the branch ends at the Hopf point.
  const LimitCycleContinuationResult r = continue_limit_cycles(ei_network(60), options("tau[1]", 60, 1));
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].source, "hopf");
  EXPECT_NEAR(r.branches[0].points.front().p, 40 + 0.05 * 59, 1e-9);
  EXPECT_EQ(r.branches[0].status, CycleBranchStatus::Collapsed);
  EXPECT_TRUE(r.message.empty());
}

TEST(CycleContinuation, NoCycleIsReportedNotSilent) {
  // 20..35 ms holds no Hopf point and the focus is stable: the model's x0 leads to no cycle.
  RateModel model = ei_network(30);
  LimitCycleContinuationResult r = continue_limit_cycles(model, options("tau[1]", 20, 35));
  EXPECT_TRUE(r.branches.empty());
  EXPECT_FALSE(r.message.empty());
  model.set_initial_state(Eigen::Vector2d(30, 10));
  r = continue_limit_cycles(model, options("tau[1]", 20, 35));
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].status, CycleBranchStatus::StartNotFound);
  EXPECT_EQ(r.branches[0].source, "initial_state");
  EXPECT_EQ(r.branches[0].start_status, "fixed_point");  // settled after the transient
  EXPECT_TRUE(r.branches[0].points.empty());
  EXPECT_FALSE(r.message.empty());
  EXPECT_EQ(to_json(r)["branches"][0]["status"], "start_not_found");
}

TEST(CycleContinuation, GivenStartAndOptionErrors) {
  LimitCycleContinuationOptions o = options("tau[1]", 50, 55);
  o.start = Eigen::Vector2d(30, 10);
  const LimitCycleContinuationResult r = continue_limit_cycles(ei_network(50), o);
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].source, "start");
  EXPECT_EQ(r.branches[0].status, CycleBranchStatus::Reached);
  EXPECT_NEAR(r.branches[0].points.front().p, 50.0, 1e-12);
  o.start = Eigen::Vector3d(1, 2, 3);
  EXPECT_THROW(continue_limit_cycles(ei_network(50), o), InputError);
  o = options("tau[7]", 50, 55);
  EXPECT_THROW(continue_limit_cycles(ei_network(50), o), InputError);
  o = options("tau[1]", 50, 55);
  o.search.transient = -1;
  try {
    continue_limit_cycles(ei_network(50), o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "search.transient");
  }
}

TEST(CycleContinuation, EIBranchFollowedDownEndsOnTheCentreFamilyAtTauI40) {
  // At tau_I = 40 ms the linear region is a centre: the branch comes down to p = 40, runs along
  // the family of cycles there (isochronous inside the region: T = 2 pi / sqrt(0.075 / 40)) and
  // ends on the fixed point.
  LimitCycleContinuationOptions o = options("tau[1]", 42, 20);
  o.start = Eigen::Vector2d(30, 10);
  const LimitCycleContinuationResult r = continue_limit_cycles(ei_network(42), o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::Collapsed);
  ASSERT_EQ(r.bifurcations.size(), 1u) << to_json(r)["bifurcations"].dump();
  EXPECT_EQ(r.bifurcations[0].type, CycleBifurcationType::Hopf);
  EXPECT_TRUE(near(r.bifurcations[0].p, 40.0, 1e-6));
  EXPECT_TRUE(near(b.points.back().period, 2 * M_PI / std::sqrt(0.075 / 40), 0, 1e-6));
}

TEST(CycleContinuation, SmoothHopfBranchFollowedDownEndsAtTheHopfPoint) {
  LimitCycleContinuationOptions o = options("g", 1.2, 0.9);
  o.start = Eigen::Vector2d(0.5, 0);
  const LimitCycleContinuationResult r = continue_limit_cycles(tanh_hopf(), o);
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].status, CycleBranchStatus::Collapsed);
  ASSERT_EQ(r.bifurcations.size(), 1u) << to_json(r)["bifurcations"].dump();
  EXPECT_EQ(r.bifurcations[0].type, CycleBifurcationType::Hopf);
  EXPECT_TRUE(near(r.bifurcations[0].p, 1.0, 1e-4));  // range^2 ~ g - 1 extrapolated to 0
}

TEST(CycleContinuation, EIFoldOfCyclesInMIIAgainstSimulation) {
  // tau_I = 50 ms, M_II continued from 0 downwards: the stable cycle folds with an unstable one
  // between M_II = -0.2874 and -0.2873 (a plain simulation from (62, 31) reaches the large cycle
  // at -0.2873, the fixed point at -0.2874), and the unstable cycle ends on the centre family at
  // M_II = -0.25, where tr J = 0.025 + (M_II - 1) / 50 vanishes: a subcritical non-smooth Hopf.
  LimitCycleContinuationOptions o = options("W[1,1]", 0, -2);
  o.start = Eigen::Vector2d(30, 10);
  const RateModel model = ei_network(50);
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::Collapsed);
  ASSERT_EQ(r.bifurcations.size(), 2u) << to_json(r)["bifurcations"].dump();
  const CycleBifurcation& fold = r.bifurcations[0];
  EXPECT_EQ(fold.type, CycleBifurcationType::Fold);
  EXPECT_GT(fold.p, -0.2874);  // located by bisection along the step: -0.2873948
  EXPECT_LT(fold.p, -0.2873);
  EXPECT_EQ(r.bifurcations[1].type, CycleBifurcationType::Hopf);
  EXPECT_TRUE(near(r.bifurcations[1].p, -0.25, 1e-6));
  // Stable up to the fold, unstable after it (until the centre family at -0.25).
  const std::size_t k = static_cast<std::size_t>(fold.point_index);
  EXPECT_TRUE(b.points[k].stable);
  EXPECT_FALSE(b.points[k + 1].stable);
  // The simulations that bracket the fold (slow: the cycle's multiplier nears 1 at the fold).
  auto at = model.clone();
  LimitCycleOptions slow;
  slow.x0 = Eigen::Vector2d(62, 31);
  slow.transient = 60000;
  slow.max_time = 100000;
  for (const auto& [m_ii, large] : {std::pair{-0.2873, true}, std::pair{-0.2874, false}}) {
    at->set_parameter("W[1,1]", m_ii);
    const LimitCycle sim = find_limit_cycle(*at, slow);
    EXPECT_EQ(sim.status == LimitCycleStatus::Found && sim.x_max(0) > 50, large) << "M_II = " << m_ii;
  }
  // The stable point before the fold is the cycle a simulation finds there.
  at->set_parameter("W[1,1]", b.points[k].p);
  LimitCycleOptions lo;
  lo.x0 = Eigen::Vector2d(62, 31);
  lo.transient = 20000;
  const LimitCycle c = find_limit_cycle(*at, lo);
  ASSERT_EQ(c.status, LimitCycleStatus::Found);
  EXPECT_TRUE(near(c.period, b.points[k].period, 0, 1e-6));
  EXPECT_TRUE(near(c.x_max, b.points[k].x_max, 0, 1e-5));
}

TEST(CycleContinuation, ATimeConstantGoingToZeroEndsAtTheEdgeOfItsDomain) {
  // The tanh oscillator of units 0 and 1 (W = [[1.2, -3], [3, 1.2]]: the origin an unstable focus,
  // a limit cycle bounded by the saturation) beside a unit 2 that nothing drives: tau_2 dx_2/dt =
  // -x_2, so x_2 = 0 on the cycle and the cycle (period, shape) does not depend on tau_2. The
  // branch in tau_2 from 1 towards -1 therefore runs straight at the edge tau_2 = 0: predictions
  // below 0 are refused, and below p = h the corrector's central difference in p (h = fd_step
  // max(1, |p|) = 1e-2 here) reaches past 0, so the steps shrink to min_step and the branch ends
  // with status domain_boundary just above p = h (it ended "cycle_lost" there before the fix; with
  // the default fd_step 1e-6 it gets to p = 1e-6, in about a minute, as tau_2 makes the flow stiff).
  // The seed-002 E-I cycle continued in tau_E towards 0 instead grows without bound (status
  // unbounded): its relu units do not saturate. Reference for the period: a plain simulation
  // (upward crossings, 1e-3 relative).
  Matrix W = Matrix::Zero(3, 3);
  W.topLeftCorner(2, 2) << 1.2, -3, 3, 1.2;
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Eigen::Vector3d(1, 1, 1), W,
                        Eigen::Vector3d::Zero());
  LimitCycleContinuationOptions o = options("tau[2]", 1, -1);
  o.start = Eigen::Vector3d(1, 0, 0);
  o.fd_step = 1e-2;
  const LimitCycleContinuationResult r = continue_limit_cycles(model, o);
  ASSERT_EQ(r.branches.size(), 1u);
  const CycleBranch& b = r.branches[0];
  EXPECT_EQ(b.status, CycleBranchStatus::DomainBoundary) << to_string(b.status) << " at p = " << b.points.back().p;
  EXPECT_EQ(to_json(r)["branches"][0]["status"], "domain_boundary");
  ASSERT_GE(b.points.size(), 3u);
  EXPECT_GE(b.points.back().p, 0.5 * o.fd_step);
  EXPECT_LE(b.points.back().p, 2 * o.fd_step);
  const Measured sim = measure_by_simulation(model, Eigen::Vector3d(1, 0, 0), 100, 50, 1e-3);
  for (const CyclePoint& pt : b.points) {
    EXPECT_NEAR(pt.period, sim.period, 1e-3 * sim.period) << "p = " << pt.p;
    EXPECT_NEAR(pt.x_max(2), 0.0, 1e-12);
    EXPECT_NEAR(pt.x_min(2), 0.0, 1e-12);
  }
  // Control: towards tau_2 = 0.5 the same branch reaches its end.
  o.to = 0.5;
  EXPECT_EQ(continue_limit_cycles(model, o).branches[0].status, CycleBranchStatus::Reached);
}
