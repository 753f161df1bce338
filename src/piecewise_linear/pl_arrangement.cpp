// Visiting the regions of a hyperplane arrangement {g_k . y + o_k = 0} in R^D (seed 001, Sec.
// 3.3-3.4), each exactly once and without hashing activation patterns.
//
// Sweep argument: take a generic direction d. A region bounded below in d has a unique lowest
// point, a vertex v where exactly D hyperplanes I meet; near v the region is the orthant
// {s_k g_k . (y - v) >= 0, k in I} with d in the cone of the s_k g_k, i.e. s = sign(lambda) for
// G_I^T lambda = d. Conversely every vertex is the lowest point of exactly that one region. The
// regions unbounded below are the regions of the arrangement "at infinity": on the slice
// d . y = -T, T -> inf, hyperplane k becomes g'_k . w + o'_k = 0 with g'_k the projection of g_k
// on d's orthogonal complement and o'_k = -g_k . d, an arrangement in dimension D - 1 with the
// same sign vectors; recursing gives sum_{r=0..D} C(K, r) regions in general position.
//
// Vertices are met by walking along each line (intersection of D - 1 hyperplanes S): sorted
// crossings differ by one hyperplane, so the region's affine map is updated in O(R^2); vertex
// S + {j} is handled on the line of S only when j > max S, so each vertex once.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <unordered_set>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_detail.hpp"

namespace rnndyn::detail {
namespace {

/// All (size)-subsets of {0..n-1} with max element < n - 1 (others have no vertex to attach),
/// flattened.
std::vector<int> line_subsets(int n, int size) {
  std::vector<int> flat;
  if (size == 0) return {};
  if (n - 1 < size) return {};
  std::vector<int> s(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) s[static_cast<size_t>(i)] = i;
  while (true) {
    flat.insert(flat.end(), s.begin(), s.end());
    int i = size - 1;
    // last element ranges up to n - 2 (max S < n - 1)
    while (i >= 0 && s[static_cast<size_t>(i)] == n - 2 - (size - 1 - i)) --i;
    if (i < 0) break;
    ++s[static_cast<size_t>(i)];
    for (int j = i + 1; j < size; ++j) s[static_cast<size_t>(j)] = s[static_cast<size_t>(j - 1)] + 1;
  }
  return flat;
}

/// Direction and a point of the line {y : G_S y + o_S = 0}; false when the rows are dependent.
bool line_of(const Matrix& G, const Vector& go, const int* S, int ns, Index D, Vector& p, Vector& e) {
  p = Vector::Zero(D);
  e = Vector::Zero(D);
  if (ns == 0) {  // D == 1
    e(0) = 1.0;
    return true;
  }
  if (D == 2) {
    const double a = G(S[0], 0), b = G(S[0], 1);  // unit normal
    e << -b, a;
    p << -go(S[0]) * a, -go(S[0]) * b;
    return true;
  }
  Matrix NS(ns, D);
  Vector oS(ns);
  for (int r = 0; r < ns; ++r) {
    NS.row(r) = G.row(S[r]);
    oS(r) = go(S[r]);
  }
  if (D == 3) {
    const Eigen::Vector3d n0 = NS.row(0).transpose(), n1 = NS.row(1).transpose();
    const Eigen::Vector3d cr = n0.cross(n1);
    const double len = cr.norm();
    if (len <= 1e-10) return false;
    e = cr / len;
  } else {
    Eigen::JacobiSVD<Matrix> svd(NS, Eigen::ComputeFullV);
    const Vector sv = svd.singularValues();
    if (sv(ns - 1) <= 1e-10 * sv(0)) return false;
    e = svd.matrixV().col(D - 1);
  }
  // Least-norm point: p = NS^T (NS NS^T)^{-1} (-o_S).
  const Matrix gram = NS * NS.transpose();
  Eigen::LDLT<Matrix> ldlt(gram);
  if (ldlt.rcond() <= 1e-20) return false;
  p = NS.transpose() * ldlt.solve(-oS);
  return true;
}

struct Tagged {
  std::int64_t line;
  int seq;
};

struct ThreadOut {
  std::vector<std::pair<Tagged, Vector>> points;
  std::vector<std::pair<Tagged, PlContinuum>> continua;
  std::vector<std::pair<Tagged, std::vector<int>>> undecided;
  std::int64_t visited = 0;
};

void merge(std::vector<ThreadOut>& parts, CellOutput& out, std::int64_t& visited) {
  std::vector<std::pair<Tagged, Vector>> pts;
  std::vector<std::pair<Tagged, PlContinuum>> cs;
  std::vector<std::pair<Tagged, std::vector<int>>> und;
  for (auto& part : parts) {
    visited += part.visited;
    for (auto& x : part.points) pts.push_back(std::move(x));
    for (auto& x : part.continua) cs.push_back(std::move(x));
    for (auto& x : part.undecided) und.push_back(std::move(x));
  }
  auto less = [](const Tagged& a, const Tagged& b) { return a.line != b.line ? a.line < b.line : a.seq < b.seq; };
  std::stable_sort(pts.begin(), pts.end(), [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  std::stable_sort(cs.begin(), cs.end(), [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  for (auto& x : pts) out.points.push_back(std::move(x.second));
  for (auto& x : cs) out.continua.push_back(std::move(x.second));
  std::stable_sort(und.begin(), und.end(), [&](const auto& a, const auto& b) { return less(a.first, b.first); });
  for (auto& x : und) out.undecided.push_back(std::move(x.second));
}

void record(const CellOutput& cell, std::int64_t line, int& seq, ThreadOut& to) {
  for (const auto& p : cell.points) to.points.push_back({{line, seq++}, p});
  for (const auto& c : cell.continua) to.continua.push_back({{line, seq++}, c});
  for (const auto& u : cell.undecided) to.undecided.push_back({{line, seq++}, u});
}

/// x = A^{-1} b for a small square A by Gaussian elimination with partial pivoting, without
/// allocating (A and b are copied to the stack); false when A is numerically singular.
bool solve_small(const Matrix& A, const Vector& b, Vector& x) {
  const Index n = A.rows();
  if (n > 8) {
    Eigen::FullPivLU<Matrix> lu(A);
    if (lu.rank() < n) return false;
    x = lu.solve(b);
    return true;
  }
  double g[64], r[8];
  double scale = 0.0;
  for (Index i = 0; i < n; ++i) {
    r[i] = b(i);
    for (Index j = 0; j < n; ++j) {
      g[i * 8 + j] = A(i, j);
      scale = std::max(scale, std::abs(A(i, j)));
    }
  }
  for (Index col = 0; col < n; ++col) {
    Index piv = col;
    for (Index i = col + 1; i < n; ++i)
      if (std::abs(g[i * 8 + col]) > std::abs(g[piv * 8 + col])) piv = i;
    if (!(std::abs(g[piv * 8 + col]) > 1e-12 * scale)) return false;
    if (piv != col) {
      for (Index j = 0; j < n; ++j) std::swap(g[piv * 8 + j], g[col * 8 + j]);
      std::swap(r[piv], r[col]);
    }
    for (Index i = col + 1; i < n; ++i) {
      const double f = g[i * 8 + col] / g[col * 8 + col];
      for (Index j = col; j < n; ++j) g[i * 8 + j] -= f * g[col * 8 + j];
      r[i] -= f * r[col];
    }
  }
  for (Index i = n - 1; i >= 0; --i) {
    double v = r[i];
    for (Index j = i + 1; j < n; ++j) v -= g[i * 8 + j] * x(j);
    x(i) = v / g[i * 8 + i];
  }
  return true;
}

/// Sorts (t, index) pairs by t: LSD radix sort on the order-preserving integer image of t, 8 bits
/// per pass, passes on which all keys agree skipped. Faster than comparison sorting for the
/// thousands of crossings per line, and deterministic.
void radix_sort(std::vector<std::pair<double, int>>& v, std::vector<std::pair<double, int>>& tmp,
                std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& tmp_keys) {
  const size_t n = v.size();
  if (n < 64) {
    std::sort(v.begin(), v.end());
    return;
  }
  keys.resize(n);
  tmp_keys.resize(n);
  tmp.resize(n);
  for (size_t q = 0; q < n; ++q) {
    std::uint64_t b;
    std::memcpy(&b, &v[q].first, sizeof b);
    keys[q] = (b >> 63) ? ~b : (b | (std::uint64_t{1} << 63));
  }
  auto* src = &v;
  auto* dst = &tmp;
  auto* ksrc = &keys;
  auto* kdst = &tmp_keys;
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[256] = {};
    for (size_t q = 0; q < n; ++q) ++count[((*ksrc)[q] >> shift) & 0xff];
    if (count[((*ksrc)[0] >> shift) & 0xff] == n) continue;  // all keys share this digit
    size_t pos = 0;
    for (auto& c : count) {
      const size_t k = c;
      c = pos;
      pos += k;
    }
    for (size_t q = 0; q < n; ++q) {
      const size_t at = count[((*ksrc)[q] >> shift) & 0xff]++;
      (*dst)[at] = (*src)[q];
      (*kdst)[at] = (*ksrc)[q];
    }
    std::swap(src, dst);
    std::swap(ksrc, kdst);
  }
  if (src != &v) v.swap(*src);
}

Vector random_unit(Index D, std::mt19937_64& rng) {
  std::normal_distribution<double> n(0.0, 1.0);
  Vector d(D);
  for (Index i = 0; i < D; ++i) d(i) = n(rng);
  return d / d.norm();
}

/// One level of the sweep: the arrangement {G y + go = 0} in dimension D >= 1, its sweep
/// direction d, and its lines (the (D - 1)-subsets S of the active hyperplanes), numbered from
/// line_base on so that the output order does not depend on the thread count.
struct SweepLevel {
  const PlPrepared& P;
  const PiecewiseLinearFixedPointOptions& o;
  const Matrix& G;
  const Vector& go;
  const Vector& d;
  Index D;
  std::int64_t line_base;
  Matrix Gt;  // column a of Gt is row a of G, contiguous
  int ns;     // hyperplanes per line, D - 1
  std::vector<int> subsets;
  std::int64_t n_lines;

  SweepLevel(const PlPrepared& prepared, const PiecewiseLinearFixedPointOptions& options, const Matrix& normals,
             const Vector& offsets, const Vector& direction, Index dim, std::int64_t first_line)
      : P(prepared), o(options), G(normals), go(offsets), d(direction), D(dim), line_base(first_line) {
    const int Ka = static_cast<int>(P.active.size());
    Gt = G.transpose();
    ns = static_cast<int>(D) - 1;
    subsets = ns == 0 ? std::vector<int>{} : line_subsets(Ka, ns);
    n_lines = ns == 0 ? 1 : static_cast<std::int64_t>(subsets.size()) / ns;
  }
};

/// One thread's walker over the lines of a level, with its scratch reused from line to line. On
/// each line the tracker holds the region just past the last crossing, updated by one sign per
/// crossing, so that each vertex's region is reached in O(R^2).
struct LineWalker {
  const SweepLevel& lv;
  const PlPrepared& P;
  ThreadOut& to;
  RegionTracker t;
  std::vector<signed char> signs;
  std::vector<std::pair<double, int>> cross, scratch;
  std::vector<std::uint64_t> keys, tmp_keys;
  std::vector<double> dens;
  Vector p, e, lambda;
  Matrix GI;
  CellOutput cell;

  LineWalker(const SweepLevel& level, ThreadOut& out)
      : lv(level), P(level.P), to(out), t(level.P), lambda(level.D), GI(level.D, level.D) {}

  bool walk(std::int64_t L);
  bool cross_line(const int* S);
  bool vertex_orthant(const int* S, int j);
  bool visit_vertex(const int* S, int j, std::int64_t L, int& seq);
};

/// Walks line L of the level, visiting the region above each vertex S + {j} with j > max S.
/// False when the line is degenerate (dependent normals, a parallel hyperplane, more than D
/// hyperplanes through a point, or an ill-posed orthant).
bool LineWalker::walk(std::int64_t L) {
  const int ns = lv.ns;
  const int* S = ns == 0 ? nullptr : lv.subsets.data() + L * ns;
  if (!line_of(lv.G, lv.go, S, ns, lv.D, p, e)) return false;
  const int maxS = ns == 0 ? -1 : S[ns - 1];
  if (!cross_line(S)) return false;
  radix_sort(cross, scratch, keys, tmp_keys);
  for (size_t q = 1; q < cross.size(); ++q)
    if (cross[q].first - cross[q - 1].first <=
        1e-13 * (1.0 + std::max(std::abs(cross[q].first), std::abs(cross[q - 1].first))))
      return false;  // more than D hyperplanes through one point
  t.reset(signs);
  int seq = 0;
  for (const auto& [tc, j] : cross) {
    const Index kj = P.active[static_cast<size_t>(j)];
    if (j > maxS && !visit_vertex(S, j, L, seq)) return false;
    t.set(kj, dens[static_cast<size_t>(j)] > 0 ? 1 : -1);
  }
  return true;
}

/// Crossings t of the line p + t e with the hyperplanes off S (unsorted), and the signs at
/// t -> -inf (those of S set to -1); false when a hyperplane is parallel to the line.
bool LineWalker::cross_line(const int* S) {
  const int Ka = static_cast<int>(P.active.size());
  const int ns = lv.ns;
  const Index D = lv.D;
  signs = P.constant_sign;
  cross.clear();
  dens.assign(static_cast<size_t>(Ka), 0.0);
  for (int a = 0, si = 0; a < Ka; ++a) {
    const Index k = P.active[static_cast<size_t>(a)];
    if (si < ns && S[si] == a) {
      ++si;
      signs[static_cast<size_t>(k)] = -1;
      continue;
    }
    const double* g = lv.Gt.data() + static_cast<Index>(a) * D;  // row a, contiguous
    double den = 0.0, num = lv.go(a);
    for (Index q = 0; q < D; ++q) {
      den += g[q] * e(q);
      num += g[q] * p(q);
    }
    if (std::abs(den) <= 1e-11) return false;  // a hyperplane parallel to the line: degenerate
    dens[static_cast<size_t>(a)] = den;
    signs[static_cast<size_t>(k)] = den > 0 ? -1 : 1;  // the side at t -> -inf
    cross.emplace_back(-num / den, a);
  }
  return true;
}

/// lambda with G_I^T lambda = d, G_I = rows S and j: its signs give the orthant of the region
/// whose lowest point in direction d is the vertex. False when G_I is singular or a component
/// of lambda vanishes (d not generic for this vertex).
bool LineWalker::vertex_orthant(const int* S, int j) {
  const Index D = lv.D;
  const Vector& d = lv.d;
  if (D == 2) {  // closed form of the 2 x 2 solve
    const double* gi = lv.Gt.data() + 2 * S[0];
    const double* gj = lv.Gt.data() + 2 * j;
    const double det = gi[0] * gj[1] - gj[0] * gi[1];
    lambda(0) = (d(0) * gj[1] - d(1) * gj[0]) / det;
    lambda(1) = (gi[0] * d(1) - gi[1] * d(0)) / det;
  } else {
    for (int r = 0; r <= lv.ns; ++r) {
      const int row = r < lv.ns ? S[r] : j;
      for (Index cc = 0; cc < D; ++cc) GI(cc, r) = lv.G(row, cc);
    }
    if (!solve_small(GI, d, lambda)) return false;
  }
  double lmin = std::numeric_limits<double>::infinity(), lmax = 0.0;
  for (Index r = 0; r < D; ++r) {
    lmin = std::min(lmin, std::abs(lambda(r)));
    lmax = std::max(lmax, std::abs(lambda(r)));
  }
  return lmin > 1e-12 * lmax;
}

/// Solves the region above vertex S + {j} (the tracker switched to its orthant and back to the
/// line's signs afterwards) and records what it holds; false when the orthant is ill-posed.
bool LineWalker::visit_vertex(const int* S, int j, std::int64_t L, int& seq) {
  const int ns = lv.ns;
  const Index kj = P.active[static_cast<size_t>(j)];
  if (!vertex_orthant(S, j)) return false;
  for (int r = 0; r < ns; ++r) t.set(P.active[static_cast<size_t>(S[r])], lambda(r) > 0 ? 1 : -1);
  t.set(kj, lambda(ns) > 0 ? 1 : -1);
  cell.points.clear();
  cell.continua.clear();
  cell.undecided.clear();
  Index incident[9];
  const int n_incident = ns + 1 <= 9 ? ns + 1 : 0;  // beyond 9 just test in index order
  for (int r = 0; r + 1 < n_incident; ++r) incident[r] = P.active[static_cast<size_t>(S[r])];
  if (n_incident > 0) incident[n_incident - 1] = kj;
  evaluate_cell(t, lv.o, cell, incident, n_incident);
  ++to.visited;
  if (!cell.points.empty() || !cell.continua.empty() || !cell.undecided.empty())
    record(cell, lv.line_base + L, seq, to);
  for (int r = 0; r < ns; ++r) t.set(P.active[static_cast<size_t>(S[r])], -1);
  return true;
}

/// Walks all lines of the level in parallel into per-thread outputs; false when any line is
/// degenerate (the others stop early).
bool walk_level(const SweepLevel& lv, std::vector<ThreadOut>& parts, Monitor& monitor) {
  std::atomic<bool> degenerate{false};
  std::atomic<std::int64_t> done{0};
#pragma omp parallel
  {
#pragma omp single
    parts.resize(static_cast<size_t>(detail::team_size()));
    LineWalker walker(lv, parts[static_cast<size_t>(detail::team_index())]);
    const bool reporter = detail::team_index() == 0;  // the calling thread: it alone reports
#pragma omp for schedule(dynamic, 16)
    for (std::int64_t L = 0; L < lv.n_lines; ++L) {
      if (degenerate.load(std::memory_order_relaxed) || monitor.stopped()) continue;
      if (!walker.walk(L)) degenerate = true;
      const std::int64_t n = ++done;
      if (reporter && n % 64 == 0)
        monitor.poll({"arrangement walk", static_cast<double>(n) / static_cast<double>(lv.n_lines), n, 0});
    }
  }
  return !degenerate;
}

/// Replaces (G, go) in dimension D by the arrangement at infinity in direction -d, in an
/// orthonormal basis of d's complement, with unit normals; false when a normal vanishes there.
bool project_to_infinity(const Vector& d, Index D, Matrix& G, Vector& go) {
  Eigen::HouseholderQR<Matrix> qr(d);
  const Matrix Qfull = qr.householderQ();
  const Matrix Qp = Qfull.rightCols(D - 1);
  const Vector newgo = -(G * d);
  Matrix newG = G * Qp;
  if (D == 1) {  // the arrangement at infinity is a point: only the offsets' signs remain
    go = newgo;
    G = newG;
    return true;
  }
  for (Index a = 0; a < G.rows(); ++a) {
    const double nrm = newG.row(a).norm();
    if (nrm <= 1e-12) return false;
    newG.row(a) /= nrm;
    go(a) = newgo(a) / nrm;
  }
  G = newG;
  return true;
}

/// Dimension 0: the arrangement is a point, one region with the offsets' signs; false when an
/// offset vanishes (the point lies on a hyperplane).
bool evaluate_point_level(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, const Vector& go,
                          CellOutput& out, std::int64_t& visited) {
  const int Ka = static_cast<int>(P.active.size());
  std::vector<signed char> signs = P.constant_sign;
  for (int a = 0; a < Ka; ++a) {
    if (std::abs(go(a)) <= 1e-12) return false;
    signs[static_cast<size_t>(P.active[static_cast<size_t>(a)])] = go(a) > 0 ? 1 : -1;
  }
  RegionTracker t(P);
  t.reset(signs);
  CellOutput cell;
  evaluate_cell(t, o, cell);
  for (auto& p : cell.points) out.points.push_back(std::move(p));
  for (auto& c : cell.continua) out.continua.push_back(std::move(c));
  for (auto& u : cell.undecided) out.undecided.push_back(std::move(u));
  ++visited;
  return true;
}

}  // namespace

bool walk_arrangement(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                      std::int64_t& visited, Monitor& monitor) {
  std::mt19937_64 rng(o.seed);
  Matrix G = P.G;
  Vector go = P.go;
  std::int64_t line_base = 0;  // global line numbering across levels, for a deterministic order
  for (Index D = P.D; D > 0; --D) {
    const Vector d = random_unit(D, rng);
    const SweepLevel level(P, o, G, go, d, D, line_base);
    std::vector<ThreadOut> parts;
    if (!walk_level(level, parts, monitor)) return false;
    monitor.check();
    merge(parts, out, visited);
    line_base += level.n_lines;
    if (!project_to_infinity(d, D, G, go)) return false;
  }
  return evaluate_point_level(P, o, go, out, visited);
}

bool for_each_region_by_vertices(const PlPrepared& P, const std::function<void(const std::vector<signed char>&)>& visit,
                                 const std::function<bool(std::int64_t)>& stop, bool* stopped) {
  const int Ka = static_cast<int>(P.active.size());
  const Index D = P.D;
  constexpr int max_incident = 24;
  bool complete = true;
  std::unordered_set<std::string> seen_cells, seen_vertices;
  auto visit_once = [&](const std::vector<signed char>& signs) {
    if (seen_cells.insert(std::string(signs.begin(), signs.end())).second) visit(signs);
  };
  if (D == 0) {
    visit_once(P.constant_sign);
    return true;
  }
  // Every region of an arrangement whose normals span R^D is pointed, so it has a vertex; all
  // regions around a vertex have sign patterns among the 2^|I| choices on its hyperplanes I.
  std::vector<int> s(static_cast<size_t>(D));
  for (Index i = 0; i < D; ++i) s[static_cast<size_t>(i)] = static_cast<int>(i);
  Matrix GI(D, D);
  Vector oI(D);
  std::vector<signed char> signs;
  std::vector<int> incident;
  for (std::int64_t n = 0;; ++n) {
    if (stop && (n & 255) == 0 && stop(n)) {
      if (stopped != nullptr) *stopped = true;
      return false;
    }
    for (Index r = 0; r < D; ++r) {
      GI.row(r) = P.G.row(s[static_cast<size_t>(r)]);
      oI(r) = P.go(s[static_cast<size_t>(r)]);
    }
    Eigen::FullPivLU<Matrix> lu(GI);
    lu.setThreshold(1e-10);
    if (lu.rank() == D) {
      const Vector v = lu.solve(-oI);
      incident.clear();
      signs = P.constant_sign;
      const double tol = 1e-9 * (1.0 + v.lpNorm<Eigen::Infinity>());
      for (int a = 0; a < Ka; ++a) {
        const double val = P.G.row(a).dot(v) + P.go(a);
        if (std::abs(val) <= tol)
          incident.push_back(a);
        else
          signs[static_cast<size_t>(P.active[static_cast<size_t>(a)])] = val > 0 ? 1 : -1;
      }
      std::string vkey(reinterpret_cast<const char*>(incident.data()), incident.size() * sizeof(int));
      if (seen_vertices.insert(std::move(vkey)).second) {
        if (static_cast<int>(incident.size()) > max_incident) {
          complete = false;
        } else {
          const std::uint64_t combos = std::uint64_t{1} << incident.size();
          for (std::uint64_t mask = 0; mask < combos; ++mask) {
            for (size_t q = 0; q < incident.size(); ++q)
              signs[static_cast<size_t>(P.active[static_cast<size_t>(incident[q])])] = (mask >> q) & 1 ? 1 : -1;
            visit_once(signs);
          }
        }
      }
    }
    Index i = D - 1;
    while (i >= 0 && s[static_cast<size_t>(i)] == Ka - D + i) --i;
    if (i < 0) break;
    ++s[static_cast<size_t>(i)];
    for (Index j = i + 1; j < D; ++j) s[static_cast<size_t>(j)] = s[static_cast<size_t>(j - 1)] + 1;
  }
  return complete;
}

bool vertex_expansion(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                      std::int64_t& visited) {
  RegionTracker t(P);
  return for_each_region_by_vertices(P, [&](const std::vector<signed char>& signs) {
    t.reset(signs);
    evaluate_cell(t, o, out);
    ++visited;
  });
}

}  // namespace rnndyn::detail
