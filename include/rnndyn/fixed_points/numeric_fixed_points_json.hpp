#pragma once
/// JSON encoding of one numerically found fixed or slow point: x, q, n_starts, data_distance and,
/// with stability, eigenvalues, stability, unstable eigenvalues and directions.
#include <nlohmann/json.hpp>

#include "rnndyn/fixed_points/numeric_fixed_points.hpp"

namespace rnndyn {

nlohmann::json to_json(const NumericPoint& p, bool with_stability);

}  // namespace rnndyn
