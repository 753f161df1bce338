#pragma once
/// JSON encoding of one numerically found fixed or slow point and of the numeric part of a result
/// (their descriptions: Description<NumericPoint>, Description<NumericFixedPointResult>); and of a
/// slow manifold (slow_manifolds.hpp) and its options.
#include <nlohmann/json.hpp>

#include "rnndyn/fixed_points/numeric_fixed_points.hpp"

namespace rnndyn {

nlohmann::json to_json(const NumericPoint& p);
nlohmann::json to_json(const NumericFixedPointResult& n);
nlohmann::json to_json(const SlowManifold& m);
nlohmann::json to_json(const SlowManifoldOptions& o);
/// A memory found from simulation, the census without its memories, and the options
/// (memories.hpp).
nlohmann::json to_json(const Memory& m);
nlohmann::json to_json(const MemoryCensus& c);
nlohmann::json to_json(const MemoryOptions& o);

}  // namespace rnndyn
