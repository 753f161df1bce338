// Fixed-point continuation against hand-derived bifurcation points: smooth folds of a 1-unit
// tanh network, the Hopf point of the seed-002 E-I network, border collisions (smooth and
// nonsmooth fold) of relu units, and Neimark-Sacker / period doubling of linear maps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

Matrix mat(std::initializer_list<std::initializer_list<double>> rows) {
  Matrix m(static_cast<Index>(rows.size()), static_cast<Index>(rows.begin()->size()));
  Index i = 0;
  for (const auto& r : rows) {
    Index j = 0;
    for (double v : r) m(i, j++) = v;
    ++i;
  }
  return m;
}
Vector vec(std::initializer_list<double> v) {
  Vector x(static_cast<Index>(v.size()));
  Index i = 0;
  for (double e : v) x(i++) = e;
  return x;
}

std::vector<Bifurcation> of_type(const ContinuationResult& r, BifurcationType t) {
  std::vector<Bifurcation> out;
  for (const auto& b : r.bifurcations)
    if (b.type == t) out.push_back(b);
  return out;
}

void expect_on_branch(const Model& model, const std::string& param, const Branch& br, double tol) {
  auto m = model.clone();
  for (const BranchPoint& p : br.points) {
    m->set_parameter(param, p.p);
    EXPECT_LT(m->fixed_point_residual(p.x).cwiseAbs().maxCoeff(), tol) << "p = " << p.p;
  }
}

// dx/dt = -x + w tanh(x) + b. Folds where G_x = -1 + w sech^2(x) = 0, i.e. x* = -+acosh(sqrt(w)),
// at b* = x* - w tanh(x*) with tanh(x*) = -+sqrt(1 - 1/w).
TEST(Continuation, SmoothFoldsOfTanhUnit) {
  for (double w : {2.0, 3.5}) {
    RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), vec({1.0}), mat({{w}}), vec({-3.0}));
    ContinuationOptions o;
    o.parameter = "b[0]";
    o.from = -3;
    o.to = 3;
    const ContinuationResult r = continue_fixed_points(model, {vec({-4.0})}, o);
    ASSERT_EQ(r.branches.size(), 1u);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
    expect_on_branch(model, "b[0]", r.branches[0], 1e-9);
    const auto folds = of_type(r, BifurcationType::Fold);
    ASSERT_EQ(folds.size(), 2u) << "w = " << w;
    const double xs = std::acosh(std::sqrt(w));
    const double bs = -xs + w * std::sqrt(1 - 1 / w);  // lower branch turns at b = +b*
    // Bisection to 1e-12 in arclength; near a fold x moves like sqrt(s), so x is good to ~1e-6
    // and p (quadratic in the distance) to ~1e-10.
    EXPECT_TRUE(near(folds[0].p, bs, 1e-9)) << "w = " << w;
    EXPECT_TRUE(near(folds[0].x(0), -xs, 1e-5));
    EXPECT_TRUE(near(folds[1].p, -bs, 1e-9));
    EXPECT_TRUE(near(folds[1].x(0), xs, 1e-5));
    EXPECT_FALSE(folds[0].nonsmooth);
    // The branch ends on the upper (stable) sheet: x solves x = w tanh(x) + 3 with x > x*.
    const BranchPoint& end = r.branches[0].points.back();
    EXPECT_DOUBLE_EQ(end.p, 3.0);
    EXPECT_GT(end.x(0), xs);
    EXPECT_EQ(end.stability.type, StabilityClass::StableNode);
    EXPECT_TRUE(of_type(r, BifurcationType::Hopf).empty());
  }
}

// Seed 002 E-I network, rate form: J = T^{-1}(-I + M) with both units active, trace 0.025 - 1/tau_I,
// det = 0.075 / tau_I: Hopf at tau_I = 40 with omega = sqrt(0.075 / 40).
TEST(Continuation, HopfOfEINetworkAtTauI40) {
  RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), vec({10, 20}), mat({{1.25, -1}, {1, 0}}),
                  vec({10, -10}));
  for (auto [from, to] : {std::pair{20.0, 60.0}, std::pair{60.0, 25.0}}) {
    ContinuationOptions o;
    o.parameter = "tau[1]";
    o.from = from;
    o.to = to;
    const ContinuationResult r = continue_fixed_points(model, {vec({30, 10})}, o);
    ASSERT_EQ(r.branches.size(), 1u);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
    for (const auto& p : r.branches[0].points) EXPECT_TRUE(near(p.x, vec({80.0 / 3, 50.0 / 3}), 1e-9));
    const auto hopf = of_type(r, BifurcationType::Hopf);
    ASSERT_EQ(hopf.size(), 1u);
    EXPECT_TRUE(near(hopf[0].p, 40.0, 1e-8));
    EXPECT_TRUE(near(hopf[0].omega, std::sqrt(0.075 / 40), 1e-10));
    EXPECT_EQ(r.bifurcations.size(), 1u);
    // Stable focus below 40, unstable focus above.
    for (const auto& p : r.branches[0].points) {
      if (p.p < 39.9) {
        EXPECT_EQ(p.stability.type, StabilityClass::StableFocus) << p.p;
      } else if (p.p > 40.1) {
        EXPECT_EQ(p.stability.type, StabilityClass::UnstableFocus) << p.p;
      }
    }
  }
}

// dx/dt = -x + w relu(x - 1) + b: x = b while x <= 1, x = (b - w) / (1 - w) beyond; the branch
// hits the hyperplane x = 1 at b = 1. For w < 1 it crosses; for w > 1 the second piece also
// runs back to b < 1 (x = (w - b) / (w - 1)): a nonsmooth fold at the border.
TEST(Continuation, BorderCollisionOfThresholdRelu) {
  {
    RateModel model(RateModel::Form::Current, Activation(ActivationKind::Relu, 1.0), vec({1}), mat({{0.5}}), vec({0}));
    ContinuationOptions o;
    o.parameter = "b[0]";
    o.from = -1;
    o.to = 3;
    const ContinuationResult r = continue_fixed_points(model, {vec({0.0})}, o);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
    expect_on_branch(model, "b[0]", r.branches[0], 1e-10);
    const auto bc = of_type(r, BifurcationType::BorderCollision);
    ASSERT_EQ(bc.size(), 1u);
    EXPECT_TRUE(near(bc[0].p, 1.0, 1e-10));
    EXPECT_TRUE(near(bc[0].x(0), 1.0, 1e-10));
    EXPECT_EQ(bc[0].unit, 0);
    EXPECT_TRUE(of_type(r, BifurcationType::Fold).empty());
    EXPECT_TRUE(near(r.branches[0].points.back().x(0), (3 - 0.5) / 0.5, 1e-10));
  }
  {
    RateModel model(RateModel::Form::Current, Activation(ActivationKind::Relu, 1.0), vec({1}), mat({{2.0}}), vec({0}));
    ContinuationOptions o;
    o.parameter = "b[0]";
    o.from = -1;
    o.to = 3;
    const ContinuationResult r = continue_fixed_points(model, {vec({0.0})}, o);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::LeftInterval);
    expect_on_branch(model, "b[0]", r.branches[0], 1e-10);
    const auto bc = of_type(r, BifurcationType::BorderCollision);
    const auto folds = of_type(r, BifurcationType::Fold);
    ASSERT_EQ(bc.size(), 1u);
    ASSERT_EQ(folds.size(), 1u);
    EXPECT_TRUE(folds[0].nonsmooth);
    EXPECT_TRUE(near(folds[0].p, 1.0, 1e-10));
    // Back at b = -1 on the upper piece: x = (2 + 1) / (2 - 1) = 3, a saddle-free unstable node.
    const BranchPoint& end = r.branches[0].points.back();
    EXPECT_LT(end.p, -1 + 1e-12);
    EXPECT_TRUE(near(end.x(0), 2 - end.p, 1e-10));
    EXPECT_EQ(end.stability.type, StabilityClass::UnstableNode);
  }
}

// The E-I network with a growing inhibitory drive b[1]. Rate form r = relu(M r + b): with both
// units active the input of each unit equals its rate, (I - M) r = b, so r(b_1) is affine and
// unit i reaches its border when r_i(b_1) = inv(i,0) b_0 + inv(i,1) b_1 = 0. Here unit E goes
// silent first (b_1 = 10), then r = (0, b_1) stays consistent up to b_1 = 50.
TEST(Continuation, BorderCollisionOfEINetworkInDriveMatchesLinearSolve) {
  const Matrix M = mat({{1.25, -1}, {1, 0}});
  RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), vec({10, 30}), M, vec({10, -10}));
  ContinuationOptions o;
  o.parameter = "b[1]";
  o.from = -10;
  o.to = 50;
  const ContinuationResult r = continue_fixed_points(model, {vec({30, 10})}, o);
  const Matrix inv = (Matrix::Identity(2, 2) - M).inverse();
  Index first = -1;
  double b1_star = INFINITY;
  for (Index i = 0; i < 2; ++i) {
    const double b1 = -inv(i, 0) * 10 / inv(i, 1);
    if (b1 > -10 && b1 < b1_star) b1_star = b1, first = i;
  }
  EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
  const auto bc = of_type(r, BifurcationType::BorderCollision);
  ASSERT_EQ(bc.size(), 1u);
  EXPECT_TRUE(near(bc[0].p, b1_star, 1e-9));
  EXPECT_EQ(bc[0].unit, first);
  EXPECT_TRUE(near(r.branches[0].points.back().x, vec({0, 50}), 1e-9));
  expect_on_branch(model, "b[1]", r.branches[0], 1e-9);
}

// The same network with M_EE = 0.5, b_I decreasing from -15: both units on, v_E = (10 - b_I) / 1.5,
// until v_I = v_E + b_I reaches 0 at b_I = -20; below it the inhibitory unit is off and v = (20, 0)
// for every b_I. Beyond the border the branch moves in p alone (x' = 0), and its side of the border
// is decided by the parameter's part of the crossing rate; judged by the state's part alone it read
// as a turn, a spurious non-smooth fold, and the branch went back and forth across -20 (5000 points).
TEST(Continuation, BranchMovingInParameterAloneCrossesTheBorderOnce) {
  RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), vec({10, 30}), mat({{0.5, -1}, {1, 0}}),
                  vec({10, -15}));
  ContinuationOptions o;
  o.parameter = "b[1]";
  o.from = -15;
  o.to = -120;
  const ContinuationResult r = continue_fixed_points(model, {vec({17, 2})}, o);
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
  EXPECT_LT(r.branches[0].points.size(), 100u);
  EXPECT_TRUE(of_type(r, BifurcationType::Fold).empty());
  const auto bc = of_type(r, BifurcationType::BorderCollision);
  ASSERT_EQ(bc.size(), 1u);
  EXPECT_TRUE(near(bc[0].p, -20.0, 1e-9));
  EXPECT_EQ(bc[0].unit, 1);
  EXPECT_TRUE(near(r.branches[0].points.back().x, vec({20, 0}), 1e-9));
  EXPECT_TRUE(near(r.branches[0].points.back().p, -120.0, 1e-9));
  expect_on_branch(model, "b[1]", r.branches[0], 1e-9);
}

// Linear maps as plrnn (W = 0): x' = A x + h, multipliers eig(A).
TEST(Continuation, NeimarkSackerAndPeriodDoublingOfMaps) {
  {
    // A = [[a, -0.5], [0.5, 0.8]]: det = 0.8 a + 0.25 = 1 at a = 0.9375 while complex;
    // there cos(arg lambda) = trace / 2 = (a + 0.8) / 2.
    Plrnn model(TimeKind::Map, mat({{0.5, -0.5}, {0.5, 0.8}}), Matrix::Zero(2, 2), Vector::Zero(2), vec({1, 0}));
    ContinuationOptions o;
    o.parameter = "A[0,0]";
    o.from = 0.5;
    o.to = 1.0;
    const ContinuationResult r = continue_fixed_points(model, {Vector::Zero(2)}, o);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::Reached);
    const auto ns = of_type(r, BifurcationType::NeimarkSacker);
    ASSERT_EQ(ns.size(), 1u);
    EXPECT_TRUE(near(ns[0].p, 0.9375, 1e-9));
    EXPECT_TRUE(near(ns[0].omega, std::acos((0.9375 + 0.8) / 2), 1e-8));
  }
  {
    Plrnn model(TimeKind::Map, mat({{-0.5}}), Matrix::Zero(1, 1), Vector::Zero(1), vec({1}));
    ContinuationOptions o;
    o.parameter = "A[0,0]";
    o.from = -0.5;
    o.to = -1.5;
    const ContinuationResult r = continue_fixed_points(model, {Vector::Zero(1)}, o);
    const auto pd = of_type(r, BifurcationType::PeriodDoubling);
    ASSERT_EQ(pd.size(), 1u);
    EXPECT_TRUE(near(pd[0].p, -1.0, 1e-9));
    EXPECT_TRUE(near(pd[0].x(0), 0.5, 1e-9));  // x = h / (1 - a)
  }
  {
    // x = 1 / (1 - a) escapes to infinity as a -> 1.
    Plrnn model(TimeKind::Map, mat({{0.5}}), Matrix::Zero(1, 1), Vector::Zero(1), vec({1}));
    ContinuationOptions o;
    o.parameter = "A[0,0]";
    o.from = 0.5;
    o.to = 1.5;
    const ContinuationResult r = continue_fixed_points(model, {Vector::Zero(1)}, o);
    EXPECT_EQ(r.branches[0].status, ContinuationStatus::Unbounded);
    const BranchPoint& last = r.branches[0].points.back();
    EXPECT_LT(last.p, 1.0);
    EXPECT_TRUE(near(last.x(0), 1 / (1 - last.p), 0.0, 1e-6));
  }
}

TEST(Continuation, BadInputNamesTheField) {
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), vec({1.0}), mat({{2.0}}), vec({0.0}));
  ContinuationOptions o;
  o.parameter = "nope";
  o.from = 0;
  o.to = 1;
  EXPECT_THROW(continue_fixed_points(model, {vec({0.0})}, o), InputError);
  o.parameter = "b[0]";
  EXPECT_THROW(continue_fixed_points(model, {vec({0.0, 1.0})}, o), InputError);
  o.to = 0;
  try {
    continue_fixed_points(model, {vec({0.0})}, o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "to");
  }
}

// The E-I network's fixed point (80/3, 50/3) does not depend on tau_I, but tau_I = 0 is outside
// the model: continuing towards -1 must end at the edge of the domain (status domain_boundary,
// every point with tau_I > 0), not "reached" with tau_I < 0. Starting outside is an error.
TEST(Continuation, TimeConstantStopsAtTheEdgeOfItsDomain) {
  RateModel model(RateModel::Form::Rate, Activation(ActivationKind::Relu), vec({10, 20}), mat({{1.25, -1}, {1, 0}}),
                  vec({10, -10}));
  ContinuationOptions o;
  o.parameter = "tau[1]";
  o.from = 1;
  o.to = -1;
  const ContinuationResult r = continue_fixed_points(model, {vec({30, 10})}, o);
  ASSERT_EQ(r.branches.size(), 1u);
  EXPECT_EQ(r.branches[0].status, ContinuationStatus::DomainBoundary) << to_string(r.branches[0].status);
  ASSERT_GE(r.branches[0].points.size(), 2u);
  for (const auto& p : r.branches[0].points) {
    EXPECT_GT(p.p, 0.0);
    EXPECT_TRUE(near(p.x, vec({80.0 / 3, 50.0 / 3}), 1e-9));
  }
  // It got close to the edge: the last point's tau_I is small compared to the start's 1.
  EXPECT_LT(r.branches[0].points.back().p, 0.05);
  o.from = -1;
  o.to = 1;
  try {
    continue_fixed_points(model, {vec({30, 10})}, o);
    FAIL() << "a start at tau[1] = -1 was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "from");
    EXPECT_NE(std::string(e.what()).find("domain"), std::string::npos) << e.what();
  }
}

}  // namespace

// Default starts (issue 14): one branch from every fixed point at p = from, whether or not the
// model has an x0; dx/dt = -x + 2 tanh(x) + b at b = 0 has x in {0, +-r}, r = 2 tanh(r).
TEST(Continuation, DefaultStartsAreEveryFixedPointWithOrWithoutX0) {
  double lo = 1.0, hi = 2.0;
  for (int k = 0; k < 100; ++k) (2 * std::tanh(0.5 * (lo + hi)) > 0.5 * (lo + hi) ? lo : hi) = 0.5 * (lo + hi);
  RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), vec({1}), mat({{2}}), vec({0}));
  ContinuationOptions o;
  o.parameter = "b[0]";
  o.from = 0;
  o.to = 0.1;
  for (bool with_x0 : {false, true}) {
    if (with_x0) model.set_initial_state(vec({1.5}));  // converges to +r: no branch of its own
    const ContinuationResult r = continue_fixed_points(model, o);
    EXPECT_EQ(r.start_source, "fixed_points");
    ASSERT_EQ(r.branches.size(), 3u) << "with x0: " << with_x0;
    std::vector<double> starts;
    for (const Branch& b : r.branches) {
      EXPECT_EQ(b.status, ContinuationStatus::Reached);
      starts.push_back(b.points.front().x(0));
    }
    std::sort(starts.begin(), starts.end());
    EXPECT_TRUE(near(starts[0], -lo, 1e-9) && near(starts[1], 0.0, 1e-9) && near(starts[2], lo, 1e-9));
  }
}
