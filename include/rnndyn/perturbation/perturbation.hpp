#pragma once
/// Random perturbations of piecewise-linear networks, classified by their invariant set (seed 000).
///
/// Each sample perturbs the weights, W' = W + epsilon with epsilon_ij = scale * N(0, 1), or the
/// bias, b' = b + scale * N(0, 1) (or applies one given epsilon), and classifies the perturbed
/// network by the exact fixed-point enumeration of piecewise_linear/piecewise_linear_fixed_points.hpp
/// (never by simulation):
///   line                       a continuum of fixed points survives (possibly rotated or shifted)
///   one_fixed_point            a single fixed point with full support (every unit active)
///   single_boundary_point      a single fixed point with partial support
///   two_boundary_fixed_points  two fixed points, both with partial support
///   three_fixed_points         three isolated fixed points
///   two_fixed_points, no_fixed_point, other   (types outside the seed's list)
/// Shares come with Wilson score intervals.
///
/// Seed 000, Theorem 1 (bounded line attractor dx/dt = -x + relu(W' x + beta 1), W' = [[0,-1],[-1,0]]
/// + epsilon): `theorem1_seed` applies the seed's conditions as written (eqs. 7, 14, 15 and the
/// text around them); `theorem1_derived` the conditions re-derived here:
///   full-support fixed point  x = -A^{-1} beta 1 > 0,  A = W' - I  (eq. 13);
///   boundary point on x1 = 0  iff e22 > e12 (and e22 < 1): x2 = beta / (1 - e22) and unit 1
///     silent needs (e12 - 1) x2 + beta <= 0, i.e. e22 >= e12. The seed's eq. 14 has the
///     inequality reversed (it writes (e12 - 1) x2 + 1 >= 0 for z_1 < 0); likewise eq. 15;
///   line iff det A = 0 (eq. 7, v = 0).
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class PerturbTarget { Weights, Bias };
std::string to_string(PerturbTarget t);  ///< "weights" / "bias"
PerturbTarget parse_perturb_target(const std::string& name, const std::string& field = "target");

struct PerturbOptions {
  PerturbTarget target = PerturbTarget::Weights;
  /// Standard deviation of each perturbation entry, > 0 (ignored with `epsilon`).
  double scale = 0.1;
  /// Number of random perturbations, >= 1 (ignored with `epsilon`).
  int samples = 1000;
  std::uint64_t seed = 1;
  /// One given perturbation instead of random ones (dim x dim for weights, dim x 1 for the bias).
  Matrix epsilon;
  /// Confidence level of the Wilson intervals, in (0, 1).
  double confidence = 0.95;
  /// Keep every sample (epsilon, type, fixed points) in the result; default only the first 20.
  int keep_samples = 20;
  /// Reports (stage "perturb": share of the samples classified); returning false stops the run with Interrupted, as
  /// does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;
  void validate() const;
};

/// The fields of the options (core/describe.hpp). The CLI sets target by --weights / --bias and
/// epsilon by its own parser (a list of rows or a file); progress is no setting.
template <>
struct Description<PerturbOptions> {
  static constexpr auto fields = std::make_tuple(
      enum_field("target", &PerturbOptions::target, &parse_perturb_target, "'weights' (W) or 'bias' (b)"),
      field("scale", &PerturbOptions::scale, "Std of each perturbation entry, > 0", "--scale"),
      field("samples", &PerturbOptions::samples, "Number of random perturbations, >= 1", "--samples"),
      field("seed", &PerturbOptions::seed, "Seed of the random perturbations", "--seed"),
      field("epsilon", &PerturbOptions::epsilon, "One given perturbation instead of random ones (empty: random)"),
      field("confidence", &PerturbOptions::confidence, "Confidence level of the Wilson intervals, in (0, 1)",
            "--confidence"),
      field("keep_samples", &PerturbOptions::keep_samples, "Samples kept in full in the result, >= 0", "--keep"));
};

struct PerturbedFixedPoint {
  Vector x;
  std::string stability;
  bool full_support = false;
};

/// What the perturbed network still remembers of a value stored on the former line (issue 18):
///   kept    a continuum of fixed points (or a stable point with a marginal direction) holds it;
///   decays  the value relaxes onto a stable fixed point, its last component with the half-life
///           ln 2 / r, r the slowest decay rate there: min_i |Re lambda_i| for flows (per unit of
///           the model's time), -ln max_i |mu_i| for maps (per step); the longest half-life over
///           the stable fixed points (the best-kept memory);
///   none    no stable fixed point: stored values run off (or settle on no point).
/// For seed 000's eq. 8 perturbation (eigenvalues -0.3 and -2.1 at its one fixed point) the
/// half-life is ln 2 / 0.3 = 2.31 time constants. On a switching boundary the eigenvalues are
/// those of the point's region (one-sided).
enum class RemainingMemory { Kept, Decays, None };
std::string to_string(RemainingMemory m);  ///< "kept" / "decays" / "none"

struct PerturbSample {
  Matrix epsilon;
  std::string type;
  std::vector<PerturbedFixedPoint> fixed_points;
  RemainingMemory memory = RemainingMemory::None;
  /// ln 2 / r (see RemainingMemory): finite for decays, inf for kept, NaN for none.
  double half_life = std::numeric_limits<double>::quiet_NaN();
  std::string theorem1_seed;  ///< empty unless the model is the 2-unit bounded line attractor form
  std::string theorem1_derived;
};

struct TypeShare {
  long count = 0;
  double share = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  /// Counts by the stabilities of the type's fixed points (sorted, joined by " + "), e.g.
  /// "saddle + stable node + stable node"; splits e.g. a stable from an unstable origin.
  std::map<std::string, long> stability;
  /// Samples of the type by RemainingMemory ("kept", "decays", "none").
  std::map<std::string, long> memory;
  /// Median and quartiles of the finite half-lives of the type's samples (NaN when none decays).
  double half_life_median = std::numeric_limits<double>::quiet_NaN();
  double half_life_q25 = std::numeric_limits<double>::quiet_NaN();
  double half_life_q75 = std::numeric_limits<double>::quiet_NaN();
};

struct PerturbResult {
  RunInfo info;
  PerturbOptions options;  ///< the options it ran with
  long samples = 0;
  /// Share of samples with three fixed points (seed 000's headline number; 0 when none).
  double three_fixed_points_share = 0.0;
  std::map<std::string, TypeShare> types;
  std::vector<PerturbSample> kept;
  /// Theorem 1 check (2-unit rate models with weight perturbations only): how often each version
  /// of the conditions disagrees with the exact classification.
  bool theorem1_checked = false;
  long theorem1_seed_mismatches = 0;
  long theorem1_derived_mismatches = 0;
  std::vector<PerturbSample> theorem1_seed_counterexamples;  ///< up to 5
};

template <>
struct Description<PerturbedFixedPoint> {
  using P = PerturbedFixedPoint;
  static constexpr auto fields =
      std::make_tuple(field("x", &P::x, "The fixed point of the perturbed network"),
                      field("stability", &P::stability, "Its stability class"),
                      field("full_support", &P::full_support, "Every unit active (off every switching boundary)"));
};

template <>
struct Description<PerturbSample> {
  using P = PerturbSample;
  /// Theorem 1's verdicts exist only for the 2-unit bounded line attractor form.
  static constexpr bool (*checked)(const P&) = +[](const P& s) { return !s.theorem1_seed.empty(); };
  static constexpr auto fields = std::make_tuple(
      field("epsilon", &P::epsilon, "The perturbation"), field("type", &P::type, "The type it turns the network into"),
      field("memory", &P::memory, "What a value stored on the former line becomes: 'kept', 'decays' or 'none'"),
      field("half_life", &P::half_life,
            "ln 2 / (slowest decay rate) at the longest-kept stable fixed point; inf when kept, nan when none"),
      field("fixed_points", &P::fixed_points, "The perturbed network's fixed points"),
      when(field("theorem1_seed", &P::theorem1_seed, "Theorem 1's type by the seed's conditions"), checked),
      when(field("theorem1_derived", &P::theorem1_derived, "Theorem 1's type by the derived conditions"), checked));
};

template <>
struct Description<TypeShare> {
  using T = TypeShare;
  static constexpr auto fields =
      std::make_tuple(field("count", &T::count, "Samples of the type"), field("share", &T::share, "count / samples"),
                      field("ci_low", &T::ci_low, "Wilson interval of share, lower end"),
                      field("ci_high", &T::ci_high, "Wilson interval of share, upper end"),
                      field("stability", &T::stability, "Samples of the type by the stabilities of its fixed points"),
                      field("memory", &T::memory, "Samples of the type by what they remember: kept, decays, none"),
                      field("half_life_median", &T::half_life_median,
                            "Median of the finite half-lives of the type's samples (nan when none decays)"),
                      field("half_life_q25", &T::half_life_q25, "Lower quartile of those half-lives"),
                      field("half_life_q75", &T::half_life_q75, "Upper quartile of those half-lives"));
};

template <>
struct Description<PerturbResult> {
  using R = PerturbResult;
  static constexpr auto fields = std::make_tuple(
      field("samples", &R::samples, "Perturbations drawn"),
      field("types", &R::types, "Count, share and interval of each type"),
      field("three_fixed_points_share", &R::three_fixed_points_share, "Share of samples with three fixed points"),
      field("sample_list", &R::kept, "The samples kept in full (also .kept)"),
      when(
          group("theorem1", "Theorem 1's check (2-unit models, weight perturbations): its disagreements",
                field("seed_mismatches", &R::theorem1_seed_mismatches, "Samples the seed's conditions misclassify"),
                field("derived_mismatches", &R::theorem1_derived_mismatches,
                      "Samples the derived conditions misclassify"),
                field("seed_counterexamples", &R::theorem1_seed_counterexamples,
                      "Up to 5 samples the seed's conditions misclassify")),
          +[](const R& r) { return r.theorem1_checked; }),
      field("options", &R::options, "The options it ran with"),
      view(
          "target", "weights or bias (options.target)", +[](const R& r) { return to_string(r.options.target); }));
};

/// Wilson score interval of k successes in n trials at the given confidence.
std::pair<double, double> wilson_interval(long k, long n, double confidence);

/// The seed's and the derived Theorem-1 prediction for W' = [[0,-1],[-1,0]] + epsilon, beta > 0.
std::string theorem1_seed_prediction(const Matrix& epsilon);
std::string theorem1_derived_prediction(const Matrix& epsilon);

/// Throws InputError when the model is not piecewise linear, lacks W / b, or epsilon has the wrong shape.
PerturbResult perturb(const Model& model, const PerturbOptions& options);

}  // namespace rnndyn
