#pragma once
/// JSON encoding of basin censuses: `attractors` (kind, state, share, Wilson interval), the
/// start labels, `unsettled` counts, the `saddles` and `graph` of the boundaries, the 2-D `map`.
#include <nlohmann/json.hpp>

#include "rnndyn/basins/basins.hpp"

namespace rnndyn {

nlohmann::json to_json(const BasinsOptions& o);
nlohmann::json to_json(const BasinsResult& r);

}  // namespace rnndyn
