#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"

#include <cmath>

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json_columns(const ComplexMatrix& columns) {
  nlohmann::json out = nlohmann::json::array();
  for (Index c = 0; c < columns.cols(); ++c) out.push_back(to_json(ComplexVector(columns.col(c))));
  return out;
}

nlohmann::json to_json(const SlowManifold& m) {
  nlohmann::json zeros = nlohmann::json::array();
  for (const SlowManifoldFixedPoint& z : m.fixed_points)
    zeros.push_back({{"s", to_json_number(z.s)},
                     {"s_end", to_json_number(z.s_end)},
                     {"x", to_json(z.x)},
                     {"slope", to_json_number(z.slope)},
                     {"stability", z.stability},
                     {"fixed_point", z.fixed_point >= 0 ? nlohmann::json(z.fixed_point) : nlohmann::json()}});
  return {{"dimension", m.dimension},
          {"closed", m.closed},
          {"n_points", m.points.rows()},
          {"length", to_json_number(m.length)},
          {"max_drift", to_json_number(m.max_drift)},
          {"mean_drift", to_json_number(m.mean_drift)},
          {"max_normal_speed", to_json_number(m.max_normal_speed)},
          {"variance_explained", to_json(m.variance_explained)},
          {"n_seeds", m.n_seeds},
          {"fixed_points", zeros},
          {"min_half_life", to_json_number(m.min_half_life)},
          {"half_life", to_json(m.half_life)},
          {"s", to_json(m.s)},
          {"drift", to_json(m.drift)},
          {"points", to_json(m.points)}};
}

nlohmann::json to_json(const Memory& m) {
  const auto index = [](int i) { return i >= 0 ? nlohmann::json(i) : nlohmann::json(); };
  return {{"x", to_json(m.x)},
          {"speed", to_json_number(m.speed)},
          {"dwell", to_json_number(m.dwell)},
          {"share", to_json_number(m.share)},
          {"n_orbits", m.n_orbits},
          {"mean_visit", to_json_number(m.mean_visit)},
          {"fixed_point", index(m.fixed_point)},
          {"slow_point", index(m.slow_point)}};
}

nlohmann::json to_json(const MemoryCensus& c) {
  return {{"orbits", c.orbits},
          {"steps", c.steps},
          {"radius", to_json_number(c.radius)},
          {"speed_threshold", to_json_number(c.speed_threshold)},
          {"slow_share", to_json_number(c.slow_share)},
          {"places", c.places},
          {"n_memories", c.memories.size()}};
}

}  // namespace rnndyn
