// Level-set pruning of the arrangement walk for latent dimension R >= 2 (method "level_set").
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
// by dalpha_j = f_j w_j num_j, dbeta_j = w_j |den_j| (f_j = sign den_j). The crossings are
// bucketed by t (no comparison sort) and a bucket [lo, hi] is passed whole when the linear part
// stays farther from zero than its crossings can move it,
//
//   |G_c(t) - G_c(lo) - beta (t - lo)| <= sum_{j in bucket} |dbeta_j| (hi - lo);
//
// only the few buckets that may hold a zero are sorted and walked edge by edge.
//
// R = 2 is the case R - 1 = 1: the lines are the hyperplanes themselves and two regions lie
// beside each edge. (An earlier walk for R = 2 alone kept the map of the current region along the
// line with a rank-one update per crossing: 34 ns per crossing against 14 here, R = 2, N = 10,000.)
//
// The region's full map M_D is needed only at those edges. Assembling it from scratch at each edge
// took two thirds of the time (R = 3, N = 300 sine grid: 0.96 of 1.43 s, ~5 zero edges per line).
// Instead the crossings are counting-sorted by bucket (which the bucket sums need anyway), so
// that one pass in increasing t gives the running signed sums D_i = sum_{t_a < t_i} f_a dmap_a
// at every edge i, in registers; with D over all crossings and the precomputed sum T of every
// hyperplane's change, the map at edge i is base + (T - D) / 2 + D_i (edge_maps). The 2^(R-1)
// regions around an edge add the rank-one terms of the defining hyperplanes. Returns false (the
// caller falls back to the full walk) on anything degenerate: normals not spanning R^R, a line
// whose defining normals are (nearly) dependent without two of them being exactly parallel (then
// the line is empty: hardtanh kinks, repeated rows of U), a line lying in another hyperplane, or a region holding a
// continuum of fixed points (a singular region without one is decided by evaluate_cell and passed over).
//
// Cost: C(K, R - 1) lines of K crossings each, O(K^R / (R - 1)!) like the full walk's O(K^R / R!)
// regions, but a crossing costs a few ns against ~300 ns for a region solve; the regions solved
// are 2^(R-1) per zero edge, a few zero edges per line.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_level_set.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kZeroRel = 1e-9;  // relative size under which G_c counts as zero at an edge end
constexpr int kPerBucket = 4;      // crossings per bucket on average

// The crossing pass is division-bound and vectorises: with AVX2 (4 doubles) where the CPU has it,
// chosen at load time (GCC's target_clones; no FMA, so the results are bit-identical to SSE2's).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define RNNDYN_WIDE_SIMD __attribute__((target_clones("avx2", "default")))
#else
#define RNNDYN_WIDE_SIMD
#endif

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

/// |x| as max |x_r| sqrt(sum (x_r / max)^2): no overflow, and the same bits for x and -2^j x (so
/// that parallel normals such as a unit's two kinks or repeated rows of U stay exactly parallel
/// after normalising; Eigen's stableNorm depends on the alignment of the data).
double scaled_norm(const double* x, int n) {
  double m = 0.0;
  for (int r = 0; r < n; ++r) m = std::max(m, std::abs(x[r]));
  double s = 0.0;
  for (int r = 0; r < n; ++r) s += (x[r] / m) * (x[r] / m);
  return m * std::sqrt(s);
}

}  // namespace

NdPlanes nd_planes(const PlPrepared& P) {
  NdPlanes L;
  L.P = &P;
  L.R = static_cast<int>(P.R);
  L.Ka = static_cast<int>(P.active.size());
  L.W = L.R * L.R + L.R;
  // The component of G to follow: the one with the largest coupling (any is correct).
  P.V.rowwise().squaredNorm().maxCoeff(&L.c);
  Matrix Mbase;
  Vector mbase;
  base_map(P, Mbase, mbase);
  L.base.assign(Mbase.data(), Mbase.data() + Mbase.size());
  L.base.insert(L.base.end(), mbase.data(), mbase.data() + mbase.size());
  L.g = Mbase.row(L.c).transpose();
  L.g(L.c) -= P.delta;
  L.g0 = mbase(L.c);
  const auto Ka = static_cast<size_t>(L.Ka);
  L.n.assign(static_cast<size_t>(L.R), std::vector<double>(Ka));
  L.off.resize(Ka);
  L.w.resize(Ka);
  L.k_of.resize(Ka);
  L.u.resize(Ka * static_cast<size_t>(L.R));
  L.dmap.resize(Ka * static_cast<size_t>(L.W));
  for (size_t a = 0; a < Ka; ++a) {
    const Index k = P.active[a];
    const Index i = P.unit_of[static_cast<size_t>(k)];
    const double nrm = scaled_norm(P.NT.col(k).data(), L.R);
    for (int r = 0; r < L.R; ++r) L.n[static_cast<size_t>(r)][a] = P.NT(r, k) / nrm;
    L.off[a] = P.offsets(k) / nrm;
    L.w[a] = P.V(L.c, i) * P.dslope[static_cast<size_t>(k)] * nrm;
    L.k_of[a] = k;
    for (int r = 0; r < L.R; ++r)
      L.u[a * static_cast<size_t>(L.R) + static_cast<size_t>(r)] = P.V(r, i) * P.dslope[static_cast<size_t>(k)] * nrm;
    double* d = L.dmap.data() + a * static_cast<size_t>(L.W);
    for (Index q = 0; q < P.R * P.R; ++q) d[q] = P.dslope[static_cast<size_t>(k)] * P.outer(q, i);
    for (Index r = 0; r < P.R; ++r) d[P.R * P.R + r] = P.dshift[static_cast<size_t>(k)] * P.V(r, i);
  }
  L.ndmap.resize(L.dmap.size());
  for (size_t x = 0; x < L.dmap.size(); ++x) L.ndmap[x] = -L.dmap[x];
  L.dsum.assign(static_cast<size_t>(L.W), 0.0);
  for (size_t a = 0; a < Ka; ++a)
    for (int q = 0; q < L.W; ++q)
      L.dsum[static_cast<size_t>(q)] += L.dmap[a * static_cast<size_t>(L.W) + static_cast<size_t>(q)];
  return L;
}

namespace {

/// A point found on a line, tagged for a merge order that does not depend on the threads.
struct NdFound {
  int first;         // first defining hyperplane of the line (the parallel loop's index)
  std::int64_t sub;  // the line's number among those with this first hyperplane
  int seq;           // order on the line
  SmallVector z;
};

/// Per-bucket sums of the crossings' increments of G_c and their range.
struct Bucket {
  int count = 0;
  int start = 0;  // its crossings are NdWalk::order[start, start + count) (a counting sort)
  double s_alpha = 0.0, s_beta = 0.0, s_abs_beta = 0.0;
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
};

/// One thread's walk along the lines; scratch reused from line to line.
struct NdWalk {
  const NdPlanes& L;
  const PlPrepared& P;
  const PiecewiseLinearFixedPointOptions& o;
  std::atomic<bool>& degenerate;
  std::vector<NdFound>& found;
  std::int64_t solved = 0;  // regions solved by this thread
  // Current line.
  int S[kMaxDim] = {};
  int first = 0;
  std::int64_t sub = 0;
  int seq = 0;
  SmallVector p, e;
  std::vector<double> num, den, t, dalpha, dbeta;
  std::vector<signed char> f;  // +1 / -1 direction of the crossing; 0 parallel or defining
  std::vector<int> bk;         // bucket of each crossing (-1: none)
  std::vector<int> order;      // the crossings grouped by bucket in increasing t (counting sort)
  std::vector<int> fill;       // per bucket: the next free place in order
  std::vector<int> off_line;   // the parallel and defining hyperplanes of the line
  std::vector<Bucket> buckets;
  std::vector<double> sample;
  double tmin = 0.0, tmax = 0.0, alpha0 = 0.0, beta0 = 0.0;
  double acc_a = 0.0, acc_b = 0.0;  // rounding scale of G_c = alpha + beta t: acc_a + acc_b |t|
  int n_cross = 0;
  // Zero edges of the line (midpoints, increasing), how many crossings of `order` lie before
  // each, and the maps of the regions beside them.
  std::vector<double> edges;
  std::vector<int> edge_pos;
  std::vector<double> slots;
  mutable int rejects[4] = {};  // the hyperplanes that rejected the last candidates, tested first
  // Far-field mode (far_field_walk): only the unbounded ends of each line are tested, after a pass
  // without sorting; the vertices' bounding box is kept.
  bool rays_only = false;
  SmallVector vlo, vhi;
  std::vector<double> keep;  // 1, and 0 for the current line's defining hyperplanes

  NdWalk(const NdPlanes& planes, const PiecewiseLinearFixedPointOptions& options, std::atomic<bool>& flag,
         std::vector<NdFound>& out)
      : L(planes), P(*planes.P), o(options), degenerate(flag), found(out) {
    const auto Ka = static_cast<size_t>(L.Ka);
    num.resize(Ka);
    den.resize(Ka);
    t.resize(Ka);
    dalpha.resize(Ka);
    dbeta.resize(Ka);
    f.resize(Ka);
    bk.resize(Ka);
    order.resize(Ka);
    keep.assign(Ka, 1.0);
    vlo = SmallVector::Constant(L.R, std::numeric_limits<double>::infinity());
    vhi = -vlo;
  }

  void walk_line();
  int line_of();
  void dots();
  double bucket_scale();
  bool cross_line();
  bool rays_may_vanish();
  void scan_rays();
  void unbounded_edge(double alpha, double beta, double t0, bool left);
  bool is_virtual(int a) const { return L.k_of[static_cast<size_t>(a)] < 0; }
  void crossings();
  bool fill_buckets();
  bool parallel(int a);
  void scan_buckets();
  void walk_bucket(const Bucket& b, double alpha, double beta);
  void edge_maps();
  void solve_edge(double pm, const double* map);
  bool region_ok(const double* z, unsigned mask, double pm) const;
  bool singular_region(unsigned mask, double pm);
  bool clearly_outside(const double* g, const double* rhs, unsigned mask) const;
  bool bucket_away(const Bucket& b, double alpha, double beta) const;
  signed char side(int a, double pm) const {
    const signed char fa = f[static_cast<size_t>(a)];
    if (fa == 0) return num[static_cast<size_t>(a)] > 0.0 ? 1 : -1;  // parallel: its side; defining: off
    return t[static_cast<size_t>(a)] < pm ? fa : static_cast<signed char>(-fa);
  }

  /// Whether alpha + beta t has a zero in [ta, tb], up to the rounding of the increments.
  bool zero_on(double alpha, double beta, double ta, double tb) const {
    const double ga = alpha + beta * ta, gb = alpha + beta * tb;
    const double tol = kZeroRel * (acc_a + acc_b * std::max(std::abs(ta), std::abs(tb)));
    return (ga <= tol && gb >= -tol) || (ga >= -tol && gb <= tol);
  }
};

/// num_a = n̂_a . p + ô_a and den_a = n̂_a . e for every active hyperplane (vectorised over a).
RNNDYN_WIDE_SIMD void dot_pass(int Ka, int R, const std::vector<std::vector<double>>& n, const double* p,
                               const double* e, const double* __restrict off, double* __restrict nu,
                               double* __restrict de) {
  for (int a = 0; a < Ka; ++a) {
    nu[a] = off[a];
    de[a] = 0.0;
  }
  for (int r = 0; r < R; ++r) {
    const double* __restrict nr = n[static_cast<size_t>(r)].data();
    const double pr = p[r], er = e[r];
    for (int a = 0; a < Ka; ++a) {
      nu[a] += nr[a] * pr;
      de[a] += nr[a] * er;
    }
  }
}

/// Direction e and least-norm point p of the line of S: 1 on success, 0 when the line is empty
/// (two exactly parallel hyperplanes), -1 when the normals are (nearly) dependent otherwise or
/// two hyperplanes coincide (degenerate).
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
  } else if (R == 4) {  // 3 x 3 minors in closed form (a pivoting LU per minor was a tenth of the far field)
    for (int r = 0; r < R; ++r) {
      Eigen::Matrix3d minor;
      for (int q = 0, cc = 0; q < R; ++q)
        if (q != r) minor.col(cc++) = NS.col(q);
      e(r) = (r % 2 ? -1.0 : 1.0) * minor.determinant();
    }
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
    // Exactly parallel (or opposite) unit normals of distinct hyperplanes: the line is empty
    // (the kinks of one unit, repeated rows of U). Anything else is degenerate.
    for (int q = 0; q < ns; ++q)
      for (int q2 = q + 1; q2 < ns; ++q2)
        for (double sg : {1.0, -1.0})
          if (NS.row(q) == sg * NS.row(q2)) return oS(q) == sg * oS(q2) ? -1 : 0;
    return -1;
  }
  e /= len;
  // p = NS^T (NS NS^T)^{-1} (-oS): the point of the line nearest the origin.
  const SmallMatrix gram = NS * NS.transpose();
  const SmallVector y = gram.ldlt().solve(-oS);
  p = NS.transpose() * y;
  return 1;
}

/// num_a = n̂_a . p + ô_a and den_a = n̂_a . e for every active hyperplane (vectorised over a),
/// the defining ones set to exactly 0.
void NdWalk::dots() {
  dot_pass(L.Ka, L.R, L.n, p.data(), e.data(), L.off.data(), num.data(), den.data());
  for (int q = 0; q < L.R - 1; ++q) {  // the defining hyperplanes: G is continuous across them
    num[static_cast<size_t>(S[q])] = 0.0;
    den[static_cast<size_t>(S[q])] = 0.0;
  }
}

/// Scale s of the bucket map u(t) = sign(t) (1 - s / (|t| + s)): the median |t| of a sample, so
/// that the heavy-tailed crossing positions (t ~ 1 / cos of an angle) become about uniform.
double NdWalk::bucket_scale() {
  sample.clear();
  for (int a = 0, stride = std::max(1, L.Ka / 16); a < L.Ka; a += stride)
    if (std::abs(den[static_cast<size_t>(a)]) > 1e-12)
      sample.push_back(std::abs(num[static_cast<size_t>(a)] / den[static_cast<size_t>(a)]));
  if (sample.empty()) return 1.0;
  std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2), sample.end());
  const double s = sample[sample.size() / 2];
  return s > 0.0 && std::isfinite(s) ? s : 1.0;
}

/// A hyperplane parallel to the line (or defining it): constant along it, no crossing. False
/// when the line lies in it.
bool NdWalk::parallel(int a) {
  f[static_cast<size_t>(a)] = 0;
  const double nu = num[static_cast<size_t>(a)];
  if (std::abs(nu) > 1e-12 * (p.norm() + std::abs(L.off[static_cast<size_t>(a)]))) {
    if (nu > 0.0) alpha0 += L.w[static_cast<size_t>(a)] * nu;
    return true;
  }
  for (int q = 0; q < L.R - 1; ++q)
    if (S[q] == a) return true;
  return false;
}

/// The crossings of the line: t and directions f of the other hyperplanes, G_c = alpha0 + beta0 t
/// at t -> -inf, and the crossings counted into buckets with their summed increments and range.
/// False when the line lies in another hyperplane.
bool NdWalk::cross_line() {
  alpha0 = L.g.dot(p) + L.g0;
  beta0 = L.g.dot(e);
  crossings();
  return fill_buckets();
}

/// The crossing pass over raw arrays (a free function with restrict pointers, selects instead of
/// branches and no reduction, so that it vectorises): t, the increments (dalpha, dbeta) of G_c and
/// the bucket of every crossing (-1: none). The bucket map u(t) = sign(t) (1 - s / (|t| + s))
/// (about four crossings per bucket) is built from correctly rounded monotone operations, so the
/// bucket index is monotone in t and buckets never overlap.
RNNDYN_WIDE_SIMD void crossing_pass(int Ka, const double* __restrict w, const double* __restrict nv,
                                    const double* __restrict dv, double* __restrict tv, double* __restrict dav,
                                    double* __restrict dbv, int* __restrict bkv, double s_scale, int nbk) {
  const double half = 0.5 * nbk;
  for (int a = 0; a < Ka; ++a) {
    const double nu = nv[a], de = dv[a];
    const double valid = std::abs(de) > 1e-12 ? 1.0 : 0.0, sg = de > 0.0 ? 1.0 : -1.0;
    const double ta = -nu / (de + (1.0 - valid));
    const double v = 1.0 - s_scale / (std::abs(ta) + s_scale), u = ta >= 0.0 ? v : -v;
    const double qd = std::min(nbk - 0.5, std::max(0.0, (u + 1.0) * half));
    tv[a] = ta;
    dav[a] = valid * sg * (w[a] * nu);
    dbv[a] = valid * w[a] * std::abs(de);
    bkv[a] = static_cast<int>(valid > 0.0 ? qd : -1.0);
  }
}

/// t, dalpha, dbeta and bucket of every crossing.
void NdWalk::crossings() {
  crossing_pass(L.Ka, L.w.data(), num.data(), den.data(), t.data(), dalpha.data(), dbeta.data(), bk.data(),
                bucket_scale(), std::max(1, L.Ka / kPerBucket));
}

/// Each bucket's summed increments and range (the increments commute, so a bucket can be passed
/// as a whole), its crossings grouped in `order`, the directions f, and G_c = alpha0 + beta0 t at
/// t -> -inf (the ramps on there). False when the line lies in another hyperplane.
bool NdWalk::fill_buckets() {
  const int nbk = std::max(1, L.Ka / kPerBucket);
  buckets.assign(static_cast<size_t>(nbk), Bucket{});
  Bucket* bks = buckets.data();
  const double *tv = t.data(), *dav = dalpha.data(), *dbv = dbeta.data();
  const int* bkv = bk.data();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Counting sort by bucket: counts, starts, places; then each bucket's sums in registers (a
  // read-modify-write of the bucket per crossing chained the stores).
  off_line.clear();
  for (int a = 0; a < L.Ka; ++a) {
    const int q = bkv[a];
    if (q < 0) {  // parallel to the line or defining it
      if (!parallel(a)) return false;
      off_line.push_back(a);
      continue;
    }
    ++bks[q].count;
  }
  fill.resize(static_cast<size_t>(nbk));
  for (int q = 0, s = 0; q < nbk; ++q) {
    bks[q].start = fill[static_cast<size_t>(q)] = s;
    s += bks[q].count;
  }
  int* ord = order.data();
  int* fl = fill.data();
  for (int a = 0; a < L.Ka; ++a)
    if (bkv[a] >= 0) ord[fl[bkv[a]]++] = a;
  // Each bucket's sums in registers; with them the directions f and G_c at t -> -inf: a crossing
  // with f = -1 is on there and contributes w (num + den t) = -(dalpha + dbeta t).
  const double* dv = den.data();
  signed char* fv = f.data();
  double al = 0.0, be = 0.0, total_a = 0.0, total_b = 0.0;
  for (int q = 0; q < nbk; ++q) {
    Bucket& b = bks[q];
    double sa = 0.0, sb = 0.0, sab = 0.0, na = 0.0, nb = 0.0, tot = 0.0, blo = kInf, bhi = -kInf;
    for (int m = b.start; m < b.start + b.count; ++m) {
      const int a = ord[m];
      // signbit, not a comparison: GCC turned `den < 0 ? 1 : 0` into a mispredicted branch.
      const int sgn = std::signbit(dv[a]) ? 1 : 0;  // valid crossings have |den| > 1e-12
      const double da = dav[a], db = dbv[a], neg = sgn;
      fv[a] = static_cast<signed char>(1 - 2 * sgn);
      sa += da;
      sb += db;
      sab += std::abs(db);
      na += neg * da;
      nb += neg * db;
      tot += std::abs(da);
      blo = std::min(blo, tv[a]);
      bhi = std::max(bhi, tv[a]);
    }
    b.s_alpha = sa;
    b.s_beta = sb;
    b.s_abs_beta = sab;
    b.lo = blo;
    b.hi = bhi;
    al -= na;
    be -= nb;
    total_a += tot;
    total_b += sab;
  }
  double lo = kInf, hi = -kInf;
  for (const Bucket& b : buckets)
    if (b.count > 0) {
      lo = std::min(lo, b.lo);
      hi = std::max(hi, b.hi);
    }
  alpha0 += al;
  beta0 += be;
  acc_a = std::abs(alpha0) + total_a;  // scale of the rounding of the increments
  acc_b = std::abs(beta0) + total_b;
  tmin = lo;
  tmax = hi;
  n_cross = L.Ka - static_cast<int>(off_line.size());
  return true;
}

/// True when G_c provably stays away from zero on bucket b's range: the linear part alone stays
/// farther from zero than its crossings can move it, sum |dbeta_j| (hi - lo).
bool NdWalk::bucket_away(const Bucket& b, double alpha, double beta) const {
  const double glo = alpha + beta * b.lo, lin_hi = glo + beta * (b.hi - b.lo);
  const double reach =
      b.s_abs_beta * (b.hi - b.lo) + kZeroRel * (acc_a + acc_b * std::max(std::abs(b.lo), std::abs(b.hi)));
  return (glo > reach && lin_hi > reach) || (glo < -reach && lin_hi < -reach);
}

/// The buckets in increasing t with the summed increments: the unbounded ends and the gaps
/// between buckets are single edges, tested here; a bucket that may hold a zero is walked
/// crossing by crossing. The edges come out in increasing t, each with the number of crossings
/// of `order` before it.
void NdWalk::scan_buckets() {
  double alpha = alpha0, beta = beta0;
  unbounded_edge(alpha, beta, tmin, true);
  double prev_hi = tmin;
  for (const Bucket& b : buckets) {
    if (b.count == 0) continue;
    if (b.lo > prev_hi && zero_on(alpha, beta, prev_hi, b.lo)) {
      edges.push_back(0.5 * (prev_hi + b.lo));
      edge_pos.push_back(b.start);
    }
    if (!bucket_away(b, alpha, beta)) walk_bucket(b, alpha, beta);
    alpha += b.s_alpha;
    beta += b.s_beta;
    prev_hi = b.hi;
  }
  unbounded_edge(alpha, beta, tmax, false);
}

/// The unbounded edge left of t0 (G_c = alpha + beta t there) or right of it: an edge when G_c
/// vanishes on it (closed test).
void NdWalk::unbounded_edge(double alpha, double beta, double t0, bool left) {
  const double far = 1e6 * (1.0 + std::abs(t0)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
  const bool root = beta != 0.0 && (left ? -alpha / beta <= t0 : -alpha / beta >= t0);
  if (root || (left ? zero_on(alpha, beta, t0 - far, t0) : zero_on(alpha, beta, t0, t0 + far))) {
    edges.push_back(left ? t0 - (1.0 + std::abs(t0)) : t0 + (1.0 + std::abs(t0)));
    edge_pos.push_back(left ? 0 : n_cross);
  }
}

/// scan_buckets for the two unbounded edges only (far-field mode).
void NdWalk::scan_rays() {
  double alpha = alpha0, beta = beta0;
  unbounded_edge(alpha, beta, tmin, true);
  for (const Bucket& b : buckets) {
    alpha += b.s_alpha;
    beta += b.s_beta;
  }
  unbounded_edge(alpha, beta, tmax, false);
}

/// One pass over the crossings of the current line without sorting, computing num and den on the
/// fly (the defining hyperplanes, keep = 0, left out): the range [tmin, tmax] of its vertices and
/// G_c on its two unbounded edges, beyond the last crossing at either end (the
/// hyperplanes on there: den > 0 to the right, den < 0 to the left, the parallel ones with
/// num > 0 on both). Reductions in any order (omp simd): the caller screens with a margin.
struct RaySums {
  double tmin, tmax, ap, bp, am, bm, scale_a, scale_b;
  int flat;  // other hyperplanes containing the line (0 unless degenerate)
};

// GCC's vector extensions: its loop vectoriser leaves the selects of this pass as branches.
typedef double V4d __attribute__((vector_size(32)));
typedef long long V4l __attribute__((vector_size(32)));

RNNDYN_WIDE_SIMD void ray_pass(int Ka, int R, const double* const* n, const double* __restrict off,
                               const double* __restrict keep, const double* __restrict w, const double* p,
                               const double* e, double tiny, RaySums& out) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const V4d zero = {0.0, 0.0, 0.0, 0.0}, one = zero + 1.0, eps = zero + 1e-12, tv = zero + tiny;
  // tmin and tmax as fractions x / y (y >= 0) compared by cross-multiplying: no division in the
  // loop (it bounded the pass). Starting at -1 / 0 and 1 / 0, the first crossing wins.
  V4d xmin = one, ymin = zero, xmax = -one, ymax = zero;
  V4d ap = zero, bp = zero, am = zero, bm = zero, sa = zero, sb = zero, flat = zero;
  int a = 0;
  for (; a + 4 <= Ka; a += 4) {
    V4d nu, de = zero, wa, kp;
    std::memcpy(&nu, off + a, sizeof nu);
    for (int r = 0; r < R; ++r) {
      V4d nr;
      std::memcpy(&nr, n[r] + a, sizeof nr);
      nu += nr * p[r];
      de += nr * e[r];
    }
    std::memcpy(&wa, w + a, sizeof wa);
    std::memcpy(&kp, keep + a, sizeof kp);
    const V4l kept = kp > zero, pos = (de > eps) & kept, neg = (de < -eps) & kept, valid = pos | neg;
    const V4l par = ~valid & kept & (nu > zero);
    const V4d x = de > zero ? -nu : nu, y = de > zero ? de : -de;  // t = x / y
    const V4l below = valid & (x * ymin < xmin * y), above = valid & (x * ymax > xmax * y);
    xmin = below ? x : xmin;
    ymin = below ? y : ymin;
    xmax = above ? x : xmax;
    ymax = above ? y : ymax;
    const V4d wn = wa * nu, wd = wa * de;
    ap += (pos | par) ? wn : zero;
    bp += pos ? wd : zero;
    am += (neg | par) ? wn : zero;
    bm += neg ? wd : zero;
    sa += kept ? (wn < zero ? -wn : wn) : zero;
    sb += kept ? (wd < zero ? -wd : wd) : zero;
    const V4d anu = nu < zero ? -nu : nu;
    flat += ~valid & kept & (anu <= tv) ? one : zero;
  }
  RaySums s{kInf, -kInf, 0, 0, 0, 0, 0, 0, 0};
  double fl = 0.0;
  for (int l = 0; l < 4; ++l) {
    if (ymin[l] > 0.0) s.tmin = std::min(s.tmin, xmin[l] / ymin[l]);
    if (ymax[l] > 0.0) s.tmax = std::max(s.tmax, xmax[l] / ymax[l]);
    s.ap += ap[l];
    s.bp += bp[l];
    s.am += am[l];
    s.bm += bm[l];
    s.scale_a += sa[l];
    s.scale_b += sb[l];
    fl += flat[l];
  }
  for (; a < Ka; ++a) {
    if (keep[a] == 0.0) continue;
    double nu = off[a], de = 0.0;
    for (int r = 0; r < R; ++r) {
      nu += n[r][a] * p[r];
      de += n[r][a] * e[r];
    }
    const bool pos = de > 1e-12, neg = de < -1e-12, valid = pos || neg, par = !valid && nu > 0.0;
    if (valid) {
      s.tmin = std::min(s.tmin, -nu / de);
      s.tmax = std::max(s.tmax, -nu / de);
    }
    const double wn = w[a] * nu, wd = w[a] * de;
    s.ap += pos || par ? wn : 0.0;
    s.bp += pos ? wd : 0.0;
    s.am += neg || par ? wn : 0.0;
    s.bm += neg ? wd : 0.0;
    s.scale_a += std::abs(wn);
    s.scale_b += std::abs(wd);
    fl += !valid && std::abs(nu) <= tiny ? 1.0 : 0.0;
  }
  s.flat = static_cast<int>(fl);
  out = s;
}

/// Far-field screening of the current line (dots done): widens the vertices' box by the line's
/// extreme crossings and says whether G_c may vanish on an unbounded edge (margin 1e-6, far above
/// the order of the sums) or the line needs the careful walk (no crossing, or lying in a
/// hyperplane other than its own).
bool NdWalk::rays_may_vanish() {
  const int R = L.R;
  const double* nr[kMaxDim];
  for (int r = 0; r < R; ++r) nr[r] = L.n[static_cast<size_t>(r)].data();
  for (int q = 0; q < R - 1; ++q) keep[static_cast<size_t>(S[q])] = 0.0;  // G is continuous across them
  RaySums s{};
  ray_pass(L.Ka, R, nr, L.off.data(), keep.data(), L.w.data(), p.data(), e.data(), 1e-12 * (p.norm() + 1.0), s);
  for (int q = 0; q < R - 1; ++q) keep[static_cast<size_t>(S[q])] = 1.0;
  if (!(s.tmin <= s.tmax) || s.flat != 0) return true;
  for (int r = 0; r < R; ++r) {
    const double x0 = p(r) + s.tmin * e(r), x1 = p(r) + s.tmax * e(r);
    vlo(r) = std::min(vlo(r), std::min(x0, x1));
    vhi(r) = std::max(vhi(r), std::max(x0, x1));
  }
  const double a0 = L.g.dot(p) + L.g0, b0 = L.g.dot(e);
  auto may = [&](double alpha, double beta, double t0, bool left) {
    const double g = alpha + beta * t0;
    const double tol = 1e-6 * (s.scale_a + std::abs(a0) + (s.scale_b + std::abs(b0)) * std::abs(t0));
    return std::abs(g) <= tol || (left ? g * beta >= 0.0 : g * beta <= 0.0);
  };
  return may(a0 + s.am, b0 + s.bm, s.tmin, true) || may(a0 + s.ap, b0 + s.bp, s.tmax, false);
}

/// Sorts a bucket's crossings in `order` by t and passes them one by one (alpha, beta at the
/// bucket's start), testing each edge between two.
void NdWalk::walk_bucket(const Bucket& b, double alpha, double beta) {
  int* ms = order.data() + b.start;
  const double* tv = t.data();
  std::sort(ms, ms + b.count, [tv](int x, int y) { return tv[x] != tv[y] ? tv[x] < tv[y] : x < y; });
  for (int r = 0; r < b.count; ++r) {
    const auto a = static_cast<size_t>(ms[r]);
    alpha += dalpha[a];
    beta += dbeta[a];
    if (r + 1 < b.count) {
      const double ta = tv[ms[r]], tb = tv[ms[r + 1]];
      if (tb > ta && zero_on(alpha, beta, ta, tb)) {
        edges.push_back(0.5 * (ta + tb));
        edge_pos.push_back(b.start + r + 1);
      }
    }
  }
}

/// Running sums D_i = sum of f_a dmap_a over the crossings before edge i (in `order`, edge_pos[i]
/// of them), for i < nz, and D_nz over all n crossings, into out[i * W]. The accumulator stays in
/// registers (W fixed) and the sign is a select between dmap and -dmap.
template <int kW>
void signed_sums(const int* order, int n, const int* edge_pos, int nz, const double* dpos, const double* dneg,
                 const signed char* f, int w_runtime, double* out) {
  const int W = kW > 0 ? kW : w_runtime;
  double accum[kW > 0 ? kW : kMaxDim * kMaxDim + kMaxDim] = {};
  int m = 0;
  for (int i = 0; i <= nz; ++i) {
    const int upto = i < nz ? edge_pos[i] : n;
    for (; m < upto; ++m) {
      const int a = order[m];
      const double* d = (f[a] > 0 ? dpos : dneg) + static_cast<std::ptrdiff_t>(a) * W;
      for (int q = 0; q < W; ++q) accum[q] += d[q];
    }
    std::copy(accum, accum + W, out + static_cast<std::ptrdiff_t>(i) * W);
  }
}

/// The maps (M, m) of the regions at every zero edge (defining hyperplanes off). Hyperplane a is
/// on at edge i iff t_a < pm_i (f = +1) or t_a >= pm_i (f = -1), so
///   on-sum_i = sum_{f < 0} dmap + sum_{t_a < pm_i} f_a dmap_a = (T - D_nz) / 2 + D_i
/// with T the sum over the line's crossings (every active hyperplane less the parallel and
/// defining ones) and D_i the running signed sums: one pass of W additions per crossing. Edge i's
/// map is at slots[i * W] afterwards.
void NdWalk::edge_maps() {
  const int W = L.W;
  const auto nz = static_cast<int>(edges.size());
  slots.resize(static_cast<size_t>((nz + 1) * W));
  const double *dpos = L.dmap.data(), *dneg = L.ndmap.data();
  if (W == 12)
    signed_sums<12>(order.data(), n_cross, edge_pos.data(), nz, dpos, dneg, f.data(), W, slots.data());
  else if (W == 20)
    signed_sums<20>(order.data(), n_cross, edge_pos.data(), nz, dpos, dneg, f.data(), W, slots.data());
  else
    signed_sums<0>(order.data(), n_cross, edge_pos.data(), nz, dpos, dneg, f.data(), W, slots.data());
  // base + the parallel hyperplanes that are on + (T - D_nz) / 2.
  double lift[kMaxDim * kMaxDim + kMaxDim];
  const double* dn = slots.data() + static_cast<size_t>(nz * W);
  for (int q = 0; q < W; ++q) lift[q] = L.dsum[static_cast<size_t>(q)];
  for (int a : off_line) {
    const double* d = dpos + static_cast<size_t>(a) * static_cast<size_t>(W);
    for (int q = 0; q < W; ++q) lift[q] -= d[q];
  }
  for (int q = 0; q < W; ++q) lift[q] = L.base[static_cast<size_t>(q)] + 0.5 * (lift[q] - dn[q]);
  for (int a : off_line)
    if (num[static_cast<size_t>(a)] > 0.0) {  // parallel and on (the defining ones have num = 0)
      const double* d = dpos + static_cast<size_t>(a) * static_cast<size_t>(W);
      for (int q = 0; q < W; ++q) lift[q] += d[q];
    }
  for (int i = 0; i < nz; ++i)
    for (int q = 0; q < W; ++q) slots[static_cast<size_t>(i * W + q)] += lift[q];
}

/// Closed-region test of z for the region around the edge at pm whose defining hyperplanes are on
/// where `mask` has their bit (tested first: they reject most candidates).
bool NdWalk::region_ok(const double* z, unsigned mask, double pm) const {
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
    if (!is_virtual(S[q]) && !ok(S[q], (mask >> q) & 1U ? 1 : -1)) return false;
  // Defining hyperplanes are tested above; virtual ones bound no region.
  auto defining = [&](int a) {
    return (f[static_cast<size_t>(a)] == 0 && num[static_cast<size_t>(a)] == 0.0) || is_virtual(a);
  };
  // Neighbouring candidates are rejected by the same few hyperplanes: those first.
  for (int a : rejects)
    if (a < L.Ka && !defining(a) && !ok(a, side(a, pm))) return false;
  for (int a = 0; a < L.Ka; ++a) {
    if (defining(a) || ok(a, side(a, pm))) continue;
    std::copy_backward(rejects, rejects + 3, rejects + 4);
    rejects[0] = a;
    return false;
  }
  return true;
}

/// Solves the 2^(R-1) regions around the edge at pm (signs of the defining hyperplanes free; map
/// with them off at `map`) and keeps the solutions inside their closed region.
void NdWalk::solve_edge(double pm, const double* map) {
  const int R = L.R, ns = R - 1, W = L.W;
  double mx[kMaxDim * kMaxDim + kMaxDim], g[kMaxDim * kMaxDim], rhs[kMaxDim], z[kMaxDim];
  unsigned virtual_bits = 0;  // a virtual defining hyperplane has no sides
  for (int q = 0; q < ns; ++q)
    if (is_virtual(S[q])) virtual_bits |= 1U << q;
  for (unsigned mask = 0; mask < (1U << ns); ++mask) {
    if (mask & virtual_bits) continue;
    std::copy(map, map + W, mx);
    for (int q = 0; q < ns; ++q)
      if ((mask >> q) & 1U) {
        const double* d = L.dmap.data() + static_cast<size_t>(S[q]) * static_cast<size_t>(W);
        for (int x = 0; x < W; ++x) mx[x] += d[x];
      }
    for (int b = 0; b < R; ++b)
      for (int a = 0; a < R; ++a) g[a * R + b] = mx[b * R + a] - (a == b ? P.delta : 0.0);
    for (int a = 0; a < R; ++a) rhs[a] = -mx[R * R + a];
    ++solved;
    if (clearly_outside(g, rhs, mask)) continue;
    if (!(equilibrated_lu_solve(g, R, 1, R, rhs, z) > o.singular_tol)) {
      if (!singular_region(mask, pm)) return;
      continue;
    }
    if (region_ok(z, mask, pm)) found.push_back({first, sub, seq++, Eigen::Map<const SmallVector>(z, R)});
  }
}

/// Plain Gaussian elimination with partial pivoting of the n x n row-major g (copied), z = g^-1 rhs;
/// returns the smallest pivot relative to the largest entry, 0 when a pivot vanishes.
double quick_solve(const double* g_in, const double* rhs_in, int n, double* z) {
  double g[kMaxDim * kMaxDim], r[kMaxDim], big = 0.0;
  for (int q = 0; q < n * n; ++q) big = std::max(big, std::abs(g[q] = g_in[q]));
  for (int q = 0; q < n; ++q) r[q] = rhs_in[q];
  double small = std::numeric_limits<double>::infinity();
  for (int col = 0; col < n; ++col) {
    int piv = col;
    for (int q = col + 1; q < n; ++q)
      if (std::abs(g[q * n + col]) > std::abs(g[piv * n + col])) piv = q;
    small = std::min(small, std::abs(g[piv * n + col]));
    if (!(small > 0.0)) return 0.0;
    if (piv != col) {
      for (int c = 0; c < n; ++c) std::swap(g[piv * n + c], g[col * n + c]);
      std::swap(r[piv], r[col]);
    }
    const double inv = 1.0 / g[col * n + col];
    for (int q = col + 1; q < n; ++q) {
      const double fq = g[q * n + col] * inv;
      for (int c = col + 1; c < n; ++c) g[q * n + c] -= fq * g[col * n + c];
      r[q] -= fq * r[col];
    }
  }
  for (int q = n - 1; q >= 0; --q) {
    double v = r[q];
    for (int c = q + 1; c < n; ++c) v -= g[q * n + c] * z[c];
    z[q] = v / g[q * n + q];
  }
  return small / big;
}

/// z = g^-1 rhs by cofactors for n = 3, 4 (Eigen's branch-free fixed-size inverse: a plain LU with
/// pivoting was a third of the walk at R = 4); returns |det g| / prod_i |row_i| (Hadamard's ratio,
/// 1 for orthogonal rows, invariant to row scaling), 0 when det vanishes.
template <int kN>
double cofactor_solve(const double* g, const double* rhs, double* z) {
  const Eigen::Map<const Eigen::Matrix<double, kN, kN, Eigen::RowMajor>> G(g);
  const double det = G.determinant();
  if (!(std::abs(det) > 0.0) || !std::isfinite(det)) return 0.0;
  Eigen::Map<Eigen::Matrix<double, kN, 1>> out(z);
  out.noalias() = G.inverse() * Eigen::Map<const Eigen::Matrix<double, kN, 1>>(rhs);
  return std::abs(det) / G.rowwise().norm().prod();
}

/// Fast rejection of a region around the current edge before the equilibrated solve: a plain LU,
/// and the solution violates a defining hyperplane's side by far more than region_tol. Only for
/// clearly regular systems (Hadamard ratio or relative pivot >= 1e-4, far above singular_tol:
/// the equilibrated pivot of such a system of order <= 8 is far above it too) and clear violations (1e-6 relative, far
/// above the difference of the two solutions), so the decision is the equilibrated solve's; most candidates end here.
bool NdWalk::clearly_outside(const double* g, const double* rhs, unsigned mask) const {
  const int R = L.R;
  double z[kMaxDim];
  const double rel_pivot =
      R == 3 ? cofactor_solve<3>(g, rhs, z) : (R == 4 ? cofactor_solve<4>(g, rhs, z) : quick_solve(g, rhs, R, z));
  if (!(rel_pivot > std::max(1e-4, 1e6 * o.singular_tol))) return false;
  double zinf = 0.0;
  for (int r = 0; r < R; ++r) zinf = std::max(zinf, std::abs(z[r]));
  if (!std::isfinite(zinf)) return false;
  const double margin = std::max(1e-6, 1e3 * o.region_tol);
  for (int q = 0; q < R - 1; ++q) {
    if (is_virtual(S[q])) continue;
    const auto a = static_cast<size_t>(S[q]);
    double v = L.off[a], n1 = 0.0;
    for (int r = 0; r < R; ++r) {
      v += L.n[static_cast<size_t>(r)][a] * z[r];
      n1 += std::abs(L.n[static_cast<size_t>(r)][a]);
    }
    if (((mask >> q) & 1U ? v : -v) < -margin * (n1 * zinf + std::abs(L.off[a]))) return true;
  }
  return false;
}

/// A singular region around the edge at pm: evaluate_cell's analysis decides it. One without a
/// consistent solution inside it (common: regions where fewer than R units are active) is passed
/// over; a continuum or an undecided region sets the degenerate flag (false): the full walk
/// assembles continua from all their regions.
bool NdWalk::singular_region(unsigned mask, double pm) {
  std::vector<signed char> signs = P.constant_sign;
  for (int a = 0; a < L.Ka; ++a)
    if (!is_virtual(a)) signs[static_cast<size_t>(L.k_of[static_cast<size_t>(a)])] = side(a, pm);
  for (int q = 0; q < L.R - 1; ++q)
    if (!is_virtual(S[q])) signs[static_cast<size_t>(L.k_of[static_cast<size_t>(S[q])])] = (mask >> q) & 1U ? 1 : -1;
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

/// Walks the current line S: crossings, buckets, the edges with a zero of G_c, their regions.
void NdWalk::walk_line() {
  const int ok = line_of();
  if (ok == 0) return;  // parallel hyperplanes: no line
  if (ok < 0) {
    degenerate = true;
    return;
  }
  if (rays_only && !rays_may_vanish()) return;
  dots();
  if (!cross_line()) {
    degenerate = true;
    return;
  }
  seq = 0;
  edges.clear();
  edge_pos.clear();
  if (n_cross == 0) {  // no crossing: one edge, the whole line
    if (alpha0 == 0.0 || beta0 != 0.0) {
      edges.push_back(0.0);
      edge_pos.push_back(0);
    }
  } else if (rays_only) {
    scan_rays();
  } else {
    scan_buckets();
  }
  if (edges.empty()) return;
  edge_maps();
  for (size_t i = 0; i < edges.size() && !degenerate.load(std::memory_order_relaxed); ++i)
    solve_edge(edges[i], slots.data() + i * static_cast<size_t>(L.W));
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

/// The lines of `planes` whose first defining hyperplane is below `n_first`, walked in parallel
/// (all of them for n_first = Ka); points into `out` in an order independent of the threads. In
/// far-field mode the vertices' bounding box is widened into `vertices`. False when degenerate.
bool walk_lines(const NdPlanes& planes, const PiecewiseLinearFixedPointOptions& o, int n_first, bool rays_only,
                const char* label, CellOutput& out, std::int64_t& solved, Monitor& monitor,
                LatentBox* vertices = nullptr) {
  std::atomic<bool> degenerate{false};
  std::vector<std::vector<NdFound>> parts;
  std::vector<LatentBox> boxes;
  std::atomic<std::int64_t> n_solved{0};
  std::atomic<std::int64_t> done{0};
  const bool all = n_first == planes.Ka;
#pragma omp parallel
  {
#pragma omp single
    {
      parts.resize(static_cast<size_t>(detail::team_size()));
      boxes.resize(parts.size());
    }
    const auto me = static_cast<size_t>(detail::team_index());
    NdWalk walk(planes, o, degenerate, parts[me]);
    walk.rays_only = rays_only;
    const bool reporter = me == 0;  // the calling thread: it alone reports
#pragma omp for schedule(dynamic, 1)
    for (int a = 0; a < n_first; ++a) {
      if (degenerate.load(std::memory_order_relaxed) || monitor.stopped()) continue;
      walk_lines_from(walk, a);
      const double share = static_cast<double>(++done) / n_first;
      if (reporter) monitor.poll({label, all ? 1.0 - std::pow(1.0 - share, planes.R - 1) : share, done.load(), 0});
    }
    n_solved += walk.solved;
    boxes[me] = {walk.vlo, walk.vhi};
  }
  monitor.check();  // Ctrl-C or the callback: throws, no partial result
  if (degenerate) return false;
  std::vector<NdFound> found;
  for (auto& part : parts) found.insert(found.end(), part.begin(), part.end());
  std::sort(found.begin(), found.end(), [](const NdFound& x, const NdFound& y) {
    if (x.first != y.first) return x.first < y.first;
    return x.sub != y.sub ? x.sub < y.sub : x.seq < y.seq;
  });
  for (const auto& fd : found) out.points.emplace_back(fd.z);
  solved += n_solved.load();
  if (vertices != nullptr)
    for (const LatentBox& b : boxes) {
      vertices->lo = vertices->lo.cwiseMin(b.lo);
      vertices->hi = vertices->hi.cwiseMax(b.hi);
    }
  return true;
}

template <typename T>
void prepend(std::vector<T>& v, int count) {
  v.insert(v.begin(), static_cast<std::size_t>(count), T{});
}

/// `planes` with the 2R faces of `box` in front as virtual hyperplanes: face 2r + s is
/// {z_r = lo_r} (s = 0) or {z_r = hi_r} (s = 1).
NdPlanes with_faces(const NdPlanes& planes, const LatentBox& box) {
  NdPlanes F = planes;
  const int R = planes.R, nf = 2 * R;
  for (int r = 0; r < R; ++r) {
    prepend(F.n[static_cast<size_t>(r)], nf);
    for (int f = 0; f < nf; ++f) F.n[static_cast<size_t>(r)][static_cast<size_t>(f)] = f / 2 == r ? 1.0 : 0.0;
  }
  prepend(F.off, nf);
  for (int f = 0; f < nf; ++f) F.off[static_cast<size_t>(f)] = -(f % 2 ? box.hi(f / 2) : box.lo(f / 2));
  prepend(F.w, nf);
  prepend(F.u, nf * R);
  prepend(F.dmap, nf * F.W);
  prepend(F.ndmap, nf * F.W);
  F.k_of.insert(F.k_of.begin(), static_cast<std::size_t>(nf), Index{-1});
  F.Ka = planes.Ka + nf;
  return F;
}

}  // namespace

bool level_set_walk(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                    std::int64_t& solved, Monitor& monitor) {
  if (P.R < 2 || P.R > kMaxDim || P.D != P.R) return false;
  const int Ka = static_cast<int>(P.active.size());
  if (Ka < P.R) return false;
  const NdPlanes planes = nd_planes(P);
  return walk_lines(planes, o, planes.Ka, false, "level-set walk", out, solved, monitor);
}

bool far_field_walk(const NdPlanes& planes, const PiecewiseLinearFixedPointOptions& o, CellOutput& out, LatentBox& box,
                    std::int64_t& solved, Monitor& monitor) {
  const int R = planes.R;
  box.lo = SmallVector::Constant(R, std::numeric_limits<double>::infinity());
  box.hi = -box.lo;
  if (!walk_lines(planes, o, planes.Ka, true, "far field: lines", out, solved, monitor, &box)) return false;
  // Margin: the faces stay clear of the vertices (a face line through a vertex is legal but
  // makes zero-length edges), and the box is never flat.
  for (int r = 0; r < R; ++r) {
    if (!(box.lo(r) <= box.hi(r))) box.lo(r) = box.hi(r) = 0.0;
    const double pad =
        0.01 * (box.hi(r) - box.lo(r)) + 1e-3 * (1.0 + std::max(std::abs(box.lo(r)), std::abs(box.hi(r))));
    box.lo(r) -= pad;
    box.hi(r) += pad;
  }
  const NdPlanes faced = with_faces(planes, box);
  return walk_lines(faced, o, 2 * R, false, "far field: faces", out, solved, monitor);
}

}  // namespace rnndyn::detail
