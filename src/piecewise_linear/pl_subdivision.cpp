// Box subdivision for the fixed points of a latent piecewise-linear map, R >= 2 (method
// "subdivision").
//
// Notation of seed 001 and pl_level_set.cpp: F(z) = A z + V phi(U z + c) + h on z in R^R,
// hyperplane a is {n̂_a . z + ô_a = 0} (unit normal), and
//
//   G(z) = F(z) - delta z = G_base(z) + sum_a u_a relu(s_a(z)),   s_a(z) = n̂_a . z + ô_a,
//
// with G_base every unit on its leftmost piece (delta = 1 maps, 0 flows).
//
// Bound. In a box B (centre c, half-widths h) hyperplane a is off (s_a <= 0 on B), on (s_a >= 0),
// or crosses B. Writing a crossing ramp as relu(s) = s/2 + |s|/2,
//
//   G(z) = M_B z + m_B + sum_{a crosses B} u_a |s_a(z)| / 2,   0 <= |s_a| <= |s_a(c)| + |n̂_a| . h,
//
// where (M_B, m_B) holds the on hyperplanes and half of each crossing one; hence on B
//
//   G_j(z) >= M_B,j . c + m_B,j - sum_r |M_B,jr| h_r + sum_{a crosses} min(0, u_aj) smax_a / 2,
//
// and the upper bound alike. A box where some component is bounded away from zero holds no fixed
// point. Other boxes are halved along their longest side down to boxes crossed by at most R + 1
// hyperplanes, where the 2^m sign patterns of the m crossing ones are solved exactly; a solution is
// kept when it lies in the closed box and in its closed region. Near the fixed points the bound
// tightens linearly with the box, elsewhere one component stays away from zero, so the boxes visited
// grow with the number of fixed points rather than with the K^R regions: on the R = 3, N = 1000
// sine-grid shPLRNN ~2.5e5 boxes and 2e7 hyperplane tests against 5e8 crossings for level_set.
//
// Completeness. The root is a box B0 holding every vertex of the arrangement; far_field_walk finds
// it, and every fixed point outside it, as follows. A fixed point z* outside B0 lies in a half-space
// H beyond one face of B0. In z*'s region D the polyhedron P = D ∩ {G_c = 0} ∩ H holds z* and is
// pointed (the normals span R^R, so D contains no line); it has a vertex v, generically tight at
// R - 1 of its constraints. Either these are R - 1 hyperplanes of the arrangement: v lies on one of
// its lines outside B0, hence beyond every vertex of that line, on one of its two unbounded edges,
// where G_c vanishes (far_field_walk's first pass, which needs no sorting); or the face of H is
// among them: v lies on a line of the face and R - 2 hyperplanes where G_c vanishes (its second
// pass, the level-set walk of those lines). D is among the regions around that edge, which are
// solved. Degenerate cases (a continuum, lines of dependent normals, a box crossed by many
// hyperplanes at the rounding level) return false: the caller falls back to the full walk.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>

#include "pl_level_set.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kBoundRel = 1e-9;    // rounding guard of the bound, relative to its terms' scale
constexpr int kMaxLeafPatterns = 14;  // a tiny box crossed by more hyperplanes is degenerate

struct Box {
  SmallVector c, h;          // centre and half-widths
  std::vector<int> cross;    // hyperplanes that may cross the box (from its parent)
  std::vector<double> map;   // W: base + every hyperplane on throughout the box
  std::vector<double> half;  // W: map + half of each hyperplane in `cross` ((M_B, m_B) above)
};

/// One thread's depth-first subdivision; points in the order of the boxes visited.
class Subdivision {
 public:
  /// `absmap`: |base| + sum_a |dmap_a| (abs_map), the scale of any accumulated map.
  Subdivision(const NdPlanes& planes, const std::vector<double>& absmap,
              const PiecewiseLinearFixedPointOptions& options, std::atomic<bool>& flag)
      : L(planes), P(*planes.P), o(options), degenerate(flag), absmap(absmap) {}

  /// Classifies box b's hyperplanes and bounds G on it; false when b holds no fixed point. The
  /// on hyperplanes move into b.map, the crossing ones stay in b.cross.
  bool refine(Box& b);
  /// Whether b is a leaf (solved), else its two halves.
  bool leaf(const Box& b) const;
  void solve_leaf(const Box& b);
  /// The halves of b along its longest side (b is moved from).
  void split(Box& b, Box& lo, Box& hi) const;
  /// Depth-first from `root`; stops early when degenerate or `stop`.
  void run(Box root, const std::atomic<bool>& stop);

  CellOutput out;
  std::int64_t solved = 0, boxes = 0;

 private:
  void solve_pattern(const Box& b, unsigned mask);
  std::vector<signed char> signs_of(const Box& b, unsigned mask) const;
  void keep_singular(const Box& b, unsigned mask);

  const NdPlanes& L;
  const PlPrepared& P;
  const PiecewiseLinearFixedPointOptions& o;
  std::atomic<bool>& degenerate;
  const std::vector<double>& absmap;
  std::vector<double> smax;
  std::vector<int> keep;
};

bool Subdivision::refine(Box& b) {
  ++boxes;
  const int R = L.R, W = L.W;
  double cinf = 0.0;
  for (int r = 0; r < R; ++r) cinf = std::max(cinf, std::abs(b.c(r)));
  keep.clear();
  smax.clear();
  for (int a : b.cross) {
    const auto x = static_cast<size_t>(a);
    double s = L.off[x], rad = 0.0;
    for (int r = 0; r < R; ++r) {
      const double nr = L.n[static_cast<size_t>(r)][x];
      s += nr * b.c(r);
      rad += std::abs(nr) * b.h(r);
    }
    const double tol = 1e-12 * (std::abs(L.off[x]) + cinf + rad);  // unit normals: |n̂|_1 <= sqrt(R)
    const double* d = L.dmap.data() + x * static_cast<size_t>(W);
    if (s - rad > tol) {  // on: the whole change into map, the other half into half
      for (int q = 0; q < W; ++q) {
        b.map[static_cast<size_t>(q)] += d[q];
        b.half[static_cast<size_t>(q)] += 0.5 * d[q];
      }
    } else if (s + rad < -tol) {  // off: its half leaves half
      for (int q = 0; q < W; ++q) b.half[static_cast<size_t>(q)] -= 0.5 * d[q];
    } else {
      keep.push_back(a);
      smax.push_back(std::abs(s) + rad);
    }
  }
  b.cross = keep;
  const std::vector<double>& half = b.half;
  for (int j = 0; j < R; ++j) {
    double g = half[static_cast<size_t>(R * R + j)], spread = 0.0, scale = absmap[static_cast<size_t>(R * R + j)];
    for (int r = 0; r < R; ++r) {
      const double m = half[static_cast<size_t>(j + r * R)] - (j == r ? P.delta : 0.0);
      g += m * b.c(r);
      spread += std::abs(m) * b.h(r);
      scale += (absmap[static_cast<size_t>(j + r * R)] + (j == r ? P.delta : 0.0)) * (std::abs(b.c(r)) + b.h(r));
    }
    double neg = 0.0, pos = 0.0;
    for (size_t q = 0; q < b.cross.size(); ++q) {
      const double uj = L.u[static_cast<size_t>(b.cross[q]) * static_cast<size_t>(R) + static_cast<size_t>(j)];
      (uj < 0.0 ? neg : pos) += 0.5 * uj * smax[q];
      scale += std::abs(uj) * smax[q];
    }
    const double tol = kBoundRel * scale;
    if (g - spread + neg > tol || g + spread + pos < -tol) return false;
  }
  return true;
}

bool Subdivision::leaf(const Box& b) const {
  const auto m = static_cast<int>(b.cross.size());
  if (m <= L.R + 1) return true;
  double hmax = 0.0, cinf = 0.0;
  for (int r = 0; r < L.R; ++r) {
    hmax = std::max(hmax, b.h(r));
    cinf = std::max(cinf, std::abs(b.c(r)));
  }
  // Halving further cannot separate hyperplanes that meet within rounding: solve what crosses.
  if (hmax <= 1e-10 * (1.0 + cinf)) {
    if (m > kMaxLeafPatterns) degenerate = true;
    return true;
  }
  return false;
}

void Subdivision::split(Box& b, Box& lo, Box& hi) const {
  int r0 = 0;
  b.h.maxCoeff(&r0);
  const double c0 = b.c(r0), h0 = 0.5 * b.h(r0);
  lo = b;
  hi = std::move(b);
  lo.h(r0) = hi.h(r0) = h0;
  lo.c(r0) = c0 - h0;
  hi.c(r0) = c0 + h0;
}

/// The region of pattern `mask` (bit q: b.cross[q] on) around box b: the crossing hyperplanes by
/// the mask, every other one by its side of the box, which it does not cross.
std::vector<signed char> Subdivision::signs_of(const Box& b, unsigned mask) const {
  std::vector<signed char> signs = P.constant_sign;
  for (int a = 0; a < L.Ka; ++a) {
    double s = L.off[static_cast<size_t>(a)];
    for (int r = 0; r < L.R; ++r) s += L.n[static_cast<size_t>(r)][static_cast<size_t>(a)] * b.c(r);
    signs[static_cast<size_t>(L.k_of[static_cast<size_t>(a)])] = s > 0.0 ? 1 : -1;
  }
  for (size_t q = 0; q < b.cross.size(); ++q)
    signs[static_cast<size_t>(L.k_of[static_cast<size_t>(b.cross[q])])] = (mask >> q) & 1U ? 1 : -1;
  return signs;
}

/// A singular region: evaluate_cell decides; a continuum or an undecided region is degenerate.
void Subdivision::keep_singular(const Box& b, unsigned mask) {
  RegionTracker tracker(P);
  tracker.reset(signs_of(b, mask));
  CellOutput cell;
  evaluate_cell(tracker, o, cell);
  if (!cell.continua.empty() || !cell.undecided.empty()) {
    degenerate = true;
    return;
  }
  out.points.insert(out.points.end(), cell.points.begin(), cell.points.end());
}

void Subdivision::solve_pattern(const Box& b, unsigned mask) {
  const int R = L.R, W = L.W;
  double mx[kMaxDim * kMaxDim + kMaxDim], rhs[kMaxDim], z[kMaxDim];
  std::copy(b.map.begin(), b.map.end(), mx);
  for (size_t q = 0; q < b.cross.size(); ++q)
    if ((mask >> q) & 1U) {
      const double* d = L.dmap.data() + static_cast<size_t>(b.cross[q]) * static_cast<size_t>(W);
      for (int x = 0; x < W; ++x) mx[x] += d[x];
    }
  for (int r = 0; r < R; ++r) {
    mx[r + r * R] -= P.delta;
    rhs[r] = -mx[R * R + r];
  }
  ++solved;
  // mx is column-major: element (r, c) at r + c R.
  if (!(equilibrated_lu_solve(mx, 1, R, R, rhs, z) > o.singular_tol)) {
    keep_singular(b, mask);
    return;
  }
  for (int r = 0; r < R; ++r)
    if (!(std::abs(z[r] - b.c(r)) <= b.h(r) + 1e-9 * (std::abs(b.c(r)) + b.h(r)))) return;  // not in the box
  const Vector x = Eigen::Map<const Vector>(z, R);
  if (in_closed_region(P, signs_of(b, mask), x, o.region_tol)) out.points.push_back(x);
}

void Subdivision::solve_leaf(const Box& b) {
  if (degenerate.load(std::memory_order_relaxed)) return;
  const unsigned n = 1U << b.cross.size();
  for (unsigned mask = 0; mask < n && !degenerate.load(std::memory_order_relaxed); ++mask) solve_pattern(b, mask);
}

void Subdivision::run(Box root, const std::atomic<bool>& stop) {
  std::vector<Box> stack;
  stack.push_back(std::move(root));
  while (!stack.empty() && !degenerate.load(std::memory_order_relaxed) && !stop.load(std::memory_order_relaxed)) {
    Box b = std::move(stack.back());
    stack.pop_back();
    if (!refine(b)) continue;
    if (leaf(b)) {
      solve_leaf(b);
      continue;
    }
    Box lo, hi;
    split(b, lo, hi);
    stack.push_back(std::move(hi));
    stack.push_back(std::move(lo));
  }
}

/// |base| + sum_a |dmap_a|, entry by entry: the scale of any map the boxes accumulate (computed once,
/// shared by every thread's Subdivision).
std::vector<double> abs_map(const NdPlanes& L) {
  const auto W = static_cast<size_t>(L.W);
  std::vector<double> m(W);
  for (size_t q = 0; q < W; ++q) m[q] = std::abs(L.base[q]);
  for (size_t a = 0; a < static_cast<size_t>(L.Ka); ++a)
    for (size_t q = 0; q < W; ++q) m[q] += std::abs(L.dmap[a * W + q]);
  return m;
}

/// Breadth-first from the root until there are boxes enough to share among the threads (the
/// boxes that end here are solved or dropped by `serial`).
std::vector<Box> frontier(Box root, Subdivision& serial, std::size_t want) {
  std::vector<Box> level{std::move(root)}, next;
  for (int depth = 0; depth < 64 && !level.empty() && level.size() < want; ++depth) {
    next.clear();
    for (Box& b : level) {
      if (!serial.refine(b)) continue;
      if (serial.leaf(b)) {
        serial.solve_leaf(b);
        continue;
      }
      Box lo, hi;
      serial.split(b, lo, hi);
      next.push_back(std::move(lo));
      next.push_back(std::move(hi));
    }
    std::swap(level, next);
  }
  return level;
}

}  // namespace

bool box_subdivision(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                     std::int64_t& solved, Monitor& monitor) {
  if (P.R < 2 || P.R > kMaxDim || P.D != P.R || static_cast<Index>(P.active.size()) < P.R) return false;
  const NdPlanes planes = nd_planes(P);
  LatentBox box;
  if (!far_field_walk(planes, o, out, box, solved, monitor)) return false;
  Box root;
  root.c = 0.5 * (box.lo + box.hi);
  root.h = 0.5 * (box.hi - box.lo);
  root.cross.resize(static_cast<size_t>(planes.Ka));
  for (int a = 0; a < planes.Ka; ++a) root.cross[static_cast<size_t>(a)] = a;
  root.map = planes.base;
  root.half = planes.base;
  for (int q = 0; q < planes.W; ++q) root.half[static_cast<size_t>(q)] += 0.5 * planes.dsum[static_cast<size_t>(q)];
  std::atomic<bool> degenerate{false}, stop{false};
  const std::vector<double> absmap = abs_map(planes);
  Subdivision serial(planes, absmap, o, degenerate);
  // Top-level boxes, nearly all of them re-refined in parallel: refine() only moves hyperplanes
  // from `cross` to `map`, so refining a box twice is harmless.
  std::vector<Box> tops = frontier(std::move(root), serial, 256);
  std::vector<CellOutput> parts(tops.size());
  std::atomic<std::int64_t> n_solved{serial.solved}, done{0};
#pragma omp parallel
  {
    const bool reporter = detail::team_index() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t q = 0; q < static_cast<std::int64_t>(tops.size()); ++q) {
      if (degenerate.load(std::memory_order_relaxed) || stop.load(std::memory_order_relaxed)) continue;
      Subdivision sub(planes, absmap, o, degenerate);
      sub.run(std::move(tops[static_cast<size_t>(q)]), stop);
      parts[static_cast<size_t>(q)] = std::move(sub.out);
      n_solved += sub.solved;
      const std::int64_t n = ++done;
      if (reporter) {
        monitor.poll({"box subdivision", static_cast<double>(n) / static_cast<double>(tops.size()), n, 0});
        if (monitor.stopped()) stop = true;
      }
    }
  }
  monitor.check();  // Ctrl-C or the callback: throws, no partial result
  if (degenerate) return false;
  out.points.insert(out.points.end(), serial.out.points.begin(), serial.out.points.end());
  for (const CellOutput& part : parts) out.points.insert(out.points.end(), part.points.begin(), part.points.end());
  solved += n_solved.load();
  return true;
}

}  // namespace rnndyn::detail
