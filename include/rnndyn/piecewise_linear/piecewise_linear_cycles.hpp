#pragma once
/// Exact k-cycles of a discrete-time piecewise-linear map (the region logic of the fixed-point
/// search, applied to region k-tuples).
///
/// The map is z' = F(z) = A z + V phi(U z + c) + h (piecewise_linear.hpp, time == Map), affine
/// F_D(z) = M_D z + m_D in each region D of the hyperplane arrangement {U_i z + c_i = beta}. A
/// k-cycle is z_1, ..., z_k with z_{j+1} = F(z_j) (indices mod k) and minimal period k.
///
/// Methods (`method`).
///
///  - pruned (default): a depth-first search over region sequences D_1, D_2, ... that extends a
///    prefix only while the set S_j of initial points z_1 whose orbit follows it (z_1 in D_1,
///    F_{D_1} z_1 in D_2, ...) is non-empty. Emptiness is decided exactly: for R <= 2 by clipping
///    the forward image T_j = F_{D_{j-1}}(T_{j-1}) cap D_j (an affine image of S_j) as a
///    polyhedral cone in homogeneous coordinates (y, w), w >= 0, split into 2^R pointed orthant
///    cones, so that unbounded sets are handled exactly (no bounding box); for R >= 3 by a
///    Chebyshev linear program (dense simplex, Bland's rule) on the constraints of the prefix
///    pulled back to z_1. The children of a prefix are found by splitting its image by every
///    hyperplane in turn, so that only the regions the image meets are visited. Prefixes that
///    cannot begin the lexicographically smallest rotation of a tuple are cut by the
///    prenecklace rule (Fredricksen-Kessler-Maiorana), and at length k the cycle is closed as
///    in `tuples` below. Cost: proportional to the number of non-empty prefixes (itineraries of
///    length <= k that some orbit realises), typically polynomial in k for contracting maps
///    instead of |regions|^k.
///  - tuples: every region k-tuple (D_1, ..., D_k), one per cyclic class, is tested, with the
///    composite affine map
///
///      P z + q = F_{D_k} o ... o F_{D_1} (z),   P = M_{D_k} ... M_{D_1},
///
///    solving (P - I) z_1 = -q and accepting when z_1 lies in the closed region D_1, z_2 =
///    F_{D_1}(z_1) in D_2, ..., z_k in D_k (relative tolerance `region_tol`). Cost |regions|^k / k
///    systems; refused beyond `max_tuples` unless `force`. Kept as the reference of `pruned`.
///  - heuristic: SCYFI (Eisenmann et al., NeurIPS 2023): `outer_loops` random initial tuples
///    (every other one the itinerary of a random point's orbit); each tuple's cycle is solved,
///    and when its points lie in other regions the orbit's own region sequence is taken and
///    solved again, up to `inner_loops` times. Seeded (`seed`), sequential, reproducible; no
///    completeness guarantee (status "sampled").
///
/// Candidates are merged (same point set up to a cyclic shift, `dedup_tol`), points whose
/// minimal period is a proper divisor of k are dropped, and every cycle starts at its
/// lexicographically smallest point.
///
/// Guarantee (pruned and tuples, status "complete"). If z_1, ..., z_k is a k-cycle, each z_j lies
/// in some closed region D_j and F(z_j) = F_{D_j}(z_j) (phi is continuous), so every prefix of
/// (D_1, ..., D_k) has z_1 in S_j (never pruned: emptiness tests are relaxed by 10 region_tol +
/// 1e-12 relative and a set too thin to decide counts as non-empty) and z_1 solves the tuple's
/// system; when P - I is non-singular it is the unique solution and is found, when singular the
/// tuple is reported as a continuum (`continua`, `degenerate_tuples`). This holds up to the
/// tolerances (a cycle point more than `region_tol` outside its region is missed), assuming the
/// arrangement is enumerated completely (it is not only when a vertex has more than 24 incident
/// hyperplanes).
///
/// Budget (pruned). The search stops after `max_nodes` prefixes or `time_limit` seconds with
/// status "incomplete", the cycles found so far (found_by "exhaustive": they are exact cycles,
/// but others may exist), `unexplored_prefixes` (prefixes generated but not expanded, each the
/// root of an unsearched subtree) and `stopped_by`; unless `heuristic_on_budget` is false the
/// heuristic then runs on top, its extra cycles labelled found_by "heuristic". Within the budget
/// the result does not depend on the thread count; a run cut by the budget may. A stop request
/// (progress callback returning false, request_stop(), Ctrl-C in the CLI) throws Interrupted.
#include <cstdint>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn {

enum class PlCycleMethod {
  Pruned,     ///< exhaustive depth-first search over non-empty region-sequence prefixes
  Tuples,     ///< exhaustive test of every region k-tuple (the reference)
  Heuristic,  ///< SCYFI-style sampling of region tuples only (no guarantee)
};
std::string to_string(PlCycleMethod m);
/// "pruned", "tuples" or "heuristic"; InputError(field) otherwise.
PlCycleMethod parse_pl_cycle_method(const std::string& name, const std::string& field = "method");

struct PlCycleOptions {
  /// Minimal period k of the cycles sought, >= 1 (1 gives the fixed points). Default 2.
  int period = 2;
  /// pruned (default), tuples or heuristic (see the header comment).
  PlCycleMethod method = PlCycleMethod::Pruned;
  /// Method tuples: refuse searches with more than this many region tuples (sum_a (n - a)^(k-1)
  /// for n regions, about n^k / k) unless `force`; >= 1, default 1e8.
  std::int64_t max_tuples = 100'000'000;
  /// Search beyond max_tuples anyway (default false).
  bool force = false;
  /// Method pruned: stop after this many prefixes (status "incomplete"); >= 1, default 1e7.
  std::int64_t max_nodes = 10'000'000;
  /// Method pruned: stop after this many seconds (status "incomplete"); > 0 (inf: none),
  /// default 60. Listing the arrangement's regions, which the search needs first, counts against
  /// it (methods pruned and heuristic). The heuristic stops drawing initial tuples after time_limit seconds when it
  /// runs alone, and after 2 time_limit when it runs on top of a pruned search that used up its budget.
  double time_limit = 60.0;
  /// Run the heuristic on top when the pruned search stops on its budget (default true).
  bool heuristic_on_budget = true;
  /// Heuristic: random initial tuples (>= 0, default 200) and refinements of each (>= 1,
  /// default 50); seed of its random numbers (default 0).
  int outer_loops = 200;
  int inner_loops = 50;
  std::uint64_t seed = 0;
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
  /// Progress reports and stop requests; not part of the result's options JSON. Stages
  /// "cycles of period k: prefixes searched" (done = prefixes) and "heuristic cycles of period k:
  /// systems solved" (done = systems); found = candidate cycles so far (before merging).
  ProgressCallback progress;
  void validate() const;
};

/// The fields of the options (core/describe.hpp). Flags: those of fixed-points --cycles K. The
/// fields the cycle search shares with the exact fixed-point search (force, the budget, the
/// tolerances, stability) have none of their own: fixed-points sets them from the exact search's
/// flags (--force, --max-nodes, --region-tol, ...), and the period from --cycles, whose 1 means
/// the fixed points.
template <>
struct Description<PlCycleOptions> {
  using O = PlCycleOptions;
  static constexpr auto fields = std::make_tuple(
      field("period", &O::period, "Minimal period k of the cycles sought, >= 1 (1: the fixed points)"),
      enum_field("method", &O::method, &parse_pl_cycle_method,
                 "pruned (exhaustive over region sequences some orbit follows) | tuples (every region k-tuple) | "
                 "heuristic (SCYFI-style sampling, no guarantee)",
                 "--cycle-method"),
      field("max_tuples", &O::max_tuples, "Method tuples: refuse searches of more region tuples unless force, >= 1",
            "--max-tuples"),
      field("force", &O::force, "Search beyond max_tuples anyway"),
      field("max_nodes", &O::max_nodes, "Method pruned: budget of prefixes searched, >= 1"),
      field("time_limit", &O::time_limit, "Methods pruned and heuristic: budget in seconds, > 0 (inf: none)"),
      field("heuristic_on_budget", &O::heuristic_on_budget,
            "Run the heuristic on top when the pruned search stops on its budget", "!--no-heuristic"),
      field("outer_loops", &O::outer_loops, "Heuristic: initial region tuples, >= 0", "--outer-loops"),
      field("inner_loops", &O::inner_loops, "Heuristic: refinements of each tuple, >= 1", "--inner-loops"),
      field("seed", &O::seed, "Heuristic: seed of its random numbers", "--heuristic-seed"),
      field("region_tol", &O::region_tol, "Relative tolerance of the closed-region test, in [0, 1e-3]"),
      field("singular_tol", &O::singular_tol,
            "Relative pivot below which (P - I) is singular (continuum check), in (0, 1e-2]"),
      field("dedup_tol", &O::dedup_tol,
            "Cycles whose points agree up to a cyclic shift within this * max(1, |z|_inf) are one, in [0, 1e-2]"),
      field("max_continua", &O::max_continua, "At most this many continua are listed (all are counted), >= 0"),
      field("stability", &O::stability, "Stability thresholds of the multipliers"));
};

/// Which search found a cycle: the exhaustive one (pruned or tuples) or the heuristic.
enum class PlCycleSource { Exhaustive, Heuristic };
std::string to_string(PlCycleSource s);

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
  PlCycleSource found_by = PlCycleSource::Exhaustive;
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
  Complete,    ///< the exhaustive search finished: every cycle is listed
  Incomplete,  ///< the budget ran out, or a vertex had > 24 incident hyperplanes (regions missing)
  Sampled,     ///< method heuristic: the cycles found, no claim about others
};
std::string to_string(PlCycleStatus s);

struct PlCycles {
  PlCycleStatus status = PlCycleStatus::Complete;
  int period = 0;
  std::vector<PlCycle> cycles;  ///< sorted lexicographically by their first point
  std::vector<PlCycleContinuum> continua;
  std::int64_t regions = 0;  ///< regions of the arrangement
  PlCycleMethod method = PlCycleMethod::Pruned;
  std::int64_t tuples_examined = 0;      ///< region k-tuples whose system was solved (one per cyclic class)
  std::int64_t nodes_examined = 0;       ///< pruned: non-empty prefixes visited (leaves included)
  std::int64_t unexplored_prefixes = 0;  ///< pruned, on budget: prefixes generated but not expanded
  std::string stopped_by;                ///< "" or the budget that ended the search: "max_nodes", "time_limit"
  std::int64_t heuristic_solves = 0;     ///< heuristic: tuple systems solved (0 when it did not run)
  std::int64_t degenerate_tuples = 0;    ///< of those, singular consistent ones not shown to miss the regions
  Index hyperplanes = 0;                 ///< K, hyperplanes with a non-zero normal
  Index arrangement_rank = 0;            ///< dimension of the span of the normals
  /// Model-level search only (find_cycles(model, options)): the model, its time kind, the time taken.
  RunInfo info;
  PlCycleOptions options;  ///< the options it ran with
  std::string guarantee;   ///< what the result promises, in words
};

template <>
struct Description<PlCycle> {
  using C = PlCycle;
  static constexpr auto fields = std::make_tuple(
      field("period", &C::period, "k"), field("points", &C::points, "z_1, ..., z_k with z_{j+1} = F(z_j)"),
      field("patterns", &C::patterns, "Piece index of every unit at each point"),
      field("multipliers", &C::multipliers, "Eigenvalues of the monodromy, by decreasing modulus"),
      encoded(field("stability", &C::stability, "Its stability (JSON: the class)"), &to_json_class),
      encoded(field("stability_counts", &C::stability, "Its stability (JSON: the counts)"), &to_json_counts),
      field("residual", &C::residual, "max_j |F(z_j) - z_{j+1}|_inf"),
      field("on_boundary", &C::on_boundary, "Some point has a unit on a kink"),
      field("monodromy", &C::monodromy, "The Jacobian of F^k at z_1"),
      field("found_by", &C::found_by, "exhaustive or heuristic"));
};

template <>
struct Description<PlCycleContinuum> {
  using C = PlCycleContinuum;
  /// A line of periodic points also writes the interval of y inside the regions.
  static constexpr bool (*line)(const C&) = +[](const C& c) { return c.dimension == 1; };
  static constexpr auto fields = std::make_tuple(
      field("patterns", &C::patterns, "Piece indices of D_1, ..., D_k"),
      field("tuple_period", &C::tuple_period, "Smallest d with D_{j+d} = D_j"),
      field("dimension", &C::dimension, "Columns of basis"), field("origin", &C::origin, "Least-norm solution z_1"),
      encoded(field("basis", &C::basis, "Orthonormal null space of P - I (R x dimension; JSON: one column per row)"),
              &to_json_states),
      field("meets_regions", &C::meets_regions, "Known to meet the regions (witness given)"),
      encoded(field("witness", &C::witness, "A z_1 of the set whose orbit lies in the regions (JSON: null if none)"),
              &to_json_or_null),
      when(field("y_min", &C::y_min, "Dimension 1: the interval of y inside the regions, lower end"), line),
      when(field("y_max", &C::y_max, "Dimension 1: the interval of y inside the regions, upper end"), line));
};

template <>
struct Description<PlCycles> {
  using R = PlCycles;
  /// The model-level front door fills the run header, the options and the guarantee.
  static constexpr bool (*front_door)(const R&) = +[](const R& r) { return !r.info.model.empty(); };
  static constexpr auto fields = std::make_tuple(
      field("period", &R::period, "k"), field("status", &R::status, "complete, incomplete or sampled"),
      field("method", &R::method, "pruned, tuples or heuristic"),
      field("regions", &R::regions, "Regions of the arrangement"),
      field("tuples_examined", &R::tuples_examined, "Region k-tuples whose system was solved"),
      field("nodes_examined", &R::nodes_examined, "Pruned: non-empty prefixes visited"),
      field("unexplored_prefixes", &R::unexplored_prefixes, "Pruned, on budget: prefixes not expanded"),
      encoded(field("stopped_by", &R::stopped_by, "None, or the budget that ended the search"), &to_json_or_null),
      field("heuristic_solves", &R::heuristic_solves, "Heuristic: tuple systems solved"),
      field("degenerate_tuples", &R::degenerate_tuples, "Singular consistent tuples not shown to miss the regions"),
      field("hyperplanes", &R::hyperplanes, "K, hyperplanes with a non-zero normal"),
      field("arrangement_rank", &R::arrangement_rank, "Dimension of the span of the normals"),
      field("cycles", &R::cycles, "Sorted by their first point"),
      field("continua", &R::continua, "Continua of periodic points"),
      when(field("guarantee", &R::guarantee, "What the result promises, in words"), front_door),
      when(field("options", &R::options, "The options it ran with"), front_door));
  static constexpr bool (*run_info_when)(const R&) = front_door;
};

/// Every cycle of minimal period `period` (>= 1; 1 gives the fixed points) of the map `pl`, by
/// options.method (options.period is not used here). Throws InputError for invalid options,
/// period < 1, a flow (field "cycles": needs a discrete-time model), smooth units, or (method
/// tuples) more than max_tuples tuples without `force`; throws Interrupted (or the callback's
/// exception) when options.progress returns false (or throws) or request_stop() is called.
PlCycles find_cycles(const PiecewiseLinearStructure& pl, int period, const PlCycleOptions& options = {});

/// The front door of the k-cycle question: every cycle of minimal period options.period of a
/// discrete-time piecewise-linear model (by default the exhaustive pruned search). Throws
/// InputError (field "period") for a smooth model or a flow, and as the overload above.
PlCycles find_cycles(const Model& model, const PlCycleOptions& options);

}  // namespace rnndyn
