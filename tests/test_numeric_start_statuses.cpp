// How one start of the numeric finder ends (NumericStartStatus, issue 20 item 5): every status
// from a scalar flow built so that it arises for its own reason. The CLI and Python see only the
// totals (n_fixed_runs, n_slow_runs, n_failed_runs); this is where each outcome is named.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/models/rate_model.hpp"

namespace rnndyn {
namespace {

/// dx/dt = f(x) for one unit, f and f' given: for residuals no rate model has.
class ScalarFlow final : public Model {
 public:
  ScalarFlow(std::function<double(double)> f, std::function<double(double)> df)
      : f_(std::move(f)), df_(std::move(df)) {}
  std::string kind() const override { return "scalar"; }
  Index dim() const override { return 1; }
  TimeKind time_kind() const override { return TimeKind::Flow; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian) const override {
    f = Vector::Constant(1, f_(x(0)));
    if (jacobian) *jacobian = Matrix::Constant(1, 1, df_(x(0)));
  }
  std::vector<ParameterBlock> parameter_blocks() const override { return {}; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<ScalarFlow>(*this); }
  double* parameter_slot(const std::string&, Index, Index) override { return nullptr; }

 private:
  std::function<double(double)> f_, df_;
};

/// dx/dt = -x + w tanh(x) + b (current form, tau = 1).
RateModel tanh_unit(double w, double b) {
  return RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(1),
                   Matrix::Constant(1, 1, w), Vector::Constant(1, b));
}

NumericStartOutcome from(const Model& m, double x0, const NumericFixedPointOptions& o = {}) {
  return solve_fixed_point_from(m, Vector::Constant(1, x0), o);
}

TEST(NumericStartStatuses, FixedPointAtASimpleZero) {
  // x = 2 tanh(x): the positive root 1.9150080481545375 (closed form by bisection elsewhere)
  const auto out = from(tanh_unit(2.0, 0.0), 1.5);
  EXPECT_EQ(out.status, NumericStartStatus::FixedPoint);
  EXPECT_NEAR(out.x(0), 1.9150080481545375, 1e-12);
  EXPECT_EQ(to_string(out.status), "fixed point");
}

TEST(NumericStartStatuses, SlowPointAndStationaryAtAGhost) {
  // b = 0.6 is past the fold b = 0.533: the minimum of q at x = -acosh(sqrt 2), where
  // F = -x + 2 tanh(x) + 0.6 = 0.0672 and q = F^2 / 2 = 2.26e-3, is a ghost of the lost zero
  const RateModel m = tanh_unit(2.0, 0.6);
  const double ghost = -std::acosh(std::sqrt(2.0));
  const double q = 0.5 * std::pow(-ghost + 2 * std::tanh(ghost) + 0.6, 2);
  NumericFixedPointOptions o;
  o.slow_q_max = 1e-2;  // above q: a slow point
  const auto slow = from(m, -1.0, o);
  EXPECT_EQ(slow.status, NumericStartStatus::SlowPoint);
  EXPECT_NEAR(slow.x(0), ghost, 1e-5);
  EXPECT_NEAR(slow.q, q, 1e-9);
  o.slow_q_max = 1e-4;  // the default, below q: discarded as stationary
  const auto stationary = from(m, -1.0, o);
  EXPECT_EQ(stationary.status, NumericStartStatus::Stationary);
  EXPECT_NEAR(stationary.x(0), ghost, 1e-5);
  EXPECT_EQ(to_string(stationary.status), "stationary");
}

TEST(NumericStartStatuses, MaxIterationsOnABudgetOfOneStep) {
  NumericFixedPointOptions o;
  o.max_iter = 1;
  o.stall_steps = 0;
  const auto out = from(tanh_unit(2.0, 0.0), 50.0, o);
  EXPECT_EQ(out.status, NumericStartStatus::MaxIterations);
  EXPECT_EQ(out.iterations, 1);
  EXPECT_GT(out.q, o.q_tol);
  o.max_iter = 200;  // the default budget reaches the zero
  EXPECT_EQ(from(tanh_unit(2.0, 0.0), 50.0, o).status, NumericStartStatus::FixedPoint);
}

TEST(NumericStartStatuses, StalledWhileCrawlingTowardsAZeroAtInfinity) {
  // F = x^-0.01 (x > 0) vanishes only as x -> inf: each Gauss-Newton step multiplies x by 101 and
  // q = x^-0.02 / 2 by 101^-0.02 = 0.912, a crawl (less than 10 % per step), while the gradient
  // F F' = -0.01 x^-1.02 stays above the stationarity test for the first few steps
  const double p = 0.01;
  const ScalarFlow m([p](double x) { return std::pow(x, -p); }, [p](double x) { return -p * std::pow(x, -p - 1); });
  NumericFixedPointOptions o;
  o.solver = NumericSolver::LevenbergMarquardt;  // the step counts below are LM's
  o.stall_steps = 3;
  const auto out = from(m, 1.0, o);
  EXPECT_EQ(out.status, NumericStartStatus::Stalled) << to_string(out.status) << " x " << out.x(0);
  EXPECT_EQ(out.iterations, 2);  // the third crawling step ends the run (counted from 0)
  EXPECT_GT(out.x(0), 100.0);    // damped steps: x grows by less than the factor 101 per step
  EXPECT_EQ(to_string(out.status), "stalled");
  o.stall_steps = 0;  // never: the run goes on until the gradient test calls it stationary
  EXPECT_EQ(from(m, 1.0, o).status, NumericStartStatus::Stationary);
  // The dogleg's full Newton steps (x -> 101 x while inside the trust radius) crawl too; LM,
  // continuing from there, crawls on and ends the run the same way.
  o.solver = NumericSolver::Dogleg;
  o.stall_steps = 3;
  const auto dog = from(m, 1.0, o);
  EXPECT_EQ(dog.status, NumericStartStatus::Stalled) << to_string(dog.status);
  EXPECT_GT(dog.x(0), 1e4) << dog.x(0);  // at least two undamped Newton steps
}

TEST(NumericStartStatuses, NonFiniteWhereTheResidualOverflows) {
  // dx/dt = -x + 3 x: F(1e308) = 2e308 overflows to inf
  const RateModel m(RateModel::Form::Current, Activation(ActivationKind::Linear), Vector::Ones(1),
                    Matrix::Constant(1, 1, 3.0), Vector::Zero(1));
  const auto out = from(m, 1e308);
  EXPECT_EQ(out.status, NumericStartStatus::NonFinite);
  EXPECT_TRUE(std::isinf(out.q));
  EXPECT_EQ(to_string(out.status), "non-finite");
  EXPECT_EQ(from(m, 1e3).status, NumericStartStatus::FixedPoint);  // the zero at 0
}

TEST(NumericStartStatuses, UnresolvedWhereALooseQTolAcceptsAGhost) {
  // b = 0.6: no zero near x = -acosh(sqrt 2), where q = 2.26e-3. With q_tol = 1e-2 the run counts
  // as having reached a zero, but Newton's step there (the error estimate) stays far above
  // newton_tol: unresolved, discarded
  const RateModel m = tanh_unit(2.0, 0.6);
  NumericFixedPointOptions o;
  o.q_tol = 1e-2;
  const auto out = from(m, -1.0, o);
  EXPECT_EQ(out.status, NumericStartStatus::Unresolved) << to_string(out.status);
  EXPECT_LE(out.q, o.q_tol);
  EXPECT_GT(out.error, 1e-3);
  EXPECT_EQ(to_string(out.status), "unresolved");
  // the same tolerance at the true zero (the one zero for b = 0.6, near x = 2.58) is a fixed point
  const auto zero = from(m, 2.5, o);
  EXPECT_EQ(zero.status, NumericStartStatus::FixedPoint) << to_string(zero.status);
  EXPECT_LE(zero.error, 1e-6);
  EXPECT_NEAR(-zero.x(0) + 2 * std::tanh(zero.x(0)) + 0.6, 0.0, 1e-12);
}

}  // namespace
}  // namespace rnndyn
