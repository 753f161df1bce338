// Hopf curves in a parameter plane (issue 14), against closed forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

// Seed 002's E-I network with M_EE = w: inside the region where both units are on, J =
// diag(1/tau)(W - I) has trace (w - 1) / 10 - 1 / tau_I and det (2 - w) / (10 tau_I), so the Hopf
// curve is tau_I = 10 / (w - 1) with omega^2 = det = (2 - w) (w - 1) / 100 (tests/test_parameter_scan.cpp).
/// The E-I plane (M_EE, tau_I) in [1.1, 1.8] x [10, 90], from (1.25, 30).
HopfCurveOptions ei_plane() {
  HopfCurveOptions o;
  o.parameter_x = "W[0,0]";
  o.x_from = 1.1;
  o.x_to = 1.8;
  o.parameter_y = "tau[1]";
  o.y_from = 10.0;
  o.y_to = 90.0;
  o.start_x = 1.25;
  o.start_y = 30.0;
  return o;
}

TEST(HopfCurve, EiNetworkFollowsTheClosedFormCurve) {
  const RateModel model = testing::ei_network();
  HopfCurveOptions o = ei_plane();
  o.x0 = Eigen::Vector2d(30.0, 10.0);
  const HopfCurveResult r = continue_hopf_curve(model, o);
  ASSERT_GE(r.points.size(), 20u);
  EXPECT_EQ(r.status, "complete") << r.end_forward << " " << r.end_backward;
  for (const HopfCurvePoint& p : r.points) {
    EXPECT_NEAR(p.py, 10.0 / (p.px - 1.0), 1e-7 * p.py) << "w = " << p.px;
    EXPECT_NEAR(p.omega, std::sqrt((2.0 - p.px) * (p.px - 1.0)) / 10.0, 1e-8) << "w = " << p.px;
    EXPECT_NEAR(p.x(0), 20.0 / (2.0 - p.px), 1e-8);
  }
  // The curve spans the box: from tau_I = 90 (w = 1.111) down to w = 1.8 (tau_I = 12.5).
  double wmin = 9, wmax = 0;
  for (const auto& p : r.points) wmin = std::min(wmin, p.px), wmax = std::max(wmax, p.px);
  EXPECT_LT(wmin, 1.13);
  EXPECT_GT(wmax, 1.77);
}

// A smooth one: tau dv/dt = -v + M v + h, M = [[a, -1], [1, b]], tau = 2. J = (M - I) / tau has
// trace (a + b - 2) / tau and det ((a - 1)(b - 1) + 1) / tau^2, so the Hopf curve is the line
// a + b = 2 with omega = sqrt(1 - (a - 1)^2) / tau; it leaves the box [0.5, 1.5]^2 at both ends.
TEST(HopfCurve, LinearNetworkHopfLineAndFrequency) {
  Matrix M(2, 2);
  M << 0.8, -1.0, 1.0, 0.6;
  const LinearModel model(2.0, M, Eigen::Vector2d(0.3, -0.1));
  HopfCurveOptions o;
  o.parameter_x = "M[0,0]";
  o.x_from = 0.5;
  o.x_to = 1.5;
  o.parameter_y = "M[1,1]";
  o.y_from = 0.5;
  o.y_to = 1.5;
  o.start_x = 0.8;
  o.start_y = 0.6;
  const HopfCurveResult r = continue_hopf_curve(model, o);
  EXPECT_EQ(r.end_forward, "box");
  EXPECT_EQ(r.end_backward, "box");
  ASSERT_GE(r.points.size(), 10u);
  for (const HopfCurvePoint& p : r.points) {
    EXPECT_NEAR(p.px + p.py, 2.0, 1e-9);
    EXPECT_NEAR(p.omega, std::sqrt(1.0 - (p.px - 1.0) * (p.px - 1.0)) / 2.0, 1e-9);
  }
  const double first = r.points.front().px, last = r.points.back().px;  // it runs to both edges
  EXPECT_LT(std::min(first, last), 0.55);
  EXPECT_GT(std::max(first, last), 1.45);
}

// A map (Neimark-Sacker curve): z' = A z + W relu(z - theta) + h with theta far below the states,
// so every unit is on and J = A + W = [[a, -1], [c, 0.5]] (A = diag(a, 0.5), W = [[0, -1], [c, 0]]).
// The complex pair has |lambda|^2 = det J = a / 2 + c, so |lambda| = 1 on the line c = 1 - a / 2,
// with angle omega = acos(trace / 2) = acos((a + 0.5) / 2) there (trace^2 < 4 on the whole box).
TEST(HopfCurve, MapNeimarkSackerLineAndAngle) {
  Matrix A(2, 2), W(2, 2);
  A << 0.2, 0.0, 0.0, 0.5;
  W << 0.0, -1.0, 0.8, 0.0;
  // h = (0.1, 0.2) + W theta cancels the offset -W theta of the shifted relu at c = 0.8; over the
  // box the offset changes by 1000 (c - 0.8) in its second entry, and z* stays far above theta
  // (had a unit turned off, J and the line below would differ).
  const Eigen::Vector2d theta(-1e3, -1e3);
  const Plrnn model(TimeKind::Map, A, W, theta, Eigen::Vector2d(0.1, 0.2) + W * theta);
  HopfCurveOptions o;
  o.parameter_x = "A[0,0]";
  o.x_from = -0.5;
  o.x_to = 1.0;
  o.parameter_y = "W[1,0]";
  o.y_from = 0.3;
  o.y_to = 1.5;
  o.start_x = 0.2;
  o.start_y = 0.8;
  const HopfCurveResult r = continue_hopf_curve(model, o);
  EXPECT_EQ(r.status, "complete") << r.end_forward << " " << r.end_backward;
  ASSERT_GE(r.points.size(), 10u);
  for (const HopfCurvePoint& p : r.points) {
    EXPECT_NEAR(p.py, 1.0 - 0.5 * p.px, 1e-9) << "a = " << p.px;
    EXPECT_NEAR(p.omega, std::acos((p.px + 0.5) / 2.0), 1e-8) << "a = " << p.px;
  }
  const double first = r.points.front().px, last = r.points.back().px;
  EXPECT_LT(std::min(first, last), -0.45);
  EXPECT_GT(std::max(first, last), 0.95);
}

TEST(HopfCurve, NoHopfPointAlongTheStartLineIsAnError) {
  const RateModel model = testing::ei_network();
  HopfCurveOptions o;
  o.parameter_x = "W[0,0]";
  o.x_from = 1.1;
  o.x_to = 1.8;
  o.parameter_y = "b[0]";  // J does not depend on b where both units are on: tau stays -1/120
  o.y_from = 5.0;
  o.y_to = 15.0;
  o.start_x = 1.25;
  o.start_y = 10.0;
  o.x0 = Eigen::Vector2d(30.0, 10.0);
  try {
    continue_hopf_curve(model, o);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "start_y") << e.what();
  }
}

}  // namespace
}  // namespace rnndyn

namespace rnndyn {
namespace {

// The cusp of dx/dt = -x + w tanh(x) + b: the fixed point x* folds where w sech^2(x*) = 1, at
// b = x* - w tanh(x*), two branches (x* < 0 and > 0) meeting in the cusp (w, b) = (1, 0). The
// fold curve is followed in (x, w, b) through the cusp, from one branch to the other.
/// The fold curve in (w, b) in [0.5, 3] x [-1.5, 1.5] from (2, 0.1), w named `weight`.
HopfCurveOptions cusp_options(const std::string& weight) {
  HopfCurveOptions o;
  o.kind = "fold";
  o.parameter_x = weight;
  o.x_from = 0.5;
  o.x_to = 3.0;
  o.parameter_y = "b[0]";
  o.y_from = -1.5;
  o.y_to = 1.5;
  o.start_x = 2.0;
  o.start_y = 0.1;  // the nearest fold along b: b = 0.5328 (x* = -acosh(sqrt 2))
  return o;
}

TEST(FoldCurve, TanhUnitFollowsTheCuspInClosedForm) {
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1),
                        Matrix::Constant(1, 1, 2.0), Vector::Zero(1));
  const HopfCurveResult r = continue_hopf_curve(model, cusp_options("W[0,0]"));
  EXPECT_EQ(r.kind, "fold");
  EXPECT_EQ(r.status, "complete") << r.end_forward << " " << r.end_backward;
  ASSERT_GE(r.points.size(), 20u);
  int upper = 0, lower = 0;
  for (const HopfCurvePoint& p : r.points) {
    const double w = p.px, b = p.py, x = p.x(0), sech = 1.0 / std::cosh(x);
    EXPECT_NEAR(w * sech * sech, 1.0, 1e-8) << "w = " << w;      // a zero eigenvalue
    EXPECT_NEAR(b, x - w * std::tanh(x), 1e-10) << "w = " << w;  // a fixed point
    EXPECT_GE(w, 1.0 - 1e-9);                                    // folds exist only for w >= 1
    (b > 0.0 ? upper : lower) += 1;
  }
  EXPECT_GE(upper, 5);  // both branches: the curve went through the cusp
  EXPECT_GE(lower, 5);
  // Both ends leave the box at w = 3, b = +-(sqrt(6) - acosh(sqrt(3))) = +-1.3032.
  for (const HopfCurvePoint* p : {&r.points.front(), &r.points.back()}) {
    EXPECT_GT(p->px, 2.8);
    EXPECT_NEAR(std::abs(p->py), std::sqrt(p->px * (p->px - 1.0)) - std::acosh(std::sqrt(p->px)), 1e-8);
  }
}

// The map h' = tanh(w h + b): h = tanh(w h + b) folds where the multiplier w (1 - h^2) is +1,
// i.e. w = 1 / (1 - h^2) and b = atanh(h) - w h: a cusp at (w, b) = (1, 0) again.
TEST(FoldCurve, TanhMapFollowsItsCuspInClosedForm) {
  const RnnModel model(Activation(ActivationKind::Tanh), Matrix::Constant(1, 1, 2.0), Vector::Zero(1));
  const HopfCurveResult r = continue_hopf_curve(model, cusp_options("W_hh[0,0]"));
  EXPECT_EQ(r.status, "complete") << r.end_forward << " " << r.end_backward;
  ASSERT_GE(r.points.size(), 20u);
  int upper = 0, lower = 0;
  for (const HopfCurvePoint& p : r.points) {
    const double w = p.px, b = p.py, h = p.x(0);
    EXPECT_NEAR(w * (1.0 - h * h), 1.0, 1e-8) << "w = " << w;  // multiplier +1
    EXPECT_NEAR(b, std::atanh(h) - w * h, 1e-10) << "w = " << w;
    (b > 0.0 ? upper : lower) += 1;
  }
  EXPECT_GE(upper, 5);
  EXPECT_GE(lower, 5);
}

// Seed 002's E-I network with M_EE = w and b_I = beta (b_E = 10): with both units on,
// v_E (1 - w) + v_I = 10 and v_I = v_E + beta, so v_E = (10 - beta) / (2 - w) and the inhibitory
// unit reaches its kink (v_I = 0) on beta = -10 / (1 - w), w < 1: a border-collision curve.
TEST(BorderCollisionCurve, EiNetworkInhibitoryKinkInClosedForm) {
  HopfCurveOptions o;
  o.kind = "border_collision";
  o.parameter_x = "W[0,0]";
  o.x_from = 0.0;
  o.x_to = 0.9;
  o.parameter_y = "b[1]";
  o.y_from = -120.0;
  o.y_to = -5.0;
  o.start_x = 0.5;
  o.start_y = -15.0;  // the collision along b_I is at -20
  const HopfCurveResult r = continue_hopf_curve(testing::ei_network(), o);
  EXPECT_EQ(r.kind, "border_collision");
  EXPECT_EQ(r.status, "complete") << r.end_forward << " " << r.end_backward;
  ASSERT_GE(r.points.size(), 10u);
  for (const HopfCurvePoint& p : r.points) {
    const double w = p.px, beta = p.py;
    EXPECT_NEAR(beta, -10.0 / (1.0 - w), 1e-8 * std::abs(beta)) << "w = " << w;
    EXPECT_NEAR(p.x(0), (10.0 - beta) / (2.0 - w), 1e-8 * p.x(0));
    EXPECT_NEAR(p.x(1), 0.0, 1e-8 * p.x(0));
  }
  const auto [lo, hi] = std::minmax_element(
      r.points.begin(), r.points.end(), [](const HopfCurvePoint& a, const HopfCurvePoint& b) { return a.px < b.px; });
  EXPECT_LT(lo->px, 0.05);  // from edge to edge of the box in w
  EXPECT_GT(hi->px, 0.85);
}

TEST(FoldCurve, PiecewiseLinearModelsAndMissingFoldsAreRefused) {
  HopfCurveOptions o = ei_plane();
  o.kind = "fold";
  try {
    continue_hopf_curve(testing::ei_network(), o);
    FAIL() << "a relu network was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "kind");
  }
  // A single tanh unit with w < 1 has one fixed point for every b: no fold.
  const RateModel weak(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1),
                       Matrix::Constant(1, 1, 0.5), Vector::Zero(1));
  o.parameter_y = "b[0]";
  o.x_from = 0.2;
  o.x_to = 0.9;
  o.y_from = -1.0;
  o.y_to = 1.0;
  o.start_x = 0.5;
  o.start_y = 0.0;
  try {
    continue_hopf_curve(weak, o);
    FAIL() << "no fold, yet no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "start_y");
  }
  o.kind = "cusp";
  EXPECT_THROW(continue_hopf_curve(weak, o), InputError);
}

}  // namespace
}  // namespace rnndyn
