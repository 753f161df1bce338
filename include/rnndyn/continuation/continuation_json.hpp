#pragma once
/// JSON encodings of continuation, limit-cycle results (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/limit_cycle.hpp"

namespace rnndyn {

/// {"parameter": name, "branches": [{"status", "points": [{"p", "x", "eigenvalues", "stability",
/// "residual", "on_border"}]}], "bifurcations": [{"type", "parameter" (its value), "x",
/// "eigenvalues", "omega" (hopf, neimark_sacker), "unit", "breakpoint" (border_collision),
/// "nonsmooth" (fold), "branch", "point_index"}]}, and from the front door "model", "time",
/// "elapsed_seconds", "from", "to", "start_source", "options".
nlohmann::json to_json(const ContinuationResult& r);
nlohmann::json to_json(const ContinuationOptions& o);
/// {"status", "period", "amplitude", "x_min", "x_max", "section_point", "floquet_multipliers",
/// "trivial_multiplier_error", "monodromy", "crossings"}
nlohmann::json to_json(const LimitCycle& c);

}  // namespace rnndyn
