#pragma once
// Internal: the list of all regions of a piecewise-linear structure's hyperplane arrangement,
// each with its sign vector, per-unit pieces and affine map (used by the k-cycle search).
#include <cstdint>
#include <vector>

#include "pl_detail.hpp"

namespace rnndyn::detail {

struct PlRegion {
  std::vector<signed char> sign;  // per hyperplane (P.K), +1 beyond the kink
  std::vector<int> piece;         // per unit
  Matrix M;                       // F(z) = M z + m in the region
  Vector m;
};

struct PlRegionList {
  std::vector<PlRegion> regions;
  bool complete = true;  // false when a vertex had too many incident hyperplanes to expand, or stopped
  bool stopped = false;  // `stop` ended the listing (budget or Ctrl-C): the list is partial
};

/// Every region of the arrangement of `P` exactly once, by vertex expansion: every region of an
/// arrangement whose normals span R^D (D = P.D, the walk works in their span) has a vertex, and
/// the regions at a vertex are among the 2^|I| sign choices on its incident hyperplanes I (the
/// others keep their sign at the vertex); duplicates are removed by hashing the sign vectors.
/// Sign choices that are not open regions (degenerate vertices) are kept: their closed set is a
/// face of real regions on which their affine map equals F (phi is continuous).
/// `stop` (optional) is asked every 256 vertices with the number visited so far.
PlRegionList list_regions(const PlPrepared& P, const std::function<bool(std::int64_t)>& stop = {});

}  // namespace rnndyn::detail
