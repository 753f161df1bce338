#pragma once
/// JSON encodings of the foundation's result structs (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/simulate/response.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

/// {"type", "n_stable", "n_unstable", "n_marginal"}; `type` is e.g. "stable focus".
nlohmann::json to_json(const Stability& s);
nlohmann::json to_json(const StabilityOptions& o);
nlohmann::json to_json(const LinearizeOptions& o);
/// {"x", "residual", "jacobian", "eigenvalues", "eigenvectors", "stability", "on_switching_boundary", ...}
nlohmann::json to_json(const Linearization& lin);
nlohmann::json to_json(const LinearNetworkAnalysis& a);

}  // namespace rnndyn
