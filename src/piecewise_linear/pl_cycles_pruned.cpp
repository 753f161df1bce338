// The pruned k-cycle search: a depth-first search over region sequences D_1, D_2, ... that keeps
// a prefix only while some initial point follows it (see piecewise_linear_cycles.hpp). Two
// exact emptiness tests share one search skeleton:
//  - R <= 2 (RayGeometry): the forward image T_j of the prefix's initial set, a polyhedron in
//    z_j coordinates, as cones over (y, w) with w >= 0 (z = y / w), split into 2^R orthant
//    cones so that each is pointed and is the cone over a convex polygon (a segment for R = 1);
//    clipping by a hyperplane is Sutherland-Hodgman on the generating rays, mapping is linear.
//    Unbounded sets need no box: their rays at infinity have w = 0, and a set is empty exactly
//    when no ray with w > 0 remains (w >= 0 is preserved exactly by the arithmetic).
//  - R >= 3 (LpGeometry): the prefix's constraints pulled back to z_1, decided by the Chebyshev
//    LP of pl_chebyshev_lp.cpp, with the last Chebyshev centre as a witness that spares most LPs.
// Both relax every test by prune_tol (relative, as region_tol) so that doubt keeps a prefix.
// Threads take the subtrees of a breadth-first frontier of short prefixes (search_with).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

#include "pl_cycles_detail.hpp"

namespace rnndyn::detail {

namespace {

/// Tolerance of the emptiness tests: looser than the region test of the cycle points, so that a
/// cycle accepted at the leaf is never cut from its prefixes by rounding.
double prune_tol(const PlCycleOptions& o) { return 10.0 * o.region_tol + 1e-12; }

// ---- R <= 2: cones over polygons.

using Ray = std::array<double, 3>;  // (y_1, [y_2,] w); unused entries 0
using Piece = std::vector<Ray>;     // generating rays in cyclic order

struct RayGeometry {
  const PlPrepared& P;
  double tol;
  using State = std::vector<Piece>;

  /// s (n_h . y + o_h w) and its tolerance for ray r.
  void value(Index h, const Ray& r, double s, double& v, double& t) const {
    const Index R = P.R;
    double a = P.offsets(h) * r[static_cast<size_t>(R)], ymax = 0.0;
    for (Index i = 0; i < R; ++i) {
      a += P.NT(i, h) * r[static_cast<size_t>(i)];
      ymax = std::max(ymax, std::abs(r[static_cast<size_t>(i)]));
    }
    v = s * a;
    t = tol * (P.norm1(h) * ymax + std::abs(P.offsets(h)) * r[static_cast<size_t>(R)]);
  }

  /// A cone over a non-empty set: some ray has w > 0 (rays with w = 0 are points at infinity).
  bool has_finite_point(const Piece& p) const {
    for (const Ray& r : p)
      if (r[static_cast<size_t>(P.R)] > 0.0) return true;
    return false;
  }

  static void normalise(Ray& r) {
    const double m = std::max({std::abs(r[0]), std::abs(r[1]), std::abs(r[2])});
    if (m > 0.0)
      for (double& x : r) x /= m;
  }

  /// Sutherland-Hodgman on the rays of one pointed cone by s (n_h . y + o_h w) >= -tol.
  Piece clip(const Piece& in, Index h, double s) const {
    const size_t n = in.size();
    std::vector<double> v(n), t(n);
    for (size_t i = 0; i < n; ++i) value(h, in[i], s, v[i], t[i]);
    Piece out;
    for (size_t i = 0; i < n; ++i) {
      const size_t q = (i + 1) % n;
      const bool ip = v[i] >= -t[i], iq = v[q] >= -t[q];
      if (ip) out.push_back(in[i]);
      if (ip != iq && ((v[i] > 0.0 && v[q] < 0.0) || (v[i] < 0.0 && v[q] > 0.0))) {
        // The positive combination of the two rays on the hyperplane.
        const double a = std::abs(v[i]), b = std::abs(v[q]);
        Ray x{};
        for (size_t c = 0; c < 3; ++c) x[c] = a * in[q][c] + b * in[i][c];
        normalise(x);
        if (out.empty() || out.back() != x) out.push_back(x);
      }
    }
    while (out.size() > 1 && out.front() == out.back()) out.pop_back();
    return out;
  }

  State root(const PlRegion& region) const {
    // The 2^R orthant cones cone(e_w, +-e_1[, +-e_2]) cover w >= 0; clip each by the region.
    State pieces;
    const Index R = P.R;
    for (int mask = 0; mask < (1 << R); ++mask) {
      Piece p;
      p.push_back(Ray{0.0, 0.0, 0.0});
      p.back()[static_cast<size_t>(R)] = 1.0;
      for (Index i = 0; i < R; ++i) {
        Ray r{0.0, 0.0, 0.0};
        r[static_cast<size_t>(i)] = (mask >> i) & 1 ? 1.0 : -1.0;
        p.push_back(r);
      }
      for (Index h = 0; h < P.K && !p.empty(); ++h) p = clip(p, h, region.sign[static_cast<size_t>(h)]);
      if (has_finite_point(p)) pieces.push_back(std::move(p));
    }
    return pieces;
  }

  /// The image F_D(T) of the pieces (rays (y, w) -> (M y + m w, w)).
  State image(const State& in, const PlRegion& D) const {
    const Index R = P.R;
    State out = in;
    for (Piece& p : out)
      for (Ray& r : p) {
        Ray x{0.0, 0.0, 0.0};
        for (Index i = 0; i < R; ++i) {
          double a = D.m(i) * r[static_cast<size_t>(R)];
          for (Index c = 0; c < R; ++c) a += D.M(i, c) * r[static_cast<size_t>(c)];
          x[static_cast<size_t>(i)] = a;
        }
        x[static_cast<size_t>(R)] = r[static_cast<size_t>(R)];
        normalise(x);
        r = x;
      }
    return out;
  }

  /// Splits the pieces by hyperplanes h, h+1, ... and calls emit(sign, pieces) for every sign
  /// vector whose closed region meets them (within tol).
  template <class Emit>
  void split(Index h, const State& pieces, std::vector<signed char>& sign, Emit& emit) const {
    if (h == P.K) {
      emit(sign, pieces);
      return;
    }
    bool all_pos = true, all_neg = true;
    for (const Piece& p : pieces)
      for (const Ray& r : p) {
        double v, t;
        value(h, r, 1.0, v, t);
        all_pos = all_pos && v >= -t;
        all_neg = all_neg && v <= t;
      }
    for (signed char s : {static_cast<signed char>(-1), static_cast<signed char>(1)}) {
      sign[static_cast<size_t>(h)] = s;
      if ((s > 0 && all_pos) || (s < 0 && all_neg)) {
        split(h + 1, pieces, sign, emit);
        continue;
      }
      State cut;
      for (const Piece& p : pieces) {
        Piece c = clip(p, h, s);
        if (has_finite_point(c)) cut.push_back(std::move(c));
      }
      if (!cut.empty()) split(h + 1, cut, sign, emit);
    }
  }

  /// Children of a prefix ending in region D with forward set `state` (z_j coordinates).
  template <class Emit>
  void children(const State& state, const PlRegion& D, const Matrix&, const Vector&, Emit&& emit) const {
    const State img = image(state, D);
    std::vector<signed char> sign(static_cast<size_t>(P.K), 1);
    split(0, img, sign, emit);
  }
};

// ---- R >= 3: constraints on z_1 and a Chebyshev LP.

struct LpState {
  Matrix A;  // rows a_i: a_i . z_1 <= b_i
  Vector b;
  Vector centre;         // the last Chebyshev centre
  bool witness = false;  // centre satisfies every row (t >= 0)
};

struct LpGeometry {
  const PlPrepared& P;
  double tol;
  using State = LpState;

  /// The hyperplanes seen from z_1 through the prefix map G z + g: normals G^T n_h (columns),
  /// offsets n_h . g + o_h, and the scales that decide when a normal vanishes.
  struct Pulled {
    Matrix normals;
    Vector offsets;
    double gmax = 0.0, ginf = 0.0;
  };

  /// The row of s (n_h . (G z + g) + o_h) >= 0, or false when its normal vanishes (then `keep`
  /// tells whether the constant constraint holds within tol).
  bool row(Index h, double s, const Pulled& pu, Vector& a, double& b, bool& keep) const {
    a = -s * pu.normals.col(h);
    b = s * pu.offsets(h);
    if (a.lpNorm<1>() > 1e-13 * P.norm1(h) * std::max(pu.gmax, 1e-300)) return true;
    keep = b >= -tol * (P.norm1(h) * pu.ginf + std::abs(P.offsets(h)));
    return false;
  }

  /// Adds row (a, b) to `st`; false when the polyhedron becomes empty beyond doubt.
  bool add(LpState& st, const Vector& a, double b) const {
    const Index m = st.A.rows();
    st.A.conservativeResize(m + 1, P.R);
    st.A.row(m) = a.transpose();
    st.b.conservativeResize(m + 1);
    st.b(m) = b;
    if (st.witness && a.dot(st.centre) <= b) return true;  // the centre still lies inside
    double t = 0.0;
    Vector x;
    if (!chebyshev_feasible(st.A, st.b, tol, x, t)) return false;
    st.centre = x;
    st.witness = t >= 0.0;
    return true;
  }

  State root(const PlRegion& region) const {
    LpState st;
    st.A.resize(0, P.R);
    st.b.resize(0);
    st.centre = Vector::Zero(P.R);
    st.witness = true;
    const Pulled pu{P.NT, P.offsets, 1.0, 0.0};
    for (Index h = 0; h < P.K; ++h) {
      Vector a;
      double b;
      bool keep = true;
      if (row(h, region.sign[static_cast<size_t>(h)], pu, a, b, keep)) {
        st.A.conservativeResize(st.A.rows() + 1, P.R);
        st.A.row(st.A.rows() - 1) = a.transpose();
        st.b.conservativeResize(st.b.size() + 1);
        st.b(st.b.size() - 1) = b;
      }
    }
    double t = 0.0;
    Vector x;
    chebyshev_feasible(st.A, st.b, tol, x, t);  // listed regions are non-empty; find a centre
    st.centre = x;
    st.witness = t >= 0.0;
    return st;
  }

  template <class Emit>
  void split(Index h, const LpState& st, const Pulled& pu, std::vector<signed char>& sign, Emit& emit) const {
    if (h == P.K) {
      emit(sign, st);
      return;
    }
    for (signed char s : {static_cast<signed char>(-1), static_cast<signed char>(1)}) {
      sign[static_cast<size_t>(h)] = s;
      Vector a;
      double b;
      bool keep = true;
      if (!row(h, s, pu, a, b, keep)) {
        if (keep) split(h + 1, st, pu, sign, emit);
        continue;
      }
      LpState next = st;
      if (add(next, a, b)) split(h + 1, next, pu, sign, emit);
    }
  }

  /// Children of a prefix whose composite map z_1 -> z_{j+1} is G z + g.
  template <class Emit>
  void children(const State& state, const PlRegion&, const Matrix& G, const Vector& g, Emit&& emit) const {
    Pulled pu;
    pu.normals.noalias() = G.transpose() * P.NT;
    pu.offsets = P.NT.transpose() * g + P.offsets;
    pu.gmax = G.cwiseAbs().maxCoeff();
    pu.ginf = g.lpNorm<Eigen::Infinity>();
    std::vector<signed char> sign(static_cast<size_t>(P.K), 1);
    split(0, state, pu, sign, emit);
  }
};

// ---- The search skeleton.

template <class Geometry>
struct Dfs {
  const PlPrepared& P;
  const std::vector<PlRegion>& regions;
  const RegionIndex& index;
  const Geometry& geo;
  int k;
  const PlCycleOptions& o;
  CycleBudget& budget;
  CycleThreadOut& out;
  bool calling_thread;
  std::vector<int> tuple;
  std::vector<Matrix> Ps;
  std::vector<Vector> qs;

  void set_region(int j, int region) {  // tuple[j] = region, Ps/qs[j + 1] from Ps/qs[j]
    const PlRegion& r = regions[static_cast<size_t>(region)];
    tuple[static_cast<size_t>(j)] = region;
    Ps[static_cast<size_t>(j + 1)].noalias() = r.M * Ps[static_cast<size_t>(j)];
    qs[static_cast<size_t>(j + 1)].noalias() = r.M * qs[static_cast<size_t>(j)];
    qs[static_cast<size_t>(j + 1)] += r.m;
  }

  using Children = std::vector<std::pair<int, typename Geometry::State>>;

  /// The children of the prefix tuple[0..j-1] (period p, set `state`) that the prenecklace rule
  /// allows (D_{j+1} >= D_{j+1-p}), in region order.
  Children expand(int j, int p, const typename Geometry::State& state) const {
    const int floor = tuple[static_cast<size_t>(j - p)];
    Children next;
    geo.children(state, regions[static_cast<size_t>(tuple[static_cast<size_t>(j - 1)])], Ps[static_cast<size_t>(j)],
                 qs[static_cast<size_t>(j)],
                 [&](const std::vector<signed char>& sign, const typename Geometry::State& s) {
                   const auto it = index.find(sign_key(sign));
                   if (it != index.end() && it->second >= floor) next.emplace_back(it->second, s);
                 });
    std::sort(next.begin(), next.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return next;
  }

  /// Period of the prefix extended by `region` at position j (equality with D_{j+1-p} keeps p).
  int next_period(int j, int p, int region) const { return region == tuple[static_cast<size_t>(j - p)] ? p : j + 1; }

  /// Visits the prefix tuple[0..j-1] (prenecklace with period p) whose set is `state`.
  void visit(int j, int p, const typename Geometry::State& state) {
    if (!budget.tick(calling_thread)) {
      ++out.unexplored;
      return;
    }
    ++out.nodes;
    if (j == k) {
      const size_t before = out.cycles.size();
      if (k % p == 0) close_tuple(P, regions, tuple, Ps, qs, o, out);
      if (out.cycles.size() > before) budget.found.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const Children next = expand(j, p, state);
    for (size_t c = 0; c < next.size(); ++c) {
      if (!budget.running()) {
        out.unexplored += static_cast<std::int64_t>(next.size() - c);
        return;
      }
      const int pc = next_period(j, p, next[c].first);
      set_region(j, next[c].first);
      visit(j + 1, pc, next[c].second);
    }
  }

  /// Makes `prefix` the current prefix (tuple and composite maps).
  void load(const std::vector<int>& prefix) {
    tuple.assign(static_cast<size_t>(k), prefix[0]);
    Ps.assign(static_cast<size_t>(k + 1), Matrix::Identity(P.R, P.R));
    qs.assign(static_cast<size_t>(k + 1), Vector::Zero(P.R));
    for (size_t j = 0; j < prefix.size(); ++j) set_region(static_cast<int>(j), prefix[j]);
  }
};

/// A prefix left for a worker thread. The one-region prefixes start without their state (an LP
/// per region for R >= 3): it is made when the prefix is expanded, under the budget, so that a
/// search over a million regions stops at its time limit instead of after a million LPs.
template <class State>
struct Item {
  std::vector<int> prefix;
  int p = 1;
  State state;
  bool rooted = true;
};

/// Expands the prefixes breadth-first (serially, counting them as visited) until there are at
/// least `target` of them or they reach length k, so that the threads get subtrees of similar
/// size (the first region's usually dominates); every returned prefix is still to be visited.
template <class Geometry>
std::vector<Item<typename Geometry::State>> frontier(Dfs<Geometry>& d, size_t target) {
  std::vector<Item<typename Geometry::State>> items;
  for (int first = 0; first < static_cast<int>(d.regions.size()); ++first) items.push_back({{first}, 1, {}, false});
  for (int j = 1; j < d.k && items.size() < target && d.budget.running(); ++j) {
    std::vector<Item<typename Geometry::State>> next;
    for (auto& it : items) {
      d.load(it.prefix);
      if (!d.budget.running() || !d.budget.tick(d.calling_thread)) {
        next.push_back(std::move(it));  // left for the workers, who count it as unexplored
        continue;
      }
      ++d.out.nodes;
      if (!it.rooted) it.state = d.geo.root(d.regions[static_cast<size_t>(it.prefix[0])]);
      for (auto& [region, s] : d.expand(j, it.p, it.state)) {
        std::vector<int> pre = it.prefix;
        pre.push_back(region);
        next.push_back({std::move(pre), d.next_period(j, it.p, region), std::move(s)});
      }
    }
    items = std::move(next);
  }
  return items;
}

template <class Geometry>
void search_with(const Geometry& geo, const PlPrepared& P, const std::vector<PlRegion>& regions, int k,
                 const PlCycleOptions& o, CycleBudget& budget, std::vector<CycleThreadOut>& parts) {
  const RegionIndex index = index_regions(regions);
  std::vector<Item<typename Geometry::State>> items;
#pragma omp parallel
  {
#pragma omp single
    {
      parts.resize(static_cast<size_t>(team_size()));
      Dfs<Geometry> serial{
          P,  regions, index, geo, k, o, budget, parts[static_cast<size_t>(team_index())], team_index() == 0,
          {}, {},      {}};
      items = frontier(serial, 32 * static_cast<size_t>(team_size()));
    }
    CycleThreadOut& to = parts[static_cast<size_t>(team_index())];
    Dfs<Geometry> dfs{P, regions, index, geo, k, o, budget, to, team_index() == 0, {}, {}, {}};
    const auto n = static_cast<std::int64_t>(items.size());
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n; ++i) {
      const auto& it = items[static_cast<size_t>(i)];
      if (!budget.running()) {
        ++to.unexplored;
        continue;
      }
      dfs.load(it.prefix);
      if (it.rooted)
        dfs.visit(static_cast<int>(it.prefix.size()), it.p, it.state);
      else
        dfs.visit(static_cast<int>(it.prefix.size()), it.p, geo.root(regions[static_cast<size_t>(it.prefix[0])]));
    }
  }
}

}  // namespace

bool CycleBudget::tick(bool calling_thread) {
  const std::int64_t n = nodes.fetch_add(1, std::memory_order_relaxed) + 1;
  if (!running()) return false;
  if (n > options->max_nodes) {
    int expected = 0;
    stopped_by.compare_exchange_strong(expected, 1);
    return false;
  }
  if (monitor->stopped()) {
    int expected = 0;
    stopped_by.compare_exchange_strong(expected, 3);
    return false;
  }
  if ((n & 1023) == 1 && monitor->seconds() > options->time_limit) {
    int expected = 0;
    stopped_by.compare_exchange_strong(expected, 2);
    return false;
  }
  if (calling_thread && (n & 4095) == 0) {
    Progress pr;
    pr.stage = "cycles of period " + std::to_string(period) + ": prefixes searched";
    pr.done = n;
    pr.found = found.load(std::memory_order_relaxed);
    if (!monitor->poll(pr)) {
      int expected = 0;
      stopped_by.compare_exchange_strong(expected, 3);
      return false;
    }
  }
  return true;
}

void pruned_search(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& o,
                   CycleBudget& budget, std::vector<CycleThreadOut>& parts) {
  if (P.R <= 2)
    search_with(RayGeometry{P, prune_tol(o)}, P, regions, k, o, budget, parts);
  else
    search_with(LpGeometry{P, prune_tol(o)}, P, regions, k, o, budget, parts);
}

}  // namespace rnndyn::detail
