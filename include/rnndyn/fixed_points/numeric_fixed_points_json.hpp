#pragma once
/// JSON of the parts of a numeric result that are not described (a slow manifold, a memory, the
/// memory census without its memories), which the descriptions of NumericFixedPointResult nest.
/// The described ones (NumericPoint, NumericFixedPointResult, the options) are written by the
/// template to_json of io/describe_json.hpp.
#include <nlohmann/json.hpp>

#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const SlowManifold& m);
nlohmann::json to_json(const Memory& m);
nlohmann::json to_json(const MemoryCensus& c);

}  // namespace rnndyn
