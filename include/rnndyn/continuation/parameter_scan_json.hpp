#pragma once
/// JSON encoding of parameter-plane scans: {"parameter_x", "parameter_y", "x_values", "y_values",
/// "n_fixed_points", "n_stable", "n_unstable", "n_marginal", "n_continua", "complete", "method"
/// (each a list of rows, one per y value), "status", "guarantee", "options", run info}.
#include <nlohmann/json.hpp>

#include "rnndyn/continuation/parameter_scan.hpp"

namespace rnndyn {

nlohmann::json to_json(const ParameterScanOptions& o);
nlohmann::json to_json(const ParameterScanResult& r);

}  // namespace rnndyn
