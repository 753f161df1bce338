// Level-set pruning of the arrangement walk for latent dimension R = 2 (method "level_set").
//
// A fixed point z* of region D solves G_D(z) = (M_D - delta I) z + m_D = 0, so in particular one
// chosen component G_c vanishes at z*. G is continuous and piecewise linear; inside a region the
// zero set of G_c is a line (or the whole region, or empty). If it passes through z*, it meets the
// region's boundary in at least one edge (every region of an arrangement with two non-parallel
// lines contains no full line), and on that edge the restriction of G_c, a linear function, has
// a zero. Hence only regions adjacent to an edge on which G_c has a zero need to be solved.
//
// Along the line of hyperplane k, z = p + t e, G_c(t) = alpha + beta t between crossings, and a
// crossing of hyperplane j adds f_j (dalpha_j, dbeta_j) (rank-one change of M, m; f_j = +-1 the
// direction of the crossing). These increments add up independently of their order, so the
// crossings are bucketed by t (counting sort, no comparison sort) and a bucket [lo, hi] is
// skipped when the linear part alone stays away from zero by more than the largest possible
// effect of its crossings, sum |dbeta_j| (hi - lo):
//
//   |G_c(t) - G_c(lo) - beta (t - lo)| <= sum_{j in bucket} |dbeta_j| (hi - lo).
//
// Only the few buckets that may hold a zero are sorted and walked crossing by crossing; for each
// edge with a zero the two regions beside it (sign of k = -1 and +1) are solved and tested. The
// result is exact in the same sense as the full walk (closed regions, relative tolerances); a
// region with a singular system or two coincident hyperplanes returns false, and the caller falls
// back to the full walk, which handles continua and degenerate arrangements.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_detail.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kZeroRel = 1e-9;  // relative size under which G_c counts as zero at an edge end

struct Crossing {
  double t;
  int b;  // active index of the crossed hyperplane
};

struct LineWork {
  // Per active hyperplane on the current line.
  std::vector<double> t, dalpha, dbeta;
  std::vector<signed char> f;  // +1: sign goes - to + with increasing t; 0: parallel
  std::vector<signed char> parallel_sign;
  // Buckets.
  std::vector<int> count, start, order;
  std::vector<double> s_alpha, s_beta, s_abs_beta, s_abs_alpha, s_M, s_m, lo, hi;
  std::vector<Crossing> sorted;
  std::vector<double> sample;
};

struct Found {
  std::int64_t line;
  int seq;
  double z0, z1;
};

/// The read-only data all lines share: the map of the region left of every active hyperplane
/// (Mbase, mbase) and, per active hyperplane, its normal, offset and the rank-one change of
/// (M, m) when it turns on, indexed by active index.
struct LevelSetPlanes {
  int Ka = 0;
  Index c = 0;  // the component of G followed
  double delta = 0.0;
  Eigen::Matrix2d Mbase;
  Eigen::Vector2d mbase;
  std::vector<Eigen::Vector2d> n;
  std::vector<double> off, nrm1, nsq;
  std::vector<Eigen::Matrix2d> dM;
  std::vector<Eigen::Vector2d> dm;
};

/// Base map: every unit on its leftmost piece, plus the zero-normal hyperplanes that are on (they
/// never change along any line).
void base_map(const PlPrepared& P, Eigen::Matrix2d& Mbase, Eigen::Vector2d& mbase) {
  Mbase = P.A;
  mbase = P.h;
  for (Index i = 0; i < P.N; ++i) {
    const double s0 = P.slope[static_cast<size_t>(i)][0], q0 = P.shift[static_cast<size_t>(i)][0];
    Mbase += s0 * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
    mbase += q0 * P.V.col(i);
  }
  for (Index k = 0; k < P.K; ++k)
    if (P.constant_sign[static_cast<size_t>(k)] > 0 &&
        std::find(P.active.begin(), P.active.end(), k) == P.active.end()) {
      const Index i = P.unit_of[static_cast<size_t>(k)];
      Mbase += P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
      mbase += P.dshift[static_cast<size_t>(k)] * P.V.col(i);
    }
}

/// Gathers the shared data once, so that the walk reads each hyperplane's terms contiguously.
LevelSetPlanes level_set_planes(const PlPrepared& P) {
  LevelSetPlanes L;
  const int Ka = static_cast<int>(P.active.size());
  L.Ka = Ka;
  L.delta = P.delta;
  // The component of G to follow: the one with the larger coupling (either is correct).
  L.c = P.V.row(0).squaredNorm() >= P.V.row(1).squaredNorm() ? 0 : 1;
  base_map(P, L.Mbase, L.mbase);
  L.n.resize(static_cast<size_t>(Ka));
  L.off.resize(static_cast<size_t>(Ka));
  L.nrm1.resize(static_cast<size_t>(Ka));
  L.nsq.resize(static_cast<size_t>(Ka));
  L.dM.resize(static_cast<size_t>(Ka));
  L.dm.resize(static_cast<size_t>(Ka));
  for (int a = 0; a < Ka; ++a) {
    const Index k = P.active[static_cast<size_t>(a)];
    const Index i = P.unit_of[static_cast<size_t>(k)];
    L.n[static_cast<size_t>(a)] = P.NT.col(k);
    L.off[static_cast<size_t>(a)] = P.offsets(k);
    L.nrm1[static_cast<size_t>(a)] = P.norm1(k);
    L.nsq[static_cast<size_t>(a)] = P.NT.col(k).squaredNorm();
    L.dM[static_cast<size_t>(a)] =
        P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
    L.dm[static_cast<size_t>(a)] = P.dshift[static_cast<size_t>(k)] * P.V.col(i);
  }
  return L;
}

/// Bucket count and the scale s of the bucket map u(t) (see fill_buckets), fixed per line.
struct BucketScale {
  int nbk = 1;
  double s_scale = 1.0, half = 0.5;
};

/// One thread's walk along the lines of the active hyperplanes. On line a, z = p + t e, it keeps
/// (M, m), the map of the region just right of the last crossing passed, and G_c(t) = alpha +
/// beta t there; both advance only in increasing t, crossing by crossing or a whole bucket at a
/// time, so every edge is tested with the map of the regions beside it.
struct LevelSetWalk {
  const LevelSetPlanes& L;
  const PiecewiseLinearFixedPointOptions& o;
  std::atomic<bool>& degenerate;
  std::vector<Found>& found;
  std::int64_t solved = 0;
  LineWork w;
  // State of the current line.
  int a = 0;
  Eigen::Vector2d p, e;
  Eigen::Matrix2d M;
  Eigen::Vector2d m;
  double tmin = 0.0, tmax = 0.0, alpha = 0.0, beta = 0.0, acc_abs = 0.0;
  int n_cross = 0, seq = 0;

  LevelSetWalk(const LevelSetPlanes& planes, const PiecewiseLinearFixedPointOptions& options,
               std::atomic<bool>& degenerate_flag, std::vector<Found>& found_out)
      : L(planes), o(options), degenerate(degenerate_flag), found(found_out) {
    w.t.resize(static_cast<size_t>(L.Ka));
    w.dalpha.resize(static_cast<size_t>(L.Ka));
    w.dbeta.resize(static_cast<size_t>(L.Ka));
    w.f.resize(static_cast<size_t>(L.Ka));
    w.parallel_sign.resize(static_cast<size_t>(L.Ka));
  }

  void walk_line(int line);
  bool cross_line();
  void solve_edge(double pm);
  void left_edge();
  void right_edge();
  BucketScale bucket_scale();
  void fill_buckets(const BucketScale& bs);
  void walk_buckets(int nbk);
  bool bucket_away(size_t q) const;
  void walk_bucket(size_t q);
  void skip_bucket(size_t q);

  /// G_c(t) = alpha + beta t with row c of (Mx - delta I) and mx_c, on the current line.
  void alpha_beta(const Eigen::Matrix2d& Mx, const Eigen::Vector2d& mx, double& al, double& be) const {
    const Index c = L.c;
    const double r0 = Mx(c, 0) - (c == 0 ? L.delta : 0.0), r1 = Mx(c, 1) - (c == 1 ? L.delta : 0.0);
    al = r0 * p(0) + r1 * p(1) + mx(c);
    be = r0 * e(0) + r1 * e(1);
  }
  /// Whether G_c = alpha + beta t has a zero in [ta, tb], up to the rounding of the increments.
  bool zero_on(double ta, double tb) const {
    const double ga = alpha + beta * ta, gb = alpha + beta * tb;
    const double tol = kZeroRel * (acc_abs * (1.0 + std::max(std::abs(ta), std::abs(tb))));
    return (ga <= tol && gb >= -tol) || (ga >= -tol && gb <= tol);
  }
};

/// Walks line `line` left to right: unbounded left edge, buckets (each pruned or walked), right
/// edge. Sets the degenerate flag where the line cannot be handled.
void LevelSetWalk::walk_line(int line) {
  a = line;
  const Eigen::Vector2d& na = L.n[static_cast<size_t>(a)];
  const double nn = na.squaredNorm();
  p = -L.off[static_cast<size_t>(a)] / nn * na;
  e = Eigen::Vector2d(-na(1), na(0)) / std::sqrt(nn);
  if (!cross_line()) {
    degenerate = true;
    return;
  }
  alpha_beta(M, m, alpha, beta);
  acc_abs = std::abs(alpha) + std::abs(beta);  // scale of the accumulated increments
  seq = 0;
  if (n_cross == 0) {  // no crossing (cannot happen with rank 2, kept for safety)
    degenerate = true;
    return;
  }
  left_edge();
  const BucketScale bs = bucket_scale();
  fill_buckets(bs);
  walk_buckets(bs.nbk);
  right_edge();
}

/// Pass 1: crossings, increments of G_c along the line, and (M, m) at t -> -inf (with hyperplane
/// a itself off: G is continuous across it, so the line sees either side's value). False when
/// another hyperplane coincides with the line.
bool LevelSetWalk::cross_line() {
  const Index c = L.c;
  // Local copies of the line's data, kept in registers: the stores below could alias members.
  const int Ka = L.Ka, a = this->a;
  const Eigen::Vector2d p = this->p, e = this->e;
  Eigen::Matrix2d Mx = L.Mbase;
  Eigen::Vector2d mx = L.mbase;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int count = 0;
  for (int b = 0; b < Ka; ++b) {
    if (b == a) {
      w.f[static_cast<size_t>(b)] = 0;
      w.parallel_sign[static_cast<size_t>(b)] = 0;
      continue;
    }
    const Eigen::Vector2d& nb = L.n[static_cast<size_t>(b)];
    const double den = nb.dot(e), num = nb.dot(p) + L.off[static_cast<size_t>(b)];
    if (den * den <= 1e-24 * L.nsq[static_cast<size_t>(b)]) {  // parallel to the line: constant sign
      if (std::abs(num) <= 1e-12 * (nb.norm() * p.norm() + std::abs(L.off[static_cast<size_t>(b)])))
        return false;  // coincident hyperplanes
      w.f[static_cast<size_t>(b)] = 0;
      w.parallel_sign[static_cast<size_t>(b)] = num > 0 ? 1 : -1;
      if (num > 0) {
        Mx += L.dM[static_cast<size_t>(b)];
        mx += L.dm[static_cast<size_t>(b)];
      }
      continue;
    }
    const signed char f = den > 0 ? 1 : -1;
    w.f[static_cast<size_t>(b)] = f;
    const double t = -num / den;
    w.t[static_cast<size_t>(b)] = t;
    lo = std::min(lo, t);
    hi = std::max(hi, t);
    ++count;
    const double on = f < 0 ? 1.0 : 0.0;  // on at t -> -inf (branch-free: f is random)
    Mx.noalias() += on * L.dM[static_cast<size_t>(b)];
    mx.noalias() += on * L.dm[static_cast<size_t>(b)];
    const Eigen::Matrix2d& D = L.dM[static_cast<size_t>(b)];
    w.dalpha[static_cast<size_t>(b)] = f * (D(c, 0) * p(0) + D(c, 1) * p(1) + L.dm[static_cast<size_t>(b)](c));
    w.dbeta[static_cast<size_t>(b)] = f * (D(c, 0) * e(0) + D(c, 1) * e(1));
  }
  M = Mx;
  m = mx;
  tmin = lo;
  tmax = hi;
  n_cross = count;
  return true;
}

/// Solves the two regions beside the edge through t = pm (hyperplane a off, then on) with the
/// current (M, m) and keeps the solutions inside their closed region; a singular region sets the
/// degenerate flag (a continuum or no solution: the full walk examines it).
void LevelSetWalk::solve_edge(double pm) {
  const double delta = L.delta;
  for (int side = -1; side <= 1; side += 2) {
    Eigen::Matrix2d G = M;
    Eigen::Vector2d g = m;
    if (side > 0) {
      G += L.dM[static_cast<size_t>(a)];
      g += L.dm[static_cast<size_t>(a)];
    }
    G(0, 0) -= delta;
    G(1, 1) -= delta;
    ++solved;
    // The equilibrated LU of evaluate_cell, so that "singular" means the same there.
    double g2[4] = {G(0, 0), G(0, 1), G(1, 0), G(1, 1)}, r2[2] = {-g(0), -g(1)}, z2[2];
    if (!(detail::equilibrated_lu_solve(g2, 2, 1, 2, r2, z2) > o.singular_tol)) {
      degenerate = true;
      return;
    }
    const Eigen::Vector2d z(z2[0], z2[1]);
    const double zinf = z.lpNorm<Eigen::Infinity>();
    auto ok = [&](int b, int s) {
      const double v = L.n[static_cast<size_t>(b)].dot(z) + L.off[static_cast<size_t>(b)];
      return s * v >= -o.region_tol * (L.nrm1[static_cast<size_t>(b)] * zinf + std::abs(L.off[static_cast<size_t>(b)]));
    };
    if (!ok(a, side)) continue;
    bool inside = true;
    for (int b = 0; b < L.Ka && inside; ++b) {
      if (b == a) continue;
      const signed char f = w.f[static_cast<size_t>(b)];
      const int s = f == 0 ? w.parallel_sign[static_cast<size_t>(b)] : (w.t[static_cast<size_t>(b)] < pm ? f : -f);
      inside = ok(b, s);
    }
    if (inside) found.push_back({a, seq++, z(0), z(1)});
  }
}

/// The unbounded edge (-inf, tmin), tested with the map at t -> -inf (before any bucket).
void LevelSetWalk::left_edge() {
  const double far = tmin - 1e6 * (1.0 + std::abs(tmin)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
  if (zero_on(far, tmin) || (beta != 0.0 && -alpha / beta <= tmin)) solve_edge(tmin - (1.0 + std::abs(tmin)));
}

/// The unbounded edge (tmax, inf), tested after all buckets; alpha, beta are exact there up to
/// rounding.
void LevelSetWalk::right_edge() {
  const double far = tmax + 1e6 * (1.0 + std::abs(tmax)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
  if (zero_on(tmax, far) || (beta != 0.0 && -alpha / beta >= tmax)) solve_edge(tmax + (1.0 + std::abs(tmax)));
}

/// About four crossings per bucket; s is the median |t| of a sample of the crossings.
BucketScale LevelSetWalk::bucket_scale() {
  BucketScale bx;
  bx.nbk = std::max(1, n_cross / 4);
  std::vector<double>& sample = w.sample;
  sample.clear();
  for (int b = 0, stride = std::max(1, L.Ka / 64); b < L.Ka; b += stride)
    if (w.f[static_cast<size_t>(b)] != 0) sample.push_back(std::abs(w.t[static_cast<size_t>(b)]));
  if (!sample.empty()) {
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2), sample.end());
    bx.s_scale = sample[sample.size() / 2];
    if (!(bx.s_scale > 0.0) || !std::isfinite(bx.s_scale)) bx.s_scale = 1.0;
  }
  bx.half = 0.5 * bx.nbk;
  return bx;
}

/// Counting sort of the crossings into buckets (w.order, bucket q at [count[q], count[q + 1])),
/// with each bucket's summed increments and range [lo, hi]: the increments commute, so a bucket
/// can later be passed as a whole.
void LevelSetWalk::fill_buckets(const BucketScale& bs) {
  const int nbk = bs.nbk;
  const double s_scale = bs.s_scale, half = bs.half;
  // Buckets by u(t) = sign(t) (1 - s / (|t| + s)), which maps the heavy-tailed crossing
  // positions (t ~ 1 / cos of the angle between lines) to about uniform in (-1, 1). Every step is
  // a correctly rounded monotone operation, so the bucket index is monotone in t and buckets
  // never overlap.
  auto bucket_of = [&](double t) {
    const double u = t >= 0.0 ? 1.0 - s_scale / (t + s_scale) : s_scale / (s_scale - t) - 1.0;
    return std::min(nbk - 1, std::max(0, static_cast<int>((u + 1.0) * half)));
  };
  w.count.assign(static_cast<size_t>(nbk) + 1, 0);
  w.s_alpha.assign(static_cast<size_t>(nbk), 0.0);
  w.s_beta.assign(static_cast<size_t>(nbk), 0.0);
  w.s_abs_beta.assign(static_cast<size_t>(nbk), 0.0);
  w.s_abs_alpha.assign(static_cast<size_t>(nbk), 0.0);
  w.s_M.assign(static_cast<size_t>(nbk) * 6, 0.0);
  w.lo.assign(static_cast<size_t>(nbk), std::numeric_limits<double>::infinity());
  w.hi.assign(static_cast<size_t>(nbk), -std::numeric_limits<double>::infinity());
  // Raw views of the arrays (taken after the assigns): reached through `this`, their data pointers
  // were reloaded after every store in the loops below, 15% slower than before the split.
  const int Ka = L.Ka;
  const signed char* fv = w.f.data();
  const double *tv = w.t.data(), *dalpha = w.dalpha.data(), *dbeta = w.dbeta.data();
  const Eigen::Matrix2d* dM = L.dM.data();
  const Eigen::Vector2d* dm = L.dm.data();
  int* count = w.count.data();
  double *s_alpha = w.s_alpha.data(), *s_beta = w.s_beta.data(), *s_abs_alpha = w.s_abs_alpha.data(),
         *s_abs_beta = w.s_abs_beta.data(), *s_M = w.s_M.data(), *lo = w.lo.data(), *hi = w.hi.data();
  for (int b = 0; b < Ka; ++b) {
    const signed char f = fv[b];
    if (f == 0) continue;
    const double t = tv[b];
    const auto q = static_cast<size_t>(bucket_of(t));
    ++count[q + 1];
    s_alpha[q] += dalpha[b];
    s_beta[q] += dbeta[b];
    s_abs_alpha[q] += std::abs(dalpha[b]);
    s_abs_beta[q] += std::abs(dbeta[b]);
    const Eigen::Matrix2d& D = dM[b];
    const Eigen::Vector2d& d = dm[b];
    double* s = s_M + 6 * q;
    s[0] += f * D(0, 0), s[1] += f * D(1, 0), s[2] += f * D(0, 1), s[3] += f * D(1, 1);
    s[4] += f * d(0), s[5] += f * d(1);
    lo[q] = std::min(lo[q], t);
    hi[q] = std::max(hi[q], t);
  }
  for (int q = 0; q < nbk; ++q) count[q + 1] += count[q];
  w.order.resize(static_cast<size_t>(n_cross));
  w.start = w.count;
  int *order = w.order.data(), *start = w.start.data();
  for (int b = 0; b < Ka; ++b)
    if (fv[b] != 0) order[start[bucket_of(tv[b])]++] = b;
}

/// The buckets in increasing t: the gap before each non-empty bucket is one edge; a bucket is
/// walked crossing by crossing only when G_c may vanish inside it, else passed as a whole.
void LevelSetWalk::walk_buckets(int nbk) {
  double prev_hi = tmin;
  for (int q = 0; q < nbk && !degenerate.load(std::memory_order_relaxed); ++q) {
    const auto qs = static_cast<size_t>(q);
    if (w.count[qs + 1] == w.count[qs]) continue;
    const double lo = w.lo[qs], hi = w.hi[qs];
    // Gap between the previous bucket's last crossing and this bucket's first: one edge.
    if (lo > prev_hi && zero_on(prev_hi, lo)) solve_edge(0.5 * (prev_hi + lo));
    if (!bucket_away(qs))
      walk_bucket(qs);
    else
      skip_bucket(qs);
    prev_hi = hi;
  }
}

/// True when G_c provably stays away from zero on bucket q's range [lo, hi]: the linear part
/// alone stays farther from zero than its crossings can move it, sum |dbeta_j| (hi - lo).
bool LevelSetWalk::bucket_away(size_t q) const {
  const double lo = w.lo[q], hi = w.hi[q];
  const double glo = alpha + beta * lo, lin_hi = glo + beta * (hi - lo);
  const double reach = w.s_abs_beta[q] * (hi - lo) + kZeroRel * ((acc_abs + w.s_abs_alpha[q] + w.s_abs_beta[q]) *
                                                                 (1.0 + std::max(std::abs(lo), std::abs(hi))));
  return (glo > reach && lin_hi > reach) || (glo < -reach && lin_hi < -reach);
}

/// Sorts bucket q's crossings and passes them one by one, testing each edge between two of them.
void LevelSetWalk::walk_bucket(size_t q) {
  w.sorted.clear();
  for (int r = w.count[q]; r < w.count[q + 1]; ++r) {
    const int b = w.order[static_cast<size_t>(r)];
    w.sorted.push_back({w.t[static_cast<size_t>(b)], b});
  }
  std::sort(w.sorted.begin(), w.sorted.end(), [](const Crossing& x, const Crossing& y) { return x.t < y.t; });
  for (size_t r = 0; r < w.sorted.size(); ++r) {
    const int b = w.sorted[r].b;
    const signed char f = w.f[static_cast<size_t>(b)];
    alpha += w.dalpha[static_cast<size_t>(b)];
    beta += w.dbeta[static_cast<size_t>(b)];
    acc_abs += std::abs(w.dalpha[static_cast<size_t>(b)]) + std::abs(w.dbeta[static_cast<size_t>(b)]);
    M += f * L.dM[static_cast<size_t>(b)];
    m += f * L.dm[static_cast<size_t>(b)];
    if (r + 1 < w.sorted.size()) {
      const double ta = w.sorted[r].t, tb = w.sorted[r + 1].t;
      if (tb > ta && zero_on(ta, tb)) solve_edge(0.5 * (ta + tb));
    }
  }
}

/// Passes bucket q as a whole with its summed increments (no edge inside it has a zero).
void LevelSetWalk::skip_bucket(size_t q) {
  alpha += w.s_alpha[q];
  beta += w.s_beta[q];
  acc_abs += w.s_abs_alpha[q] + w.s_abs_beta[q];
  const double* s = w.s_M.data() + 6 * q;
  M(0, 0) += s[0], M(1, 0) += s[1], M(0, 1) += s[2], M(1, 1) += s[3];
  m(0) += s[4], m(1) += s[5];
}

}  // namespace

bool level_set_walk_2d(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                       std::int64_t& solved) {
  if (P.R != 2 || P.D != 2) return false;
  const int Ka = static_cast<int>(P.active.size());
  if (Ka < 2) return false;
  const LevelSetPlanes planes = level_set_planes(P);
  std::atomic<bool> degenerate{false};
  std::vector<std::vector<Found>> parts;
  std::atomic<std::int64_t> n_solved{0};

#pragma omp parallel
  {
#pragma omp single
    parts.resize(static_cast<size_t>(detail::team_size()));
    LevelSetWalk walk(planes, o, degenerate, parts[static_cast<size_t>(detail::team_index())]);
#pragma omp for schedule(dynamic, 8)
    for (int a = 0; a < Ka; ++a) {
      if (degenerate.load(std::memory_order_relaxed)) continue;
      walk.walk_line(a);
    }
    n_solved += walk.solved;
  }
  if (degenerate) return false;
  std::vector<Found> all;
  for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end(),
            [](const Found& x, const Found& y) { return x.line != y.line ? x.line < y.line : x.seq < y.seq; });
  for (const auto& f : all) out.points.emplace_back(Eigen::Vector2d(f.z0, f.z1));
  solved += n_solved.load();
  return true;
}

}  // namespace rnndyn::detail
