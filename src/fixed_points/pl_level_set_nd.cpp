// Level-set pruning of the arrangement walk for latent dimension R >= 3 (method "level_set").
//
// Notation of seed 001: F(z) = A z + V phi(U z + c) + h on z in R^R; hyperplane k is
// {n_k . z + o_k = 0}; in region D the map is affine, F = M_D z + m_D, and a fixed point solves
// G^D(z) = (M_D - delta I) z + m_D = 0 with z in the closed region (delta = 1 maps, 0 flows).
//
// The argument. Let z* be a fixed point in region D and c one component of G. The polyhedron
// P_D = D ∩ {G^D_c = 0} contains z* and has dimension >= R - 1. If the normals span R^R
// (P.D == R), D contains no line, so P_D (nonempty) is pointed and has a vertex v. Generically v
// lies on exactly R - 1 of D's hyperplanes, i.e. on an EDGE of the arrangement: a segment of a
// line L = H_k1 ∩ ... ∩ H_k(R-1) between consecutive crossings of L with the other hyperplanes,
// and G_c(v) = 0 there (G is continuous, so G_c along L is well defined whatever the signs of
// the R - 1 defining hyperplanes). D is one of the 2^(R-1) regions around that edge: the signs of
// the defining hyperplanes are free, all others are fixed by the edge. (If v is a vertex of the
// arrangement, it is the end of an edge of D's closure, and the closed zero test below sees it.)
// Hence: for every line L (C(K, R - 1) of them) find the edges on which G_c has a zero and solve
// the 2^(R-1) regions around each; every fixed point is among their solutions.
//
// Along L, z = p + t e, G_c is a sum of ramps,
//
//   G_c(p + t e) = g . (p + t e) + g0 + sum_j w_j relu(num_j + den_j t),
//
// (g, g0: every unit on its leftmost piece; w_j = V_{c,i} dslope_j |n_j| for the kink j of unit
// i; num_j = n̂_j . p + ô_j and den_j = n̂_j . e with unit normals), so everything per crossing
// comes from two dot products: t_j = -num_j / den_j, and crossing j changes G_c = alpha + beta t
// by dalpha_j = f_j w_j num_j, dbeta_j = w_j |den_j| (f_j = sign den_j). As in the 2-D walk
// (pl_level_set.cpp) the crossings are bucketed by t (no sort) and a bucket is passed whole
// when the linear part stays farther from zero than its crossings can move it; only the few
// buckets that may hold a zero are sorted and walked edge by edge.
//
// The region's full map M_D is needed only at those edges: it is assembled there from scratch,
// M = A + sum_i s_i V_i U_i^T (one R^2 x N product with the units' slopes at the edge), shared by
// the 2^(R-1) regions around it (rank-one terms for the defining hyperplanes). Returns false (the
// caller falls back to the full walk) on anything degenerate: normals not spanning R^R, a line
// whose defining normals are (nearly) dependent without being parallel kinks of one unit, a line
// lying in another hyperplane, or a region holding a continuum of fixed points (a singular
// region without one is decided by evaluate_cell and passed over).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_detail.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kZeroRel = 1e-9;  // relative size under which G_c counts as zero at an edge end
constexpr int kMaxDim = 8;         // beyond it C(K, R - 1) lines are out of reach anyway

using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxDim, 1>;
using SmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxDim, kMaxDim>;

/// The read-only data all lines share, per active hyperplane a (unit normal n̂_a, contiguous per
/// coordinate so that the crossing pass vectorises), and G_c with every unit on its leftmost
/// piece (plus the zero-normal hyperplanes that are on: they never change).
struct NdPlanes {
  const PlPrepared* P = nullptr;
  int R = 0, Ka = 0;
  Index c = 0;
  std::vector<std::vector<double>> n;  // n[r][a]
  std::vector<double> off, w;
  std::vector<Index> k_of, unit_of;
  std::vector<int> piece0;  // per unit: its zero-normal hyperplanes that are on
  SmallVector g;
  double g0 = 0.0;
  Matrix Mbase;  // R x R: A + constant parts (leftmost slopes, constant hyperplanes on)
  Vector mbase;
};

/// Map with every unit on its leftmost piece and the zero-normal hyperplanes that are on.
void base_map(const PlPrepared& P, Matrix& M, Vector& m) {
  M = P.A;
  m = P.h;
  const Index R = P.R;
  for (Index i = 0; i < P.N; ++i) {
    M += P.slope[static_cast<size_t>(i)][0] * Eigen::Map<const Matrix>(P.outer.col(i).data(), R, R);
    m += P.shift[static_cast<size_t>(i)][0] * P.V.col(i);
  }
  for (Index k = 0; k < P.K; ++k)
    if (P.NT.col(k).lpNorm<Eigen::Infinity>() == 0.0 && P.constant_sign[static_cast<size_t>(k)] > 0) {
      const Index i = P.unit_of[static_cast<size_t>(k)];
      M += P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Matrix>(P.outer.col(i).data(), R, R);
      m += P.dshift[static_cast<size_t>(k)] * P.V.col(i);
    }
}

NdPlanes nd_planes(const PlPrepared& P) {
  NdPlanes L;
  L.P = &P;
  L.R = static_cast<int>(P.R);
  L.Ka = static_cast<int>(P.active.size());
  // The component of G to follow: the one with the largest coupling (any is correct).
  P.V.rowwise().squaredNorm().maxCoeff(&L.c);
  base_map(P, L.Mbase, L.mbase);
  L.piece0.assign(static_cast<size_t>(P.N), 0);
  for (Index k = 0; k < P.K; ++k)
    if (P.NT.col(k).lpNorm<Eigen::Infinity>() == 0.0 && P.constant_sign[static_cast<size_t>(k)] > 0)
      ++L.piece0[static_cast<size_t>(P.unit_of[static_cast<size_t>(k)])];
  L.g = L.Mbase.row(L.c).transpose();
  L.g(L.c) -= P.delta;
  L.g0 = L.mbase(L.c);
  L.n.assign(static_cast<size_t>(L.R), std::vector<double>(static_cast<size_t>(L.Ka)));
  L.off.resize(static_cast<size_t>(L.Ka));
  L.w.resize(static_cast<size_t>(L.Ka));
  L.k_of.resize(static_cast<size_t>(L.Ka));
  L.unit_of.resize(static_cast<size_t>(L.Ka));
  for (int a = 0; a < L.Ka; ++a) {
    const Index k = P.active[static_cast<size_t>(a)];
    const Index i = P.unit_of[static_cast<size_t>(k)];
    const double nrm = P.NT.col(k).stableNorm();
    for (int r = 0; r < L.R; ++r) L.n[static_cast<size_t>(r)][static_cast<size_t>(a)] = P.NT(r, k) / nrm;
    L.off[static_cast<size_t>(a)] = P.offsets(k) / nrm;
    L.w[static_cast<size_t>(a)] = P.V(L.c, i) * P.dslope[static_cast<size_t>(k)] * nrm;
    L.k_of[static_cast<size_t>(a)] = k;
    L.unit_of[static_cast<size_t>(a)] = i;
  }
  return L;
}

/// A point found on a line, tagged for a merge order that does not depend on the threads.
struct NdFound {
  int first;         // first defining hyperplane of the line (the parallel loop's index)
  std::int64_t sub;  // the line's number among those with this first hyperplane
  int seq;           // order on the line
  SmallVector z;
};

/// Per-bucket sums of the crossings' increments and their range.
struct Bucket {
  int count = 0;
  double s_alpha = 0.0, s_beta = 0.0, s_abs = 0.0, s_abs_beta = 0.0;
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
};

/// A bucket that may hold a zero of G_c, with alpha, beta (and their accumulated size) at its
/// start and its crossings.
struct Flagged {
  int q;
  double alpha, beta, acc;
  std::vector<std::pair<double, int>> members;
};

/// Cost counters of one thread (measurement: crossings computed, edges solved).
struct NdCounters {
  std::int64_t lines = 0, crossings = 0, zero_edges = 0, walked_buckets = 0, solved = 0;
  double edge_seconds = 0.0;  // STATS
};

/// One thread's walk along the lines; scratch reused from line to line.
struct NdWalk {
  const NdPlanes& L;
  const PlPrepared& P;
  const PiecewiseLinearFixedPointOptions& o;
  std::atomic<bool>& degenerate;
  std::vector<NdFound>& found;
  NdCounters counters;
  // Current line.
  int S[kMaxDim] = {};
  int first = 0;
  std::int64_t sub = 0;
  int seq = 0;
  SmallVector p, e;
  std::vector<double> num, den, t;
  std::vector<signed char> f;  // +1 / -1 direction of the crossing; 0 parallel or defining
  std::vector<int> bk;
  std::vector<Bucket> buckets;
  std::vector<Flagged> flagged;
  std::vector<int> flag_of;
  std::vector<double> sample;
  double tmin = 0.0, tmax = 0.0, alpha0 = 0.0, beta0 = 0.0;
  int n_cross = 0;
  // Edge solve.
  std::vector<int> piece;
  Vector slopes, shifts, Mvec;
  std::vector<signed char> sign;

  NdWalk(const NdPlanes& planes, const PiecewiseLinearFixedPointOptions& options, std::atomic<bool>& flag,
         std::vector<NdFound>& out)
      : L(planes), P(*planes.P), o(options), degenerate(flag), found(out) {
    const auto Ka = static_cast<size_t>(L.Ka);
    num.resize(Ka);
    den.resize(Ka);
    t.resize(Ka);
    f.resize(Ka);
    bk.resize(Ka);
    sign.resize(Ka);
    piece.resize(static_cast<size_t>(P.N));
    slopes.resize(P.N);
    shifts.resize(P.N);
  }

  void walk_line();
  int line_of();
  void dots();
  bool cross_line();
  void scan_buckets();
  void fill_buckets();
  void gather_members();
  void walk_flagged(Flagged& fl);
  void solve_edge(double pm);
  void edge_map(double pm, SmallMatrix& M, SmallVector& m);
  bool region_ok(const double* z, unsigned mask) const;
  bool singular_region(unsigned mask);
  bool bucket_away(const Bucket& b, double alpha, double beta, double acc) const;

  /// Whether alpha + beta t has a zero in [ta, tb], up to the rounding of the increments (acc).
  static bool zero_on(double alpha, double beta, double acc, double ta, double tb) {
    const double ga = alpha + beta * ta, gb = alpha + beta * tb;
    const double tol = kZeroRel * (acc * (1.0 + std::max(std::abs(ta), std::abs(tb))));
    return (ga <= tol && gb >= -tol) || (ga >= -tol && gb <= tol);
  }
};

/// Direction e and least-norm point p of the line of S: 1 on success, 0 when the line is empty
/// (two kinks of one unit: parallel hyperplanes), -1 when the normals are (nearly) dependent
/// otherwise (degenerate).
int NdWalk::line_of() {
  const int R = L.R, ns = R - 1;
  SmallMatrix NS(ns, R);
  SmallVector oS(ns);
  for (int q = 0; q < ns; ++q) {
    for (int r = 0; r < R; ++r) NS(q, r) = L.n[static_cast<size_t>(r)][static_cast<size_t>(S[q])];
    oS(q) = L.off[static_cast<size_t>(S[q])];
  }
  // e: generalised cross product (cofactors), |e| = volume spanned by the unit normals.
  e.resize(R);
  if (R == 3) {
    e << NS(0, 1) * NS(1, 2) - NS(0, 2) * NS(1, 1), NS(0, 2) * NS(1, 0) - NS(0, 0) * NS(1, 2),
        NS(0, 0) * NS(1, 1) - NS(0, 1) * NS(1, 0);
  } else {
    SmallMatrix minor(ns, ns);
    for (int r = 0; r < R; ++r) {
      for (int q = 0, cc = 0; q < R; ++q)
        if (q != r) minor.col(cc++) = NS.col(q);
      e(r) = (r % 2 ? -1.0 : 1.0) * minor.determinant();
    }
  }
  const double len = e.norm();
  if (!(len > 1e-10)) {
    for (int q = 0; q < ns; ++q)
      for (int q2 = q + 1; q2 < ns; ++q2)
        if (L.unit_of[static_cast<size_t>(S[q])] == L.unit_of[static_cast<size_t>(S[q2])]) return 0;
    return -1;
  }
  e /= len;
  // p = NS^T (NS NS^T)^{-1} (-oS): the point of the line nearest the origin.
  const SmallMatrix gram = NS * NS.transpose();
  const SmallVector y = gram.ldlt().solve(-oS);
  p = NS.transpose() * y;
  return 1;
}

/// num_a = n̂_a . p + ô_a and den_a = n̂_a . e for every active hyperplane (vectorised over a).
void NdWalk::dots() {
  const int Ka = L.Ka, R = L.R;
  double* nu = num.data();
  double* de = den.data();
  const double* off = L.off.data();
  for (int a = 0; a < Ka; ++a) {
    nu[a] = off[a];
    de[a] = 0.0;
  }
  for (int r = 0; r < R; ++r) {
    const double* nr = L.n[static_cast<size_t>(r)].data();
    const double pr = p(r), er = e(r);
    for (int a = 0; a < Ka; ++a) {
      nu[a] += nr[a] * pr;
      de[a] += nr[a] * er;
    }
  }
}

/// Crossings t, directions f and G_c = alpha0 + beta0 t at t -> -inf; false when the line lies
/// in another hyperplane.
bool NdWalk::cross_line() {
  dots();
  const int Ka = L.Ka, ns = L.R - 1;
  for (int q = 0; q < ns; ++q) {  // the defining hyperplanes: G is continuous across them
    num[static_cast<size_t>(S[q])] = 0.0;
    den[static_cast<size_t>(S[q])] = 0.0;
  }
  const double pn = p.norm();
  double al = L.g.dot(p) + L.g0, be = L.g.dot(e);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int count = 0;
  const double* w = L.w.data();
  for (int a = 0; a < Ka; ++a) {
    const double nu = num[static_cast<size_t>(a)], de = den[static_cast<size_t>(a)];
    if (std::abs(de) <= 1e-12) {  // parallel to the line (or defining it): constant along it
      f[static_cast<size_t>(a)] = 0;
      if (std::abs(nu) <= 1e-12 * (pn + std::abs(L.off[static_cast<size_t>(a)]) + 1e-300)) {
        bool defining = false;
        for (int q = 0; q < ns; ++q) defining = defining || S[q] == a;
        if (!defining) return false;  // the line lies in hyperplane a
        continue;
      }
      if (nu > 0.0) al += w[a] * nu;
      continue;
    }
    const double ta = -nu / de;
    t[static_cast<size_t>(a)] = ta;
    f[static_cast<size_t>(a)] = de > 0.0 ? 1 : -1;
    lo = std::min(lo, ta);
    hi = std::max(hi, ta);
    ++count;
    if (de < 0.0) {  // on at t -> -inf
      al += w[a] * nu;
      be += w[a] * de;
    }
  }
  alpha0 = al;
  beta0 = be;
  tmin = lo;
  tmax = hi;
  n_cross = count;
  return true;
}

/// Counting of the crossings into buckets (about four each) by u(t) = sign(t) (1 - s / (|t| + s)),
/// s the median |t| of a sample: heavy-tailed positions become about uniform, and every step is
/// a correctly rounded monotone operation, so buckets never overlap.
void NdWalk::fill_buckets() {
  const int Ka = L.Ka;
  const int nbk = std::max(1, n_cross / 4);
  sample.clear();
  for (int a = 0, stride = std::max(1, Ka / 64); a < Ka; a += stride)
    if (f[static_cast<size_t>(a)] != 0) sample.push_back(std::abs(t[static_cast<size_t>(a)]));
  double s_scale = 1.0;
  if (!sample.empty()) {
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2), sample.end());
    s_scale = sample[sample.size() / 2];
    if (!(s_scale > 0.0) || !std::isfinite(s_scale)) s_scale = 1.0;
  }
  const double half = 0.5 * nbk;
  buckets.assign(static_cast<size_t>(nbk), Bucket{});
  Bucket* bks = buckets.data();
  const signed char* fv = f.data();
  const double *tv = t.data(), *nv = num.data(), *dv = den.data(), *w = L.w.data();
  int* bkv = bk.data();
  for (int a = 0; a < Ka; ++a) {
    if (fv[a] == 0) continue;
    const double ta = tv[a];
    const double u = ta >= 0.0 ? 1.0 - s_scale / (ta + s_scale) : s_scale / (s_scale - ta) - 1.0;
    const int q = std::min(nbk - 1, std::max(0, static_cast<int>((u + 1.0) * half)));
    bkv[a] = q;
    const double da = fv[a] * w[a] * nv[a], db = w[a] * std::abs(dv[a]);
    Bucket& b = bks[q];
    ++b.count;
    b.s_alpha += da;
    b.s_beta += db;
    b.s_abs += std::abs(da) + std::abs(db);
    b.s_abs_beta += std::abs(db);
    b.lo = std::min(b.lo, ta);
    b.hi = std::max(b.hi, ta);
  }
}

/// True when G_c provably stays away from zero on bucket b's range: the linear part alone stays
/// farther from zero than its crossings can move it, sum |dbeta_j| (hi - lo).
bool NdWalk::bucket_away(const Bucket& b, double alpha, double beta, double acc) const {
  const double glo = alpha + beta * b.lo, lin_hi = glo + beta * (b.hi - b.lo);
  const double reach =
      b.s_abs_beta * (b.hi - b.lo) + kZeroRel * ((acc + b.s_abs) * (1.0 + std::max(std::abs(b.lo), std::abs(b.hi))));
  return (glo > reach && lin_hi > reach) || (glo < -reach && lin_hi < -reach);
}

/// The buckets in increasing t with the summed increments: the unbounded ends and the gaps
/// between buckets are single edges, tested (and solved) here; buckets that may hold a zero are
/// flagged with alpha, beta at their start for walk_flagged.
void NdWalk::scan_buckets() {
  double alpha = alpha0, beta = beta0, acc = std::abs(alpha0) + std::abs(beta0);
  flagged.clear();
  auto unbounded = [&](double t0, bool left) {
    const double far = 1e6 * (1.0 + std::abs(t0)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
    const bool root = beta != 0.0 && (left ? -alpha / beta <= t0 : -alpha / beta >= t0);
    if (root || (left ? zero_on(alpha, beta, acc, t0 - far, t0) : zero_on(alpha, beta, acc, t0, t0 + far)))
      solve_edge(left ? t0 - (1.0 + std::abs(t0)) : t0 + (1.0 + std::abs(t0)));
  };
  unbounded(tmin, true);
  double prev_hi = tmin;
  for (int q = 0; q < static_cast<int>(buckets.size()); ++q) {
    const Bucket& b = buckets[static_cast<size_t>(q)];
    if (b.count == 0) continue;
    if (b.lo > prev_hi && zero_on(alpha, beta, acc, prev_hi, b.lo)) solve_edge(0.5 * (prev_hi + b.lo));
    if (!bucket_away(b, alpha, beta, acc)) flagged.push_back({q, alpha, beta, acc, {}});
    alpha += b.s_alpha;
    beta += b.s_beta;
    acc += b.s_abs;
    prev_hi = b.hi;
  }
  unbounded(tmax, false);
}

/// The crossings of the flagged buckets, by one pass over the line's bucket indices.
void NdWalk::gather_members() {
  flag_of.assign(buckets.size(), -1);
  for (size_t r = 0; r < flagged.size(); ++r) flag_of[static_cast<size_t>(flagged[r].q)] = static_cast<int>(r);
  for (int a = 0; a < L.Ka; ++a) {
    if (f[static_cast<size_t>(a)] == 0) continue;
    const int r = flag_of[static_cast<size_t>(bk[static_cast<size_t>(a)])];
    if (r >= 0) flagged[static_cast<size_t>(r)].members.emplace_back(t[static_cast<size_t>(a)], a);
  }
}

/// Sorts a flagged bucket's crossings and passes them one by one, testing each edge between two.
void NdWalk::walk_flagged(Flagged& fl) {
  ++counters.walked_buckets;
  auto& ms = fl.members;
  std::sort(ms.begin(), ms.end());
  double alpha = fl.alpha, beta = fl.beta, acc = fl.acc;
  for (size_t r = 0; r < ms.size(); ++r) {
    const int a = ms[r].second;
    const double da = f[static_cast<size_t>(a)] * L.w[static_cast<size_t>(a)] * num[static_cast<size_t>(a)];
    const double db = L.w[static_cast<size_t>(a)] * std::abs(den[static_cast<size_t>(a)]);
    alpha += da;
    beta += db;
    acc += std::abs(da) + std::abs(db);
    if (r + 1 < ms.size()) {
      const double ta = ms[r].first, tb = ms[r + 1].first;
      if (tb > ta && zero_on(alpha, beta, acc, ta, tb)) solve_edge(0.5 * (ta + tb));
    }
  }
}

/// Map of the region at z = p + pm e with the defining hyperplanes of the line off: the units'
/// pieces from the crossings' sides, then M = A + outer * slopes in one product.
void NdWalk::edge_map(double pm, SmallMatrix& M, SmallVector& m) {
  piece = L.piece0;
  for (int a = 0; a < L.Ka; ++a) {
    const signed char fa = f[static_cast<size_t>(a)];
    signed char s;
    if (fa == 0)
      s = num[static_cast<size_t>(a)] > 0.0 ? 1 : -1;  // parallel: its side; defining: off (0 <= 0)
    else
      s = t[static_cast<size_t>(a)] < pm ? fa : static_cast<signed char>(-fa);
    sign[static_cast<size_t>(a)] = s;
    if (s > 0) ++piece[static_cast<size_t>(L.unit_of[static_cast<size_t>(a)])];
  }
  for (Index i = 0; i < P.N; ++i) {
    const auto pc = static_cast<size_t>(piece[static_cast<size_t>(i)]);
    slopes(i) = P.slope[static_cast<size_t>(i)][pc];
    shifts(i) = P.shift[static_cast<size_t>(i)][pc];
  }
  const Index R = P.R;
  Mvec.noalias() = P.outer * slopes;
  M = P.A + Eigen::Map<const Matrix>(Mvec.data(), R, R);
  m = P.h;
  m.noalias() += P.V * shifts;
}

/// Closed-region test of z for the region around the current edge whose defining hyperplanes
/// are on where `mask` has their bit (the line's first, they reject most candidates).
bool NdWalk::region_ok(const double* z, unsigned mask) const {
  const Index R = P.R;
  double zinf = 0.0;
  for (Index r = 0; r < R; ++r) zinf = std::max(zinf, std::abs(z[r]));
  auto ok = [&](int a, int s) {
    const Index k = L.k_of[static_cast<size_t>(a)];
    const double* nk = P.NT.col(k).data();
    double v = P.offsets(k);
    for (Index r = 0; r < R; ++r) v += nk[r] * z[r];
    return s * v >= -o.region_tol * (P.norm1(k) * zinf + std::abs(P.offsets(k)));
  };
  const int ns = L.R - 1;
  for (int q = 0; q < ns; ++q)
    if (!ok(S[q], (mask >> q) & 1U ? 1 : -1)) return false;
  for (int a = 0; a < L.Ka; ++a) {
    if (f[static_cast<size_t>(a)] == 0 && num[static_cast<size_t>(a)] == 0.0) continue;  // defining
    if (!ok(a, sign[static_cast<size_t>(a)])) return false;
  }
  return true;
}

/// Solves the 2^(R-1) regions around the edge through t = pm (signs of the defining hyperplanes
/// free) and keeps the solutions inside their closed region; a singular region sets the
/// degenerate flag (a continuum or none: the full walk examines it).
void NdWalk::solve_edge(double pm) {
  ++counters.zero_edges;
  const double t0 = omp_get_wtime();  // STATS
  struct Clock {                      // STATS
    NdCounters& c;
    double t0;
    ~Clock() { c.edge_seconds += omp_get_wtime() - t0; }
  } clock{counters, t0};
  const int R = L.R, ns = R - 1;
  SmallMatrix M;
  SmallVector m;
  edge_map(pm, M, m);
  double g[kMaxDim * kMaxDim], rhs[kMaxDim], z[kMaxDim];
  for (unsigned mask = 0; mask < (1U << ns); ++mask) {
    SmallMatrix Mx = M;
    SmallVector mx = m;
    for (int q = 0; q < ns; ++q)
      if ((mask >> q) & 1U) {
        const Index k = L.k_of[static_cast<size_t>(S[q])];
        const Index i = P.unit_of[static_cast<size_t>(k)];
        Mx += P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Matrix>(P.outer.col(i).data(), R, R);
        mx += P.dshift[static_cast<size_t>(k)] * P.V.col(i);
      }
    for (int b = 0; b < R; ++b)
      for (int a = 0; a < R; ++a) g[a * R + b] = Mx(a, b) - (a == b ? P.delta : 0.0);
    for (int a = 0; a < R; ++a) rhs[a] = -mx(a);
    ++counters.solved;
    if (!(equilibrated_lu_solve(g, R, 1, R, rhs, z) > o.singular_tol)) {
      if (!singular_region(mask)) return;
      continue;
    }
    if (region_ok(z, mask)) found.push_back({first, sub, seq++, Eigen::Map<const SmallVector>(z, R)});
  }
}

/// A singular region around the current edge: evaluate_cell's analysis decides it. One without
/// a consistent solution inside it (common: regions where fewer than R units are active) is
/// passed over; a continuum or an undecided region sets the degenerate flag (false), since the
/// full walk assembles continua from all their regions.
bool NdWalk::singular_region(unsigned mask) {
  std::vector<signed char> signs = P.constant_sign;
  for (int a = 0; a < L.Ka; ++a)
    signs[static_cast<size_t>(L.k_of[static_cast<size_t>(a)])] = sign[static_cast<size_t>(a)];
  for (int q = 0; q < L.R - 1; ++q)
    signs[static_cast<size_t>(L.k_of[static_cast<size_t>(S[q])])] = (mask >> q) & 1U ? 1 : -1;
  RegionTracker tracker(P);
  tracker.reset(signs);
  CellOutput cell;
  evaluate_cell(tracker, o, cell);
  if (!cell.continua.empty() || !cell.undecided.empty()) {
    degenerate = true;
    return false;
  }
  for (const auto& z : cell.points) found.push_back({first, sub, seq++, z});
  return true;
}

/// Walks the current line S: crossings, buckets, the edges with a zero of G_c.
void NdWalk::walk_line() {
  ++counters.lines;
  const int ok = line_of();
  if (ok == 0) return;  // parallel kinks of one unit: no line
  if (ok < 0 || !cross_line()) {
    degenerate = true;
    return;
  }
  seq = 0;
  counters.crossings += n_cross;
  if (n_cross == 0) {  // no crossing: one edge, the whole line
    if (alpha0 == 0.0 || beta0 != 0.0) solve_edge(0.0);
    return;
  }
  fill_buckets();
  scan_buckets();
  gather_members();
  for (auto& fl : flagged) walk_flagged(fl);
}

/// Runs `walk` over every line whose first defining hyperplane is `a0`: the (R - 2)-subsets of
/// {a0 + 1, ..., Ka - 1} in lexicographic order.
void walk_lines_from(NdWalk& walk, int a0) {
  const int R = walk.L.R, Ka = walk.L.Ka, m = R - 2;
  walk.first = a0;
  walk.sub = 0;
  walk.S[0] = a0;
  if (Ka - a0 - 1 < m) return;
  int* s = walk.S + 1;
  for (int q = 0; q < m; ++q) s[q] = a0 + 1 + q;
  while (!walk.degenerate.load(std::memory_order_relaxed)) {
    walk.walk_line();
    ++walk.sub;
    int q = m - 1;
    while (q >= 0 && s[q] == Ka - m + q) --q;
    if (q < 0) break;
    ++s[q];
    for (int r = q + 1; r < m; ++r) s[r] = s[r - 1] + 1;
  }
}

}  // namespace

bool level_set_walk_nd(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                       std::int64_t& solved) {
  if (P.R < 3 || P.R > kMaxDim || P.D != P.R) return false;
  const int Ka = static_cast<int>(P.active.size());
  if (Ka < P.R) return false;
  const NdPlanes planes = nd_planes(P);
  std::atomic<bool> degenerate{false};
  std::vector<std::vector<NdFound>> parts;
  std::vector<NdCounters> counts;
#pragma omp parallel
  {
#pragma omp single
    {
      parts.resize(static_cast<size_t>(detail::team_size()));
      counts.resize(parts.size());
    }
    const auto me = static_cast<size_t>(detail::team_index());
    NdWalk walk(planes, o, degenerate, parts[me]);
#pragma omp for schedule(dynamic, 1)
    for (int a = 0; a < Ka; ++a) {
      if (degenerate.load(std::memory_order_relaxed)) continue;
      walk_lines_from(walk, a);
    }
    counts[me] = walk.counters;
  }
  if (std::getenv("RNNDYN_LS_STATS")) {  // STATS
    NdCounters tot;
    for (const auto& c : counts) {
      tot.lines += c.lines;
      tot.crossings += c.crossings;
      tot.zero_edges += c.zero_edges;
      tot.walked_buckets += c.walked_buckets;
      tot.solved += c.solved;
      tot.edge_seconds += c.edge_seconds;
    }
    std::fprintf(
        stderr,
        "LS lines %lld crossings %lld zero_edges %lld (%.2f/line) walked %lld solved %lld edge_s %.3f degenerate %d\n",
        (long long)tot.lines, (long long)tot.crossings, (long long)tot.zero_edges,
        double(tot.zero_edges) / double(std::max<std::int64_t>(1, tot.lines)), (long long)tot.walked_buckets,
        (long long)tot.solved, tot.edge_seconds, int(degenerate.load()));
  }
  if (degenerate) return false;
  std::vector<NdFound> all;
  for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end(), [](const NdFound& x, const NdFound& y) {
    if (x.first != y.first) return x.first < y.first;
    return x.sub != y.sub ? x.sub < y.sub : x.seq < y.seq;
  });
  for (const auto& fd : all) out.points.emplace_back(fd.z);
  for (const auto& cnt : counts) solved += cnt.solved;
  return true;
}

}  // namespace rnndyn::detail
