#pragma once
/// JSON of a stability class, the one struct of the foundation that is not described: its class and
/// counts. The described results (linearize's, linear's, simulate's, response's) are written by the
/// template to_json of io/describe_json.hpp, which this header brings along for their callers.
#include <nlohmann/json.hpp>

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/simulate/response.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

/// {"type", "n_stable", "n_unstable", "n_marginal"}; `type` is e.g. "stable focus".
nlohmann::json to_json(const Stability& s);

}  // namespace rnndyn
