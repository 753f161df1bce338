// How long a trained network keeps a memory held at a slow point (issue 33): the orbit started at
// the slow point x_s drifts with speed |R(x_s)| = sqrt(2 q) and, once it has left the slow
// region, accelerates; the memory time is the first time it is farther than r from x_s,
//
//   T(r) = inf { t : |x(t) - x_s| > r },   x(0) = x_s,
//
// measured by simulation (the model's own map, or the flow by Dormand-Prince in spans of
// doubling length, so that a short memory is resolved as finely as a long one). For a ghost just
// past a saddle-node, dx/dt = -(mu + a y^2), T(r) = atan(r sqrt(a / mu)) / sqrt(a mu) ~
// pi / (2 sqrt(a mu)): the speed alone (r / mu) overestimates it by far, hence the simulation.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <vector>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The radius: the option, else half the distance to the nearest other point, else 5 % of |x|.
double memory_radius(const NumericPoint& p, const NumericFixedPointResult& res, double option) {
  if (option > 0.0) return option;
  double nearest = kInf;
  for (const auto* list : {&res.fixed_points, &res.slow_points})
    for (const NumericPoint& o : *list)
      if (&o != &p) nearest = std::min(nearest, (o.x - p.x).norm());
  return std::isfinite(nearest) ? 0.5 * nearest : 0.05 * std::max(1.0, p.x.norm());
}

/// Maps: steps until the orbit leaves the ball (inf within the horizon).
double map_memory_time(const Model& model, const Vector& xs, double r, double horizon) {
  Vector x = xs;
  const double steps = std::min(horizon, 1e9);
  for (double t = 1; t <= steps; ++t) {
    x = model.rhs(x);
    if (!x.allFinite() || (x - xs).norm() > r) return t;
  }
  return kInf;
}

/// Flows: time until the orbit leaves the ball, simulated in spans of doubling length (each
/// sampled at 1000 points) from the last state inside.
double flow_memory_time(const Model& model, const Vector& xs, double r, double horizon) {
  Vector x = xs;
  double t0 = 0.0, span = std::min(horizon, 1.0);
  while (t0 < horizon) {
    SimulateOptions so;
    so.t_end = std::min(span, horizon - t0);
    so.dt = so.t_end / 1000.0;
    const Trajectory tr = simulate(model, x, so);
    for (Index k = 0; k < tr.x.cols(); ++k)
      if (!tr.x.col(k).allFinite() || (tr.x.col(k) - xs).norm() > r) return t0 + tr.t[static_cast<size_t>(k)];
    if (tr.status != SimulateStatus::Ok) return t0 + tr.t.back();
    x = tr.x.col(tr.x.cols() - 1);
    t0 += so.t_end;
    span *= 2.0;
  }
  return kInf;
}

}  // namespace

void add_memory_times(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res) {
  for (NumericPoint& p : res.slow_points) {
    p.speed = std::sqrt(2.0 * p.q);
    p.memory_radius = memory_radius(p, res, options.memory_radius);
  }
  // The slowest first (ties by order found, so the choice does not depend on the sort).
  std::vector<std::size_t> order(res.slow_points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return res.slow_points[a].q < res.slow_points[b].q; });
  if (options.memory_time_points >= 0 && order.size() > static_cast<std::size_t>(options.memory_time_points))
    order.resize(static_cast<std::size_t>(options.memory_time_points));
  res.n_memory_times = static_cast<int>(order.size());
  // An exception (Ctrl-C seen by simulate, a model error) may not leave an OpenMP region: the
  // first is kept and rethrown after it, the other points skipped.
  std::exception_ptr error;
  const Monitor monitor;  // registers the run, so that Ctrl-C in the CLI stops it cleanly
  const auto n = static_cast<std::int64_t>(order.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t i = 0; i < n; ++i) {
    NumericPoint& p = res.slow_points[order[static_cast<size_t>(i)]];
    try {
      if (monitor.stopped()) continue;
      p.memory_time = model.time_kind() == TimeKind::Map
                          ? map_memory_time(model, p.x, p.memory_radius, options.memory_horizon)
                          : flow_memory_time(model, p.x, p.memory_radius, options.memory_horizon);
    } catch (...) {
#pragma omp critical(rnndyn_memory_time_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  monitor.check();  // a stop requested meanwhile: Interrupted, as the other long runs
}

}  // namespace rnndyn
