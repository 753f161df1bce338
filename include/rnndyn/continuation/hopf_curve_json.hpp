#pragma once
/// JSON encoding of Hopf curves: {"parameter_x", "parameter_y", "points": [{"px", "py", "x", "omega",
/// "tau"}], "end_forward", "end_backward", "status", "guarantee", "options", run info}.
#include <nlohmann/json.hpp>

#include "rnndyn/continuation/hopf_curve.hpp"

namespace rnndyn {

nlohmann::json to_json(const HopfCurveOptions& o);
nlohmann::json to_json(const HopfCurveResult& r);

}  // namespace rnndyn
