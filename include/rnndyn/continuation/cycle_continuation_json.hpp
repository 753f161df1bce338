#pragma once
/// JSON encoding of limit-cycle continuation results (field names as docs/continuation.md lists them).
#include <nlohmann/json.hpp>

#include "rnndyn/continuation/cycle_continuation.hpp"

namespace rnndyn {

/// {"parameter", "branches": [{"status", "source", "source_p", "start_p", "start_status", "points": [{"p",
/// "period", "x", "floquet_multipliers", "trivial_multiplier_error", "stable", "x_min", "x_max",
/// "residual"}]}], "bifurcations": [{"type", "parameter" (its value), "period", "branch",
/// "point_index"}], "hopf_points", "message", "options", "model", "time", "elapsed_seconds"}.
nlohmann::json to_json(const LimitCycleContinuationResult& r);
nlohmann::json to_json(const LimitCycleContinuationOptions& o);

}  // namespace rnndyn
