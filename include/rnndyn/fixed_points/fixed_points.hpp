#pragma once
/// The front door of the fixed-point question: every fixed point of a model,
///
///   flows (dx/dt = F(x)):  F(x*) = 0,        maps (x' = F(x)):  F(x*) = x*,
///
/// with its eigenvalues and stability class. find_fixed_points(model, options) picks the method
/// (the CLI and Python call only this):
///  - exact enumeration over the hyperplane arrangement (seed 001) for piecewise-linear models,
///    in their latent space when they have a latent reduction (low-rank W = U V^T), or branch and
///    bound over activation patterns for dense ones (piecewise_linear_fixed_points.hpp);
///    guarantee: every isolated fixed point and every continuum, up to the stated tolerances,
///    when the status is complete; a branch-and-bound budget ends with status incomplete, and
///    then (numeric_fallback) the numeric finder's extra points are appended, found_by "numeric";
///  - numeric multi-start local search (Powell's dogleg, then Levenberg-Marquardt) on
///    q(x) = 1/2 |R(x)|^2 for smooth models, from starts drawn here (box, trajectory states plus
///    noise, or given states), so that a seed means the same thing in the CLI, Python and C++;
///    guarantee: none (points outside the basins of the starts can be missed), slow points
///    reported;
///  - interval: the certified latent box search of low-rank smooth networks (bisection with
///    Krawczyk tests), complete in its box; Auto takes it for tanh and sigmoid networks of latent
///    rank <= 2 when no numeric starts (box, data, initial states) were configured.
#include <cstdint>
#include <optional>
#include <string>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/fixed_points/low_rank_fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn {

enum class FixedPointMethod {
  Auto,         ///< exact for piecewise-linear models, interval for low-rank tanh/sigmoid ones, else numeric
  Brute,        ///< exact: every activation pattern
  Arrangement,  ///< exact: the regions of the hyperplane arrangement
  LevelSet,     ///< exact, R >= 2: only regions where one component of the residual can vanish
  Subdivision,  ///< exact, R >= 2: boxes of the latent space pruned by a bound on the residual
  BranchBound,  ///< exact, dense networks: branch and bound over activation patterns, with a budget
  Numeric,      ///< multi-start local search (dogleg, then Levenberg-Marquardt)
  Interval,     ///< certified latent box search of low-rank smooth networks
};
std::string to_string(FixedPointMethod m);
/// Parses auto|brute|arrangement|level_set|subdivision|branch_bound|numeric|interval; throws InputError naming `field`.
FixedPointMethod parse_fixed_point_method(const std::string& name, const std::string& field = "method");

/// Where the numeric finder starts. Precedence: `initial_states` (every one solved, in order),
/// else a pool of `count` rows drawn from `data` with Gaussian `noise`, else `count` states uniform
/// in the box; in the last two cases the model's trained states (Model::trained_states(), a
/// trained reservoir's x_1..x_M) are solved first, ahead of the pool; the search takes the pool in rounds of
/// numeric.batch and stops early when numeric.patience rounds add nothing (numeric_fixed_points.hpp).
struct StartOptions {
  /// Size of the pool of drawn starts: the most random starts the search solves, >= 1. Default
  /// 4096 (a network with few fixed points stops after a few rounds of 64).
  int count = 4096;
  /// Seed of the mt19937_64 that draws the starts (results do not depend on threads). Default 0.
  std::uint64_t seed = 0;
  /// Box of uniform starts, per dimension (length dim) or one value for all (length 1); empty
  /// (default): [-1, 1]. lo < hi. Not together with `data` or `initial_states`.
  Vector box_lo, box_hi;
  /// States the network visits (rows, dim columns), e.g. trajectories: starts are drawn from them
  /// and they are the reference of outlier removal. Default empty.
  Matrix data;
  /// Standard deviation of the Gaussian noise added to states drawn from `data`, >= 0. Default 0.
  double noise = 0.0;
  /// Exact starts, one per row (dim columns); when given, `count` is ignored and, without `data`,
  /// they are the outlier reference. Default empty.
  Matrix initial_states;
};

/// The fields of the starts (core/describe.hpp) that a result keeps and its JSON shows; the box
/// has its own CLI parser (--box), and the state matrices (data, initial_states: files on the
/// command line, arrays in Python) are inputs a result does not keep, bound by hand.
template <>
struct Description<StartOptions> {
  using O = StartOptions;
  static constexpr auto fields = std::make_tuple(
      field("count", &O::count,
            "Number of starts drawn (from the box or the data): the most random starts solved, >= 1", "--starts"),
      field("seed", &O::seed, "Seed of the mt19937_64 drawing the starts (results do not depend on threads)", "--seed"),
      field("box_lo", &O::box_lo, "Lower box corner of uniform starts (length dim or 1; empty: -1)"),
      field("box_hi", &O::box_hi, "Upper box corner of uniform starts (length dim or 1; empty: 1)"),
      field("noise", &O::noise, "Std of the Gaussian noise added to states drawn from data, finite, >= 0", "--noise"));
};

struct FixedPointOptions {
  /// Method, default Auto (see FixedPointMethod).
  FixedPointMethod method = FixedPointMethod::Auto;
  /// Tolerances and limits of the exact enumeration (its `method` field is set from `method`).
  PiecewiseLinearFixedPointOptions exact;
  /// The numeric finder's tolerances (q_tol, dedup_tol, outlier_distance, ...).
  NumericFixedPointOptions numeric;
  /// The numeric finder's starts.
  StartOptions starts;
  /// The interval search: its latent box (empty: the a-priori bound) and limits.
  LowRankSearchOptions interval;
  /// Largest latent rank the interval search accepts, in [1, 8]. Default 4.
  int max_rank = 4;
  /// When an exact search ends incomplete on its budget, run the numeric finder too and add the
  /// points it finds that the exact search did not (labelled found_by "numeric"). Default true.
  bool numeric_fallback = true;
  /// Progress reports and interruption of long runs (core/progress.hpp; not serialised).
  ProgressCallback progress;
  /// Throws InputError naming the field (e.g. "starts.count") when a value is out of range.
  void validate() const;
};

/// The fields of the options (core/describe.hpp); the nested searches' flags come from their own
/// descriptions (exact: --force, --region-tol, ...; numeric: --q-tol, ...; starts: --starts,
/// --seed, --noise). progress is no setting.
template <>
struct Description<FixedPointOptions> {
  using O = FixedPointOptions;
  static constexpr auto fields = std::make_tuple(
      enum_field("method", &O::method, &parse_fixed_point_method,
                 "auto | brute (every activation pattern) | arrangement (regions of the hyperplane arrangement only) "
                 "| level_set (only regions where F can vanish) | subdivision (latent boxes pruned by a bound on F, "
                 "exact leaves) | branch_bound (dense networks: pruned search over activation patterns, with a "
                 "budget) | numeric (multi-start dogleg / Levenberg-Marquardt) | interval (low-rank smooth networks, "
                 "certified)",
                 "--method"),
      field("exact", &O::exact, "ExactOptions of the exact enumeration (piecewise-linear models)"),
      field("numeric", &O::numeric, "NumericOptions of the numeric finder"),
      field("starts", &O::starts, "StartOptions: where the numeric finder starts"),
      field("interval", &O::interval, "IntervalOptions of the certified latent box search (method interval)"),
      field("max_rank", &O::max_rank, "Largest latent rank the interval method accepts, in [1, 8]", "--max-rank"),
      field("numeric_fallback", &O::numeric_fallback,
            "When branch and bound ends on its budget, add the numeric finder's points (found_by numeric)",
            "!--no-numeric-fallback"));
};

enum class FixedPointStatus {
  Complete,    ///< every fixed point was found (exact enumeration; interval search without undecided boxes)
  Incomplete,  ///< a complete method could not finish (undecided regions or boxes, listed in the result)
  Sampled,     ///< numeric multi-start search: no completeness claim
};
std::string to_string(FixedPointStatus s);

/// How the numeric starts were drawn (a summary for the result).
struct StartsUsed {
  std::string from;     ///< "box", "data" or "given"
  Index n_starts = 0;   ///< every start, the trained states included
  Index n_trained = 0;  ///< the model's trained states among them (the first rows)
  Index n_data = 0;     ///< rows of data (0 without)
  Vector box_lo, box_hi;
  std::uint64_t seed = 0;  ///< the seed they were drawn from (StartOptions::seed)
  double noise = 0.0;      ///< the noise added to data rows (StartOptions::noise)
};

/// The starts' keys (core/describe.hpp), which FixedPointResult writes at its top (merged):
/// the seed, the count, and under initial_states where they came from (the box's corners for
/// box starts, the data's rows and noise for data starts).
template <>
struct Description<StartsUsed> {
  using U = StartsUsed;
  static bool with_trained(const U& u) { return u.n_trained > 0; }
  static bool from_box(const U& u) { return u.from == "box"; }
  static bool from_data(const U& u) { return u.from == "data"; }
  static constexpr auto fields = std::make_tuple(
      field("seed", &U::seed, "Seed of the mt19937_64 that drew the starts"),
      field("n_starts", &U::n_starts, "Every start, the trained states included"),
      group("initial_states", "Where the starts came from", field("from", &U::from, "'box', 'data' or 'given'"),
            field("n_states", &U::n_starts, "Every start"),
            when(field("n_trained", &U::n_trained, "The model's trained states among them (solved first)"),
                 &with_trained),
            when(field("lo", &U::box_lo, "Lower corner of the box"), &from_box),
            when(field("hi", &U::box_hi, "Upper corner of the box"), &from_box),
            when(field("n_data", &U::n_data, "Rows of data"), &from_data),
            when(field("noise", &U::noise, "Noise added to the data rows"), &from_data)));
};

/// One result for every method: the common header, then the method's own part.
struct FixedPointResult {
  FixedPointMethod method = FixedPointMethod::Auto;  ///< the method actually used (never Auto)
  FixedPointStatus status = FixedPointStatus::Complete;
  std::string guarantee;  ///< what the result promises, in words
  RunInfo info;
  FixedPointOptions options;  ///< the options it ran with (the data matrices are not kept)
  /// Exact methods: points (x, pattern, eigenvalues, stability), continua, region counts.
  std::optional<PiecewiseLinearFixedPoints> exact;
  /// Numeric and interval: points (x, q, eigenvalues, stability, unstable directions), slow points.
  std::optional<NumericFixedPointResult> numeric;
  std::optional<StartsUsed> starts;  ///< numeric only
  /// Interval only: boxes, latent zeros kappa (one per numeric->fixed_points entry), certificates.
  std::optional<LowRankSearchResult> interval;
  Index latent_rank = 0;  ///< interval only
};

/// Its keys (core/describe.hpp): one flat object, the method's parts merged at the top (exact:
/// points, continua, regions; numeric: points, slow points and manifolds, memories and, from a
/// search, its summary; starts: seed and initial_states; interval: its box, boxes and rank; the
/// interval's points are the numeric part's, with kappa and certified), then the header. The JSON
/// adds the run info (add_run_info).
template <>
struct Description<FixedPointResult> {
  using R = FixedPointResult;
  static bool has_interval(const R& r) { return r.interval.has_value(); }
  static constexpr auto fields = std::make_tuple(
      merged(field("exact", &R::exact,
                   "Exact methods' part: points (x, pattern, eigenvalues, stability), continua, region counts "
                   "(None: another method)")),
      merged(field("numeric", &R::numeric,
                   "Numeric and interval methods' part: points, slow points, slow manifolds, memories, the search "
                   "(None: an exact method)")),
      merged(field("starts", &R::starts, "How the numeric starts were drawn (None: not the numeric method)")),
      merged(
          field("interval", &R::interval, "Interval method's part: box, boxes, certificates (None: another method)")),
      when(field("rank", &R::latent_rank, "Latent rank of the interval search"), &has_interval),
      field("method", &R::method, "The method used (never auto)"),
      field("status", &R::status, "'complete', 'incomplete' or 'sampled'"),
      field("guarantee", &R::guarantee, "What the result promises, in words"),
      field("options", &R::options, "The options it ran with"));
};

/// Every fixed point of `model` (see the header comment). Throws InputError for invalid options
/// or a method that does not apply to the model (exact methods on smooth models, ...).
FixedPointResult find_fixed_points(const Model& model, const FixedPointOptions& options);

/// The starts the numeric method would use (dim columns), drawn from options.starts.
Matrix draw_starts(const StartOptions& starts, Index dim, StartsUsed* used = nullptr);

}  // namespace rnndyn
