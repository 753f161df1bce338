// Perturbations of the seed-000 bounded line attractor classified by exact enumeration: the
// seed's examples (eqs. 8-11), the derived Theorem-1 conditions against the enumeration on random
// perturbations, the three-fixed-point share against its small-noise limit 1/4, and Wilson intervals.
#include <gtest/gtest.h>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

// dx/dt = -x + relu(W x + beta 1), W = [[0, -1], [-1, 0]], beta = 1 (seed 000, eq. 2).
RateModel bounded_line_attractor() {
  Matrix W(2, 2);
  W << 0, -1, -1, 0;
  return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
}

PerturbSample one(const Matrix& eps, PerturbTarget target = PerturbTarget::Weights) {
  PerturbOptions o;
  o.target = target;
  o.epsilon = eps;
  const PerturbResult r = perturb(bounded_line_attractor(), o);
  EXPECT_EQ(r.samples, 1);
  return r.kept.at(0);
}

TEST(Perturb, SeedExamples) {
  Matrix e(2, 2);
  e << -0.2, 0.1, 0.1, -0.2;  // eq. 8: one fixed point, x = -A^{-1} 1 = (1, 1) / 2.1
  PerturbSample s = one(e / 1.0);
  EXPECT_EQ(s.type, "one_fixed_point");
  ASSERT_EQ(s.fixed_points.size(), 1u);
  EXPECT_TRUE(near(s.fixed_points[0].x, Eigen::Vector2d(1 / 2.1, 1 / 2.1), 1e-12));
  EXPECT_EQ(s.fixed_points[0].stability, "stable node");

  e << 0.1, -0.2, -0.2, 0.1;  // eq. 9: three fixed points, (0, 1/0.9), (1/2.1, 1/2.1) saddle, (1/0.9, 0)
  s = one(e);
  EXPECT_EQ(s.type, "three_fixed_points");
  ASSERT_EQ(s.fixed_points.size(), 3u);
  int saddles = 0;
  for (const auto& p : s.fixed_points) saddles += p.stability == "saddle";
  EXPECT_EQ(saddles, 1);

  // eq. 11 claims a rotated line, but det(W' - I) = 0.95^2 - 1.5^2 != 0: one fixed point (seed typo).
  e << 0.05, 0.5, 0.5, 0.05;
  EXPECT_EQ(one(e).type, "one_fixed_point");
  // A shifted line: epsilon = c 11^T keeps det(W' - I) = 0; x1 + x2 = 1 / (1 - c).
  e << 0.1, 0.1, 0.1, 0.1;
  EXPECT_EQ(one(e).type, "line");

  // eq. 10 (bias (0.1, -0.1)) claims two boundary points; only (1.1, 0) exists: on x1 = 0,
  // x2 = 0.9 but unit 1's input -0.9 + 1.1 > 0 (seed typo).
  const PerturbSample b = one(Eigen::Vector2d(0.1, -0.1), PerturbTarget::Bias);
  EXPECT_EQ(b.type, "single_boundary_point");
  ASSERT_EQ(b.fixed_points.size(), 1u);
  EXPECT_TRUE(near(b.fixed_points[0].x, Eigen::Vector2d(1.1, 0.0), 1e-12));
}

TEST(Perturb, DerivedTheoremOneMatchesEnumeration) {
  for (double scale : {0.05, 0.3}) {
    PerturbOptions o;
    o.samples = 300;
    o.scale = scale;
    o.seed = 3;
    const PerturbResult r = perturb(bounded_line_attractor(), o);
    ASSERT_TRUE(r.theorem1_checked);
    EXPECT_EQ(r.theorem1_derived_mismatches, 0) << "scale " << scale;
    // The seed's conditions as written call every full-support-only case "two boundary points".
    EXPECT_GT(r.theorem1_seed_mismatches, 0);
  }
}

// Small isotropic perturbations: a boundary point on x1 = 0 exists iff e22 > e12, on x2 = 0 iff
// e11 > e21 (independent, probability 1/2 each), and the full-support point exists for small
// epsilon: three fixed points with probability 1/4, one with 1/4, a single boundary point with 1/2.
TEST(Perturb, ThreeFixedPointShareIsAQuarterForSmallNoise) {
  PerturbOptions o;
  o.samples = 2000;
  o.scale = 0.01;
  o.seed = 11;
  const PerturbResult r = perturb(bounded_line_attractor(), o);
  for (const auto& [type, p] :
       {std::pair{"three_fixed_points", 0.25}, {"one_fixed_point", 0.25}, {"single_boundary_point", 0.5}}) {
    const TypeShare& ts = r.types.at(type);
    EXPECT_LE(ts.ci_low, p) << type;
    EXPECT_GE(ts.ci_high, p) << type;
  }
}

TEST(Perturb, WilsonInterval) {
  // k = 50 of n = 100 at 95% (z = 1.959963984540054): centre 0.5, half width
  // z sqrt(0.25/100 + z^2/40000) / (1 + z^2/100).
  const double z = 1.959963984540054;
  const double half = z * std::sqrt(0.25 / 100 + z * z / 40000) / (1 + z * z / 100);
  const auto [lo, hi] = wilson_interval(50, 100, 0.95);
  EXPECT_TRUE(near(lo, 0.5 - half, 1e-12));
  EXPECT_TRUE(near(hi, 0.5 + half, 1e-12));
  EXPECT_EQ(wilson_interval(0, 10, 0.95).first, 0.0);
}

TEST(Perturb, BadInput) {
  PerturbOptions o;
  o.epsilon = Matrix::Zero(3, 3);
  EXPECT_THROW(perturb(bounded_line_attractor(), o), InputError);
  RateModel smooth(RateModel::Form::Rate, Activation(ActivationKind::Tanh), Vector::Ones(1), Matrix::Ones(1, 1),
                   Vector::Ones(1));
  EXPECT_THROW(perturb(smooth, PerturbOptions{}), InputError);
  PerturbOptions bad;
  bad.scale = -1;
  EXPECT_THROW(perturb(bounded_line_attractor(), bad), InputError);
}

}  // namespace
