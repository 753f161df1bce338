// One orbit of the census: followed check by check until it enters a ball, then, when the budget
// ends without one, the recorded tail of the orbit is asked what it recurs on (basins.hpp).
#include "orbit.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace rnndyn::detail {
namespace {

using State = std::vector<double>;

/// Steps whose lengths must shrink at a steady rate before an orbit is extrapolated.
constexpr size_t kSteadySteps = 6;

/// At most this many recorded states are kept on a recurrent set (thinned evenly).
constexpr Index kMaxSetPoints = 200;

double max_spread(const std::vector<Vector>& w, const Vector& ref) {
  double s = 0.0;
  for (const Vector& v : w) s = std::max(s, (v - ref).norm());
  return s;
}

/// The window's states as columns, every `stride`-th from the end (at most kMaxSetPoints).
Matrix thin(const std::vector<Vector>& w, Index* stride_out = nullptr) {
  const auto n = static_cast<Index>(w.size());
  const Index stride = std::max<Index>(1, (n + kMaxSetPoints - 1) / kMaxSetPoints);
  Matrix m(w.front().size(), (n + stride - 1) / stride);
  for (Index k = 0; k < m.cols(); ++k) m.col(k) = w[static_cast<size_t>(n - 1 - k * stride)];
  if (stride_out) *stride_out = stride;
  return m;
}

}  // namespace

namespace odeint = boost::numeric::odeint;
using Dense = odeint::result_of::make_dense_output<odeint::runge_kutta_dopri5<State>>::type;

/// Flows: Dormand-Prince 5(4) with dense output, as simulate(): it steps freely and the checks
/// read the interpolant, so no step is cut short at a check. Scratch vectors (maps: the next
/// state; flows: the stage's state and derivative), so that the stepping itself does not allocate.
struct OrbitFollower::Stepper {
  Stepper(const BasinsOptions& o, Index n)
      : dense(odeint::make_dense_output(o.abs_tol, o.rel_tol, odeint::runge_kutta_dopri5<State>())),
        out(static_cast<size_t>(n)),
        next(n),
        f(n),
        dt(std::min(0.01, o.check_interval)) {}
  Dense dense;
  State out;
  Vector next, f;
  double t = 0.0;        ///< time of the last check
  double dt;             ///< first step size of the next (re)start
  bool started = false;  ///< false: (re)start the stepper from x at the next advance
  void restart() {
    if (started) dt = dense.current_time_step();
    started = false;
  }
};

OrbitFollower::OrbitFollower(const Model& model, const BasinsOptions& options, std::vector<Ball> balls)
    : model_(model),
      options_(options),
      balls_(std::move(balls)),
      map_(model.time_kind() == TimeKind::Map),
      step_(map_ ? 1.0 : options.check_interval),
      checks_(static_cast<long>(std::ceil(options.max_time / step_))),
      record_from_(checks_ - std::max<long>(2, std::lround(options.record_fraction * static_cast<double>(checks_)))) {}

bool OrbitFollower::bounded(const Vector& x) const {
  return x.allFinite() && x.cwiseAbs().maxCoeff() <= options_.blowup;
}

bool OrbitFollower::advance(Stepper& st, Vector& x) const {
  if (map_) {
    model_.evaluate(x, st.next);
    x.swap(st.next);
    return bounded(x);
  }
  const Index n = x.size();
  auto system = [this, n, &st](const State& s, State& dsdt, double /*t*/) {
    // Through a scratch vector: a Map bound to evaluate's const Vector& would allocate a temporary.
    st.next = Eigen::Map<const Vector>(s.data(), n);
    model_.evaluate(st.next, st.f);
    Eigen::Map<Vector>(dsdt.data(), n) = st.f;
  };
  if (!st.started) {
    st.dense.initialize(State(x.data(), x.data() + n), st.t, st.dt);
    st.started = true;
  }
  const double target = st.t + options_.check_interval;
  while (st.dense.current_time() < target) {
    st.dense.do_step(system);
    const State& cur = st.dense.current_state();
    double norm = 0.0;
    for (double v : cur) norm = std::max(norm, std::abs(v));
    if (!(norm <= options_.blowup)) {  // NaN too
      x = Eigen::Map<const Vector>(cur.data(), n);
      return false;
    }
  }
  st.dense.calc_state(target, st.out);
  st.t = target;
  x = Eigen::Map<const Vector>(st.out.data(), n);
  return x.allFinite();
}

int OrbitFollower::ball_of(const Vector& x, bool stable_only) const {
  for (size_t i = 0; i < balls_.size(); ++i) {
    const Ball& b = balls_[i];
    if (stable_only && b.attractor < 0) continue;
    if ((x - b.x).norm() < b.radius) return static_cast<int>(i);
  }
  return -1;
}

int OrbitFollower::converging_to(const Vector& x, const std::vector<double>& steps) const {
  // The last steps shrink at a steady rate: q_i = s_i / s_{i-1} in (0, 1), max q / min q <= 1.1.
  // If the rate rho = max q holds, the rest of the orbit is shorter than s rho / (1 - rho), so
  // its limit, a fixed point, lies within that of x; when |x - x_a| plus that is below x_a's
  // reach, x_a is the only fixed point there, and the orbit converges to it.
  double q_min = 1.0, q_max = 0.0;
  for (size_t i = 1; i < steps.size(); ++i) {
    if (!(steps[i - 1] > 0.0)) return -1;
    const double q = steps[i] / steps[i - 1];
    q_min = std::min(q_min, q);
    q_max = std::max(q_max, q);
  }
  if (!(q_min > 0.0 && q_max < 1.0 && q_max <= 1.1 * q_min)) return -1;
  const double rest = steps.back() * q_max / (1.0 - q_max);
  for (size_t i = 0; i < balls_.size(); ++i) {
    const Ball& b = balls_[i];
    if (b.attractor >= 0 && (x - b.x).norm() + rest < b.reach) return static_cast<int>(i);
  }
  return -1;
}

bool OrbitFollower::check(Track& t, const Vector& x, long k, OrbitOutcome& out) const {
  if (k == 0) t.prev = x;
  if (k > 0 && options_.extrapolate) {
    if (t.steps.size() == kSteadySteps + 1) t.steps.erase(t.steps.begin());
    t.steps.push_back((x - t.prev).norm());
    t.prev = x;
  }
  int hit = ball_of(x, true);
  if (hit < 0 && t.steps.size() == kSteadySteps + 1) hit = converging_to(x, t.steps);
  if (hit >= 0) {
    out.label = balls_[static_cast<size_t>(hit)].attractor;
    out.time = static_cast<double>(k) * step_;
    return true;
  }
  if (k >= record_from_) t.window.push_back(x);
  return false;
}

void OrbitFollower::conclude(const Track& t, OrbitOutcome& out) const {
  out.time = options_.max_time;
  out.recurrence = recurrence(t.window, step_);
  if (out.recurrence.kind == "fixed_point") {
    // A stationary orbit in a known point's ball sits on that point's stable manifold (an
    // unstable point: unsettled); a new point is a new attractor.
    const int known = ball_of(out.recurrence.x, false);
    if (known >= 0) {
      out.label = balls_[static_cast<size_t>(known)].attractor;
      out.recurrence = {};
    }
  }
}

OrbitOutcome OrbitFollower::run(const Vector& x0, const Monitor* stop) const {
  OrbitOutcome out;
  Track track;
  Vector x = x0;
  Stepper stepper(options_, x0.size());
  for (long k = 0; k <= checks_; ++k) {
    if ((k & 1023) == 1023 && stop && stop->stopped()) return out;  // the run is being stopped
    if (k > 0 && !advance(stepper, x)) {
      out.label = kBasinDiverged;
      out.time = static_cast<double>(k) * step_;
      return out;
    }
    if (check(track, x, k, out)) return out;
  }
  conclude(track, out);
  return out;
}

std::vector<OrbitOutcome> OrbitFollower::run_lockstep(const Matrix& X0, const Monitor* stop) const {
  const Index B = X0.cols();
  std::vector<OrbitOutcome> out(static_cast<size_t>(B));
  std::vector<Track> tracks(static_cast<size_t>(B));
  std::vector<Index> live(static_cast<size_t>(B));  // live[c]: the start in column c of X
  std::iota(live.begin(), live.end(), Index{0});
  Matrix X = X0, F = X0;
  Vector x(X0.rows());
  for (long k = 0; k <= checks_ && !live.empty(); ++k) {
    if ((k & 1023) == 1023 && stop && stop->stopped()) return out;  // the run is being stopped
    if (k > 0) model_.evaluate_batch(X, F);
    Index keep = 0;
    for (Index c = 0; c < static_cast<Index>(live.size()); ++c) {
      const auto i = static_cast<size_t>(live[static_cast<size_t>(c)]);
      x = F.col(c);
      if (k > 0 && !bounded(x)) {
        out[i].label = kBasinDiverged;
        out[i].time = static_cast<double>(k);
        continue;
      }
      if (check(tracks[i], x, k, out[i])) continue;
      if (keep != c) F.col(keep) = F.col(c);
      live[static_cast<size_t>(keep++)] = live[static_cast<size_t>(c)];
    }
    live.resize(static_cast<size_t>(keep));
    X = F.leftCols(keep);
  }
  for (const Index i : live) conclude(tracks[static_cast<size_t>(i)], out[static_cast<size_t>(i)]);
  return out;
}

Recurrence OrbitFollower::recurrence(const std::vector<Vector>& w, double t_step) const {
  Recurrence r;
  const Vector& last = w.back();
  const double tol = options_.settle_tol * (1.0 + last.norm());
  const auto n = static_cast<Index>(w.size());
  if (max_spread(w, last) < tol) {
    r.kind = "fixed_point";
    r.x = last;
    r.points = last;
    r.period = map_ ? 1 : 0;
    r.radius = 100.0 * tol;
    return r;
  }
  if (map_) {
    // x_{n+p} = x_n for the last two states: a p-cycle.
    for (int p = 2; p <= options_.max_period && p + 1 < n; ++p) {
      const auto at = [&](Index back) -> const Vector& { return w[static_cast<size_t>(n - 1 - back)]; };
      if ((at(0) - at(p)).norm() < tol && (at(1) - at(p + 1)).norm() < tol) {
        r.kind = "cycle";
        r.x = last;
        r.period = p;
        r.points.resize(last.size(), p);
        for (int i = 0; i < p; ++i) r.points.col(i) = at(p - 1 - i);
        r.radius = 100.0 * tol;
        r.lyapunov = largest_lyapunov(last, 4 * p);
        return r;
      }
    }
  }
  // A bounded orbit: a flow's cycle when it returns to its last state after leaving it (within
  // the largest distance between two samples, so that one sample of every turn must land that
  // close), else an unknown set when its largest Lyapunov exponent is positive.
  double spacing = 0.0, diameter = 0.0;
  for (Index k = 1; k < n; ++k)
    spacing = std::max(spacing, (w[static_cast<size_t>(k)] - w[static_cast<size_t>(k - 1)]).norm());
  diameter = max_spread(w, last);
  r.lyapunov = largest_lyapunov(last, static_cast<int>(std::min<Index>(n, 2000)));
  if (!map_) {
    bool left = false;
    for (Index k = n - 2; k >= 0; --k) {
      const double d = (w[static_cast<size_t>(k)] - last).norm();
      if (d > 4.0 * spacing) left = true;
      if (left && d < spacing && r.lyapunov <= options_.lyapunov_tol) {
        // The closest sample of that turn: the period to within a sample.
        Index best = k;
        while (best > 0 &&
               (w[static_cast<size_t>(best - 1)] - last).norm() < (w[static_cast<size_t>(best)] - last).norm())
          --best;
        r.kind = "cycle";
        r.period_time = static_cast<double>(n - 1 - best) * t_step;
        break;
      }
    }
  }
  if (r.kind.empty() && r.lyapunov > options_.lyapunov_tol) r.kind = "unknown";
  if (r.kind.empty()) return r;
  r.x = last;
  Index stride = 1;
  r.points = thin(w, &stride);
  // Matched by the distance of another orbit's last state to the nearest kept sample: the
  // spacing of the kept samples, and a tenth of the set's diameter for unknown sets.
  r.radius = 2.0 * spacing * static_cast<double>(stride);
  if (r.kind == "unknown") r.radius = std::max(r.radius, 0.1 * diameter);
  return r;
}

double OrbitFollower::largest_lyapunov(const Vector& x0, int checks) const {
  // Two orbits delta apart, renormalised after every check (Benettin): the mean log growth.
  // Flows: delta well above the stepper's local error (tolerance times |x|), and both steppers
  // restarted together, so that their step sequences match and their errors do not grow as if
  // they were the separation.
  const double scale = map_ ? 1e-8 : std::max(1e-8, 1e3 * std::max(options_.rel_tol, options_.abs_tol));
  const double delta = scale * (1.0 + x0.norm());
  Vector dir = Vector::Ones(x0.size());
  for (Index i = 1; i < dir.size(); i += 2) dir(i) = -0.5;
  Vector a = x0, b = x0 + delta * dir.normalized();
  Stepper sa(options_, a.size()), sb(options_, b.size());
  double sum = 0.0;
  const double step = step_;
  int used = 0;
  for (int k = 0; k < checks; ++k) {
    if (!advance(sa, a) || !advance(sb, b)) break;
    const double d = (b - a).norm();
    if (!(d > 0.0)) break;
    sum += std::log(d / delta);
    b = a + (b - a) * (delta / d);
    sa.restart();
    sb.restart();
    ++used;
  }
  return used > 0 ? sum / (static_cast<double>(used) * step) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace rnndyn::detail
