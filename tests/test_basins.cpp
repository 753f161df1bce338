// Basins of attraction against closed forms (issue 29): seed 000's bounded line attractor
// perturbed to three fixed points splits a symmetric box in half along the saddle's stable
// manifold x1 = x2; a contracting linear map sends every start to its one point; a stable 2-cycle
// no fixed point holds is found by recurrence; a 3-bit flip-flop GRU has 8 basins joined by
// saddles as the edges of a cube.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

#include "rnndyn/basins/basins.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

// dx/dt = -x + relu(W' x + 1), W' = [[0, -1], [-1, 0]] + 0.1 [[1, -2], [-2, 1]] (seed 000, eq. 9).
// Fixed points: the saddle x1 = x2 = 1 / 2.1 (eigenvalues -2.1 along (1, 1), +0.3 along
// (1, -1)) and the stable nodes (1 / 0.9, 0) and (0, 1 / 0.9) (unit 2's input 1 - 1.2 / 0.9 < 0).
// The flow commutes with swapping x1 and x2, so the diagonal is invariant: it is the saddle's
// stable manifold and the boundary between the two basins.
RateModel three_point_line_attractor() {
  Matrix W(2, 2);
  W << 0.1, -1.2, -1.2, 0.1;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
}

int attractor_at(const BasinsResult& r, const Vector& x) {
  for (size_t a = 0; a < r.attractors.size(); ++a)
    if ((r.attractors[a].x - x).norm() < 1e-8) return static_cast<int>(a);
  return -1;
}

}  // namespace

TEST(Basins, PerturbedBoundedLineAttractorSplitsTheBoxInHalf) {
  BasinsOptions o;
  o.starts.count = 400;
  o.starts.box_lo = Vector::Constant(1, 0.0);
  o.starts.box_hi = Vector::Constant(1, 2.0);
  o.map_resolution = 10;
  const BasinsResult r = basins(three_point_line_attractor(), o);
  ASSERT_EQ(r.fixed_points.size(), 3u);
  ASSERT_EQ(r.attractors.size(), 2u);
  EXPECT_EQ(r.status, BasinsStatus::Complete);
  const int right = attractor_at(r, Eigen::Vector2d(1 / 0.9, 0)), up = attractor_at(r, Eigen::Vector2d(0, 1 / 0.9));
  ASSERT_GE(right, 0);
  ASSERT_GE(up, 0);
  for (const BasinAttractor& a : r.attractors) {
    EXPECT_LE(a.ci_low, 0.5);  // 50/50 within the Wilson interval
    EXPECT_GE(a.ci_high, 0.5);
  }
  EXPECT_EQ(r.attractors[0].count + r.attractors[1].count, 400);
  // The boundary is the diagonal: every start below it goes right, every start above it up.
  for (Index i = 0; i < r.starts.rows(); ++i)
    EXPECT_EQ(r.labels[static_cast<size_t>(i)], r.starts(i, 0) > r.starts(i, 1) ? right : up) << r.starts.row(i);
  // The saddle: one unstable direction (1, -1) / sqrt 2 with eigenvalue 0.3, its branches reach both nodes.
  ASSERT_EQ(r.saddles.size(), 1u);
  EXPECT_TRUE(near(r.saddles[0].x, Eigen::Vector2d(1 / 2.1, 1 / 2.1), 1e-10));
  EXPECT_TRUE(near(r.saddles[0].eigenvalue, 0.3, 1e-10));
  EXPECT_TRUE(near(std::abs(r.saddles[0].direction(0) - r.saddles[0].direction(1)), std::sqrt(2.0), 1e-10));
  ASSERT_EQ(r.graph.size(), 1u);
  EXPECT_EQ(std::set<int>({r.saddles[0].plus, r.saddles[0].minus}), std::set<int>({right, up}));
  // The basin map: every cell off the diagonal by its side. (Cells centred on the diagonal sit
  // on the stable manifold; rounding takes them off it after ~ log(1e16) / 0.3 time units, to
  // either side.)
  ASSERT_TRUE(r.has_map);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j)
      if (i != j) {
        EXPECT_EQ(r.map.labels[static_cast<size_t>(i * 10 + j)], j > i ? right : up) << i << " " << j;
      }
}

TEST(Basins, ContractingLinearMapSendsEveryStartToItsPoint) {
  // z' = A z + h, A = diag(0.5, -0.3): the one fixed point z* = (I - A)^-1 h = (2, 1 / 1.3).
  Matrix A(2, 2);
  A << 0.5, 0, 0, -0.3;
  const Plrnn map(TimeKind::Map, A, Matrix::Zero(2, 2), Vector::Zero(2), Vector::Ones(2));
  BasinsOptions o;
  o.starts.count = 200;
  o.starts.box_lo = Vector::Constant(1, -50.0);
  o.starts.box_hi = Vector::Constant(1, 50.0);
  const BasinsResult r = basins(map, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  EXPECT_TRUE(near(r.attractors[0].x, Eigen::Vector2d(2, 1 / 1.3), 1e-12));
  EXPECT_EQ(r.attractors[0].count, 200);
  EXPECT_EQ(r.attractors[0].fraction, 1.0);
  EXPECT_EQ(r.status, BasinsStatus::Complete);
  EXPECT_TRUE(std::all_of(r.labels.begin(), r.labels.end(), [](int l) { return l == 0; }));
  EXPECT_TRUE(r.saddles.empty());
}

TEST(Basins, StableTwoCycleIsFoundByRecurrence) {
  // z' = -2 z + 1.75 relu(z) - 1: slopes -2 (z < 0) and -0.25 (z > 0); the one fixed point -1/3
  // is unstable, the 2-cycle {-1.5, 2} has multiplier (-2)(-0.25) = 0.5 and attracts.
  const Plrnn map(TimeKind::Map, Matrix::Constant(1, 1, -2.0), Matrix::Constant(1, 1, 1.75), Vector::Zero(1),
                  Vector::Constant(1, -1.0));
  BasinsOptions o;
  o.starts.count = 100;
  o.starts.box_lo = Vector::Constant(1, -3.0);
  o.starts.box_hi = Vector::Constant(1, 3.0);
  o.max_time = 200;
  const BasinsResult r = basins(map, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  const BasinAttractor& c = r.attractors[0];
  EXPECT_EQ(c.kind, "cycle");
  EXPECT_EQ(c.found_by, "recurrence");
  EXPECT_EQ(c.period, 2);
  std::array<double, 2> pts{c.points(0, 0), c.points(0, 1)};
  std::sort(pts.begin(), pts.end());
  EXPECT_TRUE(near(pts[0], -1.5, 1e-6));
  EXPECT_TRUE(near(pts[1], 2.0, 1e-6));
  EXPECT_TRUE(near(c.lyapunov, 0.5 * std::log(0.5), 1e-3));  // per step: log|multiplier| / 2
  EXPECT_EQ(c.count, 100);
}

TEST(Basins, StableTwoCycleOfTheExactSearchHoldsEveryStart) {
  // The same map with cycle_periods = 2: the exact k-cycle search gives the 2-cycle first, and
  // every start enters the ball of one of its points; its exponent is log(0.5) / 2 exactly.
  const Plrnn map(TimeKind::Map, Matrix::Constant(1, 1, -2.0), Matrix::Constant(1, 1, 1.75), Vector::Zero(1),
                  Vector::Constant(1, -1.0));
  BasinsOptions o;
  o.starts.count = 100;
  o.starts.box_lo = Vector::Constant(1, -3.0);
  o.starts.box_hi = Vector::Constant(1, 3.0);
  o.cycle_periods = 3;
  const BasinsResult r = basins(map, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  const BasinAttractor& c = r.attractors[0];
  EXPECT_EQ(c.kind, "cycle");
  EXPECT_EQ(c.found_by, "search");
  EXPECT_EQ(c.period, 2);
  EXPECT_TRUE(near(c.lyapunov, 0.5 * std::log(0.5), 1e-12));
  EXPECT_EQ(c.count, 100);
  EXPECT_EQ(r.status, BasinsStatus::Complete);
  BasinsOptions flow;
  flow.cycle_periods = 2;
  try {
    basins(three_point_line_attractor(), flow);
    ADD_FAILURE() << "a flow has no k-cycles";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "cycle_periods");
  }
}

TEST(Basins, FlipFlopGruHasEightBasinsJoinedAsACube) {
  const auto model = load_model(std::string(RNNDYN_SOURCE_DIR) + "/examples/gru_flipflop.json");
  BasinsOptions o;
  o.starts.count = 200;
  const BasinsResult r = basins(*model, o);
  ASSERT_EQ(r.attractors.size(), 8u);
  EXPECT_EQ(r.n_settled, 200);
  EXPECT_EQ(r.saddles.size(), 12u);
  ASSERT_EQ(r.graph.size(), 12u);
  // The saddle graph is the cube's edge graph: some numbering of the 8 attractors by 3 bits makes
  // every edge join two memories that differ in one bit.
  std::array<int, 8> bits{};
  std::iota(bits.begin(), bits.end(), 0);
  bool cube = false;
  do {
    cube = std::all_of(r.graph.begin(), r.graph.end(), [&](const BasinEdge& e) {
      const int d = bits[static_cast<size_t>(e.a)] ^ bits[static_cast<size_t>(e.b)];
      return d == 1 || d == 2 || d == 4;
    });
  } while (!cube && std::next_permutation(bits.begin(), bits.end()));
  EXPECT_TRUE(cube);
}

TEST(Basins, OptionsNameTheField) {
  const RateModel m = three_point_line_attractor();
  const auto field_of = [&](const BasinsOptions& o) {
    try {
      basins(m, o);
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("none");
  };
  BasinsOptions o;
  o.ball_fraction = 0.7;
  EXPECT_EQ(field_of(o), "ball_fraction");
  o = {};
  o.starts.count = 0;
  EXPECT_EQ(field_of(o), "starts.count");
  o = {};
  o.max_time = -1;
  EXPECT_EQ(field_of(o), "max_time");
  o = {};
  o.confidence = 1;
  EXPECT_EQ(field_of(o), "confidence");
  const Plrnn three(TimeKind::Map, Matrix::Identity(3, 3) * 0.5, Matrix::Zero(3, 3), Vector::Zero(3), Vector::Ones(3));
  BasinsOptions map3;
  map3.map_resolution = 4;
  EXPECT_THROW(basins(three, map3), InputError);
}

TEST(Basins, JsonCarriesSharesLabelsAndGraph) {
  BasinsOptions o;
  o.starts.count = 50;
  o.starts.box_lo = Vector::Constant(1, 0.0);
  o.starts.box_hi = Vector::Constant(1, 2.0);
  const nlohmann::json j = to_json(basins(three_point_line_attractor(), o));
  EXPECT_EQ(j["status"], "complete");
  EXPECT_EQ(j["attractors"].size(), 2u);
  EXPECT_EQ(j["labels"].size(), 50u);
  EXPECT_EQ(j["graph"].size(), 1u);
  EXPECT_EQ(j["unsettled"]["count"], 0);
  EXPECT_EQ(j["options"]["starts"]["count"], 50);
  EXPECT_TRUE(j.contains("elapsed_seconds"));
}

TEST(Basins, LimitCycleOfAFlowIsFoundByRecurrence) {
  // Seed 002's E-I network past its Hopf bifurcation: the focus is unstable and every start
  // winds onto one limit cycle, whose return time is the period find_limit_cycle measures.
  const auto model = load_model(std::string(RNNDYN_SOURCE_DIR) + "/examples/ei_network_limit_cycle.json");
  BasinsOptions o;
  o.starts.count = 12;
  o.starts.box_lo = Vector::Constant(1, 0.0);
  o.starts.box_hi = Vector::Constant(1, 60.0);
  const BasinsResult r = basins(*model, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  const BasinAttractor& c = r.attractors[0];
  EXPECT_EQ(c.kind, "cycle");
  EXPECT_EQ(c.count, 12);
  EXPECT_LT(std::abs(c.lyapunov), 0.01);
  const LimitCycle lc = find_limit_cycle(*model, LimitCycleOptions{});
  EXPECT_TRUE(near(c.period_time, lc.period, 2.0 * o.check_interval)) << c.period_time << " vs " << lc.period;
}

TEST(Basins, BoundedLineAttractorHoldsEveryStartAsOneContinuum) {
  // Seed 000 unperturbed: the segment x1 + x2 = 1, x >= 0, of fixed points attracts the box
  // (transverse eigenvalue -2); orbits come to rest at different points of it, all one attractor.
  Matrix W(2, 2);
  W << 0, -1, -1, 0;
  const RateModel m(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
  BasinsOptions o;
  o.starts.count = 50;
  o.starts.box_lo = Vector::Constant(1, 0.0);
  o.starts.box_hi = Vector::Constant(1, 2.0);
  o.max_time = 50;
  const BasinsResult r = basins(m, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  EXPECT_EQ(r.attractors[0].kind, "continuum");
  EXPECT_EQ(r.attractors[0].count, 50);
  EXPECT_EQ(r.status, BasinsStatus::Complete);
}

TEST(Basins, ChaoticTentMapIsAnUnknownSetWithItsLyapunovExponent) {
  // z' = 1.9 z - 3.8 relu(z - 1/2): the tent map of slope 1.9, chaotic on [F(F(1/2)), F(1/2)] =
  // [0.095, 0.95] with Lyapunov exponent log 1.9; both fixed points (0 and 1.9 / 2.9) are unstable.
  const Plrnn tent(TimeKind::Map, Matrix::Constant(1, 1, 1.9), Matrix::Constant(1, 1, -3.8), Vector::Constant(1, 0.5),
                   Vector::Zero(1));
  BasinsOptions o;
  o.starts.count = 40;
  o.starts.box_lo = Vector::Constant(1, 0.1);
  o.starts.box_hi = Vector::Constant(1, 0.9);
  o.max_time = 300;
  const BasinsResult r = basins(tent, o);
  ASSERT_EQ(r.attractors.size(), 1u);
  const BasinAttractor& a = r.attractors[0];
  EXPECT_EQ(a.kind, "unknown");
  EXPECT_EQ(a.count, 40);
  EXPECT_TRUE(near(a.lyapunov, std::log(1.9), 0.05)) << a.lyapunov;
  EXPECT_GE(a.points.minCoeff(), 0.095 - 1e-9);
  EXPECT_LE(a.points.maxCoeff(), 0.95 + 1e-9);
}
