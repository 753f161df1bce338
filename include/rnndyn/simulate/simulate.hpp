#pragma once
/// Trajectories of flows (adaptive Dormand-Prince 5(4) from Boost.Odeint, sampled on a fixed
/// grid by dense output) and of maps (plain iteration).
#include <string>
#include <vector>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

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
  void validate() const;
};

enum class SimulateStatus { Ok, DivergedToInfinity };

struct Trajectory {
  std::vector<double> t;  ///< sample times (maps: step indices)
  Matrix x;               ///< states, one column per sample (dim x samples)
  SimulateStatus status = SimulateStatus::Ok;
};

/// Throws InputError when x0 has the wrong length or is not finite, or the options are invalid.
Trajectory simulate(const Model& model, const Vector& x0, const SimulateOptions& options = {});

}  // namespace rnndyn
