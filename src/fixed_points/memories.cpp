// Memories found from simulation: places where the network's own orbits dwell (memories.hpp).
#include "rnndyn/fixed_points/memories.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <numeric>
#include <random>
#include <string>
#include <unordered_set>

#include "../detail/parallel.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

void MemoryOptions::validate() const {
  if (orbits < 1) throw InputError("memories.orbits", "must be >= 1");
  if (steps < 1) throw InputError("memories.steps", "must be >= 1");
  if (!(dt > 0.0) || !std::isfinite(dt)) throw InputError("memories.dt", "must be finite and > 0");
  if (!(radius >= 0.0) || !std::isfinite(radius))
    throw InputError("memories.radius", "must be finite and >= 0 (0: automatic)");
  if (!(min_share >= 0.0 && min_share <= 1.0)) throw InputError("memories.min_share", "must be in [0, 1]");
}

namespace {

/// One orbit: how many samples it has, and only its slow ones (|R| <= the threshold) with their
/// speeds (a census of 64 orbits x 500 samples of a 512-unit network would otherwise hold 130 MB).
struct Orbit {
  Index samples = 0;
  std::vector<Vector> slow;
  std::vector<double> speed;

  void add(const Vector& x, double v, double threshold) {
    ++samples;
    if (std::isfinite(v) && v <= threshold && x.allFinite()) {
      slow.push_back(x);
      speed.push_back(v);
    }
  }
};

/// Maps: x_{t+1} = F(x_t); the speed at x_t is |x_{t+1} - x_t| = |R(x_t)|.
Orbit map_orbit(const Model& model, const Vector& x0, int steps, double threshold) {
  Orbit o;
  Vector x = x0;
  for (int t = 0; t < steps; ++t) {
    Vector next = model.rhs(x);
    o.add(x, (next - x).norm(), threshold);
    x.swap(next);
  }
  return o;
}

/// Flows: samples every dt by Dormand-Prince; the speed at a sample is |f(x)|.
Orbit flow_orbit(const Model& model, const Vector& x0, int steps, double dt, double threshold) {
  SimulateOptions so;
  so.dt = dt;
  so.t_end = dt * (steps - 1) + 0.5 * dt;  // steps samples, the last at dt (steps - 1)
  const Trajectory tr = simulate(model, x0, so);
  Orbit o;
  for (Index t = 0; t < std::min<Index>(steps, tr.x.cols()); ++t) {
    const Vector x = tr.x.col(t);
    o.add(x, model.rhs(x).norm(), threshold);
  }
  return o;
}

/// The rows orbits start from: distinct rows only (recorded trials repeat their initial state, and
/// a deterministic orbit from a repeated state adds nothing), at most k of them, in the order of a
/// fixed-seed shuffle: reproducible, and free of the aliasing of an even spread over data whose
/// rows alternate (every other row one state in a recording of two-step trials).
std::vector<Index> orbit_rows(const Matrix& data, int k) {
  std::vector<Index> rows;
  std::unordered_set<std::string> seen;
  for (Index i = 0; i < data.rows(); ++i) {
    const Vector row = data.row(i).transpose();
    if (seen.emplace(reinterpret_cast<const char*>(row.data()), sizeof(double) * row.size()).second) rows.push_back(i);
  }
  std::mt19937_64 rng(0x6d656d6f72696573ULL);  // "memories"
  std::shuffle(rows.begin(), rows.end(), rng);
  if (static_cast<Index>(rows.size()) > k) rows.resize(static_cast<size_t>(k));
  return rows;
}

/// The data's default radius: a tenth of their mean distance from the centroid.
double default_radius(const Matrix& data) {
  const Eigen::RowVectorXd centroid = data.colwise().mean();
  const double spread = (data.rowwise() - centroid).rowwise().norm().mean();
  return spread > 0.0 ? 0.1 * spread : 0.05;
}

/// Index of the nearest of `points` within r of x, else -1.
int nearest_within(const std::vector<Vector>& points, const Vector& x, double r) {
  int best = -1;
  double best_d = r;
  for (size_t i = 0; i < points.size(); ++i) {
    const double d = (points[i] - x).norm();
    if (d <= best_d) {
      best = static_cast<int>(i);
      best_d = d;
    }
  }
  return best;
}

}  // namespace

MemoryCensus find_memories(const Model& model, const Matrix& data, double speed_threshold, const MemoryOptions& o,
                           const std::vector<Vector>& fixed, const std::vector<Vector>& slow) {
  o.validate();
  if (data.rows() == 0) throw InputError("data", "memories need data states to start orbits from");
  if (data.cols() != model.dim()) throw InputError("data", "expected " + std::to_string(model.dim()) + " columns");
  if (!(speed_threshold > 0.0)) throw InputError("speed_threshold", "must be > 0");
  MemoryCensus census;
  const std::vector<Index> rows = orbit_rows(data, o.orbits);
  census.orbits = static_cast<int>(rows.size());
  census.radius = o.radius > 0.0 ? o.radius : default_radius(data);
  census.speed_threshold = speed_threshold;
  const bool map = model.time_kind() == TimeKind::Map;
  const double dt = map ? 1.0 : o.dt;

  // 1. Orbits from distinct data rows (orbit_rows), in parallel.
  std::vector<Orbit> orbits(static_cast<size_t>(census.orbits));
  const Monitor monitor;  // Ctrl-C in the CLI stops the run cleanly
  detail::parallel_for_each(
      census.orbits, 0, [&] { return monitor.stopped(); },
      [&](std::int64_t k) {
        const Vector x0 = data.row(rows[static_cast<size_t>(k)]).transpose();
        orbits[static_cast<size_t>(k)] =
            map ? map_orbit(model, x0, o.steps, speed_threshold) : flow_orbit(model, x0, o.steps, dt, speed_threshold);
      });
  monitor.check();
  census.steps = o.steps;

  // 2. The slow samples of all orbits as rows of P, with the orbit each came from.
  Index total = 0, n = 0;
  for (const Orbit& ob : orbits) {
    total += ob.samples;
    n += static_cast<Index>(ob.slow.size());
  }
  if (total == 0) return census;
  census.slow_share = static_cast<double>(n) / static_cast<double>(total);
  Matrix P(n, model.dim());
  Vector speed(n);
  std::vector<int> orbit_of(static_cast<size_t>(n));
  Index row = 0;
  for (int k = 0; k < census.orbits; ++k) {
    Orbit& ob = orbits[static_cast<size_t>(k)];
    for (size_t j = 0; j < ob.slow.size(); ++j, ++row) {
      P.row(row) = ob.slow[j].transpose();
      speed(row) = ob.speed[j];
      orbit_of[static_cast<size_t>(row)] = k;
    }
    ob = Orbit{};  // free as we go
  }

  // 3. Leader clustering in order of increasing speed: each place is centred on its slowest
  //    sample. Squared distances through |p|^2 + |c|^2 - 2 p.c: one matrix-vector product a place.
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return speed(a) < speed(b); });
  const Vector norms2 = P.rowwise().squaredNorm();
  std::vector<int> place(static_cast<size_t>(n), -1);
  std::vector<Memory> places;
  std::vector<std::vector<char>> visited;  // per place: which orbits came there
  const double r2 = census.radius * census.radius;
  for (const Index c : order) {
    if (place[static_cast<size_t>(c)] >= 0) continue;
    monitor.check();
    const int id = static_cast<int>(places.size());
    Memory m;
    m.x = P.row(c).transpose();
    m.speed = speed(c);
    places.push_back(m);
    visited.emplace_back(static_cast<size_t>(census.orbits), 0);
    const Vector d2 = (norms2.array() + norms2(c)).matrix() - 2.0 * (P * m.x);
    for (Index i = 0; i < n; ++i)
      if (place[static_cast<size_t>(i)] < 0 && d2(i) <= r2) {
        place[static_cast<size_t>(i)] = id;
        places.back().dwell += dt;
        visited.back()[static_cast<size_t>(orbit_of[static_cast<size_t>(i)])] = 1;
      }
  }
  census.places = static_cast<int>(places.size());

  // 4. Places where the orbits spent at least min_share of their time, by dwell.
  const double simulated = static_cast<double>(total) * dt;
  for (size_t p = 0; p < places.size(); ++p) {
    Memory& m = places[p];
    m.share = m.dwell / simulated;
    m.n_orbits = static_cast<int>(std::count(visited[p].begin(), visited[p].end(), char{1}));
    m.mean_visit = m.n_orbits > 0 ? m.dwell / m.n_orbits : 0.0;
    if (m.share < o.min_share) continue;
    m.fixed_point = nearest_within(fixed, m.x, census.radius);
    if (m.fixed_point < 0) m.slow_point = nearest_within(slow, m.x, census.radius);
    census.memories.push_back(std::move(m));
  }
  std::stable_sort(census.memories.begin(), census.memories.end(),
                   [](const Memory& a, const Memory& b) { return a.dwell > b.dwell; });
  return census;
}

void add_memories(const Model& model, const NumericFixedPointOptions& options, const Matrix& data,
                  NumericFixedPointResult& res) {
  if (!options.memories.enabled || data.rows() == 0 || !(res.slow_q_threshold > 0.0)) return;
  std::vector<Vector> fixed, slow;
  for (const NumericPoint& p : res.fixed_points) fixed.push_back(p.x);
  for (const NumericPoint& p : res.slow_points) slow.push_back(p.x);
  res.memory_census = find_memories(model, data, std::sqrt(2.0 * res.slow_q_threshold), options.memories, fixed, slow);
}

}  // namespace rnndyn
