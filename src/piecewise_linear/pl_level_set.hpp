#pragma once
// The active hyperplanes as the level-set walk (pl_level_set.cpp) and the box subdivision
// (pl_subdivision.cpp) see them: unit normals n̂_a (contiguous per coordinate, so that passes over
// all hyperplanes vectorise), the change of the region's affine map (M, m) when hyperplane a turns
// on, and the ramp u_a relu(n̂_a . z + ô_a) it adds to G(z) = F(z) - delta z.
#include <cstdint>
#include <vector>

#include "pl_detail.hpp"

namespace rnndyn::detail {

constexpr int kMaxDim = 8;  // beyond it C(K, R - 1) lines are out of reach anyway

using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxDim, 1>;
using SmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxDim, kMaxDim>;

/// The read-only data all walks share, per active hyperplane a; and G_c (the component the walk
/// follows) with every unit on its leftmost piece plus the zero-normal hyperplanes that are on
/// (they never change). A hyperplane with k_of[a] < 0 is a virtual one (a face of a box): it
/// bounds no region and changes nothing (w = 0, dmap = 0, u = 0).
struct NdPlanes {
  const PlPrepared* P = nullptr;
  int R = 0, Ka = 0, W = 0;  // W = R^2 + R: one (M, m) change, M column-major then m
  Index c = 0;
  std::vector<std::vector<double>> n;  // n[r][a]
  std::vector<double> off, w;
  std::vector<double> u;      // R per hyperplane: G(z) changes by u_a relu(n̂_a . z + ô_a) across it
  std::vector<double> dmap;   // W per active hyperplane: dslope_k vec(V_i U_i^T), dshift_k V_i
  std::vector<double> ndmap;  // -dmap: the running sums add one or the other (a select, no product)
  std::vector<double> dsum;   // W: the sum of dmap over every active hyperplane
  std::vector<Index> k_of;
  SmallVector g;
  double g0 = 0.0;
  std::vector<double> base;  // W: the map with every unit on its leftmost piece
};

NdPlanes nd_planes(const PlPrepared& P);

/// An axis-aligned box [lo, hi] of the latent space.
struct LatentBox {
  SmallVector lo, hi;
};

/// The far field of the box subdivision (pl_level_set.cpp): walks every line of the arrangement
/// once without sorting its crossings, solving the regions around the unbounded ends where G_c
/// vanishes and returning in `box` a box that holds every vertex of the arrangement; then walks
/// the lines on the faces of that box. Every fixed point outside the box is found (argument in
/// pl_subdivision.cpp). False when degenerate or not applicable, as level_set_walk.
bool far_field_walk(const NdPlanes& planes, const PiecewiseLinearFixedPointOptions& o, CellOutput& out, LatentBox& box,
                    std::int64_t& solved, Monitor& monitor);

}  // namespace rnndyn::detail
