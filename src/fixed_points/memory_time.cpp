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

#include <omp.h>

#include "../detail/dense_lapack.hpp"
#include "../detail/parallel.hpp"
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

/// Maps: for each column of XS (a slow point x_s) the steps until its orbit leaves the ball of
/// radius r(c) (inf within the horizon). The orbits are stepped in lockstep by one
/// Model::evaluate_batch a step (a matrix-matrix product for the trained cells, several times
/// faster per orbit than one matrix-vector product each); an orbit that leaves is dropped.
std::vector<double> map_memory_times(const Model& model, const Matrix& XS, const Vector& r, double horizon,
                                     const Monitor& monitor) {
  std::vector<double> T(static_cast<size_t>(XS.cols()), kInf);
  std::vector<Index> live(static_cast<size_t>(XS.cols()));
  std::iota(live.begin(), live.end(), Index{0});
  Matrix X = XS, S = XS, F;
  Vector R = r;
  const double steps = std::min(horizon, 1e9);
  for (double t = 1; t <= steps && !live.empty(); ++t) {
    if (std::fmod(t, 64.0) == 0.0 && monitor.stopped()) break;
    model.evaluate_batch(X, F);
    Index keep = 0;
    for (Index c = 0; c < F.cols(); ++c) {
      if (!F.col(c).allFinite() || (F.col(c) - S.col(c)).norm() > R(c)) {
        T[static_cast<size_t>(live[static_cast<size_t>(c)])] = t;
        continue;
      }
      if (keep != c) {
        F.col(keep) = F.col(c);
        S.col(keep) = S.col(c);
        R(keep) = R(c);
        live[static_cast<size_t>(keep)] = live[static_cast<size_t>(c)];
      }
      ++keep;
    }
    live.resize(static_cast<size_t>(keep));
    X = F.leftCols(keep);
    S.conservativeResize(Eigen::NoChange, keep);
    R.conservativeResize(keep);
  }
  return T;
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

/// body(i) for i in [0, n) on OpenMP threads, none started once a stop is requested (an exception:
/// Ctrl-C seen by simulate, a model error, is rethrown after the loop).
template <class Body>
void for_each_item(std::int64_t n, int threads, const Monitor& monitor, Body&& body) {
  detail::parallel_for_each(
      n, threads, [&] { return monitor.stopped(); }, body);
}

/// Maps: the selected points in one chunk of orbits per thread (16 to 128 orbits: the product
/// W_hh X of a GRU(128) runs at 2-3 times the speed per orbit with 64 columns as with 16).
void map_memory_times_in_chunks(const Model& model, const NumericFixedPointOptions& options,
                                const std::vector<std::size_t>& order, NumericFixedPointResult& res, int threads,
                                const Monitor& monitor) {
  const auto n = static_cast<std::int64_t>(order.size());
  const std::int64_t kMemoryChunk = std::clamp<std::int64_t>((n + threads - 1) / threads, 16, 128);
  for_each_item((n + kMemoryChunk - 1) / kMemoryChunk, threads, monitor, [&](std::int64_t k) {
    const std::int64_t from = k * kMemoryChunk, to = std::min(n, from + kMemoryChunk);
    Matrix XS(model.dim(), to - from);
    Vector r(to - from);
    for (std::int64_t i = from; i < to; ++i) {
      const NumericPoint& p = res.slow_points[order[static_cast<size_t>(i)]];
      XS.col(i - from) = p.x;
      r(i - from) = p.memory_radius;
    }
    const std::vector<double> T = map_memory_times(model, XS, r, options.memory_horizon, monitor);
    for (std::int64_t i = from; i < to; ++i)
      res.slow_points[order[static_cast<size_t>(i)]].memory_time = T[static_cast<size_t>(i - from)];
  });
}

/// Flows: one simulation per point, the points in parallel.
void flow_memory_times(const Model& model, const NumericFixedPointOptions& options,
                       const std::vector<std::size_t>& order, NumericFixedPointResult& res, int threads,
                       const Monitor& monitor) {
  for_each_item(static_cast<std::int64_t>(order.size()), threads, monitor, [&](std::int64_t i) {
    NumericPoint& p = res.slow_points[order[static_cast<size_t>(i)]];
    p.memory_time = flow_memory_time(model, p.x, p.memory_radius, options.memory_horizon);
  });
}

}  // namespace

void add_memory_times(const Model& model, const NumericFixedPointOptions& options, NumericFixedPointResult& res) {
  for (NumericPoint& p : res.slow_points) {
    p.speed = std::sqrt(2.0 * p.q);
    p.memory_radius = memory_radius(p, res, options.memory_radius);
  }
  const std::vector<std::size_t> order = slowest_points(res.slow_points, options.memory_time_points);
  res.n_memory_times = static_cast<int>(order.size());
  const Monitor monitor;  // registers the run, so that Ctrl-C in the CLI stops it cleanly
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const detail::SingleThreadedBlas blas_guard;  // each orbit chunk's thread calls BLAS
  if (model.time_kind() == TimeKind::Map)
    map_memory_times_in_chunks(model, options, order, res, threads, monitor);
  else
    flow_memory_times(model, options, order, res, threads, monitor);
  monitor.check();  // a stop requested meanwhile: Interrupted, as the other long runs
}

}  // namespace rnndyn
