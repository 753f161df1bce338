// SCYFI-style sampling of k-cycles (Eisenmann et al., NeurIPS 2023): start from a region
// k-tuple, solve its cycle system, and when the solution's orbit runs through other regions,
// take the orbit's own region sequence and solve again. Our variant alternates two kinds of
// initial tuples: uniformly random regions (SCYFI's) and the itinerary of a random point's orbit
// after k burn-in steps, which starts near attracting cycles. Sequential and seeded, so the
// result depends only on the options. No completeness claim (piecewise_linear_cycles.hpp).
#include <algorithm>
#include <cmath>
#include <random>

#include "pl_cycles_detail.hpp"

namespace rnndyn::detail {

namespace {

/// Index of the region holding z (a unit exactly on its kink takes the left piece, sign -1, as
/// pattern_at), or -1 when that sign vector is not a listed region.
int region_of(const PlPrepared& P, const RegionIndex& index, const Vector& z, std::vector<signed char>& sign) {
  for (Index h = 0; h < P.K; ++h) sign[static_cast<size_t>(h)] = P.NT.col(h).dot(z) + P.offsets(h) > 0.0 ? 1 : -1;
  const auto it = index.find(sign_key(sign));
  return it == index.end() ? -1 : it->second;
}

/// Half-width of the box random points are drawn from: twice the largest of 1, |h|_inf and the
/// distance scale |o_k| / |n_k|_inf of the hyperplanes, so that every region near the origin is hit.
double sample_radius(const PlPrepared& P) {
  double r = std::max(1.0, P.h.lpNorm<Eigen::Infinity>());
  for (Index h = 0; h < P.K; ++h) {
    const double n = P.NT.col(h).lpNorm<Eigen::Infinity>();
    if (n > 0.0) r = std::max(r, std::abs(P.offsets(h)) / n);
  }
  return 2.0 * r;
}

/// One initial tuple: random regions (even outer loops) or a random point's itinerary (odd).
bool initial_tuple(const PlPrepared& P, const std::vector<PlRegion>& regions, const RegionIndex& index, int k,
                   int outer, std::mt19937_64& rng, std::vector<int>& tuple) {
  const int n = static_cast<int>(regions.size());
  if (outer % 2 == 0) {
    std::uniform_int_distribution<int> pick(0, n - 1);
    for (int& t : tuple) t = pick(rng);
    return true;
  }
  const double radius = sample_radius(P);
  std::uniform_real_distribution<double> u(-radius, radius);
  Vector z(P.R);
  for (Index i = 0; i < P.R; ++i) z(i) = u(rng);
  std::vector<signed char> sign(static_cast<size_t>(P.K));
  for (int step = 0; step < 2 * k; ++step) {
    const int d = region_of(P, index, z, sign);
    if (d < 0 || !z.allFinite()) return false;
    if (step >= k) tuple[static_cast<size_t>(step - k)] = d;
    z = regions[static_cast<size_t>(d)].M * z + regions[static_cast<size_t>(d)].m;
  }
  return true;
}

}  // namespace

std::int64_t heuristic_search(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& o,
                              Monitor& monitor, CycleThreadOut& out) {
  if (regions.empty()) return 0;
  const RegionIndex index = index_regions(regions);
  std::mt19937_64 rng(o.seed);
  std::vector<int> tuple(static_cast<size_t>(k)), next(static_cast<size_t>(k));
  std::vector<Vector> pts(static_cast<size_t>(k));
  std::vector<signed char> sign(static_cast<size_t>(P.K));
  const Index R = P.R;
  Matrix G(R, R), Pk(R, R);
  Vector q(R), rhs(R), z(R);
  std::int64_t solves = 0;
  // After a pruned search that ran out of budget the heuristic gets as long again; alone, the
  // budget itself (header: time_limit).
  const double until = o.method == PlCycleMethod::Heuristic ? o.time_limit : 2.0 * o.time_limit;
  for (int outer = 0; outer < o.outer_loops && monitor.seconds() <= until; ++outer) {
    Progress pr;
    pr.stage = "heuristic cycles of period " + std::to_string(k) + ": systems solved";
    pr.done = solves;
    pr.found = static_cast<std::int64_t>(out.cycles.size());
    if (!monitor.poll(pr)) break;
    if (!initial_tuple(P, regions, index, k, outer, rng, tuple)) continue;
    for (int inner = 0; inner < o.inner_loops; ++inner) {
      Pk.setIdentity();
      q.setZero();
      for (int d : tuple) {
        Pk = (regions[static_cast<size_t>(d)].M * Pk).eval();
        q = (regions[static_cast<size_t>(d)].M * q + regions[static_cast<size_t>(d)].m).eval();
      }
      G = Pk;
      G.diagonal().array() -= 1.0;
      rhs = -q;
      ++solves;
      if (!lu_solve_in_place(G, rhs, o.singular_tol, z)) break;  // singular: try another start
      bool inside = true;
      for (int j = 0; j < k; ++j) {
        const PlRegion& r = regions[static_cast<size_t>(tuple[static_cast<size_t>(j)])];
        inside = inside && in_closed_region(P, r.sign, z, o.region_tol);
        pts[static_cast<size_t>(j)] = z;
        z = r.M * z + r.m;
      }
      if (inside) {
        out.cycles.push_back({tuple, pts});
        break;
      }
      bool known = true;
      for (int j = 0; j < k && known; ++j)
        known = (next[static_cast<size_t>(j)] = region_of(P, index, pts[static_cast<size_t>(j)], sign)) >= 0;
      if (!known || next == tuple) break;
      tuple.swap(next);
    }
  }
  return solves;
}

}  // namespace rnndyn::detail
