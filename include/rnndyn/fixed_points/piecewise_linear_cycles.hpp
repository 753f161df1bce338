#pragma once
/// Exact k-cycles of a discrete-time piecewise-linear map (the region logic of the fixed-point
/// search, applied to region k-tuples).
///
/// The map is z' = F(z) = A z + V phi(U z + c) + h (piecewise_linear.hpp, time == Map), affine
/// F_D(z) = M_D z + m_D in each region D of the hyperplane arrangement {U_i z + c_i = beta}. A
/// k-cycle is z_1, ..., z_k with z_{j+1} = F(z_j) (indices mod k) and minimal period k.
///
/// Method. The regions of the arrangement are listed once (every region of an arrangement whose
/// normals span their space has a vertex; all sign patterns around every vertex are collected,
/// duplicates removed). Then every region k-tuple (D_1, ..., D_k), one per cyclic class (the
/// tuple must be the lexicographically smallest of its rotations), is tested exactly: with the
/// composite affine map
///
///   P z + q = F_{D_k} o ... o F_{D_1} (z),   P = M_{D_k} ... M_{D_1},
///
/// solve (P - I) z_1 = -q and accept when z_1 lies in the closed region D_1, z_2 = F_{D_1}(z_1)
/// in D_2, ..., z_k in D_k (relative tolerance `region_tol`, as the fixed-point search). The
/// composite maps are built incrementally along a depth-first search over the tuple's prefix.
/// Candidates are merged (same point set up to a cyclic shift, `dedup_tol`), points whose minimal
/// period is a proper divisor of k are dropped, and every cycle starts at its lexicographically
/// smallest point.
///
/// Guarantee. The search is exhaustive: if z_1, ..., z_k is a k-cycle, each z_j lies in some
/// closed region D_j and F(z_j) = F_{D_j}(z_j) (phi is continuous), so z_1 solves the tuple's
/// system; when P - I is non-singular it is the unique solution and is found, when it is
/// singular the tuple is reported as a continuum (`continua`, `degenerate_tuples`) instead of
/// being dropped. This holds exactly up to the tolerances (a cycle point more than `region_tol`
/// outside its region is missed, crossings of hyperplanes closer than 1e-9 relative count as one
/// vertex), assuming the arrangement is enumerated completely (`status == Complete`; it is
/// Incomplete only when a vertex has more than 24 incident hyperplanes). The cost is
/// |regions|^k / k tuples, |regions| = sum_{r <= R} C(K, r) for K hyperplanes in general
/// position, each an R x R composite product and solve: practical for small R and k. SCYFI
/// (Eisenmann et al. 2023) samples the same region tuples heuristically (random initial
/// tuples refined by iterating the map) and gives no completeness guarantee; this search
/// examines every tuple, so "no cycle reported" means none exists (up to the tolerances).
#include <cstdint>
#include <string>
#include <vector>

#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn {

struct PlCycleOptions {
  /// Minimal period k of the cycles sought, >= 1 (1 gives the fixed points). Default 2.
  int period = 2;
  /// Refuse searches with more than this many region tuples (sum_a (n - a)^(k-1) for n regions,
  /// about n^k / k) unless `force`; >= 1, default 1e8 (roughly tens of seconds for R = 2).
  std::int64_t max_tuples = 100'000'000;
  /// Search beyond max_tuples anyway (default false).
  bool force = false;
  /// Relative tolerance of the closed-region test s_k (n_k . z + o_k) >= -region_tol * scale_k,
  /// scale_k = |n_k|_1 |z|_inf + |o_k|, as in the fixed-point search. In [0, 1e-3], default 1e-9.
  double region_tol = 1e-9;
  /// Relative pivot below which (P - I) counts as singular (a continuum of periodic points is
  /// examined). In (0, 1e-2], default 1e-10.
  double singular_tol = 1e-10;
  /// Two cycles are one when their points agree up to a cyclic shift within
  /// dedup_tol * max(1, |z|_inf) (max norm); points closer than that are one point when testing
  /// the minimal period. In [0, 1e-2], default 1e-8.
  double dedup_tol = 1e-8;
  /// At most this many continua are listed (all are counted in degenerate_tuples); >= 0,
  /// default 1000.
  int max_continua = 1000;
  /// Stability thresholds of the multipliers (maps: ||mu| - 1| <= marginal_tol is marginal).
  StabilityOptions stability;
  void validate() const;
};

/// One isolated k-cycle, starting at its lexicographically smallest point.
struct PlCycle {
  int period = 0;
  std::vector<Vector> points;  ///< z_1, ..., z_k with z_{j+1} = F(z_j)
  /// Piece index of every unit at each point (pattern_at: a unit exactly on a kink takes the
  /// left piece, as the fixed-point search).
  std::vector<std::vector<int>> patterns;
  /// M_{D_k} ... M_{D_1}: the Jacobian of F^k at z_1 (region Jacobians of `patterns`).
  Matrix monodromy;
  /// Eigenvalues of `monodromy` (Floquet multipliers), sorted by decreasing modulus.
  ComplexVector multipliers;
  Stability stability;
  /// max_j |F(z_j) - z_{j+1}|_inf, evaluated directly with PiecewiseLinearStructure::evaluate.
  double residual = 0.0;
  /// True when some point has a unit within region_tol of a kink (the multipliers are then those
  /// of the left-piece regions; F^k is not differentiable there).
  bool on_boundary = false;
};

/// A region tuple whose system (P - I) z_1 = -q is singular but consistent: its solutions are
/// the affine set origin + basis y (z_1 coordinates), of which the part whose orbit stays in the
/// tuple's closed regions consists of periodic points of period dividing k (a continuum of
/// cycles, or of points of a shorter period when tuple_period < k).
struct PlCycleContinuum {
  std::vector<std::vector<int>> patterns;  ///< piece indices of D_1, ..., D_k
  int tuple_period = 0;                    ///< smallest d with D_{j+d} = D_j for all j
  Index dimension = 0;                     ///< columns of basis
  Vector origin;                           ///< least-norm solution z_1
  Matrix basis;                            ///< R x dimension, orthonormal null space of P - I
  /// True when the set is known to meet the regions (witness given). Dimension 1 is decided
  /// exactly (tuples whose line misses the regions are not reported); for dimension >= 2 the
  /// least-norm point is tested and false means "not decided".
  bool meets_regions = false;
  Vector witness;      ///< a z_1 of the set whose orbit lies in the regions (when meets_regions)
  double y_min = 0.0;  ///< dimension 1: the interval of y inside the regions (may be +-inf)
  double y_max = 0.0;
};

enum class PlCycleStatus {
  Complete,    ///< every region and every region tuple was examined
  Incomplete,  ///< a vertex had more than 24 incident hyperplanes; some regions may be missing
};
std::string to_string(PlCycleStatus s);

struct PlCycles {
  PlCycleStatus status = PlCycleStatus::Complete;
  int period = 0;
  std::vector<PlCycle> cycles;  ///< sorted lexicographically by their first point
  std::vector<PlCycleContinuum> continua;
  std::int64_t regions = 0;            ///< regions of the arrangement
  std::int64_t tuples_examined = 0;    ///< region k-tuples whose system was solved (one per cyclic class)
  std::int64_t degenerate_tuples = 0;  ///< of those, singular consistent ones not shown to miss the regions
  Index hyperplanes = 0;               ///< K, hyperplanes with a non-zero normal
  Index arrangement_rank = 0;          ///< dimension of the span of the normals
  /// Model-level search only (find_cycles(model, options)): the model, its time kind, the time taken.
  RunInfo info;
  PlCycleOptions options;  ///< the options it ran with
  std::string guarantee;   ///< what the result promises, in words
};

/// Every cycle of minimal period `period` (>= 1; 1 gives the fixed points) of the map `pl`.
/// Throws InputError for invalid options, period < 1, a flow (field "cycles": needs a
/// discrete-time model), smooth units, or more than max_tuples tuples without `force`.
PlCycles find_cycles(const PiecewiseLinearStructure& pl, int period, const PlCycleOptions& options = {});

/// The front door of the k-cycle question: every cycle of minimal period options.period of a
/// discrete-time piecewise-linear model (exhaustive over region k-tuples). Throws InputError
/// (field "period") for a smooth model or a flow.
PlCycles find_cycles(const Model& model, const PlCycleOptions& options);

}  // namespace rnndyn
