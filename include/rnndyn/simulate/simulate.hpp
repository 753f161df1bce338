#pragma once
/// Trajectories of flows (adaptive Dormand-Prince 5(4) from Boost.Odeint, sampled on a fixed
/// grid by dense output) and of maps (plain iteration).
#include <string>
#include <vector>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

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
  /// Initial state (length dim); empty (default): the model's own (model file x0), else zeros.
  Vector x0;
  /// How the trajectory is computed, default Ode.
  SimulateMethod method = SimulateMethod::Ode;
  /// Reports (stage "simulate": share of t_end done); returning false stops the run with Interrupted, as does
  /// request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  void validate() const;
};

enum class SimulateStatus { Ok, DivergedToInfinity };

struct Trajectory {
  std::vector<double> t;  ///< sample times (maps: step indices)
  Matrix x;               ///< states, one column per sample (dim x samples)
  SimulateStatus status = SimulateStatus::Ok;
  RunInfo info;             ///< front door only
  SimulateOptions options;  ///< front door only: the options it ran with, x0 resolved
};
std::string to_string(SimulateStatus s);  ///< "ok" / "diverged"

/// Throws InputError when x0 has the wrong length or is not finite, or the options are invalid.
Trajectory simulate(const Model& model, const Vector& x0, const SimulateOptions& options = {});

/// The front door: the trajectory from options.x0 (or the model's initial state) by
/// options.method, with the run header filled.
Trajectory simulate(const Model& model, const SimulateOptions& options);

}  // namespace rnndyn
