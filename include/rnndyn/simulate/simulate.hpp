#pragma once
/// Trajectories of flows (adaptive Dormand-Prince 5(4) from Boost.Odeint, sampled on a fixed
/// grid by dense output) and of maps (plain iteration), optionally driven by input signals
/// u(t) = u + sum_i s_i(t) (input_signal.hpp) and read out as z = W_out r(x) + b_out
/// (Model::readout).
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/simulate/input_signal.hpp"

namespace rnndyn {

enum class SimulateMethod {
  Ode,         ///< Dormand-Prince 5(4) for flows, iteration for maps
  ClosedForm,  ///< the eigen-mode solution of seed 002 (linear networks only, linear_network.hpp)
};
std::string to_string(SimulateMethod m);  ///< "ode" / "closed-form"
SimulateMethod parse_simulate_method(const std::string& name, const std::string& field = "method");

struct SimulateOptions {
  /// End time t_end > 0 (flows: time units of tau; maps: number of steps, rounded down).
  double t_end = 100.0;
  /// Sampling interval of the output grid, 0 < dt <= t_end (maps: ignored, every step is kept).
  double dt = 0.1;
  /// Absolute and relative error tolerances of the adaptive stepper, > 0.
  double abs_tol = 1e-9;
  double rel_tol = 1e-9;
  /// Stop early (status DivergedToInfinity) when |x|_inf exceeds this, > 0.
  double blowup = 1e12;
  /// Initial state (length dim); empty (default): the model's own (model file x0, else a trained
  /// reservoir's first trained state), else zeros.
  Vector x0;
  /// How the trajectory is computed, default Ode.
  SimulateMethod method = SimulateMethod::Ode;
  /// Input signals added to the model's constant input u (input_signal.hpp); empty (default):
  /// u stays constant and the model is simulated as before. Only models with input weights take
  /// them (Model::input_dim() > 0), and only by the Ode method.
  std::vector<InputSignal> inputs;
  /// Reports (stage "simulate": share of t_end done); returning false stops the run with Interrupted, as does
  /// request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  void validate() const;
};

/// The fields of the options (core/describe.hpp); x0 and inputs have their own CLI parsers (--x0,
/// --input), progress is no setting.
template <>
struct Description<SimulateOptions> {
  using O = SimulateOptions;
  static constexpr auto fields = std::make_tuple(
      field("t_end", &O::t_end, "End time (flows: time units of tau; maps: number of steps), > 0", "--t-end"),
      field("dt", &O::dt, "Output sampling interval (flows; maps keep every step), 0 < dt <= t_end", "--dt"),
      field("abs_tol", &O::abs_tol, "Absolute tolerance of the adaptive stepper, > 0", "--atol"),
      field("rel_tol", &O::rel_tol, "Relative tolerance of the adaptive stepper, > 0", "--rtol"),
      field("blowup", &O::blowup, "Stop early (status diverged) when |x|_inf exceeds this, > 0"),
      field("x0", &O::x0, "Initial state; empty: the model's own (file x0, else a trained state), else zeros"),
      enum_field("method", &O::method, &parse_simulate_method,
                 "ode, or closed-form (linear model: eigen-mode solution of seed 002)", "--method"),
      field("inputs", &O::inputs,
            "Input signals added to the model's constant u (input_signal.hpp; only models with inputs, ode)"));
};

enum class SimulateStatus { Ok, DivergedToInfinity };

struct Trajectory {
  std::vector<double> t;  ///< sample times (maps: step indices)
  Matrix x;               ///< states, one column per sample (dim x samples)
  /// The input u(t_k) at each sample (input_dim x samples; maps: the input of the step leaving
  /// sample k); empty unless input signals were given.
  Matrix u;
  /// The readout z(t_k) = W_out r(x(t_k)) + b_out (outputs x samples); empty when the model has
  /// no readout.
  Matrix z;
  SimulateStatus status = SimulateStatus::Ok;
  RunInfo info;             ///< front door only
  SimulateOptions options;  ///< front door only: the options it ran with, x0 resolved
};
std::string to_string(SimulateStatus s);  ///< "ok" / "diverged"

template <>
struct Description<Trajectory> {
  using T = Trajectory;
  /// The front door fills the run header and the options; simulate(model, x0, ...) does not.
  static constexpr bool (*front_door)(const T&) = +[](const T& t) { return !t.info.model.empty(); };
  static constexpr auto fields = std::make_tuple(
      field("t", &T::t, "Sample times (maps: step indices)"),
      encoded(field("x", &T::x, "States, shape (samples, dim)"), &to_json_states),
      when(
          encoded(field("u", &T::u, "Input u(t) at each sample, shape (samples, input_dim); empty without input"),
                  &to_json_states),
          +[](const T& t) { return t.u.size() > 0; }),
      when(
          encoded(field("z", &T::z, "Readout z = W_out r + b_out at each sample, shape (samples, outputs)"),
                  &to_json_states),
          +[](const T& t) { return t.z.size() > 0; }),
      field("status", &T::status, "ok or diverged"),
      when(field("options", &T::options, "The options it ran with, x0 resolved"), front_door),
      when(view(
               "method", "How it was integrated (options.method)",
               +[](const T& t) { return to_string(t.options.method); }),
           front_door));
  static constexpr bool (*run_info_when)(const T&) = front_door;
};

/// Throws InputError when x0 has the wrong length or is not finite, or the options are invalid
/// (input signals given to a model without inputs, or not fitting its input_dim()).
Trajectory simulate(const Model& model, const Vector& x0, const SimulateOptions& options = {});

/// The front door: the trajectory from options.x0 (or the model's initial state) by
/// options.method, with the run header filled.
Trajectory simulate(const Model& model, const SimulateOptions& options);

}  // namespace rnndyn
