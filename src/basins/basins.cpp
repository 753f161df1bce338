// The census front door (basins.hpp): attractors from find_fixed_points, starts drawn by
// draw_starts, orbits followed in parallel (orbit.cpp), new recurrent sets merged here, shares
// with Wilson intervals, the saddle graph and the 2-D basin map.
#include "rnndyn/basins/basins.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>

#include "../detail/parallel.hpp"
#include "orbit.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn {

std::string to_string(BasinsStatus s) { return s == BasinsStatus::Complete ? "complete" : "incomplete"; }

void BasinsOptions::validate() const {
  if (starts.count < 1) throw InputError("starts.count", "must be >= 1");
  fixed_points.validate();
  const auto finite_positive = [](double v) { return v > 0.0 && std::isfinite(v); };
  if (!(ball_fraction > 0.0 && ball_fraction <= 0.5)) throw InputError("ball_fraction", "must be in (0, 0.5]");
  if (!finite_positive(max_time)) throw InputError("max_time", "must be a finite number > 0");
  if (!(check_interval > 0.0 && check_interval <= max_time))
    throw InputError("check_interval", "must be in (0, max_time]");
  if (!(abs_tol > 0.0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0.0)) throw InputError("rel_tol", "must be > 0");
  if (!(blowup > 0.0)) throw InputError("blowup", "must be > 0");
  if (!(record_fraction > 0.0 && record_fraction < 1.0)) throw InputError("record_fraction", "must be in (0, 1)");
  if (!finite_positive(settle_tol)) throw InputError("settle_tol", "must be > 0");
  if (max_period < 1) throw InputError("max_period", "must be >= 1");
  if (!(lyapunov_tol >= 0.0)) throw InputError("lyapunov_tol", "must be >= 0");
  if (!(confidence > 0.0 && confidence < 1.0)) throw InputError("confidence", "must be in (0, 1)");
  if (!(saddle_eps > 0.0 && saddle_eps < 0.5)) throw InputError("saddle_eps", "must be in (0, 0.5)");
  if (cycle_periods < 0 || cycle_periods > 16) throw InputError("cycle_periods", "must be in [0, 16]");
  if (!(cycle_time_limit > 0.0)) throw InputError("cycle_time_limit", "must be > 0");
  if (map_resolution < 0 || map_resolution > 2000) throw InputError("map_resolution", "must be in [0, 2000]");
  if (map_lo.size() != map_hi.size()) throw InputError("map_lo", "map_lo and map_hi must have the same length");
  if (map_lo.size() > 2) throw InputError("map_lo", "expected 1 or 2 values");
  for (Index i = 0; i < map_lo.size(); ++i)
    if (!(map_lo(i) < map_hi(i)) || !std::isfinite(map_lo(i)) || !std::isfinite(map_hi(i)))
      throw InputError("map_lo", "must be finite and below map_hi");
}

namespace {

using detail::Ball;
using detail::OrbitFollower;
using detail::OrbitOutcome;

/// The fixed points of the search (numeric: fixed points only, not slow points).
std::vector<Vector> found_points(const FixedPointResult& fp) {
  std::vector<Vector> xs;
  if (fp.exact)
    for (const auto& p : fp.exact->fixed_points) xs.push_back(p.x);
  if (fp.numeric)
    for (const auto& p : fp.numeric->fixed_points) xs.push_back(p.x);
  return xs;
}

/// The search's options: where the census starts (its data and noise, or its box) when the
/// search's own starts were left at their defaults; without slow manifolds and memories.
FixedPointOptions search_options(const BasinsOptions& o) {
  FixedPointOptions f = o.fixed_points;
  if (f.starts.data.size() == 0 && f.starts.initial_states.size() == 0 && f.starts.box_lo.size() == 0) {
    f.starts.data = o.starts.data;
    f.starts.noise = o.starts.noise;
    f.starts.box_lo = o.starts.box_lo;
    f.starts.box_hi = o.starts.box_hi;
  }
  // The census needs the fixed points only: slow manifolds and memories would cost more than
  // the census itself on trained networks.
  f.numeric.slow_manifolds.enabled = false;
  f.numeric.memories.enabled = false;
  f.progress = o.progress;
  return f;
}

/// Stable cycles of minimal period 2..cycle_periods of a piecewise-linear map (the exact search).
std::vector<PlCycle> stable_cycles(const Model& model, const BasinsOptions& o) {
  std::vector<PlCycle> out;
  if (o.cycle_periods < 2) return out;
  if (!model.piecewise_linear() || model.time_kind() != TimeKind::Map)
    throw InputError("cycle_periods", "the cycle search needs a piecewise-linear map (plrnn, shplrnn), this is a " +
                                          model.kind() + " " + (model.time_kind() == TimeKind::Map ? "map" : "flow"));
  for (int k = 2; k <= o.cycle_periods; ++k) {
    PlCycleOptions co;
    co.period = k;
    co.time_limit = o.cycle_time_limit;
    co.progress = o.progress;
    for (const PlCycle& c : find_cycles(model, co).cycles)
      if (c.stability.n_unstable == 0 && c.stability.n_marginal == 0) out.push_back(c);
  }
  return out;
}

/// A stable cycle of the search as an attractor; its exponent is log |largest multiplier| / k.
BasinAttractor cycle_attractor(const PlCycle& c, double radius) {
  BasinAttractor a;
  a.kind = "cycle";
  a.found_by = "search";
  a.x = c.points.front();
  a.points.resize(a.x.size(), c.period);
  for (int j = 0; j < c.period; ++j) a.points.col(j) = c.points[static_cast<size_t>(j)];
  a.period = c.period;
  a.radius = radius;
  a.lyapunov = c.multipliers.size() > 0 ? std::log(std::abs(c.multipliers(0))) / c.period
                                        : std::numeric_limits<double>::quiet_NaN();
  return a;
}

/// r_a: ball_fraction times the distance to the nearest other point (the points are distinct).
double ball_radius(const std::vector<Vector>& xs, size_t a, double fraction) {
  double nearest = std::numeric_limits<double>::infinity();
  for (size_t b = 0; b < xs.size(); ++b)
    if (b != a) nearest = std::min(nearest, (xs[b] - xs[a]).norm());
  return fraction * (std::isfinite(nearest) ? nearest : std::max(1.0, xs[a].norm()));
}

/// Maps: starts stepped in lockstep per chunk of this many (OrbitFollower::run_lockstep: one
/// Model::evaluate_batch per step for the chunk's undecided orbits). Large enough that the
/// trained cells' matrix-matrix product pays, small enough that the threads share the starts
/// evenly.
constexpr std::int64_t kLockstepChunk = 32;

/// Follows every row of X in parallel (maps: chunks of kLockstepChunk starts in lockstep; flows:
/// one start each) in one OpenMP region: a barrier per batch of starts cost a scheduling latency
/// each on a loaded machine (two threads slower than one). The calling thread (OpenMP's thread 0)
/// reports progress after each of its own chunks; an exception inside the region is kept and
/// rethrown after it.
std::vector<OrbitOutcome> follow_all(const OrbitFollower& follower, const Model& model, const Matrix& X,
                                     Monitor& monitor, const std::string& stage) {
  std::vector<OrbitOutcome> out(static_cast<size_t>(X.rows()));
  const std::int64_t n = X.rows();
  const std::int64_t chunk = model.time_kind() == TimeKind::Map ? kLockstepChunk : 1;
  std::atomic<std::int64_t> done{0};
  const auto follow = [&](std::int64_t c) {
    const std::int64_t from = c * chunk, to = std::min(n, from + chunk);
    if (chunk == 1) {
      out[static_cast<size_t>(from)] = follower.run(X.row(from).transpose(), &monitor);
    } else {
      const std::vector<OrbitOutcome> o = follower.run_lockstep(X.middleRows(from, to - from).transpose(), &monitor);
      std::copy(o.begin(), o.end(), out.begin() + from);
    }
    const std::int64_t d = done.fetch_add(to - from, std::memory_order_relaxed) + (to - from);
    if (omp_get_thread_num() == 0) monitor.poll({stage, static_cast<double>(d) / static_cast<double>(n), d, 0, 0.0});
  };
  detail::parallel_for_each((n + chunk - 1) / chunk, 0, [&] { return monitor.stopped(); }, follow);
  const std::int64_t d = done.load();
  monitor.checkpoint({stage, n > 0 ? static_cast<double>(d) / static_cast<double>(n) : 1.0, d, 0, 0.0});
  return out;
}

/// Whether orbit recurrence `r` is the recurrent attractor `a` (kinds agree; maps: periods too).
bool same_set(const detail::Recurrence& r, const BasinAttractor& a) {
  if (a.found_by != "recurrence" || a.kind != r.kind || a.period != r.period) return false;
  if (r.kind == "unknown") {
    // Chaotic sets are matched by their clouds: near centres and comparable sizes.
    const Vector ca = a.points.rowwise().mean(), cr = r.points.rowwise().mean();
    return (ca - cr).norm() < std::max(a.radius, r.radius);
  }
  for (Index k = 0; k < a.points.cols(); ++k)
    if ((a.points.col(k) - r.x).norm() < std::max(a.radius, r.radius)) return true;
  return false;
}

/// A continuum of fixed points of the exact search { origin + B y : A y <= b } (line and plane
/// attractors) and its attractor index.
struct Continuum {
  Vector origin;
  Matrix basis, A;
  Vector b;
  int attractor = -1;
};

/// The continua of the exact search as attractors (kind "continuum"): orbits that come to rest on
/// one are labelled by it, not by a new point each.
std::vector<Continuum> continua_of(const FixedPointResult& fp, Index dim, std::vector<BasinAttractor>& attractors) {
  std::vector<Continuum> out;
  if (!fp.exact) return out;
  for (const PlContinuum& c : fp.exact->continua) {
    if (c.basis.rows() != dim || c.origin.size() != dim) continue;  // latent coordinates: not comparable
    BasinAttractor a;
    a.kind = "continuum";
    a.found_by = "search";
    a.x = c.origin;
    a.points = c.vertices.cols() > 0 && c.vertices.rows() == dim ? c.vertices : Matrix(c.origin);
    a.lyapunov = std::numeric_limits<double>::quiet_NaN();
    out.push_back({c.origin, c.basis, c.inequalities_A, c.inequalities_b, static_cast<int>(attractors.size())});
    attractors.push_back(a);
  }
  return out;
}

/// The continuum a resting point x lies on (within tol of its span and inside its region), or -1.
int continuum_of(const Vector& x, const std::vector<Continuum>& continua) {
  const double tol = 1e-6 * (1.0 + x.norm());
  for (const Continuum& c : continua) {
    const Vector y = c.basis.transpose() * (x - c.origin);
    if ((x - c.origin - c.basis * y).norm() > tol) continue;
    if (c.A.rows() > 0 && ((c.A * y - c.b).array() > tol).any()) continue;
    return c.attractor;
  }
  return -1;
}

/// The attractor index of one outcome, appending a new recurrent attractor when none matches.
int label_of(const OrbitOutcome& o, std::vector<BasinAttractor>& attractors, const std::vector<Continuum>& continua) {
  if (o.recurrence.kind.empty()) return o.label;
  if (o.recurrence.kind == "fixed_point") {
    const int on = continuum_of(o.recurrence.x, continua);
    if (on >= 0) return on;
  }
  for (size_t i = 0; i < attractors.size(); ++i)
    if (same_set(o.recurrence, attractors[i])) return static_cast<int>(i);
  BasinAttractor a;
  a.kind = o.recurrence.kind;
  a.found_by = "recurrence";
  a.x = o.recurrence.x;
  a.points = o.recurrence.points;
  a.period = o.recurrence.period;
  a.period_time = o.recurrence.period_time;
  a.radius = o.recurrence.radius;
  a.lyapunov = o.recurrence.lyapunov;
  attractors.push_back(a);
  return static_cast<int>(attractors.size()) - 1;
}

/// Index-1 saddles (one real unstable eigenvalue) with their unstable direction.
std::vector<BasinSaddle> index_one_saddles(const std::vector<Vector>& xs, const std::vector<Linearization>& lin,
                                           double eps_share) {
  std::vector<BasinSaddle> saddles;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Linearization& l = lin[i];
    if (l.stability.n_unstable != 1 || l.stability.n_marginal != 0) continue;
    // eigen_decompose sorts the unstable eigenvalue first (largest real part or modulus).
    const Complex mu = l.eigen.eigenvalues(0);
    if (std::abs(mu.imag()) > 1e-12 * std::max(1.0, std::abs(mu))) continue;
    BasinSaddle s;
    s.fixed_point = static_cast<int>(i);
    s.x = xs[i];
    s.eigenvalue = mu.real();
    // The eigenvector of a real eigenvalue, up to a complex phase: turned real by its largest entry.
    ComplexVector v = l.eigen.eigenvectors.col(0);
    Index top = 0;
    v.cwiseAbs().maxCoeff(&top);
    v *= std::conj(v(top)) / std::abs(v(top));
    s.direction = v.real().normalized();
    s.eps = ball_radius(xs, i, eps_share);
    saddles.push_back(s);
  }
  return saddles;
}

/// Every pair of attractors joined by a saddle whose two branches reach both.
std::vector<BasinEdge> saddle_graph(const std::vector<BasinSaddle>& saddles) {
  std::vector<BasinEdge> edges;
  for (size_t s = 0; s < saddles.size(); ++s) {
    int a = saddles[s].plus, b = saddles[s].minus;
    if (a < 0 || b < 0 || a == b) continue;
    if (a > b) std::swap(a, b);
    auto it = std::find_if(edges.begin(), edges.end(), [&](const BasinEdge& e) { return e.a == a && e.b == b; });
    if (it == edges.end()) edges.push_back({a, b, {}}), it = edges.end() - 1;
    it->saddles.push_back(static_cast<int>(s));
  }
  std::sort(edges.begin(), edges.end(),
            [](const BasinEdge& x, const BasinEdge& y) { return std::make_pair(x.a, x.b) < std::make_pair(y.a, y.b); });
  return edges;
}

/// The grid centres of the basin map (its box: the options', else the starts' bounding box).
Matrix map_grid(const BasinsOptions& o, const Matrix& starts, BasinMap& map) {
  const int m = o.map_resolution;
  Vector lo = starts.colwise().minCoeff().transpose(), hi = starts.colwise().maxCoeff().transpose();
  if (o.map_lo.size() > 0) {
    lo = o.map_lo.size() == 1 ? Vector::Constant(2, o.map_lo(0)) : o.map_lo;
    hi = o.map_hi.size() == 1 ? Vector::Constant(2, o.map_hi(0)) : o.map_hi;
  }
  for (int ax = 0; ax < 2; ++ax)
    if (!(hi(ax) > lo(ax))) hi(ax) = lo(ax) + 1.0;  // one start: a unit box
  map.x.resize(m);
  map.y.resize(m);
  for (int j = 0; j < m; ++j) {
    map.x(j) = lo(0) + (j + 0.5) * (hi(0) - lo(0)) / m;
    map.y(j) = lo(1) + (j + 0.5) * (hi(1) - lo(1)) / m;
  }
  Matrix X(static_cast<Index>(m) * m, 2);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) X.row(static_cast<Index>(i) * m + j) << map.x(j), map.y(i);
  return X;
}

void fill_shares(const BasinsOptions& o, BasinsResult& r) {
  const auto n = static_cast<long>(r.n_starts);
  std::vector<double> time_sum(r.attractors.size(), 0.0);
  for (size_t i = 0; i < r.labels.size(); ++i) {
    const int l = r.labels[i];
    if (l >= 0) {
      ++r.attractors[static_cast<size_t>(l)].count;
      time_sum[static_cast<size_t>(l)] += r.times[i];
    } else if (l == kBasinDiverged) {
      ++r.n_diverged;
    } else {
      ++r.n_unsettled;
    }
  }
  r.n_settled = r.n_starts - r.n_unsettled - r.n_diverged;
  for (size_t a = 0; a < r.attractors.size(); ++a) {
    BasinAttractor& at = r.attractors[a];
    at.fraction = n > 0 ? static_cast<double>(at.count) / static_cast<double>(n) : 0.0;
    std::tie(at.ci_low, at.ci_high) = wilson_interval(static_cast<long>(at.count), n, o.confidence);
    at.mean_time = at.count > 0 ? time_sum[a] / static_cast<double>(at.count) : 0.0;
  }
  r.unsettled_fraction = n > 0 ? static_cast<double>(r.n_unsettled + r.n_diverged) / static_cast<double>(n) : 0.0;
  std::tie(r.unsettled_ci_low, r.unsettled_ci_high) =
      wilson_interval(static_cast<long>(r.n_unsettled + r.n_diverged), n, o.confidence);
  r.status = r.n_settled == r.n_starts ? BasinsStatus::Complete : BasinsStatus::Incomplete;
}

}  // namespace

BasinsResult basins(const Model& model, const BasinsOptions& options) {
  options.validate();
  if (options.map_resolution > 0 && model.dim() != 2)
    throw InputError("map_resolution", "the basin map needs a 2-D model, this one has dimension " +
                                           std::to_string(model.dim()) + " (use the saddle graph)");
  const Stopwatch clock;
  BasinsResult r;
  r.options = options;
  r.options.starts.data.resize(0, 0);
  r.options.starts.initial_states.resize(0, 0);
  r.options.progress = nullptr;
  r.info.model = model.kind();
  r.info.time = model.time_kind();

  StartsUsed used;
  r.starts = draw_starts(options.starts, model.dim(), &used);
  r.starts_from = used.from;
  r.n_starts = r.starts.rows();

  // 1. The attractors: the stable fixed points of the search, each with its error ball.
  const FixedPointResult fp = find_fixed_points(model, search_options(options));
  r.fixed_point_method = fp.method;
  r.fixed_point_status = fp.status;
  const std::vector<Vector> xs = found_points(fp);
  const std::vector<PlCycle> cycles = stable_cycles(model, options);
  std::vector<Vector> invariant = xs;  // every fixed point, then every point of the stable cycles
  for (const PlCycle& c : cycles) invariant.insert(invariant.end(), c.points.begin(), c.points.end());
  std::vector<Linearization> lin;
  std::vector<Ball> balls;
  for (size_t i = 0; i < xs.size(); ++i) {
    lin.push_back(linearize(model, xs[i]));
    const Stability& s = lin.back().stability;
    BasinFixedPoint p{xs[i], to_string(s.type), s.n_unstable, -1};
    const double radius = ball_radius(invariant, i, options.ball_fraction);
    if (s.n_unstable == 0 && s.n_marginal == 0) {
      BasinAttractor a;
      a.kind = "fixed_point";
      a.found_by = "search";
      a.x = xs[i];
      a.points = xs[i];
      a.period = model.time_kind() == TimeKind::Map ? 1 : 0;
      a.radius = radius;
      a.lyapunov = std::numeric_limits<double>::quiet_NaN();
      a.fixed_point = static_cast<int>(i);
      p.attractor = static_cast<int>(r.attractors.size());
      r.attractors.push_back(a);
    }
    balls.push_back({xs[i], radius, 0.5 * radius / options.ball_fraction, p.attractor});
    r.fixed_points.push_back(p);
  }
  // Each point of a stable cycle holds a ball (no reach: the steps along a cycle do not shrink).
  size_t next = xs.size();
  for (const PlCycle& c : cycles) {
    double smallest = std::numeric_limits<double>::infinity();
    const int index = static_cast<int>(r.attractors.size());
    for (const Vector& z : c.points) {
      const double radius = ball_radius(invariant, next++, options.ball_fraction);
      smallest = std::min(smallest, radius);
      balls.push_back({z, radius, 0.0, index});
    }
    r.attractors.push_back(cycle_attractor(c, smallest));
  }
  const std::vector<Continuum> continua = continua_of(fp, model.dim(), r.attractors);
  const OrbitFollower follower(model, options, balls);
  Monitor monitor(options.progress);

  // 2-3. Every start followed; new recurrent sets merged in start order (deterministic).
  const std::vector<OrbitOutcome> outcomes = follow_all(follower, model, r.starts, monitor, "basins");
  for (const OrbitOutcome& o : outcomes) {
    r.labels.push_back(label_of(o, r.attractors, continua));
    r.times.push_back(o.time);
  }

  // 5. The saddle graph: both branches of every index-1 saddle's unstable manifold.
  if (options.saddle_graph) {
    r.saddles = index_one_saddles(xs, lin, options.saddle_eps);
    Matrix X(2 * static_cast<Index>(r.saddles.size()), model.dim());
    for (size_t s = 0; s < r.saddles.size(); ++s) {
      const BasinSaddle& sd = r.saddles[s];
      X.row(2 * static_cast<Index>(s)) = (sd.x + sd.eps * sd.direction).transpose();
      X.row(2 * static_cast<Index>(s) + 1) = (sd.x - sd.eps * sd.direction).transpose();
    }
    // A weakly unstable saddle needs about log(distance / eps) / growth rate to leave its
    // neighbourhood: that escape time (three times over) is added to the branches' budget.
    BasinsOptions escape = options;
    for (const BasinSaddle& sd : r.saddles) {
      const double rate = model.time_kind() == TimeKind::Map ? std::log(std::abs(sd.eigenvalue)) : sd.eigenvalue;
      if (rate > 0.0)
        escape.max_time = std::max(
            escape.max_time, options.max_time + 3.0 * std::log(options.ball_fraction / options.saddle_eps) / rate);
    }
    const OrbitFollower branch_follower(model, escape, balls);
    const std::vector<OrbitOutcome> ends = follow_all(branch_follower, model, X, monitor, "saddle manifolds");
    for (size_t s = 0; s < r.saddles.size(); ++s) {
      r.saddles[s].plus = label_of(ends[2 * s], r.attractors, continua);
      r.saddles[s].minus = label_of(ends[2 * s + 1], r.attractors, continua);
    }
    r.graph = saddle_graph(r.saddles);
  }

  // The 2-D basin map.
  if (options.map_resolution > 0) {
    const Matrix X = map_grid(options, r.starts, r.map);
    const std::vector<OrbitOutcome> cells = follow_all(follower, model, X, monitor, "basin map");
    for (const OrbitOutcome& o : cells) r.map.labels.push_back(label_of(o, r.attractors, continua));
    r.has_map = true;
  }

  fill_shares(options, r);
  r.guarantee =
      "each start is labelled by the attractor whose error ball its simulated orbit entered (or the set it recurred "
      "on); attractors the search missed and no orbit reached are absent; shares are of the starts, with Wilson "
      "intervals";
  monitor.checkpoint({"basins", 1.0, r.n_starts, static_cast<std::int64_t>(r.attractors.size()), 0.0}, true);
  r.info.elapsed_seconds = clock.seconds();
  return r;
}

}  // namespace rnndyn
