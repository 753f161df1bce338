#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"

#include <cmath>

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const NumericPoint& p, bool with_stability) {
  nlohmann::json j;
  j["x"] = to_json(p.x);
  j["q"] = to_json_number(p.q);
  j["n_starts"] = p.n_starts;
  j["found_by"] = to_string(p.found_by);
  j["random_hits"] = p.random_hits;
  if (p.exact) j["exact"] = true;
  if (std::isfinite(p.error)) j["error"] = to_json_number(p.error);
  if (std::isfinite(p.sigma_min)) {
    j["sigma_min"] = to_json_number(p.sigma_min);
    j["sigma_max"] = to_json_number(p.sigma_max);
    j["condition"] = to_json_number(p.condition);
  }
  if (p.trained_state >= 0) {
    j["trained_state"] = p.trained_state;
    j["trained_level"] = to_json_number(p.trained_level);
    j["trained_distance"] = to_json_number(p.trained_distance);
  }
  if (p.slow && p.memory_radius > 0.0) {  // filled (add_memory_times ran)
    j["speed"] = to_json_number(p.speed);
    j["memory_radius"] = to_json_number(p.memory_radius);
  }
  if (p.memory_time >= 0.0) j["memory_time"] = to_json_number(p.memory_time);  // absent: not computed
  if (p.data_distance >= 0) j["data_distance"] = to_json_number(p.data_distance);
  if (with_stability && p.linearized) {  // absent: not linearized (slow_stability_points)
    j["eigenvalues"] = to_json(p.eigen.eigenvalues);
    j["stability"] = to_string(p.stability.type);
    j["n_unstable"] = p.stability.n_unstable;
    nlohmann::json dirs = nlohmann::json::array();
    for (Index c = 0; c < p.unstable_directions.cols(); ++c)
      dirs.push_back(to_json(ComplexVector(p.unstable_directions.col(c))));
    j["unstable_eigenvalues"] = to_json(p.unstable_eigenvalues);
    j["unstable_directions"] = dirs;
  }
  return j;
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

nlohmann::json to_json(const SlowManifoldOptions& o) { return described_to_json(o); }

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

nlohmann::json to_json(const MemoryOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
