// Exact fixed points of piecewise-linear models: method choice, brute force over activation
// patterns (seed 001, eq. 4 for all D), and the assembly of the result (duplicates of boundary
// points removed, patterns, residuals, eigenvalues and stability).
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_detail.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(PlFixedPointMethod m) {
  switch (m) {
    case PlFixedPointMethod::Auto:
      return "auto";
    case PlFixedPointMethod::Brute:
      return "brute";
    case PlFixedPointMethod::Arrangement:
      return "arrangement";
    case PlFixedPointMethod::LevelSet:
      return "level_set";
    case PlFixedPointMethod::Subdivision:
      return "subdivision";
    case PlFixedPointMethod::BranchBound:
      return "branch_bound";
  }
  return "auto";
}

PlFixedPointMethod pl_fixed_point_method_from_string(const std::string& name, const std::string& field) {
  if (name == "auto") return PlFixedPointMethod::Auto;
  if (name == "brute") return PlFixedPointMethod::Brute;
  if (name == "arrangement") return PlFixedPointMethod::Arrangement;
  if (name == "level_set") return PlFixedPointMethod::LevelSet;
  if (name == "subdivision") return PlFixedPointMethod::Subdivision;
  if (name == "branch_bound") return PlFixedPointMethod::BranchBound;
  throw InputError(field,
                   "expected auto, brute, arrangement, level_set, subdivision or branch_bound, got '" + name + "'");
}

std::string to_string(PlFixedPointStatus s) {
  switch (s) {
    case PlFixedPointStatus::Complete:
      return "complete";
    case PlFixedPointStatus::Incomplete:
      return "incomplete";
  }
  return "complete";
}

void PiecewiseLinearFixedPointOptions::validate() const {
  if (brute_max_log2 < 0 || brute_max_log2 > 62)
    throw InputError("brute_max_log2", "must lie in [0, 62], got " + std::to_string(brute_max_log2));
  if (!(region_tol >= 0.0 && region_tol <= 1e-3))
    throw InputError("region_tol", "must lie in [0, 1e-3], got " + std::to_string(region_tol));
  if (!(singular_tol > 0.0 && singular_tol <= 1e-2))
    throw InputError("singular_tol", "must lie in (0, 1e-2], got " + std::to_string(singular_tol));
  if (!(dedup_tol >= 0.0 && dedup_tol <= 1e-2))
    throw InputError("dedup_tol", "must lie in [0, 1e-2], got " + std::to_string(dedup_tol));
  if (!(stability.marginal_tol >= 0.0)) throw InputError("stability.marginal_tol", "must be >= 0");
  if (!(stability.imag_tol >= 0.0)) throw InputError("stability.imag_tol", "must be >= 0");
  if (max_nodes < 1) throw InputError("max_nodes", "must be >= 1, got " + std::to_string(max_nodes));
  if (!(time_limit > 0.0)) throw InputError("time_limit", "must be > 0 seconds, got " + std::to_string(time_limit));
  if (!(projection_factor >= 0.0))
    throw InputError("projection_factor",
                     "must be >= 0 (0: never stop on the projection), got " + std::to_string(projection_factor));
}

std::int64_t generic_region_count(Index hyperplanes, Index rank) {
  // sum_{r=0..rank} C(K, r), saturating.
  const double cap = static_cast<double>(std::numeric_limits<std::int64_t>::max());
  double total = 0.0, binom = 1.0;
  for (Index r = 0; r <= std::min(rank, hyperplanes); ++r) {
    if (r > 0) binom = binom * static_cast<double>(hyperplanes - r + 1) / static_cast<double>(r);
    total += std::round(binom);
    if (total >= cap) return std::numeric_limits<std::int64_t>::max();
  }
  return static_cast<std::int64_t>(total);
}

namespace {

using detail::CellOutput;
using detail::PlPrepared;
using detail::RegionTracker;

/// Number of activation patterns prod_i (breakpoints_i + 1), saturating at 2^63.
double pattern_count(const PlPrepared& P) {
  double total = 1.0;
  for (const auto& bps : P.breakpoints) total *= static_cast<double>(bps.size() + 1);
  return total;
}

void brute_force(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out, std::int64_t& visited,
                 Monitor& monitor) {
  const auto total = static_cast<std::int64_t>(pattern_count(P));
  std::vector<std::vector<std::pair<std::int64_t, CellOutput>>> parts;
#pragma omp parallel
  {
#pragma omp single
    parts.resize(static_cast<size_t>(detail::team_size()));
    auto& mine = parts[static_cast<size_t>(detail::team_index())];
    RegionTracker t(P);
    std::vector<signed char> signs(static_cast<size_t>(P.K));
    const bool reporter = detail::team_index() == 0;  // the calling thread: it alone reports
#pragma omp for schedule(static)
    for (std::int64_t idx = 0; idx < total; ++idx) {
      if (monitor.stopped()) continue;
      if (reporter && idx % 4096 == 0)
        monitor.poll({"brute force", static_cast<double>(idx) / static_cast<double>(total), idx, 0});
      // Mixed-radix digits of idx are the pieces of the units.
      std::int64_t rest = idx;
      Index k = 0;
      for (Index i = 0; i < P.N; ++i) {
        const auto nb = static_cast<std::int64_t>(P.breakpoints[static_cast<size_t>(i)].size());
        const std::int64_t piece = rest % (nb + 1);
        rest /= nb + 1;
        for (std::int64_t b = 0; b < nb; ++b, ++k) signs[static_cast<size_t>(k)] = piece > b ? 1 : -1;
      }
      t.reset(signs);
      CellOutput cell;
      detail::evaluate_cell(t, o, cell);
      if (!cell.points.empty() || !cell.continua.empty() || !cell.undecided.empty())
        mine.emplace_back(idx, std::move(cell));
    }
  }
  monitor.check();
  std::vector<std::pair<std::int64_t, CellOutput>> all;
  for (auto& part : parts)
    for (auto& x : part) all.push_back(std::move(x));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [idx, cell] : all) {
    for (auto& p : cell.points) out.points.push_back(std::move(p));
    for (auto& c : cell.continua) out.continua.push_back(std::move(c));
    for (auto& u : cell.undecided) out.undecided.push_back(std::move(u));
  }
  visited += total;
}

std::vector<int> pattern_of(const PlPrepared& P, const Vector& z, bool& on_boundary, double tol) {
  std::vector<int> pattern(static_cast<size_t>(P.N), 0);
  const Vector a = P.Ut.transpose() * z + P.c;
  const double zinf = z.lpNorm<Eigen::Infinity>();
  on_boundary = false;
  for (Index i = 0; i < P.N; ++i) {
    const double scale = P.Ut.col(i).lpNorm<1>() * zinf + std::abs(P.c(i));
    for (double bp : P.breakpoints[static_cast<size_t>(i)]) {
      if (a(i) > bp) ++pattern[static_cast<size_t>(i)];
      if (std::abs(a(i) - bp) <= tol * (scale + std::abs(bp))) on_boundary = true;
    }
  }
  return pattern;
}

Matrix region_jacobian(const PlPrepared& P, const std::vector<int>& pattern) {
  Vector s(P.N);
  for (Index i = 0; i < P.N; ++i)
    s(i) = P.slope[static_cast<size_t>(i)][static_cast<size_t>(pattern[static_cast<size_t>(i)])];
  return P.A + P.V * s.asDiagonal() * P.Ut.transpose();
}

bool lex_less(const Vector& a, const Vector& b) {
  for (Index i = 0; i < a.size(); ++i)
    if (a(i) != b(i)) return a(i) < b(i);
  return false;
}

/// Distance-based test: is z in the clipped affine set of continuum c (up to tol)?
bool on_continuum(const PlContinuum& c, const Vector& z, double tol) {
  const Vector y = c.basis.transpose() * (z - c.origin);
  const Vector back = c.origin + c.basis * y;
  const double scale = std::max(1.0, z.lpNorm<Eigen::Infinity>());
  if ((back - z).lpNorm<Eigen::Infinity>() > tol * scale) return false;
  for (Index r = 0; r < c.inequalities_A.rows(); ++r)
    if (c.inequalities_A.row(r).dot(y) > c.inequalities_b(r) + tol * scale * (1.0 + c.inequalities_A.row(r).norm()))
      return false;
  return true;
}

/// Drops exact repeats and 1-D pieces contained in another (a closed region's face can carry the
/// same set as the region itself), keeping the first of each in walk order.
std::vector<PlContinuum> distinct_continua(std::vector<PlContinuum>& found, double merge_tol) {
  std::vector<PlContinuum> conts;
  for (auto& c : found) {
    bool contained = false;
    for (const auto& kept : conts) {
      if (kept.dimension != c.dimension) continue;
      bool all_in = c.vertices.cols() > 0 && c.bounded;
      for (Index j = 0; all_in && j < c.vertices.cols(); ++j) all_in = on_continuum(kept, c.vertices.col(j), merge_tol);
      if (all_in) {
        contained = true;
        break;
      }
    }
    if (!contained) conts.push_back(std::move(c));
  }
  return conts;
}

/// Sorts the points and merges duplicates found in several adjacent closed regions, dropping those
/// on a continuum. Two points are one within dedup_tol * max(|z|, |w|, 1e-6 X) (max norms, X the
/// largest point): relative, so that scaling the network's drive scales the answer instead of
/// merging small points, with a floor for points at the origin found with rounding noise.
/// Two points strictly inside one region (no unit within region_tol of its kink) are one too,
/// however far apart: a region's affine map has one fixed point or a continuum (whose points are
/// dropped here), and in a nearly singular region (condition 1e8) the copies that the cells
/// solve from different hyperplanes differ by condition x rounding, more than dedup_tol.
std::vector<Vector> distinct_points(const PlPrepared& P, std::vector<Vector>& pts,
                                    const std::vector<PlContinuum>& conts, double dedup_tol, double merge_tol,
                                    double region_tol) {
  std::sort(pts.begin(), pts.end(), lex_less);
  double largest = 0.0;
  for (const auto& z : pts) largest = std::max(largest, z.lpNorm<Eigen::Infinity>());
  const double floor = 1e-6 * largest, reach = dedup_tol * largest;  // reach bounds every pair's tolerance
  std::vector<Vector> kept;
  std::set<std::vector<int>> interior;  // the regions whose (one) point is kept
  for (const auto& z : pts) {
    bool boundary = false;
    std::vector<int> pattern = pattern_of(P, z, boundary, std::max(region_tol, 1e-12));
    if (!boundary && interior.count(pattern)) continue;
    const double zn = z.lpNorm<Eigen::Infinity>();
    bool dup = false;
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
      if (z(0) - (*it)(0) > reach) break;
      const double tol = dedup_tol * std::max({zn, it->lpNorm<Eigen::Infinity>(), floor});
      if ((z - *it).lpNorm<Eigen::Infinity>() <= tol) {
        dup = true;
        break;
      }
    }
    if (dup) continue;
    bool on_c = false;
    for (const auto& c : conts)
      if (on_continuum(c, z, merge_tol)) {
        on_c = true;
        break;
      }
    if (on_c) continue;
    kept.push_back(z);
    if (!boundary) interior.insert(std::move(pattern));
  }
  return kept;
}

/// One step of iterative refinement with the directly evaluated residual f = F(x) (- x) and the
/// region's freshly assembled Jacobian: the walk's M_D is accumulated by N rank-one updates, and
/// in ill-conditioned regions (near-continua) that drift shows in the residual. The step is kept
/// only when it lowers the residual without leaving the region.
void refine_point(const PlPrepared& P, const PiecewiseLinearStructure& pl, const PiecewiseLinearFixedPointOptions& o,
                  PlFixedPoint& fp, Vector& f) {
  const TimeKind time = pl.time;
  Matrix G = region_jacobian(P, fp.pattern);
  G.diagonal().array() -= P.delta;
  const Eigen::FullPivLU<Matrix> lu(G);
  if (lu.isInvertible()) {
    const Vector z = fp.x - lu.solve(f);
    Vector fz = pl.evaluate(z);
    if (time == TimeKind::Map) fz -= z;
    bool boundary = false;
    if (fz.lpNorm<Eigen::Infinity>() < fp.residual &&
        pattern_of(P, z, boundary, std::max(o.region_tol, 1e-12)) == fp.pattern) {
      fp.x = z;
      fp.on_boundary = boundary;
      f = fz;
      fp.residual = fz.lpNorm<Eigen::Infinity>();
    }
  }
}

/// Pattern, refined position, residuals (absolute and relative to the terms that cancel) and,
/// unless skipped, eigenvalues and stability of the fixed point at x.
void describe_point(const PlPrepared& P, const PiecewiseLinearStructure& pl, const PiecewiseLinearFixedPointOptions& o,
                    const Vector& x, PlFixedPoint& fp) {
  const TimeKind time = pl.time;
  fp.x = x;
  fp.x.array() += 0.0;  // -0 becomes +0 (a coordinate on a kink prints as 0, not -0)
  fp.pattern = pattern_of(P, fp.x, fp.on_boundary, std::max(o.region_tol, 1e-12));
  Vector f = pl.evaluate(fp.x);
  if (time == TimeKind::Map) f -= fp.x;
  fp.residual = f.lpNorm<Eigen::Infinity>();
  refine_point(P, pl, o, fp, f);
  // Scale of the terms that cancel in F(x) (- x): |A x| + |V| |phi| + |h| (+ |x| for maps).
  const Vector a = P.Ut.transpose() * fp.x + P.c;
  Vector phi(P.N);
  for (Index i = 0; i < P.N; ++i) phi(i) = pl.units[static_cast<size_t>(i)].value(a(i));
  const double scale = (P.A.cwiseAbs() * fp.x.cwiseAbs()).lpNorm<Eigen::Infinity>() +
                       (P.V.cwiseAbs() * phi.cwiseAbs()).lpNorm<Eigen::Infinity>() + P.h.lpNorm<Eigen::Infinity>() +
                       P.delta * fp.x.lpNorm<Eigen::Infinity>();
  fp.relative_residual = fp.residual / std::max(scale, std::numeric_limits<double>::min());
  if (scale == 0.0) fp.relative_residual = fp.residual;
  if (!o.skip_eigen) {
    fp.eigenvalues = eigen_decompose(region_jacobian(P, fp.pattern), time).eigenvalues;
    fp.stability = classify_spectrum(fp.eigenvalues, time, o.stability);
  }
}

void assemble(const PlPrepared& P, const PiecewiseLinearStructure& pl, const PiecewiseLinearFixedPointOptions& o,
              CellOutput& cells, PiecewiseLinearFixedPoints& result) {
  const TimeKind time = pl.time;
  const double merge_tol = std::max(o.dedup_tol, 1e-12);
  std::vector<PlContinuum> conts = distinct_continua(cells.continua, merge_tol);
  for (auto& c : conts) {
    const Matrix J = region_jacobian(P, c.pattern);
    c.eigenvalues = eigen_decompose(J, time).eigenvalues;
  }
  const std::vector<Vector> kept = distinct_points(P, cells.points, conts, o.dedup_tol, merge_tol, o.region_tol);
  result.fixed_points.resize(kept.size());
#pragma omp parallel for schedule(dynamic, 8)
  for (std::int64_t q = 0; q < static_cast<std::int64_t>(kept.size()); ++q)
    describe_point(P, pl, o, kept[static_cast<size_t>(q)], result.fixed_points[static_cast<size_t>(q)]);
  result.continua = std::move(conts);
  result.undecided_regions = std::move(cells.undecided);
  std::sort(result.undecided_regions.begin(), result.undecided_regions.end());
  result.undecided_regions.erase(std::unique(result.undecided_regions.begin(), result.undecided_regions.end()),
                                 result.undecided_regions.end());
  if (!result.undecided_regions.empty()) result.status = PlFixedPointStatus::Incomplete;
}

/// Auto uses branch and bound for a full-rank network (as many arrangement dimensions as units)
/// when both walks would visit more than 2^kBranchBoundFrom regions.
constexpr int kBranchBoundFrom = 20;
/// A latent arrangement (fewer dimensions than units: shPLRNN, low-rank W) is walked: its region
/// count is polynomial, sum_{r<=R} C(N, r), and the walk always finishes, while branch and bound
/// over the N units' patterns meets 2^N leaves and runs out of budget (a shPLRNN with R = 3,
/// N = 1000: incomplete after 60 s, while the walk is complete in 31 s). Only a latent walk
/// beyond 2^kLatentWalkUpTo regions (hours) goes to branch and bound, whose budget ends it.
constexpr int kLatentWalkUpTo = 34;

/// Crossings the level-set walk computes: K (K - 1) lines x crossings for R = 2, C(K, R - 1) K
/// for R >= 3 (saturating).
double level_set_crossings(const PlPrepared& P) {
  const auto K = static_cast<double>(P.active.size());
  return static_cast<double>(generic_region_count(static_cast<Index>(K), P.R - 1) -
                             generic_region_count(static_cast<Index>(K), P.R - 2)) *
         K;
}

/// Auto's choice (header comment): brute force or the arrangement walk, whichever visits fewer
/// regions; the box subdivision instead of the full walk for R = 2 with many lines and for
/// R = 3, 4 once the arrangement is large (one pass over the C(K, R - 1) lines without sorting,
/// then boxes), the level-set walk for R = 5, 6; branch and bound where no walk can finish.
PlFixedPointMethod auto_method(const PlPrepared& P, double brute_count, double arrangement_count) {
  PlFixedPointMethod method =
      brute_count < arrangement_count ? PlFixedPointMethod::Brute : PlFixedPointMethod::Arrangement;
  if (method == PlFixedPointMethod::Arrangement && P.R == 2 && P.D == 2 && P.active.size() >= 64)
    method = PlFixedPointMethod::Subdivision;
  // R = 5, 6: the level set (the subdivision is tested and measured up to R = 4; its faces' lines
  // grow like 2R K^(R-2)).
  if (method == PlFixedPointMethod::Arrangement && P.R >= 3 && P.R <= 6 && P.D == P.R && arrangement_count > 1e5)
    method = P.R <= 4 ? PlFixedPointMethod::Subdivision : PlFixedPointMethod::LevelSet;
  const bool latent = P.D < P.N;  // the normals span fewer dimensions than there are units
  const bool lines = method == PlFixedPointMethod::Subdivision || method == PlFixedPointMethod::LevelSet;
  const double walk = lines ? level_set_crossings(P) : std::min(brute_count, arrangement_count);
  if (walk > std::ldexp(1.0, latent ? kLatentWalkUpTo : kBranchBoundFrom)) method = PlFixedPointMethod::BranchBound;
  return method;
}

/// Method BranchBound: false (nothing done) when it does not apply to `pl`.
bool run_branch_and_bound(const PlPrepared& P, const PiecewiseLinearStructure& pl,
                          const PiecewiseLinearFixedPointOptions& o, CellOutput& cells,
                          PiecewiseLinearFixedPoints& result, Monitor& monitor) {
  PlBranchBoundStats stats;
  if (!detail::branch_and_bound(P, pl, o, cells, stats, monitor)) return false;
  monitor.check();  // Ctrl-C or the callback: throws, no partial result
  result.algorithm = "branch_bound";
  result.regions_visited = stats.leaves;
  if (stats.budget_exhausted) result.status = PlFixedPointStatus::Incomplete;
  result.branch_bound = stats;
  assemble(P, pl, o, cells, result);
  return true;
}

}  // namespace

PiecewiseLinearFixedPoints find_fixed_points(const PiecewiseLinearStructure& pl,
                                             const PiecewiseLinearFixedPointOptions& options) {
  options.validate();
  if (static_cast<Index>(pl.units.size()) != pl.hidden())
    throw InputError("units", "expected one activation per hidden unit");
  for (const auto& u : pl.units)
    if (!u.is_piecewise_linear()) throw InputError("activation", "'" + u.name() + "' is not piecewise linear");
  const PlPrepared P = detail::prepare(pl);
  PiecewiseLinearFixedPoints result;
  result.hyperplanes = static_cast<Index>(P.active.size());
  result.arrangement_rank = P.D;
  const double brute_count = pattern_count(P);
  const auto arrangement_count = static_cast<double>(generic_region_count(result.hyperplanes, P.D));
  PlFixedPointMethod method = options.method;
  if (method == PlFixedPointMethod::Auto) method = auto_method(P, brute_count, arrangement_count);
  result.method = method;
  CellOutput cells;
  Monitor monitor(options.progress);
  if (method == PlFixedPointMethod::BranchBound) {
    if (run_branch_and_bound(P, pl, options, cells, result, monitor)) return result;
    if (options.method == PlFixedPointMethod::BranchBound)
      throw InputError("method",
                       "branch_bound needs a diagonal linear part A with delta - A_rr != 0 and "
                       "non-decreasing activations; use arrangement");
    method = result.method = PlFixedPointMethod::Arrangement;
  }
  if (method == PlFixedPointMethod::LevelSet || method == PlFixedPointMethod::Subdivision) {
    std::int64_t solved = 0;
    const bool level_set = method == PlFixedPointMethod::LevelSet;
    const bool done = P.R >= 2 && P.D == P.R &&
                      (level_set ? detail::level_set_walk(P, options, cells, solved, monitor)
                                 : detail::box_subdivision(P, options, cells, solved, monitor));
    if (done) {
      result.algorithm = to_string(method);
      result.regions_visited = solved;
      assemble(P, pl, options, cells, result);
      return result;
    }
    cells = CellOutput{};  // not applicable or degenerate: the full walk below decides
  }
  if (method == PlFixedPointMethod::Brute) {
    if (brute_count > std::ldexp(1.0, options.brute_max_log2) && !options.force)
      throw InputError("method", "brute force would visit " + std::to_string(brute_count) +
                                     " activation patterns (limit 2^" + std::to_string(options.brute_max_log2) +
                                     "); use the arrangement method or force");
    result.algorithm = "brute";
    brute_force(P, options, cells, result.regions_visited, monitor);
  } else {
    std::int64_t visited = 0;
    if (detail::walk_arrangement(P, options, cells, visited, monitor)) {
      result.algorithm = "line_walk";
      result.regions_visited = visited;
    } else {
      cells = CellOutput{};
      visited = 0;
      result.generic = false;
      result.algorithm = "vertex_expansion";
      if (!detail::vertex_expansion(P, options, cells, visited)) result.status = PlFixedPointStatus::Incomplete;
      result.regions_visited = visited;
    }
  }
  assemble(P, pl, options, cells, result);
  return result;
}

}  // namespace rnndyn
