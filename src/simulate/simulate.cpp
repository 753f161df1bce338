#include "rnndyn/simulate/simulate.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <functional>

#include "../detail/checks.hpp"
#include "input_drive.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/linear/linear_network.hpp"

namespace rnndyn {

void SimulateOptions::validate() const {
  if (!(t_end > 0.0) || !std::isfinite(t_end)) throw InputError("t_end", "must be a finite number > 0");
  if (!(dt > 0.0) || !(dt <= t_end)) throw InputError("dt", "must satisfy 0 < dt <= t_end");
  if (!(abs_tol > 0.0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0.0)) throw InputError("rel_tol", "must be > 0");
  if (!(blowup > 0.0)) throw InputError("blowup", "must be > 0");
  if (t_end / dt > 1e8) throw InputError("dt", "t_end/dt exceeds 1e8 samples; increase dt");
}

namespace {

using State = std::vector<double>;

/// z = W_out r(x) + b_out at every sample (empty without a readout).
Matrix outputs(const Model& model, const Matrix& x) {
  const auto readout = model.readout();
  if (!readout) return {};
  Matrix z(readout->W_out.rows(), x.cols());
  for (Index k = 0; k < x.cols(); ++k) z.col(k) = readout->W_out * model.rates(x.col(k)) + readout->b_out;
  return z;
}

/// Reports every 64 steps (a clock read per step would cost more than a small model's step);
/// throws Interrupted once the run is stopped.
void checkpoint(Monitor& monitor, Index step, double t, double t_end) {
  if ((step & 63) == 0) monitor.checkpoint({"simulate", t_end > 0 ? std::min(1.0, t / t_end) : 1.0, step, 0, 0.0});
}

/// dx/dt = F(x; u(t)) piece by piece of u: the dense-output stepper restarts at every knot of
/// u(t), so no step straddles a jump of the input (a pulse edge, a sample of a held series), and
/// within a piece the input is the piece's own smooth formula even where a trial step reaches
/// past the knot.
Trajectory integrate_driven_flow(Model& driven, const detail::InputDrive& drive, const Vector& x0,
                                 const SimulateOptions& o, Monitor& monitor) {
  namespace odeint = boost::numeric::odeint;
  const Index n = driven.dim();
  Index piece = 0;
  Vector u;
  auto system = [&driven, &drive, &piece, &u, n](const State& x, State& dxdt, double t) {
    drive.on_piece(piece, t, u);
    driven.set_input(u);
    Vector f;
    driven.evaluate(Eigen::Map<const Vector>(x.data(), n), f);
    Eigen::Map<Vector>(dxdt.data(), n) = f;
  };
  auto stepper = odeint::make_dense_output(o.abs_tol, o.rel_tol, odeint::runge_kutta_dopri5<State>());
  const auto samples = static_cast<Index>(std::floor(o.t_end / o.dt + 1e-9)) + 1;
  Trajectory traj;
  traj.x.resize(n, samples);
  traj.x.col(0) = x0;
  traj.t.push_back(0.0);
  State x(x0.data(), x0.data() + n), out(static_cast<size_t>(n));
  double step_size = std::min(o.dt, 0.01);
  Index k = 1, step = 0;
  bool diverged = false;
  for (piece = 0; piece < drive.pieces() && k < samples && !diverged; ++piece) {
    const double a = drive.knot(piece), b = drive.knot(piece + 1);
    const bool last = piece + 1 == drive.pieces();
    stepper.initialize(x, a, std::min(step_size, b - a));
    for (;;) {
      checkpoint(monitor, ++step, stepper.current_time(), o.t_end);
      const double t_k = static_cast<double>(k) * o.dt;
      if (k < samples && t_k <= stepper.current_time() && (t_k <= b || last)) {
        stepper.calc_state(t_k, out);
        traj.x.col(k) = Eigen::Map<const Vector>(out.data(), n);
        traj.t.push_back(t_k);
        ++k;
        continue;
      }
      // The last piece runs on until every sample is taken (t_k may round past t_end).
      if (k >= samples || (!last && stepper.current_time() >= b)) break;
      stepper.do_step(system);
      double norm = 0.0;
      for (double v : stepper.current_state()) norm = std::max(norm, std::abs(v));
      if (!(norm <= o.blowup)) {
        diverged = true;
        break;
      }
    }
    if (diverged || k >= samples) break;
    // The state at the knot starts the next piece (the dense output interpolates back to it).
    stepper.calc_state(b, x);
    step_size = stepper.current_time_step();
  }
  if (diverged) traj.status = SimulateStatus::DivergedToInfinity;
  traj.x.conservativeResize(Eigen::NoChange, k);
  traj.u.resize(driven.input_dim(), k);
  for (Index j = 0; j < k; ++j) traj.u.col(j) = drive.at(traj.t[static_cast<size_t>(j)]);
  return traj;
}

/// x_{n+1} = F(x_n), or F(x_n; u_n) when `before_step(n)` sets the input of step n on `model`.
Trajectory iterate_map(const Model& model, const Vector& x0, const SimulateOptions& o, Monitor& monitor,
                       const std::function<void(Index)>& before_step = {}) {
  const auto steps = static_cast<Index>(std::floor(o.t_end));
  Trajectory traj;
  traj.x.resize(model.dim(), steps + 1);
  traj.x.col(0) = x0;
  traj.t.push_back(0.0);
  Vector x = x0, next;
  for (Index k = 1; k <= steps; ++k) {
    checkpoint(monitor, k, static_cast<double>(k), o.t_end);
    if (before_step) before_step(k - 1);
    model.evaluate(x, next);
    x.swap(next);
    traj.x.col(k) = x;
    traj.t.push_back(static_cast<double>(k));
    if (!(x.cwiseAbs().maxCoeff() <= o.blowup)) {
      traj.status = SimulateStatus::DivergedToInfinity;
      traj.x.conservativeResize(Eigen::NoChange, k + 1);
      break;
    }
  }
  return traj;
}

/// x_{n+1} = F(x_n; u_n): `driven` is the caller's clone, its input set before every step.
Trajectory iterate_driven_map(Model& driven, const detail::InputDrive& drive, const Vector& x0,
                              const SimulateOptions& o, Monitor& monitor) {
  Trajectory traj = iterate_map(driven, x0, o, monitor, [&](Index n) { driven.set_input(drive.at_step(n)); });
  traj.u.resize(driven.input_dim(), traj.x.cols());
  for (Index k = 0; k < traj.x.cols(); ++k) traj.u.col(k) = drive.at_step(k);
  return traj;
}

Trajectory integrate_flow(const Model& model, const Vector& x0, const SimulateOptions& o, Monitor& monitor) {
  namespace odeint = boost::numeric::odeint;
  const Index n = model.dim();
  auto system = [&model, n](const State& x, State& dxdt, double /*t*/) {
    Vector f;
    model.evaluate(Eigen::Map<const Vector>(x.data(), n), f);
    Eigen::Map<Vector>(dxdt.data(), n) = f;
  };
  auto stepper = odeint::make_dense_output(o.abs_tol, o.rel_tol, odeint::runge_kutta_dopri5<State>());
  const auto samples = static_cast<Index>(std::floor(o.t_end / o.dt + 1e-9)) + 1;
  Trajectory traj;
  traj.x.resize(n, samples);
  State x(x0.data(), x0.data() + n), out(static_cast<size_t>(n));
  stepper.initialize(x, 0.0, std::min(o.dt, 0.01));
  // Dense output can only interpolate after a first step, so t = 0 is recorded directly.
  traj.x.col(0) = x0;
  traj.t.push_back(0.0);
  Index k = 1;
  for (Index step = 1; k < samples; ++step) {
    checkpoint(monitor, step, stepper.current_time(), o.t_end);
    const double t_k = static_cast<double>(k) * o.dt;
    if (t_k <= stepper.current_time()) {
      stepper.calc_state(t_k, out);
      traj.x.col(k) = Eigen::Map<const Vector>(out.data(), n);
      traj.t.push_back(t_k);
      ++k;
      continue;
    }
    stepper.do_step(system);
    const auto& cur = stepper.current_state();
    double norm = 0.0;
    for (double v : cur) norm = std::max(norm, std::abs(v));
    if (!(norm <= o.blowup)) {
      traj.status = SimulateStatus::DivergedToInfinity;
      break;
    }
  }
  traj.x.conservativeResize(Eigen::NoChange, k);
  return traj;
}

}  // namespace

Trajectory simulate(const Model& model, const Vector& x0, const SimulateOptions& options) {
  options.validate();
  detail::require_length(x0, model.dim(), "x0");
  if (!options.inputs.empty()) {
    if (model.input_dim() == 0)
      throw InputError("inputs",
                       "the " + model.kind() +
                           " model has no input weights (W_in, W_ih or w_in), so it cannot be driven by an input");
    for (size_t i = 0; i < options.inputs.size(); ++i)
      options.inputs[i].validate(model.input_dim(), model.time_kind(), "inputs[" + std::to_string(i) + "].");
  }
  Monitor monitor(options.progress);
  Trajectory traj;
  if (options.inputs.empty()) {
    traj = model.time_kind() == TimeKind::Map ? iterate_map(model, x0, options, monitor)
                                              : integrate_flow(model, x0, options, monitor);
  } else {
    // A clone carries the time-dependent input, so the caller's model keeps its constant u.
    const detail::InputDrive drive(options.inputs, model.input(), model.time_kind(), options.t_end, options.dt);
    const auto driven = model.clone();
    traj = model.time_kind() == TimeKind::Map ? iterate_driven_map(*driven, drive, x0, options, monitor)
                                              : integrate_driven_flow(*driven, drive, x0, options, monitor);
  }
  traj.z = outputs(model, traj.x);
  // The last report, at 100 % (forced: a short run would otherwise report nothing).
  monitor.checkpoint({"simulate", 1.0, static_cast<std::int64_t>(traj.t.size()), 0, 0.0}, true);
  return traj;
}

}  // namespace rnndyn

namespace rnndyn {

std::string to_string(SimulateMethod m) { return m == SimulateMethod::ClosedForm ? "closed-form" : "ode"; }

SimulateMethod parse_simulate_method(const std::string& name, const std::string& field) {
  if (name == "ode") return SimulateMethod::Ode;
  if (name == "closed-form" || name == "closed_form") return SimulateMethod::ClosedForm;
  throw InputError(field, "expected ode or closed-form, got '" + name + "'");
}

std::string to_string(SimulateStatus s) { return s == SimulateStatus::Ok ? "ok" : "diverged"; }

Trajectory simulate(const Model& model, const SimulateOptions& options) {
  options.validate();
  const Stopwatch clock;
  SimulateOptions used = options;
  if (used.x0.size() == 0) used.x0 = model.initial_state_or_zeros();
  for (auto& in : used.inputs)  // the grid step the signal ran with, for the record
    if (in.dt == 0.0 && (in.kind == InputKind::Series || in.kind == InputKind::Noise)) in.dt = options.dt;
  detail::require_length(used.x0, model.dim(), "x0");
  Trajectory traj;
  if (options.method == SimulateMethod::ClosedForm) {
    if (!options.inputs.empty())
      throw InputError("method", "closed-form takes no input signals (the eigen-mode solution is for a constant h)");
    if (model.time_kind() != TimeKind::Flow || !model.linear_system())
      throw InputError(
          "method",
          "closed-form needs a linear model (tau dv/dt = -v + M v + h, or a rate model with linear units), got a " +
              model.kind() + " model");
    const auto samples = static_cast<Index>(std::floor(options.t_end / options.dt + 1e-9)) + 1;
    for (Index k = 0; k < samples; ++k) traj.t.push_back(static_cast<double>(k) * options.dt);
    traj.x = linear_closed_form(model, used.x0, traj.t);
    traj.z = outputs(model, traj.x);
  } else {
    traj = simulate(model, used.x0, options);
  }
  traj.options = used;
  traj.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  traj.info = {model.kind(), model.time_kind(), clock.seconds()};
  return traj;
}

}  // namespace rnndyn
