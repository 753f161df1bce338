// Networks driven by inputs over time (issue 18): simulate with input signals and readouts,
// against closed forms derived here (the seeds' formulas have typos):
// - seed 002's linear integrator (M with eigenvalue 1 along e1) driven by a click train: every
//   mode c_i = e_i . v obeys tau dc_i/dt = -(1 - lambda_i) c_i + e_i . W_in u(t), so c_1 gains
//   exactly (1/tau) e_1 . W_in * (integral of u), and the other modes are exponential filters of
//   the rectangular pulses, integrated by hand below;
// - seed 000's bounded line attractor (rate form, W = -[[0,1],[1,0]], b = beta (1,1),
//   W_in = alpha [[-1,1],[1,-1]], W_out = (1,-1)/(2 alpha)): while both units are active,
//   d = x1 - x2 obeys dd/dt = 2 alpha (u2 - u1), so z = W_out x = integral of (u2 - u1): the
//   clicks counted right minus left, until the segment x1 + x2 = beta ends at z = +-beta/(2 alpha).
#include <gtest/gtest.h>

#include <cmath>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "rnndyn/simulate/simulate.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

/// Seed 002's integrator: tau = 10, M = [[.75,.25,0],[.25,.75,0],[0,0,-.5]] with eigenvalues
/// 1 (e1 = (1,1,0)/sqrt 2), 0.5 (e2 = (1,-1,0)/sqrt 2), -0.5 (e3 = (0,0,1)); two input channels.
LinearModel integrator() {
  Matrix M(3, 3);
  M << 0.75, 0.25, 0.0, 0.25, 0.75, 0.0, 0.0, 0.0, -0.5;
  Matrix W_in(3, 2);
  W_in << 1.0, 0.0, 0.5, -1.0, 0.2, 0.7;
  return LinearModel(10.0, M, Vector::Zero(3), W_in);
}

struct Click {
  double t;
  Index channel;
  double sign;
};

/// v(t) of the integrator in closed form: each pulse (area delta*sign, width w) filtered by mode i
/// with rate a_i = (1 - lambda_i)/tau:  c_i(t) = c_i(0) e^{-a_i t} + (b_i/tau) (height)
/// * integral_{t_k}^{min(t, t_k + w)} e^{-a_i (t - s)} ds, b_i = e_i . W_in[:, channel]; for a_i = 0
/// the integral is min(t, t_k + w) - t_k.
Vector integrator_closed_form(const LinearModel& m, const Vector& v0, const std::vector<Click>& clicks, double delta,
                              double w, double t) {
  Matrix E(3, 3);
  const double r = 1.0 / std::sqrt(2.0);
  E << r, r, 0.0, r, -r, 0.0, 0.0, 0.0, 1.0;  // columns e1, e2, e3
  const Vector lambda = (Vector(3) << 1.0, 0.5, -0.5).finished();
  Vector c = E.transpose() * v0;
  for (Index i = 0; i < 3; ++i) {
    const double a = (1.0 - lambda(i)) / m.tau();
    c(i) *= std::exp(-a * t);
    for (const auto& k : clicks) {
      if (t <= k.t) continue;
      const double end = std::min(t, k.t + w);
      const double kernel = a == 0.0 ? end - k.t : (std::exp(-a * (t - end)) - std::exp(-a * (t - k.t))) / a;
      c(i) += E.col(i).dot(m.W_in().col(k.channel)) / m.tau() * (delta * k.sign / w) * kernel;
    }
  }
  return E * c;
}

TEST(Inputs, LinearIntegratorAccumulatesClickTrainExactly) {
  const LinearModel model = integrator();
  const std::vector<Click> clicks{{1.0, 0, 1.0}, {3.5, 1, -1.0},  {3.7, 0, 1.0}, {8.0, 0, -1.0},
                                  {8.0, 1, 1.0}, {12.25, 1, 1.0}, {20.0, 0, 1.0}};
  const double delta = 0.3, width = 0.2;
  SimulateOptions o;
  o.t_end = 40.0;
  o.dt = 0.05;
  o.abs_tol = o.rel_tol = 1e-11;
  for (Index ch = 0; ch < 2; ++ch) {
    InputSignal s;
    s.kind = InputKind::Clicks;
    s.channel = ch;
    s.delta = delta;
    s.width = width;
    for (const auto& k : clicks)
      if (k.channel == ch) {
        s.times.push_back(k.t);
        s.signs.push_back(k.sign);
      }
    o.inputs.push_back(s);
  }
  const Vector v0 = (Vector(3) << 0.3, -0.2, 1.0).finished();
  o.x0 = v0;
  const Trajectory traj = simulate(model, o);
  ASSERT_EQ(traj.status, SimulateStatus::Ok);
  ASSERT_EQ(traj.x.cols(), 801);
  ASSERT_EQ(traj.u.rows(), 2);
  // Every sample against the closed form (tolerance: 1e-9 absolute, the stepper runs at 1e-11).
  double worst = 0.0;
  for (Index k = 0; k < traj.x.cols(); ++k) {
    const double t = traj.t[static_cast<size_t>(k)];
    const Vector exact = integrator_closed_form(model, v0, clicks, delta, width, t);
    worst = std::max(worst, (traj.x.col(k) - exact).cwiseAbs().maxCoeff());
  }
  EXPECT_LT(worst, 1e-9) << "max deviation from the closed form";
  // The memory: after the last pulse e1 . v has gained exactly (1/tau) e1 . W_in * (sum of areas).
  const Vector e1 = (Vector(3) << 1.0, 1.0, 0.0).finished() / std::sqrt(2.0);
  Vector area = Vector::Zero(2);
  for (const auto& k : clicks) area(k.channel) += delta * k.sign;
  const double gained = e1.dot(traj.x.col(traj.x.cols() - 1)) - e1.dot(v0);
  EXPECT_TRUE(near(gained, e1.dot(model.W_in() * area) / model.tau(), 1e-9));
  // The recorded input: a pulse's height delta/width inside it, 0 between pulses.
  EXPECT_TRUE(near(traj.u(0, 21), delta / width, 1e-12));  // t = 1.05, inside the first pulse
  EXPECT_TRUE(near(traj.u(0, 30), 0.0, 0.0));              // t = 1.5
}

TEST(Inputs, LinearIntegratorIntegratesInterpolatedSeries) {
  // A linearly interpolated series is integrated by the trapezoid rule exactly; held samples by
  // the rectangle rule. Samples every 0.5 on channel 1, zero after the last knot.
  const LinearModel model = integrator();
  Matrix values(5, 2);
  values << 0.0, 1.0, 0.0, -2.0, 0.0, 0.5, 0.0, 3.0, 0.0, 1.0;
  const Vector e1 = (Vector(3) << 1.0, 1.0, 0.0).finished() / std::sqrt(2.0);
  const double b1 = e1.dot(model.W_in().col(1)) / model.tau();
  for (const auto interp : {Interpolation::Linear, Interpolation::Hold}) {
    SimulateOptions o;
    o.t_end = 10.0;
    o.dt = 0.25;
    o.abs_tol = o.rel_tol = 1e-11;
    InputSignal s;
    s.kind = InputKind::Series;
    s.values = values;
    s.dt = 0.5;
    s.interpolation = interp;
    o.inputs = {s};
    const Trajectory traj = simulate(model, Vector::Zero(3), o);
    const Vector col = values.col(1);
    const double integral = interp == Interpolation::Linear
                                ? 0.5 * (col.sum() - 0.5 * (col(0) + col(4)))  // trapezoid over [0, 2]
                                : 0.5 * col.sum();                             // rectangles over [0, 2.5]
    EXPECT_TRUE(near(e1.dot(traj.x.col(traj.x.cols() - 1)), b1 * integral, 1e-9)) << to_string(interp);
    // Between knots the recorded input follows the rule: t = 0.25 is halfway from 1 to -2.
    EXPECT_TRUE(near(traj.u(1, 1), interp == Interpolation::Linear ? -0.5 : 1.0, 1e-12));
  }
}

std::unique_ptr<Model> bounded_line_attractor(double alpha, double beta) {
  // The seed-000 file with its readout: x0 = beta/2 (1, 1) decodes z = 0.
  const std::string text = R"({"model": "rate", "form": "rate", "activation": "relu",
    "W": [[0, -1], [-1, 0]], "b": [)" +
                           std::to_string(beta) + "," + std::to_string(beta) + R"(], "W_in": [[)" +
                           std::to_string(-alpha) + "," + std::to_string(alpha) + "],[" + std::to_string(alpha) + "," +
                           std::to_string(-alpha) + R"(]],
    "W_out": [[)" + std::to_string(0.5 / alpha) +
                           "," + std::to_string(-0.5 / alpha) + R"(]], "b_out": [0], "x0": [)" +
                           std::to_string(beta / 2) + "," + std::to_string(beta / 2) + "]}";
  return model_from_json_text(text);
}

TEST(Inputs, BoundedLineAttractorDecodesAccumulatedClicksUntilTheSegmentEnds) {
  const double alpha = 0.5, beta = 1.0, delta = 0.1, width = 0.5, gap = 20.0;
  const auto model = bounded_line_attractor(alpha, beta);
  ASSERT_EQ(model->input_dim(), 2);
  ASSERT_TRUE(model->readout());
  // 14 clicks right (channel 1, +delta each) then 5 left (channel 0), one every `gap`.
  std::vector<double> right, left;
  for (int k = 0; k < 19; ++k) (k < 14 ? right : left).push_back(2.0 + gap * k);
  SimulateOptions o;
  o.t_end = 2.0 + gap * 19;
  o.dt = 1.0;
  o.abs_tol = o.rel_tol = 1e-11;
  InputSignal r;
  r.kind = InputKind::Clicks;
  r.channel = 1;
  r.times = right;
  r.delta = delta;
  r.width = width;
  InputSignal l = r;
  l.channel = 0;
  l.times = left;
  o.inputs = {r, l};
  const Trajectory traj = simulate(*model, o);
  ASSERT_EQ(traj.z.rows(), 1);
  const double end = beta / (2 * alpha);  // z at the ends of the segment
  // z just before click k+1 (t = 2 + gap (k+1) - 1): after click k has settled.
  const auto z_after = [&](int k) { return traj.z(0, static_cast<Index>(2.0 + gap * (k + 1) - 1.0)); };
  // Inside the segment, with the pulse's push alpha delta/width = 0.1 below the drive of the
  // losing unit (|z| <= end - delta/width), z is the click count times delta, to the tolerance.
  for (int k = 0; k < 8; ++k) EXPECT_TRUE(near(z_after(k), delta * (k + 1), 1e-8)) << "click " << k;
  // Past the end the clicks are lost: z stops at the end (x -> (beta, 0)) and never passes it.
  for (int k = 11; k < 14; ++k) EXPECT_TRUE(near(z_after(k), end, 1e-6)) << "click " << k;
  // Settled, z never passes the end (during a pulse past it the state is pushed off the segment,
  // x2 < 0, and z overshoots by ~0.02 before relaxing back).
  for (int k = 0; k < 19; ++k) EXPECT_LE(z_after(k), end + 1e-6) << "click " << k;
  // Clicks the other way leave the end linearly again: z = end - delta per click.
  for (int k = 14; k < 18; ++k) EXPECT_TRUE(near(z_after(k), end - delta * (k - 13), 1e-6)) << "click " << k;
  // The sum x1 + x2 stays on the line (beta) between clicks.
  EXPECT_TRUE(near(traj.x(0, 100) + traj.x(1, 100), beta, 1e-6));
}

TEST(Inputs, MapReadsOneInputPerStep) {
  // h_{n+1} = tanh(W h_n + b + W_in u_n), by hand, against a series plus a click and a step.
  std::mt19937 rng(5);
  const Matrix W = rnndyn::testing::random_matrix(3, 3, rng, 0.5);
  const Vector b = rnndyn::testing::random_vector(3, rng, 0.1);
  const Matrix W_in = rnndyn::testing::random_matrix(3, 2, rng);
  const RnnModel model(Activation::from_name("tanh"), W, b, W_in, Vector::Zero(2));
  const Matrix series = rnndyn::testing::random_matrix(6, 2, rng);
  SimulateOptions o;
  o.t_end = 10;
  InputSignal s;
  s.kind = InputKind::Series;
  s.values = series;
  InputSignal click;
  click.kind = InputKind::Clicks;
  click.times = {2, 7};
  click.signs = {1.0, -2.0};
  click.delta = 0.5;
  click.channel = 1;
  InputSignal step;
  step.kind = InputKind::Step;
  step.amplitude = 0.25;
  step.onset = 4;
  step.offset = 8;
  o.inputs = {s, click, step};
  Vector h = rnndyn::testing::random_vector(3, rng);
  o.x0 = h;
  const Trajectory traj = simulate(model, o);
  ASSERT_EQ(traj.x.cols(), 11);
  for (Index n = 0; n < 10; ++n) {
    Vector u = Vector::Zero(2);
    if (n < 6) u = series.row(n).transpose();
    if (n == 2) u(1) += 0.5;
    if (n == 7) u(1) -= 1.0;
    if (n >= 4 && n < 8) u(0) += 0.25;
    EXPECT_TRUE(near(Vector(traj.u.col(n)), u, 1e-15)) << "step " << n;
    h = (W * h + b + W_in * u).array().tanh();
    EXPECT_TRUE(near(Vector(traj.x.col(n + 1)), h, 1e-12)) << "step " << n;
  }
}

TEST(Inputs, WhiteNoiseHasItsIntensity) {
  // Integrated by the integrator's e1 mode, white noise of intensity sigma^2 gives
  // c1(T) = (b1/tau) * integral of s, with variance (b1/tau)^2 sigma^2 T. Over 400 seeds the sample
  // variance of the integral of s (read from c1) lies within 4 standard errors (sd of a sample
  // variance of n normals: var sqrt(2/(n-1))) of sigma^2 T.
  const LinearModel model = integrator();
  const Vector e1 = (Vector(3) << 1.0, 1.0, 0.0).finished() / std::sqrt(2.0);
  const double b1 = e1.dot(model.W_in().col(0)) / model.tau();
  const double sigma = 0.7, T = 5.0;
  const int n = 400;
  std::vector<double> integrals;
  for (int seed = 1; seed <= n; ++seed) {
    SimulateOptions o;
    o.t_end = T;
    o.dt = 0.5;
    InputSignal s;
    s.kind = InputKind::Noise;
    s.sigma = sigma;
    s.dt = 0.05;
    s.seed = static_cast<std::uint64_t>(seed);
    o.inputs = {s};
    const Trajectory traj = simulate(model, Vector::Zero(3), o);
    integrals.push_back(e1.dot(traj.x.col(traj.x.cols() - 1)) / b1);
  }
  double mean = 0.0, var = 0.0;
  for (double v : integrals) mean += v / n;
  for (double v : integrals) var += (v - mean) * (v - mean) / (n - 1);
  const double expected = sigma * sigma * T;
  EXPECT_LT(std::abs(var - expected), 4.0 * expected * std::sqrt(2.0 / (n - 1))) << "var " << var;
  EXPECT_LT(std::abs(mean), 4.0 * std::sqrt(expected / n)) << "mean " << mean;
}

TEST(Inputs, PoissonClicksAddWholeClicksAtTheirRate) {
  // The e1 mode counts clicks: c1 gains b1 * delta per click, so c1(T)/(b1 delta) is a whole
  // number (to the integrator's tolerance) with mean rate * T over seeds (Poisson: variance
  // rate * T; 200 seeds, 4 standard errors). Clicks are drawn on [0, t_end).
  const LinearModel model = integrator();
  const Vector e1 = (Vector(3) << 1.0, 1.0, 0.0).finished() / std::sqrt(2.0);
  const double b1 = e1.dot(model.W_in().col(1)) / model.tau();
  const double rate = 0.8, T = 10.0, delta = 0.25;
  const int n = 200;
  double mean = 0.0;
  int whole = 0;
  for (int seed = 1; seed <= n; ++seed) {
    SimulateOptions o;
    o.t_end = T;
    o.dt = 0.5;
    InputSignal s;
    s.kind = InputKind::PoissonClicks;
    s.channel = 1;
    s.rate = rate;
    s.delta = delta;
    s.seed = static_cast<std::uint64_t>(seed);
    o.inputs = {s};
    const Trajectory traj = simulate(model, Vector::Zero(3), o);
    const double count = e1.dot(traj.x.col(traj.x.cols() - 1)) / (b1 * delta);
    mean += count / n;
    // A click whose pulse (width 0.01) straddles t_end is counted in part; then u(t_end) != 0.
    if (traj.u(1, traj.u.cols() - 1) != 0.0) continue;
    ++whole;
    EXPECT_TRUE(near(count, std::round(count), 1e-7)) << "seed " << seed;
  }
  EXPECT_GE(whole, n - 5);
  const double expected = rate * T;
  EXPECT_LT(std::abs(mean - expected), 4.0 * std::sqrt(expected / n)) << "mean count " << mean;
}

TEST(Inputs, OrnsteinUhlenbeckNoiseHasItsStationaryVariance) {
  // tau_c ds = -s dt + sigma dW: variance sigma^2/(2 tau_c) at every grid point (drawn from the
  // stationary law) and correlation exp(-lag/tau_c). One long run, read from the recorded input at
  // the grid points; the samples are correlated over tau_c, so the standard error of the variance
  // is about var sqrt(2 * 2 tau_c / T_total) (effective count T_total / (2 tau_c)); 4 of them.
  const LinearModel model = integrator();
  const double sigma = 0.6, tau_c = 2.0, T = 4000.0;
  SimulateOptions o;
  o.t_end = T;
  o.dt = 0.5;
  InputSignal s;
  s.kind = InputKind::Noise;
  s.sigma = sigma;
  s.correlation_time = tau_c;
  s.seed = 11;
  o.inputs = {s};
  const Trajectory traj = simulate(model, Vector::Zero(3), o);
  const Vector u = traj.u.row(0).transpose();
  const double var = u.squaredNorm() / static_cast<double>(u.size());
  const double expected = sigma * sigma / (2 * tau_c);
  // Measured 0.0939 against 0.09 (band 0.016).
  EXPECT_LT(std::abs(var - expected), 4.0 * expected * std::sqrt(4.0 * tau_c / T)) << "var " << var;
  // Lag-one correlation at lag dt = 0.5: exp(-0.25) = 0.78 (measured 0.79; its standard error
  // over ~T/(2 tau_c) = 1000 independent stretches is ~0.03).
  const double lag1 = u.head(u.size() - 1).dot(u.tail(u.size() - 1)) / static_cast<double>(u.size() - 1);
  EXPECT_LT(std::abs(lag1 / var - std::exp(-0.5 / tau_c)), 0.1) << "lag-one " << lag1 / var;
}

TEST(Inputs, RefusedWhereTheyDoNotFit) {
  Plrnn plrnn(TimeKind::Map, 0.5 * Matrix::Identity(2, 2), Matrix::Zero(2, 2), Vector::Zero(2), Vector::Zero(2));
  SimulateOptions o;
  o.t_end = 5;
  InputSignal s;
  o.inputs = {s};
  try {
    simulate(plrnn, o);
    FAIL() << "a model without input weights took an input";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "inputs");
  }
  const LinearModel model = integrator();
  o.inputs[0].channel = 2;  // the integrator has channels 0 and 1
  try {
    simulate(model, o);
    FAIL() << "channel 2 accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "inputs[0].channel");
  }
  o.inputs[0] = InputSignal{};
  o.inputs[0].kind = InputKind::Clicks;
  o.inputs[0].times = {1.0};
  o.inputs[0].width = 0.0;
  EXPECT_THROW(simulate(model, o), InputError);
  o.method = SimulateMethod::ClosedForm;
  o.inputs[0].width = 0.1;
  EXPECT_THROW(simulate(model, o), InputError);
}

TEST(Inputs, WithoutSignalsTheConstantInputPathIsUnchanged) {
  // No inputs: u stays the model's constant, nothing recorded; the readout still reads out.
  const LinearModel model = integrator();
  SimulateOptions o;
  o.t_end = 3.0;
  const Trajectory traj = simulate(model, (Vector(3) << 1.0, 0.0, 0.0).finished(), o);
  EXPECT_EQ(traj.u.size(), 0);
  EXPECT_EQ(traj.z.size(), 0);
  const auto la = bounded_line_attractor(0.5, 1.0);
  const Trajectory still = simulate(*la, o);
  ASSERT_EQ(still.z.rows(), 1);
  EXPECT_TRUE(near(still.z.row(0).cwiseAbs().maxCoeff(), 0.0, 1e-12));  // beta/2 (1,1) decodes 0
}

}  // namespace
