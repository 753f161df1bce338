#pragma once
// Internals shared by the piecewise-linear fixed-point methods: the prepared arrangement, the
// incrementally updated affine map of the current region, and the per-region fixed-point test
// (M - delta I) z + m = 0 with z in the closed region (delta = 1 for maps, 0 for flows).
#include <cstdint>
#include <functional>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "rnndyn/core/progress.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn::detail {

/// Threads of the enclosing OpenMP parallel region and this thread's index (1 and 0 without
/// OpenMP), for per-thread output buffers merged in a deterministic order afterwards.
inline int team_size() {
#ifdef _OPENMP
  return omp_get_num_threads();
#else
  return 1;
#endif
}
inline int team_index() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/// Hyperplane k is {n_k . z + o_k = 0} with n_k = U_i^T, o_k = c_i - beta (unit i, breakpoint
/// beta); sign +1 means a_i > beta (the unit is beyond that kink), -1 means a_i <= beta.
struct PlPrepared {
  Index R = 0, N = 0, K = 0;
  double delta = 0.0;  // 1 for maps, 0 for flows
  Matrix A, Ut, V;     // Ut = U^T (R x N) so that U_i is a contiguous column
  Vector c, h;
  Matrix NT;  // R x K: column k is n_k (contiguous for the region test)
  Vector offsets;
  Vector norm1;  // |n_k|_1
  std::vector<Index> unit_of;
  std::vector<int> bp_of;
  std::vector<std::vector<double>> breakpoints;   // per unit
  std::vector<std::vector<double>> slope, shift;  // per unit and piece: s_p and s_p c_i + q_p
  std::vector<double> dslope, dshift;             // per hyperplane: piece b+1 minus piece b
  Matrix outer;                                   // R*R x N: column i is vec(V_i U_i^T)
  std::vector<Index> active;                      // hyperplanes with a non-zero normal
  std::vector<signed char> constant_sign;         // sign of the zero-normal hyperplanes
  Index D = 0;                                    // rank of the normals
  Matrix G;                                       // K_active x D: unit normals in the span basis
  Vector go;                                      // their offsets (scaled with the normals)
};

PlPrepared prepare(const PiecewiseLinearStructure& pl);

/// Sign vector, per-unit piece and the region's affine map F(z) = M z + m, updated in O(R^2)
/// when one hyperplane is crossed.
struct RegionTracker {
  const PlPrepared* P = nullptr;
  std::vector<signed char> sign;
  std::vector<int> piece;
  Matrix M;
  Vector m;
  explicit RegionTracker(const PlPrepared& prepared);
  void reset(const std::vector<signed char>& signs);
  void set(Index k, signed char s);
};

struct CellOutput {
  std::vector<Vector> points;
  std::vector<PlContinuum> continua;
  /// Patterns of regions whose system is too ill-conditioned to decide (see evaluate_cell).
  std::vector<std::vector<int>> undecided;
};

/// Below this smallest equilibrated pivot a region's system counts as exactly singular in
/// floating point (rounding alone produces pivots of this size); between it and singular_tol a
/// region whose least-squares analysis finds nothing, but whose LU solution lies inside it, is
/// undecided: it may hold an isolated fixed point of a nearly singular system.
inline constexpr double kRoundingPivot = 1e-13;

/// s_k (n_k . z + o_k) >= -tol (|n_k|_1 |z|_inf + |o_k|) for every hyperplane k: z lies in the
/// closed region with sign vector `sign` (early exit on the first violation).
bool in_closed_region(const PlPrepared& P, const std::vector<signed char>& sign, const Vector& z, double tol);

/// Solves G z = rhs for the n x n matrix at g, element (r, c) at g[r * rs + c * cs], overwriting
/// g and rhs; z needs n doubles. Rows, then columns, are first scaled by powers of two to unit
/// max-norm (van der Sluis equilibration, exact in binary floating point), so that the singularity
/// test of the LU with partial pivoting, "a pivot <= tol", does not depend on the scale of the
/// rows (a unit's weights) or of the columns (a state coordinate): W and 1e5 W are decided alike.
/// Returns the smallest pivot of the equilibrated matrix (its entries are <= 1), 0 when a row or
/// column is zero or a pivot vanishes; the solution is written whenever the result is > 0.
double equilibrated_lu_solve(double* g, Index rs, Index cs, Index n, double* rhs, double* z);

/// Solves G z = rhs by equilibrated_lu_solve, overwriting G and rhs (no allocation when z has the
/// right size); false when the smallest equilibrated pivot is <= tol.
bool lu_solve_in_place(Matrix& G, Vector& rhs, double tol, Vector& z);

/// Solves the region's fixed-point system and appends what lies in the closed region.
/// `first` (n_first hyperplane indices) are tested first in the region test.
void evaluate_cell(const RegionTracker& t, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                   const Index* first = nullptr, int n_first = 0);

/// Generic-arrangement walk; returns false (and leaves `out` unspecified) when it detects a
/// degenerate arrangement.
/// `monitor` is polled from the calling thread; a stop throws (Interrupted or the callback's
/// exception) after the parallel walk of a level.
bool walk_arrangement(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                      std::int64_t& visited, Monitor& monitor);
/// Level-set pruned walk for R = D >= 2 (pl_level_set.cpp): walks the C(K, R - 1) lines of
/// the arrangement (for R = 2 the hyperplanes themselves) and solves only the 2^(R-1) regions
/// around each edge where one component of F(z) - delta z vanishes; `solved` counts them.
/// Returns false (leaving `out` unspecified) when not applicable (R < 2, R > 8, normals not
/// spanning R^R) or when it meets a degenerate line (dependent normals, a line inside another
/// hyperplane) or a region holding a continuum. `monitor` is polled from the calling thread; a
/// stop throws after the parallel walk.
bool level_set_walk(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                    std::int64_t& solved, Monitor& monitor);
/// Box subdivision for R = D >= 2 (pl_subdivision.cpp): the far field by far_field_walk, then
/// boxes of a bound on G pruned down to leaves crossed by a few hyperplanes, solved exactly;
/// `solved` counts the regions solved. False, as level_set_walk, when not applicable or degenerate.
bool box_subdivision(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                     std::int64_t& solved, Monitor& monitor);
/// Calls `visit` once for the sign vector of every region, by vertex expansion: every region of
/// an arrangement whose normals span R^D has a vertex, and the regions at a vertex are among the
/// 2^|I| sign choices on its incident hyperplanes I (duplicates removed by hashing). Returns false
/// when a vertex had more than 24 incident hyperplanes (its regions were not expanded), or when
/// `stop` (asked every 256 vertices with the count so far) said stop: then *stopped is set.
bool for_each_region_by_vertices(const PlPrepared& P, const std::function<void(const std::vector<signed char>&)>& visit,
                                 const std::function<bool(std::int64_t)>& stop = {}, bool* stopped = nullptr);
/// Vertex expansion with duplicate removal, valid for any arrangement. Returns false when a
/// vertex had too many incident hyperplanes to expand (result incomplete).
bool vertex_expansion(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                      std::int64_t& visited);

/// Branch and bound over activation patterns for dense networks (pl_branch_bound.cpp): appends
/// the leaves' points, continua and undecided regions to `out` and fills `stats`. Stops at the
/// budget (o.max_nodes, o.time_limit: stats.budget_exhausted) or when `monitor` says stop (the
/// caller then calls monitor.check()). Returns false, doing nothing, when not applicable (A not
/// diagonal, delta - A_rr = 0, or a decreasing activation piece).
bool branch_and_bound(const PlPrepared& P, const PiecewiseLinearStructure& pl,
                      const PiecewiseLinearFixedPointOptions& o, CellOutput& out, PlBranchBoundStats& stats,
                      Monitor& monitor);

}  // namespace rnndyn::detail
