// The descriptions of options and result structs (core/describe.hpp, issue 32): the JSON they
// generate, and that every validation error of a field a CLI flag sets names that field (so the
// CLI's field -> flag table, built from the same description, names the flag the user typed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "rnndyn/basins/basins.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"
#include "rnndyn/reservoir/reservoir.hpp"
#include "rnndyn/reservoir/reservoir_analysis.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn {
namespace {

TEST(Describe, OptionsJsonHasEveryFieldUnderItsKeyWithTheCxxDefaults) {
  const nlohmann::json j = described_to_json(LyapunovOptions{});
  const std::set<std::string> keys{"x0",         "k",    "warmup",  "t_total",         "interval",
                                   "integrator", "dt",   "abs_tol", "rel_tol",         "blocks",
                                   "confidence", "seed", "blowup",  "initial_tangents"};
  std::set<std::string> got;
  for (const auto& [k, v] : j.items()) got.insert(k);
  EXPECT_EQ(got, keys);
  EXPECT_EQ(j["t_total"], 1000.0);
  EXPECT_EQ(j["integrator"], "dopri5");  // enums by their text
  EXPECT_EQ(j["seed"], 1);
  EXPECT_TRUE(j["x0"].is_array() && j["x0"].empty());
}

TEST(Describe, NonFiniteNumbersAreNullAndNestedStructsAreObjects) {
  LimitCycle c;
  c.period = std::numeric_limits<double>::infinity();
  c.floquet_multipliers = ComplexVector::Ones(2);
  const nlohmann::json j = described_to_json(c);
  EXPECT_TRUE(j["period"].is_null());
  EXPECT_EQ(j["floquet_multipliers"], nlohmann::json::parse("[[1.0, 0.0], [1.0, 0.0]]"));
  EXPECT_EQ(j["options"]["transient"], 2000.0);
  EXPECT_EQ(j["status"], "not_periodic");
}

/// Sets every flagged numeric field of `base` (valid; default: a default S) to each of a few
/// values; whenever validate() refuses one, the InputError must name that field's key (which the
/// CLI maps to its flag). `all_fields`: the fields without a flag too. Returns the number of
/// fields with at least one refused value.
template <class S>
int check_errors_name_their_field(const S& base = S{}, bool all_fields = false) {
  const double values[] = {-1.0,
                           -2.0,
                           0.0,
                           -1e300,
                           1e300,
                           std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()};
  int refusing = 0;
  for_each_field<S>([&](const auto& f) {
    using T = typename std::remove_cvref_t<decltype(f)>::Type;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      if (!f.flag && !all_fields) return;
      bool refused = false;
      for (double v : values) {
        if (std::is_integral_v<T> && !(std::isfinite(v) && std::abs(v) < 1e9)) continue;
        if (std::is_unsigned_v<T> && v < 0) continue;  // seeds: no such value (the CLI refuses -1)
        S s = base;
        s.*(f.member) = static_cast<T>(v);
        try {
          s.validate();
        } catch (const InputError& e) {
          refused = true;
          EXPECT_EQ(e.field(), f.key) << f.key << " = " << v << ": " << e.what();
        }
      }
      refusing += refused ? 1 : 0;
    }
  });
  return refusing;
}

TEST(Describe, EveryValidationErrorOfAFlaggedFieldNamesThatField) {
  // The counts: fields with a flag whose validation refuses some value (seed accepts any).
  EXPECT_EQ(check_errors_name_their_field<LyapunovOptions>(), 9);  // all but seed
  EXPECT_EQ(check_errors_name_their_field<LimitCycleOptions>(), 5);
  EXPECT_EQ(check_errors_name_their_field<PerturbOptions>(), 4);
  EXPECT_EQ(check_errors_name_their_field<LinearNetworkOptions>(), 1);
}

TEST(Describe, ContinuationOptionsErrorsNameTheirField) {
  ContinuationOptions c;
  c.parameter = "tau[1]";
  EXPECT_EQ(check_errors_name_their_field(c), 6);  // from, to, --step, --max-step, --max-points, --tol
  LimitCycleContinuationOptions lc;
  lc.parameter = "tau[1]";
  EXPECT_EQ(check_errors_name_their_field(lc), 9);  // and --samples, --hopf-offset, --map-period
  HopfCurveOptions h;
  h.parameter_x = "W[0,0]";
  h.parameter_y = "tau[1]";
  EXPECT_EQ(check_errors_name_their_field(h), 9);  // the box, the start, --step, --max-step, --max-points
  ParameterScanOptions s;
  s.parameter_x = "W[0,0]";
  s.parameter_y = "tau[1]";
  EXPECT_EQ(check_errors_name_their_field(s), 8);  // the box, the steps, --threads, --max-period
}

TEST(Describe, ContinuationOptionsJsonKeepsItsKeys) {
  // The keys the hand-written writers had (CLI JSON, Python to_dict and the report read them).
  const auto keys = [](const nlohmann::json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
  };
  EXPECT_EQ(keys(to_json(ContinuationOptions{})),
            (std::set<std::string>{"parameter", "from", "to", "initial_step", "max_step", "min_step", "max_points",
                                   "newton_tol", "max_newton", "fd_step", "max_norm", "locate_tol", "stability",
                                   "starts", "all_fixed_points"}));
  EXPECT_EQ(keys(to_json(LimitCycleContinuationOptions{})),
            (std::set<std::string>{"parameter", "from",       "to",          "start",      "initial_step", "max_step",
                                   "min_step",  "max_points", "newton_tol",  "max_newton", "fd_step",      "abs_tol",
                                   "rel_tol",   "samples",    "hopf_offset", "hopf_kick",  "collapse_tol", "max_period",
                                   "max_norm",  "search",     "map_period",  "locate_tol", "cycles"}));
  EXPECT_EQ(keys(to_json(HopfCurveOptions{})),
            (std::set<std::string>{"kind", "parameter_x", "parameter_y", "x_from", "x_to", "y_from", "y_to", "start_x",
                                   "start_y", "x0", "step", "max_step", "min_step", "tol", "max_points"}));
  EXPECT_EQ(keys(to_json(ParameterScanOptions{})),
            (std::set<std::string>{"parameter_x", "parameter_y", "x_from", "x_to", "y_from", "y_to", "x_steps",
                                   "y_steps", "threads", "fixed_points", "max_period", "cycles"}));
  const nlohmann::json c = to_json(LimitCycleContinuationOptions{});
  EXPECT_EQ(c["search"]["transient"], LimitCycleOptions{}.transient);  // nested described struct
  EXPECT_TRUE(c["cycles"].is_object());                                // nested hand-written to_json
  EXPECT_EQ(to_json(ContinuationOptions{})["max_points"], 5000);
}

TEST(Describe, ReservoirOptionsJsonKeepsItsKeysAndErrorsNameTheirField) {
  const nlohmann::json j = to_json(ReservoirExperimentOptions{});
  std::set<std::string> got;
  for (const auto& [k, v] : j.items()) got.insert(k);
  EXPECT_EQ(got, (std::set<std::string>{"mean_field", "N", "seed", "ridge", "dense_spectrum", "spectrum", "transient",
                                        "kick"}));
  EXPECT_EQ(j["mean_field"]["nyquist"]["initial_points"], 400);  // described, holding a described struct
  EXPECT_EQ(j["mean_field"]["activation"], "tanh");              // the part its description leaves to its to_json
  EXPECT_EQ(j["N"], 1000);
  // N, ridge, transient, kick (seed takes any value; the flags' names spell the keys).
  EXPECT_EQ(check_errors_name_their_field<ReservoirExperimentOptions>(), 4);
  // A transient too long for its sampling is --transient's error (it was "dt", which reservoir
  // has no flag for, and only after training).
  ReservoirExperimentOptions o;
  o.transient = 1e12;
  try {
    o.validate();
    ADD_FAILURE() << "a transient of 1e12 was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "transient") << e.what();
  }
  NyquistResult n;
  n.min_distance = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(to_json(n)["min_distance"].is_null());
}

std::set<std::string> keys_of(const nlohmann::json& j) {
  std::set<std::string> out;
  for (const auto& [k, v] : j.items()) out.insert(k);
  return out;
}

TEST(Describe, LinearizeOptionsKeepTheirKeysAndNameTheirFields) {
  const nlohmann::json j = to_json(LinearizeOptions{});
  EXPECT_EQ(keys_of(j), (std::set<std::string>{"stability", "kink_tol", "max_kink_units"}));
  EXPECT_EQ(keys_of(j["stability"]), (std::set<std::string>{"marginal_tol", "imag_tol"}));
  EXPECT_EQ(j["stability"]["marginal_tol"], 1e-9);
  EXPECT_EQ(check_errors_name_their_field<LinearizeOptions>(), 1);  // --kink-tol
  // The nested thresholds by their path, the key of the CLI's table (--marginal-tol).
  LinearizeOptions o;
  o.stability.marginal_tol = -1;
  try {
    o.validate();
    ADD_FAILURE() << "a negative marginal_tol was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "stability.marginal_tol");
  }
}

TEST(Describe, MeanFieldOptionsKeepTheirKeysWithTheActivationAsTwo) {
  MeanFieldOptions o;
  o.activation = Activation::from_name("relu", 0.25);
  const nlohmann::json j = to_json(o);
  EXPECT_EQ(keys_of(j), (std::set<std::string>{"g", "activation", "threshold", "targets", "feedback", "feedback_scale",
                                               "hermite_order", "feedback_order", "tol", "max_iter", "omegas",
                                               "n_omega", "omega_max", "nyquist"}));
  EXPECT_EQ(j["activation"], "relu");
  EXPECT_EQ(j["threshold"], 0.25);
  EXPECT_EQ(j["feedback"], "uniform");
  EXPECT_EQ(j["targets"], nlohmann::json::parse("[1.0]"));
  // g, feedback_scale, hermite_order, feedback_order, n_omega, omega_max.
  EXPECT_EQ(check_errors_name_their_field<MeanFieldOptions>(), 6);
}

TEST(Describe, BasinsOptionsKeepTheirKeysAndNameTheirFields) {
  const nlohmann::json j = to_json(BasinsOptions{});
  EXPECT_EQ(keys_of(j), (std::set<std::string>{"starts",        "fixed_points", "cycle_periods",  "cycle_time_limit",
                                               "ball_fraction", "extrapolate",  "max_time",       "check_interval",
                                               "abs_tol",       "rel_tol",      "blowup",         "record_fraction",
                                               "settle_tol",    "max_period",   "lyapunov_tol",   "confidence",
                                               "saddle_graph",  "saddle_eps",   "map_resolution", "map_lo",
                                               "map_hi"}));
  // The starts without the state matrices, which a result does not keep; basins' own default count.
  EXPECT_EQ(keys_of(j["starts"]), (std::set<std::string>{"count", "seed", "box_lo", "box_hi", "noise"}));
  EXPECT_EQ(j["starts"]["count"], 1000);
  EXPECT_EQ(j["fixed_points"]["method"], "auto");  // nested hand-written to_json
  // Every flagged number refuses some value (cycle_periods ... map_resolution).
  EXPECT_EQ(check_errors_name_their_field<BasinsOptions>(), 14);
}

TEST(Describe, FixedPointOptionsKeepTheirKeysAndNameTheirFields) {
  const nlohmann::json j = to_json(FixedPointOptions{});
  EXPECT_EQ(keys_of(j), (std::set<std::string>{"method", "exact", "numeric", "starts", "interval", "max_rank",
                                               "numeric_fallback"}));
  // The exact search's options without their method, which the front door's `method` sets.
  EXPECT_EQ(keys_of(j["exact"]),
            (std::set<std::string>{"brute_max_log2", "force", "region_tol", "singular_tol", "dedup_tol", "seed",
                                   "skip_eigen", "stability", "max_nodes", "time_limit", "projection_factor"}));
  EXPECT_EQ(keys_of(j["interval"]), (std::set<std::string>{"lo", "hi", "min_width", "max_boxes", "newton_tol"}));
  EXPECT_EQ(j["method"], "auto");
  EXPECT_EQ(j["exact"]["max_nodes"], 2'000'000);
  EXPECT_EQ(j["exact"]["stability"]["marginal_tol"], 1e-9);
  EXPECT_EQ(j["interval"]["max_boxes"], 2'000'000);
  EXPECT_TRUE(j["interval"]["lo"].is_array() && j["interval"]["lo"].empty());
  EXPECT_EQ(j["numeric_fallback"], true);
  // brute_max_log2, region_tol, singular_tol, dedup_tol, max_nodes, time_limit, projection_factor.
  EXPECT_EQ(check_errors_name_their_field<PiecewiseLinearFixedPointOptions>(), 7);
  EXPECT_EQ(check_errors_name_their_field<FixedPointOptions>(), 1);  // --max-rank
  // A nested field by its path, the key of the CLI's table (exact.region_tol -> --region-tol).
  FixedPointOptions o;
  o.exact.region_tol = -1;
  try {
    o.validate();
    ADD_FAILURE() << "a negative region_tol was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "exact.region_tol");
  }
}

TEST(Describe, CycleOptionsKeepTheirKeysAndNameTheirFields) {
  const nlohmann::json j = to_json(PlCycleOptions{});
  EXPECT_EQ(keys_of(j),
            (std::set<std::string>{"period", "method", "max_tuples", "force", "max_nodes", "time_limit",
                                   "heuristic_on_budget", "outer_loops", "inner_loops", "seed", "region_tol",
                                   "singular_tol", "dedup_tol", "max_continua", "stability"}));
  EXPECT_EQ(j["method"], "pruned");
  EXPECT_EQ(j["max_tuples"], 100'000'000);
  PlCycleOptions unbounded;
  unbounded.time_limit = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(to_json(unbounded)["time_limit"].is_null());        // inf: no budget
  EXPECT_EQ(check_errors_name_their_field<PlCycleOptions>(), 3);  // --max-tuples, --outer-loops, --inner-loops
}

TEST(Describe, ReservoirNetworkAndTrainingErrorsNameTheirField) {
  EXPECT_EQ(check_errors_name_their_field(ReservoirOptions{}, true), 4);  // N, g, feedback_scale, tau
  // ridge, damping, max_iterations, newton_switch, max_newton, tol
  EXPECT_EQ(check_errors_name_their_field(TrainingOptions{}, true), 6);
}

// A result whose keys depend on the run (when, encoded, group; lists and maps of described structs).
struct Part {
  int a = 0;
};

struct Whole {
  std::vector<Part> parts{{1}, {2}};
  std::map<std::string, Part> by_name{{"x", {3}}};
  Matrix states = Matrix::Zero(2, 1);  // one state per column
  bool has_extra = false;
  double extra = 4;
  Index n = 5;
  double share = 0.5;
};

}  // namespace

template <>
struct Description<Part> {
  static constexpr auto fields = std::make_tuple(field("a", &Part::a, "A number"));
};

template <>
struct Description<Whole> {
  using W = Whole;
  static constexpr auto fields = std::make_tuple(
      field("parts", &W::parts, "A list"), field("by_name", &W::by_name, "A map"),
      encoded(field("states", &W::states, "States, one per row"), &to_json_states),
      when(
          field("extra", &W::extra, "Only with has_extra"), +[](const W& w) { return w.has_extra; }),
      group("counts", "Two members under one key", field("n", &W::n, "A count"), field("share", &W::share, "A share")),
      view(
          "first", "The first part's number (a view)", +[](const W& w) { return w.parts.front().a; }),
      when(
          view(
              "extra_copy", "extra again, only with has_extra", +[](const W& w) { return w.extra; }),
          +[](const W& w) { return w.has_extra; }));
};

namespace {

TEST(Describe, ResultKeysThatDependOnTheRun) {
  Whole w;
  nlohmann::json j = described_to_json(w);
  EXPECT_EQ(j["parts"], nlohmann::json::parse(R"([{"a": 1}, {"a": 2}])"));
  EXPECT_EQ(j["by_name"], nlohmann::json::parse(R"({"x": {"a": 3}})"));
  EXPECT_EQ(j["states"], nlohmann::json::parse("[[0.0, 0.0]]"));
  EXPECT_FALSE(j.contains("extra"));
  EXPECT_EQ(j["counts"], nlohmann::json::parse(R"({"n": 5, "share": 0.5})"));
  EXPECT_EQ(j["first"], 1);
  EXPECT_FALSE(j.contains("extra_copy"));
  w.has_extra = true;
  w.parts.front().a = 7;
  j = described_to_json(w);
  EXPECT_EQ(j["extra"], 4.0);
  EXPECT_EQ(j["extra_copy"], 4.0);
  EXPECT_EQ(j["first"], 7);
}

struct Inner {
  int a = 1;
  std::vector<int> list{1, 2};
};

struct Other {
  int b = 2;
};

struct Flat {
  std::optional<Inner> inner;
  Other other;
  std::optional<Other> missing;
  std::string name = "flat";
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> grid =
      Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>::Zero(2, 3);
};

}  // namespace

template <>
struct Description<Inner> {
  static constexpr auto fields =
      std::make_tuple(field("a", &Inner::a, "A number"), field("list", &Inner::list, "A list"));
};

template <>
struct Description<Other> {
  static constexpr auto fields = std::make_tuple(field("b", &Other::b, "Another number"));
};

template <>
struct Description<Flat> {
  using F = Flat;
  static constexpr auto fields =
      std::make_tuple(merged(field("inner", &F::inner, "A part, its keys at the top where set")),
                      merged(field("other", &F::other, "A part that is always there")),
                      merged(field("missing", &F::missing, "A part never set")),
                      field("name", &F::name, "A key of its own"), field("grid", &F::grid, "An integer grid, as rows"),
                      view(
                          "maybe", "A view written only where it has a value",
                          +[](const F& f) { return f.inner ? std::optional<int>(f.inner->a) : std::nullopt; }));
};

namespace {

TEST(Describe, MergedPartsWriteTheirKeysAtTheTop) {
  Flat f;
  nlohmann::json j = described_to_json(f);
  // no inner part: neither its keys nor its own key; the other part's key at the top
  EXPECT_EQ(j, nlohmann::json::parse(R"({"b": 2, "name": "flat", "grid": [[0, 0, 0], [0, 0, 0]]})"));
  f.inner = Inner{};
  f.grid(1, 2) = 5;
  j = described_to_json(f);
  EXPECT_EQ(j, nlohmann::json::parse(
                   R"({"a": 1, "list": [1, 2], "b": 2, "name": "flat", "grid": [[0, 0, 0], [0, 0, 5]], "maybe": 1})"));
  EXPECT_FALSE(j.contains("inner"));
  EXPECT_FALSE(j.contains("missing"));
  std::size_t n_merged = 0;
  for_each_field<Flat>([&](const auto& d) {
    if constexpr (MergedDescriptor<std::remove_cvref_t<decltype(d)>>) ++n_merged;
  });
  EXPECT_EQ(n_merged, 3u);
}

}  // namespace
}  // namespace rnndyn
