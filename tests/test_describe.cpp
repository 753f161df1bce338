// The descriptions of options and result structs (core/describe.hpp, issue 32): the JSON they
// generate, and that every validation error of a field a CLI flag sets names that field (so the
// CLI's field -> flag table, built from the same description, names the flag the user typed).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <type_traits>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/perturbation/perturbation.hpp"

namespace rnndyn {
namespace {

TEST(Describe, OptionsJsonHasEveryFieldUnderItsKeyWithTheCxxDefaults) {
  const nlohmann::json j = described_to_json(LyapunovOptions{});
  const std::set<std::string> keys{"x0",   "k",       "warmup",          "t_total", "interval",          "integrator",
                                   "dt",   "abs_tol", "rel_tol",         "blocks",  "bootstrap_samples", "confidence",
                                   "seed", "blowup",  "initial_tangents"};
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

/// Sets every flagged numeric field of a default S to each of a few values; whenever validate()
/// refuses one, the InputError must name that field's key (which the CLI maps to its flag).
/// Returns the number of fields with at least one refused value.
template <class S>
int check_errors_name_their_field() {
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
      if (!f.flag) return;
      bool refused = false;
      for (double v : values) {
        if (std::is_integral_v<T> && !(std::isfinite(v) && std::abs(v) < 1e9)) continue;
        if (std::is_unsigned_v<T> && v < 0) continue;  // seeds: no such value (the CLI refuses -1)
        S s{};
        s.*(f.member) = static_cast<T>(v);
        try {
          s.validate();
        } catch (const InputError& e) {
          refused = true;
          EXPECT_EQ(e.field(), f.key) << f.flag << " = " << v << ": " << e.what();
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
}

}  // namespace
}  // namespace rnndyn
