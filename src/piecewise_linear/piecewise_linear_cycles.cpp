// Exact k-cycles of discrete-time piecewise-linear maps: all regions of the arrangement are
// listed once (pl_regions_list.cpp); then either the pruned search (pl_cycles_pruned.cpp) or
// every region k-tuple (one per cyclic class, here) is closed by solving (P - I) z_1 = -q for
// its composite affine map P z + q and checking that the orbit stays in the tuple's closed
// regions; the SCYFI heuristic (pl_cycles_heuristic.cpp) may add cycles on top. The front door
// merges the candidates (see piecewise_linear_cycles.hpp for the guarantee).
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_cycles_detail.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(PlCycleStatus s) {
  switch (s) {
    case PlCycleStatus::Complete:
      return "complete";
    case PlCycleStatus::Incomplete:
      return "incomplete";
    case PlCycleStatus::Sampled:
      return "sampled";
  }
  return "complete";
}

std::string to_string(PlCycleMethod m) {
  switch (m) {
    case PlCycleMethod::Pruned:
      return "pruned";
    case PlCycleMethod::Tuples:
      return "tuples";
    case PlCycleMethod::Heuristic:
      return "heuristic";
  }
  return "pruned";
}

PlCycleMethod parse_pl_cycle_method(const std::string& name, const std::string& field) {
  for (PlCycleMethod m : {PlCycleMethod::Pruned, PlCycleMethod::Tuples, PlCycleMethod::Heuristic})
    if (name == to_string(m)) return m;
  throw InputError(field, "expected pruned, tuples or heuristic, got '" + name + "'");
}

std::string to_string(PlCycleSource s) { return s == PlCycleSource::Heuristic ? "heuristic" : "exhaustive"; }

void PlCycleOptions::validate() const {
  if (period < 1) throw InputError("period", "must be >= 1, got " + std::to_string(period));
  if (max_tuples < 1) throw InputError("max_tuples", "must be >= 1, got " + std::to_string(max_tuples));
  if (max_nodes < 1) throw InputError("max_nodes", "must be >= 1, got " + std::to_string(max_nodes));
  if (!(time_limit > 0.0)) throw InputError("time_limit", "must be > 0 seconds, got " + std::to_string(time_limit));
  if (outer_loops < 0) throw InputError("outer_loops", "must be >= 0, got " + std::to_string(outer_loops));
  if (inner_loops < 1) throw InputError("inner_loops", "must be >= 1, got " + std::to_string(inner_loops));
  if (!(region_tol >= 0.0 && region_tol <= 1e-3))
    throw InputError("region_tol", "must lie in [0, 1e-3], got " + std::to_string(region_tol));
  if (!(singular_tol > 0.0 && singular_tol <= 1e-2))
    throw InputError("singular_tol", "must lie in (0, 1e-2], got " + std::to_string(singular_tol));
  if (!(dedup_tol >= 0.0 && dedup_tol <= 1e-2))
    throw InputError("dedup_tol", "must lie in [0, 1e-2], got " + std::to_string(dedup_tol));
  if (max_continua < 0) throw InputError("max_continua", "must be >= 0, got " + std::to_string(max_continua));
  if (!(stability.marginal_tol >= 0.0)) throw InputError("stability.marginal_tol", "must be >= 0");
  if (!(stability.imag_tol >= 0.0)) throw InputError("stability.imag_tol", "must be >= 0");
}

namespace detail {

int sequence_period(const std::vector<int>& t) {
  const int k = static_cast<int>(t.size());
  for (int d = 1; d < k; ++d) {
    if (k % d != 0) continue;
    bool same = true;
    for (int j = 0; j < k && same; ++j) same = t[static_cast<size_t>(j)] == t[static_cast<size_t>((j + d) % k)];
    if (same) return d;
  }
  return k;
}

RegionIndex index_regions(const std::vector<PlRegion>& regions) {
  RegionIndex index;
  for (size_t r = 0; r < regions.size(); ++r) index.emplace(sign_key(regions[r].sign), static_cast<int>(r));
  return index;
}

}  // namespace detail

namespace {

using detail::CycleThreadOut;
using detail::PlPrepared;
using detail::PlRegion;
using Candidate = detail::CycleCandidate;
using ContinuumCandidate = detail::ContinuumCandidate;
using detail::sequence_period;

/// sum_{m=1..n} m^(k-1): the tuples with their first region the smallest, saturating as double.
double tuple_count(double n, int k) {
  double total = 0.0;
  for (double m = 1; m <= n; ++m) {
    total += std::pow(m, k - 1);
    if (total > 1e300) break;
  }
  return total;
}

/// True when t is the lexicographically smallest of its rotations (ties allowed).
bool is_canonical_rotation(const std::vector<int>& t) {
  const int k = static_cast<int>(t.size());
  for (int s = 1; s < k; ++s) {
    for (int j = 0; j < k; ++j) {
      const int a = t[static_cast<size_t>(j)], b = t[static_cast<size_t>((j + s) % k)];
      if (b < a) return false;
      if (b > a) break;
    }
  }
  return true;
}

/// The singular system of one tuple: the affine set z0 + B y of solutions z_1, clipped (dimension
/// 1) or tested at z0 (dimension >= 2) against the regions along the orbit. Returns false when the
/// system is inconsistent or the set provably misses the regions.
bool examine_singular(const PlPrepared& P, const std::vector<PlRegion>& regions, const std::vector<int>& tuple,
                      const std::vector<Matrix>& Ps, const std::vector<Vector>& qs, const PlCycleOptions& o,
                      PlCycleContinuum& out) {
  const Index R = P.R;
  const int k = static_cast<int>(tuple.size());
  Matrix G = Ps[static_cast<size_t>(k)];
  G.diagonal().array() -= 1.0;
  const Vector& q = qs[static_cast<size_t>(k)];
  Eigen::JacobiSVD<Matrix> svd(G, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Vector sv = svd.singularValues();
  const double gscale = G.cwiseAbs().maxCoeff();
  Index rank = 0;
  for (Index j = 0; j < R; ++j)
    if (sv(j) > o.singular_tol * std::max(gscale, std::numeric_limits<double>::min())) ++rank;
  if (rank == R) rank = R - 1;  // LU called it singular: treat the smallest direction as null
  const Matrix Ur = svd.matrixU().leftCols(rank), Vr = svd.matrixV().leftCols(rank);
  const Vector z0 = -(Vr * (sv.head(rank).cwiseInverse().asDiagonal() * (Ur.transpose() * q)));
  const double res = (G * z0 + q).lpNorm<Eigen::Infinity>();
  if (res > 1e-9 * (gscale * z0.lpNorm<Eigen::Infinity>() + q.lpNorm<Eigen::Infinity>()) + 1e-300) return false;
  const Index dim = R - rank;
  const Matrix B = svd.matrixV().rightCols(dim);
  out.tuple_period = sequence_period(tuple);
  out.dimension = dim;
  out.origin = z0;
  out.basis = B;
  for (int j = 0; j < k; ++j) out.patterns.push_back(regions[static_cast<size_t>(tuple[static_cast<size_t>(j)])].piece);
  // Along the orbit z_j = Ps[j-1] (z0 + B y) + qs[j-1]: constraints a . y + b >= -tol_k.
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  bool origin_inside = true;
  for (int j = 0; j < k; ++j) {
    const PlRegion& r = regions[static_cast<size_t>(tuple[static_cast<size_t>(j)])];
    const Matrix& Pj = Ps[static_cast<size_t>(j)];
    const Vector zj = Pj * z0 + qs[static_cast<size_t>(j)];
    const Matrix PB = Pj * B;
    const double zinf = zj.lpNorm<Eigen::Infinity>();
    for (Index h = 0; h < P.K; ++h) {
      const double s = r.sign[static_cast<size_t>(h)];
      const double b = s * (P.NT.col(h).dot(zj) + P.offsets(h));
      const double tol = o.region_tol * (P.norm1(h) * zinf + std::abs(P.offsets(h)));
      if (b < -tol) origin_inside = false;
      if (dim != 1) continue;
      const double a = s * P.NT.col(h).dot(PB.col(0));
      if (std::abs(a) <= 1e-12 * P.norm1(h) * std::max(1.0, PB.col(0).lpNorm<Eigen::Infinity>())) {
        if (b < -tol) return false;  // the line misses this closed region
        continue;
      }
      const double bound = (-tol - b) / a;  // a y >= -tol - b
      if (a > 0)
        lo = std::max(lo, bound);
      else
        hi = std::min(hi, bound);
    }
  }
  if (dim == 1) {
    if (lo > hi) return false;
    out.y_min = lo;
    out.y_max = hi;
    const double y = std::clamp(0.0, lo, hi);
    out.meets_regions = true;
    out.witness = z0 + B.col(0) * y;
  } else if (origin_inside) {
    out.meets_regions = true;
    out.witness = z0;
  }
  return true;
}

}  // namespace

void detail::close_tuple(const PlPrepared& P, const std::vector<PlRegion>& regions, const std::vector<int>& tuple,
                         const std::vector<Matrix>& Ps, const std::vector<Vector>& qs, const PlCycleOptions& o,
                         CycleThreadOut& out) {
  const int k = static_cast<int>(tuple.size());
  ++out.examined;
  Matrix G = Ps[static_cast<size_t>(k)];
  G.diagonal().array() -= 1.0;
  Vector rhs = -qs[static_cast<size_t>(k)], z;
  if (!lu_solve_in_place(G, rhs, o.singular_tol, z)) {
    PlCycleContinuum c;
    if (examine_singular(P, regions, tuple, Ps, qs, o, c)) {
      ++out.degenerate;
      out.continua.push_back({tuple, std::move(c)});
    }
    return;
  }
  std::vector<Vector> pts(static_cast<size_t>(k));
  for (int j = 0; j < k; ++j) {
    const PlRegion& r = regions[static_cast<size_t>(tuple[static_cast<size_t>(j)])];
    if (!in_closed_region(P, r.sign, z, o.region_tol)) return;
    pts[static_cast<size_t>(j)] = z;
    z = r.M * z + r.m;
  }
  out.cycles.push_back({tuple, std::move(pts)});
}

namespace {

/// Depth-first search over the tuples starting with region `first` (all later regions >= first).
void search_from(const PlPrepared& P, const std::vector<PlRegion>& regions, int first, int k, const PlCycleOptions& o,
                 CycleThreadOut& to) {
  const Index R = P.R;
  const int n = static_cast<int>(regions.size());
  std::vector<int> tuple(static_cast<size_t>(k), first);
  std::vector<Matrix> Ps(static_cast<size_t>(k + 1), Matrix(R, R));
  std::vector<Vector> qs(static_cast<size_t>(k + 1), Vector(R));
  Ps[0].setIdentity();
  qs[0].setZero();
  // Ps[j], qs[j]: composite of D_1..D_j (depth j filled once tuple[j-1] is set).
  auto extend = [&](int j) {  // j = 1..k
    const PlRegion& r = regions[static_cast<size_t>(tuple[static_cast<size_t>(j - 1)])];
    Ps[static_cast<size_t>(j)].noalias() = r.M * Ps[static_cast<size_t>(j - 1)];
    qs[static_cast<size_t>(j)].noalias() = r.M * qs[static_cast<size_t>(j - 1)];
    qs[static_cast<size_t>(j)] += r.m;
  };
  extend(1);
  auto leaf = [&]() {
    if (k > 1 && !is_canonical_rotation(tuple)) return;
    extend(k);
    detail::close_tuple(P, regions, tuple, Ps, qs, o, to);
  };
  if (k == 1) {
    leaf();
    return;
  }
  // Iterative DFS over positions 1..k-1 (0-based), each ranging over [first, n).
  int pos = 1;
  tuple[1] = first - 1;
  while (pos >= 1) {
    if (++tuple[static_cast<size_t>(pos)] >= n) {
      --pos;
      continue;
    }
    if (pos == k - 1) {
      leaf();
      continue;
    }
    extend(pos + 1);
    ++pos;
    tuple[static_cast<size_t>(pos)] = first - 1;
  }
}

bool lex_less(const Vector& a, const Vector& b) {
  for (Index i = 0; i < a.size(); ++i)
    if (a(i) != b(i)) return a(i) < b(i);
  return false;
}

double max_norm(const std::vector<Vector>& pts) {
  double m = 0.0;
  for (const auto& p : pts) m = std::max(m, p.lpNorm<Eigen::Infinity>());
  return m;
}

/// Minimal period of the point sequence (indices mod k) with points within tol counted equal.
int point_period(const std::vector<Vector>& pts, double tol) {
  const int k = static_cast<int>(pts.size());
  for (int d = 1; d < k; ++d) {
    if (k % d != 0) continue;
    bool same = true;
    for (int j = 0; j < k && same; ++j)
      same = (pts[static_cast<size_t>(j)] - pts[static_cast<size_t>((j + d) % k)]).lpNorm<Eigen::Infinity>() <= tol;
    if (same) return d;
  }
  return k;
}

/// Same cycle up to a cyclic shift, within tol (max norm).
bool same_cycle(const std::vector<Vector>& a, const std::vector<Vector>& b, double tol) {
  const size_t k = a.size();
  for (size_t s = 0; s < k; ++s) {
    bool same = true;
    for (size_t j = 0; j < k && same; ++j) same = (a[j] - b[(j + s) % k]).lpNorm<Eigen::Infinity>() <= tol;
    if (same) return true;
  }
  return false;
}

/// The inputs a k-cycle search needs: a discrete-time PL map with one PL activation per unit.
void check_cycle_inputs(const PiecewiseLinearStructure& pl, int period, const PlCycleOptions& options) {
  options.validate();
  if (period < 1) throw InputError("period", "must be >= 1, got " + std::to_string(period));
  if (pl.time != TimeKind::Map)
    throw InputError("cycles", "k-cycles need a discrete-time model (a map z' = F(z)); this model is a flow");
  if (static_cast<Index>(pl.units.size()) != pl.hidden())
    throw InputError("units", "expected one activation per hidden unit");
  for (const auto& u : pl.units)
    if (!u.is_piecewise_linear()) throw InputError("activation", "'" + u.name() + "' is not piecewise linear");
}

/// Refuses a search of more tuples than max_tuples (the caller checks force).
[[noreturn]] void refuse(double tuples, const std::string& regions, int k, const PlCycleOptions& options) {
  throw InputError("max_tuples", "the search would examine " + std::to_string(static_cast<double>(tuples)) +
                                     " region tuples (" + regions + " regions, period " + std::to_string(k) +
                                     ", limit " + std::to_string(options.max_tuples) + "); raise max_tuples or force");
}

/// Searches all tuples in parallel (one task per first region).
void search_all_tuples(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& options,
                       std::vector<CycleThreadOut>& parts) {
  const int n = static_cast<int>(regions.size());
#pragma omp parallel
  {
#pragma omp single
    parts.resize(static_cast<size_t>(detail::team_size()));
    CycleThreadOut& to = parts[static_cast<size_t>(detail::team_index())];
#pragma omp for schedule(dynamic, 1)
    for (int first = 0; first < n; ++first) search_from(P, regions, first, k, options, to);
  }
}

/// Gathers the threads' candidates sorted by tuple, so that the result does not depend on the
/// thread count; counts go to result.
void gather(std::vector<CycleThreadOut>& parts, std::vector<Candidate>& cands, std::vector<ContinuumCandidate>& conts,
            PlCycles& result) {
  for (auto& part : parts) {
    result.tuples_examined += part.examined;
    result.degenerate_tuples += part.degenerate;
    result.nodes_examined += part.nodes;
    result.unexplored_prefixes += part.unexplored;
    for (auto& c : part.cycles) cands.push_back(std::move(c));
    for (auto& c : part.continua) conts.push_back(std::move(c));
  }
  std::sort(cands.begin(), cands.end(), [](const auto& a, const auto& b) { return a.tuple < b.tuple; });
  std::sort(conts.begin(), conts.end(), [](const auto& a, const auto& b) { return a.tuple < b.tuple; });
}

/// The distinct cycles of minimal period k among the candidates, each rotated to start at its
/// lexicographically smallest point, in lexicographic order. Duplicates (the same cycle found
/// from several tuples, within dedup_tol) are found among neighbours in the mean of the first
/// coordinate, which is invariant under rotation.
std::vector<std::vector<Vector>> distinct_cycles(std::vector<Candidate>& cands, int k, double dedup_tol) {
  struct Kept {
    std::vector<Vector> points;
    double key;
  };
  std::vector<Kept> rotated;
  for (auto& c : cands) {
    const double tol = dedup_tol * std::max(1.0, max_norm(c.points));
    if (point_period(c.points, tol) != k) continue;
    size_t start = 0;
    for (size_t j = 1; j < c.points.size(); ++j)
      if (lex_less(c.points[j], c.points[start])) start = j;
    std::rotate(c.points.begin(), c.points.begin() + static_cast<std::ptrdiff_t>(start), c.points.end());
    double key = 0.0;
    for (const auto& p : c.points) key += p(0);
    rotated.push_back({std::move(c.points), key / k});
  }
  std::stable_sort(rotated.begin(), rotated.end(), [](const Kept& a, const Kept& b) { return a.key < b.key; });
  std::vector<std::vector<Vector>> kept;
  std::vector<double> kept_keys;
  for (auto& c : rotated) {
    const double tol = dedup_tol * std::max(1.0, max_norm(c.points));
    bool dup = false;
    for (size_t q = kept.size(); q-- > 0;) {
      if (c.key - kept_keys[q] > tol) break;
      if (same_cycle(c.points, kept[q], tol)) {
        dup = true;
        break;
      }
    }
    if (dup) continue;
    kept.push_back(std::move(c.points));
    kept_keys.push_back(c.key);
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    for (size_t j = 0; j < a.size(); ++j) {
      if (lex_less(a[j], b[j])) return true;
      if (lex_less(b[j], a[j])) return false;
    }
    return false;
  });
  return kept;
}

/// Fills in a found cycle's residual, patterns, boundary flag, monodromy and stability, all
/// evaluated directly from the model structure rather than from the search's composite maps.
void describe_cycle(const PiecewiseLinearStructure& pl, const PlPrepared& P, const PlCycleOptions& options, int k,
                    std::vector<Vector>&& points, PlCycle& cyc) {
  const double btol = std::max(options.region_tol, 1e-12);
  cyc.period = k;
  cyc.points = std::move(points);
  cyc.monodromy = Matrix::Identity(P.R, P.R);
  for (int j = 0; j < k; ++j) {
    const Vector& z = cyc.points[static_cast<size_t>(j)];
    const Vector& znext = cyc.points[static_cast<size_t>((j + 1) % k)];
    cyc.residual = std::max(cyc.residual, (pl.evaluate(z) - znext).lpNorm<Eigen::Infinity>());
    cyc.patterns.push_back(pl.pattern_at(z));
    const Vector a = pl.U * z + pl.c;
    const double zinf = z.lpNorm<Eigen::Infinity>();
    for (Index i = 0; i < P.N; ++i) {
      const double scale = pl.U.row(i).lpNorm<1>() * zinf + std::abs(pl.c(i));
      for (double bp : P.breakpoints[static_cast<size_t>(i)])
        if (std::abs(a(i) - bp) <= btol * (scale + std::abs(bp))) cyc.on_boundary = true;
    }
    cyc.monodromy = pl.region_map(cyc.patterns.back()).matrix * cyc.monodromy;
  }
  cyc.multipliers = eigen_decompose(cyc.monodromy, TimeKind::Map).eigenvalues;
  cyc.stability = classify_spectrum(cyc.multipliers, TimeKind::Map, options.stability);
}

/// The distinct exhaustive cycles, then the heuristic ones that are not among them (found_by
/// heuristic), described and sorted lexicographically by their points.
void merge_cycles(const PiecewiseLinearStructure& pl, const PlPrepared& P, const PlCycleOptions& options, int k,
                  std::vector<Candidate>& exhaustive, std::vector<Candidate>& heuristic, PlCycles& result) {
  std::vector<std::vector<Vector>> kept = distinct_cycles(exhaustive, k, options.dedup_tol);
  std::vector<PlCycleSource> source(kept.size(), PlCycleSource::Exhaustive);
  for (auto& c : distinct_cycles(heuristic, k, options.dedup_tol)) {
    const double tol = options.dedup_tol * std::max(1.0, max_norm(c));
    bool dup = false;
    for (size_t q = 0; q < source.size() && !dup; ++q)
      dup = source[q] == PlCycleSource::Exhaustive && same_cycle(c, kept[q], tol);
    if (dup) continue;
    kept.push_back(std::move(c));
    source.push_back(PlCycleSource::Heuristic);
  }
  std::vector<size_t> order(kept.size());
  for (size_t q = 0; q < order.size(); ++q) order[q] = q;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t j = 0; j < kept[a].size(); ++j) {
      if (lex_less(kept[a][j], kept[b][j])) return true;
      if (lex_less(kept[b][j], kept[a][j])) return false;
    }
    return false;
  });
  result.cycles.resize(kept.size());
  for (size_t q = 0; q < order.size(); ++q) {
    describe_cycle(pl, P, options, k, std::move(kept[order[q]]), result.cycles[q]);
    result.cycles[q].found_by = source[order[q]];
  }
}

/// What the result promises, in words.
std::string guarantee_text(const PlCycles& r) {
  const std::string heur = r.heuristic_solves > 0 || r.status == PlCycleStatus::Sampled
                               ? "; cycles with found_by \"heuristic\" come from SCYFI-style sampling (" +
                                     std::to_string(r.heuristic_solves) + " tuple systems solved)"
                               : "";
  if (r.status == PlCycleStatus::Sampled)
    return "sampled: the listed cycles are exact cycles of minimal period k, but other cycles may exist" + heur;
  if (r.status == PlCycleStatus::Incomplete && !r.stopped_by.empty())
    return "incomplete: the pruned search stopped at its " + r.stopped_by + " budget with " +
           std::to_string(r.unexplored_prefixes) +
           " prefixes unexplored; cycles with found_by \"exhaustive\" are exact cycles, others may exist" + heur;
  if (r.status == PlCycleStatus::Incomplete)
    return "incomplete: some regions at a highly degenerate vertex were not expanded";
  return r.method == PlCycleMethod::Tuples
             ? "complete: every region k-tuple was examined; every isolated cycle of minimal period k is listed (up "
               "to the region and singularity tolerances)"
             : "complete: every region sequence of length k that an orbit can follow was examined; every isolated "
               "cycle of minimal period k is listed (up to the region and singularity tolerances)";
}

/// The exhaustive part: every tuple (refused beyond max_tuples) or the pruned search under its
/// budget; its candidates go to cands/conts, its counts and status to result.
void exhaustive_search(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& options,
                       Monitor& monitor, std::vector<Candidate>& cands, std::vector<ContinuumCandidate>& conts,
                       PlCycles& result) {
  std::vector<CycleThreadOut> parts;
  if (options.method == PlCycleMethod::Tuples) {
    search_all_tuples(P, regions, k, options, parts);
  } else {
    detail::CycleBudget budget;
    budget.options = &options;
    budget.monitor = &monitor;
    budget.period = k;
    detail::pruned_search(P, regions, k, options, budget, parts);
    const int why = budget.stopped_by.load();
    if (why == 3) monitor.check();  // interrupted: throws
    if (why == 1 || why == 2) {
      result.status = PlCycleStatus::Incomplete;
      result.stopped_by = why == 1 ? "max_nodes" : "time_limit";
    }
  }
  gather(parts, cands, conts, result);
}

}  // namespace

PlCycles find_cycles(const PiecewiseLinearStructure& pl, int period, const PlCycleOptions& options) {
  check_cycle_inputs(pl, period, options);
  const PlPrepared P = detail::prepare(pl);
  const int k = period;
  PlCycles result;
  result.period = k;
  result.method = options.method;
  result.hyperplanes = static_cast<Index>(P.active.size());
  result.arrangement_rank = P.D;
  // Any arrangement of K > 0 hyperplanes has at least K + 1 regions: refuse hopeless tuple
  // searches before listing the regions.
  const double lower = tuple_count(static_cast<double>(result.hyperplanes + 1), k);
  if (options.method == PlCycleMethod::Tuples && !options.force && lower > static_cast<double>(options.max_tuples))
    refuse(lower, ">= " + std::to_string(result.hyperplanes + 1), k, options);
  Monitor monitor(options.progress);
  Progress start;  // a first report at once, so that a callback can stop even a short run
  start.stage = "cycles of period " + std::to_string(k) + ": start";
  monitor.checkpoint(start, true);
  // The listing counts against the budget (the Lorenz shPLRNN's 1.3 M regions at N = 200 took
  // ~20 s); tuples have no time budget, only max_tuples.
  const bool timed = options.method != PlCycleMethod::Tuples;
  const detail::PlRegionList list = detail::list_regions(P, [&](std::int64_t vertices) {
    monitor.poll({"cycles of period " + std::to_string(k) + ": listing regions", -1.0, vertices, 0});
    return monitor.stopped() || (timed && monitor.seconds() > options.time_limit);
  });
  monitor.check();  // Ctrl-C or the callback while listing: throws
  const auto& regions = list.regions;
  result.regions = static_cast<std::int64_t>(regions.size());
  if (list.stopped) {
    result.status = PlCycleStatus::Incomplete;
    result.stopped_by = "time_limit";
  }
  const double tuples = tuple_count(static_cast<double>(regions.size()), k);
  if (options.method == PlCycleMethod::Tuples && !options.force && tuples > static_cast<double>(options.max_tuples))
    refuse(tuples, std::to_string(regions.size()), k, options);

  std::vector<Candidate> cands, heuristic;
  std::vector<ContinuumCandidate> conts;
  if (options.method != PlCycleMethod::Heuristic && !list.stopped)
    exhaustive_search(P, regions, k, options, monitor, cands, conts, result);
  if (!list.complete) result.status = PlCycleStatus::Incomplete;
  if (options.method == PlCycleMethod::Heuristic) result.status = PlCycleStatus::Sampled;
  const bool run_heuristic =
      options.method == PlCycleMethod::Heuristic || (options.heuristic_on_budget && !result.stopped_by.empty());
  if (run_heuristic) {
    CycleThreadOut h;
    result.heuristic_solves = detail::heuristic_search(P, regions, k, options, monitor, h);
    monitor.check();  // a stop request during the heuristic
    heuristic = std::move(h.cycles);
  }
  for (auto& c : conts) {
    if (static_cast<int>(result.continua.size()) >= options.max_continua) break;
    result.continua.push_back(std::move(c.c));
  }
  merge_cycles(pl, P, options, k, cands, heuristic, result);
  result.guarantee = guarantee_text(result);
  if (list.stopped)
    result.guarantee = "incomplete: listing the arrangement's regions used the time_limit budget (" +
                       std::to_string(regions.size()) +
                       " regions listed, the search over region sequences did not start)" +
                       (result.heuristic_solves > 0 ? "; cycles found by the heuristic on the listed regions are exact "
                                                      "cycles, others may exist"
                                                    : "");
  return result;
}

PlCycles find_cycles(const Model& model, const PlCycleOptions& options) {
  options.validate();
  const auto pl = model.piecewise_linear();
  if (!pl)
    throw InputError("period", "k-cycles need a piecewise-linear model (relu, hardtanh or linear units); this " +
                                   model.kind() + " model is smooth");
  if (model.time_kind() != TimeKind::Map)
    throw InputError("period",
                     "k-cycles need a discrete-time model (a map); this " + model.kind() + " model is a flow");
  const Stopwatch clock;
  PlCycles r = find_cycles(*pl, options.period, options);
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  r.options = options;
  r.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  return r;
}

}  // namespace rnndyn
