// Limit cycles by simulation, Poincare section and monodromy matrix; see limit_cycle.hpp.
#include "rnndyn/continuation/limit_cycle.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

void LimitCycleOptions::validate() const {
  if (!(transient >= 0) || !std::isfinite(transient)) throw InputError("transient", "must be >= 0");
  if (!(window > 0) || !std::isfinite(window)) throw InputError("window", "must be > 0");
  if (!(max_time > 0) || !std::isfinite(max_time)) throw InputError("max_time", "must be > 0");
  if (section_unit < -1) throw InputError("section_unit", "must be -1 (auto) or a unit index");
  if (!(period_tol > 0)) throw InputError("period_tol", "must be > 0");
  if (!(equilibrium_tol > 0)) throw InputError("equilibrium_tol", "must be > 0");
  if (!(abs_tol > 0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0)) throw InputError("rel_tol", "must be > 0");
  if (!(blowup > 0)) throw InputError("blowup", "must be > 0");
}

std::string to_string(LimitCycleStatus s) {
  switch (s) {
    case LimitCycleStatus::Found:
      return "found";
    case LimitCycleStatus::FixedPoint:
      return "fixed_point";
    case LimitCycleStatus::DampedOscillation:
      return "damped_oscillation";
    case LimitCycleStatus::NotPeriodic:
      return "not_periodic";
    case LimitCycleStatus::Diverged:
      return "diverged";
  }
  return "unknown";
}

namespace {
namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

double inf_norm(const State& s) {
  double m = 0.0;
  for (double v : s) m = std::max(m, std::abs(v));
  return m;
}
}  // namespace

Matrix monodromy_matrix(const Model& model, const Vector& x0, double T, double abs_tol, double rel_tol) {
  const Index n = model.dim();
  auto system = [&model, n](const State& y, State& dydt, double) {
    Vector f;
    Matrix J;
    model.evaluate(Eigen::Map<const Vector>(y.data(), n), f, &J);
    Eigen::Map<Vector>(dydt.data(), n) = f;
    Eigen::Map<Matrix>(dydt.data() + n, n, n) = J * Eigen::Map<const Matrix>(y.data() + n, n, n);
  };
  State y(static_cast<std::size_t>(n + n * n), 0.0);
  Eigen::Map<Vector>(y.data(), n) = x0;
  Eigen::Map<Matrix>(y.data() + n, n, n).setIdentity();
  odeint::integrate_adaptive(odeint::make_controlled(abs_tol, rel_tol, odeint::runge_kutta_dopri5<State>()), system, y,
                             0.0, T, T / 1000);
  return Eigen::Map<const Matrix>(y.data() + n, n, n);
}

LimitCycle find_limit_cycle(const Model& model, const Vector& x0, const LimitCycleOptions& o) {
  o.validate();
  const Index n = model.dim();
  if (model.time_kind() != TimeKind::Flow) throw InputError("model", "limit cycles are computed for flows only");
  if (x0.size() != n)
    throw InputError("x0", "expected " + std::to_string(n) + " entries, got " + std::to_string(x0.size()));
  if (!x0.allFinite()) throw InputError("x0", "entries must be finite");
  if (o.section_unit >= n) throw InputError("section_unit", "must be < " + std::to_string(n));

  auto system = [&model, n](const State& x, State& dxdt, double) {
    Vector f;
    model.evaluate(Eigen::Map<const Vector>(x.data(), n), f);
    Eigen::Map<Vector>(dxdt.data(), n) = f;
  };
  auto stepper = odeint::make_dense_output(o.abs_tol, o.rel_tol, odeint::runge_kutta_dopri5<State>());
  State x(x0.data(), x0.data() + n);
  stepper.initialize(x, 0.0, 1e-3);
  LimitCycle c;
  auto step = [&]() {
    stepper.do_step(system);
    return inf_norm(stepper.current_state()) <= o.blowup;
  };
  while (stepper.current_time() < o.transient)
    if (!step()) return c.status = LimitCycleStatus::Diverged, c;

  // Range over the window places the section.
  Vector lo = Vector::Constant(n, INFINITY), hi = Vector::Constant(n, -INFINITY);
  const double t_window_end = stepper.current_time() + o.window;
  while (stepper.current_time() < t_window_end) {
    if (!step()) return c.status = LimitCycleStatus::Diverged, c;
    const Eigen::Map<const Vector> s(stepper.current_state().data(), n);
    lo = lo.cwiseMin(s);
    hi = hi.cwiseMax(s);
  }
  const Vector range = hi - lo;
  const double scale = 1 + std::max(hi.cwiseAbs().maxCoeff(), lo.cwiseAbs().maxCoeff());
  if (range.maxCoeff() <= o.equilibrium_tol * scale) {
    c.status = LimitCycleStatus::FixedPoint;
    c.x_min = lo;
    c.x_max = hi;
    c.amplitude = range / 2;
    c.section_point = Eigen::Map<const Vector>(stepper.current_state().data(), n);
    return c;
  }
  Index u = o.section_unit;
  if (u < 0) range.maxCoeff(&u);
  c.section_unit = u;
  // The section is {F_u(x) = 0, F_u decreasing}: the maxima of x_u. Unlike a fixed level it is
  // crossed once per period whatever the offset of the oscillation, damped or not.
  Vector fbuf;
  auto speed = [&](const State& s) {
    model.evaluate(Eigen::Map<const Vector>(s.data(), n), fbuf);
    return fbuf(u);
  };

  // Section crossings, refined by bisection on the dense output.
  std::vector<double> times;
  std::vector<Vector> points;
  State buf(static_cast<std::size_t>(n));
  const double t_stop = stepper.current_time() + o.max_time;
  double prev_value = speed(stepper.current_state());
  while (stepper.current_time() < t_stop) {
    const double t_prev = stepper.current_time();
    if (!step()) return c.status = LimitCycleStatus::Diverged, c;
    const double value = speed(stepper.current_state());
    if (prev_value > 0 && value <= 0) {
      double a = t_prev, b = stepper.current_time();
      for (int it = 0; it < 200 && b - a > 1e-15 * std::max(1.0, std::abs(b)); ++it) {
        const double m = 0.5 * (a + b);
        stepper.calc_state(m, buf);
        (speed(buf) > 0 ? a : b) = m;
      }
      stepper.calc_state(b, buf);
      times.push_back(b);
      points.emplace_back(Eigen::Map<const Vector>(buf.data(), n));
      c.section_level = buf[static_cast<std::size_t>(u)];
      c.crossings = static_cast<int>(times.size());
      // Successive maxima m_k of a damped oscillation approach the fixed point geometrically:
      // (m_{k+1} - m_{k+2}) / (m_k - m_{k+1}) = exp(2 pi Re(lambda) / Im(lambda)), constant.
      if (points.size() >= 4) {
        const std::size_t k = points.size() - 1;
        const double d2 = points[k - 1](u) - points[k](u), d1 = points[k - 2](u) - points[k - 1](u),
                     d0 = points[k - 3](u) - points[k - 2](u);
        const double r1 = d2 / d1, r0 = d1 / d0;
        if (d0 > 0 && d1 > 0 && d2 > 0 && r1 < 1 - 1e-3 && std::abs(r1 - r0) < 1e-2 * r1) {
          c.status = LimitCycleStatus::DampedOscillation;
          c.period = times[k] - times[k - 1];
          c.decay_per_period = r1;
          c.section_point = points.back();
          c.x_min = lo;
          c.x_max = hi;
          c.amplitude = range / 2;
          return c;
        }
      }
      if (times.size() >= 3) {
        const std::size_t k = times.size() - 1;
        const double T1 = times[k] - times[k - 1], T0 = times[k - 1] - times[k - 2];
        const double dx = (points[k] - points[k - 1]).cwiseAbs().maxCoeff();
        c.period_change = std::abs(T1 - T0) / T1;
        if (c.period_change <= o.period_tol && dx <= std::sqrt(o.period_tol) * scale) {
          c.status = LimitCycleStatus::Found;
          c.period = T1;
          c.section_point = points[k];
          break;
        }
      }
    }
    prev_value = value;
  }
  if (c.status != LimitCycleStatus::Found) {
    if (!points.empty()) c.section_point = points.back();
    c.x_min = lo;
    c.x_max = hi;
    c.amplitude = range / 2;
    return c;
  }
  // Range over one period from dense samples of a fresh orbit through the section point (the
  // extrema lie between integrator steps).
  SimulateOptions so;
  so.t_end = c.period;
  so.dt = c.period / 2000;
  so.abs_tol = o.abs_tol;
  so.rel_tol = o.rel_tol;
  const Trajectory orbit = simulate(model, c.section_point, so);
  c.x_min = orbit.x.rowwise().minCoeff();
  c.x_max = orbit.x.rowwise().maxCoeff();
  c.amplitude = (c.x_max - c.x_min) / 2;
  c.monodromy = monodromy_matrix(model, c.section_point, c.period, o.abs_tol, o.rel_tol);
  c.floquet_multipliers = eigen_decompose(c.monodromy, TimeKind::Map).eigenvalues;
  c.trivial_multiplier_error = (c.floquet_multipliers.array() - Complex(1.0, 0.0)).abs().minCoeff();
  return c;
}

}  // namespace rnndyn
