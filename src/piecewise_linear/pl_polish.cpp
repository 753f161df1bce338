// Exact re-solve of an approximate fixed point of a piecewise-linear model in its own region.
//
// Inside the region with activation pattern D the model is affine, F(z) = M_D z + m_D, so the
// fixed point there solves (M_D - delta I) z = -m_D (delta = 1 maps, 0 flows; seed 001, eq. 4)
// and is a fixed point of F exactly when z lies in D's closed region. A numeric solver stops at
// a residual near sqrt(machine epsilon) (its stopping test is on q = |R|^2 / 2); one LU solve
// in the right region gives the point to rounding. The right region is D = pattern_at(x0) unless
// x0 sits within the solver's error of a kink: then the units nearest their kinks are flipped.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn {
namespace {

/// Units whose pre-activation is this close to a kink (relative to its scale) may sit on the
/// wrong side of it: a numeric point is accurate to ~1e-8 relative, a first guess far less.
constexpr double kNearKink = 1e-5;
/// At most this many units near a kink are flipped (2^3 candidate regions).
constexpr int kMaxFlips = 3;

/// Distance of a_i to its nearest breakpoint, relative to |U_i| |z| + |c_i| + |beta|.
double kink_margin(const PiecewiseLinearStructure& pl, Index i, double a_i, double zinf) {
  double margin = std::numeric_limits<double>::infinity();
  const double scale = pl.U.row(i).lpNorm<1>() * zinf + std::abs(pl.c(i));
  for (double bp : pl.units[static_cast<size_t>(i)].breakpoints())
    margin = std::min(margin, std::abs(a_i - bp) / std::max(scale + std::abs(bp), 1e-300));
  return margin;
}

/// Whether z lies in the closed region of `pattern` (relative tolerance tol); `on_boundary`
/// tells whether some unit sits within tol of a kink.
bool in_region(const PiecewiseLinearStructure& pl, const std::vector<int>& pattern, const Vector& z, double tol,
               bool& on_boundary) {
  const Vector a = pl.U * z + pl.c;
  const double zinf = z.lpNorm<Eigen::Infinity>();
  on_boundary = false;
  for (Index i = 0; i < pl.hidden(); ++i) {
    const auto bps = pl.units[static_cast<size_t>(i)].breakpoints();
    const double scale = pl.U.row(i).lpNorm<1>() * zinf + std::abs(pl.c(i));
    const int p = pattern[static_cast<size_t>(i)];
    for (int b = 0; b < static_cast<int>(bps.size()); ++b) {
      const double slack = tol * (scale + std::abs(bps[static_cast<size_t>(b)]));
      const double excess = p > b ? bps[static_cast<size_t>(b)] - a(i) : a(i) - bps[static_cast<size_t>(b)];
      if (excess > slack) return false;
      if (std::abs(a(i) - bps[static_cast<size_t>(b)]) <= slack) on_boundary = true;
    }
  }
  return true;
}

/// The fixed point of the region's affine map, if its system is regular.
bool solve_region(const PiecewiseLinearStructure& pl, const std::vector<int>& pattern, Vector& z) {
  const AffineMap map = pl.region_map(pattern);
  Matrix G = map.matrix;
  if (pl.time == TimeKind::Map) G.diagonal().array() -= 1.0;
  const Eigen::PartialPivLU<Matrix> lu(G);   // blocked: a dense region of hundreds of units
  if (!(lu.rcond() >= 1e-14)) return false;  // a continuum or too close to one (NaN: singular)
  z = lu.solve(-map.offset);
  return z.allFinite();
}

}  // namespace

PlPolish polish_fixed_point(const PiecewiseLinearStructure& pl, const Vector& x0, double region_tol) {
  PlPolish out;
  out.x = x0;
  out.pattern = pl.pattern_at(x0);
  const Vector a = pl.U * x0 + pl.c;
  const double zinf = x0.lpNorm<Eigen::Infinity>();
  std::vector<std::pair<double, Index>> margins;  // (margin, unit) of the units near a kink
  for (Index i = 0; i < pl.hidden(); ++i)
    if (const double m = kink_margin(pl, i, a(i), zinf); m < kNearKink) margins.emplace_back(m, i);
  std::sort(margins.begin(), margins.end());
  std::vector<Index> near;
  for (const auto& mi : margins) near.push_back(mi.second);
  if (static_cast<int>(near.size()) > kMaxFlips) near.resize(kMaxFlips);
  const double reach = 1e-3 * std::max(1.0, zinf);  // the re-solved point must be x0's, not another
  for (unsigned flips = 0; flips < (1u << near.size()); ++flips) {
    std::vector<int> pattern = out.pattern;
    bool valid = true;
    for (size_t k = 0; k < near.size(); ++k) {
      if (!(flips >> k & 1u)) continue;
      const Index i = near[k];
      const int n_pieces = static_cast<int>(pl.units[static_cast<size_t>(i)].breakpoints().size()) + 1;
      // The neighbouring piece across the nearest kink: up when a_i is just below it, else down.
      const auto bps = pl.units[static_cast<size_t>(i)].breakpoints();
      const int p = pattern[static_cast<size_t>(i)];
      const bool up = p < n_pieces - 1 && (p == 0 || std::abs(a(i) - bps[static_cast<size_t>(p)]) <
                                                         std::abs(a(i) - bps[static_cast<size_t>(p - 1)]));
      if (!up && p == 0) valid = false;
      pattern[static_cast<size_t>(i)] = up ? p + 1 : p - 1;
    }
    Vector z;
    bool boundary = false;
    if (!valid || !solve_region(pl, pattern, z) || (z - x0).lpNorm<Eigen::Infinity>() > reach ||
        !in_region(pl, pattern, z, region_tol, boundary))
      continue;
    out.ok = true;
    out.x = z;
    out.x.array() += 0.0;  // -0 prints as 0
    out.pattern = std::move(pattern);
    out.on_boundary = boundary;
    return out;
  }
  return out;
}

}  // namespace rnndyn
