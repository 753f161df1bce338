// Branches of k-cycles of piecewise-linear maps; see cycle_continuation.hpp (maps) and
// pl_cycle_continuation.hpp.
//
// Inside one region sequence S = (D_1, ..., D_k) the cycle at p is the solution of one linear
// system, so a branch is a chain of exact solves: p moves in fixed steps while the cycle of S
// stays in the closed regions of S; where it leaves them the crossing is located by bisection on
// p, and S is replaced by the sequence with the offending point on the other side of the
// hyperplane (the map is continuous, so both sequences share the cycle on the border).
#include "pl_cycle_continuation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::detail {
namespace {

/// Piece index of every unit at z_1, ..., z_k.
using Sequence = std::vector<std::vector<int>>;

double inf_norm(const Vector& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

/// The cycle of one region sequence at one p, with its distance to the sequence's borders.
struct SequenceCycle {
  bool solved = false;        ///< P - I was non-singular (rcond above 1e-14)
  std::vector<Vector> z;      ///< z_1, ..., z_k
  Matrix P;                   ///< M_{D_k} ... M_{D_1}
  double margin = -1.0;       ///< min over points and hyperplanes of the scaled signed distance (>= 0 inside)
  std::vector<double> sides;  ///< the same per (point j, hyperplane t): sides[j * planes + t]
};

/// A bifurcation at p on branch `branch`, after its point `point_index`, of the cycle with these
/// points and multipliers: the fields every kind of map-cycle bifurcation fills.
CycleBifurcation cycle_bifurcation(CycleBifurcationType type, double p, double period, Index branch, Index point_index,
                                   std::vector<Vector> points, ComplexVector multipliers) {
  CycleBifurcation b;
  b.type = type;
  b.p = p;
  b.period = period;
  b.branch = branch;
  b.point_index = point_index;
  b.points = std::move(points);
  b.multipliers = std::move(multipliers);
  return b;
}

/// Count of multipliers outside the unit circle: changes exactly where one crosses it.
int outside(const ComplexVector& mu) {
  int n = 0;
  for (Index i = 0; i < mu.size(); ++i) n += std::abs(mu(i)) > 1.0 ? 1 : 0;
  return n;
}

class MapCycleFollower {
 public:
  MapCycleFollower(const Model& model, const LimitCycleContinuationOptions& o, Monitor& monitor)
      : model_(model.clone()), o_(o), monitor_(monitor) {}

  CycleBranch follow(const PlCycle& start, Index branch, std::vector<CycleBifurcation>& bifurcations);

 private:
  /// The piecewise-linear view at p (rebuilt only when p changes).
  const PiecewiseLinearStructure& at(double p) {
    if (!pl_ || p != p_) {
      model_->set_parameter(o_.parameter, p);
      pl_ = model_->piecewise_linear();
      planes_ = pl_->hyperplanes();
      p_ = p;
    }
    return *pl_;
  }
  SequenceCycle solve(const Sequence& s, double p);
  /// Solved, inside the closed regions up to region_tol and bounded.
  bool valid(const SequenceCycle& c) const {
    return c.solved && c.margin >= -o_.cycles.region_tol && c.z.front().allFinite() &&
           std::all_of(c.z.begin(), c.z.end(), [&](const Vector& z) { return inf_norm(z) <= o_.max_norm; });
  }
  /// Bisection width at p.
  double tol(double p) const { return o_.locate_tol * std::max(1.0, std::abs(p)); }
  CyclePoint point(double p, const SequenceCycle& c, int direction);
  /// A multiplier crossing the unit circle between (pa, a) and (pb, b), both of sequence s.
  void detect(const Sequence& s, double pa, const CyclePoint& a, double pb, const CyclePoint& b, Index branch,
              Index point_index, std::vector<CycleBifurcation>& out);

  std::unique_ptr<Model> model_;
  const LimitCycleContinuationOptions& o_;
  Monitor& monitor_;
  std::optional<PiecewiseLinearStructure> pl_;
  std::vector<Hyperplane> planes_;
  double p_ = 0.0;
};

SequenceCycle MapCycleFollower::solve(const Sequence& s, double p) {
  const PiecewiseLinearStructure& pl = at(p);
  const auto k = s.size();
  const Index n = pl.dim();
  std::vector<AffineMap> maps;
  maps.reserve(k);
  SequenceCycle c;
  c.P = Matrix::Identity(n, n);
  Vector q = Vector::Zero(n);
  for (const auto& pattern : s) {
    maps.push_back(pl.region_map(pattern));
    c.P = maps.back().matrix * c.P;
    q = maps.back().matrix * q + maps.back().offset;
  }
  const Eigen::PartialPivLU<Matrix> lu(c.P - Matrix::Identity(n, n));
  if (!(lu.rcond() > 1e-14)) return c;  // a multiplier at +1: no isolated cycle in this sequence
  c.solved = true;
  c.z.resize(k);
  c.z[0] = lu.solve(-q);
  for (size_t j = 0; j + 1 < k; ++j) c.z[j + 1] = maps[j].matrix * c.z[j] + maps[j].offset;
  // Signed distance of z_j to hyperplane t, positive on the side of D_j, relative to the scale of
  // the terms (as the region test of find_cycles), so that a tolerance is scale-free.
  c.margin = std::numeric_limits<double>::infinity();
  c.sides.resize(k * planes_.size());
  for (size_t j = 0; j < k; ++j)
    for (size_t t = 0; t < planes_.size(); ++t) {
      const Hyperplane& h = planes_[t];
      const double g = h.normal.dot(c.z[j]) + h.offset;
      const bool upper = s[j][static_cast<size_t>(h.unit)] > h.breakpoint;
      const double scale = h.normal.lpNorm<1>() * inf_norm(c.z[j]) + std::abs(h.offset);
      const double side = (upper ? g : -g) / (scale > 0 ? scale : 1.0);
      c.sides[j * planes_.size() + t] = side;
      c.margin = std::min(c.margin, side);
    }
  if (planes_.empty()) c.margin = 0.0;
  return c;
}

CyclePoint MapCycleFollower::point(double p, const SequenceCycle& c, int direction) {
  const PiecewiseLinearStructure& pl = at(p);
  CyclePoint pt;
  pt.p = p;
  pt.period = static_cast<double>(c.z.size());
  pt.x = c.z.front();
  pt.points = c.z;
  pt.floquet_multipliers = eigen_decompose(c.P, TimeKind::Map).eigenvalues;
  pt.trivial_multiplier_error = std::numeric_limits<double>::quiet_NaN();
  const Stability st = classify_spectrum(pt.floquet_multipliers, TimeKind::Map, o_.cycles.stability);
  pt.stable = st.n_unstable == 0 && st.n_marginal == 0;
  pt.x_min = pt.x_max = c.z.front();
  for (size_t j = 0; j < c.z.size(); ++j) {
    pt.x_min = pt.x_min.cwiseMin(c.z[j]);
    pt.x_max = pt.x_max.cwiseMax(c.z[j]);
    pt.residual = std::max(pt.residual, inf_norm(pl.evaluate(c.z[j]) - c.z[(j + 1) % c.z.size()]));
  }
  pt.direction = direction;
  return pt;
}

void MapCycleFollower::detect(const Sequence& s, double pa, const CyclePoint& a, double pb, const CyclePoint& b,
                              Index branch, Index point_index, std::vector<CycleBifurcation>& out) {
  const int na = outside(a.floquet_multipliers);
  if (na == outside(b.floquet_multipliers)) return;
  // Inside one sequence P(p) is continuous in p: bisect on the count.
  double lo = pa, hi = pb;
  ComplexVector mu = b.floquet_multipliers;
  while (std::abs(hi - lo) > tol(hi)) {
    const double mid = 0.5 * (lo + hi);
    const SequenceCycle c = solve(s, mid);
    if (!c.solved) break;
    const ComplexVector m = eigen_decompose(c.P, TimeKind::Map).eigenvalues;
    if (outside(m) == na)
      lo = mid;
    else {
      hi = mid;
      mu = m;
    }
  }
  // The crossing multiplier is the one nearest the circle there.
  Index i = 0;
  for (Index j = 1; j < mu.size(); ++j)
    if (std::abs(std::abs(mu(j)) - 1.0) < std::abs(std::abs(mu(i)) - 1.0)) i = j;
  const bool real = std::abs(mu(i).imag()) <= 1e-8 * (1.0 + std::abs(mu(i)));
  const CycleBifurcationType type =
      !real ? CycleBifurcationType::NeimarkSacker
            : (mu(i).real() < 0 ? CycleBifurcationType::PeriodDoubling : CycleBifurcationType::Fold);
  const double at = 0.5 * (lo + hi);
  SequenceCycle c = solve(s, at);
  out.push_back(cycle_bifurcation(type, at, a.period, branch, point_index,
                                  c.solved ? std::move(c.z) : std::vector<Vector>{}, mu));
}

/// The smallest d with s[j] == s[(j + d) mod k] for every j (a sequence of period d < k carries
/// points of period d, not k-cycles).
size_t sequence_period(const Sequence& s) {
  const size_t k = s.size();
  for (size_t d = 1; d < k; ++d) {
    if (k % d) continue;
    bool same = true;
    for (size_t j = 0; j < k && same; ++j) same = s[j] == s[(j + d) % k];
    if (same) return d;
  }
  return k;
}

/// True when `a` is `b` read from another starting point: the same orbit with its points
/// relabelled, so following it back would retrace the branch.
bool is_rotation(const Sequence& a, const Sequence& b) {
  const size_t k = a.size();
  for (size_t r = 1; r < k; ++r) {
    bool same = true;
    for (size_t j = 0; j < k && same; ++j) same = a[j] == b[(j + r) % k];
    if (same) return true;
  }
  return false;
}

/// True when the points have minimal period k: no shift by a proper divisor d of k maps them onto
/// themselves (to 1e-9 relative). A cycle whose points merge is no longer a k-cycle.
bool minimal_period(const std::vector<Vector>& z) {
  const size_t k = z.size();
  for (size_t d = 1; d < k; ++d) {
    if (k % d) continue;
    bool same = true;
    for (size_t j = 0; j < k && same; ++j) same = inf_norm(z[j] - z[(j + d) % k]) <= 1e-9 * (1.0 + inf_norm(z[j]));
    if (same) return false;
  }
  return true;
}

CycleBranch MapCycleFollower::follow(const PlCycle& start, Index branch, std::vector<CycleBifurcation>& bifurcations) {
  CycleBranch br;
  const double span = std::abs(o_.to - o_.from);
  const double h = (o_.initial_step > 0 ? o_.initial_step : 0.01) * span;
  // Border tests just past a located border: far enough that the new point's distance to its
  // border beats the bisection error, near enough that no second border lies between.
  const double delta = std::max(1e-7 * span, 1e3 * tol(o_.from));
  int d = o_.to > o_.from ? 1 : -1;
  double p = o_.from;
  Sequence seq = start.patterns;
  SequenceCycle cur = solve(seq, p);
  if (!valid(cur)) {
    br.status = CycleBranchStatus::CycleLost;  // the search's cycle does not solve its own sequence
    return br;
  }
  br.points.push_back(point(p, cur, d));
  while (true) {
    if (static_cast<int>(br.points.size()) >= o_.max_points) {
      br.status = CycleBranchStatus::MaxPoints;
      break;
    }
    monitor_.checkpoint({"cycle continuation", std::clamp(std::abs(p - o_.from) / span, 0.0, 1.0),
                         static_cast<std::int64_t>(br.points.size()), static_cast<std::int64_t>(bifurcations.size()),
                         0.0});
    double p_next = p + d * h;
    if (d * (p_next - o_.to) > 0 && d * (o_.to - o_.from) > 0) p_next = o_.to;      // heading for `to`
    if (d * (p_next - o_.from) > 0 && d * (o_.from - o_.to) > 0) p_next = o_.from;  // turned back
    if (!model_->admits(o_.parameter, p_next)) {
      br.status = CycleBranchStatus::DomainBoundary;
      break;
    }
    SequenceCycle next = solve(seq, p_next);
    const Index last = static_cast<Index>(br.points.size()) - 1;
    if (valid(next) && next.margin >= 0.0) {
      CyclePoint pt = point(p_next, next, d);
      detect(seq, p, br.points.back(), p_next, pt, branch, last, bifurcations);
      br.points.push_back(std::move(pt));
      p = p_next;
      cur = std::move(next);
      if (p == o_.to) {
        br.status = CycleBranchStatus::Reached;
        break;
      }
      if (p == o_.from) {
        br.status = CycleBranchStatus::LeftInterval;
        break;
      }
      continue;
    }
    // The cycle leaves the sequence's regions (or P - I turns singular) between p and p_next.
    double lo = p, hi = p_next;
    SequenceCycle in = cur, out = std::move(next);
    while (std::abs(hi - lo) > tol(hi)) {
      const double mid = 0.5 * (lo + hi);
      SequenceCycle c = solve(seq, mid);
      if (valid(c) && c.margin >= 0.0) {
        lo = mid;
        in = std::move(c);
      } else {
        hi = mid;
        out = std::move(c);
      }
    }
    CyclePoint pt = point(lo, in, d);
    if (lo != p) detect(seq, p, br.points.back(), lo, pt, branch, last, bifurcations);
    // Which (point, hyperplane) pairs are crossed: negative just past the border.
    std::vector<std::pair<size_t, size_t>> crossed;
    if (out.solved && in.solved)
      for (size_t i = 0; i < out.sides.size(); ++i)
        if (out.sides[i] < 0 && in.sides[i] >= 0) crossed.emplace_back(i / planes_.size(), i % planes_.size());
    if (crossed.empty()) {
      // Not a border: P - I became singular (a multiplier +1; the cycle runs off to infinity) or
      // the cycle left max_norm.
      if (lo != p) br.points.push_back(std::move(pt));
      br.status = CycleBranchStatus::Unbounded;
      break;
    }
    pt.on_border = true;
    if (lo != p || !br.points.back().on_border) br.points.push_back(pt);
    const Index at_index = static_cast<Index>(br.points.size()) - 1;
    Sequence flipped = seq;
    for (const auto& [j, t] : crossed) {
      const Hyperplane& hp = planes_[t];
      CycleBifurcation bif = cycle_bifurcation(CycleBifurcationType::BorderCollision, lo, pt.period, branch, at_index,
                                               in.z, pt.floquet_multipliers);
      bif.unit = hp.unit;
      bif.breakpoint = hp.breakpoint;
      bif.cycle_point = static_cast<Index>(j);
      bifurcations.push_back(std::move(bif));
      int& piece = flipped[j][static_cast<size_t>(hp.unit)];
      piece = piece > hp.breakpoint ? static_cast<int>(hp.breakpoint) : static_cast<int>(hp.breakpoint) + 1;
    }
    // The neighbouring sequence holds the same cycle on the border; it goes on past the border
    // (same direction) or back (the two cycles meet there: a nonsmooth fold), or nowhere. Not when
    // the cycle's points merge on the border (it collapses onto an orbit of a shorter period), nor
    // back along a relabelling of the same sequence (that would retrace the branch).
    std::optional<int> side;
    if (sequence_period(flipped) == flipped.size() && minimal_period(in.z)) {
      const SequenceCycle on = solve(flipped, lo);
      const bool same = on.solved && [&] {
        for (size_t j = 0; j < on.z.size(); ++j)
          if (inf_norm(on.z[j] - in.z[j]) > 1e-6 * (1.0 + inf_norm(in.z[j]))) return false;
        return true;
      }();
      for (int dir : {d, -d}) {
        if (!same || side) break;
        if (dir != d && is_rotation(flipped, seq)) continue;
        const double q = lo + dir * delta;
        if (!model_->admits(o_.parameter, q)) continue;
        const SequenceCycle c = solve(flipped, q);
        bool ok = valid(c);
        for (const auto& [j, t] : crossed) ok = ok && c.sides[j * planes_.size() + t] > 0;
        if (ok) side = dir;
      }
    }
    if (!side) {
      br.status = CycleBranchStatus::BorderCollision;
      break;
    }
    if (*side != d) {
      CycleBifurcation fold =
          cycle_bifurcation(CycleBifurcationType::Fold, lo, pt.period, branch, at_index, in.z, pt.floquet_multipliers);
      fold.nonsmooth = true;
      bifurcations.push_back(std::move(fold));
      d = *side;
    }
    seq = std::move(flipped);
    p = lo;
    cur = solve(seq, p);
    // The border point as a point of the sequence it goes on in (its multipliers, stability).
    br.points.back() = point(p, cur, d);
    br.points.back().on_border = true;
  }
  return br;
}

}  // namespace

LimitCycleContinuationResult continue_map_cycles(const Model& model, const LimitCycleContinuationOptions& options) {
  const Stopwatch clock;
  LimitCycleContinuationResult r;
  r.parameter = options.parameter;
  r.options = options;
  r.options.progress = nullptr;
  Monitor monitor(options.progress);
  auto at_from = model.clone();
  at_from->set_parameter(options.parameter, options.from);
  PlCycleOptions search = options.cycles;
  search.period = options.map_period;
  search.progress = options.progress;
  const PlCycles found = find_cycles(*at_from, search);
  std::vector<const PlCycle*> starts;
  for (const PlCycle& c : found.cycles) starts.push_back(&c);
  if (options.start.size() && !starts.empty()) {
    // The cycle with a point nearest to the given state.
    const auto distance = [&](const PlCycle* c) {
      double best = std::numeric_limits<double>::infinity();
      for (const Vector& z : c->points) best = std::min(best, (z - options.start).norm());
      return best;
    };
    starts = {*std::min_element(starts.begin(), starts.end(),
                                [&](const PlCycle* a, const PlCycle* b) { return distance(a) < distance(b); })};
  }
  MapCycleFollower follower(model, options, monitor);
  for (const PlCycle* c : starts) {
    CycleBranch br = follower.follow(*c, static_cast<Index>(r.branches.size()), r.bifurcations);
    br.source = "k_cycle";
    br.source_p = options.from;
    br.start_p = options.from;
    br.start_status = to_string(found.status);
    r.branches.push_back(std::move(br));
  }
  if (starts.empty())
    r.message =
        "no cycle of minimal period " + std::to_string(options.map_period) + " at " + options.parameter + " = " +
        number_text(options.from) + " (exact search: " + to_string(found.status) +
        (found.continua.empty() ? "" : ", " + std::to_string(found.continua.size()) + " continua not followed") +
        "); try another map_period or from";
  monitor.checkpoint({"cycle continuation", 1.0, 0, static_cast<std::int64_t>(r.bifurcations.size()), 0.0}, true);
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn::detail
