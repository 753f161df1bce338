// Slow manifolds (issue 33, item 2): curves of slow points through the fixed and slow points of
// the numeric search, checked against closed forms: seed 000's bounded line attractor perturbed
// by a small epsilon (its slow eigenline and the linear drift along it), a tanh ring network
// turned by a small rotation (a slow ring with uniform angular drift), and isolated fixed points
// (no manifold).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

// Seed 000's bounded line attractor (eq. 2, beta = 1), perturbed: dx/dt = -x + relu(W' x + b),
// W' = [[0, -1], [-1, 0]] + eps, b = (1, 1). Where both units are active (W' x + b > 0),
//
//   dx/dt = A x + b,   A = W' - I = [[eps11 - 1, eps12 - 1], [eps21 - 1, eps22 - 1]],
//
// with the fixed point x* = -A^-1 b and eigenvalues lambda = (tr +- sqrt(tr^2 - 4 det)) / 2,
// tr = eps11 + eps22 - 2, det = (1 - eps11)(1 - eps22) - (1 - eps12)(1 - eps21) = O(eps) (the
// seed's v). The slow one is lambda_s = (tr + sqrt(tr^2 - 4 det)) / 2 ~ det / 2, with the
// eigenvector v_s ~ (1 - eps12, eps11 - 1 - lambda_s) (first row of (A - lambda_s I) v = 0). On
// the line L = {x* + sigma v_s}, A x + b = sigma lambda_s v_s: the field is tangent to L (L is
// invariant, the slow manifold exactly) and the flow along it is
//
//   d sigma / dt = lambda_s sigma   (|v_s| = 1),
//
// so the drift speed at sigma is |lambda_s sigma|, x* is stable along L for lambda_s < 0 and
// unstable for lambda_s > 0. (eps = 0: det = 0, lambda_s = 0, v_s = (1, -1) / sqrt 2, the line
// attractor x1 + x2 = 1 of the seed.) With speed_max the curve ends where |lambda_s sigma|
// reaches it, |sigma| = speed_max / |lambda_s|: inside the linear region for both cases below.
struct PerturbedLine {
  Matrix eps;
  Vector x_star, v_s;
  double lambda_s = 0.0;

  explicit PerturbedLine(Matrix e) : eps(std::move(e)) {
    const Matrix A = Matrix{{eps(0, 0) - 1.0, eps(0, 1) - 1.0}, {eps(1, 0) - 1.0, eps(1, 1) - 1.0}};
    x_star = -A.inverse() * Vector::Ones(2);
    const double tr = A.trace(), det = A.determinant();
    lambda_s = 0.5 * (tr + std::sqrt(tr * tr - 4.0 * det));
    v_s = Vector{{1.0 - eps(0, 1), eps(0, 0) - 1.0 - lambda_s}}.normalized();
  }

  RateModel model() const {
    const Matrix W = Matrix{{0.0, -1.0}, {-1.0, 0.0}} + eps;
    return RateModel(RateModel::Form::Rate, Activation(ActivationKind::Relu), Vector::Ones(2), W, Vector::Ones(2));
  }
};

FixedPointOptions numeric_options(double speed_max, double step) {
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;  // auto would enumerate this piecewise-linear model exactly
  o.numeric.slow_manifolds.speed_max = speed_max;
  o.numeric.slow_manifolds.step = step;
  return o;
}

/// Checks the fitted curve against L: every point on it, the drift lambda_s sigma at each (sign
/// by the curve's orientation), max and mean drift, and the one fixed point x* with its slope.
void expect_matches_line(const PerturbedLine& line, const FixedPointResult& res, double speed_max, double step,
                         const std::string& stability) {
  ASSERT_TRUE(res.numeric);
  ASSERT_EQ(res.numeric->slow_manifolds.size(), 1u);
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  EXPECT_EQ(m.dimension, 1);
  EXPECT_FALSE(m.closed);
  const Index n = m.points.rows();
  ASSERT_GE(n, 5);
  const Vector along = (m.points.row(n - 1) - m.points.row(0)).transpose();
  const double orientation = along.dot(line.v_s) > 0.0 ? 1.0 : -1.0;
  Vector sigma(n);
  for (Index i = 0; i < n; ++i) {
    const Vector d = m.points.row(i).transpose() - line.x_star;
    sigma(i) = d.dot(line.v_s);
    EXPECT_LE((d - sigma(i) * line.v_s).norm(), 1e-9) << "point " << i << " off the slow eigenline";
    EXPECT_TRUE(testing::near(m.drift(i), orientation * line.lambda_s * sigma(i), 1e-9)) << "point " << i;
  }
  // The curve spans the slow part of L up to within one step of |sigma| = speed_max / |lambda_s|.
  const double reach = speed_max / std::abs(line.lambda_s);
  EXPECT_LE(sigma.cwiseAbs().maxCoeff(), reach);
  EXPECT_LE(sigma.minCoeff(), -(reach - 1.01 * step));
  EXPECT_GE(sigma.maxCoeff(), reach - 1.01 * step);
  EXPECT_TRUE(testing::near(m.max_drift, std::abs(line.lambda_s) * sigma.cwiseAbs().maxCoeff(), 1e-9));
  // |lambda_s sigma| is linear between the points and x* is one of them (the seed): the
  // trapezoidal mean is the exact integral, |lambda_s| (lo^2 + hi^2) / (2 (hi - lo)).
  const double lo = sigma.minCoeff(), hi = sigma.maxCoeff();
  EXPECT_TRUE(testing::near(m.mean_drift, std::abs(line.lambda_s) * (lo * lo + hi * hi) / (2.0 * (hi - lo)), 1e-9));
  EXPECT_LE(m.max_normal_speed, 1e-10);
  EXPECT_TRUE(testing::near(m.variance_explained(0), 1.0, 1e-12));
  ASSERT_EQ(m.fixed_points.size(), 1u);
  const SlowManifoldFixedPoint& z = m.fixed_points[0];
  EXPECT_TRUE(testing::near(z.x, line.x_star, 1e-9));
  EXPECT_EQ(z.stability, stability);
  EXPECT_TRUE(testing::near(z.slope, line.lambda_s, 1e-9));  // central difference of a linear drift
  ASSERT_GE(z.fixed_point, 0);
  EXPECT_TRUE(testing::near(res.numeric->fixed_points[static_cast<size_t>(z.fixed_point)].x, line.x_star, 1e-9));
}

TEST(SlowManifolds, PerturbedBoundedLineAttractorDriftsTowardsItsFixedPointAtLambdaSigma) {
  // lambda_s = -0.0275, x* = (0.363, 0.636); the linear region holds sigma in [-0.53, 0.92], the
  // curve |sigma| <= 0.01 / 0.0275 = 0.364. The search finds x* alone (no slow points: q is a
  // convex quadratic there), so the curve is traced from x* along its slow eigenvector.
  const PerturbedLine line(0.01 * Matrix{{-2.0, 1.0}, {1.5, -1.0}});
  ASSERT_LT(line.lambda_s, 0.0);
  const double speed_max = 0.01, step = 0.02;
  const RateModel model = line.model();
  const FixedPointResult res = find_fixed_points(model, numeric_options(speed_max, step));
  expect_matches_line(line, res, speed_max, step, "stable");
  // Memory of a stored value (issue 18, item 3): sigma(t) = sigma_0 exp(lambda_s t) on L, so a
  // value off x* halves in ln 2 / |lambda_s| = 25.2 wherever it starts (the drift is linear, and so
  // is its interpolation: exact up to rounding). x* itself is at rest: inf.
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  const double t_half = std::log(2.0) / std::abs(line.lambda_s);
  int finite = 0;
  for (Index i = 0; i < m.points.rows(); ++i) {
    if (std::isinf(m.half_life(i))) continue;
    ++finite;
    EXPECT_TRUE(testing::near(m.half_life(i), t_half, 0.0, 1e-9)) << "point " << i << ": " << m.half_life(i);
  }
  EXPECT_GE(finite, m.points.rows() - 1);
  EXPECT_TRUE(testing::near(m.min_half_life, t_half, 0.0, 1e-9));
  // And by simulation of the network itself from the curve's first point: the time at which its
  // distance from x* along v_s has halved, interpolated between samples 0.01 apart, to 1e-4.
  const Vector x0 = m.points.row(0).transpose();
  const double sigma0 = (x0 - line.x_star).dot(line.v_s);
  SimulateOptions so;
  so.t_end = 2.0 * t_half;
  so.dt = 0.01;
  so.rel_tol = 1e-12;
  so.abs_tol = 1e-14;
  const Trajectory tr = simulate(model, x0, so);
  double t_sim = -1.0, prev = 1.0;
  for (Index k = 0; k < tr.x.cols() && t_sim < 0.0; ++k) {
    const double ratio = (tr.x.col(k) - line.x_star).dot(line.v_s) / sigma0;
    if (ratio <= 0.5 && k > 0) t_sim = tr.t[k - 1] + (prev - 0.5) / (prev - ratio) * (tr.t[k] - tr.t[k - 1]);
    prev = ratio;
  }
  EXPECT_TRUE(testing::near(t_sim, t_half, 0.0, 1e-4)) << "simulated " << t_sim << " vs " << t_half;
}

TEST(SlowManifolds, PerturbedBoundedLineAttractorWithThreeFixedPointsDriftsAwayFromTheMiddleOne) {
  // The seed's second type: lambda_s = +0.0225 at x* = (0.669, 0.334), and two stable fixed points
  // with partial support, (1 / (1 - eps11), 0) and (0, 1 / (1 - eps22)), whose eigenvalues (-1,
  // -0.98 and -1, -0.99) have no gap: they seed no curve. The curve |sigma| <= 0.444 stays in the
  // linear region sigma in [-0.93, 0.46].
  const PerturbedLine line(0.01 * Matrix{{1.0, -1.0}, {-0.5, 2.0}});
  ASSERT_GT(line.lambda_s, 0.0);
  const double speed_max = 0.01, step = 0.02;
  const RateModel model = line.model();
  const FixedPointResult res = find_fixed_points(model, numeric_options(speed_max, step));
  ASSERT_EQ(res.numeric->fixed_points.size(), 3u);
  expect_matches_line(line, res, speed_max, step, "unstable");
  // Values drift away from x* and off the ends of the curve: no half-life (NaN), x* at rest (inf).
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  for (Index i = 0; i < m.points.rows(); ++i) EXPECT_FALSE(std::isfinite(m.half_life(i))) << "point " << i;
  EXPECT_TRUE(std::isinf(m.min_half_life));
}

TEST(SlowManifolds, UnperturbedBoundedLineAttractorIsOneStretchAtRestAlongItsSegment) {
  // eps = 0: every point of the segment x1 + x2 = 1, x >= 0 is a fixed point (the search finds
  // hundreds, each a seed on the same curve). The curve is one stretch at rest ("neutral", drift 0)
  // from (0, 1) to (1, 0), length sqrt 2, continued past the ends only while |R| <= speed_max.
  const PerturbedLine line(Matrix::Zero(2, 2));
  EXPECT_EQ(line.lambda_s, 0.0);
  const double step = 0.02;
  FixedPointOptions o = numeric_options(0.01, step);
  o.starts.count = 256;
  const RateModel model = line.model();
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_GT(res.numeric->fixed_points.size(), 100u);
  ASSERT_EQ(res.numeric->slow_manifolds.size(), 1u);
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  EXPECT_EQ(m.n_seeds, static_cast<int>(res.numeric->fixed_points.size()));
  ASSERT_EQ(m.fixed_points.size(), 1u);
  const SlowManifoldFixedPoint& z = m.fixed_points[0];
  EXPECT_EQ(z.stability, "neutral");
  EXPECT_GE(z.s_end - z.s, std::sqrt(2.0) - 2.0 * step);
  EXPECT_LE(z.s_end - z.s, std::sqrt(2.0) + 1e-9);
  for (Index i = 0; i < m.points.rows(); ++i)
    if (m.s(i) >= z.s && m.s(i) <= z.s_end) {
      EXPECT_LE(std::abs(m.points(i, 0) + m.points(i, 1) - 1.0), 1e-9) << "point " << i;
      EXPECT_LE(std::abs(m.drift(i)), 1e-12) << "point " << i;
    }
}

TEST(SlowManifolds, TheSameLineAsAReluMapDriftsLambdaSigmaPerStep) {
  // The map h' = relu(W' h + b) has R(h) = relu(W' h + b) - h, the flow's field above: the same
  // eigenline, and the drift per step is lambda_s sigma (multiplier 1 + lambda_s along the line:
  // stable). Checks the maps' R = F - x and DR = DF - I.
  const PerturbedLine line(0.01 * Matrix{{-2.0, 1.0}, {1.5, -1.0}});
  const double speed_max = 0.01, step = 0.02;
  const RnnModel model(Activation(ActivationKind::Relu), Matrix{{0.0, -1.0}, {-1.0, 0.0}} + line.eps, Vector::Ones(2));
  const FixedPointResult res = find_fixed_points(model, numeric_options(speed_max, step));
  expect_matches_line(line, res, speed_max, step, "stable");
}

// A ring network: tau dx/dt = -x + g W tanh(x), N units at angles theta_i = 2 pi i / N,
// c = cos theta, s = sin theta, W = (2 / N) (c c^T + s s^T) + delta (2 / N) (s c^T - c s^T).
// In the plane x = kappa_1 c + kappa_2 s = rho (cos alpha c + sin alpha s) the sums over the ring
// give (2 / N) c^T tanh(x) = cos(alpha) h(rho), (2 / N) s^T tanh(x) = sin(alpha) h(rho) with
// h(rho) = (2 / N) sum_j cos(theta_j) tanh(rho cos theta_j) (exact for N -> inf; for N = 24 the
// ripple in alpha is 2e-9), so
//
//   d rho / dt = -rho + g h(rho),   d alpha / dt = delta g h(rho) / rho.
//
// The ring rho* = g h(rho*) (g = 1.5: rho* = 1.5284) attracts (the N - 2 other directions decay
// at rate 1), and on it alpha turns uniformly at d alpha / dt = delta: a slow limit cycle, no
// fixed point on it, of radius r = rho* |c| = rho* sqrt(N / 2) in state space and drift speed
// delta r everywhere. The origin is the only fixed point (unstable focus).
TEST(SlowManifolds, RotatedTanhRingIsOneClosedCurveWithUniformDriftDeltaR) {
  const int N = 24;
  const double g = 1.5, delta = 1e-3;
  Vector c(N), s(N);
  for (int i = 0; i < N; ++i) {
    c(i) = std::cos(2.0 * M_PI * i / N);
    s(i) = std::sin(2.0 * M_PI * i / N);
  }
  const Matrix W =
      (2.0 / N) * (c * c.transpose() + s * s.transpose() + delta * (s * c.transpose() - c * s.transpose()));
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(N), W, Vector::Zero(N),
                        {}, {}, g);
  // rho* by bisection on -rho + g h(rho) (positive below the ring, negative above).
  const auto h = [&](double rho) { return (2.0 / N) * c.dot(((rho * c).array().tanh()).matrix()); };
  double lo = 1e-3, hi = 10.0;
  for (int k = 0; k < 200; ++k) (g * h(0.5 * (lo + hi)) > 0.5 * (lo + hi) ? lo : hi) = 0.5 * (lo + hi);
  const double r = lo * std::sqrt(N / 2.0);  // 5.2945

  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.count = 128;
  o.numeric.slow_manifolds.step = 0.25;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_TRUE(res.numeric);
  ASSERT_FALSE(res.numeric->slow_points.empty());  // the ring's points: q = (delta r)^2 / 2 = 1.4e-5
  ASSERT_EQ(res.numeric->slow_manifolds.size(), 1u);
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  EXPECT_EQ(m.dimension, 1);
  EXPECT_TRUE(m.closed);
  EXPECT_TRUE(m.fixed_points.empty());
  EXPECT_GE(m.n_seeds, 2);  // the slow points along the ring lie on it
  // On the ring: in the (c, s) plane at radius r; the length is its circumference (polygon of
  // chords 0.25: shorter by ~ (0.25 / r)^2 / 24 relative = 1e-4).
  const Matrix plane = (Matrix(N, 2) << c.normalized(), s.normalized()).finished();
  for (Index i = 0; i < m.points.rows(); ++i) {
    const Vector x = m.points.row(i).transpose();
    EXPECT_LE((x - plane * (plane.transpose() * x)).norm(), 1e-8) << "point " << i;
    EXPECT_TRUE(testing::near(x.norm(), r, 0.0, 1e-6)) << "point " << i;
  }
  EXPECT_TRUE(testing::near(m.length, 2.0 * M_PI * r, 0.0, 3e-4));
  // Drift delta r at every point, one sign (the orientation of the curve), to 1e-5 relative.
  const double sign = m.drift(0) > 0.0 ? 1.0 : -1.0;
  EXPECT_TRUE(testing::near(Vector(sign * m.drift), Vector::Constant(m.drift.size(), delta * r), 0.0, 1e-5));
  EXPECT_TRUE(testing::near(m.max_drift, delta * r, 0.0, 1e-5));
  EXPECT_TRUE(testing::near(m.mean_drift, delta * r, 0.0, 1e-5));
  EXPECT_TRUE(testing::near(m.variance_explained(0), 0.5, 0.02));  // a circle: half and half
  EXPECT_TRUE(testing::near(m.variance_explained(1), 0.5, 0.02));
}

// The same ring made anisotropic instead of turned: W = (2 / N)(c c^T + s s^T + eta (c c^T -
// s s^T)). On the ring the extra field is g eta h(rho) (cos alpha, -sin alpha) in the (c, s)
// plane; its tangential part, along (-sin alpha, cos alpha), is -g eta h sin(2 alpha) =
// -eta rho sin(2 alpha) (g h = rho on the ring), so in state space (|c| = |s| = sqrt(N / 2),
// arc length r alpha) the drift is v = -eta r sin(2 alpha) and d alpha / dt = -eta sin(2 alpha),
// to first order in eta (the O(eta) change of the radius changes v at O(eta^2)). Four fixed
// points on the ring: stable at alpha = 0, pi (dv/ds = -2 eta), unstable at +-pi/2 (+2 eta);
// max |v| = eta r, arc-length mean 2 eta r / pi.
TEST(SlowManifolds, AnisotropicTanhRingHasFourFixedPointsAlternatingInStabilityAlongIt) {
  const int N = 24;
  const double g = 1.5, eta = 1e-3;
  Vector c(N), s(N);
  for (int i = 0; i < N; ++i) {
    c(i) = std::cos(2.0 * M_PI * i / N);
    s(i) = std::sin(2.0 * M_PI * i / N);
  }
  const Matrix W = (2.0 / N) * (c * c.transpose() + s * s.transpose() + eta * (c * c.transpose() - s * s.transpose()));
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(N), W, Vector::Zero(N),
                        {}, {}, g);
  const auto h = [&](double rho) { return (2.0 / N) * c.dot(((rho * c).array().tanh()).matrix()); };
  double lo = 1e-3, hi = 10.0;
  for (int k = 0; k < 200; ++k) (g * h(0.5 * (lo + hi)) > 0.5 * (lo + hi) ? lo : hi) = 0.5 * (lo + hi);
  const double r = lo * std::sqrt(N / 2.0);

  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.count = 128;
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_EQ(res.numeric->slow_manifolds.size(), 1u);
  const SlowManifold& m = res.numeric->slow_manifolds[0];
  EXPECT_TRUE(m.closed);
  ASSERT_EQ(m.fixed_points.size(), 4u);
  // The order along the curve alternates stable / unstable, a quarter turn apart, at multiples
  // of 90 degrees: stable ones on the c axis (alpha = 0, pi), to 0.01 degrees.
  for (std::size_t k = 0; k < 4; ++k) {
    const SlowManifoldFixedPoint& z = m.fixed_points[k];
    const double alpha = std::atan2(z.x.dot(s), z.x.dot(c)) * 180.0 / M_PI;
    const bool stable = z.stability == "stable";
    EXPECT_EQ(stable, m.fixed_points[(k + 1) % 4].stability == "unstable") << "zero " << k;
    EXPECT_TRUE(stable || z.stability == "unstable") << z.stability;
    const double off_axis = std::abs(std::remainder(alpha, stable ? 180.0 : 90.0));
    EXPECT_LE(off_axis, 0.01) << "alpha = " << alpha;
    EXPECT_TRUE(testing::near(z.slope, stable ? -2.0 * eta : 2.0 * eta, 0.0, 1e-2)) << "zero " << k;
    EXPECT_GE(z.fixed_point, 0);  // a point the search found
  }
  EXPECT_TRUE(testing::near(m.max_drift, eta * r, 0.0, 1e-2));
  EXPECT_TRUE(testing::near(m.mean_drift, 2.0 * eta * r / M_PI, 0.0, 1e-2));
}

TEST(SlowManifolds, IsolatedFixedPointsWithoutASlowDirectionGiveNoManifold) {
  // dx/dt = -x + 2 tanh(x) per unit (W = 2 I): 9 fixed points (0, +-a per unit, a = 1.915), DR
  // eigenvalues -1 + 2 sech^2 (x_i) = -0.83 at +-a and +1 at 0: |mu_1| = |mu_2| or 0.83, no gap.
  const Matrix W = 2.0 * Matrix::Identity(2, 2);
  const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(2), W,
                        Vector::Zero(2));
  FixedPointOptions o;
  o.method = FixedPointMethod::Numeric;
  o.starts.box_lo = Vector::Constant(1, -3.0);
  o.starts.box_hi = Vector::Constant(1, 3.0);
  const FixedPointResult res = find_fixed_points(model, o);
  ASSERT_EQ(res.numeric->fixed_points.size(), 9u);
  EXPECT_TRUE(res.numeric->slow_manifolds.empty());
  // The control: the same three points of unit 1 beside a slow unit 2, dx2/dt = -x2 / 20
  // (tau_2 = 20, no coupling). DR = diag(-1 + 2 sech^2 x1, -0.05): |mu_1| = 0.05 <= 0.1 x 0.83 at
  // each of x1 = 0, +-a, so each has its short slow line x1 = const along x2, on which the drift is
  // -0.05 x2 (stable along it), up to |x2| = speed_max / 0.05 = 0.28.
  const Matrix W2 = Vector{{2.0, 0.0}}.asDiagonal();
  const RateModel slow(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector{{1.0, 20.0}}, W2,
                       Vector::Zero(2));
  const FixedPointResult control = find_fixed_points(slow, o);
  ASSERT_EQ(control.numeric->fixed_points.size(), 3u);
  ASSERT_EQ(control.numeric->slow_manifolds.size(), 3u);
  for (const SlowManifold& m : control.numeric->slow_manifolds) {
    ASSERT_EQ(m.fixed_points.size(), 1u);
    EXPECT_EQ(m.fixed_points[0].stability, "stable");
    EXPECT_TRUE(testing::near(m.fixed_points[0].slope, -0.05, 1e-9));
    EXPECT_LE(m.points.col(0).maxCoeff() - m.points.col(0).minCoeff(), 1e-9);  // along x2 only
  }
}

TEST(SlowManifolds, OptionsAreValidatedByName) {
  FixedPointOptions o;
  o.numeric.slow_manifolds.gap = 1.0;
  try {
    o.validate();
    FAIL() << "gap = 1 accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "numeric.slow_manifolds.gap");
  }
  o.numeric.slow_manifolds = {};
  o.numeric.slow_manifolds.max_points = 3;
  EXPECT_THROW(o.validate(), InputError);
}

}  // namespace
}  // namespace rnndyn
