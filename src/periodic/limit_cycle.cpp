// Limit cycles by simulation, Poincare section and monodromy matrix; see limit_cycle.hpp.
#include "rnndyn/periodic/limit_cycle.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/dynamics/tangent.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

void LimitCycleOptions::validate() const {
  if (!x0.allFinite()) throw InputError("x0", "entries must be finite");
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

/// The orbit x(t) from x0 by dense-output Dormand-Prince 5(4).
class Orbit {
 public:
  Orbit(const Model& model, const Vector& x0, const LimitCycleOptions& o, Monitor& monitor)
      : model_(model),
        n_(model.dim()),
        blowup_(o.blowup),
        horizon_(o.transient + o.window + o.max_time),
        monitor_(monitor),
        stepper_(odeint::make_dense_output(o.abs_tol, o.rel_tol, odeint::runge_kutta_dopri5<State>())) {
    stepper_.initialize(State(x0.data(), x0.data() + n_), 0.0, 1e-3);
  }
  /// One adaptive step; false once the orbit leaves |x|_inf <= blowup. Polls the monitor every
  /// 64 steps (throws Interrupted when the run is stopped).
  bool step() {
    if ((++steps_ & 63) == 0) monitor_.checkpoint({"limit cycle", std::min(1.0, time() / horizon_), steps_, 0, 0.0});
    const Index n = n_;
    const Model& model = model_;
    stepper_.do_step([&model, n](const State& x, State& dxdt, double) {
      Vector f;
      model.evaluate(Eigen::Map<const Vector>(x.data(), n), f);
      Eigen::Map<Vector>(dxdt.data(), n) = f;
    });
    return inf_norm(stepper_.current_state()) <= blowup_;
  }
  /// Steps until time t; false if the orbit diverged on the way.
  bool run_until(double t) {
    while (time() < t)
      if (!step()) return false;
    return true;
  }
  double time() const { return stepper_.current_time(); }
  const State& state() const { return stepper_.current_state(); }
  Vector state_vector() const { return Eigen::Map<const Vector>(state().data(), n_); }
  void state_at(double t, State& out) const { stepper_.calc_state(t, out); }
  /// F_u(x): the section function.
  double speed(const State& s, Index u) const {
    model_.evaluate(Eigen::Map<const Vector>(s.data(), n_), f_);
    return f_(u);
  }

 private:
  const Model& model_;
  Index n_;
  double blowup_;
  double horizon_;
  Monitor& monitor_;
  std::int64_t steps_ = 0;
  odeint::result_of::make_dense_output<odeint::runge_kutta_dopri5<State>>::type stepper_;
  mutable Vector f_;
};

/// Range of every unit over the window; false if the orbit diverged.
bool measure_window(Orbit& orbit, double window, Vector& lo, Vector& hi) {
  const Index n = static_cast<Index>(orbit.state().size());
  lo = Vector::Constant(n, INFINITY);
  hi = Vector::Constant(n, -INFINITY);
  const double t_end = orbit.time() + window;
  while (orbit.time() < t_end) {
    if (!orbit.step()) return false;
    const Eigen::Map<const Vector> s(orbit.state().data(), n);
    lo = lo.cwiseMin(s);
    hi = hi.cwiseMax(s);
  }
  return true;
}

/// Time of the crossing F_u = 0 in [a, b] (F_u(a) > 0 >= F_u(b)) by bisection on the dense output.
double bisect_crossing(const Orbit& orbit, Index u, double a, double b, State& buf) {
  for (int it = 0; it < 200 && b - a > 1e-15 * std::max(1.0, std::abs(b)); ++it) {
    const double m = 0.5 * (a + b);
    orbit.state_at(m, buf);
    (orbit.speed(buf, u) > 0 ? a : b) = m;
  }
  orbit.state_at(b, buf);
  return b;
}

/// Successive maxima m_k of a damped oscillation approach the fixed point geometrically:
/// (m_{k+1} - m_{k+2}) / (m_k - m_{k+1}) = exp(2 pi Re(lambda) / Im(lambda)), constant.
/// Returns that ratio when the last four maxima show it, else 0.
double damping_ratio(const std::vector<Vector>& points, Index u) {
  if (points.size() < 4) return 0.0;
  const std::size_t k = points.size() - 1;
  const double d2 = points[k - 1](u) - points[k](u), d1 = points[k - 2](u) - points[k - 1](u),
               d0 = points[k - 3](u) - points[k - 2](u);
  const double r1 = d2 / d1, r0 = d1 / d0;
  return d0 > 0 && d1 > 0 && d2 > 0 && r1 < 1 - 1e-3 && std::abs(r1 - r0) < 1e-2 * r1 ? r1 : 0.0;
}

/// Follows the section crossings until the period converges (Found), the maxima decay
/// geometrically (DampedOscillation) or max_time runs out (NotPeriodic); false if diverged.
bool follow_crossings(Orbit& orbit, Index u, double scale, const LimitCycleOptions& o, LimitCycle& c) {
  std::vector<double> times;
  std::vector<Vector> points;
  State buf(orbit.state().size());
  const double t_stop = orbit.time() + o.max_time;
  double prev_value = orbit.speed(orbit.state(), u);
  while (orbit.time() < t_stop) {
    const double t_prev = orbit.time();
    if (!orbit.step()) return false;
    const double value = orbit.speed(orbit.state(), u);
    if (prev_value > 0 && value <= 0) {
      times.push_back(bisect_crossing(orbit, u, t_prev, orbit.time(), buf));
      points.emplace_back(Eigen::Map<const Vector>(buf.data(), static_cast<Index>(buf.size())));
      c.section_level = buf[static_cast<std::size_t>(u)];
      c.crossings = static_cast<int>(times.size());
      c.section_point = points.back();
      const std::size_t k = times.size() - 1;
      if (const double ratio = damping_ratio(points, u); ratio > 0) {
        c.status = LimitCycleStatus::DampedOscillation;
        c.period = times[k] - times[k - 1];
        c.decay_per_period = ratio;
        return true;
      }
      if (times.size() >= 3) {
        const double T1 = times[k] - times[k - 1], T0 = times[k - 1] - times[k - 2];
        const double dx = (points[k] - points[k - 1]).cwiseAbs().maxCoeff();
        c.period_change = std::abs(T1 - T0) / T1;
        if (c.period_change <= o.period_tol && dx <= std::sqrt(o.period_tol) * scale) {
          c.status = LimitCycleStatus::Found;
          c.period = T1;
          return true;
        }
      }
    }
    prev_value = value;
  }
  return true;
}

/// A found cycle: its range over one period from dense samples of a fresh orbit through the
/// section point (the extrema lie between integrator steps), Phi(T) and the multipliers.
void describe_cycle(const Model& model, const LimitCycleOptions& o, LimitCycle& c) {
  SimulateOptions so;
  so.t_end = c.period;
  so.dt = c.period / 2000;
  so.abs_tol = o.abs_tol;
  so.rel_tol = o.rel_tol;
  const Trajectory orbit = simulate(model, c.section_point, so);
  c.x_min = orbit.x.rowwise().minCoeff();
  c.x_max = orbit.x.rowwise().maxCoeff();
  c.amplitude = (c.x_max - c.x_min) / 2;
  TangentOptions to;
  to.abs_tol = o.abs_tol;
  to.rel_tol = o.rel_tol;
  c.monodromy = fundamental_matrix(model, c.section_point, c.period, to);
  c.floquet_multipliers = eigen_decompose(c.monodromy, TimeKind::Map).eigenvalues;
  c.trivial_multiplier_error = (c.floquet_multipliers.array() - Complex(1.0, 0.0)).abs().minCoeff();
}

/// Transient, window, section and crossings: the search itself (c.x0 holds the start).
void search(const Model& model, const LimitCycleOptions& o, LimitCycle& c, Monitor& monitor) {
  Orbit orbit(model, c.x0, o, monitor);
  Vector lo, hi;
  if (!orbit.run_until(o.transient) || !measure_window(orbit, o.window, lo, hi)) {
    c.status = LimitCycleStatus::Diverged;
    return;
  }
  const Vector range = hi - lo;
  c.x_min = lo;
  c.x_max = hi;
  c.amplitude = range / 2;
  const double scale = 1 + std::max(hi.cwiseAbs().maxCoeff(), lo.cwiseAbs().maxCoeff());
  if (range.maxCoeff() <= o.equilibrium_tol * scale) {
    c.status = LimitCycleStatus::FixedPoint;
    c.section_point = orbit.state_vector();
    return;
  }
  Index u = o.section_unit;
  if (u < 0) range.maxCoeff(&u);
  c.section_unit = u;
  // The section is {F_u(x) = 0, F_u decreasing}: the maxima of x_u. Unlike a fixed level it is
  // crossed once per period whatever the offset of the oscillation, damped or not.
  if (!follow_crossings(orbit, u, scale, o, c)) {
    c.status = LimitCycleStatus::Diverged;
    return;
  }
  if (c.status == LimitCycleStatus::Found) describe_cycle(model, o, c);
}

}  // namespace

LimitCycle find_limit_cycle(const Model& model, const LimitCycleOptions& o) {
  const Stopwatch watch;
  o.validate();
  const Index n = model.dim();
  if (model.time_kind() != TimeKind::Flow) throw InputError("model", "limit cycles are computed for flows only");
  if (o.x0.size() != 0 && o.x0.size() != n)
    throw InputError("x0", "expected " + std::to_string(n) + " entries, got " + std::to_string(o.x0.size()));
  if (o.section_unit >= n) throw InputError("section_unit", "must be < " + std::to_string(n));
  LimitCycle c;
  c.options = o;
  c.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  c.x0 = o.x0.size() ? o.x0 : model.initial_state_or_zeros();
  Monitor monitor(o.progress);
  search(model, o, c, monitor);
  // The last report, at 100 % (forced: a short run would otherwise report nothing).
  monitor.checkpoint({"limit cycle", 1.0, 0, c.status == LimitCycleStatus::Found ? 1 : 0, 0.0}, true);
  c.info = {model.kind(), model.time_kind(), watch.seconds()};
  return c;
}

}  // namespace rnndyn
