// Listing the regions of a hyperplane arrangement with their affine maps (for the k-cycle
// search, which needs all of them at once rather than one at a time as the fixed-point walk).
#include "pl_regions_list.hpp"

namespace rnndyn::detail {

PlRegionList list_regions(const PlPrepared& P, const std::function<bool(std::int64_t)>& stop) {
  PlRegionList out;
  RegionTracker t(P);
  out.complete = for_each_region_by_vertices(
      P,
      [&](const std::vector<signed char>& signs) {
        t.reset(signs);
        out.regions.push_back(PlRegion{signs, t.piece, t.M, t.m});
      },
      stop, &out.stopped);
  return out;
}

}  // namespace rnndyn::detail
