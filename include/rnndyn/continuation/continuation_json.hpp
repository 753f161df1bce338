#pragma once
/// JSON encoding of continuation results (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/continuation/continuation.hpp"

namespace rnndyn {

/// {"parameter": name, "branches": [{"status", "points": [{"p", "x", "eigenvalues", "stability",
/// "residual", "on_border"}]}], "bifurcations": [{"type", "parameter" (its value), "x",
/// "eigenvalues", "omega" (hopf, neimark_sacker), "unit", "breakpoint" (border_collision),
/// "nonsmooth" (fold), "branch", "point_index"}]}, and from the front door "model", "time",
/// "elapsed_seconds", "from", "to", "start_source", "options".
nlohmann::json to_json(const ContinuationResult& r);
nlohmann::json to_json(const ContinuationOptions& o);

}  // namespace rnndyn
