#pragma once
/// JSON encoding of limit-cycle results (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/periodic/limit_cycle.hpp"

namespace rnndyn {

/// Every field of the options under its own name (x0: [] when the model's start was used).
nlohmann::json to_json(const LimitCycleOptions& o);
/// {"status", "period", "x0", "amplitude", "x_min", "x_max", "section_unit", "section_level",
///  "section_point", "crossings", "period_change", "decay_per_period", "floquet_multipliers",
///  "trivial_multiplier_error", "monodromy", "options", "model", "time", "elapsed_seconds"}
nlohmann::json to_json(const LimitCycle& c);

}  // namespace rnndyn
